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
use crate::model::rules::Rules;
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
pub fn annotate_project(p: &ProjectResult, rules: &Rules, as_of: NaiveDate, lang: Lang) -> Result<Annotated, Text> {
    let ctx = KontrolContext { rules, as_of, lang, simplified: None };
    let marks = kontrol::marks(p, lang);
    let sheet = kontrol::sheet(&ctx, p);
    let edited = crate::sys::panic_guard::catch(|| crate::ooxml::annotate(&p.bytes, &sheet, &marks));
    let problem = match edited {
        Ok(Ok(bytes)) => match read_back(&bytes, p, rules) {
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
    let rebuilt = rebuild_from_values(&p.bytes)
        .map_err(|e| t!("Kunne ikke genopbygge arket: {e}", "Could not rebuild the workbook: {e}"))?;
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

/// The full read-back of a copy, in debug builds only (see the module comment).
fn read_back(bytes: &[u8], original: &ProjectResult, rules: &Rules) -> Result<(), String> {
    if cfg!(debug_assertions) { same_project(bytes, original, rules) } else { Ok(()) }
}

/// Reads the annotated copy back and compares it with the original project.
fn same_project(bytes: &[u8], original: &ProjectResult, rules: &Rules) -> Result<(), String> {
    let (project, _) = load_projektark(bytes, rules, &Limits::default()).map_err(|e| e.text().en)?;
    if project == original.project {
        Ok(())
    } else {
        Err("the annotated copy does not read back as the original".to_string())
    }
}

/// A plain workbook with every sheet's values (text, numbers, dates, booleans), for when
/// the original cannot be edited in place.
pub fn rebuild_from_values(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let all = |name: &str| !crate::text::fold(name).starts_with("_os2gov");
    let wb = read_workbook(bytes, &all, &Limits::default()).map_err(|e| e.text().en)?;
    let mut out = rust_xlsxwriter::Workbook::new();
    let date = crate::xlsx::date();
    for sheet in &wb.sheets {
        let ws = out.add_worksheet();
        ws.set_name(&sheet.name).map_err(|e| e.to_string())?;
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
            written.map_err(|e| e.to_string())?;
        }
        if sheet.hidden {
            ws.set_hidden(true);
        }
    }
    out.save_to_buffer().map_err(|e| e.to_string())
}
