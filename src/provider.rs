//! Provider knowledge: which receiver, filter or blocklist a reply comes from, and what it means
//! by it (data/providers.toml).
//!
//! A provider shows itself three ways: a phrase only its replies carry (`[TSS04]`,
//! `RESOLVER.ADR.RecipientNotFound`), a marker it stamps on every reply (`gsmtp`), or the name of
//! the host that answered (`alt1.aspmx.l.google.com`). A blocklist shows itself by its zone, and
//! its DNS answer (`127.0.0.4`) says which of its lists holds the sender.

use crate::code::{EnhancedCode, ReplyCode};
use crate::tables::{
    BlocklistAnswer, EnhancedSpan, Identify, PatternTarget, ProviderEntry, ProviderKind,
    ProviderReply, BLOCKLIST_ANSWERS, PROVIDERS, PROVIDER_HOSTS, PROVIDER_HOST_WORDS,
    PROVIDER_NAMES, PROVIDER_PATTERNS, PROVIDER_REPLIES,
};
use rustc_hash::{FxBuildHasher, FxHashMap};
use std::cell::RefCell;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::LazyLock;

/// Every provider, in data order.
pub fn all() -> &'static [ProviderEntry] {
    &PROVIDERS
}

/// Every provider reply, in data order.
pub fn replies() -> &'static [ProviderReply] {
    &PROVIDER_REPLIES
}

/// Every blocklist answer, in data order.
pub fn answers() -> &'static [BlocklistAnswer] {
    &BLOCKLIST_ANSWERS
}

/// The provider a name stands for: its id or an alias (`gmail`), or one of its host names
/// (`gmail.com` is not one, but `google.com` is), in any case.
pub fn named(name: &str) -> Option<&'static ProviderEntry> {
    let name = name.trim().to_ascii_lowercase();
    PROVIDER_NAMES
        .get(name.as_str())
        .map(|&index| &PROVIDERS[index])
        .or_else(|| by_host(&name))
}

/// The provider whose host names end with `host` (the longest suffix wins), or contain one of
/// its host words.
pub fn by_host(host: &str) -> Option<&'static ProviderEntry> {
    host_index(host).map(|index| &PROVIDERS[index])
}

/// `by_host`, as an index in `PROVIDERS`. A stream meets the same relays again and again: the
/// last answer for each of a few hundred names is kept, per thread.
fn host_index(host: &str) -> Option<usize> {
    const SLOTS: usize = 512;
    type Seen = Vec<Option<(Box<str>, Option<usize>)>>;
    thread_local! {
        static SEEN: RefCell<Seen> = RefCell::new(vec![None; SLOTS]);
    }
    let slot = FxBuildHasher.hash_one(host) as usize % SLOTS;
    SEEN.with_borrow_mut(|seen| {
        if let Some((name, found)) = &seen[slot] {
            if **name == *host {
                return *found;
            }
        }
        let found = look_up_host(host);
        seen[slot] = Some((host.into(), found));
        found
    })
}

/// `host_index` without the memory of recent names.
fn look_up_host(host: &str) -> Option<usize> {
    let host = host.trim_end_matches('.');
    if host.len() > 255 || host.is_empty() {
        return None;
    }
    // Logs write host names in small letters, mostly; the others are folded (once per name, with
    // `host_index`'s memory in front).
    let folded;
    let lower: &[u8] = if host.bytes().any(|b| b.is_ascii_uppercase()) {
        folded = host.to_ascii_lowercase();
        folded.as_bytes()
    } else {
        host.as_bytes()
    };
    // The same lookups as `PROVIDER_HOSTS.get`, with a hash a few times cheaper than the perfect
    // hash's: a stream asks for two or three suffixes of every relay's name.
    static BY_SUFFIX: LazyLock<FxHashMap<&'static [u8], usize>> = LazyLock::new(|| {
        PROVIDER_HOSTS
            .entries()
            .map(|(&k, &v)| (k.as_bytes(), v))
            .collect()
    });
    let mut suffix = lower;
    loop {
        if let Some(&index) = BY_SUFFIX.get(suffix) {
            return Some(index);
        }
        match suffix.iter().position(|&b| b == b'.') {
            Some(dot) => suffix = &suffix[dot + 1..],
            None => break,
        }
    }
    // Names are short: a plain search beats building or ranking anything.
    let contains = |word: &[u8]| {
        lower
            .windows(word.len())
            .any(|at| at[0] == word[0] && at == word)
    };
    PROVIDER_HOST_WORDS
        .iter()
        .find(|(word, _)| contains(word.as_bytes()))
        .map(|&(_, index)| index)
}

/// The reply entries of the provider at `index` in `PROVIDERS`, in data order.
fn replies_of(index: usize) -> impl Iterator<Item = &'static ProviderReply> {
    // Built once: a stream asks for a provider's replies on every line from its hosts.
    static BY_PROVIDER: LazyLock<Vec<Vec<u16>>> = LazyLock::new(|| {
        let mut by_provider = vec![Vec::new(); PROVIDERS.len()];
        for (at, reply) in PROVIDER_REPLIES.iter().enumerate() {
            by_provider[reply.provider].push(u16::try_from(at).expect("fewer than 65536 replies"));
        }
        by_provider
    });
    BY_PROVIDER[index]
        .iter()
        .map(|&at| &PROVIDER_REPLIES[usize::from(at)])
}

/// The provider reply entries that go with these codes: those whose enhanced code matches when
/// one is given, otherwise those with this basic code.
pub fn replies_for(
    code: Option<ReplyCode>,
    enhanced: Option<EnhancedCode>,
) -> impl Iterator<Item = &'static ProviderReply> {
    PROVIDER_REPLIES.iter().filter(move |reply| match enhanced {
        Some(enhanced) => {
            reply.enhanced.is_some_and(|span| span.contains(enhanced))
                && code.is_none_or(|code| reply.code.is_none_or(|c| c == code.as_u16()))
        }
        None => code.is_some_and(|code| reply.code == Some(code.as_u16())),
    })
}

impl EnhancedSpan {
    pub fn contains(self, code: EnhancedCode) -> bool {
        code.class() == self.class
            && code.subject() == self.subject
            && (self.first..=self.last).contains(&code.detail())
    }
}

impl fmt::Display for EnhancedSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.class, self.subject, self.first)?;
        if self.last != self.first {
            write!(f, "-{}", self.last)?;
        }
        Ok(())
    }
}

impl ProviderReply {
    pub fn provider(&self) -> &'static ProviderEntry {
        &PROVIDERS[self.provider]
    }

    /// A note on the enhanced code: when the provider gives a registered code a meaning of its
    /// own, or uses one the registry does not have.
    pub fn code_note(&self) -> Option<String> {
        let span = self.enhanced?;
        let name = self.provider().name;
        let registered = crate::tables::detail(span.subject, span.first);
        match registered {
            Some(entry) if self.redefines => Some(format!(
                "{span} has a meaning of its own at {name}; the registry's X.{}.{} is \"{}\"",
                span.subject, span.first, entry.text
            )),
            None if span.first == span.last => Some(format!(
                "{span} is {name}'s own code; the IANA registry does not have it"
            )),
            None => Some(format!(
                "{span} are {name}'s own codes; the IANA registry does not have them"
            )),
            Some(_) => None,
        }
    }

    /// The class digit its codes say, basic code first.
    pub(crate) fn class(&self) -> Option<u8> {
        self.code
            .map(|c| (c / 100) as u8)
            .or(self.enhanced.map(|span| span.class))
    }
}

impl BlocklistAnswer {
    pub fn provider(&self) -> &'static ProviderEntry {
        &PROVIDERS[self.provider]
    }

    /// Whether the answer `a.b.c.d` from `zone` holds this entry.
    fn holds(&self, zone: &str, answer: [u8; 4]) -> bool {
        let in_zone = self
            .zones
            .iter()
            .any(|z| zone.len() >= z.len() && zone[zone.len() - z.len()..].eq_ignore_ascii_case(z));
        if !in_zone || answer[..3] != self.head {
            return false;
        }
        let last = answer[3];
        if self.bitmask {
            last & self.first != 0
        } else {
            (self.first..=self.last).contains(&last)
        }
    }
}

/// The text patterns of providers, for the scanner that holds them.
pub(crate) fn patterns() -> impl Iterator<Item = &'static str> {
    PROVIDER_PATTERNS.iter().map(|(pattern, _)| *pattern)
}

/// Whether pattern `id`, found at `start..end` of `text`, stands as whole words: it may not begin
/// inside a word, nor end inside one unless it is only a marker (`mwinf` in `mwinf5c40`). An edge
/// that is not a letter or digit (`(mxgmx`, `SFR_IN_`) is its own boundary.
pub(crate) fn is_whole(id: usize, text: &[u8], start: usize, end: usize) -> bool {
    let (pattern, targets) = PROVIDER_PATTERNS[id];
    let pattern = pattern.as_bytes();
    let starts_word = pattern[0].is_ascii_alphanumeric();
    let ends_word = pattern[pattern.len() - 1].is_ascii_alphanumeric()
        && targets.iter().any(|t| matches!(t, PatternTarget::Reply(_)));
    (!starts_word || crate::phrase::is_word_start(text, start))
        && (!ends_word || crate::phrase::is_word_end(text, end))
}

/// The provider patterns one text holds, as the scanner found them (the first few).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Hits {
    ids: [u16; Hits::CAP],
    len: u8,
}

impl Hits {
    const CAP: usize = 16;

    pub(crate) fn push(&mut self, pattern: usize) {
        let len = usize::from(self.len);
        if len < Self::CAP && !self.ids[..len].contains(&(pattern as u16)) {
            self.ids[len] = pattern as u16;
            self.len += 1;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn patterns(&self) -> impl Iterator<Item = (&'static str, &'static [PatternTarget])> + '_ {
        self.ids[..usize::from(self.len)]
            .iter()
            .map(|&id| PROVIDER_PATTERNS[usize::from(id)])
    }
}

/// What showed the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clue {
    /// A phrase of one of its replies.
    Phrase(&'static str),
    /// A marker it puts on its replies.
    Marker(&'static str),
    /// The name of the host that answered.
    Host,
    /// Its own enhanced code, from a host or marker already known to be its.
    Code(EnhancedCode),
    /// The blocklist zone the reply names.
    Zone,
    /// The blocklist zone and its DNS answer: the list that holds the sender.
    Answer(&'static str),
}

/// The provider a reply comes from, and its meaning when the data has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identified {
    pub provider: &'static ProviderEntry,
    pub reply: Option<&'static ProviderReply>,
    pub answer: Option<&'static BlocklistAnswer>,
    pub clue: Clue,
}

/// What the reader knows of a reply, for identifying its provider.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sighting<'a> {
    pub code: Option<ReplyCode>,
    pub enhanced: Option<EnhancedCode>,
    pub text: &'a str,
    /// The host that answered, from the log or DSN.
    pub host: Option<&'a str>,
    /// The blocklist host the text names.
    pub blocklist: Option<&'a str>,
    pub hits: Hits,
}

/// Finds who sent a reply and what they mean by it.
///
/// A phrase of a provider's reply decides first: the one whose enhanced code fits, then words only
/// that provider uses, then a fitting basic code, then a provider already known from the host or
/// a marker, then the longer phrase, then data order. A phrase whose class contradicts the reply's never counts. Next comes
/// a blocklist the text names, with the meaning of its DNS answer when the text quotes one; then a
/// provider known from the host name or a marker, with the meaning of its own enhanced code when
/// it has exactly one.
pub fn identify(seen: &Sighting<'_>) -> Option<Identified> {
    let mut known: [Option<(usize, Clue)>; 4] = [None; 4];
    let mut note_known = |index: usize, clue: Clue| {
        if let Some(slot) = known
            .iter_mut()
            .find(|slot| slot.is_none_or(|(i, _)| i == index))
        {
            if slot.is_none() {
                *slot = Some((index, clue));
            }
        }
    };
    if let Some(index) = seen.host.and_then(host_index) {
        note_known(index, Clue::Host);
    }
    for (pattern, targets) in seen.hits.patterns() {
        for target in targets {
            if let PatternTarget::Marker(index) = *target {
                note_known(index, Clue::Marker(pattern));
            }
        }
    }
    let is_known = |index: usize| known.iter().flatten().any(|&(i, _)| i == index);
    let class = seen
        .code
        .map(ReplyCode::class)
        .or(seen.enhanced.map(EnhancedCode::class));

    type Score = (bool, bool, bool, bool, usize, std::cmp::Reverse<usize>);
    let mut best: Option<(Score, usize, &'static str)> = None;
    for (pattern, targets) in seen.hits.patterns() {
        for target in targets {
            let PatternTarget::Reply(index) = *target else {
                continue;
            };
            let reply = &PROVIDER_REPLIES[index];
            if class.is_some_and(|class| reply.class().is_some_and(|c| c != class)) {
                continue;
            }
            let enhanced_fits = seen
                .enhanced
                .is_some_and(|e| reply.enhanced.is_some_and(|span| span.contains(e)));
            let code_fits = seen.code.is_some_and(|c| reply.code == Some(c.as_u16()));
            let provider_known = is_known(reply.provider);
            let admitted = match reply.identify {
                Identify::Phrase => true,
                Identify::Code => {
                    (reply.enhanced.is_none() || enhanced_fits)
                        && (reply.code.is_none() || code_fits)
                }
                Identify::Host => provider_known,
            };
            if !admitted {
                continue;
            }
            // Codes first, then words only this provider uses, then a provider already
            // known, then the longer words, then data order.
            let score = (
                enhanced_fits,
                reply.identify != Identify::Host,
                code_fits,
                provider_known,
                pattern.len(),
                std::cmp::Reverse(index),
            );
            if best.is_none_or(|(best_score, _, _)| score > best_score) {
                best = Some((score, index, pattern));
            }
        }
    }
    // A receiver's own words explain most; a blocklist's DNS answer beats its generic wording.
    let listed = seen.blocklist.and_then(|zone| {
        let provider = by_host(zone).filter(|p| p.kind == ProviderKind::Blocklist)?;
        let answer = answers_in(seen.text).find_map(|(_, answer)| {
            BLOCKLIST_ANSWERS
                .iter()
                .find(|entry| entry.holds(zone, answer))
        });
        Some((provider, answer))
    });
    let best = best.map(|(_, index, pattern)| (&PROVIDER_REPLIES[index], pattern));
    match (best, listed) {
        (Some((reply, pattern)), listed)
            if reply.provider().kind != ProviderKind::Blocklist
                || listed.is_none_or(|(_, answer)| answer.is_none()) =>
        {
            return Some(Identified {
                provider: reply.provider(),
                reply: Some(reply),
                answer: None,
                clue: Clue::Phrase(pattern),
            });
        }
        (_, Some((provider, Some(answer)))) => {
            return Some(Identified {
                provider,
                reply: None,
                answer: Some(answer),
                clue: Clue::Answer(answer.list),
            });
        }
        (_, Some((provider, None))) => {
            return Some(Identified {
                provider,
                reply: None,
                answer: None,
                clue: Clue::Zone,
            });
        }
        (_, None) => {}
    }

    let (index, clue) = known.into_iter().flatten().next()?;
    // Provider replies are all failures: a delivery's code needs no search through them.
    let own_code = seen
        .enhanced
        .filter(|e| !e.is_success())
        .and_then(|enhanced| {
            let mut fitting = replies_of(index).filter(|reply| {
                reply.enhanced.is_some_and(|span| span.contains(enhanced))
                    && seen
                        .code
                        .is_none_or(|c| reply.code.is_none_or(|rc| rc == c.as_u16()))
            });
            let first = fitting.next()?;
            fitting
                .all(|other| other.reason == first.reason)
                .then_some((first, enhanced))
        });
    Some(match own_code {
        Some((reply, enhanced)) => Identified {
            provider: reply.provider(),
            reply: Some(reply),
            answer: None,
            clue: Clue::Code(enhanced),
        },
        None => Identified {
            provider: &PROVIDERS[index],
            reply: None,
            answer: None,
            clue,
        },
    })
}

/// The DNS answers (`127.a.b.c`) a text quotes, as written and as numbers.
fn answers_in(text: &str) -> impl Iterator<Item = (&str, [u8; 4])> {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, b"127.").filter_map(move |start| {
        if start > 0 && (bytes[start - 1].is_ascii_digit() || bytes[start - 1] == b'.') {
            return None;
        }
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
            end += 1;
        }
        let written = text[start..end].trim_end_matches('.');
        let mut numbers = [0u8; 4];
        let mut parts = written.split('.');
        for slot in &mut numbers {
            *slot = parts.next()?.parse().ok()?;
        }
        parts.next().is_none().then_some((written, numbers))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_host_names_give_the_answer_a_fresh_lookup_gives() {
        // More names than the memory has slots, so that names share slots and push each other
        // out; each asked three times, in changing orders and cases.
        let mut names: Vec<String> = PROVIDER_HOSTS.keys().map(|k| format!("mx1.{k}")).collect();
        names.extend((0..1500).map(|i| format!("mx{i}.example{}.net", i % 7)));
        names.extend(
            [
                "MX.ICLOUD.COM",
                "mx.icloud.com.",
                "in.hes.trendmicro.eu",
                "",
                "none",
            ]
            .map(String::from),
        );
        for round in 0..3 {
            for (i, name) in names.iter().enumerate() {
                let name = if (i + round) % 2 == 0 {
                    name.to_ascii_uppercase()
                } else {
                    name.clone()
                };
                assert_eq!(host_index(&name), look_up_host(&name), "{name}");
            }
            names.reverse();
        }
    }

    #[test]
    fn host_names_find_their_provider_by_the_longest_suffix() {
        assert_eq!(
            by_host("alt1.gmail-smtp-in.l.google.com").unwrap().id,
            "google"
        );
        assert_eq!(by_host("ALT1.ASPMX.L.GOOGLE.COM.").unwrap().id, "google");
        assert_eq!(
            by_host("example-com.mail.protection.outlook.com")
                .unwrap()
                .id,
            "microsoft"
        );
        assert_eq!(
            by_host("eur.olc.protection.outlook.com").unwrap().id,
            "outlook"
        );
        assert_eq!(by_host("mta5.am0.yahoodns.net").unwrap().id, "yahoo");
        assert!(by_host("notgoogle.com").is_none());
        assert_eq!(
            by_host("inbound-smtp.eu-west-1.amazonaws.com").unwrap().id,
            "amazon-ses"
        );
        assert!(by_host("ec2-192-0-2-1.compute-1.amazonaws.com").is_none());
        assert!(by_host("mx.example.org").is_none());
        assert!(by_host("").is_none());
    }

    #[test]
    fn names_and_aliases_find_their_provider() {
        assert_eq!(named("gmail").unwrap().id, "google");
        assert_eq!(named("GOOGLE").unwrap().id, "google");
        assert_eq!(named("hotmail").unwrap().id, "outlook");
        assert!(named("no-such-provider").is_none());
    }

    #[test]
    fn answers_are_read_as_four_numbers() {
        let found: Vec<_> =
            answers_in("listed at zen.spamhaus.org (127.0.0.4), not 10.127.0.0.1").collect();
        assert_eq!(found, vec![("127.0.0.4", [127, 0, 0, 4])]);
        assert_eq!(answers_in("127.0.0").count(), 0);
        assert_eq!(answers_in("127.0.0.999").count(), 0);
    }

    #[test]
    fn a_span_holds_its_range_of_details() {
        let span = EnhancedSpan {
            class: 5,
            subject: 7,
            first: 606,
            last: 649,
        };
        assert!(span.contains("5.7.606".parse().unwrap()));
        assert!(span.contains("5.7.649".parse().unwrap()));
        assert!(!span.contains("5.7.650".parse().unwrap()));
        assert!(!span.contains("4.7.606".parse().unwrap()));
        assert_eq!(span.to_string(), "5.7.606-649");
    }
}

#[cfg(test)]
mod data_tests {
    //! Every provider reply in data/providers.toml, through the classifier as a reader would
    //! see it: the example reply's codes and text, and the provider's host name only when the
    //! entry says its words need one.
    use super::*;
    use crate::classify::{Classifier, Facts};
    use crate::phrase::Workload;
    use crate::response;
    use crate::scan::TextScanner;

    fn facts(reply: &'static ProviderReply) -> Facts<'static> {
        let parsed = response::parse(reply.example).expect("an example starts with a code");
        let needs_host = reply.identify == Identify::Host
            && !reply.provider().markers.iter().any(|m| {
                reply
                    .example
                    .to_ascii_lowercase()
                    .contains(&m.to_ascii_lowercase())
            });
        Facts {
            code: parsed.code,
            enhanced: parsed.enhanced,
            text: parsed.text,
            reported: None,
            class: None,
            command: None,
            host: needs_host.then(|| {
                let provider = reply.provider();
                provider.hosts.first().copied().unwrap_or_else(|| {
                    let word = provider.host_words.first().expect("a host or host word");
                    Box::leak(format!("mx1.{word}.example.net").into_boxed_str())
                })
            }),
        }
    }

    #[test]
    fn every_example_reads_as_its_provider_and_meaning() {
        let classifier = Classifier::new(Workload::Many);
        let mut wrong = Vec::new();
        for reply in replies() {
            let verdict = classifier.classify(&facts(reply));
            let got = (verdict.provider, verdict.reason, verdict.provider_meaning);
            let want = (
                Some(reply.provider().id),
                Some(reply.reason),
                Some(reply.meaning),
            );
            if got != want {
                wrong.push(format!("{}\n  got {got:?}\n  want {want:?}", reply.example));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn words_that_name_a_provider_alone_are_not_the_standards_words() {
        // A standard's wording (RFC 5321's `exceeded storage allocation`, the registry's `Bad
        // destination mailbox address`) comes from any server that copies it.
        let standard: Vec<String> = crate::tables::REPLIES
            .iter()
            .filter(|entry| entry.used_by.is_none())
            .map(|entry| entry.text)
            .chain(crate::tables::DETAILS.iter().map(|entry| entry.text))
            .map(str::to_ascii_lowercase)
            .collect();
        let mut generic = Vec::new();
        for reply in replies().iter().filter(|r| r.identify == Identify::Phrase) {
            for phrase in reply.phrases {
                let lower = phrase.to_ascii_lowercase();
                if let Some(text) = standard.iter().find(|text| text.contains(&lower)) {
                    generic.push(format!("{}: {phrase:?} in {text:?}", reply.provider().id));
                }
            }
        }
        assert!(generic.is_empty(), "{}", generic.join("\n"));
    }

    #[test]
    fn no_marker_or_phrase_of_one_provider_matches_another_providers_reply() {
        let scanner = TextScanner::new(Workload::Many);
        let mut clashes = Vec::new();
        for reply in replies() {
            let own = reply.provider;
            let found = scanner.scan(facts(reply).text);
            for (pattern, targets) in found.providers.patterns() {
                for target in targets {
                    let (other, identifies) = match *target {
                        PatternTarget::Marker(index) => (index, true),
                        PatternTarget::Reply(index) => {
                            let r = &PROVIDER_REPLIES[index];
                            (r.provider, r.identify == Identify::Phrase)
                        }
                    };
                    let blocklist = PROVIDERS[other].kind == ProviderKind::Blocklist;
                    if identifies && other != own && !blocklist {
                        clashes.push(format!(
                            "\"{pattern}\" of {} matches {}'s reply: {}",
                            PROVIDERS[other].id,
                            reply.provider().id,
                            reply.example
                        ));
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{}", clashes.join("\n"));
    }

    #[test]
    fn every_blocklist_answer_reads_with_its_zone() {
        let classifier = Classifier::new(Workload::Few);
        for answer in answers() {
            let quad = format!(
                "{}.{}.{}.{}",
                answer.head[0], answer.head[1], answer.head[2], answer.first
            );
            let text = format!(
                "Service unavailable; Client host [192.0.2.1] blocked using {}={quad}",
                answer.zones[0]
            );
            let verdict = classifier.classify(&Facts {
                code: "554".parse().ok(),
                text: &text,
                ..Facts::default()
            });
            assert_eq!(verdict.provider, Some(answer.provider().id), "{text}");
            assert_eq!(verdict.provider_meaning, Some(answer.meaning), "{text}");
            assert_eq!(verdict.reason, Some(answer.reason), "{text}");
        }
    }

    #[test]
    fn the_same_answer_means_different_things_in_different_zones() {
        let classifier = Classifier::new(Workload::Few);
        let meaning = |zone: &str| {
            let text = format!("blocked using {zone} (127.0.0.2)");
            classifier
                .classify(&Facts {
                    code: "554".parse().ok(),
                    text: &text,
                    ..Facts::default()
                })
                .provider_meaning
                .unwrap()
        };
        assert!(meaning("zen.spamhaus.org").contains("SBL"));
        assert!(meaning("bl.mailspike.net").contains("spam wave"));
        assert!(meaning("multi.uribl.com").contains("black"));
    }
}
