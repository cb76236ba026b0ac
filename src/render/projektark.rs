//! Writes projektark workbooks for the current styringsmodel: the blank template of
//! `os2gov template` and, through [`Filled`], filled-in sheets for the samples and tests.
//! Requirement rows are pre-filled and grey; every choice cell has a dropdown fed from a
//! hidden lists sheet; dates and amounts carry Danish formats.

use crate::model::cell::Value;
use crate::model::choice::{Answer, Decider, Light, OrgKind, ProjectKind, Rag};
use crate::model::filled::Filled;
use crate::model::layout::{
    self, BUDGET_COLS, DELTAGERE_COLS, DRIFT_COLS, FIELDS, FieldKind, HISTORIK_COLS, KRAV_COLS, KRAV_PREFILLED,
    STATUS_COLS,
};
use crate::model::rules::Rules;
use crate::xlsx::{self, Lists, RowFit};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// Rows prepared (formats and dropdowns) in the Historik, Deltagere and Status sheets.
pub const PREPARED_ROWS: u32 = 200;

/// Builds a projektark workbook.
pub fn build_projektark(rules: &Rules, filled: &Filled) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let mut lists = Lists::default();
    let levels: Vec<&str> = rules.levels.iter().map(|l| l.code.as_str()).collect();
    let phases: Vec<&str> = rules.phases.iter().map(|p| p.name.as_str()).collect();
    let reasons: Vec<&str> = rules.reasons.iter().map(|r| r.code.as_str()).collect();

    let guide = workbook.add_worksheet();
    guide.set_name(layout::VEJLEDNING)?;
    write_guide(guide, rules)?;

    let ws = workbook.add_worksheet();
    ws.set_name(layout::PROJEKT)?;
    write_projekt(ws, &mut lists, filled, &levels, &phases)?;
    ws.set_active(true);

    let ws = workbook.add_worksheet();
    ws.set_name(layout::KRAV)?;
    write_krav(ws, &mut lists, rules, filled)?;

    let input = input_cell();
    let ws = workbook.add_worksheet();
    ws.set_name(layout::HISTORIK)?;
    let widths = [13.0, 22.0, 22.0, 20.0, 30.0, 14.0, 45.0, 10.0];
    xlsx::header_row(ws, 0, &HISTORIK_COLS, &widths)?;
    let phase_list = lists.range("Fase", &phases);
    validate(ws, 0, xlsx::date_validation("Dato", "Datoen for faseskiftet (dd-mm-åååå).")?)?;
    validate(ws, 1, xlsx::dropdown(&phase_list, "Fra", "Fasen før skiftet.", true)?)?;
    validate(ws, 2, xlsx::dropdown(&phase_list, "Til", "Fasen efter skiftet.", true)?)?;
    validate(
        ws,
        3,
        xlsx::dropdown(
            &lists.range("Beslutter", &Decider::labels_da()),
            "Beslutter",
            "Hvem der besluttede skiftet.",
            true,
        )?,
    )?;
    validate(
        ws,
        5,
        xlsx::dropdown(
            &lists.range("Årsag", &reasons),
            "Årsag",
            "Ved tilbageløb: årsagen (se styringsmodellens fane Årsager).",
            true,
        )?,
    )?;
    validate(
        ws,
        7,
        xlsx::dropdown(
            &lists.range("Niveau", &levels),
            "Niveau",
            "Kun hvis projektet var på et andet niveau ved skiftet end i dag (tom = niveauet i fanen Projekt).",
            true,
        )?,
    )?;
    ws.set_column_format(0, &xlsx::date())?;
    write_rows(ws, &filled.history, &input, &widths)?;

    let ws = workbook.add_worksheet();
    ws.set_name(layout::DELTAGERE)?;
    let widths = [32.0, 12.0, 12.0, 16.0, 36.0, 14.0];
    xlsx::header_row(ws, 0, &DELTAGERE_COLS, &widths)?;
    validate(
        ws,
        1,
        xlsx::dropdown(
            &lists.range("Organisationstype", &OrgKind::labels_da()),
            "Type",
            "Kommune, Region, Stat eller Andet.",
            true,
        )?,
    )?;
    validate(ws, 2, xlsx::prompt("CVR", "Organisationens CVR-nummer: 8 cifre.")?)?;
    validate(ws, 3, xlsx::date_validation("Tilsluttet", "Datoen for tilslutning (dd-mm-åååå).")?)?;
    ws.set_column_format(2, &Format::new().set_num_format("@"))?;
    validate(
        ws,
        5,
        xlsx::date_validation("I drift", "Datoen, hvor organisationen tog løsningen i brug (dd-mm-åååå).")?,
    )?;
    ws.set_column_format(3, &xlsx::date())?;
    ws.set_column_format(5, &xlsx::date())?;
    write_rows(ws, &filled.participants, &input, &widths)?;

    let ws = workbook.add_worksheet();
    ws.set_name(layout::STATUS)?;
    let widths = [13.0, 12.0, 12.0, 16.0, 16.0, 50.0];
    xlsx::header_row(ws, 0, &STATUS_COLS, &widths)?;
    let rag = lists.range("Grøn/Gul/Rød", &Rag::labels_da());
    validate(ws, 0, xlsx::date_validation("Dato", "Datoen for statusrapporten (dd-mm-åååå).")?)?;
    validate(ws, 1, xlsx::dropdown(&rag, "Fremdrift", "Grøn, Gul eller Rød.", true)?)?;
    validate(ws, 2, xlsx::dropdown(&rag, "Økonomi", "Grøn, Gul eller Rød.", true)?)?;
    ws.set_column_format(0, &xlsx::date())?;
    ws.set_column_format(3, &xlsx::amount())?;
    ws.set_column_format(4, &xlsx::amount())?;
    write_rows(ws, &filled.status, &input, &widths)?;

    let ws = workbook.add_worksheet();
    ws.set_name(layout::BUDGETAENDRINGER)?;
    let widths = [13.0, 16.0, 16.0, 18.0, 30.0, 50.0];
    xlsx::header_row(ws, 0, &BUDGET_COLS, &widths)?;
    validate(ws, 0, xlsx::date_validation("Dato", "Datoen for beslutningen om budgetændringen (dd-mm-åååå).")?)?;
    validate(
        ws,
        3,
        xlsx::dropdown(
            &lists.range("Beslutter", &Decider::labels_da()),
            "Besluttet af",
            "Hvem der besluttede ændringen. På niveau 2 og 3 er det bestyrelsen.",
            true,
        )?,
    )?;
    ws.set_column_format(0, &xlsx::date())?;
    ws.set_column_format(1, &xlsx::amount())?;
    ws.set_column_format(2, &xlsx::amount())?;
    write_rows(ws, &filled.budget_changes, &input, &widths)?;

    let ws = workbook.add_worksheet();
    ws.set_name(layout::DRIFT)?;
    let widths = [13.0, 13.0, 13.0, 20.0, 36.0, 50.0];
    xlsx::header_row(ws, 0, &DRIFT_COLS, &widths)?;
    validate(ws, 0, xlsx::date_validation("Dato", "Datoen for kvartalsrapporten (dd-mm-åååå).")?)?;
    validate(ws, 1, xlsx::prompt("SLA-mål", "Den aftalte oppetid i procent, fx 99,5.")?)?;
    validate(ws, 2, xlsx::prompt("Målt", "Den målte oppetid i kvartalet i procent, fx 99,7.")?)?;
    validate(ws, 3, xlsx::prompt("Åbne ændringsønsker", "Antal åbne ønsker om ændringer ved kvartalets slutning.")?)?;
    ws.set_column_format(0, &xlsx::date())?;
    let percent = Format::new().set_num_format("0.0");
    ws.set_column_format(1, &percent)?;
    ws.set_column_format(2, &percent)?;
    write_rows(ws, &filled.operations, &input, &widths)?;

    lists.write(&mut workbook)?;
    Ok(workbook)
}

fn input_cell() -> Format {
    Format::new().set_text_wrap().set_align(FormatAlign::Top)
}

fn validate(ws: &mut Worksheet, col: u16, dv: rust_xlsxwriter::DataValidation) -> Result<(), XlsxError> {
    ws.add_data_validation(1, col, PREPARED_ROWS, col, &dv)?;
    Ok(())
}

/// Writes the rows of a table sheet below its header (text wrapped, rows as tall as their
/// text), and sets up printing with the header on every page.
fn write_rows(ws: &mut Worksheet, rows: &[Vec<Value>], format: &Format, widths: &[f64]) -> Result<(), XlsxError> {
    let mut fit = RowFit::new(widths);
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let f = matches!(v, Value::Text(_)).then_some(format);
            xlsx::value(ws, r as u32 + 1, c as u16, v, f)?;
            if let Value::Text(t) = v {
                fit.note(r as u32 + 1, c as u16, t, false);
            }
        }
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, Some(0))
}

fn write_projekt(
    ws: &mut Worksheet,
    lists: &mut Lists,
    filled: &Filled,
    levels: &[&str],
    phases: &[&str],
) -> Result<(), XlsxError> {
    let widths = [30.0, 42.0, 80.0];
    xlsx::header_row(ws, 0, &["Felt", "Værdi", "Vejledning"], &widths)?;
    let mut fit = RowFit::new(&widths);
    let required = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let optional = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let input = Format::new()
        .set_border(FormatBorder::Thin)
        .set_border_color(rust_xlsxwriter::Color::RGB(0xA6A6A6))
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left);
    let guide = xlsx::readonly();
    for (i, f) in FIELDS.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string_with_format(row, 0, f.name, if f.required { &required } else { &optional })?;
        fit.note(row, 0, f.name, f.required);
        fit.text(ws, row, 2, f.guide, &guide)?;
        // The secretariat's own facts are shown, not typed: greyed like the catalogue.
        let base = if layout::DISPLAY_FIELDS.contains(&f.key) { xlsx::readonly() } else { input.clone() };
        let cell_format = match f.kind {
            FieldKind::Date => base.set_num_format(xlsx::DATE_FORMAT),
            FieldKind::Amount => base.set_num_format(xlsx::AMOUNT_FORMAT),
            _ => base,
        };
        match filled.field(f.key) {
            Some(v) => {
                xlsx::value(ws, row, 1, v, Some(&cell_format))?;
                if let Value::Text(t) = v {
                    fit.note(row, 1, t, false);
                }
            }
            None => {
                ws.write_blank(row, 1, &cell_format)?;
            }
        }
        let dv = match f.kind {
            FieldKind::Level => {
                Some(xlsx::dropdown(&lists.range("Niveau", levels), "Niveau", "Vælg niveauet fra listen.", true)?)
            }
            FieldKind::Phase => {
                Some(xlsx::dropdown(&lists.range("Fase", phases), "Fase", "Vælg den nuværende fase.", true)?)
            }
            FieldKind::ProjectKind => Some(xlsx::dropdown(
                &lists.range("Type", &ProjectKind::labels_da()),
                "Type",
                "Projekt eller Produkt.",
                true,
            )?),
            FieldKind::Date => Some(xlsx::date_validation(f.name, "Skriv datoen som dd-mm-åååå.")?),
            _ => None,
        };
        if let Some(dv) = dv {
            ws.add_data_validation(row, 1, row, 1, &dv)?;
        }
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, Some(0))
}

fn write_krav(ws: &mut Worksheet, lists: &mut Lists, rules: &Rules, filled: &Filled) -> Result<(), XlsxError> {
    let widths = [7.0, 16.0, 8.0, 7.0, 14.0, 45.0, 45.0, 14.0, 36.0, 36.0, 12.0, 30.0];
    xlsx::header_row(ws, 0, &KRAV_COLS, &widths)?;
    ws.set_freeze_panes(1, 1)?;
    let mut fit = RowFit::new(&widths);
    let grey = xlsx::readonly();
    let input = input_cell();
    let mut row = 1u32;
    for req in &rules.requirements {
        if filled.omit.iter().any(|o| o == &req.id) {
            continue;
        }
        let prefilled = [
            req.id.as_str(),
            req.theme.as_str(),
            rules.level(req.level).code.as_str(),
            req.kind.da(),
            rules.phase(rules.due_from(req)).name.as_str(),
            req.text.as_str(),
            req.guidance.as_str(),
        ];
        for (c, v) in prefilled.iter().enumerate() {
            fit.text(ws, row, c as u16, v, &grey)?;
        }
        let answer = filled.answers.iter().find(|a| a.id == req.id);
        let blank = Value::Blank;
        let values = match answer {
            Some(a) => [&a.efterlevet, &a.dokumentation, &a.forklaring, &a.vurdering, &a.grundlag],
            None => [&blank; 5],
        };
        for (c, v) in values.into_iter().enumerate() {
            let col = KRAV_PREFILLED + c;
            // Vurdering and Vurderingsgrundlag show the secretariat's register: grey, and
            // present even when blank.
            let display = layout::DISPLAY_KRAV_COLS.contains(&KRAV_COLS[col]);
            let f = if display { Some(&grey) } else { matches!(v, Value::Text(_)).then_some(&input) };
            if answer.is_some() || display {
                xlsx::value(ws, row, col as u16, v, f)?;
            }
            if let Value::Text(t) = v {
                fit.note(row, col as u16, t, false);
            }
        }
        row += 1;
    }
    for extra in &filled.extra_requirements {
        for (c, v) in extra.iter().enumerate() {
            xlsx::value(ws, row, c as u16, v, matches!(v, Value::Text(_)).then_some(&input))?;
            if let Value::Text(t) = v {
                fit.note(row, c as u16, t, false);
            }
        }
        row += 1;
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, Some(0))?;
    // Twelve columns: the pre-filled requirement on the first page width, the answers on
    // the second, with the ID repeated (one page wide would print at half size).
    ws.set_print_fit_to_pages(2, 0);
    ws.set_repeat_columns(0, 0)?;
    let last = row.saturating_sub(1).max(1);
    ws.autofilter(0, 0, last, KRAV_COLS.len() as u16 - 1)?;
    let answers = lists.range("Efterlevet", &Answer::labels_da());
    let lights = lists.range("Vurdering", &Light::labels_da());
    let efterlevet = xlsx::dropdown(
        &answers,
        "Efterlevet",
        "Ja, Nej, Ikke relevant eller Ved ikke. Ved Nej og Ikke relevant: skriv en forklaring.",
        true,
    )?;
    let vurdering = xlsx::dropdown(
        &lights,
        "Vurdering",
        "Udfyldes ikke her: sekretariatets vurdering står i sekretariatets register og vises i fanen Kontrol.",
        true,
    )?;
    let col = |name: &str| KRAV_COLS.iter().position(|c| *c == name).expect("a Krav column") as u16;
    let (answer_col, light_col) = (col("Efterlevet"), col("Vurdering"));
    ws.add_data_validation(1, answer_col, last, answer_col, &efterlevet)?;
    ws.add_data_validation(1, light_col, last, light_col, &vurdering)?;
    let evidence_col = col("Dokumentation");
    ws.add_data_validation(
        1,
        evidence_col,
        last,
        evidence_col,
        &xlsx::prompt("Dokumentation", "Et link eller en henvisning, der viser at kravet er opfyldt.")?,
    )?;
    let explain_col = col("Forklaring");
    ws.add_data_validation(
        1,
        explain_col,
        last,
        explain_col,
        &xlsx::prompt("Forklaring", "Følg eller forklar: hvorfor er kravet ikke opfyldt, og hvad gør I i stedet?")?,
    )?;
    Ok(())
}

fn write_guide(ws: &mut Worksheet, rules: &Rules) -> Result<(), XlsxError> {
    let mut fit = RowFit::new(&[24.0, 100.0]);
    fit.set_width(ws, 0, 24.0)?;
    fit.set_width(ws, 1, 100.0)?;
    ws.write_string_with_format(0, 0, "Vejledning til projektarket", &xlsx::title())?;
    let version = &rules.document.version;
    xlsx::text(ws, 1, 0, &format!("Styringsmodel version {version}"), None)?;
    let (bold, wrap) = (xlsx::bold().set_text_wrap().set_align(FormatAlign::Top), xlsx::wrap());
    for (i, (head, body)) in layout::GUIDE.iter().enumerate() {
        let r = i as u32 + 3;
        ws.write_string_with_format(r, 0, *head, &bold)?;
        fit.note(r, 0, head, true);
        fit.text(ws, r, 1, body, &wrap)?;
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, None)
}

#[cfg(test)]
mod tests;
