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

    /// Appends a number of at most three digits. The digits are stored as one word, shifted past
    /// the leading zeros, so the byte after them may be overwritten: it lies past the length.
    pub(super) fn push_number(&mut self, number: u16) {
        debug_assert!(number <= 999);
        let at = usize::from(self.len);
        debug_assert!(at + 4 <= self.bytes.len());
        let digits = u32::from(b'0' + (number / 100) as u8)
            | u32::from(b'0' + (number / 10 % 10) as u8) << 8
            | u32::from(b'0' + (number % 10) as u8) << 16;
        let skip = u32::from(number < 100) + u32::from(number < 10);
        self.bytes[at..at + 4].copy_from_slice(&(digits >> (8 * skip)).to_le_bytes());
        self.len += 3 - skip as u8;
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
