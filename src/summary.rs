//! Counts over a stream of records: by outcome, bounce, reason, code, recipient domain and
//! provider.
//!
//! Memory stays bounded whatever the input: codes and domains beyond a fixed number of distinct
//! keys are counted under `other`, and the summary says so.

use crate::classify::Bounce;
use crate::outcome::Outcome;
use crate::reason::Reason;
use crate::record::LineRecord;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Distinct recipient domains counted one by one; the rest go under `other`.
pub const DOMAIN_CAP: usize = 10_000;
/// Distinct code pairs counted one by one.
pub const CODE_CAP: usize = 1_000;
/// The key that counts what went over a cap.
pub const OTHER: &str = "other";

/// Counts by key, with a cap on the number of keys.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    counts: HashMap<String, u64>,
    cap: usize,
    overflowed: bool,
}

impl Tally {
    fn with_cap(cap: usize) -> Self {
        Tally {
            cap,
            ..Tally::default()
        }
    }

    fn add(&mut self, key: &str) {
        if let Some(count) = self.counts.get_mut(key) {
            *count += 1;
        } else if self.counts.len() < self.cap {
            self.counts.insert(key.to_string(), 1);
        } else {
            self.overflowed = true;
            *self.counts.entry(OTHER.to_string()).or_default() += 1;
        }
    }

    /// The keys by count, largest first, ties by name.
    pub fn ranked(&self) -> Vec<(&str, u64)> {
        let mut ranked: Vec<(&str, u64)> =
            self.counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        ranked
    }

    /// True when some keys were counted under `other`.
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }
}

impl Serialize for Tally {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let sorted: BTreeMap<&str, u64> =
            self.counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        sorted.serialize(serializer)
    }
}

/// The summary of a stream; its JSON form is one object (schema in README.md).
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Input lines read.
    pub lines: u64,
    /// Records with an SMTP result, but for those that repeat another (`repeat_of`).
    pub results: u64,
    /// Records with an SMTP result that repeat another: a bounce's delivery-status part telling
    /// the failure its words told.
    pub repeats: u64,
    pub outcome: BTreeMap<Outcome, u64>,
    pub bounce: BTreeMap<&'static str, u64>,
    pub reason: BTreeMap<Reason, u64>,
    /// By `550 5.1.1`, `421`, `4.4.1`: the codes as they came.
    pub code: Tally,
    /// By recipient domain, lower-cased.
    pub domain: Tally,
    /// By provider id (data/providers.toml), `none` when no provider was recognised.
    pub provider: BTreeMap<&'static str, u64>,
    /// True when codes or domains went over their cap and were partly counted under `other`.
    pub capped: bool,
}

impl Default for Summary {
    fn default() -> Self {
        Summary {
            lines: 0,
            results: 0,
            repeats: 0,
            outcome: BTreeMap::new(),
            bounce: BTreeMap::new(),
            reason: BTreeMap::new(),
            code: Tally::with_cap(CODE_CAP),
            domain: Tally::with_cap(DOMAIN_CAP),
            provider: BTreeMap::new(),
            capped: false,
        }
    }
}

impl Summary {
    /// Counts one record; records without a result only count as lines.
    pub fn add(&mut self, record: &LineRecord<'_>) {
        self.lines = self.lines.max(record.line);
        if !record.result {
            return;
        }
        if record.repeat_of.is_some() {
            self.repeats += 1;
            return;
        }
        self.results += 1;
        let verdict = &record.verdict;
        if let Some(outcome) = verdict.outcome {
            *self.outcome.entry(outcome).or_default() += 1;
        }
        if let Some(bounce) = verdict.bounce {
            *self.bounce.entry(bounce.as_str()).or_default() += 1;
        }
        if let Some(reason) = verdict.reason {
            *self.reason.entry(reason).or_default() += 1;
        }
        let code = match (record.reply_code, record.enhanced_code) {
            (Some(code), Some(enhanced)) => format!("{code} {enhanced}"),
            (Some(code), None) => code.to_string(),
            (None, Some(enhanced)) => enhanced.to_string(),
            (None, None) => "none".to_string(),
        };
        self.code.add(&code);
        self.domain.add(record.domain.unwrap_or("none"));
        *self
            .provider
            .entry(verdict.provider.unwrap_or("none"))
            .or_default() += 1;
        self.capped = self.code.overflowed() || self.domain.overflowed();
    }

    /// Sets the line count from the reader's totals (lines without records count too).
    pub fn set_lines(&mut self, lines: u64) {
        self.lines = self.lines.max(lines);
    }

    pub fn count(&self, outcome: Outcome) -> u64 {
        self.outcome.get(&outcome).copied().unwrap_or(0)
    }

    pub fn bounces(&self, bounce: Bounce) -> u64 {
        self.bounce.get(bounce.as_str()).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_over_its_cap_counts_the_rest_as_other() {
        let mut tally = Tally::with_cap(2);
        for key in ["a", "b", "a", "c", "d"] {
            tally.add(key);
        }
        assert_eq!(tally.ranked(), [("a", 2), ("other", 2), ("b", 1)]);
        assert!(tally.overflowed());
    }
}
