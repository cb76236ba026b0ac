//! The projektark as the template writes it, read back by the loader: a clean one reads
//! without findings, and every kind of damage a person can do to it is a finding at its
//! cell (each with a near miss that is no finding).

use crate::check::testkit::{as_of, rules};
use crate::load::projektark::load_projektark;
use crate::load::workbook::{Limits, ReadError};
use crate::model::cell::Value;
use crate::model::filled::Filled;
use crate::model::finding::Code;
use crate::model::layout::FieldKey;
use crate::model::project::Input;
use crate::render::projektark::build_projektark;

fn clean() -> Filled {
    let r = rules();
    crate::check::fixtures::clean(r, "OS2test", r.find_level("N1").unwrap(), r.find_phase("Igangsat").unwrap(), as_of())
}

fn read(filled: &Filled, edit: impl FnOnce(&mut rust_xlsxwriter::Workbook)) -> Vec<Code> {
    let mut wb = build_projektark(rules(), filled).unwrap();
    edit(&mut wb);
    let bytes = wb.save_to_buffer().unwrap();
    let (_, findings) = load_projektark(&bytes, rules(), &Limits::default()).unwrap();
    findings.iter().map(|f| f.code).collect()
}

fn set(filled: &mut Filled, key: FieldKey, value: Value) {
    filled.fields.retain(|(k, _)| *k != key);
    filled.fields.push((key, value));
}

#[test]
fn a_clean_projektark_reads_without_findings() {
    assert_eq!(read(&clean(), |_| {}), vec![]);
}

#[test]
fn a_missing_sheet() {
    let codes = read(&clean(), |wb| {
        wb.worksheet_from_name("Historik").unwrap().set_name("Historie").unwrap();
    });
    assert_eq!(codes, vec![Code::InputSheetMissing]);
    // Near miss: the same sheet with other letter case and spaces is found.
    assert_eq!(
        read(&clean(), |wb| {
            wb.worksheet_from_name("Historik").unwrap().set_name(" historik ").unwrap();
        }),
        vec![]
    );
}

#[test]
fn a_missing_required_field() {
    let mut f = clean();
    set(&mut f, FieldKey::LeadEmail, Value::Blank);
    assert_eq!(read(&f, |_| {}), vec![Code::InputFieldMissing]);
    // Near miss: an optional field left blank.
    let mut f = clean();
    set(&mut f, FieldKey::Sla, Value::Blank);
    assert_eq!(read(&f, |_| {}), vec![]);
}

#[test]
fn a_value_outside_its_list() {
    let mut f = clean();
    f.answers[0].efterlevet = Value::Text("måske".into());
    assert_eq!(read(&f, |_| {}), vec![Code::InputValueInvalid]);
    let mut f = clean();
    set(&mut f, FieldKey::Id, Value::Text("OS2 test!".into()));
    assert_eq!(read(&f, |_| {}), vec![Code::InputValueInvalid]);
    // Near miss: spelling, case and spaces people type are accepted.
    let mut f = clean();
    f.answers[0].efterlevet = Value::Text(" JA ".into());
    f.answers[1].efterlevet = Value::Text("ja".into());
    set(&mut f, FieldKey::Level, Value::Text("niveau 1".into()));
    assert_eq!(read(&f, |_| {}), vec![]);
}

#[test]
fn unreadable_dates_and_numbers() {
    let mut f = clean();
    set(&mut f, FieldKey::FilledDate, Value::Text("i sidste uge".into()));
    set(&mut f, FieldKey::Budget, Value::Text("cirka en million".into()));
    assert_eq!(read(&f, |_| {}), vec![Code::InputNumberInvalid, Code::InputDateInvalid]);
    // Near miss: Danish forms of the same.
    let mut f = clean();
    set(&mut f, FieldKey::FilledDate, Value::Text("16. november 2026".into()));
    set(&mut f, FieldKey::Budget, Value::Text("1.000.000 kr.".into()));
    assert_eq!(read(&f, |_| {}), vec![]);
}

#[test]
fn bad_values_in_the_process_columns_name_their_cells() {
    let read_one = |filled: &Filled| {
        let bytes = build_projektark(rules(), filled).unwrap().save_to_buffer().unwrap();
        load_projektark(&bytes, rules(), &Limits::default()).unwrap()
    };
    // Historik.Niveau (column H) must be a level code.
    let mut f = clean();
    f.history[1].resize(8, Value::Blank);
    f.history[1][7] = Value::Text("N7".into());
    let (_, findings) = read_one(&f);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!((findings[0].code, findings[0].location.a1()), (Code::InputValueInvalid, "Historik!H3".to_string()));
    // 'Niveau placeret (dato)' must be a date.
    let mut f = clean();
    set(&mut f, FieldKey::LevelPlaced, Value::Text("forleden".into()));
    let (_, findings) = read_one(&f);
    assert_eq!(
        findings.iter().map(|x| (x.code, x.location.a1())).collect::<Vec<_>>(),
        [(Code::InputDateInvalid, "Projekt!B11".to_string())]
    );
    // Near miss: a level code or name, and a Danish date, are read.
    let mut f = clean();
    f.history[1].resize(8, Value::Blank);
    f.history[1][7] = Value::Text("niveau 1".into());
    set(&mut f, FieldKey::LevelPlaced, Value::Text("3. marts 2026".into()));
    let (project, findings) = read_one(&f);
    assert_eq!(findings, vec![]);
    assert_eq!(project.history[1].level, Input::Given(rules().find_level("N1").unwrap()));
    assert!(project.fields.level_placed.given().is_some());
}

#[test]
fn the_economy_and_product_sheets_read_as_typed() {
    let read_one = |filled: &Filled| {
        let bytes = build_projektark(rules(), filled).unwrap().save_to_buffer().unwrap();
        load_projektark(&bytes, rules(), &Limits::default()).unwrap()
    };
    let mut f = clean();
    f.budget_changes.push(vec![
        Value::Text("12-11-2026".into()),
        Value::Text("1,8 mio. kr.".into()),
        Value::Text("2.200.000".into()),
        Value::Text("bestyrelsen".into()),
        Value::Text("Referat".into()),
    ]);
    f.operations.push(vec![
        Value::Text("01-10-2026".into()),
        Value::Text("99,5 %".into()),
        Value::Number(0.91),
        Value::Number(4.0),
    ]);
    let (p, findings) = read_one(&f);
    assert_eq!(findings, vec![]);
    assert_eq!(p.budget_changes[0].from, Input::Given(1_800_000.0));
    assert_eq!(p.budget_changes[0].to, Input::Given(2_200_000.0));
    assert_eq!(p.operations[0].sla_target, Input::Given(99.5));
    assert!(matches!(p.operations[0].measured, Input::Given(m) if (m - 91.0).abs() < 1e-9));
    // Unreadable amounts and percentages name their cells.
    let mut f = clean();
    f.budget_changes.push(vec![
        Value::Text("12-11-2026".into()),
        Value::Text("lidt".into()),
        Value::Number(2.0),
        Value::Text("Bestyrelse".into()),
    ]);
    f.operations.push(vec![Value::Text("01-10-2026".into()), Value::Text("høj".into()), Value::Number(99.0)]);
    let (_, findings) = read_one(&f);
    let got: Vec<(Code, String)> = findings.iter().map(|x| (x.code, x.location.a1())).collect();
    assert_eq!(
        got,
        [
            (Code::InputNumberInvalid, "Budgetændringer!B2".to_string()),
            (Code::InputNumberInvalid, "Drift!B2".to_string())
        ]
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_unreadable() {
    let err = load_projektark(b"Projekt-ID;Navn\n", rules(), &Limits::default()).unwrap_err();
    assert_eq!(err, ReadError::NotWorkbook);
    // Near miss: the same content as a real workbook is read.
    let bytes = build_projektark(rules(), &clean()).unwrap().save_to_buffer().unwrap();
    assert!(load_projektark(&bytes, rules(), &Limits::default()).is_ok());
}
