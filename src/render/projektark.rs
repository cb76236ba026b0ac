//! Writes projektark workbooks for the current styringsmodel: the blank template of
//! `os2gov template` and, through [`Filled`], filled-in sheets for the samples and tests.
//! Requirement rows are pre-filled and grey; every choice cell has a dropdown fed from a
//! hidden lists sheet; dates and amounts carry Danish formats.

use crate::model::cell::Value;
use crate::model::choice::{Answer, Decider, Light, OrgKind, ProjectKind, Rag};
use crate::model::filled::Filled;
use crate::model::layout::{
    self, BUDGET_COLS, DELTAGERE_COLS, DRIFT_COLS, FIELDS, FieldKind, HISTORIK_COLS, KRAV_ANSWERS, KRAV_COLS,
    KRAV_FROZEN_COLS, STATUS_COLS, krav_col,
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
    // Årsag offered by name (Økonomi, not OEKONOMI); the loader maps a name back to its code.
    let reasons: Vec<&str> = rules.reasons.iter().map(|r| r.name.as_str()).collect();

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
    let input = answer_cell();
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
    // Felt and Vejledning are locked, the values open (see `protect`).
    protect(ws);
    xlsx::print_setup(ws, Some(0))
}

/// The fill of the cells a person fills in (a pale yellow, Excel's "input" convention).
pub const INPUT_FILL: u32 = 0xFFF8E1;

/// A cell to fill in: bordered, wrapped, top-aligned, pale yellow, unlocked (the sheet is
/// protected without a password; only the grey cells are locked).
fn answer_cell() -> Format {
    Format::new()
        .set_border(FormatBorder::Thin)
        .set_border_color(rust_xlsxwriter::Color::RGB(0xA6A6A6))
        .set_background_color(rust_xlsxwriter::Color::RGB(INPUT_FILL))
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_align(FormatAlign::Left)
        .set_unlocked()
}

/// Sheet protection without a password: the grey cells cannot be typed over by mistake,
/// but anybody can lift it (Gennemse → Fjern arkbeskyttelse), and sorting, filtering,
/// resizing and formatting still work.
fn protect(ws: &mut Worksheet) {
    let options = rust_xlsxwriter::ProtectionOptions {
        format_cells: true,
        format_columns: true,
        format_rows: true,
        sort: true,
        use_autofilter: true,
        edit_objects: true,
        ..Default::default()
    };
    ws.protect_with_options(&options);
}

fn write_krav(ws: &mut Worksheet, lists: &mut Lists, rules: &Rules, filled: &Filled) -> Result<(), XlsxError> {
    let width = |name: &str| match name {
        "ID" => 6.0,
        "Krav" => 44.0,
        "Efterlevet" => 13.0,
        "Dokumentation" => 34.0,
        "Forklaring" => 34.0,
        "Vurdering" => 11.0,
        "Vurderingsgrundlag" => 28.0,
        "Type" => 7.0,
        "Fra fase" => 14.0,
        "Niveau" => 8.0,
        "Tema" => 16.0,
        _ => 50.0,
    };
    let widths: Vec<f64> = KRAV_COLS.iter().map(|c| width(c)).collect();
    xlsx::header_row(ws, 0, &KRAV_COLS, &widths)?;
    // The requirement stays in view while the answer is typed beside it.
    ws.set_freeze_panes(1, KRAV_FROZEN_COLS)?;
    let mut fit = RowFit::new(&widths);
    // A thin line under each requirement, so the eye follows a row from the question to
    // its answer boxes (the rows differ in height).
    let grey = xlsx::readonly()
        .set_border_bottom(FormatBorder::Thin)
        .set_border_bottom_color(rust_xlsxwriter::Color::RGB(0xBFBFBF));
    let answer = answer_cell();
    let col = krav_col;
    let mut row = 1u32;
    let answer_list = lists.range("Efterlevet", &Answer::labels_da());
    for req in &rules.requirements {
        if filled.omit.iter().any(|o| o == &req.id) {
            continue;
        }
        let prefilled = [
            ("ID", req.id.as_str()),
            ("Tema", req.theme.as_str()),
            ("Niveau", rules.level(req.level).code.as_str()),
            ("Type", req.kind.da()),
            ("Fra fase", rules.phase(rules.due_from(req)).name.as_str()),
            ("Krav", req.text.as_str()),
            ("Vejledning", req.guidance.as_str()),
        ];
        for (name, v) in prefilled {
            fit.text(ws, row, col(name), v, &grey)?;
        }
        let given = filled.answers.iter().find(|a| a.id == req.id);
        let values: [Option<&Value>; 5] = match given {
            Some(a) => [
                Some(&a.efterlevet),
                Some(&a.dokumentation),
                Some(&a.forklaring),
                Some(&a.vurdering),
                Some(&a.grundlag),
            ],
            None => [None; 5],
        };
        for (name, v) in KRAV_ANSWERS.iter().zip(values) {
            let c = col(name);
            // Vurdering and Vurderingsgrundlag show the secretariat's register: grey, not
            // typed here.
            let look = if layout::DISPLAY_KRAV_COLS.contains(name) { &grey } else { &answer };
            match v {
                Some(v) if !matches!(v, Value::Blank) => {
                    xlsx::value(ws, row, c, v, Some(look))?;
                    if let Value::Text(t) = v {
                        fit.note(row, c, t, false);
                    }
                }
                _ => {
                    ws.write_blank(row, c, look)?;
                }
            }
        }
        // The requirement's guidance pops up where the answer is chosen.
        let guidance = if req.guidance.trim().is_empty() {
            "Ja, Nej, Ikke relevant eller Ved ikke. Ved Nej og Ikke relevant: skriv en forklaring.".to_string()
        } else {
            format!("{} Ved Nej og Ikke relevant: skriv en forklaring.", req.guidance.trim())
        };
        let dv = xlsx::dropdown(&answer_list, &format!("{} – {}", req.id, req.kind.da()), &guidance, true)?;
        ws.add_data_validation(row, col("Efterlevet"), row, col("Efterlevet"), &dv)?;
        row += 1;
    }
    for extra in &filled.extra_requirements {
        for (name, v) in crate::model::layout::KRAV_COLS_2025.iter().zip(extra) {
            let c = col(name);
            xlsx::value(ws, row, c, v, matches!(v, Value::Text(_)).then_some(&answer))?;
            if let Value::Text(t) = v {
                fit.note(row, c, t, false);
            }
        }
        row += 1;
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, Some(0))?;
    // Printed two pages wide: the requirement and its answer (and the assessment) on the
    // first, the rest of the catalogue row on the second, the ID and text repeated there.
    ws.set_print_fit_to_pages(2, 0);
    ws.set_repeat_columns(0, KRAV_FROZEN_COLS - 1)?;
    ws.set_vertical_page_breaks(&[u32::from(col("Type"))])?;
    let last = row.saturating_sub(1).max(1);
    ws.autofilter(0, 0, last, KRAV_COLS.len() as u16 - 1)?;
    let lights = lists.range("Vurdering", &Light::labels_da());
    let vurdering = xlsx::dropdown(
        &lights,
        "Vurdering",
        "Udfyldes ikke her: sekretariatets vurdering står i sekretariatets register og vises i fanen Kontrol.",
        true,
    )?;
    let light_col = col("Vurdering");
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
    protect(ws);
    Ok(())
}

/// Whom to ask: the secretariat's contact from the styringsmodel's Modtagere (the active
/// recipients with the role Sekretariat), or the secretariat in general when none is listed.
pub fn help_line(rules: &Rules) -> String {
    let contacts: Vec<String> =
        rules
            .recipients
            .iter()
            .filter(|r| r.active && r.role == crate::model::choice::RecipientRole::Sekretariat)
            .take(3)
            .map(|r| {
                if r.name.trim().is_empty() {
                    r.email.clone()
                } else {
                    format!("{} ({})", r.name.trim(), r.email.trim())
                }
            })
            .collect();
    if contacts.is_empty() {
        "Spørgsmål til arket? Kontakt OS2-sekretariatet.".to_string()
    } else {
        format!("Spørgsmål til arket? Kontakt OS2-sekretariatet: {}.", contacts.join(", "))
    }
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
        let body = if *head == "Hjælp" { help_line(rules) } else { body.to_string() };
        fit.text(ws, r, 1, &body, &wrap)?;
    }
    fit.apply(ws)?;
    xlsx::print_setup(ws, None)
}

#[cfg(test)]
mod tests;
