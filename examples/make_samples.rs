//! Writes the `samples/` working folder that a new user runs first:
//!
//! ```text
//! cargo run --example make_samples -- samples
//! ```
//!
//! It (re)writes `os2gov.toml`, `styringsmodel.xlsx` (the default model, dated
//! [`AS_OF`]), one projektark per sample in `indsendt/`, and `README.md` with the table of
//! the findings each sample is *meant* to give. Those expectations are written by hand next
//! to each sample below – they are not computed by running the checker – and the
//! integration test `tests/it/samples.rs` holds the checker to them.
//!
//! Everything is fictitious but realistic: real OS2 product names and real municipalities,
//! invented people, and every date relative to [`AS_OF`] (never the clock).

use chrono::{Duration, NaiveDate};
use os2gov::model::cell::Value;
use os2gov::model::choice::{Decider, Light};
use os2gov::model::filled::{Filled, KravAnswer};
use os2gov::model::finding::Code;
use os2gov::model::layout::FieldKey as K;
use os2gov::model::register::{Additions, PendingAssessment, PendingPlacement};
use os2gov::model::rules::Rules;
use os2gov::model::value::{cvr_is_valid, format_date, format_date_words};
use os2gov::render::projektark::build_projektark;
use os2gov::text::Lang;
use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};

/// The as-of date every sample is written for: `--as-of 2026-11-26`.
pub const AS_OF: &str = "2026-11-26";

/// The command the README tells users to run.
pub const RUN_COMMAND: &str = "cargo run --release -- check --config samples/os2gov.toml --as-of 2026-11-26";

/// A decision in the log beyond the board-decided steps: date, Type, text, Niveau, Prioritet.
type LoggedDecision = (NaiveDate, &'static str, &'static str, Option<&'static str>, Option<i64>);

/// Parametre `beslutningslog_fra` in the samples: the log is complete from 01-01-2024.
pub const SAMPLES_LOG_FROM: NaiveDate = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();

pub fn as_of() -> NaiveDate {
    NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").expect("AS_OF is a date")
}

/// `days` before [`as_of`]. Multiples of 7 land on a Thursday, the board's meeting day.
fn ago(days: i64) -> NaiveDate {
    as_of() - Duration::days(days)
}

fn date(days: i64) -> Value {
    Value::Date(ago(days))
}

fn text(s: &str) -> Value {
    Value::from(s)
}

/// A date typed as text in words, the Danish way: `15. marts 2026`.
fn date_words(days: i64) -> Value {
    Value::Text(format_date_words(ago(days), Lang::Da))
}

/// A date typed as text: `15-03-2026`.
fn date_dashes(days: i64) -> Value {
    Value::Text(format_date(ago(days)))
}

/// A date typed as text: `15.03.2026`.
fn date_dots(days: i64) -> Value {
    Value::Text(ago(days).format("%d.%m.%Y").to_string())
}

fn kr(amount: f64) -> Value {
    Value::Number(amount)
}

/// A participating organisation with its OS2 contact person.
#[derive(Clone, Copy)]
struct Org {
    name: &'static str,
    /// CVR numbers of the municipalities; each passes modulus 11 (asserted when written).
    cvr: &'static str,
    domain: &'static str,
    contact: &'static str,
    contact_local: &'static str,
}

const fn org(
    name: &'static str,
    cvr: &'static str,
    domain: &'static str,
    contact: &'static str,
    contact_local: &'static str,
) -> Org {
    Org { name, cvr, domain, contact, contact_local }
}

const AARHUS: Org = org("Aarhus Kommune", "29189846", "aarhus.dk", "Mette Hansen", "mette.hansen");
const KOEBENHAVN: Org = org("Københavns Kommune", "64942212", "kk.dk", "Jonas Kjærgaard", "jonas.kjaergaard");
const ODENSE: Org = org("Odense Kommune", "35209115", "odense.dk", "Line Bøgh", "line.boegh");
const AALBORG: Org = org("Aalborg Kommune", "29189420", "aalborg.dk", "Rasmus Holm", "rasmus.holm");
const FREDERIKSBERG: Org = org("Frederiksberg Kommune", "11259979", "frederiksberg.dk", "Ida Frost", "ida.frost");
const BALLERUP: Org = org("Ballerup Kommune", "58271713", "balk.dk", "Kasper Juhl", "kasper.juhl");
const GLADSAXE: Org =
    org("Gladsaxe Kommune", "62761113", "gladsaxe.dk", "Marianne Søndergaard", "marianne.soendergaard");
const GENTOFTE: Org = org("Gentofte Kommune", "19438414", "gentofte.dk", "Thomas Vestergaard", "thomas.vestergaard");
const LYNGBY: Org = org("Lyngby-Taarbæk Kommune", "11715311", "ltk.dk", "Louise Brandt", "louise.brandt");
const FREDERICIA: Org = org("Fredericia Kommune", "69116418", "fredericia.dk", "Henrik Dahl", "henrik.dahl");
const HELSINGOER: Org = org("Helsingør Kommune", "64502018", "helsingor.dk", "Camilla Nørgaard", "camilla.noergaard");

/// Formål and Forventet gevinst of the samples that state them (a board reads them when
/// it assesses and prioritises a concept).
const PURPOSES: &[(&str, &str, &str)] = &[
    (
        "OS2compliance",
        "Overblik over kommunens compliance-opgaver efter databeskyttelsesreglerne.",
        "Færre glemte kontroller og en dokumentation, der holder ved tilsyn.",
    ),
    (
        "OS2kle",
        "KLE-emnenøgler vedligeholdt ét sted til alle kommunens systemer.",
        "Ens journalisering og færre fejlsager.",
    ),
    (
        "OS2fordeler",
        "Henvendelser fra borgere fordeles automatisk til rette sagsbehandler.",
        "Kortere svartid og færre henvendelser, der sendes rundt.",
    ),
    (
        "OS2opgavefordeler",
        "Opgaver fordeles mellem kommunens teams efter KLE og kompetencer.",
        "Mindre manuel fordeling og et overblik over, hvem der har hvad.",
    ),
    ("OS2bibliotek", "Fælles selvbetjening for folkebibliotekerne.", "Færre skranketimer og ens løsninger på tværs."),
    ("OS2udbud", "Fælles udbudsmateriale, som kommunerne kan genbruge.", "Kortere udbudsforløb og færre fejl i udbud."),
    (
        "OS2mo",
        "Ét fælles overblik over kommunens organisation og medarbejdere, som andre systemer henter data fra.",
        "Færre manuelle opdateringer i 40 fagsystemer; skønnet 2 årsværk pr. større kommune.",
    ),
    (
        "OS2iot",
        "En fælles platform, der samler data fra kommunernes sensorer (vand, varme, parkering).",
        "Kommunerne deler én platform i stedet for hver sin; sparet drift og hurtigere nye løsninger.",
    ),
    (
        "OS2rollekatalog",
        "Styring af medarbejdernes roller og rettigheder til fagsystemerne ét sted.",
        "Sikrere adgangsstyring og sparet tid ved til- og fratrædelser.",
    ),
    (
        "OS2klimaregnskab",
        "Kommunale klimaregnskaber efter én fælles metode, beregnet fra kommunernes egne data.",
        "Sammenlignelige klimaregnskaber i alle kommuner og mindre konsulentforbrug.",
    ),
    (
        "OS2valghalla",
        "Bemanding af valgsteder med tilforordnede og valgstyrere.",
        "Færre timer på planlægning af hvert valg og bedre overblik på valgdagen.",
    ),
    (
        "OS2loop",
        "Vidensdeling mellem medarbejdere på tværs af kommuner.",
        "Spørgsmål besvares af kolleger i andre kommuner.",
    ),
    (
        "OS2tilsyn",
        "Digital gennemførelse og dokumentation af tilsyn på plejeområdet.",
        "Ensartede tilsyn og mindre dobbeltregistrering.",
    ),
    (
        "OS2borgerPC",
        "Sikre borger-pc'er på biblioteker og i borgerservice, fjernstyret centralt.",
        "Lavere drift af borger-pc'er og bedre sikkerhed for borgerne.",
    ),
    (
        "OS2aftaleportal",
        "Ét overblik over kommunernes aftaler med leverandører, så udløb og fornyelser ikke glipper.",
        "Færre utilsigtede forlængelser og bedre genbrug af udbud.",
    ),
    (
        "OS2datascanner",
        "Finder persondata i filer og mails, så kommunen kan leve op til databeskyttelsesreglerne.",
        "Mindre risiko for brud på persondatasikkerheden.",
    ),
    (
        "OS2sofd",
        "Fælles organisations- og personaledata til kommunernes systemer.",
        "Korrekte data i fagsystemerne uden manuel vedligeholdelse.",
    ),
    (
        "OS2web",
        "En fælles platform til kommunale hjemmesider.",
        "Lavere udgifter til hjemmesider og fælles tilgængelighed.",
    ),
    (
        "OS2autoproces",
        "Robotter, der overtager gentagne administrative processer.",
        "Frigjort tid i administrationen, skønnet 5.000 timer om året.",
    ),
    (
        "OS2faktor",
        "Fælles login og tofaktorgodkendelse for kommunens medarbejdere.",
        "Sikrere login og færre adgangskoder at huske.",
    ),
    (
        "OS2display",
        "Infoskærme i kommunens bygninger, styret centralt.",
        "Ens information på alle skærme og mindre manuel opdatering.",
    ),
    (
        "OS2forms",
        "Digitale selvbetjeningsformularer til borgerne.",
        "Færre papirblanketter og hurtigere sagsbehandling.",
    ),
    (
        "OS2kitos",
        "Overblik over kommunens IT-systemer, kontrakter og databehandling.",
        "Bedre styring af IT-porteføljen og GDPR-dokumentation.",
    ),
    ("OS2dialog", "Sikker digital dialog mellem borgere og kommune.", "Færre henvendelser på papir og telefon."),
    ("OS2vagtplan", "Vagtplanlægning i ældreplejen.", "Færre ubesatte vagter og mindre overarbejde."),
    ("OS2skoledata", "Data om elever og skoler til kommunens systemer.", "Korrekte elevdata uden manuel indtastning."),
    ("OS2sagsportal", "Borgernes overblik over deres egne sager i kommunen.", "Færre henvendelser om sagernes status."),
    (
        "OS2kursus",
        "Tilmelding til kurser og uddannelse for kommunens medarbejdere.",
        "Ét kursusoverblik og mindre administration.",
    ),
    ("OS2hjemmepleje", "Planlægning af hjemmeplejens besøg.", "Kortere køretid og flere timer hos borgerne."),
    (
        "OS2sikkermail",
        "Sikker mail mellem kommuner og borgere.",
        "Følsomme oplysninger sendes sikkert uden særlige systemer.",
    ),
];

/// One row of Historik: a phase change.
struct Step {
    date: Value,
    from: &'static str,
    to: &'static str,
    by: &'static str,
    reference: &'static str,
    reason: &'static str,
    note: &'static str,
    /// Historik.Niveau: the level in force at the step when it differs from today's.
    level: &'static str,
}

fn step(date: Value, from: &'static str, to: &'static str, by: &'static str, reference: &'static str) -> Step {
    Step { date, from, to, by, reference, reason: "", note: "", level: "" }
}

impl Step {
    fn reason(mut self, code: &'static str, note: &'static str) -> Step {
        self.reason = code;
        self.note = note;
        self
    }

    fn note(mut self, note: &'static str) -> Step {
        self.note = note;
        self
    }

    fn at_level(mut self, level: &'static str) -> Step {
        self.level = level;
        self
    }
}

/// A projektark being written: clean unless a sample says otherwise. Every requirement up
/// to the declared level is answered Ja with evidence; the rest is left blank.
struct Ark<'r> {
    rules: &'r Rules,
    id: &'static str,
    level: &'static str,
    phase: &'static str,
    fields: Vec<(K, Value)>,
    lead: String,
    repo: String,
    page: String,
    /// Requirement answers that differ from "Ja with evidence".
    answers: BTreeMap<&'static str, KravAnswer>,
    history: Vec<Vec<Value>>,
    participants: Vec<Vec<Value>>,
    status: Vec<Vec<Value>>,
    budget_changes: Vec<Vec<Value>>,
    operations: Vec<Vec<Value>>,
    /// Whether the secretariat's level placement is left out (it is written otherwise).
    unplaced: bool,
    /// Type as typed by the sample; otherwise it follows the phase the project is judged by.
    kind: Option<&'static str>,
    /// Board meetings this sample refers to besides its board-decided steps.
    meetings: Vec<NaiveDate>,
    /// Decisions logged for it besides its board-decided steps: date, Type, Beslutning.
    decisions: Vec<LoggedDecision>,
    /// Whether its board-decided steps are left out of the decision log.
    unlogged: bool,
    unlogged_budget: bool,
    /// The secretariat's placements of it in the register (sekretariat.xlsx): date, level,
    /// Placeret af, Reference. Empty: one placement read from the projektark (as `run`
    /// migrates it).
    placements: Vec<(NaiveDate, &'static str, &'static str, &'static str)>,
    /// The secretariat's assessments of it in the register: Krav, Vurdering,
    /// Vurderingsgrundlag, Dato.
    assessments: Vec<(&'static str, &'static str, &'static str, NaiveDate)>,
}

impl<'r> Ark<'r> {
    fn new(rules: &'r Rules, id: &'static str, name: &str, level: &'static str, phase: &'static str) -> Ark<'r> {
        let product = matches!(phase, "Produkt" | "Udfaset");
        let slug: String = id.to_lowercase().replace('ø', "oe").replace('æ', "ae").replace('å', "aa");
        let mut ark = Ark {
            rules,
            id,
            level,
            phase,
            fields: Vec::new(),
            lead: String::new(),
            repo: format!("https://github.com/OS2offdig/{slug}"),
            page: format!("https://os2.eu/produkt/{slug}"),
            answers: BTreeMap::new(),
            history: Vec::new(),
            participants: Vec::new(),
            status: Vec::new(),
            budget_changes: Vec::new(),
            operations: Vec::new(),
            unplaced: false,
            kind: None,
            meetings: Vec::new(),
            decisions: Vec::new(),
            unlogged: false,
            unlogged_budget: false,
            placements: Vec::new(),
            assessments: Vec::new(),
        };
        if let Some((_, purpose, benefit)) = PURPOSES.iter().find(|(k, _, _)| *k == id) {
            ark = ark.set(K::Purpose, text(purpose)).set(K::Benefit, text(benefit));
        }
        ark = ark
            .set(K::Id, text(id))
            .set(K::Name, text(name))
            .set(K::Kind, text(if product { "Produkt" } else { "Projekt" }))
            .set(K::Level, text(level))
            .set(K::Phase, text(phase))
            .set(K::Licence, text("MPL-2.0"));
        let repo = ark.repo.clone();
        ark.set(K::Repository, Value::Text(repo))
    }

    /// Sets (or replaces) a Projekt field.
    fn set(mut self, key: K, value: Value) -> Ark<'r> {
        self.fields.retain(|(k, _)| *k != key);
        if value != Value::Blank {
            self.fields.push((key, value));
        }
        self
    }

    /// The owning organisation and its project lead, who also filled in the sheet.
    fn owner(self, org: Org, lead: &str, email: &str) -> Ark<'r> {
        let mut ark = self
            .set(K::Organisation, text(org.name))
            .set(K::Lead, text(lead))
            .set(K::LeadEmail, text(email))
            .set(K::FilledBy, text(lead));
        ark.lead = lead.to_string();
        ark
    }

    fn repo(mut self, url: &str) -> Ark<'r> {
        self.repo = url.to_string();
        self.set(K::Repository, text(url))
    }

    /// Requirement `id` answered otherwise than Ja with evidence.
    fn answer(mut self, id: &'static str, efterlevet: &str, dokumentation: &str, forklaring: &str) -> Ark<'r> {
        assert!(self.rules.find_requirement(id).is_some(), "{}: no requirement {id}", self.id);
        self.answers.insert(
            id,
            KravAnswer {
                id: id.to_string(),
                efterlevet: text(efterlevet),
                dokumentation: text(dokumentation),
                forklaring: text(forklaring),
                vurdering: Value::Blank,
                grundlag: Value::Blank,
            },
        );
        self
    }

    /// The secretariat's assessment of requirement `id` (answered Ja with evidence).
    fn vurdering(mut self, id: &'static str, light: &str, grundlag: &str) -> Ark<'r> {
        let evidence = self.evidence(id);
        let answer = self.answers.entry(id).or_insert_with(|| KravAnswer {
            id: id.to_string(),
            efterlevet: text("Ja"),
            dokumentation: Value::Text(evidence),
            ..KravAnswer::default()
        });
        answer.vurdering = text(light);
        answer.grundlag = text(grundlag);
        self
    }

    fn history(mut self, steps: Vec<Step>) -> Ark<'r> {
        self.history = steps
            .into_iter()
            .map(|s| {
                vec![
                    s.date,
                    text(s.from),
                    text(s.to),
                    text(s.by),
                    text(s.reference),
                    text(s.reason),
                    text(s.note),
                    text(s.level),
                ]
            })
            .collect();
        self
    }

    /// Type (Projekt/Produkt) as the sample's staff typed it.
    fn kind(mut self, kind: &'static str) -> Ark<'r> {
        self.kind = Some(kind);
        self
    }

    /// Leaves out 'Niveau placeret (dato)' and 'Niveau placeret af'.
    fn unplaced(mut self) -> Ark<'r> {
        self.unplaced = true;
        self
    }

    /// A decision in the styringsmodel's log beyond the board-decided steps.
    fn decision(mut self, days: i64, kind: &'static str, text: &'static str, priority: Option<i64>) -> Ark<'r> {
        self.decisions.push((ago(days), kind, text, None, priority));
        self.meetings.push(ago(days));
        self
    }

    /// The board's decision on the project's level (Type Niveau, with the new level).
    fn level_decision(mut self, days: i64, level: &'static str, text: &'static str) -> Ark<'r> {
        self.decisions.push((ago(days), "Niveau", text, Some(level), None));
        self.meetings.push(ago(days));
        self
    }

    /// The board-decided budget changes of this sample are missing from the decision log
    /// (and their dates from the calendar).
    fn unlogged_budget(mut self) -> Ark<'r> {
        self.unlogged_budget = true;
        self
    }

    /// The board-decided steps of this sample are missing from the decision log.
    fn unlogged(mut self) -> Ark<'r> {
        self.unlogged = true;
        self
    }

    /// A placement by the secretariat in its register, `days` ago ("Sekretariat" or
    /// "Bestyrelse" as Placeret af).
    fn placed(mut self, days: i64, level: &'static str, by: &'static str, reference: &'static str) -> Ark<'r> {
        self.placements.push((ago(days), level, by, reference));
        self
    }

    /// The secretariat's assessment of requirement `id` in its register, `days` ago (a row
    /// typed by hand: no Svar-id, so it applies to the answer standing).
    fn assessed(mut self, id: &'static str, light: &'static str, grounds: &'static str, days: i64) -> Ark<'r> {
        assert!(self.rules.find_requirement(id).is_some(), "{}: no requirement {id}", self.id);
        self.assessments.push((id, light, grounds, ago(days)));
        self
    }

    /// A board meeting the sample refers to (listed in the samples' styringsmodel).
    fn meeting(mut self, days: i64) -> Ark<'r> {
        self.meetings.push(ago(days));
        self
    }

    /// Participating organisations with the number of days since each joined.
    fn participants(mut self, orgs: &[(Org, i64)]) -> Ark<'r> {
        for (o, joined) in orgs {
            assert!(cvr_is_valid(o.cvr), "{}: CVR {} is invalid", o.name, o.cvr);
            self.participants.push(vec![
                text(o.name),
                text("Kommune"),
                text(o.cvr),
                date(*joined),
                Value::Text(format!("{} <{}@{}>", o.contact, o.contact_local, o.domain)),
                Value::Blank,
            ]);
        }
        self
    }

    /// When organisations took the solution into use (Deltagere.I drift), by name.
    fn in_use(mut self, orgs: &[(Org, Value)]) -> Ark<'r> {
        for (o, when) in orgs {
            let row = self
                .participants
                .iter_mut()
                .find(|r| r[0] == text(o.name))
                .unwrap_or_else(|| panic!("{}: no participant {}", self.id, o.name));
            row.resize(6, Value::Blank);
            row[5] = when.clone();
        }
        self
    }

    /// A logged budget change: Dato, Fra, Til, Besluttet af, Reference, Begrundelse.
    fn budget_change(mut self, when: Value, from: f64, to: f64, by: &str, reference: &str, why: &str) -> Ark<'r> {
        self.budget_changes.push(vec![when, kr(from), kr(to), text(by), text(reference), text(why)]);
        self
    }

    /// A coordination group's quarterly report: Dato, SLA-mål, Målt, Åbne ændringsønsker,
    /// Arkitekturændringer, Bemærkning.
    fn drift(
        mut self,
        when: Value,
        target: Value,
        measured: Value,
        open: i64,
        architecture: &str,
        note: &str,
    ) -> Ark<'r> {
        self.operations.push(vec![when, target, measured, Value::Number(open as f64), text(architecture), text(note)]);
        self
    }

    /// A participant row as typed, for the mistakes and the text-typed sample.
    fn participant_row(mut self, row: Vec<Value>) -> Ark<'r> {
        self.participants.push(row);
        self
    }

    /// A status report: date, Fremdrift, Økonomi, Forbrug, Prognose, Bemærkning.
    fn status(
        mut self,
        when: Value,
        fremdrift: &str,
        oekonomi: &str,
        forbrug: Value,
        prognose: Value,
        note: &str,
    ) -> Ark<'r> {
        self.status.push(vec![when, text(fremdrift), text(oekonomi), forbrug, prognose, text(note)]);
        self
    }

    fn field_date(&self, key: K) -> String {
        match self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v) {
            Some(Value::Date(d)) => format_date(*d),
            Some(Value::Text(t)) => t.clone(),
            _ => "(dato følger)".to_string(),
        }
    }

    /// Realistic evidence for a Ja: a link or a reference, as project staff write it.
    fn evidence(&self, id: &str) -> String {
        let (page, repo, lead) = (&self.page, &self.repo, &self.lead);
        match id {
            "R1" => format!("Gevinstanalyse: {page}/gevinster"),
            "R2" => "Direktionens beslutning om tilslutning, journalnr. 2024-081234".to_string(),
            "R3" => format!("{page}#anvendelse – i brug eller under afprøvning i flere kommuner"),
            "R4" => format!("{page}/strategi – fællesoffentlig digitaliseringsstrategi og kommunernes fælles strategi"),
            "F1" => repo.clone(),
            "F2" => format!("{repo}/blob/main/LICENSE"),
            "F3" => format!("Udbudsnotat: {page}/udbud"),
            "F4" => format!("Sikkerhedsbeskrivelse og risikovurdering: {page}/sikkerhed"),
            "F5" => format!("{repo}#readme"),
            "F6" => format!("{repo} (under OS2's organisation)"),
            "F7" => format!("{page}/dokumentation"),
            "F10" => page.clone(),
            "F11" => format!("{repo}/issues"),
            "F12" => format!("{repo}/releases – én hovedversion"),
            "F13" => format!("{page}/praesentation.pdf"),
            "F14" => format!("Business case og one-pager: {page}/business-case.pdf"),
            "F15" => format!("{page}/implementering"),
            "F16" => format!("{repo}/blob/main/CONTRIBUTING.md"),
            "F17" => format!("{page}/drift"),
            "F18" => format!("{page}/arkitektur"),
            "F19" => format!("{repo}/pkgs/container"),
            "F20" => format!("{page}/brugervejledning"),
            "F21" => format!("Beslutningsoplæg og pressemeddelelse: {page}/presse"),
            "F22" => format!("{page}/procesplan"),
            "S1" => format!("{page}/strategi#os2"),
            "S2" => format!("{page}/innovation"),
            "S3" => format!("{page}/strategi#mission"),
            "S4" => format!("{page}/vision"),
            "S5" => format!("{page}/strategi#vision"),
            "G1" => "OS2's porteføljeoversigt: https://os2.eu/portefoelje".to_string(),
            "G2" => format!("Årshjul aftalt med sekretariatet: {page}/aarshjul"),
            "G3" => format!("{lead}, projektleder"),
            "G4" => format!("Referat af bestyrelsesmødet {} (orientering)", self.field_date(K::BoardInformed)),
            "G5" => format!("Referat af bestyrelsesmødet {} (godkendelse)", self.field_date(K::BoardApproved)),
            "G6" => format!("Styregruppens kommissorium: {page}/styregruppe"),
            "G7" => format!("Koordinationsgruppens kommissorium: {page}/koordinationsgruppe"),
            "G8" => format!("OS2's projektmodel, tilpasset: {page}/projektmodel"),
            "G9" => format!("Kodereview ved ekstern leverandør: {page}/kodereview-2026.pdf"),
            "G10" => format!("{page}/tilslutningsaftale"),
            "G11" => {
                format!("Referat af bestyrelsesmødet {}, styregruppen godkendt", self.field_date(K::BoardApproved))
            }
            "G12" => format!("Styregruppens medlemmer: {page}/styregruppe#bestyrelsen"),
            "G13" => format!("Finansieringsaftale: {page}/finansieringsaftale"),
            "G14" => format!("Faggruppe og brugerklub: {page}/faellesskab"),
            _ => format!("{page}/dokumentation#{}", id.to_lowercase()),
        }
    }

    /// The phase the project is judged by: the phase a pause or stop left, else Fase.
    fn judged_by(&self) -> os2gov::model::rules::PhaseId {
        let phase = self.rules.find_phase(self.phase).expect("a phase");
        if !self.rules.is_off_line(phase) {
            return phase;
        }
        match self.history.last().and_then(|row| row.get(1)) {
            Some(Value::Text(from)) => self.rules.find_phase(from).unwrap_or(phase),
            _ => phase,
        }
    }

    fn build(mut self) -> Filled {
        let level = self.rules.find_level(self.level).expect("a level code");
        assert!(self.rules.find_phase(self.phase).is_some(), "unknown phase {}", self.phase);
        // The secretariat placed the project on its level when the idea became a concept.
        let placed = self.fields.iter().any(|(k, _)| *k == K::LevelPlaced);
        if !placed
            && !self.unplaced
            && let Some(first) = self.history.first().map(|row| row[0].clone())
        {
            self = self.set(K::LevelPlaced, first).set(K::LevelPlacedBy, text("OS2-sekretariatet"));
        }
        // The approved budget is the baseline unless a sample says otherwise.
        let has_baseline = self.fields.iter().any(|(k, _)| *k == K::BudgetBaseline);
        if !has_baseline && let Some(budget) = self.fields.iter().find(|(k, _)| *k == K::Budget).map(|(_, v)| v.clone())
        {
            self = self.set(K::BudgetBaseline, budget);
        }
        let judged_by = self.judged_by();
        let product = self.rules.reached(judged_by, self.rules.key.product) && !self.rules.is_off_line(judged_by);
        let kind = self.kind.unwrap_or(if product { "Produkt" } else { "Projekt" });
        self = self.set(K::Kind, text(kind));
        let mut answers = Vec::new();
        for req in &self.rules.requirements {
            let id = req.id.as_str();
            if let Some(a) = self.answers.get(id) {
                answers.push(a.clone());
            } else if self.rules.applies(req, level) && self.rules.reached(judged_by, self.rules.due_from(req)) {
                answers.push(KravAnswer {
                    id: req.id.clone(),
                    efterlevet: text("Ja"),
                    dokumentation: Value::Text(self.evidence(id)),
                    ..KravAnswer::default()
                });
            }
        }
        Filled {
            fields: self.fields,
            answers,
            omit: Vec::new(),
            extra_requirements: Vec::new(),
            history: self.history,
            participants: self.participants,
            status: self.status,
            budget_changes: self.budget_changes,
            operations: self.operations,
        }
    }
}

/// One sample projektark and the findings it is meant to give.
pub struct Sample {
    pub id: &'static str,
    pub level: &'static str,
    pub phase: &'static str,
    /// The distinct finding codes this sample is meant to give (hand-written), or empty.
    pub expected: &'static [&'static str],
    /// What the sample shows, for the README (English).
    pub story: &'static str,
    /// The board meetings it refers to: its board-decided steps and any named meeting.
    pub meetings: Vec<NaiveDate>,
    /// Its rows in the styringsmodel's decision log.
    pub decisions: Vec<Vec<Value>>,
    /// Its rows in the secretariat's register (placements and assessments).
    pub register: Additions,
    filled: Filled,
}

impl Sample {
    pub fn file(&self) -> String {
        format!("{}.xlsx", self.id)
    }

    /// The sections of the board's agenda it is meant to appear in ([`BOARD`]).
    pub fn board(&self) -> &'static [&'static str] {
        BOARD.iter().find(|(id, _)| *id == self.id).map(|(_, items)| *items).unwrap_or(&[])
    }

    /// The board items as the README writes them.
    pub fn board_text(&self) -> String {
        match self.board() {
            [] => "none".to_string(),
            items => items.join(", "),
        }
    }

    /// The expected codes, sorted, as the README writes them.
    pub fn expected_text(&self) -> String {
        let mut codes: Vec<&str> = self.expected.to_vec();
        codes.sort_unstable();
        codes.dedup();
        if codes.is_empty() { "none".to_string() } else { codes.join(", ") }
    }
}

fn sample(ark: Ark<'_>, expected: &'static [&'static str], story: &'static str) -> Sample {
    let (id, level, phase) = (ark.id, ark.level, ark.phase);
    let mut meetings = ark.meetings.clone();
    let mut decisions: Vec<(NaiveDate, Vec<Value>)> = Vec::new();
    let as_date = |v: &Value| match v {
        Value::Date(d) => Some(*d),
        Value::Text(t) => os2gov::model::value::parse_date_text(t),
        _ => None,
    };
    // Beslutninger: Dato, Projekt-ID, Beslutning, Grundlag, Truffet af, Reference, Type,
    // Niveau, Beløb (kr.), Prioritet.
    let log = |date: NaiveDate,
               kind: &str,
               decision: &str,
               reference: &str,
               level: Option<&str>,
               amount: Option<f64>,
               priority: Option<i64>| {
        vec![
            Value::Date(date),
            text(id),
            text(decision),
            text("Sagsfremstilling fra sekretariatet"),
            text("Bestyrelsen"),
            text(if reference.is_empty() { "Bestyrelsesreferat" } else { reference }),
            text(kind),
            level.map(text).unwrap_or(Value::Blank),
            amount.map(Value::Number).unwrap_or(Value::Blank),
            priority.map(|p| Value::Number(p as f64)).unwrap_or(Value::Blank),
        ]
    };
    for row in &ark.history {
        if row[3] != text("Bestyrelse") {
            continue;
        }
        let Some(date) = as_date(&row[0]) else { continue };
        meetings.push(date);
        if ark.unlogged {
            continue;
        }
        let (from, to) = (&row[1], &row[2]);
        let reference = match &row[4] {
            Value::Text(t) => t.as_str(),
            _ => "",
        };
        let (kind, decision) = if *from == text("Bestyrelsesbehandling") && *to == text("Igangsat") {
            ("Godkendelse", "Konceptet godkendt; projektet igangsættes")
        } else if *to == text("Udfaset") {
            ("Stop", "Projektet stoppes og udfases")
        } else if *to == text("Pauseret") {
            ("Andet", "Projektet sættes i bero")
        } else {
            ("Tilbageløb", "Konceptet sendes tilbage til bearbejdning")
        };
        decisions.push((date, log(date, kind, decision, reference, None, None, None)));
    }
    for row in &ark.budget_changes {
        if row[3] == text("Bestyrelse")
            && let Some(date) = as_date(&row[0])
            && !ark.unlogged
            && !ark.unlogged_budget
        {
            let reference = match &row[4] {
                Value::Text(t) => t.as_str(),
                _ => "",
            };
            let amount = match &row[2] {
                Value::Number(n) => Some(*n),
                _ => None,
            };
            decisions.push((date, log(date, "Budget", "Budgetændring godkendt", reference, None, amount, None)));
        }
    }
    for (date, kind, decision, level, priority) in &ark.decisions {
        decisions.push((*date, log(*date, kind, decision, "", *level, None, *priority)));
    }
    decisions.sort_by_key(|(d, _)| *d);
    let decisions = decisions.into_iter().map(|(_, row)| row).collect();
    let (placements, assessments, unplaced) = (ark.placements.clone(), ark.assessments.clone(), ark.unplaced);
    let filled = ark.build();
    let mut register = Additions::default();
    let placement = |date: NaiveDate, level: &str, by: Decider, reference: Option<String>| PendingPlacement {
        project: id.to_string(),
        date: Some(date),
        level: Some(level.to_string()),
        by: Some(by),
        reference,
        note: String::new(),
        source: String::new(),
    };
    if !placements.is_empty() {
        for (date, level, by, reference) in placements {
            let by = Decider::parse(by).expect("Sekretariat or Bestyrelse");
            register.placements.push(placement(date, level, by, Some(reference.to_string())));
        }
    } else if !unplaced {
        // As the secretariat recorded it: each earlier level Historik.Niveau names, from its
        // first step, then the level and date the projektark shows.
        let field = |key: K| filled.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
        if let Some(placed) = field(K::LevelPlaced).as_ref().and_then(as_date) {
            let mut earlier: Vec<(NaiveDate, String)> = Vec::new();
            for row in &filled.history {
                if let (Some(d), Value::Text(l)) = (as_date(&row[0]), &row[7])
                    && d < placed
                    && l.as_str() != level
                    && !earlier.iter().any(|(_, e)| e == l)
                {
                    earlier.push((d, l.clone()));
                }
            }
            earlier.sort();
            for (d, l) in earlier {
                register.placements.push(placement(d, &l, Decider::Sekretariat, Some("Sekretariatsnotat".into())));
            }
            let by_text = match field(K::LevelPlacedBy) {
                Some(Value::Text(t)) => t,
                _ => "OS2-sekretariatet".to_string(),
            };
            let by =
                if by_text.to_lowercase().contains("bestyrelse") { Decider::Bestyrelse } else { Decider::Sekretariat };
            register.placements.push(placement(placed, level, by, Some(by_text)));
        }
    }
    for (requirement, light, grounds, date) in assessments {
        register.assessments.push(PendingAssessment {
            project: id.to_string(),
            requirement_id: requirement.to_string(),
            light: Some(Light::parse(light).expect("a light")),
            basis: Some(grounds.to_string()),
            date: Some(date),
            answer: String::new(),
            answer_id: None,
            source: String::new(),
            why: os2gov::text::Text::default(),
        });
    }
    Sample { id, level, phase, expected, story, meetings, decisions, register, filled }
}

/// The samples meant to reach the board (the monthly run's *Til bestyrelsen*), by the
/// sections of the agenda they appear in; every other sample is meant to give no board
/// item. Written by hand, like the expected findings; `tests/it/samples.rs` runs the batch
/// and holds the board to it.
pub const BOARD: &[(&str, &[&str])] = &[
    ("OS2autoproces", &["Beslutning"]),
    ("OS2bibliotek", &["Beslutning"]),
    ("OS2dialog", &["Beslutning"]),
    ("OS2faktor", &["Beslutning"]),
    ("OS2fleetoptimiser", &["Beslutning"]),
    ("OS2forms", &["Beslutning", "Drøftelse"]),
    ("OS2hjemmepleje", &["Drøftelse"]),
    ("OS2indkøb", &["Drøftelse"]),
    ("OS2kle", &["Beslutning"]),
    ("OS2klimaregnskab", &["Beslutning"]),
    ("OS2kursus", &["Drøftelse"]),
    ("OS2opgavefordeler", &["Beslutning"]),
    ("OS2sagsportal", &["Drøftelse"]),
    ("OS2sikkermail", &["Drøftelse"]),
    ("OS2skadesøkonomi", &["Orientering"]),
    ("OS2skoledata", &["Drøftelse"]),
    ("OS2tilskud", &["Beslutning"]),
    ("OS2ugf", &["Beslutning"]),
    ("OS2vagtplan", &["Beslutning"]),
    ("OS2vikar", &["Beslutning"]),
];

/// Every sample, in README order (by file name).
pub fn samples(rules: &Rules) -> Vec<Sample> {
    let mut all = vec![
        // ------------------------------------------------------------------ clean ones
        sample(
            Ark::new(rules, "OS2mo", "Medarbejder og Organisation (MO)", "N3", "Produkt")
                .owner(KOEBENHAVN, "Pernille Lund", "pernille.lund@kk.dk")
                .repo("https://github.com/OS2mo/os2mo")
                .set(K::SteeringGroup, text("Københavns, Aarhus og Ballerup Kommune; bestyrelsesmedlem Lars Østergaard. Kommissorium: https://os2.eu/produkt/os2mo/styregruppe"))
                .set(K::CoordinationGroup, text("Koordinationsgruppe med 14 kommuner, møder hver 6. uge"))
                .set(K::Sla, text("https://os2.eu/produkt/os2mo/sla – driftsaftale, svartid 4 timer i arbejdstiden"))
                .set(K::BoardInformed, date(7 * 190))
                .set(K::BoardApproved, date(7 * 177))
                .set(K::Budget, kr(4_500_000.0))
                .set(K::FilledDate, date(12))
                .history(vec![
                    step(date(1_400), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 182), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden til bestyrelsesmødet"),
                    step(date(7 * 177), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 5"),
                    step(date(1_150), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(7 * 110), "Implementering", "Produkt", "Sekretariat", "Idriftsættelse i 6 kommuner"),
                ])
                .participants(&[(KOEBENHAVN, 1_400), (AARHUS, 1_300), (BALLERUP, 1_250), (GLADSAXE, 900)])
                .in_use(&[(KOEBENHAVN, date(800)), (AARHUS, date(790)), (BALLERUP, date(600))])
                .drift(date(27), kr(99.5), kr(99.8), 12, "Ny integration til SD-løn", "")
                .status(date(118), "Grøn", "Grøn", kr(3_900_000.0), kr(4_400_000.0), "Version 3.2 leveret")
                .status(date(27), "Grøn", "Grøn", kr(4_150_000.0), kr(4_450_000.0), "Version 3.3 i test; organisationsimport fra SD færdig"),
            &[],
            "Clean N3 product: every requirement met with evidence, board approval in both the field and Historik, steering and coordination group, SLA.",
        ),
        sample(
            Ark::new(rules, "OS2iot", "Fælles IoT-platform", "N2", "Produkt")
                .owner(AARHUS, "Søren Østergaard", "soeren.oestergaard@aarhus.dk")
                .repo("https://github.com/OS2iot/os2iot")
                .set(K::SteeringGroup, text("Aarhus, Københavns og Odense Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2iot (9 kommuner)"))
                .set(K::Sla, text("Drift og support hos Aarhus Kommune, se https://os2.eu/produkt/os2iot/sla"))
                // Typed as text the way people do: dates in words and with dashes, amounts in kroner.
                .set(K::BoardInformed, date_words(7 * 120))
                .set(K::BoardApproved, date_dashes(7 * 107))
                .set(K::Budget, text("1.250.000 kr."))
                .set(K::FilledDate, date_words(9))
                .history(vec![
                    step(date_dots(900), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date_words(7 * 112), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 4"),
                    step(date_dashes(7 * 107), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 4"),
                    step(date_words(700), "Igangsat", "Implementering", "Styregruppe", "Styregruppemøde"),
                    step(date_dots(7 * 60), "Implementering", "Produkt", "Sekretariat", "I drift i Aarhus og København"),
                ])
                .participant_row(vec![text(AARHUS.name), text("Kommune"), text("29 18 98 46"), date_words(900), text("Mette Hansen <mette.hansen@aarhus.dk>")])
                .participant_row(vec![text(KOEBENHAVN.name), text("Kommune"), text("DK64942212"), date_dashes(600), text("Jonas Kjærgaard <jonas.kjaergaard@kk.dk>")])
                .participants(&[(ODENSE, 400)])
                .in_use(&[(AARHUS, date_words(450)), (KOEBENHAVN, date_dashes(430))])
                // Percentages typed as text.
                .drift(date_dots(40), text("99,5 %"), text("99,9 %"), 5, "", "Stabil drift")
                .status(date_dots(35), "Grøn", "Grøn", text("812.500 kr."), text("1.190.000 kr."), "LoRaWAN-integration færdig"),
            &[],
            "Clean N2 product typed the way people type: dates as text (\"15. marts 2026\", \"15-03-2026\", \"15.03.2026\"), amounts as Danish text (\"1.250.000 kr.\"), CVR numbers with spaces and a DK prefix. All are read, so there is nothing to report.",
        ),
        sample(
            Ark::new(rules, "OS2rollekatalog", "Roller og rettigheder til fagsystemer", "N2", "Produkt")
                .owner(FREDERIKSBERG, "Anne Sofie Madsen", "anne.sofie.madsen@frederiksberg.dk")
                .repo("https://github.com/OS2sync/os2rollekatalog")
                .set(K::SteeringGroup, text("Frederiksberg, Gentofte og Lyngby-Taarbæk Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2rollekatalog"))
                .set(K::Sla, text("SLA med driftsleverandøren: https://os2.eu/produkt/os2rollekatalog/sla"))
                .set(K::BoardInformed, date(7 * 150))
                .set(K::BoardApproved, date(7 * 124))
                .set(K::Budget, kr(1_600_000.0))
                .set(K::FilledDate, date(40))
                .answer("F19", "Ikke relevant", "", "Rollekataloget leveres som hostet løsning af driftsleverandøren; kommunerne installerer det ikke selv.")
                .answer("F15", "Ikke relevant", "", "Driftsleverandøren implementerer rollekataloget hos kommunerne som en del af den hostede løsning; kommunerne har ingen implementering at følge")
                .assessed("F15", "Grå", "Sekretariatet er enig: implementeringen ligger hos driftsleverandøren og er beskrevet i driftsaftalen, så kravet gælder ikke her", 25)
                .history(vec![
                    step(date(1_100), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 139), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 6"),
                    step(date(7 * 137), "Bestyrelsesbehandling", "Koncept", "Bestyrelse", "Bestyrelsesreferat, pkt. 6")
                        .reason("UDBUD", "Udbudsnotatet manglede; konceptet forelægges igen"),
                    step(date(7 * 128), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 3"),
                    step(date(7 * 124), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 3"),
                    step(date(800), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(500), "Implementering", "Produkt", "Sekretariat", "I drift i 5 kommuner"),
                ])
                .participants(&[(FREDERIKSBERG, 1_100), (GENTOFTE, 900), (LYNGBY, 850)])
                .in_use(&[(FREDERIKSBERG, date(520)), (GENTOFTE, date(510)), (LYNGBY, date(300))])
                .drift(date(61), kr(99.0), kr(99.4), 7, "", "")
                .status(date(61), "Grøn", "Gul", kr(1_310_000.0), kr(1_700_000.0), "Prognosen er inden for tolerancen på 10 %"),
            &["KRAV-ASSESSMENT-DIFFERS", "KRAV-SKAL-EXPLAINED"],
            "N2 product with a legitimate backflow (Bestyrelsesbehandling → Koncept, Årsag UDBUD), a Bør requirement (F19) marked Ikke relevant *with* an explanation, and a forecast 6 % over budget (within the 10 % tolerance). It also marks a Skal requirement (F15, best practice for implementation) Ikke relevant with an explanation, and the secretariat's register accepts it (Vurdering Grå with grounds): an explained deviation the secretariat accepted is no error and no board item – only two info findings saying that the secretariat's Grå applies and the level holds. Twin of OS2compliance, whose explanation still waits for the secretariat.",
        ),
        sample(
            Ark::new(rules, "OS2klimaregnskab", "Kommunale klimaregnskaber", "N3", "Bestyrelsesbehandling")
                .decision(7 * 11, "Prioritet", "Prioriteret som nr. 1 blandt de nye koncepter", Some(1))
                .owner(AALBORG, "Mads Kjær", "mads.kjaer@aalborg.dk")
                .set(K::SteeringGroup, text("Aalborg, Aarhus og Odense Kommune; KL; bestyrelsesmedlem Anne Mørk Jensen"))
                .set(K::CoordinationGroup, text("Faggruppen for klimaregnskaber"))
                .set(K::BoardInformed, date(7 * 100))
                .set(K::BoardApproved, date(7 * 87))
                .set(K::Budget, kr(3_000_000.0))
                .set(K::FilledDate, date(20))
                .history(vec![
                    step(date(7 * 100), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 91), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 2"),
                    step(date(7 * 87), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 2"),
                    step(date(500), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(120), "Implementering", "Koncept", "Styregruppe", "Styregruppereferat")
                        .reason("OEKONOMI", "Prognosen oversteg rammen; omfanget er skåret ned"),
                    step(date(30), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden til mødet 10. december 2026"),
                ])
                .participants(&[(AALBORG, 700), (AARHUS, 650), (ODENSE, 600)])
                .participant_row(vec![text("KL – Kommunernes Landsforening"), text("Andet"), Value::Blank, date(600), text("Klimateamet")])
                .status(date(125), "Gul", "Rød", kr(1_900_000.0), kr(3_600_000.0), "Prognosen overstiger rammen; tilbage til koncept")
                .status(date(25), "Gul", "Gul", kr(1_950_000.0), kr(2_950_000.0), "Nyt, mindre koncept til bestyrelsen; budget tilpasset"),
            &[],
            "Clean N3 project back at the board: approved, started, then sent back to Koncept by the steering group (Årsag OEKONOMI) and re-scoped. The old red report is superseded by a newer one within budget.",
        ),
        sample(
            Ark::new(rules, "OS2valghalla", "Bemanding af valgsteder", "N2", "Implementering")
                .owner(ODENSE, "Lars Kristensen", "lars.kristensen@odense.dk")
                .repo("https://github.com/OS2valghalla/valghalla")
                .set(K::SteeringGroup, text("Odense, Københavns og Helsingør Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2valghalla"))
                .set(K::BoardInformed, date(7 * 70))
                .set(K::BoardApproved, date(7 * 57))
                .set(K::Budget, kr(2_200_000.0))
                .set(K::FilledDate, date(33))
                .history(vec![
                    step(date(560), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 61), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 7"),
                    step(date(7 * 57), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 7"),
                    step(date(240), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat")
                        .note("Ny version til næste valg"),
                ])
                .participants(&[(ODENSE, 560), (KOEBENHAVN, 500), (HELSINGOER, 420)])
                .status(date(95), "Grøn", "Grøn", kr(900_000.0), kr(2_100_000.0), "")
                .status(date(6), "Grøn", "Grøn", kr(1_450_000.0), kr(2_150_000.0), "Evaluering efter valget i gang"),
            &[],
            "Clean N2 project in Implementering, approved by the board, reporting every quarter.",
        ),
        sample(
            Ark::new(rules, "OS2fleetoptimiser", "Optimering af kommunens bilflåde", "N2", "Udfaset")
                .owner(ODENSE, "Henrik Dahl", "henrik.dahl@odense.dk")
                .repo("https://github.com/OS2fleetoptimiser/fleetoptimiser")
                .set(K::SteeringGroup, text("Odense og Aarhus Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2fleetoptimiser"))
                .set(K::BoardInformed, date(7 * 70))
                .set(K::BoardApproved, date(7 * 57))
                .set(K::Budget, kr(1_500_000.0))
                .set(K::FilledDate, date(10))
                .history(vec![
                    step(date(560), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 61), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 4"),
                    step(date(7 * 57), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 4"),
                    step(date(240), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(25), "Implementering", "Udfaset", "Styregruppe", "Styregruppereferat")
                        .reason("OEKONOMI", "Styregruppen stoppede projektet"),
                ])
                .participants(&[(ODENSE, 560), (AARHUS, 500)])
                .status(date(40), "Gul", "Gul", kr(900_000.0), kr(1_500_000.0), ""),
            &["PHASE-DECIDER-WRONG"],
            "N2 project stopped by its steering group: at N2 a stop before Produkt is the board's decision, and the Beslutninger log has none. The stop does not count – the project is judged as still running (its status reports and budget are still due) – and the board gets a Beslutning point: approve the stop after the fact, or have it undone. Legitimate twin: OS2indberetning, stopped by the board with the stop in the log.",
        ),
        sample(
            Ark::new(rules, "OS2ugf", "Udbetaling af godtgørelser og fradrag", "N2", "Implementering")
                .owner(AALBORG, "Rasmus Holm", "rasmus.holm@aalborg.dk")
                .repo("https://github.com/OS2ugf/ugf")
                .set(K::SteeringGroup, text("Aalborg og Københavns Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2ugf"))
                .set(K::BoardInformed, date(7 * 70))
                .set(K::BoardApproved, date(7 * 57))
                .set(K::BudgetBaseline, kr(2_200_000.0))
                .set(K::Budget, kr(3_000_000.0))
                .set(K::FilledDate, date(9))
                // Raised "by the board" on a day with no meeting, and the log has no such decision.
                .budget_change(date(164), 2_200_000.0, 3_000_000.0, "Bestyrelse", "Mail", "Udvidet omfang")
                .unlogged_budget()
                .history(vec![
                    step(date(560), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 61), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 5"),
                    step(date(7 * 57), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 5"),
                    step(date(240), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(AALBORG, 560), (KOEBENHAVN, 500)])
                .status(date(20), "Grøn", "Grøn", kr(1_600_000.0), kr(3_000_000.0), ""),
            &["BUDGET-GROWTH", "BUDGET-OVERRUN", "DECISION-NOT-LOGGED"],
            "N2 project whose budget was raised 36 % \"by the board\" on a day with no board meeting; the Beslutninger log has no budget decision. The raise does not count as approved (DECISION-NOT-LOGGED, an error; BUDGET-GROWTH a warning, not info; the forecast of 3,0 mio. kr. is measured against the approved 2,2: BUDGET-OVERRUN), and the board gets one Beslutning point naming the missing log entry. Legitimate twin: OS2sofd, whose board budget change is in the log on a meeting (BUDGET-GROWTH info, off the agenda).",
        ),
        sample(
            Ark::new(rules, "OS2loop", "Vidensdeling mellem medarbejdere", "N2", "Udfaset")
                .owner(GLADSAXE, "Birgitte Skov", "birgitte.skov@gladsaxe.dk")
                .set(K::SteeringGroup, text("Gladsaxe og Ballerup Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2loop (nedlagt)"))
                .set(K::Sla, text("Aftalen udløb ved udfasningen"))
                .set(K::BoardInformed, date(7 * 300))
                .set(K::BoardApproved, date(7 * 287))
                .set(K::Budget, kr(900_000.0))
                .set(K::FilledDate, date(50))
                .history(vec![
                    step(date(2_150), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 292), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 5"),
                    step(date(7 * 287), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 5"),
                    step(date(1_900), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(1_650), "Implementering", "Produkt", "Sekretariat", "I drift"),
                    step(date(7 * 11), "Produkt", "Udfaset", "Bestyrelse", "Bestyrelsesreferat, pkt. 8")
                        .reason("ANDET", "Få aktive brugere; funktionen dækkes af kommunernes intranet"),
                ])
                .participants(&[(GLADSAXE, 2_150), (BALLERUP, 2_000)])
                .status(date(200), "Gul", "Grøn", kr(880_000.0), kr(880_000.0), "Udfasning indstillet til bestyrelsen"),
            &[],
            "Clean N2 product closed by the board (Produkt → Udfaset with Årsag ANDET). A closed product needs no fresh status report.",
        ),
        sample(
            Ark::new(rules, "OS2mødebooking", "Booking af mødelokaler", "SB", "Idé")
                .owner(LYNGBY, "Jakob Friis", "jakob.friis@ltk.dk")
                .set(K::FilledDate, date(15))
                .participants(&[(LYNGBY, 30)]),
            &[],
            "Clean sandbox idea: one organisation, no history yet, only the six sandbox requirements answered.",
        ),
        sample(
            Ark::new(rules, "OS2tilsyn", "Digitale tilsyn på plejeområdet", "N1", "Koncept")
                .owner(FREDERICIA, "Nanna Lykke Poulsen", "nanna.poulsen@fredericia.dk")
                .set(K::BoardInformed, date(7 * 2))
                .set(K::Budget, kr(450_000.0))
                .set(K::FilledDate, date(3))
                .history(vec![step(date(45), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat")])
                .participants(&[(FREDERICIA, 60), (HELSINGOER, 40)]),
            &[],
            "Clean N1 concept: two municipalities, the board informed (orientering) at its last meeting.",
        ),
        sample(
            Ark::new(rules, "OS2borgerPC", "Borger-pc'er på biblioteker og i borgerservice", "N1", "Produkt")
                .owner(BALLERUP, "Peter Aagaard", "peter.aagaard@balk.dk")
                .repo("https://github.com/OS2borgerPC/os2borgerpc-admin")
                .set(K::CoordinationGroup, text("Brugergruppen for OS2borgerPC"))
                .set(K::Sla, text("Support via leverandøraftale: https://os2.eu/produkt/os2borgerpc/sla"))
                .set(K::BoardInformed, date(7 * 160))
                .set(K::Budget, kr(1_100_000.0))
                .set(K::FilledDate, date(70))
                .history(vec![
                    step(date(1_200), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(1_120), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                    step(date(950), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(600), "Implementering", "Produkt", "Sekretariat", "I drift på bibliotekerne"),
                ])
                .participants(&[(BALLERUP, 1_200), (GLADSAXE, 1_000), (KOEBENHAVN, 700)])
                .in_use(&[(BALLERUP, date(650)), (GLADSAXE, date(620))])
                .drift(date(80), kr(98.0), kr(99.1), 3, "", "")
                .status(date(80), "Grøn", "Grøn", kr(950_000.0), kr(1_050_000.0), ""),
            &[],
            "Clean N1 product: a level-1 project goes from Koncept straight to Igangsat without the board.",
        ),
        sample(
            Ark::new(rules, "OS2ungeindsats", "Koordinering af ungeindsatser", "N1", "Pauseret")
                .owner(HELSINGOER, "Sara Møller", "sara.moeller@helsingor.dk")
                .set(K::BoardInformed, date(7 * 40))
                .set(K::Budget, kr(600_000.0))
                .set(K::FilledDate, date(28))
                .history(vec![
                    step(date(400), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(300), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                    step(date(90), "Igangsat", "Pauseret", "Styregruppe", "Styregruppereferat")
                        .note("Sat i bero, indtil den nye ungelovgivning er vedtaget"),
                ])
                .participants(&[(HELSINGOER, 400), (FREDERICIA, 380)])
                .status(date(21), "Gul", "Grøn", kr(210_000.0), kr(600_000.0), "Pauseret; ingen aktivitet i perioden"),
            &[],
            "Clean N1 project paused by its steering group (* → Pauseret); a paused project still reports status.",
        ),
        // ----------------------------------------------- the process as OS2 runs it
        sample(
            Ark::new(rules, "OS2aftaleportal", "Overblik over kommunernes aftaler", "N2", "Idé")
                .owner(ODENSE, "Line Bøgh", "line.boegh@odense.dk")
                .set(K::FilledDate, date(5))
                .participants(&[(ODENSE, 30)]),
            &[],
            "Clean N2 idea: it has answered what an idea can answer – the requirements due from Idé (R1, R3, F5, S1, S2, S3, G2) – and nothing else yet; one organisation, no history, no budget. Its level shows as N2 (for fasen Idé).",
        ),
        sample(
            Ark::new(rules, "OS2datascanner", "Søgning efter persondata i filer og mails", "N2", "Pauseret")
                .owner(BALLERUP, "Kasper Juhl", "kasper.juhl@balk.dk")
                .set(K::SteeringGroup, text("Ballerup og Gladsaxe Kommune"))
                .set(K::FilledDate, date(20))
                .history(vec![
                    step(date(260), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 10), "Koncept", "Pauseret", "Sekretariat", "Mail fra sekretariatet")
                        .note("Afventer KL's afklaring af databeskyttelsen, før konceptet forelægges bestyrelsen"),
                ])
                .participants(&[(BALLERUP, 260), (GLADSAXE, 200)]),
            &[],
            "Clean N2 concept paused by the secretariat before it went to the board. A paused project is judged by the phase it left (Koncept): no board approval, budget or status report is due yet, and it may only resume as a concept.",
        ),
        sample(
            Ark::new(rules, "OS2sofd", "Fælles organisations- og personaledata", "N2", "Implementering")
                .owner(HELSINGOER, "Camilla Nørgaard", "camilla.noergaard@helsingor.dk")
                .repo("https://github.com/OS2sofd/os2sofd")
                .set(K::SteeringGroup, text("Helsingør, Fredericia og Aalborg Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2sofd"))
                .set(K::BoardApproved, date(7 * 56))
                .set(K::BudgetBaseline, kr(2_300_000.0))
                .set(K::Budget, kr(2_400_000.0))
                .budget_change(date(7 * 56), 2_300_000.0, 2_400_000.0, "Bestyrelse", "Bestyrelsesreferat, pkt. 3", "Nyt omfang efter tilbageløbet")
                .set(K::FilledDate, date(15))
                .history(vec![
                    step(date(900), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 120), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 5"),
                    step(date(7 * 116), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 5"),
                    step(date(500), "Igangsat", "Koncept", "Styregruppe", "Styregruppereferat")
                        .reason("OEKONOMI", "Integrationerne blev dyrere end rammen; omfanget er skåret ned"),
                    step(date(7 * 60), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 3"),
                    step(date(7 * 56), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 3 (ny godkendelse)"),
                    step(date(200), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(HELSINGOER, 900), (FREDERICIA, 850), (AALBORG, 600)])
                .status(date(100), "Grøn", "Gul", kr(1_100_000.0), kr(2_300_000.0), "")
                .status(date(15), "Grøn", "Grøn", kr(1_600_000.0), kr(2_350_000.0), "Første kommuner i gang"),
            &[],
            "Clean N2 project restarted the right way: approved and started, sent back to Koncept by its steering group (Årsag OEKONOMI), re-scoped, approved again by the board and restarted. The field holds the newest approval, and the budget change the board made at the same meeting is logged in Budgetændringer.",
        ),
        sample(
            Ark::new(rules, "OS2indberetning", "Indberetning af kørsel", "N2", "Udfaset")
                .owner(FREDERICIA, "Henrik Dahl", "henrik.dahl@fredericia.dk")
                .set(K::SteeringGroup, text("Fredericia og Helsingør Kommune"))
                .set(K::BoardApproved, date(7 * 86))
                .set(K::Budget, kr(1_500_000.0))
                .set(K::FilledDate, date(30))
                .history(vec![
                    step(date(700), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 90), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 6"),
                    step(date(7 * 86), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 6"),
                    step(date(7 * 8), "Igangsat", "Udfaset", "Bestyrelse", "Bestyrelsesreferat, pkt. 4")
                        .reason("OEKONOMI", "Prognosen lå 40 % over rammen; kommunerne bruger i stedet en indkøbt løsning"),
                ])
                .participants(&[(FREDERICIA, 700), (HELSINGOER, 650)])
                .status(date(150), "Gul", "Rød", kr(900_000.0), kr(2_100_000.0), "Prognosen overstiger rammen")
                .status(date(60), "Gul", "Rød", kr(1_000_000.0), kr(2_100_000.0), "Indstillet til stop"),
            &[],
            "Clean N2 project stopped by the board over economy (Igangsat → Udfaset, Årsag OEKONOMI): reconsidering a project that cannot be done within its frame is what the process asks for. It stays a Projekt, and a stopped project owes no further status reports.",
        ),
        sample(
            Ark::new(rules, "OS2web", "Kommunale hjemmesider", "N2", "Implementering")
                .owner(AALBORG, "Rasmus Holm", "rasmus.holm@aalborg.dk")
                .repo("https://github.com/OS2web/os2web")
                .set(K::SteeringGroup, text("Aalborg, Aarhus og Odense Kommune"))
                .set(K::CoordinationGroup, text("Webnetværket"))
                .set(K::BoardInformed, date(7 * 100))
                .set(K::BoardApproved, date(7 * 50))
                .set(K::LevelPlaced, date(7 * 50))
                .set(K::LevelPlacedBy, text("Bestyrelsen (hævet fra N1 til N2)"))
                .level_decision(7 * 50, "N2", "Hævet fra niveau 1 til niveau 2; godkendt som niveau 2-projekt")
                .meeting(7 * 100)
                .set(K::BudgetBaseline, kr(1_900_000.0))
                .set(K::Budget, kr(2_000_000.0))
                .set(K::FilledDate, date(12))
                // Decided by the steering group while the project was N1 (legal then; at N2 a
                // budget change is the board's): it stays legal after the raise.
                .budget_change(date(7 * 60), 1_900_000.0, 2_000_000.0, "Styregruppe", "Styregruppereferat", "Flere skabeloner")
                .history(vec![
                    step(date(800), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat").at_level("N1"),
                    step(date(7 * 100), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat").at_level("N1"),
                    step(date(7 * 40), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(AALBORG, 800), (AARHUS, 600), (ODENSE, 500)])
                .status(date(40), "Grøn", "Grøn", kr(1_000_000.0), kr(1_900_000.0), "Tre kommuner på den nye platform"),
            &[],
            "Clean N2 project raised from N1: it started as a level-1 project (Koncept → Igangsat without the board; Niveau N1 on those Historik rows), and the board raised it to N2 at a later meeting – that decision is both its placement and its approval. A budget change its steering group decided while it was N1 stays legal after the raise (deciders are judged at the level on the change's date).",
        ),
        // ------------------------------------------------------------ with mistakes
        sample(
            Ark::new(rules, "OS2autoproces", "Robotter og procesautomatisering", "N2", "Implementering")
                .owner(GENTOFTE, "Kristian Bach", "kristian.bach@gentofte.dk")
                .set(K::SteeringGroup, text("Gentofte og Gladsaxe Kommune"))
                .set(K::CoordinationGroup, text("Netværket for automatisering"))
                .set(K::BoardInformed, date(7 * 50))
                .set(K::Budget, kr(1_400_000.0))
                .set(K::FilledDate, date(25))
                // G5 answered Ja, but nothing shows the approval: the board was only informed.
                .answer("G5", "Ja", "Referat af bestyrelsesmødet, hvor bestyrelsen blev orienteret", "")
                .history(vec![
                    step(date(420), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(330), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                    step(date(200), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(GENTOFTE, 420), (GLADSAXE, 400)])
                .status(date(130), "Grøn", "Grøn", kr(700_000.0), kr(1_400_000.0), "Første robotter i drift"),
            &[
                "KRAV-CROSSCHECK",
                "LEVEL-BELOW-DECLARED",
                "PHASE-BOARD-APPROVAL-MISSING",
                "PHASE-TRANSITION-NOT-ALLOWED",
                "STATUS-STALE",
            ],
            "N2 project in Implementering that skipped the board: Koncept → Igangsat is only allowed for SB and N1, and no board approval is recorded although G5 says Ja – so G5 counts red and the project only attains N1. The newest status report is 130 days old.",
        ),
        sample(
            Ark::new(rules, "OS2faktor", "Fælles login og tofaktorgodkendelse", "N2", "Produkt")
                .owner(AARHUS, "Helle Winther", "helle.winther@aarhus.dk")
                .repo("https://github.com/OS2faktor/os2faktor")
                .set(K::SteeringGroup, text("Aarhus, Odense og Ballerup Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2faktor"))
                .set(K::Licence, text("EUPL-1.2"))
                .set(K::BoardInformed, date(7 * 140))
                .set(K::BoardApproved, date(7 * 127))
                .set(K::Budget, kr(2_000_000.0))
                .set(K::FilledDate, date(18))
                .answer("F2", "Ja", "EUPL-1.2; bestyrelsen har godkendt licensen", "")
                .answer("F19", "Ikke relevant", "", "")
                .history(vec![
                    step(date(1_050), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 131), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 3"),
                    step(date(7 * 127), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 3"),
                    step(date(760), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(400), "Implementering", "Produkt", "Sekretariat", "I drift"),
                ])
                .participants(&[(AARHUS, 1_050), (ODENSE, 900)])
                // A transposed pair of digits: 29189846 typed as 29189864.
                .participant_row(vec![text(BALLERUP.name), text("Kommune"), text("29189864"), date(700), text("Kasper Juhl <kasper.juhl@balk.dk>")])
                .in_use(&[(AARHUS, date(430)), (ODENSE, date(410))])
                // Percentages as fractions, the way a cell formatted as percent holds them.
                .drift(date(45), kr(0.999), kr(0.9995), 6, "", "")
                .status(date(45), "Grøn", "Grøn", kr(1_700_000.0), kr(2_000_000.0), ""),
            &[
                "DATA-CVR-INVALID",
                "DATA-LICENSE-NOT-DEFAULT",
                "KRAV-NA-UNEXPLAINED",
                "PRODUCT-NO-SLA",
            ],
            "N2 product with an OSI licence other than MPL-2.0 (EUPL-1.2, info: needs a board decision), no SLA, a CVR number with two digits swapped, and F19 marked Ikke relevant without saying why.",
        ),
        sample(
            Ark::new(rules, "OS2skadesøkonomi", "Overblik over skadesudgifter og forsikring", "N1", "Implementering")
                .owner(KOEBENHAVN, "Morten Ravn", "morten.ravn@kk.dk")
                .set(K::BoardInformed, date(7 * 30))
                .set(K::Budget, kr(750_000.0))
                .set(K::FilledDate, date(14))
                .answer("F7", "Nej", "", "")
                .answer("F11", "Ja", "", "")
                .answer("S2", "Ved ikke", "", "")
                .history(vec![
                    step(date(330), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(200), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                    step(date(60), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(KOEBENHAVN, 330), (FREDERIKSBERG, 300)])
                .status(date(40), "Grøn", "Grøn", kr(260_000.0), kr(740_000.0), ""),
            &[
                "KRAV-NO-EVIDENCE",
                "KRAV-SKAL-UNMET",
                "KRAV-UNSURE",
                "LEVEL-BELOW-DECLARED",
            ],
            "N1 project in Implementering with a Skal requirement (F7, due from Implementering) answered Nej without Forklaring – so it only attains SB – a Ja without Dokumentation (F11) and a Ved ikke (S2).",
        ),
        sample(
            Ark::new(rules, "OS2display", "Infoskærme", "N2", "Koncept")
                .owner(ODENSE, "Julie Kirkegaard", "julie.kirkegaard@odense.dk")
                .repo("https://github.com/os2display/display")
                .set(K::SteeringGroup, text("Odense og Aarhus Kommune"))
                .set(K::BoardInformed, date(7 * 11))
                .set(K::Budget, kr(800_000.0))
                .set(K::FilledDate, date(10))
                .answer("G5", "Nej", "", "Konceptet forelægges bestyrelsen igen i marts 2027")
                .answer("G7", "Ikke relevant", "", "Koordinationsgruppen nedsættes, når løsningen er i drift")
                .history(vec![
                    step(date(200), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 15), "Koncept", "Bestyrelsesbehandling", "Styregruppe", "Dagsorden, pkt. 9"),
                    step(date(7 * 11), "Bestyrelsesbehandling", "Koncept", "Bestyrelse", "Bestyrelsesreferat, pkt. 9")
                        .note("Bestyrelsen ønsker en business case"),
                ])
                .participants(&[(ODENSE, 200), (AARHUS, 180)]),
            &["PHASE-DECIDER-WRONG", "PHASE-REASON-MISSING"],
            "N2 concept sent back by the board without an Årsag (Bestyrelsesbehandling → Koncept needs one) and sent to the board by the steering group instead of the secretariat. It honestly answers G5 (board approval) Nej: G5 is due from Igangsat (Fra fase), so that is no finding and does not lower the attained level.",
        ),
        sample(
            Ark::new(rules, "OS2forms", "Digitale selvbetjeningsformularer", "N2", "Igangsat")
                .unlogged()
                .owner(FREDERIKSBERG, "Anders Bisgaard", "anders.bisgaard@frederiksberg.dk")
                .repo("https://github.com/OS2Forms/os2forms")
                .set(K::SteeringGroup, text("Frederiksberg, Aarhus og Københavns Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2forms"))
                .set(K::BoardInformed, date(7 * 45))
                .set(K::BoardApproved, date(7 * 37))
                .set(K::Budget, kr(1_800_000.0))
                .set(K::FilledDate, date(230))
                .history(vec![
                    step(date(400), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 41), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 4"),
                    step(date(7 * 37), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 4"),
                ])
                .participants(&[(FREDERIKSBERG, 400), (AARHUS, 380), (KOEBENHAVN, 300)])
                .status(date(120), "Grøn", "Gul", kr(600_000.0), kr(1_900_000.0), "")
                .status(date(30), "Gul", "Rød", kr(1_150_000.0), kr(2_150_000.0), "Integrationen til fagsystemerne er dyrere end forventet"),
            &[
                "BUDGET-OVERRUN",
                "DECISION-NOT-LOGGED",
                "KRAV-CROSSCHECK",
                "LEVEL-BELOW-DECLARED",
                "PHASE-BOARD-APPROVAL-MISSING",
                "SELFEVAL-STALE",
                "STATUS-RED",
            ],
            "N2 project in trouble: the newest report is red on Økonomi, the forecast (2.150.000 kr.) exceeds the budget (1.800.000 kr.) by more than the 10 % tolerance, and the self-assessment (Udfyldt dato) is 230 days old. Its approval (field and Historik, on a real meeting in 2026) is missing from the board's decision log, which is the authority from `beslutningslog_fra` (01-01-2024): the approval does not count (DECISION-NOT-LOGGED, an error), so the project is judged as running without approval (PHASE-BOARD-APPROVAL-MISSING, G5 red, LEVEL-BELOW-DECLARED), and the board gets one Beslutning point that names the missing log entry. Legitimate twin: log the approval in Beslutninger (Type Godkendelse) on the meeting's date.",
        ),
        sample(
            Ark::new(rules, "OS2kitos", "IT-systemoverblik (Kitos)", "N3", "Produkt")
                .owner(KOEBENHAVN, "Tina Riis", "tina.riis@kk.dk")
                .repo("https://github.com/os2kitos/kitos")
                .set(K::SteeringGroup, text("Københavns, Aarhus og Odense Kommune; bestyrelsesmedlem Sofie Bech Ahmed"))
                .set(K::Sla, text("https://os2.eu/produkt/os2kitos/sla"))
                .set(K::BoardInformed, date(7 * 250))
                .set(K::BoardApproved, date(7 * 237))
                .set(K::Budget, kr(5_200_000.0))
                .set(K::FilledDate, date(16))
                .answer("G9", "Nej", "", "")
                .answer("G10", "Nej", "", "Finansieringen sikres af medlemsbidraget; en særskilt tilslutningserklæring er ikke nødvendig")
                // The board raised it to N3 at a recent meeting; the projektark still shows the old placement.
                .level_decision(7 * 30, "N3", "Hævet fra niveau 2 til niveau 3")
                .placed(1_900, "N2", "Sekretariat", "Sekretariatsnotat")
                .vurdering("F15", "Gul", "Implementeringsvejledningen er fra 2021 og beskriver ikke den nye version")
                .history(vec![
                    step(date(1_900), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 241), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 2"),
                    step(date(7 * 237), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 2"),
                    step(date(1_500), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(1_100), "Implementering", "Produkt", "Sekretariat", "I drift"),
                ])
                .participants(&[(KOEBENHAVN, 1_900), (AARHUS, 1_800), (ODENSE, 1_700), (AALBORG, 1_000)])
                .in_use(&[(KOEBENHAVN, date(1_200)), (AARHUS, date(1_150))])
                .drift(date(50), kr(99.5), kr(99.7), 20, "Ny arkitektur for integrationer besluttet", "")
                .status(date(50), "Grøn", "Grøn", kr(4_800_000.0), kr(5_100_000.0), ""),
            &[
                "KRAV-ASSESSMENT-NOT-RECORDED",
                "KRAV-BOER-EXPLAINED",
                "KRAV-BOER-UNEXPLAINED",
                "KRAV-CROSSCHECK",
                "LEVEL-PLACEMENT-DIFFERS",
                "PRODUCT-NO-COORDINATION",
            ],
            "N3 product without a Koordinationsgruppe although G7 says Ja (so G7 counts red), one recommendation (G9) not followed without a word and one (G10) explained, and a Vurdering (Gul) typed into the projektark's F15 – not the secretariat's register, so it is not used (KRAV-ASSESSMENT-NOT-RECORDED). The decision log says the board raised it to N3 recently (Type Niveau, Niveau N3: the raise carries its approval), but 'Niveau placeret (dato)' still shows the old date (LEVEL-PLACEMENT-DIFFERS, to the lead and the secretariat).",
        ),
        sample(
            Ark::new(rules, "OS2affaldskalender", "Tømmekalender til borgerne", "SB", "Igangsat")
                .owner(ODENSE, "Jens Mikkelsen", "jens.mikkelsen@odense,dk")
                .unplaced()
                .repo("github.com/jensmik/affaldskalender")
                // Udfyldt dato typed with next year: 26-11-2027.
                .set(K::FilledDate, Value::Date(as_of() + Duration::days(365)))
                .history(vec![
                    step(date(150), "Idé", "Koncept", "Sekretariat", "Mail fra sekretariatet"),
                    step(date(60), "Koncept", "Igangsat", "Sekretariat", "Mail fra sekretariatet"),
                ])
                .participants(&[(ODENSE, 150)])
                .status(date(20), "Grøn", "Grøn", kr(40_000.0), kr(90_000.0), ""),
            &[
                "BUDGET-MISSING",
                "DATA-EMAIL-INVALID",
                "DATA-URL-INVALID",
                "INPUT-FUTURE-DATE",
                "LEVEL-NOT-PLACED",
            ],
            "Sandbox project with typing slips: a comma in the e-mail domain, a repository without https:// (malformed evidence: DATA-URL-INVALID for the lead, F1's Ja stays at most Gul and the level is kept – a typo never reaches the board), no budget although started, Udfyldt dato a year in the future, and nobody wrote down when the secretariat placed it on its level.",
        ),
        sample(
            Ark::new(rules, "OS2dialog", "Sikker digital dialog med borgerne", "N2", "Igangsat")
                .owner(GLADSAXE, "Marianne Søndergaard", "marianne.soendergaard@gladsaxe.dk")
                .set(K::SteeringGroup, text("Gladsaxe og Gentofte Kommune"))
                // Approved eight months after the project started (the log has it on the
                // meeting); the projektark gives the day after, which is no meeting.
                .set(K::BoardApproved, date(62))
                .decision(63, "Godkendelse", "Konceptet godkendt efterfølgende", None)
                .set(K::Budget, kr(1_300_000.0))
                .set(K::FilledDate, date(11))
                .answer("G5", "Ja", "Bestyrelsen har godkendt projektet", "")
                .history(vec![
                    step(date(420), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 48), "Koncept", "Pauseret", "Sekretariat", "Mail fra sekretariatet").note("Afventer budget"),
                    step(date(7 * 44), "Pauseret", "Igangsat", "Styregruppe", "Styregruppemøde"),
                ])
                .participants(&[(GLADSAXE, 420), (GENTOFTE, 400)])
                .status(date(30), "Grøn", "Grøn", kr(500_000.0), kr(1_300_000.0), ""),
            &["DECISION-MISMATCH", "PHASE-BOARD-APPROVAL-LATE", "PHASE-RESUME-WRONG"],
            "N2 concept that walked around the board through a pause: paused as a concept, it resumed straight into Igangsat (a pause resumes only where it left), and the board approved it eight months after the start. The projektark dates the approval the day after the meeting (no meeting that day): the decision log's date counts, and the lead is asked to correct it (DECISION-MISMATCH) – the late start is the board's matter either way.",
        ),
        sample(
            Ark::new(rules, "OS2vagtplan", "Vagtplanlægning i ældreplejen", "N2", "Igangsat")
                .owner(LYNGBY, "Louise Brandt", "louise.brandt@ltk.dk")
                .set(K::SteeringGroup, text("Lyngby-Taarbæk og Gentofte Kommune"))
                .set(K::BoardApproved, date(7 * 101))
                .set(K::Budget, kr(2_000_000.0))
                .set(K::FilledDate, date(18))
                .history(vec![
                    step(date(800), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 105), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 2"),
                    step(date(7 * 101), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 2"),
                    step(date(7 * 40), "Igangsat", "Koncept", "Styregruppe", "Styregruppereferat")
                        .reason("OEKONOMI", "Kan ikke gennemføres inden for rammen"),
                    step(date(7 * 30), "Koncept", "Pauseret", "Sekretariat", "Mail fra sekretariatet"),
                    step(date(7 * 20), "Pauseret", "Igangsat", "Styregruppe", "Styregruppemøde").note("Genstartet med mindre omfang"),
                ])
                .participants(&[(LYNGBY, 800), (GENTOFTE, 700)])
                .status(date(25), "Gul", "Gul", kr(1_400_000.0), kr(2_000_000.0), "Genstartet"),
            &["KRAV-CROSSCHECK", "LEVEL-BELOW-DECLARED", "PHASE-BOARD-REAPPROVAL-MISSING", "PHASE-RESUME-WRONG"],
            "N2 project restarted without the board: after a backflow to Koncept for economy it went through a pause straight back to Igangsat, with no new approval. Its G5 (board approval) Ja is contradicted, counts red, and the project only attains N1.",
        ),
        sample(
            Ark::new(rules, "OS2skoledata", "Data om elever og skoler", "N2", "Produkt")
                .owner(FREDERIKSBERG, "Ida Frost", "ida.frost@frederiksberg.dk")
                .kind("Projekt")
                .set(K::SteeringGroup, text("Frederiksberg og Københavns Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2skoledata"))
                .set(K::Sla, text("https://os2.eu/produkt/os2skoledata/sla"))
                .set(K::BoardInformed, date(7 * 160))
                .set(K::BoardApproved, date(7 * 150))
                .decision(7 * 150, "Godkendelse", "Konceptet godkendt; projektet igangsættes", None)
                .meeting(7 * 160)
                .set(K::LevelPlaced, date(7 * 165))
                .set(K::LevelPlacedBy, text("OS2-sekretariatet"))
                .set(K::Budget, kr(1_100_000.0))
                .set(K::FilledDate, date(21))
                .participants(&[(FREDERIKSBERG, 1_100), (KOEBENHAVN, 1_000)])
                .in_use(&[(FREDERIKSBERG, date(900)), (KOEBENHAVN, date(800))])
                .drift(date(35), kr(99.0), kr(99.6), 2, "", "")
                .status(date(40), "Grøn", "Grøn", kr(1_000_000.0), kr(1_080_000.0), ""),
            &["PHASE-HISTORY-MISSING", "PRODUCT-TYPE-MISMATCH"],
            "N2 product with an empty Historik – so nothing shows how it went through the board (an error past Koncept at a level that needs approval) – and Type still says Projekt although it is in the Produkt phase.",
        ),
        sample(
            Ark::new(rules, "OS2udlaan", "Udlån af hjælpemidler", "N1", "Produkt")
                .owner(GENTOFTE, "Thomas Vestergaard", "thomas.vestergaard@gentofte.dk")
                // Placeholders count as blank.
                .set(K::CoordinationGroup, text("-"))
                .set(K::Sla, text("ingen"))
                .set(K::BoardInformed, date(7 * 120))
                .set(K::Budget, kr(700_000.0))
                .set(K::FilledDate, date(9))
                .history(vec![
                    step(date(900), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(800), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                    step(date(600), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(500), "Implementering", "Koncept", "Styregruppe", "Styregruppereferat").reason("ANDET", ""),
                    step(date(450), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                    step(date(400), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(7 * 30), "Implementering", "Produkt", "Sekretariat", "I drift i to kommuner"),
                ])
                .participants(&[(GENTOFTE, 900), (LYNGBY, 800)])
                .in_use(&[(GENTOFTE, date(230)), (LYNGBY, date(220))])
                .drift(date(30), kr(98.0), kr(99.0), 1, "", "")
                .status(date(35), "Grøn", "Grøn", kr(650_000.0), kr(700_000.0), ""),
            &["PHASE-REASON-MISSING", "PRODUCT-NO-COORDINATION", "PRODUCT-NO-SLA"],
            "N1 product whose Koordinationsgruppe ('-') and SLA ('ingen') are placeholders, which count as blank, and an earlier backflow with Årsag ANDET that nobody explained in Bemærkning. An N1 project may restart without the board.",
        ),
        sample(
            Ark::new(rules, "OS2tilskud", "Administration af tilskud til foreninger", "N2", "Bestyrelsesbehandling")
                .owner(AARHUS, "Mette Hansen", "mette.hansen@aarhus.dk")
                .set(K::Purpose, text("Én løsning til ansøgning, behandling og udbetaling af tilskud til foreninger og kulturliv."))
                .set(K::Benefit, text("Kortere sagsbehandling og færre fejl i udbetalingerne; 12 kommuner står klar."))
                .set(K::SteeringGroup, text("Aarhus, Odense og Aalborg Kommune"))
                .set(K::Budget, kr(1_600_000.0))
                .set(K::FilledDate, date(4))
                .history(vec![
                    step(date(150), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 3), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden til mødet 10. december 2026"),
                ])
                .participants(&[(AARHUS, 150), (ODENSE, 120), (AALBORG, 90)]),
            &[],
            "Clean N2 concept sent to the board three weeks ago: purpose, expected benefit, budget and three municipalities – the basis the board assesses and prioritises it on.",
        ),
        sample(
            Ark::new(rules, "OS2vikar", "Vikardækning i skolerne", "N2", "Bestyrelsesbehandling")
                .owner(KOEBENHAVN, "Morten Ravn", "morten.ravn@kk.dk")
                .set(K::Purpose, text("Skolerne finder og booker vikarer i en fælles vikarbank."))
                .set(K::Benefit, text("Færre aflyste timer og mindre tid på at ringe vikarer op."))
                .set(K::SteeringGroup, text("Københavns og Frederiksberg Kommune"))
                .set(K::Budget, kr(900_000.0))
                .set(K::FilledDate, date(20))
                .history(vec![
                    step(date(400), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 44), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 6"),
                    step(date(7 * 40), "Bestyrelsesbehandling", "Koncept", "Bestyrelse", "Bestyrelsesreferat, pkt. 6")
                        .reason("ARKITEKTUR", "Integrationen til skolernes skemasystem skal beskrives"),
                    step(date(7 * 30), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 3"),
                ])
                .participants(&[(KOEBENHAVN, 400), (FREDERIKSBERG, 350)]),
            &[],
            "Clean N2 concept back at the board after a backflow (ARKITEKTUR) and waiting since then – through more board meetings than `koncept_ventetid_moeder` allows, so the board is made aware of it.",
        ),
        // ------------------------------------------------- economy and products
        sample(
            Ark::new(rules, "OS2sagsportal", "Borgernes overblik over egne sager", "N2", "Implementering")
                .owner(KOEBENHAVN, "Jonas Kjærgaard", "jonas.kjaergaard@kk.dk")
                .set(K::SteeringGroup, text("Københavns og Frederiksberg Kommune"))
                .set(K::CoordinationGroup, text("Netværket for digital selvbetjening"))
                .set(K::BoardApproved, date(7 * 76))
                // Approved at 1,8 mio. kr.; the Budget cell now says 2,2 mio. kr. – and no change is logged.
                .set(K::BudgetBaseline, kr(1_800_000.0))
                .set(K::Budget, kr(2_200_000.0))
                .set(K::FilledDate, date(13))
                .history(vec![
                    step(date(700), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 80), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 8"),
                    step(date(7 * 76), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 8"),
                    step(date(300), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(KOEBENHAVN, 700), (FREDERIKSBERG, 650)])
                .status(date(100), "Grøn", "Gul", kr(1_000_000.0), kr(1_900_000.0), "")
                .status(date(20), "Grøn", "Grøn", kr(1_500_000.0), kr(1_950_000.0), "Budgettet er hævet"),
            &["BUDGET-GROWTH", "BUDGET-UNTRACED"],
            "N2 project whose Budget cell was raised from the approved 1,8 mio. kr. to 2,2 mio. kr. without a row in Budgetændringer: nothing shows who decided it (an error), and the budget has grown 22 % since the approval (for the board).",
        ),
        sample(
            Ark::new(rules, "OS2indkøb", "Fælles indkøbsoverblik", "N1", "Igangsat")
                .owner(AALBORG, "Rasmus Holm", "rasmus.holm@aalborg.dk")
                .set(K::BoardInformed, date(7 * 43))
                .set(K::Budget, kr(900_000.0))
                .set(K::FilledDate, date(8))
                .history(vec![
                    step(date(400), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 43), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                ])
                .participants(&[(AALBORG, 400), (AARHUS, 380)])
                // Spent more than the budget; no forecast given.
                .status(date(15), "Gul", "Gul", kr(1_050_000.0), Value::Blank, "Flere integrationer end planlagt"),
            &["BUDGET-OVERRUN"],
            "N1 project that has spent 1,05 mio. kr. of a 0,9 mio. kr. budget and gives no forecast: spending over the budget is an overrun even without one.",
        ),
        sample(
            Ark::new(rules, "OS2kursus", "Tilmelding til kurser og uddannelse", "N2", "Implementering")
                .owner(ODENSE, "Line Bøgh", "line.boegh@odense.dk")
                .set(K::SteeringGroup, text("Odense og Aalborg Kommune"))
                .set(K::CoordinationGroup, text("HR-netværket"))
                .set(K::BoardApproved, date(7 * 60))
                .set(K::Budget, kr(2_200_000.0))
                .set(K::FilledDate, date(6))
                .history(vec![
                    step(date(600), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 64), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 4"),
                    step(date(7 * 60), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 4"),
                    step(date(250), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(ODENSE, 600), (AALBORG, 550)])
                // The forecast creeps up 1,9 → 2,0 → 2,2 → 2,3 mio. kr.: each step within 10 %.
                .status(date(300), "Grøn", "Grøn", kr(400_000.0), kr(1_900_000.0), "")
                .status(date(210), "Grøn", "Grøn", kr(900_000.0), kr(2_000_000.0), "")
                .status(date(120), "Grøn", "Gul", kr(1_300_000.0), kr(2_200_000.0), "")
                .status(date(30), "Grøn", "Gul", kr(1_700_000.0), kr(2_300_000.0), "Lidt dyrere integration"),
            &["BUDGET-FORECAST-CREEP"],
            "N2 project whose forecast creeps up from 1,9 to 2,3 mio. kr. over four reports, each step within the 10 % tolerance and the last still within 10 % of the 2,2 mio. kr. budget: +21 % since the first report.",
        ),
        sample(
            Ark::new(rules, "OS2hjemmepleje", "Planlægning af hjemmeplejens besøg", "N2", "Produkt")
                .owner(FREDERICIA, "Henrik Dahl", "henrik.dahl@fredericia.dk")
                .set(K::SteeringGroup, text("Fredericia og Helsingør Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2hjemmepleje"))
                .set(K::Sla, text("https://os2.eu/produkt/os2hjemmepleje/sla"))
                .set(K::BoardApproved, date(7 * 70))
                .set(K::Budget, kr(1_700_000.0))
                .set(K::FilledDate, date(7))
                .history(vec![
                    step(date(800), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 74), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 5"),
                    step(date(7 * 70), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 5"),
                    step(date(91), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(90), "Implementering", "Produkt", "Sekretariat", "Mail fra projektlederen"),
                ])
                .participants(&[(FREDERICIA, 800), (HELSINGOER, 700)])
                .status(date(95), "Grøn", "Grøn", kr(1_500_000.0), kr(1_650_000.0), ""),
            &["PRODUCT-NOT-IN-USE"],
            "N2 project made a product one day after it reached Implementering, with no municipality that has taken it into use (Deltagere.I drift is empty): a product is what is in use in the first municipalities.",
        ),
        sample(
            Ark::new(rules, "OS2sikkermail", "Sikker mail mellem kommuner og borgere", "N2", "Produkt")
                .owner(GENTOFTE, "Thomas Vestergaard", "thomas.vestergaard@gentofte.dk")
                .set(K::SteeringGroup, text("Gentofte, Lyngby-Taarbæk og Gladsaxe Kommune"))
                .set(K::CoordinationGroup, text("Koordinationsgruppen for OS2sikkermail"))
                .set(K::Sla, text("Driftsaftale med leverandøren: oppetid 99,5 %"))
                .set(K::BoardApproved, date(7 * 150))
                .set(K::Budget, kr(1_200_000.0))
                .set(K::FilledDate, date(10))
                .history(vec![
                    step(date(1_200), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 154), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 2"),
                    step(date(7 * 150), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 2"),
                    step(date(800), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                    step(date(500), "Implementering", "Produkt", "Sekretariat", "I drift i tre kommuner"),
                ])
                .participants(&[(GENTOFTE, 1_200), (LYNGBY, 1_100), (GLADSAXE, 900)])
                .in_use(&[(GENTOFTE, date(560)), (LYNGBY, date(540)), (GLADSAXE, date(400))])
                .drift(date(280), kr(99.5), kr(99.6), 3, "", "")
                .drift(date(190), kr(99.5), kr(99.2), 6, "", "")
                .drift(date(100), kr(99.5), kr(97.0), 9, "Skift af driftsleverandør forberedes", "")
                .drift(date(10), text("99,5 %"), text("91 %"), 12, "", "Nedbrud i oktober; leverandøren har fået en påtale"),
            &["PRODUCT-CHANGES-GROWING", "PRODUCT-SLA-BREACH"],
            "N2 product whose coordination group reports an availability of 91 % against an SLA of 99,5 % in its newest quarterly report, and a backlog of change requests growing over the last three reports (6 → 9 → 12).",
        ),
        // ------------------------------------------------------------------ issue 19: the records decide
        sample(
            Ark::new(rules, "OS2compliance", "Overblik over kommunens compliance-opgaver", "N2", "Implementering")
                .owner(AALBORG, "Signe Mølgaard", "signe.moelgaard@aalborg.dk")
                .set(K::SteeringGroup, text("Aalborg, Aarhus og Gentofte Kommune"))
                .set(K::BoardInformed, date(7 * 66))
                .set(K::BoardApproved, date(7 * 53))
                .set(K::Budget, kr(1_600_000.0))
                .set(K::FilledDate, date(20))
                .answer("F17", "Ikke relevant", "", "Hver kommune drifter selv løsningen; der er ingen fælles drift at beskrive")
                .history(vec![
                    step(date(520), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 58), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 5"),
                    step(date(7 * 53), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 5"),
                    step(date(180), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(AALBORG, 520), (AARHUS, 480), (GENTOFTE, 400)])
                .status(date(100), "Grøn", "Grøn", kr(700_000.0), kr(1_550_000.0), "")
                .status(date(10), "Grøn", "Grøn", kr(1_100_000.0), kr(1_580_000.0), ""),
            &["KRAV-SKAL-EXPLAINED", "LEVEL-BELOW-DECLARED"],
            "N2 project that marks a Skal requirement (F17, operation and maintenance described) Ikke relevant and explains why. On a Skal requirement that applies, Ikke relevant is a deviation like Nej: explained, it counts red until the secretariat assesses it in its register (KRAV-SKAL-EXPLAINED), so the project attains N1 for now (LEVEL-BELOW-DECLARED). That is the secretariat's task (a pending Vurderinger row, the digest's secretariat section), not the board's: no board item. Twins: OS2rollekatalog (an explained Ikke relevant on a Skal requirement, accepted by the secretariat: info only) and OS2kle (no explanation: an error for the board).",
        ),
        sample(
            Ark::new(rules, "OS2kle", "KLE-emnenøgler i kommunens systemer", "N2", "Implementering")
                .owner(GENTOFTE, "Mikkel Bruun", "mikkel.bruun@gentofte.dk")
                .set(K::SteeringGroup, text("Gentofte, Lyngby-Taarbæk og Frederiksberg Kommune"))
                .set(K::BoardInformed, date(7 * 70))
                .set(K::BoardApproved, date(7 * 57))
                .set(K::Budget, kr(900_000.0))
                .set(K::FilledDate, date(15))
                .answer("F17", "Ikke relevant", "", "")
                .history(vec![
                    step(date(540), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 61), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 6"),
                    step(date(7 * 57), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 6"),
                    step(date(200), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(GENTOFTE, 540), (LYNGBY, 500), (FREDERIKSBERG, 450)])
                .status(date(90), "Grøn", "Grøn", kr(300_000.0), kr(880_000.0), "")
                .status(date(12), "Grøn", "Grøn", kr(520_000.0), kr(890_000.0), ""),
            &["KRAV-SKAL-UNMET", "LEVEL-BELOW-DECLARED"],
            "N2 project that marks a Skal requirement (F17) Ikke relevant without a word of why. A Skal requirement cannot simply be declared irrelevant: without Forklaring it is unmet like a bare Nej (KRAV-SKAL-UNMET, an error), the project attains N1 (LEVEL-BELOW-DECLARED), and at N2 that reaches the board. Twin: OS2compliance (explained, awaiting the secretariat: no board item).",
        ),
        sample(
            Ark::new(rules, "OS2fordeler", "Fordeling af henvendelser til rette sagsbehandler", "N2", "Implementering")
                .owner(AALBORG, "Jens Mikkelsen", "jens.mikkelsen.aalborg.dk")
                .set(K::SteeringGroup, text("Aalborg, Odense og Helsingør Kommune"))
                .set(K::BoardInformed, date(7 * 62))
                .set(K::BoardApproved, date(7 * 49))
                .set(K::Budget, kr(1_300_000.0))
                .set(K::FilledDate, date(9))
                .history(vec![
                    step(date(480), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat"),
                    step(date(7 * 53), "Koncept", "Bestyrelsesbehandling", "Sekretariat", "Dagsorden, pkt. 3"),
                    step(date(7 * 49), "Bestyrelsesbehandling", "Igangsat", "Bestyrelse", "Bestyrelsesreferat, pkt. 3"),
                    step(date(150), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat"),
                ])
                .participants(&[(AALBORG, 480), (ODENSE, 450), (HELSINGOER, 400)])
                .status(date(95), "Grøn", "Grøn", kr(500_000.0), kr(1_250_000.0), "")
                .status(date(8), "Grøn", "Grøn", kr(800_000.0), kr(1_280_000.0), ""),
            &["DATA-EMAIL-INVALID"],
            "Good N2 project whose lead typed the e-mail address with a full stop instead of the @. A malformed address is the lead's to fix (DATA-EMAIL-INVALID); a lead is still named, so G3 (a project lead is designated) stays at most Gul, the level is kept and nothing reaches the board. (The lead gets no mail until the address is fixed; the run says so.)",
        ),
        sample(
            Ark::new(rules, "OS2opgavefordeler", "Fordeling af opgaver mellem kommunens teams", "N2", "Implementering")
                .owner(FREDERICIA, "Birgitte Lauridsen", "birgitte.lauridsen@fredericia.dk")
                .set(K::SteeringGroup, text("Fredericia, Aalborg og Ballerup Kommune"))
                .set(K::BoardInformed, date(7 * 100))
                // The board's N1 orientation, typed as the approval.
                .set(K::BoardApproved, date(7 * 100))
                .set(K::LevelPlaced, date(7 * 12))
                .set(K::LevelPlacedBy, text("OS2-sekretariatet (hævet fra N1)"))
                .set(K::Budget, kr(1_400_000.0))
                .set(K::FilledDate, date(11))
                .decision(7 * 100, "Godkendelse", "Orienteret; projektet godkendt som niveau 1-projekt", None)
                .placed(800, "N1", "Sekretariat", "Sekretariatsnotat")
                .placed(7 * 12, "N2", "Sekretariat", "Sekretariatsnotat: hævet til niveau 2, da seks kommuner nu deltager")
                .history(vec![
                    step(date(800), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat").at_level("N1"),
                    step(date(7 * 95), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat").at_level("N1"),
                    step(date(7 * 60), "Igangsat", "Implementering", "Styregruppe", "Styregruppereferat").at_level("N1"),
                ])
                .participants(&[(FREDERICIA, 800), (AALBORG, 600), (BALLERUP, 400)])
                .status(date(80), "Grøn", "Grøn", kr(600_000.0), kr(1_350_000.0), "")
                .status(date(7), "Grøn", "Grøn", kr(900_000.0), kr(1_380_000.0), ""),
            &["KRAV-CROSSCHECK", "LEVEL-BELOW-DECLARED", "PHASE-BOARD-APPROVAL-MISSING"],
            "N1 project raised to N2 by the secretariat twelve weeks ago (its register, Placeringer), which keeps its old 'Bestyrelse godkendt' from the N1 orientation 100 weeks ago. An approval counts for a level only when dated on or after the placement at that level: the N2 gate has no approval (PHASE-BOARD-APPROVAL-MISSING, G5 red, LEVEL-BELOW-DECLARED), and the board gets one Beslutning point saying that the decision log has no approval at N2 after the placement. Legitimate twin: OS2web, raised by the board itself (Type Niveau in the log).",
        ),
        sample(
            Ark::new(rules, "OS2bibliotek", "Fælles selvbetjening for folkebibliotekerne", "N1", "Igangsat")
                .owner(LYNGBY, "Anders Winther", "anders.winther@ltk.dk")
                .set(K::BoardInformed, date(7 * 14))
                .set(K::LevelPlaced, date(420))
                .set(K::LevelPlacedBy, text("OS2-sekretariatet"))
                .set(K::Budget, kr(700_000.0))
                .set(K::FilledDate, date(6))
                .placed(420, "N2", "Sekretariat", "Sekretariatsnotat")
                .placed(7 * 14, "N1", "Sekretariat", "Sekretariatsnotat: sænket til niveau 1 efter aftale med projektlederen")
                .history(vec![
                    step(date(420), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat").at_level("N2"),
                    step(date(7 * 8), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                ])
                .participants(&[(LYNGBY, 420), (GENTOFTE, 380)])
                .status(date(20), "Grøn", "Grøn", kr(90_000.0), kr(680_000.0), ""),
            &[
                "LEVEL-BELOW-DECLARED",
                "LEVEL-PLACEMENT-UNAUTHORISED",
                "PHASE-BOARD-APPROVAL-MISSING",
                "PHASE-TRANSITION-NOT-ALLOWED",
            ],
            "N2 concept lowered to N1 by the secretariat alone (its register, Placeringer) and then started without the board. A change away from a level whose board approves concepts is the board's decision, and the decision log has none: the lowering does not count, the project is judged at N2, and the start without approval reaches the board as one Beslutning point naming the missing log entry. Legitimate twin: OS2udbud, lowered by the board (Type Niveau in the log) and then started – clean.",
        ),
        sample(
            Ark::new(rules, "OS2udbud", "Fælles udbudsmateriale for kommunerne", "N1", "Igangsat")
                .owner(BALLERUP, "Sara Holst", "sara.holst@balk.dk")
                .set(K::BoardInformed, date(7 * 14))
                .set(K::LevelPlaced, date(7 * 14))
                .set(K::LevelPlacedBy, text("Bestyrelsen (sænket fra N2)"))
                .set(K::Budget, kr(650_000.0))
                .set(K::FilledDate, date(6))
                .level_decision(7 * 14, "N1", "Sænket fra niveau 2 til niveau 1; videreføres som niveau 1-projekt")
                .placed(420, "N2", "Sekretariat", "Sekretariatsnotat")
                .placed(7 * 14, "N1", "Bestyrelse", "Bestyrelsesreferat")
                .history(vec![
                    step(date(420), "Idé", "Koncept", "Sekretariat", "Sekretariatsnotat").at_level("N2"),
                    step(date(7 * 8), "Koncept", "Igangsat", "Sekretariat", "Sekretariatsnotat"),
                ])
                .participants(&[(BALLERUP, 420), (GLADSAXE, 380)])
                .status(date(20), "Grøn", "Grøn", kr(80_000.0), kr(630_000.0), ""),
            &[],
            "Clean N2 concept lowered to N1 by the board (Type Niveau, Niveau N1 in the decision log, on a meeting) and then started by the secretariat, as an N1 project may. Twin of OS2bibliotek.",
        ),
    ];
    all.sort_by_key(|s| s.file());
    all
}

/// What the codes in the table mean (English), for the README's legend.
fn meaning(code: &str) -> &'static str {
    match code {
        "BUDGET-MISSING" => "started, but Budget (kr.) is empty",
        "BUDGET-OVERRUN" => "newest Forbrug > Budget, or newest Prognose > Budget × (1 + budget_tolerance_pct)",
        "DATA-CVR-INVALID" => "a CVR that is not 8 digits passing modulus 11",
        "DATA-EMAIL-INVALID" => "an e-mail address that cannot be one",
        "DATA-LICENSE-NOT-DEFAULT" => "an OSI licence other than MPL-2.0 (needs a board decision)",
        "INPUT-FUTURE-DATE" => "a date after the as-of date",
        "KRAV-ASSESSMENT-DIFFERS" => "the secretariat's Vurdering differs from the computed light",
        "KRAV-BOER-EXPLAINED" => "a Bør requirement answered Nej, with Forklaring",
        "KRAV-BOER-UNEXPLAINED" => "a Bør requirement answered Nej, without Forklaring",
        "KRAV-CROSSCHECK" => "a Ja contradicted by the facts in the sheet",
        "KRAV-NA-UNEXPLAINED" => "Ikke relevant without Forklaring",
        "KRAV-NO-EVIDENCE" => "Ja without Dokumentation",
        "KRAV-SKAL-EXPLAINED" => "a Skal requirement answered Nej, with Forklaring (known deviation)",
        "KRAV-SKAL-UNMET" => "a Skal requirement answered Nej, without Forklaring",
        "KRAV-UNSURE" => "answered Ved ikke",
        "LEVEL-BELOW-DECLARED" => "the attained level is below the declared Niveau",
        "PHASE-BOARD-APPROVAL-MISSING" => "N2/N3 at or past Igangsat without board approval",
        "PHASE-BOARD-APPROVAL-LATE" => "the board's approval is dated after the project started",
        "PHASE-BOARD-APPROVAL-UNMATCHED" => "an approval date that is no listed meeting and no board-decided step",
        "PHASE-BOARD-REAPPROVAL-MISSING" => {
            "restarted after a backflow out of Igangsat/Implementering without a new approval"
        }
        "PHASE-RESUME-WRONG" => "a pause resumed in another phase than the one it left",
        "PHASE-HISTORY-MISSING" => "past Idé with an empty Historik (error where the approval cannot be verified)",
        "PRODUCT-TYPE-MISMATCH" => "Type (Projekt/Produkt) disagrees with Fase",
        "LEVEL-NOT-PLACED" => "past Idé, but the secretariat's level placement is not recorded",
        "PHASE-DECIDER-WRONG" => "a Historik step decided by another body than Overgange names",
        "PHASE-REASON-MISSING" => "a backflow or stop without a known Årsag, or Årsag ANDET without Bemærkning",
        "PHASE-TRANSITION-NOT-ALLOWED" => "a Historik step not in Overgange for the level",
        "PRODUCT-NO-COORDINATION" => "a product without Koordinationsgruppe",
        "PRODUCT-NO-SLA" => "a product without SLA",
        "SELFEVAL-STALE" => "Udfyldt dato older than selvevaluering_maks_dage (183)",
        "BUDGET-GROWTH" => "the budget has grown more than budget_tolerance_pct since the approval",
        "BUDGET-UNTRACED" => {
            "the budget differs from the approved budget plus the logged changes (or last run's) with no change logged"
        }
        "BUDGET-FORECAST-CREEP" => {
            "the forecast has risen more than the tolerance since the baseline or the first report"
        }
        "PRODUCT-NOT-IN-USE" => "made a product before enough organisations had it in use (Deltagere.I drift)",
        "PRODUCT-SLA-BREACH" => "the coordination group's newest report measures less than the SLA target",
        "PRODUCT-CHANGES-GROWING" => "open change requests grew over the last three operations reports",
        "STATUS-RED" => "the newest status report is Rød",
        "STATUS-STALE" => "the newest status report is older than statusrapport_maks_dage (92)",
        "DATA-URL-INVALID" => "a link field (Repository) that is not an http(s) URL; the Ja keeps at most Gul",
        "DECISION-MISMATCH" => {
            "a claimed board decision the log has on another date (within 31 days) or with another amount; the log's counts"
        }
        "DECISION-NOT-LOGGED" => {
            "a board decision the projektark claims and the decision log lacks (an error, and a board item, when believing it would approve, stop or legitimise something)"
        }
        "KRAV-ASSESSMENT-NOT-RECORDED" => {
            "a Vurdering typed into the projektark that the secretariat's register does not hold; not used"
        }
        "LEVEL-PLACEMENT-DIFFERS" => {
            "'Niveau placeret (dato)/af' in the projektark differ from the register and the log; not used"
        }
        "LEVEL-PLACEMENT-UNAUTHORISED" => {
            "a change away from a level the board approves, without the board's logged decision; the level stays"
        }
        _ => "see the spec's table of finding codes",
    }
}

/// The README of the samples folder.
pub fn readme(samples: &[Sample]) -> String {
    let mut s = String::new();
    let clean = samples.iter().filter(|x| x.expected.is_empty()).count();
    s.push_str("# samples – a working folder to try os2gov on\n\n");
    s.push_str("<!-- Generated by `cargo run --example make_samples -- samples`. Do not edit by hand: change examples/make_samples.rs and regenerate. -->\n\n");
    s.push_str(&format!(
        "This folder is what `os2gov init` makes – a configuration (`os2gov.toml`), the governance workbook (`styringsmodel.xlsx`, the default *styringsmodel* with OS2's 2025 requirement catalogue, its board meetings and its decision log, authoritative from `beslutningslog_fra` = 01-01-2024), the secretariat's register (`sekretariat.xlsx`: its level placements and its assessments of explained deviations) and an inbox (`indsendt/`) – filled with {} example *projektark* (intake workbooks), as the OS2 secretariat would receive them. {} are clean; the others contain the mistakes projects really make – including the routes around the board's and the secretariat's records that the records catch.\n\n",
        samples.len(),
        clean
    ));
    s.push_str("## Run it\n\nFrom the repository root:\n\n```sh\n");
    s.push_str(RUN_COMMAND);
    s.push_str("\n```\n\n");
    s.push_str(&format!(
        "Every date in the samples is relative to **{}** (26. november 2026), so always pass `--as-of {AS_OF}`: with today's date the status reports and self-assessments would slowly go stale. The command exits with code 1 because some samples contain errors (*fejl*); add `--fail-on never` to get 0. Other useful variants:\n\n",
        AS_OF
    ));
    s.push_str(&format!(
        "```sh\n{RUN_COMMAND} --format json --fail-on never   # the findings as JSON\n{RUN_COMMAND} --lang en                          # messages in English\ncargo run --release -- check --config samples/os2gov.toml --as-of {AS_OF} samples/indsendt/OS2faktor.xlsx   # one file\ncargo run --release -- rules --config samples/os2gov.toml --as-of {AS_OF}   # the styringsmodel's summary\n```\n\n"
    ));
    s.push_str(&format!("The monthly batch on the samples (nothing is sent):\n\n```sh\ncargo run --release -- run --config samples/os2gov.toml --as-of {AS_OF}\n```\n\n"));
    s.push_str("Outputs of later commands go to `samples/ud/`, which is git-ignored. The register `sekretariat.xlsx` is part of the samples, complete, and the samples' `os2gov.toml` sets `tilfoej_ventende = false`, so a run does not append the rows waiting for the secretariat to it (they are on the portfolio's sheet *Til sekretariatet*): running the batch leaves every tracked file in `samples/` as it is.\n\n");
    s.push_str("## The samples\n\n");
    s.push_str("*Expected findings* are the distinct finding codes each projektark is meant to give, and *Board* the sections of the board's agenda (*Til bestyrelsen*) it is meant to appear in, both written by hand in the generator; `tests/it/samples.rs` checks that `os2gov check` gives exactly these findings and that the monthly run (`os2gov run`) puts exactly these items before the board.\n\n");
    s.push_str("| File | Projekt-ID | Level | Phase | Expected findings | Board |\n");
    s.push_str("|---|---|---|---|---|---|\n");
    for x in samples {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            x.file(),
            x.id,
            x.level,
            x.phase,
            x.expected_text(),
            x.board_text()
        ));
    }
    s.push_str("\n## What each sample shows\n\n");
    for x in samples {
        s.push_str(&format!("- **{}** ({} · {}): {}\n", x.id, x.level, x.phase, x.story));
    }
    let mut codes: Vec<&str> = samples.iter().flat_map(|x| x.expected.iter().copied()).collect();
    codes.sort_unstable();
    codes.dedup();
    s.push_str("\n## The codes in the table\n\n| Code | Severity | Means |\n|---|---|---|\n");
    for c in codes {
        let severity = Code::parse(c).map(|c| c.severity().code()).unwrap_or("?");
        s.push_str(&format!("| {c} | {severity} | {} |\n", meaning(c)));
    }
    s.push_str("\n## About the data\n\n");
    s.push_str("All of it is fictitious. The product names are real OS2 products and the municipalities are real, so the examples are recognisable, but the levels, phases, budgets and histories do not describe the real products, and the people are invented (their e-mail addresses use the municipalities' real domain style). The CVR numbers of the participants pass the modulus-11 check (weights 2, 7, 6, 5, 4, 3, 2, 1); look a number up on cvr.dk before you reuse it. Board decisions fall on Thursdays, like OS2's board meetings. Amounts are in kroner excluding VAT.\n");
    s
}

/// Loads tables of a styringsmodel as the checks would read them.
fn model_rules(sheets: &[os2gov::model::defaults::SheetData]) -> Result<Rules, Box<dyn Error>> {
    let tmp = tempfile::tempdir()?;
    let path = tmp.path().join("model.xlsx");
    os2gov::render::styringsmodel::write_model(&path, sheets)?;
    let bytes = std::fs::read(&path)?;
    Ok(os2gov::load::styringsmodel::load_rules(&bytes, as_of())
        .map_err(|f| format!("invalid default model: {f:?}"))?
        .rules)
}

/// Writes the whole folder. Returns the samples written.
pub fn generate(dir: &Path) -> Result<Vec<Sample>, Box<dyn Error>> {
    let inbox = dir.join("indsendt");
    std::fs::create_dir_all(&inbox)?;
    os2gov::sys::fs::write_atomic(&dir.join(os2gov::config::settings::CONFIG_FILE), config().as_bytes())?;
    // The samples are written against the default model; the model written to the folder
    // also lists the past board meetings the samples refer to, as a secretariat's would.
    let default = os2gov::model::defaults::default_model(as_of());
    let rules = model_rules(&default)?;
    let samples = samples(&rules);
    let mut model = default;
    let mut past: Vec<NaiveDate> = samples.iter().flat_map(|x| x.meetings.iter().copied()).collect();
    past.sort_unstable();
    past.dedup();
    if let Some(sheet) = model.iter_mut().find(|s| s.name == "Bestyrelsesmøder") {
        let mut rows: Vec<Vec<Value>> = past
            .iter()
            .filter(|d| **d < as_of())
            .map(|d| vec![Value::Date(*d), text("Bestyrelsesmøde (referat på os2.eu)")])
            .collect();
        rows.extend(sheet.rows.iter().filter(|r| matches!(r[0], Value::Date(d) if d >= as_of())).cloned());
        sheet.rows = rows;
    }
    // The decision log is the authority on the board's decisions from 01-01-2024.
    if let Some(sheet) = model.iter_mut().find(|s| s.name == "Parametre") {
        for row in sheet.rows.iter_mut() {
            if row.contains(&text(os2gov::model::rules::Params::DECISION_LOG_FROM)) {
                row[1] = Value::Date(SAMPLES_LOG_FROM);
            }
        }
    }
    // The decision log as the secretariat keeps it from the minutes.
    if let Some(sheet) = model.iter_mut().find(|s| s.name == "Beslutninger") {
        let mut rows: Vec<Vec<Value>> = samples.iter().flat_map(|x| x.decisions.iter().cloned()).collect();
        rows.sort_by_key(|r| match &r[0] {
            Value::Date(d) => *d,
            _ => NaiveDate::MIN,
        });
        sheet.rows = rows;
    }
    let model_path = dir.join("styringsmodel.xlsx");
    os2gov::render::styringsmodel::write_model(&model_path, &model)?;
    let bytes = std::fs::read(&model_path)?;
    let rules = os2gov::load::styringsmodel::load_rules(&bytes, as_of())
        .map_err(|f| format!("the styringsmodel just written is invalid: {f:?}"))?
        .rules;

    for x in &samples {
        for code in x.expected {
            if Code::parse(code).is_none() {
                return Err(format!("{}: unknown finding code {code}", x.id).into());
            }
        }
    }
    // The inbox holds exactly the samples: remove workbooks left from older versions.
    let wanted: Vec<String> = samples.iter().map(Sample::file).collect();
    for entry in std::fs::read_dir(&inbox)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.extension().is_some_and(|e| e == "xlsx") && !wanted.iter().any(|w| w == name) {
            std::fs::remove_file(&path)?;
        }
    }
    // A fixed creation date keeps the workbooks byte-for-byte reproducible.
    let created = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 11, 26)?;
    let properties = rust_xlsxwriter::DocProperties::new()
        .set_author("OS2-sekretariatet (eksempel)")
        .set_creation_datetime(&created);
    for x in &samples {
        let mut workbook = build_projektark(&rules, &x.filled)?;
        workbook.set_properties(&properties);
        os2gov::xlsx::save_workbook(&mut workbook, &inbox.join(x.file()))?;
    }
    // The secretariat's register, complete: the samples exercise the authoritative path
    // (no migration), and a run does not append to it (`tilfoej_ventende = false`).
    let mut register = Additions::default();
    for x in &samples {
        register.placements.extend(x.register.placements.iter().cloned());
        register.assessments.extend(x.register.assessments.iter().cloned());
    }
    register.placements.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.project.cmp(&b.project)));
    register.assessments.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.project.cmp(&b.project)));
    os2gov::render::register::write_register(&dir.join(REGISTER_FILE), &rules, &register)?;
    os2gov::sys::fs::write_atomic(&dir.join("README.md"), readme(&samples).as_bytes())?;
    Ok(samples)
}

/// The secretariat's register in the samples folder.
pub const REGISTER_FILE: &str = "sekretariat.xlsx";

/// `init`'s configuration, except that a run does not append to the bundled register.
pub fn config() -> String {
    let template = os2gov::config::settings::CONFIG_TEMPLATE;
    let (on, off) = ("tilfoej_ventende = true ", "tilfoej_ventende = false");
    assert!(template.contains(on), "the configuration template has no '{on}'");
    template.replacen(on, off, 1)
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir: PathBuf =
        std::env::args_os().nth(1).map(PathBuf::from).ok_or("usage: cargo run --example make_samples -- FOLDER")?;
    let samples = generate(&dir)?;
    let clean = samples.iter().filter(|s| s.expected.is_empty()).count();
    println!(
        "Wrote {} projektark ({clean} clean) to {}, with os2gov.toml, styringsmodel.xlsx and README.md.",
        samples.len(),
        dir.join("indsendt").display()
    );
    println!("Try it:  {RUN_COMMAND}");
    Ok(())
}
