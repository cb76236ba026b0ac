//! The process as OS2 runs it, read from Historik: the phase a project is judged by (a
//! paused or closed project by the phase it left), the level in force at each step, the
//! board's approvals, every start that needs one, and pauses that resume elsewhere.
//! Computed once per project ([`Process::read`]); the phase, status, level and
//! requirement checks all judge from it, so they agree. Pure: no findings here.

use crate::model::choice::{BoardRole, Decider};
use crate::model::project::{Input, Project};
use crate::rules::{LevelId, PhaseId, Rules};
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
mod tests {
    //! Every route around the board for N2/N3 gives an error; every legitimate path
    //! through the process gives none.
    use crate::check::testkit::{P, as_of, rules};
    use crate::finding::{Code, Severity};
    use chrono::Duration;

    const BOARD_PATH: [(&str, &str, &str); 3] = [
        ("Idé", "Koncept", "Sekretariat"),
        ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
        ("Bestyrelsesbehandling", "Igangsat", "Bestyrelse"),
    ];

    fn with(extra: &[(&'static str, &'static str, &'static str)]) -> Vec<(&'static str, &'static str, &'static str)> {
        let mut steps = BOARD_PATH.to_vec();
        steps.extend_from_slice(extra);
        steps
    }

    #[track_caller]
    fn clean(p: &P) {
        assert_eq!(p.codes(), vec![], "{:#?}", p.findings());
    }

    // ------------------------------------------------------------ routes around the board

    #[test]
    fn a_pause_is_no_way_around_the_board() {
        let steps = [
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Pauseret", "Sekretariat"),
            ("Pauseret", "Igangsat", "Styregruppe"),
        ];
        let p = P::new("N2", "Igangsat").steps(&steps).approved(None);
        p.has(Code::PhaseBoardApprovalMissing).has(Code::PhaseResumeWrong);
        assert_eq!(p.at(Code::PhaseResumeWrong), ["Historik!C4"]);
        // With an approval dated eight months after the start: late, not missing.
        let p = P::new("N2", "Igangsat").steps(&steps);
        let late = p.step_date(2) + Duration::days(240);
        let p = p.approved(Some(late.min(as_of())));
        p.has(Code::PhaseBoardApprovalLate).has(Code::PhaseResumeWrong).lacks(Code::PhaseBoardApprovalMissing);
    }

    #[test]
    fn a_restart_after_a_backflow_needs_a_new_approval() {
        // Igangsat → Koncept for economy, then back to Igangsat through a pause.
        let p = P::new("N2", "Igangsat")
            .steps(&with(&[
                ("Igangsat", "Koncept", "Styregruppe"),
                ("Koncept", "Pauseret", "Sekretariat"),
                ("Pauseret", "Igangsat", "Styregruppe"),
            ]))
            .reason(3, "OEKONOMI", None);
        let p = p.clone().approved(Some(p.step_date(2)));
        p.has(Code::PhaseBoardReapprovalMissing).has(Code::PhaseResumeWrong);
        assert_eq!(p.at(Code::PhaseBoardReapprovalMissing), ["Historik!C7"]);
        // The same restart straight from Koncept.
        let p = P::new("N2", "Igangsat")
            .steps(&with(&[("Igangsat", "Koncept", "Styregruppe"), ("Koncept", "Igangsat", "Sekretariat")]))
            .reason(3, "OEKONOMI", None);
        let p = p.clone().approved(Some(p.step_date(2)));
        p.has(Code::PhaseBoardReapprovalMissing).has(Code::PhaseTransitionNotAllowed);
        // Near miss: back through the board with a new approval.
        let p = P::new("N2", "Igangsat")
            .steps(&with(&[
                ("Igangsat", "Koncept", "Styregruppe"),
                ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
                ("Bestyrelsesbehandling", "Igangsat", "Bestyrelse"),
            ]))
            .reason(3, "OEKONOMI", None);
        let p = p.clone().approved(Some(p.step_date(5)));
        clean(&p);
    }

    #[test]
    fn a_board_step_that_is_not_the_approval_does_not_count() {
        // The board decided Idé → Koncept; nobody approved the start.
        let p = P::new("N2", "Igangsat")
            .steps(&[("Idé", "Koncept", "Bestyrelse"), ("Koncept", "Igangsat", "Sekretariat")])
            .approved(None);
        p.has(Code::PhaseBoardApprovalMissing);
        // A backflow decided by the board is no approval either.
        let p = P::new("N2", "Koncept")
            .steps(&[
                ("Idé", "Koncept", "Sekretariat"),
                ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
                ("Bestyrelsesbehandling", "Koncept", "Bestyrelse"),
            ])
            .reason(2, "UDBUD", None)
            .approved(None);
        assert!(p.findings().is_empty() && !crate::check::process::Process::read(rules(), &p.project).approval_holds());
    }

    #[test]
    fn an_approval_date_that_is_another_board_decision_is_no_approval() {
        // The board decided Idé → Koncept; the field gives that date as the approval.
        let p = P::new("N2", "Implementering").steps(&[
            ("Idé", "Koncept", "Bestyrelse"),
            ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
            ("Bestyrelsesbehandling", "Igangsat", "Sekretariat"),
            ("Igangsat", "Implementering", "Styregruppe"),
        ]);
        let p = p.clone().approved(Some(p.step_date(0)));
        p.has(Code::PhaseBoardApprovalMissing).has(Code::PhaseDeciderWrong).lacks(Code::PhaseBoardApprovalUnmatched);
        let f = p.findings().into_iter().find(|f| f.code == Code::PhaseBoardApprovalMissing).unwrap();
        assert!(f.message.da.contains("Idé → Koncept i Historik række 2"), "{}", f.message.da);
        // The date on which the board sent the concept back is no approval either.
        let p = P::new("N2", "Igangsat")
            .steps(&[
                ("Idé", "Koncept", "Sekretariat"),
                ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
                ("Bestyrelsesbehandling", "Koncept", "Bestyrelse"),
                ("Koncept", "Pauseret", "Sekretariat"),
                ("Pauseret", "Igangsat", "Styregruppe"),
            ])
            .reason(2, "ARKITEKTUR", None);
        let p = p.clone().approved(Some(p.step_date(2)));
        p.has(Code::PhaseBoardApprovalMissing);
        assert!(!crate::check::process::Process::read(rules(), &p.project).approval_holds());
        // Near miss: the board approved the start on the same day as another decision.
        let p = P::new("N2", "Igangsat").steps(&[
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
            ("Bestyrelsesbehandling", "Igangsat", "Bestyrelse"),
        ]);
        let p = p.clone().approved(Some(p.step_date(2)));
        clean(&p);
    }

    #[test]
    fn an_approval_dated_after_the_start() {
        let p = P::new("N2", "Igangsat").steps(&[
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
            ("Bestyrelsesbehandling", "Igangsat", "Sekretariat"),
        ]);
        let p = p.clone().approved(Some(p.step_date(2) + Duration::days(240)));
        p.has(Code::PhaseBoardApprovalLate).has(Code::PhaseDeciderWrong);
        assert_eq!(p.at(Code::PhaseBoardApprovalLate), ["Projekt!B18"]);
        // Near miss: the same date as the start.
        let p = p.clone().approved(Some(p.step_date(2)));
        p.lacks(Code::PhaseBoardApprovalLate);
        // The field says the board approved months after the start, although Historik shows
        // an approval step on time: the records disagree (a warning naming both), and the
        // board is not told that the project started before its approval.
        let p = P::new("N2", "Implementering");
        let late = p.step_date(2) + Duration::days(100);
        let p = p.approved(Some(late));
        p.lacks(Code::PhaseBoardApprovalLate);
        assert_eq!(p.at(Code::PhaseBoardApprovalUnmatched), ["Projekt!B18"]);
        let f = p.findings().into_iter().find(|f| f.code == Code::PhaseBoardApprovalUnmatched).unwrap();
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.message.da.contains("Historik række 4"), "{}", f.message.da);
        // An approval after a backflow and before the restart is on time.
        let p = P::new("N2", "Igangsat")
            .steps(&with(&[
                ("Igangsat", "Koncept", "Styregruppe"),
                ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
                ("Bestyrelsesbehandling", "Igangsat", "Bestyrelse"),
            ]))
            .reason(3, "OEKONOMI", None);
        let p = p.clone().approved(Some(p.step_date(4)));
        p.lacks(Code::PhaseBoardApprovalLate);
    }

    #[test]
    fn a_paused_or_closed_project_without_history_is_not_judged_as_past_produkt() {
        // Pauseret and Udfaset sort after Produkt; without a history nothing says how far the
        // project got. One finding asks for the history – not every requirement at once.
        for (level, phase, to) in
            [("N2", "Koncept", "Pauseret"), ("N2", "Produkt", "Udfaset"), ("N1", "Idé", "Pauseret")]
        {
            let off_line = rules().find_phase(to).unwrap();
            let meeting = rules().meetings.iter().map(|m| m.date).find(|d| *d < as_of());
            let p = P::new(level, phase).approved(meeting.filter(|_| level == "N2")).with(|p| {
                p.history.clear();
                p.fields.phase.value = crate::model::project::Input::Given(off_line);
            });
            assert_eq!(p.codes(), [Code::PhaseHistoryMissing], "{level} {phase} → {to}: {:?}", p.findings());
            let f = p.findings().remove(0);
            let want = if level == "N2" { Severity::Error } else { Severity::Warning };
            assert_eq!(f.severity, want, "{level} {to}");
        }
        // With a history, the phase it reached is the phase that was left.
        let p =
            P::new("N2", "Koncept").steps(&[("Idé", "Koncept", "Sekretariat"), ("Koncept", "Pauseret", "Sekretariat")]);
        clean(&p);
    }

    #[test]
    fn an_empty_history_cannot_show_the_approval() {
        let p = P::new("N2", "Produkt").with(|p| p.history.clear());
        let f = p.findings().into_iter().find(|f| f.code == Code::PhaseHistoryMissing).expect("finding");
        assert_eq!(f.severity, Severity::Error);
        // At a level without approval it is a warning; at Idé it is nothing.
        let p = P::new("N1", "Igangsat").with(|p| p.history.clear());
        let f = p.findings().into_iter().find(|f| f.code == Code::PhaseHistoryMissing).expect("finding");
        assert_eq!(f.severity, Severity::Warning);
        P::new("N2", "Idé").lacks(Code::PhaseHistoryMissing);
        // An N2 concept: a warning, since nothing needs the board yet.
        let p = P::new("N2", "Koncept").with(|p| p.history.clear());
        assert_eq!(
            p.findings().into_iter().find(|f| f.code == Code::PhaseHistoryMissing).map(|f| f.severity),
            Some(Severity::Warning)
        );
    }

    #[test]
    fn an_approval_date_should_be_a_board_meeting() {
        let p = P::new("N2", "Igangsat");
        let odd = p.step_date(2) - Duration::days(3);
        p.clone().approved(Some(odd)).has(Code::PhaseBoardApprovalUnmatched);
        // A listed meeting date is fine, and so is the date of a board-decided step.
        // (The approval step moved to a listed meeting, the field the same date.)
        let meeting = rules().meetings.iter().map(|m| m.date).find(|d| *d < as_of()).expect("a past meeting");
        let on_meeting = p.clone().with(|p| {
            for s in p.history.iter_mut().skip(2) {
                s.date = crate::model::project::Input::Given(meeting + Duration::days(s.row as i64));
            }
            p.history[2].date = crate::model::project::Input::Given(meeting);
        });
        on_meeting.clone().approved(Some(meeting)).lacks(Code::PhaseBoardApprovalUnmatched);
        p.lacks(Code::PhaseBoardApprovalUnmatched);
    }

    // ------------------------------------------------------------ legitimate paths

    #[test]
    fn an_n2_idea_with_idea_stage_answers_is_clean() {
        let p = P::new("N2", "Idé").with(|p| p.participants.truncate(1));
        clean(&p);
        let a = crate::check::assess::assess(rules(), &p.project);
        assert_eq!(a.attained, rules().find_level("N2"));
        assert_eq!(
            crate::check::assess::attained_label(rules(), &a, crate::text::Lang::Da, false),
            "N2 (for fasen Idé)"
        );
        // The same idea with a not-due requirement answered Nej without a word: still clean.
        clean(&p.clone().answer("F12", crate::model::choice::Answer::Nej, None, None));
        // Near miss: a requirement due at Idé left blank.
        p.clone().blank("R3").has(Code::KravUnanswered).has(Code::LevelBelowDeclared);
    }

    #[test]
    fn a_concept_paused_before_the_board_and_resumed_is_clean() {
        let paused = P::new("N2", "Koncept")
            .steps(&[("Idé", "Koncept", "Sekretariat"), ("Koncept", "Pauseret", "Sekretariat")])
            .with(|p| {
                p.status.clear();
                p.fields.budget.value = crate::model::project::Input::Blank;
            })
            .approved(None);
        clean(&paused);
        let resumed = P::new("N2", "Koncept")
            .steps(&[
                ("Idé", "Koncept", "Sekretariat"),
                ("Koncept", "Pauseret", "Sekretariat"),
                ("Pauseret", "Koncept", "Sekretariat"),
            ])
            .approved(None);
        clean(&resumed);
        let process = crate::check::process::Process::read(rules(), &paused.project);
        assert_eq!(process.effective, rules().find_phase("Koncept"));
        assert_eq!(process.left, rules().find_phase("Koncept"));
    }

    #[test]
    fn a_running_project_paused_still_reports() {
        let p = P::new("N2", "Igangsat").steps(&with(&[("Igangsat", "Pauseret", "Styregruppe")]));
        let p = p.clone().approved(Some(p.step_date(2)));
        clean(&p);
        p.clone().with(|p| p.status.clear()).has(Code::StatusMissing);
        // Resumed where it left: clean; resumed further on: not.
        let p = P::new("N2", "Igangsat")
            .steps(&with(&[("Igangsat", "Pauseret", "Styregruppe"), ("Pauseret", "Igangsat", "Styregruppe")]));
        clean(&p.clone().approved(Some(p.step_date(2))));
        let p = P::new("N2", "Implementering")
            .steps(&with(&[("Igangsat", "Pauseret", "Styregruppe"), ("Pauseret", "Implementering", "Styregruppe")]));
        p.clone().approved(Some(p.step_date(2))).has(Code::PhaseResumeWrong);
    }

    #[test]
    fn a_board_stop_over_economy_is_clean() {
        let p =
            P::new("N2", "Igangsat").steps(&with(&[("Igangsat", "Udfaset", "Bestyrelse")])).reason(3, "OEKONOMI", None);
        let p = p.clone().approved(Some(p.step_date(2)));
        clean(&p);
        // Near misses: a stop needs a reason, and at N2 the board decides it.
        let p2 = P::new("N2", "Igangsat").steps(&with(&[("Igangsat", "Udfaset", "Bestyrelse")]));
        p2.clone().approved(Some(p2.step_date(2))).has(Code::PhaseReasonMissing);
        let p3 = P::new("N2", "Igangsat")
            .steps(&with(&[("Igangsat", "Udfaset", "Sekretariat")]))
            .reason(3, "OEKONOMI", None);
        p3.clone().approved(Some(p3.step_date(2))).has(Code::PhaseDeciderWrong);
        // At N1 the secretariat stops a concept.
        let p = P::new("N1", "Koncept")
            .steps(&[("Idé", "Koncept", "Sekretariat"), ("Koncept", "Udfaset", "Sekretariat")])
            .reason(1, "STRATEGI", None);
        clean(&p);
    }

    #[test]
    fn repeated_idea_concept_backflows_with_reasons_are_clean() {
        let p = P::new("N2", "Koncept")
            .steps(&[
                ("Idé", "Koncept", "Sekretariat"),
                ("Koncept", "Idé", "Sekretariat"),
                ("Idé", "Koncept", "Sekretariat"),
                ("Koncept", "Idé", "Sekretariat"),
                ("Idé", "Koncept", "Sekretariat"),
            ])
            .reason(1, "STRATEGI", None)
            .reason(3, "ARKITEKTUR", None)
            .approved(None);
        clean(&p);
        // ANDET must be explained in Bemærkning.
        p.clone().reason(3, "ANDET", None).has(Code::PhaseReasonMissing);
        clean(&p.reason(3, "ANDET", Some("Ejeren skiftede")));
    }

    #[test]
    fn n1_goes_straight_on_to_implementation() {
        clean(&P::new("N1", "Implementering"));
        let p = P::new("N1", "Implementering")
            .steps(&[("Idé", "Koncept", "Sekretariat"), ("Koncept", "Implementering", "Sekretariat")]);
        clean(&p);
        // Near miss: N2 may not.
        P::new("N2", "Implementering")
            .steps(&[("Idé", "Koncept", "Sekretariat"), ("Koncept", "Implementering", "Sekretariat")])
            .has(Code::PhaseTransitionNotAllowed);
    }

    #[test]
    fn a_raised_level_judges_earlier_steps_by_the_level_then() {
        // Started at N1 without the board, raised to N2 and approved by the board later.
        let steps = [
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Igangsat", "Sekretariat"),
            ("Igangsat", "Implementering", "Styregruppe"),
        ];
        let p = P::new("N2", "Implementering").steps(&steps);
        let raised = p.step_date(2) + Duration::days(10);
        let board = P::new("N2", "Implementering").steps(&steps).approved(Some(raised)).with(|p| {
            p.fields.board_approved.value = crate::model::project::Input::Given(raised);
        });
        // Without Niveau the old step is judged at N2: not allowed, and the approval late.
        board.has(Code::PhaseTransitionNotAllowed).has(Code::PhaseBoardApprovalLate);
        let f = board.findings().into_iter().find(|f| f.code == Code::PhaseTransitionNotAllowed).unwrap();
        assert!(f.message.da.contains("kolonnen Niveau"), "{}", f.message.da);
        // With the level in force written on the steps before the raise: only the unknown
        // meeting date is left to say.
        let p = board.step_level(0, "N1").step_level(1, "N1");
        assert_eq!(p.codes(), vec![Code::PhaseBoardApprovalUnmatched], "{:#?}", p.findings());
        // A raised level still needs the board: no approval at all is an error.
        p.approved(None).has(Code::PhaseBoardApprovalMissing);
    }

    #[test]
    fn pauses_and_stops_are_decided_by_the_right_body() {
        // Paused from Koncept by the secretariat (not the steering group).
        P::new("N1", "Koncept")
            .steps(&[("Idé", "Koncept", "Sekretariat"), ("Koncept", "Pauseret", "Styregruppe")])
            .has(Code::PhaseDeciderWrong);
        // A product is paused by its steering group or its coordination group (a comma list).
        let p = P::new("N1", "Produkt");
        let mut steps: Vec<(String, String, String)> = p
            .project
            .history
            .iter()
            .map(|s| {
                let name = |x: &crate::model::project::Input<crate::rules::PhaseId>| {
                    rules().phase(*x.given().unwrap()).name.clone()
                };
                (name(&s.from), name(&s.to), s.decider.given().unwrap().da().to_string())
            })
            .collect();
        steps.push(("Produkt".into(), "Pauseret".into(), "Koordinationsgruppe".into()));
        let refs: Vec<(&str, &str, &str)> =
            steps.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
        let paused = P::new("N1", "Produkt").steps(&refs);
        clean(&paused);
        let last = refs.len() - 1;
        paused
            .with(move |p| {
                p.history[last].decider =
                    crate::model::project::Input::Given(crate::model::choice::Decider::Sekretariat)
            })
            .has(Code::PhaseDeciderWrong);
    }

    #[test]
    fn type_follows_the_phase() {
        P::new("N1", "Igangsat")
            .with(|p| {
                p.fields.kind.value = crate::model::project::Input::Given(crate::model::choice::ProjectKind::Produkt)
            })
            .has(Code::ProductTypeMismatch);
        P::new("N1", "Produkt")
            .with(|p| {
                p.fields.kind.value = crate::model::project::Input::Given(crate::model::choice::ProjectKind::Projekt)
            })
            .has(Code::ProductTypeMismatch);
        // A closed product is still a product; a paused project still a project.
        P::new("N2", "Udfaset").lacks(Code::ProductTypeMismatch);
        P::new("N1", "Pauseret").lacks(Code::ProductTypeMismatch);
    }
}
