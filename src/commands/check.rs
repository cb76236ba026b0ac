//! `os2gov check`: checks projektark and reports the findings as text or JSON.

use crate::commands::outcome::{Outcome, exit_for};
use crate::config::request::{Check, Format};
use crate::config::settings::Settings;
use crate::error::Result;
use crate::run::stage::check_paths;
use crate::run::workdir::read_previous_file;
use crate::text::t;

pub fn check(settings: &Settings, request: &Check) -> Result<Outcome> {
    let Check { paths, format, fail_on, previous } = request;
    let previous = previous.as_deref().map(read_previous_file).transpose()?;
    let (report, files) = check_paths(settings, paths, previous.as_ref())?;
    let lang = settings.lang;
    let stdout = match format {
        Format::Json => crate::render::json::render(&report, lang),
        Format::Text if files.is_empty() => {
            let where_ = paths.iter().map(|p| settings.terminal.shown(p)).collect::<Vec<_>>().join(", ");
            t!("Ingen projektark (.xlsx) fundet i {where_}.\n", "No projektark (.xlsx) found in {where_}.\n")
                .get(lang)
                .to_string()
        }
        Format::Text => crate::render::text::render(&report, settings.lang, &settings.terminal),
    };
    Ok(Outcome { stdout, stderr: String::new(), exit: exit_for(&report, *fail_on) })
}
