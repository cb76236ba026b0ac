//! What the previous run said, by Projekt-ID: read back from its findings JSON
//! ([`read_previous`], tolerantly: unknown fields ignored) so this run can tell what
//! changed and follow problems up. Pure.

use serde_json::Value;
use std::collections::HashMap;

/// What the previous run said about a project (from its findings JSON).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PreviousProject {
    pub declared_level: Option<String>,
    pub attained_level: Option<String>,
    /// The level in force then (the register and the log, else the declared level); older
    /// findings files lack it.
    pub in_force_level: Option<String>,
    pub phase: Option<String>,
    /// (code, requirement, sheet!cell) of each finding, to tell new from resolved ones.
    pub findings: Vec<(String, Option<String>, String)>,
    /// The run's period (YYYY-MM).
    pub period: Option<String>,
    /// The current budget then, to notice a change nobody logged.
    pub budget: Option<f64>,
    /// The period since which an overrun or red economy had stood then, if one stood.
    pub economy_since: Option<String>,
    /// Name and lead, to remind the lead when the projektark is not sent in again.
    pub name: Option<String>,
    pub lead: Option<String>,
    pub lead_email: Option<String>,
    /// The secretariat's Vurdering per requirement the previous run applied, with what the
    /// answer was. Read only to create the register (its migration, design §1.6): nothing
    /// is carried forward from a findings JSON any more.
    pub assessments: Vec<EarlierAssessment>,
    /// The register rows the previous run applied, and to which answer: a row typed by
    /// hand (without Svar-id) applies to the answer standing when it was first applied,
    /// and goes out of date when that answer changes.
    pub applied: Vec<AppliedBefore>,
}

/// A register row the previous run applied.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedBefore {
    pub requirement: String,
    pub register_row: u32,
    pub light: crate::model::choice::Light,
    /// The fingerprint of the answer it was applied to.
    pub answer: String,
}

/// A Vurdering the previous run applied to a requirement.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlierAssessment {
    /// The requirement's ID.
    pub requirement: String,
    pub light: crate::model::choice::Light,
    pub rationale: Option<String>,
    /// [`assess::answer_fingerprint`] of the answer it was given on.
    pub answer: String,
    /// The period in which the secretariat wrote it.
    pub since: Option<String>,
}

/// The previous run, by Projekt-ID.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Previous {
    pub period: Option<String>,
    pub projects: HashMap<String, PreviousProject>,
}

/// Reads a previous run's findings JSON. `Err` says what is wrong with it.
pub fn read_previous(text: &str) -> Result<Previous, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let projects = value.get("projects").and_then(Value::as_array).ok_or("the field 'projects' is missing")?;
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let mut out = Previous { period: s(&value, "period"), ..Previous::default() };
    for p in projects {
        let Some(key) = s(p, "id").or_else(|| {
            s(p, "file")
                .map(|f| std::path::Path::new(&f).file_stem().map(|x| x.to_string_lossy().into_owned()).unwrap_or(f))
        }) else {
            continue;
        };
        let findings = p
            .get("findings")
            .and_then(Value::as_array)
            .map(|fs| {
                fs.iter()
                    .filter_map(|f| {
                        let code = s(f, "code")?;
                        let cell = match (s(f, "sheet"), s(f, "cell")) {
                            (Some(sh), Some(c)) => format!("{sh}!{c}"),
                            (Some(sh), None) => sh,
                            (None, Some(c)) => c,
                            (None, None) => String::new(),
                        };
                        Some((code, s(f, "requirement"), cell))
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.projects.insert(
            key,
            PreviousProject {
                declared_level: s(p, "declared_level"),
                attained_level: s(p, "attained_level"),
                in_force_level: s(p, "in_force_level"),
                phase: s(p, "phase"),
                findings,
                period: out.period.clone(),
                budget: p.pointer("/economy/budget").and_then(Value::as_f64),
                economy_since: p.pointer("/economy/problem_since").and_then(Value::as_str).map(str::to_string),
                name: s(p, "name"),
                lead: p.pointer("/lead/name").and_then(Value::as_str).map(str::to_string),
                lead_email: p.pointer("/lead/email").and_then(Value::as_str).map(str::to_string),
                assessments: p
                    .get("assessments")
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .filter_map(|a| {
                                Some(EarlierAssessment {
                                    requirement: s(a, "requirement")?,
                                    light: crate::model::choice::Light::parse(&s(a, "vurdering")?)?,
                                    rationale: s(a, "grundlag"),
                                    answer: s(a, "answer")?,
                                    since: s(a, "since"),
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                applied: p
                    .get("assessments")
                    .and_then(Value::as_array)
                    .map(|list| {
                        list.iter()
                            .filter_map(|a| {
                                Some(AppliedBefore {
                                    requirement: s(a, "requirement")?,
                                    register_row: a.get("register_row").and_then(Value::as_u64)? as u32,
                                    light: crate::model::choice::Light::parse(&s(a, "vurdering")?)?,
                                    answer: s(a, "answer")?,
                                })
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            },
        );
    }
    Ok(out)
}
