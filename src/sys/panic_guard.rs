//! Turns panics inside third-party readers and writers into ordinary failures, and keeps
//! the default panic hook from dumping Rust internals on users. Must not be used to hide
//! bugs in os2gov's own logic: only wrap calls into libraries that parse untrusted files.

use std::cell::Cell;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    static GUARDED: Cell<u32> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();
/// Set by the binary: outside [`catch`], print a plain message instead of the default dump.
static FRIENDLY: AtomicBool = AtomicBool::new(false);

/// For the binary: panics outside [`catch`] print a short, plain message instead of a
/// debug dump (set `OS2GOV_DEBUG=1` for the dump).
pub fn install_hook() {
    FRIENDLY.store(true, Ordering::Relaxed);
    install_silencer();
}

/// Installs (once) the hook that keeps guarded panics silent and passes all others on to
/// the previous hook – or, in the binary, to the plain message.
fn install_silencer() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) > 0 {
                return;
            }
            if !FRIENDLY.load(Ordering::Relaxed) || std::env::var_os("OS2GOV_DEBUG").is_some() {
                previous(info);
                return;
            }
            let place = info
                .location()
                .map(|l| format!(" ({}:{})", l.file(), l.line()))
                .unwrap_or_default();
            // The hook is a sink: it runs instead of the default one.
            let _ = writeln!(
                std::io::stderr(),
                "os2gov: intern fejl{place}. Det er en fejl i os2gov, ikke i jeres filer – send venligst denne besked til udviklerne.\n\
                 os2gov: internal error{place}. This is a bug in os2gov, not in your files – please report it."
            );
        }));
    });
}

/// Runs `f`; a panic inside becomes `Err(message)`.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_silencer();
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get() - 1));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_string())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_an_error() {
        let r: Result<(), String> = super::catch(|| panic!("boom"));
        assert_eq!(r, Err("boom".to_string()));
        assert_eq!(super::catch(|| 5), Ok(5));
    }
}
