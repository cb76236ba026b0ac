//! The project lead's mail as a view model: what to do, grouped by kind ("8 krav er ikke
//! besvaret: F3, F4, F13 …"), who acts on each item and by when, what was fixed since the
//! last run, what is missing for the next level (only up to the level the project is
//! declared for), and what falls due next (only what applies to the project and has been
//! announced).

use crate::check::changes::ChangeKind;
use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::model::code_label::Actor;
use crate::model::finding::{Code, Finding, Severity};
use crate::model::value::format_date;
use crate::text::{Lang, Text, t};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many items (kinds of finding) the mail lists before pointing at Kontrol.
pub const MAX_ITEMS: usize = 10;
/// How many requirement IDs one item names before "og N mere".
pub const MAX_REFS: usize = 12;
/// How many single messages one item lists before "og N mere".
pub const MAX_DETAILS: usize = 3;
/// How many requirements the next-level list names before "og N mere".
pub const MAX_GAP: usize = 8;
/// How many fixed findings the mail names one by one before "og N mere".
pub const MAX_FIXED: usize = 5;
/// How many of the longest-standing findings the mail names.
pub const MAX_STANDING: usize = 5;

/// One item of the lead's mail: one kind of finding, however many times it occurs.
#[derive(Clone, Debug, Serialize)]
pub struct ItemView {
    /// `error`, `warning` or `info` (for the colour).
    pub severity: &'static str,
    /// The word people read: `fejl`, `advarsel`.
    pub severity_label: String,
    /// What is wrong, e.g. `8 krav er ikke besvaret` (or the one finding's message).
    pub title: String,
    /// The requirements it concerns: `F3, F4, F13`.
    pub refs: Option<String>,
    /// How many more requirements than `refs` names.
    pub refs_more: usize,
    /// The single findings, when they say different things (at most [`MAX_DETAILS`]).
    pub details: Vec<String>,
    pub details_more: usize,
    /// What to do, when the title does not say it.
    pub action: Option<String>,
    /// Who acts and by when: `I retter senest 10-12-2026` / `Sekretariatet vurderer …`.
    pub who: String,
}

/// A finding fixed since the project was last seen: one line per finding.
#[derive(Clone, Debug, Serialize)]
pub struct FixedView {
    pub text: String,
}

/// An open finding that has stood since an earlier period.
#[derive(Clone, Debug, Serialize)]
pub struct StandingView {
    pub text: String,
    /// The first period it was seen in (`2026-10`).
    pub since: String,
}

/// Something the project owes next, and by when.
#[derive(Clone, Debug, Serialize)]
pub struct DueView {
    pub what: String,
    pub date: String,
    /// The date has passed already.
    pub overdue: bool,
}

/// What the project-lead template sees.
#[derive(Clone, Debug, Serialize)]
pub struct LeadView {
    pub lang: &'static str,
    pub t: BTreeMap<&'static str, &'static str>,
    pub lead: String,
    pub project: String,
    pub name: String,
    pub period: String,
    pub as_of: String,
    pub declared: String,
    pub attained: String,
    pub phase: String,
    /// `2 fejl og 1 advarsel` (plurals right), or empty when there are none.
    pub counts: String,
    pub errors: usize,
    pub warnings: usize,
    pub clean: bool,
    /// The date by which the corrected projektark should be with the secretariat.
    pub deadline: Option<String>,
    /// What the lead does.
    pub items: Vec<ItemView>,
    /// How many more kinds of finding than `items` lists.
    pub more: usize,
    /// What the secretariat or the board takes care of (the lead is told, not asked).
    pub others: Vec<ItemView>,
    /// Fixed since the project was last seen, and that period.
    pub fixed: Vec<FixedView>,
    pub fixed_more: usize,
    pub fixed_since: Option<String>,
    /// The open findings that have stood longest, oldest first.
    pub standing: Vec<StandingView>,
    pub next_level: Option<String>,
    pub next_gap: Vec<String>,
    pub next_gap_more: usize,
    pub due: Vec<DueView>,
    /// One line per requirement waiting for the secretariat's assessment, with its date.
    pub waiting: Vec<String>,
    pub attachment: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `2 fejl og 1 advarsel`, `1 error and 3 warnings`, `3 fejl` – empty for none.
pub fn counts_text(errors: usize, warnings: usize, lang: Lang) -> String {
    let e = (errors > 0).then(|| match lang {
        Lang::Da => plural(errors, "fejl", "fejl"),
        Lang::En => plural(errors, "error", "errors"),
    });
    let w = (warnings > 0).then(|| match lang {
        Lang::Da => plural(warnings, "advarsel", "advarsler"),
        Lang::En => plural(warnings, "warning", "warnings"),
    });
    match (e, w) {
        (Some(e), Some(w)) => format!("{e} {} {w}", lang.pick("og", "and")),
        (Some(x), None) | (None, Some(x)) => x,
        (None, None) => String::new(),
    }
}

/// The title of a group of findings of one kind about requirements, with the plural right,
/// and what to do. `None` for kinds whose findings each say something of their own.
fn group_title(code: Code, n: usize, lang: Lang) -> Option<(String, String)> {
    let (one_da, many_da, one_en, many_en, act_da, act_en) = match code {
        Code::KravUnanswered => (
            "krav er ikke besvaret",
            "krav er ikke besvaret",
            "requirement is not answered",
            "requirements are not answered",
            "Vælg Ja, Nej, Ikke relevant eller Ved ikke i kolonnen Efterlevet.",
            "Choose Ja, Nej, Ikke relevant or Ved ikke in the Efterlevet column.",
        ),
        Code::KravSkalUnmet => (
            "Skal-krav er besvaret Nej uden forklaring",
            "Skal-krav er besvaret Nej uden forklaring",
            "must requirement is answered No without an explanation",
            "must requirements are answered No without an explanation",
            "Skriv i Forklaring, hvorfor kravet ikke er opfyldt, og hvad I gør i stedet – eller opfyld kravet.",
            "Write in Forklaring why the requirement is not met and what you do instead – or meet it.",
        ),
        Code::KravNoEvidence => (
            "krav er besvaret Ja uden dokumentation",
            "krav er besvaret Ja uden dokumentation",
            "requirement is answered Yes without documentation",
            "requirements are answered Yes without documentation",
            "Skriv et link eller en henvisning i kolonnen Dokumentation.",
            "Write a link or a reference in the Dokumentation column.",
        ),
        Code::KravUnsure => (
            "krav er besvaret Ved ikke",
            "krav er besvaret Ved ikke",
            "requirement is answered Don't know",
            "requirements are answered Don't know",
            "Find ud af, om kravet er opfyldt, og svar Ja eller Nej.",
            "Find out whether the requirement is met, and answer Ja or Nej.",
        ),
        Code::KravBoerUnexplained => (
            "anbefaling er besvaret Nej uden forklaring",
            "anbefalinger er besvaret Nej uden forklaring",
            "recommendation is answered No without an explanation",
            "recommendations are answered No without an explanation",
            "Skriv i Forklaring, hvorfor I ikke følger anbefalingen.",
            "Write in Forklaring why you do not follow the recommendation.",
        ),
        Code::KravNaUnexplained => (
            "krav er besvaret Ikke relevant uden forklaring",
            "krav er besvaret Ikke relevant uden forklaring",
            "requirement is answered Not relevant without an explanation",
            "requirements are answered Not relevant without an explanation",
            "Skriv i Forklaring, hvorfor kravet ikke er relevant for jer.",
            "Write in Forklaring why the requirement is not relevant to you.",
        ),
        Code::KravSkalExplained => (
            "forklaret afvigelse fra et Skal-krav",
            "forklarede afvigelser fra Skal-krav",
            "explained deviation from a must requirement",
            "explained deviations from must requirements",
            "Indtil sekretariatet har vurderet dem (kolonnen Vurdering), tæller de som ikke opfyldt.",
            "Until the secretariat has assessed them (the Vurdering column), they count as not met.",
        ),
        _ => return None,
    };
    let title = match lang {
        Lang::Da => plural(n, one_da, many_da),
        Lang::En => plural(n, one_en, many_en),
    };
    Some((title, lang.pick(act_da, act_en).to_string()))
}

/// Who acts on an item, and by when.
fn who(actor: Actor, deadline: Option<NaiveDate>, meeting: Option<NaiveDate>, lang: Lang) -> String {
    match (actor, deadline) {
        (Actor::Lead, Some(d)) => {
            let d = format_date(d);
            t!("I retter – senest {d}.", "You fix it – by {d}.").get(lang).to_string()
        }
        (Actor::Lead, None) => lang.pick("I retter.", "You fix it.").to_string(),
        (Actor::Secretariat, _) => lang
            .pick(
                "Sekretariatet vurderer – I skal ikke gøre noget.",
                "The secretariat assesses it – nothing for you to do.",
            )
            .to_string(),
        (Actor::Board, _) => match meeting {
            Some(m) => {
                let m = format_date(m);
                t!(
                    "Bestyrelsen tager stilling på mødet {m}; sekretariatet kontakter jer, hvis der er brug for mere.",
                    "The board takes a position at the meeting on {m}; the secretariat contacts you if more is needed."
                )
                .get(lang)
                .to_string()
            }
            None => lang
                .pick(
                    "Bestyrelsen tager stilling; sekretariatet kontakter jer, hvis der er brug for mere.",
                    "The board takes a position; the secretariat contacts you if more is needed.",
                )
                .to_string(),
        },
    }
}

/// The items of one actor's findings: one per code, in the order of the findings (errors
/// first), capped per kind.
fn items(
    findings: &[&Finding],
    actor: Actor,
    deadline: Option<NaiveDate>,
    meeting: Option<NaiveDate>,
    lang: Lang,
) -> Vec<ItemView> {
    let mut order: Vec<Code> = Vec::new();
    let mut by_code: BTreeMap<Code, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        if !by_code.contains_key(&f.code) {
            order.push(f.code);
        }
        by_code.entry(f.code).or_default().push(f);
    }
    order
        .into_iter()
        .map(|code| {
            let group = &by_code[&code];
            let severity = group.iter().map(|f| f.severity).max().unwrap_or(Severity::Info);
            let ids: Vec<&str> = group.iter().filter_map(|f| f.requirement.as_deref()).collect();
            let mut item = ItemView {
                severity: severity.code(),
                severity_label: severity.label(lang).to_string(),
                title: String::new(),
                refs: None,
                refs_more: 0,
                details: Vec::new(),
                details_more: 0,
                action: None,
                who: who(actor, deadline, meeting, lang),
            };
            match group_title(code, group.len(), lang) {
                Some((title, action)) if ids.len() == group.len() && group.len() > 1 => {
                    item.title = title;
                    let mut unique: Vec<&str> = Vec::new();
                    for id in ids {
                        if !unique.contains(&id) {
                            unique.push(id);
                        }
                    }
                    item.refs_more = unique.len().saturating_sub(MAX_REFS);
                    unique.truncate(MAX_REFS);
                    item.refs = Some(unique.join(", "));
                    item.action = Some(action);
                }
                _ if group.len() == 1 => {
                    // The finding in bold, what to do about it in plain text below.
                    let (title, rest) = first_sentence(group[0].message.get(lang));
                    item.title = title.to_string();
                    item.action = rest.map(str::to_string);
                }
                _ => {
                    let n = group.len();
                    item.title = format!("{} ({n} {})", code.label(lang), lang.pick("steder", "places"));
                    item.details = group.iter().take(MAX_DETAILS).map(|f| f.message.get(lang).to_string()).collect();
                    item.details_more = n.saturating_sub(MAX_DETAILS);
                }
            }
            item
        })
        .collect()
}

/// A message split after its first sentence (a full stop, a space and a capital letter),
/// so the finding can be shown in bold and what to do in plain text. Abbreviations such as
/// "fx. den" or "2,3 mio. kr." are no sentence end (no capital follows).
fn first_sentence(message: &str) -> (&str, Option<&str>) {
    for (i, _) in message.match_indices(". ") {
        let rest = &message[i + 2..];
        if rest.chars().next().is_some_and(char::is_uppercase) {
            return (&message[..=i], Some(rest.trim()));
        }
    }
    (message, None)
}

/// One line naming a finding: its kind and the requirement, else the cell.
fn finding_line(code: Code, requirement: Option<&str>, cell: &str, lang: Lang) -> String {
    match requirement {
        Some(r) => format!("{} – {r}", code.label(lang)),
        None => format!("{} ({cell})", code.label(lang)),
    }
}

/// What was fixed since the project was last seen: the listed findings for the lead then
/// that are gone now, one line per finding (lines that would read alike are said once), at
/// most [`MAX_FIXED`] and how many more.
fn fixed(report: &Report, p: &ProjectResult, lang: Lang) -> (Vec<FixedView>, usize) {
    let key = p.key();
    let mut lines: Vec<String> = Vec::new();
    for c in report.changes.iter().filter(|c| c.project == key) {
        let ChangeKind::ResolvedFinding { code, requirement, cell } = &c.kind else { continue };
        let Some(code) = Code::parse(code) else { continue };
        if !code.audience().lead || code.severity() == Severity::Info {
            continue;
        }
        let line = finding_line(code, requirement.as_deref(), cell, lang);
        if !lines.contains(&line) {
            lines.push(line);
        }
    }
    let more = lines.len().saturating_sub(MAX_FIXED);
    lines.truncate(MAX_FIXED);
    (lines.into_iter().map(|text| FixedView { text }).collect(), more)
}

/// The open findings that have stood since an earlier period, oldest first (in reading
/// order within a period), one line per finding said once, at most [`MAX_STANDING`].
fn standing(report: &Report, p: &ProjectResult, open: &[&Finding], lang: Lang) -> Vec<StandingView> {
    let Some(ages) = report.finding_ages.get(&p.key()) else { return Vec::new() };
    let mut out: Vec<StandingView> = Vec::new();
    for f in open {
        let id = crate::model::history::finding_id(&crate::check::changes::finding_key(f));
        let Some(since) = ages.since.get(&id).filter(|s| s.as_str() < report.period.as_str()) else { continue };
        let text = finding_line(f.code, f.requirement.as_deref(), &f.location.a1(), lang);
        match out.iter_mut().find(|s| s.text == text) {
            Some(s) if since < &s.since => s.since = since.clone(),
            Some(_) => {}
            None => out.push(StandingView { text, since: since.clone() }),
        }
    }
    out.sort_by(|a, b| a.since.cmp(&b.since));
    out.truncate(MAX_STANDING);
    out
}

/// Whether the project is on its way to the board: a level that needs the board's approval,
/// in Bestyrelsesbehandling (it has asked for the board).
fn asked_for_board(report: &Report, p: &ProjectResult) -> bool {
    let rules = &report.rules;
    let level = p.project.fields.level.given().copied();
    let needs_board = level.is_some_and(|l| rules.level(l).board == crate::model::choice::BoardRole::Godkendelse);
    needs_board && p.assessment.process.effective == Some(rules.key.board_review)
}

/// The material deadline for the board meeting a concept can still reach: the first
/// meeting in Bestyrelsesmøder (announced) whose deadline (meeting − materiale_frist_dage)
/// has not passed.
fn material_deadline(report: &Report, p: &ProjectResult) -> Option<(NaiveDate, NaiveDate)> {
    if !asked_for_board(report, p) {
        return None;
    }
    let days = chrono::Duration::days(report.rules.params.material_days_before);
    let mut meetings: Vec<NaiveDate> = report.rules.meetings.iter().map(|m| m.date).collect();
    meetings.sort();
    meetings.into_iter().map(|m| (m, m - days)).find(|(_, deadline)| *deadline >= report.as_of)
}

/// The date by which the corrected projektark should be with the secretariat: the run's
/// date + `materiale_frist_dage`, or the material deadline for the next board meeting when
/// the project has asked for the board and that comes first.
pub fn correction_deadline(report: &Report, p: &ProjectResult) -> NaiveDate {
    let standard = report.as_of + chrono::Duration::days(report.rules.params.material_days_before);
    match material_deadline(report, p) {
        Some((_, d)) if d < standard => d,
        _ => standard,
    }
}

/// What a project owes next, with dates: the next status report while it runs, the
/// coordination group's next Drift report for a product, the next self-assessment, and –
/// for a concept that has asked for the board – the deadline for material before a meeting
/// in the calendar. Nothing for a closed project.
pub fn coming_due(report: &Report, p: &ProjectResult, lang: Lang) -> Vec<DueView> {
    let rules = &report.rules;
    let params = &rules.params;
    let project = &p.project;
    let process = &p.assessment.process;
    if project.fields.phase.given() == Some(&rules.key.closed) {
        return Vec::new();
    }
    let mut out: Vec<(NaiveDate, DueView)> = Vec::new();
    let mut push = |what: Text, date: NaiveDate| {
        out.push((
            date,
            DueView { what: what.get(lang).to_string(), date: format_date(date), overdue: date < report.as_of },
        ))
    };
    let product = process.effective == Some(rules.key.product);
    if process.started(rules) && !product {
        let next = project
            .newest_status_on(report.as_of)
            .map(|(_, d)| d + chrono::Duration::days(params.status_max_days))
            .unwrap_or(report.as_of);
        push(t!("Næste statusrapport (fremdrift og økonomi)", "Next status report (progress and finances)"), next);
    }
    if product {
        let newest = project.operations.iter().filter_map(|o| o.date.given().copied()).max();
        let next = newest.map(|d| d + chrono::Duration::days(params.status_max_days)).unwrap_or(report.as_of);
        push(
            t!(
                "Koordinationsgruppens næste driftsrapport (fanen Drift)",
                "The coordination group's next operations report (the Drift sheet)"
            ),
            next,
        );
    }
    if let Some(filled) = project.fields.filled_date.given() {
        push(
            t!("Næste selvevaluering (gennemgang af kravene)", "Next self-assessment (going through the requirements)"),
            *filled + chrono::Duration::days(params.selfeval_max_days),
        );
    }
    if let Some((meeting, deadline)) = material_deadline(report, p) {
        let m = format_date(meeting);
        push(
            t!(
                "Materiale til bestyrelsesmødet {m} hos sekretariatet",
                "Material for the board meeting {m} with the secretariat"
            ),
            deadline,
        );
    }
    out.sort_by_key(|(d, _)| *d);
    out.into_iter().map(|(_, v)| v).collect()
}

/// The lead's mail for one project. `meeting` is the board meeting the run is for.
pub fn lead_view(
    report: &Report,
    p: &ProjectResult,
    lang: Lang,
    attachment: &str,
    meeting: Option<NaiveDate>,
) -> LeadView {
    let rules = &report.rules;
    let for_lead: Vec<&Finding> = p.listed().0.iter().filter(|f| f.code.audience().lead).collect();
    let actionable: Vec<&Finding> = for_lead
        .iter()
        .copied()
        // The level's shortfall is what the items below add up to; the next-level list says it.
        .filter(|f| f.severity > Severity::Info && f.code != Code::LevelBelowDeclared)
        .collect();
    // Counted as listed: the level's shortfall is no error of its own here.
    let errors = actionable.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = actionable.iter().filter(|f| f.severity == Severity::Warning).count();
    let deadline = correction_deadline(report, p);
    let mine: Vec<&Finding> = actionable.iter().copied().filter(|f| f.code.actor() == Actor::Lead).collect();
    let mut lead_items = items(&mine, Actor::Lead, Some(deadline), meeting, lang);
    let more = lead_items.len().saturating_sub(MAX_ITEMS);
    lead_items.truncate(MAX_ITEMS);
    let mut others = Vec::new();
    for actor in [Actor::Secretariat, Actor::Board] {
        let theirs: Vec<&Finding> = actionable.iter().copied().filter(|f| f.code.actor() == actor).collect();
        others.extend(items(&theirs, actor, None, meeting, lang));
    }
    others.truncate(MAX_ITEMS);
    let declared_level = p.project.fields.level.given().copied();
    let closed = p.project.fields.phase.given() == Some(&rules.key.closed);
    // What is missing for the next level – only up to the level the project is declared for.
    let next = p
        .assessment
        .next_level
        .filter(|_| !p.assessment.next_gap.is_empty() && !closed)
        .filter(|n| declared_level.is_some_and(|d| *n <= d));
    let mut next_gap: Vec<String> = next
        .map(|_| {
            p.assessment
                .next_gap
                .iter()
                .map(|i| format!("{} – {}", rules.requirements[*i].id, rules.requirements[*i].text))
                .collect()
        })
        .unwrap_or_default();
    let next_gap_more = next_gap.len().saturating_sub(MAX_GAP);
    next_gap.truncate(MAX_GAP);
    let (fixed, fixed_more) = fixed(report, p, lang);
    let standing = standing(report, p, &actionable, lang);
    let last_seen = report.finding_ages.get(&p.key()).and_then(|a| a.last_seen.clone());
    LeadView {
        lang: lang.code(),
        t: crate::digest::labels::labels(lang),
        lead: p.lead_name(),
        project: p.key(),
        name: p.name(),
        period: report.period.clone(),
        as_of: format_date(report.as_of),
        declared: declared_level.map(|l| crate::check::context::level_label(rules, l)).unwrap_or_default(),
        attained: match p.assessment.attained {
            Some(_) => crate::check::assess::attained_label(rules, &p.assessment, lang, true),
            None => lang.pick("intet niveau endnu", "no level yet").to_string(),
        },
        phase: p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.clone()).unwrap_or_default(),
        counts: counts_text(errors, warnings, lang),
        errors,
        warnings,
        clean: errors + warnings == 0 && !for_lead.iter().any(|f| f.code == Code::LevelBelowDeclared),
        deadline: (!lead_items.is_empty()).then(|| format_date(deadline)),
        items: lead_items,
        more,
        others,
        fixed_since: (!fixed.is_empty()).then(|| last_seen.or_else(|| report.previous_period.clone())).flatten(),
        fixed,
        fixed_more,
        standing,
        next_level: next.map(|l| crate::check::context::level_label(rules, l)),
        next_gap,
        next_gap_more,
        due: coming_due(report, p, lang),
        waiting: crate::check::secretariat::waiting_lines(report, p).iter().map(|l| l.get(lang).to_string()).collect(),
        attachment: attachment.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_said_with_danish_and_english_plurals() {
        assert_eq!(counts_text(1, 1, Lang::Da), "1 fejl og 1 advarsel");
        assert_eq!(counts_text(2, 3, Lang::Da), "2 fejl og 3 advarsler");
        assert_eq!(counts_text(0, 1, Lang::Da), "1 advarsel");
        assert_eq!(counts_text(1, 0, Lang::En), "1 error");
        assert_eq!(counts_text(2, 2, Lang::En), "2 errors and 2 warnings");
        assert_eq!(counts_text(0, 0, Lang::Da), "");
    }

    #[test]
    fn a_single_finding_is_split_after_its_first_sentence() {
        assert_eq!(
            first_sentence("Fanen Historik er tom. Skriv hvert faseskift."),
            ("Fanen Historik er tom.", Some("Skriv hvert faseskift."))
        );
        // Near misses: an abbreviation or an amount is no sentence end; one sentence stays whole.
        assert_eq!(
            first_sentence("Budgettet er 2,3 mio. kr. over rammen"),
            ("Budgettet er 2,3 mio. kr. over rammen", None)
        );
        assert_eq!(first_sentence("Brug fx. den nye skabelon."), ("Brug fx. den nye skabelon.", None));
        assert_eq!(first_sentence("Sikker mail: SLA 91 % mod 99,5 %."), ("Sikker mail: SLA 91 % mod 99,5 %.", None));
    }

    #[test]
    fn group_titles_have_the_plural_right() {
        assert_eq!(
            group_title(Code::KravBoerUnexplained, 1, Lang::Da).unwrap().0,
            "1 anbefaling er besvaret Nej uden forklaring"
        );
        assert_eq!(
            group_title(Code::KravBoerUnexplained, 2, Lang::Da).unwrap().0,
            "2 anbefalinger er besvaret Nej uden forklaring"
        );
        assert_eq!(group_title(Code::KravUnanswered, 8, Lang::En).unwrap().0, "8 requirements are not answered");
        // Near miss: a kind whose findings each say something of their own has no group title.
        assert!(group_title(Code::StatusStale, 2, Lang::Da).is_none());
    }
}
