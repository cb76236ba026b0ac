//! A basis for prioritising concepts: for each concept awaiting the board's approval, an
//! annex with its purpose, expected benefit, level and placement, budget, organisations,
//! the lights of the requirements due at Koncept by theme, earlier backflows and how long
//! it has waited; and, when several wait, a side-by-side comparison. Pure.

use crate::check::assess::LightCounts;
use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::model::choice::{BoardRole, Light, TransitionKind};
use crate::model::project::Input;
use crate::model::rules::Rules;
use crate::model::value::{format_date, format_millions};
use crate::text::t;
use crate::text::{Lang, Text};
use chrono::NaiveDate;

/// One theme's lights among the requirements due at Koncept.
#[derive(Clone, Debug, PartialEq)]
pub struct ThemeLights {
    pub theme: String,
    pub lights: LightCounts,
}

/// What the board reads about a concept awaiting its approval.
#[derive(Clone, Debug, PartialEq)]
pub struct ConceptAnnex {
    pub project: String,
    pub name: String,
    pub purpose: Option<String>,
    pub benefit: Option<String>,
    /// `N2 (Niveau 2)`.
    pub level: String,
    /// When and by whom it was placed on the level.
    pub placed: Option<(NaiveDate, Option<String>)>,
    pub budget: Option<f64>,
    pub organisations: Vec<String>,
    /// The requirements at or below the level that are due at Koncept, by theme.
    pub themes: Vec<ThemeLights>,
    /// Earlier backflows: date, from, to, reason.
    pub backflows: Vec<(Option<NaiveDate>, String, String, Option<String>)>,
    /// When it last went to Bestyrelsesbehandling, and the days since.
    pub since: Option<NaiveDate>,
    pub days: Option<i64>,
    /// Listed board meetings it has waited through (after it arrived, before as-of).
    pub meetings_waited: usize,
    /// Waited longer than `koncept_ventetid_moeder`.
    pub flagged: bool,
}

impl ConceptAnnex {
    /// All requirements due at Koncept, and the green ones.
    pub fn totals(&self) -> LightCounts {
        let mut all = LightCounts::default();
        for t in &self.themes {
            all.merge(&t.lights);
        }
        all
    }

    /// The point on the agenda: waiting since when, and flagged when long.
    pub fn waiting_text(&self) -> Text {
        let mut text = match (self.since, self.days) {
            (Some(since), Some(days)) => {
                let d = format_date(since);
                t!(
                    "Konceptet afventer bestyrelsens godkendelse (i Bestyrelsesbehandling siden {d}, {days} dage).",
                    "The concept awaits the board's approval (in board review since {d}, {days} days)."
                )
            }
            _ => t!("Konceptet afventer bestyrelsens godkendelse.", "The concept awaits the board's approval."),
        };
        if self.flagged {
            let n = self.meetings_waited;
            text = text.then(&t!(
                "Det har ventet {n} bestyrelsesmøder uden at blive behandlet.",
                "It has waited {n} board meetings without being treated."
            ));
        }
        text
    }

    /// `1,2 mio. kr.` or a dash.
    pub fn budget_text(&self, lang: Lang) -> String {
        self.budget.map(|b| format_millions(b, lang)).unwrap_or_else(|| "–".to_string())
    }

    /// `03-02-2026 af OS2-sekretariatet`.
    pub fn placed_text(&self, lang: Lang) -> String {
        match &self.placed {
            Some((d, Some(by))) => format!("{} {} {by}", format_date(*d), lang.pick("af", "by")),
            Some((d, None)) => format_date(*d),
            None => lang.pick("ikke registreret", "not recorded").to_string(),
        }
    }

    /// `Relevans: 2 grøn, 1 gul · Formkrav: …` (at most [`crate::text::MAX_LISTED`] themes, the
    /// rest counted).
    pub fn themes_text(&self, lang: Lang) -> String {
        let items = self.themes.iter().map(|t| format!("{}: {}", shown(&t.theme), lights_text(&t.lights, lang)));
        crate::text::listed(items, " · ", lang)
    }

    /// The organisations, at most [`crate::text::MAX_LISTED`] named, the rest counted; `–` for none.
    pub fn organisations_text(&self, lang: Lang) -> String {
        if self.organisations.is_empty() {
            return "–".into();
        }
        crate::text::listed(self.organisations.iter().map(|o| shown(o)), ", ", lang)
    }

    /// Earlier backflows, one line each: the newest [`crate::text::MAX_LISTED`], and a line
    /// counting the older ones.
    pub fn backflow_lines(&self, lang: Lang) -> Vec<String> {
        let skip = self.backflows.len().saturating_sub(crate::text::MAX_LISTED);
        let mut lines: Vec<String> = Vec::new();
        if skip > 0 {
            lines.push(match lang {
                Lang::Da => format!("{skip} tidligere tilbageløb"),
                Lang::En => format!("{skip} earlier backflows"),
            });
        }
        lines.extend(self.backflows.iter().skip(skip).map(|(d, from, to, reason)| {
            let d = d.map(format_date).unwrap_or_default();
            let why = reason.as_deref().map(|r| format!(" ({})", shown(r))).unwrap_or_default();
            format!("{d}: {} → {}{why}", shown(from), shown(to))
        }));
        lines
    }
}

/// A value as shown in the annex: at most [`crate::text::SHOWN_VALUE_CHARS`] characters.
fn shown(s: &str) -> String {
    crate::text::clip(s, crate::text::SHOWN_VALUE_CHARS)
}

/// `3 grøn, 1 gul, 1 ikke udfyldt` – only the lights that occur.
pub fn lights_text(c: &LightCounts, lang: Lang) -> String {
    let names: [(u32, Option<Light>); 5] = [
        (c.groen, Some(Light::Groen)),
        (c.gul, Some(Light::Gul)),
        (c.roed, Some(Light::Roed)),
        (c.graa, Some(Light::Graa)),
        (c.blank, None),
    ];
    let parts: Vec<String> = names
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, l)| {
            let label = match l {
                Some(l) => l.label(lang).to_lowercase(),
                None => lang.pick("ikke udfyldt", "not filled in").to_string(),
            };
            format!("{n} {label}")
        })
        .collect();
    if parts.is_empty() { "–".to_string() } else { parts.join(", ") }
}

/// The annex for a project that is a concept awaiting the board's approval.
pub fn annex(report: &Report, p: &ProjectResult) -> Option<ConceptAnnex> {
    let rules = &report.rules;
    let f = &p.project.fields;
    let level = *f.level.given()?;
    if f.phase.given() != Some(&rules.key.board_review) || rules.level(level).board != BoardRole::Godkendelse {
        return None;
    }
    let concept = rules.key.concept;
    let mut themes: Vec<ThemeLights> = Vec::new();
    // Themes in order of first appearance, found through an index (a model may have
    // thousands of requirements and themes).
    let mut theme_at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, r) in rules.requirements.iter().enumerate() {
        if r.level > level || !rules.reached(concept, rules.due_from(r)) {
            continue;
        }
        let light = p.assessment.lights.get(i).copied().flatten();
        let at = *theme_at.entry(r.theme.as_str()).or_insert_with(|| {
            themes.push(ThemeLights { theme: r.theme.clone(), lights: LightCounts::default() });
            themes.len() - 1
        });
        themes[at].lights.add(light);
    }
    let backflows = p
        .project
        .history
        .iter()
        .filter_map(|s| {
            let (from, to) = (*s.from.given()?, *s.to.given()?);
            let backflow = rules.transition_any_level(from, to).is_some_and(|t| t.kind == TransitionKind::Tilbageloeb);
            backflow.then(|| {
                let reason = s.reason.as_deref().map(|r| match rules.find_reason(r) {
                    Some(id) => format!("{} – {}", rules.reasons[id.0].code, rules.reasons[id.0].name),
                    None => r.to_string(),
                });
                (s.date.given().copied(), rules.phase(from).name.clone(), rules.phase(to).name.clone(), reason)
            })
        })
        .collect();
    let since = p
        .project
        .history
        .iter()
        .rev()
        .find(|s| s.to == Input::Given(rules.key.board_review))
        .and_then(|s| s.date.given().copied());
    let days = since.map(|d| (report.as_of - d).num_days());
    let meetings_waited =
        since.map(|d| rules.meetings.iter().filter(|m| m.date > d && m.date < report.as_of).count()).unwrap_or(0);
    // Distinct organisations (case-insensitive, as they are counted), in order.
    let mut distinct = std::collections::HashSet::new();
    let organisations: Vec<String> = p
        .project
        .participants
        .iter()
        .filter_map(|o| o.organisation.clone())
        .filter(|o| distinct.insert(o.trim().to_lowercase()))
        .collect();
    // Formål and Forventet gevinst are read in every digest: clipped like every shown value.
    Some(ConceptAnnex {
        project: p.key(),
        name: p.name(),
        purpose: f.purpose.given().map(|s| shown(s)),
        benefit: f.benefit.given().map(|s| shown(s)),
        level: crate::check::context::level_label(rules, level),
        placed: f.level_placed.given().map(|d| (*d, f.level_placed_by.given().cloned())),
        budget: f.budget.given().copied(),
        organisations,
        themes,
        backflows,
        since,
        days,
        meetings_waited,
        flagged: meetings_waited as i64 >= rules.params.concept_wait_meetings.max(1),
    })
}

/// Every concept awaiting the board, in the order the board reads them.
pub fn waiting(report: &Report) -> Vec<ConceptAnnex> {
    report.projects.iter().filter_map(|p| annex(report, p)).collect()
}

/// The comparison table's header and rows, when more than one concept waits: one row per
/// concept, the same columns for all.
pub fn comparison(report: &Report, lang: Lang) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let concepts = waiting(report);
    if concepts.len() < 2 {
        return None;
    }
    let header: Vec<String> = [
        lang.pick("Projekt", "Project"),
        lang.pick("Niveau", "Level"),
        lang.pick("Budget", "Budget"),
        lang.pick("Organisationer", "Organisations"),
        lang.pick("Krav ved Koncept", "Requirements at Koncept"),
        lang.pick("Røde", "Red"),
        lang.pick("Ventet (dage)", "Waited (days)"),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = concepts
        .iter()
        .map(|c| {
            let all = c.totals();
            vec![
                c.project.clone(),
                level_code(&report.rules, &c.level),
                c.budget_text(lang),
                c.organisations.len().to_string(),
                format!("{} {} {}", all.groen, lang.pick("grønne af", "green of"), all.total()),
                all.roed.to_string(),
                c.days.map(|d| d.to_string()).unwrap_or_else(|| "–".into()),
            ]
        })
        .collect();
    Some((header, rows))
}

/// `N2 (Niveau 2)` → `N2`.
fn level_code(_rules: &Rules, label: &str) -> String {
    label.split(' ').next().unwrap_or(label).to_string()
}
