//! The archive's history (issue 20), one reading shared by `run` and `historik`: a period's
//! observations come from its `historik-<period>.json`; when that file is missing, damaged
//! or of an older format, the period is rebuilt ([`rebuild`]) – replayed from its own
//! input copies through the same load+check stage a run uses, else taken from its findings
//! JSON, else skipped – each said in a note. Reads only: nothing in a period folder is
//! written here.

use crate::check::previous::{Previous, PreviousProject};
use crate::config::settings::Paths;
use crate::load::history::{Unusable, earlier_periods, read};
use crate::model::history::{Observed, PortfolioPoint, State, fold};
use crate::model::rules::Rules;
use crate::text::{Text, t};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The history through the newest period before `period`, and notes on what could not be
/// used. The newest usable `historik-<period>.json` gives the state; every later period
/// (whose file could not be used) is rebuilt and folded in on top ([`rebuild`]). So a run
/// replays only the periods after the newest usable history file – normally none. Never
/// an error: history that cannot be read is said, and the run goes on. `None` when there
/// is no earlier period.
pub fn history(output: &Path, period: &str, rules: &Rules, paths: &Paths) -> (Option<State>, Vec<Text>) {
    let periods = earlier_periods(output, period);
    if periods.is_empty() {
        return (None, Vec::new());
    }
    let mut state = State::default();
    let mut start = 0;
    let mut why = Vec::new();
    for (i, (q, folder)) in periods.iter().enumerate().rev() {
        match read(folder, q) {
            Ok(file) => {
                state = file.state;
                start = i + 1;
                break;
            }
            Err(u) => why.push(u),
        }
    }
    why.reverse();
    let mut log = Log::default();
    for ((q, folder), why) in periods[start..].iter().zip(why.iter()) {
        if let Some(observed) = rebuild(q, folder, why, &state, rules, paths, &mut log) {
            state = fold(state, &observed);
        }
    }
    (Some(state), log.finish(output))
}

/// Every period of `periods` (oldest first) as `historik` shows it: its observations
/// (`None`: skipped), with the notes. A period without a usable history
/// file is rebuilt as [`history`] does it, on top of the state through the period before;
/// without `rules` (the styringsmodel cannot be read) it is not rebuilt.
pub fn course(
    output: &Path,
    periods: &[(String, PathBuf)],
    rules: Option<&Rules>,
    paths: &Paths,
) -> (Vec<Option<Observed>>, Vec<Text>) {
    let mut state = State::default();
    let mut log = Log::default();
    let mut out = Vec::new();
    for (q, folder) in periods {
        match read(folder, q) {
            Ok(file) => {
                state = file.state;
                out.push(Some(file.observed));
            }
            Err(why) => {
                let got = rules.and_then(|rules| rebuild(q, folder, &why, &state, rules, paths, &mut log));
                if let Some(observed) = &got {
                    state = fold(state, observed);
                }
                out.push(got);
            }
        }
    }
    (out, log.finish(output))
}

/// What rebuilding periods said, gathered into one note per kind.
#[derive(Default)]
struct Log {
    replayed: Vec<String>,
    from_findings: Vec<String>,
    no_point: Vec<String>,
    skipped: Vec<String>,
    notes: Vec<Text>,
}

impl Log {
    fn finish(mut self, output: &Path) -> Vec<Text> {
        let out_name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if !self.replayed.is_empty() {
            let list = self.replayed.join(", ");
            self.notes.push(t!(
                "Historikken for {list} er genopbygget ved at kontrollere periodens inputkopier igen ({out_name}/<periode>/input), fordi historik-filen mangler eller ikke kan læses ({out_name}/<periode>/historik-<periode>.json).",
                "The history of {list} was rebuilt by checking the period's input copies again ({out_name}/<period>/input), because the history file is missing or cannot be read ({out_name}/<period>/historik-<period>.json)."
            ));
        }
        if !self.from_findings.is_empty() {
            let list = self.from_findings.join(", ");
            self.notes.push(t!(
                "Historikken for {list} er genopbygget fra periodens fund-JSON, fordi historik-filen mangler eller ikke kan læses ({out_name}/<periode>/historik-<periode>.json), og perioden ingen brugbare inputkopier har; statusrapporter, der kun stod i de perioder, er ikke med.",
                "The history of {list} was rebuilt from the period's findings JSON, because the history file is missing or cannot be read ({out_name}/<period>/historik-<period>.json) and the period has no usable input copies; status reports that stood only in those periods are not included."
            ));
        }
        if !self.no_point.is_empty() {
            let list = self.no_point.join(", ");
            self.notes.push(t!(
                "Porteføljearkets fane Udvikling har intet punkt for {list}: periodens fund-JSON har ikke antallet af fejl.",
                "The portfolio's sheet Udvikling has no point for {list}: the period's findings JSON does not hold the number of errors."
            ));
        }
        if !self.skipped.is_empty() {
            let list = self.skipped.iter().map(|q| format!("{out_name}/{q}")).collect::<Vec<_>>().join(", ");
            self.notes.push(t!(
                "{list} mangler eller kan ikke læses (hverken historik-fil, inputkopier eller fund-fil); historikken springer perioden over og bruger resten.",
                "{list} is missing or cannot be read (neither a history file, input copies nor a findings file); the history skips the period and uses the rest."
            ));
        }
        self.notes
    }
}

/// One period whose history file cannot be used (`why`), on top of `state` (the history
/// through the period before): replayed from its input copies ([`replay`]); without usable
/// copies, from its findings JSON; else `None` (skipped). A file of a newer os2gov is not
/// replaced by a rebuild: the period is skipped.
fn rebuild(
    q: &str,
    folder: &Path,
    why: &Unusable,
    state: &State,
    rules: &Rules,
    paths: &Paths,
    log: &mut Log,
) -> Option<Observed> {
    let out_name =
        folder.parent().and_then(|o| o.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if let Unusable::NewerFormat(n) = why {
        let name = crate::model::history::file_name(q);
        log.notes.push(t!(
            "{out_name}/{q}/{name} er skrevet af en nyere os2gov (format {n}); den bruges ikke, og historikken springer {q} over.",
            "{out_name}/{q}/{name} was written by a newer os2gov (format {n}); it is not used, and the history skips {q}."
        ));
        return None;
    }
    let previous = (!state.folded.is_empty()).then(|| Previous::from_state(state));
    let (replayed, notes) = replay(q, folder, rules, previous.as_ref(), paths);
    log.notes.extend(notes);
    if let Some(observed) = replayed {
        log.replayed.push(q.to_string());
        return Some(observed);
    }
    let fund = folder.join(crate::render::json::file_name(q));
    match crate::run::workdir::read_previous_file(&fund) {
        Ok(prev) => {
            let mut observed = crate::check::history::observed_from_previous(rules, q, &prev);
            observed.portfolio = point_from_findings(rules, q, &prev, published_board_items(folder, q));
            if observed.portfolio.is_none() {
                log.no_point.push(q.to_string());
            }
            log.from_findings.push(q.to_string());
            Some(observed)
        }
        Err(e) if fund.exists() => {
            let f = crate::sys::names::display_path(&fund, &paths.base_dir);
            let why = crate::text::clip(&e.render(crate::text::Lang::Da), crate::text::SHOWN_VALUE_CHARS);
            let why_en = crate::text::clip(&e.render(crate::text::Lang::En), crate::text::SHOWN_VALUE_CHARS);
            log.notes.push(t!(
                "{f} kunne ikke læses, og {q} har hverken en brugbar historik-fil eller brugbare inputkopier, så historikken springer {q} over og bruger resten: {why}",
                "{f} could not be read, and {q} has neither a usable history file nor usable input copies, so the history skips {q} and uses the rest: {why_en}"
            ));
            None
        }
        Err(_) => {
            log.skipped.push(q.to_string());
            None
        }
    }
}

/// The last day of a period: the as-of of a replay when the period's manifest does not
/// give the run's own.
fn last_day(period: &str) -> NaiveDate {
    crate::model::period::Period::parse(period).map(crate::model::period::Period::last_day).unwrap_or_default()
}

/// What a replay needs from a period's `manifest.json`.
#[derive(Debug, Default, PartialEq)]
struct Manifest {
    as_of: Option<NaiveDate>,
    /// The copies (paths inside `input/`) of the workbooks the run read from the inbox.
    inputs: Vec<PathBuf>,
    /// The styringsmodel's copy inside `input/`.
    model: Option<PathBuf>,
    /// The register's copy inside `input/`.
    register: Option<PathBuf>,
}

/// A path `input/a/b.xlsx` from a manifest as a path inside `input/`; anything that could
/// climb out (`..`, an absolute path, an empty part) is refused.
fn inside_input(copy: &str) -> Option<PathBuf> {
    let rel = copy.strip_prefix("input/")?;
    let parts: Vec<&str> = rel.split('/').collect();
    if parts.iter().any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains('\\') || p.contains(':')) {
        return None;
    }
    Some(parts.iter().collect())
}

impl Manifest {
    /// Reads the manifest's text; `None` when it is not a JSON object.
    fn parse(text: &[u8]) -> Option<Manifest> {
        let v: serde_json::Value = serde_json::from_slice(text).ok()?;
        let v = v.as_object()?;
        let as_of = v.get("as_of").and_then(|d| d.as_str()).and_then(|d| d.parse().ok());
        let inputs: Vec<PathBuf> = v
            .get("inputs")
            .and_then(|i| i.as_array())
            .map(|list| list.iter().filter_map(|i| inside_input(i.get("copy")?.as_str()?)).collect())
            .unwrap_or_default();
        // The model's copy is its own file name, unless an input's copy had that name
        // (`outputs::model_copy_name`).
        let model = v
            .get("styringsmodel")
            .and_then(|m| m.get("file"))
            .and_then(|f| f.as_str())
            .map(|f| crate::sys::names::escaped_component(std::ffi::OsStr::new(f)))
            .map(
                |name| {
                    if inputs.iter().any(|i| i == Path::new(&name)) { format!("_styringsmodel_{name}") } else { name }
                },
            )
            .and_then(|name| inside_input(&format!("input/{name}")));
        let register = v.get("register").and_then(|r| r.get("copy")).and_then(|c| c.as_str()).and_then(inside_input);
        Some(Manifest { as_of, inputs, model, register })
    }
}

/// The count of the period's published board items (`bestyrelse-<period>.json`), if it
/// can be read.
fn published_board_items(folder: &Path, period: &str) -> Option<usize> {
    let file = folder.join(crate::model::board_items::file_name(period));
    crate::load::board_items::read(&file).ok().map(|f| f.items.len())
}

/// Replays a period from its input copies: the projektark copies checked again by the
/// run's own stage ([`crate::run::stage::check_files`]) with the period's styringsmodel
/// and register copies, its as-of (from its manifest, else the period's last day) and the
/// history through the period before (`previous`), then observed as the run observed
/// them, with the period's portfolio point. Without the period's styringsmodel copy the
/// current rules are used, with a note. `None` when the period has no input copy that
/// can be read as a projektark; a damaged copy is a note, the rest is used.
pub fn replay(
    q: &str,
    folder: &Path,
    current: &Rules,
    previous: Option<&Previous>,
    paths: &Paths,
) -> (Option<Observed>, Vec<Text>) {
    let input = folder.join("input");
    let mut notes = Vec::new();
    if !input.is_dir() {
        return (None, notes);
    }
    let limit = crate::load::workbook::Limits::default().max_file_bytes;
    let manifest = crate::sys::fs::read_bounded(&folder.join("manifest.json"), limit)
        .ok()
        .and_then(|(bytes, _)| Manifest::parse(&bytes));
    let as_of = manifest.as_ref().and_then(|m| m.as_of).unwrap_or_else(|| last_day(q));
    // Without a manifest: the copies named as os2gov names them, after the current files.
    let guess = |file: &Path, prefix: &str| {
        let name = file.file_name().map(crate::sys::names::escaped_component)?;
        [PathBuf::from(&name), PathBuf::from(format!("{prefix}{name}"))].into_iter().find(|p| input.join(p).is_file())
    };
    let (model_copy, register_copy) = match &manifest {
        Some(m) => (m.model.clone(), m.register.clone()),
        None => (guess(&paths.rules, "_styringsmodel_"), guess(&paths.register, "_register_")),
    };
    let read = |rel: &Path| crate::sys::fs::read_bounded(&input.join(rel), limit).ok().map(|(b, _)| b);
    let loaded =
        model_copy.as_deref().and_then(read).and_then(|b| crate::load::styringsmodel::load_rules(&b, as_of).ok());
    let (rules, model_findings) = match loaded {
        Some(l) => (l.rules, l.warnings),
        None => {
            notes.push(t!(
                "{q} har ingen brugbar kopi af styringsmodellen i input/, så perioden kontrolleres igen med den nuværende styringsmodel.",
                "{q} has no usable copy of the styringsmodel in input/, so the period is checked again with the current styringsmodel."
            ));
            (current.clone(), Vec::new())
        }
    };
    // The register as the run read it; a period run before the register existed had none.
    let register = match register_copy.as_deref().map(|rel| (rel, read(rel))) {
        None => crate::check::report::RegisterUse::default(),
        Some((rel, bytes)) => match bytes.map(|b| crate::load::register::load_register(&b, &rules)) {
            Some(Ok(l)) => crate::check::report::RegisterUse {
                register: Arc::new(l.register),
                findings: l.findings,
                ..Default::default()
            },
            _ => {
                let f = rel.display();
                notes.push(t!(
                        "Kopien af sekretariatets register {q}/input/{f} kan ikke bruges, så {q} kontrolleres igen uden registerets vurderinger og placeringer.",
                        "The copy of the secretariat's register {q}/input/{f} cannot be used, so {q} is checked again without the register's assessments and placements."
                    ));
                crate::check::report::RegisterUse::default()
            }
        },
    };
    let files: Vec<PathBuf> = match &manifest {
        Some(m) => m.inputs.iter().map(|rel| input.join(rel)).filter(|p| p.is_file()).collect(),
        None => {
            let skip: Vec<PathBuf> = model_copy.iter().chain(register_copy.iter()).map(|p| input.join(p)).collect();
            crate::load::inbox::walk_inputs(std::slice::from_ref(&input), &skip).map(|w| w.files).unwrap_or_default()
        }
    };
    if files.is_empty() {
        return (None, notes);
    }
    let walk = crate::load::inbox::Walk { files, ..Default::default() };
    let report = crate::run::stage::check_files(
        crate::run::stage::CheckInput {
            rules: Arc::new(rules),
            model_findings,
            walk: &walk,
            base: &input,
            previous,
            as_of,
            period: q.to_string(),
            limits: crate::load::workbook::Limits::default(),
            register,
        },
        &|| {},
    );
    for u in &report.unreadable {
        let f = &u.file;
        let why = crate::text::clip(&u.finding.message.da, crate::text::SHOWN_VALUE_CHARS);
        let why_en = crate::text::clip(&u.finding.message.en, crate::text::SHOWN_VALUE_CHARS);
        notes.push(t!(
            "Inputkopien {q}/input/{f} kunne ikke læses og er ikke med, da {q} blev kontrolleret igen: {why}",
            "The input copy {q}/input/{f} could not be read and is left out of checking {q} again: {why_en}"
        ));
    }
    if report.projects.is_empty() {
        return (None, notes);
    }
    let mut observed = crate::check::history::observe(&report.rules, as_of, q, &report.projects, previous);
    // The board items the period published; only without them are they built again.
    let board_items = published_board_items(folder, q).unwrap_or_else(|| crate::board::items(&report).len());
    observed.portfolio = Some(crate::render::portfolio::point(&report, board_items));
    (Some(observed), notes)
}

/// The portfolio point of a period known only from its findings JSON: projects per
/// declared level and phase (the styringsmodel's, then any other the JSON names), the
/// errors of its summary, and the board items when `board_items` (the published
/// `bestyrelse-<period>.json`) gives them. `None` when the JSON has no error count.
pub fn point_from_findings(
    rules: &Rules,
    period: &str,
    prev: &Previous,
    board_items: Option<usize>,
) -> Option<PortfolioPoint> {
    let errors = prev.errors?;
    let projects: Vec<&PreviousProject> = prev.projects.values().collect();
    let counts = |known: Vec<String>, of: &dyn Fn(&PreviousProject) -> Option<&str>| {
        let mut names = known;
        let mut extra: Vec<String> = projects
            .iter()
            .filter_map(|p| of(p))
            .filter(|n| !names.iter().any(|k| k == n) && *n != "ingen")
            .map(str::to_string)
            .collect();
        extra.sort();
        extra.dedup();
        names.extend(extra);
        names
            .into_iter()
            .map(|n| {
                let c = projects.iter().filter(|p| of(p) == Some(n.as_str())).count();
                (n, c)
            })
            .collect::<Vec<_>>()
    };
    Some(PortfolioPoint {
        period: period.to_string(),
        projects: projects.len(),
        levels: counts(rules.levels.iter().map(|l| l.code.clone()).collect(), &|p| p.declared_level.as_deref()),
        phases: counts(rules.phases.iter().map(|p| p.name.clone()).collect(), &|p| p.phase.as_deref()),
        errors,
        board_items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_gives_the_as_of_and_the_copies_and_nothing_outside_input() {
        let text = serde_json::json!({
            "as_of": "2026-10-22",
            "styringsmodel": {"file": "styringsmodel.xlsx"},
            "register": {"copy": "input/sekretariat.xlsx"},
            "inputs": [
                {"copy": "input/indsendt/OS2a.xlsx"},
                {"copy": null},
                {"copy": "input/../../etc/passwd"},
                {"copy": "/etc/passwd"},
                {"copy": "input/styringsmodel.xlsx"},
            ],
        });
        let m = Manifest::parse(text.to_string().as_bytes()).unwrap();
        assert_eq!(m.as_of, NaiveDate::from_ymd_opt(2026, 10, 22));
        assert_eq!(m.inputs, vec![PathBuf::from("indsendt/OS2a.xlsx"), PathBuf::from("styringsmodel.xlsx")]);
        // An input's copy took the model's name: the model's copy is the prefixed one.
        assert_eq!(m.model, Some(PathBuf::from("_styringsmodel_styringsmodel.xlsx")));
        assert_eq!(m.register, Some(PathBuf::from("sekretariat.xlsx")));
        // Near miss: without the clash the model's copy has its own name; a damaged
        // manifest is none at all.
        let plain = serde_json::json!({"styringsmodel": {"file": "model.xlsx"}, "inputs": []});
        let m = Manifest::parse(plain.to_string().as_bytes()).unwrap();
        assert_eq!((m.model, m.as_of), (Some(PathBuf::from("model.xlsx")), None));
        assert_eq!(Manifest::parse(b"{\"as_of\": \"2026-"), None);
        assert_eq!(last_day("2026-02"), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(last_day("2026-12"), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    }

    #[test]
    fn a_findings_json_gives_levels_phases_and_errors_but_not_board_items() {
        let rules = crate::check::testkit::rules();
        let project = |level: &str, phase: &str| PreviousProject {
            declared_level: Some(level.into()),
            phase: Some(phase.into()),
            ..PreviousProject::default()
        };
        let mut prev = Previous { errors: Some(3), ..Previous::default() };
        prev.projects.insert("OS2a".into(), project("N2", "Implementering"));
        prev.projects.insert("OS2b".into(), project("N2", "Koncept"));
        prev.projects.insert("OS2c".into(), project("N9", "Koncept"));
        let point = point_from_findings(rules, "2026-09", &prev, None).unwrap();
        let of = |list: &[(String, usize)], n: &str| list.iter().find(|(k, _)| k == n).map(|(_, c)| *c);
        assert_eq!((point.projects, point.errors, point.board_items), (3, 3, None));
        assert_eq!(of(&point.levels, "N2"), Some(2));
        assert_eq!(of(&point.levels, "N1"), Some(0));
        // A level the styringsmodel no longer has is still counted, after its own.
        assert_eq!(point.levels.last(), Some(&("N9".to_string(), 1)));
        assert_eq!(of(&point.phases, "Koncept"), Some(2));
        assert_eq!(point_from_findings(rules, "2026-09", &prev, Some(4)).unwrap().board_items, Some(4));
        // Near miss: a JSON without the summary's error count gives no point.
        prev.errors = None;
        assert_eq!(point_from_findings(rules, "2026-09", &prev, Some(4)), None);
    }
}
