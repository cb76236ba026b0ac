//! `os2gov run`: the monthly batch, and what its summary and exit code say.

use crate::commands::outcome::{Exit, Outcome, exit_for};
use crate::config::request::Run;
use crate::config::settings::Settings;
use crate::error::Result;
use crate::text::t;

pub fn run(settings: &Settings, opts: &Run) -> Result<Outcome> {
    let progress = crate::run::progress::Progress::new(&settings.terminal, settings.lang);
    let result = crate::run::batch::run_month(settings, opts, &progress)?;
    let quiet = settings.terminal.quiet();
    // Under -q (e.g. from cron): the problems and one line.
    let stdout = if quiet {
        crate::render::run::render_run_line(&result, settings.lang, &settings.terminal)
    } else {
        crate::render::run::render_run(&result, settings.lang, &settings.terminal, opts)
    };
    let mut stderr = if quiet {
        crate::render::run::render_run_problems(&result, settings.lang, &settings.terminal)
    } else {
        String::new()
    };
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
        let again = settings.terminal.command(&["run", "--send"]);
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
