//! One checked projektark ([`ProjectResult`]): the file as read, the project, its lights
//! and levels, and the findings – with the budget of how many are listed one by one.

use crate::check::assess::Assessment;
use crate::model::finding::{Code, Finding, Severity};
use crate::model::project::Project;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// One checked projektark.
#[derive(Clone, Debug)]
pub struct ProjectResult {
    pub path: PathBuf,
    /// The file as shown to people (relative to the inbox or working folder).
    pub file: String,
    /// The bytes as read (for annotation, input copies and checksums).
    pub bytes: Arc<Vec<u8>>,
    /// The sha256 of `bytes` in hex, computed once (at load time, in parallel) and read by
    /// the manifest and the project-lead message's key; see [`ProjectResult::sha256`].
    pub sha256: OnceLock<String>,
    /// The file's permission bits (Unix), which its input copy must not exceed.
    pub mode: Option<u32>,
    pub project: Project,
    pub assessment: Assessment,
    /// Sorted for reading: errors first.
    pub findings: Vec<Finding>,
}

pub use crate::model::finding::MAX_LISTED_FINDINGS;

/// The most findings of one code (kind) of one projektark a person is shown one by one in
/// the text report; the rest are counted per code ("+ 39980 mere: BUDGET-DECIDER-WRONG").
pub const MAX_SHOWN_PER_KIND: usize = 20;

/// The findings of one code not shown one by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Omitted {
    pub code: Code,
    pub count: usize,
    /// The most serious severity among all findings of the code.
    pub worst: Severity,
}

impl ProjectResult {
    /// The sha256 of the file's bytes in hex (64 digits), hashed at most once.
    pub fn sha256(&self) -> &str {
        self.sha256.get_or_init(|| crate::sys::fs::sha256_hex(&self.bytes))
    }

    /// The findings to show one by one – the listed ones ([`ProjectResult::listed`]), at most
    /// [`MAX_SHOWN_PER_KIND`] of a code – and, per code in order of first appearance, how
    /// many of all its findings are not shown, with the most serious severity among them.
    /// Linear in the findings.
    pub fn shown_by_kind(&self) -> (Vec<&Finding>, Vec<Omitted>) {
        use std::collections::HashMap;
        let mut shown: HashMap<Code, usize> = HashMap::new();
        let mut out = Vec::new();
        for f in self.listed().0 {
            let n = shown.entry(f.code).or_default();
            if *n < MAX_SHOWN_PER_KIND {
                *n += 1;
                out.push(f);
            }
        }
        let mut total: Vec<Omitted> = Vec::new();
        let mut at: HashMap<Code, usize> = HashMap::new();
        for f in &self.findings {
            let i = *at.entry(f.code).or_insert_with(|| {
                total.push(Omitted { code: f.code, count: 0, worst: f.severity });
                total.len() - 1
            });
            total[i].count += 1;
            total[i].worst = total[i].worst.max(f.severity);
        }
        for o in &mut total {
            o.count -= shown.get(&o.code).copied().unwrap_or(0);
        }
        total.retain(|o| o.count > 0);
        (out, total)
    }

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
