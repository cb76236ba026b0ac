//! `import` and `report`: published self-assessments (written here, modelled on the
//! reports OS2's products have published) in, projektark out – read back with calamine
//! and checked with `check` – and a projektark back out as a 2025-form report.

use crate::util::{TestDir, cells, codes_of, json, set};
use os2gov::model::cell::Value;
use os2gov::model::filled::KravAnswer;
use os2gov::model::layout::FieldKey;
use os2gov::model::project::{Input, Project};
use std::collections::BTreeMap;
use std::path::Path;

/// The old checklist as the early reports wrote it: a BOM and Windows line endings, bold
/// section lines with the table right under them, HTML checkboxes in several spellings,
/// Unicode ballot boxes in one section, italic recommendations, Markdown links, a typo
/// ("Soruce"), ragged pipes, a stray line inside a table, sections out of order, the
/// older numbering (R3 is today's R2; F13 and F14 swapped), and a LOG table.
const CHECKLIST: &str = "\u{feff}# OS2demo's Governance Report \r\n\r\nDenne checkliste viser, hvordan OS2demo efterlever OS2's governance model.\r\n\r\n**GOVERNANCE**\r\n|     |  #  | Krav | Henvisning | Niveau | \r\n| --- | --- | ---  | -----------| ------ |\r\n| <ul><li> [x] </li> | G3 | Der er udpeget en projektleder/tovholder | Ja, Jonas Iversen, OS2 | 1 |\r\n| <ul><li> [X] </li> | G6 | Der er nedsat en styregruppe | Se styregruppen [her](https://os2.eu/wiki/styregruppe-os2demo)  | 2 |\r\n| <ul><li> [ ] </li> | G9 | _Review af kode foretages af tredjepart (anbefaling)_ |  | 2 |\r\n\r\n**RELEVANS**\r\n\r\n|     |  #  | Krav | Henvisning | Niveau | \r\n| --- | --- | --- | --- | --- |\r\n|  <ul><li> [x] </li> | R1 | Løsningen skaber lokal værdi | Se [gevinstkort](https://os2.eu/produkt/os2demo) | 0 |\r\n| <ul><li> [x] </li> | R2 | Løsningen skaber potentielt værdi for andre | Hvordan?  | 1 | \r\n| <ul><li> [x] </li> |  R3 |Løsningen er accepteret af lokal linjeledelse | 12 kommuner har skrevet under på tilslutningserklæringen  | 2 |\r\n\r\n## FORMKRAV\r\n\r\n|    | #  | Krav | Henvisning | Niveau |\r\n|:--:|:--:|:-----|:-----------|:------:|\r\n| ☑︎ | F2 | Open Soruce licenskriterier overholdes | MPL 2.0 og CC-BY-SA-4.0 vedtaget | 0 |\r\n| ☐  | F11 | OS2's værktøjer benyttes (Jira) | [OS2demo's Jira](https://os2web.atlassian.net/jira/DEMO) | 1 |\r\n\r\n  ------ nået her til.\r\n\r\n| ☑︎ | F13 | Der er udarbejdet kommunikationsmateriale til strategisk niveau | Se [artiklen](https://os2.eu/blog/os2demo) | 2 |\r\n| ☑︎ | F14 | Der er udarbejdet præsentationsmateriale af løsningen | Slides: https://os2.eu/dokument/os2demo-slides | 2 |\r\n\r\n## LOG\r\n\r\n| Dato | Handling | Udført af |\r\n| --- | --- |--- |\r\n| 2023-01-26 | Rapport omformateret til Markdown | Sekretariatet |\r\n";

/// The 2025 template: the guide heading, then the product's, ✅ ❌ ➖ ❓ and blank in the
/// 🔽 column, short texts in the current numbering, HTML line breaks, an extra column.
const TEMPLATE_2025: &str = "# GUIDE til Governance Report\n\n> Du udfylder checklisten ved at anvende en af de følgende markeringer, under 🔽 kolonnen:\n>\n> ✅ - Kriteriet er opfyldt\n\n# OS2bankdemo\n\nDenne checkliste belyser efterlevelsen af OS2's niveaukrav for produktet.\n\n## RELEVANS\n\n| 🔽  | #   | Krav                                          | Beskrivelse / Dokumentation | Produktniveau | Retningslinjer | Ansvarlig |\n| --- | --- | --------------------------------------------- | ----------------------------| --------------| -------------- | --------- |\n|  ✅  | R1  | Løsningen skaber lokal værdi                  | Automatiserer bogføring.<br/>Se README. | sandkasse     | Beskriv værdien. | Christian |\n|  ❓  | R4  | Ophæng til nationale strategier er til stede  |                             | 3             | Henvis til strategier. | |\n\n## GOVERNANCE\n\n| 🔽 | #   | Krav                             | Beskrivelse / Dokumentation                           | Produktniveau |\n| -- | --- | -------------------------------- | ----------------------------------------------------- | ------------- |\n| ❌  | G1  | Oprettet i OS2 portefølje        | Ikke registreret endnu.                               | 1             |\n| ✅  | G3  | Projektleder udpeget             | Christian Leonhardt                                   | 1             |\n| ➖  | G12 | Bestyrelsesrepræsentation        | Ikke relevant endnu.                                  | 3             |\n|    | G13 | Finansieringsaftale              |                                                       | 3             |\n";

/// The later template with an Efterlevet? column, Jekyll front matter and a document block.
const EFTERLEVET: &str = "---\ntitle: OS2kladde governancerapport\nlayout: default\nparent: Selvevalueringer\n---\n\n# [KLADDE] Governancerapport for OS2kladde\n\n> **📄 Dokumentinformation**<br/>\n> **Version for anvendt governancerapport:** 1.1.0<br/>\n> **Dato for udfyldelse:** 02-07-2026<br/>\n> **Udfyldt af:** Sofie Buhl<br/>\n> **Link til Git organisation:** https://github.com/os2kladde<br/>\n\n## FORMKRAV\n\n| # | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation |\n| --- | --- | --- | --- | --- | --- |\n| F2 | Open Source licenskriterier overholdes | sandkasse | Angiv licensen. | Ja | MPL 2.0 |\n| F3 | Udbudsregler og alm. lovformlighed er overholdt | sandkasse | Bekræft. | Planlagt | Der skal udarbejdes et notat. |\n | F18 | Rammearkitekturen og standarder er fulgt og afvigelser er forklaret | 2 | Beskriv. | Ved ikke | Vi har ikke taget stilling. |\n| F19 | Løsningen er leveret i et containerformat f.eks. docker (anbefaling) | 2 | Angiv. | Nej | [Ikke udfyldt] |\n";

/// The self-evaluation form's JSON, pretty-printed, with keys the form adds.
const FORM_JSON: &str = r#"{
  "productName": "OS2formdemo",
  "filledBy": "Rasmus Frey, OS2-sekretariatet",
  "filledDate": "2026-05-01",
  "generatedAt": "2026-05-01T20:26:06.858Z",
  "krav": [
    {"id": "R1", "kategori": "relevans", "krav": "Løsningen skaber lokal værdi", "produktniveau": "sandkasse", "retningslinjer": "Beskriv værdien.", "efterlevet": "Ja", "dokumentation": "Hjælper OS2 med at evaluere produkter"},
    {"id": "R4", "kategori": "relevans", "krav": "Ophæng til nationale strategier er til stede", "produktniveau": "3", "efterlevet": "Ved ikke", "dokumentation": ""},
    {"id": "F6", "kategori": "formkrav", "krav": "Kildekoden er overdraget og er placeret under OS2's kontrol", "produktniveau": "1", "efterlevet": null, "dokumentation": ""},
    {"id": "G5", "kategori": "governance", "krav": "Bestyrelsen har godkendt produktet", "produktniveau": "2", "efterlevet": "Nej", "dokumentation": "Ikke formelt præsenteret og godkendt."},
    {"id": "G14", "kategori": "governance", "krav": "Der er etableret et fagligt fællesskab bag løsningen", "produktniveau": "3", "efterlevet": "Ikke relevant", "dokumentation": "[Ikke udfyldt]"}
  ]
}"#;

fn workdir() -> TestDir {
    TestDir::new().init()
}

fn write(dir: &TestDir, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The Krav rows of a written projektark: ID → (Efterlevet, Dokumentation, Forklaring).
pub(crate) fn answers(dir: &TestDir, path: &Path) -> BTreeMap<String, (String, String, String)> {
    project(dir, path)
        .requirements
        .into_iter()
        .map(|r| {
            let answer = match r.answer {
                Input::Given(a) => a.da().to_string(),
                Input::Blank => String::new(),
                Input::Invalid => "UGYLDIG".to_string(),
            };
            (r.id, (answer, r.evidence.unwrap_or_default(), r.explanation.unwrap_or_default()))
        })
        .collect()
}

pub(crate) fn project(dir: &TestDir, path: &Path) -> Project {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let limits = os2gov::load::workbook::Limits::default();
    os2gov::load::projektark::load_projektark(&bytes, &dir.rules(), &limits).expect("a readable projektark").0
}

fn answer(map: &BTreeMap<String, (String, String, String)>, id: &str) -> (String, String) {
    let (a, d, _) = map.get(id).unwrap_or_else(|| panic!("no row {id}"));
    (a.clone(), d.clone())
}

fn pair(a: &str, d: &str) -> (String, String) {
    (a.to_string(), d.to_string())
}

#[test]
fn each_form_becomes_a_projektark_that_check_reads_without_import_errors() {
    let dir = workdir();
    write(&dir, "GOVERNANCE_REPORT.md", CHECKLIST);
    write(&dir, "OS2bankdemo_governance_report.md", TEMPLATE_2025);
    write(&dir, "kladde.md", EFTERLEVET);
    write(&dir, "os2formdemo-20260501T202615Z.json", FORM_JSON);
    let run = dir
        .run(&[
            "import",
            "GOVERNANCE_REPORT.md",
            "OS2bankdemo_governance_report.md",
            "kladde.md",
            "os2formdemo-20260501T202615Z.json",
        ])
        .code(0);
    let out = run.stdout();
    for line in [
        "GOVERNANCE_REPORT.md → indsendt/OS2demo.xlsx",
        "OS2bankdemo_governance_report.md → indsendt/OS2bankdemo.xlsx",
        "kladde.md → indsendt/OS2kladde.xlsx",
        "os2formdemo-20260501T202615Z.json → indsendt/OS2formdemo.xlsx",
        "4 af 4 filer importeret.",
    ] {
        assert!(out.contains(line), "{line} not in\n{out}");
    }

    // The old checklist: checked → Ja, unchecked → blank (never Nej), links as text,
    // the old numbering mapped by text, what fits nothing listed.
    let old = answers(&dir, &dir.join("indsendt/OS2demo.xlsx"));
    assert_eq!(answer(&old, "R1"), pair("Ja", "Se gevinstkort (https://os2.eu/produkt/os2demo)"));
    assert_eq!(
        answer(&old, "R2"),
        pair("Ja", "12 kommuner har skrevet under på tilslutningserklæringen"),
        "old R3 is R2"
    );
    assert_eq!(answer(&old, "F2"), pair("Ja", "MPL 2.0 og CC-BY-SA-4.0 vedtaget"), "Soruce");
    assert_eq!(answer(&old, "F13"), pair("Ja", "Slides: https://os2.eu/dokument/os2demo-slides"), "old F14 is F13");
    assert_eq!(answer(&old, "F14"), pair("Ja", "Se artiklen (https://os2.eu/blog/os2demo)"), "old F13 is F14");
    assert_eq!(answer(&old, "G6"), pair("Ja", "Se styregruppen her (https://os2.eu/wiki/styregruppe-os2demo)"));
    assert_eq!(answer(&old, "G9"), pair("", ""), "an unchecked box is not claimed");
    assert_eq!(answer(&old, "F11"), pair("", ""), "old F11 (Jira) fits no current requirement");
    let import = cells(&dir.join("indsendt/OS2demo.xlsx"), "Import");
    let row_of =
        |id: &str| import.iter().find(|r| r[0] == id).unwrap_or_else(|| panic!("{id} not on Import: {import:?}"));
    assert!(row_of("R2")[4].contains("allerede besvaret af kildens R1"), "{:?}", row_of("R2"));
    assert!(row_of("F11")[4].contains("ældre kravkatalog"), "{:?}", row_of("F11"));
    assert_eq!(row_of("F11")[3], "OS2demo's Jira (https://os2web.atlassian.net/jira/DEMO)");
    assert!(import.iter().any(|r| r[1].contains("LOG") && r[1].contains("ikke en kravtabel")), "{import:?}");
    assert!(out.contains("R2 Løsningen skaber potentielt værdi for andre [Ja]: Passer til R1"), "{out}");

    // The 2025 template: the markers, and IDs trusted over short texts.
    let t25 = answers(&dir, &dir.join("indsendt/OS2bankdemo.xlsx"));
    assert_eq!(answer(&t25, "R1"), pair("Ja", "Automatiserer bogføring.\nSe README."));
    assert_eq!(answer(&t25, "R4"), pair("Ved ikke", ""));
    assert_eq!(answer(&t25, "G1"), pair("Nej", "Ikke registreret endnu."));
    assert_eq!(answer(&t25, "G12"), pair("Ikke relevant", "Ikke relevant endnu."));
    assert_eq!(answer(&t25, "G13"), pair("", ""));
    let import = cells(&dir.join("indsendt/OS2bankdemo.xlsx"), "Import");
    assert!(import.iter().any(|r| r[1].contains("Ansvarlig")), "the extra column is named: {import:?}");

    // The Efterlevet? form: the document block fills Projekt; Planlagt is not an answer.
    let kladde = project(&dir, &dir.join("indsendt/OS2kladde.xlsx"));
    assert_eq!(kladde.fields.filled_by.given().map(String::as_str), Some("Sofie Buhl"));
    assert_eq!(kladde.fields.filled_date.given().map(|d| d.to_string()), Some("2026-07-02".into()));
    assert_eq!(kladde.fields.repository.given().map(String::as_str), Some("https://github.com/os2kladde"));
    assert_eq!(kladde.fields.licence.given().map(String::as_str), Some("MPL-2.0"), "from F2's documentation");
    let k = answers(&dir, &dir.join("indsendt/OS2kladde.xlsx"));
    // Planlagt: Nej, explained by the word and the documentation (the answer-word table).
    assert_eq!(k["F3"], ("Nej".into(), String::new(), "Planlagt: Der skal udarbejdes et notat.".into()));
    assert_eq!(answer(&k, "F18"), pair("Ved ikke", "Vi har ikke taget stilling."));
    assert_eq!(answer(&k, "F19"), pair("Nej", ""), "[Ikke udfyldt] is a placeholder");
    assert!(out.contains("4 svar overført (1 efter svarordstabellen), 0 ikke overført"), "{out}");

    // The JSON: null → blank.
    let form = project(&dir, &dir.join("indsendt/OS2formdemo.xlsx"));
    assert_eq!(form.fields.name.given().map(String::as_str), Some("OS2formdemo"));
    assert_eq!(form.fields.filled_by.given().map(String::as_str), Some("Rasmus Frey, OS2-sekretariatet"));
    let f = answers(&dir, &dir.join("indsendt/OS2formdemo.xlsx"));
    assert_eq!(answer(&f, "R1"), pair("Ja", "Hjælper OS2 med at evaluere produkter"));
    assert_eq!(answer(&f, "F6"), pair("", ""));
    assert_eq!(answer(&f, "G5"), pair("Nej", "Ikke formelt præsenteret og godkendt."));
    assert_eq!(answer(&f, "G14"), pair("Ikke relevant", ""));

    // check reads every one: the only INPUT findings are the fields no source gives.
    let checked = json(&dir.run(&["check", "indsendt", "--format", "json", "--fail-on", "never"]).code(0));
    assert_eq!(checked["unreadable"].as_array().unwrap().len(), 0);
    for id in ["OS2demo", "OS2bankdemo", "OS2kladde", "OS2formdemo"] {
        let input: Vec<String> = codes_of(&checked, id).into_iter().filter(|c| c.starts_with("INPUT-")).collect();
        assert_eq!(input, ["INPUT-FIELD-MISSING"], "{id}");
        let project = checked["projects"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
        let missing: Vec<&str> = project["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "INPUT-FIELD-MISSING")
            .map(|f| f["message"].as_str().unwrap())
            .collect();
        for m in &missing {
            assert!(!m.contains("'Navn'") && !m.contains("'Projekt-ID'"), "{id}: {m}");
        }
        // The loader ignores the Import sheet: nothing there is read or reported.
        assert!(project["findings"].as_array().unwrap().iter().all(|f| f["sheet"] != "Import"), "{id}");
    }
}

#[test]
fn files_that_cannot_be_imported_are_named_and_give_exit_3() {
    let dir = workdir();
    write(&dir, "god.json", FORM_JSON);
    write(&dir, "README.md", "# OS2demo\n\nIntet skema her.\n");
    write(
        &dir,
        "evaluering.md",
        "# Evaluering af OS2demo\n\n| # | Niveau | Krav | Vurdering | Vurderingsgrundlag |\n|---|---|---|---|---|\n| R1 | Sandkasse | Lokal værdi | 🟢 | Fint |\n",
    );
    write(&dir, "ødelagt.json", "{\"krav\": [ {\"id\": \"R1\",, } ]}");
    std::fs::copy(dir.join("styringsmodel.xlsx"), dir.join("regneark.xlsx")).unwrap();
    let run = dir
        .run(&[
            "import",
            "god.json",
            "README.md",
            "evaluering.md",
            "ødelagt.json",
            "regneark.xlsx",
            "findes-ikke.md",
            "-o",
            "ud-import",
        ])
        .code(3);
    let out = run.stdout();
    assert!(out.contains("god.json → ud-import/OS2formdemo.xlsx"), "{out}");
    for (file, why) in [
        ("README.md", "ingen kravtabel"),
        ("evaluering.md", "evalueringsrapport"),
        ("ødelagt.json", "linje 1"),
        ("regneark.xlsx", "regneark"),
        ("findes-ikke.md", "kunne ikke læses"),
    ] {
        let line = out.lines().find(|l| l.starts_with(file)).unwrap_or_else(|| panic!("{file} not named:\n{out}"));
        assert!(line.contains("ikke importeret") && line.contains(why), "{line}");
    }
    assert!(out.contains("1 af 6 filer importeret."), "{out}");
    assert!(dir.join("ud-import/OS2formdemo.xlsx").is_file());
    let en = dir.run(&["import", "README.md", "-o", "ud-import", "--lang", "en"]).code(3).stdout();
    assert!(
        en.contains("not imported – the file holds no requirement table") && en.contains("self-evaluation form's JSON"),
        "{en}"
    );
}

#[test]
fn an_existing_projektark_is_kept_unless_forced_and_ids_are_checked() {
    let dir = workdir();
    write(&dir, "a.json", FORM_JSON);
    write(&dir, "b.json", &FORM_JSON.replace("2026-05-01\"", "2026-06-01\""));
    dir.run(&["import", "a.json"]).code(0);
    let before = std::fs::read(dir.join("indsendt/OS2formdemo.xlsx")).unwrap();
    let again = dir.run(&["import", "b.json"]).code(3).stdout();
    assert!(
        again.contains("indsendt/OS2formdemo.xlsx har allerede Projekt-ID OS2formdemo og overskrives ikke")
            && again.contains("--force"),
        "{again}"
    );
    assert_eq!(std::fs::read(dir.join("indsendt/OS2formdemo.xlsx")).unwrap(), before);
    dir.run(&["import", "b.json", "--force"]).code(0);
    let after = project(&dir, &dir.join("indsendt/OS2formdemo.xlsx"));
    assert_eq!(after.fields.filled_date.given().map(|d| d.to_string()), Some("2026-06-01".into()));
    // Two inputs for one product in one run: the second is not written over the first.
    let both = dir.run(&["import", "a.json", "b.json", "-o", "andet"]).code(3).stdout();
    assert!(both.contains("samme Projekt-ID (OS2formdemo) som a.json"), "{both}");
    // --id names the sheet, for one file only, and must be a valid Projekt-ID.
    dir.run(&["import", "a.json", "--id", "OS2-form", "-o", "andet"]).code(0);
    assert_eq!(project(&dir, &dir.join("andet/OS2-form.xlsx")).fields.id.given().map(String::as_str), Some("OS2-form"));
    let two = dir.run(&["import", "a.json", "b.json", "--id", "X", "-o", "andet"]).code(2);
    assert!(two.stderr().contains("--id kan kun bruges med én fil"), "{}", two.stderr());
    let bad = dir.run(&["import", "a.json", "--id", "OS2 form", "-o", "andet"]).code(2);
    assert!(bad.stderr().contains("ikke et gyldigt Projekt-ID"), "{}", bad.stderr());
}

#[test]
fn a_bad_styringsmodel_stops_the_import_with_exit_2() {
    let dir = TestDir::new().model(|sheets| sheets.retain(|s| s.name != "Krav"));
    write(&dir, "a.json", FORM_JSON);
    let run = dir.run(&["import", "a.json", "--rules", "styringsmodel.xlsx"]).code(2);
    assert!(run.stderr().contains("GOV-SHEET-MISSING"), "{}", run.stderr());
    assert!(!dir.join("indsendt").exists());
}

#[test]
fn a_folder_imports_its_reports() {
    let dir = workdir();
    std::fs::create_dir(dir.join("rapporter")).unwrap();
    std::fs::write(dir.join("rapporter/a.md"), TEMPLATE_2025).unwrap();
    std::fs::write(dir.join("rapporter/b.json"), FORM_JSON).unwrap();
    std::fs::write(dir.join("rapporter/billede.png"), [0x89, b'P', b'N', b'G']).unwrap();
    let out = dir.run(&["import", "rapporter"]).code(0).stdout();
    assert!(out.contains("2 af 2 filer importeret."), "{out}");
}

#[test]
fn the_import_summary_in_danish_and_english() {
    let dir = workdir();
    write(&dir, "GOVERNANCE_REPORT.md", CHECKLIST);
    write(&dir, "kladde.md", EFTERLEVET);
    write(&dir, "README.md", "# Intet\n");
    let args = ["import", "GOVERNANCE_REPORT.md", "kladde.md", "README.md", "-o", "ud"];
    let da = dir.run(&args).code(3).stdout();
    insta::assert_snapshot!("import_summary_da", da);
    let en = dir.run(&[&args[..], &["--lang", "en", "--force"][..]].concat()).code(3).stdout();
    insta::assert_snapshot!("import_summary_en", en);
}

/// A projektark with every kind of answer and documentation that Markdown could eat.
fn varied(dir: &TestDir) -> os2gov::model::filled::Filled {
    let mut filled = dir.clean("OS2rundtur", "N2", "Produkt");
    set(&mut filled, FieldKey::Name, Value::from("OS2rundtur | med *stjerne*"));
    let text = |s: &str| Value::from(s);
    let special = [
        (
            "R1",
            "Ja",
            "Se [linket](https://os2.eu/a_b?x=1&y=2) | og *fed* _kursiv_ `kode`\nanden linje <b>ikke html</b>",
            "",
        ),
        ("R2", "Nej", "", "Ledelsen har ikke taget stilling endnu; det sker i 2027."),
        ("R3", "Ikke relevant", "Kun én kommune", "Løsningen er lokal."),
        ("F1", "Ved ikke", "snake_case_navn og C:\\sti\\fil", ""),
        ("F2", "", "", ""),
        ("G6", "Nej", "https://os2.eu/styregruppe", "Nedsættes i foråret.\nKommissorium følger."),
    ];
    for (id, a, d, f) in special {
        filled.answers.retain(|x| x.id != id);
        filled.answers.push(KravAnswer {
            id: id.into(),
            efterlevet: text(a),
            dokumentation: text(d),
            forklaring: text(f),
            ..KravAnswer::default()
        });
    }
    filled
}

#[test]
fn a_projektark_round_trips_through_report_and_import() {
    let dir = workdir();
    let original = dir.projektark("indsendt/OS2rundtur.xlsx", &varied(&dir));
    let run = dir.run(&["report", "indsendt/OS2rundtur.xlsx", "-o", "rapport.md"]).code(0);
    assert!(run.stdout().contains("Governancerapport skrevet: rapport.md"), "{}", run.stdout());
    let md = std::fs::read_to_string(dir.join("rapport.md")).unwrap();
    assert!(
        md.contains("| ✅ | R1 |")
            && md.contains("| ❌ | R2 |")
            && md.contains("| ➖ | R3 |")
            && md.contains("| ❓ | F1 |"),
        "{md}"
    );
    assert!(md.contains("|  | F2 |"), "blank stays blank: {md}");
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| ---") && !l.starts_with("| 🔽")).count(),
        dir.rules().requirements.len()
    );

    dir.run(&["import", "rapport.md", "-o", "tilbage"]).code(0);
    // An imported sheet (Projektleder etc. still blank) publishes without warnings.
    let again = dir.run(&["report", "tilbage/OS2rundtur-med-stjerne.xlsx", "-o", "igen.md"]).code(0);
    assert_eq!(again.stderr(), "");
    let twice = std::fs::read_to_string(dir.join("igen.md")).unwrap();
    let table = |md: &str| md.lines().filter(|l| l.starts_with("| ")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(table(&twice), table(&md), "report → import → report gives the same table");
    let back_path = dir.join("tilbage/OS2rundtur-med-stjerne.xlsx");
    let (before, after) = (answers(&dir, &original), answers(&dir, &back_path));
    for (id, want) in &before {
        let got = after.get(id).cloned().unwrap_or_default();
        assert_eq!(&got, want, "{id}");
    }
    let back = project(&dir, &back_path);
    assert_eq!(back.fields.name.given().map(String::as_str), Some("OS2rundtur | med *stjerne*"));
    let orig = project(&dir, &original);
    assert_eq!(back.fields.filled_date.given(), orig.fields.filled_date.given());
    assert_eq!(back.fields.filled_by.given(), orig.fields.filled_by.given());
    assert_eq!(back.fields.repository.given(), orig.fields.repository.given());
    let import = cells(&back_path, "Import");
    assert!(
        import.iter().any(|r| r[0] == "Ikke overført") && import.iter().any(|r| r[0] == "Alt er overført."),
        "{import:?}"
    );
}

#[test]
fn report_names_what_it_cannot_read_or_would_overwrite() {
    let dir = workdir();
    std::fs::write(dir.join("ikke-et-ark.xlsx"), b"PK\x03\x04 noget andet").unwrap();
    let run = dir.run(&["report", "ikke-et-ark.xlsx", "-o", "r.md"]).code(3);
    assert!(run.stderr().contains("kan ikke læses som projektark"), "{}", run.stderr());
    let model = dir.run(&["report", "styringsmodel.xlsx", "-o", "r.md"]).code(3);
    assert!(
        model.stderr().contains("er ikke et projektark") && model.stderr().contains("INPUT-SHEET-MISSING"),
        "{}",
        model.stderr()
    );
    assert!(!dir.join("r.md").exists());
    let mut filled = dir.clean("OS2ukendt", "N1", "Igangsat");
    filled.extra_requirements.push(vec![
        Value::from("X1"),
        Value::from("Tema"),
        Value::from("N1"),
        Value::from("Skal"),
        Value::from("Ukendt krav"),
        Value::Blank,
        Value::from("Ja"),
    ]);
    filled.answers.retain(|a| a.id != "G4");
    filled.answers.push(KravAnswer { id: "G4".into(), efterlevet: Value::from("Måske"), ..KravAnswer::default() });
    dir.projektark("indsendt/OS2ukendt.xlsx", &filled);
    let run = dir.run(&["report", "indsendt/OS2ukendt.xlsx", "--lang", "en"]).code(0);
    assert!(dir.join("OS2ukendt-governancerapport.md").is_file());
    assert!(run.stdout().contains("requirement IDs the styringsmodel does not know): X1"), "{}", run.stdout());
    assert!(run.stderr().contains("INPUT-VALUE-INVALID"), "the unreadable answer is warned about: {}", run.stderr());
    let md = std::fs::read_to_string(dir.join("OS2ukendt-governancerapport.md")).unwrap();
    assert!(md.contains("|  | G4 |"), "{md}");
    let again = dir.run(&["report", "indsendt/OS2ukendt.xlsx"]).code(2);
    assert!(again.stderr().contains("findes allerede"), "{}", again.stderr());
}
