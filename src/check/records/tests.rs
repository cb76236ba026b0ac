//! The board's records decide (design §5, routes 4–9, 23): every route around a board
//! decision gives an error, and its legitimate twin gives none.

use crate::check::testkit::{P, as_of, date, rules};
use crate::model::choice::{Decider, DecisionKind};
use crate::model::finding::{Code, Severity};
use crate::model::project::{BudgetChange, Input};
use chrono::Duration;

/// An N2 project in Implementering, approved by the board (step 3 and the field on one
/// date), everything logged on listed meetings; the log authoritative from 01-01-2024.
fn n2() -> P {
    P::new("N2", "Implementering").authoritative()
}

#[track_caller]
fn clean(p: &P) {
    assert_eq!(p.codes(), vec![], "{:#?}", p.findings());
}

fn severity(p: &P, code: Code) -> Vec<Severity> {
    p.findings().iter().filter(|f| f.code == code).map(|f| f.severity).collect()
}

#[test]
fn the_legitimate_baseline_is_clean() {
    clean(&n2());
    let p = n2().process();
    assert!(p.claims.iter().all(|(_, j)| matches!(j, crate::check::records::Judged::Supported(_))));
    assert!(p.approval_now.is_some());
}

#[test]
fn route_4_an_approval_on_no_meeting_and_not_in_the_log() {
    // Field and step agree on a Sunday; the log has nothing.
    let sunday = date("2025-12-21") + Duration::days(7);
    let p = P::new("N2", "Implementering").step_on(2, sunday).approved(Some(sunday)).log_from(Some(date("01-01-2024")));
    assert_eq!(severity(&p, Code::DecisionNotLogged), vec![Severity::Error], "one claim, one error");
    p.has(Code::PhaseBoardApprovalMissing);
    let f = p.findings().into_iter().find(|f| f.code == Code::DecisionNotLogged).unwrap();
    assert!(
        f.message.da.contains("ikke et bestyrelsesmøde") && f.message.da.contains("Historik række 4"),
        "{}",
        f.message.da
    );
    // Twin: the log has the approval on the meeting three days before → only the lead's
    // date is off: DECISION-MISMATCH, the gate holds.
    let logged = P::new("N2", "Implementering").authoritative();
    let typo = logged
        .clone()
        .step_on(2, logged.step_date(2) + Duration::days(3))
        .approved(Some(logged.step_date(2) + Duration::days(3)));
    assert_eq!(typo.codes(), vec![Code::DecisionMismatch], "{:#?}", typo.findings());
    // Twin: an extraordinary meeting on the Sunday, in the calendar and the log → clean.
    let extra = p.clone().meeting(sunday).log(sunday, Some(DecisionKind::Godkendelse), None, None);
    clean(&extra);
    // Near miss: in the log but not in the calendar → the row does not count.
    let no_meeting = p.clone().log(sunday, Some(DecisionKind::Godkendelse), None, None);
    no_meeting.has(Code::DecisionNotLogged).has(Code::PhaseBoardApprovalMissing);
}

#[test]
fn route_4b_before_the_cut_over_the_calendar_is_asked_even_when_field_and_step_agree() {
    // Legacy (the default model's cut-over is the as-of date): field and step agree on a
    // day inside the calendar that is no meeting.
    let sunday = date("2026-03-15");
    let p = P::new("N2", "Igangsat").step_on(2, sunday).approved(Some(sunday));
    assert_eq!(p.codes(), vec![Code::PhaseBoardApprovalUnmatched], "{:#?}", p.findings());
    let f = p.findings().remove(0);
    assert!(f.message.da.contains("'Bestyrelse godkendt (dato)' og Historik række 4"), "{}", f.message.da);
    // Twin: on the listed meeting.
    let meeting = date("2026-03-12");
    clean(&P::new("N2", "Igangsat").step_on(2, meeting).approved(Some(meeting)));
}

#[test]
fn route_5_an_undated_approval_step_is_no_approval_and_an_undated_start_is_bounded() {
    // The approval step has no date; Implementering began 20-01-2026; the field and the
    // log say the board approved 08-10-2026.
    let late = date("2026-10-08");
    let p = P::new("N2", "Implementering")
        .with(|p| p.history[2].date = Input::Blank)
        .approved(Some(late))
        .log_from(Some(date("01-01-2024")))
        .meeting(late)
        .log(late, Some(DecisionKind::Godkendelse), None, None);
    p.has(Code::PhaseBoardApprovalLate).lacks(Code::PhaseBoardApprovalMissing);
    let f = p.findings().into_iter().find(|f| f.code == Code::PhaseBoardApprovalLate).unwrap();
    assert!(f.message.da.contains("senest 20-01-2026"), "{}", f.message.da);
    // Twin: the approval before the next dated step → covered.
    let on_time = date("2026-01-08");
    let p = P::new("N2", "Implementering")
        .with(|p| p.history[2].date = Input::Blank)
        .approved(Some(on_time))
        .log_from(Some(date("01-01-2024")))
        .meeting(on_time)
        .log(on_time, Some(DecisionKind::Godkendelse), None, None);
    clean(&p);
    // Legacy: the same late field with the step undated is late too (not covered by order).
    let p = P::new("N2", "Implementering").with(|p| p.history[2].date = Input::Blank).approved(Some(late));
    p.has(Code::PhaseBoardApprovalLate);
}

#[test]
fn route_6_an_approval_missing_from_the_log() {
    // Field and step on a real meeting date in 2026, not logged.
    let meeting = date("2026-03-12");
    let p = P::new("N2", "Implementering")
        .with(|p| p.history[3].date = Input::Given(date("2026-04-01")))
        .step_on(2, meeting)
        .approved(Some(meeting))
        .log_from(Some(date("01-01-2024")));
    assert_eq!(severity(&p, Code::DecisionNotLogged), vec![Severity::Error]);
    p.has(Code::PhaseBoardApprovalMissing);
    // Twin: logged → clean.
    clean(&p.clone().log(meeting, Some(DecisionKind::Godkendelse), None, None));
    // Twin: an old log without Type (blank = any kind) still supports it.
    clean(&p.clone().log(meeting, None, None, None));
    // The same claim before the cut-over: believed, as before the log was kept.
    let legacy = p.clone().log_from(Some(date("01-06-2026")));
    legacy.lacks(Code::PhaseBoardApprovalMissing).lacks(Code::DecisionNotLogged);
    // No cut-over at all: the same.
    p.clone().log_from(None).lacks(Code::PhaseBoardApprovalMissing);
    // The log's approval the projektark does not show still counts for the gate.
    let shown_nowhere = p.clone().approved(None).with(|p| p.history[2].decider = Input::Given(Decider::Sekretariat));
    let logged_only = shown_nowhere.log(meeting, Some(DecisionKind::Godkendelse), None, None);
    logged_only.lacks(Code::PhaseBoardApprovalMissing);
}

fn budget_change(p: &mut crate::model::project::Project, row: u32, on: &str, from: f64, to: f64, by: Decider) {
    p.budget_changes.push(BudgetChange {
        row,
        date: Input::Given(date(on)),
        from: Input::Given(from),
        to: Input::Given(to),
        decided_by: Input::Given(by),
        reference: Some("Referat".into()),
        reason: Some("Udvidet".into()),
    });
    p.fields.budget.value = Input::Given(to);
}

#[test]
fn route_8_a_board_budget_change_the_log_lacks_leaves_the_growth_standing() {
    let p = n2().with(|p| budget_change(p, 1, "2026-06-15", 1_000_000.0, 1_360_000.0, Decider::Bestyrelse));
    assert_eq!(severity(&p, Code::DecisionNotLogged), vec![Severity::Error]);
    assert_eq!(severity(&p, Code::BudgetGrowth), vec![Severity::Warning]);
    // Twin: the log has the decision (Type Budget, Beløb) on a meeting → growth is info.
    let meeting = date("2026-06-11");
    let p = n2().with(|p| budget_change(p, 1, "2026-06-11", 1_000_000.0, 1_360_000.0, Decider::Bestyrelse)).log(
        meeting,
        Some(DecisionKind::Budget),
        None,
        Some(1_360_000.0),
    );
    assert_eq!(p.codes(), vec![Code::BudgetGrowth], "{:#?}", p.findings());
    assert_eq!(severity(&p, Code::BudgetGrowth), vec![Severity::Info]);
    // Near miss: the log's amount differs → the log's amount is what was approved: growth
    // beyond it stands, and the lead is told.
    let p = n2().with(|p| budget_change(p, 1, "2026-06-11", 1_000_000.0, 1_360_000.0, Decider::Bestyrelse)).log(
        meeting,
        Some(DecisionKind::Budget),
        None,
        Some(1_200_000.0),
    );
    p.has(Code::DecisionMismatch);
    assert_eq!(severity(&p, Code::BudgetGrowth), vec![Severity::Warning]);
}

#[test]
fn route_9_a_stop_by_the_steering_group_where_only_the_board_stops() {
    let steps = [
        ("Idé", "Koncept", "Sekretariat"),
        ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
        ("Bestyrelsesbehandling", "Igangsat", "Bestyrelse"),
        ("Igangsat", "Implementering", "Styregruppe"),
        ("Implementering", "Udfaset", "Styregruppe"),
    ];
    let p = P::new("N2", "Implementering").steps(&steps).reason(4, "OEKONOMI", None).authoritative();
    p.has(Code::PhaseDeciderWrong);
    assert!(!p.process().closed, "a stop the board did not take leaves it running");
    // Judged as still running: the status report falls due again.
    let stale = p.clone().with(|p| p.status.clear());
    stale.has(Code::StatusMissing);
    // Twin: stopped by the board, logged on a meeting.
    let stopped = P::new("N2", "Implementering")
        .steps(&steps)
        .reason(4, "OEKONOMI", None)
        .with(|p| p.history[4].decider = Input::Given(Decider::Bestyrelse))
        .authoritative();
    clean(&stopped.clone().with(|p| p.status.clear()));
    assert!(stopped.process().closed);
    // Route 9b: the board named as decider, but the log lacks the stop.
    let mut unlogged = stopped.clone().with(|p| p.status.clear());
    unlogged.model_mut().decisions.retain(|d| d.kind != Some(DecisionKind::Stop));
    assert!(severity(&unlogged, Code::DecisionNotLogged).contains(&Severity::Error));
    unlogged.has(Code::StatusMissing);
    assert!(!unlogged.process().closed);
}

#[test]
fn route_23_a_board_backflow_or_pause_the_log_lacks_is_a_warning() {
    let steps = [
        ("Idé", "Koncept", "Sekretariat"),
        ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
        ("Bestyrelsesbehandling", "Koncept", "Bestyrelse"),
    ];
    let p = P::new("N2", "Koncept").steps(&steps).reason(2, "ARKITEKTUR", None).log_from(Some(date("01-01-2024")));
    assert_eq!(p.codes(), vec![Code::DecisionNotLogged], "{:#?}", p.findings());
    assert_eq!(severity(&p, Code::DecisionNotLogged), vec![Severity::Warning]);
    // Twin: logged on a meeting.
    clean(&p.clone().authoritative());
}

#[test]
fn a_claim_within_the_slack_uses_the_logs_date_for_the_gate() {
    // Field and approval step say 21-12-2025; the log has the approval on 15-01-2026
    // (within 31 days): the log's date counts. The approval step is the start, so it
    // started on the log's date – a typo for the lead, not a late start for the board.
    let p = P::new("N2", "Implementering").log_from(Some(date("01-01-2024")));
    let logged = date("2026-01-15");
    let p = p.meeting(logged).log(logged, Some(DecisionKind::Godkendelse), None, None);
    assert_eq!(p.codes(), vec![Code::DecisionMismatch], "{:#?}", p.findings());
    // But a start by another step before the log's date is late: the project went Koncept
    // → Pauseret → Igangsat; the field says the board approved five days before the start,
    // the log has the approval 20 days after it.
    let steps = [
        ("Idé", "Koncept", "Sekretariat"),
        ("Koncept", "Pauseret", "Sekretariat"),
        ("Pauseret", "Igangsat", "Styregruppe"),
    ];
    let p = P::new("N2", "Igangsat").steps(&steps).log_from(Some(date("01-01-2024")));
    let start = p.step_date(2);
    let logged = start + Duration::days(20);
    let p = p.approved(Some(start - Duration::days(5))).meeting(logged).log(
        logged,
        Some(DecisionKind::Godkendelse),
        None,
        None,
    );
    p.has(Code::DecisionMismatch).has(Code::PhaseBoardApprovalLate);
}

#[test]
fn one_log_row_supports_one_approval() {
    // Two approvals claimed (before and after a backflow), one logged: the second claim is
    // not supported.
    let steps = [
        ("Idé", "Koncept", "Sekretariat"),
        ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
        ("Bestyrelsesbehandling", "Igangsat", "Bestyrelse"),
        ("Igangsat", "Koncept", "Styregruppe"),
        ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
        ("Bestyrelsesbehandling", "Igangsat", "Bestyrelse"),
    ];
    let p = P::new("N2", "Igangsat").steps(&steps).reason(3, "OEKONOMI", None);
    let p = p.clone().approved(Some(p.step_date(5))).authoritative();
    clean(&p);
    let first = p.step_date(2);
    let mut only_first = p.clone();
    only_first.model_mut().decisions.retain(|d| d.date == first);
    only_first.has(Code::DecisionNotLogged).has(Code::PhaseBoardReapprovalMissing);
}

#[test]
fn unreadable_approval_dates_are_unverifiable_before_the_cut_over_and_the_log_decides_after() {
    // Legacy: the field's date cannot be read, the step has none.
    let p = P::new("N2", "Implementering").with(|p| {
        p.fields.board_approved.value = Input::Invalid;
        p.history[2].date = Input::Blank;
    });
    p.lacks(Code::PhaseBoardApprovalMissing).has(Code::PhaseBoardApprovalUnmatched);
    assert!(p.process().unverifiable);
    // From the cut-over: the log's approval covers it, nothing else is said.
    let approved = date("2025-12-11");
    let logged = p
        .clone()
        .with(|p| {
            for s in &mut p.history {
                if let Input::Given(d) = s.date {
                    s.date = Input::Given(d + Duration::days(800));
                }
            }
        })
        .log_from(Some(date("01-01-2024")));
    let _ = (approved, as_of(), rules());
    let logged_ok = logged.clone().with(|p| {
        p.history[0].date = Input::Given(date("2025-10-22"));
        p.history[1].date = Input::Given(date("2025-11-21"));
        p.history[3].date = Input::Given(date("2026-01-20"));
    });
    let covered = logged_ok.clone().meeting(approved).log(approved, Some(DecisionKind::Godkendelse), None, None);
    covered.lacks(Code::PhaseBoardApprovalMissing).lacks(Code::PhaseBoardApprovalUnmatched);
    // From the cut-over without a logged approval: not approved.
    logged_ok.has(Code::PhaseBoardApprovalMissing);
}
