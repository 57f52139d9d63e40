//! Printers: one per output format, each taking the same records.
//!
//! The lookup printer always writes styles and the stream it is given (anstream) strips them when
//! colour is off. The row and summary printers, written for large outputs, are told once whether
//! to colour, so that no row is styled only to be stripped again.

mod decimal;
pub mod entries;
pub mod human;
pub mod json;
mod json_line;
pub mod row;
pub mod sanitize;
pub mod summary;
mod wrap;
