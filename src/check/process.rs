//! The process as OS2 runs it, read from Historik: the phase a project is judged by (a
//! paused or closed project by the phase it left), the level in force at each step, the
//! board's approvals, every start that needs one, and pauses that resume elsewhere.
//! Computed once per project ([`Process::read`]); the phase, status, level and
//! requirement checks all judge from it, so they agree. Pure: no findings here.

use crate::model::choice::{BoardRole, Decider};
use crate::model::project::{Input, Project};
use crate::model::rules::{LevelId, PhaseId, Rules};
use chrono::NaiveDate;

/// Where a board approval is recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApprovalSource {
    /// The Projekt field 'Bestyrelse godkendt (dato)'.
    Field,
    /// A Historik step Bestyrelsesbehandling → Igangsat decided by Bestyrelse (its row).
    Step(u32),
}

/// One board approval: its date and where it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Approval {
    pub date: NaiveDate,
    pub source: ApprovalSource,
}

/// How a start that needs the board's approval is covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// An approval on or before the start (and after any earlier backflow).
    Covered,
    /// No approval on or before the start, but one dated after it.
    Late(Approval),
    /// A restart after a backflow out of Igangsat or Implementering without a new approval.
    ReapprovalMissing,
    /// No approval recorded at all.
    Missing,
}

/// A step that took the project into Igangsat or further (on the main line) from a phase
/// before it: the moment the board gate applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Start {
    /// 0-based Historik row of the step.
    pub row: u32,
    pub date: Option<NaiveDate>,
    /// The level in force at the step.
    pub level: LevelId,
    /// The backflow out of Igangsat/Implementering before this start, if any: (row, date).
    pub after_backflow: Option<(u32, Option<NaiveDate>)>,
    /// `None` when the level in force needs no approval.
    pub gate: Option<Gate>,
}

/// A resumption from a pause to another phase than the one the project left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongResume {
    pub row: u32,
    pub left: PhaseId,
    pub to: PhaseId,
}

/// What the history says about a project's way through the process.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Process {
    /// The phase the project is judged by: Fase, or for a paused or closed project the
    /// phase it left (Pauseret and Udfaset sort after Produkt and say nothing about how
    /// far the project got). `None` when Fase is missing.
    pub effective: Option<PhaseId>,
    /// For a paused or closed project: the phase it left, when the history tells.
    pub left: Option<PhaseId>,
    /// Every recorded board approval, field first, then Historik order.
    pub approvals: Vec<Approval>,
    /// Every start, oldest first.
    pub starts: Vec<Start>,
    /// Approvals dated while the project was already running after a start that needed
    /// one (the board approved what had already begun), with the start's row.
    pub late: Vec<(Approval, u32)>,
    pub wrong_resumes: Vec<WrongResume>,
    /// 'Bestyrelse godkendt (dato)' is the date of another board decision in Historik (this
    /// row), and so not counted as an approval.
    pub field_is_other_decision: Option<u32>,
    /// 'Bestyrelse godkendt (dato)' is later than the Historik approval (this row) that
    /// covers the start on time: the records disagree.
    pub field_disagrees: Option<u32>,
}

/// True when a step is the board's approval: Bestyrelsesbehandling → Igangsat decided
/// by Bestyrelse. No other board-decided step is an approval.
pub fn is_approval_step(rules: &Rules, step: &crate::model::project::HistoryStep) -> bool {
    step.from == Input::Given(rules.key.board_review)
        && step.to == Input::Given(rules.key.started)
        && step.decider == Input::Given(Decider::Bestyrelse)
}

impl Process {
    /// Reads the history of `project` against the styringsmodel.
    pub fn read(rules: &Rules, project: &Project) -> Process {
        let declared = project.fields.level.given().copied();
        let phase = project.fields.phase.given().copied();
        let started = rules.key.started;
        let running = |p: PhaseId| !rules.is_off_line(p) && rules.reached(p, started);
        let mut process = Process::default();

        if let Some(date) = project.fields.board_approved.given() {
            // A date that Historik gives to another decision of the board (Idé → Koncept, a
            // backflow) is that decision, not an approval of the start.
            let board_that_day = |s: &&crate::model::project::HistoryStep| {
                s.date == Input::Given(*date) && s.decider == Input::Given(Decider::Bestyrelse)
            };
            let other = project.history.iter().filter(board_that_day).find(|s| !is_approval_step(rules, s));
            let approval_that_day = project.history.iter().filter(board_that_day).any(|s| is_approval_step(rules, s));
            match other {
                Some(step) if !approval_that_day => process.field_is_other_decision = Some(step.row),
                _ => process.approvals.push(Approval { date: *date, source: ApprovalSource::Field }),
            }
        }
        for step in &project.history {
            if let Input::Given(date) = step.date
                && is_approval_step(rules, step)
            {
                process.approvals.push(Approval { date, source: ApprovalSource::Step(step.row) });
            }
        }

        // Walk the steps: `at` is the effective phase so far (on the main line), `left` the
        // phase a pause or stop left.
        let mut at: Option<PhaseId> = None;
        let mut left: Option<PhaseId> = None;
        let mut backflow: Option<(u32, Option<NaiveDate>)> = None;
        // For each start: the date its running spell ended (the next backflow), if any.
        let mut ends: Vec<Option<NaiveDate>> = Vec::new();
        let mut last_to: Option<PhaseId> = None;
        for (i, step) in project.history.iter().enumerate() {
            let (Input::Given(from), Input::Given(to)) = (&step.from, &step.to) else {
                continue;
            };
            let (from, to) = (*from, *to);
            if i == 0 || at.is_none() {
                at = (!rules.is_off_line(from)).then_some(from);
            }
            if rules.is_pause(from)
                && !rules.is_off_line(to)
                && let Some(l) = left
                && l != to
            {
                process.wrong_resumes.push(WrongResume { row: step.row, left: l, to });
            }
            let before = at;
            let after = if rules.is_off_line(to) {
                if !rules.is_off_line(from) {
                    left = Some(from);
                }
                before
            } else {
                left = None;
                Some(to)
            };
            let level = step.level.given().copied().or(declared);
            match (before.map(running), after.map(running)) {
                (Some(false), Some(true)) => {
                    if let Some(level) = level {
                        process.starts.push(Start {
                            row: step.row,
                            date: step.date.given().copied(),
                            level,
                            after_backflow: backflow,
                            gate: None,
                        });
                        ends.push(None);
                    }
                }
                (Some(true), Some(false)) => {
                    backflow = Some((step.row, step.date.given().copied()));
                    if let Some(end) = ends.last_mut()
                        && end.is_none()
                    {
                        *end = step.date.given().copied().or(Some(NaiveDate::MAX));
                    }
                }
                _ => {}
            }
            at = after;
            last_to = Some(to);
        }

        process.effective = phase.map(|p| {
            if !rules.is_off_line(p) {
                return p;
            }
            // The phase the history last reached on the main line is the phase that was
            // left – also when the step into the pause is missing (that gap is a finding of
            // its own). With no history at all nothing tells how far the project got: it
            // is judged by the first phase, and PHASE-HISTORY-MISSING asks for the history
            // (an error at a level needing approval). Judging it by Pauseret's own
            // Rækkefølge, after Produkt, would call every requirement due.
            match (last_to, at) {
                (_, Some(a)) => a,
                (None, None) => rules.first_phase(),
                (Some(_), None) => p,
            }
        });
        process.left = phase
            .filter(|p| rules.is_off_line(*p) && !project.history.is_empty())
            .and(process.effective)
            .filter(|e| Some(*e) != phase);

        let gates: Vec<Option<Gate>> = process.starts.iter().map(|s| process.gate(rules, s)).collect();
        for (start, gate) in process.starts.iter_mut().zip(gates) {
            start.gate = gate;
        }
        // An approval dated inside a running spell that began at a level needing approval
        // came after the fact – even when another record shows an approval on time.
        // A field dated after a start that a Historik approval covers on time is not a late
        // approval but a disagreement between the two records.
        for approval in &process.approvals {
            let spell = process.starts.iter().zip(&ends).find(|(s, end)| {
                s.gate.is_some() && s.date.is_some_and(|d| d < approval.date) && end.is_none_or(|e| approval.date < e)
            });
            if let Some((start, _)) = spell {
                let on_time_step =
                    (approval.source == ApprovalSource::Field).then(|| process.covering_step(start)).flatten();
                match on_time_step {
                    Some(row) => process.field_disagrees = Some(row),
                    None => process.late.push((*approval, start.row)),
                }
            }
        }
        process
    }

    /// How a start is covered by the approvals, if its level needs approval.
    fn gate(&self, rules: &Rules, start: &Start) -> Option<Gate> {
        if rules.level(start.level).board != BoardRole::Godkendelse {
            return None;
        }
        if self.approvals.is_empty() {
            return Some(Gate::Missing);
        }
        let (floor_row, floor_date) = match start.after_backflow {
            Some((row, date)) => (Some(row), date),
            None => (None, None),
        };
        let after_floor = |a: &Approval| match a.source {
            ApprovalSource::Step(row) => floor_row.is_none_or(|f| row > f),
            ApprovalSource::Field => floor_date.is_none_or(|f| a.date > f),
        };
        let Some(start_date) = start.date else {
            // Undated start: judged by order alone; an approval step at or before it covers.
            let covered = self.approvals.iter().any(|a| {
                after_floor(a)
                    && match a.source {
                        ApprovalSource::Step(row) => row <= start.row,
                        ApprovalSource::Field => true,
                    }
            });
            return Some(if covered { Gate::Covered } else { Gate::ReapprovalMissing });
        };
        let on_or_before = |a: &Approval| match a.source {
            ApprovalSource::Step(row) => row <= start.row && a.date <= start_date,
            ApprovalSource::Field => a.date <= start_date,
        };
        if self.approvals.iter().any(|a| after_floor(a) && on_or_before(a)) {
            return Some(Gate::Covered);
        }
        if let Some(late) =
            self.approvals.iter().filter(|a| after_floor(a) && a.date > start_date).min_by_key(|a| a.date)
        {
            return Some(Gate::Late(*late));
        }
        Some(if start.after_backflow.is_some() { Gate::ReapprovalMissing } else { Gate::Missing })
    }

    /// The Historik approval step that covers `start` on time, if any.
    fn covering_step(&self, start: &Start) -> Option<u32> {
        let start_date = start.date?;
        let floor = start.after_backflow.map(|(row, _)| row);
        self.approvals.iter().find_map(|a| match a.source {
            ApprovalSource::Step(row) if row <= start.row && a.date <= start_date && floor.is_none_or(|f| row > f) => {
                Some(row)
            }
            _ => None,
        })
    }

    /// True when the project is (effectively) at or past Igangsat. A paused or closed
    /// project whose history does not say what it left counts by its own Rækkefølge.
    pub fn started(&self, rules: &Rules) -> bool {
        self.effective.is_some_and(|p| rules.reached(p, rules.key.started))
    }

    /// True when the effective phase is at or past `mark` (with no phase: true, so that
    /// nothing is waived for a project whose phase could not be read).
    pub fn reached(&self, rules: &Rules, mark: PhaseId) -> bool {
        self.effective.is_none_or(|p| rules.reached(p, mark))
    }

    /// Whether the board's approval holds for the project as it stands: some approval
    /// exists and the latest start (if any) was not a restart without a new one.
    pub fn approval_holds(&self) -> bool {
        !self.approvals.is_empty()
            && !self.starts.last().is_some_and(|s| matches!(s.gate, Some(Gate::ReapprovalMissing)))
    }
}

#[cfg(test)]
mod tests;
