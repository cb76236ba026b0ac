//! The mails people read: the board digest (one per active recipient, in their language)
//! and the project-lead feedback. View models built from a check report, rendered with
//! minijinja templates (embedded; a `templates/` folder next to os2gov.toml overrides them
//! file by file). Returns strings; sending is `deliver`'s job.

pub mod labels;
pub mod lead;
pub mod nobreak;

pub use lead::{LeadView, lead_view};

use crate::board;
use crate::check::changes::ChangeKind;
use crate::check::report::Report;
use crate::error::{Error, Result};
use crate::model::agenda::Agenda;
use crate::model::value::{format_amount, format_date, format_date_words, parse_date_text};
use crate::text::t;
use crate::text::{Lang, Text};
use chrono::NaiveDate;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The template files, embedded from `templates/`.
pub const TEMPLATES: [(&str, &str); 10] = [
    ("_layout.html.j2", include_str!("../../templates/_layout.html.j2")),
    ("digest.subject.j2", include_str!("../../templates/digest.subject.j2")),
    ("digest.html.j2", include_str!("../../templates/digest.html.j2")),
    ("digest.txt.j2", include_str!("../../templates/digest.txt.j2")),
    ("lead.subject.j2", include_str!("../../templates/lead.subject.j2")),
    ("lead.html.j2", include_str!("../../templates/lead.html.j2")),
    ("lead.txt.j2", include_str!("../../templates/lead.txt.j2")),
    ("reminder.subject.j2", include_str!("../../templates/reminder.subject.j2")),
    ("reminder.html.j2", include_str!("../../templates/reminder.html.j2")),
    ("reminder.txt.j2", include_str!("../../templates/reminder.txt.j2")),
];

/// How many change lines a digest shows before pointing at the workbook.
pub const MAX_CHANGES: usize = 15;

/// A rendered mail.
#[derive(Clone, Debug, PartialEq)]
pub struct Rendered {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// The loaded templates.
pub struct Templates {
    env: Environment<'static>,
}

fn lang_of(value: &Value) -> Lang {
    value.as_str().and_then(Lang::parse).unwrap_or_default()
}

impl Templates {
    /// The embedded templates, each replaced by a file of the same name in `override_dir`
    /// when there is one.
    pub fn load(override_dir: Option<&Path>) -> Result<Templates> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_auto_escape_callback(|name| if name.contains(".html") { AutoEscape::Html } else { AutoEscape::None });
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder().trim_blocks(true).lstrip_blocks(true).build() {
            env.set_syntax(syntax);
        }
        env.add_filter("date_words", |s: String, lang: Value| {
            parse_date_text(&s).map(|d| format_date_words(d, lang_of(&lang))).unwrap_or(s)
        });
        env.add_filter("date", |s: String| parse_date_text(&s).map(format_date).unwrap_or(s));
        env.add_filter("amount", |n: f64, lang: Value| format_amount(n, lang_of(&lang)));
        // Dates, amounts and percentages kept on one line (see `nobreak`).
        env.add_filter("nb", |state: &minijinja::State, s: String| -> Value {
            if matches!(state.auto_escape(), AutoEscape::Html) {
                Value::from_safe_string(nobreak::html(&s))
            } else {
                Value::from(nobreak::text(&s))
            }
        });
        for (name, source) in TEMPLATES {
            let custom = override_dir.map(|d| d.join(name)).filter(|p| p.is_file());
            let source = match &custom {
                Some(path) => crate::sys::fs::read(path).map(|b| String::from_utf8_lossy(&b).into_owned())?,
                None => source.to_string(),
            };
            env.add_template_owned(name.to_string(), source)
                .map_err(|e| template_error(name, custom.as_deref(), &e))?;
        }
        Ok(Templates { env })
    }

    fn render(&self, name: &str, ctx: &impl Serialize) -> Result<String> {
        let template = self.env.get_template(name).map_err(|e| template_error(name, None, &e))?;
        template.render(minijinja::value::Serde(ctx)).map_err(|e| template_error(name, None, &e))
    }

    fn render_mail(&self, kind: &str, ctx: &impl Serialize) -> Result<Rendered> {
        let subject = self.render(&format!("{kind}.subject.j2"), ctx)?;
        // A subject is one line: newlines from a template (or data) never reach a header.
        let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok(Rendered {
            subject,
            html: self.render(&format!("{kind}.html.j2"), ctx)?,
            text: self.render(&format!("{kind}.txt.j2"), ctx)?,
        })
    }
}

fn template_error(name: &str, file: Option<&Path>, e: &minijinja::Error) -> Error {
    let place = file.map(|p| p.display().to_string()).unwrap_or_else(|| format!("templates/{name}"));
    let line = e.line().map(|l| format!(" (linje/line {l})")).unwrap_or_default();
    let detail = e.to_string();
    Error::Usage(t!(
        "Mailskabelonen {place}{line} kan ikke bruges: {detail}. Ret skabelonen, eller slet den for at bruge standarden.",
        "The mail template {place}{line} cannot be used: {detail}. Fix it, or delete it to use the default."
    ))
}

/// A concept awaiting the board, for the annex under its entry.
#[derive(Clone, Debug, Serialize)]
pub struct AnnexView {
    pub purpose: Option<String>,
    pub benefit: Option<String>,
    pub level: String,
    pub placed: String,
    pub budget: String,
    pub organisations: String,
    pub requirements: String,
    pub backflows: Vec<String>,
    pub flagged: bool,
}

/// One project (or the styringsmodel) in one section of the agenda.
#[derive(Clone, Debug, Serialize)]
pub struct EntryView {
    pub project: String,
    pub name: String,
    pub situation: String,
    pub points: Vec<String>,
    pub ask: Option<String>,
    pub annex: Option<AnnexView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub key: &'static str,
    pub title: String,
    pub intro: String,
    pub entries: Vec<EntryView>,
}

/// One concept in the side-by-side comparison (compact enough for a phone).
#[derive(Clone, Debug, Serialize)]
pub struct ComparisonRow {
    pub project: String,
    /// `N3 · 4 org.`
    pub level: String,
    pub budget: String,
    /// `23 af 23 grønne, 0 røde`
    pub requirements: String,
    /// `30 dage`
    pub waited: String,
}

/// The concepts awaiting the board side by side.
#[derive(Clone, Debug, Serialize)]
pub struct Comparison {
    pub rows: Vec<ComparisonRow>,
}

fn comparison_view(report: &Report, lang: Lang) -> Option<Comparison> {
    let concepts = board::concept::waiting(report);
    if concepts.len() < 2 {
        return None;
    }
    let rows = concepts
        .iter()
        .map(|c| {
            let all = c.totals();
            let code = c.level.split(' ').next().unwrap_or(&c.level).to_string();
            let orgs = c.organisations.len();
            let (green, total, red) = (all.groen, all.total(), all.roed);
            ComparisonRow {
                project: c.project.clone(),
                level: format!("{code} · {orgs} org."),
                budget: c.budget_text(lang),
                requirements: match lang {
                    Lang::Da => format!("{green} af {total} grønne, {red} røde"),
                    Lang::En => format!("{green} of {total} green, {red} red"),
                },
                waited: c.days.map(|d| format!("{d} {}", lang.pick("dage", "days"))).unwrap_or_else(|| "–".into()),
            }
        })
        .collect();
    Some(Comparison { rows })
}

/// A decision logged since the last meeting.
#[derive(Clone, Debug, Serialize)]
pub struct DecidedView {
    pub date: String,
    pub project: String,
    pub text: String,
    pub by: String,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Counts {
    pub projects: usize,
    pub without_errors: usize,
    pub errors: usize,
    pub warnings: usize,
    pub unreadable: usize,
    pub decisions: usize,
    pub discussions: usize,
    pub informations: usize,
}

/// What the digest template sees.
#[derive(Clone, Debug, Serialize)]
pub struct DigestView {
    pub lang: &'static str,
    pub t: BTreeMap<&'static str, &'static str>,
    pub recipient: String,
    /// The meeting date in words (`10. december 2026`), if one is planned.
    pub meeting: Option<String>,
    pub meeting_iso: Option<String>,
    pub period: String,
    pub as_of: String,
    pub model_version: String,
    pub counts: Counts,
    pub sections: Vec<Section>,
    pub comparison: Option<Comparison>,
    pub decided: Vec<DecidedView>,
    pub nothing_new: bool,
    pub changes: Vec<String>,
    pub changes_more: usize,
    pub previous_period: Option<String>,
    pub attachment: String,
    /// What the secretariat must do before the meeting: filled only in the digest for a
    /// recipient whose role is Sekretariat (see [`secretariat_tasks`]).
    pub secretariat: Vec<TaskView>,
    /// The recipient is the secretariat: the digest ends with what only it acts on.
    pub to_secretariat: bool,
    /// For the secretariat: submissions set aside for a newer one of the same project.
    pub set_aside: Vec<SetAsideView>,
    /// For the secretariat: files that could not be read.
    pub unreadable: Vec<String>,
}

/// A submission set aside (for the secretariat's section of the digest).
#[derive(Clone, Debug, Serialize)]
pub struct SetAsideView {
    pub project: String,
    pub file: String,
    pub current: String,
    /// The old file names another project name or lead: perhaps two projects share an ID.
    pub differs: bool,
}

/// One task for the secretariat, as the digest shows it.
#[derive(Clone, Debug, Serialize)]
pub struct TaskView {
    pub project: String,
    pub what: String,
    /// The material deadline (`26-11-2026`), if a meeting is planned.
    pub by: Option<String>,
    pub place: String,
}

/// The secretariat's section of the digest: every task, with the material deadline.
pub fn secretariat_tasks(report: &Report, lang: Lang) -> Vec<TaskView> {
    crate::check::secretariat::tasks(report)
        .into_iter()
        .map(|task| TaskView {
            project: task.project.unwrap_or_else(|| lang.pick("registeret", "the register").to_string()),
            what: task.what.get(lang).to_string(),
            by: task.deadline.map(format_date),
            place: task.place,
        })
        .collect()
}

fn annex_view(a: &board::ConceptAnnex, lang: Lang) -> AnnexView {
    AnnexView {
        purpose: a.purpose.clone(),
        benefit: a.benefit.clone(),
        level: a.level.clone(),
        placed: a.placed_text(lang),
        budget: a.budget_text(lang),
        organisations: a.organisations_text(lang),
        requirements: a.themes_text(lang),
        backflows: a.backflow_lines(lang),
        flagged: a.flagged,
    }
}

/// The project-level changes worth a line in the digest (finding-level changes are
/// summarised per project).
fn change_lines(report: &Report, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    let mut new_findings: BTreeMap<&str, usize> = BTreeMap::new();
    let mut resolved: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &report.changes {
        match &c.kind {
            ChangeKind::NewFinding { .. } => *new_findings.entry(&c.project).or_default() += 1,
            ChangeKind::ResolvedFinding { .. } => *resolved.entry(&c.project).or_default() += 1,
            _ => lines.push(c.describe().get(lang).to_string()),
        }
    }
    let mut projects: Vec<&str> = new_findings.keys().chain(resolved.keys()).copied().collect();
    projects.sort();
    projects.dedup();
    for p in projects {
        let (n, r) = (new_findings.get(p).copied().unwrap_or(0), resolved.get(p).copied().unwrap_or(0));
        let text: Text = t!("{p}: {n} nye fund, {r} løst", "{p}: {n} new findings, {r} resolved");
        lines.push(text.get(lang).to_string());
    }
    lines
}

/// The digest for one recipient.
pub fn digest_view(
    report: &Report,
    meeting: Option<NaiveDate>,
    recipient: &str,
    lang: Lang,
    attachment: &str,
) -> DigestView {
    digest_view_of(report, &board::entries(report), meeting, recipient, lang, attachment)
}

/// The digest for one recipient from the board's entries (made once per run, not once
/// per recipient).
pub fn digest_view_of(
    report: &Report,
    entries: &[board::BoardEntry],
    meeting: Option<NaiveDate>,
    recipient: &str,
    lang: Lang,
    attachment: &str,
) -> DigestView {
    let t = labels::labels(lang);
    let summary = report.summary();
    let sections: Vec<Section> = Agenda::ALL
        .iter()
        .map(|agenda| Section {
            key: agenda.key(),
            title: agenda.label(lang).to_string(),
            intro: agenda.intro(lang).to_string(),
            entries: entries
                .iter()
                .filter(|e| e.agenda == *agenda)
                .map(|e| EntryView {
                    project: e.project.clone(),
                    name: e.name.clone(),
                    situation: e.situation.get(lang).to_string(),
                    points: e.points.iter().map(|p| p.get(lang).to_string()).collect(),
                    ask: e.ask.as_ref().map(|a| a.get(lang).to_string()),
                    annex: e.concept.as_ref().map(|a| annex_view(a, lang)),
                })
                .collect(),
        })
        .collect();
    let count = |a: Agenda| entries.iter().filter(|e| e.agenda == a).count();
    let counts = Counts {
        projects: summary.projects,
        without_errors: summary.projects_without_errors,
        errors: summary.errors,
        warnings: summary.warnings,
        unreadable: summary.unreadable,
        decisions: count(Agenda::Beslutning),
        discussions: count(Agenda::Droeftelse),
        informations: count(Agenda::Orientering),
    };
    let comparison = comparison_view(report, lang);
    let decided = board::log::since_last_meeting(&report.rules, meeting, report.as_of)
        .into_iter()
        .map(|d| DecidedView {
            date: format_date(d.date),
            project: d.project.clone(),
            text: d.text.clone(),
            by: d.by.clone(),
        })
        .collect();
    let mut changes = change_lines(report, lang);
    let changes_more = changes.len().saturating_sub(MAX_CHANGES);
    changes.truncate(MAX_CHANGES);
    DigestView {
        lang: lang.code(),
        nothing_new: entries.is_empty(),
        comparison,
        decided,
        t,
        recipient: recipient.to_string(),
        meeting: meeting.map(|d| format_date_words(d, lang)),
        meeting_iso: meeting.map(|d| d.to_string()),
        period: report.period.clone(),
        as_of: format_date(report.as_of),
        model_version: report.rules.document.version.clone(),
        counts,
        sections,
        changes,
        changes_more,
        previous_period: report.previous_period.clone(),
        attachment: attachment.to_string(),
        secretariat: Vec::new(),
        to_secretariat: false,
        set_aside: report
            .set_aside
            .iter()
            .map(|s| SetAsideView {
                project: s.key.clone(),
                file: s.file.clone(),
                current: s.current.clone(),
                differs: s.differs,
            })
            .collect(),
        unreadable: report.unreadable.iter().map(|u| format!("{}: {}", u.file, u.finding.message.get(lang))).collect(),
    }
}

impl DigestView {
    /// The same digest for the secretariat: with its own section at the end – its tasks
    /// before the meeting, the submissions set aside and the files that could not be read.
    pub fn for_secretariat(mut self, report: &Report, lang: Lang) -> DigestView {
        self.secretariat = secretariat_tasks(report, lang);
        self.to_secretariat = true;
        self
    }
}

/// What the reminder template sees: a project whose projektark did not come in.
#[derive(Clone, Debug, Serialize)]
pub struct ReminderView {
    pub lang: &'static str,
    pub t: BTreeMap<&'static str, &'static str>,
    pub lead: String,
    pub project: String,
    pub name: String,
    pub period: String,
    pub last_period: String,
    pub as_of: String,
}

pub fn reminder_view(report: &Report, n: &crate::check::report::NotSubmitted, lang: Lang) -> ReminderView {
    ReminderView {
        lang: lang.code(),
        t: labels::labels(lang),
        lead: n.lead.clone().unwrap_or_default(),
        project: n.key.clone(),
        name: n.name.clone().unwrap_or_default(),
        period: report.period.clone(),
        last_period: n.last_period.clone().unwrap_or_default(),
        as_of: format_date(report.as_of),
    }
}

impl Templates {
    pub fn digest(&self, view: &DigestView) -> Result<Rendered> {
        self.render_mail("digest", view)
    }

    pub fn lead(&self, view: &LeadView) -> Result<Rendered> {
        self.render_mail("lead", view)
    }

    pub fn reminder(&self, view: &ReminderView) -> Result<Rendered> {
        self.render_mail("reminder", view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::context::Context;
    use crate::check::project::check_project;
    use crate::check::report::Report;
    use crate::check::result::ProjectResult;
    use crate::check::testkit::{P, as_of, report_of, result_of, rules};
    use crate::model::choice::Answer;
    use crate::model::project::Input;

    fn result(p: &P, file: &str) -> ProjectResult {
        let ctx = Context {
            rules: rules(),
            as_of: as_of(),
            period: "2026-11",
            previous: None,
            register: &crate::model::register::EMPTY,
        };
        let (assessment, mut findings) = check_project(&ctx, &p.project);
        crate::model::finding::sort_for_reading(&mut findings);
        result_of(file, p.project.clone(), (assessment, findings))
    }

    /// A small portfolio: one clean product, one project with a budget overrun and red
    /// status, one N2 concept at the board, and a project whose name tries HTML injection.
    fn report() -> Report {
        let clean = P::new("N2", "Produkt").with(|p| {
            p.fields.id.value = Input::Given("OS2mo".into());
            p.fields.name.value = Input::Given("OS2mo – medarbejder og organisation".into());
        });
        let overrun = P::new("N1", "Implementering").with(|p| {
            p.fields.id.value = Input::Given("OS2forms".into());
            p.fields.name.value = Input::Given("Selvbetjening & formularer".into());
            p.status[0].forecast = Input::Given(1_500_000.0);
            p.status[0].economy = Input::Given(crate::model::choice::Rag::Roed);
        });
        let board = P::new("N2", "Bestyrelsesbehandling").with(|p| {
            p.fields.id.value = Input::Given("OS2iot".into());
            p.fields.name.value = Input::Given("IoT-platform".into());
        });
        let hostile = P::new("N1", "Igangsat")
            .with(|p| {
                p.fields.id.value = Input::Given("OS2hack".into());
                p.fields.name.value = Input::Given("<script>alert('x')</script> & <b>fed</b>".into());
            })
            .answer("F10", Answer::Nej, None, None);
        report_of(
            rules(),
            vec![
                result(&board, "a.xlsx"),
                result(&hostile, "b.xlsx"),
                result(&clean, "c.xlsx"),
                result(&overrun, "d.xlsx"),
            ],
        )
    }

    fn meeting() -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 12, 10)
    }

    #[test]
    fn digest_in_danish_and_english() {
        let templates = Templates::load(None).unwrap();
        let report = report();
        for (lang, name) in [(Lang::Da, "digest_da"), (Lang::En, "digest_en")] {
            let view = digest_view(&report, meeting(), "Anne Mørk Jensen", lang, "portefoelje-2026-11.xlsx");
            let mail = templates.digest(&view).unwrap();
            insta::assert_snapshot!(format!("{name}_subject"), mail.subject);
            insta::assert_snapshot!(format!("{name}_text"), mail.text);
            insta::assert_snapshot!(format!("{name}_html"), mail.html);
        }
    }

    #[test]
    fn html_in_project_text_is_escaped() {
        let templates = Templates::load(None).unwrap();
        let report = report();
        let mail = templates.digest(&digest_view(&report, meeting(), "Anne", Lang::Da, "p.xlsx")).unwrap();
        assert!(!mail.html.contains("<script>"), "{}", mail.html);
        assert!(mail.html.contains("&lt;script&gt;"));
        assert!(mail.html.contains("&lt;b&gt;fed&lt;&#x2f;b&gt;"));
        // The text part carries the same words, unescaped.
        assert!(mail.text.contains("<script>alert('x')</script>"));
        let lead =
            templates.lead(&lead_view(&report, &report.projects[1], Lang::Da, "OS2hack.xlsx", meeting())).unwrap();
        assert!(!lead.html.contains("<script>") && lead.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn the_subject_names_the_meeting_in_words() {
        let templates = Templates::load(None).unwrap();
        let report = report();
        let da = templates.digest(&digest_view(&report, meeting(), "A", Lang::Da, "p.xlsx")).unwrap();
        assert_eq!(da.subject, "OS2-porteføljen: materiale til bestyrelsesmødet 10. december 2026");
        let en = templates.digest(&digest_view(&report, meeting(), "A", Lang::En, "p.xlsx")).unwrap();
        assert_eq!(en.subject, "OS2 portfolio: papers for the board meeting 10 December 2026");
        let none = templates.digest(&digest_view(&report, None, "A", Lang::Da, "p.xlsx")).unwrap();
        assert!(none.text.contains("intet bestyrelsesmøde planlagt"));
    }

    #[test]
    fn nothing_new_is_said_plainly() {
        let templates = Templates::load(None).unwrap();
        let mut report = report();
        report.projects.retain(|p| p.key() == "OS2mo");
        let mail = templates.digest(&digest_view(&report, meeting(), "A", Lang::Da, "p.xlsx")).unwrap();
        assert!(mail.text.contains("Intet nyt kræver bestyrelsens opmærksomhed"), "{}", mail.text);
        assert!(mail.html.len() < 100_000);
    }

    #[test]
    fn lead_mails() {
        let templates = Templates::load(None).unwrap();
        let report = report();
        for (i, name) in [(1, "lead_problems_da"), (2, "lead_clean_da")] {
            let mail = templates.lead(&lead_view(&report, &report.projects[i], Lang::Da, "x.xlsx", meeting())).unwrap();
            insta::assert_snapshot!(format!("{name}_text"), mail.text);
        }
        let en = templates.lead(&lead_view(&report, &report.projects[1], Lang::En, "x.xlsx", meeting())).unwrap();
        insta::assert_snapshot!("lead_problems_en_text", en.text);
    }

    /// OS2hack's report with a history: last seen in 2026-10, its F10 error standing since
    /// 2026-09, and three findings fixed since (two of them alike, one info).
    fn report_with_history() -> Report {
        use crate::check::changes::{Change, ChangeKind};
        let mut report = report();
        let p = &report.projects[1];
        let f10 = p.findings.iter().find(|f| f.requirement.as_deref() == Some("F10")).unwrap();
        let id = crate::model::history::finding_id(&crate::check::changes::finding_key(f10));
        let ages = crate::model::history::FindingAges {
            last_seen: Some("2026-10".into()),
            since: [(id, "2026-09".to_string())].into_iter().collect(),
        };
        report.finding_ages.insert("OS2hack".into(), ages);
        let resolved = |code: &str, requirement: Option<&str>, cell: &str| Change {
            project: "OS2hack".into(),
            kind: ChangeKind::ResolvedFinding {
                code: code.into(),
                requirement: requirement.map(str::to_string),
                cell: cell.into(),
            },
        };
        report.changes = vec![
            resolved("KRAV-UNANSWERED", Some("F3"), "Krav!E7"),
            resolved("KRAV-UNANSWERED", Some("F3"), "Krav!E7"),
            resolved("STATUS-STALE", None, "Status!A5"),
            resolved("KRAV-SKAL-EXPLAINED", Some("F9"), "Krav!F12"),
        ];
        // Another project's fix is not OS2hack's.
        report.changes.push(Change { project: "OS2mo".into(), ..resolved("KRAV-UNANSWERED", Some("F4"), "Krav!E8") });
        report.previous_period = Some("2026-10".into());
        report
    }

    #[test]
    fn the_lead_mail_says_what_was_fixed_and_what_has_stood_longest() {
        let templates = Templates::load(None).unwrap();
        let with = report_with_history();
        let view = lead_view(&with, &with.projects[1], Lang::Da, "x.xlsx", meeting());
        let fixed: Vec<&str> = view.fixed.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(fixed[0], "Krav ikke besvaret – F3");
        assert!(fixed.iter().any(|l| l.contains("(Status!A5)")), "{fixed:?}");
        // Said once; another project's fix is not listed.
        assert_eq!(fixed.iter().filter(|l| l.contains("F3")).count(), 1);
        assert!(!fixed.iter().any(|l| l.contains("F4")));
        assert_eq!(view.fixed_since.as_deref(), Some("2026-10"));
        assert_eq!(view.standing.len(), 1);
        assert_eq!(view.standing[0].since, "2026-09");
        let mail = templates.lead(&view).unwrap();
        insta::assert_snapshot!("lead_history_da_text", mail.text);
        assert!(mail.html.contains("Står længst"), "{}", mail.html);
        let en = templates.lead(&lead_view(&with, &with.projects[1], Lang::En, "x.xlsx", meeting())).unwrap();
        insta::assert_snapshot!("lead_history_en_text", en.text);
        // Near miss: a finding first seen in this period has not stood; without a history
        // there is neither list.
        let mut fresh = report_with_history();
        fresh.finding_ages.get_mut("OS2hack").unwrap().since.values_mut().for_each(|v| *v = "2026-11".into());
        assert!(lead_view(&fresh, &fresh.projects[1], Lang::Da, "x.xlsx", meeting()).standing.is_empty());
        let plain = report();
        let view = lead_view(&plain, &plain.projects[1], Lang::Da, "x.xlsx", meeting());
        assert!(view.fixed.is_empty() && view.standing.is_empty());
    }

    #[test]
    fn a_broken_override_template_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("digest.txt.j2"), "{% for x in %}").unwrap();
        let Err(err) = Templates::load(Some(dir.path())) else { panic!("accepted a broken template") };
        assert!(err.render(Lang::Da).contains("digest.txt.j2"), "{}", err.render(Lang::Da));
        // A valid override replaces only its own file.
        std::fs::write(dir.path().join("digest.txt.j2"), "Hej {{ recipient }}").unwrap();
        let templates = Templates::load(Some(dir.path())).unwrap();
        let mail = templates.digest(&digest_view(&report(), meeting(), "Bo", Lang::Da, "p.xlsx")).unwrap();
        assert_eq!(mail.text, "Hej Bo");
        assert!(mail.html.contains("Bo"));
        // Strict undefined: a misspelt variable is an error, not an empty string.
        std::fs::write(dir.path().join("digest.txt.j2"), "Hej {{ recipent }}").unwrap();
        let templates = Templates::load(Some(dir.path())).unwrap();
        assert!(templates.digest(&digest_view(&report(), meeting(), "Bo", Lang::Da, "p.xlsx")).is_err());
    }
}
