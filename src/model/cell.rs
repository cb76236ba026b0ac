//! Cells: a position in A1 notation ([`CellRef`]) and a value to write ([`Value`]). Pure.

/// A cell position, zero-based; displayed in A1 notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> CellRef {
        CellRef { row, col }
    }

    /// Parses `B7` (case-insensitive, `$` allowed), see [`parse_a1`].
    pub fn parse(a1: &str) -> Option<CellRef> {
        parse_a1(a1).map(|(row, col)| CellRef::new(row, col))
    }
}

/// The last row of a worksheet, zero-based (row 1 048 576).
pub const MAX_ROW: u32 = 1_048_575;
/// The last column of a worksheet, zero-based (column XFD).
pub const MAX_COL: u32 = 16_383;

/// The one A1 parser: `AB12` → (11, 27), zero-based; `$` allowed before the column and the
/// row; `None` outside a worksheet (past XFD or row 1 048 576). No allocation: the package
/// editor calls it for many cells.
pub fn parse_a1(s: &str) -> Option<(u32, u32)> {
    let b = s.trim().as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'$') {
        i += 1;
    }
    let mut col: u32 = 0;
    let start = i;
    while let Some(c) = b.get(i).filter(|c| c.is_ascii_alphabetic()) {
        col = col.checked_mul(26)?.checked_add(u32::from(c.to_ascii_uppercase() - b'A' + 1))?;
        i += 1;
    }
    if i == start || i - start > 3 {
        return None;
    }
    if b.get(i) == Some(&b'$') {
        i += 1;
    }
    let digits = b.get(i..)?;
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let row: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    if row == 0 || col == 0 || row - 1 > MAX_ROW || col - 1 > MAX_COL {
        return None;
    }
    Some((row - 1, col - 1))
}

/// `AB12` for (11, 27), zero-based: the one A1 writer (also for [`CellRef`]'s display).
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), u64::from(row) + 1)
}

/// Column letters for a zero-based column index: 0 → `A`, 27 → `AB`.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

impl std::fmt::Display for CellRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&a1(self.row, self.col))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_references() {
        assert_eq!(CellRef::new(0, 0).to_string(), "A1");
        assert_eq!(CellRef::new(6, 27).to_string(), "AB7");
        assert_eq!(CellRef::new(1_048_575, 16_383).to_string(), "XFD1048576");
        assert_eq!(CellRef::parse("ab7"), Some(CellRef::new(6, 27)));
        assert_eq!(CellRef::parse("$B$2"), Some(CellRef::new(1, 1)));
        assert_eq!(CellRef::parse("7B"), None);
        assert_eq!(parse_a1("A1"), Some((0, 0)));
        assert_eq!(parse_a1("$AB$12"), Some((11, 27)));
        assert_eq!(parse_a1("XFD1048576"), Some((MAX_ROW, MAX_COL)));
        assert_eq!(parse_a1("XFE1"), None);
        assert_eq!(parse_a1("A0"), None);
        assert_eq!(parse_a1("ZZZZZZ1"), None);
        assert_eq!(parse_a1("A99999999999"), None);
        assert_eq!(a1(MAX_ROW, MAX_COL), "XFD1048576");
    }
}
