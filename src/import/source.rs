//! A published self-assessment as read, before it is mapped onto the catalogue: its form,
//! metadata and rows ([`SourceReport`]), and why a file could not be read at all.

use crate::model::choice::Answer;
use crate::text::{Text, t};

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
    /// A word beyond the four, read by the answer-word table ([`super::clean::answer_word`]):
    /// `Planlagt` → Nej (with the word as Forklaring), `?` → Ved ikke.
    Word { word: String, answer: Answer, rule: WordRule },
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

/// The rule a word beyond the four answers was read by (the answer-word table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordRule {
    /// Planned, under way, awaiting, partly: not (yet) met. → Nej, with the word and the
    /// documentation as Forklaring: an explained deviation the secretariat can assess.
    NotYet,
    /// A bare question mark: → Ved ikke, with a note.
    Unsure,
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

/// The most requirement rows a source may have. OS2's forms have about 45 (the largest
/// published report about 60); a file with more is no governance report, and is refused
/// before its rows are read, so its cost stays bounded.
pub const MAX_SOURCE_ROWS: usize = 2000;

/// The message for a source with more than [`MAX_SOURCE_ROWS`] rows.
pub fn too_many_rows(rows: usize) -> NotImported {
    NotImported(t!(
        "filen har {rows} kravrækker – en governancerapport har omkring 45; højst {MAX_SOURCE_ROWS}. Den er ikke importeret.",
        "the file has {rows} requirement rows – a governance report has about 45; at most {MAX_SOURCE_ROWS}. It was not imported."
    ))
}

/// What the three readable forms are, for messages about a file that is none of them.
pub const EXPECTED_DA: &str = "os2gov import læser en governancerapport i Markdown (OS2's gamle tjekliste eller 2025-skabelonen: tabeller med kolonnerne #, Krav og en markering) eller selvevalueringsformularens JSON (productName, filledBy, filledDate og krav[] med id, krav og efterlevet).";
pub const EXPECTED_EN: &str = "os2gov import reads a governance report in Markdown (OS2's old checklist or the 2025 template: tables with the columns #, Krav and a marker) or the self-evaluation form's JSON (productName, filledBy, filledDate and krav[] with id, krav and efterlevet).";
