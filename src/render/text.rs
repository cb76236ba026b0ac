//! The text report of `os2gov check` (per project, errors first, what is missing for the
//! next level, the unreadable files, one summary line a non-programmer can act on) and the
//! summary of `os2gov run`. Paths are shown from where the user stands, and suggested
//! commands carry the options the user gave, so both work as printed.

use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::config::settings::{Settings, Verbosity};
use crate::model::finding::{Finding, Severity};
use crate::render::rules::pad;
use crate::text::Lang;
use std::fmt::Write;

/// `2 fejl, 1 advarsel, 0 info` – the counts by severity, singular where it is one.
pub fn severity_counts(errors: usize, warnings: usize, infos: usize, lang: Lang) -> String {
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let e = if errors == 1 { l("fejl", "error") } else { l("fejl", "errors") };
    let w = if warnings == 1 { l("advarsel", "warning") } else { l("advarsler", "warnings") };
    format!("{errors} {e}, {warnings} {w}, {infos} info")
}

fn finding_line(out: &mut String, f: &Finding, lang: Lang) {
    let place = f.location.a1();
    let req = f.requirement.as_deref().unwrap_or("");
    let _ = writeln!(
        out,
        "  {} {} {} {} {}",
        pad(f.severity.label(lang), 8),
        pad(f.code.as_str(), 31),
        pad(req, 4),
        pad(&place, 14),
        f.message.get(lang)
    );
}

fn project_block(out: &mut String, report: &Report, p: &ProjectResult, settings: &Settings) {
    let (lang, quiet, verbose) = (settings.lang, settings.quiet(), settings.verbosity >= Verbosity::Verbose);
    let rules = &report.rules;
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let (e, w, i) = crate::model::finding::count(&p.findings);
    if quiet && e == 0 {
        return;
    }
    let name = p.name();
    let title = if name.is_empty() { p.key() } else { format!("{} – {name}", p.key()) };
    let _ = writeln!(out, "{title}  ({})", settings.shown(&p.path));
    let (listed, omitted) = p.listed();
    if quiet {
        for f in listed.iter().filter(|f| f.severity == Severity::Error) {
            finding_line(out, f, lang);
        }
        return;
    }
    let declared = p.project.fields.level.given().map(|lv| rules.level(*lv).code.clone());
    let attained = match p.assessment.attained {
        Some(l) => rules.level(l).code.clone(),
        None => lang.pick("ingen", "none").to_string(),
    };
    let for_phase = p.assessment.attained_for_phase.map(|ph| {
        let name = &rules.phase(ph).name;
        match lang {
            Lang::Da => format!(" for fasen {name}"),
            Lang::En => format!(" for the phase {name}"),
        }
    });
    let for_phase = for_phase.unwrap_or_default();
    let level_text = match &declared {
        Some(d) if *d == attained => {
            format!("{} {d} {}{for_phase}", l("niveau", "level"), l("erklæret og opnået", "declared and attained"))
        }
        Some(d) => format!(
            "{} {d} {}, {attained} {}{for_phase}",
            l("niveau", "level"),
            l("erklæret", "declared"),
            l("opnået", "attained")
        ),
        None => format!("{} {attained} {}{for_phase}", l("niveau", "level"), l("opnået", "attained")),
    };
    let phase = p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.clone()).unwrap_or_else(|| "?".into());
    let counts =
        if e + w + i == 0 { l("ingen fund", "no findings").to_string() } else { severity_counts(e, w, i, lang) };
    let _ = writeln!(out, "  {level_text} · {} {phase} · {counts}", l("fase", "phase"));
    for f in listed.iter().filter(|f| verbose || f.severity > Severity::Info) {
        finding_line(out, f, lang);
    }
    if omitted > 0 {
        let _ = writeln!(out, "  (+ {omitted} {})", l("fund mere, ikke vist", "more findings, not shown"));
    }
    if !verbose && i > 0 {
        let _ = writeln!(out, "  (+ {i} info – {})", l("vis dem med -v", "show them with -v"));
    }
    if let Some(next) = p.assessment.next_level
        && !p.assessment.next_gap.is_empty()
    {
        let ids: Vec<&str> = p.assessment.next_gap.iter().map(|i| rules.requirements[*i].id.as_str()).collect();
        let _ = writeln!(out, "  {} {}: {}", l("Mangler til", "Missing for"), rules.level(next).code, ids.join(", "));
    }
    out.push('\n');
}

/// `indsendt/gammel.csv: Filen er en CSV-fil …` – an unreadable file, named once.
fn unreadable_line(u: &crate::check::report::Unreadable, settings: &Settings) -> String {
    format!("{}: {}", settings.shown(&u.path), u.finding.message.get(settings.lang))
}

/// The blank templates that were skipped, one line each (info).
fn skipped_lines(out: &mut String, report: &Report, settings: &Settings) {
    for s in &report.skipped {
        let f = settings.shown(&s.path);
        let _ = writeln!(
            out,
            "info {f}: {}",
            settings.lang.pick(
                "tomt projektark (skabelon), ikke kontrolleret – slet det, eller udfyld det",
                "blank projektark (template), skipped – delete it, or fill it in"
            )
        );
    }
}

/// The submissions set aside for a newer one of the same project, one line each: the old
/// file, the file that replaced it, and what to do.
fn set_aside_lines(out: &mut String, report: &Report, settings: &Settings) {
    if report.set_aside.is_empty() {
        return;
    }
    let lang = settings.lang;
    let n = report.set_aside.len();
    let _ = writeln!(
        out,
        "{} ({n}):",
        lang.pick(
            "Sat til side – en nyere udgave af samme projekt er kontrolleret i stedet",
            "Set aside – a newer version of the same project was checked instead"
        )
    );
    for s in &report.set_aside {
        let (old, key) = (settings.shown(&s.path), &s.key);
        let new = settings.shown(&s.current_path);
        let line = crate::text::t!(
            "  {old} ({key}): erstattet af {new}. Slet den gamle fil fra indbakken.",
            "  {old} ({key}): replaced by {new}. Delete the old file from the inbox."
        );
        let _ = writeln!(out, "{}", line.get(lang));
        if s.differs {
            let warn = crate::text::t!(
                "    advarsel: den gamle fil har et andet navn eller en anden projektleder – er det to projekter med samme Projekt-ID?",
                "    warning: the old file has another name or project lead – are these two projects with the same Projekt-ID?"
            );
            let _ = writeln!(out, "{}", warn.get(lang));
        }
    }
}

/// The whole report of `os2gov check`, for the verbosity in `settings`: `-q` gives the
/// errors and the summary line only, `-v` adds info findings and changes. Paths are shown
/// from where the user stands.
pub fn render(report: &Report, settings: &Settings) -> String {
    let (lang, quiet, verbose) = (settings.lang, settings.quiet(), settings.verbosity >= Verbosity::Verbose);
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let mut out = String::new();
    if !quiet {
        let _ = writeln!(
            out,
            "{} {} · {} {} · {} {}\n",
            l("Kontrol af projektark", "Check of projektark"),
            report.period,
            l("kørselsdato", "as-of"),
            crate::model::value::format_date(report.as_of),
            l("styringsmodel", "styringsmodel"),
            report.rules.document.version
        );
    }
    for f in report.model_findings.iter().filter(|f| !quiet || f.severity == Severity::Error) {
        let _ = writeln!(out, "{} {}: {}\n", f.severity.label(lang), f.code, f.message.get(lang));
    }
    for p in &report.projects {
        project_block(&mut out, report, p, settings);
    }
    if !report.unreadable.is_empty() {
        if !quiet {
            let _ = writeln!(out, "{}", l("Kunne ikke læses:", "Could not be read:"));
        }
        for u in &report.unreadable {
            let indent = if quiet { "" } else { "  " };
            let _ = writeln!(out, "{indent}{}", unreadable_line(u, settings));
        }
        if !quiet {
            out.push('\n');
        }
    }
    if !quiet && !report.skipped.is_empty() {
        skipped_lines(&mut out, report, settings);
        out.push('\n');
    }
    if !quiet && !report.set_aside.is_empty() {
        set_aside_lines(&mut out, report, settings);
        out.push('\n');
    }
    if !quiet && !report.not_submitted.is_empty() {
        let _ = writeln!(out, "{}", l("Ikke indsendt denne gang:", "Not sent in this time:"));
        for n in &report.not_submitted {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                n.finding.severity.label(lang),
                n.finding.code,
                n.finding.message.get(lang)
            );
        }
        out.push('\n');
    }
    if !report.changes.is_empty() && verbose {
        let _ = writeln!(out, "{}", l("Ændringer siden sidste kørsel:", "Changes since the last run:"));
        for c in &report.changes {
            let _ = writeln!(out, "  {}", c.describe().get(lang));
        }
        out.push('\n');
    }
    let s = report.summary();
    let _ = write!(
        out,
        "{}: {} {}{}",
        l("I alt", "Total"),
        s.projects,
        l("projektark kontrolleret", "projektark checked"),
        if s.unreadable > 0 {
            format!(", {} {}", s.unreadable, l("kunne ikke læses", "could not be read"))
        } else {
            String::new()
        },
    );
    if !report.skipped.is_empty() {
        let n = report.skipped.len();
        let _ = write!(out, ", {n} {}", l("tomme skabeloner sprunget over", "blank templates skipped"));
    }
    if !report.set_aside.is_empty() {
        let n = report.set_aside.len();
        let _ = write!(out, ", {n} {}", l("ældre udgaver sat til side", "older versions set aside"));
    }
    let _ = writeln!(
        out,
        " · {} {} · {}",
        s.projects_without_errors,
        l("uden fejl", "without errors"),
        severity_counts(s.errors, s.warnings, s.infos, lang)
    );
    out
}

/// The command that sends what this run prepared (or sends the rest), with every option
/// the user gave, so it works pasted where they stand.
fn send_command(settings: &Settings, opts: &crate::config::request::Run) -> String {
    let mut args: Vec<String> = vec!["run".into(), "--send".into()];
    if opts.period != crate::model::period::period_of(settings.as_of) {
        args.extend(["--period".into(), opts.period.clone()]);
    }
    if let Some(m) = opts.meeting {
        args.extend(["--meeting".into(), m.to_string()]);
        if opts.force_meeting {
            args.push("--force-meeting".into());
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    settings.command(&args)
}

/// One line for `run -q`: what was checked, the findings, where the files are.
pub fn render_run_line(r: &crate::render::run::RunResult, settings: &Settings) -> String {
    let lang = settings.lang;
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
        settings.shown(&r.folder),
    )
}

/// The short summary `os2gov run` prints: what was checked, the findings, where the files
/// are, what was (or was not) sent, and what to do next.
pub fn render_run(
    r: &crate::render::run::RunResult,
    settings: &Settings,
    opts: &crate::config::request::Run,
) -> String {
    let lang = settings.lang;
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let report = &r.report;
    let s = report.summary();
    let mut out = String::new();
    let folder = settings.shown(&r.folder);
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
        let _ = writeln!(out, "{} {}: {}", f.severity.label(lang), f.code, f.message.get(lang));
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
            let _ = writeln!(out, "  {}", unreadable_line(u, settings));
        }
    }
    if !report.not_submitted.is_empty() {
        let keys: Vec<&str> = report.not_submitted.iter().map(|n| n.key.as_str()).collect();
        let _ = writeln!(
            out,
            "{} ({}): {} – {}",
            l("Ikke indsendt", "Not sent in"),
            keys.len(),
            keys.join(", "),
            l("projektlederne får en påmindelse", "their leads get a reminder")
        );
    }
    skipped_lines(&mut out, report, settings);
    set_aside_lines(&mut out, report, settings);
    let items = crate::board::entries(report);
    let count = |a: crate::board::Agenda| items.iter().filter(|i| i.agenda == a).count();
    let meeting = r
        .meeting
        .map(|d| crate::model::value::format_date_words(d, lang))
        .unwrap_or_else(|| l("(intet møde planlagt)", "(no meeting planned)").to_string());
    let _ = writeln!(
        out,
        "{} {meeting}: {} {}, {} {}, {} {}",
        l("Til bestyrelsesmødet", "For the board meeting"),
        count(crate::board::Agenda::Beslutning),
        l("til beslutning", "for decision"),
        count(crate::board::Agenda::Droeftelse),
        l("til drøftelse", "for discussion"),
        count(crate::board::Agenda::Orientering),
        l("til orientering", "for information")
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
        "{} {folder}/: annoteret/ ({}), {}, {}, post/ ({} {}), manifest.json",
        l("Filerne ligger i", "The files are in"),
        r.annotated,
        crate::render::portfolio::file_name(&report.period),
        crate::render::json::file_name(&report.period),
        r.messages,
        l("mails", "mails")
    );
    if r.replaced {
        let _ = writeln!(
            out,
            "{} {folder}/ {}",
            l("Bemærk:", "Note:"),
            l(
                "fandtes fra en tidligere kørsel og er erstattet af denne (sendte mails står stadig i loggen sendt.jsonl).",
                "existed from an earlier run and has been replaced by this one (mails sent are still in the log sendt.jsonl)."
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
            send_command(settings, opts)
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
                send_command(settings, opts),
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

/// The problems of a run, one per line, for `-q`: unreadable workbooks, copies that
/// could not be annotated, refused or deferred mails, and notes. Empty when all went well.
pub fn render_run_problems(r: &crate::render::run::RunResult, settings: &Settings) -> String {
    let lang = settings.lang;
    let mut out = String::new();
    for u in &r.report.unreadable {
        let _ = writeln!(out, "os2gov: {}", unreadable_line(u, settings));
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
