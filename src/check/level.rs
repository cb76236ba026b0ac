//! Level rules: the attained level against the declared one, the number of participating
//! organisations, and a change of declared level since the previous run.

use crate::check::assess::Assessment;
use crate::check::context::{Context, declared, field_loc, level_label};
use crate::model::cell::CellRef;
use crate::model::finding::{Code, Finding, Location};
use crate::model::project::Project;
use crate::text::fold;
use crate::text::t;

/// Requirement IDs for messages: `F12, G5`.
pub fn id_list(ctx: &Context<'_>, indices: &[usize]) -> String {
    indices.iter().map(|i| ctx.rules.requirements[*i].id.as_str()).collect::<Vec<_>>().join(", ")
}

pub fn check(ctx: &Context<'_>, project: &Project, assessment: &Assessment, out: &mut Vec<Finding>) {
    let Some(level) = declared(project) else {
        return;
    };
    let rules = ctx.rules;
    let at = field_loc(project, &project.fields.level);
    let declared_label = level_label(rules, level);
    // Level attainment needs the Krav sheet; without it the missing sheet says it all.
    if project.sheets.krav.is_some() {
        match assessment.attained {
            Some(a) if a == level => {}
            Some(a) if a > level => {
                let attained = level_label(rules, a);
                out.push(Finding::new(
                    Code::LevelAboveDeclared,
                    at.clone(),
                    t!(
                        "Projektet opfylder kravene til {attained}, men er placeret på {declared_label}. Det er en kandidat til at blive hævet; drøft det med sekretariatet.",
                        "The project meets the requirements of {attained} but is placed at {declared_label}. It is a candidate for raising; discuss it with the secretariat."
                    ),
                ));
            }
            attained => {
                let (rec_da, rec_en) = match attained {
                    Some(a) => {
                        let l = level_label(rules, a);
                        (format!("sænkes til {l}"), format!("be lowered to {l}"))
                    }
                    None => (
                        "placeres under det laveste niveau (ingen)".to_string(),
                        "be placed below the lowest level (none)".to_string(),
                    ),
                };
                // The requirements that wait for the secretariat's assessment of an
                // explanation are named apart: the lead has done what they can there.
                let (waiting, others): (Vec<usize>, Vec<usize>) =
                    assessment.blocking.iter().partition(|i| assessment.awaiting.get(**i).copied().unwrap_or(false));
                let (red, wait) = (id_list(ctx, &others), id_list(ctx, &waiting));
                let plural = |n: usize, one: &str, many: &str| if n == 1 { one.to_string() } else { many.to_string() };
                let red_da = plural(
                    others.len(),
                    "kravet {} er rødt eller ikke udfyldt",
                    "kravene {} er røde eller ikke udfyldt",
                )
                .replace("{}", &red);
                let red_en = plural(
                    others.len(),
                    "requirement {} is red or not filled in",
                    "requirements {} are red or not filled in",
                )
                .replace("{}", &red);
                let wait_da = plural(waiting.len(), "{} er en forklaret afvigelse, der venter på sekretariatets vurdering (i sekretariatets register) og tæller som rød indtil da", "{} er forklarede afvigelser, der venter på sekretariatets vurdering (i sekretariatets register) og tæller som røde indtil da").replace("{}", &wait);
                let wait_en = plural(waiting.len(), "{} is an explained deviation awaiting the secretariat's assessment (in the secretariat's register) and counts as red until then", "{} are explained deviations awaiting the secretariat's assessment (in the secretariat's register) and count as red until then").replace("{}", &wait);
                let message = match (others.is_empty(), waiting.is_empty()) {
                    (false, true) | (true, true) => t!(
                        "Projektet er placeret på {declared_label}, men {red_da}. Opfyld kravene – eller forklar en afvigelse, så sekretariatet kan vurdere den. Ellers anbefales det, at projektet {rec_da}.",
                        "The project is placed at {declared_label}, but {red_en}. Meet the requirements – or explain a deviation for the secretariat to assess. Otherwise the recommendation is that the project {rec_en}."
                    ),
                    (true, false) => t!(
                        "Projektet er placeret på {declared_label}, men {wait_da}. Når sekretariatet har vurderet den, tæller vurderingen.",
                        "The project is placed at {declared_label}, but {wait_en}. Once the secretariat has assessed it, the assessment counts."
                    ),
                    (false, false) => t!(
                        "Projektet er placeret på {declared_label}, men {red_da}, og {wait_da}. Opfyld kravene; ellers anbefales det, at projektet {rec_da}.",
                        "The project is placed at {declared_label}, but {red_en}, and {wait_en}. Meet the requirements; otherwise the recommendation is that the project {rec_en}."
                    ),
                };
                out.push(Finding::new(Code::LevelBelowDeclared, at.clone(), message));
            }
        }
    }
    // The level's minimum number of organisations applies from Koncept: an idea is one
    // organisation's until the secretariat has helped shape it into a concept.
    let process = &assessment.process;
    if let Some((sheet, _)) = &project.sheets.deltagere
        && process.reached(rules, rules.key.concept)
    {
        let (have, need) = (project.organisation_count(), rules.level(level).min_orgs as usize);
        if have < need {
            out.push(Finding::new(
                Code::LevelOrgsTooFew,
                Location::cell(sheet, CellRef::new(0, 0)),
                t!(
                    "{declared_label} kræver mindst {need} deltagende organisationer, men fanen Deltagere har {have}. Tilføj de organisationer, der deltager, eller placér projektet på et lavere niveau.",
                    "{declared_label} needs at least {need} participating organisations, but the Deltagere sheet has {have}. Add the participating organisations, or place the project at a lower level."
                ),
            ));
        }
    }
    // The secretariat places each project on a level when the idea becomes a concept.
    let placed = project.fields.level_placed.given().is_some();
    let closed = project.fields.phase.given() == Some(&rules.key.closed);
    let past_idea = process.effective.is_some_and(|p| p != rules.first_phase());
    if !placed && past_idea && !closed && project.fields.level_placed.value.is_blank() {
        let field_row = project.fields.level_placed.cell.is_some();
        let (what_da, what_en) = if field_row {
            (
                "Skriv datoen i 'Niveau placeret (dato)' og hvem i 'Niveau placeret af'",
                "Enter the date in 'Niveau placeret (dato)' and who in 'Niveau placeret af'",
            )
        } else {
            (
                "Tilføj rækkerne 'Niveau placeret (dato)' og 'Niveau placeret af' i fanen Projekt (eller hent et nyt projektark med os2gov template)",
                "Add the rows 'Niveau placeret (dato)' and 'Niveau placeret af' to the Projekt sheet (or get a new projektark with os2gov template)",
            )
        };
        out.push(Finding::new(
            Code::LevelNotPlaced,
            field_loc(project, &project.fields.level_placed),
            t!(
                "Projektet er forbi Idé, men det står ikke, hvornår sekretariatet placerede det på {declared_label}. {what_da}.",
                "The project is past Idé, but it does not say when the secretariat placed it at {declared_label}. {what_en}."
            ),
        ));
    }
    if let Some(prev) = ctx.previous.and_then(|p| p.declared_level.as_deref())
        && fold(prev) != fold(&rules.level(level).code)
    {
        let now = &rules.level(level).code;
        out.push(Finding::new(
            Code::LevelChanged,
            at,
            t!(
                "Niveauet er ændret fra {prev} til {now} siden sidste kørsel. Et skift til eller fra niveau 2 og 3 kræver en bestyrelsesbeslutning.",
                "The level changed from {prev} to {now} since the last run. A change to or from levels 2 and 3 needs a board decision."
            ),
        ));
    }
}

#[cfg(test)]
mod tests;
