//! The tool's own failures: things that stop os2gov from doing its job (exit code 2).
//! Problems in users' workbooks are findings, not errors. Every error names the file (and
//! sheet/cell where there is one) and says what to do.

use crate::model::finding::Finding;
use crate::sys::fs::FsError;
use crate::text::{Lang, Text, t};
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub enum Error {
    /// os2gov.toml (or a command-line value) is wrong.
    Config { file: Option<PathBuf>, message: Text },
    /// The styringsmodel is unreadable or invalid; all its problems.
    Rules { file: PathBuf, findings: Vec<Finding> },
    /// Reading or writing a file or folder failed.
    Io(FsError),
    /// Building a workbook failed.
    Xlsx { path: PathBuf, message: String },
    /// A command was used in a way that cannot work (e.g. a non-empty folder for init).
    Usage(Text),
    /// Building or sending mail failed (bad address, SMTP server, TLS, login); says what to check.
    Mail { message: Text },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: &Path, action: Text, source: std::io::Error) -> Error {
        Error::Io(FsError::new(path, action, source))
    }

    pub fn xlsx(path: &Path, e: rust_xlsxwriter::XlsxError) -> Error {
        Error::Xlsx { path: path.to_path_buf(), message: e.to_string() }
    }

    /// The full message for people, in their language.
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Error::Config { file, message } => match file {
                Some(file) => {
                    let file = file.display();
                    t!("Konfigurationsfejl i {file}: ", "Configuration error in {file}: ").get(lang).to_string()
                        + message.get(lang)
                }
                None => message.get(lang).to_string(),
            },
            Error::Rules { file, findings } => {
                let (file, n) = (
                    file.display(),
                    findings.iter().filter(|f| f.severity == crate::model::finding::Severity::Error).count(),
                );
                let mut out = t!(
                    "Styringsmodellen {file} kan ikke bruges ({n} fejl). Ret følgende og kør igen:",
                    "The styringsmodel {file} cannot be used ({n} error(s)). Fix the following and run again:",
                )
                .get(lang)
                .to_string();
                for f in findings {
                    let place = f.location.a1();
                    let place = if place.is_empty() { String::new() } else { format!(" {place}") };
                    out.push_str(&format!("\n  {} {}{place}: {}", f.severity.label(lang), f.code, f.message.get(lang)));
                }
                out
            }
            Error::Io(e) => e.render(lang),
            Error::Xlsx { path, message } => {
                let path = path.display();
                t!(
                    "Kunne ikke skrive projektmappen {path}: {message}",
                    "Could not write the workbook {path}: {message}"
                )
                .get(lang)
                .to_string()
            }
            Error::Usage(message) => message.get(lang).to_string(),
            Error::Mail { message } => message.get(lang).to_string(),
        }
    }
}

impl From<FsError> for Error {
    fn from(e: FsError) -> Error {
        Error::Io(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl std::error::Error for Error {}
