//! `init`, `rules` and `template`: the foundation commands.

use crate::util::{TestDir, as_of, cells, sheet};
use crate::xml;
use os2gov::model::cell::Value;

#[test]
fn init_then_rules_reports_the_2025_model() {
    let dir = TestDir::new().init();
    for f in ["os2gov.toml", "styringsmodel.xlsx", "projektark-skabelon.xlsx"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let config = dir.join("os2gov.toml");
    let run = dir.run(&["rules", "--config", config.to_str().unwrap()]).code(0);
    let out = run.stdout();
    assert!(out.contains("Niveauer (4) og krav (43: 37 skal, 6 bør)"), "{out}");
    for (level, n) in [("SB Sandkasse", 6), ("N1 Niveau 1", 10), ("N2 Niveau 2", 19), ("N3 Niveau 3", 8)] {
        let line = out.lines().find(|l| l.trim_start().starts_with(level)).unwrap_or_else(|| panic!("{level} line"));
        assert!(line.contains(&format!("{n} krav")), "{line}");
    }
    assert!(out.contains(
        "Faser (8): Idé → Koncept → Bestyrelsesbehandling → Igangsat → Implementering → Produkt → Pauseret → Udfaset"
    ));
    insta::assert_snapshot!("rules_summary_da", out);
}

#[test]
fn rules_summary_in_english() {
    let dir = TestDir::new().init();
    let out = dir.run(&["rules", "--lang", "en"]).code(0).stdout();
    assert!(out.contains("Levels (4) and requirements (43: 37 must, 6 should)"), "{out}");
    insta::assert_snapshot!("rules_summary_en", out);
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let dir = TestDir::new();
    std::fs::write(dir.join("noget.txt"), "vigtigt").unwrap();
    let target = dir.path().to_str().unwrap().to_string();
    let run = dir.run(&["init", &target]).code(2);
    assert!(run.stderr().contains("er ikke tom"), "{}", run.stderr());
    assert_eq!(std::fs::read_to_string(dir.join("noget.txt")).unwrap(), "vigtigt");
    assert!(!dir.join("styringsmodel.xlsx").exists());
}

#[test]
fn five_planted_mistakes_give_five_messages_naming_their_sheets() {
    let dir = TestDir::new().model(|sheets| {
        // 1. An unknown level in Krav (row 4 → Krav!C4).
        sheet(sheets, "Krav").rows[2][2] = Value::from("N4");
        // 2. A duplicate requirement ID (row 8 repeats F1).
        sheet(sheets, "Krav").rows[6][0] = Value::from("F1");
        // 3. An impossible date (Dokument!B4, Revisionsdato).
        sheet(sheets, "Dokument").rows[2][1] = Value::from("31-02-2027");
        // 4. An unknown phase in Overgange (row 3, Til → Overgange!B3).
        sheet(sheets, "Overgange").rows[1][1] = Value::from("Konsept");
        // 5. A missing sheet.
        sheets.retain(|s| s.name != "Årsager");
    });
    let run = dir.run(&["rules", "--rules", "styringsmodel.xlsx"]).code(2);
    let err = run.stderr();
    let problems: Vec<&str> = err.lines().filter(|l| l.trim_start().starts_with("fejl GOV-")).collect();
    assert_eq!(problems.len(), 5, "{err}");
    for (code, place) in [
        ("GOV-REFERENCE-UNKNOWN", "Krav!C4"),
        ("GOV-DUPLICATE", "Krav!A8"),
        ("GOV-DATE-INVALID", "Dokument!B4"),
        ("GOV-REFERENCE-UNKNOWN", "Overgange!B3"),
        ("GOV-SHEET-MISSING", "'Årsager'"),
    ] {
        assert!(problems.iter().any(|l| l.contains(code) && l.contains(place)), "{code} {place} not in\n{err}");
    }
    insta::assert_snapshot!("rules_five_mistakes", err.replace(dir.path().to_str().unwrap(), "<dir>"));
}

#[test]
fn revision_date_passed_is_a_warning_and_the_run_goes_on() {
    let dir = TestDir::new().model(|sheets| {
        sheet(sheets, "Dokument").rows[2][1] = Value::Date(as_of() - chrono::Duration::days(1));
    });
    let run = dir.run(&["rules"]).code(0);
    assert!(run.stdout().contains("advarsel GOV-REVISION-DUE"), "{}", run.stdout());
}

#[test]
fn the_process_columns_are_validated_like_the_rest() {
    let dir = TestDir::new().model(|sheets| {
        // Krav.Fra fase (column E): an unknown phase (R2, row 3).
        sheet(sheets, "Krav").rows[1][4] = Value::from("Konsept");
        // Overgange.Beslutter (column D) as a comma list with an unknown body (row 2).
        sheet(sheets, "Overgange").rows[0][3] = Value::from("Sekretariat, Borgmester");
        // Årsager.Bemærkning påkrævet (column D) that is not Ja/Nej (row 2).
        sheet(sheets, "Årsager").rows[0][3] = Value::from("måske");
    });
    let run = dir.run(&["rules"]).code(2);
    let err = run.stderr();
    for (code, place) in [
        ("GOV-REFERENCE-UNKNOWN", "Krav!E3"),
        ("GOV-VALUE-INVALID", "Overgange!D2"),
        ("GOV-VALUE-INVALID", "Årsager!D2"),
    ] {
        assert!(err.lines().any(|l| l.contains(code) && l.contains(place)), "{code} {place} not in\n{err}");
    }
    // A requirement cannot fall due in a pause (judged once Overgange is valid).
    let dir = TestDir::new().model(|sheets| sheet(sheets, "Krav").rows[3][4] = Value::from("Pauseret"));
    let err = dir.run(&["rules"]).code(2).stderr();
    assert!(err.lines().any(|l| l.contains("GOV-VALUE-INVALID") && l.contains("Krav!E5")), "{err}");
    // Near miss: a valid comma list of deciders and a blank Fra fase are fine.
    let dir = TestDir::new().model(|sheets| {
        sheet(sheets, "Overgange").rows[0][3] = Value::from("Sekretariat, Bestyrelse");
        sheet(sheets, "Krav").rows[1][4] = Value::Blank;
    });
    dir.run(&["rules"]).code(0);
}

#[test]
fn a_model_without_fra_fase_is_read_with_a_warning() {
    let dir = TestDir::new().model(|sheets| {
        let krav = sheet(sheets, "Krav");
        krav.headers.remove(4);
        krav.widths.remove(4);
        for row in &mut krav.rows {
            row.remove(4);
        }
    });
    let run = dir.run(&["rules"]).code(0);
    assert!(run.stdout().contains("GOV-COLUMN-MISSING") && run.stdout().contains("Fra fase"), "{}", run.stdout());
}

#[test]
fn a_missing_styringsmodel_says_how_to_make_one() {
    let dir = TestDir::new();
    let run = dir.run(&["rules"]).code(2);
    assert!(run.stderr().contains("os2gov init"), "{}", run.stderr());
}

#[test]
fn styringsmodel_has_dropdowns_formats_and_frozen_headers() {
    let dir = TestDir::new().init();
    let path = dir.join("styringsmodel.xlsx");
    for (sheet, col) in [
        ("Niveauer", "D"),
        ("Krav", "B"),
        ("Krav", "C"),
        ("Krav", "D"),
        ("Krav", "E"),
        ("Krav", "H"),
        ("Årsager", "D"),
        ("Overgange", "A"),
        ("Overgange", "B"),
        ("Overgange", "D"),
        ("Overgange", "E"),
        ("Overgange", "F"),
        ("Modtagere", "C"),
        ("Modtagere", "D"),
        ("Modtagere", "E"),
    ] {
        let v = xml::validation_on(&path, sheet, col).unwrap_or_else(|| panic!("no dropdown on {sheet}!{col}"));
        assert_eq!(v.kind, "list", "{sheet}!{col}");
    }
    assert!(xml::validation_on(&path, "Krav", "C").unwrap().formula.contains("Niveauer!"));
    assert!(xml::number_formats(&path).iter().any(|f| f == "dd-mm-yyyy"));
    for s in
        ["Dokument", "Niveauer", "Krav", "Faser", "Overgange", "Årsager", "Parametre", "Bestyrelsesmøder", "Modtagere"]
    {
        assert_eq!(xml::frozen_at(&path, s).as_deref(), Some("A2"), "{s}");
    }
    let sheets = xml::sheets(&path);
    assert_eq!(sheets[0].0, "Vejledning");
    assert!(sheets.iter().any(|(n, state)| n == "Lister" && state == "hidden"));
}

#[test]
fn template_matches_the_catalogue_and_carries_dropdowns_and_formats() {
    let dir = TestDir::new().init();
    dir.run(&["template", "-o", "ny.xlsx", "--id", "OS2test"]).code(0);
    let path = dir.join("ny.xlsx");
    let model = std::fs::read(dir.join("styringsmodel.xlsx")).unwrap();
    let rules = os2gov::load::styringsmodel::load_rules(&model, as_of()).unwrap().rules;

    // Krav rows equal the styringsmodel's catalogue, in order.
    let krav = cells(&path, "Krav");
    // The catalogue's columns by name (the answers sit right after the requirement text).
    let pick = |row: &Vec<String>| -> Vec<String> {
        ["ID", "Tema", "Niveau", "Type", "Fra fase", "Krav", "Vejledning"]
            .iter()
            .map(|h| row[krav[0].iter().position(|c| c == h).unwrap_or_else(|| panic!("no column {h}"))].clone())
            .collect()
    };
    assert_eq!(krav[0][..3], ["ID", "Krav", "Efterlevet"]);
    let rows: Vec<Vec<String>> = krav[1..].iter().map(pick).collect();
    let expected: Vec<Vec<String>> = rules
        .requirements
        .iter()
        .map(|r| {
            vec![
                r.id.clone(),
                r.theme.clone(),
                rules.level(r.level).code.clone(),
                r.kind.da().to_string(),
                rules.phase(rules.due_from(r)).name.clone(),
                r.text.clone(),
                r.guidance.clone(),
            ]
        })
        .collect();
    assert_eq!(rows, expected);

    // The Projekt-ID is filled in.
    let projekt = cells(&path, "Projekt");
    assert!(projekt.iter().any(|r| r[0] == "Projekt-ID" && r[1] == "OS2test"));

    // Dropdowns fed from the hidden lists sheet.
    for (sheet, col) in [
        ("Krav", "C"),
        ("Krav", "F"),
        ("Historik", "H"),
        ("Historik", "B"),
        ("Historik", "C"),
        ("Historik", "D"),
        ("Historik", "F"),
        ("Deltagere", "B"),
        ("Status", "B"),
        ("Status", "C"),
    ] {
        let v = xml::validation_on(&path, sheet, col).unwrap_or_else(|| panic!("no dropdown on {sheet}!{col}"));
        assert_eq!(v.kind, "list", "{sheet}!{col}");
        assert!(v.formula.starts_with("Lister!"), "{sheet}!{col}: {}", v.formula);
    }
    let projekt_lists: Vec<_> = xml::validations(&path, "Projekt").into_iter().filter(|v| v.kind == "list").collect();
    assert_eq!(projekt_lists.len(), 3, "Type, Niveau and Fase: {projekt_lists:?}");
    let formats = xml::number_formats(&path);
    assert!(formats.iter().any(|f| f == "dd-mm-yyyy"), "{formats:?}");
    assert!(formats.iter().any(|f| f == "#,##0 \"kr.\""), "{formats:?}");
    let sheets = xml::sheets(&path);
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["Vejledning", "Projekt", "Krav", "Historik", "Deltagere", "Status", "Budgetændringer", "Drift", "Lister"]
    );
    assert_eq!(sheets[8].1, "hidden");
    // The lists hold the values (checked against the model, not hard-coded).
    let lists = cells(&path, "Lister");
    let fase_col = lists[0].iter().position(|h| h == "Fase").unwrap();
    let phases: Vec<String> = lists[1..].iter().map(|r| r[fase_col].clone()).filter(|s| !s.is_empty()).collect();
    assert_eq!(phases, rules.phases.iter().map(|p| p.name.clone()).collect::<Vec<_>>());
}

#[test]
fn template_does_not_overwrite_without_force() {
    let dir = TestDir::new().init();
    dir.run(&["template"]).code(0);
    dir.run(&["template"]).code(2);
    dir.run(&["template", "--force"]).code(0);
    dir.run(&["template", "--id", "../../etc/x"]).code(2);
}

#[test]
fn unknown_config_key_is_named() {
    let dir = TestDir::new().init();
    let toml = std::fs::read_to_string(dir.join("os2gov.toml")).unwrap();
    std::fs::write(dir.join("os2gov.toml"), toml.replace("inbox =", "inboks =")).unwrap();
    let run = dir.run(&["rules"]).code(2);
    assert!(run.stderr().contains("ukendt nøgle 'inboks'"), "{}", run.stderr());
}

#[test]
fn help_is_danish_by_default_and_english_on_request() {
    let dir = TestDir::new();
    let da = dir.run(&["--help"]).code(0).stdout();
    assert!(da.contains("Brug:") && da.contains("Kontrollér styringsmodellen"), "{da}");
    let en = dir.run(&["--help", "--lang", "en"]).code(0).stdout();
    assert!(en.contains("Usage:") && en.contains("Validate the styringsmodel"), "{en}");
}
