//! What a command hands back: text for stdout and stderr, and the exit code. Nothing
//! here prints; `main` writes it out.

use crate::check::report::Report;
use crate::config::settings::Settings;
use crate::model::finding::{Finding, Severity};

/// Exit codes (README, "Commands").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Done; nothing at or above `--fail-on`.
    Ok = 0,
    /// Findings at or above `--fail-on`.
    Findings = 1,
    /// The tool could not do its job.
    Failed = 2,
    /// Done, but some intake workbooks could not be read.
    Unreadable = 3,
}

/// What a command produced for the terminal.
#[derive(Debug)]
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub exit: Exit,
}

impl Outcome {
    pub fn ok(stdout: String) -> Outcome {
        Outcome { stdout, stderr: String::new(), exit: Exit::Ok }
    }
}

impl Outcome {
    /// Adds the styringsmodel's warnings (e.g. `GOV-REVISION-DUE`) to stderr (not under
    /// `-q`, which shows errors only).
    pub fn with_warnings(mut self, warnings: &[Finding], settings: &Settings) -> Outcome {
        if settings.terminal.quiet() {
            return self;
        }
        let lang = settings.lang;
        for w in warnings {
            self.stderr.push_str(&format!("{} {}: {}\n", w.severity.label(lang), w.code, w.message.get(lang)));
        }
        self
    }

    /// Under `-q`, stdout is cut to its first line (the one-line summary of commands
    /// whose first line says what was done).
    pub fn quiet_first_line(mut self, settings: &Settings) -> Outcome {
        if settings.terminal.quiet() {
            let first = self.stdout.lines().next().unwrap_or("").to_string();
            self.stdout = if first.is_empty() { String::new() } else { format!("{first}\n") };
        }
        self
    }
}

/// The exit code for a finished run: 3 when a workbook could not be read, else 1 when
/// something is at or above `fail_on`, else 0.
pub fn exit_for(report: &Report, fail_on: Option<Severity>) -> Exit {
    if !report.unreadable.is_empty() {
        Exit::Unreadable
    } else if matches!((report.worst(), fail_on), (Some(w), Some(t)) if w >= t) {
        Exit::Findings
    } else {
        Exit::Ok
    }
}
