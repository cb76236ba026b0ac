//! All checks on one project, in order: the lights and levels first, then every family
//! of rules, the economy's follow-up last.

use crate::check::assess::Assessment;
use crate::check::context::Context;
use crate::check::{assess, data, decisions, economy, level, phase, product, requirements, status};
use crate::model::finding::Finding;
use crate::model::project::Project;

/// Runs every check on one project. `Assessment` holds the lights and levels; the
/// findings come in no particular order (sort them for people with
/// [`crate::model::finding::sort_for_reading`]).
pub fn check_project(ctx: &Context<'_>, project: &Project) -> (Assessment, Vec<Finding>) {
    let recorded = assess::Recorded {
        register: ctx.register,
        applied_before: ctx.previous.map(|p| p.applied.as_slice()).unwrap_or_default(),
    };
    let process = crate::check::process::Process::read_in(ctx, project);
    let mut assessment = assess::assess_with(ctx.rules, project, process, &recorded);
    let mut findings = Vec::new();
    requirements::check(ctx, project, &assessment, &mut findings);
    level::check(ctx, project, &assessment, &mut findings);
    phase::check(ctx, project, &assessment.process, &mut findings);
    assessment.newest_status = status::check(ctx, project, &assessment.process, &mut findings);
    let judged = economy::check(ctx, project, &assessment.process, &mut findings);
    (assessment.approved_budget, assessment.accepted_baseline) = (judged.approved, judged.baseline);
    product::check(ctx, project, &assessment.process, &mut findings);
    data::check(ctx, project, &mut findings);
    decisions::check(ctx, project, &assessment.process, &mut findings);
    // Last: it looks at what the other checks found about the economy.
    assessment.economy_since = economy::follow_up(ctx, project, &assessment.process, &mut findings);
    (assessment, findings)
}
