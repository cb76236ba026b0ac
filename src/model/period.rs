//! The one [`Period`]: the month a run is for, written `YYYY-MM` (folder names, file names,
//! the findings JSON, "since" in follow-up). Parsing, writing, the first day and the
//! months between two periods live here and nowhere else. Pure.

use chrono::{Datelike, NaiveDate};
use std::fmt;

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

impl Period {
    /// The period a date falls in.
    pub fn of(date: NaiveDate) -> Period {
        Period { year: date.year(), month: date.month() }
    }

    /// `YYYY-MM` exactly (four digits, a hyphen, a month 01–12); `None` otherwise.
    pub fn parse(s: &str) -> Option<Period> {
        let b = s.as_bytes();
        let shaped = b.len() == 7
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..].iter().all(u8::is_ascii_digit);
        if !shaped {
            return None;
        }
        let (year, month) = (s[..4].parse().ok()?, s[5..].parse().ok()?);
        (1..=12).contains(&month).then_some(Period { year, month })
    }

    /// The first day of the month.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("a valid month")
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        (self.first_day() + chrono::Months::new(1)).pred_opt().expect("a day before a valid month")
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Period) -> i64 {
        let index = |p: Period| i64::from(p.year) * 12 + i64::from(p.month);
        index(later) - index(self)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The period (`YYYY-MM`) of a date.
pub fn period_of(date: NaiveDate) -> String {
    Period::of(date).to_string()
}

/// True for `YYYY-MM` (see [`Period::parse`]).
pub fn is_period(s: &str) -> bool {
    Period::parse(s).is_some()
}

/// Months from period `from` to period `to`, both `YYYY-MM`; `None` when either is not a
/// period.
pub fn months_between(from: &str, to: &str) -> Option<i64> {
    Some(Period::parse(from)?.months_until(Period::parse(to)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_year_and_month() {
        assert!(is_period("2026-11"));
        assert!(!is_period("2026-13"));
        assert!(!is_period("2026-00"));
        assert!(!is_period("2026-1"));
        assert!(!is_period("26-11-2026"));
        assert_eq!(period_of(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()), "2026-03");
        let p = Period::parse("2025-12").unwrap();
        assert_eq!(p.to_string(), "2025-12");
        assert_eq!(p.first_day(), NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
        assert_eq!(months_between("2025-12", "2026-01"), Some(1));
        assert_eq!(months_between("2026-09", "2026-11"), Some(2));
        assert_eq!(months_between("2026-11", "2026-09"), Some(-2));
        assert_eq!(months_between("x", "2026-01"), None);
    }
}
