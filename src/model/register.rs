//! The secretariat's own record, the register `sekretariat.xlsx`: the level placements
//! (sheet **Placeringer**) and the secretariat's assessments of requirements (sheet
//! **Vurderinger**). Only the secretariat creates these facts; the projektark may show
//! them (greyed cells, Kontrol) but is never believed about them. os2gov helps fill the
//! register by appending rows that wait for the secretariat ("pending" rows: a blank
//! Vurdering or a blank Dato/Niveau). Pure data; read by `load::register`, written by
//! `render::register`.

use crate::model::choice::{Decider, Light};
use crate::model::rules::LevelId;
use chrono::NaiveDate;

/// The register's default file name (beside the styringsmodel).
pub const REGISTER_FILE: &str = "sekretariat.xlsx";
/// The sheet of level placements.
pub const PLACEMENTS: &str = "Placeringer";
/// The sheet of the secretariat's assessments.
pub const ASSESSMENTS: &str = "Vurderinger";

/// The headers of Placeringer, in the order the writer puts them.
pub const PLACEMENT_COLS: [&str; 7] =
    ["Dato", "Projekt-ID", "Niveau", "Placeret af", "Reference", "Bemærkning", "Kilde"];
/// The headers of Vurderinger, in the order the writer puts them.
pub const ASSESSMENT_COLS: [&str; 9] =
    ["Projekt-ID", "Krav", "Vurdering", "Vurderingsgrundlag", "Dato", "Af", "Svar", "Svar-id", "Kilde"];

/// One row of Placeringer: a placement or a change of level.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    /// The row number people see (1-based).
    pub row: u32,
    pub date: Option<NaiveDate>,
    pub project: String,
    pub level: Option<LevelId>,
    /// Placeret af: informational (who has the authority is computed from the log).
    pub by: Option<Decider>,
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Kilde: blank = the secretariat's own row; else what os2gov wrote it for.
    pub source: Option<String>,
}

impl Placement {
    /// A row counts when its date, project and level are readable; a pending row (blank
    /// Dato or Niveau) counts for nothing but telling that a row is already there.
    pub fn counts(&self) -> bool {
        self.date.is_some() && self.level.is_some() && !self.project.trim().is_empty()
    }
}

/// One row of Vurderinger: the secretariat's assessment of one requirement of one project.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedAssessment {
    /// The row number people see (1-based).
    pub row: u32,
    pub project: String,
    /// The requirement's index in `Rules::requirements`.
    pub requirement: usize,
    /// The requirement's ID as the styringsmodel writes it.
    pub requirement_id: String,
    /// `None`: the row waits for the secretariat (pending).
    pub light: Option<Light>,
    pub basis: Option<String>,
    pub date: Option<NaiveDate>,
    pub by: Option<String>,
    /// Svar: what was assessed, as os2gov wrote it.
    pub answer: Option<String>,
    /// Svar-id: the fingerprint of the answer assessed (16 hex digits); `None` for a row
    /// typed by hand, which applies to the answer standing.
    pub answer_id: Option<String>,
    pub source: Option<String>,
}

/// The secretariat's register as read (rows that could not be read are left out and
/// reported as `REGISTER-INVALID`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Register {
    pub placements: Vec<Placement>,
    pub assessments: Vec<RecordedAssessment>,
    /// Where each column is in the file as read (header → 0-based column), so rows os2gov
    /// appends land under the right headers even when the secretariat moved columns.
    pub columns: RegisterColumns,
}

/// The column of each header of Placeringer and Vurderinger as read; empty for a register
/// not read from a file (the writer's order, [`PLACEMENT_COLS`] and [`ASSESSMENT_COLS`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegisterColumns {
    pub placements: Vec<(String, u32)>,
    pub assessments: Vec<(String, u32)>,
}

impl RegisterColumns {
    /// The column of `header` in a sheet's columns, or its place in the writer's order.
    pub fn column(found: &[(String, u32)], canonical: &[&str], header: &str) -> Option<u32> {
        if found.is_empty() {
            return canonical.iter().position(|h| *h == header).map(|i| i as u32);
        }
        found.iter().find(|(h, _)| h == header).map(|(_, c)| *c)
    }
}

/// An empty register: a folder without one, and the checks' default.
pub static EMPTY: Register = Register {
    placements: Vec::new(),
    assessments: Vec::new(),
    columns: RegisterColumns { placements: Vec::new(), assessments: Vec::new() },
};

fn same_project(a: &str, b: &str) -> bool {
    crate::text::fold(a) == crate::text::fold(b)
}

impl Register {
    /// The counted placements of a project (Projekt-ID folded), oldest first: by Dato,
    /// then by row.
    pub fn placements_for<'a>(&'a self, project: &str) -> Vec<&'a Placement> {
        let mut rows: Vec<&Placement> =
            self.placements.iter().filter(|p| p.counts() && same_project(&p.project, project)).collect();
        rows.sort_by_key(|p| (p.date, p.row));
        rows
    }

    /// Whether any Placeringer row (counted or pending) names the project.
    pub fn has_placement_row(&self, project: &str) -> bool {
        self.placements.iter().any(|p| same_project(&p.project, project))
    }

    /// Every Vurderinger row for (project, requirement), pending ones included, in sheet order.
    pub fn rows_for<'a>(&'a self, project: &str, requirement: usize) -> impl Iterator<Item = &'a RecordedAssessment> {
        let project = crate::text::fold(project);
        self.assessments
            .iter()
            .filter(move |a| a.requirement == requirement && crate::text::fold(&a.project) == project)
    }

    /// The assessment in force for (project, requirement): among the rows with a
    /// Vurdering, the newest. Rows are ordered by Dato; a row without Dato takes the
    /// newest Dato above it in the sheet (so a row appended without a date is newer than
    /// every row above it), and equal dates are ordered by row.
    pub fn newest<'a>(&'a self, project: &str, requirement: usize) -> Option<&'a RecordedAssessment> {
        let mut running: Option<NaiveDate> = None;
        let mut best: Option<((Option<NaiveDate>, u32), &RecordedAssessment)> = None;
        let mut rows: Vec<&RecordedAssessment> = self.rows_for(project, requirement).collect();
        rows.sort_by_key(|a| a.row);
        for a in rows {
            if let Some(d) = a.date {
                running = Some(running.map_or(d, |r| r.max(d)));
            }
            if a.light.is_none() {
                continue;
            }
            let key = (a.date.or(running), a.row);
            if best.as_ref().is_none_or(|(k, _)| key > *k) {
                best = Some((key, a));
            }
        }
        best.map(|(_, a)| a)
    }

    /// Whether a row (pending or answered) already records this answer of (project,
    /// requirement): then os2gov appends no pending row for it.
    pub fn has_row_for_answer(&self, project: &str, requirement: usize, answer_id: Option<&str>) -> bool {
        self.rows_for(project, requirement).any(|a| a.answer_id.as_deref() == answer_id)
    }
}

/// A row os2gov appends to Vurderinger: a requirement waiting for the secretariat.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingAssessment {
    pub project: String,
    pub requirement_id: String,
    /// Filled for migrated rows (what the previous run applied); blank when pending.
    pub light: Option<Light>,
    pub basis: Option<String>,
    pub date: Option<NaiveDate>,
    pub answer: String,
    pub answer_id: Option<String>,
    pub source: String,
    /// Why the row is there (for the summary and the portfolio; not written).
    pub why: crate::text::Text,
}

/// A row os2gov appends to Placeringer: a project past Idé with no counted placement, or
/// (migration) a placement read from a projektark.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingPlacement {
    pub project: String,
    /// Filled for migrated rows; blank when pending.
    pub date: Option<NaiveDate>,
    pub level: Option<String>,
    pub by: Option<Decider>,
    pub reference: Option<String>,
    pub note: String,
    pub source: String,
}

/// What `run` adds to the register: rows ready to be answered (or, when it creates the
/// register, the rows migrated from the projektark and the previous run).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Additions {
    pub placements: Vec<PendingPlacement>,
    pub assessments: Vec<PendingAssessment>,
}

impl Additions {
    pub fn is_empty(&self) -> bool {
        self.placements.is_empty() && self.assessments.is_empty()
    }

    pub fn len(&self) -> usize {
        self.placements.len() + self.assessments.len()
    }
}

impl PendingAssessment {
    /// The row's cells by header, in the writer's order.
    pub fn cells(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("Projekt-ID", Some(self.project.clone())),
            ("Krav", Some(self.requirement_id.clone())),
            ("Vurdering", self.light.map(|l| l.da().to_string())),
            ("Vurderingsgrundlag", self.basis.clone()),
            ("Dato", self.date.map(crate::model::value::format_date)),
            ("Af", None),
            ("Svar", Some(self.answer.clone())),
            ("Svar-id", self.answer_id.clone()),
            ("Kilde", Some(self.source.clone())),
        ]
    }
}

impl PendingPlacement {
    /// The row's cells by header, in the writer's order.
    pub fn cells(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("Dato", self.date.map(crate::model::value::format_date)),
            ("Projekt-ID", Some(self.project.clone())),
            ("Niveau", self.level.clone()),
            ("Placeret af", self.by.map(|b| b.da().to_string())),
            ("Reference", self.reference.clone()),
            ("Bemærkning", Some(self.note.clone())),
            ("Kilde", Some(self.source.clone())),
        ]
    }
}

/// Cells placed in their columns (by the headers found, else the writer's order): the row
/// as a list from column A, `None` where nothing goes.
pub fn placed(
    cells: &[(&'static str, Option<String>)],
    found: &[(String, u32)],
    canonical: &[&str],
) -> Vec<Option<String>> {
    let mut row: Vec<Option<String>> = Vec::new();
    for (header, value) in cells {
        let (Some(col), Some(value)) = (RegisterColumns::column(found, canonical, header), value) else { continue };
        let col = col as usize;
        if row.len() <= col {
            row.resize(col + 1, None);
        }
        row[col] = Some(value.clone());
    }
    row
}

/// The Kilde of a pending row: `ventende (os2gov 2026-11)`.
pub fn pending_source(period: &str) -> String {
    format!("ventende (os2gov {period})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(row: u32, date: Option<&str>, light: Option<Light>) -> RecordedAssessment {
        RecordedAssessment {
            row,
            project: "OS2x".into(),
            requirement: 3,
            requirement_id: "F12".into(),
            light,
            basis: None,
            date: date.map(|d| crate::model::value::parse_date_text(d).unwrap()),
            by: None,
            answer: None,
            answer_id: None,
            source: None,
        }
    }

    #[test]
    fn the_newest_row_is_by_date_and_an_undated_row_is_newer_than_those_above_it() {
        let reg = |rows: Vec<RecordedAssessment>| Register { assessments: rows, ..Register::default() };
        // An undated row appended below a dated one is newer.
        let r = reg(vec![row(2, Some("01-10-2026"), Some(Light::Roed)), row(3, None, Some(Light::Gul))]);
        assert_eq!(r.newest("os2X", 3).map(|a| a.row), Some(3));
        // A back-dated row below a later one is older.
        let r = reg(vec![row(2, Some("01-10-2026"), Some(Light::Roed)), row(3, Some("01-09-2026"), Some(Light::Gul))]);
        assert_eq!(r.newest("OS2x", 3).map(|a| a.row), Some(2));
        // A pending row (no Vurdering) is never in force.
        let r = reg(vec![row(2, Some("01-10-2026"), Some(Light::Roed)), row(3, None, None)]);
        assert_eq!(r.newest("OS2x", 3).map(|a| a.row), Some(2));
        // Another requirement or project is not this one.
        assert_eq!(r.newest("OS2y", 3), None);
        assert_eq!(r.newest("OS2x", 4), None);
    }

    #[test]
    fn only_complete_placements_count() {
        let p = Placement {
            row: 2,
            date: crate::model::value::parse_date_text("01-01-2025"),
            project: "OS2x".into(),
            level: Some(LevelId(2)),
            by: None,
            reference: None,
            note: None,
            source: None,
        };
        let pending = Placement { date: None, ..p.clone() };
        let r = Register { placements: vec![pending.clone(), p.clone()], ..Register::default() };
        assert_eq!(r.placements_for("os2x"), vec![&p]);
        assert!(r.has_placement_row("OS2X"));
        assert!(!pending.counts());
    }
}
