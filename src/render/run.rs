//! What a whole `os2gov run` did: the check report plus what was written, sent and noted.
//! Made by the batch and rendered by [`crate::render::text::render_run`]; a plain data type, so
//! neither needs the other.

use crate::check::report::Report;
use crate::error::Error;
use chrono::NaiveDate;
use std::path::PathBuf;

/// What a run did, for the summary.
pub struct RunResult {
    pub report: Report,
    pub folder: PathBuf,
    /// The period folder existed from an earlier run and was replaced.
    pub replaced: bool,
    /// Mails had been sent from the replaced folder: it is kept as this revision
    /// (`<period>/tidligere/<N>`).
    pub revision: Option<Revision>,
    pub annotated: usize,
    pub rebuilt: Vec<String>,
    pub annotate_failed: Vec<(String, crate::text::Text)>,
    pub messages: usize,
    pub meeting: Option<NaiveDate>,
    pub sent: Option<crate::deliver::smtp::SendReport>,
    pub send_error: Option<Error>,
    pub recovered: Vec<crate::text::Text>,
    /// Things the user should know that did not stop the run.
    pub notes: Vec<crate::text::Text>,
    pub stale_lock: Option<String>,
}

/// A period folder's earlier version that is kept as a revision when the re-run is put
/// in place, because mails were sent from it (`<period>/tidligere/<N>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// Its number in `<period>/tidligere/`.
    pub number: u32,
    /// When the replaced run started (its manifest's `created`), if known.
    pub created: Option<String>,
    /// How many mails the send ledger records as sent (or handed to the server) from it.
    pub sent: usize,
}

/// The folder inside a period folder that keeps its earlier, sent versions:
/// `ud/<period>/tidligere/<N>/`, N = 1, 2, … in the order they were replaced. Never a
/// period (`YYYY-MM`), so readers of `ud/` that look for period folders skip it.
pub const REVISIONS: &str = "tidligere";
