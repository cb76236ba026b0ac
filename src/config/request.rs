//! What the user asked for, resolved once from the command line (paths absolute, dates
//! parsed, defaults applied) and handed to the command as it is: one struct per command,
//! no clap types. The batch takes [`Run`] itself.

use crate::model::finding::Severity;
use chrono::NaiveDate;
use std::path::PathBuf;

/// One command and its options.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    Init(Init),
    Rules,
    Check(Check),
    Template(Template),
    Annotate(Annotate),
    Digest(Digest),
    Run(Run),
    Import(Import),
    Report(Report),
    Historik(Historik),
}

/// `os2gov init DIR`.
#[derive(Clone, Debug, PartialEq)]
pub struct Init {
    pub dir: PathBuf,
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// `os2gov check [PATH…]`. `fail_on: None` is `never`.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub paths: Vec<PathBuf>,
    pub format: Format,
    pub fail_on: Option<Severity>,
    pub previous: Option<PathBuf>,
}

/// `os2gov template [-o FILE] [--id ID]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub output: PathBuf,
    pub id: Option<String>,
    pub force: bool,
}

/// `os2gov annotate [PATH…] -o DIR`.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotate {
    pub paths: Vec<PathBuf>,
    pub output: PathBuf,
    pub fail_on: Option<Severity>,
    /// Also overwrite files that are not os2gov's annotated copies (e.g. a lead's own).
    pub force: bool,
}

/// `os2gov digest [--meeting DATE] [-o DIR]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Digest {
    pub meeting: Option<NaiveDate>,
    /// Accept a meeting date that is not in Bestyrelsesmøder.
    pub force_meeting: bool,
    pub output: PathBuf,
}

/// `os2gov run [--period P] [--send] …`: what the monthly batch is asked to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub period: String,
    pub send: bool,
    pub resend: bool,
    pub meeting: Option<NaiveDate>,
    /// Accept a meeting date that is not in Bestyrelsesmøder.
    pub force_meeting: bool,
    pub fail_on: Option<Severity>,
}

/// `os2gov import FILE… [-o DIR] [--id ID]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub files: Vec<PathBuf>,
    pub output: PathBuf,
    pub id: Option<String>,
    pub force: bool,
}

/// `os2gov report PROJEKTARK [-o FILE.md]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub projektark: PathBuf,
    pub output: Option<PathBuf>,
    pub force: bool,
}

/// `os2gov historik PROJEKT-ID [--period YYYY-MM]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Historik {
    pub project: String,
    pub period: Option<String>,
}
