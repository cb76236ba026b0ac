//! `import`, round two (issue 23) and the import/report parts of hardening round three
//! (issue 22), against the binary: copies written here in the shapes of OS2's published
//! forms – an old checklist with four S-rows, HTML links and the blank form's hints, and a
//! 2026 self-evaluation with every answer word – read back with calamine and checked with
//! `check`; then names compared without regard to case, the inbox's bounded reader (a
//! named pipe, a 3 GB file), near-linear matching, an existing Projekt-ID in the folder,
//! and what `report` publishes escaped.

use crate::import_cmd::{answers, project};
use crate::util::{TestDir, cells, codes_of, json, measured};
use os2gov::model::cell::Value;
use os2gov::model::filled::KravAnswer;
use std::time::{Duration, Instant};

/// The old checklist before the catalogue gained its fifth S-row: S1–S4 (the old S4 is
/// today's S5), documentation as HTML anchors, the blank form's hints left in some rows,
/// a real question as a comment, a bare "her", the licence and the code's address in the
/// rows that ask for them.
const OLD_CHECKLIST: &str = "# OS2bygning's Governance Report\n\n**RELEVANS**\n\n|     |  #  | Krav | Henvisning | Niveau |\n| --- | --- | --- | --- | --- |\n| <ul><li> [x] </li> | R1 | Løsningen skaber lokal værdi | Se <a href=\"https://os2.eu/produkt/os2bygning\">her</a> og <a href='https://os2.eu/gevinst'>gevinstkortet</a> | 0 |\n\n**FORMKRAV**\n\n|     |  #  | Krav | Henvisning | Niveau |\n| --- | --- | --- | --- | --- |\n| <ul><li> [x] </li> | F1 | Kildekoden deles | <a href=\"https://github.com/OS2bygning/bygning\">https://github.com/OS2bygning/bygning</a> | 0 |\n| <ul><li> [x] </li> | F2 | Open Source licenskriterier overholdes | GPL3 licens | 0 |\n| <ul><li> [x] </li> | F4 | Der er tænkt på sikkerheden i løsningen | her | 0 |\n| <ul><li> [x] </li> | F5 | Løsningens formål og værdi er beskrevet | Har vi noget? | 0 |\n\n**STRATEGISK SAMMENHÆNG**\n\n|     |  #  | Krav | Henvisning | Niveau |\n| --- | --- | ---- | ---------- |--------|\n| <ul><li> [x] </li> | S1 | Produktet har en kobling til OS2's strategi | Se strategi.pdf | 1 |\n| <ul><li> [x] </li> | S2 | Løsningen understøtter innovation og Open Source | Ja, jf. tilslutningsaftalen | 1 |\n| <ul><li> [ ] </li> | S3 | Produktets (forventlige) kobling til OS2's vision og strategi er beskrevet | Hvor? | 2 |\n| <ul><li> [x] </li> | S4 | Produktets kobling til og overensstemmelse med OS2's vision og strategi er tilstede og beskrevet | Se styregruppereferat 12.03.2025 | 3 |\n\n**GOVERNANCE**\n|     |  #  | Krav | Henvisning | Niveau |\n| --- | --- | ---  | -----------| ------ |\n| <ul><li> [x] </li> | G3 | Der er udpeget en projektleder/tovholder | Hvem? evt. link til beskrivelse af ansvar/opgaver | 1 |\n| <ul><li> [x] </li> | G4 | Bestyrelsen er orienteret | fx link til referat | 1 |\n| <ul><li> [x] </li> | G6 | Der er nedsat en styregruppe | Link til kommissorium | 2 |\n| <ul><li> [x] </li> | G7 | Der er nedsat en koordinationsgruppe (anbefaling) | Kommissorium.pdf | 2 |\n";

/// A 2026 self-evaluation (the form's Markdown with an Efterlevet? column): metadata in
/// brackets, the 2025 template's own wording of each requirement, and every answer word.
const SELF_EVALUATION: &str = "# Governancerapport for OS2borgerPC\n\n> **📄 Dokumentinformation**<br/>\n> **Dato for udfyldelse:** [14-01-2026]<br/>\n> **Udfyldt af:** [Karen Holm, Aarhus Kommune]<br/>\n> **Link til Git organisation:** [Indsæt link]<br/>\n\n## FORMKRAV\n\n| # | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation |\n| --- | --- | --- | --- | --- | --- |\n| F1 | Alt kildekode til projektet udvikles synligt og aktivt i et repositorie og versionskontrolsystem, anvist af OS2 | sandkasse | Upload. | Ja | [Koden](https://github.com/OS2borgerPC) |\n| F2 | Open Source licenskriterier overholdes | sandkasse | Angiv licensen. | Ja | MPL 2.0 |\n| F3 | Udbudsregler og alm. lovformlighed er overholdt | sandkasse | Bekræft. | Planlagt | Notat skrives i foråret |\n| F12 | Der er kun en version af core koden | 2 | Bekræft. | Ja | Én main-gren: https://github.com/OS2borgerPC/admin-site |\n| F13 | Der er udarbejdet præsentationsmateriale af løsningen | 2 | Link. | I gang | Slides under udarbejdelse |\n| F14 | Der er udarbejdet kommunikationsmateriale til strategisk niveau | 2 | Fx. | I gang / afventer | |\n| F15 | Best practice for implementering i organisationen dokumenteres | 2 | Angiv. | Afventer | Venter på pilotkommunerne |\n| F16 | Teknisk dokumentation indeholder best practice for kodestandarder i forhold til de anvendte teknologier | 2 | Beskriv. | Delvist | Kun for frontend |\n| F17 | Drifts og vedligeholdelses setup er beskrevet | 2 | Redegør. | ? | |\n| F18 | Rammearkitekturen og standarder er fulgt og afvigelser er forklaret | 2 | Beskriv. | Måske | Vi ved det ikke |\n";

fn workdir() -> TestDir {
    TestDir::new().init()
}

fn write(dir: &TestDir, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn row<'a>(import: &'a [Vec<String>], id: &str) -> &'a Vec<String> {
    import.iter().find(|r| r[0] == id).unwrap_or_else(|| panic!("{id} not on Import: {import:#?}"))
}

#[test]
fn an_old_checklist_no_answer_on_a_wrong_requirement_no_url_lost_no_hint_as_evidence() {
    let dir = workdir();
    write(&dir, "OS2bygning_GOVERNANCE_REPORT.md", OLD_CHECKLIST);
    dir.run(&["import", "OS2bygning_GOVERNANCE_REPORT.md"]).code(0);
    let path = dir.join("indsendt/OS2bygning.xlsx");
    let a = answers(&dir, &path);
    let get = |id: &str| a.get(id).cloned().unwrap_or_default();

    // The old S4 is today's S5; today's S4 is left blank; S1–S3 by ID and text.
    assert_eq!(get("S5"), ("Ja".into(), "Se styregruppereferat 12.03.2025".into(), String::new()));
    assert_eq!(get("S4"), Default::default(), "no answer on a requirement the text does not fit");
    assert_eq!(get("S3").0, "", "unchecked: not claimed");
    let import = cells(&path, "Import");
    let s4 = row(&import, "S4");
    assert_eq!(s4[3], "S5 – Produktets sammenhæng med OS2's vision og strategi er beskrevet");
    assert!(
        s4[4].starts_with("tekst (100 % lighed med OS2's ordlyd) frem for ID: kildens S4 er i styringsmodellen S4"),
        "{s4:?}"
    );
    assert!(row(&import, "S1")[4].starts_with("ID og tekst"), "{:?}", row(&import, "S1"));
    assert!(!import.iter().any(|r| r[0] == "S4" && r[4].starts_with("ID og tekst")));

    // Links kept: every URL of an HTML anchor is in the documentation.
    assert_eq!(get("R1").1, "Se her (https://os2.eu/produkt/os2bygning) og gevinstkortet (https://os2.eu/gevinst)");
    assert_eq!(get("F1").1, "https://github.com/OS2bygning/bygning");

    // The blank form's hints are not documentation; a real comment is kept.
    assert_eq!(get("G3"), ("Ja".into(), String::new(), String::new()));
    assert_eq!(get("G4"), ("Ja".into(), String::new(), String::new()));
    assert_eq!(get("G6"), ("Ja".into(), String::new(), String::new()));
    assert!(row(&import, "G3")[6].contains("Skemaets egen tekst 'Hvem? evt. link til beskrivelse af ansvar/opgaver'"));
    assert_eq!(get("F5").1, "Har vi noget?");

    // A bare word is flagged on the Import sheet …
    assert!(row(&import, "F4")[6].contains("'her' er hverken et link"), "{:?}", row(&import, "F4"));
    assert!(row(&import, "F5")[6].contains("'Har vi noget?' er hverken et link"));
    assert!(!row(&import, "G7")[6].contains("hverken et link"), "a file name is evidence");

    // … and check gives KRAV-NO-EVIDENCE for it and for the removed hints, not for real evidence.
    let checked = json(&dir.run(&["check", "indsendt", "--format", "json", "--fail-on", "never"]).code(0));
    let p = checked["projects"].as_array().unwrap().iter().find(|p| p["id"] == "OS2bygning").unwrap();
    let no_evidence: Vec<String> = p["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "KRAV-NO-EVIDENCE")
        .map(|f| f["requirement"].as_str().unwrap_or_default().to_string())
        .collect();
    // (Without a declared level only the sandbox's requirements are required: F4, F5.)
    for id in ["F4", "F5"] {
        assert!(no_evidence.contains(&id.to_string()), "{id}: {no_evidence:?}");
    }
    for id in ["R1", "F1", "F2", "S1", "S2"] {
        assert!(!no_evidence.contains(&id.to_string()), "{id}: {no_evidence:?}");
    }

    // The licence as an SPDX id (GPL3 → -only, with the reason) and the code's address.
    let proj = project(&dir, &path);
    assert_eq!(proj.fields.licence.given().map(String::as_str), Some("GPL-3.0-only"));
    assert_eq!(proj.fields.repository.given().map(String::as_str), Some("https://github.com/OS2bygning/bygning"));
    assert!(
        import
            .iter()
            .any(|r| r[1].contains("'GPL3 licens'") && r[1].contains("GPL-3.0-only") && r[1].contains("or later"))
    );
}

#[test]
fn a_self_evaluation_with_every_answer_word_and_the_templates_own_wording() {
    let dir = workdir();
    write(&dir, "OS2borgerPC.md", SELF_EVALUATION);
    let out = dir.run(&["import", "OS2borgerPC.md"]).code(0).stdout();
    assert!(out.contains("9 svar overført (6 efter svarordstabellen), 1 ikke overført"), "{out}");
    let path = dir.join("indsendt/OS2borgerPC.xlsx");
    let a = answers(&dir, &path);
    let get = |id: &str| a.get(id).cloned().unwrap_or_default();
    let nej = |why: &str| ("Nej".to_string(), String::new(), why.to_string());
    assert_eq!(get("F3"), nej("Planlagt: Notat skrives i foråret"));
    assert_eq!(get("F13"), nej("I gang: Slides under udarbejdelse"));
    assert_eq!(get("F14"), nej("I gang / afventer"));
    assert_eq!(get("F15"), nej("Afventer: Venter på pilotkommunerne"));
    assert_eq!(get("F16"), nej("Delvist: Kun for frontend"));
    assert_eq!(get("F17").0, "Ved ikke");
    assert_eq!(get("F18"), (String::new(), "Vi ved det ikke".into(), String::new()), "not in the table: blank, listed");

    let import = cells(&path, "Import");
    for (id, word, rule) in [
        ("F3", "Planlagt", "svarordstabellen"),
        ("F14", "I gang / afventer", "svarordstabellen"),
        ("F16", "Delvist", "svarordstabellen"),
        ("F17", "?", "et spørgsmålstegn → Ved ikke"),
    ] {
        let r = import.iter().find(|r| r[0] == id && r[2] == word).unwrap_or_else(|| panic!("{id}: {import:#?}"));
        assert!(r[6].contains(rule), "{id}: {r:?}");
    }
    assert!(import.iter().any(|r| r[0] == "F18" && r[4].contains("svarordstabellen")), "{import:#?}");

    // The template's own wording is the same requirement: no "kontrollér".
    for id in ["F1", "F2", "F12", "F13"] {
        assert!(row(&import, id)[4].starts_with("ID og tekst"), "{id}: {:?}", row(&import, id));
    }
    assert!(!import.iter().any(|r| r[4].contains("kontrollér")), "{import:#?}");

    // Metadata in brackets; a bracketed form placeholder is named, not taken.
    let p = project(&dir, &path);
    assert_eq!(p.fields.filled_by.given().map(String::as_str), Some("Karen Holm, Aarhus Kommune"));
    assert_eq!(p.fields.filled_date.given().map(|d| d.to_string()), Some("2026-01-14".into()));
    assert!(import.iter().any(|r| r[1].contains("'Link til Git organisation'") && r[1].contains("[Indsæt link]")));
    // The repository from F1's documentation, the licence from F2's.
    assert_eq!(p.fields.repository.given().map(String::as_str), Some("https://github.com/OS2borgerPC"));
    assert_eq!(p.fields.licence.given().map(String::as_str), Some("MPL-2.0"));

    // Explained deviations, not unanswered requirements.
    let checked = json(&dir.run(&["check", "indsendt/OS2borgerPC.xlsx", "--format", "json", "--fail-on", "never"]));
    let codes = codes_of(&checked, "OS2borgerPC");
    assert!(!codes.iter().any(|c| c == "KRAV-SKAL-UNMET"), "{codes:?}");
}

#[test]
fn product_names_that_differ_only_in_case_are_one_product() {
    let dir = workdir();
    write(&dir, "a.md", SELF_EVALUATION);
    write(&dir, "b.md", &SELF_EVALUATION.replace("OS2borgerPC\n", "OS2BorgerPC\n"));
    let out = dir.run(&["import", "a.md", "b.md"]).code(3).stdout();
    assert!(out.contains("b.md: ikke importeret – giver samme Projekt-ID (OS2BorgerPC) som a.md"), "{out}");
    let files: Vec<String> = std::fs::read_dir(dir.join("indsendt"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.to_lowercase().starts_with("os2borgerpc"))
        .collect();
    assert_eq!(files, ["OS2borgerPC.xlsx"]);

    // In a later run, the other spelling finds the first file (by name, in another case).
    let again = dir.run(&["import", "b.md"]).code(3).stdout();
    assert!(again.contains("indsendt/OS2borgerPC.xlsx har allerede Projekt-ID OS2BorgerPC"), "{again}");
    // A file of that name that holds another project is named as existing, not as the ID's.
    write(&dir, "c.md", &SELF_EVALUATION.replace("OS2borgerPC\n", "OS2andet\n"));
    dir.projektark("indsendt/OS2andet.xlsx", &dir.clean("OS2-noget-helt-andet", "N1", "Igangsat"));
    let other = dir.run(&["import", "c.md"]).code(3).stdout();
    assert!(other.contains("indsendt/OS2andet.xlsx findes allerede og overskrives ikke"), "{other}");
    // --force replaces it in place and keeps the ID as the inbox spells it.
    dir.run(&["import", "b.md", "--force"]).code(0);
    assert!(!dir.join("indsendt/OS2BorgerPC.xlsx").exists());
    assert_eq!(project(&dir, &dir.join("indsendt/OS2borgerPC.xlsx")).id(), Some("OS2borgerPC"));
}

#[test]
fn an_id_already_in_the_folder_under_another_file_name_is_not_imported_twice() {
    let dir = workdir();
    // The lead's own workbook, named after the municipality, carries the Projekt-ID.
    let lead = dir.projektark("indsendt/Aarhus kommune - borgerpc.xlsx", &dir.clean("OS2borgerPC", "N1", "Igangsat"));
    let before = std::fs::read(&lead).unwrap();
    write(&dir, "OS2borgerPC.md", SELF_EVALUATION);
    let out = dir.run(&["import", "OS2borgerPC.md"]).code(3).stdout();
    assert!(
        out.contains("indsendt/Aarhus kommune - borgerpc.xlsx har allerede Projekt-ID OS2borgerPC og overskrives ikke")
            && out.contains("--force"),
        "{out}"
    );
    assert!(!dir.join("indsendt/OS2borgerPC.xlsx").exists(), "no second workbook for the ID");
    assert_eq!(std::fs::read(&lead).unwrap(), before);
    // check still sees one project, no INPUT-DUPLICATE-PROJECT.
    let checked = json(&dir.run(&["check", "indsendt", "--format", "json", "--fail-on", "never"]));
    assert!(!codes_of(&checked, "OS2borgerPC").iter().any(|c| c == "INPUT-DUPLICATE-PROJECT"));
    // --force replaces that file, not a new one beside it.
    dir.run(&["import", "OS2borgerPC.md", "--force"]).code(0);
    assert!(!dir.join("indsendt/OS2borgerPC.xlsx").exists());
    assert!(cells(&lead, "Import").iter().any(|r| r[0] == "F3"), "the lead's file now holds the import");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_and_a_3_gb_file_are_refused_without_reading() {
    let dir = workdir();
    let fifo = dir.join("rør.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    assert!(made, "mkfifo");
    let huge = dir.join("stor.md");
    std::fs::File::create(&huge).unwrap().set_len(3 * 1024 * 1024 * 1024).unwrap();
    let started = Instant::now();
    let m = measured(dir.command(&["import", "rør.md", "stor.md", "-o", "ud"]), Some(1024 * 1024 * 1024));
    assert_eq!(m.code, Some(3), "{}\n{}", m.stdout, m.stderr);
    assert!(started.elapsed() < Duration::from_secs(20), "{:?}", started.elapsed());
    assert!(m.stdout.contains("rør.md: ikke importeret – dette er ikke en almindelig fil"), "{}", m.stdout);
    assert!(m.stdout.contains("stor.md: ikke importeret – filen er for stor (3072 MB)"), "{}", m.stdout);
    assert!(m.peak_mb < 200.0, "{} MB", m.peak_mb);

    // report: the same reader.
    let pipe_ark = dir.join("rør.xlsx");
    std::process::Command::new("mkfifo").arg(&pipe_ark).status().unwrap();
    std::fs::File::create(dir.join("stor.xlsx")).unwrap().set_len(3 * 1024 * 1024 * 1024).unwrap();
    for (file, why) in [("rør.xlsx", "ikke en almindelig fil"), ("stor.xlsx", "for stor")] {
        let started = Instant::now();
        let m = measured(dir.command(&["report", file, "-o", "r.md"]), Some(1024 * 1024 * 1024));
        assert_eq!(m.code, Some(3), "{file}: {}", m.stderr);
        assert!(m.stderr.contains(why), "{file}: {}", m.stderr);
        assert!(started.elapsed() < Duration::from_secs(20), "{file}: {:?}", started.elapsed());
    }
}

fn near_identical_rows(n: usize) -> String {
    let rows: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"R{}","kategori":"relevans","krav":"Løsningen skaber lokal værdi {i} for kommune {}","efterlevet":"Ja","dokumentation":"https://os2.eu/{i}"}}"#,
                i % 7,
                i * 13
            )
        })
        .collect();
    format!(r#"{{"productName":"OS2mange","krav":[{}]}}"#, rows.join(","))
}

#[test]
fn near_identical_json_rows_cost_linear_time_and_fifty_thousand_are_refused_at_once() {
    let dir = workdir();
    // As many rows as a source may have, all like one requirement: matched in seconds.
    write(&dir, "mange.json", &near_identical_rows(2000));
    let started = Instant::now();
    let out = dir.run(&["import", "mange.json", "-o", "ud"]).code(0).stdout();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(30), "took {took:?}");
    assert!(out.contains("1 svar overført, 1999 ikke overført"), "{}", &out[..out.len().min(2000)]);
    assert!(out.contains("… og 1974 mere; alle står på fanen Import i ud/OS2mange.xlsx."), "the list is capped");
    assert!(out.lines().count() < 40, "{} lines", out.lines().count());
    let import = cells(&dir.join("ud/OS2mange.xlsx"), "Import");
    assert!(import.iter().any(|r| r[1].starts_with("… og 999 rækker mere")), "the sheet is capped too");

    // 50,000 such rows are no governance report: refused before they are read.
    write(&dir, "mange.json", &near_identical_rows(50_000));
    let started = Instant::now();
    let out = dir.run(&["import", "mange.json", "-o", "ud2"]).code(3).stdout();
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert!(out.contains("mange.json: ikke importeret – filen har 50000 kravrækker"), "{out}");
}

#[test]
fn report_escapes_markdown_and_html_in_what_it_publishes() {
    let dir = workdir();
    let mut filled = dir.clean("OS2udgiv", "N1", "Igangsat");
    let hostile = [
        ("R1", "www.![x](https://evil.example/pixel.png)"),
        ("F1", "www.[Klik](https://evil.example/phish)"),
        ("F2", "https://os2.eu/x<img src=x onerror=alert(1)> og <script>alert(1)</script>"),
        ("F4", "[Klik her](javascript:alert(1)) og ![b](https://evil.example/b.png)"),
        ("F5", "Se https://os2.eu/dokumentation_1.pdf"),
    ];
    for (id, doc) in hostile {
        filled.answers.retain(|a| a.id != id);
        filled.answers.push(KravAnswer {
            id: id.into(),
            efterlevet: Value::from("Ja"),
            dokumentation: Value::from(doc),
            ..KravAnswer::default()
        });
    }
    dir.projektark("indsendt/OS2udgiv.xlsx", &filled);
    dir.run(&["report", "indsendt/OS2udgiv.xlsx", "-o", "rapport.md"]).code(0);
    let md = std::fs::read_to_string(dir.join("rapport.md")).unwrap();
    for line in md.lines().filter(|l| l.starts_with("| ✅ |")) {
        // Escaped characters are text; what is left must hold no image, link or tag.
        let bare = line.replace("\\[", "").replace("\\]", "").replace("\\!", "");
        assert!(!bare.contains('[') && !bare.contains(']') && !bare.contains("!["), "a link or image: {line}");
        assert!(!line.contains("<img") && !line.contains("<script"), "HTML: {line}");
    }
    assert!(md.contains("Se https://os2.eu/dokumentation_1.pdf"), "a real URL stays a link");
    // And it reads back as written.
    dir.run(&["import", "rapport.md", "-o", "tilbage"]).code(0);
    let written = std::fs::read_dir(dir.join("tilbage")).unwrap().flatten().next().unwrap().path();
    let back = answers(&dir, &written);
    for (id, doc) in hostile {
        assert_eq!(back[id].1, doc, "{id}");
    }
}
