//! The strings and bytes the recognizers look for in a line (`status=`, ` said: `, `; from=<`).
//!
//! A log line is a few hundred bytes and each needle a few: neither the standard library's nor
//! memchr's substring searchers pay back their setup there. A `Needle` knows, from compile time,
//! the byte of it least likely to be common in a log line; memchr finds that byte and the rest is
//! compared in place.

/// A fixed string to search for, with the byte its searches start from. Write it `needle!("...")`
/// so that the byte is chosen at compile time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Needle {
    text: &'static str,
    anchor: usize,
}

/// A `Needle` made at compile time.
macro_rules! needle {
    ($text:expr) => {
        const { $crate::lines::needle::Needle::new($text) }
    };
}

impl Needle {
    /// # Panics
    /// On an empty needle (at compile time, through `needle!`).
    pub(crate) const fn new(text: &'static str) -> Self {
        let bytes = text.as_bytes();
        assert!(!bytes.is_empty(), "a needle has at least one byte");
        let mut anchor = 0;
        let mut at = 1;
        while at < bytes.len() {
            if rank(bytes[at]) < rank(bytes[anchor]) {
                anchor = at;
            }
            at += 1;
        }
        Needle { text, anchor }
    }

    pub(crate) const fn text(self) -> &'static str {
        self.text
    }

    pub(crate) const fn len(self) -> usize {
        self.text.len()
    }

    /// `haystack.find(self.text())`.
    pub(crate) fn find(self, haystack: &str) -> Option<usize> {
        let (hay, needle) = (haystack.as_bytes(), self.text.as_bytes());
        let byte = needle[self.anchor];
        let mut from = self.anchor;
        while from < hay.len() {
            let at = from + memchr::memchr(byte, &hay[from..])?;
            let start = at - self.anchor;
            if hay[start..].starts_with(needle) {
                return Some(start);
            }
            from = at + 1;
        }
        None
    }

    /// `haystack.rfind(self.text())`.
    pub(crate) fn rfind(self, haystack: &str) -> Option<usize> {
        let (hay, needle) = (haystack.as_bytes(), self.text.as_bytes());
        let byte = needle[self.anchor];
        let tail = needle.len() - self.anchor;
        let mut end = hay.len().checked_sub(tail - 1)?;
        while end > self.anchor {
            let at = memchr::memrchr(byte, &hay[self.anchor..end])? + self.anchor;
            let start = at - self.anchor;
            if hay[start..].starts_with(needle) {
                return Some(start);
            }
            end = at;
        }
        None
    }

    /// `haystack.split_once(self.text())`.
    pub(crate) fn split_once(self, haystack: &str) -> Option<(&str, &str)> {
        let at = self.find(haystack)?;
        Some((&haystack[..at], &haystack[at + self.len()..]))
    }

    /// The offset of this needle (`status=`, `to=`) as a key=value field of a log line: at the
    /// start, or after a space or a comma, so that `to=` does not match inside `orig_to=`.
    pub(crate) fn find_field(self, text: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(at) = self.find(&text[from..]) {
            let at = from + at;
            if at == 0 || matches!(bytes[at - 1], b' ' | b',') {
                return Some(at);
            }
            from = at + self.len();
        }
        None
    }
}

/// `text.split_once(byte)` for a byte expected near the start: a plain loop, where the standard
/// library's char searcher and memchr cost more to start than these few bytes take to read.
pub(crate) fn split_once_near(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((&text[..at], &text[at + 1..]))
}

/// How common a byte is in a log line, 1 the least: capitals and rare punctuation, then other
/// small letters, digits and the punctuation of fields (`:=,.-/`), then spaces and the commonest
/// letters.
const fn rank(byte: u8) -> u8 {
    match byte {
        b' ' | b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 3,
        b'a'..=b'z' | b'0'..=b'9' | b':' | b'=' | b',' | b'.' | b'-' | b'/' => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_agree_with_the_standard_library() {
        let hay = "to=<a@b>, relay=mx[1.2.3.4]:25, status=bounced (host x said: 550 x (in reply to RCPT TO command))";
        for text in [
            " said: ",
            "status=",
            " (in reply to ",
            "to=<",
            ")",
            "x",
            "nope",
            "a@b>, r",
            "command))",
            "TO c",
        ] {
            let needle = Needle::new(text);
            assert_eq!(needle.find(hay), hay.find(text), "{text}");
            assert_eq!(needle.rfind(hay), hay.rfind(text), "{text}");
            assert_eq!(needle.split_once(hay), hay.split_once(text), "{text}");
        }
        assert_eq!(needle!("abc").find("ab"), None);
        assert_eq!(needle!("abc").rfind("ab"), None);
        assert_eq!(needle!("x").rfind("xx"), Some(1));
        assert_eq!(needle!("x").find(""), None);
    }

    #[test]
    fn the_anchor_is_the_rarest_byte() {
        assert_eq!(needle!("status=").anchor, 4, "u");
        assert_eq!(needle!(" (in reply to ").anchor, 1, "(");
        assert_eq!(needle!("reject: ").anchor, 2, "j");
        assert_eq!(needle!("see").anchor, 0);
    }

    #[test]
    fn fields_start_at_a_space_a_comma_or_the_line() {
        let line = "orig_to=<a@b>, to=<c@d>,to=<e@f>";
        assert_eq!(needle!("to=").find_field(line), Some(15));
        assert_eq!(needle!("to=").find_field(&line[24..]), Some(0));
        assert_eq!(needle!("to=").find_field("orig_to=<a@b>"), None);
    }
}
