//! Level rules, all at the level in force ([`crate::check::level_course`]): the attained
//! level against it, the number of participating organisations, the level's records (the
//! lead's Projekt Niveau and Historik.Niveau checked against the register and the log, a
//! change away from a level the board approves that the board did not decide, the
//! placement missing or shown wrongly), and a change of level since the previous run.

use crate::check::assess::Assessment;
use crate::check::context::{Context, Sheet, cell_loc, declared, field_loc, level_label};
use crate::check::level_course::{LevelSource, RejectedAt};
use crate::model::cell::CellRef;
use crate::model::finding::{Code, Finding, Location};
use crate::model::project::{Input, Project};
use crate::model::rules::LevelId;
use crate::model::value::format_date;
use crate::text::fold;
use crate::text::{Text, t};
use chrono::NaiveDate;

/// Requirement IDs for messages: `F12, G5`.
pub fn id_list(ctx: &Context<'_>, indices: &[usize]) -> String {
    indices.iter().map(|i| ctx.rules.requirements[*i].id.as_str()).collect::<Vec<_>>().join(", ")
}

/// Which record says a level, in words: "sekretariatets register, Placeringer række 3".
pub fn source_text(source: LevelSource) -> Text {
    match source {
        LevelSource::Register { row } => {
            t!("sekretariatets register, Placeringer række {row}", "the secretariat's register, Placeringer row {row}")
        }
        LevelSource::Log { row } => {
            t!(
                "bestyrelsens beslutningslog, Beslutninger række {row}",
                "the board's decision log, Beslutninger row {row}"
            )
        }
        LevelSource::Declared => t!("projektarkets Niveau", "the projektark's Niveau"),
        LevelSource::Previous => t!("niveauet ved sidste kørsel", "the level at the last run"),
        LevelSource::Historik { row } => {
            let n = row + 1;
            t!("projektarkets Historik række {n}", "the projektark's Historik row {n}")
        }
    }
}

pub fn check(ctx: &Context<'_>, project: &Project, assessment: &Assessment, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let process = &assessment.process;
    records(ctx, project, assessment, out);
    // Every rule judges at the level in force (the register and the log; else declared).
    let Some(level) = process.in_force.or(declared(project)) else {
        return;
    };
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
                        "Projektet er placeret på {declared_label}, men {red_da}. Opfyld kravene – eller forklar en afvigelse, så sekretariatet kan vurdere den. {rec_da}",
                        "The project is placed at {declared_label}, but {red_en}. Meet the requirements – or explain a deviation for the secretariat to assess. {rec_en}"
                    ),
                    (true, false) => t!(
                        "Projektet er placeret på {declared_label}, men {wait_da}. Når sekretariatet har vurderet den, tæller vurderingen.",
                        "The project is placed at {declared_label}, but {wait_en}. Once the secretariat has assessed it, the assessment counts."
                    ),
                    (false, false) => t!(
                        "Projektet er placeret på {declared_label}, men {red_da}, og {wait_da}. Opfyld kravene. {rec_da}",
                        "The project is placed at {declared_label}, but {red_en}, and {wait_en}. Meet the requirements. {rec_en}"
                    ),
                };
                out.push(Finding::new(Code::LevelBelowDeclared, at.clone(), message));
            }
        }
    }
    // The level's minimum number of organisations applies from Koncept: an idea is one
    // organisation's until the secretariat has helped shape it into a concept.
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
    not_placed(ctx, project, assessment, level, out);
    let now = &rules.level(level).code;
    if let Some(prev) = ctx.previous.and_then(|p| p.in_force_level.as_deref().or(p.declared_level.as_deref()))
        && fold(prev) != fold(now)
    {
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

/// The secretariat places each project on a level when the idea becomes a concept: a
/// counted Placeringer row in its register. A folder without any placement in the register
/// yet is judged by the projektark's 'Niveau placeret (dato)', as before the register.
fn not_placed(ctx: &Context<'_>, project: &Project, assessment: &Assessment, level: LevelId, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let process = &assessment.process;
    let past_idea = process.effective.is_some_and(|p| p != rules.first_phase());
    let closed = project.fields.phase.given() == Some(&rules.key.closed);
    if !past_idea || closed {
        return;
    }
    let label = level_label(rules, level);
    let register_kept = ctx.register.placements.iter().any(|p| p.counts());
    if register_kept {
        let placed = project.id().is_some_and(|id| !ctx.register.placements_for(id).is_empty());
        if !placed {
            let id = project.id().unwrap_or_default();
            out.push(Finding::new(
                Code::LevelNotPlaced,
                field_loc(project, &project.fields.level_placed),
                t!(
                    "Projektet er forbi Idé, men sekretariatets register (fanen Placeringer) har ingen placering af {id}. Sekretariatet: skriv dato, niveau ({label}) og hvem der placerede projektet i registeret.",
                    "The project is past Idé, but the secretariat's register (the Placeringer sheet) has no placement of {id}. Secretariat: enter the date, the level ({label}) and who placed the project in the register."
                ),
            ));
        }
        return;
    }
    let placed = project.fields.level_placed.given().is_some();
    if !placed && project.fields.level_placed.value.is_blank() {
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
                "Projektet er forbi Idé, men det står ikke, hvornår sekretariatet placerede det på {label}. {what_da}.",
                "The project is past Idé, but it does not say when the secretariat placed it at {label}. {what_en}."
            ),
        ));
    }
}

/// The level's records: a change away from a level the board approves that the board did
/// not decide (for the secretariat); the lead's Niveau and Historik.Niveau against the
/// level in force; the placement date the projektark shows.
fn records(ctx: &Context<'_>, project: &Project, assessment: &Assessment, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let course = &assessment.process.course;
    let id = project.id().unwrap_or_default();
    for r in &course.rejected {
        let (from, to) = (level_label(rules, r.from), level_label(rules, r.to));
        let when = r.date.map(format_date).unwrap_or_default();
        let by = match r.by {
            Some(crate::model::choice::Decider::Bestyrelse) => {
                t!(" (Placeret af: Bestyrelse)", " (Placeret af: Bestyrelse)")
            }
            _ => Text::default(),
        };
        let (bda, ben) = (&by.da, &by.en);
        let (at, message) = match r.at {
            RejectedAt::Register { row } => (
                Location::cell(crate::model::register::PLACEMENTS, CellRef::new(row - 1, 2)),
                t!(
                    "Placeringer række {row}: {id} er sænket fra {from} til {to} {when}{bda}, men bestyrelsens beslutningslog har ingen beslutning om niveauet den dag. Et skift væk fra {from} er bestyrelsens beslutning: projektet vurderes fortsat på {from}, indtil bestyrelsen har besluttet det (log det som Type Niveau med Niveau {to} på mødets dato).",
                    "Placeringer row {row}: {id} was lowered from {from} to {to} on {when}{ben}, but the board's decision log has no decision on the level that day. A change away from {from} is the board's decision: the project is still judged at {from} until the board has decided it (log it as Type Niveau with Niveau {to} on the meeting's date)."
                ),
            ),
            RejectedAt::Declared => (
                field_loc(project, &project.fields.level),
                t!(
                    "Niveau er ændret fra {from} til {to}, men hverken sekretariatets register eller bestyrelsens beslutningslog har en beslutning om det. Et skift væk fra {from} er bestyrelsens beslutning: projektet vurderes fortsat på {from}, indtil bestyrelsen har besluttet det.",
                    "Niveau was changed from {from} to {to}, but neither the secretariat's register nor the board's decision log has a decision on it. A change away from {from} is the board's decision: the project is still judged at {from} until the board has decided it."
                ),
            ),
        };
        out.push(Finding::new(Code::LevelPlacementUnauthorised, at, message));
    }
    // The lead's Niveau against the level in force (not when it names the rejected change:
    // the secretariat's change is the finding then).
    if let (Some(d), Some((now, source))) = (declared(project), course.at(ctx.as_of))
        && d != now
        && !course.rejected.iter().any(|r| r.to == d)
        && matches!(source, LevelSource::Register { .. } | LevelSource::Log { .. })
    {
        let (dl, nl) = (level_label(rules, d), level_label(rules, now));
        let since = course.placed_since(ctx.as_of).map(format_date);
        let (sda, sen) = match &since {
            Some(s) => (format!(" fra {s}"), format!(" from {s}")),
            None => (String::new(), String::new()),
        };
        let src = source_text(source);
        let (rda, ren) = (&src.da, &src.en);
        let code = &rules.level(now).code;
        out.push(Finding::new(
            Code::LevelDeclaredMismatch,
            field_loc(project, &project.fields.level),
            t!(
                "Niveau er {dl}, men projektet er placeret på {nl}{sda} ({rda}). Skriv {code} – eller bed sekretariatet om at få niveauet ændret.",
                "Niveau is {dl}, but the project is placed at {nl}{sen} ({ren}). Enter {code} – or ask the secretariat to have the level changed."
            ),
        ));
    }
    // Historik.Niveau on steps from the cut-over is checked, not believed.
    if course.log_from.is_some() {
        for step in &project.history {
            let (Input::Given(date), Input::Given(typed)) = (&step.date, &step.level) else {
                continue;
            };
            if course.believes_historik(Some(*date)) {
                continue;
            }
            let Some((then, source)) = course.at(*date) else { continue };
            if *typed == then {
                continue;
            }
            let (n, tl, hl, d) =
                (step.row + 1, level_label(rules, then), level_label(rules, *typed), format_date(*date));
            let src = source_text(source);
            let (rda, ren) = (&src.da, &src.en);
            out.push(Finding::new(
                Code::LevelHistoryMismatch,
                cell_loc(project, Sheet::Historik, step.row, "Niveau"),
                t!(
                    "Historik række {n}: Niveau {hl}, men projektet var på {tl} den {d} ({rda}). Skiftet vurderes på {tl}; ret Niveau, eller bed sekretariatet rette registeret, hvis det er forkert.",
                    "Historik row {n}: Niveau {hl}, but the project was at {tl} on {d} ({ren}). The step is judged at {tl}; fix Niveau, or ask the secretariat to fix the register if it is wrong."
                ),
            ));
        }
    }
    placement_shown(ctx, project, course.placed_since(ctx.as_of), course.at(ctx.as_of), out);
}

/// 'Niveau placeret (dato)' is the register's display: a date that differs from the start
/// of the placement in force is said, never used.
fn placement_shown(
    ctx: &Context<'_>,
    project: &Project,
    since: Option<NaiveDate>,
    now: Option<(LevelId, LevelSource)>,
    out: &mut Vec<Finding>,
) {
    let (Some(since), Some((level, source))) = (since, now) else { return };
    if !matches!(source, LevelSource::Register { .. } | LevelSource::Log { .. }) {
        return;
    }
    let Some(shown) = project.fields.level_placed.given() else { return };
    if *shown == since {
        return;
    }
    let (s, p, l) = (format_date(*shown), format_date(since), level_label(ctx.rules, level));
    let src = source_text(source);
    let (rda, ren) = (&src.da, &src.en);
    out.push(Finding::new(
        Code::LevelPlacementDiffers,
        field_loc(project, &project.fields.level_placed),
        t!(
            "'Niveau placeret (dato)' siger {s}, men projektet er placeret på {l} fra {p} ({rda}). Datoen i projektarket bruges ikke; skriv {p}, eller bed sekretariatet rette registeret, hvis det er forkert.",
            "'Niveau placeret (dato)' says {s}, but the project is placed at {l} from {p} ({ren}). The date in the projektark is not used; enter {p}, or ask the secretariat to fix the register if it is wrong."
        ),
    ));
}

#[cfg(test)]
mod tests;
