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
    /// The project's points on that period's board agenda (`bestyrelse-<period>.json`).
    pub board: Vec<crate::model::board_items::BoardItem>,
}

/// A decision of the board's log about the project, for the `historik` listing.
pub struct LoggedDecision {
    pub date: chrono::NaiveDate,
    pub kind: Option<String>,
    pub text: String,
}

/// The `historik` command's table: one line per period.
pub fn course(
    id: &str,
    points: &[CoursePoint],
    decisions: Option<&[LoggedDecision]>,
    lang: crate::text::Lang,
) -> String {
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
            "Status (fremdrift/økonomi)",
            "Krav (grøn/gul/rød/grå/ikke udfyldt)",
            "Budget godkendt / aktuelt",
            "Prognose",
            "Forbrug",
            "Fund (nye/løste)",
            "Bestyrelsespunkter",
            "Økonomi siden",
        ]
    } else {
        [
            "Period",
            "Level (decl./in force/attained)",
            "Phase",
            "Status (progress/economy)",
            "Requirements (green/yellow/red/grey/not filled)",
            "Budget approved / current",
            "Forecast",
            "Spent",
            "Findings (new/resolved)",
            "Board items",
            "Economy since",
        ]
    };
    let mut rows: Vec<Vec<String>> = vec![head.iter().map(|s| s.to_string()).collect()];
    let dash = || "–".to_string();
    let amount = |v: Option<f64>| v.map(|v| format_amount(v, lang)).unwrap_or_else(dash);
    let mut before: Option<std::collections::BTreeSet<&(String, Option<String>, String)>> = None;
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
                let light = |v: Option<&String>| match v {
                    Some(v) => crate::model::choice::Rag::parse(v)
                        .map(|r| r.label(lang).to_string())
                        .unwrap_or_else(|| crate::text::clip(v, 12)),
                    None => dash(),
                };
                let newest = o.newest_status(*as_of);
                row.push(format!(
                    "{} / {}",
                    light(newest.and_then(|r| r.progress.as_ref())),
                    light(newest.and_then(|r| r.economy.as_ref()))
                ));
                row.push(match h.lights {
                    Some(l) => format!("{}/{}/{}/{}/{}", l.groen, l.gul, l.roed, l.graa, l.blank),
                    None => dash(),
                });
                row.push(format!("{} / {}", amount(o.approved_budget()), amount(h.budget)));
                // The newest reports by date, as the lights: the sheet need not be in order.
                let mut counted: Vec<_> = o.status.iter().filter(|r| r.date <= *as_of).collect();
                counted.sort_by_key(|r| std::cmp::Reverse((r.date, r.n)));
                row.push(amount(counted.iter().find_map(|r| r.forecast)));
                row.push(amount(counted.iter().find_map(|r| r.spent)));
                let now: std::collections::BTreeSet<_> = h.findings.iter().collect();
                row.push(match &before {
                    Some(b) => {
                        let (new, gone) = (now.difference(b).count(), b.difference(&now).count());
                        format!("{} (+{new}/−{gone})", now.len())
                    }
                    None => now.len().to_string(),
                });
                before = Some(now);
                row.push(p.board.len().to_string());
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
    let board: Vec<String> = points
        .iter()
        .flat_map(|p| {
            p.board.iter().map(move |b| {
                let text = if da { &b.text.da } else { &b.text.en };
                let since = if da { "står siden" } else { "standing since" };
                format!(
                    "  {}  {}: {} ({since} {})",
                    p.period,
                    b.agenda.label(lang),
                    crate::text::clip(text, 160),
                    b.first_period
                )
            })
        })
        .collect();
    if !board.is_empty() {
        out.push_str(if da { "\nPå bestyrelsens dagsorden:\n" } else { "\nOn the board's agenda:\n" });
        for line in board {
            out.push_str(&line);
            out.push('\n');
        }
    }
    match decisions {
        Some([]) => out.push_str(if da {
            "\nBestyrelsens beslutningslog har ingen beslutninger om projektet.\n"
        } else {
            "\nThe board's decision log has no decisions about the project.\n"
        }),
        Some(list) => {
            out.push_str(if da { "\nBestyrelsens beslutningslog:\n" } else { "\nThe board's decision log:\n" });
            for d in list {
                let kind = d.kind.as_deref().map(|k| format!(" ({k})")).unwrap_or_default();
                let text = crate::text::clip(&d.text, 160);
                out.push_str(&format!("  {}{kind}  {text}\n", crate::model::value::format_date(d.date)));
            }
        }
        None => out.push_str(if da {
            "\n(Styringsmodellen kunne ikke læses; beslutningsloggen er ikke vist.)\n"
        } else {
            "\n(The styringsmodel could not be read; the decision log is not shown.)\n"
        }),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::history::{BudgetRow, Header, Lights, ObservedProject, StatusRow};
    use crate::text::Lang;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn status(date: &str, progress: &str, economy: &str) -> StatusRow {
        StatusRow {
            date: d(date),
            n: 0,
            progress: Some(progress.into()),
            economy: Some(economy.into()),
            spent: Some(900_000.0),
            forecast: Some(2_100_000.0),
        }
    }

    /// Three periods: September written before lights and the approved budget were kept
    /// (derived from the Status rows and the baseline), October not sent in, November with
    /// a board raise 2,0 → 2,4 mio. kr., a Budget of 2,6 nobody approved and a Status row
    /// dated after the run date.
    fn points() -> Vec<CoursePoint> {
        let header = |approved: Option<f64>, lights: Option<Lights>, budget: f64| Header {
            declared: Some("N2".into()),
            in_force: Some("N2".into()),
            attained: Some("N1".into()),
            phase: Some("Implementering".into()),
            budget: Some(budget),
            approved,
            lights,
            ..Header::default()
        };
        let sep = ObservedProject {
            header: header(None, None, 2_000_000.0),
            baseline: Some(2_000_000.0),
            status_sheet: true,
            status: vec![status("2026-08-10", "Grøn", "Grøn"), status("2026-09-10", "Gul", "Grøn")],
            ..ObservedProject::default()
        };
        let lights = Lights { groen: 12, gul: 3, roed: 1, graa: 2, blank: 4 };
        let nov = ObservedProject {
            header: header(Some(2_400_000.0), Some(lights), 2_600_000.0),
            baseline: Some(2_000_000.0),
            status_sheet: true,
            status: vec![status("2026-11-10", "Gul", "Rød"), status("2026-12-10", "Grøn", "Grøn")],
            budget_sheet: true,
            budget_changes: vec![BudgetRow {
                date: d("2026-10-01"),
                n: 0,
                from: Some(2_000_000.0),
                to: Some(2_400_000.0),
                by: Some("Bestyrelse".into()),
            }],
            ..ObservedProject::default()
        };
        vec![
            CoursePoint {
                period: "2026-09".into(),
                seen: Some((sep, d("2026-09-24"))),
                unreadable: false,
                board: vec![],
            },
            CoursePoint { period: "2026-10".into(), seen: None, unreadable: false, board: vec![] },
            CoursePoint {
                period: "2026-11".into(),
                seen: Some((nov, d("2026-11-26"))),
                unreadable: false,
                board: vec![],
            },
        ]
    }

    #[test]
    fn the_course_shows_lights_and_the_approved_budget_per_period() {
        let points = points();
        let da = course("OS2hævet", &points, Some(&[]), Lang::Da);
        let en = course("OS2hævet", &points, Some(&[]), Lang::En);
        insta::assert_snapshot!("historik_course_da", da);
        insta::assert_snapshot!("historik_course_en", en);
        let row = |text: &str, period: &str| text.lines().find(|l| l.starts_with(period)).unwrap().to_string();
        // November: the newest row on the run date (not the one dated after it), the
        // approved budget from the board's raise, the counted requirement lights.
        let nov = row(&da, "2026-11");
        assert!(nov.contains("Gul / Rød") && nov.contains("12/3/1/2/4"), "{nov}");
        assert!(nov.contains("2.400.000 kr. / 2.600.000 kr."), "{nov}");
        // Near miss: an older file's approved budget is the baseline only while no change
        // row was seen; its lights come from its Status rows, its requirement counts are
        // unknown.
        let sep = row(&da, "2026-09");
        assert!(sep.contains("Gul / Grøn") && sep.contains(" – "), "{sep}");
        assert!(row(&en, "2026-11").contains("Yellow / Red"), "{en}");
        let mut older = points[2].seen.clone().unwrap().0;
        older.header.approved = None;
        assert_eq!(older.approved_budget(), None);
        assert_eq!(points[0].seen.as_ref().unwrap().0.approved_budget(), Some(2_000_000.0));
    }

    #[test]
    fn forecast_and_spent_come_from_the_newest_report_by_date_not_the_last_row() {
        // The sheet lists September's report below October's (rows out of date order).
        let mut october = status("2026-10-10", "Gul", "Gul");
        october.forecast = Some(2_300_000.0);
        let mut september = status("2026-09-10", "Grøn", "Grøn");
        september.forecast = Some(2_000_000.0);
        let seen =
            ObservedProject { status_sheet: true, status: vec![october, september], ..ObservedProject::default() };
        let points = vec![CoursePoint {
            period: "2026-10".into(),
            seen: Some((seen, d("2026-10-26"))),
            unreadable: false,
            board: vec![],
        }];
        let text = course("OS2uorden", &points, Some(&[]), Lang::Da);
        let row = text.lines().find(|l| l.starts_with("2026-10")).unwrap();
        assert!(row.contains("Gul / Gul") && row.contains("2.300.000 kr."), "{row}");
        assert!(!row.contains("2.000.000 kr."), "{row}");
    }
}
