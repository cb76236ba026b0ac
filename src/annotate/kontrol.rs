//! What the annotated copy says: the Kontrol sheet (a header block, the findings with a
//! link to each cell, errors first, and the light counts per level × theme) and the marks
//! on the user's own sheets (a fill by severity and a note with the messages; the Krav
//! rows' ID cells in the colour of their light). Pure: builds the description that
//! `ooxml` writes.

use crate::annotate::ooxml::{CellValue, Look, Mark, NewCell, NewSheet};
use crate::annotate::portfolio::{LIGHT_COLUMNS, severity_fill};
use crate::check::LightCounts;
use crate::finding::{Finding, Severity};
use crate::report::ProjectResult;
use crate::rules::Rules;
use crate::t;
use crate::text::Lang;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The name of the sheet os2gov adds.
pub const KONTROL: &str = crate::layout::KONTROL;
/// The row (zero-based) of the findings table's header; rows above it are frozen with it.
pub const FINDINGS_HEADER_ROW: u32 = 10;

/// `'Krav'!G7` – an internal link target, with quotes in sheet names doubled.
pub fn link_target(sheet: &str, cell: &str) -> String {
    format!("'{}'!{cell}", sheet.replace('\'', "''"))
}

struct Builder {
    cells: Vec<NewCell>,
}

impl Builder {
    fn put(&mut self, row: u32, col: u32, value: CellValue, look: Look, link: Option<String>) {
        self.cells.push(NewCell { row, col, value, look, link });
    }

    fn text(&mut self, row: u32, col: u32, s: impl Into<String>, look: Look) {
        self.put(row, col, CellValue::Text(s.into()), look, None);
    }

    fn number(&mut self, row: u32, col: u32, n: f64, look: Look) {
        self.put(row, col, CellValue::Number(n), look, None);
    }
}

/// Everything the Kontrol sheet needs to know beyond the project itself.
pub struct KontrolContext<'a> {
    pub rules: &'a Rules,
    pub as_of: NaiveDate,
    pub lang: Lang,
    /// A line saying what was simplified, when the copy had to be rebuilt.
    pub simplified: Option<String>,
}

/// The Kontrol sheet for one project.
pub fn sheet(ctx: &KontrolContext<'_>, p: &ProjectResult) -> NewSheet {
    let (rules, lang) = (ctx.rules, ctx.lang);
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let mut b = Builder { cells: Vec::new() };
    b.text(0, 0, l("Kontrol af projektark", "Check of projektark"), Look::Title);
    let name = p.name();
    let title = if name.is_empty() { p.key() } else { format!("{} – {name}", p.key()) };
    let declared = p.project.fields.level.given().map(|lv| crate::check::level_label(rules, *lv));
    let attained = crate::check::assess::attained_label(rules, &p.assessment, lang, true);
    let level_line = match declared {
        Some(d) => format!("{} {d} · {} {attained}", l("Erklæret", "Declared"), l("opnået", "attained")),
        None => format!(
            "{} · {} {attained}",
            l("Erklæret niveau mangler", "Declared level missing"),
            l("opnået", "attained")
        ),
    };
    let mut phase =
        p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.clone()).unwrap_or_else(|| "?".into());
    // Say how the process is judged: a paused or stopped project by the phase it left, and
    // requirements not yet due in this phase (Krav.Fra fase).
    if let Some(left) = p.assessment.process.left {
        let left = &rules.phase(left).name;
        phase.push_str(&match lang {
            Lang::Da => format!(" – vurderes efter {left}, som projektet forlod"),
            Lang::En => format!(" – judged by {left}, the phase the project left"),
        });
    }
    let declared_level = p.project.fields.level.given().copied();
    let not_due = rules
        .requirements
        .iter()
        .enumerate()
        .filter(|(i, r)| declared_level.is_some_and(|d| r.level <= d) && !p.assessment.due[*i])
        .count();
    if not_due > 0 {
        phase.push_str(&match lang {
            Lang::Da => {
                format!(" · {not_due} af projektets krav er først krævet i en senere fase (kolonnen Fra fase i Krav)")
            }
            Lang::En => format!(
                " · {not_due} of the project's requirements are due only in a later phase (column Fra fase in Krav)"
            ),
        });
    }
    let gap = match p.assessment.next_level {
        Some(next) if !p.assessment.next_gap.is_empty() => {
            let items: Vec<String> = p
                .assessment
                .next_gap
                .iter()
                .map(|i| format!("{} ({})", rules.requirements[*i].id, rules.requirements[*i].text))
                .collect();
            (format!("{} {}:", l("Mangler til", "Missing for"), rules.level(next).code), items.join("; "))
        }
        Some(next) => (
            format!("{} {}:", l("Mangler til", "Missing for"), rules.level(next).code),
            l("intet", "nothing").to_string(),
        ),
        None => (
            l("Næste niveau:", "Next level:").to_string(),
            l("projektet er på det højeste niveau", "the project is at the highest level").to_string(),
        ),
    };
    // The lead's copy: findings for the secretariat (the decision log) stay out.
    let findings: Vec<Finding> = p.findings.iter().filter(|f| f.code.for_lead()).cloned().collect();
    let (e, w, i) = crate::finding::count(&findings);
    let counts = crate::report::text::severity_counts(e, w, i, lang);
    let header: [(String, String); 7] = [
        (l("Projekt:", "Project:").into(), title),
        (l("Fil:", "File:").into(), p.file.clone()),
        (l("Niveau:", "Level:").into(), level_line),
        (l("Fase:", "Phase:").into(), phase),
        gap,
        (l("Fund:", "Findings:").into(), counts),
        (
            l("Kørselsdato:", "As of:").into(),
            format!(
                "{} · {} {}",
                crate::model::value::format_date(ctx.as_of),
                l("styringsmodel version", "styringsmodel version"),
                rules.document.version
            ),
        ),
    ];
    for (r, (label, value)) in header.into_iter().enumerate() {
        b.text(r as u32 + 1, 0, label, Look::Bold);
        b.text(r as u32 + 1, 1, value, Look::Plain);
    }
    if let Some(note) = &ctx.simplified {
        b.text(9, 0, l("Bemærk:", "Note:"), Look::Bold);
        b.text(9, 1, note.clone(), Look::Fill(severity_fill(Severity::Warning)));
    }

    // The findings table.
    let hr = FINDINGS_HEADER_ROW;
    for (c, h) in
        [l("Alvor", "Severity"), l("Kode", "Code"), l("Krav", "Req."), l("Celle", "Cell"), l("Besked", "Message")]
            .iter()
            .enumerate()
    {
        b.text(hr, c as u32, *h, Look::Header);
    }
    let mut row = hr + 1;
    let (listed, omitted) = p.listed();
    for f in listed.iter().filter(|f| f.code.for_lead()) {
        b.text(row, 0, f.severity.label(lang), Look::Fill(severity_fill(f.severity)));
        b.text(row, 1, f.code.as_str(), Look::Plain);
        b.text(row, 2, f.requirement.clone().unwrap_or_default(), Look::Plain);
        match (&f.location.sheet, f.location.cell) {
            (Some(sheet), cell) => {
                let a1 = cell.map(|c| c.to_string()).unwrap_or_else(|| "A1".to_string());
                b.put(row, 3, CellValue::Text(f.location.a1()), Look::Link, Some(link_target(sheet, &a1)));
            }
            (None, _) => b.text(row, 3, "", Look::Plain),
        }
        b.text(row, 4, f.message.get(lang), Look::Wrap);
        row += 1;
    }
    let last_finding = row.saturating_sub(1).max(hr);
    if omitted > 0 {
        b.text(
            row,
            4,
            t!(
                "… og {omitted} fund mere, som ikke er vist her (de er talt med ovenfor). Ret de viste først, og kør kontrollen igen.",
                "… and {omitted} more findings not shown here (they are counted above). Fix the ones shown first, and run the check again."
            )
            .get(lang),
            Look::Wrap,
        );
        row += 1;
    }
    if findings.is_empty() {
        b.text(
            row,
            0,
            l("Ingen fund – projektarket er i orden.", "No findings – the projektark is in order."),
            Look::Bold,
        );
        row += 1;
    }

    // Light counts per level × theme, as in OS2's assessment reports.
    row += 2;
    let table_top = row;
    b.text(row - 1, 0, l("Kravenes farver pr. niveau og tema", "Requirement lights per level and theme"), Look::Bold);
    let headers = [l("Niveau", "Level"), l("Tema", "Theme")];
    for (c, h) in headers.iter().enumerate() {
        b.text(row, c as u32, *h, Look::Header);
    }
    for (c, (_, light)) in LIGHT_COLUMNS.iter().enumerate() {
        let fill = light.map(|l| l.colour()).unwrap_or(0xFFFFFF);
        let label = light.map(|l| l.label(lang)).unwrap_or_else(|| l("Ikke udfyldt", "Not filled in"));
        b.text(row, 2 + c as u32, label, Look::Fill(fill));
    }
    b.text(row, 7, l("I alt", "Total"), Look::Header);
    row += 1;
    let declared = p.project.fields.level.given().copied();
    for (li, level) in rules.levels.iter().enumerate() {
        let mut sub = LightCounts::default();
        // Levels above the declared one are not required; say so, so their blanks do not
        // read as work to do.
        let name = match declared {
            Some(d) if li > d.0 => format!("{} {} {}", level.code, level.name, l("(ikke krævet)", "(not required)")),
            _ => format!("{} {}", level.code, level.name),
        };
        for (ti, theme) in rules.themes.iter().enumerate() {
            if !rules.requirements.iter().any(|r| r.level.0 == li && &r.theme == theme) {
                continue;
            }
            let c = &p.assessment.by_level_theme[li][ti];
            sub.merge(c);
            b.text(row, 0, name.clone(), Look::Plain);
            b.text(row, 1, theme.clone(), Look::Plain);
            for (k, n) in c.as_array().iter().chain(std::iter::once(&c.total())).enumerate() {
                b.number(row, 2 + k as u32, f64::from(*n), Look::Plain);
            }
            row += 1;
        }
        b.text(row, 0, name.clone(), Look::Bold);
        b.text(row, 1, l("I alt", "Total"), Look::Bold);
        for (k, n) in sub.as_array().iter().chain(std::iter::once(&sub.total())).enumerate() {
            b.number(row, 2 + k as u32, f64::from(*n), Look::Bold);
        }
        row += 1;
    }
    // The header block links to the table.
    b.text(8, 0, l("Farver:", "Lights:").to_string(), Look::Bold);
    b.put(
        8,
        1,
        CellValue::Text(format!("{} {}", l("se tabellen i række", "see the table at row"), table_top + 1)),
        Look::Link,
        Some(link_target(KONTROL, &format!("A{}", table_top + 1))),
    );
    NewSheet {
        name: KONTROL.to_string(),
        cells: b.cells,
        widths: vec![(0, 22.0), (1, 30.0), (2, 8.0), (3, 14.0), (4, 100.0), (5, 10.0), (6, 12.0), (7, 8.0)],
        freeze_rows: hr + 1,
        autofilter: Some((hr, 0, last_finding, 4)),
        tab_colour: Some(if e > 0 {
            0xC00000
        } else if w > 0 {
            0xFFC000
        } else {
            0x70AD47
        }),
    }
}

fn note_line(f: &Finding, lang: Lang) -> String {
    format!("{} {}: {}", f.severity.label(lang), f.code, f.message.get(lang))
}

/// The marks on the user's sheets: one per cell, with the worst severity's fill and all
/// messages in the note; the ID cell of each Krav row in its light's colour.
pub fn marks(p: &ProjectResult, lang: Lang) -> Vec<Mark> {
    let mut by_cell: BTreeMap<(String, crate::model::value::CellRef), (Severity, Vec<String>)> = BTreeMap::new();
    for f in p.listed().0.iter().filter(|f| f.code.for_lead()) {
        if let (Some(sheet), Some(cell)) = (&f.location.sheet, f.location.cell) {
            let entry = by_cell.entry((sheet.clone(), cell)).or_insert((f.severity, Vec::new()));
            entry.0 = entry.0.max(f.severity);
            entry.1.push(note_line(f, lang));
        }
    }
    let mut out: Vec<Mark> = Vec::new();
    if let Some((sheet, cols)) = &p.project.sheets.krav {
        for row in &p.project.requirements {
            let Some(index) = row.requirement else { continue };
            let Some(light) = p.assessment.lights.get(index).copied().flatten() else { continue };
            let cell = cols.cell(row.row, "ID");
            if !by_cell.contains_key(&(sheet.clone(), cell)) {
                out.push(Mark { sheet: sheet.clone(), cell, fill: light.colour(), note: None });
            }
        }
    }
    for ((sheet, cell), (severity, lines)) in by_cell {
        out.push(Mark { sheet, cell, fill: severity_fill(severity), note: Some(lines.join("\n\n")) });
    }
    out
}
