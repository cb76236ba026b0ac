//! What each finding code means in words people read (the Kontrol sheet's "Hvad" column,
//! cell notes, the lead's mail) and who acts on it. The code itself stays the stable key
//! for programs and the secretariat.

use crate::model::finding::Code;
use crate::text::Lang;

/// Who acts on a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    /// The project lead fixes the projektark.
    Lead,
    /// The secretariat assesses, places or reconciles.
    Secretariat,
    /// The board decides or discusses.
    Board,
}

impl Code {
    /// A short description of the code, e.g. `Krav ikke besvaret`.
    pub fn label(self, lang: Lang) -> &'static str {
        let (da, en) = match self {
            Code::InputUnreadable => ("Filen kan ikke læses", "The file cannot be read"),
            Code::InputSheetMissing => ("Fane eller kolonne mangler", "Sheet or column missing"),
            Code::InputFieldMissing => ("Påkrævet felt ikke udfyldt", "Required field not filled in"),
            Code::InputValueInvalid => ("Værdien er ikke en af valgmulighederne", "Value not one of the choices"),
            Code::InputDateInvalid => ("Datoen kan ikke læses", "The date cannot be read"),
            Code::InputNumberInvalid => ("Beløbet eller tallet kan ikke læses", "The amount or number cannot be read"),
            Code::InputFutureDate => ("Dato i fremtiden", "Date in the future"),
            Code::InputDuplicateProject => ("Flere filer med samme Projekt-ID", "Several files with one Projekt-ID"),
            Code::InputUnknownRequirement => ("Ukendt krav i arket", "Unknown requirement in the sheet"),
            Code::InputRequirementMissing => ("Krav mangler i arket", "Requirement missing from the sheet"),
            Code::InputNotSubmitted => ("Projektarket er ikke indsendt", "The projektark was not sent in"),
            Code::KravUnanswered => ("Krav ikke besvaret", "Requirement not answered"),
            Code::KravSkalUnmet => ("Skal-krav ikke opfyldt og ikke forklaret", "Must requirement unmet, unexplained"),
            Code::KravSkalExplained => ("Forklaret afvigelse fra et Skal-krav", "Explained deviation from a must"),
            Code::KravBoerUnexplained => {
                ("Anbefaling ikke fulgt og ikke forklaret", "Recommendation unmet, unexplained")
            }
            Code::KravBoerExplained => ("Forklaret afvigelse fra en anbefaling", "Explained deviation from a should"),
            Code::KravNoEvidence => ("Ja uden dokumentation", "Yes without documentation"),
            Code::KravUnsure => ("Besvaret Ved ikke", "Answered Don't know"),
            Code::KravNaUnexplained => ("Ikke relevant uden forklaring", "Not relevant without explanation"),
            Code::KravCrosscheck => ("Ja modsiges af arkets oplysninger", "Yes contradicted by the sheet"),
            Code::KravAssessmentDiffers => ("Sekretariatets vurdering afviger", "The secretariat's assessment differs"),
            Code::KravAssessmentOutdated => ("Vurdering forældet: svaret er ændret", "Assessment outdated"),
            Code::KravAssessmentNotRecorded => {
                ("Vurdering skrevet i projektarket", "Assessment typed in the projektark")
            }
            Code::LevelHistoryMismatch => ("Historikkens niveau passer ikke", "Historik's level does not match"),
            Code::LevelDeclaredMismatch => ("Angivet niveau passer ikke", "Declared level does not match"),
            Code::LevelPlacementUnauthorised => {
                ("Niveauskift uden bestyrelsens beslutning", "Change of level without the board's decision")
            }
            Code::LevelPlacementDiffers => {
                ("Placeringen afviger fra registeret", "Placement differs from the register")
            }
            Code::DataUrlInvalid => ("Link der ikke kan bruges", "Link that cannot be used"),
            Code::DecisionMismatch => ("Beslutning afviger fra loggen", "Decision differs from the log"),
            Code::RegisterInvalid => ("Række i registeret kan ikke læses", "Register row cannot be read"),
            Code::GovLogNotAuthoritative => {
                ("Beslutningsloggen er ikke autoritativ", "The decision log is not authoritative")
            }
            Code::GovDecisionInvalid => ("Ugyldig række i beslutningsloggen", "Invalid row in the decision log"),
            Code::LevelBelowDeclared => ("Niveauet er ikke opfyldt", "The level is not met"),
            Code::LevelAboveDeclared => ("Opfylder et højere niveau", "Meets a higher level"),
            Code::LevelOrgsTooFew => ("For få deltagende organisationer", "Too few participating organisations"),
            Code::LevelChanged => ("Niveauet er ændret", "The level has changed"),
            Code::LevelNotPlaced => ("Niveauplacering ikke registreret", "Level placement not recorded"),
            Code::PhaseTransitionNotAllowed => ("Faseskift ikke tilladt", "Change of phase not allowed"),
            Code::PhaseDeciderWrong => ("Forkert beslutter af faseskift", "Wrong decider of a change of phase"),
            Code::PhaseReasonMissing => ("Årsag til faseskift mangler", "Reason for a change of phase missing"),
            Code::PhaseHistoryInconsistent => ("Historik passer ikke med fasen", "History does not match the phase"),
            Code::PhaseBoardApprovalMissing => ("Bestyrelsens godkendelse mangler", "The board's approval missing"),
            Code::PhaseBoardApprovalLate => {
                ("Igangsat før bestyrelsens godkendelse", "Started before the board's approval")
            }
            Code::PhaseBoardReapprovalMissing => {
                ("Ny godkendelse efter tilbageløb mangler", "New approval after a backflow missing")
            }
            Code::PhaseBoardApprovalUnmatched => {
                ("Godkendelsesdato er ikke et kendt møde", "Approval date is no known meeting")
            }
            Code::PhaseResumeWrong => ("Pause genoptaget i en anden fase", "Pause resumed in another phase"),
            Code::PhaseHistoryMissing => ("Historik mangler", "History missing"),
            Code::PhaseBoardOrientationMissing => {
                ("Bestyrelsens orientering ikke registreret", "The board's orientation not recorded")
            }
            Code::PhaseBoardNotRequired => ("Bestyrelsesbehandling ikke krævet", "Board review not required"),
            Code::PhaseChangedUnlogged => {
                ("Fasen er ændret uden en række i Historik", "Phase changed without a Historik row")
            }
            Code::StatusMissing => ("Statusrapport mangler", "Status report missing"),
            Code::StatusStale => ("Statusrapporten er for gammel", "The status report is too old"),
            Code::StatusRed => ("Statusrapporten melder rødt", "The status report is red"),
            Code::BudgetMissing => ("Budget mangler", "Budget missing"),
            Code::BudgetOverrun => ("Budgettet er overskredet", "The budget is overrun"),
            Code::BudgetBaselineMissing => ("Budget ved godkendelse mangler", "Budget at approval missing"),
            Code::BudgetUntraced => ("Budgetændring ikke registreret", "Budget change not recorded"),
            Code::BudgetDeciderWrong => {
                ("Budgetændring besluttet af den forkerte", "Budget change decided by the wrong body")
            }
            Code::BudgetGrowth => ("Budgettet er vokset siden godkendelsen", "The budget has grown since approval"),
            Code::BudgetForecastBelowSpend => ("Prognosen er lavere end forbruget", "The forecast is below spending"),
            Code::BudgetForecastCreep => ("Prognosen kryber op", "The forecast is creeping up"),
            Code::BudgetEscalated => ("Økonomien er sendt til bestyrelsen", "The economy goes to the board"),
            Code::BudgetHistoryRewritten => ("Godkendt budget omskrevet bagud", "Approved budget rewritten afterwards"),
            Code::BudgetCorrected => ("Budgetændring rettet", "Budget change corrected"),
            Code::ReportRowChanged => ("Tidligere rapport ændret eller slettet", "Earlier report changed or removed"),
            Code::SelfevalStale => ("Selvevalueringen er for gammel", "The self-assessment is too old"),
            Code::ProductNoCoordination => ("Koordinationsgruppe mangler", "Coordination group missing"),
            Code::ProductNoSla => ("SLA mangler", "SLA missing"),
            Code::ProductTypeMismatch => ("Type passer ikke til fasen", "Type does not fit the phase"),
            Code::ProductNotInUse => ("Produkt før det var i drift", "Product before it was in use"),
            Code::ProductDriftMissing => ("Driftsrapport mangler", "Operations report missing"),
            Code::ProductDriftStale => ("Driftsrapporten er for gammel", "The operations report is too old"),
            Code::ProductSlaBreach => ("SLA ikke overholdt", "SLA not met"),
            Code::ProductChangesGrowing => ("Flere åbne ændringsønsker", "Open change requests growing"),
            Code::DataCvrInvalid => ("Ugyldigt CVR-nummer", "Invalid CVR number"),
            Code::DataEmailInvalid => ("Ugyldig e-mailadresse", "Invalid e-mail address"),
            Code::DataLicenseNotOsi => ("Licensen er ikke open source", "The licence is not open source"),
            Code::DataLicenseNotDefault => ("Anden licens end OS2's standard", "Licence other than OS2's default"),
            Code::DecisionNotInProjektark => {
                ("Beslutning fra loggen mangler i arket", "Logged decision missing in the sheet")
            }
            Code::DecisionNotLogged => {
                ("Beslutning mangler i beslutningsloggen", "Decision missing in the decision log")
            }
            Code::GovUnreadable => ("Styringsmodellen kan ikke læses", "The styringsmodel cannot be read"),
            Code::GovSheetMissing => ("Fane mangler i styringsmodellen", "Sheet missing in the styringsmodel"),
            Code::GovColumnMissing => ("Kolonne mangler i styringsmodellen", "Column missing in the styringsmodel"),
            Code::GovFieldMissing => ("Felt mangler i styringsmodellen", "Field missing in the styringsmodel"),
            Code::GovValueInvalid => ("Ugyldig værdi i styringsmodellen", "Invalid value in the styringsmodel"),
            Code::GovDateInvalid => ("Ugyldig dato i styringsmodellen", "Invalid date in the styringsmodel"),
            Code::GovNumberInvalid => ("Ugyldigt tal i styringsmodellen", "Invalid number in the styringsmodel"),
            Code::GovDuplicate => ("Dublet i styringsmodellen", "Duplicate in the styringsmodel"),
            Code::GovReferenceUnknown => {
                ("Ukendt henvisning i styringsmodellen", "Unknown reference in the styringsmodel")
            }
            Code::GovEmpty => ("Tom fane i styringsmodellen", "Empty sheet in the styringsmodel"),
            Code::GovPhaseMissing => ("Fase mangler i styringsmodellen", "Phase missing in the styringsmodel"),
            Code::GovRevisionDue => ("Styringsmodellen skal revideres", "The styringsmodel is due for revision"),
            Code::GovDocumentIncomplete => {
                ("Styringsmodellens dokumentdata mangler", "The styringsmodel's document data incomplete")
            }
        };
        lang.pick(da, en)
    }

    /// Who acts on a finding of this code. The lead fixes what the projektark says; the
    /// secretariat assesses explained deviations, places levels and reconciles records; the
    /// board decides approvals, licences and the economy it is asked about.
    pub fn actor(self) -> Actor {
        match self {
            Code::KravSkalExplained
            | Code::KravBoerExplained
            | Code::KravAssessmentDiffers
            | Code::KravAssessmentOutdated
            | Code::KravAssessmentNotRecorded
            | Code::RegisterInvalid
            | Code::LevelPlacementUnauthorised
            | Code::GovDecisionInvalid
            | Code::GovLogNotAuthoritative
            | Code::LevelNotPlaced
            | Code::LevelChanged
            | Code::LevelAboveDeclared
            | Code::InputDuplicateProject
            | Code::InputNotSubmitted
            | Code::ReportRowChanged
            | Code::BudgetCorrected
            | Code::DecisionNotInProjektark
            | Code::DecisionNotLogged
            | Code::PhaseBoardApprovalUnmatched
            | Code::PhaseBoardNotRequired => Actor::Secretariat,
            Code::PhaseBoardApprovalMissing
            | Code::PhaseBoardApprovalLate
            | Code::PhaseBoardReapprovalMissing
            | Code::PhaseBoardOrientationMissing
            | Code::DataLicenseNotDefault
            | Code::BudgetEscalated
            | Code::BudgetHistoryRewritten
            | Code::BudgetGrowth
            | Code::BudgetDeciderWrong => Actor::Board,
            Code::GovUnreadable
            | Code::GovSheetMissing
            | Code::GovColumnMissing
            | Code::GovFieldMissing
            | Code::GovValueInvalid
            | Code::GovDateInvalid
            | Code::GovNumberInvalid
            | Code::GovDuplicate
            | Code::GovReferenceUnknown
            | Code::GovEmpty
            | Code::GovPhaseMissing
            | Code::GovRevisionDue
            | Code::GovDocumentIncomplete => Actor::Secretariat,
            _ => Actor::Lead,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_short_label_in_both_languages() {
        for code in Code::ALL {
            for lang in [Lang::Da, Lang::En] {
                let label = code.label(lang);
                assert!(!label.is_empty() && label.chars().count() <= 48, "{code}: {label}");
                // A label is words, not the code again.
                assert!(!label.contains(code.as_str()), "{code}");
            }
        }
        assert_eq!(Code::KravUnanswered.label(Lang::Da), "Krav ikke besvaret");
    }

    #[test]
    fn the_lead_acts_on_answers_and_the_secretariat_on_its_own_records() {
        assert_eq!(Code::KravUnanswered.actor(), Actor::Lead);
        assert_eq!(Code::StatusStale.actor(), Actor::Lead);
        // Near misses: an explained deviation and a missing placement are not the lead's.
        assert_eq!(Code::KravSkalExplained.actor(), Actor::Secretariat);
        assert_eq!(Code::LevelNotPlaced.actor(), Actor::Secretariat);
        assert_eq!(Code::PhaseBoardApprovalMissing.actor(), Actor::Board);
    }
}
