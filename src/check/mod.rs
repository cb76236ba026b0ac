//! The checks: pure functions of (styringsmodel, project, previous run, as-of date) that
//! return an [`Assessment`] and [`Finding`]s. No I/O and no clock: `as_of` is passed in.
//! One file per family of rules.

pub mod assess;
pub mod changes;
pub mod context;
pub mod crosscheck;
pub mod data;
pub mod decisions;
pub mod economy;
pub mod history;
pub mod level;
pub mod level_course;
pub mod phase;
pub mod portfolio;
pub mod previous;
pub mod process;
pub mod product;
pub mod project;
pub mod records;
pub mod register;
pub mod report;
pub mod requirements;
pub mod result;
pub mod secretariat;
pub mod status;

#[cfg(any(test, feature = "test-support"))]
pub mod fixtures;
#[cfg(test)]
pub mod testkit;
