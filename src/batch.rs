//! The stages that work on a whole folder of projektark. `check_files` is the load+check
//! stage: every workbook read once and checked in parallel, the cross-project checks
//! after, then the changes since the previous run.

use crate::check::{Context, Previous, check_project, portfolio};
use crate::error::{Error, Result};
use crate::finding::{Code, Finding, Location, sort_for_reading};
use crate::load::projektark::load_projektark;
use crate::load::workbook::{InputFile, Limits, ReadError, read_input};
use crate::outputs;
use crate::progress::Progress;
use crate::report::{ProjectResult, Report, RunResult, Skipped, Unreadable, changes, display_path};
use crate::rules::Rules;
use crate::settings::Settings;
use crate::t;
use crate::workdir;
use chrono::NaiveDate;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What goes into a check run.
pub struct CheckInput<'a> {
    pub rules: Arc<Rules>,
    pub model_findings: Vec<Finding>,
    pub files: &'a [PathBuf],
    pub base: &'a Path,
    pub previous: Option<&'a Previous>,
    pub as_of: NaiveDate,
    pub period: String,
    pub limits: Limits,
}

enum Outcome {
    Checked(Box<ProjectResult>),
    Unreadable(Unreadable),
    Skipped(Skipped),
}

/// An unreadable file: the finding's message is the reason (the file is named beside it
/// wherever it is shown, once).
fn unreadable(path: &Path, file: String, input: Option<(Arc<Vec<u8>>, Option<u32>)>, error: &ReadError) -> Outcome {
    let message = error.clone().for_file(path).text();
    let (bytes, mode) = input.map_or((None, None), |(b, m)| (Some(b), m));
    Outcome::Unreadable(Unreadable {
        path: path.to_path_buf(),
        file,
        bytes,
        mode,
        finding: Finding::new(Code::InputUnreadable, Location::none(), message),
    })
}

fn check_one(input: &CheckInput<'_>, path: &Path, on_done: &(dyn Fn() + Sync)) -> Outcome {
    let file = display_path(path, input.base);
    let result = match read_input(path, &input.limits) {
        Err(e) => unreadable(path, file, None, &e),
        Ok(InputFile { bytes, mode }) => {
            let bytes = Arc::new(bytes);
            match load_projektark(&bytes, &input.rules, &input.limits) {
                Err(e) => unreadable(path, file, Some((bytes, mode)), &e),
                // A blank template (e.g. the one `init` writes) is nobody's projektark:
                // said once, not checked.
                Ok((project, _)) if project.is_blank_template() => {
                    Outcome::Skipped(Skipped { path: path.to_path_buf(), file, bytes, mode })
                }
                Ok((project, mut findings)) => {
                    let key = project.id().map(str::to_string);
                    let previous = key.as_ref().and_then(|k| input.previous.and_then(|p| p.projects.get(k)));
                    let ctx = Context { rules: &input.rules, as_of: input.as_of, period: &input.period, previous };
                    let (assessment, checked) = check_project(&ctx, &project);
                    findings.extend(checked);
                    Outcome::Checked(Box::new(ProjectResult {
                        path: path.to_path_buf(),
                        file,
                        bytes,
                        mode,
                        project,
                        assessment,
                        findings,
                    }))
                }
            }
        }
    };
    on_done();
    result
}

/// Reads and checks every file (in parallel), then checks across projects.
pub fn check_files(input: CheckInput<'_>, on_done: &(dyn Fn() + Sync)) -> Report {
    let outcomes: Vec<Outcome> = input.files.par_iter().map(|path| check_one(&input, path, on_done)).collect();
    let mut projects = Vec::new();
    let mut unread = Vec::new();
    let mut skipped = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Checked(p) => projects.push(*p),
            Outcome::Unreadable(u) => unread.push(u),
            Outcome::Skipped(s) => skipped.push(s),
        }
    }
    let ids: Vec<(Option<&str>, &str, Location)> = projects
        .iter()
        .map(|p| (p.project.id(), p.file.as_str(), crate::check::field_loc(&p.project, &p.project.fields.id)))
        .collect();
    let dups = portfolio::duplicates(&ids);
    for (p, extra) in projects.iter_mut().zip(dups) {
        p.findings.extend(extra);
        sort_for_reading(&mut p.findings);
    }
    projects.sort_by(|a, b| a.key().to_lowercase().cmp(&b.key().to_lowercase()).then_with(|| a.file.cmp(&b.file)));
    let changes = input.previous.map(|prev| changes::compute(&input.rules, prev, &projects)).unwrap_or_default();
    let not_submitted = input.previous.map(|prev| not_submitted(&input.rules, prev, &projects)).unwrap_or_default();
    Report {
        rules: input.rules,
        as_of: input.as_of,
        period: input.period,
        model_findings: input.model_findings,
        projects,
        unreadable: unread,
        skipped,
        not_submitted,
        changes,
        previous_period: input.previous.and_then(|p| p.period.clone()),
    }
}

/// Projects of the previous run whose projektark is missing now (closed ones are not
/// expected to report).
fn not_submitted(
    rules: &crate::rules::Rules,
    previous: &crate::check::Previous,
    projects: &[ProjectResult],
) -> Vec<crate::report::NotSubmitted> {
    let present: std::collections::HashSet<String> =
        projects.iter().map(|p| crate::model::choice::fold(&p.key())).collect();
    let closed = crate::model::choice::fold(&rules.phase(rules.key.closed).name);
    let mut out: Vec<crate::report::NotSubmitted> = previous
        .projects
        .iter()
        .filter(|(key, p)| {
            !present.contains(&crate::model::choice::fold(key))
                && p.phase.as_deref().is_none_or(|ph| crate::model::choice::fold(ph) != closed)
        })
        .map(|(key, p)| {
            let last = p.period.clone().unwrap_or_default();
            let finding = Finding::new(
                Code::InputNotSubmitted,
                Location::none(),
                crate::t!(
                    "{key}: projektarket var med i kørslen {last}, men er ikke indsendt denne gang. Projektlederen får en påmindelse; er projektet stoppet, så registrér stoppet (Udfaset) i projektarket.",
                    "{key}: the projektark was in the run {last}, but has not been sent in this time. The project lead gets a reminder; if the project has stopped, record the stop (Udfaset) in the projektark."
                ),
            );
            crate::report::NotSubmitted {
                key: key.clone(),
                name: p.name.clone(),
                lead: p.lead.clone(),
                lead_email: p.lead_email.clone(),
                last_period: p.period.clone(),
                finding,
            }
        })
        .collect();
    out.sort_by_key(|a| a.key.to_lowercase());
    out
}

/// What `os2gov run` was asked to do.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub period: String,
    pub send: bool,
    pub resend: bool,
    pub meeting: Option<NaiveDate>,
    /// Accept a meeting date that is not in Bestyrelsesmøder.
    pub force_meeting: bool,
    pub fail_on: Option<crate::finding::Severity>,
}

/// The monthly batch: lock → styringsmodel → previous period → load and check → annotate,
/// portfolio, findings, mails, inputs, manifest (in a temporary folder) → publish the
/// period folder → deliver → record what was sent.
pub fn run_month(settings: &Settings, opts: &RunOptions, progress: &Progress) -> Result<RunResult> {
    let now = outputs::now();
    workdir::check_inbox_outside_output(&settings.inbox, &settings.output)?;
    let (_lock, stale_lock) = workdir::lock(&settings.output, &now.to_rfc3339())?;
    let recovered = workdir::recover(&settings.output)?;
    progress.stage(&t!("Læser styringsmodellen", "Reading the styringsmodel"));
    let (model_bytes, model_mode) = workdir::read_model_file(settings)?;
    let loaded = workdir::load_model_bytes(settings, &model_bytes)?;
    let mut notes = Vec::new();
    // A --meeting date the styringsmodel does not list stops the run before anything is built.
    let (meeting, meeting_note) =
        outputs::meeting_for(&loaded.rules, settings.as_of, opts.meeting, opts.force_meeting)?;
    notes.extend(meeting_note);
    // A damaged previous findings file must not stop the month: run without comparing.
    let previous = match workdir::previous_findings(&settings.output, &opts.period) {
        None => None,
        Some((period, file)) => match workdir::read_previous_file(&file) {
            Ok(p) => Some(p),
            Err(_) => {
                let f = display_path(&file, &settings.base_dir);
                notes.push(t!(
                    "{f} kunne ikke læses, så denne kørsel sammenligner ikke med {period} (ingen ændringer, LEVEL-CHANGED eller PHASE-CHANGED-UNLOGGED).",
                    "{f} could not be read, so this run does not compare with {period} (no changes, LEVEL-CHANGED or PHASE-CHANGED-UNLOGGED)."
                ));
                None
            }
        },
    };
    progress.stage(&t!("Finder projektark i indbakken", "Finding projektark in the inbox"));
    // The output folder and the styringsmodel may lie inside the inbox (e.g. inbox = "."):
    // they are skipped, so a run never reads what an earlier run wrote.
    let files = crate::load::inbox::collect_excluding(
        std::slice::from_ref(&settings.inbox),
        &[settings.output.clone(), settings.rules.clone()],
    )?;
    progress.stage(&t!("Læser og kontrollerer projektarkene", "Reading and checking the projektark"));
    let bar = progress.bar(files.len(), &t!("Kontrollerer", "Checking"));
    let report = check_files(
        CheckInput {
            rules: Arc::new(loaded.rules),
            model_findings: loaded.warnings,
            files: &files,
            base: &settings.base_dir,
            previous: previous.as_ref(),
            as_of: settings.as_of,
            period: opts.period.clone(),
            limits: Limits::default(),
        },
        &|| bar.inc(1),
    );
    bar.finish_and_clear();
    crate::fault::point("after-check");

    let build = workdir::build_dir(&settings.output, &opts.period)?;
    progress.stage(&t!("Annoterer projektarkene", "Annotating the projektark"));
    let bar = progress.bar(report.projects.len(), &t!("Annoterer", "Annotating"));
    let annotated = outputs::annotate_all(
        &report,
        settings.lang,
        Some((&build.join("annoteret"), crate::fsutil::Mode::Fresh)),
        &|| bar.inc(1),
    )?;
    bar.finish_and_clear();
    let written = annotated.iter().filter(|a| a.result.is_ok()).count();
    crate::fault::point("after-annotate");
    progress.stage(&t!("Skriver porteføljearket og fund-JSON", "Writing the portfolio workbook and findings JSON"));
    let portfolio_path = build.join(outputs::portfolio_name(&opts.period));
    let portfolio = Arc::new(
        crate::annotate::portfolio::build(&report, settings.lang).map_err(|e| Error::xlsx(&portfolio_path, e))?,
    );
    crate::fsutil::write_atomic(&portfolio_path, &portfolio)?;
    crate::fsutil::write_atomic(
        &build.join(outputs::findings_name(&opts.period)),
        crate::report::json::render(&report, settings.lang).as_bytes(),
    )?;
    progress.stage(&t!("Laver mails", "Rendering mails"));
    if let Some(log) = outputs::decision_log(&report) {
        crate::fsutil::write_atomic(&build.join(outputs::DECISION_LOG), log.as_bytes())?;
    }
    let templates = outputs::templates(settings)?;
    let messages = outputs::render_messages(&report, settings, &templates, meeting, &portfolio, &annotated)?;
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
    crate::deliver::write_files(&build.join("post"), &messages, now, crate::fsutil::Mode::Fresh)?;
    progress.stage(&t!("Skriver kopier af input og manifest", "Writing input copies and the manifest"));
    outputs::write_inputs(&build.join("input"), &report, &settings.base_dir)?;
    let model_copy = outputs::model_copy_name(&settings.rules, &report, &settings.base_dir);
    crate::fsutil::write_fresh_with_mode(&build.join("input").join(model_copy), &model_bytes, model_mode)?;
    let model_sha = outputs::sha256_hex(&model_bytes);
    let manifest = |sent: Option<&crate::deliver::SendReport>, send_error: Option<&str>| {
        outputs::manifest(&outputs::ManifestInput {
            report: &report,
            settings,
            model_sha256: &model_sha,
            created: now,
            annotated: &annotated,
            messages: &messages,
            sent,
            send_error,
        })
    };
    crate::fsutil::write_atomic(&build.join("manifest.json"), manifest(None, None).as_bytes())?;
    crate::fsutil::sync_folder(&build)?;
    crate::fault::point("before-publish-folder");
    progress.stage(&t!("Lægger periodemappen på plads", "Putting the period folder in place"));
    let replaced = settings.output.join(&opts.period).exists();
    let folder = workdir::publish(&settings.output, &opts.period, build)?;
    crate::fault::point("after-publish");

    let (mut sent, mut send_error) = (None, None);
    if opts.send {
        progress.stage(&t!("Sender mails", "Sending mails"));
        let password = std::env::var("OS2GOV_SMTP_PASSWORD").ok();
        let mut ledger = crate::deliver::Ledger::load(&settings.output.join(LEDGER_FILE))?;
        let mut log = |text: &crate::text::Text| progress.stage(text);
        // Ctrl-C / SIGTERM: the message in flight is finished and recorded, then sending stops.
        let signals = crate::signals::StopOnSignal::install();
        let stop = || signals.requested();
        match crate::deliver::send_all(
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
        crate::fsutil::write_atomic(
            &folder.join("manifest.json"),
            manifest(sent.as_ref(), error_text.as_deref()).as_bytes(),
        )?;
        crate::fsutil::sync_folder(&folder)?;
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
