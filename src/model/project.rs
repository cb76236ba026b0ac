//! A project as read from its projektark: typed values, each with the cell it came from,
//! so every finding can point at the cell to fix. No I/O; built by `load::projektark`.

use crate::model::cell::CellRef;
use crate::model::choice::{Answer, Decider, Light, OrgKind, ProjectKind, Rag};
use crate::model::rules::{LevelId, PhaseId};
use chrono::NaiveDate;

/// A value typed into a cell: blank, present but unreadable (already reported when it
/// was read), or read.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Input<T> {
    #[default]
    Blank,
    Invalid,
    Given(T),
}

impl<T> Input<T> {
    pub fn given(&self) -> Option<&T> {
        match self {
            Input::Given(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Input::Blank)
    }

    pub fn from_option(value: Option<T>, blank: bool) -> Input<T> {
        match (value, blank) {
            (Some(v), _) => Input::Given(v),
            (None, true) => Input::Blank,
            (None, false) => Input::Invalid,
        }
    }
}

/// A Projekt field: its value and the cell holding it (`None` when the field's row is
/// missing from the sheet).
#[derive(Clone, Debug, PartialEq)]
pub struct Field<T> {
    pub value: Input<T>,
    pub cell: Option<CellRef>,
}

impl<T> Default for Field<T> {
    fn default() -> Field<T> {
        Field { value: Input::Blank, cell: None }
    }
}

impl<T> Field<T> {
    pub fn given(&self) -> Option<&T> {
        self.value.given()
    }
}

/// The Projekt sheet.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields {
    pub id: Field<String>,
    pub name: Field<String>,
    /// Formål and Forventet gevinst: what the board reads when it prioritises concepts.
    pub purpose: Field<String>,
    pub benefit: Field<String>,
    pub kind: Field<ProjectKind>,
    pub organisation: Field<String>,
    pub lead: Field<String>,
    pub lead_email: Field<String>,
    pub level: Field<LevelId>,
    pub level_placed: Field<NaiveDate>,
    pub level_placed_by: Field<String>,
    pub phase: Field<PhaseId>,
    pub steering_group: Field<String>,
    pub coordination_group: Field<String>,
    pub sla: Field<String>,
    pub board_informed: Field<NaiveDate>,
    pub board_approved: Field<NaiveDate>,
    pub licence: Field<String>,
    pub repository: Field<String>,
    pub budget: Field<f64>,
    /// 'Budget ved godkendelse (kr.)': the budget as approved, the baseline.
    pub budget_baseline: Field<f64>,
    pub filled_by: Field<String>,
    pub filled_date: Field<NaiveDate>,
}

/// Where the columns of a table sheet are, so checks can name cells.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Columns(pub Vec<(&'static str, u32)>);

impl Columns {
    /// The column of a header, or column A when the sheet lacks it.
    pub fn col(&self, name: &str) -> u32 {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, c)| *c).unwrap_or(0)
    }

    pub fn cell(&self, row: u32, name: &str) -> CellRef {
        CellRef::new(row, self.col(name))
    }
}

/// One row of the Krav sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct RequirementRow {
    pub row: u32,
    /// The ID as typed.
    pub id: String,
    /// Index into `Rules::requirements`; `None` for an ID the styringsmodel does not know.
    pub requirement: Option<usize>,
    pub answer: Input<Answer>,
    pub evidence: Option<String>,
    pub explanation: Option<String>,
    pub assessment: Input<Light>,
    pub rationale: Option<String>,
}

/// One phase change in the Historik sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryStep {
    pub row: u32,
    pub date: Input<NaiveDate>,
    pub from: Input<PhaseId>,
    pub to: Input<PhaseId>,
    pub decider: Input<Decider>,
    pub reference: Option<String>,
    /// The Årsag as typed; checked against the styringsmodel's reasons by the checks.
    pub reason: Option<String>,
    pub note: Option<String>,
    /// The level in force at this step (Historik.Niveau); blank means the declared level.
    pub level: Input<LevelId>,
}

/// One row of the Deltagere sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Participant {
    pub row: u32,
    pub organisation: Option<String>,
    pub kind: Input<OrgKind>,
    pub cvr: Option<String>,
    pub joined: Input<NaiveDate>,
    pub contact: Option<String>,
    /// 'I drift (dato)': when the organisation took the solution into use.
    pub in_use: Input<NaiveDate>,
}

/// One row of the Budgetændringer sheet: a decided change of the budget.
#[derive(Clone, Debug, PartialEq)]
pub struct BudgetChange {
    pub row: u32,
    pub date: Input<NaiveDate>,
    pub from: Input<f64>,
    pub to: Input<f64>,
    pub decided_by: Input<Decider>,
    pub reference: Option<String>,
    pub reason: Option<String>,
}

/// One row of the Drift sheet: the coordination group's quarterly report on a product.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationReport {
    pub row: u32,
    pub date: Input<NaiveDate>,
    /// SLA target and measured availability, in percent (0–100).
    pub sla_target: Input<f64>,
    pub measured: Input<f64>,
    pub open_changes: Input<i64>,
    pub architecture: Option<String>,
    pub note: Option<String>,
}

/// One progress report in the Status sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusReport {
    pub row: u32,
    pub date: Input<NaiveDate>,
    pub progress: Input<Rag>,
    pub economy: Input<Rag>,
    pub spent: Input<f64>,
    pub forecast: Input<f64>,
    pub note: Option<String>,
}

/// The names of the sheets as they are in the file (users may change case), and their
/// column positions. A sheet that is missing has `None`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheets {
    pub projekt: Option<String>,
    pub projekt_value_col: u32,
    pub krav: Option<(String, Columns)>,
    pub historik: Option<(String, Columns)>,
    pub deltagere: Option<(String, Columns)>,
    pub status: Option<(String, Columns)>,
    /// Budgetændringer and Drift are optional: projektark written before they existed
    /// lack them.
    pub budget_changes: Option<(String, Columns)>,
    pub drift: Option<(String, Columns)>,
}

/// A project as read from one projektark.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Project {
    pub fields: Fields,
    pub requirements: Vec<RequirementRow>,
    pub history: Vec<HistoryStep>,
    pub participants: Vec<Participant>,
    pub status: Vec<StatusReport>,
    pub budget_changes: Vec<BudgetChange>,
    pub operations: Vec<OperationReport>,
    pub sheets: Sheets,
}

impl Fields {
    /// True when no field but Projekt-ID (which `os2gov template --id` fills in) holds
    /// anything, readable or not.
    fn blank_but_id(&self) -> bool {
        let Fields {
            id: _,
            name,
            purpose,
            benefit,
            kind,
            organisation,
            lead,
            lead_email,
            level,
            level_placed,
            level_placed_by,
            phase,
            steering_group,
            coordination_group,
            sla,
            board_informed,
            board_approved,
            licence,
            repository,
            budget,
            budget_baseline,
            filled_by,
            filled_date,
        } = self;
        let texts = [
            name,
            purpose,
            benefit,
            organisation,
            lead,
            lead_email,
            level_placed_by,
            steering_group,
            coordination_group,
            sla,
            licence,
            repository,
            filled_by,
        ];
        texts.iter().all(|f| f.value.is_blank())
            && kind.value.is_blank()
            && level.value.is_blank()
            && phase.value.is_blank()
            && [level_placed, board_informed, board_approved, filled_date].iter().all(|f| f.value.is_blank())
            && budget.value.is_blank()
            && budget_baseline.value.is_blank()
    }
}

impl Project {
    /// True for a projektark nobody has filled in: a blank template as `os2gov template`
    /// or `init` writes it (at most its Projekt-ID given), with every sheet in place, no
    /// answer, explanation or assessment on Krav and no row in the other tables.
    pub fn is_blank_template(&self) -> bool {
        let s = &self.sheets;
        let all_sheets = s.projekt.is_some()
            && s.krav.is_some()
            && s.historik.is_some()
            && s.deltagere.is_some()
            && s.status.is_some();
        all_sheets
            && self.fields.blank_but_id()
            && self.requirements.iter().all(|r| {
                r.answer.is_blank()
                    && r.assessment.is_blank()
                    && r.evidence.is_none()
                    && r.explanation.is_none()
                    && r.rationale.is_none()
            })
            && self.history.is_empty()
            && self.participants.is_empty()
            && self.status.is_empty()
            && self.budget_changes.is_empty()
            && self.operations.is_empty()
    }

    /// The Projekt-ID if it was given and valid.
    pub fn id(&self) -> Option<&str> {
        self.fields.id.given().map(String::as_str)
    }

    /// The newest status report that counts on `as_of`: dated on or before it. A row dated
    /// after the run date never counts (it is `INPUT-FUTURE-DATE`), so a future date cannot
    /// hide an old report.
    pub fn newest_status_on(&self, as_of: NaiveDate) -> Option<(&StatusReport, NaiveDate)> {
        self.status
            .iter()
            .filter_map(|s| s.date.given().filter(|d| **d <= as_of).map(|d| (s, *d)))
            .max_by_key(|(s, d)| (*d, s.row))
    }

    /// The Drift rows that count on `as_of` (dated on or before it), oldest first.
    pub fn operations_on(&self, as_of: NaiveDate) -> Vec<(NaiveDate, &OperationReport)> {
        let mut dated: Vec<(NaiveDate, &OperationReport)> =
            self.operations.iter().filter_map(|o| o.date.given().filter(|d| **d <= as_of).map(|d| (*d, o))).collect();
        dated.sort_by_key(|(d, o)| (*d, o.row));
        dated
    }

    /// The newest Drift row that counts on `as_of` and has a measurement (Målt): a row with
    /// Målt blank is a report without a measurement, not one of 0 %.
    pub fn newest_measured_on(&self, as_of: NaiveDate) -> Option<(NaiveDate, &OperationReport)> {
        self.operations_on(as_of).into_iter().rev().find(|(_, o)| o.measured.given().is_some())
    }

    /// Distinct participating organisations (case-insensitive names).
    pub fn organisation_count(&self) -> usize {
        let mut names: Vec<String> =
            self.participants.iter().filter_map(|p| p.organisation.as_ref().map(|o| crate::text::fold(o))).collect();
        names.sort();
        names.dedup();
        names.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn status(row: u32, date: NaiveDate) -> StatusReport {
        StatusReport {
            row,
            date: Input::Given(date),
            progress: Input::Blank,
            economy: Input::Blank,
            spent: Input::Blank,
            forecast: Input::Blank,
            note: None,
        }
    }

    fn drift(row: u32, date: NaiveDate, measured: Option<f64>) -> OperationReport {
        OperationReport {
            row,
            date: Input::Given(date),
            sla_target: Input::Given(99.5),
            measured: measured.map_or(Input::Blank, Input::Given),
            open_changes: Input::Blank,
            architecture: None,
            note: None,
        }
    }

    #[test]
    fn the_newest_helpers_count_only_rows_dated_on_or_before_the_run_date() {
        let as_of = day(26);
        let p = Project { status: vec![status(1, day(2)), status(2, day(30))], ..Project::default() };
        // The row dated after as-of never counts.
        assert_eq!(p.newest_status_on(as_of).map(|(_, d)| d), Some(day(2)));
        // Near miss: a row dated on the as-of day counts.
        let p = Project { status: vec![status(1, day(2)), status(2, as_of)], ..Project::default() };
        assert_eq!(p.newest_status_on(as_of).map(|(_, d)| d), Some(as_of));
    }

    #[test]
    fn a_drift_row_without_målt_is_not_a_measurement() {
        let as_of = day(26);
        let p = Project {
            operations: vec![drift(1, day(1), Some(91.0)), drift(2, day(20), None), drift(3, day(29), Some(99.9))],
            ..Project::default()
        };
        assert_eq!(p.operations_on(as_of).len(), 2);
        assert_eq!(p.newest_measured_on(as_of).map(|(d, o)| (d, o.row)), Some((day(1), 1)));
        // Near miss: measured on the as-of day counts.
        let p = Project {
            operations: vec![drift(1, day(1), Some(91.0)), drift(2, as_of, Some(99.0))],
            ..Project::default()
        };
        assert_eq!(p.newest_measured_on(as_of).map(|(_, o)| o.row), Some(2));
    }
}
