//! Tests of `level`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::P;
use crate::model::choice::Answer;
use crate::model::finding::Code;

#[test]
fn below_declared_names_the_blockers_and_recommends_the_attained_level() {
    let p = P::new("N2", "Igangsat").answer("R3", Answer::Nej, None, None);
    let f = p.findings().into_iter().find(|f| f.code == Code::LevelBelowDeclared).expect("finding");
    assert!(f.message.da.contains("R3"), "{}", f.message.da);
    assert!(f.message.da.contains("sænkes til N1 (Niveau 1)"), "{}", f.message.da);
    assert_eq!(f.location.a1(), "Projekt!B10");
    P::new("N2", "Igangsat").answer("R3", Answer::Ja, None, None).lacks(Code::LevelBelowDeclared);
}

#[test]
fn above_declared_is_a_candidate_for_raising() {
    let p = P::new("N1", "Igangsat").with(|p| {
        for row in &mut p.requirements {
            row.answer = crate::model::project::Input::Given(Answer::Ja);
            row.evidence = Some("x".into());
        }
    });
    // G5 (N2) says the board approved, which nothing shows: red, so N2 is not reached.
    p.lacks(Code::LevelAboveDeclared);
    let p = p.with(|p| {
        p.fields.board_approved.value = crate::model::project::Input::Given(p.history[1].date.given().copied().unwrap())
    });
    p.has(Code::LevelAboveDeclared);
    P::new("N1", "Igangsat").lacks(Code::LevelAboveDeclared);
}

#[test]
fn too_few_organisations() {
    P::new("N1", "Igangsat").with(|p| p.participants.truncate(1)).has(Code::LevelOrgsTooFew);
    // The same organisation twice is still one.
    P::new("N1", "Igangsat")
        .with(|p| p.participants[1].organisation = Some("aarhus kommune".into()))
        .has(Code::LevelOrgsTooFew);
    P::new("SB", "Igangsat").with(|p| p.participants.truncate(1)).lacks(Code::LevelOrgsTooFew);
}

#[test]
fn organisations_count_from_koncept() {
    // An idea is one organisation's until it becomes a concept.
    P::new("N1", "Idé").with(|p| p.participants.truncate(1)).lacks(Code::LevelOrgsTooFew);
    P::new("N1", "Koncept").with(|p| p.participants.truncate(1)).has(Code::LevelOrgsTooFew);
}

#[test]
fn the_level_placement_is_expected_past_the_idea() {
    let unplaced = |p: &mut crate::model::project::Project| {
        p.fields.level_placed.value = crate::model::project::Input::Blank;
    };
    let p = P::new("N1", "Koncept").with(unplaced);
    assert_eq!(p.at(Code::LevelNotPlaced), ["Projekt!B11"]);
    P::new("N1", "Idé").with(unplaced).lacks(Code::LevelNotPlaced);
    // A closed project is not nagged; a placed one is fine.
    P::new("N2", "Udfaset").with(unplaced).lacks(Code::LevelNotPlaced);
    P::new("N1", "Koncept").lacks(Code::LevelNotPlaced);
    // A projektark without the row says to add it.
    let p = P::new("N1", "Koncept").with(|p| p.fields.level_placed = Default::default());
    let f = p.findings().into_iter().find(|f| f.code == Code::LevelNotPlaced).unwrap();
    assert!(f.message.da.contains("Tilføj rækkerne"), "{}", f.message.da);
}

#[test]
fn level_changed_since_previous_run() {
    P::new("N2", "Igangsat").previous("N1", "Igangsat").has(Code::LevelChanged);
    P::new("N2", "Igangsat").previous("n2", "Igangsat").lacks(Code::LevelChanged);
    P::new("N2", "Igangsat").lacks(Code::LevelChanged);
}
