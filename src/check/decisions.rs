//! The board's decisions flow back: the decision log the secretariat keeps in the
//! styringsmodel (Beslutninger) against each projektark. A logged decision the projektark
//! does not show, or a board-decided step or budget change the log lacks, is a finding
//! for the secretariat – not for the project lead (see [`Code::for_lead`]).

use crate::check::context::{Context, Sheet, cell_loc, field_loc};
use crate::check::process::is_approval_step;
use crate::model::choice::{Decider, DecisionKind, TransitionKind};
use crate::model::finding::{Code, Finding, Location};
use crate::model::project::{Input, Project};
use crate::model::rules::Decision;
use crate::model::value::format_date;
use crate::text::t;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// A projektark's Historik steps and budget changes by date, indexed once, so a log of
/// thousands of decisions against thousands of rows costs their sum, not their product.
struct ByDate<'a> {
    history: HashMap<NaiveDate, Vec<&'a crate::model::project::HistoryStep>>,
    budget: HashSet<NaiveDate>,
}

impl<'a> ByDate<'a> {
    fn of(project: &'a Project) -> ByDate<'a> {
        let mut history: HashMap<NaiveDate, Vec<&crate::model::project::HistoryStep>> = HashMap::new();
        for s in &project.history {
            if let Input::Given(d) = s.date {
                history.entry(d).or_default().push(s);
            }
        }
        let budget = project.budget_changes.iter().filter_map(|c| c.date.given().copied()).collect();
        ByDate { history, budget }
    }

    /// The Historik steps dated `date`.
    fn steps_on(&self, date: NaiveDate) -> impl Iterator<Item = &&'a crate::model::project::HistoryStep> {
        self.history.get(&date).into_iter().flatten()
    }
}

pub fn check(ctx: &Context<'_>, project: &Project, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let Some(id) = project.id() else {
        return;
    };
    // The log covers the time from its first entry; before that nothing is expected of it.
    let Some(first) = rules.decisions.first().map(|d| d.date) else {
        return;
    };
    let logged: Vec<&Decision> = rules.decisions_for(id).collect();
    let by_date = ByDate::of(project);
    for d in &logged {
        if let Some(missing) = missing_in_projektark(ctx, project, &by_date, d) {
            out.push(missing);
        }
    }
    let logged_dates: HashSet<NaiveDate> = logged.iter().map(|d| d.date).collect();
    let logged_on = |date: NaiveDate| logged_dates.contains(&date);
    for step in &project.history {
        let (Input::Given(Decider::Bestyrelse), Input::Given(date)) = (&step.decider, &step.date) else {
            continue;
        };
        if *date < first || logged_on(*date) {
            continue;
        }
        let (n, d) = (step.row + 1, format_date(*date));
        out.push(Finding::new(
            Code::DecisionNotLogged,
            cell_loc(project, Sheet::Historik, step.row, "Beslutter"),
            t!(
                "Historik række {n}: et skift besluttet af Bestyrelse {d}, men styringsmodellens beslutningslog (fanen Beslutninger) har ingen beslutning om {id} den dato. Sekretariatet: før beslutningen ind efter referatet – eller få projektet til at rette datoen.",
                "Historik row {n}: a step decided by Bestyrelse on {d}, but the styringsmodel's decision log (the Beslutninger sheet) has no decision about {id} on that date. Secretariat: log the decision from the minutes – or have the project fix the date."
            ),
        ));
    }
    for change in &project.budget_changes {
        let (Input::Given(Decider::Bestyrelse), Input::Given(date)) = (&change.decided_by, &change.date) else {
            continue;
        };
        if *date < first || logged_on(*date) {
            continue;
        }
        let (n, d) = (change.row + 1, format_date(*date));
        out.push(Finding::new(
            Code::DecisionNotLogged,
            cell_loc(project, Sheet::Budget, change.row, "Besluttet af"),
            t!(
                "Budgetændringer række {n}: en budgetændring besluttet af Bestyrelse {d}, men beslutningsloggen har ingen beslutning om {id} den dato. Sekretariatet: før beslutningen ind efter referatet.",
                "Budgetændringer row {n}: a budget change decided by Bestyrelse on {d}, but the decision log has no decision about {id} on that date. Secretariat: log the decision from the minutes."
            ),
        ));
    }
}

/// A logged decision of a kind the projektark must show, when it does not.
fn missing_in_projektark(ctx: &Context<'_>, project: &Project, by_date: &ByDate<'_>, d: &Decision) -> Option<Finding> {
    let rules = ctx.rules;
    let (shown, at, what_da, what_en) = match d.kind? {
        DecisionKind::Godkendt => (
            project.fields.board_approved.given() == Some(&d.date)
                || by_date.steps_on(d.date).any(|s| is_approval_step(rules, s)),
            field_loc(project, &project.fields.board_approved),
            "en godkendelse (Bestyrelse godkendt (dato), eller Bestyrelsesbehandling → Igangsat i Historik) den dato",
            "an approval (Bestyrelse godkendt (dato), or Bestyrelsesbehandling → Igangsat in Historik) on that date",
        ),
        DecisionKind::Tilbageloeb => (
            by_date.steps_on(d.date).any(|s| {
                s.decider == Input::Given(Decider::Bestyrelse)
                    && match (s.from.given(), s.to.given()) {
                        (Some(f), Some(t)) => {
                            rules.transition_any_level(*f, *t).is_some_and(|tr| tr.kind == TransitionKind::Tilbageloeb)
                        }
                        _ => false,
                    }
            }),
            history_loc(project),
            "et tilbageløb besluttet af Bestyrelse i Historik den dato",
            "a backflow decided by Bestyrelse in Historik on that date",
        ),
        DecisionKind::Stoppet => (
            by_date.steps_on(d.date).any(|s| s.to == Input::Given(rules.key.closed)),
            history_loc(project),
            "et skift til Udfaset i Historik den dato",
            "a step into Udfaset in Historik on that date",
        ),
        DecisionKind::NiveauOp | DecisionKind::NiveauNed => (
            project.fields.level_placed.given().is_some_and(|p| *p >= d.date),
            field_loc(project, &project.fields.level_placed),
            "den nye placering ('Niveau placeret (dato)' på eller efter beslutningen)",
            "the new placement ('Niveau placeret (dato)' on or after the decision)",
        ),
        DecisionKind::Budget => (
            by_date.budget.contains(&d.date),
            Location::sheet(crate::model::layout::BUDGETAENDRINGER),
            "budgetændringen i fanen Budgetændringer den dato",
            "the budget change in the Budgetændringer sheet on that date",
        ),
        DecisionKind::Optaget | DecisionKind::Prioritet | DecisionKind::Andet => return None,
    };
    if shown {
        return None;
    }
    let (row, date, text, id) = (d.row, format_date(d.date), &d.text, &d.project);
    Some(Finding::new(
        Code::DecisionNotInProjektark,
        at,
        t!(
            "Beslutningsloggen (styringsmodellen, Beslutninger række {row}) siger om {id} {date}: \"{text}\". Projektarket viser ikke {what_da}. Sekretariatet: få projektarket opdateret – eller ret loggen, hvis den er forkert.",
            "The decision log (styringsmodel, Beslutninger row {row}) says about {id} on {date}: \"{text}\". The projektark does not show {what_en}. Secretariat: have the projektark updated – or fix the log if it is wrong."
        ),
    ))
}

fn history_loc(project: &Project) -> Location {
    Location::sheet(
        project
            .sheets
            .historik
            .as_ref()
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| crate::model::layout::HISTORIK.into()),
    )
}
