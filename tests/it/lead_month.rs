//! The project lead's month (issue 21): the annotated copy sent back beside the original is
//! the one current submission (the original set aside and named), the attachment carries
//! the lead's own file name, the Krav sheet keeps the question beside the answer, and the
//! lead's mail groups its findings – read back from what the real binary writes.

use crate::util::{TestDir, json, set};
use crate::xml;
use mail_parser::{MessageParser, MimeHeaders};
use os2gov::model::cell::Value;
use os2gov::model::filled::{Filled, KravAnswer};
use os2gov::model::layout::FieldKey;
use std::path::Path;

/// A new N2 concept filled in as a lead fills one in: Projekt fields, a few answers, the
/// rest blank.
fn new_concept(dir: &TestDir) -> Filled {
    let mut f = dir.clean("OS2bibliotek", "N2", "Koncept");
    set(&mut f, FieldKey::Name, Value::from("Fælles biblioteksbooking"));
    set(&mut f, FieldKey::LeadEmail, Value::from("bib.lead@aarhus.dk"));
    set(&mut f, FieldKey::Lead, Value::from("Bente Bibliotekar"));
    // Eight requirements not yet answered, one Ja without documentation.
    for id in ["F3", "F4", "F13", "G1", "G2", "G3", "S1", "S2"] {
        f.answers.retain(|a| a.id != id);
        f.answers.push(KravAnswer { id: id.into(), ..KravAnswer::default() });
    }
    f
}

fn post_files(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// The lead mails among the .eml files: (file, parsed text part, attachment names).
fn lead_mails(post: &Path) -> Vec<(String, String, Vec<String>)> {
    post_files(post, "eml")
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains("project_lead"))
        .map(|p| {
            let raw = std::fs::read(&p).unwrap();
            let msg = MessageParser::default().parse(&raw[..]).unwrap();
            let text = msg.body_text(0).unwrap_or_default().to_string();
            let names = msg.attachments().filter_map(|a| a.attachment_name().map(str::to_string)).collect();
            (p.display().to_string(), text, names)
        })
        .collect()
}

#[test]
fn the_returned_copy_beside_the_original_is_one_project_and_the_original_is_set_aside() {
    let dir = TestDir::new().init();
    let original = dir.projektark("indsendt/OS2bibliotek projektark.xlsx", &new_concept(&dir));
    dir.run(&["run"]).code(0);
    let post = dir.join("ud/2026-11/post");
    let mails = lead_mails(&post);
    assert_eq!(mails.len(), 1, "{mails:?}");
    // The attachment carries the lead's own file name, so it comes back under it.
    assert_eq!(mails[0].2, ["OS2bibliotek projektark.xlsx"]);

    // The lead corrects the copy; the secretariat saves it beside the original.
    let copy = std::fs::read(dir.join("ud/2026-11/annoteret/OS2bibliotek.xlsx")).unwrap();
    let returned = dir.join("indsendt/OS2bibliotek.xlsx");
    std::fs::write(&returned, copy).unwrap();
    let later = std::fs::metadata(&original).unwrap().modified().unwrap() + std::time::Duration::from_secs(60);
    std::fs::File::options().write(true).open(&returned).unwrap().set_modified(later).unwrap();

    let run = dir.run(&["run"]).code(0);
    let out = run.stdout();
    assert!(out.contains("Sat til side") && out.contains("OS2bibliotek projektark.xlsx"), "{out}");
    assert!(out.contains("erstattet af indsendt/OS2bibliotek.xlsx"), "{out}");
    // One check: one project in the findings JSON, the old file named as set aside.
    let findings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("ud/2026-11/fund-2026-11.json")).unwrap()).unwrap();
    let projects = findings["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0]["file"], "indsendt/OS2bibliotek.xlsx");
    assert_eq!(findings["set_aside"][0]["file"], "indsendt/OS2bibliotek projektark.xlsx");
    // One annotated copy, one lead mail.
    assert_eq!(post_files(&dir.join("ud/2026-11/annoteret"), "xlsx").len(), 1);
    let mails = lead_mails(&post);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0].2, ["OS2bibliotek.xlsx"]);
    // The lead's mail names no other file.
    assert!(!mails[0].1.contains("projektark.xlsx"), "{}", mails[0].1);
    // The manifest names the set-aside file and what replaced it.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("ud/2026-11/manifest.json")).unwrap()).unwrap();
    let aside: Vec<&serde_json::Value> =
        manifest["inputs"].as_array().unwrap().iter().filter(|i| i["status"] == "set_aside").collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(aside[0]["file"], "indsendt/OS2bibliotek projektark.xlsx");
    assert_eq!(aside[0]["current"], "indsendt/OS2bibliotek.xlsx");
    // The board sees the project once (it is a concept: not on the agenda at all), and
    // the secretariat's digest names the set-aside file; a board member's does not.
    let html: Vec<(String, String)> = post_files(&post, "html")
        .into_iter()
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    let secretariat = html.iter().find(|(n, _)| n.contains("digest") && n.contains("sekretariat")).expect("digest");
    assert!(secretariat.1.contains("Til sekretariatet") && secretariat.1.contains("OS2bibliotek projektark.xlsx"));
    let board = html.iter().find(|(n, _)| n.contains("digest") && n.contains("anne")).expect("board digest");
    assert!(!board.1.contains("OS2bibliotek projektark.xlsx"));
    assert!(!board.1.contains("Drøft projektets placering"), "a concept's paperwork is not the board's");
    // `check` says the same.
    let j = json(&dir.run(&["check", "--format", "json", "--fail-on", "never"]));
    assert_eq!(j["projects"].as_array().unwrap().len(), 1);
}

#[test]
fn near_miss_two_projects_with_their_own_ids_are_both_checked() {
    let dir = TestDir::new().init();
    dir.projektark("indsendt/a.xlsx", &dir.clean("OS2a", "N1", "Igangsat"));
    dir.projektark("indsendt/b.xlsx", &dir.clean("OS2b", "N1", "Igangsat"));
    let j = json(&dir.run(&["check", "--format", "json", "--fail-on", "never"]));
    assert_eq!(j["projects"].as_array().unwrap().len(), 2);
    assert!(j["set_aside"].as_array().unwrap().is_empty());
}

#[test]
fn an_older_copy_with_another_lead_is_asked_about() {
    let dir = TestDir::new().init();
    let mut old = dir.clean("OS2c", "N1", "Igangsat");
    set(&mut old, FieldKey::LeadEmail, Value::from("en.anden@kolding.dk"));
    let old_path = dir.projektark("indsendt/gammel/OS2c.xlsx", &old);
    let new_path = dir.projektark("indsendt/OS2c.xlsx", &dir.clean("OS2c", "N1", "Igangsat"));
    let t = std::fs::metadata(&old_path).unwrap().modified().unwrap();
    std::fs::File::options()
        .write(true)
        .open(&new_path)
        .unwrap()
        .set_modified(t + std::time::Duration::from_secs(30))
        .unwrap();
    let out = dir.run(&["check", "--fail-on", "never"]).stdout();
    assert!(out.contains("indsendt/gammel/OS2c.xlsx") && out.contains("to projekter med samme Projekt-ID"), "{out}");
}

#[test]
fn the_template_keeps_the_question_beside_the_answer() {
    let dir = TestDir::new().init();
    let path = dir.join("projektark-skabelon.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    use calamine::Reader;
    let krav = wb.worksheet_range("Krav").unwrap();
    let header: Vec<String> = krav.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "ID",
            "Krav",
            "Efterlevet",
            "Dokumentation",
            "Forklaring",
            "Vurdering",
            "Vurderingsgrundlag",
            "Type",
            "Fra fase",
            "Niveau",
            "Tema",
            "Vejledning"
        ]
    );
    // Frozen through the requirement text; protected without a password.
    assert_eq!(xml::frozen_at(&path, "Krav").as_deref(), Some("C2"));
    let sheet = xml::sheet_xml(&path, "Krav");
    let protection = &sheet[sheet.find("<sheetProtection").expect("protected")..];
    let protection = &protection[..protection.find("/>").unwrap()];
    assert!(!protection.contains("password") && !protection.contains("hashValue"), "{protection}");
    assert!(protection.contains("autoFilter=\"0\"") && protection.contains("sort=\"0\""), "{protection}");
    // Danish-only validation texts; the guidance is the answer cell's input message.
    assert!(!sheet.contains("Choose a value") && !sheet.contains("Enter a date"), "bilingual validation");
    assert!(sheet.contains("Vælg en af værdierne på listen"));
    let efterlevet = xml::validation_on(&path, "Krav", "C").expect("a dropdown on Efterlevet");
    assert_eq!(efterlevet.kind, "list");
    // Printed landscape, two pages wide, the requirement and its answer on the first.
    let (setup, fit) = xml::page_setup(&path, "Krav");
    assert_eq!(setup.get("orientation").map(String::as_str), Some("landscape"));
    assert!(fit);
    assert!(sheet.contains("<colBreaks"), "a page break before the reference columns");
    // Årsag offered by name; the contact in Vejledning.
    let lists = xml::sheet_xml(&path, "Lister");
    let strings = xml::part_text(&path, "xl/sharedStrings.xml").unwrap_or_default();
    assert!(strings.contains("Økonomi") && !lists.is_empty());
    assert!(strings.contains("Kontakt OS2-sekretariatet: OS2-sekretariatet (sekretariat@os2.example)"), "contact");
}

#[test]
fn a_projektark_in_the_2025_layout_still_loads() {
    let dir = TestDir::new().init();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/projektark-2026-11/OS2iot.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&fixture).unwrap();
    use calamine::Reader;
    let header: Vec<String> =
        wb.worksheet_range("Krav").unwrap().rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(header.get(1).map(String::as_str), Some("Tema"), "the fixture has the old order: {header:?}");
    std::fs::copy(&fixture, dir.join("indsendt/OS2iot.xlsx")).unwrap();
    let j = json(&dir.run(&["check", "--format", "json", "--fail-on", "never"]));
    let codes = crate::util::codes_of(&j, "OS2iot");
    assert!(!codes.iter().any(|c| c.starts_with("INPUT-") || c == "KRAV-UNANSWERED"), "{codes:?}");
}

#[test]
fn the_lead_mail_groups_and_says_who_acts() {
    let dir = TestDir::new().init();
    dir.projektark("indsendt/OS2bibliotek.xlsx", &new_concept(&dir));
    dir.run(&["run"]).code(0);
    let mails = lead_mails(&dir.join("ud/2026-11/post"));
    let text = mails[0].1.replace('\u{2011}', "-").replace('\u{a0}', " ");
    insta::assert_snapshot!("lead_mail_new_concept", text);
    // Grouped once, with the IDs; no deadline nobody announced; no level above N2.
    assert_eq!(text.matches("er ikke besvaret").count(), 1, "{text}");
    assert!(!text.contains("Materiale til bestyrelsesmødet"), "{text}");
    assert!(!text.contains("N3"), "{text}");
    assert!(!text.contains("laveste niveau"), "{text}");
}

/// Outlook's Word engine ignores margins on tables and padding on divs: boxes are padded
/// cells and spacing is spacer rows, in every mail os2gov renders.
#[test]
fn every_mail_is_outlook_safe() {
    let dir = TestDir::new().init();
    dir.projektark("indsendt/OS2bibliotek.xlsx", &new_concept(&dir));
    dir.projektark("indsendt/OS2tilsyn.xlsx", &dir.clean("OS2tilsyn", "N2", "Bestyrelsesbehandling"));
    dir.projektark("indsendt/OS2drift.xlsx", &dir.clean("OS2drift", "N1", "Implementering"));
    dir.run(&["run"]).code(0);
    let files = post_files(&dir.join("ud/2026-11/post"), "html");
    assert!(files.len() >= 3);
    for f in files {
        let html = std::fs::read_to_string(&f).unwrap();
        for tag in html.split('<').skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            let style = tag.find("style=\"").map(|i| &tag[i + 7..]).map(|s| &s[..s.find('"').unwrap_or(0)]);
            let style = style.unwrap_or("");
            if tag.starts_with("table") {
                assert!(!style.contains("margin"), "{}: margin on a table: <{tag}>", f.display());
            }
            if tag.starts_with("div") {
                assert!(!style.contains("padding"), "{}: padding on a div: <{tag}>", f.display());
            }
        }
        assert!(html.contains("<td height=\"") || !html.contains("<table"), "{}: spacer rows", f.display());
        // No date or amount can break: a no-break hyphen inside dates.
        assert!(!html.contains(">26-11-2026<") && !html.contains(" 26-11-2026 "), "{}", f.display());
    }
}

/// First steps: outside a working folder `run` says so and how to point at one (not "the
/// styringsmodel is missing"); in a working folder without its styringsmodel it still
/// names the file.
#[test]
fn a_run_outside_a_working_folder_says_so() {
    let empty = TestDir::new();
    let err = empty.run(&["run"]).code(2).stderr();
    assert!(err.contains("er ikke en arbejdsmappe for os2gov") && err.contains("--config"), "{err}");
    // Near miss: a working folder (os2gov.toml) whose styringsmodel is gone.
    let dir = TestDir::new().init();
    std::fs::remove_file(dir.join("styringsmodel.xlsx")).unwrap();
    let err = dir.run(&["run"]).code(2).stderr();
    assert!(err.contains("findes ikke") && !err.contains("arbejdsmappe for os2gov"), "{err}");
}

/// One name for the meeting override: the refusal names it, and the suggested `--send`
/// command carries it (so pasting it is not refused).
#[test]
fn the_suggested_send_command_carries_the_meeting_override() {
    let dir = TestDir::new().init();
    dir.projektark("indsendt/OS2c.xlsx", &dir.clean("OS2c", "N1", "Igangsat"));
    let err = dir.run(&["run", "--meeting", "11-12-2026"]).code(2).stderr();
    assert!(err.contains("--force-meeting") && !err.contains("--force "), "{err}");
    let out = dir.run(&["run", "--meeting", "11-12-2026", "--force-meeting"]).code(0).stdout();
    let suggested = out.lines().find(|l| l.contains("send dem med:")).expect("a suggested command");
    assert!(suggested.contains("--meeting 2026-12-11 --force-meeting"), "{suggested}");
    // Near miss: a listed meeting needs no override, and none is suggested.
    let out = dir.run(&["run", "--meeting", "10-12-2026"]).code(0).stdout();
    assert!(!out.contains("--force-meeting"), "{out}");
    // `rules` flags the examples init wrote until they are changed.
    let rules = dir.run(&["rules"]).stdout();
    assert!(rules.contains("sekretariat@os2.example") && rules.contains("smtp.example.dk"), "{rules}");
}
