//! From codes and reply text to a verdict: outcome, hard or soft bounce, reason,
//! what decided it, and what to do.
//!
//! The classifier sees only [`Facts`], never how they were read, so the lookup command, the line
//! reader and future bounce-mail readers all share it.

use crate::code::{EnhancedCode, ReplyCode};
use crate::command::Command;
use crate::outcome::Outcome;
use crate::phrase::Workload;
use crate::provider::{self, Clue, Hits, Identified, Sighting};
use crate::reason::Reason;
use crate::scan::TextScanner;
use crate::tables::{ProviderReply, ServiceClass};
use serde::Serialize;
use std::fmt;
use std::sync::OnceLock;

/// What the reporter (a log line's `status=`, an Exim flag, a DSN's `Action:`) says happened,
/// whatever the codes say. It decides the outcome only when there is no code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reported {
    /// Handed over: Postfix `sent`, Exim `=>`, Sendmail `Sent`, DSN `delivered`/`relayed`.
    Delivered,
    /// Will be tried again: Postfix `deferred`, Exim `==`, DSN `delayed`.
    Deferred,
    /// Given up and returned: Postfix `bounced`, Exim `**`, DSN `failed`.
    Failed,
    /// Given up because it stayed queued too long: Postfix `expired`.
    Expired,
    /// Delivered, then reported as spam by its recipient: a sending service's complaint event.
    Complained,
    /// Not sent: the sending service keeps the address on its suppression list.
    Suppressed,
}

impl Reported {
    pub const fn as_str(self) -> &'static str {
        match self {
            Reported::Delivered => "delivered",
            Reported::Deferred => "deferred",
            Reported::Failed => "failed",
            Reported::Expired => "expired",
            Reported::Complained => "complained",
            Reported::Suppressed => "suppressed",
        }
    }

    /// The outcome it stands for, when no code says better.
    pub const fn outcome(self) -> Outcome {
        match self {
            Reported::Delivered | Reported::Complained => Outcome::Success,
            Reported::Deferred => Outcome::Transient,
            Reported::Failed | Reported::Expired | Reported::Suppressed => Outcome::Permanent,
        }
    }
}

impl fmt::Display for Reported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the classifier looks at, however it was read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts<'a> {
    pub code: Option<ReplyCode>,
    pub enhanced: Option<EnhancedCode>,
    /// The reply text, or the reporter's own words when there was no reply.
    pub text: &'a str,
    pub reported: Option<Reported>,
    /// The host that gave the reply, when the reader knows it (a log's `relay=`, a DSN's
    /// `Remote-MTA:`); it can show the provider.
    pub host: Option<&'a str>,
    /// The sending service's class of the failure (data/services.toml): it decides the reason
    /// when the text does not, and the bounce when the reason does not.
    pub class: Option<&'static ServiceClass>,
    /// The command the reply answered, when the reader knows it: a reply given before any
    /// recipient was named cannot mean that a recipient's address is dead.
    pub command: Option<Command>,
}

/// Whether the address itself is dead.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// A phrase of the reply text (data/phrases.toml), or a blocklist zone it names.
    Phrase(&'static str),
    /// The reporter's status, when no code was given or it gave up on the message.
    Reported(Reported),
    /// A provider's own meaning (data/providers.toml), and what showed it.
    Provider(&'static str, Clue),
    /// A sending service's class of the failure (data/services.toml).
    Service(&'static ServiceClass),
    /// The command the reply answered, which came before any recipient (`MAIL FROM`).
    Command(Command),
}

impl Evidence {
    /// The words of the evidence, handed over piece by piece: what `Display` writes, for a
    /// writer that does without the formatting machinery (the JSON of a stream's records).
    pub fn for_each_piece(&self, mut put: impl FnMut(&str)) {
        match self {
            Evidence::Enhanced(code) => {
                put("enhanced code ");
                put(&code.as_text());
            }
            Evidence::Reply(code) => {
                put("reply code ");
                put(&code.as_text());
            }
            Evidence::Class(outcome) => {
                put("class digit (");
                put(outcome.as_str());
                put(")");
            }
            Evidence::Phrase(phrase) => {
                put("phrase \"");
                put(phrase);
                put("\"");
            }
            Evidence::Reported(status) => {
                put("reported status ");
                put(status.as_str());
            }
            Evidence::Provider(id, clue) => {
                put(id);
                match clue {
                    Clue::Phrase(phrase) => {
                        put(" reply \"");
                        put(phrase);
                        put("\"");
                    }
                    Clue::Marker(marker) => {
                        put(" marker \"");
                        put(marker);
                        put("\"");
                    }
                    Clue::Host => put(" host name"),
                    Clue::Code(code) => {
                        put(" code ");
                        put(&code.as_text());
                    }
                    Clue::Zone => put(" zone"),
                    Clue::Answer(list) => {
                        put(" list ");
                        put(list);
                    }
                }
            }
            Evidence::Command(command) => {
                put("reply to ");
                put(command.label());
            }
            Evidence::Service(class) => {
                put(class.service);
                put(" ");
                put(class.field);
                put(" \"");
                put(class.value);
                put("\"");
            }
        }
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut written = Ok(());
        self.for_each_piece(|piece| {
            if written.is_ok() {
                written = f.write_str(piece);
            }
        });
        written
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The verdict on one reply. Records embed it, so its fields are part of the JSON schema.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub outcome: Option<Outcome>,
    pub bounce: Option<Bounce>,
    pub reason: Option<Reason>,
    pub evidence: Option<Evidence>,
    pub advice: Option<&'static str>,
    /// Seconds to wait, when the text says ("try again in 5 minutes").
    pub retry_after: Option<u64>,
    /// The blocklist host the text names (`zen.spamhaus.org`).
    pub blocklist: Option<String>,
    /// The provider the reply comes from (`google`), shown by its text, a marker, its host
    /// name or the blocklist it names.
    pub provider: Option<&'static str>,
    /// What that provider means by this reply, when the data knows.
    pub provider_meaning: Option<&'static str>,
    /// The provider's entry for this reply, when one matched. In JSON, `provider_note`: when the
    /// provider uses its own enhanced code, or a registered one for its own meaning.
    #[serde(rename = "provider_note", serialize_with = "serialize_note")]
    pub provider_reply: Option<&'static ProviderReply>,
    /// Where the provider documents its replies.
    pub provider_docs: Option<&'static str>,
}

fn serialize_note<S: serde::Serializer>(
    reply: &Option<&'static ProviderReply>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    reply
        .and_then(ProviderReply::code_note)
        .serialize(serializer)
}

impl Classification {
    /// When the provider uses its own enhanced code, or a registered one for its own meaning.
    /// Written on demand: a stream prints it for no row.
    pub fn provider_note(&self) -> Option<String> {
        self.provider_reply.and_then(ProviderReply::code_note)
    }
}

/// Gives verdicts with the text matcher of its workload. The matchers are built on first need,
/// once per process: every classifier of a workload shares them, so that making a classifier (or
/// a line reader) costs nothing.
#[derive(Debug, Clone, Copy)]
pub struct Classifier {
    workload: Workload,
}

static FEW: OnceLock<TextScanner> = OnceLock::new();
static MANY: OnceLock<TextScanner> = OnceLock::new();

impl Classifier {
    /// A classifier whose matchers suit the workload: `Few` for lookups, `Many` for streams.
    pub const fn new(workload: Workload) -> Self {
        Classifier { workload }
    }

    fn scanner(&self) -> &'static TextScanner {
        let cell = match self.workload {
            Workload::Few => &FEW,
            Workload::Many => &MANY,
        };
        cell.get_or_init(|| TextScanner::new(self.workload))
    }

    /// Classifies a reply from its codes, its text and what the reporter says.
    ///
    /// The basic code decides the outcome, since it is what the client acts on; the enhanced code
    /// comes next and the reporter's status last. For a failure, the text decides the reason when
    /// it names a blocklist or holds a known phrase, since the same code covers many causes;
    /// otherwise the registered enhanced code decides, being the more precise code, then the
    /// basic code. A message the reporter gave up on for age is `expired` whatever the codes say.
    pub fn classify(&self, facts: &Facts<'_>) -> Classification {
        let mut verdict = classify_codes(facts.code, facts.enhanced, facts.reported);
        if !verdict.outcome.is_some_and(Outcome::is_failure) {
            // Who took the mail is worth knowing too; only the host says, the text is not read.
            if let Some(found) = facts.host.and_then(|host| {
                provider::identify(&Sighting {
                    host: Some(host),
                    ..Sighting::default()
                })
            }) {
                set_provider(&mut verdict, &found);
            }
            return verdict;
        }
        let outcome = verdict.outcome.unwrap_or(Outcome::Permanent);
        // Without text there is nothing to read, and no matcher needs building.
        let hits = if facts.text.is_empty() {
            Hits::default()
        } else {
            self.read_text(&mut verdict, outcome, facts.text)
        };
        // X.1.7 and X.1.8 are the sender's address, by the registry: an address the words call
        // dead ("<alice@example.com>: Domain not found") is the sender's then, not the recipient's.
        if let Some(enhanced) = facts
            .enhanced
            .filter(|code| code.subject() == 1 && matches!(code.detail(), 7 | 8))
        {
            if verdict.reason.is_some_and(Reason::is_hard)
                && matches!(verdict.evidence, Some(Evidence::Phrase(_)))
            {
                set_reason(
                    &mut verdict,
                    outcome,
                    Reason::Rejected,
                    Evidence::Enhanced(enhanced),
                );
            }
        }
        let seen = Sighting {
            code: facts.code,
            enhanced: facts.enhanced,
            text: facts.text,
            host: facts.host,
            blocklist: verdict.blocklist.as_deref(),
            hits,
        };
        if let Some(mut found) = provider::identify(&seen) {
            // A provider's meaning known from the code alone gives way to the reply's own words
            // when they say otherwise: Microsoft's 5.2.2 is mostly a sender over its quota, but
            // `554 5.2.2 mailbox full; ...QuotaExceededException` is a full mailbox.
            if matches!(found.clue, Clue::Code(_))
                && matches!(verdict.evidence, Some(Evidence::Phrase(_)))
                && found
                    .reply
                    .is_some_and(|reply| Some(reply.reason) != verdict.reason)
            {
                found.reply = None;
            }
            set_provider(&mut verdict, &found);
            let meaning = found
                .reply
                .map(|reply| (reply.reason, reply.bounce, reply.advice))
                .or(found.answer.map(|answer| (answer.reason, None, None)));
            if let Some((reason, bounce, advice)) = meaning {
                set_reason(
                    &mut verdict,
                    outcome,
                    reason,
                    Evidence::Provider(found.provider.id, found.clue),
                );
                if let Some(bounce) = bounce {
                    verdict.bounce = Some(bounce);
                }
                if let Some(advice) = advice {
                    verdict.advice = Some(advice);
                }
            }
        }
        if let Some(class) = facts.class {
            // The text may be the class's own words (Mailjet's `error`): then it is the class.
            let words_decided = matches!(
                verdict.evidence,
                Some(Evidence::Phrase(_) | Evidence::Provider(..))
            ) && !facts.text.trim().eq_ignore_ascii_case(class.value);
            apply_class(&mut verdict, outcome, class, words_decided);
        }
        // A reply to MAIL FROM, or before it, came before the recipient was named: the words or
        // codes of a dead address ("User unknown", a bare 550) are about the sender then, or the
        // sending host, and the recipient may be fine.
        if let Some(command) = facts.command.filter(|c| c.precedes_recipients()) {
            if verdict.bounce == Some(Bounce::Hard) {
                let reason = match command {
                    Command::MailFrom | Command::Auth => Reason::Rejected,
                    _ => Reason::Blocked,
                };
                set_reason(&mut verdict, outcome, reason, Evidence::Command(command));
            }
        }
        // Why the mail failed in the end, whatever the last reply said: it stayed queued too
        // long, or the sending service would not send to the address at all.
        for (status, reason) in [
            (Reported::Expired, Reason::Expired),
            (Reported::Suppressed, Reason::Suppressed),
        ] {
            if facts.reported == Some(status) && verdict.reason != Some(reason) {
                set_reason(&mut verdict, outcome, reason, Evidence::Reported(status));
            }
        }
        verdict
    }

    /// Reads the text for a reason, a wait and a blocklist; returns the provider patterns found.
    fn read_text(&self, verdict: &mut Classification, outcome: Outcome, text: &str) -> Hits {
        let found = self.scanner().scan(text);
        verdict.retry_after = found.retry_after;
        verdict.blocklist = found.blocklist.map(str::to_string);
        // A named blocklist outranks any other phrase: the listing is why the mail was refused.
        let from_text = match found.phrase {
            Some(found) if found.reason == Reason::Blocked || verdict.blocklist.is_none() => {
                Some((found.reason, Evidence::Phrase(found.phrase)))
            }
            _ if verdict.blocklist.is_some() => {
                Some((Reason::Blocked, Evidence::Phrase("blocklist zone")))
            }
            _ => None,
        };
        if let Some((reason, evidence)) = from_text {
            set_reason(verdict, outcome, reason, evidence);
        }
        found.providers
    }
}

/// A service's class decides the reason unless the reply's words did (a phrase, a provider):
/// the service read the whole reply, the codes alone say less. It decides the bounce when the
/// reason leaves it open.
fn apply_class(
    verdict: &mut Classification,
    outcome: Outcome,
    class: &'static ServiceClass,
    words_decided: bool,
) {
    if !words_decided && class.reason != Reason::Undefined {
        set_reason(verdict, outcome, class.reason, Evidence::Service(class));
    }
    if let Some(bounce) = class.bounce {
        if verdict
            .reason
            .is_none_or(|reason| reason == Reason::Undefined)
        {
            verdict.reason = Some(Reason::Undefined);
            verdict.bounce = Some(bounce);
            verdict.evidence = Some(Evidence::Service(class));
            // A dead address whatever the cause: what to do is what an unknown user calls for.
            if bounce == Bounce::Hard {
                verdict.advice = Some(Reason::UserUnknown.advice());
            }
        }
    }
}

fn set_provider(verdict: &mut Classification, found: &Identified) {
    verdict.provider = Some(found.provider.id);
    verdict.provider_docs = Some(found.provider.docs);
    verdict.provider_meaning = found
        .reply
        .map(|reply| reply.meaning)
        .or(found.answer.map(|answer| answer.meaning));
    verdict.provider_reply = found.reply;
}

fn set_reason(verdict: &mut Classification, outcome: Outcome, reason: Reason, evidence: Evidence) {
    verdict.reason = Some(reason);
    verdict.evidence = Some(evidence);
    verdict.bounce = Some(bounce(outcome, reason));
    verdict.advice = Some(reason.advice());
}

/// Classifies a reply from its codes and its text, with matchers built for a few replies.
pub fn classify(
    code: Option<ReplyCode>,
    enhanced: Option<EnhancedCode>,
    text: &str,
) -> Classification {
    static ONE_SHOT: Classifier = Classifier::new(Workload::Few);
    ONE_SHOT.classify(&Facts {
        code,
        enhanced,
        text,
        reported: None,
        host: None,
        class: None,
        command: None,
    })
}

/// Classifies a reply from its codes alone, or from the reporter's status when it has none.
fn classify_codes(
    code: Option<ReplyCode>,
    enhanced: Option<EnhancedCode>,
    reported: Option<Reported>,
) -> Classification {
    let outcome = code
        .and_then(ReplyCode::outcome)
        .or(enhanced.map(EnhancedCode::outcome))
        .or(reported.map(Reported::outcome));
    let Some(outcome) = outcome else {
        return Classification::default();
    };
    let fallback = match reported {
        Some(status) if code.is_none() && enhanced.is_none() => Evidence::Reported(status),
        _ => Evidence::Class(outcome),
    };
    if !outcome.is_failure() {
        let evidence = match (code, enhanced) {
            (Some(code), _) => Evidence::Reply(code),
            (None, Some(enhanced)) => Evidence::Enhanced(enhanced),
            (None, None) => fallback,
        };
        // A complaint is about mail that was delivered: what to do is the complaint's.
        if reported == Some(Reported::Complained) {
            return Classification {
                outcome: Some(outcome),
                reason: Some(Reason::Feedback),
                evidence: Some(Evidence::Reported(Reported::Complained)),
                advice: Some(Reason::Feedback.advice()),
                ..Classification::default()
            };
        }
        let reason = (outcome == Outcome::Success).then_some(Reason::Delivered);
        let advice = code
            .and_then(ReplyCode::entry)
            .map(|entry| entry.advice)
            .or(reason.map(Reason::advice));
        return Classification {
            outcome: Some(outcome),
            reason,
            evidence: Some(evidence),
            advice,
            ..Classification::default()
        };
    }

    // A detail the registry does not assign means what its subject's own X.Y.0 means; so does
    // one it assigns to successes only (X.3.6 "Requested priority was changed") in a failure.
    let from_enhanced = enhanced
        .filter(|enhanced| enhanced.outcome().is_failure())
        .and_then(|enhanced| {
            enhanced
                .entry()
                .filter(|_| !enhanced.is_success_detail_in_failure())
                .or_else(|| enhanced.subject_entry())
                .map(|entry| (entry, enhanced))
        })
        .filter(|(entry, _)| entry.reason != Reason::Undefined);
    // An enhanced code about the mailbox, the system, the network, the protocol, the content or
    // security (`550 5.2.0`: "the mailbox exists, but ...") says the address is not what failed:
    // the bare code's dead mailbox does not hold then.
    let beside_the_address = enhanced.is_some_and(|enhanced| enhanced.subject() >= 2);
    let from_reply = code.and_then(|code| {
        code.entry()
            .and_then(|entry| entry.reason.map(|r| (entry, r, code)))
            .filter(|(_, reason, _)| !(reason.is_hard() && beside_the_address))
    });
    let (reason, evidence, advice) = match (from_enhanced, from_reply) {
        (Some((entry, enhanced)), _) => (entry.reason, Evidence::Enhanced(enhanced), entry.advice),
        (None, Some((entry, reason, code))) => (reason, Evidence::Reply(code), entry.advice),
        (None, None) => (Reason::Undefined, fallback, Reason::Undefined.advice()),
    };
    Classification {
        outcome: Some(outcome),
        bounce: Some(bounce(outcome, reason)),
        reason: Some(reason),
        evidence: Some(evidence),
        advice: Some(advice),
        ..Classification::default()
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

/// Written by its name, the same as `as_str` and the human output give.
impl serde::Serialize for Bounce {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Written by its name, the same as `as_str` and the human output give.
impl serde::Serialize for Reported {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dead_address_under_a_senders_status_is_the_senders() {
        let v = verdict_text("550", "5.1.8", "<alice@example.com>: Domain not found");
        assert_eq!(v.reason, Some(Reason::Rejected));
        assert_eq!(v.bounce, Some(Bounce::Soft));
        assert_eq!(
            v.evidence,
            Some(Evidence::Enhanced("5.1.8".parse().unwrap()))
        );
        // Under a recipient's status the same words stay the recipient's.
        let v = verdict_text("550", "5.1.2", "<bob@example.org>: Domain not found");
        assert_eq!(v.reason, Some(Reason::HostUnknown));
    }

    #[test]
    fn a_success_detail_in_a_failure_is_read_as_its_subject() {
        // X.3.6 and X.6.4 go with 250: as 5.3.6 and 5.6.4 they say only what their subject does.
        let v = verdict("", "5.3.6");
        assert_eq!(v.outcome, Some(Outcome::Permanent));
        assert_eq!(v.reason, Some(Reason::SystemError));
        assert_eq!(verdict("554", "5.6.4").reason, Some(Reason::ContentError));
        // X.1.0 says nothing either: the reply code decides.
        assert_eq!(verdict("", "5.1.5").reason, Some(Reason::Undefined));
        assert_eq!(verdict("552", "5.1.5").reason, verdict("552", "").reason);
        // As successes they are deliveries.
        assert_eq!(verdict("250", "2.3.6").reason, Some(Reason::Delivered));
    }

    #[test]
    fn a_mailbox_status_keeps_the_bare_code_from_calling_the_address_dead() {
        // X.2.0: the mailbox exists, but something about it failed.
        let v = verdict("550", "5.2.0");
        assert_eq!(v.reason, Some(Reason::Undefined));
        assert_eq!(v.bounce, Some(Bounce::Soft));
        // Under an address status, or none, 550 is still RFC 5321's unavailable mailbox.
        for enhanced in ["5.1.0", "5.0.0", ""] {
            let v = verdict("550", enhanced);
            assert_eq!(v.reason, Some(Reason::UserUnknown), "{enhanced}");
            assert_eq!(v.bounce, Some(Bounce::Hard));
        }
    }

    fn verdict(code: &str, enhanced: &str) -> Classification {
        verdict_text(code, enhanced, "")
    }

    /// Asserts the reason and bounce each text gets under the codes; the verdicts, in order.
    fn assert_verdicts(
        code: &str,
        enhanced: &str,
        bounce: Bounce,
        cases: &[(&str, Reason)],
    ) -> Vec<Classification> {
        cases
            .iter()
            .map(|&(text, reason)| {
                let v = verdict_text(code, enhanced, text);
                assert_eq!((v.reason, v.bounce), (Some(reason), Some(bounce)), "{text}");
                v
            })
            .collect()
    }

    fn verdict_text(code: &str, enhanced: &str, text: &str) -> Classification {
        let code = (!code.is_empty()).then(|| code.parse().unwrap());
        let enhanced = (!enhanced.is_empty()).then(|| enhanced.parse().unwrap());
        classify(code, enhanced, text)
    }

    #[test]
    fn a_blocklist_in_the_text_decides_over_the_codes() {
        let v = verdict_text(
            "550",
            "5.7.1",
            "Service unavailable; client [192.0.2.1] listed at zen.spamhaus.org",
        );
        assert_eq!(v.reason, Some(Reason::Blocked));
        assert_eq!(v.bounce, Some(Bounce::Soft));
        assert_eq!(v.blocklist.as_deref(), Some("zen.spamhaus.org"));
        let v = verdict_text("554", "", "rejected: black.uribl.com");
        assert_eq!(v.reason, Some(Reason::Blocked));
        assert_eq!(v.evidence.unwrap().to_string(), "phrase \"blocklist zone\"");
    }

    #[test]
    fn a_phrase_decides_over_an_ambiguous_code() {
        let v = verdict_text("550", "", "Message rejected as spam");
        assert_eq!(v.reason, Some(Reason::SpamDetected));
        assert_eq!(v.bounce, Some(Bounce::Soft));
        assert_eq!(v.evidence.unwrap().to_string(), "phrase \"spam\"");
        let v = verdict_text("552", "5.2.2", "<ann@example.org>: mailbox full");
        assert_eq!(
            (v.reason, v.bounce),
            (Some(Reason::MailboxFull), Some(Bounce::Soft))
        );
    }

    #[test]
    fn a_providers_meaning_of_a_bare_code_gives_way_to_the_texts_words() {
        // Microsoft's one 5.2.2 entry is a sender over its quota; its marker names Microsoft.
        let v = verdict_text(
            "554",
            "5.2.2",
            "mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException",
        );
        assert_eq!(v.provider, Some("microsoft"));
        assert_eq!(
            (v.reason, v.bounce),
            (Some(Reason::MailboxFull), Some(Bounce::Soft))
        );
        assert_eq!(v.provider_meaning, None);
        // Without words of its own the reply means what Microsoft means by the code.
        let v = verdict_text("554", "5.2.2", "STOREDRV.Submission.Exception");
        assert_eq!(v.reason, Some(Reason::RateLimited));
        assert_eq!(v.evidence.unwrap().to_string(), "microsoft code 5.2.2");
    }

    #[test]
    fn refusals_of_the_sender_or_the_message_are_no_unknown_user() {
        // A bare 550 stands for an unknown user; these words say the address is not the cause.
        for (code, enhanced, text, reason) in [
            (
                "550",
                "5.1.8",
                "Domain of sender address does not exist",
                Reason::Rejected,
            ),
            ("550", "", "Message Rejected", Reason::PolicyViolation),
            ("550", "", "Error: content rejected", Reason::ContentError),
            ("550", "", "Mail content denied", Reason::ContentError),
        ] {
            let v = verdict_text(code, enhanced, text);
            assert_eq!(
                (v.reason, v.bounce),
                (Some(reason), Some(Bounce::Soft)),
                "{text}"
            );
        }
        // More precise words still win over the generic ones.
        let v = verdict_text("550", "5.7.1", "Message rejected: user unknown");
        assert_eq!(v.reason, Some(Reason::UserUnknown));
    }

    #[test]
    fn a_bare_550_in_words_of_another_cause_is_no_dead_address() {
        // Each of these read as a hard user_unknown from the bare code, and would have had a
        // good address removed from a list.
        let other_causes = [
            ("Your IP has been banned", Reason::Blocked),
            ("Banned sender", Reason::Blocked),
            ("Your host is not allowed to connect", Reason::Blocked),
            ("Dynamic IP addresses are not accepted", Reason::Blocked),
            ("Please use your ISP's SMTP server", Reason::Blocked),
            ("Sender denied", Reason::Rejected),
            ("Invalid sender domain", Reason::Rejected),
            ("No MX for sender domain", Reason::Rejected),
            ("Daily sending quota exceeded", Reason::RateLimited),
            ("Recipient limit exceeded", Reason::RateLimited),
            ("Storage limit exceeded", Reason::MailboxFull),
            (
                "Executable attachments are not allowed",
                Reason::ContentError,
            ),
            ("Message contains malicious content", Reason::VirusDetected),
            ("Phishing detected", Reason::SpamDetected),
            ("Unsolicited bulk email rejected", Reason::SpamDetected),
            ("Missing Message-ID header", Reason::NotCompliantRfc),
            ("You must authenticate first", Reason::SecurityError),
            (
                "You are not allowed to send mail to this recipient",
                Reason::PolicyViolation,
            ),
            ("Server configuration error", Reason::SystemError),
            ("Bad HELO", Reason::SyntaxError),
            // Other forms of a word, which whole-word matching tells apart.
            ("Known spammer", Reason::Blocked),
            ("IP listed in RBLs", Reason::Blocked),
            ("Message looks spammy", Reason::SpamDetected),
            ("Spamfilter rejected the message", Reason::SpamDetected),
            ("Viruses detected", Reason::VirusDetected),
            ("Quota full", Reason::MailboxFull),
            // The client's HELO name was not found, not the recipient's domain.
            (
                "<mail.example>: Helo command rejected: Host not found",
                Reason::SyntaxError,
            ),
        ];
        assert_verdicts("550", "", Bounce::Soft, &other_causes);
        // The dead ones stay hard, in their own words.
        let dead = [
            ("Account suspended", Reason::MailboxDisabled),
            ("Mailbox has been closed", Reason::MailboxDisabled),
            ("Host unknown", Reason::HostUnknown),
            ("Recipient domain has no MX", Reason::HostUnknown),
            ("Bad recipient", Reason::UserUnknown),
            ("Invalid recipients", Reason::UserUnknown),
            ("Account frozen", Reason::MailboxDisabled),
        ];
        for (v, (text, _)) in assert_verdicts("550", "", Bounce::Hard, &dead)
            .iter()
            .zip(dead)
        {
            assert!(matches!(v.evidence, Some(Evidence::Phrase(_))), "{text}");
        }
    }

    #[test]
    fn a_dead_address_in_other_words_is_hard_under_any_code() {
        // A 554 stands for a refusal (blocked, soft): these words say the address is not there.
        assert_verdicts(
            "554",
            "5.0.0",
            Bounce::Hard,
            &[
                ("No such mailbox", Reason::UserUnknown),
                ("Mailbox unknown", Reason::UserUnknown),
                ("unknown or illegal alias", Reason::UserUnknown),
                ("No such person at this address", Reason::UserUnknown),
                ("This address no longer exists", Reason::UserUnknown),
                ("Recipient not recognized", Reason::UserUnknown),
                ("Not a valid user", Reason::UserUnknown),
                ("Bad destination mailbox address", Reason::UserUnknown),
                ("User is terminated", Reason::MailboxDisabled),
                (
                    "Mailaddress is administratively disabled",
                    Reason::MailboxDisabled,
                ),
                ("Domain example.com has no valid MX", Reason::HostUnknown),
            ],
        );
        // The registry's words for a bad syntax are no unknown user.
        let v = verdict_text("553", "", "Bad destination mailbox address syntax");
        assert_eq!(v.reason, Some(Reason::SyntaxError));
        // Postfix still verifying the recipient asks to come back; a verification that failed
        // says why.
        let v = verdict_text(
            "450",
            "4.1.1",
            "<bob@example.org>: Recipient address rejected: unverified address: Address \
             verification in progress",
        );
        assert_eq!(v.reason, Some(Reason::OnHold));
        let v = verdict_text(
            "450",
            "4.1.1",
            "<bob@example.org>: Recipient address rejected: unverified address: host \
             mx.example.org[192.0.2.5] said: 550 5.1.1 User unknown",
        );
        assert_eq!(v.reason, Some(Reason::UserUnknown));
    }

    #[test]
    fn every_wording_of_a_refused_relay_is_no_relaying() {
        for text in [
            "Relaying disallowed",
            "relay not allowed",
            "Relay access denied",
        ] {
            let v = verdict_text("553", "5.1.1", text);
            assert_eq!(
                (v.reason, v.bounce),
                (Some(Reason::NoRelaying), Some(Bounce::Soft)),
                "{text}"
            );
        }
    }

    #[test]
    fn a_reply_before_any_recipient_names_no_dead_recipient() {
        let with = |command, code: &str, enhanced: &str, text| {
            Classifier::new(Workload::Few).classify(&Facts {
                code: Some(code.parse().unwrap()),
                enhanced: (!enhanced.is_empty()).then(|| enhanced.parse().unwrap()),
                text,
                command,
                ..Facts::default()
            })
        };
        for (command, reason) in [
            (Command::MailFrom, Reason::Rejected),
            (Command::Auth, Reason::Rejected),
            (Command::Connect, Reason::Blocked),
            (Command::Helo, Reason::Blocked),
        ] {
            for (code, enhanced, text) in [
                ("550", "5.1.1", "User unknown"),
                ("553", "5.1.3", "<a@>... Hostname required"),
                ("550", "", "Go away"),
            ] {
                let v = with(Some(command), code, enhanced, text);
                assert_eq!(
                    (v.reason, v.bounce),
                    (Some(reason), Some(Bounce::Soft)),
                    "{text}"
                );
                assert_eq!(v.evidence, Some(Evidence::Command(command)));
                assert_eq!(
                    v.evidence.unwrap().to_string(),
                    format!("reply to {}", command.label())
                );
            }
        }
        // After a recipient, or with no command known, the words keep their reading.
        for command in [Some(Command::RcptTo), Some(Command::EndOfData), None] {
            let v = with(command, "550", "5.1.1", "User unknown");
            assert_eq!(
                (v.reason, v.bounce),
                (Some(Reason::UserUnknown), Some(Bounce::Hard))
            );
        }
        // A soft reading stays as it is.
        let v = with(
            Some(Command::MailFrom),
            "452",
            "4.3.1",
            "Insufficient system storage",
        );
        assert_eq!(v.reason, Some(Reason::SystemFull));
    }

    #[test]
    fn a_recipient_address_of_bad_syntax_is_dead() {
        assert_verdicts(
            "553",
            "5.1.3",
            Bounce::Hard,
            &[
                ("Bad recipient address syntax", Reason::UserUnknown),
                ("<bob@example..com>: malformed", Reason::UserUnknown),
            ],
        );
        // The sender's, by its code or its words, is not.
        assert_verdicts(
            "501",
            "5.1.7",
            Bounce::Soft,
            &[("Bad sender address syntax", Reason::SyntaxError)],
        );
        assert_verdicts(
            "501",
            "",
            Bounce::Soft,
            &[("Bad sender address syntax", Reason::SyntaxError)],
        );
    }

    #[test]
    fn phrases_do_not_touch_successes() {
        let v = verdict_text("250", "2.0.0", "OK, no spam here");
        assert_eq!(v.reason, Some(Reason::Delivered));
    }

    #[test]
    fn the_wait_asked_for_is_kept() {
        assert_eq!(
            verdict_text("421", "4.7.0", "Try again in 5 minutes").retry_after,
            Some(300)
        );
    }

    fn reported(status: Reported, text: &str) -> Classification {
        Classifier::new(Workload::Many).classify(&Facts {
            text,
            reported: Some(status),
            ..Facts::default()
        })
    }

    #[test]
    fn without_codes_the_reported_status_decides_the_outcome() {
        let v = reported(
            Reported::Deferred,
            "connect to mx.example.com[192.0.2.1]:25: Connection timed out",
        );
        assert_eq!(v.outcome, Some(Outcome::Transient));
        assert_eq!(v.reason, Some(Reason::NetworkError));
        assert_eq!(v.bounce, Some(Bounce::Soft));
        let v = reported(Reported::Failed, "Unrouteable address");
        assert_eq!(
            (v.outcome, v.bounce),
            (Some(Outcome::Permanent), Some(Bounce::Hard))
        );
        let v = reported(Reported::Failed, "something odd happened");
        assert_eq!(v.reason, Some(Reason::Undefined));
        assert_eq!(v.evidence.unwrap().to_string(), "reported status failed");
        assert_eq!(
            reported(Reported::Delivered, "").outcome,
            Some(Outcome::Success)
        );
    }

    #[test]
    fn a_services_class_decides_what_the_words_leave_open() {
        let classify = |class: (&str, &str), code: Option<&str>, text: &str| {
            Classifier::new(Workload::Few).classify(&Facts {
                code: code.and_then(|code| code.parse().ok()),
                text,
                reported: Some(Reported::Failed),
                class: crate::tables::service_class(class.0, class.1),
                ..Facts::default()
            })
        };
        // Over the codes alone: SparkPost read the words as an unknown recipient.
        let v = classify(("sparkpost", "10"), Some("554"), "Message refused");
        assert_eq!(v.reason, Some(Reason::UserUnknown));
        assert_eq!(v.bounce, Some(Bounce::Hard));
        assert_eq!(
            v.evidence.unwrap().to_string(),
            "sparkpost bounce_class \"10\""
        );
        // Not over a phrase of the reply.
        let v = classify(("sparkpost", "10"), Some("552"), "Mailbox full");
        assert_eq!(v.reason, Some(Reason::MailboxFull));
        // Unless the text is the class's own words: Mailjet's error.
        let v = classify(("mailjet", "Content Blocked"), None, "content blocked");
        assert_eq!(v.reason, Some(Reason::SpamDetected));
        // A class that says only hard or soft settles the bounce of an undefined reason...
        let v = classify(("brevo", "hard_bounce"), None, "");
        assert_eq!(
            (v.reason, v.bounce),
            (Some(Reason::Undefined), Some(Bounce::Hard))
        );
        let v = classify(("mailjet", "false"), None, "something odd");
        assert_eq!(
            (v.reason, v.bounce),
            (Some(Reason::Undefined), Some(Bounce::Soft))
        );
        // ...not that of a reason the reply gave.
        let v = classify(("ses", "Permanent/General"), None, "Mailbox full");
        assert_eq!(
            (v.reason, v.bounce),
            (Some(Reason::MailboxFull), Some(Bounce::Soft))
        );
        // The service's suppression stays what it reported.
        let v = Classifier::new(Workload::Few).classify(&Facts {
            text: "user unknown",
            reported: Some(Reported::Suppressed),
            class: crate::tables::service_class("mailjet", "user unknown"),
            ..Facts::default()
        });
        assert_eq!(v.reason, Some(Reason::Suppressed));
    }

    #[test]
    fn a_message_given_up_for_age_is_expired_whatever_the_codes_say() {
        let v = Classifier::new(Workload::Few).classify(&Facts {
            enhanced: Some("4.4.1".parse().unwrap()),
            text: "connect to mx.example.com[192.0.2.1]:25: Connection refused",
            reported: Some(Reported::Expired),
            ..Facts::default()
        });
        assert_eq!(v.reason, Some(Reason::Expired));
        assert_eq!(v.bounce, Some(Bounce::Soft));
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
        let v = verdict("550", "5.1.99");
        assert_eq!(v.reason, Some(Reason::UserUnknown));
        assert_eq!(v.evidence.unwrap().to_string(), "reply code 550");
        // Unless its subject says the address is not what failed: then the subject's own
        // meaning (X.7.0) holds.
        let v = verdict("550", "5.7.99");
        assert_eq!(v.reason, Some(Reason::PolicyViolation));
        assert_eq!(v.bounce, Some(Bounce::Soft));
        assert_eq!(verdict("", "4.3.99").reason, Some(Reason::SystemError));
    }

    #[test]
    fn the_basic_code_decides_the_outcome_when_classes_disagree() {
        assert_eq!(verdict("421", "5.7.32").outcome, Some(Outcome::Transient));
    }

    #[test]
    fn success_has_no_bounce() {
        let v = verdict("250", "2.0.0");
        assert_eq!(v.outcome, Some(Outcome::Success));
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
