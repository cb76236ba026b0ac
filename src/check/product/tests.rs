//! Tests of `product`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::{P, as_of};
use crate::model::finding::{Code, Severity};
use crate::model::project::{Input, OperationReport, Project};
use chrono::Duration;

#[test]
fn products_need_coordination_and_sla() {
    P::new("N1", "Produkt").with(|p| p.fields.coordination_group.value = Input::Blank).has(Code::ProductNoCoordination);
    P::new("N1", "Produkt").with(|p| p.fields.sla.value = Input::Blank).has(Code::ProductNoSla);
    P::new("N1", "Implementering").with(|p| p.fields.sla.value = Input::Blank).lacks(Code::ProductNoSla);
    P::new("N1", "Implementering")
        .with(|p| p.fields.coordination_group.value = Input::Blank)
        .lacks(Code::ProductNoCoordination);
    for placeholder in [
        "-",
        "x",
        "nej",
        "n/a",
        "ingen",
        "?",
        "–",
        "Ingen.",
        "Ingen SLA",
        "ingen aftale",
        "ingen endnu",
        "ikke relevant",
        "Ikke aftalt endnu",
        "mangler",
        "N.A.",
        "TBA",
        "(tom)",
        "0",
    ] {
        P::new("N1", "Produkt").with(|p| p.fields.sla.value = Input::Given(placeholder.into())).has(Code::ProductNoSla);
        P::new("N1", "Produkt")
            .with(|p| p.fields.coordination_group.value = Input::Given(placeholder.into()))
            .has(Code::ProductNoCoordination);
    }
    // Near misses: real content, also when it starts with a word of denial.
    for sla in [
        "Se aftalen",
        "99,5 % oppetid",
        "https://os2.eu/sla",
        "Ingen nedetid over 4 timer i arbejdstiden",
        "Nej-tak-aftalen af 2026",
    ] {
        P::new("N1", "Produkt").with(|p| p.fields.sla.value = Input::Given(sla.into())).lacks(Code::ProductNoSla);
    }
}

#[test]
fn a_product_needs_organisations_that_use_it() {
    let none_in_use = |p: &mut Project| {
        for o in &mut p.participants {
            o.in_use = Input::Blank;
        }
    };
    let p = P::new("N2", "Produkt").with(none_in_use);
    assert_eq!(p.at(Code::ProductNotInUse), ["Historik!C6"]);
    // One is not enough at N2 (two organisations), and a date after the step does not count.
    P::new("N2", "Produkt").with(|p| p.participants[1].in_use = Input::Blank).has(Code::ProductNotInUse);
    P::new("N2", "Produkt")
        .with(|p| p.participants[1].in_use = Input::Given(as_of() - Duration::days(1)))
        .has(Code::ProductNotInUse);
    P::new("N2", "Produkt").lacks(Code::ProductNotInUse);
    // The sandbox needs at least one organisation in use.
    P::new("SB", "Produkt").with(none_in_use).has(Code::ProductNotInUse);
    P::new("SB", "Produkt").with(|p| p.participants[1].in_use = Input::Blank).lacks(Code::ProductNotInUse);
    // An older projektark without the column: one warning that says so.
    let p = P::new("N2", "Produkt").with(|p| {
        none_in_use(p);
        if let Some((_, cols)) = &mut p.sheets.deltagere {
            cols.0.retain(|(n, _)| *n != "I drift (dato)");
        }
    });
    let f = p.findings().into_iter().find(|f| f.code == Code::ProductNotInUse).unwrap();
    assert_eq!(f.severity, Severity::Warning);
}

fn drift(row: u32, days_ago: i64, target: f64, measured: f64, open: i64) -> OperationReport {
    OperationReport {
        row,
        date: Input::Given(as_of() - Duration::days(days_ago)),
        sla_target: Input::Given(target),
        measured: Input::Given(measured),
        open_changes: Input::Given(open),
        architecture: None,
        note: None,
    }
}

#[test]
fn the_coordination_group_reports_every_quarter() {
    P::new("N2", "Produkt").with(|p| p.operations.clear()).has(Code::ProductDriftMissing);
    P::new("N2", "Produkt").with(|p| p.sheets.drift = None).has(Code::ProductDriftMissing);
    P::new("N2", "Implementering").with(|p| p.operations.clear()).lacks(Code::ProductDriftMissing);
    let stale = |days: i64| P::new("N2", "Produkt").with(move |p| p.operations = vec![drift(1, days, 99.5, 99.9, 1)]);
    stale(92).lacks(Code::ProductDriftStale);
    let f = stale(93).findings().into_iter().find(|f| f.code == Code::ProductDriftStale).unwrap();
    assert_eq!((f.severity, f.location.a1()), (Severity::Warning, "Drift!A2".to_string()));
    let f = stale(366).findings().into_iter().find(|f| f.code == Code::ProductDriftStale).unwrap();
    assert_eq!(f.severity, Severity::Error);
}

#[test]
fn an_sla_breach_and_a_growing_backlog() {
    let p = P::new("N2", "Produkt").with(|p| p.operations = vec![drift(1, 20, 99.5, 91.0, 2)]);
    assert_eq!(p.at(Code::ProductSlaBreach), ["Drift!C2"]);
    let f = p.findings().into_iter().find(|f| f.code == Code::ProductSlaBreach).unwrap();
    assert!(f.message.da.contains("91 %") && f.message.da.contains("99,5 %"), "{}", f.message.da);
    P::new("N2", "Produkt").with(|p| p.operations = vec![drift(1, 20, 99.5, 99.5, 2)]).lacks(Code::ProductSlaBreach);
    let growing = |a, b, c| {
        P::new("N2", "Produkt").with(move |p| {
            p.operations = vec![drift(1, 200, 99.5, 99.9, a), drift(2, 110, 99.5, 99.9, b), drift(3, 20, 99.5, 99.9, c)]
        })
    };
    growing(3, 5, 8).has(Code::ProductChangesGrowing);
    growing(3, 5, 5).lacks(Code::ProductChangesGrowing);
}

use crate::check::testkit::move_history as earlier;

#[test]
fn a_product_that_never_reported_is_as_serious_as_one_that_stopped() {
    // A product for well over the critical age without a Drift row: an error, for the board.
    let never = P::new("N2", "Produkt").with(|p| {
        p.operations.clear();
        earlier(p, 500);
    });
    let f = never.findings().into_iter().find(|f| f.code == Code::ProductDriftMissing).unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.da.contains("uden en driftsrapport"), "{}", f.message.da);
    // Also without the Drift sheet at all.
    let f = P::new("N2", "Produkt")
        .with(|p| {
            p.sheets.drift = None;
            earlier(p, 500);
        })
        .findings()
        .into_iter()
        .find(|f| f.code == Code::ProductDriftMissing)
        .unwrap();
    assert_eq!(f.severity, Severity::Error);
    // Near miss: a product of the last quarter owes no report yet.
    P::new("N2", "Produkt")
        .with(|p| {
            p.operations.clear();
            let into =
                p.history.iter().rposition(|s| s.to.given() == Some(&crate::check::testkit::rules().key.product));
            if let Some(i) = into {
                p.history[i].date = Input::Given(as_of() - Duration::days(30));
            }
        })
        .lacks(Code::ProductDriftMissing);
}

/// A Drift row with Målt blank.
fn unmeasured(row: u32, days_ago: i64) -> OperationReport {
    OperationReport { measured: Input::Blank, ..drift(row, days_ago, 99.5, 0.0, 2) }
}

#[test]
fn a_blank_measurement_is_not_a_measurement() {
    // A 91 % quarter, then a report with Målt left blank: the breach stays, and the
    // freshness goes by the 91 % row (stale), naming the blank one.
    let blank = P::new("N2", "Produkt").with(|p| p.operations = vec![drift(1, 120, 99.5, 91.0, 2), unmeasured(2, 10)]);
    blank.has(Code::ProductSlaBreach);
    let f = blank.findings().into_iter().find(|f| f.code == Code::ProductDriftStale).unwrap();
    assert_eq!(f.location.a1(), "Drift!A2");
    assert!(f.message.da.contains("har ingen målt oppetid"), "{}", f.message.da);
    // Only blank measurements: no report.
    let none = P::new("N2", "Produkt").with(|p| {
        p.operations = vec![unmeasured(1, 10)];
        earlier(p, 500);
    });
    let f = none.findings().into_iter().find(|f| f.code == Code::ProductDriftMissing).unwrap();
    assert!(f.message.da.contains("har ingen"), "{}", f.message.da);
    // Near miss: the measured row before the blank one is recent – nothing stale, and the
    // SLA is judged on it.
    let fine = P::new("N2", "Produkt").with(|p| p.operations = vec![drift(1, 40, 99.5, 99.9, 2), unmeasured(2, 10)]);
    fine.lacks(Code::ProductDriftStale).lacks(Code::ProductSlaBreach).lacks(Code::ProductDriftMissing);
}

#[test]
fn a_drift_row_dated_in_the_future_never_counts() {
    let hidden = P::new("N2", "Produkt")
        .with(|p| p.operations = vec![drift(1, 400, 99.5, 99.9, 1), drift(2, -30, 99.5, 99.9, 1)]);
    let f = hidden.findings().into_iter().find(|f| f.code == Code::ProductDriftStale).unwrap();
    assert_eq!((f.severity, f.location.a1()), (Severity::Error, "Drift!A2".to_string()));
    assert_eq!(hidden.at(Code::InputFutureDate), ["Drift!A3"]);
    // Near miss: dated on the as-of day, it counts.
    P::new("N2", "Produkt")
        .with(|p| p.operations = vec![drift(1, 400, 99.5, 99.9, 1), drift(2, 0, 99.5, 99.9, 1)])
        .lacks(Code::ProductDriftStale)
        .lacks(Code::InputFutureDate);
}

/// A history in which a measured Drift row `days_ago` was counted in 2026-09 and is gone
/// from today's sheet.
fn deleted_drift(p: P, days_ago: i64) -> P {
    use crate::model::history::{DriftRow, ProjectState, Seen};
    let row = DriftRow { date: as_of() - Duration::days(days_ago), n: 0, target: Some(99.5), measured: Some(99.9) };
    let h = ProjectState {
        first_seen: "2026-09".into(),
        last_seen: "2026-10".into(),
        drift: vec![Seen {
            row,
            first_seen: "2026-09".into(),
            counted_from: Some("2026-09".into()),
            changed_in: None,
            removed_in: Some("2026-10".into()),
        }],
        ..ProjectState::default()
    };
    p.previous_with(move |prev| prev.history = Some(Box::new(h.clone())))
}

#[test]
fn a_deleted_drift_row_still_counts_for_freshness() {
    // Today's sheet has only a fresh row; the history has an older one (deleting the
    // fresh one must not look better than keeping an old one).
    let fresh = P::new("N2", "Produkt").with(|p| p.operations = vec![drift(1, 20, 99.5, 99.9, 1)]);
    deleted_drift(fresh, 200).lacks(Code::ProductDriftStale);
    // The lead deleted every row: the newest measured report (200 days) still counts: stale,
    // not "missing" – and an error once past the critical limit, as a kept row would be.
    let emptied = deleted_drift(P::new("N2", "Produkt").with(|p| p.operations.clear()), 200);
    let f = emptied.findings().into_iter().find(|f| f.code == Code::ProductDriftStale).expect("stale");
    assert_eq!((f.severity, f.location.a1()), (Severity::Warning, "Drift!A2".to_string()));
    assert!(f.message.da.contains("slettet fra fanen Drift"), "{}", f.message.da);
    emptied.lacks(Code::ProductDriftMissing);
    // Twin: a deleted row of 20 days ago keeps the product fresh – no stale, no missing.
    deleted_drift(P::new("N2", "Produkt").with(|p| p.operations.clear()), 20)
        .lacks(Code::ProductDriftStale)
        .lacks(Code::ProductDriftMissing);
    // A deleted newer row counts over an older one kept: the kept 400-day row alone would
    // be an error; with the deleted 20-day row it is fresh.
    deleted_drift(P::new("N2", "Produkt").with(|p| p.operations = vec![drift(1, 400, 99.5, 99.9, 1)]), 20)
        .lacks(Code::ProductDriftStale);
    // Near miss: a deleted row dated after the run date never counts.
    deleted_drift(P::new("N2", "Produkt").with(|p| p.operations = vec![drift(1, 400, 99.5, 99.9, 1)]), -10)
        .has(Code::ProductDriftStale);
}
