//! `os2gov rules`: validates the styringsmodel and shows what it says.

use crate::commands::outcome::Outcome;
use crate::config::settings::Settings;
use crate::error::Result;
use crate::run::workdir::load_model;
use crate::text::t;

pub fn rules(settings: &Settings) -> Result<Outcome> {
    let loaded = load_model(&settings.paths, settings.as_of)?;
    let name = settings.terminal.shown(&settings.paths.rules);
    if settings.terminal.quiet() {
        let r = &loaded.rules;
        let (v, levels, reqs, phases, w) =
            (&r.document.version, r.levels.len(), r.requirements.len(), r.phases.len(), loaded.warnings.len());
        let line = t!(
            "{name}: styringsmodel version {v} er gyldig: {levels} niveauer, {reqs} krav, {phases} faser, {w} advarsler.\n",
            "{name}: styringsmodel version {v} is valid: {levels} levels, {reqs} requirements, {phases} phases, {w} warnings.\n"
        );
        return Ok(Outcome::ok(line.get(settings.lang).to_string()));
    }
    let mut text = crate::render::rules::render(&loaded.rules, &name, &loaded.warnings, settings.as_of, settings.lang);
    // Examples `init` wrote that are still there: a warning until they are changed.
    let examples = crate::run::workdir::placeholders(settings, &loaded.rules);
    if !examples.is_empty() {
        text.push_str(settings.lang.pick("\nEksempler, der skal rettes:\n", "\nExamples to change:\n"));
        for e in examples {
            text.push_str(&format!("  {} {}\n", settings.lang.pick("advarsel", "warning"), e.get(settings.lang)));
        }
    }
    Ok(Outcome::ok(text))
}
