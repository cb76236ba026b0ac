//! The board's decision log (the styringsmodel's Beslutninger) as the authority on the
//! board's decisions: its kinds, its extra columns, `beslutningslog_fra`, and bad rows that
//! never stop a run.

use crate::util::{TestDir, as_of, sheet};
use os2gov::model::cell::Value;
use os2gov::model::defaults::SheetData;

/// A Beslutninger row in the default model's column order: Dato, Projekt-ID, Beslutning,
/// Grundlag, Truffet af, Reference, Type, Niveau, Beløb (kr.), Prioritet.
pub fn log_row(date: Value, project: &str, text: &str, kind: &str, level: &str, amount: Value) -> Vec<Value> {
    vec![
        date,
        Value::from(project),
        Value::from(text),
        Value::from("Sagsfremstilling"),
        Value::from("Bestyrelsen"),
        Value::from("Referat"),
        if kind.is_empty() { Value::Blank } else { Value::from(kind) },
        if level.is_empty() { Value::Blank } else { Value::from(level) },
        amount,
        Value::Blank,
    ]
}

fn date(s: &str) -> Value {
    Value::Date(os2gov::model::value::parse_date_text(s).unwrap())
}

/// Sets Parametre `beslutningslog_fra` (the row the default model has).
pub fn log_from(sheets: &mut [SheetData], value: Value) {
    let params = sheet(sheets, "Parametre");
    let row = params.rows.iter_mut().find(|r| r.contains(&Value::from("beslutningslog_fra"))).expect("the row");
    row[1] = value;
}

#[test]
fn bad_log_rows_are_warnings_naming_the_cell_and_the_run_goes_on() {
    let dir = TestDir::new().model(|sheets| {
        log_from(sheets, date("01-01-2024"));
        let meeting = sheet(sheets, "Bestyrelsesmøder").rows[0][0].clone();
        let log = sheet(sheets, "Beslutninger");
        log.rows = vec![
            // Row 2: fine – a level decision on a meeting.
            log_row(meeting.clone(), "OS2a", "Hævet til N2", "Niveau", "N2", Value::Blank),
            // Row 3: an unknown Type.
            log_row(meeting.clone(), "OS2b", "Noget", "Omrokering", "", Value::Blank),
            // Row 4: a date that is no meeting.
            log_row(date("15-06-2026"), "OS2c", "Budget hævet", "Budget", "", Value::Number(3_000_000.0)),
            // Row 5: an unreadable date.
            log_row(Value::from("engang i juni"), "OS2d", "Godkendt", "Godkendelse", "", Value::Blank),
            // Row 6: Type Niveau without a level.
            log_row(meeting.clone(), "OS2e", "Sænket", "Niveau", "", Value::Blank),
            // Row 7: an unknown level.
            log_row(meeting.clone(), "OS2f", "Hævet", "Niveau", "N7", Value::Blank),
            // Row 8: an old log's spelling (no warning): Godkendt, Niveau op.
            log_row(meeting.clone(), "OS2g", "Godkendt", "Godkendt", "", Value::Blank),
            log_row(meeting, "OS2g", "Hævet", "Niveau op", "N3", Value::Blank),
        ];
    });
    let run = dir.run(&["rules"]).code(0);
    let out = run.stdout();
    let warnings: Vec<&str> = out.lines().filter(|l| l.contains("GOV-DECISION-INVALID")).collect();
    for (place, what) in [
        ("Beslutninger!G3", "Omrokering"),
        ("Beslutninger!A4", "15-06-2026"),
        ("Beslutninger!A5", "engang i juni"),
        ("Beslutninger!H6", "uden et niveau"),
        ("Beslutninger!H7", "N7"),
    ] {
        assert!(warnings.iter().any(|l| l.contains(place) && l.contains(what)), "{place} {what} not in\n{out}");
    }
    assert_eq!(warnings.len(), 5, "{out}");
    assert!(out.contains("Beslutningsloggen er autoritativ fra 01-01-2024 (7 beslutninger, 4 tæller"), "{out}");
    let rules = dir.rules();
    assert!(rules.decisions.iter().all(|d| d.project != "OS2d"), "a row without a date is left out");
    let counts =
        |id: &str| rules.decisions.iter().filter(|d| d.project == id).all(|d| d.counts(Some(date_of("01-01-2024"))));
    assert!(counts("OS2a") && counts("OS2e") && counts("OS2g"));
    assert!(!counts("OS2b") && !counts("OS2c") && !counts("OS2f"));
    let budget = rules.decisions.iter().find(|d| d.project == "OS2c").unwrap();
    assert_eq!(budget.amount, Some(3_000_000.0));
}

fn date_of(s: &str) -> chrono::NaiveDate {
    os2gov::model::value::parse_date_text(s).unwrap()
}

#[test]
fn before_the_cut_over_the_calendar_is_not_asked() {
    // The same off-meeting row dated before beslutningslog_fra: no warning, it counts.
    let dir = TestDir::new().model(|sheets| {
        log_from(sheets, date("01-01-2026"));
        sheet(sheets, "Beslutninger").rows =
            vec![log_row(date("15-06-2025"), "OS2c", "Budget hævet", "Budget", "", Value::Blank)];
    });
    let out = dir.run(&["rules"]).code(0).stdout();
    assert!(!out.contains("GOV-DECISION-INVALID"), "{out}");
    assert!(dir.rules().decisions[0].counts(Some(date_of("01-01-2026"))));
}

#[test]
fn the_cut_over_date_is_read_and_a_blank_one_is_said() {
    // Blank: one warning; the log is not authoritative.
    let dir = TestDir::new().model(|sheets| log_from(sheets, Value::Blank));
    let out = dir.run(&["rules"]).code(0).stdout();
    assert_eq!(out.matches("GOV-LOG-NOT-AUTHORITATIVE").count(), 1, "{out}");
    assert!(out.contains("endnu ikke autoritativ"), "{out}");
    assert_eq!(dir.rules().params.decision_log_from, None);
    // Missing row: the same.
    let dir = TestDir::new().model(|sheets| {
        sheet(sheets, "Parametre").rows.retain(|r| !r.contains(&Value::from("beslutningslog_fra")));
    });
    assert!(dir.run(&["rules"]).code(0).stdout().contains("GOV-LOG-NOT-AUTHORITATIVE"));
    // Written as text, the way minutes write dates.
    let dir = TestDir::new().model(|sheets| log_from(sheets, Value::from("1. januar 2024")));
    let out = dir.run(&["rules"]).code(0).stdout();
    assert!(out.contains("autoritativ fra 01-01-2024") && !out.contains("GOV-LOG"), "{out}");
    // Unreadable: an error, as every unreadable date in the model.
    let dir = TestDir::new().model(|sheets| log_from(sheets, Value::from("snart")));
    let err = dir.run(&["rules"]).code(2).stderr();
    assert!(err.contains("GOV-DATE-INVALID") && err.contains("Parametre!B"), "{err}");
}

#[test]
fn init_makes_the_log_authoritative_from_the_day_of_init() {
    let dir = TestDir::new().init();
    let rules = dir.rules();
    assert_eq!(rules.params.decision_log_from, Some(as_of()));
    let out = dir.run(&["rules"]).code(0).stdout();
    assert!(out.contains("Beslutningsloggen er autoritativ fra 26-11-2026"), "{out}");
}
