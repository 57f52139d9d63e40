//! Basic SMTP reply codes: three digits, class, category and detail (RFC 5321 §4.2).

use super::error::{CodeError, CodeErrorKind};
use super::text::CodeText;
use crate::outcome::Outcome;
use crate::tables::{self, ReplyEntry};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A well-formed basic reply code, in the table or not.
///
/// Well-formed means three digits with a first digit of 1 to 5. RFC 5321's grammar allows only 2-5
/// first and 0-5 second, but real servers send 471 or 571, and some tools report 1xx numbers; all
/// of them are worth explaining, so only the first digit is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReplyCode(u16);

/// How official a code's meaning is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplyStatus {
    /// Defined by RFC 5321.
    Standard,
    /// Defined by an SMTP extension RFC.
    Extension,
    /// Defined, but RFC 5321 discourages its use (251, 551).
    Discouraged,
    /// Defined once, no longer in use.
    Obsolete,
    /// Named only as an associated code in the IANA enhanced-code registry.
    RegistryOnly,
    /// Not defined by any RFC, but used by real servers.
    Nonstandard,
    /// Not an SMTP reply at all (an operating-system error number shown as one).
    NotAReply,
}

impl ReplyStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            ReplyStatus::Standard => "standard",
            ReplyStatus::Extension => "extension",
            ReplyStatus::Discouraged => "discouraged",
            ReplyStatus::Obsolete => "obsolete",
            ReplyStatus::RegistryOnly => "registry-only",
            ReplyStatus::Nonstandard => "nonstandard",
            ReplyStatus::NotAReply => "not-a-reply",
        }
    }
}

impl ReplyCode {
    /// Checks a number: 100 to 599.
    pub fn new(code: u16) -> Result<ReplyCode, CodeError> {
        // The input is written out only for an error: a stream makes a code per reply.
        if !(100..=999).contains(&code) {
            return Err(CodeError::new(
                &code.to_string(),
                CodeErrorKind::ReplyLength,
            ));
        }
        if !(1..=5).contains(&(code / 100)) {
            return Err(CodeError::new(&code.to_string(), CodeErrorKind::ReplyClass));
        }
        Ok(ReplyCode(code))
    }

    pub const fn as_u16(self) -> u16 {
        self.0
    }

    /// The first digit.
    pub const fn class(self) -> u8 {
        (self.0 / 100) as u8
    }

    /// The second digit.
    pub const fn category(self) -> u8 {
        ((self.0 / 10) % 10) as u8
    }

    /// The third digit.
    pub const fn detail(self) -> u8 {
        (self.0 % 10) as u8
    }

    /// Every meaning the tables give this code, main meaning first; empty when it has none.
    pub fn entries(self) -> &'static [ReplyEntry] {
        tables::reply_entries(self.0)
    }

    /// The code's main meaning, if it is in the tables.
    pub fn entry(self) -> Option<&'static ReplyEntry> {
        self.entries().first()
    }

    pub fn is_assigned(self) -> bool {
        self.entry().is_some()
    }

    /// The standard reply text, like `http::StatusCode::canonical_reason`.
    pub fn canonical_text(self) -> Option<&'static str> {
        self.entry().map(|entry| entry.text)
    }

    /// What the code means for the command. From the tables where the code is known (the 1xx
    /// numbers some tools print are connection failures), from the class digit otherwise; `None`
    /// for an unknown 1xx number, which SMTP never sends.
    pub fn outcome(self) -> Option<Outcome> {
        match self.entry() {
            Some(entry) => Some(entry.outcome),
            None => tables::reply_class(self.class())
                .filter(|_| self.class() != 1)
                .map(|class| class.outcome),
        }
    }

    /// The code's digits, written without allocating (`Display` gives the same text).
    pub fn as_text(self) -> CodeText {
        let mut text = CodeText::new();
        text.push_number(self.0);
        text
    }

    pub fn is_success(self) -> bool {
        self.class() == 2
    }

    pub fn is_intermediate(self) -> bool {
        self.class() == 3
    }

    pub fn is_transient(self) -> bool {
        self.class() == 4
    }

    pub fn is_permanent(self) -> bool {
        self.class() == 5
    }
}

impl FromStr for ReplyCode {
    type Err = CodeError;

    /// Parses exactly three ASCII digits.
    fn from_str(s: &str) -> Result<ReplyCode, CodeError> {
        if s.is_empty() {
            return Err(CodeError::new(s, CodeErrorKind::Empty));
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::new(s, CodeErrorKind::NotACode));
        }
        if s.len() != 3 {
            return Err(CodeError::new(s, CodeErrorKind::ReplyLength));
        }
        if !(b'1'..=b'5').contains(&s.as_bytes()[0]) {
            return Err(CodeError::new(s, CodeErrorKind::ReplyClass));
        }
        // Three ASCII digits, the first 1 to 5: a code.
        let code = s
            .bytes()
            .fold(0u16, |code, digit| code * 10 + u16::from(digit - b'0'));
        Ok(ReplyCode(code))
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_text())
    }
}

impl Serialize for ReplyCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u16(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_of_a_code_is_its_digits() {
        for number in 100..=599 {
            let code = ReplyCode::new(number).unwrap();
            assert_eq!(*code.as_text(), number.to_string());
            assert_eq!(code.to_string(), number.to_string());
        }
    }

    fn kind(input: &str) -> CodeErrorKind {
        input.parse::<ReplyCode>().unwrap_err().kind()
    }

    #[test]
    fn three_digit_codes_parse_into_their_digits() {
        let code: ReplyCode = "552".parse().unwrap();
        assert_eq!((code.class(), code.category(), code.detail()), (5, 5, 2));
        assert_eq!(code.to_string(), "552");
    }

    #[test]
    fn malformed_codes_say_what_is_wrong() {
        assert_eq!(kind("5555"), CodeErrorKind::ReplyLength);
        assert_eq!(kind("1000"), CodeErrorKind::ReplyLength);
        assert_eq!(kind("55"), CodeErrorKind::ReplyLength);
        assert_eq!(kind("650"), CodeErrorKind::ReplyClass);
        assert_eq!(kind("050"), CodeErrorKind::ReplyClass);
        assert_eq!(kind("abc"), CodeErrorKind::NotACode);
        assert_eq!(kind("５５０"), CodeErrorKind::NotACode);
        assert_eq!(kind(""), CodeErrorKind::Empty);
    }

    #[test]
    fn outcome_follows_the_class_digit_even_for_unassigned_codes() {
        let outcome = |s: &str| s.parse::<ReplyCode>().unwrap().outcome();
        assert_eq!(outcome("250"), Some(Outcome::Success));
        assert_eq!(outcome("354"), Some(Outcome::Intermediate));
        assert_eq!(outcome("499"), Some(Outcome::Transient));
        assert_eq!(outcome("599"), Some(Outcome::Permanent));
        assert_eq!(outcome("571"), Some(Outcome::Permanent));
        assert_eq!(outcome("480"), Some(Outcome::Transient));
        assert_eq!(outcome("199"), None);
    }

    #[test]
    fn client_side_1xx_numbers_are_transient_connection_failures() {
        let code: ReplyCode = "111".parse().unwrap();
        assert_eq!(code.outcome(), Some(Outcome::Transient));
        assert_eq!(code.entry().unwrap().status, ReplyStatus::NotAReply);
    }

    #[test]
    fn canonical_text_comes_from_the_table() {
        let code: ReplyCode = "354".parse().unwrap();
        assert_eq!(
            code.canonical_text(),
            Some("Start mail input; end with <CRLF>.<CRLF>")
        );
        assert_eq!("598".parse::<ReplyCode>().unwrap().canonical_text(), None);
    }
}
