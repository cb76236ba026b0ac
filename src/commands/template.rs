//! `os2gov template`: a blank projektark for the current styringsmodel.

use crate::commands::outcome::Outcome;
use crate::config::request::Template;
use crate::config::settings::Settings;
use crate::error::{Error, Result};
use crate::model::filled::Filled;
use crate::model::rules::Rules;
use crate::render::projektark::build_projektark;
use crate::run::workdir::load_model;
use crate::sys::fs;
use crate::text::t;
use std::path::Path;

/// Writes the blank projektark (with the Projekt-ID when given) to `path`.
pub fn write_template(rules: &Rules, id: Option<&str>, path: &Path) -> Result<()> {
    let mut filled = Filled::default();
    if let Some(id) = id {
        filled.fields.push((crate::model::layout::FieldKey::Id, crate::model::cell::Value::from(id)));
    }
    let mut workbook = build_projektark(rules, &filled).map_err(|e| Error::xlsx(path, e))?;
    crate::xlsx::save_workbook(&mut workbook, path)
}

pub fn template(settings: &Settings, request: &Template) -> Result<Outcome> {
    let (output, id, force) = (request.output.as_path(), request.id.as_deref(), request.force);
    let loaded = load_model(&settings.paths, settings.as_of)?;
    if output.exists() && !force {
        let p = output.display();
        return Err(Error::Usage(t!(
            "{p} findes allerede. Vælg et andet navn med -o, eller brug --force for at overskrive.",
            "{p} already exists. Choose another name with -o, or use --force to overwrite."
        )));
    }
    write_template(&loaded.rules, id, output)?;
    fs::sync_folder(output.parent().unwrap_or(Path::new(".")))?;
    let (p, n, v) = (settings.terminal.shown(output), loaded.rules.requirements.len(), &loaded.rules.document.version);
    let text = t!(
        "Tomt projektark skrevet: {p}\n{n} krav fra styringsmodel version {v}. Send det til projektlederen; fanen Vejledning forklarer resten.\n",
        "Blank projektark written: {p}\n{n} requirements from styringsmodel version {v}. Send it to the project lead; the Vejledning sheet explains the rest.\n"
    );
    Ok(Outcome::ok(text.get(settings.lang).to_string())
        .quiet_first_line(settings)
        .with_warnings(&loaded.warnings, settings))
}
