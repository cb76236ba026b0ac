//! Findings: what the checks say about a project or the styringsmodel. Findings are
//! data, never errors; the codes and their default severities are stable API (README, "Finding codes").

use crate::model::agenda::{Agenda, Topic};
use crate::model::cell::CellRef;
use crate::text::{Lang, Text};
use serde::{Serialize, Serializer};
use std::fmt;

/// How serious a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    /// The stable machine form used in JSON: `error`, `warning`, `info`.
    pub fn code(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// The word people read: `fejl`/`advarsel`/`info` or `error`/`warning`/`info`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::Da) => "fejl",
            (Severity::Warning, Lang::Da) => "advarsel",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
            (Severity::Info, _) => "info",
        }
    }

    /// Reads `error`/`fejl`, `warning`/`advarsel`, `info`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_lowercase().as_str() {
            "error" | "fejl" => Some(Severity::Error),
            "warning" | "advarsel" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

macro_rules! codes {
    ($($variant:ident => $code:literal, $severity:ident;)*) => {
        /// Every finding code os2gov can emit. The string forms are stable API.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code),* }
            }

            /// The severity a finding of this code has unless the check says otherwise
            /// (`STATUS-STALE` and `PHASE-HISTORY-MISSING` vary).
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity),* }
            }

            pub fn parse(s: &str) -> Option<Code> {
                match s { $($code => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    InputUnreadable => "INPUT-UNREADABLE", Error;
    InputSheetMissing => "INPUT-SHEET-MISSING", Error;
    InputFieldMissing => "INPUT-FIELD-MISSING", Error;
    InputValueInvalid => "INPUT-VALUE-INVALID", Error;
    InputDateInvalid => "INPUT-DATE-INVALID", Error;
    InputNumberInvalid => "INPUT-NUMBER-INVALID", Error;
    InputFutureDate => "INPUT-FUTURE-DATE", Warning;
    InputDuplicateProject => "INPUT-DUPLICATE-PROJECT", Info;
    InputUnknownRequirement => "INPUT-UNKNOWN-REQUIREMENT", Warning;
    InputRequirementMissing => "INPUT-REQUIREMENT-MISSING", Error;
    KravUnanswered => "KRAV-UNANSWERED", Error;
    KravSkalUnmet => "KRAV-SKAL-UNMET", Error;
    KravSkalExplained => "KRAV-SKAL-EXPLAINED", Warning;
    KravBoerUnexplained => "KRAV-BOER-UNEXPLAINED", Warning;
    KravBoerExplained => "KRAV-BOER-EXPLAINED", Info;
    KravNoEvidence => "KRAV-NO-EVIDENCE", Warning;
    KravUnsure => "KRAV-UNSURE", Warning;
    KravNaUnexplained => "KRAV-NA-UNEXPLAINED", Warning;
    KravCrosscheck => "KRAV-CROSSCHECK", Warning;
    KravAssessmentDiffers => "KRAV-ASSESSMENT-DIFFERS", Info;
    KravAssessmentOutdated => "KRAV-ASSESSMENT-OUTDATED", Info;
    KravAssessmentNotRecorded => "KRAV-ASSESSMENT-NOT-RECORDED", Warning;
    LevelBelowDeclared => "LEVEL-BELOW-DECLARED", Error;
    LevelAboveDeclared => "LEVEL-ABOVE-DECLARED", Info;
    LevelOrgsTooFew => "LEVEL-ORGS-TOO-FEW", Error;
    LevelChanged => "LEVEL-CHANGED", Info;
    LevelNotPlaced => "LEVEL-NOT-PLACED", Warning;
    LevelHistoryMismatch => "LEVEL-HISTORY-MISMATCH", Error;
    LevelDeclaredMismatch => "LEVEL-DECLARED-MISMATCH", Error;
    LevelPlacementUnauthorised => "LEVEL-PLACEMENT-UNAUTHORISED", Error;
    LevelPlacementDiffers => "LEVEL-PLACEMENT-DIFFERS", Warning;
    PhaseTransitionNotAllowed => "PHASE-TRANSITION-NOT-ALLOWED", Error;
    PhaseDeciderWrong => "PHASE-DECIDER-WRONG", Error;
    PhaseReasonMissing => "PHASE-REASON-MISSING", Error;
    PhaseHistoryInconsistent => "PHASE-HISTORY-INCONSISTENT", Error;
    PhaseBoardApprovalMissing => "PHASE-BOARD-APPROVAL-MISSING", Error;
    PhaseBoardApprovalLate => "PHASE-BOARD-APPROVAL-LATE", Error;
    PhaseBoardReapprovalMissing => "PHASE-BOARD-REAPPROVAL-MISSING", Error;
    PhaseBoardApprovalUnmatched => "PHASE-BOARD-APPROVAL-UNMATCHED", Warning;
    PhaseResumeWrong => "PHASE-RESUME-WRONG", Error;
    PhaseHistoryMissing => "PHASE-HISTORY-MISSING", Warning;
    PhaseBoardOrientationMissing => "PHASE-BOARD-ORIENTATION-MISSING", Warning;
    PhaseBoardNotRequired => "PHASE-BOARD-NOT-REQUIRED", Info;
    PhaseChangedUnlogged => "PHASE-CHANGED-UNLOGGED", Error;
    StatusMissing => "STATUS-MISSING", Warning;
    StatusStale => "STATUS-STALE", Warning;
    StatusRed => "STATUS-RED", Warning;
    BudgetMissing => "BUDGET-MISSING", Warning;
    BudgetOverrun => "BUDGET-OVERRUN", Warning;
    BudgetBaselineMissing => "BUDGET-BASELINE-MISSING", Warning;
    BudgetUntraced => "BUDGET-UNTRACED", Error;
    BudgetDeciderWrong => "BUDGET-DECIDER-WRONG", Error;
    BudgetGrowth => "BUDGET-GROWTH", Warning;
    BudgetForecastBelowSpend => "BUDGET-FORECAST-BELOW-SPEND", Warning;
    BudgetForecastCreep => "BUDGET-FORECAST-CREEP", Warning;
    BudgetEscalated => "BUDGET-ESCALATED", Warning;
    BudgetHistoryRewritten => "BUDGET-HISTORY-REWRITTEN", Error;
    BudgetCorrected => "BUDGET-CORRECTED", Info;
    ReportRowChanged => "REPORT-ROW-CHANGED", Warning;
    SelfevalStale => "SELFEVAL-STALE", Warning;
    ProductNoCoordination => "PRODUCT-NO-COORDINATION", Warning;
    ProductNoSla => "PRODUCT-NO-SLA", Warning;
    ProductTypeMismatch => "PRODUCT-TYPE-MISMATCH", Warning;
    ProductNotInUse => "PRODUCT-NOT-IN-USE", Error;
    ProductDriftMissing => "PRODUCT-DRIFT-MISSING", Warning;
    ProductDriftStale => "PRODUCT-DRIFT-STALE", Warning;
    ProductSlaBreach => "PRODUCT-SLA-BREACH", Warning;
    ProductChangesGrowing => "PRODUCT-CHANGES-GROWING", Info;
    DataCvrInvalid => "DATA-CVR-INVALID", Error;
    DataEmailInvalid => "DATA-EMAIL-INVALID", Error;
    DataLicenseNotOsi => "DATA-LICENSE-NOT-OSI", Error;
    DataLicenseNotDefault => "DATA-LICENSE-NOT-DEFAULT", Info;
    DataUrlInvalid => "DATA-URL-INVALID", Warning;
    DecisionNotInProjektark => "DECISION-NOT-IN-PROJEKTARK", Warning;
    DecisionNotLogged => "DECISION-NOT-LOGGED", Warning;
    DecisionMismatch => "DECISION-MISMATCH", Warning;
    InputNotSubmitted => "INPUT-NOT-SUBMITTED", Warning;
    RegisterInvalid => "REGISTER-INVALID", Warning;
    GovUnreadable => "GOV-UNREADABLE", Error;
    GovSheetMissing => "GOV-SHEET-MISSING", Error;
    GovColumnMissing => "GOV-COLUMN-MISSING", Error;
    GovFieldMissing => "GOV-FIELD-MISSING", Error;
    GovValueInvalid => "GOV-VALUE-INVALID", Error;
    GovDateInvalid => "GOV-DATE-INVALID", Error;
    GovNumberInvalid => "GOV-NUMBER-INVALID", Error;
    GovDuplicate => "GOV-DUPLICATE", Error;
    GovReferenceUnknown => "GOV-REFERENCE-UNKNOWN", Error;
    GovEmpty => "GOV-EMPTY", Error;
    GovPhaseMissing => "GOV-PHASE-MISSING", Error;
    GovRevisionDue => "GOV-REVISION-DUE", Warning;
    GovDocumentIncomplete => "GOV-DOCUMENT-INCOMPLETE", Warning;
    GovLogNotAuthoritative => "GOV-LOG-NOT-AUTHORITATIVE", Warning;
    GovDecisionInvalid => "GOV-DECISION-INVALID", Warning;
}

/// Who acts on a finding besides the board (which [`crate::board`] decides for itself):
/// the project lead (the lead's mail, Kontrol and the marks in the annotated copy) and the
/// secretariat (its section of the digest and the portfolio's *Til sekretariatet*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Audience {
    pub lead: bool,
    pub secretariat: bool,
}

impl Code {
    /// Who is told and must act. Most findings are the lead's to fix; the reconciliation
    /// with the board's decision log, the register's own rows, a placement the board did
    /// not decide and the assessments to make are the secretariat's; a claimed board
    /// decision the log lacks or has otherwise is told to both (the lead corrects the
    /// projektark, or the secretariat logs the decision from the minutes).
    pub fn audience(self) -> Audience {
        use Code::*;
        let (lead, secretariat) = match self {
            DecisionNotInProjektark
            | KravAssessmentOutdated
            | RegisterInvalid
            | LevelPlacementUnauthorised
            | GovDecisionInvalid
            | GovLogNotAuthoritative
            | InputDuplicateProject => (false, true),
            DecisionNotLogged
            | DecisionMismatch
            | LevelPlacementDiffers
            | KravAssessmentNotRecorded
            | KravSkalExplained
            | ReportRowChanged
            | LevelNotPlaced => (true, true),
            _ => (true, false),
        };
        Audience { lead, secretariat }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Where in a workbook a finding points: a sheet and, where there is one, a cell.
/// When a finding goes before the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BoardWhen {
    Always,
    /// Only at severity error (a warning is the lead's or the secretariat's to follow up).
    Errors,
    /// Not as info (e.g. growth the board approved itself is not put before it again).
    NotInfo,
    /// Only when the project's level needs the board's approval.
    ApprovalLevel,
}

/// A finding code's way to the board: the section and topic of its point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoardRoute {
    pub code: Code,
    pub agenda: Agenda,
    pub topic: Topic,
    pub when: BoardWhen,
}

const fn route(code: Code, agenda: Agenda, topic: Topic, when: BoardWhen) -> BoardRoute {
    BoardRoute { code, agenda, topic, when }
}

/// The codes that reach the board, beside the codes themselves: every other code is the
/// project lead's or the secretariat's. The board's words for each are in `board`.
pub const BOARD_ROUTES: &[BoardRoute] = {
    use Agenda::{Beslutning, Droeftelse, Orientering};
    use BoardWhen::{Always, ApprovalLevel, Errors, NotInfo};
    &[
        route(Code::PhaseBoardApprovalMissing, Beslutning, Topic::Gate, Always),
        route(Code::PhaseBoardApprovalLate, Beslutning, Topic::Gate, Always),
        route(Code::PhaseBoardReapprovalMissing, Beslutning, Topic::Gate, Always),
        route(Code::PhaseResumeWrong, Beslutning, Topic::Gate, ApprovalLevel),
        route(Code::PhaseTransitionNotAllowed, Beslutning, Topic::Gate, ApprovalLevel),
        route(Code::PhaseHistoryMissing, Droeftelse, Topic::History, Errors),
        route(Code::PhaseChangedUnlogged, Beslutning, Topic::Phase, Always),
        // A claimed board decision the log lacks, where believing it would open the gate or
        // legitimise a change (an error); the board's words absorb the consequence.
        route(Code::DecisionNotLogged, Beslutning, Topic::Gate, Errors),
        // A step only the board may decide, decided by someone else (the wording keeps only
        // those).
        route(Code::PhaseDeciderWrong, Beslutning, Topic::Phase, Errors),
        route(Code::DataLicenseNotDefault, Beslutning, Topic::Licence, Always),
        route(Code::DataLicenseNotOsi, Droeftelse, Topic::Licence, Always),
        route(Code::BudgetOverrun, Droeftelse, Topic::Economy, Always),
        route(Code::StatusRed, Droeftelse, Topic::Reporting, Always),
        route(Code::BudgetGrowth, Droeftelse, Topic::Economy, NotInfo),
        route(Code::BudgetUntraced, Droeftelse, Topic::Economy, Always),
        route(Code::BudgetForecastCreep, Droeftelse, Topic::Economy, Always),
        route(Code::BudgetEscalated, Beslutning, Topic::Economy, Always),
        route(Code::BudgetHistoryRewritten, Beslutning, Topic::Economy, Always),
        route(Code::BudgetDeciderWrong, Beslutning, Topic::BudgetDecision, Always),
        route(Code::ProductSlaBreach, Droeftelse, Topic::Product, Always),
        route(Code::ProductNotInUse, Droeftelse, Topic::Product, Errors),
        route(Code::ProductDriftStale, Droeftelse, Topic::Product, Errors),
        route(Code::StatusStale, Droeftelse, Topic::Reporting, Errors),
        // Absence is at least as serious as age: the error past the critical age.
        route(Code::StatusMissing, Droeftelse, Topic::Reporting, Errors),
        route(Code::ProductDriftMissing, Droeftelse, Topic::Product, Errors),
        route(Code::PhaseBoardOrientationMissing, Orientering, Topic::Information, Always),
    ]
};

/// The route of a finding to the board, if it has one at this severity and level.
pub fn board_route(code: Code, severity: Severity, approval_level: bool) -> Option<&'static BoardRoute> {
    BOARD_ROUTES.iter().find(|r| r.code == code).filter(|r| match r.when {
        BoardWhen::Always => true,
        BoardWhen::Errors => severity == Severity::Error,
        BoardWhen::NotInfo => severity != Severity::Info,
        BoardWhen::ApprovalLevel => approval_level,
    })
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Location {
    pub sheet: Option<String>,
    pub cell: Option<CellRef>,
}

fn shown_sheet(name: String) -> String {
    if name.len() <= crate::text::MAX_SHEET_NAME_CHARS {
        name
    } else {
        crate::text::clip_units(&name, crate::text::MAX_SHEET_NAME_CHARS)
    }
}

impl Location {
    pub fn none() -> Location {
        Location::default()
    }

    /// A sheet (its name clipped, as every finding on it carries it).
    pub fn sheet(sheet: impl Into<String>) -> Location {
        Location { sheet: Some(shown_sheet(sheet.into())), cell: None }
    }

    pub fn cell(sheet: impl Into<String>, cell: CellRef) -> Location {
        Location { sheet: Some(shown_sheet(sheet.into())), cell: Some(cell) }
    }

    /// `Krav!F7`, `Krav` or empty.
    pub fn a1(&self) -> String {
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("{s}!{c}"),
            (Some(s), None) => s.clone(),
            (None, Some(c)) => c.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// One thing a check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub location: Location,
    /// The requirement ID (as in the styringsmodel), when the finding is about one.
    pub requirement: Option<String>,
    pub message: Text,
}

impl Finding {
    /// A finding with its code's default severity.
    /// A finding; its message is clipped to [`crate::text::MESSAGE_CHARS`] (a message may
    /// quote a value from a workbook, and every finding is shown in several places).
    pub fn new(code: Code, location: Location, message: Text) -> Finding {
        let message = message.clipped(crate::text::MESSAGE_CHARS);
        Finding { code, severity: code.severity(), location, requirement: None, message }
    }

    /// The requirement ID (as written in the workbook; clipped for showing).
    pub fn with_requirement(mut self, id: impl Into<String>) -> Finding {
        self.requirement = Some(crate::text::clip(&id.into(), crate::text::SHOWN_VALUE_CHARS));
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Finding {
        self.severity = severity;
        self
    }
}

/// The position of a sheet in the projektark layout, for ordering findings.
fn sheet_rank(sheet: &Option<String>) -> usize {
    let order = [
        crate::model::layout::PROJEKT,
        crate::model::layout::KRAV,
        crate::model::layout::HISTORIK,
        crate::model::layout::DELTAGERE,
        crate::model::layout::STATUS,
    ];
    match sheet {
        None => 0,
        Some(s) => 1 + order.iter().position(|o| crate::text::fold(o) == crate::text::fold(s)).unwrap_or(order.len()),
    }
}

/// Sorts findings for people: errors first, then by sheet (in layout order), row, column, code.
/// Each finding's key is made once (a stable sort by cached key: n log n comparisons of
/// plain values, not of folded sheet names).
pub fn sort_for_reading(findings: &mut [Finding]) {
    findings.sort_by_cached_key(|f| {
        (
            std::cmp::Reverse(f.severity),
            sheet_rank(&f.location.sheet),
            f.location.sheet.clone(),
            f.location.cell,
            f.code,
        )
    });
}

/// Counts by severity: (errors, warnings, infos).
pub fn count<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> (usize, usize, usize) {
    findings.into_iter().fold((0, 0, 0), |(e, w, i), f| match f.severity {
        Severity::Error => (e + 1, w, i),
        Severity::Warning => (e, w + 1, i),
        Severity::Info => (e, w, i + 1),
    })
}

/// The per-file output budget: at most this many findings of one projektark are listed
/// one by one where people and machines read them (the Kontrol sheet and cell notes, the
/// lead's mail, the findings JSON, the text report, the portfolio's Fund sheet); the rest
/// are counted. Findings are sorted errors first, so the listed ones are the worst.
pub const MAX_LISTED_FINDINGS: usize = 500;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {code}");
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        assert_eq!(Code::parse("NOPE"), None);
    }

    #[test]
    fn the_readme_lists_every_code_with_its_severity() {
        let readme = include_str!("../../README.md");
        let table = &readme[readme.find("## Finding codes").expect("a Finding codes section")..];
        for code in Code::ALL {
            let row = table
                .lines()
                .find(|l| l.starts_with(&format!("| `{code}` |")))
                .unwrap_or_else(|| panic!("{code} is not in the README's table of finding codes"));
            let severity = row.split('|').nth(2).unwrap_or("");
            assert!(severity.contains(code.severity().code()), "{code}: {row}");
        }
    }

    #[test]
    fn severities_order_errors_first() {
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info);
        assert_eq!(Severity::parse("advarsel"), Some(Severity::Warning));
        assert_eq!(Severity::Warning.label(Lang::Da), "advarsel");
    }
}
