//! When a workbook says it was last saved: `dcterms:modified` in `docProps/core.xml`,
//! which Excel and LibreOffice write on every save. Used to tell which of several
//! submissions of one project is the current one (see `check::portfolio::current`).
//! Bounded: the part is read only up to [`MAX_CORE_BYTES`]; anything unexpected is "not
//! known", never an error.

use chrono::{DateTime, FixedOffset};
use std::io::{Cursor, Read};

/// The most of `docProps/core.xml` that is read (a real one is well under 2 KB).
pub const MAX_CORE_BYTES: u64 = 64 * 1024;

/// The workbook's own last-saved time, when its package has a readable one.
pub fn saved_at(bytes: &[u8]) -> Option<DateTime<FixedOffset>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let index = (0..archive.len()).find(|i| {
        archive
            .name_for_index(*i)
            .is_some_and(|n| n.is_ok_and(|n| n.trim_start_matches('/').eq_ignore_ascii_case("docProps/core.xml")))
    })?;
    let entry = archive.by_index(index).ok()?;
    let mut xml = Vec::new();
    entry.take(MAX_CORE_BYTES).read_to_end(&mut xml).ok()?;
    modified_in(&String::from_utf8_lossy(&xml))
}

/// `dcterms:modified` (any namespace prefix) from a core properties part, read as W3CDTF
/// (`2026-11-20T10:15:00Z`, with or without fractions or an offset).
fn modified_in(xml: &str) -> Option<DateTime<FixedOffset>> {
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
        let name = &rest[..name_end];
        let local = name.rsplit(':').next().unwrap_or(name);
        if local != "modified" {
            continue;
        }
        let open_end = rest.find('>')?;
        let body = &rest[open_end + 1..];
        let text = &body[..body.find('<')?];
        return parse_w3c(text.trim());
    }
    None
}

fn parse_w3c(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s).ok().or_else(|| {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").ok().map(|n| n.and_utc().fixed_offset())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_modified_time_with_any_prefix() {
        let xml = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dcterms="y"><dc:creator>A</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T08:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-20T10:15:00Z</dcterms:modified></cp:coreProperties>"#;
        assert_eq!(modified_in(xml).unwrap().to_rfc3339(), "2026-11-20T10:15:00+00:00");
        let other = xml.replace("dcterms:", "t:");
        assert_eq!(modified_in(&other).unwrap().to_rfc3339(), "2026-11-20T10:15:00+00:00");
        // Fractions and offsets, as LibreOffice writes them.
        let lo = "<p><dcterms:modified>2026-11-20T11:15:00.123456789+01:00</dcterms:modified></p>";
        assert_eq!(modified_in(lo).unwrap().timestamp(), modified_in(xml).unwrap().timestamp());
        // Near misses: no modified element, or text that is no time.
        assert!(modified_in("<p><dcterms:created>2026-11-20T10:15:00Z</dcterms:created></p>").is_none());
        assert!(modified_in("<p><dcterms:modified>i går</dcterms:modified></p>").is_none());
    }

    #[test]
    fn a_workbook_written_here_has_one_and_garbage_has_none() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let when = rust_xlsxwriter::ExcelDateTime::parse_from_str("2026-11-20T10:15:00").unwrap();
        wb.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&when));
        wb.add_worksheet();
        let bytes = wb.save_to_buffer().unwrap();
        assert_eq!(saved_at(&bytes).unwrap().to_rfc3339(), "2026-11-20T10:15:00+00:00");
        assert!(saved_at(b"not a zip").is_none());
    }
}
