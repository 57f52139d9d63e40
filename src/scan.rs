//! One pass over a reply's text for every rule that reads it: the phrases that decide a reason,
//! the blocklist zones it may name, and the words that come before a wait ("try again in").
//!
//! Each rule has its own module and could search alone; a stream classifies so many replies that
//! one automaton over all their patterns, walked once per text, is worth the extra module.

use crate::blocklist::host_at;
use crate::phrase::{case_insensitive_matcher, is_word_end, is_word_start, PhraseMatch, Workload};
use crate::provider::{self, Hits};
use crate::retry::{duration, LEADS};
use crate::tables::{BLOCKLIST_ZONES, PHRASES};
use aho_corasick::AhoCorasick;

/// What a reply's text says, as far as the rules read it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Findings<'t> {
    /// The highest-priority phrase, as `phrase::PhraseMatcher` finds it.
    pub phrase: Option<PhraseMatch>,
    /// The first blocklist host named, as `blocklist::BlocklistMatcher` finds it.
    pub blocklist: Option<&'t str>,
    /// The first wait asked for, in seconds, as `retry::retry_after` reads it.
    pub retry_after: Option<u64>,
    /// The provider phrases and markers it holds, for `provider::identify`.
    pub providers: Hits,
}

/// The patterns of all four rules in one automaton: phrases, zones, wait leads, then provider
/// phrases and markers.
#[derive(Debug, Clone)]
pub struct TextScanner {
    matcher: AhoCorasick,
}

const ZONES_START: usize = PHRASES.len();
const LEADS_START: usize = ZONES_START + BLOCKLIST_ZONES.len();
const PROVIDERS_START: usize = LEADS_START + LEADS.len();

impl TextScanner {
    pub fn new(workload: Workload) -> Self {
        let patterns = PHRASES
            .iter()
            .map(|(phrase, _)| *phrase)
            .chain(BLOCKLIST_ZONES.iter().copied())
            .chain(LEADS)
            .chain(provider::patterns());
        TextScanner {
            matcher: case_insensitive_matcher(patterns, workload),
        }
    }

    pub fn scan<'t>(&self, text: &'t str) -> Findings<'t> {
        let bytes = text.as_bytes();
        let mut best_phrase: Option<usize> = None;
        let mut blocklist = None;
        let mut retry_after = None;
        let mut providers = Hits::default();
        for m in self.matcher.find_overlapping_iter(text) {
            let id = m.pattern().as_usize();
            if id < ZONES_START {
                if best_phrase.is_none_or(|best| id < best)
                    && is_word_start(bytes, m.start())
                    && is_word_end(bytes, m.end())
                {
                    best_phrase = Some(id);
                }
            } else if id < LEADS_START {
                if blocklist.is_none() {
                    blocklist = host_at(text, m.start(), m.end());
                }
            } else if id < PROVIDERS_START {
                if retry_after.is_none() {
                    retry_after = duration(&text[m.end()..]);
                }
            } else if provider::is_whole(id - PROVIDERS_START, bytes, m.start(), m.end()) {
                providers.push(id - PROVIDERS_START);
            }
        }
        Findings {
            phrase: best_phrase.map(|index| PhraseMatch {
                reason: PHRASES[index].1,
                phrase: PHRASES[index].0,
            }),
            blocklist,
            retry_after,
            providers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocklist::BlocklistMatcher;
    use crate::phrase::PhraseMatcher;
    use crate::retry::retry_after;

    #[test]
    fn one_pass_finds_what_each_rule_finds_alone() {
        let scanner = TextScanner::new(Workload::Many);
        let phrases = PhraseMatcher::new(Workload::Few);
        let zones = BlocklistMatcher::new(Workload::Few);
        for text in [
            "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; try again in 1h",
            "<bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table",
            "Greylisted, please try again in 5 minutes",
            "mailbox full, retry after 300 seconds, see b.barracudacentral.org.",
            "OK queued as 12345",
            "a verbal warning from notspamhaus.org",
            "",
        ] {
            let found = scanner.scan(text);
            assert_eq!(found.phrase, phrases.find(text), "{text}");
            assert_eq!(found.blocklist, zones.find(text), "{text}");
            assert_eq!(found.retry_after, retry_after(text), "{text}");
        }
    }
}
