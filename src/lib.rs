//! os2gov checks OS2 projects against the governance model (styringsmodel).
//!
//! The pipeline: **load** the styringsmodel and every intake workbook ([`load`]) into
//! typed data ([`model`]); **check** each project with pure functions of (rules, project,
//! previous run, as-of date) that return findings ([`check`]); then write what people
//! read ([`render`], [`digest`], [`board`]) and deliver it ([`deliver`]). [`run`] strings
//! the stages together for a folder; [`commands`] has one file per command; [`cli`] is
//! the command line. Each layer calls only down (README, "Layers"); only `load`, `run`,
//! `deliver` and `sys` touch the outside world.

#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod board;
pub mod check;
pub mod cli;
pub mod commands;
pub mod config;
pub mod deliver;
pub mod digest;
pub mod error;
pub mod import;
pub mod load;
pub mod model;
pub mod ooxml;
pub mod render;
pub mod run;
pub mod sys;
pub mod text;
pub mod xlsx;
