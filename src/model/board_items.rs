//! The board items of one run, as kept in the period folder (`bestyrelse-<period>.json`,
//! format 1): what was put before the board, under a stable key, since when it has stood
//! and for which meeting. The next run for the same meeting keeps an item until the data
//! resolves it or the board decides it; a run after the meeting carries an undecided item
//! to the next meeting (`board::carry`). Plain serde data; read by `load::board_items`,
//! written by `render::board_items`.

use crate::model::agenda::{Agenda, Topic};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The format written today; a file of another format is passed over with a note.
pub const FORMAT: u32 = 1;

/// The file name in the period folder.
pub fn file_name(period: &str) -> String {
    format!("bestyrelse-{period}.json")
}

/// What an item is: a standing problem (present while the data shows it) or a change seen
/// once (re-validated against today's data rather than recomputed against the last run).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ItemKind {
    /// Stands while today's check computes it (an error, a level below, an overrun …).
    State,
    /// A change of phase nobody recorded: stands while the phase is still `to` and Historik
    /// still has no step `from` → `to`.
    PhaseUnlogged { from: String, to: String },
    /// A change of the declared level: stands while the level is still `to`.
    LevelChanged { from: String, to: String },
    /// Information told once (a new project, a recorded phase change): kept until the
    /// meeting, never carried past it.
    Information,
}

/// A text in Danish and English as stored.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Words {
    pub da: String,
    pub en: String,
}

impl From<&crate::text::Text> for Words {
    fn from(t: &crate::text::Text) -> Words {
        Words { da: t.da.clone(), en: t.en.clone() }
    }
}

impl From<&Words> for crate::text::Text {
    fn from(w: &Words) -> crate::text::Text {
        crate::text::Text::new(w.da.clone(), w.en.clone())
    }
}

/// One point put before the board.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardItem {
    /// Stable across runs: the Projekt-ID, the kind of point and what it is about – never
    /// a date of the run or a count.
    pub key: String,
    pub project: String,
    #[serde(default)]
    pub name: String,
    /// Level and phase as the agenda showed them.
    #[serde(default)]
    pub situation: Words,
    pub agenda: Agenda,
    pub topic: Topic,
    pub kind: ItemKind,
    /// The point as the board read it (without the since/carried words).
    pub text: Words,
    /// The period and as-of date of the run that first raised it.
    pub first_period: String,
    pub first_as_of: NaiveDate,
    /// The meeting the run was for (`None` when the styringsmodel lists none ahead).
    pub meeting: Option<NaiveDate>,
    /// Board meetings passed since it was first raised without a decision.
    #[serde(default)]
    pub meetings_waited: u32,
}

/// The file: one run's board items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardFile {
    pub format: u32,
    pub period: String,
    pub as_of: NaiveDate,
    pub meeting: Option<NaiveDate>,
    pub items: Vec<BoardItem>,
}

/// What a run knows of earlier runs' board items: the newest earlier period's file (if
/// any) and the meeting this run is for. `active` is false outside the monthly run (a
/// `check` or `digest` has no memory and marks nothing).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Carry {
    pub active: bool,
    pub meeting: Option<NaiveDate>,
    pub before: Option<BoardFile>,
}
