//! The commands behind the CLI: each turns [`Settings`] and a [`Task`] into files and an
//! [`Outcome`] (text for stdout/stderr and an exit code). Nothing here prints.

use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::finding::Severity;
use crate::fsutil;
use crate::report::Report;
use crate::rules::Rules;
use crate::rules::load::load_rules;
use crate::settings::{CONFIG_TEMPLATE, Format, Settings, Task};
use crate::t;
use crate::template::{Filled, build_projektark};
// Model and previous-findings reading live in the working-folder layer; re-exported for
// callers of the commands module.
pub use crate::workdir::{load_model, load_model_bytes, read_model, read_previous_file};
use std::path::Path;

/// Exit codes (spec §2).
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
    fn ok(stdout: String) -> Outcome {
        Outcome { stdout, stderr: String::new(), exit: Exit::Ok }
    }
}

pub fn execute(settings: &Settings, task: &Task) -> Result<Outcome> {
    match task {
        Task::Init { dir } => init(settings, dir),
        Task::Rules => rules(settings),
        Task::Annotate { paths, output, fail_on } => annotate(settings, paths, output, *fail_on),
        Task::Digest { meeting, output, force_meeting } => digest(settings, *meeting, *force_meeting, output),
        Task::Run { period, send, resend, meeting, force_meeting, fail_on } => run(
            settings,
            &crate::batch::RunOptions {
                period: period.clone(),
                send: *send,
                resend: *resend,
                meeting: *meeting,
                force_meeting: *force_meeting,
                fail_on: *fail_on,
            },
        ),
        Task::Check { paths, format, fail_on, previous } => {
            check(settings, paths, *format, *fail_on, previous.as_deref())
        }
        Task::Template { output, id, force } => template(settings, output, id.as_deref(), *force),
        Task::Import { files, output, id, force } => {
            crate::import::command::import(settings, files, output, id.as_deref(), *force)
        }
        Task::Report { projektark, output, force } => {
            crate::import::command::report(settings, projektark, output.as_deref(), *force)
        }
    }
}

fn rules(settings: &Settings) -> Result<Outcome> {
    let loaded = load_model(settings)?;
    let name = settings.shown(&settings.rules);
    if settings.quiet() {
        let r = &loaded.rules;
        let (v, levels, reqs, phases, w) =
            (&r.document.version, r.levels.len(), r.requirements.len(), r.phases.len(), loaded.warnings.len());
        let line = t!(
            "{name}: styringsmodel version {v} er gyldig: {levels} niveauer, {reqs} krav, {phases} faser, {w} advarsler.\n",
            "{name}: styringsmodel version {v} is valid: {levels} levels, {reqs} requirements, {phases} phases, {w} warnings.\n"
        );
        return Ok(Outcome::ok(line.get(settings.lang).to_string()));
    }
    Ok(Outcome::ok(crate::rules::summary::render(
        &loaded.rules,
        &name,
        &loaded.warnings,
        settings.as_of,
        settings.lang,
    )))
}

fn write_template(rules: &Rules, id: Option<&str>, path: &Path) -> Result<()> {
    let mut filled = Filled::default();
    if let Some(id) = id {
        filled.fields.push((crate::layout::FieldKey::Id, crate::xlsx::Value::from(id)));
    }
    let mut workbook = build_projektark(rules, &filled).map_err(|e| Error::xlsx(path, e))?;
    fsutil::save_workbook(&mut workbook, path)
}

fn template(settings: &Settings, output: &Path, id: Option<&str>, force: bool) -> Result<Outcome> {
    let loaded = load_model(settings)?;
    if output.exists() && !force {
        let p = output.display();
        return Err(Error::Usage(t!(
            "{p} findes allerede. Vælg et andet navn med -o, eller brug --force for at overskrive.",
            "{p} already exists. Choose another name with -o, or use --force to overwrite."
        )));
    }
    write_template(&loaded.rules, id, output)?;
    fsutil::sync_folder(output.parent().unwrap_or(Path::new(".")))?;
    let (p, n, v) = (settings.shown(output), loaded.rules.requirements.len(), &loaded.rules.document.version);
    let text = t!(
        "Tomt projektark skrevet: {p}\n{n} krav fra styringsmodel version {v}. Send det til projektlederen; fanen Vejledning forklarer resten.\n",
        "Blank projektark written: {p}\n{n} requirements from styringsmodel version {v}. Send it to the project lead; the Vejledning sheet explains the rest.\n"
    );
    Ok(Outcome::ok(text.get(settings.lang).to_string())
        .quiet_first_line(settings)
        .with_warnings(&loaded.warnings, settings))
}

impl Outcome {
    /// Adds the styringsmodel's warnings (e.g. `GOV-REVISION-DUE`) to stderr (not under
    /// `-q`, which shows errors only).
    pub fn with_warnings(mut self, warnings: &[Finding], settings: &Settings) -> Outcome {
        if settings.quiet() {
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
        if settings.quiet() {
            let first = self.stdout.lines().next().unwrap_or("").to_string();
            self.stdout = if first.is_empty() { String::new() } else { format!("{first}\n") };
        }
        self
    }
}

fn init(settings: &Settings, dir: &Path) -> Result<Outcome> {
    let d = settings.shown(dir);
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, t!("Kunne ikke læse mappen", "Could not read the folder"), e))?;
        if !dir.is_dir() || entries.next().is_some() {
            return Err(Error::Usage(t!(
                "Mappen {d} findes og er ikke tom. os2gov init overskriver aldrig noget; vælg en ny eller tom mappe.",
                "The folder {d} exists and is not empty. os2gov init never overwrites anything; choose a new or empty folder."
            )));
        }
    }
    let inbox = dir.join("indsendt");
    std::fs::create_dir_all(&inbox)
        .map_err(|e| Error::io(&inbox, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    fsutil::write_atomic(&dir.join(crate::settings::CONFIG_FILE), CONFIG_TEMPLATE.as_bytes())?;
    let model_path = dir.join("styringsmodel.xlsx");
    crate::rules::write::write_model(&model_path, &crate::rules::defaults::draft_model(settings.as_of))?;
    // Read the model back, so the blank projektark is built exactly as `template` would.
    let bytes = fsutil::read(&model_path)?;
    let loaded =
        load_rules(&bytes, settings.as_of).map_err(|findings| Error::Rules { file: model_path.clone(), findings })?;
    // Beside the inbox, not in it: the inbox holds what projects sent in.
    let blank = dir.join(BLANK_TEMPLATE);
    write_template(&loaded.rules, None, &blank)?;
    fsutil::sync_folder(dir)?;
    let d = settings.shown(dir);
    // The next commands, to be typed where the user stands: inside the folder they need
    // no --config.
    let cd = if dir == settings.cwd { String::new() } else { format!("cd {} && ", crate::settings::shell_word(&d)) };
    let rules_cmd = "os2gov rules";
    let text = t!(
        "Arbejdsmappen {d} er oprettet:\n  os2gov.toml                indstillinger (med forklaringer)\n  styringsmodel.xlsx         reglerne: niveauer, krav, faser, overgange, mødedatoer og modtagere – en kladde, som bestyrelsen skal godkende\n  projektark-skabelon.xlsx   et tomt projektark at sende til projektlederne\n  indsendt/                  her lægges de udfyldte projektark\n\nNæste skridt:\n  1. Ret mødedatoerne og modtagerne i styringsmodel.xlsx.\n  2. Send projektark-skabelon.xlsx til projektlederne, og læg de udfyldte ark i indsendt/.\n  3. Kontrollér reglerne:  {cd}{rules_cmd}\n",
        "The working folder {d} has been created:\n  os2gov.toml                settings (with explanations)\n  styringsmodel.xlsx         the rules: levels, requirements, phases, transitions, meeting dates and recipients – a draft for the board to approve\n  projektark-skabelon.xlsx   a blank projektark to send to the project leads\n  indsendt/                  the filled-in projektark go here\n\nNext steps:\n  1. Fix the meeting dates and recipients in styringsmodel.xlsx.\n  2. Send projektark-skabelon.xlsx to the project leads, and put the filled-in workbooks in indsendt/.\n  3. Check the rules:  {cd}{rules_cmd}\n"
    );
    if settings.quiet() {
        let line = t!("Arbejdsmappen {d} er oprettet.\n", "The working folder {d} has been created.\n");
        return Ok(Outcome::ok(line.get(settings.lang).to_string()));
    }
    Ok(Outcome::ok(text.get(settings.lang).to_string()))
}

/// The blank projektark `init` writes beside the inbox.
pub const BLANK_TEMPLATE: &str = "projektark-skabelon.xlsx";

/// The period (`YYYY-MM`) of a date.
pub fn period_of(date: chrono::NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

/// Loads the model and checks the files under `paths`.
pub fn check_paths(
    settings: &Settings,
    paths: &[std::path::PathBuf],
    previous: Option<&crate::check::Previous>,
) -> Result<(Report, Vec<std::path::PathBuf>)> {
    check_paths_excluding(settings, paths, previous, &[])
}

/// As [`check_paths`]; folders walked skip os2gov's own output folder, the styringsmodel
/// and `exclude` (an earlier run's outputs are never read as inputs).
fn check_paths_excluding(
    settings: &Settings,
    paths: &[std::path::PathBuf],
    previous: Option<&crate::check::Previous>,
    exclude: &[&Path],
) -> Result<(Report, Vec<std::path::PathBuf>)> {
    let loaded = load_model(settings)?;
    let mut skip = vec![settings.output.clone(), settings.rules.clone()];
    skip.extend(exclude.iter().map(|p| p.to_path_buf()));
    let files = crate::load::inbox::collect_excluding(paths, &skip)?;
    let input = crate::batch::CheckInput {
        rules: std::sync::Arc::new(loaded.rules),
        model_findings: loaded.warnings,
        files: &files,
        base: &settings.base_dir,
        previous,
        as_of: settings.as_of,
        period: period_of(settings.as_of),
        limits: crate::load::workbook::Limits::default(),
    };
    Ok((crate::batch::check_files(input, &|| {}), files))
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

fn check(
    settings: &Settings,
    paths: &[std::path::PathBuf],
    format: Format,
    fail_on: Option<Severity>,
    previous: Option<&Path>,
) -> Result<Outcome> {
    let previous = previous.map(read_previous_file).transpose()?;
    let (report, files) = check_paths(settings, paths, previous.as_ref())?;
    let lang = settings.lang;
    let stdout = match format {
        Format::Json => crate::report::json::render(&report, lang),
        Format::Text if files.is_empty() => {
            let where_ = paths.iter().map(|p| settings.shown(p)).collect::<Vec<_>>().join(", ");
            t!("Ingen projektark (.xlsx) fundet i {where_}.\n", "No projektark (.xlsx) found in {where_}.\n")
                .get(lang)
                .to_string()
        }
        Format::Text => crate::report::text::render(&report, settings),
    };
    Ok(Outcome { stdout, stderr: String::new(), exit: exit_for(&report, fail_on) })
}

fn annotate(
    settings: &Settings,
    paths: &[std::path::PathBuf],
    output: &Path,
    fail_on: Option<Severity>,
) -> Result<Outcome> {
    let (report, _) = check_paths_excluding(settings, paths, None, &[output])?;
    // The folder exists even when nothing could be annotated (all inputs unreadable), so
    // the result is the list of unreadable files and exit 3, not a failure to save.
    std::fs::create_dir_all(output)
        .map_err(|e| Error::io(output, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    let progress = crate::progress::Progress::new(settings);
    let bar = progress.bar(report.projects.len(), &t!("Annoterer", "Annotating"));
    let copies =
        crate::outputs::annotate_all(&report, settings.lang, Some((output, crate::fsutil::Mode::Atomic)), &|| {
            bar.inc(1)
        })?;
    bar.finish_and_clear();
    crate::fsutil::sync_folder(output)?;
    let lang = settings.lang;
    let mut text = String::new();
    for c in &copies {
        let p = &report.projects[c.project];
        let (from, to) = (settings.shown(&p.path), settings.shown(&output.join(&c.file_name)));
        let line = match (&c.result, &c.rebuilt) {
            (Ok(_), _) if settings.quiet() => continue,
            (Ok(_), None) => format!("{from} → {to}"),
            (Ok(_), Some(why)) => format!("{from} → {to} ({})", why.get(lang)),
            (Err(why), _) => format!("{from}: {}", why.get(lang)),
        };
        text.push_str(&line);
        text.push('\n');
    }
    for u in &report.unreadable {
        text.push_str(&format!("{}: {}\n", settings.shown(&u.path), u.finding.message.get(lang)));
    }
    let (written, n) = (copies.iter().filter(|c| c.result.is_ok()).count(), copies.len());
    text.push_str(
        t!("{written} af {n} annoterede kopier skrevet.\n", "{written} of {n} annotated copies written.\n").get(lang),
    );
    let exit = if copies.iter().any(|c| c.result.is_err()) { Exit::Unreadable } else { exit_for(&report, fail_on) };
    Ok(Outcome { stdout: text, stderr: String::new(), exit })
}

fn digest(
    settings: &Settings,
    meeting: Option<chrono::NaiveDate>,
    force_meeting: bool,
    output: &Path,
) -> Result<Outcome> {
    let period = period_of(settings.as_of);
    let previous = crate::workdir::previous_findings(&settings.output, &period)
        .map(|(_, f)| read_previous_file(&f))
        .transpose()?;
    let (report, _) = check_paths(settings, std::slice::from_ref(&settings.inbox), previous.as_ref())?;
    let copies = crate::outputs::annotate_all(&report, settings.lang, None, &|| {})?;
    let portfolio = crate::annotate::portfolio::build(&report, settings.lang).map_err(|e| Error::xlsx(output, e))?;
    let (meeting, meeting_note) = crate::outputs::meeting_for(&report.rules, report.as_of, meeting, force_meeting)?;
    let templates = crate::outputs::templates(settings)?;
    let messages = crate::outputs::render_messages(
        &report,
        settings,
        &templates,
        meeting,
        &std::sync::Arc::new(portfolio),
        &copies,
    )?;
    let files = crate::deliver::write_files(output, &messages, crate::outputs::now(), crate::fsutil::Mode::Atomic)?;
    crate::fsutil::sync_folder(output)?;
    let lang = settings.lang;
    let (n, dir) = (messages.len(), settings.shown(output));
    let when = meeting
        .map(|d| crate::model::value::format_date_words(d, lang))
        .unwrap_or_else(|| lang.pick("(intet møde planlagt)", "(no meeting planned)").to_string());
    let mut text = t!(
        "{n} mails til bestyrelsesmødet {when} er skrevet i {dir} (intet er sendt):\n",
        "{n} mails for the board meeting {when} were written to {dir} (nothing was sent):\n"
    )
    .get(lang)
    .to_string();
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "eml")) {
        text.push_str(&format!("  {}\n", f.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()));
    }
    if let Some(note) = meeting_note {
        text.push_str(note.get(lang));
        text.push('\n');
    }
    Ok(Outcome {
        stdout: text,
        stderr: String::new(),
        exit: if report.unreadable.is_empty() { Exit::Ok } else { Exit::Unreadable },
    }
    .quiet_first_line(settings))
}

fn run(settings: &Settings, opts: &crate::batch::RunOptions) -> Result<Outcome> {
    let progress = crate::progress::Progress::new(settings);
    let result = crate::batch::run_month(settings, opts, &progress)?;
    let quiet = settings.quiet();
    // Under -q (e.g. from cron): the problems and one line.
    let stdout = if quiet {
        crate::report::text::render_run_line(&result, settings)
    } else {
        crate::report::text::render_run(&result, settings, opts)
    };
    let mut stderr = if quiet { crate::report::text::render_run_problems(&result, settings) } else { String::new() };
    if let Some(e) = &result.send_error {
        stderr.push_str(&format!("os2gov: {}\n", e.render(settings.lang)));
        return Ok(Outcome { stdout, stderr, exit: Exit::Failed });
    }
    // A recipient the server refused did not get the board papers: a scheduled run must
    // notice, so this is a failure of delivery (exit 2), with the rest delivered.
    if let Some(sent) = &result.sent
        && (!sent.refused.is_empty() || !sent.deferred.is_empty())
    {
        let n = sent.refused.len() + sent.deferred.len();
        let again = settings.command(&["run", "--send"]);
        stderr.push_str(
            t!(
                "os2gov: {n} mail(s) kunne ikke leveres (se ovenfor). Ret adresserne og kør {again} igen; kun de manglende sendes.\n",
                "os2gov: {n} mail(s) could not be delivered (see above). Fix the addresses and run {again} again; only the missing ones are sent.\n"
            )
            .get(settings.lang),
        );
        return Ok(Outcome { stdout, stderr, exit: Exit::Failed });
    }
    Ok(Outcome { stdout, stderr, exit: exit_for(&result.report, opts.fail_on) })
}
