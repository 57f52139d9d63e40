//! `str::trim` and its halves, without the generic character search when the text's edges are
//! plainly not whitespace, as they are in nearly every field a stream reads.
//!
//! The results are `str::trim`'s exactly: Unicode whitespace is still trimmed, through the
//! standard library, whenever an edge byte could start it.

/// `text.trim()`.
#[inline]
pub fn trim(text: &str) -> &str {
    match text.as_bytes() {
        [] => text,
        [first, .., last] if is_solid(*first) && is_solid(*last) => text,
        [only] if is_solid(*only) => text,
        _ => text.trim(),
    }
}

/// `text.trim_start()`.
#[inline]
pub fn trim_start(text: &str) -> &str {
    match text.as_bytes().first() {
        None => text,
        Some(&first) if is_solid(first) => text,
        Some(_) => text.trim_start(),
    }
}

/// `text.trim_end()`.
#[inline]
pub fn trim_end(text: &str) -> &str {
    match text.as_bytes().last() {
        None => text,
        Some(&last) if is_solid(last) => text,
        Some(_) => text.trim_end(),
    }
}

/// An ASCII byte that `char::is_whitespace` says is not whitespace. Bytes from 0x80 on may start
/// a Unicode space (U+00A0, U+3000...), so they are left to the standard library.
#[inline]
fn is_solid(byte: u8) -> bool {
    byte < 0x80 && !matches!(byte, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_at_either_edge_trims_as_the_standard_library_does() {
        let ascii: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        let others = ["", "\u{a0}", "\u{3000}", "\u{85}", "\u{2028}", "é"];
        for edge in ascii.iter().map(String::as_str).chain(others) {
            for middle in ["", "x", " y ", "a b"] {
                for text in [
                    format!("{edge}{middle}"),
                    format!("{middle}{edge}"),
                    format!("{edge}{middle}{edge}"),
                ] {
                    assert_eq!(trim(&text), text.trim(), "{text:?}");
                    assert_eq!(trim_start(&text), text.trim_start(), "{text:?}");
                    assert_eq!(trim_end(&text), text.trim_end(), "{text:?}");
                }
            }
        }
    }
}
