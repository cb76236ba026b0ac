//! Messages as files: `<n>-<kind>-<who>.eml` plus an `.html` preview of the HTML body.

use crate::deliver::message::to_eml;
use crate::deliver::outbox::{Kind, OutMessage};
use crate::error::Result;
use crate::sys::fs::{Mode, write};
use chrono::{DateTime, FixedOffset};
use std::path::{Path, PathBuf};

/// The longest name part taken from user text.
const MAX_NAME: usize = 60;

/// The file stem of message number `n` (1-based) of `count`.
pub(crate) fn file_stem(n: usize, count: usize, msg: &OutMessage) -> String {
    let width = count.to_string().len().max(3);
    let who = match (msg.key.kind, &msg.key.project) {
        (Kind::ProjectLead | Kind::Reminder, Some(project)) => project.as_str(),
        _ => msg.key.recipient.as_str(),
    };
    format!("{n:0width$}-{}-{}", msg.key.kind.as_str(), crate::sys::names::ascii_stem(who, MAX_NAME, "besked"))
}

/// Writes every message as `<n>-<kind>-<recipient or project>.eml` plus an `.html` preview
/// of its HTML body, atomically, in the order given. Returns the files written (for each
/// message its `.eml`, then its `.html`).
pub fn write_files(
    dir: &Path,
    messages: &[OutMessage],
    date: DateTime<FixedOffset>,
    mode: Mode,
) -> Result<Vec<PathBuf>> {
    // Check every address first, so a bad one writes nothing; then build and write each
    // message in turn (in parallel), so the encoded messages are never all in memory.
    use rayon::prelude::*;
    for m in messages {
        crate::deliver::message::recipient(m)?;
        crate::deliver::message::parse_from(&m.from)?;
    }
    let written: Vec<Vec<PathBuf>> = messages
        .par_iter()
        .enumerate()
        .map(|(i, msg)| {
            let eml = to_eml(msg, date)?;
            let stem = file_stem(i + 1, messages.len(), msg);
            let eml_path = dir.join(format!("{stem}.eml"));
            write(&eml_path, &eml, mode)?;
            let html_path = dir.join(format!("{stem}.html"));
            write(&html_path, msg.html.as_bytes(), mode)?;
            Ok(vec![eml_path, html_path])
        })
        .collect::<Result<_>>()?;
    Ok(written.into_iter().flatten().collect())
}
