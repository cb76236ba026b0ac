//! Mail end to end: the real `os2gov` renders the digest and the project-lead mails and
//! sends them to a real SMTP server in another process (`.ci/smtp_server.py`, aiosmtpd),
//! over STARTTLS with a test CA; what arrives is parsed back (mail-parser, calamine).
//! Also: faults (server down, dropped connection, refused recipient), the `.eml` files of
//! `os2gov digest`, English recipients, and the HTML's size and safety.
//!
//! Needs `python3` with `aiosmtpd` (`python3 -m pip install aiosmtpd`); without it the SMTP
//! tests print "skipped", except under CI=true, where they fail.

use crate::util::{TestDir, set, sheet};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use os2gov::model::cell::Value;
use os2gov::model::layout::FieldKey;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Cursor};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const SERVER_SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/smtp_server.py");

/// The active rows of the default Modtagere sheet.
const BOARD: [&str; 5] = [
    "anne.moerk@bestyrelse.os2.example",
    "lars.oestergaard@bestyrelse.os2.example",
    "sofie.bech@bestyrelse.os2.example",
    "sekretariat@os2.example",
    "jonas.berg@observer.example",
];
const INACTIVE: &str = "tidligere@bestyrelse.os2.example";

/// The projects of the test portfolio: (Projekt-ID, level, phase, lead e-mail).
const PROJECTS: [(&str, &str, &str, &str); 3] = [
    ("OS2iot", "N2", "Bestyrelsesbehandling", "iot.lead@aarhus.dk"),
    ("OS2mo", "N3", "Produkt", "mo.lead@kk.dk"),
    ("OS2forms", "N1", "Implementering", "forms.lead@odense.dk"),
];
const HOSTILE_NAME: &str = "<img src=x onerror=alert(1)>";
const SUBJECT_DA: &str = "OS2-porteføljen: materiale til bestyrelsesmødet 10. december 2026";
const SUBJECT_EN: &str = "OS2 portfolio: papers for the board meeting 10 December 2026";

/// Whether the SMTP test server can run here: `python3` with `aiosmtpd`. Under CI=true a
/// missing module is a failure, elsewhere the test prints "skipped" and passes.
fn have_aiosmtpd() -> bool {
    let ok =
        Command::new("python3").args(["-c", "import aiosmtpd"]).output().map(|o| o.status.success()).unwrap_or(false);
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3 with aiosmtpd is required under CI=true (python3 -m pip install aiosmtpd)"
        );
        eprintln!("skipped: python3 -c 'import aiosmtpd' failed (python3 -m pip install aiosmtpd)");
    }
    ok
}

/// A CA and a leaf for 127.0.0.1 / localhost signed by it, as PEM files in `dir`.
struct Pki {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn make_pki(dir: &Path) -> Pki {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "os2gov e2e test CA");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().unwrap();
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let mut leaf_params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
    leaf_params.distinguished_name.push(DnType::CommonName, "localhost");
    leaf_params.use_authority_key_identifier_extension = true;
    leaf_params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf_params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = leaf_params.signed_by(&leaf_key, &issuer).unwrap();

    std::fs::create_dir_all(dir).unwrap();
    let pki = Pki { ca: dir.join("ca.pem"), cert: dir.join("server-chain.pem"), key: dir.join("server-key.pem") };
    std::fs::write(&pki.ca, ca_cert.pem()).unwrap();
    std::fs::write(&pki.cert, leaf.pem() + &ca_cert.pem()).unwrap();
    std::fs::write(&pki.key, leaf_key.serialize_pem()).unwrap();
    pki
}

/// `.ci/smtp_server.py` as a child process; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    maildir: PathBuf,
    log: PathBuf,
}

/// One message the server accepted.
struct Arrival {
    rcpt: Vec<String>,
    raw: Vec<u8>,
}

impl Server {
    /// Starts the server on a free port with its maildir under `dir`, and waits until it
    /// accepts connections.
    #[track_caller]
    fn start(dir: &Path, pki: Option<&Pki>, extra: &[&str]) -> Server {
        std::fs::create_dir_all(dir).unwrap();
        let maildir = dir.join("maildir");
        let log = dir.join("server.log");
        let mut cmd = Command::new("python3");
        cmd.arg(SERVER_SCRIPT).args(["--port", "0", "--maildir"]).arg(&maildir).args(extra);
        if let Some(pki) = pki {
            cmd.arg("--cert").arg(&pki.cert).arg("--key").arg(&pki.key);
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("start python3 .ci/smtp_server.py");
        let mut server = Server { child, port: 0, maildir, log };
        // The server prints "ready 127.0.0.1:<port>" once it listens (port 0: no race for a port).
        let stdout = server.child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(port) = line.strip_prefix("ready 127.0.0.1:").and_then(|p| p.trim().parse::<u16>().ok()) {
                    let _ = tx.send(port);
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        server.port = loop {
            if let Ok(port) = rx.recv_timeout(Duration::from_millis(100)) {
                break port;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("the SMTP test server exited ({status}):\n{}", server.log_text());
            }
            assert!(Instant::now() < deadline, "the SMTP test server did not start:\n{}", server.log_text());
        };
        while TcpStream::connect(("127.0.0.1", server.port)).is_err() {
            assert!(Instant::now() < deadline, "the SMTP test server does not accept:\n{}", server.log_text());
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Everything accepted so far, in the order accepted.
    fn arrivals(&self) -> Vec<Arrival> {
        let mut out = Vec::new();
        for n in 1.. {
            let Ok(raw) = std::fs::read(self.maildir.join(format!("{n}.eml"))) else { break };
            let rcpt = std::fs::read_to_string(self.maildir.join(format!("{n}.rcpt"))).unwrap();
            out.push(Arrival { rcpt: rcpt.lines().map(str::to_string).collect(), raw });
        }
        out
    }

    /// The addresses the server refused, one entry per RCPT.
    fn refused(&self) -> Vec<String> {
        std::fs::read_to_string(self.maildir.join("refused.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on (bound, then released).
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A working folder with three projects (one of them, OS2iot, waiting for the board's
/// decision with a hostile Navn), each with its own project lead.
fn portfolio() -> TestDir {
    let dir = TestDir::new().init();
    for (id, level, phase, lead) in PROJECTS {
        let mut filled = dir.clean(id, level, phase);
        set(&mut filled, FieldKey::LeadEmail, Value::Text(lead.to_string()));
        if id == "OS2iot" {
            set(&mut filled, FieldKey::Name, Value::Text(HOSTILE_NAME.to_string()));
        }
        dir.projektark(&format!("indsendt/{}.xlsx", id.to_lowercase()), &filled);
    }
    dir
}

fn leads() -> Vec<&'static str> {
    PROJECTS.iter().map(|p| p.3).collect()
}

/// Every message `run --send` should send: the active board recipients and the leads.
fn all_recipients() -> BTreeSet<String> {
    BOARD.iter().chain(&leads()).map(|s| s.to_string()).collect()
}

/// Points os2gov.toml at the test server.
fn configure_smtp(dir: &TestDir, port: u16, security: &str, ca: Option<&Path>) {
    let ca = ca.map(|p| p.display().to_string()).unwrap_or_default();
    let toml = format!(
        "rules = \"styringsmodel.xlsx\"\ninbox = \"indsendt\"\noutput = \"ud\"\nlanguage = \"da\"\n\n[mail]\n\
         from = \"OS2-sekretariatet <sekretariat@os2.example>\"\nproject_leads = true\n\n[smtp]\n\
         host = \"127.0.0.1\"\nport = {port}\nsecurity = \"{security}\"\nusername = \"\"\ntimeout_s = 10\n\
         ca_file = \"{ca}\"\n"
    );
    std::fs::write(dir.join("os2gov.toml"), toml).unwrap();
}

/// The lines of `ud/sendt.jsonl` that record a sent message (none when it does not exist).
fn ledger(dir: &TestDir) -> Vec<serde_json::Value> {
    all_ledger(dir).into_iter().filter(|l| l["state"] == "sent").collect()
}

/// Every line of `ud/sendt.jsonl`: intents before DATA, sent lines after the 250.
fn all_ledger(dir: &TestDir) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("ud/sendt.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("ledger line {l}: {e}")))
        .collect()
}

fn manifest(dir: &TestDir) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("ud/2026-11/manifest.json")).unwrap()).unwrap()
}

fn ledger_recipients(dir: &TestDir) -> BTreeSet<String> {
    ledger(dir).iter().map(|e| e["recipient"].as_str().unwrap().to_string()).collect()
}

/// The envelope recipients of every arrival (each message has exactly one).
fn envelope_recipients(arrivals: &[Arrival]) -> Vec<String> {
    arrivals
        .iter()
        .map(|a| {
            assert_eq!(a.rcpt.len(), 1, "one recipient per message: {:?}", a.rcpt);
            a.rcpt[0].to_lowercase()
        })
        .collect()
}

fn parse(raw: &[u8]) -> mail_parser::Message<'_> {
    MessageParser::default().parse(raw).expect("a parseable message")
}

/// The message's decoded text/plain and text/html parts; asserts there is exactly one of each
/// (mail-parser would otherwise convert one into the other).
fn bodies(msg: &mail_parser::Message<'_>) -> (String, String) {
    let texts: Vec<&str> = msg
        .parts
        .iter()
        .filter_map(|p| match &p.body {
            PartType::Text(t) if p.attachment_name().is_none() => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let htmls: Vec<&str> = msg
        .parts
        .iter()
        .filter_map(|p| match &p.body {
            PartType::Html(t) if p.attachment_name().is_none() => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    assert_eq!((texts.len(), htmls.len()), (1, 1), "one text/plain and one text/html part");
    (texts[0].to_string(), htmls[0].to_string())
}

/// The attachments: (file name, content type, bytes).
fn attachments(msg: &mail_parser::Message<'_>) -> Vec<(String, String, Vec<u8>)> {
    msg.attachments()
        .map(|a| {
            let ct =
                a.content_type().map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or(""))).unwrap_or_default();
            // The RFC 2231 name (the last `filename`; the first is its ASCII fallback).
            let name = a
                .content_disposition()
                .and_then(|d| d.attributes())
                .and_then(|attrs| attrs.iter().rev().find(|x| x.name == "filename").map(|x| x.value.to_string()))
                .unwrap_or_default();
            (name, ct, a.contents().to_vec())
        })
        .collect()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The sheet names of an xlsx, and whether `needle` is a cell of sheet `in_sheet`.
fn workbook(bytes: &[u8], in_sheet: &str, needle: &str) -> (Vec<String>, bool) {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx calamine opens");
    let names = wb.sheet_names().to_vec();
    let range = wb.worksheet_range(in_sheet).unwrap_or_else(|e| panic!("sheet {in_sheet}: {e}"));
    let found = range.rows().flatten().any(|c| matches!(c, calamine::Data::String(s) if s == needle));
    (names, found)
}

/// The visible text of an HTML mail: tags dropped (block ends become line breaks), the
/// entities the templates use decoded.
fn html_text(html: &str) -> String {
    let body = html.split_once("<body").and_then(|(_, b)| b.split_once('>')).map(|(_, b)| b).unwrap_or(html);
    let mut out = String::new();
    let mut rest = body;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else { break };
        let tag = rest[start + 1..start + end].to_ascii_lowercase();
        if ["br", "/p", "/td", "/tr", "/table", "/li", "/h1", "/h2", "/h3", "/div"]
            .iter()
            .any(|t| tag == *t || tag.starts_with(&format!("{t} ")))
        {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    decode_entities(&out)
}

fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';').filter(|i| *i <= 10) else {
            out.push('&');
            rest = after;
            continue;
        };
        let name = &after[..semi];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "middot" => Some('·'),
            "ndash" => Some('–'),
            "mdash" => Some('—'),
            "bull" => Some('•'),
            _ => {
                let num = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"));
                match num {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => name.strip_prefix('#').and_then(|d| d.parse().ok()).and_then(char::from_u32),
                }
            }
        };
        match decoded {
            Some(c) => out.push(c),
            None => panic!("unknown HTML entity &{name}; in the mail"),
        }
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Every line of the text part is in the HTML part too (case and white space aside).
#[track_caller]
fn same_content(text: &str, html: &str) {
    let visible = squash(&html_text(html));
    for line in text.lines() {
        let line = line.trim().trim_start_matches("- ").trim();
        if line.is_empty() || line == "--" {
            continue;
        }
        assert!(
            visible.contains(&squash(line)),
            "the HTML part lacks the text line {line:?}\n--- HTML as text\n{visible}"
        );
    }
}

/// The HTML loads nothing from outside: no external src/href on resource tags, no `<link>`,
/// no `url(` or `@import` in styles. Only real tags are looked at (escaped text is data).
#[track_caller]
fn self_contained(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<link"), "a <link> element");
    assert!(!lower.contains("@import"), "@import in a style");
    assert!(!lower.contains("url("), "url( in a style");
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map(|e| start + e).unwrap_or(rest.len());
        let tag = &rest[start..end];
        for attr in ["src=", "background=", "srcset=", "poster=", "data="] {
            assert!(!tag.contains(attr), "a resource attribute in the tag {tag:?}");
        }
        assert!(!tag.starts_with("<img") && !tag.starts_with("<script"), "an element {tag:?}");
        rest = &rest[end.min(rest.len())..];
        if rest.is_empty() {
            break;
        }
        rest = &rest[1..];
    }
}

// ------------------------------------------------------------------------------------------

#[test]
fn starttls_with_a_test_ca_delivers_every_message() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let pki = make_pki(&dir.join("pki"));
    let server = Server::start(&dir.join("smtp"), Some(&pki), &[]);
    configure_smtp(&dir, server.port, "starttls", Some(&pki.ca));
    let run = dir.run(&["run", "--send"]).code(0);
    let out = run.stdout();
    assert!(out.contains("Sendt: 8 · allerede sendt tidligere: 0 · afvist: 0 · udskudt: 0"), "{out}");

    let arrivals = server.arrivals();
    let got: BTreeSet<String> = envelope_recipients(&arrivals).into_iter().collect();
    assert_eq!(got, all_recipients(), "envelope recipients");
    assert_eq!(arrivals.len(), 8, "one message each");
    assert!(!got.contains(INACTIVE));
    assert_eq!(ledger_recipients(&dir), all_recipients());

    let mut digests = 0;
    let mut lead_mails = 0;
    for arrival in &arrivals {
        let msg = parse(&arrival.raw);
        let to = msg.to().and_then(|a| a.first()).and_then(|a| a.address()).unwrap().to_lowercase();
        assert_eq!(to, arrival.rcpt[0].to_lowercase(), "To header = envelope");
        assert_eq!(msg.from().and_then(|a| a.first()).and_then(|a| a.address()), Some("sekretariat@os2.example"));
        assert!(msg.message_id().is_some_and(|id| id.starts_with("os2gov.2026-11.")), "{:?}", msg.message_id());
        assert!(msg.date().is_some());
        let subject = msg.subject().unwrap().to_string();
        let (text, html) = bodies(&msg);
        same_content(&text, &html);
        self_contained(&html);
        let files = attachments(&msg);
        assert_eq!(files.len(), 1, "one attachment");
        let (name, content_type, bytes) = &files[0];
        assert_eq!(content_type, XLSX);
        if BOARD.contains(&to.as_str()) {
            digests += 1;
            let expected = if to == "jonas.berg@observer.example" { SUBJECT_EN } else { SUBJECT_DA };
            assert_eq!(subject, expected, "decoded subject for {to}");
            let read = crate::util::as_read(&text);
            assert!(read.contains("10. december 2026") || read.contains("10 December 2026"), "{text}");
            assert!(text.contains("OS2iot") && html.contains("OS2iot"));
            assert_eq!(name, "portefoelje-2026-11.xlsx");
            let (sheets, has_project) = workbook(bytes, "Oversigt", "OS2mo");
            assert_eq!(sheets[0], "Oversigt", "{sheets:?}");
            assert!(has_project, "OS2mo is a row of Oversigt");
        } else {
            lead_mails += 1;
            let (id, ..) = PROJECTS.iter().find(|p| p.3 == to).unwrap();
            assert_eq!(subject, format!("OS2: tilbagemelding på projektarket for {id} (2026-11)"));
            // Attached under the lead's own file name (indsendt/os2mo.xlsx), to come back under it.
            assert_eq!(name, &format!("{}.xlsx", id.to_lowercase()));
            let (sheets, _) = workbook(bytes, "Kontrol", id);
            assert_eq!(sheets[0], "Kontrol", "the annotated projektark of {id}: {sheets:?}");
            assert!(sheets.iter().any(|s| s == "Krav") && sheets.iter().any(|s| s == "Projekt"), "{sheets:?}");
            let (_, id_in_projekt) = workbook(bytes, "Projekt", id);
            assert!(id_in_projekt, "the attachment is {id}'s projektark");
            assert!(text.contains(id) && html.contains(id));
        }
    }
    assert_eq!((digests, lead_mails), (5, 3));

    let m = manifest(&dir);
    assert_eq!(m["messages"]["send"]["sent"].as_array().map(Vec::len), Some(8), "{m}");
    assert!(m["messages"]["send_error"].is_null(), "{m}");

    // A second run sends nothing new; --resend sends everything again.
    let again = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(again.contains("Sendt: 0 · allerede sendt tidligere: 8"), "{again}");
    assert_eq!(server.arrivals().len(), 8);
    assert_eq!(ledger(&dir).len(), 8);
    let resend = dir.run(&["run", "--send", "--resend"]).code(0).stdout();
    assert!(resend.contains("Sendt: 8 · allerede sendt tidligere: 0"), "{resend}");
    assert_eq!(server.arrivals().len(), 16);
    let ids: BTreeSet<String> =
        server.arrivals().iter().map(|a| parse(&a.raw).message_id().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 16, "a resent message is a new delivery attempt with a Message-ID of its own");
}

#[test]
fn starttls_without_the_ca_is_refused_with_a_hint() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let pki = make_pki(&dir.join("pki"));
    let server = Server::start(&dir.join("smtp"), Some(&pki), &[]);
    configure_smtp(&dir, server.port, "starttls", None);
    let run = dir.run(&["run", "--send"]).code(2);
    let err = run.stderr();
    assert!(err.contains(&format!("127.0.0.1:{}", server.port)) && err.contains("ca_file"), "{err}");
    assert!(err.contains("Intet blev sendt"), "{err}");
    assert!(server.arrivals().is_empty());
    assert!(ledger(&dir).is_empty());
}

#[test]
fn plain_smtp_to_a_server_that_requires_starttls_sends_nothing() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let pki = make_pki(&dir.join("pki"));
    let server = Server::start(&dir.join("smtp"), Some(&pki), &[]);
    // The server requires STARTTLS, so the other tests' deliveries really went over TLS.
    configure_smtp(&dir, server.port, "none", None);
    let err = dir.run(&["run", "--send"]).code(2).stderr();
    assert!(err.contains(&format!("127.0.0.1:{}", server.port)) && err.contains("530"), "{err}");
    assert!(err.contains("Intet blev sendt") && !err.contains(".."), "{err}");
    assert!(server.arrivals().is_empty());
    assert!(ledger(&dir).is_empty());
}

#[test]
fn a_server_that_is_down_fails_the_run_and_names_it() {
    let dir = portfolio();
    let port = closed_port();
    configure_smtp(&dir, port, "none", None);
    let started = Instant::now();
    let run = dir.run(&["run", "--send"]).code(2);
    let err = run.stderr();
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(err.contains("kunne ikke forbinde") && err.contains("Intet blev sendt"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("Os {"), "{err}");
    assert!(ledger(&dir).is_empty(), "no ledger lines");
    // The files are there to send later, and the retries did not take long.
    assert!(dir.join("ud/2026-11/post").read_dir().unwrap().count() >= 16);
    assert!(started.elapsed() < Duration::from_secs(60), "{:?}", started.elapsed());
}

#[test]
fn a_dropped_connection_fails_the_run_and_a_rerun_sends_only_the_rest() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let pki = make_pki(&dir.join("pki"));
    {
        let faulty = Server::start(&dir.join("smtp-faulty"), Some(&pki), &["--drop-after", "2"]);
        configure_smtp(&dir, faulty.port, "starttls", Some(&pki.ca));
        let run = dir.run(&["run", "--send"]).code(2);
        let err = run.stderr();
        assert!(err.contains(&format!("127.0.0.1:{}", faulty.port)), "{err}");
        assert!(err.contains("2 af 8 beskeder blev sendt") && err.contains("sendt.jsonl"), "{err}");
        assert_eq!(faulty.arrivals().len(), 2, "{}", faulty.log_text());
        assert_eq!(ledger(&dir).len(), 2, "exactly the accepted messages are in the ledger");
        let first: BTreeSet<String> = envelope_recipients(&faulty.arrivals()).into_iter().collect();
        assert_eq!(first, ledger_recipients(&dir));
        // The manifest records the failure.
        let m = manifest(&dir);
        assert!(m["messages"]["send_error"].as_str().is_some_and(|e| e.contains("127.0.0.1")), "{m}");
    }
    let healthy = Server::start(&dir.join("smtp-healthy"), Some(&pki), &[]);
    configure_smtp(&dir, healthy.port, "starttls", Some(&pki.ca));
    let before = ledger_recipients(&dir);
    let out = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(out.contains("Sendt: 6 · allerede sendt tidligere: 2"), "{out}");
    let second: BTreeSet<String> = envelope_recipients(&healthy.arrivals()).into_iter().collect();
    assert_eq!(healthy.arrivals().len(), 6, "only the missing messages");
    assert!(second.is_disjoint(&before), "nothing sent twice");
    assert_eq!(ledger(&dir).len(), 8);
    assert_eq!(ledger_recipients(&dir), all_recipients());
}

#[test]
fn a_connection_dropped_once_is_reopened_within_the_run() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let pki = make_pki(&dir.join("pki"));
    let server = Server::start(&dir.join("smtp"), Some(&pki), &["--drop-after", "3", "--drop-once"]);
    configure_smtp(&dir, server.port, "starttls", Some(&pki.ca));
    let out = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(out.contains("Sendt: 8"), "{out}");
    let got = envelope_recipients(&server.arrivals());
    assert_eq!(got.len(), 8, "no message twice: {got:?}");
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), all_recipients());
    assert_eq!(ledger(&dir).len(), 8);
}

#[test]
fn a_refused_lead_is_reported_and_everyone_else_gets_mail() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let pki = make_pki(&dir.join("pki"));
    let refused = "mo.lead@kk.dk";
    let server = Server::start(&dir.join("smtp"), Some(&pki), &["--refuse", refused]);
    configure_smtp(&dir, server.port, "starttls", Some(&pki.ca));
    // Refused recipients are reported and not retried; the others are delivered. The
    // run exits 2 so a scheduled job notices that someone did not get their mail.
    let run = dir.run(&["run", "--send"]).code(2);
    assert!(run.stderr().contains("1 mail(s) kunne ikke leveres"), "{}", run.stderr());
    let out = run.stdout();
    assert!(out.contains("Sendt: 7 · allerede sendt tidligere: 0 · afvist: 1"), "{out}");
    assert!(out.contains(&format!("{refused}: 550 5.1.1 mailbox unavailable")), "{out}");
    let mut expected = all_recipients();
    expected.remove(refused);
    let got: BTreeSet<String> = envelope_recipients(&server.arrivals()).into_iter().collect();
    assert_eq!(got, expected);
    assert_eq!(server.refused(), [refused], "asked once, not retried");
    assert_eq!(ledger_recipients(&dir), expected, "the refused message is not in the ledger");
    let m = manifest(&dir);
    let refusals = m["messages"]["send"]["refused"].as_array().unwrap();
    assert_eq!(refusals.len(), 1, "{m}");
    assert_eq!(refusals[0]["recipient"], refused);
    assert!(refusals[0]["answer"].as_str().unwrap().contains("550"), "{m}");
}

#[test]
fn digest_writes_eml_and_html_files_that_parse() {
    let dir = portfolio();
    let run = dir.run(&["digest", "-o", "post"]).code(0);
    let out = run.stdout();
    assert!(out.contains("8 mails til bestyrelsesmødet 10. december 2026"), "{out}");
    let mut names: Vec<String> =
        std::fs::read_dir(dir.join("post")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    let emls: Vec<&String> = names.iter().filter(|n| n.ends_with(".eml")).collect();
    let htmls: Vec<&String> = names.iter().filter(|n| n.ends_with(".html")).collect();
    assert_eq!((emls.len(), htmls.len(), names.len()), (8, 8, 16), "{names:?}");
    for eml in &emls {
        assert!(names.contains(&eml.replace(".eml", ".html")), "{eml} has its preview");
    }
    let first = emls.iter().find(|n| n.contains("-digest-")).expect("a digest file");
    let bytes = std::fs::read(dir.join("post").join(first)).unwrap();
    let msg = parse(&bytes);
    assert_eq!(msg.subject(), Some(SUBJECT_DA));
    assert!(msg.message_id().is_some() && msg.date().is_some());
    assert!(msg.from().and_then(|a| a.first()).and_then(|a| a.name()).is_some_and(|n| n == "OS2-sekretariatet"));
    let to = msg.to().and_then(|a| a.first()).unwrap();
    assert!(to.address().is_some_and(|a| BOARD.contains(&a)), "{to:?}");
    let (text, html) = bodies(&msg);
    same_content(&text, &html);
    assert!(text.contains("BESLUTNING") && text.contains("OS2iot"), "{text}");
    // The .html preview is the HTML part.
    let preview = std::fs::read_to_string(dir.join("post").join(first.replace(".eml", ".html"))).unwrap();
    assert_eq!(preview.replace("\r\n", "\n").trim_end(), html.replace("\r\n", "\n").trim_end());
    let files = attachments(&msg);
    assert_eq!(files.len(), 1);
    assert_eq!((files[0].0.as_str(), files[0].1.as_str()), ("portefoelje-2026-11.xlsx", XLSX));
    let (sheets, has) = workbook(&files[0].2, "Oversigt", "OS2forms");
    assert!(sheets.iter().any(|s| s == "Til bestyrelsen") && has, "{sheets:?}");

    let lead = emls.iter().find(|n| n.contains("-project_lead-OS2mo")).expect("the OS2mo lead file");
    let bytes = std::fs::read(dir.join("post").join(lead)).unwrap();
    let msg = parse(&bytes);
    assert_eq!(msg.to().and_then(|a| a.first()).and_then(|a| a.address()), Some("mo.lead@kk.dk"));
    assert_eq!(msg.to().and_then(|a| a.first()).and_then(|a| a.name()), Some("Mette Hansen"));
    let (text, html) = bodies(&msg);
    same_content(&text, &html);
    let files = attachments(&msg);
    assert_eq!(files[0].0, "os2mo.xlsx", "the lead's own file name");
    assert_eq!(workbook(&files[0].2, "Kontrol", "OS2mo").0[0], "Kontrol");
}

#[test]
fn an_english_recipient_gets_an_english_digest() {
    let dir = portfolio().model(|sheets| {
        let modtagere = sheet(sheets, "Modtagere");
        modtagere.rows.retain(|r| !matches!(&r[0], Value::Text(t) if t == "Jonas Berg"));
        modtagere.rows.push(
            ["Erin O'Brien", "erin@board.example.org", "Observatør", " EN ", "Ja"]
                .iter()
                .map(|s| Value::Text(s.to_string()))
                .collect(),
        );
    });
    dir.run(&["digest", "-o", "post"]).code(0);
    let file = std::fs::read_dir(dir.join("post"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains("digest-erin"))
        .expect("a digest for erin@board.example.org");
    let bytes = std::fs::read(&file).unwrap();
    let msg = parse(&bytes);
    assert_eq!(msg.subject(), Some(SUBJECT_EN));
    let (text, html) = bodies(&msg);
    same_content(&text, &html);
    assert!(text.starts_with("Dear Erin O'Brien,"), "{text}");
    for en in ["for the board meeting 10 December 2026", "AT A GLANCE", "DECISION (1)", "The board is asked to"] {
        assert!(crate::util::as_read(&text).contains(en), "{en:?} in\n{text}");
    }
    for da in ["Kære", "bestyrelsesmødet", "Beslutning", "Vedhæftet", "kontrolleret"] {
        assert!(!text.contains(da) && !html_text(&html).contains(da), "Danish {da:?} in the English mail\n{text}");
    }
    assert!(html.contains("<html lang=\"en\""));
    // The Danish recipients still get Danish.
    let anne = std::fs::read_dir(dir.join("post"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().contains("digest-anne"))
        .unwrap();
    assert_eq!(parse(&std::fs::read(anne).unwrap()).subject(), Some(SUBJECT_DA));
}

#[test]
fn digest_html_is_small_self_contained_and_escapes_project_text() {
    let dir = portfolio();
    dir.run(&["digest", "-o", "post"]).code(0);
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("post")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(&path).unwrap();
        assert!(html.len() < 100 * 1024, "{name}: {} bytes", html.len());
        self_contained(&html);
        // Long unbroken words (URLs, names) wrap instead of widening the mail past a phone's
        // 320 px (seen in Chromium: 1006 px wide before this style).
        assert!(html.contains("overflow-wrap:anywhere"), "{name}");
        let is_iot = name.contains("-digest-") || name.contains("OS2iot");
        if is_iot {
            assert!(!html.contains(HOSTILE_NAME), "{name} carries the raw markup");
            assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{name}: escaped name\n{html}");
            assert!(html_text(&html).contains(HOSTILE_NAME), "{name}: the name reads as written");
        }
        let eml = std::fs::read(path.with_extension("eml")).unwrap();
        let msg = parse(&eml);
        let (text, part) = bodies(&msg);
        assert_eq!(part.replace("\r\n", "\n").trim_end(), html.replace("\r\n", "\n").trim_end());
        if is_iot {
            assert!(text.contains(HOSTILE_NAME), "{name}: the text part has the name literally\n{text}");
            assert!(!text.contains("&lt;"), "{name}: no HTML escapes in the text part");
        }
        checked += 1;
    }
    assert_eq!(checked, 8);
}

/// The checkers above catch what they are for (so a passing mail test means something).
#[test]
fn the_mail_checkers_catch_violations() {
    let html = "<html><body><p>Hej &amp; <b>OS2</b> &ndash; &lt;img src=x&gt;</p></body></html>";
    assert_eq!(html_text(html).trim(), "Hej & OS2 – <img src=x>");
    self_contained(html);
    same_content("Hej & OS2 – <img src=x>\n\n--\n", html);
    for bad in [
        "<p><img src=\"https://example.org/x.png\"></p>",
        "<link rel=stylesheet href=\"https://example.org/a.css\">",
        "<td style=\"background:url(https://example.org/a.png)\">",
        "<td background=\"http://example.org/a.png\">",
        "<style>@import 'https://example.org/a.css';</style>",
    ] {
        assert!(std::panic::catch_unwind(|| self_contained(bad)).is_err(), "not caught: {bad}");
    }
    assert!(std::panic::catch_unwind(|| same_content("a line the HTML lacks", html)).is_err());
}

// ---- interrupted sending ------------------------------------------------------------------

/// Waits until the server has stored `n` messages.
#[track_caller]
fn wait_for_arrivals(server: &Server, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.arrivals().len() < n {
        assert!(Instant::now() < deadline, "only {} arrivals:\n{}", server.arrivals().len(), server.log_text());
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `os2gov run --send` started in the background.
fn spawn_send(dir: &TestDir) -> Child {
    dir.command(&["run", "--send", "--no-progress"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start os2gov")
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: sends a signal to our own child process.
    assert_eq!(unsafe { libc::kill(child.id() as i32, sig) }, 0);
}

#[test]
fn ctrl_c_or_sigterm_finishes_the_mail_in_flight_records_it_and_stops() {
    if !have_aiosmtpd() {
        return;
    }
    for sig in [libc::SIGINT, libc::SIGTERM] {
        let dir = portfolio();
        let pki = make_pki(&dir.join("pki"));
        {
            // The server holds each 250 back for a while: the signal arrives while the first
            // message is with the server and its answer is not yet back.
            let slow = Server::start(&dir.join("smtp-slow"), Some(&pki), &["--delay-after-store", "1.5"]);
            configure_smtp(&dir, slow.port, "starttls", Some(&pki.ca));
            let child = spawn_send(&dir);
            wait_for_arrivals(&slow, 1);
            signal(&child, sig);
            let out = child.wait_with_output().unwrap();
            let (stdout, stderr) =
                (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
            assert_eq!(out.status.code(), Some(2), "signal {sig}\n{stdout}\n{stderr}");
            assert!(
                stderr.contains("Afsendelsen blev stoppet") && stderr.contains("1 af 8 beskeder er sendt"),
                "{stderr}"
            );
            assert_eq!(slow.arrivals().len(), 1, "no new message after the signal");
            // The message in flight was finished and recorded; nothing is left unconfirmed.
            let lines = all_ledger(&dir);
            let states: Vec<&str> = lines.iter().map(|l| l["state"].as_str().unwrap()).collect();
            assert_eq!(states, ["intent", "sent"], "signal {sig}");
            assert_eq!(ledger_recipients(&dir), envelope_recipients(&slow.arrivals()).into_iter().collect());
            let m = manifest(&dir);
            assert_eq!(m["messages"]["send"]["stopped"], true, "{m}");
        }
        // The next run sends the rest, and nobody gets anything twice.
        let healthy = Server::start(&dir.join("smtp-healthy"), Some(&pki), &[]);
        configure_smtp(&dir, healthy.port, "starttls", Some(&pki.ca));
        let first = ledger_recipients(&dir);
        let out = dir.run(&["run", "--send"]).code(0).stdout();
        assert!(out.contains("Sendt: 7 · allerede sendt tidligere: 1"), "{out}");
        assert!(!out.contains("to gange"), "{out}");
        let second: BTreeSet<String> = envelope_recipients(&healthy.arrivals()).into_iter().collect();
        assert_eq!(healthy.arrivals().len(), 7);
        assert!(second.is_disjoint(&first), "nothing sent twice");
        assert_eq!(ledger_recipients(&dir), all_recipients());
    }
}

#[test]
fn a_kill_while_sending_duplicates_at_most_the_one_message_in_flight() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let pki = make_pki(&dir.join("pki"));
    let in_flight;
    {
        let slow = Server::start(&dir.join("smtp-slow"), Some(&pki), &["--delay-after-store", "3"]);
        configure_smtp(&dir, slow.port, "starttls", Some(&pki.ca));
        let mut child = spawn_send(&dir);
        // The first message is confirmed; the second is with the server, its 250 pending.
        wait_for_arrivals(&slow, 2);
        child.kill().unwrap(); // SIGKILL: nothing can be finished or recorded
        child.wait().unwrap();
        let arrived = envelope_recipients(&slow.arrivals());
        assert_eq!(arrived.len(), 2);
        in_flight = arrived[1].clone();
        // The ledger knows the first as sent and the second only as intended.
        let lines = all_ledger(&dir);
        let states: Vec<(&str, &str)> =
            lines.iter().map(|l| (l["state"].as_str().unwrap(), l["recipient"].as_str().unwrap())).collect();
        assert_eq!(
            states,
            [("intent", arrived[0].as_str()), ("sent", arrived[0].as_str()), ("intent", arrived[1].as_str())]
        );
    }
    let healthy = Server::start(&dir.join("smtp-healthy"), Some(&pki), &[]);
    configure_smtp(&dir, healthy.port, "starttls", Some(&pki.ca));
    let out = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(out.contains("Sendt: 7 · allerede sendt tidligere: 1"), "{out}");
    assert!(out.contains(&format!("{in_flight} kan have fået samme mail to gange")), "{out}");
    // Over both servers: everyone got the mail, and only the one in flight twice.
    let again = envelope_recipients(&healthy.arrivals());
    assert_eq!(again.len(), 7);
    assert!(again.contains(&in_flight));
    assert_eq!(ledger_recipients(&dir), all_recipients());
    assert_eq!(ledger(&dir).len(), 8);
    let m = manifest(&dir);
    let resent = m["messages"]["send"]["resent_unconfirmed"].as_array().unwrap();
    assert_eq!(resent.len(), 1, "{m}");
    assert_eq!(resent[0]["recipient"], in_flight.as_str());
    // A third run: everything is confirmed now.
    let out = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(out.contains("Sendt: 0 · allerede sendt tidligere: 8") && !out.contains("to gange"), "{out}");
}

#[test]
fn a_byte_identical_copy_of_a_projektark_does_not_mail_its_lead_again() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let pki = make_pki(&dir.join("pki"));
    let server = Server::start(&dir.join("smtp"), Some(&pki), &[]);
    configure_smtp(&dir, server.port, "starttls", Some(&pki.ca));
    dir.run(&["run", "--send"]).code(0);
    assert_eq!(server.arrivals().len(), 8);
    // Someone drops a copy of one projektark into the inbox: one of the two is set aside,
    // and the lead's mail is the same message (same Projekt-ID and content).
    std::fs::copy(dir.join("indsendt/os2mo.xlsx"), dir.join("indsendt/os2mo-kopi.xlsx")).unwrap();
    let out = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(out.contains("Sendt: 0 · allerede sendt tidligere: 8"), "{out}\n{:#?}", all_ledger(&dir));
    assert_eq!(server.arrivals().len(), 8, "no mail twice");
    let annotated: Vec<String> = std::fs::read_dir(dir.join("ud/2026-11/annoteret"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(annotated.iter().filter(|n| n.starts_with("OS2mo")).count() == 1, "{annotated:?}");
    // A changed projektark is new content: its lead gets the new feedback, nobody else.
    let mut changed = dir.clean("OS2forms", "N1", "Implementering");
    set(&mut changed, FieldKey::LeadEmail, Value::Text("forms.lead@odense.dk".to_string()));
    set(&mut changed, FieldKey::Budget, Value::Number(1_234_567.0));
    dir.projektark("indsendt/os2forms.xlsx", &changed);
    let out = dir.run(&["run", "--send"]).code(0).stdout();
    assert!(out.contains("Sendt: 1 · allerede sendt tidligere: 7"), "{out}");
    assert_eq!(envelope_recipients(&server.arrivals()).last().map(String::as_str), Some("forms.lead@odense.dk"));
}

/// Issue 21/22: a second `run --send` in the same period – after the board meeting of 10
/// December, so the next meeting has moved on – mails no lead the same feedback again;
/// the board gets the papers for the new meeting; a changed projektark is a new mail to
/// its lead only. The headers that keep autoreplies away are read back with mail-parser.
#[test]
fn a_second_run_after_the_meeting_mails_no_lead_twice() {
    if !have_aiosmtpd() {
        return;
    }
    let dir = portfolio();
    let server = Server::start(&dir.join("smtp"), None, &[]);
    configure_smtp(&dir, server.port, "none", None);
    // 9 December, the day before the meeting of 10 December.
    dir.run(&["run", "--send", "--as-of", "2026-12-09"]).code(0);
    let first = server.arrivals();
    assert_eq!(first.len(), BOARD.len() + PROJECTS.len(), "{}", server.log_text());
    for a in &first {
        let msg = parse(&a.raw);
        let header = |name: &str| {
            msg.headers()
                .iter()
                .find(|h| h.name().eq_ignore_ascii_case(name))
                .and_then(|h| h.value().as_text().map(str::to_string))
        };
        assert_eq!(header("Auto-Submitted").as_deref(), Some("auto-generated"));
        assert_eq!(header("X-Auto-Response-Suppress").as_deref(), Some("All"));
        let lang = header("Content-Language").unwrap_or_default();
        assert!(lang == "da" || lang == "en", "{lang}");
    }
    // 11 December, same period, nothing changed: only the digest for the next meeting.
    dir.run(&["run", "--send", "--as-of", "2026-12-11"]).code(0);
    let second: Vec<String> = envelope_recipients(&server.arrivals()[first.len()..]);
    let expected: Vec<String> = BOARD.iter().map(|s| s.to_string()).collect();
    assert_eq!(second.iter().cloned().collect::<BTreeSet<_>>(), expected.iter().cloned().collect::<BTreeSet<_>>());
    assert_eq!(second.len(), BOARD.len(), "no lead twice: {second:?}");
    // The lead's lines carry no meeting, the digest's do.
    for line in ledger(&dir) {
        let is_digest = line["kind"] == "digest";
        assert_eq!(line["meeting"].is_null(), !is_digest, "{line}");
    }
    // A changed projektark is new content: its lead, and only its lead, gets a new mail.
    let mut filled = dir.clean("OS2forms", "N1", "Implementering");
    set(&mut filled, FieldKey::LeadEmail, Value::Text("forms.lead@odense.dk".into()));
    set(&mut filled, FieldKey::Name, Value::Text("OS2forms – selvbetjening".into()));
    dir.projektark("indsendt/os2forms.xlsx", &filled);
    let before = server.arrivals().len();
    dir.run(&["run", "--send", "--as-of", "2026-12-11"]).code(0);
    let third = envelope_recipients(&server.arrivals()[before..]);
    assert_eq!(third, ["forms.lead@odense.dk"]);
}
