//! The portfolio workbook `portefoelje-PERIOD.xlsx`: Oversigt, Niveau og tema, Til
//! bestyrelsen, Til sekretariatet, Ændringer, Fund, Diagrammer and Udvikling (the counts
//! per period from the history), with colours by light and severity, frozen headers,
//! filters, Danish formats, native Excel charts, rows as tall as their text and print
//! setup (landscape, one page wide, the header on every page). Light counts are of
//! the requirements that apply to each project. Returns bytes.

use crate::board;
use crate::check::assess::LightCounts;
use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::model::agenda::Agenda;
use crate::model::choice::Light;
use crate::model::finding::Severity;
use crate::model::history::{PortfolioPoint, State};
use crate::model::rules::{LevelId, Rules};
use crate::text::Lang;
use crate::xlsx::{self, RowFit};
use rust_xlsxwriter::{
    Chart, ChartAxisCrossing, ChartDataLabel, ChartDataLabelPosition, ChartFont, ChartFormat, ChartLegendPosition,
    ChartLine, ChartMarker, ChartSolidFill, ChartType, Color, ConditionalFormatCell, ConditionalFormatCellRule,
    ConditionalFormatFormula, Format, FormatAlign, Note, Workbook, Worksheet, XlsxError,
};

/// The portfolio workbook's file name for a period.
pub fn file_name(period: &str) -> String {
    format!("portefoelje-{period}.xlsx")
}

/// Sheet names, Danish as the users see them.
pub const OVERSIGT: &str = "Oversigt";
pub const NIVEAU_TEMA: &str = "Niveau og tema";
pub const TIL_BESTYRELSEN: &str = "Til bestyrelsen";
pub const TIL_SEKRETARIATET: &str = "Til sekretariatet";
pub const AENDRINGER: &str = "Ændringer";
pub const FUND: &str = "Fund";
pub const DIAGRAMMER: &str = "Diagrammer";
pub const UDVIKLING: &str = "Udvikling";

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

/// The fill of "Ikke udfyldt" (no light yet): a pale violet that is none of the lights.
pub const NOT_FILLED_FILL: u32 = 0xE4DFEC;

/// The fill of a light column in tables (the pale fills cells get).
pub fn light_fill(light: Option<Light>) -> u32 {
    light.map(|l| l.colour()).unwrap_or(NOT_FILLED_FILL)
}

/// The colour of a light in charts: the traffic-light colours at full strength, since a
/// pale fill is near invisible as a thin bar.
pub fn chart_colour(light: Option<Light>) -> u32 {
    match light {
        Some(Light::Groen) => 0x00A651,
        Some(Light::Gul) => 0xFFC000,
        Some(Light::Roed) => 0xE00000,
        Some(Light::Graa) => 0x808080,
        None => 0x8E7CC3,
    }
}

fn light_header(light: Option<Light>) -> Format {
    xlsx::header()
        .set_background_color(Color::RGB(light_fill(light)))
        .set_font_color(Color::Black)
        .set_align(FormatAlign::Right)
}

/// The level whose requirements apply to a project: its declared level, or the lowest
/// level when none valid is declared (as the checks have it).
fn applicable_level(p: &ProjectResult) -> LevelId {
    p.project.fields.level.given().copied().unwrap_or(LevelId(0))
}

/// A project's lights per level × theme (indexes as in `Rules`), counting only the
/// requirements that apply to it – those at or below its declared level. A requirement
/// above it is no colour at all: "Ikke udfyldt" means applicable and not answered.
pub fn applicable_by_level_theme(rules: &Rules, p: &ProjectResult) -> Vec<Vec<LightCounts>> {
    let level = applicable_level(p);
    let mut out = vec![vec![LightCounts::default(); rules.themes.len()]; rules.levels.len()];
    for (i, req) in rules.requirements.iter().enumerate() {
        if req.level > level {
            continue;
        }
        let Some(t) = rules.themes.iter().position(|t| *t == req.theme) else { continue };
        out[req.level.0][t].add(p.assessment.lights.get(i).copied().flatten());
    }
    out
}

/// A project's applicable lights in all.
pub fn applicable_lights(rules: &Rules, p: &ProjectResult) -> LightCounts {
    let mut all = LightCounts::default();
    for row in applicable_by_level_theme(rules, p) {
        for c in &row {
            all.merge(c);
        }
    }
    all
}

/// Sum of the projects' applicable lights per level × theme (index as in `Rules`).
pub fn level_theme_totals(report: &Report) -> Vec<Vec<LightCounts>> {
    let rules = &report.rules;
    let mut totals = vec![vec![LightCounts::default(); rules.themes.len()]; rules.levels.len()];
    for p in &report.projects {
        for (l, row) in applicable_by_level_theme(rules, p).iter().enumerate() {
            for (t, c) in row.iter().enumerate() {
                totals[l][t].merge(c);
            }
        }
    }
    totals
}

/// How many projects each level's requirements apply to.
fn projects_per_level(report: &Report) -> Vec<usize> {
    let n = report.rules.levels.len();
    (0..n).map(|l| report.projects.iter().filter(|p| applicable_level(p).0 >= l).count()).collect()
}

/// What the light counts mean, for the note on "Ikke udfyldt" and the line above tables.
const COUNTS_NOTE: &str = "Farverne tæller kun de krav, der gælder for projektet: kravene på projektets erklærede niveau og niveauerne under det. Ikke udfyldt = et krav, der gælder, men som ikke er besvaret (også krav, der først skal være opfyldt i en senere fase). Krav på niveauer over projektets tælles ikke.";

/// Builds the workbook; the sheet Udvikling shows this run alone (no history).
pub fn build(report: &Report, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    build_with_history(report, lang, None)
}

/// This run's portfolio counts, for the history (`historik-<period>.json`) and the sheet
/// Udvikling: projects per declared level and per phase, errors, and `board_items` (the
/// number of board items open, from the run's `crate::board::items`).
pub fn point(report: &Report, board_items: usize) -> PortfolioPoint {
    let rules = &report.rules;
    let count = |f: &dyn Fn(&ProjectResult) -> bool| report.projects.iter().filter(|p| f(p)).count();
    PortfolioPoint {
        period: report.period.clone(),
        projects: report.projects.len(),
        levels: (0..rules.levels.len())
            .map(|l| (rules.levels[l].code.clone(), count(&|p| p.project.fields.level.given().map(|x| x.0) == Some(l))))
            .collect(),
        phases: (0..rules.phases.len())
            .map(|ph| {
                (rules.phases[ph].name.clone(), count(&|p| p.project.fields.phase.given().map(|x| x.0) == Some(ph)))
            })
            .collect(),
        errors: report.summary().errors,
        board_items: Some(board_items),
    }
}

/// Builds the workbook, with the sheet Udvikling from the history through this period
/// (`state`, which the monthly run has folded this run into).
pub fn build_with_history(report: &Report, lang: Lang, state: Option<&State>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let entries = board::entries(report);
    oversigt(wb.add_worksheet(), report, &entries, lang)?;
    niveau_og_tema(wb.add_worksheet(), report)?;
    til_bestyrelsen(wb.add_worksheet(), report, &entries, lang)?;
    til_sekretariatet(wb.add_worksheet(), report, lang)?;
    aendringer(wb.add_worksheet(), report, lang)?;
    fund(wb.add_worksheet(), report, lang)?;
    diagrammer(wb.add_worksheet(), report)?;
    let points = match state.map(|s| &s.portfolio).filter(|p| p.iter().any(|x| x.period == report.period)) {
        Some(points) => points.clone(),
        None => vec![point(report, board::items(report).len())],
    };
    udvikling(wb.add_worksheet(), report, &points)?;
    xlsx::finish(&mut wb)
}

fn title(ws: &mut Worksheet, report: &Report, heading: &str) -> Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, heading, &xlsx::title())?;
    ws.set_row_height(0, xlsx::lines_height(1, 14.0))?;
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
    xlsx::header_row(ws, HEADER_ROW, headers, widths)?;
    xlsx::print_setup(ws, Some(HEADER_ROW))
}

/// A header cell over a column of numbers: right-aligned, like the numbers.
fn number_header() -> Format {
    xlsx::header().set_align(FormatAlign::Right)
}

/// The definition of the light counts: a note on the "Ikke udfyldt" header, and the same
/// text in row 3, wrapped across the columns `span` (first, last), since notes are not
/// printed.
fn explain_counts(ws: &mut Worksheet, col: u16, widths: &[f64], span: (u16, u16)) -> Result<(), XlsxError> {
    let note = Note::new(COUNTS_NOTE).set_author("os2gov").add_author_prefix(false).set_width(360).set_height(140);
    ws.insert_note(HEADER_ROW, col, &note)?;
    let (first, last) = span;
    let format =
        Format::new().set_italic().set_font_color(Color::RGB(0x595959)).set_text_wrap().set_align(FormatAlign::Top);
    ws.merge_range(2, first, 2, last, COUNTS_NOTE, &format)?;
    let mut fit = RowFit::new(widths);
    fit.note_span(2, first, last + 1, COUNTS_NOTE, false);
    if let Some(h) = fit.height(2) {
        ws.set_row_height(2, h)?;
    }
    Ok(())
}

fn oversigt(ws: &mut Worksheet, report: &Report, entries: &[board::BoardEntry], lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(OVERSIGT)?;
    let rules = &report.rules;
    title(ws, report, "Porteføljeoversigt")?;
    // The project and what to do about it first (frozen through Navn); numbers after; the
    // file, which only the secretariat needs, last.
    let headers = [
        "Projekt-ID",
        "Navn",
        "Anbefaling",
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
        "Fil",
    ];
    let col = |name: &str| headers.iter().position(|h| *h == name).expect("an Oversigt column") as u16;
    let first_light = col("Grøn");
    let numeric = |c: u16| (first_light..=col("Prognose (kr.)")).contains(&c) || c == col("Prioritet");

    // Every row's texts first, so the columns can be as wide as their content.
    struct Line {
        key: String,
        name: String,
        levels: [String; 3],
        file: String,
        below: bool,
        lights: LightCounts,
        counts: (usize, usize, usize),
        age: Option<i64>,
        economy: crate::check::economy::Summary,
        trend: Option<String>,
        sla: Option<(String, bool)>,
        priority: Option<i64>,
        recommendation: String,
    }
    let mut lines = Vec::new();
    for p in &report.projects {
        let declared = p.project.fields.level.given().map(|l| rules.level(*l).code.clone()).unwrap_or_default();
        let attained = crate::check::assess::attained_label(rules, &p.assessment, crate::text::Lang::Da, false);
        let phase = p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.clone()).unwrap_or_default();
        let key = p.key();
        let recommendation: Vec<String> = entries
            .iter()
            .filter(|e| e.project == key && e.agenda != Agenda::Orientering)
            .map(|e| {
                let points: Vec<&str> = e.points.iter().map(|x| x.get(lang)).collect();
                format!("{}: {}", e.agenda.label(lang), points.join(" "))
            })
            .collect();
        let economy = crate::check::economy::Summary::of(&p.project, report.as_of);
        // A status report is owed while the project runs: started, not a product, not
        // closed (as STATUS-* judge it). Elsewhere its age is no warning sign.
        let process = &p.assessment.process;
        let closed = p.project.fields.phase.given() == Some(&rules.key.closed);
        let owes_status = process.started(rules) && process.effective != Some(rules.key.product) && !closed;
        lines.push(Line {
            key,
            name: p.name(),
            levels: [declared, attained, phase],
            file: p.file.clone(),
            below: p.project.fields.level.given().is_some_and(|d| p.assessment.attained < Some(*d)),
            lights: applicable_lights(rules, p),
            counts: crate::model::finding::count(&p.findings),
            age: p
                .project
                .newest_status_on(report.as_of)
                .filter(|_| owes_status)
                .map(|(_, date)| crate::check::context::age_days(date, report.as_of)),
            trend: economy.trend_text(Lang::Da),
            economy,
            sla: crate::check::product::sla_line(&p.project, report.as_of, Lang::Da)
                .map(|sla| (sla, p.findings.iter().any(|f| f.code == crate::model::finding::Code::ProductSlaBreach))),
            priority: p.project.id().and_then(|id| board::log::priority(rules, id)),
            recommendation: recommendation.join(" "),
        });
    }
    let fit = |texts: &dyn Fn(&Line) -> &str, header: &str, min: f64, max: f64| {
        xlsx::fit_width(lines.iter().map(texts).chain([header]), false, min, max)
    };
    let mut widths = vec![0.0; headers.len()];
    widths[col("Projekt-ID") as usize] = fit(&|l| l.key.as_str(), "Projekt-ID", 12.0, 22.0);
    widths[col("Navn") as usize] = fit(&|l| l.name.as_str(), "Navn", 16.0, 26.0);
    widths[col("Anbefaling") as usize] = if lines.iter().any(|l| !l.recommendation.is_empty()) { 48.0 } else { 14.0 };
    widths[col("Erklæret niveau") as usize] = 9.0;
    widths[col("Opnået niveau") as usize] = fit(&|l| l.levels[1].as_str(), "Opnået niveau", 9.0, 20.0);
    widths[col("Fase") as usize] = fit(&|l| l.levels[2].as_str(), "Fase", 10.0, 22.0);
    for (name, w) in [
        ("Grøn", 7.0),
        ("Gul", 7.0),
        ("Rød", 7.0),
        ("Grå", 7.0),
        ("Ikke udfyldt", 9.0),
        ("Fejl", 7.0),
        ("Advarsler", 10.0),
        ("Info", 7.0),
        ("Statusalder (dage)", 10.0),
        ("Budget ved godkendelse (kr.)", 13.0),
        ("Budget (kr.)", 13.0),
        ("Forbrug (kr.)", 13.0),
        ("Prognose (kr.)", 13.0),
        ("Prioritet", 9.0),
    ] {
        widths[col(name) as usize] = w;
    }
    widths[col("Prognosens udvikling") as usize] =
        xlsx::fit_width(lines.iter().filter_map(|l| l.trend.as_deref()).chain(["Prognosens"]), false, 12.0, 26.0);
    widths[col("SLA (seneste driftsrapport)") as usize] = xlsx::fit_width(
        lines.iter().filter_map(|l| l.sla.as_ref().map(|s| s.0.as_str())).chain(["SLA"]),
        false,
        12.0,
        24.0,
    );
    widths[col("Fil") as usize] = fit(&|l| l.file.as_str(), "Fil", 14.0, 40.0);
    table_header(ws, &headers, &widths)?;
    // The project stays in view while the numbers scroll past.
    ws.set_freeze_panes(HEADER_ROW + 1, 2)?;
    // 23 columns do not fit one A4 page at a readable size: two pages wide, with Projekt-ID
    // and Navn repeated on the second, and the title rows on every page.
    ws.set_print_fit_to_pages(2, 0);
    ws.set_repeat_columns(0, 1)?;
    ws.set_repeat_rows(0, HEADER_ROW)?;
    let header_right = number_header();
    for c in 0..headers.len() as u16 {
        if numeric(c) && !(first_light..first_light + 5).contains(&c) {
            ws.write_string_with_format(HEADER_ROW, c, headers[c as usize], &header_right)?;
        }
    }
    for (i, (_, light)) in LIGHT_COLUMNS.iter().enumerate() {
        let c = first_light + i as u16;
        ws.write_string_with_format(HEADER_ROW, c, headers[c as usize], &light_header(*light))?;
    }
    // The definition above the columns it explains, all on the first printed strip.
    explain_counts(ws, col("Ikke udfyldt"), &widths, (col("Anbefaling"), col("Ikke udfyldt")))?;
    // The period line wrapped within Projekt-ID and Navn, which every strip repeats, so no
    // strip shows it cut.
    let line = format!(
        "Periode {} · kørselsdato {} · styringsmodel version {}",
        report.period,
        crate::model::value::format_date(report.as_of),
        report.rules.document.version
    );
    ws.merge_range(1, 0, 1, 1, &line, &xlsx::wrap())?;
    let mut title_fit = RowFit::new(&widths);
    title_fit.note_span(1, 0, 2, &line, false);
    if let Some(h) = title_fit.height(1) {
        ws.set_row_height(1, h)?;
    }
    // Row heights follow what is read on the first page: the file name, last, never wraps.
    let mut rows = RowFit::new(&widths);
    let (amount, wrap) = (xlsx::amount(), xlsx::wrap());
    let top = xlsx::wrap();
    let plain_top = Format::new().set_align(FormatAlign::Top);
    let number = Format::new().set_align(FormatAlign::Top);
    let (err, warn) = (xlsx::fill(ERROR_FILL), xlsx::fill(WARNING_FILL));
    let (err_n, warn_n) = (
        number.clone().set_background_color(Color::RGB(ERROR_FILL)),
        number.clone().set_background_color(Color::RGB(WARNING_FILL)),
    );
    let mut row = HEADER_ROW + 1;
    for line in &lines {
        rows.text(ws, row, col("Projekt-ID"), &line.key, &top)?;
        rows.text(ws, row, col("Navn"), &line.name, &top)?;
        rows.text(ws, row, col("Anbefaling"), &line.recommendation, &wrap)?;
        for (name, text) in ["Erklæret niveau", "Opnået niveau", "Fase"].iter().zip(&line.levels) {
            let f = if *name == "Opnået niveau" && line.below { &err } else { &top };
            rows.text(ws, row, col(name), text, f)?;
        }
        for (i, n) in line.lights.as_array().iter().enumerate() {
            ws.write_number_with_format(row, first_light + i as u16, f64::from(*n), &number)?;
        }
        let (e, w, inf) = line.counts;
        ws.write_number_with_format(row, col("Fejl"), e as f64, if e > 0 { &err_n } else { &number })?;
        ws.write_number_with_format(row, col("Advarsler"), w as f64, if w > 0 { &warn_n } else { &number })?;
        ws.write_number_with_format(row, col("Info"), inf as f64, &number)?;
        if let Some(age) = line.age {
            ws.write_number_with_format(row, col("Statusalder (dage)"), age as f64, &number)?;
        }
        for (name, value) in [
            ("Budget ved godkendelse (kr.)", line.economy.baseline),
            ("Budget (kr.)", line.economy.budget),
            ("Forbrug (kr.)", line.economy.spent),
            ("Prognose (kr.)", line.economy.forecast),
        ] {
            if let Some(v) = value {
                ws.write_number_with_format(row, col(name), v, &amount)?;
            }
        }
        if let Some(trend) = &line.trend {
            rows.text(ws, row, col("Prognosens udvikling"), trend, &wrap)?;
        }
        if let Some((sla, breach)) = &line.sla {
            rows.text(ws, row, col("SLA (seneste driftsrapport)"), sla, if *breach { &warn } else { &wrap })?;
        }
        if let Some(priority) = line.priority {
            ws.write_number_with_format(row, col("Prioritet"), priority as f64, &number)?;
        }
        ws.write_string_with_format(row, col("Fil"), &line.file, &plain_top)?;
        row += 1;
    }
    for u in &report.unreadable {
        let stem = u.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        rows.text(ws, row, col("Projekt-ID"), &stem, &top)?;
        ws.write_string_with_format(row, col("Fil"), &u.file, &plain_top)?;
        ws.write_number_with_format(row, col("Fejl"), 1.0, &err_n)?;
        rows.text(ws, row, col("Anbefaling"), u.finding.message.get(lang), &err)?;
        row += 1;
    }
    rows.apply(ws)?;
    let last = row.saturating_sub(1).max(HEADER_ROW);
    ws.autofilter(HEADER_ROW, 0, last, headers.len() as u16 - 1)?;
    if row > HEADER_ROW + 1 {
        highlight_follow_up(ws, rules, HEADER_ROW + 1, last, &col)?;
    }
    Ok(())
}

/// Conditional formats on Oversigt, so they stay right when someone sorts or edits: a
/// status report older than `statusrapport_maks_dage` yellow, older than
/// `statusrapport_kritisk_dage` red; spending over the budget, or a forecast over the
/// budget beyond `budget_tolerance_pct`, red.
fn highlight_follow_up(
    ws: &mut Worksheet,
    rules: &Rules,
    first: u32,
    last: u32,
    col: &dyn Fn(&str) -> u16,
) -> Result<(), XlsxError> {
    let p = &rules.params;
    let (red, yellow) = (
        Format::new().set_background_color(Color::RGB(ERROR_FILL)).set_font_color(Color::RGB(0x9C0006)),
        Format::new().set_background_color(Color::RGB(WARNING_FILL)).set_font_color(Color::RGB(0x9C5700)),
    );
    let age = col("Statusalder (dage)");
    ws.add_conditional_format(
        first,
        age,
        last,
        age,
        &ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(p.status_critical_days as f64))
            .set_format(&red)
            .set_stop_if_true(true),
    )?;
    ws.add_conditional_format(
        first,
        age,
        last,
        age,
        &ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::GreaterThan(p.status_max_days as f64))
            .set_format(&yellow),
    )?;
    let letter = |name: &str| crate::model::cell::column_letters(u32::from(col(name)));
    let (budget, spent, forecast) = (letter("Budget (kr.)"), letter("Forbrug (kr.)"), letter("Prognose (kr.)"));
    let r = first + 1;
    let factor = 1.0 + p.budget_tolerance_pct / 100.0;
    for (column, rule) in [
        (col("Forbrug (kr.)"), format!("=AND(ISNUMBER(${budget}{r}),ISNUMBER(${spent}{r}),${spent}{r}>${budget}{r})")),
        (
            col("Prognose (kr.)"),
            format!("=AND(ISNUMBER(${budget}{r}),ISNUMBER(${forecast}{r}),${forecast}{r}>${budget}{r}*{factor})"),
        ),
    ] {
        ws.add_conditional_format(
            first,
            column,
            last,
            column,
            &ConditionalFormatFormula::new().set_rule(rule.as_str()).set_format(&red),
        )?;
    }
    Ok(())
}

fn niveau_og_tema(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    ws.set_name(NIVEAU_TEMA)?;
    let rules = &report.rules;
    title(ws, report, "Kravenes farver pr. niveau og tema (alle projekter)")?;
    let headers = ["Niveau", "Tema", "Grøn", "Gul", "Rød", "Grå", "Ikke udfyldt", "I alt", "Projekter"];
    let widths = [
        xlsx::fit_width(
            rules
                .levels
                .iter()
                .map(|l| format!("{} {}", l.code, l.name))
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str)
                .chain(["Alle niveauer"]),
            true,
            14.0,
            30.0,
        ),
        xlsx::fit_width(rules.themes.iter().map(String::as_str), false, 14.0, 30.0),
        9.0,
        9.0,
        9.0,
        9.0,
        12.0,
        9.0,
        11.0,
    ];
    table_header(ws, &headers, &widths)?;
    for (i, (_, light)) in LIGHT_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, 2 + i as u16, headers[2 + i], &light_header(*light))?;
    }
    for c in [7u16, 8] {
        ws.write_string_with_format(HEADER_ROW, c, headers[c as usize], &number_header())?;
    }
    explain_counts(ws, 6, &widths, (0, (widths.len().clamp(2, 12) - 1) as u16))?;
    let bold = xlsx::bold();
    let totals = level_theme_totals(report);
    let per_level = projects_per_level(report);
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
        ws.write_number_with_format(row, 8, per_level[l] as f64, &bold)?;
        grand.merge(&sub);
        row += 1;
    }
    ws.write_string_with_format(row, 0, "Alle niveauer", &bold)?;
    ws.write_string_with_format(row, 1, "I alt", &bold)?;
    write_counts(ws, row, &grand, Some(&bold))?;
    ws.write_number_with_format(row, 8, report.projects.len() as f64, &bold)?;
    Ok(())
}

fn til_bestyrelsen(
    ws: &mut Worksheet,
    report: &Report,
    entries: &[board::BoardEntry],
    lang: Lang,
) -> Result<(), XlsxError> {
    ws.set_name(TIL_BESTYRELSEN)?;
    let meeting = report
        .rules
        .next_meeting(report.as_of)
        .map(|m| crate::model::value::format_date_words(m.date, Lang::Da))
        .unwrap_or_else(|| "intet møde planlagt".to_string());
    title(ws, report, &format!("Til bestyrelsesmødet {meeting}"))?;
    let comparison = board::concept::comparison(report, lang);
    // Column A holds the agenda type, and the concepts' IDs in the comparison below.
    let ids = comparison.iter().flat_map(|(_, rows)| rows.iter().filter_map(|r| r.first().map(String::as_str)));
    let widths = [
        xlsx::fit_width(ids.chain(["Beslutning", "Orientering"]), true, 13.0, 24.0),
        xlsx::fit_width(entries.iter().map(|e| e.project.as_str()).chain(["Projekt-ID"]), false, 12.0, 24.0),
        xlsx::fit_width(entries.iter().map(|e| e.name.as_str()).chain(["Navn"]), false, 14.0, 30.0),
        26.0,
        70.0,
        45.0,
        12.0,
        12.0,
    ];
    table_header(ws, &["Type", "Projekt-ID", "Navn", "Situation", "Punkter", "Bestyrelsen bedes"], &widths)?;
    for (c, w) in widths.iter().enumerate().skip(6) {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut rows = RowFit::new(&widths);
    let wrap = xlsx::wrap();
    let fills = [(Agenda::Beslutning, 0xF4B084), (Agenda::Droeftelse, 0xFFE699), (Agenda::Orientering, 0xDDEBF7)];
    let mut row = HEADER_ROW + 1;
    for e in entries {
        let fill = fills.iter().find(|(a, _)| *a == e.agenda).map(|(_, c)| *c).unwrap_or(0xFFFFFF);
        rows.text(ws, row, 0, e.agenda.label(lang), &xlsx::fill(fill))?;
        rows.text(ws, row, 1, &e.project, &wrap)?;
        rows.text(ws, row, 2, &e.name, &wrap)?;
        rows.text(ws, row, 3, e.situation.get(lang), &wrap)?;
        let points: Vec<String> = e.points.iter().map(|p| format!("• {}", p.get(lang))).collect();
        rows.text(ws, row, 4, &points.join("\n"), &wrap)?;
        rows.text(ws, row, 5, e.ask.as_ref().map(|a| a.get(lang)).unwrap_or(""), &wrap)?;
        row += 1;
    }
    if entries.is_empty() {
        xlsx::text(ws, row, 0, lang.pick("Intet nyt til bestyrelsen.", "Nothing new for the board."), None)?;
        row += 1;
    }
    ws.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), 5)?;
    // A basis for prioritising: the concepts awaiting the board side by side, in the
    // same columns (their widths are the table's).
    if let Some((header, lines)) = comparison {
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
            rows.note(row, c as u16, h, true);
            ws.write_string_with_format(row, c as u16, h, &head_format)?;
        }
        for r in lines {
            row += 1;
            for (c, v) in r.iter().enumerate() {
                rows.text(ws, row, c as u16, v, &wrap)?;
            }
        }
    }
    rows.apply(ws)
}

/// What the secretariat must do before the meeting (what, which project, by when), and
/// the rows waiting for it in the register – in the register's column order, so they can
/// be pasted there when `run` could not add them itself.
fn til_sekretariatet(ws: &mut Worksheet, report: &Report, lang: Lang) -> Result<(), XlsxError> {
    use crate::model::register::{ASSESSMENT_COLS, PLACEMENT_COLS};
    ws.set_name(TIL_SEKRETARIATET)?;
    let deadline = crate::check::secretariat::material_deadline(&report.rules, report.as_of);
    let heading = match deadline {
        Some((d, m)) => format!(
            "Til sekretariatet før bestyrelsesmødet {} – senest {}",
            crate::model::value::format_date_words(m, Lang::Da),
            crate::model::value::format_date(d)
        ),
        None => "Til sekretariatet".to_string(),
    };
    title(ws, report, &heading)?;
    let tasks = crate::check::secretariat::tasks(report);
    let widths = [18.0, 70.0, 12.0, 28.0, 7.0, 18.0, 40.0, 18.0, 28.0];
    table_header(ws, &["Projekt-ID", "Hvad", "Senest", "Kode", "Krav", "Sted"], &widths)?;
    for (c, w) in widths.iter().enumerate().skip(6) {
        ws.set_column_width(c as u16, *w)?;
    }
    let mut rows = RowFit::new(&widths);
    let wrap = xlsx::wrap();
    let mut row = HEADER_ROW + 1;
    for task in &tasks {
        let deadline = task.deadline.map(crate::model::value::format_date).unwrap_or_default();
        let cells = [
            task.project.as_deref().unwrap_or("sekretariatets register"),
            task.what.get(lang),
            deadline.as_str(),
            task.code.as_str(),
            task.requirement.as_deref().unwrap_or(""),
            task.place.as_str(),
        ];
        for (c, v) in cells.iter().enumerate() {
            rows.text(ws, row, c as u16, v, &wrap)?;
        }
        row += 1;
    }
    if tasks.is_empty() {
        xlsx::text(
            ws,
            row,
            0,
            lang.pick("Intet venter på sekretariatet.", "Nothing waits for the secretariat."),
            None,
        )?;
        row += 1;
    }
    ws.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), 5)?;
    let pending = crate::check::secretariat::pending_rows(report);
    let migrated = &report.register.migrated;
    let header_format = xlsx::header();
    let mut block = |ws: &mut Worksheet,
                     row: &mut u32,
                     heading: &str,
                     headers: &[&str],
                     lines: Vec<Vec<(&'static str, Option<String>)>>|
     -> Result<(), XlsxError> {
        if lines.is_empty() {
            return Ok(());
        }
        *row += 2;
        ws.write_string_with_format(*row, 0, heading, &xlsx::bold())?;
        *row += 1;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(*row, c as u16, *h, &header_format)?;
        }
        for cells in lines {
            *row += 1;
            for (c, v) in crate::model::register::placed(&cells, &[], headers).into_iter().enumerate() {
                if let Some(v) = v {
                    rows.text(ws, *row, c as u16, &v, &wrap)?;
                }
            }
        }
        Ok(())
    };
    block(
        ws,
        &mut row,
        "Rækker til registeret, fanen Vurderinger (skriv Vurdering, Vurderingsgrundlag, Dato og Af)",
        &ASSESSMENT_COLS,
        pending.assessments.iter().map(|a| a.cells()).collect(),
    )?;
    block(
        ws,
        &mut row,
        "Rækker til registeret, fanen Placeringer (skriv Dato, Niveau og Placeret af)",
        &PLACEMENT_COLS,
        pending.placements.iter().map(|p| p.cells()).collect(),
    )?;
    block(
        ws,
        &mut row,
        "Overført til registeret, da det blev oprettet – gennemgå, ret eller slet (Vurderinger)",
        &ASSESSMENT_COLS,
        migrated.assessments.iter().map(|a| a.cells()).collect(),
    )?;
    block(
        ws,
        &mut row,
        "Overført til registeret, da det blev oprettet – gennemgå, ret eller slet (Placeringer)",
        &PLACEMENT_COLS,
        migrated.placements.iter().map(|p| p.cells()).collect(),
    )?;
    rows.apply(ws)
}

fn aendringer(ws: &mut Worksheet, report: &Report, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(AENDRINGER)?;
    title(ws, report, "Ændringer siden sidste periode")?;
    let widths = [16.0, 16.0, 14.0, 14.0, 28.0, 7.0, 12.0, 60.0];
    table_header(ws, &["Projekt-ID", "Ændring", "Fra", "Til", "Kode", "Krav", "Celle", "Beskrivelse"], &widths)?;
    let mut rows = RowFit::new(&widths);
    let wrap = xlsx::wrap();
    let mut row = HEADER_ROW + 1;
    use crate::check::changes::ChangeKind as K;
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
            rows.text(ws, row, col as u16, v, &wrap)?;
        }
        rows.text(ws, row, 7, c.describe().get(lang), &wrap)?;
        row += 1;
    }
    if report.changes.is_empty() {
        let text = match &report.previous_period {
            Some(p) => format!("Ingen ændringer siden {p}."),
            None => "Ingen tidligere periode at sammenligne med.".to_string(),
        };
        xlsx::text(ws, row, 0, &text, None)?;
    }
    rows.apply(ws)?;
    ws.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), 7)?;
    Ok(())
}

fn fund(ws: &mut Worksheet, report: &Report, lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(FUND)?;
    title(ws, report, "Alle fund")?;
    let files =
        report.projects.iter().map(|p| p.file.as_str()).chain(report.unreadable.iter().map(|u| u.file.as_str()));
    let widths = [16.0, xlsx::fit_width(files.chain(["Fil"]), false, 12.0, 32.0), 10.0, 28.0, 7.0, 14.0, 9.0, 80.0];
    table_header(ws, &["Projekt-ID", "Fil", "Alvor", "Kode", "Krav", "Ark", "Celle", "Besked"], &widths)?;
    let mut rows = RowFit::new(&widths);
    let wrap = xlsx::wrap();
    let mut row = HEADER_ROW + 1;
    for (p, f) in report.listed_findings() {
        let fill = xlsx::fill(severity_fill(f.severity));
        let whose = match (p, f.code) {
            (Some(p), _) => p.key(),
            (None, crate::model::finding::Code::RegisterInvalid) => "sekretariatets register".into(),
            (None, _) => "styringsmodel".into(),
        };
        rows.text(ws, row, 0, &whose, &wrap)?;
        rows.text(ws, row, 1, p.map(|p| p.file.as_str()).unwrap_or(""), &wrap)?;
        rows.text(ws, row, 2, f.severity.label(lang), &fill)?;
        rows.text(ws, row, 3, f.code.as_str(), &wrap)?;
        xlsx::text(ws, row, 4, f.requirement.as_deref().unwrap_or(""), Some(&wrap))?;
        rows.text(ws, row, 5, f.location.sheet.as_deref().unwrap_or(""), &wrap)?;
        xlsx::text(ws, row, 6, &f.location.cell.map(|c| c.to_string()).unwrap_or_default(), Some(&wrap))?;
        rows.text(ws, row, 7, f.message.get(lang), &wrap)?;
        row += 1;
    }
    for u in &report.unreadable {
        xlsx::text(ws, row, 0, "", None)?;
        rows.text(ws, row, 1, &u.file, &wrap)?;
        xlsx::text(ws, row, 2, u.finding.severity.label(lang), Some(&xlsx::fill(ERROR_FILL)))?;
        xlsx::text(ws, row, 3, u.finding.code.as_str(), Some(&wrap))?;
        rows.text(ws, row, 7, u.finding.message.get(lang), &wrap)?;
        row += 1;
    }
    rows.apply(ws)?;
    ws.autofilter(HEADER_ROW, 0, row.saturating_sub(1).max(HEADER_ROW), 7)?;
    Ok(())
}

/// Pixel size of each chart: wide enough for every category and axis label, tall
/// enough for the legend below the plot.
const CHART_SIZE: (u32, u32) = (640, 380);

fn diagrammer(ws: &mut Worksheet, report: &Report) -> Result<(), XlsxError> {
    ws.set_name(DIAGRAMMER)?;
    let rules = &report.rules;
    title(ws, report, "Diagrammer")?;
    xlsx::print_setup(ws, None)?;
    let bold = xlsx::bold();
    let header = xlsx::header();
    let header_right = number_header();
    // Table 1: projects per phase (rows) and level (columns).
    let top = HEADER_ROW;
    ws.write_string_with_format(top - 1, 0, "Projekter pr. fase og niveau", &bold)?;
    ws.write_string_with_format(top, 0, "Fase", &header)?;
    for (l, level) in rules.levels.iter().enumerate() {
        ws.write_string_with_format(top, 1 + l as u16, &level.code, &header_right)?;
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

    // Table 2: applicable lights per level.
    let top2 = last_phase_row + 3;
    ws.write_string_with_format(top2 - 1, 0, "Kravenes farver pr. niveau", &bold)?;
    ws.write_string_with_format(top2, 0, "Niveau", &header)?;
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
    let label_width =
        xlsx::fit_width(rules.phases.iter().map(|p| p.name.as_str()).chain(["Kravenes farver pr."]), true, 14.0, 30.0);
    ws.set_column_width(0, label_width)?;
    for c in 1..=5u16 {
        ws.set_column_width(c, 9.0)?;
    }
    ws.set_column_width(6, 3.0)?;

    // The charts beside the tables (from column H), one below the other, never
    // overlapping: the second starts below the first's height in rows.
    let mut axis_font = ChartFont::new();
    axis_font.set_size(10);
    let mut title_font = ChartFont::new();
    title_font.set_size(12).set_bold();
    // Projects per phase: horizontal bars, so the phase names read across.
    let mut chart = Chart::new(ChartType::BarStacked);
    chart.title().set_name("Projekter pr. fase og niveau").set_font(&title_font);
    let level_colours = [0xC9DDF2, 0x7FB1E3, 0x2F6EBA, 0x14315C, 0x000000];
    for l in 0..rules.levels.len() {
        let col = 1 + l as u16;
        chart
            .add_series()
            .set_name((DIAGRAMMER, top, col))
            .set_categories((DIAGRAMMER, top + 1, 0, last_phase_row, 0))
            .set_values((DIAGRAMMER, top + 1, col, last_phase_row, col))
            .set_format(
                ChartFormat::new().set_solid_fill(
                    ChartSolidFill::new().set_color(Color::RGB(level_colours[l % level_colours.len()])),
                ),
            );
    }
    // In a bar chart the category axis is the vertical one (rust_xlsxwriter's y axis):
    // phases top to bottom in process order, the count axis below.
    chart.y_axis().set_reverse().set_crossing(ChartAxisCrossing::Max).set_font(&axis_font);
    chart
        .x_axis()
        .set_name("Antal projekter")
        .set_name_font(&axis_font)
        .set_font(&axis_font)
        .set_min(0)
        .set_major_unit(1)
        .set_major_gridlines(true);
    chart.legend().set_position(ChartLegendPosition::Bottom).set_font(&axis_font);
    chart.set_width(CHART_SIZE.0).set_height(CHART_SIZE.1);
    ws.insert_chart_with_offset(top - 1, 7, &chart, 0, 0)?;

    // Lights per level: a column per light, side by side in the traffic-light colours at
    // full strength, each labelled with its count – stacked, a handful of red answers
    // among hundreds of green ones would be a sliver nobody sees.
    let mut chart = Chart::new(ChartType::Column);
    chart.title().set_name("Kravenes farver pr. niveau (krav, der gælder)").set_font(&title_font);
    let mut label = ChartDataLabel::new();
    label.show_value().set_position(ChartDataLabelPosition::OutsideEnd).set_num_format("0;;;").set_font(&axis_font);
    for (i, (_, light)) in LIGHT_COLUMNS.iter().enumerate() {
        let col = 1 + i as u16;
        chart
            .add_series()
            .set_name((DIAGRAMMER, top2, col))
            .set_categories((DIAGRAMMER, top2 + 1, 0, last_level_row, 0))
            .set_values((DIAGRAMMER, top2 + 1, col, last_level_row, col))
            .set_data_label(&label)
            .set_gap(60)
            .set_format(
                ChartFormat::new()
                    .set_solid_fill(ChartSolidFill::new().set_color(Color::RGB(chart_colour(*light))))
                    .set_border(ChartLine::new().set_color(Color::RGB(0x404040)).set_width(0.5)),
            );
    }
    chart.x_axis().set_font(&axis_font);
    chart.y_axis().set_name("Antal krav").set_name_font(&axis_font).set_font(&axis_font).set_min(0);
    chart.legend().set_position(ChartLegendPosition::Bottom).set_font(&axis_font);
    chart.set_width(CHART_SIZE.0).set_height(CHART_SIZE.1);
    // Rows are 20 pixels; leave two rows between the charts.
    let rows_of_first = CHART_SIZE.1.div_ceil(20) + 2;
    ws.insert_chart_with_offset(top - 1 + rows_of_first, 7, &chart, 0, 0)?;
    Ok(())
}

/// The sheet Udvikling: the portfolio's counts per period (a row per period, oldest first)
/// and two line charts of them – the totals with the levels, and the phases.
fn udvikling(ws: &mut Worksheet, report: &Report, points: &[PortfolioPoint]) -> Result<(), XlsxError> {
    ws.set_name(UDVIKLING)?;
    title(ws, report, "Udvikling")?;
    let note = Format::new().set_italic().set_font_color(Color::RGB(0x595959));
    ws.write_string_with_format(
        2,
        0,
        "Porteføljens tal pr. kørt periode, fra arkivets historik (historik-PERIODE.json). Niveau = erklæret niveau; fejl = fund med alvor fejl; punkter = bestyrelsespunkter i periodens oversigt.",
        &note,
    )?;
    // The columns: the styringsmodel's levels and phases, then any an earlier period
    // counted that the styringsmodel no longer has.
    let mut levels: Vec<String> = report.rules.levels.iter().map(|l| l.code.clone()).collect();
    let mut phases: Vec<String> = report.rules.phases.iter().map(|p| p.name.clone()).collect();
    for p in points {
        for (name, _) in &p.levels {
            if !levels.contains(name) {
                levels.push(name.clone());
            }
        }
        for (name, _) in &p.phases {
            if !phases.contains(name) {
                phases.push(name.clone());
            }
        }
    }
    let mut headers: Vec<String> = vec!["Periode".into(), "Projekter".into()];
    headers.extend(levels.iter().map(|l| format!("Niveau {l}")));
    headers.extend(phases.iter().cloned());
    headers.extend(["Fejl".to_string(), "Punkter til bestyrelsen".to_string()]);
    let widths: Vec<f64> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| if i == 0 { 10.0 } else { (h.chars().count() as f64 + 2.0).clamp(9.0, 24.0) })
        .collect();
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    table_header(ws, &names, &widths)?;
    // Counts: right-aligned headers over right-aligned numbers.
    for (c, name) in names.iter().enumerate().skip(1) {
        ws.write_string_with_format(HEADER_ROW, c as u16, *name, &number_header())?;
    }
    let of = |list: &[(String, usize)], name: &str| list.iter().find(|(n, _)| n == name).map_or(0, |(_, v)| *v);
    for (i, p) in points.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        ws.write_string(r, 0, &p.period)?;
        let mut values = vec![Some(p.projects)];
        values.extend(levels.iter().map(|l| Some(of(&p.levels, l))));
        values.extend(phases.iter().map(|ph| Some(of(&p.phases, ph))));
        values.extend([Some(p.errors), p.board_items]);
        // An unknown count (board items of a period rebuilt from its findings JSON) is blank.
        for (c, v) in values.into_iter().enumerate() {
            if let Some(v) = v {
                ws.write_number(r, 1 + c as u16, v as f64)?;
            }
        }
    }
    let (first, last) = (HEADER_ROW + 1, HEADER_ROW + points.len().max(1) as u32);
    let n_cols = headers.len() as u16;
    let (errors_col, board_col) = (n_cols - 2, n_cols - 1);
    let level_cols = 2..2 + levels.len() as u16;
    let phase_cols = level_cols.end..level_cols.end + phases.len() as u16;
    let mut axis_font = ChartFont::new();
    axis_font.set_size(10);
    let mut title_font = ChartFont::new();
    title_font.set_size(12).set_bold();
    let line_chart = |title: &str, cols: Vec<u16>| {
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name(title).set_font(&title_font);
        for col in cols {
            // Markers, so that one period alone is a visible point.
            chart
                .add_series()
                .set_name((UDVIKLING, HEADER_ROW, col))
                .set_categories((UDVIKLING, first, 0, last, 0))
                .set_values((UDVIKLING, first, col, last, col))
                .set_marker(ChartMarker::new().set_automatic());
        }
        chart.x_axis().set_font(&axis_font);
        chart.y_axis().set_name("Antal").set_name_font(&axis_font).set_font(&axis_font).set_min(0);
        chart.legend().set_position(ChartLegendPosition::Bottom).set_font(&axis_font);
        chart.set_width(CHART_SIZE.0).set_height(CHART_SIZE.1);
        chart
    };
    let mut totals = vec![1u16];
    totals.extend(level_cols);
    totals.extend([errors_col, board_col]);
    let below = last + 2;
    ws.insert_chart_with_offset(
        below,
        0,
        &line_chart("Porteføljen pr. periode: projekter, niveauer, fejl og punkter", totals),
        0,
        0,
    )?;
    let rows_of_first = CHART_SIZE.1.div_ceil(20) + 2;
    ws.insert_chart_with_offset(
        below + rows_of_first,
        0,
        &line_chart("Projekter pr. fase pr. periode", phase_cols.collect()),
        0,
        0,
    )?;
    Ok(())
}
