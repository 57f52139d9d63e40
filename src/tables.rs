//! The compiled code tables: the only place that includes the code build.rs generates from data/.
//!
//! Entries live in static arrays in data order; phf maps give a code's place in them, so a lookup
//! is a hash and an index, with nothing parsed at start.

use crate::classify::Bounce;
use crate::code::ReplyStatus;
use crate::outcome::Outcome;
use serde::Serialize;
use std::sync::LazyLock;

/// One meaning of a basic reply code, from data/reply.toml.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct ReplyEntry {
    pub code: u16,
    /// What this meaning applies to, for a code with several (`STARTTLS`, `ETRN`...); `None` for a
    /// code's main meaning.
    pub context: Option<&'static str>,
    /// The standard reply text, or the usual one for a non-standard code.
    pub text: &'static str,
    pub status: ReplyStatus,
    pub source: &'static str,
    /// Who sends a non-standard code.
    pub used_by: Option<&'static str>,
    pub outcome: Outcome,
    /// The reason the bare code most often stands for; `None` for success and intermediate codes.
    #[serde(skip)]
    pub reason: Option<Reason>,
    /// Enhanced codes that usually come with it.
    pub enhanced: &'static [&'static str],
    pub meaning: &'static str,
    pub causes: &'static [&'static str],
    pub advice: &'static str,
}

/// One registered enhanced-code detail (X.subject.detail), from data/enhanced.toml.
#[derive(Debug, PartialEq, Eq)]
pub struct DetailEntry {
    pub subject: u16,
    pub detail: u16,
    /// The registry's title.
    pub text: &'static str,
    /// The basic codes the registry associates with it, as the registry words them.
    pub basic: Option<&'static str>,
    pub source: &'static str,
    pub reason: Reason,
    pub meaning: &'static str,
    pub causes: &'static [&'static str],
    pub advice: &'static str,
    pub note: Option<&'static str>,
    pub deprecated: bool,
}

/// A class digit: its name, what it means and the outcome of every code in it.
#[derive(Debug, PartialEq, Eq)]
pub struct ClassInfo {
    pub digit: u8,
    pub name: &'static str,
    pub meaning: &'static str,
    pub source: &'static str,
    pub outcome: Outcome,
}

/// A second digit (basic category or enhanced subject).
#[derive(Debug, PartialEq, Eq)]
pub struct DigitInfo {
    pub digit: u16,
    pub name: &'static str,
    pub meaning: &'static str,
    pub source: &'static str,
}

/// What kind of service a provider is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// Hosts mailboxes: Gmail, Microsoft 365, Yahoo.
    Mailbox,
    /// Filters mail in front of other mailboxes: Proofpoint, Mimecast.
    Gateway,
    /// Relays or forwards mail for others: Amazon SES, ImprovMX.
    Service,
    /// Publishes a DNS blocklist that receivers consult: Spamhaus, SpamCop.
    Blocklist,
}

/// A mail provider, filter or blocklist, from data/providers.toml.
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderEntry {
    /// The stable id (`google`, `microsoft`).
    pub id: &'static str,
    pub name: &'static str,
    pub kind: ProviderKind,
    /// Other names it answers to on the command line (`gmail`).
    pub aliases: &'static [&'static str],
    /// Suffixes of its MX and relay host names.
    pub hosts: &'static [&'static str],
    /// Words found anywhere in its host names.
    pub host_words: &'static [&'static str],
    /// Text that only its replies carry (`gsmtp`).
    pub markers: &'static [&'static str],
    /// Its documentation of its replies.
    pub docs: &'static str,
    pub source: &'static str,
}

/// A range of enhanced codes sharing class and subject: `5.7.606-649`, or one code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnhancedSpan {
    pub class: u8,
    pub subject: u16,
    pub first: u16,
    pub last: u16,
}

/// What it takes for a provider reply's phrase to name the provider.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identify {
    /// The phrase alone: only this provider words it so.
    Phrase,
    /// The phrase with the entry's code: others use the words, but not with that code.
    Code,
    /// Neither: the provider must be known from the host name or a marker.
    Host,
}

/// What one provider means by one reply, from data/providers.toml.
#[derive(Debug, PartialEq, Eq)]
pub struct ProviderReply {
    /// Index in `PROVIDERS`.
    pub provider: usize,
    /// The words of the reply that show this meaning, matched case-insensitively.
    pub phrases: &'static [&'static str],
    pub code: Option<u16>,
    pub enhanced: Option<EnhancedSpan>,
    pub identify: Identify,
    pub reason: Reason,
    /// Set when the provider's meaning decides the bounce type against the usual rule.
    pub bounce: Option<Bounce>,
    /// The provider gives a registered enhanced code a meaning of its own.
    pub redefines: bool,
    pub meaning: &'static str,
    /// What to do, when the provider has its own fix; otherwise the reason's advice.
    pub advice: Option<&'static str>,
    /// The reply as the provider words it.
    pub example: &'static str,
    pub source: &'static str,
}

/// What a blocklist's DNS answer means in some of its zones.
#[derive(Debug, PartialEq, Eq)]
pub struct BlocklistAnswer {
    pub provider: usize,
    pub zones: &'static [&'static str],
    /// As written in data: `127.0.0.2`, or `127.0.2.2-24`.
    pub answer: &'static str,
    pub head: [u8; 3],
    pub first: u8,
    pub last: u8,
    /// The last number is a bit mask: the answer holds this entry when it has its bit set.
    pub bitmask: bool,
    /// The list within the zone (`SBL`, `XBL`).
    pub list: &'static str,
    pub reason: Reason,
    pub meaning: &'static str,
    pub source: &'static str,
}

/// A sending service's class of a failure, from data/services.toml.
#[derive(Debug, PartialEq, Eq)]
pub struct ServiceClass {
    /// The record format whose events carry it.
    pub service: &'static str,
    /// Where the event gives it.
    pub field: &'static str,
    /// The value as the service writes it.
    pub value: &'static str,
    pub reason: Reason,
    /// What the service says of the address, for an `undefined` reason.
    pub bounce: Option<Bounce>,
    pub meaning: &'static str,
    pub source: &'static str,
}

/// The class `service` (a record format's name) means by `value`, compared without regard to
/// case.
pub fn service_class(service: &str, value: &str) -> Option<&'static ServiceClass> {
    let key = format!("{service}\u{1f}{}", value.trim().to_lowercase());
    SERVICE_CLASS_INDEX
        .get(key.as_str())
        .map(|&index| &SERVICE_CLASSES[index])
}

/// What a provider text pattern stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PatternTarget {
    /// A phrase of the reply at this index of `PROVIDER_REPLIES`.
    Reply(usize),
    /// A marker of the provider at this index of `PROVIDERS`.
    Marker(usize),
}

include!(concat!(env!("OUT_DIR"), "/tables.rs"));

/// Every meaning of a basic code, main meaning first; empty when the code is not in the tables.
pub fn reply_entries(code: u16) -> &'static [ReplyEntry] {
    match BY_CODE.get(usize::from(code)).copied().flatten() {
        Some((first, count)) => &REPLIES[first..first + count],
        None => &[],
    }
}

// The perfect-hash indexes laid out by number on first use. Their keys are small numbers; a
// stream looks a code up several times per reply, and the perfect hash's SipHash took some 150
// instructions a lookup.
static BY_CODE: LazyLock<Vec<Option<(usize, usize)>>> =
    LazyLock::new(|| by_number(REPLY_INDEX.entries().map(|(&k, &v)| (usize::from(k), v))));
static BY_DETAIL: LazyLock<Vec<Option<usize>>> =
    LazyLock::new(|| by_number(DETAIL_INDEX.entries().map(|(&k, &v)| (k as usize, v))));

fn by_number<T: Copy>(entries: impl Iterator<Item = (usize, T)> + Clone) -> Vec<Option<T>> {
    let len = entries.clone().map(|(key, _)| key + 1).max().unwrap_or(0);
    let mut table = vec![None; len];
    for (key, value) in entries {
        table[key] = Some(value);
    }
    table
}

/// Every basic-code entry, in code order.
pub fn all_replies() -> &'static [ReplyEntry] {
    &REPLIES
}

/// The registered enhanced detail X.subject.detail, if any.
pub fn detail(subject: u16, detail: u16) -> Option<&'static DetailEntry> {
    let key = usize::from(subject) * 1000 + usize::from(detail);
    let index = BY_DETAIL.get(key).copied().flatten()?;
    Some(&DETAILS[index])
}

/// Every registered enhanced detail, in registry order.
pub fn all_details() -> &'static [DetailEntry] {
    &DETAILS
}

/// The class of a basic code (1-5).
pub fn reply_class(digit: u8) -> Option<&'static ClassInfo> {
    REPLY_CLASSES.iter().find(|c| c.digit == digit)
}

/// The category of a basic code's second digit; RFC 5321 defines 0 to 5.
pub fn reply_category(digit: u8) -> Option<&'static DigitInfo> {
    REPLY_CATEGORIES
        .iter()
        .find(|c| c.digit == u16::from(digit))
}

/// The class of an enhanced code (2, 4 or 5).
pub fn enhanced_class(digit: u8) -> Option<&'static ClassInfo> {
    ENHANCED_CLASSES.iter().find(|c| c.digit == digit)
}

/// The subject of an enhanced code (0-7).
pub fn subject(digit: u16) -> Option<&'static DigitInfo> {
    SUBJECTS.iter().find(|s| s.digit == digit)
}

/// Entry counts, for `--version`.
pub const REPLY_ENTRY_COUNT: &str = env!("SMTPCODE_REPLY_ENTRIES");
pub const ENHANCED_ENTRY_COUNT: &str = env!("SMTPCODE_ENHANCED_ENTRIES");
pub const PROVIDER_COUNT: &str = env!("SMTPCODE_PROVIDERS");
pub const PROVIDER_ENTRY_COUNT: &str = env!("SMTPCODE_PROVIDER_ENTRIES");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_with_two_meanings_lists_its_main_meaning_first() {
        let entries = reply_entries(454);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].context, None);
        assert_eq!(entries[1].context, Some("STARTTLS"));
    }

    #[test]
    fn unknown_codes_have_no_entries() {
        assert!(reply_entries(599).is_empty());
        assert!(detail(1, 99).is_none());
    }

    #[test]
    fn every_index_points_at_entries_of_its_own_code() {
        for entry in all_replies() {
            assert!(reply_entries(entry.code)
                .iter()
                .all(|e| e.code == entry.code));
        }
        for entry in all_details() {
            assert_eq!(detail(entry.subject, entry.detail), Some(entry));
        }
    }

    #[test]
    fn reasons_round_trip_through_their_ids() {
        for reason in Reason::ALL {
            assert!(
                Reason::ALL
                    .iter()
                    .filter(|r| r.as_str() == reason.as_str())
                    .count()
                    == 1
            );
        }
        assert!(Reason::UserUnknown.is_hard());
        assert!(!Reason::MailboxFull.is_hard());
    }

    #[test]
    fn the_numbered_indexes_agree_with_the_perfect_hash() {
        for (&code, &(first, count)) in REPLY_INDEX.entries() {
            assert_eq!(
                reply_entries(code),
                &REPLIES[first..first + count],
                "{code}"
            );
        }
        let unknown = (0..=u16::MAX).filter(|code| REPLY_INDEX.get(code).is_none());
        assert!(unknown.clone().all(|code| reply_entries(code).is_empty()));
        for subject in 0..=u16::MAX / 1000 {
            for number in 0..1000 {
                let key = u32::from(subject) * 1000 + u32::from(number);
                let expected = DETAIL_INDEX.get(&key).map(|&index| &DETAILS[index]);
                assert_eq!(detail(subject, number), expected, "{subject}.{number}");
            }
        }
    }
}
