//! The board's agenda from in-code projects: every breach the board owns is an entry,
//! one per project per section, in the board's words.

use super::*;
use crate::check::changes::Change;
use crate::check::context::Context;
use crate::check::previous::PreviousProject;
use crate::check::project::check_project;
use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::check::testkit::{P, as_of, report_of, result_of, rules};
use crate::model::choice::{Answer, Decider};
use crate::model::project::Input;
use crate::text::MAX_LISTED;
use std::sync::Arc;

fn result(p: &P, id: &str) -> ProjectResult {
    result_with(p, id, rules())
}

/// A project checked against `model` (the default styringsmodel, or the project's own).
fn result_with(p: &P, id: &str, model: &crate::model::rules::Rules) -> ProjectResult {
    let mut project = p.project.clone();
    project.fields.id.value = Input::Given(id.into());
    let ctx = Context {
        rules: model,
        as_of: as_of(),
        period: "2026-11",
        previous: p.previous.as_ref(),
        register: &p.register,
    };
    let (assessment, mut findings) = check_project(&ctx, &project);
    crate::model::finding::sort_for_reading(&mut findings);
    result_of(&format!("{id}.xlsx"), project, (assessment, findings))
}

fn report(projects: Vec<ProjectResult>) -> Report {
    report_of(rules(), projects)
}

fn entry<'a>(entries: &'a [BoardEntry], project: &str, agenda: Agenda) -> Option<&'a BoardEntry> {
    entries.iter().find(|e| e.project == project && e.agenda == agenda)
}

fn all_text(e: &BoardEntry) -> String {
    let mut s: Vec<String> = e.points.iter().map(|p| p.da.clone()).collect();
    s.extend(e.ask.as_ref().map(|a| a.da.clone()));
    s.join(" ")
}

/// Words that address the project lead, which the board must never be given.
const LEAD_WORDS: [&str; 6] = ["Skriv ", "Tilføj ", "Ret ", "skriv i", "Vælg ", "Udfyld "];

#[track_caller]
fn board_words_only(entries: &[BoardEntry]) {
    for e in entries {
        let text = all_text(e);
        for w in LEAD_WORDS {
            assert!(!text.contains(w), "{}: '{w}' in {text}", e.project);
        }
    }
}

#[test]
fn an_n2_project_that_skipped_the_board_is_a_decision() {
    let skipped = P::new("N2", "Implementering")
        .steps(&[
            ("Idé", "Koncept", "Sekretariat"),
            ("Koncept", "Igangsat", "Sekretariat"),
            ("Igangsat", "Implementering", "Styregruppe"),
        ])
        .approved(None);
    let r = report(vec![result(&skipped, "OS2autoproces")]);
    let entries = entries(&r);
    let e = entry(&entries, "OS2autoproces", Agenda::Beslutning).expect("a decision");
    let text = all_text(e);
    assert!(text.contains("uden bestyrelsens godkendelse"), "{text}");
    assert!(text.contains("uden om bestyrelsen"), "{text}");
    assert!(e.ask.as_ref().unwrap().da.contains("godkend det efterfølgende"), "{text}");
    board_words_only(&entries);
    // One entry per project per section.
    for a in Agenda::ALL {
        assert!(entries.iter().filter(|e| e.project == "OS2autoproces" && e.agenda == a).count() <= 1);
    }
}

#[test]
fn points_of_one_project_are_one_entry_and_name_requirements_by_title() {
    let troubled = P::new("N1", "Implementering").answer("F7", Answer::Nej, None, None).with(|p| {
        p.status[0].forecast = Input::Given(1_500_000.0);
        p.status[0].economy = Input::Given(crate::model::choice::Rag::Roed);
    });
    let r = report(vec![result(&troubled, "OS2skadesøkonomi")]);
    let entries = entries(&r);
    let in_section = |a| entries.iter().filter(|e| e.project == "OS2skadesøkonomi" && e.agenda == a).count();
    // N1's Bestyrelse is Orientering: a level below is told, not decided (design §6.3).
    assert_eq!((in_section(Agenda::Orientering), in_section(Agenda::Droeftelse)), (1, 1));
    assert_eq!(in_section(Agenda::Beslutning), 0);
    let decision = entry(&entries, "OS2skadesøkonomi", Agenda::Orientering).unwrap();
    assert!(all_text(decision).contains("F7 Dokumentationen følger OS2's standardskabelon (nej, uden forklaring)"));
    // F7 is the level decision's, not a second point under Drøftelse.
    let discussion = entry(&entries, "OS2skadesøkonomi", Agenda::Droeftelse).unwrap();
    assert!(!all_text(discussion).contains("F7"), "{}", all_text(discussion));
    assert_eq!(discussion.points.len(), 2, "red finances and the forecast: {:#?}", discussion.points);
    board_words_only(&entries);
}

#[test]
fn information_asks_nothing_and_an_unlogged_jump_is_never_information() {
    let informed = P::new("N1", "Igangsat").with(|p| p.fields.board_informed.value = Input::Blank);
    let jumped = P::new("N1", "Produkt").previous("N1", "Implementering").with(|p| {
        p.history.pop();
        if let Some(Input::Given(last)) = p.history.last().map(|s| s.to.clone()) {
            p.fields.phase.value = Input::Given(rules().key.product);
            let _ = last;
        }
    });
    let mut r = report(vec![result(&informed, "OS2tilsyn"), result(&jumped, "OS2jump")]);
    r.changes = vec![Change {
        project: "OS2jump".into(),
        kind: crate::check::changes::ChangeKind::PhaseChanged { from: "Implementering".into(), to: "Produkt".into() },
    }];
    let entries = entries(&r);
    let info = entry(&entries, "OS2tilsyn", Agenda::Orientering).expect("orientation");
    assert_eq!(info.ask, None);
    assert!(entry(&entries, "OS2jump", Agenda::Orientering).is_none(), "{entries:#?}");
    let jump = entry(&entries, "OS2jump", Agenda::Beslutning).expect("the jump is a decision");
    assert!(all_text(jump).contains("Implementering til Produkt"), "{}", all_text(jump));
}

#[test]
fn a_licence_other_than_mpl_needs_the_board_once() {
    let eupl = P::new("N2", "Produkt").with(|p| p.fields.licence.value = Input::Given("EUPL-1.2".into()));
    let r = report(vec![result(&eupl, "OS2faktor")]);
    assert!(entry(&entries(&r), "OS2faktor", Agenda::Beslutning).is_some());
    // Logged as decided: no longer on the agenda.
    let mut r = report(vec![result(&eupl, "OS2faktor")]);
    let mut rules = (*r.rules).clone();
    rules.decisions = vec![crate::model::rules::Decision {
        row: 2,
        date: as_of() - chrono::Duration::days(300),
        project: "OS2faktor".into(),
        text: "Licensen EUPL-1.2 godkendt".into(),
        basis: String::new(),
        by: "Bestyrelsen".into(),
        reference: String::new(),
        kind: None,
        priority: None,
        level: None,
        amount: None,
        on_meeting: false,
        invalid: false,
    }];
    r.rules = Arc::new(rules);
    assert!(entry(&entries(&r), "OS2faktor", Agenda::Beslutning).is_none());
}

#[test]
fn a_concept_awaiting_the_board_comes_with_its_basis() {
    let concept = |days_ago: i64| {
        P::new("N2", "Bestyrelsesbehandling").with(move |p| {
            let last = p.history.last_mut().unwrap();
            last.date = Input::Given(as_of() - chrono::Duration::days(days_ago));
        })
    };
    let r = report(vec![result(&concept(20), "OS2ny"), result(&concept(400), "OS2gammel")]);
    let entries = entries(&r);
    let new = entry(&entries, "OS2ny", Agenda::Beslutning).unwrap();
    let annex = new.concept.as_ref().expect("an annex");
    assert_eq!(annex.budget, Some(1_000_000.0));
    assert!(annex.purpose.is_some() && annex.benefit.is_some());
    assert_eq!(annex.days, Some(20));
    assert!(!annex.flagged);
    assert!(annex.totals().total() > 0);
    let old = entry(&entries, "OS2gammel", Agenda::Beslutning).unwrap();
    assert!(old.concept.as_ref().unwrap().flagged);
    assert!(all_text(old).contains("har ventet"), "{}", all_text(old));
    let (header, rows) = concept::comparison(&r, Lang::Da).expect("two concepts: a comparison");
    assert_eq!(rows.len(), 2);
    assert_eq!(header.len(), rows[0].len());
    // One concept: no comparison.
    assert!(concept::comparison(&report(vec![result(&concept(20), "OS2ny")]), Lang::Da).is_none());
}

#[test]
fn an_escalated_economy_is_decided_not_discussed() {
    let p = P::new("N2", "Igangsat")
        .with(|p| p.status[0].forecast = Input::Given(1_500_000.0))
        .previous_with(|prev: &mut PreviousProject| prev.economy_since = Some("2026-08".into()));
    let r = report(vec![result(&p, "OS2forms")]);
    let entries = entries(&r);
    assert!(entry(&entries, "OS2forms", Agenda::Droeftelse).is_none(), "{entries:#?}");
    let e = entry(&entries, "OS2forms", Agenda::Beslutning).unwrap();
    assert!(all_text(e).contains("siden 2026-08"), "{}", all_text(e));
    assert!(all_text(e).contains("fortsætte inden for en ny ramme"), "{}", all_text(e));
}

#[test]
fn a_passed_revision_date_reaches_the_board() {
    let mut r = report(vec![]);
    r.model_findings = vec![crate::model::finding::Finding::new(
        Code::GovRevisionDue,
        crate::model::finding::Location::sheet("Dokument"),
        t!("x", "x"),
    )];
    let entries = entries(&r);
    let e = entry(&entries, MODEL, Agenda::Beslutning).expect("the model is a decision");
    let text = all_text(e);
    assert!(text.contains("Ejer: OS2-sekretariatet") && text.contains("godkender"), "{text}");
    assert_eq!(entries[0].project, MODEL, "the model comes first");
}

#[test]
fn a_budget_change_decided_by_the_wrong_body_is_for_the_board() {
    let p = P::new("N2", "Igangsat").with(|p| {
        p.fields.budget.value = Input::Given(1_050_000.0);
        p.budget_changes.push(crate::model::project::BudgetChange {
            row: 1,
            date: Input::Given(as_of() - chrono::Duration::days(30)),
            from: Input::Given(1_000_000.0),
            to: Input::Given(1_050_000.0),
            decided_by: Input::Given(Decider::Styregruppe),
            reference: None,
            reason: None,
        });
    });
    let r = report(vec![result(&p, "OS2x")]);
    let entries = entries(&r);
    let e = entry(&entries, "OS2x", Agenda::Beslutning).expect("a decision");
    assert!(all_text(e).contains("bestyrelsens beslutning"), "{}", all_text(e));
}

/// A project checked against its own styringsmodel (log, calendar, cut-over) and register.
fn result_own(p: &P, id: &str) -> ProjectResult {
    result_with(p, id, p.rules())
}

/// The agenda of one project checked against its own styringsmodel.
fn own_entries(p: &P) -> Vec<BoardEntry> {
    let mut r = report(vec![result_own(p, "OS2test")]);
    r.rules = Arc::new(p.rules().clone());
    let e = entries(&r);
    board_words_only(&e);
    e
}

fn texts(entries: &[BoardEntry]) -> String {
    entries.iter().map(|e| format!("[{:?}] {}", e.agenda, all_text(e))).collect::<Vec<_>>().join(" | ")
}

#[test]
fn an_approval_the_log_lacks_is_one_decision_naming_the_missing_record() {
    let legal = P::new("N2", "Implementering").authoritative();
    assert!(own_entries(&legal).is_empty(), "{}", texts(&own_entries(&legal)));
    // The same projektark, the log without the approval.
    let mut forged = legal.clone();
    forged.model_mut().decisions.retain(|d| d.kind != Some(crate::model::choice::DecisionKind::Godkendelse));
    let e = own_entries(&forged);
    assert_eq!(e.len(), 1, "{}", texts(&e));
    assert_eq!(e[0].agenda, Agenda::Beslutning);
    let text = all_text(&e[0]);
    assert!(text.contains("beslutningsloggen har ingen godkendelse af OS2test"), "{text}");
    assert!(text.contains("vurderes som ikke godkendt"), "{text}");
    // The gate's own point is absorbed: said once.
    assert!(!text.contains("uden bestyrelsens godkendelse."), "{text}");
}

#[test]
fn a_stop_by_the_steering_group_where_only_the_board_stops_is_a_decision() {
    let steps = [
        ("Idé", "Koncept", "Sekretariat"),
        ("Koncept", "Bestyrelsesbehandling", "Sekretariat"),
        ("Bestyrelsesbehandling", "Igangsat", "Bestyrelse"),
        ("Igangsat", "Implementering", "Styregruppe"),
        ("Implementering", "Udfaset", "Styregruppe"),
    ];
    let wrong = P::new("N2", "Udfaset").steps(&steps).reason(4, "OEKONOMI", None).authoritative();
    let e = own_entries(&wrong);
    let d = e.iter().find(|e| e.agenda == Agenda::Beslutning).unwrap_or_else(|| panic!("{}", texts(&e)));
    assert!(all_text(d).contains("er et stop bestyrelsens beslutning"), "{}", all_text(d));
    // Near miss: the board stopped it, and the log has the stop on a meeting.
    let mut steps_ok = steps;
    steps_ok[4].2 = "Bestyrelse";
    let ok = P::new("N2", "Udfaset").steps(&steps_ok).reason(4, "OEKONOMI", None).authoritative();
    let e = own_entries(&ok);
    assert!(!e.iter().any(|e| e.agenda == Agenda::Beslutning), "{}", texts(&e));
}

#[test]
fn a_lowering_by_the_secretariat_alone_is_told_and_a_board_lowering_is_not() {
    let start = as_of() - chrono::Duration::days(400);
    let lowered = P::new("N1", "Koncept").authoritative().placed(start, "N2", Decider::Sekretariat).placed(
        as_of() - chrono::Duration::days(20),
        "N1",
        Decider::Sekretariat,
    );
    let e = own_entries(&lowered);
    let o = e.iter().find(|e| e.agenda == Agenda::Orientering).unwrap_or_else(|| panic!("{}", texts(&e)));
    assert!(all_text(o).contains("beslutningsloggen har ingen bestyrelsesbeslutning om niveauet"), "{}", all_text(o));
    // Near miss: the board lowered it on a meeting (the log has the level decision).
    let day = as_of() - chrono::Duration::days(20);
    let by_board =
        lowered.clone().meeting(day).log(day, Some(crate::model::choice::DecisionKind::Niveau), Some("N1"), None);
    let e = own_entries(&by_board);
    assert!(!e.iter().any(|e| all_text(e).contains("sænket")), "{}", texts(&e));
}

#[test]
fn a_level_below_goes_to_the_board_by_the_levels_board_role() {
    // N2: the board places it – a decision; N1: information; SB: not the board's at all.
    let below = |level: &str| P::new(level, "Implementering").answer("G3", Answer::Nej, None, None).authoritative();
    let e = own_entries(&below("N2"));
    assert!(e.iter().any(|e| e.agenda != Agenda::Orientering && all_text(e).contains("opfylder kun")), "{}", texts(&e));
    let e = own_entries(&below("N1"));
    assert!(!e.iter().any(|e| e.agenda != Agenda::Orientering), "{}", texts(&e));
    assert!(e.iter().any(|e| all_text(e).contains("opfylder")), "{}", texts(&e));
    let e = own_entries(&below("SB"));
    assert!(!e.iter().any(|e| all_text(e).contains("opfylder")), "{}", texts(&e));
}

/// A project at N2 with `n` budget changes decided by the steering group, each a change to
/// a different amount on a different day: `n` distinct points of one kind.
fn steering_group_changes(n: u32) -> P {
    P::new("N2", "Igangsat").with(|p| {
        let mut amount = 1_000_000.0;
        for i in 0..n {
            p.budget_changes.push(crate::model::project::BudgetChange {
                row: i + 2,
                date: Input::Given(as_of() - chrono::Duration::days(300 - i64::from(i))),
                from: Input::Given(amount),
                to: Input::Given(amount + 100_000.0),
                decided_by: Input::Given(Decider::Styregruppe),
                reference: None,
                reason: None,
            });
            amount += 100_000.0;
        }
        p.fields.budget.value = Input::Given(amount);
    })
}

#[test]
fn points_of_one_kind_are_capped_with_an_honest_count() {
    // 5,000 changes: five points, then one that counts the other 4,995.
    let r = report(vec![result(&steering_group_changes(5_000), "OS2x")]);
    let e = entries(&r);
    let e = entry(&e, "OS2x", Agenda::Beslutning).expect("a decision");
    let budget: Vec<&Text> = e.points.iter().filter(|p| p.da.starts_with("Budgettet blev ændret")).collect();
    assert_eq!(budget.len(), MAX_POINTS_PER_KIND, "{:#?}", e.points);
    let last = e.points.last().unwrap();
    assert_eq!(last.da, "… og 4995 punkter mere af samme slags.");
    assert_eq!(last.en, "… and 4995 more points of the same kind.");
    assert!(e.points.iter().all(|p| p.da.chars().count() <= crate::text::MESSAGE_CHARS));
    // Near miss: exactly the cap is listed whole, with no count.
    let r = report(vec![result(&steering_group_changes(MAX_POINTS_PER_KIND as u32), "OS2y")]);
    let e = entries(&r);
    let e = entry(&e, "OS2y", Agenda::Beslutning).expect("a decision");
    assert!(!e.points.iter().any(|p| p.da.contains("mere af samme slags")), "{:#?}", e.points);
    assert_eq!(e.points.iter().filter(|p| p.da.starts_with("Budgettet blev ændret")).count(), MAX_POINTS_PER_KIND);
}

#[test]
fn the_cost_of_the_agenda_grows_linearly_with_the_rows() {
    // 40,000 rows took 67 s when every finding was compared with every point; now the
    // work per row is constant. Measured as a ratio, so a slow machine does not fail it.
    let time = |n: u32| {
        let r = report(vec![result(&steering_group_changes(n), "OS2x")]);
        let start = std::time::Instant::now();
        let e = entries(&r);
        (start.elapsed(), e)
    };
    let (small, _) = time(2_000);
    let (large, e) = time(16_000);
    assert!(large < small * 24 + std::time::Duration::from_millis(200), "2,000 rows {small:?}, 16,000 rows {large:?}");
    assert!(e.iter().map(|e| e.points.len()).sum::<usize>() < 20);
}

#[test]
fn a_long_purpose_and_many_organisations_are_clipped_in_the_annex() {
    let p = P::new("N2", "Bestyrelsesbehandling").with(|p| {
        p.fields.purpose.value = Input::Given("å".repeat(32_767));
        p.fields.benefit.value = Input::Given(format!("Gevinst {}", "x".repeat(20_000)));
        let org = p.participants[0].clone();
        for i in 0..500 {
            let mut o = org.clone();
            o.organisation = Some(format!("Kommune {i}"));
            p.participants.push(o);
        }
    });
    let r = report(vec![result(&p, "OS2k")]);
    let a = concept::annex(&r, &r.projects[0]).expect("a concept at the board");
    let purpose = a.purpose.as_deref().unwrap();
    assert_eq!(purpose.chars().count(), crate::text::SHOWN_VALUE_CHARS);
    assert!(purpose.ends_with('…'));
    assert!(a.benefit.as_deref().unwrap().chars().count() <= crate::text::SHOWN_VALUE_CHARS);
    let orgs = a.organisations_text(Lang::Da);
    assert!(orgs.ends_with(&format!("og {} mere", a.organisations.len() - MAX_LISTED)), "{orgs}");
    assert_eq!(orgs.matches(", ").count(), MAX_LISTED, "{orgs}");
    // Near miss: a short purpose is shown whole.
    let p =
        P::new("N2", "Bestyrelsesbehandling").with(|p| p.fields.purpose.value = Input::Given("Kort formål.".into()));
    let r = report(vec![result(&p, "OS2k")]);
    assert_eq!(concept::annex(&r, &r.projects[0]).unwrap().purpose.as_deref(), Some("Kort formål."));
}

// ---- stable keys and the carry between runs (issue 20 item 5)

fn d(y: i32, m: u32, day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A project that went from Implementering to Produkt without a Historik step, and the
/// change the comparison with the previous run saw.
fn jumped() -> P {
    P::new("N1", "Produkt").previous("N1", "Implementering").with(|p| {
        p.history.pop();
        p.fields.phase.value = Input::Given(rules().key.product);
    })
}

fn jump_changes(project: &str) -> Vec<Change> {
    vec![
        Change {
            project: project.into(),
            kind: crate::check::changes::ChangeKind::PhaseChanged {
                from: "Implementering".into(),
                to: "Produkt".into(),
            },
        },
        Change {
            project: project.into(),
            kind: crate::check::changes::ChangeKind::LevelChanged { from: "N2".into(), to: "N1".into() },
        },
    ]
}

/// A run's report for `period` (as-of `as_of`, for `meeting`) that remembers `before`.
fn run_report(
    projects: Vec<ProjectResult>,
    period: &str,
    as_of: chrono::NaiveDate,
    meeting: chrono::NaiveDate,
    before: Option<&Report>,
) -> Report {
    let mut r = report(projects);
    r.period = period.into();
    r.as_of = as_of;
    r.carry = crate::model::board_items::Carry {
        active: true,
        meeting: Some(meeting),
        before: before.map(|b| crate::model::board_items::BoardFile {
            format: crate::model::board_items::FORMAT,
            period: b.period.clone(),
            as_of: b.as_of,
            meeting: b.carry.meeting,
            items: items(b),
        }),
    };
    r
}

fn keys(r: &Report) -> Vec<String> {
    let mut k: Vec<String> = items(r).into_iter().map(|i| i.key).collect();
    k.sort();
    k
}

#[test]
fn the_same_problems_get_the_same_keys_in_two_runs_and_different_problems_different_keys() {
    let over = |forecast: f64| {
        P::new("N1", "Implementering").answer("F7", Answer::Nej, None, None).with(|p| {
            p.status[0].forecast = Input::Given(forecast);
            p.status[0].economy = Input::Given(crate::model::choice::Rag::Roed);
        })
    };
    let first = report(vec![result(&over(1_500_000.0), "OS2a")]);
    let first_keys = keys(&first);
    assert!(!first_keys.is_empty());
    // Same input again: the same keys.
    assert_eq!(keys(&report(vec![result(&over(1_500_000.0), "OS2a")])), first_keys);
    // The same problem worded with another amount (and another run's date): still the same keys.
    let mut later = report(vec![result(&over(1_650_000.0), "OS2a")]);
    later.as_of = d(2026, 12, 20);
    later.period = "2026-12".into();
    assert_eq!(keys(&later), first_keys);
    // No key holds a date or an amount.
    assert!(first_keys.iter().all(|k| !k.contains("2026") && !k.contains("1500")), "{first_keys:?}");
    // Two different problems: different keys.
    let mut both = report(vec![result(&over(1_500_000.0), "OS2a"), result(&jumped(), "OS2b")]);
    both.changes = jump_changes("OS2b");
    let all = keys(&both);
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "{all:?}");
    assert!(all.iter().any(|k| k == "os2b/phase-unlogged:implementering>produkt"), "{all:?}");
    assert!(all.iter().any(|k| k == "os2b/level-changed:n2>n1"), "{all:?}");
}

#[test]
fn an_event_raised_in_october_stands_in_novembers_digest_for_the_same_meeting() {
    let meeting = d(2026, 12, 10);
    let mut oct = run_report(vec![result(&jumped(), "OS2b")], "2026-10", d(2026, 10, 22), meeting, None);
    oct.changes = jump_changes("OS2b");
    let oct_text = texts(&entries(&oct));
    assert!(oct_text.contains("Implementering til Produkt"), "{oct_text}");
    assert!(oct_text.contains("Niveauskift: N2 → N1"), "{oct_text}");
    assert!(!oct_text.contains("Står siden"), "first raised now: {oct_text}");
    // November: the comparison with October sees no change, but both still hold.
    let still = P::new("N1", "Produkt").with(|p| {
        p.history.pop();
        p.fields.phase.value = Input::Given(rules().key.product);
    });
    let nov = run_report(vec![result(&still, "OS2b")], "2026-11", d(2026, 11, 26), meeting, Some(&oct));
    let nov_text = texts(&entries(&nov));
    assert!(nov_text.contains("Implementering til Produkt"), "{nov_text}");
    assert!(nov_text.contains("Niveauskift: N2 → N1"), "{nov_text}");
    assert!(nov_text.contains("Står siden 2026-10."), "{nov_text}");
    assert!(!nov_text.contains("ventet"), "the meeting has not passed: {nov_text}");
    let nov_items = items(&nov);
    assert!(nov_items.iter().all(|i| i.first_period == "2026-10" || i.kind == ItemKind::State), "{nov_items:#?}");

    // January, for the next meeting: carried, with the meeting it waited.
    let jan = run_report(vec![result(&still, "OS2b")], "2027-01", d(2027, 1, 21), d(2027, 3, 11), Some(&nov));
    let jan_text = texts(&entries(&jan));
    assert!(jan_text.contains("Implementering til Produkt"), "{jan_text}");
    assert!(jan_text.contains("Udskudt fra mødet 10-12-2026; står siden 2026-10 og har ventet 1 møde."), "{jan_text}");
    let waited = items(&jan).iter().find(|i| i.key.ends_with("phase-unlogged:implementering>produkt")).cloned();
    assert_eq!(waited.map(|i| i.meetings_waited), Some(1));

    // Near miss: the Historik step added in November resolves the unlogged change.
    let recorded = P::new("N1", "Produkt").steps(&[
        ("Idé", "Koncept", "Sekretariat"),
        ("Koncept", "Igangsat", "Bestyrelse"),
        ("Igangsat", "Implementering", "Styregruppe"),
        ("Implementering", "Produkt", "Styregruppe"),
    ]);
    let fixed = run_report(vec![result(&recorded, "OS2b")], "2026-11", d(2026, 11, 26), meeting, Some(&oct));
    let fixed_text = texts(&entries(&fixed));
    assert!(!fixed_text.contains("uden at skiftet"), "{fixed_text}");
    // …while the level change (still N1) stands.
    assert!(fixed_text.contains("Niveauskift: N2 → N1"), "{fixed_text}");

    // Near miss: the level back at N2 resolves the level change.
    let back = P::new("N2", "Produkt").with(|p| {
        p.history.pop();
        p.fields.phase.value = Input::Given(rules().key.product);
    });
    let back_text =
        texts(&entries(&run_report(vec![result(&back, "OS2b")], "2026-11", d(2026, 11, 26), meeting, Some(&oct))));
    assert!(!back_text.contains("Niveauskift"), "{back_text}");
}

#[test]
fn a_decision_in_the_log_ends_the_item_and_nothing_is_carried() {
    let meeting = d(2026, 12, 10);
    let mut oct = run_report(vec![result(&jumped(), "OS2b")], "2026-10", d(2026, 10, 22), meeting, None);
    oct.changes = jump_changes("OS2b");
    let still = P::new("N1", "Produkt").with(|p| {
        p.history.pop();
        p.fields.phase.value = Input::Given(rules().key.product);
    });
    let nov = run_report(vec![result(&still, "OS2b")], "2026-11", d(2026, 11, 26), meeting, Some(&oct));
    // The board decided about OS2b at the meeting of 10-12-2026.
    let mut jan = run_report(vec![result(&still, "OS2b")], "2027-01", d(2027, 1, 21), d(2027, 3, 11), Some(&nov));
    let decided =
        still.clone().with(|p| p.fields.id.value = Input::Given("OS2b".into())).log(meeting, None, None, None);
    jan.rules = Arc::new(decided.rules().clone());
    let text = texts(&entries(&jan));
    assert!(!text.contains("Udskudt"), "{text}");
    assert!(!text.contains("Implementering til Produkt"), "{text}");
    assert!(!text.contains("Niveauskift"), "{text}");
}

#[test]
fn a_standing_item_goes_when_the_data_resolves_it_and_stays_while_the_projektark_is_missing() {
    let meeting = d(2026, 12, 10);
    let red = P::new("N1", "Implementering").with(|p| {
        p.status[0].economy = Input::Given(crate::model::choice::Rag::Roed);
        p.status[0].date = Input::Given(d(2026, 10, 1));
    });
    let oct = run_report(vec![result(&red, "OS2r")], "2026-10", d(2026, 10, 22), meeting, None);
    assert!(texts(&entries(&oct)).contains("Melder rød økonomi"));
    // Checked again, green: resolved.
    let green = P::new("N1", "Implementering");
    let nov = run_report(vec![result(&green, "OS2r")], "2026-11", d(2026, 11, 26), meeting, Some(&oct));
    assert!(!texts(&entries(&nov)).contains("rød økonomi"), "{}", texts(&entries(&nov)));
    // Not sent in: the item stands, said so.
    let mut missing = run_report(vec![], "2026-11", d(2026, 11, 26), meeting, Some(&oct));
    missing.not_submitted = vec![crate::check::report::NotSubmitted {
        key: "OS2r".into(),
        name: Some("Rødt".into()),
        lead: None,
        lead_email: None,
        last_period: Some("2026-10".into()),
        finding: Finding::new(Code::InputNotSubmitted, crate::model::finding::Location::none(), Text::default()),
    }];
    let text = texts(&entries(&missing));
    assert!(text.contains("Melder rød økonomi"), "{text}");
    assert!(text.contains("Projektarket er ikke indsendt til 2026-11"), "{text}");
}

#[test]
fn outside_the_monthly_run_nothing_is_marked() {
    let meeting = d(2026, 12, 10);
    let mut oct = run_report(vec![result(&jumped(), "OS2b")], "2026-10", d(2026, 10, 22), meeting, None);
    oct.changes = jump_changes("OS2b");
    let mut nov = run_report(vec![result(&jumped(), "OS2b")], "2026-11", d(2026, 11, 26), meeting, Some(&oct));
    nov.carry.active = false;
    let text = texts(&entries(&nov));
    assert!(!text.contains("Står siden") && !text.contains("Niveauskift"), "{text}");
}

#[test]
fn never_reporting_reaches_the_board_like_an_old_report() {
    let shift = |p: &mut crate::model::project::Project| crate::check::testkit::move_history(p, 500);
    let never = P::new("N1", "Implementering").with(|p| {
        p.status.clear();
        shift(p);
    });
    let product = P::new("N2", "Produkt").with(|p| {
        p.operations.clear();
        shift(p);
    });
    let r = report(vec![result(&never, "OS2tavs"), result(&product, "OS2drift")]);
    let e = entries(&r);
    let talk = entry(&e, "OS2tavs", Agenda::Droeftelse).expect("for discussion");
    assert!(all_text(talk).contains("Har aldrig afgivet statusrapport, igangsat"), "{}", all_text(talk));
    let drift = entry(&e, "OS2drift", Agenda::Droeftelse).expect("for discussion");
    assert!(all_text(drift).contains("aldrig rapporteret en målt oppetid"), "{}", all_text(drift));
    // Near miss: started recently, no report yet – a warning for the lead, not the board's.
    let recent = P::new("N1", "Implementering").with(|p| {
        p.status.clear();
        crate::check::testkit::move_history(p, -200);
    });
    let e = entries(&report(vec![result(&recent, "OS2ny")]));
    assert!(!texts(&e).contains("aldrig afgivet"), "{}", texts(&e));
}

#[test]
fn a_standing_problem_the_board_dealt_with_is_raised_afresh_and_said_so() {
    let meeting = d(2026, 12, 10);
    let red = P::new("N1", "Implementering").with(|p| {
        p.status[0].economy = Input::Given(crate::model::choice::Rag::Roed);
        p.status[0].date = Input::Given(d(2026, 10, 1));
    });
    let oct = run_report(vec![result(&red, "OS2r")], "2026-10", d(2026, 10, 22), meeting, None);
    let mut jan = run_report(vec![result(&red, "OS2r")], "2027-01", d(2027, 1, 21), d(2027, 3, 11), Some(&oct));
    let decided = red.clone().with(|p| p.fields.id.value = Input::Given("OS2r".into())).log(meeting, None, None, None);
    jan.rules = Arc::new(decided.rules().clone());
    let text = texts(&entries(&jan));
    assert!(
        text.contains("Melder rød økonomi (01-10-2026). Behandlet af bestyrelsen 10-12-2026 – står stadig."),
        "{text}"
    );
    assert!(!text.contains("Udskudt"), "{text}");
    assert!(items(&jan).iter().all(|i| i.first_period == "2027-01"));
    // Near miss: not decided – carried instead.
    let jan = run_report(vec![result(&red, "OS2r")], "2027-01", d(2027, 1, 21), d(2027, 3, 11), Some(&oct));
    let text = texts(&entries(&jan));
    assert!(text.contains("Udskudt fra mødet 10-12-2026") && !text.contains("Behandlet"), "{text}");
}

#[test]
fn an_overrun_tells_the_board_the_amount_it_approved_not_a_budget_raised_alone() {
    use crate::model::project::{BudgetChange, Project};
    // N2, log authoritative: the board approved 2,2 mio.; the lead raised Budget to 3,0 with
    // "Bestyrelse" as decider, which the log lacks; the forecast is 3,0.
    let raised = |p: &mut Project| {
        p.fields.budget_baseline.value = Input::Given(2_200_000.0);
        p.fields.budget.value = Input::Given(3_000_000.0);
        p.budget_changes = vec![BudgetChange {
            row: 1,
            date: Input::Given(as_of() - chrono::Duration::days(40)),
            from: Input::Given(2_200_000.0),
            to: Input::Given(3_000_000.0),
            decided_by: Input::Given(Decider::Bestyrelse),
            reference: Some("Referat".into()),
            reason: Some("Større omfang".into()),
        }];
        p.status[0].forecast = Input::Given(3_000_000.0);
    };
    let p = P::new("N2", "Implementering").authoritative().with(raised);
    let text = entries_of(&p);
    assert!(text.contains("mod det godkendte budget på 2,2 mio. kr. (+36 %)"), "{text}");
    // Near miss: with the board's raise in the log, 3,0 is what it approved – no overrun.
    let logged =
        P::new("N2", "Implementering").authoritative().with(raised).meeting(as_of() - chrono::Duration::days(40)).log(
            as_of() - chrono::Duration::days(40),
            Some(crate::model::choice::DecisionKind::Budget),
            None,
            Some(3_000_000.0),
        );
    let text = entries_of(&logged);
    assert!(!text.contains("Forventer at bruge"), "{text}");
}

/// The board's text about `p`, checked with its own styringsmodel (log, calendar).
fn entries_of(p: &P) -> String {
    let id = p.project.id().unwrap_or("OS2test").to_string();
    let r = report_of(p.rules(), vec![result_with(p, &id, p.rules())]);
    entries(&r).iter().filter(|e| e.project == id).map(all_text).collect::<Vec<_>>().join(" ")
}

#[test]
fn growth_is_told_from_the_baseline_the_rules_accepted_not_one_rewritten_up_to_the_budget() {
    use crate::model::history::ProjectState;
    // Earlier periods showed 'Budget ved godkendelse' 2,0 mio.; the lead rewrote it to the
    // grown 2,6 mio. (Budget 2,6). The rules keep 2,0, and so must the board's text.
    let rewritten = |baseline: f64| {
        P::new("N1", "Igangsat")
            .with(move |p| {
                p.fields.budget_baseline.value = Input::Given(baseline);
                p.fields.budget.value = Input::Given(2_600_000.0);
            })
            .previous_with(|prev| {
                prev.history = Some(Box::new(ProjectState {
                    first_seen: "2026-09".into(),
                    last_seen: "2026-10".into(),
                    baseline: Some(2_000_000.0),
                    ..ProjectState::default()
                }))
            })
    };
    let text = entries_of(&rewritten(2_600_000.0));
    assert!(text.contains("vokset fra 2,0 mio. kr. ved godkendelsen til 2,6 mio. kr. (+30 %)"), "{text}");
    // Near miss: the baseline as reported before – the same growth, the same words.
    let text = entries_of(&rewritten(2_000_000.0));
    assert!(text.contains("vokset fra 2,0 mio. kr. ved godkendelsen til 2,6 mio. kr. (+30 %)"), "{text}");
}

#[test]
fn a_stale_report_deleted_since_is_dated_for_the_board() {
    use crate::model::history::{ProjectState, Seen, StatusRow};
    // An earlier period counted a report 400 days old (past the critical age: a board item);
    // the lead has since cleared the sheet.
    let mut earlier = P::new("N1", "Implementering");
    earlier.project.status[0].date = Input::Given(as_of() - chrono::Duration::days(400));
    let seen = |row: StatusRow| Seen {
        row,
        first_seen: "2026-06".into(),
        counted_from: Some("2026-06".into()),
        changed_in: None,
        removed_in: None,
    };
    let h = ProjectState {
        status: StatusRow::of(&earlier.project).into_iter().map(|(r, _)| seen(r)).collect(),
        ..ProjectState::default()
    };
    let p = P::new("N1", "Implementering")
        .with(|p| p.status.clear())
        .previous_with(move |prev| prev.history = Some(Box::new(h)));
    let d = crate::model::value::format_date(as_of() - chrono::Duration::days(400));
    let text = entries_of(&p);
    assert!(text.contains(&format!("Har ikke afgivet statusrapport siden {d}.")), "{text}");
}
