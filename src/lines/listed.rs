//! Bounces that list each failed address on a line of its own with the reason in brackets, under
//! a heading of their own:
//!
//! - GroupWise: `The message that you sent was undeliverable to the following:`, then
//!   `bob@example.com (user not found)` indented by a tab;
//! - McAfee's gateways: `--- The following addresses had delivery problems ---`, a blank line,
//!   then `<bob@example.com>   (User unknown bob@example.com)`.
//!
//! The reason has no code: its words decide it, and the heading says the message failed.

use super::exchange;

/// The headings above such a list, as they stand on their line.
const LEADS: [&str; 2] = [
    "The message that you sent was undeliverable to the following:",
    "--- The following addresses had delivery problems ---",
];

/// How far below its heading a list's last address may be.
pub const REACH: u64 = 40;

/// Whether a line, trimmed, is the heading of such a list.
pub fn is_lead(text: &str) -> bool {
    LEADS.contains(&text)
}

/// Whether a line's first bytes may be such a heading: `The message ` or `--- The `.
#[inline]
pub fn may_lead(bytes: &[u8]) -> bool {
    bytes.starts_with(b"The message that you sent ") || bytes.starts_with(b"--- The following ")
}

/// The address and the bracketed reason of a line of such a list: `bob@example.com (user not
/// found)`, `<bob@example.com>   (User unknown bob@example.com)`.
pub fn entry(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let (address, rest) = text.split_once([' ', '\t'])?;
    let reason = rest
        .trim_start()
        .strip_prefix('(')?
        .strip_suffix(')')?
        .trim();
    let address = exchange::address_line(address)?;
    (!reason.is_empty()).then_some((address, reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_comes_with_its_reason() {
        assert_eq!(
            entry("\tbob@example.com (user not found)"),
            Some(("bob@example.com", "user not found"))
        );
        assert_eq!(
            entry("<bob@example.com>   (User unknown bob@example.com)"),
            Some(("bob@example.com", "User unknown bob@example.com"))
        );
    }

    #[test]
    fn other_lines_are_no_entries() {
        for line in [
            "bob@example.com",
            "bob@example.com (",
            "bob@example.com ()",
            "Possibly truncated original message follows:",
            "From: bob@example.com (Bob)",
            "bob (bob@example.com)",
            "bob@example.com (user not found) and more",
        ] {
            assert_eq!(entry(line), None, "{line}");
        }
    }

    #[test]
    fn headings_are_told_whole() {
        for lead in LEADS {
            assert!(is_lead(lead));
            assert!(may_lead(lead.as_bytes()));
        }
        assert!(!is_lead("The message that you sent was delivered"));
    }
}
