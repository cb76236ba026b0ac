//! The checks: pure functions of (styringsmodel, project, previous run, as-of date) that
//! return an [`Assessment`] and [`Finding`]s. No I/O and no clock: `as_of` is passed in.
//! One file per family of rules.

pub mod assess;
pub mod crosscheck;
pub mod data;
pub mod decisions;
pub mod economy;
pub mod level;
pub mod phase;
pub mod portfolio;
pub mod process;
pub mod product;
pub mod requirements;
pub mod status;

use crate::finding::{Finding, Location};
use crate::model::project::{Field, Project};
use crate::model::value::CellRef;
use crate::rules::{LevelId, PhaseId, Rules};
use chrono::NaiveDate;
use std::collections::HashMap;

pub use assess::{Assessment, LightCounts};

/// What the previous run said about a project (from its findings JSON).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviousProject {
    pub declared_level: Option<String>,
    pub attained_level: Option<String>,
    pub phase: Option<String>,
    /// (code, requirement, sheet!cell) of each finding, to tell new from resolved ones.
    pub findings: Vec<(String, Option<String>, String)>,
    /// The run's period (YYYY-MM).
    pub period: Option<String>,
    /// The current budget then, to notice a change nobody logged.
    pub budget: Option<f64>,
    /// The period since which an overrun or red economy had stood then, if one stood.
    pub economy_since: Option<String>,
    /// Name and lead, to remind the lead when the projektark is not sent in again.
    pub name: Option<String>,
    pub lead: Option<String>,
    pub lead_email: Option<String>,
    /// The secretariat's Vurdering per requirement then (given or carried forward), with
    /// what the answer was, so it can be carried forward while the answer stands.
    pub assessments: Vec<EarlierAssessment>,
}

/// A Vurdering the previous run applied to a requirement.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlierAssessment {
    /// The requirement's ID.
    pub requirement: String,
    pub light: crate::model::choice::Light,
    pub rationale: Option<String>,
    /// [`assess::answer_fingerprint`] of the answer it was given on.
    pub answer: String,
    /// The period in which the secretariat wrote it.
    pub since: Option<String>,
}

/// The previous run, by Projekt-ID.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Previous {
    pub period: Option<String>,
    pub projects: HashMap<String, PreviousProject>,
}

/// Everything a check may look at besides the project itself.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub rules: &'a Rules,
    pub as_of: NaiveDate,
    /// The period being checked (YYYY-MM); follow-up counts periods from it.
    pub period: &'a str,
    pub previous: Option<&'a PreviousProject>,
}

/// Runs every check on one project. `Assessment` holds the lights and levels; the
/// findings come in no particular order (sort them for people with
/// [`crate::finding::sort_for_reading`]).
pub fn check_project(ctx: &Context<'_>, project: &Project) -> (Assessment, Vec<Finding>) {
    let earlier = ctx.previous.map(|p| p.assessments.as_slice()).unwrap_or_default();
    let mut assessment = assess::assess_carrying(ctx.rules, project, earlier);
    let mut findings = Vec::new();
    requirements::check(ctx, project, &assessment, &mut findings);
    level::check(ctx, project, &assessment, &mut findings);
    phase::check(ctx, project, &assessment.process, &mut findings);
    status::check(ctx, project, &assessment.process, &mut findings);
    economy::check(ctx, project, &assessment.process, &mut findings);
    product::check(ctx, project, &assessment.process, &mut findings);
    data::check(ctx, project, &mut findings);
    decisions::check(ctx, project, &mut findings);
    // Last: it looks at what the other checks found about the economy.
    assessment.economy_since = economy::follow_up(ctx, project, &mut findings);
    (assessment, findings)
}

/// Values people type into a text field to mean "nothing" (`-`, `x`, `nej`, `n/a`,
/// `ingen`, `?`, `Ingen SLA`, `ikke aftalt endnu`, `(tom)`, `0` …): they count as blank in
/// Styregruppe, Koordinationsgruppe and SLA. Punctuation is ignored; a short text (up to
/// three words) that starts with a word of denial is a placeholder too, while a sentence
/// that says more ("Ingen fast gruppe – styregruppen følger produktet i 2027") is not.
pub fn is_placeholder(text: &str) -> bool {
    const ALONE: [&str; 12] = ["x", "xx", "na", "none", "tbd", "tba", "tom", "0", "nil", "pending", "afventer", "null"];
    const DENIAL: [&str; 10] = ["nej", "no", "ingen", "intet", "ikke", "ej", "mangler", "ukendt", "endnu", "not"];
    let folded = crate::model::choice::fold(text);
    // Letters and digits only, words kept apart ("N.A." → "na", "n/a" → "na", "(tom)" → "tom").
    let plain: String = folded
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if plain.is_empty() || ALONE.contains(&plain.as_str()) {
        return true;
    }
    let words: Vec<&str> = plain.split(' ').collect();
    words.len() <= 3 && DENIAL.contains(&words[0])
}

/// A text field's value unless it is blank or only a placeholder.
pub fn meaningful(field: &Field<String>) -> Option<&str> {
    field.given().map(String::as_str).filter(|s| !is_placeholder(s))
}

/// The project's declared level, if it was given and valid.
pub fn declared(project: &Project) -> Option<LevelId> {
    project.fields.level.given().copied()
}

pub fn current_phase(project: &Project) -> Option<PhaseId> {
    project.fields.phase.given().copied()
}

/// Where a Projekt field is: its Værdi cell, or the Projekt sheet when the row is missing.
pub fn field_loc<T>(project: &Project, field: &Field<T>) -> Location {
    let sheet = project.sheets.projekt.clone().unwrap_or_else(|| crate::layout::PROJEKT.to_string());
    match field.cell {
        Some(cell) => Location::cell(sheet, cell),
        None => Location::sheet(sheet),
    }
}

/// The sheets with rows, for locating cells in them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheet {
    Krav,
    Historik,
    Deltagere,
    Status,
    Budget,
    Drift,
}

/// A cell in a table sheet by row and column name.
pub fn cell_loc(project: &Project, sheet: Sheet, row: u32, col: &str) -> Location {
    let (entry, default) = match sheet {
        Sheet::Krav => (&project.sheets.krav, crate::layout::KRAV),
        Sheet::Historik => (&project.sheets.historik, crate::layout::HISTORIK),
        Sheet::Deltagere => (&project.sheets.deltagere, crate::layout::DELTAGERE),
        Sheet::Status => (&project.sheets.status, crate::layout::STATUS),
        Sheet::Budget => (&project.sheets.budget_changes, crate::layout::BUDGETAENDRINGER),
        Sheet::Drift => (&project.sheets.drift, crate::layout::DRIFT),
    };
    match entry {
        Some((name, cols)) => Location::cell(name.clone(), cols.cell(row, col)),
        None => Location::cell(default, CellRef::new(row, 0)),
    }
}

/// `N2 (Niveau 2)`.
pub fn level_label(rules: &Rules, level: LevelId) -> String {
    let l = rules.level(level);
    if crate::model::choice::fold(&l.code) == crate::model::choice::fold(&l.name) {
        l.code.clone()
    } else {
        format!("{} ({})", l.code, l.name)
    }
}

/// Days between two dates, `as_of - date`.
pub fn age_days(date: NaiveDate, as_of: NaiveDate) -> i64 {
    (as_of - date).num_days()
}

#[cfg(test)]
pub mod testkit;
