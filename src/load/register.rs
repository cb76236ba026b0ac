//! Reads the secretariat's register (`sekretariat.xlsx`): sheets Placeringer and
//! Vurderinger, found by name, columns by header (tolerant, as for the styringsmodel).
//! A register that cannot be used at all – not a workbook, encrypted, over the limits, a
//! sheet or a required column missing – is an error (the caller stops with exit 2):
//! going on without the secretariat's records would drop levels and send false items to
//! the board. A row that cannot be read is a `REGISTER-INVALID` warning naming its cell,
//! and the row is left out; the rest is used.

use crate::load::sheet::{Codes, Row, SheetReader, opt, opt_or, req, req_or};
use crate::load::workbook::{Limits, RawWorkbook, read_workbook, same_name};
use crate::model::choice::{Decider, Light};
use crate::model::finding::{Code, Finding, Location};
use crate::model::register::{ASSESSMENTS, PLACEMENTS, Placement, RecordedAssessment, Register};
use crate::model::rules::Rules;
use crate::text::{Text, t};

/// Every row-level problem of the register is one code: the row is skipped, the run goes on.
const REGISTER_CODES: Codes = Codes {
    sheet_missing: Code::RegisterInvalid,
    column_missing: Code::RegisterInvalid,
    field_missing: Code::RegisterInvalid,
    value_invalid: Code::RegisterInvalid,
    date_invalid: Code::RegisterInvalid,
    number_invalid: Code::RegisterInvalid,
};

/// The register as read, with a `REGISTER-INVALID` warning per row left out.
#[derive(Clone, Debug, Default)]
pub struct LoadedRegister {
    pub register: Register,
    pub findings: Vec<Finding>,
}

/// Reads the register from the bytes of a workbook. `Err` says why it cannot be used at
/// all (the caller names the file).
pub fn load_register(bytes: &[u8], rules: &Rules) -> Result<LoadedRegister, Text> {
    let wanted = |name: &str| same_name(name, PLACEMENTS) || same_name(name, ASSESSMENTS);
    let workbook = read_workbook(bytes, &wanted, &Limits::default()).map_err(|e| e.text())?;
    register_from_workbook(&workbook, rules)
}

/// Reads the register from a workbook already read into cells.
pub fn register_from_workbook(workbook: &RawWorkbook, rules: &Rules) -> Result<LoadedRegister, Text> {
    let mut r = SheetReader::new(workbook, REGISTER_CODES);
    let mut blocking = Vec::new();
    let mut columns = crate::model::register::RegisterColumns::default();
    let placements = read_placements(&mut r, rules, &mut blocking, &mut columns.placements);
    let assessments = read_assessments(&mut r, rules, &mut blocking, &mut columns.assessments);
    if !blocking.is_empty() {
        let list = blocking.iter().map(|t: &Text| t.da.clone()).collect::<Vec<_>>().join(" ");
        let list_en = blocking.iter().map(|t| t.en.clone()).collect::<Vec<_>>().join(" ");
        return Err(Text { da: list, en: list_en });
    }
    let mut findings = r.findings;
    for f in &mut findings {
        f.severity = Code::RegisterInvalid.severity();
    }
    Ok(LoadedRegister {
        register: Register {
            placements: placements.unwrap_or_default(),
            assessments: assessments.unwrap_or_default(),
            columns,
        },
        findings,
    })
}

/// The table of a sheet; a missing sheet or required column is a blocking problem.
fn table<'w>(
    r: &mut SheetReader<'w>,
    name: &str,
    cols: &[crate::load::sheet::Col],
    blocking: &mut Vec<Text>,
) -> Option<crate::load::sheet::Table<'w>> {
    let Some(sheet) = r.workbook.sheet(name) else {
        let existing = r.workbook.sheet_names.join(", ");
        blocking.push(t!(
            "Fanen '{name}' mangler (fanerne i filen er: {existing}). Tilføj fanen, eller lav registeret igen med os2gov init.",
            "The sheet '{name}' is missing (the sheets in the file are: {existing}). Add the sheet, or make the register again with os2gov init."
        ));
        return None;
    };
    let before = r.findings.len();
    let table = r.table(sheet, cols);
    if table.is_none() {
        for f in r.findings.drain(before..) {
            let at = f.location.a1();
            let (da, en) = (f.message.da, f.message.en);
            blocking.push(t!("{at}: {da}", "{at}: {en}"));
        }
    }
    table
}

/// Text of an optional cell (formula errors reported).
fn text(r: &mut SheetReader<'_>, row: &Row<'_, '_>, col: &str) -> Option<String> {
    r.text(row, col)
}

fn invalid(r: &mut SheetReader<'_>, row: &Row<'_, '_>, col: &str, message: Text) {
    let at = r.at(row, col);
    let (da, en) = (message.da, message.en);
    r.push(
        Code::RegisterInvalid,
        at,
        t!("{da} Rækken tæller ikke, før den er rettet.", "{en} The row does not count until it is fixed."),
    );
}

fn read_placements(
    r: &mut SheetReader<'_>,
    rules: &Rules,
    blocking: &mut Vec<Text>,
    columns: &mut Vec<(String, u32)>,
) -> Option<Vec<Placement>> {
    let t = table(
        r,
        PLACEMENTS,
        &[
            req("Dato"),
            req_or("Projekt-ID", &["Projekt", "Produkt"]),
            req("Niveau"),
            opt_or("Placeret af", &["Besluttet af", "Af"]),
            opt("Reference"),
            opt("Bemærkning"),
            opt("Kilde"),
        ],
        blocking,
    )?;
    *columns = t.columns().into_iter().map(|(h, c)| (h.to_string(), c)).collect();
    let mut out = Vec::new();
    for row in t.rows() {
        let before = r.findings.len();
        let n = row.number();
        let Some(project) = text(r, &row, "Projekt-ID") else {
            if r.findings.len() == before {
                invalid(r, &row, "Projekt-ID", t!("Række {n}: Projekt-ID er tomt.", "Row {n}: Projekt-ID is empty."));
            }
            continue;
        };
        let date = if row.value("Dato").is_some() { r.date(&row, "Dato") } else { None };
        let level = match text(r, &row, "Niveau") {
            None => None,
            Some(code) => match rules.find_level(&code) {
                Some(l) => Some(l),
                None => {
                    let known = rules.levels.iter().map(|l| l.code.as_str()).collect::<Vec<_>>().join(", ");
                    invalid(
                        r,
                        &row,
                        "Niveau",
                        t!(
                            "Række {n}: niveauet '{code}' findes ikke i styringsmodellen (niveauerne er {known}).",
                            "Row {n}: the level '{code}' is not in the styringsmodel (the levels are {known})."
                        ),
                    );
                    None
                }
            },
        };
        if r.findings.len() > before {
            continue; // An unreadable date or an unknown level: the row does not count.
        }
        let by = match text(r, &row, "Placeret af") {
            None => None,
            Some(s) => match Decider::parse(&s).filter(|d| matches!(d, Decider::Sekretariat | Decider::Bestyrelse)) {
                Some(d) => Some(d),
                // Informational: said, and the row still counts.
                None => {
                    let at = r.at(&row, "Placeret af");
                    r.push(
                        Code::RegisterInvalid,
                        at,
                        t!(
                            "Række {n}: Placeret af '{s}' er hverken Sekretariat eller Bestyrelse. Placeringen tæller; hvem der har myndigheden, afgøres af beslutningsloggen.",
                            "Row {n}: Placeret af '{s}' is neither Sekretariat nor Bestyrelse. The placement counts; who has the authority is decided by the decision log."
                        ),
                    );
                    None
                }
            },
        };
        out.push(Placement {
            row: n,
            date,
            project,
            level,
            by,
            reference: text(r, &row, "Reference"),
            note: text(r, &row, "Bemærkning"),
            source: text(r, &row, "Kilde"),
        });
    }
    Some(out)
}

/// A Svar-id as os2gov writes it: 16 hex digits (lower case).
fn answer_id(s: &str) -> Option<String> {
    let s = s.trim().to_ascii_lowercase();
    (s.len() == 16 && s.chars().all(|c| c.is_ascii_hexdigit())).then_some(s)
}

fn read_assessments(
    r: &mut SheetReader<'_>,
    rules: &Rules,
    blocking: &mut Vec<Text>,
    columns: &mut Vec<(String, u32)>,
) -> Option<Vec<RecordedAssessment>> {
    let t = table(
        r,
        ASSESSMENTS,
        &[
            req_or("Projekt-ID", &["Projekt", "Produkt"]),
            req_or("Krav", &["Krav-ID", "ID"]),
            req("Vurdering"),
            opt_or("Vurderingsgrundlag", &["Grundlag", "Begrundelse"]),
            opt("Dato"),
            opt_or("Af", &["Vurderet af"]),
            opt("Svar"),
            opt_or("Svar-id", &["Svar id", "Svarid"]),
            opt("Kilde"),
        ],
        blocking,
    )?;
    *columns = t.columns().into_iter().map(|(h, c)| (h.to_string(), c)).collect();
    let mut out = Vec::new();
    for row in t.rows() {
        let before = r.findings.len();
        let n = row.number();
        let project = text(r, &row, "Projekt-ID");
        let id = text(r, &row, "Krav");
        let (Some(project), Some(id)) = (project, id) else {
            if r.findings.len() == before {
                let col = if row.value("Projekt-ID").is_none() { "Projekt-ID" } else { "Krav" };
                invalid(r, &row, col, t!("Række {n}: {col} er tomt.", "Row {n}: {col} is empty."));
            }
            continue;
        };
        let Some(requirement) = rules.find_requirement(&id) else {
            let known = rules.requirements.len();
            invalid(
                r,
                &row,
                "Krav",
                t!(
                    "Række {n}: kravet '{id}' findes ikke i styringsmodellen ({known} krav).",
                    "Row {n}: the requirement '{id}' is not in the styringsmodel ({known} requirements)."
                ),
            );
            continue;
        };
        let light = r.choice(&row, "Vurdering", Light::parse, &Light::labels_da());
        let date = if row.value("Dato").is_some() { r.date(&row, "Dato") } else { None };
        let id_cell = text(r, &row, "Svar-id");
        let fingerprint = id_cell.as_deref().map(answer_id);
        if let Some(None) = fingerprint {
            let shown = id_cell.clone().unwrap_or_default();
            invalid(
                r,
                &row,
                "Svar-id",
                t!(
                    "Række {n}: Svar-id '{shown}' er ikke et svar-id fra os2gov (16 tegn 0-9 og a-f). Lad feltet stå, som os2gov skrev det, eller tøm det: en række uden Svar-id gælder det svar, der står nu.",
                    "Row {n}: Svar-id '{shown}' is not an answer id from os2gov (16 characters 0-9 and a-f). Leave the field as os2gov wrote it, or empty it: a row without Svar-id applies to the answer standing now."
                ),
            );
        }
        if r.findings.len() > before {
            continue;
        }
        out.push(RecordedAssessment {
            row: n,
            project,
            requirement,
            requirement_id: rules.requirements[requirement].id.clone(),
            light,
            basis: text(r, &row, "Vurderingsgrundlag"),
            date,
            by: text(r, &row, "Af"),
            answer: text(r, &row, "Svar"),
            answer_id: fingerprint.flatten(),
            source: text(r, &row, "Kilde"),
        });
    }
    Some(out)
}

/// A `REGISTER-INVALID` finding for a register row that names a project no projektark of
/// the run has and no earlier run saw (a typo in Projekt-ID): the row cannot apply.
pub fn unknown_project(sheet: &str, row: u32, col: u32, project: &str) -> Finding {
    let n = row;
    Finding::new(
        Code::RegisterInvalid,
        Location::cell(sheet, crate::model::cell::CellRef::new(row - 1, col)),
        t!(
            "Række {n}: Projekt-ID '{project}' har intet projektark i denne kørsel og er ikke set før. Ret Projekt-ID'et, så det står som i projektarket.",
            "Row {n}: Projekt-ID '{project}' has no projektark in this run and was not seen before. Fix the Projekt-ID to read as in the projektark."
        ),
    )
}

#[cfg(test)]
mod tests;
