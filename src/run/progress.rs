//! Telling the user what is going on while a run works: a progress bar on stderr when it
//! is a terminal (never under `-q`, `--no-progress` or when output is piped, e.g. in CI
//! or cron), and one line per stage under `-v`. A sink: the only place that prints during
//! a run.

use crate::config::settings::{Terminal, Verbosity};
use crate::text::{Lang, Text};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Write};

pub struct Progress {
    lang: Lang,
    verbose: bool,
    timings: bool,
    bars: bool,
    start: std::time::Instant,
}

impl Progress {
    pub fn new(terminal: &Terminal, lang: Lang) -> Progress {
        Progress {
            lang,
            verbose: terminal.verbosity >= Verbosity::Verbose,
            timings: terminal.verbosity >= Verbosity::Debug,
            start: std::time::Instant::now(),
            bars: terminal.progress && terminal.verbosity > Verbosity::Quiet && std::io::stderr().is_terminal(),
        }
    }

    /// A line for `-v`; with `-vv` prefixed by the time since the run started.
    pub fn stage(&self, text: &Text) {
        if !self.verbose {
            return;
        }
        let mut line = format!("· {}", text.get(self.lang));
        if self.timings {
            line = format!("[{:>6.2} s] {line}", self.start.elapsed().as_secs_f64());
        }
        let _ = writeln!(std::io::stderr(), "{line}");
    }

    /// A bar over `len` items, hidden unless bars are on.
    pub fn bar(&self, len: usize, label: &Text) -> ProgressBar {
        if !self.bars || len < 2 {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(label.get(self.lang).to_string());
        bar
    }
}
