//! SMTP codes as small `Copy` types: basic reply codes (`550`) and enhanced status codes (`5.1.1`).

mod enhanced;
mod error;
mod reply;
mod text;

pub use enhanced::EnhancedCode;
pub use error::{CodeError, CodeErrorKind};
pub use reply::{ReplyCode, ReplyStatus};
pub use text::CodeText;
