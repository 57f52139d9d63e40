//! What a reply means for the message: the four outcomes of SMTP's first digit.

use std::fmt;

/// What happened to the command, from the class digit (RFC 5321 §4.2.1, RFC 3463 §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// 2yz, 2.X.X: it worked.
    Success,
    /// 3yz: accepted so far; the server waits for more.
    Intermediate,
    /// 4yz, 4.X.X: failed this time; a later attempt may work.
    Transient,
    /// 5yz, 5.X.X: failed; the same attempt will fail again.
    Permanent,
}

impl Outcome {
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Intermediate => "intermediate",
            Outcome::Transient => "transient",
            Outcome::Permanent => "permanent",
        }
    }

    /// True for transient and permanent outcomes.
    pub const fn is_failure(self) -> bool {
        matches!(self, Outcome::Transient | Outcome::Permanent)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Written by its name, the same as `as_str` and the human output give.
impl serde::Serialize for Outcome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
