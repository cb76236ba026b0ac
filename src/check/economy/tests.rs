//! Tests of `economy`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::{P, as_of};
use crate::model::choice::{Decider, Rag};
use crate::model::finding::Code;
use crate::model::project::{BudgetChange, Input, Project, StatusReport};
use chrono::Duration;

fn change(row: u32, days_ago: i64, from: f64, to: f64, by: Decider) -> BudgetChange {
    BudgetChange {
        row,
        date: Input::Given(as_of() - Duration::days(days_ago)),
        from: Input::Given(from),
        to: Input::Given(to),
        decided_by: Input::Given(by),
        reference: Some("Referat".into()),
        reason: Some("Større omfang".into()),
    }
}

fn report(row: u32, days_ago: i64, spent: Option<f64>, forecast: Option<f64>) -> StatusReport {
    StatusReport {
        row,
        date: Input::Given(as_of() - Duration::days(days_ago)),
        progress: Input::Given(Rag::Groen),
        economy: Input::Given(Rag::Groen),
        spent: spent.map(Input::Given).unwrap_or_default(),
        forecast: forecast.map(Input::Given).unwrap_or_default(),
        note: None,
    }
}

fn budget(p: &mut Project, baseline: f64, now: f64) {
    p.fields.budget_baseline.value = Input::Given(baseline);
    p.fields.budget.value = Input::Given(now);
}

#[test]
fn budget_missing_from_igangsat() {
    P::new("N1", "Igangsat").with(|p| p.fields.budget.value = Input::Blank).has(Code::BudgetMissing);
    P::new("N1", "Koncept").with(|p| p.fields.budget.value = Input::Blank).lacks(Code::BudgetMissing);
    P::new("N2", "Udfaset").with(|p| p.fields.budget.value = Input::Blank).lacks(Code::BudgetMissing);
}

#[test]
fn the_budget_follows_its_baseline_through_logged_changes() {
    // Raised from 1,8 to 2,2 mio. with no change logged: the trace is lost.
    let p = P::new("N2", "Igangsat").with(|p| budget(p, 1_800_000.0, 2_200_000.0));
    assert_eq!(p.at(Code::BudgetUntraced), ["Projekt!B21"]);
    p.has(Code::BudgetGrowth);
    // The same raise logged and decided by the board: traced; the growth is noted (info),
    // since the board approved the new budget itself.
    let p = P::new("N2", "Igangsat").with(|p| {
        budget(p, 1_800_000.0, 2_200_000.0);
        p.budget_changes.push(change(1, 40, 1_800_000.0, 2_200_000.0, Decider::Bestyrelse));
    });
    p.lacks(Code::BudgetUntraced).lacks(Code::BudgetDeciderWrong).has(Code::BudgetGrowth);
    let growth = p.findings().into_iter().find(|f| f.code == Code::BudgetGrowth).unwrap();
    assert_eq!(growth.severity, crate::model::finding::Severity::Info);
    // At N1 the steering group may decide the raise: growth beyond what the board has
    // seen stays a warning for the board.
    let p = P::new("N1", "Igangsat").with(|p| {
        budget(p, 1_800_000.0, 2_200_000.0);
        p.budget_changes.push(change(1, 40, 1_800_000.0, 2_200_000.0, Decider::Styregruppe));
    });
    let growth = p.findings().into_iter().find(|f| f.code == Code::BudgetGrowth).unwrap();
    assert_eq!(growth.severity, crate::model::finding::Severity::Warning);
    // Within the tolerance: no growth finding (near miss).
    P::new("N2", "Igangsat")
        .with(|p| {
            budget(p, 2_000_000.0, 2_200_000.0);
            p.budget_changes.push(change(1, 40, 2_000_000.0, 2_200_000.0, Decider::Bestyrelse));
        })
        .lacks(Code::BudgetGrowth)
        .lacks(Code::BudgetUntraced);
    // A change that starts from the wrong amount breaks the chain.
    let p = P::new("N2", "Igangsat").with(|p| {
        budget(p, 1_800_000.0, 2_200_000.0);
        p.budget_changes.push(change(1, 40, 1_900_000.0, 2_200_000.0, Decider::Bestyrelse));
    });
    assert_eq!(p.at(Code::BudgetUntraced), ["Budgetændringer!B2"]);
}

#[test]
fn the_board_decides_budget_changes_at_n2_and_n3() {
    let with_change = |level: &str, by: Decider| {
        P::new(level, "Igangsat").with(move |p| {
            budget(p, 1_000_000.0, 1_050_000.0);
            p.budget_changes.push(change(1, 40, 1_000_000.0, 1_050_000.0, by));
        })
    };
    assert_eq!(with_change("N2", Decider::Styregruppe).at(Code::BudgetDeciderWrong), ["Budgetændringer!D2"]);
    with_change("N2", Decider::Bestyrelse).lacks(Code::BudgetDeciderWrong);
    with_change("N1", Decider::Styregruppe).lacks(Code::BudgetDeciderWrong);
    with_change("N1", Decider::Koordinationsgruppe).has(Code::BudgetDeciderWrong);
}

#[test]
fn an_older_projektark_without_a_baseline_says_so_once() {
    let p = P::new("N2", "Igangsat").with(|p| p.fields.budget_baseline = Default::default());
    let codes = p.codes();
    assert_eq!(codes, vec![Code::BudgetBaselineMissing], "{:#?}", p.findings());
    // Before Igangsat nothing is due.
    P::new("N2", "Koncept").with(|p| p.fields.budget_baseline = Default::default()).lacks(Code::BudgetBaselineMissing);
}

#[test]
fn a_budget_changed_since_the_last_run_needs_a_logged_change() {
    let raised = |p: &mut Project| {
        p.fields.budget_baseline = Default::default();
        p.fields.budget.value = Input::Given(2_200_000.0);
    };
    let p = P::new("N2", "Igangsat").with(raised).previous_with(|prev| prev.budget = Some(1_800_000.0));
    p.has(Code::BudgetUntraced);
    // Logged between the runs: explained.
    P::new("N2", "Igangsat")
        .with(raised)
        .with(|p| p.budget_changes.push(change(1, 10, 1_800_000.0, 2_200_000.0, Decider::Bestyrelse)))
        .previous_with(|prev| prev.budget = Some(1_800_000.0))
        .lacks(Code::BudgetUntraced);
    // Unchanged: nothing (near miss).
    P::new("N2", "Igangsat")
        .with(raised)
        .previous_with(|prev| prev.budget = Some(2_200_000.0))
        .lacks(Code::BudgetUntraced);
}

#[test]
fn spending_over_the_budget_is_an_overrun_even_without_a_forecast() {
    let p = P::new("N2", "Igangsat").with(|p| {
        budget(p, 2_200_000.0, 2_200_000.0);
        p.status = vec![report(1, 20, Some(2_600_000.0), None)];
    });
    assert_eq!(p.at(Code::BudgetOverrun), ["Status!D2"]);
    P::new("N2", "Igangsat")
        .with(|p| {
            budget(p, 2_200_000.0, 2_200_000.0);
            p.status = vec![report(1, 20, Some(2_200_000.0), None)];
        })
        .lacks(Code::BudgetOverrun);
    // The forecast over budget beyond the tolerance, as before.
    P::new("N1", "Igangsat").with(|p| p.status[0].forecast = Input::Given(1_100_001.0)).has(Code::BudgetOverrun);
    P::new("N1", "Igangsat").with(|p| p.status[0].forecast = Input::Given(1_100_000.0)).lacks(Code::BudgetOverrun);
}

#[test]
fn a_forecast_below_what_is_spent_cannot_be_right() {
    let p = P::new("N1", "Igangsat").with(|p| p.status = vec![report(1, 20, Some(800_000.0), Some(700_000.0))]);
    assert_eq!(p.at(Code::BudgetForecastBelowSpend), ["Status!E2"]);
    P::new("N1", "Igangsat")
        .with(|p| p.status = vec![report(1, 20, Some(700_000.0), Some(700_000.0))])
        .lacks(Code::BudgetForecastBelowSpend);
}

#[test]
fn a_forecast_creeping_up_in_small_steps() {
    // 1,9 → 2,0 → 2,2 → 2,3 mio. against a budget of 2,2 mio.: each step within 10 %.
    let creeping = |series: &[f64]| {
        let series = series.to_vec();
        P::new("N2", "Igangsat").with(move |p| {
            budget(p, 2_200_000.0, 2_200_000.0);
            p.status = series
                .iter()
                .enumerate()
                .map(|(i, f)| report(i as u32 + 1, 300 - 90 * i as i64, None, Some(*f)))
                .collect();
        })
    };
    let p = creeping(&[1_900_000.0, 2_000_000.0, 2_200_000.0, 2_300_000.0]);
    p.lacks(Code::BudgetOverrun);
    let f = p.findings().into_iter().find(|f| f.code == Code::BudgetForecastCreep).expect("creep");
    assert!(f.message.da.contains("1,9 → 2,0 → 2,2 → 2,3 mio. kr."), "{}", f.message.da);
    assert_eq!(f.location.a1(), "Status!E5");
    // Near miss: up 5 % in total.
    creeping(&[2_000_000.0, 2_050_000.0, 2_100_000.0]).lacks(Code::BudgetForecastCreep);
    // Past the limit it is an overrun, said once.
    creeping(&[1_900_000.0, 2_500_000.0]).has(Code::BudgetOverrun).lacks(Code::BudgetForecastCreep);
}

#[test]
fn an_overrun_that_stands_says_since_when_and_is_escalated() {
    let overrun = |p: &mut Project| p.status[0].forecast = Input::Given(1_500_000.0);
    // First seen now: no "since", no escalation.
    let p = P::new("N2", "Igangsat").with(overrun);
    assert!(!p.findings().iter().any(|f| f.message.da.contains("siden")));
    p.lacks(Code::BudgetEscalated);
    // Stood in the previous run (October): says since October, not escalated yet.
    let p = P::new("N2", "Igangsat").with(overrun).previous_with(|prev| {
        prev.findings.push(("BUDGET-OVERRUN".into(), None, "Status!E2".into()));
    });
    let f = p.findings().into_iter().find(|f| f.code == Code::BudgetOverrun).unwrap();
    assert!(f.message.da.contains("siden 2026-10 (2 kørsler)"), "{}", f.message.da);
    p.lacks(Code::BudgetEscalated);
    // Standing since September: escalated to the board.
    let standing = |p: P| {
        p.with(overrun).previous_with(|prev| {
            prev.economy_since = Some("2026-09".into());
        })
    };
    standing(P::new("N2", "Igangsat")).has(Code::BudgetEscalated);
    // A decision recorded since then (a logged budget change) stops the escalation.
    standing(P::new("N2", "Igangsat").with(|p| {
        p.budget_changes.push(change(1, 50, 1_000_000.0, 1_000_000.0, Decider::Bestyrelse));
    }))
    .lacks(Code::BudgetEscalated);
    // A red economy stands the same way.
    P::new("N2", "Igangsat")
        .with(|p| p.status[0].economy = Input::Given(Rag::Roed))
        .previous_with(|prev| prev.economy_since = Some("2026-08".into()))
        .has(Code::BudgetEscalated);
}
