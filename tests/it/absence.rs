//! Absence is at least as serious as age, and a row dated after the run date never counts
//! (issue 20 item 4), on the real binary.

use crate::util::{AS_OF, TestDir, as_of, codes_of, json};
use chrono::Duration;
use os2gov::model::cell::Value;
use serde_json::Value as Json;

/// A clean projektark made `days` earlier (its Historik, Status and Drift dated then).
fn older(dir: &TestDir, id: &str, level: &str, phase: &str, days: i64) -> os2gov::model::filled::Filled {
    let rules = dir.rules();
    os2gov::check::fixtures::clean(
        &rules,
        id,
        rules.find_level(level).unwrap(),
        rules.find_phase(phase).unwrap(),
        as_of() - Duration::days(days),
    )
}

fn check(dir: &TestDir) -> Json {
    json(&dir.run(&["check", "--format", "json", "--fail-on", "never", "--as-of", AS_OF]).code(0))
}

fn finding<'a>(j: &'a Json, id: &str, code: &str) -> Option<&'a Json> {
    j["projects"].as_array().unwrap().iter().find(|p| p["id"] == id)?["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
}

#[test]
fn a_project_that_never_reported_is_an_error_like_an_old_report_and_reaches_the_board() {
    let dir = TestDir::new().init();
    // Started some 500 days ago and never reported.
    let mut never = older(&dir, "OS2tavs", "N1", "Implementering", 200);
    never.status.clear();
    dir.projektark("indsendt/OS2tavs.xlsx", &never);
    // Twin: the same project with a report from last week.
    let mut fresh = older(&dir, "OS2frisk", "N1", "Implementering", 200);
    fresh.status[0][0] = Value::Date(as_of() - Duration::days(7));
    dir.projektark("indsendt/OS2frisk.xlsx", &fresh);
    // Twin: started recently, nothing reported yet – a warning, as before.
    let mut recent = older(&dir, "OS2ny", "N1", "Implementering", -150);
    recent.status.clear();
    dir.projektark("indsendt/OS2ny.xlsx", &recent);
    let j = check(&dir);
    assert_eq!(finding(&j, "OS2tavs", "STATUS-MISSING").unwrap()["severity"], "error");
    assert!(!codes_of(&j, "OS2frisk").iter().any(|c| c.starts_with("STATUS-")), "{:?}", codes_of(&j, "OS2frisk"));
    assert_eq!(finding(&j, "OS2ny", "STATUS-MISSING").unwrap()["severity"], "warning");
    dir.run(&["run", "--as-of", AS_OF]).code(0);
    let portfolio = crate::util::cells(&dir.join("ud/2026-11/portefoelje-2026-11.xlsx"), "Til bestyrelsen");
    let rows: Vec<String> = portfolio.iter().map(|r| r.join(" | ")).collect();
    let tavs = rows.iter().find(|r| r.contains("OS2tavs")).expect("OS2tavs before the board");
    assert!(tavs.contains("Har aldrig afgivet statusrapport, igangsat"), "{tavs}");
    assert!(!rows.iter().any(|r| r.contains("OS2ny")), "{rows:?}");
}

#[test]
fn a_drift_row_dated_in_the_future_does_not_hide_an_old_one() {
    let dir = TestDir::new().init();
    let drift = |days: i64, measured: Value| {
        vec![
            Value::Date(as_of() - Duration::days(days)),
            Value::Number(99.5),
            measured,
            Value::Number(2.0),
            Value::Blank,
            Value::Blank,
        ]
    };
    let mut hidden = older(&dir, "OS2skjult", "N2", "Produkt", 0);
    hidden.operations = vec![drift(420, Value::Number(99.9)), drift(-40, Value::Number(99.9))];
    dir.projektark("indsendt/OS2skjult.xlsx", &hidden);
    // A blank Målt after a 91 % quarter: the breach stays.
    let mut blank = older(&dir, "OS2blank", "N2", "Produkt", 0);
    blank.operations = vec![drift(60, Value::Number(91.0)), drift(5, Value::Blank)];
    dir.projektark("indsendt/OS2blank.xlsx", &blank);
    // Twin: a row dated on the as-of day counts.
    let mut today = older(&dir, "OS2idag", "N2", "Produkt", 0);
    today.operations = vec![drift(420, Value::Number(99.9)), drift(0, Value::Number(99.9))];
    dir.projektark("indsendt/OS2idag.xlsx", &today);
    let j = check(&dir);
    assert_eq!(finding(&j, "OS2skjult", "PRODUCT-DRIFT-STALE").unwrap()["severity"], "error");
    assert!(codes_of(&j, "OS2skjult").contains(&"INPUT-FUTURE-DATE".to_string()));
    assert!(codes_of(&j, "OS2blank").contains(&"PRODUCT-SLA-BREACH".to_string()), "{:?}", codes_of(&j, "OS2blank"));
    let idag = codes_of(&j, "OS2idag");
    assert!(!idag.iter().any(|c| c == "PRODUCT-DRIFT-STALE" || c == "INPUT-FUTURE-DATE"), "{idag:?}");
}
