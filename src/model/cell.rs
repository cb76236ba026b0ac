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

    /// Parses `B7` (case-insensitive). Used by tests and when reading links back.
    pub fn parse(a1: &str) -> Option<CellRef> {
        let a1 = a1.trim().trim_start_matches('$');
        let letters: String = a1.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let digits = a1[letters.len()..].trim_start_matches('$');
        if letters.is_empty() || letters.len() > 3 || digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut col: u32 = 0;
        for c in letters.to_ascii_uppercase().bytes() {
            col = col * 26 + u32::from(c - b'A' + 1);
        }
        let row: u32 = digits.parse().ok()?;
        (row >= 1 && col >= 1).then(|| CellRef::new(row - 1, col - 1))
    }
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
        write!(f, "{}{}", column_letters(self.col), self.row + 1)
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
    }
}
