//! Making text from input or data safe to write to a terminal.
//!
//! Log lines carry escape sequences, NULs and stray control bytes; written raw they can move the
//! cursor, retitle the window or hide text. Everything that is not printable is shown escaped.

use std::borrow::Cow;
use std::fmt::Write;

/// Escapes control characters (C0, DEL, C1) and bidirectional overrides as `\x1b`, `\u{202e}`.
pub fn escape(text: &str) -> Cow<'_, str> {
    // Printable ASCII, by far the common case, needs no decoding.
    if is_printable_ascii(text.as_bytes()) || !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            write!(out, "\\x{:02x}", c as u32).expect("writing to a String");
        } else {
            write!(out, "\\u{{{:x}}}", c as u32).expect("writing to a String");
        }
    }
    Cow::Owned(out)
}

/// True when every byte is printable ASCII: eight bytes at a time, as words.
pub(super) fn is_printable_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // High bits of: bytes from 0x80 on, bytes from 0x7f on (0x7f + 1 reaches 0x80), and
        // bytes below 0x20. A byte's carry or borrow reaches only the bytes above it, which a
        // flagged byte has already settled.
        let outside = x | x.wrapping_add(ONES) | (x.wrapping_sub(ONES * 0x20) & !x);
        if outside & HIGH != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|&b| (0x20..0x7f).contains(&b))
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_is_told_apart_from_every_other_byte_at_every_position() {
        for len in [1, 15, 16, 17, 40] {
            assert!(is_printable_ascii(&vec![b'~'; len]));
            for at in 0..len {
                for byte in (0..=0x1f).chain(0x7f..=0xff) {
                    let mut bytes = vec![b' '; len];
                    bytes[at] = byte;
                    assert!(!is_printable_ascii(&bytes), "{byte:#x} at {at} of {len}");
                }
            }
        }
        assert!(is_printable_ascii(b""));
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(escape("550 User unknown, é"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_and_control_bytes_are_made_visible() {
        assert_eq!(escape("a\u{1b}[31mb"), "a\\x1b[31mb");
        assert_eq!(escape("nul\0tab\t"), "nul\\x00tab\\x09");
        assert_eq!(escape("\u{9b}x"), "\\u{9b}x");
        assert_eq!(escape("\u{202e}evil"), "\\u{202e}evil");
    }
}
