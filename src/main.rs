//! The `os2gov` binary: parse arguments, resolve settings, run the command, print what it
//! returned and exit with its code. All logic lives in the library.

use os2gov::cli::{args, resolve};
use os2gov::commands::execute;
use os2gov::commands::outcome::Exit;
use os2gov::error::Error;
use os2gov::text::{Lang, terminal_safe};
use std::io::Write;
use std::process::ExitCode;

/// mimalloc instead of glibc's malloc: the batch allocates and frees many small strings per
/// cell and per part; see README "Performance".
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fail(e: &Error, lang: Lang) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "os2gov: {}", terminal_safe(&e.render(lang)));
    ExitCode::from(Exit::Failed as u8)
}

fn main() -> ExitCode {
    // mimalloc asks the kernel for transparent huge pages for its arenas; a run touches many
    // 2 MB pages only in part, and each is zeroed whole on first touch. Without them the
    // batch's peak memory at 1,000 projektark is 160 MB instead of 245 MB, for the same
    // time (README "Performance"). It applies to this process (and would to any it
    // started; it starts none).
    #[cfg(target_os = "linux")]
    {
        let (on, unused): (libc::c_ulong, libc::c_ulong) = (1, 0);
        // SAFETY: PR_SET_THP_DISABLE only sets a flag of the calling process; no pointers.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, on, unused, unused, unused);
        }
    }
    os2gov::sys::panic_guard::install_hook();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let cli = match args::parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout as clap renders them; errors in the user's language.
            if e.use_stderr() {
                let _ =
                    write!(std::io::stderr(), "{}", terminal_safe(&args::render_error(&e, args::wants_english(&args))));
                return ExitCode::from(Exit::Failed as u8);
            }
            let _ = e.print();
            return ExitCode::from(0);
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let (settings, request) = match resolve::resolve(&cli, &cwd) {
        Ok(resolved) => resolved,
        Err(e) => return fail(&e, resolve::cli_lang(&cli).unwrap_or_default()),
    };
    match execute(&settings, &request) {
        Ok(outcome) => {
            // Text from workbooks, file names and Markdown files reaches the terminal here:
            // control characters (escape sequences) are dropped.
            let _ = std::io::stdout().write_all(terminal_safe(&outcome.stdout).as_bytes());
            let _ = std::io::stderr().write_all(terminal_safe(&outcome.stderr).as_bytes());
            ExitCode::from(outcome.exit as u8)
        }
        Err(e) => fail(&e, settings.lang),
    }
}
