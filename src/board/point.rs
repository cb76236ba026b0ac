//! One point for the board about a project, with its stable key and its kind (a standing
//! problem or a change seen once), shared by the agenda ([`super`]) and the carry between
//! runs ([`super::carry`]).

use crate::model::agenda::{Agenda, Topic};
use crate::model::board_items::ItemKind;
use crate::text::Text;

/// The key prefix of the point that counts the points left out of a topic (not an item
/// of its own: never kept between runs).
pub(super) const MORE: &str = "more:";

/// One point for the board about a project.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Point {
    pub agenda: Agenda,
    pub topic: Topic,
    pub text: Text,
    /// Stable across runs within the project (`point_key`): what the point is about,
    /// never a date of the run or a count.
    pub key: String,
    pub kind: ItemKind,
}

impl Point {
    /// A standing point (present while the data shows it).
    pub fn state(agenda: Agenda, topic: Topic, key: impl Into<String>, text: Text) -> Point {
        Point { agenda, topic, text, key: key.into(), kind: ItemKind::State }
    }
}
