//! The findings JSON – the machine-readable result, and what the next run
//! compares against (read back by [`crate::check::previous::read_previous`]). Level and
//! finding codes appear exactly as in the styringsmodel and the finding-code table.

use crate::check::changes::level_code;
use crate::check::report::Report;
use crate::check::result::ProjectResult;
use crate::model::finding::Finding;
use crate::text::Lang;
use serde::Serialize;
use serde_json::{Map, Value, json};

/// The findings JSON's file name for a period.
pub fn file_name(period: &str) -> String {
    format!("fund-{period}.json")
}

fn finding_json(f: &Finding, project: Option<&str>, file: Option<&str>, lang: Lang) -> Value {
    json!({
        "code": f.code.as_str(),
        "severity": f.severity.code(),
        "project": project,
        "file": file,
        "sheet": f.location.sheet,
        "cell": f.location.cell.map(|c| c.to_string()),
        "requirement": f.requirement,
        "message": f.message.get(lang),
    })
}

fn counts<T: Serialize>(c: &T) -> Value {
    serde_json::to_value(c).unwrap_or(Value::Null)
}

fn project_json(report: &Report, p: &ProjectResult, lang: Lang) -> Value {
    let rules = &report.rules;
    let mut lights = crate::check::assess::LightCounts::default();
    let mut by_level = Map::new();
    for (i, level) in rules.levels.iter().enumerate() {
        let c = &p.assessment.by_level[i];
        lights.merge(c);
        by_level.insert(level.code.clone(), counts(c));
    }
    let ids = |idx: &[usize]| idx.iter().map(|i| rules.requirements[*i].id.clone()).collect::<Vec<_>>();
    let key = p.key();
    let (listed, omitted) = p.listed();
    json!({
        "id": p.project.id(),
        "name": p.project.fields.name.given().map(|_| p.name()),
        "file": p.file,
        "declared_level": p.project.fields.level.given().map(|l| rules.level(*l).code.clone()),
        "attained_level": level_code(rules, p.assessment.attained),
        "in_force_level": level_code(rules, p.assessment.process.level_now(report.as_of)),
        "attained_for_phase": p.assessment.attained_for_phase.map(|ph| rules.phase(ph).name.clone()),
        "judged_by_phase": p.assessment.process.effective.map(|ph| rules.phase(ph).name.clone()),
        "phase": p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.clone()),
        "lights": counts(&lights),
        "lights_by_level": by_level,
        "next_level": p.assessment.next_level.map(|l| rules.level(l).code.clone()),
        "economy": economy_json(p, report.as_of),
        "lead": {
            "name": p.project.fields.lead.given(),
            "email": p.project.fields.lead_email.given(),
        },
        "next_level_gap": ids(&p.assessment.next_gap),
        "assessments": assessments_json(report, p),
        "blocking": ids(&p.assessment.blocking),
        "findings": listed.iter().map(|f| finding_json(f, Some(&key), Some(&p.file), lang)).collect::<Vec<_>>(),
        "findings_omitted": omitted,
    })
}

/// The secretariat's assessments this run applied, from its register: per requirement
/// the register row, its light and grounds, and the fingerprint of the answer it applied
/// to (the next run tells from it when a hand-typed row goes out of date). `carried` is
/// kept, always false, for readers of the older format (which carried assessments
/// forward from this file).
fn assessments_json(report: &Report, p: &ProjectResult) -> Value {
    let rules = &report.rules;
    let mut out = Vec::new();
    for row in &p.project.requirements {
        let Some(i) = row.requirement else { continue };
        let (Some(a), Some(answer)) = (&p.assessment.applied[i], crate::check::assess::answer_fingerprint(row)) else {
            continue;
        };
        out.push(json!({
            "requirement": rules.requirements[i].id,
            "vurdering": a.light.map(|l| l.da()),
            "grundlag": a.basis.as_deref().map(|r| crate::text::clip(r, crate::text::SHOWN_VALUE_CHARS)),
            "answer": answer,
            "since": a.date.map(|d| d.format("%Y-%m").to_string()).unwrap_or_else(|| report.period.clone()),
            "register_row": a.row,
            "carried": false,
        }));
    }
    Value::Array(out)
}

/// The budget, spending and forecast the next run compares with, and since when an
/// overrun or red economy has stood.
fn economy_json(p: &ProjectResult, as_of: chrono::NaiveDate) -> Value {
    let e = crate::check::economy::Summary::of(&p.project, as_of);
    json!({
        "baseline": e.baseline,
        "budget": e.budget,
        "spent": e.spent,
        "forecast": e.forecast,
        "forecast_series": e.forecasts,
        "problem_since": p.assessment.economy_since,
    })
}

/// The findings JSON, pretty-printed.
pub fn render(report: &Report, lang: Lang) -> String {
    let doc = &report.rules.document;
    let value = json!({
        "tool": "os2gov",
        "version": env!("CARGO_PKG_VERSION"),
        "styringsmodel": {
            "version": doc.version,
            "revisionsdato": doc.revision_date.map(|d| d.to_string()),
            "findings": report.model_findings.iter().map(|f| finding_json(f, None, None, lang)).collect::<Vec<_>>(),
        },
        "as_of": report.as_of.to_string(),
        "period": report.period,
        "language": lang.code(),
        "previous_period": report.previous_period,
        "summary": counts(&report.summary()),
        "projects": report.projects.iter().map(|p| project_json(report, p, lang)).collect::<Vec<_>>(),
        "unreadable": report.unreadable.iter().map(|u| finding_json(&u.finding, None, Some(&u.file), lang)).collect::<Vec<_>>(),
        "skipped": report
            .skipped
            .iter()
            .map(|s| json!({"file": s.file, "reason": "blank_template"}))
            .chain(report.left_out.named.iter().map(|l| json!({"file": l.file, "reason": l.reason.code()})))
            .collect::<Vec<_>>(),
        "skipped_more": report.left_out.more,
        "set_aside": report.set_aside.iter().map(|s| json!({"file": s.file, "project": s.key, "current": s.current})).collect::<Vec<_>>(),
        "not_submitted": report.not_submitted.iter().map(|n| {
            let mut f = finding_json(&n.finding, Some(&n.key), None, lang);
            if let Some(o) = f.as_object_mut() {
                o.insert("last_period".into(), json!(n.last_period));
                o.insert("lead".into(), json!({"name": n.lead, "email": n.lead_email}));
            }
            f
        }).collect::<Vec<_>>(),
        "changes": report.changes,
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_string());
    out.push('\n');
    out
}
