//! The projektark layout: sheet names, Projekt fields and table columns, with
//! the guidance shown to project staff. Shared by the template writer and the loader so
//! the two cannot drift apart. Names are the contract; do not translate them.

pub const PROJEKT: &str = "Projekt";
pub const KRAV: &str = "Krav";
pub const HISTORIK: &str = "Historik";
pub const DELTAGERE: &str = "Deltagere";
pub const STATUS: &str = "Status";
pub const BUDGETAENDRINGER: &str = "Budgetændringer";
pub const DRIFT: &str = "Drift";
pub const VEJLEDNING: &str = "Vejledning";
pub const KONTROL: &str = "Kontrol";

/// What a Projekt field holds, which decides how it is read, formatted and validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Id,
    Email,
    Date,
    Amount,
    Level,
    Phase,
    ProjectKind,
    Url,
    Licence,
}

/// One row of the Projekt sheet.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub key: FieldKey,
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub required: bool,
    pub kind: FieldKind,
    pub guide: &'static str,
}

/// The Projekt fields by meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldKey {
    Id,
    Name,
    Purpose,
    Benefit,
    Kind,
    Organisation,
    Lead,
    LeadEmail,
    Level,
    LevelPlaced,
    LevelPlacedBy,
    Phase,
    SteeringGroup,
    CoordinationGroup,
    Sla,
    BoardInformed,
    BoardApproved,
    Licence,
    Repository,
    Budget,
    BudgetBaseline,
    FilledBy,
    FilledDate,
}

const fn field(key: FieldKey, name: &'static str, required: bool, kind: FieldKind, guide: &'static str) -> Field {
    Field { key, name, aliases: &[], required, kind, guide }
}

pub const FIELDS: &[Field] = &[
    field(
        FieldKey::Id,
        "Projekt-ID",
        true,
        FieldKind::Id,
        "Projektets faste ID: bogstaver, tal, - og _ (fx OS2iot). Bruges som filnavn; ændr det ikke.",
    ),
    field(FieldKey::Name, "Navn", true, FieldKind::Text, "Projektets eller produktets navn."),
    field(
        FieldKey::Purpose,
        "Formål",
        false,
        FieldKind::Text,
        "Hvad løsningen skal gøre, og for hvem – i et par sætninger. Bestyrelsen læser det, når konceptet skal vurderes og prioriteres.",
    ),
    field(
        FieldKey::Benefit,
        "Forventet gevinst",
        false,
        FieldKind::Text,
        "Den gevinst, I forventer – fx sparet tid eller penge, bedre service – og for hvor mange kommuner.",
    ),
    field(FieldKey::Kind, "Type", false, FieldKind::ProjectKind, "Projekt (under udvikling) eller Produkt (i drift)."),
    field(
        FieldKey::Organisation,
        "Ansvarlig organisation",
        true,
        FieldKind::Text,
        "Den organisation, der ejer projektet, fx Aarhus Kommune.",
    ),
    field(FieldKey::Lead, "Projektleder", true, FieldKind::Text, "Navn på projektleder eller tovholder."),
    field(
        FieldKey::LeadEmail,
        "Projektleder e-mail",
        true,
        FieldKind::Email,
        "Projektlederens e-mailadresse; her sendes tilbagemeldingen til.",
    ),
    field(FieldKey::Level, "Niveau", true, FieldKind::Level, "Det niveau, projektet er placeret på (vælg fra listen)."),
    field(
        FieldKey::LevelPlaced,
        "Niveau placeret (dato)",
        false,
        FieldKind::Date,
        "Udfyldes ikke her: sekretariatets placering står i sekretariatets register og vises her og i fanen Kontrol.",
    ),
    field(
        FieldKey::LevelPlacedBy,
        "Niveau placeret af",
        false,
        FieldKind::Text,
        "Udfyldes ikke her: hvem der placerede projektet, står i sekretariatets register og vises her.",
    ),
    field(
        FieldKey::Phase,
        "Fase",
        true,
        FieldKind::Phase,
        "Den fase, projektet er i nu (vælg fra listen). Skriv skiftet i fanen Historik.",
    ),
    field(
        FieldKey::SteeringGroup,
        "Styregruppe",
        false,
        FieldKind::Text,
        "Medlemmer eller link til kommissorium. Påkrævet fra niveau 2.",
    ),
    field(
        FieldKey::CoordinationGroup,
        "Koordinationsgruppe",
        false,
        FieldKind::Text,
        "Medlemmer eller link til kommissorium. Forventes for produkter.",
    ),
    field(
        FieldKey::Sla,
        "SLA",
        false,
        FieldKind::Text,
        "Aftale om service og drift (link eller kort beskrivelse). Forventes for produkter.",
    ),
    field(
        FieldKey::BoardInformed,
        "Bestyrelse orienteret (dato)",
        false,
        FieldKind::Date,
        "Datoen for bestyrelsesmødet, hvor bestyrelsen blev orienteret (dd-mm-åååå).",
    ),
    field(
        FieldKey::BoardApproved,
        "Bestyrelse godkendt (dato)",
        false,
        FieldKind::Date,
        "Datoen for bestyrelsens godkendelse (dd-mm-åååå). Påkrævet fra niveau 2.",
    ),
    field(
        FieldKey::Licence,
        "Licens",
        false,
        FieldKind::Licence,
        "Licensens SPDX-id, fx MPL-2.0 (OS2's standard). Andre OSI-licenser kræver en bestyrelsesbeslutning.",
    ),
    field(
        FieldKey::Repository,
        "Repository",
        false,
        FieldKind::Url,
        "Link til det offentlige repository, fx https://github.com/OS2iot/os2iot.",
    ),
    field(
        FieldKey::Budget,
        "Budget (kr.)",
        false,
        FieldKind::Amount,
        "Det gældende samlede budget i kroner ekskl. moms. Ændres det, så skriv ændringen i fanen Budgetændringer.",
    ),
    field(
        FieldKey::BudgetBaseline,
        "Budget ved godkendelse (kr.)",
        false,
        FieldKind::Amount,
        "Budgettet, som det blev godkendt, da projektet blev igangsat (baseline). Ændres ikke bagefter; ændringer skrives i Budgetændringer.",
    ),
    field(FieldKey::FilledBy, "Udfyldt af", false, FieldKind::Text, "Hvem der har udfyldt arket."),
    field(FieldKey::FilledDate, "Udfyldt dato", true, FieldKind::Date, "Datoen for denne selvevaluering (dd-mm-åååå)."),
];

pub fn field_def(key: FieldKey) -> &'static Field {
    FIELDS.iter().find(|f| f.key == key).expect("every key has a field")
}

/// The projektark cells that show the secretariat's record (its register) and are never
/// believed: greyed in the template, written by os2gov into the annotated copy.
pub const DISPLAY_FIELDS: [FieldKey; 2] = [FieldKey::LevelPlaced, FieldKey::LevelPlacedBy];
pub const DISPLAY_KRAV_COLS: [&str; 2] = ["Vurdering", "Vurderingsgrundlag"];

/// Krav columns, in the order the template writes them: the requirement (ID and text,
/// frozen at the left), the lead's answer right after it (Efterlevet, Dokumentation,
/// Forklaring), the secretariat's assessment, then the rest of the catalogue row for
/// reference. The loader finds columns by name, so workbooks in the older order
/// ([`KRAV_COLS_2025`]) still load.
pub const KRAV_COLS: [&str; 12] = [
    "ID",
    "Krav",
    "Efterlevet",
    "Dokumentation",
    "Forklaring",
    "Vurdering",
    "Vurderingsgrundlag",
    "Type",
    "Fra fase",
    "Niveau",
    "Tema",
    "Vejledning",
];
/// The Krav columns as templates before November 2026 wrote them (the catalogue first,
/// the answers from column H).
pub const KRAV_COLS_2025: [&str; 12] = [
    "ID",
    "Tema",
    "Niveau",
    "Type",
    "Fra fase",
    "Krav",
    "Vejledning",
    "Efterlevet",
    "Dokumentation",
    "Forklaring",
    "Vurdering",
    "Vurderingsgrundlag",
];
/// The columns filled from the styringsmodel (grey and locked in the template).
pub const KRAV_PREFILLED: [&str; 7] = ["ID", "Tema", "Niveau", "Type", "Fra fase", "Krav", "Vejledning"];
/// The columns the lead fills in, in [`crate::model::filled::KravAnswer`]'s order, then
/// the secretariat's two.
pub const KRAV_ANSWERS: [&str; 5] = ["Efterlevet", "Dokumentation", "Forklaring", "Vurdering", "Vurderingsgrundlag"];
/// Columns frozen at the left of Krav: ID and the requirement text.
pub const KRAV_FROZEN_COLS: u16 = 2;

/// The position of a Krav column in the template.
pub fn krav_col(name: &str) -> u16 {
    KRAV_COLS.iter().position(|c| *c == name).expect("a Krav column") as u16
}

/// Historik columns. Niveau (optional) is the level in force at the step; blank = the
/// declared level. It is last so that sheets written before it existed keep their layout.
pub const HISTORIK_COLS: [&str; 8] = ["Dato", "Fra", "Til", "Beslutter", "Reference", "Årsag", "Bemærkning", "Niveau"];
pub const DELTAGERE_COLS: [&str; 6] = ["Organisation", "Type", "CVR", "Tilsluttet (dato)", "Kontakt", "I drift (dato)"];
/// One row per decided change of the budget, oldest first.
pub const BUDGET_COLS: [&str; 6] = ["Dato", "Fra (kr.)", "Til (kr.)", "Besluttet af", "Reference", "Begrundelse"];
/// One row per quarter from the coordination group, once the project is a product.
pub const DRIFT_COLS: [&str; 6] =
    ["Dato", "SLA-mål (%)", "Målt (%)", "Åbne ændringsønsker", "Arkitekturændringer", "Bemærkning"];
pub const STATUS_COLS: [&str; 6] = ["Dato", "Fremdrift", "Økonomi", "Forbrug (kr.)", "Prognose (kr.)", "Bemærkning"];

/// The guidance sheet of a projektark, in plain Danish: (heading, text).
pub const GUIDE: &[(&str, &str)] = &[
    (
        "Sådan bruger du arket",
        "Dette projektark er jeres selvevaluering over for OS2's styringsmodel. Udfyld fanerne Projekt, Krav, Historik, Deltagere og Status, gem filen som .xlsx og send den til OS2-sekretariatet. I får arket tilbage med en fane 'Kontrol', der viser, hvad der mangler; farvede celler har en note med forklaringen. Ret i det ark, I får tilbage, gem det under samme navn, og send det til sekretariatet igen – så erstatter det den gamle udgave.",
    ),
    (
        "Projekt",
        "Stamdata om projektet. Felter med fed skrift skal udfyldes. Vælg niveau og fase fra listerne. Sekretariatet placerer projektet på et niveau; de grå felter 'Niveau placeret (dato)' og 'Niveau placeret af' udfyldes ikke her – de viser sekretariatets register. Type er Projekt indtil fasen Produkt, derefter Produkt. Datoer skrives dd-mm-åååå, beløb i kroner ekskl. moms. En pladsholder som '-', 'x' eller 'ingen' i Styregruppe, Koordinationsgruppe og SLA tæller som tomt.",
    ),
    (
        "Krav",
        "Ét krav pr. række: kravet står til venstre, og jeres svar skrives lige ved siden af i de hvide felter – Efterlevet, Dokumentation og Forklaring. De grå kolonner kommer fra styringsmodellen og er låst (arket er beskyttet uden adgangskode; Gennemse → Fjern arkbeskyttelse, hvis I har brug for det). Udfyld Efterlevet for alle krav på jeres niveau og niveauerne under: Ja, Nej, Ikke relevant eller Ved ikke. Skriv et link eller en henvisning i Dokumentation, når svaret er Ja. Vejledningen til et krav vises, når I klikker i feltet Efterlevet, og står i kolonnen Vejledning længst til højre. Kolonnen Fra fase viser, hvornår kravet skal være opfyldt: en idé skal kun svare på de krav, der gælder fra Idé; resten kan besvares, når projektet når dertil.",
    ),
    (
        "Følg eller forklar",
        "Et krav, I ikke opfylder, er ikke i sig selv en fejl – men det skal forklares. Svarer I Nej eller Ikke relevant, så skriv i Forklaring hvorfor, og hvad I gør i stedet. Et Nej uden forklaring til et Skal-krav er en fejl; med forklaring er det en kendt afvigelse.",
    ),
    (
        "Vurdering",
        "Udfyldes ikke her: sekretariatets vurdering står i sekretariatets register og vises i fanen Kontrol. De grå kolonner Vurdering og Vurderingsgrundlag viser den i den kopi, I får tilbage; en vurdering skrevet her bruges ikke. Sekretariatets vurdering (Grøn, Gul, Rød eller Grå) går forud for den beregnede farve, så længe svaret er det samme.",
    ),
    (
        "Farverne",
        "Grøn: opfyldt og dokumenteret. Gul: delvist – Ja uden dokumentation, eller Ved ikke. Rød: ikke opfyldt (Nej). Grå: ikke relevant. Et niveau er opnået, når ingen Skal-krav på niveauet og under er røde eller uudfyldte.",
    ),
    (
        "Historik",
        "Én række pr. faseskift, ældste først: dato, fra-fase, til-fase, hvem der besluttede, en reference (fx referat) og ved tilbageløb eller stop en årsag fra listen (ved Andet: forklar i Bemærkning). Den sidste Til-fase skal være den fase, der står i fanen Projekt. Niveau 2 og 3 skal godkendes af bestyrelsen (Bestyrelsesbehandling → Igangsat, besluttet af Bestyrelse), før projektet igangsættes – og igen, hvis det er gået tilbage fra Igangsat eller Implementering. En pause (Pauseret) genoptages i den fase, projektet forlod. Er projektet skiftet niveau undervejs, så skriv det niveau, der gjaldt ved skiftet, i kolonnen Niveau (tom = niveauet i fanen Projekt).",
    ),
    (
        "Deltagere",
        "De organisationer, der deltager, med CVR-nummer (8 cifre) og dato for tilslutning. Niveau 1 og op kræver mindst to organisationer, fra fasen Koncept. I drift (dato) er datoen, hvor organisationen tog løsningen i brug; før skiftet til Produkt skal mindst niveauets mindste antal organisationer (og mindst én) have løsningen i drift.",
    ),
    (
        "Status",
        "Fremdrift og økonomi, mindst hvert kvartal, når projektet er igangsat: dato, Grøn/Gul/Rød for fremdrift og økonomi, forbrug og prognose i kroner.",
    ),
    (
        "Budgetændringer",
        "Budgettet ved godkendelse (fanen Projekt) er udgangspunktet. Hver ændring af budgettet skrives her med dato, fra og til beløb, hvem der besluttede den (på niveau 2 og 3: Bestyrelse), en reference til referatet og en begrundelse. Budget (kr.) i fanen Projekt skal være det sidste Til-beløb.",
    ),
    (
        "Drift",
        "Når projektet er et produkt, skriver koordinationsgruppen en række pr. kvartal: dato, SLA-målet og den målte oppetid i procent, antal åbne ændringsønsker, arkitekturændringer og en bemærkning.",
    ),
    // The contact is added from the styringsmodel's Modtagere (role Sekretariat).
    ("Hjælp", "Spørgsmål til arket? Kontakt OS2-sekretariatet."),
];
