//! User-facing text in both languages the tool speaks. No I/O and no formatting of
//! domain values here: callers build a [`Text`] with the `t!` macro and pick a language
//! only when the text reaches a sink.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The languages os2gov speaks. Danish is the users' language and the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Da,
    En,
}

impl Lang {
    /// Reads `da`/`en` (also `dansk`, `danish`, `english`, `engelsk`), case-insensitively.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "da" | "dk" | "dansk" | "danish" | "da-dk" => Some(Lang::Da),
            "en" | "engelsk" | "english" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    /// Picks one of two literals; for short labels where a [`Text`] would be overkill.
    pub fn pick<'a>(self, da: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Da => da,
            Lang::En => en,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A message in Danish and English. Findings carry both, so one run can serve a
/// Danish board member and an English-speaking observer from the same data.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Text {
    pub da: String,
    pub en: String,
}

impl Text {
    pub fn new(da: impl Into<String>, en: impl Into<String>) -> Text {
        Text { da: da.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Da => &self.da,
            Lang::En => &self.en,
        }
    }

    /// Joins two texts with a space (per language).
    pub fn then(mut self, more: &Text) -> Text {
        for (a, b) in [(&mut self.da, &more.da), (&mut self.en, &more.en)] {
            if !a.is_empty() && !b.is_empty() {
                a.push(' ');
            }
            a.push_str(b);
        }
        self
    }
}

/// The most characters of one value from a workbook (a name, a cell text) shown in
/// messages, the findings JSON, mails, the Kontrol sheet and the portfolio. The full value
/// stays in the user's own workbook.
pub const SHOWN_VALUE_CHARS: usize = 200;

/// The longest sheet name kept, in UTF-16 units (Excel allows 31 characters); a longer
/// one is clipped wherever it is read or shown.
pub const MAX_SHEET_NAME_CHARS: usize = 255;

/// The most characters of one finding message (which may quote a value).
pub const MESSAGE_CHARS: usize = 1_000;

/// `s` cut to at most `max` characters, with `…` marking a cut.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some(_) => {
            let keep = max.saturating_sub(1);
            let end = s.char_indices().nth(keep).map_or(s.len(), |(i, _)| i);
            format!("{}…", s.get(..end).unwrap_or_default())
        }
    }
}

/// `s` cut in the middle to at most `max` characters: the beginning (what is wrong) and
/// the end (what to do) of a message both survive a long quoted value.
pub fn clip_middle(s: &str, max: usize) -> String {
    let count = s.chars().count();
    if count <= max {
        return s.to_string();
    }
    let tail = max / 3;
    let head = max.saturating_sub(tail + 3);
    let head_end = s.char_indices().nth(head).map_or(s.len(), |(i, _)| i);
    let tail_start = s.char_indices().nth(count - tail).map_or(s.len(), |(i, _)| i);
    format!("{} … {}", s.get(..head_end).unwrap_or_default(), s.get(tail_start..).unwrap_or_default())
}

impl Text {
    /// Both languages clipped in the middle to `max` characters (see [`clip_middle`]).
    pub fn clipped(self, max: usize) -> Text {
        Text { da: clip_middle(&self.da, max), en: clip_middle(&self.en, max) }
    }
}

/// `s` cut to at most `max` UTF-16 units (Excel's measure of a cell's length), on a
/// character boundary, without a mark.
pub fn clip_units(s: &str, max: usize) -> String {
    let mut units = 0usize;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > max {
            return s.get(..i).unwrap_or_default().to_string();
        }
    }
    s.to_string()
}

/// The one table of letters outside ASCII that os2gov writes in ASCII: Danish æ, ø, å
/// as ae, oe, aa, and the accented letters common in names (`ö` → `oe`, `é` → `e`).
/// Folding for comparison ([`fold`]) and file names made from user text both use it, so
/// a name compares and is written the same way.
pub fn ascii_letters(c: char) -> Option<&'static str> {
    Some(match c {
        'æ' => "ae",
        'Æ' => "Ae",
        'ø' => "oe",
        'Ø' => "Oe",
        'å' => "aa",
        'Å' => "Aa",
        'ö' => "oe",
        'Ö' => "Oe",
        'ä' => "ae",
        'Ä' => "Ae",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'É' | 'È' | 'Ê' | 'Ë' => "E",
        'ü' => "u",
        'Ü' => "U",
        _ => return None,
    })
}

/// Folds a typed value for comparison: trimmed, lower case, inner whitespace collapsed,
/// letters written in ASCII by [`ascii_letters`] (æ → ae, ø → oe, å → aa, é → e),
/// apostrophes dropped.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            match (c, ascii_letters(c)) {
                (_, Some(ascii)) => out.push_str(ascii),
                ('’' | '\'', None) => {}
                (c, None) => out.push(c),
            }
        }
    }
    out
}

/// Text for a terminal: every control character removed except line feed and tab (C0
/// including ESC and carriage return, DEL, and C1), so text from a workbook, a file name
/// or a Markdown file cannot clear the screen, set the window title or overwrite a line.
/// Applied where os2gov prints (the binary's one sink and the progress lines).
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if s.chars().any(unsafe_char) {
        std::borrow::Cow::Owned(s.chars().filter(|c| !unsafe_char(*c)).collect())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Characters that end a URL left as written in published Markdown: Markdown or HTML
/// could act on them, or they end a table cell.
const URL_STOP: &str = "()[]<>|\\`\"'{}*!";

/// The first URL in `s` as (start, end): `http://`, `https://` or `www.`, a domain of
/// letters, digits, `-`, `_` and at least one inner `.`, then anything up to white space
/// or a character of [`URL_STOP`].
fn url_span(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let (at, prefix) = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| s.get(from..)?.find(p).map(|i| (from + i, p.len())))
            .min_by_key(|(i, _)| *i)?;
        let after = s.get(at + prefix..).unwrap_or_default();
        let domain_len =
            after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')).unwrap_or(after.len());
        let domain = after.get(..domain_len).unwrap_or_default();
        if domain.starts_with(|c: char| c.is_ascii_alphanumeric()) && domain.trim_end_matches('.').contains('.') {
            let rest = after.get(domain_len..).unwrap_or_default();
            let len = rest.find(|c: char| c.is_whitespace() || URL_STOP.contains(c)).unwrap_or(rest.len());
            return Some((at, at + prefix + domain_len + len));
        }
        from = at + prefix;
    }
}

/// Text from a cell as one line of published Markdown (a table cell, a heading): white
/// space collapsed, control characters dropped, and everything Markdown or HTML could act
/// on escaped – `\`, `|`, emphasis, code, links and images (`[ ] ( ) !`), headings,
/// `<` `>` `&` as entities – so `<script>`, `<img …>`, `[Klik](javascript:…)`,
/// `www.![x](…)` and `## Overskrift` stay text. A real URL (`https://…`, `www.…` up to
/// white space or a character Markdown could act on) is left as written, so a reader's
/// autolink shows the address itself and nothing else.
pub fn markdown_line(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let one_line: String = one_line.chars().filter(|c| !c.is_control()).collect();
    let mut out = String::with_capacity(one_line.len() + 8);
    let mut rest = one_line.as_str();
    while !rest.is_empty() {
        let (plain, url, next) = match url_span(rest) {
            Some((at, end)) => (&rest[..at], &rest[at..end], &rest[end..]),
            None => (rest, "", ""),
        };
        for c in plain.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '(' | ')' | '!' | '~' | '#' | '{' | '}' | '"' | '=' => {
                    out.push('\\');
                    out.push(c);
                }
                c => out.push(c),
            }
        }
        out.push_str(url);
        rest = next;
    }
    out
}

/// Builds a [`Text`] from a Danish and an English format string; both capture
/// variables from the caller like `format!` does. Used as `crate::text::t!`.
macro_rules! t {
    ($da:literal, $en:literal $(,)?) => {
        $crate::text::Text { da: format!($da), en: format!($en) }
    };
}
pub(crate) use t;

/// The most items named in a list inside one point or annex line (requirements not met,
/// organisations, themes, backflows); the rest are counted.
pub const MAX_LISTED: usize = 10;

/// `a; b; c; og 9 mere` – at most [`MAX_LISTED`] items joined, the rest counted.
pub fn listed(items: impl ExactSizeIterator<Item = String>, sep: &str, lang: Lang) -> String {
    let n = items.len();
    let mut out: Vec<String> = items.take(MAX_LISTED).collect();
    if n > MAX_LISTED {
        let more = n - MAX_LISTED;
        out.push(match lang {
            Lang::Da => format!("og {more} mere"),
            Lang::En => format!("and {more} more"),
        });
    }
    out.join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_captures_variables_in_both_languages() {
        let n = 3;
        let text = t!("{n} fejl", "{n} errors");
        assert_eq!(text.get(Lang::Da), "3 fejl");
        assert_eq!(text.get(Lang::En), "3 errors");
    }

    #[test]
    fn texts_are_clipped_by_characters() {
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip(&"ø".repeat(10), 5), "øøøø…");
        assert_eq!(clip("", 0), "");
        let long = format!("start {} end", "x".repeat(5_000));
        let cut = clip_middle(&long, 100);
        assert_eq!(cut.chars().count(), 100);
        assert!(cut.starts_with("start x") && cut.ends_with("x end") && cut.contains(" … "), "{cut}");
        assert_eq!(clip_middle("kort", 100), "kort");
        let t = Text::new("æ".repeat(2_000), "e".repeat(10)).clipped(MESSAGE_CHARS);
        assert_eq!((t.da.chars().count(), t.en.as_str()), (MESSAGE_CHARS, "eeeeeeeeee"));
    }

    #[test]
    fn lang_parses_common_spellings() {
        assert_eq!(Lang::parse(" DA "), Some(Lang::Da));
        assert_eq!(Lang::parse("English"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }

    #[test]
    fn terminal_text_loses_its_control_characters_but_keeps_lines() {
        let hostile = "Navn\u{1b}[2J\u{1b}]0;Titel\u{7}\rSlut\u{9b}31m\u{7f}";
        assert_eq!(terminal_safe(hostile), "Navn[2J]0;TitelSlut31m");
        // Near miss: line feeds, tabs and Danish letters are text.
        assert!(matches!(terminal_safe("æ\tø\nå"), std::borrow::Cow::Borrowed("æ\tø\nå")));
    }

    #[test]
    fn published_markdown_is_text_whatever_a_cell_says() {
        for (cell, expected) in [
            ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
            ("<img src=x onerror=y>", "&lt;img src\\=x onerror\\=y&gt;"),
            ("[Klik](javascript:alert(1))", "\\[Klik\\]\\(javascript:alert\\(1\\)\\)"),
            ("## Overskrift", "\\#\\# Overskrift"),
            ("a | b", "a \\| b"),
            ("*fed* _kursiv_ `kode` ~streg~", "\\*fed\\* \\_kursiv\\_ \\`kode\\` \\~streg\\~"),
            ("linje\nto", "linje to"),
        ] {
            assert_eq!(markdown_line(cell), expected, "{cell}");
        }
        // Autolinks: the text after www. or https:// that is no address is escaped, so it
        // is never an image or a hidden link.
        let pixel = markdown_line("www.![x](https://evil.example/pixel.png)");
        assert!(!pixel.contains("!["), "{pixel}");
        assert!(pixel.starts_with("www.\\!\\[x\\]\\("), "{pixel}");
        let link = markdown_line("www.[Klik](https://evil.example)");
        assert!(!link.contains("]("), "{link}");
        // Near miss: a real address stays as written (an autolink shows the address itself).
        assert_eq!(
            markdown_line("Referat: https://os2.eu/referat_2026-03.pdf"),
            "Referat: https://os2.eu/referat_2026-03.pdf"
        );
        assert_eq!(markdown_line("www.os2.eu/bestyrelse."), "www.os2.eu/bestyrelse.");
    }
}
