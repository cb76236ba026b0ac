//! Board items live until the meeting (issue 20 item 5). A run for meeting M merges the
//! points it computes with the items of the newest earlier run (`bestyrelse-<period>.json`,
//! [`crate::model::board_items`]), by their stable keys:
//!
//! - an item computed again keeps the period it was first raised in ("siden 2026-10");
//! - a standing item ([`ItemKind::State`]) not computed for a project checked today is
//!   resolved in the data and dropped; for a project whose projektark did not come in it
//!   stays, marked so;
//! - a change seen once is re-validated against today's data: a phase change nobody
//!   recorded stands while the phase is unchanged and Historik still lacks the step, a
//!   change of level while the level is unchanged; information (a new project, a recorded
//!   phase change) stays until the meeting and is not carried past it;
//! - any item the board has decided – a counted log entry in Beslutninger about the project
//!   dated on or after the item was first raised – is dropped (computed again, it starts
//!   anew);
//! - an item still standing after its meeting has passed is carried to the next meeting,
//!   with the number of meetings it has waited.
//!
//! Pure: the file is read by `load::board_items` and written by `render::board_items`.

use super::point::{MORE, Point};
use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::model::board_items::{BoardItem, ItemKind};
use crate::model::value::format_date;
use crate::text::{Text, fold, t};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// A point as shown: the point, its full key, since when it has stood, and how it is
/// marked.
pub(super) struct Shown {
    pub point: Point,
    pub item: Option<BoardItem>,
    /// The words added to the point: since when, carried from which meeting, not sent in.
    pub marker: Option<Text>,
}

/// The earlier run's items by full key, and what the run knows to judge them.
pub(super) struct Memory<'a> {
    report: &'a Report,
    before: HashMap<&'a str, &'a BoardItem>,
}

impl<'a> Memory<'a> {
    pub fn new(report: &'a Report) -> Memory<'a> {
        let before = match (&report.carry.before, report.carry.active) {
            (Some(file), true) => file.items.iter().map(|i| (i.key.as_str(), i)).collect(),
            _ => HashMap::new(),
        };
        Memory { report, before }
    }

    /// Whether the board has decided anything about the project (a counted log entry)
    /// dated on or after the item was first raised, up to the run's as-of date.
    fn decided(&self, item: &BoardItem) -> bool {
        self.decided_on(item).is_some()
    }

    /// The date of the newest such decision.
    fn decided_on(&self, item: &BoardItem) -> Option<NaiveDate> {
        let records = crate::check::records::Records::new(&self.report.rules, &self.report.register.register);
        records
            .counted(&item.project)
            .into_iter()
            .map(|i| records.decision(i).date)
            .filter(|d| *d >= item.first_as_of && *d <= self.report.as_of)
            .max()
    }

    /// Board meetings passed since `first` (on or after it, up to as-of, before this run's
    /// meeting), the newest last.
    fn passed_since(&self, first: NaiveDate) -> Vec<NaiveDate> {
        let meeting = self.report.carry.meeting;
        let mut dates: Vec<NaiveDate> = self
            .report
            .rules
            .meetings
            .iter()
            .map(|m| m.date)
            .filter(|d| *d >= first && *d <= self.report.as_of && meeting.is_none_or(|m| *d < m))
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }

    /// The item a point becomes, and the words that mark it.
    fn item(
        &self,
        p: &Names,
        point: &Point,
        key: String,
        first: Option<&BoardItem>,
        not_submitted: bool,
    ) -> (BoardItem, Option<Text>) {
        let report = self.report;
        let (first_period, first_as_of) = match first {
            Some(old) => (old.first_period.clone(), old.first_as_of),
            None => (report.period.clone(), report.as_of),
        };
        let passed = if point.kind == ItemKind::Information { vec![] } else { self.passed_since(first_as_of) };
        let item = BoardItem {
            key,
            project: p.project.clone(),
            name: p.name.clone(),
            situation: (&p.situation).into(),
            agenda: point.agenda,
            topic: point.topic,
            kind: point.kind.clone(),
            text: (&point.text).into(),
            first_period: first_period.clone(),
            first_as_of,
            meeting: report.carry.meeting,
            meetings_waited: passed.len() as u32,
        };
        let mut marker = None;
        if let Some(last) = passed.last() {
            let (m, n) = (format_date(*last), passed.len());
            let (da_n, en_n) = if n == 1 { ("møde", "meeting") } else { ("møder", "meetings") };
            marker = Some(t!(
                "Udskudt fra mødet {m}; står siden {first_period} og har ventet {n} {da_n}.",
                "Carried from the meeting of {m}; standing since {first_period}, has waited {n} {en_n}."
            ));
        } else if first_period != report.period {
            marker = Some(t!("Står siden {first_period}.", "Standing since {first_period}."));
        }
        if not_submitted {
            let period = &report.period;
            let more = t!(
                "Projektarket er ikke indsendt til {period}, så punktet står fortsat.",
                "The projektark was not sent in for {period}, so the point still stands."
            );
            marker = Some(marker.map_or(more.clone(), |m| m.then(&more)));
        }
        (item, marker)
    }

    /// Today's points of a checked project merged with its earlier items: the points
    /// computed (each with the period it was first raised in) and the earlier items that
    /// still stand although not computed (changes re-validated against the data).
    pub fn merge_checked(&self, p: &ProjectResult, names: &Names, points: Vec<Point>) -> Vec<Shown> {
        let mut out = Vec::new();
        let mut keys_now = HashSet::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for point in points {
            if point.key.starts_with(MORE) {
                out.push(Shown { point, item: None, marker: None });
                continue;
            }
            let key = full_key(&names.project, &point.key, &mut seen);
            keys_now.insert(key.clone());
            let before = self.before.get(key.as_str()).copied();
            // A standing problem the board has dealt with that the data still shows: raised
            // afresh, and said so.
            let decided_on = before.and_then(|old| self.decided_on(old));
            let old = before.filter(|_| decided_on.is_none());
            let dealt = decided_on.map(|d| {
                let d = format_date(d);
                t!("Behandlet af bestyrelsen {d} – står stadig.", "Dealt with by the board on {d} – still stands.")
            });
            let (item, marker) = self.item(names, &point, key, old, false);
            let marker = match (dealt, marker) {
                (Some(d), Some(m)) => Some(d.then(&m)),
                (d, m) => d.or(m),
            };
            out.push(Shown { point, item: Some(item), marker });
        }
        let rules = &self.report.rules;
        for old in self.earlier(&names.project) {
            if keys_now.contains(&old.key) || self.decided(old) {
                continue;
            }
            let stands = match &old.kind {
                ItemKind::State => false,
                ItemKind::Information => old.meeting == self.report.carry.meeting,
                ItemKind::PhaseUnlogged { from, to } => {
                    let phase = p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.as_str());
                    let recorded = p.project.history.iter().any(|s| {
                        let name =
                            |x: &crate::model::project::Input<_>| x.given().map(|ph| fold(&rules.phase(*ph).name));
                        name(&s.from) == Some(fold(from)) && name(&s.to) == Some(fold(to))
                    });
                    phase.is_some_and(|ph| fold(ph) == fold(to)) && !recorded
                }
                ItemKind::LevelChanged { to, .. } => {
                    p.project.fields.level.given().is_some_and(|l| fold(&rules.level(*l).code) == fold(to))
                }
            };
            if stands {
                let point = stored_point(old);
                let (item, marker) = self.item(names, &point, old.key.clone(), Some(old), false);
                out.push(Shown { point, item: Some(item), marker });
            }
        }
        out
    }

    /// The earlier items of a project whose projektark did not come in: every undecided
    /// item stands (information only until its meeting), marked so.
    pub fn merge_not_submitted(&self, project: &str) -> Vec<(Names, Shown)> {
        let mut out = Vec::new();
        for old in self.earlier(project) {
            if self.decided(old) || (old.kind == ItemKind::Information && old.meeting != self.report.carry.meeting) {
                continue;
            }
            let names =
                Names { project: old.project.clone(), name: old.name.clone(), situation: (&old.situation).into() };
            let point = stored_point(old);
            let (item, marker) = self.item(&names, &point, old.key.clone(), Some(old), true);
            out.push((names, Shown { point, item: Some(item), marker }));
        }
        out
    }

    /// The earlier items of a project, in the order they were stored.
    fn earlier(&self, project: &str) -> Vec<&'a BoardItem> {
        let id = fold(project);
        let mut items: Vec<&BoardItem> = self.before.values().copied().filter(|i| fold(&i.project) == id).collect();
        if let Some(file) = &self.report.carry.before {
            let order: HashMap<&str, usize> = file.items.iter().enumerate().map(|(n, i)| (i.key.as_str(), n)).collect();
            items.sort_by_key(|i| order.get(i.key.as_str()).copied().unwrap_or(usize::MAX));
        }
        items
    }
}

/// What an entry names: the project, its name and its situation.
pub(super) struct Names {
    pub project: String,
    pub name: String,
    pub situation: Text,
}

/// The full key of a point: the Projekt-ID (folded) and the point's own key; a second
/// point with the same key in one project gets `#2`, and so on.
fn full_key(project: &str, key: &str, seen: &mut HashMap<String, usize>) -> String {
    let base = format!("{}/{key}", fold(project));
    let n = seen.entry(base.clone()).or_default();
    *n += 1;
    if *n == 1 { base } else { format!("{base}#{n}") }
}

/// An earlier item as a point again.
fn stored_point(old: &BoardItem) -> Point {
    let key = old.key.split_once('/').map(|(_, k)| k).unwrap_or(&old.key);
    let key = key.split_once('#').map(|(k, _)| k).unwrap_or(key);
    Point {
        agenda: old.agenda,
        topic: old.topic,
        text: (&old.text).into(),
        key: key.to_string(),
        kind: old.kind.clone(),
    }
}
