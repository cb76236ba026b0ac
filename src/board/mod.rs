//! What the board sees at its next meeting: an agenda, not a log. Every breach the board
//! owns becomes a point, in the board's words (the situation and what is asked – never the
//! project lead's instructions); points are gathered into one entry per project per
//! section, Beslutning / Drøftelse / Orientering. Concepts awaiting approval come with an
//! annex and, when several wait, a comparison ([`concept`]). The decision log is read
//! back and published ([`log`]). Pure; used by the portfolio workbook and the digest.
//!
//! The mapping from finding codes to the agenda is [`point`]: one table, documented in
//! the README ("What reaches the board").

pub mod concept;
pub mod log;

use crate::check::changes::ChangeKind;
use crate::check::process::{ApprovalSource, Gate};
use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::model::agenda::{Agenda, Topic};
use crate::model::choice::{BoardRole, Rag};
use crate::model::finding::{Code, Finding, board_route};
use crate::model::project::Input;
use crate::model::rules::Rules;
use crate::model::value::{format_date, format_millions};
use crate::text::fold;
use crate::text::t;
use crate::text::{Lang, Text};

pub use concept::ConceptAnnex;

/// One point for the board about a project.
#[derive(Clone, Debug, PartialEq)]
struct Point {
    agenda: Agenda,
    topic: Topic,
    text: Text,
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

/// A requirement by ID and title: `F7 Dokumentationen følger OS2's standardskabelon`.
pub fn requirement_title(rules: &Rules, index: usize) -> String {
    let r = &rules.requirements[index];
    format!("{} {}", r.id, r.text)
}

fn level_and_phase(rules: &Rules, p: &ProjectResult, lang: Lang) -> String {
    let level = p.project.fields.level.given().map(|l| crate::check::context::level_label(rules, *l));
    let phase = p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.clone());
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

/// The points a finding gives the board. Which codes reach the board, in which section and
/// on which topic, is data beside the codes ([`board_route`]); a code without a route is the
/// project lead's and the secretariat's to follow up, not the board's.
fn point(report: &Report, p: &ProjectResult, f: &Finding) -> Vec<Point> {
    let rules = &report.rules;
    let level = p.project.fields.level.given().copied();
    let approval_level = level.is_some_and(|l| rules.level(l).board == BoardRole::Godkendelse);
    let Some(route) = board_route(f.code, f.severity, approval_level) else { return vec![] };
    wording(report, p, f)
        .into_iter()
        .map(|(topic, text)| Point { agenda: route.agenda, topic: topic.unwrap_or(route.topic), text })
        .collect()
}

/// What the board reads for a finding that reaches it, in the board's words (the situation,
/// never the project lead's instructions); a topic of its own where the text decides it.
fn wording(report: &Report, p: &ProjectResult, f: &Finding) -> Vec<(Option<Topic>, Text)> {
    let rules = &report.rules;
    let process = &p.assessment.process;
    let level = p.project.fields.level.given().copied();
    let label = level.map(|l| crate::check::context::level_label(rules, l)).unwrap_or_default();
    let phase_name = |ph: crate::model::rules::PhaseId| rules.phase(ph).name.clone();
    let one = |text| vec![(None, text)];
    let economy = crate::check::economy::Summary::of(&p.project);
    match f.code {
        // ---- the board gate
        Code::PhaseBoardApprovalMissing => {
            let ph = process.effective.map(phase_name).unwrap_or_default();
            one(t!(
                "Er i fasen {ph} på {label} uden bestyrelsens godkendelse.",
                "Is in the phase {ph} at {label} without the board's approval."
            ))
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
                let (start, approved) = (s.date.map(format_date).unwrap_or_default(), format_date(a.date));
                out.push((
                    None,
                    t!(
                        "Blev igangsat {start}, før bestyrelsens godkendelse ({approved}).",
                        "Was started on {start}, before the board's approval ({approved})."
                    ),
                ));
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
                (
                    None,
                    t!(
                        "Blev igangsat igen {when} efter et tilbageløb ({back}) uden en ny godkendelse.",
                        "Was restarted on {when} after a backflow ({back}) without a new approval."
                    ),
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
            let row = f.location.cell.map(|c| c.row);
            let step = p.project.history.iter().find(|s| Some(s.row) == row);
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
            let change = report.changes.iter().find_map(|c| match &c.kind {
                ChangeKind::PhaseChanged { from, to } if c.project == p.key() => Some((from.clone(), to.clone())),
                _ => None,
            });
            let (from, to) = change.unwrap_or_default();
            one(t!(
                "Er gået fra {from} til {to} siden sidste kørsel, uden at skiftet eller beslutningen er registreret.",
                "Has gone from {from} to {to} since the last run, with neither the step nor the decision recorded."
            ))
        }
        // ---- licences
        Code::DataLicenseNotDefault => {
            let licence = p.project.fields.licence.given().cloned().unwrap_or_default();
            let decided = p.project.id().is_some_and(|id| {
                rules
                    .decisions_for(id)
                    .any(|d| fold(&d.text).contains("licens") || fold(&d.text).contains(&fold(&licence)))
            });
            if decided {
                return vec![];
            }
            one(t!(
                "Bruger licensen {licence} i stedet for OS2's standardlicens MPL-2.0; det kræver bestyrelsens beslutning.",
                "Uses the licence {licence} instead of OS2's default MPL-2.0; that needs the board's decision."
            ))
        }
        Code::DataLicenseNotOsi => {
            let licence = p.project.fields.licence.given().cloned().unwrap_or_default();
            one(t!(
                "Licensen '{licence}' er ikke en godkendt open source-licens.",
                "The licence '{licence}' is not an approved open-source licence."
            ))
        }
        // ---- economy
        Code::BudgetOverrun => {
            let budget = economy.budget.map(kr).unwrap_or_default();
            let (bda, ben) = (&budget.da, &budget.en);
            let spent_over = matches!((economy.spent, economy.budget), (Some(s), Some(b)) if s > b + 0.5);
            let text = if spent_over {
                let s = kr(economy.spent.unwrap_or_default());
                let (sda, sen) = (&s.da, &s.en);
                t!("Har brugt {sda} af et budget på {bda}.", "Has spent {sen} of a budget of {ben}.")
            } else {
                let fc = economy.forecast.unwrap_or_default();
                let pct = economy.budget.filter(|b| *b > 0.0).map(|b| ((fc / b - 1.0) * 100.0).round()).unwrap_or(0.0);
                let fk = kr(fc);
                let (fda, fen) = (&fk.da, &fk.en);
                t!(
                    "Forventer at bruge {fda} mod et budget på {bda} (+{pct} %).",
                    "Expects to spend {fen} against a budget of {ben} (+{pct} %)."
                )
            };
            let text = match &p.assessment.economy_since {
                Some(since) if *since != report.period => {
                    text.then(&t!("Det har stået siden {since}.", "It has stood since {since}."))
                }
                _ => text,
            };
            one(text)
        }
        Code::StatusRed => {
            let newest = p.project.newest_status();
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
        Code::BudgetGrowth => match (economy.baseline, economy.budget) {
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
            None => vec![],
        },
        Code::BudgetEscalated => {
            let since = p.assessment.economy_since.clone().unwrap_or_default();
            one(t!(
                "Økonomien har stået uløst siden {since} uden en registreret beslutning.",
                "The economy has stood unresolved since {since} without a recorded decision."
            ))
        }
        Code::BudgetDeciderWrong => {
            let row = f.location.cell.map(|c| c.row);
            let change = p.project.budget_changes.iter().find(|c| Some(c.row) == row);
            let (to, date, by) = match change {
                Some(c) => (
                    c.to.given().map(|v| kr(*v)).unwrap_or_default(),
                    c.date.given().map(|d| format_date(*d)).unwrap_or_default(),
                    c.decided_by.given().map(|d| (d.da(), d.label(Lang::En))).unwrap_or_default(),
                ),
                None => Default::default(),
            };
            let (tda, ten, bda, ben) = (&to.da, &to.en, by.0, by.1);
            one(t!(
                "Budgettet blev ændret til {tda} {date} af {bda}; på {label} er en budgetændring bestyrelsens beslutning.",
                "The budget was changed to {ten} on {date} by {ben}; at {label} a budget change is the board's decision."
            ))
        }
        // ---- products
        Code::ProductSlaBreach => match crate::check::product::sla_line(&p.project, Lang::Da)
            .zip(crate::check::product::sla_line(&p.project, Lang::En))
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
        Code::ProductDriftStale => one(t!(
            "Koordinationsgruppen har ikke rapporteret om driften i over et år.",
            "The coordination group has not reported on operations for over a year."
        )),
        // ---- reporting
        Code::StatusStale => {
            let d = p.project.newest_status().map(|(_, d)| format_date(d)).unwrap_or_default();
            one(t!("Har ikke afgivet statusrapport siden {d}.", "Has not reported status since {d}."))
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
    let Some(declared) = p.project.fields.level.given().copied() else {
        return vec![];
    };
    if !p.assessment.process.started(rules) {
        return vec![];
    }
    let name = |l| crate::check::context::level_label(rules, l);
    match p.assessment.attained {
        Some(a) if a > declared && has(p, Code::LevelAboveDeclared) => {
            let (from, to) = (name(declared), name(a));
            vec![Point {
                agenda: Agenda::Beslutning,
                topic: Topic::Level,
                text: t!(
                    "Opfylder alle Skal-krav på {to}, men er placeret på {from}: kandidat til at blive hævet.",
                    "Meets every must requirement of {to} but is placed at {from}: a candidate for raising."
                ),
            }]
        }
        attained if attained < Some(declared) && has(p, Code::LevelBelowDeclared) => {
            let from = name(declared);
            let none = attained.is_none();
            let to = attained.map(name).unwrap_or_default();
            let gap = declared.0 as i64 - attained.map(|a| a.0 as i64).unwrap_or(-1);
            // Each blocking requirement by title; those answered Nej without a word are marked.
            let unexplained = |i: usize| {
                p.findings.iter().any(|f| {
                    f.code == Code::KravSkalUnmet && f.requirement.as_deref() == Some(rules.requirements[i].id.as_str())
                })
            };
            let list = |lang: Lang| {
                p.assessment
                    .blocking
                    .iter()
                    .map(|i| {
                        let mark = if unexplained(*i) {
                            lang.pick(" (nej, uden forklaring)", " (no, unexplained)")
                        } else {
                            ""
                        };
                        format!("{}{mark}", requirement_title(rules, *i))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
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
            let agenda = if gap >= 2 { Agenda::Droeftelse } else { Agenda::Beslutning };
            vec![Point { agenda, topic: Topic::Level, text }]
        }
        _ => vec![],
    }
}

/// The changes since the last run that the board is told or asked about.
fn change_points(report: &Report, p: &ProjectResult) -> Vec<Point> {
    let rules = &report.rules;
    let key = p.key();
    let unlogged = has(p, Code::PhaseChangedUnlogged);
    let mut out = Vec::new();
    for c in report.changes.iter().filter(|c| c.project == key) {
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
                });
            }
            // An unlogged change is the board's decision, never information.
            ChangeKind::PhaseChanged { .. } if unlogged => {}
            ChangeKind::PhaseChanged { from, to } => {
                let product = fold(to) == fold(&rules.phase(rules.key.product).name);
                let text = if product {
                    t!(
                        "Er blevet et produkt ({from} → {to}) og følges nu af en koordinationsgruppe.",
                        "Has become a product ({from} → {to}) and is now followed by a coordination group."
                    )
                } else {
                    t!("Faseskift: {from} → {to}.", "Change of phase: {from} → {to}.")
                };
                out.push(Point { agenda: Agenda::Orientering, topic: Topic::Information, text });
            }
            ChangeKind::LevelChanged { from, to } => {
                let needs_board = [from, to]
                    .iter()
                    .any(|code| rules.find_level(code).is_some_and(|l| rules.level(l).board == BoardRole::Godkendelse));
                let (agenda, topic) = if needs_board {
                    (Agenda::Beslutning, Topic::Phase)
                } else {
                    (Agenda::Orientering, Topic::Information)
                };
                out.push(Point {
                    agenda,
                    topic,
                    text: t!("Niveauskift: {from} → {to}.", "Change of level: {from} → {to}."),
                });
            }
            _ => {}
        }
    }
    out
}

/// A point ends with one full stop, also after an amount in `kr.`.
fn sentence(text: &Text) -> Text {
    let fix = |s: &str| s.replace("kr..", "kr.");
    Text::new(fix(&text.da), fix(&text.en))
}

/// The entries for the board, in agenda order (decisions first); the styringsmodel first
/// within a section, then projects by ID.
pub fn entries(report: &Report) -> Vec<BoardEntry> {
    let rules = &report.rules;
    let mut out = Vec::new();
    out.extend(model_entry(report));
    for p in &report.projects {
        let mut points: Vec<Point> = Vec::new();
        let annex = concept::annex(report, p);
        if let Some(a) = &annex {
            points.push(Point { agenda: Agenda::Beslutning, topic: Topic::Concept, text: a.waiting_text() });
        }
        points.extend(level_points(report, p));
        for f in &p.findings {
            for point in point(report, p, f) {
                if !points.contains(&point) {
                    points.push(point);
                }
            }
        }
        points.extend(change_points(report, p));
        // Escalated: the economy is the board's decision, not its discussion.
        if has(p, Code::BudgetEscalated) {
            for point in points.iter_mut().filter(|x| x.topic == Topic::Economy) {
                point.agenda = Agenda::Beslutning;
            }
        }
        for agenda in Agenda::ALL {
            let here: Vec<&Point> = points.iter().filter(|x| x.agenda == agenda).collect();
            if here.is_empty() {
                continue;
            }
            let mut asks: Vec<Text> = Vec::new();
            for x in &here {
                if let Some(a) = ask(x.topic, agenda)
                    && !asks.contains(&a)
                {
                    asks.push(a);
                }
            }
            let ask = asks.into_iter().reduce(|a, b| a.then(&b));
            out.push(BoardEntry {
                agenda,
                project: p.key(),
                name: p.name(),
                situation: Text::new(level_and_phase(rules, p, Lang::Da), level_and_phase(rules, p, Lang::En)),
                points: here.iter().map(|x| sentence(&x.text)).collect(),
                ask,
                concept: if agenda == Agenda::Beslutning { annex.clone() } else { None },
            });
        }
    }
    for n in &report.not_submitted {
        let last = n.last_period.clone().unwrap_or_default();
        let period = &report.period;
        out.push(BoardEntry {
            agenda: Agenda::Orientering,
            project: n.key.clone(),
            name: n.name.clone().unwrap_or_default(),
            situation: t!("sidst indsendt {last}", "last sent in {last}"),
            points: vec![t!(
                "Har ikke indsendt sit projektark til {period}; projektlederen har fået en påmindelse.",
                "Has not sent in its projektark for {period}; the project lead has been reminded."
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
    out
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
    let owner = doc.owner.clone().unwrap_or_else(|| "–".into());
    let approver = doc.approver.clone().unwrap_or_else(|| "–".into());
    let version = &doc.version;
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
