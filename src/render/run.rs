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
