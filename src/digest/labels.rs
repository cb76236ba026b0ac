//! The fixed words of the mails, in Danish and English. Templates use them as `t.<key>`,
//! so one template serves both languages; a secretariat that wants other wording can
//! override the template file and write its own text.

use crate::model::agenda::Agenda;
use crate::text::Lang;
use std::collections::BTreeMap;

const LABELS: &[(&str, &str, &str)] = &[
    ("greeting", "Kære", "Dear"),
    (
        "digest_intro",
        "Her er sekretariatets overblik over OS2-porteføljen til bestyrelsesmødet",
        "Here is the secretariat's overview of the OS2 portfolio for the board meeting",
    ),
    (
        "digest_intro_no_meeting",
        "Her er sekretariatets overblik over OS2-porteføljen. Der er intet bestyrelsesmøde planlagt – tilføj datoer i styringsmodellens fane Bestyrelsesmøder.",
        "Here is the secretariat's overview of the OS2 portfolio. No board meeting is planned – add dates in the styringsmodel's Bestyrelsesmøder sheet.",
    ),
    ("headline", "Overblik", "At a glance"),
    ("projects", "projekter kontrolleret", "projects checked"),
    ("project_checked", "projekt kontrolleret", "project checked"),
    ("without_errors", "uden fejl", "without errors"),
    ("errors", "fejl", "errors"),
    ("warnings", "advarsler", "warnings"),
    ("unreadable", "kunne ikke læses", "could not be read"),
    ("project", "Projekt", "Project"),
    ("purpose", "Formål", "Purpose"),
    ("benefit", "Forventet gevinst", "Expected benefit"),
    ("level_placed", "Niveau", "Level"),
    ("budget", "Budget", "Budget"),
    ("organisations", "Organisationer", "Organisations"),
    ("concept_requirements", "Krav ved Koncept", "Requirements at Koncept"),
    ("backflows", "Tidligere tilbageløb", "Earlier backflows"),
    ("comparison", "Koncepterne side om side", "The concepts side by side"),
    ("waited", "Ventet", "Waited"),
    ("decided_since", "Besluttet siden sidste møde", "Decided since the last meeting"),
    ("due_next", "Det næste, der forfalder", "What falls due next"),
    ("secretariat_tasks", "Til sekretariatet før mødet", "For the secretariat before the meeting"),
    (
        "secretariat_intro",
        "Det her skal sekretariatet gøre først – ellers går det til bestyrelsen som det står:",
        "The secretariat must do this first – otherwise it goes to the board as it stands:",
    ),
    ("waiting_secretariat", "Venter på sekretariatet", "Waiting for the secretariat"),
    ("overdue", "overskredet", "overdue"),
    ("by", "senest", "by"),
    ("lead_attached_clean", "jeres projektark med fanen Kontrol.", "your projektark with the Kontrol sheet."),
    (
        "reminder_intro",
        "Vi har ikke modtaget jeres projektark til denne måneds kontrol. Det var med sidst i",
        "We have not received your projektark for this month's check. It was last included in",
    ),
    (
        "reminder_ask",
        "Send arket til sekretariatet, så projektet kommer med på bestyrelsens oversigt. Er projektet stoppet eller sat i bero, så skriv det i arket (Historik) og send det alligevel.",
        "Please send the sheet to the secretariat, so the project is on the board's overview. If the project has stopped or is paused, record it in the sheet (Historik) and send it anyway.",
    ),
    ("what", "Hvad", "What"),
    ("why", "Hvorfor", "Why"),
    ("ask", "Bestyrelsen bedes", "The board is asked to"),
    (
        "nothing_new",
        "Intet nyt kræver bestyrelsens opmærksomhed denne gang.",
        "Nothing new needs the board's attention this time.",
    ),
    ("changes", "Ændringer siden sidst", "Changes since last time"),
    ("changes_since", "Ændringer siden", "Changes since"),
    ("no_changes", "Ingen ændringer siden sidste periode.", "No changes since the last period."),
    (
        "first_period",
        "Dette er den første kørsel; der er intet at sammenligne med.",
        "This is the first run; there is nothing to compare with.",
    ),
    ("and_more", "og", "and"),
    ("more_changes", "ændringer mere i porteføljearket", "more changes in the portfolio workbook"),
    ("attached", "Vedhæftet", "Attached"),
    (
        "attached_portfolio",
        "porteføljearket med alle detaljer (Oversigt, Niveau og tema, Til bestyrelsen, Ændringer, Fund).",
        "the portfolio workbook with all details (Oversigt, Niveau og tema, Til bestyrelsen, Ændringer, Fund).",
    ),
    ("secretariat_section", "Til sekretariatet", "For the secretariat"),
    (
        "set_aside_intro",
        "Sat til side – en nyere udgave af samme projekt er kontrolleret i stedet. Slet de gamle filer fra indbakken:",
        "Set aside – a newer version of the same project was checked instead. Delete the old files from the inbox:",
    ),
    ("replaced_by", "erstattet af", "replaced by"),
    (
        "set_aside_differs",
        "har et andet navn eller en anden projektleder – er det to projekter med samme Projekt-ID?",
        "has another name or project lead – are these two projects with the same Projekt-ID?",
    ),
    ("unreadable_files", "Kunne ikke læses", "Could not be read"),
    ("footer", "Sendt af os2gov for OS2-sekretariatet", "Sent by os2gov for the OS2 secretariat"),
    ("model_version", "styringsmodel version", "styringsmodel version"),
    ("as_of", "kørselsdato", "as of"),
    ("period", "periode", "period"),
    (
        "lead_intro",
        "Tak for jeres projektark. Her er resultatet af månedens kontrol mod OS2's styringsmodel.",
        "Thank you for your projektark. Here is the result of this month's check against OS2's governance model.",
    ),
    (
        "lead_clean",
        "Projektarket er i orden – der er ingen fejl eller advarsler. Tak!",
        "The projektark is in order – there are no errors or warnings. Thank you!",
    ),
    ("level", "Niveau", "Level"),
    ("declared", "erklæret", "declared"),
    ("attained", "opnået", "attained"),
    ("phase", "Fase", "Phase"),
    ("to_do", "Det skal I rette", "What you need to fix"),
    ("send_by", "ret senest", "fix by"),
    ("requirements", "Krav", "Requirements"),
    ("more", "mere", "more"),
    (
        "more_kinds",
        "andre slags fund – se fanen Kontrol i det vedhæftede ark.",
        "other kinds of findings – see the Kontrol sheet in the attached workbook.",
    ),
    ("others", "Det tager sekretariatet og bestyrelsen sig af", "What the secretariat and the board take care of"),
    ("fixed", "Rettet siden sidst", "Fixed since last time"),
    ("standing", "Står længst", "Open longest"),
    ("since", "siden", "since"),
    ("next_level", "Det mangler for at nå", "Missing to reach"),
    (
        "lead_attached",
        "jeres projektark med en fane Kontrol og markeringer i cellerne.",
        "your projektark with a Kontrol sheet and marked cells.",
    ),
    (
        "send_back",
        "Ret i det vedhæftede ark, gem det under samme navn, og send det til sekretariatet",
        "Make your corrections in the attached workbook, save it under the same name and send it to the secretariat",
    ),
    (
        "send_back_clean",
        "Næste gang I opdaterer projektarket, så brug det vedhæftede ark (gem det under samme navn), og send det til sekretariatet",
        "Next time you update the projektark, use the attached workbook (save it under the same name) and send it to the secretariat",
    ),
    ("questions", "Spørgsmål? Svar på denne mail.", "Questions? Reply to this mail."),
    ("regards", "Med venlig hilsen", "Kind regards"),
    ("secretariat", "OS2-sekretariatet", "The OS2 secretariat"),
];

/// The labels for a language, for the template context; the agenda sections' words come
/// from their one table ([`Agenda`]).
pub fn labels(lang: Lang) -> BTreeMap<&'static str, &'static str> {
    let mut out: BTreeMap<&'static str, &'static str> =
        LABELS.iter().map(|(k, da, en)| (*k, lang.pick(da, en))).collect();
    for agenda in Agenda::ALL {
        let [title, intro, purpose] = agenda.label_keys();
        out.insert(title, agenda.label(lang));
        out.insert(intro, agenda.intro(lang));
        out.insert(purpose, agenda.purpose(lang));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = super::LABELS.iter().map(|(k, _, _)| *k).collect();
        keys.extend(super::Agenda::ALL.iter().flat_map(|a| a.label_keys()));
        keys.sort();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
