//! Test-only fault injection, compiled only into debug builds (`cfg(debug_assertions)`:
//! `cargo build`, `cargo test`), never into an optimised one (`cargo build --release`,
//! `cargo install`, the binary `cargo test --release` builds) – `.ci/run` and
//! `tests/it/faults.rs` check that. When `OS2GOV_FAULT` names a point, the process exits
//! there at once (as a kill would), so tests can prove that a crash at any stage leaves
//! the previous good state; `OS2GOV_FAULT=disk-full` makes file writes fail as on a full
//! disk (after the first three), to prove that every error path cleans up.

/// Exits the process with code 99 when `OS2GOV_FAULT` equals `name`.
#[cfg(debug_assertions)]
pub fn point(name: &str) {
    if std::env::var("OS2GOV_FAULT").is_ok_and(|v| v == name) {
        std::process::exit(99);
    }
}

/// Does nothing: fault injection is not compiled into optimised builds.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn point(_name: &str) {}

/// A simulated full disk for a file write, when `OS2GOV_FAULT=disk-full` (the first three
/// writes succeed, so a partly written build folder exists).
#[cfg(debug_assertions)]
pub fn disk_full() -> std::io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    if std::env::var("OS2GOV_FAULT").is_ok_and(|v| v == "disk-full") && WRITES.fetch_add(1, Ordering::SeqCst) >= 3 {
        return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
    }
    Ok(())
}

/// Never fails: fault injection is not compiled into optimised builds.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub fn disk_full() -> std::io::Result<()> {
    Ok(())
}
