//! The board's own records decide what the board decided. A projektark (the lead's
//! self-report) *claims* board decisions – the approval field, Historik steps and budget
//! changes decided by Bestyrelse; the styringsmodel's Beslutninger log, kept by the
//! secretariat from the minutes on the dates of Bestyrelsesmøder, says what was decided.
//! From Parametre `beslutningslog_fra` on, a claim counts only when the log has a matching
//! decision (Projekt-ID, kind, date); before it, it is believed as before the log was kept.
//! [`Records::judge_all`] matches a project's claims with the log; the process, economy and
//! decision checks act on the result. Pure.

use crate::model::choice::{BoardRole, Decider, DecisionKind, TransitionKind};
use crate::model::finding::Location;
use crate::model::project::Input;
use crate::model::register::Register;
use crate::model::rules::{Decision, LevelId, Rules};
use chrono::NaiveDate;

/// How far a claimed date may lie from the logged decision of the same kind and still be
/// that decision (a date typed from the minutes' draft, a weekend): the log's date counts
/// and the lead is asked to correct the projektark (`DECISION-MISMATCH`). The gate always
/// uses the log's date, so the slack only decides who is told, never whether a start was
/// covered. Below the smallest gap between OS2's board meetings.
pub const DECISION_DATE_SLACK_DAYS: i64 = 31;

/// The board's own records, as the checks see them: the styringsmodel (its calendar and its
/// decision log) and the secretariat's register.
#[derive(Clone, Copy, Debug)]
pub struct Records<'a> {
    pub rules: &'a Rules,
    pub register: &'a Register,
}

/// What a claim says the board decided.
#[derive(Clone, Debug, PartialEq)]
pub enum FactKind {
    /// The concept approved: 'Bestyrelse godkendt (dato)', Historik Bestyrelsesbehandling →
    /// Igangsat by Bestyrelse.
    Approval,
    /// A step into the closing phase (Udfaset) by Bestyrelse.
    Stop,
    /// A backflow by Bestyrelse.
    Backflow,
    /// Any other step by Bestyrelse (a pause from or a resumption into Bestyrelsesbehandling …).
    OtherStep,
    /// A Budgetændringer row by Bestyrelse, with the budget after it.
    Budget { to: Option<f64> },
}

impl FactKind {
    /// The log's Type for this fact.
    pub fn log_kind(&self) -> DecisionKind {
        match self {
            FactKind::Approval => DecisionKind::Godkendelse,
            FactKind::Stop => DecisionKind::Stop,
            FactKind::Backflow => DecisionKind::Tilbageloeb,
            FactKind::OtherStep => DecisionKind::Andet,
            FactKind::Budget { .. } => DecisionKind::Budget,
        }
    }
}

/// Where a claim is written in the projektark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimSource {
    ApprovalField,
    /// A Historik step (0-based row).
    Step(u32),
    /// A Budgetændringer row (0-based).
    BudgetRow(u32),
}

/// One board decision the projektark asserts.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub kind: FactKind,
    pub date: Input<NaiveDate>,
    /// Where it is written: the approval field and an approval step on the same date are
    /// one claim.
    pub sources: Vec<ClaimSource>,
    pub at: Location,
    /// The level in force on the claim's date, when known.
    pub level: Option<LevelId>,
    /// The fact is the board's at that level (only the board may create it).
    pub board_owned: bool,
    /// Believing the claim would lift an obligation or legitimise something (open the gate,
    /// end the duties of a running project, legitimise growth).
    pub conferring: bool,
}

/// Why a logged decision supports a claim only approximately.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Mismatch {
    /// The same kind, another date within [`DECISION_DATE_SLACK_DAYS`].
    Date,
    /// The same date and kind, another amount (Beløb (kr.)).
    Amount,
}

/// What the records say about a claim.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Judged {
    /// Dated before `beslutningslog_fra` (or the log is not yet authoritative): believed, as
    /// before the log was kept.
    Legacy,
    /// The log has the decision (index into `Rules::decisions`).
    Supported(usize),
    /// The log has a decision of the same kind at another date or with another amount: the
    /// log's values count.
    SupportedOther(usize, Mismatch),
    /// The log has no such decision; `not_a_meeting`: the claimed date is no listed meeting.
    Unsupported { not_a_meeting: bool },
    /// The claim's date cannot be read (said once, `INPUT-DATE-INVALID`).
    Unreadable,
}

impl Judged {
    /// The logged decision behind a supported claim.
    pub fn decision(self) -> Option<usize> {
        match self {
            Judged::Supported(i) | Judged::SupportedOther(i, _) => Some(i),
            _ => None,
        }
    }

    /// Whether the claim counts (believed or supported).
    pub fn counts(self) -> bool {
        matches!(self, Judged::Legacy | Judged::Supported(_) | Judged::SupportedOther(..))
    }
}

/// True when a step is the board's approval: Bestyrelsesbehandling → Igangsat decided
/// by Bestyrelse. No other board-decided step is an approval.
pub fn is_approval_step(rules: &Rules, step: &crate::model::project::HistoryStep) -> bool {
    step.from == Input::Given(rules.key.board_review)
        && step.to == Input::Given(rules.key.started)
        && step.decider == Input::Given(Decider::Bestyrelse)
}

/// Whether `level` is one the board approves (Bestyrelse = Godkendelse).
pub fn approval_level(rules: &Rules, level: LevelId) -> bool {
    rules.level(level).board == BoardRole::Godkendelse
}

impl<'a> Records<'a> {
    pub fn new(rules: &'a Rules, register: &'a Register) -> Records<'a> {
        Records { rules, register }
    }

    /// `beslutningslog_fra`.
    pub fn log_from(&self) -> Option<NaiveDate> {
        self.rules.params.decision_log_from
    }

    /// Whether a decision dated `date` counts only with the log.
    pub fn authoritative_on(&self, date: NaiveDate) -> bool {
        self.log_from().is_some_and(|from| date >= from)
    }

    /// The logged decisions of a project that count as board decisions, by index.
    pub fn counted(&self, project: &str) -> Vec<usize> {
        let id = crate::text::fold(project);
        let from = self.log_from();
        (0..self.rules.decisions.len())
            .filter(|i| {
                let d = &self.rules.decisions[*i];
                crate::text::fold(&d.project) == id && d.counts(from)
            })
            .collect()
    }

    pub fn decision(&self, index: usize) -> &'a Decision {
        &self.rules.decisions[index]
    }

    /// Whether a logged decision can support a claim of this kind.
    fn fits(&self, d: &Decision, kind: &FactKind) -> bool {
        match kind {
            // Any board decision that day about the project covers a step that changes
            // nothing the board owns.
            FactKind::OtherStep => true,
            // The board's raise to an approval level is its approval (OS2web).
            FactKind::Approval => {
                d.is(DecisionKind::Godkendelse)
                    || (d.kind == Some(DecisionKind::Niveau) && d.level.is_some_and(|l| approval_level(self.rules, l)))
            }
            other => d.is(other.log_kind()),
        }
    }

    /// Judges a project's claims against the log together: each logged decision supports
    /// at most one claim of a conferring kind (exact dates first, then the nearest within
    /// [`DECISION_DATE_SLACK_DAYS`]). `legacy_undated`: an unreadable date is judged as
    /// before the cut-over (the project's history predates it).
    pub fn judge_all(&self, project: Option<&str>, claims: &[Claim], legacy_undated: bool) -> Vec<Judged> {
        let counted = project.map(|p| self.counted(p)).unwrap_or_default();
        let mut used = vec![false; self.rules.decisions.len()];
        let mut out: Vec<Option<Judged>> = vec![None; claims.len()];
        for (i, c) in claims.iter().enumerate() {
            match c.date {
                Input::Given(date) if !self.authoritative_on(date) => out[i] = Some(Judged::Legacy),
                Input::Given(_) => {}
                _ if legacy_undated => out[i] = Some(Judged::Legacy),
                _ => out[i] = Some(Judged::Unreadable),
            }
        }
        let exclusive = |c: &Claim| !matches!(c.kind, FactKind::OtherStep | FactKind::Backflow);
        // Exact dates.
        for (i, c) in claims.iter().enumerate() {
            let Input::Given(date) = c.date else { continue };
            if out[i].is_some() {
                continue;
            }
            let hit = counted.iter().copied().find(|j| {
                let d = self.decision(*j);
                d.date == date && self.fits(d, &c.kind) && !(exclusive(c) && used[*j])
            });
            if let Some(j) = hit {
                if exclusive(c) {
                    used[j] = true;
                }
                let amount_differs = match (&c.kind, self.decision(j).amount) {
                    (FactKind::Budget { to: Some(to) }, Some(logged)) => (to - logged).abs() >= 0.5,
                    _ => false,
                };
                out[i] = Some(if amount_differs {
                    Judged::SupportedOther(j, Mismatch::Amount)
                } else {
                    Judged::Supported(j)
                });
            }
        }
        // The nearest of the same (explicit) kind within the slack, nearest first.
        let mut near: Vec<(i64, usize, usize)> = Vec::new();
        for (i, c) in claims.iter().enumerate() {
            let Input::Given(date) = c.date else { continue };
            if out[i].is_some() || matches!(c.kind, FactKind::OtherStep) {
                continue;
            }
            for j in &counted {
                let d = self.decision(*j);
                let gap = (d.date - date).num_days().abs();
                let same_kind = d.kind.is_some() && self.fits(d, &c.kind);
                if same_kind && gap <= DECISION_DATE_SLACK_DAYS {
                    near.push((gap, i, *j));
                }
            }
        }
        near.sort();
        for (_, i, j) in near {
            if out[i].is_some() || (exclusive(&claims[i]) && used[j]) {
                continue;
            }
            if exclusive(&claims[i]) {
                used[j] = true;
            }
            out[i] = Some(Judged::SupportedOther(j, Mismatch::Date));
        }
        claims
            .iter()
            .zip(out)
            .map(|(c, j)| {
                j.unwrap_or_else(|| Judged::Unsupported {
                    not_a_meeting: c.date.given().is_some_and(|d| !self.rules.is_meeting(*d)),
                })
            })
            .collect()
    }

    /// Whether the board decided a licence other than OS2's default for a project: a
    /// counted Type Licens decision on or before `as_of` (when its text names an SPDX id,
    /// it must be this licence: else `Mismatch`). Before the cut-over – or without one – a
    /// decision without Type whose text names the licence (or "licens") still counts.
    pub fn licence_decided(&self, project: &str, licence: &str, as_of: NaiveDate) -> LicenceDecision {
        let wanted = crate::text::fold(licence);
        let mut mismatch = None;
        for j in self.counted(project) {
            let d = self.decision(j);
            if d.date > as_of {
                continue;
            }
            let text = crate::text::fold(&d.text);
            if d.kind == Some(DecisionKind::Licens) {
                let named = crate::model::licence::osi_ids_in(&d.text);
                if named.is_empty() || named.iter().any(|n| crate::text::fold(n) == wanted) {
                    return LicenceDecision::Decided(j);
                }
                mismatch = Some(j);
            } else if d.kind.is_none()
                && !self.authoritative_on(d.date)
                && (text.contains("licens") || text.contains(&wanted))
            {
                return LicenceDecision::Decided(j);
            }
        }
        match mismatch {
            Some(j) => LicenceDecision::Mismatch(j),
            None => LicenceDecision::None,
        }
    }
}

/// What the log says about a project's licence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LicenceDecision {
    /// A licence decision for this licence (index into `Rules::decisions`).
    Decided(usize),
    /// A licence decision naming another licence.
    Mismatch(usize),
    None,
}

/// The claims a projektark makes about the board's decisions. `level_at` gives the level
/// in force on a date (the step's row for a Historik step), `field_other`: the approval
/// field is the date of another board decision (then it is not claimed as an approval).
pub fn claims(
    rules: &Rules,
    project: &crate::model::project::Project,
    level_at: &dyn Fn(Option<NaiveDate>, Option<u32>) -> Option<LevelId>,
    field_other: bool,
) -> Vec<Claim> {
    use crate::check::context::{Sheet, cell_loc, field_loc};
    let mut out: Vec<Claim> = Vec::new();
    let budget_board =
        |l: Option<LevelId>| l.is_some_and(|l| rules.level(l).order >= rules.params.budget_board_from_order);
    let field = &project.fields.board_approved;
    if !field.value.is_blank() && !field_other {
        let date = field.value.clone();
        let level = level_at(date.given().copied(), None);
        let owned = level.is_some_and(|l| approval_level(rules, l));
        out.push(Claim {
            kind: FactKind::Approval,
            date,
            sources: vec![ClaimSource::ApprovalField],
            at: field_loc(project, field),
            level,
            board_owned: owned,
            conferring: owned,
        });
    }
    for step in &project.history {
        if step.decider != Input::Given(Decider::Bestyrelse) || step.date.is_blank() {
            continue;
        }
        let (Input::Given(from), Input::Given(to)) = (&step.from, &step.to) else {
            continue;
        };
        let level = level_at(step.date.given().copied(), Some(step.row));
        let at = cell_loc(project, Sheet::Historik, step.row, "Dato");
        let board_only = |l: Option<LevelId>| {
            l.and_then(|l| rules.transition(*from, *to, l)).is_some_and(|t| t.deciders == [Decider::Bestyrelse])
        };
        let (kind, owned) = if is_approval_step(rules, step) {
            (FactKind::Approval, level.is_some_and(|l| approval_level(rules, l)))
        } else if *to == rules.key.closed {
            (FactKind::Stop, board_only(level))
        } else if rules.transition_any_level(*from, *to).is_some_and(|t| t.kind == TransitionKind::Tilbageloeb) {
            (FactKind::Backflow, board_only(level))
        } else {
            (FactKind::OtherStep, board_only(level))
        };
        let conferring = owned && matches!(kind, FactKind::Approval | FactKind::Stop);
        // The approval field and an approval step on the same date are one claim.
        if kind == FactKind::Approval
            && let Some(same) =
                out.iter_mut().find(|c| c.kind == FactKind::Approval && c.date == step.date && c.date.given().is_some())
        {
            same.sources.push(ClaimSource::Step(step.row));
            continue;
        }
        out.push(Claim {
            kind,
            date: step.date.clone(),
            sources: vec![ClaimSource::Step(step.row)],
            at,
            level,
            board_owned: owned,
            conferring,
        });
    }
    for change in &project.budget_changes {
        if change.decided_by != Input::Given(Decider::Bestyrelse) || change.date.is_blank() {
            continue;
        }
        let level = level_at(change.date.given().copied(), None);
        let owned = budget_board(level);
        out.push(Claim {
            kind: FactKind::Budget { to: change.to.given().copied() },
            date: change.date.clone(),
            sources: vec![ClaimSource::BudgetRow(change.row)],
            at: cell_loc(project, Sheet::Budget, change.row, "Besluttet af"),
            level,
            board_owned: owned,
            conferring: owned,
        });
    }
    out
}

#[cfg(test)]
mod tests;
