//! Test helpers for the checks: the default styringsmodel built in memory and a builder
//! for projects from in-code values, clean unless a test says otherwise.

use crate::check::context::Context;
use crate::check::previous::PreviousProject;
use crate::check::project::check_project;
use crate::load::workbook::RawWorkbook;
use crate::model::cell::CellRef;
use crate::model::choice::{Answer, DecisionKind, Light, OrgKind, ProjectKind, Rag};
use crate::model::defaults::default_model;
use crate::model::finding::{Code, Finding};
use crate::model::layout::{
    self, BUDGET_COLS, DELTAGERE_COLS, DRIFT_COLS, FieldKey, HISTORIK_COLS, KRAV_COLS, STATUS_COLS,
};
use crate::model::project::{
    Columns, Field, HistoryStep, Input, OperationReport, Participant, Project, RequirementRow, StatusReport,
};
use crate::model::rules::Rules;
use chrono::{Duration, NaiveDate};
use std::sync::OnceLock;

/// The period of [`as_of`].
pub const PERIOD: &str = "2026-11";

pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

pub fn date(s: &str) -> NaiveDate {
    crate::model::value::parse_date_text(s).unwrap()
}

/// The default tables as a workbook in memory (what `init` writes, without the file).
pub fn default_workbook() -> RawWorkbook {
    crate::load::styringsmodel::table_workbook(&default_model(as_of()))
}

/// The default styringsmodel, loaded once.
pub fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        crate::load::styringsmodel::rules_from_workbook(&default_workbook(), as_of())
            .expect("default model is valid")
            .rules
    })
}

/// A checked project as a run holds it, read from `file` (no bytes kept).
pub fn result_of(
    file: &str,
    project: crate::model::project::Project,
    (assessment, findings): (crate::check::assess::Assessment, Vec<Finding>),
) -> crate::check::result::ProjectResult {
    crate::check::result::ProjectResult {
        path: file.into(),
        file: file.to_string(),
        bytes: std::sync::Arc::new(Vec::new()),
        sha256: Default::default(),
        mode: None,
        project,
        assessment,
        findings,
    }
}

/// A check run's report of `projects` against `rules` on the test kit's date and period,
/// with nothing else (no earlier period, no register, nothing set aside).
pub fn report_of(rules: &Rules, projects: Vec<crate::check::result::ProjectResult>) -> crate::check::report::Report {
    crate::check::report::Report {
        rules: std::sync::Arc::new(rules.clone()),
        as_of: as_of(),
        period: PERIOD.into(),
        model_findings: vec![],
        projects,
        unreadable: vec![],
        skipped: vec![],
        left_out: Default::default(),
        set_aside: vec![],
        not_submitted: vec![],
        changes: vec![],
        previous_period: None,
        finding_ages: Default::default(),
        register: Default::default(),
        carry: Default::default(),
    }
}

fn given<T>(v: T, row: u32) -> Field<T> {
    Field { value: Input::Given(v), cell: Some(CellRef::new(row, 1)) }
}

/// The Projekt sheet row (0-based) of a field, as the template writes it.
fn row(key: FieldKey) -> u32 {
    layout::FIELDS.iter().position(|f| f.key == key).expect("a field") as u32 + 1
}

fn blank<T>(row: u32) -> Field<T> {
    Field { value: Input::Blank, cell: Some(CellRef::new(row, 1)) }
}

fn cols(names: &[&'static str]) -> Columns {
    Columns(names.iter().enumerate().map(|(i, n)| (*n, i as u32)).collect())
}

pub use crate::check::fixtures::path_to;

/// A project under test.
#[derive(Clone)]
pub struct P {
    pub project: Project,
    pub previous: Option<PreviousProject>,
    /// The secretariat's register the project is checked with (empty unless a test adds rows).
    pub register: crate::model::register::Register,
    /// The styringsmodel when a test changes it (its log, calendar or cut-over); else
    /// [`rules`].
    pub model: Option<Box<Rules>>,
}

impl P {
    /// A clean project at `level` in `phase`: every applicable requirement that is due in
    /// the phase answered Ja with evidence (the rest blank), a consistent history with the
    /// board's approval where the level needs it, the level placed, two valid
    /// participants, a fresh green status.
    pub fn new(level: &str, phase: &str) -> P {
        let r = rules();
        let level_id = r.find_level(level).expect("level");
        let phase_id = r.find_phase(phase).expect("phase");
        let path = path_to(r, level_id, phase_id);
        let start = as_of() - Duration::days(400);
        let step_date = |i: usize| start + Duration::days(30 * i as i64);
        let product = path.iter().any(|(_, to, _, _)| *to == r.key.product) || phase_id == r.key.product;
        let approval = path.iter().position(|(from, to, _, _)| *from == r.key.board_review && *to == r.key.started);
        let mut p = Project::default();
        let f = &mut p.fields;
        f.id = given("OS2test".into(), row(FieldKey::Id));
        f.name = given("OS2test – et testprojekt".into(), row(FieldKey::Name));
        f.purpose = given("Et fælles værktøj til kommunernes sagsbehandlere.".into(), row(FieldKey::Purpose));
        f.benefit = given("Sparet tid i sagsbehandlingen i 20 kommuner.".into(), row(FieldKey::Benefit));
        f.kind = given(if product { ProjectKind::Produkt } else { ProjectKind::Projekt }, row(FieldKey::Kind));
        f.organisation = given("Aarhus Kommune".into(), row(FieldKey::Organisation));
        f.lead = given("Mette Hansen".into(), row(FieldKey::Lead));
        f.lead_email = given("mette.hansen@aarhus.dk".into(), row(FieldKey::LeadEmail));
        f.level = given(level_id, row(FieldKey::Level));
        let placed = row(FieldKey::LevelPlaced);
        f.level_placed = if path.is_empty() { blank(placed) } else { given(step_date(0), placed) };
        let placed_by = row(FieldKey::LevelPlacedBy);
        f.level_placed_by =
            if path.is_empty() { blank(placed_by) } else { given("OS2-sekretariatet".into(), placed_by) };
        f.phase = given(phase_id, row(FieldKey::Phase));
        f.steering_group = given("Styregruppe for OS2test".into(), row(FieldKey::SteeringGroup));
        f.coordination_group = given("Koordinationsgruppe for OS2test".into(), row(FieldKey::CoordinationGroup));
        f.sla = given("https://os2.eu/sla".into(), row(FieldKey::Sla));
        f.board_informed = given(as_of() - Duration::days(300), row(FieldKey::BoardInformed));
        // The approval's date is that of the step Bestyrelsesbehandling → Igangsat.
        f.board_approved = match approval {
            Some(i) => given(step_date(i), row(FieldKey::BoardApproved)),
            None => blank(row(FieldKey::BoardApproved)),
        };
        f.licence = given("MPL-2.0".into(), row(FieldKey::Licence));
        f.repository = given("https://github.com/OS2/os2test".into(), row(FieldKey::Repository));
        f.budget = given(1_000_000.0, row(FieldKey::Budget));
        f.budget_baseline = given(1_000_000.0, row(FieldKey::BudgetBaseline));
        f.filled_by = given("Mette Hansen".into(), row(FieldKey::FilledBy));
        f.filled_date = given(as_of() - Duration::days(10), row(FieldKey::FilledDate));
        p.sheets.projekt = Some(layout::PROJEKT.into());
        p.sheets.projekt_value_col = 1;
        p.sheets.krav = Some((layout::KRAV.into(), cols(&KRAV_COLS)));
        p.sheets.historik = Some((layout::HISTORIK.into(), cols(&HISTORIK_COLS)));
        p.sheets.deltagere = Some((layout::DELTAGERE.into(), cols(&DELTAGERE_COLS)));
        p.sheets.status = Some((layout::STATUS.into(), cols(&STATUS_COLS)));
        p.sheets.budget_changes = Some((layout::BUDGETAENDRINGER.into(), cols(&BUDGET_COLS)));
        p.sheets.drift = Some((layout::DRIFT.into(), cols(&DRIFT_COLS)));
        // What is due depends on the phase the project is judged by (a paused one by the
        // phase it left): the last step's Fra for a pause or stop, else the phase.
        let effective = match path.last() {
            Some((from, to, _, _)) if r.is_off_line(*to) => *from,
            _ => phase_id,
        };
        for (i, req) in r.requirements.iter().enumerate() {
            let applies = req.level <= level_id && r.reached(effective, r.due_from(req));
            p.requirements.push(RequirementRow {
                row: i as u32 + 1,
                id: req.id.clone(),
                requirement: Some(i),
                answer: if applies { Input::Given(Answer::Ja) } else { Input::Blank },
                evidence: applies.then(|| format!("https://os2.eu/dok/{}", req.id)),
                explanation: None,
                assessment: Input::Blank,
                rationale: None,
            });
        }
        for (i, (from, to, decider, reason)) in path.into_iter().enumerate() {
            p.history.push(HistoryStep {
                row: i as u32 + 1,
                date: Input::Given(step_date(i)),
                from: Input::Given(from),
                to: Input::Given(to),
                decider: Input::Given(decider),
                reference: Some(format!("Referat {i}")),
                reason: reason.then(|| "ANDET".to_string()),
                note: reason.then(|| "Se referatet".to_string()),
                level: Input::Blank,
            });
        }
        for (i, (org, cvr)) in
            [("Aarhus Kommune", "29189846"), ("Københavns Kommune", "64942212")].into_iter().enumerate()
        {
            p.participants.push(Participant {
                row: i as u32 + 1,
                organisation: Some(org.into()),
                kind: Input::Given(OrgKind::Kommune),
                cvr: Some(cvr.into()),
                joined: Input::Given(as_of() - Duration::days(500)),
                contact: Some("kontakt@kommune.dk".into()),
                // Products are in use in both organisations (from before the step into Produkt).
                in_use: if product { Input::Given(as_of() - Duration::days(450)) } else { Input::Blank },
            });
        }
        if product {
            p.operations.push(OperationReport {
                row: 1,
                date: Input::Given(as_of() - Duration::days(30)),
                sla_target: Input::Given(99.5),
                measured: Input::Given(99.8),
                open_changes: Input::Given(4),
                architecture: None,
                note: None,
            });
        }
        p.status.push(StatusReport {
            row: 1,
            date: Input::Given(as_of() - Duration::days(20)),
            progress: Input::Given(Rag::Groen),
            economy: Input::Given(Rag::Groen),
            spent: Input::Given(400_000.0),
            forecast: Input::Given(1_000_000.0),
            note: None,
        });
        P { project: p, previous: None, register: Default::default(), model: None }
    }

    fn row_mut(&mut self, id: &str) -> &mut RequirementRow {
        self.project.requirements.iter_mut().find(|r| r.id == id).unwrap_or_else(|| panic!("no row {id}"))
    }

    pub fn answer(mut self, id: &str, answer: Answer, evidence: Option<&str>, explanation: Option<&str>) -> P {
        let row = self.row_mut(id);
        row.answer = Input::Given(answer);
        row.evidence = evidence.map(str::to_string);
        row.explanation = explanation.map(str::to_string);
        self
    }

    pub fn blank(mut self, id: &str) -> P {
        let row = self.row_mut(id);
        row.answer = Input::Blank;
        row.evidence = None;
        self
    }

    /// A Vurdering typed into the projektark (the lead's file: never believed).
    pub fn vurdering(mut self, id: &str, light: Light) -> P {
        self.row_mut(id).assessment = Input::Given(light);
        self
    }

    /// The secretariat's assessment of requirement `id` in the register, given on the answer
    /// standing now (its Svar-id), dated 03-11-2026, by MJ.
    pub fn recorded(mut self, id: &str, light: Light, basis: Option<&str>) -> P {
        let row = self.row_mut(id).clone();
        let fingerprint = crate::check::assess::answer_fingerprint(&row);
        self.record(id, light, basis, fingerprint)
    }

    /// A register row typed by hand: no Svar-id, no date.
    pub fn recorded_by_hand(self, id: &str, light: Light) -> P {
        let mut p = self.record(id, light, None, None);
        if let Some(last) = p.register.assessments.last_mut() {
            last.date = None;
        }
        p
    }

    fn record(mut self, id: &str, light: Light, basis: Option<&str>, answer_id: Option<String>) -> P {
        let r = rules();
        let index = r.find_requirement(id).expect("requirement");
        let row = self.register.assessments.len() as u32 + 2;
        self.register.assessments.push(crate::model::register::RecordedAssessment {
            row,
            project: self.project.id().unwrap_or("OS2test").to_string(),
            requirement: index,
            requirement_id: r.requirements[index].id.clone(),
            light: Some(light),
            basis: basis.map(str::to_string),
            date: Some(date("03-11-2026")),
            by: Some("MJ".into()),
            answer: None,
            answer_id,
            source: None,
        });
        self
    }

    pub fn remove_row(mut self, id: &str) -> P {
        self.project.requirements.retain(|r| r.id != id);
        self
    }

    pub fn with(mut self, change: impl FnOnce(&mut Project)) -> P {
        change(&mut self.project);
        self
    }

    pub fn previous(mut self, level: &str, phase: &str) -> P {
        self.previous = Some(PreviousProject {
            declared_level: Some(level.into()),
            phase: Some(phase.into()),
            period: Some("2026-10".into()),
            ..PreviousProject::default()
        });
        self
    }

    /// Changes the previous run (after [`P::previous`]).
    pub fn previous_with(mut self, change: impl FnOnce(&mut PreviousProject)) -> P {
        let previous = self
            .previous
            .get_or_insert_with(|| PreviousProject { period: Some("2026-10".into()), ..PreviousProject::default() });
        change(previous);
        self
    }

    /// Replaces Historik with these steps (Fra, Til, Beslutter), dated 30 days apart from
    /// 400 days before as-of, and sets Fase (and Type) to where they end. The approval
    /// field and the level placement keep their values; see [`P::approved`].
    pub fn steps(mut self, steps: &[(&str, &str, &str)]) -> P {
        let r = rules();
        let start = as_of() - Duration::days(400);
        self.project.history = steps
            .iter()
            .enumerate()
            .map(|(i, (from, to, by))| HistoryStep {
                row: i as u32 + 1,
                date: Input::Given(start + Duration::days(30 * i as i64)),
                from: Input::Given(r.find_phase(from).unwrap_or_else(|| panic!("phase {from}"))),
                to: Input::Given(r.find_phase(to).unwrap_or_else(|| panic!("phase {to}"))),
                decider: Input::Given(crate::model::choice::Decider::parse(by).unwrap_or_else(|| panic!("{by}"))),
                reference: Some(format!("Referat {i}")),
                reason: None,
                note: None,
                level: Input::Blank,
            })
            .collect();
        if let Some(Input::Given(last)) = self.project.history.last().map(|s| s.to.clone()) {
            self.project.fields.phase.value = Input::Given(last);
            let product = self.project.history.iter().any(|s| s.to == Input::Given(r.key.product));
            self.project.fields.kind.value =
                Input::Given(if product { ProjectKind::Produkt } else { ProjectKind::Projekt });
        }
        self
    }

    /// Sets the date of Historik step `i` (0-based).
    pub fn step_on(mut self, i: usize, date: NaiveDate) -> P {
        self.project.history[i].date = Input::Given(date);
        self
    }

    /// The date of Historik step `i` (0-based).
    pub fn step_date(&self, i: usize) -> NaiveDate {
        *self.project.history[i].date.given().expect("a dated step")
    }

    /// Sets Årsag and Bemærkning of step `i`.
    pub fn reason(mut self, i: usize, code: &str, note: Option<&str>) -> P {
        self.project.history[i].reason = Some(code.to_string());
        self.project.history[i].note = note.map(str::to_string);
        self
    }

    /// Sets the level in force (Historik.Niveau) of step `i`.
    pub fn step_level(mut self, i: usize, level: &str) -> P {
        self.project.history[i].level = Input::Given(rules().find_level(level).expect("level"));
        self
    }

    /// Sets 'Bestyrelse godkendt (dato)' (blank with `None`).
    pub fn approved(mut self, date: Option<NaiveDate>) -> P {
        self.project.fields.board_approved.value = match date {
            Some(d) => Input::Given(d),
            None => Input::Blank,
        };
        self
    }

    /// The styringsmodel the project is checked against.
    pub fn rules(&self) -> &Rules {
        self.model.as_deref().unwrap_or_else(|| rules())
    }

    /// The styringsmodel, to change (a copy of the default one at first).
    pub fn model_mut(&mut self) -> &mut Rules {
        self.model.get_or_insert_with(|| Box::new(rules().clone()))
    }

    /// Sets Parametre `beslutningslog_fra` (`None`: blank).
    pub fn log_from(mut self, date: Option<NaiveDate>) -> P {
        self.model_mut().params.decision_log_from = date;
        self
    }

    /// Adds a board meeting to Bestyrelsesmøder (an extraordinary one).
    pub fn meeting(mut self, date: NaiveDate) -> P {
        let m = self.model_mut();
        if !m.is_meeting(date) {
            m.meetings.push(crate::model::rules::Meeting { date, note: "Ekstraordinært".into() });
            m.meetings.sort_by_key(|x| x.date);
        }
        m.mark_meetings();
        self
    }

    /// Logs a board decision about this project in Beslutninger.
    pub fn log(mut self, date: NaiveDate, kind: Option<DecisionKind>, level: Option<&str>, amount: Option<f64>) -> P {
        let id = self.project.id().unwrap_or("OS2test").to_string();
        let m = self.model_mut();
        let row = m.decisions.iter().map(|d| d.row).max().unwrap_or(1) + 1;
        m.decisions.push(crate::model::rules::Decision {
            row,
            date,
            project: id,
            text: kind.map(|k| k.da().to_string()).unwrap_or_else(|| "Besluttet".into()),
            basis: String::new(),
            by: "Bestyrelsen".into(),
            reference: "Referat".into(),
            kind,
            priority: None,
            level: level.map(|l| m.find_level(l).expect("level")),
            amount,
            on_meeting: false,
            invalid: false,
        });
        m.decisions.sort_by_key(|d| (d.date, d.row));
        m.mark_meetings();
        self
    }

    /// The log authoritative from 01-01-2024, with every board decision the projektark
    /// shows logged on a listed meeting: the legitimate baseline that route tests break.
    pub fn authoritative(mut self) -> P {
        self = self.log_from(Some(date("01-01-2024")));
        let r = rules();
        let mut logged: Vec<(NaiveDate, DecisionKind, Option<f64>)> = Vec::new();
        if let Some(d) = self.project.fields.board_approved.given() {
            logged.push((*d, DecisionKind::Godkendelse, None));
        }
        for s in &self.project.history {
            let (
                Input::Given(d),
                Input::Given(crate::model::choice::Decider::Bestyrelse),
                Input::Given(from),
                Input::Given(to),
            ) = (&s.date, &s.decider, &s.from, &s.to)
            else {
                continue;
            };
            let kind = if crate::check::process::is_approval_step(r, s) {
                DecisionKind::Godkendelse
            } else if *to == r.key.closed {
                DecisionKind::Stop
            } else if r
                .transition_any_level(*from, *to)
                .is_some_and(|t| t.kind == crate::model::choice::TransitionKind::Tilbageloeb)
            {
                DecisionKind::Tilbageloeb
            } else {
                DecisionKind::Andet
            };
            logged.push((*d, kind, None));
        }
        for c in &self.project.budget_changes {
            if let (Input::Given(d), Input::Given(crate::model::choice::Decider::Bestyrelse)) = (&c.date, &c.decided_by)
            {
                logged.push((*d, DecisionKind::Budget, c.to.given().copied()));
            }
        }
        logged.sort_by_key(|(d, k, _)| (*d, *k));
        logged.dedup_by_key(|(d, k, _)| (*d, *k));
        for (d, kind, amount) in logged {
            self = self.meeting(d).log(d, Some(kind), None, amount);
        }
        self
    }

    /// Adds a counted Placeringer row to the register.
    pub fn placed(mut self, date: NaiveDate, level: &str, by: crate::model::choice::Decider) -> P {
        let id = self.project.id().unwrap_or("OS2test").to_string();
        let row = self.register.placements.iter().map(|p| p.row).max().unwrap_or(1) + 1;
        self.register.placements.push(crate::model::register::Placement {
            row,
            date: Some(date),
            project: id,
            level: Some(rules().find_level(level).expect("level")),
            by: Some(by),
            reference: None,
            note: None,
            source: None,
        });
        self
    }

    /// The process as the checks read it.
    pub fn process(&self) -> crate::check::process::Process {
        crate::check::process::Process::read_in(&self.context(), &self.project)
    }

    fn context(&self) -> Context<'_> {
        Context {
            rules: self.rules(),
            as_of: as_of(),
            period: PERIOD,
            previous: self.previous.as_ref(),
            register: &self.register,
        }
    }

    /// A check run's report of this one project (as the file `OS2test.xlsx`), with its
    /// register.
    pub fn report(&self) -> crate::check::report::Report {
        let checked = check_project(&self.context(), &self.project);
        let mut report = report_of(self.rules(), vec![result_of("OS2test.xlsx", self.project.clone(), checked)]);
        report.register.register = std::sync::Arc::new(self.register.clone());
        report
    }

    pub fn findings(&self) -> Vec<Finding> {
        let ctx = Context {
            rules: self.rules(),
            as_of: as_of(),
            period: PERIOD,
            previous: self.previous.as_ref(),
            register: &self.register,
        };
        check_project(&ctx, &self.project).1
    }

    pub fn codes(&self) -> Vec<Code> {
        let mut c: Vec<Code> = self.findings().iter().map(|f| f.code).collect();
        c.sort();
        c
    }

    /// The findings of one code, as `sheet!cell` strings.
    pub fn at(&self, code: Code) -> Vec<String> {
        self.findings().iter().filter(|f| f.code == code).map(|f| f.location.a1()).collect()
    }

    #[track_caller]
    pub fn has(&self, code: Code) -> &P {
        let all = self.findings();
        assert!(
            all.iter().any(|f| f.code == code),
            "expected {code}, got {:#?}",
            all.iter().map(|f| (f.code, f.location.a1(), f.message.da.clone())).collect::<Vec<_>>()
        );
        self
    }

    #[track_caller]
    pub fn lacks(&self, code: Code) -> &P {
        let all = self.findings();
        assert!(
            !all.iter().any(|f| f.code == code),
            "did not expect {code}: {:#?}",
            all.iter().filter(|f| f.code == code).map(|f| (f.location.a1(), f.message.da.clone())).collect::<Vec<_>>()
        );
        self
    }
}

/// Every dated Historik step of a project moved `days` earlier (later when negative): a
/// project started or made a product longer ago.
pub fn move_history(p: &mut crate::model::project::Project, days: i64) {
    for s in &mut p.history {
        if let Input::Given(d) = &mut s.date {
            *d -= chrono::Duration::days(days);
        }
    }
}
