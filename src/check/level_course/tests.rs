//! The level in force (design §3, §5 routes 1–3b, 10, 16, 24): a level typed by the lead or
//! changed around the board is not believed, and every rule judges at the level in force
//! on its date; the legitimate twins give no error.

use crate::check::level_course::{LevelSource, RejectedAt};
use crate::check::testkit::{P, as_of, date, rules};
use crate::model::choice::{Decider, DecisionKind};
use crate::model::finding::{Code, Severity};
use crate::model::project::{BudgetChange, Input};

fn level(code: &str) -> crate::model::rules::LevelId {
    rules().find_level(code).unwrap()
}

fn errors(p: &P) -> Vec<Code> {
    let mut e: Vec<Code> = p.findings().iter().filter(|f| f.severity == Severity::Error).map(|f| f.code).collect();
    e.sort();
    e.dedup();
    e
}

/// Started at N1 without the board: Idé → Koncept 22-10-2025, Koncept → Igangsat
/// 21-11-2025, Igangsat → Implementering 21-12-2025; placed at N1 on 01-10-2024 in the
/// register; declared N2 and answering N2's requirements; the log authoritative from
/// 01-01-2024.
fn raised() -> P {
    P::new("N2", "Implementering")
        .steps(&[
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Igangsat", "Sekretariat"),
            ("Igangsat", "Implementering", "Styregruppe"),
        ])
        .log_from(Some(date("01-01-2024")))
        .placed(date("01-10-2024"), "N1", Decider::Sekretariat)
}

#[test]
fn route_1_an_old_approval_does_not_count_for_a_level_placed_after_it() {
    // Raised to N2 by the secretariat on 03-08-2026; the field shows the N1 orientation
    // of 07-11-2024.
    let placed = date("03-08-2026");
    let p = raised()
        .placed(placed, "N2", Decider::Sekretariat)
        .approved(Some(date("07-11-2024")))
        .with(|p| p.fields.level_placed.value = Input::Given(date("03-08-2026")));
    p.has(Code::PhaseBoardApprovalMissing).has(Code::KravCrosscheck).has(Code::LevelBelowDeclared);
    let f = p.findings().into_iter().find(|f| f.code == Code::PhaseBoardApprovalMissing).unwrap();
    assert!(
        f.message.da.contains("07-11-2024 ligger før placeringen på N2") && f.message.da.contains("03-08-2026"),
        "{}",
        f.message.da
    );
    // The claim of 07-11-2024 was at N1: not the board's, only a warning that it is unlogged.
    assert!(p.findings().iter().filter(|f| f.code == Code::DecisionNotLogged).all(|f| f.severity == Severity::Warning));
    // Twin (OS2web): the board raised it at its meeting 11-12-2025 – the raise is its
    // approval; the field shows that date.
    let meeting = date("11-12-2025");
    let twin = raised()
        .meeting(meeting)
        .log(meeting, Some(DecisionKind::Niveau), Some("N2"), None)
        .placed(meeting, "N2", Decider::Bestyrelse)
        .approved(Some(meeting))
        .with(|p| p.fields.level_placed.value = Input::Given(meeting));
    assert_eq!(twin.codes(), vec![], "{:#?}", twin.findings());
    let course = twin.process().course;
    assert_eq!(course.at(as_of()), Some((level("N2"), LevelSource::Log { row: 2 })));
    assert_eq!(course.level_at(Some(date("01-12-2025"))), Some(level("N1")));
    assert_eq!(course.placed_since(as_of()), Some(meeting));
}

#[test]
fn route_2_historik_niveau_is_checked_not_believed() {
    // Placed at N2 before the start; the lead writes N1 on the start.
    let p = P::new("N2", "Implementering")
        .steps(&[
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Igangsat", "Sekretariat"),
            ("Igangsat", "Implementering", "Styregruppe"),
        ])
        .approved(None)
        .step_level(1, "N1")
        .log_from(Some(date("01-01-2024")))
        .placed(date("01-10-2025"), "N2", Decider::Sekretariat)
        .with(|p| p.fields.level_placed.value = Input::Given(date("01-10-2025")));
    p.has(Code::LevelHistoryMismatch).has(Code::PhaseTransitionNotAllowed).has(Code::PhaseBoardApprovalMissing);
    assert_eq!(p.at(Code::LevelHistoryMismatch), ["Historik!H3"]);
    // Twin: N1 on the steps before the board's logged raise, N1 placed in the register.
    let meeting = date("11-12-2025");
    let twin = raised()
        .step_level(0, "N1")
        .step_level(1, "N1")
        .meeting(meeting)
        .log(meeting, Some(DecisionKind::Niveau), Some("N2"), None)
        .approved(Some(meeting))
        .with(|p| p.fields.level_placed.value = Input::Given(meeting));
    assert_eq!(twin.codes(), vec![], "{:#?}", twin.findings());
    // Before the cut-over the lead's Historik.Niveau is believed, as before.
    let legacy = P::new("N2", "Implementering")
        .steps(&[
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Igangsat", "Sekretariat"),
            ("Igangsat", "Implementering", "Styregruppe"),
        ])
        .step_level(0, "N1")
        .step_level(1, "N1")
        .approved(Some(date("2025-12-30")));
    legacy.lacks(Code::LevelHistoryMismatch).lacks(Code::PhaseTransitionNotAllowed);
}

/// An N2 concept placed on 01-10-2025; the lead's Niveau says N1.
fn lowered() -> P {
    // Answered as far as Igangsat, so that a start finds nothing unanswered.
    P::new("N2", "Igangsat")
        .steps(&[("Idé", "Koncept", "Sekretariat")])
        .approved(None)
        .log_from(Some(date("01-01-2024")))
        .placed(date("01-10-2025"), "N2", Decider::Sekretariat)
        .with(|p| p.fields.level.value = Input::Given(level("N1")))
}

fn started_after(p: P, on: &str) -> P {
    let mut p = p;
    let row = p.project.history.len() as u32 + 1;
    let r = rules();
    p.project.history.push(crate::model::project::HistoryStep {
        row,
        date: Input::Given(date(on)),
        from: Input::Given(r.key.concept),
        to: Input::Given(r.key.started),
        decider: Input::Given(Decider::Sekretariat),
        reference: Some("Referat".into()),
        reason: None,
        note: None,
        level: Input::Blank,
    });
    p.project.fields.phase.value = Input::Given(r.key.started);
    p
}

#[test]
fn route_3_a_lowering_by_the_secretariat_alone_does_not_count() {
    let on = date("01-02-2026");
    let p = lowered().placed(on, "N1", Decider::Sekretariat).with(|p| p.fields.level_placed.value = Input::Given(on));
    // Not started yet: only the unauthorised placement (for the secretariat).
    assert_eq!(errors(&p), vec![Code::LevelPlacementUnauthorised], "{:#?}", p.findings());
    assert_eq!(p.at(Code::LevelPlacementUnauthorised), ["Placeringer!C3"]);
    let course = p.process().course;
    assert_eq!(course.now(as_of()), Some(level("N2")));
    assert_eq!(course.rejected[0].at, RejectedAt::Register { row: 3 });
    // Then started by the secretariat: at N2 that went around the board.
    let started = started_after(p.clone(), "2026-03-01");
    started
        .has(Code::LevelPlacementUnauthorised)
        .has(Code::PhaseTransitionNotAllowed)
        .has(Code::PhaseBoardApprovalMissing);
    started.lacks(Code::LevelDeclaredMismatch);
    // Route 24: the register says "Placeret af Bestyrelse", the log does not.
    let by_board = lowered().placed(on, "N1", Decider::Bestyrelse);
    let f = by_board.findings().into_iter().find(|f| f.code == Code::LevelPlacementUnauthorised).unwrap();
    assert!(f.message.da.contains("Placeret af: Bestyrelse"), "{}", f.message.da);
    // Twin: the board lowered it at a meeting (log Type Niveau, Niveau N1), then started.
    let meeting = date("12-03-2026");
    let twin = lowered()
        .placed(meeting, "N1", Decider::Bestyrelse)
        .log(meeting, Some(DecisionKind::Niveau), Some("N1"), None)
        .with(|p| p.fields.level_placed.value = Input::Given(meeting));
    let twin = started_after(twin, "2026-04-01");
    assert_eq!(errors(&twin), vec![], "{:#?}", twin.findings());
    assert_eq!(twin.process().course.now(as_of()), Some(level("N1")));
    // A Type Niveau row without a level carries the register's row of the same day.
    let blank_level =
        lowered().placed(meeting, "N1", Decider::Bestyrelse).log(meeting, Some(DecisionKind::Niveau), None, None);
    blank_level.lacks(Code::LevelPlacementUnauthorised);
}

#[test]
fn route_3b_the_lead_changing_niveau_without_a_record_does_not_count() {
    // No register row; the previous run saw N2; now the projektark says N1 and starts.
    let base = P::new("N2", "Koncept")
        .log_from(Some(date("01-01-2024")))
        .previous_with(|prev| {
            prev.in_force_level = Some("N2".into());
            prev.declared_level = Some("N2".into());
            prev.phase = Some("Koncept".into());
        })
        .with(|p| p.fields.level.value = Input::Given(level("N1")));
    let p = started_after(base.clone(), "2026-11-10");
    p.has(Code::LevelPlacementUnauthorised).has(Code::PhaseTransitionNotAllowed).has(Code::PhaseBoardApprovalMissing);
    assert_eq!(p.at(Code::LevelPlacementUnauthorised), ["Projekt!B10"]);
    // Twin: the board's level decision is logged.
    let meeting = date("10-12-2026") - chrono::Duration::days(91);
    let twin =
        started_after(base.meeting(meeting).log(meeting, Some(DecisionKind::Niveau), Some("N1"), None), "2026-11-10");
    twin.lacks(Code::LevelPlacementUnauthorised).lacks(Code::PhaseBoardApprovalMissing);
}

#[test]
fn the_declared_level_is_checked_against_the_register() {
    // Raised to N3 by the secretariat (allowed: it only adds duties); the lead still says N2.
    let p =
        P::new("N2", "Idé").log_from(Some(date("01-01-2024"))).placed(date("01-10-2026"), "N3", Decider::Sekretariat);
    p.has(Code::LevelDeclaredMismatch);
    let f = p.findings().into_iter().find(|f| f.code == Code::LevelDeclaredMismatch).unwrap();
    assert!(
        f.message.da.contains("placeret på N3") && f.message.da.contains("Placeringer række 2"),
        "{}",
        f.message.da
    );
    // Near miss: the lead's Niveau agrees.
    P::new("N2", "Idé").placed(date("01-10-2026"), "N2", Decider::Sekretariat).lacks(Code::LevelDeclaredMismatch);
}

#[test]
fn the_placement_date_shown_in_the_projektark_is_compared_not_used() {
    let p = P::new("N2", "Koncept").placed(date("01-10-2025"), "N2", Decider::Sekretariat);
    // P::new shows the first step's date (22-10-2025).
    p.has(Code::LevelPlacementDiffers);
    p.clone()
        .with(|p| p.fields.level_placed.value = Input::Given(date("01-10-2025")))
        .lacks(Code::LevelPlacementDiffers);
    p.with(|p| p.fields.level_placed.value = Input::Blank).lacks(Code::LevelPlacementDiffers);
}

#[test]
fn a_register_that_knows_other_projects_asks_for_this_ones_placement() {
    let p = P::new("N2", "Koncept");
    let mut other = p.clone();
    other.register.placements.push(crate::model::register::Placement {
        row: 2,
        date: Some(date("01-10-2025")),
        project: "OS2andet".into(),
        level: Some(level("N1")),
        by: Some(Decider::Sekretariat),
        reference: None,
        note: None,
        source: None,
    });
    other.has(Code::LevelNotPlaced);
    // An empty register: the projektark's field (as before the register).
    p.lacks(Code::LevelNotPlaced);
    p.placed(date("01-10-2025"), "N2", Decider::Sekretariat).lacks(Code::LevelNotPlaced);
}

fn change(p: &mut crate::model::project::Project, on: &str, by: Decider) {
    p.budget_changes.push(BudgetChange {
        row: 1,
        date: Input::Given(date(on)),
        from: Input::Given(1_000_000.0),
        to: Input::Given(1_050_000.0),
        decided_by: Input::Given(by),
        reference: Some("Referat".into()),
        reason: Some("Mindre udvidelse".into()),
    });
    p.fields.budget.value = Input::Given(1_050_000.0);
}

#[test]
fn routes_10_and_16_budget_deciders_are_judged_at_the_level_on_the_changes_date() {
    // Route 16: a change by the steering group at N1, before the board raised the project
    // to N2: legal on its day.
    let meeting = date("11-06-2026");
    let p = raised()
        .meeting(meeting)
        .log(meeting, Some(DecisionKind::Niveau), Some("N2"), None)
        .approved(Some(meeting))
        .with(|p| p.fields.level_placed.value = Input::Given(meeting))
        .with(|p| change(p, "2026-03-01", Decider::Styregruppe));
    assert_eq!(p.codes(), vec![], "{:#?}", p.findings());
    // Near miss: the same change after the raise.
    let after = p.clone().with(|p| p.budget_changes[0].date = Input::Given(date("2026-07-01")));
    after.has(Code::BudgetDeciderWrong);
    let f = after.findings().into_iter().find(|f| f.code == Code::BudgetDeciderWrong).unwrap();
    assert!(f.message.da.contains("projektet var på N2 (Niveau 2) den 01-07-2026"), "{}", f.message.da);
    // Route 10: a change by the steering group while at N2 stays wrong after the board
    // lowered the project to N1.
    let lowered = P::new("N1", "Implementering")
        .log_from(Some(date("01-01-2024")))
        .placed(date("01-10-2025"), "N2", Decider::Sekretariat)
        .meeting(meeting)
        .log(meeting, Some(DecisionKind::Niveau), Some("N1"), None)
        .with(|p| change(p, "2026-03-01", Decider::Styregruppe));
    lowered.has(Code::BudgetDeciderWrong);
}

#[test]
fn before_the_boards_first_level_decision_historik_niveau_is_believed() {
    // OS2web without a register: started at N1 (Historik.Niveau N1), raised to N2 by the
    // board on 11-12-2025; a budget change by the steering group on 01-10-2025 was legal
    // at N1 and stays legal after the raise.
    let meeting = date("11-12-2025");
    let change = |d: &str| {
        let d = date(d);
        move |p: &mut crate::model::project::Project| {
            p.budget_changes.push(BudgetChange {
                row: 1,
                date: Input::Given(d),
                from: Input::Given(2_000_000.0),
                to: Input::Given(2_100_000.0),
                decided_by: Input::Given(Decider::Styregruppe),
                reference: Some("Styregruppereferat".into()),
                reason: None,
            });
        }
    };
    let web = |d: &str| {
        P::new("N2", "Implementering")
            .steps(&[
                ("Idé", "Koncept", "Sekretariat"),
                ("Koncept", "Igangsat", "Sekretariat"),
                ("Igangsat", "Implementering", "Styregruppe"),
            ])
            .step_on(0, date("01-03-2025"))
            .step_on(1, date("01-06-2025"))
            .step_on(2, date("01-03-2026"))
            .step_level(0, "N1")
            .step_level(1, "N1")
            .log_from(Some(date("01-01-2024")))
            .meeting(meeting)
            .log(meeting, Some(DecisionKind::Niveau), Some("N2"), None)
            .with(|p| p.fields.board_approved.value = Input::Given(meeting))
            .with(change(d))
    };
    let legal = web("01-10-2025");
    let course = &legal.process().course;
    assert_eq!(course.at(date("01-10-2025")).map(|(l, _)| l), Some(level("N1")));
    assert_eq!(course.at(as_of()).map(|(l, _)| l), Some(level("N2")));
    legal.lacks(Code::BudgetDeciderWrong).lacks(Code::LevelHistoryMismatch).lacks(Code::PhaseBoardApprovalLate);
    // Near miss: the same change after the raise is the board's.
    web("01-03-2026").has(Code::BudgetDeciderWrong);
}

#[test]
fn historik_niveau_never_lowers_the_level_below_a_register_placement() {
    // Placed at N2 in the register on 01-06-2024; the lead writes N1 on the idea and the
    // start, both dated before the cut-over (01-01-2026), where a project without any
    // record of its level believes Historik.Niveau.
    let steps = |p: P| {
        p.steps(&[
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Igangsat", "Sekretariat"),
            ("Igangsat", "Implementering", "Styregruppe"),
        ])
        .step_on(0, date("01-07-2024"))
        .step_on(1, date("02-09-2024"))
        .step_on(2, date("03-03-2025"))
        .step_level(0, "N1")
        .step_level(1, "N1")
        .approved(None)
        .log_from(Some(date("01-01-2026")))
    };
    let p = steps(P::new("N2", "Implementering")).placed(date("01-06-2024"), "N2", Decider::Sekretariat);
    let course = p.process().course;
    assert!(!course.believes_historik(Some(date("02-09-2024"))));
    assert_eq!(course.at(date("02-09-2024")), Some((level("N2"), LevelSource::Register { row: 2 })));
    // So the start is judged at N2: Koncept → Igangsat without the board.
    p.has(Code::PhaseTransitionNotAllowed).has(Code::PhaseBoardApprovalMissing);
    // Twin: with no record of the level at all, the legacy steps keep their Historik.Niveau
    // (N1 may start without the board).
    let legacy = steps(P::new("N2", "Implementering"));
    assert!(legacy.process().course.believes_historik(Some(date("02-09-2024"))));
    legacy.lacks(Code::PhaseTransitionNotAllowed);
}

#[test]
fn the_last_runs_level_does_not_judge_placements_older_than_that_run() {
    // Placed at N1 in 2024, raised to N2 by the secretariat in 2026; the last run (October)
    // saw N2 in force. The next month with nothing changed: the 2024 placement is not a
    // lowering "from the last run's N2" – no finding, the same as the month before.
    let seen_n2 = |p: P| {
        p.previous_with(|prev| {
            prev.in_force_level = Some("N2".into());
            prev.declared_level = Some("N2".into());
            prev.period = Some("2026-10".into());
        })
    };
    let p = seen_n2(raised().placed(date("03-08-2026"), "N2", Decider::Sekretariat));
    p.lacks(Code::LevelPlacementUnauthorised).lacks(Code::LevelHistoryMismatch);
    assert_eq!(p.process().course.now(as_of()), Some(level("N2")));
    // Near miss: a placement at N1 made since the last run, by the secretariat alone, on a
    // project the register did not know before – a lowering from the level last in force.
    let lowered_since = seen_n2(P::new("N1", "Koncept").log_from(Some(date("01-01-2024")))).placed(
        date("05-10-2026"),
        "N1",
        Decider::Sekretariat,
    );
    lowered_since.has(Code::LevelPlacementUnauthorised);
    assert_eq!(lowered_since.process().course.now(as_of()), Some(level("N2")));
}
