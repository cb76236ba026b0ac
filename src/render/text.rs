//! The text report of `os2gov check` (per project, errors first, what is missing for the
//! next level, the unreadable files, one summary line a non-programmer can act on). The
//! summary of `os2gov run` is in [`crate::render::run`]. Paths are shown from where the user stands, and suggested
//! commands carry the options the user gave, so both work as printed.

use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::config::settings::{Terminal, Verbosity};
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

fn project_block(out: &mut String, report: &Report, p: &ProjectResult, lang: Lang, terminal: &Terminal) {
    let (quiet, verbose) = (terminal.quiet(), terminal.verbosity >= Verbosity::Verbose);
    let rules = &report.rules;
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let (e, w, i) = crate::model::finding::count(&p.findings);
    if quiet && e == 0 {
        return;
    }
    let name = p.name();
    let title = if name.is_empty() { p.key() } else { format!("{} – {name}", p.key()) };
    let _ = writeln!(out, "{title}  ({})", terminal.shown(&p.path));
    // At most MAX_SHOWN_PER_KIND of a code, the rest counted per code.
    let (listed, omitted) = p.shown_by_kind();
    let more_lines = |out: &mut String, least: Severity| {
        for o in omitted.iter().filter(|o| o.worst >= least) {
            let (n, code) = (o.count, o.code);
            let _ = writeln!(out, "  (+ {n} {}: {code})", l("mere, ikke vist", "more, not shown"));
        }
    };
    if quiet {
        for f in listed.iter().filter(|f| f.severity == Severity::Error) {
            finding_line(out, f, lang);
        }
        more_lines(out, Severity::Error);
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
    more_lines(out, if verbose { Severity::Info } else { Severity::Warning });
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
pub(crate) fn unreadable_line(u: &crate::check::report::Unreadable, lang: Lang, terminal: &Terminal) -> String {
    format!("{}: {}", terminal.shown(&u.path), u.finding.message.get(lang))
}

/// The blank templates that were skipped, one line each (info).
pub(crate) fn skipped_lines(out: &mut String, report: &Report, lang: Lang, terminal: &Terminal) {
    for s in &report.skipped {
        let f = terminal.shown(&s.path);
        let _ = writeln!(
            out,
            "info {f}: {}",
            lang.pick(
                "tomt projektark (skabelon), ikke kontrolleret – slet det, eller udfyld det",
                "blank projektark (template), skipped – delete it, or fill it in"
            )
        );
    }
}

/// How many left-out workbooks a summary names one by one.
const LEFT_OUT_SHOWN: usize = 20;

/// The workbooks in the inbox that were not read for their name or depth, named once:
/// at most [`LEFT_OUT_SHOWN`], the rest counted.
pub(crate) fn left_out_lines(out: &mut String, report: &Report, lang: Lang, terminal: &Terminal) {
    use crate::load::inbox::LeftOutReason;
    let left = &report.left_out;
    if left.is_empty() {
        return;
    }
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let total = left.named.len() + left.more;
    let depth = crate::load::inbox::MAX_DEPTH;
    let _ = writeln!(
        out,
        "{} ({total}):",
        l(
            "Ikke læst – skjulte navne og filer for dybt i mapperne tages ikke med; flyt dem, hvis de skal kontrolleres",
            "Not read – hidden names and files too deep in the folders are left out; move them if they are to be checked"
        )
    );
    for f in left.named.iter().take(LEFT_OUT_SHOWN) {
        let why = match f.reason {
            LeftOutReason::Hidden => l("skjult navn", "hidden name").to_string(),
            LeftOutReason::InHiddenFolder => l("i en skjult mappe", "in a hidden folder").to_string(),
            LeftOutReason::TooDeep => match lang {
                crate::text::Lang::Da => format!("over {depth} mapper nede"),
                crate::text::Lang::En => format!("more than {depth} folders down"),
            },
        };
        let _ = writeln!(out, "  {} ({why})", terminal.shown(&f.path));
    }
    let more = total.saturating_sub(LEFT_OUT_SHOWN);
    if more > 0 {
        let _ = writeln!(out, "  … {} {more} {}", l("og", "and"), l("mere", "more"));
    }
}

/// The submissions set aside for a newer one of the same project, one line each: the old
/// file, the file that replaced it, and what to do.
pub(crate) fn set_aside_lines(out: &mut String, report: &Report, lang: Lang, terminal: &Terminal) {
    if report.set_aside.is_empty() {
        return;
    }
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
        let (old, key) = (terminal.shown(&s.path), &s.key);
        let new = terminal.shown(&s.current_path);
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
pub fn render(report: &Report, lang: Lang, terminal: &Terminal) -> String {
    let (quiet, verbose) = (terminal.quiet(), terminal.verbosity >= Verbosity::Verbose);
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
        let _ = writeln!(out, "{} {}{}: {}\n", f.severity.label(lang), f.code, model_place(f), f.message.get(lang));
    }
    if !quiet {
        register_lines(&mut out, report, lang, "\n");
    }
    for p in &report.projects {
        project_block(&mut out, report, p, lang, terminal);
    }
    if !report.unreadable.is_empty() {
        if !quiet {
            let _ = writeln!(out, "{}", l("Kunne ikke læses:", "Could not be read:"));
        }
        for u in &report.unreadable {
            let indent = if quiet { "" } else { "  " };
            let _ = writeln!(out, "{indent}{}", unreadable_line(u, lang, terminal));
        }
        if !quiet {
            out.push('\n');
        }
    }
    if !quiet && !report.skipped.is_empty() {
        skipped_lines(&mut out, report, lang, terminal);
        out.push('\n');
    }
    if !quiet && !report.left_out.is_empty() {
        left_out_lines(&mut out, report, lang, terminal);
    }
    if !quiet && !report.set_aside.is_empty() {
        set_aside_lines(&mut out, report, lang, terminal);
        out.push('\n');
    }
    if !quiet && !report.not_submitted.is_empty() {
        let _ = writeln!(out, "{}", l("Ikke indsendt denne gang:", "Not sent in this time:"));
        let more = report.not_submitted.len().saturating_sub(crate::board::MAX_NOT_SUBMITTED);
        for n in report.not_submitted.iter().take(crate::board::MAX_NOT_SUBMITTED) {
            let _ = writeln!(
                out,
                "  {} {}: {}",
                n.finding.severity.label(lang),
                n.finding.code,
                n.finding.message.get(lang)
            );
        }
        if more > 0 {
            let _ = writeln!(out, "  … {} {more} {}", l("og", "and"), l("mere", "more"));
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

/// Where in the styringsmodel a finding points, as ` (Beslutninger!A4)`; empty without a place.
pub(crate) fn model_place(f: &crate::model::finding::Finding) -> String {
    let at = f.location.a1();
    if at.is_empty() { at } else { format!(" ({at})") }
}

/// What the secretariat's register said: its notes (not found, created) and the rows that
/// could not be read, each with its cell.
pub(crate) fn register_lines(out: &mut String, report: &Report, lang: crate::text::Lang, gap: &str) {
    for note in &report.register.notes {
        let _ = writeln!(out, "{}{gap}", note.get(lang));
    }
    for f in &report.register.findings {
        let at = f.location.a1();
        let _ = writeln!(out, "{} {} {at}: {}{gap}", f.severity.label(lang), f.code, f.message.get(lang));
    }
}
