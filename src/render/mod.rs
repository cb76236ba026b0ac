//! Writers of what people and programs read, all pure (they return strings or bytes and
//! never print or touch files): the text report and run summary, the findings JSON, the
//! annotated projektark with its Kontrol sheet, the portfolio workbook, the rules
//! summary, the styringsmodel and projektark workbooks.

pub mod annotated;
pub mod board_items;
pub mod history;
pub mod json;
pub mod kontrol;
pub mod portfolio;
pub mod projektark;
pub mod register;
pub mod rules;
pub mod run;
pub mod styringsmodel;
pub mod text;
