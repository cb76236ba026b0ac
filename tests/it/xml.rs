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

/// A sheet's part, found through the workbook's relationships (an annotated copy's added
/// sheets are not numbered in tab order).
fn sheet_part(path: &Path, sheet: &str) -> String {
    sheet_xml(path, sheet)
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

/// The names of all parts of a package.
pub fn part_names(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).expect("open xlsx");
    let zip = zip::ZipArchive::new(file).expect("zip");
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

/// A part's text, if the package has it.
pub fn part_text(path: &Path, name: &str) -> Option<String> {
    part_names(path).iter().any(|n| n == name).then(|| part(path, name))
}

/// The XML of a sheet, found through the workbook's relationships (works for packages
/// os2gov edits as well as those rust_xlsxwriter writes).
pub fn sheet_xml(path: &Path, sheet: &str) -> String {
    let wb = part(path, "xl/workbook.xml");
    let rels = part(path, "xl/_rels/workbook.xml.rels");
    let tag = wb
        .split("<sheet ")
        .skip(1)
        .map(|t| format!(" {}", &t[..t.find("/>").unwrap_or(t.len())]))
        .find(|t| attr(t, "name").map(|n| n.replace("&amp;", "&")).as_deref() == Some(sheet))
        .unwrap_or_else(|| panic!("no sheet {sheet}"));
    let rid = attr(&tag, "r:id").unwrap_or_else(|| panic!("no r:id in {tag}"));
    let rel = rels
        .split("<Relationship ")
        .skip(1)
        .map(|t| format!(" {}", &t[..t.find("/>").unwrap_or(t.len())]))
        .find(|t| attr(t, "Id").as_deref() == Some(rid.as_str()))
        .unwrap();
    let target = attr(&rel, "Target").unwrap();
    let name = match target.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => format!("xl/{target}"),
    };
    part(path, &name)
}

/// Each `<row>` with a height: row number (1-based) → (height in points, customHeight).
pub fn row_heights(path: &Path, sheet: &str) -> std::collections::BTreeMap<u32, (f64, bool)> {
    let xml = sheet_xml(path, sheet);
    xml.split("<row ")
        .skip(1)
        .filter_map(|t| {
            let tag = format!(" {}", &t[..t.find('>').unwrap_or(t.len())]);
            let r = attr(&tag, "r")?.parse().ok()?;
            let ht = attr(&tag, "ht")?.parse().ok()?;
            Some((r, (ht, attr(&tag, "customHeight").as_deref() == Some("1"))))
        })
        .collect()
}

/// The attributes of a sheet's `<pageSetup>`, and whether `<pageSetUpPr fitToPage="1"/>`
/// is set.
pub fn page_setup(path: &Path, sheet: &str) -> (std::collections::BTreeMap<String, String>, bool) {
    let xml = sheet_xml(path, sheet);
    let mut out = std::collections::BTreeMap::new();
    if let Some(i) = xml.find("<pageSetup ") {
        let tag = &xml[i + 10..i + xml[i..].find("/>").unwrap_or(0)];
        for name in ["paperSize", "orientation", "fitToWidth", "fitToHeight"] {
            if let Some(v) = attr(tag, name) {
                out.insert(name.to_string(), v);
            }
        }
    }
    let fit = xml.contains("fitToPage=\"1\"");
    (out, fit)
}

/// The sheet's merged ranges.
pub fn merges(path: &Path, sheet: &str) -> Vec<String> {
    sheet_xml(path, sheet).split("<mergeCell ").skip(1).filter_map(|t| attr(&format!(" {t}"), "ref")).collect()
}

/// (name, localSheetId, value) of every defined name.
pub fn defined_names(path: &Path) -> Vec<(String, Option<String>, String)> {
    let wb = part(path, "xl/workbook.xml");
    wb.split("<definedName ")
        .skip(1)
        .map(|t| {
            let close = t.find('>').unwrap_or(0);
            let tag = format!(" {}", &t[..close]);
            let value = &t[close + 1..t.find("</definedName>").unwrap_or(close + 1)];
            (
                attr(&tag, "name").unwrap_or_default(),
                attr(&tag, "localSheetId"),
                value.replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", "\""),
            )
        })
        .collect()
}

/// The text of every comment (note) in the package.
pub fn all_notes(path: &Path) -> String {
    part_names(path).iter().filter(|n| n.starts_with("xl/comments")).map(|n| part(path, n)).collect()
}
