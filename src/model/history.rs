//! The archive as history (issue 20): what one run saw per project ([`Observed`]) and the
//! cumulative state through a period ([`State`]), written per period as
//! `ud/<period>/historik-<period>.json` ([`HistoryFile`], format [`FORMAT`]). The state is
//! a pure fold of the observations ([`fold`]), so it can always be rebuilt from the
//! archive. No I/O.

use crate::model::project::Project;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The format this version writes and reads. A file of another format is not used.
pub const FORMAT: u32 = 1;

/// `historik-<period>.json`.
pub fn file_name(period: &str) -> String {
    format!("historik-{period}.json")
}

/// One period's history file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HistoryFile {
    pub format: u32,
    #[serde(default)]
    pub tool: String,
    #[serde(default)]
    pub version: String,
    pub period: String,
    pub as_of: NaiveDate,
    /// How the state was made when not from the previous period's file (`"fold"` with the
    /// periods left out), for the reader of the file.
    #[serde(default)]
    pub rebuilt: Option<String>,
    pub observed: Observed,
    pub state: State,
}

/// What one run saw and concluded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    pub period: String,
    pub as_of: NaiveDate,
    /// Per Projekt-ID.
    pub projects: BTreeMap<String, ObservedProject>,
    /// The portfolio's counts this period (the sheet Udvikling); absent in older files.
    #[serde(default)]
    pub portfolio: Option<PortfolioPoint>,
}

/// The portfolio's counts in one period, for the portfolio's sheet Udvikling.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortfolioPoint {
    pub period: String,
    pub projects: usize,
    /// Projects per declared level (code), in the styringsmodel's order.
    pub levels: Vec<(String, usize)>,
    /// Projects per phase (name), in the styringsmodel's order.
    pub phases: Vec<(String, usize)>,
    /// Findings of severity error.
    pub errors: usize,
    /// Board items open: every point the run put before the board. `None` for a period
    /// rebuilt from a findings JSON without the period's `bestyrelse-<period>.json` (the
    /// JSON does not hold them): shown blank, never as 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub board_items: Option<usize>,
}

/// What a run concluded about one project (numbers, dates and codes; no messages).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObservedProject {
    pub header: Header,
    /// 'Budget ved godkendelse' as the run accepted it (an unexplained rewrite keeps the
    /// earlier value).
    pub baseline: Option<f64>,
    /// Whether the sheet was there (a row missing from a missing sheet is not removed).
    pub status_sheet: bool,
    pub status: Vec<StatusRow>,
    pub drift_sheet: bool,
    pub drift: Vec<DriftRow>,
    pub budget_sheet: bool,
    /// The Budgetændringer rows as the run accepted them.
    pub budget_changes: Vec<BudgetRow>,
    /// The keys of the Budgetændringer rows this run reported `BUDGET-UNTRACED` for not
    /// starting where the change before ended (on their Fra cell): the next period may
    /// correct them (absent in older files: nothing to correct).
    pub untraced: Vec<(NaiveDate, u32)>,
    /// The first change of the chain (the first row with a Til) was one of them: its Fra
    /// is not 'Budget ved godkendelse', so the baseline may be what is wrong.
    pub baseline_untraced: bool,
}

/// The last seen facts about a project: what the next run compares with.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Header {
    pub name: Option<String>,
    pub lead: Option<String>,
    pub lead_email: Option<String>,
    pub declared: Option<String>,
    pub in_force: Option<String>,
    pub attained: Option<String>,
    pub phase: Option<String>,
    /// The project is closed (a stop that counts): no projektark is expected.
    pub closed: bool,
    pub budget: Option<f64>,
    /// The last board-approved budget the economy judged by (the accepted baseline through
    /// the authorised changes); absent in older files and for projects not yet started.
    pub approved: Option<f64>,
    /// The requirements' lights that period (the secretariat's Vurdering where it applies,
    /// else computed from the answer), counted over every level as in the findings JSON;
    /// absent in older files.
    pub lights: Option<Lights>,
    /// The period since which an overrun or red economy stands, if one stands.
    pub economy_since: Option<String>,
    /// (code, requirement, sheet!cell) of the listed findings.
    pub findings: Vec<(String, Option<String>, String)>,
    /// Register rows applied: (requirement, register row, Vurdering, answer fingerprint).
    pub applied: Vec<(String, u32, String, String)>,
}

/// Requirement lights counted: Grøn, Gul, Rød, Grå and Ikke udfyldt.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lights {
    pub groen: u32,
    pub gul: u32,
    pub roed: u32,
    pub graa: u32,
    pub blank: u32,
}

impl ObservedProject {
    /// The newest Status row that counted on the run's date `as_of` (as `STATUS-RED` reads
    /// it): its Fremdrift and Økonomi are the project's traffic lights that period.
    pub fn newest_status(&self, as_of: NaiveDate) -> Option<&StatusRow> {
        self.status.iter().filter(|r| r.date <= as_of).max_by_key(|r| (r.date, r.n))
    }

    /// The board-approved budget that period: as recorded, else (an older file) the
    /// accepted baseline when no Budgetændringer row was seen – without changes the
    /// approved budget is the baseline – else unknown.
    pub fn approved_budget(&self) -> Option<f64> {
        self.header.approved.or(if self.budget_changes.is_empty() { self.baseline } else { None })
    }
}

/// A dated Status row; `n` orders rows of one date (their order in the sheet).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatusRow {
    pub date: NaiveDate,
    pub n: u32,
    pub progress: Option<String>,
    pub economy: Option<String>,
    pub spent: Option<f64>,
    pub forecast: Option<f64>,
}

/// A dated Drift row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DriftRow {
    pub date: NaiveDate,
    pub n: u32,
    pub target: Option<f64>,
    pub measured: Option<f64>,
}

/// A dated Budgetændringer row.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BudgetRow {
    pub date: NaiveDate,
    pub n: u32,
    pub from: Option<f64>,
    pub to: Option<f64>,
    pub by: Option<String>,
}

/// The dated rows of a sheet with their row in the sheet: each keyed by its date and its
/// ordinal among the rows of that date (sheet order); undated rows are left out.
fn dated<T, R>(
    rows: &[T],
    date: impl Fn(&T) -> Option<NaiveDate>,
    sheet_row: impl Fn(&T) -> u32,
    make: impl Fn(&T, NaiveDate, u32) -> R,
) -> Vec<(R, u32)> {
    let mut count: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    rows.iter()
        .filter_map(|r| {
            let d = date(r)?;
            let n = count.entry(d).or_insert(0);
            *n += 1;
            Some((make(r, d, *n - 1), sheet_row(r)))
        })
        .collect()
}

impl StatusRow {
    /// The dated rows of a projektark's Status sheet (with their row in the sheet).
    pub fn of(project: &Project) -> Vec<(StatusRow, u32)> {
        dated(
            &project.status,
            |s| s.date.given().copied(),
            |s| s.row,
            |s, date, n| StatusRow {
                date,
                n,
                progress: s.progress.given().map(|r| r.da().to_string()),
                economy: s.economy.given().map(|r| r.da().to_string()),
                spent: s.spent.given().copied(),
                forecast: s.forecast.given().copied(),
            },
        )
    }
}

impl DriftRow {
    pub fn of(project: &Project) -> Vec<(DriftRow, u32)> {
        dated(
            &project.operations,
            |s| s.date.given().copied(),
            |s| s.row,
            |s, date, n| DriftRow {
                date,
                n,
                target: s.sla_target.given().copied(),
                measured: s.measured.given().copied(),
            },
        )
    }
}

impl BudgetRow {
    pub fn of(project: &Project) -> Vec<(BudgetRow, u32)> {
        dated(
            &project.budget_changes,
            |s| s.date.given().copied(),
            |s| s.row,
            |s, date, n| BudgetRow {
                date,
                n,
                from: s.from.given().copied(),
                to: s.to.given().copied(),
                by: s.decided_by.given().map(|b| b.da().to_string()),
            },
        )
    }
}

/// A row with its key (date, ordinal within the date).
pub trait Keyed {
    fn key(&self) -> (NaiveDate, u32);
    /// The same values (amounts within half a krone or a hundredth of a percent).
    fn same(&self, other: &Self) -> bool;
}

fn near(a: Option<f64>, b: Option<f64>, eps: f64) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() < eps,
        (None, None) => true,
        _ => false,
    }
}

impl Keyed for StatusRow {
    fn key(&self) -> (NaiveDate, u32) {
        (self.date, self.n)
    }
    fn same(&self, o: &Self) -> bool {
        self.progress == o.progress
            && self.economy == o.economy
            && near(self.spent, o.spent, 0.5)
            && near(self.forecast, o.forecast, 0.5)
    }
}

impl Keyed for DriftRow {
    fn key(&self) -> (NaiveDate, u32) {
        (self.date, self.n)
    }
    fn same(&self, o: &Self) -> bool {
        near(self.target, o.target, 0.01) && near(self.measured, o.measured, 0.01)
    }
}

impl Keyed for BudgetRow {
    fn key(&self) -> (NaiveDate, u32) {
        (self.date, self.n)
    }
    fn same(&self, o: &Self) -> bool {
        near(self.from, o.from, 0.5) && near(self.to, o.to, 0.5) && self.by == o.by
    }
}

/// A row in the union of every period's rows.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Seen<R> {
    /// The current values (a changed row's latest).
    pub row: R,
    pub first_seen: String,
    /// The first period in which the row was present and dated on or before its as-of:
    /// from then on it counts. A row that was only ever in the future never counts.
    pub counted_from: Option<String>,
    pub changed_in: Option<String>,
    /// The period in which it was gone from its sheet (it keeps counting).
    pub removed_in: Option<String>,
}

/// The cumulative history through a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// The periods folded into it, ascending.
    pub folded: Vec<String>,
    pub projects: BTreeMap<String, ProjectState>,
    /// The portfolio's counts per period folded in, ascending (periods without them – from
    /// an archive made before they were kept – are absent).
    pub portfolio: Vec<PortfolioPoint>,
}

/// One project's history.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectState {
    pub first_seen: String,
    pub last_seen: String,
    /// Periods since first seen without a projektark.
    pub missing: Vec<String>,
    pub last: Header,
    pub baseline: Option<f64>,
    pub status: Vec<Seen<StatusRow>>,
    pub drift: Vec<Seen<DriftRow>>,
    pub budget_changes: Vec<Seen<BudgetRow>>,
    /// What the period the project was last seen in reported `BUDGET-UNTRACED` (see
    /// [`ObservedProject::untraced`]): the rows a rewrite may correct.
    pub untraced: Vec<(NaiveDate, u32)>,
    pub baseline_untraced: bool,
    /// Since when each of the last seen findings has stood: [`finding_id`] → the first
    /// period of the run of periods in which it was listed without a break in the data (a
    /// month without a projektark is no break; a run without the finding is). Older files
    /// lack it: the fold then dates a standing finding from the period it was last seen in.
    pub findings_since: BTreeMap<String, String>,
}

/// The identity of a finding across periods as one string: `CODE|requirement|Sheet!A1`.
pub fn finding_id(key: &(String, Option<String>, String)) -> String {
    format!("{}|{}|{}", key.0, key.1.as_deref().unwrap_or(""), key.2)
}

/// What the lead's mail says about a project's findings over time: the period the project
/// was last seen in before this run, and since when each of its findings had stood then.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FindingAges {
    pub last_seen: Option<String>,
    /// [`finding_id`] → period.
    pub since: BTreeMap<String, String>,
}

impl State {
    /// The newest period folded in.
    pub fn period(&self) -> Option<&str> {
        self.folded.last().map(String::as_str)
    }
}

impl ProjectState {
    /// The status rows of the union that count (present once on or before a run's
    /// as-of): with today's sheet, a row of these it lacks is one a lead deleted, which
    /// still counts.
    pub fn counted_status(&self) -> impl Iterator<Item = &StatusRow> {
        self.status.iter().filter(|s| s.counted_from.is_some()).map(|s| &s.row)
    }

    pub fn counted_drift(&self) -> impl Iterator<Item = &DriftRow> {
        self.drift.iter().filter(|s| s.counted_from.is_some()).map(|s| &s.row)
    }
}

/// The newest date, on or before `as_of`, of the `counted` rows of the union that today's
/// sheet (`current`) no longer has: a row a lead deleted still counts for freshness
/// (issue 20), for Status as for Drift.
pub fn deleted_newest<'a, R: Keyed + 'a>(
    counted: impl Iterator<Item = &'a R>,
    current: &[(R, u32)],
    as_of: NaiveDate,
) -> Option<NaiveDate> {
    counted.map(Keyed::key).filter(|k| k.0 <= as_of && !current.iter().any(|(c, _)| c.key() == *k)).map(|k| k.0).max()
}

/// Merges one period's rows into the union.
fn merge<R: Keyed + Clone>(union: &mut Vec<Seen<R>>, rows: &[R], sheet: bool, period: &str, as_of: NaiveDate) {
    for r in rows {
        let counted = (r.key().0 <= as_of).then(|| period.to_string());
        match union.iter_mut().find(|s| s.row.key() == r.key()) {
            Some(s) => {
                if !s.row.same(r) {
                    s.changed_in = Some(period.to_string());
                    s.row = r.clone();
                }
                s.removed_in = None;
                if s.counted_from.is_none() {
                    s.counted_from = counted;
                }
            }
            None => union.push(Seen {
                row: r.clone(),
                first_seen: period.to_string(),
                counted_from: counted,
                changed_in: None,
                removed_in: None,
            }),
        }
    }
    if sheet {
        for s in union.iter_mut() {
            if s.removed_in.is_none() && !rows.iter().any(|r| r.key() == s.row.key()) {
                s.removed_in = Some(period.to_string());
            }
        }
    }
    union.sort_by_key(|s| s.row.key());
}

/// `state(P) = fold(state(P−1), observed(P))`. Pure; needs no rules – the run has judged and
/// recorded its conclusions in `observed`. Folding a period already folded returns the
/// state unchanged.
pub fn fold(mut state: State, observed: &Observed) -> State {
    let period = observed.period.as_str();
    if state.folded.iter().any(|p| p.as_str() >= period) {
        return state;
    }
    for (id, seen) in &observed.projects {
        let p = state
            .projects
            .entry(id.clone())
            .or_insert_with(|| ProjectState { first_seen: period.to_string(), ..ProjectState::default() });
        // A finding standing before the map was kept (an older file) counts from the period
        // it was last seen in.
        let before: Vec<String> = p.last.findings.iter().map(finding_id).collect();
        let now: std::collections::BTreeSet<String> = seen.header.findings.iter().map(finding_id).collect();
        for id in before {
            if !p.last_seen.is_empty() {
                p.findings_since.entry(id).or_insert_with(|| p.last_seen.clone());
            }
        }
        p.findings_since.retain(|id, _| now.contains(id));
        for id in now {
            p.findings_since.entry(id).or_insert_with(|| period.to_string());
        }
        p.last_seen = period.to_string();
        p.last = seen.header.clone();
        if seen.baseline.is_some() {
            p.baseline = seen.baseline;
        }
        p.untraced = seen.untraced.clone();
        p.baseline_untraced = seen.baseline_untraced;
        merge(&mut p.status, &seen.status, seen.status_sheet, period, observed.as_of);
        merge(&mut p.drift, &seen.drift, seen.drift_sheet, period, observed.as_of);
        // The run accepted these rows (rewritten ones keep their earlier values): they
        // replace the union's, and a removed row stays.
        merge(&mut p.budget_changes, &seen.budget_changes, false, period, observed.as_of);
    }
    for (id, p) in state.projects.iter_mut() {
        if !observed.projects.contains_key(id) && !p.last.closed {
            p.missing.push(period.to_string());
        }
    }
    if let Some(point) = &observed.portfolio {
        state.portfolio.retain(|p| p.period != point.period);
        state.portfolio.push(PortfolioPoint { period: period.to_string(), ..point.clone() });
    }
    state.folded.push(period.to_string());
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A status row with a forecast in millions.
    fn status(date: &str, forecast: f64) -> StatusRow {
        StatusRow { date: d(date), n: 0, forecast: Some(forecast * 1e6), ..StatusRow::default() }
    }

    fn observed(period: &str, as_of: &str, projects: Vec<(&str, ObservedProject)>) -> Observed {
        Observed {
            period: period.into(),
            as_of: d(as_of),
            projects: projects.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            portfolio: None,
        }
    }

    fn with_status(rows: Vec<StatusRow>) -> ObservedProject {
        ObservedProject { status_sheet: true, status: rows, ..ObservedProject::default() }
    }

    #[test]
    fn a_deleted_row_stays_in_the_union_and_a_changed_one_takes_its_new_values() {
        let s = fold(
            State::default(),
            &observed("2026-09", "2026-09-24", vec![("A", with_status(vec![status("2026-07-01", 1.9)]))]),
        );
        let s = fold(
            s,
            &observed(
                "2026-10",
                "2026-10-22",
                vec![("A", with_status(vec![status("2026-07-01", 1.9), status("2026-09-01", 2.1)]))],
            ),
        );
        let s = fold(
            s,
            &observed(
                "2026-11",
                "2026-11-26",
                vec![("A", with_status(vec![status("2026-09-01", 2.0), status("2026-11-01", 2.3)]))],
            ),
        );
        let a = &s.projects["A"];
        assert_eq!(a.status.len(), 3);
        assert_eq!(a.status[0].removed_in.as_deref(), Some("2026-11"));
        assert_eq!(a.status[1].changed_in.as_deref(), Some("2026-11"));
        assert_eq!(a.status[1].row.forecast, Some(2.0e6));
        // Near miss: the unchanged row is neither changed nor removed.
        assert_eq!((a.status[2].changed_in.as_ref(), a.status[2].removed_in.as_ref()), (None, None));
        assert_eq!(a.counted_status().count(), 3);
        assert_eq!((a.first_seen.as_str(), a.last_seen.as_str()), ("2026-09", "2026-11"));
        assert_eq!(s.folded, vec!["2026-09", "2026-10", "2026-11"]);
    }

    #[test]
    fn a_row_only_ever_in_the_future_never_counts_and_a_missing_sheet_removes_nothing() {
        let s = fold(
            State::default(),
            &observed("2026-11", "2026-11-26", vec![("A", with_status(vec![status("2027-01-15", 1.0)]))]),
        );
        // December: the sheet is gone (not the rows).
        let s = fold(
            s,
            &observed(
                "2026-12",
                "2026-12-20",
                vec![("A", ObservedProject { status_sheet: false, ..ObservedProject::default() })],
            ),
        );
        let a = &s.projects["A"];
        assert_eq!(a.status[0].counted_from, None);
        assert_eq!(a.status[0].removed_in, None);
        // Present once its date has come: it counts from then.
        let s = fold(s, &observed("2027-01", "2027-01-20", vec![("A", with_status(vec![status("2027-01-15", 1.0)]))]));
        assert_eq!(s.projects["A"].status[0].counted_from.as_deref(), Some("2027-01"));
    }

    #[test]
    fn a_missed_month_is_recorded_and_closed_projects_are_not_missed() {
        let closed = ObservedProject { header: Header { closed: true, ..Header::default() }, ..Default::default() };
        let s = fold(
            State::default(),
            &observed("2026-09", "2026-09-24", vec![("A", ObservedProject::default()), ("B", closed)]),
        );
        let s = fold(s, &observed("2026-10", "2026-10-22", vec![]));
        let s = fold(s, &observed("2026-11", "2026-11-26", vec![("A", ObservedProject::default())]));
        assert_eq!(s.projects["A"].missing, vec!["2026-10"]);
        assert_eq!(s.projects["A"].last_seen, "2026-11");
        assert!(s.projects["B"].missing.is_empty());
        // Folding an older or the same period again changes nothing.
        let again = fold(s.clone(), &observed("2026-10", "2026-10-22", vec![("C", ObservedProject::default())]));
        assert_eq!(again, s);
    }

    fn with_findings(keys: &[(&str, &str)]) -> ObservedProject {
        let findings = keys.iter().map(|(c, r)| (c.to_string(), Some(r.to_string()), "Krav!E5".to_string())).collect();
        ObservedProject { header: Header { findings, ..Header::default() }, ..ObservedProject::default() }
    }

    #[test]
    fn a_finding_keeps_its_first_period_until_it_is_fixed_and_a_missed_month_is_no_break() {
        let s = fold(
            State::default(),
            &observed("2026-09", "2026-09-24", vec![("A", with_findings(&[("KRAV-UNANSWERED", "F3")]))]),
        );
        // October: no projektark. November: still open, and a second one.
        let s = fold(s, &observed("2026-10", "2026-10-22", vec![]));
        let s = fold(
            s,
            &observed(
                "2026-11",
                "2026-11-26",
                vec![("A", with_findings(&[("KRAV-UNANSWERED", "F3"), ("KRAV-UNANSWERED", "F4")]))],
            ),
        );
        let since = &s.projects["A"].findings_since;
        assert_eq!(since["KRAV-UNANSWERED|F3|Krav!E5"], "2026-09");
        assert_eq!(since["KRAV-UNANSWERED|F4|Krav!E5"], "2026-11");
        // December: F3 fixed (gone from the map); January: back again – it stands anew.
        let s = fold(s, &observed("2026-12", "2026-12-20", vec![("A", with_findings(&[("KRAV-UNANSWERED", "F4")]))]));
        assert!(!s.projects["A"].findings_since.contains_key("KRAV-UNANSWERED|F3|Krav!E5"));
        let s = fold(
            s,
            &observed(
                "2027-01",
                "2027-01-20",
                vec![("A", with_findings(&[("KRAV-UNANSWERED", "F3"), ("KRAV-UNANSWERED", "F4")]))],
            ),
        );
        let since = &s.projects["A"].findings_since;
        assert_eq!(since["KRAV-UNANSWERED|F3|Krav!E5"], "2027-01");
        assert_eq!(since["KRAV-UNANSWERED|F4|Krav!E5"], "2026-11");
    }

    #[test]
    fn a_state_from_an_older_file_dates_standing_findings_from_their_last_seen_period() {
        // A file written before findings_since existed: the field is absent.
        let s = fold(
            State::default(),
            &observed("2026-09", "2026-09-24", vec![("A", with_findings(&[("KRAV-UNANSWERED", "F3")]))]),
        );
        let mut json = serde_json::to_value(&s).unwrap();
        json["projects"]["A"].as_object_mut().unwrap().remove("findings_since");
        let old: State = serde_json::from_value(json).unwrap();
        assert!(old.projects["A"].findings_since.is_empty());
        let s = fold(old, &observed("2026-10", "2026-10-22", vec![("A", with_findings(&[("KRAV-UNANSWERED", "F3")]))]));
        assert_eq!(s.projects["A"].findings_since["KRAV-UNANSWERED|F3|Krav!E5"], "2026-09");
    }

    #[test]
    fn the_file_reads_back_what_was_written() {
        let s = fold(
            State::default(),
            &observed("2026-09", "2026-09-24", vec![("A", with_status(vec![status("2026-07-01", 1.9)]))]),
        );
        let file = HistoryFile {
            format: FORMAT,
            period: "2026-09".into(),
            as_of: d("2026-09-24"),
            state: s,
            ..HistoryFile::default()
        };
        let text = serde_json::to_string(&file).unwrap();
        let back: HistoryFile = serde_json::from_str(&text).unwrap();
        assert_eq!(back, file);
    }

    #[test]
    fn the_portfolio_counts_are_kept_per_period_and_older_files_still_read() {
        let point = |period: &str, projects: usize| PortfolioPoint {
            period: period.into(),
            projects,
            levels: vec![("N1".into(), projects)],
            errors: 1,
            ..PortfolioPoint::default()
        };
        let with = |period: &str, as_of: &str, n: usize| Observed {
            portfolio: Some(point(period, n)),
            ..observed(period, as_of, vec![("A", ObservedProject::default())])
        };
        let s = fold(State::default(), &with("2026-09", "2026-09-24", 3));
        // A period folded from an archive without the counts adds no point.
        let s = fold(s, &observed("2026-10", "2026-10-22", vec![]));
        let s = fold(s, &with("2026-11", "2026-11-26", 4));
        let periods: Vec<(&str, usize)> = s.portfolio.iter().map(|p| (p.period.as_str(), p.projects)).collect();
        assert_eq!(periods, [("2026-09", 3), ("2026-11", 4)]);
        // Near miss: folding the same period again does not add a second point.
        assert_eq!(fold(s.clone(), &with("2026-11", "2026-11-26", 9)).portfolio.len(), 2);
        // A file written before the counts were kept (no `portfolio` anywhere) reads.
        let mut old = serde_json::to_value(HistoryFile {
            format: FORMAT,
            period: "2026-11".into(),
            as_of: d("2026-11-26"),
            observed: with("2026-11", "2026-11-26", 4),
            state: s,
            ..HistoryFile::default()
        })
        .unwrap();
        old["state"].as_object_mut().unwrap().remove("portfolio");
        old["observed"].as_object_mut().unwrap().remove("portfolio");
        let back: HistoryFile = serde_json::from_value(old).unwrap();
        assert!(back.state.portfolio.is_empty() && back.observed.portfolio.is_none());
    }

    #[test]
    fn the_untraced_rows_come_from_the_period_last_seen_and_older_files_still_read() {
        let key = (d("2026-08-01"), 0);
        let flagged = ObservedProject { untraced: vec![key], baseline_untraced: true, ..ObservedProject::default() };
        let s = fold(State::default(), &observed("2026-09", "2026-09-24", vec![("A", flagged)]));
        // October: not sent in – the flags of September still stand for November.
        let s = fold(s, &observed("2026-10", "2026-10-22", vec![]));
        assert_eq!((s.projects["A"].untraced.clone(), s.projects["A"].baseline_untraced), (vec![key], true));
        // November: seen without flags – none stand.
        let s = fold(s, &observed("2026-11", "2026-11-26", vec![("A", ObservedProject::default())]));
        assert!(s.projects["A"].untraced.is_empty() && !s.projects["A"].baseline_untraced);
        // A format-1 file written before approved, lights and the flags were kept reads.
        let seen = ObservedProject {
            header: Header {
                approved: Some(2.0e6),
                lights: Some(Lights { groen: 3, ..Lights::default() }),
                ..Header::default()
            },
            untraced: vec![key],
            ..ObservedProject::default()
        };
        let mut json = serde_json::to_value(&seen).unwrap();
        for field in ["approved", "lights"] {
            json["header"].as_object_mut().unwrap().remove(field).unwrap();
        }
        json.as_object_mut().unwrap().remove("untraced").unwrap();
        json.as_object_mut().unwrap().remove("baseline_untraced").unwrap();
        let old: ObservedProject = serde_json::from_value(json).unwrap();
        assert_eq!((old.header.approved, old.header.lights, old.untraced.len()), (None, None, 0));
    }
}
