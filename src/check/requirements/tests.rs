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
                false,
                false,
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
fn not_relevant_on_a_boer_needs_an_explanation() {
    let p = P::new("N2", "Implementering").answer("F19", Answer::IkkeRelevant, None, None);
    p.has(Code::KravNaUnexplained).lacks(Code::KravSkalUnmet).lacks(Code::LevelBelowDeclared);
    P::new("N2", "Implementering")
        .answer("F19", Answer::IkkeRelevant, None, Some("Intet at containerisere"))
        .lacks(Code::KravNaUnexplained);
}

#[test]
fn not_relevant_on_a_skal_is_a_deviation_like_nej() {
    // Route 15: without Forklaring it breaks comply-or-explain and holds the level down.
    let p = P::new("N2", "Igangsat").answer("F12", Answer::IkkeRelevant, None, None);
    p.has(Code::KravSkalUnmet).has(Code::LevelBelowDeclared).lacks(Code::KravNaUnexplained);
    assert_eq!(p.at(Code::KravSkalUnmet), ["Krav!E15"]);
    // With Forklaring: an explained deviation awaiting the secretariat – still red.
    let p = P::new("N2", "Igangsat").answer("F12", Answer::IkkeRelevant, None, Some("Ikke relevant for os"));
    p.has(Code::KravSkalExplained).has(Code::LevelBelowDeclared);
    let f = p.findings().into_iter().find(|f| f.code == Code::KravSkalExplained).unwrap();
    assert!(f.message.da.contains("venter på sekretariatets vurdering"), "{}", f.message.da);
    // Near miss: the secretariat assessed it Grå in the register – the level holds, and
    // the message says what was decided.
    let p = P::new("N2", "Igangsat").answer("F12", Answer::IkkeRelevant, None, Some("Ikke relevant for os")).recorded(
        "F12",
        Light::Graa,
        Some("Kun én kodebase"),
    );
    p.lacks(Code::LevelBelowDeclared);
    let f = p.findings().into_iter().find(|f| f.code == Code::KravSkalExplained).unwrap();
    assert_eq!(f.severity, crate::model::finding::Severity::Info);
    assert!(
        f.message.da.contains("sekretariatet har vurderet afvigelsen Grå 03-11-2026 (Af: MJ): 'Kun én kodebase'"),
        "{}",
        f.message.da
    );
    assert!(!f.message.da.contains("indtil sekretariatet"), "{}", f.message.da);
    // A not-due Skal is not a deviation yet (F12 falls due from Igangsat).
    P::new("N2", "Koncept").answer("F12", Answer::IkkeRelevant, None, None).lacks(Code::KravSkalUnmet);
}

#[test]
fn after_the_secretariat_assessed_a_nej_the_text_says_what_it_decided() {
    // Route 21.
    let p = P::new("N2", "Igangsat").answer("F12", Answer::Nej, None, Some("To versioner i overgangen"));
    let gul = p.clone().recorded("F12", Light::Gul, Some("To versioner i overgangsperioden"));
    let f = gul.findings().into_iter().find(|f| f.code == Code::KravSkalExplained).unwrap();
    assert_eq!(f.severity, crate::model::finding::Severity::Info);
    assert!(f.message.da.contains("vurderet afvigelsen Gul 03-11-2026 (Af: MJ): 'To versioner i overgangsperioden'. Den holder ikke niveauet nede."), "{}", f.message.da);
    gul.lacks(Code::LevelBelowDeclared);
    // Near miss: assessed Rød – said so, and the level is held down.
    let red = p.recorded("F12", Light::Roed, Some("Ikke acceptabelt"));
    let f = red.findings().into_iter().find(|f| f.code == Code::KravSkalExplained).unwrap();
    assert!(
        f.message.da.contains("vurderet afvigelsen Rød") && f.message.da.contains("Den holder niveauet nede."),
        "{}",
        f.message.da
    );
    red.has(Code::LevelBelowDeclared);
}

#[test]
fn a_vurdering_typed_in_the_projektark_is_never_believed() {
    // Route 11: the lead types Grøn on G6 while there is no steering group.
    let no_group = |p: &mut crate::model::project::Project| p.fields.steering_group.value = Input::Blank;
    let forged = P::new("N2", "Igangsat").with(no_group).vurdering("G6", Light::Groen);
    forged.has(Code::KravAssessmentNotRecorded).has(Code::KravCrosscheck).has(Code::LevelBelowDeclared);
    assert_eq!(forged.at(Code::KravAssessmentNotRecorded), ["Krav!F36"]);
    // The same light in the register (the secretariat's) applies; the projektark showing
    // the same value is then silent.
    let real = P::new("N2", "Igangsat").with(no_group).recorded("G6", Light::Groen, None).vurdering("G6", Light::Groen);
    real.lacks(Code::KravAssessmentNotRecorded).lacks(Code::LevelBelowDeclared);
    // A grounds text the register does not hold is also not recorded.
    let p = P::new("N2", "Igangsat")
        .recorded("G6", Light::Groen, Some("Styregruppen er nedsat"))
        .with(|p| p.requirements.iter_mut().find(|r| r.id == "G6").unwrap().rationale = Some("Noget andet".into()));
    assert_eq!(p.at(Code::KravAssessmentNotRecorded), ["Krav!G36"]);
    let p = P::new("N2", "Igangsat").recorded("G6", Light::Groen, Some("Styregruppen er  nedsat")).with(|p| {
        p.requirements.iter_mut().find(|r| r.id == "G6").unwrap().rationale = Some("styregruppen er nedsat".into())
    });
    p.lacks(Code::KravAssessmentNotRecorded);
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
    // The secretariat's Vurdering (in its register) still overrides …
    P::new("N2", "Igangsat").with(no_group).recorded("G6", Light::Gul, None).lacks(Code::LevelBelowDeclared);
    // … a Vurdering typed into the projektark does not.
    P::new("N2", "Igangsat").with(no_group).vurdering("G6", Light::Gul).has(Code::LevelBelowDeclared);
    // Ikke relevant is cross-checked too (route 14): no steering group on an N2 project.
    let p =
        P::new("N2", "Igangsat").with(no_group).answer("G6", Answer::IkkeRelevant, None, Some("Ikke relevant for os"));
    p.has(Code::KravCrosscheck).has(Code::LevelBelowDeclared);
    let f = p.findings().into_iter().find(|f| f.code == Code::KravCrosscheck).unwrap();
    assert!(f.message.da.contains("er markeret Ikke relevant, men feltet Styregruppe er tomt"), "{}", f.message.da);
    let a = crate::check::assess::assess(crate::check::testkit::rules(), &p.project);
    assert!(!a.awaiting[g6], "a contradicted fact is not the secretariat's to settle");
    // Near miss: Ikke relevant on a Bør (G7, koordinationsgruppe) is not cross-checked.
    P::new("N2", "Igangsat")
        .with(|p| p.fields.coordination_group.value = Input::Blank)
        .answer("G7", Answer::IkkeRelevant, None, Some("Ingen koordinationsgruppe endnu"))
        .lacks(Code::KravCrosscheck);
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
    let p = P::new("SB", "Igangsat").recorded("R1", Light::Gul, None);
    assert_eq!(p.at(Code::KravAssessmentDiffers), ["Krav!F2"]);
    P::new("SB", "Igangsat").recorded("R1", Light::Groen, None).lacks(Code::KravAssessmentDiffers);
    // Outdated: given on another answer.
    let p = P::new("SB", "Igangsat")
        .answer("R1", Answer::Nej, None, Some("Ikke endnu"))
        .recorded("R1", Light::Gul, None)
        .answer("R1", Answer::Nej, None, Some("Ikke endnu, men snart"));
    assert_eq!(p.at(Code::KravAssessmentOutdated), ["Krav!F2"]);
    p.lacks(Code::KravAssessmentDiffers);
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
    // G3 projektleder (route 18): an e-mail typo is the lead's DATA finding; the Ja stays
    // (at most Gul) and the level holds.
    let p = P::new("N1", "Igangsat")
        .with(|p| p.fields.lead_email.value = crate::model::project::Input::Given("mette@odense,dk".into()));
    p.has(Code::DataEmailInvalid).lacks(Code::KravCrosscheck).lacks(Code::LevelBelowDeclared);
    let a = crate::check::assess::assess(crate::check::testkit::rules(), &p.project);
    assert_eq!(a.lights[crate::check::testkit::rules().find_requirement("G3").unwrap()], Some(Light::Gul));
    // Near miss: no e-mail at all – the fact is absent, G3 red, the level lost.
    let p = P::new("N1", "Igangsat").with(|p| p.fields.lead_email.value = crate::model::project::Input::Blank);
    assert!(p.findings().iter().any(|f| f.code == Code::KravCrosscheck && f.requirement.as_deref() == Some("G3")));
    p.has(Code::LevelBelowDeclared);
    // F2 licens: a non-OSI licence contradicts the Ja.
    let p = P::new("SB", "Igangsat")
        .with(|p| p.fields.licence.value = crate::model::project::Input::Given("CC-BY-SA-4.0".into()));
    assert!(p.findings().iter().any(|f| f.code == Code::KravCrosscheck && f.requirement.as_deref() == Some("F2")));
    // F1 repository (route 19): a link without https:// is the lead's DATA-URL-INVALID,
    // F1 Gul, the sandbox level kept.
    let p = P::new("SB", "Igangsat")
        .with(|p| p.fields.repository.value = crate::model::project::Input::Given("github.com/os2/x".into()));
    p.has(Code::DataUrlInvalid).lacks(Code::KravCrosscheck).lacks(Code::LevelBelowDeclared);
    // Near miss: no repository – absent, F1 red, the level lost.
    let p = P::new("SB", "Igangsat").with(|p| p.fields.repository.value = crate::model::project::Input::Blank);
    assert!(p.findings().iter().any(|f| f.code == Code::KravCrosscheck && f.requirement.as_deref() == Some("F1")));
    p.has(Code::LevelBelowDeclared).lacks(Code::DataUrlInvalid);
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
