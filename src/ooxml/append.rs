//! Appending rows of text to a worksheet: new `<row>` elements after the last row that
//! holds a value, with inline strings (`t="inlineStr"`, so the shared strings part is not
//! touched), and the `<dimension>` widened. Everything else in the package is copied as
//! it was. Used to add rows to a user's own register workbook, so it must never disturb
//! what the user keeps there.

use quick_xml::events::Event;
use quick_xml::reader::Reader;

use crate::model::cell::{MAX_ROW, a1};
use crate::ooxml::annotation::OoxmlError;
use crate::ooxml::package::Package;
use crate::ooxml::workbook::Workbook;
use crate::ooxml::xml::{Edits, attr_of, err, esc_text, local, offset, pfx, sanitize};

/// A `<row>` element of sheetData as found: its span, number (0-based) and whether a cell
/// in it holds a value.
struct RowSpan {
    start: usize,
    end: usize,
    row: u32,
    has_value: bool,
}

/// What one pass over the sheet found.
struct Layout {
    rows: Vec<RowSpan>,
    /// Where new rows go when nothing follows them: before `</sheetData>`; or the span of
    /// an empty `<sheetData/>`.
    data_close: Option<usize>,
    data_empty: Option<(usize, usize)>,
    /// The qualified name of sheetData, for the prefix of new elements.
    data_name: String,
    /// The `<dimension>` element's span and its `ref`.
    dimension: Option<(usize, usize, String)>,
}

fn scan(src: &str, part: &str) -> Result<Layout, OoxmlError> {
    let mut reader = Reader::from_str(src);
    let mut path: Vec<String> = Vec::new();
    let mut layout =
        Layout { rows: Vec::new(), data_close: None, data_empty: None, data_name: String::new(), dimension: None };
    let mut prev_row: Option<u32> = None;
    loop {
        let pos = offset(reader.buffer_position());
        let ev = reader
            .read_event()
            .map_err(|e| err(part, format_args!("malformed XML near byte {}: {e}", reader.error_position())))?;
        let after = offset(reader.buffer_position());
        let (e, empty) = match ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                let qname = e.name().as_ref().to_string();
                path.pop();
                match local(&qname) {
                    "row" if path.last().map(String::as_str) == Some("sheetData") => {
                        if let Some(r) = layout.rows.last_mut() {
                            r.end = after;
                        }
                    }
                    "sheetData" => layout.data_close = Some(pos),
                    _ => {}
                }
                continue;
            }
            Event::Text(t) => {
                // A value or an inline string's text inside a cell of the current row.
                let inside = path.iter().rev().take(3).any(|p| p == "v" || p == "t");
                if inside
                    && path.iter().any(|p| p == "c")
                    && !t.xml10_content().trim().is_empty()
                    && let Some(r) = layout.rows.last_mut()
                {
                    r.has_value = true;
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
            (Some("worksheet"), "dimension") => {
                let r = attr_of(&e, "ref", part)?.map(|v| v.into_owned()).unwrap_or_default();
                layout.dimension = Some((pos, after, r));
            }
            (Some("worksheet"), "sheetData") => {
                layout.data_name = qname.clone();
                if empty {
                    layout.data_empty = Some((pos, after));
                }
            }
            (Some("sheetData"), "row") => {
                let row = attr_of(&e, "r", part)?
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .and_then(|n| n.checked_sub(1))
                    .or_else(|| prev_row.map_or(Some(0), |p| p.checked_add(1)))
                    .unwrap_or(MAX_ROW);
                prev_row = Some(row);
                layout.rows.push(RowSpan { start: pos, end: after, row, has_value: false });
            }
            _ => {}
        }
        if !empty {
            path.push(name);
        }
    }
    Ok(layout)
}

/// The ref of a dimension that reaches `last_row` (0-based) and at least `last_col`.
fn widened(dimension: &str, last_row: u32, last_col: u32) -> String {
    let (first, end) = dimension.split_once(':').unwrap_or(("A1", dimension));
    let end_cell = crate::model::cell::parse_a1(end);
    let (row, col) = match end_cell {
        Some((r, c)) => (r.max(last_row), c.max(last_col)),
        None => (last_row, last_col),
    };
    let first = if crate::model::cell::parse_a1(first).is_some() { first } else { "A1" };
    format!("{first}:{}", a1(row, col))
}

/// Appends `rows` (cells from column A; `None` leaves a cell out) to the worksheet named
/// `sheet`, after its last row that holds a value. An empty row element (only formatting)
/// where a new row goes is replaced by it. Returns the new package bytes.
pub fn append_rows(input: &[u8], sheet: &str, rows: &[Vec<Option<String>>]) -> Result<Vec<u8>, OoxmlError> {
    let mut pkg = Package::open(input)?;
    let wb = Workbook::load(&mut pkg)?;
    let info = wb
        .index_of(sheet)
        .and_then(|i| wb.sheets.get(i))
        .filter(|s| s.is_worksheet())
        .ok_or_else(|| OoxmlError(format!("the workbook has no worksheet named {sheet}")))?;
    let part = info.part.clone().ok_or_else(|| OoxmlError(format!("the sheet {sheet} has no part")))?;
    let src = pkg.read_text(&part)?.ok_or_else(|| err(&part, "the sheet part is missing"))?;
    if rows.is_empty() {
        return Ok(input.to_vec());
    }
    let layout = scan(&src, &part)?;
    let last_value = layout.rows.iter().filter(|r| r.has_value).map(|r| r.row).max();
    let first_new = last_value.map_or(0, |r| r + 1);
    let last_new = first_new + rows.len() as u32 - 1;
    if last_new > MAX_ROW {
        return Err(err(&part, "the sheet is full"));
    }
    let p = pfx(&layout.data_name);
    let mut xml = String::new();
    let mut last_col = 0;
    for (i, cells) in rows.iter().enumerate() {
        let r = first_new + i as u32;
        xml.push_str(&format!("<{p}row r=\"{}\">", r + 1));
        for (c, value) in cells.iter().enumerate() {
            let Some(v) = value.as_deref().filter(|v| !v.is_empty()) else { continue };
            last_col = last_col.max(c as u32);
            let text = esc_text(&sanitize(v));
            let space = if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
                " xml:space=\"preserve\""
            } else {
                ""
            };
            xml.push_str(&format!(
                "<{p}c r=\"{}\" t=\"inlineStr\"><{p}is><{p}t{space}>{text}</{p}t></{p}is></{p}c>",
                a1(r, c as u32)
            ));
        }
        xml.push_str(&format!("</{p}row>"));
    }
    let mut edits = Edits::default();
    // Empty row elements where the new rows go are replaced; the new rows go before the
    // first row after them, or at the end of sheetData.
    for r in layout.rows.iter().filter(|r| r.row >= first_new && r.row <= last_new) {
        edits.delete(r.start, r.end);
    }
    match (layout.rows.iter().find(|r| r.row > last_new), layout.data_close, layout.data_empty) {
        (Some(next), _, _) => edits.insert(next.start, xml),
        (None, Some(close), _) => edits.insert(close, xml),
        (None, None, Some((start, end))) => {
            let name = &layout.data_name;
            edits.replace(start, end, format!("<{name}>{xml}</{name}>"));
        }
        (None, None, None) => return Err(err(&part, "the sheet has no sheetData")),
    }
    // The dimension has only its ref: written anew, with the same prefix.
    if let Some((start, end, r)) = &layout.dimension {
        let new_ref = crate::ooxml::xml::esc_attr(&widened(r, last_new, last_col));
        edits.replace(*start, *end, format!("<{p}dimension ref=\"{new_ref}\"/>"));
    }
    let text = edits.apply(&src, &part)?;
    pkg.write(&part, text.into_bytes());
    pkg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::Cursor;

    fn workbook(rows: u32) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Vurderinger").unwrap();
        ws.write_string(0, 0, "Projekt-ID").unwrap();
        ws.write_string(0, 1, "Krav").unwrap();
        for r in 1..=rows {
            ws.write_string(r, 0, format!("OS2p{r}")).unwrap();
            ws.write_number(r, 1, f64::from(r)).unwrap();
        }
        // A dropdown reaching far below the data, as the register has.
        let dv = rust_xlsxwriter::DataValidation::new().allow_list_strings(&["Grøn", "Gul"]).unwrap();
        ws.add_data_validation(1, 2, 4999, 2, &dv).unwrap();
        let other = wb.add_worksheet();
        other.set_name("Placeringer").unwrap();
        other.write_string(0, 0, "Dato").unwrap();
        wb.save_to_buffer().unwrap()
    }

    fn cells(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
        let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
        let range = x.worksheet_range(sheet).unwrap();
        range
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        Data::Float(f) => format!("{f}"),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rows_are_appended_after_the_last_value_and_everything_else_is_kept() {
        let input = workbook(2);
        let rows = vec![
            vec![Some("OS2ny".to_string()), Some("F12".into()), None, Some("  <&> \"_x0041_\"".into())],
            vec![Some("OS2ny".to_string()), Some("F7".into())],
        ];
        let out = append_rows(&input, "vurderinger", &rows).unwrap();
        let got = cells(&out, "Vurderinger");
        assert_eq!(got.len(), 5);
        assert_eq!(got[1][..2], ["OS2p1".to_string(), "1".into()]);
        assert_eq!(got[3][..2], ["OS2ny".to_string(), "F12".into()]);
        assert_eq!(got[3][3], "  <&> \"_x0041_\"");
        assert_eq!(got[4][1], "F7");
        // The validation and the other sheet are untouched.
        let sheet = {
            use std::io::Read;
            let mut zip = zip::ZipArchive::new(Cursor::new(&out)).unwrap();
            let mut s = String::new();
            zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut s).unwrap();
            s
        };
        assert!(sheet.contains("<dataValidations"), "{sheet}");
        assert!(sheet.contains("<dimension ref=\"A1:D5\"/>"), "{sheet}");
        assert_eq!(cells(&out, "Placeringer"), vec![vec!["Dato".to_string()]]);
        // Appending again continues below.
        let again = append_rows(&out, "Vurderinger", &[vec![Some("OS2tredje".into())]]).unwrap();
        assert_eq!(cells(&again, "Vurderinger")[5][0], "OS2tredje");
    }

    #[test]
    fn an_empty_sheet_and_a_missing_sheet() {
        let input = workbook(0);
        let out = append_rows(&input, "Placeringer", &[vec![None, Some("OS2x".into())]]).unwrap();
        assert_eq!(
            cells(&out, "Placeringer"),
            vec![vec!["Dato".to_string(), String::new()], vec![String::new(), "OS2x".into()]]
        );
        assert!(append_rows(&input, "Findes ikke", &[vec![Some("x".into())]]).is_err());
        // Nothing to append: the bytes as they were.
        assert_eq!(append_rows(&input, "Placeringer", &[]).unwrap(), input);
    }
}
