//! Contents of clean projektark for the samples, the integration tests and the benchmark:
//! every applicable requirement answered Ja with evidence, a history that follows the
//! styringsmodel's transitions, two participants with valid CVR numbers, a fresh status
//! report. Built from the loaded rules, so they follow the model when it changes.

use crate::layout::FieldKey;
use crate::model::choice::{ProjectKind, TransitionKind};
use crate::rules::{LevelId, PhaseId, Rules};
use crate::template::{Filled, KravAnswer};
use crate::xlsx::Value;
use chrono::{Duration, NaiveDate};

/// One step of a path through the phases: from, to, decider, reason required.
pub type Step = (PhaseId, PhaseId, crate::model::choice::Decider, bool);

/// The path from the first phase to `target` for a level: forward steps only, then (for a
/// phase reached only by a pause or closing step) that one step.
pub fn path_to(rules: &Rules, level: LevelId, target: PhaseId) -> Vec<Step> {
    let start = PhaseId(0);
    let mut prev: Vec<Option<(PhaseId, crate::model::choice::Decider, bool)>> = vec![None; rules.phases.len()];
    let mut seen = vec![false; rules.phases.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    seen[start.0] = true;
    while let Some(p) = queue.pop_front() {
        for t in &rules.transitions {
            if t.kind == TransitionKind::Fremad && t.levels.contains(level) && t.from == Some(p) && !seen[t.to.0] {
                seen[t.to.0] = true;
                prev[t.to.0] = Some((p, t.decider, t.reason_required));
                queue.push_back(t.to);
            }
        }
    }
    let walk = |mut at: PhaseId| {
        let mut path = Vec::new();
        while let Some((from, decider, reason)) = prev[at.0] {
            path.push((from, at, decider, reason));
            at = from;
        }
        path.reverse();
        path
    };
    if seen[target.0] {
        return walk(target);
    }
    match rules.transitions.iter().find(|t| t.to == target && t.levels.contains(level)) {
        Some(last) => {
            let from = last.from.unwrap_or(rules.key.started);
            let mut path = walk(from);
            path.push((from, target, last.decider, last.reason_required));
            path
        }
        None => Vec::new(),
    }
}

/// A clean projektark for a project at `level` in `phase`, dated relative to `as_of`.
pub fn clean(rules: &Rules, id: &str, level: LevelId, phase: PhaseId, as_of: NaiveDate) -> Filled {
    let product = rules.phase(phase).order >= rules.phase(rules.key.product).order;
    let text = |s: &str| Value::Text(s.to_string());
    let fields = vec![
        (FieldKey::Id, text(id)),
        (FieldKey::Name, text(&format!("{id} – fælleskommunal løsning"))),
        (FieldKey::Kind, text(if product { ProjectKind::Produkt.da() } else { ProjectKind::Projekt.da() })),
        (FieldKey::Organisation, text("Aarhus Kommune")),
        (FieldKey::Lead, text("Mette Hansen")),
        (FieldKey::LeadEmail, text("mette.hansen@aarhus.dk")),
        (FieldKey::Level, text(&rules.level(level).code)),
        (FieldKey::Phase, text(&rules.phase(phase).name)),
        (FieldKey::SteeringGroup, text("Styregruppen: Aarhus, København og Odense")),
        (FieldKey::CoordinationGroup, text("Koordinationsgruppen for brugerkommunerne")),
        (FieldKey::Sla, text("https://os2.eu/sla")),
        (FieldKey::BoardInformed, Value::Date(as_of - Duration::days(300))),
        (FieldKey::BoardApproved, Value::Date(as_of - Duration::days(290))),
        (FieldKey::Licence, text("MPL-2.0")),
        (FieldKey::Repository, text(&format!("https://github.com/OS2/{}", id.to_lowercase()))),
        (FieldKey::Budget, Value::Number(1_000_000.0)),
        (FieldKey::FilledBy, text("Mette Hansen")),
        (FieldKey::FilledDate, Value::Date(as_of - Duration::days(10))),
    ];
    let answers = rules
        .requirements
        .iter()
        .filter(|r| r.level <= level)
        .map(|r| KravAnswer {
            id: r.id.clone(),
            efterlevet: text("Ja"),
            dokumentation: text(&format!("https://os2.eu/dok/{}", r.id)),
            ..KravAnswer::default()
        })
        .collect();
    let start = as_of - Duration::days(400);
    let history = path_to(rules, level, phase)
        .into_iter()
        .enumerate()
        .map(|(i, (from, to, decider, reason))| {
            vec![
                Value::Date(start + Duration::days(30 * i as i64)),
                text(&rules.phase(from).name),
                text(&rules.phase(to).name),
                text(decider.da()),
                text(&format!("Referat {}", i + 1)),
                if reason {
                    text(rules.reasons.last().map(|r| r.code.as_str()).unwrap_or("ANDET"))
                } else {
                    Value::Blank
                },
            ]
        })
        .collect();
    let participants = [("Aarhus Kommune", "29189846"), ("Københavns Kommune", "64942212")]
        .iter()
        .map(|(org, cvr)| {
            vec![
                text(org),
                text("Kommune"),
                text(cvr),
                Value::Date(as_of - Duration::days(500)),
                text("kontakt@kommune.dk"),
            ]
        })
        .collect();
    let status = vec![vec![
        Value::Date(as_of - Duration::days(20)),
        text("Grøn"),
        text("Grøn"),
        Value::Number(400_000.0),
        Value::Number(1_000_000.0),
        text("Planen holder."),
    ]];
    Filled { fields, answers, history, participants, status, ..Filled::default() }
}
