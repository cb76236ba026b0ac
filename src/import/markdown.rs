//! Reads a governance report written in Markdown – OS2's old checklist
//! (`GOVERNANCE_REPORT.md`) or the 2025 template and its later versions – into a
//! [`SourceReport`]. Generous in what it accepts, as published reports are hand-edited:
//! Jekyll front matter, HTML comments and code blocks are skipped; sections may come in
//! any order and be headings (`## RELEVANS`) or bold lines (`**RELEVANS**`); tables may
//! have ragged pipes, no outer pipes, extra or missing cells, extra columns in any order,
//! a header glued to its separator and first row, and rows that continue after a stray
//! line. Columns are found by their header (`#`, `Krav`, `Henvisning`, `Beskrivelse /
//! Dokumentation`, `Efterlevet?`, a blank or 🔽 marker column …), or by their content.
//! Whatever is read but not used is named in `notes`.

use super::clean::{self, cell_text};
use crate::import::source::{EXPECTED_DA, EXPECTED_EN, Form, NotImported, SourceReport, SourceRow};
use crate::text::fold;
use crate::text::t;

/// What a table column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Id,
    Text,
    Answer,
    /// A column without a header word (blank, 🔽, ✓): the checklist's marker column.
    Marker,
    Documentation,
    Explanation,
    Level,
    Guidance,
    Theme,
    /// The secretariat's traffic light in an evaluation report (not a self-assessment).
    Assessment,
    Unknown,
}

fn role(header: &str) -> Role {
    let h = cell_text(header);
    if h.trim() == "#" {
        return Role::Id;
    }
    let f = fold(&h);
    let letters: String = f.chars().filter(|c| c.is_alphanumeric()).collect();
    let has = |words: &[&str]| words.iter().any(|w| letters.contains(w));
    if letters.is_empty() {
        Role::Marker
    } else if ["id", "nr", "no", "kravid", "kravnr", "nummer", "kravnummer"].contains(&letters.as_str()) {
        Role::Id
    } else if has(&["efterlev", "opfyldt", "markering"])
        || ["svar", "status", "besvarelse", "answer"].contains(&letters.as_str())
    {
        Role::Answer
    } else if has(&["vurdering"]) {
        Role::Assessment
    } else if has(&["forklaring"]) {
        Role::Explanation
    } else if has(&[
        "dokumentation",
        "henvisning",
        "beskrivelse",
        "evidens",
        "begrundelse",
        "kommentar",
        "bemaerkning",
        "link",
    ]) {
        Role::Documentation
    } else if has(&["krav", "kriteri", "requirement"]) {
        Role::Text
    } else if has(&["niveau", "level"]) {
        Role::Level
    } else if has(&["retningslinje", "vejledning", "guideline"]) {
        Role::Guidance
    } else if has(&["tema", "kategori"]) {
        Role::Theme
    } else {
        Role::Unknown
    }
}

/// Splits a table line into raw cells: `\|` is not a separator; outer pipes are optional.
fn split_cells(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push_str("\\|");
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    let t = line.trim();
    if t.starts_with('|') && !cells.is_empty() {
        cells.remove(0);
    }
    if t.ends_with('|') && !t.ends_with("\\|") && cells.len() > 1 {
        cells.pop();
    }
    cells
}

fn is_separator_cell(c: &str) -> bool {
    let t = c.trim();
    let inner = t.trim_start_matches(':').trim_end_matches(':');
    !inner.is_empty() && inner.chars().all(|c| c == '-')
}

fn is_separator_line(line: &str) -> bool {
    line.contains('-') && line.contains('|') && {
        let cells = split_cells(line);
        cells.iter().all(|c| is_separator_cell(c) || c.trim().is_empty()) && cells.iter().any(|c| is_separator_cell(c))
    }
}

/// A header glued to its separator (and maybe the first row) on one line:
/// `| # | Krav | | --- | --- | | R1 | … |` → (header, first row).
fn glued_header(line: &str) -> Option<(Vec<String>, Vec<String>)> {
    let cells = split_cells(line);
    let start = cells.iter().position(|c| is_separator_cell(c))?;
    let run = cells[start..].iter().take_while(|c| is_separator_cell(c)).count();
    if start == 0 || run < 2 {
        return None;
    }
    let trim = |v: &[String]| -> Vec<String> {
        let v: Vec<String> = v.to_vec();
        let a = v.iter().position(|c| !c.trim().is_empty()).unwrap_or(v.len());
        let b = v.iter().rposition(|c| !c.trim().is_empty()).map_or(a, |b| b + 1);
        v[a..b.max(a)].to_vec()
    };
    Some((trim(&cells[..start]), trim(&cells[start + run..])))
}

/// One Markdown table with where it stood.
struct Table {
    header: Vec<String>,
    /// (1-based line, raw cells)
    rows: Vec<(usize, Vec<String>)>,
    section: Option<String>,
    line: usize,
}

/// A heading's text, or a line that is only bold text (`**RELEVANS**`).
fn heading(line: &str) -> Option<(usize, String)> {
    let t = line.trim();
    let hashes = t.chars().take_while(|c| *c == '#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\t']) {
        let text = cell_text(t[hashes..].trim().trim_end_matches('#'));
        return Some((hashes, text));
    }
    let bold = t
        .strip_prefix("**")
        .and_then(|r| r.strip_suffix("**"))
        .or_else(|| t.strip_prefix("__").and_then(|r| r.strip_suffix("__")));
    match bold {
        Some(inner) if !inner.contains("**") && !inner.contains(':') && !inner.trim().is_empty() => {
            Some((7, cell_text(inner)))
        }
        _ => None,
    }
}

/// A section name without decoration (`### 🌍 RELEVANS` → `RELEVANS`).
fn section_name(text: &str) -> String {
    text.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

/// Blanks lines that hold no content for us (front matter, comments, code), keeping line
/// numbers; returns the front matter's `title`.
fn blank_non_content(lines: &mut [String]) -> Option<String> {
    let mut title = None;
    if lines.first().is_some_and(|l| l.trim() == "---")
        && let Some(end) = lines.iter().skip(1).take(200).position(|l| l.trim() == "---" || l.trim() == "...")
    {
        for line in lines.iter().take(end + 2) {
            if let Some(v) = line.trim().strip_prefix("title:") {
                title = Some(v.trim().trim_matches(['"', '\'']).to_string());
            }
        }
        for line in lines.iter_mut().take(end + 2) {
            line.clear();
        }
    }
    let (mut in_comment, mut fence): (bool, Option<String>) = (false, None);
    for line in lines.iter_mut() {
        if let Some(f) = &fence {
            if line.trim_start().starts_with(f.as_str()) {
                fence = None;
            }
            line.clear();
            continue;
        }
        let t = line.trim_start();
        if !in_comment && (t.starts_with("```") || t.starts_with("~~~")) {
            fence = Some(t[..3].to_string());
            line.clear();
            continue;
        }
        // HTML comments, also over several lines.
        let mut out = String::new();
        let mut rest = line.as_str();
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(i) => {
                        rest = &rest[i + 3..];
                        in_comment = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(i) => {
                        out.push_str(&rest[..i]);
                        rest = &rest[i + 4..];
                        in_comment = true;
                    }
                    None => {
                        out.push_str(rest);
                        break;
                    }
                }
            }
        }
        *line = out;
    }
    title
}

/// Known labels of the document-information block (`**Udfyldt af:** …`).
#[derive(Clone, Copy, PartialEq)]
enum Info {
    Name,
    FilledBy,
    FilledDate,
    Repository,
    Licence,
}

impl Info {
    fn label(self) -> &'static str {
        match self {
            Info::Name => "Produkt",
            Info::FilledBy => "Udfyldt af",
            Info::FilledDate => "Dato for udfyldelse",
            Info::Repository => "Link til Git organisation",
            Info::Licence => "Licens",
        }
    }
}

/// A document-block value the form left as its placeholder (`[Navn]`, `[dd-mm-åååå]`).
fn metadata_placeholder(value: &str) -> bool {
    let f = fold(value);
    let key: String = f.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    const FORM_WORDS: &[&str] = &[
        "navn",
        "dit navn",
        "fulde navn",
        "navn og organisation",
        "navn organisation",
        "dato",
        "dd mm aaaaaaaa",
        "dd mm aaaa",
        "aaaaaaaa mm dd",
        "link",
        "url",
        "produkt",
        "produktnavn",
        "licens",
    ];
    clean::is_placeholder(value)
        || FORM_WORDS.contains(&key.as_str())
        || ["indsaet", "skriv ", "angiv "].iter().any(|p| f.starts_with(p))
}

/// A line of the document block: the field, and its value – or `Err` with the form's
/// placeholder when the field was not filled in. A value in brackets (`Udfyldt af: [Sofie
/// Buhl]`, as the form showed it) is read without them.
fn info_line(line: &str) -> Option<(Info, Result<String, String>)> {
    let t = line.trim().trim_start_matches('>').trim().trim_start_matches(['-', '*']).trim();
    let text = cell_text(t);
    let text = text.lines().next().unwrap_or("").trim().to_string();
    let (label, value) = text.split_once(':')?;
    let label = fold(label);
    let label = label.trim_matches(|c: char| !c.is_alphanumeric());
    let info = match label {
        "produkt" | "produktnavn" | "product" | "product name" | "navn" => Info::Name,
        "udfyldt af" | "filled by" | "udfyldt" => Info::FilledBy,
        "dato for udfyldelse" | "udfyldt dato" | "udfyldelsesdato" | "dato" | "date" | "filled date" => {
            Info::FilledDate
        }
        "link til git organisation"
        | "git organisation"
        | "github organisation"
        | "repository"
        | "link til repository"
        | "github"
        | "kildekode" => Info::Repository,
        "licens" | "licence" | "license" | "licenstype" | "open source licens" => Info::Licence,
        _ => return None,
    };
    // A label only counts when it is short: `Dato: 12-01-2026`, not a sentence with a colon.
    if label.split_whitespace().count() > 5 {
        return None;
    }
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let inner = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .filter(|v| !v.contains('[') && !v.contains(']'))
        .map(str::trim)
        .unwrap_or(value);
    if inner.is_empty() || metadata_placeholder(inner) {
        return Some((info, Err(value.to_string())));
    }
    Some((info, Ok(inner.to_string())))
}

/// The product's name from a title (already cleaned of Markdown): without "Governance
/// Report", "[KLADDE]", a possessive `'s`, and separators.
fn clean_name(title: &str) -> String {
    let mut s = title.to_string();
    while s.starts_with('[') {
        match s.find(']') {
            Some(i) => s = s[i + 1..].trim().to_string(),
            None => break,
        }
    }
    for phrase in [
        "governancerapport for",
        "governance report for",
        "governance-rapport for",
        "governancerapport",
        "governance-rapport",
        "governance report",
        "governance rapport",
        "governance-checkliste",
        "governance checkliste",
        "selvevaluering for",
        "selvevaluering",
        "checkliste",
    ] {
        // ASCII lower-casing keeps byte offsets, so `i` is valid in `s` too.
        while let Some(i) = s.to_ascii_lowercase().find(phrase) {
            s.replace_range(i..i + phrase.len(), " ");
        }
    }
    let mut s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s = s.trim_matches(|c: char| c.is_whitespace() || "-–—:|.,".contains(c)).to_string();
    for suffix in ["'s", "’s", "´s", "`s"] {
        if let Some(stem) = s.strip_suffix(suffix) {
            s = stem.to_string();
        }
    }
    s.trim_end_matches(['\'', '’', '´']).trim().to_string()
}

/// `OS2displays` → `OS2display` when the report calls the product that elsewhere.
fn singular_if_used(name: &str, body: &str) -> String {
    if let Some(stem) = name.strip_suffix('s')
        && stem.len() >= 3
    {
        let used = body.match_indices(stem).any(|(i, _)| {
            let after = body[i + stem.len()..].chars().next();
            after.is_none_or(|c| !c.is_alphanumeric())
        });
        if used {
            return stem.to_string();
        }
    }
    name.to_string()
}

/// True for a heading that is not the product's name.
fn is_generic_heading(text: &str) -> bool {
    let f = fold(text);
    let letters: String = f.chars().filter(|c| c.is_alphanumeric()).collect();
    letters.is_empty()
        || ["guide", "indsaet", "vejledning", "dokumentinformation", "resume", "log", "historik"]
            .iter()
            .any(|w| letters.starts_with(w))
        || ["relevans", "formkrav", "strategisksammenhaeng", "governance", "os2"].contains(&letters.as_str())
}

/// Reads a Markdown report.
pub fn read(text: &str) -> Result<SourceReport, NotImported> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let front_title = blank_non_content(&mut lines);
    let mut report = SourceReport::default();

    // Pass 1: headings, the document-information block and the tables.
    let mut tables: Vec<Table> = Vec::new();
    let mut headings: Vec<(usize, String)> = Vec::new();
    let mut first_plain: Option<String> = None;
    let mut section: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].as_str();
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if let Some((level, text)) = heading(line) {
            if level <= 2 && tables.is_empty() {
                headings.push((level, text.clone()));
            }
            section = Some(section_name(&text));
            i += 1;
            continue;
        }
        if line.contains('|') {
            let next_is_separator = lines.get(i + 1).is_some_and(|n| is_separator_line(n));
            let glued = if next_is_separator { None } else { glued_header(line) };
            if next_is_separator || glued.is_some() {
                let (header, first) = match glued {
                    Some((h, first)) => (h, (!first.is_empty()).then_some(first)),
                    None => (split_cells(line), None),
                };
                let mut table = Table { header, rows: Vec::new(), section: section.clone(), line: i + 1 };
                if let Some(first) = first {
                    table.rows.push((i + 1, first));
                }
                i += if next_is_separator { 2 } else { 1 };
                while i < lines.len() && lines[i].contains('|') && heading(&lines[i]).is_none() {
                    table.rows.push((i + 1, split_cells(&lines[i])));
                    i += 1;
                }
                tables.push(table);
                continue;
            }
            // A row without a header: a table that went on after a stray line.
            let cells = split_cells(line);
            let filled = cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |p| p + 1);
            match tables.last_mut() {
                Some(last) if last.section == section && filled >= 2 && within(filled, last.header.len()) => {
                    let n = i + 1;
                    report.notes.push(t!(
                        "Linje {n}: en tabelrække uden overskrift er læst som en fortsættelse af tabellen ovenfor.",
                        "Line {n}: a table row without a header was read as a continuation of the table above."
                    ));
                    last.rows.push((n, cells));
                }
                _ => {
                    let n = i + 1;
                    report.notes.push(t!(
                        "Linje {n}: en linje med | uden for en tabel er ikke læst.",
                        "Line {n}: a line with | outside a table was not read."
                    ));
                }
            }
            i += 1;
            continue;
        }
        if tables.is_empty() {
            if let Some((info, value)) = info_line(line) {
                let slot = match info {
                    Info::Name => &mut report.product_name,
                    Info::FilledBy => &mut report.filled_by,
                    Info::FilledDate => &mut report.filled_date,
                    Info::Repository => &mut report.repository,
                    Info::Licence => &mut report.licence,
                };
                match value {
                    Ok(value) => {
                        slot.get_or_insert(value);
                    }
                    Err(placeholder) => {
                        let (label, n) = (info.label(), i + 1);
                        report.notes.push(t!(
                            "Linje {n}: '{label}' står som skemaets pladsholder ('{placeholder}') og er ikke overført.",
                            "Line {n}: '{label}' is still the form's placeholder ('{placeholder}') and was not transferred."
                        ));
                    }
                }
            } else if first_plain.is_none()
                && headings.is_empty()
                && !line.trim_start().starts_with(['>', '<', '-', '*', '!'])
            {
                first_plain = Some(cell_text(line));
            }
        }
        i += 1;
    }

    let rows: usize = tables.iter().map(|t| t.rows.len()).sum();
    if rows > crate::import::source::MAX_SOURCE_ROWS {
        return Err(crate::import::source::too_many_rows(rows));
    }

    // Pass 2: the requirement rows of every requirement table.
    let mut checklist = false;
    let mut assessment_tables = 0;
    let mut ignored_columns: Vec<String> = Vec::new();
    for table in &tables {
        let roles: Vec<Role> = table.header.iter().map(|h| role(h)).collect();
        let Some(cols) = columns(table, &roles) else {
            if roles.contains(&Role::Assessment) {
                assessment_tables += 1;
            } else {
                let (n, where_) = (table.line, table.section.clone().unwrap_or_default());
                let heads = table.header.iter().map(|h| cell_text(h)).collect::<Vec<_>>().join(", ");
                report.notes.push(t!(
                    "Tabellen i linje {n} ({where_}: {heads}) er ikke en kravtabel og er ikke importeret.",
                    "The table at line {n} ({where_}: {heads}) is not a requirement table and was not imported."
                ));
            }
            continue;
        };
        for (c, r) in roles.iter().enumerate() {
            let h = cell_text(&table.header[c]);
            // Guidance is the template's own text, except in a table without documentation.
            let ignored = *r == Role::Unknown || (*r == Role::Guidance && cols.documentation.is_empty());
            if ignored && !ignored_columns.contains(&h) {
                ignored_columns.push(h);
            }
        }
        // The 2025 template's own headers win over its users' checkboxes.
        let heads: Vec<String> = table.header.iter().map(|h| fold(&cell_text(h))).collect();
        let has = |w: &str| heads.iter().any(|h| h.contains(w));
        let template_2025 = has("produktniveau") || has("efterlevet") || has("beskrivelse");
        if has("henvisning") && !template_2025 {
            checklist = true;
        }
        for (line, cells) in &table.rows {
            let Some(row) = read_row(table, &cols, *line, cells, &mut report.notes) else {
                continue;
            };
            if !template_2025 && cols.answer.is_some_and(|a| cells.get(a).is_some_and(|c| has_checkbox(c))) {
                checklist = true;
            }
            report.rows.push(row);
        }
    }
    if !ignored_columns.is_empty() {
        let cols = ignored_columns.join(", ");
        report.notes.push(t!("Kolonner, der ikke er importeret: {cols}.", "Columns that were not imported: {cols}."));
    }

    if report.rows.is_empty() {
        return Err(NotImported(if assessment_tables > 0 {
            t!(
                "filen ligner sekretariatets evalueringsrapport (kolonnen Vurdering med trafiklys), ikke en selvevaluering. {EXPECTED_DA}",
                "the file looks like the secretariat's evaluation report (a Vurdering column with traffic lights), not a self-assessment. {EXPECTED_EN}"
            )
        } else {
            t!("filen indeholder ingen kravtabel. {EXPECTED_DA}", "the file holds no requirement table. {EXPECTED_EN}")
        }));
    }
    report.form = Some(if checklist { Form::Checklist } else { Form::Template2025 });

    let name = report
        .product_name
        .clone()
        .or_else(|| headings.iter().map(|(_, h)| clean_name(h)).find(|h| !h.is_empty() && !is_generic_heading(h)))
        .or_else(|| front_title.map(|t| clean_name(&cell_text(&t))).filter(|t| !t.is_empty()))
        .or_else(|| {
            first_plain.filter(|l| l.chars().count() <= 60 && l.split_whitespace().count() <= 4).map(|l| clean_name(&l))
        })
        .filter(|n| !n.is_empty());
    report.product_name = name.map(|n| singular_if_used(&n, text));
    Ok(report)
}

/// Whether a row's cell count fits a header's (allowing a missing or extra trailing cell).
fn within(cells: usize, header: usize) -> bool {
    cells + 1 >= header && cells <= header + 1
}

fn has_checkbox(raw: &str) -> bool {
    let t = raw.replace(' ', "");
    t.contains("[x]") || t.contains("[X]") || t.contains("[]") || t.contains('☑') || t.contains('☐')
}

/// Where the columns a requirement table needs are.
struct Columns {
    id: usize,
    text: Option<usize>,
    answer: Option<usize>,
    documentation: Vec<usize>,
    explanation: Option<usize>,
    theme: Option<usize>,
}

fn columns(table: &Table, roles: &[Role]) -> Option<Columns> {
    let find = |role: Role| roles.iter().position(|r| *r == role);
    let share = |col: usize, test: &dyn Fn(&str) -> bool| {
        let cells: Vec<&String> =
            table.rows.iter().filter_map(|(_, cells)| cells.get(col)).filter(|c| !c.trim().is_empty()).collect();
        !cells.is_empty() && cells.iter().filter(|c| test(c)).count() * 10 >= cells.len() * 6
    };
    let id = find(Role::Id)
        .filter(|c| share(*c, &|s| clean::requirement_id(s).is_some()))
        .or_else(|| (0..roles.len()).find(|c| share(*c, &|s| clean::requirement_id(s).is_some())))?;
    let answer = find(Role::Answer).or_else(|| {
        let is_marker = |s: &str| !matches!(clean::answer(s), crate::import::source::SourceAnswer::Unknown(_));
        (0..roles.len())
            .find(|c| *c != id && matches!(roles[*c], Role::Marker | Role::Unknown) && share(*c, &is_marker))
            .or_else(|| find(Role::Marker))
    });
    // An evaluation report's traffic lights are not answers: such a table is no self-assessment.
    if answer.is_none() && roles.contains(&Role::Assessment) {
        return None;
    }
    let text = find(Role::Text).filter(|c| *c != id);
    let documentation: Vec<usize> = (0..roles.len()).filter(|c| roles[*c] == Role::Documentation).collect();
    (text.is_some() || answer.is_some() || !documentation.is_empty()).then_some(Columns {
        id,
        text,
        answer,
        documentation,
        explanation: find(Role::Explanation),
        theme: find(Role::Theme),
    })
}

fn read_row(
    table: &Table,
    cols: &Columns,
    line: usize,
    raw: &[String],
    notes: &mut Vec<crate::text::Text>,
) -> Option<SourceRow> {
    let width = table.header.len();
    let mut cells: Vec<String> = raw.to_vec();
    // Trailing empty cells beyond the header are ragged pipes; more text than the header has
    // room for is a pipe inside the text: it belongs to the documentation.
    while cells.len() > width && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    if cells.len() > width {
        let extra = cells.len() - width;
        let into = cols.documentation.first().copied().unwrap_or(width - 1);
        let joined = cells[into..=into + extra].join("|");
        cells.splice(into..=into + extra, [joined]);
        notes.push(t!(
            "Linje {line}: rækken har flere celler end overskriften; de overskydende er lagt sammen med dokumentationen.",
            "Line {line}: the row has more cells than the header; the extra ones were joined to the documentation."
        ));
    }
    cells.resize(width, String::new());
    let cell = |c: usize| cells.get(c).map(String::as_str).unwrap_or("");
    let id_raw = cell(cols.id);
    let text_raw = cols.text.map(cell).unwrap_or("");
    if id_raw.trim().is_empty() && text_raw.trim().is_empty() {
        return None;
    }
    let id = clean::requirement_id(id_raw).unwrap_or_else(|| cell_text(id_raw));
    let mut documentation: Vec<String> =
        cols.documentation.iter().map(|c| cell_text(cell(*c))).filter(|d| !d.is_empty()).collect();
    documentation.dedup();
    let (documentation, mut explanation) = split_explanation(&documentation.join("\n"));
    if let Some(c) = cols.explanation {
        let e = cell_text(cell(c));
        if !e.is_empty() {
            explanation = if explanation.is_empty() { e } else { format!("{explanation}\n{e}") };
        }
    }
    let (documentation, placeholder) = clean::without_template_text(&documentation);
    Some(SourceRow {
        id,
        text: cell_text(text_raw),
        theme: cols.theme.map(|c| cell_text(cell(c))).filter(|t| !t.is_empty()).or_else(|| table.section.clone()),
        recommendation: clean::is_recommendation(text_raw),
        answer: cols.answer.map(|c| clean::answer(cell(c))).unwrap_or(crate::import::source::SourceAnswer::Blank),
        documentation,
        explanation,
        placeholder,
        line,
    })
}

/// Splits off a `Forklaring:` part (as `os2gov report` writes it) from documentation.
pub fn split_explanation(text: &str) -> (String, String) {
    let lines: Vec<&str> = text.lines().collect();
    match lines.iter().position(|l| fold(l).starts_with("forklaring:")) {
        Some(i) => {
            let first = lines[i].split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
            let explanation: Vec<&str> =
                std::iter::once(first).chain(lines[i + 1..].iter().copied()).filter(|l| !l.is_empty()).collect();
            (lines[..i].join("\n"), explanation.join("\n"))
        }
        None => (text.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::source::SourceAnswer::{Blank, Given};
    use crate::model::choice::Answer;

    fn ids(r: &SourceReport) -> Vec<&str> {
        r.rows.iter().map(|r| r.id.as_str()).collect()
    }

    /// A checklist in the style of the early reports: bold sections, HTML checkboxes,
    /// italic recommendations, links, ragged pipes, no blank line before a table.
    const CHECKLIST: &str = "# OS2demo's Governance Report \n\n**RELEVANS**\n\n|     |  #  | Krav | Henvisning | Niveau | \n| --- | --- | --- | --- | --- |\n|  <ul><li> [x] </li> | R1 | Løsningen skaber lokal værdi | Se [gevinstkort](https://os2.eu/produkt/demo) | 0 |\n| <ul><li> [ ] </li> |  R4 |_Løsningen har tværkommunal potentiale (anbefaling)_ | Hvordan?| 2 | \n\n<br>\n\n**GOVERNANCE**\n|     |  #  | Krav | Henvisning | Niveau | \n| --- | --- | ---  | -----------| ------ |\n| <ul><li> [X] </li> | G3 | Der er udpeget en projektleder/tovholder | Jonas Iversen, OS2 | 1 |\n";

    #[test]
    fn the_old_checklist_with_html_checkboxes_and_bold_sections() {
        let r = read(CHECKLIST).unwrap();
        assert_eq!(r.form, Some(Form::Checklist));
        assert_eq!(r.product_name.as_deref(), Some("OS2demo"));
        assert_eq!(ids(&r), ["R1", "R4", "G3"]);
        let r1 = &r.rows[0];
        assert_eq!(
            (r1.answer.clone(), r1.documentation.as_str()),
            (Given(Answer::Ja), "Se gevinstkort (https://os2.eu/produkt/demo)")
        );
        assert_eq!(r1.theme.as_deref(), Some("RELEVANS"));
        let r4 = &r.rows[1];
        assert_eq!(r4.answer, Blank, "an unchecked box is not claimed, never Nej");
        assert!(r4.recommendation);
        assert_eq!(r4.text, "Løsningen har tværkommunal potentiale (anbefaling)");
        assert_eq!((r4.documentation.as_str(), r4.placeholder.as_deref()), ("", Some("Hvordan?")));
        assert_eq!((r.rows[2].answer.clone(), r.rows[2].theme.as_deref()), (Given(Answer::Ja), Some("GOVERNANCE")));
    }

    #[test]
    fn crlf_bom_and_unicode_ballot_boxes_read_like_the_rest() {
        let text = "# OS2displays' Governance Report\r\n\r\nOS2display er et niveau x produkt.\r\n\r\n## RELEVANS\r\n\r\n|    | #  | Krav | Henvisning | Niveau |\r\n|:--:|:--:|:-----|:-----------|:------:|\r\n| ☑︎ | R1 | Løsningen skaber lokal værdi | ? |   0    |\r\n| ☐  | F13 | Der er udarbejdet præsentationsmateriale | Hvor? | 2 |\r\n";
        let (decoded, _) = clean::decode(&[b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()).unwrap();
        let r = read(&decoded).unwrap();
        assert_eq!(r.product_name.as_deref(), Some("OS2display"), "the possessive and the plural s go");
        assert_eq!(ids(&r), ["R1", "F13"]);
        assert_eq!(r.rows[0].answer, Given(Answer::Ja));
        assert_eq!(r.rows[1].answer, Blank);
        assert_eq!(r.rows[0].placeholder.as_deref(), Some("?"));
    }

    #[test]
    fn the_2025_template_with_markers_in_any_column_order() {
        let text = "# GUIDE til Governance Report\n\n> ✅ - Kriteriet er opfyldt\n\n# OS2demo\n\n## GOVERNANCE\n\n| 🔽 | #   | Krav | Beskrivelse / Dokumentation | Produktniveau | Retningslinjer |\n| -- | --- | ---- | --------------------------- | ------------- | -------------- |\n| ❌  | G1  | Oprettet i OS2 portefølje | Ikke registreret endnu. | 1 | Koordineres |\n|  ✅  | G3 | Projektleder udpeget | Christian | 1 | x |\n| ➖ | G7 | Koordinationsgruppe | | 2 | |\n| ❓ | G8 | Projektmodel | | 2 | |\n|    | G9 | Ekstern code review | | 2 | |\n\n## RELEVANS\n\n| # | Krav | Beskrivelse / Dokumentation | 🔽 |\n|---|---|---|---|\n| R1 | Løsningen skaber lokal værdi | Ja, lokalt | ✅ |\n";
        let r = read(text).unwrap();
        assert_eq!(r.form, Some(Form::Template2025));
        assert_eq!(r.product_name.as_deref(), Some("OS2demo"));
        let answers: Vec<_> = r.rows.iter().map(|r| (r.id.as_str(), r.answer.clone())).collect();
        assert_eq!(
            answers,
            [
                ("G1", Given(Answer::Nej)),
                ("G3", Given(Answer::Ja)),
                ("G7", Given(Answer::IkkeRelevant)),
                ("G8", Given(Answer::VedIkke)),
                ("G9", Blank),
                ("R1", Given(Answer::Ja))
            ]
        );
        assert_eq!(r.rows[5].documentation, "Ja, lokalt");
    }

    #[test]
    fn the_efterlevet_form_with_front_matter_and_a_document_block() {
        let text = "---\ntitle: OS2demo governancerapport\nlayout: default\n---\n\n# [KLADDE] Governancerapport for OS2Demo\n\n> **📄 Dokumentinformation**<br/>\n> **Dato for udfyldelse:** 02-07-2026<br/>\n> **Udfyldt af:** Sofie Buhl<br/>\n> **Link til Git organisation:** https://github.com/os2demo<br/>\n\n## FORMKRAV\n\n| # | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation | Ansvarlig |\n| --- | --- | --- | --- | --- | --- | --- |\n| F3 | Udbudsregler | sandkasse | Bekræft | Planlagt | Der skal udarbejdes et notat. | Ole |\n | F5 | Formål | sandkasse | Henvis | Ja | https://a.dk<br/><br/>eller her<br/>https://b.dk |\n| F13 | Materiale | 2 | Link | Nej | [Ikke udfyldt] |\n";
        let r = read(text).unwrap();
        assert_eq!(r.form, Some(Form::Template2025));
        assert_eq!(r.product_name.as_deref(), Some("OS2Demo"));
        assert_eq!(r.filled_date.as_deref(), Some("02-07-2026"));
        assert_eq!(r.filled_by.as_deref(), Some("Sofie Buhl"));
        assert_eq!(r.repository.as_deref(), Some("https://github.com/os2demo"));
        assert!(
            matches!(&r.rows[0].answer, crate::import::source::SourceAnswer::Word { word, .. } if word == "Planlagt")
        );
        assert_eq!(r.rows[1].documentation, "https://a.dk\neller her\nhttps://b.dk");
        assert_eq!((r.rows[2].documentation.as_str(), r.rows[2].placeholder.as_deref()), ("", Some("[Ikke udfyldt]")));
        assert!(r.notes.iter().any(|n| n.da.contains("Ansvarlig")), "the extra column is named: {:?}", r.notes);
    }

    #[test]
    fn checkboxes_in_the_2025_template_keep_it_the_2025_form() {
        let text = "# OS2demo\n\n## GOVERNANCE\n\n| 🔽 | # | Krav | Beskrivelse / Dokumentation | Produktniveau |\n|---|---|---|---|---|\n| [x] | G13 | Finansieringsaftale | Aftalen | 3 |\n";
        let r = read(text).unwrap();
        assert_eq!((r.form, r.rows[0].answer.clone()), (Some(Form::Template2025), Given(Answer::Ja)));
    }

    #[test]
    fn a_header_glued_to_its_separator_and_first_row() {
        let text = "## RELEVANS\n\n| # | Krav | Produktniveau | Dokumentation | | --- | --- | --- | --- | | R1 | Løsningen skaber lokal værdi | sandkasse | Det gør den |\n| R2 | Accepteret | 2 | Ja |\n";
        let r = read(text).unwrap();
        assert_eq!(ids(&r), ["R1", "R2"]);
        assert_eq!(r.rows[0].documentation, "Det gør den");
    }

    #[test]
    fn rows_after_a_stray_line_continue_the_table_and_extra_pipes_join_the_documentation() {
        let text = "**FORMKRAV**\n\n|     |  #  | Krav | Henvisning | Niveau |\n| --- | --- | --- | --- | --- |\n| [x] | F1 | Kildekoden deles | https://github.com/x | 0 |\n  \n  ------ nået her til.\n\n| [x] | F2 | Open Soruce licenskriterier overholdes | MPL | CC-BY | 0 |\n| [x] | F3 | Udbudsregler | ja | 0 | | |\n";
        let r = read(text).unwrap();
        assert_eq!(ids(&r), ["F1", "F2", "F3"]);
        assert_eq!(r.rows[1].documentation, "MPL | CC-BY");
        assert_eq!(r.rows[2].documentation, "ja");
        assert!(r.notes.iter().any(|n| n.en.contains("continuation")));
    }

    #[test]
    fn sections_in_another_order_and_a_log_table_that_is_not_requirements() {
        let text = "# OS2loop - Governancerapport\n\n## GOVERNANCE\n\n| | # | Krav | Henvisning | Niveau |\n|-|-|-|-|-|\n| [] | G4 | Bestyrelsen er orienteret | Afventer | 1 |\n\n## RELEVANS\n\n| | # | Krav | Henvisning | Niveau |\n|-|-|-|-|-|\n| [x]  | R1 | Løsingen skaber lokal værdi | Se os2.eu | 0 |\n\n## LOG\n\n| Dato | Handling | Udført af |\n| --- | --- |--- |\n| 2021-12-07 | Rapport oprettet | Martin |\n";
        let r = read(text).unwrap();
        assert_eq!(r.product_name.as_deref(), Some("OS2loop"));
        assert_eq!(ids(&r), ["G4", "R1"]);
        assert_eq!(r.rows[0].answer, Blank);
        assert!(r.notes.iter().any(|n| n.da.contains("ikke en kravtabel")), "{:?}", r.notes);
    }

    #[test]
    fn a_name_on_the_first_line_when_there_is_no_heading() {
        let text = "OS2rollekatalog\n\n// Dette er OS2's governance checkliste.\n\n**RELEVANS**\n\n| | # | Krav | Henvisning | Niveau |\n|-|-|-|-|-|\n| <ul><li> [x] </li> | R1 | Løsningen skaber lokal værdi | x | 0 |\n";
        assert_eq!(read(text).unwrap().product_name.as_deref(), Some("OS2rollekatalog"));
    }

    #[test]
    fn comments_and_code_blocks_are_not_read() {
        let text = "# OS2demo\n<!-- | | R9 | skjult | x | 0 |\n-->\n```\n| a | b |\n|---|---|\n| R8 | kode |\n```\n## RELEVANS\n| | # | Krav | Henvisning | Niveau |\n|-|-|-|-|-|\n| [x] | R1 | Lokal værdi | x | 0 |\n";
        assert_eq!(ids(&read(text).unwrap()), ["R1"]);
    }

    #[test]
    fn files_that_are_no_report_say_what_was_expected() {
        let e = read("# Min README\n\nIntet at se her.\n").unwrap_err();
        assert!(e.0.da.contains("ingen kravtabel") && e.0.da.contains("selvevalueringsformularens JSON"), "{:?}", e.0);
        let assessment = "# Evaluering af OS2demo\n\n| # | Niveau | Krav | Vurderingskriterie | Vurdering | Vurderingsgrundlag |\n|---|---|---|---|---|---|\n| R1 | Sandkasse | Lokal værdi | Standard | 🟢 | Fint |\n";
        let e = read(assessment).unwrap_err();
        assert!(e.0.en.contains("evaluation report"), "{:?}", e.0);
    }

    #[test]
    fn an_explanation_written_by_os2gov_report_is_split_off() {
        assert_eq!(
            split_explanation("https://x.dk\nForklaring: Vi gør det senere.\nI 2027."),
            ("https://x.dk".into(), "Vi gør det senere.\nI 2027.".into())
        );
        assert_eq!(split_explanation("Intet"), ("Intet".into(), String::new()));
    }

    #[test]
    fn metadata_in_brackets_is_read_and_the_forms_placeholders_are_named() {
        let text = "# OS2demo\n\n> **Udfyldt af:** [Sofie Buhl]<br/>\n> **Dato for udfyldelse:** [02-07-2026]<br/>\n> **Licens:** MPL 2.0<br/>\n\n## GOVERNANCE\n\n| 🔽 | # | Krav | Beskrivelse / Dokumentation |\n|---|---|---|---|\n| ✅ | G6 | Der er nedsat en styregruppe | x |\n";
        let r = read(text).unwrap();
        assert_eq!(
            (r.filled_by.as_deref(), r.filled_date.as_deref(), r.licence.as_deref()),
            (Some("Sofie Buhl"), Some("02-07-2026"), Some("MPL 2.0"))
        );
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        let blank = text.replace("[Sofie Buhl]", "[Navn]").replace("[02-07-2026]", "[dd-mm-åååå]");
        let r = read(&blank).unwrap();
        assert_eq!((r.filled_by.as_deref(), r.filled_date.as_deref()), (None, None));
        assert_eq!(r.notes.len(), 2, "{:?}", r.notes);
        assert!(r.notes[0].da.contains("'Udfyldt af'") && r.notes[0].da.contains("[Navn]"), "{:?}", r.notes);
    }
}
