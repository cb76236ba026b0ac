//! Finds the intake workbooks: the files and folders given, walked recursively, in a
//! stable order. Excel lock files (`~$…`) and unrelated files are skipped; other
//! spreadsheet formats are kept, so their senders hear why they were not read.

use crate::error::{Error, Result};
use crate::t;
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

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
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
        if kind.is_dir() {
            let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if !hidden {
                walk(&path, out, depth + 1)?;
            }
        } else if (kind.is_file() || kind.is_symlink() && path.is_file()) && is_candidate(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// The intake files under the given paths (files are taken as given, folders walked).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out, 0)?;
        } else if path.is_file() {
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
