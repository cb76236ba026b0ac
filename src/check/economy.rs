//! Economy with memory: the budget against its approved baseline and the logged changes
//! (Budgetændringer), who may decide a change, total growth; spending and forecast in the
//! status reports (over budget, below spend, creeping up); and follow-up across runs – an
//! overrun or red economy that stands says since when, and goes to the board for decision
//! when it has stood too long without a recorded decision.

use crate::check::context::{Context, Sheet, cell_loc, declared, field_loc};
use crate::check::process::Process;
use crate::model::choice::{Decider, Rag};
use crate::model::finding::{Code, Finding, Location};
use crate::model::project::{Input, Project, StatusReport};
use crate::model::value::{format_amount, format_date, format_millions};
use crate::text::Lang;
use crate::text::t;
use chrono::NaiveDate;

/// Amounts within half a krone are the same amount.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.5
}

fn kr(value: f64) -> (String, String) {
    (format_amount(value, Lang::Da), format_amount(value, Lang::En))
}

fn pct(value: f64) -> String {
    format!("{:.0}", value * 100.0)
}

/// Dated status reports, oldest first.
fn reports(project: &Project) -> Vec<(NaiveDate, &StatusReport)> {
    let mut dated: Vec<(NaiveDate, &StatusReport)> =
        project.status.iter().filter_map(|s| s.date.given().map(|d| (*d, s))).collect();
    dated.sort_by_key(|(d, s)| (*d, s.row));
    dated
}

/// A project's economy as the portfolio and the findings JSON show it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub baseline: Option<f64>,
    pub budget: Option<f64>,
    /// From the newest report that gives it.
    pub spent: Option<f64>,
    pub forecast: Option<f64>,
    /// Every forecast, oldest first.
    pub forecasts: Vec<f64>,
}

impl Summary {
    pub fn of(project: &Project) -> Summary {
        let dated = reports(project);
        let forecasts: Vec<f64> = dated.iter().filter_map(|(_, s)| s.forecast.given().copied()).collect();
        Summary {
            baseline: project.fields.budget_baseline.given().copied(),
            budget: project.fields.budget.given().copied(),
            spent: dated.iter().rev().find_map(|(_, s)| s.spent.given().copied()),
            forecast: forecasts.last().copied(),
            forecasts,
        }
    }

    /// The newest forecast against the first, in percent, when there are two or more.
    pub fn trend_pct(&self) -> Option<f64> {
        match (self.forecasts.first(), self.forecasts.last()) {
            (Some(first), Some(last)) if self.forecasts.len() >= 2 && *first > 0.0 => {
                Some((last / first - 1.0) * 100.0)
            }
            _ => None,
        }
    }

    /// The trend for people: `+21 % siden første rapport (1,9 → 2,3 mio. kr.)`.
    pub fn trend_text(&self, lang: Lang) -> Option<String> {
        let pct = self.trend_pct()?;
        let (first, last) = (self.forecasts.first()?, self.forecasts.last()?);
        let (a, b) = (format_millions(*first, lang), format_millions(*last, lang));
        Some(match lang {
            Lang::Da => format!("{pct:+.0} % siden første rapport ({a} → {b})"),
            Lang::En => format!("{pct:+.0} % since the first report ({a} → {b})"),
        })
    }
}

pub fn check(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let Some(phase) = project.fields.phase.given().copied() else {
        return;
    };
    let started = process.started(rules);
    let closed = phase == rules.key.closed;
    let f = &project.fields;
    if !started || closed {
        return;
    }
    if f.budget.value.is_blank() {
        out.push(Finding::new(
            Code::BudgetMissing,
            field_loc(project, &f.budget),
            t!(
                "Projektet er sat i gang, men Budget (kr.) er tomt. Skriv det samlede budget ekskl. moms, så forbrug og prognose kan følges.",
                "The project has started, but Budget (kr.) is empty. Enter the total budget excluding VAT, so spending and forecast can be followed."
            ),
        ));
    }
    let budget = f.budget.given().copied();
    baseline(ctx, project, budget, out);
    decided_by(ctx, project, out);
    changed_since_last_run(ctx, project, budget, out);
    if let Some(budget) = budget {
        spending(ctx, project, budget, out);
    }
}

/// The budget against 'Budget ved godkendelse (kr.)' and the logged changes; growth.
fn baseline(ctx: &Context<'_>, project: &Project, budget: Option<f64>, out: &mut Vec<Finding>) {
    let f = &project.fields;
    let Some(base) = f.budget_baseline.given().copied() else {
        if f.budget_baseline.value.is_blank() && budget.is_some() {
            let add = if f.budget_baseline.cell.is_some() {
                t!(
                    "Skriv budgettet, som det blev godkendt, i 'Budget ved godkendelse (kr.)'",
                    "Enter the budget as approved in 'Budget ved godkendelse (kr.)'"
                )
            } else {
                t!(
                    "Tilføj rækken 'Budget ved godkendelse (kr.)' i fanen Projekt (eller hent et nyt projektark med os2gov template) og skriv budgettet, som det blev godkendt",
                    "Add the row 'Budget ved godkendelse (kr.)' to the Projekt sheet (or get a new projektark with os2gov template) and enter the budget as approved"
                )
            };
            let (add_da, add_en) = (&add.da, &add.en);
            out.push(Finding::new(
                Code::BudgetBaselineMissing,
                field_loc(project, &f.budget_baseline),
                t!(
                    "Projektet er sat i gang, men budgettet ved godkendelse er ikke angivet, så ændringer af budgettet kan ikke følges. {add_da}; senere ændringer skrives i fanen Budgetændringer.",
                    "The project has started, but the budget at approval is not given, so changes to the budget cannot be followed. {add_en}; later changes go in the Budgetændringer sheet."
                ),
            ));
        }
        return;
    };
    // Follow the baseline through the logged changes; each must start where the last ended.
    // The last amount the board itself decided (and where) is what it has seen.
    let mut expected = base;
    let mut board_approved: Option<(f64, &crate::model::project::BudgetChange)> = None;
    for change in &project.budget_changes {
        if let (Input::Given(to), Input::Given(Decider::Bestyrelse)) = (&change.to, &change.decided_by) {
            board_approved = Some((*to, change));
        }
        let n = change.row + 1;
        if let (Input::Given(from), Input::Given(_)) = (&change.from, &change.to)
            && !same(*from, expected)
        {
            let ((fda, fen), (eda, een)) = (kr(*from), kr(expected));
            out.push(Finding::new(
                Code::BudgetUntraced,
                cell_loc(project, Sheet::Budget, change.row, "Fra (kr.)"),
                t!(
                    "Budgetændringer række {n}: ændringen går fra {fda}, men budgettet var {eda} (budget ved godkendelse og ændringerne før). En ændring mangler, eller et beløb er forkert.",
                    "Budgetændringer row {n}: the change goes from {fen}, but the budget was {een} (budget at approval and the changes before). A change is missing, or an amount is wrong."
                ),
            ));
        }
        if let Input::Given(to) = change.to {
            expected = to;
        }
    }
    if let Some(budget) = budget {
        if !same(budget, expected) {
            let ((bda, ben), (eda, een)) = (kr(budget), kr(expected));
            let sheet_missing = project.sheets.budget_changes.is_none();
            let (how_da, how_en) = if sheet_missing {
                (
                    "Tilføj fanen Budgetændringer (hent et nyt projektark med os2gov template), og skriv ændringen med dato, beløb, hvem der besluttede den og en reference",
                    "Add the Budgetændringer sheet (get a new projektark with os2gov template), and enter the change with date, amounts, who decided it and a reference",
                )
            } else {
                (
                    "Skriv ændringen i fanen Budgetændringer med dato, beløb, hvem der besluttede den og en reference",
                    "Enter the change in the Budgetændringer sheet with date, amounts, who decided it and a reference",
                )
            };
            out.push(Finding::new(
                Code::BudgetUntraced,
                field_loc(project, &project.fields.budget),
                t!(
                    "Budget (kr.) er {bda}, men budgettet ved godkendelse med de registrerede ændringer giver {eda}: sporet af, hvem der besluttede ændringen, er tabt. {how_da}.",
                    "Budget (kr.) is {ben}, but the budget at approval with the logged changes gives {een}: the trace of who decided the change is lost. {how_en}."
                ),
            ));
        }
        let tolerance = ctx.rules.params.budget_tolerance_pct;
        if base > 0.0 && budget > base * (1.0 + tolerance / 100.0) {
            let growth = pct(budget / base - 1.0);
            let ((bda, ben), (oda, oen)) = (kr(budget), kr(base));
            let at = field_loc(project, &project.fields.budget);
            // Growth the board itself approved (the current budget is the amount of its
            // latest budget change) is noted, not put before the board again.
            match board_approved.filter(|(to, _)| same(*to, budget)) {
                Some((_, change)) => {
                    let (n, d) = (change.row + 1, change.date.given().map(|d| format_date(*d)).unwrap_or_default());
                    out.push(
                        Finding::new(
                            Code::BudgetGrowth,
                            at,
                            t!(
                                "Budgettet er vokset fra {oda} ved godkendelsen til {bda} (+{growth} %); bestyrelsen har godkendt det nye budget {d} (Budgetændringer række {n}).",
                                "The budget has grown from {oen} at approval to {ben} (+{growth} %); the board approved the new budget on {d} (Budgetændringer row {n})."
                            ),
                        )
                        .with_severity(crate::model::finding::Severity::Info),
                    );
                }
                None => out.push(Finding::new(
                    Code::BudgetGrowth,
                    at,
                    t!(
                        "Budgettet er vokset fra {oda} ved godkendelsen til {bda} (+{growth} %; tolerancen er {tolerance} %). Bestyrelsen skal se, at projektet er blevet dyrere end godkendt.",
                        "The budget has grown from {oen} at approval to {ben} (+{growth} %; the tolerance is {tolerance} %). The board needs to see that the project costs more than approved."
                    ),
                )),
            }
        }
    }
}

/// Who may decide a budget change: the board from the level given by the parameter
/// `budgetaendring_bestyrelse_fra_niveau`, below it the board, the steering group or the
/// secretariat.
fn decided_by(ctx: &Context<'_>, project: &Project, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    let Some(level) = declared(project) else {
        return;
    };
    let board_only = rules.level(level).order >= rules.params.budget_board_from_order;
    let allowed: &[Decider] = if board_only {
        &[Decider::Bestyrelse]
    } else {
        &[Decider::Bestyrelse, Decider::Styregruppe, Decider::Sekretariat]
    };
    let label = crate::check::context::level_label(rules, level);
    for change in &project.budget_changes {
        let Input::Given(by) = change.decided_by else {
            continue;
        };
        if allowed.contains(&by) {
            continue;
        }
        let n = change.row + 1;
        let (got, got_en) = (by.da(), by.label(Lang::En));
        let (want, want_en) = if board_only {
            ("Bestyrelse", "the board (Bestyrelse)")
        } else {
            ("Bestyrelse, Styregruppe eller Sekretariat", "Bestyrelse, Styregruppe or Sekretariat")
        };
        out.push(Finding::new(
            Code::BudgetDeciderWrong,
            cell_loc(project, Sheet::Budget, change.row, "Besluttet af"),
            t!(
                "Budgetændringer række {n}: ændringen er besluttet af {got}, men på {label} skal en budgetændring besluttes af {want}. Få ændringen godkendt, eller ret beslutteren.",
                "Budgetændringer row {n}: the change was decided by {got_en}, but at {label} a budget change must be decided by {want_en}. Have the change approved, or fix the decider."
            ),
        ));
    }
}

/// The budget changed since the previous run without a logged change to explain it.
fn changed_since_last_run(ctx: &Context<'_>, project: &Project, budget: Option<f64>, out: &mut Vec<Finding>) {
    let (Some(budget), Some(before)) = (budget, ctx.previous.and_then(|p| p.budget)) else {
        return;
    };
    if same(budget, before) {
        return;
    }
    // Explained when the log (with the baseline first) passes through the old amount
    // and later reaches the new one.
    let mut amounts: Vec<f64> = project.fields.budget_baseline.given().copied().into_iter().collect();
    for c in &project.budget_changes {
        amounts.extend(c.from.given().copied());
        amounts.extend(c.to.given().copied());
    }
    let explained =
        amounts.iter().enumerate().any(|(i, a)| same(*a, before) && amounts[i + 1..].iter().any(|b| same(*b, budget)));
    let at = field_loc(project, &project.fields.budget);
    if explained || out.iter().any(|f| f.code == Code::BudgetUntraced && f.location == at) {
        return;
    }
    let ((ada, aen), (bda, ben)) = (kr(before), kr(budget));
    let prev = ctx.previous.and_then(|p| p.period.clone()).unwrap_or_default();
    out.push(Finding::new(
        Code::BudgetUntraced,
        at,
        t!(
            "Budgettet er ændret fra {ada} (kørslen {prev}) til {bda}, men ændringen står ikke i fanen Budgetændringer: sporet af, hvem der besluttede den, er tabt. Skriv ændringen med dato, beløb, beslutter og reference.",
            "The budget changed from {aen} (the run {prev}) to {ben}, but the change is not in the Budgetændringer sheet: the trace of who decided it is lost. Enter the change with date, amounts, decider and reference."
        ),
    ));
}

/// Spending and forecast in the newest reports, and a forecast creeping up.
fn spending(ctx: &Context<'_>, project: &Project, budget: f64, out: &mut Vec<Finding>) {
    let params = &ctx.rules.params;
    let tolerance = params.budget_tolerance_pct;
    let dated = reports(project);
    let newest_spent = dated.iter().rev().find_map(|(d, s)| s.spent.given().map(|v| (*d, *s, *v)));
    let forecasts: Vec<(NaiveDate, &StatusReport, f64)> =
        dated.iter().filter_map(|(d, s)| s.forecast.given().map(|v| (*d, *s, *v))).collect();
    let newest_forecast = forecasts.last().copied();
    let limit = budget * (1.0 + tolerance / 100.0);
    let (bda, ben) = kr(budget);
    let mut overrun = false;
    if let Some((date, report, spent)) = newest_spent
        && spent > budget + 0.5
    {
        overrun = true;
        let ((sda, sen), d) = (kr(spent), format_date(date));
        out.push(Finding::new(
            Code::BudgetOverrun,
            cell_loc(project, Sheet::Status, report.row, "Forbrug (kr.)"),
            t!(
                "Forbruget på {sda} (statusrapporten {d}) overstiger budgettet på {bda}: budgettet er allerede brugt. Projektet skal tages op: kan det gennemføres inden for rammen, eller skal budgettet ændres ved en beslutning?",
                "Spending of {sen} (the status report of {d}) exceeds the budget of {ben}: the budget is already spent. The project must be reconsidered: can it be done within its frame, or must the budget be changed by a decision?"
            ),
        ));
    }
    if let Some((_, report, forecast)) = newest_forecast
        && forecast > limit
        && !overrun
    {
        overrun = true;
        let pct = ((forecast / budget - 1.0) * 100.0).round();
        let (fda, fen) = kr(forecast);
        out.push(Finding::new(
            Code::BudgetOverrun,
            cell_loc(project, Sheet::Status, report.row, "Prognose (kr.)"),
            t!(
                "Prognosen på {fda} overstiger budgettet på {bda} med {pct} % (tolerancen er {tolerance} %). Projektet skal tages op: kan det gennemføres inden for rammen?",
                "The forecast of {fen} exceeds the budget of {ben} by {pct} % (the tolerance is {tolerance} %). The project must be reconsidered: can it be done within its frame?"
            ),
        ));
    }
    // In the newest report with both: a forecast below what is already spent.
    if let Some((date, report)) =
        dated.iter().rev().find(|(_, s)| s.spent.given().is_some() && s.forecast.given().is_some())
        && let (Some(spent), Some(forecast)) = (report.spent.given(), report.forecast.given())
        && *forecast + 0.5 < *spent
    {
        let ((fda, fen), (sda, sen), d) = (kr(*forecast), kr(*spent), format_date(*date));
        out.push(Finding::new(
            Code::BudgetForecastBelowSpend,
            cell_loc(project, Sheet::Status, report.row, "Prognose (kr.)"),
            t!(
                "Statusrapporten {d}: prognosen på {fda} er lavere end forbruget på {sda}. Prognosen er det samlede forventede forbrug og kan ikke være lavere end det, der allerede er brugt; ret den.",
                "The status report of {d}: the forecast of {fen} is below spending of {sen}. The forecast is the total expected spending and cannot be below what is already spent; fix it."
            ),
        ));
    }
    // A forecast creeping up – since the baseline or the first report – in steps that each
    // stay within the tolerance, unless the overrun already says it.
    if overrun {
        return;
    }
    let Some((_, report, newest)) = newest_forecast else {
        return;
    };
    // Against the baseline only while the budget still is the baseline: a budget changed
    // by a decision is BUDGET-GROWTH's matter, not the forecast's.
    let mut references: Vec<(f64, bool)> = Vec::new();
    if let Some(base) = project.fields.budget_baseline.given()
        && same(*base, budget)
    {
        references.push((*base, true));
    }
    if forecasts.len() >= 2 {
        references.push((forecasts[0].2, false));
    }
    let creep = references
        .iter()
        .filter(|(r, _)| *r > 0.0 && newest > r * (1.0 + tolerance / 100.0))
        .max_by(|a, b| (newest / a.0).total_cmp(&(newest / b.0)));
    if let Some((reference, from_baseline)) = creep {
        let growth = pct(newest / reference - 1.0);
        let series = |lang| {
            let mut points: Vec<f64> = Vec::new();
            if *from_baseline {
                points.push(*reference);
            }
            points.extend(forecasts.iter().map(|(_, _, v)| *v));
            let text: Vec<String> = points
                .iter()
                .map(|v| {
                    let s = format_millions(*v, lang);
                    s.split(' ').next().unwrap_or("").to_string()
                })
                .collect();
            let unit = format_millions(*reference, lang);
            let unit = unit.split_once(' ').map(|(_, u)| u.to_string()).unwrap_or_default();
            format!("{} {unit}", text.join(" → "))
        };
        let (sda, sen) = (series(Lang::Da), series(Lang::En));
        let (since_da, since_en) = if *from_baseline {
            ("budgettet ved godkendelsen", "the budget at approval")
        } else {
            ("første rapport", "the first report")
        };
        out.push(Finding::new(
            Code::BudgetForecastCreep,
            cell_loc(project, Sheet::Status, report.row, "Prognose (kr.)"),
            t!(
                "Prognosen er steget {growth} % siden {since_da} ({sda}), i trin der hver for sig er inden for tolerancen på {tolerance} %. Tag det op, før rammen er brugt.",
                "The forecast has risen {growth} % since {since_en} ({sen}), in steps that each stay within the tolerance of {tolerance} %. Raise it before the frame is used up."
            ),
        ));
    }
}

/// Whether a finding is about the economy standing wrong: an overrun, or the newest
/// status report red on Økonomi.
fn economy_problem(project: &Project, f: &Finding) -> bool {
    match f.code {
        Code::BudgetOverrun => true,
        Code::StatusRed => {
            let newest = project.newest_status();
            newest.is_some_and(|(s, _)| {
                s.economy == Input::Given(Rag::Roed) && f.location == cell_loc(project, Sheet::Status, s.row, "Økonomi")
            })
        }
        _ => false,
    }
}

/// A decision recorded on or after `since`: a budget change, a backflow with Årsag
/// OEKONOMI, a pause or a stop.
fn decided_since(ctx: &Context<'_>, project: &Project, since: NaiveDate) -> bool {
    let rules = ctx.rules;
    let on_or_after = |d: &Input<NaiveDate>| d.given().is_some_and(|d| *d >= since);
    let change = project.budget_changes.iter().any(|c| on_or_after(&c.date));
    let economy_reason = rules.find_reason("OEKONOMI");
    let step = project.history.iter().any(|s| {
        on_or_after(&s.date)
            && (s.to.given().is_some_and(|t| rules.is_off_line(*t))
                || (economy_reason.is_some()
                    && s.reason.as_deref().and_then(|r| rules.find_reason(r)) == economy_reason))
    });
    change || step
}

/// Follow-up across runs: an overrun or red economy that stood in the previous run and
/// still stands says since which period; after `budget_eskalering_perioder` periods
/// without a recorded decision it goes to the board (`BUDGET-ESCALATED`). Returns the
/// period since which the problem stands (for the next run), if it stands.
pub fn follow_up(ctx: &Context<'_>, project: &Project, findings: &mut Vec<Finding>) -> Option<String> {
    let closed = project.fields.phase.given() == Some(&ctx.rules.key.closed);
    if closed || !findings.iter().any(|f| economy_problem(project, f)) {
        return None;
    }
    let previous = ctx.previous;
    let prev_had = previous.is_some_and(|p| {
        p.economy_since.is_some() || p.findings.iter().any(|(code, _, _)| code == Code::BudgetOverrun.as_str())
    });
    let since = match previous {
        Some(p) if prev_had => p.economy_since.clone().or_else(|| p.period.clone()),
        _ => None,
    }
    .unwrap_or_else(|| ctx.period.to_string());
    let periods = crate::model::period::months_between(&since, ctx.period).unwrap_or(0);
    if periods <= 0 {
        return Some(since);
    }
    let runs = periods + 1;
    for f in findings.iter_mut().filter(|f| economy_problem(project, f)) {
        f.message = f
            .message
            .clone()
            .then(&t!("Det har stået siden {since} ({runs} kørsler).", "It has stood since {since} ({runs} runs)."));
    }
    let limit = ctx.rules.params.escalation_periods;
    let decided =
        crate::model::period::Period::parse(&since).is_some_and(|p| decided_since(ctx, project, p.first_day()));
    if periods >= limit && !decided {
        let at = findings
            .iter()
            .find(|f| economy_problem(project, f))
            .map(|f| f.location.clone())
            .unwrap_or_else(|| Location::sheet(crate::model::layout::STATUS));
        findings.push(Finding::new(
            Code::BudgetEscalated,
            at,
            t!(
                "Økonomien har været overskredet eller rød siden {since} ({runs} kørsler), uden at en beslutning er registreret (en budgetændring, et tilbageløb med årsag OEKONOMI, en pause eller et stop). Sagen går derfor til bestyrelsen til beslutning: skal projektet fortsætte, ændres eller stoppes?",
                "The economy has been over budget or red since {since} ({runs} runs) without a recorded decision (a budget change, a backflow with reason OEKONOMI, a pause or a stop). The matter therefore goes to the board for decision: should the project continue, change or stop?"
            ),
        ));
    }
    Some(since)
}

#[cfg(test)]
mod tests;
