//! `os2gov annotate`: annotated copies of projektark in a folder.

use crate::commands::outcome::{Exit, Outcome, exit_for};
use crate::config::request::Annotate;
use crate::config::settings::Settings;
use crate::error::{Error, Result};
use crate::run::stage::check_paths_excluding;
use crate::text::t;

pub fn annotate(settings: &Settings, request: &Annotate) -> Result<Outcome> {
    let Annotate { paths, output, fail_on } = request;
    let output = output.as_path();
    let (report, _) = check_paths_excluding(settings, paths, None, &[output])?;
    // The folder exists even when nothing could be annotated (all inputs unreadable), so
    // the result is the list of unreadable files and exit 3, not a failure to save.
    std::fs::create_dir_all(output)
        .map_err(|e| Error::io(output, t!("Kunne ikke oprette mappen", "Could not create the folder"), e))?;
    let progress = crate::run::progress::Progress::new(&settings.terminal, settings.lang);
    let bar = progress.bar(report.projects.len(), &t!("Annoterer", "Annotating"));
    let copies = crate::run::outputs::annotate_all(
        &report,
        settings.lang,
        Some((output, crate::sys::fs::Mode::Atomic)),
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    crate::sys::fs::sync_folder(output)?;
    let lang = settings.lang;
    let mut text = String::new();
    for c in &copies {
        let p = &report.projects[c.project];
        let (from, to) = (settings.terminal.shown(&p.path), settings.terminal.shown(&output.join(&c.file_name)));
        let line = match (&c.result, &c.rebuilt) {
            (Ok(_), _) if settings.terminal.quiet() => continue,
            (Ok(_), None) => format!("{from} → {to}"),
            (Ok(_), Some(why)) => format!("{from} → {to} ({})", why.get(lang)),
            (Err(why), _) => format!("{from}: {}", why.get(lang)),
        };
        text.push_str(&line);
        text.push('\n');
    }
    for u in &report.unreadable {
        text.push_str(&format!("{}: {}\n", settings.terminal.shown(&u.path), u.finding.message.get(lang)));
    }
    let (written, n) = (copies.iter().filter(|c| c.result.is_ok()).count(), copies.len());
    text.push_str(
        t!("{written} af {n} annoterede kopier skrevet.\n", "{written} of {n} annotated copies written.\n").get(lang),
    );
    let exit = if copies.iter().any(|c| c.result.is_err()) { Exit::Unreadable } else { exit_for(&report, *fail_on) };
    Ok(Outcome { stdout: text, stderr: String::new(), exit })
}
