//! The built-in cross-checks a requirement can name in Krav.Krydstjek: facts in the
//! projektark that can contradict a Ja (spec §6).

use crate::check::Context;
use crate::model::choice::{CrossCheck, Decider, TransitionKind};
use crate::model::licence::{LicenceCheck, check_licence};
use crate::model::project::{Input, Project};
use crate::model::value::{email_is_valid, url_is_http};
use crate::rules::LevelId;
use crate::t;
use crate::text::Text;

/// True when the history holds a forward step decided by the board: an approval.
pub fn board_approval_in_history(ctx: &Context<'_>, project: &Project) -> bool {
    project.history.iter().any(|step| {
        let (Input::Given(Decider::Bestyrelse), Input::Given(from), Input::Given(to)) =
            (&step.decider, &step.from, &step.to)
        else {
            return false;
        };
        match ctx.rules.transition_any_level(*from, *to) {
            Some(t) => t.kind == TransitionKind::Fremad,
            None => ctx.rules.phase(*to).order > ctx.rules.phase(*from).order,
        }
    })
}

/// `None` when the facts agree with a Ja; otherwise what contradicts it.
pub fn contradiction(ctx: &Context<'_>, project: &Project, check: CrossCheck, level: LevelId) -> Option<Text> {
    let f = &project.fields;
    match check {
        CrossCheck::Projektleder => {
            let name = f.lead.given();
            let email = f.lead_email.given();
            match (name, email) {
                (None, _) => Some(t!("feltet Projektleder i fanen Projekt er tomt", "the Projektleder field in the Projekt sheet is empty")),
                (_, None) => Some(t!("feltet Projektleder e-mail er tomt", "the Projektleder e-mail field is empty")),
                (_, Some(e)) if !email_is_valid(e) => Some(t!("Projektleder e-mail '{e}' er ikke en gyldig adresse", "Projektleder e-mail '{e}' is not a valid address")),
                _ => None,
            }
        }
        CrossCheck::BestyrelseOrienteret => f
            .board_informed
            .given()
            .is_none()
            .then(|| t!("feltet 'Bestyrelse orienteret (dato)' er tomt", "the field 'Bestyrelse orienteret (dato)' is empty")),
        CrossCheck::BestyrelseGodkendt => (f.board_approved.given().is_none() && !board_approval_in_history(ctx, project)).then(|| {
            t!(
                "hverken 'Bestyrelse godkendt (dato)' eller et faseskift besluttet af Bestyrelse i Historik viser godkendelsen",
                "neither 'Bestyrelse godkendt (dato)' nor a phase change decided by Bestyrelse in Historik shows the approval"
            )
        }),
        CrossCheck::Styregruppe => f.steering_group.given().is_none().then(|| t!("feltet Styregruppe er tomt", "the Styregruppe field is empty")),
        CrossCheck::Koordinationsgruppe => {
            f.coordination_group.given().is_none().then(|| t!("feltet Koordinationsgruppe er tomt", "the Koordinationsgruppe field is empty"))
        }
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
            Some(url) if !url_is_http(url) => Some(t!("Repository '{url}' er ikke et http(s)-link", "Repository '{url}' is not an http(s) link")),
            Some(_) => None,
        },
        CrossCheck::Organisationer => {
            let (have, need) = (project.organisation_count(), ctx.rules.level(level).min_orgs as usize);
            (have < need).then(|| {
                t!(
                    "fanen Deltagere har {have} organisation(er), niveauet kræver mindst {need}",
                    "the Deltagere sheet has {have} organisation(s), the level needs at least {need}"
                )
            })
        }
    }
}
