//! Writing values into existing cells of a user's sheet: the few display cells that show
//! another record (a text as an inline string, a number as a number), each keeping its
//! own style. A cell that does not exist is left alone – the cells os2gov fills are
//! written, greyed, by its own template. Nothing else in the package changes.

use std::collections::BTreeMap;

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::model::cell::CellRef;
use crate::model::cell::{MAX_ROW, parse_a1};
use crate::ooxml::annotation::{CellValue, OoxmlError};
use crate::ooxml::package::Package;
use crate::ooxml::workbook::Workbook;
use crate::ooxml::xml::{Edits, attr_of, build_tag, err, esc_text, local, offset, raw_attrs, sanitize};

/// The cells that were set: (sheet name, cell).
pub type SetCells = Vec<(String, CellRef)>;

/// A sheet's part and its name, with the values to set by (row, column).
type ByPart<'a> = BTreeMap<String, (String, BTreeMap<(u32, u32), &'a CellValue>)>;

/// A cell being replaced: its start, the tag, its attributes and its coordinates.
type OpenCell = (usize, String, Vec<(String, String)>, (u32, u32));

/// Sets `values` (sheet name, cell, value) in the cells that exist; returns the package and
/// the cells that were set.
pub fn set_values(input: &[u8], values: &[(String, CellRef, CellValue)]) -> Result<(Vec<u8>, SetCells), OoxmlError> {
    let mut pkg = Package::open(input)?;
    let set = set_values_in(&mut pkg, values)?;
    if set.is_empty() {
        return Ok((input.to_vec(), set));
    }
    Ok((pkg.finish()?, set))
}

/// As [`set_values`], on an open package (the edits stay in its overlay, not yet written).
pub(crate) fn set_values_in(
    pkg: &mut Package<'_>,
    values: &[(String, CellRef, CellValue)],
) -> Result<SetCells, OoxmlError> {
    let wb = Workbook::load(pkg)?;
    let mut by_part: ByPart<'_> = BTreeMap::new();
    for (sheet, cell, value) in values {
        let Some(info) = wb.index_of(sheet).and_then(|i| wb.sheets.get(i)).filter(|s| s.is_worksheet()) else {
            continue;
        };
        let Some(part) = info.part.clone() else { continue };
        by_part
            .entry(part)
            .or_insert_with(|| (info.name.clone(), BTreeMap::new()))
            .1
            .insert((cell.row, cell.col), value);
    }
    let mut set = Vec::new();
    for (part, (sheet, cells)) in &by_part {
        let src = pkg.read_text(part)?.ok_or_else(|| err(part, "the sheet part is missing"))?;
        let mut edits = Edits::default();
        let mut reader = Reader::from_str(&src);
        let mut path: Vec<String> = Vec::new();
        let mut prev_row: Option<u32> = None;
        let mut row = 0u32;
        let mut prev_col: Option<u32> = None;
        // The cell being replaced: its start, the tag, and its coordinates.
        let mut open: Option<OpenCell> = None;
        loop {
            let pos = offset(reader.buffer_position());
            let ev = reader
                .read_event()
                .map_err(|e| err(part, format_args!("malformed XML near byte {}: {e}", reader.error_position())))?;
            let after = offset(reader.buffer_position());
            let (e, empty) = match ev {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => {
                    if path.pop().as_deref() == Some("c")
                        && let Some((start, qname, attrs, key)) = open.take()
                        && let Some(value) = cells.get(&key)
                    {
                        edits.replace(start, after, cell_xml(&qname, &attrs, value));
                        set.push((sheet.clone(), CellRef::new(key.0, key.1)));
                    }
                    continue;
                }
                Event::Eof => break,
                Event::DocType(_) => return Err(err(part, "a DOCTYPE is not allowed in OOXML")),
                _ => continue,
            };
            let qname = e.name().as_ref().to_string();
            let name = local(&qname).to_string();
            match (path.last().map(String::as_str), name.as_str()) {
                (Some("sheetData"), "row") => {
                    row = attr_of(&e, "r", part)?
                        .and_then(|v| v.trim().parse::<u32>().ok())
                        .and_then(|n| n.checked_sub(1))
                        .or_else(|| prev_row.map_or(Some(0), |p| p.checked_add(1)))
                        .unwrap_or(MAX_ROW);
                    prev_row = Some(row);
                    prev_col = None;
                }
                (Some("row"), "c") => {
                    let col = attr_of(&e, "r", part)?
                        .and_then(|v| parse_a1(&v).map(|(_, c)| c))
                        .or_else(|| prev_col.map_or(Some(0), |p| p.checked_add(1)))
                        .unwrap_or(0);
                    prev_col = Some(col);
                    let attrs = raw_attrs(&e, part)?;
                    if empty {
                        if let Some(value) = cells.get(&(row, col)) {
                            edits.replace(pos, after, cell_xml(&qname, &attrs, value));
                            set.push((sheet.clone(), CellRef::new(row, col)));
                        }
                    } else {
                        open = Some((pos, qname.clone(), attrs, (row, col)));
                    }
                }
                _ => {}
            }
            if !empty {
                path.push(name);
            }
        }
        if !edits.is_empty() {
            let text = edits.apply(&src, part)?;
            pkg.write(part, text.into_bytes());
        }
    }
    Ok(set)
}

/// The cell anew with its own attributes (style kept), the type set for the value, and the
/// value; a formula is gone with the old content.
fn cell_xml(qname: &str, attrs: &[(String, String)], value: &CellValue) -> String {
    let p = qname.strip_suffix(local(qname)).unwrap_or("");
    match value {
        CellValue::Text(t) if t.is_empty() => build_tag(qname, attrs, &[("t", None)], true),
        CellValue::Text(t) => {
            let open = build_tag(qname, attrs, &[("t", Some("inlineStr"))], false);
            let text = esc_text(&sanitize(t));
            let space = if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
                " xml:space=\"preserve\""
            } else {
                ""
            };
            format!("{open}<{p}is><{p}t{space}>{text}</{p}t></{p}is></{qname}>")
        }
        CellValue::Number(n) => {
            let open = build_tag(qname, attrs, &[("t", None)], false);
            format!("{open}<{p}v>{n}</{p}v></{qname}>")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader as _, Xlsx};
    use std::io::Cursor;

    #[test]
    fn existing_cells_get_the_values_and_keep_their_style() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Krav").unwrap();
        let grey = rust_xlsxwriter::Format::new().set_background_color(rust_xlsxwriter::Color::RGB(0xD9D9D9));
        ws.write_string(0, 0, "ID").unwrap();
        ws.write_string_with_format(1, 10, "Grøn", &grey).unwrap();
        ws.write_blank(1, 11, &grey).unwrap();
        ws.write_formula(2, 10, "=1+1").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let values = vec![
            ("Krav".to_string(), CellRef::new(1, 10), CellValue::Text("Gul".into())),
            ("krav".to_string(), CellRef::new(1, 11), CellValue::Text("Accepteret <&>".into())),
            ("Krav".to_string(), CellRef::new(2, 10), CellValue::Number(46000.0)),
            // Not there: left alone.
            ("Krav".to_string(), CellRef::new(9, 9), CellValue::Text("x".into())),
            ("Findes ikke".to_string(), CellRef::new(1, 1), CellValue::Text("x".into())),
        ];
        let (out, set) = set_values(&bytes, &values).unwrap();
        assert_eq!(set.len(), 3);
        let mut x: Xlsx<_> = Xlsx::new(Cursor::new(out.clone())).unwrap();
        let range = x.worksheet_range("Krav").unwrap();
        assert_eq!(range.get_value((1, 10)), Some(&Data::String("Gul".into())));
        assert_eq!(range.get_value((1, 11)), Some(&Data::String("Accepteret <&>".into())));
        assert_eq!(range.get_value((2, 10)), Some(&Data::Float(46000.0)));
        assert_eq!(range.get_value((9, 9)), None);
        // The grey style stays on the cells.
        let sheet = {
            use std::io::Read;
            let mut zip = zip::ZipArchive::new(Cursor::new(&out)).unwrap();
            let mut s = String::new();
            zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut s).unwrap();
            s
        };
        assert!(sheet.contains(r#"<c r="K2" s="1" t="inlineStr"><is><t>Gul</t></is></c>"#), "{sheet}");
        // Nothing to set: the input as it was.
        assert_eq!(set_values(&bytes, &[]).unwrap().0, bytes);
    }
}
