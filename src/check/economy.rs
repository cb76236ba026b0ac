//! Economy with memory: the budget against its approved baseline and the logged changes
//! (Budgetændringer), who may decide a change, total growth; spending and forecast in the
//! status reports (over budget, below spend, creeping up); and follow-up across runs – an
//! overrun or red economy that stands says since when, and goes to the board for decision
//! when it has stood too long without a recorded decision.

use crate::check::context::{Context, Sheet, cell_loc, field_loc, sheet_loc};
use crate::check::process::Process;
use crate::check::records::{ClaimSource, Judged};
use crate::model::choice::{Decider, Rag};
use crate::model::finding::{Code, Finding, Location};
use crate::model::history::{BudgetRow, Keyed, ProjectState};
use crate::model::project::{Input, Project, StatusReport};
use crate::model::value::{format_amount, format_date, format_millions};
use crate::text::t;
use crate::text::{Lang, Text};
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
    /// The rows dated after `as_of` never count (INPUT-FUTURE-DATE): the portfolio, the
    /// board's facts and the findings JSON show what the checks judged.
    pub fn of(project: &Project, as_of: NaiveDate) -> Summary {
        let mut dated = reports(project);
        dated.retain(|(d, _)| *d <= as_of);
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

/// A logged decision that counts as the board's, about `project`, of one of `kinds`, dated
/// by `when`, with Beløb equal to `amount` when both are given.
fn logged<'r>(
    rules: &'r crate::model::rules::Rules,
    project: &'r str,
    kinds: &[crate::model::choice::DecisionKind],
    when: impl Fn(NaiveDate) -> bool,
    amount: Option<f64>,
) -> Option<&'r crate::model::rules::Decision> {
    rules
        .counted_decisions_for(project)
        .filter(|d| {
            kinds.iter().any(|k| d.is(*k))
                && when(d.date)
                && match (d.amount, amount) {
                    (Some(a), Some(b)) => same(a, b),
                    _ => true,
                }
        })
        .last()
}

/// A Budgetændringer row as this run accepts it.
#[derive(Clone, Debug, PartialEq)]
pub struct AcceptedRow {
    pub accepted: BudgetRow,
    /// The row in the current sheet (0-based), when the sheet still has the row's key.
    pub sheet_row: Option<u32>,
    /// Rewritten without a decision in the log: the current version (`None`: removed),
    /// which is not accepted.
    pub rewritten: Option<Option<BudgetRow>>,
    /// Accepted as a correction: the earlier version, which the period last seen reported
    /// `BUDGET-UNTRACED` (see [`accepted`]).
    pub corrected: Option<BudgetRow>,
}

/// The budget as accepted against what earlier periods showed (issue 20): 'Budget ved
/// godkendelse' and the Budgetændringer rows. A rewrite or a removed row keeps the
/// earlier value, unless a board decision in the log explains it (Type Budget or
/// Godkendelse after the earlier value was last seen, for the baseline; Type Budget on the
/// row's date, for a row), or it is a **correction**:
///
/// - a row the period last seen reported `BUDGET-UNTRACED` on its Fra (it did not start
///   where the change before ended), rewritten – same date – so that it now does; naming
///   Bestyrelse it must be in the log as above (a correction cannot make a board decision
///   the log lacks); likewise a row whose Besluttet af was blank then (no recorded
///   decider), now filled in with its date and amounts unchanged. Only a flagged row: a row that was in order stays as it was, and a
///   Budget raised without a row (`BUDGET-UNTRACED` on Budget) cannot be "corrected" by
///   rewriting an earlier row up to it;
/// - 'Budget ved godkendelse' when the first change of the chain was such a row, rewritten
///   to that change's Fra (the chain then holds), and the log has no approval with another
///   Beløb.
///
/// A correction is accepted (and said, `BUDGET-CORRECTED`); the corrected row is judged by
/// every rule like any other (decider, the board's log). Without history: the current
/// values.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Accepted {
    pub baseline: Option<f64>,
    /// The current 'Budget ved godkendelse' when it was not accepted (`Some(None)`: blanked).
    pub baseline_rewritten: Option<Option<f64>>,
    /// The earlier 'Budget ved godkendelse' when the current one was accepted as a
    /// correction (see [`accepted`]).
    pub baseline_corrected: Option<f64>,
    pub rows: Vec<AcceptedRow>,
}

pub fn accepted(rules: &crate::model::rules::Rules, project: &Project, history: Option<&ProjectState>) -> Accepted {
    use crate::model::choice::DecisionKind::{Budget, Godkendelse};
    let id = project.id().unwrap_or_default();
    let current_base = project.fields.budget_baseline.given().copied();
    let current: Vec<(BudgetRow, u32)> = BudgetRow::of(project);
    let Some(h) = history else {
        return Accepted {
            baseline: current_base,
            baseline_rewritten: None,
            baseline_corrected: None,
            rows: current
                .into_iter()
                .map(|(r, row)| AcceptedRow { accepted: r, sheet_row: Some(row), rewritten: None, corrected: None })
                .collect(),
        };
    };
    let since = crate::model::period::Period::parse(&h.last_seen).map(|p| p.first_day());
    let mut out = Accepted::default();
    // The chain as the sheet now has it: the amount each row should start from (sheet
    // order, as the chain is checked), from the current baseline.
    let chain_from = |sheet_row: u32| {
        let mut expected = current_base?;
        for c in &project.budget_changes {
            if c.row == sheet_row {
                return Some(expected);
            }
            if let Input::Given(to) = c.to {
                expected = to;
            }
        }
        None
    };
    // The first change's Fra as the sheet now has it, when it is the Fra the flagged period
    // showed: the baseline may be corrected to where that change starts, not to a Fra
    // rewritten together with it.
    let first_from = project
        .budget_changes
        .iter()
        .find(|c| c.to.given().is_some())
        .and_then(|c| Some((c.date.given().copied()?, c.from.given().copied()?)))
        .filter(|(date, from)| {
            h.budget_changes.iter().any(|s| s.row.date == *date && s.row.from.is_some_and(|f| same(f, *from)))
        })
        .map(|(_, from)| from);
    match (h.baseline, current_base) {
        (Some(old), new) if new.is_none_or(|n| !same(n, old)) => {
            let explained = new.is_some()
                && logged(rules, id, &[Budget, Godkendelse], |d| since.is_none_or(|s| d >= s), new).is_some();
            let corrects = h.baseline_untraced
                && new.zip(first_from).is_some_and(|(n, f)| same(n, f))
                && !rules
                    .counted_decisions_for(id)
                    .any(|d| d.is(Godkendelse) && d.amount.zip(new).is_some_and(|(a, n)| !same(a, n)));
            if explained {
                out.baseline = new;
            } else if corrects {
                out.baseline = new;
                out.baseline_corrected = Some(old);
            } else {
                out.baseline = Some(old);
                out.baseline_rewritten = Some(new);
            }
        }
        (old, new) => out.baseline = new.or(old),
    }
    let sheet = project.sheets.budget_changes.is_some();
    for seen in &h.budget_changes {
        let earlier = &seen.row;
        let now = current.iter().find(|(r, _)| r.key() == earlier.key());
        let row = match now {
            Some((r, sheet_row)) if r.same(earlier) => {
                AcceptedRow { accepted: r.clone(), sheet_row: Some(*sheet_row), rewritten: None, corrected: None }
            }
            Some((r, sheet_row)) => {
                let explained = logged(rules, id, &[Budget], |d| d == r.date, r.to).is_some();
                let same_amounts = |a: Option<f64>, b: Option<f64>| match (a, b) {
                    (Some(a), Some(b)) => same(a, b),
                    (a, b) => a.is_none() && b.is_none(),
                };
                // Only the flagged Fra is corrected: Til and the decider stay as reported (a
                // blank decider may be filled in), so a correction cannot move the amount a
                // decision reached.
                let chains = h.untraced.contains(&earlier.key())
                    && r.from.zip(chain_from(*sheet_row)).is_some_and(|(f, e)| same(f, e))
                    && same_amounts(r.to, earlier.to)
                    && (earlier.by.is_none() || r.by == earlier.by);
                let decider_filled = earlier.by.is_none()
                    && r.by.is_some()
                    && same_amounts(r.from, earlier.from)
                    && same_amounts(r.to, earlier.to);
                let corrects = !explained
                    && (chains || decider_filled)
                    && r.by.as_deref().and_then(Decider::parse) != Some(Decider::Bestyrelse);
                AcceptedRow {
                    accepted: if explained || corrects { r.clone() } else { earlier.clone() },
                    sheet_row: Some(*sheet_row),
                    rewritten: (!explained && !corrects).then(|| Some(r.clone())),
                    corrected: corrects.then(|| earlier.clone()),
                }
            }
            None => AcceptedRow {
                accepted: earlier.clone(),
                sheet_row: None,
                rewritten: sheet.then_some(None),
                corrected: None,
            },
        };
        out.rows.push(row);
    }
    for (r, sheet_row) in current {
        if !h.budget_changes.iter().any(|s| s.row.key() == r.key()) {
            out.rows.push(AcceptedRow { accepted: r, sheet_row: Some(sheet_row), rewritten: None, corrected: None });
        }
    }
    out.rows.sort_by_key(|r| r.accepted.key());
    out
}

/// The last board-approved budget: the accepted baseline followed through the accepted
/// changes that were *authorised* – decided by a body allowed at the level in force on
/// the change's date, and when it names the board, in the board's records (the log's
/// amount counts). With it, the date of that decision (`None`: the approval itself).
pub fn approved(
    ctx: &Context<'_>,
    project: &Project,
    process: &Process,
    accepted: &Accepted,
) -> Option<(f64, Option<NaiveDate>)> {
    let rules = ctx.rules;
    let mut approved = (accepted.baseline?, None);
    // A row dated after the run date never counts (it is INPUT-FUTURE-DATE): a decision
    // that has not been taken cannot have approved anything.
    for r in accepted.rows.iter().filter(|r| r.accepted.date <= ctx.as_of) {
        let (Some(to), Some(by)) = (r.accepted.to, r.accepted.by.as_deref().and_then(Decider::parse)) else {
            continue;
        };
        let Some(level) = process.course.level_at(Some(r.accepted.date)).or(process.in_force) else {
            continue;
        };
        let board_only = rules.level(level).order >= rules.params.budget_board_from_order;
        if board_only && by != Decider::Bestyrelse {
            continue;
        }
        let mut amount = to;
        if by == Decider::Bestyrelse {
            // The current sheet's row: as the claims were judged against the log. A row only
            // the history has: from the log's cut-over, a logged Budget decision that day.
            let judged = r
                .rewritten
                .is_none()
                .then(|| r.sheet_row.and_then(|row| process.claim_of(ClaimSource::BudgetRow(row)).map(|(_, j)| *j)))
                .flatten();
            match judged {
                Some(j) => match board_amount(rules, j, to) {
                    Some(a) => amount = a,
                    None => continue,
                },
                None => {
                    let authoritative = rules.params.decision_log_from.is_some_and(|f| r.accepted.date >= f);
                    let id = project.id().unwrap_or_default();
                    if authoritative
                        && logged(
                            rules,
                            id,
                            &[crate::model::choice::DecisionKind::Budget],
                            |d| d == r.accepted.date,
                            None,
                        )
                        .is_none()
                    {
                        continue;
                    }
                }
            }
        }
        approved = (amount, Some(r.accepted.date));
    }
    Some(approved)
}

/// What a Budgetændringer row naming the board approved, as its claim was judged against
/// the log: the row's Til, or the log's Beløb when the log has the decision with another
/// amount; `None` when the claim does not count.
fn board_amount(rules: &crate::model::rules::Rules, judged: Judged, to: f64) -> Option<f64> {
    match judged {
        Judged::SupportedOther(i, _) => Some(rules.decisions[i].amount.unwrap_or(to)),
        j if !j.counts() => None,
        _ => Some(to),
    }
}

/// The amounts the economy rules judged by, for the history and the board's text.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct JudgedBy {
    /// The last board-approved budget (see [`approved`]).
    pub approved: Option<f64>,
    /// 'Budget ved godkendelse' as accepted against earlier periods (see [`accepted`]).
    pub baseline: Option<f64>,
}

/// The economy rules; returns the amounts they judged by (default when the project has not
/// started or is closed).
pub fn check(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) -> JudgedBy {
    let rules = ctx.rules;
    let Some(phase) = project.fields.phase.given().copied() else {
        return JudgedBy::default();
    };
    let started = process.started(rules);
    // A stop that does not count (the board's records lack it) leaves the duties standing.
    let closed = phase == rules.key.closed && process.closed;
    let f = &project.fields;
    if !started || closed {
        return JudgedBy::default();
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
    let history = ctx.previous.and_then(|p| p.history.as_deref());
    let accepted = accepted(rules, project, history);
    rewritten(ctx, project, &accepted, out);
    baseline(ctx, project, process, budget, accepted.baseline, out);
    decided_by(ctx, project, process, out);
    changed_since_last_run(ctx, project, budget, out);
    // Overrun and creep against the last budget the board approved (or its authorised
    // deciders): tolerances do not compound, and a board raise resets the base.
    let approved = approved(ctx, project, process, &accepted);
    if let Some(budget) = budget {
        spending(ctx, project, budget, approved, history, out);
    }
    JudgedBy { approved: approved.map(|(a, _)| a), baseline: accepted.baseline }
}

/// 'Budget ved godkendelse' or a past Budgetændringer row rewritten or removed since an
/// earlier period showed it, with no board decision in the log to explain it.
fn rewritten(ctx: &Context<'_>, project: &Project, accepted: &Accepted, out: &mut Vec<Finding>) {
    let fmt = |v: Option<f64>| match v {
        Some(v) => kr(v),
        None => ("tom".to_string(), "blank".to_string()),
    };
    corrected(ctx, project, accepted, out);
    if let Some(new) = accepted.baseline_rewritten {
        let ((oda, oen), (nda, nen)) = (fmt(accepted.baseline), fmt(new));
        out.push(Finding::new(
            Code::BudgetHistoryRewritten,
            field_loc(project, &project.fields.budget_baseline),
            t!(
                "Budget ved godkendelse er ændret fra {oda} (tidligere perioder) til {nda}, uden at en beslutning i bestyrelsens log forklarer det. Budgettet ved godkendelse ændres ikke; en ændring skrives i fanen Budgetændringer. os2gov regner fortsat med {oda}.",
                "'Budget ved godkendelse' was changed from {oen} (earlier periods) to {nen}, with no decision in the board's log to explain it. The budget at approval is not changed; a change goes in the Budgetændringer sheet. os2gov keeps counting with {oen}."
            ),
        ));
    }
    for r in &accepted.rows {
        let Some(now) = &r.rewritten else { continue };
        let a = &r.accepted;
        let d = format_date(a.date);
        let ((fda, fen), (tda, ten)) = (fmt(a.from), fmt(a.to));
        let (what_da, what_en) = match now {
            Some(n) => {
                let ((nfda, nfen), (ntda, nten)) = (fmt(n.from), fmt(n.to));
                (format!("er ændret til {nfda} → {ntda}"), format!("was changed to {nfen} → {nten}"))
            }
            None => ("er slettet".to_string(), "was removed".to_string()),
        };
        let at = match r.sheet_row {
            Some(row) => cell_loc(project, Sheet::Budget, row, "Til (kr.)"),
            None => sheet_loc(project, Sheet::Budget),
        };
        out.push(Finding::new(
            Code::BudgetHistoryRewritten,
            at,
            t!(
                "Budgetændringen {d} ({fda} → {tda}), som tidligere perioder viste, {what_da}, uden at en budgetbeslutning i bestyrelsens log forklarer det. os2gov regner fortsat med den oprindelige ændring; en ny ændring skrives som en ny række.",
                "The budget change of {d} ({fen} → {ten}) that earlier periods showed {what_en}, with no budget decision in the board's log to explain it. os2gov keeps counting with the original change; a new change goes in a new row."
            ),
        ));
    }
}

/// A correction accepted (see [`accepted`]): said as information, so the secretariat
/// sees what changed in the history and why it counts.
fn corrected(ctx: &Context<'_>, project: &Project, accepted: &Accepted, out: &mut Vec<Finding>) {
    let flagged = ctx.previous.and_then(|p| p.history.as_deref()).map(|h| h.last_seen.clone()).unwrap_or_default();
    let info = crate::model::finding::Severity::Info;
    if let (Some(old), Some(new)) = (accepted.baseline_corrected, accepted.baseline) {
        let ((oda, oen), (nda, nen)) = (kr(old), kr(new));
        out.push(
            Finding::new(
                Code::BudgetCorrected,
                field_loc(project, &project.fields.budget_baseline),
                t!(
                    "Budget ved godkendelse er rettet fra {oda} til {nda}. Kørslen {flagged} meldte BUDGET-UNTRACED, fordi den første budgetændring ikke startede i budgettet ved godkendelsen; rettelsen får kæden til at hænge sammen og godtages derfor som en rettelse, ikke som en omskrivning.",
                    "'Budget ved godkendelse' was corrected from {oen} to {nen}. The run {flagged} reported BUDGET-UNTRACED because the first budget change did not start at the budget at approval; the correction makes the chain hold and is therefore accepted as a correction, not as a rewrite."
                ),
            )
            .with_severity(info),
        );
    }
    for r in &accepted.rows {
        let (Some(earlier), Some(sheet_row)) = (&r.corrected, r.sheet_row) else { continue };
        let now = &r.accepted;
        let d = format_date(now.date);
        let amounts = |row: &BudgetRow, lang: Lang| {
            let f = |v: Option<f64>| v.map(|v| format_amount(v, lang)).unwrap_or_else(|| "–".to_string());
            format!("{} → {}", f(row.from), f(row.to))
        };
        let (eda, een, nda, nen) =
            (amounts(earlier, Lang::Da), amounts(earlier, Lang::En), amounts(now, Lang::Da), amounts(now, Lang::En));
        let n = sheet_row + 1;
        if earlier.by.is_none() && (earlier.from, earlier.to) == (now.from, now.to) {
            let (by, by_en) = match now.by.as_deref().and_then(Decider::parse) {
                Some(b) => (b.da().to_string(), b.label(Lang::En).to_string()),
                None => (now.by.clone().unwrap_or_default(), now.by.clone().unwrap_or_default()),
            };
            out.push(
                Finding::new(
                    Code::BudgetCorrected,
                    cell_loc(project, Sheet::Budget, sheet_row, "Besluttet af"),
                    t!(
                        "Budgetændringer række {n} ({d}, {nda}) havde ingen beslutter i {flagged}; nu står der {by}. Det godtages som en rettelse, ikke som en omskrivning, og rækken vurderes som alle andre (hvem der må beslutte).",
                        "Budgetændringer row {n} ({d}, {nen}) had no decider in {flagged}; it now says {by_en}. That is accepted as a correction, not as a rewrite, and the row is judged like any other (who may decide)."
                    ),
                )
                .with_severity(info),
            );
            continue;
        }
        out.push(
            Finding::new(
                Code::BudgetCorrected,
                cell_loc(project, Sheet::Budget, sheet_row, "Fra (kr.)"),
                t!(
                    "Budgetændringer række {n} ({d}) er rettet fra {eda} til {nda}. Kørslen {flagged} meldte BUDGET-UNTRACED for rækken, fordi den ikke startede, hvor ændringen før sluttede; rettelsen får kæden til at hænge sammen og godtages derfor som en rettelse, ikke som en omskrivning. Den rettede række vurderes som alle andre (hvem der må beslutte, bestyrelsens log).",
                    "Budgetændringer row {n} ({d}) was corrected from {een} to {nen}. The run {flagged} reported BUDGET-UNTRACED for the row because it did not start where the change before ended; the correction makes the chain hold and is therefore accepted as a correction, not as a rewrite. The corrected row is judged like any other (who may decide, the board's log)."
                ),
            )
            .with_severity(info),
        );
    }
}

/// The budget against 'Budget ved godkendelse (kr.)' and the logged changes; growth.
fn baseline(
    ctx: &Context<'_>,
    project: &Project,
    process: &Process,
    budget: Option<f64>,
    accepted_base: Option<f64>,
    out: &mut Vec<Finding>,
) {
    let f = &project.fields;
    let Some(current_base) = f.budget_baseline.given().copied() else {
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
    // Growth is measured from the accepted baseline (a rewritten one does not count).
    let base = accepted_base.unwrap_or(current_base);
    // Follow the baseline through the logged changes; each must start where the last ended.
    // The last amount the board itself decided (and where) is what it has seen.
    let mut expected = current_base;
    let mut board_approved: Option<(f64, &crate::model::project::BudgetChange)> = None;
    for change in &project.budget_changes {
        // A change the board decided counts only when its records have it (from the log's
        // cut-over); with another amount in the log, the log's amount is what it approved.
        let future = change.date.given().is_some_and(|d| *d > ctx.as_of);
        if let (Input::Given(to), Input::Given(Decider::Bestyrelse)) = (&change.to, &change.decided_by)
            && !future
        {
            // A row not judged against the log (before its cut-over) is believed.
            let judged = process.claim_of(ClaimSource::BudgetRow(change.row)).map(|(_, j)| *j);
            if let Some(amount) = judged.map_or(Some(*to), |j| board_amount(ctx.rules, j, *to)) {
                board_approved = Some((amount, change));
            }
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
fn decided_by(ctx: &Context<'_>, project: &Project, process: &Process, out: &mut Vec<Finding>) {
    let rules = ctx.rules;
    for change in &project.budget_changes {
        let Input::Given(by) = change.decided_by else {
            continue;
        };
        // Judged at the level in force on the change's date (undated: today's).
        let date = change.date.given().copied();
        let Some(level) = date.map_or(process.in_force, |d| process.course.level_at(Some(d))) else {
            continue;
        };
        let board_only = rules.level(level).order >= rules.params.budget_board_from_order;
        let allowed: &[Decider] = if board_only {
            &[Decider::Bestyrelse]
        } else {
            &[Decider::Bestyrelse, Decider::Styregruppe, Decider::Sekretariat]
        };
        if allowed.contains(&by) {
            continue;
        }
        let l = crate::check::context::level_label(rules, level);
        let when = match date {
            Some(d) => {
                let d = format_date(d);
                Text::new(
                    format!("projektet var på {l} den {d}, og dér"),
                    format!("the project was at {l} on {d}, where"),
                )
            }
            None => Text::new(format!("på {l}"), format!("at {l}")),
        };
        let (when, when_en) = (&when.da, &when.en);
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
                "Budgetændringer række {n}: ændringen er besluttet af {got}, men {when} skal en budgetændring besluttes af {want}. Få ændringen godkendt, eller ret beslutteren.",
                "Budgetændringer row {n}: the change was decided by {got_en}, but {when_en} a budget change must be decided by {want_en}. Have the change approved, or fix the decider."
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

/// A status report of the union: today's rows dated on or before the as-of, and the
/// rows earlier periods counted that the sheet no longer has (issue 20: a deleted row
/// still counts).
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub date: NaiveDate,
    pub n: u32,
    /// The row in today's sheet; `None` for a row only the history has.
    pub row: Option<u32>,
    pub spent: Option<f64>,
    pub forecast: Option<f64>,
}

/// The union of status reports, oldest first.
pub fn union_reports(project: &Project, history: Option<&ProjectState>, as_of: NaiveDate) -> Vec<Report> {
    let current = crate::model::history::StatusRow::of(project);
    let mut out: Vec<Report> = current
        .iter()
        .filter(|(r, _)| r.date <= as_of)
        .map(|(r, row)| Report { date: r.date, n: r.n, row: Some(*row), spent: r.spent, forecast: r.forecast })
        .collect();
    if let Some(h) = history {
        for r in h.counted_status() {
            if r.date <= as_of && !current.iter().any(|(c, _)| c.key() == r.key()) {
                out.push(Report { date: r.date, n: r.n, row: None, spent: r.spent, forecast: r.forecast });
            }
        }
    }
    out.sort_by_key(|r| (r.date, r.n));
    out
}

/// Where a report's column is: its cell, or the Status sheet for a row only the history has.
fn report_loc(project: &Project, r: &Report, col: &str) -> Location {
    match r.row {
        Some(row) => cell_loc(project, Sheet::Status, row, col),
        None => sheet_loc(project, Sheet::Status),
    }
}

/// Spending and forecast in the newest reports, and a forecast creeping up – over the
/// union of reports, against the last approved budget (`approved`: amount and the date of
/// the decision; `None`: the budget as given).
fn spending(
    ctx: &Context<'_>,
    project: &Project,
    budget: f64,
    approved: Option<(f64, Option<NaiveDate>)>,
    history: Option<&ProjectState>,
    out: &mut Vec<Finding>,
) {
    let params = &ctx.rules.params;
    let tolerance = params.budget_tolerance_pct;
    let dated = union_reports(project, history, ctx.as_of);
    let newest_spent = dated.iter().rev().find_map(|r| r.spent.map(|v| (r, v)));
    let forecasts: Vec<(&Report, f64)> = dated.iter().filter_map(|r| r.forecast.map(|v| (r, v))).collect();
    let newest_forecast = forecasts.last().copied();
    // The frame: the approved budget when there is one (a change nobody authorised does
    // not move it), else the budget.
    let frame = approved.map_or(budget, |(a, _)| a);
    let limit = frame * (1.0 + tolerance / 100.0);
    let (bda, ben) = if same(frame, budget) {
        let (a, b) = kr(budget);
        (format!("budgettet på {a}"), format!("the budget of {b}"))
    } else {
        let (a, b) = kr(frame);
        (format!("det godkendte budget på {a}"), format!("the approved budget of {b}"))
    };
    let mut overrun = false;
    if let Some((report, spent)) = newest_spent
        && spent > frame + 0.5
    {
        overrun = true;
        let ((sda, sen), d) = (kr(spent), format_date(report.date));
        out.push(Finding::new(
            Code::BudgetOverrun,
            report_loc(project, report, "Forbrug (kr.)"),
            t!(
                "Forbruget på {sda} (statusrapporten {d}) overstiger {bda}: budgettet er allerede brugt. Projektet skal tages op: kan det gennemføres inden for rammen, eller skal budgettet ændres ved en beslutning?",
                "Spending of {sen} (the status report of {d}) exceeds {ben}: the budget is already spent. The project must be reconsidered: can it be done within its frame, or must the budget be changed by a decision?"
            ),
        ));
    }
    if let Some((report, forecast)) = newest_forecast
        && forecast > limit
        && !overrun
    {
        overrun = true;
        let pct = ((forecast / frame - 1.0) * 100.0).round();
        let (fda, fen) = kr(forecast);
        out.push(Finding::new(
            Code::BudgetOverrun,
            report_loc(project, report, "Prognose (kr.)"),
            t!(
                "Prognosen på {fda} overstiger {bda} med {pct} % (tolerancen er {tolerance} %). Projektet skal tages op: kan det gennemføres inden for rammen?",
                "The forecast of {fen} exceeds {ben} by {pct} % (the tolerance is {tolerance} %). The project must be reconsidered: can it be done within its frame?"
            ),
        ));
    }
    // In the newest report with both: a forecast below what is already spent.
    if let Some(report) = dated.iter().rev().find(|r| r.spent.is_some() && r.forecast.is_some())
        && let (Some(spent), Some(forecast)) = (report.spent, report.forecast)
        && forecast + 0.5 < spent
    {
        let ((fda, fen), (sda, sen), d) = (kr(forecast), kr(spent), format_date(report.date));
        out.push(Finding::new(
            Code::BudgetForecastBelowSpend,
            report_loc(project, report, "Prognose (kr.)"),
            t!(
                "Statusrapporten {d}: prognosen på {fda} er lavere end forbruget på {sda}. Prognosen er det samlede forventede forbrug og kan ikke være lavere end det, der allerede er brugt; ret den.",
                "The status report of {d}: the forecast of {fen} is below spending of {sen}. The forecast is the total expected spending and cannot be below what is already spent; fix it."
            ),
        ));
    }
    // A forecast creeping up – since the last authorised budget decision, else since the
    // baseline or the first report – in steps that each stay within the tolerance, unless
    // the overrun already says it.
    if overrun {
        return;
    }
    let Some((report, newest)) = newest_forecast else {
        return;
    };
    #[derive(Clone, Copy, PartialEq)]
    enum From {
        Baseline,
        First,
        Decision(NaiveDate),
    }
    // (reference, where the series starts, what it is)
    let mut references: Vec<(f64, usize, From)> = Vec::new();
    match approved.and_then(|(_, d)| d) {
        // What the decision was taken on: the newest forecast dated on or before it, else
        // the first one after it.
        Some(decided) => {
            let at = forecasts
                .iter()
                .rposition(|(r, _)| r.date <= decided)
                .or_else(|| forecasts.iter().position(|(r, _)| r.date > decided).filter(|i| *i + 1 < forecasts.len()));
            if let Some(i) = at {
                references.push((forecasts[i].1, i, From::Decision(decided)));
            }
        }
        None => {
            // Against the baseline only while the budget still is the baseline: a budget
            // changed by a decision is BUDGET-GROWTH's matter, not the forecast's.
            if let Some(base) = project.fields.budget_baseline.given()
                && same(*base, budget)
            {
                references.push((*base, 0, From::Baseline));
            }
            if forecasts.len() >= 2 {
                references.push((forecasts[0].1, 0, From::First));
            }
        }
    }
    let creep = references
        .iter()
        .filter(|(r, _, _)| *r > 0.0 && newest > r * (1.0 + tolerance / 100.0))
        .max_by(|a, b| (newest / a.0).total_cmp(&(newest / b.0)));
    if let Some((reference, start, from)) = creep {
        let growth = pct(newest / reference - 1.0);
        let series = |lang| {
            let mut points: Vec<f64> = Vec::new();
            if *from == From::Baseline {
                points.push(*reference);
            }
            points.extend(forecasts[*start..].iter().map(|(_, v)| *v));
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
        let (since_da, since_en) = match from {
            From::Baseline => ("budgettet ved godkendelsen".to_string(), "the budget at approval".to_string()),
            From::First => ("første rapport".to_string(), "the first report".to_string()),
            From::Decision(d) => {
                let d = format_date(*d);
                (format!("budgetbeslutningen {d}"), format!("the budget decision of {d}"))
            }
        };
        out.push(Finding::new(
            Code::BudgetForecastCreep,
            report_loc(project, report, "Prognose (kr.)"),
            t!(
                "Prognosen er steget {growth} % siden {since_da} ({sda}), i trin der hver for sig er inden for tolerancen på {tolerance} %. Tag det op, før rammen er brugt.",
                "The forecast has risen {growth} % since {since_en} ({sen}), in steps that each stay within the tolerance of {tolerance} %. Raise it before the frame is used up."
            ),
        ));
    }
}

/// Whether a finding is about the economy standing wrong: an overrun, or the newest
/// status report that counts on the run date red on Økonomi.
fn economy_problem(ctx: &Context<'_>, project: &Project, f: &Finding) -> bool {
    match f.code {
        Code::BudgetOverrun => true,
        Code::StatusRed => {
            let newest = project.newest_status_on(ctx.as_of);
            newest.is_some_and(|(s, _)| {
                s.economy == Input::Given(Rag::Roed) && f.location == cell_loc(project, Sheet::Status, s.row, "Økonomi")
            })
        }
        _ => false,
    }
}

/// Follow-up across runs: an overrun or red economy that stood in the previous run and
/// still stands says since which period; after `budget_eskalering_perioder` periods
/// without a recorded decision it goes to the board (`BUDGET-ESCALATED`). Returns the
/// period since which the problem stands (for the next run), if it stands.
pub fn follow_up(
    ctx: &Context<'_>,
    project: &Project,
    process: &Process,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let closed = project.fields.phase.given() == Some(&ctx.rules.key.closed) && process.closed;
    if closed || !findings.iter().any(|f| economy_problem(ctx, project, f)) {
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
    // Only a board decision in the log on the project (Type Budget, Stop, Andet or blank)
    // dated on or after the since-period's first day restarts the clock – at the
    // decision's period. A pause, a stop not in the log, a missed month or a re-upload do
    // not (issue 20).
    let since = match crate::model::period::Period::parse(&since) {
        Some(p) => {
            use crate::model::choice::DecisionKind::{Andet, Budget, Stop};
            let id = project.id().unwrap_or_default();
            match logged(ctx.rules, id, &[Budget, Stop, Andet], |d| d >= p.first_day() && d <= ctx.as_of, None) {
                Some(d) => crate::model::period::period_of(d.date).max(since),
                None => since,
            }
        }
        None => since,
    };
    let periods = crate::model::period::months_between(&since, ctx.period).unwrap_or(0);
    if periods <= 0 {
        return Some(since);
    }
    let runs = periods + 1;
    for f in findings.iter_mut().filter(|f| economy_problem(ctx, project, f)) {
        f.message = f
            .message
            .clone()
            .then(&t!("Det har stået siden {since} ({runs} kørsler).", "It has stood since {since} ({runs} runs)."));
    }
    let limit = ctx.rules.params.escalation_periods;
    if periods >= limit {
        let at = findings
            .iter()
            .find(|f| economy_problem(ctx, project, f))
            .map(|f| f.location.clone())
            .unwrap_or_else(|| Location::sheet(crate::model::layout::STATUS));
        findings.push(Finding::new(
            Code::BudgetEscalated,
            at,
            t!(
                "Økonomien har været overskredet eller rød siden {since} ({runs} kørsler), uden at en beslutning fra bestyrelsen står i loggen (Type Budget, Stop eller Andet). Sagen går derfor til bestyrelsen til beslutning: skal projektet fortsætte, ændres eller stoppes?",
                "The economy has been over budget or red since {since} ({runs} runs) without a board decision in the log (Type Budget, Stop or Andet). The matter therefore goes to the board for decision: should the project continue, change or stop?"
            ),
        ));
    }
    Some(since)
}

#[cfg(test)]
mod tests;
