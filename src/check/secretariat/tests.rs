use super::*;
use crate::check::testkit::{P, rules};
use crate::model::choice::{Answer, Light};
use crate::model::project::Input;

fn report(p: &P) -> Report {
    p.report()
}

fn waiting() -> P {
    P::new("N2", "Igangsat")
        .answer("F12", Answer::Nej, None, Some("To versioner i overgangen"))
        .vurdering("G6", Light::Groen)
        .with(|p| p.fields.level_placed.value = Input::Blank)
}

#[test]
fn pending_rows_for_what_waits_and_none_twice() {
    let r = report(&waiting());
    let rows = pending_rows(&r);
    let got: Vec<(&str, &str, Option<&str>)> = rows
        .assessments
        .iter()
        .map(|a| (a.project.as_str(), a.requirement_id.as_str(), a.answer_id.as_deref()))
        .collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!((got[0].0, got[0].1), ("OS2test", "F12"));
    assert_eq!(got[1].1, "G6");
    assert_eq!(rows.assessments[0].answer, "Nej – To versioner i overgangen");
    assert_eq!(rows.assessments[0].source, "ventende (os2gov 2026-11)");
    assert!(
        rows.assessments.iter().all(|a| a.light.is_none() && a.answer_id.as_deref().is_some_and(|i| i.len() == 16))
    );
    assert_eq!(rows.placements.len(), 1);
    assert_eq!(rows.placements[0].note, "projektarket siger N2; placeret af OS2-sekretariatet");
    // A pending row already there (same answer) is not added again; nor a placement row.
    let mut p = waiting();
    let f12 = rules().find_requirement("F12").unwrap();
    let fingerprint = crate::check::assess::answer_fingerprint(crate::check::assess::row_for(&p.project, f12).unwrap());
    p.register.assessments.push(crate::model::register::RecordedAssessment {
        row: 2,
        project: "os2TEST".into(),
        requirement: f12,
        requirement_id: "F12".into(),
        light: None,
        basis: None,
        date: None,
        by: None,
        answer: None,
        answer_id: fingerprint,
        source: None,
    });
    p.register.placements.push(crate::model::register::Placement {
        row: 2,
        date: None,
        project: "OS2test".into(),
        level: None,
        by: None,
        reference: None,
        note: None,
        source: None,
    });
    let rows = pending_rows(&report(&p));
    assert_eq!(rows.assessments.iter().map(|a| a.requirement_id.as_str()).collect::<Vec<_>>(), ["G6"]);
    assert!(rows.placements.is_empty());
    // Near miss: the secretariat assessed F12 – nothing waits for it.
    let assessed = waiting().recorded("F12", Light::Gul, None);
    let rows = pending_rows(&report(&assessed));
    assert!(!rows.assessments.iter().any(|a| a.requirement_id == "F12"));
}

#[test]
fn tasks_say_what_for_which_project_and_by_when() {
    let r = report(&waiting());
    let tasks = tasks(&r);
    let (deadline, meeting) = material_deadline(&r.rules, r.as_of).unwrap();
    assert_eq!(meeting - deadline, chrono::Duration::days(r.rules.params.material_days_before));
    let f12 = tasks.iter().find(|t| t.requirement.as_deref() == Some("F12")).unwrap();
    assert_eq!(
        (f12.code, f12.deadline, f12.project.as_deref()),
        (Code::KravSkalExplained, Some(deadline), Some("OS2test"))
    );
    assert!(
        f12.what.da.starts_with("Vurdér F12 (Der findes kun én version af kernekoden) for OS2test i registeret"),
        "{}",
        f12.what.da
    );
    assert!(tasks.iter().any(|t| t.code == Code::KravAssessmentNotRecorded));
    assert!(tasks.iter().any(|t| t.code == Code::LevelNotPlaced));
    // The lead's lines: F12 waits (with the deadline); G6 does not (it is not red).
    let lines = waiting_lines(&r, &r.projects[0]);
    let d = crate::model::value::format_date(deadline);
    assert_eq!(
        lines.iter().map(|l| l.da.clone()).collect::<Vec<_>>(),
        [format!("F12: jeres forklaring venter på sekretariatets vurdering (senest {d})")]
    );
    // Near miss: once assessed, no task and no line.
    let r = report(&waiting().recorded("F12", Light::Gul, None));
    assert!(!tasks_of(&r).contains(&Code::KravSkalExplained));
    assert!(waiting_lines(&r, &r.projects[0]).is_empty());
}

fn tasks_of(r: &Report) -> Vec<Code> {
    tasks(r).iter().map(|t| t.code).collect()
}
