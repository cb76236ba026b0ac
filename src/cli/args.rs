//! The command line, as clap derive types only – no logic. Help texts are Danish; the
//! English ones are applied by [`command`] when `--lang en` is given.

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "os2gov",
    version,
    about = "Kontrollerer OS2-projekter mod styringsmodellen og laver materiale til sekretariatet og bestyrelsen.",
    long_about = None,
    disable_help_subcommand = true,
    disable_help_flag = true,
    disable_version_flag = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Konfigurationsfil [standard: ./os2gov.toml]
    #[arg(long, global = true, value_name = "FIL")]
    pub config: Option<PathBuf>,
    /// Styringsmodellen (overstyrer konfigurationen)
    #[arg(long, global = true, value_name = "FIL")]
    pub rules: Option<PathBuf>,
    /// Kørselsdato, fx 26-11-2026 [standard: i dag]
    #[arg(long, global = true, value_name = "DATO")]
    pub as_of: Option<String>,
    /// Sprog for beskeder og tekster
    #[arg(long, global = true, value_enum, value_name = "SPROG")]
    pub lang: Option<LangArg>,
    /// Vis hvert trin (-vv for flere detaljer)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Vis kun fejl og én linje med resultatet
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Ingen statuslinje
    #[arg(long, global = true)]
    pub no_progress: bool,
    /// Vis hjælp
    #[arg(short, long, global = true, action = clap::ArgAction::Help)]
    pub help: Option<bool>,
    /// Vis version
    #[arg(short = 'V', long, action = clap::ArgAction::Version)]
    pub version: Option<bool>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    Error,
    Warning,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    Da,
    En,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Opret en arbejdsmappe: os2gov.toml, styringsmodel.xlsx, indsendt/ og et tomt projektark ved siden af
    Init {
        /// Mappen, der skal oprettes (skal være tom eller ikke findes)
        #[arg(value_name = "MAPPE")]
        dir: PathBuf,
    },
    /// Kontrollér styringsmodellen og vis et overblik
    Rules,
    /// Kontrollér projektark (filer eller mapper) mod styringsmodellen
    Check {
        /// Projektark eller mapper med projektark [standard: indbakken i os2gov.toml]
        #[arg(value_name = "STI")]
        paths: Vec<PathBuf>,
        /// Output: tekst til mennesker eller JSON til programmer
        #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
        format: FormatArg,
        /// Afslut med kode 1, når der er fund på dette niveau eller højere
        #[arg(long, value_enum, default_value = "error", value_name = "NIVEAU")]
        fail_on: FailOnArg,
        /// En tidligere kørsels fund-JSON, til at se ændringer (niveau, fase, fund)
        #[arg(long, value_name = "FIL")]
        previous: Option<PathBuf>,
        /// Sekretariatets register (overstyrer konfigurationen)
        #[arg(long, value_name = "FIL")]
        register: Option<PathBuf>,
    },
    /// Skriv annoterede kopier af projektark (fanen Kontrol, markerede celler) i en mappe
    Annotate {
        /// Projektark eller mapper med projektark [standard: indbakken i os2gov.toml]
        #[arg(value_name = "STI")]
        paths: Vec<PathBuf>,
        /// Mappen, kopierne skrives i
        #[arg(short, long, value_name = "MAPPE")]
        output: PathBuf,
        /// Afslut med kode 1, når der er fund på dette niveau eller højere
        #[arg(long, value_enum, default_value = "never", value_name = "NIVEAU")]
        fail_on: FailOnArg,
        /// Sekretariatets register (overstyrer konfigurationen)
        #[arg(long, value_name = "FIL")]
        register: Option<PathBuf>,
        /// Overskriv også filer i mappen, der ikke er annoterede kopier fra os2gov
        #[arg(long)]
        force: bool,
    },
    /// Lav bestyrelsesmailen og projektledermailene som filer (sender intet)
    Digest {
        /// Bestyrelsesmødet, mailen er til [standard: det første møde fra kørselsdatoen]
        #[arg(long, value_name = "DATO")]
        meeting: Option<String>,
        /// Mappen, mailene skrives i [standard: <output>/udkast-<periode>]
        #[arg(short, long, value_name = "MAPPE")]
        output: Option<PathBuf>,
        /// Brug --meeting, selv om datoen ikke står i styringsmodellens Bestyrelsesmøder
        // One name with `run`; `--force` (the older name) still works.
        #[arg(long = "force-meeting", alias = "force", requires = "meeting")]
        force_meeting: bool,
    },
    /// Den månedlige kørsel: kontrol, annoterede ark, porteføljeark, fund, mails og arkiv
    Run {
        /// Perioden, fx 2026-11 [standard: kørselsdatoens måned]
        #[arg(long, value_name = "ÅÅÅÅ-MM")]
        period: Option<String>,
        /// Send mailene over SMTP (ellers skrives de kun som filer)
        #[arg(long)]
        send: bool,
        /// Send også mails, der allerede er sendt
        #[arg(long, requires = "send")]
        resend: bool,
        /// Bestyrelsesmødet, mailen er til [standard: det første møde fra kørselsdatoen]
        #[arg(long, value_name = "DATO")]
        meeting: Option<String>,
        /// Brug --meeting, selv om datoen ikke står i styringsmodellens Bestyrelsesmøder
        #[arg(long = "force-meeting", requires = "meeting")]
        force_meeting: bool,
        /// Afslut med kode 1, når der er fund på dette niveau eller højere
        #[arg(long, value_enum, default_value = "never", value_name = "NIVEAU")]
        fail_on: FailOnArg,
        /// Sekretariatets register (overstyrer konfigurationen)
        #[arg(long, value_name = "FIL")]
        register: Option<PathBuf>,
    },
    /// Lav et tomt projektark til den aktuelle styringsmodel
    Template {
        /// Filen, der skal skrives [standard: projektark.xlsx eller <ID>.xlsx]
        #[arg(short, long, value_name = "FIL")]
        output: Option<PathBuf>,
        /// Projekt-ID, der skrives ind i arket
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// Overskriv filen, hvis den findes
        #[arg(long)]
        force: bool,
    },
    /// Lav projektark af offentliggjorte selvevalueringer (governancerapporter i Markdown eller formularens JSON)
    Import {
        /// Governancerapporter (.md) eller selvevalueringer (.json); en mappe giver dens .md- og .json-filer
        #[arg(value_name = "FIL", required = true)]
        files: Vec<PathBuf>,
        /// Mappen, projektarkene skrives i [standard: indbakken i os2gov.toml]
        #[arg(short, long, value_name = "MAPPE")]
        output: Option<PathBuf>,
        /// Projekt-ID til arket (kun med én fil) [standard: efter produktets navn]
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// Overskriv projektark, der findes
        #[arg(long)]
        force: bool,
    },
    /// Vis ét projekts forløb over perioderne i arkivet (ud/<periode>/historik-<periode>.json)
    Historik {
        /// Projektets Projekt-ID
        #[arg(value_name = "ID")]
        project: String,
        /// Den seneste periode, der vises, fx 2026-11 [standard: den nyeste]
        #[arg(long, value_name = "ÅÅÅÅ-MM")]
        period: Option<String>,
    },
    /// Skriv et projektarks selvevaluering som governancerapport (2025-skabelonen, Markdown)
    Report {
        /// Projektarket
        #[arg(value_name = "PROJEKTARK")]
        projektark: PathBuf,
        /// Filen, der skal skrives [standard: <Projekt-ID>-governancerapport.md]
        #[arg(short, long, value_name = "FIL")]
        output: Option<PathBuf>,
        /// Overskriv filen, hvis den findes
        #[arg(long)]
        force: bool,
    },
}

/// English help texts, keyed by argument id or subcommand name.
const ENGLISH: &[(&str, &str)] = &[
    (
        "about",
        "Checks OS2 projects against the governance model (styringsmodel) and prepares material for the secretariat and the board.",
    ),
    ("config", "Configuration file [default: ./os2gov.toml]"),
    ("rules", "The styringsmodel (overrides the configuration)"),
    ("as_of", "As-of date, e.g. 2026-11-26 [default: today]"),
    ("lang", "Language of messages and texts"),
    ("verbose", "Show each stage (-vv for more detail)"),
    ("quiet", "Show errors and a one-line result only"),
    ("no_progress", "No progress bar"),
    ("help", "Print help"),
    ("version", "Print version"),
    (
        "cmd:init",
        "Create a working folder: os2gov.toml, styringsmodel.xlsx, indsendt/ and a blank projektark beside it",
    ),
    ("cmd:rules", "Validate the styringsmodel and show a summary"),
    ("cmd:annotate", "Write annotated copies of projektark (Kontrol sheet, marked cells) into a folder"),
    ("cmd:digest", "Render the board digest and project-lead mails as files (sends nothing)"),
    ("cmd:run", "The monthly batch: check, annotated copies, portfolio, findings, mails and archive"),
    ("period", "The period, e.g. 2026-11 [default: the as-of month]"),
    ("send", "Send the mails over SMTP (otherwise they are only written as files)"),
    ("resend", "Also send mails that were already sent"),
    ("meeting", "The board meeting the digest is for [default: the first meeting from the as-of date]"),
    ("force_meeting", "Use --meeting even when the date is not in the styringsmodel's Bestyrelsesmøder"),
    ("cmd:check", "Check projektark (files or folders) against the styringsmodel"),
    ("paths", "Projektark or folders of them [default: the inbox in os2gov.toml]"),
    ("format", "Output: text for people or JSON for programs"),
    ("fail_on", "Exit with code 1 when there are findings at this level or above"),
    ("previous", "An earlier run's findings JSON, to see changes (level, phase, findings)"),
    ("register", "The secretariat's register (overrides the configuration)"),
    ("annotate:output", "The folder the copies are written to"),
    ("annotate:force", "Also overwrite files in the folder that are not os2gov's annotated copies"),
    ("digest:output", "The folder the mails are written to [default: <output>/udkast-<period>]"),
    ("cmd:template", "Write a blank projektark for the current styringsmodel"),
    ("dir", "The folder to create (must be empty or not exist)"),
    ("output", "The file to write [default: projektark.xlsx or <ID>.xlsx]"),
    ("id", "Projekt-ID to write into the sheet"),
    ("force", "Overwrite the file if it exists"),
    (
        "cmd:import",
        "Make projektark from published self-assessments (governance reports in Markdown or the form's JSON)",
    ),
    ("files", "Governance reports (.md) or self-assessments (.json); a folder gives its .md and .json files"),
    ("import:output", "The folder the projektark are written to [default: the inbox in os2gov.toml]"),
    ("import:id", "Projekt-ID for the sheet (one file only) [default: from the product's name]"),
    ("import:force", "Overwrite projektark that exist"),
    ("cmd:report", "Write a projektark's self-assessment as a governance report (the 2025 template, Markdown)"),
    ("projektark", "The projektark"),
    ("cmd:historik", "Show one project's course over the periods in the archive (ud/<period>/historik-<period>.json)"),
    ("historik:project", "The project's Projekt-ID"),
    ("historik:period", "The last period shown, e.g. 2026-11 [default: the newest]"),
    ("report:output", "The file to write [default: <Projekt-ID>-governancerapport.md]"),
];

fn english_help(key: &str) -> Option<&'static str> {
    ENGLISH.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The value names of the help (Danish as declared above) in English.
const ENGLISH_VALUE_NAMES: &[(&str, &str)] = &[
    ("FIL", "FILE"),
    ("DATO", "DATE"),
    ("NIVEAU", "LEVEL"),
    ("ÅÅÅÅ-MM", "YYYY-MM"),
    ("STI", "PATH"),
    ("MAPPE", "FOLDER"),
    ("SPROG", "LANG"),
    // The same in both languages.
    ("FORMAT", "FORMAT"),
    ("ID", "ID"),
    ("PROJEKTARK", "PROJEKTARK"),
];

/// Localises the arguments of one command: English help (looked up as `<command>:<arg>`,
/// then `<arg>`) and value names, the headings of the help page, and clap's own
/// `[default: …]` and `[possible values: …]` notes, which clap writes in English only:
/// they are hidden and written into the help text in the command's language.
fn localize_args(mut cmd: clap::Command, english: bool) -> clap::Command {
    let name = cmd.get_name().to_string();
    let args: Vec<(String, bool, bool)> =
        cmd.get_arguments().map(|a| (a.get_id().to_string(), a.is_positional(), a.is_global_set())).collect();
    for (order, (id, positional, global)) in args.into_iter().enumerate() {
        let help = if english { english_help(&format!("{name}:{id}")).or_else(|| english_help(&id)) } else { None };
        let heading = match (english, positional) {
            (true, true) => "Arguments",
            (true, false) => "Options",
            (false, true) => "Argumenter",
            (false, false) => "Tilvalg",
        };
        cmd = cmd.mut_arg(id.as_str(), |a| {
            let mut text = help.map(str::to_string).or_else(|| a.get_help().map(|h| h.to_string())).unwrap_or_default();
            let defaults: Vec<String> =
                a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
            let possible: Vec<String> =
                a.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_string()).collect();
            // A switch (no value) has no default worth saying ("false").
            let takes_value = a.get_action().takes_values();
            if takes_value && !defaults.is_empty() {
                let word = if english { "default" } else { "standard" };
                text.push_str(&format!(" [{word}: {}]", defaults.join(", ")));
            }
            if takes_value && !possible.is_empty() {
                let word = if english { "possible values" } else { "mulige værdier" };
                text.push_str(&format!(" [{word}: {}]", possible.join(", ")));
            }
            // The command's own options first, then the global ones, each in declared order.
            let mut a = a.help_heading(heading).help(text).display_order(
                order
                    + if id == "version" {
                        200
                    } else if global {
                        100
                    } else {
                        0
                    },
            );
            if takes_value {
                a = a.hide_default_value(true).hide_possible_values(true);
            }
            if english {
                let names: Vec<String> =
                    a.get_value_names().unwrap_or_default().iter().map(|n| n.to_string()).collect();
                if !names.is_empty() {
                    let translated: Option<Vec<&'static str>> = names
                        .iter()
                        .map(|n| ENGLISH_VALUE_NAMES.iter().find(|(da, _)| da == n).map(|(_, en)| *en))
                        .collect();
                    if let Some(translated) = translated {
                        a = a.value_names(translated);
                    }
                }
            }
            a
        });
    }
    if english {
        cmd.help_template("{about-with-newline}\n{usage-heading} {usage}\n\n{all-args}{after-help}")
    } else {
        cmd.subcommand_help_heading("Kommandoer")
            .help_template("{about-with-newline}\nBrug: {usage}\n\n{all-args}{after-help}")
    }
}

/// The clap command with help in the requested language.
pub fn command(english: bool) -> clap::Command {
    let mut cmd = Cli::command();
    if english && let Some(about) = english_help("about") {
        cmd = cmd.about(about);
    }
    cmd = localize_args(cmd, english);
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in &names {
        cmd = cmd.mut_subcommand(name.as_str(), |sub| {
            let sub = match english_help(&format!("cmd:{name}")) {
                Some(about) if english => sub.about(about),
                _ => sub,
            };
            localize_args(sub, english)
        });
    }
    if english {
        return cmd;
    }
    // clap writes `[OPTIONS]` and `<COMMAND>` into usage lines; in Danish they are said
    // in Danish (usage lines rendered once, then given back as fixed text).
    let mut probe = cmd.clone();
    probe.build();
    let danish = |usage: String| {
        let usage = usage.strip_prefix("Usage: ").unwrap_or(&usage).to_string();
        usage.replace("[OPTIONS]", "[TILVALG]").replace("<COMMAND>", "<KOMMANDO>")
    };
    let top = danish(probe.render_usage().to_string());
    let subs: Vec<(String, String)> =
        probe.get_subcommands_mut().map(|s| (s.get_name().to_string(), danish(s.render_usage().to_string()))).collect();
    cmd = cmd.override_usage(top);
    for (name, usage) in subs {
        cmd = cmd.mut_subcommand(name.as_str(), |sub| sub.override_usage(usage));
    }
    cmd
}

/// True when the raw arguments ask for English (`--lang en` / `--lang=en`), so help and
/// parse errors can be shown in English before the arguments are parsed.
pub fn wants_english<I: AsRef<std::ffi::OsStr>>(args: &[I]) -> bool {
    let args: Vec<String> = args.iter().map(|a| a.as_ref().to_string_lossy().into_owned()).collect();
    args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en") || args.iter().any(|a| a == "--lang=en")
}

/// clap's own phrases in its error messages, in Danish. clap has no translations, so its
/// rendered message is translated phrase by phrase; a phrase not listed stays English.
const DANISH_ERRORS: &[(&str, &str)] = &[
    ("error: ", "fejl: "),
    ("For more information, try '--help'.", "Se mere med '--help'."),
    ("Usage: ", "Brug: "),
    ("  tip: a similar subcommand exists:", "  tip: en lignende kommando findes:"),
    ("  tip: a similar argument exists:", "  tip: et lignende tilvalg findes:"),
    ("  tip: a similar value exists:", "  tip: en lignende værdi findes:"),
    ("  tip: to pass ", "  tip: for at give "),
    (" as a value, use ", " som værdi, skriv "),
    ("unrecognized subcommand", "ukendt kommando"),
    ("unexpected argument", "uventet argument"),
    ("' found", "'"),
    ("the following required arguments were not provided:", "disse påkrævede argumenter mangler:"),
    ("a value is required for", "der mangler en værdi til"),
    (" but none was supplied", ""),
    ("invalid value", "ugyldig værdi"),
    ("  [possible values: ", "  [mulige værdier: "),
    ("the argument", "tilvalget"),
    ("cannot be used with", "kan ikke bruges sammen med"),
    ("cannot be used multiple times", "kan kun bruges én gang"),
    (" for '", " til '"),
];

/// A clap error as text in the requested language (clap renders English only).
pub fn render_error(e: &clap::Error, english: bool) -> String {
    let text = e.render().to_string();
    if english {
        return text;
    }
    DANISH_ERRORS.iter().fold(text, |t, (en, da)| t.replace(en, da))
}

/// Parses arguments with help in the requested language.
pub fn parse_from<I: AsRef<std::ffi::OsStr> + Clone + Into<std::ffi::OsString>>(
    args: &[I],
) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let english = wants_english(args);
    let matches = command(english).try_get_matches_from(args.iter().cloned())?;
    Cli::from_arg_matches(&matches)
}
