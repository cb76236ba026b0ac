//! The board meeting's agenda as data: its sections (Beslutning / Drøftelse / Orientering,
//! with the one table of their words) and the topics points are about. Which finding goes
//! where is the route table beside the codes ([`crate::model::finding::board_route`]).

use crate::text::Lang;

/// The agenda item types of OS2's board meetings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Agenda {
    Beslutning,
    Droeftelse,
    Orientering,
}

/// The one table of the sections' words, Danish and English: the section's title, what
/// the board does with its entries (`til beslutning`, in counts), and the line that opens
/// the section in the digest; with the keys the mail templates use for them.
struct AgendaWords {
    key: &'static str,
    intro_key: &'static str,
    count_key: &'static str,
    title: [&'static str; 2],
    purpose: [&'static str; 2],
    intro: [&'static str; 2],
}

const AGENDA_WORDS: [AgendaWords; 3] = [
    AgendaWords {
        key: "beslutning",
        intro_key: "beslutning_intro",
        count_key: "decisions",
        title: ["Beslutning", "Decision"],
        purpose: ["til beslutning", "for decision"],
        intro: ["Bestyrelsen bedes træffe beslutning om:", "The board is asked to decide on:"],
    },
    AgendaWords {
        key: "droeftelse",
        intro_key: "droeftelse_intro",
        count_key: "discussions",
        title: ["Drøftelse", "Discussion"],
        purpose: ["til drøftelse", "for discussion"],
        intro: ["Til drøftelse:", "For discussion:"],
    },
    AgendaWords {
        key: "orientering",
        intro_key: "orientering_intro",
        count_key: "informations",
        title: ["Orientering", "Information"],
        purpose: ["til orientering", "for information"],
        intro: ["Til orientering:", "For information:"],
    },
];

impl Agenda {
    pub const ALL: [Agenda; 3] = [Agenda::Beslutning, Agenda::Droeftelse, Agenda::Orientering];

    fn words(self) -> &'static AgendaWords {
        &AGENDA_WORDS[self as usize]
    }

    /// The section's title: `Beslutning` / `Decision`.
    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.words().title[0], self.words().title[1])
    }

    /// What the board does with the section's entries: `til beslutning` / `for decision`.
    pub fn purpose(self, lang: Lang) -> &'static str {
        lang.pick(self.words().purpose[0], self.words().purpose[1])
    }

    /// The line that opens the section in the digest.
    pub fn intro(self, lang: Lang) -> &'static str {
        lang.pick(self.words().intro[0], self.words().intro[1])
    }

    pub fn key(self) -> &'static str {
        self.words().key
    }

    /// The mail templates' keys for the section's words: title, intro and purpose
    /// (`t.beslutning`, `t.beslutning_intro`, `t.decisions`).
    pub fn label_keys(self) -> [&'static str; 3] {
        [self.words().key, self.words().intro_key, self.words().count_key]
    }
}

/// What a point is about; points on one topic share the board's question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Topic {
    Gate,
    Phase,
    Licence,
    Economy,
    BudgetDecision,
    Product,
    Reporting,
    History,
    Level,
    Concept,
    Information,
    Model,
}
