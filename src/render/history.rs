//! The period's history file `historik-<period>.json` (issue 20): the state through the
//! period after folding in what this run observed. Pure.

use crate::model::history::{FORMAT, HistoryFile, Observed, State, fold};

/// The file for a run that observed `observed` on top of `base` (the state through the
/// newest earlier period; empty on the first run).
pub fn build(base: State, observed: Observed, rebuilt: Option<String>) -> HistoryFile {
    let state = fold(base, &observed);
    HistoryFile {
        format: FORMAT,
        tool: "os2gov".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        period: observed.period.clone(),
        as_of: observed.as_of,
        rebuilt,
        observed,
        state,
    }
}

/// The file as JSON (compact: it is read by programs; `os2gov` reads it back).
pub fn render(file: &HistoryFile) -> String {
    let mut out = serde_json::to_string(file).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}

/// One period of a project's course: what that period's run observed (with its as-of),
/// `None` when the project was not sent in; `unreadable` when the period's file could
/// not be read.
#[derive(Clone, Debug)]
pub struct CoursePoint {
    pub period: String,
    pub seen: Option<(crate::model::history::ObservedProject, chrono::NaiveDate)>,
    pub unreadable: bool,
}

/// The `historik` command's table: one line per period.
pub fn course(id: &str, points: &[CoursePoint], lang: crate::text::Lang) -> String {
    use crate::model::value::format_amount;
    use crate::text::Lang;
    let da = lang == Lang::Da;
    let id = crate::text::clip(id, crate::text::SHOWN_VALUE_CHARS);
    let mut out = if da { format!("Historik for {id}\n\n") } else { format!("History of {id}\n\n") };
    let head = if da {
        [
            "Periode",
            "Niveau (erkl./i kraft/opnået)",
            "Fase",
            "Budget v. godkendelse / aktuelt",
            "Prognose",
            "Fund",
            "Økonomi siden",
        ]
    } else {
        [
            "Period",
            "Level (decl./in force/attained)",
            "Phase",
            "Budget at approval / current",
            "Forecast",
            "Findings",
            "Economy since",
        ]
    };
    let mut rows: Vec<Vec<String>> = vec![head.iter().map(|s| s.to_string()).collect()];
    let dash = || "–".to_string();
    let amount = |v: Option<f64>| v.map(|v| format_amount(v, lang)).unwrap_or_else(dash);
    for p in points {
        let mut row = vec![p.period.clone()];
        match (&p.seen, p.unreadable) {
            (_, true) => {
                row.push(if da { "(filen kan ikke læses)".into() } else { "(the file cannot be read)".into() })
            }
            (None, false) => row.push(if da { "(ikke indsendt)".into() } else { "(not sent in)".into() }),
            (Some((o, as_of)), false) => {
                let h = &o.header;
                let s = |v: &Option<String>| crate::text::clip(v.as_deref().unwrap_or("–"), 40);
                row.push(format!("{} / {} / {}", s(&h.declared), s(&h.in_force), s(&h.attained)));
                row.push(s(&h.phase));
                row.push(format!("{} / {}", amount(o.baseline), amount(h.budget)));
                let forecast = o.status.iter().filter(|r| r.date <= *as_of).rev().find_map(|r| r.forecast);
                row.push(amount(forecast));
                row.push(h.findings.len().to_string());
                row.push(h.economy_since.clone().unwrap_or_else(dash));
            }
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}{}", " ".repeat(widths[i].saturating_sub(c.chars().count()))))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}
