//! Reading workbooks into the model. The only module that touches calamine.

pub mod inbox;
pub mod projektark;
pub mod sheet;
pub mod workbook;
