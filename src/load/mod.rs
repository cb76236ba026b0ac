//! Reading workbooks into the model: the safe reader (the only code that touches
//! calamine), tables by column name, the projektark, the styringsmodel, and the inbox.

pub mod board_items;
pub mod history;
pub mod inbox;
pub mod projektark;
pub mod register;
pub mod saved;
pub mod sheet;
pub mod styringsmodel;
pub mod workbook;
