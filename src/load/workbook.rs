//! The only place that opens workbooks for reading: sniffs the format, pre-scans the zip
//! directory against size and compression limits, and streams cells with a cap. Builds a
//! sparse [`RawWorkbook`]; never a dense range from a sheet's declared dimensions.
//! Knows nothing about projektark or styringsmodel layouts.

use crate::model::value::{date_from_serial, is_blank, parse_date_text};
use crate::t;
use crate::text::Text;
use calamine::{DataRef, Reader, SheetVisible, Xlsx};
use chrono::NaiveDate;
use std::io::{Cursor, Read};

/// Limits that keep a hostile or broken file from taking the process down.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The file itself.
    pub max_file_bytes: u64,
    /// Any one zip entry, uncompressed.
    pub max_entry_bytes: u64,
    /// All zip entries together, uncompressed.
    pub max_total_bytes: u64,
    /// Uncompressed / compressed, for entries above 1 MB uncompressed.
    pub max_ratio: u64,
    /// Zip entries.
    pub max_entries: usize,
    /// Non-empty cells over all sheets read.
    pub max_cells: usize,
    /// Cell records visited (including empty, formatted ones).
    pub max_cell_records: usize,
    /// The last row and column (zero-based) a filled cell may have: a projektark never
    /// reaches this far, and a cell out there marks a broken or crafted file.
    pub max_row: u32,
    pub max_col: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 50 * 1024 * 1024,
            max_entry_bytes: 256 * 1024 * 1024,
            max_total_bytes: 512 * 1024 * 1024,
            max_ratio: 250,
            max_entries: 10_000,
            max_cells: 250_000,
            max_cell_records: 3_000_000,
            max_row: 99_999,
            max_col: 999,
        }
    }
}

/// A cell value as read, before any domain meaning is given to it.
#[derive(Clone, Debug, PartialEq)]
pub enum CellValue {
    /// Non-blank text, as typed (not trimmed).
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell Excel formatted as a date.
    Date(NaiveDate),
    /// A formula error such as `#REF!`.
    Error(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct RawCell {
    pub row: u32,
    pub col: u32,
    pub value: CellValue,
}

/// The non-empty cells of one sheet, sorted by row then column.
#[derive(Clone, Debug, Default)]
pub struct RawSheet {
    pub name: String,
    pub hidden: bool,
    pub cells: Vec<RawCell>,
}

impl RawSheet {
    pub fn new(name: impl Into<String>, mut cells: Vec<RawCell>) -> RawSheet {
        cells.sort_by_key(|c| (c.row, c.col));
        // A malformed file may repeat a position; keep the last value, as Excel would.
        cells.dedup_by(|later, earlier| {
            if later.row == earlier.row && later.col == earlier.col {
                std::mem::swap(later, earlier);
                true
            } else {
                false
            }
        });
        RawSheet { name: name.into(), hidden: false, cells }
    }

    pub fn get(&self, row: u32, col: u32) -> Option<&CellValue> {
        self.cells.binary_search_by_key(&(row, col), |c| (c.row, c.col)).ok().map(|i| &self.cells[i].value)
    }

    /// The rows that have at least one cell, in order, each with its cells.
    pub fn rows(&self) -> impl Iterator<Item = (u32, &[RawCell])> {
        self.cells.chunk_by(|a, b| a.row == b.row).map(|chunk| (chunk[0].row, chunk))
    }
}

/// The sheets of a workbook that were asked for, plus the names of all sheets.
#[derive(Clone, Debug, Default)]
pub struct RawWorkbook {
    pub sheet_names: Vec<String>,
    pub sheets: Vec<RawSheet>,
    pub date1904: bool,
}

/// Compares sheet and column names the way users expect: trimmed, case-insensitive,
/// inner whitespace collapsed.
pub fn same_name(a: &str, b: &str) -> bool {
    normalize_name(a) == normalize_name(b)
}

pub fn normalize_name(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl RawWorkbook {
    pub fn sheet(&self, name: &str) -> Option<&RawSheet> {
        self.sheets.iter().find(|s| same_name(&s.name, name))
    }
}

/// Why a file could not be read. Each becomes `INPUT-UNREADABLE` (or `GOV-UNREADABLE`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    Io(String),
    Empty,
    TooLarge { bytes: u64, limit: u64 },
    OldXls,
    Encrypted,
    Ods,
    NotWorkbook,
    Corrupt(String),
    Bomb { entry: String, detail: String },
    TooManyCells { limit: usize },
    OutOfRange { sheet: String, cell: String },
}

impl ReadError {
    /// A plain explanation and what to do about it.
    pub fn text(&self) -> Text {
        match self {
            ReadError::Io(e) => t!("Filen kunne ikke læses ({e}).", "The file could not be read ({e})."),
            ReadError::Empty => t!(
                "Filen er tom (0 byte). Gem filen igen fra Excel.",
                "The file is empty (0 bytes). Save the workbook again from Excel."
            ),
            ReadError::TooLarge { bytes, limit } => {
                let (mb, lim) = (bytes / (1024 * 1024), limit / (1024 * 1024));
                t!(
                    "Filen er for stor ({mb} MB; grænsen er {lim} MB). Et projektark fylder normalt under 1 MB – fjern billeder eller store faner.",
                    "The file is too large ({mb} MB; the limit is {lim} MB). A projektark is normally under 1 MB – remove pictures or large sheets."
                )
            }
            ReadError::OldXls => t!(
                "Filen er i det gamle Excel 97-2003-format (.xls). Åbn den i Excel og gem den som Excel-projektmappe (.xlsx).",
                "The file is in the old Excel 97-2003 format (.xls). Open it in Excel and save it as an Excel Workbook (.xlsx)."
            ),
            ReadError::Encrypted => t!(
                "Filen er beskyttet med adgangskode (krypteret). Fjern adgangskoden i Excel (Filer > Oplysninger > Beskyt projektmappe) og send den igen.",
                "The file is password-protected (encrypted). Remove the password in Excel (File > Info > Protect Workbook) and send it again."
            ),
            ReadError::Ods => t!(
                "Filen er et OpenDocument-regneark (.ods). Gem den som Excel-projektmappe (.xlsx).",
                "The file is an OpenDocument spreadsheet (.ods). Save it as an Excel Workbook (.xlsx)."
            ),
            ReadError::NotWorkbook => t!(
                "Filen er ikke en Excel-projektmappe (.xlsx), selv om navnet siger det. Gem filen fra Excel som .xlsx.",
                "The file is not an Excel workbook (.xlsx), whatever its name says. Save the file from Excel as .xlsx."
            ),
            ReadError::Corrupt(detail) => t!(
                "Filen er beskadiget og kan ikke åbnes ({detail}). Gem den igen fra Excel, eller send den seneste gode udgave.",
                "The file is damaged and cannot be opened ({detail}). Save it again from Excel, or send the last good version."
            ),
            ReadError::Bomb { entry, detail } => t!(
                "Filen afvises af sikkerhedshensyn: delen '{entry}' {detail}. Gem filen igen fra Excel.",
                "The file is refused for safety: the part '{entry}' {detail}. Save the file again from Excel."
            ),
            ReadError::OutOfRange { sheet, cell } => t!(
                "Fanen '{sheet}' har indhold i cellen {cell}, langt uden for et projektark. Det tyder på en beskadiget fil: slet indholdet, eller kopiér jeres svar over i et nyt projektark.",
                "The sheet '{sheet}' has content in cell {cell}, far outside a projektark. This suggests a damaged file: delete the content, or copy your answers into a new projektark."
            ),
            ReadError::TooManyCells { limit } => t!(
                "Filen har flere end {limit} udfyldte celler og afvises. Et projektark har normalt under 2.000; slet tomme eller kopierede rækker.",
                "The file has more than {limit} filled cells and is refused. A projektark normally has under 2,000; delete empty or copied rows."
            ),
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Tells formats apart by their first bytes, not by the file name.
fn sniff(bytes: &[u8]) -> Result<(), ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        return Ok(());
    }
    if bytes.starts_with(CFB_MAGIC) {
        // An encrypted OOXML package is a compound file with an `EncryptedPackage` stream;
        // its directory names are UTF-16LE.
        let needle: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
            return Err(ReadError::Encrypted);
        }
        return Err(ReadError::OldXls);
    }
    Err(ReadError::NotWorkbook)
}

/// Reads the zip central directory (without inflating anything) and refuses packages
/// that would inflate past the limits; also refuses a shared-strings table that declares
/// more strings than it could hold, since calamine reserves memory for the declared count.
fn prescan_zip(bytes: &[u8], limits: &Limits) -> Result<(), ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt(zip_reason(&e)))?;
    if archive.len() > limits.max_entries {
        return Err(ReadError::Bomb { entry: "(zip)".into(), detail: format!("{} entries", archive.len()) });
    }
    let mut total: u64 = 0;
    let mut has_workbook = false;
    let mut is_ods = false;
    let mut shared_strings: Option<(usize, u64)> = None;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| ReadError::Corrupt(zip_reason(&e)))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
        let size = entry.size();
        let packed = entry.compressed_size().max(1);
        let lower = name.to_lowercase();
        if lower == "xl/workbook.xml" || lower.ends_with("/workbook.xml") {
            has_workbook = true;
        }
        if lower == "mimetype" || lower == "content.xml" {
            is_ods = true;
        }
        if lower.ends_with("sharedstrings.xml") {
            shared_strings = Some((i, size));
        }
        if size > limits.max_entry_bytes {
            return Err(bomb(&name, size, packed, limits));
        }
        if size > 1024 * 1024 && size / packed > limits.max_ratio {
            return Err(bomb(&name, size, packed, limits));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(ReadError::Bomb {
                entry: name,
                detail: format!("would inflate past {} MB in all", limits.max_total_bytes / (1024 * 1024)),
            });
        }
    }
    if !has_workbook {
        return Err(if is_ods { ReadError::Ods } else { ReadError::NotWorkbook });
    }
    if let Some((index, size)) = shared_strings {
        let declared = declared_string_count(&mut archive, index)?;
        // `<si/>` is the shortest possible entry: five bytes.
        if declared > size / 5 + 16 || declared > 5_000_000 {
            return Err(ReadError::Bomb {
                entry: "xl/sharedStrings.xml".into(),
                detail: format!("declares {declared} texts in {size} bytes"),
            });
        }
    }
    Ok(())
}

fn bomb(name: &str, size: u64, packed: u64, limits: &Limits) -> ReadError {
    let mb = size / (1024 * 1024);
    let ratio = size / packed;
    let _ = limits;
    ReadError::Bomb { entry: name.to_string(), detail: format!("would inflate to {mb} MB (ratio {ratio}:1)") }
}

fn zip_reason(e: &zip::result::ZipError) -> String {
    match e {
        zip::result::ZipError::InvalidArchive(_) => "ugyldig zip-struktur / invalid zip structure".into(),
        zip::result::ZipError::UnsupportedArchive(_) => "ukendt komprimering / unsupported compression".into(),
        other => other.to_string(),
    }
}

/// The `uniqueCount`/`count` attribute of the shared strings table, from its first 4 KB.
fn declared_string_count(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, index: usize) -> Result<u64, ReadError> {
    let mut head = Vec::with_capacity(4096);
    {
        let entry = archive.by_index(index).map_err(|e| ReadError::Corrupt(zip_reason(&e)))?;
        entry.take(4096).read_to_end(&mut head).map_err(|e| ReadError::Corrupt(e.to_string()))?;
    }
    let head = String::from_utf8_lossy(&head);
    let mut max = 0u64;
    for attr in ["uniqueCount=\"", "count=\""] {
        if let Some(pos) = head.find(attr) {
            let digits: String = head[pos + attr.len()..].chars().take_while(char::is_ascii_digit).collect();
            // A count too long to parse is itself absurd.
            let n = if digits.len() > 18 { u64::MAX } else { digits.parse().unwrap_or(0) };
            max = max.max(n);
        }
    }
    Ok(max)
}

/// Reads the sheets whose names `wanted` accepts (all others are only listed), with the
/// limits applied. Never panics on any input: calamine runs under a panic guard.
pub fn read_workbook(bytes: &[u8], wanted: &dyn Fn(&str) -> bool, limits: &Limits) -> Result<RawWorkbook, ReadError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge { bytes: bytes.len() as u64, limit: limits.max_file_bytes });
    }
    sniff(bytes)?;
    prescan_zip(bytes, limits)?;
    crate::panic_guard::catch(|| read_cells(bytes, wanted, limits))
        .unwrap_or_else(|panic| Err(ReadError::Corrupt(format!("intern læsefejl / internal reader failure: {panic}"))))
}

fn read_cells(bytes: &[u8], wanted: &dyn Fn(&str) -> bool, limits: &Limits) -> Result<RawWorkbook, ReadError> {
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let date1904 = xlsx.has_1904_epoch();
    let metadata: Vec<(String, bool)> =
        xlsx.sheets_metadata().iter().map(|s| (s.name.clone(), !matches!(s.visible, SheetVisible::Visible))).collect();
    let mut workbook =
        RawWorkbook { sheet_names: metadata.iter().map(|(n, _)| n.clone()).collect(), sheets: Vec::new(), date1904 };
    let mut cells_total = 0usize;
    let mut records_total = 0usize;
    for (name, hidden) in metadata {
        if !wanted(&name) || workbook.sheet(&name).is_some() {
            continue;
        }
        let mut reader = match xlsx.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // Chart sheets and dialog sheets are not worksheets; they hold no data for us.
            Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(xlsx_error(&e)),
        };
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(|e| xlsx_error(&e))? {
            records_total += 1;
            if records_total > limits.max_cell_records {
                return Err(ReadError::TooManyCells { limit: limits.max_cells });
            }
            let (row, col) = cell.get_position();
            let Some(value) = convert(cell.get_value(), date1904) else {
                continue;
            };
            if row > limits.max_row || col > limits.max_col {
                return Err(ReadError::OutOfRange {
                    sheet: name.clone(),
                    cell: crate::model::value::CellRef::new(row, col).to_string(),
                });
            }
            cells_total += 1;
            if cells_total > limits.max_cells {
                return Err(ReadError::TooManyCells { limit: limits.max_cells });
            }
            cells.push(RawCell { row, col, value });
        }
        let mut sheet = RawSheet::new(name, cells);
        sheet.hidden = hidden;
        workbook.sheets.push(sheet);
    }
    Ok(workbook)
}

fn xlsx_error(e: &calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        calamine::XlsxError::Zip(z) => ReadError::Corrupt(zip_reason(z)),
        other => {
            let mut s = other.to_string();
            s.truncate(200);
            ReadError::Corrupt(s)
        }
    }
}

fn convert(value: &DataRef<'_>, date1904: bool) -> Option<CellValue> {
    Some(match value {
        DataRef::Empty => return None,
        DataRef::Int(i) => CellValue::Number(*i as f64),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::String(s) if is_blank(s) => return None,
        DataRef::SharedString(s) if is_blank(s) => return None,
        DataRef::String(s) => CellValue::Text(s.clone()),
        DataRef::SharedString(s) => CellValue::Text((*s).to_string()),
        DataRef::DateTime(dt) if dt.is_datetime() => match date_from_serial(dt.as_f64(), date1904) {
            Some(d) => CellValue::Date(d),
            None => CellValue::Number(dt.as_f64()),
        },
        DataRef::DateTime(dt) => CellValue::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) => match parse_date_text(s) {
            Some(d) => CellValue::Date(d),
            None => CellValue::Text(s.clone()),
        },
        DataRef::DurationIso(s) => CellValue::Text(s.clone()),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_tells_formats_apart() {
        assert_eq!(sniff(b""), Err(ReadError::Empty));
        assert_eq!(sniff(b"hello world"), Err(ReadError::NotWorkbook));
        assert_eq!(sniff(CFB_MAGIC), Err(ReadError::OldXls));
        let mut enc = CFB_MAGIC.to_vec();
        enc.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&enc), Err(ReadError::Encrypted));
        assert_eq!(sniff(b"PK\x03\x04rest"), Ok(()));
    }

    #[test]
    fn sparse_sheet_rows_and_lookup() {
        let sheet = RawSheet::new(
            "S",
            vec![
                RawCell { row: 1_048_575, col: 16_383, value: CellValue::Number(1.0) },
                RawCell { row: 0, col: 1, value: CellValue::Text("b".into()) },
                RawCell { row: 0, col: 0, value: CellValue::Text("a".into()) },
                RawCell { row: 0, col: 0, value: CellValue::Text("a2".into()) },
            ],
        );
        assert_eq!(sheet.cells.len(), 3);
        assert_eq!(sheet.rows().count(), 2);
        assert_eq!(sheet.get(1_048_575, 16_383), Some(&CellValue::Number(1.0)));
        assert_eq!(sheet.get(5, 5), None);
    }

    #[test]
    fn names_compare_loosely() {
        assert!(same_name(" Krav ", "krav"));
        assert!(same_name("Min.  organisationer", "min. organisationer"));
        assert!(!same_name("Krav", "Kravs"));
    }
}
