//! The board's decision log read back: what was decided since the last meeting (for the
//! digest), the board's priority per project (for the portfolio), and the log as Markdown
//! in the layout OS2 publishes (per year, per project: Dato, Beslutning, Grundlag, Truffet
//! af, Reference), written by `run` so the secretariat can publish it unchanged. Pure.

use crate::model::rules::{Decision, Rules};
use crate::model::value::format_date;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// The decisions since the last board meeting before `meeting` (inclusive: decisions are
/// taken at meetings) up to `as_of`. Without an earlier meeting, none.
pub fn since_last_meeting(rules: &Rules, meeting: Option<NaiveDate>, as_of: NaiveDate) -> Vec<&Decision> {
    let before = meeting.unwrap_or(as_of);
    let Some(last) = rules.meetings.iter().map(|m| m.date).filter(|d| *d < before).max() else {
        return Vec::new();
    };
    rules.decisions.iter().filter(|d| d.date >= last && d.date <= as_of).collect()
}

/// The newest logged priority of a project, if any.
pub fn priority(rules: &Rules, project: &str) -> Option<i64> {
    rules.decisions_for(project).filter_map(|d| d.priority.map(|p| (d.date, d.row, p))).max().map(|(_, _, p)| p)
}

/// A cell of the published log: one line, Markdown and HTML escaped
/// ([`crate::text::markdown_line`]) – the log is published as it is, and its cells are
/// typed by people.
fn cell(s: &str) -> String {
    let escaped = crate::text::markdown_line(s);
    if escaped.is_empty() { "–".to_string() } else { escaped }
}

/// The decision log as Markdown: newest year first, projects alphabetically, decisions by
/// date. Empty when nothing is logged.
pub fn markdown(rules: &Rules, as_of: NaiveDate) -> Option<String> {
    if rules.decisions.is_empty() {
        return None;
    }
    let mut by_year: BTreeMap<i32, BTreeMap<String, Vec<&Decision>>> = BTreeMap::new();
    for d in &rules.decisions {
        let project = if d.project.trim().is_empty() { "OS2".to_string() } else { d.project.trim().to_string() };
        by_year.entry(d.date.year()).or_default().entry(project).or_default().push(d);
    }
    let mut out = String::from("# Beslutningslog\n\n");
    out.push_str(&format!(
        "Bestyrelsens beslutninger om OS2's projekter og produkter, ført af sekretariatet efter referaterne. Styringsmodel version {}, udskrevet {}.\n",
        cell(&rules.document.version),
        format_date(as_of)
    ));
    for (year, projects) in by_year.iter().rev() {
        out.push_str(&format!("\n## {year}\n"));
        let mut names: Vec<&String> = projects.keys().collect();
        names.sort_by_key(|n| n.to_lowercase());
        for name in names {
            out.push_str(&format!("\n### {}\n\n", cell(name)));
            out.push_str("| Dato | Beslutning | Grundlag | Truffet af | Reference |\n|---|---|---|---|---|\n");
            let mut rows = projects[name].clone();
            rows.sort_by_key(|d| (d.date, d.row));
            for d in rows {
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    format_date(d.date),
                    cell(&d.text),
                    cell(&d.basis),
                    cell(&d.by),
                    cell(&d.reference)
                ));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testkit::{as_of, rules};
    use crate::model::choice::DecisionKind;

    fn decision(row: u32, date: &str, project: &str, text: &str) -> Decision {
        Decision {
            row,
            date: crate::check::testkit::date(date),
            project: project.into(),
            text: text.into(),
            basis: "Sagsfremstilling | bilag 2".into(),
            by: "Bestyrelsen".into(),
            reference: "Referat".into(),
            kind: Some(DecisionKind::Godkendelse),
            level: None,
            amount: None,
            on_meeting: true,
            invalid: false,
            priority: None,
        }
    }

    #[test]
    fn the_log_is_written_per_year_and_project() {
        let mut r = rules().clone();
        r.decisions = vec![
            decision(2, "2025-12-11", "OS2iot", "Godkendt"),
            decision(3, "2026-03-12", "OS2mo", "Hævet til N3"),
            decision(4, "2026-03-12", "OS2iot", "Prioriteret\nhøjt"),
        ];
        let md = markdown(&r, as_of()).unwrap();
        let y2026 = md.find("## 2026").unwrap();
        let y2025 = md.find("## 2025").unwrap();
        assert!(y2026 < y2025, "newest year first:\n{md}");
        assert!(
            md.contains("| 12-03-2026 | Prioriteret højt | Sagsfremstilling \\| bilag 2 | Bestyrelsen | Referat |"),
            "{md}"
        );
        // Near miss: nothing logged, nothing written.
        r.decisions.clear();
        assert_eq!(markdown(&r, as_of()), None);
    }

    #[test]
    fn decided_since_the_last_meeting() {
        let mut r = rules().clone();
        let last = r.meetings.iter().map(|m| m.date).filter(|d| *d < as_of()).max().unwrap();
        r.decisions = vec![
            Decision { date: last - chrono::Duration::days(1), ..decision(2, "2026-01-01", "A", "før") },
            Decision { date: last, ..decision(3, "2026-01-01", "B", "på mødet") },
        ];
        let next = r.next_meeting(as_of()).map(|m| m.date);
        let got: Vec<&str> = since_last_meeting(&r, next, as_of()).iter().map(|d| d.text.as_str()).collect();
        assert_eq!(got, ["på mødet"]);
    }
}
