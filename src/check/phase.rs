//! Process rules: every Historik step against Overgange for the level in force at the step
//! (allowed, decided by the right body, with a reason – and a note where the reason needs
//! one), the history's consistency, pauses that resume where they left, the board gate
//! for levels needing approval (recorded, on time, renewed after a backflow, on a known
//! meeting date), orientation, Type against Fase, and phase changes since the last run.

use crate::check::context::{Context, Sheet, cell_loc, field_loc, level_label};
use crate::check::process::{ApprovalSource, Gate, Process};
use crate::check::records::{ClaimSource, FactKind, Judged};
use crate::model::cell::CellRef;
use crate::model::choice::{BoardRole, Decider, ProjectKind};
use crate::model::finding::{Code, Finding, Location, Severity};
use crate::model::project::{HistoryStep, Input, Project};
use crate::model::rules::{LevelId, PhaseId, Rules};
use crate::model::value::format_date;
use crate::text::Lang;
use crate::text::t;

fn allowed_from(rules: &Rules, from: PhaseId, level: LevelId) -> String {
    let mut names: Vec<&str> = Vec::new();
    for t in rules.transitions.iter().filter(|t| (t.from == Some(from) || t.from.is_none()) && t.levels.contains(level))
    {
        // An exact row hides the `*` row to the same phase; list each target once.
        let name = rules.phase(t.to).name.as_str();
        if !names.contains(&name) && rules.transition(from, t.to, level).is_some() {
            names.push(name);
        }
    }
    if names.is_empty() { "ingen / none".to_string() } else { names.join(", ") }
}

fn deciders_text(deciders: &[Decider], lang: Lang) -> String {
    let names: Vec<&str> = deciders.iter().map(|d| d.label(lang)).collect();
    match names.len() {
        0 => String::new(),
        1 => names[0].to_string(),
        n => format!("{} {} {}", names[..n - 1].join(", "), lang.pick("eller", "or"), names[n - 1]),
    }
}

pub fn check(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    // Every rule judges at the level in force (the register and the log; else declared).
    let level = process.level_now(ctx.as_of);
    let phase = project.fields.phase.given().copied();

    if project.sheets.historik.is_some() {
        steps(ctx, project, process, out);
        resumes(rules, project, process, out);
        history_missing(rules, project, level, out);
    }
    board_not_required(rules, project, process, level, out);
    board_gate(ctx, project, process, level, out);
    approval_date_known(rules, project, process, out);
    type_against_phase(rules, project, process, out);

    let (Some(level), Some(phase)) = (level, phase) else {
        return;
    };
    let label = level_label(rules, level);
    if rules.level(level).board == BoardRole::Orientering
        && process.effective.is_some_and(|p| rules.phase(p).order > rules.phase(rules.key.concept).order)
        && project.fields.board_informed.given().is_none()
    {
        out.push(Finding::new(
            Code::PhaseBoardOrientationMissing,
            field_loc(project, &project.fields.board_informed),
            t!(
                "Projektet er på {label} og forbi Koncept, men der er ingen dato for orientering af bestyrelsen. Skriv datoen i 'Bestyrelse orienteret (dato)', eller bed sekretariatet sætte projektet på næste møde.",
                "The project is at {label} and past Koncept, but there is no date for informing the board. Enter it in 'Bestyrelse orienteret (dato)', or ask the secretariat to put the project on the next meeting."
            ),
        ));
    }

    if let Some(prev_name) = ctx.previous.and_then(|p| p.phase.as_deref())
        && let Some(prev) = rules.find_phase(prev_name)
        && prev != phase
        && !logged(project, prev, phase)
    {
        let (prev_name, now) = (&rules.phase(prev).name, &rules.phase(phase).name);
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

/// A level without board approval that went to the board anyway: noted, not an error.
fn board_not_required(
    rules: &Rules,
    project: &Project,
    process: &Process,
    level: Option<LevelId>,
    out: &mut Vec<Finding>,
) {
    let board_review = rules.key.board_review;
    let optional = |l: Option<LevelId>| l.is_some_and(|l| rules.level(l).board != BoardRole::Godkendelse);
    let via_history = project
        .history
        .iter()
        .any(|s| s.to == Input::Given(board_review) && optional(process.course.at_step(project, s)));
    let now = project.fields.phase.given() == Some(&board_review) && optional(level);
    if !(via_history || now) {
        return;
    }
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

/// Where an approval is written: the field's cell or the Historik step's date.
fn approval_loc(project: &Project, source: ApprovalSource) -> Location {
    match source {
        ApprovalSource::Field | ApprovalSource::Log(_) => field_loc(project, &project.fields.board_approved),
        ApprovalSource::Step(row) => cell_loc(project, Sheet::Historik, row, "Dato"),
    }
}

/// The board gate for levels whose Bestyrelse is Godkendelse: an approval recorded (from
/// the cut-over: in the decision log), valid for the level in force (dated on or after the
/// placement at it), on or before each start, and renewed after a backflow out of
/// Igangsat/Implementering.
fn board_gate(ctx: &Context<'_>, project: &Project, process: &Process, level: Option<LevelId>, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let needs_now = level.is_some_and(|l| rules.level(l).board == BoardRole::Godkendelse) && process.started(rules);
    let hist = |row: u32, col: &str| cell_loc(project, Sheet::Historik, row, col);
    if process.unverifiable {
        if needs_now || process.starts.iter().any(|s| s.gate == Some(Gate::Unverifiable)) {
            out.push(Finding::new(
                Code::PhaseBoardApprovalUnmatched,
                field_loc(project, &project.fields.board_approved),
                t!(
                    "Godkendelsesdatoen kan ikke læses, så det kan ikke efterprøves, at bestyrelsen godkendte projektet, før det blev igangsat. Sekretariatet: tjek datoen mod referatet; projektet: skriv datoen som dd-mm-åååå.",
                    "The approval date cannot be read, so it cannot be verified that the board approved the project before it started. Secretariat: check the date against the minutes; project: write the date as dd-mm-yyyy."
                ),
            ));
        }
        return;
    }
    let missing_start = process.starts.iter().find(|s| s.gate == Some(Gate::Missing));
    let missing_now = needs_now && process.approval_now.is_none();
    if missing_now || missing_start.is_some() {
        let at = match missing_start {
            Some(s) if !missing_now => hist(s.row, "Til"),
            _ => field_loc(project, &project.fields.board_approved),
        };
        let l = if missing_now { level } else { missing_start.map(|s| s.level) };
        let label = l.map(|l| level_label(rules, l)).unwrap_or_default();
        let phase_name = if missing_now {
            process.effective.map(|p| rules.phase(p).name.clone()).unwrap_or_default()
        } else {
            rules.phase(rules.key.started).name.clone()
        };
        let mut message = t!(
            "Projektet er på {label} og har været i fasen {phase_name}, men der er ingen bestyrelsesgodkendelse. På {label} skal bestyrelsen godkende konceptet, før projektet igangsættes: skriv godkendelsen i Historik (Bestyrelsesbehandling → Igangsat, besluttet af Bestyrelse) og datoen i 'Bestyrelse godkendt (dato)' – eller få projektet behandlet på næste bestyrelsesmøde.",
            "The project is at {label} and has been in the phase {phase_name}, but no board approval is recorded. At {label} the board must approve the concept before the project starts: record the approval in Historik (Bestyrelsesbehandling → Igangsat, decided by Bestyrelse) and its date in 'Bestyrelse godkendt (dato)' – or have the project treated at the next board meeting."
        );
        if let Some(row) = process.field_is_other_decision
            && let Some(step) = project.history.iter().find(|s| s.row == row)
            && let (Input::Given(from), Input::Given(to)) = (&step.from, &step.to)
        {
            let (n, from, to) = (row + 1, &rules.phase(*from).name, &rules.phase(*to).name);
            let d = project.fields.board_approved.given().map(|d| format_date(*d)).unwrap_or_default();
            message = message.then(&t!(
                "Datoen {d} i 'Bestyrelse godkendt (dato)' er bestyrelsens beslutning {from} → {to} i Historik række {n} – ikke en godkendelse af igangsættelsen.",
                "The date {d} in 'Bestyrelse godkendt (dato)' is the board's decision {from} → {to} in Historik row {n} – not an approval of the start."
            ));
        }
        // An approval before the placement at the level does not count for it.
        let placed = if missing_now {
            process.placed_since_now
        } else {
            missing_start.and_then(|s| s.bound).and_then(|(d, _)| process.course.placed_since(d))
        };
        if let Some(placed) = placed
            && let Some(old) = process.approvals.iter().filter(|a| a.date < placed).max_by_key(|a| a.date)
        {
            let (a, p) = (format_date(old.date), format_date(placed));
            message = message.then(&t!(
                "Bestyrelsens godkendelse {a} ligger før placeringen på {label} {p} og gælder ikke for {label}.",
                "The board's approval of {a} lies before the placement at {label} on {p} and does not count for {label}."
            ));
        }
        // A claimed approval the log lacks is said with DECISION-NOT-LOGGED.
        let unlogged: Vec<String> = process
            .claims
            .iter()
            .filter(|(c, j)| c.kind == FactKind::Approval && c.conferring && matches!(j, Judged::Unsupported { .. }))
            .filter_map(|(c, _)| c.date.given().map(|d| format_date(*d)))
            .collect();
        if !unlogged.is_empty() {
            let dates = unlogged.join(", ");
            message = message.then(&t!(
                "Godkendelsen {dates}, som projektarket angiver, står ikke i bestyrelsens beslutningslog og tæller ikke.",
                "The approval of {dates} that the projektark gives is not in the board's decision log and does not count."
            ));
        }
        out.push(Finding::new(Code::PhaseBoardApprovalMissing, at, message));
    }
    let mut late_reported: Vec<ApprovalSource> = Vec::new();
    let late = process.starts.iter().filter_map(|s| match s.gate {
        Some(Gate::Late(a)) => Some((a, s)),
        _ => None,
    });
    let late_in_spell =
        process.late.iter().filter_map(|(a, row)| process.starts.iter().find(|s| s.row == *row).map(|s| (*a, s)));
    for (approval, start) in late.chain(late_in_spell) {
        if late_reported.contains(&approval.source) {
            continue;
        }
        late_reported.push(approval.source);
        let n = start.row + 1;
        let d = format_date(approval.date);
        let message = match (start.date, start.bound) {
            (None, Some((bound, row))) => {
                let (when, bn) = (format_date(bound), row + 1);
                t!(
                    "Bestyrelsens godkendelse er dateret {d}, men projektet blev igangsat senest {when} (Historik række {n} har ingen dato; række {bn} er dateret {when}) – før godkendelsen. Et projekt på niveau 2 og 3 må først igangsættes, når bestyrelsen har godkendt det. Skriv datoen for igangsættelsen; er godkendelsens dato forkert, så ret den – ellers skal sagen forelægges bestyrelsen.",
                    "The board's approval is dated {d}, but the project was started no later than {when} (Historik row {n} has no date; row {bn} is dated {when}) – before the approval. A project at levels 2 and 3 may only start once the board has approved it. Enter the date of the start; if the approval's date is wrong, fix it – otherwise the matter must go to the board."
                )
            }
            _ => {
                let when = start.date.map(format_date).unwrap_or_default();
                t!(
                    "Bestyrelsens godkendelse er dateret {d}, men projektet blev igangsat {when} (Historik række {n}) – før godkendelsen. Et projekt på niveau 2 og 3 må først igangsættes, når bestyrelsen har godkendt det. Er datoen forkert, så ret den; ellers skal sagen forelægges bestyrelsen.",
                    "The board's approval is dated {d}, but the project was started on {when} (Historik row {n}) – before the approval. A project at levels 2 and 3 may only start once the board has approved it. If the date is wrong, fix it; otherwise the matter must go to the board."
                )
            }
        };
        out.push(Finding::new(Code::PhaseBoardApprovalLate, approval_loc(project, approval.source), message));
    }
    for start in process.starts.iter().filter(|s| s.gate == Some(Gate::ReapprovalMissing)) {
        let n = start.row + 1;
        let when = start.date.map(format_date).unwrap_or_default();
        let (back_row, back_date) = start.after_backflow.unwrap_or((start.row, None));
        let (bn, bd) = (back_row + 1, back_date.map(format_date).unwrap_or_default());
        out.push(Finding::new(
            Code::PhaseBoardReapprovalMissing,
            hist(start.row, "Til"),
            t!(
                "Historik række {n}: projektet er igangsat igen {when} efter tilbageløbet i række {bn} ({bd}), men uden en ny godkendelse fra bestyrelsen. Efter et tilbageløb fra Igangsat eller Implementering skal konceptet forelægges bestyrelsen igen (Koncept → Bestyrelsesbehandling → Igangsat, besluttet af Bestyrelse).",
                "Historik row {n}: the project was restarted {when} after the backflow in row {bn} ({bd}), but without a new approval from the board. After a backflow from Igangsat or Implementering the concept must go to the board again (Koncept → Bestyrelsesbehandling → Igangsat, decided by Bestyrelse)."
            ),
        ));
    }
}

/// An approval the projektark gives from before the log's cut-over is checked against the
/// calendar – the field and every dated approval step, also when they agree with each
/// other – and the field against Historik. From the cut-over the log decides, and the
/// projektark's dates are compared with it (`DECISION-*`). A date before the first listed
/// meeting is asked about only when the field stands alone (the calendar does not reach
/// back that far; a Historik approval the same day vouches for it).
fn approval_date_known(rules: &Rules, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    if process.field_is_other_decision.is_some() {
        return; // Said with PHASE-BOARD-APPROVAL-MISSING.
    }
    if let Some(row) = process.field_disagrees
        && let Some(date) = project.fields.board_approved.given()
    {
        let (d, n) = (format_date(*date), row + 1);
        let sd = project.history.iter().find(|s| s.row == row).and_then(|s| s.date.given().copied());
        let sd = sd.map(format_date).unwrap_or_default();
        out.push(Finding::new(
            Code::PhaseBoardApprovalUnmatched,
            field_loc(project, &project.fields.board_approved),
            t!(
                "'Bestyrelse godkendt (dato)' siger {d}, men i Historik række {n} godkender bestyrelsen igangsættelsen {sd}. Tjek referatet, og ret den dato, der er forkert.",
                "'Bestyrelse godkendt (dato)' says {d}, but in Historik row {n} the board approves the start on {sd}. Check the minutes and fix the date that is wrong."
            ),
        ));
        return;
    }
    let Some(first_meeting) = rules.meetings.iter().map(|m| m.date).min() else {
        return; // Nothing to compare with; the styringsmodel lists no meetings.
    };
    for (claim, judged) in &process.claims {
        let Input::Given(date) = claim.date else { continue };
        if claim.kind != FactKind::Approval || *judged != Judged::Legacy || rules.is_meeting(date) {
            continue;
        }
        // Before the first listed meeting the calendar cannot say; the field alone (no
        // Historik approval that day) is still asked about.
        let field_alone = claim.sources == [ClaimSource::ApprovalField];
        if date < first_meeting && !field_alone {
            continue;
        }
        let d = format_date(date);
        let mut where_da: Vec<String> = Vec::new();
        let mut where_en: Vec<String> = Vec::new();
        for source in &claim.sources {
            match source {
                ClaimSource::ApprovalField => {
                    where_da.push("'Bestyrelse godkendt (dato)'".into());
                    where_en.push("'Bestyrelse godkendt (dato)'".into());
                }
                ClaimSource::Step(row) => {
                    where_da.push(format!("Historik række {}", row + 1));
                    where_en.push(format!("Historik row {}", row + 1));
                }
                ClaimSource::BudgetRow(_) => {}
            }
        }
        let (wda, wen) = (where_da.join(" og "), where_en.join(" and "));
        out.push(Finding::new(
            Code::PhaseBoardApprovalUnmatched,
            claim.at.clone(),
            t!(
                "Godkendelsesdatoen {d} ({wda}) er ikke et bestyrelsesmøde i styringsmodellens fane Bestyrelsesmøder. Ret datoen til mødets dato efter referatet – eller bed sekretariatet tilføje mødet (fx et ekstraordinært møde) i Bestyrelsesmøder.",
                "The approval date {d} ({wen}) is not a board meeting in the styringsmodel's Bestyrelsesmøder sheet. Change it to the meeting's date from the minutes – or ask the secretariat to add the meeting (e.g. an extraordinary one) to Bestyrelsesmøder."
            ),
        ));
    }
}

/// Pauseret returns only to the phase it left.
fn resumes(rules: &Rules, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    for w in &process.wrong_resumes {
        let (n, left, to) = (w.row + 1, &rules.phase(w.left).name, &rules.phase(w.to).name);
        let paused = project.history.iter().find(|s| s.row == w.row).and_then(|s| s.from.given().copied());
        let paused = paused.map(|p| rules.phase(p).name.clone()).unwrap_or_default();
        out.push(Finding::new(
            Code::PhaseResumeWrong,
            cell_loc(project, Sheet::Historik, w.row, "Til"),
            t!(
                "Historik række {n}: projektet genoptages fra {paused} i {to}, men det forlod {left}, da det blev sat på pause. En pause genoptages i den fase, projektet forlod; et videre skift skal stå som sit eget skift (fx {left} → …) med den rette beslutter.",
                "Historik row {n}: the project resumes from {paused} into {to}, but it left {left} when it was paused. A pause resumes in the phase the project left; a further change must be its own step (e.g. {left} → …) with the right decider."
            ),
        ));
    }
}

/// A Fase past the first phase with an empty Historik: an error past Koncept at a level
/// needing approval (the approval cannot be verified), a warning otherwise.
fn history_missing(rules: &Rules, project: &Project, level: Option<LevelId>, out: &mut Vec<Finding>) {
    let Some(phase) = project.fields.phase.given().copied() else {
        return;
    };
    if !project.history.is_empty() || phase == rules.first_phase() {
        return;
    }
    // A paused or closed project without history may have got anywhere: it counts as past
    // Koncept here (while its requirements are judged by the first phase).
    let past_concept = rules.is_off_line(phase) || rules.phase(phase).order > rules.phase(rules.key.concept).order;
    let approval = level.is_some_and(|l| rules.level(l).board == BoardRole::Godkendelse);
    let phase_name = project.fields.phase.given().map(|p| rules.phase(*p).name.clone()).unwrap_or_default();
    let sheet = project.sheets.historik.as_ref().map(|(n, _)| n.clone()).unwrap_or_default();
    let finding = Finding::new(
        Code::PhaseHistoryMissing,
        Location::cell(sheet, CellRef::new(1, 0)),
        t!(
            "Projektet er i fasen {phase_name}, men fanen Historik er tom. Skriv hvert faseskift med dato, fra, til, beslutter og reference – fra Idé og frem – så forløbet (og en bestyrelsesgodkendelse) kan efterprøves.",
            "The project is in the phase {phase_name}, but the Historik sheet is empty. Enter every phase change with date, from, to, decider and reference – from Idé onwards – so the process (and any board approval) can be verified."
        ),
    );
    out.push(if past_concept && approval { finding.with_severity(Severity::Error) } else { finding });
}

/// Type (Projekt/Produkt) must agree with Fase: Produkt from the Produkt phase on.
fn type_against_phase(rules: &Rules, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let (Some(kind), Some(effective)) = (project.fields.kind.given(), process.effective) else {
        return;
    };
    let off_line = project.fields.phase.given().is_some_and(|p| rules.is_off_line(*p));
    if rules.is_off_line(effective) || (off_line && process.left.is_none()) {
        return; // Paused or closed, and the history does not say from where.
    }
    let expected =
        if rules.reached(effective, rules.key.product) { ProjectKind::Produkt } else { ProjectKind::Projekt };
    if *kind == expected {
        return;
    }
    let (got, want, product) = (kind.da(), expected.da(), &rules.phase(rules.key.product).name);
    let (got_en, want_en) = (kind.label(Lang::En), expected.label(Lang::En));
    let phase_name = project.fields.phase.given().map(|p| rules.phase(*p).name.clone()).unwrap_or_default();
    out.push(Finding::new(
        Code::ProductTypeMismatch,
        field_loc(project, &project.fields.kind),
        t!(
            "Type er {got}, men fasen er {phase_name}: et projekt bliver et produkt fra fasen {product}. Skriv {want} i Type – eller ret Fase.",
            "Type is {got_en}, but the phase is {phase_name}: a project becomes a product from the phase {product}. Enter {want_en} in Type – or fix Fase."
        ),
    ));
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

fn steps(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let loc = |row: u32, col: &str| cell_loc(project, Sheet::Historik, row, col);
    let mut previous: Option<&HistoryStep> = None;
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
        reason_note(rules, project, step, out);

        // Each step is judged by the level in force on its date: the register and the log,
        // else the declared level (before the log's cut-over also Historik.Niveau).
        let level = process.course.at_step(project, step);
        let (Input::Given(from), Input::Given(to), Some(level)) = (&step.from, &step.to, level) else {
            continue;
        };
        let board_optional = rules.level(level).board != BoardRole::Godkendelse;
        let (from_name, to_name) = (&rules.phase(*from).name, &rules.phase(*to).name);
        let transition = match rules.transition(*from, *to, level) {
            Some(t) => t,
            None => {
                let via_board = *from == rules.key.board_review || *to == rules.key.board_review;
                match rules.transition_any_level(*from, *to) {
                    Some(t) if board_optional && via_board => t,
                    _ => {
                        let (label, allowed) = (level_label(rules, level), allowed_from(rules, *from, level));
                        let other_level = rules.transition_any_level(*from, *to).is_some()
                            && step.level.is_blank()
                            && process.course.believes_historik(step.date.given().copied());
                        let hint = if other_level {
                            t!(
                                " Var projektet på et andet niveau ved skiftet, så skriv det niveau i kolonnen Niveau.",
                                " If the project was at another level at the time, enter that level in the Niveau column."
                            )
                        } else {
                            crate::text::Text::default()
                        };
                        let (hint_da, hint_en) = (&hint.da, &hint.en);
                        out.push(Finding::new(
                            Code::PhaseTransitionNotAllowed,
                            loc(step.row, "Til"),
                            t!(
                                "Historik række {n}: skiftet {from_name} → {to_name} er ikke tilladt på {label}. Fra {from_name} kan projektet gå til: {allowed}. Ret rækken, eller tilføj de mellemliggende skift.{hint_da}",
                                "Historik row {n}: the change {from_name} → {to_name} is not allowed at {label}. From {from_name} the project may go to: {allowed}. Fix the row, or add the changes in between.{hint_en}"
                            ),
                        ));
                        continue;
                    }
                }
            }
        };
        if let Input::Given(decider) = &step.decider
            && !transition.deciders.contains(decider)
        {
            let (got, want) = (decider.da(), deciders_text(&transition.deciders, Lang::Da));
            let (got_en, want_en) = (decider.label(Lang::En), deciders_text(&transition.deciders, Lang::En));
            let label = level_label(rules, level);
            let (when_da, when_en) = match step.date.given() {
                Some(d) => {
                    let d = format_date(*d);
                    (
                        format!("projektet var på {label} den {d}, og dér"),
                        format!("the project was at {label} on {d}, where"),
                    )
                }
                None => (format!("på {label}"), format!("at {label}")),
            };
            out.push(Finding::new(
                Code::PhaseDeciderWrong,
                loc(step.row, "Beslutter"),
                t!(
                    "Historik række {n}: {when_da} skal skiftet {from_name} → {to_name} besluttes af {want}, men {got} står som beslutter. Få beslutningen truffet af {want}, eller ret beslutteren.",
                    "Historik row {n}: {when_en} the change {from_name} → {to_name} must be decided by {want_en}, but {got_en} is given. Have {want_en} take the decision, or fix the decider."
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

/// A reason that must be explained (Årsager.Bemærkning påkrævet, e.g. ANDET) needs a
/// Bemærkning on the step.
fn reason_note(rules: &Rules, project: &Project, step: &HistoryStep, out: &mut Vec<Finding>) {
    let Some(reason) = step.reason.as_deref().and_then(|r| rules.find_reason(r)).map(|i| &rules.reasons[i.0]) else {
        return;
    };
    if !reason.note_required || step.note.is_some() {
        return;
    }
    let (n, code) = (step.row + 1, &reason.code);
    out.push(Finding::new(
        Code::PhaseReasonMissing,
        cell_loc(project, Sheet::Historik, step.row, "Bemærkning"),
        t!(
            "Historik række {n}: årsagen {code} skal uddybes. Skriv i Bemærkning, hvad årsagen var.",
            "Historik row {n}: the reason {code} must be explained. Write in Bemærkning what the reason was."
        ),
    ));
}

#[cfg(test)]
mod tests;
