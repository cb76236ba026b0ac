//! The load+check stage every command shares: every workbook read once and checked in
//! parallel, the cross-project checks after, then the changes since the previous run and
//! the projects not sent in.

use crate::check::changes;
use crate::check::context::Context;
use crate::check::portfolio;
use crate::check::previous::Previous;
use crate::check::project::check_project;
use crate::check::report::{Report, SetAside, Skipped, Unreadable};
use crate::check::result::ProjectResult;
use crate::config::settings::Settings;
use crate::error::Result;
use crate::load::projektark::load_projektark;
use crate::load::styringsmodel::LoadedRules;
use crate::load::workbook::{InputFile, Limits, ReadError, read_input};
use crate::model::finding::{Code, Finding, Location, sort_for_reading};
use crate::model::rules::Rules;
use crate::run::workdir::load_model;
use crate::sys::names::display_path;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What goes into a check run.
pub struct CheckInput<'a> {
    pub rules: Arc<Rules>,
    pub model_findings: Vec<Finding>,
    /// The files to read, the folders that could not be listed, the workbooks left out.
    pub walk: &'a crate::load::inbox::Walk,
    pub base: &'a Path,
    pub previous: Option<&'a Previous>,
    pub as_of: NaiveDate,
    pub period: String,
    pub limits: Limits,
    /// The secretariat's register and what reading it said.
    pub register: crate::check::report::RegisterUse,
}

enum Outcome {
    Checked(Box<ProjectResult>),
    Unreadable(Unreadable),
    Skipped(Skipped),
}

/// An unreadable file: the finding's message is the reason (the file is named beside it
/// wherever it is shown, once).
fn unreadable(path: &Path, file: String, input: Option<(Arc<Vec<u8>>, Option<u32>)>, error: &ReadError) -> Outcome {
    let message = error.clone().for_file(path).text();
    let (bytes, mode) = input.map_or((None, None), |(b, m)| (Some(b), m));
    Outcome::Unreadable(Unreadable {
        path: path.to_path_buf(),
        file,
        bytes,
        mode,
        finding: Finding::new(Code::InputUnreadable, Location::none(), message),
    })
}

/// A folder of the inbox that could not be listed, as an unreadable input.
fn unreadable_folder(f: &crate::load::inbox::UnreadableFolder, base: &Path) -> Unreadable {
    let why = crate::text::clip(&f.reason, crate::text::SHOWN_VALUE_CHARS);
    Unreadable {
        path: f.path.clone(),
        file: format!("{}/", display_path(&f.path, base)),
        bytes: None,
        mode: None,
        finding: Finding::new(
            Code::InputUnreadable,
            Location::none(),
            crate::text::t!(
                "Mappen kunne ikke læses ({why}), så projektark i den er ikke kontrolleret. Giv os2gov adgang til mappen, eller flyt filerne.",
                "The folder could not be read ({why}), so projektark in it were not checked. Give os2gov access to the folder, or move the files."
            ),
        ),
    }
}

fn check_one(input: &CheckInput<'_>, path: &Path, on_done: &(dyn Fn() + Sync)) -> Outcome {
    let file = display_path(path, input.base);
    let result = match read_input(path, &input.limits) {
        Err(e) => unreadable(path, file, None, &e),
        Ok(InputFile { bytes, mode }) => {
            let bytes = Arc::new(bytes);
            match load_projektark(&bytes, &input.rules, &input.limits) {
                Err(e) => unreadable(path, file, Some((bytes, mode)), &e),
                // A blank template (e.g. the one `init` writes) is nobody's projektark:
                // said once, not checked.
                Ok((project, _)) if project.is_blank_template() => {
                    Outcome::Skipped(Skipped { path: path.to_path_buf(), file, bytes, mode })
                }
                Ok((project, mut findings)) => {
                    let key = project.id().map(str::to_string);
                    let previous = key.as_ref().and_then(|k| input.previous.and_then(|p| p.projects.get(k)));
                    let ctx = Context {
                        rules: &input.rules,
                        as_of: input.as_of,
                        period: &input.period,
                        previous,
                        register: &input.register.register,
                    };
                    let (assessment, checked) = check_project(&ctx, &project);
                    findings.extend(checked);
                    // Hashed here, in parallel, once: the manifest and the lead's
                    // message key both read it.
                    let sha256 = std::sync::OnceLock::from(crate::sys::fs::sha256_hex(&bytes));
                    Outcome::Checked(Box::new(ProjectResult {
                        path: path.to_path_buf(),
                        file,
                        bytes,
                        sha256,
                        mode,
                        project,
                        assessment,
                        findings,
                    }))
                }
            }
        }
    };
    on_done();
    result
}

/// Reads and checks every file (in parallel), then checks across projects.
pub fn check_files(input: CheckInput<'_>, on_done: &(dyn Fn() + Sync)) -> Report {
    let outcomes: Vec<Outcome> = input.walk.files.par_iter().map(|path| check_one(&input, path, on_done)).collect();
    let mut projects = Vec::new();
    // A folder that could not be listed is reported like an unreadable file: the rest is
    // checked, and the run ends with exit 3.
    let mut unread: Vec<Unreadable> = input.walk.unreadable.iter().map(|f| unreadable_folder(f, input.base)).collect();
    let mut skipped = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Checked(p) => projects.push(*p),
            Outcome::Unreadable(u) => unread.push(u),
            Outcome::Skipped(s) => skipped.push(s),
        }
    }
    let (mut projects, set_aside) = keep_current(projects);
    for p in &mut projects {
        sort_for_reading(&mut p.findings);
    }
    projects.sort_by(|a, b| a.key().to_lowercase().cmp(&b.key().to_lowercase()).then_with(|| a.file.cmp(&b.file)));
    let changes = input.previous.map(|prev| changes::compute(&input.rules, prev, &projects)).unwrap_or_default();
    let not_submitted = input.previous.map(|prev| not_submitted(&input.rules, prev, &projects)).unwrap_or_default();
    let finding_ages = input
        .previous
        .map(|prev| {
            projects.iter().filter_map(|p| Some((p.key(), prev.projects.get(&p.key())?.finding_ages()))).collect()
        })
        .unwrap_or_default();
    Report {
        rules: input.rules,
        as_of: input.as_of,
        period: input.period,
        model_findings: input.model_findings,
        projects,
        unreadable: unread,
        skipped,
        left_out: {
            let mut left = input.walk.left_out.clone();
            for l in &mut left.named {
                l.file = display_path(&l.path, input.base);
            }
            left
        },
        set_aside,
        not_submitted,
        changes,
        previous_period: input.previous.and_then(|p| p.period.clone()),
        finding_ages,
        register: input.register,
        carry: Default::default(),
    }
}

/// One current submission per project: when several workbooks carry the same Projekt-ID,
/// the newest ([`portfolio::current`]) is checked and the others are set aside. The
/// current one gets `INPUT-DUPLICATE-PROJECT` (info, for the secretariat only) naming what
/// was set aside.
fn keep_current(projects: Vec<ProjectResult>) -> (Vec<ProjectResult>, Vec<SetAside>) {
    let saved: Vec<_> = projects.iter().map(|p| crate::load::saved::saved_at(&p.bytes)).collect();
    let modified: Vec<_> =
        projects.iter().map(|p| std::fs::symlink_metadata(&p.path).and_then(|m| m.modified()).ok()).collect();
    let submissions: Vec<portfolio::Submission<'_>> = projects
        .iter()
        .enumerate()
        .map(|(i, p)| portfolio::Submission {
            id: p.project.id(),
            saved: saved[i],
            modified: modified[i],
            file: p.file.as_str(),
        })
        .collect();
    let replaced_by = portfolio::current(&submissions);
    if replaced_by.iter().all(Option::is_none) {
        return (projects, Vec::new());
    }
    let same = |a: Option<&String>, b: Option<&String>| match (a, b) {
        (Some(a), Some(b)) => crate::text::fold(a) == crate::text::fold(b),
        _ => true,
    };
    let mut set_aside = Vec::new();
    let mut notes: Vec<Vec<(String, bool)>> = vec![Vec::new(); projects.len()];
    for (i, by) in replaced_by.iter().enumerate() {
        let Some(by) = *by else { continue };
        let (old, new) = (&projects[i], &projects[by]);
        let (of, nf) = (&old.project.fields, &new.project.fields);
        let differs = !same(of.name.given(), nf.name.given()) || !same(of.lead_email.given(), nf.lead_email.given());
        notes[by].push((old.file.clone(), differs));
        set_aside.push(SetAside {
            path: old.path.clone(),
            file: old.file.clone(),
            bytes: old.bytes.clone(),
            mode: old.mode,
            key: new.key(),
            current: new.file.clone(),
            current_path: new.path.clone(),
            saved: saved[i],
            differs,
        });
    }
    let mut kept = Vec::new();
    for (i, mut p) in projects.into_iter().enumerate() {
        if replaced_by[i].is_some() {
            continue;
        }
        if !notes[i].is_empty() {
            let id = p.key();
            let files = notes[i].iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>().join(", ");
            let current = &p.file;
            let mut message = crate::text::t!(
                "Projekt-ID '{id}' findes også i {files}. Kun den nyeste udgave ({current}) er kontrolleret; den ældre er sat til side. Slet den fra indbakken.",
                "Projekt-ID '{id}' is also in {files}. Only the newest version ({current}) was checked; the older one was set aside. Delete it from the inbox."
            );
            if notes[i].iter().any(|(_, d)| *d) {
                message = message.then(&crate::text::t!(
                    "Den ældre har et andet navn eller en anden projektleder: er det to projekter, så giv det ene et nyt Projekt-ID.",
                    "The older one has another name or project lead: if these are two projects, give one of them a new Projekt-ID."
                ));
            }
            let at = crate::check::context::field_loc(&p.project, &p.project.fields.id);
            p.findings.push(Finding::new(Code::InputDuplicateProject, at, message));
        }
        kept.push(p);
    }
    set_aside.sort_by(|a, b| a.key.to_lowercase().cmp(&b.key.to_lowercase()).then_with(|| a.file.cmp(&b.file)));
    (kept, set_aside)
}

/// Projects of the previous run whose projektark is missing now (closed ones are not
/// expected to report).
fn not_submitted(
    rules: &crate::model::rules::Rules,
    previous: &crate::check::previous::Previous,
    projects: &[ProjectResult],
) -> Vec<crate::check::report::NotSubmitted> {
    let present: std::collections::HashSet<String> = projects.iter().map(|p| crate::text::fold(&p.key())).collect();
    let closed = crate::text::fold(&rules.phase(rules.key.closed).name);
    let mut out: Vec<crate::check::report::NotSubmitted> = previous
        .projects
        .iter()
        .filter(|(key, p)| {
            !present.contains(&crate::text::fold(key))
                && p.phase.as_deref().is_none_or(|ph| crate::text::fold(ph) != closed)
        })
        .map(|(key, p)| {
            let last = p.period.clone().unwrap_or_default();
            let finding = Finding::new(
                Code::InputNotSubmitted,
                Location::none(),
                crate::text::t!(
                    "{key}: projektarket var med i kørslen {last}, men er ikke indsendt denne gang. Projektlederen får en påmindelse; er projektet stoppet, så registrér stoppet (Udfaset) i projektarket.",
                    "{key}: the projektark was in the run {last}, but has not been sent in this time. The project lead gets a reminder; if the project has stopped, record the stop (Udfaset) in the projektark."
                ),
            );
            crate::check::report::NotSubmitted {
                key: key.clone(),
                name: p.name.clone(),
                lead: p.lead.clone(),
                lead_email: p.lead_email.clone(),
                last_period: p.period.clone(),
                finding,
            }
        })
        .collect();
    out.sort_by_key(|a| a.key.to_lowercase());
    out
}

/// The projektark under `paths`, in a stable order. Folders walked skip os2gov's own
/// output folder, the styringsmodel and `exclude`: the output folder and the styringsmodel
/// may lie inside the inbox (e.g. inbox = "."), and a run never reads what an earlier run
/// wrote.
pub fn inputs(settings: &Settings, paths: &[PathBuf], exclude: &[&Path]) -> Result<crate::load::inbox::Walk> {
    let mut skip = vec![settings.paths.output.clone(), settings.paths.rules.clone(), settings.paths.register.clone()];
    skip.extend(exclude.iter().map(|p| p.to_path_buf()));
    crate::load::inbox::walk_inputs(paths, &skip)
}

/// Reads and checks the files of `walk` against a loaded styringsmodel and the
/// secretariat's register, for `period`.
pub fn check(
    settings: &Settings,
    loaded: LoadedRules,
    register: crate::check::report::RegisterUse,
    walk: &crate::load::inbox::Walk,
    previous: Option<&Previous>,
    period: &str,
    on_done: &(dyn Fn() + Sync),
) -> Report {
    let input = CheckInput {
        rules: Arc::new(loaded.rules),
        model_findings: loaded.warnings,
        walk,
        base: &settings.paths.base_dir,
        previous,
        as_of: settings.as_of,
        period: period.to_string(),
        limits: Limits::default(),
        register,
    };
    check_files(input, on_done)
}

/// Loads the model and checks the files under `paths`, for the period of the as-of date.
pub fn check_paths(
    settings: &Settings,
    paths: &[PathBuf],
    previous: Option<&Previous>,
) -> Result<(Report, Vec<PathBuf>)> {
    check_paths_excluding(settings, paths, previous, &[])
}

/// As [`check_paths`], skipping `exclude` too (see [`inputs`]).
pub fn check_paths_excluding(
    settings: &Settings,
    paths: &[PathBuf],
    previous: Option<&Previous>,
    exclude: &[&Path],
) -> Result<(Report, Vec<PathBuf>)> {
    let loaded = load_model(&settings.paths, settings.as_of)?;
    let register = register_for_check(settings, &loaded.rules)?;
    let walk = inputs(settings, paths, exclude)?;
    let period = crate::model::period::period_of(settings.as_of);
    Ok((check(settings, loaded, register, &walk, previous, &period, &|| {}), walk.files))
}

/// The register for a command that only reads (`check`, `annotate`, `digest`): a missing
/// one is read as empty and said once; one that cannot be used stops the command.
pub fn register_for_check(settings: &Settings, rules: &Rules) -> Result<crate::check::report::RegisterUse> {
    match crate::run::workdir::read_register_file(&settings.paths)? {
        Some((bytes, _)) => {
            let loaded = crate::run::workdir::load_register_bytes(&settings.paths, &bytes, rules)?;
            Ok(crate::check::report::RegisterUse {
                register: Arc::new(loaded.register),
                findings: loaded.findings,
                ..Default::default()
            })
        }
        None => {
            let p = settings.terminal.shown(&settings.paths.register);
            Ok(crate::check::report::RegisterUse {
                notes: vec![crate::text::t!(
                    "Sekretariatets register {p} findes ikke; kontrollen bruger et tomt register (ingen vurderinger eller placeringer fra sekretariatet). os2gov run opretter det.",
                    "The secretariat's register {p} does not exist; the check uses an empty one (no assessments or placements by the secretariat). os2gov run creates it."
                )],
                ..Default::default()
            })
        }
    }
}

/// The Projekt-IDs a run knows (folded): this run's projektark (checked, set aside as older
/// duplicates, or unreadable – by file name), the projects the previous run saw, and the
/// projects the secretariat's register places.
pub fn known_projects(report: &Report, previous: Option<&Previous>) -> std::collections::HashSet<String> {
    use crate::text::fold;
    let mut known: std::collections::HashSet<String> = report.projects.iter().map(|p| fold(&p.key())).collect();
    known.extend(report.set_aside.iter().map(|s| fold(&s.key)));
    known.extend(report.unreadable.iter().filter_map(|u| u.path.file_stem()).map(|s| fold(&s.to_string_lossy())));
    known.extend(report.register.register.placements.iter().map(|p| fold(&p.project)));
    if let Some(prev) = previous {
        known.extend(prev.projects.keys().map(|k| fold(k)));
    }
    known.remove("");
    known
}

/// The Beslutninger rows about a Projekt-ID the run does not know ([`known_projects`]): a
/// typo, or a project not sent in yet. One `GOV-DECISION-INVALID` warning per row, naming
/// the Projekt-ID cell; the run goes on and the row still counts for that ID. A blank
/// Projekt-ID or "OS2" is a general decision. Only the monthly run asks, after the whole
/// inbox is read: a `check` of one file would call every other project unknown.
pub fn unknown_decision_projects(rules: &Rules, known: &std::collections::HashSet<String>) -> Vec<Finding> {
    use crate::text::fold;
    let sheet = crate::load::styringsmodel::DECISIONS;
    rules
        .decisions
        .iter()
        .filter(|d| {
            let id = fold(&d.project);
            !id.is_empty() && id != "os2" && !known.contains(&id)
        })
        .map(|d| {
            let (row, id) = (d.row, crate::text::clip(d.project.trim(), crate::text::SHOWN_VALUE_CHARS));
            Finding::new(
                Code::GovDecisionInvalid,
                Location::cell(sheet, crate::model::cell::CellRef::new(row.saturating_sub(1), rules.decision_project_col)),
                crate::text::t!(
                    "Beslutninger række {row}: Projekt-ID '{id}' findes ikke i kørslens projektark, i sekretariatets register eller i den forrige kørsel. Beslutningen tæller stadig for det ID; ret Projekt-ID, hvis det er en skrivefejl.",
                    "Beslutninger row {row}: Projekt-ID '{id}' is in none of this run's projektark, the secretariat's register or the previous run. The decision still counts for that ID; fix the Projekt-ID if it is a typo."
                ),
            )
        })
        .collect()
}

/// The report with [`unknown_decision_projects`] added to the styringsmodel's findings
/// (the run summary and the findings JSON show them; no project's light changes).
pub fn with_unknown_decisions(mut report: Report, previous: Option<&Previous>) -> Report {
    let known = known_projects(&report, previous);
    let found = unknown_decision_projects(&report.rules, &known);
    report.model_findings.extend(found);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testkit::{P, date};
    use std::collections::HashSet;

    fn known_set(ids: &[&str]) -> HashSet<String> {
        ids.iter().map(|i| crate::text::fold(i)).collect()
    }

    #[test]
    fn a_decision_about_an_unknown_project_is_one_warning_on_its_projekt_id_cell() {
        let mut p = P::new("N2", "Koncept").log(date("2026-10-22"), None, None, None);
        p.model_mut().decisions[0].project = "OS2frms".into();
        let found = unknown_decision_projects(p.rules(), &known_set(&["OS2forms", "OS2mo"]));
        assert_eq!(found.len(), 1, "{found:?}");
        let f = &found[0];
        assert_eq!(f.code, Code::GovDecisionInvalid);
        assert_eq!(f.severity, crate::model::finding::Severity::Warning);
        let row = p.rules().decisions[0].row;
        assert_eq!(f.location.a1(), format!("Beslutninger!B{row}"));
        assert!(f.message.da.contains("'OS2frms'") && f.message.da.contains("tæller stadig"), "{}", f.message.da);
        assert!(f.message.en.contains(&format!("row {row}")), "{}", f.message.en);
    }

    #[test]
    fn the_run_knows_its_projektark_the_registers_placements_and_the_previous_runs_projects() {
        // OS2test is sent in; OS2closed is only placed in the register; OS2earlier only in
        // the previous run's findings.
        let mut p =
            P::new("N2", "Koncept").placed(date("2026-01-08"), "N2", crate::model::choice::Decider::Sekretariat);
        let mut closed = p.register.placements[0].clone();
        closed.project = "OS2closed".into();
        p.register.placements.push(closed);
        let mut previous = Previous { period: Some("2026-10".into()), ..Previous::default() };
        previous.projects.insert("OS2earlier".into(), Default::default());
        for (i, id) in ["os2TEST", " OS2closed", "OS2 earlier", "OS2earlier", "OS2typo"].iter().enumerate() {
            let mut p2 = P::new("N2", "Koncept").log(date("2026-10-22"), None, None, None);
            p2.model_mut().decisions[0].project = id.to_string();
            p2.model_mut().decisions[0].row = i as u32 + 2;
            p.model_mut().decisions.push(p2.rules().decisions[0].clone());
        }
        let report = p.report();
        let known = known_projects(&report, Some(&previous));
        assert_eq!(known, known_set(&["OS2test", "OS2closed", "OS2earlier"]));
        let said: Vec<String> =
            unknown_decision_projects(&report.rules, &known).iter().map(|f| f.location.a1()).collect();
        // "OS2 earlier" (a space inside the ID) is another ID – the log would not match it to
        // OS2earlier either – so it and the typo are said.
        assert_eq!(said, ["Beslutninger!B4", "Beslutninger!B6"]);
        // Near miss: without the previous run, OS2earlier is unknown too.
        let without = known_projects(&report, None);
        assert_eq!(unknown_decision_projects(&report.rules, &without).len(), 3);
    }

    #[test]
    fn a_known_id_in_other_case_and_spacing_and_general_decisions_are_no_warning() {
        // Near miss: the ID is known (case and spaces do not matter).
        let mut p = P::new("N2", "Koncept").log(date("2026-10-22"), None, None, None);
        p.model_mut().decisions[0].project = "  os2FORMS ".into();
        assert!(unknown_decision_projects(p.rules(), &known_set(&["OS2forms"])).is_empty());
        // A blank Projekt-ID and "OS2" are general decisions.
        let mut p = P::new("N2", "Koncept").log(date("2026-10-22"), None, None, None);
        p.model_mut().decisions[0].project = String::new();
        assert!(unknown_decision_projects(p.rules(), &HashSet::new()).is_empty());
        p.model_mut().decisions[0].project = "os2".into();
        assert!(unknown_decision_projects(p.rules(), &HashSet::new()).is_empty());
    }
}
