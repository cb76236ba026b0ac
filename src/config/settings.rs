//! One validated [`Settings`] from `os2gov.toml` (unknown keys rejected by name; paths
//! relative to the file) overlaid with the global options of the command line
//! ([`GlobalOptions`], plain values: `cli` turns clap's types into them).

use crate::error::{Error, Result};
use crate::model::value::{format_date, parse_date_text};
use crate::text::{Lang, t};
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
    sekretariat: Option<SekretariatFile>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SekretariatFile {
    register: Option<PathBuf>,
    tilfoej_ventende: Option<bool>,
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

/// Everything a command needs to know, resolved once. Lower layers get only the part
/// they need: the working folder its [`Paths`], delivery the [`Smtp`] settings, the
/// renderers of terminal text the [`Terminal`].
#[derive(Clone, Debug)]
pub struct Settings {
    pub paths: Paths,
    pub lang: Lang,
    pub as_of: NaiveDate,
    pub terminal: Terminal,
    pub mail: Mail,
    pub smtp: Smtp,
}

/// Where things are: the config file, the folder relative paths are resolved against,
/// the styringsmodel, the inbox and the output folder.
#[derive(Clone, Debug, PartialEq)]
pub struct Paths {
    /// The config file that was read, if any.
    pub config_file: Option<PathBuf>,
    /// The folder relative paths are resolved against.
    pub base_dir: PathBuf,
    pub rules: PathBuf,
    /// The secretariat's register (`[sekretariat] register`, `--register`).
    pub register: PathBuf,
    /// Whether `run` appends the rows waiting for the secretariat to the register
    /// (`[sekretariat] tilfoej_ventende`).
    pub add_pending: bool,
    pub inbox: PathBuf,
    pub output: PathBuf,
}

/// How to talk to the user at the terminal: how much to say, whether to draw progress
/// bars, where they stand (paths are shown relative to it) and the global options they
/// typed (carried into the commands os2gov suggests).
#[derive(Clone, Debug, PartialEq)]
pub struct Terminal {
    pub verbosity: Verbosity,
    pub progress: bool,
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

/// Today in Denmark (the users' calendar), whatever the machine's time zone.
pub fn today_in_copenhagen() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Copenhagen).date_naive()
}

/// The global options as given on the command line, before the config file is read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GlobalOptions {
    pub config: Option<PathBuf>,
    pub rules: Option<PathBuf>,
    pub as_of: Option<String>,
    pub lang: Option<Lang>,
    pub verbose: u8,
    pub quiet: bool,
    pub no_progress: bool,
}

impl Settings {
    /// Reads the config file (if any) and overlays the global options.
    pub fn resolve(global: &GlobalOptions, cwd: &Path) -> Result<Settings> {
        let explicit = global.config.clone();
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

        let lang = match (global.lang, &file.language) {
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
        let as_of = match &global.as_of {
            Some(s) => parse_date_text(s).ok_or_else(|| Error::Config {
                file: None,
                message: t!(
                    "--as-of '{s}' er ikke en dato. Skriv fx 26-11-2026 eller 2026-11-26.",
                    "--as-of '{s}' is not a date. Write e.g. 2026-11-26 or 26-11-2026."
                ),
            })?,
            None => today_in_copenhagen(),
        };
        let rules = match &global.rules {
            Some(p) => {
                if p.is_absolute() {
                    p.clone()
                } else {
                    cwd.join(p)
                }
            }
            None => rel(file.rules.clone().unwrap_or_else(|| PathBuf::from("styringsmodel.xlsx"))),
        };
        let sekretariat = file.sekretariat.unwrap_or_default();
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
        let verbosity = if global.quiet {
            Verbosity::Quiet
        } else {
            match global.verbose {
                0 => Verbosity::Normal,
                1 => Verbosity::Verbose,
                _ => Verbosity::Debug,
            }
        };
        let settings = Settings {
            paths: Paths {
                config_file: config_file.clone(),
                rules,
                register: rel(sekretariat
                    .register
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or_else(|| PathBuf::from(crate::model::register::REGISTER_FILE))),
                add_pending: sekretariat.tilfoej_ventende.unwrap_or(true),
                inbox: rel(file.inbox.unwrap_or_else(|| PathBuf::from("indsendt"))),
                output: rel(file.output.unwrap_or_else(|| PathBuf::from("ud"))),
                base_dir: base_dir.clone(),
            },
            lang,
            as_of,
            terminal: Terminal {
                verbosity,
                progress: !global.no_progress && !global.quiet,
                cwd: cwd.to_path_buf(),
                given: Given {
                    config: global.config.as_ref().map(|p| p.to_string_lossy().into_owned()),
                    rules: global.rules.as_ref().map(|p| p.to_string_lossy().into_owned()),
                    as_of: global.as_of.clone(),
                    lang: global.lang,
                },
            },
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
        };
        Ok(settings)
    }

    pub fn as_of_text(&self) -> String {
        format_date(self.as_of)
    }
}

impl Terminal {
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
    let show = |p: &Path| crate::sys::names::display_path(p, Path::new(""));
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
                "ukendt nøgle '{key}' (linje {line}). Tilladte nøgler: rules, inbox, output, language, [sekretariat] register, tilfoej_ventende, [mail] from, project_leads, [smtp] host, port, security, username, timeout_s, ca_file.",
                "unknown key '{key}' (line {line}). Allowed keys: rules, inbox, output, language, [sekretariat] register, tilfoej_ventende, [mail] from, project_leads, [smtp] host, port, security, username, timeout_s, ca_file."
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

[sekretariat]
register = "sekretariat.xlsx"  # sekretariatets egne optegnelser: niveauplaceringer og vurderinger af krav
tilfoej_ventende = true        # run tilføjer rækker, der venter på sekretariatet (vurderinger, placeringer), til registeret

[mail]
from = "OS2-sekretariatet <sekretariat@os2.example>"   # et eksempel: skriv sekretariatets rigtige adresse
project_leads = true           # send også hver projektleder sit annoterede projektark

[smtp]                         # bruges kun med --send
host = "smtp.example.dk"       # et eksempel: skriv jeres mailserver
port = 587
security = "starttls"          # starttls | tls | none (none kun til localhost/127.0.0.1)
username = ""                  # adgangskoden læses kun fra miljøvariablen OS2GOV_SMTP_PASSWORD
timeout_s = 30
ca_file = ""                   # ekstra rodcertifikat (PEM) til en privat mailserver
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_from_where_the_user_stands() {
        let cwd = Path::new("/home/anna/repo");
        assert_eq!(shown_from(cwd, Path::new("/home/anna/repo/samples/ud/2026-11")), "samples/ud/2026-11");
        assert_eq!(shown_from(cwd, Path::new("/home/anna/repo")), ".");
        assert_eq!(shown_from(cwd, Path::new("/home/anna/other/ud")), "../other/ud");
        assert_eq!(shown_from(cwd, Path::new("/srv/os2/ud")), "/srv/os2/ud");
    }

    #[test]
    fn unknown_key_is_named() {
        let err = parse_config("rules = \"x.xlsx\"\nrulez = 1\n", Path::new("os2gov.toml")).unwrap_err();
        let text = err.render(Lang::Da);
        assert!(text.contains("ukendt nøgle 'rulez' (linje 2)"), "{text}");
        let err = parse_config("[smtp]\nhots = \"x\"\n", Path::new("os2gov.toml")).unwrap_err();
        assert!(err.render(Lang::En).contains("unknown key 'hots'"));
    }
}
