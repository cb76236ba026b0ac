//! The default styringsmodel that `os2gov init` writes: the 2025 requirement catalogue
//! (embedded CSV data from `data/krav-2025.csv`) and the seed levels, phases, transitions,
//! reasons and parameters, as plain tables. Only `init` (as a draft), the samples and
//! tests use this; checks always read the rules from the workbook.

use crate::model::cell::Value;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The requirement catalogue as shipped (OS2's 2025 model).
/// The Krav column holding the wording(s) OS2's own published forms use for a requirement
/// (the 2025 template's), one per line: `os2gov import` recognises them as that requirement.
pub const OFFICIAL_WORDING: &str = "OS2's ordlyd";

pub const CATALOGUE_CSV: &str = include_str!("../../data/krav-2025.csv");

/// One sheet of the default styringsmodel.
#[derive(Clone, Debug)]
pub struct SheetData {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Value>>,
}

/// Parses simple RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The catalogue rows: id, tema, niveau, type, krav, vejledning, krydstjek, fra_fase.
pub fn catalogue() -> Vec<[String; 9]> {
    parse_csv(CATALOGUE_CSV)
        .into_iter()
        .skip(1)
        .filter(|r| r.len() >= 6)
        .map(|mut r| {
            r.resize(9, String::new());
            std::array::from_fn(|i| r[i].clone())
        })
        .collect()
}

fn row(values: &[&str]) -> Vec<Value> {
    values.iter().map(|v| Value::from(*v)).collect()
}

/// The second Thursday of a month: a typical board meeting day.
fn second_thursday(year: i32, month: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let offset = (7 + Weekday::Thu.num_days_from_monday() as i64 - first.weekday().num_days_from_monday() as i64) % 7;
    first + Duration::days(offset + 7)
}

/// Example board meetings: the second Thursday of March, June, September and December,
/// this year and next.
pub fn example_meetings(today: NaiveDate) -> Vec<NaiveDate> {
    let mut dates = Vec::new();
    for year in [today.year(), today.year() + 1] {
        for month in [3, 6, 9, 12] {
            dates.push(second_thursday(year, month));
        }
    }
    dates
}

/// The styringsmodel `os2gov init` writes: the default model as a draft. Nobody has
/// approved it yet, so Godkendelsesdato is left blank and a Bemærkning column on Dokument
/// says what to fill in once the board has approved the model (no invented approval).
pub fn draft_model(today: NaiveDate) -> Vec<SheetData> {
    let mut sheets = default_model(today);
    if let Some(doc) = sheets.iter_mut().find(|s| s.name == "Dokument") {
        doc.headers.push("Bemærkning");
        doc.widths.push(70.0);
        for row in &mut doc.rows {
            let field = match row.first() {
                Some(Value::Text(t)) => t.clone(),
                _ => String::new(),
            };
            let note = match field.as_str() {
                "Godkendelsesdato" => {
                    row[1] = Value::Blank;
                    "Kladde: modellen er ikke godkendt. Skriv datoen for bestyrelsens godkendelse her, når den foreligger."
                }
                "Godkender" => "Den, der godkender modellen (OS2's bestyrelse).",
                "Revisionsdato" => "Forslag: et år fra oprettelsen. Ret den, når bestyrelsen har fastsat en dato.",
                "Version" => "Kravkatalogets version (2025-kataloget). Stemples på alt, os2gov skriver.",
                _ => "",
            };
            row.push(Value::from(note));
        }
    }
    sheets
}

/// The default styringsmodel, dated from `today` (revision due in a year).
pub fn default_model(today: NaiveDate) -> Vec<SheetData> {
    let revision = today.with_year(today.year() + 1).unwrap_or(today + Duration::days(365));
    let dokument = SheetData {
        name: "Dokument",
        headers: vec!["Felt", "Værdi"],
        widths: vec![22.0, 48.0],
        rows: vec![
            row(&["Ejer", "OS2-sekretariatet"]),
            row(&["Godkender", "OS2's bestyrelse"]),
            vec!["Revisionsdato".into(), Value::Date(revision)],
            row(&["Version", "2025.1"]),
            vec!["Godkendelsesdato".into(), Value::Date(today)],
        ],
    };
    let niveauer = SheetData {
        name: "Niveauer",
        headers: vec!["Kode", "Navn", "Rækkefølge", "Bestyrelse", "Min. organisationer", "Beskrivelse"],
        widths: vec![8.0, 14.0, 12.0, 14.0, 20.0, 70.0],
        rows: vec![
            level(
                "SB",
                "Sandkasse",
                0,
                "Ingen",
                1,
                "Grundniveau: åben kode, licens, lovlighed, sikkerhed og beskrevet formål.",
            ),
            level(
                "N1",
                "Niveau 1",
                1,
                "Orientering",
                2,
                "Lokal værdi med potentiale for andre; registreret i OS2's portefølje, navngivet projektleder, bestyrelsen orienteres.",
            ),
            level("N2", "Niveau 2", 2, "Godkendelse", 2, "Fælleskommunal værdi; bestyrelsen godkender; styregruppe."),
            level(
                "N3",
                "Niveau 3",
                3,
                "Godkendelse",
                2,
                "Knyttet til nationale strategier; bestyrelsen godkender styregruppen og sidder i den; finansieringsaftale.",
            ),
        ],
    };
    // The sheet shows Fra fase beside the level: together they say when a requirement applies.
    let krav = SheetData {
        name: "Krav",
        // Krydstjek holds the identifier os2gov reads; the column after says in words what
        // it checks.
        headers: vec![
            "ID",
            "Tema",
            "Niveau",
            "Type",
            "Fra fase",
            "Krav",
            "Vejledning",
            "Krydstjek",
            "Krydstjek betyder",
            OFFICIAL_WORDING,
        ],
        widths: vec![7.0, 22.0, 8.0, 7.0, 16.0, 60.0, 60.0, 22.0, 40.0, 60.0],
        rows: catalogue()
            .into_iter()
            .map(|r| {
                let mut row: Vec<Value> =
                    [0, 1, 2, 3, 7, 4, 5, 6].iter().map(|&i| Value::from(r[i].as_str())).collect();
                let meaning = crate::model::choice::CrossCheck::parse(&r[6]).map(|c| c.meaning_da()).unwrap_or("");
                row.push(Value::from(meaning));
                row.push(Value::from(r[8].as_str()));
                row
            })
            .collect(),
    };
    let phases = [
        (
            "Idé",
            "Ejeren kontakter sekretariatet; idéen formuleres efter OS2's retningslinjer og placeres på et niveau.",
        ),
        ("Koncept", "Idéen omformes til et koncept; dele kan gå tilbage og blive gentænkt (tilbageløb)."),
        (
            "Bestyrelsesbehandling",
            "Et koncept på niveau 2 eller 3 forelægges bestyrelsen, som vurderer og prioriterer.",
        ),
        ("Igangsat", "Konceptet er godkendt og sat i gang; projektet rapporterer fremdrift og økonomi."),
        ("Implementering", "Løsningen bygges og tages i brug."),
        ("Produkt", "Løsningen er i drift i de første kommuner og følges af en koordinationsgruppe."),
        (
            "Pauseret",
            "Arbejdet er sat i bero. Projektet vurderes efter den fase, det forlod, og genoptages kun i den samme fase.",
        ),
        (
            "Udfaset",
            "Projektet er stoppet eller produktet lukket (bestyrelsen beslutter på niveau 2 og 3, sekretariatet på sandkasse og niveau 1).",
        ),
    ];
    let faser = SheetData {
        name: "Faser",
        headers: vec!["Navn", "Rækkefølge", "Beskrivelse"],
        widths: vec![24.0, 12.0, 80.0],
        rows: phases
            .iter()
            .enumerate()
            .map(|(i, (name, desc))| vec![Value::from(*name), Value::Number(i as f64 + 1.0), Value::from(*desc)])
            .collect(),
    };
    // The seed process, extended: pause and resume to the phase left, stop
    // (Udfaset) from any phase before Produkt, N1 straight on to implementation.
    let transitions: [[&str; 6]; 27] = [
        ["Idé", "Koncept", "Alle", "Sekretariat", "Fremad", "Nej"],
        ["Koncept", "Idé", "Alle", "Sekretariat", "Tilbageløb", "Ja"],
        ["Koncept", "Igangsat", "SB, N1", "Sekretariat", "Fremad", "Nej"],
        ["Koncept", "Implementering", "SB, N1", "Sekretariat, Styregruppe", "Fremad", "Nej"],
        ["Koncept", "Bestyrelsesbehandling", "N2, N3", "Sekretariat", "Fremad", "Nej"],
        ["Bestyrelsesbehandling", "Igangsat", "N2, N3", "Bestyrelse", "Fremad", "Nej"],
        ["Bestyrelsesbehandling", "Koncept", "N2, N3", "Bestyrelse", "Tilbageløb", "Ja"],
        ["Bestyrelsesbehandling", "Idé", "N2, N3", "Bestyrelse", "Tilbageløb", "Ja"],
        ["Igangsat", "Implementering", "Alle", "Styregruppe", "Fremad", "Nej"],
        ["Igangsat", "Koncept", "Alle", "Styregruppe", "Tilbageløb", "Ja"],
        ["Implementering", "Koncept", "Alle", "Styregruppe", "Tilbageløb", "Ja"],
        ["Implementering", "Produkt", "Alle", "Sekretariat", "Fremad", "Nej"],
        ["Idé", "Pauseret", "Alle", "Sekretariat", "Pause", "Nej"],
        ["Koncept", "Pauseret", "Alle", "Sekretariat", "Pause", "Nej"],
        ["Bestyrelsesbehandling", "Pauseret", "N2, N3", "Bestyrelse", "Pause", "Nej"],
        ["Igangsat", "Pauseret", "Alle", "Styregruppe", "Pause", "Nej"],
        ["Implementering", "Pauseret", "Alle", "Styregruppe", "Pause", "Nej"],
        ["Produkt", "Pauseret", "Alle", "Styregruppe, Koordinationsgruppe", "Pause", "Nej"],
        ["Pauseret", "Idé", "Alle", "Sekretariat", "Fremad", "Nej"],
        ["Pauseret", "Koncept", "Alle", "Sekretariat", "Fremad", "Nej"],
        ["Pauseret", "Bestyrelsesbehandling", "N2, N3", "Bestyrelse", "Fremad", "Nej"],
        ["Pauseret", "Igangsat", "Alle", "Styregruppe", "Fremad", "Nej"],
        ["Pauseret", "Implementering", "Alle", "Styregruppe", "Fremad", "Nej"],
        ["Pauseret", "Produkt", "Alle", "Styregruppe, Koordinationsgruppe", "Fremad", "Nej"],
        ["*", "Udfaset", "SB, N1", "Sekretariat", "Afslutning", "Ja"],
        ["*", "Udfaset", "N2, N3", "Bestyrelse", "Afslutning", "Ja"],
        ["Produkt", "Udfaset", "Alle", "Bestyrelse", "Afslutning", "Ja"],
    ];
    let overgange = SheetData {
        name: "Overgange",
        headers: vec!["Fra", "Til", "Niveauer", "Beslutter", "Type", "Årsag påkrævet"],
        widths: vec![24.0, 24.0, 12.0, 20.0, 13.0, 16.0],
        rows: transitions.iter().map(|t| row(t)).collect(),
    };
    let aarsager = SheetData {
        name: "Årsager",
        headers: vec!["Kode", "Navn", "Beskrivelse", "Bemærkning påkrævet"],
        widths: vec![14.0, 30.0, 80.0, 20.0],
        rows: vec![
            row(&[
                "STRATEGI",
                "Strategisk sammenhæng",
                "Ingen strategisk sammenhæng med OS2's vision og strategi.",
                "Nej",
            ]),
            row(&["UDBUD", "Udbudsregler", "Udbudsreglerne er ikke overholdt.", "Nej"]),
            row(&["OPENSOURCE", "Open source-krav", "Kravene til open source er ikke opfyldt.", "Nej"]),
            row(&["ARKITEKTUR", "Arkitekturkrav", "Arkitekturkravene er ikke opfyldt.", "Nej"]),
            row(&[
                "OEKONOMI",
                "Økonomi",
                "Projektet kan ikke gennemføres inden for det estimerede budget eller den aftalte ramme.",
                "Nej",
            ]),
            row(&["ANDET", "Andet", "En anden årsag; beskriv den i Bemærkning.", "Ja"]),
        ],
    };
    let parametre = SheetData {
        name: "Parametre",
        // The parameter in words first; Navn is the identifier os2gov reads.
        headers: vec!["Parameter", "Værdi", "Beskrivelse", "Navn"],
        widths: vec![34.0, 10.0, 70.0, 30.0],
        rows: vec![
            param(
                "Statusrapport: højeste alder (dage)",
                "statusrapport_maks_dage",
                92.0,
                "Højeste alder i dage for den nyeste statusrapport, før den er forældet (advarsel).",
            ),
            param(
                "Statusrapport: kritisk alder (dage)",
                "statusrapport_kritisk_dage",
                365.0,
                "Alder i dage, hvor en manglende ny statusrapport bliver en fejl.",
            ),
            param(
                "Selvevaluering: højeste alder (dage)",
                "selvevaluering_maks_dage",
                183.0,
                "Højeste alder i dage for selvevalueringen (Udfyldt dato).",
            ),
            param(
                "Budgettolerance (%)",
                "budget_tolerance_pct",
                10.0,
                "Hvor mange procent prognosen må overstige budgettet – og budgettet vokse i forhold til budgettet ved godkendelse – før det markeres.",
            ),
            param(
                "Uløst økonomi til bestyrelsen efter (måneder)",
                "budget_eskalering_perioder",
                2.0,
                "Antal kørsler (måneder) en budgetoverskridelse eller rød økonomi må stå uden en registreret beslutning, før den går til bestyrelsen til beslutning i stedet for drøftelse.",
            ),
            param(
                "Bestyrelsen beslutter budgetændringer fra niveau",
                "budgetaendring_bestyrelse_fra_niveau",
                2.0,
                "Niveauets Rækkefølge, fra hvilken budgetændringer skal besluttes af bestyrelsen (2 = niveau 2 og 3); under den kan styregruppen eller sekretariatet beslutte dem.",
            ),
            param(
                "Koncept: højeste ventetid (bestyrelsesmøder)",
                "koncept_ventetid_moeder",
                2.0,
                "Antal bestyrelsesmøder et koncept må vente i Bestyrelsesbehandling, før bestyrelsen gøres opmærksom på det.",
            ),
            param(
                "Materialefrist før bestyrelsesmøde (dage)",
                "materiale_frist_dage",
                14.0,
                "Antal dage før et bestyrelsesmøde, hvor materialet til et koncept skal være hos sekretariatet (påmindelsen til projektlederen).",
            ),
            vec![
                "Beslutningsloggen er autoritativ fra (dato)".into(),
                Value::Date(today),
                "Datoen, fra hvilken fanen Beslutninger er ført fuldstændigt. Bestyrelsens beslutninger fra den dato (godkendelser, niveauskift væk fra et niveau med godkendelse, stop, budgetændringer på niveauer, hvor bestyrelsen beslutter dem, og licenser) tæller kun, når loggen har dem på et bestyrelsesmøde; før datoen vurderes de efter projektarkene. Tom = loggen er endnu ikke autoritativ.".into(),
                crate::model::rules::Params::DECISION_LOG_FROM.into(),
            ],
        ],
    };
    let moeder = SheetData {
        name: "Bestyrelsesmøder",
        headers: vec!["Dato", "Bemærkning"],
        widths: vec![14.0, 50.0],
        rows: example_meetings(today)
            .into_iter()
            .map(|d| vec![Value::Date(d), Value::from("Eksempel – ret til de rigtige mødedatoer")])
            .collect(),
    };
    let modtagere = SheetData {
        name: "Modtagere",
        headers: vec!["Navn", "E-mail", "Rolle", "Sprog", "Aktiv"],
        widths: vec![26.0, 40.0, 14.0, 8.0, 8.0],
        rows: vec![
            row(&["Anne Mørk Jensen", "anne.moerk@bestyrelse.os2.example", "Bestyrelse", "da", "Ja"]),
            row(&["Lars Østergaard", "lars.oestergaard@bestyrelse.os2.example", "Bestyrelse", "da", "Ja"]),
            row(&["Sofie Bech Ahmed", "sofie.bech@bestyrelse.os2.example", "Bestyrelse", "da", "Ja"]),
            row(&["OS2-sekretariatet", "sekretariat@os2.example", "Sekretariat", "da", "Ja"]),
            row(&["Jonas Berg", "jonas.berg@observer.example", "Observatør", "en", "Ja"]),
            row(&["Tidligere medlem", "tidligere@bestyrelse.os2.example", "Bestyrelse", "da", "Nej"]),
        ],
    };
    // The board's decision log, kept by the secretariat from the minutes: empty at first.
    let beslutninger = SheetData {
        name: "Beslutninger",
        headers: vec![
            "Dato",
            "Projekt-ID",
            "Beslutning",
            "Grundlag",
            "Truffet af",
            "Reference",
            "Type",
            "Niveau",
            "Beløb (kr.)",
            "Prioritet",
        ],
        widths: vec![12.0, 18.0, 50.0, 40.0, 16.0, 30.0, 14.0, 9.0, 14.0, 10.0],
        rows: Vec::new(),
    };
    vec![dokument, niveauer, krav, faser, overgange, aarsager, parametre, moeder, modtagere, beslutninger]
}

fn level(code: &str, name: &str, order: i64, board: &str, min_orgs: u32, desc: &str) -> Vec<Value> {
    vec![
        code.into(),
        name.into(),
        Value::Number(order as f64),
        board.into(),
        Value::Number(f64::from(min_orgs)),
        desc.into(),
    ]
}

fn param(label: &str, name: &str, value: f64, desc: &str) -> Vec<Value> {
    vec![label.into(), Value::Number(value), desc.into(), name.into()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_43_requirements_in_four_levels() {
        let rows = catalogue();
        assert_eq!(rows.len(), 43);
        let count = |lvl: &str| rows.iter().filter(|r| r[2] == lvl).count();
        assert_eq!((count("SB"), count("N1"), count("N2"), count("N3")), (6, 10, 19, 8));
        assert_eq!(rows.iter().filter(|r| r[3] == "Bør").count(), 6);
        // Quoted fields with commas survive.
        let r1 = rows.iter().find(|r| r[0] == "R1").unwrap();
        assert!(r1[5].contains("fx økonomisk eller for brugerne"));
    }

    #[test]
    fn every_requirement_has_a_due_phase_and_the_docs_agree() {
        let doc = include_str!("../../docs/krav-faser.md");
        let mut section = String::new();
        let mut documented = std::collections::BTreeMap::new();
        for line in doc.lines() {
            if let Some(rest) = line.strip_prefix("## From ") {
                section = rest.split(" (").next().unwrap_or("").to_string();
            } else if line.starts_with("## ") {
                section.clear();
            } else if let Some(row) = line.strip_prefix("| ")
                && !section.is_empty()
                && let Some(id) = row.split(" |").next()
                && id != "ID"
                && !id.starts_with("---")
            {
                documented.insert(id.to_string(), section.clone());
            }
        }
        let rows = catalogue();
        for r in &rows {
            assert!(!r[7].is_empty(), "{} has no fra_fase", r[0]);
            assert_eq!(documented.get(&r[0]), Some(&r[7]), "{} in docs/krav-faser.md", r[0]);
        }
        assert_eq!(documented.len(), rows.len());
    }

    #[test]
    fn csv_handles_quotes_and_line_endings() {
        let rows = parse_csv("a,\"b,c\",\"d\"\"e\"\r\n1,,3\n");
        assert_eq!(rows, vec![vec!["a", "b,c", "d\"e"], vec!["1", "", "3"]]);
    }

    #[test]
    fn meetings_are_second_thursdays() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let dates = example_meetings(today);
        assert_eq!(dates[3], NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        assert!(dates.iter().all(|d| d.weekday() == Weekday::Thu && (8..=14).contains(&d.day())));
    }
}
