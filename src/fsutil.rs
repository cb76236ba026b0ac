//! Atomic file output: every file is written to a temporary file in its target folder and
//! renamed into place, so a crash never leaves a half-written file where a good one was.

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
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path, t!("Kunne ikke skrive", "Could not write"), e))?;
    // Temporary files are private (0600); outputs are ordinary files others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path).map_err(|e| Error::io(path, t!("Kunne ikke gemme", "Could not save"), e.error))?;
    Ok(())
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
