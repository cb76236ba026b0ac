//! The board's decisions, as its own records show them, against what the projektark says.
//! A board decision the projektark claims (the approval field, a Historik step or a budget
//! change decided by Bestyrelse) that the Beslutninger log lacks is `DECISION-NOT-LOGGED`:
//! from `beslutningslog_fra` on an error when believing it would open the gate or
//! legitimise a change (the project is then judged as if it had not happened, and the
//! board is asked), a warning otherwise; before the cut-over a warning for the
//! secretariat, as before the log was kept. A claim that matches a logged decision at
//! another date or amount is `DECISION-MISMATCH` (the log's values count; the lead
//! corrects the projektark). A logged decision the projektark does not show is
//! `DECISION-NOT-IN-PROJEKTARK` for the secretariat (who is told: [`Code::audience`]).

use crate::check::context::{Context, field_loc};
use crate::check::process::{Process, is_approval_step};
use crate::check::records::{Claim, ClaimSource, FactKind, Judged, Mismatch, Records};
use crate::model::choice::{Decider, DecisionKind, TransitionKind};
use crate::model::finding::{Code, Finding, Location, Severity};
use crate::model::project::{Input, Project};
use crate::model::rules::{Decision, Rules};
use crate::model::value::{format_amount, format_date};
use crate::text::{Lang, Text, t};
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

pub fn check(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let Some(id) = project.id() else {
        return;
    };
    let records = Records::new(rules, ctx.register);
    // Before the cut-over the log covers the time from its first entry.
    let first = rules.decisions.first().map(|d| d.date);
    let logged: Vec<&Decision> = rules.decisions_for(id).collect();
    let by_date = ByDate::of(project);
    let logged_dates: HashSet<NaiveDate> = logged.iter().map(|d| d.date).collect();
    for (claim, judged) in &process.claims {
        match judged {
            Judged::Legacy => {
                let Input::Given(date) = claim.date else { continue };
                let written = claim.sources.iter().any(|s| !matches!(s, ClaimSource::ApprovalField));
                if written && first.is_some_and(|f| date >= f) && !logged_dates.contains(&date) {
                    out.push(legacy_unlogged(rules, project, claim, date, id));
                }
            }
            Judged::Unsupported { not_a_meeting } => out.push(unlogged(rules, project, claim, *not_a_meeting, id)),
            Judged::SupportedOther(i, why) => out.push(mismatch(claim, records.decision(*i), *why)),
            Judged::Supported(_) | Judged::Unreadable => {}
        }
    }
    let used: HashSet<u32> =
        process.claims.iter().filter_map(|(_, j)| j.decision().map(|i| rules.decisions[i].row)).collect();
    if first.is_some() {
        for d in &logged {
            if d.date <= ctx.as_of
                && !used.contains(&d.row)
                && let Some(missing) = missing_in_projektark(ctx, project, &by_date, d)
            {
                out.push(missing);
            }
        }
    }
}

/// What a claim is, in words: "bestyrelsens godkendelse", "et stop besluttet af Bestyrelse" …
fn what(rules: &Rules, project: &Project, claim: &Claim) -> Text {
    let step = claim.sources.iter().find_map(|s| match s {
        ClaimSource::Step(row) => project.history.iter().find(|h| h.row == *row),
        _ => None,
    });
    let change = match step.map(|s| (&s.from, &s.to)) {
        Some((Input::Given(f), Input::Given(t))) => {
            format!("{} → {}", rules.phase(*f).name, rules.phase(*t).name)
        }
        _ => String::new(),
    };
    match &claim.kind {
        FactKind::Approval => t!("bestyrelsens godkendelse", "the board's approval"),
        FactKind::Stop => t!("et stop ({change}) besluttet af Bestyrelse", "a stop ({change}) decided by the board"),
        FactKind::Backflow => {
            t!("et tilbageløb ({change}) besluttet af Bestyrelse", "a backflow ({change}) decided by the board")
        }
        FactKind::OtherStep => {
            t!("et skift ({change}) besluttet af Bestyrelse", "a step ({change}) decided by the board")
        }
        FactKind::Budget { to } => {
            let (ada, aen) = to.map(|v| (format_amount(v, Lang::Da), format_amount(v, Lang::En))).unwrap_or_default();
            t!("en budgetændring til {ada} besluttet af Bestyrelse", "a budget change to {aen} decided by the board")
        }
    }
}

/// Where a claim is written: "felt og Historik række 4".
fn written(claim: &Claim) -> Text {
    let mut da: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    for s in &claim.sources {
        match s {
            ClaimSource::ApprovalField => {
                da.push("'Bestyrelse godkendt (dato)'".into());
                en.push("'Bestyrelse godkendt (dato)'".into());
            }
            ClaimSource::Step(row) => {
                da.push(format!("Historik række {}", row + 1));
                en.push(format!("Historik row {}", row + 1));
            }
            ClaimSource::BudgetRow(row) => {
                da.push(format!("Budgetændringer række {}", row + 1));
                en.push(format!("Budgetændringer row {}", row + 1));
            }
        }
    }
    Text::new(da.join(" og "), en.join(" and "))
}

/// A claimed board decision the log lacks, from the cut-over.
fn unlogged(rules: &Rules, project: &Project, claim: &Claim, not_a_meeting: bool, id: &str) -> Finding {
    let d = claim.date.given().map(|d| format_date(*d)).unwrap_or_default();
    let (w, at) = (what(rules, project, claim), written(claim));
    let (wda, wen, ada, aen) = (&w.da, &w.en, &at.da, &at.en);
    let meeting = if not_a_meeting {
        t!(", og {d} er ikke et bestyrelsesmøde", ", and {d} is not a board meeting")
    } else {
        Text::default()
    };
    let (mda, men) = (&meeting.da, &meeting.en);
    let said = t!(
        "Projektarket angiver {wda} {d} ({ada}), men bestyrelsens beslutningslog (styringsmodellens fane Beslutninger) har ingen sådan beslutning om {id}{mda}.",
        "The projektark gives {wen} on {d} ({aen}), but the board's decision log (the styringsmodel's Beslutninger sheet) has no such decision about {id}{men}."
    );
    if !claim.conferring {
        let advice = t!(
            "Sekretariatet: registrér beslutningen i loggen, hvis referatet har den – ellers rettes datoen i projektarket.",
            "Secretariat: log the decision if the minutes have it – otherwise the date in the projektark is corrected."
        );
        return Finding::new(Code::DecisionNotLogged, claim.at.clone(), said.then(&advice))
            .with_severity(Severity::Warning);
    }
    let consequence = match claim.kind {
        FactKind::Approval => t!(
            "Godkendelsen tæller ikke: projektet vurderes som ikke godkendt, og sagen går til bestyrelsen.",
            "The approval does not count: the project is judged as not approved, and the matter goes to the board."
        ),
        FactKind::Stop => t!(
            "Stoppet tæller ikke: projektet vurderes som fortsat i gang (statusrapporter og budget), og sagen går til bestyrelsen.",
            "The stop does not count: the project is judged as still running (status reports and budget), and the matter goes to the board."
        ),
        FactKind::Budget { .. } => t!(
            "Ændringen er ikke en godkendt del af budgettet: væksten står, og sagen går til bestyrelsen.",
            "The change is not an approved part of the budget: the growth stands, and the matter goes to the board."
        ),
        FactKind::Backflow | FactKind::OtherStep => Text::default(),
    };
    let advice = t!(
        "Har bestyrelsen truffet beslutningen, så fører sekretariatet den ind i loggen efter referatet (på mødets dato); ellers rettes projektarket.",
        "If the board took the decision, the secretariat logs it from the minutes (on the meeting's date); otherwise the projektark is corrected."
    );
    Finding::new(Code::DecisionNotLogged, claim.at.clone(), said.then(&consequence).then(&advice))
        .with_severity(Severity::Error)
}

/// Before the cut-over: a board-decided step or budget change within the log's span that
/// the log lacks – for the secretariat, as before.
fn legacy_unlogged(rules: &Rules, project: &Project, claim: &Claim, date: NaiveDate, id: &str) -> Finding {
    let d = format_date(date);
    let (w, at) = (what(rules, project, claim), written(claim));
    let (wda, wen, ada, aen) = (&w.da, &w.en, &at.da, &at.en);
    let location = match claim.sources.iter().find(|s| !matches!(s, ClaimSource::ApprovalField)) {
        Some(ClaimSource::Step(row)) => {
            crate::check::context::cell_loc(project, crate::check::context::Sheet::Historik, *row, "Beslutter")
        }
        _ => claim.at.clone(),
    };
    Finding::new(
        Code::DecisionNotLogged,
        location,
        t!(
            "{ada}: {wda} {d}, men styringsmodellens beslutningslog (fanen Beslutninger) har ingen beslutning om {id} den dato. Sekretariatet: før beslutningen ind efter referatet – eller få projektet til at rette datoen.",
            "{aen}: {wen} on {d}, but the styringsmodel's decision log (the Beslutninger sheet) has no decision about {id} on that date. Secretariat: log the decision from the minutes – or have the project fix the date."
        ),
    )
    .with_severity(Severity::Warning)
}

/// A claim the log has at another date or with another amount.
fn mismatch(claim: &Claim, d: &Decision, why: Mismatch) -> Finding {
    let (row, logged) = (d.row, format_date(d.date));
    let said = claim.date.given().map(|d| format_date(*d)).unwrap_or_default();
    let at = written(claim);
    let (ada, aen) = (&at.da, &at.en);
    let message = match (why, &claim.kind, d.amount) {
        (Mismatch::Amount, FactKind::Budget { to: Some(to) }, Some(amount)) => {
            let ((lda, len), (tda, ten)) = (
                (format_amount(amount, Lang::Da), format_amount(amount, Lang::En)),
                (format_amount(*to, Lang::Da), format_amount(*to, Lang::En)),
            );
            t!(
                "Bestyrelsen satte {logged} budgettet til {lda} (Beslutninger række {row}); {ada} siger {tda}. Beslutningsloggens beløb tæller – ret beløbet efter referatet.",
                "The board set the budget to {len} on {logged} (Beslutninger row {row}); {aen} says {ten}. The decision log's amount counts – correct the amount from the minutes."
            )
        }
        _ => t!(
            "Bestyrelsens beslutning står i beslutningsloggen {logged} (Beslutninger række {row}); {ada} siger {said}. Loggens dato tæller – ret datoen efter referatet.",
            "The board's decision is in the decision log on {logged} (Beslutninger row {row}); {aen} says {said}. The log's date counts – correct the date from the minutes."
        ),
    };
    Finding::new(Code::DecisionMismatch, claim.at.clone(), message)
}

/// A logged decision of a kind the projektark must show, when it does not.
fn missing_in_projektark(ctx: &Context<'_>, project: &Project, by_date: &ByDate<'_>, d: &Decision) -> Option<Finding> {
    let rules = ctx.rules;
    let (shown, at, what_da, what_en) = match d.kind? {
        DecisionKind::Godkendelse => (
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
        DecisionKind::Stop => (
            by_date.steps_on(d.date).any(|s| s.to == Input::Given(rules.key.closed)),
            history_loc(project),
            "et skift til Udfaset i Historik den dato",
            "a step into Udfaset in Historik on that date",
        ),
        DecisionKind::Budget => (
            by_date.budget.contains(&d.date),
            Location::sheet(crate::model::layout::BUDGETAENDRINGER),
            "budgetændringen i fanen Budgetændringer den dato",
            "the budget change in the Budgetændringer sheet on that date",
        ),
        // A level decision is compared through the level in force (LEVEL-DECLARED-MISMATCH).
        DecisionKind::Niveau | DecisionKind::Licens | DecisionKind::Andet => return None,
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
    crate::check::context::sheet_loc(project, crate::check::context::Sheet::Historik)
}

#[cfg(test)]
mod tests;
