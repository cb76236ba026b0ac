//! Tests of `requirements`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::P;
use crate::model::choice::{Answer, Light};
use crate::model::finding::Code;
use crate::model::project::Input;

#[test]
fn a_clean_project_has_no_requirement_findings() {
    let p = P::new("N3", "Implementering");
    assert_eq!(p.codes(), vec![], "{:#?}", p.findings());
}

#[test]
fn unanswered_applicable_requirement() {
    let p = P::new("N1", "Igangsat").blank("F6");
    p.has(Code::KravUnanswered);
    assert_eq!(p.at(Code::KravUnanswered), ["Krav!C11"]);
    // Near miss: a blank requirement above the declared level is not required.
    P::new("N1", "Igangsat").blank("F12").lacks(Code::KravUnanswered);
}

#[test]
fn skal_nej_without_and_with_explanation() {
    P::new("SB", "Igangsat")
        .answer("F3", Answer::Nej, None, None)
        .has(Code::KravSkalUnmet)
        .lacks(Code::KravSkalExplained);
    P::new("SB", "Igangsat")
        .answer("F3", Answer::Nej, None, Some("Undtaget efter notat"))
        .has(Code::KravSkalExplained)
        .lacks(Code::KravSkalUnmet);
}

#[test]
fn boer_nej_without_and_with_explanation() {
    P::new("N2", "Implementering")
        .answer("G9", Answer::Nej, None, None)
        .has(Code::KravBoerUnexplained)
        .lacks(Code::KravBoerExplained);
    P::new("N2", "Implementering")
        .answer("G9", Answer::Nej, None, Some("Ingen budget til review"))
        .has(Code::KravBoerExplained)
        .lacks(Code::KravBoerUnexplained);
}

#[test]
fn ja_without_evidence() {
    let p = P::new("SB", "Igangsat").answer("F4", Answer::Ja, None, None);
    assert_eq!(p.at(Code::KravNoEvidence), ["Krav!D9"]);
    P::new("SB", "Igangsat").answer("F4", Answer::Ja, Some("Sikkerhedsnotat"), None).lacks(Code::KravNoEvidence);
}

#[test]
fn a_bare_word_is_no_evidence_and_real_references_are() {
    for bare in [
        "her",
        "link",
        "Se her",
        "Klik her",
        "Ja",
        "Ja.",
        "x",
        "ok",
        "-",
        "?",
        "Har vi noget?",
        "Se dokumentationen",
        "Link følger",
        "TBD",
        "Det gør den",
    ] {
        assert!(!crate::check::assess::is_evidence(bare), "{bare}");
        let p = P::new("SB", "Igangsat").answer("F4", Answer::Ja, Some(bare), None);
        assert_eq!(p.at(Code::KravNoEvidence), ["Krav!D9"], "{bare}");
        assert_eq!(
            crate::check::assess::computed_light(
                &p.project.requirements.iter().find(|r| r.id == "F4").unwrap().clone(),
                false
            ),
            Some(Light::Gul),
            "{bare}"
        );
    }
    for real in [
        "Se styregruppereferat 12.03.2025",
        "Ja, jf. tilslutningsaftalen",
        "Kommissorium.pdf",
        "Sikkerhedsnotat",
        "README",
        "Jonas Iversen, OS2",
        "https://os2.eu/x",
        "her (https://os2.eu/x)",
        "MPL 2.0",
        "Se os2.eu",
        "Ja, ved fast status på bestyrelsesmøder",
        "Mail fra sekretariatet@os2.eu",
    ] {
        assert!(crate::check::assess::is_evidence(real), "{real}");
        P::new("SB", "Igangsat").answer("F4", Answer::Ja, Some(real), None).lacks(Code::KravNoEvidence);
    }
    let f = P::new("SB", "Igangsat").answer("F4", Answer::Ja, Some("her"), None).findings();
    let f = f.iter().find(|f| f.code == Code::KravNoEvidence).unwrap();
    assert!(f.message.da.contains("'her'") && f.message.da.contains("hverken et link"), "{}", f.message.da);
}

#[test]
fn ved_ikke_is_unsure() {
    P::new("SB", "Igangsat").answer("F5", Answer::VedIkke, None, None).has(Code::KravUnsure);
    P::new("SB", "Igangsat").answer("F5", Answer::Ja, Some("README"), None).lacks(Code::KravUnsure);
}

#[test]
fn not_relevant_needs_an_explanation() {
    P::new("SB", "Igangsat").answer("F3", Answer::IkkeRelevant, None, None).has(Code::KravNaUnexplained);
    P::new("SB", "Igangsat")
        .answer("F3", Answer::IkkeRelevant, None, Some("Intet indkøb"))
        .lacks(Code::KravNaUnexplained);
}

#[test]
fn board_approval_is_not_due_before_igangsat() {
    // A concept on its way to the board answers G5 Nej honestly: no finding, no block.
    let p = P::new("N2", "Koncept").answer("G5", Answer::Nej, None, Some("Forelægges bestyrelsen i december"));
    assert_eq!(p.codes(), vec![]);
    // From Igangsat on, the same answer is an explained deviation that blocks N2.
    let p = P::new("N2", "Igangsat").answer("G5", Answer::Nej, None, Some("Godkendelse mangler"));
    p.has(Code::KravSkalExplained).has(Code::LevelBelowDeclared);
    // Orientation (G4 at N1) falls due once past Koncept.
    P::new("N1", "Koncept").blank("G4").lacks(Code::KravUnanswered);
    P::new("N1", "Igangsat").blank("G4").has(Code::KravUnanswered);
}

#[test]
fn requirements_fall_due_by_phase() {
    // F12 is due from Igangsat, F13 from Koncept (Krav.Fra fase).
    P::new("N2", "Koncept").blank("F12").lacks(Code::KravUnanswered).lacks(Code::LevelBelowDeclared);
    P::new("N2", "Koncept").blank("F13").has(Code::KravUnanswered).has(Code::LevelBelowDeclared);
    // A missing row of a requirement not due yet is not missing yet.
    P::new("N2", "Koncept").remove_row("F12").lacks(Code::InputRequirementMissing);
    P::new("N2", "Igangsat").remove_row("F12").has(Code::InputRequirementMissing);
    // A paused running project is judged by the phase it left: Igangsat.
    P::new("N2", "Pauseret").blank("F12").has(Code::KravUnanswered);
}

#[test]
fn a_contradicted_ja_counts_red_unless_the_secretariat_says_otherwise() {
    let no_group = |p: &mut crate::model::project::Project| p.fields.steering_group.value = Input::Blank;
    let p = P::new("N2", "Igangsat").with(no_group);
    p.has(Code::KravCrosscheck).has(Code::LevelBelowDeclared);
    let a = crate::check::assess::assess(crate::check::testkit::rules(), &p.project);
    let g6 = crate::check::testkit::rules().find_requirement("G6").unwrap();
    assert_eq!(a.lights[g6], Some(Light::Roed));
    // The secretariat's Vurdering still overrides.
    P::new("N2", "Igangsat").with(no_group).vurdering("G6", Light::Gul).lacks(Code::LevelBelowDeclared);
    // A placeholder counts as blank.
    P::new("N2", "Igangsat")
        .with(|p| p.fields.steering_group.value = Input::Given(" - ".into()))
        .has(Code::KravCrosscheck);
    P::new("N2", "Igangsat")
        .with(|p| p.fields.steering_group.value = Input::Given("Aarhus og Odense".into()))
        .lacks(Code::KravCrosscheck);
}

#[test]
fn assessment_that_differs_is_noted() {
    let p = P::new("SB", "Igangsat").vurdering("R1", Light::Gul);
    assert_eq!(p.at(Code::KravAssessmentDiffers), ["Krav!F2"]);
    P::new("SB", "Igangsat").vurdering("R1", Light::Groen).lacks(Code::KravAssessmentDiffers);
}

#[test]
fn missing_and_unknown_rows() {
    P::new("N1", "Igangsat").remove_row("G4").has(Code::InputRequirementMissing);
    P::new("N1", "Igangsat").remove_row("G5").lacks(Code::InputRequirementMissing);
    let p = P::new("SB", "Igangsat").with(|p| {
        let mut extra = p.requirements[0].clone();
        extra.id = "X99".into();
        extra.requirement = None;
        extra.row = 60;
        p.requirements.push(extra);
    });
    assert_eq!(p.at(Code::InputUnknownRequirement), ["Krav!A61"]);
    P::new("SB", "Igangsat").lacks(Code::InputUnknownRequirement);
}

#[test]
fn cross_checks_contradict_a_ja() {
    // G3 projektleder: an invalid e-mail contradicts the Ja.
    let p = P::new("N1", "Igangsat")
        .with(|p| p.fields.lead_email.value = crate::model::project::Input::Given("mette".into()));
    assert!(p.findings().iter().any(|f| f.code == Code::KravCrosscheck && f.requirement.as_deref() == Some("G3")));
    // F2 licens: a non-OSI licence contradicts the Ja.
    let p = P::new("SB", "Igangsat")
        .with(|p| p.fields.licence.value = crate::model::project::Input::Given("CC-BY-SA-4.0".into()));
    assert!(p.findings().iter().any(|f| f.code == Code::KravCrosscheck && f.requirement.as_deref() == Some("F2")));
    // F1 repository: not a URL.
    let p = P::new("SB", "Igangsat")
        .with(|p| p.fields.repository.value = crate::model::project::Input::Given("github/os2".into()));
    assert!(p.findings().iter().any(|f| f.code == Code::KravCrosscheck && f.requirement.as_deref() == Some("F1")));
    // G5 board approval: shown by history alone is enough (near miss).
    P::new("N2", "Igangsat")
        .with(|p| p.fields.board_approved.value = crate::model::project::Input::Blank)
        .lacks(Code::KravCrosscheck);
    // G6 steering group: empty contradicts.
    let p = P::new("N2", "Igangsat").with(|p| p.fields.steering_group.value = crate::model::project::Input::Blank);
    assert!(p.findings().iter().any(|f| f.code == Code::KravCrosscheck && f.requirement.as_deref() == Some("G6")));
    // A Nej is never cross-checked (near miss).
    P::new("N2", "Igangsat")
        .with(|p| p.fields.steering_group.value = crate::model::project::Input::Blank)
        .answer("G6", Answer::Nej, None, Some("Nedsættes i januar"))
        .lacks(Code::KravCrosscheck);
}
