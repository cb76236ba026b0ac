//! The domain types that flow between the stages: values and cells, choices, projects,
//! the styringsmodel's rules, findings, the projektark layout and what fills it, and the
//! default styringsmodel's tables. No I/O.

pub mod agenda;
pub mod board_items;
pub mod cell;
pub mod choice;
pub mod code_label;
pub mod defaults;
pub mod filled;
pub mod finding;
pub mod history;
pub mod layout;
pub mod licence;
pub mod period;
pub mod project;
pub mod register;
pub mod rules;
pub mod value;
