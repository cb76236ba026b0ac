//! The portfolio workbook `portefoelje-PERIOD.xlsx` (spec §7): Oversigt, Niveau og tema,
//! Til bestyrelsen, Ændringer, Fund and Diagrammer, with colours by light and severity,
//! frozen headers, filters, Danish formats and native Excel charts. Returns bytes.

use crate::board::{self, Agenda};
use crate::check::LightCounts;
use crate::finding::Severity;
use crate::model::choice::Light;
use crate::report::Report;
use crate::text::Lang;
use crate::xlsx;
use rust_xlsxwriter::{Chart, ChartType, Color, Format, Workbook, Worksheet, XlsxError};

/// Sheet names, Danish as the users see them.
pub const OVERSIGT: &str = "Oversigt";
pub const NIVEAU_TEMA: &str = "Niveau og tema";
pub const TIL_BESTYRELSEN: &str = "Til bestyrelsen";
pub const AENDRINGER: &str = "Ændringer";
pub const FUND: &str = "Fund";
pub const DIAGRAMMER: &str = "Diagrammer";

const ERROR_FILL: u32 = 0xFFC7CE;
const WARNING_FILL: u32 = 0xFFEB9C;
const INFO_FILL: u32 = 0xDDEBF7;

pub fn severity_fill(s: Severity) -> u32 {
    match s {
        Severity::Error => ERROR_FILL,
        Severity::Warning => WARNING_FILL,
        Severity::Info => INFO_FILL,
    }
}

/// The light columns in report order, with their Danish header and fill.
pub const LIGHT_COLUMNS: [(&str, Option<Light>); 5] = [
    ("Grøn", Some(Light::Groen)),
    ("Gul", Some(Light::Gul)),
    ("Rød", Some(Light::Roed)),
    ("Grå", Some(Light::Graa)),
    ("Ikke udfyldt", None),
];

fn light_header(light: Option<Light>) -> Format {
    xlsx::header()
        .set_background_color(Color::RGB(light.map(|l| l.colour()).unwrap_or(0xFFFFFF)))
        .set_font_color(Color::Black)
}

/// Sum of the projects' lights per level × theme (index as in `Rules`).
pub fn level_theme_totals(report: &Report) -> Vec<Vec<LightCounts>> {
    let rules = &report.rules;
    let mut totals = vec![vec![LightCounts::default(); rules.themes.len()]; rules.levels.len()];
    for p in &report.projects {
        for (l, row) in p.assessment.by_level_theme.iter().enumerate() {
            for (t, c) in row.iter().enumerate() {
                totals[l][t].merge(c);
            }
        }
    }
    totals
}

/// Builds the workbook.
pub fn build(report: &Report, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    oversigt(wb.add_worksheet(), report, lang)?;
    niveau_og_tema(wb.add_worksheet(), report)?;
    til_bestyrelsen(wb.add_worksheet(), report, lang)?;
    aendringer(wb.add_worksheet(), report, lang)?;
    fund(wb.add_worksheet(), report, lang)?;
    diagrammer(wb.add_worksheet(), report)?;
    wb.save_to_buffer()
}

fn title(ws: &mut Worksheet, report: &Report, heading: &str) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, heading, &xlsx::title())?;
    let line = format!(
        "Periode {} · kørselsdato {} · styringsmodel version {}",
        report.period,
        crate::model::value::format_date(report.as_of),
        report.rules.document.version
    );
    ws.write_string(1, 0, line)?;
    Ok(())
}

const HEADER_ROW: u32 = 3;

fn table_header(ws: &mut Worksheet, headers: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    xlsx::header_row(ws, HEADER_ROW, headers, widths)
}

fn oversigt(ws: &mut Worksheet, report: &Report, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(OVERSIGT)?;
    let rules = &report.rules;
    title(ws, report, "Porteføljeoversigt")?;
    let headers = [
        "Projekt-ID",
        "Navn",
        "Fil",
        "Erklæret niveau",
        "Opnået niveau",
        "Fase",
        "Grøn",
        "Gul",
        "Rød",
        "Grå",
        "Ikke udfyldt",
        "Fejl",
        "Advarsler",
        "Info",
        "Statusalder (dage)",
        "Budget ved godkendelse (kr.)",
        "Budget (kr.)",
        "Forbrug (kr.)",
        "Prognose (kr.)",
        "Prognosens udvikling",
        "SLA (seneste driftsrapport)",
        "Prioritet",
        "Anbefaling",
    ];
    let widths = [
        16.0, 30.0, 28.0, 10.0, 10.0, 16.0, 7.0, 7.0, 7.0, 7.0, 9.0, 7.0, 9.0, 7.0, 10.0, 14.0, 14.0, 14.0, 14.0, 30.0,
        30.0, 9.0, 60.0,
    ];
    let col = |name: &str| headers.iter().position(|h| *h == name).expect("an Oversigt column") as u16;
    table_header(ws, &headers, &widths)?;
    for (i, (_, light)) in LIGHT_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, 6 + i as u16, headers[6 + i], &light_header(*light))?;
    }
    let (amount, wrap) = (xlsx::amount(), xlsx::wrap());
    let (err, warn) = (xlsx::fill(ERROR_FILL), xlsx::fill(WARNING_FILL));
    let entries = board::entries(report);
    let mut row = HEADER_ROW + 1;
    for p in &report.projects {
        let declared = p.project.fields.level.given().map(|l| rules.level(*l).code.clone()).unwrap_or_default();
        let attained = crate::check::assess::attained_label(rules, &p.assessment, crate::text::Lang::Da, false);
        let phase = p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.clone()).unwrap_or_default();
        let mut lights = LightCounts::default();
        for c in &p.assessment.by_level {
            lights.merge(c);
        }
        let (e, w, inf) = crate::finding::count(&p.findings);
        xlsx::text(ws, row, 0, &p.key(), None)?;
        xlsx::text(ws, row, 1, &p.name(), None)?;
        xlsx::text(ws, row, 2, &p.file, None)?;
        xlsx::text(ws, row, 3, &declared, None)?;
        let below = p.project.fields.level.given().is_some_and(|d| p.assessment.attained < Some(*d));
        xlsx::text(ws, row, 4, &attained, below.then_some(&err))?;
        xlsx::text(ws, row, 5, &phase, None)?;
        for (i, n) in lights.as_array().iter().enumerate() {
            ws.write_number(row, 6 + i as u16, f64::from(*n))?;
        }
        if e > 0 {
            ws.write_number_with_format(row, 11, e as f64, &err)?;
        } else {
            ws.write_number(row, 11, 0.0)?;
        }
        if w > 0 {
            ws.write_number_with_format(row, 12, w as f64, &warn)?;
        } else {
            ws.write_number(row, 12, 0.0)?;
        }
        ws.write_number(row, 13, inf as f64)?;
        if let Some((_, date)) = p.project.newest_status() {
            ws.write_number(row, 14, crate::check::age_days(date, report.as_of) as f64)?;
        }
        let economy = crate::check::economy::Summary::of(&p.project);
        for (name, value) in [
            ("Budget ved godkendelse (kr.)", economy.baseline),
            ("Budget (kr.)", economy.budget),
            ("Forbrug (kr.)", economy.spent),
            ("Prognose (kr.)", economy.forecast),
        ] {
            if let Some(v) = value {
                ws.write_number_with_format(row, col(name), v, &amount)?;
            }
        }
        if let Some(trend) = economy.trend_text(Lang::Da) {
            xlsx::text(ws, row, col("Prognosens udvikling"), &trend, None)?;
        }
        if let Some(sla) = crate::check::product::sla_line(&p.project, Lang::Da) {
            let breach = p.findings.iter().any(|f| f.code == crate::finding::Code::ProductSlaBreach);
            xlsx::text(ws, row, col("SLA (seneste driftsrapport)"), &sla, breach.then_some(&warn))?;
        }
        let key = p.key();
        let recommendation: Vec<String> = entries
            .iter()
            .filter(|e| e.project == key && e.agenda != Agenda::Orientering)
            .map(|e| {
                let points: Vec<&str> = e.points.iter().map(|x| x.get(lang)).collect();
                format!("{}: {}", e.agenda.label(lang), points.join(" "))
            })
            .collect();
        if let Some(priority) = p.project.id().and_then(|id| board::log::priority(rules, id)) {
            ws.write_number(row, col("Prioritet"), priority as f64)?;
        }
        xlsx::text(ws, row, col("Anbefaling"), &recommendation.join("; "), Some(&wrap))?;
        row += 1;
    }
    for u in &report.unreadable {
        xlsx::text(
            ws,
            row,
            0,
            &u.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default(),
            None,
        )?;
        xlsx::text(ws, row, 2, &u.file, None)?;
        ws.write_number_with_format(row, 11, 1.0, &err)?;
        xlsx::text(ws, row, col("Anbefaling"), u.finding.message.get(lang), Some(&err))?;
        row += 1;
    }
    ws.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), headers.len() as u16 - 1)?;
    Ok(())
}

fn niveau_og_tema(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    ws.set_name(NIVEAU_TEMA)?;
    let rules = &report.rules;
    title(ws, report, "Kravenes farver pr. niveau og tema (alle projekter)")?;
    let headers = ["Niveau", "Tema", "Grøn", "Gul", "Rød", "Grå", "Ikke udfyldt", "I alt"];
    table_header(ws, &headers, &[18.0, 24.0, 9.0, 9.0, 9.0, 9.0, 12.0, 9.0])?;
    for (i, (_, light)) in LIGHT_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, 2 + i as u16, headers[2 + i], &light_header(*light))?;
    }
    let bold = xlsx::bold();
    let totals = level_theme_totals(report);
    let mut row = HEADER_ROW + 1;
    let mut grand = LightCounts::default();
    let write_counts = |ws: &mut Worksheet, row: u32, c: &LightCounts, f: Option<&Format>| -> Result<(), XlsxError> {
        for (i, n) in c.as_array().iter().chain(std::iter::once(&c.total())).enumerate() {
            match f {
                Some(f) => ws.write_number_with_format(row, 2 + i as u16, f64::from(*n), f)?,
                None => ws.write_number(row, 2 + i as u16, f64::from(*n))?,
            };
        }
        Ok(())
    };
    for (l, level) in rules.levels.iter().enumerate() {
        let label = format!("{} {}", level.code, level.name);
        let mut sub = LightCounts::default();
        for (t, theme) in rules.themes.iter().enumerate() {
            // Only themes the level has requirements in, as in OS2's reports.
            if !rules.requirements.iter().any(|r| r.level.0 == l && &r.theme == theme) {
                continue;
            }
            xlsx::text(ws, row, 0, &label, None)?;
            xlsx::text(ws, row, 1, theme, None)?;
            write_counts(ws, row, &totals[l][t], None)?;
            sub.merge(&totals[l][t]);
            row += 1;
        }
        ws.write_string_with_format(row, 0, &label, &bold)?;
        ws.write_string_with_format(row, 1, "I alt", &bold)?;
        write_counts(ws, row, &sub, Some(&bold))?;
        grand.merge(&sub);
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Alle niveauer", &bold)?;
    ws.write_string_with_format(row, 1, "I alt", &bold)?;
    write_counts(ws, row, &grand, Some(&bold))?;
    Ok(())
}

fn til_bestyrelsen(ws: &mut Worksheet, report: &Report, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(TIL_BESTYRELSEN)?;
    let meeting = report
        .rules
        .next_meeting(report.as_of)
        .map(|m| crate::model::value::format_date_words(m.date, Lang::Da))
        .unwrap_or_else(|| "intet møde planlagt".to_string());
    title(ws, report, &format!("Til bestyrelsesmødet {meeting}"))?;
    table_header(
        ws,
        &["Type", "Projekt-ID", "Navn", "Situation", "Punkter", "Bestyrelsen bedes"],
        &[13.0, 16.0, 28.0, 26.0, 80.0, 45.0],
    )?;
    let wrap = xlsx::wrap();
    let fills = [(Agenda::Beslutning, 0xF4B084), (Agenda::Droeftelse, 0xFFE699), (Agenda::Orientering, 0xDDEBF7)];
    let entries = board::entries(report);
    let mut row = HEADER_ROW + 1;
    for e in &entries {
        let fill = fills.iter().find(|(a, _)| *a == e.agenda).map(|(_, c)| *c).unwrap_or(0xFFFFFF);
        xlsx::text(ws, row, 0, e.agenda.label(lang), Some(&xlsx::fill(fill)))?;
        xlsx::text(ws, row, 1, &e.project, Some(&wrap))?;
        xlsx::text(ws, row, 2, &e.name, Some(&wrap))?;
        xlsx::text(ws, row, 3, e.situation.get(lang), Some(&wrap))?;
        let points: Vec<String> = e.points.iter().map(|p| format!("• {}", p.get(lang))).collect();
        xlsx::text(ws, row, 4, &points.join("\n"), Some(&wrap))?;
        xlsx::text(ws, row, 5, e.ask.as_ref().map(|a| a.get(lang)).unwrap_or(""), Some(&wrap))?;
        row += 1;
    }
    if entries.is_empty() {
        xlsx::text(ws, row, 0, lang.pick("Intet nyt til bestyrelsen.", "Nothing new for the board."), None)?;
        row += 1;
    }
    ws.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), 5)?;
    // A basis for prioritising: the concepts awaiting the board side by side.
    if let Some((header, rows)) = board::concept::comparison(report, lang) {
        row += 2;
        ws.write_string_with_format(
            row,
            0,
            lang.pick("Koncepter til vurdering og prioritering", "Concepts to assess and prioritise"),
            &xlsx::bold(),
        )?;
        row += 1;
        let head_format = xlsx::header();
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, h, &head_format)?;
        }
        for r in rows {
            row += 1;
            for (c, v) in r.iter().enumerate() {
                xlsx::text(ws, row, c as u16, v, Some(&wrap))?;
            }
        }
    }
    Ok(())
}

fn aendringer(ws: &mut Worksheet, report: &Report, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(AENDRINGER)?;
    title(ws, report, "Ændringer siden sidste periode")?;
    table_header(
        ws,
        &["Projekt-ID", "Ændring", "Fra", "Til", "Kode", "Krav", "Celle", "Beskrivelse"],
        &[16.0, 22.0, 14.0, 14.0, 28.0, 7.0, 14.0, 60.0],
    )?;
    let mut row = HEADER_ROW + 1;
    use crate::report::ChangeKind as K;
    for c in &report.changes {
        let (kind, from, to, code, req, cell) = match &c.kind {
            K::NewProject => ("Nyt projekt", "", "", "", None, ""),
            K::GoneProject => ("Ikke indsendt", "", "", "", None, ""),
            K::LevelChanged { from, to } => ("Niveau", from.as_str(), to.as_str(), "", None, ""),
            K::AttainedLevelChanged { from, to } => ("Opnået niveau", from.as_str(), to.as_str(), "", None, ""),
            K::PhaseChanged { from, to } => ("Fase", from.as_str(), to.as_str(), "", None, ""),
            K::NewFinding { code, requirement, cell } => {
                ("Nyt fund", "", "", code.as_str(), requirement.as_deref(), cell.as_str())
            }
            K::ResolvedFinding { code, requirement, cell } => {
                ("Løst fund", "", "", code.as_str(), requirement.as_deref(), cell.as_str())
            }
        };
        for (col, v) in [&c.project as &str, kind, from, to, code, req.unwrap_or(""), cell].iter().enumerate() {
            xlsx::text(ws, row, col as u16, v, None)?;
        }
        xlsx::text(ws, row, 7, c.describe().get(lang), None)?;
        row += 1;
    }
    if report.changes.is_empty() {
        let text = match &report.previous_period {
            Some(p) => format!("Ingen ændringer siden {p}."),
            None => "Ingen tidligere periode at sammenligne med.".to_string(),
        };
        xlsx::text(ws, row, 0, &text, None)?;
    }
    ws.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), 7)?;
    Ok(())
}

fn fund(ws: &mut Worksheet, report: &Report, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(FUND)?;
    title(ws, report, "Alle fund")?;
    table_header(
        ws,
        &["Projekt-ID", "Fil", "Alvor", "Kode", "Krav", "Ark", "Celle", "Besked"],
        &[16.0, 28.0, 10.0, 30.0, 7.0, 12.0, 8.0, 100.0],
    )?;
    let mut row = HEADER_ROW + 1;
    for (p, f) in report.listed_findings() {
        let fill = xlsx::fill(severity_fill(f.severity));
        xlsx::text(ws, row, 0, &p.map(|p| p.key()).unwrap_or_else(|| "styringsmodel".into()), None)?;
        xlsx::text(ws, row, 1, p.map(|p| p.file.as_str()).unwrap_or(""), None)?;
        xlsx::text(ws, row, 2, f.severity.label(lang), Some(&fill))?;
        xlsx::text(ws, row, 3, f.code.as_str(), None)?;
        xlsx::text(ws, row, 4, f.requirement.as_deref().unwrap_or(""), None)?;
        xlsx::text(ws, row, 5, f.location.sheet.as_deref().unwrap_or(""), None)?;
        xlsx::text(ws, row, 6, &f.location.cell.map(|c| c.to_string()).unwrap_or_default(), None)?;
        xlsx::text(ws, row, 7, f.message.get(lang), None)?;
        row += 1;
    }
    for u in &report.unreadable {
        xlsx::text(ws, row, 0, "", None)?;
        xlsx::text(ws, row, 1, &u.file, None)?;
        xlsx::text(ws, row, 2, u.finding.severity.label(lang), Some(&xlsx::fill(ERROR_FILL)))?;
        xlsx::text(ws, row, 3, u.finding.code.as_str(), None)?;
        xlsx::text(ws, row, 7, u.finding.message.get(lang), None)?;
        row += 1;
    }
    ws.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), 7)?;
    Ok(())
}

fn diagrammer(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    ws.set_name(DIAGRAMMER)?;
    let rules = &report.rules;
    title(ws, report, "Diagrammer")?;
    let bold = xlsx::bold();
    // Table 1: projects per phase (rows) and level (columns).
    let top = HEADER_ROW;
    ws.write_string_with_format(top, 0, "Fase", &xlsx::header())?;
    for (l, level) in rules.levels.iter().enumerate() {
        ws.write_string_with_format(top, 1 + l as u16, &level.code, &xlsx::header())?;
    }
    for (ph, phase) in rules.phases.iter().enumerate() {
        let r = top + 1 + ph as u32;
        ws.write_string(r, 0, &phase.name)?;
        for l in 0..rules.levels.len() {
            let n = report
                .projects
                .iter()
                .filter(|p| {
                    p.project.fields.phase.given().map(|x| x.0) == Some(ph)
                        && p.project.fields.level.given().map(|x| x.0) == Some(l)
                })
                .count();
            ws.write_number(r, 1 + l as u16, n as f64)?;
        }
    }
    let last_phase_row = top + rules.phases.len() as u32;
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart.title().set_name("Projekter pr. fase og niveau");
    for l in 0..rules.levels.len() {
        let col = 1 + l as u16;
        chart
            .add_series()
            .set_name((DIAGRAMMER, top, col))
            .set_categories((DIAGRAMMER, top + 1, 0, last_phase_row, 0))
            .set_values((DIAGRAMMER, top + 1, col, last_phase_row, col));
    }
    chart.y_axis().set_name("Antal projekter");
    ws.insert_chart(top, 8, &chart)?;

    // Table 2: lights per level.
    let top2 = last_phase_row + 3;
    ws.write_string_with_format(top2 - 1, 0, "Kravenes farver pr. niveau", &bold)?;
    ws.write_string_with_format(top2, 0, "Niveau", &xlsx::header())?;
    for (i, (name, light)) in LIGHT_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(top2, 1 + i as u16, *name, &light_header(*light))?;
    }
    let totals = level_theme_totals(report);
    for (l, level) in rules.levels.iter().enumerate() {
        let r = top2 + 1 + l as u32;
        ws.write_string(r, 0, &level.code)?;
        let mut c = LightCounts::default();
        for t in &totals[l] {
            c.merge(t);
        }
        for (i, n) in c.as_array().iter().enumerate() {
            ws.write_number(r, 1 + i as u16, f64::from(*n))?;
        }
    }
    let last_level_row = top2 + rules.levels.len() as u32;
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart.title().set_name("Kravenes farver pr. niveau");
    for (i, (_, light)) in LIGHT_COLUMNS.iter().enumerate() {
        let col = 1 + i as u16;
        let colour = light.map(|l| l.colour()).unwrap_or(0xBFBFBF);
        chart
            .add_series()
            .set_name((DIAGRAMMER, top2, col))
            .set_categories((DIAGRAMMER, top2 + 1, 0, last_level_row, 0))
            .set_values((DIAGRAMMER, top2 + 1, col, last_level_row, col))
            .set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_solid_fill(rust_xlsxwriter::ChartSolidFill::new().set_color(Color::RGB(colour))),
            );
    }
    ws.insert_chart(top2, 8, &chart)?;
    ws.set_column_width(0, 24)?;
    Ok(())
}
