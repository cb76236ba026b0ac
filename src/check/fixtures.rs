//! Contents of clean projektark for the samples, the integration tests and the benchmark:
//! every applicable requirement answered Ja with evidence, a history that follows the
//! styringsmodel's transitions, two participants with valid CVR numbers, a fresh status
//! report. Built from the loaded rules, so they follow the model when it changes.

use crate::model::cell::Value;
use crate::model::choice::{ProjectKind, TransitionKind};
use crate::model::filled::{Filled, KravAnswer};
use crate::model::layout::FieldKey;
use crate::model::rules::{LevelId, PhaseId, Rules};
use chrono::{Duration, NaiveDate};

/// One step of a path through the phases: from, to, decider, reason required.
pub type Step = (PhaseId, PhaseId, crate::model::choice::Decider, bool);

/// The path from the first phase to `target` for a level: the longest chain of forward
/// steps (so Koncept → Igangsat → Implementering rather than a shortcut), then – for a
/// phase reached only by a pause or closing step – that one step, from Igangsat where the
/// model allows it, else from the furthest phase it allows.
pub fn path_to(rules: &Rules, level: LevelId, target: PhaseId) -> Vec<Step> {
    fn longest(
        rules: &Rules,
        level: LevelId,
        at: PhaseId,
        target: PhaseId,
        seen: &mut Vec<PhaseId>,
    ) -> Option<Vec<Step>> {
        if at == target {
            return Some(Vec::new());
        }
        let mut best: Option<Vec<Step>> = None;
        for t in &rules.transitions {
            if t.kind == TransitionKind::Fremad
                && t.levels.contains(level)
                && t.from == Some(at)
                && !seen.contains(&t.to)
            {
                seen.push(t.to);
                if let Some(rest) = longest(rules, level, t.to, target, seen) {
                    let mut path = vec![(at, t.to, t.deciders[0], t.reason_required)];
                    path.extend(rest);
                    if best.as_ref().is_none_or(|b| path.len() > b.len()) {
                        best = Some(path);
                    }
                }
                seen.pop();
            }
        }
        best
    }
    let start = rules.first_phase();
    if let Some(path) = longest(rules, level, start, target, &mut vec![start]) {
        return path;
    }
    let candidates: Vec<_> = rules.transitions.iter().filter(|t| t.to == target && t.levels.contains(level)).collect();
    let exact = candidates.iter().filter(|t| t.from.is_some_and(|f| !rules.is_off_line(f)));
    let last = exact
        .clone()
        .find(|t| t.from == Some(rules.key.started))
        .or_else(|| exact.max_by_key(|t| t.from.map(|f| rules.phase(f).order)))
        .or_else(|| candidates.first());
    match last {
        Some(last) => {
            let from = last.from.unwrap_or(rules.key.started);
            let mut path = longest(rules, level, start, from, &mut vec![start]).unwrap_or_default();
            path.push((from, target, last.deciders[0], last.reason_required));
            path
        }
        None => Vec::new(),
    }
}

/// A clean projektark for a project at `level` in `phase`, dated relative to `as_of`.
pub fn clean(rules: &Rules, id: &str, level: LevelId, phase: PhaseId, as_of: NaiveDate) -> Filled {
    let path = path_to(rules, level, phase);
    let start = as_of - Duration::days(400);
    let step_date = |i: usize| start + Duration::days(30 * i as i64);
    let product = path.iter().any(|(_, to, _, _)| *to == rules.key.product) || phase == rules.key.product;
    // The approval is the step Bestyrelsesbehandling → Igangsat; its date is the field's.
    let approved = path
        .iter()
        .position(|(from, to, _, _)| *from == rules.key.board_review && *to == rules.key.started)
        .map(|i| Value::Date(step_date(i)))
        .unwrap_or(Value::Blank);
    let placed = if path.is_empty() { Value::Blank } else { Value::Date(step_date(0)) };
    let text = |s: &str| Value::Text(s.to_string());
    let fields = vec![
        (FieldKey::Id, text(id)),
        (FieldKey::Name, text(&format!("{id} – fælleskommunal løsning"))),
        (FieldKey::Kind, text(if product { ProjectKind::Produkt.da() } else { ProjectKind::Projekt.da() })),
        (FieldKey::Organisation, text("Aarhus Kommune")),
        (FieldKey::Lead, text("Mette Hansen")),
        (FieldKey::LeadEmail, text("mette.hansen@aarhus.dk")),
        (FieldKey::Level, text(&rules.level(level).code)),
        (FieldKey::LevelPlaced, placed.clone()),
        (FieldKey::LevelPlacedBy, if placed == Value::Blank { Value::Blank } else { text("OS2-sekretariatet") }),
        (FieldKey::Phase, text(&rules.phase(phase).name)),
        (FieldKey::SteeringGroup, text("Styregruppen: Aarhus, København og Odense")),
        (FieldKey::CoordinationGroup, text("Koordinationsgruppen for brugerkommunerne")),
        (FieldKey::Sla, text("https://os2.eu/sla")),
        (FieldKey::BoardInformed, Value::Date(as_of - Duration::days(300))),
        (FieldKey::BoardApproved, approved),
        (FieldKey::Licence, text("MPL-2.0")),
        (FieldKey::Repository, text(&format!("https://github.com/OS2/{}", id.to_lowercase()))),
        (FieldKey::Budget, Value::Number(1_000_000.0)),
        (FieldKey::BudgetBaseline, Value::Number(1_000_000.0)),
        (FieldKey::FilledBy, text("Mette Hansen")),
        (FieldKey::FilledDate, Value::Date(as_of - Duration::days(10))),
    ];
    // Answered: what applies at the level and is due in the phase the project is judged
    // by (a paused or closed one by the phase it left).
    let effective = match path.last() {
        Some((from, to, _, _)) if rules.is_off_line(*to) => *from,
        _ => phase,
    };
    let answers = rules
        .requirements
        .iter()
        .filter(|r| r.level <= level && rules.reached(effective, rules.due_from(r)))
        .map(|r| KravAnswer {
            id: r.id.clone(),
            efterlevet: text("Ja"),
            dokumentation: text(&format!("https://os2.eu/dok/{}", r.id)),
            ..KravAnswer::default()
        })
        .collect();
    let history = path
        .iter()
        .copied()
        .enumerate()
        .map(|(i, (from, to, decider, reason))| {
            vec![
                Value::Date(step_date(i)),
                text(&rules.phase(from).name),
                text(&rules.phase(to).name),
                text(decider.da()),
                text(&format!("Referat {}", i + 1)),
                if reason {
                    text(rules.reasons.last().map(|r| r.code.as_str()).unwrap_or("ANDET"))
                } else {
                    Value::Blank
                },
                if reason { text("Se referatet") } else { Value::Blank },
            ]
        })
        .collect();
    // Products are in use in both organisations since before they became products.
    let in_use = if product { Value::Date(as_of - Duration::days(450)) } else { Value::Blank };
    let participants = [("Aarhus Kommune", "29189846"), ("Københavns Kommune", "64942212")]
        .iter()
        .map(|(org, cvr)| {
            vec![
                text(org),
                text("Kommune"),
                text(cvr),
                Value::Date(as_of - Duration::days(500)),
                text("kontakt@kommune.dk"),
                in_use.clone(),
            ]
        })
        .collect();
    let operations = if product {
        vec![vec![
            Value::Date(as_of - Duration::days(30)),
            Value::Number(99.5),
            Value::Number(99.8),
            Value::Number(4.0),
            Value::Blank,
            text("Stabil drift."),
        ]]
    } else {
        Vec::new()
    };
    let status = vec![vec![
        Value::Date(as_of - Duration::days(20)),
        text("Grøn"),
        text("Grøn"),
        Value::Number(400_000.0),
        Value::Number(1_000_000.0),
        text("Planen holder."),
    ]];
    Filled { fields, answers, history, participants, status, operations, ..Filled::default() }
}
