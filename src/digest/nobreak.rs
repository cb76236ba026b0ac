//! Dates, amounts and percentages that never break across lines in a mail: `10-12-2026`
//! must not end a line with `10-12-` and start the next with `2026`, nor `+22 %` leave the
//! `%` alone, nor `2,3 mio. kr.` split before `kr.`. In both the text and the HTML part,
//! spaces inside such a value become no-break spaces (U+00A0) and hyphens no-break
//! hyphens (U+2011); in HTML the value is also wrapped in a `white-space:nowrap` span.

/// A no-break space.
pub const NBSP: char = '\u{a0}';
/// A no-break hyphen.
pub const NBHY: char = '\u{2011}';

/// The Danish month names are the date reader's (`model::value::MONTHS_DA`).
use crate::model::value::MONTHS_DA as MONTHS;
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
/// Units kept with the number before them (longest first).
const UNITS: [&str; 6] = ["mio. kr.", "mia. kr.", "mio.", "kr.", "DKK", "%"];

fn digits(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_digit).count()
}

/// The length of `\d+([.,]\d+)*` at the start of `s`.
fn number(s: &str) -> usize {
    let mut n = digits(s);
    if n == 0 {
        return 0;
    }
    loop {
        let rest = &s[n..];
        let sep = rest.starts_with('.') || rest.starts_with(',');
        let more = if sep { digits(&rest[1..]) } else { 0 };
        if more == 0 {
            return n;
        }
        n += 1 + more;
    }
}

/// The length of a value to keep whole at the start of `s` (which starts with a digit or a
/// sign before one), or 0.
fn value_at(s: &str) -> usize {
    let sign = usize::from(s.starts_with('+') || s.starts_with('-'));
    let sign = if s.starts_with('−') { '−'.len_utf8() } else { sign };
    let n = number(&s[sign..]);
    if n == 0 {
        return 0;
    }
    let mut end = sign + n;
    // A date or period: 10-12-2026, 2026-11, 2026-11-26.
    if sign == 0 {
        let mut parts = 0;
        while s[end..].starts_with('-') && digits(&s[end + 1..]) > 0 {
            end += 1 + digits(&s[end + 1..]);
            parts += 1;
        }
        if parts > 0 {
            return end;
        }
        // A date in words: 10. december 2026.
        if let Some(rest) = s[end..].strip_prefix(". ") {
            for m in MONTHS.iter().chain(MONTHS_EN.iter()) {
                if let Some(after) = rest.strip_prefix(m)
                    && let Some(year) = after.strip_prefix(' ')
                    && digits(year) == 4
                {
                    return end + 2 + m.len() + 1 + 4;
                }
            }
        }
        // 10 December 2026.
        if let Some(rest) = s[end..].strip_prefix(' ') {
            for m in MONTHS_EN.iter().chain(MONTHS.iter()) {
                if let Some(after) = rest.strip_prefix(m)
                    && let Some(year) = after.strip_prefix(' ')
                    && digits(year) == 4
                {
                    return end + 1 + m.len() + 1 + 4;
                }
            }
        }
    }
    // A unit after the number, with or without a space.
    let (space, rest) = match s[end..].strip_prefix(' ') {
        Some(r) => (1, r),
        None => (0, &s[end..]),
    };
    for unit in UNITS {
        if let Some(after) = rest.strip_prefix(unit) {
            // `kr` must not be the start of a longer word.
            let word_goes_on = after.chars().next().is_some_and(char::is_alphanumeric) && !unit.ends_with('.');
            if !word_goes_on {
                return end + space + unit.len();
            }
        }
    }
    if sign > 0 { end } else { 0 }
}

/// Splits `s` into pieces, each marked whether it is a value to keep whole.
pub fn pieces(s: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut prev: Option<char> = None;
    while i < s.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        let after_word = prev.is_some_and(|p| p.is_alphanumeric() || p == '-' || p == '_');
        let starts = !after_word && (c.is_ascii_digit() || matches!(c, '+' | '-' | '−'));
        let len = if starts { value_at(&s[i..]) } else { 0 };
        if len > 0 {
            if start < i {
                out.push((&s[start..i], false));
            }
            out.push((&s[i..i + len], true));
            i += len;
            start = i;
            prev = s[..i].chars().next_back();
            continue;
        }
        prev = Some(c);
        i += c.len_utf8();
    }
    if start < s.len() {
        out.push((&s[start..], false));
    }
    out
}

/// A value with its spaces and hyphens made non-breaking (a sign's minus stays a minus).
fn glue(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for (i, c) in value.char_indices() {
        match c {
            ' ' => out.push(NBSP),
            '-' if i > 0 => out.push(NBHY),
            c => out.push(c),
        }
    }
    out
}

/// The text part: values glued.
pub fn text(s: &str) -> String {
    pieces(s).into_iter().map(|(p, keep)| if keep { glue(p) } else { p.to_string() }).collect()
}

/// The HTML part: escaped, values glued and wrapped in a no-wrap span.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 32);
    for (p, keep) in pieces(s) {
        if keep {
            out.push_str("<span style=\"white-space:nowrap;\">");
            out.push_str(&escape(&glue(p)));
            out.push_str("</span>");
        } else {
            out.push_str(&escape(p));
        }
    }
    out
}

/// HTML escaping as minijinja's autoescape does it.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2f;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(s: &str) -> Vec<&str> {
        pieces(s).into_iter().filter(|(_, k)| *k).map(|(p, _)| p).collect()
    }

    #[test]
    fn dates_amounts_and_percentages_are_kept_whole() {
        assert_eq!(kept("senest 10-12-2026, mødet 2026-11-26"), ["10-12-2026", "2026-11-26"]);
        assert_eq!(kept("siden 2026-09 (3 kørsler)"), ["2026-09"]);
        assert_eq!(kept("forventer 2,3 mio. kr. (+22 %)"), ["2,3 mio. kr.", "+22 %"]);
        assert_eq!(kept("1.500.000 kr. mod 99,5%"), ["1.500.000 kr.", "99,5%"]);
        assert_eq!(kept("til mødet 10. december 2026."), ["10. december 2026"]);
        assert_eq!(kept("meeting 10 December 2026"), ["10 December 2026"]);
        assert_eq!(text("senest 10-12-2026"), "senest 10\u{2011}12\u{2011}2026");
        assert_eq!(text("+22 %"), "+22\u{a0}%");
        assert_eq!(text("2,3 mio. kr."), "2,3\u{a0}mio.\u{a0}kr.");
    }

    #[test]
    fn near_misses_are_left_alone() {
        // IDs, codes and plain counts are not values to glue.
        assert!(kept("F3, F13 og N2-krav; KRAV-UNANSWERED; OS2iot-2").is_empty());
        assert!(kept("8 krav er ikke besvaret").is_empty());
        assert!(kept("3 kravene").is_empty());
        assert_eq!(text("12 krone"), "12 krone");
        // A minus at the start of a value stays a minus.
        assert_eq!(text("-5 %"), "-5\u{a0}%");
    }

    #[test]
    fn html_is_escaped_around_and_inside() {
        assert_eq!(
            html("<b>10-12-2026</b>"),
            "&lt;b&gt;<span style=\"white-space:nowrap;\">10\u{2011}12\u{2011}2026</span>&lt;&#x2f;b&gt;"
        );
    }
}
