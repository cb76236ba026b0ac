//! Writing the board items of a run (`bestyrelse-<period>.json`, format 1) for the next
//! run's carry ([`crate::board::carry`]).

use crate::check::report::Report;
use crate::model::board_items::{BoardFile, FORMAT};

/// The run's board items (`crate::board::items`) as the file's JSON (pretty, for people who
/// look).
pub fn render(report: &Report, items: Vec<crate::model::board_items::BoardItem>) -> String {
    let file = BoardFile {
        format: FORMAT,
        period: report.period.clone(),
        as_of: report.as_of,
        meeting: report.carry.meeting,
        items,
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}
