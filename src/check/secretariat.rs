//! What the secretariat must do before the board meets: assess explained deviations and
//! changed answers, place projects, take over (or turn down) a Vurdering a projektark
//! shows, fix unreadable register rows, and the reconciliation with the decision log. Each
//! task says what, for which project and by when – the material deadline of the next
//! meeting. Also the rows `run` adds to the register for the secretariat to answer. Pure.

use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::model::finding::{Code, Finding, Severity};
use crate::model::register::{Additions, PendingAssessment, PendingPlacement, pending_source};
use crate::model::rules::Rules;
use crate::text::{Text, t};
use chrono::NaiveDate;

/// One thing the secretariat must do.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// The project (its key), or `None` for the register's own rows.
    pub project: Option<String>,
    pub code: Code,
    pub requirement: Option<String>,
    pub what: Text,
    /// Where: `Krav!K17` in the projektark, or `Vurderinger!C5` in the register.
    pub place: String,
    /// The material deadline of the next meeting, when one is planned.
    pub deadline: Option<NaiveDate>,
}

/// The next meeting on or after `as_of` and its material deadline (the meeting less
/// `materiale_frist_dage`): what the secretariat must have settled by then.
pub fn material_deadline(rules: &Rules, as_of: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let meeting = rules.next_meeting(as_of)?.date;
    Some((meeting - chrono::Duration::days(rules.params.material_days_before), meeting))
}

/// Whether a finding waits for the secretariat: its audience includes the secretariat,
/// except an explained deviation the secretariat has assessed already (then it is info).
pub fn is_task(f: &Finding) -> bool {
    f.code.audience().secretariat && !(f.code == Code::KravSkalExplained && f.severity == Severity::Info)
}

fn requirement_text(report: &Report, id: Option<&str>) -> String {
    id.and_then(|id| report.rules.find_requirement(id))
        .map(|i| format!("{} ({})", report.rules.requirements[i].id, report.rules.requirements[i].text))
        .unwrap_or_else(|| id.unwrap_or("?").to_string())
}

fn task_text(report: &Report, p: &ProjectResult, f: &Finding) -> Text {
    let project = p.key();
    let req = requirement_text(report, f.requirement.as_deref());
    let (da, en) = (f.message.da.clone(), f.message.en.clone());
    match f.code {
        Code::KravSkalExplained => t!(
            "Vurdér {req} for {project} i registeret (fanen Vurderinger): en forklaret afvigelse venter.",
            "Assess {req} for {project} in the register (sheet Vurderinger): an explained deviation is waiting."
        ),
        Code::KravAssessmentOutdated => t!(
            "Vurdér {req} for {project} igen i registeret: svaret er ændret siden vurderingen.",
            "Assess {req} for {project} again in the register: the answer has changed since the assessment."
        ),
        Code::KravAssessmentNotRecorded => t!(
            "Projektarket for {project} viser en vurdering af {req}, som registeret ikke har. Er den sekretariatets, så skriv den i registeret; ellers skal projektlederen fjerne den.",
            "The projektark of {project} shows an assessment of {req} that the register does not have. If it is the secretariat's, enter it in the register; otherwise the project lead removes it."
        ),
        Code::LevelNotPlaced => {
            let says = p.project.fields.level.given().map(|l| report.rules.level(*l).code.clone()).unwrap_or_default();
            t!(
                "Placér {project} på et niveau i registeret (fanen Placeringer); projektarket siger {says}.",
                "Place {project} at a level in the register (sheet Placeringer); the projektark says {says}."
            )
        }
        // The finding's own message is written for the secretariat already.
        _ => t!("{da}", "{en}"),
    }
}

/// Every task for the secretariat in a report, projects in order, then the register's own
/// rows that could not be read.
pub fn tasks(report: &Report) -> Vec<Task> {
    let deadline = material_deadline(&report.rules, report.as_of).map(|(d, _)| d);
    let mut out = Vec::new();
    for p in &report.projects {
        for f in p.findings.iter().filter(|f| is_task(f)) {
            out.push(Task {
                project: Some(p.key()),
                code: f.code,
                requirement: f.requirement.clone(),
                what: task_text(report, p, f),
                place: f.location.a1(),
                deadline,
            });
        }
    }
    for f in &report.register.findings {
        let (da, en) = (&f.message.da, &f.message.en);
        out.push(Task {
            project: None,
            code: f.code,
            requirement: None,
            what: t!("Ret registerets række: {da}", "Fix the register's row: {en}"),
            place: f.location.a1(),
            deadline,
        });
    }
    out
}

/// The rows `run` adds to the register, ready to be answered (design §1.3): per project a
/// Vurderinger row for each requirement that waits for the secretariat – an explained
/// deviation without an assessment, an assessment outdated by a changed answer, a
/// Vurdering the projektark shows that the register lacks – and a Placeringer row for a
/// project that is not placed. No row is added where one for the same (Projekt-ID, Krav,
/// Svar-id) – or for Placeringer the same Projekt-ID – is there already.
pub fn pending_rows(report: &Report) -> Additions {
    let register = &report.register.register;
    let source = pending_source(&report.period);
    let mut out = Additions::default();
    for p in &report.projects {
        let Some(id) = p.project.id() else { continue };
        for row in &p.project.requirements {
            let Some(i) = row.requirement else { continue };
            let req = &report.rules.requirements[i];
            let waiting = p.findings.iter().find(|f| {
                f.requirement.as_deref() == Some(req.id.as_str())
                    && matches!(
                        f.code,
                        Code::KravSkalExplained | Code::KravAssessmentOutdated | Code::KravAssessmentNotRecorded
                    )
                    && is_task(f)
            });
            let Some(f) = waiting else { continue };
            let answer_id = crate::check::assess::answer_fingerprint(row);
            let duplicate = out.assessments.iter().any(|a: &PendingAssessment| {
                crate::text::fold(&a.project) == crate::text::fold(id) && a.requirement_id == req.id
            });
            if duplicate || register.has_row_for_answer(id, i, answer_id.as_deref()) {
                continue;
            }
            out.assessments.push(PendingAssessment {
                project: id.to_string(),
                requirement_id: req.id.clone(),
                light: None,
                basis: None,
                date: None,
                answer: crate::check::register::answer_text(row),
                answer_id,
                source: source.clone(),
                why: task_text(report, p, f),
            });
        }
        if p.findings.iter().any(|f| f.code == Code::LevelNotPlaced)
            && !register.has_placement_row(id)
            && !out.placements.iter().any(|x| crate::text::fold(&x.project) == crate::text::fold(id))
        {
            let fields = &p.project.fields;
            let level = fields.level.given().map(|l| report.rules.level(*l).code.clone());
            let mut note = match (&level, fields.level_placed.given()) {
                (Some(l), Some(d)) => format!("projektarket siger {l} fra {}", crate::model::value::format_date(*d)),
                (Some(l), None) => format!("projektarket siger {l}"),
                (None, _) => "projektarket angiver intet niveau".to_string(),
            };
            if let Some(by) = fields.level_placed_by.given() {
                note.push_str(&format!("; placeret af {}", crate::text::clip(by, 80)));
            }
            out.placements.push(PendingPlacement {
                project: id.to_string(),
                date: None,
                level: None,
                by: None,
                reference: None,
                note,
                source: source.clone(),
            });
        }
    }
    out
}

/// One line per requirement of a project that waits for the secretariat, for the lead:
/// "F7: jeres forklaring venter på sekretariatets vurdering (senest 26-11-2026)".
pub fn waiting_lines(report: &Report, p: &ProjectResult) -> Vec<Text> {
    let deadline = material_deadline(&report.rules, report.as_of).map(|(d, _)| crate::model::value::format_date(d));
    let (when_da, when_en) = match &deadline {
        Some(d) => (format!(" (senest {d})"), format!(" (by {d})")),
        None => (String::new(), String::new()),
    };
    let mut out = Vec::new();
    for (i, waiting) in p.assessment.awaiting.iter().enumerate() {
        if !waiting || !p.project.requirements.iter().any(|r| r.requirement == Some(i)) {
            continue;
        }
        let id = &report.rules.requirements[i].id;
        out.push(if p.assessment.outdated[i].is_some() {
            t!(
                "{id}: jeres ændrede svar venter på sekretariatets nye vurdering{when_da}",
                "{id}: your changed answer awaits the secretariat's new assessment{when_en}"
            )
        } else {
            t!(
                "{id}: jeres forklaring venter på sekretariatets vurdering{when_da}",
                "{id}: your explanation awaits the secretariat's assessment{when_en}"
            )
        });
    }
    out
}

#[cfg(test)]
mod tests;
