//! Tests of `data`, in a file of their own: they use the test kit, which runs every
//! check, so inline they would close a cycle with the checks.

use crate::check::testkit::{P, as_of};
use crate::model::finding::Code;
use crate::model::project::Input;
use chrono::Duration;

#[test]
fn cvr_numbers() {
    let p = P::new("N1", "Igangsat").with(|p| p.participants[1].cvr = Some("64942213".into()));
    assert_eq!(p.at(Code::DataCvrInvalid), ["Deltagere!C3"]);
    P::new("N1", "Igangsat").with(|p| p.participants[1].cvr = Some("DK 6494 2212".into())).lacks(Code::DataCvrInvalid);
}

#[test]
fn email_addresses() {
    P::new("SB", "Koncept")
        .with(|p| p.fields.lead_email.value = Input::Given("mette@aarhus".into()))
        .has(Code::DataEmailInvalid);
    P::new("SB", "Koncept")
        .with(|p| p.participants[0].contact = Some("Mette <mette@@aarhus.dk>".into()))
        .has(Code::DataEmailInvalid);
    P::new("SB", "Koncept")
        .with(|p| p.participants[0].contact = Some("Mette <mette@aarhus.dk>".into()))
        .lacks(Code::DataEmailInvalid);
    P::new("SB", "Koncept")
        .with(|p| p.participants[0].contact = Some("Mette Hansen, IT".into()))
        .lacks(Code::DataEmailInvalid);
}

#[test]
fn licences() {
    P::new("SB", "Koncept")
        .with(|p| p.fields.licence.value = Input::Given("Proprietær".into()))
        .has(Code::DataLicenseNotOsi);
    P::new("SB", "Koncept")
        .with(|p| p.fields.licence.value = Input::Given("EUPL-1.2".into()))
        .has(Code::DataLicenseNotDefault)
        .lacks(Code::DataLicenseNotOsi);
    P::new("SB", "Koncept")
        .with(|p| p.fields.licence.value = Input::Given("mpl-2.0".into()))
        .lacks(Code::DataLicenseNotDefault)
        .lacks(Code::DataLicenseNotOsi);
}

#[test]
fn dates_in_the_future() {
    let p = P::new("SB", "Koncept").with(|p| p.fields.filled_date.value = Input::Given(as_of() + Duration::days(1)));
    assert_eq!(p.at(Code::InputFutureDate), ["Projekt!B24"]);
    P::new("SB", "Koncept").with(|p| p.fields.filled_date.value = Input::Given(as_of())).lacks(Code::InputFutureDate);
    P::new("SB", "Igangsat")
        .with(|p| p.status[0].date = Input::Given(as_of() + Duration::days(3)))
        .has(Code::InputFutureDate);
}

#[test]
fn every_dated_sheet_says_a_row_dated_after_the_run_date() {
    let change = |days: i64| crate::model::project::BudgetChange {
        row: 1,
        date: Input::Given(as_of() + Duration::days(days)),
        from: Input::Given(1_000_000.0),
        to: Input::Given(1_050_000.0),
        decided_by: Input::Given(crate::model::choice::Decider::Bestyrelse),
        reference: None,
        reason: None,
    };
    let p = P::new("N1", "Igangsat").with(|p| p.budget_changes.push(change(5)));
    assert_eq!(p.at(Code::InputFutureDate), ["Budgetændringer!A2"]);
    P::new("N1", "Igangsat").with(|p| p.budget_changes.push(change(0))).lacks(Code::InputFutureDate);
    let p = P::new("N2", "Produkt").with(|p| {
        if let Some(o) = p.operations.first_mut() {
            o.date = Input::Given(as_of() + Duration::days(1));
        }
    });
    assert_eq!(p.at(Code::InputFutureDate), ["Drift!A2"]);
    let p = P::new("N2", "Produkt").with(|p| {
        if let Some(o) = p.participants.first_mut() {
            o.in_use = Input::Given(as_of() + Duration::days(1));
        }
    });
    assert_eq!(p.at(Code::InputFutureDate).len(), 1);
}
