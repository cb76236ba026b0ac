//! The board's meeting pack on the samples and across runs: every breach the board owns is
//! on the agenda, once per project per section, in the board's words; concepts come with
//! their basis; a passed revision date, decisions logged and projects not sent in reach
//! the board; project leads are told what falls due next.

use crate::util::{TestDir, codes_of, sheet};
use os2gov::model::cell::Value;
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// A copy of the samples folder (without earlier outputs) in a temporary folder.
fn samples_copy() -> TestDir {
    let dir = TestDir::new();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for name in ["os2gov.toml", "styringsmodel.xlsx"] {
        std::fs::copy(src.join(name), dir.join(name)).unwrap();
    }
    std::fs::create_dir_all(dir.join("indsendt")).unwrap();
    for entry in std::fs::read_dir(src.join("indsendt")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join("indsendt").join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// The plain-text part of a message file.
fn text_of(path: &Path) -> String {
    let raw = std::fs::read(path).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&raw).expect("a parseable message");
    // Read as a person reads it: no-break spaces and hyphens as plain ones.
    msg.body_text(0).map(|t| t.replace('\u{a0}', " ").replace('\u{2011}', "-")).unwrap_or_default()
}

fn messages(dir: &Path, kind: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(&format!("-{kind}-")))
        .collect();
    out.sort();
    out
}

/// The digest's sections: title → the project lines (`- ID – name`) in it.
fn sections(text: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        // Section titles, and the headings after them that end a section's project list.
        let is_heading = [
            "BESLUTNING (",
            "DRØFTELSE (",
            "ORIENTERING (",
            "DECISION (",
            "DISCUSSION (",
            "INFORMATION (",
            "BESLUTTET",
            "ÆNDRINGER",
            "KONCEPT",
        ]
        .iter()
        .any(|t| line.starts_with(t));
        if is_heading {
            out.push((line.to_string(), Vec::new()));
        } else if let Some(project) = line.strip_prefix("- ")
            && let Some((last, projects)) = out.last_mut()
            && ["BESLUTNING", "DRØFTELSE", "ORIENTERING"].iter().any(|t| last.starts_with(t))
        {
            projects.push(project.split(" – ").next().unwrap_or(project).to_string());
        }
    }
    out
}

#[test]
fn the_samples_digest_is_an_agenda_for_the_board() {
    let dir = samples_copy();
    dir.run(&["run", "--config", "os2gov.toml"]).code(0);
    let out = dir.join("ud/2026-11");
    let digests = messages(&out.join("post"), "digest");
    assert!(!digests.is_empty());
    let text = text_of(&digests[0]);
    let secs = sections(&text);
    let decision = secs.iter().find(|(t, _)| t.starts_with("BESLUTNING")).expect("a Beslutning section");
    // The worst breach reaches the board, and so does the licence that needs a decision.
    for id in ["OS2autoproces", "OS2faktor", "OS2dialog", "OS2vagtplan", "OS2klimaregnskab", "OS2tilskud", "OS2vikar"] {
        assert!(decision.1.iter().any(|p| p == id), "{id} not under Beslutning:\n{text}");
    }
    // No project twice in a section.
    for (title, projects) in &secs {
        let mut seen = projects.clone();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), projects.len(), "{title}: {projects:?}");
    }
    // No requirement as a bare code: every ID is followed by its title.
    let model = std::fs::read(dir.join("styringsmodel.xlsx")).unwrap();
    let rules = os2gov::load::styringsmodel::load_rules(&model, crate::util::as_of()).unwrap().rules;
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if let Some(r) = rules.requirements.iter().find(|r| r.id == word) {
            assert!(text.contains(&format!("{} {}", r.id, r.text)), "{} appears without its title:\n{text}", r.id);
        }
    }
    // No lead instruction reaches the board: no finding message is in the digest.
    let j: Json = serde_json::from_str(&std::fs::read_to_string(out.join("fund-2026-11.json")).unwrap()).unwrap();
    for p in j["projects"].as_array().unwrap() {
        for f in p["findings"].as_array().unwrap() {
            let m = f["message"].as_str().unwrap();
            assert!(!text.contains(m), "a lead's message reached the board: {m}");
        }
    }
    // (An Orientering section is the board's: N1's level below is told, not decided.)
    for phrase in ["Skriv ", "Tilføj ", "Ret arket"] {
        assert!(!text.contains(phrase), "'{phrase}' in the digest:\n{text}");
    }
    // The concepts come with their basis, and side by side.
    assert!(text.contains("Formål: Én løsning til ansøgning"), "{text}");
    assert!(text.contains("Budget: 1,6 mio. kr."), "{text}");
    assert!(text.contains("Koncepterne side om side"), "{text}");
    assert!(text.contains("Det har ventet"), "the long-waiting concept is flagged:\n{text}");
    // Decisions logged since the last meeting, and the log published.
    assert!(text.contains("BESLUTTET SIDEN SIDSTE MØDE"), "{text}");
    let log = std::fs::read_to_string(out.join("beslutningslog.md")).expect("the decision log");
    assert!(
        log.contains("## 2026")
            && log.contains("### OS2sofd")
            && log.contains("| Dato | Beslutning | Grundlag | Truffet af | Reference |")
    );
    // A claimed approval the log lacks (from beslutningslog_fra) is told to the lead too
    // (correct the projektark, or the secretariat logs it) and is the board's Beslutning,
    // naming the missing record.
    assert!(codes_of(&j, "OS2forms").contains(&"DECISION-NOT-LOGGED".to_string()));
    let forms_mail = messages(&out.join("post"), "project_lead")
        .into_iter()
        .find(|p| p.to_string_lossy().contains("OS2forms"))
        .unwrap();
    assert!(text_of(&forms_mail).contains("beslutningslog"), "{}", text_of(&forms_mail));
    assert!(text.contains("beslutningsloggen har ingen godkendelse af OS2forms"), "{text}");
    // The reconciliation the secretariat alone follows up stays out of the lead's Kontrol.
    let kontrol = crate::util::cells(&out.join("annoteret/OS2forms.xlsx"), "Kontrol");
    assert!(!kontrol.iter().flatten().any(|c| c.starts_with("DECISION-NOT-IN-PROJEKTARK")), "{kontrol:?}");
}

#[test]
fn lead_mails_name_what_falls_due_next() {
    let dir = samples_copy();
    dir.run(&["run", "--config", "os2gov.toml"]).code(0);
    let post = dir.join("ud/2026-11/post");
    let lead = |id: &str| {
        let path = messages(&post, "project_lead").into_iter().find(|p| p.to_string_lossy().contains(id)).unwrap();
        text_of(&path)
    };
    let valghalla = lead("OS2valghalla");
    assert!(valghalla.contains("DET NÆSTE, DER FORFALDER"), "{valghalla}");
    assert!(valghalla.contains("Næste statusrapport (fremdrift og økonomi): senest 20-02-2027"), "{valghalla}");
    assert!(valghalla.contains("Næste selvevaluering"), "{valghalla}");
    // A clean project is not told about markings that are not there.
    assert!(!valghalla.contains("markeringer"), "{valghalla}");
    // A concept that has asked for the board (Bestyrelsesbehandling): the deadline for its
    // material before a meeting in the calendar.
    let tilskud = lead("OS2tilskud");
    assert!(
        tilskud.contains("Materiale til bestyrelsesmødet 10-12-2026 hos sekretariatet: senest 26-11-2026"),
        "{tilskud}"
    );
    // Near miss: a concept still in Koncept has not asked for the board – no deadline.
    let display = lead("OS2display");
    assert!(!display.contains("Materiale til bestyrelsesmødet"), "{display}");
    // A product: the coordination group's next report.
    assert!(lead("OS2iot").contains("Koordinationsgruppens næste driftsrapport"));
    // A closed project is not told what it lacks for the next level, nor what falls due.
    let closed = lead("OS2loop");
    assert!(!closed.contains("Det mangler for at nå") && !closed.contains("FORFALDER"), "{closed}");
}

#[test]
fn a_passed_revision_date_reaches_the_board() {
    let dir = TestDir::new().init();
    let dir = dir.model(|sheets| {
        sheet(sheets, "Dokument").rows[2][1] = Value::Date(crate::util::as_of() - chrono::Duration::days(1));
    });
    dir.projektark("indsendt/iot.xlsx", &dir.clean("OS2iot", "N2", "Implementering"));
    dir.run(&["run"]).code(0);
    let text = text_of(&messages(&dir.join("ud/2026-11/post"), "digest")[0]);
    let decision = text.split("DRØFTELSE").next().unwrap_or(&text);
    assert!(decision.contains("- Styringsmodellen"), "{text}");
    assert!(decision.contains("Revisionsdatoen") && decision.contains("Ejer: OS2-sekretariatet"), "{text}");
}

#[test]
fn a_project_that_stops_sending_gets_a_reminder_and_is_named() {
    let dir = TestDir::new().init();
    let rules = dir.rules();
    let clean_at = |id: &str, as_of: &str| {
        let d = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
        os2gov::check::fixtures::clean(
            &rules,
            id,
            rules.find_level("N1").unwrap(),
            rules.find_phase("Igangsat").unwrap(),
            d,
        )
    };
    dir.projektark("indsendt/a.xlsx", &clean_at("OS2aktiv", "2026-10-22"));
    dir.projektark("indsendt/b.xlsx", &clean_at("OS2tavs", "2026-10-22"));
    dir.run(&["run", "--as-of", "2026-10-22"]).code(0);
    std::fs::remove_file(dir.join("indsendt/b.xlsx")).unwrap();
    dir.projektark("indsendt/a.xlsx", &clean_at("OS2aktiv", "2026-11-26"));
    let out = dir.run(&["run"]).code(0).stdout();
    assert!(out.contains("Ikke indsendt (1): OS2tavs"), "{out}");
    let nov = dir.join("ud/2026-11");
    let j: Json = serde_json::from_str(&std::fs::read_to_string(nov.join("fund-2026-11.json")).unwrap()).unwrap();
    let missing = j["not_submitted"].as_array().unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(
        (missing[0]["code"].as_str(), missing[0]["project"].as_str()),
        (Some("INPUT-NOT-SUBMITTED"), Some("OS2tavs"))
    );
    let reminders = messages(&nov.join("post"), "reminder");
    assert_eq!(reminders.len(), 1, "one reminder");
    let reminder = text_of(&reminders[0]);
    assert!(reminder.contains("Kære Mette Hansen") && reminder.contains("2026-10"), "{reminder}");
    let raw = String::from_utf8_lossy(&std::fs::read(&reminders[0]).unwrap()).into_owned();
    assert!(raw.contains("mette.hansen@aarhus.dk"), "to the lead known from October");
    let digest = text_of(&messages(&nov.join("post"), "digest")[0]);
    assert!(digest.contains("OS2tavs") && digest.contains("Har ikke indsendt sit projektark"), "{digest}");
    // A third run with it still missing: no reminder mailed twice for one period, but a new
    // month reminds again (here: a re-run of November sends nothing new – files only).
    dir.run(&["run"]).code(0);
    assert_eq!(messages(&nov.join("post"), "reminder").len(), 1);
}

#[test]
fn a_meeting_date_that_is_not_listed_is_refused_unless_forced() {
    let dir = TestDir::new().init();
    let run = dir.run(&["digest", "--meeting", "11-12-2026"]).code(2);
    let err = run.stderr();
    assert!(err.contains("11-12-2026") && err.contains("10-12-2026") && err.contains("--force"), "{err}");
    let ok = dir.run(&["digest", "--meeting", "11-12-2026", "--force"]).code(0);
    assert!(ok.stdout().contains("står ikke i styringsmodellens Bestyrelsesmøder"), "{}", ok.stdout());
    assert!(ok.stdout().contains("11. december 2026"), "{}", ok.stdout());
    // A listed date is fine, and so is no date at all.
    dir.run(&["digest", "--meeting", "10-12-2026"]).code(0);
    dir.run(&["digest"]).code(0);
    // The monthly run refuses the same way, before it builds anything.
    dir.run(&["run", "--meeting", "11-12-2026"]).code(2);
    assert!(!dir.join("ud/2026-11").exists());
    dir.run(&["run", "--meeting", "11-12-2026", "--force-meeting"]).code(0);
}
