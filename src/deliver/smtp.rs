//! Sending over SMTP with lettre's blocking client: one connection for the batch
//! (reconnecting when it breaks), STARTTLS / implicit TLS / plain-to-localhost, retries with
//! backoff on network trouble and 4xx answers, never on 5xx. An intent line goes into the
//! ledger before each message's DATA, and a sent line right after the server's 250, before
//! the next message is tried; a stop request (Ctrl-C, SIGTERM) is honoured between
//! messages, never in the middle of one.

use super::message::{build, header_text};
use crate::config::settings::{Security, Smtp};
use crate::deliver::ledger::Ledger;
use crate::deliver::outbox::{MessageKey, OutMessage};
use crate::error::{Error, Result};
use crate::text::Text;
use crate::text::t;
use chrono::{DateTime, FixedOffset};
use lettre::address::Envelope;
use lettre::transport::smtp::Error as SmtpError;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// A message the server accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentMessage {
    pub key: MessageKey,
    pub message_id: String,
}

/// What [`send_all`] did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SendReport {
    /// Accepted by the server and recorded in the ledger, in sending order.
    pub sent: Vec<SentMessage>,
    /// Not sent because the ledger (or an earlier message of this batch) has the same key.
    pub skipped_already_sent: Vec<MessageKey>,
    /// Refused for good by the server (a 5xx answer to RCPT, DATA or the message): the answer.
    /// Not retried, not in the ledger.
    pub refused: Vec<(MessageKey, Text)>,
    /// Still refused for now (4xx) after every attempt: the last answer. Not in the ledger,
    /// so a re-run tries again.
    pub deferred: Vec<(MessageKey, Text)>,
    /// Messages an earlier run was handing to the server when it was killed (an intent
    /// without a sent line): sent again now, so their recipients may have them twice.
    pub resent_unconfirmed: Vec<MessageKey>,
    /// Sending stopped on request (Ctrl-C, SIGTERM) before every message was tried.
    pub stopped: bool,
}

/// How often and how patiently to retry (tests use a short delay).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Retry {
    pub attempts: u32,
    pub base_delay: Duration,
}

impl Retry {
    pub(crate) const DEFAULT: Retry = Retry { attempts: 3, base_delay: Duration::from_secs(1) };

    /// The wait after failed attempt `n` (1-based): base, 2 × base, 4 × base …
    fn delay(self, attempt: u32) -> Duration {
        self.base_delay.saturating_mul(1u32 << (attempt - 1).min(16))
    }
}

/// Sends every message not yet in the ledger (all of them with `resend`). Each accepted
/// message is appended to the ledger (fsync-ed) before the next is tried. A 5xx for one
/// recipient lands in [`SendReport::refused`] and the others go on; a server that cannot
/// be reached, TLS or login trouble, or a connection lost for good is an `Err` saying what
/// was sent and what to check — with the report of what happened before it, so nothing
/// sent or refused is forgotten — and a re-run then sends only the rest.
///
/// `date` is the messages' Date header and the ledger's `sent_at`. `password` is used only
/// when `smtp.username` is set; it never appears in a message or in `Debug` output.
///
/// `stop` is asked before each message and each retry; when it says yes, sending ends
/// there (`Err`, with [`SendReport::stopped`] set) and a re-run sends the rest.
#[allow(clippy::too_many_arguments)]
pub fn send_all(
    smtp: &Smtp,
    password: Option<&str>,
    messages: &[OutMessage],
    ledger: &mut Ledger,
    resend: bool,
    date: DateTime<FixedOffset>,
    log: &mut dyn FnMut(&Text),
    stop: &dyn Fn() -> bool,
) -> std::result::Result<SendReport, Box<SendFailure>> {
    send_all_with(smtp, password, messages, ledger, resend, date, log, stop, Retry::DEFAULT)
}

/// Sending stopped: why, and what had happened until then.
#[derive(Debug)]
pub struct SendFailure {
    pub report: SendReport,
    pub error: crate::error::Error,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn send_all_with(
    smtp: &Smtp,
    password: Option<&str>,
    messages: &[OutMessage],
    ledger: &mut Ledger,
    resend: bool,
    date: DateTime<FixedOffset>,
    log: &mut dyn FnMut(&Text),
    stop: &dyn Fn() -> bool,
    retry: Retry,
) -> std::result::Result<SendReport, Box<SendFailure>> {
    let mut report = SendReport::default();
    match send_into(&mut report, smtp, password, messages, ledger, resend, date, log, stop, retry) {
        Ok(()) => Ok(report),
        Err(error) => Err(Box::new(SendFailure { report, error })),
    }
}

#[allow(clippy::too_many_arguments)]
fn send_into(
    report: &mut SendReport,
    smtp: &Smtp,
    password: Option<&str>,
    messages: &[OutMessage],
    ledger: &mut Ledger,
    resend: bool,
    date: DateTime<FixedOffset>,
    log: &mut dyn FnMut(&Text),
    stop: &dyn Fn() -> bool,
    retry: Retry,
) -> Result<()> {
    let connector = Connector::new(smtp, password)?;

    // Decide what to send and build it all first: a bad address stops the run before
    // anything has gone out.
    let attempt = super::message::attempt_tag();
    let mut seen = HashSet::new();
    let mut todo = Vec::new();
    for msg in messages {
        let key = msg.key.normalised();
        if !seen.insert(key.clone()) || (!resend && ledger.contains(&key)) {
            let to = &key.recipient;
            let kind = key.kind.as_str();
            log(&t!("Allerede sendt, springes over: {to} ({kind})", "Already sent, skipped: {to} ({kind})"));
            report.skipped_already_sent.push(msg.key.clone());
            continue;
        }
        // One delivery attempt: a Message-ID of its own, kept through this run's retries.
        let id = super::message::new_id(msg, &attempt)?;
        let built = build(msg, date, &id)?;
        todo.push((msg, built.envelope().clone(), id));
    }
    if todo.is_empty() {
        return Ok(());
    }

    let total = todo.len();
    let mut conn: Option<SmtpConnection> = None;
    for (msg, envelope, id) in todo {
        let to = header_text(&msg.to_email);
        let unconfirmed = ledger.is_unconfirmed(&msg.key);
        // Encoded one message at a time, so the encoded messages are never all in memory.
        let bytes = build(msg, date, &id)?.formatted();
        let mut attempt = 0;
        loop {
            attempt += 1;
            if stop() {
                report.stopped = true;
                if let Some(mut c) = conn.take() {
                    let _ = c.quit();
                }
                return Err(connector.stopped_error(report.sent.len(), total, ledger));
            }
            let c = match conn.as_mut() {
                Some(c) => c,
                None => match connector.connect() {
                    Ok(c) => conn.insert(c),
                    Err(Failure::Fatal(reason)) => {
                        return Err(connector.batch_error(&reason, report.sent.len(), total, ledger));
                    }
                    Err(Failure::Retry(reason)) => {
                        if attempt < retry.attempts {
                            log_retry(log, &reason, retry.delay(attempt), attempt + 1, retry.attempts);
                            std::thread::sleep(retry.delay(attempt));
                            continue;
                        }
                        return Err(connector.batch_error(&reason, report.sent.len(), total, ledger));
                    }
                },
            };
            let mut handed = false;
            let outcome = transaction(c, &envelope, &bytes, &mut || {
                handed = true;
                ledger.record_intent(&msg.key, &id, date)
            });
            // A refusal after the intent line: the server said no, nothing was delivered.
            if handed && matches!(outcome, Outcome::Refused(_) | Outcome::Transient(_)) {
                ledger.record_failed(&msg.key, &id, date);
            }
            match outcome {
                Outcome::Sent => {
                    ledger.record(&msg.key, &id, date)?;
                    let kind = msg.key.kind.as_str();
                    log(&t!("Sendt til {to} ({kind})", "Sent to {to} ({kind})"));
                    if unconfirmed {
                        log(&t!(
                            "{to} kan have fået denne besked to gange: en tidligere kørsel blev afbrudt, mens den blev sendt.",
                            "{to} may have this message twice: an earlier run was stopped while sending it."
                        ));
                        report.resent_unconfirmed.push(msg.key.clone());
                    }
                    report.sent.push(SentMessage { key: msg.key.clone(), message_id: id });
                    break;
                }
                Outcome::LedgerFailed(e) => {
                    reset(&mut conn);
                    return Err(e);
                }
                Outcome::Refused(answer) => {
                    reset(&mut conn);
                    let (da, en) = (&answer.da, &answer.en);
                    log(&t!("Beskeden til {to} blev afvist: {da}", "The message to {to} was refused: {en}"));
                    report.refused.push((msg.key.clone(), answer));
                    break;
                }
                Outcome::SenderRefused(answer) if answer.starts_with("530") || answer.contains("5.7.0") => {
                    // 530: the server wants encryption or a login before anything is sent.
                    let reason = t!(
                        "serveren kræver kryptering eller login, før den tager imod post: {answer}. Tjek security og \
                         username under [smtp] i os2gov.toml (og OS2GOV_SMTP_PASSWORD)",
                        "the server requires encryption or a login before it accepts mail: {answer}. Check security and \
                         username under [smtp] in os2gov.toml (and OS2GOV_SMTP_PASSWORD)"
                    );
                    return Err(connector.batch_error(&reason, report.sent.len(), total, ledger));
                }
                Outcome::SenderRefused(answer) => {
                    let from = envelope.from().map(|a| a.to_string()).unwrap_or_default();
                    let reason = t!(
                        "serveren afviser afsenderen {from}: {answer}. Tjek [mail] from i os2gov.toml, og at kontoen \
                         må sende som den adresse",
                        "the server refuses the sender {from}: {answer}. Check [mail] from in os2gov.toml, and that \
                         the account may send as that address"
                    );
                    return Err(connector.batch_error(&reason, report.sent.len(), total, ledger));
                }
                Outcome::Transient(answer) => {
                    reset(&mut conn);
                    let reason = t!(
                        "midlertidig afvisning af beskeden til {to}: {answer}",
                        "temporary refusal of the message to {to}: {answer}"
                    );
                    if attempt < retry.attempts {
                        log_retry(log, &reason, retry.delay(attempt), attempt + 1, retry.attempts);
                        std::thread::sleep(retry.delay(attempt));
                        continue;
                    }
                    log(&t!(
                        "Beskeden til {to} blev ikke sendt (serveren svarer stadig: {answer}); den prøves igen ved \
                         næste kørsel.",
                        "The message to {to} was not sent (the server still answers: {answer}); the next run tries \
                         again."
                    ));
                    report.deferred.push((msg.key.clone(), t!("{answer}", "{answer}")));
                    break;
                }
                Outcome::Broken(reason) => {
                    if let Some(mut c) = conn.take() {
                        c.abort();
                    }
                    if attempt < retry.attempts {
                        log_retry(log, &reason, retry.delay(attempt), attempt + 1, retry.attempts);
                        std::thread::sleep(retry.delay(attempt));
                        continue;
                    }
                    return Err(connector.batch_error(&reason, report.sent.len(), total, ledger));
                }
            }
        }
    }
    if let Some(mut c) = conn {
        let _ = c.quit();
    }
    Ok(())
}

fn log_retry(log: &mut dyn FnMut(&Text), reason: &Text, delay: Duration, next: u32, max: u32) {
    let wait =
        if delay.subsec_millis() == 0 { format!("{} s", delay.as_secs()) } else { format!("{} ms", delay.as_millis()) };
    let (da, en) = (&reason.da, &reason.en);
    log(&t!(
        "{da}; prøver igen om {wait} (forsøg {next} af {max})",
        "{en}; trying again in {wait} (attempt {next} of {max})"
    ));
}

/// After a refusal: RSET keeps the connection usable; if even that fails, drop it.
fn reset(conn: &mut Option<SmtpConnection>) {
    if let Some(c) = conn.as_mut()
        && c.command(Rset).is_err()
        && let Some(mut c) = conn.take()
    {
        c.abort();
    }
}

/// How one SMTP transaction ended.
enum Outcome {
    Sent,
    /// 5xx to RCPT, DATA or the message (or a message this server cannot take): refused for good.
    Refused(Text),
    /// 5xx to MAIL FROM: every message would be refused.
    SenderRefused(String),
    /// 4xx anywhere in the transaction.
    Transient(String),
    /// The connection broke (network, timeout, garbled answer).
    Broken(Text),
    /// The intent could not be written to the ledger: nothing was handed over.
    LedgerFailed(Error),
}

/// One SMTP transaction: MAIL, RCPT, then – after `before_data` (the ledger's intent line)
/// succeeded – DATA and the message.
fn transaction(
    conn: &mut SmtpConnection,
    envelope: &Envelope,
    bytes: &[u8],
    before_data: &mut dyn FnMut() -> Result<()>,
) -> Outcome {
    let mut params = Vec::new();
    let non_ascii = envelope.from().into_iter().chain(envelope.to()).any(|a| !AsRef::<str>::as_ref(a).is_ascii());
    if non_ascii {
        if !conn.server_info().supports_feature(Extension::SmtpUtfEight) {
            return Outcome::Refused(t!(
                "adressen indeholder tegn uden for ASCII, og serveren understøtter ikke SMTPUTF8",
                "the address contains non-ASCII characters and the server does not support SMTPUTF8"
            ));
        }
        params.push(MailParameter::SmtpUtfEight);
    }
    if !bytes.is_ascii() {
        if !conn.server_info().supports_feature(Extension::EightBitMime) {
            return Outcome::Refused(t!(
                "beskeden er 8-bit, og serveren understøtter ikke 8BITMIME",
                "the message is 8-bit and the server does not support 8BITMIME"
            ));
        }
        params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let step = |r: std::result::Result<_, SmtpError>, sender: bool| -> Option<Outcome> {
        match r {
            Ok(_) => None,
            Err(e) if e.is_permanent() => {
                let a = answer(&e);
                Some(if sender { Outcome::SenderRefused(a) } else { Outcome::Refused(t!("{a}", "{a}")) })
            }
            Err(e) if e.is_transient() => Some(Outcome::Transient(answer(&e))),
            Err(e) => Some(Outcome::Broken(network_reason(&e))),
        }
    };
    if let Some(o) = step(conn.command(Mail::new(envelope.from().cloned(), params)), true) {
        return o;
    }
    for to in envelope.to() {
        if let Some(o) = step(conn.command(Rcpt::new(to.clone(), vec![])), false) {
            return o;
        }
    }
    if let Err(e) = before_data() {
        return Outcome::LedgerFailed(e);
    }
    if let Some(o) = step(conn.command(Data), false) {
        return o;
    }
    if let Some(o) = step(conn.message(bytes), false) {
        return o;
    }
    Outcome::Sent
}

/// The server's answer as people read it: `550 5.1.1 mailbox unavailable`.
fn answer(e: &SmtpError) -> String {
    let text = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
    let text = match e.status() {
        Some(code) => format!("{code} {text}"),
        None => e.to_string(),
    };
    header_text(&text)
}

/// Whether a lettre error was caused by TLS (handshake, certificate), wherever in the chain.
fn is_tls_failure(e: &SmtpError) -> bool {
    if e.is_tls() {
        return true;
    }
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if s.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        if let Some(io) = s.downcast_ref::<std::io::Error>()
            && io.get_ref().is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
        {
            return true;
        }
        source = s.source();
    }
    false
}

fn error_chain(e: &SmtpError) -> String {
    let mut out = e.to_string();
    if let Some(io) = std::error::Error::source(e).and_then(|s| s.downcast_ref::<std::io::Error>())
        && let Some(inner) = io.get_ref()
    {
        let inner = inner.to_string();
        if !out.contains(&inner) {
            out = format!("{out}: {inner}");
        }
    }
    header_text(&out)
}

fn network_reason(e: &SmtpError) -> Text {
    let detail = error_chain(e);
    if e.is_timeout() {
        t!("forbindelsen svarede ikke i tide ({detail})", "the connection timed out ({detail})")
    } else {
        t!("forbindelsen blev afbrudt ({detail})", "the connection was lost ({detail})")
    }
}

enum Failure {
    /// Worth another attempt (network, 4xx).
    Retry(Text),
    /// Will not get better by retrying (TLS, login, 5xx, no STARTTLS).
    Fatal(Text),
}

/// Everything needed to open an SMTP session. `Debug` never shows the password.
pub(crate) struct Connector {
    host: String,
    port: u16,
    security: Security,
    tls: Option<TlsParameters>,
    credentials: Option<Credentials>,
    username: String,
    /// Only to scrub it from any text that could reach the user.
    secret: Option<String>,
    ca_file: Option<PathBuf>,
    timeout: Duration,
    hello: ClientId,
}

impl fmt::Debug for Connector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connector")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &if self.credentials.is_some() { "<hidden>" } else { "<none>" })
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .finish()
    }
}

fn is_local(host: &str) -> bool {
    matches!(host.trim().to_ascii_lowercase().as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]")
}

impl Connector {
    /// Checks the settings and prepares TLS, without connecting.
    pub(crate) fn new(smtp: &Smtp, password: Option<&str>) -> Result<Connector> {
        let host = smtp.host.trim().trim_start_matches('[').trim_end_matches(']').to_string();
        if host.is_empty() {
            return Err(Error::Mail {
                message: t!(
                    "Der er ingen SMTP-server: sæt host under [smtp] i os2gov.toml (fx host = \"smtp.kommune.dk\").",
                    "There is no SMTP server: set host under [smtp] in os2gov.toml (e.g. host = \"smtp.example.dk\")."
                ),
            });
        }
        if smtp.security == Security::None && !is_local(&host) {
            return Err(Error::Mail {
                message: t!(
                    "security = \"none\" (ukrypteret SMTP) er kun tilladt til localhost, ikke til {host}. Brug \
                     security = \"starttls\" (port 587) eller \"tls\" (port 465) under [smtp] i os2gov.toml.",
                    "security = \"none\" (unencrypted SMTP) is only allowed to localhost, not to {host}. Use \
                     security = \"starttls\" (port 587) or \"tls\" (port 465) under [smtp] in os2gov.toml."
                ),
            });
        }
        let username = smtp.username.trim().to_string();
        let credentials = if username.is_empty() {
            None
        } else {
            match password {
                Some(p) if !p.is_empty() => Some(Credentials::new(username.clone(), p.to_string())),
                _ => {
                    return Err(Error::Mail {
                        message: t!(
                            "[smtp] username = \"{username}\" er sat, men adgangskoden mangler: sæt miljøvariablen \
                             OS2GOV_SMTP_PASSWORD.",
                            "[smtp] username = \"{username}\" is set but the password is missing: set the \
                             environment variable OS2GOV_SMTP_PASSWORD."
                        ),
                    });
                }
            }
        };
        let tls = match smtp.security {
            Security::None => None,
            Security::StartTls | Security::Tls => Some(tls_parameters(&host, smtp.ca_file.as_deref())?),
        };
        Ok(Connector {
            host,
            port: smtp.port,
            security: smtp.security,
            tls,
            secret: credentials.as_ref().and(password.map(str::to_string)),
            credentials,
            username,
            ca_file: smtp.ca_file.clone(),
            timeout: Duration::from_secs(smtp.timeout_s.max(1)),
            hello: ClientId::default(),
        })
    }

    /// Opens a session: TCP (or TLS), greeting, EHLO, STARTTLS when asked, login when configured.
    fn connect(&self) -> std::result::Result<SmtpConnection, Failure> {
        let wrapper = if self.security == Security::Tls { self.tls.as_ref() } else { None };
        let mut conn =
            SmtpConnection::connect((self.host.as_str(), self.port), Some(self.timeout), &self.hello, wrapper, None)
                .map_err(|e| self.classify(&e, Stage::Connect))?;
        if self.security == Security::StartTls {
            let tls = self.tls.as_ref().expect("TLS parameters exist for starttls");
            if !conn.server_info().supports_feature(Extension::StartTls) {
                conn.abort();
                return Err(Failure::Fatal(t!(
                    "serveren tilbyder ikke STARTTLS. Brug security = \"tls\" (typisk port 465), eller tjek port \
                     (STARTTLS bruger typisk 587)",
                    "the server does not offer STARTTLS. Use security = \"tls\" (usually port 465), or check the \
                     port (STARTTLS usually uses 587)"
                )));
            }
            if let Err(e) = conn.starttls(tls, &self.hello) {
                conn.abort();
                return Err(self.classify(&e, Stage::StartTls));
            }
        }
        if let Some(credentials) = &self.credentials
            && let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], credentials)
        {
            conn.abort();
            return Err(self.classify(&e, Stage::Login));
        }
        Ok(conn)
    }

    fn classify(&self, e: &SmtpError, stage: Stage) -> Failure {
        if is_tls_failure(e) {
            let detail = error_chain(e);
            return Failure::Fatal(t!(
                "TLS-forbindelsen kunne ikke etableres ({detail}). Tjek at host er det navn, serverens certifikat \
                 er udstedt til, og sæt ca_file under [smtp] til rodcertifikatet (PEM), hvis relæet bruger et \
                 privat certifikat",
                "the TLS connection could not be established ({detail}). Check that host is the name the \
                 server's certificate was issued for, and set ca_file under [smtp] to the root certificate (PEM) \
                 if the relay uses a private certificate"
            ));
        }
        if e.is_permanent() {
            let answer = answer(e);
            return Failure::Fatal(match stage {
                Stage::Login => {
                    let user = &self.username;
                    t!(
                        "login som '{user}' blev afvist ({answer}). Tjek username under [smtp] og adgangskoden i \
                         miljøvariablen OS2GOV_SMTP_PASSWORD",
                        "login as '{user}' was refused ({answer}). Check username under [smtp] and the password \
                         in the environment variable OS2GOV_SMTP_PASSWORD"
                    )
                }
                _ => t!("serveren afviste forbindelsen ({answer})", "the server refused the connection ({answer})"),
            });
        }
        if e.is_transient() {
            let answer = answer(e);
            return Failure::Retry(t!(
                "serveren er midlertidigt utilgængelig ({answer})",
                "the server is temporarily unavailable ({answer})"
            ));
        }
        if e.is_client() {
            let detail = error_chain(e);
            return Failure::Fatal(match stage {
                Stage::Login => t!(
                    "serveren tilbyder ingen login-metode, som os2gov kan bruge (PLAIN eller LOGIN): {detail}",
                    "the server offers no login method os2gov can use (PLAIN or LOGIN): {detail}"
                ),
                _ => t!("{detail}", "{detail}"),
            });
        }
        let detail = error_chain(e);
        if e.is_response() {
            return Failure::Retry(t!(
                "serveren lukkede forbindelsen eller svarede uforståeligt ({detail}). Tjek at port er en \
                 SMTP-port, og at security passer til den (starttls: typisk 587, tls: typisk 465)",
                "the server closed the connection or answered something unreadable ({detail}). Check that port \
                 is an SMTP port and that security fits it (starttls: usually 587, tls: usually 465)"
            ));
        }
        Failure::Retry(t!(
            "kunne ikke forbinde ({detail}). Tjek host og port under [smtp] i os2gov.toml, og at serveren kører og \
             kan nås herfra (firewall, VPN)",
            "could not connect ({detail}). Check host and port under [smtp] in os2gov.toml, and that the server is \
             running and reachable from here (firewall, VPN)"
        ))
    }

    /// The error when sending was stopped on request: what was sent, and how to go on.
    fn stopped_error(&self, sent: usize, total: usize, ledger: &Ledger) -> Error {
        let file = ledger.path().display();
        Error::Mail {
            message: t!(
                "Afsendelsen blev stoppet (Ctrl-C eller stop-signal), efter at den igangværende mail var færdig: {sent} af {total} beskeder er sendt og noteret i {file}. Kør os2gov run --send igen for at sende resten; intet sendes to gange.",
                "Sending was stopped (Ctrl-C or a stop signal) after the mail in progress was finished: {sent} of {total} messages were sent and are recorded in {file}. Run os2gov run --send again to send the rest; nothing is sent twice."
            ),
        }
    }

    /// The error that ends a batch: where, why, and what was sent before.
    fn batch_error(&self, reason: &Text, sent: usize, total: usize, ledger: &Ledger) -> Error {
        let (host, port, file) = (&self.host, self.port, ledger.path().display());
        let head = t!(
            "Kunne ikke sende post via SMTP-serveren {host}:{port}: ",
            "Could not send mail through the SMTP server {host}:{port}: "
        );
        let tail = if sent == 0 {
            t!("Intet blev sendt.", "Nothing was sent.")
        } else {
            t!(
                "{sent} af {total} beskeder blev sendt og er noteret i {file}; kør igen for at sende resten.",
                "{sent} of {total} messages were sent and are recorded in {file}; run again to send the rest."
            )
        };
        let mut message = Text::new(head.da + &reason.da + ".", head.en + &reason.en + ".").then(&tail);
        if let Some(secret) = self.secret.as_deref().filter(|s| !s.is_empty()) {
            message.da = message.da.replace(secret, "***");
            message.en = message.en.replace(secret, "***");
        }
        Error::Mail { message }
    }
}

#[derive(Clone, Copy)]
enum Stage {
    Connect,
    StartTls,
    Login,
}

/// TLS settings for `host`: the system's roots plus `ca_file`, if given.
fn tls_parameters(host: &str, ca_file: Option<&std::path::Path>) -> Result<TlsParameters> {
    let mut builder = TlsParameters::builder(host.to_string());
    if let Some(path) = ca_file {
        let file = path.display();
        let pem = crate::sys::fs::read(path)?;
        if !pem.windows(27).any(|w| w == b"-----BEGIN CERTIFICATE-----") {
            return Err(Error::Mail {
                message: t!(
                    "ca_file {file} indeholder intet certifikat i PEM-format (-----BEGIN CERTIFICATE-----).",
                    "ca_file {file} contains no certificate in PEM format (-----BEGIN CERTIFICATE-----)."
                ),
            });
        }
        let cert = Certificate::from_pem(&pem).map_err(|e| Error::Mail {
            message: t!("ca_file {file} kan ikke læses som PEM: {e}", "ca_file {file} cannot be read as PEM: {e}"),
        })?;
        builder = builder.add_root_certificate(cert);
    }
    builder.build().map_err(|e| Error::Mail {
        message: t!(
            "TLS kunne ikke sættes op til {host}: {e}. Tjek ca_file under [smtp].",
            "TLS could not be set up for {host}: {e}. Check ca_file under [smtp]."
        ),
    })
}
