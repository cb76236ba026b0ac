//! From clap's types to plain ones, once: the global options become
//! [`GlobalOptions`] (then [`Settings`], with the config file), the subcommand becomes a
//! [`Request`] – paths made absolute from where the user stands, dates parsed, defaults
//! from the settings applied. Nothing past this file sees clap.

use crate::cli::args::{Cli, Command, FailOnArg, FormatArg, LangArg};
use crate::config::request::{self, Format, Request};
use crate::config::settings::{GlobalOptions, Settings};
use crate::error::{Error, Result};
use crate::model::finding::Severity;
use crate::model::period;
use crate::model::value::{parse_date_text, project_id_is_valid};
use crate::sys::names::safe_file_stem;
use crate::text::{Lang, t};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The language asked for on the command line, if any (used before settings exist).
pub fn cli_lang(cli: &Cli) -> Option<Lang> {
    cli.global.lang.map(|l| match l {
        LangArg::Da => Lang::Da,
        LangArg::En => Lang::En,
    })
}

/// The global options as plain values.
pub fn global_options(cli: &Cli) -> GlobalOptions {
    let g = &cli.global;
    GlobalOptions {
        config: g.config.clone(),
        rules: g.rules.clone(),
        as_of: g.as_of.clone(),
        lang: cli_lang(cli),
        verbose: g.verbose,
        quiet: g.quiet,
        no_progress: g.no_progress,
    }
}

/// Reads the config file, overlays the command line, and says what was asked for.
pub fn resolve(cli: &Cli, cwd: &Path) -> Result<(Settings, Request)> {
    let mut settings = Settings::resolve(&global_options(cli), cwd)?;
    if let Command::Check { register: Some(r), .. }
    | Command::Annotate { register: Some(r), .. }
    | Command::Run { register: Some(r), .. } = &cli.command
    {
        settings.paths.register = abs(cwd, r);
    }
    let request = request(&cli.command, &settings, cwd)?;
    Ok((settings, request))
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

/// A Projekt-ID given on the command line must be one the projektark accepts.
fn check_id(id: &str) -> Result<()> {
    if project_id_is_valid(id) {
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

/// The paths given, or the inbox when none are.
fn paths_or_inbox(paths: &[PathBuf], settings: &Settings, cwd: &Path) -> Vec<PathBuf> {
    if paths.is_empty() { vec![settings.paths.inbox.clone()] } else { paths.iter().map(|p| abs(cwd, p)).collect() }
}

fn request(command: &Command, settings: &Settings, cwd: &Path) -> Result<Request> {
    Ok(match command {
        Command::Init { dir } => Request::Init(request::Init { dir: abs(cwd, dir) }),
        Command::Rules => Request::Rules,
        Command::Check { paths, format, fail_on: f, previous, .. } => Request::Check(request::Check {
            paths: paths_or_inbox(paths, settings, cwd),
            format: match format {
                FormatArg::Text => Format::Text,
                FormatArg::Json => Format::Json,
            },
            fail_on: fail_on(*f),
            previous: previous.as_ref().map(|p| abs(cwd, p)),
        }),
        Command::Annotate { paths, output, fail_on: f, force, .. } => Request::Annotate(request::Annotate {
            paths: paths_or_inbox(paths, settings, cwd),
            output: abs(cwd, output),
            fail_on: fail_on(*f),
            force: *force,
        }),
        Command::Digest { meeting, output, force_meeting } => Request::Digest(request::Digest {
            meeting: meeting_date(meeting)?,
            force_meeting: *force_meeting,
            output: match output {
                Some(o) => abs(cwd, o),
                None => settings.paths.output.join(format!("udkast-{}", period::period_of(settings.as_of))),
            },
        }),
        Command::Run { period: p, send, resend, meeting, force_meeting, fail_on: f, .. } => {
            let p = p.clone().unwrap_or_else(|| period::period_of(settings.as_of));
            if !period::is_period(&p) {
                return Err(Error::Config {
                    file: None,
                    message: t!(
                        "--period '{p}' skal skrives ÅÅÅÅ-MM, fx 2026-11.",
                        "--period '{p}' must be written YYYY-MM, e.g. 2026-11."
                    ),
                });
            }
            Request::Run(request::Run {
                period: p,
                send: *send,
                resend: *resend,
                meeting: meeting_date(meeting)?,
                force_meeting: *force_meeting,
                fail_on: fail_on(*f),
            })
        }
        Command::Import { files, output, id, force } => {
            if let Some(id) = id {
                check_id(id)?;
            }
            Request::Import(request::Import {
                files: files.iter().map(|p| abs(cwd, p)).collect(),
                output: output.as_ref().map(|o| abs(cwd, o)).unwrap_or_else(|| settings.paths.inbox.clone()),
                id: id.clone(),
                force: *force,
            })
        }
        Command::Historik { project, period } => {
            if let Some(p) = period
                && !crate::model::period::is_period(p)
            {
                return Err(crate::error::Error::Usage(crate::text::t!(
                    "--period skal være en periode som 2026-11, ikke '{p}'.",
                    "--period must be a period like 2026-11, not '{p}'."
                )));
            }
            Request::Historik(request::Historik { project: project.clone(), period: period.clone() })
        }
        Command::Report { projektark, output, force } => Request::Report(request::Report {
            projektark: abs(cwd, projektark),
            output: output.as_ref().map(|o| abs(cwd, o)),
            force: *force,
        }),
        Command::Template { output, id, force } => {
            if let Some(id) = id {
                check_id(id)?;
            }
            let default = match id {
                Some(id) => PathBuf::from(format!("{}.xlsx", safe_file_stem(id))),
                None => PathBuf::from("projektark.xlsx"),
            };
            let output = output.clone().unwrap_or(default);
            Request::Template(request::Template { output: abs(cwd, &output), id: id.clone(), force: *force })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::settings::{CONFIG_FILE, CONFIG_TEMPLATE};
    use clap::Parser;

    fn cli(args: &[&str]) -> Cli {
        Cli::parse_from(std::iter::once("os2gov").chain(args.iter().copied()))
    }

    #[test]
    fn template_config_parses_and_paths_are_relative_to_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), CONFIG_TEMPLATE).unwrap();
        let config = dir.path().join(CONFIG_FILE);
        let (s, task) = resolve(
            &cli(&["--config", config.to_str().unwrap(), "--as-of", "2026-11-26", "rules"]),
            Path::new("/elsewhere"),
        )
        .unwrap();
        assert_eq!(task, Request::Rules);
        assert_eq!(s.paths.rules, dir.path().join("styringsmodel.xlsx"));
        assert_eq!(s.paths.inbox, dir.path().join("indsendt"));
        assert_eq!(s.smtp.port, 587);
        assert_eq!(s.smtp.ca_file, None);
        assert_eq!(s.as_of, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap());
    }

    #[test]
    fn suggested_commands_carry_the_options_given() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "").unwrap();
        let (s, _) = resolve(
            &cli(&["--config", "os2gov.toml", "--as-of", "26. november 2026", "--lang", "en", "run"]),
            dir.path(),
        )
        .unwrap();
        assert_eq!(
            s.terminal.command(&["run", "--send"]),
            "os2gov run --send --config os2gov.toml --as-of '26. november 2026' --lang en"
        );
        let (s, _) = resolve(&cli(&["run"]), dir.path()).unwrap();
        assert_eq!(s.terminal.command(&["run", "--send"]), "os2gov run --send");
    }

    #[test]
    fn without_a_config_file_the_defaults_apply() {
        let dir = tempfile::tempdir().unwrap();
        let (s, _) =
            resolve(&cli(&["--rules", "model.xlsx", "--lang", "en", "--as-of", "1. maj 2026", "rules"]), dir.path())
                .unwrap();
        assert_eq!(s.paths.config_file, None);
        assert_eq!(s.paths.rules, dir.path().join("model.xlsx"));
        assert_eq!(s.paths.output, dir.path().join("ud"));
        assert_eq!(s.lang, Lang::En);
        assert_eq!(s.as_of, NaiveDate::from_ymd_opt(2026, 5, 1).unwrap());
    }

    #[test]
    fn an_explicit_missing_config_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(resolve(&cli(&["--config", "nope.toml", "rules"]), dir.path()).is_err());
    }

    #[test]
    fn bad_values_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "language = \"de\"\n").unwrap();
        let err = resolve(&cli(&["rules"]), dir.path()).unwrap_err();
        assert!(err.render(Lang::Da).contains("language = \"de\" kendes ikke"));
        std::fs::write(dir.path().join(CONFIG_FILE), "language = \"da\"\n").unwrap();
        let err = resolve(
            &cli(&["--config", dir.path().join(CONFIG_FILE).to_str().unwrap(), "--as-of", "i går", "rules"]),
            dir.path(),
        )
        .unwrap_err();
        assert!(err.render(Lang::En).contains("--as-of 'i går' is not a date"));
    }
}
