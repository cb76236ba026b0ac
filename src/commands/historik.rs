//! `os2gov historik PROJEKT-ID`: one project's course over the periods in the archive,
//! read from each period's `historik-<period>.json` (issue 20); a period whose file cannot
//! be used is rebuilt as a run rebuilds it ([`crate::run::archive::course`]). Reads only.

use crate::commands::outcome::Outcome;
use crate::config::request::Historik;
use crate::config::settings::Settings;
use crate::error::{Error, Result};
use crate::render::history::CoursePoint;
use crate::text::t;

/// `os2gov historik PROJEKT-ID [--period YYYY-MM]`.
pub fn historik(settings: &Settings, request: &Historik) -> Result<Outcome> {
    let output = &settings.paths.output;
    let periods = crate::load::history::periods_through(output, request.period.as_deref());
    let wanted = crate::text::fold(&request.project);
    // The styringsmodel: the board's log, and the rules a period without a usable history
    // file is rebuilt with (the same rebuilding a run does, `run::archive`). Without it the
    // history files are still shown.
    let loaded = crate::run::workdir::load_model(&settings.paths, settings.as_of).ok();
    let (read, notes) =
        crate::run::archive::course(output, &periods, loaded.as_ref().map(|l| &l.rules), &settings.paths);
    let mut points = Vec::new();
    let mut known = std::collections::BTreeSet::new();
    let mut id = None;
    for ((period, folder), got) in periods.iter().zip(read) {
        let Some(observed) = got else {
            points.push(CoursePoint { period: period.clone(), seen: None, unreadable: true, board: Vec::new() });
            continue;
        };
        known.extend(observed.projects.keys().cloned());
        let board_file = folder.join(crate::model::board_items::file_name(period));
        let board = crate::load::board_items::read(&board_file)
            .map(|f| f.items.into_iter().filter(|i| crate::text::fold(&i.project) == wanted).collect())
            .unwrap_or_default();
        let as_of = observed.as_of;
        let seen = observed.projects.into_iter().find(|(k, _)| crate::text::fold(k) == wanted);
        if let Some((k, _)) = &seen {
            id = Some(k.clone());
        }
        points.push(CoursePoint {
            period: period.clone(),
            seen: seen.map(|(_, p)| (p, as_of)),
            unreadable: false,
            board,
        });
    }
    let Some(id) = id else {
        let shown = crate::text::clip(&request.project, crate::text::SHOWN_VALUE_CHARS);
        let list = known.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
        let out = settings.terminal.shown(output);
        return Err(Error::Usage(if known.is_empty() {
            t!(
                "Arkivet {out} har ingen historik endnu (historik-<periode>.json skrives af os2gov run).",
                "The archive {out} has no history yet (historik-<period>.json is written by os2gov run)."
            )
        } else {
            t!(
                "Projekt-ID '{shown}' findes ikke i arkivets historik. Kendte projekter: {list}.",
                "Projekt-ID '{shown}' is not in the archive's history. Known projects: {list}."
            )
        }));
    };
    // From the first period the project was seen.
    let first = points.iter().position(|p| p.seen.is_some()).unwrap_or(0);
    // The board's log for the project, from the styringsmodel (shown without it when it
    // cannot be read: the history is the archive's, the log the secretariat's).
    let decisions = loaded.map(|loaded| {
        loaded
            .rules
            .decisions_for(&request.project)
            .map(|d| crate::render::history::LoggedDecision {
                date: d.date,
                kind: d.kind.map(|k| k.label(settings.lang).to_string()),
                text: d.text.clone(),
            })
            .collect::<Vec<_>>()
    });
    let mut text = crate::render::history::course(&id, &points[first..], decisions.as_deref(), settings.lang);
    // What was rebuilt or skipped, as a run says it.
    for n in &notes {
        text.push_str(&format!("\n{}\n", n.get(settings.lang)));
    }
    Ok(Outcome::ok(text))
}
