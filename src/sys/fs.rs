//! Atomic file output: every file is written to a temporary file in its target folder and
//! renamed into place, so a crash never leaves a half-written file where a good one was.
//! Files are not flushed to disk one by one (that cost a millisecond per file); a command
//! that has written a set of files calls [`sync_folder`] once, before it reports success
//! or renames a folder into place.

use crate::text::{Lang, Text, t};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file or folder operation that failed: what was being done, on which path, and the
/// system's reason – said in the user's language with what to do where there is a fix.
#[derive(Debug)]
pub struct FsError {
    pub path: PathBuf,
    pub action: Text,
    pub source: std::io::Error,
}

pub type Result<T, E = FsError> = std::result::Result<T, E>;

impl FsError {
    pub fn new(path: &Path, action: Text, source: std::io::Error) -> FsError {
        FsError { path: path.to_path_buf(), action, source }
    }

    /// `Could not write ud/x.xlsx: the disk is full (free some space and run again)`.
    pub fn render(&self, lang: Lang) -> String {
        let (action, path, reason) = (self.action.get(lang), self.path.display(), io_reason(&self.source, lang));
        format!("{action} {path}: {reason}")
    }
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for FsError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn io_reason(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind::*;
    let text = match e.kind() {
        NotFound => t!("findes ikke", "does not exist"),
        PermissionDenied => t!(
            "ingen adgang (er filen åben i Excel, eller mangler der skriverettigheder?)",
            "permission denied (is the file open in Excel, or is write access missing?)"
        ),
        AlreadyExists => t!("findes allerede", "already exists"),
        StorageFull => {
            t!("disken er fuld (gør plads, og kør igen)", "the disk is full (free some space and run again)")
        }
        FileTooLarge => t!("filen er for stor", "the file is too large"),
        _ => {
            let e = e.to_string();
            t!("{e}", "{e}")
        }
    };
    text.get(lang).to_string()
}

/// Writes bytes atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| FsError::new(dir, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
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
        .map_err(|e| FsError::new(dir, t!("Kunne ikke skrive i mappen", "Could not write in the folder"), e))?;
    crate::sys::fault::disk_full()
        .and_then(|_| tmp.write_all(bytes))
        .map_err(|e| FsError::new(path, t!("Kunne ikke skrive", "Could not write"), e))?;
    tmp.persist(path).map_err(|e| FsError::new(path, t!("Kunne ikke gemme", "Could not save"), e.error))?;
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
            let fail = |e| FsError::new(path, t!("Kunne ikke skrive", "Could not write"), e);
            crate::sys::fault::disk_full().map_err(fail)?;
            // The folder is made only when it is missing: a batch writes thousands of files
            // into a few folders, and a `mkdir` that fails (and a `stat`) for each cost more
            // than a tenth of writing them.
            with_folder(path, || std::fs::write(path, bytes)).map_err(fail)
        }
    }
}

/// `syncfs` through an open handle on `dir`: every write-back error since the handle was
/// opened is reported.
#[cfg(target_os = "linux")]
fn syncfs(folder: &std::fs::File, dir: &Path) -> Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: `syncfs` only reads the descriptor, which `folder` keeps open for the call.
    if unsafe { libc::syncfs(folder.as_raw_fd()) } != 0 {
        return Err(flush_failed(dir, std::io::Error::last_os_error()));
    }
    Ok(())
}

/// The error of a flush of `dir` that failed.
fn flush_failed(dir: &Path, e: std::io::Error) -> FsError {
    FsError::new(dir, t!("Kunne ikke gemme filerne på disken", "Could not flush the files to disk"), e)
}

/// Flushes everything written under `dir` to disk: on Linux one `syncfs` for the whole
/// file system, elsewhere each file. Errors are reported, since a run must not claim
/// files that may not survive a power cut.
pub fn sync_folder(dir: &Path) -> Result<()> {
    let fail = |e| flush_failed(dir, e);
    #[cfg(target_os = "linux")]
    {
        let f = std::fs::File::open(dir).map_err(fail)?;
        syncfs(&f, dir)
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

/// Makes the subfolders `names` of a fresh folder `dir` that thousands of new files will go
/// into, and asks the file system to place each apart from the rest (Linux ext2/3/4: the
/// Orlov allocator's "top of a directory hierarchy" flag, `chattr +T`, on `dir`; each
/// subfolder is made under a name of its own and renamed at once, because the allocator
/// starts its search from a hash of the name). Why: on ext4 without a journal, creating a
/// file walks past every inode of its block group freed in the last half minute, so a
/// period folder written just after the previous one was removed (a re-run, or a folder
/// cleared by hand) paid a millisecond per file. Where the flag is not supported, or any
/// step fails, the folders are simply made (or left for the writers to make); nothing else
/// changes.
pub fn make_spread_folders(dir: &Path, names: &[&str]) {
    #[cfg(target_os = "linux")]
    mark_top_of_hierarchy(dir);
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    for (i, name) in names.iter().enumerate() {
        let final_path = dir.join(name);
        let temporary = dir.join(format!(".{name}.{}.{stamp}.{i}", std::process::id()));
        if std::fs::create_dir(&temporary).is_err() {
            continue;
        }
        if std::fs::rename(&temporary, &final_path).is_err() {
            let _ = std::fs::remove_dir(&temporary);
        }
    }
}

/// `FS_TOPDIR_FL` in linux/fs.h: the "top of a directory hierarchy" flag (`chattr +T`).
#[cfg(target_os = "linux")]
pub const FS_TOPDIR_FL: libc::c_int = 0x0002_0000;

/// Sets the "top of a directory hierarchy" flag (`FS_TOPDIR_FL`) on `dir`, so that the
/// file system spreads its subfolders; silently nothing where it is not supported.
#[cfg(target_os = "linux")]
fn mark_top_of_hierarchy(dir: &Path) {
    use std::os::fd::AsRawFd;
    let Ok(f) = std::fs::File::open(dir) else { return };
    let mut flags: libc::c_int = 0;
    // SAFETY: both calls read or write one int through a valid pointer, on a descriptor
    // `f` keeps open; the kernel's flag ioctls take an int whatever their declared size.
    unsafe {
        if libc::ioctl(f.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut flags) == 0 {
            flags |= FS_TOPDIR_FL;
            let _ = libc::ioctl(f.as_raw_fd(), libc::FS_IOC_SETFLAGS, &flags);
        }
    }
}

/// Flushes the file system of a folder in the background while a command writes many
/// files into it, so that the final flush ([`BackgroundFlush::finish`]) finds little left to
/// write: the disk works while the processors do. Linux only (elsewhere `finish` is
/// [`sync_folder`]).
///
/// The final flush uses a handle on the folder opened before the background one starts:
/// the kernel reports a write-back error to every handle opened before it happened, so an
/// error that the background thread's `syncfs` meets first (and ignores) is still
/// reported by `finish`. A handle opened at the end would not see it.
pub struct BackgroundFlush {
    dir: PathBuf,
    #[cfg(target_os = "linux")]
    last: Option<std::fs::File>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BackgroundFlush {
    /// Starts flushing `dir`'s file system about every `every`.
    pub fn start(dir: &Path, every: std::time::Duration) -> BackgroundFlush {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        #[cfg(target_os = "linux")]
        {
            let last = std::fs::File::open(dir).ok();
            let thread = std::fs::File::open(dir).ok().and_then(|folder| {
                let stop = stop.clone();
                std::thread::Builder::new()
                    .name("flush".into())
                    .spawn(move || {
                        use std::os::fd::AsRawFd;
                        use std::sync::atomic::Ordering;
                        while !stop.load(Ordering::Relaxed) {
                            std::thread::park_timeout(every);
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            // SAFETY: `syncfs` only reads the descriptor, which `folder` keeps open.
                            unsafe { libc::syncfs(folder.as_raw_fd()) };
                        }
                    })
                    .ok()
            });
            BackgroundFlush { dir: dir.to_path_buf(), last, stop, thread }
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = every;
            BackgroundFlush { dir: dir.to_path_buf(), stop, thread: None }
        }
    }

    /// Stops the background flush and flushes what is left, reporting any error since the
    /// start (see the type): what [`sync_folder`] does, for a run that must not claim files
    /// that may not survive a power cut.
    pub fn finish(mut self) -> Result<()> {
        self.halt();
        #[cfg(target_os = "linux")]
        if let Some(folder) = self.last.take() {
            return syncfs(&folder, &self.dir);
        }
        sync_folder(&self.dir)
    }

    fn halt(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

impl Drop for BackgroundFlush {
    fn drop(&mut self) {
        self.halt();
    }
}

/// Writes a new file inside a private build folder with at most the permission bits
/// `mode` (Unix; the process's umask applies on top, as for any new file): a copy of a
/// private input stays private.
pub fn write_fresh_with_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    let fail = |e| FsError::new(path, t!("Kunne ikke skrive", "Could not write"), e);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode.map_or(0o666, |m| m & 0o666));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = with_folder(path, || options.open(path)).map_err(fail)?;
    crate::sys::fault::disk_full().map_err(fail)?;
    file.write_all(bytes).map_err(fail)
}

/// Runs `create` (which makes the file at `path`); when its folder is missing, makes the
/// folder and runs it once more.
fn with_folder<T>(path: &Path, mut create: impl FnMut() -> std::io::Result<T>) -> std::io::Result<T> {
    match create() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => {
                std::fs::create_dir_all(dir)?;
                create()
            }
            _ => Err(e),
        },
        other => other,
    }
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
    std::fs::read(path).map_err(|e| FsError::new(path, t!("Kunne ikke læse", "Could not read"), e))
}

/// The sha256 of a file's bytes as 64 hex digits (the manifest's checksums, message keys).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The background flush stops at once when finished or dropped, also in the middle of a
    /// long wait; `finish` flushes what is left and reports success; the files written
    /// meanwhile are there and whole.
    #[test]
    fn the_background_flush_stops_at_once_when_finished_or_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let flush = BackgroundFlush::start(dir.path(), std::time::Duration::from_millis(1));
        for i in 0..50 {
            write(&dir.path().join(format!("{i}.txt")), i.to_string().as_bytes(), Mode::Fresh).unwrap();
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
        flush.finish().unwrap();
        for stop in [|f: BackgroundFlush| f.finish().unwrap(), drop] {
            let slow = BackgroundFlush::start(dir.path(), std::time::Duration::from_secs(3600));
            let start = std::time::Instant::now();
            stop(slow);
            assert!(start.elapsed() < std::time::Duration::from_secs(10), "waited {:?}", start.elapsed());
        }
        assert_eq!(std::fs::read_to_string(dir.path().join("49.txt")).unwrap(), "49");
    }

    /// A fresh file goes into its folder, made first only when missing (nested too); a
    /// second file in the same folder needs none. The near miss: a fresh input copy never
    /// replaces a file that is there (the retry is for a missing folder only).
    #[test]
    fn fresh_files_make_a_missing_folder_and_never_replace_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("post").join("a");
        write(&nested.join("1.eml"), b"one", Mode::Fresh).unwrap();
        write(&nested.join("2.eml"), b"two", Mode::Fresh).unwrap();
        assert_eq!(std::fs::read(nested.join("1.eml")).unwrap(), b"one");
        assert_eq!(std::fs::read(nested.join("2.eml")).unwrap(), b"two");
        let copy = dir.path().join("input").join("x.xlsx");
        write_fresh_with_mode(&copy, b"first", Some(0o600)).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert!(write_fresh_with_mode(&copy, b"second", None).is_err());
        assert_eq!(std::fs::read(&copy).unwrap(), b"first");
        // A folder that cannot be made (a file stands in its place) is an error, not a loop.
        std::fs::write(dir.path().join("blocked"), b"").unwrap();
        assert!(write(&dir.path().join("blocked").join("f"), b"x", Mode::Fresh).is_err());
    }
}
