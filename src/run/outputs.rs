//! Builds what a run leaves behind for people and machines: annotated copies, the
//! portfolio workbook, the findings JSON, the mails, byte copies of the inputs and the
//! manifest. Writes only into the folder it is given (a temporary build folder).

use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::config::settings::{Mail, Paths};
use crate::deliver;
use crate::deliver::outbox::{Attachment, Kind, MessageKey, OutMessage};
use crate::digest::{self, Templates};
use crate::error::{Error, Result};
use crate::model::value::email_is_valid;
use crate::render::annotated::{self, Annotated};
use crate::sys::fs::{Mode, write};
use crate::sys::names::safe_file_stem;
use crate::text::{Lang, Text};
use chrono::{DateTime, FixedOffset, NaiveDate};
use rayon::prelude::*;
use serde_json::json;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The MIME type of a macro-enabled workbook (`.xlsm`).
pub const XLSM_TYPE: &str = "application/vnd.ms-excel.sheet.macroEnabled.12";

/// The MIME type of an annotated copy, by its name (`.xlsm` keeps its macro-enabled type).
pub fn workbook_type(file_name: &str) -> &'static str {
    if file_name.to_ascii_lowercase().ends_with(".xlsm") { XLSM_TYPE } else { XLSX_TYPE }
}

/// The extension of an annotated copy: `xlsm` when the package is macro-enabled (a
/// macro workbook stays one, under its own name and type, in every output and mail),
/// else `xlsx` (also for a copy rebuilt from the values, which has no macros).
pub fn copy_extension(bytes: &[u8]) -> &'static str {
    if crate::ooxml::is_macro_enabled(bytes) { "xlsm" } else { "xlsx" }
}

/// The content hash of a project-lead message's key: the first 16 hex digits of the
/// projektark's sha256 (hashed once, at load time: [`ProjectResult::sha256`]).
pub fn content_hash(p: &ProjectResult) -> String {
    p.sha256().chars().take(16).collect()
}

/// One annotated copy and the name it is written under.
pub struct AnnotatedCopy {
    pub project: usize,
    pub file_name: String,
    pub result: std::result::Result<Arc<Vec<u8>>, Text>,
    pub rebuilt: Option<Text>,
}

/// Output file names (without extension) from Projekt-IDs (the input's file name when
/// there is no valid ID), sanitised and bounded in bytes (a shortened name gets a stable
/// hash). When two workbooks share an ID, the input's file name is added; any name still
/// taken (compared case-insensitively, as Windows and macOS do) gets a counter, so no
/// copy ever overwrites another. Every name with its extension fits in
/// [`crate::sys::names::MAX_NAME_BYTES`].
pub fn annotated_stems(report: &Report) -> Vec<String> {
    let stems: Vec<String> = report.projects.iter().map(|p| safe_file_stem(&p.key())).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for s in &stems {
        *counts.entry(s.to_lowercase()).or_default() += 1;
    }
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    report
        .projects
        .iter()
        .zip(&stems)
        .map(|(p, stem)| {
            let base = if counts[&stem.to_lowercase()] > 1 && p.project.id().is_some() {
                let input = p.path.file_stem().map(crate::sys::names::escaped_component).unwrap_or_default();
                crate::sys::names::bounded_name(
                    &format!("{stem}__{}", safe_file_stem(&input)),
                    crate::sys::names::MAX_NAME_BYTES - 16,
                )
            } else {
                stem.clone()
            };
            let mut name = base.clone();
            let mut n = 1;
            while !taken.insert(name.to_lowercase()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            name
        })
        .collect()
}

/// The name the lead's annotated copy is attached under: the lead's own file name (as it
/// lies in the inbox), so that the corrected workbook sent back replaces the old one in
/// the inbox under the same name. The copy's name in `annoteret/` (by Projekt-ID) is the
/// fallback for a name that is not valid UTF-8, too long, or not a workbook's.
pub fn returned_name(p: &ProjectResult, fallback: &str) -> String {
    let name = p.path.file_name().and_then(|n| n.to_str()).map(str::trim).unwrap_or_default();
    let ext = std::path::Path::new(name).extension().and_then(|e| e.to_str()).map(str::to_lowercase);
    let plain = name.chars().all(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'));
    match ext.as_deref() {
        Some("xlsx" | "xlsm") if plain && name.len() <= crate::sys::names::MAX_NAME_BYTES && !name.starts_with('.') => {
            name.to_string()
        }
        _ => fallback.to_string(),
    }
}

/// Annotates every project, in parallel; with `dir`, each copy is written there as soon as
/// it is made (so writing overlaps the work on the next ones).
pub fn annotate_all(
    report: &Report,
    lang: Lang,
    dir: Option<(&Path, Mode)>,
    on_done: &(dyn Fn() + Sync),
) -> Result<Vec<AnnotatedCopy>> {
    let stems = annotated_stems(report);
    report
        .projects
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let done = annotated::annotate_project(p, &report.rules, &report.register.register, report.as_of, lang);
            let ext = match &done {
                Ok(a) => copy_extension(&a.bytes),
                Err(_) => copy_extension(&p.bytes),
            };
            let file_name = format!("{}.{ext}", stems[i]);
            if let (Some(dir), Ok(a)) = (dir, &done) {
                write(&dir.0.join(&file_name), &a.bytes, dir.1)?;
            }
            on_done();
            match done {
                Ok(Annotated { bytes, rebuilt }) => {
                    Ok(AnnotatedCopy { project: i, file_name, result: Ok(Arc::new(bytes)), rebuilt })
                }
                Err(why) => Ok(AnnotatedCopy { project: i, file_name, result: Err(why), rebuilt: None }),
            }
        })
        .collect()
}

/// The board meeting a digest is for: the one given, or the first on or after as-of. A
/// given date must be one of the styringsmodel's Bestyrelsesmøder – a typo would send the
/// board papers for a meeting that does not exist – unless `force`; then the returned note
/// says so.
pub fn meeting_for(
    rules: &crate::model::rules::Rules,
    as_of: NaiveDate,
    given: Option<NaiveDate>,
    force: bool,
) -> Result<(Option<NaiveDate>, Option<crate::text::Text>)> {
    let Some(date) = given else {
        return Ok((rules.next_meeting(as_of).map(|m| m.date), None));
    };
    if rules.meetings.iter().any(|m| m.date == date) {
        return Ok((Some(date), None));
    }
    let d = crate::model::value::format_date(date);
    if force {
        return Ok((
            Some(date),
            Some(crate::text::t!(
                "Mødedatoen {d} står ikke i styringsmodellens Bestyrelsesmøder; den er brugt, fordi du bad om det (--force-meeting).",
                "The meeting date {d} is not in the styringsmodel's Bestyrelsesmøder; it was used because you asked for it (--force-meeting)."
            )),
        ));
    }
    let listed: Vec<String> = rules
        .meetings
        .iter()
        .filter(|m| crate::model::value::add_days(as_of, -93).is_none_or(|from| m.date >= from))
        .take(8)
        .map(|m| crate::model::value::format_date(m.date))
        .collect();
    let listed = if listed.is_empty() { "ingen / none".to_string() } else { listed.join(", ") };
    Err(Error::Usage(crate::text::t!(
        "--meeting {d} står ikke i styringsmodellens Bestyrelsesmøder. Møderne er: {listed}. Ret datoen, tilføj mødet i fanen Bestyrelsesmøder – eller tilføj --force-meeting, hvis datoen er rigtig.",
        "--meeting {d} is not in the styringsmodel's Bestyrelsesmøder. The meetings are: {listed}. Fix the date, add the meeting to the Bestyrelsesmøder sheet – or add --force-meeting if the date is right."
    )))
}

/// Renders every message with the templates (embedded, or overridden in the working
/// folder): the digest for each active recipient (in their language) and, when enabled,
/// feedback for each project lead with their annotated copy and reminders for projects
/// not sent in.
pub fn render_messages(
    report: &Report,
    paths: &Paths,
    sender: &Mail,
    lang: Lang,
    meeting: Option<NaiveDate>,
    portfolio: &Arc<Vec<u8>>,
    annotated: &[AnnotatedCopy],
) -> Result<Vec<OutMessage>> {
    let templates = templates(paths)?;
    let mut out = Vec::new();
    let portfolio_file = crate::render::portfolio::file_name(&report.period);
    let entries = crate::board::entries(report);
    // The portfolio hashed and encoded once for every board member's message.
    let portfolio_work = crate::deliver::outbox::Shared::for_many();
    for r in report.rules.recipients.iter().filter(|r| r.active) {
        let mut view = digest::digest_view_of(report, &entries, meeting, &r.name, r.lang, &portfolio_file);
        // The secretariat's own section goes only to the secretariat.
        if r.role == crate::model::choice::RecipientRole::Sekretariat {
            view = view.for_secretariat(report, r.lang);
        }
        let mail = templates.digest(&view)?;
        out.push(OutMessage {
            key: MessageKey {
                period: report.period.clone(),
                meeting,
                recipient: r.email.trim().to_lowercase(),
                kind: Kind::Digest,
                project: None,
                content: None,
            },
            to_name: r.name.clone(),
            to_email: r.email.clone(),
            from: sender.from.clone(),
            subject: mail.subject,
            html: mail.html,
            text: mail.text,
            lang: r.lang,
            attachments: vec![Attachment {
                filename: portfolio_file.clone(),
                content_type: XLSX_TYPE.into(),
                bytes: portfolio.clone(),
                shared: portfolio_work.clone(),
            }],
        });
    }
    if sender.project_leads {
        let mut keys = std::collections::HashSet::new();
        for copy in annotated {
            let p: &ProjectResult = &report.projects[copy.project];
            let (Some(email), Ok(bytes)) = (p.project.fields.lead_email.given(), &copy.result) else { continue };
            if !email_is_valid(email) {
                continue;
            }
            let key = MessageKey {
                period: report.period.clone(),
                // Not the meeting: a run after the board meeting in the same period must
                // not mail the same feedback again (see MessageKey::normalised).
                meeting: None,
                recipient: email.trim().to_lowercase(),
                kind: Kind::ProjectLead,
                // The Projekt-ID and the projektark's content, never the copy's file name
                // (which changes when another workbook shares the ID).
                project: Some(p.key()),
                content: Some(content_hash(p)),
            };
            // Byte-identical copies of one projektark: one mail.
            if !keys.insert(key.clone()) {
                continue;
            }
            let attachment = returned_name(p, &copy.file_name);
            let view = digest::lead_view(report, p, lang, &attachment, meeting);
            let mail = templates.lead(&view)?;
            out.push(OutMessage {
                key,
                to_name: p.lead_name(),
                to_email: email.clone(),
                from: sender.from.clone(),
                subject: mail.subject,
                html: mail.html,
                text: mail.text,
                lang,
                attachments: vec![Attachment {
                    filename: attachment,
                    content_type: workbook_type(&copy.file_name).into(),
                    bytes: bytes.clone(),
                    shared: Default::default(),
                }],
            });
        }
        // A project whose projektark did not come in: a reminder to the lead known from
        // the previous run.
        for n in &report.not_submitted {
            let Some(email) = n.lead_email.as_deref().filter(|e| email_is_valid(e)) else { continue };
            let key = MessageKey {
                period: report.period.clone(),
                // Not the meeting: a run after the board meeting in the same period must
                // not mail the same feedback again (see MessageKey::normalised).
                meeting: None,
                recipient: email.trim().to_lowercase(),
                kind: Kind::Reminder,
                project: Some(n.key.clone()),
                content: None,
            };
            if !keys.insert(key.clone()) {
                continue;
            }
            let mail = templates.reminder(&digest::reminder_view(report, n, lang))?;
            out.push(OutMessage {
                key,
                to_name: n.lead.clone().unwrap_or_default(),
                to_email: email.to_string(),
                from: sender.from.clone(),
                subject: mail.subject,
                html: mail.html,
                text: mail.text,
                lang,
                attachments: Vec::new(),
            });
        }
    }
    Ok(out)
}

/// The board's decision log as Markdown, for publishing, when the styringsmodel keeps one.
pub fn decision_log(report: &Report) -> Option<String> {
    crate::board::log::markdown(&report.rules, report.as_of)
}

/// The file name of the published decision log in a period folder.
pub const DECISION_LOG: &str = "beslutningslog.md";

/// Where the copy of an input goes inside `input/`: its path relative to the working folder
/// (`base`), each part written losslessly ([`crate::sys::names::escaped_component`]), so two
/// inputs never share a copy – not even names that differ only in bytes that are not
/// UTF-8 – and never a name too long for the file system. Never climbs out.
pub fn input_copy_path(path: &Path, base: &Path) -> PathBuf {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(crate::sys::names::escaped_component(s)),
            _ => None,
        })
        .collect()
}

/// Byte copies of every input as read, under [`input_copy_path`], each with no more
/// permission than the input itself had.
pub fn write_inputs(dir: &Path, report: &Report, base: &Path) -> Result<()> {
    type Copy<'a> = (&'a Path, Option<&'a Arc<Vec<u8>>>, Option<u32>);
    let copies: Vec<Copy<'_>> = report
        .projects
        .iter()
        .map(|p| (p.path.as_path(), Some(&p.bytes), p.mode))
        .chain(report.unreadable.iter().map(|u| (u.path.as_path(), u.bytes.as_ref(), u.mode)))
        .chain(report.skipped.iter().map(|s| (s.path.as_path(), Some(&s.bytes), s.mode)))
        .chain(report.set_aside.iter().map(|s| (s.path.as_path(), Some(&s.bytes), s.mode)))
        .collect();
    copies.par_iter().try_for_each(|(path, bytes, mode)| {
        let Some(bytes) = bytes else { return Ok(()) };
        crate::sys::fs::write_fresh_with_mode(&dir.join(input_copy_path(path, base)), bytes, *mode)
    })?;
    Ok(())
}

/// The name of the styringsmodel's copy in `input/`: its own file name, unless an input's
/// copy already has that name (an inbox holding a projektark of the same name).
pub fn model_copy_name(rules: &Path, report: &Report, base: &Path) -> String {
    let name = rules.file_name().map_or_else(|| "styringsmodel.xlsx".to_string(), crate::sys::names::escaped_component);
    let taken = report
        .projects
        .iter()
        .map(|p| &p.path)
        .chain(report.unreadable.iter().map(|u| &u.path))
        .chain(report.skipped.iter().map(|s| &s.path))
        .chain(report.set_aside.iter().map(|s| &s.path))
        .any(|p| input_copy_path(p, base) == Path::new(&name));
    if taken { format!("_styringsmodel_{name}") } else { name }
}

/// The name of the register's copy in `input/`: its own file name, unless an input's copy
/// or the styringsmodel's already has it.
pub fn register_copy_name(register: &Path, report: &Report, base: &Path, model_copy: &str) -> String {
    let name =
        register.file_name().map_or_else(|| "sekretariat.xlsx".to_string(), crate::sys::names::escaped_component);
    let taken = name == model_copy
        || report
            .projects
            .iter()
            .map(|p| &p.path)
            .chain(report.unreadable.iter().map(|u| &u.path))
            .chain(report.skipped.iter().map(|s| &s.path))
            .any(|p| input_copy_path(p, base) == Path::new(&name));
    if taken { format!("_register_{name}") } else { name }
}

/// What went into and out of a run, for the manifest.
pub struct ManifestInput<'a> {
    pub report: &'a Report,
    pub paths: &'a Paths,
    pub model_sha256: &'a str,
    /// The register's copy in `input/` and its sha256, when there is a register.
    pub register: Option<(&'a str, &'a str)>,
    pub created: DateTime<FixedOffset>,
    pub annotated: &'a [AnnotatedCopy],
    pub messages: &'a [OutMessage],
    pub sent: Option<&'a deliver::smtp::SendReport>,
    pub send_error: Option<&'a str>,
    /// The replaced folder kept as a revision (mails were sent from it).
    pub revision: Option<&'a crate::render::run::Revision>,
    /// What the run summary notes (in English here).
    pub notes: &'a [Text],
}

pub fn manifest(m: &ManifestInput<'_>) -> String {
    let report = m.report;
    let copy_name = |path: &Path| {
        let rel = input_copy_path(path, &m.paths.base_dir);
        format!("input/{}", rel.to_string_lossy().replace('\\', "/"))
    };
    let inputs: Vec<_> = report
        .projects
        .iter()
        .map(|p| json!({"file": p.file, "copy": copy_name(&p.path), "sha256": p.sha256(), "bytes": p.bytes.len(), "project": p.key(), "status": "checked"}))
        .chain(report.unreadable.iter().map(|u| {
            json!({"file": u.file, "copy": u.bytes.as_ref().map(|_| copy_name(&u.path)), "sha256": u.bytes.as_ref().map(|b| crate::sys::fs::sha256_hex(b)), "bytes": u.bytes.as_ref().map(|b| b.len()), "project": null, "status": "unreadable"})
        }))
        .chain(report.skipped.iter().map(|s| {
            json!({"file": s.file, "copy": copy_name(&s.path), "sha256": crate::sys::fs::sha256_hex(&s.bytes), "bytes": s.bytes.len(), "project": null, "status": "blank_template"})
        }))
        .chain(report.set_aside.iter().map(|s| {
            json!({"file": s.file, "copy": copy_name(&s.path), "sha256": crate::sys::fs::sha256_hex(&s.bytes), "bytes": s.bytes.len(), "project": s.key, "status": "set_aside", "current": s.current, "saved": s.saved.map(|t| t.to_rfc3339())})
        }))
        .collect();
    let key_json = |k: &MessageKey| json!({"recipient": k.recipient, "kind": k.kind.as_str(), "project": k.project, "content": k.content, "meeting": k.meeting.map(|d| d.to_string())});
    let sent = m.sent.map(|s| {
        json!({
            "sent": s.sent.iter().map(|x| { let mut v = key_json(&x.key); v["message_id"] = json!(x.message_id); v }).collect::<Vec<_>>(),
            "already_sent": s.skipped_already_sent.len(),
            "refused": s.refused.iter().map(|(k, why)| { let mut v = key_json(k); v["answer"] = json!(why.en); v }).collect::<Vec<_>>(),
            "deferred": s.deferred.iter().map(|(k, why)| { let mut v = key_json(k); v["answer"] = json!(why.en); v }).collect::<Vec<_>>(),
            "resent_unconfirmed": s.resent_unconfirmed.iter().map(key_json).collect::<Vec<_>>(),
            "stopped": s.stopped,
        })
    });
    let value = json!({
        "tool": "os2gov",
        "version": env!("CARGO_PKG_VERSION"),
        "period": report.period,
        "as_of": report.as_of.to_string(),
        "created": m.created.to_rfc3339(),
        "styringsmodel": {
            "file": m.paths.rules.file_name().map(|f| f.to_string_lossy().into_owned()),
            "version": report.rules.document.version,
            "sha256": m.model_sha256,
        },
        "register": m.register.map(|(copy, sha)| json!({
            "file": m.paths.register.file_name().map(|f| f.to_string_lossy().into_owned()),
            "copy": format!("input/{copy}"),
            "sha256": sha,
            "invalid_rows": report.register.findings.len(),
        })),
        "inputs": inputs,
        "counts": serde_json::to_value(report.summary()).unwrap_or_default(),
        "annotated": {
            "written": m.annotated.iter().filter(|a| a.result.is_ok()).count(),
            "rebuilt": m.annotated.iter().filter(|a| a.rebuilt.is_some()).map(|a| a.file_name.clone()).collect::<Vec<_>>(),
            "failed": m.annotated.iter().filter_map(|a| a.result.as_ref().err().map(|e| json!({"file": a.file_name, "reason": e.en}))).collect::<Vec<_>>(),
        },
        "messages": {
            "written": m.messages.len(),
            "send": sent,
            "send_error": m.send_error,
        },
        "notes": m.notes.iter().map(|n| n.en.clone()).collect::<Vec<_>>(),
        "revision_kept": m.revision.map(|r| json!({
            "folder": format!("{}/{}", crate::render::run::REVISIONS, r.number),
            "created": r.created,
            "sent": r.sent,
        })),
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

/// The templates: embedded, overridden by a `templates/` folder next to os2gov.toml.
pub fn templates(paths: &Paths) -> Result<Templates> {
    let dir = paths.config_file.as_ref().map(|_| paths.base_dir.join("templates"));
    Templates::load(dir.as_deref().filter(|d| d.is_dir()))
}

/// Now in Copenhagen, for mail headers, the ledger and the manifest (never for checks).
pub fn now() -> DateTime<FixedOffset> {
    chrono::Utc::now().with_timezone(&chrono_tz::Europe::Copenhagen).fixed_offset()
}
