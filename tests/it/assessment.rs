//! The secretariat's Vurdering across months: it lives in the secretariat's register
//! (`sekretariat.xlsx`, sheet Vurderinger), applies every month while the answer it was
//! given on stands, goes out of date when the answer changes, and a Vurdering typed into
//! the projektark (the lead's file) is never believed – not even carried to next month.

use crate::util::{TestDir, codes_of, date};
use os2gov::model::cell::Value;
use os2gov::model::choice::ReqKind;
use os2gov::model::filled::Filled;
use serde_json::Value as Json;

const OCT: &str = "2026-10-22";
const NOV: &str = "2026-11-26";
const DEC: &str = "2026-12-17";

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
fn the_registers_vurdering_applies_while_the_answer_stands_and_a_leads_never() {
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

    // October: the lead writes Gul into Vurdering of their own projektark – not believed.
    dir.projektark("indsendt/OS2vurderet.xlsx", &project(&dir, OCT, &req, why, Some("Gul")));
    dir.run(&["run", "--as-of", OCT]).code(0);
    let oct = findings(&dir, "2026-10");
    assert_eq!(only_project(&oct)["attained_level"], "SB");
    let codes = codes_of(&oct, "OS2vurderet");
    assert!(codes.contains(&"KRAV-ASSESSMENT-NOT-RECORDED".to_string()), "{codes:?}");
    assert!(codes.contains(&"KRAV-SKAL-EXPLAINED".to_string()), "{codes:?}");
    assert!(only_project(&oct)["assessments"].as_array().unwrap().is_empty());

    // November: the original file comes back (no Vurdering): nothing is carried from
    // the lead's October file.
    dir.projektark("indsendt/OS2vurderet.xlsx", &project(&dir, NOV, &req, why, None));
    dir.run(&["run", "--as-of", NOV]).code(0);
    let nov = findings(&dir, "2026-11");
    assert_eq!(only_project(&nov)["attained_level"], "SB", "a forged Vurdering is never carried");

    // The secretariat accepts the deviation in its register (typed by hand, no Svar-id).
    dir.register(&[("OS2vurderet", req.as_str(), "Gul", "Accepteret på møde med sekretariatet", None)], &[]);
    dir.run(&["run", "--as-of", NOV]).code(0);
    let nov = findings(&dir, "2026-11");
    let p = only_project(&nov);
    assert_eq!(p["attained_level"], "N2");
    let codes = codes_of(&nov, "OS2vurderet");
    assert!(codes.contains(&"KRAV-ASSESSMENT-DIFFERS".to_string()), "{codes:?}");
    let a = &p["assessments"][0];
    assert_eq!((a["requirement"].as_str(), a["vurdering"].as_str()), (Some(req.as_str()), Some("Gul")));
    assert_eq!((a["register_row"].as_u64(), a["carried"].as_bool()), (Some(2), Some(false)));
    let explained = p["findings"].as_array().unwrap().iter().find(|f| f["code"] == "KRAV-SKAL-EXPLAINED").unwrap();
    assert_eq!(explained["severity"], "info");
    assert!(explained["message"].as_str().unwrap().contains("sekretariatet har vurderet afvigelsen Gul"));

    // December: the same answer – the register row still applies.
    dir.projektark("indsendt/OS2vurderet.xlsx", &project(&dir, DEC, &req, why, None));
    dir.run(&["run", "--as-of", DEC]).code(0);
    assert_eq!(only_project(&findings(&dir, "2026-12"))["attained_level"], "N2");

    // The lead changes the answer: the hand-typed row was applied to the old one, so it is
    // outdated; the secretariat (not the lead) is told to assess again.
    dir.projektark("indsendt/OS2vurderet.xlsx", &project(&dir, DEC, &req, "Vi har nu en anden plan", None));
    dir.run(&["run", "--as-of", DEC, "--period", "2027-01"]).code(0);
    let jan = findings(&dir, "2027-01");
    let codes = codes_of(&jan, "OS2vurderet");
    assert!(codes.contains(&"KRAV-ASSESSMENT-OUTDATED".to_string()), "{codes:?}");
    assert_eq!(only_project(&jan)["attained_level"], "SB", "the red N1 requirement holds the level down again");
    assert!(only_project(&jan)["assessments"].as_array().unwrap().is_empty());
    let copy = dir.join("ud/2027-01/annoteret/OS2vurderet.xlsx");
    let kontrol = crate::util::cells(&copy, "Kontrol");
    assert!(!kontrol.iter().flatten().any(|c| c == "KRAV-ASSESSMENT-OUTDATED"), "for the secretariat only");
}
