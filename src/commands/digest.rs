//! `os2gov digest`: the board digest and the project-lead mails as files, nothing sent.

use crate::commands::outcome::{Exit, Outcome};
use crate::config::request::Digest;
use crate::config::settings::Settings;
use crate::error::{Error, Result};
use crate::run::stage::check_paths;
use crate::run::workdir::read_previous_file;
use crate::text::t;

pub fn digest(settings: &Settings, request: &Digest) -> Result<Outcome> {
    let Digest { meeting, force_meeting, output } = request;
    let (meeting, force_meeting, output) = (*meeting, *force_meeting, output.as_path());
    let period = crate::model::period::period_of(settings.as_of);
    let previous = crate::run::workdir::previous_findings(&settings.paths.output, &period)
        .map(|(_, f)| read_previous_file(&f))
        .transpose()?;
    let (report, _) = check_paths(settings, std::slice::from_ref(&settings.paths.inbox), previous.as_ref())?;
    let copies = crate::run::outputs::annotate_all(&report, settings.lang, None, &|| {})?;
    let portfolio = crate::render::portfolio::build(&report, settings.lang).map_err(|e| Error::xlsx(output, e))?;
    let (meeting, meeting_note) =
        crate::run::outputs::meeting_for(&report.rules, report.as_of, meeting, force_meeting)?;
    let messages = crate::run::outputs::render_messages(
        &report,
        &settings.paths,
        &settings.mail,
        settings.lang,
        meeting,
        &std::sync::Arc::new(portfolio),
        &copies,
    )?;
    let files = crate::deliver::files::write_files(
        output,
        &messages,
        crate::run::outputs::now(),
        crate::sys::fs::Mode::Atomic,
    )?;
    crate::sys::fs::sync_folder(output)?;
    let lang = settings.lang;
    let (n, dir) = (messages.len(), settings.terminal.shown(output));
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
