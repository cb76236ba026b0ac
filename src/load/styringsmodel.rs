//! Loads and validates the styringsmodel workbook into [`Rules`]. Every problem becomes a
//! `GOV-*` finding naming `sheet!cell` and the fix; all problems are collected in one go,
//! and a problem in one sheet does not cascade into false alarms in another.

use crate::load::sheet::{GOV_CODES, Row, SheetReader, Table, key_rows, normalize_key, opt, opt_or, req, req_or};
use crate::load::workbook::{Limits, RawWorkbook, ReadError, read_workbook, same_name};
use crate::model::cell::CellRef;
use crate::model::choice::{BoardRole, CrossCheck, Decider, DecisionKind, RecipientRole, ReqKind, TransitionKind};
use crate::model::defaults::OFFICIAL_WORDING;
use crate::model::finding::{Code, Finding, Location, Severity};
use crate::model::rules::{
    Decision, Document, KeyPhases, Level, LevelId, LevelSet, Meeting, Params, Phase, PhaseId, Reason, Recipient,
    Requirement, Rules, Transition,
};
use crate::model::value::{email_is_valid, format_date};
use crate::text::fold;
use crate::text::t;
use crate::text::{Lang, Text};
use chrono::NaiveDate;
use std::collections::HashMap;

/// The optional sheet with the board's decision log.
pub const DECISIONS: &str = "Beslutninger";

/// The sheets of a styringsmodel, in the order they are described.
pub const SHEETS: [&str; 9] =
    ["Dokument", "Niveauer", "Krav", "Faser", "Overgange", "Årsager", "Parametre", "Bestyrelsesmøder", "Modtagere"];

/// A loaded styringsmodel and the warnings it gave (e.g. `GOV-REVISION-DUE`).
#[derive(Clone, Debug)]
pub struct LoadedRules {
    pub rules: Rules,
    pub warnings: Vec<Finding>,
}

/// Reads the styringsmodel from the bytes of a workbook. `Err` holds every problem found
/// (errors and warnings), sorted as they appear.
pub fn load_rules(bytes: &[u8], as_of: NaiveDate) -> Result<LoadedRules, Vec<Finding>> {
    let wanted = |name: &str| SHEETS.iter().chain([&DECISIONS]).any(|s| same_name(s, name));
    let workbook = read_workbook(bytes, &wanted, &Limits::default())
        .map_err(|e: ReadError| vec![Finding::new(Code::GovUnreadable, Location::none(), e.text())])?;
    rules_from_workbook(&workbook, as_of)
}

/// Validates a workbook already read into cells.
pub fn rules_from_workbook(workbook: &RawWorkbook, as_of: NaiveDate) -> Result<LoadedRules, Vec<Finding>> {
    let mut r = SheetReader::new(workbook, GOV_CODES);
    let document = read_document(&mut r);
    let levels = read_levels(&mut r);
    let phases = read_phases(&mut r);
    let key = phases.as_ref().and_then(|p| key_phases(&mut r, p));
    let reasons = read_reasons(&mut r);
    let mut due_from = Vec::new();
    let requirements = read_requirements(&mut r, levels.as_deref(), phases.as_deref(), &mut due_from);
    let transitions = read_transitions(&mut r, levels.as_deref(), phases.as_deref());
    if let (Some(transitions), Some(key)) = (&transitions, key) {
        due_phases_on_main_line(&mut r, &due_from, transitions, key);
    }
    let params = read_params(&mut r);
    let meetings = read_meetings(&mut r);
    let recipients = read_recipients(&mut r);
    let log_from = params.as_ref().and_then(|p| p.decision_log_from);
    let decisions = read_decisions(&mut r, levels.as_deref(), meetings.as_deref(), log_from);

    if let Some(Some(due)) = document.as_ref().map(|d| d.revision_date)
        && due < as_of
    {
        let (due_s, as_of_s) = (format_date(due), format_date(as_of));
        r.findings.push(Finding::new(
            Code::GovRevisionDue,
            Location::sheet("Dokument"),
            t!(
                "Styringsmodellens revisionsdato ({due_s}) er overskredet (kørselsdato {as_of_s}). Kørslen fortsætter; få modellen revideret og opdatér Revisionsdato i fanen Dokument.",
                "The styringsmodel's revision date ({due_s}) has passed (as-of {as_of_s}). The run goes on; have the model revised and update Revisionsdato in the Dokument sheet.",
            ),
        ));
    }

    let has_errors = r.findings.iter().any(|f| f.severity == Severity::Error);
    if let Some(doc) = &document {
        document_complete(&mut r, doc, as_of);
    }
    match (document, levels, requirements, phases, key, transitions, reasons, params, meetings, recipients, decisions) {
        (
            Some(document),
            Some(levels),
            Some((requirements, themes)),
            Some(phases),
            Some(key),
            Some(transitions),
            Some(reasons),
            Some(params),
            Some(meetings),
            Some(recipients),
            Some(decisions),
        ) if !has_errors => Ok(LoadedRules {
            rules: Rules {
                lookup: crate::model::rules::Lookup::build(&levels, &phases, &reasons, &requirements),
                document,
                levels,
                themes,
                requirements,
                phases,
                key,
                transitions,
                reasons,
                params,
                meetings,
                recipients,
                decisions: decisions.0,
                decision_project_col: decisions.1,
            },
            warnings: r.findings,
        }),
        _ => {
            if !r.findings.iter().any(|f| f.severity == Severity::Error) {
                // Defensive: a sheet failed without saying why.
                r.findings.push(Finding::new(
                    Code::GovEmpty,
                    Location::none(),
                    t!("Styringsmodellen er ufuldstændig.", "The styringsmodel is incomplete."),
                ));
            }
            Err(r.findings)
        }
    }
}

fn table<'w>(
    r: &mut SheetReader<'w>,
    name: &str,
    purpose: Text,
    cols: &[crate::load::sheet::Col],
) -> Option<Table<'w>> {
    let sheet = r.sheet(name, purpose)?;
    r.table(sheet, cols)
}

fn empty(r: &mut SheetReader<'_>, sheet: &str, what: Text) {
    let (wda, wen) = (what.da, what.en);
    r.push(
        Code::GovEmpty,
        Location::sheet(sheet),
        t!("Fanen '{sheet}' har ingen rækker. Tilføj {wda}.", "The sheet '{sheet}' has no rows. Add {wen}."),
    );
}

fn duplicate(r: &mut SheetReader<'_>, row: &Row<'_, '_>, col: &str, value: &str, first_row: u32) {
    let (cell, sheet) = (row.cell(col), row.table.sheet.name.clone());
    r.push(
        Code::GovDuplicate,
        Location::cell(&sheet, cell),
        t!(
            "'{value}' findes allerede i række {first_row}. Hver {col} må kun stå én gang; slet eller omdøb den ene.",
            "'{value}' already appears in row {first_row}. Each {col} may appear only once; delete or rename one.",
        ),
    );
}

fn read_document(r: &mut SheetReader<'_>) -> Option<Document> {
    let t = table(
        r,
        "Dokument",
        t!("modellens ejer, version og revisionsdato", "the model's owner, version and revision date"),
        &[req("Felt"), req("Værdi")],
    )?;
    let rows = key_rows(&t, "Felt");
    let find = |name: &str| rows.iter().find(|(k, _)| *k == normalize_key(name)).map(|(_, row)| row);
    let mut doc = Document {
        owner: find("Ejer").and_then(|row| r.text(row, "Værdi")),
        approver: find("Godkender").and_then(|row| r.text(row, "Værdi")),
        revision_date: find("Revisionsdato").and_then(|row| r.date(row, "Værdi")),
        approval_date: find("Godkendelsesdato").and_then(|row| r.date(row, "Værdi")),
        version: String::new(),
    };
    match find("Version") {
        Some(row) => doc.version = r.required_text(row, "Værdi")?,
        None => {
            r.push(
                Code::GovFieldMissing,
                Location::sheet(&t.sheet.name),
                t!(
                    "Fanen 'Dokument' mangler rækken 'Version'. Tilføj en række med Felt = Version og modellens version i Værdi.",
                    "The sheet 'Dokument' lacks the row 'Version'. Add a row with Felt = Version and the model's version in Værdi.",
                ),
            );
            return None;
        }
    }
    Some(doc)
}

fn read_levels(r: &mut SheetReader<'_>) -> Option<Vec<Level>> {
    let t = table(
        r,
        "Niveauer",
        t!(
            "niveauerne (Kode, Navn, Rækkefølge, Bestyrelse, Min. organisationer)",
            "the levels (Kode, Navn, Rækkefølge, Bestyrelse, Min. organisationer)"
        ),
        &[
            req("Kode"),
            req("Navn"),
            req_or("Rækkefølge", &["Raekkefoelge", "Orden"]),
            req("Bestyrelse"),
            req_or(
                "Min. organisationer",
                &["Min organisationer", "Minimum organisationer", "Mindste antal organisationer"],
            ),
            opt("Beskrivelse"),
        ],
    )?;
    let mut levels = Vec::new();
    let mut ok = true;
    let mut codes: HashMap<String, u32> = HashMap::new();
    let mut orders: HashMap<i64, u32> = HashMap::new();
    for row in t.rows() {
        let code = r.required_text(&row, "Kode");
        let name = r.required_text(&row, "Navn");
        let order = r.integer(&row, "Rækkefølge");
        if row.value("Rækkefølge").is_none() {
            r.required_text(&row, "Rækkefølge");
        }
        let board = r.choice(&row, "Bestyrelse", BoardRole::parse, &BoardRole::labels_da());
        if row.value("Bestyrelse").is_none() {
            r.required_text(&row, "Bestyrelse");
        }
        let min_orgs = r.integer(&row, "Min. organisationer");
        if let Some(n) = min_orgs
            && n < 0
        {
            r.push(
                Code::GovValueInvalid,
                r.at(&row, "Min. organisationer"),
                t!("Min. organisationer kan ikke være negativ.", "Min. organisationer cannot be negative."),
            );
            ok = false;
        }
        if let Some(code) = &code {
            if let Some(first) = codes.get(&fold(code)) {
                duplicate(r, &row, "Kode", code, *first);
                ok = false;
            }
            codes.insert(fold(code), row.number());
        }
        if let Some(order) = order {
            if let Some(first) = orders.get(&order) {
                duplicate(r, &row, "Rækkefølge", &order.to_string(), *first);
                ok = false;
            }
            orders.insert(order, row.number());
        }
        match (code, name, order, board) {
            (Some(code), Some(name), Some(order), Some(board)) => levels.push(Level {
                code,
                name,
                order,
                board,
                min_orgs: min_orgs.unwrap_or(1).max(0) as u32,
                description: r.text(&row, "Beskrivelse").unwrap_or_default(),
            }),
            _ => ok = false,
        }
    }
    if levels.is_empty() && ok {
        empty(r, "Niveauer", t!("mindst ét niveau, fx SB Sandkasse", "at least one level, e.g. SB Sandkasse"));
        return None;
    }
    levels.sort_by_key(|l| l.order);
    ok.then_some(levels)
}

/// A requirement's Fra fase as read: its ID, the phase and the cell, to validate once the
/// transitions are known.
type DueFrom = (String, PhaseId, Location);

fn read_requirements(
    r: &mut SheetReader<'_>,
    levels: Option<&[Level]>,
    phases: Option<&[Phase]>,
    due_from: &mut Vec<DueFrom>,
) -> Option<(Vec<Requirement>, Vec<String>)> {
    let t = table(
        r,
        "Krav",
        t!(
            "kravkataloget (ID, Tema, Niveau, Type, Fra fase, Krav, Vejledning, Krydstjek)",
            "the requirement catalogue (ID, Tema, Niveau, Type, Fra fase, Krav, Vejledning, Krydstjek)"
        ),
        &[
            req("ID"),
            req("Tema"),
            req("Niveau"),
            req("Type"),
            opt_or(FROM_PHASE, &["Fra fasen", "Krævet fra fase", "Kraeves fra fase"]),
            req("Krav"),
            opt("Vejledning"),
            opt_or("Krydstjek", &["Krydscheck", "Cross-check"]),
            opt_or(OFFICIAL_WORDING, &["OS2 ordlyd", "OS2s ordlyd", "Officiel ordlyd", "Ordlyd"]),
        ],
    )?;
    if t.col(FROM_PHASE).is_none() {
        let sheet = &t.sheet.name;
        r.findings.push(
            Finding::new(
                Code::GovColumnMissing,
                Location::sheet(sheet),
                t!(
                    "Fanen '{sheet}' har ingen kolonne 'Fra fase', så alle krav regnes som krævet fra første fase – også dem, et projekt først kan opfylde senere (fx bestyrelsens godkendelse). Tilføj kolonnen med den fase, hvor hvert krav skal være opfyldt (os2gov init skriver en model med kolonnen).",
                    "The sheet '{sheet}' has no column 'Fra fase', so every requirement counts as due from the first phase – also those a project can only meet later (e.g. the board's approval). Add the column with the phase from which each requirement must be met (os2gov init writes a model with it).",
                ),
            )
            .with_severity(Severity::Warning),
        );
    }
    let phase_names = phases.map(|p| p.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "));
    let mut out = Vec::new();
    let mut themes: Vec<String> = Vec::new();
    let mut ok = true;
    let mut ids: HashMap<String, u32> = HashMap::new();
    let level_codes = levels.map(|l| l.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", "));
    for row in t.rows() {
        let id = r.required_text(&row, "ID");
        let theme = r.required_text(&row, "Tema");
        let level_text = r.required_text(&row, "Niveau");
        let kind = r.choice(&row, "Type", ReqKind::parse, &ReqKind::labels_da());
        if row.value("Type").is_none() {
            r.required_text(&row, "Type");
        }
        let text = r.required_text(&row, "Krav");
        let cross_check = r.choice(&row, "Krydstjek", CrossCheck::parse, &CrossCheck::labels_da());
        if row.value("Krydstjek").is_some() && cross_check.is_none() {
            ok = false;
        }
        // Fra fase: blank is from the first phase; a name must be a phase in Faser.
        let from_text = r.text(&row, FROM_PHASE);
        let from_phase = match (&from_text, phases) {
            (Some(name), Some(phases)) => {
                let found = phases.iter().position(|p| fold(&p.name) == fold(name)).map(PhaseId);
                if found.is_none() {
                    let (cell, sheet, known) =
                        (row.cell(FROM_PHASE), &t.sheet.name, phase_names.clone().unwrap_or_default());
                    r.push(
                        Code::GovReferenceUnknown,
                        Location::cell(sheet, cell),
                        t!(
                            "fasen '{name}' i Fra fase findes ikke i fanen Faser. Brug en af: {known} – eller lad feltet stå tomt (krævet fra første fase).",
                            "the phase '{name}' in Fra fase does not exist in the Faser sheet. Use one of: {known} – or leave it empty (due from the first phase).",
                        ),
                    );
                    ok = false;
                }
                if let (Some(p), Some(id)) = (found, &id) {
                    due_from.push((id.clone(), p, r.at(&row, FROM_PHASE)));
                }
                if let (Some(p), Some(id)) = (found, &id) {
                    due_from.push((id.clone(), p, r.at(&row, FROM_PHASE)));
                }
                found
            }
            _ => None,
        };
        if let Some(id) = &id {
            if let Some(first) = ids.get(&fold(id)) {
                duplicate(r, &row, "ID", id, *first);
                ok = false;
            }
            ids.insert(fold(id), row.number());
        }
        // Without a usable Niveauer sheet the level cannot be resolved; that sheet's own
        // problem has been reported, so no second message per requirement.
        let level = match (&level_text, levels) {
            (Some(code), Some(levels)) => {
                let f = fold(code);
                let found = levels.iter().position(|l| fold(&l.code) == f).map(LevelId);
                if found.is_none() {
                    let (cell, sheet, known) =
                        (row.cell("Niveau"), &t.sheet.name, level_codes.clone().unwrap_or_default());
                    r.push(
                        Code::GovReferenceUnknown,
                        Location::cell(sheet, cell),
                        t!(
                            "niveauet '{code}' findes ikke i fanen Niveauer. Brug en af koderne {known}, eller tilføj niveauet.",
                            "the level '{code}' does not exist in the Niveauer sheet. Use one of the codes {known}, or add the level.",
                        ),
                    );
                }
                found
            }
            _ => None,
        };
        match (id, theme, level, kind, text) {
            (Some(id), Some(theme), Some(level), Some(kind), Some(text)) => {
                if !themes.contains(&theme) {
                    themes.push(theme.clone());
                }
                out.push(Requirement {
                    id,
                    theme,
                    level,
                    kind,
                    text,
                    guidance: r.text(&row, "Vejledning").unwrap_or_default(),
                    official: r
                        .text(&row, OFFICIAL_WORDING)
                        .map(|w| w.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect())
                        .unwrap_or_default(),
                    cross_check,
                    from_phase,
                });
            }
            _ => ok = false,
        }
    }
    if out.is_empty() && ok {
        empty(r, "Krav", t!("kravene, ét pr. række", "the requirements, one per row"));
        return None;
    }
    ok.then_some((out, themes))
}

/// The Krav column naming the phase from which a requirement is due.
pub const FROM_PHASE: &str = "Fra fase";

/// A requirement cannot fall due in a holding or closing phase (Pauseret, Udfaset): a
/// project there is judged by the phase it left, so such a Fra fase would never apply.
fn due_phases_on_main_line(r: &mut SheetReader<'_>, due_from: &[DueFrom], transitions: &[Transition], key: KeyPhases) {
    let off_line = |p: PhaseId| {
        p == key.closed
            || transitions
                .iter()
                .any(|t| t.to == p && matches!(t.kind, TransitionKind::Pause | TransitionKind::Afslutning))
    };
    for (id, phase, cell) in due_from {
        if off_line(*phase) {
            r.push(
                Code::GovValueInvalid,
                cell.clone(),
                t!(
                    "{id}: Fra fase kan ikke være en pause- eller afslutningsfase; et projekt dér vurderes efter den fase, det forlod. Vælg en fase på hovedforløbet, fx Koncept eller Igangsat.",
                    "{id}: Fra fase cannot be a pause or closing phase; a project there is judged by the phase it left. Choose a phase on the main line, e.g. Koncept or Igangsat.",
                ),
            );
        }
    }
}

fn read_phases(r: &mut SheetReader<'_>) -> Option<Vec<Phase>> {
    let t = table(
        r,
        "Faser",
        t!("faserne (Navn, Rækkefølge, Beskrivelse)", "the phases (Navn, Rækkefølge, Beskrivelse)"),
        &[req("Navn"), req_or("Rækkefølge", &["Raekkefoelge", "Orden"]), opt("Beskrivelse")],
    )?;
    let mut phases = Vec::new();
    let mut ok = true;
    let mut names: HashMap<String, u32> = HashMap::new();
    let mut orders: HashMap<i64, u32> = HashMap::new();
    for row in t.rows() {
        let name = r.required_text(&row, "Navn");
        let order = r.integer(&row, "Rækkefølge");
        if row.value("Rækkefølge").is_none() {
            r.required_text(&row, "Rækkefølge");
        }
        if let Some(name) = &name {
            if name == "*" {
                r.push(
                    Code::GovValueInvalid,
                    r.at(&row, "Navn"),
                    t!(
                        "'*' betyder 'alle faser' i Overgange og kan ikke være navnet på en fase.",
                        "'*' means 'any phase' in Overgange and cannot name a phase."
                    ),
                );
                ok = false;
            }
            if let Some(first) = names.get(&fold(name)) {
                duplicate(r, &row, "Navn", name, *first);
                ok = false;
            }
            names.insert(fold(name), row.number());
        }
        if let Some(order) = order {
            if let Some(first) = orders.get(&order) {
                duplicate(r, &row, "Rækkefølge", &order.to_string(), *first);
                ok = false;
            }
            orders.insert(order, row.number());
        }
        match (name, order) {
            (Some(name), Some(order)) => {
                phases.push(Phase { name, order, description: r.text(&row, "Beskrivelse").unwrap_or_default() })
            }
            _ => ok = false,
        }
    }
    if phases.is_empty() && ok {
        empty(r, "Faser", t!("faserne, fx Idé, Koncept, Igangsat", "the phases, e.g. Idé, Koncept, Igangsat"));
        return None;
    }
    phases.sort_by_key(|p| p.order);
    ok.then_some(phases)
}

fn key_phases(r: &mut SheetReader<'_>, phases: &[Phase]) -> Option<KeyPhases> {
    let find = |name: &str| phases.iter().position(|p| fold(&p.name) == fold(name)).map(PhaseId);
    let mut missing = Vec::new();
    let ids: Vec<Option<PhaseId>> = KeyPhases::NAMES.iter().map(|n| find(n)).collect();
    for (name, id) in KeyPhases::NAMES.iter().zip(&ids) {
        if id.is_none() {
            missing.push(*name);
        }
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        r.push(
            Code::GovPhaseMissing,
            Location::sheet("Faser"),
            t!(
                "Fanen Faser mangler faserne {list}, som kontrollerne bygger på (godkendelse, statusrapporter, produkter). Tilføj dem med disse navne.",
                "The Faser sheet lacks the phases {list}, which the checks rely on (approval, status reports, products). Add them with these names.",
            ),
        );
        return None;
    }
    Some(KeyPhases { concept: ids[0]?, board_review: ids[1]?, started: ids[2]?, product: ids[3]?, closed: ids[4]? })
}

fn read_transitions(
    r: &mut SheetReader<'_>,
    levels: Option<&[Level]>,
    phases: Option<&[Phase]>,
) -> Option<Vec<Transition>> {
    let t = table(
        r,
        "Overgange",
        t!(
            "de tilladte faseskift (Fra, Til, Niveauer, Beslutter, Type, Årsag påkrævet)",
            "the allowed phase changes (Fra, Til, Niveauer, Beslutter, Type, Årsag påkrævet)"
        ),
        &[
            req("Fra"),
            req("Til"),
            req("Niveauer"),
            req("Beslutter"),
            req("Type"),
            opt_or("Årsag påkrævet", &["Aarsag paakraevet", "Årsag krævet", "Kræver årsag"]),
        ],
    )?;
    let phase_names = phases.map(|p| p.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(", "));
    let mut out: Vec<Transition> = Vec::new();
    let mut ok = true;
    for row in t.rows() {
        let from_text = r.required_text(&row, "Fra");
        let to_text = r.required_text(&row, "Til");
        let levels_text = r.required_text(&row, "Niveauer");
        let deciders = deciders(r, &row);
        if row.value("Beslutter").is_none() {
            r.required_text(&row, "Beslutter");
        }
        let kind = r.choice(&row, "Type", TransitionKind::parse, &TransitionKind::labels_da());
        if row.value("Type").is_none() {
            r.required_text(&row, "Type");
        }
        let reason_required =
            if row.value("Årsag påkrævet").is_some() { r.yes_no(&row, "Årsag påkrævet") } else { Some(false) };

        let phase_ref =
            |r: &mut SheetReader<'_>, col: &str, text: &Option<String>, star_ok: bool| -> Option<Option<PhaseId>> {
                let text = text.as_ref()?;
                let phases = phases?;
                if star_ok && text.trim() == "*" {
                    return Some(None);
                }
                let found = phases.iter().position(|p| fold(&p.name) == fold(text)).map(PhaseId);
                if found.is_none() {
                    let (cell, sheet, known) = (row.cell(col), &t.sheet.name, phase_names.clone().unwrap_or_default());
                    let star = if star_ok { " eller *" } else { "" };
                    let star_en = if star_ok { " or *" } else { "" };
                    r.push(
                        Code::GovReferenceUnknown,
                        Location::cell(sheet, cell),
                        t!(
                            "fasen '{text}' findes ikke i fanen Faser. Brug en af: {known}{star}.",
                            "the phase '{text}' does not exist in the Faser sheet. Use one of: {known}{star_en}.",
                        ),
                    );
                }
                found.map(Some)
            };
        let from = phase_ref(r, "Fra", &from_text, true);
        let to = phase_ref(r, "Til", &to_text, false).flatten();
        let level_set = match (&levels_text, levels) {
            (Some(text), Some(levels)) => level_set(r, &row, text, levels),
            _ => None,
        };
        match (from, to, level_set, deciders, kind, reason_required) {
            (Some(from), Some(to), Some(levels_set), Some(deciders), Some(kind), Some(reason_required)) => {
                let clash = out.iter().find(|o| o.from == from && o.to == to && overlaps(&o.levels, &levels_set));
                if let Some(first) = clash {
                    let first_row = first.row;
                    let value =
                        format!("{} → {}", from_text.clone().unwrap_or_default(), to_text.clone().unwrap_or_default());
                    r.push(
                        Code::GovDuplicate,
                        r.at(&row, "Fra"),
                        t!(
                            "overgangen {value} står allerede i række {first_row} for et af de samme niveauer. Saml dem i én række.",
                            "the transition {value} already appears in row {first_row} for one of the same levels. Merge them into one row.",
                        ),
                    );
                    ok = false;
                }
                out.push(Transition {
                    from,
                    to,
                    levels: levels_set,
                    deciders,
                    kind,
                    reason_required,
                    row: row.number(),
                });
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// Beslutter: one body, or several separated by commas (`Styregruppe, Koordinationsgruppe`).
fn deciders(r: &mut SheetReader<'_>, row: &Row<'_, '_>) -> Option<Vec<Decider>> {
    let value = row.value("Beslutter")?;
    let text = crate::load::sheet::cell_text(value)?;
    let parts: Vec<&str> = text.split([',', ';', '/']).map(str::trim).filter(|p| !p.is_empty()).collect();
    let parsed: Option<Vec<Decider>> = parts.iter().map(|p| Decider::parse(p)).collect();
    match parsed {
        Some(mut list) if !list.is_empty() => {
            list.dedup();
            Some(list)
        }
        _ => {
            r.invalid(row, "Beslutter", value, &Decider::labels_da());
            None
        }
    }
}

fn overlaps(a: &LevelSet, b: &LevelSet) -> bool {
    match (a, b) {
        (LevelSet::All, _) | (_, LevelSet::All) => true,
        (LevelSet::Only(x), LevelSet::Only(y)) => x.iter().any(|l| y.contains(l)),
    }
}

fn level_set(r: &mut SheetReader<'_>, row: &Row<'_, '_>, text: &str, levels: &[Level]) -> Option<LevelSet> {
    if ["alle", "all", "*"].contains(&fold(text).as_str()) {
        return Some(LevelSet::All);
    }
    let mut ids = Vec::new();
    let mut ok = true;
    for part in text.split([',', ';', '/']).map(str::trim).filter(|p| !p.is_empty()) {
        match levels.iter().position(|l| fold(&l.code) == fold(part)) {
            Some(i) => ids.push(LevelId(i)),
            None => {
                ok = false;
                let known = levels.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", ");
                r.push(
                    Code::GovReferenceUnknown,
                    r.at(row, "Niveauer"),
                    t!(
                        "niveauet '{part}' findes ikke i fanen Niveauer. Skriv 'Alle' eller koder adskilt af komma: {known}.",
                        "the level '{part}' does not exist in the Niveauer sheet. Write 'Alle' or codes separated by commas: {known}.",
                    ),
                );
            }
        }
    }
    (ok && !ids.is_empty()).then_some(LevelSet::Only(ids))
}

fn read_reasons(r: &mut SheetReader<'_>) -> Option<Vec<Reason>> {
    let t = table(
        r,
        "Årsager",
        t!("årsagerne til tilbageløb (Kode, Navn, Beskrivelse)", "the backflow reasons (Kode, Navn, Beskrivelse)"),
        &[
            req("Kode"),
            req("Navn"),
            opt("Beskrivelse"),
            opt_or(NOTE_REQUIRED, &["Bemaerkning paakraevet", "Kræver bemærkning", "Bemærkning krævet"]),
        ],
    )?;
    let has_note_column = t.col(NOTE_REQUIRED).is_some();
    let mut out = Vec::new();
    let mut ok = true;
    let mut codes: HashMap<String, u32> = HashMap::new();
    for row in t.rows() {
        let code = r.required_text(&row, "Kode");
        let name = r.required_text(&row, "Navn");
        if let Some(code) = &code {
            if let Some(first) = codes.get(&fold(code)) {
                duplicate(r, &row, "Kode", code, *first);
                ok = false;
            }
            codes.insert(fold(code), row.number());
        }
        // Without the column (a model written before it existed) only ANDET needs a note.
        let note_required = match (has_note_column, row.value(NOTE_REQUIRED).is_some()) {
            (true, true) => r.yes_no(&row, NOTE_REQUIRED),
            (true, false) => Some(false),
            (false, _) => Some(code.as_deref().is_some_and(|c| fold(c) == "andet")),
        };
        match (code, name, note_required) {
            (Some(code), Some(name), Some(note_required)) => out.push(Reason {
                code,
                name,
                description: r.text(&row, "Beskrivelse").unwrap_or_default(),
                note_required,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// The Årsager column saying a reason must be explained in the step's Bemærkning.
pub const NOTE_REQUIRED: &str = "Bemærkning påkrævet";

fn read_params(r: &mut SheetReader<'_>) -> Option<Params> {
    let t = table(
        r,
        "Parametre",
        t!("parametrene (Navn, Værdi, Beskrivelse)", "the parameters (Navn, Værdi, Beskrivelse)"),
        &[req("Navn"), req("Værdi"), opt("Beskrivelse")],
    )?;
    let rows = key_rows(&t, "Navn");
    // A value outside its range is GOV-VALUE-INVALID (an error: no run starts with it).
    let in_range = |r: &mut SheetReader<'_>, row, name: &str, v: f64| -> Option<f64> {
        let Some(range) = Params::range(name) else { return Some(v) };
        if range.allows(v) {
            return Some(v);
        }
        let (min, max) = (range.min, range.max);
        let shown = crate::model::value::format_amount(v, crate::text::Lang::Da);
        let shown_en = crate::model::value::format_amount(v, crate::text::Lang::En);
        let message = if range.whole {
            t!(
                "{name} er {shown}, men skal være et helt tal fra {min} til {max}.",
                "{name} is {shown_en} but must be a whole number from {min} to {max}."
            )
        } else {
            t!(
                "{name} er {shown}, men skal være et tal fra {min} til {max}.",
                "{name} is {shown_en} but must be a number from {min} to {max}."
            )
        };
        r.push(Code::GovValueInvalid, r.at(row, "Værdi"), message);
        None
    };
    let mut values = Vec::new();
    for name in Params::NAMES {
        let row = rows.iter().find(|(k, _)| *k == normalize_key(name)).map(|(_, row)| row);
        let value = match row {
            Some(row) => {
                let v = r.number(row, "Værdi");
                if row.value("Værdi").is_none() {
                    r.required_text(row, "Værdi");
                }
                v.and_then(|v| in_range(r, row, name, v))
            }
            None => {
                r.push(
                    Code::GovFieldMissing,
                    Location::sheet(&t.sheet.name),
                    t!(
                        "Fanen Parametre mangler parameteren '{name}'. Tilføj en række med Navn = {name} og en værdi.",
                        "The Parametre sheet lacks the parameter '{name}'. Add a row with Navn = {name} and a value.",
                    ),
                );
                None
            }
        };
        values.push(value);
    }
    // Later parameters are optional: a model written before them gets their defaults.
    let mut optional = Vec::new();
    for (name, default) in Params::OPTIONAL {
        let row = rows.iter().find(|(k, _)| *k == normalize_key(name)).map(|(_, row)| row);
        let value = match row {
            Some(row) if row.value("Værdi").is_some() => {
                r.number(row, "Værdi").and_then(|v| in_range(r, row, name, v))
            }
            _ => Some(default),
        };
        optional.push(value);
    }
    let decision_log_from = decision_log_from(r, &t, &rows)?;
    let params = Params {
        decision_log_from,
        status_max_days: values[0]? as i64,
        status_critical_days: values[1]? as i64,
        selfeval_max_days: values[2]? as i64,
        budget_tolerance_pct: values[3]?,
        escalation_periods: optional[0]? as i64,
        budget_board_from_order: optional[1]? as i64,
        concept_wait_meetings: optional[2]? as i64,
        material_days_before: optional[3]? as i64,
    };
    if params.status_critical_days < params.status_max_days {
        let (a, b) = (params.status_critical_days, params.status_max_days);
        r.push(
            Code::GovValueInvalid,
            Location::sheet(&t.sheet.name),
            t!(
                "statusrapport_kritisk_dage ({a}) er mindre end statusrapport_maks_dage ({b}). Den kritiske grænse skal være den største.",
                "statusrapport_kritisk_dage ({a}) is less than statusrapport_maks_dage ({b}). The critical limit must be the larger one.",
            ),
        );
        return None;
    }
    Some(params)
}

/// Parametre `beslutningslog_fra`: the date from which the Beslutninger log is the
/// authority (a date cell or a date as text). Blank or missing: not yet authoritative, one
/// `GOV-LOG-NOT-AUTHORITATIVE` warning. `None` (the outer) when the value cannot be read.
fn decision_log_from(
    r: &mut SheetReader<'_>,
    t: &Table<'_>,
    rows: &[(String, Row<'_, '_>)],
) -> Option<Option<NaiveDate>> {
    let name = Params::DECISION_LOG_FROM;
    let row = rows.iter().find(|(k, _)| *k == normalize_key(name)).map(|(_, row)| row);
    match row {
        Some(row) if row.value("Værdi").is_some() => r.date(row, "Værdi").map(Some),
        _ => {
            let at = match row {
                Some(row) => r.at(row, "Værdi"),
                None => Location::sheet(&t.sheet.name),
            };
            r.findings.push(Finding::new(
                Code::GovLogNotAuthoritative,
                at,
                t!(
                    "Parametre {name} er tom: bestyrelsens beslutninger vurderes stadig efter projektarkene. Skriv den dato, fra hvilken fanen Beslutninger er ført fuldstændigt (en række med Navn = {name}).",
                    "Parametre {name} is blank: the board's decisions are still judged from the projektark. Enter the date from which the Beslutninger sheet is kept completely (a row with Navn = {name})."
                ),
            ));
            Some(None)
        }
    }
}

fn read_meetings(r: &mut SheetReader<'_>) -> Option<Vec<Meeting>> {
    let t = table(
        r,
        "Bestyrelsesmøder",
        t!("datoerne for bestyrelsesmøder (Dato, Bemærkning)", "the board meeting dates (Dato, Bemærkning)"),
        &[req("Dato"), opt("Bemærkning")],
    )?;
    let mut out = Vec::new();
    let mut ok = true;
    for row in t.rows() {
        match r.date(&row, "Dato") {
            Some(date) => out.push(Meeting { date, note: r.text(&row, "Bemærkning").unwrap_or_default() }),
            None => {
                if row.value("Dato").is_none() {
                    r.required_text(&row, "Dato");
                }
                ok = false;
            }
        }
    }
    out.sort_by_key(|m| m.date);
    ok.then_some(out)
}

fn read_recipients(r: &mut SheetReader<'_>) -> Option<Vec<Recipient>> {
    let t = table(
        r,
        "Modtagere",
        t!(
            "modtagerne af bestyrelsesmailen (Navn, E-mail, Rolle, Sprog, Aktiv)",
            "the digest recipients (Navn, E-mail, Rolle, Sprog, Aktiv)"
        ),
        &[req("Navn"), req_or("E-mail", &["Email", "Mail", "E-mailadresse"]), req("Rolle"), opt("Sprog"), opt("Aktiv")],
    )?;
    let mut out = Vec::new();
    let mut ok = true;
    for row in t.rows() {
        let name = r.required_text(&row, "Navn");
        let email = r.required_text(&row, "E-mail");
        if let Some(email) = &email
            && !email_is_valid(email)
        {
            r.push(
                Code::GovValueInvalid,
                r.at(&row, "E-mail"),
                t!("'{email}' er ikke en gyldig e-mailadresse.", "'{email}' is not a valid e-mail address."),
            );
            ok = false;
        }
        let role = r.choice(&row, "Rolle", RecipientRole::parse, &RecipientRole::labels_da());
        if row.value("Rolle").is_none() {
            r.required_text(&row, "Rolle");
        }
        let lang = if row.value("Sprog").is_some() {
            r.choice(&row, "Sprog", Lang::parse, &["da", "en"])
        } else {
            Some(Lang::Da)
        };
        let active = if row.value("Aktiv").is_some() { r.yes_no(&row, "Aktiv") } else { Some(true) };
        match (name, email, role, lang, active) {
            (Some(name), Some(email), Some(role), Some(lang), Some(active)) => {
                out.push(Recipient { name, email, role, lang, active })
            }
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

/// Beslutninger (optional): the board's decisions logged by the secretariat. A model
/// without the sheet has an empty log; nothing is reconciled then. A row that cannot be
/// read never stops the run: it is a `GOV-DECISION-INVALID` warning naming the cell, and
/// it does not count as a board decision (a row without a readable date is left out).
/// Only a sheet that cannot be used at all (a required column missing) is an error.
fn read_decisions(
    r: &mut SheetReader<'_>,
    levels: Option<&[Level]>,
    meetings: Option<&[Meeting]>,
    log_from: Option<NaiveDate>,
) -> Option<(Vec<Decision>, u32)> {
    let Some(sheet) = r.workbook.sheet(DECISIONS) else {
        return Some((Vec::new(), 1));
    };
    let t = r.table(
        sheet,
        &[
            req("Dato"),
            req_or("Projekt-ID", &["Projekt", "Produkt"]),
            req("Beslutning"),
            opt("Grundlag"),
            opt_or("Truffet af", &["Besluttet af"]),
            opt("Reference"),
            opt("Type"),
            opt("Niveau"),
            opt_or(AMOUNT, &["Beløb", "Beløb kr.", "Budget (kr.)", "Nyt budget (kr.)"]),
            opt("Prioritet"),
        ],
    )?;
    let level_codes: Vec<&str> = levels.unwrap_or_default().iter().map(|l| l.code.as_str()).collect();
    let find_level = |s: &str| {
        let f = fold(s);
        levels.unwrap_or_default().iter().position(|l| fold(&l.code) == f || fold(&l.name) == f).map(LevelId)
    };
    let mut out = Vec::new();
    for row in t.rows() {
        let before = r.findings.len();
        let date = r.date(&row, "Dato");
        if row.value("Dato").is_none() {
            r.required_text(&row, "Dato");
        }
        let kind = r.choice(&row, "Type", DecisionKind::parse, &DecisionKind::labels_da());
        let level = r.choice(&row, "Niveau", find_level, &level_codes);
        // Problems that make the row useless as a board decision.
        let fatal = r.findings.len() > before;
        let amount = if row.value(AMOUNT).is_some() { r.amount(&row, AMOUNT) } else { None };
        let priority = if row.value("Prioritet").is_some() { r.integer(&row, "Prioritet") } else { None };
        // Every problem of the row is a warning: the run goes on.
        let problems: Vec<Finding> = r.findings.drain(before..).collect();
        let n = row.number();
        for (i, p) in problems.into_iter().enumerate() {
            let (pda, pen) = (&p.message.da, &p.message.en);
            let consequence = if fatal && i == 0 {
                t!(
                    " Rækken tæller ikke som en bestyrelsesbeslutning, før den er rettet.",
                    " The row does not count as a board decision until it is fixed."
                )
            } else {
                Text::default()
            };
            let (cda, cen) = (&consequence.da, &consequence.en);
            r.findings.push(Finding::new(
                Code::GovDecisionInvalid,
                p.location,
                t!("Beslutninger række {n}: {pda}{cda}", "Beslutninger row {n}: {pen}{cen}"),
            ));
        }
        let Some(date) = date else {
            continue;
        };
        out.push(Decision {
            row: n,
            date,
            project: r.text(&row, "Projekt-ID").unwrap_or_default(),
            text: r.text(&row, "Beslutning").unwrap_or_default(),
            basis: r.text(&row, "Grundlag").unwrap_or_default(),
            by: r.text(&row, "Truffet af").unwrap_or_default(),
            reference: r.text(&row, "Reference").unwrap_or_default(),
            kind,
            priority,
            level,
            amount,
            on_meeting: false,
            invalid: fatal,
        });
    }
    let (name, date_col, level_col) = (t.sheet.name.clone(), t.col("Dato").unwrap_or(0), t.col("Niveau"));
    check_decisions(r, &mut out, (&name, date_col, level_col), meetings.unwrap_or_default(), log_from);
    out.sort_by_key(|d| (d.date, d.row));
    Some((out, t.col("Projekt-ID").unwrap_or(1)))
}

/// Beslutninger's column for the budget a Type Budget decision sets.
pub const AMOUNT: &str = "Beløb (kr.)";

/// What the log's rows need from the rest of the model: from `beslutningslog_fra` on, a
/// row counts only on a listed meeting, and a Type Niveau row names the level. Warnings.
fn check_decisions(
    r: &mut SheetReader<'_>,
    decisions: &mut [Decision],
    (name, date_col, level_col): (&str, u32, Option<u32>),
    meetings: &[Meeting],
    from: Option<NaiveDate>,
) {
    for d in decisions.iter_mut() {
        d.on_meeting = meetings.iter().any(|m| m.date == d.date);
        let Some(from) = from.filter(|f| d.date >= *f) else {
            continue;
        };
        let (n, day, from) = (d.row, format_date(d.date), format_date(from));
        if !d.on_meeting && !d.invalid {
            r.findings.push(Finding::new(
                Code::GovDecisionInvalid,
                Location::cell(name, CellRef::new(d.row - 1, date_col)),
                t!(
                    "Beslutninger række {n}: {day} er ikke et bestyrelsesmøde i fanen Bestyrelsesmøder, så rækken tæller ikke som en bestyrelsesbeslutning (beslutningsloggen er autoritativ fra {from}). Ret datoen til mødets dato – eller tilføj mødet (fx et ekstraordinært møde) i Bestyrelsesmøder.",
                    "Beslutninger row {n}: {day} is not a board meeting in the Bestyrelsesmøder sheet, so the row does not count as a board decision (the decision log is authoritative from {from}). Change the date to the meeting's – or add the meeting (e.g. an extraordinary one) to Bestyrelsesmøder."
                ),
            ));
        }
        if d.kind == Some(DecisionKind::Niveau) && d.level.is_none() && !d.invalid {
            r.findings.push(Finding::new(
                Code::GovDecisionInvalid,
                Location::cell(name, CellRef::new(d.row - 1, level_col.unwrap_or(date_col))),
                t!(
                    "Beslutninger række {n}: en beslutning af typen Niveau uden et niveau i kolonnen Niveau. Skriv det niveau, bestyrelsen placerede projektet på; indtil da tæller rækken kun sammen med en placering samme dag i sekretariatets register.",
                    "Beslutninger row {n}: a decision of Type Niveau without a level in the Niveau column. Enter the level the board placed the project at; until then the row only counts together with a placement on the same day in the secretariat's register."
                ),
            ));
        }
    }
}

/// The Dokument sheet names who owns and approves the model and when it is revised; an
/// approval in the future or after the revision date cannot be right. Warnings: the run
/// goes on.
fn document_complete(r: &mut SheetReader<'_>, doc: &Document, as_of: NaiveDate) {
    let mut missing = Vec::new();
    if doc.owner.is_none() {
        missing.push("Ejer");
    }
    if doc.approver.is_none() {
        missing.push("Godkender");
    }
    // An unreadable Revisionsdato has been reported already; it is not missing on top.
    let unreadable_date =
        r.findings.iter().any(|f| f.code == Code::GovDateInvalid && f.location.sheet.as_deref() == Some("Dokument"));
    if doc.revision_date.is_none() && !unreadable_date {
        missing.push("Revisionsdato");
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        r.findings.push(
            Finding::new(
                Code::GovDocumentIncomplete,
                Location::sheet("Dokument"),
                t!(
                    "Fanen Dokument mangler {list}. Bestyrelsen godkender styringsmodellen: skriv hvem der ejer og godkender den, og hvornår den skal revideres.",
                    "The Dokument sheet lacks {list}. The board approves the styringsmodel: enter who owns and approves it, and when it is to be revised."
                ),
            )
            .with_severity(Severity::Warning),
        );
    }
    if let Some(approved) = doc.approval_date
        && approved > as_of
    {
        let (a, today) = (format_date(approved), format_date(as_of));
        r.findings.push(Finding::new(
            Code::GovDocumentIncomplete,
            Location::sheet("Dokument"),
            t!(
                "Godkendelsesdatoen ({a}) ligger efter kørselsdatoen ({today}): modellen er ikke godkendt endnu. Skriv datoen, når bestyrelsen har godkendt den.",
                "The approval date ({a}) is after the as-of date ({today}): the model is not approved yet. Enter the date once the board has approved it."
            ),
        ));
    }
    if let (Some(approved), Some(revision)) = (doc.approval_date, doc.revision_date)
        && approved > revision
    {
        let (a, b) = (format_date(approved), format_date(revision));
        r.findings.push(
            Finding::new(
                Code::GovDocumentIncomplete,
                Location::sheet("Dokument"),
                t!(
                    "Godkendelsesdatoen ({a}) ligger efter revisionsdatoen ({b}). Ret en af datoerne.",
                    "The approval date ({a}) is after the revision date ({b}). Fix one of the dates."
                ),
            )
            .with_severity(Severity::Warning),
        );
    }
}

/// Tables (as the default model and `init` have them) as a workbook in memory, for tests:
/// what reading the written file would give, without the file.
#[cfg(test)]
pub(crate) fn table_workbook(tables: &[crate::model::defaults::SheetData]) -> RawWorkbook {
    use crate::load::workbook::{CellValue, RawCell, RawSheet};
    use crate::model::cell::Value;
    let sheets: Vec<RawSheet> = tables
        .iter()
        .map(|data| {
            let mut cells: Vec<RawCell> = data
                .headers
                .iter()
                .enumerate()
                .map(|(c, h)| RawCell { row: 0, col: c as u32, value: CellValue::Text(h.to_string()) })
                .collect();
            for (r, row) in data.rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    let value = match v {
                        Value::Text(s) => CellValue::Text(s.clone()),
                        Value::Number(n) => CellValue::Number(*n),
                        Value::Date(d) => CellValue::Date(*d),
                        Value::Blank => continue,
                    };
                    cells.push(RawCell { row: r as u32 + 1, col: c as u32, value });
                }
            }
            RawSheet::new(data.name, cells)
        })
        .collect();
    RawWorkbook { sheet_names: sheets.iter().map(|s| s.name.clone()).collect(), sheets, date1904: false }
}

#[cfg(test)]
mod tests;
