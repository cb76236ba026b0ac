//! The built-in cross-checks a requirement can name in Krav.Krydstjek: facts in the
//! projektark that can contradict a Ja or an Ikke relevant (spec §6). A cross-check has
//! three outcomes: the facts agree; the fact is absent or contradicted (the answer counts
//! red); or the evidence is there but malformed – an e-mail typo, a link without a
//! scheme, an unreadable date – which is a `DATA-*`/`INPUT-*` finding for the lead and
//! keeps the answer's light (a Ja at most Gul): typos stay with the lead.

use crate::check::context::meaningful;
use crate::check::process::Process;
use crate::model::choice::CrossCheck;
use crate::model::finding::Code;
use crate::model::licence::{LicenceCheck, check_licence};
use crate::model::project::Project;
use crate::model::rules::{LevelId, Rules};
use crate::model::value::{email_is_valid, url_is_http};
use crate::text::Text;
use crate::text::t;

/// What a cross-check found against an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Contradiction {
    /// The fact is missing (no lead named, no repository, no steering group …).
    Absent(Text),
    /// The fact says otherwise (a proprietary licence, too few organisations, no approval
    /// after a backflow).
    Contradicted(Text),
    /// The evidence is there but mistyped; `code` is the finding that tells the lead.
    Malformed { why: Text, code: Code },
}

impl Contradiction {
    /// Why the answer counts red, or `None` for malformed evidence (which does not).
    pub fn red(&self) -> Option<&Text> {
        match self {
            Contradiction::Absent(t) | Contradiction::Contradicted(t) => Some(t),
            Contradiction::Malformed { .. } => None,
        }
    }
}

/// `None` when the facts agree with the answer; otherwise what is wrong with them.
pub fn contradiction(
    rules: &Rules,
    project: &Project,
    process: &Process,
    check: CrossCheck,
    level: LevelId,
) -> Option<Contradiction> {
    use Contradiction::{Absent, Contradicted, Malformed};
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
                (None, _) => Some(Absent(t!(
                    "feltet Projektleder i fanen Projekt er tomt",
                    "the Projektleder field in the Projekt sheet is empty"
                ))),
                (_, None) => {
                    Some(Absent(t!("feltet Projektleder e-mail er tomt", "the Projektleder e-mail field is empty")))
                }
                (_, Some(e)) if !email_is_valid(e) => Some(Malformed {
                    why: t!(
                        "Projektleder e-mail '{e}' er ikke en gyldig adresse",
                        "Projektleder e-mail '{e}' is not a valid address"
                    ),
                    code: Code::DataEmailInvalid,
                }),
                _ => None,
            }
        }
        // The board has also been informed when it approved the project.
        CrossCheck::BestyrelseOrienteret => {
            if f.board_informed.value == crate::model::project::Input::Invalid && process.approvals.is_empty() {
                return Some(Malformed {
                    why: t!(
                        "datoen i 'Bestyrelse orienteret (dato)' kan ikke læses",
                        "the date in 'Bestyrelse orienteret (dato)' cannot be read"
                    ),
                    code: Code::InputDateInvalid,
                });
            }
            (f.board_informed.given().is_none() && process.approvals.is_empty()).then(|| {
                Absent(t!(
                    "feltet 'Bestyrelse orienteret (dato)' er tomt, og der er ingen bestyrelsesgodkendelse",
                    "the field 'Bestyrelse orienteret (dato)' is empty, and there is no board approval"
                ))
            })
        }
        CrossCheck::BestyrelseGodkendt => {
            if process.unverifiable {
                // The approval's date cannot be read (before the log's cut-over): the
                // lead's typo (INPUT-DATE-INVALID) and the secretariat's check, not "no
                // approval".
                Some(Malformed {
                    why: t!(
                        "datoen i 'Bestyrelse godkendt (dato)' kan ikke læses",
                        "the date in 'Bestyrelse godkendt (dato)' cannot be read"
                    ),
                    code: Code::InputDateInvalid,
                })
            } else if process.approval_now.is_none() && !process.approvals.is_empty() {
                Some(Contradicted(t!(
                    "bestyrelsens godkendelse ligger før projektets placering på sit nuværende niveau og gælder ikke for det",
                    "the board's approval lies before the project's placement at its current level and does not count for it"
                )))
            } else if process.approvals.is_empty() {
                Some(Absent(t!(
                    "hverken 'Bestyrelse godkendt (dato)' eller et skift Bestyrelsesbehandling → Igangsat besluttet af Bestyrelse i Historik viser godkendelsen",
                    "neither 'Bestyrelse godkendt (dato)' nor a step Bestyrelsesbehandling → Igangsat decided by Bestyrelse in Historik shows the approval"
                )))
            } else if !process.approval_holds() {
                Some(Contradicted(t!(
                    "projektet er igangsat igen efter et tilbageløb uden en ny godkendelse",
                    "the project was restarted after a backflow without a new approval"
                )))
            } else {
                None
            }
        }
        CrossCheck::Styregruppe => meaningful(&f.steering_group).is_none().then(|| {
            Absent(t!(
                "feltet Styregruppe er tomt (eller kun en pladsholder)",
                "the Styregruppe field is empty (or only a placeholder)"
            ))
        }),
        CrossCheck::Koordinationsgruppe => meaningful(&f.coordination_group).is_none().then(|| {
            Absent(t!(
                "feltet Koordinationsgruppe er tomt (eller kun en pladsholder)",
                "the Koordinationsgruppe field is empty (or only a placeholder)"
            ))
        }),
        CrossCheck::Licens => match f.licence.given().map(|l| check_licence(l)) {
            None | Some(LicenceCheck::Empty) => Some(Absent(t!("feltet Licens er tomt", "the Licens field is empty"))),
            Some(LicenceCheck::NotOsi { .. }) => {
                let l = f.licence.given().cloned().unwrap_or_default();
                Some(Contradicted(t!("licensen '{l}' er ikke OSI-godkendt", "the licence '{l}' is not OSI-approved")))
            }
            Some(LicenceCheck::Osi { .. }) => None,
        },
        CrossCheck::Repository => match f.repository.given() {
            None => Some(Absent(t!("feltet Repository er tomt", "the Repository field is empty"))),
            Some(url) if !url_is_http(url) => Some(Malformed {
                why: t!("Repository '{url}' er ikke et http(s)-link", "Repository '{url}' is not an http(s) link"),
                code: Code::DataUrlInvalid,
            }),
            Some(_) => None,
        },
        CrossCheck::Organisationer => {
            let (have, need) = (project.organisation_count(), rules.level(level).min_orgs as usize);
            (have < need).then(|| {
                Contradicted(t!(
                    "fanen Deltagere har {have} organisation(er), niveauet kræver mindst {need}",
                    "the Deltagere sheet has {have} organisation(s), the level needs at least {need}"
                ))
            })
        }
    }
}

#[cfg(test)]
mod tests;
