//! Printers: one per output format, each taking the same records.
//!
//! Printers always write styles; the stream they are given (anstream) strips them when colour is
//! off, so the model never needs to know about terminals.

pub mod human;
pub mod json;
pub mod sanitize;
mod wrap;
