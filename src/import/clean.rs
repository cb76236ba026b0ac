//! Turning what people typed into published reports into plain values: text decoding
//! (UTF-8 with or without BOM, UTF-16, Windows-1252), cell text without HTML and Markdown
//! (links kept as `text (url)`), the answer a marker or word stands for, requirement IDs,
//! and placeholders left from a template. Pure functions; no knowledge of the catalogue.

use crate::import::source::{SourceAnswer, WordRule};
use crate::model::choice::Answer;
use crate::text::Text;
use crate::text::fold;
use crate::text::t;

/// Decodes a text file: UTF-8 (a BOM is dropped), UTF-16 with a BOM, else Windows-1252
/// (with a note, since that is a guess at the encoding, not at the content). Line endings
/// become `\n`. `None` for binary data (NUL bytes outside UTF-16).
pub fn decode(bytes: &[u8]) -> Option<(String, Option<Text>)> {
    let (text, note) = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        (String::from_utf8_lossy(rest).into_owned(), None)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        (utf16(rest, u16::from_le_bytes), None)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        (utf16(rest, u16::from_be_bytes), None)
    } else if bytes.contains(&0) {
        return None;
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_string(), None),
            Err(_) => (
                bytes.iter().map(|b| windows_1252(*b)).collect(),
                Some(t!(
                    "Filen var ikke UTF-8 og er læst som Windows-1252; kontrollér æ, ø og å.",
                    "The file was not UTF-8 and was read as Windows-1252; check æ, ø and å."
                )),
            ),
        }
    };
    Some((text.replace("\r\n", "\n").replace('\r', "\n"), note))
}

fn utf16(bytes: &[u8], read: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| read([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘',
        '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => b as char,
    }
}

/// Decodes the HTML entities people and generators put in Markdown.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|j| j + 1).filter(|j| *j <= 10);
        let decoded = end.and_then(|j| {
            let name = &rest[1..j];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                "vert" | "#124" => Some('|'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, j + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `href` of an anchor tag's inside (`a href="…" title=…`), if any.
fn href(tag: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find("href")?;
    let rest = tag[at + 4..].trim_start().strip_prefix('=')?.trim_start();
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split(|c: char| c.is_whitespace()).next()?,
    };
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// HTML in a cell: line breaks and list items become lines, an anchor becomes
/// `text (url)` (or the URL alone when the text is empty or the URL itself), every other
/// tag goes.
fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // The open anchor's URL and where its text starts in `out`.
    let mut anchor: Option<(String, usize)> = None;
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, after.find('>')) {
            (true, Some(j)) => {
                let closing = after.starts_with('/');
                let tag = after[..j].trim_start_matches('/').to_ascii_lowercase();
                let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                // An autolink `<https://…>` is a link, not a tag.
                if name == "http" || name == "https" || name == "mailto" {
                    out.push_str(&after[..j]);
                } else {
                    match name.as_str() {
                        "a" if !closing => {
                            close_anchor(&mut out, anchor.take());
                            anchor = href(after[1..j].trim_end_matches('/')).map(|url| (url, out.len()));
                        }
                        "a" => close_anchor(&mut out, anchor.take()),
                        "br" | "p" | "div" | "tr" => out.push('\n'),
                        "li" if !closing => out.push_str("\n- "),
                        "ul" | "ol" | "li" => out.push('\n'),
                        _ => {}
                    }
                }
                rest = &after[j + 1..];
            }
            (_, None) => {
                // No `>` anywhere after: nothing further can be a tag.
                out.push('<');
                out.push_str(after);
                close_anchor(&mut out, anchor.take());
                return out;
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    close_anchor(&mut out, anchor.take());
    out
}

/// Ends an anchor: its URL after its text, unless the text already is the URL.
fn close_anchor(out: &mut String, anchor: Option<(String, usize)>) {
    let Some((url, start)) = anchor else {
        return;
    };
    let text = out[start..].trim().to_string();
    let bare = url.strip_prefix("mailto:").unwrap_or(&url);
    if text.is_empty() {
        out.truncate(start);
        out.push_str(&url);
    } else if text != url && text != bare {
        out.push_str(&format!(" ({url})"));
    }
}

/// Markdown links and images as readable text: `[tekst](url)` → `tekst (url)`, a link
/// whose text is its URL → the URL, `![alt](url)` → `alt (url)`.
pub fn links_as_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some(close) = matching(&rest[open..], '[', ']').map(|c| c + open) else {
            break;
        };
        let after = &rest[close + 1..];
        let url_end = if after.starts_with('(') { matching(after, '(', ')') } else { None };
        match url_end {
            Some(end) => {
                let image = open > 0 && rest[..open].ends_with('!');
                out.push_str(&rest[..if image { open - 1 } else { open }]);
                let label = links_as_text(&rest[open + 1..close]);
                let target = after[1..end].trim();
                // `(url "title")` → url
                let url = target.split_once(" \"").map(|(u, _)| u).unwrap_or(target).trim_matches(['<', '>']);
                let label = label.trim();
                if label.is_empty() || label == url {
                    out.push_str(url);
                } else if url.is_empty() {
                    out.push_str(label);
                } else {
                    out.push_str(&format!("{label} ({url})"));
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[..=close]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The index of the bracket closing the one `s` starts with (nesting counted).
fn matching(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    // A link is short; looking further would make a text full of `[` slow.
    for (i, c) in s.char_indices().take(4096) {
        if c == open {
            depth += 1;
        } else if c == close {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        } else if c == '\n' && open == '(' {
            return None;
        }
    }
    None
}

/// Strips Markdown emphasis (`**x**`, `__x__`, `*x*`, `_x_`, `` `x` ``, `~~x~~`) without
/// touching URLs or underscores inside words (`snake_case`, `referat_-_os2.pdf`).
pub fn strip_emphasis(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let url_at = ["https://", "http://", "www."].iter().filter_map(|p| rest.find(p)).min();
        let (plain, url) = match url_at {
            Some(i) => {
                let end = rest[i..].find(|c: char| c.is_whitespace() || c == ')').map_or(rest.len(), |e| i + e);
                (&rest[..i], &rest[i..end])
            }
            None => (rest, ""),
        };
        out.push_str(&strip_emphasis_plain(plain));
        out.push_str(url);
        rest = &rest[plain.len() + url.len()..];
    }
    out
}

fn strip_emphasis_plain(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let word = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
        let skip = match c {
            '*' | '`' => true,
            '~' => prev == Some('~') || next == Some('~'),
            // Inside a word (`snake_case`) an underscore is a character, not emphasis.
            '_' => !(word(prev) && word(next)),
            _ => false,
        };
        if !skip {
            out.push(c);
        }
    }
    out
}

/// Characters Markdown lets a backslash escape.
const ESCAPABLE: &str = "\\`*_{}[]()#+-.!|~<>&";

/// Backslash escapes (`\*`, `\|`, `\_`) become private-use characters while the cell is
/// cleaned, so an escaped character is never read as markup; [`unprotect`] restores them.
fn protect(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek().and_then(|n| ESCAPABLE.chars().position(|e| e == *n))) {
            ('\\', Some(i)) => {
                out.push(char::from_u32(0xE000 + i as u32).unwrap_or(c));
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

fn unprotect(s: &str) -> String {
    s.chars()
        .map(|c| match (c as u32).checked_sub(0xE000).and_then(|i| ESCAPABLE.chars().nth(i as usize)) {
            Some(e) => e,
            None => c,
        })
        .collect()
}

/// A cell's text as a person would read it: HTML and emphasis gone, entities decoded,
/// links as `text (url)`, backslash escapes resolved, spaces collapsed, one line per line.
pub fn cell_text(raw: &str) -> String {
    // Plain text (no markup character) only needs its spaces collapsed.
    let s = if raw.contains(|c: char| "\\<>&[]()*_`~|".contains(c)) {
        let s = protect(raw);
        let s = decode_entities(&strip_html(&s));
        unprotect(&strip_emphasis(&links_as_text(&s)))
    } else {
        raw.to_string()
    };
    let lines: Vec<String> =
        s.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|l| !l.is_empty()).collect();
    lines.join("\n")
}

/// True when a requirement text marks itself as a recommendation: all in italics, or with
/// "(anbefaling)". Takes the raw cell.
pub fn is_recommendation(raw: &str) -> bool {
    let t = strip_html(raw);
    let t = t.trim();
    let italic = |m: &str| t.len() > 2 * m.len() && t.starts_with(m) && t.ends_with(m) && !t.starts_with("**");
    fold(t).contains("(anbefaling)") || italic("_") || italic("*")
}

/// A requirement ID as written (`R1`, ` f10 `, `**G3**`, `R 1`), upper-cased and without
/// spaces; `None` when the cell is not an ID (letters then digits, optionally one letter).
pub fn requirement_id(raw: &str) -> Option<String> {
    let s: String = cell_text(raw).chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
    let letters = s.chars().take_while(|c| c.is_alphabetic()).count();
    let digits = s.chars().skip(letters).take_while(|c| c.is_ascii_digit()).count();
    let tail = s.chars().count() - letters - digits;
    ((1..=3).contains(&letters)
        && (1..=3).contains(&digits)
        && tail <= 1
        && s.chars().last().is_some_and(|c| c.is_alphanumeric()))
    .then(|| s.to_uppercase())
}

/// Characters that carry no meaning of their own next to a marker.
fn is_decoration(c: char) -> bool {
    matches!(c, '\u{FE0E}' | '\u{FE0F}' | '\u{200D}' | '\u{200B}')
}

/// What an answer cell says: a checkbox (`[x]`, `[ ]`, `[]`, `<ul><li> [x] </li>`,
/// `☑`/`☐`, an HTML checkbox), a 2025 marker (✅ ❌ ➖ ❓), a word (Ja, Nej, Ikke relevant,
/// Ved ikke; also English), or a marker with its word. Unchecked and blank are
/// [`SourceAnswer::Blank`]: not claimed, never Nej. Anything else is kept as written.
pub fn answer(raw: &str) -> SourceAnswer {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("type=\"checkbox\"") || lower.contains("type='checkbox'") || lower.contains("type=checkbox") {
        return if lower.contains("checked") { SourceAnswer::Given(Answer::Ja) } else { SourceAnswer::Blank };
    }
    let text = emoji_shortcodes(&cell_text(raw));
    let text = text.trim_start_matches(['-', '*', '+']).trim();
    // `Some(None)` once an unchecked box was seen, `Some(Some(a))` once a marker for `a`.
    let mut marker: Option<Option<Answer>> = None;
    let mut words = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let found: Option<Answer> = match c {
            '[' => {
                // A Markdown checkbox: `[x]`, `[X]`, `[✓]`, `[ ]`, `[]`.
                let inner: String = chars.by_ref().take_while(|c| *c != ']').collect();
                match inner.trim_matches(|c: char| is_decoration(c) || c.is_whitespace()) {
                    "" => None,
                    "x" | "X" | "✓" | "✔" => Some(Answer::Ja),
                    other => {
                        words.push_str(other);
                        continue;
                    }
                }
            }
            '✅' | '☑' | '✔' | '✓' | '☒' | '🗹' => Some(Answer::Ja),
            '❌' | '✖' | '✗' | '✘' | '❎' => Some(Answer::Nej),
            '➖' => Some(Answer::IkkeRelevant),
            '❓' | '❔' => Some(Answer::VedIkke),
            '☐' | '□' => None,
            c if is_decoration(c) => continue,
            c if c.is_whitespace() => {
                words.push(' ');
                continue;
            }
            c => {
                words.push(c);
                continue;
            }
        };
        if marker.is_some_and(|m| m != found) {
            return SourceAnswer::Unknown(text.to_string());
        }
        marker = Some(found);
    }
    let word = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let word = word.trim_end_matches(['.', '!']);
    if marker.is_none()
        && let Some((answer, rule)) = answer_word(word)
    {
        return SourceAnswer::Word { word: word.to_string(), answer, rule };
    }
    let word_answer =
        (!word.is_empty()).then(|| Answer::parse(word).or_else(|| Answer::parse(&word.replace(['_', '-'], " "))));
    match (marker, word_answer) {
        (None, None) => SourceAnswer::Blank,
        (Some(m), None) => m.map(SourceAnswer::Given).unwrap_or(SourceAnswer::Blank),
        (None, Some(Some(a))) => SourceAnswer::Given(a),
        // A marker and the same word (`✅ Ja`) agree; a marker with another word does not.
        (Some(Some(m)), Some(Some(a))) if m == a => SourceAnswer::Given(a),
        _ => SourceAnswer::Unknown(text.to_string()),
    }
}

/// GitHub's emoji shortcodes for the 2025 markers, as their emoji.
fn emoji_shortcodes(text: &str) -> String {
    if !text.contains(':') {
        return text.to_string();
    }
    let mut out = text.to_string();
    for (code, emoji) in [
        (":white_check_mark:", "✅"),
        (":heavy_check_mark:", "✔"),
        (":ballot_box_with_check:", "☑"),
        (":x:", "❌"),
        (":negative_squared_cross_mark:", "❎"),
        (":heavy_multiplication_x:", "✖"),
        (":heavy_minus_sign:", "➖"),
        (":question:", "❓"),
        (":grey_question:", "❔"),
    ] {
        out = out.replace(code, emoji);
    }
    out
}

/// The hints OS2's published forms put in the documentation column for people to replace
/// (the blank old checklist's Henvisning and the 2025 template's Beskrivelse /
/// Dokumentation), compared folded and without punctuation. They are the forms' text, not
/// a product's documentation.
const TEMPLATE_HINTS: &[&str] = &[
    "Hvordan? Kan udfyldes",
    "Kan udfyldes",
    "Indsæt link",
    "Indsæt link(s)",
    "Indsæt links",
    "Indsæt vedtaget licens",
    "Hvem? evt. link til beskrivelse af ansvar/opgaver",
    "fx link til referat",
    "f.eks. link til referat",
    "Link til kommissorium",
    "Link til aftale",
    "Henvisning til en faggruppe eller et forum",
    "Ikke udfyldt",
    "Udfyldes i selvevaluering",
];

/// Words that alone, as a question, ask for documentation (`Hvor?`, `Hvordan/hvilke?`).
const QUESTION_WORDS: &[&str] =
    &["hvor", "hvem", "hvordan", "hvilke", "hvilken", "hvilket", "hvad", "hvornaar", "hvorfor"];

/// Folded letters and digits only, one space between words: how hints are compared.
fn hint_key(s: &str) -> String {
    fold(s).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// True when a line is one of the forms' hints ([`TEMPLATE_HINTS`]) or a placeholder: nothing but
/// punctuation, a bracketed note without a link (`[Ikke udfyldt]`), a question made only
/// of question words (`Hvor?`, `Hvordan/hvilke?`), or an instruction to fill in
/// (`Indsæt link`, `Kan udfyldes`). A real question (`Har vi noget?`) is not.
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    if !t.chars().any(char::is_alphanumeric) {
        return true;
    }
    if t.contains("://") || t.contains("](") {
        return false;
    }
    if t.starts_with('[') && t.ends_with(']') {
        return true;
    }
    let key = hint_key(t);
    static HINTS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    if HINTS.get_or_init(|| TEMPLATE_HINTS.iter().map(|h| hint_key(h)).collect()).contains(&key) {
        return true;
    }
    let words: Vec<&str> = key.split(' ').collect();
    if t.ends_with('?') && words.iter().all(|w| QUESTION_WORDS.contains(w)) {
        return true;
    }
    let f = fold(t);
    ["indsaet ", "udfyldes", "kan udfyldes", "udfyld "].iter().any(|p| f.starts_with(p)) && words.len() <= 5
}

/// Splits the forms' own text off documentation: lines that are a hint or placeholder
/// ([`is_placeholder`]) go, the rest stays. Returns (documentation, what was removed).
pub fn without_template_text(documentation: &str) -> (String, Option<String>) {
    let (mut kept, mut removed) = (Vec::new(), Vec::new());
    for line in documentation.lines() {
        if is_placeholder(line) { removed.push(line.trim()) } else { kept.push(line) }
    }
    let removed = (!removed.is_empty()).then(|| removed.join(" / "));
    (kept.join("\n").trim().to_string(), removed)
}

/// The answer-word table: words (folded) that mean "not met yet". A cell of several of
/// them (`I gang / afventer`) counts too.
const NOT_YET_WORDS: &[&str] = &[
    "planlagt",
    "i gang",
    "igang",
    "igangsat",
    "paabegyndt",
    "under udarbejdelse",
    "under udvikling",
    "i proces",
    "afventer",
    "afventende",
    "delvist",
    "delvis",
    "delvist opfyldt",
    "delvis opfyldt",
    "ikke endnu",
    "endnu ikke",
];

/// A word beyond Ja, Nej, Ikke relevant and Ved ikke, read by the answer-word table.
pub fn answer_word(word: &str) -> Option<(Answer, WordRule)> {
    let t = word.trim().trim_end_matches(['.', '!']);
    if !t.is_empty() && t.chars().all(|c| c == '?') {
        return Some((Answer::VedIkke, WordRule::Unsure));
    }
    let parts: Vec<String> = fold(t)
        .replace(" og ", "/")
        .split(['/', ',', '+', '&', ';'])
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty() && parts.iter().all(|p| NOT_YET_WORDS.contains(&p.as_str())))
        .then_some((Answer::Nej, WordRule::NotYet))
}

/// A licence named in a source, as an OSI-approved SPDX id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedLicence {
    pub spdx: &'static str,
    /// A GNU licence named by version only (`GPL3`): read as `-only`, since SPDX's old id
    /// `GPL-3.0` means that and the source grants no later versions in words.
    pub version_only: bool,
}

/// The OSI-approved licences a text names, in order, without repeats: SPDX ids in any case
/// (`MPL-2.0`, `mit`), a name and a version apart or together (`MPL 2.0`, `MPL2`, `GPL v3`,
/// `GPL3 licens`, `EUPL 1.2`), and the long names (`Mozilla Public License 2.0`). A GNU
/// licence is `-or-later` when the text says so (`or later`, `eller senere`, `+`), else
/// `-only`. Licences that are not OSI-approved (`CC-BY-SA-4.0` for documentation) are not
/// returned.
pub fn licences_in(text: &str) -> Vec<NamedLicence> {
    let mut t = text.to_lowercase();
    for (long, short) in [
        ("gnu affero general public license", "agpl"),
        ("gnu lesser general public license", "lgpl"),
        ("gnu general public license", "gpl"),
        ("affero general public license", "agpl"),
        ("lesser general public license", "lgpl"),
        ("general public license", "gpl"),
        ("mozilla public license", "mpl"),
        ("european union public licence", "eupl"),
        ("european union public license", "eupl"),
        ("apache license", "apache"),
    ] {
        t = t.replace(long, short);
    }
    let later = ["or later", "or-later", "eller senere", "eller nyere", "or any later"].iter().any(|w| t.contains(w));
    let tokens: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || ",;()/[]".contains(c))
        .map(|w| w.trim_matches(|c: char| ".:'\"".contains(c)))
        .filter(|w| !w.is_empty())
        .collect();
    let mut found: Vec<NamedLicence> = Vec::new();
    let mut push = |l: NamedLicence| {
        if !found.iter().any(|f| f.spdx == l.spdx) {
            found.push(l);
        }
    };
    let mut i = 0;
    while i < tokens.len() {
        let word = tokens[i].trim_end_matches("-licens").trim_end_matches("licens");
        if let Some(id) = crate::model::licence::canonical_osi(word) {
            // `GPL-3.0` (deprecated) reads as the -only / -or-later form.
            match gnu(id) {
                Some((name, version)) if !id.contains("only") && !id.contains("later") => {
                    let plus = later || id.ends_with('+');
                    push(gnu_id(name, version, plus).unwrap_or(NamedLicence { spdx: id, version_only: false }));
                }
                _ => push(NamedLicence { spdx: id, version_only: false }),
            }
            i += 1;
            continue;
        }
        // A name with its version glued (`gpl3`, `gplv3`, `mpl2`) or in the next word.
        let letters: String = word.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        let glued = word[letters.len()..].trim_start_matches(['-', 'v']);
        let (name, version, used) = if !glued.is_empty() && glued.starts_with(|c: char| c.is_ascii_digit()) {
            (letters.trim_end_matches('v').to_string(), glued.to_string(), 1)
        } else if word == letters && i + 1 < tokens.len() {
            let next = tokens[i + 1].trim_start_matches('v').trim_start_matches("ersion").trim();
            (letters, next.to_string(), 2)
        } else {
            i += 1;
            continue;
        };
        let plus = later || version.ends_with('+');
        let version = version.trim_end_matches('+').trim_end_matches("-licens").trim_end_matches("licens");
        let version = if version.chars().all(|c| c.is_ascii_digit()) && !version.is_empty() {
            format!("{version}.0")
        } else {
            version.to_string()
        };
        let candidate = match name.as_str() {
            "gpl" => gnu_id("GPL", &version, plus),
            "lgpl" => gnu_id("LGPL", &version, plus),
            "agpl" => gnu_id("AGPL", &version, plus),
            "" => None,
            _ => crate::model::licence::canonical_osi(&format!("{name}-{version}"))
                .map(|id| NamedLicence { spdx: id, version_only: false }),
        };
        match candidate {
            Some(l) => {
                push(l);
                i += used;
            }
            None => i += 1,
        }
    }
    found
}

/// `GPL-3.0` → (`GPL`, `3.0`) for the GNU licences.
fn gnu(id: &str) -> Option<(&'static str, &str)> {
    let (name, rest) = id.split_once('-')?;
    let name = match name {
        "GPL" => "GPL",
        "LGPL" => "LGPL",
        "AGPL" => "AGPL",
        _ => return None,
    };
    Some((name, rest.trim_end_matches('+').trim_end_matches("-only").trim_end_matches("-or-later")))
}

fn gnu_id(name: &str, version: &str, later: bool) -> Option<NamedLicence> {
    let suffix = if later { "or-later" } else { "only" };
    crate::model::licence::canonical_osi(&format!("{name}-{version}-{suffix}"))
        .map(|spdx| NamedLicence { spdx, version_only: !later })
}

/// The first http(s) URL in a text.
pub fn first_url(text: &str) -> Option<String> {
    let at = ["https://", "http://"].iter().filter_map(|p| text.find(p)).min()?;
    let url: String = text[at..].chars().take_while(|c| !c.is_whitespace() && !"()<>[]\"'|".contains(*c)).collect();
    let url = url.trim_end_matches(['.', ',', ';', ':']).to_string();
    crate::model::value::url_is_http(&url).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_drops_a_bom_and_windows_line_endings() {
        let (text, note) = decode(b"\xEF\xBB\xBF# OS2iot\r\n| R1 |\r\n").unwrap();
        assert_eq!(text, "# OS2iot\n| R1 |\n");
        assert_eq!(note, None);
    }

    #[test]
    fn decode_reads_utf16_and_windows_1252_and_refuses_binary() {
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Værdi\r\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(&utf16).unwrap().0, "Værdi\n");
        let (text, note) = decode(b"V\xe6rdi \x96 l\xf8sning").unwrap();
        assert_eq!(text, "Værdi – løsning");
        assert!(note.is_some());
        assert!(decode(b"abc\0def").is_none());
    }

    #[test]
    fn links_become_text_with_the_url() {
        assert_eq!(
            links_as_text("Se [her](https://os2.eu/x) og [y](https://y.dk \"titel\")"),
            "Se her (https://os2.eu/x) og y (https://y.dk)"
        );
        assert_eq!(links_as_text("[https://os2.eu](https://os2.eu)"), "https://os2.eu");
        assert_eq!(links_as_text("![logo](a.png)"), "logo (a.png)");
        assert_eq!(
            links_as_text("[OS2's [nye] strategi](https://os2.eu/(a))"),
            "OS2's [nye] strategi (https://os2.eu/(a))"
        );
        assert_eq!(links_as_text("[Ikke udfyldt]"), "[Ikke udfyldt]");
        let many = "[".repeat(200_000);
        let started = std::time::Instant::now();
        assert_eq!(links_as_text(&many), many);
        assert!(started.elapsed().as_secs() < 5, "unclosed brackets are not quadratic");
    }

    #[test]
    fn cells_lose_html_and_emphasis_but_keep_underscores_in_words() {
        assert_eq!(cell_text(" <ul><li> [x] </li> "), "- [x]");
        assert_eq!(cell_text("a<br/>b<br>c &amp; d"), "a\nb\nc & d");
        assert_eq!(
            cell_text("_Der er nedsat en koordinationsgruppe (anbefaling)_"),
            "Der er nedsat en koordinationsgruppe (anbefaling)"
        );
        assert_eq!(cell_text("**Fed**, `kode` og snake_case"), "Fed, kode og snake_case");
        let url = "https://os2.eu/documents/dagsorden_og_referat_-_os2_*17*.pdf";
        assert_eq!(cell_text(&format!("_Se_ [referat]({url})")), format!("Se referat ({url})"));
        assert_eq!(cell_text("a \\| b"), "a | b");
        assert_eq!(cell_text("<https://os2.eu>"), "https://os2.eu");
        assert_eq!(cell_text("\tTilslutningsaftalen  (jf. G10)"), "Tilslutningsaftalen (jf. G10)");
    }

    #[test]
    fn recommendations_are_italic_or_say_so() {
        assert!(is_recommendation("_Løsningen har tværkommunal potentiale (anbefaling)_"));
        assert!(is_recommendation("*Uddannelsesmateriale er udarbejdet*"));
        assert!(is_recommendation("Review af kode foretages af tredjepart (anbefaling)"));
        assert!(!is_recommendation("**Bestyrelsen er orienteret**"));
        assert!(!is_recommendation("Kildekoden deles"));
    }

    #[test]
    fn requirement_ids_are_read_loosely() {
        assert_eq!(requirement_id(" R1 "), Some("R1".into()));
        assert_eq!(requirement_id("f10"), Some("F10".into()));
        assert_eq!(requirement_id("**G3**"), Some("G3".into()));
        assert_eq!(requirement_id("R 1."), Some("R1".into()));
        assert_eq!(requirement_id("#"), None);
        assert_eq!(requirement_id("2026-01-26"), None);
        assert_eq!(requirement_id("Løsningen"), None);
    }

    #[test]
    fn checkboxes_in_every_spelling() {
        use SourceAnswer::*;
        for raw in [
            "<ul><li> [x] </li>",
            " <ul><li> [X] </li></ul>",
            "[x]",
            "- [x]",
            "☑︎",
            "☑",
            "✔️",
            "<input type=\"checkbox\" checked>",
        ] {
            assert_eq!(answer(raw), Given(Answer::Ja), "{raw}");
        }
        for raw in ["<ul><li> [ ] </li>", "[]", "[ ]", "☐", "", "   ", "<input type=\"checkbox\" disabled>"] {
            assert_eq!(answer(raw), Blank, "{raw:?}");
        }
    }

    #[test]
    fn markers_and_words_of_the_2025_forms() {
        use SourceAnswer::*;
        assert_eq!(answer(" ✅ "), Given(Answer::Ja));
        assert_eq!(answer("❌"), Given(Answer::Nej));
        assert_eq!(answer("➖"), Given(Answer::IkkeRelevant));
        assert_eq!(answer("❓"), Given(Answer::VedIkke));
        assert_eq!(answer("Ikke relevant"), Given(Answer::IkkeRelevant));
        assert_eq!(answer("Ved ikke"), Given(Answer::VedIkke));
        assert_eq!(answer("nej."), Given(Answer::Nej));
        assert_eq!(answer("✅ Ja"), Given(Answer::Ja));
        assert_eq!(answer("Planlagt"), Word { word: "Planlagt".into(), answer: Answer::Nej, rule: WordRule::NotYet });
        assert_eq!(answer("Måske"), Unknown("Måske".into()));
        assert_eq!(answer("✅ Nej"), Unknown("✅ Nej".into()));
        assert_eq!(answer("✅ ❌"), Unknown("✅ ❌".into()));
        assert_eq!(answer("🟢"), Unknown("🟢".into()));
        assert_eq!(answer(":white_check_mark:"), Given(Answer::Ja));
        assert_eq!(answer(":x:"), Given(Answer::Nej));
        assert_eq!(answer(":heavy_minus_sign:"), Given(Answer::IkkeRelevant));
        assert_eq!(answer(":question:"), Given(Answer::VedIkke));
        assert_eq!(answer("ved_ikke"), Given(Answer::VedIkke));
        assert_eq!(answer("&#x2705;"), Given(Answer::Ja));
    }

    #[test]
    fn placeholders_are_recognised_and_real_text_is_not() {
        for p in [
            "?",
            "Hvor?",
            "Hvordan/hvilke?",
            "[Ikke udfyldt]",
            "[Udfyldes i selvevaluering]",
            "Indsæt link",
            "Kan udfyldes",
            "-",
            "…",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for t in [
            "Ja",
            "MPL 2.0",
            "https://github.com/OS2iot",
            "Hvem drifter? Det gør Aarhus Kommune.",
            "[OS2iot](https://os2iot.os2.eu)",
            "Ikke relevant pt.",
        ] {
            assert!(!is_placeholder(t), "{t}");
        }
    }

    #[test]
    fn entities_decode_and_stray_ampersands_stay() {
        assert_eq!(decode_entities("a &lt;b&gt; &#x27;c&#39; &#124; & d &foo"), "a <b> 'c' | & d &foo");
    }

    #[test]
    fn the_answer_word_table() {
        use SourceAnswer::*;
        for w in ["Planlagt", "I gang", "I gang / afventer", "Afventer", "Delvist", "delvist opfyldt", "Påbegyndt"] {
            assert_eq!(answer(w), Word { word: w.into(), answer: Answer::Nej, rule: WordRule::NotYet }, "{w}");
        }
        assert_eq!(answer("?"), Word { word: "?".into(), answer: Answer::VedIkke, rule: WordRule::Unsure });
        assert_eq!(answer("❓"), Given(Answer::VedIkke), "the form's own marker needs no table");
        // Near misses: other words stay unknown; a marker with a word is not read by the table.
        for w in ["Måske", "I gang med noget andet", "Planlagt?x", "✅ Planlagt"] {
            assert!(matches!(answer(w), Unknown(_)), "{w}: {:?}", answer(w));
        }
    }

    #[test]
    fn html_anchors_keep_their_url() {
        assert_eq!(
            cell_text(
                r#"Se <a href="https://os2.eu/k">her</a> og <a href='https://os2.eu/r' target=_blank>referatet</a>"#
            ),
            "Se her (https://os2.eu/k) og referatet (https://os2.eu/r)"
        );
        assert_eq!(cell_text(r#"<a href="https://os2.eu/k">https://os2.eu/k</a>"#), "https://os2.eu/k");
        assert_eq!(cell_text(r#"<a href="https://os2.eu/k"></a>"#), "https://os2.eu/k");
        assert_eq!(cell_text(r#"<A HREF=https://os2.eu/k>link</A>"#), "link (https://os2.eu/k)");
        assert_eq!(cell_text("<a name=\"x\">anker</a>"), "anker", "an anchor without href is text");
        assert_eq!(cell_text(r#"<a href="https://os2.eu/k">uafsluttet"#), "uafsluttet (https://os2.eu/k)");
    }

    #[test]
    fn the_forms_hints_go_and_real_comments_stay() {
        for hint in [
            "fx link til referat",
            "Link til kommissorium",
            "Hvem? evt. link til beskrivelse af ansvar/opgaver",
            "Hvordan? Kan udfyldes",
            "Indsæt vedtaget licens",
            "Link til aftale",
            "Henvisning til en faggruppe eller et forum",
        ] {
            assert_eq!(without_template_text(hint), (String::new(), Some(hint.to_string())), "{hint}");
        }
        assert_eq!(
            without_template_text("fx link til referat\nhttps://os2.eu/referat.pdf"),
            ("https://os2.eu/referat.pdf".to_string(), Some("fx link til referat".to_string()))
        );
        for real in [
            "Har vi noget?",
            "Link til kommissorium: https://os2.eu/k",
            "Hvem drifter? Aarhus Kommune.",
            "Kommissorium.pdf",
        ] {
            assert_eq!(without_template_text(real), (real.to_string(), None), "{real}");
        }
    }

    #[test]
    fn licences_are_read_as_spdx_ids() {
        let ids = |t: &str| licences_in(t).iter().map(|l| (l.spdx, l.version_only)).collect::<Vec<_>>();
        assert_eq!(ids("MPL 2.0"), [("MPL-2.0", false)]);
        assert_eq!(ids("MPL 2.0 og CC-BY-SA-4.0 vedtaget"), [("MPL-2.0", false)], "CC-BY-SA is not OSI");
        assert_eq!(ids("Mozilla Public License 2.0"), [("MPL-2.0", false)]);
        assert_eq!(ids("mpl-2.0"), [("MPL-2.0", false)]);
        assert_eq!(ids("GPL3 licens"), [("GPL-3.0-only", true)]);
        assert_eq!(ids("GPLv3 eller senere"), [("GPL-3.0-or-later", false)]);
        assert_eq!(ids("GPL-3.0"), [("GPL-3.0-only", true)]);
        assert_eq!(ids("AGPL-3.0-or-later"), [("AGPL-3.0-or-later", false)]);
        assert_eq!(ids("EUPL 1.2"), [("EUPL-1.2", false)]);
        assert_eq!(ids("MIT"), [("MIT", false)]);
        assert_eq!(ids("MIT og Apache 2.0"), [("MIT", false), ("Apache-2.0", false)]);
        assert!(ids("Ja, se LICENSE-filen").is_empty());
        assert!(ids("Kildekoden ligger på github").is_empty());
        assert_eq!(first_url("Se https://github.com/OS2iot/x. Og mere"), Some("https://github.com/OS2iot/x".into()));
        assert_eq!(first_url("ingen"), None);
    }
}
