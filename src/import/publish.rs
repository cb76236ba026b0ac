//! Writes a project's self-assessment as a governance report in OS2's 2025 form, so a
//! product that keeps its answers in Excel can publish them: one section per theme, one
//! row per requirement of the styringsmodel with the marker (✅ met, ❌ not met, ➖ not
//! relevant, ❓ unsure, blank: not evaluated), the documentation (and the explanation,
//! as `Forklaring: …`), the level and the guidance. Cell text is escaped so that
//! `os2gov import` reads back exactly what was written. Pure: returns the Markdown.

use crate::model::choice::Answer;
use crate::model::project::{Input, Project};
use crate::model::rules::Rules;
use crate::model::value::format_date;
use chrono::NaiveDate;

/// How many requirements got each marker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarkerCounts {
    pub ja: usize,
    pub nej: usize,
    pub ikke_relevant: usize,
    pub ved_ikke: usize,
    pub blank: usize,
}

impl MarkerCounts {
    pub fn total(&self) -> usize {
        self.ja + self.nej + self.ikke_relevant + self.ved_ikke + self.blank
    }
}

/// The report and what it leaves out.
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    pub markdown: String,
    pub counts: MarkerCounts,
    /// Krav rows whose ID the styringsmodel does not know (not in the report).
    pub unknown_ids: Vec<String>,
}

/// The 2025 form's marker for an answer.
pub fn marker(answer: Option<Answer>) -> &'static str {
    match answer {
        Some(Answer::Ja) => "✅",
        Some(Answer::Nej) => "❌",
        Some(Answer::IkkeRelevant) => "➖",
        Some(Answer::VedIkke) => "❓",
        None => "",
    }
}

/// Escapes text for a Markdown table cell: pipes, emphasis and link brackets by
/// backslash (not inside URLs, nor underscores inside words), `<`, `>` and `&` as
/// entities, line breaks as `<br/>`. Only a real URL is left as written (see [`url_span`]):
/// text after `www.` or `https://` that is no URL, or the part of one that Markdown could
/// act on (`[`, `]`, `<`, `|` …), is escaped like the rest – `www.![x](…)` stays text, never
/// an image or a link. What is written reads back as is through `os2gov import`.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.trim().lines().enumerate() {
        if i > 0 {
            out.push_str("<br/>");
        }
        let mut rest = line;
        while !rest.is_empty() {
            match url_span(rest) {
                Some((at, end)) => {
                    escape_plain(&rest[..at], &mut out);
                    out.push_str(&rest[at..end]);
                    rest = &rest[end..];
                }
                None => {
                    escape_plain(rest, &mut out);
                    rest = "";
                }
            }
        }
    }
    out
}

/// Characters that end a URL in a report cell: Markdown or HTML could act on them.
const URL_STOP: &str = "()[]<>|\\`\"'{}";

/// The first URL in `s`, as (start, end): `http://`, `https://` or `www.`, then a domain
/// of letters, digits, `-`, `_` and at least one `.`, then anything up to a space or a
/// character in [`URL_STOP`]. `os2gov import` leaves emphasis alone from such a start to a
/// space or `)`, which always covers this span, so the URL reads back as written.
pub fn url_span(s: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    loop {
        let (at, prefix) = ["https://", "http://", "www."]
            .iter()
            .filter_map(|p| s[from..].find(p).map(|i| (from + i, p.len())))
            .min_by_key(|(i, _)| *i)?;
        let after = &s[at + prefix..];
        let domain_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .unwrap_or(after.len());
        let domain = &after[..domain_len];
        let valid = domain.starts_with(|c: char| c.is_ascii_alphanumeric())
            && domain.trim_end_matches('.').contains('.')
            || (prefix != 4 && domain.starts_with(|c: char| c.is_ascii_alphanumeric()) && domain == "localhost");
        if valid {
            let rest = &after[domain_len..];
            let len = rest.find(|c: char| c.is_whitespace() || URL_STOP.contains(c)).unwrap_or(rest.len());
            return Some((at, at + prefix + domain_len + len));
        }
        from = at + prefix;
    }
}

fn escape_plain(s: &str, out: &mut String) {
    let chars: Vec<char> = s.chars().collect();
    for (k, &c) in chars.iter().enumerate() {
        let word = |x: Option<&char>| x.is_some_and(|c| c.is_alphanumeric());
        let inner = k > 0 && word(chars.get(k - 1)) && word(chars.get(k + 1));
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '*' | '`' | '[' | ']' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !inner => out.push_str("\\_"),
            c => out.push(c),
        }
    }
}

/// The form's Produktniveau: `sandkasse` for a level without a number, else its number.
fn level_label(rules: &Rules, requirement: &crate::model::rules::Requirement) -> String {
    let level = rules.level(requirement.level);
    match level.name.split_whitespace().last() {
        Some(last) if last.chars().all(|c| c.is_ascii_digit()) => last.to_string(),
        _ => level.name.to_lowercase(),
    }
}

/// Renders the report for a project read from its projektark.
pub fn render(rules: &Rules, project: &Project, as_of: NaiveDate) -> Published {
    let f = &project.fields;
    let name = f.name.given().or(f.id.given()).cloned().unwrap_or_else(|| "(uden navn)".to_string());
    let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut md = String::new();
    md.push_str(&format!("# Governancerapport for {}\n\n", cell(&one_line(&name))));
    md.push_str("> **📄 Dokumentinformation**<br/>\n");
    if let Some(d) = f.filled_date.given() {
        md.push_str(&format!("> **Dato for udfyldelse:** {}<br/>\n", format_date(*d)));
    }
    if let Some(by) = f.filled_by.given() {
        md.push_str(&format!("> **Udfyldt af:** {}<br/>\n", cell(&one_line(by))));
    }
    if let Some(repo) = f.repository.given() {
        md.push_str(&format!("> **Link til Git organisation:** {}<br/>\n", cell(&one_line(repo))));
    }
    md.push_str(&format!(
        "> **Styringsmodel:** version {}<br/>\n> **Skrevet af:** os2gov {} den {}\n\n",
        cell(&rules.document.version),
        env!("CARGO_PKG_VERSION"),
        format_date(as_of)
    ));
    md.push_str(
        "Markeringer i 🔽-kolonnen: ✅ kriteriet er opfyldt · ❌ kriteriet er ikke opfyldt · ➖ kriteriet er ikke relevant for produktet · ❓ der er tvivl om kriteriet · tom: ikke evalueret.\n",
    );

    let mut counts = MarkerCounts::default();
    for theme in &rules.themes {
        md.push_str(&format!("\n## {}\n\n", theme.to_uppercase()));
        md.push_str("| 🔽 | # | Krav | Beskrivelse / Dokumentation | Produktniveau | Retningslinjer |\n");
        md.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for (index, req) in rules.requirements.iter().enumerate().filter(|(_, r)| &r.theme == theme) {
            let row = project.requirements.iter().find(|r| r.requirement == Some(index));
            let answer = row.and_then(|r| match r.answer {
                Input::Given(a) => Some(a),
                _ => None,
            });
            match answer {
                Some(Answer::Ja) => counts.ja += 1,
                Some(Answer::Nej) => counts.nej += 1,
                Some(Answer::IkkeRelevant) => counts.ikke_relevant += 1,
                Some(Answer::VedIkke) => counts.ved_ikke += 1,
                None => counts.blank += 1,
            }
            let mut doc = row.and_then(|r| r.evidence.clone()).unwrap_or_default();
            if let Some(explanation) = row.and_then(|r| r.explanation.as_deref()).filter(|e| !e.trim().is_empty()) {
                if !doc.is_empty() {
                    doc.push('\n');
                }
                doc.push_str("Forklaring: ");
                doc.push_str(explanation);
            }
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                marker(answer),
                cell(&req.id),
                cell(&req.text),
                cell(&doc),
                cell(&level_label(rules, req)),
                cell(&req.guidance)
            ));
        }
    }
    let unknown_ids = project.requirements.iter().filter(|r| r.requirement.is_none()).map(|r| r.id.clone()).collect();
    Published { markdown: md, counts, unknown_ids }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::clean::cell_text;

    #[test]
    fn cells_escape_what_markdown_would_eat_and_read_back_the_same() {
        for text in [
            "a | b",
            "*vigtigt* og _også_ [ikke et link](x) ~~slet~~ `kode` \\ 1 < 2 & 3 > 2",
            "snake_case og https://os2.eu/dagsorden_og_referat_-_os2.pdf?a=1&b=2",
            "Se [linket](https://os2.eu/a_b?x=1&y=2) | og *fed* _kursiv_",
            "(https://os2.eu/x)_*y*",
            "linje 1\nlinje 2",
            "<br/> som tekst &amp; som tekst",
            "www.![x](https://evil.example/pixel.png)",
            "www.[Klik](https://evil.example/) og https://os2.eu/[Klik](javascript:alert(1))",
            "https://![x](https://evil.example/p.png) <script>alert(1)</script> <img src=x onerror=y>",
            "Se https://os2.eu/a_(b)_c og www.os2.eu/x?y=1&z=2",
            "![billede](https://os2.eu/b.png) [link](javascript:alert(1))",
        ] {
            let escaped = cell(text);
            assert!(!escaped.contains('\n'));
            assert_eq!(cell_text(&escaped), text, "escaped as {escaped}");
        }
    }

    #[test]
    fn markers_follow_the_2025_form() {
        assert_eq!(
            [Some(Answer::Ja), Some(Answer::Nej), Some(Answer::IkkeRelevant), Some(Answer::VedIkke), None].map(marker),
            ["✅", "❌", "➖", "❓", ""]
        );
    }

    #[test]
    fn nothing_after_www_or_https_becomes_markup() {
        for text in [
            "www.![x](https://evil.example/pixel.png)",
            "www.[Klik](https://evil.example/)",
            "https://os2.eu/x[Klik](https://evil.example/)",
            "https://![x](https://evil.example/p.png)",
            "http://www.![x](y)",
            "https://os2.eu/<img src=x onerror=alert(1)>",
        ] {
            let escaped = cell(text);
            let bytes: Vec<char> = escaped.chars().collect();
            for (i, c) in bytes.iter().enumerate() {
                if matches!(c, '[' | ']' | '<' | '>') {
                    assert!(i > 0 && bytes[i - 1] == '\\' && *c != '<' && *c != '>', "{text} → {escaped}");
                }
            }
            assert!(!escaped.contains("!["), "{text} → {escaped}");
            assert_eq!(cell_text(&escaped), text, "reads back: {escaped}");
        }
        // A real URL stays as written, so it is still a link.
        assert_eq!(cell("Se https://os2.eu/dok_1.pdf nu"), "Se https://os2.eu/dok_1.pdf nu");
        assert_eq!(url_span("www.![x](y)"), None);
        assert_eq!(url_span("se www.os2.eu/a[b]"), Some((3, 15)));
    }
}
