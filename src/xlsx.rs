//! Shared pieces for the workbooks os2gov writes: formats, safe text cells, dropdown lists
//! kept in a hidden sheet (so lists may exceed Excel's 255-character limit for inline
//! lists), print setup, and the one estimate of how tall a row of wrapped text must be
//! ([`text_lines`], [`row_height`], [`RowFit`]) – also used for the Kontrol sheet, which
//! `ooxml` writes without rust_xlsxwriter. No domain logic here.

use crate::model::cell::Value;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// OS2's dark blue, for header rows.
pub const HEADER_BLUE: u32 = 0x1F4E79;
/// The grey of pre-filled, read-only cells.
pub const READONLY_GREY: u32 = 0xE7E6E6;
/// Excel's limit for text in one cell, in UTF-16 units.
pub const MAX_CELL_CHARS: usize = 32_767;
/// The name of the hidden sheet holding dropdown lists.
pub const LISTS_SHEET: &str = "Lister";
/// Danish date format.
pub const DATE_FORMAT: &str = "dd-mm-yyyy";
/// Whole kroner with thousands separators; Danish Excel shows `25.000 kr.`.
pub const AMOUNT_FORMAT: &str = "#,##0 \"kr.\"";

pub fn header() -> Format {
    Format::new()
        .set_bold()
        .set_font_color(Color::White)
        .set_background_color(Color::RGB(HEADER_BLUE))
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_border_bottom(FormatBorder::Thin)
}

pub fn readonly() -> Format {
    Format::new().set_background_color(Color::RGB(READONLY_GREY)).set_text_wrap().set_align(FormatAlign::Top)
}

pub fn wrap() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

pub fn bold() -> Format {
    Format::new().set_bold()
}

pub fn title() -> Format {
    Format::new().set_bold().set_font_size(14).set_font_color(Color::RGB(HEADER_BLUE))
}

pub fn date() -> Format {
    Format::new().set_num_format(DATE_FORMAT).set_align(FormatAlign::Left).set_align(FormatAlign::Top)
}

pub fn amount() -> Format {
    Format::new().set_num_format(AMOUNT_FORMAT).set_align(FormatAlign::Top)
}

pub fn fill(rgb: u32) -> Format {
    Format::new().set_background_color(Color::RGB(rgb)).set_text_wrap().set_align(FormatAlign::Top)
}

/// Writes a value: text as text (never a formula), numbers and dates as numbers (dates
/// with the Danish date format unless `format` says otherwise).
pub fn value(ws: &mut Worksheet, row: u32, col: u16, v: &Value, format: Option<&Format>) -> Result<(), XlsxError> {
    match v {
        Value::Text(s) => text(ws, row, col, s, format)?,
        Value::Number(n) => {
            match format {
                Some(f) => ws.write_number_with_format(row, col, *n, f)?,
                None => ws.write_number(row, col, *n)?,
            };
        }
        Value::Date(d) => {
            let serial = crate::model::value::serial_from_date(*d);
            match format {
                Some(f) => ws.write_number_with_format(row, col, serial, f)?,
                None => ws.write_number_with_format(row, col, serial, &date())?,
            };
        }
        Value::Blank => {
            if let Some(f) = format {
                ws.write_blank(row, col, f)?;
            }
        }
    }
    Ok(())
}

/// Cuts text to what one Excel cell can hold (in UTF-16 units, see
/// [`crate::text::clip_units`]), on a character boundary, with `…` marking a cut.
pub fn clip(s: &str) -> Cow<'_, str> {
    if s.len() <= MAX_CELL_CHARS || s.encode_utf16().count() <= MAX_CELL_CHARS {
        return Cow::Borrowed(s);
    }
    Cow::Owned(crate::text::clip_units(s, MAX_CELL_CHARS - 1) + "…")
}

/// Writes text as text – never as a formula, whatever it starts with – clipped to fit.
pub fn text(ws: &mut Worksheet, row: u32, col: u16, s: &str, format: Option<&Format>) -> Result<(), XlsxError> {
    let s = clip(s);
    match format {
        Some(f) => ws.write_string_with_format(row, col, s.as_ref(), f)?,
        None => ws.write_string(row, col, s.as_ref())?,
    };
    Ok(())
}

/// A header row with the given column widths, frozen and filterable; the row is as tall
/// as its longest wrapped header needs (at least two lines, so short and long headers
/// line up the same way on every sheet).
pub fn header_row(ws: &mut Worksheet, row: u32, headers: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let f = header();
    let mut lines = 2;
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &f)?;
        if let Some(w) = widths.get(i) {
            ws.set_column_width(i as u16, *w)?;
        }
        lines = lines.max(text_lines(h, widths.get(i).copied().unwrap_or(DEFAULT_WIDTH), true));
    }
    ws.set_row_height(row, lines_height(lines, DEFAULT_FONT_PT))?;
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(())
}

// ---- Row heights -------------------------------------------------------------------
//
// Cells set to wrap need a row height: Excel autofits some rows when it opens a file, but
// LibreOffice draws a row without a height at one line, so wrapped lines run over the
// rows below. Neither application can be asked, so the height is estimated: the text is
// wrapped word by word against the column width, with Calibri 11's character widths in
// pixels (Excel's default font; a column of width w holds w × 7 pixels of text). Where a
// font is substituted (LibreOffice without Calibri draws DejaVu Sans, and measures columns
// in that font's digit width), at least as much text fits per line, so the estimate errs
// on the side of a row a little too tall, never text cut off.

/// The default font size in points.
pub const DEFAULT_FONT_PT: f64 = 11.0;
/// Excel's default column width in characters.
pub const DEFAULT_WIDTH: f64 = 8.43;
/// The tallest row Excel allows, in points.
pub const MAX_ROW_HEIGHT: f64 = 409.0;
/// The height of one line of 11-point text, in points (Excel's default row).
const LINE_PT: f64 = 15.0;
/// Bold Calibri is a few percent wider than regular.
const BOLD_FACTOR: f64 = 1.08;

/// Calibri 11's advance width of a character in pixels at 96 dpi (the table Excel-like
/// autofit uses; letters outside it count as a wide one).
fn char_px(c: char) -> f64 {
    let px = match c {
        ' ' | '\'' => 3,
        ',' | '.' | ':' | ';' | 'I' | '`' | 'i' | 'j' | 'l' | '|' => 4,
        '!' | '(' | ')' | '-' | 'J' | '[' | ']' | 'f' | 'r' | 't' | '{' | '}' | '•' => 5,
        '"' | '/' | 'L' | '\\' | 'c' | 's' | 'z' => 6,
        '#'
        | '$'
        | '*'
        | '+'
        | '0'..='9'
        | '<'
        | '='
        | '>'
        | '?'
        | 'E'
        | 'F'
        | 'S'
        | 'T'
        | 'Y'
        | 'Z'
        | '^'
        | '_'
        | 'a'
        | 'g'
        | 'k'
        | 'v'
        | 'x'
        | 'y'
        | '~'
        | 'å'
        | '–'
        | '·' => 7,
        'B' | 'C' | 'K' | 'P' | 'R' | 'X' | 'b' | 'd' | 'e' | 'h' | 'n' | 'o' | 'p' | 'q' | 'u' | 'ø' | 'é' | 'ü'
        | 'ö' | 'ä' => 8,
        'A' | 'D' | 'G' | 'H' | 'U' | 'V' | 'Å' => 9,
        '&' | 'N' | 'O' | 'Q' | 'Ø' | '→' | '…' => 10,
        '%' | 'w' | 'æ' => 11,
        'M' | 'm' | '—' => 12,
        '@' | 'W' | 'Æ' => 13,
        _ if c.is_control() => 0,
        _ => 9,
    };
    f64::from(px)
}

/// The width of a text in pixels, in an 11-point font.
fn text_px(s: &str, bold: bool) -> f64 {
    let px: f64 = s.chars().map(char_px).sum();
    if bold { px * BOLD_FACTOR } else { px }
}

/// How many lines a text takes in a wrapped cell `width` characters wide (an 11-point
/// font; each `\n` starts a line; a word longer than the line is broken, as Excel does).
pub fn text_lines(text: &str, width: f64, bold: bool) -> u32 {
    let avail = (width.max(1.0) * 7.0).max(8.0);
    let space = text_px(" ", bold);
    let mut lines: u32 = 0;
    for para in text.split('\n') {
        lines = lines.saturating_add(1);
        let mut used = 0.0;
        for word in para.split(' ').filter(|w| !w.is_empty()) {
            let w = text_px(word, bold);
            if used == 0.0 {
                used = w;
            } else if used + space + w <= avail {
                used += space + w;
            } else {
                lines = lines.saturating_add(1);
                used = w;
            }
            while used > avail {
                lines = lines.saturating_add(1);
                used -= avail;
            }
        }
    }
    lines.max(1)
}

/// The row height in points for `lines` lines of text of `size` points (capped at
/// Excel's maximum).
pub fn lines_height(lines: u32, size: f64) -> f64 {
    (f64::from(lines.max(1)) * LINE_PT * size / DEFAULT_FONT_PT).min(MAX_ROW_HEIGHT)
}

/// The row height in points a wrapped text needs in a column `width` characters wide.
pub fn row_height(text: &str, width: f64, bold: bool) -> f64 {
    lines_height(text_lines(text, width, bold), DEFAULT_FONT_PT)
}

/// A column width (in characters) that fits the longest line of each text, between `min`
/// and `max` (beyond `max` the text wraps).
pub fn fit_width<'a>(texts: impl IntoIterator<Item = &'a str>, bold: bool, min: f64, max: f64) -> f64 {
    let widest =
        texts.into_iter().flat_map(|t| t.split('\n')).map(|line| text_px(line, bold) / 7.0 + 1.5).fold(0.0, f64::max);
    widest.clamp(min, max.max(min))
}

/// Remembers the wrapped text written on one sheet and sets each row's height to fit
/// the tallest cell. Only rows with wrapped text get a height; the user's own sheets are
/// never touched (this is for sheets os2gov writes).
#[derive(Clone, Debug, Default)]
pub struct RowFit {
    widths: BTreeMap<u16, f64>,
    rows: BTreeMap<u32, f64>,
}

impl RowFit {
    /// A fit for a sheet whose columns have these widths (from column 0).
    pub fn new(widths: &[f64]) -> RowFit {
        RowFit { widths: widths.iter().enumerate().map(|(i, w)| (i as u16, *w)).collect(), rows: BTreeMap::new() }
    }

    /// Sets a column's width on the sheet and remembers it.
    pub fn set_width(&mut self, ws: &mut Worksheet, col: u16, width: f64) -> Result<(), XlsxError> {
        ws.set_column_width(col, width)?;
        self.widths.insert(col, width);
        Ok(())
    }

    fn width(&self, col: u16) -> f64 {
        self.widths.get(&col).copied().unwrap_or(DEFAULT_WIDTH)
    }

    /// Records wrapped text in a cell (or spanning `cols` columns from `col`).
    pub fn note(&mut self, row: u32, col: u16, text: &str, bold: bool) {
        self.note_span(row, col, 1, text, bold);
    }

    /// Records wrapped text in a cell that spans `cols` columns (a merged range).
    pub fn note_span(&mut self, row: u32, col: u16, cols: u16, text: &str, bold: bool) {
        let width: f64 = (col..col.saturating_add(cols.max(1))).map(|c| self.width(c)).sum();
        let h = row_height(text, width, bold);
        let entry = self.rows.entry(row).or_insert(0.0);
        *entry = entry.max(h);
    }

    /// Writes wrapped text (as [`text`] does) and records it.
    pub fn text(&mut self, ws: &mut Worksheet, row: u32, col: u16, s: &str, f: &Format) -> Result<(), XlsxError> {
        text(ws, row, col, s, Some(f))?;
        self.note(row, col, &clip(s), false);
        Ok(())
    }

    /// The height recorded for a row, if any.
    pub fn height(&self, row: u32) -> Option<f64> {
        self.rows.get(&row).copied()
    }

    /// Sets the height of every row that holds more than one line.
    pub fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for (row, h) in &self.rows {
            if *h > LINE_PT {
                ws.set_row_height(*row, *h)?;
            }
        }
        Ok(())
    }
}

/// Print setup for a sheet os2gov writes: A4 landscape, every column on one page width
/// (as many pages down as needed), narrow margins, the header row repeated on each page.
pub fn print_setup(ws: &mut Worksheet, repeat_row: Option<u32>) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.5, 0.5, 0.3, 0.3);
    if let Some(r) = repeat_row {
        ws.set_repeat_rows(r, r)?;
    }
    Ok(())
}

/// Saves a workbook to bytes. Row heights os2gov set are left adjustable
/// (`customHeight` dropped): LibreOffice uses the stored height, and Excel still grows a
/// row when someone types more text into it.
pub fn finish(workbook: &mut Workbook) -> Result<Vec<u8>, XlsxError> {
    let bytes = workbook.save_to_buffer()?;
    Ok(relax_row_heights(&bytes).unwrap_or(bytes))
}

/// Removes `customHeight="1"` from the `<row>` elements of every worksheet part; `None`
/// when the package cannot be rewritten (the bytes are then used as they are).
fn relax_row_heights(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::{Read, Write};
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(bytes.len())));
    for i in 0..zip.len() {
        let name = zip.by_index_raw(i).ok()?.name().ok()?.to_string();
        if name.starts_with("xl/worksheets/sheet") && name.ends_with(".xml") {
            let mut xml = String::new();
            zip.by_index(i).ok()?.read_to_string(&mut xml).ok()?;
            let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            out.start_file(name.as_str(), options).ok()?;
            out.write_all(relax_rows(&xml).as_bytes()).ok()?;
        } else {
            out.raw_copy_file(zip.by_index_raw(i).ok()?).ok()?;
        }
    }
    out.finish().ok().map(|c| c.into_inner())
}

/// The sheet XML with `customHeight="1"` taken off each `<row …>` start tag – except on
/// rows holding a merged range, which Excel never fits (it would shrink them to a line).
fn relax_rows(xml: &str) -> String {
    let merged: Vec<(u32, u32)> = xml
        .split("<mergeCell ref=\"")
        .skip(1)
        .filter_map(|chunk| {
            let range = chunk.split('"').next()?;
            let row = |a1: &str| a1.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse::<u32>().ok();
            let (a, b) = range.split_once(':').unwrap_or((range, range));
            Some((row(a)?, row(b)?))
        })
        .collect();
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    while let Some(start) = rest.find("<row ") {
        let Some(len) = rest[start..].find('>') else { break };
        let tag = &rest[start..start + len];
        let number = tag.split("r=\"").nth(1).and_then(|r| r.split('"').next()).and_then(|r| r.parse::<u32>().ok());
        let keep = number.is_some_and(|n| merged.iter().any(|(a, b)| (*a..=*b).contains(&n)));
        out.push_str(&rest[..start]);
        if keep {
            out.push_str(tag);
        } else {
            out.push_str(&tag.replace(" customHeight=\"1\"", ""));
        }
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    out
}

/// Dropdown lists collected while building a workbook, written at the end into one hidden
/// sheet. Each list is a column; validations refer to it by range.
#[derive(Default)]
pub struct Lists {
    columns: Vec<(String, Vec<String>)>,
}

impl Lists {
    /// Adds (or reuses) a list and returns the range formula that refers to it.
    pub fn range(&mut self, title: &str, values: &[impl AsRef<str>]) -> String {
        let values: Vec<String> = values.iter().map(|v| v.as_ref().to_string()).collect();
        let index = match self.columns.iter().position(|(t, v)| t == title && *v == values) {
            Some(i) => i,
            None => {
                self.columns.push((title.to_string(), values.clone()));
                self.columns.len() - 1
            }
        };
        let col = crate::model::cell::column_letters(index as u32);
        let last = self.columns[index].1.len().max(1) + 1;
        format!("={LISTS_SHEET}!${col}$2:${col}${last}")
    }

    /// Writes the hidden lists sheet. Call once, after all ranges were taken.
    pub fn write(&self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let ws = workbook.add_worksheet();
        ws.set_name(LISTS_SHEET)?;
        let f = header();
        for (col, (title, values)) in self.columns.iter().enumerate() {
            ws.write_string_with_format(0, col as u16, title, &f)?;
            for (row, v) in values.iter().enumerate() {
                ws.write_string(row as u32 + 1, col as u16, clip(v).as_ref())?;
            }
            ws.set_column_width(col as u16, 24)?;
        }
        ws.set_hidden(true);
        Ok(())
    }
}

/// A dropdown validation from a list range, with a short prompt and a clear error.
pub fn dropdown(range_formula: &str, title: &str, prompt: &str, strict: bool) -> Result<DataValidation, XlsxError> {
    let title: String = title.chars().take(32).collect();
    let prompt: String = prompt.chars().take(250).collect();
    let dv = DataValidation::new()
        .allow_list_formula(range_formula.into())
        .set_input_title(title.clone())?
        .set_input_message(prompt)?
        .set_error_title(title)?
        .set_error_message("Vælg en af værdierne på listen (pilen ved cellen).")?;
    Ok(if strict { dv } else { dv.set_error_style(DataValidationErrorStyle::Warning) })
}

/// A date validation (any real date) with a prompt; the cell shows `dd-mm-yyyy`.
pub fn date_validation(title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    let title: String = title.chars().take(32).collect();
    let lower = rust_xlsxwriter::ExcelDateTime::from_ymd(1990, 1, 1)?;
    let upper = rust_xlsxwriter::ExcelDateTime::from_ymd(2100, 12, 31)?;
    Ok(DataValidation::new()
        .allow_date(rust_xlsxwriter::DataValidationRule::Between(lower, upper))
        .set_input_title(title.clone())?
        .set_input_message(message)?
        .set_error_title(title)?
        .set_error_message("Skriv datoen som dd-mm-åååå, fx 15-03-2027.")?
        .set_error_style(DataValidationErrorStyle::Warning))
}

/// An input prompt without restricting the value (for free text with guidance).
pub fn prompt(title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    let title: String = title.chars().take(32).collect();
    let message: String = message.chars().take(250).collect();
    DataValidation::new().allow_any_value().set_input_title(title)?.set_input_message(message)
}

/// Saves a rust_xlsxwriter workbook atomically (through [`finish`]).
pub fn save_workbook(workbook: &mut rust_xlsxwriter::Workbook, path: &std::path::Path) -> crate::error::Result<()> {
    let bytes = finish(workbook).map_err(|e| crate::error::Error::xlsx(path, e))?;
    Ok(crate::sys::fs::write_atomic(path, &bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_text_and_cuts_long_text_on_a_char_boundary() {
        assert_eq!(clip("kort"), "kort");
        let long = "æ".repeat(40_000);
        let clipped = clip(&long);
        assert!(clipped.encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(clipped.ends_with('…'));
    }

    #[test]
    fn a_short_text_is_one_line_and_a_long_one_wraps_by_words() {
        assert_eq!(text_lines("Grøn", 8.0, false), 1);
        assert_eq!(text_lines("", 8.0, false), 1);
        // 60 four-letter words = 300 characters: about 5 lines of 60 characters.
        let long = "ordet ".repeat(60);
        let n = text_lines(&long, 60.0, false);
        assert!((5..=8).contains(&n), "{n}");
        // Twice as wide, about half the lines.
        assert!(text_lines(&long, 120.0, false) <= n / 2 + 1);
        // Line breaks count; bold is wider.
        assert_eq!(text_lines("a\nb\nc", 30.0, false), 3);
        assert!(text_lines(&"Mmmm ".repeat(40), 40.0, true) >= text_lines(&"Mmmm ".repeat(40), 40.0, false));
        // A word longer than the column is broken, not left on one line.
        assert!(text_lines(&"x".repeat(200), 20.0, false) >= 9);
    }

    #[test]
    fn heights_grow_by_lines_and_stop_at_excels_maximum() {
        assert_eq!(row_height("kort", 20.0, false), 15.0);
        assert_eq!(lines_height(3, 11.0), 45.0);
        assert_eq!(row_height(&"ord ".repeat(20_000), 10.0, false), MAX_ROW_HEIGHT);
        let mut fit = RowFit::new(&[10.0, 80.0]);
        fit.note(4, 0, "kort", false);
        fit.note(4, 1, &"ord ".repeat(100), false);
        fit.note(5, 0, "kort", false);
        assert!(fit.height(4).unwrap() >= 60.0);
        assert_eq!(fit.height(5), Some(15.0));
        fit.note_span(6, 0, 2, &"ord ".repeat(100), false);
        assert!(fit.height(6).unwrap() < fit.height(4).unwrap());
    }

    #[test]
    fn fitted_widths_follow_the_longest_line() {
        let w = fit_width(["OS2affaldskalender", "kort"], false, 8.0, 40.0);
        assert!((18.0..26.0).contains(&w), "{w}");
        assert_eq!(fit_width(["x"], false, 8.0, 40.0), 8.0);
        assert_eq!(fit_width([&*"lang tekst ".repeat(50)], false, 8.0, 40.0), 40.0);
    }

    #[test]
    fn row_heights_stay_adjustable_in_the_saved_package() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string_with_format(0, 0, "a b c", &wrap()).unwrap();
        ws.set_row_height(0, 45).unwrap();
        let bytes = finish(&mut wb).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains(r#"ht="45""#), "{xml}");
        assert!(!xml.contains("customHeight"), "{xml}");
        // A row with a merged range keeps its height fixed.
        let merged = r#"<sheetData><row r="2" ht="30" customHeight="1"></row><row r="3" ht="30" customHeight="1"></row></sheetData><mergeCells count="1"><mergeCell ref="A3:K3"/></mergeCells>"#;
        let relaxed = relax_rows(merged);
        assert!(relaxed.contains(r#"<row r="2" ht="30">"#), "{relaxed}");
        assert!(relaxed.contains(r#"<row r="3" ht="30" customHeight="1">"#), "{relaxed}");
    }

    #[test]
    fn lists_are_reused_and_addressed_by_column() {
        let mut lists = Lists::default();
        assert_eq!(lists.range("Svar", &["Ja", "Nej"]), "=Lister!$A$2:$A$3");
        assert_eq!(lists.range("Lys", &["Grøn", "Gul", "Rød", "Grå"]), "=Lister!$B$2:$B$5");
        assert_eq!(lists.range("Svar", &["Ja", "Nej"]), "=Lister!$A$2:$A$3");
    }
}
