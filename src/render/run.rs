//! What a whole `os2gov run` did ([`RunResult`]: the check report plus what was written,
//! sent and noted), made by the batch, and its summaries for the terminal: the full one,
//! the one line of `-q`, and the problems. Paths are shown from where the user stands, and
//! suggested commands carry the options the user gave, so both work as printed.

use crate::check::report::Report;
use crate::config::request::Run;
use crate::config::settings::Terminal;
use crate::error::Error;
use crate::model::agenda::Agenda;
use crate::render::text::{left_out_lines, set_aside_lines, severity_counts, skipped_lines, unreadable_line};
use crate::text::Lang;
use chrono::NaiveDate;
use std::fmt::Write;
use std::path::PathBuf;

/// What a run did, for the summary.
pub struct RunResult {
    pub report: Report,
    pub folder: PathBuf,
    /// The period folder existed from an earlier run and was replaced.
    pub replaced: bool,
    /// Mails had been sent from the replaced folder: it is kept as this revision
    /// (`<period>/tidligere/<N>`).
    pub revision: Option<Revision>,
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

/// A period folder's earlier version that is kept as a revision when the re-run is put
/// in place, because mails were sent from it (`<period>/tidligere/<N>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// Its number in `<period>/tidligere/`.
    pub number: u32,
    /// When the replaced run started (its manifest's `created`), if known.
    pub created: Option<String>,
    /// How many mails the send ledger records as sent (or handed to the server) from it.
    pub sent: usize,
}

/// The folder inside a period folder that keeps its earlier, sent versions:
/// `ud/<period>/tidligere/<N>/`, N = 1, 2, … in the order they were replaced. Never a
/// period (`YYYY-MM`), so readers of `ud/` that look for period folders skip it.
pub const REVISIONS: &str = "tidligere";

/// The command that sends what this run prepared (or sends the rest), with every option
/// the user gave, so it works pasted where they stand.
fn send_command(terminal: &Terminal, opts: &Run, as_of: NaiveDate) -> String {
    let mut args: Vec<String> = vec!["run".into(), "--send".into()];
    if opts.period != crate::model::period::period_of(as_of) {
        args.extend(["--period".into(), opts.period.clone()]);
    }
    if let Some(m) = opts.meeting {
        args.extend(["--meeting".into(), m.to_string()]);
        if opts.force_meeting {
            args.push("--force-meeting".into());
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    terminal.command(&args)
}

/// One line for `run -q`: what was checked, the findings, where the files are.
pub fn render_run_line(r: &RunResult, lang: Lang, terminal: &Terminal) -> String {
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let s = r.report.summary();
    let sent = match &r.sent {
        Some(sent) => format!("{} {}", sent.sent.len(), l("mails sendt", "mails sent")),
        None => l("ingen mails sendt", "no mails sent").to_string(),
    };
    format!(
        "os2gov run {}: {} {} · {} · {}/ · {sent}\n",
        r.report.period,
        s.projects,
        l("projektark kontrolleret", "projektark checked"),
        severity_counts(s.errors, s.warnings, s.infos, lang),
        terminal.shown(&r.folder),
    )
}

/// The short summary `os2gov run` prints: what was checked, the findings, where the files
/// are, what was (or was not) sent, and what to do next.
pub fn render_run(r: &RunResult, lang: Lang, terminal: &Terminal, opts: &Run) -> String {
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let report = &r.report;
    let s = report.summary();
    let mut out = String::new();
    let folder = terminal.shown(&r.folder);
    let _ = writeln!(
        out,
        "os2gov run {} · {} {} · {} {}",
        report.period,
        l("kørselsdato", "as of"),
        crate::model::value::format_date(report.as_of),
        l("styringsmodel", "styringsmodel"),
        report.rules.document.version
    );
    for note in &r.recovered {
        let _ = writeln!(
            out,
            "{} {}.",
            l("Oprydning efter en afbrudt kørsel:", "Cleaned up after an interrupted run:"),
            note.get(lang)
        );
    }
    if let Some(pid) = &r.stale_lock {
        let _ =
            writeln!(out, "{} {pid}.", l("Overtog en efterladt lås fra proces", "Took over a lock left by process"));
    }
    for f in &report.model_findings {
        let _ = writeln!(
            out,
            "{} {}{}: {}",
            f.severity.label(lang),
            f.code,
            crate::render::text::model_place(f),
            f.message.get(lang)
        );
    }
    if !terminal.quiet() {
        crate::render::text::register_lines(&mut out, report, lang, "");
    }
    let _ = writeln!(
        out,
        "{} {} {} · {} {} · {}",
        l("Kontrolleret:", "Checked:"),
        s.projects,
        l("projektark", "projektark"),
        s.projects_without_errors,
        l("uden fejl", "without errors"),
        severity_counts(s.errors, s.warnings, s.infos, lang)
    );
    if !report.unreadable.is_empty() {
        let _ = writeln!(out, "{} ({}):", l("Kunne ikke læses", "Could not be read"), report.unreadable.len());
        for u in &report.unreadable {
            let _ = writeln!(out, "  {}", unreadable_line(u, lang, terminal));
        }
    }
    if !report.not_submitted.is_empty() {
        let keys = report.not_submitted.iter().map(|n| crate::text::clip(&n.key, crate::text::SHOWN_VALUE_CHARS));
        let _ = writeln!(
            out,
            "{} ({}): {} – {}",
            l("Ikke indsendt", "Not sent in"),
            report.not_submitted.len(),
            crate::text::listed(keys, ", ", lang),
            l("projektlederne får en påmindelse", "their leads get a reminder")
        );
    }
    skipped_lines(&mut out, report, lang, terminal);
    left_out_lines(&mut out, report, lang, terminal);
    set_aside_lines(&mut out, report, lang, terminal);
    let items = crate::board::entries(report);
    let count = |a: Agenda| items.iter().filter(|i| i.agenda == a).count();
    let meeting = r
        .meeting
        .map(|d| crate::model::value::format_date_words(d, lang))
        .unwrap_or_else(|| l("(intet møde planlagt)", "(no meeting planned)").to_string());
    let _ = writeln!(
        out,
        "{} {meeting}: {} {}, {} {}, {} {}",
        l("Til bestyrelsesmødet", "For the board meeting"),
        count(Agenda::Beslutning),
        Agenda::Beslutning.purpose(lang),
        count(Agenda::Droeftelse),
        Agenda::Droeftelse.purpose(lang),
        count(Agenda::Orientering),
        Agenda::Orientering.purpose(lang)
    );
    match &report.previous_period {
        Some(p) => {
            let _ = writeln!(out, "{} {p}: {}", l("Ændringer siden", "Changes since"), report.changes.len());
        }
        None => {
            let _ = writeln!(
                out,
                "{}",
                l("Ingen tidligere periode at sammenligne med.", "No earlier period to compare with.")
            );
        }
    }
    let _ = writeln!(
        out,
        "{} {folder}/: annoteret/ ({}), {}, {}, {} ({}), {} ({}), post/ ({} {}), manifest.json",
        l("Filerne ligger i", "The files are in"),
        r.annotated,
        crate::render::portfolio::file_name(&report.period),
        crate::render::json::file_name(&report.period),
        crate::model::history::file_name(&report.period),
        l("historikken", "the history"),
        crate::model::board_items::file_name(&report.period),
        l("bestyrelsens punkter", "the board's items"),
        r.messages,
        l("mails", "mails")
    );
    if let Some(rev) = &r.revision {
        let (sent, kept) = (rev.sent, format!("{folder}/{REVISIONS}/{}/", rev.number));
        let text = crate::text::t!(
            "{folder}/ fandtes fra en tidligere kørsel, som der var sendt {sent} mail(s) fra. Den version er gemt uændret i {kept}, så det, modtagerne fik, kan ses dér; denne kørsel står i {folder}/.",
            "{folder}/ existed from an earlier run that {sent} mail(s) were sent from. That version is kept unchanged in {kept}, so what the recipients got can be seen there; this run is in {folder}/."
        );
        let _ = writeln!(out, "{} {}", l("Bemærk:", "Note:"), text.get(lang));
    } else if r.replaced {
        let _ = writeln!(
            out,
            "{} {folder}/ {}",
            l("Bemærk:", "Note:"),
            l(
                "fandtes fra en tidligere kørsel, som der ikke var sendt mails fra, og er erstattet af denne.",
                "existed from an earlier run that no mails were sent from, and has been replaced by this one."
            )
        );
    }
    for note in &r.notes {
        let _ = writeln!(out, "{} {}", l("Bemærk:", "Note:"), note.get(lang));
    }
    for name in &r.rebuilt {
        let _ = writeln!(
            out,
            "  {} {name} {}",
            l("Bemærk:", "Note:"),
            l(
                "blev genopbygget ud fra værdierne (se fanen Kontrol).",
                "was rebuilt from its values (see its Kontrol sheet)."
            )
        );
    }
    for (name, why) in &r.annotate_failed {
        let _ = writeln!(out, "  {} {name}: {}", l("Kunne ikke annoteres:", "Could not be annotated:"), why.get(lang));
    }
    if !opts.send {
        let _ = writeln!(
            out,
            "{} {folder}/post/ {} {}",
            l("Ingen mails er sendt. Se dem i", "No mails were sent. Review them in"),
            l("og send dem med:", "and send them with:"),
            send_command(terminal, opts, report.as_of)
        );
    }
    if let Some(sent) = &r.sent {
        let _ = writeln!(
            out,
            "{} {} · {} {} · {} {} · {} {}",
            l("Sendt:", "Sent:"),
            sent.sent.len(),
            l("allerede sendt tidligere:", "already sent before:"),
            sent.skipped_already_sent.len(),
            l("afvist:", "refused:"),
            sent.refused.len(),
            l("udskudt:", "deferred:"),
            sent.deferred.len()
        );
        for (key, why) in sent.refused.iter().chain(&sent.deferred) {
            let _ = writeln!(out, "  {}: {}", key.recipient, why.get(lang));
        }
        for key in &sent.resent_unconfirmed {
            let _ = writeln!(out, "  {} {}", l("Bemærk:", "Note:"), unconfirmed_note(key).get(lang));
        }
        if !sent.refused.is_empty() || !sent.deferred.is_empty() {
            let _ = writeln!(
                out,
                "{} {} {}",
                l(
                    "Ret adresserne (fanen Modtagere eller projektarket) og kør",
                    "Fix the addresses (the Modtagere sheet or the projektark) and run"
                ),
                send_command(terminal, opts, report.as_of),
                l("igen; kun de manglende sendes.", "again; only the missing ones are sent.")
            );
        }
    }
    out
}

/// The message a killed run may have delivered, sent again by this one.
fn unconfirmed_note(key: &crate::deliver::outbox::MessageKey) -> crate::text::Text {
    let to = &key.recipient;
    crate::text::t!(
        "{to} kan have fået samme mail to gange: en tidligere kørsel blev stoppet, mens netop den mail blev sendt, og mailserveren kan ikke fortælle, om den nåede frem. Den er sendt igen.",
        "{to} may have the same mail twice: an earlier run was stopped while sending exactly that mail, and the mail server cannot tell whether it arrived. It was sent again."
    )
}

/// A message an earlier run sent again after a kill, and which that run could not report
/// because it was stopped too: said by the next run that completes.
pub fn possible_duplicate(
    key: &crate::deliver::outbox::MessageKey,
    at: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> crate::text::Text {
    let to = crate::text::clip(&key.recipient, crate::text::SHOWN_VALUE_CHARS);
    let (kind, period) = (key.kind.as_str(), &key.period);
    let when = at.map(|t| t.format("%d-%m-%Y %H:%M").to_string()).unwrap_or_default();
    crate::text::t!(
        "{to} kan have fået samme mail ({kind}, {period}) to gange: en kørsel {when} sendte den igen, efter at en tidligere kørsel var blevet stoppet midt i den, og blev så selv stoppet, før den kunne sige det.",
        "{to} may have the same mail ({kind}, {period}) twice: a run at {when} sent it again after an earlier run had been stopped in the middle of it, and was then stopped itself before it could say so."
    )
}

/// The problems of a run, one per line, for `-q`: unreadable workbooks, copies that
/// could not be annotated, refused or deferred mails, and notes. Empty when all went well.
pub fn render_run_problems(r: &RunResult, lang: Lang, terminal: &Terminal) -> String {
    let mut out = String::new();
    for u in &r.report.unreadable {
        let _ = writeln!(out, "os2gov: {}", unreadable_line(u, lang, terminal));
    }
    for (name, why) in &r.annotate_failed {
        let _ = writeln!(out, "os2gov: {name}: {}", why.get(lang));
    }
    if let Some(sent) = &r.sent {
        for (key, why) in sent.refused.iter().chain(&sent.deferred) {
            let _ = writeln!(out, "os2gov: {}: {}", key.recipient, why.get(lang));
        }
        for key in &sent.resent_unconfirmed {
            let _ = writeln!(out, "os2gov: {}", unconfirmed_note(key).get(lang));
        }
    }
    for note in &r.notes {
        let _ = writeln!(out, "os2gov: {}", note.get(lang));
    }
    out
}
