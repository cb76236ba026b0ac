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
use crate::text::{Text, t};
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
    // The examples `init` wrote (sender, mail server, recipients) are said until changed
    // (not under -q, like the styringsmodel's own warnings).
    if !settings.terminal.quiet() {
        notes.extend(workdir::placeholders(settings, &loaded.rules));
    }
    // The history through the newest earlier period (issue 20): what every check compares
    // with. A damaged archive is a note, never a stop.
    let (history, history_notes) =
        crate::run::archive::history(&settings.paths.output, &opts.period, &loaded.rules, &settings.paths);
    notes.extend(history_notes);
    let previous = history.as_ref().map(crate::check::previous::Previous::from_state);
    // A message a killed run sent again after an earlier kill: said by the next run that
    // completes (this one), however the one that sent it ended.
    for n in crate::deliver::ledger::pending_notices(&settings.paths.output.join(LEDGER_FILE)) {
        notes.push(crate::render::run::possible_duplicate(&n.key, Some(n.at)));
    }
    progress.stage(&t!("Finder projektark i indbakken", "Finding projektark in the inbox"));
    // The output folder and the styringsmodel may lie inside the inbox (e.g. inbox = "."):
    // they are skipped, so a run never reads what an earlier run wrote.
    let walk = stage::inputs(settings, std::slice::from_ref(&settings.paths.inbox), &[])?;
    progress.stage(&t!("Læser og kontrollerer projektarkene", "Reading and checking the projektark"));
    let rules = Arc::new(loaded.rules);
    let check = |register: crate::check::report::RegisterUse| {
        let bar = progress.bar(walk.files.len(), &t!("Kontrollerer", "Checking"));
        let report = stage::check_files(
            stage::CheckInput {
                rules: rules.clone(),
                model_findings: loaded.warnings.clone(),
                walk: &walk,
                base: &settings.paths.base_dir,
                previous: previous.as_ref(),
                as_of: settings.as_of,
                period: opts.period.clone(),
                limits: crate::load::workbook::Limits::default(),
                register,
            },
            &|| bar.inc(1),
        );
        bar.finish_and_clear();
        report
    };
    // The secretariat's register: read it, or – the first time – create it with what the
    // projektark and the previous run say, and check against that.
    let (report, register_bytes) = match workdir::read_register_file(&settings.paths)? {
        Some((bytes, mode)) => {
            let loaded_register = workdir::load_register_bytes(&settings.paths, &bytes, &rules)?;
            let register = crate::check::report::RegisterUse {
                register: Arc::new(loaded_register.register),
                findings: loaded_register.findings,
                ..Default::default()
            };
            (check(register), Some((bytes, mode)))
        }
        None => {
            let first = check(crate::check::report::RegisterUse::default());
            // The register is created from what the previous run applied (its findings JSON);
            // a damaged one must not stop the month.
            let (previous_json, previous_note) =
                workdir::previous_run(&settings.paths.output, &opts.period, &settings.paths.base_dir);
            notes.extend(previous_note);
            let rows = crate::check::register::migration(&rules, &first.projects, previous_json.as_ref(), &opts.period);
            drop(first);
            progress.stage(&t!("Opretter sekretariatets register", "Creating the secretariat's register"));
            crate::render::register::write_register(&settings.paths.register, &rules, &rows)?;
            let (bytes, mode) = workdir::read_register_file(&settings.paths)?.ok_or_else(|| {
                Error::Usage(t!(
                    "Sekretariatets register forsvandt, lige efter det blev oprettet.",
                    "The secretariat's register disappeared right after it was created."
                ))
            })?;
            let loaded_register = workdir::load_register_bytes(&settings.paths, &bytes, &rules)?;
            let (f, np, na) =
                (settings.terminal.shown(&settings.paths.register), rows.placements.len(), rows.assessments.len());
            let note = if rows.is_empty() {
                t!(
                    "Sekretariatets register {f} er oprettet (tomt). Her skriver sekretariatet niveauplaceringer og sine vurderinger af krav.",
                    "The secretariat's register {f} has been created (empty). The secretariat records level placements and its assessments of requirements there."
                )
            } else {
                t!(
                    "Sekretariatets register {f} er oprettet med {np} placeringer og {na} vurderinger overført fra projektarkene og den forrige kørsel – gennemgå, ret eller slet dem.",
                    "The secretariat's register {f} has been created with {np} placements and {na} assessments migrated from the projektark and the previous run – review, fix or delete them."
                )
            };
            let register = crate::check::report::RegisterUse {
                register: Arc::new(loaded_register.register),
                findings: loaded_register.findings,
                notes: vec![note],
                migrated: rows,
            };
            (check(register), Some((bytes, mode)))
        }
    };
    let mut report = stage::with_unknown_decisions(report, previous.as_ref());
    crate::sys::fault::point("after-check");
    // The board items of the newest earlier run: kept until the meeting, then carried.
    let (before, carry_notes) = crate::load::board_items::previous(&settings.paths.output, &opts.period);
    report.carry = crate::model::board_items::Carry { active: true, meeting, before };
    notes.extend(carry_notes);
    crate::check::history::age_not_submitted(&rules, &opts.period, &mut report.not_submitted);

    let build = workdir::build_dir(&settings.paths.output, &opts.period)?;
    let flush = crate::sys::fs::BackgroundFlush::start(&build, std::time::Duration::from_millis(100));
    progress.stage(&t!("Annoterer projektarkene", "Annotating the projektark"));
    let bar = progress.bar(report.projects.len(), &t!("Annoterer", "Annotating"));
    // The portfolio, the findings JSON, the history and the board's items do not depend on
    // the annotated copies: they are built and written meanwhile, by whichever thread is
    // free (the annotation keeps every other one busy).
    let (annotated, summary) = rayon::join(
        || {
            outputs::annotate_all(
                &report,
                settings.lang,
                Some((&build.join("annoteret"), crate::sys::fs::Mode::Fresh)),
                &|| bar.inc(1),
            )
        },
        || write_summary(&report, settings, opts, previous.as_ref(), history, &build),
    );
    let annotated = annotated?;
    let (portfolio, history_state) = summary?;
    bar.finish_and_clear();
    let written = annotated.iter().filter(|a| a.result.is_ok()).count();
    crate::sys::fault::point("after-annotate");
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
    crate::sys::fs::write_fresh_with_mode(&build.join("input").join(&model_copy), &model_bytes, model_mode)?;
    let model_sha = crate::sys::fs::sha256_hex(&model_bytes);
    // The register as read, before anything is appended to it.
    let register_copy = register_bytes.as_ref().map(|(bytes, mode)| {
        let name =
            outputs::register_copy_name(&settings.paths.register, &report, &settings.paths.base_dir, &model_copy);
        (name, crate::sys::fs::sha256_hex(bytes), bytes, *mode)
    });
    if let Some((name, _, bytes, mode)) = &register_copy {
        crate::sys::fs::write_fresh_with_mode(&build.join("input").join(name), bytes, *mode)?;
    }
    // What was sent is never lost: a folder mails went out from is kept as a revision.
    let plan = workdir::revision_plan(&settings.paths.output, &opts.period, &settings.paths.output.join(LEDGER_FILE))?;
    let manifest = |sent: Option<&crate::deliver::smtp::SendReport>, send_error: Option<&str>, notes: &[Text]| {
        outputs::manifest(&outputs::ManifestInput {
            report: &report,
            paths: &settings.paths,
            model_sha256: &model_sha,
            register: register_copy.as_ref().map(|(name, sha, _, _)| (name.as_str(), sha.as_str())),
            created: now,
            annotated: &annotated,
            messages: &messages,
            sent,
            send_error,
            revision: plan.as_ref(),
            notes,
        })
    };
    crate::sys::fs::write(&build.join("manifest.json"), manifest(None, None, &notes).as_bytes(), Fresh)?;
    flush.finish()?;
    crate::sys::fault::point("before-publish-folder");
    progress.stage(&t!("Lægger periodemappen på plads", "Putting the period folder in place"));
    let replaced = settings.paths.output.join(&opts.period).exists();
    let (folder, kept) = workdir::publish(&settings.paths.output, &opts.period, build, plan.is_some())?;
    // A re-run of an older period: the newer periods' history builds on it again.
    notes.extend(workdir::refold_newer(&settings.paths.output, &opts.period, history_state));
    let revision = plan.clone().zip(kept).map(|(plan, number)| workdir::Revision { number, ..plan });
    crate::sys::fault::point("after-publish");
    // The register is not part of the period folder: the rows waiting for the secretariat
    // are added to it once the period is in place (its copy as read is in input/).
    if let Some((read, _)) = &register_bytes {
        let pending = crate::check::secretariat::pending_rows(&report);
        notes.extend(crate::run::register::append_pending(settings, &report.register.register, read, &pending));
    }

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
                let n = failure.report.sent.len();
                sent = Some(failure.report);
                send_error = Some(match failure.error {
                    // The ledger could not be written (a full disk): say what went out before.
                    Error::Io(e) => {
                        let ledger = display_path(&settings.paths.output.join(LEDGER_FILE), &settings.paths.base_dir);
                        Error::Mail {
                            message: Text::new(e.render(crate::text::Lang::Da), e.render(crate::text::Lang::En)).then(
                                &t!(
                                    "Før det blev {n} mail(s) sendt og noteret i afsendelsesloggen {ledger}; resten er ikke sendt. Kør os2gov run --send igen, når der er plads.",
                                    "Before that, {n} mail(s) were sent and recorded in the send ledger {ledger}; the rest were not sent. Run os2gov run --send again when there is space."
                                ),
                            ),
                        }
                    }
                    other => other,
                });
            }
        }
        let error_text = send_error.as_ref().map(|e| e.render(crate::text::Lang::En));
        let recorded = crate::sys::fs::write_atomic(
            &folder.join("manifest.json"),
            manifest(sent.as_ref(), error_text.as_deref(), &notes).as_bytes(),
        )
        .and_then(|()| crate::sys::fs::sync_folder(&folder));
        // Mails have gone out: a manifest that cannot be written (a full disk) must not
        // hide how many, nor what the ledger holds. The summary says what was sent; the
        // error says both.
        if let Err(e) = recorded {
            let n = sent.as_ref().map_or(0, |s| s.sent.len());
            let ledger = display_path(&settings.paths.output.join(LEDGER_FILE), &settings.paths.base_dir);
            let (why, why_en) = (e.render(crate::text::Lang::Da), e.render(crate::text::Lang::En));
            let about = t!(
                "{n} mail(s) er sendt og noteret i afsendelsesloggen {ledger}, men manifest.json kunne ikke opdateres ({why}). Afsendelsesloggen er det, der gælder: kør os2gov run --send igen, når der er plads; kun det, der mangler, sendes.",
                "{n} mail(s) were sent and are recorded in the send ledger {ledger}, but manifest.json could not be updated ({why_en}). The send ledger is what counts: run os2gov run --send again when there is space; only what is missing is sent."
            );
            let message = match send_error.take() {
                Some(first) => {
                    Text::new(first.render(crate::text::Lang::Da), first.render(crate::text::Lang::En)).then(&about)
                }
                None => about,
            };
            send_error = Some(Error::Mail { message });
        }
    }
    progress.stage(&t!("Færdig", "Done"));
    // Reported in this summary: the notices of possible duplicates are done with.
    crate::deliver::ledger::clear_notices(&settings.paths.output.join(LEDGER_FILE));
    Ok(RunResult {
        folder,
        replaced,
        revision,
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

/// The portfolio workbook, the findings JSON, the board's items and the history through
/// this period, written into the build folder. Returns the portfolio (attached to the
/// board's digest) and the history (the newer periods' history builds on it).
fn write_summary(
    report: &crate::check::report::Report,
    settings: &Settings,
    opts: &Run,
    previous: Option<&crate::check::previous::Previous>,
    history: Option<crate::model::history::State>,
    build: &std::path::Path,
) -> Result<(Arc<Vec<u8>>, crate::model::history::State)> {
    let rules = &report.rules;
    // The history through this period, published with it (the portfolio's sheet Udvikling
    // shows its counts per period).
    let mut observed = crate::check::history::observe(rules, settings.as_of, &opts.period, &report.projects, previous);
    // The board's items, built once: counted for Udvikling and written for the next run.
    let board_items = crate::board::items(report);
    observed.portfolio = Some(crate::render::portfolio::point(report, board_items.len()));
    let history_file = crate::render::history::build(history.unwrap_or_default(), observed, None);
    let portfolio_path = build.join(crate::render::portfolio::file_name(&opts.period));
    let portfolio = Arc::new(
        crate::render::portfolio::build_with_history(report, settings.lang, Some(&history_file.state))
            .map_err(|e| Error::xlsx(&portfolio_path, e))?,
    );
    crate::sys::fs::write(&portfolio_path, &portfolio, Fresh)?;
    crate::sys::fs::write(
        &build.join(crate::render::json::file_name(&opts.period)),
        crate::render::json::render(report, settings.lang).as_bytes(),
        Fresh,
    )?;
    let board_file = build.join(crate::model::board_items::file_name(&opts.period));
    crate::sys::fs::write(&board_file, crate::render::board_items::render(report, board_items).as_bytes(), Fresh)?;
    crate::sys::fs::write(
        &build.join(crate::model::history::file_name(&opts.period)),
        crate::render::history::render(&history_file).as_bytes(),
        Fresh,
    )?;
    Ok((portfolio, history_file.state))
}

/// The ledger of sent messages, in the output folder (outside the period folders, which a
/// re-run replaces).
pub const LEDGER_FILE: &str = "sendt.jsonl";
