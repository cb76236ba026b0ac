//! Board items live until the meeting (issue 20 item 5), on the real binary: a problem
//! raised in October's run for the meeting of 10 December is still on November's digest
//! for that meeting ("Står siden 2026-10"), and January's digest for the next meeting
//! carries it ("har ventet 1 møde") – unless the data resolved it or the board decided it.

use crate::util::{TestDir, date, sheet};
use os2gov::model::cell::Value;

const SEP: &str = "2026-09-24";
const OCT: &str = "2026-10-22";
const NOV: &str = "2026-11-26";
const JAN: &str = "2027-01-21";

/// A working folder whose styringsmodel lists the meetings of 10-12-2026 and 11-03-2027,
/// with `decision` (a date) logged about OS2skift when given.
fn folder(decision: Option<&str>) -> TestDir {
    let dir = TestDir::new().init().model(|sheets| {
        if let Some(d) = decision {
            let log = sheet(sheets, "Beslutninger");
            let headers = log.headers.clone();
            let row = headers
                .iter()
                .map(|h| match *h {
                    "Dato" => Value::Date(date(d)),
                    "Projekt-ID" => Value::Text("OS2skift".into()),
                    "Beslutning" => Value::Text("Faseskiftet til Produkt godkendt; niveau N1 bekræftet".into()),
                    "Truffet af" => Value::Text("Bestyrelsen".into()),
                    "Reference" => Value::Text("Referat 10-12-2026".into()),
                    _ => Value::Blank,
                })
                .collect();
            log.rows.push(row);
        }
    });
    std::fs::create_dir_all(dir.join("indsendt")).unwrap();
    dir
}

/// OS2skift as of `as_of`: at `level` in `phase`, its Historik without the step into
/// Produkt unless `step_into_product`.
fn submit(dir: &TestDir, as_of: &str, level: &str, phase: &str, step_into_product: bool) {
    let rules = dir.rules();
    let mut filled = os2gov::check::fixtures::clean(
        &rules,
        "OS2skift",
        rules.find_level(level).unwrap(),
        rules.find_phase(phase).unwrap(),
        date(as_of),
    );
    if !step_into_product {
        filled.history.retain(|row| !row.iter().any(|v| *v == Value::Text("Produkt".into())));
    }
    dir.projektark("indsendt/OS2skift.xlsx", &filled);
}

fn run(dir: &TestDir, as_of: &str) {
    dir.run(&["run", "--as-of", as_of]).code(0);
}

/// The plain-text part of the period's digest.
fn digest(dir: &TestDir, period: &str) -> String {
    let post = dir.join(&format!("ud/{period}/post"));
    let file = std::fs::read_dir(&post)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "eml") && p.to_string_lossy().contains("-digest-"))
        .unwrap_or_else(|| panic!("no digest in {}", post.display()));
    let raw = std::fs::read(&file).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&raw).expect("a parseable message");
    msg.body_text(0).map(|t| t.replace('\u{a0}', " ").replace('\u{2011}', "-")).unwrap_or_default()
}

fn items(dir: &TestDir, period: &str) -> serde_json::Value {
    let path = dir.join(&format!("ud/{period}/bestyrelse-{period}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// September N2 in Implementering; October N1 in Produkt with no Historik step into it.
fn september_and_october(decision: Option<&str>) -> TestDir {
    let dir = folder(decision);
    submit(&dir, SEP, "N2", "Implementering", true);
    run(&dir, SEP);
    submit(&dir, OCT, "N1", "Produkt", false);
    run(&dir, OCT);
    dir
}

fn run_en(dir: &TestDir, as_of: &str) {
    dir.run(&["--lang", "en", "run", "--as-of", as_of]).code(0);
}

/// The digest from its first section to the attachment line: what the board reads.
fn agenda(text: &str) -> String {
    let from = text.find("BESLUTNING").or_else(|| text.find("DECISION")).unwrap_or(0);
    let to = text.find("Vedhæftet").or_else(|| text.find("Attached")).unwrap_or(text.len());
    text[from..to].trim().to_string()
}

const PHASE: &str = "Er gået fra Implementering til Produkt, uden at skiftet eller beslutningen er registreret.";
const LEVEL: &str = "Niveauskift: N2 → N1.";
const CARRIED: &str = "Udskudt fra mødet 10-12-2026; står siden 2026-10 og har ventet 1 møde.";

#[test]
fn an_item_raised_in_october_stays_for_the_meeting_and_is_carried_to_the_next() {
    let dir = september_and_october(None);
    let oct = digest(&dir, "2026-10");
    assert!(oct.contains(PHASE) && oct.contains(LEVEL), "{oct}");
    assert!(!oct.contains("Står siden"), "{oct}");
    // November, same meeting: the comparison with October sees no change, but both stand.
    submit(&dir, NOV, "N1", "Produkt", false);
    run(&dir, NOV);
    let nov = digest(&dir, "2026-11");
    assert!(nov.contains(&format!("{PHASE} Står siden 2026-10.")), "{nov}");
    assert!(nov.contains(&format!("{LEVEL} Står siden 2026-10.")), "{nov}");
    assert!(!nov.contains("ventet"), "{nov}");
    let kept = items(&dir, "2026-11");
    assert_eq!(kept["format"], 1);
    assert_eq!(kept["meeting"], "2026-12-10");
    let keys: Vec<&str> = kept["items"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["os2skift/phase-unlogged:implementering>produkt", "os2skift/level-changed:n2>n1"]);
    assert!(kept["items"].as_array().unwrap().iter().all(|i| i["first_period"] == "2026-10"));
    // January, for the meeting of 11-03-2027: the meeting of 10-12-2026 passed undecided.
    submit(&dir, JAN, "N1", "Produkt", false);
    run(&dir, JAN);
    let jan = digest(&dir, "2027-01");
    assert!(jan.contains(&format!("{PHASE} {CARRIED}")), "{jan}");
    assert!(jan.contains(&format!("{LEVEL} {CARRIED}")), "{jan}");
    insta::assert_snapshot!("board_carry_january_da", agenda(&jan));
    // The portfolio's Til bestyrelsen sheet says the same.
    let sheet = crate::util::cells(&dir.join("ud/2027-01/portefoelje-2027-01.xlsx"), "Til bestyrelsen");
    let all: String = sheet.iter().flatten().cloned().collect::<Vec<_>>().join(" | ");
    assert!(all.contains(CARRIED), "{all}");
    let waited = items(&dir, "2027-01");
    assert!(waited["items"].as_array().unwrap().iter().all(|i| i["meetings_waited"] == 1), "{waited}");
    // In English (the portfolio follows --lang; the digest each recipient's language).
    run_en(&dir, JAN);
    let sheets = crate::util::cells(&dir.join("ud/2027-01/portefoelje-2027-01.xlsx"), "Til bestyrelsen");
    let en: String = sheets.iter().flatten().cloned().collect::<Vec<_>>().join(" | ");
    assert!(
        en.contains("Carried from the meeting of 10-12-2026; standing since 2026-10, has waited 1 meeting."),
        "{en}"
    );
}

#[test]
fn the_historik_step_added_in_november_resolves_the_phase_item_only() {
    let dir = september_and_october(None);
    submit(&dir, NOV, "N1", "Produkt", true);
    run(&dir, NOV);
    let nov = digest(&dir, "2026-11");
    assert!(!nov.contains("Er gået fra Implementering til Produkt"), "{nov}");
    assert!(nov.contains(&format!("{LEVEL} Står siden 2026-10.")), "{nov}");
}

#[test]
fn a_decision_logged_at_the_meeting_is_not_carried() {
    let dir = september_and_october(Some("2026-12-10"));
    submit(&dir, NOV, "N1", "Produkt", false);
    run(&dir, NOV);
    assert!(digest(&dir, "2026-11").contains("Står siden 2026-10."));
    submit(&dir, JAN, "N1", "Produkt", false);
    run(&dir, JAN);
    let jan = digest(&dir, "2027-01");
    assert!(!jan.contains("Udskudt") && !jan.contains("Er gået fra") && !jan.contains("Niveauskift"), "{jan}");
}

#[test]
fn a_damaged_file_is_passed_over_with_a_note_and_a_deleted_one_only_loses_the_carry() {
    let dir = september_and_october(None);
    submit(&dir, NOV, "N1", "Produkt", false);
    run(&dir, NOV);
    std::fs::write(dir.join("ud/2026-11/bestyrelse-2026-11.json"), "{ broken").unwrap();
    submit(&dir, JAN, "N1", "Produkt", false);
    let out = dir.run(&["run", "--as-of", JAN]).code(0);
    let said = format!("{}{}", out.stdout(), out.stderr());
    assert!(said.contains("2026-11/bestyrelse-2026-11.json kunne ikke læses"), "{said}");
    // October's items were used: still carried, since October.
    assert!(digest(&dir, "2027-01").contains(CARRIED));
    // Deleted everywhere: the items are raised afresh from the data (the phase item by
    // the comparison with the last run is gone; nothing is carried, nothing fails).
    for p in ["2026-09", "2026-10", "2026-11", "2027-01"] {
        let _ = std::fs::remove_file(dir.join(&format!("ud/{p}/bestyrelse-{p}.json")));
    }
    std::fs::remove_dir_all(dir.join("ud/2027-01")).unwrap();
    dir.run(&["run", "--as-of", JAN]).code(0);
    assert!(!digest(&dir, "2027-01").contains("Udskudt"));
}
