//! Data hygiene: CVR numbers, e-mail addresses, licences, and dates in the future.

use crate::check::context::{Context, Sheet, cell_loc, field_loc};
use crate::model::finding::{Code, Finding, Location};
use crate::model::licence::{LicenceCheck, check_licence};
use crate::model::project::{Input, Project};
use crate::model::value::{cvr_is_valid, email_is_valid, format_date};
use crate::text::t;
use chrono::NaiveDate;

/// `what` names the field or row in both languages (`Historik række 5` / `Historik row 5`).
fn future(ctx: &Context<'_>, date: &NaiveDate, what: crate::text::Text, at: Location, out: &mut Vec<Finding>) {
    if *date > ctx.as_of {
        let (d, today) = (format_date(*date), format_date(ctx.as_of));
        let (what_da, what_en) = (what.da, what.en);
        out.push(Finding::new(
            Code::InputFutureDate,
            at,
            t!(
                "{what_da}: datoen {d} ligger efter kørselsdatoen {today}. Ret datoen, hvis den er skrevet forkert.",
                "{what_en}: the date {d} is after the as-of date {today}. Fix it if it was mistyped."
            ),
        ));
    }
}

/// An e-mail address inside text such as `Mette <mette@aarhus.dk>`, or the text itself.
fn address(s: &str) -> &str {
    match (s.find('<'), s.rfind('>')) {
        (Some(a), Some(b)) if a < b => s[a + 1..b].trim(),
        _ => s.trim(),
    }
}

pub fn check(ctx: &Context<'_>, project: &Project, out: &mut Vec<Finding>) {
    let f = &project.fields;
    if let Some(email) = f.lead_email.given()
        && !email_is_valid(email)
    {
        out.push(Finding::new(
            Code::DataEmailInvalid,
            field_loc(project, &f.lead_email),
            t!(
                "'{email}' er ikke en gyldig e-mailadresse. Skriv projektlederens adresse, fx navn@kommune.dk; tilbagemeldingen sendes dertil.",
                "'{email}' is not a valid e-mail address. Enter the project lead's address, e.g. name@kommune.dk; the feedback is sent there."
            ),
        ));
    }
    // A link that is not an http(s) URL is the lead's typo: said to the lead; a Ja it
    // supports keeps at most Gul (never red, never the board's).
    if let Some(url) = f.repository.given()
        && !crate::model::value::url_is_http(url)
    {
        out.push(Finding::new(
            Code::DataUrlInvalid,
            field_loc(project, &f.repository),
            t!(
                "Repository '{url}' er ikke et link. Skriv hele adressen med https://, fx https://github.com/OS2/projekt.",
                "Repository '{url}' is not a link. Enter the whole address with https://, e.g. https://github.com/OS2/project."
            ),
        ));
    }
    if let Some(licence) = f.licence.given() {
        match check_licence(licence) {
            LicenceCheck::NotOsi { .. } => out.push(Finding::new(
                Code::DataLicenseNotOsi,
                field_loc(project, &f.licence),
                t!(
                    "Licensen '{licence}' er ikke en OSI-godkendt open source-licens (SPDX-id). OS2's standard er MPL-2.0 for kode og CC-BY-SA-4.0 for dokumentation; skriv licensens SPDX-id.",
                    "The licence '{licence}' is not an OSI-approved open-source licence (SPDX id). OS2's default is MPL-2.0 for code and CC-BY-SA-4.0 for documentation; enter the licence's SPDX id."
                ),
            )),
            LicenceCheck::Osi { canonical, is_default: false } => out.push(Finding::new(
                Code::DataLicenseNotDefault,
                field_loc(project, &f.licence),
                t!(
                    "Licensen {canonical} er OSI-godkendt, men ikke OS2's standard (MPL-2.0). En anden licens kræver en bestyrelsesbeslutning; henvis til den i Krav F2.",
                    "The licence {canonical} is OSI-approved but not OS2's default (MPL-2.0). Another licence needs a board decision; refer to it in requirement F2."
                ),
            )),
            LicenceCheck::Osi { is_default: true, .. } | LicenceCheck::Empty => {}
        }
    }
    for (field, what) in [
        (&f.board_informed, "Bestyrelse orienteret (dato)"),
        (&f.board_approved, "Bestyrelse godkendt (dato)"),
        (&f.filled_date, "Udfyldt dato"),
    ] {
        if let Some(d) = field.given() {
            future(ctx, d, t!("{what}", "{what}"), field_loc(project, field), out);
        }
    }
    for p in &project.participants {
        let n = p.row + 1;
        if let Some(cvr) = &p.cvr
            && !cvr_is_valid(cvr)
        {
            let org = p.organisation.clone().unwrap_or_default();
            out.push(Finding::new(
                Code::DataCvrInvalid,
                cell_loc(project, Sheet::Deltagere, p.row, "CVR"),
                t!(
                    "Deltagere række {n} ({org}): CVR '{cvr}' er ikke et gyldigt CVR-nummer (8 cifre, modulus 11). Slå nummeret op på cvr.dk.",
                    "Deltagere row {n} ({org}): CVR '{cvr}' is not a valid CVR number (8 digits, modulus 11). Look it up at cvr.dk."
                ),
            ));
        }
        if let Some(contact) = &p.contact
            && contact.contains('@')
            && !email_is_valid(address(contact))
        {
            out.push(Finding::new(
                Code::DataEmailInvalid,
                cell_loc(project, Sheet::Deltagere, p.row, "Kontakt"),
                t!(
                    "Deltagere række {n}: '{contact}' er ikke en gyldig e-mailadresse.",
                    "Deltagere row {n}: '{contact}' is not a valid e-mail address."
                ),
            ));
        }
        if let Input::Given(d) = &p.joined {
            future(
                ctx,
                d,
                t!("Deltagere række {n}", "Deltagere row {n}"),
                cell_loc(project, Sheet::Deltagere, p.row, "Tilsluttet (dato)"),
                out,
            );
        }
    }
    // Every dated sheet: a row dated after the run date never counts (freshness, the
    // approved budget), and is said.
    let rows = (project.history.iter().map(|s| (Sheet::Historik, "Historik", s.row, &s.date, "Dato")))
        .chain(project.status.iter().map(|s| (Sheet::Status, "Status", s.row, &s.date, "Dato")))
        .chain(project.budget_changes.iter().map(|c| (Sheet::Budget, "Budgetændringer", c.row, &c.date, "Dato")))
        .chain(project.operations.iter().map(|o| (Sheet::Drift, "Drift", o.row, &o.date, "Dato")))
        .chain(
            project.participants.iter().map(|p| (Sheet::Deltagere, "Deltagere", p.row, &p.in_use, "I drift (dato)")),
        );
    for (sheet, name, row, date, column) in rows {
        if let Input::Given(d) = date {
            let n = row + 1;
            future(ctx, d, t!("{name} række {n}", "{name} row {n}"), cell_loc(project, sheet, row, column), out);
        }
    }
}

#[cfg(test)]
mod tests;
