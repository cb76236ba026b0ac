//! Comply-or-explain per requirement: unanswered, unmet, unexplained, without evidence,
//! unsure; requirement rows missing or unknown; cross-checks of Ja answers; the
//! secretariat's Vurdering against the computed light.

use crate::check::assess::Assessment;
use crate::check::{Context, Sheet, cell_loc, declared};
use crate::finding::{Code, Finding, Location};
use crate::model::choice::{Answer, ReqKind};
use crate::model::project::{Input, Project};
use crate::rules::LevelId;
use crate::t;

/// Words that point at documentation without naming it, only answer, or say it is not
/// there yet (folded). A Dokumentation made of nothing else is no evidence.
const NOT_EVIDENCE_WORDS: &[&str] = &[
    "her",
    "herunder",
    "heri",
    "der",
    "link",
    "links",
    "linket",
    "linkene",
    "url",
    "klik",
    "tryk",
    "see",
    "here",
    "click",
    "yes",
    "done",
    "okay",
    "tjek",
    "check",
    "findes",
    "haves",
    "det",
    "den",
    "dem",
    "som",
    "med",
    "for",
    "fra",
    "til",
    "paa",
    "har",
    "ved",
    "kan",
    "skal",
    "vil",
    "vaere",
    "goer",
    "goeres",
    "gjort",
    "noget",
    "nogen",
    "alt",
    "alle",
    "hos",
    "efter",
    "eller",
    "men",
    "ikke",
    "nej",
    "jep",
    "jeps",
    "klart",
    "selvfoelgelig",
    "dokumentation",
    "dokumentationen",
    "dokument",
    "dokumentet",
    "dokumenter",
    "dokumenterne",
    "beskrivelse",
    "beskrivelsen",
    "beskrevet",
    "henvisning",
    "reference",
    "kilde",
    "fil",
    "filen",
    "side",
    "siden",
    "hjemmeside",
    "hjemmesiden",
    "kommer",
    "senere",
    "snart",
    "todo",
    "tbd",
    "foelger",
    "nedenfor",
    "ovenfor",
    "ovenstaaende",
    "nedenstaaende",
    "the",
    "and",
    "this",
    "that",
    "afventer",
    "planlagt",
    "mangler",
    "endnu",
    "ingen",
    "intet",
    "igang",
    "gang",
    "delvist",
    "delvis",
    "opfyldt",
    "vores",
    "jeres",
    "hvor",
    "hvad",
];

/// Whether a Dokumentation is evidence: it holds a URL or address, a digit (a date, a
/// case or version number), a file or domain name (`Kommissorium.pdf`, `os2.eu`), or at
/// least one word of three or more letters that is not in [`NOT_EVIDENCE_WORDS`] (a
/// document's or body's name: "Se styregruppereferat", "jf. tilslutningsaftalen"). "her",
/// "link", "Se her", "Ja", "?" or "Har vi noget?" are not.
pub fn is_evidence(text: &str) -> bool {
    let t = text.trim();
    if t.contains("://") || t.contains('@') || t.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    let dotted = t.split_whitespace().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty() && (2..=5).contains(&b.chars().count()) && b.chars().all(char::is_alphanumeric)
        })
    });
    dotted
        || crate::model::choice::fold(t)
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.chars().count() >= 3 && !NOT_EVIDENCE_WORDS.contains(&w))
}

pub fn check(ctx: &Context<'_>, project: &Project, assessment: &Assessment, out: &mut Vec<Finding>) {
    let Some((sheet_name, _)) = &project.sheets.krav else {
        return; // The sheet is missing or unusable; that has been reported.
    };
    let rules = ctx.rules;
    // Without a valid declared level only the lowest level's requirements are certain to apply.
    let level = declared(project).unwrap_or(LevelId(0));
    let loc = |row: u32, col: &str| cell_loc(project, Sheet::Krav, row, col);

    for row in &project.requirements {
        let Some(index) = row.requirement else {
            let id = &row.id;
            let known = rules.requirements.len();
            out.push(Finding::new(
                Code::InputUnknownRequirement,
                loc(row.row, "ID"),
                t!(
                    "Kravet '{id}' findes ikke i styringsmodellen ({known} krav) og bliver ikke vurderet. Ret ID'et, eller slet rækken, hvis kravet er udgået.",
                    "The requirement '{id}' is not in the styringsmodel ({known} requirements) and is not assessed. Fix the ID, or delete the row if the requirement was dropped."
                ),
            ));
            continue;
        };
        let req = &rules.requirements[index];
        let id = &req.id;
        let what = &req.text;
        if let (Input::Given(v), Some(computed)) = (&row.assessment, assessment.computed.get(index))
            && Some(*v) != *computed
        {
            let (vl, cl) = (v.da(), computed.map(|c| c.da()).unwrap_or("Ikke udfyldt"));
            let (vle, cle) = (
                v.label(crate::text::Lang::En),
                computed.map(|c| c.label(crate::text::Lang::En)).unwrap_or("Not filled in"),
            );
            out.push(
                    Finding::new(
                        Code::KravAssessmentDiffers,
                        loc(row.row, "Vurdering"),
                        t!(
                            "{id}: sekretariatets vurdering er {vl}, mens svaret giver {cl}. Vurderingen gælder.",
                            "{id}: the secretariat's assessment is {vle}, while the answer gives {cle}. The assessment applies."
                        ),
                    )
                    .with_requirement(id),
                );
        }
        if let Some(e) = &assessment.carried[index] {
            let (light_da, light_en) = (e.light.da(), e.light.label(crate::text::Lang::En));
            let since = e.since.clone().unwrap_or_else(|| "?".into());
            let basis = e.rationale.as_deref().map(|r| crate::text::clip(r, 120));
            let (basis_da, basis_en) = match &basis {
                Some(b) => (format!(" (grundlag: {b})"), format!(" (basis: {b})")),
                None => (String::new(), String::new()),
            };
            out.push(
                Finding::new(
                    Code::KravAssessmentCarried,
                    loc(row.row, "Vurdering"),
                    t!(
                        "{id}: sekretariatets vurdering {light_da} fra {since}{basis_da} gælder fortsat, fordi svaret er det samme som da; den står ikke i dette ark. Sekretariatet skriver den i arket igen eller retter den.",
                        "{id}: the secretariat's assessment {light_en} from {since}{basis_en} still applies, since the answer is the same as then; it is not in this workbook. The secretariat writes it into the workbook again or changes it."
                    ),
                )
                .with_requirement(id),
            );
        }
        if let Some(e) = &assessment.outdated[index] {
            let (light_da, light_en) = (e.light.da(), e.light.label(crate::text::Lang::En));
            let since = e.since.clone().unwrap_or_else(|| "?".into());
            out.push(
                Finding::new(
                    Code::KravAssessmentOutdated,
                    loc(row.row, "Vurdering"),
                    t!(
                        "{id}: sekretariatets vurdering {light_da} fra {since} er ikke ført videre, fordi svaret er ændret siden. Vurdér kravet igen, og skriv Vurdering i arket, hvis den stadig skal gælde.",
                        "{id}: the secretariat's assessment {light_en} from {since} is not carried forward, since the answer has changed. Assess the requirement again, and enter Vurdering in the workbook if it is still to apply."
                    ),
                )
                .with_requirement(id),
            );
        }
        if req.level > level {
            // Above the declared level: counted in the lights, not required.
            continue;
        }
        if let Some(why) = &assessment.contradicted[index] {
            let (why_da, why_en) = (&why.da, &why.en);
            out.push(
                Finding::new(
                    Code::KravCrosscheck,
                    loc(row.row, "Efterlevet"),
                    t!(
                        "{id} ({what}) er besvaret Ja, men {why_da}. Kravet tæller derfor som rødt. Ret oplysningerne, eller ret svaret.",
                        "{id} ({what}) is answered Ja, but {why_en}. The requirement therefore counts as red. Fix the details, or fix the answer."
                    ),
                )
                .with_requirement(id),
            );
        }
        if !assessment.due[index] {
            // Not due yet in this phase (Krav.Fra fase): its light is shown, a blank or
            // an unexplained Nej is no finding yet.
            continue;
        }
        let skal = req.kind == ReqKind::Skal;
        let finding = match row.answer {
            Input::Invalid => None, // Reported when read.
            Input::Blank => Some((
                Code::KravUnanswered,
                "Efterlevet",
                t!(
                    "{id} ({what}) er ikke besvaret. Vælg Ja, Nej, Ikke relevant eller Ved ikke i Efterlevet.",
                    "{id} ({what}) is not answered. Choose Ja, Nej, Ikke relevant or Ved ikke in Efterlevet."
                ),
            )),
            Input::Given(Answer::Nej) => match (skal, row.explanation.is_some()) {
                (true, false) => Some((
                    Code::KravSkalUnmet,
                    "Forklaring",
                    t!(
                        "{id} ({what}) er et Skal-krav, som ikke er opfyldt, og der er ingen forklaring. Følg eller forklar: skriv i Forklaring hvorfor, og hvad I gør i stedet.",
                        "{id} ({what}) is a must requirement that is not met, with no explanation. Comply or explain: write in Forklaring why, and what you do instead."
                    ),
                )),
                (true, true) => Some((
                    Code::KravSkalExplained,
                    "Efterlevet",
                    t!(
                        "{id} ({what}) er ikke opfyldt, men forklaret – en kendt afvigelse. Den tæller som rød, indtil sekretariatet vurderer andet.",
                        "{id} ({what}) is not met but explained – a known deviation. It counts as red until the secretariat assesses otherwise."
                    ),
                )),
                (false, false) => Some((
                    Code::KravBoerUnexplained,
                    "Forklaring",
                    t!(
                        "{id} ({what}) er en anbefaling (Bør), som ikke følges. Skriv kort i Forklaring hvorfor.",
                        "{id} ({what}) is a recommendation (should) that is not followed. Briefly write why in Forklaring."
                    ),
                )),
                (false, true) => Some((
                    Code::KravBoerExplained,
                    "Efterlevet",
                    t!(
                        "{id} ({what}): anbefalingen følges ikke; forklaringen er noteret.",
                        "{id} ({what}): the recommendation is not followed; the explanation is noted."
                    ),
                )),
            },
            Input::Given(Answer::Ja) if row.evidence.is_none() => Some((
                Code::KravNoEvidence,
                "Dokumentation",
                t!(
                    "{id} ({what}) er besvaret Ja, men Dokumentation er tom. Tilføj et link eller en henvisning, så kravet kan blive grønt.",
                    "{id} ({what}) is answered Ja, but Dokumentation is empty. Add a link or reference so the requirement can turn green."
                ),
            )),
            Input::Given(Answer::Ja) if !row.evidence.as_deref().is_some_and(is_evidence) => {
                let doc = crate::text::clip(row.evidence.as_deref().unwrap_or_default(), 60);
                Some((
                    Code::KravNoEvidence,
                    "Dokumentation",
                    t!(
                        "{id} ({what}) er besvaret Ja, men Dokumentation ('{doc}') er hverken et link, en henvisning eller en beskrivelse. Skriv hvor dokumentationen findes (et link, et dokuments navn eller en dato), så kravet kan blive grønt.",
                        "{id} ({what}) is answered Ja, but Dokumentation ('{doc}') is neither a link, a reference nor a description. Write where the documentation is (a link, a document's name or a date) so the requirement can turn green."
                    ),
                ))
            }
            Input::Given(Answer::Ja) => None,
            Input::Given(Answer::VedIkke) => Some((
                Code::KravUnsure,
                "Efterlevet",
                t!(
                    "{id} ({what}) er besvaret Ved ikke. Find ud af om kravet er opfyldt, og svar Ja eller Nej.",
                    "{id} ({what}) is answered Ved ikke (don't know). Find out whether it is met and answer Ja or Nej."
                ),
            )),
            Input::Given(Answer::IkkeRelevant) if row.explanation.is_none() => Some((
                Code::KravNaUnexplained,
                "Forklaring",
                t!(
                    "{id} ({what}) er markeret Ikke relevant uden forklaring. Skriv i Forklaring hvorfor kravet ikke er relevant for jer.",
                    "{id} ({what}) is marked Ikke relevant without an explanation. Write in Forklaring why it does not apply to you."
                ),
            )),
            Input::Given(Answer::IkkeRelevant) => None,
        };
        if let Some((code, col, message)) = finding {
            out.push(Finding::new(code, loc(row.row, col), message).with_requirement(id));
        }
    }

    for (index, req) in rules.requirements.iter().enumerate() {
        if req.level > level
            || !assessment.due[index]
            || project.requirements.iter().any(|r| r.requirement == Some(index))
        {
            continue;
        }
        let (id, what) = (&req.id, &req.text);
        out.push(
            Finding::new(
                Code::InputRequirementMissing,
                Location::sheet(sheet_name),
                t!(
                    "Kravet {id} ({what}) mangler i fanen Krav. Tilføj en række med ID {id}, eller hent et nyt projektark (os2gov template).",
                    "The requirement {id} ({what}) is missing from the Krav sheet. Add a row with ID {id}, or get a new projektark (os2gov template)."
                ),
            )
            .with_requirement(id),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::P;
    use crate::finding::Code;
    use crate::model::choice::{Answer, Light};
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
        assert_eq!(p.at(Code::KravUnanswered), ["Krav!H11"]);
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
        assert_eq!(p.at(Code::KravNoEvidence), ["Krav!I9"]);
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
            assert!(!super::is_evidence(bare), "{bare}");
            let p = P::new("SB", "Igangsat").answer("F4", Answer::Ja, Some(bare), None);
            assert_eq!(p.at(Code::KravNoEvidence), ["Krav!I9"], "{bare}");
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
            assert!(super::is_evidence(real), "{real}");
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
        assert_eq!(p.at(Code::KravAssessmentDiffers), ["Krav!K2"]);
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
}
