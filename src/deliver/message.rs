//! One [`OutMessage`] as an RFC 5322 message: headers made safe, MIME built by lettre.

use crate::deliver::outbox::{Attachment, MessageKey, OutMessage};
use crate::error::{Error, Result};
use crate::model::value::email_is_valid;
use crate::text::t;
use chrono::{DateTime, FixedOffset};
use lettre::Address;
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use sha2::{Digest, Sha256};

/// A tag unique to one delivery attempt: one run writing or sending a message. Some
/// providers silently drop a message whose Message-ID they have seen, so a deliberate
/// `--resend` (or corrected content sent again) must not reuse an ID; within one run the
/// same message keeps its ID through retries, so a server that got it twice can tell.
pub fn attempt_tag() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = Sha256::new();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    // Randomly keyed per process by the standard library.
    let mut random = std::collections::hash_map::RandomState::new().build_hasher();
    random.write_u64(nanos as u64);
    hasher.update(random.finish().to_le_bytes());
    hex::encode(&hasher.finalize()[..6])
}

/// A Message-ID: the message's key (period, kind, a hash of recipient, project, meeting and
/// content, for people tracing a mail) and the delivery attempt's tag, which makes it
/// unique. Dedupe never relies on it: the ledger keys on [`MessageKey`]. Only characters
/// allowed in a msg-id are used.
pub fn message_id(key: &MessageKey, domain: &str, attempt: &str) -> String {
    let key = key.normalised();
    let mut hasher = Sha256::new();
    hasher.update(key.recipient.as_bytes());
    hasher.update([0]);
    hasher.update(key.project.as_deref().unwrap_or("").as_bytes());
    hasher.update([0]);
    hasher.update(key.meeting.map(|d| d.to_string()).unwrap_or_default().as_bytes());
    if let Some(content) = &key.content {
        hasher.update([0]);
        hasher.update(content.as_bytes());
    }
    let hash = hex::encode(&hasher.finalize()[..8]);
    let period: String = key.period.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    let period = if period.is_empty() { "x".to_string() } else { period };
    let domain: String =
        domain.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.').collect::<String>();
    let domain = domain.trim_matches('.');
    let domain = if domain.is_empty() { "os2gov.invalid" } else { domain };
    let attempt: String = attempt.chars().filter(|c| c.is_ascii_alphanumeric()).take(32).collect();
    let attempt = if attempt.is_empty() { "0".to_string() } else { attempt };
    format!("<os2gov.{period}.{}.{hash}.{attempt}@{domain}>", key.kind.as_str())
}

/// Text that goes into a header: every control character (CR, LF, TAB, NUL, Unicode line
/// separators …) becomes a space, runs of white space collapse to one, ends trimmed. No
/// header can be injected through it.
pub(crate) fn header_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_control() || c.is_whitespace() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// An attachment's file name as the recipient sees it: header-safe, no path, no quotes.
pub(crate) fn attachment_name(s: &str) -> String {
    let name = header_text(s);
    let name: String = name.chars().map(|c| if matches!(c, '/' | '\\' | '"') { '_' } else { c }).collect();
    let name = name.trim_matches(|c: char| c == '.' || c == ' ').to_string();
    if name.is_empty() { "bilag".to_string() } else { name }
}

/// Parses a recipient's e-mail address, with an error naming it. The address must pass
/// the same validator as the checks ([`email_is_valid`]), so delivery refuses exactly what
/// a check reports.
pub(crate) fn parse_address(raw: &str, what: &str) -> Result<Address> {
    let clean = header_text(raw);
    let unusable = |why: String| Error::Mail {
        message: t!(
            "E-mail-adressen '{clean}' ({what}) kan ikke bruges: {why}. Ret den og kør igen.",
            "The e-mail address '{clean}' ({what}) cannot be used: {why}. Correct it and run again."
        ),
    };
    let address = clean.parse::<Address>().map_err(|e| unusable(e.to_string()))?;
    if !email_is_valid(&clean) {
        return Err(unusable("invalid address".to_string()));
    }
    Ok(address)
}

/// The `From` mailbox of a message (`Name <addr>` or a bare address).
pub(crate) fn parse_from(raw: &str) -> Result<Mailbox> {
    let clean = header_text(raw);
    // `Name <addr>` split by hand, so any display name works (lettre quotes or encodes it).
    let split = clean.strip_suffix('>').and_then(|s| s.rsplit_once('<'));
    let parsed = match split {
        Some((name, addr)) => addr.trim().parse::<Address>().map(|a| {
            let name = name.trim().trim_matches('"').trim();
            Mailbox::new(if name.is_empty() { None } else { Some(name.to_string()) }, a)
        }),
        None => clean.parse::<Address>().map(|a| Mailbox::new(None, a)),
    };
    parsed.map_err(|e| Error::Mail {
        message: t!(
            "Afsenderen '{clean}' ([mail] from i os2gov.toml) kan ikke bruges: {e}. Skriv fx \
             from = \"OS2-sekretariatet <sekretariat@os2.dk>\".",
            "The sender '{clean}' ([mail] from in os2gov.toml) cannot be used: {e}. Write e.g. \
             from = \"OS2-sekretariatet <sekretariat@os2.dk>\"."
        ),
    })
}

/// The recipient mailbox (display name made header-safe).
pub(crate) fn recipient(msg: &OutMessage) -> Result<Mailbox> {
    let address = parse_address(&msg.to_email, &header_text(&msg.to_name))?;
    let name = header_text(&msg.to_name);
    Ok(Mailbox::new(if name.is_empty() { None } else { Some(name) }, address))
}

/// The file name in plain ASCII, for mail programs that do not read RFC 2231's
/// `filename*` (older Outlook): Danish letters spelled out (`ø` → `oe`), anything else
/// outside printable ASCII, quotes and backslashes as `_`.
pub(crate) fn ascii_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if let Some(ascii) = crate::text::ascii_letters(c) {
            out.push_str(ascii);
            continue;
        }
        match c {
            '"' | '\\' => out.push('_'),
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            _ => out.push('_'),
        }
    }
    out
}

/// RFC 5987's attr-char: letters, digits and ``!#$&+-.^_`|~``; everything else is encoded.
const NOT_ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// RFC 2231 (RFC 5987) percent-encoding of UTF-8 text: everything but attr-chars.
fn ext_value(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, NOT_ATTR_CHAR).to_string()
}

/// `Content-Disposition: attachment` with both forms of the file name: a plain ASCII
/// `filename="…"` every mail program reads, then `filename*=utf-8''…` (RFC 2231/5987) with
/// the real name, which programs that know it prefer (RFC 6266's order). lettre writes only
/// the second. The encoded name is one parameter on a line of its own, never split into
/// `filename*0*` continuations: some parsers join those onto the plain name. File names
/// os2gov attaches are at most a few hundred bytes, far below the 998-character line limit.
#[derive(Clone, Debug)]
struct Disposition(HeaderValue);

impl Disposition {
    fn attachment(name: &str) -> Disposition {
        let fallback = ascii_name(name);
        let raw = format!("attachment; filename=\"{fallback}\"");
        let value = format!("{raw};\r\n filename*=utf-8''{}", ext_value(name));
        Disposition(HeaderValue::dangerous_new_pre_encoded(
            <Self as lettre::message::header::Header>::name(),
            raw,
            value,
        ))
    }
}

impl lettre::message::header::Header for Disposition {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Disposition")
    }

    fn parse(s: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Disposition::attachment(s))
    }

    fn display(&self) -> HeaderValue {
        self.0.clone()
    }
}

fn attachment_part(a: &Attachment) -> SinglePart {
    let content_type = ContentType::parse(&header_text(&a.content_type))
        .unwrap_or_else(|_| ContentType::parse("application/octet-stream").expect("a valid MIME type"));
    SinglePart::builder()
        .header(Disposition::attachment(&attachment_name(&a.filename)))
        .header(content_type)
        .body(a.body())
}

fn content_hash(msg: &OutMessage, id: &str) -> String {
    let mut hasher = Sha256::new();
    for part in [id, &msg.to_name, &msg.to_email, &msg.from, &msg.subject, &msg.text, &msg.html] {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    // An attachment by its own sha256, hashed once however many messages carry it (the
    // digest's portfolio goes to every board member).
    for a in &msg.attachments {
        for part in [a.filename.as_bytes(), a.content_type.as_bytes(), &a.sha256()[..]] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
    }
    hex::encode(&hasher.finalize()[..12])
}

/// The Message-ID of one delivery attempt of `msg` (see [`attempt_tag`]).
pub(crate) fn new_id(msg: &OutMessage, attempt: &str) -> Result<String> {
    let from = parse_from(&msg.from)?;
    Ok(message_id(&msg.key, from.email.domain(), attempt))
}

/// Builds the lettre message with the given Message-ID (also used by sending, which needs
/// its envelope).
pub(crate) fn build(msg: &OutMessage, date: DateTime<FixedOffset>, id: &str) -> Result<Message> {
    let from = parse_from(&msg.from)?;
    let to = recipient(msg)?;
    let id = id.to_string();
    // Boundaries from a hash of the content, so the same message gives the same bytes.
    // `=_` never occurs in quoted-printable or base64 text.
    let tag = content_hash(msg, &id);
    let alternative = MultiPart::alternative()
        .boundary(format!("=_os2gov_alt_{tag}"))
        .singlepart(SinglePart::plain(msg.text.clone()))
        .singlepart(SinglePart::html(msg.html.clone()));
    let mut body = MultiPart::mixed().boundary(format!("=_os2gov_mixed_{tag}")).multipart(alternative);
    for a in &msg.attachments {
        body = body.singlepart(attachment_part(a));
    }
    let mut message = Message::builder()
        .from(from)
        .to(to)
        .subject(header_text(&msg.subject))
        .date(std::time::SystemTime::from(date))
        .message_id(Some(id))
        .multipart(body)
        .map_err(|e| {
            let to = header_text(&msg.to_email);
            Error::Mail {
                message: t!(
                    "Beskeden til {to} kunne ikke opbygges: {e}",
                    "The message to {to} could not be built: {e}"
                ),
            }
        })?;
    // lettre writes dates in UTC; the users read Danish local time, so keep the offset given.
    let headers = message.headers_mut();
    headers.insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("Date"), date.to_rfc2822()));
    // Sent by a program (RFC 3834): out-of-office and other automatic replies stay away –
    // about thirty lead mails a month would otherwise bring thirty autoreplies back.
    headers.insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("Auto-Submitted"), "auto-generated".into()));
    // Exchange and Outlook's own switch for the same (out-of-office, read receipts …).
    headers.insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("X-Auto-Response-Suppress"), "All".into()));
    headers
        .insert_raw(HeaderValue::new(HeaderName::new_from_ascii_str("Content-Language"), msg.lang.code().to_string()));
    Ok(message)
}

/// A complete RFC 5322 message: From, To, Subject (encoded-words for æøå), Date,
/// Message-ID (new for each call: each written message is a delivery attempt of its own),
/// `Auto-Submitted: auto-generated`, `X-Auto-Response-Suppress: All`, `Content-Language`,
/// `multipart/mixed` with `multipart/alternative` (text, then HTML) and the attachments.
/// Control characters never reach a header; an address that does not parse is an error
/// naming it.
pub fn to_eml(msg: &OutMessage, date: DateTime<FixedOffset>) -> Result<Vec<u8>> {
    to_eml_with_id(msg, date, &new_id(msg, &attempt_tag())?)
}

/// As [`to_eml`], with a given Message-ID: the same message and ID give the same bytes.
pub fn to_eml_with_id(msg: &OutMessage, date: DateTime<FixedOffset>, id: &str) -> Result<Vec<u8>> {
    Ok(build(msg, date, id)?.formatted())
}
