//! Printers of article reports: table, JSON, JSON Lines, CSV and HTML. They depend on
//! `analyze` and never the reverse.

pub mod html;
pub mod report;
