//! Self-assessments in the forms OS2's products already publish, in both directions:
//! `os2gov import` reads a governance report (Markdown: the old checklist or the 2025
//! template) or the self-evaluation form's JSON into a [`SourceReport`], maps its rows onto
//! the current requirement catalogue ([`mapping`]) and writes a projektark with an
//! `Import` sheet ([`workbook`]); `os2gov report` writes a projektark's answers back as a
//! 2025-form Markdown report ([`publish`]).
//!
//! Reading never guesses: what cannot be placed on a requirement is kept, with the
//! reason, on the Import sheet and in the command's output. Nothing here knows the
//! catalogue's requirements; they come from the loaded [`crate::rules::Rules`].

pub mod clean;
pub mod command;
pub mod json;
pub mod mapping;
pub mod markdown;
pub mod publish;
pub mod similarity;
pub mod workbook;

use crate::model::choice::Answer;
use crate::t;
use crate::text::Text;

/// Which published form a source is in. The form decides how far a requirement ID can be
/// trusted: the old checklist numbers requirements after the older catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// The old governance checklist (`GOVERNANCE_REPORT.md`): checkboxes, Henvisning, Niveau 0–3.
    Checklist,
    /// The 2025 governance template (`governance_template.md`) and its later versions:
    /// ✅ ❌ ➖ ❓ markers or an Efterlevet? column.
    Template2025,
    /// The self-evaluation form's JSON export.
    Json,
}

impl Form {
    pub fn label(self) -> Text {
        match self {
            Form::Checklist => {
                t!("governancerapport, gammel tjekliste (Markdown)", "governance report, old checklist (Markdown)")
            }
            Form::Template2025 => {
                t!("governancerapport, 2025-skabelonen (Markdown)", "governance report, 2025 template (Markdown)")
            }
            Form::Json => t!("selvevalueringsformularens JSON", "the self-evaluation form's JSON"),
        }
    }

    /// True when the source numbers its requirements after the current (2025) catalogue.
    pub fn current_ids(self) -> bool {
        !matches!(self, Form::Checklist)
    }
}

/// The answer a source gives for one requirement, before mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceAnswer {
    /// Met, not met, not relevant or unsure.
    Given(Answer),
    /// A word beyond the four, read by the answer-word table ([`clean::answer_word`]):
    /// `Planlagt` → Nej (with the word as Forklaring), `?` → Ved ikke.
    Word { word: String, answer: Answer, rule: clean::WordRule },
    /// Blank, unchecked, `null`: not claimed, not evaluated. Never read as Nej.
    Blank,
    /// Something that is none of the answers (e.g. `Planlagt`), kept as written.
    Unknown(String),
}

impl SourceAnswer {
    /// The answer as the source wrote it, for the Import sheet (blank for blank).
    pub fn display(&self) -> String {
        match self {
            SourceAnswer::Given(a) => a.da().to_string(),
            SourceAnswer::Word { word, .. } => word.clone(),
            SourceAnswer::Blank => String::new(),
            SourceAnswer::Unknown(s) => s.clone(),
        }
    }
}

/// One requirement row of a source report.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRow {
    /// The requirement ID as written (cleaned: `R1`, `F10`); may be empty.
    pub id: String,
    /// The requirement text, cleaned of Markdown (links as `text (url)`).
    pub text: String,
    /// The section or category the row stood under (`RELEVANS`, `formkrav`), if any.
    pub theme: Option<String>,
    /// The text was marked as a recommendation (italic or "(anbefaling)").
    pub recommendation: bool,
    pub answer: SourceAnswer,
    /// Documentation / Henvisning, cleaned; the forms' own hints and placeholders removed
    /// (see `placeholder`).
    pub documentation: String,
    /// An explanation (comply-or-explain), when the source separates one out.
    pub explanation: String,
    /// The forms' own text the source had in its documentation (`Hvor?`, `[Ikke udfyldt]`,
    /// `fx link til referat`), removed from it.
    pub placeholder: Option<String>,
    /// Where the row is: a line number (Markdown) or an index (JSON), 1-based.
    pub line: usize,
}

/// What a source says about the project besides the requirement rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceReport {
    pub form: Option<Form>,
    pub product_name: Option<String>,
    pub filled_by: Option<String>,
    /// The fill-in date as written (it is parsed when the workbook is made).
    pub filled_date: Option<String>,
    pub repository: Option<String>,
    /// The licence as the source names it in its document block (`Licens: MPL 2.0`).
    pub licence: Option<String>,
    pub rows: Vec<SourceRow>,
    /// What was read but not imported (ignored columns and tables, odd rows), for the
    /// Import sheet: nothing is dropped without a word.
    pub notes: Vec<Text>,
}

/// Why a file could not be imported at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotImported(pub Text);

/// The file size above which a source is refused (published reports are a few tens of KB).
pub const MAX_SOURCE_BYTES: usize = 10 * 1024 * 1024;

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

/// What the three readable forms are, for messages about a file that is none of them.
pub const EXPECTED_DA: &str = "os2gov import læser en governancerapport i Markdown (OS2's gamle tjekliste eller 2025-skabelonen: tabeller med kolonnerne #, Krav og en markering) eller selvevalueringsformularens JSON (productName, filledBy, filledDate og krav[] med id, krav og efterlevet).";
pub const EXPECTED_EN: &str = "os2gov import reads a governance report in Markdown (OS2's old checklist or the 2025 template: tables with the columns #, Krav and a marker) or the self-evaluation form's JSON (productName, filledBy, filledDate and krav[] with id, krav and efterlevet).";

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
