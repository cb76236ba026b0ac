//! Atomic file output: every file is written to a temporary file in its target folder and
//! renamed into place, so a crash never leaves a half-written file where a good one was.
//! Files are not flushed to disk one by one (that cost a millisecond per file); a command
//! that has written a set of files calls [`sync_folder`] once, before it reports success
//! or renames a folder into place.

use crate::error::{Error, Result};
use crate::t;
use std::io::Write;
use std::path::Path;

/// Writes bytes atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(dir, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".os2gov-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, t!("Kunne ikke skrive i mappen", "Could not write in the folder"), e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(path, t!("Kunne ikke skrive", "Could not write"), e))?;
    // Temporary files are private (0600); outputs are ordinary files others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path).map_err(|e| Error::io(path, t!("Kunne ikke gemme", "Could not save"), e.error))?;
    Ok(())
}

/// How a file is written: atomically (temporary file and rename, for files in folders
/// people use) or straight into a fresh file (inside a run's private build folder, which
/// becomes visible only as a whole).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Atomic,
    Fresh,
}

/// Writes a file in the given mode.
pub fn write(path: &Path, bytes: &[u8], mode: Mode) -> Result<()> {
    match mode {
        Mode::Atomic => write_atomic(path, bytes),
        Mode::Fresh => {
            let fail = |e| Error::io(path, t!("Kunne ikke skrive", "Could not write"), e);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(fail)?;
            }
            std::fs::write(path, bytes).map_err(fail)
        }
    }
}

/// Flushes everything written under `dir` to disk: on Linux one `syncfs` for the whole
/// file system, elsewhere each file. Errors are reported, since a run must not claim
/// files that may not survive a power cut.
pub fn sync_folder(dir: &Path) -> Result<()> {
    let fail = |e| Error::io(dir, t!("Kunne ikke gemme filerne på disken", "Could not flush the files to disk"), e);
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let f = std::fs::File::open(dir).map_err(fail)?;
        // SAFETY: `syncfs` only reads the descriptor, which `f` keeps open for the call.
        if unsafe { libc::syncfs(f.as_raw_fd()) } != 0 {
            return Err(fail(std::io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        fn walk(dir: &Path) -> std::io::Result<()> {
            for entry in std::fs::read_dir(dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    walk(&path)?;
                } else {
                    std::fs::File::open(&path)?.sync_all()?;
                }
            }
            Ok(())
        }
        walk(dir).map_err(fail)
    }
}

/// Saves a rust_xlsxwriter workbook atomically.
pub fn save_workbook(workbook: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<()> {
    let bytes = workbook.save_to_buffer().map_err(|e| Error::xlsx(path, e))?;
    write_atomic(path, &bytes)
}

/// Reads a whole file, with a message naming it.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, t!("Kunne ikke læse", "Could not read"), e))
}
