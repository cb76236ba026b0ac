//! The working folder's state on disk: the styringsmodel file, the lock that keeps two runs
//! apart, the period folders (built in a temporary folder and renamed into place), and the
//! previous period's findings. Everything that must survive a crash or a kill lives here.
//! Used by the commands and the batch; calls nothing above it.

use crate::config::settings::Paths;
use crate::error::{Error, Result};
use crate::load::styringsmodel::{LoadedRules, load_rules};
pub use crate::render::run::{REVISIONS, Revision};
use crate::text::t;
use chrono::NaiveDate;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file's name inside the output folder.
pub const LOCK_FILE: &str = ".os2gov.lock";

/// Holds the working folder's lock; released when dropped (and when the process dies,
/// since it is an operating-system lock on the open file).
#[derive(Debug)]
pub struct Lock {
    path: PathBuf,
    _file: std::fs::File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed while still held: a run waiting on this file sees it gone and retries.
        let _ = std::fs::remove_file(&self.path);
    }
}

fn this_host() -> String {
    std::fs::read_to_string("/etc/hostname").map(|s| s.trim().to_string()).unwrap_or_default()
}

/// The holder named in a lock file: (pid, host, started). For people only: whether the
/// lock is held is decided by the operating system, never by this text.
fn holder(content: &str) -> (Option<u32>, String, String) {
    let field = |k: &str| content.lines().find_map(|l| l.strip_prefix(&format!("{k}="))).unwrap_or("").to_string();
    (field("pid").parse().ok(), field("host"), field("started"))
}

fn busy(path: &Path, content: &str) -> Error {
    let (pid, host, since) = holder(content);
    let who = pid.map(|p| p.to_string()).unwrap_or_else(|| "?".into());
    let p = path.display();
    Error::Usage(t!(
        "En anden kørsel af os2gov er i gang i denne arbejdsmappe (proces {who} på '{host}', startet {since}). Vent til den er færdig; låsen ({p}) slippes af sig selv, når kørslen slutter eller dør.",
        "Another os2gov run is in progress in this working folder (process {who} on '{host}', started {since}). Wait for it to finish; the lock ({p}) is released by itself when that run ends or dies."
    ))
}

/// Takes the lock of `dir` (created if needed). The lock is an operating-system lock on
/// the open lock file (`flock` on Unix, an exclusive open on Windows): the system releases
/// it when the process ends, however it ends, so a run that died holds nothing, and a
/// live run cannot be mistaken for a dead one. No process id is ever checked (a pid can be
/// reused by another process after a crash). The file's text (pid, host, start time) is
/// only shown to people; a leftover file of a run that died is taken over, and its pid
/// returned for the summary.
pub fn lock(dir: &Path, started: &str) -> Result<(Lock, Option<String>)> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::io(dir, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    let path = dir.join(LOCK_FILE);
    let content = format!("pid={}\nhost={}\nstarted={started}\n", std::process::id(), this_host());
    let io = |e| Error::io(&path, t!("Kunne ikke bruge låsefilen", "Could not use the lock file"), e);
    #[cfg(unix)]
    for _ in 0..10 {
        use std::io::{Read, Seek};
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;
        let mut file =
            std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io)?;
        // SAFETY: flock only uses the descriptor, which `file` keeps open.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            let mut held = String::new();
            let _ = file.read_to_string(&mut held);
            return Err(busy(&path, &held));
        }
        // The file may have been removed by the run that held it just before we locked it.
        let same = match (file.metadata(), std::fs::metadata(&path)) {
            (Ok(a), Ok(b)) => a.ino() == b.ino() && a.dev() == b.dev(),
            _ => false,
        };
        if !same {
            continue;
        }
        let mut old = String::new();
        let _ = file.read_to_string(&mut old);
        let note = holder(&old).0.filter(|p| *p != std::process::id()).map(|p| p.to_string());
        file.set_len(0).and_then(|_| file.rewind()).and_then(|_| file.write_all(content.as_bytes())).map_err(io)?;
        let _ = file.sync_all();
        return Ok((Lock { path, _file: file }, note));
    }
    #[cfg(windows)]
    for _ in 0..10 {
        use std::io::Read;
        use std::os::windows::fs::OpenOptionsExt;
        // Share mode 0: no other handle can open the file while this one is open, and
        // Windows closes it when the process ends.
        match std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).share_mode(0).open(&path)
        {
            Ok(mut file) => {
                let mut old = String::new();
                let _ = file.read_to_string(&mut old);
                let note = holder(&old).0.filter(|p| *p != std::process::id()).map(|p| p.to_string());
                file.set_len(0).map_err(io)?;
                std::io::Seek::rewind(&mut file).map_err(io)?;
                file.write_all(content.as_bytes()).map_err(io)?;
                return Ok((Lock { path, _file: file }, note));
            }
            // ERROR_SHARING_VIOLATION: another run has it open.
            Err(e) if e.raw_os_error() == Some(32) => {
                return Err(busy(&path, ""));
            }
            // Removed by the run that held it just now: try again.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => continue,
            Err(e) => return Err(io(e)),
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (content, io);
        return Err(Error::Usage(t!(
            "os2gov kan ikke låse arbejdsmappen på dette styresystem.",
            "os2gov cannot lock the working folder on this operating system."
        )));
    }
    let p = path.display();
    Err(Error::Usage(t!("Kunne ikke tage låsen {p}.", "Could not take the lock {p}.")))
}

/// Loads the styringsmodel named in `paths`; every problem is an [`Error::Rules`].
pub fn load_model(paths: &Paths, as_of: NaiveDate) -> Result<LoadedRules> {
    load_model_bytes(paths, as_of, &read_model(paths)?)
}

/// Validates the styringsmodel from bytes already read (by [`read_model`]).
pub fn load_model_bytes(paths: &Paths, as_of: NaiveDate, bytes: &[u8]) -> Result<LoadedRules> {
    load_rules(bytes, as_of).map_err(|findings| Error::Rules { file: paths.rules.clone(), findings })
}

/// Reads the styringsmodel file; a missing one says how to make it.
pub fn read_model(paths: &Paths) -> Result<Vec<u8>> {
    read_model_file(paths).map(|(bytes, _)| bytes)
}

/// Reads the styringsmodel file (within the size limit of any workbook, checked before
/// reading) with its permission bits, for the copy a run keeps.
pub fn read_model_file(paths: &Paths) -> Result<(Vec<u8>, Option<u32>)> {
    let path = &paths.rules;
    let limit = crate::load::workbook::Limits::default().max_file_bytes;
    match crate::sys::fs::read_bounded(path, limit) {
        Ok(read) => Ok(read),
        // No os2gov.toml here and no --rules: the user stands outside any working folder.
        // (Without --rules the styringsmodel is the default name in the folder os2gov runs in.)
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && paths.config_file.is_none()
                && paths.rules == paths.base_dir.join("styringsmodel.xlsx") =>
        {
            let here = paths.base_dir.display();
            Err(Error::Usage(t!(
                "{here} er ikke en arbejdsmappe for os2gov: her er hverken os2gov.toml eller styringsmodel.xlsx. Gå til arbejdsmappen (cd MAPPE), peg på den med --config MAPPE/os2gov.toml, eller opret en ny med 'os2gov init MAPPE'.",
                "{here} is not an os2gov working folder: there is neither an os2gov.toml nor a styringsmodel.xlsx here. Go to the working folder (cd FOLDER), point at it with --config FOLDER/os2gov.toml, or create one with 'os2gov init FOLDER'."
            )))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let p = path.display();
            Err(Error::Usage(t!(
                "Styringsmodellen {p} findes ikke. Kør 'os2gov init MAPPE' for at lave en arbejdsmappe med en styringsmodel, eller angiv filen med --rules eller i os2gov.toml.",
                "The styringsmodel {p} does not exist. Run 'os2gov init FOLDER' to create a working folder with one, or name the file with --rules or in os2gov.toml."
            )))
        }
        Err(e) => Err(Error::io(path, t!("Kunne ikke læse styringsmodellen", "Could not read the styringsmodel"), e)),
    }
}

/// Reads the secretariat's register file with its permission bits; `None` when it does
/// not exist (a folder made before the register, or `check` outside a working folder).
pub fn read_register_file(paths: &Paths) -> Result<Option<(Vec<u8>, Option<u32>)>> {
    let path = &paths.register;
    let limit = crate::load::workbook::Limits::default().max_file_bytes;
    match crate::sys::fs::read_bounded(path, limit) {
        Ok(read) => Ok(Some(read)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(
            path,
            t!("Kunne ikke læse sekretariatets register", "Could not read the secretariat's register"),
            e,
        )),
    }
}

/// Reads the register from bytes already read; a register that cannot be used at all
/// stops the command (exit 2), naming the file and what is wrong.
pub fn load_register_bytes(
    paths: &Paths,
    bytes: &[u8],
    rules: &crate::model::rules::Rules,
) -> Result<crate::load::register::LoadedRegister> {
    crate::load::register::load_register(bytes, rules).map_err(|why| {
        let p = crate::sys::names::display_path(&paths.register, &paths.base_dir);
        let (da, en) = (why.da, why.en);
        Error::Usage(t!(
            "Sekretariatets register {p} kan ikke bruges: {da} Uden registeret ville vurderinger og placeringer mangle, så os2gov stopper her. Ret filen (eller angiv en anden med --register eller [sekretariat] register i os2gov.toml).",
            "The secretariat's register {p} cannot be used: {en} Without it assessments and placements would be missing, so os2gov stops here. Fix the file (or name another with --register or [sekretariat] register in os2gov.toml)."
        ))
    })
}

/// The largest findings JSON read back: a month's JSON of a thousand projects is ~10 MB.
/// A larger one is not read (the run goes on without comparing, and says so); within the
/// limit it is streamed and only what is used is kept
/// ([`crate::check::previous::read_previous_from`]), so memory stays bounded.
pub const MAX_PREVIOUS_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a previous run's findings JSON (named on the command line, or found in `ud/`):
/// a regular file (opened without blocking on a pipe) of at most [`MAX_PREVIOUS_BYTES`],
/// its size checked from the open file before anything is read, streamed.
pub fn read_previous_file(path: &Path) -> Result<crate::check::previous::Previous> {
    let p = path.display();
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| Error::io(path, t!("Kunne ikke læse", "Could not read"), e))?;
    let meta = file.metadata().map_err(|e| Error::io(path, t!("Kunne ikke læse", "Could not read"), e))?;
    if !meta.is_file() {
        return Err(Error::Usage(t!(
            "{p} er ikke en almindelig fil og kan ikke være en fund-JSON.",
            "{p} is not a regular file and cannot be a findings JSON."
        )));
    }
    if meta.len() > MAX_PREVIOUS_BYTES {
        let (mb, max) = (meta.len() / (1024 * 1024), MAX_PREVIOUS_BYTES / (1024 * 1024));
        return Err(Error::Usage(t!(
            "{p} er for stor til at være en fund-JSON fra os2gov ({mb} MB; grænsen er {max} MB).",
            "{p} is too large to be an os2gov findings JSON ({mb} MB; the limit is {max} MB)."
        )));
    }
    use std::io::Read;
    crate::check::previous::read_previous_from(file.take(MAX_PREVIOUS_BYTES)).map_err(|why| {
        let why = crate::text::clip(&why, crate::text::SHOWN_VALUE_CHARS);
        Error::Usage(t!(
            "{p} er ikke en fund-JSON fra os2gov ({why}). Brug fund-ÅÅÅÅ-MM.json fra en tidligere kørsel.",
            "{p} is not an os2gov findings JSON ({why}). Use fund-YYYY-MM.json from an earlier run."
        ))
    })
}

/// The previous period's findings (the newest earlier period folder with a findings JSON),
/// for `run` and `digest` alike. A file that cannot be read must not stop the month: the
/// run goes on without comparing, and the note says so.
pub fn previous_run(
    output: &Path,
    period: &str,
    base: &Path,
) -> (Option<crate::check::previous::Previous>, Option<crate::text::Text>) {
    match previous_findings(output, period) {
        None => (None, None),
        Some((period, file)) => match read_previous_file(&file) {
            Ok(p) => (Some(p), None),
            Err(e) => {
                let f = crate::sys::names::display_path(&file, base);
                let why = crate::text::clip(&e.render(crate::text::Lang::Da), crate::text::SHOWN_VALUE_CHARS);
                let why_en = crate::text::clip(&e.render(crate::text::Lang::En), crate::text::SHOWN_VALUE_CHARS);
                (
                    None,
                    Some(t!(
                        "{f} kunne ikke læses, så denne kørsel sammenligner ikke med {period} (ingen ændringer, LEVEL-CHANGED eller PHASE-CHANGED-UNLOGGED): {why}",
                        "{f} could not be read, so this run does not compare with {period} (no changes, LEVEL-CHANGED or PHASE-CHANGED-UNLOGGED): {why_en}"
                    )),
                )
            }
        },
    }
}

/// Refuses an inbox that is the output folder or lies inside it: runs replace and remove
/// folders there, which must never touch an input. (The other way round – the output
/// folder inside the inbox, as with `inbox = "."` – is fine: the inbox walk skips it.)
pub fn check_inbox_outside_output(inbox: &Path, output: &Path) -> Result<()> {
    let (Ok(inbox_real), Ok(output_real)) = (std::fs::canonicalize(inbox), std::fs::canonicalize(output)) else {
        return Ok(());
    };
    if inbox_real.starts_with(&output_real) {
        let (i, o) = (inbox.display(), output.display());
        return Err(Error::Usage(t!(
            "Indbakken {i} ligger i output-mappen {o}. os2gov erstatter og sletter mapper dér, så indbakken skal ligge et andet sted: ret inbox eller output i os2gov.toml.",
            "The inbox {i} lies in the output folder {o}. os2gov replaces and removes folders there, so the inbox must be elsewhere: change inbox or output in os2gov.toml."
        )));
    }
    Ok(())
}

/// Cleans up after a run that was killed: temporary build folders are removed, and a
/// period folder that was moved aside but not replaced is put back.
pub fn recover(output: &Path) -> Result<Vec<crate::text::Text>> {
    let mut notes = Vec::new();
    let Ok(entries) = std::fs::read_dir(output) else {
        return Ok(notes);
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if let Some(rest) = name.strip_prefix(".tmp-") {
            let _ = std::fs::remove_dir_all(&path);
            let period = rest.split('.').next().unwrap_or(rest);
            notes.push(t!(
                "en ufærdig periodemappe for {period} er fjernet",
                "an unfinished period folder for {period} was removed"
            ));
        } else if let Some(rest) = name.strip_prefix(KEEP_PREFIX) {
            // A sent period folder moved aside for a re-run: put back when the new one
            // never arrived, else kept inside the new one as a revision.
            let period = rest.split('.').next().unwrap_or("");
            let target = output.join(period);
            if !crate::model::period::is_period(period) {
                continue;
            }
            if target.exists() {
                let n = keep_revision(&path, &target)?;
                notes.push(t!(
                    "den tidligere, sendte version af {period} er gemt i {period}/{REVISIONS}/{n}",
                    "the earlier, sent version of {period} was kept in {period}/{REVISIONS}/{n}"
                ));
            } else {
                std::fs::rename(&path, &target)
                    .map_err(|e| Error::io(&path, t!("Kunne ikke gendanne", "Could not restore"), e))?;
                notes.push(t!(
                    "den tidligere periodemappe {period} er lagt tilbage",
                    "the earlier period folder {period} was put back"
                ));
            }
        } else if let Some(rest) = name.strip_prefix(".old-") {
            let period = rest.split('.').next().unwrap_or("");
            let target = output.join(period);
            if crate::model::period::is_period(period) && !target.exists() {
                std::fs::rename(&path, &target)
                    .map_err(|e| Error::io(&path, t!("Kunne ikke gendanne", "Could not restore"), e))?;
                notes.push(t!(
                    "den tidligere periodemappe {period} er lagt tilbage",
                    "the earlier period folder {period} was put back"
                ));
            } else if crate::model::period::is_period(period) {
                drop_replaced(&path, &target)?;
            } else {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
    Ok(notes)
}

/// A run's private build folder (`.tmp-<period>.<pid>` in the output folder). Removed when
/// dropped, so every error path (a full disk, a bad mail address, a panic) leaves nothing
/// behind; once [`publish`]ed it is the period folder and dropping it does nothing. Only a
/// kill leaves it, and the next run's [`recover`] removes it.
#[derive(Debug)]
pub struct BuildDir {
    path: PathBuf,
    published: bool,
}

impl std::ops::Deref for BuildDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.path
    }
}

impl Drop for BuildDir {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// A fresh, empty temporary folder for building `period` inside `output`.
pub fn build_dir(output: &Path, period: &str) -> Result<BuildDir> {
    let path = output.join(format!(".tmp-{period}.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    let dir = BuildDir { path, published: false };
    std::fs::create_dir_all(&dir.path)
        .map_err(|e| Error::io(&dir.path, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    crate::sys::fs::make_spread_folders(&dir.path, &SPREAD_FOLDERS);
    Ok(dir)
}

/// The period folder's subfolders that hold a file per projektark or message.
const SPREAD_FOLDERS: [&str; 3] = ["annoteret", "post", "input"];

/// The prefix of a sent period folder moved aside while a re-run takes its place.
const KEEP_PREFIX: &str = ".keep-";

/// The number the next revision of `folder` gets: one more than the highest there.
fn next_revision(folder: &Path) -> u32 {
    std::fs::read_dir(folder.join(REVISIONS))
        .map(|entries| {
            entries.flatten().filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok())).max()
        })
        .ok()
        .flatten()
        .unwrap_or(0)
        .saturating_add(1)
}

/// The `created` time in a period folder's manifest.
fn created_of(folder: &Path) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    let (bytes, _) = crate::sys::fs::read_bounded(&folder.join("manifest.json"), 64 * 1024 * 1024).ok()?;
    #[derive(serde::Deserialize)]
    struct Manifest {
        created: Option<String>,
    }
    let m: Manifest = serde_json::from_slice(&bytes).ok()?;
    chrono::DateTime::parse_from_rfc3339(m.created.as_deref()?).ok()
}

/// Whether the existing folder of `period` had mails sent from it, and so must be kept as
/// a revision when a re-run replaces it: the send ledger holds a sent line, or an intent
/// (a message handed to the server by a run that was then killed), for the period,
/// written by the run that made the folder or later (its lines carry that run's start
/// time, which is the manifest's `created`). A folder whose manifest cannot be read counts
/// as sent when the ledger has any line for the period (keeping too much is harmless).
pub fn revision_plan(output: &Path, period: &str, ledger: &Path) -> Result<Option<Revision>> {
    let folder = output.join(period);
    if !folder.is_dir() {
        return Ok(None);
    }
    let ledger = crate::deliver::ledger::Ledger::load(ledger)?;
    let created = created_of(&folder);
    let counts =
        |e: &&crate::deliver::ledger::LedgerEntry| e.period == period && created.is_none_or(|c| e.sent_at >= c);
    let sent = ledger.entries().iter().filter(counts).count() + ledger.unconfirmed().filter(counts).count();
    Ok((sent > 0).then(|| Revision { number: next_revision(&folder), created: created.map(|c| c.to_rfc3339()), sent }))
}

/// Moves the revisions of the old period folder `aside` into `target`'s (numbers kept,
/// unless taken). Every replacement does this, also of a folder nothing was sent from, so
/// no earlier revision is ever lost. Safe to repeat after a kill.
fn lift_revisions(aside: &Path, target: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(aside.join(REVISIONS)) else { return Ok(()) };
    let into = target.join(REVISIONS);
    std::fs::create_dir_all(&into)
        .map_err(|e| Error::io(&into, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    let mut earlier: Vec<(u32, PathBuf)> =
        entries.flatten().filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path()))).collect();
    earlier.sort();
    for (n, path) in earlier {
        let mut to = into.join(n.to_string());
        if to.exists() {
            to = into.join(next_revision(target).to_string());
        }
        std::fs::rename(&path, &to).map_err(|e| Error::io(&path, t!("Kunne ikke flytte", "Could not move"), e))?;
    }
    let _ = std::fs::remove_dir(aside.join(REVISIONS));
    sync_dir(&into);
    Ok(())
}

/// Moves the old period folder `aside` into `target` as its next revision: first its own
/// revisions ([`lift_revisions`]), then the rest as `tidligere/<N>`. Safe to repeat after
/// a kill (what was moved stays moved). Returns N.
fn keep_revision(aside: &Path, target: &Path) -> Result<u32> {
    lift_revisions(aside, target)?;
    let into = target.join(REVISIONS);
    std::fs::create_dir_all(&into)
        .map_err(|e| Error::io(&into, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    let n = next_revision(target);
    let to = into.join(n.to_string());
    std::fs::rename(aside, &to).map_err(|e| {
        Error::io(aside, t!("Kunne ikke gemme den sendte version", "Could not keep the sent version"), e)
    })?;
    sync_dir(&into);
    Ok(n)
}

/// Removes an old period folder that nothing was sent from, keeping its revisions.
fn drop_replaced(aside: &Path, target: &Path) -> Result<()> {
    lift_revisions(aside, target)?;
    let _ = std::fs::remove_dir_all(aside);
    Ok(())
}

/// Puts a finished build folder in place as `output/period`, replacing an earlier one as
/// a whole. The old folder is moved aside first; it is removed last – or, when mails were
/// sent from it (`keep`, see [`revision_plan`]), kept inside the new folder as
/// `tidligere/<N>`. `recover` puts it back (or keeps it) if the process dies in between.
/// On an error the build folder is still removed when dropped. Returns the folder and the
/// number of the revision kept.
pub fn publish(output: &Path, period: &str, mut built: BuildDir, keep: bool) -> Result<(PathBuf, Option<u32>)> {
    let target = output.join(period);
    let prefix = if keep { KEEP_PREFIX } else { ".old-" };
    let aside = output.join(format!("{prefix}{period}.{}", std::process::id()));
    if target.exists() {
        std::fs::rename(&target, &aside).map_err(|e| {
            Error::io(
                &target,
                t!("Kunne ikke flytte den tidligere periodemappe", "Could not move the earlier period folder"),
                e,
            )
        })?;
    }
    // The subfolders made up front that stayed empty go, as if never made.
    for name in SPREAD_FOLDERS {
        let _ = std::fs::remove_dir(built.path.join(name));
    }
    crate::sys::fault::point("before-publish");
    if let Err(e) = std::fs::rename(&built.path, &target) {
        if aside.exists() {
            let _ = std::fs::rename(&aside, &target);
        }
        return Err(Error::io(
            &target,
            t!("Kunne ikke lægge periodemappen på plads", "Could not put the period folder in place"),
            e,
        ));
    }
    built.published = true;
    crate::sys::fault::point("after-publish-before-revision");
    let mut kept = None;
    if aside.exists() {
        if keep {
            kept = Some(keep_revision(&aside, &target)?);
        } else {
            drop_replaced(&aside, &target)?;
        }
    }
    sync_dir(output);
    Ok((target, kept))
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// After re-running an older period: every newer period's state is folded again from its
/// own observations on top of `state` (the re-run period's), and its history file
/// rewritten (atomically), so each state stays consistent with the folders. The newer
/// periods' other outputs are left as published. Stops at the first newer file that
/// cannot be read (the ones after it build on it), with a note.
pub fn refold_newer(output: &Path, period: &str, mut state: crate::model::history::State) -> Vec<crate::text::Text> {
    let mut notes = Vec::new();
    let mut done = Vec::new();
    for (q, folder) in crate::load::history::later_periods(output, period) {
        let mut file = match crate::load::history::read(&folder, &q) {
            Ok(f) => f,
            Err(_) => {
                let name = crate::model::history::file_name(&q);
                notes.push(t!(
                    "{q}/{name} kunne ikke læses og er ikke opdateret efter genkørslen af {period}; kør {q} igen.",
                    "{q}/{name} could not be read and was not updated after re-running {period}; run {q} again."
                ));
                break;
            }
        };
        file.state = crate::model::history::fold(state, &file.observed);
        file.rebuilt = Some(format!("fold after re-running {period}"));
        let path = folder.join(crate::model::history::file_name(&q));
        if let Err(e) = crate::sys::fs::write_atomic(&path, crate::render::history::render(&file).as_bytes()) {
            let why = e.render(crate::text::Lang::Da);
            let why_en = e.render(crate::text::Lang::En);
            notes.push(t!(
                "Historikken for {q} kunne ikke opdateres efter genkørslen af {period}: {why}",
                "The history of {q} could not be updated after re-running {period}: {why_en}"
            ));
            break;
        }
        state = file.state;
        done.push(q);
    }
    if !done.is_empty() {
        let list = done.join(", ");
        notes.push(t!(
            "Historikken for de nyere perioder {list} er opdateret med genkørslen af {period} (deres øvrige filer er uændrede).",
            "The history of the newer periods {list} was updated with the re-run of {period} (their other files are unchanged)."
        ));
    }
    notes
}

/// The newest period folder before `period` that holds a findings JSON, with that file.
pub fn previous_findings(output: &Path, period: &str) -> Option<(String, PathBuf)> {
    crate::load::history::earlier_periods(output, period).into_iter().rev().find_map(|(p, folder)| {
        let file = folder.join(crate::render::json::file_name(&p));
        file.is_file().then_some((p, file))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_refused_and_a_stale_one_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let (held, _) = lock(dir.path(), "now").unwrap();
        let err = lock(dir.path(), "now").unwrap_err();
        assert!(err.render(crate::text::Lang::Da).contains("En anden kørsel"), "{}", err.render(crate::text::Lang::Da));
        drop(held);
        assert!(!dir.path().join(LOCK_FILE).exists());
        // A lock from a process that no longer exists (pid 4294967) is taken over.
        std::fs::write(dir.path().join(LOCK_FILE), format!("pid=4294967\nhost={}\nstarted=then\n", this_host()))
            .unwrap();
        let (taken, note) = lock(dir.path(), "now").unwrap();
        assert_eq!(note.as_deref(), Some("4294967"));
        drop(taken);
    }

    #[test]
    fn a_leftover_lock_naming_a_live_process_is_taken_over() {
        // After a kill -9 the pid in the file may belong to another, live process (here: a
        // child of this test, and this very process; pid reuse) or to another machine
        // name. Only the operating-system lock counts, and nobody holds it.
        let dir = tempfile::tempdir().unwrap();
        let mut child = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        for (pid, host) in [(child.id(), this_host()), (1, this_host()), (child.id(), "another-machine".to_string())] {
            std::fs::write(dir.path().join(LOCK_FILE), format!("pid={pid}\nhost={host}\nstarted=then\n")).unwrap();
            let (held, note) = lock(dir.path(), "now").unwrap();
            assert_eq!(note, Some(pid.to_string()));
            drop(held);
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    #[test]
    fn publish_replaces_as_a_whole_and_recover_restores() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let b1 = build_dir(out, "2026-10").unwrap();
        std::fs::write(b1.join("a.txt"), "first").unwrap();
        publish(out, "2026-10", b1, false).unwrap();
        let b2 = build_dir(out, "2026-10").unwrap();
        std::fs::write(b2.join("b.txt"), "second").unwrap();
        publish(out, "2026-10", b2, false).unwrap();
        // A build folder that is dropped unpublished (an error path) is removed.
        let b3 = build_dir(out, "2026-10").unwrap();
        std::fs::write(b3.join("c.txt"), "third").unwrap();
        let b3_path = b3.to_path_buf();
        drop(b3);
        assert!(!b3_path.exists());
        assert!(!out.join("2026-10/a.txt").exists());
        assert_eq!(std::fs::read_to_string(out.join("2026-10/b.txt")).unwrap(), "second");
        // A run killed after moving the old folder aside: recover puts it back.
        std::fs::rename(out.join("2026-10"), out.join(".old-2026-10.999")).unwrap();
        std::fs::create_dir_all(out.join(".tmp-2026-10.999")).unwrap();
        recover(out).unwrap();
        assert!(out.join("2026-10/b.txt").exists());
        assert!(!out.join(".tmp-2026-10.999").exists());
    }

    #[test]
    fn the_many_file_folders_are_made_up_front_and_go_again_when_empty() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let b = build_dir(out, "2026-10").unwrap();
        let mut made: Vec<String> =
            std::fs::read_dir(&*b).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        made.sort();
        // Exactly the three folders: no temporary name is left behind.
        assert_eq!(made, ["annoteret", "input", "post"]);
        #[cfg(target_os = "linux")]
        {
            // Where the file system keeps the flag (ext4 does, tmpfs does not), the build
            // folder carries it, so its subfolders were spread.
            let flags = |p: &Path| {
                use std::os::fd::AsRawFd;
                let f = std::fs::File::open(p).unwrap();
                let mut v: libc::c_int = 0;
                // SAFETY: reads one int through a valid pointer on an open descriptor.
                let ok = unsafe { libc::ioctl(f.as_raw_fd(), libc::FS_IOC_GETFLAGS, &mut v) } == 0;
                ok.then_some(v)
            };
            let probe = out.join("probe");
            std::fs::create_dir(&probe).unwrap();
            let supported = flags(&probe).is_some_and(|v| {
                let f = std::fs::File::open(&probe).unwrap();
                let with = v | crate::sys::fs::FS_TOPDIR_FL;
                // SAFETY: as above, writing one int.
                unsafe { libc::ioctl(std::os::fd::AsRawFd::as_raw_fd(&f), libc::FS_IOC_SETFLAGS, &with) == 0 }
            });
            if supported {
                assert_ne!(flags(&b).unwrap() & crate::sys::fs::FS_TOPDIR_FL, 0, "the build folder lacks FS_TOPDIR_FL");
            }
        }
        std::fs::write(b.join("post").join("1.eml"), "mail").unwrap();
        let (folder, _) = publish(out, "2026-10", b, false).unwrap();
        // The folder written into stays; the two left empty go, as before they were made.
        assert!(folder.join("post/1.eml").exists());
        assert!(!folder.join("annoteret").exists());
        assert!(!folder.join("input").exists());
    }

    #[test]
    fn a_sent_folder_is_kept_as_a_numbered_revision_also_after_a_kill() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let publish_with = |text: &str, keep: bool| {
            let b = build_dir(out, "2026-10").unwrap();
            std::fs::write(b.join("post.txt"), text).unwrap();
            publish(out, "2026-10", b, keep).unwrap().1
        };
        assert_eq!(publish_with("first, sent", false), None);
        assert_eq!(publish_with("second, sent", true), Some(1));
        assert_eq!(publish_with("third, not sent", true), Some(2));
        // Near miss: a folder nothing was sent from is replaced, no revision.
        assert_eq!(publish_with("fourth", false), None);
        let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
        assert_eq!(read("2026-10/post.txt"), "fourth");
        assert_eq!(read("2026-10/tidligere/1/post.txt"), "first, sent");
        assert_eq!(read("2026-10/tidligere/2/post.txt"), "second, sent");
        assert!(!out.join("2026-10/tidligere/3").exists());
        // Killed between putting the new folder in place and keeping the old one: the next
        // run's recover keeps it, numbered after the others, with its own revisions lifted.
        std::fs::rename(out.join("2026-10"), out.join(".keep-2026-10.999")).unwrap();
        std::fs::create_dir_all(out.join("2026-10")).unwrap();
        std::fs::write(out.join("2026-10/post.txt"), "fifth").unwrap();
        recover(out).unwrap();
        assert_eq!(read("2026-10/post.txt"), "fifth");
        assert_eq!(read("2026-10/tidligere/1/post.txt"), "first, sent");
        assert_eq!(read("2026-10/tidligere/2/post.txt"), "second, sent");
        assert_eq!(read("2026-10/tidligere/3/post.txt"), "fourth");
        assert!(!out.join(".keep-2026-10.999").exists());
        // Killed after moving it aside, before the new one arrived: put back whole.
        std::fs::rename(out.join("2026-10"), out.join(".keep-2026-10.998")).unwrap();
        recover(out).unwrap();
        assert_eq!(read("2026-10/post.txt"), "fifth");
        assert_eq!(read("2026-10/tidligere/3/post.txt"), "fourth");
        // Killed while replacing a folder nothing was sent from: its revisions are kept.
        std::fs::rename(out.join("2026-10"), out.join(".old-2026-10.997")).unwrap();
        std::fs::create_dir_all(out.join("2026-10")).unwrap();
        recover(out).unwrap();
        assert_eq!(read("2026-10/tidligere/1/post.txt"), "first, sent");
        assert!(!out.join(".old-2026-10.997").exists());
    }

    #[test]
    fn previous_period_is_the_newest_earlier_one_with_findings() {
        let dir = tempfile::tempdir().unwrap();
        for p in ["2026-09", "2026-10", "2026-12"] {
            std::fs::create_dir_all(dir.path().join(p)).unwrap();
            std::fs::write(dir.path().join(p).join(format!("fund-{p}.json")), "{}").unwrap();
        }
        std::fs::create_dir_all(dir.path().join("2026-10b")).unwrap();
        assert_eq!(previous_findings(dir.path(), "2026-11").map(|(p, _)| p).as_deref(), Some("2026-10"));
        assert_eq!(previous_findings(dir.path(), "2026-09"), None);
    }
}

/// Whether an e-mail address or host name is one of the examples `init` writes (a
/// reserved `.example` name, RFC 2606, or `example.com/.org/.net/.dk`).
pub fn is_example(s: &str) -> bool {
    let lower = s.trim().trim_end_matches('>').to_lowercase();
    let host = lower.rsplit('@').next().unwrap_or(&lower).trim_end_matches('.');
    let labels: Vec<&str> = host.split('.').collect();
    labels.contains(&"example") || labels.last().is_some_and(|l| *l == "invalid")
}

/// The placeholders still in the working folder: the example sender and mail server in
/// os2gov.toml and example addresses in the styringsmodel's Modtagere. Each is a warning
/// until it is changed (`rules`, `run`).
pub fn placeholders(
    settings: &crate::config::settings::Settings,
    rules: &crate::model::rules::Rules,
) -> Vec<crate::text::Text> {
    let mut out = Vec::new();
    let from = settings.mail.from.trim();
    if is_example(from) {
        out.push(t!(
            "Afsenderen i os2gov.toml ([mail] from = \"{from}\") er et eksempel. Skriv sekretariatets rigtige adresse, før der sendes mails.",
            "The sender in os2gov.toml ([mail] from = \"{from}\") is an example. Write the secretariat's real address before any mail is sent."
        ));
    }
    let host = settings.smtp.host.trim();
    if is_example(host) {
        out.push(t!(
            "Mailserveren i os2gov.toml ([smtp] host = \"{host}\") er et eksempel. Skriv jeres mailserver (og port, security og username), før der sendes mails.",
            "The mail server in os2gov.toml ([smtp] host = \"{host}\") is an example. Write your mail server (and port, security and username) before any mail is sent."
        ));
    }
    let examples: Vec<&str> =
        rules.recipients.iter().filter(|r| r.active && is_example(&r.email)).map(|r| r.email.as_str()).collect();
    if !examples.is_empty() {
        let n = examples.len();
        let list = examples.iter().take(3).copied().collect::<Vec<_>>().join(", ");
        let more = if n > 3 { " …" } else { "" };
        out.push(t!(
            "{n} aktive modtagere i styringsmodellens fane Modtagere har en eksempeladresse ({list}{more}). Skriv bestyrelsens og sekretariatets rigtige adresser, før der sendes mails.",
            "{n} active recipients in the styringsmodel's Modtagere sheet have an example address ({list}{more}). Write the real addresses of the board and the secretariat before any mail is sent."
        ));
    }
    out
}

#[cfg(test)]
mod example_tests {
    use super::is_example;

    #[test]
    fn example_addresses_and_hosts_are_recognised() {
        for s in [
            "sekretariat@os2.example",
            "OS2 <sekretariat@os2.example>",
            "smtp.example.dk",
            "a@example.com",
            "x@y.invalid",
        ] {
            assert!(is_example(s), "{s}");
        }
        // Near misses: real-looking names that merely contain the letters.
        for s in
            ["sekretariat@os2.dk", "smtp.os2.dk", "anne@examples.dk", "mail.exampleby.dk", "127.0.0.1", "localhost"]
        {
            assert!(!is_example(s), "{s}");
        }
    }
}
