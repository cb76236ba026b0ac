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
    let mut builder = tempfile::Builder::new();
    builder.prefix(".os2gov-").suffix(".tmp");
    // Temporary files are private (0600) by default; outputs are ordinary new files, with
    // the permissions the user's umask gives any new file (never more).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, t!("Kunne ikke skrive i mappen", "Could not write in the folder"), e))?;
    crate::fault::disk_full()
        .and_then(|_| tmp.write_all(bytes))
        .map_err(|e| Error::io(path, t!("Kunne ikke skrive", "Could not write"), e))?;
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
            crate::fault::disk_full().map_err(fail)?;
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

/// Saves a rust_xlsxwriter workbook atomically (through [`crate::xlsx::finish`]).
pub fn save_workbook(workbook: &mut rust_xlsxwriter::Workbook, path: &Path) -> Result<()> {
    let bytes = crate::xlsx::finish(workbook).map_err(|e| Error::xlsx(path, e))?;
    write_atomic(path, &bytes)
}

/// Writes a new file inside a private build folder with at most the permission bits
/// `mode` (Unix; the process's umask applies on top, as for any new file): a copy of a
/// private input stays private.
pub fn write_fresh_with_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let fail = |e| Error::io(path, t!("Kunne ikke skrive", "Could not write"), e);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode.map_or(0o666, |m| m & 0o666));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(path).map_err(fail)?;
    crate::fault::disk_full().map_err(fail)?;
    file.write_all(bytes).map_err(fail)
}

/// The longest file name os2gov makes from user text, in bytes (file systems allow 255).
pub const MAX_NAME_BYTES: usize = 200;

/// A file-name component written losslessly as text: `%` becomes `%25` and every byte
/// that is not part of valid UTF-8 becomes `%XX`, so two different names never give the
/// same text (names that differ only in such bytes included). Bounded by
/// [`crate::model::value::bounded_name`].
pub fn escaped_component(name: &std::ffi::OsStr) -> String {
    let mut out = String::new();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        for chunk in name.as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                if c == '%' {
                    out.push_str("%25");
                } else {
                    out.push(c);
                }
            }
            for b in chunk.invalid() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    #[cfg(not(unix))]
    {
        use std::os::windows::ffi::OsStrExt;
        for unit in char::decode_utf16(name.encode_wide()) {
            match unit {
                Ok('%') => out.push_str("%25"),
                Ok(c) => out.push(c),
                Err(e) => out.push_str(&format!("%u{:04X}", e.unpaired_surrogate())),
            }
        }
    }
    crate::model::value::bounded_name(&out, MAX_NAME_BYTES)
}

/// Why [`read_open_file`] refused a file.
#[derive(Debug)]
pub enum BoundedRead {
    /// A directory, device or pipe.
    NotRegular,
    /// Larger than the limit: by its metadata, or by what was read (it grew).
    TooLarge(u64),
    Io(std::io::Error),
}

/// Reads an opened file of at most `limit` bytes whole: its size checked from the open
/// file's metadata before reading, and the reading itself bounded (a file that grows while
/// it is read is refused too). Also returns its permission bits (Unix).
pub fn read_open_file(file: std::fs::File, limit: u64) -> std::result::Result<(Vec<u8>, Option<u32>), BoundedRead> {
    use std::io::Read;
    let meta = file.metadata().map_err(BoundedRead::Io)?;
    if !meta.is_file() {
        return Err(BoundedRead::NotRegular);
    }
    if meta.len() > limit {
        return Err(BoundedRead::TooLarge(meta.len()));
    }
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    };
    #[cfg(not(unix))]
    let mode = None;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(BoundedRead::Io)?;
    if bytes.len() as u64 > limit {
        return Err(BoundedRead::TooLarge(bytes.len() as u64));
    }
    Ok((bytes, mode))
}

/// Reads a whole file of at most `limit` bytes (see [`read_open_file`]). Follows symbolic
/// links (for files the user names in the configuration).
pub fn read_bounded(path: &Path, limit: u64) -> std::io::Result<(Vec<u8>, Option<u32>)> {
    read_open_file(std::fs::File::open(path)?, limit).map_err(|e| match e {
        BoundedRead::NotRegular => std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        BoundedRead::TooLarge(_) => {
            std::io::Error::new(std::io::ErrorKind::FileTooLarge, format!("over {limit} bytes"))
        }
        BoundedRead::Io(e) => e,
    })
}

/// Reads a whole file, with a message naming it.
pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, t!("Kunne ikke læse", "Could not read"), e))
}
