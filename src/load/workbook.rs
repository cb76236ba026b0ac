//! The only place that opens workbooks for reading: opens input files (regular files only,
//! size checked from the file's metadata before reading, reading bounded), sniffs the
//! format, pre-scans the zip directory against size and compression limits, streams every
//! XML part once against token and text limits (in constant memory), and streams cells
//! with a cap. Builds a sparse [`RawWorkbook`]; never a dense range from a sheet's declared
//! dimensions. Knows nothing about projektark or styringsmodel layouts.

use crate::model::value::{date_from_serial, is_blank, parse_date_text};
use crate::text::Text;
use crate::text::t;
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
    /// The longest single text, tag or shared/inline string (`<si>`, `<is>`) in any XML
    /// part, in bytes as stored. Excel allows 32,767 characters in a cell; this is far
    /// above that and far below what would cost real memory.
    pub max_text_bytes: u64,
    /// Shared strings (`<si>`) in the shared-strings part.
    pub max_strings: u64,
    /// A cell text longer than this (in UTF-16 units, as Excel counts) is read clipped to
    /// it: Excel's own limit per cell. The full text stays in the user's file.
    pub max_cell_chars: usize,
    /// All cell texts read together, in bytes (after clipping). One long shared string
    /// referenced from many cells would otherwise be copied once per cell.
    pub max_text_total: usize,
    /// XML parts up to this size in all are kept from the hostile-input scan for the loader,
    /// which then does not inflate them again: a projektark's are about 100 KB. A larger
    /// (legitimate) workbook is read as before, in constant memory.
    pub max_shared_inflated: u64,
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
            max_text_bytes: 1024 * 1024,
            max_strings: 1_000_000,
            max_cell_chars: 32_767,
            max_text_total: 32 * 1024 * 1024,
            max_shared_inflated: 16 * 1024 * 1024,
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
    TooLarge {
        bytes: u64,
        limit: u64,
    },
    OldXls,
    Encrypted,
    Ods,
    NotWorkbook,
    Corrupt(String),
    Bomb {
        entry: String,
        detail: String,
    },
    TooManyCells {
        limit: usize,
    },
    OutOfRange {
        sheet: String,
        cell: String,
    },
    /// A single text or tag in an XML part beyond [`Limits::max_text_bytes`].
    TextTooLong {
        entry: String,
        limit: u64,
    },
    /// More shared strings than [`Limits::max_strings`].
    TooManyTexts {
        entry: String,
        limit: u64,
    },
    /// More cell text in all than [`Limits::max_text_total`].
    TooMuchText {
        limit: usize,
    },
    /// Not a workbook, and its name does not claim one either (e.g. `.csv`): named after
    /// what its extension says it is.
    OtherFormat {
        ext: String,
    },
    /// A symbolic link: never followed.
    Symlink,
    /// Not a regular file (a device, a pipe, a socket, a folder).
    NotRegular,
}

impl ReadError {
    /// The error for a file of this name: "not a workbook" says what the file is when its
    /// extension names another format (a `.csv` is a CSV file, not a workbook misnamed).
    pub fn for_file(self, path: &std::path::Path) -> ReadError {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        match self {
            ReadError::NotWorkbook if !matches!(ext.as_str(), "xlsx" | "xlsm") => ReadError::OtherFormat { ext },
            other => other,
        }
    }

    /// A plain explanation and what to do about it.
    pub fn text(&self) -> Text {
        match self {
            ReadError::OtherFormat { ext } => match ext.as_str() {
                "csv" => t!(
                    "Filen er en CSV-fil (tekst med værdier adskilt af komma eller semikolon), ikke en Excel-projektmappe. Brug projektarket fra os2gov template, eller åbn filen i Excel og gem den som Excel-projektmappe (.xlsx).",
                    "The file is a CSV file (text with values separated by commas or semicolons), not an Excel workbook. Use the projektark from os2gov template, or open the file in Excel and save it as an Excel Workbook (.xlsx)."
                ),
                "xlsb" => t!(
                    "Filen er en binær Excel-projektmappe (.xlsb), som os2gov ikke læser. Åbn den i Excel og gem den som Excel-projektmappe (.xlsx).",
                    "The file is an Excel binary workbook (.xlsb), which os2gov does not read. Open it in Excel and save it as an Excel Workbook (.xlsx)."
                ),
                "numbers" => t!(
                    "Filen er et Apple Numbers-regneark. Eksportér det fra Numbers som Excel-projektmappe (.xlsx).",
                    "The file is an Apple Numbers spreadsheet. Export it from Numbers as an Excel Workbook (.xlsx)."
                ),
                _ => t!(
                    "Filen (.{ext}) er ikke et regneark, os2gov kan læse: indholdet er hverken en Excel-projektmappe eller et gammelt Excel-regneark. Åbn den i det program, der lavede den, og gem den som Excel-projektmappe (.xlsx).",
                    "The file (.{ext}) is not a spreadsheet os2gov can read: its content is neither an Excel workbook nor an old Excel spreadsheet. Open it in the program that made it and save it as an Excel Workbook (.xlsx)."
                ),
            },
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
            ReadError::TextTooLong { entry, limit } => {
                let mb = limit / (1024 * 1024);
                t!(
                    "Filen afvises: delen '{entry}' indeholder en tekst på over {mb} MB – langt mere end de 32.767 tegn, Excel tillader i en celle. Filen er ikke gemt af Excel eller er beskadiget; gem den igen fra Excel, eller kopiér svarene over i et nyt projektark.",
                    "The file is refused: the part '{entry}' holds a text of more than {mb} MB – far more than the 32,767 characters Excel allows in a cell. The file was not saved by Excel or is damaged; save it again from Excel, or copy the answers into a new projektark."
                )
            }
            ReadError::TooManyTexts { entry, limit } => t!(
                "Filen afvises: delen '{entry}' har flere end {limit} tekster – langt flere, end et regneark med 250.000 udfyldte celler kan bruge. Gem filen igen fra Excel, eller kopiér svarene over i et nyt projektark.",
                "The file is refused: the part '{entry}' has more than {limit} texts – far more than a workbook with 250,000 filled cells can use. Save the file again from Excel, or copy the answers into a new projektark."
            ),
            ReadError::TooMuchText { limit } => {
                let mb = limit / (1024 * 1024);
                t!(
                    "Filen afvises: cellerne indeholder tilsammen over {mb} MB tekst. Et projektark har normalt under 100 KB; slet store eller kopierede tekster, eller kopiér svarene over i et nyt projektark.",
                    "The file is refused: its cells hold more than {mb} MB of text in all. A projektark normally has under 100 KB; delete large or copied texts, or copy the answers into a new projektark."
                )
            }
            ReadError::Symlink => t!(
                "Filen er en symbolsk genvej (symlink) og læses ikke: os2gov læser kun almindelige filer, så en genvej ikke kan give adgang til filer uden for mappen. Læg selve filen i mappen.",
                "The file is a symbolic link and is not read: os2gov reads regular files only, so a link cannot give access to files outside the folder. Put the file itself in the folder."
            ),
            ReadError::NotRegular => t!(
                "Dette er ikke en almindelig fil (men fx en enhed, en navngivet pipe eller en mappe) og læses ikke. Læg projektarket i mappen som en almindelig fil.",
                "This is not a regular file (but e.g. a device, a named pipe or a folder) and is not read. Put the projektark in the folder as a regular file."
            ),
            ReadError::TooManyCells { limit } => t!(
                "Filen har flere end {limit} udfyldte celler og afvises. Et projektark har normalt under 2.000; slet tomme eller kopierede rækker.",
                "The file has more than {limit} filled cells and is refused. A projektark normally has under 2,000; delete empty or copied rows."
            ),
        }
    }
}

/// An input file as read: its bytes and its permission bits (Unix), which the copy os2gov
/// keeps of it must not exceed.
#[derive(Debug)]
pub struct InputFile {
    pub bytes: Vec<u8>,
    pub mode: Option<u32>,
}

/// Reads an input file: a regular file only (never through a symbolic link, never a
/// device or pipe), its size checked from the open file's metadata before anything is
/// read, and the reading itself bounded (a file that grows while it is read is refused
/// too). Memory is at most the size limit.
pub fn read_input(path: &std::path::Path, limits: &Limits) -> Result<InputFile, ReadError> {
    let io = |e: std::io::Error| ReadError::Io(e.to_string());
    // Looked at first without following links and without opening: opening a device can
    // have effects of its own.
    let kind = std::fs::symlink_metadata(path).map_err(io)?.file_type();
    if kind.is_symlink() {
        return Err(ReadError::Symlink);
    }
    if !kind.is_file() {
        return Err(ReadError::NotRegular);
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The file may have been swapped for a link or a pipe since: refuse a link at open
        // and never block on a pipe; the checks below use the opened file itself.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) => {
            let _ = e;
            return Err(ReadError::Symlink);
        }
        Err(e) => return Err(io(e)),
    };
    let limit = limits.max_file_bytes;
    let (bytes, mode) = crate::sys::fs::read_open_file(file, limit).map_err(|e| match e {
        crate::sys::fs::BoundedRead::NotRegular => ReadError::NotRegular,
        crate::sys::fs::BoundedRead::TooLarge(bytes) => ReadError::TooLarge { bytes, limit },
        crate::sys::fs::BoundedRead::Io(e) => io(e),
    })?;
    Ok(InputFile { bytes, mode })
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
fn prescan_zip(bytes: &[u8], limits: &Limits) -> Result<Inflated, ReadError> {
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
    let inflated = scan_xml_parts(bytes, &mut archive, limits)?;
    if let Some((index, size)) = shared_strings {
        // The scan has the part inflated already, as a rule; only its head is read.
        let kept = inflated.as_ref().and_then(|parts| parts.iter().find(|(i, _)| *i == index));
        let declared = match kept {
            Some((_, part)) => unique_count(part.get(..4096).unwrap_or(part)),
            None => declared_string_count(&mut archive, index)?,
        };
        // `<si/>` is the shortest possible entry: five bytes.
        if declared > size / 5 + 16 || declared > 5_000_000 {
            return Err(ReadError::Bomb {
                entry: "xl/sharedStrings.xml".into(),
                detail: format!("declares {declared} texts in {size} bytes"),
            });
        }
    }
    Ok(inflated)
}

/// The XML parts the scan inflated, by entry index, for the loader to read without
/// inflating them again; `None` for a package whose XML parts are larger in all than
/// [`Limits::max_shared_inflated`] (then the loader reads the package itself).
type Inflated = Option<Vec<(usize, Vec<u8>)>>;

/// Streams every XML part (`.xml`, `.rels`, `.vml`) once, in constant memory, and refuses
/// a package where one text, tag, comment or CDATA section, or one shared or inline string
/// (`<si>`, `<is>`, with all its runs), is longer than [`Limits::max_text_bytes`], or where
/// the shared strings are more than [`Limits::max_strings`]. The XML readers used later
/// (calamine's and the annotator's) hold such a token in memory whole, so this is what
/// bounds their memory. Inflating is bounded too: a zip entry may lie about its size.
fn scan_xml_parts(
    bytes: &[u8],
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    limits: &Limits,
) -> Result<Inflated, ReadError> {
    let mut total: u64 = 0;
    let mut kept: Inflated = Some(Vec::new());
    // Memory set aside for the kept parts so far: reservations follow declared sizes, which
    // may lie, so they are bounded in all and not only by what was inflated.
    let mut reserved: u64 = 0;
    for i in 0..archive.len() {
        let raw = archive.by_index_raw(i).map_err(|e| ReadError::Corrupt(zip_reason(&e)))?;
        let name = raw.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("#{i}"));
        let lower = name.to_lowercase();
        if !(lower.ends_with(".xml") || lower.ends_with(".rels") || lower.ends_with(".vml")) {
            continue;
        }
        let method = raw.compression();
        let mut scan = XmlScan::new(limits.max_text_bytes);
        let mut read: u64 = 0;
        // Kept for the loader while the parts stay small in all.
        // An encrypted part is not kept: its bytes are not the part (the loader refuses it).
        if raw.encrypted() {
            kept = None;
        }
        let (declared_size, declared_crc) = (raw.size(), raw.crc32());
        // The entry's bytes as stored, straight from the package.
        let data = raw
            .data_start()
            .and_then(|start| {
                let start = usize::try_from(start).ok()?;
                bytes.get(start..start.checked_add(usize::try_from(raw.compressed_size()).ok()?)?)
            })
            .ok_or_else(|| ReadError::Corrupt(format!("{name}: the entry's data lies outside the file")))?;
        drop(raw);
        let room = limits.max_shared_inflated.saturating_sub(reserved).min(declared_size).min(1 << 20);
        let mut part = kept.as_ref().map(|_| Vec::with_capacity(usize::try_from(room).unwrap_or(0)));
        let mut crc = crc32fast::Hasher::new();
        let mut feed = |bytes: &[u8]| -> Result<(), ReadError> {
            read += bytes.len() as u64;
            total += bytes.len() as u64;
            if total > limits.max_shared_inflated {
                part = None;
            }
            if let Some(part) = &mut part {
                part.extend_from_slice(bytes);
                crc.update(bytes);
            }
            if read > limits.max_entry_bytes || total > limits.max_total_bytes {
                return Err(ReadError::Bomb {
                    entry: name.clone(),
                    detail: format!("inflates past its limit ({} MB)", limits.max_entry_bytes / (1024 * 1024)),
                });
            }
            if scan.feed(bytes).is_err() {
                return Err(ReadError::TextTooLong { entry: name.clone(), limit: limits.max_text_bytes });
            }
            if scan.strings > limits.max_strings {
                return Err(ReadError::TooManyTexts { entry: name.clone(), limit: limits.max_strings });
            }
            Ok(())
        };
        match method {
            zip::CompressionMethod::Stored => feed(data)?,
            zip::CompressionMethod::Deflated => {
                crate::sys::inflate::inflate(data, &mut |chunk| feed(chunk).map(|()| true), ReadError::Corrupt)?;
            }
            _ => return Err(ReadError::Corrupt(zip_reason(&zip::result::ZipError::UnsupportedArchive("")))),
        }
        // A part that is not what its entry declares (size, checksum) is not handed over: the
        // loader reads the package itself and finds the fault as before.
        match (part, &mut kept) {
            (Some(part), Some(list)) if part.len() as u64 == declared_size && crc.finalize() == declared_crc => {
                reserved = reserved.saturating_add(part.capacity() as u64);
                list.push((i, part));
            }
            _ => kept = None,
        }
    }
    Ok(kept)
}

/// Where the byte scanner of [`XmlScan`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ScanState {
    Text,
    Tag,
    CData,
    Comment,
}

/// A byte-level XML scanner that measures tokens without keeping them: text runs, tags,
/// comments and CDATA sections, and the span of each `<si>` / `<is>` element. It does not
/// check well-formedness (the real parsers do); it only has to never underestimate a
/// token that a parser would hold in memory.
struct XmlScan {
    limit: u64,
    state: ScanState,
    /// Bytes in the current text run, tag, comment or CDATA section.
    run: u64,
    /// The first bytes of the current tag (its name), enough to recognise `si`, `is`,
    /// `![CDATA[` and `!--`.
    name: [u8; 16],
    name_len: usize,
    name_done: bool,
    /// The last two bytes seen, for `/>`, `]]>` and `-->`.
    last: [u8; 2],
    /// Bytes since the current `<si>` / `<is>` opened.
    span: Option<u64>,
    /// `<si>` elements seen.
    strings: u64,
}

impl XmlScan {
    fn new(limit: u64) -> XmlScan {
        XmlScan {
            limit,
            state: ScanState::Text,
            run: 0,
            name: [0; 16],
            name_len: 0,
            name_done: false,
            last: [0; 2],
            span: None,
            strings: 0,
        }
    }

    /// Feeds the next bytes; `Err` when a token or string is over the limit.
    fn feed(&mut self, bytes: &[u8]) -> Result<(), ()> {
        let mut rest = bytes;
        while !rest.is_empty() {
            if self.state == ScanState::Text {
                // Fast path: a whole text run up to the next tag.
                let (text, after) = match memchr::memchr(b'<', rest) {
                    Some(i) => (i, true),
                    None => (rest.len(), false),
                };
                self.grow(text as u64)?;
                if let Some(last) = text.checked_sub(1).and_then(|i| rest.get(i)) {
                    self.last = [self.last[1], *last];
                }
                rest = rest.get(text..).unwrap_or_default();
                if after {
                    self.state = ScanState::Tag;
                    self.run = 0;
                    self.name_len = 0;
                    self.name_done = false;
                    self.grow(1)?;
                    self.last = [self.last[1], b'<'];
                    rest = rest.get(1..).unwrap_or_default();
                }
                continue;
            }
            // Fast path: inside a tag whose name is known, a comment or a CDATA section,
            // only a `>` (and the two bytes before it) can change anything; the bytes up
            // to it are only counted.
            if self.name_done || self.state != ScanState::Tag {
                let upto = memchr::memchr(b'>', rest).unwrap_or(rest.len());
                if upto > 0 {
                    let (skipped, after) = rest.split_at(upto);
                    self.grow(upto as u64)?;
                    self.last = match skipped {
                        [.., a, b] => [*a, *b],
                        [b] => [self.last[1], *b],
                        [] => self.last,
                    };
                    rest = after;
                    continue;
                }
            }
            let Some((&b, tail)) = rest.split_first() else { break };
            rest = tail;
            self.grow(1)?;
            match self.state {
                ScanState::Tag => {
                    if !self.name_done {
                        if b.is_ascii_whitespace() || b == b'>' || (b == b'/' && self.name_len > 0) {
                            self.name_done = true;
                        } else if let Some(slot) = self.name.get_mut(self.name_len) {
                            *slot = b;
                            self.name_len += 1;
                            let name = self.name.get(..self.name_len).unwrap_or_default();
                            if name == b"![CDATA[" {
                                self.state = ScanState::CData;
                                self.run = 0;
                            } else if name == b"!--" {
                                self.state = ScanState::Comment;
                                self.run = 0;
                            }
                        }
                    }
                    if b == b'>' && self.state == ScanState::Tag {
                        self.end_tag(self.last[1] == b'/');
                        self.state = ScanState::Text;
                        self.run = 0;
                    }
                }
                ScanState::CData if b == b'>' && self.last == *b"]]" => {
                    self.state = ScanState::Text;
                    self.run = 0;
                }
                ScanState::Comment if b == b'>' && self.last == *b"--" => {
                    self.state = ScanState::Text;
                    self.run = 0;
                }
                _ => {}
            }
            self.last = [self.last[1], b];
        }
        Ok(())
    }

    /// Counts `n` more bytes of the current token (and of an open string).
    fn grow(&mut self, n: u64) -> Result<(), ()> {
        self.run += n;
        if let Some(span) = self.span.as_mut() {
            *span += n;
            if *span > self.limit {
                return Err(());
            }
        }
        if self.run > self.limit { Err(()) } else { Ok(()) }
    }

    /// A tag ended: opens or closes a string span.
    fn end_tag(&mut self, self_closing: bool) {
        let name = self.name.get(..self.name_len).unwrap_or_default();
        let (closing, name) = match name.split_first() {
            Some((b'/', rest)) => (true, rest),
            _ => (false, name),
        };
        let local = name.rsplit(|b| *b == b':').next().unwrap_or_default();
        if local != b"si" && local != b"is" {
            return;
        }
        if local == b"si" && !closing {
            self.strings += 1;
        }
        if closing {
            self.span = None;
        } else if !self_closing {
            self.span = Some(0);
        }
    }
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

/// The `uniqueCount` attribute of the shared strings table, from its first 4 KB.
fn declared_string_count(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, index: usize) -> Result<u64, ReadError> {
    let mut head = Vec::with_capacity(4096);
    {
        let entry = archive.by_index(index).map_err(|e| ReadError::Corrupt(zip_reason(&e)))?;
        entry.take(4096).read_to_end(&mut head).map_err(|e| ReadError::Corrupt(e.to_string()))?;
    }
    Ok(unique_count(&head))
}

/// The `uniqueCount` attribute in the head of the shared strings table (0 when absent).
fn unique_count(head: &[u8]) -> u64 {
    let head = String::from_utf8_lossy(head);
    // Only `uniqueCount` is what calamine reserves memory for; `count` is the number of
    // cells that refer to the table, which a legitimate workbook with one text in many
    // cells (5,000 rows of "Styregruppe") has far more of than entries.
    let attr = "uniqueCount=\"";
    let Some(pos) = head.find(attr) else { return 0 };
    let digits: String = head[pos + attr.len()..].chars().take_while(char::is_ascii_digit).collect();
    // A count too long to parse is itself absurd.
    if digits.len() > 18 { u64::MAX } else { digits.parse().unwrap_or(0) }
}

/// Reads the sheets whose names `wanted` accepts (all others are only listed), with the
/// limits applied. Never panics on any input: calamine runs under a panic guard.
pub fn read_workbook(bytes: &[u8], wanted: &dyn Fn(&str) -> bool, limits: &Limits) -> Result<RawWorkbook, ReadError> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ReadError::TooLarge { bytes: bytes.len() as u64, limit: limits.max_file_bytes });
    }
    sniff(bytes)?;
    let inflated = prescan_zip(bytes, limits)?;
    // calamine reads the XML parts the scan has inflated already, from a copy of the package
    // that stores them uncompressed; without such a copy it reads the package itself.
    // Not for a large package (mostly pictures, say): copying it would cost more than it saves.
    let stored =
        inflated.filter(|_| bytes.len() as u64 <= limits.max_shared_inflated).and_then(|p| stored_copy(bytes, p));
    crate::sys::panic_guard::catch(|| read_cells(stored.as_deref().unwrap_or(bytes), wanted, limits))
        .unwrap_or_else(|panic| Err(ReadError::Corrupt(format!("intern læsefejl / internal reader failure: {panic}"))))
}

/// The package with the given (inflated) parts stored uncompressed and every other entry
/// copied raw, in the original order and under the original names: the same package to
/// any reader, which then only copies and checksums what the scan inflated (issue 24).
/// `None` when it cannot be written (the package is then read as it is).
fn stored_copy(bytes: &[u8], parts: Vec<(usize, Vec<u8>)>) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let inflated_len: usize = parts.iter().map(|(_, p)| p.len()).sum();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() + inflated_len)));
    let mut parts = parts.into_iter().peekable();
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored).large_file(false);
    for i in 0..archive.len() {
        match parts.next_if(|(index, _)| *index == i) {
            Some((_, part)) => {
                let name = archive.name_for_index(i)?.ok()?.to_string();
                out.start_file(name, stored).ok()?;
                out.write_all(&part).ok()?;
            }
            None => out.raw_copy_file(archive.by_index_raw(i).ok()?).ok()?,
        }
    }
    Some(out.finish().ok()?.into_inner())
}

fn read_cells(bytes: &[u8], wanted: &dyn Fn(&str) -> bool, limits: &Limits) -> Result<RawWorkbook, ReadError> {
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let date1904 = xlsx.has_1904_epoch();
    let metadata: Vec<(String, bool)> =
        xlsx.sheets_metadata().iter().map(|s| (s.name.clone(), !matches!(s.visible, SheetVisible::Visible))).collect();
    // Sheet names are kept clipped: every finding on a sheet carries its name.
    let shown = |name: &str| crate::text::clip_units(name, crate::text::MAX_SHEET_NAME_CHARS);
    let mut workbook =
        RawWorkbook { sheet_names: metadata.iter().map(|(n, _)| shown(n)).collect(), sheets: Vec::new(), date1904 };
    let mut cells_total = 0usize;
    let mut records_total = 0usize;
    let mut text_total = 0usize;
    for (name, hidden) in metadata {
        if !wanted(&name) || workbook.sheet(&shown(&name)).is_some() {
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
            let Some(value) = convert(cell.get_value(), date1904, limits.max_cell_chars) else {
                continue;
            };
            if row > limits.max_row || col > limits.max_col {
                return Err(ReadError::OutOfRange {
                    sheet: name.clone(),
                    cell: crate::model::cell::CellRef::new(row, col).to_string(),
                });
            }
            cells_total += 1;
            if cells_total > limits.max_cells {
                return Err(ReadError::TooManyCells { limit: limits.max_cells });
            }
            if let CellValue::Text(t) = &value {
                text_total += t.len();
                if text_total > limits.max_text_total {
                    return Err(ReadError::TooMuchText { limit: limits.max_text_total });
                }
            }
            cells.push(RawCell { row, col, value });
        }
        let mut sheet = RawSheet::new(shown(&name), cells);
        sheet.hidden = hidden;
        workbook.sheets.push(sheet);
    }
    Ok(workbook)
}

fn xlsx_error(e: &calamine::XlsxError) -> ReadError {
    match e {
        calamine::XlsxError::Password => ReadError::Encrypted,
        calamine::XlsxError::Zip(z) => ReadError::Corrupt(zip_reason(z)),
        other => ReadError::Corrupt(crate::text::clip(&other.to_string(), 200)),
    }
}

fn convert(value: &DataRef<'_>, date1904: bool, max_chars: usize) -> Option<CellValue> {
    Some(match value {
        DataRef::Empty => return None,
        DataRef::Int(i) => CellValue::Number(*i as f64),
        DataRef::Float(f) => CellValue::Number(*f),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::String(s) if is_blank(s) => return None,
        DataRef::SharedString(s) if is_blank(s) => return None,
        DataRef::String(s) => CellValue::Text(crate::text::clip_units(s, max_chars)),
        DataRef::SharedString(s) => CellValue::Text(crate::text::clip_units(s, max_chars)),
        DataRef::DateTime(dt) if dt.is_datetime() => match date_from_serial(dt.as_f64(), date1904) {
            Some(d) => CellValue::Date(d),
            None => CellValue::Number(dt.as_f64()),
        },
        DataRef::DateTime(dt) => CellValue::Number(dt.as_f64()),
        DataRef::DateTimeIso(s) => match parse_date_text(s) {
            Some(d) => CellValue::Date(d),
            None => CellValue::Text(crate::text::clip_units(s, max_chars)),
        },
        DataRef::DurationIso(s) => CellValue::Text(crate::text::clip_units(s, max_chars)),
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

    fn scan(xml: &str, limit: u64, chunk: usize) -> (Result<(), ()>, u64) {
        let mut sc = XmlScan::new(limit);
        for piece in xml.as_bytes().chunks(chunk) {
            if sc.feed(piece).is_err() {
                return (Err(()), sc.strings);
            }
        }
        (Ok(()), sc.strings)
    }

    #[test]
    fn the_xml_scan_measures_tokens_and_strings_across_chunks() {
        for chunk in [1, 3, 7, 4096] {
            let ok = "<sst><si><t>abc</t></si><si/><si><r><t>x</t></r><r><t>y</t></r></si></sst>";
            assert_eq!(scan(ok, 100, chunk), (Ok(()), 3), "chunk {chunk}");
            // One text run, one tag, one comment, one CDATA section over the limit.
            assert!(scan(&format!("<a>{}</a>", "x".repeat(101)), 100, chunk).0.is_err());
            assert!(scan(&format!("<a b=\"{}\"/>", "x".repeat(101)), 100, chunk).0.is_err());
            assert!(scan(&format!("<a><!--{}--></a>", "-<>".repeat(40)), 100, chunk).0.is_err());
            assert!(scan(&format!("<a><![CDATA[{}]]></a>", "<b>".repeat(40)), 100, chunk).0.is_err());
            // Short runs adding up inside one string (shared or inline).
            let runs = "<r><t>0123456789</t></r>".repeat(5);
            assert!(scan(&format!("<sst><si>{runs}</si></sst>"), 100, chunk).0.is_err());
            assert!(scan(&format!("<c><x:is>{runs}</x:is></c>"), 100, chunk).0.is_err());
            assert!(scan(&format!("<sst><si>{runs}</si><si>{runs}</si></sst>"), 200, chunk).0.is_ok());
            // Many short tokens are fine; so is a CDATA or comment that closes in time.
            assert!(scan(&"<a>x</a>".repeat(1000), 100, chunk).0.is_ok());
            assert!(scan("<a><![CDATA[a]]b>]]></a><!-- - -- -->", 100, chunk).0.is_ok());
            // A tag's attributes are skipped in one step: a self-closing `<si …/>` is a
            // string that holds nothing, so text after it counts towards no string …
            let text = "x".repeat(60);
            let closed = format!("<sst><si a=\"1\" b=\"2/\"/><u>{text}</u><u>{text}</u></sst>");
            assert_eq!(scan(&closed, 100, chunk), (Ok(()), 1), "chunk {chunk}");
            // … while an open `<si …>` with attributes does (the near miss: 120 > 100).
            let open = format!("<sst><si a=\"1\" b=\"2/\"><u>{text}</u><u>{text}</u></si></sst>");
            assert!(scan(&open, 100, chunk).0.is_err(), "chunk {chunk}");
            // A long tag of attributes is one token.
            assert!(scan(&format!("<a{}/>", " b=\"c\"".repeat(20)), 100, chunk).0.is_err());
            assert!(scan(&format!("<a{}/>", " b=\"c\"".repeat(10)), 100, chunk).0.is_ok());
        }
    }

    #[test]
    fn every_xml_part_is_scanned_stored_or_deflated() {
        use std::io::Write;
        let limits = Limits { max_text_bytes: 1000, ..Limits::default() };
        for method in [zip::CompressionMethod::Stored, zip::CompressionMethod::Deflated] {
            let package = |sheet: &str| {
                let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
                let options = zip::write::SimpleFileOptions::default().compression_method(method);
                for (name, content) in [("xl/workbook.xml", "<workbook/>"), ("xl/worksheets/sheet1.xml", sheet)] {
                    w.start_file(name, options).unwrap();
                    w.write_all(content.as_bytes()).unwrap();
                }
                w.finish().unwrap().into_inner()
            };
            let ok = package(&format!("<worksheet>{}</worksheet>", "<c><v>1</v></c>".repeat(10_000)));
            let sheet = format!("<worksheet>{}</worksheet>", "<c><v>1</v></c>".repeat(10_000));
            // The parts as inflated, kept for the loader – or not, past the limit.
            let kept = vec![(0, b"<workbook/>".to_vec()), (1, sheet.clone().into_bytes())];
            assert_eq!(prescan_zip(&ok, &limits), Ok(Some(kept)), "{method:?}");
            let small = Limits { max_shared_inflated: sheet.len() as u64, ..limits };
            assert_eq!(prescan_zip(&ok, &small), Ok(None), "{method:?}");
            let long =
                package(&format!("<worksheet><c t=\"inlineStr\"><is><t>{}</t></is></c></worksheet>", "y".repeat(2000)));
            assert_eq!(
                prescan_zip(&long, &limits),
                Err(ReadError::TextTooLong { entry: "xl/worksheets/sheet1.xml".into(), limit: 1000 }),
                "{method:?}"
            );
        }
    }

    #[test]
    fn the_loader_reads_the_same_from_the_scans_parts_as_from_the_package() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("Stamdata").unwrap();
        ws.write_string(0, 0, "Projekt-ID").unwrap();
        ws.write_string(0, 1, "OS2forms").unwrap();
        ws.write_number(1, 1, 1_800_000.5).unwrap();
        ws.write_boolean(2, 1, true).unwrap();
        let hidden = wb.add_worksheet();
        hidden.set_name("Skjult").unwrap().set_hidden(true);
        hidden.write_string(4, 3, "æøå – “citat”").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let all = |_: &str| true;
        let dump = |w: &RawWorkbook| {
            let sheets: Vec<_> = w.sheets.iter().map(|s| (s.name.clone(), s.hidden, s.cells.clone())).collect();
            (w.sheet_names.clone(), w.date1904, sheets)
        };
        let shared = read_workbook(&bytes, &all, &Limits::default()).unwrap();
        let own = read_workbook(&bytes, &all, &Limits { max_shared_inflated: 0, ..Limits::default() }).unwrap();
        assert_eq!(dump(&shared), dump(&own));
        assert_eq!(shared.sheet("Stamdata").unwrap().get(0, 1), Some(&CellValue::Text("OS2forms".into())));
        assert_eq!(shared.sheet("Skjult").unwrap().get(4, 3), Some(&CellValue::Text("æøå – “citat”".into())));
        // A part whose checksum does not match its data is not handed over in a copy that
        // would carry an honest one: the loader reads the package itself, as before (and
        // decides as before: calamine stops reading a sheet at its end, before the checksum).
        let crc =
            zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap().by_name("xl/worksheets/sheet1.xml").unwrap().crc32();
        let mut bad = bytes.clone();
        let (from, to) = (crc.to_le_bytes(), (crc ^ 1).to_le_bytes());
        for i in 0..bad.len() - 4 {
            if bad[i..i + 4] == from {
                bad[i..i + 4].copy_from_slice(&to);
            }
        }
        assert_eq!(prescan_zip(&bad, &Limits::default()), Ok(None));
        // The copy calamine reads stores the parts the scan inflated, under the same names.
        let parts = prescan_zip(&bytes, &Limits::default()).unwrap().unwrap();
        let copy = stored_copy(&bytes, parts).unwrap();
        let (original, stored) = (
            zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap(),
            zip::ZipArchive::new(Cursor::new(&copy[..])).unwrap(),
        );
        let names = |z: &zip::ZipArchive<_>| z.file_names().map(|n| n.unwrap().into_owned()).collect::<Vec<_>>();
        assert_eq!(names(&original), names(&stored));
    }

    #[test]
    fn a_shared_strings_table_is_judged_by_its_unique_count() {
        use std::io::Write;
        let package = |sst: &str| {
            let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let options = zip::write::SimpleFileOptions::default();
            for (name, content) in [("xl/workbook.xml", "<workbook/>"), ("xl/sharedStrings.xml", sst)] {
                w.start_file(name, options).unwrap();
                w.write_all(content.as_bytes()).unwrap();
            }
            w.finish().unwrap().into_inner()
        };
        // Declaring a hundred million entries in a few bytes: calamine would reserve them.
        let bomb = package("<sst count=\"1\" uniqueCount=\"100000000\"><si><t>a</t></si></sst>");
        assert!(matches!(prescan_zip(&bomb, &Limits::default()), Err(ReadError::Bomb { .. })));
        // Near miss: one text in 20,000 cells (count) is two entries (uniqueCount).
        let repeated =
            package("<sst count=\"20000\" uniqueCount=\"2\"><si><t>Styregruppe</t></si><si><t>Ja</t></si></sst>");
        assert!(prescan_zip(&repeated, &Limits::default()).is_ok());
    }

    #[test]
    fn names_compare_loosely() {
        assert!(same_name(" Krav ", "krav"));
        assert!(same_name("Min.  organisationer", "min. organisationer"));
        assert!(!same_name("Krav", "Kravs"));
    }
}
