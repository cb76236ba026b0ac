//! The secretariat's Vurdering across uploads: written into the projektark in the inbox,
//! carried forward by the next run when the lead's new upload lacks it and the answer is
//! unchanged (marked in Kontrol, on the cell and in the findings JSON), and not carried
//! once the answer has changed.

use crate::util::{TestDir, codes_of};
use crate::xml;
use os2gov::model::cell::Value;
use os2gov::model::choice::ReqKind;
use os2gov::model::filled::Filled;
use serde_json::Value as Json;

const OCT: &str = "2026-10-22";
const NOV: &str = "2026-11-26";
const DEC: &str = "2026-12-17";

fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A clean N2 project in Implementering whose answer to `req` is an explained Nej – red,
/// so the level is not attained unless the secretariat accepts the deviation.
fn project(dir: &TestDir, as_of: &str, req: &str, explanation: &str, vurdering: Option<&str>) -> Filled {
    let rules = dir.rules();
    let mut f = os2gov::check::fixtures::clean(
        &rules,
        "OS2vurderet",
        rules.find_level("N2").unwrap(),
        rules.find_phase("Implementering").unwrap(),
        date(as_of),
    );
    let a = f.answers.iter_mut().find(|a| a.id == req).unwrap();
    a.efterlevet = Value::from("Nej");
    a.forklaring = Value::from(explanation);
    a.vurdering = vurdering.map(Value::from).unwrap_or(Value::Blank);
    a.grundlag = vurdering.map(|_| Value::from("Accepteret på møde med sekretariatet")).unwrap_or(Value::Blank);
    f
}

fn findings(dir: &TestDir, period: &str) -> Json {
    let path = dir.join(&format!("ud/{period}/fund-{period}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn only_project(j: &Json) -> &Json {
    &j["projects"][0]
}

#[test]
fn vurdering_is_carried_forward_while_the_answer_stands() {
    let dir = TestDir::new().init();
    let rules = dir.rules();
    // A Skal requirement of N1 without a cross-check.
    let req = rules
        .requirements
        .iter()
        .find(|r| rules.level(r.level).code == "N1" && r.kind == ReqKind::Skal && r.cross_check.is_none())
        .unwrap()
        .id
        .clone();
    let why = "Vi bruger kommunens eget system i stedet";

    // October: the secretariat accepts the deviation (Vurdering Gul) in the inbox copy.
    dir.projektark("indsendt/OS2vurderet.xlsx", &project(&dir, OCT, &req, why, Some("Gul")));
    dir.run(&["run", "--as-of", OCT]).code(0);
    let oct = findings(&dir, "2026-10");
    assert_eq!(only_project(&oct)["attained_level"], "N2");
    assert!(codes_of(&oct, "OS2vurderet").contains(&"KRAV-ASSESSMENT-DIFFERS".to_string()));
    let a = &only_project(&oct)["assessments"][0];
    assert_eq!((a["requirement"].as_str(), a["vurdering"].as_str()), (Some(req.as_str()), Some("Gul")));
    assert_eq!((a["since"].as_str(), a["carried"].as_bool()), (Some("2026-10"), Some(false)));

    // November: the lead uploads their own file again – same answer, no Vurdering.
    dir.projektark("indsendt/OS2vurderet.xlsx", &project(&dir, NOV, &req, why, None));
    dir.run(&["run", "--as-of", NOV]).code(0);
    let nov = findings(&dir, "2026-11");
    let p = only_project(&nov);
    assert_eq!(p["attained_level"], "N2", "the carried Vurdering still counts");
    let carried: Vec<&Json> =
        p["findings"].as_array().unwrap().iter().filter(|f| f["code"] == "KRAV-ASSESSMENT-CARRIED").collect();
    assert_eq!(carried.len(), 1, "{p}");
    assert_eq!(carried[0]["sheet"], "Krav");
    let message = carried[0]["message"].as_str().unwrap();
    assert!(message.contains("Gul fra 2026-10") && message.contains("Accepteret"), "{message}");
    let a = &p["assessments"][0];
    assert_eq!((a["since"].as_str(), a["carried"].as_bool()), (Some("2026-10"), Some(true)));
    // Marked in the lead's copy: on Kontrol and in a note on the Vurdering cell.
    let copy = dir.join("ud/2026-11/annoteret/OS2vurderet.xlsx");
    let kontrol = crate::util::cells(&copy, "Kontrol");
    assert!(kontrol.iter().flatten().any(|c| c == "KRAV-ASSESSMENT-CARRIED"), "{kontrol:?}");
    let cell = carried[0]["cell"].as_str().unwrap();
    assert!(cell.starts_with('F'), "the Vurdering column: {cell}");
    assert!(xml::all_notes(&copy).contains("Vurdering ført videre"));

    // December: carried again (the assessment keeps its date) …
    dir.projektark("indsendt/OS2vurderet.xlsx", &project(&dir, DEC, &req, why, None));
    dir.run(&["run", "--as-of", DEC]).code(0);
    let dec = findings(&dir, "2026-12");
    assert_eq!(only_project(&dec)["assessments"][0]["since"], "2026-10");
    assert_eq!(only_project(&dec)["attained_level"], "N2");

    // … until the lead changes the answer: then it is not carried, and the secretariat
    // (not the lead) is told to assess again.
    dir.projektark("indsendt/OS2vurderet.xlsx", &project(&dir, DEC, &req, "Vi har nu en anden plan", None));
    dir.run(&["run", "--as-of", DEC]).code(0);
    let again = findings(&dir, "2026-12");
    let codes = codes_of(&again, "OS2vurderet");
    assert!(codes.contains(&"KRAV-ASSESSMENT-OUTDATED".to_string()), "{codes:?}");
    assert!(!codes.contains(&"KRAV-ASSESSMENT-CARRIED".to_string()), "{codes:?}");
    assert_eq!(only_project(&again)["attained_level"], "SB", "the red N1 requirement holds the level down again");
    assert!(only_project(&again)["assessments"].as_array().unwrap().is_empty());
    let copy = dir.join("ud/2026-12/annoteret/OS2vurderet.xlsx");
    let kontrol = crate::util::cells(&copy, "Kontrol");
    assert!(!kontrol.iter().flatten().any(|c| c == "KRAV-ASSESSMENT-OUTDATED"), "for the secretariat only");
}
