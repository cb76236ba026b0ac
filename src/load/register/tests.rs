use super::*;
use crate::load::workbook::{CellValue, RawCell, RawSheet, RawWorkbook};
use crate::model::register::{ASSESSMENT_COLS, PLACEMENT_COLS};
use chrono::NaiveDate;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn rules() -> Rules {
    crate::load::styringsmodel::rules_from_workbook(
        &crate::load::styringsmodel::table_workbook(&crate::model::defaults::default_model(as_of())),
        as_of(),
    )
    .unwrap()
    .rules
}

fn sheet(name: &str, headers: &[&str], rows: &[&[&str]]) -> RawSheet {
    let mut cells: Vec<RawCell> = headers
        .iter()
        .enumerate()
        .map(|(c, h)| RawCell { row: 0, col: c as u32, value: CellValue::Text(h.to_string()) })
        .collect();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            cells.push(RawCell { row: r as u32 + 1, col: c as u32, value: CellValue::Text(v.to_string()) });
        }
    }
    RawSheet::new(name, cells)
}

fn workbook(placements: &[&[&str]], assessments: &[&[&str]]) -> RawWorkbook {
    let sheets =
        vec![sheet(PLACEMENTS, &PLACEMENT_COLS, placements), sheet(ASSESSMENTS, &ASSESSMENT_COLS, assessments)];
    RawWorkbook { sheet_names: sheets.iter().map(|s| s.name.clone()).collect(), sheets, date1904: false }
}

#[test]
fn good_rows_are_read_and_pending_rows_are_kept_but_do_not_count() {
    let wb = workbook(
        &[
            &["15-05-2025", "OS2valghalla", "N2", "Sekretariat", "Notat 2025-12", "", ""],
            &["", "OS2vikar", "", "", "", "projektarket siger N2 fra 15-05-2025", "ventende (os2gov 2026-11)"],
        ],
        &[
            &[
                "OS2valghalla",
                "F12",
                "Gul",
                "To versioner i overgangen",
                "03-11-2026",
                "MJ",
                "Nej – …",
                "0123456789abcdef",
                "",
            ],
            &[
                "OS2valghalla",
                "F7",
                "",
                "",
                "",
                "",
                "Nej – forklaring",
                "fedcba9876543210",
                "ventende (os2gov 2026-11)",
            ],
            // Typed by hand: no Svar-id, no date.
            &["OS2vikar", "g6", "grå", "", "", "", "", "", ""],
        ],
    );
    let loaded = register_from_workbook(&wb, &rules()).unwrap();
    assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
    let reg = &loaded.register;
    assert_eq!(reg.placements.len(), 2);
    assert_eq!(reg.placements_for("os2valghalla").len(), 1);
    assert_eq!(reg.placements_for("OS2vikar").len(), 0, "a pending row does not count");
    assert!(reg.has_placement_row("OS2vikar"));
    let p = &reg.placements[0];
    assert_eq!((p.row, p.by, p.date), (2, Some(Decider::Sekretariat), NaiveDate::from_ymd_opt(2025, 5, 15)));
    assert_eq!(reg.assessments.len(), 3);
    let f12 = rules().find_requirement("F12").unwrap();
    let a = reg.newest("OS2valghalla", f12).unwrap();
    assert_eq!((a.light, a.answer_id.as_deref(), a.row), (Some(Light::Gul), Some("0123456789abcdef"), 2));
    let g6 = rules().find_requirement("G6").unwrap();
    let hand = reg.newest("OS2VIKAR", g6).unwrap();
    assert_eq!((hand.light, hand.answer_id.as_deref(), hand.requirement_id.as_str()), (Some(Light::Graa), None, "G6"));
    let f7 = rules().find_requirement("F7").unwrap();
    assert!(reg.newest("OS2valghalla", f7).is_none(), "pending");
    assert!(reg.has_row_for_answer("OS2valghalla", f7, Some("fedcba9876543210")));
}

#[test]
fn bad_rows_are_register_invalid_naming_the_cell_and_do_not_count() {
    let wb = workbook(
        &[
            &["32-13-2025", "OS2a", "N2", "", "", "", ""],
            &["01-01-2025", "OS2b", "N7", "", "", "", ""],
            &["01-01-2025", "", "N1", "", "", "", ""],
            // Placeret af is informational: said, and the row still counts.
            &["01-01-2025", "OS2c", "N1", "Styregruppe", "", "", ""],
        ],
        &[
            &["OS2a", "Z99", "Grøn", "", "", "", "", "", ""],
            &["OS2a", "F12", "Grønn", "", "", "", "", "", ""],
            &["OS2a", "F12", "Grøn", "", "i går", "", "", "", ""],
            &["OS2a", "F12", "Grøn", "", "", "", "", "123", ""],
            // Near miss: the same row, readable.
            &["OS2a", "F12", "Grøn", "", "", "", "", "", ""],
        ],
    );
    let loaded = register_from_workbook(&wb, &rules()).unwrap();
    let at: Vec<String> = loaded.findings.iter().map(|f| f.location.a1()).collect();
    assert_eq!(
        at,
        vec![
            "Placeringer!A2",
            "Placeringer!C3",
            "Placeringer!B4",
            "Placeringer!D5",
            "Vurderinger!B2",
            "Vurderinger!C3",
            "Vurderinger!E4",
            "Vurderinger!H5"
        ]
    );
    assert!(
        loaded
            .findings
            .iter()
            .all(|f| f.code == Code::RegisterInvalid && f.severity == Code::RegisterInvalid.severity())
    );
    assert!(loaded.findings[1].message.da.contains("'N7'"), "{}", loaded.findings[1].message.da);
    let reg = &loaded.register;
    assert_eq!(reg.placements.iter().map(|p| p.project.as_str()).collect::<Vec<_>>(), vec!["OS2c"]);
    assert_eq!(reg.assessments.iter().map(|a| a.row).collect::<Vec<_>>(), vec![6]);
}

#[test]
fn a_register_without_its_sheets_or_columns_cannot_be_used() {
    let mut wb = workbook(&[], &[]);
    wb.sheets.retain(|s| s.name != ASSESSMENTS);
    wb.sheet_names.retain(|s| s != ASSESSMENTS);
    let err = register_from_workbook(&wb, &rules()).unwrap_err();
    assert!(err.da.contains("Fanen 'Vurderinger' mangler"), "{}", err.da);
    let wb = RawWorkbook {
        sheet_names: vec![PLACEMENTS.into(), ASSESSMENTS.into()],
        sheets: vec![sheet(PLACEMENTS, &["Dato", "Projekt-ID"], &[]), sheet(ASSESSMENTS, &ASSESSMENT_COLS, &[])],
        date1904: false,
    };
    let err = register_from_workbook(&wb, &rules()).unwrap_err();
    assert!(err.da.contains("Niveau"), "{}", err.da);
    assert!(err.da.starts_with("Placeringer!A1"), "{}", err.da);
    // Bytes that are no workbook.
    let err = load_register(b"not a workbook", &rules()).unwrap_err();
    assert!(!err.da.is_empty());
}
