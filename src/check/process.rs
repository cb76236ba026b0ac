//! The process as OS2 runs it, read from Historik and the board's records: the phase a
//! project is judged by (a paused or closed project by the phase it left), the level in
//! force at each step ([`LevelCourse`]), the board decisions the projektark claims and what
//! the log says about them ([`Records`]), the board's approvals, every start that needs one,
//! and pauses that resume elsewhere. Computed once per project ([`Process::read_in`]); the
//! phase, status, level, economy and requirement checks all judge from it, so they agree.
//! Pure: no findings here.

use crate::check::context::Context;
use crate::check::level_course::LevelCourse;
use crate::check::records::{Claim, ClaimSource, FactKind, Judged, Records, approval_level};
use crate::model::choice::{Decider, DecisionKind};
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
    /// Only the decision log (Beslutninger, 1-based row): an approval – or a raise to a
    /// level the board approves – the projektark does not show.
    Log(u32),
}

/// One board approval: its date (the log's, when the log has it) and where it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Approval {
    pub date: NaiveDate,
    pub source: ApprovalSource,
    /// The Beslutninger row that records it, if one does.
    pub log: Option<u32>,
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
    /// No approval recorded at all (none valid for the level: an approval counts for a
    /// level only when dated on or after the placement at it).
    Missing,
    /// The approval's date cannot be read and the log is not yet the authority: whether
    /// the start was covered cannot be told (the secretariat checks the minutes).
    Unverifiable,
}

/// A step that took the project into Igangsat or further (on the main line) from a phase
/// before it: the moment the board gate applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Start {
    /// 0-based Historik row of the step.
    pub row: u32,
    pub date: Option<NaiveDate>,
    /// An undated start happened no later than the next dated Historik step: its date (and
    /// row). The start's own date when it has one.
    pub bound: Option<(NaiveDate, u32)>,
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
    /// The level in force over time.
    pub course: LevelCourse,
    /// The board decisions the projektark claims, each with what the log says about it.
    pub claims: Vec<(Claim, Judged)>,
    /// An approval date that cannot be read, judged before the log's cut-over: the gate
    /// cannot be verified.
    pub unverifiable: bool,
    /// The approval that holds for the level in force today (the newest dated on or after
    /// the placement at it), if any.
    pub approval_now: Option<Approval>,
    /// The start of the spell at today's level (for messages): an approval before it does
    /// not count for that level.
    pub placed_since_now: Option<NaiveDate>,
    /// The level in force today (the register and the log; else the declared level).
    pub in_force: Option<LevelId>,
    /// Fase is the closing phase (Udfaset) and the stop counts: not a board decision the
    /// log lacks, not decided by another body where only the board may stop the project.
    /// A stop that does not count leaves the project running in the phase it left.
    pub closed: bool,
}

pub use crate::check::records::is_approval_step;

impl Process {
    /// Reads the history of `project` against the styringsmodel alone (no register, no
    /// earlier run), as of no particular day.
    pub fn read(rules: &Rules, project: &Project) -> Process {
        let ctx = Context {
            rules,
            as_of: NaiveDate::MAX,
            period: "",
            previous: None,
            register: &crate::model::register::EMPTY,
        };
        Process::read_in(&ctx, project)
    }

    /// Reads the history of `project` against the styringsmodel, the register and the log.
    pub fn read_in(ctx: &Context<'_>, project: &Project) -> Process {
        let rules = ctx.rules;
        let records = Records::new(rules, ctx.register);
        let course = LevelCourse::build(&records, project, ctx.previous);
        let phase = project.fields.phase.given().copied();
        let started = rules.key.started;
        let running = |p: PhaseId| !rules.is_off_line(p) && rules.reached(p, started);
        let mut process = Process::default();

        // A date that Historik gives to another decision of the board (Idé → Koncept, a
        // backflow) is that decision, not an approval of the start.
        if let Some(date) = project.fields.board_approved.given() {
            let board_that_day = |s: &&crate::model::project::HistoryStep| {
                s.date == Input::Given(*date) && s.decider == Input::Given(Decider::Bestyrelse)
            };
            let other = project.history.iter().filter(board_that_day).find(|s| !is_approval_step(rules, s));
            let approval_that_day = project.history.iter().filter(board_that_day).any(|s| is_approval_step(rules, s));
            if let Some(step) = other
                && !approval_that_day
            {
                process.field_is_other_decision = Some(step.row);
            }
        }

        // The board decisions the projektark claims, judged against the log.
        let level_at = |date: Option<NaiveDate>, row: Option<u32>| match row
            .and_then(|r| project.history.iter().find(|s| s.row == r))
        {
            Some(step) => course.at_step(project, step),
            None => course.level_at(date),
        };
        let claims =
            crate::check::records::claims(rules, project, &level_at, process.field_is_other_decision.is_some());
        // An unreadable date is judged as before the cut-over when the project's history
        // predates it.
        let first_dated = project.history.iter().filter_map(|s| s.date.given().copied()).min();
        let legacy_undated = records.log_from().is_none_or(|from| first_dated.is_some_and(|d| d < from));
        let judged = records.judge_all(project.id(), &claims, legacy_undated);

        let mut used_log: Vec<usize> = Vec::new();
        // An approval step the log has at another date: the step *is* the board's decision,
        // so the start it makes happened on the log's date.
        let mut step_on_log: Vec<(u32, NaiveDate)> = Vec::new();
        for (claim, judged) in claims.iter().zip(&judged) {
            if claim.kind != FactKind::Approval {
                continue;
            }
            used_log.extend(judged.decision());
            // A claim the log lacks is no approval where the board must approve; elsewhere
            // (a step to the board at a level without approval) it confers nothing and is
            // kept as written – it cannot count for a level placed after it.
            let date = match judged {
                Judged::Legacy | Judged::Supported(_) => claim.date.given().copied(),
                Judged::SupportedOther(i, _) => Some(records.decision(*i).date),
                Judged::Unsupported { .. } if !claim.conferring => claim.date.given().copied(),
                Judged::Unsupported { .. } | Judged::Unreadable => None,
            };
            if claim.date == Input::Invalid && *judged == Judged::Legacy {
                process.unverifiable = true;
            }
            let log = judged.decision().map(|i| records.decision(i).row);
            if let (Judged::SupportedOther(..), Some(date)) = (judged, date) {
                step_on_log.extend(claim.sources.iter().filter_map(|s| match s {
                    ClaimSource::Step(row) => Some((*row, date)),
                    _ => None,
                }));
            }
            for source in &claim.sources {
                let source = match source {
                    ClaimSource::ApprovalField => ApprovalSource::Field,
                    ClaimSource::Step(row) => ApprovalSource::Step(*row),
                    ClaimSource::BudgetRow(_) => continue,
                };
                if let Some(date) = date {
                    process.approvals.push(Approval { date, source, log });
                }
            }
        }
        // The log's approvals the projektark does not show count too: the log decides. A
        // board decision raising the project to a level the board approves is its approval.
        if let Some(id) = project.id() {
            for i in records.counted(id) {
                let d = records.decision(i);
                let approval = d.kind == Some(DecisionKind::Godkendelse)
                    || (d.kind == Some(DecisionKind::Niveau) && d.level.is_some_and(|l| approval_level(rules, l)));
                if approval && d.date <= ctx.as_of && !used_log.contains(&i) {
                    process.approvals.push(Approval {
                        date: d.date,
                        source: ApprovalSource::Log(d.row),
                        log: Some(d.row),
                    });
                }
            }
        }
        // An unreadable date matters only when nothing else shows an approval.
        process.unverifiable &= process.approvals.is_empty();
        process.claims = claims.into_iter().zip(judged).collect();

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
            let level = course.at_step(project, step);
            match (before.map(running), after.map(running)) {
                (Some(false), Some(true)) => {
                    if let Some(level) = level {
                        let date = step_on_log
                            .iter()
                            .find(|(row, _)| *row == step.row)
                            .map(|(_, d)| *d)
                            .or_else(|| step.date.given().copied());
                        // An undated start happened no later than the next dated step.
                        let bound = match date {
                            Some(d) => Some((d, step.row)),
                            None => project.history[i + 1..].iter().find_map(|s| s.date.given().map(|d| (*d, s.row))),
                        };
                        process.starts.push(Start {
                            row: step.row,
                            date,
                            bound,
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
        process.course = course;
        process.closed = phase == Some(rules.key.closed) && process.stop_counts(rules, project);

        let gates: Vec<Option<Gate>> = process.starts.iter().map(|s| process.gate(rules, s)).collect();
        for (start, gate) in process.starts.iter_mut().zip(gates) {
            start.gate = gate;
        }
        // An approval dated inside a running spell that began at a level needing approval
        // came after the fact – even when another record shows an approval on time.
        // A field dated after a start that a Historik approval covers on time is not a late
        // approval but a disagreement between the two records.
        for approval in &process.approvals {
            // A board decision in the log that the projektark does not show (a later
            // raise, which carries its own approval) is no late approval of a start that
            // was covered then: the gate judges each start by the approvals valid for it.
            if matches!(approval.source, ApprovalSource::Log(_)) {
                continue;
            }
            let spell = process.starts.iter().zip(&ends).find(|(s, end)| {
                s.gate.is_some()
                    && s.bound.is_some_and(|(d, _)| d < approval.date)
                    && end.is_none_or(|e| approval.date < e)
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
        // The approval that holds for the level in force today.
        process.in_force = process.course.now(ctx.as_of);
        process.placed_since_now = process.course.placed_since(ctx.as_of);
        process.approval_now = process
            .approvals
            .iter()
            .filter(|a| a.date <= ctx.as_of && process.placed_since_now.is_none_or(|p| a.date >= p))
            .max_by_key(|a| a.date)
            .copied();
        process
    }

    /// Whether the project's stop (the last step into the closing phase) counts: not a
    /// board decision the log lacks, and – where only the board may stop the project at
    /// the level then – decided by the board.
    fn stop_counts(&self, rules: &Rules, project: &Project) -> bool {
        let Some(step) = project.history.iter().rev().find(|s| s.to == Input::Given(rules.key.closed)) else {
            return true;
        };
        let unsupported = self.claims.iter().any(|(c, j)| {
            c.kind == FactKind::Stop
                && c.sources.contains(&ClaimSource::Step(step.row))
                && c.conferring
                && matches!(j, Judged::Unsupported { .. })
        });
        let wrong_decider = match (&step.from, &step.decider, self.course.at_step(project, step)) {
            (Input::Given(from), Input::Given(by), Some(level)) => rules
                .transition(*from, rules.key.closed, level)
                .is_some_and(|t| t.deciders == [Decider::Bestyrelse] && *by != Decider::Bestyrelse),
            _ => false,
        };
        !(unsupported || wrong_decider)
    }

    /// The claim of a Historik step or a Budgetændringer row, with what the log says.
    pub fn claim_of(&self, source: ClaimSource) -> Option<&(Claim, Judged)> {
        self.claims.iter().find(|(c, _)| c.sources.contains(&source))
    }

    /// How a start is covered by the approvals, if its level needs approval. An approval
    /// counts for the level only when dated on or after the placement at it.
    fn gate(&self, rules: &Rules, start: &Start) -> Option<Gate> {
        if !approval_level(rules, start.level) {
            return None;
        }
        let placed = start.bound.and_then(|(d, _)| self.course.placed_since(d));
        let valid = |a: &&Approval| placed.is_none_or(|p| a.date >= p);
        let missing = if self.unverifiable {
            Gate::Unverifiable
        } else if start.after_backflow.is_some() {
            Gate::ReapprovalMissing
        } else {
            Gate::Missing
        };
        let (floor_row, floor_date) = match start.after_backflow {
            Some((row, date)) => (Some(row), date),
            None => (None, None),
        };
        let after_floor = |a: &&Approval| match a.source {
            ApprovalSource::Step(row) => floor_row.is_none_or(|f| row > f),
            ApprovalSource::Field | ApprovalSource::Log(_) => floor_date.is_none_or(|f| a.date > f),
        };
        let usable: Vec<&Approval> = self.approvals.iter().filter(valid).filter(after_floor).collect();
        if usable.is_empty() {
            return Some(missing);
        }
        let Some((start_date, _)) = start.bound else {
            // Undated, and no dated step after it: when it started cannot be told.
            return Some(Gate::Covered);
        };
        let on_or_before = |a: &&&Approval| match a.source {
            ApprovalSource::Step(row) => row <= start.row && a.date <= start_date,
            ApprovalSource::Field | ApprovalSource::Log(_) => a.date <= start_date,
        };
        if usable.iter().any(|a| on_or_before(&a)) {
            return Some(Gate::Covered);
        }
        if let Some(late) = usable.iter().filter(|a| a.date > start_date).min_by_key(|a| a.date) {
            return Some(Gate::Late(**late));
        }
        Some(missing)
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

    /// Whether the board's approval holds for the project as it stands: an approval for
    /// the level in force and the latest start (if any) was not a restart without a new one.
    pub fn approval_holds(&self) -> bool {
        self.approval_now.is_some()
            && !self.starts.last().is_some_and(|s| matches!(s.gate, Some(Gate::ReapprovalMissing)))
    }

    /// The level in force today.
    pub fn level_now(&self, as_of: NaiveDate) -> Option<LevelId> {
        self.course.now(as_of)
    }
}

#[cfg(test)]
mod tests;
