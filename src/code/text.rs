//! A code written out on the stack, for printers that write many of them.

use std::fmt;
use std::ops::Deref;

/// The decimal text of a code (`550`, `5.7.26`), at most 11 bytes, without allocating.
#[derive(Clone, Copy)]
pub struct CodeText {
    bytes: [u8; 11],
    len: u8,
}

impl CodeText {
    pub(super) fn new() -> Self {
        CodeText {
            bytes: [0; 11],
            len: 0,
        }
    }

    /// Appends a number of at most three digits.
    pub(super) fn push_number(&mut self, number: u16) {
        debug_assert!(number <= 999);
        let digits = [
            (number / 100) as u8,
            (number / 10 % 10) as u8,
            (number % 10) as u8,
        ];
        let skip = if number >= 100 {
            0
        } else if number >= 10 {
            1
        } else {
            2
        };
        for digit in &digits[skip..] {
            self.push(b'0' + digit);
        }
    }

    /// The text as bytes, without the UTF-8 check that `&str` costs.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    pub(super) fn push(&mut self, byte: u8) {
        self.bytes[usize::from(self.len)] = byte;
        self.len += 1;
    }
}

impl Deref for CodeText {
    type Target = str;

    fn deref(&self) -> &str {
        // Only ASCII digits and dots are ever pushed.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl fmt::Display for CodeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self)
    }
}

impl fmt::Debug for CodeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
