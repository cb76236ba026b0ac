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
pub mod deliver;
pub mod digest;
pub mod error;
pub mod fault;
pub mod finding;
pub mod fixtures;
pub mod fsutil;
pub mod import;
pub mod layout;
pub mod load;
pub mod model;
pub mod outputs;
pub mod panic_guard;
pub mod progress;
pub mod report;
pub mod rules;
pub mod settings;
pub mod signals;
pub mod template;
pub mod text;
pub mod workdir;
pub mod xlsx;
