//! `os2gov report`: a projektark's self-assessment written as a governance report in
//! OS2's 2025 form (Markdown), for products that keep their answers in Excel.

use crate::commands::outcome::{Exit, Outcome};
use crate::config::request::Report;
use crate::config::settings::Settings;
use crate::error::{Error, Result};
use crate::run::workdir::load_model;
use crate::sys::fs;
use crate::sys::names::safe_file_stem;
use crate::text::{Lang, t};
use std::path::Path;

/// `os2gov report PROJEKTARK [-o FILE.md] [--force]`.
pub fn report(settings: &Settings, request: &Report) -> Result<Outcome> {
    let (input, output, force) = (request.projektark.as_path(), request.output.as_deref(), request.force);
    let loaded = load_model(&settings.paths, settings.as_of)?;
    let rules = &loaded.rules;
    let lang = settings.lang;
    let shown = settings.terminal.shown(input);
    // The inbox's bounded reader: a regular file only, its size from the metadata before
    // anything is read (a named pipe is refused at once, a huge file without reading it).
    let limits = crate::load::workbook::Limits::default();
    let bytes = match crate::load::workbook::read_input(input, &limits) {
        Ok(file) => file.bytes,
        Err(e) => {
            let why = e.for_file(input).text();
            let (da, en) = (why.get(Lang::Da), why.get(Lang::En));
            let msg = t!("{shown} kan ikke læses: {da}", "{shown} cannot be read: {en}");
            return Ok(Outcome {
                stdout: String::new(),
                stderr: format!("os2gov: {}\n", msg.get(lang)),
                exit: Exit::Unreadable,
            });
        }
    };
    let (project, findings) =
        match crate::load::projektark::load_projektark(&bytes, rules, &crate::load::workbook::Limits::default()) {
            Ok(p) => p,
            Err(e) => {
                let why = e.text();
                let (da, en) = (why.get(Lang::Da), why.get(Lang::En));
                let msg =
                    t!("{shown} kan ikke læses som projektark: {da}", "{shown} cannot be read as a projektark: {en}");
                return Ok(Outcome {
                    stdout: String::new(),
                    stderr: format!("os2gov: {}\n", msg.get(lang)),
                    exit: Exit::Unreadable,
                });
            }
        };
    // Without its Krav sheet a workbook has no self-assessment to publish.
    if project.sheets.krav.is_none() {
        let mut stderr = t!(
            "os2gov: {shown} er ikke et projektark, der kan laves en governancerapport af:\n",
            "os2gov: {shown} is not a projektark a governance report can be made from:\n"
        )
        .get(lang)
        .to_string();
        for f in findings.iter().filter(|f| f.code.as_str().starts_with("INPUT-")) {
            stderr.push_str(&format!("  {} {}: {}\n", f.code, f.location.a1(), f.message.get(lang)));
        }
        return Ok(Outcome { stdout: String::new(), stderr, exit: Exit::Unreadable });
    }
    let published = crate::import::publish::render(rules, &project, settings.as_of);
    let output = match output {
        Some(o) => o.to_path_buf(),
        None => {
            let id = project.fields.id.given().cloned().unwrap_or_else(|| "projekt".into());
            settings.paths.base_dir.join(format!("{}-governancerapport.md", safe_file_stem(&id)))
        }
    };
    if output.exists() && !force {
        let p = settings.terminal.shown(&output);
        return Err(Error::Usage(t!(
            "{p} findes allerede. Vælg et andet navn med -o, eller brug --force for at overskrive.",
            "{p} already exists. Choose another name with -o, or use --force to overwrite."
        )));
    }
    fs::write_atomic(&output, published.markdown.as_bytes())?;
    fs::sync_folder(output.parent().unwrap_or(Path::new(".")))?;
    let (p, c) = (settings.terminal.shown(&output), &published.counts);
    let (ja, nej, ir, vi, blank, n) = (c.ja, c.nej, c.ikke_relevant, c.ved_ikke, c.blank, c.total());
    let mut stdout = t!(
        "Governancerapport skrevet: {p}\n{n} krav: {ja} ✅ opfyldt, {nej} ❌ ikke opfyldt, {ir} ➖ ikke relevant, {vi} ❓ tvivl, {blank} uden markering.\n",
        "Governance report written: {p}\n{n} requirements: {ja} ✅ met, {nej} ❌ not met, {ir} ➖ not relevant, {vi} ❓ unsure, {blank} without a marker.\n"
    )
    .get(lang)
    .to_string();
    if !published.unknown_ids.is_empty() {
        let ids = published.unknown_ids.join(", ");
        stdout.push_str(
            t!(
                "Ikke med i rapporten (ukendte krav-ID'er i styringsmodellen): {ids}.\n",
                "Not in the report (requirement IDs the styringsmodel does not know): {ids}.\n"
            )
            .get(lang),
        );
    }
    // Problems reading the Krav sheet (e.g. an answer that is not one of the four) are
    // warned about: the report shows such a requirement without a marker. Projekt fields the
    // report does not use (Projektleder, Niveau …) are no concern here.
    let krav_sheet = project.sheets.krav.as_ref().map(|(name, _)| name.as_str());
    let mut stderr = String::new();
    for f in
        findings.iter().filter(|f| f.code.as_str().starts_with("INPUT-") && f.location.sheet.as_deref() == krav_sheet)
    {
        let place = f.location.a1();
        stderr.push_str(&format!("{} {} {place}: {}\n", f.severity.label(lang), f.code, f.message.get(lang)));
    }
    Ok(Outcome { stdout, stderr, exit: Exit::Ok }.quiet_first_line(settings).with_warnings(&loaded.warnings, settings))
}
