//! Turning what people typed into published reports into plain values: text decoding
//! (UTF-8 with or without BOM, UTF-16, Windows-1252), cell text without HTML and Markdown
//! (links kept as `text (url)`), the answer a marker or word stands for, requirement IDs,
//! and placeholders left from a template. Pure functions; no knowledge of the catalogue.

use crate::import::source::SourceAnswer;
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

/// HTML in a cell: line breaks and list items become lines, every other tag goes.
fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let is_tag = after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match (is_tag, after.find('>')) {
            (true, Some(j)) => {
                let tag = after[..j].trim_start_matches('/').to_ascii_lowercase();
                let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
                // An autolink `<https://…>` is a link, not a tag.
                if name == "http" || name == "https" || name == "mailto" {
                    out.push_str(&after[..j]);
                } else {
                    match name.as_str() {
                        "br" | "p" | "div" | "tr" => out.push('\n'),
                        "li" if !after.starts_with('/') => out.push_str("\n- "),
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
                return out;
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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
    let s = protect(raw);
    let s = decode_entities(&strip_html(&s));
    let s = unprotect(&strip_emphasis(&links_as_text(&s)));
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

/// True for documentation that only holds a template's placeholder: nothing but
/// punctuation, a bracketed note without a link (`[Ikke udfyldt]`, `[Udfyldes i
/// selvevaluering]`), a short question (`Hvor?`, `Hvordan/hvilke?`), or an instruction to
/// fill in (`Indsæt link`, `Kan udfyldes`).
pub fn is_placeholder(text: &str) -> bool {
    let t = text.trim();
    if t.is_empty() {
        return false;
    }
    if !t.chars().any(char::is_alphanumeric) {
        return true;
    }
    if t.starts_with('[') && t.ends_with(']') && !t.contains("](") && !t.contains("http") {
        return true;
    }
    let words = t.split_whitespace().count();
    if t.ends_with('?') && words <= 3 && !t.contains("http") {
        return true;
    }
    let f = fold(t);
    ["indsaet ", "udfyldes", "kan udfyldes", "udfyld "].iter().any(|p| f.starts_with(p)) && words <= 5
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
        assert_eq!(answer("Planlagt"), Unknown("Planlagt".into()));
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
}
