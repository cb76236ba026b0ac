//! Reads what calamine cannot: data validations, number formats and sheet visibility,
//! straight from the xlsx package XML.

use std::io::Read;
use std::path::Path;

fn part(path: &Path, name: &str) -> String {
    let file = std::fs::File::open(path).expect("open xlsx");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut s = String::new();
    zip.by_name(name).unwrap_or_else(|_| panic!("no part {name}")).read_to_string(&mut s).unwrap();
    s
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(tag[start..end].to_string())
}

/// (name, state) of each sheet in workbook order; state is "visible" unless hidden.
pub fn sheets(path: &Path) -> Vec<(String, String)> {
    let wb = part(path, "xl/workbook.xml");
    wb.split("<sheet ")
        .skip(1)
        .map(|tag| {
            let tag = &tag[..tag.find("/>").unwrap_or(tag.len())];
            (
                attr(&format!(" {tag}"), "name").unwrap_or_default().replace("&amp;", "&"),
                attr(&format!(" {tag}"), "state").unwrap_or_else(|| "visible".into()),
            )
        })
        .collect()
}

fn sheet_part(path: &Path, sheet: &str) -> String {
    let index = sheets(path).iter().position(|(n, _)| n == sheet).unwrap_or_else(|| panic!("no sheet {sheet}"));
    part(path, &format!("xl/worksheets/sheet{}.xml", index + 1))
}

/// A data validation: its range, type and first formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    pub sqref: String,
    pub kind: String,
    pub formula: String,
}

pub fn validations(path: &Path, sheet: &str) -> Vec<Validation> {
    let xml = sheet_part(path, sheet);
    xml.split("<dataValidation ")
        .skip(1)
        .map(|chunk| {
            let tag = &chunk[..chunk.find('>').unwrap_or(chunk.len())];
            let formula = chunk
                .find("<formula1>")
                .map(|i| {
                    let rest = &chunk[i + 10..];
                    rest[..rest.find("</formula1>").unwrap_or(0)].to_string()
                })
                .unwrap_or_default();
            Validation {
                sqref: attr(&format!(" {tag}"), "sqref").unwrap_or_default(),
                kind: attr(&format!(" {tag}"), "type").unwrap_or_default(),
                formula,
            }
        })
        .collect()
}

/// The validation covering a column letter (e.g. "G"), if any.
pub fn validation_on(path: &Path, sheet: &str, col: &str) -> Option<Validation> {
    validations(path, sheet).into_iter().find(|v| {
        v.sqref.split(' ').any(|r| {
            let first = r.split(':').next().unwrap_or("");
            first.trim_end_matches(|c: char| c.is_ascii_digit()) == col
        })
    })
}

/// All custom number format codes in the workbook.
pub fn number_formats(path: &Path) -> Vec<String> {
    let styles = part(path, "xl/styles.xml");
    styles
        .split("<numFmt ")
        .skip(1)
        .filter_map(|tag| attr(&format!(" {tag}"), "formatCode"))
        .map(|f| f.replace("&quot;", "\""))
        .collect()
}

/// The frozen pane's top-left cell of a sheet, if any.
pub fn frozen_at(path: &Path, sheet: &str) -> Option<String> {
    let xml = sheet_part(path, sheet);
    let i = xml.find("<pane ")?;
    let tag = &xml[i..i + xml[i..].find("/>")?];
    if attr(tag, "state").as_deref() != Some("frozen") {
        return None;
    }
    attr(tag, "topLeftCell")
}
