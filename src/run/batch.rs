//! The monthly run, one line per stage: lock → styringsmodel → previous period → load
//! and check → annotate, portfolio, findings, mails, inputs, manifest (in a temporary
//! folder) → publish the period folder → deliver → record what was sent.

use crate::config::request::Run;
use crate::config::settings::Settings;
use crate::error::{Error, Result};
use crate::render::run::RunResult;
use crate::run::outputs;
use crate::run::progress::Progress;
use crate::run::stage;
use crate::run::workdir;
use crate::sys::fs::Mode::Fresh;
use crate::sys::names::display_path;
use crate::text::t;
use std::sync::Arc;

/// The monthly batch: lock → styringsmodel → previous period → load and check → annotate,
/// portfolio, findings, mails, inputs, manifest (in a temporary folder) → publish the
/// period folder → deliver → record what was sent.
pub fn run_month(settings: &Settings, opts: &Run, progress: &Progress) -> Result<RunResult> {
    let now = outputs::now();
    workdir::check_inbox_outside_output(&settings.paths.inbox, &settings.paths.output)?;
    let (_lock, stale_lock) = workdir::lock(&settings.paths.output, &now.to_rfc3339())?;
    let recovered = workdir::recover(&settings.paths.output)?;
    progress.stage(&t!("Læser styringsmodellen", "Reading the styringsmodel"));
    let (model_bytes, model_mode) = workdir::read_model_file(&settings.paths)?;
    let loaded = workdir::load_model_bytes(&settings.paths, settings.as_of, &model_bytes)?;
    let mut notes = Vec::new();
    // A --meeting date the styringsmodel does not list stops the run before anything is built.
    let (meeting, meeting_note) =
        outputs::meeting_for(&loaded.rules, settings.as_of, opts.meeting, opts.force_meeting)?;
    notes.extend(meeting_note);
    // A damaged previous findings file must not stop the month: run without comparing.
    let previous = match workdir::previous_findings(&settings.paths.output, &opts.period) {
        None => None,
        Some((period, file)) => match workdir::read_previous_file(&file) {
            Ok(p) => Some(p),
            Err(_) => {
                let f = display_path(&file, &settings.paths.base_dir);
                notes.push(t!(
                    "{f} kunne ikke læses, så denne kørsel sammenligner ikke med {period} (ingen ændringer, LEVEL-CHANGED eller PHASE-CHANGED-UNLOGGED).",
                    "{f} could not be read, so this run does not compare with {period} (no changes, LEVEL-CHANGED or PHASE-CHANGED-UNLOGGED)."
                ));
                None
            }
        },
    };
    progress.stage(&t!("Finder projektark i indbakken", "Finding projektark in the inbox"));
    let files = stage::inputs(settings, std::slice::from_ref(&settings.paths.inbox), &[])?;
    progress.stage(&t!("Læser og kontrollerer projektarkene", "Reading and checking the projektark"));
    let bar = progress.bar(files.len(), &t!("Kontrollerer", "Checking"));
    let report = stage::check(settings, loaded, &files, previous.as_ref(), &opts.period, &|| bar.inc(1));
    bar.finish_and_clear();
    crate::sys::fault::point("after-check");

    let build = workdir::build_dir(&settings.paths.output, &opts.period)?;
    progress.stage(&t!("Annoterer projektarkene", "Annotating the projektark"));
    let bar = progress.bar(report.projects.len(), &t!("Annoterer", "Annotating"));
    let annotated = outputs::annotate_all(
        &report,
        settings.lang,
        Some((&build.join("annoteret"), crate::sys::fs::Mode::Fresh)),
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let written = annotated.iter().filter(|a| a.result.is_ok()).count();
    crate::sys::fault::point("after-annotate");
    progress.stage(&t!("Skriver porteføljearket og fund-JSON", "Writing the portfolio workbook and findings JSON"));
    let portfolio_path = build.join(crate::render::portfolio::file_name(&opts.period));
    let portfolio =
        Arc::new(crate::render::portfolio::build(&report, settings.lang).map_err(|e| Error::xlsx(&portfolio_path, e))?);
    crate::sys::fs::write(&portfolio_path, &portfolio, Fresh)?;
    crate::sys::fs::write(
        &build.join(crate::render::json::file_name(&opts.period)),
        crate::render::json::render(&report, settings.lang).as_bytes(),
        Fresh,
    )?;
    progress.stage(&t!("Laver mails", "Rendering mails"));
    if let Some(log) = outputs::decision_log(&report) {
        crate::sys::fs::write(&build.join(outputs::DECISION_LOG), log.as_bytes(), Fresh)?;
    }
    let messages = outputs::render_messages(
        &report,
        &settings.paths,
        &settings.mail,
        settings.lang,
        meeting,
        &portfolio,
        &annotated,
    )?;
    if settings.mail.project_leads {
        // Why a project's lead gets no mail: no annotated copy to send, or no usable address.
        let (mut no_copy, mut no_address) = (Vec::new(), Vec::new());
        for c in &annotated {
            let p = &report.projects[c.project];
            if c.result.is_err() {
                no_copy.push(p.key());
            } else if !p.project.fields.lead_email.given().is_some_and(|e| crate::model::value::email_is_valid(e)) {
                no_address.push(p.key());
            }
        }
        if !no_address.is_empty() {
            let list = no_address.join(", ");
            notes.push(t!(
                "Ingen tilbagemelding til projektlederen for {list}: e-mailadressen mangler eller er ugyldig (se fundene).",
                "No feedback to the project lead for {list}: the e-mail address is missing or invalid (see the findings)."
            ));
        }
        if !no_copy.is_empty() {
            let list = no_copy.join(", ");
            notes.push(t!(
                "Ingen tilbagemelding til projektlederen for {list}: der kunne ikke laves en annoteret kopi at sende (se nedenfor).",
                "No feedback to the project lead for {list}: no annotated copy could be made to send (see below)."
            ));
        }
    }
    progress.stage(&t!("Skriver mails som filer", "Writing mails as files"));
    crate::deliver::files::write_files(&build.join("post"), &messages, now, crate::sys::fs::Mode::Fresh)?;
    progress.stage(&t!("Skriver kopier af input og manifest", "Writing input copies and the manifest"));
    outputs::write_inputs(&build.join("input"), &report, &settings.paths.base_dir)?;
    let model_copy = outputs::model_copy_name(&settings.paths.rules, &report, &settings.paths.base_dir);
    crate::sys::fs::write_fresh_with_mode(&build.join("input").join(model_copy), &model_bytes, model_mode)?;
    let model_sha = outputs::sha256_hex(&model_bytes);
    let manifest = |sent: Option<&crate::deliver::smtp::SendReport>, send_error: Option<&str>| {
        outputs::manifest(&outputs::ManifestInput {
            report: &report,
            paths: &settings.paths,
            model_sha256: &model_sha,
            created: now,
            annotated: &annotated,
            messages: &messages,
            sent,
            send_error,
        })
    };
    crate::sys::fs::write(&build.join("manifest.json"), manifest(None, None).as_bytes(), Fresh)?;
    crate::sys::fs::sync_folder(&build)?;
    crate::sys::fault::point("before-publish-folder");
    progress.stage(&t!("Lægger periodemappen på plads", "Putting the period folder in place"));
    let replaced = settings.paths.output.join(&opts.period).exists();
    let folder = workdir::publish(&settings.paths.output, &opts.period, build)?;
    crate::sys::fault::point("after-publish");

    let (mut sent, mut send_error) = (None, None);
    if opts.send {
        progress.stage(&t!("Sender mails", "Sending mails"));
        let password = std::env::var("OS2GOV_SMTP_PASSWORD").ok();
        let mut ledger = crate::deliver::ledger::Ledger::load(&settings.paths.output.join(LEDGER_FILE))?;
        let mut log = |text: &crate::text::Text| progress.stage(text);
        // Ctrl-C / SIGTERM: the message in flight is finished and recorded, then sending stops.
        let signals = crate::run::signals::StopOnSignal::install();
        let stop = || signals.requested();
        match crate::deliver::smtp::send_all(
            &settings.smtp,
            password.as_deref(),
            &messages,
            &mut ledger,
            opts.resend,
            now,
            &mut log,
            &stop,
        ) {
            Ok(report) => sent = Some(report),
            Err(failure) => {
                // Keep what was sent (and refused) before the failure, for the summary and manifest.
                let failure = *failure;
                sent = Some(failure.report);
                send_error = Some(failure.error);
            }
        }
        let error_text = send_error.as_ref().map(|e| e.render(crate::text::Lang::En));
        crate::sys::fs::write_atomic(
            &folder.join("manifest.json"),
            manifest(sent.as_ref(), error_text.as_deref()).as_bytes(),
        )?;
        crate::sys::fs::sync_folder(&folder)?;
    }
    progress.stage(&t!("Færdig", "Done"));
    Ok(RunResult {
        folder,
        replaced,
        annotated: written,
        rebuilt: annotated.iter().filter(|a| a.rebuilt.is_some()).map(|a| a.file_name.clone()).collect(),
        annotate_failed: annotated
            .iter()
            .filter_map(|a| a.result.as_ref().err().map(|e| (a.file_name.clone(), e.clone())))
            .collect(),
        messages: messages.len(),
        meeting,
        sent,
        send_error,
        recovered,
        notes,
        stale_lock,
        report,
    })
}

/// The ledger of sent messages, in the output folder (outside the period folders, which a
/// re-run replaces).
pub const LEDGER_FILE: &str = "sendt.jsonl";
