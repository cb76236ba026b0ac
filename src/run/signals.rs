//! Ctrl-C (SIGINT) and SIGTERM while mails are being sent: the first signal asks the
//! sending loop to stop after the message in flight (which is finished and recorded in the
//! ledger), so an interrupted `--send` never leaves a message half-recorded; a second
//! signal ends the process at once, as without this module. Unix only; elsewhere the
//! default behaviour stays (the ledger's intent lines still bound the damage).

use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

/// While alive, SIGINT and SIGTERM request a stop instead of ending the process; the
/// previous handlers come back when it is dropped.
pub struct StopOnSignal {
    #[cfg(unix)]
    previous: Vec<(libc::c_int, libc::sigaction)>,
}

#[cfg(unix)]
extern "C" fn on_signal(sig: libc::c_int) {
    // Async-signal-safe only: an atomic swap, and on a second signal signal() + raise().
    if STOP.swap(true, Ordering::SeqCst) {
        // SAFETY: both are async-signal-safe; the default action ends the process.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }
}

impl StopOnSignal {
    /// Installs the handlers (with `SA_RESTART`, so the message in flight is not cut by
    /// an interrupted system call) and clears any earlier request.
    pub fn install() -> StopOnSignal {
        STOP.store(false, Ordering::SeqCst);
        #[cfg(unix)]
        {
            let mut previous = Vec::new();
            for sig in [libc::SIGINT, libc::SIGTERM] {
                // SAFETY: a zeroed sigaction is a valid starting value; the handler only
                // touches an atomic and async-signal-safe functions; `old` receives the
                // previous action, restored on drop.
                unsafe {
                    let mut action: libc::sigaction = std::mem::zeroed();
                    action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
                    action.sa_flags = libc::SA_RESTART;
                    libc::sigemptyset(&mut action.sa_mask);
                    let mut old: libc::sigaction = std::mem::zeroed();
                    if libc::sigaction(sig, &action, &mut old) == 0 {
                        previous.push((sig, old));
                    }
                }
            }
            StopOnSignal { previous }
        }
        #[cfg(not(unix))]
        StopOnSignal {}
    }

    /// Whether a stop was requested since [`StopOnSignal::install`].
    pub fn requested(&self) -> bool {
        STOP.load(Ordering::SeqCst)
    }
}

impl Drop for StopOnSignal {
    fn drop(&mut self) {
        #[cfg(unix)]
        for (sig, old) in &self.previous {
            // SAFETY: restores the action saved by `install`.
            unsafe {
                libc::sigaction(*sig, old, std::ptr::null_mut());
            }
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_signal_requests_a_stop_instead_of_ending_the_process() {
        let guard = StopOnSignal::install();
        assert!(!guard.requested());
        // SAFETY: raises SIGTERM in this process, whose handler is installed above.
        unsafe {
            libc::raise(libc::SIGTERM);
        }
        assert!(guard.requested(), "the handler ran and the process is still here");
        drop(guard);
        STOP.store(false, Ordering::SeqCst);
    }
}
