//! `os2gov import`: published self-assessments in, projektark out, and the text the user
//! reads. One bad input never stops the others; what could not be imported is named with
//! the reason (exit 3). Returns an [`Outcome`]; prints nothing.

use crate::commands::outcome::{Exit, Outcome};
use crate::config::request::Import;
use crate::config::settings::Settings;
use crate::error::{Error, Result};
use crate::import::read_source;
use crate::import::source::NotImported;
use crate::import::workbook::{self, Plan};
use crate::run::workdir::load_model;
use crate::sys::fs;
use crate::sys::names::safe_file_stem;
use crate::text::Text;
use crate::text::t;
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

/// `os2gov import FILE… [-o DIR] [--id ID] [--force]`.
pub fn import(settings: &Settings, request: &Import) -> Result<Outcome> {
    let (paths, output, id, force) = (&request.files, request.output.as_path(), request.id.as_deref(), request.force);
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
        let where_ = paths.iter().map(|p| settings.shown(p)).collect::<Vec<_>>().join(", ");
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
        fs::sync_folder(output)?;
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
    rules: &crate::model::rules::Rules,
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
        let (pid, other) = (plan.project_id.clone(), settings.shown(other));
        return Ok(Err(NotImported(t!(
            "giver samme Projekt-ID ({pid}) som {other}; importér filen for sig med --id.",
            "gives the same Projekt-ID ({pid}) as {other}; import the file on its own with --id."
        ))));
    }
    if target.exists() && !force {
        let t_ = settings.shown(&target);
        return Ok(Err(NotImported(t!(
            "{t_} findes allerede og overskrives ikke (sekretariatet kan have rettet i det). Brug --force for at overskrive, eller --id for et andet navn.",
            "{t_} already exists and is not overwritten (the secretariat may have edited it). Use --force to overwrite, or --id for another name."
        ))));
    }
    let mut wb = workbook::build(rules, &plan, settings.lang).map_err(|e| Error::xlsx(&target, e))?;
    crate::xlsx::save_workbook(&mut wb, &target)?;
    Ok(Ok((target, plan)))
}

fn render(settings: &Settings, results: &[(PathBuf, Done)]) -> String {
    let lang = settings.lang;
    let mut out = String::new();
    for (file, done) in results {
        let f = settings.shown(file);
        match done {
            Done::Written { .. } if settings.quiet() => {}
            Done::Written { path, plan } => {
                out.push_str(&format!("{f} → {}\n", settings.shown(path)));
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
