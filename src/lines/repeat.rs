//! A bounce says what failed twice: once in its words for people (`<bob@example.com>: host ...
//! said: 550 ...`, `Remote Server returned '550 ...'`), once in its delivery-status part
//! (`Final-Recipient:`, `Status:`, `Diagnostic-Code:`). Read line by line, each gives a record;
//! the second is the same failure told again, and marked so (`repeat_of`), so that counts of
//! results count it once.
//!
//! A delivery-status group repeats the latest result not yet repeated that was read from a
//! bounce's words within `REACH` lines above it, for the same recipient (ASCII case aside), both
//! failures or neither. Not the same outcome: Postfix's words for a message that expired have no
//! code (a failure, permanent) where its group gives the last status (`4.4.1`, transient). An
//! mbox of bounces to one address pairs each group with its own bounce's words, which come just
//! before it.
//!
//! Microsoft 365's bounces tell their words for people twice more, in an HTML part after the
//! plain text: a result read there echoes the latest such result not yet echoed, on the same
//! terms, and leaves it to its group.

use crate::outcome::Outcome;
use std::collections::VecDeque;

/// How far above a delivery-status group the words it repeats may be: a report's text for
/// people and, in Exchange's, the original message's headers come between them.
pub const REACH: u64 = 500;

/// How many results of bounces' words are kept for pairing; the oldest go first.
const KEPT: usize = 64;

/// The results read from bounces' words that a delivery-status group may repeat.
#[derive(Debug, Default)]
pub struct Repeats {
    told: VecDeque<Told>,
}

#[derive(Debug, Default)]
struct Told {
    recipient: String,
    outcome: Option<Outcome>,
    line: u64,
    /// An HTML part told it again (`echo`).
    echoed: bool,
}

impl Repeats {
    /// Notes a result read from a bounce's words, given on `line`.
    /// Once `KEPT` are noted, the oldest one's room holds the new one: a log whose lines quote
    /// replies notes each without allocating.
    pub fn note(&mut self, recipient: &str, outcome: Option<Outcome>, line: u64) {
        let mut told = match self.told.len() {
            KEPT => self.told.pop_front().expect("KEPT results kept"),
            _ => Told::default(),
        };
        told.recipient.clear();
        told.recipient.push_str(recipient);
        told.outcome = outcome;
        told.line = line;
        told.echoed = false;
        self.told.push_back(told);
    }

    /// The line of the result that a result read from a bounce's HTML part, on `line`, tells
    /// again, if any; that result stays for its delivery-status group to repeat. With none (a
    /// bounce whose only words are HTML), this result is noted instead.
    pub fn echo(&mut self, recipient: &str, outcome: Option<Outcome>, line: u64) -> Option<u64> {
        let found = self.told.iter_mut().rev().find(|told| {
            !told.echoed
                && line.saturating_sub(told.line) <= REACH
                && is_failure(told.outcome) == is_failure(outcome)
                && told.recipient.eq_ignore_ascii_case(recipient)
        });
        match found {
            Some(told) => {
                told.echoed = true;
                Some(told.line)
            }
            None => {
                self.note(recipient, outcome, line);
                None
            }
        }
    }

    /// The line of the result a delivery-status group starting on `first_line` repeats, if any;
    /// that result cannot be repeated again.
    pub fn claim(
        &mut self,
        recipient: &str,
        outcome: Option<Outcome>,
        first_line: u64,
    ) -> Option<u64> {
        self.told
            .retain(|told| first_line.saturating_sub(told.line) <= REACH);
        let at = self.told.iter().rposition(|told| {
            is_failure(told.outcome) == is_failure(outcome)
                && told.line <= first_line
                && told.recipient.eq_ignore_ascii_case(recipient)
        })?;
        self.told.remove(at).map(|told| told.line)
    }
}

fn is_failure(outcome: Option<Outcome>) -> bool {
    outcome.is_some_and(Outcome::is_failure)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILED: Option<Outcome> = Some(Outcome::Permanent);

    #[test]
    fn a_group_repeats_the_latest_result_for_its_recipient_once() {
        let mut repeats = Repeats::default();
        repeats.note("bob@example.com", FAILED, 10);
        repeats.note("ann@example.com", FAILED, 12);
        assert_eq!(repeats.claim("Bob@Example.com", FAILED, 30), Some(10));
        assert_eq!(
            repeats.claim("bob@example.com", FAILED, 40),
            None,
            "claimed once"
        );
        assert_eq!(repeats.claim("ann@example.com", FAILED, 45), Some(12));
        // Two bounces to one address: each group pairs with the words just above it.
        repeats.note("bob@example.com", FAILED, 100);
        repeats.note("bob@example.com", FAILED, 200);
        assert_eq!(repeats.claim("bob@example.com", FAILED, 230), Some(200));
    }

    #[test]
    fn a_success_a_later_line_or_a_far_one_is_no_repeat() {
        let mut repeats = Repeats::default();
        repeats.note("bob@example.com", Some(Outcome::Success), 10);
        assert_eq!(repeats.claim("bob@example.com", FAILED, 20), None);
        // A failure for people, a deferral's last status in the group: the same failure.
        repeats.note("cy@example.com", FAILED, 30);
        assert_eq!(
            repeats.claim("cy@example.com", Some(Outcome::Transient), 35),
            Some(30)
        );
        repeats.note("ann@example.com", FAILED, 50);
        assert_eq!(repeats.claim("ann@example.com", FAILED, 40), None);
        assert_eq!(
            repeats.claim("ann@example.com", FAILED, 50 + REACH + 1),
            None,
            "too far below"
        );
    }

    #[test]
    fn an_html_part_echoes_the_plain_text_and_leaves_it_to_the_group() {
        let mut repeats = Repeats::default();
        repeats.note("bob@example.com", FAILED, 30);
        assert_eq!(repeats.echo("bob@example.com", FAILED, 50), Some(30));
        assert_eq!(repeats.claim("bob@example.com", FAILED, 70), Some(30));
        // An HTML part with nothing before it: its result is the one the group repeats.
        assert_eq!(repeats.echo("ann@example.com", FAILED, 100), None);
        assert_eq!(repeats.echo("ann@example.com", FAILED, 110), Some(100));
        assert_eq!(repeats.claim("ann@example.com", FAILED, 130), Some(100));
    }

    #[test]
    fn only_the_latest_results_are_kept() {
        let mut repeats = Repeats::default();
        for line in 0..(KEPT as u64 + 10) {
            repeats.note(&format!("r{line}@example.com"), FAILED, line);
        }
        assert_eq!(repeats.told.len(), KEPT);
        assert_eq!(repeats.claim("r0@example.com", FAILED, 100), None);
        assert_eq!(repeats.claim("r70@example.com", FAILED, 100), Some(70));
    }
}
