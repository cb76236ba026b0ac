//! Periods: the month a run is for, written `YYYY-MM` (folder names, file names, the
//! findings JSON). Pure.

use chrono::NaiveDate;

/// The period (`YYYY-MM`) of a date.
pub fn period_of(date: NaiveDate) -> String {
    date.format("%Y-%m").to_string()
}

/// `YYYY-MM`.
pub fn is_period(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 7
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..].iter().all(u8::is_ascii_digit)
        && matches!(s[5..].parse::<u32>(), Ok(1..=12))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_year_and_month() {
        assert!(is_period("2026-11"));
        assert!(!is_period("2026-13"));
        assert!(!is_period("2026-1"));
        assert!(!is_period("26-11-2026"));
        assert_eq!(period_of(NaiveDate::from_ymd_opt(2026, 3, 9).unwrap()), "2026-03");
    }
}
