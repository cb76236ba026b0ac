//! Reads a projektark ([`RawWorkbook`]) into a [`Project`] for the given styringsmodel.
//! Values are read the way people type them; every problem becomes an `INPUT-*` finding
//! pointing at its cell, never a failure. Judging the content is the checks' job.

use crate::load::sheet::{Col, INPUT_CODES, Row, SheetReader, key_rows, normalize_key, opt, opt_or, req, req_or};
use crate::load::workbook::{Limits, RawWorkbook, ReadError, read_workbook, same_name};
use crate::model::cell::CellRef;
use crate::model::choice::{Answer, Decider, Light, OrgKind, ProjectKind, Rag};
use crate::model::finding::{Code, Finding, Location};
use crate::model::layout::{self, FIELDS, FieldKey, FieldKind};
use crate::model::project::{
    BudgetChange, Columns, Field, HistoryStep, Input, OperationReport, Participant, Project, RequirementRow,
    StatusReport,
};
use crate::model::rules::Rules;
use crate::model::value::project_id_is_valid;
use crate::text::fold;
use crate::text::t;
use std::collections::HashMap;

/// The sheets a projektark must have, in order.
pub const REQUIRED_SHEETS: [&str; 5] =
    [layout::PROJEKT, layout::KRAV, layout::HISTORIK, layout::DELTAGERE, layout::STATUS];

/// Sheets read when present: projektark written before they existed lack them, and the
/// checks that need them say so once.
pub const OPTIONAL_SHEETS: [&str; 2] = [layout::BUDGETAENDRINGER, layout::DRIFT];

/// Reads the bytes of a projektark; `Err` when the file is not a readable workbook.
pub fn load_projektark(bytes: &[u8], rules: &Rules, limits: &Limits) -> Result<(Project, Vec<Finding>), ReadError> {
    let wanted = |name: &str| REQUIRED_SHEETS.iter().chain(&OPTIONAL_SHEETS).any(|s| same_name(s, name));
    let workbook = read_workbook(bytes, &wanted, limits)?;
    Ok(read_project(&workbook, rules))
}

/// Reads a projektark already read into cells.
pub fn read_project(workbook: &RawWorkbook, rules: &Rules) -> (Project, Vec<Finding>) {
    let mut r = SheetReader::new(workbook, INPUT_CODES);
    let mut project = Project::default();
    read_fields(&mut r, rules, &mut project);
    read_requirements(&mut r, rules, &mut project);
    read_history(&mut r, rules, &mut project);
    read_participants(&mut r, &mut project);
    read_status(&mut r, &mut project);
    read_budget_changes(&mut r, &mut project);
    read_drift(&mut r, &mut project);
    (project, r.findings)
}

fn input<T>(
    r: &mut SheetReader<'_>,
    row: &Row<'_, '_>,
    col: &str,
    read: impl FnOnce(&mut SheetReader<'_>, &Row<'_, '_>, &str) -> Option<T>,
) -> Input<T> {
    let blank = row.value(col).is_none();
    Input::from_option(read(r, row, col), blank)
}

/// Field names match loosely: `Budget (kr.)` also as `Budget`, `Bestyrelse orienteret`.
fn base_key(s: &str) -> String {
    let without: String = {
        let mut depth = 0;
        s.chars()
            .filter(|c| {
                match c {
                    '(' => depth += 1,
                    ')' => {
                        depth -= 1;
                        return false;
                    }
                    _ => {}
                }
                depth == 0
            })
            .collect()
    };
    normalize_key(&without)
}

fn read_fields(r: &mut SheetReader<'_>, rules: &Rules, project: &mut Project) {
    let Some(sheet) =
        r.sheet(layout::PROJEKT, t!("projektets stamdata (Felt, Værdi)", "the project's master data (Felt, Værdi)"))
    else {
        return;
    };
    let Some(table) = r.table(sheet, &[req("Felt"), req("Værdi"), opt("Vejledning")]) else {
        return;
    };
    project.sheets.projekt = Some(sheet.name.clone());
    project.sheets.projekt_value_col = table.col("Værdi").unwrap_or(1);
    let rows = key_rows(&table, "Felt");
    let level_codes: Vec<&str> = rules.levels.iter().map(|l| l.code.as_str()).collect();
    let phase_names: Vec<&str> = rules.phases.iter().map(|p| p.name.as_str()).collect();
    let f = &mut project.fields;
    let bases: Vec<String> = rows.iter().map(|(k, _)| base_key(k)).collect();
    for def in FIELDS {
        let (want, want_base) = (normalize_key(def.name), base_key(def.name));
        let found = rows
            .iter()
            .find(|(k, _)| *k == want)
            .or_else(|| rows.iter().zip(&bases).find(|(_, b)| **b == want_base).map(|(r, _)| r))
            .or_else(|| rows.iter().find(|(k, _)| def.aliases.iter().any(|a| *k == normalize_key(a))))
            .map(|(_, row)| row);
        let Some(row) = found else {
            if def.required {
                let (name, sheet_name) = (def.name, &sheet.name);
                r.push(
                    Code::InputFieldMissing,
                    Location::sheet(&sheet.name),
                    t!(
                        "Fanen '{sheet_name}' mangler rækken '{name}'. Tilføj en række med Felt = {name} og udfyld Værdi.",
                        "The sheet '{sheet_name}' lacks the row '{name}'. Add a row with Felt = {name} and fill in Værdi.",
                    ),
                );
            }
            continue;
        };
        let cell = Some(row.cell("Værdi"));
        if row.value("Værdi").is_none() {
            if def.required {
                let (name, at, guide) = (def.name, row.cell("Værdi"), def.guide);
                r.push(
                    Code::InputFieldMissing,
                    Location::cell(&sheet.name, at),
                    t!("'{name}' skal udfyldes. {guide}", "'{name}' must be filled in.",),
                );
            }
            set_blank(f, def.key, cell);
            continue;
        }
        let text_field =
            |r: &mut SheetReader<'_>| Field { value: input(r, row, "Værdi", |r, row, c| r.text(row, c)), cell };
        match def.kind {
            FieldKind::Text | FieldKind::Email | FieldKind::Url | FieldKind::Licence => {
                let v = text_field(r);
                *text_slot(f, def.key) = v;
            }
            FieldKind::Id => {
                let mut v = text_field(r);
                if let Input::Given(id) = &v.value
                    && !project_id_is_valid(id)
                {
                    let at = row.cell("Værdi");
                    r.push(
                        Code::InputValueInvalid,
                        Location::cell(&sheet.name, at),
                        t!(
                            "Projekt-ID '{id}' må kun indeholde bogstaver, tal, - og _ (højst 64 tegn), fx OS2iot.",
                            "Projekt-ID '{id}' may only contain letters, digits, - and _ (at most 64 characters), e.g. OS2iot.",
                        ),
                    );
                    v.value = Input::Invalid;
                }
                f.id = v;
            }
            FieldKind::Date => {
                let v = Field { value: input(r, row, "Værdi", |r, row, c| r.date(row, c)), cell };
                match def.key {
                    FieldKey::BoardInformed => f.board_informed = v,
                    FieldKey::BoardApproved => f.board_approved = v,
                    FieldKey::LevelPlaced => f.level_placed = v,
                    _ => f.filled_date = v,
                }
            }
            FieldKind::Amount => {
                let v = Field { value: input(r, row, "Værdi", |r, row, c| r.amount(row, c)), cell };
                match def.key {
                    FieldKey::BudgetBaseline => f.budget_baseline = v,
                    _ => f.budget = v,
                }
            }
            FieldKind::Level => {
                f.level = Field {
                    value: input(r, row, "Værdi", |r, row, c| r.choice(row, c, |s| rules.find_level(s), &level_codes)),
                    cell,
                }
            }
            FieldKind::Phase => {
                f.phase = Field {
                    value: input(r, row, "Værdi", |r, row, c| r.choice(row, c, |s| rules.find_phase(s), &phase_names)),
                    cell,
                }
            }
            FieldKind::ProjectKind => {
                f.kind = Field {
                    value: input(r, row, "Værdi", |r, row, c| {
                        r.choice(row, c, ProjectKind::parse, &ProjectKind::labels_da())
                    }),
                    cell,
                }
            }
        }
    }
}

fn text_slot(f: &mut crate::model::project::Fields, key: FieldKey) -> &mut Field<String> {
    match key {
        FieldKey::Name => &mut f.name,
        FieldKey::Purpose => &mut f.purpose,
        FieldKey::Benefit => &mut f.benefit,
        FieldKey::Organisation => &mut f.organisation,
        FieldKey::Lead => &mut f.lead,
        FieldKey::LeadEmail => &mut f.lead_email,
        FieldKey::SteeringGroup => &mut f.steering_group,
        FieldKey::CoordinationGroup => &mut f.coordination_group,
        FieldKey::Sla => &mut f.sla,
        FieldKey::Licence => &mut f.licence,
        FieldKey::Repository => &mut f.repository,
        FieldKey::FilledBy => &mut f.filled_by,
        FieldKey::LevelPlacedBy => &mut f.level_placed_by,
        // Fields of other kinds never reach here; keep the compiler exhaustive.
        FieldKey::Id
        | FieldKey::Kind
        | FieldKey::Level
        | FieldKey::LevelPlaced
        | FieldKey::Phase
        | FieldKey::BoardInformed
        | FieldKey::BoardApproved
        | FieldKey::Budget
        | FieldKey::BudgetBaseline
        | FieldKey::FilledDate => &mut f.filled_by,
    }
}

/// Records the cell of a blank field, so findings about it can point there.
fn set_blank(f: &mut crate::model::project::Fields, key: FieldKey, cell: Option<CellRef>) {
    match key {
        FieldKey::Id => f.id.cell = cell,
        FieldKey::Kind => f.kind.cell = cell,
        FieldKey::Level => f.level.cell = cell,
        FieldKey::Phase => f.phase.cell = cell,
        FieldKey::BoardInformed => f.board_informed.cell = cell,
        FieldKey::BoardApproved => f.board_approved.cell = cell,
        FieldKey::LevelPlaced => f.level_placed.cell = cell,
        FieldKey::Budget => f.budget.cell = cell,
        FieldKey::BudgetBaseline => f.budget_baseline.cell = cell,
        FieldKey::FilledDate => f.filled_date.cell = cell,
        other => text_slot(f, other).cell = cell,
    }
}

const KRAV_COLUMNS: &[Col] = &[
    req_or("ID", &["Krav-ID", "KravID"]),
    opt("Tema"),
    opt("Niveau"),
    opt("Type"),
    opt("Fra fase"),
    opt("Krav"),
    opt("Vejledning"),
    req_or("Efterlevet", &["Efterlevet?", "Opfyldt"]),
    req("Dokumentation"),
    req("Forklaring"),
    opt("Vurdering"),
    opt("Vurderingsgrundlag"),
];

fn read_requirements(r: &mut SheetReader<'_>, rules: &Rules, project: &mut Project) {
    let Some(sheet) = r.sheet(
        layout::KRAV,
        t!(
            "kravene med jeres svar (ID, Efterlevet, Dokumentation, Forklaring)",
            "the requirements with your answers (ID, Efterlevet, Dokumentation, Forklaring)"
        ),
    ) else {
        return;
    };
    let Some(table) = r.table(sheet, KRAV_COLUMNS) else {
        return;
    };
    project.sheets.krav = Some((sheet.name.clone(), Columns(table.columns())));
    let mut seen: HashMap<String, u32> = HashMap::new();
    for row in table.rows() {
        let Some(id) = (if r.require(&row, "ID") { r.text(&row, "ID") } else { None }) else {
            continue;
        };
        if let Some(first) = seen.get(&fold(&id)) {
            let (at, first) = (row.cell("ID"), *first);
            r.push(
                Code::InputValueInvalid,
                Location::cell(&sheet.name, at),
                t!(
                    "Kravet {id} står også i række {first}. os2gov bruger den første; slet den ene række.",
                    "The requirement {id} also appears in row {first}. os2gov uses the first; delete one of the rows.",
                ),
            );
            continue;
        }
        seen.insert(fold(&id), row.number());
        let requirement = rules.find_requirement(&id);
        let answer = input(r, &row, "Efterlevet", |r, row, c| r.choice(row, c, Answer::parse, &Answer::labels_da()));
        let assessment = input(r, &row, "Vurdering", |r, row, c| r.choice(row, c, Light::parse, &Light::labels_da()));
        project.requirements.push(RequirementRow {
            row: row.row,
            requirement,
            answer,
            evidence: r.text(&row, "Dokumentation"),
            explanation: r.text(&row, "Forklaring"),
            assessment,
            rationale: r.text(&row, "Vurderingsgrundlag"),
            id,
        });
    }
}

fn read_history(r: &mut SheetReader<'_>, rules: &Rules, project: &mut Project) {
    let Some(sheet) = r.sheet(
        layout::HISTORIK,
        t!(
            "faseskiftene (Dato, Fra, Til, Beslutter, Reference, Årsag, Bemærkning)",
            "the phase changes (Dato, Fra, Til, Beslutter, Reference, Årsag, Bemærkning)"
        ),
    ) else {
        return;
    };
    let cols = [
        req("Dato"),
        req("Fra"),
        req("Til"),
        req("Beslutter"),
        opt("Reference"),
        opt_or("Årsag", &["Aarsag"]),
        opt("Bemærkning"),
        opt_or("Niveau", &["Niveau ved skiftet", "Niveau (hvis andet)"]),
    ];
    let Some(table) = r.table(sheet, &cols) else {
        return;
    };
    project.sheets.historik = Some((sheet.name.clone(), Columns(table.columns())));
    let phase_names: Vec<&str> = rules.phases.iter().map(|p| p.name.as_str()).collect();
    let level_codes: Vec<&str> = rules.levels.iter().map(|l| l.code.as_str()).collect();
    for row in table.rows() {
        for col in ["Dato", "Fra", "Til", "Beslutter"] {
            r.require(&row, col);
        }
        let phase = |r: &mut SheetReader<'_>, row: &Row<'_, '_>, c: &str| {
            r.choice(row, c, |s| rules.find_phase(s), &phase_names)
        };
        let step = HistoryStep {
            row: row.row,
            date: input(r, &row, "Dato", |r, row, c| r.date(row, c)),
            from: input(r, &row, "Fra", phase),
            to: input(r, &row, "Til", phase),
            decider: input(r, &row, "Beslutter", |r, row, c| r.choice(row, c, Decider::parse, &Decider::labels_da())),
            reference: r.text(&row, "Reference"),
            reason: r.text(&row, "Årsag"),
            note: r.text(&row, "Bemærkning"),
            level: input(r, &row, "Niveau", |r, row, c| r.choice(row, c, |s| rules.find_level(s), &level_codes)),
        };
        project.history.push(step);
    }
}

fn read_participants(r: &mut SheetReader<'_>, project: &mut Project) {
    let Some(sheet) = r.sheet(
        layout::DELTAGERE,
        t!(
            "de deltagende organisationer (Organisation, Type, CVR, Tilsluttet, Kontakt)",
            "the participating organisations (Organisation, Type, CVR, Tilsluttet, Kontakt)"
        ),
    ) else {
        return;
    };
    let cols = [
        req("Organisation"),
        opt("Type"),
        opt("CVR"),
        opt_or("Tilsluttet (dato)", &["Tilsluttet", "Tilslutningsdato"]),
        opt("Kontakt"),
        opt_or("I drift (dato)", &["I drift", "I drift siden", "Idriftsat"]),
    ];
    let Some(table) = r.table(sheet, &cols) else {
        return;
    };
    project.sheets.deltagere = Some((sheet.name.clone(), Columns(table.columns())));
    for row in table.rows() {
        r.require(&row, "Organisation");
        let p = Participant {
            row: row.row,
            organisation: r.text(&row, "Organisation"),
            kind: input(r, &row, "Type", |r, row, c| r.choice(row, c, OrgKind::parse, &OrgKind::labels_da())),
            cvr: r.text(&row, "CVR"),
            joined: input(r, &row, "Tilsluttet (dato)", |r, row, c| r.date(row, c)),
            contact: r.text(&row, "Kontakt"),
            in_use: input(r, &row, "I drift (dato)", |r, row, c| r.date(row, c)),
        };
        project.participants.push(p);
    }
}

fn read_status(r: &mut SheetReader<'_>, project: &mut Project) {
    let Some(sheet) = r.sheet(
        layout::STATUS,
        t!(
            "statusrapporterne (Dato, Fremdrift, Økonomi, Forbrug, Prognose, Bemærkning)",
            "the status reports (Dato, Fremdrift, Økonomi, Forbrug, Prognose, Bemærkning)"
        ),
    ) else {
        return;
    };
    let cols = [
        req("Dato"),
        req("Fremdrift"),
        req_or("Økonomi", &["Oekonomi"]),
        opt_or("Forbrug (kr.)", &["Forbrug"]),
        opt_or("Prognose (kr.)", &["Prognose"]),
        opt("Bemærkning"),
    ];
    let Some(table) = r.table(sheet, &cols) else {
        return;
    };
    project.sheets.status = Some((sheet.name.clone(), Columns(table.columns())));
    for row in table.rows() {
        for col in ["Dato", "Fremdrift", "Økonomi"] {
            r.require(&row, col);
        }
        let rag = |r: &mut SheetReader<'_>, row: &Row<'_, '_>, c: &str| r.choice(row, c, Rag::parse, &Rag::labels_da());
        let s = StatusReport {
            row: row.row,
            date: input(r, &row, "Dato", |r, row, c| r.date(row, c)),
            progress: input(r, &row, "Fremdrift", rag),
            economy: input(r, &row, "Økonomi", rag),
            spent: input(r, &row, "Forbrug (kr.)", |r, row, c| r.amount(row, c)),
            forecast: input(r, &row, "Prognose (kr.)", |r, row, c| r.amount(row, c)),
            note: r.text(&row, "Bemærkning"),
        };
        project.status.push(s);
    }
}

fn read_budget_changes(r: &mut SheetReader<'_>, project: &mut Project) {
    let Some(sheet) = r.workbook.sheet(layout::BUDGETAENDRINGER) else {
        return;
    };
    let cols = [
        req("Dato"),
        req_or("Fra (kr.)", &["Fra"]),
        req_or("Til (kr.)", &["Til"]),
        req_or("Besluttet af", &["Beslutter"]),
        opt("Reference"),
        opt_or("Begrundelse", &["Bemærkning"]),
    ];
    let Some(table) = r.table(sheet, &cols) else {
        return;
    };
    project.sheets.budget_changes = Some((sheet.name.clone(), Columns(table.columns())));
    for row in table.rows() {
        for col in ["Dato", "Til (kr.)", "Besluttet af"] {
            r.require(&row, col);
        }
        let change = BudgetChange {
            row: row.row,
            date: input(r, &row, "Dato", |r, row, c| r.date(row, c)),
            from: input(r, &row, "Fra (kr.)", |r, row, c| r.amount(row, c)),
            to: input(r, &row, "Til (kr.)", |r, row, c| r.amount(row, c)),
            decided_by: input(r, &row, "Besluttet af", |r, row, c| {
                r.choice(row, c, Decider::parse, &Decider::labels_da())
            }),
            reference: r.text(&row, "Reference"),
            reason: r.text(&row, "Begrundelse"),
        };
        project.budget_changes.push(change);
    }
}

fn read_drift(r: &mut SheetReader<'_>, project: &mut Project) {
    let Some(sheet) = r.workbook.sheet(layout::DRIFT) else {
        return;
    };
    let cols = [
        req("Dato"),
        req_or("SLA-mål (%)", &["SLA-mål", "SLA mål", "SLA-maal"]),
        req_or("Målt (%)", &["Målt", "Maalt", "Målt oppetid"]),
        opt_or("Åbne ændringsønsker", &["Aabne aendringsoensker", "Ændringsønsker"]),
        opt("Arkitekturændringer"),
        opt("Bemærkning"),
    ];
    let Some(table) = r.table(sheet, &cols) else {
        return;
    };
    project.sheets.drift = Some((sheet.name.clone(), Columns(table.columns())));
    for row in table.rows() {
        r.require(&row, "Dato");
        let report = OperationReport {
            row: row.row,
            date: input(r, &row, "Dato", |r, row, c| r.date(row, c)),
            sla_target: input(r, &row, "SLA-mål (%)", |r, row, c| r.percent(row, c)),
            measured: input(r, &row, "Målt (%)", |r, row, c| r.percent(row, c)),
            open_changes: input(r, &row, "Åbne ændringsønsker", |r, row, c| r.integer(row, c)),
            architecture: r.text(&row, "Arkitekturændringer"),
            note: r.text(&row, "Bemærkning"),
        };
        project.operations.push(report);
    }
}
