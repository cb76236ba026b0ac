//! What every check may look at besides the project ([`Context`]), and the small helpers
//! the families share: where a field or a table cell is, the declared level and phase,
//! placeholders that mean "nothing". Pure.

use crate::check::previous::PreviousProject;
use crate::model::cell::CellRef;
use crate::model::finding::Location;
use crate::model::project::{Columns, Field, Project};
use crate::model::rules::{LevelId, PhaseId, Rules};
use chrono::NaiveDate;

/// Everything a check may look at besides the project itself.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    pub rules: &'a Rules,
    pub as_of: NaiveDate,
    /// The period being checked (YYYY-MM); follow-up counts periods from it.
    pub period: &'a str,
    pub previous: Option<&'a PreviousProject>,
    /// The secretariat's register (placements and assessments); empty without one.
    pub register: &'a crate::model::register::Register,
}

/// Values people type into a text field to mean "nothing" (`-`, `x`, `nej`, `n/a`,
/// `ingen`, `?`, `Ingen SLA`, `ikke aftalt endnu`, `(tom)`, `0` …): they count as blank in
/// Styregruppe, Koordinationsgruppe and SLA. Punctuation is ignored; a short text (up to
/// three words) that starts with a word of denial is a placeholder too, while a sentence
/// that says more ("Ingen fast gruppe – styregruppen følger produktet i 2027") is not.
pub fn is_placeholder(text: &str) -> bool {
    const ALONE: [&str; 12] = ["x", "xx", "na", "none", "tbd", "tba", "tom", "0", "nil", "pending", "afventer", "null"];
    const DENIAL: [&str; 10] = ["nej", "no", "ingen", "intet", "ikke", "ej", "mangler", "ukendt", "endnu", "not"];
    let folded = crate::text::fold(text);
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
    let sheet = project.sheets.projekt.clone().unwrap_or_else(|| crate::model::layout::PROJEKT.to_string());
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

/// A table sheet as the projektark has it (name and columns), and the template's name for it.
fn sheet_entry(project: &Project, sheet: Sheet) -> (&Option<(String, Columns)>, &'static str) {
    match sheet {
        Sheet::Krav => (&project.sheets.krav, crate::model::layout::KRAV),
        Sheet::Historik => (&project.sheets.historik, crate::model::layout::HISTORIK),
        Sheet::Deltagere => (&project.sheets.deltagere, crate::model::layout::DELTAGERE),
        Sheet::Status => (&project.sheets.status, crate::model::layout::STATUS),
        Sheet::Budget => (&project.sheets.budget_changes, crate::model::layout::BUDGETAENDRINGER),
        Sheet::Drift => (&project.sheets.drift, crate::model::layout::DRIFT),
    }
}

/// A cell in a table sheet by row and column name.
pub fn cell_loc(project: &Project, sheet: Sheet, row: u32, col: &str) -> Location {
    match sheet_entry(project, sheet) {
        (Some((name, cols)), _) => Location::cell(name.clone(), cols.cell(row, col)),
        (None, default) => Location::cell(default, CellRef::new(row, 0)),
    }
}

/// A table sheet as a whole, under the name the projektark gives it (the template's when it
/// lacks the sheet).
pub fn sheet_loc(project: &Project, sheet: Sheet) -> Location {
    match sheet_entry(project, sheet) {
        (Some((name, _)), _) => Location::sheet(name.clone()),
        (None, default) => Location::sheet(default),
    }
}

/// `N2 (Niveau 2)`.
pub fn level_label(rules: &Rules, level: LevelId) -> String {
    let l = rules.level(level);
    if crate::text::fold(&l.code) == crate::text::fold(&l.name) {
        l.code.clone()
    } else {
        format!("{} ({})", l.code, l.name)
    }
}

/// Days between two dates, `as_of - date`.
pub fn age_days(date: NaiveDate, as_of: NaiveDate) -> i64 {
    (as_of - date).num_days()
}
