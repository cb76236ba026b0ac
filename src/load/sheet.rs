//! Reading tables out of a [`RawWorkbook`]: sheets and columns found by name, header rows
//! found where they are, and typed cell values with every problem recorded as a finding
//! pointing at its cell. Shared by the styringsmodel and projektark loaders, which differ
//! only in the finding codes they use ([`Codes`]).

use crate::load::workbook::{CellValue, RawCell, RawSheet, RawWorkbook, normalize_name};
use crate::model::cell::CellRef;
use crate::model::finding::{Code, Finding, Location};
use crate::model::value::{DateProblem, date_from_serial, parse_amount_text, parse_date_explained, parse_yes_no};
use crate::text::Text;
use crate::text::fold;
use crate::text::t;
use chrono::NaiveDate;

/// The finding codes a loader uses for each kind of problem.
#[derive(Clone, Copy, Debug)]
pub struct Codes {
    pub sheet_missing: Code,
    pub column_missing: Code,
    pub field_missing: Code,
    pub value_invalid: Code,
    pub date_invalid: Code,
    pub number_invalid: Code,
}

pub const GOV_CODES: Codes = Codes {
    sheet_missing: Code::GovSheetMissing,
    column_missing: Code::GovColumnMissing,
    field_missing: Code::GovFieldMissing,
    value_invalid: Code::GovValueInvalid,
    date_invalid: Code::GovDateInvalid,
    number_invalid: Code::GovNumberInvalid,
};

pub const INPUT_CODES: Codes = Codes {
    sheet_missing: Code::InputSheetMissing,
    column_missing: Code::InputFieldMissing,
    field_missing: Code::InputFieldMissing,
    value_invalid: Code::InputValueInvalid,
    date_invalid: Code::InputDateInvalid,
    number_invalid: Code::InputNumberInvalid,
};

/// A column a loader looks for: its name, other accepted header spellings, and whether
/// the sheet is unusable without it.
#[derive(Clone, Copy, Debug)]
pub struct Col {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
}

pub const fn req(name: &'static str) -> Col {
    Col { name, aliases: &[], required: true }
}

pub const fn opt(name: &'static str) -> Col {
    Col { name, aliases: &[], required: false }
}

pub const fn req_or(name: &'static str, aliases: &'static [&'static str]) -> Col {
    Col { name, aliases, required: true }
}

pub const fn opt_or(name: &'static str, aliases: &'static [&'static str]) -> Col {
    Col { name, aliases, required: false }
}

/// Header comparison: folded, and a trailing `*` or `:` (required-field markers) ignored.
fn header_key(s: &str) -> String {
    fold(s.trim().trim_end_matches(['*', ':']).trim())
}

/// A table found in a sheet: its header row and where each wanted column is.
pub struct Table<'a> {
    pub sheet: &'a RawSheet,
    pub header_row: u32,
    cols: Vec<(&'static str, Option<u32>)>,
}

/// One data row of a [`Table`].
pub struct Row<'t, 'a> {
    pub table: &'t Table<'a>,
    pub row: u32,
    pub cells: &'a [RawCell],
}

impl<'a> Table<'a> {
    pub fn col(&self, name: &str) -> Option<u32> {
        self.cols.iter().find(|(n, _)| *n == name).and_then(|(_, c)| *c)
    }

    /// The columns found: (name, column index).
    pub fn columns(&self) -> Vec<(&'static str, u32)> {
        self.cols.iter().filter_map(|(n, c)| c.map(|c| (*n, c))).collect()
    }

    /// The data rows: every row below the header with a value in one of the wanted columns.
    pub fn rows<'t>(&'t self) -> impl Iterator<Item = Row<'t, 'a>> + 't {
        let wanted: Vec<u32> = self.cols.iter().filter_map(|(_, c)| *c).collect();
        self.sheet
            .rows()
            .filter(move |(r, cells)| *r > self.header_row && cells.iter().any(|c| wanted.contains(&c.col)))
            .map(move |(row, cells)| Row { table: self, row, cells })
    }
}

impl<'t, 'a> Row<'t, 'a> {
    pub fn value(&self, name: &str) -> Option<&'a CellValue> {
        let col = self.table.col(name)?;
        self.cells.binary_search_by_key(&col, |c| c.col).ok().map(|i| &self.cells[i].value)
    }

    /// The cell of a column in this row (the column's position, or column A when the
    /// column is absent).
    pub fn cell(&self, name: &str) -> CellRef {
        CellRef::new(self.row, self.table.col(name).unwrap_or(0))
    }

    /// The row number people see (1-based).
    pub fn number(&self) -> u32 {
        self.row + 1
    }
}

/// Text of a cell as people would read it: trimmed text, whole numbers without decimals,
/// dates as `dd-mm-yyyy`. `None` for blank cells and formula errors.
pub fn cell_text(value: &CellValue) -> Option<String> {
    match value {
        CellValue::Text(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        CellValue::Number(n) => Some(number_text(*n)),
        CellValue::Bool(b) => Some(if *b { "Ja".into() } else { "Nej".into() }),
        CellValue::Date(d) => Some(crate::model::value::format_date(*d)),
        CellValue::Error(_) => None,
    }
}

/// A number as text without a trailing `.0`; used for IDs and CVR numbers typed as numbers.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// Collects what a loader reads and every problem it meets, for one workbook.
pub struct SheetReader<'w> {
    pub workbook: &'w RawWorkbook,
    pub codes: Codes,
    pub findings: Vec<Finding>,
}

impl<'w> SheetReader<'w> {
    pub fn new(workbook: &'w RawWorkbook, codes: Codes) -> SheetReader<'w> {
        SheetReader { workbook, codes, findings: Vec::new() }
    }

    pub fn push(&mut self, code: Code, location: Location, message: Text) {
        self.findings.push(Finding::new(code, location, message));
    }

    /// The sheet, or a "sheet missing" finding.
    pub fn sheet(&mut self, name: &str, purpose: Text) -> Option<&'w RawSheet> {
        let found = self.workbook.sheet(name);
        if found.is_none() {
            let existing = self.workbook.sheet_names.join(", ");
            let (pda, pen) = (&purpose.da, &purpose.en);
            let message = t!(
                "Fanen '{name}' mangler. Den skal indeholde {pda}. Fanerne i filen er: {existing}. Tilføj fanen eller ret navnet.",
                "The sheet '{name}' is missing. It must hold {pen}. The sheets in the file are: {existing}. Add the sheet or fix its name.",
            );
            self.push(self.codes.sheet_missing, Location::sheet(name), message);
        }
        found
    }

    /// Finds the header row (the first of the top 30 rows naming the first column, else
    /// the one naming most columns) and maps the columns. Reports missing required
    /// columns and duplicated headers; returns `None` when a required column is missing.
    pub fn table(&mut self, sheet: &'w RawSheet, cols: &[Col]) -> Option<Table<'w>> {
        // Fold every spelling and every candidate header cell once.
        let wanted: Vec<Vec<String>> = cols
            .iter()
            .map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()).map(header_key).collect())
            .collect();
        // A text that folds to more characters than the longest spelling cannot be a header
        // and is not folded (the long texts in a Krav sheet's first rows): every character
        // but white space, apostrophes, `*` and `:` folds to at least one.
        let longest = wanted.iter().flatten().map(|k| k.chars().count()).max().unwrap_or(0);
        let may_match = |s: &str| {
            let kept = s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\'' | '’' | '*' | ':'));
            kept.take(longest + 1).count() <= longest
        };
        let candidates: Vec<(u32, Vec<(u32, String)>)> = sheet
            .rows()
            .take(30)
            .map(|(r, cells)| {
                let keys = cells
                    .iter()
                    .filter_map(|c| match &c.value {
                        CellValue::Text(s) if may_match(s) => Some((c.col, header_key(s))),
                        _ => None,
                    })
                    .collect();
                (r, keys)
            })
            .collect();
        let matches = |keys: &[(u32, String)], col: usize| keys.iter().any(|(_, k)| wanted[col].contains(k));
        let score = |keys: &[(u32, String)]| (0..cols.len()).filter(|&c| matches(keys, c)).count();
        let header = candidates
            .iter()
            .find(|(_, keys)| matches(keys, 0))
            .or_else(|| candidates.iter().filter(|(_, k)| score(k) > 0).max_by_key(|(_, k)| score(k)));
        let Some((header_row, header_keys)) = header else {
            let names = cols.iter().filter(|c| c.required).map(|c| c.name).collect::<Vec<_>>().join(", ");
            let sheet_name = &sheet.name;
            self.push(
                self.codes.column_missing,
                Location::cell(&sheet.name, CellRef::new(0, 0)),
                t!(
                    "Fanen '{sheet_name}' har ingen overskriftsrække. Den første række skal have kolonnerne {names}.",
                    "The sheet '{sheet_name}' has no header row. The first row must have the columns {names}.",
                ),
            );
            return None;
        };
        let header_row = *header_row;
        let mut mapped = Vec::with_capacity(cols.len());
        let mut complete = true;
        for (i, col) in cols.iter().enumerate() {
            let mut hits = header_keys.iter().filter(|(_, k)| wanted[i].contains(k)).map(|(c, _)| *c);
            let first = hits.next();
            if let Some(dup) = hits.next() {
                let name = col.name;
                let (a, b) = (CellRef::new(header_row, first.unwrap_or(0)), CellRef::new(header_row, dup));
                self.push(
                    self.codes.value_invalid,
                    Location::cell(&sheet.name, CellRef::new(header_row, dup)),
                    t!(
                        "Kolonnen '{name}' findes to gange ({a} og {b}). os2gov bruger den første; slet eller omdøb den anden.",
                        "The column '{name}' appears twice ({a} and {b}). os2gov uses the first; delete or rename the other.",
                    ),
                );
            }
            if first.is_none() && col.required {
                complete = false;
                let (name, sheet_name) = (col.name, &sheet.name);
                let row = header_row + 1;
                self.push(
                    self.codes.column_missing,
                    Location::cell(&sheet.name, CellRef::new(header_row, 0)),
                    t!(
                        "Fanen '{sheet_name}' mangler kolonnen '{name}' i overskriftsrækken (række {row}). Tilføj kolonnen eller ret overskriften.",
                        "The sheet '{sheet_name}' lacks the column '{name}' in its header row (row {row}). Add the column or fix the header.",
                    ),
                );
            }
            mapped.push((col.name, first));
        }
        complete.then_some(Table { sheet, header_row, cols: mapped })
    }

    /// The location of a cell in a row.
    pub fn at(&self, row: &Row<'_, '_>, col: &str) -> Location {
        Location::cell(&row.table.sheet.name, row.cell(col))
    }

    /// Trimmed text; a formula error in the cell is reported.
    pub fn text(&mut self, row: &Row<'_, '_>, col: &str) -> Option<String> {
        match row.value(col)? {
            CellValue::Error(e) => {
                let e = e.clone();
                self.formula_error(row, col, &e);
                None
            }
            v => cell_text(v),
        }
    }

    /// Reports a blank required cell; returns true when the cell has a value.
    pub fn require(&mut self, row: &Row<'_, '_>, col: &str) -> bool {
        if row.value(col).is_some() {
            return true;
        }
        self.push(self.codes.field_missing, self.at(row, col), {
            let n = row.number();
            t!("Række {n}: kolonnen '{col}' skal udfyldes.", "Row {n}: the column '{col}' must be filled in.")
        });
        false
    }

    /// Required text: blank is reported as a missing value.
    pub fn required_text(&mut self, row: &Row<'_, '_>, col: &str) -> Option<String> {
        let value = self.text(row, col);
        if value.is_none() && !matches!(row.value(col), Some(CellValue::Error(_))) {
            self.push(self.codes.field_missing, self.at(row, col), {
                let n = row.number();
                t!("Række {n}: kolonnen '{col}' skal udfyldes.", "Row {n}: the column '{col}' must be filled in.")
            });
        }
        value
    }

    /// The cell's value, or `None` for a blank cell and for a formula error (which is
    /// reported).
    fn readable<'a>(&mut self, row: &Row<'_, 'a>, col: &str) -> Option<&'a CellValue> {
        let value = row.value(col)?;
        if let CellValue::Error(e) = value {
            let e = e.clone();
            self.formula_error(row, col, &e);
            return None;
        }
        Some(value)
    }

    fn formula_error(&mut self, row: &Row<'_, '_>, col: &str, error: &str) {
        self.push(
            self.codes.value_invalid,
            self.at(row, col),
            t!(
                "{col}: indeholder formelfejlen {error}. Ret formlen eller skriv værdien direkte.",
                "{col}: holds the formula error {error}. Fix the formula or type the value directly.",
            ),
        );
    }

    /// A date: Excel date, date serial or text in a Danish form (also as minutes write it,
    /// `torsdag d. 23.10.2025`; a weekday that does not fit the date is said).
    pub fn date(&mut self, row: &Row<'_, '_>, col: &str) -> Option<NaiveDate> {
        let value = self.readable(row, col)?;
        let date1904 = self.workbook.date1904;
        let parsed = match value {
            CellValue::Date(d) => Ok(*d),
            CellValue::Number(n) => date_from_serial(*n, date1904).ok_or(DateProblem::Unreadable),
            CellValue::Text(s) => parse_date_explained(s),
            CellValue::Error(_) | CellValue::Bool(_) => Err(DateProblem::Unreadable),
        };
        let shown = cell_text(value).unwrap_or_default();
        let message = match &parsed {
            Ok(_) => return parsed.ok(),
            Err(DateProblem::WeekdayMismatch { written, date, actual }) => {
                let d = crate::model::value::format_date(*date);
                let actual_en = date.format("%A").to_string();
                t!(
                    "{col}: '{shown}' – {written} passer ikke med {d}, som er en {actual}. Ret ugedagen eller datoen efter referatet.",
                    "{col}: '{shown}' – {written} does not fit {d}, which is a {actual_en}. Fix the weekday or the date from the minutes.",
                )
            }
            Err(DateProblem::Unreadable) => t!(
                "{col}: '{shown}' kan ikke læses som en dato. Skriv datoen som dd-mm-åååå, fx 15-03-2026.",
                "{col}: '{shown}' cannot be read as a date. Write the date as dd-mm-yyyy, e.g. 15-03-2026.",
            ),
        };
        self.push(self.codes.date_invalid, self.at(row, col), message);
        None
    }

    /// An amount in kroner: a number or Danish text such as `25.000 kr.`. Budgets, spending
    /// and forecasts are never negative: a negative amount is reported, not used.
    pub fn amount(&mut self, row: &Row<'_, '_>, col: &str) -> Option<f64> {
        let value = self.readable(row, col)?;
        let parsed = match value {
            CellValue::Number(n) if n.is_finite() => Some(*n),
            CellValue::Text(s) => parse_amount_text(s),
            CellValue::Error(_) => None,
            _ => None,
        };
        if let Some(n) = parsed
            && n < 0.0
        {
            let shown = cell_text(value).unwrap_or_default();
            self.push(
                self.codes.number_invalid,
                self.at(row, col),
                t!(
                    "{col}: '{shown}' er negativt. Et beløb her er 0 eller mere (i kroner ekskl. moms).",
                    "{col}: '{shown}' is negative. An amount here is 0 or more (in kroner excluding VAT).",
                ),
            );
            return None;
        }
        if parsed.is_none() {
            self.number_problem(
                row,
                col,
                value,
                t!("et beløb, fx 25.000 eller 1.234,50", "an amount, e.g. 25.000 or 1.234,50"),
            );
        }
        parsed
    }

    /// A percentage (0–100): `99,5`, `99,5 %`, or a fraction such as 0.995 from a cell
    /// formatted as percent.
    pub fn percent(&mut self, row: &Row<'_, '_>, col: &str) -> Option<f64> {
        let value = self.readable(row, col)?;
        let parsed = match value {
            CellValue::Number(n) => crate::model::value::percent_from_number(*n),
            CellValue::Text(s) => crate::model::value::parse_percent_text(s),
            _ => None,
        };
        // A number that is no percentage is out of range, not unreadable.
        if parsed.is_none()
            && let Some(n) = plain_number(value)
        {
            let shown = number_text(n);
            self.push(
                self.codes.number_invalid,
                self.at(row, col),
                t!(
                    "{col}: {shown} ligger uden for 0–100. Skriv en procent mellem 0 og 100, fx 99,5.",
                    "{col}: {shown} is outside 0–100. Write a percentage between 0 and 100, e.g. 99.5.",
                ),
            );
            return None;
        }
        if parsed.is_none() {
            self.number_problem(
                row,
                col,
                value,
                t!(
                    "en procent mellem 0 og 100, fx 99,5 eller 99,5 %",
                    "a percentage between 0 and 100, e.g. 99.5 or 99.5 %"
                ),
            );
        }
        parsed
    }

    /// A whole number (orders, counts, days).
    pub fn integer(&mut self, row: &Row<'_, '_>, col: &str) -> Option<i64> {
        let value = self.readable(row, col)?;
        let parsed = match value {
            CellValue::Number(n) if n.fract() == 0.0 && n.abs() < 1e12 => Some(*n as i64),
            CellValue::Text(s) => s.trim().parse::<i64>().ok(),
            CellValue::Error(_) => None,
            _ => None,
        };
        if parsed.is_none() {
            self.number_problem(row, col, value, t!("et helt tal, fx 2", "a whole number, e.g. 2"));
        }
        parsed
    }

    /// A decimal number (parameters such as a tolerance in percent).
    pub fn number(&mut self, row: &Row<'_, '_>, col: &str) -> Option<f64> {
        let value = self.readable(row, col)?;
        let parsed = plain_number(value);
        if parsed.is_none() {
            self.number_problem(row, col, value, t!("et tal, fx 10", "a number, e.g. 10"));
        }
        parsed
    }

    fn number_problem(&mut self, row: &Row<'_, '_>, col: &str, value: &CellValue, expected: Text) {
        let shown = cell_text(value).unwrap_or_default();
        let (exp_da, exp_en) = (expected.da, expected.en);
        self.push(
            self.codes.number_invalid,
            self.at(row, col),
            t!(
                "{col}: '{shown}' kan ikke læses som tal. Skriv {exp_da}.",
                "{col}: '{shown}' cannot be read as a number. Write {exp_en}.",
            ),
        );
    }

    /// Ja/Nej (also Yes/No, X, TRUE/FALSE); blank gives `None`.
    pub fn yes_no(&mut self, row: &Row<'_, '_>, col: &str) -> Option<bool> {
        let value = self.readable(row, col)?;
        let parsed = match value {
            CellValue::Bool(b) => Some(*b),
            CellValue::Number(n) if *n == 1.0 || *n == 0.0 => Some(*n == 1.0),
            CellValue::Text(s) => parse_yes_no(s),
            _ => None,
        };
        if parsed.is_none() {
            self.invalid(row, col, value, &["Ja", "Nej"]);
        }
        parsed
    }

    /// A value from a closed list; anything else is reported with the allowed values.
    pub fn choice<T>(
        &mut self,
        row: &Row<'_, '_>,
        col: &str,
        parse: impl Fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        let value = self.readable(row, col)?;
        let text = cell_text(value)?;
        let parsed = parse(&text);
        if parsed.is_none() {
            self.invalid(row, col, value, allowed);
        }
        parsed
    }

    pub fn invalid(&mut self, row: &Row<'_, '_>, col: &str, value: &CellValue, allowed: &[&str]) {
        let shown = cell_text(value).unwrap_or_default();
        let list = allowed.join(", ");
        self.push(
            self.codes.value_invalid,
            self.at(row, col),
            t!(
                "{col}: '{shown}' er ikke en gyldig værdi. Vælg en af: {list}.",
                "{col}: '{shown}' is not a valid value. Choose one of: {list}.",
            ),
        );
    }
}

/// Key/value sheets (Projekt, Dokument, Parametre): the rows by their folded key.
pub fn key_rows<'t, 'a>(table: &'t Table<'a>, key_col: &str) -> Vec<(String, Row<'t, 'a>)> {
    table
        .rows()
        .filter_map(|row| {
            let key = row.value(key_col).and_then(cell_text)?;
            Some((normalize_key(&key), row))
        })
        .collect()
}

/// Folds a field name for lookup: `Projekt-ID`, `projekt id` and `PROJEKT-ID:` match.
pub fn normalize_key(s: &str) -> String {
    fold(&normalize_name(s).trim_end_matches(['*', ':']).replace(['-', '_', '.', '(', ')'], " "))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A finite number from a number cell or from text such as `10`, `2,5` or `10 %`.
fn plain_number(value: &CellValue) -> Option<f64> {
    match value {
        CellValue::Number(n) if n.is_finite() => Some(*n),
        CellValue::Text(s) => parse_amount_text(s.trim().trim_end_matches('%')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::workbook::RawCell;

    fn text(row: u32, col: u32, s: &str) -> RawCell {
        RawCell { row, col, value: CellValue::Text(s.into()) }
    }

    fn workbook(cells: Vec<RawCell>) -> RawWorkbook {
        RawWorkbook { sheet_names: vec!["Krav".into()], sheets: vec![RawSheet::new("Krav", cells)], date1904: false }
    }

    #[test]
    fn header_found_below_a_title_and_columns_in_any_order() {
        let wb = workbook(vec![
            text(0, 0, "Kravliste 2025"),
            text(2, 0, "Efterlevet *"),
            text(2, 3, " id "),
            text(3, 0, "Ja"),
            text(3, 3, "R1"),
            text(5, 3, "F1"),
        ]);
        let mut r = SheetReader::new(&wb, INPUT_CODES);
        let sheet = r.sheet("krav", t!("krav", "requirements")).unwrap();
        let table = r.table(sheet, &[req("ID"), req("Efterlevet"), opt("Dokumentation")]).unwrap();
        assert_eq!(table.header_row, 2);
        let rows: Vec<_> = table.rows().collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(r.text(&rows[0], "ID").as_deref(), Some("R1"));
        assert_eq!(r.text(&rows[0], "Efterlevet").as_deref(), Some("Ja"));
        assert_eq!(rows[1].cell("Efterlevet").to_string(), "A6");
        assert!(r.findings.is_empty());
    }

    #[test]
    fn a_header_padded_with_what_folding_drops_is_found_and_a_long_text_is_no_header() {
        // "Dokumentation" is the longest spelling (13 letters); the padded header folds to it.
        let padded = format!("  Doku’men'tation {}:*  ", "*".repeat(40));
        let long = format!("Dokumentation {}", "af kravet ".repeat(50));
        let wb = workbook(vec![
            text(0, 0, &long),
            text(1, 0, "ID"),
            text(1, 1, "Efterlevet"),
            text(1, 2, &padded),
            text(2, 0, "R1"),
        ]);
        let mut r = SheetReader::new(&wb, INPUT_CODES);
        let sheet = r.sheet("krav", t!("krav", "requirements")).unwrap();
        let table = r.table(sheet, &[req("ID"), req("Efterlevet"), opt("Dokumentation")]).unwrap();
        assert_eq!((table.header_row, table.col("Dokumentation")), (1, Some(2)));
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn missing_column_and_duplicate_header_are_reported_with_cells() {
        let wb = workbook(vec![text(0, 0, "ID"), text(0, 1, "Tema"), text(0, 2, "tema")]);
        let mut r = SheetReader::new(&wb, GOV_CODES);
        let sheet = r.sheet("Krav", t!("krav", "requirements")).unwrap();
        assert!(r.table(sheet, &[req("ID"), req("Tema"), req("Niveau")]).is_none());
        let codes: Vec<_> = r.findings.iter().map(|f| (f.code, f.location.a1())).collect();
        assert_eq!(codes, vec![(Code::GovValueInvalid, "Krav!C1".into()), (Code::GovColumnMissing, "Krav!A1".into())]);
    }

    #[test]
    fn dates_as_minutes_write_them_are_read_and_a_wrong_weekday_is_said_once() {
        let wb = workbook(vec![
            text(0, 0, "ID"),
            text(0, 1, "Dato"),
            text(1, 0, "a"),
            text(1, 1, "torsdag d. 23.10.2025"),
            text(2, 0, "b"),
            text(2, 1, "d. 23. oktober 2025"),
            text(3, 0, "c"),
            text(3, 1, "fredag d. 23.10.2025"),
        ]);
        let mut r = SheetReader::new(&wb, INPUT_CODES);
        let sheet = r.sheet("Krav", t!("", "")).unwrap();
        let table = r.table(sheet, &[req("ID"), opt("Dato")]).unwrap();
        let dates: Vec<_> = table.rows().map(|row| r.date(&row, "Dato")).collect();
        let d = NaiveDate::from_ymd_opt(2025, 10, 23);
        assert_eq!(dates, vec![d, d, None]);
        assert_eq!(r.findings.len(), 1);
        assert_eq!((r.findings[0].code, r.findings[0].location.a1()), (Code::InputDateInvalid, "Krav!B4".to_string()));
        let m = &r.findings[0].message;
        assert!(m.da.contains("fredag passer ikke med 23-10-2025, som er en torsdag"), "{}", m.da);
        assert!(m.en.contains("which is a Thursday"), "{}", m.en);
    }

    #[test]
    fn typed_values_report_their_cell() {
        let wb = workbook(vec![
            text(0, 0, "ID"),
            text(0, 1, "Dato"),
            text(0, 2, "Beløb"),
            text(1, 0, "x"),
            text(1, 1, "31-02-2026"),
            text(1, 2, "mange penge"),
            text(2, 0, "y"),
            RawCell { row: 2, col: 1, value: CellValue::Number(46096.0) },
            text(2, 2, "25.000 kr."),
        ]);
        let mut r = SheetReader::new(&wb, INPUT_CODES);
        let sheet = r.sheet("Krav", t!("", "")).unwrap();
        let table = r.table(sheet, &[req("ID"), opt("Dato"), opt("Beløb")]).unwrap();
        let rows: Vec<_> = table.rows().collect();
        assert_eq!(r.date(&rows[0], "Dato"), None);
        assert_eq!(r.amount(&rows[0], "Beløb"), None);
        assert_eq!(r.date(&rows[1], "Dato"), NaiveDate::from_ymd_opt(2026, 3, 15));
        assert_eq!(r.amount(&rows[1], "Beløb"), Some(25000.0));
        let got: Vec<_> = r.findings.iter().map(|f| (f.code, f.location.a1())).collect();
        assert_eq!(got, vec![(Code::InputDateInvalid, "Krav!B2".into()), (Code::InputNumberInvalid, "Krav!C2".into())]);
    }

    #[test]
    fn negative_amounts_and_percentages_out_of_range_are_said_for_what_they_are() {
        let wb = workbook(vec![
            text(0, 0, "ID"),
            text(0, 1, "Beløb"),
            text(0, 2, "Målt"),
            text(1, 0, "x"),
            RawCell { row: 1, col: 1, value: CellValue::Number(-5.0) },
            RawCell { row: 1, col: 2, value: CellValue::Number(150.0) },
            text(2, 0, "y"),
            text(2, 1, "0 kr."),
            text(2, 2, "99,5 %"),
        ]);
        let mut r = SheetReader::new(&wb, INPUT_CODES);
        let sheet = r.sheet("Krav", t!("", "")).unwrap();
        let table = r.table(sheet, &[req("ID"), opt("Beløb"), opt("Målt")]).unwrap();
        let rows: Vec<_> = table.rows().collect();
        assert_eq!(r.amount(&rows[0], "Beløb"), None);
        assert_eq!(r.percent(&rows[0], "Målt"), None);
        assert_eq!(r.amount(&rows[1], "Beløb"), Some(0.0));
        assert_eq!(r.percent(&rows[1], "Målt"), Some(99.5));
        let got: Vec<_> = r.findings.iter().map(|f| (f.location.a1(), f.message.da.clone())).collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.contains("negativt"), "{got:?}");
        assert!(got[1].1.contains("150 ligger uden for 0–100"), "{got:?}");
    }

    #[test]
    fn keys_normalise() {
        assert_eq!(normalize_key("Projekt-ID"), normalize_key(" projekt id: "));
        assert_eq!(normalize_key("Bestyrelse orienteret (dato)"), "bestyrelse orienteret dato");
        assert_eq!(normalize_key("Min. organisationer"), "min organisationer");
    }
}
