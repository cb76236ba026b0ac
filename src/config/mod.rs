//! What a command runs with: the settings from `os2gov.toml` and the global options
//! ([`settings`]), and the request the user made ([`request`]). Plain values; no clap.

pub mod request;
pub mod settings;
