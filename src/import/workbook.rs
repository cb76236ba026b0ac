//! From a source report and its mapping to what the new projektark holds ([`plan`],
//! pure), and from that to the workbook ([`build`]): the projektark exactly as
//! `os2gov template` writes it (through [`crate::render::projektark::build_projektark`]), plus a
//! note on the Projekt sheet saying where the answers came from, and a sheet **Import**
//! listing what was not transferred and why, and how every transferred row was placed.
//! The loader never reads the Import sheet.

use super::clean;
use super::mapping::{self, How, Mapping};
use crate::import::source::WordRule;
use crate::import::source::{Form, SourceAnswer, SourceReport};
use crate::model::cell::Value;
use crate::model::choice::{CrossCheck, ReqKind};
use crate::model::filled::{Filled, KravAnswer};
use crate::model::layout::{self, FieldKey};
use crate::model::rules::Rules;
use crate::model::value::{format_date, parse_date_text, url_is_http};
use crate::render::projektark::build_projektark;
use crate::text::t;
use crate::text::{Lang, Text};
use crate::xlsx;
use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Note, Workbook, XlsxError};

/// The name of the sheet that reports the import.
pub const IMPORT_SHEET: &str = "Import";

/// A source row that did not reach a requirement (or whose answer did not).
#[derive(Clone, Debug, PartialEq)]
pub struct NotTransferred {
    pub source_id: String,
    pub source_text: String,
    pub answer: String,
    pub documentation: String,
    pub why: Text,
}

/// A source row placed on a requirement, with the rule that placed it, what its answer
/// became, and anything worth checking.
#[derive(Clone, Debug, PartialEq)]
pub struct Transferred {
    pub source_id: String,
    pub source_text: String,
    /// The answer as the source wrote it.
    pub answer: String,
    /// What Efterlevet became (blank when the answer could not be read).
    pub efterlevet: String,
    pub requirement: String,
    /// The mapping rule that decided the requirement.
    pub how: Text,
    pub remarks: Vec<Text>,
}

/// The counts of the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Answers that reached a requirement.
    pub answered: usize,
    /// Of those, answers read by the answer-word table (`Planlagt` → Nej).
    pub converted: usize,
    /// Source rows not placed, and placed rows whose answer is none of the four.
    pub not_transferred: usize,
    /// Requirements of the catalogue left without an answer.
    pub blank: usize,
}

/// Everything the new projektark and the command's output say about one import.
#[derive(Clone, Debug)]
pub struct Plan {
    pub project_id: String,
    pub name: String,
    pub form: Form,
    pub source_file: String,
    pub as_of: NaiveDate,
    pub filled: Filled,
    pub not_transferred: Vec<NotTransferred>,
    pub transferred: Vec<Transferred>,
    pub notes: Vec<Text>,
    pub counts: Counts,
}

/// A Projekt-ID from a product name: letters, digits, `-` and `_`; spaces become `-`.
pub fn derive_id(name: &str) -> String {
    let mut id = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() || c == '_' || c == '-' {
            id.push(c);
        } else if (c.is_whitespace() || ".,/:;+&".contains(c)) && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id: String = id.trim_matches('-').chars().take(64).collect();
    let id = id.trim_end_matches('-').to_string();
    if crate::model::value::project_id_is_valid(&id) { id } else { "import".to_string() }
}

/// A product name from a file name: `OS2iot_GOVERNANCE_REPORT.md` → `OS2iot`.
pub fn name_from_file(stem: &str) -> String {
    let mut s = stem.to_string();
    for phrase in ["governance_report", "governance-report", "governancerapport", "governance report", "selvevaluering"]
    {
        if let Some(i) = s.to_ascii_lowercase().find(phrase) {
            s.replace_range(i..i + phrase.len(), " ");
        }
    }
    s.trim_matches(|c: char| c.is_whitespace() || "-_.".contains(c)).to_string()
}

/// The rule that placed a row, in words, naming requirements by ID.
fn how_text(rules: &Rules, p: &mapping::Placed, source_id: &str, no_text: bool) -> Text {
    let pc = (p.score * 100.0).round() as u32;
    let (with_da, with_en) = if p.official { (" med OS2's ordlyd", " to OS2's wording") } else { ("", "") };
    let id = |r: usize| rules.requirements[r].id.clone();
    match p.how {
        How::IdAndText => t!("ID og tekst ({pc} % lighed{with_da})", "ID and text ({pc} % alike{with_en})"),
        How::Id { rival: None } if no_text => t!(
            "ID (rækken har ingen kravtekst at bekræfte det med) – kontrollér",
            "ID (the row has no requirement text to confirm it) – check"
        ),
        How::Id { rival: None } => t!(
            "ID; teksten er formuleret anderledes ({pc} % lighed) – kontrollér",
            "ID; the text is worded differently ({pc} % alike) – check"
        ),
        How::Id { rival: Some((r, s)) } => {
            let (rid, ps) = (id(r), (s * 100.0).round() as u32);
            t!(
                "ID; teksten ligner {rid} lidt mere ({ps} % mod {pc} %), men ikke klart nok til at gå imod ID'et – kontrollér",
                "ID; the text is a little more like {rid} ({ps} % against {pc} %), but not clearly enough to overrule the ID – check"
            )
        }
        How::TextOverId { id_requirement, id_score } => {
            let (rid, ps) = (id(id_requirement), (id_score * 100.0).round() as u32);
            t!(
                "tekst ({pc} % lighed{with_da}) frem for ID: kildens {source_id} er i styringsmodellen {rid}, som teksten passer klart dårligere til ({ps} %)",
                "text ({pc} % alike{with_en}) over the ID: the source's {source_id} is {rid} in the styringsmodel, which the text fits clearly worse ({ps} %)"
            )
        }
        How::Text if source_id.is_empty() => {
            t!(
                "tekst ({pc} % lighed{with_da}); kilden har intet ID",
                "text ({pc} % alike{with_en}); the source has no ID"
            )
        }
        How::Text => t!(
            "tekst ({pc} % lighed{with_da}); kildens ID {source_id} findes ikke i styringsmodellen",
            "text ({pc} % alike{with_en}); the source's ID {source_id} is not in the styringsmodel"
        ),
    }
}

/// The Licens field from what the source says: its document block, or the documentation
/// of the row placed on the requirement whose Krydstjek is `licens`.
fn licence_field(rules: &Rules, source: &SourceReport, mapping: &Mapping, notes: &mut Vec<Text>) -> Option<String> {
    let (text, place_da, place_en) = match &source.licence {
        Some(l) => (l.clone(), "dokumentblokken".to_string(), "the document block".to_string()),
        None => {
            let (req, row) = requirement_row(rules, source, mapping, CrossCheck::Licens)?;
            let doc = [row.documentation.as_str(), row.explanation.as_str()].join(" ");
            (doc, format!("dokumentationen til {req}"), format!("the documentation of {req}"))
        }
    };
    if text.trim().is_empty() {
        return None;
    }
    let found = clean::licences_in(&text);
    let said = crate::text::clip(text.trim(), 80);
    match found.as_slice() {
        [one] => {
            let spdx = one.spdx;
            notes.push(if one.version_only {
                t!(
                    "Licens: '{said}' ({place_da}) er overført som {spdx}: kilden nævner kun versionen, ikke 'or later', og SPDX' gamle id for versionen alene betyder -only. Ret til -or-later, hvis koden giver senere versioner.",
                    "Licence: '{said}' ({place_en}) was transferred as {spdx}: the source names the version only, not 'or later', and SPDX's old id for the version alone means -only. Change it to -or-later if the code grants later versions."
                )
            } else {
                t!(
                    "Licens: '{said}' ({place_da}) er overført som {spdx}.",
                    "Licence: '{said}' ({place_en}) was transferred as {spdx}."
                )
            });
            Some(spdx.to_string())
        }
        [] => {
            notes.push(t!(
                "Licens er ikke overført: '{said}' ({place_da}) nævner ingen OSI-godkendt licens, der kan skrives som SPDX-id.",
                "Licence was not transferred: '{said}' ({place_en}) names no OSI-approved licence that can be written as an SPDX id."
            ));
            None
        }
        many => {
            let ids = many.iter().map(|l| l.spdx).collect::<Vec<_>>().join(", ");
            notes.push(t!(
                "Licens er ikke overført: '{said}' ({place_da}) nævner flere licenser ({ids}); skriv den gældende på fanen Projekt.",
                "Licence was not transferred: '{said}' ({place_en}) names several licences ({ids}); write the one that applies on the Projekt sheet."
            ));
            None
        }
    }
}

/// The requirement (by ID) with a given cross-check, and the source row placed on it.
fn requirement_row<'a>(
    rules: &Rules,
    source: &'a SourceReport,
    mapping: &Mapping,
    check: CrossCheck,
) -> Option<(String, &'a crate::import::source::SourceRow)> {
    let index = rules.requirements.iter().position(|r| r.cross_check == Some(check))?;
    let placed = mapping.row_for(index)?;
    Some((rules.requirements[index].id.clone(), &source.rows[placed.row]))
}

/// Works out the new projektark for a source: fields, answers and the import log.
pub fn plan(
    rules: &Rules,
    source: &SourceReport,
    mapping: &Mapping,
    source_file: &str,
    file_stem: &str,
    id_override: Option<&str>,
    as_of: NaiveDate,
) -> Plan {
    let form = source.form.unwrap_or(Form::Template2025);
    let mut notes = source.notes.clone();
    let name = source.product_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| {
        let from_file = name_from_file(file_stem);
        notes.push(t!(
            "Kilden nævner ikke produktets navn; Navn er taget fra filnavnet.",
            "The source does not name the product; Navn was taken from the file name."
        ));
        if from_file.is_empty() { file_stem.to_string() } else { from_file }
    });
    let project_id = id_override.map(str::to_string).unwrap_or_else(|| derive_id(&name));

    let mut filled = Filled::default();
    let mut set = |key: FieldKey, v: Value| filled.fields.push((key, v));
    set(FieldKey::Id, Value::from(project_id.as_str()));
    set(FieldKey::Name, Value::from(name.as_str()));
    if let Some(by) = &source.filled_by {
        set(FieldKey::FilledBy, Value::from(by.as_str()));
    }
    if let Some(date) = &source.filled_date {
        match parse_date_text(date) {
            Some(d) => set(FieldKey::FilledDate, Value::Date(d)),
            None => notes.push(t!(
                "Udfyldt dato '{date}' kunne ikke læses som en dato og er ikke overført; skriv den på fanen Projekt.",
                "Udfyldt dato '{date}' could not be read as a date and was not transferred; write it on the Projekt sheet."
            )),
        }
    }
    let repository = source.repository.clone().map(|r| (r, None)).or_else(|| {
        let (req, row) = requirement_row(rules, source, mapping, CrossCheck::Repository)?;
        clean::first_url(&row.documentation).map(|url| (url, Some(req)))
    });
    if let Some((repo, from)) = &repository {
        if url_is_http(repo) {
            set(FieldKey::Repository, Value::from(repo.as_str()));
            if let Some(req) = from {
                notes.push(t!(
                    "Repository er taget fra dokumentationen til {req}: {repo}.",
                    "Repository was taken from the documentation of {req}: {repo}."
                ));
            }
        } else {
            notes.push(t!(
                "Kildens link til koden ('{repo}') er ikke en http(s)-adresse og er ikke overført.",
                "The source's link to the code ('{repo}') is not an http(s) address and was not transferred."
            ));
        }
    }
    if let Some(licence) = licence_field(rules, source, mapping, &mut notes) {
        set(FieldKey::Licence, Value::from(licence.as_str()));
    }

    let mut not_transferred: Vec<NotTransferred> = Vec::new();
    let mut transferred: Vec<Transferred> = Vec::new();
    let mut counts = Counts::default();
    for p in &mapping.placed {
        let row = &source.rows[p.row];
        let req = &rules.requirements[p.requirement];
        let mut remarks = Vec::new();
        let mut documentation = row.documentation.clone();
        let mut explanation = row.explanation.clone();
        let efterlevet = match &row.answer {
            SourceAnswer::Given(a) => {
                counts.answered += 1;
                Some(*a)
            }
            SourceAnswer::Word { word, answer, rule } => {
                counts.answered += 1;
                counts.converted += 1;
                let a = answer.da();
                match rule {
                    WordRule::NotYet => {
                        // The word and what the source wrote become the explanation of a Nej.
                        let parts = [documentation.as_str(), explanation.as_str()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join("\n");
                        explanation = if parts.is_empty() { word.clone() } else { format!("{word}: {parts}") };
                        documentation.clear();
                        remarks.push(t!(
                            "Svaret '{word}' er læst som {a} efter svarordstabellen (planlagt, i gang, afventer, delvist → Nej); ordet og kildens dokumentation står i Forklaring, så sekretariatet kan vurdere afvigelsen.",
                            "The answer '{word}' was read as {a} by the answer-word table (planned, under way, awaiting, partly → Nej); the word and the source's documentation are in Forklaring, so the secretariat can assess the deviation."
                        ));
                    }
                    WordRule::Unsure => remarks.push(t!(
                        "Svaret '{word}' er læst som {a} efter svarordstabellen (et spørgsmålstegn → Ved ikke).",
                        "The answer '{word}' was read as {a} by the answer-word table (a question mark → Ved ikke)."
                    )),
                }
                Some(*answer)
            }
            SourceAnswer::Blank => None,
            SourceAnswer::Unknown(s) => {
                counts.not_transferred += 1;
                let rid = &req.id;
                not_transferred.push(NotTransferred {
                    source_id: row.id.clone(),
                    source_text: row.text.clone(),
                    answer: s.clone(),
                    documentation: row.documentation.clone(),
                    why: t!(
                        "Svaret '{s}' er ikke et af Ja, Nej, Ikke relevant og Ved ikke, og heller ikke et ord i svarordstabellen. Dokumentationen er overført til {rid}; Efterlevet er tom og skal udfyldes.",
                        "The answer '{s}' is none of Ja, Nej, Ikke relevant and Ved ikke, nor a word of the answer-word table. The documentation was transferred to {rid}; Efterlevet is blank and must be filled in."
                    ),
                });
                None
            }
        };
        if let Some(ph) = &row.placeholder {
            remarks.push(t!(
                "Skemaets egen tekst '{ph}' er ikke overført som dokumentation.",
                "The form's own text '{ph}' was not transferred as documentation."
            ));
        }
        if !documentation.is_empty() && !crate::check::assess::is_evidence(&documentation) {
            let doc = crate::text::clip(&documentation, 60);
            remarks.push(t!(
                "Dokumentationen '{doc}' er hverken et link, en henvisning eller en beskrivelse; ved Ja melder check KRAV-NO-EVIDENCE.",
                "The documentation '{doc}' is neither a link, a reference nor a description; with Ja, check reports KRAV-NO-EVIDENCE."
            ));
        }
        if row.recommendation && req.kind == ReqKind::Skal {
            remarks.push(t!(
                "Kilden kalder kravet en anbefaling; i styringsmodellen er det et skal-krav.",
                "The source calls this a recommendation; in the styringsmodel it is a must."
            ));
        }
        filled.answers.push(KravAnswer {
            id: req.id.clone(),
            efterlevet: efterlevet.map_or(Value::Blank, |a| Value::from(a.da())),
            dokumentation: Value::from(documentation.as_str()),
            forklaring: Value::from(explanation.as_str()),
            ..KravAnswer::default()
        });
        transferred.push(Transferred {
            source_id: row.id.clone(),
            source_text: row.text.clone(),
            answer: row.answer.display(),
            efterlevet: efterlevet.map(|a| a.da().to_string()).unwrap_or_default(),
            requirement: format!("{} – {}", req.id, req.text),
            how: how_text(rules, p, &row.id, row.text.trim().is_empty()),
            remarks,
        });
    }
    for u in &mapping.unplaced {
        let row = &source.rows[u.row];
        counts.not_transferred += 1;
        not_transferred.push(NotTransferred {
            source_id: row.id.clone(),
            source_text: row.text.clone(),
            answer: row.answer.display(),
            documentation: [row.documentation.as_str(), row.explanation.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("\n"),
            why: u.why.text(rules, source),
        });
    }
    counts.blank =
        rules.requirements.len() - filled.answers.iter().filter(|a| !matches!(a.efterlevet, Value::Blank)).count();
    Plan {
        project_id,
        name,
        form,
        source_file: source_file.to_string(),
        as_of,
        filled,
        not_transferred,
        transferred,
        notes,
        counts,
    }
}

impl Counts {
    /// `38 svar overført (2 efter svarordstabellen), 4 ikke overført, 5 krav uden svar`.
    pub fn text(&self) -> Text {
        let Counts { answered, converted, not_transferred, blank } = *self;
        let (conv_da, conv_en) = if converted > 0 {
            (format!(" ({converted} efter svarordstabellen)"), format!(" ({converted} by the answer-word table)"))
        } else {
            (String::new(), String::new())
        };
        t!(
            "{answered} svar overført{conv_da}, {not_transferred} ikke overført, {blank} krav uden svar",
            "{answered} answers transferred{conv_en}, {not_transferred} not transferred, {blank} requirements without an answer"
        )
    }
}

/// Builds the workbook: the projektark as `template` writes it, the note and the Import sheet.
pub fn build(rules: &Rules, plan: &Plan, lang: Lang) -> Result<Workbook, XlsxError> {
    let mut workbook = build_projektark(rules, &plan.filled)?;
    let (file, form, when) = (&plan.source_file, plan.form.label(), format_date(plan.as_of));
    let form = form.get(lang);
    let note = t!(
        "Importeret med os2gov den {when} fra {file}: {form}. Felter uden værdi skal udfyldes; se fanen Import for det, der ikke kunne overføres.",
        "Imported with os2gov on {when} from {file}: {form}. Fields without a value must be filled in; see the Import sheet for what could not be transferred."
    );
    let id_row = layout::FIELDS.iter().position(|f| f.key == FieldKey::Id).unwrap_or(0) as u32 + 1;
    workbook.worksheet_from_name(layout::PROJEKT)?.insert_note(
        id_row,
        1,
        &Note::new(xlsx::clip(note.get(lang))).set_author("os2gov").set_width(360).set_height(120),
    )?;
    write_import_sheet(&mut workbook, rules, plan, lang)?;
    Ok(workbook)
}

fn write_import_sheet(workbook: &mut Workbook, rules: &Rules, plan: &Plan, lang: Lang) -> Result<(), XlsxError> {
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let ws = workbook.add_worksheet();
    ws.set_name(IMPORT_SHEET)?;
    for (col, width) in WIDTHS.into_iter().enumerate() {
        ws.set_column_width(col as u16, width)?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    let wrap = xlsx::wrap();
    let bold = xlsx::bold().set_align(FormatAlign::Top);
    let section = xlsx::title().set_font_size(12);
    ws.write_string_with_format(0, 0, l("Import af selvevaluering", "Import of a self-assessment"), &xlsx::title())?;
    let summary = plan.counts.text();
    let facts = [
        (l("Kilde", "Source"), plan.source_file.clone()),
        (l("Form", "Form"), plan.form.label().get(lang).to_string()),
        (l("Importeret", "Imported"), format_date(plan.as_of)),
        (l("Styringsmodel", "Styringsmodel"), format!("version {}", rules.document.version)),
        (l("Resultat", "Result"), summary.get(lang).to_string()),
    ];
    let mut row = 2u32;
    for (label, value) in facts {
        ws.write_string_with_format(row, 0, label, &bold)?;
        xlsx::text(ws, row, 1, &value, Some(&wrap))?;
        fit_row(ws, row, &[("", 0), (&value, 1)])?;
        row += 1;
    }
    for note in &plan.notes {
        ws.write_string_with_format(row, 0, l("Bemærk", "Note"), &bold)?;
        xlsx::text(ws, row, 1, note.get(lang), Some(&wrap))?;
        fit_row(ws, row, &[(note.get(lang), 1)])?;
        row += 1;
    }

    row += 1;
    ws.write_string_with_format(row, 0, l("Ikke overført", "Not transferred"), &section)?;
    row += 1;
    let header = [
        l("Kilde-ID", "Source ID"),
        l("Kildens tekst", "Source text"),
        l("Svar", "Answer"),
        l("Dokumentation", "Documentation"),
        l("Hvorfor ikke overført", "Why not transferred"),
    ];
    xlsx_header(ws, row, &header)?;
    row += 1;
    if plan.not_transferred.is_empty() {
        xlsx::text(ws, row, 0, l("Alt er overført.", "Everything was transferred."), None)?;
        row += 1;
    }
    for n in plan.not_transferred.iter().take(MAX_SHEET_ROWS) {
        let values = [n.source_id.as_str(), &n.source_text, &n.answer, &n.documentation, n.why.get(lang)];
        for (col, v) in values.iter().enumerate() {
            xlsx::text(ws, row, col as u16, v, Some(&wrap))?;
        }
        fit_row(ws, row, &values.iter().enumerate().map(|(c, v)| (*v, c)).collect::<Vec<_>>())?;
        row += 1;
    }

    row = more_rows(ws, row, plan.not_transferred.len(), lang)?;

    row += 1;
    ws.write_string_with_format(row, 0, l("Overført", "Transferred"), &section)?;
    row += 1;
    let header = [
        l("Kilde-ID", "Source ID"),
        l("Kildens tekst", "Source text"),
        l("Svar i kilden", "Answer in the source"),
        l("Krav i styringsmodellen", "Requirement in the styringsmodel"),
        l("Placeret efter reglen", "Placed by the rule"),
        l("Efterlevet", "Efterlevet"),
        l("Bemærkninger", "Remarks"),
    ];
    xlsx_header(ws, row, &header)?;
    row += 1;
    for tr in plan.transferred.iter().take(MAX_SHEET_ROWS) {
        let remarks = tr.remarks.iter().map(|r| r.get(lang)).collect::<Vec<_>>().join("\n");
        let values = [
            tr.source_id.as_str(),
            &tr.source_text,
            &tr.answer,
            &tr.requirement,
            tr.how.get(lang),
            &tr.efterlevet,
            &remarks,
        ];
        for (col, v) in values.iter().enumerate() {
            xlsx::text(ws, row, col as u16, v, Some(&wrap))?;
        }
        fit_row(ws, row, &values.iter().enumerate().map(|(c, v)| (*v, c)).collect::<Vec<_>>())?;
        row += 1;
    }
    more_rows(ws, row, plan.transferred.len(), lang)?;
    Ok(())
}

/// The most rows of each table on the Import sheet. A governance report has about 45; a
/// source with many more is no report, and its further rows are counted, not listed.
pub const MAX_SHEET_ROWS: usize = 1000;

/// "… og N rækker mere" under a table cut at [`MAX_SHEET_ROWS`]; the next free row.
fn more_rows(ws: &mut rust_xlsxwriter::Worksheet, row: u32, total: usize, lang: Lang) -> Result<u32, XlsxError> {
    if total <= MAX_SHEET_ROWS {
        return Ok(row);
    }
    let (more, shown) = (total - MAX_SHEET_ROWS, MAX_SHEET_ROWS);
    let text = t!(
        "… og {more} rækker mere, som ikke er vist (de første {shown} er vist). En governancerapport har omkring 45 krav; kontrollér kilden.",
        "… and {more} more rows, not shown (the first {shown} are). A governance report has about 45 requirements; check the source."
    );
    xlsx::text(ws, row, 1, text.get(lang), None)?;
    Ok(row + 1)
}

/// Column widths of the Import sheet (in characters).
const WIDTHS: [f64; 7] = [12.0, 40.0, 14.0, 40.0, 45.0, 12.0, 50.0];

/// Sets a row's height for its wrapped text. Excel fits wrapped rows itself when a file is
/// opened, LibreOffice does not; an estimate keeps the sheet readable in both.
fn fit_row(ws: &mut rust_xlsxwriter::Worksheet, row: u32, cells: &[(&str, usize)]) -> Result<(), XlsxError> {
    let lines = cells
        .iter()
        .map(|(text, col)| {
            let per_line = (WIDTHS[*col] * 1.1).max(1.0) as usize;
            text.lines().map(|l| l.chars().count().div_ceil(per_line).max(1)).sum::<usize>()
        })
        .max()
        .unwrap_or(1)
        .clamp(1, 25);
    if lines > 1 {
        ws.set_row_height(row, 15.0 * lines as f64)?;
    }
    Ok(())
}

fn xlsx_header(ws: &mut rust_xlsxwriter::Worksheet, row: u32, headers: &[&str]) -> Result<(), XlsxError> {
    let f: Format = xlsx::header();
    for (col, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, col as u16, *h, &f)?;
    }
    Ok(())
}

/// The whole import of one source, short of writing the file.
pub fn prepare(
    rules: &Rules,
    source: &SourceReport,
    source_file: &str,
    file_stem: &str,
    id_override: Option<&str>,
    as_of: NaiveDate,
) -> Plan {
    let mapping = mapping::map(rules, source);
    plan(rules, source, &mapping, source_file, file_stem, id_override, as_of)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::choice::Answer;

    #[test]
    fn ids_from_names_are_valid_projekt_ids() {
        assert_eq!(derive_id("OS2rollekatalog"), "OS2rollekatalog");
        assert_eq!(derive_id("OS2 Produkt X"), "OS2-Produkt-X");
        assert_eq!(derive_id("os2-skadesøkonomi"), "os2-skadesøkonomi");
        assert_eq!(derive_id("  OS2iot (beta)!"), "OS2iot-beta");
        assert_eq!(derive_id("!!!"), "import");
        assert_eq!(derive_id(&"x".repeat(100)).len(), 64);
    }

    #[test]
    fn names_from_file_names() {
        assert_eq!(name_from_file("OS2iot_GOVERNANCE_REPORT"), "OS2iot");
        assert_eq!(name_from_file("GOVERNANCE_REPORT"), "");
        assert_eq!(name_from_file("OS2loop_governancerapport"), "OS2loop");
    }

    fn source() -> SourceReport {
        let md = "# OS2demo\n\n> **Dato for udfyldelse:** 1. maj 2026\n> **Udfyldt af:** Rasmus\n> **Link til Git organisation:** github.com/os2demo\n\n## GOVERNANCE\n\n| 🔽 | # | Krav | Beskrivelse / Dokumentation |\n|---|---|---|---|\n| ✅ | G6 | Der er nedsat en styregruppe | Se [kommissorium](https://os2.eu/k) |\n| Planlagt | G7 | Der er nedsat en koordinationsgruppe | Kommer i 2027 |\n| ❌ | G99 | Kaffen er god | Nej |\n|  | G3 | Der er udpeget en projektleder/tovholder | Hvem? |\n";
        crate::import::markdown::read(md).unwrap()
    }

    #[test]
    fn the_plan_fills_fields_answers_and_the_log() {
        let rules = crate::check::testkit::rules();
        let as_of = crate::check::testkit::as_of();
        let p = prepare(rules, &source(), "demo.md", "demo", None, as_of);
        assert_eq!(p.project_id, "OS2demo");
        assert_eq!(
            p.filled.field(FieldKey::FilledDate),
            Some(&Value::Date(NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()))
        );
        assert_eq!(p.filled.field(FieldKey::FilledBy), Some(&Value::from("Rasmus")));
        assert_eq!(p.filled.field(FieldKey::Repository), None, "not an http(s) URL");
        assert!(p.notes.iter().any(|n| n.da.contains("github.com/os2demo")));
        let g6 = p.filled.answers.iter().find(|a| a.id == "G6").unwrap();
        assert_eq!(g6.efterlevet, Value::from(Answer::Ja.da()));
        assert_eq!(g6.dokumentation, Value::from("Se kommissorium (https://os2.eu/k)"));
        // Planlagt: Nej, explained by the word and the source's documentation.
        let g7 = p.filled.answers.iter().find(|a| a.id == "G7").unwrap();
        assert_eq!(
            (g7.efterlevet.clone(), g7.dokumentation.clone(), g7.forklaring.clone()),
            (Value::from("Nej"), Value::from(""), Value::from("Planlagt: Kommer i 2027"))
        );
        let g7 = p.transferred.iter().find(|t| t.source_id == "G7").unwrap();
        assert_eq!((g7.answer.as_str(), g7.efterlevet.as_str()), ("Planlagt", "Nej"));
        assert!(g7.remarks.iter().any(|r| r.da.contains("svarordstabellen")), "{:?}", g7.remarks);
        assert_eq!(
            p.counts,
            Counts { answered: 2, converted: 1, not_transferred: 1, blank: rules.requirements.len() - 2 }
        );
        let why: Vec<&str> = p.not_transferred.iter().map(|n| n.why.da.as_str()).collect();
        assert!(why.iter().any(|w| w.contains("Hverken ID'et eller teksten")), "{why:?}");
        let g3 = p.transferred.iter().find(|t| t.source_id == "G3").unwrap();
        assert!(g3.remarks[0].da.contains("'Hvem?'"), "{:?}", g3.remarks);
    }

    #[test]
    fn an_id_on_the_command_line_wins_and_a_missing_name_comes_from_the_file() {
        let rules = crate::check::testkit::rules();
        let mut s = source();
        s.product_name = None;
        let p = prepare(
            rules,
            &s,
            "OS2x_GOVERNANCE_REPORT.md",
            "OS2x_GOVERNANCE_REPORT",
            Some("OS2-x"),
            crate::check::testkit::as_of(),
        );
        assert_eq!((p.project_id.as_str(), p.name.as_str()), ("OS2-x", "OS2x"));
        assert!(p.notes.iter().any(|n| n.en.contains("file name")));
    }
}
