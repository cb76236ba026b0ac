//! The built-in cross-checks a requirement can name in Krav.Krydstjek: facts in the
//! projektark that can contradict a Ja.

use crate::check::context::meaningful;
use crate::check::process::Process;
use crate::model::choice::CrossCheck;
use crate::model::licence::{LicenceCheck, check_licence};
use crate::model::project::Project;
use crate::model::rules::{LevelId, Rules};
use crate::model::value::{email_is_valid, url_is_http};
use crate::text::Text;
use crate::text::t;

/// `None` when the facts agree with a Ja; otherwise what contradicts it.
pub fn contradiction(
    rules: &Rules,
    project: &Project,
    process: &Process,
    check: CrossCheck,
    level: LevelId,
) -> Option<Text> {
    // Facts on a sheet that is missing contradict nothing: the missing sheet is said once
    // (INPUT-SHEET-MISSING), not again as every cross-check that reads it.
    let sheets = &project.sheets;
    let readable = match check {
        CrossCheck::Organisationer => sheets.deltagere.is_some(),
        CrossCheck::BestyrelseGodkendt | CrossCheck::BestyrelseOrienteret => {
            sheets.projekt.is_some() || sheets.historik.is_some()
        }
        _ => sheets.projekt.is_some(),
    };
    if !readable {
        return None;
    }
    let f = &project.fields;
    match check {
        CrossCheck::Projektleder => {
            let name = f.lead.given();
            let email = f.lead_email.given();
            match (name, email) {
                (None, _) => Some(t!(
                    "feltet Projektleder i fanen Projekt er tomt",
                    "the Projektleder field in the Projekt sheet is empty"
                )),
                (_, None) => Some(t!("feltet Projektleder e-mail er tomt", "the Projektleder e-mail field is empty")),
                (_, Some(e)) if !email_is_valid(e) => Some(t!(
                    "Projektleder e-mail '{e}' er ikke en gyldig adresse",
                    "Projektleder e-mail '{e}' is not a valid address"
                )),
                _ => None,
            }
        }
        // The board has also been informed when it approved the project.
        CrossCheck::BestyrelseOrienteret => {
            (f.board_informed.given().is_none() && process.approvals.is_empty()).then(|| {
                t!(
                    "feltet 'Bestyrelse orienteret (dato)' er tomt, og der er ingen bestyrelsesgodkendelse",
                    "the field 'Bestyrelse orienteret (dato)' is empty, and there is no board approval"
                )
            })
        }
        CrossCheck::BestyrelseGodkendt => {
            if process.approvals.is_empty() {
                Some(t!(
                    "hverken 'Bestyrelse godkendt (dato)' eller et skift Bestyrelsesbehandling → Igangsat besluttet af Bestyrelse i Historik viser godkendelsen",
                    "neither 'Bestyrelse godkendt (dato)' nor a step Bestyrelsesbehandling → Igangsat decided by Bestyrelse in Historik shows the approval"
                ))
            } else if !process.approval_holds() {
                Some(t!(
                    "projektet er igangsat igen efter et tilbageløb uden en ny godkendelse",
                    "the project was restarted after a backflow without a new approval"
                ))
            } else {
                None
            }
        }
        CrossCheck::Styregruppe => meaningful(&f.steering_group).is_none().then(|| {
            t!(
                "feltet Styregruppe er tomt (eller kun en pladsholder)",
                "the Styregruppe field is empty (or only a placeholder)"
            )
        }),
        CrossCheck::Koordinationsgruppe => meaningful(&f.coordination_group).is_none().then(|| {
            t!(
                "feltet Koordinationsgruppe er tomt (eller kun en pladsholder)",
                "the Koordinationsgruppe field is empty (or only a placeholder)"
            )
        }),
        CrossCheck::Licens => match f.licence.given().map(|l| check_licence(l)) {
            None | Some(LicenceCheck::Empty) => Some(t!("feltet Licens er tomt", "the Licens field is empty")),
            Some(LicenceCheck::NotOsi { .. }) => {
                let l = f.licence.given().cloned().unwrap_or_default();
                Some(t!("licensen '{l}' er ikke OSI-godkendt", "the licence '{l}' is not OSI-approved"))
            }
            Some(LicenceCheck::Osi { .. }) => None,
        },
        CrossCheck::Repository => match f.repository.given() {
            None => Some(t!("feltet Repository er tomt", "the Repository field is empty")),
            Some(url) if !url_is_http(url) => {
                Some(t!("Repository '{url}' er ikke et http(s)-link", "Repository '{url}' is not an http(s) link"))
            }
            Some(_) => None,
        },
        CrossCheck::Organisationer => {
            let (have, need) = (project.organisation_count(), rules.level(level).min_orgs as usize);
            (have < need).then(|| {
                t!(
                    "fanen Deltagere har {have} organisation(er), niveauet kræver mindst {need}",
                    "the Deltagere sheet has {have} organisation(s), the level needs at least {need}"
                )
            })
        }
    }
}

#[cfg(test)]
mod tests;
