//! Tests of `assess`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use super::*;
use crate::check::testkit::{P, rules};
use crate::model::choice::Answer;

fn ids(rules: &Rules, idx: &[usize]) -> Vec<String> {
    idx.iter().map(|i| rules.requirements[*i].id.clone()).collect()
}

#[test]
fn answers_give_lights_and_vurdering_overrides() {
    let p = P::new("N1", "Igangsat")
        .answer("R1", Answer::Ja, Some("https://x.dk"), None)
        .answer("F1", Answer::Ja, None, None)
        .answer("F2", Answer::VedIkke, None, None)
        .answer("F3", Answer::Nej, None, Some("Undtaget"))
        .answer("F4", Answer::IkkeRelevant, None, Some("Ingen data"))
        .blank("F5")
        .vurdering("F6", Light::Gul);
    let r = rules();
    let a = assess(r, &p.project);
    let at = |id: &str| a.lights[r.find_requirement(id).unwrap()];
    assert_eq!(at("R1"), Some(Light::Groen));
    assert_eq!(at("F1"), Some(Light::Gul));
    assert_eq!(at("F2"), Some(Light::Gul));
    assert_eq!(at("F3"), Some(Light::Roed));
    assert_eq!(at("F4"), Some(Light::Graa));
    assert_eq!(at("F5"), None);
    assert_eq!(at("F6"), Some(Light::Gul));
    assert_eq!(a.computed[r.find_requirement("F6").unwrap()], Some(Light::Groen));
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
        .answer("F14", Answer::IkkeRelevant, None, Some("x"))
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
