//! smtpcode: SMTP reply codes, enhanced status codes and bounce lines turned into answers.
//!
//! The code tables are compiled from data/ at build time. [`ReplyCode`] and [`EnhancedCode`] are
//! small `Copy` types that parse, answer questions (`outcome()`, `is_permanent()`) and look
//! themselves up; [`lookup`] answers a query; [`classify`] gives the verdict on a reply; the
//! printers in [`print`] write records for people or for scripts.
//!
//! ```
//! use smtpcode::{Outcome, ReplyCode};
//! let code: ReplyCode = "421".parse().unwrap();
//! assert_eq!(code.outcome(), Some(Outcome::Transient));
//! assert_eq!(code.canonical_text(), Some("<domain> Service not available, closing transmission channel"));
//! ```

pub mod blocklist;
pub mod catalog;
pub mod classify;
pub mod code;
pub mod command;
pub mod explain;
pub mod lines;
pub mod lookup;
pub mod outcome;
pub mod pattern_set;
pub mod phrase;
pub mod print;
pub mod provider;
pub mod reason;
pub mod record;
pub mod response;
pub mod retry;
pub mod scan;
pub mod search;
pub mod summary;
pub mod tables;
mod trim;

pub use classify::{classify, Bounce, Classification, Classifier, Evidence, Facts, Reported};
pub use code::{CodeError, CodeErrorKind, EnhancedCode, ReplyCode, ReplyStatus};
pub use command::Command;
pub use lines::{Format, LineReader};
pub use lookup::{lookup, lookup_for};
pub use outcome::Outcome;
pub use reason::Reason;
pub use record::{LineRecord, LookupRecord};
