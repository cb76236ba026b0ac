//! What os2gov writes back for people: the annotated projektark and the portfolio
//! workbook.

pub mod portfolio;
