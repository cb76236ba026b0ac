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
                let blocking = id_list(ctx, &assessment.blocking);
                let (rec_da, rec_en) = match attained {
                    Some(a) => {
                        let l = level_label(rules, a);
                        (
                            format!("Ellers anbefales det, at projektet sænkes til {l}."),
                            format!("Otherwise the recommendation is that the project be lowered to {l}."),
                        )
                    }
                    // No level below the lowest: say what it means, not "placed below none".
                    None => (
                        "Indtil da opfylder projektet ikke noget niveau.".to_string(),
                        "Until then the project meets no level.".to_string(),
                    ),
                };
                let (what_da, what_en) = if assessment.blocking.len() == 1 {
                    (
                        format!("kravet {blocking} er rødt eller ikke udfyldt"),
                        format!("requirement {blocking} is red or not filled in"),
                    )
                } else {
                    (
                        format!("kravene {blocking} er røde eller ikke udfyldt"),
                        format!("requirements {blocking} are red or not filled in"),
                    )
                };
                out.push(Finding::new(
                    Code::LevelBelowDeclared,
                    at.clone(),
                    t!(
                        "Projektet er placeret på {declared_label}, men {what_da}. Opfyld kravene; en forklaret afvigelse tæller først, når sekretariatet har vurderet den (kolonnen Vurdering). {rec_da}",
                        "The project is placed at {declared_label}, but {what_en}. Meet the requirements; an explained deviation counts only once the secretariat has assessed it (the Vurdering column). {rec_en}"
                    ),
                ));
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
