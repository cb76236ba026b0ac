//! Tests of `economy`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::{P, as_of, date};
use crate::model::choice::DecisionKind;
use crate::model::choice::{Decider, Rag};
use crate::model::finding::Code;
use crate::model::history::{BudgetRow, ProjectState, Seen, StatusRow};
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
    // A change the projektark alone records, or a pause, does not stop the clock (issue 20).
    standing(P::new("N2", "Igangsat").with(|p| {
        p.budget_changes.push(change(1, 50, 1_000_000.0, 1_000_000.0, Decider::Bestyrelse));
    }))
    .has(Code::BudgetEscalated);
    // A board decision in the log since then (Type Budget) restarts it at its period.
    standing(P::new("N2", "Igangsat"))
        .log(date("2026-11-05"), Some(DecisionKind::Budget), None, None)
        .lacks(Code::BudgetEscalated);
    // Near miss: a logged decision before the problem began does not.
    standing(P::new("N2", "Igangsat"))
        .log(date("2026-08-05"), Some(DecisionKind::Budget), None, None)
        .has(Code::BudgetEscalated);
    // Nor one of another kind (Licens).
    standing(P::new("N2", "Igangsat"))
        .log(date("2026-11-05"), Some(DecisionKind::Licens), None, None)
        .has(Code::BudgetEscalated);
    // A red economy stands the same way.
    P::new("N2", "Igangsat")
        .with(|p| p.status[0].economy = Input::Given(Rag::Roed))
        .previous_with(|prev| prev.economy_since = Some("2026-08".into()))
        .has(Code::BudgetEscalated);
}

/// A history in which `rows` were counted in 2026-09 and `baseline` was accepted.
fn history(baseline: Option<f64>, status: Vec<StatusRow>, budget: Vec<BudgetRow>) -> ProjectState {
    let seen = |period: &str| (period.to_string(), Some(period.to_string()));
    ProjectState {
        first_seen: "2026-09".into(),
        last_seen: "2026-10".into(),
        baseline,
        status: status
            .into_iter()
            .map(|row| {
                let (first_seen, counted_from) = seen("2026-09");
                Seen { row, first_seen, counted_from, changed_in: None, removed_in: Some("2026-10".into()) }
            })
            .collect(),
        budget_changes: budget
            .into_iter()
            .map(|row| {
                let (first_seen, counted_from) = seen("2026-09");
                Seen { row, first_seen, counted_from, changed_in: None, removed_in: None }
            })
            .collect(),
        ..ProjectState::default()
    }
}

fn with_history(p: P, h: ProjectState) -> P {
    p.previous_with(|prev| prev.history = Some(Box::new(h)))
}

fn srow(days_ago: i64, forecast: f64) -> StatusRow {
    StatusRow { date: as_of() - Duration::days(days_ago), n: 0, forecast: Some(forecast), ..StatusRow::default() }
}

#[test]
fn deleted_status_rows_still_count_for_the_forecast_series() {
    let newest = |p: &mut Project| {
        budget(p, 2_000_000.0, 2_000_000.0);
        p.status = vec![report(1, 10, None, Some(2_150_000.0))];
    };
    // Alone, 2,15 against a budget of 2,0 is within the tolerance of 10 % (no overrun) and
    // there is no series: nothing.
    P::new("N2", "Igangsat").with(newest).lacks(Code::BudgetForecastCreep).lacks(Code::BudgetOverrun);
    // With the deleted rows 1,75 and 1,9 the history kept: +23 % from 1,75.
    let h = history(None, vec![srow(120, 1_750_000.0), srow(60, 1_900_000.0)], vec![]);
    with_history(P::new("N2", "Igangsat").with(newest), h).has(Code::BudgetForecastCreep);
    // Near miss: the deleted rows were 2,05 and 2,1: +5 %, no creep.
    let h = history(None, vec![srow(120, 2_050_000.0), srow(60, 2_100_000.0)], vec![]);
    with_history(P::new("N2", "Igangsat").with(newest), h).lacks(Code::BudgetForecastCreep);
}

#[test]
fn a_rewritten_baseline_is_an_error_and_growth_is_measured_from_the_earlier_one() {
    let grown = |p: &mut Project| budget(p, 2_200_000.0, 2_200_000.0);
    // Without history: nothing to compare with.
    P::new("N2", "Igangsat").with(grown).lacks(Code::BudgetHistoryRewritten).lacks(Code::BudgetGrowth);
    let h = || history(Some(1_800_000.0), vec![], vec![]);
    let p = with_history(P::new("N2", "Igangsat").with(grown), h());
    p.has(Code::BudgetHistoryRewritten).has(Code::BudgetGrowth);
    assert_eq!(
        p.findings().iter().find(|f| f.code == Code::BudgetHistoryRewritten).unwrap().severity,
        crate::model::finding::Severity::Error
    );
    // Near miss: a re-approval in the log with the new amount explains it.
    with_history(P::new("N2", "Igangsat").with(grown), h())
        .log(date("2026-10-20"), Some(DecisionKind::Godkendelse), None, Some(2_200_000.0))
        .lacks(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetGrowth);
    // A logged decision with another amount does not.
    with_history(P::new("N2", "Igangsat").with(grown), h())
        .log(date("2026-10-20"), Some(DecisionKind::Budget), None, Some(2_000_000.0))
        .has(Code::BudgetHistoryRewritten);
}

#[test]
fn a_rewritten_or_removed_budget_change_is_an_error_unless_the_log_explains_it() {
    let row = BudgetRow {
        date: as_of() - Duration::days(60),
        n: 0,
        from: Some(2_000_000.0),
        to: Some(2_100_000.0),
        by: Some("Styregruppe".into()),
    };
    let sheet = |to: f64| {
        move |p: &mut Project| {
            budget(p, 2_000_000.0, to);
            p.budget_changes = vec![change(1, 60, 2_000_000.0, to, Decider::Styregruppe)];
        }
    };
    let h = || history(Some(2_000_000.0), vec![], vec![row.clone()]);
    // Unchanged: nothing.
    with_history(P::new("N1", "Igangsat").with(sheet(2_100_000.0)), h()).lacks(Code::BudgetHistoryRewritten);
    // Rewritten 2,1 → 2,4.
    with_history(P::new("N1", "Igangsat").with(sheet(2_400_000.0)), h()).has(Code::BudgetHistoryRewritten);
    // Explained by a logged Budget decision on the row's date with that amount.
    with_history(P::new("N1", "Igangsat").with(sheet(2_400_000.0)), h())
        .log(as_of() - Duration::days(60), Some(DecisionKind::Budget), None, Some(2_400_000.0))
        .lacks(Code::BudgetHistoryRewritten);
    // Removed.
    with_history(
        P::new("N1", "Igangsat").with(|p| {
            budget(p, 2_000_000.0, 2_000_000.0);
            p.budget_changes.clear();
        }),
        h(),
    )
    .has(Code::BudgetHistoryRewritten);
}

#[test]
fn two_tolerances_make_one_overrun_against_the_approved_budget() {
    // N2: the board decides budgets; the steering group raised 2,0 → 2,2 (+10 %) and the
    // forecast is 2,42 (+10 % more): +21 % over what the board approved.
    let raised = |forecast: f64| {
        move |p: &mut Project| {
            budget(p, 2_000_000.0, 2_200_000.0);
            p.budget_changes = vec![change(1, 60, 2_000_000.0, 2_200_000.0, Decider::Styregruppe)];
            p.status = vec![report(1, 10, None, Some(forecast))];
        }
    };
    P::new("N2", "Igangsat").with(raised(2_420_000.0)).has(Code::BudgetOverrun);
    // Near miss: at N1 the steering group owns the budget, so 2,2 is approved: +10 %.
    P::new("N1", "Igangsat").with(raised(2_420_000.0)).lacks(Code::BudgetOverrun);
}

#[test]
fn creep_is_measured_from_the_last_board_decision_on_the_budget() {
    // Forecasts 2,0 → 2,2 → 2,4 before the board raised the frame 2,0 → 2,6 (logged), then 2,5.
    let after_raise = |newest: f64| {
        move |p: &mut Project| {
            budget(p, 2_000_000.0, 2_600_000.0);
            p.budget_changes = vec![change(1, 50, 2_000_000.0, 2_600_000.0, Decider::Bestyrelse)];
            p.status = vec![
                report(1, 150, None, Some(2_000_000.0)),
                report(2, 100, None, Some(2_200_000.0)),
                report(3, 60, None, Some(2_400_000.0)),
                report(4, 5, None, Some(newest)),
            ];
        }
    };
    let logged = |p: P| p.log(as_of() - Duration::days(50), Some(DecisionKind::Budget), None, Some(2_600_000.0));
    logged(P::new("N2", "Igangsat").with(after_raise(2_500_000.0)))
        .lacks(Code::BudgetForecastCreep)
        .lacks(Code::BudgetOverrun);
    // Near miss: 2,75 is +15 % from 2,4 – creep again, within the new frame.
    logged(P::new("N2", "Igangsat").with(after_raise(2_760_000.0)))
        .has(Code::BudgetForecastCreep)
        .lacks(Code::BudgetOverrun);
    // And 3,0 is over the new frame (+15 %).
    logged(P::new("N2", "Igangsat").with(after_raise(3_000_000.0))).has(Code::BudgetOverrun);
}

#[test]
fn a_pause_of_a_day_does_not_restart_the_escalation_clock() {
    let overrun = |p: &mut Project| p.status[0].forecast = Input::Given(1_500_000.0);
    // Igangsat → Pauseret 05-10 → Igangsat 06-10, after the overrun began in September.
    let paused = |p: &mut Project| {
        let rules = crate::check::testkit::rules();
        let (run, pause) = (rules.find_phase("Igangsat").unwrap(), rules.find_phase("Pauseret").unwrap());
        let last = p.history.last().cloned().unwrap();
        let n = last.row;
        for (i, (from, to, day)) in [(run, pause, "2026-10-05"), (pause, run, "2026-10-06")].into_iter().enumerate() {
            let mut step = last.clone();
            step.row = n + 1 + i as u32;
            step.from = Input::Given(from);
            step.to = Input::Given(to);
            step.date = Input::Given(date(day));
            p.history.push(step);
        }
    };
    let p = P::new("N2", "Igangsat")
        .with(overrun)
        .with(paused)
        .previous_with(|prev| prev.economy_since = Some("2026-09".into()));
    p.has(Code::BudgetEscalated);
    // Near miss: the same with a board decision in the log (Type Stop counts too).
    P::new("N2", "Igangsat")
        .with(overrun)
        .with(paused)
        .previous_with(|prev| prev.economy_since = Some("2026-09".into()))
        .log(date("2026-10-05"), Some(DecisionKind::Stop), None, None)
        .lacks(Code::BudgetEscalated);
}

#[test]
fn a_status_row_dated_after_the_run_date_does_not_hide_an_overrun() {
    // The newest real report (20 days ago) forecasts 1,5 mio. against a budget of 1,0 mio.;
    // a row dated next month forecasts 0,9 mio.
    let with_newer = |days_ago: i64| {
        P::new("N2", "Igangsat").with(move |p| {
            budget(p, 1_000_000.0, 1_000_000.0);
            p.status = vec![report(1, 20, None, Some(1_500_000.0)), report(2, days_ago, None, Some(900_000.0))];
        })
    };
    let p = with_newer(-30);
    assert_eq!(p.at(Code::BudgetOverrun), ["Status!E2"]);
    // Twin: the same row dated on the run date is the newest report, and it is within budget.
    with_newer(0).lacks(Code::BudgetOverrun);
}

#[test]
fn a_budget_change_dated_after_the_run_date_does_not_approve_anything() {
    // N2: the board raised 2,0 → 2,6 mio. at a meeting (logged, amount 2,6), forecast 2,5 mio.
    let raised_on = |days_ago: i64| {
        P::new("N2", "Igangsat")
            .meeting(as_of() - Duration::days(days_ago))
            .with(move |p| {
                budget(p, 2_000_000.0, 2_600_000.0);
                p.budget_changes = vec![change(1, days_ago, 2_000_000.0, 2_600_000.0, Decider::Bestyrelse)];
                p.status = vec![report(1, 10, None, Some(2_500_000.0))];
            })
            .log(as_of() - Duration::days(days_ago), Some(DecisionKind::Budget), None, Some(2_600_000.0))
    };
    // Dated next month: the approved budget is still 2,0 mio., so 2,5 is an overrun.
    raised_on(-30).has(Code::BudgetOverrun).has(Code::InputFutureDate);
    // Twin: dated on the run date, the raise counts and 2,5 is inside the new frame.
    raised_on(0).lacks(Code::BudgetOverrun);
}

#[test]
fn a_red_economy_dated_after_the_run_date_does_not_stand() {
    // Standing since September by the previous run; today's only red Økonomi is in a row
    // dated next month, so nothing stands and nothing is escalated.
    let red = |days_ago: i64| {
        P::new("N2", "Igangsat")
            .with(move |p| {
                let mut r = report(2, days_ago, None, None);
                r.economy = Input::Given(Rag::Roed);
                p.status.push(r);
            })
            .previous_with(|prev| prev.economy_since = Some("2026-09".into()))
    };
    red(-30).lacks(Code::BudgetEscalated);
    // Twin: dated on the run date, it is the newest report and red: escalated.
    red(0).has(Code::BudgetEscalated);
}

#[test]
fn the_summary_shown_to_people_leaves_out_rows_dated_after_the_run_date() {
    // A row dated next month with a forecast of 9,9 mio. kr.: the portfolio, the board's
    // facts and the findings JSON show the newest row that counts.
    let with_row = |days: i64| {
        P::new("N1", "Igangsat").with(move |p| {
            let mut row = p.status[0].clone();
            row.row = p.status.iter().map(|s| s.row).max().unwrap_or(1) + 1;
            row.date = Input::Given(as_of() + Duration::days(days));
            row.forecast = Input::Given(9_900_000.0);
            p.status.push(row);
        })
    };
    let future = with_row(10);
    let shown = super::Summary::of(&future.project, as_of());
    assert_ne!(shown.forecast, Some(9_900_000.0), "{shown:?}");
    assert!(!shown.forecasts.contains(&9_900_000.0), "{shown:?}");
    // Near miss: the same row dated on the run date counts.
    let today = with_row(0);
    assert_eq!(super::Summary::of(&today.project, as_of()).forecast, Some(9_900_000.0));
}

/// A Budgetændringer row of the history, `days_ago` before the as-of.
fn brow(days_ago: i64, from: f64, to: f64, by: &str) -> BudgetRow {
    BudgetRow { date: as_of() - Duration::days(days_ago), n: 0, from: Some(from), to: Some(to), by: Some(by.into()) }
}

#[test]
fn a_rewrite_correcting_a_row_reported_untraced_is_a_correction_not_a_rewrite() {
    use crate::model::history::Keyed;
    // September showed 1,9 → 2,1 by the steering group, against a baseline of 2,0: the run
    // reported BUDGET-UNTRACED on the row. October's sheet starts it at 2,0.
    let earlier = brow(60, 1_900_000.0, 2_100_000.0, "Styregruppe");
    let flagged = || {
        let mut h = history(Some(2_000_000.0), vec![], vec![earlier.clone()]);
        h.untraced = vec![earlier.key()];
        h
    };
    let sheet = |from: f64, to: f64, by: Decider| {
        move |p: &mut Project| {
            budget(p, 2_000_000.0, to);
            p.budget_changes = vec![change(1, 60, from, to, by)];
        }
    };
    let p =
        with_history(P::new("N1", "Igangsat").with(sheet(2_000_000.0, 2_100_000.0, Decider::Styregruppe)), flagged());
    p.lacks(Code::BudgetHistoryRewritten).lacks(Code::BudgetUntraced).has(Code::BudgetCorrected);
    let f = p.findings().into_iter().find(|f| f.code == Code::BudgetCorrected).unwrap();
    assert_eq!(f.severity, crate::model::finding::Severity::Info);
    assert!(f.message.da.contains("rettet fra 1.900.000 kr. → 2.100.000 kr. til 2.000.000 kr. → 2.100.000 kr."));
    // Near miss: the same rewrite of a row that was in order is a rewrite ("correction" is
    // no way to change a row nobody flagged).
    let unflagged = history(Some(2_000_000.0), vec![], vec![brow(60, 2_000_000.0, 2_100_000.0, "Styregruppe")]);
    with_history(P::new("N1", "Igangsat").with(sheet(2_000_000.0, 2_400_000.0, Decider::Styregruppe)), unflagged)
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // A flagged row rewritten so that it still does not start where the chain is: no
    // correction.
    with_history(P::new("N1", "Igangsat").with(sheet(1_950_000.0, 2_100_000.0, Decider::Styregruppe)), flagged())
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // The way around: "correcting" the row into a board decision the log does not have.
    let board = sheet(2_000_000.0, 2_600_000.0, Decider::Bestyrelse);
    with_history(P::new("N1", "Igangsat").with(board), flagged())
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // The way around: a flagged Fra corrected while Til is raised too – the steering
    // group's decision reached 2,1, not 2,5; the rewrite stays one.
    with_history(P::new("N1", "Igangsat").with(sheet(2_000_000.0, 2_500_000.0, Decider::Styregruppe)), flagged())
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // With the board's decision in the log it is explained (as any rewrite is).
    with_history(P::new("N1", "Igangsat").with(board), flagged())
        .log(as_of() - Duration::days(60), Some(DecisionKind::Budget), None, Some(2_600_000.0))
        .lacks(Code::BudgetHistoryRewritten);
    // The corrected row is judged like any other: at N2 only the board decides a budget,
    // so the steering group's 2,0 → 2,1 is BUDGET-DECIDER-WRONG and does not move the
    // approved budget – a forecast of 2,3 is over the 2,0 the board approved.
    let n2 = |p: &mut Project| {
        sheet(2_000_000.0, 2_100_000.0, Decider::Styregruppe)(p);
        p.status = vec![report(1, 10, None, Some(2_300_000.0))];
    };
    with_history(P::new("N2", "Igangsat").with(n2), flagged())
        .has(Code::BudgetCorrected)
        .has(Code::BudgetDeciderWrong)
        .has(Code::BudgetOverrun)
        .lacks(Code::BudgetHistoryRewritten);
}

#[test]
fn a_baseline_corrected_to_where_its_flagged_first_change_starts_is_a_correction() {
    use crate::model::history::Keyed;
    // September: baseline 1,8 (a typo), the first change 2,0 → 2,2 (steering group, N1):
    // BUDGET-UNTRACED on the change's Fra. October: the baseline says 2,0.
    let first = brow(60, 2_000_000.0, 2_200_000.0, "Styregruppe");
    let h = |baseline_untraced: bool| {
        let mut h = history(Some(1_800_000.0), vec![], vec![first.clone()]);
        h.untraced = if baseline_untraced { vec![first.key()] } else { vec![] };
        h.baseline_untraced = baseline_untraced;
        h
    };
    let sheet = |baseline: f64| {
        move |p: &mut Project| {
            budget(p, baseline, 2_200_000.0);
            p.budget_changes = vec![change(1, 60, 2_000_000.0, 2_200_000.0, Decider::Styregruppe)];
        }
    };
    let p = with_history(P::new("N1", "Igangsat").with(sheet(2_000_000.0)), h(true));
    p.lacks(Code::BudgetHistoryRewritten).lacks(Code::BudgetUntraced).has(Code::BudgetCorrected);
    assert_eq!(p.at(Code::BudgetCorrected).len(), 1);
    // Near miss: the same baseline rewrite when nothing was flagged stays a rewrite.
    with_history(P::new("N1", "Igangsat").with(sheet(2_000_000.0)), h(false))
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // The way around: a baseline "corrected" to the grown budget is no correction.
    with_history(P::new("N1", "Igangsat").with(sheet(2_200_000.0)), h(true))
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // The way around: the baseline and the flagged change's Fra rewritten together to a
    // new amount – the baseline may only move to where the change started as reported.
    let both = |p: &mut Project| {
        budget(p, 2_100_000.0, 2_200_000.0);
        p.budget_changes = vec![change(1, 60, 2_100_000.0, 2_200_000.0, Decider::Styregruppe)];
    };
    with_history(P::new("N1", "Igangsat").with(both), h(true)).has(Code::BudgetHistoryRewritten);
    // The log's approval with another Beløb is what was approved.
    with_history(P::new("N1", "Igangsat").with(sheet(2_000_000.0)), h(true))
        .log(date("2026-03-02"), Some(DecisionKind::Godkendelse), None, Some(1_800_000.0))
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
}

#[test]
fn a_decider_filled_in_later_is_a_correction_and_still_judged() {
    // September showed 2,0 → 2,1 with Besluttet af blank (no recorded decider).
    let mut blank = brow(60, 2_000_000.0, 2_100_000.0, "");
    blank.by = None;
    let h = || history(Some(2_000_000.0), vec![], vec![blank.clone()]);
    let sheet = |to: f64, by: Decider| {
        move |p: &mut Project| {
            budget(p, 2_000_000.0, to);
            p.budget_changes = vec![change(1, 60, 2_000_000.0, to, by)];
        }
    };
    let p = with_history(P::new("N1", "Igangsat").with(sheet(2_100_000.0, Decider::Styregruppe)), h());
    p.lacks(Code::BudgetHistoryRewritten).has(Code::BudgetCorrected);
    assert_eq!(p.at(Code::BudgetCorrected).len(), 1);
    let f = p.findings().into_iter().find(|f| f.code == Code::BudgetCorrected).unwrap();
    assert!(f.message.da.contains("havde ingen beslutter") && f.message.da.contains("Styregruppe"), "{}", f.message.da);
    // Near miss: filled in and the amount raised – a rewrite.
    with_history(P::new("N1", "Igangsat").with(sheet(2_400_000.0, Decider::Styregruppe)), h())
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // A decider that was there, changed: a rewrite.
    let given = history(Some(2_000_000.0), vec![], vec![brow(60, 2_000_000.0, 2_100_000.0, "Sekretariat")]);
    with_history(P::new("N1", "Igangsat").with(sheet(2_100_000.0, Decider::Styregruppe)), given)
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // The way around: filling in the board without the log's decision.
    with_history(P::new("N1", "Igangsat").with(sheet(2_100_000.0, Decider::Bestyrelse)), h())
        .has(Code::BudgetHistoryRewritten)
        .lacks(Code::BudgetCorrected);
    // Judged like any other row: at N2 the steering group may not decide a budget.
    with_history(P::new("N2", "Igangsat").with(sheet(2_100_000.0, Decider::Styregruppe)), h())
        .has(Code::BudgetCorrected)
        .has(Code::BudgetDeciderWrong);
}
