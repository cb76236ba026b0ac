//! The result of checking a set of projektark: one [`ProjectResult`] per readable
//! workbook, the unreadable ones, and the changes since the previous run. Renderers for
//! people (text) and machines (JSON) live beside it; they return strings and never print.

pub mod changes;
pub mod json;
mod run;
pub mod text;

use crate::check::Assessment;
use crate::finding::{Finding, Severity};
use crate::model::project::Project;
use crate::rules::Rules;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Arc;

pub use changes::{Change, ChangeKind};
pub use run::RunResult;

/// How a file is named for people: relative to `base` when under it.
pub fn display_path(path: &std::path::Path, base: &std::path::Path) -> String {
    path.strip_prefix(base).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

/// One checked projektark.
#[derive(Clone, Debug)]
pub struct ProjectResult {
    pub path: PathBuf,
    /// The file as shown to people (relative to the inbox or working folder).
    pub file: String,
    /// The bytes as read (for annotation, input copies and checksums).
    pub bytes: Arc<Vec<u8>>,
    /// The file's permission bits (Unix), which its input copy must not exceed.
    pub mode: Option<u32>,
    pub project: Project,
    pub assessment: Assessment,
    /// Sorted for reading: errors first.
    pub findings: Vec<Finding>,
}

/// The per-file output budget: at most this many findings of one projektark are listed
/// one by one where people and machines read them (the Kontrol sheet and cell notes, the
/// lead's mail, the findings JSON, the text report, the portfolio's Fund sheet); the rest
/// are counted. Findings are sorted errors first, so the listed ones are the worst.
pub const MAX_LISTED_FINDINGS: usize = 500;

impl ProjectResult {
    /// The findings to list (at most [`MAX_LISTED_FINDINGS`], errors first) and how many
    /// more there are.
    pub fn listed(&self) -> (&[Finding], usize) {
        let n = self.findings.len().min(MAX_LISTED_FINDINGS);
        (self.findings.get(..n).unwrap_or_default(), self.findings.len() - n)
    }

    /// The Projekt-ID, or the file name when the ID is missing or invalid.
    pub fn key(&self) -> String {
        match self.project.id() {
            Some(id) => id.to_string(),
            None => self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
        }
    }

    /// The project's name as shown (clipped to [`crate::text::SHOWN_VALUE_CHARS`]).
    pub fn name(&self) -> String {
        self.project
            .fields
            .name
            .given()
            .map(|n| crate::text::clip(n, crate::text::SHOWN_VALUE_CHARS))
            .unwrap_or_default()
    }

    /// The project lead's name as shown (clipped).
    pub fn lead_name(&self) -> String {
        self.project
            .fields
            .lead
            .given()
            .map(|n| crate::text::clip(n, crate::text::SHOWN_VALUE_CHARS))
            .unwrap_or_default()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }
}

/// A workbook that could not be read at all.
#[derive(Clone, Debug)]
pub struct Unreadable {
    pub path: PathBuf,
    pub file: String,
    pub bytes: Option<Arc<Vec<u8>>>,
    /// The file's permission bits (Unix), when it could be read.
    pub mode: Option<u32>,
    pub finding: Finding,
}

/// A workbook that was read but not checked: a blank template nobody has filled in.
#[derive(Clone, Debug)]
pub struct Skipped {
    pub path: PathBuf,
    pub file: String,
    pub bytes: Arc<Vec<u8>>,
    pub mode: Option<u32>,
}

/// A project that was in the previous run but whose projektark is missing now.
#[derive(Clone, Debug)]
pub struct NotSubmitted {
    pub key: String,
    pub name: Option<String>,
    pub lead: Option<String>,
    pub lead_email: Option<String>,
    /// The period of the run that last saw it.
    pub last_period: Option<String>,
    /// `INPUT-NOT-SUBMITTED`.
    pub finding: Finding,
}

/// Everything one check run found.
#[derive(Clone, Debug)]
pub struct Report {
    pub rules: Arc<Rules>,
    pub as_of: NaiveDate,
    pub period: String,
    /// Warnings about the styringsmodel itself (e.g. `GOV-REVISION-DUE`).
    pub model_findings: Vec<Finding>,
    /// Sorted by Projekt-ID.
    pub projects: Vec<ProjectResult>,
    pub unreadable: Vec<Unreadable>,
    /// Blank templates found among the inputs (reported once, not checked).
    pub skipped: Vec<Skipped>,
    /// Projects of the previous run (not closed) whose projektark is missing now.
    pub not_submitted: Vec<NotSubmitted>,
    /// Changes since the previous run (empty without one).
    pub changes: Vec<Change>,
    /// The previous run's period, when there was one.
    pub previous_period: Option<String>,
}

/// Totals over a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub projects: usize,
    pub unreadable: usize,
    pub projects_without_errors: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary { projects: self.projects.len(), unreadable: self.unreadable.len(), ..Summary::default() };
        for p in &self.projects {
            let (e, w, i) = crate::finding::count(&p.findings);
            s.errors += e;
            s.warnings += w;
            s.infos += i;
            if e == 0 {
                s.projects_without_errors += 1;
            }
        }
        let (e, w, i) = crate::finding::count(&self.model_findings);
        s.errors += e + self.unreadable.len();
        s.warnings += w + self.not_submitted.len();
        s.infos += i;
        s
    }

    /// Every finding listed (per project at most [`MAX_LISTED_FINDINGS`]), with the project
    /// it belongs to.
    pub fn listed_findings(&self) -> impl Iterator<Item = (Option<&ProjectResult>, &Finding)> {
        self.model_findings
            .iter()
            .map(|f| (None, f))
            .chain(self.projects.iter().flat_map(|p| p.listed().0.iter().map(move |f| (Some(p), f))))
    }

    /// Every finding, with the project it belongs to.
    pub fn all_findings(&self) -> impl Iterator<Item = (Option<&ProjectResult>, &Finding)> {
        self.model_findings
            .iter()
            .map(|f| (None, f))
            .chain(self.projects.iter().flat_map(|p| p.findings.iter().map(move |f| (Some(p), f))))
    }

    /// The most serious severity of any finding (an unreadable file counts as an error).
    pub fn worst(&self) -> Option<Severity> {
        let unreadable = (!self.unreadable.is_empty()).then_some(Severity::Error);
        let missing = self.not_submitted.iter().map(|n| n.finding.severity);
        self.all_findings().map(|(_, f)| f.severity).chain(unreadable).chain(missing).max()
    }
}
