//! Finds the intake workbooks: the files and folders given, walked recursively, in a
//! stable order. Excel lock files (`~$…`) and unrelated files are skipped; other
//! spreadsheet formats are kept, so their senders hear why they were not read. Entries
//! with a workbook's name that are not regular files (symbolic links, pipes, devices) are
//! kept too: the reader refuses them with a reason, so nobody's file is silently ignored.
//! Folders given as exclusions (os2gov's own output folder, the styringsmodel) are never
//! walked into or taken, so a run never reads what an earlier run wrote.

use crate::error::{Error, Result};
use crate::text::t;
use std::path::{Path, PathBuf};

/// Extensions read as workbooks.
const WORKBOOKS: [&str; 2] = ["xlsx", "xlsm"];
/// Spreadsheet formats os2gov cannot read but reports (so nobody is silently ignored).
const OTHER_SPREADSHEETS: [&str; 5] = ["xls", "xlsb", "ods", "csv", "numbers"];

fn extension(path: &Path) -> String {
    path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default()
}

fn is_candidate(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    let ext = extension(path);
    WORKBOOKS.contains(&ext.as_str()) || OTHER_SPREADSHEETS.contains(&ext.as_str())
}

/// A file or folder identity that survives different spellings of its path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Identity(#[cfg(unix)] (u64, u64), #[cfg(not(unix))] PathBuf);

fn identity_of(meta: &std::fs::Metadata, path: &Path) -> Option<Identity> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let _ = path;
        Some(Identity((meta.dev(), meta.ino())))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        std::fs::canonicalize(path).ok().map(Identity)
    }
}

/// How deep folders are walked below a folder given (deeper files are named, not read).
pub const MAX_DEPTH: usize = 16;
/// How many entries of left-out folders (hidden or too deep) are looked through to name
/// the workbooks in them; the rest are counted as "more".
const LEFT_OUT_SCAN: usize = 2_000;
/// How many left-out workbooks are named one by one.
pub const MAX_LEFT_OUT_NAMED: usize = 100;

/// Why a workbook in the inbox was not read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeftOutReason {
    /// Its name starts with a dot (hidden).
    Hidden,
    /// It lies in a folder whose name starts with a dot.
    InHiddenFolder,
    /// It lies more than [`MAX_DEPTH`] folders down.
    TooDeep,
}

/// A workbook the walk saw but did not take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    pub path: PathBuf,
    /// As shown in the outputs (relative to the working folder; set by the check stage).
    pub file: String,
    pub reason: LeftOutReason,
}

impl LeftOutReason {
    /// The stable machine form (findings JSON).
    pub fn code(self) -> &'static str {
        match self {
            LeftOutReason::Hidden => "hidden",
            LeftOutReason::InHiddenFolder => "in_hidden_folder",
            LeftOutReason::TooDeep => "too_deep",
        }
    }
}

/// A folder in the inbox that could not be listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableFolder {
    pub path: PathBuf,
    /// The system's reason.
    pub reason: String,
}

/// The workbooks left out for their name or depth: at most [`MAX_LEFT_OUT_NAMED`] named,
/// the rest (and entries not looked through) counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LeftOuts {
    pub named: Vec<LeftOut>,
    pub more: usize,
}

impl LeftOuts {
    pub fn is_empty(&self) -> bool {
        self.named.is_empty() && self.more == 0
    }
}

/// What a walk of the inbox found: the files to read, the folders that could not be
/// listed (each a finding: the rest is still checked), and the workbooks left out for
/// their name or depth (named once in the summary, never silently).
#[derive(Clone, Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub unreadable: Vec<UnreadableFolder>,
    pub left_out: LeftOuts,
}

impl Walk {
    fn leave_out(&mut self, path: PathBuf, reason: LeftOutReason) {
        if self.left_out.named.len() < MAX_LEFT_OUT_NAMED {
            let file = path.display().to_string();
            self.left_out.named.push(LeftOut { path, file, reason });
        } else {
            self.left_out.more += 1;
        }
    }
}

fn hidden(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn walk(dir: &Path, out: &mut Walk, depth: usize, exclude: &[Identity], budget: &mut usize) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.unreadable.push(UnreadableFolder { path: dir.to_path_buf(), reason: e.to_string() });
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.unreadable.push(UnreadableFolder { path: dir.to_path_buf(), reason: e.to_string() });
                continue;
            }
        };
        let path = entry.path();
        // Never follow symbolic links to folders: no loops, no surprises.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let excluded = || {
            !exclude.is_empty()
                && entry.metadata().ok().and_then(|m| identity_of(&m, &path)).is_some_and(|id| exclude.contains(&id))
        };
        if kind.is_dir() {
            if excluded() {
                continue;
            }
            if hidden(&path) {
                left_out_below(&path, out, LeftOutReason::InHiddenFolder, budget);
            } else if depth >= MAX_DEPTH {
                left_out_below(&path, out, LeftOutReason::TooDeep, budget);
            } else {
                walk(&path, out, depth + 1, exclude, budget);
            }
        } else if is_candidate(&path) && !excluded() {
            // Regular files, and links, pipes and devices under a workbook's name: the
            // reader refuses those with a finding.
            out.files.push(path);
        } else if hidden(&path) && is_candidate(&unhidden(&path)) {
            out.leave_out(path, LeftOutReason::Hidden);
        }
    }
}

/// The path with the leading dots of its file name removed (`.kladde.xlsx` → `kladde.xlsx`),
/// to tell whether a hidden file is a workbook.
fn unhidden(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().trim_start_matches('.').to_string()).unwrap_or_default();
    path.with_file_name(name)
}

/// Names the workbooks in a folder that is not walked (hidden, or too deep): looked
/// through without recursion, within a budget of entries for the whole walk.
fn left_out_below(dir: &Path, out: &mut Walk, reason: LeftOutReason, budget: &mut usize) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            if *budget == 0 {
                out.left_out.more += 1;
                return;
            }
            *budget -= 1;
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => stack.push(path),
                Ok(_)
                    if is_candidate(&unhidden(&path))
                        && !path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("~$")) =>
                {
                    out.leave_out(path, reason)
                }
                _ => {}
            }
        }
    }
}

/// The intake files under the given paths (files are taken as given, folders walked);
/// folders walked skip the files and folders in `exclude` (those that exist; compared by
/// identity, not by spelling). A folder that cannot be listed is reported in the walk
/// (the rest is still walked); a path given that does not exist is an error.
pub fn walk_inputs(paths: &[PathBuf], exclude: &[PathBuf]) -> Result<Walk> {
    let exclude: Vec<Identity> =
        exclude.iter().filter_map(|p| std::fs::metadata(p).ok().and_then(|m| identity_of(&m, p))).collect();
    let mut out = Walk::default();
    let mut budget = LEFT_OUT_SCAN;
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out, 0, &exclude, &mut budget);
        } else if path.is_file() || std::fs::symlink_metadata(path).is_ok() {
            // Taken as given; the reader says why a link or a pipe is not read.
            out.files.push(path.clone());
        } else {
            let p = path.display();
            return Err(Error::Usage(t!(
                "{p} findes ikke. Angiv et projektark eller en mappe med projektark.",
                "{p} does not exist. Give a projektark or a folder of them."
            )));
        }
    }
    out.files.sort();
    out.files.dedup();
    out.left_out.named.sort_by(|a, b| a.path.cmp(&b.path));
    out.unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    out.unreadable.dedup_by(|a, b| a.path == b.path);
    Ok(out)
}

/// The intake files under `paths` alone (see [`walk_inputs`]), for callers that need every
/// file or none: a folder that cannot be listed is an error here.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let walk = walk_inputs(paths, &[])?;
    if let Some(f) = walk.unreadable.first() {
        let (p, why) = (f.path.display(), &f.reason);
        return Err(Error::Usage(t!("Kunne ikke læse mappen {p}: {why}", "Could not read the folder {p}: {why}")));
    }
    Ok(walk.files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_folders_and_skips_lock_files_and_unrelated_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::create_dir_all(p.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(p.join(".git")).unwrap();
        for f in [
            "b.xlsx",
            "a.XLSX",
            "~$a.xlsx",
            "noter.txt",
            "sub/c.xlsm",
            "sub/deeper/gammel.xls",
            ".git/x.xlsx",
            ".skjult.xlsx",
        ] {
            std::fs::write(p.join(f), b"x").unwrap();
        }
        let walk = walk_inputs(&[p.to_path_buf()], &[]).unwrap();
        let got: Vec<String> =
            walk.files.iter().map(|f| f.strip_prefix(p).unwrap().to_string_lossy().replace('\\', "/")).collect();
        assert_eq!(got, ["a.XLSX", "b.xlsx", "sub/c.xlsm", "sub/deeper/gammel.xls"]);
        // The hidden ones are named, not read; the lock file and the text file are not.
        let left: Vec<(String, LeftOutReason)> = walk
            .left_out
            .named
            .iter()
            .map(|l| (l.path.strip_prefix(p).unwrap().to_string_lossy().replace('\\', "/"), l.reason))
            .collect();
        assert_eq!(
            left,
            [
                (".git/x.xlsx".to_string(), LeftOutReason::InHiddenFolder),
                (".skjult.xlsx".to_string(), LeftOutReason::Hidden)
            ]
        );
        assert!(walk.unreadable.is_empty());
        assert!(walk_inputs(&[p.join("findes-ikke.xlsx")], &[]).is_err());
        assert!(collect(&[p.join("findes-ikke.xlsx")]).is_err());
    }

    #[test]
    fn deeper_than_the_limit_is_named_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let mut deep = dir.path().to_path_buf();
        for i in 0..=MAX_DEPTH + 1 {
            deep.push(format!("d{i}"));
        }
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(deep.join("dyb.xlsx"), b"x").unwrap();
        // At the limit itself, still read.
        let mut at_limit = dir.path().to_path_buf();
        for i in 0..MAX_DEPTH {
            at_limit.push(format!("d{i}"));
        }
        std::fs::write(at_limit.join("lige-netop.xlsx"), b"x").unwrap();
        let walk = walk_inputs(&[dir.path().to_path_buf()], &[]).unwrap();
        assert_eq!(walk.files, [at_limit.join("lige-netop.xlsx")]);
        let left: Vec<(&Path, LeftOutReason)> =
            walk.left_out.named.iter().map(|l| (l.path.as_path(), l.reason)).collect();
        assert_eq!(left, [(deep.join("dyb.xlsx").as_path(), LeftOutReason::TooDeep)]);
    }
}
