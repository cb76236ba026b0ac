//! What the board sees at its next meeting: an agenda, not a log. Every breach the board
//! owns becomes a point, in the board's words (the situation and what is asked – never the
//! project lead's instructions); points are gathered into one entry per project per
//! section, Beslutning / Drøftelse / Orientering. Concepts awaiting approval come with an
//! annex and, when several wait, a comparison ([`concept`]). The decision log is read
//! back and published ([`log`]). Pure; used by the portfolio workbook and the digest.
//!
//! The mapping from finding codes to the agenda is [`point`]: one table, documented in
//! the README ("What reaches the board").

pub mod carry;
pub mod concept;
pub mod log;
mod point;

use point::{MORE, Point};

use crate::check::changes::ChangeKind;
use crate::check::process::{ApprovalSource, Gate};
use crate::check::records::{Claim, FactKind, Judged, LicenceDecision};
use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::model::agenda::{Agenda, Topic};
use crate::model::board_items::ItemKind;
use crate::model::choice::{BoardRole, Rag};
use crate::model::finding::{Code, Finding, Severity, board_route};
use crate::model::project::Input;
use crate::model::rules::{LevelId, Rules};
use crate::model::value::{format_date, format_millions};
use crate::text::fold;
use crate::text::listed;
use crate::text::t;
use crate::text::{Lang, Text};
use std::collections::{HashMap, HashSet};

pub use concept::ConceptAnnex;

/// Codes whose findings may come several to a project, one per row or claim: their key
/// also holds what the point is about (its words without digits – no dates, amounts or
/// counts).
const PER_ROW: [Code; 8] = [
    Code::DecisionNotLogged,
    Code::PhaseDeciderWrong,
    Code::PhaseBoardApprovalLate,
    Code::PhaseBoardReapprovalMissing,
    Code::PhaseResumeWrong,
    Code::PhaseTransitionNotAllowed,
    Code::BudgetDeciderWrong,
    Code::DataLicenseNotOsi,
];

/// The key of a finding's point within its project: the code, the topic when the text
/// chose one, and for [`PER_ROW`] codes a digest of its words without digits.
fn point_key(f: &Finding, topic: Option<Topic>, text: &Text) -> String {
    let mut key = f.code.as_str().to_string();
    if let Some(t) = topic {
        key.push_str(&format!(":{t:?}"));
    }
    if PER_ROW.contains(&f.code) {
        key.push(':');
        key.push_str(&words_digest(&text.da));
    }
    key
}

/// A short, stable digest of a text's words (folded, digits and punctuation dropped):
/// the same problem worded with another date or amount gets the same digest.
fn words_digest(s: &str) -> String {
    let words: String = fold(s).chars().map(|c| if c.is_alphabetic() { c } else { ' ' }).collect();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words.split_whitespace() {
        for b in w.bytes().chain([b' ']) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The part of a change's key that names it: `n2>n1`.
fn change_key(from: &str, to: &str) -> String {
    format!("{}>{}", fold(from), fold(to))
}

/// One entry on the board's agenda: a project (or the styringsmodel) in one section,
/// with all its points.
#[derive(Clone, Debug, PartialEq)]
pub struct BoardEntry {
    pub agenda: Agenda,
    pub project: String,
    pub name: String,
    /// Level and phase: `N2 (Niveau 2) · Implementering`.
    pub situation: Text,
    pub points: Vec<Text>,
    /// What the board is asked; `None` for Orientering, which asks nothing.
    pub ask: Option<Text>,
    /// For a concept awaiting the board's approval.
    pub concept: Option<ConceptAnnex>,
}

/// The entry key for the styringsmodel itself.
pub const MODEL: &str = "Styringsmodellen";

/// The most points of one kind (topic: the gate, the economy, a budget decision …) one
/// project gets on the agenda; the rest are counted in one last point ("… og 39995
/// punkter mere af samme slags"). The board reads an agenda, not a log: a workbook with
/// 40,000 budget changes gives five points, not 40,000. The findings stay in the findings
/// JSON and the annotated copy (within their own per-file budget).
pub const MAX_POINTS_PER_KIND: usize = 5;

/// The most projects not sent in that get a line of their own on the agenda; the rest are
/// counted in one line.
pub const MAX_NOT_SUBMITTED: usize = 25;

/// A value from a workbook (the styringsmodel's or a projektark's) as shown on the agenda:
/// at most [`crate::text::SHOWN_VALUE_CHARS`] characters.
fn shown(s: &str) -> String {
    crate::text::clip(s, crate::text::SHOWN_VALUE_CHARS)
}

/// The board's question for each topic in each section.
fn ask(topic: Topic, agenda: Agenda) -> Option<Text> {
    let text = match (topic, agenda) {
        (_, Agenda::Orientering) => return None,
        (Topic::Gate, _) => t!(
            "Tag stilling til projektets godkendelse: godkend det efterfølgende, eller send det tilbage til konceptfasen.",
            "Decide on the project's approval: approve it after the fact, or send it back to the concept phase."
        ),
        (Topic::Phase, _) => t!(
            "Godkend faseskiftet, eller bed om at få det ført tilbage.",
            "Approve the change of phase, or ask for it to be undone."
        ),
        (Topic::Licence, Agenda::Beslutning) => {
            t!(
                "Godkend licensen, eller bed om OS2's standardlicens.",
                "Approve the licence, or ask for OS2's default licence."
            )
        }
        (Topic::Licence, _) => t!("Drøft, hvordan koden bliver åben.", "Discuss how the code becomes open."),
        (Topic::Economy, Agenda::Beslutning) => t!(
            "Beslut, om projektet skal fortsætte inden for en ny ramme, ændres eller stoppes.",
            "Decide whether the project continues within a new frame, changes or stops."
        ),
        (Topic::Economy, _) => t!(
            "Drøft, om projektet kan gennemføres inden for den godkendte ramme.",
            "Discuss whether the project can be done within the approved frame."
        ),
        (Topic::BudgetDecision, _) => {
            t!("Godkend budgetændringen, eller afvis den.", "Approve the budget change, or reject it.")
        }
        (Topic::Product, _) => {
            t!("Drøft driften med koordinationsgruppen.", "Discuss operations with the coordination group.")
        }
        (Topic::History, _) => t!(
            "Drøft, hvordan projektets forløb og godkendelse bliver dokumenteret.",
            "Discuss how the project's course and approval are documented."
        ),
        (Topic::Reporting, _) => {
            t!(
                "Drøft projektets situation og om det stadig er aktivt.",
                "Discuss the project's situation and whether it is still active."
            )
        }
        (Topic::Level, Agenda::Beslutning) => t!(
            "Beslut projektets niveau, eller giv en frist for at opfylde kravene.",
            "Decide the project's level, or set a deadline to meet the requirements."
        ),
        (Topic::Level, _) => t!(
            "Drøft projektets placering og en plan for at nå niveauet.",
            "Discuss the project's level and a plan to reach it."
        ),
        (Topic::Concept, _) => t!(
            "Vurdér og prioritér konceptet: godkend det, eller send det tilbage med en årsag.",
            "Assess and prioritise the concept: approve it, or send it back with a reason."
        ),
        (Topic::Model, _) => t!(
            "Beslut, hvornår styringsmodellen revideres, og hvem der gør det.",
            "Decide when the styringsmodel is revised, and by whom."
        ),
        (Topic::Information, _) => return None,
    };
    Some(text)
}

fn has(p: &ProjectResult, code: Code) -> bool {
    p.findings.iter().any(|f| f.code == code)
}

/// A requirement by ID and title: `F7 Dokumentationen følger OS2's standardskabelon`
/// (the title clipped to [`crate::text::SHOWN_VALUE_CHARS`]).
pub fn requirement_title(rules: &Rules, index: usize) -> String {
    let r = &rules.requirements[index];
    format!("{} {}", shown(&r.id), shown(&r.text))
}

fn level_and_phase(rules: &Rules, p: &ProjectResult, lang: Lang) -> String {
    let level = in_force(p).map(|l| shown(&crate::check::context::level_label(rules, l)));
    let phase = p.project.fields.phase.given().map(|ph| shown(&rules.phase(*ph).name));
    match (level, phase) {
        (Some(l), Some(ph)) => format!("{l} · {ph}"),
        (Some(l), None) => l,
        (None, Some(ph)) => ph,
        (None, None) => lang.pick("niveau og fase ukendt", "level and phase unknown").to_string(),
    }
}

fn kr(v: f64) -> Text {
    Text::new(format_millions(v, Lang::Da), format_millions(v, Lang::En))
}

/// What the points of one project look up, computed once per project (not once per
/// finding: a workbook may have tens of thousands of findings and rows).
struct Facts<'a> {
    economy: crate::check::economy::Summary,
    budget_rows: HashMap<u32, &'a crate::model::project::BudgetChange>,
    history_rows: HashMap<u32, &'a crate::model::project::HistoryStep>,
    changes: &'a [&'a crate::check::changes::Change],
    approval_level: bool,
    label: String,
}

impl<'a> Facts<'a> {
    fn of(
        rules: &Rules,
        p: &'a ProjectResult,
        changes: &'a [&'a crate::check::changes::Change],
        as_of: chrono::NaiveDate,
    ) -> Facts<'a> {
        let level = in_force(p);
        Facts {
            economy: crate::check::economy::Summary::of(&p.project, as_of),
            budget_rows: p.project.budget_changes.iter().map(|c| (c.row, c)).collect(),
            history_rows: p.project.history.iter().map(|s| (s.row, s)).collect(),
            changes,
            approval_level: level.is_some_and(|l| rules.level(l).board == BoardRole::Godkendelse),
            label: level.map(|l| shown(&crate::check::context::level_label(rules, l))).unwrap_or_default(),
        }
    }
}

/// The points a finding gives the board. Which codes reach the board, in which section and
/// on which topic, is data beside the codes ([`board_route`]); a code without a route is the
/// project lead's and the secretariat's to follow up, not the board's.
fn point(report: &Report, p: &ProjectResult, facts: &Facts<'_>, f: &Finding) -> Vec<Point> {
    let Some(route) = board_route(f.code, f.severity, facts.approval_level) else { return vec![] };
    // The unlogged approval's point says it all: the gate's own point is not added.
    if f.code == Code::PhaseBoardApprovalMissing && unlogged(p, |k| *k == FactKind::Approval) {
        return vec![];
    }
    // A phase change nobody recorded is an event: re-validated in later runs by its phases.
    let unlogged_phase = (f.code == Code::PhaseChangedUnlogged)
        .then(|| {
            facts.changes.iter().find_map(|c| match &c.kind {
                ChangeKind::PhaseChanged { from, to } => Some((from.clone(), to.clone())),
                _ => None,
            })
        })
        .flatten();
    wording(report, p, facts, f)
        .into_iter()
        .map(|(topic, text)| match &unlogged_phase {
            Some((from, to)) => Point {
                agenda: route.agenda,
                topic: topic.unwrap_or(route.topic),
                text,
                key: format!("phase-unlogged:{}", change_key(from, to)),
                kind: ItemKind::PhaseUnlogged { from: from.clone(), to: to.clone() },
            },
            None => {
                let key = point_key(f, topic, &text);
                Point::state(route.agenda, topic.unwrap_or(route.topic), key, text)
            }
        })
        .collect()
}

/// The level the project is judged at: the level in force (the register and the board's
/// log), else the declared level.
fn in_force(p: &ProjectResult) -> Option<LevelId> {
    p.assessment.process.in_force.or(p.project.fields.level.given().copied())
}

/// Whether the project claims a board decision of this kind that the log lacks and that
/// would confer something (a `DECISION-NOT-LOGGED` error).
fn unlogged(p: &ProjectResult, kind: impl Fn(&FactKind) -> bool) -> bool {
    p.findings.iter().any(|f| {
        f.code == Code::DecisionNotLogged
            && f.severity == Severity::Error
            && unlogged_claim(p, f).is_some_and(|c| kind(&c.0.kind))
    })
}

/// The claim behind a `DECISION-NOT-LOGGED` finding.
fn unlogged_claim<'a>(p: &'a ProjectResult, f: &Finding) -> Option<&'a (Claim, Judged)> {
    p.assessment
        .process
        .claims
        .iter()
        .find(|(c, j)| c.at == f.location && c.conferring && matches!(j, Judged::Unsupported { .. }))
}

/// What the board reads for a finding that reaches it, in the board's words (the situation,
/// never the project lead's instructions); a topic of its own where the text decides it.
fn wording(report: &Report, p: &ProjectResult, facts: &Facts<'_>, f: &Finding) -> Vec<(Option<Topic>, Text)> {
    let rules = &report.rules;
    let process = &p.assessment.process;
    let label = facts.label.as_str();
    let id = shown(p.project.id().unwrap_or_default());
    let log_kept = rules.params.decision_log_from.is_some_and(|from| report.as_of >= from);
    let phase_name = |ph: crate::model::rules::PhaseId| shown(&rules.phase(ph).name);
    let one = |text| vec![(None, text)];
    let economy = &facts.economy;
    match f.code {
        // ---- the board gate
        Code::PhaseBoardApprovalMissing => {
            let ph = process.effective.map(phase_name).unwrap_or_default();
            let text = t!(
                "Er i fasen {ph} på {label} uden bestyrelsens godkendelse.",
                "Is in the phase {ph} at {label} without the board's approval."
            );
            // Which record lacks it: an approval before the placement at the level, or none
            // in the log.
            let before = process.approvals.iter().filter(|a| a.date <= report.as_of).max_by_key(|a| a.date);
            let record = match (before, process.placed_since_now) {
                (Some(a), Some(placed)) if a.date < placed => {
                    let (a, pl) = (format_date(a.date), format_date(placed));
                    t!(
                        "Bestyrelsens godkendelse {a} ligger før placeringen på {label} {pl} og gælder ikke for {label}; beslutningsloggen har ingen godkendelse efter placeringen.",
                        "The board's approval of {a} lies before the placement at {label} on {pl} and does not count for {label}; the decision log has no approval after the placement."
                    )
                }
                _ if log_kept => t!(
                    "Bestyrelsens beslutningslog har ingen godkendelse af {id}.",
                    "The board's decision log has no approval of {id}."
                ),
                _ => t!(
                    "Hverken projektarket eller beslutningsloggen viser en godkendelse.",
                    "Neither the projektark nor the decision log shows an approval."
                ),
            };
            one(text.then(&record))
        }
        // ---- a board decision claimed that the board's records lack
        Code::DecisionNotLogged => {
            let Some((claim, judged)) = unlogged_claim(p, f) else { return vec![] };
            let d = claim.date.given().map(|d| format_date(*d)).unwrap_or_default();
            let meeting = if matches!(judged, Judged::Unsupported { not_a_meeting: true }) {
                t!(", og {d} er ikke et bestyrelsesmøde", ", and {d} is not a board meeting")
            } else {
                Text::default()
            };
            let (mda, men) = (&meeting.da, &meeting.en);
            match &claim.kind {
                FactKind::Approval => {
                    let ph = process.effective.map(phase_name).unwrap_or_default();
                    vec![(
                        Some(Topic::Gate),
                        t!(
                            "Projektarket angiver bestyrelsens godkendelse {d}, men beslutningsloggen har ingen godkendelse af {id}{mda}. Projektet er i {ph} på {label} og vurderes som ikke godkendt.",
                            "The projektark gives the board's approval on {d}, but the decision log has no approval of {id}{men}. The project is in {ph} at {label} and is judged as not approved."
                        ),
                    )]
                }
                FactKind::Budget { to } => {
                    let k = to.map(kr).unwrap_or_default();
                    let (kda, ken) = (&k.da, &k.en);
                    vec![(
                        Some(Topic::BudgetDecision),
                        t!(
                            "Budgettet er ændret til {kda} {d} med Bestyrelse som beslutter, men beslutningsloggen har ingen budgetbeslutning om {id} den dag{mda}. Ændringen er ikke godkendt.",
                            "The budget was changed to {ken} on {d} with the board as decider, but the decision log has no budget decision about {id} that day{men}. The change is not approved."
                        ),
                    )]
                }
                FactKind::Stop => vec![(
                    Some(Topic::Phase),
                    t!(
                        "Projektarket angiver, at bestyrelsen stoppede projektet {d}, men beslutningsloggen har ingen sådan beslutning om {id}{mda}. Projektet vurderes som fortsat i gang.",
                        "The projektark says the board stopped the project on {d}, but the decision log has no such decision about {id}{men}. The project is judged as still running."
                    ),
                )],
                FactKind::Backflow | FactKind::OtherStep => vec![],
            }
        }
        // ---- a step only the board decides, decided by someone else
        Code::PhaseDeciderWrong => {
            let row = f.location.cell.map(|c| c.row);
            let Some(step) = p.project.history.iter().find(|s| Some(s.row) == row) else { return vec![] };
            let (Input::Given(from), Input::Given(to), Input::Given(by)) = (&step.from, &step.to, &step.decider) else {
                return vec![];
            };
            let Some(at) = process.course.at_step(&p.project, step) else { return vec![] };
            let board_only = rules
                .transition(*from, *to, at)
                .is_some_and(|t| t.deciders == [crate::model::choice::Decider::Bestyrelse]);
            if !board_only {
                return vec![];
            }
            let (a, b) = (phase_name(*from), phase_name(*to));
            let d = step.date.given().map(|d| format_date(*d)).unwrap_or_default();
            let l = crate::check::context::level_label(rules, at);
            let (bda, ben) = (by.da(), by.label(Lang::En));
            let stop = *to == rules.key.closed;
            let text = if stop {
                t!(
                    "Blev stoppet ({a} → {b}) {d} af {bda}; på {l} er et stop bestyrelsens beslutning, og beslutningsloggen har ingen. Projektet vurderes som fortsat i gang.",
                    "Was stopped ({a} → {b}) on {d} by {ben}; at {l} a stop is the board's decision, and the decision log has none. The project is judged as still running."
                )
            } else {
                t!(
                    "Skiftet {a} → {b} {d} blev besluttet af {bda}; på {l} er det bestyrelsens beslutning.",
                    "The change {a} → {b} on {d} was decided by {ben}; at {l} it is the board's decision."
                )
            };
            one(text)
        }
        Code::PhaseBoardApprovalLate => {
            let mut out = Vec::new();
            let late = process.starts.iter().filter_map(|s| match s.gate {
                Some(Gate::Late(a)) => Some((a, s)),
                _ => None,
            });
            let spells = process
                .late
                .iter()
                .filter_map(|(a, row)| process.starts.iter().find(|s| s.row == *row).map(|s| (*a, s)));
            let mut seen: Vec<ApprovalSource> = Vec::new();
            for (a, s) in late.chain(spells) {
                if seen.contains(&a.source) {
                    continue;
                }
                seen.push(a.source);
                let approved = format_date(a.date);
                let text = match (s.date, s.bound) {
                    (Some(d), _) => {
                        let start = format_date(d);
                        t!(
                            "Blev igangsat {start}, før bestyrelsens godkendelse ({approved}).",
                            "Was started on {start}, before the board's approval ({approved})."
                        )
                    }
                    // An undated start: no later than the next dated Historik step.
                    (None, Some((d, row))) => {
                        let (start, n) = (format_date(d), row + 1);
                        t!(
                            "Blev igangsat senest {start} (Historik række {n}), før bestyrelsens godkendelse ({approved}).",
                            "Was started no later than {start} (Historik row {n}), before the board's approval ({approved})."
                        )
                    }
                    (None, None) => continue,
                };
                out.push((None, text));
            }
            out
        }
        Code::PhaseBoardReapprovalMissing => process
            .starts
            .iter()
            .filter(|s| s.gate == Some(Gate::ReapprovalMissing))
            .map(|s| {
                let when = s.date.map(format_date).unwrap_or_default();
                let back = s.after_backflow.and_then(|(_, d)| d).map(format_date).unwrap_or_default();
                // The record that lacks it.
                let record = if log_kept {
                    t!(
                        "Beslutningsloggen har ingen godkendelse af {id} efter tilbageløbet.",
                        "The decision log has no approval of {id} after the backflow."
                    )
                } else {
                    t!(
                        "Hverken projektarket eller beslutningsloggen viser en godkendelse efter tilbageløbet.",
                        "Neither the projektark nor the decision log shows an approval after the backflow."
                    )
                };
                (
                    None,
                    t!(
                        "Blev igangsat igen {when} efter et tilbageløb ({back}) uden en ny godkendelse.",
                        "Was restarted on {when} after a backflow ({back}) without a new approval."
                    )
                    .then(&record),
                )
            })
            .collect(),
        Code::PhaseResumeWrong => process
            .wrong_resumes
            .iter()
            .map(|w| {
                let (left, to) = (phase_name(w.left), phase_name(w.to));
                (
                    None,
                    t!(
                        "Blev sat på pause som {left} og genoptaget direkte i {to} – uden om bestyrelsen.",
                        "Was paused as {left} and resumed straight into {to} – around the board."
                    ),
                )
            })
            .collect(),
        Code::PhaseTransitionNotAllowed => {
            // Only the steps that went around the board: into Igangsat or further.
            let step = f.location.cell.and_then(|c| facts.history_rows.get(&c.row).copied());
            match step.and_then(|s| Some((s.from.given()?, s.to.given()?, s.date.given()))) {
                Some((from, to, date)) if rules.reached(*to, rules.key.started) && !rules.is_off_line(*to) => {
                    let (a, b, d) =
                        (phase_name(*from), phase_name(*to), date.map(|d| format_date(*d)).unwrap_or_default());
                    one(t!(
                        "Gik {d} fra {a} direkte til {b} – uden om bestyrelsen.",
                        "Went from {a} straight to {b} on {d} – around the board."
                    ))
                }
                _ => vec![],
            }
        }
        Code::PhaseHistoryMissing => one(t!(
            "Projektarkets historik er tom, så bestyrelsens godkendelse kan ikke efterprøves.",
            "The projektark's history is empty, so the board's approval cannot be verified."
        )),
        // ---- phase changes nobody recorded
        Code::PhaseChangedUnlogged => {
            let change = facts.changes.iter().find_map(|c| match &c.kind {
                ChangeKind::PhaseChanged { from, to } => Some((shown(from), shown(to))),
                _ => None,
            });
            let (from, to) = change.unwrap_or_default();
            one(t!(
                "Er gået fra {from} til {to}, uden at skiftet eller beslutningen er registreret.",
                "Has gone from {from} to {to}, with neither the step nor the decision recorded."
            ))
        }
        // ---- licences
        Code::DataLicenseNotDefault => {
            let licence = p.project.fields.licence.given().cloned().unwrap_or_default();
            let records = crate::check::records::Records::new(rules, &report.register.register);
            let decided = p.project.id().is_some_and(|id| {
                matches!(records.licence_decided(id, &licence, report.as_of), LicenceDecision::Decided(_))
            });
            if decided {
                return vec![];
            }
            let licence = shown(&licence);
            one(t!(
                "Bruger licensen {licence} i stedet for OS2's standardlicens MPL-2.0; det kræver bestyrelsens beslutning, og beslutningsloggen har ingen licensbeslutning (Type Licens) om {id}.",
                "Uses the licence {licence} instead of OS2's default MPL-2.0; that needs the board's decision, and the decision log has no licence decision (Type Licens) about {id}."
            ))
        }
        Code::DataLicenseNotOsi => {
            let licence = shown(p.project.fields.licence.given().map(String::as_str).unwrap_or_default());
            one(t!(
                "Licensen '{licence}' er ikke en godkendt open source-licens.",
                "The licence '{licence}' is not an approved open-source licence."
            ))
        }
        // ---- economy
        Code::BudgetOverrun => {
            // The board is told the amount the overrun was judged against: the last budget
            // it approved (issue 20), not the Budget field a lead may have raised alone.
            let approved = p.assessment.approved_budget;
            let against = approved.or(economy.budget);
            let budget = against.map(kr).unwrap_or_default();
            let (bda, ben) = (&budget.da, &budget.en);
            let (ada, aen) = if approved.is_some() {
                ("det godkendte budget", "the approved budget")
            } else {
                ("et budget", "a budget")
            };
            let spent_over = matches!((economy.spent, against), (Some(s), Some(b)) if s > b + 0.5);
            let text = if spent_over {
                let s = kr(economy.spent.unwrap_or_default());
                let (sda, sen) = (&s.da, &s.en);
                t!("Har brugt {sda} af {ada} på {bda}.", "Has spent {sen} of {aen} of {ben}.")
            } else {
                let fc = economy.forecast.unwrap_or_default();
                let pct = against.filter(|b| *b > 0.0).map(|b| ((fc / b - 1.0) * 100.0).round()).unwrap_or(0.0);
                let fk = kr(fc);
                let (fda, fen) = (&fk.da, &fk.en);
                t!(
                    "Forventer at bruge {fda} mod {ada} på {bda} (+{pct} %).",
                    "Expects to spend {fen} against {aen} of {ben} (+{pct} %)."
                )
            };
            // Since when it has stood is the point's own marker ("Står siden …", carried
            // items' "Udskudt fra mødet …"), not repeated here.
            one(text)
        }
        Code::StatusRed => {
            let newest = p.project.newest_status_on(report.as_of);
            let Some((s, date)) = newest else { return vec![] };
            let d = format_date(date);
            let economy_red = s.economy == Input::Given(Rag::Roed)
                && f.location
                    == crate::check::context::cell_loc(
                        &p.project,
                        crate::check::context::Sheet::Status,
                        s.row,
                        "Økonomi",
                    );
            if economy_red {
                vec![(Some(Topic::Economy), t!("Melder rød økonomi ({d}).", "Reports red finances ({d})."))]
            } else {
                one(t!("Melder rød fremdrift ({d}).", "Reports red progress ({d})."))
            }
        }
        // From the baseline the rules accepted: a baseline rewritten up to the grown budget
        // does not make the growth look like none.
        Code::BudgetGrowth => match (p.assessment.accepted_baseline.or(economy.baseline), economy.budget) {
            (Some(base), Some(budget)) if base > 0.0 => {
                let pct = ((budget / base - 1.0) * 100.0).round();
                let (a, b) = (kr(base), kr(budget));
                let (ada, aen, bda, ben) = (&a.da, &a.en, &b.da, &b.en);
                one(t!(
                    "Budgettet er vokset fra {ada} ved godkendelsen til {bda} (+{pct} %).",
                    "The budget has grown from {aen} at approval to {ben} (+{pct} %)."
                ))
            }
            _ => vec![],
        },
        Code::BudgetUntraced => one(t!(
            "Budgettet er ændret, uden at det fremgår, hvem der har besluttet ændringen.",
            "The budget has been changed without a record of who decided it."
        )),
        Code::BudgetForecastCreep => match economy.trend_text(Lang::Da).zip(economy.trend_text(Lang::En)) {
            Some((da, en)) => {
                one(Text::new(format!("Prognosen kryber op: {da}."), format!("The forecast is creeping up: {en}.")))
            }
            // The series is in the history (rows since deleted, or since a budget decision).
            None => one(t!(
                "Prognosen kryber op i trin, der hver for sig er inden for tolerancen.",
                "The forecast is creeping up in steps that each stay within the tolerance."
            )),
        },
        Code::BudgetHistoryRewritten => one(t!(
            "Budgettet ved godkendelse eller en tidligere budgetændring er skrevet om bagud uden en beslutning i loggen; os2gov regner fortsat med det tidligere beløb.",
            "The budget at approval or an earlier budget change has been rewritten afterwards without a decision in the log; os2gov keeps counting with the earlier amount."
        )),
        Code::BudgetEscalated => {
            let since = p.assessment.economy_since.clone().unwrap_or_default();
            one(t!(
                "Økonomien har stået uløst siden {since} uden en registreret beslutning.",
                "The economy has stood unresolved since {since} without a recorded decision."
            ))
        }
        Code::BudgetDeciderWrong => {
            let change = f.location.cell.and_then(|c| facts.budget_rows.get(&c.row).copied());
            let (to, date, by) = match change {
                Some(c) => (
                    c.to.given().map(|v| kr(*v)).unwrap_or_default(),
                    c.date.given().map(|d| format_date(*d)).unwrap_or_default(),
                    c.decided_by.given().map(|d| (d.da(), d.label(Lang::En))).unwrap_or_default(),
                ),
                None => Default::default(),
            };
            let (tda, ten, bda, ben) = (&to.da, &to.en, by.0, by.1);
            // The level on the change's date, as the check judged it.
            let then = change
                .and_then(|c| c.date.given().copied())
                .and_then(|d| process.course.level_at(Some(d)))
                .map(|l| shown(&crate::check::context::level_label(rules, l)));
            let label = then.unwrap_or_else(|| label.to_string());
            one(t!(
                "Budgettet blev ændret til {tda} {date} af {bda}; på {label} er en budgetændring bestyrelsens beslutning.",
                "The budget was changed to {ten} on {date} by {ben}; at {label} a budget change is the board's decision."
            ))
        }
        // ---- products
        Code::ProductSlaBreach => match crate::check::product::sla_line(&p.project, report.as_of, Lang::Da)
            .zip(crate::check::product::sla_line(&p.project, report.as_of, Lang::En))
        {
            Some((da, en)) => {
                one(Text::new(format!("SLA'en er ikke overholdt: {da}."), format!("The SLA is not met: {en}.")))
            }
            None => vec![],
        },
        Code::ProductNotInUse => one(t!(
            "Er gjort til produkt, før nok kommuner havde løsningen i drift.",
            "Was made a product before enough municipalities had the solution in use."
        )),
        Code::ProductDriftMissing => one(t!(
            "Er produkt, men koordinationsgruppen har aldrig rapporteret en målt oppetid.",
            "Is a product, but the coordination group has never reported a measured availability."
        )),
        Code::ProductDriftStale => one(t!(
            "Koordinationsgruppen har ikke rapporteret om driften i over et år.",
            "The coordination group has not reported on operations for over a year."
        )),
        // ---- reporting
        Code::StatusStale => {
            // The report the rule judged by: one deleted since still counts (issue 20).
            let d = p.assessment.newest_status.map(format_date).unwrap_or_default();
            one(t!("Har ikke afgivet statusrapport siden {d}.", "Has not reported status since {d}."))
        }
        // Absence is at least as serious as age (an error only past the critical age).
        Code::StatusMissing => {
            let since = crate::check::status::started_on(process);
            let (d, age) =
                since.map(|d| (format_date(d), crate::check::context::age_days(d, report.as_of))).unwrap_or_default();
            one(t!(
                "Har aldrig afgivet statusrapport, igangsat {d} ({age} dage).",
                "Has never reported its status, started on {d} ({age} days)."
            ))
        }
        // ---- orientation that is due
        Code::PhaseBoardOrientationMissing => {
            let ph = process.effective.map(phase_name).unwrap_or_default();
            one(t!(
                "Projekt på {label} i fasen {ph}: bestyrelsen orienteres hermed.",
                "Project at {label} in the phase {ph}: the board is hereby informed."
            ))
        }
        _ => vec![],
    }
}

/// The level points: lowered, far below, or a candidate for raising. Only for a project
/// that has been started: before that, incomplete answers are the lead's and the
/// secretariat's matter (a concept that asks for the board comes with its annex).
fn level_points(report: &Report, p: &ProjectResult) -> Vec<Point> {
    let rules = &report.rules;
    let mut out = placement_points(report, p);
    // Judged at the level in force (the register and the log), else the declared level.
    let Some(declared) = in_force(p) else {
        return out;
    };
    let name = |l| shown(&crate::check::context::level_label(rules, l));
    // A level below is the board's by the level's Bestyrelse role: it places N2/N3 itself
    // (Godkendelse), is told of N1 (Orientering), and has no part in a sandbox (Ingen).
    let role = rules.level(declared).board;
    // A concept that has not started is judged by the board on its annex, not its level.
    if !p.assessment.process.started(rules) {
        return out;
    }
    // Only the blockers the secretariat is not still to assess: an explained deviation
    // awaiting its Vurdering is the secretariat's task first.
    let blocking: Vec<usize> = p
        .assessment
        .blocking
        .iter()
        .copied()
        .filter(|i| !p.assessment.awaiting.get(*i).copied().unwrap_or(false))
        .collect();
    out.extend(match p.assessment.attained {
        Some(a) if a > declared && has(p, Code::LevelAboveDeclared) => {
            let (from, to) = (name(declared), name(a));
            vec![Point::state(
                Agenda::Beslutning,
                Topic::Level,
                "level-above",
                t!(
                    "Opfylder alle Skal-krav på {to}, men er placeret på {from}: kandidat til at blive hævet.",
                    "Meets every must requirement of {to} but is placed at {from}: a candidate for raising."
                ),
            )]
        }
        attained
            if attained < Some(declared)
                && has(p, Code::LevelBelowDeclared)
                && role != BoardRole::Ingen
                && !blocking.is_empty() =>
        {
            let from = name(declared);
            let none = attained.is_none();
            let to = attained.map(name).unwrap_or_default();
            let gap = declared.0 as i64 - attained.map(|a| a.0 as i64).unwrap_or(-1);
            // Each blocking requirement by title (at most MAX_LISTED, the rest counted); those
            // answered Nej without a word are marked.
            let unexplained: HashSet<&str> = p
                .findings
                .iter()
                .filter(|f| f.code == Code::KravSkalUnmet)
                .filter_map(|f| f.requirement.as_deref())
                .collect();
            let list = |lang: Lang| {
                let items = blocking.iter().map(|i| {
                    let not_applicable = p.project.requirements.iter().any(|r| {
                        r.requirement == Some(*i)
                            && r.answer == Input::Given(crate::model::choice::Answer::IkkeRelevant)
                    });
                    let mark = if unexplained.contains(rules.requirements[*i].id.as_str()) {
                        match not_applicable {
                            true => lang.pick(" (ikke relevant, uden forklaring)", " (not applicable, unexplained)"),
                            false => lang.pick(" (nej, uden forklaring)", " (no, unexplained)"),
                        }
                    } else {
                        ""
                    };
                    format!("{}{mark}", requirement_title(rules, *i))
                });
                listed(items, "; ", lang)
            };
            let (lda, len) = (list(Lang::Da), list(Lang::En));
            let text = if none {
                t!(
                    "Er placeret på {from}, men opfylder ikke noget niveau. Ikke opfyldt: {lda}.",
                    "Is placed at {from} but meets no level. Not met: {len}."
                )
            } else {
                t!(
                    "Er placeret på {from}, men opfylder kun {to}. Ikke opfyldt: {lda}.",
                    "Is placed at {from} but only meets {to}. Not met: {len}."
                )
            };
            let agenda = match role {
                BoardRole::Godkendelse if gap >= 2 => Agenda::Droeftelse,
                BoardRole::Godkendelse => Agenda::Beslutning,
                _ => Agenda::Orientering,
            };
            vec![Point::state(agenda, Topic::Level, "level-below", text)]
        }
        _ => vec![],
    });
    out
}

/// A change of level away from a level the board approves that the board did not decide
/// (`LEVEL-PLACEMENT-UNAUTHORISED`): Orientering while the project has not started since;
/// Beslutning once it started after the change (the gate at the old level fails too).
fn placement_points(report: &Report, p: &ProjectResult) -> Vec<Point> {
    let rules = &report.rules;
    let process = &p.assessment.process;
    let name = |l| shown(&crate::check::context::level_label(rules, l));
    process
        .course
        .rejected
        .iter()
        .map(|r| {
            let (from, to) = (name(r.from), name(r.to));
            let when = r.date.map(|d| format!(" {}", format_date(d))).unwrap_or_default();
            let who = match r.at {
                crate::check::level_course::RejectedAt::Register { .. } => {
                    t!("af sekretariatet (registerets Placeringer)", "by the secretariat (the register's Placeringer)")
                }
                crate::check::level_course::RejectedAt::Declared => {
                    t!("i projektarkets Niveau", "in the projektark's Niveau")
                }
            };
            let (wda, wen) = (&who.da, &who.en);
            let key = format!("placement:{}", change_key(&from, &to));
            let text = t!(
                "Er sænket fra {from} til {to}{when} {wda}, men beslutningsloggen har ingen bestyrelsesbeslutning om niveauet; vurderes fortsat på {from}.",
                "Was lowered from {from} to {to}{when} {wen}, but the decision log has no board decision on the level; still judged at {from}."
            );
            let started = process.starts.iter().find(|s| {
                s.gate.is_some_and(|g| g != Gate::Covered)
                    && match (r.date, s.bound) {
                        (Some(d), Some((b, _))) => b >= d,
                        (None, _) => true,
                        _ => false,
                    }
            });
            match started {
                Some(s) => {
                    let d = s.bound.map(|(d, _)| format_date(d)).unwrap_or_default();
                    Point::state(
                        Agenda::Beslutning,
                        Topic::Level,
                        key,
                        text.then(&t!(
                            "Projektet er derefter igangsat {d} uden bestyrelsens godkendelse.",
                            "The project then started on {d} without the board's approval."
                        )),
                    )
                }
                None => Point::state(Agenda::Orientering, Topic::Level, key, text),
            }
        })
        .collect()
}

/// The changes since the last run that the board is told or asked about.
fn change_points(report: &Report, p: &ProjectResult, changes: &[&crate::check::changes::Change]) -> Vec<Point> {
    let rules = &report.rules;
    let unlogged = has(p, Code::PhaseChangedUnlogged);
    let mut out = Vec::new();
    for c in changes {
        match &c.kind {
            ChangeKind::NewProject => {
                let situation = level_and_phase(rules, p, Lang::Da);
                let situation_en = level_and_phase(rules, p, Lang::En);
                out.push(Point {
                    agenda: Agenda::Orientering,
                    topic: Topic::Information,
                    text: t!(
                        "Nyt projekt i porteføljen ({situation}).",
                        "New project in the portfolio ({situation_en})."
                    ),
                    key: "new-project".to_string(),
                    kind: ItemKind::Information,
                });
            }
            // An unlogged change is the board's decision, never information.
            ChangeKind::PhaseChanged { .. } if unlogged => {}
            ChangeKind::PhaseChanged { from, to } => {
                let key = format!("phase-changed:{}", change_key(from, to));
                let (from, to) = (shown(from), shown(to));
                let product = fold(&to) == fold(&rules.phase(rules.key.product).name);
                let text = if product {
                    t!(
                        "Er blevet et produkt ({from} → {to}) og følges nu af en koordinationsgruppe.",
                        "Has become a product ({from} → {to}) and is now followed by a coordination group."
                    )
                } else {
                    t!("Faseskift: {from} → {to}.", "Change of phase: {from} → {to}.")
                };
                out.push(Point {
                    agenda: Agenda::Orientering,
                    topic: Topic::Information,
                    text,
                    key,
                    kind: ItemKind::Information,
                });
            }
            // A change the board decided is listed under "Besluttet siden sidste møde", not
            // asked again; a change away from an approval level without it is the placement
            // point; a raise is told (the approval at the new level is then the gate's).
            ChangeKind::LevelChanged { from, to } => {
                let process = &p.assessment.process;
                let by_board = process.course.spells.last().is_some_and(|s| {
                    matches!(s.source, crate::check::level_course::LevelSource::Log { .. })
                        && s.from.is_some_and(|d| d <= report.as_of)
                });
                if by_board || !process.course.rejected.is_empty() {
                    continue;
                }
                let raise_to_approval = rules
                    .find_level(to)
                    .is_some_and(|l| rules.level(l).board == BoardRole::Godkendelse && !process.started(rules));
                let kind = ItemKind::LevelChanged { from: from.clone(), to: to.clone() };
                let key = format!("level-changed:{}", change_key(from, to));
                let (from, to) = (shown(from), shown(to));
                let text = if raise_to_approval {
                    t!(
                        "Niveauskift: {from} → {to}; skal godkendes af bestyrelsen, før det igangsættes.",
                        "Change of level: {from} → {to}; must be approved by the board before it starts."
                    )
                } else {
                    t!("Niveauskift: {from} → {to}.", "Change of level: {from} → {to}.")
                };
                out.push(Point { agenda: Agenda::Orientering, topic: Topic::Information, text, key, kind });
            }
            _ => {}
        }
    }
    out
}

/// A point ends with one full stop, also after an amount in `kr.`; it is at most
/// [`crate::text::MESSAGE_CHARS`] long (cut in the middle), whatever it quotes.
fn sentence(text: &Text) -> Text {
    let fix = |s: &str| s.replace("kr..", "kr.");
    Text::new(fix(&text.da), fix(&text.en)).clipped(crate::text::MESSAGE_CHARS)
}

/// A project's points, each once, at most [`MAX_POINTS_PER_KIND`] of a topic; the ones
/// left out are counted per topic. Linear in the points offered (a hash set, not a scan).
#[derive(Default)]
struct Points {
    kept: Vec<Point>,
    seen: HashSet<Point>,
    per_topic: HashMap<Topic, usize>,
    more: HashMap<Topic, usize>,
}

impl Points {
    fn push(&mut self, point: Point) {
        if self.seen.contains(&point) {
            return;
        }
        let n = self.per_topic.entry(point.topic).or_default();
        if *n < MAX_POINTS_PER_KIND {
            *n += 1;
            self.seen.insert(point.clone());
            self.kept.push(point);
        } else {
            // Counted once per distinct point.
            self.seen.insert(point.clone());
            *self.more.entry(point.topic).or_default() += 1;
        }
    }

    /// The kept points, each topic that had more followed by one point counting the rest.
    fn finish(mut self) -> Vec<Point> {
        let mut topics: Vec<(Topic, usize)> = self.more.into_iter().collect();
        topics.sort_by_key(|(t, _)| self.kept.iter().position(|p| p.topic == *t));
        for (topic, n) in topics.into_iter().rev() {
            let Some(last) = self.kept.iter().rposition(|p| p.topic == topic) else { continue };
            let agenda = self.kept[last].agenda;
            let text = t!("… og {n} punkter mere af samme slags.", "… and {n} more points of the same kind.");
            self.kept.insert(last + 1, Point::state(agenda, topic, format!("{MORE}{topic:?}"), text));
        }
        self.kept
    }
}

/// The entries for the board, in agenda order (decisions first); the styringsmodel first
/// within a section, then projects by ID.
///
/// Cost: linear in the findings, rows and changes of the report – each project's rows
/// are indexed once ([`Facts`]), its points deduplicated through a hash set, the changes
/// grouped by project once – and the output is bounded: per project at most three
/// entries, per topic at most [`MAX_POINTS_PER_KIND`] points, per point at most
/// [`crate::text::MESSAGE_CHARS`] characters.
pub fn entries(report: &Report) -> Vec<BoardEntry> {
    build(report).0
}

/// The board items of the run, as kept in the period folder for the next run
/// ([`carry`]): every point shown, with its stable key and since when it has stood.
pub fn items(report: &Report) -> Vec<crate::model::board_items::BoardItem> {
    build(report).1
}

/// One project's entries, one per section, from its points as shown.
fn project_entries(
    out: &mut Vec<BoardEntry>,
    names: &carry::Names,
    shown: &[carry::Shown],
    annex: Option<&ConceptAnnex>,
) {
    for agenda in Agenda::ALL {
        let here: Vec<&carry::Shown> = shown.iter().filter(|x| x.point.agenda == agenda).collect();
        if here.is_empty() {
            continue;
        }
        let mut asks: Vec<Text> = Vec::new();
        for x in &here {
            if let Some(a) = ask(x.point.topic, agenda)
                && !asks.contains(&a)
            {
                asks.push(a);
            }
        }
        let ask = asks.into_iter().reduce(|a, b| a.then(&b));
        out.push(BoardEntry {
            agenda,
            project: names.project.clone(),
            name: names.name.clone(),
            situation: names.situation.clone(),
            points: if shared_marker(&here) {
                // Every point of the entry has stood as long: said once, as the last line,
                // not after each point.
                here.iter().map(|x| sentence(&x.point.text)).chain(here[0].marker.as_ref().map(sentence)).collect()
            } else {
                here.iter()
                    .map(|x| match &x.marker {
                        Some(m) => sentence(&sentence(&x.point.text).then(m)),
                        None => sentence(&x.point.text),
                    })
                    .collect()
            },
            ask,
            concept: if agenda == Agenda::Beslutning { annex.cloned() } else { None },
        });
    }
}

/// Whether several points of one entry carry the same since/carried marker.
fn shared_marker(here: &[&carry::Shown]) -> bool {
    here.len() > 1 && here.iter().all(|x| x.marker.is_some() && x.marker == here[0].marker)
}

fn build(report: &Report) -> (Vec<BoardEntry>, Vec<crate::model::board_items::BoardItem>) {
    let rules = &report.rules;
    let memory = carry::Memory::new(report);
    let mut items = Vec::new();
    let mut out = Vec::new();
    out.extend(model_entry(report));
    let mut changes: HashMap<&str, Vec<&crate::check::changes::Change>> = HashMap::new();
    for c in &report.changes {
        changes.entry(c.project.as_str()).or_default().push(c);
    }
    for p in &report.projects {
        let key = p.key();
        let project_changes = changes.get(key.as_str()).map(Vec::as_slice).unwrap_or_default();
        let facts = Facts::of(rules, p, project_changes, report.as_of);
        let mut points = Points::default();
        let annex = concept::annex(report, p);
        if let Some(a) = &annex {
            points.push(Point::state(Agenda::Beslutning, Topic::Concept, "concept", a.waiting_text()));
        }
        for point in level_points(report, p) {
            points.push(point);
        }
        for f in &p.findings {
            for point in point(report, p, &facts, f) {
                points.push(point);
            }
        }
        for point in change_points(report, p, project_changes) {
            points.push(point);
        }
        let mut points = points.finish();
        // Escalated, or a board budget decision claimed that the log lacks: the economy is
        // the board's decision, not its discussion.
        if has(p, Code::BudgetEscalated) || unlogged(p, |k| matches!(k, FactKind::Budget { .. })) {
            for point in points.iter_mut().filter(|x| x.topic == Topic::Economy) {
                point.agenda = Agenda::Beslutning;
            }
        }
        let names = carry::Names {
            project: key.clone(),
            name: p.name(),
            situation: Text::new(level_and_phase(rules, p, Lang::Da), level_and_phase(rules, p, Lang::En)),
        };
        let shown = memory.merge_checked(p, &names, points);
        items.extend(shown.iter().filter_map(|x| x.item.clone()));
        project_entries(&mut out, &names, &shown, annex.as_ref());
    }
    // The standing items of projects whose projektark did not come in.
    for n in &report.not_submitted {
        let kept = memory.merge_not_submitted(&n.key);
        let Some((names, _)) = kept.first() else { continue };
        let names =
            carry::Names { project: n.key.clone(), name: names.name.clone(), situation: names.situation.clone() };
        let shown: Vec<carry::Shown> = kept.into_iter().map(|(_, s)| s).collect();
        items.extend(shown.iter().filter_map(|x| x.item.clone()));
        project_entries(&mut out, &names, &shown, None);
    }
    // Projects not sent in: one line each up to MAX_NOT_SUBMITTED, then one that counts
    // the rest (a previous run of thousands of projects must not fill the digest).
    for n in report.not_submitted.iter().take(MAX_NOT_SUBMITTED) {
        let last = shown(n.last_period.as_deref().unwrap_or_default());
        let period = &report.period;
        // Not sent in for `budget_eskalering_perioder` periods: an error the board discusses.
        let aged = n.finding.severity == crate::model::finding::Severity::Error;
        out.push(BoardEntry {
            agenda: if aged { Agenda::Droeftelse } else { Agenda::Orientering },
            project: n.key.clone(),
            name: shown(n.name.as_deref().unwrap_or_default()),
            situation: t!("sidst indsendt {last}", "last sent in {last}"),
            points: vec![t!(
                "Har ikke indsendt sit projektark til {period}; projektlederen har fået en påmindelse.",
                "Has not sent in its projektark for {period}; the project lead has been reminded."
            )],
            ask: None,
            concept: None,
        });
    }
    let more = report.not_submitted.len().saturating_sub(MAX_NOT_SUBMITTED);
    if more > 0 {
        let period = &report.period;
        out.push(BoardEntry {
            agenda: Agenda::Orientering,
            project: "…".to_string(),
            name: String::new(),
            situation: Text::default(),
            points: vec![t!(
                "{more} projekter mere har ikke indsendt deres projektark til {period}; de står i porteføljearket.",
                "{more} more projects have not sent in their projektark for {period}; they are in the portfolio workbook."
            )],
            ask: None,
            concept: None,
        });
    }
    out.sort_by(|a, b| {
        a.agenda
            .cmp(&b.agenda)
            .then_with(|| (b.project == MODEL).cmp(&(a.project == MODEL)))
            .then_with(|| a.project.to_lowercase().cmp(&b.project.to_lowercase()))
    });
    (out, items)
}

/// The styringsmodel's own entry: its revision due (the board approves the model), and
/// what its Dokument sheet lacks.
fn model_entry(report: &Report) -> Vec<BoardEntry> {
    let doc = &report.rules.document;
    let due = report.model_findings.iter().any(|f| f.code == Code::GovRevisionDue);
    let incomplete: Vec<&Finding> =
        report.model_findings.iter().filter(|f| f.code == Code::GovDocumentIncomplete).collect();
    if !due && incomplete.is_empty() {
        return vec![];
    }
    let owner = shown(doc.owner.as_deref().unwrap_or("–"));
    let approver = shown(doc.approver.as_deref().unwrap_or("–"));
    let version = shown(&doc.version);
    let mut points = Vec::new();
    if due {
        let d = doc.revision_date.map(format_date).unwrap_or_default();
        points.push(t!(
            "Revisionsdatoen {d} er passeret. Ejer: {owner}; godkender: {approver}.",
            "The revision date {d} has passed. Owner: {owner}; approver: {approver}."
        ));
    }
    // In the board's words: what the Dokument sheet lacks, not how to fix it.
    let mut missing: Vec<&str> = Vec::new();
    if doc.owner.is_none() {
        missing.push("Ejer");
    }
    if doc.approver.is_none() {
        missing.push("Godkender");
    }
    if doc.revision_date.is_none() {
        missing.push("Revisionsdato");
    }
    if !missing.is_empty() {
        let list = missing.join(", ");
        points.push(t!(
            "Modellens dokumentoplysninger er ufuldstændige: {list} er ikke angivet.",
            "The model's document details are incomplete: {list} not given."
        ));
    }
    let dates_wrong = incomplete.iter().any(|f| f.message.da.contains("Godkendelsesdatoen"));
    if dates_wrong {
        let a = doc.approval_date.map(format_date).unwrap_or_default();
        points.push(t!(
            "Godkendelsesdatoen ({a}) passer ikke: den ligger i fremtiden eller efter revisionsdatoen.",
            "The approval date ({a}) does not fit: it is in the future or after the revision date."
        ));
    }
    let agenda = if due { Agenda::Beslutning } else { Agenda::Orientering };
    vec![BoardEntry {
        agenda,
        project: MODEL.to_string(),
        name: String::new(),
        situation: t!("version {version}", "version {version}"),
        points,
        ask: ask(Topic::Model, agenda),
        concept: None,
    }]
}

#[cfg(test)]
mod tests;
