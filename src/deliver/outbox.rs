//! What is to be delivered: an [`OutMessage`] with its attachments, and the [`MessageKey`]
//! that says whether it was sent before (the ledger's dedupe key). Plain data.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A file attached to a message (e.g. the portfolio workbook or an annotated projektark).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// The name the recipient sees, e.g. `OS2skadesøkonomi.xlsx` (sanitised before use).
    pub filename: String,
    /// A MIME type such as `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`.
    pub content_type: String,
    pub bytes: Arc<Vec<u8>>,
    /// Work on `bytes` shared by every message that carries the same attachment (the
    /// board digest's messages all carry the portfolio workbook): its hash and its MIME
    /// encoding, done once. `Default::default()` for an attachment only one message carries.
    pub shared: Shared,
}

impl Attachment {
    /// The sha256 of the attachment's bytes (each message's MIME boundaries come from a
    /// hash of its content).
    pub fn sha256(&self) -> [u8; 32] {
        let hash = || {
            use sha2::Digest;
            sha2::Sha256::digest(self.bytes.as_slice()).into()
        };
        match &self.shared.0 {
            Some(shared) => *shared.sha256.get_or_init(hash),
            None => hash(),
        }
    }

    /// The attachment's bytes as a MIME body (base64), encoded once when shared.
    pub fn body(&self) -> lettre::message::Body {
        let encode = || lettre::message::Body::new(self.bytes.as_ref().clone());
        match &self.shared.0 {
            Some(shared) => shared.body.get_or_init(encode).clone(),
            None => encode(),
        }
    }
}

/// Results derived from an attachment's bytes, computed on first use and kept for every
/// message that carries the same attachment. Empty (nothing kept) by default, so the
/// single-use attachments (annotated copies) hold no encoded copy in memory. Derived from
/// the bytes, so it never makes two attachments differ: all compare equal.
#[derive(Clone, Debug, Default)]
pub struct Shared(Option<Arc<SharedWork>>);

impl Shared {
    /// Work kept for an attachment many messages carry; clone it into each.
    pub fn for_many() -> Shared {
        Shared(Some(Arc::default()))
    }
}

#[derive(Debug, Default)]
struct SharedWork {
    sha256: std::sync::OnceLock<[u8; 32]>,
    body: std::sync::OnceLock<lettre::message::Body>,
}

impl PartialEq for Shared {
    fn eq(&self, _: &Shared) -> bool {
        true
    }
}

impl Eq for Shared {}

/// What a message is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The board digest, one per active recipient in Modtagere.
    Digest,
    /// Feedback to a project lead about one project.
    ProjectLead,
    /// A reminder to the lead of a project whose projektark did not come in.
    Reminder,
}

impl Kind {
    /// The stable name used in the ledger, in Message-IDs and in file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Digest => "digest",
            Kind::ProjectLead => "project_lead",
            Kind::Reminder => "reminder",
        }
    }
}

/// What makes a message "the same message" for the ledger: a re-run with the same key
/// does not send it again. Never an output file name (names change when, say, a copy of a
/// projektark is added to the inbox), so the key is: period, meeting, recipient, kind,
/// Projekt-ID and content hash.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MessageKey {
    /// The run's period, e.g. `2026-11`.
    pub period: String,
    /// The board meeting the message is about: the digest's. A project lead's feedback
    /// and a reminder are about the period and the projektark, not the meeting – a run
    /// after the meeting in the same period sends nobody the same feedback again – so
    /// their keys have none (and lines of older versions that had one are read without it).
    pub meeting: Option<chrono::NaiveDate>,
    /// The recipient's e-mail address, lower-cased.
    pub recipient: String,
    pub kind: Kind,
    /// The Projekt-ID of a project-lead message (the input's file stem when it has no
    /// valid ID).
    pub project: Option<String>,
    /// What a project-lead message is about: the first 16 hex digits of the sha256 of the
    /// projektark as read. A changed projektark is new content (its lead gets the new
    /// feedback); an identical copy is the same. `None` for the board digest, which is sent
    /// once per period and meeting (`--resend` sends it again).
    #[serde(default)]
    pub content: Option<String>,
}

impl MessageKey {
    /// The key as the ledger compares it: recipient trimmed and lower-cased, and no meeting
    /// but the digest's.
    pub fn normalised(&self) -> MessageKey {
        let meeting = if self.kind == Kind::Digest { self.meeting } else { None };
        MessageKey { recipient: self.recipient.trim().to_lowercase(), meeting, ..self.clone() }
    }
}

/// One rendered message, ready to be written or sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutMessage {
    pub key: MessageKey,
    pub to_name: String,
    pub to_email: String,
    /// `Name <addr>` as in `[mail] from` of os2gov.toml.
    pub from: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// The language the message is written in (its `Content-Language`).
    pub lang: crate::text::Lang,
}
