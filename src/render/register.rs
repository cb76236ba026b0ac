//! Writes the secretariat's register `sekretariat.xlsx` (used by `init`, and by `run` when
//! it creates the register with the rows migrated from the projektark): a Vejledning
//! sheet, Placeringer and Vurderinger with styled headers, date formats and dropdowns on
//! rows 2–5000 (so rows os2gov appends later get them too), and the hidden Lister sheet.

use crate::error::{Error, Result};
use crate::model::cell::Value;
use crate::model::choice::Light;
use crate::model::register::{ASSESSMENT_COLS, ASSESSMENTS, Additions, PLACEMENT_COLS, PLACEMENTS};
use crate::model::rules::Rules;
use crate::xlsx::{self, Lists, RowFit};
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};
use std::path::Path;

/// The last row (0-based) the dropdowns and date formats reach.
const LAST_ROW: u32 = 4999;

const GUIDE: &[(&str, &str)] = &[
    (
        "Registeret",
        "Sekretariatets egne optegnelser: hvilket niveau hvert projekt er placeret på (Placeringer), og sekretariatets vurdering af krav, hvor projektet har forklaret en afvigelse eller svaret på anden måde, end kravet lægger op til (Vurderinger). Projektlederen udfylder ikke dette ark; projektarket viser værdierne (grå celler og fanen Kontrol), men os2gov tror kun på registeret.",
    ),
    (
        "Placeringer",
        "Én række pr. placering eller niveauskift – tilføj nye rækker, ret ikke i gamle. Dato er dagen for placeringen (ved en bestyrelsesbeslutning: mødedatoen), Niveau en niveaukode fra styringsmodellen, Placeret af Sekretariat eller Bestyrelse, Reference fx et notat eller et referatpunkt. En række tæller, når Dato, Projekt-ID og Niveau er udfyldt. Et skift væk fra et niveau, hvor bestyrelsen godkender, tæller kun, når beslutningsloggen i styringsmodellen har bestyrelsens beslutning.",
    ),
    (
        "Vurderinger",
        "Én række pr. vurdering. Vurdering er Grøn, Gul, Rød eller Grå og gælder i stedet for den farve, svaret selv giver; Vurderingsgrundlag vises for projektlederen. os2gov tilføjer en række for hvert krav, der venter på sekretariatet (en forklaret afvigelse, et ændret svar), med Svar og Svar-id udfyldt: skriv Vurdering, Vurderingsgrundlag, Dato og Af i rækken. Lad Svar og Svar-id stå – dem udfylder os2gov. En vurdering gælder, så længe svaret er det samme (samme Svar-id); ændrer projektet svaret, skal det vurderes igen. En række uden Svar-id, skrevet i hånden, gælder det svar, der står, når den første gang bruges. Den nyeste række for et krav gælder (efter Dato; en række uden dato er nyere end rækkerne over den).",
    ),
    (
        "Kilde",
        "Tom: sekretariatets egen række. 'ventende (os2gov 2026-11)': tilføjet af os2gov og venter på sekretariatet. 'overført fra …': flyttet hertil, da registeret blev oprettet – gennemgå, ret eller slet.",
    ),
];

/// Writes a register to `path` (atomically) with the given rows already in it.
pub fn write_register(path: &Path, rules: &Rules, rows: &Additions) -> Result<()> {
    let bytes = build(rules, rows).map_err(|e| Error::xlsx(path, e))?;
    Ok(crate::sys::fs::write_atomic(path, &bytes)?)
}

/// The register workbook's bytes.
pub fn build(rules: &Rules, rows: &Additions) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let mut lists = Lists::default();
    let guide = workbook.add_worksheet();
    guide.set_name("Vejledning")?;
    write_guide(guide)?;
    let levels: Vec<String> = rules.levels.iter().map(|l| l.code.clone()).collect();
    let lights = Light::labels_da();
    let by = ["Sekretariat", "Bestyrelse"];
    let (wrap, date) = (xlsx::wrap(), xlsx::date());

    let ws = workbook.add_worksheet();
    ws.set_name(PLACEMENTS)?;
    let widths = [12.0, 16.0, 9.0, 14.0, 24.0, 48.0, 28.0];
    xlsx::header_row(ws, 0, &PLACEMENT_COLS, &widths)?;
    ws.set_column_format(0, &date)?;
    ws.add_data_validation(1, 0, LAST_ROW, 0, &xlsx::date_validation("Dato", "Dagen for placeringen, dd-mm-åååå.")?)?;
    ws.add_data_validation(
        1,
        2,
        LAST_ROW,
        2,
        &xlsx::dropdown(&lists.range("Niveau", &levels), "Niveau", "En niveaukode fra styringsmodellen.", true)?,
    )?;
    ws.add_data_validation(
        1,
        3,
        LAST_ROW,
        3,
        &xlsx::dropdown(&lists.range("Placeret af", &by), "Placeret af", "Sekretariat eller Bestyrelse.", true)?,
    )?;
    let mut fit = RowFit::new(&widths);
    for (i, p) in rows.placements.iter().enumerate() {
        let r = i as u32 + 1;
        if let Some(d) = p.date {
            xlsx::value(ws, r, 0, &Value::Date(d), Some(&date))?;
        }
        xlsx::text(ws, r, 1, &p.project, None)?;
        if let Some(l) = &p.level {
            xlsx::text(ws, r, 2, l, None)?;
        }
        if let Some(b) = p.by {
            xlsx::text(ws, r, 3, b.da(), None)?;
        }
        for (col, value) in [(4u16, p.reference.as_deref()), (5, Some(p.note.as_str())), (6, Some(p.source.as_str()))] {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                fit.text(ws, r, col, v, &wrap)?;
            }
        }
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, Some(0))?;

    let ws = workbook.add_worksheet();
    ws.set_name(ASSESSMENTS)?;
    let widths = [16.0, 8.0, 11.0, 48.0, 12.0, 12.0, 48.0, 19.0, 28.0];
    xlsx::header_row(ws, 0, &ASSESSMENT_COLS, &widths)?;
    ws.set_column_format(4, &date)?;
    ws.add_data_validation(
        1,
        2,
        LAST_ROW,
        2,
        &xlsx::dropdown(
            &lists.range("Vurdering", &lights),
            "Vurdering",
            "Grøn, Gul, Rød eller Grå. Tom = venter på sekretariatet.",
            true,
        )?,
    )?;
    ws.add_data_validation(1, 4, LAST_ROW, 4, &xlsx::date_validation("Dato", "Dagen for vurderingen, dd-mm-åååå.")?)?;
    ws.add_data_validation(1, 6, LAST_ROW, 7, &xlsx::prompt("Udfyldes af os2gov", "Lad Svar og Svar-id stå.")?)?;
    let mut fit = RowFit::new(&widths);
    for (i, a) in rows.assessments.iter().enumerate() {
        let r = i as u32 + 1;
        xlsx::text(ws, r, 0, &a.project, None)?;
        xlsx::text(ws, r, 1, &a.requirement_id, None)?;
        if let Some(l) = a.light {
            xlsx::text(ws, r, 2, l.da(), None)?;
        }
        if let Some(b) = &a.basis {
            fit.text(ws, r, 3, b, &wrap)?;
        }
        if let Some(d) = a.date {
            xlsx::value(ws, r, 4, &Value::Date(d), Some(&date))?;
        }
        fit.text(ws, r, 6, &a.answer, &wrap)?;
        if let Some(id) = &a.answer_id {
            xlsx::text(ws, r, 7, id, None)?;
        }
        fit.text(ws, r, 8, &a.source, &wrap)?;
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, Some(0))?;
    lists.write(&mut workbook)?;
    xlsx::finish(&mut workbook)
}

fn write_guide(ws: &mut Worksheet) -> Result<(), XlsxError> {
    let mut fit = RowFit::default();
    fit.set_width(ws, 0, 18.0)?;
    fit.set_width(ws, 1, 100.0)?;
    ws.write_string_with_format(0, 0, "Sekretariatets register", &xlsx::title())?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::register::{PendingAssessment, PendingPlacement};

    fn rules() -> Rules {
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        crate::load::styringsmodel::rules_from_workbook(
            &crate::load::styringsmodel::table_workbook(&crate::model::defaults::default_model(as_of)),
            as_of,
        )
        .unwrap()
        .rules
    }

    #[test]
    fn the_written_register_reads_back_row_for_row() {
        let rules = rules();
        let d = chrono::NaiveDate::from_ymd_opt(2025, 5, 15);
        let rows = Additions {
            placements: vec![PendingPlacement {
                project: "OS2valghalla".into(),
                date: d,
                level: Some("N2".into()),
                by: Some(crate::model::choice::Decider::Bestyrelse),
                reference: Some("Referat pkt. 4".into()),
                note: "overført".into(),
                source: "overført fra projektark (2026-11)".into(),
            }],
            assessments: vec![PendingAssessment {
                project: "OS2valghalla".into(),
                requirement_id: "F12".into(),
                light: None,
                basis: None,
                date: None,
                answer: "Nej – to versioner".into(),
                answer_id: Some("0123456789abcdef".into()),
                source: "ventende (os2gov 2026-11)".into(),
                why: crate::text::t!("x", "x"),
            }],
        };
        let bytes = build(&rules, &rows).unwrap();
        let loaded = crate::load::register::load_register(&bytes, &rules).unwrap();
        assert!(loaded.findings.is_empty(), "{:?}", loaded.findings);
        let p = &loaded.register.placements[0];
        assert_eq!((p.date, p.level, p.row), (d, rules.find_level("N2"), 2));
        assert_eq!(p.reference.as_deref(), Some("Referat pkt. 4"));
        let a = &loaded.register.assessments[0];
        assert_eq!(
            (a.light, a.answer_id.as_deref(), a.requirement_id.as_str()),
            (None, Some("0123456789abcdef"), "F12")
        );
        // An empty register (what init writes) reads as empty.
        let empty =
            crate::load::register::load_register(&build(&rules, &Additions::default()).unwrap(), &rules).unwrap();
        assert!(empty.register.placements.is_empty() && empty.register.assessments.is_empty());
        assert_eq!(empty.register.columns.assessments.len(), 9);
    }
}
