//! One validated [`Settings`] from `os2gov.toml` (unknown keys rejected by name; paths
//! relative to the file) overlaid with the command line. The only module that sees clap
//! types after parsing; everything after it works with `Settings` and [`Task`].

use crate::cli::{Cli, Command, FailOnArg, FormatArg, LangArg};
use crate::error::{Error, Result};
use crate::finding::Severity;
use crate::model::value::{format_date, parse_date_text};
use crate::t;
use crate::text::Lang;
use chrono::NaiveDate;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The config file's name in a working folder.
pub const CONFIG_FILE: &str = "os2gov.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    rules: Option<PathBuf>,
    inbox: Option<PathBuf>,
    output: Option<PathBuf>,
    language: Option<String>,
    mail: Option<MailFile>,
    smtp: Option<SmtpFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MailFile {
    from: Option<String>,
    project_leads: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SmtpFile {
    host: Option<String>,
    port: Option<u16>,
    security: Option<String>,
    username: Option<String>,
    timeout_s: Option<u64>,
    ca_file: Option<PathBuf>,
}

/// How to talk to the SMTP server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    StartTls,
    Tls,
    None,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mail {
    pub from: String,
    pub project_leads: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub timeout_s: u64,
    pub ca_file: Option<PathBuf>,
}

/// How much to tell the user while working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
    Debug,
}

/// Everything a command needs to know, resolved once.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    /// The folder relative paths are resolved against.
    pub base_dir: PathBuf,
    pub rules: PathBuf,
    pub inbox: PathBuf,
    pub output: PathBuf,
    pub lang: Lang,
    pub as_of: NaiveDate,
    pub verbosity: Verbosity,
    pub progress: bool,
    pub mail: Mail,
    pub smtp: Smtp,
    /// The folder the user runs os2gov in: paths are shown relative to it.
    pub cwd: PathBuf,
    /// The global options as the user typed them, for the commands os2gov suggests.
    pub given: Given,
}

/// The global options as typed on the command line (paths relative to where the user
/// stands), so a suggested command works when pasted in the same place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Given {
    pub config: Option<String>,
    pub rules: Option<String>,
    pub as_of: Option<String>,
    pub lang: Option<Lang>,
}

/// Output format of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// What the user asked for, without clap types.
#[derive(Clone, Debug, PartialEq)]
pub enum Task {
    Init {
        dir: PathBuf,
    },
    Rules,
    /// `fail_on: None` is `never`.
    Check {
        paths: Vec<PathBuf>,
        format: Format,
        fail_on: Option<Severity>,
        previous: Option<PathBuf>,
    },
    Template {
        output: PathBuf,
        id: Option<String>,
        force: bool,
    },
    Annotate {
        paths: Vec<PathBuf>,
        output: PathBuf,
        fail_on: Option<Severity>,
    },
    Digest {
        meeting: Option<NaiveDate>,
        /// Accept a meeting date that is not in Bestyrelsesmøder.
        force_meeting: bool,
        output: PathBuf,
    },
    Run {
        period: String,
        send: bool,
        resend: bool,
        meeting: Option<NaiveDate>,
        force_meeting: bool,
        fail_on: Option<Severity>,
    },
    Import {
        files: Vec<PathBuf>,
        output: PathBuf,
        id: Option<String>,
        force: bool,
    },
    Report {
        projektark: PathBuf,
        output: Option<PathBuf>,
        force: bool,
    },
}

fn fail_on(arg: FailOnArg) -> Option<Severity> {
    match arg {
        FailOnArg::Error => Some(Severity::Error),
        FailOnArg::Warning => Some(Severity::Warning),
        FailOnArg::Never => None,
    }
}

fn meeting_date(s: &Option<String>) -> Result<Option<NaiveDate>> {
    match s {
        None => Ok(None),
        Some(s) => parse_date_text(s).map(Some).ok_or_else(|| Error::Config {
            file: None,
            message: t!(
                "--meeting '{s}' er ikke en dato. Skriv fx 10-12-2026.",
                "--meeting '{s}' is not a date. Write e.g. 2026-12-10."
            ),
        }),
    }
}

/// Today in Denmark (the users' calendar), whatever the machine's time zone.
pub fn today_in_copenhagen() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Copenhagen).date_naive()
}

/// The language asked for on the command line, if any (used before settings exist).
pub fn cli_lang(cli: &Cli) -> Option<Lang> {
    cli.global.lang.map(|l| match l {
        LangArg::Da => Lang::Da,
        LangArg::En => Lang::En,
    })
}

impl Settings {
    /// Reads the config file (if any) and overlays the command line.
    pub fn resolve(cli: &Cli, cwd: &Path) -> Result<(Settings, Task)> {
        let explicit = cli.global.config.clone();
        let config_path = explicit.clone().unwrap_or_else(|| PathBuf::from(CONFIG_FILE));
        let config_path = if config_path.is_absolute() { config_path } else { cwd.join(config_path) };
        let (file, config_file) = match std::fs::read_to_string(&config_path) {
            Ok(text) => (parse_config(&text, &config_path)?, Some(config_path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => (ConfigFile::default(), None),
            Err(e) => {
                return Err(Error::io(
                    &config_path,
                    t!("Kunne ikke læse konfigurationsfilen", "Could not read the configuration file"),
                    e,
                ));
            }
        };
        let base_dir =
            config_file.as_ref().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or_else(|| cwd.to_path_buf());
        let rel = |p: PathBuf| if p.is_absolute() { p } else { base_dir.join(p) };

        let lang = match (cli_lang(cli), &file.language) {
            (Some(l), _) => l,
            (None, Some(s)) => Lang::parse(s).ok_or_else(|| Error::Config {
                file: config_file.clone(),
                message: t!(
                    "language = \"{s}\" kendes ikke; brug \"da\" eller \"en\".",
                    "language = \"{s}\" is unknown; use \"da\" or \"en\"."
                ),
            })?,
            (None, None) => Lang::Da,
        };
        let as_of = match &cli.global.as_of {
            Some(s) => parse_date_text(s).ok_or_else(|| Error::Config {
                file: None,
                message: t!(
                    "--as-of '{s}' er ikke en dato. Skriv fx 26-11-2026 eller 2026-11-26.",
                    "--as-of '{s}' is not a date. Write e.g. 2026-11-26 or 26-11-2026."
                ),
            })?,
            None => today_in_copenhagen(),
        };
        let rules = match &cli.global.rules {
            Some(p) => {
                if p.is_absolute() {
                    p.clone()
                } else {
                    cwd.join(p)
                }
            }
            None => rel(file.rules.clone().unwrap_or_else(|| PathBuf::from("styringsmodel.xlsx"))),
        };
        let mail_file = file.mail.unwrap_or_default();
        let smtp_file = file.smtp.unwrap_or_default();
        let security = match smtp_file.security.as_deref().map(str::trim).map(str::to_lowercase).as_deref() {
            None | Some("starttls") => Security::StartTls,
            Some("tls") => Security::Tls,
            Some("none") => Security::None,
            Some(other) => {
                return Err(Error::Config {
                    file: config_file,
                    message: t!(
                        "[smtp] security = \"{other}\" kendes ikke; brug \"starttls\", \"tls\" eller \"none\".",
                        "[smtp] security = \"{other}\" is unknown; use \"starttls\", \"tls\" or \"none\"."
                    ),
                });
            }
        };
        let verbosity = if cli.global.quiet {
            Verbosity::Quiet
        } else {
            match cli.global.verbose {
                0 => Verbosity::Normal,
                1 => Verbosity::Verbose,
                _ => Verbosity::Debug,
            }
        };
        let settings = Settings {
            config_file: config_file.clone(),
            rules,
            inbox: rel(file.inbox.unwrap_or_else(|| PathBuf::from("indsendt"))),
            output: rel(file.output.unwrap_or_else(|| PathBuf::from("ud"))),
            lang,
            as_of,
            verbosity,
            progress: !cli.global.no_progress && !cli.global.quiet,
            mail: Mail {
                from: mail_file.from.unwrap_or_else(|| "OS2-sekretariatet <sekretariat@os2.example>".to_string()),
                project_leads: mail_file.project_leads.unwrap_or(true),
            },
            smtp: Smtp {
                host: smtp_file.host.unwrap_or_default(),
                port: smtp_file.port.unwrap_or(587),
                security,
                username: smtp_file.username.unwrap_or_default(),
                timeout_s: smtp_file.timeout_s.unwrap_or(30),
                ca_file: smtp_file.ca_file.filter(|p| !p.as_os_str().is_empty()).map(rel),
            },
            base_dir,
            cwd: cwd.to_path_buf(),
            given: Given {
                config: cli.global.config.as_ref().map(|p| p.to_string_lossy().into_owned()),
                rules: cli.global.rules.as_ref().map(|p| p.to_string_lossy().into_owned()),
                as_of: cli.global.as_of.clone(),
                lang: cli_lang(cli),
            },
        };
        let task = match &cli.command {
            Command::Init { dir } => Task::Init { dir: if dir.is_absolute() { dir.clone() } else { cwd.join(dir) } },
            Command::Rules => Task::Rules,
            Command::Check { paths, format, fail_on, previous } => Task::Check {
                paths: if paths.is_empty() {
                    vec![settings.inbox.clone()]
                } else {
                    paths.iter().map(|p| abs(cwd, p)).collect()
                },
                format: match format {
                    FormatArg::Text => Format::Text,
                    FormatArg::Json => Format::Json,
                },
                fail_on: match fail_on {
                    FailOnArg::Error => Some(Severity::Error),
                    FailOnArg::Warning => Some(Severity::Warning),
                    FailOnArg::Never => None,
                },
                previous: previous.as_ref().map(|p| abs(cwd, p)),
            },
            Command::Annotate { paths, output, fail_on: f } => Task::Annotate {
                paths: if paths.is_empty() {
                    vec![settings.inbox.clone()]
                } else {
                    paths.iter().map(|p| abs(cwd, p)).collect()
                },
                output: abs(cwd, output),
                fail_on: fail_on(*f),
            },
            Command::Digest { meeting, output, force_meeting } => Task::Digest {
                meeting: meeting_date(meeting)?,
                force_meeting: *force_meeting,
                output: match output {
                    Some(o) => abs(cwd, o),
                    None => settings.output.join(format!("udkast-{}", settings.as_of.format("%Y-%m"))),
                },
            },
            Command::Run { period, send, resend, meeting, force_meeting, fail_on: f } => {
                let period = period.clone().unwrap_or_else(|| settings.as_of.format("%Y-%m").to_string());
                if !crate::workdir::is_period(&period) {
                    return Err(Error::Config {
                        file: None,
                        message: t!(
                            "--period '{period}' skal skrives ÅÅÅÅ-MM, fx 2026-11.",
                            "--period '{period}' must be written YYYY-MM, e.g. 2026-11."
                        ),
                    });
                }
                Task::Run {
                    period,
                    send: *send,
                    resend: *resend,
                    meeting: meeting_date(meeting)?,
                    force_meeting: *force_meeting,
                    fail_on: fail_on(*f),
                }
            }
            Command::Import { files, output, id, force } => {
                if let Some(id) = id {
                    check_id(id)?;
                }
                Task::Import {
                    files: files.iter().map(|p| abs(cwd, p)).collect(),
                    output: output.as_ref().map(|o| abs(cwd, o)).unwrap_or_else(|| settings.inbox.clone()),
                    id: id.clone(),
                    force: *force,
                }
            }
            Command::Report { projektark, output, force } => Task::Report {
                projektark: abs(cwd, projektark),
                output: output.as_ref().map(|o| abs(cwd, o)),
                force: *force,
            },
            Command::Template { output, id, force } => {
                if let Some(id) = id
                    && !crate::model::value::project_id_is_valid(id)
                {
                    return Err(Error::Config {
                        file: None,
                        message: t!(
                            "--id '{id}' er ikke et gyldigt Projekt-ID: brug bogstaver, tal, - og _ (højst 64 tegn).",
                            "--id '{id}' is not a valid Projekt-ID: use letters, digits, - and _ (at most 64 characters)."
                        ),
                    });
                }
                let default = match id {
                    Some(id) => PathBuf::from(format!("{}.xlsx", crate::model::value::safe_file_stem(id))),
                    None => PathBuf::from("projektark.xlsx"),
                };
                let output = output.clone().unwrap_or(default);
                Task::Template {
                    output: if output.is_absolute() { output } else { cwd.join(output) },
                    id: id.clone(),
                    force: *force,
                }
            }
        };
        Ok((settings, task))
    }

    pub fn as_of_text(&self) -> String {
        format_date(self.as_of)
    }

    /// True under `-q`: errors and a one-line summary only.
    pub fn quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    /// A path as the user should type it from where they stand: relative to the current
    /// folder (with `..` for a folder beside it), absolute when that is shorter to read.
    pub fn shown(&self, path: &Path) -> String {
        shown_from(&self.cwd, path)
    }

    /// `os2gov <args…>` with the global options the user gave (`--config`, `--rules`,
    /// `--as-of`, `--lang`), quoted for a shell where needed, so it can be pasted as is.
    pub fn command(&self, args: &[&str]) -> String {
        let mut words: Vec<String> = vec!["os2gov".into()];
        words.extend(args.iter().map(|a| a.to_string()));
        let g = &self.given;
        for (flag, value) in [("--config", &g.config), ("--rules", &g.rules), ("--as-of", &g.as_of)].into_iter() {
            if let Some(v) = value {
                words.push(flag.to_string());
                words.push(v.clone());
            }
        }
        if let Some(l) = g.lang {
            words.push("--lang".into());
            words.push(l.code().to_string());
        }
        words.iter().map(|w| shell_word(w)).collect::<Vec<_>>().join(" ")
    }
}

/// `path` relative to `cwd` when it lies under it or at most two folders up, else as is.
pub fn shown_from(cwd: &Path, path: &Path) -> String {
    use std::path::Component;
    let show = |p: &Path| p.to_string_lossy().replace('\\', "/");
    if let Ok(rel) = path.strip_prefix(cwd) {
        return if rel.as_os_str().is_empty() { ".".to_string() } else { show(rel) };
    }
    let (a, b): (Vec<Component>, Vec<Component>) = (cwd.components().collect(), path.components().collect());
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let ups = a.len().saturating_sub(common);
    // Only a sibling or a near relative reads better relative; and never across roots.
    if common <= 1 || ups > 2 || !path.is_absolute() {
        return show(path);
    }
    let mut rel = PathBuf::new();
    for _ in 0..ups {
        rel.push("..");
    }
    for c in &b[common..] {
        rel.push(c.as_os_str());
    }
    show(&rel)
}

/// A word for a POSIX shell: as is when it is plain, else in single quotes.
pub(crate) fn shell_word(w: &str) -> String {
    let plain = !w.is_empty()
        && w.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | ',' | '+' | '@'));
    if plain { w.to_string() } else { format!("'{}'", w.replace('\'', "'\\''")) }
}

/// A Projekt-ID given on the command line must be one the projektark accepts.
fn check_id(id: &str) -> Result<()> {
    if crate::model::value::project_id_is_valid(id) {
        return Ok(());
    }
    Err(Error::Config {
        file: None,
        message: t!(
            "--id '{id}' er ikke et gyldigt Projekt-ID: brug bogstaver, tal, - og _ (højst 64 tegn).",
            "--id '{id}' is not a valid Projekt-ID: use letters, digits, - and _ (at most 64 characters)."
        ),
    })
}

fn abs(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) }
}

fn parse_config(text: &str, path: &Path) -> Result<ConfigFile> {
    toml::from_str::<ConfigFile>(text).map_err(|e| {
        let line = e
            .span()
            .map(|span| text.as_bytes()[..span.start.min(text.len())].iter().filter(|b| **b == b'\n').count() + 1)
            .unwrap_or(0);
        let detail = e.message().to_string();
        let message = if let Some(rest) = detail.strip_prefix("unknown field `") {
            let key = rest.split('`').next().unwrap_or(rest);
            t!(
                "ukendt nøgle '{key}' (linje {line}). Tilladte nøgler: rules, inbox, output, language, [mail] from, project_leads, [smtp] host, port, security, username, timeout_s, ca_file.",
                "unknown key '{key}' (line {line}). Allowed keys: rules, inbox, output, language, [mail] from, project_leads, [smtp] host, port, security, username, timeout_s, ca_file."
            )
        } else {
            t!("linje {line}: {detail}", "line {line}: {detail}")
        };
        Error::Config { file: Some(path.to_path_buf()), message }
    })
}

/// The commented `os2gov.toml` that `init` writes.
pub const CONFIG_TEMPLATE: &str = r#"# os2gov – konfiguration for denne arbejdsmappe.
# Stier er relative til denne fil. Alle nøgler er valgfrie; fjernes en, gælder standarden.

rules = "styringsmodel.xlsx"   # styringsmodellen (reglerne som data)
inbox = "indsendt"             # mappen med de indsendte projektark (undermapper er tilladt)
output = "ud"                  # her lægges en mappe pr. måned, fx ud/2026-11
language = "da"                # da | en

[mail]
from = "OS2-sekretariatet <sekretariat@os2.example>"
project_leads = true           # send også hver projektleder sit annoterede projektark

[smtp]                         # bruges kun med --send
host = "smtp.example.dk"
port = 587
security = "starttls"          # starttls | tls | none (none kun til localhost/127.0.0.1)
username = ""                  # adgangskoden læses kun fra miljøvariablen OS2GOV_SMTP_PASSWORD
timeout_s = 30
ca_file = ""                   # ekstra rodcertifikat (PEM) til en privat mailserver
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn cli(args: &[&str]) -> Cli {
        Cli::parse_from(std::iter::once("os2gov").chain(args.iter().copied()))
    }

    #[test]
    fn template_config_parses_and_paths_are_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), CONFIG_TEMPLATE).unwrap();
        let config = dir.path().join(CONFIG_FILE);
        let (s, task) = Settings::resolve(
            &cli(&["--config", config.to_str().unwrap(), "--as-of", "2026-11-26", "rules"]),
            Path::new("/elsewhere"),
        )
        .unwrap();
        assert_eq!(task, Task::Rules);
        assert_eq!(s.rules, dir.path().join("styringsmodel.xlsx"));
        assert_eq!(s.inbox, dir.path().join("indsendt"));
        assert_eq!(s.smtp.port, 587);
        assert_eq!(s.smtp.ca_file, None);
        assert_eq!(s.as_of, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    }

    #[test]
    fn paths_are_shown_from_where_the_user_stands() {
        let cwd = Path::new("/home/anna/repo");
        assert_eq!(shown_from(cwd, Path::new("/home/anna/repo/samples/ud/2026-11")), "samples/ud/2026-11");
        assert_eq!(shown_from(cwd, Path::new("/home/anna/repo")), ".");
        assert_eq!(shown_from(cwd, Path::new("/home/anna/other/ud")), "../other/ud");
        assert_eq!(shown_from(cwd, Path::new("/srv/os2/ud")), "/srv/os2/ud");
    }

    #[test]
    fn suggested_commands_carry_the_options_given() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        let (s, _) = Settings::resolve(
            &cli(&["--config", "os2gov.toml", "--as-of", "26. november 2026", "--lang", "en", "run"]),
            dir.path(),
        )
        .unwrap();
        assert_eq!(
            s.command(&["run", "--send"]),
            "os2gov run --send --config os2gov.toml --as-of '26. november 2026' --lang en"
        );
        let (s, _) = Settings::resolve(&cli(&["run"]), dir.path()).unwrap();
        assert_eq!(s.command(&["run", "--send"]), "os2gov run --send");
    }

    #[test]
    fn unknown_key_is_named() {
        let err = parse_config("rules = \"x.xlsx\"\nrulez = 1\n", Path::new("os2gov.toml")).unwrap_err();
        let text = err.render(Lang::Da);
        assert!(text.contains("ukendt nøgle 'rulez' (linje 2)"), "{text}");
        let err = parse_config("[smtp]\nhots = \"x\"\n", Path::new("os2gov.toml")).unwrap_err();
        assert!(err.render(Lang::En).contains("unknown key 'hots'"));
    }

    #[test]
    fn without_a_config_file_the_defaults_apply() {
        let dir = tempfile::tempdir().unwrap();
        let (s, _) = Settings::resolve(
            &cli(&["--rules", "model.xlsx", "--lang", "en", "--as-of", "1. maj 2026", "rules"]),
            dir.path(),
        )
        .unwrap();
        assert_eq!(s.config_file, None);
        assert_eq!(s.rules, dir.path().join("model.xlsx"));
        assert_eq!(s.output, dir.path().join("ud"));
        assert_eq!(s.lang, Lang::En);
        assert_eq!(s.as_of, NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
    }

    #[test]
    fn an_explicit_missing_config_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Settings::resolve(&cli(&["--config", "nope.toml", "rules"]), dir.path()).is_err());
    }

    #[test]
    fn bad_values_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "language = \"de\"\n").unwrap();
        let err = Settings::resolve(&cli(&["rules"]), dir.path()).unwrap_err();
        assert!(err.render(Lang::Da).contains("language = \"de\" kendes ikke"));
        std::fs::write(dir.path().join(CONFIG_FILE), "language = \"da\"\n").unwrap();
        let err = Settings::resolve(
            &cli(&["--config", dir.path().join(CONFIG_FILE).to_str().unwrap(), "--as-of", "i går", "rules"]),
            dir.path(),
        )
        .unwrap_err();
        assert!(err.render(Lang::En).contains("--as-of 'i går' is not a date"));
    }
}
