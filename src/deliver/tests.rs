//! Delivery tests: message building, files, ledger, and sending against real SMTP servers
//! on 127.0.0.1 (see `test_server`), including STARTTLS and implicit TLS with a test CA.

use super::smtp::{Connector, Retry, send_all_with};
use super::test_server::{Behaviour, TestServer, test_pki};
use crate::config::settings::{Security, Smtp};
use crate::deliver::files::write_files;
use crate::deliver::ledger::*;
use crate::deliver::message::*;
use crate::deliver::outbox::*;
use crate::deliver::smtp::*;
use crate::error::Error;
use crate::text::{Lang, Text};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use mail_parser::{MessageParser, MimeHeaders};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const FAST: Retry = Retry { attempts: 3, base_delay: Duration::from_millis(10) };

fn date() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(3600).unwrap().with_ymd_and_hms(2026, 11, 26, 9, 30, 0).unwrap()
}

fn xlsx_bytes() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Oversigt").unwrap();
    ws.write_string(0, 0, "Projekt").unwrap();
    ws.write_string(1, 0, "OS2skadesøkonomi").unwrap();
    ws.write_number(1, 1, 42.5).unwrap();
    wb.save_to_buffer().unwrap()
}

fn key(recipient: &str, kind: Kind, project: Option<&str>) -> MessageKey {
    MessageKey {
        period: "2026-11".to_string(),
        meeting: NaiveDate::from_ymd_opt(2026, 12, 10),
        recipient: recipient.to_lowercase(),
        kind,
        project: project.map(str::to_string),
        content: None,
    }
}

fn message(email: &str, name: &str, attachment: Option<Arc<Vec<u8>>>) -> OutMessage {
    OutMessage {
        key: key(email, Kind::Digest, None),
        to_name: name.to_string(),
        to_email: email.to_string(),
        from: "OS2-sekretariatet <sekretariat@os2.example>".to_string(),
        lang: crate::text::Lang::Da,
        subject: "Overblik til bestyrelsesmødet 10. december 2026 – æøå ÆØÅ".to_string(),
        html: format!("<html><body><p>Kære {name}</p><p>Blåbærgrød &amp; rødgrød</p></body></html>"),
        text: format!("Kære {name}\n\nBlåbærgrød & rødgrød\n.\n..linje med punktum\n"),
        attachments: attachment
            .map(|bytes| {
                vec![Attachment {
                    filename: "OS2skadesøkonomi.xlsx".to_string(),
                    content_type: XLSX.to_string(),
                    bytes,
                    shared: Default::default(),
                }]
            })
            .unwrap_or_default(),
    }
}

fn batch(n: usize) -> Vec<OutMessage> {
    let bytes = Arc::new(xlsx_bytes());
    (1..=n)
        .map(|i| message(&format!("modtager{i}@kommune.example"), &format!("Modtager Ølund {i}"), Some(bytes.clone())))
        .collect()
}

fn local(port: u16) -> Smtp {
    Smtp {
        host: "127.0.0.1".to_string(),
        port,
        security: Security::None,
        username: String::new(),
        timeout_s: 5,
        ca_file: None,
    }
}

struct Run {
    result: Result<SendReport, Error>,
    log: Vec<Text>,
}

fn send(smtp: &Smtp, password: Option<&str>, messages: &[OutMessage], ledger: &mut Ledger, resend: bool) -> Run {
    let mut log = Vec::new();
    let result = send_all_with(
        smtp,
        password,
        messages,
        ledger,
        resend,
        date(),
        &mut |t: &Text| log.push(t.clone()),
        &|| false,
        FAST,
    )
    .map_err(|f| f.error);
    Run { result, log }
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn ledger_in(dir: &Path) -> (PathBuf, Ledger) {
    let path = dir.join("ud").join("sendt.jsonl");
    let ledger = Ledger::load(&path).unwrap();
    (path, ledger)
}

fn err_text(e: &Error) -> String {
    format!("{}\n{}\n{e:?}", e.render(Lang::Da), e.render(Lang::En))
}

/// The header section of a raw message, unfolded, as (name, value) pairs.
fn header_lines(raw: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(raw);
    let head = text.split("\r\n\r\n").next().unwrap();
    let mut out: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            out.last_mut().unwrap().1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').expect("a header line has a colon");
            out.push((name.to_string(), value.trim().to_string()));
        }
    }
    out
}

// ---------------------------------------------------------------- messages

/// Every file name an attachment's Content-Disposition gives, in order: the plain
/// `filename` first, then the RFC 2231 `filename*` as the parser decoded it (mail-parser
/// reads both; a mail program that knows RFC 2231 uses the second).
fn file_names(part: &mail_parser::MessagePart<'_>) -> Vec<String> {
    part.content_disposition()
        .and_then(|d| d.attributes())
        .map(|attrs| attrs.iter().filter(|a| a.name == "filename").map(|a| a.value.to_string()).collect())
        .unwrap_or_default()
}

/// The name a mail program that knows RFC 2231 shows.
fn real_name(part: &mail_parser::MessagePart<'_>) -> Option<String> {
    file_names(part).pop()
}

#[test]
fn message_id_is_stable_within_an_attempt_and_distinguishes_keys() {
    let k = key("Anna@Kommune.example", Kind::Digest, None);
    let id = message_id(&k, "os2.example", "t1");
    assert_eq!(id, message_id(&k, "os2.example", "t1"));
    assert_eq!(id, message_id(&key("anna@kommune.example", Kind::Digest, None), "os2.example", "t1"));
    assert!(id.starts_with("<os2gov.2026-11.digest.") && id.ends_with(".t1@os2.example>"), "{id}");
    // Another delivery attempt of the same message: another ID.
    assert_ne!(id, message_id(&k, "os2.example", "t2"));
    assert_ne!(attempt_tag(), attempt_tag());
    assert_ne!(id, message_id(&key("bo@kommune.example", Kind::Digest, None), "os2.example", "t1"));
    assert_ne!(id, message_id(&key("anna@kommune.example", Kind::ProjectLead, None), "os2.example", "t1"));
    let lead = message_id(&key("anna@kommune.example", Kind::ProjectLead, Some("P-1")), "os2.example", "t1");
    assert_ne!(lead, message_id(&key("anna@kommune.example", Kind::ProjectLead, Some("P-2")), "os2.example", "t1"));
    let mut other = k.clone();
    other.period = "2026-12".into();
    assert_ne!(id, message_id(&other, "os2.example", "t1"));
    // Nothing from user text can break the header.
    let mut evil = k.clone();
    evil.period = "2026>\r\nBcc: x@y".into();
    let id = message_id(&evil, "os2.example>\r\nX: y", "t1>\r\nZ: w");
    assert!(id.chars().all(|c| c.is_ascii_graphic()), "{id}");
    assert_eq!(id.matches('<').count(), 1);
    assert_eq!(id.matches('>').count(), 1);
}

#[test]
fn eml_has_headers_parts_and_attachment() {
    let bytes = Arc::new(xlsx_bytes());
    let msg = message("anna@kommune.example", "Anna Ærø-Åsen", Some(bytes.clone()));
    let id = message_id(&msg.key, "os2.example", "t1");
    let eml = to_eml_with_id(&msg, date(), &id).unwrap();
    assert!(eml.is_ascii(), "the message is 7-bit clean");
    let parsed = MessageParser::default().parse(&eml[..]).unwrap();
    assert_eq!(parsed.subject(), Some(msg.subject.as_str()));
    let from = parsed.from().and_then(|f| f.first()).unwrap();
    assert_eq!((from.name(), from.address()), (Some("OS2-sekretariatet"), Some("sekretariat@os2.example")));
    let to = parsed.to().and_then(|f| f.first()).unwrap();
    assert_eq!((to.name(), to.address()), (Some("Anna Ærø-Åsen"), Some("anna@kommune.example")));
    assert_eq!(parsed.date().unwrap().to_rfc3339(), "2026-11-26T09:30:00+01:00");
    assert_eq!(parsed.message_id(), Some(id.trim_matches(|c| c == '<' || c == '>')));
    assert_eq!(parsed.body_text(0).unwrap().replace("\r\n", "\n"), msg.text);
    assert_eq!(parsed.body_html(0).unwrap().replace("\r\n", "\n"), msg.html);
    let att: Vec<_> = parsed.attachments().collect();
    assert_eq!(att.len(), 1);
    assert_eq!(file_names(att[0]), ["OS2skadesoekonomi.xlsx", "OS2skadesøkonomi.xlsx"]);
    assert_eq!(att[0].contents(), bytes.as_slice());
    // Structure: mixed( alternative(plain, html), attachment ).
    let raw = String::from_utf8_lossy(&eml);
    let mixed = raw.find("multipart/mixed").unwrap();
    let alt = raw.find("multipart/alternative").unwrap();
    let plain = raw.find("text/plain; charset=utf-8").unwrap();
    let html = raw.find("text/html; charset=utf-8").unwrap();
    assert!(mixed < alt && alt < plain && plain < html, "{raw}");
    // The same input and ID give the same bytes (boundaries come from the content).
    assert_eq!(eml, to_eml_with_id(&msg, date(), &id).unwrap());
    let mut other = msg.clone();
    other.text.push('!');
    assert_ne!(eml, to_eml_with_id(&other, date(), &id).unwrap());
}

/// An attachment many messages carry is hashed and encoded once (`Shared::for_many`), and
/// each message is then byte for byte what it is with its own unshared attachment – for the
/// first message and for those that reuse the kept work. The near miss: another attachment
/// (one byte more) gives other boundaries and another body, shared or not.
#[test]
fn a_shared_attachment_gives_the_same_message_as_an_unshared_one() {
    let bytes = Arc::new(xlsx_bytes());
    let shared = Shared::for_many();
    let with = |to: &str, shared: &Shared, bytes: &Arc<Vec<u8>>| {
        let mut msg = message(to, "Anna", Some(bytes.clone()));
        msg.attachments[0].shared = shared.clone();
        let id = message_id(&msg.key, "os2.example", "t1");
        to_eml_with_id(&msg, date(), &id).unwrap()
    };
    for to in ["anna@kommune.example", "bo@kommune.example", "anna@kommune.example"] {
        assert_eq!(with(to, &shared, &bytes), with(to, &Shared::default(), &bytes), "{to}");
    }
    let mut longer = xlsx_bytes();
    longer.push(0);
    let longer = Arc::new(longer);
    let (a, b) = (
        with("anna@kommune.example", &Shared::default(), &bytes),
        with("anna@kommune.example", &Shared::default(), &longer),
    );
    assert_ne!(a, b);
    let boundary = |eml: &[u8]| {
        let raw = String::from_utf8_lossy(eml).to_string();
        let at = raw.find("=_os2gov_mixed_").unwrap();
        raw[at..at + 39].to_string()
    };
    assert_ne!(boundary(&a), boundary(&b));
    assert_eq!(with("anna@kommune.example", &Shared::for_many(), &longer), b);
}

#[test]
fn each_written_message_is_an_attempt_with_its_own_message_id() {
    let msg = message("anna@kommune.example", "Anna", Some(Arc::new(xlsx_bytes())));
    let ids: Vec<String> = (0..3)
        .map(|_| {
            let eml = to_eml(&msg, date()).unwrap();
            MessageParser::default().parse(&eml[..]).unwrap().message_id().unwrap().to_string()
        })
        .collect();
    assert!(ids.iter().all(|id| id.starts_with("os2gov.2026-11.digest.") && id.ends_with("@os2.example")), "{ids:?}");
    assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2], "{ids:?}");
}

#[test]
fn attachment_names_have_a_plain_ascii_fallback_beside_the_rfc_2231_name() {
    let mut msg = message("anna@kommune.example", "Anna", Some(Arc::new(vec![1, 2, 3])));
    let raw = |msg: &OutMessage| String::from_utf8(to_eml(msg, date()).unwrap()).unwrap();
    let disposition = |raw: &str| {
        let start = raw.find("Content-Disposition: attachment").unwrap();
        let end = start + raw[start..].find("\r\n\r\n").unwrap();
        raw[start..end].to_string()
    };
    // Danish letters: both forms, the fallback spelled out.
    let eml = raw(&msg);
    let header = disposition(&eml);
    assert!(header.contains(r#"filename="OS2skadesoekonomi.xlsx""#), "{header}");
    assert!(header.contains("filename*=utf-8''OS2skades%C3%B8konomi.xlsx"), "{header}");
    let parsed = MessageParser::default().parse(eml.as_bytes()).unwrap();
    let att = parsed.attachments().next().unwrap();
    assert_eq!(
        file_names(att),
        ["OS2skadesoekonomi.xlsx", "OS2skadesøkonomi.xlsx"],
        "the fallback, then the real name"
    );
    assert_eq!(att.contents(), [1, 2, 3]);
    // A long name (200 bytes, the most an output name has) stays one parameter within the
    // line limit, and is read whole.
    let long = format!("{}-æøå-{}.xlsx", "Projekt".repeat(12), "Ø".repeat(50));
    msg.attachments[0].filename = long.clone();
    let eml = raw(&msg);
    let header = disposition(&eml);
    assert!(!header.contains("filename*0"), "{header}");
    assert!(header.lines().all(|l| l.len() <= 998), "{header}");
    let parsed = MessageParser::default().parse(eml.as_bytes()).unwrap();
    let names = file_names(parsed.attachments().next().unwrap());
    assert_eq!(names.last(), Some(&long));
    assert!(names[0].is_ascii() && names[0].contains("-aeoeaa-"), "{names:?}");
    // A plain name needs no second form to differ: both say the same.
    msg.attachments[0].filename = "portefoelje-2026-11.xlsx".into();
    let header = disposition(&raw(&msg));
    assert!(header.contains(r#"filename="portefoelje-2026-11.xlsx""#), "{header}");
    assert!(header.contains("filename*=utf-8''portefoelje-2026-11.xlsx"), "{header}");
}

#[test]
fn automatic_mail_says_so_and_its_language() {
    for (lang, code) in [(crate::text::Lang::Da, "da"), (crate::text::Lang::En, "en")] {
        let mut msg = message("anna@kommune.example", "Anna", None);
        msg.lang = lang;
        let eml = to_eml(&msg, date()).unwrap();
        let parsed = MessageParser::default().parse(&eml[..]).unwrap();
        let header = |name: &str| {
            parsed.headers().iter().find(|h| h.name().eq_ignore_ascii_case(name)).and_then(|h| match h.value() {
                mail_parser::HeaderValue::Text(t) => Some(t.to_string()),
                mail_parser::HeaderValue::TextList(l) => Some(l.join(",")),
                _ => None,
            })
        };
        assert_eq!(header("Auto-Submitted").as_deref(), Some("auto-generated"));
        assert_eq!(header("X-Auto-Response-Suppress").as_deref(), Some("All"));
        assert_eq!(header("Content-Language").as_deref(), Some(code));
        // Once each: Outlook and Exchange read the first.
        let raw = String::from_utf8_lossy(&eml);
        assert_eq!(raw.matches("\r\nAuto-Submitted:").count(), 1, "{raw}");
    }
}

#[test]
fn header_injection_is_impossible() {
    let mut msg = message("anna@kommune.example", "Anna\r\nBcc: evil@x.example", Some(Arc::new(vec![1, 2, 3])));
    msg.subject = "Hej\r\nBcc: evil@x.example\nX-Evil: 1\u{2028}Y-Evil: 2".to_string();
    msg.attachments[0].filename = "rapport\r\nBcc: evil@x.example\r\n\r\n.xlsx".to_string();
    msg.attachments[0].content_type = "text/plain\r\nBcc: evil@x.example".to_string();
    msg.from = "Sekretariat\r\nBcc: evil@x.example <sekretariat@os2.example>".to_string();
    // Bodies are not headers; keep them free of the payload so the raw check below is strict.
    msg.text = "Hej".to_string();
    msg.html = "<p>Hej</p>".to_string();
    let eml = to_eml(&msg, date()).unwrap();
    let headers = header_lines(&eml);
    let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    for name in &names {
        assert!(
            [
                "From",
                "To",
                "Subject",
                "Date",
                "Message-ID",
                "MIME-Version",
                "Content-Type",
                "Auto-Submitted",
                "X-Auto-Response-Suppress",
                "Content-Language"
            ]
            .contains(name),
            "unexpected header {name}: {names:?}"
        );
    }
    let raw = String::from_utf8_lossy(&eml);
    assert!(!raw.lines().any(|l| l.to_ascii_lowercase().starts_with("bcc:")), "{raw}");
    assert!(!raw.contains("\nX-Evil") && !raw.contains("\nY-Evil"), "{raw}");
    let parsed = MessageParser::default().parse(&eml[..]).unwrap();
    assert!(parsed.headers().iter().all(|h| !h.name().eq_ignore_ascii_case("bcc")));
    assert_eq!(parsed.subject(), Some("Hej Bcc: evil@x.example X-Evil: 1 Y-Evil: 2"));
    let to = parsed.to().unwrap();
    assert_eq!(to.iter().count(), 1);
    assert_eq!(to.first().unwrap().address(), Some("anna@kommune.example"));
    let att: Vec<_> = parsed.attachments().collect();
    assert_eq!(att.len(), 1);
    assert_eq!(real_name(att[0]).as_deref(), Some("rapport Bcc: evil@x.example .xlsx"));
    assert_eq!(att[0].contents(), &[1, 2, 3]);
    // A part's headers cannot be injected either.
    for part in &parsed.parts {
        assert!(part.headers().iter().all(|h| !h.name().eq_ignore_ascii_case("bcc")));
    }
}

#[test]
fn bad_addresses_are_errors_naming_them() {
    for bad in ["ikke-en-adresse", "a@", "anna@kommune.example\r\nBcc: x@y", ""] {
        let msg = message(bad, "Anna", None);
        match to_eml(&msg, date()) {
            Err(e @ Error::Mail { .. }) => {
                let text = e.render(Lang::Da);
                assert!(text.contains("E-mail-adressen"), "{text}");
                if !bad.is_empty() {
                    assert!(text.contains(bad.lines().next().unwrap().trim()), "{text}");
                }
            }
            Err(e) => panic!("wrong error {e:?}"),
            // CR/LF become a space, so "addr Bcc: x@y" must not parse as an address either.
            Ok(eml) => panic!("{bad:?} gave a message: {}", String::from_utf8_lossy(&eml)),
        }
    }
    let mut msg = message("anna@kommune.example", "Anna", None);
    msg.from = "Sekretariatet uden adresse".to_string();
    let e = to_eml(&msg, date()).unwrap_err();
    assert!(e.render(Lang::En).contains("[mail] from"), "{e}");
}

// ---------------------------------------------------------------- files

#[test]
fn files_have_safe_deterministic_names() {
    let dir = tmp();
    let post = dir.path().join("post");
    let mut messages = batch(2);
    messages[1].key = key("Bo.Ørsted@kommune.example", Kind::ProjectLead, Some("../../etc/passwd"));
    messages.push(message("ærlig+tag@kommune.example", "Ærlig", None));
    let written = write_files(&post, &messages, date(), crate::sys::fs::Mode::Atomic).unwrap();
    let names: Vec<String> = written.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "001-digest-modtager1_kommune.example.eml",
            "001-digest-modtager1_kommune.example.html",
            "002-project_lead-etc_passwd.eml",
            "002-project_lead-etc_passwd.html",
            "003-digest-aerlig_tag_kommune.example.eml",
            "003-digest-aerlig_tag_kommune.example.html",
        ]
    );
    for p in &written {
        assert_eq!(p.parent().unwrap(), post);
        assert!(
            p.file_name().unwrap().to_string_lossy().chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        );
    }
    assert_eq!(std::fs::read_to_string(&written[1]).unwrap(), messages[0].html);
    let eml = std::fs::read(&written[0]).unwrap();
    let parsed = MessageParser::default().parse(&eml[..]).unwrap();
    assert_eq!(parsed.subject(), Some(messages[0].subject.as_str()));
    // Only the files named above, no temporary leftovers.
    assert_eq!(std::fs::read_dir(&post).unwrap().count(), 6);
    // Same input, same names and previews; the messages differ only in their Message-ID
    // (each writing is a delivery attempt of its own).
    let before: Vec<Vec<u8>> = written.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let again = write_files(&post, &messages, date(), crate::sys::fs::Mode::Atomic).unwrap();
    assert_eq!(again, written);
    let after: Vec<Vec<u8>> = again.iter().map(|p| std::fs::read(p).unwrap()).collect();
    for (i, (a, b)) in before.iter().zip(&after).enumerate() {
        if i % 2 == 1 {
            assert_eq!(a, b, "the .html preview");
            continue;
        }
        let (a, b) = (MessageParser::default().parse(&a[..]).unwrap(), MessageParser::default().parse(&b[..]).unwrap());
        assert_ne!(a.message_id(), b.message_id());
        assert_eq!((a.subject(), a.body_text(0)), (b.subject(), b.body_text(0)));
    }
}

#[test]
fn a_bad_address_writes_no_file() {
    let dir = tmp();
    let mut messages = batch(2);
    messages[1].to_email = "not an address".into();
    assert!(write_files(dir.path(), &messages, date(), crate::sys::fs::Mode::Atomic).is_err());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

// ---------------------------------------------------------------- ledger

#[test]
fn ledger_round_trip_and_corrupt_lines() {
    let dir = tmp();
    let (path, mut ledger) = ledger_in(dir.path());
    assert!(ledger.is_empty() && ledger.warnings().is_empty());
    let k1 = key("anna@kommune.example", Kind::Digest, None);
    let k2 = key("bo@kommune.example", Kind::ProjectLead, Some("P-1"));
    ledger.record(&k1, "<id1@x>", date()).unwrap();
    assert!(ledger.contains(&k1) && !ledger.contains(&k2));
    let mut upper = k1.clone();
    upper.recipient = "ANNA@Kommune.Example".into();
    assert!(ledger.contains(&upper), "recipients compare case-insensitively");

    let text = std::fs::read_to_string(&path).unwrap();
    let line: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(
        line,
        serde_json::json!({"period": "2026-11", "meeting": "2026-12-10", "recipient": "anna@kommune.example",
            "kind": "digest", "project": null, "state": "sent", "message_id": "<id1@x>",
            "sent_at": "2026-11-26T09:30:00+01:00"})
    );

    // A garbage line and a torn last line (killed mid-write) are skipped with warnings.
    std::fs::write(&path, format!("{text}this is not json\n{{\"period\":\"2026-11\",\"meet")).unwrap();
    let mut ledger = Ledger::load(&path).unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger.warnings().len(), 2);
    assert!(ledger.warnings()[0].get(Lang::Da).contains("Linje 2"), "{:?}", ledger.warnings());
    // Appending after a torn line starts on a fresh line, so the new entry is readable.
    ledger.record(&k2, "<id2@x>", date()).unwrap();
    let ledger = Ledger::load(&path).unwrap();
    assert!(ledger.contains(&k1) && ledger.contains(&k2));
    assert_eq!(ledger.warnings().len(), 2);
}

// ---------------------------------------------------------------- SMTP

#[test]
fn sends_three_messages_that_arrive_intact() {
    let server = TestServer::start(Behaviour::default());
    let dir = tmp();
    let (_, mut ledger) = ledger_in(dir.path());
    let messages = batch(3);
    let run = send(&local(server.port), None, &messages, &mut ledger, false);
    let report = run.result.unwrap();
    assert_eq!(report.sent.len(), 3);
    assert!(report.refused.is_empty() && report.skipped_already_sent.is_empty() && report.deferred.is_empty());
    assert_eq!(server.connections(), 1, "one connection for the batch");
    assert_eq!(run.log.iter().filter(|t| t.get(Lang::En).starts_with("Sent to")).count(), 3);

    let received = server.messages();
    assert_eq!(received.len(), 3);
    for (i, (got, msg)) in received.iter().zip(&messages).enumerate() {
        assert_eq!(got.to, std::slice::from_ref(&msg.to_email));
        assert_eq!(got.from, "sekretariat@os2.example");
        let parsed = MessageParser::default().parse(&got.data[..]).unwrap();
        assert_eq!(parsed.subject(), Some(msg.subject.as_str()));
        assert_eq!(parsed.to().unwrap().first().unwrap().name(), Some(msg.to_name.as_str()));
        assert_eq!(parsed.body_text(0).unwrap().replace("\r\n", "\n"), msg.text, "dot-stuffing survives");
        assert_eq!(parsed.body_html(0).unwrap().replace("\r\n", "\n"), msg.html);
        assert_eq!(parsed.message_id().map(|s| format!("<{s}>")), Some(report.sent[i].message_id.clone()));
        let att = parsed.attachments().next().unwrap();
        assert_eq!(real_name(att).as_deref(), Some("OS2skadesøkonomi.xlsx"));
        let bytes = att.contents().to_vec();
        assert_eq!(bytes, *msg.attachments[0].bytes, "the attachment arrives byte for byte");
        use calamine::Reader;
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = wb.worksheet_range("Oversigt").unwrap();
        assert_eq!(range.get_value((1, 0)), Some(&calamine::Data::String("OS2skadesøkonomi".into())));
    }
    assert_eq!(ledger.len(), 3);
    assert_eq!(Ledger::load(ledger.path()).unwrap().len(), 3, "the ledger is on disk");
}

#[test]
fn rerun_sends_nothing_and_resend_sends_again() {
    let server = TestServer::start(Behaviour::default());
    let dir = tmp();
    let (path, mut ledger) = ledger_in(dir.path());
    let messages = batch(3);
    send(&local(server.port), None, &messages, &mut ledger, false).result.unwrap();

    let mut ledger = Ledger::load(&path).unwrap();
    let report = send(&local(server.port), None, &messages, &mut ledger, false).result.unwrap();
    assert!(report.sent.is_empty());
    assert_eq!(report.skipped_already_sent.len(), 3);
    assert_eq!(server.messages().len(), 3);
    assert_eq!(server.connections(), 1, "nothing to send, no connection");

    let report = send(&local(server.port), None, &messages, &mut ledger, true).result.unwrap();
    assert_eq!(report.sent.len(), 3);
    assert_eq!(server.messages().len(), 6);
    assert_eq!(Ledger::load(&path).unwrap().len(), 6, "a resend is recorded too");
}

#[test]
fn a_dropped_connection_keeps_what_was_sent_and_a_rerun_sends_the_rest() {
    let flaky = TestServer::start(Behaviour { drop_after: Some(2), ..Behaviour::default() });
    let dir = tmp();
    let (path, mut ledger) = ledger_in(dir.path());
    let messages = batch(5);
    let run = send(&local(flaky.port), None, &messages, &mut ledger, false);
    let e = run.result.unwrap_err();
    let text = err_text(&e);
    assert!(text.contains("2 af 5 beskeder blev sendt"), "{text}");
    assert!(text.contains(&format!("127.0.0.1:{}", flaky.port)), "{text}");
    assert!(run.log.iter().any(|t| t.get(Lang::En).contains("trying again")), "retried: {:?}", run.log);
    assert_eq!(flaky.messages().len(), 2);
    assert_eq!(flaky.connections(), 3, "the first connection and two retries");
    assert_eq!(Ledger::load(&path).unwrap().len(), 2);

    let healthy = TestServer::start(Behaviour::default());
    let mut ledger = Ledger::load(&path).unwrap();
    let report = send(&local(healthy.port), None, &messages, &mut ledger, false).result.unwrap();
    assert_eq!(report.sent.len(), 3);
    assert_eq!(report.skipped_already_sent.len(), 2);
    let got: Vec<String> = healthy.messages().iter().map(|m| m.to[0].clone()).collect();
    assert_eq!(got, ["modtager3@kommune.example", "modtager4@kommune.example", "modtager5@kommune.example"]);
    assert_eq!(Ledger::load(&path).unwrap().len(), 5);
}

#[test]
fn a_permanent_refusal_is_reported_not_retried_and_the_others_go_out() {
    let server =
        TestServer::start(Behaviour { refuse_rcpt: vec!["modtager2@kommune.example".into()], ..Behaviour::default() });
    let dir = tmp();
    let (_, mut ledger) = ledger_in(dir.path());
    let messages = batch(3);
    let report = send(&local(server.port), None, &messages, &mut ledger, false).result.unwrap();
    assert_eq!(report.sent.len(), 2);
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].0, messages[1].key);
    assert_eq!(report.refused[0].1.get(Lang::En), "550 5.1.1 mailbox unavailable");
    assert_eq!(server.rcpt_attempts("modtager2@kommune.example"), 1, "no retry on 5xx");
    assert_eq!(server.connections(), 1, "RSET keeps the connection");
    let got: Vec<String> = server.messages().iter().map(|m| m.to[0].clone()).collect();
    assert_eq!(got, ["modtager1@kommune.example", "modtager3@kommune.example"]);
    assert!(!ledger.contains(&messages[1].key));
    assert_eq!(ledger.len(), 2);
}

#[test]
fn a_temporary_refusal_is_retried() {
    let server = TestServer::start(Behaviour {
        transient_rcpt_once: vec!["modtager1@kommune.example".into()],
        ..Behaviour::default()
    });
    let dir = tmp();
    let (_, mut ledger) = ledger_in(dir.path());
    let messages = batch(2);
    let run = send(&local(server.port), None, &messages, &mut ledger, false);
    let report = run.result.unwrap();
    assert_eq!(report.sent.len(), 2);
    assert!(report.deferred.is_empty() && report.refused.is_empty());
    assert_eq!(server.rcpt_attempts("modtager1@kommune.example"), 2);
    assert_eq!(server.messages().len(), 2);
    let retry = run.log.iter().find(|t| t.get(Lang::En).contains("trying again")).expect("a retry is logged");
    assert!(retry.get(Lang::En).contains("451 4.7.1 try again later"), "{retry:?}");
    assert!(retry.get(Lang::Da).contains("prøver igen"), "{retry:?}");
}

#[test]
fn a_server_that_is_down_is_a_clear_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = tmp();
    let (path, mut ledger) = ledger_in(dir.path());
    let started = Instant::now();
    let run = send(&local(port), None, &batch(2), &mut ledger, false);
    let e = run.result.unwrap_err();
    assert!(matches!(e, Error::Mail { .. }));
    let da = e.render(Lang::Da);
    let en = e.render(Lang::En);
    assert!(
        da.contains(&format!("127.0.0.1:{port}"))
            && da.contains("Intet blev sendt")
            && da.contains("Tjek host og port"),
        "{da}"
    );
    assert!(en.contains("Nothing was sent") && en.contains("Check host and port"), "{en}");
    assert!(ledger.is_empty() && !path.exists());
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn plain_smtp_is_refused_to_other_hosts_without_connecting() {
    for host in ["smtp.example.dk", "127.0.0.2", "10.0.0.1"] {
        let smtp = Smtp { host: host.into(), ..local(25) };
        let e = Connector::new(&smtp, None).unwrap_err();
        assert!(e.render(Lang::Da).contains("kun tilladt til localhost"), "{e}");
    }
    // And send_all refuses before anything else (127.0.0.2 is loopback: even a bug could not
    // send traffic off this machine). Nothing listens there, and nothing is attempted.
    let dir = tmp();
    let (_, mut ledger) = ledger_in(dir.path());
    let run = send(&Smtp { host: "127.0.0.2".into(), ..local(2525) }, None, &batch(1), &mut ledger, false);
    let e = run.result.unwrap_err();
    assert!(e.render(Lang::En).contains("only allowed to localhost"), "{e}");
    assert!(run.log.is_empty());
    for host in ["localhost", "127.0.0.1", "::1", "[::1]", "LOCALHOST"] {
        assert!(Connector::new(&Smtp { host: host.into(), ..local(25) }, None).is_ok(), "{host}");
    }
    let e = Connector::new(&Smtp { host: " ".into(), ..local(25) }, None).unwrap_err();
    assert!(e.render(Lang::En).contains("set host under [smtp]"), "{e}");
}

#[test]
fn a_username_without_password_is_a_clear_error() {
    let smtp = Smtp { username: "sekretariat".into(), ..local(25) };
    let e = Connector::new(&smtp, None).unwrap_err();
    assert!(e.render(Lang::Da).contains("OS2GOV_SMTP_PASSWORD"), "{e}");
    assert!(Connector::new(&smtp, Some("x")).is_ok());
    // Without a username the password is not used at all.
    let c = Connector::new(&local(25), Some("ignored-secret")).unwrap();
    assert!(!format!("{c:?}").contains("ignored-secret"));
}

// ---------------------------------------------------------------- TLS

fn tls_setup(dir: &Path) -> (PathBuf, Arc<rustls::ServerConfig>) {
    let (ca_pem, config) = test_pki();
    let ca_file = dir.join("test-ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();
    (ca_file, config)
}

#[test]
fn starttls_with_a_private_ca_and_login() {
    let dir = tmp();
    let (ca_file, config) = tls_setup(dir.path());
    let server = TestServer::start(Behaviour {
        tls: Some(config),
        auth: Some(("sekretariat".into(), "Hemmeligt-Kodeord-æøå".into())),
        ..Behaviour::default()
    });
    let smtp = Smtp {
        host: "localhost".into(),
        security: Security::StartTls,
        username: "sekretariat".into(),
        ca_file: Some(ca_file),
        ..local(server.port)
    };
    let (_, mut ledger) = ledger_in(dir.path());
    let report = send(&smtp, Some("Hemmeligt-Kodeord-æøå"), &batch(2), &mut ledger, false).result.unwrap();
    assert_eq!(report.sent.len(), 2);
    assert_eq!(server.messages().len(), 2);
    let state = server.state.lock().unwrap();
    assert_eq!(state.tls_sessions, 1);
    assert_eq!(state.logins, [("sekretariat".to_string(), "Hemmeligt-Kodeord-æøå".to_string())]);
}

#[test]
fn implicit_tls_with_a_private_ca() {
    let dir = tmp();
    let (ca_file, config) = tls_setup(dir.path());
    let server = TestServer::start(Behaviour { tls: Some(config), implicit_tls: true, ..Behaviour::default() });
    let smtp = Smtp { security: Security::Tls, ca_file: Some(ca_file), ..local(server.port) };
    let (_, mut ledger) = ledger_in(dir.path());
    let report = send(&smtp, None, &batch(1), &mut ledger, false).result.unwrap();
    assert_eq!(report.sent.len(), 1);
    assert_eq!(server.state.lock().unwrap().tls_sessions, 1);
}

#[test]
fn an_untrusted_certificate_stops_before_sending_and_is_not_retried() {
    let dir = tmp();
    let (_, config) = tls_setup(dir.path());
    for implicit in [false, true] {
        let server =
            TestServer::start(Behaviour { tls: Some(config.clone()), implicit_tls: implicit, ..Behaviour::default() });
        let security = if implicit { Security::Tls } else { Security::StartTls };
        let smtp = Smtp { host: "localhost".into(), security, ..local(server.port) };
        let (path, mut ledger) = ledger_in(dir.path());
        let e = send(&smtp, None, &batch(2), &mut ledger, false).result.unwrap_err();
        let text = err_text(&e);
        assert!(text.contains("TLS-forbindelsen kunne ikke etableres") && text.contains("ca_file"), "{text}");
        assert!(text.contains("Nothing was sent"), "{text}");
        assert_eq!(server.connections(), 1, "a certificate problem is not retried");
        assert!(server.messages().is_empty() && ledger.is_empty() && !path.exists());
    }
}

#[test]
fn starttls_required_but_not_offered() {
    let server = TestServer::start(Behaviour::default());
    let dir = tmp();
    let smtp = Smtp { security: Security::StartTls, ..local(server.port) };
    let (_, mut ledger) = ledger_in(dir.path());
    let e = send(&smtp, None, &batch(1), &mut ledger, false).result.unwrap_err();
    assert!(e.render(Lang::En).contains("does not offer STARTTLS"), "{e}");
    assert!(server.messages().is_empty());
    assert_eq!(server.connections(), 1);
}

#[test]
fn the_password_never_shows() {
    let secret = "S3cret-Pässwörd-42";
    let dir = tmp();
    let (ca_file, config) = tls_setup(dir.path());
    let server = TestServer::start(Behaviour {
        tls: Some(config),
        auth: Some(("sekretariat".into(), "the-right-one".into())),
        ..Behaviour::default()
    });
    let smtp = Smtp {
        host: "127.0.0.1".into(),
        security: Security::StartTls,
        username: "sekretariat".into(),
        ca_file: Some(ca_file),
        ..local(server.port)
    };
    let connector = Connector::new(&smtp, Some(secret)).unwrap();
    let debug = format!("{connector:?} {connector:#?} {smtp:?}");
    assert!(!debug.contains(secret) && debug.contains("<hidden>"), "{debug}");

    let (_, mut ledger) = ledger_in(dir.path());
    let run = send(&smtp, Some(secret), &batch(1), &mut ledger, false);
    let e = run.result.unwrap_err();
    let text = err_text(&e);
    assert!(text.contains("login som 'sekretariat' blev afvist") && text.contains("535"), "{text}");
    assert!(!text.contains(secret), "{text}");
    assert!(run.log.iter().all(|t| !t.da.contains(secret) && !t.en.contains(secret)));
    assert_eq!(server.connections(), 1, "a refused login is not retried");
    assert!(server.messages().is_empty() && ledger.is_empty());
}

#[test]
fn a_bad_ca_file_is_a_clear_error() {
    let dir = tmp();
    let bad = dir.path().join("ca.pem");
    std::fs::write(&bad, "not a certificate").unwrap();
    let smtp = Smtp { security: Security::StartTls, ca_file: Some(bad.clone()), ..local(25) };
    let e = Connector::new(&smtp, None).unwrap_err();
    assert!(e.render(Lang::En).contains("contains no certificate in PEM format"), "{e}");
    let smtp = Smtp { ca_file: Some(dir.path().join("missing.pem")), ..smtp };
    let e = Connector::new(&smtp, None).unwrap_err();
    assert!(e.render(Lang::Da).contains("missing.pem"), "{e}");
}

// ---------------------------------------------------------------- interruptions and old ledgers

fn send_until(
    smtp: &Smtp,
    messages: &[OutMessage],
    ledger: &mut Ledger,
    stop_after: usize,
) -> Result<SendReport, Box<crate::deliver::smtp::SendFailure>> {
    let sent = std::cell::Cell::new(0usize);
    let mut log = |t: &Text| {
        if t.get(Lang::En).starts_with("Sent to") {
            sent.set(sent.get() + 1);
        }
    };
    let stop = || sent.get() >= stop_after;
    send_all_with(smtp, None, messages, ledger, false, date(), &mut log, &stop, FAST)
}

#[test]
fn a_stop_request_ends_sending_between_messages_and_a_rerun_sends_the_rest() {
    let server = TestServer::start(Behaviour::default());
    let dir = tmp();
    let (path, mut ledger) = ledger_in(dir.path());
    let messages = batch(4);
    let failure = send_until(&local(server.port), &messages, &mut ledger, 2).unwrap_err();
    assert!(failure.report.stopped);
    assert_eq!(failure.report.sent.len(), 2, "the message in flight was finished, then sending stopped");
    let text = err_text(&failure.error);
    assert!(text.contains("2 af 4 beskeder er sendt") && text.contains("stoppet"), "{text}");
    assert_eq!(server.messages().len(), 2);
    let ledger = Ledger::load(&path).unwrap();
    assert_eq!(ledger.len(), 2);
    assert_eq!(ledger.unconfirmed().count(), 0, "every message handed over was recorded as sent");

    let mut ledger = Ledger::load(&path).unwrap();
    let report = send(&local(server.port), None, &messages, &mut ledger, false).result.unwrap();
    assert_eq!((report.sent.len(), report.skipped_already_sent.len()), (2, 2));
    let got: Vec<String> = server.messages().iter().map(|m| m.to[0].clone()).collect();
    assert_eq!(got.len(), 4);
    assert_eq!(got.iter().collect::<std::collections::BTreeSet<_>>().len(), 4, "nobody twice: {got:?}");
}

#[test]
fn an_intent_without_a_sent_line_is_sent_again_and_reported() {
    // A run killed between DATA and the sent line leaves only the intent.
    let server = TestServer::start(Behaviour::default());
    let dir = tmp();
    let (path, mut ledger) = ledger_in(dir.path());
    let messages = batch(3);
    ledger.record(&messages[0].key, "<a@x>", date()).unwrap();
    ledger.record_intent(&messages[1].key, "<b@x>", date()).unwrap();
    let mut ledger = Ledger::load(&path).unwrap();
    assert!(ledger.contains(&messages[0].key) && !ledger.contains(&messages[1].key));
    assert!(ledger.is_unconfirmed(&messages[1].key) && !ledger.is_unconfirmed(&messages[2].key));
    let report = send(&local(server.port), None, &messages, &mut ledger, false).result.unwrap();
    assert_eq!(report.sent.len(), 2);
    assert_eq!(report.resent_unconfirmed, vec![messages[1].key.clone()], "the one message that may be twice");
    let ledger = Ledger::load(&path).unwrap();
    assert_eq!(ledger.unconfirmed().count(), 0);
    assert_eq!(ledger.len(), 3);
    // On disk: an intent line before every sent line of this run.
    let states: Vec<String> = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["state"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(states, ["sent", "intent", "intent", "sent", "intent", "sent"]);
}

#[test]
fn a_refusal_after_the_intent_cancels_it() {
    let server =
        TestServer::start(Behaviour { refuse_rcpt: vec!["modtager2@kommune.example".into()], ..Behaviour::default() });
    let dir = tmp();
    let (path, mut ledger) = ledger_in(dir.path());
    // A refused RCPT comes before DATA: no intent at all.
    let messages = batch(2);
    send(&local(server.port), None, &messages, &mut ledger, false).result.unwrap();
    let ledger = Ledger::load(&path).unwrap();
    assert_eq!(ledger.unconfirmed().count(), 0);
    // A failed line clears an intent.
    let mut ledger = Ledger::load(&path).unwrap();
    ledger.record_intent(&messages[1].key, "<b@x>", date()).unwrap();
    ledger.record_failed(&messages[1].key, "<b@x>", date());
    assert_eq!(Ledger::load(&path).unwrap().unconfirmed().count(), 0);
}

#[test]
fn lines_of_an_older_ledger_still_count_as_sent() {
    // Older versions keyed a lead mail by the annotated copy's file stem and had no state
    // or content hash; those lines must not make everything go out again.
    let dir = tmp();
    let (path, _) = ledger_in(dir.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let old = [
        r#"{"period":"2026-11","meeting":"2026-12-10","recipient":"anna@kommune.example","kind":"digest","project":null,"message_id":"<d@x>","sent_at":"2026-11-26T09:30:00+01:00"}"#,
        r#"{"period":"2026-11","meeting":"2026-12-10","recipient":"lead@kommune.example","kind":"project_lead","project":"OS2iot","message_id":"<l@x>","sent_at":"2026-11-26T09:30:00+01:00"}"#,
        r#"{"period":"2026-11","meeting":"2026-12-10","recipient":"lead2@kommune.example","kind":"project_lead","project":"OS2mo__os2mo-kopi","message_id":"<m@x>","sent_at":"2026-11-26T09:30:00+01:00"}"#,
    ];
    std::fs::write(&path, old.join("\n") + "\n").unwrap();
    let ledger = Ledger::load(&path).unwrap();
    assert!(ledger.warnings().is_empty(), "{:?}", ledger.warnings());
    let lead = |to: &str, id: &str| MessageKey {
        content: Some("0123456789abcdef".into()),
        ..key(to, Kind::ProjectLead, Some(id))
    };
    assert!(ledger.contains(&key("anna@kommune.example", Kind::Digest, None)));
    assert!(ledger.contains(&lead("lead@kommune.example", "OS2iot")));
    assert!(ledger.contains(&lead("lead2@kommune.example", "OS2mo")));
    // … but only for the same period, meeting, recipient, kind and project.
    assert!(!ledger.contains(&lead("lead@kommune.example", "OS2mo")));
    assert!(!ledger.contains(&lead("other@kommune.example", "OS2iot")));
    assert!(!ledger.contains(&MessageKey { period: "2026-12".into(), ..lead("lead@kommune.example", "OS2iot") }));
    assert!(!ledger.contains(&key("anna@kommune.example", Kind::ProjectLead, Some("OS2iot"))));
}

#[test]
fn the_message_id_follows_the_content() {
    let k = |content: Option<&str>| MessageKey {
        content: content.map(str::to_string),
        ..key("lead@kommune.example", Kind::ProjectLead, Some("OS2iot"))
    };
    assert_eq!(message_id(&k(Some("aa")), "os2.example", "t1"), message_id(&k(Some("aa")), "os2.example", "t1"));
    assert_ne!(message_id(&k(Some("aa")), "os2.example", "t1"), message_id(&k(Some("bb")), "os2.example", "t1"));
}

#[test]
fn delivery_refuses_exactly_the_addresses_the_check_refuses() {
    use crate::model::value::email_is_valid;
    for ok in ["mette@aarhus.dk", "søren.ærø@ærø.dk"] {
        assert!(email_is_valid(ok) && parse_address(ok, "test").is_ok(), "{ok}");
    }
    // The mail library would take a host without a dot; the check and delivery do not.
    for bad in ["mette@localhost", "a(b)@c.dk", "mette"] {
        assert!(!email_is_valid(bad) && parse_address(bad, "test").is_err(), "{bad}");
    }
}
