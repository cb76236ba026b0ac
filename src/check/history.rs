//! What a run records in the archive's history (issue 20): per project the facts the
//! next run compares with, the report rows as read and the budget as accepted
//! ([`observe`]). Pure.

use crate::check::changes::{finding_key, level_code};
use crate::check::previous::Previous;
use crate::check::result::ProjectResult;
use crate::model::history::{DriftRow, Header, Lights, Observed, ObservedProject, StatusRow};
use crate::model::rules::Rules;
use chrono::NaiveDate;

/// What this run observed, for `historik-<period>.json`.
pub fn observe(
    rules: &Rules,
    as_of: NaiveDate,
    period: &str,
    projects: &[ProjectResult],
    previous: Option<&Previous>,
) -> Observed {
    let mut out = Observed { period: period.to_string(), as_of, ..Observed::default() };
    for p in projects {
        let key = p.key();
        let history = previous.and_then(|prev| prev.projects.get(&key)).and_then(|h| h.history.as_deref());
        out.projects.insert(key, observe_one(rules, as_of, p, history));
    }
    out
}

fn observe_one(
    rules: &Rules,
    as_of: NaiveDate,
    p: &ProjectResult,
    history: Option<&crate::model::history::ProjectState>,
) -> ObservedProject {
    let f = &p.project.fields;
    let a = &p.assessment;
    let closed = f.phase.given() == Some(&rules.key.closed) && a.process.closed;
    let applied = p
        .project
        .requirements
        .iter()
        .filter_map(|row| {
            let i = row.requirement?;
            let (Some(rec), Some(answer)) = (&a.applied[i], crate::check::assess::answer_fingerprint(row)) else {
                return None;
            };
            Some((rules.requirements[i].id.clone(), rec.row, rec.light?.da().to_string(), answer))
        })
        .collect();
    let header = Header {
        name: f.name.given().map(|_| p.name()),
        lead: f.lead.given().cloned(),
        lead_email: f.lead_email.given().cloned(),
        declared: f.level.given().map(|l| rules.level(*l).code.clone()),
        in_force: Some(level_code(rules, a.process.level_now(as_of))),
        attained: Some(level_code(rules, a.attained)),
        phase: f.phase.given().map(|ph| rules.phase(*ph).name.clone()),
        closed,
        budget: f.budget.given().copied(),
        approved: a.approved_budget,
        lights: Some(lights(a)),
        economy_since: a.economy_since.clone(),
        findings: p.listed().0.iter().map(finding_key).collect(),
        applied,
    };
    let accepted = crate::check::economy::accepted(rules, &p.project, history);
    let (untraced, baseline_untraced) = untraced(&p.project, &p.findings);
    ObservedProject {
        header,
        baseline: accepted.baseline,
        status_sheet: p.project.sheets.status.is_some(),
        status: StatusRow::of(&p.project).into_iter().map(|(r, _)| r).collect(),
        drift_sheet: p.project.sheets.drift.is_some(),
        drift: DriftRow::of(&p.project).into_iter().map(|(r, _)| r).collect(),
        budget_sheet: p.project.sheets.budget_changes.is_some(),
        budget_changes: accepted.rows.into_iter().map(|r| r.accepted).collect(),
        untraced,
        baseline_untraced,
    }
}

/// The keys of the Budgetændringer rows this run reported `BUDGET-UNTRACED` on (their Fra
/// cell: the change does not start where the one before ended), and whether the first
/// change of the chain was one of them.
fn untraced(
    project: &crate::model::project::Project,
    findings: &[crate::model::finding::Finding],
) -> (Vec<(NaiveDate, u32)>, bool) {
    use crate::check::context::{Sheet, cell_loc};
    use crate::model::finding::Code;
    use crate::model::history::Keyed;
    let flagged = |sheet_row: u32| {
        let at = cell_loc(project, Sheet::Budget, sheet_row, "Fra (kr.)");
        findings.iter().any(|f| f.code == Code::BudgetUntraced && f.location == at)
    };
    let keys = crate::model::history::BudgetRow::of(project)
        .into_iter()
        .filter(|(_, sheet_row)| flagged(*sheet_row))
        .map(|(r, _)| r.key())
        .collect();
    let first = project.budget_changes.iter().find(|c| c.to.given().is_some());
    (keys, first.is_some_and(|c| c.from.given().is_some() && flagged(c.row)))
}

/// The requirements' lights counted over every level (as the findings JSON counts them).
fn lights(a: &crate::check::assess::Assessment) -> Lights {
    let mut all = crate::check::assess::LightCounts::default();
    for c in &a.by_level {
        all.merge(c);
    }
    Lights { groen: all.groen, gul: all.gul, roed: all.roed, graa: all.graa, blank: all.blank }
}

/// What a period without a history file showed, from its findings JSON (an archive made
/// before os2gov kept history): the last seen facts per project, no report rows.
pub fn observed_from_previous(rules: &Rules, period: &str, previous: &Previous) -> Observed {
    let as_of = crate::model::period::Period::parse(period).map(|p| p.first_day()).unwrap_or_default();
    let closed = crate::text::fold(&rules.phase(rules.key.closed).name);
    let projects = previous
        .projects
        .iter()
        .map(|(id, p)| {
            let header = Header {
                name: p.name.clone(),
                lead: p.lead.clone(),
                lead_email: p.lead_email.clone(),
                declared: p.declared_level.clone(),
                in_force: p.in_force_level.clone(),
                attained: p.attained_level.clone(),
                phase: p.phase.clone(),
                closed: p.phase.as_deref().is_some_and(|ph| crate::text::fold(ph) == closed),
                budget: p.budget,
                approved: None,
                lights: None,
                economy_since: p.economy_since.clone(),
                findings: p.findings.clone(),
                applied: p
                    .applied
                    .iter()
                    .map(|a| (a.requirement.clone(), a.register_row, a.light.da().to_string(), a.answer.clone()))
                    .collect(),
            };
            (id.clone(), ObservedProject { header, ..ObservedProject::default() })
        })
        .collect();
    Observed { period: period.to_string(), as_of, projects, portfolio: None }
}

/// `INPUT-NOT-SUBMITTED` ages (issue 20): from `budget_eskalering_perioder` periods without
/// a projektark it is an error, and the board discusses it.
pub fn age_not_submitted(rules: &Rules, period: &str, list: &mut [crate::check::report::NotSubmitted]) {
    let limit = rules.params.escalation_periods.max(1);
    for n in list {
        let Some(last) = n.last_period.as_deref() else { continue };
        let Some(missing) = crate::model::period::months_between(last, period) else { continue };
        if missing < limit {
            continue;
        }
        n.finding.severity = crate::model::finding::Severity::Error;
        n.finding.message = n.finding.message.clone().then(&crate::text::t!(
            "Projektarket er ikke indsendt i {missing} perioder (sidst {last}); sagen går til bestyrelsen til drøftelse.",
            "The projektark has not been sent in for {missing} periods (last {last}); the matter goes to the board for discussion."
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::finding::{Code, Finding, Location, Severity};

    #[test]
    fn not_sending_in_ages_into_an_error() {
        let rules = crate::check::testkit::rules();
        let limit = rules.params.escalation_periods;
        let n = |last: &str| crate::check::report::NotSubmitted {
            key: "OS2x".into(),
            name: None,
            lead: None,
            lead_email: None,
            last_period: Some(last.into()),
            finding: Finding::new(Code::InputNotSubmitted, Location::none(), crate::text::Text::default()),
        };
        let last = crate::model::period::Period::parse("2026-11").unwrap();
        let months_back = |k: i64| {
            let d = last.first_day() - chrono::Months::new(k as u32);
            crate::model::period::period_of(d)
        };
        let mut list = vec![n(&months_back(limit)), n(&months_back(limit - 1))];
        age_not_submitted(rules, "2026-11", &mut list);
        assert_eq!(list[0].finding.severity, Severity::Error);
        // Near miss: one period fewer stays a warning.
        assert_eq!(list[1].finding.severity, Severity::Warning);
    }
}
