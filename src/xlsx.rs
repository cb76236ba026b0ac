//! Shared pieces for the workbooks os2gov writes with rust_xlsxwriter: formats, safe text
//! cells, and dropdown lists kept in a hidden sheet (so lists may exceed Excel's
//! 255-character limit for inline lists). No domain logic here.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::borrow::Cow;

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

/// A cell value to write.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    Text(String),
    Number(f64),
    Date(chrono::NaiveDate),
    #[default]
    Blank,
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        if s.is_empty() { Value::Blank } else { Value::Text(s.to_string()) }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::from(s.as_str())
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<chrono::NaiveDate> for Value {
    fn from(d: chrono::NaiveDate) -> Value {
        Value::Date(d)
    }
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

/// Cuts text to what one Excel cell can hold, on a character boundary.
pub fn clip(s: &str) -> Cow<'_, str> {
    if s.len() <= MAX_CELL_CHARS {
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_CHARS - 1 {
            break;
        }
        end = i + c.len_utf8();
    }
    let mut out = s[..end].to_string();
    out.push('…');
    Cow::Owned(out)
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

/// A header row with the given column widths, frozen and filterable.
pub fn header_row(ws: &mut Worksheet, row: u32, headers: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let f = header();
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, i as u16, *h, &f)?;
        if let Some(w) = widths.get(i) {
            ws.set_column_width(i as u16, *w)?;
        }
    }
    ws.set_row_height(row, 30)?;
    ws.set_freeze_panes(row + 1, 0)?;
    Ok(())
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
        let col = crate::model::value::column_letters(index as u32);
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
        .set_error_message("Vælg en værdi fra listen. / Choose a value from the list.")?;
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
        .set_error_message("Skriv en dato som dd-mm-åååå. / Enter a date as dd-mm-yyyy.")?
        .set_error_style(DataValidationErrorStyle::Warning))
}

/// An input prompt without restricting the value (for free text with guidance).
pub fn prompt(title: &str, message: &str) -> Result<DataValidation, XlsxError> {
    let title: String = title.chars().take(32).collect();
    let message: String = message.chars().take(250).collect();
    DataValidation::new().allow_any_value().set_input_title(title)?.set_input_message(message)
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
    fn lists_are_reused_and_addressed_by_column() {
        let mut lists = Lists::default();
        assert_eq!(lists.range("Svar", &["Ja", "Nej"]), "=Lister!$A$2:$A$3");
        assert_eq!(lists.range("Lys", &["Grøn", "Gul", "Rød", "Grå"]), "=Lister!$B$2:$B$5");
        assert_eq!(lists.range("Svar", &["Ja", "Nej"]), "=Lister!$A$2:$A$3");
    }
}
