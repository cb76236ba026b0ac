//! Comply-or-explain per requirement: unanswered, unmet, unexplained, without evidence,
//! unsure; requirement rows missing or unknown; cross-checks of Ja answers; the
//! secretariat's Vurdering against the computed light.

use crate::check::assess::Assessment;
use crate::check::context::{Context, Sheet, cell_loc, declared};
use crate::model::choice::{Answer, ReqKind};
use crate::model::finding::{Code, Finding, Location};
use crate::model::project::{Input, Project};
use crate::model::rules::LevelId;
use crate::text::t;

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
            Input::Given(Answer::Ja) if !row.evidence.as_deref().is_some_and(crate::check::assess::is_evidence) => {
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
mod tests;
