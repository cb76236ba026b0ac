//! What the annotated copy says: the Kontrol sheet (a header block, the findings with a
//! link to each cell, errors first, and the light counts per level × theme) and the marks
//! on the user's own sheets (a fill by severity and a note with the messages; the Krav
//! rows' ID cells in the colour of their light). Pure: builds the description that
//! `ooxml` writes.

use crate::check::assess::LightCounts;
use crate::check::result::ProjectResult;
use crate::model::finding::{Finding, Severity};
use crate::model::rules::Rules;
use crate::ooxml::annotation::{CellValue, Look, Mark, NewCell, NewSheet, Print};
use crate::render::portfolio::{LIGHT_COLUMNS, light_fill, severity_fill};
use crate::text::Lang;
use crate::text::t;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The name of the sheet os2gov adds.
pub const KONTROL: &str = crate::model::layout::KONTROL;
/// The row (zero-based) of the findings table's header; rows above it are frozen with it.
pub const FINDINGS_HEADER_ROW: u32 = 10;
/// The first column (zero-based) of the light table, H: beside the header block, in the
/// frozen rows above the findings, so it is in view at once and shares no row with a
/// finding (a long message would stretch it; filtering the findings would hide part of it).
pub const LIGHTS_COL: u32 = 7;
/// The column widths, narrow enough for a laptop screen at 100 % and an A4 page at about
/// 90 %: findings A–F (Alvor, Hvad, Krav, Celle, Besked, Kode – the code last and narrow,
/// for the secretariat), a gap, then the light table H–N (Niveau, the five lights, I alt).
const WIDTHS: [(u32, f64); 14] = [
    (0, 16.0),
    (1, 19.0),
    (2, 5.0),
    (3, 9.0),
    (4, 50.0),
    (5, 13.0),
    (6, 1.0),
    (7, 18.0),
    (8, 6.0),
    (9, 5.0),
    (10, 5.0),
    (11, 5.0),
    (12, 8.0),
    (13, 5.0),
];
/// The last column of the findings table (F, Kode); header values span B–F.
const LAST_FINDINGS_COL: u32 = 5;
/// With more requirements missing for the next level than this, the header names only
/// their IDs (the header block is frozen and must stay short).
const GAP_WITH_TEXTS: usize = 5;

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
    let declared = p.project.fields.level.given().map(|lv| crate::check::context::level_label(rules, *lv));
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
            let gap = &p.assessment.next_gap;
            let text = if gap.len() <= GAP_WITH_TEXTS {
                let items: Vec<String> = gap
                    .iter()
                    .map(|i| format!("{} ({})", rules.requirements[*i].id, rules.requirements[*i].text))
                    .collect();
                items.join("; ")
            } else {
                let ids: Vec<&str> = gap.iter().map(|i| rules.requirements[*i].id.as_str()).collect();
                let n = gap.len();
                format!(
                    "{} ({n} {})",
                    ids.join(", "),
                    l(
                        "krav – se fanen Krav og fundene nedenfor",
                        "requirements – see the Krav sheet and the findings below"
                    )
                )
            };
            (format!("{} {}:", l("Mangler til", "Missing for"), rules.level(next).code), text)
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
    let findings: Vec<Finding> = p.findings.iter().filter(|f| f.code.audience().lead).cloned().collect();
    let (e, w, i) = crate::model::finding::count(&findings);
    let counts = crate::render::text::severity_counts(e, w, i, lang);
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
    // Labels in A; each value spans B–F (merged) and wraps there.
    let mut merges = Vec::new();
    for (r, (label, value)) in header.into_iter().enumerate() {
        b.text(r as u32 + 1, 0, label, Look::BoldWrap);
        b.text(r as u32 + 1, 1, value, Look::Wrap);
        merges.push((r as u32 + 1, 1, r as u32 + 1, LAST_FINDINGS_COL));
    }
    if let Some(note) = &ctx.simplified {
        b.text(9, 0, l("Bemærk:", "Note:"), Look::BoldWrap);
        b.text(9, 1, note.clone(), Look::Fill(severity_fill(Severity::Warning)));
        merges.push((9, 1, 9, LAST_FINDINGS_COL));
    }

    // The findings table: what it means in words; the code last, for the secretariat.
    let hr = FINDINGS_HEADER_ROW;
    for (c, h) in [
        l("Alvor", "Severity"),
        l("Hvad", "What"),
        l("Krav", "Req."),
        l("Celle", "Cell"),
        l("Besked", "Message"),
        l("Kode", "Code"),
    ]
    .iter()
    .enumerate()
    {
        b.text(hr, c as u32, *h, Look::Header);
    }
    let mut row = hr + 1;
    let (listed, omitted) = p.listed();
    for f in listed.iter().filter(|f| f.code.audience().lead) {
        b.text(row, 0, f.severity.label(lang), Look::Fill(severity_fill(f.severity)));
        b.text(row, 1, f.code.label(lang), Look::Wrap);
        b.text(row, 2, f.requirement.clone().unwrap_or_default(), Look::Wrap);
        match (&f.location.sheet, f.location.cell) {
            (Some(sheet), cell) => {
                let a1 = cell.map(|c| c.to_string()).unwrap_or_else(|| "A1".to_string());
                b.put(row, 3, CellValue::Text(f.location.a1()), Look::Link, Some(link_target(sheet, &a1)));
            }
            (None, _) => b.text(row, 3, "", Look::Plain),
        }
        b.text(row, 4, f.message.get(lang), Look::Wrap);
        b.text(row, 5, f.code.as_str(), Look::Wrap);
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
    }
    if findings.is_empty() {
        b.text(
            row,
            0,
            l("Ingen fund – projektarket er i orden.", "No findings – the projektark is in order."),
            Look::Bold,
        );
    }

    // Light counts per level, as in OS2's assessment reports: beside the header block, in
    // the frozen rows, so the eye finds them at once and no finding shares their rows.
    let g = LIGHTS_COL;
    b.text(0, g, l("Kravenes farver pr. niveau", "Requirement lights per level"), Look::Bold);
    b.text(1, g, l("Niveau", "Level"), Look::Header);
    for (c, (_, light)) in LIGHT_COLUMNS.iter().enumerate() {
        let label = light.map(|l| l.label(lang)).unwrap_or_else(|| l("Ikke udfyldt", "Not filled in"));
        b.text(1, g + 1 + c as u32, label, Look::HeaderFill(light_fill(*light)));
    }
    b.text(1, g + 6, l("I alt", "Total"), Look::HeaderFill(0xD9E1F2));
    let declared = p.project.fields.level.given().copied();
    let mut all = LightCounts::default();
    let mut lrow = 2;
    for (li, level) in rules.levels.iter().enumerate() {
        let mut sub = LightCounts::default();
        for c in &p.assessment.by_level_theme[li] {
            sub.merge(c);
        }
        // Levels above the declared one are not required; say so, so their blanks do not
        // read as work to do.
        let required = declared.is_none_or(|d| li <= d.0);
        if required {
            all.merge(&sub);
        }
        let name = if required {
            format!("{} {}", level.code, level.name)
        } else {
            format!("{} {}", level.code, l("(ikke krævet)", "(not required)"))
        };
        b.text(lrow, g, name, Look::Wrap);
        for (k, n) in sub.as_array().iter().chain(std::iter::once(&sub.total())).enumerate() {
            b.number(lrow, g + 1 + k as u32, f64::from(*n), Look::Plain);
        }
        lrow += 1;
    }
    b.text(lrow, g, l("Krævet i alt", "Required, total"), Look::BoldWrap);
    for (k, n) in all.as_array().iter().chain(std::iter::once(&all.total())).enumerate() {
        b.number(lrow, g + 1 + k as u32, f64::from(*n), Look::Bold);
    }
    // The secretariat's assessments that apply (from its register, never from this
    // workbook): one line each below the lights, so the lead sees what was decided.
    let applied: Vec<(usize, &crate::model::register::RecordedAssessment)> =
        p.assessment.applied.iter().enumerate().filter_map(|(i, a)| a.as_ref().map(|a| (i, a))).collect();
    if !applied.is_empty() {
        let top = lrow + 3;
        b.text(
            top - 1,
            g,
            l(
                "Sekretariatets vurdering (fra sekretariatets register)",
                "The secretariat's assessment (from its register)",
            ),
            Look::Bold,
        );
        for (c, h) in [l("Krav", "Req."), l("Vurdering", "Assessment"), l("Dato", "Date"), l("Grundlag", "Grounds")]
            .iter()
            .enumerate()
        {
            b.text(top, g + c as u32, *h, Look::Header);
        }
        for (k, (i, a)) in applied.iter().enumerate() {
            let r = top + 1 + k as u32;
            b.text(r, g, rules.requirements[*i].id.clone(), Look::Wrap);
            b.text(r, g + 1, a.light.map(|x| x.label(lang)).unwrap_or(""), Look::Fill(light_fill(a.light)));
            b.text(r, g + 2, a.date.map(crate::model::value::format_date).unwrap_or_default(), Look::Plain);
            b.text(
                r,
                g + 3,
                crate::text::clip(a.basis.as_deref().unwrap_or(""), crate::text::SHOWN_VALUE_CHARS),
                Look::Wrap,
            );
        }
    }
    // The header block points at the table.
    b.text(8, 0, l("Farver:", "Lights:").to_string(), Look::BoldWrap);
    let table = format!("{}1", crate::model::cell::column_letters(g));
    b.put(
        8,
        1,
        CellValue::Text(format!(
            "{} {table} {}",
            l(
                "kravenes farver pr. niveau står til højre, fra celle",
                "the lights per level are to the right, from cell"
            ),
            l(
                "(fanen Krav viser hvert kravs farve ved dets ID)",
                "(the Krav sheet shows each requirement's light at its ID)"
            )
        )),
        Look::Link,
        Some(link_target(KONTROL, &table)),
    );
    merges.push((8, 1, 8, LAST_FINDINGS_COL));
    let key = p.key().replace('&', "&&");
    let page = l("Side &P af &N", "Page &P of &N");
    NewSheet {
        name: KONTROL.to_string(),
        cells: b.cells,
        widths: WIDTHS.to_vec(),
        freeze_rows: hr + 1,
        autofilter: Some((hr, 0, last_finding, LAST_FINDINGS_COL)),
        tab_colour: Some(if e > 0 {
            0xC00000
        } else if w > 0 {
            0xFFC000
        } else {
            0x70AD47
        }),
        merges,
        print: Some(Print {
            landscape: true,
            repeat_rows: Some((hr, hr)),
            footer: Some(format!("&L{} – {key}&R{page}", l("Kontrol", "Kontrol"))),
        }),
    }
}

/// A cell note's line: the severity and what it means in words, then the message (the
/// code is on the Kontrol sheet, for the secretariat).
fn note_line(f: &Finding, lang: Lang) -> String {
    let severity = f.severity.label(lang);
    let mut chars = severity.chars();
    let severity: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    format!("{severity} – {}: {}", f.code.label(lang), f.message.get(lang))
}

/// The marks on the user's sheets: one per cell, with the worst severity's fill and all
/// messages in the note; the ID cell of each Krav row in its light's colour.
pub fn marks(p: &ProjectResult, lang: Lang) -> Vec<Mark> {
    let mut by_cell: BTreeMap<(String, crate::model::cell::CellRef), (Severity, Vec<String>)> = BTreeMap::new();
    for f in p.listed().0.iter().filter(|f| f.code.audience().lead) {
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
