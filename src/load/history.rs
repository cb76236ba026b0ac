//! Reading the archive's history files (`ud/<period>/historik-<period>.json`, issue 20):
//! the period folders before a period, and one file read tolerantly – a damaged file, a
//! file of another format or a missing one is an `Err` naming why, never a panic.

use crate::model::history::{FORMAT, HistoryFile, file_name};
use std::path::{Path, PathBuf};

/// The largest history file read (a state of 1,000 projects over 60 periods is ≈ 10 MB).
pub const MAX_HISTORY_BYTES: u64 = 256 * 1024 * 1024;

/// The period folders (`YYYY-MM`) in `output` whose name passes `keep`, oldest first.
/// Revisions (`<period>/tidligere/N`) and other files are not period folders.
fn periods(output: &Path, keep: impl Fn(&str) -> bool) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(output) else {
        return Vec::new();
    };
    let mut out: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| crate::model::period::is_period(n) && keep(n))
        .collect();
    out.sort();
    out
}

/// The period folders in `output` before `period`, oldest first.
pub fn earlier_periods(output: &Path, period: &str) -> Vec<(String, PathBuf)> {
    periods(output, |n| n < period)
}

/// The period folders in `output` up to and including `last` (every one without it), oldest
/// first.
pub fn periods_through(output: &Path, last: Option<&str>) -> Vec<(String, PathBuf)> {
    periods(output, |n| last.is_none_or(|l| n <= l))
}

/// The period folders in `output` after `period`, oldest first.
pub fn later_periods(output: &Path, period: &str) -> Vec<(String, PathBuf)> {
    periods(output, |n| n > period)
}

/// Why a period's history file cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unusable {
    Missing,
    /// A newer os2gov wrote it (format above ours): neither used nor overwritten.
    NewerFormat(u32),
    Damaged(String),
}

/// A period folder's history file, if it is there, readable and of this format. Parsed
/// once; only a file that does not parse is looked at again, for its format, so a newer
/// one is told apart from a damaged one.
pub fn read(folder: &Path, period: &str) -> Result<HistoryFile, Unusable> {
    let path = folder.join(file_name(period));
    let bytes = match crate::sys::fs::read_bounded(&path, MAX_HISTORY_BYTES) {
        Ok((bytes, _)) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Damaged(e.to_string())),
    };
    #[derive(serde::Deserialize)]
    struct Head {
        format: u32,
    }
    let file: HistoryFile = match serde_json::from_slice(&bytes) {
        Ok(file) => file,
        Err(e) => {
            return Err(match serde_json::from_slice::<Head>(&bytes) {
                Ok(head) if head.format > FORMAT => Unusable::NewerFormat(head.format),
                Ok(head) if head.format < FORMAT => Unusable::Damaged(format!("format {}", head.format)),
                _ => Unusable::Damaged(e.to_string()),
            });
        }
    };
    if file.format > FORMAT {
        return Err(Unusable::NewerFormat(file.format));
    }
    if file.format < FORMAT {
        return Err(Unusable::Damaged(format!("format {}", file.format)));
    }
    if file.period != period {
        return Err(Unusable::Damaged(format!("the file is for {}", file.period)));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_damaged_or_newer_file_is_told_apart_and_revisions_are_no_periods() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        for p in ["2026-09", "2026-10", "2026-11", "2026-12", "2026-10/tidligere/1"] {
            std::fs::create_dir_all(out.join(p)).unwrap();
        }
        std::fs::write(out.join(".os2gov-dubletter.jsonl"), "{}").unwrap();
        let periods: Vec<String> = earlier_periods(out, "2026-12").into_iter().map(|(p, _)| p).collect();
        assert_eq!(periods, vec!["2026-09", "2026-10", "2026-11"]);
        assert_eq!(read(&out.join("2026-09"), "2026-09"), Err(Unusable::Missing));
        std::fs::write(out.join("2026-10/historik-2026-10.json"), "{\"format\":1,\"per").unwrap();
        assert!(matches!(read(&out.join("2026-10"), "2026-10"), Err(Unusable::Damaged(_))));
        std::fs::write(out.join("2026-11/historik-2026-11.json"), "{\"format\":7}").unwrap();
        assert_eq!(read(&out.join("2026-11"), "2026-11"), Err(Unusable::NewerFormat(7)));
        // Near miss: a good file reads.
        let good =
            crate::model::history::HistoryFile { format: FORMAT, period: "2026-09".into(), ..Default::default() };
        std::fs::write(out.join("2026-09/historik-2026-09.json"), serde_json::to_string(&good).unwrap()).unwrap();
        assert_eq!(read(&out.join("2026-09"), "2026-09").unwrap(), good);
        // A file copied into another period's folder is not that period's.
        std::fs::write(out.join("2026-12/historik-2026-12.json"), serde_json::to_string(&good).unwrap()).unwrap();
        assert!(matches!(read(&out.join("2026-12"), "2026-12"), Err(Unusable::Damaged(_))));
    }
}
