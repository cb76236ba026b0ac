//! The command line: clap's types and help in Danish and English ([`args`]), and their
//! translation into plain settings and a request ([`resolve`]). The only clap user.

pub mod args;
pub mod resolve;
