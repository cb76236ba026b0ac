//! Tests of `phase`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::{P, rules};
use crate::model::choice::Decider;
use crate::model::finding::Code;
use crate::model::project::Input;

fn phase(name: &str) -> Input<crate::model::rules::PhaseId> {
    Input::Given(rules().find_phase(name).unwrap())
}

#[test]
fn clean_histories_for_every_level_and_phase() {
    for level in ["SB", "N1", "N2", "N3"] {
        for ph in ["Idé", "Koncept", "Igangsat", "Implementering", "Produkt", "Pauseret", "Udfaset"] {
            let p = P::new(level, ph);
            assert_eq!(p.codes(), vec![], "{level} {ph}: {:#?}", p.findings());
        }
    }
}

#[test]
fn a_step_not_in_overgange() {
    // N2 may not go straight from Koncept to Igangsat: it must pass the board.
    let p = P::new("N2", "Igangsat").with(|p| {
        p.history.retain(|s| s.to != phase("Bestyrelsesbehandling"));
        let last = p.history.last_mut().unwrap();
        last.from = phase("Koncept");
    });
    p.has(Code::PhaseTransitionNotAllowed);
    P::new("N1", "Igangsat").lacks(Code::PhaseTransitionNotAllowed);
}

#[test]
fn the_wrong_decider() {
    let p =
        P::new("N2", "Igangsat").with(|p| p.history.last_mut().unwrap().decider = Input::Given(Decider::Sekretariat));
    assert_eq!(p.at(Code::PhaseDeciderWrong), ["Historik!D4"]);
    P::new("N2", "Igangsat").lacks(Code::PhaseDeciderWrong);
}

#[test]
fn a_backflow_without_a_known_reason() {
    let backflow = |reason: Option<&str>| {
        P::new("N2", "Koncept").with(move |p| {
            let n = p.history.len() as u32;
            let date = p.history.last().unwrap().date.clone();
            p.history.push(crate::model::project::HistoryStep {
                row: n + 1,
                date: date.clone(),
                from: phase("Koncept"),
                to: phase("Bestyrelsesbehandling"),
                decider: Input::Given(Decider::Sekretariat),
                reference: None,
                reason: None,
                note: None,
                level: Input::Blank,
            });
            p.history.push(crate::model::project::HistoryStep {
                row: n + 2,
                date,
                from: phase("Bestyrelsesbehandling"),
                to: phase("Koncept"),
                decider: Input::Given(Decider::Bestyrelse),
                reference: Some("Bestyrelsesmøde".into()),
                reason: reason.map(str::to_string),
                note: None,
                level: Input::Blank,
            });
        })
    };
    backflow(None).has(Code::PhaseReasonMissing);
    backflow(Some("SJOV")).has(Code::PhaseReasonMissing);
    backflow(Some("udbud")).lacks(Code::PhaseReasonMissing).lacks(Code::PhaseHistoryInconsistent);
}

#[test]
fn an_unknown_reason_where_none_is_needed_is_an_invalid_value() {
    P::new("N1", "Igangsat").with(|p| p.history[0].reason = Some("HVAD".into())).has(Code::InputValueInvalid);
}

#[test]
fn history_must_chain_ascend_and_end_in_the_phase() {
    P::new("N1", "Implementering").with(|p| p.history[1].from = phase("Idé")).has(Code::PhaseHistoryInconsistent);
    P::new("N1", "Implementering").with(|p| p.history.swap(0, 1)).has(Code::PhaseHistoryInconsistent);
    let p = P::new("N1", "Implementering").with(|p| p.fields.phase.value = phase("Produkt"));
    assert_eq!(p.at(Code::PhaseHistoryInconsistent), ["Projekt!B13"]);
    // Same-day steps are fine (near miss).
    P::new("N1", "Implementering")
        .with(|p| {
            let d = p.history[0].date.clone();
            p.history[1].date = d;
        })
        .lacks(Code::PhaseHistoryInconsistent);
}

#[test]
fn board_approval_is_needed_from_igangsat_at_n2() {
    let no_approval = |p: &mut crate::model::project::Project| {
        p.fields.board_approved.value = Input::Blank;
        for s in &mut p.history {
            if s.decider == Input::Given(Decider::Bestyrelse) {
                s.decider = Input::Given(Decider::Sekretariat);
            }
        }
    };
    P::new("N2", "Igangsat").with(no_approval).has(Code::PhaseBoardApprovalMissing);
    P::new("N2", "Koncept").with(no_approval).lacks(Code::PhaseBoardApprovalMissing);
    // The date alone is enough.
    P::new("N2", "Igangsat")
        .with(|p| {
            for s in &mut p.history {
                if s.decider == Input::Given(Decider::Bestyrelse) {
                    s.decider = Input::Given(Decider::Sekretariat);
                }
            }
        })
        .lacks(Code::PhaseBoardApprovalMissing);
}

#[test]
fn board_orientation_is_expected_past_koncept_at_n1() {
    let p = P::new("N1", "Igangsat").with(|p| p.fields.board_informed.value = Input::Blank);
    assert_eq!(p.at(Code::PhaseBoardOrientationMissing), ["Projekt!B17"]);
    P::new("N1", "Koncept")
        .with(|p| p.fields.board_informed.value = Input::Blank)
        .lacks(Code::PhaseBoardOrientationMissing);
}

#[test]
fn a_level_one_project_at_the_board_is_noted_not_refused() {
    let p = P::new("N1", "Igangsat").with(|p| {
        // Koncept → Bestyrelsesbehandling → Igangsat instead of Koncept → Igangsat.
        let last = p.history.pop().unwrap();
        let mut to_board = last.clone();
        to_board.to = phase("Bestyrelsesbehandling");
        let mut from_board = last;
        from_board.row += 1;
        from_board.from = phase("Bestyrelsesbehandling");
        from_board.decider = Input::Given(Decider::Bestyrelse);
        p.history.push(to_board);
        p.history.push(from_board);
    });
    p.has(Code::PhaseBoardNotRequired).lacks(Code::PhaseTransitionNotAllowed);
    P::new("N2", "Igangsat").lacks(Code::PhaseBoardNotRequired);
}

#[test]
fn phase_changed_since_last_run() {
    // Previous run: Igangsat; now Implementering, and the step is in Historik.
    P::new("N1", "Implementering").previous("N1", "Igangsat").lacks(Code::PhaseChangedUnlogged);
    // The same change without the step.
    P::new("N1", "Implementering")
        .previous("N1", "Igangsat")
        .with(|p| {
            p.history.pop();
        })
        .has(Code::PhaseChangedUnlogged);
    P::new("N1", "Implementering").previous("N1", "Implementering").lacks(Code::PhaseChangedUnlogged);
}
