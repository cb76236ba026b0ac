//! The commands behind the CLI, one file each: each turns [`Settings`] and its part of
//! the [`Request`] into files and an [`outcome::Outcome`] (text for stdout/stderr and an
//! exit code). Nothing here prints.

pub mod annotate;
pub mod check;
pub mod digest;
pub mod historik;
pub mod import;
pub mod init;
pub mod outcome;
pub mod report;
pub mod rules;
pub mod run;
pub mod template;

use crate::config::request::Request;
use crate::config::settings::Settings;
use crate::error::Result;
use outcome::Outcome;

/// Runs the command the user asked for.
pub fn execute(settings: &Settings, request: &Request) -> Result<Outcome> {
    match request {
        Request::Init(r) => init::init(settings, r),
        Request::Rules => rules::rules(settings),
        Request::Check(r) => check::check(settings, r),
        Request::Template(r) => template::template(settings, r),
        Request::Annotate(r) => annotate::annotate(settings, r),
        Request::Digest(r) => digest::digest(settings, r),
        Request::Run(r) => run::run(settings, r),
        Request::Import(r) => import::import(settings, r),
        Request::Report(r) => report::report(settings, r),
        Request::Historik(r) => historik::historik(settings, r),
    }
}
