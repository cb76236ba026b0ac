//! Reading workbooks into the model. The only module that touches calamine.

pub mod projektark;
pub mod sheet;
pub mod workbook;
