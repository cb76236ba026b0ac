//! Tests of `process`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

//! Every route around the board for N2/N3 gives an error; every legitimate path
//! through the process gives none.
use crate::check::testkit::{P, as_of, rules};
use crate::model::finding::{Code, Severity};
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
    // The new approval on a listed board meeting (12-03-2026, after the backflow).
    let meeting = rules().meetings[0].date;
    assert!(p.step_date(4) < meeting && meeting < p.step_date(5));
    let p = p.step_on(5, meeting).approved(Some(meeting));
    clean(&p);
    // Near miss: the same approval on a day that is no meeting (the calendar covers it).
    p.clone()
        .step_on(5, meeting + Duration::days(2))
        .approved(Some(meeting + Duration::days(2)))
        .has(Code::PhaseBoardApprovalUnmatched);
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
    for (level, phase, to) in [("N2", "Koncept", "Pauseret"), ("N2", "Produkt", "Udfaset"), ("N1", "Idé", "Pauseret")]
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
    let p = P::new("N2", "Koncept").steps(&[("Idé", "Koncept", "Sekretariat"), ("Koncept", "Pauseret", "Sekretariat")]);
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
    assert_eq!(crate::check::assess::attained_label(rules(), &a, crate::text::Lang::Da, false), "N2 (for fasen Idé)");
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
    let p = P::new("N2", "Igangsat").steps(&with(&[("Igangsat", "Udfaset", "Bestyrelse")])).reason(3, "OEKONOMI", None);
    let p = p.clone().approved(Some(p.step_date(2)));
    clean(&p);
    // Near misses: a stop needs a reason, and at N2 the board decides it.
    let p2 = P::new("N2", "Igangsat").steps(&with(&[("Igangsat", "Udfaset", "Bestyrelse")]));
    p2.clone().approved(Some(p2.step_date(2))).has(Code::PhaseReasonMissing);
    let p3 =
        P::new("N2", "Igangsat").steps(&with(&[("Igangsat", "Udfaset", "Sekretariat")])).reason(3, "OEKONOMI", None);
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
            let name = |x: &crate::model::project::Input<crate::model::rules::PhaseId>| {
                rules().phase(*x.given().unwrap()).name.clone()
            };
            (name(&s.from), name(&s.to), s.decider.given().unwrap().da().to_string())
        })
        .collect();
    steps.push(("Produkt".into(), "Pauseret".into(), "Koordinationsgruppe".into()));
    let refs: Vec<(&str, &str, &str)> = steps.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    let paused = P::new("N1", "Produkt").steps(&refs);
    clean(&paused);
    let last = refs.len() - 1;
    paused
        .with(move |p| {
            p.history[last].decider = crate::model::project::Input::Given(crate::model::choice::Decider::Sekretariat)
        })
        .has(Code::PhaseDeciderWrong);
}

#[test]
fn type_follows_the_phase() {
    P::new("N1", "Igangsat")
        .with(|p| p.fields.kind.value = crate::model::project::Input::Given(crate::model::choice::ProjectKind::Produkt))
        .has(Code::ProductTypeMismatch);
    P::new("N1", "Produkt")
        .with(|p| p.fields.kind.value = crate::model::project::Input::Given(crate::model::choice::ProjectKind::Projekt))
        .has(Code::ProductTypeMismatch);
    // A closed product is still a product; a paused project still a project.
    P::new("N2", "Udfaset").lacks(Code::ProductTypeMismatch);
    P::new("N1", "Pauseret").lacks(Code::ProductTypeMismatch);
}
