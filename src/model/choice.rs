//! Closed sets of choice values (answers, lights, deciders …) with their Danish and
//! English labels and the spellings people type. Parsing is trimmed, case-insensitive and
//! tolerant of æ/ø/å written as ae/oe/aa. No I/O.

/// Declares a choice enum: each variant with its Danish label (the canonical form written
/// in workbooks), its English label, and further accepted spellings.
macro_rules! choice {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $($variant:ident => $da:literal, $en:literal $(, $alias:literal)*;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The Danish label, as written in workbooks and dropdowns.
            pub fn da(self) -> &'static str {
                match self { $($name::$variant => $da),* }
            }

            pub fn label(self, lang: $crate::text::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, $crate::text::Lang::Da) => $da,
                      ($name::$variant, $crate::text::Lang::En) => $en,)*
                }
            }

            /// Reads a typed value: the Danish or English label or an alias, folded.
            pub fn parse(s: &str) -> Option<$name> {
                // The folded spellings, computed once: parsing runs for every cell read.
                static TABLE: std::sync::OnceLock<Vec<(String, $name)>> = std::sync::OnceLock::new();
                let table = TABLE.get_or_init(|| {
                    vec![$(
                        ($crate::text::fold($da), $name::$variant),
                        ($crate::text::fold($en), $name::$variant),
                        $(($crate::text::fold($alias), $name::$variant),)*
                    )*]
                });
                let f = $crate::text::fold(s);
                table.iter().find(|(k, _)| *k == f).map(|(_, v)| *v)
            }

            /// The Danish labels, for dropdowns and messages.
            pub fn labels_da() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.da()).collect()
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use choice;

choice! {
    /// Efterlevet: the project's own answer for a requirement.
    pub enum Answer {
        Ja => "Ja", "Yes", "j", "y", "true", "sand";
        Nej => "Nej", "No", "n", "false", "falsk";
        IkkeRelevant => "Ikke relevant", "Not relevant", "i/r", "n/a", "na", "ikke-relevant", "irrelevant";
        VedIkke => "Ved ikke", "Don't know", "dont know", "ved ik", "unknown", "?";
    }
}

choice! {
    /// The secretariat's assessment (Vurdering), and a requirement's traffic light.
    pub enum Light {
        Groen => "Grøn", "Green";
        Gul => "Gul", "Yellow", "amber";
        Roed => "Rød", "Red";
        Graa => "Grå", "Grey", "gray";
    }
}

choice! {
    /// Fremdrift and Økonomi in a status report.
    pub enum Rag {
        Groen => "Grøn", "Green";
        Gul => "Gul", "Yellow", "amber";
        Roed => "Rød", "Red";
    }
}

choice! {
    /// Projekt or Produkt (the Type field of the projektark).
    pub enum ProjectKind {
        Projekt => "Projekt", "Project";
        Produkt => "Produkt", "Product";
    }
}

choice! {
    /// Type of a participating organisation.
    pub enum OrgKind {
        Kommune => "Kommune", "Municipality";
        Region => "Region", "Region";
        Stat => "Stat", "State", "staten";
        Andet => "Andet", "Other";
    }
}

choice! {
    /// Who decides a phase transition.
    pub enum Decider {
        Sekretariat => "Sekretariat", "Secretariat", "sekretariatet";
        Bestyrelse => "Bestyrelse", "Board", "bestyrelsen";
        Styregruppe => "Styregruppe", "Steering group", "styregruppen";
        Koordinationsgruppe => "Koordinationsgruppe", "Coordination group", "koordinationsgruppen";
    }
}

choice! {
    /// The kind of a phase transition.
    pub enum TransitionKind {
        Fremad => "Fremad", "Forward";
        Tilbageloeb => "Tilbageløb", "Backflow";
        Pause => "Pause", "Pause";
        Afslutning => "Afslutning", "Closing", "closure";
    }
}

choice! {
    /// How the board is involved at a level.
    pub enum BoardRole {
        Ingen => "Ingen", "None";
        Orientering => "Orientering", "Information", "orientation";
        Godkendelse => "Godkendelse", "Approval";
    }
}

choice! {
    /// Skal (must) or Bør (should).
    pub enum ReqKind {
        Skal => "Skal", "Must";
        Boer => "Bør", "Should", "anbefaling";
    }
}

choice! {
    /// A built-in cross-check a requirement can name in Krav.Krydstjek (README, "Finding codes": KRAV-CROSSCHECK).
    pub enum CrossCheck {
        Projektleder => "projektleder", "project_lead";
        BestyrelseOrienteret => "bestyrelse_orienteret", "board_informed";
        BestyrelseGodkendt => "bestyrelse_godkendt", "board_approved";
        Styregruppe => "styregruppe", "steering_group";
        Koordinationsgruppe => "koordinationsgruppe", "coordination_group";
        Licens => "licens", "licence", "license";
        Repository => "repository", "repo";
        Organisationer => "organisationer", "organisations", "organizations";
    }
}

choice! {
    /// The kind of a decision in the styringsmodel's Beslutninger log (column Type). Blank
    /// is "any kind" (logs written before the column existed); the old values (Godkendt,
    /// Stoppet, Niveau op/ned, Optaget, Prioritet) are read as their kind.
    pub enum DecisionKind {
        Godkendelse => "Godkendelse", "Approval", "godkendt", "approved";
        Niveau => "Niveau", "Level", "niveau op", "niveau ned", "hævet", "sænket", "niveauændring", "niveauskift", "level up", "level down";
        Stop => "Stop", "Stop", "stoppet", "stopped", "udfaset", "lukket";
        Budget => "Budget", "Budget", "budgetændring", "budget change";
        Licens => "Licens", "Licence", "license", "licensbeslutning";
        Tilbageloeb => "Tilbageløb", "Backflow", "sendt tilbage";
        Andet => "Andet", "Other", "optaget", "optaget i porteføljen", "admitted", "prioritet", "prioriteret", "priority";
    }
}

choice! {
    /// A digest recipient's role.
    pub enum RecipientRole {
        Bestyrelse => "Bestyrelse", "Board";
        Sekretariat => "Sekretariat", "Secretariat";
        Observatoer => "Observatør", "Observer";
    }
}

impl CrossCheck {
    /// What the cross-check looks at, in the secretariat's words (the styringsmodel shows
    /// it beside the identifier in Krav.Krydstjek).
    pub fn meaning_da(self) -> &'static str {
        match self {
            CrossCheck::Projektleder => "Projektleder og projektlederens e-mail er udfyldt (fanen Projekt).",
            CrossCheck::BestyrelseOrienteret => {
                "Bestyrelsen er orienteret: 'Bestyrelse orienteret (dato)' er udfyldt, eller bestyrelsen har godkendt projektet."
            }
            CrossCheck::BestyrelseGodkendt => {
                "Bestyrelsen har godkendt: 'Bestyrelse godkendt (dato)' eller skiftet Bestyrelsesbehandling → Igangsat besluttet af Bestyrelse i Historik."
            }
            CrossCheck::Styregruppe => "Feltet Styregruppe er udfyldt (ikke en pladsholder som '-' eller 'ingen').",
            CrossCheck::Koordinationsgruppe => {
                "Feltet Koordinationsgruppe er udfyldt (ikke en pladsholder som '-' eller 'ingen')."
            }
            CrossCheck::Licens => "Licensen er en OSI-godkendt open source-licens.",
            CrossCheck::Repository => "Repository er et http(s)-link.",
            CrossCheck::Organisationer => "Fanen Deltagere har mindst niveauets mindste antal organisationer.",
        }
    }
}

impl Light {
    /// The fill colour used for this light in workbooks and mails (RGB hex).
    pub fn colour(self) -> u32 {
        match self {
            Light::Groen => 0xC6EFCE,
            Light::Gul => 0xFFEB9C,
            Light::Roed => 0xFFC7CE,
            Light::Graa => 0xD9D9D9,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Lang;

    #[test]
    fn answers_parse_loosely() {
        assert_eq!(Answer::parse(" JA "), Some(Answer::Ja));
        assert_eq!(Answer::parse("ja"), Some(Answer::Ja));
        assert_eq!(Answer::parse("ikke  relevant"), Some(Answer::IkkeRelevant));
        assert_eq!(Answer::parse("Ved ikke"), Some(Answer::VedIkke));
        assert_eq!(Answer::parse("Don't know"), Some(Answer::VedIkke));
        assert_eq!(Answer::parse("måske"), None);
    }

    #[test]
    fn danish_letters_fold() {
        assert_eq!(Light::parse("rød"), Some(Light::Roed));
        assert_eq!(Light::parse("Roed"), Some(Light::Roed));
        assert_eq!(Light::parse("GRÅ"), Some(Light::Graa));
        assert_eq!(TransitionKind::parse("tilbageloeb"), Some(TransitionKind::Tilbageloeb));
        assert_eq!(ReqKind::parse("Bør"), Some(ReqKind::Boer));
        assert_eq!(RecipientRole::parse("observatør"), Some(RecipientRole::Observatoer));
    }

    #[test]
    fn labels_per_language() {
        assert_eq!(Answer::IkkeRelevant.label(Lang::En), "Not relevant");
        assert_eq!(Decider::labels_da(), vec!["Sekretariat", "Bestyrelse", "Styregruppe", "Koordinationsgruppe"]);
    }
}
