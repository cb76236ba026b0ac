//! os2gov checks OS2 projects against the governance model (styringsmodel).
//!
//! The pipeline: **load** the styringsmodel ([`rules`]) and every intake workbook
//! ([`load`]) into typed data ([`model`]); **check** each project with pure functions of
//! (rules, project, previous run, as-of date) that return [`finding`]s; then write what
//! people read. Only `load` and the sinks touch the outside world.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod annotate;
pub mod batch;
pub mod board;
pub mod check;
pub mod cli;
pub mod commands;
pub mod error;
pub mod finding;
pub mod fixtures;
pub mod fsutil;
pub mod layout;
pub mod load;
pub mod model;
pub mod panic_guard;
pub mod report;
pub mod rules;
pub mod settings;
pub mod template;
pub mod text;
pub mod xlsx;
pub mod digest;
pub mod deliver;
pub mod fault;
pub mod workdir;
