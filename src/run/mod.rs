//! Running the work on a folder: the load+check stage every command shares ([`stage`]),
//! the monthly batch ([`batch`]), what a run writes ([`outputs`]), the working folder's
//! state on disk ([`workdir`]), the archive's history read back and rebuilt ([`archive`]),
//! progress on the terminal and stop signals while sending.

pub mod archive;
pub mod batch;
pub mod outputs;
pub mod progress;
pub mod register;
pub mod signals;
pub mod stage;
pub mod workdir;
