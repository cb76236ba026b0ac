//! The send ledger (`ud/sendt.jsonl`): JSON Lines, appended and fsync-ed. Before a message's
//! DATA goes to the server, an *intent* line is written; right after the server's 250, a
//! *sent* line. A run killed between the two leaves an intent without a sent line: that
//! message may or may not have been delivered (SMTP cannot tell), and the next run sends it
//! again and says so – the one duplicate SMTP makes unavoidable. Every other message is
//! either recorded as sent or was never handed to the server.
//!
//! The key of a line is the [`MessageKey`]: period, meeting, recipient, kind, Projekt-ID and
//! content hash – never an output file name. Lines written by older versions (no `state`,
//! `project` = the annotated copy's file stem, no content hash) count as sent for the same
//! period, meeting, recipient and kind and a project whose file stem they match, whatever
//! the content: an old ledger never causes mass re-sending.

use crate::deliver::outbox::{Kind, MessageKey};
use crate::error::{Error, Result};
use crate::text::Text;
use crate::text::t;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a line records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineState {
    /// About to hand the message to the server (written before DATA).
    Intent,
    /// The server accepted the message (written after its 250).
    Sent,
    /// The server refused the message after its intent was written (a 4xx or 5xx answer
    /// to DATA or the message): it was not delivered.
    Failed,
}

/// One line of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub period: String,
    pub meeting: Option<NaiveDate>,
    pub recipient: String,
    pub kind: Kind,
    /// The Projekt-ID (in lines of older versions: the annotated copy's file stem).
    pub project: Option<String>,
    /// The content hash of the key (absent in lines of older versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Absent in lines of older versions, which recorded sent messages only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<LineState>,
    pub message_id: String,
    pub sent_at: DateTime<FixedOffset>,
}

impl LedgerEntry {
    pub fn key(&self) -> MessageKey {
        MessageKey {
            period: self.period.clone(),
            meeting: self.meeting,
            recipient: self.recipient.clone(),
            kind: self.kind,
            project: self.project.clone(),
            content: self.content.clone(),
        }
        .normalised()
    }

    /// A line of an older version: recorded a sent message, keyed by file stem.
    fn is_legacy(&self) -> bool {
        self.state.is_none()
    }
}

/// Period, meeting, recipient and kind: what a legacy line is matched on first.
type LegacyScope = (String, Option<NaiveDate>, String, Kind);

fn legacy_scope(key: &MessageKey) -> LegacyScope {
    (key.period.clone(), key.meeting, key.recipient.clone(), key.kind)
}

/// Whether a legacy line's project (an annotated copy's file stem: `<stem>`, `<stem>-2`,
/// `<stem>__<input>`) was about the project with this Projekt-ID.
fn legacy_project_matches(legacy: Option<&str>, id: Option<&str>) -> bool {
    match (legacy, id) {
        (None, None) => true,
        (Some(old), Some(id)) => {
            let (old, stem) = (old.to_lowercase(), crate::sys::names::safe_file_stem(id).to_lowercase());
            old == id.to_lowercase()
                || old == stem
                || old.strip_prefix(&stem).is_some_and(|rest| {
                    rest.starts_with("__")
                        || rest
                            .strip_prefix('-')
                            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                })
        }
        _ => false,
    }
}

/// What was sent (and what was about to be), read from and appended to a JSON Lines file.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    /// Sent lines (current and legacy), in file order.
    entries: Vec<LedgerEntry>,
    sent: HashSet<MessageKey>,
    /// Intents not (yet) followed by a sent line.
    pending: HashMap<MessageKey, LedgerEntry>,
    /// Legacy lines by scope, with their projects.
    legacy: HashMap<LegacyScope, Vec<Option<String>>>,
    warnings: Vec<Text>,
    /// The file does not end with a newline (a torn last line): start the next append with one.
    needs_newline: bool,
}

impl Ledger {
    /// Reads the ledger; a missing file is an empty ledger. A line that cannot be read
    /// (e.g. torn by a crash) is skipped with a warning (see [`Ledger::warnings`]).
    pub fn load(path: &Path) -> Result<Ledger> {
        let mut ledger = Ledger {
            path: path.to_path_buf(),
            entries: Vec::new(),
            sent: HashSet::new(),
            pending: HashMap::new(),
            legacy: HashMap::new(),
            warnings: Vec::new(),
            needs_newline: false,
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ledger),
            Err(e) => {
                return Err(Error::io(
                    path,
                    t!("Kunne ikke læse afsendelsesloggen", "Could not read the send ledger"),
                    e,
                ));
            }
        };
        ledger.needs_newline = !bytes.is_empty() && !bytes.ends_with(b"\n");
        let file = path.display();
        for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
            let n = i + 1;
            let line = String::from_utf8_lossy(line);
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<LedgerEntry>(line.trim()) {
                Ok(entry) => ledger.add(entry),
                Err(e) => ledger.warnings.push(t!(
                    "Linje {n} i afsendelsesloggen {file} kunne ikke læses og springes over ({e}). Beskeden på \
                     den linje kan blive sendt igen.",
                    "Line {n} of the send ledger {file} could not be read and is skipped ({e}). The message of \
                     that line may be sent again."
                )),
            }
        }
        Ok(ledger)
    }

    fn add(&mut self, entry: LedgerEntry) {
        let key = entry.key();
        match entry.state {
            Some(LineState::Intent) => {
                if !self.sent.contains(&key) {
                    self.pending.insert(key, entry);
                }
            }
            Some(LineState::Failed) => {
                self.pending.remove(&key);
            }
            Some(LineState::Sent) | None => {
                self.pending.remove(&key);
                if entry.is_legacy() {
                    self.legacy.entry(legacy_scope(&key)).or_default().push(key.project.clone());
                }
                self.sent.insert(key);
                self.entries.push(entry);
            }
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a message with this key was sent (recipient compared case-insensitively),
    /// by this version or – matched by period, meeting, recipient, kind and file stem – an
    /// older one.
    pub fn contains(&self, key: &MessageKey) -> bool {
        let key = key.normalised();
        self.sent.contains(&key)
            || self.legacy.get(&legacy_scope(&key)).is_some_and(|projects| {
                projects.iter().any(|old| legacy_project_matches(old.as_deref(), key.project.as_deref()))
            })
    }

    /// Whether a run was about to send this message when it stopped without recording
    /// the server's answer (killed, or the power went): it may have been delivered.
    pub fn is_unconfirmed(&self, key: &MessageKey) -> bool {
        self.pending.contains_key(&key.normalised())
    }

    /// The messages a stopped run may or may not have delivered.
    pub fn unconfirmed(&self) -> impl Iterator<Item = &LedgerEntry> {
        self.pending.values()
    }

    /// The sent lines.
    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

    /// How many sent lines there are.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Lines that were skipped when loading.
    pub fn warnings(&self) -> &[Text] {
        &self.warnings
    }

    /// Records, durably, that this message is about to be handed to the server. When an
    /// earlier run was killed while handing the same message over (an intent without an
    /// answer), a notice is written first ([`NOTICES_FILE`]): the recipient may get it
    /// twice, and if this run is killed too, the next run that completes still says so.
    pub fn record_intent(&mut self, key: &MessageKey, message_id: &str, at: DateTime<FixedOffset>) -> Result<()> {
        if self.is_unconfirmed(key) {
            let notice = Notice { key: key.normalised(), at };
            let path = notices_path(&self.path);
            let mut line = serde_json::to_string(&notice)
                .map_err(std::io::Error::other)
                .map_err(|e| Error::io(&path, t!("Kunne ikke skrive", "Could not write"), e))?;
            line.push('\n');
            append_synced(&path, line.as_bytes()).map_err(|e| {
                let to = &key.recipient;
                Error::io(
                    &path,
                    t!(
                        "Beskeden til {to} blev ikke sendt igen, fordi noten om en mulig dublet ikke kunne skrives",
                        "The message to {to} was not sent again because the note of a possible duplicate could not be written"
                    ),
                    e,
                )
            })?;
        }
        let entry = self.line(key, LineState::Intent, message_id, at);
        self.write_line(&entry).map_err(|e| {
            let to = &entry.recipient;
            Error::io(
                &self.path,
                t!(
                    "Beskeden til {to} blev ikke sendt, fordi afsendelsesloggen ikke kunne skrives",
                    "The message to {to} was not sent because the send ledger could not be written"
                ),
                e,
            )
        })?;
        let key = entry.key();
        if !self.sent.contains(&key) {
            self.pending.insert(key, entry);
        }
        // A kill while the message is with the server (tests).
        crate::sys::fault::point("after-intent");
        Ok(())
    }

    /// Records, durably, that the server accepted this message (fsync-ed before returning).
    pub fn record(&mut self, key: &MessageKey, message_id: &str, sent_at: DateTime<FixedOffset>) -> Result<()> {
        let entry = self.line(key, LineState::Sent, message_id, sent_at);
        self.write_line(&entry).map_err(|e| {
            let to = &entry.recipient;
            Error::io(
                &self.path,
                t!(
                    "Beskeden til {to} blev sendt, men kunne ikke noteres i afsendelsesloggen (den bliver sendt \
                     igen ved næste kørsel)",
                    "The message to {to} was sent but could not be recorded in the send ledger (it will be sent \
                     again by the next run)"
                ),
                e,
            )
        })?;
        self.add(entry);
        // A kill right after a message was delivered and recorded (tests).
        crate::sys::fault::point("after-sent");
        Ok(())
    }

    /// Records that the server refused a message whose intent was written: it was not
    /// delivered, so a later run need not warn about it. Best effort: without this line the
    /// next run only warns that the message may have arrived twice.
    pub fn record_failed(&mut self, key: &MessageKey, message_id: &str, at: DateTime<FixedOffset>) {
        let entry = self.line(key, LineState::Failed, message_id, at);
        if self.write_line(&entry).is_ok() {
            self.add(entry);
        }
    }

    fn line(&self, key: &MessageKey, state: LineState, message_id: &str, at: DateTime<FixedOffset>) -> LedgerEntry {
        let key = key.normalised();
        LedgerEntry {
            period: key.period,
            meeting: key.meeting,
            recipient: key.recipient,
            kind: key.kind,
            project: key.project,
            content: key.content,
            state: Some(state),
            message_id: message_id.to_string(),
            sent_at: at,
        }
    }

    fn write_line(&mut self, entry: &LedgerEntry) -> std::io::Result<()> {
        let mut line = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        line.push('\n');
        if self.needs_newline {
            line.insert(0, '\n');
        }
        self.append(line.as_bytes())?;
        self.needs_newline = false;
        Ok(())
    }

    fn append(&self, bytes: &[u8]) -> std::io::Result<()> {
        crate::sys::fault::ledger_line()?;
        append_synced(&self.path, bytes)
    }
}

/// Appends to a file and flushes it to disk (and a new file's directory entry).
fn append_synced(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir)?;
    }
    let created = !path.exists();
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_data()?;
    #[cfg(unix)]
    if created && let Ok(d) = std::fs::File::open(dir.unwrap_or(Path::new("."))) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = created;
    Ok(())
}

/// The file beside the ledger holding notices of possible duplicates not yet reported.
pub const NOTICES_FILE: &str = ".os2gov-dubletter.jsonl";

/// A message sent again after a run was killed while sending it: its recipient may have
/// it twice. Kept in [`NOTICES_FILE`] until a run that completes has reported it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub key: MessageKey,
    pub at: DateTime<FixedOffset>,
}

fn notices_path(ledger: &Path) -> PathBuf {
    ledger.with_file_name(NOTICES_FILE)
}

/// The notices of possible duplicates left by runs that did not complete (at most 1 MB of
/// them is read; a line that cannot be read is skipped).
pub fn pending_notices(ledger: &Path) -> Vec<Notice> {
    let Ok((bytes, _)) = crate::sys::fs::read_bounded(&notices_path(ledger), 1024 * 1024) else {
        return Vec::new();
    };
    let mut out: Vec<Notice> = Vec::new();
    for line in bytes.split(|b| *b == b'\n') {
        if let Ok(n) = serde_json::from_slice::<Notice>(line)
            && !out.iter().any(|o| o.key == n.key)
        {
            out.push(n);
        }
    }
    out
}

/// Forgets the notices once a completed run has reported them.
pub fn clear_notices(ledger: &Path) {
    let _ = std::fs::remove_file(notices_path(ledger));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_projects_match_their_ids_file_stems() {
        for (old, id) in [
            ("OS2iot", "OS2iot"),
            ("os2iot", "OS2iot"),
            ("OS2iot-2", "OS2iot"),
            ("OS2iot__os2iot-kopi", "OS2iot"),
            ("P_1", "P 1"),
        ] {
            assert!(legacy_project_matches(Some(old), Some(id)), "{old} ~ {id}");
        }
        for (old, id) in [("OS2iot2", "OS2iot"), ("OS2iot-x", "OS2iot"), ("OS2mo", "OS2iot"), ("OS2iot-", "OS2iot")] {
            assert!(!legacy_project_matches(Some(old), Some(id)), "{old} !~ {id}");
        }
        assert!(legacy_project_matches(None, None));
        assert!(!legacy_project_matches(Some("OS2iot"), None));
    }
}
