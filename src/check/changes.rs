//! What changed since the previous run: projects that appeared or went, declared level,
//! attained level and phase changes, and findings that are new or resolved. Pure.

use crate::check::previous::Previous;
use crate::check::result::ProjectResult;
use crate::model::finding::Finding;
use crate::model::rules::Rules;
use crate::text::Text;
use crate::text::t;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ChangeKind {
    NewProject,
    GoneProject,
    LevelChanged { from: String, to: String },
    AttainedLevelChanged { from: String, to: String },
    PhaseChanged { from: String, to: String },
    NewFinding { code: String, requirement: Option<String>, cell: String },
    ResolvedFinding { code: String, requirement: Option<String>, cell: String },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub project: String,
    #[serde(flatten)]
    pub kind: ChangeKind,
}

impl Change {
    /// One line for people.
    pub fn describe(&self) -> Text {
        let p = &self.project;
        match &self.kind {
            ChangeKind::NewProject => t!("{p}: nyt projekt", "{p}: new project"),
            ChangeKind::GoneProject => t!("{p}: ikke indsendt denne gang", "{p}: not submitted this time"),
            ChangeKind::LevelChanged { from, to } => {
                t!("{p}: niveau {from} → {to}", "{p}: level {from} → {to}")
            }
            ChangeKind::AttainedLevelChanged { from, to } => {
                // "ingen" is the data value for no level (as in the findings JSON).
                let en = |l: &str| if crate::text::fold(l) == "ingen" { "none".to_string() } else { l.to_string() };
                let (from_en, to_en) = (en(from), en(to));
                t!("{p}: opnået niveau {from} → {to}", "{p}: attained level {from_en} → {to_en}")
            }
            ChangeKind::PhaseChanged { from, to } => {
                t!("{p}: fase {from} → {to}", "{p}: phase {from} → {to}")
            }
            ChangeKind::NewFinding { code, requirement, cell } => {
                let r = requirement.as_deref().map(|r| format!(" {r}")).unwrap_or_default();
                t!("{p}: nyt fund {code}{r} ({cell})", "{p}: new finding {code}{r} ({cell})")
            }
            ChangeKind::ResolvedFinding { code, requirement, cell } => {
                let r = requirement.as_deref().map(|r| format!(" {r}")).unwrap_or_default();
                t!("{p}: løst {code}{r} ({cell})", "{p}: resolved {code}{r} ({cell})")
            }
        }
    }
}

/// The identity of a finding across runs: code, requirement and place.
pub fn finding_key(f: &Finding) -> (String, Option<String>, String) {
    (f.code.as_str().to_string(), f.requirement.clone(), f.location.a1())
}

/// `"ingen"` for no level, else the level code.
pub fn level_code(rules: &Rules, level: Option<crate::model::rules::LevelId>) -> String {
    level.map(|l| rules.level(l).code.clone()).unwrap_or_else(|| "ingen".to_string())
}

pub fn compute(rules: &Rules, previous: &Previous, projects: &[ProjectResult]) -> Vec<Change> {
    let mut out = Vec::new();
    let fold = crate::text::fold;
    for p in projects {
        let key = p.key();
        let Some(prev) = previous.projects.get(&key) else {
            out.push(Change { project: key, kind: ChangeKind::NewProject });
            continue;
        };
        let push = |out: &mut Vec<Change>, kind| out.push(Change { project: key.clone(), kind });
        let level = p.project.fields.level.given().map(|l| rules.level(*l).code.clone());
        if let (Some(from), Some(to)) = (&prev.declared_level, &level)
            && fold(from) != fold(to)
        {
            push(&mut out, ChangeKind::LevelChanged { from: from.clone(), to: to.clone() });
        }
        let attained = level_code(rules, p.assessment.attained);
        if let Some(from) = &prev.attained_level
            && fold(from) != fold(&attained)
        {
            push(&mut out, ChangeKind::AttainedLevelChanged { from: from.clone(), to: attained });
        }
        let phase = p.project.fields.phase.given().map(|ph| rules.phase(*ph).name.clone());
        if let (Some(from), Some(to)) = (&prev.phase, &phase)
            && fold(from) != fold(to)
        {
            push(&mut out, ChangeKind::PhaseChanged { from: from.clone(), to: to.clone() });
        }
        // The listed findings only: the previous JSON lists no more (and the comparison
        // stays small).
        let now: Vec<_> = p.listed().0.iter().map(finding_key).collect();
        let then: std::collections::HashSet<_> = prev.findings.iter().collect();
        let now_set: std::collections::HashSet<_> = now.iter().collect();
        for key_now in &now {
            if !then.contains(key_now) {
                let (code, requirement, cell) = key_now.clone();
                push(&mut out, ChangeKind::NewFinding { code, requirement, cell });
            }
        }
        for key_then in &prev.findings {
            if !now_set.contains(key_then) {
                let (code, requirement, cell) = key_then.clone();
                push(&mut out, ChangeKind::ResolvedFinding { code, requirement, cell });
            }
        }
    }
    let present: std::collections::HashSet<String> = projects.iter().map(|p| p.key()).collect();
    // From the history every project ever seen is known: one closed before the previous
    // period is not "gone" again each month.
    let mut gone: Vec<&String> = previous
        .projects
        .iter()
        .filter(|(k, p)| !present.contains(*k) && (!p.closed || p.period == previous.period))
        .map(|(k, _)| k)
        .collect();
    gone.sort();
    for key in gone {
        out.push(Change { project: key.clone(), kind: ChangeKind::GoneProject });
    }
    out
}
