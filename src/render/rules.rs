//! Renders the `os2gov rules` summary: what a secretariat worker needs to see to trust
//! that the styringsmodel says what they meant. Returns a String; printing is the caller's.

use crate::model::choice::{ReqKind, TransitionKind};
use crate::model::finding::Finding;
use crate::model::rules::{LevelId, Rules};
use crate::model::value::{format_date, format_date_words};
use crate::text::Lang;
use chrono::NaiveDate;
use std::fmt::Write;

/// Pads to a display width counted in characters (æ, ø, å count as one).
pub fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    if n >= width { s.to_string() } else { format!("{s}{}", " ".repeat(width - n)) }
}

/// The summary printed by `os2gov rules`.
pub fn render(rules: &Rules, file: &str, warnings: &[Finding], as_of: NaiveDate, lang: Lang) -> String {
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let mut out = String::new();
    let doc = &rules.document;
    let _ = writeln!(out, "{} {file}", l("Styringsmodel:", "Styringsmodel:"));
    let mut line = format!("  {} {}", l("Version", "Version"), doc.version);
    match (doc.approval_date, &doc.approver) {
        (Some(d), Some(a)) => {
            let _ = write!(line, ", {} {} {} {a}", l("godkendt", "approved"), format_date(d), l("af", "by"));
        }
        (Some(d), None) => {
            let _ = write!(line, ", {} {}", l("godkendt", "approved"), format_date(d));
        }
        (None, Some(a)) => {
            let _ = write!(
                line,
                " – {} {a} ({})",
                l("kladde, endnu ikke godkendt af", "draft, not yet approved by"),
                l("skriv Godkendelsesdato i fanen Dokument", "enter Godkendelsesdato on the Dokument sheet")
            );
        }
        (None, None) => {
            let _ = write!(line, " – {}", l("kladde, endnu ikke godkendt", "draft, not yet approved"));
        }
    }
    let _ = writeln!(out, "{line}");
    if let Some(o) = &doc.owner {
        let _ = writeln!(out, "  {} {o}", l("Ejer:", "Owner:"));
    }
    match doc.revision_date {
        Some(d) if d < as_of => {
            let _ = writeln!(
                out,
                "  {} {} – {}",
                l("Revisionsdato:", "Revision date:"),
                format_date(d),
                l("OVERSKREDET", "PASSED")
            );
        }
        Some(d) => {
            let _ = writeln!(out, "  {} {}", l("Revisionsdato:", "Revision date:"), format_date(d));
        }
        None => {
            let _ = writeln!(out, "  {} {}", l("Revisionsdato:", "Revision date:"), l("ikke angivet", "not given"));
        }
    }

    // Levels and requirements.
    let total = rules.requirements.len();
    let skal = rules.requirements.iter().filter(|r| r.kind == ReqKind::Skal).count();
    let _ = writeln!(
        out,
        "\n{} ({}) {} ({total}: {skal} {}, {} {}) – {}:",
        l("Niveauer", "Levels"),
        rules.levels.len(),
        l("og krav", "and requirements"),
        l("skal", "must"),
        total - skal,
        l("bør", "should"),
        l("skal/bør pr. tema", "must/should per theme"),
    );
    let name_w =
        rules.levels.iter().map(|lv| lv.code.chars().count() + lv.name.chars().count() + 1).max().unwrap_or(0) + 2;
    let board_w = rules.levels.iter().map(|lv| lv.board.label(lang).chars().count()).max().unwrap_or(0) + 2;
    for (i, level) in rules.levels.iter().enumerate() {
        let reqs: Vec<_> = rules.requirements.iter().filter(|r| r.level == LevelId(i)).collect();
        let themes: Vec<String> = rules
            .themes
            .iter()
            .filter_map(|theme| {
                let s = reqs.iter().filter(|r| &r.theme == theme && r.kind == ReqKind::Skal).count();
                let b = reqs.iter().filter(|r| &r.theme == theme && r.kind == ReqKind::Boer).count();
                (s + b > 0).then(|| format!("{theme} {s}/{b}"))
            })
            .collect();
        let orgs = format!("{} {} {}", l("min.", "min."), level.min_orgs, l("org.", "orgs"));
        let _ = writeln!(
            out,
            "  {}{}{}{:>3} {}: {}",
            pad(&format!("{} {}", level.code, level.name), name_w),
            pad(&format!("{} {}", l("bestyrelse:", "board:"), level.board.label(lang).to_lowercase()), board_w + 12),
            pad(&orgs, 14),
            reqs.len(),
            l("krav", "requirements"),
            if themes.is_empty() { l("ingen", "none").to_string() } else { themes.join(", ") },
        );
    }

    // Phases.
    let names: Vec<&str> = rules.phases.iter().map(|p| p.name.as_str()).collect();
    let _ = writeln!(out, "\n{} ({}): {}", l("Faser", "Phases"), rules.phases.len(), names.join(" → "));

    // Transitions as a matrix of levels.
    let from_name = |t: &crate::model::rules::Transition| {
        t.from.map(|p| rules.phase(p).name.clone()).unwrap_or_else(|| "*".to_string())
    };
    let labels: Vec<String> =
        rules.transitions.iter().map(|t| format!("{} → {}", from_name(t), rules.phase(t.to).name)).collect();
    let label_w = labels.iter().map(|s| s.chars().count()).max().unwrap_or(0).max(20) + 2;
    let code_w = rules.levels.iter().map(|lv| lv.code.chars().count()).max().unwrap_or(2) + 2;
    let mut head = format!("\n{}", pad(l("Tilladte faseskift", "Allowed phase changes"), label_w + 2));
    for level in &rules.levels {
        head.push_str(&pad(&level.code, code_w));
    }
    let deciders: Vec<String> = rules
        .transitions
        .iter()
        .map(|t| t.deciders.iter().map(|d| d.label(lang)).collect::<Vec<_>>().join(", "))
        .collect();
    let decider_w = deciders.iter().map(|d| d.chars().count()).max().unwrap_or(0).max(12) + 2;
    let _ = writeln!(out, "{}{}{}", head, pad(l("Beslutter", "Decided by"), decider_w), l("Type", "Kind"));
    for ((t, label), decider) in rules.transitions.iter().zip(&labels).zip(&deciders) {
        let mut row = format!("  {}", pad(label, label_w));
        for i in 0..rules.levels.len() {
            row.push_str(&pad(if t.levels.contains(LevelId(i)) { "✓" } else { "·" }, code_w));
        }
        let mut kind = t.kind.label(lang).to_lowercase();
        if t.reason_required {
            kind.push_str(l(", årsag påkrævet", ", reason required"));
        }
        let _ = writeln!(out, "{}{}{}", row, pad(decider, decider_w), kind);
    }
    let per_level: Vec<String> = rules
        .levels
        .iter()
        .enumerate()
        .map(|(i, lv)| {
            format!("{} {}", lv.code, rules.transitions.iter().filter(|t| t.levels.contains(LevelId(i))).count())
        })
        .collect();
    let backflows = rules.transitions.iter().filter(|t| t.kind == TransitionKind::Tilbageloeb).count();
    let _ = writeln!(
        out,
        "  {} {} ({} {backflows})",
        l("Antal pr. niveau:", "Count per level:"),
        per_level.join(", "),
        l("heraf tilbageløb:", "backflows:")
    );

    process_rules(&mut out, rules, lang);

    let reasons: Vec<String> = rules
        .reasons
        .iter()
        .map(|r| {
            let note = if r.note_required {
                l(", skal uddybes i Bemærkning", ", to be explained in Bemærkning")
            } else {
                ""
            };
            format!("{} ({}{note})", r.code, r.name)
        })
        .collect();
    let _ = writeln!(
        out,
        "\n{} {}",
        l("Årsager til tilbageløb og stop:", "Reasons for backflows and stops:"),
        reasons.join(", ")
    );
    let p = &rules.params;
    let _ = writeln!(
        out,
        "{} {} {} {}, {} {} {}, {} {} {}, {} {} %",
        l("Parametre:", "Parameters:"),
        l("statusrapport forældet efter", "status report stale after"),
        p.status_max_days,
        l("dage", "days"),
        l("kritisk efter", "critical after"),
        p.status_critical_days,
        l("dage", "days"),
        l("selvevaluering forældet efter", "self-assessment stale after"),
        p.selfeval_max_days,
        l("dage", "days"),
        l("budgettolerance", "budget tolerance"),
        p.budget_tolerance_pct
    );
    let board_from: Vec<&str> =
        rules.levels.iter().filter(|lv| lv.order >= p.budget_board_from_order).map(|lv| lv.code.as_str()).collect();
    let board_from = if board_from.is_empty() { l("ingen", "none").to_string() } else { board_from.join(", ") };
    let _ = writeln!(
        out,
        "  {} {} {}; {} {board_from}",
        l("økonomi til bestyrelsens beslutning efter", "economy to the board for decision after"),
        p.escalation_periods,
        l("kørsler uden beslutning", "runs without a decision"),
        l("budgetændringer besluttes af bestyrelsen på", "budget changes decided by the board at"),
    );

    let logged: Vec<&crate::model::rules::Decision> = rules.decisions.iter().collect();
    let counted = logged.iter().filter(|d| d.counts(p.decision_log_from)).count();
    let log = match p.decision_log_from {
        Some(from) => match lang {
            Lang::Da => format!(
                "Beslutningsloggen er autoritativ fra {} ({} beslutninger, {counted} tæller som bestyrelsesbeslutninger).",
                format_date(from),
                logged.len()
            ),
            Lang::En => format!(
                "The decision log is authoritative from {} ({} decisions, {counted} count as board decisions).",
                format_date(from),
                logged.len()
            ),
        },
        None => match lang {
            Lang::Da => format!(
                "Beslutningsloggen er endnu ikke autoritativ (beslutningslog_fra er tom; {} beslutninger).",
                logged.len()
            ),
            Lang::En => format!(
                "The decision log is not yet authoritative (beslutningslog_fra is blank; {} decisions).",
                logged.len()
            ),
        },
    };
    let _ = writeln!(out, "  {log}");

    match rules.next_meeting(as_of) {
        Some(m) => {
            let days = (m.date - as_of).num_days();
            let _ = writeln!(
                out,
                "\n{} {} ({} {days} {})",
                l("Næste bestyrelsesmøde:", "Next board meeting:"),
                format_date_words(m.date, lang),
                l("om", "in"),
                if days == 1 { l("dag", "day") } else { l("dage", "days") }
            );
        }
        None => {
            let _ = writeln!(
                out,
                "\n{} {}",
                l("Næste bestyrelsesmøde:", "Next board meeting:"),
                l(
                    "intet planlagt – tilføj datoer i fanen Bestyrelsesmøder",
                    "none planned – add dates in the Bestyrelsesmøder sheet"
                )
            );
        }
    }
    let active: Vec<_> = rules.recipients.iter().filter(|r| r.active).collect();
    let mut roles: Vec<String> = Vec::new();
    for role in crate::model::choice::RecipientRole::ALL {
        let n = active.iter().filter(|r| r.role == *role).count();
        if n > 0 {
            roles.push(format!("{n} {}", role.label(lang).to_lowercase()));
        }
    }
    let _ = writeln!(
        out,
        "{} {} {} ({}), {} {}",
        l("Modtagere:", "Recipients:"),
        active.len(),
        if active.len() == 1 { l("aktiv", "active") } else { l("aktive", "active") },
        roles.join(", "),
        rules.recipients.len() - active.len(),
        if rules.recipients.len() - active.len() == 1 { l("inaktiv", "inactive") } else { l("inaktive", "inactive") }
    );
    for w in warnings {
        let at = w.location.a1();
        let at = if at.is_empty() { String::new() } else { format!(" ({at})") };
        let _ = writeln!(out, "\n{} {}{at}: {}", w.severity.label(lang), w.code, w.message.get(lang));
    }
    out
}

/// How the process is checked, in the words of the model: requirements due by phase, the
/// board gate, pauses and stops.
fn process_rules(out: &mut String, rules: &Rules, lang: Lang) {
    let l = |da: &'static str, en: &'static str| lang.pick(da, en);
    let _ =
        writeln!(out, "\n{}", l("Krav forfalder pr. fase (Fra fase):", "Requirements fall due by phase (Fra fase):"));
    for (i, phase) in rules.phases.iter().enumerate() {
        let ids: Vec<&str> = rules
            .requirements
            .iter()
            .filter(|r| rules.due_from(r) == crate::model::rules::PhaseId(i))
            .map(|r| r.id.as_str())
            .collect();
        if !ids.is_empty() {
            let _ = writeln!(out, "  {}{:>3}: {}", pad(&phase.name, 24), ids.len(), ids.join(", "));
        }
    }
    let approval: Vec<&str> = rules
        .levels
        .iter()
        .filter(|lv| lv.board == crate::model::choice::BoardRole::Godkendelse)
        .map(|lv| lv.code.as_str())
        .collect();
    let (board, started) = (&rules.phase(rules.key.board_review).name, &rules.phase(rules.key.started).name);
    let _ = writeln!(out, "\n{}", l("Kontrol af forløbet:", "How the process is checked:"));
    if !approval.is_empty() {
        let codes = approval.join(", ");
        let _ = match lang {
            Lang::Da => writeln!(
                out,
                "  {codes}: bestyrelsens godkendelse er skiftet {board} → {started} besluttet af Bestyrelse (eller 'Bestyrelse godkendt (dato)'); den skal ligge på eller før igangsættelsen og fornyes efter et tilbageløb fra {started} eller senere."
            ),
            Lang::En => writeln!(
                out,
                "  {codes}: the board's approval is the step {board} → {started} decided by Bestyrelse (or 'Bestyrelse godkendt (dato)'); it must be on or before the start and renewed after a backflow from {started} or later."
            ),
        };
    }
    let off_line: Vec<&str> = (0..rules.phases.len())
        .map(crate::model::rules::PhaseId)
        .filter(|p| rules.is_off_line(*p))
        .map(|p| rules.phase(p).name.as_str())
        .collect();
    if !off_line.is_empty() {
        let names = off_line.join(", ");
        let _ = match lang {
            Lang::Da => writeln!(
                out,
                "  {names}: vurderes efter den fase, projektet forlod; en pause genoptages kun i den samme fase."
            ),
            Lang::En => {
                writeln!(out, "  {names}: judged by the phase the project left; a pause resumes only in that phase.")
            }
        };
    }
    let concept = &rules.phase(rules.key.concept).name;
    let _ = match lang {
        Lang::Da => writeln!(out, "  Niveauets mindste antal organisationer gælder fra {concept}."),
        Lang::En => writeln!(out, "  A level's minimum number of organisations applies from {concept}."),
    };
}
