//! The level in force at any date ([`LevelCourse`]): from the secretariat's placements
//! (the register's Placeringer), the board's level decisions in the log, and – only where
//! neither says anything – the declared level (before `beslutningslog_fra` also the lead's
//! Historik.Niveau). Raises count at once (they only add duties; the board's approval must
//! then be dated on or after the raise); a change *away from* a level the board approves
//! (Bestyrelse = Godkendelse) counts only with a logged board decision on the same day –
//! otherwise it is rejected and the level stays as before. Every level-dependent rule
//! judges at the level in force on its date. Pure.

use crate::check::previous::PreviousProject;
use crate::check::records::{Records, approval_level};
use crate::model::choice::{Decider, DecisionKind};
use crate::model::project::{HistoryStep, Input, Project};
use crate::model::rules::LevelId;
use chrono::NaiveDate;

/// Which record puts the project at a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelSource {
    /// A Placeringer row of the register (1-based sheet row).
    Register { row: u32 },
    /// A Beslutninger row (1-based sheet row).
    Log { row: u32 },
    /// The projektark's Niveau (no record says otherwise).
    Declared,
    /// The level last in force (an earlier run), kept because the declared level moved away
    /// from a level the board approves without its decision.
    Previous,
    /// The lead's Historik.Niveau (0-based row), believed before the board's first recorded
    /// decision on the level.
    Historik { row: u32 },
}

/// A spell at one level, from a date (`None`: since ever) until the next spell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spell {
    pub from: Option<NaiveDate>,
    pub level: LevelId,
    pub source: LevelSource,
}

/// Where a rejected change of level is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RejectedAt {
    /// A Placeringer row (1-based).
    Register { row: u32 },
    /// The projektark's Niveau, with no register row for the project.
    Declared,
}

/// A change away from a level the board approves that no board decision supports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejected {
    pub at: RejectedAt,
    pub date: Option<NaiveDate>,
    pub from: LevelId,
    pub to: LevelId,
    /// Placeret af, as the register says.
    pub by: Option<Decider>,
}

/// The level in force over time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LevelCourse {
    /// Oldest first; consecutive spells have different levels.
    pub spells: Vec<Spell>,
    /// The level before the first spell (and throughout when there is none).
    pub base: Option<LevelId>,
    pub base_source: Option<LevelSource>,
    pub rejected: Vec<Rejected>,
    /// `beslutningslog_fra`: before it the lead's Historik.Niveau is believed.
    pub log_from: Option<NaiveDate>,
    /// The dated Historik steps that give a Niveau: (date, level, 0-based row), by date.
    pub historik: Vec<(NaiveDate, LevelId, u32)>,
}

enum Source {
    Register { row: u32, by: Option<Decider> },
    Log { row: u32 },
}

struct Event {
    date: NaiveDate,
    level: Option<LevelId>,
    source: Source,
}

impl LevelCourse {
    /// Builds the course of a project from the records; `previous` is what the last run
    /// saw (the level in force then).
    pub fn build(records: &Records<'_>, project: &Project, previous: Option<&PreviousProject>) -> LevelCourse {
        let rules = records.rules;
        let declared = project.fields.level.given().copied();
        let mut course = LevelCourse { log_from: records.log_from(), ..LevelCourse::default() };
        course.historik =
            project.history.iter().filter_map(|s| Some((*s.date.given()?, *s.level.given()?, s.row))).collect();
        course.historik.sort_by_key(|(d, _, row)| (*d, *row));
        let Some(id) = project.id() else {
            course.base = declared;
            course.base_source = declared.map(|_| LevelSource::Declared);
            return course;
        };
        let mut events: Vec<Event> = records
            .register
            .placements_for(id)
            .into_iter()
            .filter_map(|p| {
                Some(Event { date: p.date?, level: p.level, source: Source::Register { row: p.row, by: p.by } })
            })
            .collect();
        let log: Vec<&crate::model::rules::Decision> =
            records.counted(id).into_iter().map(|i| records.decision(i)).collect();
        for d in &log {
            let level_decision = d.kind == Some(DecisionKind::Niveau)
                || (d.kind == Some(DecisionKind::Godkendelse) && d.level.is_some());
            if level_decision && d.level.is_some() {
                events.push(Event { date: d.date, level: d.level, source: Source::Log { row: d.row } });
            }
        }
        // On one day the register's row comes first; the board's decision carries it.
        events.sort_by_key(|e| (e.date, matches!(e.source, Source::Log { .. }), e.row()));
        // The level last in force (an earlier run), when the register does not know the project.
        let before = previous
            .and_then(|p| p.in_force_level.as_deref().or(p.declared_level.as_deref()))
            .and_then(|code| rules.find_level(code));
        let board_same_day = |date: NaiveDate, to: LevelId| {
            log.iter()
                .any(|d| d.date == date && d.kind == Some(DecisionKind::Niveau) && d.level.is_none_or(|l| l == to))
        };
        let mut current: Option<LevelId> = None;
        for e in &events {
            let Some(to) = e.level else { continue };
            match e.source {
                Source::Log { row } => course.set(e.date, to, LevelSource::Log { row }),
                Source::Register { row, by } => {
                    // The level the last run saw is the level before a placement made since
                    // that run; a placement dated before it was there to be seen then (or is
                    // the register's own earlier course), so the record, not the last run,
                    // says what came before it.
                    let since_last_run = previous_date(previous).is_some_and(|p| e.date >= p);
                    let from = current.or(before.filter(|_| since_last_run));
                    let away = from.is_some_and(|f| f != to && approval_level(rules, f));
                    if away && records.authoritative_on(e.date) && !board_same_day(e.date, to) {
                        let from = from.unwrap_or(to);
                        course.rejected.push(Rejected {
                            at: RejectedAt::Register { row },
                            date: Some(e.date),
                            from,
                            to,
                            by,
                        });
                        if current.is_none() {
                            // The level stays where it was: from the start.
                            course.set_base(Some(from), LevelSource::Previous);
                            current = Some(from);
                        }
                        continue;
                    }
                    course.set(e.date, to, LevelSource::Register { row });
                }
            }
            current = course.spells.last().map(|s| s.level);
        }
        if course.base.is_none() {
            // No record before the first event (or none at all): the declared level – unless
            // it moves away from a level the board approves (the level last in force) without
            // the board's decision, where the earlier level stays.
            match (declared, before) {
                (Some(d), Some(b))
                    if course.spells.is_empty()
                        && d != b
                        && approval_level(rules, b)
                        && records.authoritative_on(previous_date(previous).unwrap_or(NaiveDate::MAX))
                        && !log.iter().any(|x| x.kind == Some(DecisionKind::Niveau)) =>
                {
                    course.rejected.push(Rejected { at: RejectedAt::Declared, date: None, from: b, to: d, by: None });
                    course.set_base(Some(b), LevelSource::Previous);
                }
                _ => course.set_base(declared, LevelSource::Declared),
            }
        }
        course
    }

    fn set_base(&mut self, level: Option<LevelId>, source: LevelSource) {
        self.base = level;
        self.base_source = level.map(|_| source);
    }

    fn set(&mut self, date: NaiveDate, level: LevelId, source: LevelSource) {
        match self.spells.last_mut() {
            // The board's decision the same day carries the register's row.
            Some(last) if last.level == level => {
                if last.from == Some(date) && matches!(source, LevelSource::Log { .. }) {
                    last.source = source;
                }
            }
            _ => self.spells.push(Spell { from: Some(date), level, source }),
        }
    }

    /// The spell in force on `date` (`None` before the first spell).
    fn spell(&self, date: NaiveDate) -> Option<&Spell> {
        self.spells.iter().rev().find(|s| s.from.is_none_or(|f| f <= date))
    }

    /// The level in force on a date, and which record says so.
    pub fn at(&self, date: NaiveDate) -> Option<(LevelId, LevelSource)> {
        match self.spell(date) {
            Some(s) => Some((s.level, s.source)),
            // Before the board's first recorded level decision (a raise the log has) the
            // level is not on record: the lead's Historik.Niveau of the step in force then,
            // so a budget change or step legal at the old level stays legal.
            None if self.before_board_first(date) => match self.historik.iter().rev().find(|(d, _, _)| *d <= date) {
                Some((_, level, row)) => Some((*level, LevelSource::Historik { row: *row })),
                None => self.base.zip(self.base_source),
            },
            None => self.base.zip(self.base_source),
        }
    }

    /// Whether `date` lies before the board's first recorded decision on the level, with no
    /// placement in the register before it.
    fn before_board_first(&self, date: NaiveDate) -> bool {
        self.spells.first().is_some_and(|s| {
            matches!(s.source, LevelSource::Log { .. })
                && s.from.is_some_and(|f| date < f)
                && self.base_source == Some(LevelSource::Declared)
        })
    }

    /// The level in force on a date (the base level for an unknown date).
    pub fn level_at(&self, date: Option<NaiveDate>) -> Option<LevelId> {
        match date {
            Some(d) => self.at(d).map(|(l, _)| l),
            None => self.spells.last().map(|s| s.level).or(self.base),
        }
    }

    /// The level in force today.
    pub fn now(&self, as_of: NaiveDate) -> Option<LevelId> {
        self.at(as_of).map(|(l, _)| l)
    }

    /// The start of the spell that contains `date`: an approval counts for the level only
    /// when dated on or after it. `None`: since ever.
    pub fn placed_since(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.spell(date).and_then(|s| s.from)
    }

    /// Whether the lead's Historik.Niveau is believed for a step dated `date`: before the
    /// cut-over, and with no record of the level on that date.
    pub fn believes_historik(&self, date: Option<NaiveDate>) -> bool {
        let legacy = match (date, self.log_from) {
            (Some(d), Some(from)) => d < from,
            (None, Some(_)) => false,
            (_, None) => true,
        };
        // Before the board's first recorded decision on the level (a raise the log has, with
        // no placement in the register before it), the level the project had is not on
        // record: the lead's Historik.Niveau is believed for those steps. The board's own
        // raise carries its approval, so a lower level claimed before it lifts nothing at
        // the level the board raised the project to.
        let before_board_first = date.is_some_and(|d| self.before_board_first(d));
        before_board_first || (legacy && date.is_none_or(|d| self.spell(d).is_none()))
    }

    /// The level a Historik step is judged at: the level in force on its date (an undated
    /// step: that of the nearest dated step before it, else today's); before the cut-over
    /// the step's own Historik.Niveau when given.
    pub fn at_step(&self, project: &Project, step: &HistoryStep) -> Option<LevelId> {
        let date = step.date.given().copied().or_else(|| {
            project.history.iter().take_while(|s| s.row != step.row).filter_map(|s| s.date.given().copied()).last()
        });
        if let Input::Given(l) = step.level
            && self.believes_historik(step.date.given().copied())
        {
            return Some(l);
        }
        match date {
            Some(d) => self.level_at(Some(d)),
            None => self.level_at(None),
        }
    }
}

impl Event {
    fn row(&self) -> u32 {
        match self.source {
            Source::Register { row, .. } | Source::Log { row } => row,
        }
    }
}

/// The first day of the previous run's period: a declared change seen since then is dated
/// after it.
fn previous_date(previous: Option<&PreviousProject>) -> Option<NaiveDate> {
    let period = previous?.period.as_deref()?;
    NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests;
