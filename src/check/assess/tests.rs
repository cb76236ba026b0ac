//! Tests of `assess`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use super::*;
use crate::check::testkit::{P, rules};
use crate::model::choice::Answer;

fn ids(rules: &Rules, idx: &[usize]) -> Vec<String> {
    idx.iter().map(|i| rules.requirements[*i].id.clone()).collect()
}

fn assessed(p: &P) -> Assessment {
    let recorded = Recorded { register: &p.register, applied_before: &[] };
    assess_recorded(rules(), &p.project, &recorded)
}

#[test]
fn answers_give_lights_and_the_registers_vurdering_overrides() {
    let p = P::new("N1", "Igangsat")
        .answer("R1", Answer::Ja, Some("https://x.dk"), None)
        .answer("F1", Answer::Ja, None, None)
        .answer("F2", Answer::VedIkke, None, None)
        .answer("F3", Answer::Nej, None, Some("Undtaget"))
        .answer("F4", Answer::IkkeRelevant, None, Some("Ingen data"))
        .answer("F19", Answer::IkkeRelevant, None, Some("Ingen container"))
        .blank("F5")
        .recorded("F6", Light::Gul, None)
        // A Vurdering typed into the projektark is the lead's: never believed.
        .vurdering("F10", Light::Roed);
    let r = rules();
    let a = assessed(&p);
    let at = |id: &str| a.lights[r.find_requirement(id).unwrap()];
    assert_eq!(at("R1"), Some(Light::Groen));
    assert_eq!(at("F1"), Some(Light::Gul));
    assert_eq!(at("F2"), Some(Light::Gul));
    assert_eq!(at("F3"), Some(Light::Roed));
    // Ikke relevant on a Skal that applies and is due is a deviation like Nej (red until
    // the secretariat assesses it); on a Bør above the level it is grey.
    assert_eq!(at("F4"), Some(Light::Roed));
    assert_eq!(at("F19"), Some(Light::Graa));
    assert_eq!(at("F5"), None);
    assert_eq!(at("F6"), Some(Light::Gul));
    assert_eq!(a.computed[r.find_requirement("F6").unwrap()], Some(Light::Groen));
    assert_eq!(at("F10"), Some(Light::Groen));
    assert!(a.applied[r.find_requirement("F6").unwrap()].is_some());
    assert!(a.awaiting[r.find_requirement("F4").unwrap()] && a.awaiting[r.find_requirement("F3").unwrap()]);
    assert!(!a.awaiting[r.find_requirement("F2").unwrap()]);
}

#[test]
fn a_register_row_applies_while_its_answer_stands() {
    let r = rules();
    let f12 = r.find_requirement("F12").unwrap();
    let p = P::new("N2", "Igangsat").answer("F12", Answer::Nej, None, Some("To versioner i overgangen")).recorded(
        "F12",
        Light::Gul,
        Some("Accepteret til 2027"),
    );
    let a = assessed(&p);
    assert_eq!((a.lights[f12], a.attained), (Some(Light::Gul), r.find_level("N2")));
    assert!(!a.awaiting[f12]);
    // The answer changes: the row is outdated, the computed light counts, it waits again.
    let changed = p.clone().answer("F12", Answer::Nej, None, Some("Tre versioner nu"));
    let a = assessed(&changed);
    assert_eq!((a.lights[f12], a.attained), (Some(Light::Roed), r.find_level("N1")));
    assert!(a.outdated[f12].is_some() && a.applied[f12].is_none() && a.awaiting[f12]);
    // A row typed by hand (no Svar-id) applies to the answer standing …
    let hand = P::new("N2", "Igangsat")
        .answer("F12", Answer::Nej, None, Some("To versioner i overgangen"))
        .recorded_by_hand("F12", Light::Gul);
    assert_eq!(assessed(&hand).lights[f12], Some(Light::Gul));
    // … and goes out of date once the previous run applied it to another answer.
    let before = crate::check::previous::AppliedBefore {
        requirement: "F12".into(),
        register_row: hand.register.assessments[0].row,
        light: Light::Gul,
        answer: "0000000000000000".into(),
    };
    let recorded = Recorded { register: &hand.register, applied_before: std::slice::from_ref(&before) };
    let a = assess_recorded(r, &hand.project, &recorded);
    assert_eq!(a.lights[f12], Some(Light::Roed));
    assert!(a.outdated[f12].is_some());
    // Near miss: the previous run applied it to this very answer.
    let same = crate::check::previous::AppliedBefore {
        answer: answer_fingerprint(crate::check::assess::row_for(&hand.project, f12).unwrap()).unwrap(),
        ..before
    };
    let recorded = Recorded { register: &hand.register, applied_before: std::slice::from_ref(&same) };
    assert_eq!(assess_recorded(r, &hand.project, &recorded).lights[f12], Some(Light::Gul));
}

#[test]
fn attained_level_stops_at_the_first_blocked_level() {
    let r = rules();
    let p = P::new("N2", "Igangsat").answer("F12", Answer::Nej, None, Some("To versioner i en overgang"));
    let a = assess(r, &p.project);
    assert_eq!(a.attained, r.find_level("N1"));
    assert_eq!(ids(r, &a.blocking), ["F12"]);
    assert_eq!(a.next_level, r.find_level("N2"));
    assert_eq!(ids(r, &a.next_gap), ["F12"]);
}

#[test]
fn gul_grey_and_boer_do_not_block() {
    let r = rules();
    let p = P::new("N2", "Igangsat")
        .answer("F13", Answer::Ja, None, None)
        .answer("G8", Answer::IkkeRelevant, None, Some("x"))
        .answer("F19", Answer::Nej, None, Some("Ingen container"));
    let a = assess(r, &p.project);
    assert_eq!(a.attained, r.find_level("N2"));
    assert!(a.blocking.is_empty());
}

#[test]
fn a_blocked_sandbox_means_no_level() {
    let r = rules();
    let p = P::new("SB", "Koncept").blank("R1");
    let a = assess(r, &p.project);
    assert_eq!(a.attained, None);
    assert_eq!(a.next_level, r.find_level("SB"));
    assert_eq!(ids(r, &a.next_gap), ["R1"]);
}
