//! One pass over a reply's text for every rule that reads it: the phrases that decide a reason,
//! the blocklist zones it may name, and the words that come before a wait ("try again in").
//!
//! Each rule has its own module and could search alone; a stream classifies so many replies that
//! one matcher over all their patterns, run once per text, is worth the extra module.

use crate::blocklist::host_at;
use crate::pattern_set::PatternSet;
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

/// The patterns of all four rules in one matcher: phrases, zones, wait leads, then provider
/// phrases and markers.
#[derive(Debug, Clone)]
pub struct TextScanner {
    matcher: Matcher,
}

/// A few texts are read with an automaton that builds in no time; a stream with a `PatternSet`,
/// which searches several times faster.
#[derive(Debug, Clone)]
enum Matcher {
    Automaton(AhoCorasick),
    Set(PatternSet),
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
        let matcher = match workload {
            Workload::Few => Matcher::Automaton(case_insensitive_matcher(patterns, workload)),
            Workload::Many => Matcher::Set(PatternSet::with_samples(
                patterns,
                provider::replies().iter().map(|reply| reply.example),
            )),
        };
        TextScanner { matcher }
    }

    pub fn scan<'t>(&self, text: &'t str) -> Findings<'t> {
        let bytes = text.as_bytes();
        let mut best_phrase: Option<usize> = None;
        let mut blocklist = None;
        let mut retry_after = None;
        let mut providers = Hits::default();
        let mut take = |id: usize, start: usize, end: usize| {
            if id < ZONES_START {
                if best_phrase.is_none_or(|best| id < best)
                    && is_word_start(bytes, start)
                    && is_word_end(bytes, end)
                {
                    best_phrase = Some(id);
                }
            } else if id < LEADS_START {
                if blocklist.is_none() {
                    blocklist = host_at(text, start, end);
                }
            } else if id < PROVIDERS_START {
                if retry_after.is_none() {
                    retry_after = duration(&text[end..]);
                }
            } else if provider::is_whole(id - PROVIDERS_START, bytes, start, end) {
                providers.push(id - PROVIDERS_START);
            }
        };
        match &self.matcher {
            Matcher::Automaton(automaton) => {
                for m in automaton.find_overlapping_iter(text) {
                    take(m.pattern().as_usize(), m.start(), m.end());
                }
            }
            Matcher::Set(set) => {
                for m in set.find_all(bytes).iter() {
                    take(m.pattern, m.start, m.end);
                }
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
