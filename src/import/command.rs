//! `os2gov import` and `os2gov report`: files in, files out, and the text the user reads.
//! One bad input never stops the others; what could not be imported is named with the
//! reason (exit 3). Returns an [`Outcome`]; prints nothing.

use super::workbook::{self, Plan};
use super::{NotImported, read_source};
use crate::commands::{Exit, Outcome, load_model};
use crate::error::{Error, Result};
use crate::fsutil;
use crate::model::value::safe_file_stem;
use crate::settings::Settings;
use crate::t;
use crate::text::{Lang, Text};
use std::path::{Path, PathBuf};

/// Extensions of the sources taken from a folder.
const SOURCES: [&str; 4] = ["md", "markdown", "json", "txt"];

/// The files named on the command line; a folder gives its Markdown and JSON files.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, t!("Kunne ikke læse mappen", "Could not read the folder"), e))?;
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|f| f.is_file())
                .filter(|f| {
                    f.extension().is_some_and(|e| SOURCES.contains(&e.to_string_lossy().to_lowercase().as_str()))
                })
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

/// One input's result.
enum Done {
    Written { path: PathBuf, plan: Box<Plan> },
    Failed(Text),
}

/// A path as the user should read it: from where they stand.
fn display(settings: &Settings, p: &Path) -> String {
    settings.shown(p)
}

/// `os2gov import FILE… [-o DIR] [--id ID] [--force]`.
pub fn import(settings: &Settings, paths: &[PathBuf], output: &Path, id: Option<&str>, force: bool) -> Result<Outcome> {
    let loaded = load_model(settings)?;
    let rules = &loaded.rules;
    let files = expand(paths)?;
    if id.is_some() && files.len() > 1 {
        let n = files.len();
        return Err(Error::Usage(t!(
            "--id kan kun bruges med én fil ({n} filer er angivet); uden --id får hvert ark et Projekt-ID efter produktets navn.",
            "--id can only be used with one file ({n} files were given); without --id each sheet gets a Projekt-ID from the product's name."
        )));
    }
    if files.is_empty() {
        let where_ = paths.iter().map(|p| display(settings, p)).collect::<Vec<_>>().join(", ");
        return Err(Error::Usage(t!(
            "Ingen governancerapporter (.md) eller JSON-filer fundet i {where_}.",
            "No governance reports (.md) or JSON files found in {where_}."
        )));
    }
    let mut results: Vec<(PathBuf, Done)> = Vec::new();
    let mut taken: Vec<(PathBuf, PathBuf)> = Vec::new();
    for file in &files {
        let done = match import_one(settings, rules, file, output, id, force, &taken)? {
            Ok((path, plan)) => {
                taken.push((path.clone(), file.clone()));
                Done::Written { path, plan: Box::new(plan) }
            }
            Err(NotImported(why)) => Done::Failed(why),
        };
        results.push((file.clone(), done));
    }
    if !taken.is_empty() {
        fsutil::sync_folder(output)?;
    }
    let text = render(settings, &results);
    let failed = results.iter().any(|(_, d)| matches!(d, Done::Failed(_)));
    let exit = if failed { Exit::Unreadable } else { Exit::Ok };
    Ok(Outcome { stdout: text, stderr: String::new(), exit }.with_warnings(&loaded.warnings, settings))
}

/// Imports one file; `Ok(Err(..))` when this input cannot be imported (the others go on),
/// `Err` when os2gov cannot write at all.
fn import_one(
    settings: &Settings,
    rules: &crate::rules::Rules,
    file: &Path,
    output: &Path,
    id: Option<&str>,
    force: bool,
    taken: &[(PathBuf, PathBuf)],
) -> Result<std::result::Result<(PathBuf, Plan), NotImported>> {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            let why = e.to_string();
            return Ok(Err(NotImported(t!("filen kunne ikke læses ({why}).", "the file could not be read ({why})."))));
        }
    };
    let source = match read_source(&bytes) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = file.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let plan = workbook::prepare(rules, &source, &name, &stem, id, settings.as_of);
    let target = output.join(format!("{}.xlsx", safe_file_stem(&plan.project_id)));
    if let Some((_, other)) = taken.iter().find(|(t, _)| *t == target) {
        let (pid, other) = (plan.project_id.clone(), display(settings, other));
        return Ok(Err(NotImported(t!(
            "giver samme Projekt-ID ({pid}) som {other}; importér filen for sig med --id.",
            "gives the same Projekt-ID ({pid}) as {other}; import the file on its own with --id."
        ))));
    }
    if target.exists() && !force {
        let t_ = display(settings, &target);
        return Ok(Err(NotImported(t!(
            "{t_} findes allerede og overskrives ikke (sekretariatet kan have rettet i det). Brug --force for at overskrive, eller --id for et andet navn.",
            "{t_} already exists and is not overwritten (the secretariat may have edited it). Use --force to overwrite, or --id for another name."
        ))));
    }
    let mut wb = workbook::build(rules, &plan, settings.lang).map_err(|e| Error::xlsx(&target, e))?;
    fsutil::save_workbook(&mut wb, &target)?;
    Ok(Ok((target, plan)))
}

fn render(settings: &Settings, results: &[(PathBuf, Done)]) -> String {
    let lang = settings.lang;
    let mut out = String::new();
    for (file, done) in results {
        let f = display(settings, file);
        match done {
            Done::Written { .. } if settings.quiet() => {}
            Done::Written { path, plan } => {
                out.push_str(&format!("{f} → {}\n", display(settings, path)));
                let (form, counts) = (plan.form.label(), plan.counts.text());
                out.push_str(&format!("  {}: {}\n", form.get(lang), counts.get(lang)));
                if !plan.not_transferred.is_empty() {
                    out.push_str(&format!("  {}\n", lang.pick("Ikke overført:", "Not transferred:")));
                    for n in &plan.not_transferred {
                        let answer = if n.answer.is_empty() { String::new() } else { format!(" [{}]", n.answer) };
                        let text = short(&n.source_text, 60);
                        let id = if n.source_id.is_empty() { "–" } else { n.source_id.as_str() };
                        out.push_str(&format!("    {id} {text}{answer}: {}\n", n.why.get(lang)));
                    }
                }
            }
            Done::Failed(why) => {
                out.push_str(&format!("{f}: {} {}\n", lang.pick("ikke importeret –", "not imported –"), why.get(lang)));
            }
        }
    }
    let n = results.len();
    let written = results.iter().filter(|(_, d)| matches!(d, Done::Written { .. })).count();
    if !settings.quiet() {
        out.push('\n');
    }
    out.push_str(
        t!(
            "{written} af {n} filer importeret. Udfyld de tomme felter på fanen Projekt (bl.a. Ansvarlig organisation, Projektleder, Niveau og Fase), og se fanen Import i hvert ark.\n",
            "{written} of {n} files imported. Fill in the blank fields on the Projekt sheet (e.g. Ansvarlig organisation, Projektleder, Niveau and Fase), and see the Import sheet in each workbook.\n"
        )
        .get(lang),
    );
    out
}

/// At most `n` characters, with … when cut.
fn short(s: &str, n: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= n {
        one_line
    } else {
        format!("{}…", one_line.chars().take(n - 1).collect::<String>())
    }
}

/// `os2gov report PROJEKTARK [-o FILE.md] [--force]`.
pub fn report(settings: &Settings, input: &Path, output: Option<&Path>, force: bool) -> Result<Outcome> {
    let loaded = load_model(settings)?;
    let rules = &loaded.rules;
    let lang = settings.lang;
    let shown = display(settings, input);
    let bytes = match std::fs::read(input) {
        Ok(b) => b,
        Err(e) => {
            let why = e.to_string();
            let msg = t!("{shown} kunne ikke læses ({why}).", "{shown} could not be read ({why}).");
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
    let published = super::publish::render(rules, &project, settings.as_of);
    let output = match output {
        Some(o) => o.to_path_buf(),
        None => {
            let id = project.fields.id.given().cloned().unwrap_or_else(|| "projekt".into());
            settings.base_dir.join(format!("{}-governancerapport.md", safe_file_stem(&id)))
        }
    };
    if output.exists() && !force {
        let p = display(settings, &output);
        return Err(Error::Usage(t!(
            "{p} findes allerede. Vælg et andet navn med -o, eller brug --force for at overskrive.",
            "{p} already exists. Choose another name with -o, or use --force to overwrite."
        )));
    }
    fsutil::write_atomic(&output, published.markdown.as_bytes())?;
    fsutil::sync_folder(output.parent().unwrap_or(Path::new(".")))?;
    let (p, c) = (display(settings, &output), &published.counts);
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
