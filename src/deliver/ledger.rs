//! The send ledger: one JSON line per message the SMTP server accepted, appended and
//! fsync-ed right after the server said 250, so a run killed half-way knows what it sent.

use super::{Kind, MessageKey};
use crate::error::{Error, Result};
use crate::t;
use crate::text::Text;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One line of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub period: String,
    pub meeting: Option<NaiveDate>,
    pub recipient: String,
    pub kind: Kind,
    pub project: Option<String>,
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
        }
        .normalised()
    }
}

/// What was sent, read from and appended to a JSON Lines file.
#[derive(Debug)]
pub struct Ledger {
    path: PathBuf,
    entries: Vec<LedgerEntry>,
    keys: HashSet<MessageKey>,
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
            keys: HashSet::new(),
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
                Ok(entry) => {
                    ledger.keys.insert(entry.key());
                    ledger.entries.push(entry);
                }
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

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether a message with this key was sent (recipient compared case-insensitively).
    pub fn contains(&self, key: &MessageKey) -> bool {
        self.keys.contains(&key.normalised())
    }

    pub fn entries(&self) -> &[LedgerEntry] {
        &self.entries
    }

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

    /// Appends one line and fsyncs it before returning.
    pub fn record(&mut self, key: &MessageKey, message_id: &str, sent_at: DateTime<FixedOffset>) -> Result<()> {
        let key = key.normalised();
        let entry = LedgerEntry {
            period: key.period.clone(),
            meeting: key.meeting,
            recipient: key.recipient.clone(),
            kind: key.kind,
            project: key.project.clone(),
            message_id: message_id.to_string(),
            sent_at,
        };
        let mut line = serde_json::to_string(&entry).expect("a ledger entry serialises");
        line.push('\n');
        if self.needs_newline {
            line.insert(0, '\n');
        }
        self.append(line.as_bytes()).map_err(|e| {
            let to = &key.recipient;
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
        self.needs_newline = false;
        self.keys.insert(key);
        self.entries.push(entry);
        Ok(())
    }

    fn append(&self, bytes: &[u8]) -> std::io::Result<()> {
        let dir = self.path.parent().filter(|p| !p.as_os_str().is_empty());
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir)?;
        }
        let created = !self.path.exists();
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(&self.path)?;
        file.write_all(bytes)?;
        file.sync_data()?;
        // A new file's directory entry must be durable too.
        #[cfg(unix)]
        if created && let Ok(d) = std::fs::File::open(dir.unwrap_or(Path::new("."))) {
            let _ = d.sync_all();
        }
        #[cfg(not(unix))]
        let _ = created;
        Ok(())
    }
}
