//! From codes (and, later, the reply text) to a verdict: outcome, hard or soft bounce, reason,
//! what decided it, and what to do.
//!
//! The classifier sees only a `Response`-like set of facts, never how they were read, so the
//! lookup command, the line reader and future bounce-mail readers all share it.

use crate::code::{EnhancedCode, ReplyCode};
use crate::outcome::Outcome;
use crate::reason::Reason;
use serde::Serialize;
use std::fmt;

/// Whether the address itself is dead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bounce {
    /// The address will never take mail: remove it from the list.
    Hard,
    /// The address may be fine; the failure is temporary or about the sender, message or setup.
    Soft,
}

impl Bounce {
    pub const fn as_str(self) -> &'static str {
        match self {
            Bounce::Hard => "hard",
            Bounce::Soft => "soft",
        }
    }
}

impl fmt::Display for Bounce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What decided the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// The registered meaning of the enhanced code.
    Enhanced(EnhancedCode),
    /// The table entry of the basic code.
    Reply(ReplyCode),
    /// Only the class digit was known.
    Class(Outcome),
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::Enhanced(code) => write!(f, "enhanced code {code}"),
            Evidence::Reply(code) => write!(f, "reply code {code}"),
            Evidence::Class(outcome) => write!(f, "class digit ({outcome})"),
        }
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The verdict on one reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classification {
    pub outcome: Option<Outcome>,
    pub bounce: Option<Bounce>,
    pub reason: Option<Reason>,
    pub evidence: Option<Evidence>,
    pub advice: Option<&'static str>,
}

/// Classifies a reply from its codes.
///
/// The basic code decides the outcome, since it is what the client acts on; the enhanced code, when
/// registered, decides the reason, since it is the more precise of the two.
pub fn classify(code: Option<ReplyCode>, enhanced: Option<EnhancedCode>) -> Classification {
    let outcome = code
        .and_then(ReplyCode::outcome)
        .or(enhanced.map(EnhancedCode::outcome));
    let Some(outcome) = outcome else {
        return Classification {
            outcome: None,
            bounce: None,
            reason: None,
            evidence: None,
            advice: None,
        };
    };
    if !outcome.is_failure() {
        let evidence = match (code, enhanced) {
            (Some(code), _) => Evidence::Reply(code),
            (None, Some(enhanced)) => Evidence::Enhanced(enhanced),
            (None, None) => Evidence::Class(outcome),
        };
        let reason = (outcome == Outcome::Success).then_some(Reason::Delivered);
        let advice = code
            .and_then(ReplyCode::entry)
            .map(|entry| entry.advice)
            .or(reason.map(Reason::advice));
        return Classification {
            outcome: Some(outcome),
            bounce: None,
            reason,
            evidence: Some(evidence),
            advice,
        };
    }

    let from_enhanced = enhanced
        .filter(|enhanced| enhanced.outcome().is_failure())
        .and_then(|enhanced| enhanced.entry().map(|entry| (entry, enhanced)))
        .filter(|(entry, _)| entry.reason != Reason::Undefined);
    let from_reply = code.and_then(|code| {
        code.entry()
            .and_then(|entry| entry.reason.map(|r| (entry, r, code)))
    });
    let (reason, evidence, advice) = match (from_enhanced, from_reply) {
        (Some((entry, enhanced)), _) => (entry.reason, Evidence::Enhanced(enhanced), entry.advice),
        (None, Some((entry, reason, code))) => (reason, Evidence::Reply(code), entry.advice),
        (None, None) => (
            Reason::Undefined,
            Evidence::Class(outcome),
            Reason::Undefined.advice(),
        ),
    };
    Classification {
        outcome: Some(outcome),
        bounce: Some(bounce(outcome, reason)),
        reason: Some(reason),
        evidence: Some(evidence),
        advice: Some(advice),
    }
}

/// Hard only when the failure is permanent and its reason means the address is dead.
pub fn bounce(outcome: Outcome, reason: Reason) -> Bounce {
    if outcome == Outcome::Permanent && reason.is_hard() {
        Bounce::Hard
    } else {
        Bounce::Soft
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(code: &str, enhanced: &str) -> Classification {
        let code = (!code.is_empty()).then(|| code.parse().unwrap());
        let enhanced = (!enhanced.is_empty()).then(|| enhanced.parse().unwrap());
        classify(code, enhanced)
    }

    #[test]
    fn unknown_user_is_a_hard_bounce() {
        let v = verdict("550", "5.1.1");
        assert_eq!(v.outcome, Some(Outcome::Permanent));
        assert_eq!(v.bounce, Some(Bounce::Hard));
        assert_eq!(v.reason, Some(Reason::UserUnknown));
        assert_eq!(v.evidence.unwrap().to_string(), "enhanced code 5.1.1");
    }

    #[test]
    fn mailbox_full_is_a_soft_bounce_even_with_a_permanent_code() {
        let v = verdict("552", "5.2.2");
        assert_eq!(v.outcome, Some(Outcome::Permanent));
        assert_eq!(v.bounce, Some(Bounce::Soft));
        assert_eq!(v.reason, Some(Reason::MailboxFull));
    }

    #[test]
    fn a_transient_unknown_user_is_soft() {
        assert_eq!(verdict("450", "4.1.1").bounce, Some(Bounce::Soft));
    }

    #[test]
    fn the_enhanced_code_decides_the_reason_over_the_basic_code() {
        let v = verdict("550", "5.7.1");
        assert_eq!(v.reason, Some(Reason::PolicyViolation));
        assert_eq!(v.bounce, Some(Bounce::Soft));
    }

    #[test]
    fn an_unassigned_enhanced_code_falls_back_to_the_basic_code() {
        let v = verdict("550", "5.7.99");
        assert_eq!(v.reason, Some(Reason::UserUnknown));
        assert_eq!(v.evidence.unwrap().to_string(), "reply code 550");
    }

    #[test]
    fn the_basic_code_decides_the_outcome_when_classes_disagree() {
        assert_eq!(verdict("421", "5.7.32").outcome, Some(Outcome::Transient));
    }

    #[test]
    fn success_has_no_bounce() {
        let v = verdict("250", "2.0.0");
        assert_eq!(v.bounce, None);
        assert_eq!(v.reason, Some(Reason::Delivered));
        assert_eq!(verdict("354", "").reason, None);
    }

    #[test]
    fn an_unknown_code_is_classified_by_its_class_alone() {
        let v = verdict("599", "");
        assert_eq!(v.outcome, Some(Outcome::Permanent));
        assert_eq!(v.reason, Some(Reason::Undefined));
        assert_eq!(v.bounce, Some(Bounce::Soft));
        assert_eq!(verdict("199", "").outcome, None);
    }
}
