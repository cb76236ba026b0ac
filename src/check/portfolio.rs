//! Checks across the whole batch: several workbooks claiming the same Projekt-ID. One of
//! them is the project's current submission; the others are set aside (never checked,
//! annotated, mailed or put before the board) and named to the secretariat.

use crate::text::fold;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::time::SystemTime;

/// What tells two submissions of one project apart, in the order it is asked: the
/// workbook's own last-saved time (`docProps/core.xml`, written by Excel and LibreOffice on
/// every save; a workbook without one counts as older than any with one), then the file's
/// modification time, then the file name (the later in alphabetical order wins).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission<'a> {
    pub id: Option<&'a str>,
    pub saved: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub modified: Option<SystemTime>,
    pub file: &'a str,
}

impl Submission<'_> {
    /// Newer is greater.
    fn newness(&self, other: &Self) -> Ordering {
        self.saved
            .cmp(&other.saved)
            .then_with(|| self.modified.cmp(&other.modified))
            .then_with(|| self.file.cmp(other.file))
    }
}

/// For each submission (by position): `None` when it is the current one of its project
/// (or the only one, or has no valid ID), else `Some(i)`, the position of the current
/// submission that replaces it. IDs are compared as people read them (case and accents
/// folded).
pub fn current(submissions: &[Submission<'_>]) -> Vec<Option<usize>> {
    let mut newest: HashMap<String, usize> = HashMap::new();
    for (i, s) in submissions.iter().enumerate() {
        let Some(id) = s.id else { continue };
        newest
            .entry(fold(id))
            .and_modify(|best| {
                if s.newness(&submissions[*best]) == Ordering::Greater {
                    *best = i;
                }
            })
            .or_insert(i);
    }
    submissions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let best = *newest.get(&fold(s.id?))?;
            (best != i).then_some(best)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset};
    use std::time::Duration;

    fn at(s: &str) -> Option<DateTime<FixedOffset>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap())
    }

    fn secs(n: u64) -> Option<SystemTime> {
        Some(SystemTime::UNIX_EPOCH + Duration::from_secs(n))
    }

    #[test]
    fn the_last_saved_workbook_wins_whatever_the_file_time() {
        let subs = [
            Submission { id: Some("OS2iot"), saved: at("2026-11-20T10:00:00Z"), modified: secs(900), file: "b.xlsx" },
            Submission { id: Some("os2iot"), saved: at("2026-11-21T10:00:00Z"), modified: secs(100), file: "a.xlsx" },
            Submission { id: Some("OS2mo"), saved: None, modified: None, file: "c.xlsx" },
            Submission { id: None, saved: None, modified: None, file: "d.xlsx" },
        ];
        assert_eq!(current(&subs), vec![Some(1), None, None, None]);
    }

    #[test]
    fn then_the_file_time_then_the_name() {
        let same = at("2026-11-20T10:00:00Z");
        let subs = [
            Submission { id: Some("P"), saved: same, modified: secs(200), file: "a.xlsx" },
            Submission { id: Some("P"), saved: same, modified: secs(100), file: "z.xlsx" },
        ];
        assert_eq!(current(&subs), vec![None, Some(0)]);
        let subs = [
            Submission { id: Some("P"), saved: same, modified: secs(100), file: "kopi/P.xlsx" },
            Submission { id: Some("P"), saved: same, modified: secs(100), file: "P.xlsx" },
        ];
        assert_eq!(current(&subs), vec![None, Some(0)]);
        // A workbook that says when it was saved beats one that does not.
        let subs = [
            Submission { id: Some("P"), saved: None, modified: secs(999), file: "a.xlsx" },
            Submission { id: Some("P"), saved: same, modified: secs(1), file: "b.xlsx" },
        ];
        assert_eq!(current(&subs), vec![Some(1), None]);
    }

    #[test]
    fn near_miss_different_ids_are_all_current() {
        let subs = [
            Submission { id: Some("OS2iot"), saved: None, modified: None, file: "a.xlsx" },
            Submission { id: Some("OS2iot2"), saved: None, modified: None, file: "b.xlsx" },
        ];
        assert_eq!(current(&subs), vec![None, None]);
    }
}
