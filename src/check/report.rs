//! The result of checking a set of projektark: one [`ProjectResult`] per readable
//! workbook, the unreadable ones, the skipped ones, and the changes since the previous run.
//! Plain data; `render` writes it for people (text) and machines (JSON).

use crate::check::changes::Change;
use crate::check::result::ProjectResult;
use crate::model::finding::{Finding, Severity};
use crate::model::rules::Rules;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Arc;

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

/// A submission set aside because a newer one of the same project came in (see
/// `check::portfolio::current`): read, copied to `input/` for the record, but never
/// checked, annotated, mailed or put before the board.
#[derive(Clone, Debug)]
pub struct SetAside {
    pub path: PathBuf,
    pub file: String,
    pub bytes: Arc<Vec<u8>>,
    pub mode: Option<u32>,
    /// The Projekt-ID (as the current submission writes it).
    pub key: String,
    /// The current submission's file, as shown to people, and its path.
    pub current: String,
    pub current_path: PathBuf,
    /// The workbook's own last-saved time, when it has one.
    pub saved: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// The set-aside workbook names another project name or lead than the current one:
    /// perhaps two projects share an ID.
    pub differs: bool,
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

/// The secretariat's register as a check run used it.
#[derive(Clone, Debug, Default)]
pub struct RegisterUse {
    pub register: Arc<crate::model::register::Register>,
    /// `REGISTER-INVALID` warnings: rows that could not be read and do not count.
    pub findings: Vec<Finding>,
    /// What to tell about the register itself (not found, created, …), once.
    pub notes: Vec<crate::text::Text>,
    /// The rows the register was created with in this run (migrated from the projektark
    /// and the previous run): listed for the secretariat to review.
    pub migrated: crate::model::register::Additions,
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
    /// Workbooks in the inbox not read for their name (hidden) or depth: named once.
    pub left_out: crate::load::inbox::LeftOuts,
    /// Older submissions of a project that also came in newer (not checked).
    pub set_aside: Vec<SetAside>,
    /// Projects of the previous run (not closed) whose projektark is missing now.
    pub not_submitted: Vec<NotSubmitted>,
    /// Changes since the previous run (empty without one).
    pub changes: Vec<Change>,
    /// The previous run's period, when there was one.
    pub previous_period: Option<String>,
    /// Per Projekt-ID of this run, from the history: when the project was last seen and
    /// since when its findings had stood then (the lead's mail).
    pub finding_ages: std::collections::HashMap<String, crate::model::history::FindingAges>,
    /// The secretariat's register the checks used.
    pub register: RegisterUse,
    /// The board items of the newest earlier run and the meeting this run is for (the
    /// monthly run only; see `board::carry`).
    pub carry: crate::model::board_items::Carry,
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
            let (e, w, i) = crate::model::finding::count(&p.findings);
            s.errors += e;
            s.warnings += w;
            s.infos += i;
            if e == 0 {
                s.projects_without_errors += 1;
            }
        }
        let (e, w, i) = crate::model::finding::count(self.model_findings.iter().chain(&self.register.findings));
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
            .chain(&self.register.findings)
            .map(|f| (None, f))
            .chain(self.projects.iter().flat_map(|p| p.listed().0.iter().map(move |f| (Some(p), f))))
    }

    /// Every finding, with the project it belongs to.
    pub fn all_findings(&self) -> impl Iterator<Item = (Option<&ProjectResult>, &Finding)> {
        self.model_findings
            .iter()
            .chain(&self.register.findings)
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
