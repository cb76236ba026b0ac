//! `os2gov import`: published self-assessments in, projektark out, and the text the user
//! reads. One bad input never stops the others; what could not be imported is named with
//! the reason (exit 3). Returns an [`Outcome`]; prints nothing.

use crate::commands::outcome::{Exit, Outcome};
use crate::config::request::Import;
use crate::config::settings::Settings;
use crate::error::{Error, Result};
use crate::import::read_source;
use crate::import::source::{MAX_SOURCE_BYTES, NotImported};
use crate::import::workbook::{self, Plan};
use crate::run::workdir::load_model;
use crate::sys::fs;
use crate::sys::names::safe_file_stem;
use crate::text::Text;
use crate::text::t;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The most rows not transferred listed per input; the Import sheet has them all.
const MAX_LISTED: usize = 25;

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
    let loaded = load_model(&settings.paths, settings.as_of)?;
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
        let where_ = paths.iter().map(|p| settings.terminal.shown(p)).collect::<Vec<_>>().join(", ");
        return Err(Error::Usage(t!(
            "Ingen governancerapporter (.md) eller JSON-filer fundet i {where_}.",
            "No governance reports (.md) or JSON files found in {where_}."
        )));
    }
    let (mut existing, scan_warning) = existing_ids(settings, rules, output);
    let mut results: Vec<(PathBuf, Done)> = Vec::new();
    // Projekt-IDs written in this run (lower case) and the source each came from.
    let mut taken: Vec<(String, PathBuf)> = Vec::new();
    for file in &files {
        let done = match import_one(settings, rules, file, output, id, force, &taken, &existing)? {
            Ok((path, plan)) => {
                let key = plan.project_id.to_lowercase();
                existing.insert(key.clone(), (path.clone(), plan.project_id.clone()));
                taken.push((key, file.clone()));
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
    let stderr = scan_warning.map(|w| format!("os2gov: {}\n", w.get(settings.lang))).unwrap_or_default();
    Ok(Outcome { stdout: text, stderr, exit }.with_warnings(&loaded.warnings, settings))
}

/// Projekt-IDs already in the output folder, by any file there whose Projekt sheet carries
/// one (not only by file name): lower-case ID → (file, ID as written). Each workbook is read
/// with the inbox's bounded reader; one that cannot be read is passed over. Also a warning
/// when the folder could not be walked.
fn existing_ids(
    settings: &Settings,
    rules: &crate::model::rules::Rules,
    output: &Path,
) -> (HashMap<String, (PathBuf, String)>, Option<Text>) {
    let mut ids = HashMap::new();
    if !output.is_dir() {
        return (ids, None);
    }
    let files = match crate::load::inbox::collect(&[output.to_path_buf()]) {
        Ok(files) => files,
        Err(e) => {
            let out = settings.terminal.shown(output);
            let (da, en) = (e.render(crate::text::Lang::Da), e.render(crate::text::Lang::En));
            return (
                ids,
                Some(t!(
                    "{out} kunne ikke gennemgås for eksisterende Projekt-ID'er ({da}); kun filnavne er sammenlignet.",
                    "{out} could not be searched for existing Projekt-IDs ({en}); only file names were compared."
                )),
            );
        }
    };
    let limits = crate::load::workbook::Limits::default();
    for file in files {
        let ext = file.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if !matches!(ext.as_str(), "xlsx" | "xlsm") {
            continue;
        }
        let Ok(input) = crate::load::workbook::read_input(&file, &limits) else {
            continue;
        };
        if let Ok((project, _)) = crate::load::projektark::load_projektark(&input.bytes, rules, &limits)
            && let Some(id) = project.id()
        {
            ids.entry(id.to_lowercase()).or_insert((file, id.to_string()));
        }
    }
    (ids, None)
}

/// Reads a source with the inbox's bounded reader: a regular file only, its size from the
/// metadata before anything is read, the read itself bounded.
fn read_bounded(file: &Path) -> std::result::Result<Vec<u8>, NotImported> {
    use crate::load::workbook::{Limits, ReadError, read_input};
    let limits = Limits { max_file_bytes: MAX_SOURCE_BYTES as u64, ..Limits::default() };
    read_input(file, &limits).map(|f| f.bytes).map_err(|e| {
        NotImported(match e {
            ReadError::TooLarge { bytes, .. } => {
                let mb = bytes / (1024 * 1024);
                t!(
                    "filen er for stor ({mb} MB) til at være en governancerapport; højst 10 MB. Den er ikke læst.",
                    "the file is too large ({mb} MB) to be a governance report; at most 10 MB. It was not read."
                )
            }
            ReadError::NotRegular => t!(
                "dette er ikke en almindelig fil (men fx en navngiven pipe, en enhed eller en mappe) og læses ikke.",
                "this is not a regular file (but e.g. a named pipe, a device or a folder) and is not read."
            ),
            ReadError::Symlink => t!(
                "filen er en symbolsk genvej (symlink) og læses ikke; angiv selve filen.",
                "the file is a symbolic link and is not read; give the file itself."
            ),
            ReadError::Empty => t!("filen er tom.", "the file is empty."),
            other => {
                let why = other.text();
                let (da, en) = (why.get(crate::text::Lang::Da), why.get(crate::text::Lang::En));
                t!("filen kunne ikke læses: {da}", "the file could not be read: {en}")
            }
        })
    })
}

/// Imports one file; `Ok(Err(..))` when this input cannot be imported (the others go on),
/// `Err` when os2gov cannot write at all.
#[allow(clippy::too_many_arguments)]
fn import_one(
    settings: &Settings,
    rules: &crate::model::rules::Rules,
    file: &Path,
    output: &Path,
    id: Option<&str>,
    force: bool,
    taken: &[(String, PathBuf)],
    existing: &HashMap<String, (PathBuf, String)>,
) -> Result<std::result::Result<(PathBuf, Plan), NotImported>> {
    let bytes = match read_bounded(file) {
        Ok(b) => b,
        Err(e) => return Ok(Err(e)),
    };
    let source = match read_source(&bytes) {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = file.file_stem().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut plan = workbook::prepare(rules, &source, &name, &stem, id, settings.as_of);
    // Product names and Projekt-IDs are compared without regard to case: OS2borgerPC and
    // OS2BorgerPC are one product.
    let key = plan.project_id.to_lowercase();
    if let Some((_, other)) = taken.iter().find(|(k, _)| *k == key) {
        let (pid, other) = (plan.project_id.clone(), settings.terminal.shown(other));
        return Ok(Err(NotImported(t!(
            "giver samme Projekt-ID ({pid}) som {other}; importér filen for sig med --id.",
            "gives the same Projekt-ID ({pid}) as {other}; import the file on its own with --id."
        ))));
    }
    let by_name = output.join(format!("{}.xlsx", safe_file_stem(&plan.project_id)));
    // A file already holding the Projekt-ID (by its Projekt sheet), or one of the same name
    // in another case.
    let holder = existing.get(&key).cloned().or_else(|| same_name_in(output, &by_name).map(|f| (f, String::new())));
    let target = match holder {
        None => by_name,
        Some((path, held)) if !force => {
            let (p, pid) = (settings.terminal.shown(&path), plan.project_id.clone());
            return Ok(Err(NotImported(if held.is_empty() {
                t!(
                    "{p} findes allerede og overskrives ikke (sekretariatet kan have rettet i det). Brug --force for at overskrive, eller --id for et andet navn.",
                    "{p} already exists and is not overwritten (the secretariat may have edited it). Use --force to overwrite, or --id for another name."
                )
            } else {
                t!(
                    "{p} har allerede Projekt-ID {pid} og overskrives ikke (sekretariatet kan have rettet i det). Brug --force for at erstatte det, eller --id for et andet Projekt-ID.",
                    "{p} already holds Projekt-ID {pid} and is not overwritten (the secretariat may have edited it). Use --force to replace it, or --id for another Projekt-ID."
                )
            })));
        }
        Some((path, held)) => {
            if path.extension().is_some_and(|e| !e.eq_ignore_ascii_case("xlsx")) {
                let (p, pid) = (settings.terminal.shown(&path), plan.project_id.clone());
                return Ok(Err(NotImported(t!(
                    "{p} har allerede Projekt-ID {pid} og er ikke en .xlsx-fil, så den erstattes ikke; slet den selv, eller brug --id.",
                    "{p} already holds Projekt-ID {pid} and is not an .xlsx file, so it is not replaced; delete it yourself, or use --id."
                ))));
            }
            // Replaced in place, keeping the ID as the inbox spells it.
            if !held.is_empty() && held != plan.project_id && id.is_none() {
                plan = workbook::prepare(rules, &source, &name, &stem, Some(&held), settings.as_of);
            }
            path
        }
    };
    let mut wb = workbook::build(rules, &plan, settings.lang).map_err(|e| Error::xlsx(&target, e))?;
    crate::xlsx::save_workbook(&mut wb, &target)?;
    Ok(Ok((target, plan)))
}

/// A file in `dir` whose name is `wanted`'s in another case (or the same).
fn same_name_in(dir: &Path, wanted: &Path) -> Option<PathBuf> {
    let name = wanted.file_name()?.to_string_lossy().to_lowercase();
    if wanted.exists() {
        return Some(wanted.to_path_buf());
    }
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().to_lowercase() == name))
}

fn render(settings: &Settings, results: &[(PathBuf, Done)]) -> String {
    let lang = settings.lang;
    let mut out = String::new();
    for (file, done) in results {
        let f = settings.terminal.shown(file);
        match done {
            Done::Written { .. } if settings.terminal.quiet() => {}
            Done::Written { path, plan } => {
                out.push_str(&format!("{f} → {}\n", settings.terminal.shown(path)));
                let (form, counts) = (plan.form.label(), plan.counts.text());
                out.push_str(&format!("  {}: {}\n", form.get(lang), counts.get(lang)));
                if !plan.not_transferred.is_empty() {
                    out.push_str(&format!("  {}\n", lang.pick("Ikke overført:", "Not transferred:")));
                    for n in plan.not_transferred.iter().take(MAX_LISTED) {
                        let answer = if n.answer.is_empty() { String::new() } else { format!(" [{}]", n.answer) };
                        let one_line = n.source_text.split_whitespace().collect::<Vec<_>>().join(" ");
                        let text = crate::text::clip(&one_line, 60);
                        let id = if n.source_id.is_empty() { "–" } else { n.source_id.as_str() };
                        out.push_str(&format!("    {id} {text}{answer}: {}\n", n.why.get(lang)));
                    }
                    if plan.not_transferred.len() > MAX_LISTED {
                        let more = plan.not_transferred.len() - MAX_LISTED;
                        let shown = settings.terminal.shown(path);
                        out.push_str(&format!(
                            "    {}\n",
                            t!(
                                "… og {more} mere; alle står på fanen Import i {shown}.",
                                "… and {more} more; all are on the Import sheet of {shown}."
                            )
                            .get(lang)
                        ));
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
    if !settings.terminal.quiet() {
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
