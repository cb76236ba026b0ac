//! The annotated projektark: the user's own workbook, edited in place by `ooxml` with
//! the Kontrol sheet and marks ([`crate::render::kontrol`]), self-checked, and rebuilt from
//! the values as the fallback.
//!
//! The self-check costs a fraction of the edit: `ooxml` checks every part it wrote and the
//! package's directory (see `ooxml::annotate`); the edit itself only changes cell styles,
//! adds notes and sheets, and never a value. Reading the whole copy back as a projektark
//! (which cost as much as reading the input) is done in debug builds only – i.e. under
//! `cargo test`, where any edit that changed what a workbook says would fail the tests.

use crate::check::result::ProjectResult;
use crate::load::projektark::load_projektark;
use crate::load::workbook::{CellValue as RawValue, Limits, read_workbook};
use crate::model::cell::CellRef;
use crate::model::choice::Light;
use crate::model::register::Register;
use crate::model::rules::Rules;
use crate::ooxml::annotation::CellValue;
use crate::render::kontrol::{self, KontrolContext};
use crate::text::t;
use crate::text::{Lang, Text};
use chrono::NaiveDate;

/// An annotated copy.
#[derive(Clone, Debug)]
pub struct Annotated {
    pub bytes: Vec<u8>,
    /// Set when the copy had to be rebuilt from the values (what was lost is said in Kontrol).
    pub rebuilt: Option<Text>,
}

/// Annotates one checked projektark. The user's workbook is edited in place and the result
/// self-checked (in debug builds also read back: the same project as the original). When
/// that fails, the copy is rebuilt from the cell values and says so in its Kontrol sheet.
pub fn annotate_project(
    p: &ProjectResult,
    rules: &Rules,
    register: &Register,
    as_of: NaiveDate,
    lang: Lang,
) -> Result<Annotated, Text> {
    let ctx = KontrolContext { rules, as_of, lang, simplified: None };
    let marks = kontrol::marks(p, lang);
    let sheet = kontrol::sheet(&ctx, p);
    let display = display_values(p, register);
    let edited = crate::sys::panic_guard::catch(|| {
        let values = display.iter().map(|d| d.0.clone()).collect::<Vec<_>>();
        crate::ooxml::set_values_and_annotate(&p.bytes, &values, &sheet, &marks)
    });
    let problem = match edited {
        Ok(Ok((bytes, set))) => match read_back(&bytes, || expected(p, &display, &set), rules) {
            Ok(()) => return Ok(Annotated { bytes, rebuilt: None }),
            Err(why) => why,
        },
        Ok(Err(e)) => e.0,
        Err(panic) => format!("intern fejl / internal error: {panic}"),
    };
    let why = t!(
        "Arket kunne ikke annoteres direkte ({problem}), så denne kopi er genopbygget ud fra værdierne: formatering, formler, rullelister og egne noter er ikke med. Ret i jeres eget ark, ikke i denne kopi.",
        "The sheet could not be annotated in place ({problem}), so this copy is rebuilt from the values: formatting, formulas, dropdowns and your own notes are not included. Make corrections in your own workbook, not in this copy."
    );
    let rebuilt = rebuild_from_values(&p.bytes).map_err(|e| {
        let (da, en) = (&e.da, &e.en);
        t!("Kunne ikke genopbygge arket: {da}", "Could not rebuild the workbook: {en}")
    })?;
    let ctx = KontrolContext { simplified: Some(why.get(lang).to_string()), ..ctx };
    let sheet = kontrol::sheet(&ctx, p);
    let bytes = crate::sys::panic_guard::catch(|| crate::ooxml::annotate(&rebuilt, &sheet, &marks))
        .map_err(|panic| t!("intern fejl: {panic}", "internal error: {panic}"))?
        .map_err(|e| {
            let e = e.0;
            t!("Kunne ikke annotere den genopbyggede kopi: {e}", "Could not annotate the rebuilt copy: {e}")
        })?;
    Ok(Annotated { bytes, rebuilt: Some(why) })
}

/// A value os2gov writes into a display cell, and what the project then reads there.
type Display = ((String, CellRef, CellValue), Shown);

/// What a display cell reads as once written.
#[derive(Clone, Debug)]
enum Shown {
    Vurdering(usize, Light),
    Grundlag(usize, String),
    Placed(NaiveDate),
    PlacedBy(String),
}

/// The register's values for the projektark's display cells (design §1.4): per requirement
/// row the Vurdering and Vurderingsgrundlag that apply, and the newest counted placement's
/// date and who placed it. The only cells os2gov ever writes into a projektark, because they
/// show the register, not the lead's answers.
fn display_values(p: &ProjectResult, register: &Register) -> Vec<Display> {
    let mut out = Vec::new();
    if let Some((sheet, cols)) = &p.project.sheets.krav {
        for (r, row) in p.project.requirements.iter().enumerate() {
            let Some(i) = row.requirement else { continue };
            let Some(a) = &p.assessment.applied[i] else { continue };
            if let Some(light) = a.light {
                out.push((
                    (sheet.clone(), cols.cell(row.row, "Vurdering"), CellValue::Text(light.da().to_string())),
                    Shown::Vurdering(r, light),
                ));
            }
            if let Some(basis) = &a.basis {
                out.push((
                    (sheet.clone(), cols.cell(row.row, "Vurderingsgrundlag"), CellValue::Text(basis.clone())),
                    Shown::Grundlag(r, basis.clone()),
                ));
            }
        }
    }
    let (Some(sheet), Some(id)) = (&p.project.sheets.projekt, p.project.id()) else { return out };
    if let Some(placement) = register.placements_for(id).last()
        && let Some(date) = placement.date
    {
        let f = &p.project.fields;
        if let Some(cell) = f.level_placed.cell {
            let serial = crate::model::value::serial_from_date(date);
            out.push(((sheet.clone(), cell, CellValue::Number(serial)), Shown::Placed(date)));
        }
        let by = placement.reference.clone().or_else(|| placement.by.map(|b| b.da().to_string()));
        if let (Some(cell), Some(by)) = (f.level_placed_by.cell, by) {
            out.push(((sheet.clone(), cell, CellValue::Text(by.clone())), Shown::PlacedBy(by)));
        }
    }
    out
}

/// The project as the annotated copy should read: the original, with the display cells
/// that were written showing the register's values.
fn expected(p: &ProjectResult, display: &[Display], set: &[(String, CellRef)]) -> crate::model::project::Project {
    use crate::model::project::Input;
    let mut project = p.project.clone();
    for ((sheet, cell, _), shown) in display {
        if !set.iter().any(|(s, c)| crate::text::fold(s) == crate::text::fold(sheet) && c == cell) {
            continue;
        }
        match shown {
            Shown::Vurdering(r, light) => project.requirements[*r].assessment = Input::Given(*light),
            Shown::Grundlag(r, basis) => project.requirements[*r].rationale = Some(basis.trim().to_string()),
            Shown::Placed(d) => project.fields.level_placed.value = Input::Given(*d),
            Shown::PlacedBy(by) => project.fields.level_placed_by.value = Input::Given(by.trim().to_string()),
        }
    }
    project
}

/// The full read-back of a copy, in debug builds only (see the module comment); release
/// builds rely on the package's own check of the parts os2gov wrote.
fn read_back(
    bytes: &[u8],
    expected: impl FnOnce() -> crate::model::project::Project,
    rules: &Rules,
) -> Result<(), String> {
    if cfg!(debug_assertions) { same_project(bytes, &expected(), rules) } else { Ok(()) }
}

/// Reads the annotated copy back and compares it with the project it should show.
fn same_project(bytes: &[u8], original: &crate::model::project::Project, rules: &Rules) -> Result<(), String> {
    let (project, _) = load_projektark(bytes, rules, &Limits::default()).map_err(|e| e.text().en)?;
    if project == *original { Ok(()) } else { Err("the annotated copy does not read back as the original".to_string()) }
}

/// A plain workbook with every sheet's values (text, numbers, dates, booleans), for when
/// the original cannot be edited in place. Why it cannot be made is said in both
/// languages (never a library's English).
pub fn rebuild_from_values(bytes: &[u8]) -> Result<Vec<u8>, Text> {
    let all = |name: &str| !crate::text::fold(name).starts_with("_os2gov");
    let wb = read_workbook(bytes, &all, &Limits::default()).map_err(|e| e.text())?;
    let mut out = rust_xlsxwriter::Workbook::new();
    let date = crate::xlsx::date();
    let library = |e: rust_xlsxwriter::XlsxError| {
        let e = e.to_string();
        t!("kopien kunne ikke skrives ({e})", "the copy could not be written ({e})")
    };
    for sheet in &wb.sheets {
        let ws = out.add_worksheet();
        if ws.set_name(&sheet.name).is_err() {
            let name = crate::text::clip(&sheet.name, crate::text::SHOWN_VALUE_CHARS);
            return Err(t!(
                "fanen '{name}' har et navn, Excel ikke tillader (højst 31 tegn og ingen af tegnene : \\ / ? * [ ]); giv fanen et kortere navn",
                "the sheet '{name}' has a name Excel does not allow (at most 31 characters and none of : \\ / ? * [ ]); give the sheet a shorter name"
            ));
        }
        for c in &sheet.cells {
            let (row, col) = (c.row, c.col as u16);
            let written = match &c.value {
                RawValue::Text(s) => crate::xlsx::text(ws, row, col, s, None),
                RawValue::Number(n) => ws.write_number(row, col, *n).map(|_| ()),
                RawValue::Bool(b) => ws.write_boolean(row, col, *b).map(|_| ()),
                RawValue::Date(d) => {
                    ws.write_number_with_format(row, col, crate::model::value::serial_from_date(*d), &date).map(|_| ())
                }
                RawValue::Error(e) => crate::xlsx::text(ws, row, col, e, None),
            };
            written.map_err(library)?;
        }
        if sheet.hidden {
            ws.set_hidden(true);
        }
    }
    out.save_to_buffer().map_err(library)
}
