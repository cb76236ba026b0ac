//! The stages that work on a whole folder of projektark. `check_files` is the load+check
//! stage: every workbook read once and checked in parallel, the cross-project checks
//! after, then the changes since the previous run.

use crate::check::{Context, Previous, check_project, portfolio};
use crate::finding::{Code, Finding, Location, sort_for_reading};
use crate::load::projektark::load_projektark;
use crate::load::workbook::{Limits, ReadError};
use crate::report::{ProjectResult, Report, Unreadable, changes};
use crate::rules::Rules;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a file is named for people: relative to `base` when under it.
pub fn display_path(path: &Path, base: &Path) -> String {
    path.strip_prefix(base).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// What goes into a check run.
pub struct CheckInput<'a> {
    pub rules: Arc<Rules>,
    pub model_findings: Vec<Finding>,
    pub files: &'a [PathBuf],
    pub base: &'a Path,
    pub previous: Option<&'a Previous>,
    pub as_of: NaiveDate,
    pub period: String,
    pub limits: Limits,
}

enum Outcome {
    Checked(Box<ProjectResult>),
    Unreadable(Unreadable),
}

fn unreadable(path: &Path, file: String, bytes: Option<Arc<Vec<u8>>>, error: &ReadError) -> Outcome {
    let reason = error.text();
    let (rda, ren) = (&reason.da, &reason.en);
    let message = crate::t!("{file}: {rda}", "{file}: {ren}");
    Outcome::Unreadable(Unreadable {
        path: path.to_path_buf(),
        file,
        bytes,
        finding: Finding::new(Code::InputUnreadable, Location::none(), message),
    })
}

fn check_one(input: &CheckInput<'_>, path: &Path, on_done: &(dyn Fn() + Sync)) -> Outcome {
    let file = display_path(path, input.base);
    let result = match std::fs::read(path) {
        Err(e) => unreadable(path, file, None, &ReadError::Io(e.to_string())),
        Ok(bytes) => {
            let bytes = Arc::new(bytes);
            match load_projektark(&bytes, &input.rules, &input.limits) {
                Err(e) => unreadable(path, file, Some(bytes), &e),
                Ok((project, mut findings)) => {
                    let key = project.id().map(str::to_string);
                    let previous = key.as_ref().and_then(|k| input.previous.and_then(|p| p.projects.get(k)));
                    let ctx = Context { rules: &input.rules, as_of: input.as_of, previous };
                    let (assessment, checked) = check_project(&ctx, &project);
                    findings.extend(checked);
                    Outcome::Checked(Box::new(ProjectResult {
                        path: path.to_path_buf(),
                        file,
                        bytes,
                        project,
                        assessment,
                        findings,
                    }))
                }
            }
        }
    };
    on_done();
    result
}

/// Reads and checks every file (in parallel), then checks across projects.
pub fn check_files(input: CheckInput<'_>, on_done: &(dyn Fn() + Sync)) -> Report {
    let outcomes: Vec<Outcome> = input.files.par_iter().map(|path| check_one(&input, path, on_done)).collect();
    let mut projects = Vec::new();
    let mut unread = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Checked(p) => projects.push(*p),
            Outcome::Unreadable(u) => unread.push(u),
        }
    }
    let ids: Vec<(Option<&str>, &str, Location)> = projects
        .iter()
        .map(|p| (p.project.id(), p.file.as_str(), crate::check::field_loc(&p.project, &p.project.fields.id)))
        .collect();
    let dups = portfolio::duplicates(&ids);
    for (p, extra) in projects.iter_mut().zip(dups) {
        p.findings.extend(extra);
        sort_for_reading(&mut p.findings);
    }
    projects.sort_by(|a, b| a.key().to_lowercase().cmp(&b.key().to_lowercase()).then_with(|| a.file.cmp(&b.file)));
    let changes = input.previous.map(|prev| changes::compute(&input.rules, prev, &projects)).unwrap_or_default();
    Report {
        rules: input.rules,
        as_of: input.as_of,
        period: input.period,
        model_findings: input.model_findings,
        projects,
        unreadable: unread,
        changes,
        previous_period: input.previous.and_then(|p| p.period.clone()),
    }
}
