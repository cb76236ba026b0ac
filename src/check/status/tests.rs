//! Tests of `status`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::{P, as_of};
use crate::model::choice::Rag;
use crate::model::finding::{Code, Severity};
use crate::model::project::Input;
use chrono::Duration;

#[test]
fn status_missing_for_running_projects_only() {
    P::new("N1", "Implementering").with(|p| p.status.clear()).has(Code::StatusMissing);
    // Paused while running: still reports; a stopped project does not.
    P::new("N1", "Pauseret").with(|p| p.status.clear()).has(Code::StatusMissing);
    P::new("N2", "Udfaset").with(|p| p.status.clear()).lacks(Code::StatusMissing);
    P::new("N1", "Koncept").with(|p| p.status.clear()).lacks(Code::StatusMissing);
    P::new("N1", "Produkt").with(|p| p.status.clear()).lacks(Code::StatusMissing);
}

#[test]
fn stale_status_warns_then_errs() {
    let aged = |days: i64| {
        P::new("N1", "Igangsat").with(move |p| p.status[0].date = Input::Given(as_of() - Duration::days(days)))
    };
    aged(92).lacks(Code::StatusStale);
    let f = aged(93).findings().into_iter().find(|f| f.code == Code::StatusStale).unwrap();
    assert_eq!(f.severity, Severity::Warning);
    assert_eq!(f.location.a1(), "Status!A2");
    let f = aged(366).findings().into_iter().find(|f| f.code == Code::StatusStale).unwrap();
    assert_eq!(f.severity, Severity::Error);
}

#[test]
fn red_newest_status() {
    let p = P::new("N1", "Igangsat").with(|p| p.status[0].economy = Input::Given(Rag::Roed));
    assert_eq!(p.at(Code::StatusRed), ["Status!C2"]);
    // Red in an older report, green in the newest: fine.
    P::new("N1", "Igangsat")
        .with(|p| {
            let mut old = p.status[0].clone();
            old.row = 2;
            old.date = Input::Given(as_of() - Duration::days(200));
            old.progress = Input::Given(Rag::Roed);
            p.status.push(old);
        })
        .lacks(Code::StatusRed);
}

#[test]
fn self_assessment_age() {
    P::new("N1", "Igangsat")
        .with(|p| p.fields.filled_date.value = Input::Given(as_of() - Duration::days(184)))
        .has(Code::SelfevalStale);
    P::new("N1", "Igangsat")
        .with(|p| p.fields.filled_date.value = Input::Given(as_of() - Duration::days(183)))
        .lacks(Code::SelfevalStale);
}

use crate::check::testkit::move_history as earlier;

#[test]
fn never_reporting_is_at_least_as_serious_as_an_old_report() {
    // Started more than statusrapport_kritisk_dage ago with no status report: an error.
    let never = P::new("N1", "Implementering").with(|p| {
        p.status.clear();
        earlier(p, 300);
    });
    let since = super::started_on(&never.process()).unwrap();
    assert!((as_of() - since).num_days() > 365);
    let f = never.findings().into_iter().find(|f| f.code == Code::StatusMissing).unwrap();
    assert_eq!(f.severity, Severity::Error);
    assert!(f.message.da.contains("har aldrig afgivet en statusrapport"), "{}", f.message.da);
    // Near miss: started recently (within the critical age) – a warning, as before.
    let recent = P::new("N1", "Implementering").with(|p| {
        p.status.clear();
        earlier(p, -200);
    });
    let since = super::started_on(&recent.process()).unwrap();
    assert!((as_of() - since).num_days() <= 365, "{since}");
    let f = recent.findings().into_iter().find(|f| f.code == Code::StatusMissing).unwrap();
    assert_eq!(f.severity, Severity::Warning);
    // Near miss: the same old project with a fresh report – nothing.
    P::new("N1", "Implementering").with(|p| earlier(p, 300)).lacks(Code::StatusMissing).lacks(Code::StatusStale);
}

#[test]
fn a_status_row_dated_in_the_future_never_counts() {
    // A report from fourteen months ago and one dated next month: the old one is the
    // newest that counts – stale (an error), and the future row is said.
    let hidden = P::new("N1", "Igangsat").with(|p| {
        p.status[0].date = Input::Given(as_of() - Duration::days(420));
        let mut future = p.status[0].clone();
        future.row = 2;
        future.date = Input::Given(as_of() + Duration::days(20));
        p.status.push(future);
    });
    let f = hidden.findings().into_iter().find(|f| f.code == Code::StatusStale).unwrap();
    assert_eq!((f.severity, f.location.a1()), (Severity::Error, "Status!A2".to_string()));
    hidden.has(Code::InputFutureDate);
    // Only a future row: no report that counts.
    P::new("N1", "Igangsat")
        .with(|p| p.status[0].date = Input::Given(as_of() + Duration::days(1)))
        .has(Code::StatusMissing)
        .has(Code::InputFutureDate);
    // Near miss: a row dated on the as-of day counts.
    P::new("N1", "Igangsat")
        .with(|p| p.status[0].date = Input::Given(as_of()))
        .lacks(Code::StatusMissing)
        .lacks(Code::StatusStale)
        .lacks(Code::InputFutureDate);
}

/// A history that counted this project's one status report (as the test kit writes it).
fn counted(p: &P) -> crate::model::history::ProjectState {
    let rows = crate::model::history::StatusRow::of(&p.project);
    crate::model::history::ProjectState {
        status: rows
            .into_iter()
            .map(|(row, _)| crate::model::history::Seen {
                row,
                first_seen: "2026-10".into(),
                counted_from: Some("2026-10".into()),
                changed_in: None,
                removed_in: None,
            })
            .collect(),
        ..Default::default()
    }
}

#[test]
fn a_report_changed_or_deleted_after_it_was_given_is_said_and_still_counts() {
    let base = P::new("N1", "Implementering");
    let h = counted(&base);
    let with = |p: P| {
        let h = h.clone();
        p.previous_with(move |prev| prev.history = Some(Box::new(h)))
    };
    // Near miss: the same report again – nothing.
    with(P::new("N1", "Implementering")).lacks(Code::ReportRowChanged);
    // Changed: Økonomi rewritten from Grøn to Gul.
    with(P::new("N1", "Implementering").with(|p| p.status[0].economy = Input::Given(Rag::Gul)))
        .has(Code::ReportRowChanged);
    // Deleted: said, and the deleted report still counts – no STATUS-MISSING.
    let deleted = with(P::new("N1", "Implementering").with(|p| p.status.clear()));
    deleted.has(Code::ReportRowChanged).lacks(Code::StatusMissing);
    // Without the history, a cleared sheet is STATUS-MISSING as before.
    P::new("N1", "Implementering").with(|p| p.status.clear()).has(Code::StatusMissing);
}

#[test]
fn a_stale_report_is_named_by_the_report_the_rule_judged_by() {
    use crate::model::value::format_date;
    // An earlier period counted a report dated `counted_days` ago; today's sheet holds one
    // dated `sheet_days` ago instead.
    let case = |counted_days: i64, sheet_days: i64| {
        let mut earlier = P::new("N1", "Implementering");
        earlier.project.status[0].date = Input::Given(as_of() - Duration::days(counted_days));
        let h = counted(&earlier);
        P::new("N1", "Implementering")
            .with(move |p| p.status[0].date = Input::Given(as_of() - Duration::days(sheet_days)))
            .previous_with(move |prev| prev.history = Some(Box::new(h)))
    };
    // The lead deleted the newer report (150 days) and kept an older one (200 days): the
    // rule judges by the deleted one, and says that one, not the older row's date.
    let p = case(150, 200);
    let f = p.findings().into_iter().find(|f| f.code == Code::StatusStale).expect("stale");
    let (newer, older) = (format_date(as_of() - Duration::days(150)), format_date(as_of() - Duration::days(200)));
    assert!(f.message.da.contains(&newer) && f.message.da.contains("slettet"), "{}", f.message.da);
    assert!(!f.message.da.contains(&older), "{}", f.message.da);
    assert_eq!(p.report().projects[0].assessment.newest_status, Some(as_of() - Duration::days(150)));
    // Near miss: the deleted report is the older one – the sheet's row is named.
    let p = case(200, 150);
    let f = p.findings().into_iter().find(|f| f.code == Code::StatusStale).expect("stale");
    assert!(f.message.da.contains(&newer) && !f.message.da.contains("slettet"), "{}", f.message.da);
    assert_eq!(p.report().projects[0].assessment.newest_status, Some(as_of() - Duration::days(150)));
}
