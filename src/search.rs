//! Finding entries by words: `smtpcode search mailbox full`, `smtpcode search dmarc`.
//!
//! Every word of the query must appear in the entry, at the start of a word of its texts and
//! regardless of case (`mailbox` also finds "mailboxes"). A word counts for more in a title than
//! in a meaning, in a meaning than in causes, and whole more than as a prefix; the words together
//! as a phrase add to that, and an entry of the standard tables counts double against a single
//! provider's reply. A code in the query (`550`, `5.7.26`) finds the entries for that code
//! first.

use crate::catalog::{self, Entry, Field, Filter};
use crate::code::EnhancedCode;

/// An entry that matched, with its score: higher is a better match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub entry: Entry,
    pub score: u32,
}

/// Small words that say nothing about an entry, left out of a query that has other words.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "at", "be", "by", "for", "in", "is", "it", "of", "on", "or", "the",
    "to",
];

/// What the query is made of.
#[derive(Debug, PartialEq, Eq)]
struct Query {
    /// Lowercase words, stop words left out.
    words: Vec<String>,
    /// The words as one phrase.
    phrase: String,
}

impl Query {
    fn new(text: &str) -> Query {
        let all: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric() && c != '.')
            .flat_map(|token| {
                let token = token.trim_matches('.');
                // A dotted code stays whole; other dotted words split at their dots.
                let code = token.bytes().all(|b| b.is_ascii_digit() || b == b'.');
                let parts: Vec<&str> = if code {
                    vec![token]
                } else {
                    token.split('.').collect()
                };
                parts.into_iter().map(str::to_lowercase)
            })
            .filter(|word| !word.is_empty())
            .collect();
        let phrase = all.join(" ");
        let meaningful: Vec<String> = all
            .iter()
            .filter(|w| !STOP_WORDS.contains(&w.as_str()))
            .cloned()
            .collect();
        Query {
            words: if meaningful.is_empty() {
                all
            } else {
                meaningful
            },
            phrase,
        }
    }
}

/// The entries of `scope` that hold every word of `query`, best first; entries that score alike
/// keep table order (basic codes, enhanced codes, providers, provider replies).
pub fn search(query: &str, scope: &Filter) -> Vec<Hit> {
    let query = Query::new(query);
    if query.words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = catalog::list(scope)
        .into_iter()
        .filter_map(|entry| score(&entry, &query).map(|score| Hit { entry, score }))
        .collect();
    hits.sort_by_key(|hit| std::cmp::Reverse(hit.score));
    hits
}

fn weight(field: Field) -> u32 {
    match field {
        Field::Title => 8,
        Field::Meaning => 4,
        Field::Causes => 2,
        Field::Aside => 1,
    }
}

/// The entry's score for the query, or `None` when a word is missing from it.
fn score(entry: &Entry, query: &Query) -> Option<u32> {
    let texts: Vec<(Field, String)> = entry
        .texts()
        .into_iter()
        .map(|(field, text)| (field, text.to_lowercase()))
        .collect();
    let mut total = 0;
    for word in &query.words {
        let in_code = code_score(entry, word);
        let in_text = texts
            .iter()
            .filter_map(|(field, text)| {
                find_word(text, word).map(|whole| weight(*field) * if whole { 2 } else { 1 })
            })
            .max()
            .unwrap_or(0);
        let best = in_code.max(in_text);
        if best == 0 {
            return None;
        }
        total += best;
    }
    // The standard tables answer for everyone; a provider's reply only for that provider.
    if matches!(entry, Entry::Reply(_) | Entry::Enhanced { .. }) {
        total *= 2;
    }
    if query.words.len() > 1 {
        let phrase_bonus = texts
            .iter()
            .filter(|(_, text)| text.contains(&query.phrase))
            .map(|(field, _)| weight(*field) * 2)
            .max()
            .unwrap_or(0);
        total += phrase_bonus;
    }
    Some(total)
}

/// How well a word that is a code matches the entry's code: 50 for the same code, 40 for the
/// enhanced code of the same detail in another class, 0 otherwise.
fn code_score(entry: &Entry, word: &str) -> u32 {
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return 0;
    }
    let enhanced: Option<EnhancedCode> = word.parse().ok();
    match entry {
        Entry::Reply(reply) => u32::from(reply.code.to_string() == word) * 50,
        Entry::Enhanced { entry, class } => match enhanced {
            Some(code) if code.subject() == entry.subject && code.detail() == entry.detail => {
                if *class == Some(code.class()) {
                    50
                } else {
                    40
                }
            }
            _ => 0,
        },
        Entry::Provider(_) | Entry::ServiceClass(_) => 0,
        Entry::ProviderReply(reply) => {
            let basic = reply.code.is_some_and(|c| c.to_string() == word);
            let in_span = enhanced
                .zip(reply.enhanced)
                .is_some_and(|(code, span)| span.contains(code));
            if basic || in_span {
                30
            } else {
                0
            }
        }
    }
}

/// Whether `word` starts a word of `text`: `Some(true)` when it is the whole word, `Some(false)`
/// when only its start.
fn find_word(text: &str, word: &str) -> Option<bool> {
    let bytes = text.as_bytes();
    let mut whole_seen = None;
    for (start, _) in text.match_indices(word) {
        if start > 0 && is_word_char(bytes[start - 1]) {
            continue;
        }
        let end = start + word.len();
        let whole = end == bytes.len() || !is_word_char(bytes[end]);
        if whole {
            return Some(true);
        }
        whole_seen = Some(false);
    }
    whole_seen
}

fn is_word_char(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Kind;

    fn top(query: &str, count: usize) -> Vec<String> {
        search(query, &Filter::everything(None))
            .iter()
            .take(count)
            .map(|hit| hit.entry.code())
            .collect()
    }

    #[test]
    fn query_words_are_lowercase_without_stop_words() {
        let query = Query::new("Mailbox is FULL");
        assert_eq!(query.words, ["mailbox", "full"]);
        assert_eq!(query.phrase, "mailbox is full");
        assert_eq!(Query::new("the").words, ["the"]);
        assert_eq!(Query::new("5.7.26, DMARC.").words, ["5.7.26", "dmarc"]);
        assert_eq!(Query::new("gmail.com").words, ["gmail", "com"]);
    }

    #[test]
    fn words_match_at_word_starts_only() {
        assert_eq!(find_word("the mailbox is full", "mailbox"), Some(true));
        assert_eq!(find_word("mailboxes are full", "mailbox"), Some(false));
        assert_eq!(find_word("a postmailbox", "mailbox"), None);
        assert_eq!(find_word("no such user", "user"), Some(true));
    }

    #[test]
    fn mailbox_full_finds_the_mailbox_full_codes_first() {
        let found = top("mailbox full", 3);
        assert!(found.contains(&"X.2.2".to_string()), "{found:?}");
    }

    #[test]
    fn the_standard_codes_come_before_providers_wording() {
        let hits = search("dmarc", &Filter::everything(None));
        let first_provider = hits
            .iter()
            .position(|h| h.entry.kind() == Kind::ProviderReply)
            .unwrap();
        let x7_26 = hits
            .iter()
            .position(|h| h.entry.code() == "X.7.26")
            .unwrap();
        assert!(x7_26 < first_provider, "{hits:?}");
    }

    #[test]
    fn every_word_must_be_present() {
        for hit in search("dmarc reject", &Filter::everything(None)) {
            let text: String = hit
                .entry
                .texts()
                .iter()
                .map(|(_, t)| t.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains("dmarc") && text.contains("reject"), "{text}");
        }
    }

    #[test]
    fn a_code_finds_its_entries_first() {
        let hits = search("5.7.26", &Filter::everything(None));
        assert_eq!(hits[0].entry.code(), "X.7.26");
        let hits = search("550", &Filter::everything(None));
        assert_eq!(hits[0].entry.kind(), Kind::Reply);
        assert_eq!(hits[0].entry.code(), "550");
    }

    #[test]
    fn a_provider_scope_keeps_only_its_replies() {
        let yahoo = crate::provider::named("yahoo").unwrap();
        let hits = search("temporarily deferred", &Filter::everything(Some(yahoo)));
        assert!(!hits.is_empty());
        assert!(hits.iter().all(|h| h.entry.provider() == Some(yahoo)));
    }

    #[test]
    fn nothing_found_is_empty() {
        assert!(search("xylophone", &Filter::everything(None)).is_empty());
        assert!(search("  ", &Filter::everything(None)).is_empty());
    }
}
