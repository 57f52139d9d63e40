//! The output models of a lookup and of a stream of lines: what both printers print, and the JSON schema's source of truth.
//! Field names here are a contract with scripts; README.md documents them.

use crate::classify::{Bounce, Classification, Reported};
use crate::code::{EnhancedCode, ReplyCode, ReplyStatus};
use crate::command::Command;
use crate::explain::Digit;
use crate::lines::Format;
use crate::reason::Reason;
use serde::Serialize;

/// The answer to one query.
#[derive(Debug, Clone, Serialize)]
pub struct LookupRecord {
    /// The query as given.
    pub input: String,
    /// Why the query is not an SMTP code, when it is not.
    pub error: Option<String>,
    /// A guess at what was meant, with `error`.
    pub hint: Option<String>,
    pub reply: Option<ReplyInfo>,
    pub enhanced: Option<EnhancedInfo>,
    /// The reply text after the codes, when the query was a whole reply.
    pub text: Option<String>,
    /// Outcome, bounce, reason, evidence, advice, retry_after and blocklist.
    #[serde(flatten)]
    pub verdict: Classification,
    /// Remarks on the combination, such as codes whose classes disagree.
    pub notes: Vec<String>,
    /// What known providers mean by these codes (for a bare code, or with `--provider`).
    pub providers: Vec<ProviderMeaning>,
}

/// What one provider means by a code, from data/providers.toml.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderMeaning {
    /// The provider's stable id (`google`).
    pub provider: &'static str,
    pub name: &'static str,
    pub code: Option<u16>,
    /// The enhanced code, or a range of them (`5.7.606-649`).
    pub enhanced: Option<String>,
    /// The words of the reply that show this meaning.
    #[serde(rename = "match")]
    pub phrases: &'static [&'static str],
    pub reason: Reason,
    pub bounce: Bounce,
    pub meaning: &'static str,
    pub advice: &'static str,
    /// When the provider uses its own code, or a registered one for its own meaning.
    pub note: Option<String>,
    pub example: &'static str,
    pub docs: &'static str,
    pub source: &'static str,
}

/// A basic reply code and what the tables say of it.
#[derive(Debug, Clone, Serialize)]
pub struct ReplyInfo {
    pub code: ReplyCode,
    /// Whether the tables have an entry for it.
    pub assigned: bool,
    /// What the first digit says.
    pub class: String,
    /// What the second digit says.
    pub category: String,
    /// What the third digit says.
    pub detail: String,
    #[serde(skip)]
    pub digits: [Digit; 3],
    pub text: Option<&'static str>,
    pub status: Option<ReplyStatus>,
    pub source: Option<&'static str>,
    pub used_by: Option<&'static str>,
    pub meaning: Option<&'static str>,
    pub causes: &'static [&'static str],
    pub advice: Option<&'static str>,
    /// Enhanced codes that usually come with it.
    pub enhanced_codes: &'static [&'static str],
    /// Other meanings of the same number (454 for AUTH and for STARTTLS).
    pub other_meanings: Vec<OtherMeaning>,
}

/// A further meaning of a basic code, in another context.
#[derive(Debug, Clone, Serialize)]
pub struct OtherMeaning {
    pub context: &'static str,
    pub text: &'static str,
    pub status: ReplyStatus,
    pub source: &'static str,
    pub meaning: &'static str,
    pub advice: &'static str,
    /// Enhanced codes that usually come with this meaning.
    pub enhanced_codes: &'static [&'static str],
}

/// An enhanced status code and what the registry says of it.
#[derive(Debug, Clone, Serialize)]
pub struct EnhancedInfo {
    pub code: EnhancedCode,
    pub assigned: bool,
    /// What the class says.
    pub class: String,
    /// What the subject says.
    pub subject: String,
    /// What the detail says.
    pub detail: String,
    #[serde(skip)]
    pub digits: [Digit; 3],
    /// The registry's title.
    pub text: Option<&'static str>,
    pub source: Option<&'static str>,
    pub meaning: Option<&'static str>,
    pub causes: &'static [&'static str],
    pub advice: Option<&'static str>,
    pub note: Option<&'static str>,
    /// The basic codes the registry associates with it.
    pub basic_codes: Option<&'static str>,
    pub deprecated: bool,
}

impl LookupRecord {
    /// True when the query was well formed and at least one of its codes is in the tables.
    pub fn is_understood(&self) -> bool {
        self.error.is_none()
            && (self.reply.as_ref().is_some_and(|r| r.assigned)
                || self.enhanced.as_ref().is_some_and(|e| e.assigned))
    }
}

/// The answer to one input line of a stream. Every line gets one (with `--all`); a line that ends
/// a multi-line reply or a DSN group carries the result of all its lines, and the lines before it
/// say `"result": false`. Field names are a contract with scripts; README.md documents them.
#[derive(Debug, Clone, Serialize)]
pub struct LineRecord<'a> {
    /// 1-based number of this input line.
    pub line: u64,
    /// The first line of the result, before `line` when the result spans several lines.
    pub first_line: u64,
    /// This line as read: lossless for valid UTF-8, invalid bytes written `\xNN` otherwise.
    pub input: &'a str,
    /// True when `input` has `\xNN` escapes because the line was not valid UTF-8.
    pub input_escaped: bool,
    /// True when the line was longer than the reader keeps (64 KiB) and lost its tail.
    pub truncated: bool,
    /// True when the record carries an SMTP result.
    pub result: bool,
    /// Which recognizer read the line: reply, postfix, exim, sendmail, dsn, exchange, said.
    pub format: Option<Format>,
    pub timestamp: Option<&'a str>,
    pub queue_id: Option<&'a str>,
    pub recipient: Option<&'a str>,
    /// The recipient's domain, lower-cased.
    pub domain: Option<&'a str>,
    pub host: Option<&'a str>,
    pub command: Option<Command>,
    /// What the log or report says happened (Postfix status=, Exim flag, DSN Action:).
    pub reported: Option<Reported>,
    pub reply_code: Option<ReplyCode>,
    pub enhanced_code: Option<EnhancedCode>,
    /// The reply text, or the reporter's words when there was no reply.
    pub text: Option<&'a str>,
    /// Outcome, bounce, reason, evidence, advice, retry_after and blocklist.
    #[serde(flatten)]
    pub verdict: Classification,
    /// For a bounce's delivery-status group, the line of the record of the bounce's words for
    /// people that told the same failure (`lines::repeat`): counts of results leave it out.
    pub repeat_of: Option<u64>,
}
