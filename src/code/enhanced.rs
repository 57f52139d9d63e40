//! Enhanced mail system status codes: class.subject.detail (RFC 3463 §2, RFC 5248).

use super::error::{CodeError, CodeErrorKind};
use super::text::CodeText;
use crate::outcome::Outcome;
use crate::reason::Reason;
use crate::tables::{self, DetailEntry};
use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// A well-formed enhanced status code, registered or not.
///
/// Well-formed follows RFC 3463's grammar: class 2, 4 or 5; subject and detail of one to three
/// digits, without leading zeros.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnhancedCode {
    class: u8,
    subject: u16,
    detail: u16,
}

impl EnhancedCode {
    pub fn new(class: u8, subject: u16, detail: u16) -> Result<EnhancedCode, CodeError> {
        let code = EnhancedCode {
            class,
            subject,
            detail,
        };
        if !matches!(class, 2 | 4 | 5) {
            return Err(CodeError::new(
                &code.to_string(),
                CodeErrorKind::EnhancedClass,
            ));
        }
        if subject > 999 || detail > 999 {
            return Err(CodeError::new(
                &code.to_string(),
                CodeErrorKind::EnhancedNumber,
            ));
        }
        Ok(code)
    }

    pub const fn class(self) -> u8 {
        self.class
    }

    pub const fn subject(self) -> u16 {
        self.subject
    }

    pub const fn detail(self) -> u16 {
        self.detail
    }

    /// The registered meaning of subject.detail, shared by all three classes.
    pub fn entry(self) -> Option<&'static DetailEntry> {
        tables::detail(self.subject, self.detail)
    }

    /// The entry of the subject's own code, X.Y.0: what a detail the registry does not assign
    /// means at least.
    pub fn subject_entry(self) -> Option<&'static DetailEntry> {
        tables::detail(self.subject, 0)
    }

    pub fn is_assigned(self) -> bool {
        self.entry().is_some()
    }

    /// Whether the code is a failure whose detail the registry gives to successes only
    /// (`5.3.6`: X.3.6 goes with 250): such a detail says only what its subject does.
    pub fn is_success_detail_in_failure(self) -> bool {
        self.outcome().is_failure()
            && self
                .entry()
                .is_some_and(|entry| entry.reason == Reason::Delivered)
    }

    /// The registry's title for the code.
    pub fn canonical_text(self) -> Option<&'static str> {
        self.entry().map(|entry| entry.text)
    }

    pub fn outcome(self) -> Outcome {
        match self.class {
            2 => Outcome::Success,
            4 => Outcome::Transient,
            _ => Outcome::Permanent,
        }
    }

    /// Parses exactly `class.subject.detail` as `FromStr` does, without allocating; `None` for
    /// anything else. For scanners that try many words that are not codes.
    pub fn parse_bytes(bytes: &[u8]) -> Option<EnhancedCode> {
        let (&class, rest) = bytes.split_first()?;
        let class = match class {
            b'2' => 2,
            b'4' => 4,
            b'5' => 5,
            _ => return None,
        };
        let rest = rest.strip_prefix(b".")?;
        let (subject, rest) = number_prefix(rest)?;
        let rest = rest.strip_prefix(b".")?;
        let (detail, rest) = number_prefix(rest)?;
        rest.is_empty().then_some(EnhancedCode {
            class,
            subject,
            detail,
        })
    }

    /// The code's text, written without allocating (`Display` gives the same text).
    pub fn as_text(self) -> CodeText {
        let mut text = CodeText::new();
        text.push(b'0' + self.class);
        text.push(b'.');
        text.push_number(self.subject);
        text.push(b'.');
        text.push_number(self.detail);
        text
    }

    pub fn is_success(self) -> bool {
        self.class == 2
    }

    pub fn is_transient(self) -> bool {
        self.class == 4
    }

    pub fn is_permanent(self) -> bool {
        self.class == 5
    }
}

/// One to three digits without a leading zero (`0` alone is fine), and what follows them.
fn number_prefix(bytes: &[u8]) -> Option<(u16, &[u8])> {
    let len = bytes
        .iter()
        .take(4)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if !(1..=3).contains(&len) || (len > 1 && bytes[0] == b'0') {
        return None;
    }
    let number = bytes[..len]
        .iter()
        .fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
    Some((number, &bytes[len..]))
}

impl FromStr for EnhancedCode {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<EnhancedCode, CodeError> {
        if let Some(code) = EnhancedCode::parse_bytes(s.as_bytes()) {
            return Ok(code);
        }
        // Not a code: find out why, for the message.
        let error = |kind| CodeError::new(s, kind);
        if s.is_empty() {
            return Err(error(CodeErrorKind::Empty));
        }
        if !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(error(CodeErrorKind::NotACode));
        }
        let parts: Vec<&str> = s.split('.').collect();
        let [class, subject, detail] = parts[..] else {
            return Err(error(CodeErrorKind::EnhancedParts));
        };
        let class = match class {
            "2" => 2,
            "4" => 4,
            "5" => 5,
            _ => return Err(error(CodeErrorKind::EnhancedClass)),
        };
        let number = |part: &str| {
            let ok = (1..=3).contains(&part.len()) && (part == "0" || !part.starts_with('0'));
            ok.then(|| part.parse::<u16>().ok()).flatten()
        };
        match (number(subject), number(detail)) {
            (Some(subject), Some(detail)) => Ok(EnhancedCode {
                class,
                subject,
                detail,
            }),
            _ => Err(error(CodeErrorKind::EnhancedNumber)),
        }
    }
}

impl fmt::Display for EnhancedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_text())
    }
}

impl Serialize for EnhancedCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_parser_agrees_with_from_str_on_every_short_string() {
        // Every string of up to 6 characters over digits that matter, a dot and a letter.
        let alphabet = [b'0', b'1', b'2', b'4', b'5', b'9', b'.', b'x'];
        let mut words: Vec<Vec<u8>> = vec![Vec::new()];
        let mut checked = 0;
        for _ in 0..6 {
            let mut longer = Vec::new();
            for word in &words {
                for &c in &alphabet {
                    let mut next = word.clone();
                    next.push(c);
                    let text = std::str::from_utf8(&next).unwrap();
                    assert_eq!(
                        EnhancedCode::parse_bytes(&next),
                        text.parse::<EnhancedCode>().ok(),
                        "{text}"
                    );
                    checked += 1;
                    longer.push(next);
                }
            }
            words = longer;
        }
        assert!(checked > 250_000);
        for text in ["5.7.100", "4.10.10", "2.0.000", "5.01.1", "5.7.1."] {
            assert_eq!(
                EnhancedCode::parse_bytes(text.as_bytes()),
                text.parse::<EnhancedCode>().ok(),
                "{text}"
            );
        }
        assert_eq!(
            EnhancedCode::parse_bytes(b"5.999.999"),
            Some(EnhancedCode::new(5, 999, 999).unwrap())
        );
        assert_eq!(EnhancedCode::parse_bytes(b"5.1000.1"), None);
    }

    #[test]
    fn the_text_of_every_code_parses_back_to_it() {
        for class in [2, 4, 5] {
            for subject in 0..=999 {
                for detail in [0, 1, 9, 10, 99, 100, 999] {
                    let code = EnhancedCode::new(class, subject, detail).unwrap();
                    assert_eq!(code.as_text().parse::<EnhancedCode>().unwrap(), code);
                    assert_eq!(*code.as_text(), format!("{class}.{subject}.{detail}"));
                }
            }
        }
    }

    fn kind(input: &str) -> CodeErrorKind {
        input.parse::<EnhancedCode>().unwrap_err().kind()
    }

    #[test]
    fn dotted_codes_parse_into_their_parts() {
        let code: EnhancedCode = "5.7.26".parse().unwrap();
        assert_eq!((code.class(), code.subject(), code.detail()), (5, 7, 26));
        assert_eq!(code.to_string(), "5.7.26");
        assert_eq!("4.999.999".parse::<EnhancedCode>().unwrap().detail(), 999);
    }

    #[test]
    fn malformed_enhanced_codes_say_what_is_wrong() {
        assert_eq!(kind("6.1.1"), CodeErrorKind::EnhancedClass);
        assert_eq!(kind("3.1.1"), CodeErrorKind::EnhancedClass);
        assert_eq!(kind("5.726"), CodeErrorKind::EnhancedParts);
        assert_eq!(kind("5.1.1.1"), CodeErrorKind::EnhancedParts);
        assert_eq!(kind("5.01.1"), CodeErrorKind::EnhancedNumber);
        assert_eq!(kind("5.1.1000"), CodeErrorKind::EnhancedNumber);
        assert_eq!(kind("5..1"), CodeErrorKind::EnhancedNumber);
        assert_eq!(kind("5.x.1"), CodeErrorKind::NotACode);
    }

    #[test]
    fn a_misplaced_dot_gets_a_hint() {
        let err = "5.726".parse::<EnhancedCode>().unwrap_err();
        assert_eq!(err.hint().as_deref(), Some("5.7.26"));
        assert!(err.to_string().contains("three parts"));
    }

    #[test]
    fn the_class_gives_the_outcome_and_the_subject_detail_the_entry() {
        let transient: EnhancedCode = "4.2.2".parse().unwrap();
        let permanent: EnhancedCode = "5.2.2".parse().unwrap();
        assert_eq!(transient.outcome(), Outcome::Transient);
        assert_eq!(permanent.outcome(), Outcome::Permanent);
        assert_eq!(transient.entry(), permanent.entry());
        assert_eq!(permanent.canonical_text(), Some("Mailbox full"));
        assert!(!"5.1.99".parse::<EnhancedCode>().unwrap().is_assigned());
    }
}
