//! Reading when a reply says to come back: "try again in 5 minutes", "retry after 300 seconds".

use crate::phrase::{case_insensitive_matcher, Workload};
use aho_corasick::AhoCorasick;
use std::sync::OnceLock;

/// The words that come before a wait. A hold "for" a time is a wait too when the words say the
/// receiver holds the sender off ("greylisted for 5 minutes", "deferred for 30 minutes"); a
/// "delayed for 2 days" says how long the message has waited, and is not among them.
pub(crate) const LEADS: [&str; 11] = [
    "again in ",
    "again after ",
    "retry in ",
    "retry after ",
    "wait ",
    "in about ",
    "come back in ",
    "come back after ",
    "greylisted for ",
    "deferred for ",
    "blocked for ",
];

/// The wait the text asks for, in seconds.
pub fn retry_after(text: &str) -> Option<u64> {
    static LEAD_MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
    let matcher = LEAD_MATCHER.get_or_init(|| case_insensitive_matcher(LEADS, Workload::Few));
    matcher
        .find_overlapping_iter(text)
        .find_map(|m| duration(&text[m.end()..]))
}

/// "5 minutes", "300 seconds", "1h", "2 hours" at the start of `text`.
pub(crate) fn duration(text: &str) -> Option<u64> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let number: u64 = text[..digits].parse().ok()?;
    let unit = text[digits..].trim_start();
    let unit_len = unit.bytes().take_while(u8::is_ascii_alphabetic).count();
    let unit_word = unit[..unit_len].to_ascii_lowercase();
    let seconds = match unit_word.as_str() {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return None,
    };
    number.checked_mul(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_read_in_seconds() {
        assert_eq!(retry_after("421 4.7.0 Try again in 5 minutes"), Some(300));
        assert_eq!(retry_after("please retry after 300 seconds"), Some(300));
        assert_eq!(
            retry_after("Greylisted, please try again in 1h"),
            Some(3600)
        );
        assert_eq!(retry_after("try again later"), None);
        assert_eq!(retry_after("in about 99999999999999999999 days"), None);
        assert_eq!(retry_after("Please WAIT 2 Hours"), Some(7200));
        assert_eq!(
            retry_after("Client host rejected: Greylisted for 5 minutes"),
            Some(300)
        );
        assert_eq!(
            retry_after("421 4.7.0 Deferred for 30 minutes due to excessive volume"),
            Some(1800)
        );
        assert_eq!(retry_after("IP temporarily blocked for 1 hour"), Some(3600));
        assert_eq!(retry_after("Please come back in 10 minutes"), Some(600));
        assert_eq!(
            retry_after("Message delayed for 2 days"),
            None,
            "how long it waited, not how long to wait"
        );
    }
}
