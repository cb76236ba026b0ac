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

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize, exclude: &[Identity]) -> Result<()> {
    if depth > 16 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, t!("Kunne ikke læse mappen", "Could not read the folder"), e))?;
    for entry in entries.flatten() {
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
            let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden && !excluded() {
                walk(&path, out, depth + 1, exclude)?;
            }
        } else if is_candidate(&path) && !excluded() {
            // Regular files, and links, pipes and devices under a workbook's name: the
            // reader refuses those with a finding.
            out.push(path);
        }
    }
    Ok(())
}

/// The intake files under the given paths (files are taken as given, folders walked).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    collect_excluding(paths, &[])
}

/// As [`collect`], but folders walked skip the files and folders in `exclude` (those that
/// exist; compared by identity, not by spelling).
pub fn collect_excluding(paths: &[PathBuf], exclude: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let exclude: Vec<Identity> =
        exclude.iter().filter_map(|p| std::fs::metadata(p).ok().and_then(|m| identity_of(&m, p))).collect();
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out, 0, &exclude)?;
        } else if path.is_file() || std::fs::symlink_metadata(path).is_ok() {
            // Taken as given; the reader says why a link or a pipe is not read.
            out.push(path.clone());
        } else {
            let p = path.display();
            return Err(Error::Usage(t!(
                "{p} findes ikke. Angiv et projektark eller en mappe med projektark.",
                "{p} does not exist. Give a projektark or a folder of them."
            )));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
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
        let got: Vec<String> = collect(&[p.to_path_buf()])
            .unwrap()
            .iter()
            .map(|f| f.strip_prefix(p).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        assert_eq!(got, ["a.XLSX", "b.xlsx", "sub/c.xlsm", "sub/deeper/gammel.xls"]);
        assert!(collect(&[p.join("findes-ikke.xlsx")]).is_err());
    }
}
