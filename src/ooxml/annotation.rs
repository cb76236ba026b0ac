//! What an annotation is made of, as plain data: the new sheet (cells, looks, widths,
//! print setup) and the marks on the user's cells; and the one error the package editor
//! returns.

use crate::model::cell::CellRef;

/// A cell value on the new sheet.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    Text(String),
    Number(f64),
}

/// The few looks the new sheet needs. Fills are RGB (`0xFFC7CE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Look {
    Plain,
    Wrap,
    Bold,
    /// Bold, wrapped (labels that may be longer than their column).
    BoldWrap,
    Title,
    Header,
    /// A header cell with its own fill (dark text), centred: the light columns.
    HeaderFill(u32),
    Fill(u32),
    Link,
}

impl Look {
    /// Whether text in this look wraps (and so decides the row's height), and whether it
    /// is bold.
    pub fn wraps(self) -> Option<bool> {
        match self {
            Look::Wrap | Look::Fill(_) => Some(false),
            Look::BoldWrap | Look::Header | Look::HeaderFill(_) => Some(true),
            Look::Plain | Look::Bold | Look::Title | Look::Link => None,
        }
    }
}

/// How the new sheet prints: A4, landscape or portrait, all columns on one page width,
/// some rows repeated at the top of every page, and a footer.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Print {
    pub landscape: bool,
    /// First and last row (zero-based) repeated at the top of each printed page.
    pub repeat_rows: Option<(u32, u32)>,
    /// The page footer in Excel's header/footer codes (`&P`, `&N`, `&A` …).
    pub footer: Option<String>,
}

/// One cell of the new sheet. `link` is an internal location such as `'Krav'!G7`.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCell {
    pub row: u32,
    pub col: u32,
    pub value: CellValue,
    pub look: Look,
    pub link: Option<String>,
}

/// The sheet os2gov adds as the first sheet of the workbook.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewSheet {
    pub name: String,
    pub cells: Vec<NewCell>,
    /// (zero-based column, width in characters).
    pub widths: Vec<(u32, f64)>,
    /// Rows frozen at the top (0 = none).
    pub freeze_rows: u32,
    /// Autofilter range: (first row, first col, last row, last col), zero-based.
    pub autofilter: Option<(u32, u32, u32, u32)>,
    pub tab_colour: Option<u32>,
    /// Merged ranges (first row, first col, last row, last col); the text is in the first
    /// cell, and a wrapped text's row is as tall as the merged width needs.
    pub merges: Vec<(u32, u32, u32, u32)>,
    pub print: Option<Print>,
}

/// A mark on a user's cell: a fill and, optionally, a note.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub sheet: String,
    pub cell: CellRef,
    pub fill: u32,
    pub note: Option<String>,
}

/// Why a package could not be annotated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OoxmlError(pub String);

impl std::fmt::Display for OoxmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The author name on os2gov's notes; notes by this author are os2gov's own.
pub const NOTE_AUTHOR: &str = "os2gov";
