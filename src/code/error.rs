//! Why a piece of text is not an SMTP code, worded for the person who typed it.

use std::fmt;

/// Text that is not a well-formed SMTP code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeError {
    input: String,
    kind: CodeErrorKind,
}

/// What is wrong with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeErrorKind {
    /// Nothing was given.
    Empty,
    /// Digits, but not three of them.
    ReplyLength,
    /// A three-digit number whose first digit is not 1-5.
    ReplyClass,
    /// Dotted, but not three parts.
    EnhancedParts,
    /// An enhanced code whose class is not 2, 4 or 5.
    EnhancedClass,
    /// A subject or detail that is not one to three digits without a leading zero.
    EnhancedNumber,
    /// No code at all.
    NotACode,
}

impl CodeError {
    pub(crate) fn new(input: &str, kind: CodeErrorKind) -> CodeError {
        CodeError {
            input: input.to_string(),
            kind,
        }
    }

    pub fn input(&self) -> &str {
        &self.input
    }

    pub fn kind(&self) -> CodeErrorKind {
        self.kind
    }

    /// A guess at what was meant, such as `5.7.26` for `5.726`.
    pub fn hint(&self) -> Option<String> {
        match self.kind {
            CodeErrorKind::EnhancedParts => {
                let digits: String = self.input.chars().filter(|c| *c != '.').collect();
                if digits.len() >= 3
                    && digits.len() <= 7
                    && digits.bytes().all(|b| b.is_ascii_digit())
                {
                    let (class, rest) = digits.split_at(1);
                    let (subject, detail) = rest.split_at(1);
                    Some(format!("{class}.{subject}.{detail}"))
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self.kind {
            CodeErrorKind::Empty => return f.write_str("an empty query is not an SMTP code"),
            CodeErrorKind::ReplyLength => "a reply code has three digits, like 550",
            CodeErrorKind::ReplyClass => "the first digit of a reply code is 2, 3, 4 or 5",
            CodeErrorKind::EnhancedParts => {
                "an enhanced status code has three parts, like 5.7.26"
            }
            CodeErrorKind::EnhancedClass => "an enhanced status code starts with 2, 4 or 5",
            CodeErrorKind::EnhancedNumber => {
                "the subject and detail of an enhanced code have one to three digits, without leading zeros"
            }
            CodeErrorKind::NotACode => {
                "expected a reply code (550), an enhanced code (5.1.1) or a reply starting with one"
            }
        };
        write!(
            f,
            "'{}' is not an SMTP code: {why}",
            self.input.escape_debug()
        )
    }
}

impl std::error::Error for CodeError {}
