//! Comply-or-explain per requirement: unanswered, unmet, unexplained, without evidence,
//! unsure; requirement rows missing or unknown; cross-checks of Ja answers; the
//! secretariat's Vurdering against the computed light.

use crate::check::assess::Assessment;
use crate::check::context::{Context, Sheet, cell_loc, declared};
use crate::model::choice::Light;
use crate::model::choice::{Answer, ReqKind};
use crate::model::finding::{Code, Finding, Location};
use crate::model::project::{Input, Project, RequirementRow};
use crate::model::register::RecordedAssessment;
use crate::model::rules::LevelId;
use crate::text::{Lang, Text, t};

/// `KRAV-SKAL-EXPLAINED`: a known deviation (Nej, or Ikke relevant on a Skal requirement)
/// with an explanation. Before the secretariat's assessment it counts red and waits for
/// it; after, the message says what the secretariat decided.
fn explained(
    id: &str,
    what: &str,
    applied: Option<&RecordedAssessment>,
    not_relevant: bool,
) -> (Code, &'static str, Text) {
    let (state_da, state_en) = if not_relevant {
        ("er markeret Ikke relevant, men forklaret", "is marked Ikke relevant but explained")
    } else {
        ("er ikke opfyldt, men forklaret", "is not met but explained")
    };
    let Some(a) = applied else {
        return (
            Code::KravSkalExplained,
            "Efterlevet",
            t!(
                "{id} ({what}) {state_da} – en kendt afvigelse, der venter på sekretariatets vurdering. Den tæller som rød, indtil sekretariatet vurderer andet.",
                "{id} ({what}) {state_en} – a known deviation awaiting the secretariat's assessment. It counts as red until the secretariat assesses otherwise."
            ),
        );
    };
    let (light_da, light_en) =
        (a.light.map(|l| l.da()).unwrap_or("?"), a.light.map(|l| l.label(Lang::En)).unwrap_or("?"));
    let when = a.date.map(|d| format!(" {}", crate::model::value::format_date(d))).unwrap_or_default();
    let by = a.by.as_deref().map(|b| format!(" (Af: {})", crate::text::clip(b, 60))).unwrap_or_default();
    let by_en = a.by.as_deref().map(|b| format!(" (by: {})", crate::text::clip(b, 60))).unwrap_or_default();
    let basis = a.basis.as_deref().map(|b| format!(": '{}'", crate::text::clip(b, 200))).unwrap_or_default();
    let (holds_da, holds_en) = if a.light == Some(Light::Roed) {
        ("Den holder niveauet nede.", "It holds the level down.")
    } else {
        ("Den holder ikke niveauet nede.", "It does not hold the level down.")
    };
    (
        Code::KravSkalExplained,
        "Efterlevet",
        t!(
            "{id} ({what}) {state_da}: sekretariatet har vurderet afvigelsen {light_da}{when}{by}{basis}. {holds_da}",
            "{id} ({what}) {state_en}: the secretariat assessed the deviation {light_en}{when}{by_en}{basis}. {holds_en}"
        ),
    )
}

/// `KRAV-ASSESSMENT-NOT-RECORDED`: a Vurdering or Vurderingsgrundlag typed in the
/// projektark that no register row for the requirement holds. Never used; said to the lead
/// and the secretariat (who can take it over with one entry). A stale copy of an earlier
/// register row is silent.
fn not_recorded(
    ctx: &Context<'_>,
    project: &Project,
    index: usize,
    row: &RequirementRow,
    loc: &dyn Fn(u32, &str) -> Location,
) -> Option<Finding> {
    let light = row.assessment.given().copied();
    let basis = row.rationale.as_deref().map(normalised);
    if light.is_none() && basis.is_none() {
        return None;
    }
    let id = &ctx.rules.requirements[index].id;
    let recorded = project.id().is_some_and(|p| {
        ctx.register.rows_for(p, index).any(|r| {
            light.is_none_or(|l| r.light == Some(l))
                && basis.as_ref().is_none_or(|b| r.basis.as_deref().map(normalised).as_ref() == Some(b))
        })
    });
    if recorded {
        return None;
    }
    let shown = match (light, row.rationale.as_deref()) {
        (Some(l), Some(b)) => format!("{} ('{}')", l.da(), crate::text::clip(b, 80)),
        (Some(l), None) => l.da().to_string(),
        (None, Some(b)) => format!("'{}'", crate::text::clip(b, 80)),
        (None, None) => String::new(),
    };
    let col = if light.is_some() { "Vurdering" } else { "Vurderingsgrundlag" };
    Some(
        Finding::new(
            Code::KravAssessmentNotRecorded,
            loc(row.row, col),
            t!(
                "{id}: projektarket viser sekretariatets vurdering {shown}, men sekretariatets register har den ikke. Vurderingen bruges ikke – den kan kun skrives af sekretariatet, i registeret (sekretariat.xlsx, fanen Vurderinger). Lad feltet stå tomt.",
                "{id}: the projektark shows the secretariat's assessment {shown}, but the secretariat's register does not have it. It is not used – only the secretariat writes it, in the register (sekretariat.xlsx, sheet Vurderinger). Leave the field empty."
            ),
        )
        .with_requirement(id),
    )
}

/// Text compared as words (white space and case normalised).
fn normalised(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

pub fn check(ctx: &Context<'_>, project: &Project, assessment: &Assessment, out: &mut Vec<Finding>) {
    let Some((sheet_name, _)) = &project.sheets.krav else {
        return; // The sheet is missing or unusable; that has been reported.
    };
    let rules = ctx.rules;
    // Without a valid declared level only the lowest level's requirements are certain to apply.
    let level = declared(project).unwrap_or(LevelId(0));
    let loc = |row: u32, col: &str| cell_loc(project, Sheet::Krav, row, col);

    for row in &project.requirements {
        let Some(index) = row.requirement else {
            let id = &row.id;
            let known = rules.requirements.len();
            out.push(Finding::new(
                Code::InputUnknownRequirement,
                loc(row.row, "ID"),
                t!(
                    "Kravet '{id}' findes ikke i styringsmodellen ({known} krav) og bliver ikke vurderet. Ret ID'et, eller slet rækken, hvis kravet er udgået.",
                    "The requirement '{id}' is not in the styringsmodel ({known} requirements) and is not assessed. Fix the ID, or delete the row if the requirement was dropped."
                ),
            ));
            continue;
        };
        let req = &rules.requirements[index];
        let id = &req.id;
        let what = &req.text;
        if let Some(f) = not_recorded(ctx, project, index, row, &loc) {
            out.push(f);
        }
        if let (Some(a), Some(computed)) = (&assessment.applied[index], assessment.computed.get(index))
            && a.light != *computed
        {
            let (v, r) = (a.light.map(|l| l.da()).unwrap_or("?"), a.row);
            let (ve, cl) =
                (a.light.map(|l| l.label(Lang::En)).unwrap_or("?"), computed.map(|c| c.da()).unwrap_or("Ikke udfyldt"));
            let cle = computed.map(|c| c.label(Lang::En)).unwrap_or("Not filled in");
            out.push(
                Finding::new(
                    Code::KravAssessmentDiffers,
                    loc(row.row, "Vurdering"),
                    t!(
                        "{id}: sekretariatets vurdering er {v} (sekretariatets register, Vurderinger række {r}), mens svaret giver {cl}. Vurderingen gælder.",
                        "{id}: the secretariat's assessment is {ve} (the secretariat's register, Vurderinger row {r}), while the answer gives {cle}. The assessment applies."
                    ),
                )
                .with_requirement(id),
            );
        }
        if let Some(e) = &assessment.outdated[index] {
            let (light_da, light_en) =
                (e.light.map(|l| l.da()).unwrap_or("?"), e.light.map(|l| l.label(Lang::En)).unwrap_or("?"));
            let r = e.row;
            out.push(
                Finding::new(
                    Code::KravAssessmentOutdated,
                    loc(row.row, "Vurdering"),
                    t!(
                        "{id}: sekretariatets vurdering {light_da} (registeret, Vurderinger række {r}) blev givet på et andet svar; svaret er ændret siden, så den gælder ikke, og farven fra svaret tæller. Vurdér det nye svar i registeret.",
                        "{id}: the secretariat's assessment {light_en} (the register, Vurderinger row {r}) was given on another answer; the answer has changed since, so it does not apply and the answer's own light counts. Assess the new answer in the register."
                    ),
                )
                .with_requirement(id),
            );
        }
        if req.level > level {
            // Above the declared level: counted in the lights, not required.
            continue;
        }
        if let Some(why) = &assessment.contradicted[index] {
            let (why_da, why_en) = (&why.da, &why.en);
            let message = if row.answer == Input::Given(Answer::IkkeRelevant) {
                let lv = &rules.level(level).code;
                t!(
                    "{id} ({what}) er markeret Ikke relevant, men {why_da} – på {lv} gælder kravet. Kravet tæller derfor som rødt. Ret oplysningerne, eller svar på kravet.",
                    "{id} ({what}) is marked Ikke relevant, but {why_en} – at {lv} the requirement applies. It therefore counts as red. Fix the details, or answer the requirement."
                )
            } else {
                t!(
                    "{id} ({what}) er besvaret Ja, men {why_da}. Kravet tæller derfor som rødt. Ret oplysningerne, eller ret svaret.",
                    "{id} ({what}) is answered Ja, but {why_en}. The requirement therefore counts as red. Fix the details, or fix the answer."
                )
            };
            out.push(Finding::new(Code::KravCrosscheck, loc(row.row, "Efterlevet"), message).with_requirement(id));
        }
        if !assessment.due[index] {
            // Not due yet in this phase (Krav.Fra fase): its light is shown, a blank or
            // an unexplained Nej is no finding yet.
            continue;
        }
        let skal = req.kind == ReqKind::Skal;
        let finding = match row.answer {
            Input::Invalid => None, // Reported when read.
            Input::Blank => Some((
                Code::KravUnanswered,
                "Efterlevet",
                t!(
                    "{id} ({what}) er ikke besvaret. Vælg Ja, Nej, Ikke relevant eller Ved ikke i Efterlevet.",
                    "{id} ({what}) is not answered. Choose Ja, Nej, Ikke relevant or Ved ikke in Efterlevet."
                ),
            )),
            Input::Given(Answer::Nej) => match (skal, row.explanation.is_some()) {
                (true, false) => Some((
                    Code::KravSkalUnmet,
                    "Forklaring",
                    t!(
                        "{id} ({what}) er et Skal-krav, som ikke er opfyldt, og der er ingen forklaring. Følg eller forklar: skriv i Forklaring hvorfor, og hvad I gør i stedet.",
                        "{id} ({what}) is a must requirement that is not met, with no explanation. Comply or explain: write in Forklaring why, and what you do instead."
                    ),
                )),
                (true, true) => Some(explained(id, what, assessment.applied[index].as_ref(), false)),
                (false, false) => Some((
                    Code::KravBoerUnexplained,
                    "Forklaring",
                    t!(
                        "{id} ({what}) er en anbefaling (Bør), som ikke følges. Skriv kort i Forklaring hvorfor.",
                        "{id} ({what}) is a recommendation (should) that is not followed. Briefly write why in Forklaring."
                    ),
                )),
                (false, true) => Some((
                    Code::KravBoerExplained,
                    "Efterlevet",
                    t!(
                        "{id} ({what}): anbefalingen følges ikke; forklaringen er noteret.",
                        "{id} ({what}): the recommendation is not followed; the explanation is noted."
                    ),
                )),
            },
            Input::Given(Answer::Ja) if row.evidence.is_none() => Some((
                Code::KravNoEvidence,
                "Dokumentation",
                t!(
                    "{id} ({what}) er besvaret Ja, men Dokumentation er tom. Tilføj et link eller en henvisning, så kravet kan blive grønt.",
                    "{id} ({what}) is answered Ja, but Dokumentation is empty. Add a link or reference so the requirement can turn green."
                ),
            )),
            Input::Given(Answer::Ja) if !row.evidence.as_deref().is_some_and(crate::check::assess::is_evidence) => {
                let doc = crate::text::clip(row.evidence.as_deref().unwrap_or_default(), 60);
                Some((
                    Code::KravNoEvidence,
                    "Dokumentation",
                    t!(
                        "{id} ({what}) er besvaret Ja, men Dokumentation ('{doc}') er hverken et link, en henvisning eller en beskrivelse. Skriv hvor dokumentationen findes (et link, et dokuments navn eller en dato), så kravet kan blive grønt.",
                        "{id} ({what}) is answered Ja, but Dokumentation ('{doc}') is neither a link, a reference nor a description. Write where the documentation is (a link, a document's name or a date) so the requirement can turn green."
                    ),
                ))
            }
            Input::Given(Answer::Ja) => None,
            Input::Given(Answer::VedIkke) => Some((
                Code::KravUnsure,
                "Efterlevet",
                t!(
                    "{id} ({what}) er besvaret Ved ikke. Find ud af om kravet er opfyldt, og svar Ja eller Nej.",
                    "{id} ({what}) is answered Ved ikke (don't know). Find out whether it is met and answer Ja or Nej."
                ),
            )),
            // On a Skal requirement that applies and is due, Ikke relevant is a deviation
            // like Nej: comply or explain, and the secretariat assesses the explanation.
            Input::Given(Answer::IkkeRelevant) if skal && row.explanation.is_none() => Some((
                Code::KravSkalUnmet,
                "Forklaring",
                t!(
                    "{id} ({what}) er markeret Ikke relevant uden forklaring. Et Skal-krav kan kun være ikke relevant, når sekretariatet har vurderet det: skriv i Forklaring hvorfor kravet ikke gælder for jer.",
                    "{id} ({what}) is marked Ikke relevant without an explanation. A must requirement can only be not relevant when the secretariat has assessed it: write in Forklaring why it does not apply to you."
                ),
            )),
            Input::Given(Answer::IkkeRelevant) if skal => {
                Some(explained(id, what, assessment.applied[index].as_ref(), true))
            }
            Input::Given(Answer::IkkeRelevant) if row.explanation.is_none() => Some((
                Code::KravNaUnexplained,
                "Forklaring",
                t!(
                    "{id} ({what}) er markeret Ikke relevant uden forklaring. Skriv i Forklaring hvorfor kravet ikke er relevant for jer.",
                    "{id} ({what}) is marked Ikke relevant without an explanation. Write in Forklaring why it does not apply to you."
                ),
            )),
            Input::Given(Answer::IkkeRelevant) => None,
        };
        if let Some((code, col, message)) = finding {
            // Once the secretariat has assessed an explained deviation, it is said as
            // information: the assessment is the decision.
            let severity = if code == Code::KravSkalExplained && assessment.applied[index].is_some() {
                crate::model::finding::Severity::Info
            } else {
                code.severity()
            };
            out.push(Finding::new(code, loc(row.row, col), message).with_requirement(id).with_severity(severity));
        }
    }

    // Which requirements have a row, marked once (not a scan of the rows per requirement).
    let mut answered = vec![false; rules.requirements.len()];
    for i in project.requirements.iter().filter_map(|r| r.requirement) {
        if let Some(a) = answered.get_mut(i) {
            *a = true;
        }
    }
    for (index, req) in rules.requirements.iter().enumerate() {
        if req.level > level || !assessment.due[index] || answered[index] {
            continue;
        }
        let (id, what) = (&req.id, &req.text);
        out.push(
            Finding::new(
                Code::InputRequirementMissing,
                Location::sheet(sheet_name),
                t!(
                    "Kravet {id} ({what}) mangler i fanen Krav. Tilføj en række med ID {id}, eller hent et nyt projektark (os2gov template).",
                    "The requirement {id} ({what}) is missing from the Krav sheet. Add a row with ID {id}, or get a new projektark (os2gov template)."
                ),
            )
            .with_requirement(id),
        );
    }
}

#[cfg(test)]
mod tests;
