//! Splitting an SMTP response into its codes and its text: `550 5.1.1 <bob@...>: User unknown`,
//! `550-5.7.26 ...` (a line of a multi-line reply), `5.1.1 User unknown`, `550 #5.1.0 ...`.
//!
//! This knows nothing of where the response came from (a query, a log line, a DSN field), so every
//! reader can share it.

use crate::code::{EnhancedCode, ReplyCode};
use crate::trim::{trim, trim_end, trim_start};
use std::borrow::Cow;

/// The parts of one response line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response<'a> {
    pub code: Option<ReplyCode>,
    pub enhanced: Option<EnhancedCode>,
    /// The text after the codes, trimmed; may be empty.
    pub text: &'a str,
    /// True for `550-...`: more lines of the same reply follow.
    pub continued: bool,
}

/// Reads the codes at the start of `line`; `None` when it starts with neither kind of code.
pub fn parse(line: &str) -> Option<Response<'_>> {
    let line = trim_start(line);
    let mut rest = line;
    let mut code = None;
    let mut continued = false;
    if let Some((digits, after)) = split_reply_code(line) {
        if let Ok(parsed) = digits.parse::<ReplyCode>() {
            code = Some(parsed);
            continued = after.starts_with('-');
            rest = after.strip_prefix('-').unwrap_or(after);
        }
    }
    let (enhanced, after) = leading_enhanced(trim_start(rest));
    if code.is_none() && enhanced.is_none() {
        return None;
    }
    if enhanced.is_some() {
        rest = after;
    }
    Some(Response {
        code,
        enhanced,
        text: trim(rest),
        continued,
    })
}

/// Removes the codes that start each line of a multi-line reply once its lines are joined, as
/// Postfix logs them: `Please try 550-5.1.1 double-checking ... at 550 5.1.1 https://...` reads
/// `Please try double-checking ... at https://...`. `continued` says the text follows a line's
/// `550-`, so that a bare `550 ` inside it starts a line too (`550-Requested action not taken 550
/// invalid DNS PTR resource record`).
pub fn strip_repeated_codes(
    code: Option<ReplyCode>,
    enhanced: Option<EnhancedCode>,
    continued: bool,
    text: &str,
) -> Cow<'_, str> {
    let Some(code) = code else {
        return Cow::Borrowed(text);
    };
    let digits = code.as_text();
    // Most replies are one line: no allocation unless the code comes back inside the text.
    if find_digits(text.as_bytes(), digits.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let enhanced = enhanced.map(EnhancedCode::as_text);
    // `550-` marks a joined line; `550 ` only when the enhanced code follows or after a `550-`,
    // so that "of 550 used" stays.
    let mut seen_dash = continued;
    // Read as bytes: the codes' texts are ASCII.
    let mut repeat_at = |at: usize| -> Option<usize> {
        let rest = &text.as_bytes()[at..];
        let after = rest.strip_prefix(digits.as_bytes())?;
        let dash = after.first() == Some(&b'-');
        let after = match after.split_first() {
            Some((b'-' | b' ', after)) => after,
            _ => return None,
        };
        let mut len = rest.len() - after.len();
        let mut with_enhanced = false;
        if let Some(enhanced) = &enhanced {
            if let Some(more) = after.strip_prefix(enhanced.as_bytes()) {
                if more.first().is_none_or(|&b| b == b' ') {
                    len += enhanced.as_bytes().len();
                    with_enhanced = true;
                }
            }
        }
        seen_dash |= dash;
        (dash || with_enhanced || seen_dash).then_some(len)
    };
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = find_digits(&text.as_bytes()[at..], digits.as_bytes()) {
        let start = at + offset;
        // Exim writes a reply's line breaks as `\n` in its log.
        let escaped_break = text[..start].ends_with("\\n");
        let boundary = escaped_break || (start > 0 && bytes[start - 1] == b' ');
        match repeat_at(start).filter(|_| boundary) {
            Some(len) => {
                let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                let before = &text[copied..start];
                let before = before.strip_suffix("\\n").unwrap_or(before);
                out.push_str(before.trim_end());
                out.push(' ');
                at = start + len;
                while bytes.get(at) == Some(&b' ') {
                    at += 1;
                }
                copied = at;
            }
            None => at = start + digits.len(),
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            out.truncate(trim_end(&out).len());
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// Where a code's digits first stand in `text`. A substring searcher costs more to build than a
/// reply's text takes to read for the first digit.
fn find_digits(text: &[u8], digits: &[u8]) -> Option<usize> {
    memchr::memchr_iter(digits[0], text).find(|&at| text[at..].starts_with(digits))
}

/// Three digits followed by the end, a space, a tab or a dash.
fn split_reply_code(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let is_code = bytes.len() >= 3
        && bytes[..3].iter().all(u8::is_ascii_digit)
        && matches!(bytes.get(3), None | Some(b' ' | b'\t' | b'-'));
    is_code.then(|| line.split_at(3))
}

/// The status qmail and its offspring end a text with, in parentheses:
/// `sorry, no mailbox here by that name. (#5.1.1)`.
pub fn trailing_status(text: &str) -> Option<EnhancedCode> {
    let text = trim_end(text).strip_suffix(')')?;
    // The longest status, `(#5.123.123`, is 12 bytes.
    let open = text.len().saturating_sub(12);
    let at = memchr::memrchr(b'(', &text.as_bytes()[open..])? + open;
    EnhancedCode::parse_bytes(text[at + 1..].strip_prefix('#')?.as_bytes())
}

/// An enhanced code as the first word, optionally after a `#` (`550 #5.1.0 Address rejected`),
/// and optionally followed by punctuation (`5.1.1:`).
fn leading_enhanced(text: &str) -> (Option<EnhancedCode>, &str) {
    let word_end = memchr::memchr2(b' ', b'\t', text.as_bytes()).unwrap_or(text.len());
    let (word, after) = text.split_at(word_end);
    let word = word.strip_prefix('#').unwrap_or(word);
    let word = word.trim_end_matches([',', ';', ':', ')']);
    match EnhancedCode::parse_bytes(word.as_bytes()) {
        Some(code) => (Some(code), after),
        None => (None, text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(line: &str) -> (Option<u16>, Option<String>, String) {
        let r = parse(line).unwrap();
        (
            r.code.map(ReplyCode::as_u16),
            r.enhanced.map(|e| e.to_string()),
            r.text.to_string(),
        )
    }

    #[test]
    fn a_qmail_status_ends_the_text() {
        let status = |text| trailing_status(text).map(|code| code.to_string());
        assert_eq!(
            status("sorry, no mailbox here by that name. (#5.1.1)"),
            Some("5.1.1".into())
        );
        assert_eq!(
            status("qq temporary problem (#4.3.0)  "),
            Some("4.3.0".into())
        );
        assert_eq!(status("(#5.7.1)"), Some("5.7.1".into()));
        assert_eq!(status("see RFC 5321 (section 4.2.1)"), None);
        assert_eq!(status("closing (#5.1)"), None);
        assert_eq!(status("no status here"), None);
        assert_eq!(status(")"), None);
    }

    #[test]
    fn a_full_reply_gives_both_codes_and_keeps_the_text() {
        assert_eq!(
            codes("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"),
            (
                Some(550),
                Some("5.1.1".into()),
                "<bob@example.com>: Recipient address rejected: User unknown".into()
            )
        );
    }

    #[test]
    fn continuation_lines_are_marked() {
        let r =
            parse("550-5.7.26 This mail has been blocked because the sender is unauthenticated.")
                .unwrap();
        assert!(r.continued);
        assert_eq!(r.enhanced.unwrap().to_string(), "5.7.26");
        assert!(!parse("550 5.7.26 x").unwrap().continued);
    }

    #[test]
    fn either_code_may_stand_alone() {
        assert_eq!(codes("421"), (Some(421), None, String::new()));
        assert_eq!(
            codes("5.2.2 mailbox full"),
            (None, Some("5.2.2".into()), "mailbox full".into())
        );
        assert_eq!(
            codes("554 Transaction failed"),
            (Some(554), None, "Transaction failed".into())
        );
    }

    #[test]
    fn hash_and_punctuation_around_the_enhanced_code_are_tolerated() {
        assert_eq!(
            codes("550 #5.1.0 Address rejected").1.as_deref(),
            Some("5.1.0")
        );
        assert_eq!(codes("451 4.7.1: try again").1.as_deref(), Some("4.7.1"));
    }

    #[test]
    fn text_without_a_leading_code_is_not_a_response() {
        assert_eq!(parse("User unknown"), None);
        assert_eq!(parse("5500 things"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn codes_repeated_inside_a_joined_reply_are_removed() {
        let code = Some("550".parse().unwrap());
        let enhanced = Some("5.1.1".parse().unwrap());
        let text = "The email account does not exist. Please try 550-5.1.1 double-checking. \
                    Learn more at 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser x - gsmtp";
        assert_eq!(
            strip_repeated_codes(code, enhanced, false, text),
            "The email account does not exist. Please try double-checking. Learn more at \
             https://support.google.com/mail/?p=NoSuchUser x - gsmtp"
        );
        assert_eq!(
            strip_repeated_codes(code, enhanced, false, "quota 5500 of 550 used"),
            "quota 5500 of 550 used"
        );
        assert_eq!(
            strip_repeated_codes(code, None, false, "first 550-second 550 third"),
            "first second third"
        );
        // After a first line's `550-`, a bare `550 ` starts the next line.
        assert_eq!(
            strip_repeated_codes(code, None, true, "mailbox unavailable 550 invalid PTR"),
            "mailbox unavailable invalid PTR"
        );
        assert_eq!(
            strip_repeated_codes(code, None, false, "mailbox unavailable 550 invalid PTR"),
            "mailbox unavailable 550 invalid PTR"
        );
        assert_eq!(
            strip_repeated_codes(code, enhanced, false, "User unknown"),
            "User unknown"
        );
        assert_eq!(
            strip_repeated_codes(code, enhanced, false, "id 1550-2"),
            "id 1550-2"
        );
    }

    #[test]
    fn exims_escaped_line_breaks_go_with_the_codes() {
        let code = Some("550".parse().unwrap());
        let enhanced = Some("5.7.1".parse().unwrap());
        assert_eq!(
            strip_repeated_codes(
                code,
                enhanced,
                false,
                r"[203.0.113.5] this message is\n550-5.7.1 likely unsolicited.\n550 5.7.1 Blocked."
            ),
            "[203.0.113.5] this message is likely unsolicited. Blocked."
        );
        // A `\n` not followed by the code stays.
        assert_eq!(
            strip_repeated_codes(code, enhanced, false, r"one\ntwo, 550 used"),
            r"one\ntwo, 550 used"
        );
    }

    #[test]
    fn a_malformed_second_word_stays_in_the_text() {
        assert_eq!(
            codes("550 5.726 blocked"),
            (Some(550), None, "5.726 blocked".into())
        );
    }
}
