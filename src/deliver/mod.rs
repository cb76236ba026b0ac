//! Delivery: the last step of the pipeline. Rendered messages ([`outbox::OutMessage`]) become
//! RFC 5322 files (`.eml` plus an `.html` preview, [`files::write_files`]) and, on request, are
//! sent over SMTP ([`smtp::send_all`]). A [`ledger::Ledger`] (JSON Lines, appended and fsync-ed after
//! every message the server accepted) makes sending idempotent: a re-run sends only what
//! is missing, unless the user asks for `--resend`.
//!
//! Nothing here reads the clock or the environment: the date and the SMTP password are
//! passed in by the caller.

pub mod files;
pub mod ledger;
pub mod message;
pub mod outbox;
pub mod smtp;

#[cfg(test)]
mod test_server;
#[cfg(test)]
mod tests;
