//! Issue 19 over two monthly runs in one working folder: the board's decision log and the
//! secretariat's register decide what the board decided and the level in force – even when
//! the projektark rewrites the past between runs – and a log row about a project nobody
//! knows is a warning of the batch, never of a `check` of one file.

use crate::decision_log::{log_from, log_row};
use crate::util::{TestDir, codes_of, set, sheet};
use os2gov::model::cell::Value;
use os2gov::model::filled::Filled;
use os2gov::model::layout::FieldKey;
use serde_json::Value as Json;

const OCT: &str = "2026-10-29";
const NOV: &str = crate::util::AS_OF;

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn date(s: &str) -> Value {
    Value::Date(day(s))
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A working folder (`init`) whose styringsmodel lists these board meetings (plus the next
/// one, 10-12-2026) and this decision log, authoritative from 01-01-2024.
fn folder(meetings: &[&str], log: Vec<Vec<Value>>) -> TestDir {
    let mut all: Vec<&str> = meetings.to_vec();
    all.push("2026-12-10");
    TestDir::new().init().model(|sheets| {
        log_from(sheets, date("2024-01-01"));
        sheet(sheets, "Bestyrelsesmøder").rows = all.iter().map(|d| vec![date(d), text("Bestyrelsesmøde")]).collect();
        sheet(sheets, "Beslutninger").rows = log;
    })
}

/// A clean projektark dated relative to `as_of`.
fn clean_at(dir: &TestDir, id: &str, level: &str, phase: &str, as_of: &str) -> Filled {
    dir.clean_on(id, level, phase, day(as_of))
}

/// A Historik row: Dato, Fra fase, Til fase, Besluttet af, Reference, Årsag, Bemærkning, Niveau.
fn step(when: &str, from: &str, to: &str, by: &str, level: &str) -> Vec<Value> {
    let level = if level.is_empty() { Value::Blank } else { text(level) };
    vec![date(when), text(from), text(to), text(by), text("Referat"), Value::Blank, Value::Blank, level]
}

/// Runs the monthly batch for a period and returns its findings JSON.
#[track_caller]
fn run(dir: &TestDir, period: &str, as_of: &str) -> Json {
    dir.run(&["run", "--period", period, "--as-of", as_of, "--fail-on", "never"]).code(0);
    let path = dir.join(&format!("ud/{period}/fund-{period}.json"));
    serde_json::from_slice(&std::fs::read(&path).expect("findings JSON")).expect("JSON")
}

/// The board's agenda of a period: (Type, Projekt-ID, Punkter) read back from the
/// portfolio's sheet Til bestyrelsen.
fn agenda(dir: &TestDir, period: &str) -> Vec<(String, String, String)> {
    let path = dir.join(&format!("ud/{period}/portefoelje-{period}.xlsx"));
    let sheet = crate::util::cells(&path, "Til bestyrelsen");
    let Some(header) = sheet.iter().position(|r| r.first().is_some_and(|c| c == "Type")) else {
        return Vec::new();
    };
    sheet[header + 1..]
        .iter()
        .take_while(|r| r.iter().any(|c| !c.is_empty()))
        .map(|r| (r[0].clone(), r[1].clone(), r.get(4).cloned().unwrap_or_default()))
        .collect()
}

fn board_items<'a>(agenda: &'a [(String, String, String)], id: &str) -> Vec<&'a (String, String, String)> {
    agenda.iter().filter(|(_, p, _)| p == id).collect()
}

// ---------------------------------------------------------------------------------------
// (a) The level changed between the runs by the secretariat's register

/// An N1 project running since 2025, approved (as N1) by the board on 13-03-2025; `level`
/// is what the lead declares, its steps before the raise say N1.
fn raised_project(dir: &TestDir, id: &str, level: &str, as_of: &str) -> Filled {
    let mut f = clean_at(dir, id, level, "Implementering", as_of);
    f.history = vec![
        step("2025-01-09", "Idé", "Koncept", "Sekretariat", "N1"),
        step("2025-03-20", "Koncept", "Igangsat", "Sekretariat", "N1"),
        step("2025-09-04", "Igangsat", "Implementering", "Styregruppe", "N1"),
    ];
    set(&mut f, FieldKey::BoardApproved, date("2025-03-13"));
    set(&mut f, FieldKey::LevelPlaced, date("2025-01-09"));
    f
}

#[test]
fn a_raise_by_the_register_between_runs_makes_the_next_gate_judge_at_the_new_level() {
    let dir = folder(
        &["2025-03-13", "2026-11-19"],
        vec![
            log_row(date("2025-03-13"), "OS2raise", "Orienteret; godkendt som N1", "Godkendelse", "", Value::Blank),
            log_row(date("2025-03-13"), "OS2board", "Orienteret; godkendt som N1", "Godkendelse", "", Value::Blank),
            // The twin: the board itself raised OS2board to N2 at the November meeting.
            log_row(date("2026-11-19"), "OS2board", "Hævet til niveau 2", "Niveau", "N2", Value::Blank),
        ],
    );
    // October: both placed at N1 by the secretariat; both are legal N1 projects.
    let n1 = [("OS2raise", "N1", day("2025-01-09")), ("OS2board", "N1", day("2025-01-09"))];
    dir.register(&[], &n1);
    for id in ["OS2raise", "OS2board"] {
        dir.projektark(&format!("indsendt/{id}.xlsx"), &raised_project(&dir, id, "N1", OCT));
    }
    let oct = run(&dir, "2026-10", OCT);
    for id in ["OS2raise", "OS2board"] {
        let codes = codes_of(&oct, id);
        assert!(!codes.iter().any(|c| c.starts_with("PHASE-") || c.starts_with("LEVEL-")), "{id}: {codes:?}");
    }
    assert!(board_items(&agenda(&dir, "2026-10"), "OS2raise").is_empty());

    // Between the runs the secretariat raises both to N2 in its register (OS2board on the
    // day the board decided it); the leads update Niveau.
    let mut placements = n1.to_vec();
    placements.push(("OS2raise", "N2", day("2026-11-05")));
    placements.push(("OS2board", "N2", day("2026-11-19")));
    dir.register(&[], &placements);
    for id in ["OS2raise", "OS2board"] {
        let mut f = raised_project(&dir, id, "N2", NOV);
        // October's status report stays beside November's (a report gone from the sheet is
        // REPORT-ROW-CHANGED, issue 20).
        f.status.splice(0..0, raised_project(&dir, id, "N1", OCT).status);
        set(&mut f, FieldKey::LevelPlaced, date(if id == "OS2raise" { "2026-11-05" } else { "2026-11-19" }));
        dir.projektark(&format!("indsendt/{id}.xlsx"), &f);
    }
    let nov = run(&dir, "2026-11", NOV);
    let raised = codes_of(&nov, "OS2raise");
    // November's gate judges at N2: the approval of 13-03-2025 is before the placement at
    // N2 and does not count.
    assert!(raised.contains(&"PHASE-BOARD-APPROVAL-MISSING".to_string()), "{raised:?}");
    assert!(raised.contains(&"LEVEL-BELOW-DECLARED".to_string()), "{raised:?}");
    let project = nov["projects"].as_array().unwrap().iter().find(|p| p["id"] == "OS2raise").unwrap();
    assert_eq!(project["attained_level"], "N1", "{project:#}");
    let board = agenda(&dir, "2026-11");
    let items = board_items(&board, "OS2raise");
    assert!(
        items.iter().any(|(kind, _, says)| kind == "Beslutning"
            && says.contains("før placeringen")
            && says.contains("beslutningsloggen har ingen godkendelse efter placeringen")),
        "{items:?}"
    );
    // The twin: raised by the board (the log's Type Niveau is the approval) – no error, no
    // item; only the change of level since October is said.
    let twin = codes_of(&nov, "OS2board");
    assert_eq!(twin, ["LEVEL-CHANGED"], "{twin:?}");
    assert!(board_items(&board, "OS2board").iter().all(|(kind, _, _)| kind != "Beslutning"), "{board:?}");
}

// ---------------------------------------------------------------------------------------
// (b) An approval back-dated before the previous run

/// The November projektark: approved at the meeting of 15-10-2026 (field and Historik),
/// started the week after – although October's run saw a concept.
fn backdated(dir: &TestDir, id: &str) -> Filled {
    let mut f = clean_at(dir, id, "N2", "Igangsat", NOV);
    f.history = vec![
        step("2026-05-07", "Idé", "Koncept", "Sekretariat", ""),
        step("2026-10-01", "Koncept", "Bestyrelsesbehandling", "Sekretariat", ""),
        step("2026-10-15", "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", ""),
    ];
    set(&mut f, FieldKey::BoardApproved, date("2026-10-15"));
    set(&mut f, FieldKey::LevelPlaced, date("2026-05-07"));
    f
}

#[test]
fn an_approval_back_dated_before_the_previous_run_counts_only_with_its_log_entry() {
    let dir = folder(
        &["2026-10-15"],
        // Only the twin's approval is in the log.
        vec![log_row(date("2026-10-15"), "OS2logged", "Konceptet godkendt", "Godkendelse", "N2", Value::Blank)],
    );
    let placements = [("OS2backdated", "N2", day("2026-05-07")), ("OS2logged", "N2", day("2026-05-07"))];
    dir.register(&[], &placements);
    // October: both are N2 concepts.
    for id in ["OS2backdated", "OS2logged"] {
        let mut f = clean_at(&dir, id, "N2", "Koncept", OCT);
        f.history = vec![step("2026-05-07", "Idé", "Koncept", "Sekretariat", "")];
        set(&mut f, FieldKey::LevelPlaced, date("2026-05-07"));
        dir.projektark(&format!("indsendt/{id}.xlsx"), &f);
    }
    let oct = run(&dir, "2026-10", OCT);
    let project = oct["projects"].as_array().unwrap().iter().find(|p| p["id"] == "OS2backdated").unwrap();
    assert_eq!(project["phase"], "Koncept");

    // November: both claim the board approved them on 15-10-2026 – before October's run.
    for id in ["OS2backdated", "OS2logged"] {
        dir.projektark(&format!("indsendt/{id}.xlsx"), &backdated(&dir, id));
    }
    let nov = run(&dir, "2026-11", NOV);
    assert_eq!(nov["previous_period"], "2026-10");
    let codes = codes_of(&nov, "OS2backdated");
    assert!(codes.contains(&"DECISION-NOT-LOGGED".to_string()), "{codes:?}");
    assert!(codes.contains(&"PHASE-BOARD-APPROVAL-MISSING".to_string()), "{codes:?}");
    let project = nov["projects"].as_array().unwrap().iter().find(|p| p["id"] == "OS2backdated").unwrap();
    let not_logged = project["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "DECISION-NOT-LOGGED")
        .expect("DECISION-NOT-LOGGED");
    assert_eq!(not_logged["severity"], "error", "{not_logged:#}");
    let board = agenda(&dir, "2026-11");
    let items = board_items(&board, "OS2backdated");
    assert!(
        items.iter().any(|(kind, _, says)| kind == "Beslutning"
            && says.contains("15-10-2026")
            && says.contains("beslutningsloggen har ingen godkendelse af OS2backdated")),
        "{items:?}"
    );
    // The twin: the same claim with its log entry on the meeting – no error, no Beslutning.
    let twin = codes_of(&nov, "OS2logged");
    assert!(!twin.iter().any(|c| c.starts_with("DECISION-") || c.starts_with("PHASE-")), "{twin:?}");
    assert!(board_items(&board, "OS2logged").iter().all(|(kind, _, _)| kind != "Beslutning"), "{board:?}");
}

// ---------------------------------------------------------------------------------------
// Bad input: a log row about a project no projektark has and no earlier run saw

/// The `GOV-DECISION-INVALID` warnings about unknown Projekt-IDs in a findings JSON.
fn unknown_ids(j: &Json) -> Vec<(String, String)> {
    j["styringsmodel"]["findings"]
        .as_array()
        .expect("styringsmodel findings")
        .iter()
        .filter(|f| f["code"] == "GOV-DECISION-INVALID" && f["message"].as_str().unwrap_or("").contains("Projekt-ID"))
        .map(|f| {
            let place = format!("{}!{}", f["sheet"].as_str().unwrap_or(""), f["cell"].as_str().unwrap_or(""));
            (place, f["message"].as_str().unwrap_or("").to_string())
        })
        .collect()
}

#[test]
fn a_log_row_about_an_unknown_project_is_one_warning_of_the_batch_naming_its_cell() {
    let dir = folder(
        &["2026-09-17"],
        vec![
            // Row 2: the known project, typed in other case and spacing.
            log_row(date("2026-09-17"), " os2KNOWN ", "Drøftet", "Andet", "", Value::Blank),
            // Row 3: a typo – no projektark has it, no run saw it.
            log_row(date("2026-09-17"), "OS2knwon", "Drøftet", "Andet", "", Value::Blank),
            // Row 4: a project October saw and November's inbox lacks.
            log_row(date("2026-09-17"), "OS2earlier", "Drøftet", "Andet", "", Value::Blank),
            // Row 5: a general decision.
            log_row(date("2026-09-17"), "", "Ny mødeplan", "Andet", "", Value::Blank),
        ],
    );
    dir.projektark("indsendt/known.xlsx", &clean_at(&dir, "OS2known", "N1", "Koncept", OCT));
    dir.projektark("indsendt/earlier.xlsx", &clean_at(&dir, "OS2earlier", "N1", "Koncept", OCT));
    let oct = run(&dir, "2026-10", OCT);
    let found = unknown_ids(&oct);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "Beslutninger!B3");
    assert!(found[0].1.contains("'OS2knwon'") && found[0].1.contains("tæller stadig"), "{}", found[0].1);

    // November: OS2earlier is not sent in; October saw it, so its row is no warning.
    std::fs::remove_file(dir.join("indsendt/earlier.xlsx")).unwrap();
    dir.projektark("indsendt/known.xlsx", &clean_at(&dir, "OS2known", "N1", "Koncept", NOV));
    let out = dir.run(&["run", "--period", "2026-11", "--as-of", NOV, "--fail-on", "never"]).code(0).stdout();
    assert!(out.contains("GOV-DECISION-INVALID") && out.contains("OS2knwon"), "said in the run summary:\n{out}");
    let nov: Json = serde_json::from_slice(&std::fs::read(dir.join("ud/2026-11/fund-2026-11.json")).unwrap()).unwrap();
    let found = unknown_ids(&nov);
    assert_eq!(found.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["Beslutninger!B3"], "{found:?}");

    // A check of one file says nothing about the other projects in the log.
    let check = dir.run(&["check", "--format", "json", "--fail-on", "never", "indsendt/known.xlsx"]).code(0);
    assert!(unknown_ids(&crate::util::json(&check)).is_empty(), "{}", check.stdout());
}
