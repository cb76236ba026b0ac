//! The styringsmodel as typed data: levels, requirements, phases, transitions, reasons,
//! parameters, board meetings and recipients. Everything the checks know about OS2's
//! rules comes from here, loaded from the workbook – never hard-coded in a check.

use crate::model::choice::{BoardRole, CrossCheck, Decider, RecipientRole, ReqKind, TransitionKind};
use crate::text::Lang;
use chrono::NaiveDate;

/// Index into [`Rules::levels`] (sorted by Rækkefølge, lowest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LevelId(pub usize);

/// Index into [`Rules::phases`] (sorted by Rækkefølge).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PhaseId(pub usize);

/// Index into [`Rules::reasons`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ReasonId(pub usize);

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub owner: Option<String>,
    pub approver: Option<String>,
    pub revision_date: Option<NaiveDate>,
    pub version: String,
    pub approval_date: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Level {
    pub code: String,
    pub name: String,
    pub order: i64,
    pub board: BoardRole,
    pub min_orgs: u32,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Requirement {
    pub id: String,
    pub theme: String,
    pub level: LevelId,
    pub kind: ReqKind,
    pub text: String,
    pub guidance: String,
    /// Krav.OS2's ordlyd: how OS2's published forms (the 2025 template) word the
    /// requirement, one wording per line; used by `import` to recognise it. May be empty.
    pub official: Vec<String>,
    pub cross_check: Option<CrossCheck>,
    /// Krav.Fra fase: the first phase in which the requirement must be answered; `None`
    /// (blank) is from the first phase. Before it the requirement is *not due yet*.
    pub from_phase: Option<PhaseId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub name: String,
    pub order: i64,
    pub description: String,
}

/// The phases the checks give a meaning to, found by name when the model is loaded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KeyPhases {
    pub concept: PhaseId,
    pub board_review: PhaseId,
    pub started: PhaseId,
    pub product: PhaseId,
    pub closed: PhaseId,
}

impl KeyPhases {
    /// The names the checks look for, in the default styringsmodel's spelling.
    pub const NAMES: [&'static str; 5] = ["Koncept", "Bestyrelsesbehandling", "Igangsat", "Produkt", "Udfaset"];
}

#[derive(Clone, Debug, PartialEq)]
pub enum LevelSet {
    All,
    Only(Vec<LevelId>),
}

impl LevelSet {
    pub fn contains(&self, level: LevelId) -> bool {
        match self {
            LevelSet::All => true,
            LevelSet::Only(levels) => levels.contains(&level),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Transition {
    /// `None` is `*`: from any phase.
    pub from: Option<PhaseId>,
    pub to: PhaseId,
    pub levels: LevelSet,
    /// Who may decide the step: one body, or several written as a comma list.
    pub deciders: Vec<Decider>,
    pub kind: TransitionKind,
    pub reason_required: bool,
    /// 1-based row in Overgange, for messages.
    pub row: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Reason {
    pub code: String,
    pub name: String,
    pub description: String,
    /// Årsager.Bemærkning påkrævet: a step with this reason must say more in Bemærkning
    /// (ANDET in the default model).
    pub note_required: bool,
}

/// The numbers in the Parametre sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub status_max_days: i64,
    pub status_critical_days: i64,
    pub selfeval_max_days: i64,
    pub budget_tolerance_pct: f64,
    /// Runs (months) an overrun or red economy may stand without a recorded decision
    /// before it goes to the board for decision instead of discussion.
    pub escalation_periods: i64,
    /// The Rækkefølge from which budget changes are the board's decision (2: N2 and N3).
    pub budget_board_from_order: i64,
    /// Board meetings a concept may wait in Bestyrelsesbehandling before it is flagged.
    pub concept_wait_meetings: i64,
    /// Days before a board meeting by which a concept's material must be with the
    /// secretariat (the lead's reminder).
    pub material_days_before: i64,
    /// `beslutningslog_fra`: the date from which the Beslutninger log is the authority on
    /// the board's decisions. A board decision dated on or after it counts only when the
    /// log has it (on a listed meeting); before it – or when blank (`None`) – the
    /// projektark is believed, as before the log was kept.
    pub decision_log_from: Option<NaiveDate>,
}

impl Params {
    /// The Parametre row holding [`Params::decision_log_from`] (a date, not a number).
    pub const DECISION_LOG_FROM: &'static str = "beslutningslog_fra";

    /// Parameter names in the workbook, with their meaning.
    pub const NAMES: [&'static str; 4] =
        ["statusrapport_maks_dage", "statusrapport_kritisk_dage", "selvevaluering_maks_dage", "budget_tolerance_pct"];

    /// Parameters added later: a model without them gets these defaults.
    pub const OPTIONAL: [(&'static str, f64); 4] = [
        ("budget_eskalering_perioder", 2.0),
        ("budgetaendring_bestyrelse_fra_niveau", 2.0),
        ("koncept_ventetid_moeder", 2.0),
        ("materiale_frist_dage", 14.0),
    ];

    /// Every numeric parameter's allowed range (inclusive) and whether it is a whole
    /// number. `rules` (and every command that loads the model) refuses a value outside it
    /// with `GOV-VALUE-INVALID`, so no run ever starts with a number the checks or the date
    /// arithmetic cannot use (a deadline 99,999,999 days away is no deadline). Documented in
    /// the README ("Parameters").
    pub const RANGES: [ParamRange; 8] = [
        ParamRange { name: "statusrapport_maks_dage", min: 1.0, max: 3_650.0, whole: true },
        ParamRange { name: "statusrapport_kritisk_dage", min: 1.0, max: 3_650.0, whole: true },
        ParamRange { name: "selvevaluering_maks_dage", min: 1.0, max: 3_650.0, whole: true },
        ParamRange { name: "budget_tolerance_pct", min: 0.0, max: 1_000.0, whole: false },
        ParamRange { name: "budget_eskalering_perioder", min: 0.0, max: 120.0, whole: true },
        ParamRange { name: "budgetaendring_bestyrelse_fra_niveau", min: 0.0, max: 100.0, whole: true },
        ParamRange { name: "koncept_ventetid_moeder", min: 0.0, max: 100.0, whole: true },
        ParamRange { name: "materiale_frist_dage", min: 0.0, max: 365.0, whole: true },
    ];

    /// The allowed range of a numeric parameter.
    pub fn range(name: &str) -> Option<&'static ParamRange> {
        Params::RANGES.iter().find(|r| r.name == name)
    }
}

/// The allowed values of one numeric parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamRange {
    pub name: &'static str,
    pub min: f64,
    pub max: f64,
    /// A whole number (days, periods, meetings, a level's order).
    pub whole: bool,
}

impl ParamRange {
    pub fn allows(&self, v: f64) -> bool {
        v.is_finite() && v >= self.min && v <= self.max && (!self.whole || v.fract() == 0.0)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Meeting {
    pub date: NaiveDate,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Recipient {
    pub name: String,
    pub email: String,
    pub role: RecipientRole,
    pub lang: Lang,
    pub active: bool,
}

/// One row of the Beslutninger sheet: OS2's published decision log (Dato, Projekt-ID,
/// Beslutning, Grundlag, Truffet af, Reference) with the optional Type, Niveau, Beløb (kr.)
/// and Prioritet.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// 1-based row in Beslutninger, for messages.
    pub row: u32,
    pub date: NaiveDate,
    /// Blank for a general decision (not about one project).
    pub project: String,
    pub text: String,
    pub basis: String,
    pub by: String,
    pub reference: String,
    /// `None`: Type is blank – any kind (a log written before the column existed).
    pub kind: Option<crate::model::choice::DecisionKind>,
    pub priority: Option<i64>,
    /// Niveau: the level the decision places the project at (Type Niveau), or the level
    /// an approval is given at (Type Godkendelse, optional).
    pub level: Option<LevelId>,
    /// Beløb (kr.): for Type Budget, the budget after the decision.
    pub amount: Option<f64>,
    /// Its date is listed in Bestyrelsesmøder.
    pub on_meeting: bool,
    /// The row cannot count as a board decision (an unknown Type or level; said as
    /// `GOV-DECISION-INVALID` when the model is read). It is still published.
    pub invalid: bool,
}

impl Decision {
    /// Whether the row counts as a board decision: readable, and – from `beslutningslog_fra`
    /// on – dated on a listed board meeting. Before the cut-over (or without one) the
    /// calendar is not asked.
    pub fn counts(&self, log_from: Option<NaiveDate>) -> bool {
        !self.invalid && (self.on_meeting || log_from.is_none_or(|from| self.date < from))
    }

    /// Whether the row is of `kind`, a blank Type being any kind.
    pub fn is(&self, kind: crate::model::choice::DecisionKind) -> bool {
        self.kind.is_none_or(|k| k == kind)
    }
}

impl Rules {
    /// The logged decisions about a project (by Projekt-ID, case-insensitive).
    pub fn decisions_for<'a>(&'a self, project: &'a str) -> impl Iterator<Item = &'a Decision> + 'a {
        let id = crate::text::fold(project);
        self.decisions.iter().filter(move |d| crate::text::fold(&d.project) == id)
    }

    /// The logged decisions about a project that count as board decisions.
    pub fn counted_decisions_for<'a>(&'a self, project: &'a str) -> impl Iterator<Item = &'a Decision> + 'a {
        let from = self.params.decision_log_from;
        self.decisions_for(project).filter(move |d| d.counts(from))
    }

    /// Whether a date is a listed board meeting.
    pub fn is_meeting(&self, date: NaiveDate) -> bool {
        self.meetings.iter().any(|m| m.date == date)
    }

    /// Sets [`Decision::on_meeting`] from the meetings (after either changed).
    pub fn mark_meetings(&mut self) {
        let dates: std::collections::HashSet<NaiveDate> = self.meetings.iter().map(|m| m.date).collect();
        for d in &mut self.decisions {
            d.on_meeting = dates.contains(&d.date);
        }
    }
}

/// The whole styringsmodel, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Rules {
    pub document: Document,
    pub levels: Vec<Level>,
    /// Themes in order of first appearance in Krav.
    pub themes: Vec<String>,
    pub requirements: Vec<Requirement>,
    pub phases: Vec<Phase>,
    pub key: KeyPhases,
    pub transitions: Vec<Transition>,
    pub reasons: Vec<Reason>,
    pub params: Params,
    pub meetings: Vec<Meeting>,
    pub recipients: Vec<Recipient>,
    /// The board's decisions as the secretariat logs them from the minutes (the optional
    /// sheet Beslutninger), oldest first.
    pub decisions: Vec<Decision>,
    /// Beslutninger's Projekt-ID column (0-based), for messages naming a row's cell.
    pub decision_project_col: u32,
    /// Folded names for fast lookups, built by [`Rules::index`].
    pub lookup: Lookup,
}

/// Folded codes and names → positions; lookups happen for every cell read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lookup {
    levels: std::collections::HashMap<String, usize>,
    level_names: std::collections::HashMap<String, usize>,
    phases: std::collections::HashMap<String, usize>,
    reasons: std::collections::HashMap<String, usize>,
    requirements: std::collections::HashMap<String, usize>,
}

impl Lookup {
    /// Builds the lookup tables; the first of two equal keys wins, as in the sheet.
    pub fn build(levels: &[Level], phases: &[Phase], reasons: &[Reason], requirements: &[Requirement]) -> Lookup {
        fn table<'a>(keys: impl Iterator<Item = &'a str>) -> std::collections::HashMap<String, usize> {
            let mut map = std::collections::HashMap::new();
            for (i, k) in keys.enumerate() {
                map.entry(crate::text::fold(k)).or_insert(i);
            }
            map
        }
        let mut reason_map = table(reasons.iter().map(|r| r.code.as_str()));
        for (i, r) in reasons.iter().enumerate() {
            reason_map.entry(crate::text::fold(&r.name)).or_insert(i);
        }
        Lookup {
            levels: table(levels.iter().map(|l| l.code.as_str())),
            level_names: table(levels.iter().map(|l| l.name.as_str())),
            phases: table(phases.iter().map(|p| p.name.as_str())),
            reasons: reason_map,
            requirements: table(requirements.iter().map(|r| r.id.as_str())),
        }
    }
}

impl Rules {
    pub fn level(&self, id: LevelId) -> &Level {
        &self.levels[id.0]
    }

    pub fn phase(&self, id: PhaseId) -> &Phase {
        &self.phases[id.0]
    }

    /// A level by its code (case-insensitive), also accepting its name (`Niveau 2`).
    pub fn find_level(&self, s: &str) -> Option<LevelId> {
        let f = crate::text::fold(s);
        self.lookup.levels.get(&f).or_else(|| self.lookup.level_names.get(&f)).copied().map(LevelId)
    }

    pub fn find_phase(&self, s: &str) -> Option<PhaseId> {
        self.lookup.phases.get(&crate::text::fold(s)).copied().map(PhaseId)
    }

    pub fn find_reason(&self, s: &str) -> Option<ReasonId> {
        self.lookup.reasons.get(&crate::text::fold(s)).copied().map(ReasonId)
    }

    pub fn find_requirement(&self, id: &str) -> Option<usize> {
        self.lookup.requirements.get(&crate::text::fold(id)).copied()
    }

    /// The transition allowed for `level` from `from` to `to`; an exact `Fra` wins over `*`.
    pub fn transition(&self, from: PhaseId, to: PhaseId, level: LevelId) -> Option<&Transition> {
        let matching = |exact: bool| {
            self.transitions.iter().find(|t| {
                t.to == to && t.levels.contains(level) && if exact { t.from == Some(from) } else { t.from.is_none() }
            })
        };
        matching(true).or_else(|| matching(false))
    }

    /// Any transition from `from` to `to`, for any level.
    pub fn transition_any_level(&self, from: PhaseId, to: PhaseId) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.to == to && (t.from == Some(from) || t.from.is_none()))
    }

    /// Requirements that apply at `level`: those whose level is at or below it.
    pub fn applies(&self, requirement: &Requirement, level: LevelId) -> bool {
        requirement.level <= level
    }

    /// The first phase of the process (Idé in the default model).
    pub fn first_phase(&self) -> PhaseId {
        PhaseId(0)
    }

    /// The phase from which a requirement is due (Krav.Fra fase; blank = the first phase).
    pub fn due_from(&self, requirement: &Requirement) -> PhaseId {
        requirement.from_phase.unwrap_or(self.first_phase())
    }

    /// Whether a phase is a holding phase: the target of a Pause transition (Pauseret).
    /// A project there is judged by the phase it left.
    pub fn is_pause(&self, phase: PhaseId) -> bool {
        self.transitions.iter().any(|t| t.to == phase && t.kind == TransitionKind::Pause)
    }

    /// Whether a phase lies off the main line: a holding phase, or the target of a
    /// closing transition (Udfaset). Its Rækkefølge says nothing about how far the
    /// project got; the phase it left does.
    pub fn is_off_line(&self, phase: PhaseId) -> bool {
        phase == self.key.closed
            || self
                .transitions
                .iter()
                .any(|t| t.to == phase && matches!(t.kind, TransitionKind::Pause | TransitionKind::Afslutning))
    }

    /// True when `phase` is at or past `mark` on the main line.
    pub fn reached(&self, phase: PhaseId, mark: PhaseId) -> bool {
        self.phase(phase).order >= self.phase(mark).order
    }

    /// The first board meeting on or after `as_of`.
    pub fn next_meeting(&self, as_of: NaiveDate) -> Option<&Meeting> {
        self.meetings.iter().filter(|m| m.date >= as_of).min_by_key(|m| m.date)
    }

    pub fn theme_index(&self, theme: &str) -> usize {
        self.themes.iter().position(|t| t == theme).unwrap_or(0)
    }
}
