//! The period's history file `historik-<period>.json` (issue 20): the state through the
//! period after folding in what this run observed. Pure.

use crate::model::history::{FORMAT, HistoryFile, Observed, State, fold};

/// The file for a run that observed `observed` on top of `base` (the state through the
/// newest earlier period; empty on the first run).
pub fn build(base: State, observed: Observed, rebuilt: Option<String>) -> HistoryFile {
    let state = fold(base, &observed);
    HistoryFile {
        format: FORMAT,
        tool: "os2gov".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        period: observed.period.clone(),
        as_of: observed.as_of,
        rebuilt,
        observed,
        state,
    }
}

/// The file as JSON (compact: it is read by programs; `os2gov` reads it back).
pub fn render(file: &HistoryFile) -> String {
    let mut out = serde_json::to_string(file).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
