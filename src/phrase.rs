//! Finding the reason a reply's text gives, with the phrases of data/phrases.toml.
//!
//! One Aho-Corasick automaton over every phrase; a match counts only as whole words, and when
//! several phrases match, the one listed first in the data wins.

use crate::reason::Reason;
use crate::tables::PHRASES;
use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// A phrase found in a reply, and the reason it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhraseMatch {
    pub reason: Reason,
    /// The phrase as written in data/phrases.toml.
    pub phrase: &'static str,
}

/// How much work to put into building a text matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// A handful of replies (a lookup): build fast, search slower. A non-contiguous NFA without a
    /// prefilter builds in well under a millisecond, less than a faster automaton would cost.
    Few,
    /// A stream of many replies (the line reader): build once, then search at full speed. The
    /// reply-text scanner builds a `PatternSet` (pattern_set.rs) for its 700-odd patterns; an
    /// automaton here is a contiguous NFA with a prefilter. (A DFA over those 700 patterns
    /// searched fewer instructions per byte but took some 5 MiB, more than the caches hold.)
    Many,
}

/// The automaton every text matcher uses: ASCII case-insensitive, of the kind the workload needs.
pub(crate) fn case_insensitive_matcher<I, P>(patterns: I, workload: Workload) -> AhoCorasick
where
    I: IntoIterator<Item = P>,
    P: AsRef<[u8]>,
{
    let kind = match workload {
        Workload::Few => AhoCorasickKind::NoncontiguousNFA,
        Workload::Many => AhoCorasickKind::ContiguousNFA,
    };
    AhoCorasick::builder()
        .kind(Some(kind))
        .prefilter(workload == Workload::Many)
        .ascii_case_insensitive(true)
        .build(patterns)
        .expect("patterns are plain strings checked by build.rs")
}

/// The phrases of data/phrases.toml, ready to search.
#[derive(Debug, Clone)]
pub struct PhraseMatcher(AhoCorasick);

impl PhraseMatcher {
    pub fn new(workload: Workload) -> Self {
        PhraseMatcher(case_insensitive_matcher(
            PHRASES.iter().map(|(phrase, _)| phrase),
            workload,
        ))
    }

    /// The highest-priority phrase in `text`, if any.
    pub fn find(&self, text: &str) -> Option<PhraseMatch> {
        find_reason_with(&self.0, text)
    }
}

fn find_reason_with(matcher: &AhoCorasick, text: &str) -> Option<PhraseMatch> {
    let bytes = text.as_bytes();
    matcher
        .find_overlapping_iter(text)
        .filter(|m| is_word_start(bytes, m.start()) && is_word_end(bytes, m.end()))
        .map(|m| m.pattern().as_usize())
        .min()
        .map(|index| PhraseMatch {
            reason: PHRASES[index].1,
            phrase: PHRASES[index].0,
        })
}

/// A word boundary: the neighbour is not a letter or digit.
pub(crate) fn is_word_start(bytes: &[u8], start: usize) -> bool {
    start == 0 || !bytes[start - 1].is_ascii_alphanumeric()
}

pub(crate) fn is_word_end(bytes: &[u8], end: usize) -> bool {
    end == bytes.len() || !bytes[end].is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_reason(text: &str) -> Option<PhraseMatch> {
        let found = PhraseMatcher::new(Workload::Few).find(text);
        assert_eq!(found, PhraseMatcher::new(Workload::Many).find(text));
        found
    }

    fn reason(text: &str) -> Option<Reason> {
        find_reason(text).map(|m| m.reason)
    }

    #[test]
    fn phrases_match_whole_words_in_any_case() {
        assert_eq!(
            reason("Recipient address rejected: User unknown in virtual mailbox table"),
            Some(Reason::UserUnknown)
        );
        assert_eq!(reason("MAILBOX FULL"), Some(Reason::MailboxFull));
        assert_eq!(
            reason("a verbal warning"),
            None,
            "rbl must not match inside a word"
        );
    }

    #[test]
    fn the_phrase_listed_first_wins() {
        // "spamhaus" is listed before "blocked" and before the user phrases.
        let m = find_reason(
            "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
        )
        .unwrap();
        assert_eq!((m.reason, m.phrase), (Reason::Blocked, "spamhaus"));
        assert_eq!(
            reason("Sender address rejected: Domain not found"),
            Some(Reason::Rejected)
        );
        assert_eq!(
            reason("The domain does not exist"),
            Some(Reason::HostUnknown)
        );
        assert_eq!(
            reason("This mail has been blocked because the sender is unauthenticated"),
            Some(Reason::AuthFailure)
        );
        // Why a sender was refused outranks that it was.
        assert_eq!(
            reason("Sender address rejected: Message rejected due to: SPF fail - not authorized"),
            Some(Reason::AuthFailure)
        );
        assert_eq!(
            reason("Sender rejected: DMARC policy violation"),
            Some(Reason::AuthFailure)
        );
        assert_eq!(
            reason("Sender address rejected: cannot find your reverse hostname"),
            Some(Reason::RequirePtr)
        );
    }

    #[test]
    fn exim_giving_up_after_its_retry_timeout_is_expired() {
        for text in [
            "retry timeout exceeded",
            "all hosts for 'example.org' have been failing for a long time (and retry time not reached)",
        ] {
            assert_eq!(reason(text), Some(Reason::Expired), "{text}");
        }
    }

    #[test]
    fn text_without_a_known_phrase_has_no_reason() {
        assert_eq!(reason("OK queued as 12345"), None);
        assert_eq!(reason(""), None);
    }
}
