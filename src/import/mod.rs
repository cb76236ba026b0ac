//! Self-assessments in the forms OS2's products already publish, in both directions:
//! `os2gov import` reads a governance report (Markdown: the old checklist or the 2025
//! template) or the self-evaluation form's JSON into a [`source::SourceReport`], maps its rows onto
//! the current requirement catalogue ([`mapping`]) and writes a projektark with an
//! `Import` sheet ([`workbook`]); `os2gov report` writes a projektark's answers back as a
//! 2025-form Markdown report ([`publish`]).
//!
//! Reading never guesses: what cannot be placed on a requirement is kept, with the
//! reason, on the Import sheet and in the command's output. Nothing here knows the
//! catalogue's requirements; they come from the loaded [`crate::model::rules::Rules`].

pub mod clean;
pub mod json;
pub mod mapping;
pub mod markdown;
pub mod publish;
pub mod similarity;
pub mod source;
pub mod workbook;

use crate::text::t;
use source::{EXPECTED_DA, EXPECTED_EN, MAX_SOURCE_BYTES, NotImported, SourceReport};

/// Reads a source file in whichever of the three forms it is.
pub fn read_source(bytes: &[u8]) -> Result<SourceReport, NotImported> {
    if bytes.len() > MAX_SOURCE_BYTES {
        let mb = bytes.len() / (1024 * 1024);
        return Err(NotImported(t!(
            "filen er for stor ({mb} MB) til at være en governancerapport; højst 10 MB.",
            "the file is too large ({mb} MB) to be a governance report; at most 10 MB."
        )));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(NotImported(t!(
            "filen er et regneark eller et Office-dokument. os2gov import læser governancerapporter (.md) og selvevalueringsformularens JSON; et projektark kontrolleres med os2gov check.",
            "the file is a spreadsheet or an Office document. os2gov import reads governance reports (.md) and the self-evaluation form's JSON; a projektark is checked with os2gov check."
        )));
    }
    let (text, encoding_note) = clean::decode(bytes).ok_or_else(|| {
        NotImported(t!(
            "filen er ikke tekst (den indeholder binære data). {EXPECTED_DA}",
            "the file is not text (it holds binary data). {EXPECTED_EN}"
        ))
    })?;
    let mut report =
        if text.trim_start().starts_with(['{', '[']) { json::read(&text)? } else { markdown::read(&text)? };
    if let Some(note) = encoding_note {
        report.notes.insert(0, note);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        /// Whatever a file holds, reading it gives a report or a reason – never a panic.
        #[test]
        fn any_text_is_read_or_refused(text in "(\\PC|[|#*_\\[\\]()<>&\n\r-]){0,400}") {
            let _ = read_source(text.as_bytes());
            let table = format!("| | # | Krav |\n|-|-|-|\n{text}");
            let _ = read_source(table.as_bytes());
        }

        #[test]
        fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = read_source(&bytes);
        }
    }

    #[test]
    fn workbooks_and_binary_files_are_refused_with_a_reason() {
        assert!(read_source(b"PK\x03\x04rest").unwrap_err().0.da.contains("regneark"));
        assert!(read_source(b"\x01\x00\x02").unwrap_err().0.en.contains("not text"));
        let huge = vec![b'a'; MAX_SOURCE_BYTES + 1];
        assert!(read_source(&huge).unwrap_err().0.en.contains("too large"));
    }

    #[test]
    fn pathological_markup_is_read_quickly() {
        let started = std::time::Instant::now();
        for text in ["<a".repeat(100_000), "[".repeat(100_000), "|".repeat(100_000), "| a |\n|---|\n".repeat(20_000)] {
            let _ = read_source(text.as_bytes());
        }
        assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
    }
}
