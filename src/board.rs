//! What the board should see at its next meeting, from a check report: items typed
//! Beslutning (decision), Drøftelse (discussion) or Orientering (information), one line
//! each – project, what, why, and what is asked of the board. Pure; used by the portfolio
//! workbook and the digest.

use crate::finding::{Code, Severity};
use crate::report::{ChangeKind, ProjectResult, Report};
use crate::t;
use crate::text::{Lang, Text};

/// The agenda item types of OS2's board meetings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Agenda {
    Beslutning,
    Droeftelse,
    Orientering,
}

impl Agenda {
    pub const ALL: [Agenda; 3] = [Agenda::Beslutning, Agenda::Droeftelse, Agenda::Orientering];

    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Agenda::Beslutning, Lang::Da) => "Beslutning",
            (Agenda::Droeftelse, Lang::Da) => "Drøftelse",
            (Agenda::Orientering, Lang::Da) => "Orientering",
            (Agenda::Beslutning, Lang::En) => "Decision",
            (Agenda::Droeftelse, Lang::En) => "Discussion",
            (Agenda::Orientering, Lang::En) => "Information",
        }
    }
}

/// One line for the board.
#[derive(Clone, Debug, PartialEq)]
pub struct BoardItem {
    pub agenda: Agenda,
    pub project: String,
    pub name: String,
    pub what: Text,
    pub why: Text,
    pub ask: Text,
}

fn has(p: &ProjectResult, code: Code) -> bool {
    p.findings.iter().any(|f| f.code == code)
}

fn ids(report: &Report, idx: &[usize]) -> String {
    idx.iter().map(|i| report.rules.requirements[*i].id.as_str()).collect::<Vec<_>>().join(", ")
}

/// The items for the board, in agenda order (decisions first), then by project.
pub fn items(report: &Report) -> Vec<BoardItem> {
    let rules = &report.rules;
    let mut out = Vec::new();
    for p in &report.projects {
        let key = p.key();
        let mut push = |agenda, what: Text, why: Text, ask: Text| {
            out.push(BoardItem { agenda, project: key.clone(), name: p.name(), what, why, ask })
        };
        let declared = p.project.fields.level.given().copied();
        let phase = p.project.fields.phase.given().copied();
        let level_name = |l: crate::rules::LevelId| crate::check::level_label(rules, l);

        if let (Some(d), Some(ph)) = (declared, phase)
            && ph == rules.key.board_review
            && rules.level(d).board == crate::model::choice::BoardRole::Godkendelse
        {
            let l = level_name(d);
            let (e, w, _) = crate::finding::count(&p.findings);
            push(
                Agenda::Beslutning,
                t!("Konceptet på {l} afventer godkendelse", "The concept at {l} awaits approval"),
                t!(
                    "Projektet er i Bestyrelsesbehandling; kontrollen viser {e} fejl og {w} advarsler",
                    "The project is in board review; the check shows {e} errors and {w} warnings"
                ),
                t!(
                    "Godkend konceptet, eller send det tilbage med en årsag",
                    "Approve the concept, or send it back with a reason"
                ),
            );
        }
        if let Some(d) = declared {
            match p.assessment.attained {
                Some(a) if a > d && has(p, Code::LevelAboveDeclared) => {
                    let (from, to) = (level_name(d), level_name(a));
                    push(
                        Agenda::Beslutning,
                        t!(
                            "Kandidat til at blive hævet fra {from} til {to}",
                            "Candidate for raising from {from} to {to}"
                        ),
                        t!(
                            "Projektet opfylder alle Skal-krav på {to}",
                            "The project meets every must requirement of {to}"
                        ),
                        t!("Beslut om projektet skal hæves til {to}", "Decide whether to raise the project to {to}"),
                    );
                }
                attained if attained < Some(d) && has(p, Code::LevelBelowDeclared) => {
                    let gap = d.0 as i64 - attained.map(|a| a.0 as i64).unwrap_or(-1);
                    let from = level_name(d);
                    let to = attained.map(level_name).unwrap_or_else(|| "ingen / none".to_string());
                    let blocking = ids(report, &p.assessment.blocking);
                    if gap >= 2 {
                        push(
                            Agenda::Droeftelse,
                            t!(
                                "Langt under sit niveau: placeret på {from}, opnår {to}",
                                "Far below its level: placed at {from}, attains {to}"
                            ),
                            t!("Ikke opfyldt: {blocking}", "Not met: {blocking}"),
                            t!(
                                "Drøft projektets placering og en plan for at nå niveauet",
                                "Discuss the project's level and a plan to reach it"
                            ),
                        );
                    } else {
                        push(
                            Agenda::Beslutning,
                            t!("Anbefales sænket fra {from} til {to}", "Recommended to be lowered from {from} to {to}"),
                            t!("Ikke opfyldt: {blocking}", "Not met: {blocking}"),
                            t!(
                                "Beslut om projektet skal sænkes til {to}, eller giv en frist for at opfylde kravene",
                                "Decide whether to lower the project to {to}, or set a deadline to meet the requirements"
                            ),
                        );
                    }
                }
                _ => {}
            }
        }
        for f in &p.findings {
            let message = f.message.clone();
            match f.code {
                // Escalated: the board decides instead of discussing.
                Code::BudgetOverrun | Code::StatusRed if has(p, Code::BudgetEscalated) => {}
                Code::BudgetEscalated => push(
                    Agenda::Beslutning,
                    t!("Økonomien står uløst", "The economy stands unresolved"),
                    message,
                    t!(
                        "Beslut om projektet skal fortsætte, ændres eller stoppes",
                        "Decide whether the project continues, changes or stops"
                    ),
                ),
                Code::BudgetGrowth | Code::BudgetUntraced | Code::BudgetForecastCreep => push(
                    Agenda::Droeftelse,
                    t!("Budgettet vokser", "The budget is growing"),
                    message,
                    t!(
                        "Drøft om projektet kan gennemføres inden for den godkendte ramme",
                        "Discuss whether the project can be done within the approved frame"
                    ),
                ),
                Code::ProductSlaBreach => push(
                    Agenda::Droeftelse,
                    t!("SLA ikke overholdt", "SLA not met"),
                    message,
                    t!("Drøft driften med koordinationsgruppen", "Discuss operations with the coordination group"),
                ),
                Code::BudgetOverrun => push(
                    Agenda::Droeftelse,
                    t!("Budgetoverskridelse", "Budget overrun"),
                    message,
                    t!(
                        "Drøft om projektet kan gennemføres inden for rammen",
                        "Discuss whether the project can be done within its frame"
                    ),
                ),
                Code::StatusRed => push(
                    Agenda::Droeftelse,
                    t!("Rød status", "Red status"),
                    message,
                    t!(
                        "Drøft projektets situation med projektlederen",
                        "Discuss the project's situation with its lead"
                    ),
                ),
                Code::StatusStale if f.severity == Severity::Error => push(
                    Agenda::Droeftelse,
                    t!("Ingen statusrapport i over et år", "No status report for over a year"),
                    message,
                    t!("Drøft om projektet stadig er aktivt", "Discuss whether the project is still active"),
                ),
                Code::KravSkalUnmet => {
                    let r = f.requirement.clone().unwrap_or_default();
                    push(
                        Agenda::Droeftelse,
                        t!("Følg-eller-forklar brudt ({r})", "Comply-or-explain broken ({r})"),
                        message,
                        t!("Drøft hvordan projektet bringes i orden", "Discuss how the project is brought in line"),
                    )
                }
                Code::PhaseBoardOrientationMissing => push(
                    Agenda::Orientering,
                    t!("Orientering om projekt på niveau 1", "Information on a level-1 project"),
                    t!(
                        "Projektet er i gang, og bestyrelsen er ikke orienteret endnu",
                        "The project is running and the board has not been informed yet"
                    ),
                    t!("Til orientering", "For information"),
                ),
                _ => {}
            }
        }
    }
    for c in &report.changes {
        let name = report.projects.iter().find(|p| p.key() == c.project).map(|p| p.name()).unwrap_or_default();
        let item = |agenda, what: Text, ask: Text| BoardItem {
            agenda,
            project: c.project.clone(),
            name: name.clone(),
            what,
            why: t!("Ændring siden sidste kørsel", "Change since the last run"),
            ask,
        };
        match &c.kind {
            ChangeKind::NewProject => out.push(item(
                Agenda::Orientering,
                t!("Nyt projekt", "New project"),
                t!("Til orientering", "For information"),
            )),
            ChangeKind::PhaseChanged { from, to } => {
                let product =
                    crate::model::choice::fold(to) == crate::model::choice::fold(&rules.phase(rules.key.product).name);
                let what = if product {
                    t!("Nyt produkt: {from} → {to}", "New product: {from} → {to}")
                } else {
                    t!("Faseskift: {from} → {to}", "Phase change: {from} → {to}")
                };
                out.push(item(Agenda::Orientering, what, t!("Til orientering", "For information")));
            }
            ChangeKind::LevelChanged { from, to } => {
                let needs_board = [from, to].iter().any(|code| {
                    rules
                        .find_level(code)
                        .is_some_and(|l| rules.level(l).board == crate::model::choice::BoardRole::Godkendelse)
                });
                let agenda = if needs_board { Agenda::Beslutning } else { Agenda::Orientering };
                let ask = if needs_board {
                    t!("Godkend niveauskiftet", "Approve the change of level")
                } else {
                    t!("Til orientering", "For information")
                };
                out.push(item(agenda, t!("Niveauskift: {from} → {to}", "Change of level: {from} → {to}"), ask));
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.agenda.cmp(&b.agenda).then_with(|| a.project.to_lowercase().cmp(&b.project.to_lowercase())));
    out
}
