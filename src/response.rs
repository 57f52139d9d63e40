//! Splitting an SMTP response into its codes and its text: `550 5.1.1 <bob@...>: User unknown`,
//! `550-5.7.26 ...` (a line of a multi-line reply), `5.1.1 User unknown`, `550 #5.1.0 ...`.
//!
//! This knows nothing of where the response came from (a query, a log line, a DSN field), so every
//! reader can share it.

use crate::code::{EnhancedCode, ReplyCode};

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
    let line = line.trim_start();
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
    let (enhanced, after) = leading_enhanced(rest.trim_start());
    if code.is_none() && enhanced.is_none() {
        return None;
    }
    if enhanced.is_some() {
        rest = after;
    }
    Some(Response {
        code,
        enhanced,
        text: rest.trim(),
        continued,
    })
}

/// Three digits followed by the end, a space, a tab or a dash.
fn split_reply_code(line: &str) -> Option<(&str, &str)> {
    let bytes = line.as_bytes();
    let is_code = bytes.len() >= 3
        && bytes[..3].iter().all(u8::is_ascii_digit)
        && matches!(bytes.get(3), None | Some(b' ' | b'\t' | b'-'));
    is_code.then(|| line.split_at(3))
}

/// An enhanced code as the first word, optionally after a `#` (`550 #5.1.0 Address rejected`),
/// and optionally followed by punctuation (`5.1.1:`).
fn leading_enhanced(text: &str) -> (Option<EnhancedCode>, &str) {
    let word_end = text.find([' ', '\t']).unwrap_or(text.len());
    let (word, after) = text.split_at(word_end);
    let word = word.strip_prefix('#').unwrap_or(word);
    let word = word.trim_end_matches([',', ';', ':', ')']);
    match word.parse::<EnhancedCode>() {
        Ok(code) => (Some(code), after),
        Err(_) => (None, text),
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
    fn a_malformed_second_word_stays_in_the_text() {
        assert_eq!(
            codes("550 5.726 blocked"),
            (Some(550), None, "5.726 blocked".into())
        );
    }
}
