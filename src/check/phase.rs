//! Process rules: every Historik step against Overgange for the project's level (allowed,
//! decided by the right body, with a reason where one is required), the history's
//! consistency, board approval and orientation, and phase changes since the previous run.

use crate::check::crosscheck::board_approval_in_history;
use crate::check::{Context, Sheet, cell_loc, current_phase, declared, field_loc, level_label};
use crate::finding::{Code, Finding};
use crate::model::choice::BoardRole;
use crate::model::project::{Input, Project};
use crate::model::value::format_date;
use crate::rules::{LevelId, PhaseId, Rules};
use crate::t;
use crate::text::Lang;

fn allowed_from(rules: &Rules, from: PhaseId, level: LevelId) -> String {
    let mut names: Vec<&str> = rules
        .transitions
        .iter()
        .filter(|t| (t.from == Some(from) || t.from.is_none()) && t.levels.contains(level))
        .map(|t| rules.phase(t.to).name.as_str())
        .collect();
    names.dedup();
    if names.is_empty() { "ingen / none".to_string() } else { names.join(", ") }
}

pub fn check(ctx: &Context<'_>, project: &Project, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let level = declared(project);
    let phase = current_phase(project);
    let board_review = rules.key.board_review;
    let needs_approval = level.map(|l| rules.level(l).board == BoardRole::Godkendelse);

    if project.sheets.historik.is_some() {
        steps(ctx, project, level, out);
    }

    // A level without board approval that went to the board anyway: noted, not an error.
    let went_to_board =
        phase == Some(board_review) || project.history.iter().any(|s| s.to == Input::Given(board_review));
    if needs_approval == Some(false) && went_to_board {
        let label = level.map(|l| level_label(rules, l)).unwrap_or_default();
        out.push(Finding::new(
            Code::PhaseBoardNotRequired,
            field_loc(project, &project.fields.phase),
            t!(
                "Projektet på {label} har været til bestyrelsesbehandling, selv om niveauet ikke kræver godkendelse. Det er tilladt; trinene til og fra bestyrelsen regnes som gyldige.",
                "The project at {label} went to the board although its level needs no approval. That is allowed; the steps to and from the board count as valid."
            ),
        ));
    }

    let (Some(level), Some(phase)) = (level, phase) else {
        return;
    };
    let order = |p: PhaseId| rules.phase(p).order;
    let label = level_label(rules, level);
    let phase_name = &rules.phase(phase).name;
    match rules.level(level).board {
        BoardRole::Godkendelse => {
            let approved = project.fields.board_approved.given().is_some() || board_approval_in_history(ctx, project);
            if order(phase) >= order(rules.key.started) && !approved {
                out.push(Finding::new(
                    Code::PhaseBoardApprovalMissing,
                    field_loc(project, &project.fields.board_approved),
                    t!(
                        "Projektet er på {label} og i fasen {phase_name}, men der er ingen bestyrelsesgodkendelse. Skriv datoen i 'Bestyrelse godkendt (dato)', eller registrér godkendelsen i Historik (Bestyrelsesbehandling → Igangsat, besluttet af Bestyrelse).",
                        "The project is at {label} and in the phase {phase_name}, but no board approval is recorded. Enter the date in 'Bestyrelse godkendt (dato)', or record the approval in Historik (Bestyrelsesbehandling → Igangsat, decided by Bestyrelse)."
                    ),
                ));
            }
        }
        BoardRole::Orientering => {
            if order(phase) > order(rules.key.concept) && project.fields.board_informed.given().is_none() {
                out.push(Finding::new(
                    Code::PhaseBoardOrientationMissing,
                    field_loc(project, &project.fields.board_informed),
                    t!(
                        "Projektet er på {label} og forbi Koncept, men der er ingen dato for orientering af bestyrelsen. Skriv datoen i 'Bestyrelse orienteret (dato)', eller bed sekretariatet sætte projektet på næste møde.",
                        "The project is at {label} and past Koncept, but there is no date for informing the board. Enter it in 'Bestyrelse orienteret (dato)', or ask the secretariat to put the project on the next meeting."
                    ),
                ));
            }
        }
        BoardRole::Ingen => {}
    }

    if let Some(prev_name) = ctx.previous.and_then(|p| p.phase.as_deref())
        && let Some(prev) = rules.find_phase(prev_name)
        && prev != phase
        && !logged(project, prev, phase)
    {
        let (prev_name, now) = (&rules.phase(prev).name, phase_name);
        out.push(Finding::new(
            Code::PhaseChangedUnlogged,
            field_loc(project, &project.fields.phase),
            t!(
                "Fasen er skiftet fra {prev_name} til {now} siden sidste kørsel, men skiftet står ikke i Historik. Tilføj en række med dato, Fra = {prev_name}, Til = {now}, beslutter og reference.",
                "The phase changed from {prev_name} to {now} since the last run, but the change is not in Historik. Add a row with date, Fra = {prev_name}, Til = {now}, decider and reference."
            ),
        ));
    }
}

/// True when the history explains getting from `prev` to `now`: a step leaving `prev`
/// followed (or itself) by a step arriving at `now`.
fn logged(project: &Project, prev: PhaseId, now: PhaseId) -> bool {
    let leave = project.history.iter().position(|s| s.from == Input::Given(prev));
    match leave {
        Some(i) => project.history[i..].iter().any(|s| s.to == Input::Given(now)),
        None => false,
    }
}

fn steps(ctx: &Context<'_>, project: &Project, level: Option<LevelId>, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let loc = |row: u32, col: &str| cell_loc(project, Sheet::Historik, row, col);
    let board_optional = level.map(|l| rules.level(l).board != BoardRole::Godkendelse).unwrap_or(false);
    let mut previous: Option<&crate::model::project::HistoryStep> = None;
    for step in &project.history {
        let n = step.row + 1;
        if let (Some(prev), Input::Given(from)) = (previous, &step.from)
            && let Input::Given(prev_to) = &prev.to
            && prev_to != from
        {
            let (a, b, pn) = (&rules.phase(*prev_to).name, &rules.phase(*from).name, prev.row + 1);
            out.push(Finding::new(
                Code::PhaseHistoryInconsistent,
                loc(step.row, "Fra"),
                t!(
                    "Historik række {n}: Fra er {b}, men række {pn} sluttede i {a}. Hvert skift skal starte, hvor det forrige sluttede; tilføj det manglende skift eller ret fasen.",
                    "Historik row {n}: Fra is {b}, but row {pn} ended in {a}. Each change must start where the previous one ended; add the missing change or fix the phase."
                ),
            ));
        }
        if let (Some(prev), Input::Given(date)) = (previous, &step.date)
            && let Input::Given(prev_date) = &prev.date
            && date < prev_date
        {
            let (d, pd, pn) = (format_date(*date), format_date(*prev_date), prev.row + 1);
            out.push(Finding::new(
                Code::PhaseHistoryInconsistent,
                loc(step.row, "Dato"),
                t!(
                    "Historik række {n}: datoen {d} ligger før række {pn} ({pd}). Skriv skiftene i rækkefølge med det ældste først, og ret datoen, hvis den er forkert.",
                    "Historik row {n}: the date {d} is before row {pn} ({pd}). List the changes oldest first, and fix the date if it is wrong."
                ),
            ));
        }
        previous = Some(step);

        let (Input::Given(from), Input::Given(to), Some(level)) = (&step.from, &step.to, level) else {
            continue;
        };
        let (from_name, to_name) = (&rules.phase(*from).name, &rules.phase(*to).name);
        let transition = match rules.transition(*from, *to, level) {
            Some(t) => t,
            None => {
                let via_board = *from == rules.key.board_review || *to == rules.key.board_review;
                match rules.transition_any_level(*from, *to) {
                    Some(t) if board_optional && via_board => t,
                    _ => {
                        let (label, allowed) = (level_label(rules, level), allowed_from(rules, *from, level));
                        out.push(Finding::new(
                            Code::PhaseTransitionNotAllowed,
                            loc(step.row, "Til"),
                            t!(
                                "Historik række {n}: skiftet {from_name} → {to_name} er ikke tilladt på {label}. Fra {from_name} kan projektet gå til: {allowed}. Ret rækken, eller tilføj de mellemliggende skift.",
                                "Historik row {n}: the change {from_name} → {to_name} is not allowed at {label}. From {from_name} the project may go to: {allowed}. Fix the row, or add the changes in between."
                            ),
                        ));
                        continue;
                    }
                }
            }
        };
        if let Input::Given(decider) = &step.decider
            && *decider != transition.decider
        {
            let (got, want) = (decider.da(), transition.decider.da());
            let (got_en, want_en) = (decider.label(Lang::En), transition.decider.label(Lang::En));
            out.push(Finding::new(
                Code::PhaseDeciderWrong,
                loc(step.row, "Beslutter"),
                t!(
                    "Historik række {n}: skiftet {from_name} → {to_name} skal besluttes af {want}, men {got} står som beslutter. Få beslutningen truffet af {want}, eller ret beslutteren.",
                    "Historik row {n}: the change {from_name} → {to_name} must be decided by {want_en}, but {got_en} is given. Have {want_en} take the decision, or fix the decider."
                ),
            ));
        }
        if transition.reason_required && step.reason.as_deref().and_then(|r| rules.find_reason(r)).is_none() {
            let codes = rules.reasons.iter().map(|r| r.code.as_str()).collect::<Vec<_>>().join(", ");
            let given =
                step.reason.as_deref().map(|r| format!(" ('{r}' kendes ikke / is unknown)")).unwrap_or_default();
            out.push(Finding::new(
                Code::PhaseReasonMissing,
                loc(step.row, "Årsag"),
                t!(
                    "Historik række {n}: skiftet {from_name} → {to_name} kræver en årsag{given}. Vælg en af: {codes}.",
                    "Historik row {n}: the change {from_name} → {to_name} needs a reason{given}. Choose one of: {codes}."
                ),
            ));
        } else if let Some(reason) = step.reason.as_deref()
            && rules.find_reason(reason).is_none()
        {
            let codes = rules.reasons.iter().map(|r| r.code.as_str()).collect::<Vec<_>>().join(", ");
            out.push(Finding::new(
                Code::InputValueInvalid,
                loc(step.row, "Årsag"),
                t!(
                    "Historik række {n}: årsagen '{reason}' findes ikke i styringsmodellen. Vælg en af: {codes}, eller lad feltet stå tomt.",
                    "Historik row {n}: the reason '{reason}' is not in the styringsmodel. Choose one of: {codes}, or leave it empty."
                ),
            ));
        }
    }
    if let (Some(last), Input::Given(phase)) = (project.history.last(), &project.fields.phase.value)
        && let Input::Given(last_to) = &last.to
        && last_to != phase
    {
        let (a, b, n) = (&rules.phase(*last_to).name, &rules.phase(*phase).name, last.row + 1);
        out.push(Finding::new(
            Code::PhaseHistoryInconsistent,
            field_loc(project, &project.fields.phase),
            t!(
                "Fasen i fanen Projekt er {b}, men det seneste skift i Historik (række {n}) endte i {a}. Tilføj det manglende skift i Historik, eller ret Fase.",
                "The phase in the Projekt sheet is {b}, but the latest change in Historik (row {n}) ended in {a}. Add the missing change to Historik, or fix Fase."
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{P, rules};
    use crate::finding::Code;
    use crate::model::choice::Decider;
    use crate::model::project::Input;

    fn phase(name: &str) -> Input<crate::rules::PhaseId> {
        Input::Given(rules().find_phase(name).unwrap())
    }

    #[test]
    fn clean_histories_for_every_level_and_phase() {
        for level in ["SB", "N1", "N2", "N3"] {
            for ph in ["Idé", "Koncept", "Igangsat", "Implementering", "Produkt", "Pauseret", "Udfaset"] {
                let p = P::new(level, ph);
                assert_eq!(p.codes(), vec![], "{level} {ph}: {:#?}", p.findings());
            }
        }
    }

    #[test]
    fn a_step_not_in_overgange() {
        // N2 may not go straight from Koncept to Igangsat: it must pass the board.
        let p = P::new("N2", "Igangsat").with(|p| {
            p.history.retain(|s| s.to != phase("Bestyrelsesbehandling"));
            let last = p.history.last_mut().unwrap();
            last.from = phase("Koncept");
        });
        p.has(Code::PhaseTransitionNotAllowed);
        P::new("N1", "Igangsat").lacks(Code::PhaseTransitionNotAllowed);
    }

    #[test]
    fn the_wrong_decider() {
        let p = P::new("N2", "Igangsat")
            .with(|p| p.history.last_mut().unwrap().decider = Input::Given(Decider::Sekretariat));
        assert_eq!(p.at(Code::PhaseDeciderWrong), ["Historik!D4"]);
        P::new("N2", "Igangsat").lacks(Code::PhaseDeciderWrong);
    }

    #[test]
    fn a_backflow_without_a_known_reason() {
        let backflow = |reason: Option<&str>| {
            P::new("N2", "Koncept").with(move |p| {
                let n = p.history.len() as u32;
                let date = p.history.last().unwrap().date.clone();
                p.history.push(crate::model::project::HistoryStep {
                    row: n + 1,
                    date: date.clone(),
                    from: phase("Koncept"),
                    to: phase("Bestyrelsesbehandling"),
                    decider: Input::Given(Decider::Sekretariat),
                    reference: None,
                    reason: None,
                    note: None,
                });
                p.history.push(crate::model::project::HistoryStep {
                    row: n + 2,
                    date,
                    from: phase("Bestyrelsesbehandling"),
                    to: phase("Koncept"),
                    decider: Input::Given(Decider::Bestyrelse),
                    reference: Some("Bestyrelsesmøde".into()),
                    reason: reason.map(str::to_string),
                    note: None,
                });
            })
        };
        backflow(None).has(Code::PhaseReasonMissing);
        backflow(Some("SJOV")).has(Code::PhaseReasonMissing);
        backflow(Some("udbud")).lacks(Code::PhaseReasonMissing).lacks(Code::PhaseHistoryInconsistent);
    }

    #[test]
    fn an_unknown_reason_where_none_is_needed_is_an_invalid_value() {
        P::new("N1", "Igangsat").with(|p| p.history[0].reason = Some("HVAD".into())).has(Code::InputValueInvalid);
    }

    #[test]
    fn history_must_chain_ascend_and_end_in_the_phase() {
        P::new("N1", "Implementering").with(|p| p.history[1].from = phase("Idé")).has(Code::PhaseHistoryInconsistent);
        P::new("N1", "Implementering").with(|p| p.history.swap(0, 1)).has(Code::PhaseHistoryInconsistent);
        let p = P::new("N1", "Implementering").with(|p| p.fields.phase.value = phase("Produkt"));
        assert_eq!(p.at(Code::PhaseHistoryInconsistent), ["Projekt!B9"]);
        // Same-day steps are fine (near miss).
        P::new("N1", "Implementering")
            .with(|p| {
                let d = p.history[0].date.clone();
                p.history[1].date = d;
            })
            .lacks(Code::PhaseHistoryInconsistent);
    }

    #[test]
    fn board_approval_is_needed_from_igangsat_at_n2() {
        let no_approval = |p: &mut crate::model::project::Project| {
            p.fields.board_approved.value = Input::Blank;
            for s in &mut p.history {
                if s.decider == Input::Given(Decider::Bestyrelse) {
                    s.decider = Input::Given(Decider::Sekretariat);
                }
            }
        };
        P::new("N2", "Igangsat").with(no_approval).has(Code::PhaseBoardApprovalMissing);
        P::new("N2", "Koncept").with(no_approval).lacks(Code::PhaseBoardApprovalMissing);
        // The date alone is enough.
        P::new("N2", "Igangsat")
            .with(|p| {
                for s in &mut p.history {
                    if s.decider == Input::Given(Decider::Bestyrelse) {
                        s.decider = Input::Given(Decider::Sekretariat);
                    }
                }
            })
            .lacks(Code::PhaseBoardApprovalMissing);
    }

    #[test]
    fn board_orientation_is_expected_past_koncept_at_n1() {
        let p = P::new("N1", "Igangsat").with(|p| p.fields.board_informed.value = Input::Blank);
        assert_eq!(p.at(Code::PhaseBoardOrientationMissing), ["Projekt!B13"]);
        P::new("N1", "Koncept")
            .with(|p| p.fields.board_informed.value = Input::Blank)
            .lacks(Code::PhaseBoardOrientationMissing);
    }

    #[test]
    fn a_level_one_project_at_the_board_is_noted_not_refused() {
        let p = P::new("N1", "Igangsat").with(|p| {
            // Koncept → Bestyrelsesbehandling → Igangsat instead of Koncept → Igangsat.
            let last = p.history.pop().unwrap();
            let mut to_board = last.clone();
            to_board.to = phase("Bestyrelsesbehandling");
            let mut from_board = last;
            from_board.row += 1;
            from_board.from = phase("Bestyrelsesbehandling");
            from_board.decider = Input::Given(Decider::Bestyrelse);
            p.history.push(to_board);
            p.history.push(from_board);
        });
        p.has(Code::PhaseBoardNotRequired).lacks(Code::PhaseTransitionNotAllowed);
        P::new("N2", "Igangsat").lacks(Code::PhaseBoardNotRequired);
    }

    #[test]
    fn phase_changed_since_last_run() {
        // Previous run: Igangsat; now Implementering, and the step is in Historik.
        P::new("N1", "Implementering").previous("N1", "Igangsat").lacks(Code::PhaseChangedUnlogged);
        // The same change without the step.
        P::new("N1", "Implementering")
            .previous("N1", "Igangsat")
            .with(|p| {
                p.history.pop();
            })
            .has(Code::PhaseChangedUnlogged);
        P::new("N1", "Implementering").previous("N1", "Implementering").lacks(Code::PhaseChangedUnlogged);
    }
}
