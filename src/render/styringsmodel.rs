//! Writes a styringsmodel workbook from tables (the defaults of `os2gov init`): styled
//! headers, widths, frozen header rows, dropdowns on every choice column, Danish
//! instructions. Knows the styringsmodel's sheet layout; decides nothing about the rules.

use crate::error::{Error, Result};
use crate::model::cell::Value;
use crate::model::choice::{BoardRole, CrossCheck, Decider, RecipientRole, ReqKind, TransitionKind};
use crate::model::defaults::SheetData;
use crate::xlsx::{self, Lists, RowFit};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::path::Path;

const GUIDE: &[(&str, &str)] = &[
    (
        "Styringsmodellen",
        "Denne projektmappe er OS2's styringsmodel som data. os2gov læser den hver gang, den kontrollerer projekterne, så en ændring her slår igennem ved næste kørsel. Faner og kolonner findes ud fra deres navne; rækkefølgen er fri, og ekstra kolonner og faner ignoreres.",
    ),
    (
        "Dokument",
        "Ejer, godkender, version og datoer for modellen. Version stemples på alt, os2gov skriver. Når Revisionsdato er passeret, advarer os2gov (GOV-REVISION-DUE), men kørslen fortsætter.",
    ),
    (
        "Niveauer",
        "Niveauerne med kode (SB, N1, N2, N3), navn, rækkefølge (laveste først), bestyrelsens rolle (Ingen, Orientering eller Godkendelse) og det mindste antal deltagende organisationer.",
    ),
    (
        "Krav",
        "Kravkataloget: ét krav pr. række med et fast ID (R1, F11, G5 …), tema, niveau (en kode fra Niveauer), type (Skal eller Bør), Fra fase, kravteksten og vejledning til projekterne. Krav er kumulative: et projekt på N2 skal også opfylde kravene på SB og N1. Fra fase er den første fase, hvor kravet skal være opfyldt (tom = fra første fase); før den fase er kravet 'ikke krævet endnu': farven vises, men et tomt svar er ingen fejl, og kravet holder ikke niveauet nede. Krydstjek (valgfri) kobler et krav til en indbygget kontrol, fx at en licens er OSI-godkendt; et Ja, som fakta modsiger, tæller som rødt. Kolonnen Krydstjek rummer kontrollens navn, som os2gov læser (fx licens eller bestyrelse_orienteret); kolonnen 'Krydstjek betyder' siger med ord, hvad den kontrollerer. OS2's ordlyd (valgfri) er den ordlyd, OS2's egne skemaer (2025-skabelonen) bruger for kravet – én pr. linje; os2gov import genkender den som kravet.",
    ),
    (
        "Faser",
        "Projektets faser i rækkefølge. Faserne Koncept, Bestyrelsesbehandling, Igangsat, Produkt og Udfaset skal findes, fordi kontrollerne bygger på dem.",
    ),
    (
        "Overgange",
        "De tilladte faseskift. Fra kan være * (alle faser); en række med en bestemt Fra går forud for *. Niveauer er 'Alle' eller koder adskilt af komma. Beslutter er den, der skal træffe beslutningen – flere skrives med komma. Type er Fremad, Tilbageløb, Pause eller Afslutning. Er Årsag påkrævet = Ja, skal projektet angive en årsag fra fanen Årsager. En pause (Pauseret) genoptages kun i den fase, projektet forlod, og mens projektet holder pause, vurderes det efter den fase. Bestyrelsens godkendelse er skiftet Bestyrelsesbehandling → Igangsat besluttet af Bestyrelse; et projekt, der er gået tilbage fra Igangsat eller Implementering, skal godkendes igen, før det igangsættes på ny.",
    ),
    (
        "Årsager",
        "Årsager til tilbageløb og stop, fx at udbudsreglerne ikke er overholdt. Projekterne skriver koden i deres historik. Er Bemærkning påkrævet = Ja (fx ANDET), skal årsagen uddybes i Historiks Bemærkning.",
    ),
    (
        "Parametre",
        "Grænser i dage og procent: hvor gammel en statusrapport og en selvevaluering må være, hvor meget prognosen må overstige budgettet, og hvornår materialet til et bestyrelsesmøde skal være hos sekretariatet. Kolonnen Parameter siger med ord, hvad grænsen er; ret kun Værdi. Navn er det navn, os2gov kender parameteren under – ret det ikke. beslutningslog_fra er en dato: fra den er fanen Beslutninger autoritativ for bestyrelsens beslutninger.",
    ),
    (
        "Bestyrelsesmøder",
        "Datoerne for bestyrelsens møder. Bestyrelsesmailen laves til det første møde på eller efter kørselsdatoen.",
    ),
    ("Modtagere", "Hvem der får bestyrelsesmailen, med rolle, sprog (da eller en) og om de er aktive (Ja/Nej)."),
    (
        "Beslutninger",
        "Bestyrelsens beslutningslog, som sekretariatet fører efter referaterne: dato (mødets dato), projekt-ID, beslutning, grundlag, hvem der traf den og en reference – som OS2 offentliggør den. Type siger, hvilken slags beslutning det er: Godkendelse (et koncept godkendt og igangsat), Niveau (projektet placeret på et andet niveau – skriv niveauet i kolonnen Niveau), Stop (projektet stoppet eller produktet lukket), Budget (budgettet ændret – skriv det nye budget i Beløb (kr.)), Licens (en anden licens end MPL-2.0 godkendt), Tilbageløb eller Andet. Fra datoen i Parametre beslutningslog_fra er loggen autoritativ: en bestyrelsesbeslutning, som projektarket angiver, tæller kun, når den står her på datoen for et møde i Bestyrelsesmøder. Et ekstraordinært møde skrives både i Bestyrelsesmøder og her. En række, der ikke kan læses (ukendt Type eller niveau, en dato der ikke er et møde), giver en advarsel og tæller ikke. os2gov sammenholder loggen med projektarkene, viser bestyrelsen, hvad der er besluttet siden sidste møde, og skriver loggen som Markdown til offentliggørelse.",
    ),
];

/// Writes the tables as a styringsmodel workbook to `path`.
pub fn write_model(path: &Path, sheets: &[SheetData]) -> Result<()> {
    let mut workbook = build(sheets).map_err(|e| Error::xlsx(path, e))?;
    crate::xlsx::save_workbook(&mut workbook, path)
}

fn build(sheets: &[SheetData]) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let mut lists = Lists::default();
    let guide = workbook.add_worksheet();
    guide.set_name("Vejledning")?;
    write_guide(guide)?;
    let phases: Vec<String> = sheet_column(sheets, "Faser", 0);
    let themes: Vec<String> = {
        let mut t = sheet_column(sheets, "Krav", 1);
        let mut seen = Vec::new();
        t.retain(|x| {
            if seen.contains(x) {
                false
            } else {
                seen.push(x.clone());
                true
            }
        });
        t
    };
    for data in sheets {
        let ws = workbook.add_worksheet();
        ws.set_name(data.name)?;
        xlsx::header_row(ws, 0, &data.headers, &data.widths)?;
        write_rows(ws, data)?;
        let last = (data.rows.len() as u32 + 200).max(300);
        ws.autofilter(0, 0, data.rows.len() as u32, data.headers.len() as u16 - 1)?;
        for (col, header) in data.headers.iter().enumerate() {
            let col = col as u16;
            let dv = match (data.name, *header) {
                ("Niveauer", "Bestyrelse") => Some(xlsx::dropdown(
                    &lists.range("Bestyrelse", &BoardRole::labels_da()),
                    "Bestyrelse",
                    "Bestyrelsens rolle på niveauet.",
                    true,
                )?),
                ("Krav", "Tema") => Some(xlsx::dropdown(
                    &lists.range("Tema", &themes),
                    "Tema",
                    "Kravets tema. Et nyt tema kan skrives ind.",
                    false,
                )?),
                ("Krav", "Niveau") => {
                    Some(xlsx::dropdown("=Niveauer!$A$2:$A$50", "Niveau", "En niveaukode fra fanen Niveauer.", true)?)
                }
                ("Krav", "Type") => Some(xlsx::dropdown(
                    &lists.range("Type", &ReqKind::labels_da()),
                    "Type",
                    "Skal (krav) eller Bør (anbefaling).",
                    true,
                )?),
                ("Krav", "Fra fase") => Some(xlsx::dropdown(
                    "=Faser!$A$2:$A$50",
                    "Fra fase",
                    "Den første fase, hvor kravet skal være opfyldt. Tom = fra første fase.",
                    true,
                )?),
                ("Krav", "Krydstjek") => Some(xlsx::dropdown(
                    &lists.range("Krydstjek", &CrossCheck::labels_da()),
                    "Krydstjek",
                    "Valgfri indbygget kontrol af et Ja-svar.",
                    true,
                )?),
                ("Overgange", "Fra") => {
                    let mut values = vec!["*".to_string()];
                    values.extend(phases.iter().cloned());
                    Some(xlsx::dropdown(
                        &lists.range("Fra", &values),
                        "Fra",
                        "Fasen før skiftet; * betyder alle faser.",
                        true,
                    )?)
                }
                ("Overgange", "Til") => Some(xlsx::dropdown("=Faser!$A$2:$A$50", "Til", "Fasen efter skiftet.", true)?),
                ("Overgange", "Niveauer") => {
                    Some(xlsx::prompt("Niveauer", "Skriv Alle eller niveaukoder adskilt af komma, fx N2, N3.")?)
                }
                // Not strict: several deciders may be written as a comma list.
                ("Overgange", "Beslutter") => Some(xlsx::dropdown(
                    &lists.range("Beslutter", &Decider::labels_da()),
                    "Beslutter",
                    "Hvem der træffer beslutningen. Flere skrives med komma, fx Styregruppe, Koordinationsgruppe.",
                    false,
                )?),
                ("Overgange", "Type") => Some(xlsx::dropdown(
                    &lists.range("Overgangstype", &TransitionKind::labels_da()),
                    "Type",
                    "Fremad, Tilbageløb, Pause eller Afslutning.",
                    true,
                )?),
                ("Overgange", "Årsag påkrævet") | ("Modtagere", "Aktiv") | ("Årsager", "Bemærkning påkrævet") => {
                    Some(xlsx::dropdown(&lists.range("Ja/Nej", &["Ja", "Nej"]), header, "Ja eller Nej.", true)?)
                }
                ("Beslutninger", "Type") => Some(xlsx::dropdown(
                    &lists.range("Beslutningstype", &crate::model::choice::DecisionKind::labels_da()),
                    "Type",
                    "Godkendelse, Niveau, Stop, Budget, Licens, Tilbageløb eller Andet.",
                    true,
                )?),
                ("Beslutninger", "Niveau") => Some(xlsx::dropdown(
                    "=Niveauer!$A$2:$A$50",
                    "Niveau",
                    "Type Niveau: det niveau, bestyrelsen placerer projektet på. Type Godkendelse: valgfrit, niveauet der godkendes på.",
                    true,
                )?),
                ("Beslutninger", "Beløb (kr.)") => Some(xlsx::prompt(
                    "Beløb (kr.)",
                    "Type Budget: budgettet efter beslutningen, i kroner ekskl. moms.",
                )?),
                ("Beslutninger", "Projekt-ID") => {
                    Some(xlsx::prompt("Projekt-ID", "Projektets ID, som i projektarket (fx OS2iot).")?)
                }
                ("Modtagere", "Rolle") => Some(xlsx::dropdown(
                    &lists.range("Rolle", &RecipientRole::labels_da()),
                    "Rolle",
                    "Bestyrelse, Sekretariat eller Observatør.",
                    true,
                )?),
                ("Modtagere", "Sprog") => Some(xlsx::dropdown(
                    &lists.range("Sprog", &["da", "en"]),
                    "Sprog",
                    "da (dansk) eller en (engelsk).",
                    true,
                )?),
                _ => None,
            };
            if let Some(dv) = dv {
                ws.add_data_validation(1, col, last, col, &dv)?;
            }
            if matches!((data.name, *header), ("Bestyrelsesmøder", "Dato") | ("Beslutninger", "Dato")) {
                ws.set_column_format(col, &xlsx::date())?;
            }
        }
    }
    lists.write(&mut workbook)?;
    Ok(workbook)
}

fn sheet_column(sheets: &[SheetData], name: &str, col: usize) -> Vec<String> {
    sheets
        .iter()
        .find(|s| s.name == name)
        .map(|s| {
            s.rows
                .iter()
                .filter_map(|r| match r.get(col) {
                    Some(Value::Text(t)) => Some(t.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The table's rows below its header: text wrapped, each row as tall as its text; printed
/// with the header on every page.
fn write_rows(ws: &mut Worksheet, data: &SheetData) -> Result<(), XlsxError> {
    let wrap = xlsx::wrap();
    // Numbers at the top of their row too, level with the wrapped text beside them.
    let number = rust_xlsxwriter::Format::new().set_align(rust_xlsxwriter::FormatAlign::Top);
    let mut fit = RowFit::new(&data.widths);
    for (r, row) in data.rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let format = match value {
                Value::Text(_) => Some(&wrap),
                Value::Number(_) => Some(&number),
                _ => None,
            };
            xlsx::value(ws, r as u32 + 1, c as u16, value, format)?;
            if let Value::Text(t) = value {
                fit.note(r as u32 + 1, c as u16, t, false);
            }
        }
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, Some(0))?;
    // A table much wider than a landscape page (Krav: ten columns, three of them long
    // texts) prints two pages wide with its first column repeated, not at under half size.
    if data.widths.iter().sum::<f64>() > WIDE_TABLE {
        ws.set_print_fit_to_pages(2, 0);
        ws.set_repeat_columns(0, 0)?;
    }
    Ok(())
}

/// The total column width (characters) above which a table prints two pages wide.
const WIDE_TABLE: f64 = 200.0;

fn write_guide(ws: &mut Worksheet) -> Result<(), XlsxError> {
    let mut fit = RowFit::default();
    fit.set_width(ws, 0, 22.0)?;
    fit.set_width(ws, 1, 100.0)?;
    ws.write_string_with_format(0, 0, "Vejledning til styringsmodellen", &xlsx::title())?;
    let (bold, wrap) = (xlsx::bold().set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top), xlsx::wrap());
    for (i, (head, body)) in GUIDE.iter().enumerate() {
        let r = i as u32 + 2;
        ws.write_string_with_format(r, 0, *head, &bold)?;
        fit.note(r, 0, head, true);
        fit.text(ws, r, 1, body, &wrap)?;
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, None)
}
