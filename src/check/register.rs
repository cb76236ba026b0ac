//! What the checks conclude about the secretariat's register: the rows to add – rows
//! waiting for the secretariat after a run, and the rows migrated from the projektark
//! and the previous run when the register is created. Pure.

use crate::check::previous::Previous;
use crate::check::result::ProjectResult;
use crate::model::choice::{Answer, Decider};
use crate::model::project::{Input, RequirementRow};
use crate::model::register::{Additions, PendingAssessment, PendingPlacement};
use crate::model::rules::Rules;
use crate::text::t;
use chrono::NaiveDate;

/// The most of an answer os2gov writes into the register's Svar column.
pub const ANSWER_CHARS: usize = 300;

/// What was assessed, for the register's Svar column: `Nej – <Forklaring>` (or the
/// documentation of another answer), clipped to [`ANSWER_CHARS`].
pub fn answer_text(row: &RequirementRow) -> String {
    let answer = match &row.answer {
        Input::Given(a) => a.da(),
        Input::Blank => "(tomt)",
        Input::Invalid => "(ulæseligt)",
    };
    let said = match &row.answer {
        Input::Given(Answer::Nej | Answer::IkkeRelevant | Answer::VedIkke) => {
            row.explanation.as_deref().or(row.evidence.as_deref())
        }
        _ => row.evidence.as_deref().or(row.explanation.as_deref()),
    };
    let text = match said {
        Some(s) => format!("{answer} – {}", s.split_whitespace().collect::<Vec<_>>().join(" ")),
        None => answer.to_string(),
    };
    crate::text::clip(&text, ANSWER_CHARS)
}

/// The first day of a period `YYYY-MM`.
fn first_day(period: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").ok()
}

/// The rows a new register starts with (design §1.6), when `run` creates it in a folder
/// that has been run before:
///
/// - Vurderinger: what the previous run applied (its findings JSON's `assessments`: the
///   secretariat saw and sent that run), one row each, counting at once. A Vurdering
///   only this month's projektark shows is not migrated – it may be the lead's.
/// - Placeringer: per projektark with a readable 'Niveau placeret (dato)', the declared
///   level from that date, and each earlier level Historik.Niveau names, from its first
///   step.
pub fn migration(rules: &Rules, projects: &[ProjectResult], previous: Option<&Previous>, period: &str) -> Additions {
    let mut out = Additions::default();
    let from_projektark = format!("overført fra projektark ({period})");
    for p in projects {
        let (Some(id), Some(placed), Some(level)) =
            (p.project.id(), p.project.fields.level_placed.given(), p.project.fields.level.given())
        else {
            continue;
        };
        let by_text = p.project.fields.level_placed_by.given().cloned();
        let by = by_text.as_deref().map(|s| {
            if crate::text::fold(s).contains("bestyrelse") { Decider::Bestyrelse } else { Decider::Sekretariat }
        });
        // Earlier levels from Historik.Niveau: each level's first dated step before the
        // placement, when it differs from the declared level.
        let mut earlier: Vec<(NaiveDate, crate::model::rules::LevelId, u32)> = Vec::new();
        for step in &p.project.history {
            if let (Input::Given(d), Input::Given(l)) = (&step.date, &step.level)
                && d < placed
                && l != level
                && !earlier.iter().any(|(_, e, _)| e == l)
            {
                earlier.push((*d, *l, step.row));
            }
        }
        earlier.sort();
        for (date, l, row) in earlier {
            let n = row + 1;
            out.placements.push(PendingPlacement {
                project: id.to_string(),
                date: Some(date),
                level: Some(rules.level(l).code.clone()),
                by: Some(Decider::Sekretariat),
                reference: None,
                note: format!("Historik række {n} angiver {}", rules.level(l).code),
                source: from_projektark.clone(),
            });
        }
        out.placements.push(PendingPlacement {
            project: id.to_string(),
            date: Some(*placed),
            level: Some(rules.level(*level).code.clone()),
            by: by.or(Some(Decider::Sekretariat)),
            reference: by_text,
            note: "projektarkets 'Niveau placeret (dato)' og Niveau".to_string(),
            source: from_projektark.clone(),
        });
    }
    if let Some(previous) = previous {
        let source = match &previous.period {
            Some(p) => format!("overført fra fund-{p}.json"),
            None => "overført fra den forrige kørsels fund".to_string(),
        };
        let mut keys: Vec<&String> = previous.projects.keys().collect();
        keys.sort();
        for key in keys {
            let prev = &previous.projects[key];
            let current = projects
                .iter()
                .find(|p| p.project.id().is_some_and(|id| crate::text::fold(id) == crate::text::fold(key)));
            for e in &prev.assessments {
                let Some(index) = rules.find_requirement(&e.requirement) else { continue };
                // What was assessed, when this month's projektark still shows that answer.
                let answer = current
                    .and_then(|c| crate::check::assess::row_for(&c.project, index))
                    .filter(|row| crate::check::assess::answer_fingerprint(row).as_deref() == Some(e.answer.as_str()))
                    .map(answer_text)
                    .unwrap_or_default();
                let since = e.since.as_deref().and_then(first_day);
                out.assessments.push(PendingAssessment {
                    project: key.clone(),
                    requirement_id: rules.requirements[index].id.clone(),
                    light: Some(e.light),
                    basis: e.rationale.clone(),
                    date: since,
                    answer,
                    answer_id: Some(e.answer.clone()),
                    source: source.clone(),
                    why: t!("overført fra den forrige kørsel", "migrated from the previous run"),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
