//! Reading the board items of the newest earlier run (`ud/<period>/bestyrelse-<period>.json`,
//! [`crate::model::board_items`]). Only period folders (`YYYY-MM`) before the run's own
//! period count – not revisions in `tidligere/`, not the ledger or other files. A period
//! whose file is missing or cannot be read is passed over with a note, and the one before it
//! is used; without any, every item is raised afresh from the data. Never an error: losing
//! the file loses only the carry.

use crate::model::board_items::{BoardFile, FORMAT, file_name};
use crate::text::{Text, t};
use std::path::Path;

/// The largest file read (a run of thousands of projects writes well under this).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// The newest earlier period's board items, and what to tell about the periods passed over.
pub fn previous(output: &Path, period: &str) -> (Option<BoardFile>, Vec<Text>) {
    let mut notes = Vec::new();
    let mut passed: Vec<String> = Vec::new();
    for (p, folder) in crate::load::history::earlier_periods(output, period).into_iter().rev() {
        let file = folder.join(file_name(&p));
        if !file.is_file() {
            passed.push(p);
            continue;
        }
        match read(&file) {
            Ok(f) => {
                if !passed.is_empty() {
                    let list = passed.join(", ");
                    notes.push(t!(
                        "Bestyrelsens punkter fra {list} findes ikke; punkterne fra {p} er brugt.",
                        "The board items of {list} do not exist; those of {p} were used."
                    ));
                }
                return (Some(f), notes);
            }
            Err(why) => {
                let name = file_name(&p);
                let why = crate::text::clip(&why, crate::text::SHOWN_VALUE_CHARS);
                notes.push(t!(
                    "{p}/{name} kunne ikke læses ({why}); en tidligere periodes punkter er brugt, hvis der er nogen.",
                    "{p}/{name} could not be read ({why}); an earlier period's items were used, if any."
                ));
            }
        }
    }
    (None, notes)
}

/// One file, checked for its format.
pub fn read(path: &Path) -> Result<BoardFile, String> {
    let (bytes, _) = crate::sys::fs::read_bounded(path, MAX_BYTES).map_err(|e| e.to_string())?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let format = value.get("format").and_then(serde_json::Value::as_u64);
    if format != Some(u64::from(FORMAT)) {
        let f = format.map(|f| f.to_string()).unwrap_or_else(|| "?".to_string());
        return Err(format!("format {f}, not {FORMAT}"));
    }
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::board_items::BoardFile;
    use chrono::NaiveDate;

    fn file(period: &str) -> BoardFile {
        BoardFile {
            format: FORMAT,
            period: period.into(),
            as_of: NaiveDate::from_ymd_opt(2026, 10, 22).unwrap(),
            meeting: NaiveDate::from_ymd_opt(2026, 12, 10),
            items: vec![],
        }
    }

    fn put(dir: &Path, period: &str, text: &str) {
        std::fs::create_dir_all(dir.join(period)).unwrap();
        std::fs::write(dir.join(period).join(file_name(period)), text).unwrap();
    }

    #[test]
    fn the_newest_earlier_period_is_read_and_a_damaged_one_passed_over_with_a_note() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "2026-09", &serde_json::to_string(&file("2026-09")).unwrap());
        put(dir.path(), "2026-10", "{ not json");
        // The run's own period and later ones are not read; nor are other folders.
        put(dir.path(), "2026-11", &serde_json::to_string(&file("2026-11")).unwrap());
        std::fs::create_dir_all(dir.path().join("tidligere")).unwrap();
        let (found, notes) = previous(dir.path(), "2026-11");
        assert_eq!(found.unwrap().period, "2026-09");
        assert_eq!(notes.len(), 1);
        assert!(notes[0].da.contains("2026-10/bestyrelse-2026-10.json kunne ikke læses"), "{}", notes[0].da);
    }

    #[test]
    fn a_missing_file_is_walked_past_and_none_at_all_is_silent() {
        let dir = tempfile::tempdir().unwrap();
        put(dir.path(), "2026-09", &serde_json::to_string(&file("2026-09")).unwrap());
        std::fs::create_dir_all(dir.path().join("2026-10")).unwrap();
        let (found, notes) = previous(dir.path(), "2026-11");
        assert_eq!(found.unwrap().period, "2026-09");
        assert!(notes[0].da.contains("2026-10 findes ikke"), "{}", notes[0].da);
        // Near miss: no earlier file at all – nothing to say (the first run with the file).
        let empty = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(empty.path().join("2026-10")).unwrap();
        let (found, notes) = previous(empty.path(), "2026-11");
        assert!(found.is_none() && notes.is_empty());
    }

    #[test]
    fn another_format_is_refused_with_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = serde_json::to_value(file("2026-10")).unwrap();
        f["format"] = 2.into();
        put(dir.path(), "2026-10", &f.to_string());
        let (found, notes) = previous(dir.path(), "2026-11");
        assert!(found.is_none());
        assert!(notes[0].en.contains("format 2, not 1"), "{}", notes[0].en);
    }
}
