//! Surgical editing of an xlsx package: adds os2gov's Kontrol sheet and marks cells (fill +
//! note) on the user's sheets, and removes an earlier annotation first. Everything else in
//! the package – parts os2gov does not touch, and everything inside the parts it does –
//! is kept as it was, so the user's formulas, formats, widths, panes, dropdowns, notes,
//! charts and extensions survive. Knows OOXML; knows nothing about projects or findings.
//!
//! Edits are splices into the original XML text (never a re-serialisation), and untouched
//! zip entries are copied raw. What os2gov changed is remembered inside the file, in a very
//! hidden sheet `_os2gov` (marker, per marked cell a reference, the original and the applied
//! style as styled empty cells, and whether it got a note), so a later [`strip`] can undo
//! it even after Excel or LibreOffice re-saved the file and renumbered its styles.

pub mod annotation;

mod add;
mod append;
mod notes;
mod package;
mod sheet;
mod strip;
mod styles;
mod values;
mod workbook;
mod xml;

#[cfg(test)]
mod tests;

use annotation::{Mark, NewSheet, OoxmlError};
pub use append::append_rows;
pub use values::set_values;

/// Removes an earlier os2gov annotation (if any), then adds `sheet` as the first sheet
/// (active, selected) and applies `marks`. Returns the new package bytes.
pub fn annotate(input: &[u8], sheet: &NewSheet, marks: &[Mark]) -> Result<Vec<u8>, OoxmlError> {
    let mut pkg = package::Package::open(input)?;
    strip::strip_package(&mut pkg)?;
    add::add(&mut pkg, sheet, marks)?;
    pkg.finish()
}

/// [`set_values`] and then [`annotate`] in one edit of the package: the same result as
/// annotating the package `set_values` returns, without writing (deflating) the package
/// in between and opening (inflating) it again. Returns the package and the cells set.
pub fn set_values_and_annotate(
    input: &[u8],
    values: &[(String, crate::model::cell::CellRef, annotation::CellValue)],
    sheet: &NewSheet,
    marks: &[Mark],
) -> Result<(Vec<u8>, values::SetCells), OoxmlError> {
    let mut pkg = package::Package::open(input)?;
    let set = values::set_values_in(&mut pkg, values)?;
    strip::strip_package(&mut pkg)?;
    add::add(&mut pkg, sheet, marks)?;
    Ok((pkg.finish()?, set))
}

/// Whether the package is a macro-enabled workbook (`.xlsm`): its content types declare a
/// macro-enabled main part. Such a package must keep the `.xlsm` name wherever it goes –
/// Excel refuses a macro-enabled package named `.xlsx`. `false` for anything unreadable.
pub fn is_macro_enabled(input: &[u8]) -> bool {
    let Ok(mut pkg) = package::Package::open(input) else { return false };
    pkg.read_limited("[Content_Types].xml", 1024 * 1024)
        .ok()
        .flatten()
        .is_some_and(|xml| String::from_utf8_lossy(&xml).to_ascii_lowercase().contains("macroenabled.main+xml"))
}

/// Whether the package is an annotated copy os2gov wrote (it has os2gov's `_os2gov`
/// sheet), which a later `annotate` may replace. `false` for anything unreadable.
pub fn is_annotated_copy(input: &[u8]) -> bool {
    let Ok(mut pkg) = package::Package::open(input) else { return false };
    pkg.read_limited("xl/workbook.xml", 32 * 1024 * 1024).ok().flatten().is_some_and(|xml| {
        let xml = String::from_utf8_lossy(&xml);
        xml.contains(&format!("name=\"{}\"", strip::STORAGE_SHEET))
    })
}

/// Removes an earlier os2gov annotation and returns the cleaned package – the input itself,
/// byte for byte, when there was none.
pub fn strip(input: &[u8]) -> Result<Vec<u8>, OoxmlError> {
    let mut pkg = package::Package::open(input)?;
    strip::strip_package(&mut pkg)?;
    if !pkg.is_changed() {
        return Ok(input.to_vec());
    }
    pkg.finish()
}
