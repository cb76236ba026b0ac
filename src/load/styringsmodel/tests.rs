//! The styringsmodel loader on the default tables with one thing changed: every GOV-* code
//! a bad model gives, each beside its near miss (the legitimate twin that loads cleanly).

use crate::load::styringsmodel::{rules_from_workbook, table_workbook};
use crate::model::cell::Value;
use crate::model::defaults::{SheetData, default_model};
use crate::model::finding::{Code, Finding, Severity};
use chrono::NaiveDate;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// The default model with `change` applied, loaded: the findings (errors and warnings).
fn load(change: impl FnOnce(&mut Vec<SheetData>)) -> Vec<Finding> {
    let mut tables = default_model(as_of());
    change(&mut tables);
    match rules_from_workbook(&table_workbook(&tables), as_of()) {
        Ok(loaded) => loaded.warnings,
        Err(findings) => findings,
    }
}

fn codes(findings: &[Finding]) -> Vec<Code> {
    findings.iter().map(|f| f.code).collect()
}

fn sheet<'a>(tables: &'a mut [SheetData], name: &str) -> &'a mut SheetData {
    tables.iter_mut().find(|t| t.name == name).expect("a default sheet")
}

fn cell<'a>(table: &'a mut SheetData, key: &str, col: usize) -> &'a mut Value {
    let row = table.rows.iter_mut().find(|r| r[0] == Value::from(key)).expect("a row");
    &mut row[col]
}

#[test]
fn the_default_model_loads_without_findings() {
    assert_eq!(codes(&load(|_| {})), vec![]);
}

#[test]
fn a_missing_field_row_is_gov_field_missing() {
    let found = load(|t| sheet(t, "Dokument").rows.retain(|r| r[0] != Value::from("Version")));
    let f = found.iter().find(|f| f.code == Code::GovFieldMissing).expect("GOV-FIELD-MISSING");
    assert_eq!((f.severity, f.location.a1()), (Severity::Error, "Dokument".to_string()));
    // Near miss: the row is there with another letter case and spaces.
    let found = load(|t| *cell(sheet(t, "Dokument"), "Version", 0) = Value::from(" version "));
    assert!(!codes(&found).contains(&Code::GovFieldMissing), "{found:?}");
}

#[test]
fn text_in_a_number_column_is_gov_number_invalid() {
    let found = load(|t| *cell(sheet(t, "Niveauer"), "N1", 2) = Value::from("første"));
    let f = found.iter().find(|f| f.code == Code::GovNumberInvalid).expect("GOV-NUMBER-INVALID");
    assert_eq!(f.location.a1(), "Niveauer!C3");
    // Near miss: a number typed as text is a number.
    let found = load(|t| *cell(sheet(t, "Niveauer"), "N1", 2) = Value::from("1"));
    assert!(!codes(&found).contains(&Code::GovNumberInvalid), "{found:?}");
}

#[test]
fn a_sheet_without_rows_is_gov_empty() {
    let found = load(|t| sheet(t, "Niveauer").rows.clear());
    let f = found.iter().find(|f| f.code == Code::GovEmpty).expect("GOV-EMPTY");
    assert_eq!(f.location.a1(), "Niveauer");
    // Near miss: the sheet keeps one level of its own besides the others.
    let found = load(|t| sheet(t, "Modtagere").rows.truncate(1));
    assert!(!codes(&found).contains(&Code::GovEmpty), "{found:?}");
}

#[test]
fn a_key_phase_renamed_is_gov_phase_missing() {
    let found = load(|t| {
        for table in t.iter_mut() {
            for row in table.rows.iter_mut() {
                for v in row.iter_mut() {
                    if *v == Value::from("Produkt") {
                        *v = Value::from("Drift");
                    }
                }
            }
        }
    });
    let f = found.iter().find(|f| f.code == Code::GovPhaseMissing).expect("GOV-PHASE-MISSING");
    assert!(f.message.en.contains("Produkt"), "{}", f.message.en);
    // Near miss: the same phase in other letter case is found.
    let found = load(|t| {
        for row in sheet(t, "Faser").rows.iter_mut() {
            if row[0] == Value::from("Produkt") {
                row[0] = Value::from("produkt");
            }
        }
    });
    assert!(!codes(&found).contains(&Code::GovPhaseMissing), "{found:?}");
}

#[test]
fn a_document_without_its_approver_is_gov_document_incomplete() {
    let found = load(|t| *cell(sheet(t, "Dokument"), "Godkender", 1) = Value::Blank);
    let f = found.iter().find(|f| f.code == Code::GovDocumentIncomplete).expect("GOV-DOCUMENT-INCOMPLETE");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.en.contains("Godkender"), "{}", f.message.en);
    // Near miss: another approver named is enough.
    let found = load(|t| *cell(sheet(t, "Dokument"), "Godkender", 1) = Value::from("Bestyrelsen"));
    assert!(!codes(&found).contains(&Code::GovDocumentIncomplete), "{found:?}");
}
