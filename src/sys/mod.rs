//! The operating system's side: atomic and bounded file I/O ([`fs`]), file names made
//! from user text ([`names`]), the panic guard around third-party parsers, and test-only
//! fault injection.

pub mod fault;
pub mod fs;
pub mod inflate;
pub mod names;
pub mod panic_guard;
