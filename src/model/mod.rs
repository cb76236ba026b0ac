//! The domain types that flow between the stages: values, choices and projects. No I/O.

pub mod choice;
pub mod licence;
pub mod project;
pub mod value;
