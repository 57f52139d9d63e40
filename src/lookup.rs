//! Answering a query: a code (`550`, `5.7.26`), or a whole reply (`550 5.1.1 ... User unknown`).

use crate::classify::{bounce, classify, Classification};
use crate::code::{CodeError, CodeErrorKind, EnhancedCode, ReplyCode};
use crate::explain::{enhanced_parts, reply_digits};
use crate::outcome::Outcome;
use crate::provider;
use crate::record::ProviderMeaning;
use crate::record::{EnhancedInfo, LookupRecord, OtherMeaning, ReplyInfo};
use crate::response::{self, Response};
use crate::tables::ProviderEntry;

/// Reads a query: a bare code, or text that starts with one.
pub fn parse_query(input: &str) -> Result<Response<'_>, CodeError> {
    let query = input.trim();
    if query.is_empty() {
        return Err(CodeError::new(query, CodeErrorKind::Empty));
    }
    if let Some(response) = response::parse(query).or_else(|| {
        let unlabelled = without_label(query);
        (unlabelled.len() < query.len())
            .then(|| response::parse(unlabelled))
            .flatten()
    }) {
        return Ok(response);
    }
    // Not a reply: find out what is wrong with the first word, to say so precisely.
    let word = query.split_whitespace().next().unwrap_or(query);
    let error = if word.contains('.') {
        word.parse::<EnhancedCode>().err()
    } else {
        word.parse::<ReplyCode>().err()
    };
    Err(error.unwrap_or_else(|| CodeError::new(query, CodeErrorKind::NotACode)))
}

/// The query without the label it was copied with from a report or a log: `Status: 5.1.1`,
/// `dsn=5.1.1`, `Diagnostic-Code: smtp; 550 5.1.1 ...`, `smtp;550 ...`.
fn without_label(query: &str) -> &str {
    const LABELS: [&str; 5] = ["status:", "dsn=", "diagnostic-code:", "reply=", "smtp;"];
    let mut rest = query;
    for label in LABELS {
        if rest
            .get(..label.len())
            .is_some_and(|lead| lead.eq_ignore_ascii_case(label))
        {
            rest = rest[label.len()..].trim_start();
        }
    }
    rest
}

/// The queries a command line's arguments make: each argument is one, but for a reply typed
/// without quotes, whose words the shell split. A basic code followed by an enhanced code of its
/// class is one reply's codes (`550 5.7.26`); words after a query are the text of that reply,
/// up to the last argument, since a reply's text may hold numbers of its own (`550 5.1.1 User
/// unknown`, `450 4.2.1 try again in 300 seconds`). It takes two words or more: a single one is
/// more likely a mistake (`550 lsit`), reported as such.
pub fn queries<S: AsRef<str>>(args: &[S]) -> Vec<String> {
    let mut queries = Vec::with_capacity(args.len());
    let mut at = 0;
    while at < args.len() {
        let mut query = args[at].as_ref().to_string();
        at += 1;
        if parse_query(&query).is_err() {
            queries.push(query);
            continue;
        }
        if let Ok(code) = query.trim().parse::<ReplyCode>() {
            let enhanced = args
                .get(at)
                .and_then(|next| next.as_ref().trim().parse::<EnhancedCode>().ok());
            if enhanced.is_some_and(|enhanced| enhanced.class() == code.class()) {
                query.push(' ');
                query.push_str(args[at].as_ref().trim());
                at += 1;
            }
        }
        let rest = &args[at..];
        if rest.first().is_some_and(|next| is_word(next.as_ref()))
            && rest.iter().filter(|arg| is_word(arg.as_ref())).count() >= 2
        {
            for word in rest {
                query.push(' ');
                query.push_str(word.as_ref());
            }
            at = args.len();
        }
        queries.push(query);
    }
    queries
}

/// Whether an argument is a word rather than a query or a code mistyped (`5.726`, `55O`).
fn is_word(arg: &str) -> bool {
    !arg.trim_start().starts_with(|c: char| c.is_ascii_digit()) && parse_query(arg).is_err()
}

/// Looks a query up and classifies it.
pub fn lookup(input: &str) -> LookupRecord {
    lookup_for(input, None)
}

/// Looks a query up and classifies it; with a provider, lists only that provider's meanings of
/// the codes (even for a whole reply).
pub fn lookup_for(input: &str, provider: Option<&'static ProviderEntry>) -> LookupRecord {
    match parse_query(input) {
        Ok(response) => {
            let mut record = record(input, &response);
            if provider.is_some() || response.text.is_empty() {
                record.providers = provider_meanings(&response, provider);
            }
            record
        }
        Err(error) => LookupRecord {
            input: input.to_string(),
            error: Some(error.to_string()),
            hint: error.hint(),
            reply: None,
            enhanced: None,
            text: None,
            verdict: Classification::default(),
            notes: Vec::new(),
            providers: Vec::new(),
        },
    }
}

/// What each known provider (or only `only`) means by the response's codes.
fn provider_meanings(
    response: &Response<'_>,
    only: Option<&'static ProviderEntry>,
) -> Vec<ProviderMeaning> {
    provider::replies_for(response.code, response.enhanced)
        .filter(|reply| only.is_none_or(|p| std::ptr::eq(p, reply.provider())))
        .map(|reply| {
            let entry = reply.provider();
            let outcome = reply
                .code
                .and_then(|c| ReplyCode::new(c).ok())
                .and_then(ReplyCode::outcome)
                .or(reply.enhanced.and_then(|span| {
                    EnhancedCode::new(span.class, span.subject, span.first)
                        .ok()
                        .map(EnhancedCode::outcome)
                }))
                .unwrap_or(Outcome::Permanent);
            ProviderMeaning {
                provider: entry.id,
                name: entry.name,
                code: reply.code,
                enhanced: reply.enhanced.map(|span| span.to_string()),
                phrases: reply.phrases,
                reason: reply.reason,
                bounce: reply.bounce.unwrap_or(bounce(outcome, reply.reason)),
                meaning: reply.meaning,
                advice: reply.advice.unwrap_or(reply.reason.advice()),
                note: reply.code_note(),
                example: reply.example,
                docs: entry.docs,
                source: reply.source,
            }
        })
        .collect()
}

/// The record for a parsed response.
pub fn record(input: &str, response: &Response<'_>) -> LookupRecord {
    LookupRecord {
        input: input.to_string(),
        error: None,
        hint: None,
        reply: response.code.map(reply_info),
        enhanced: response.enhanced.map(enhanced_info),
        text: (!response.text.is_empty()).then(|| response.text.to_string()),
        verdict: classify(response.code, response.enhanced, response.text),
        notes: notes(response),
        providers: Vec::new(),
    }
}

fn reply_info(code: ReplyCode) -> ReplyInfo {
    let digits = reply_digits(code);
    let entries = code.entries();
    let main = entries.first();
    ReplyInfo {
        code,
        assigned: main.is_some(),
        class: digits[0].meaning.clone(),
        category: digits[1].meaning.clone(),
        detail: digits[2].meaning.clone(),
        digits,
        text: main.map(|e| e.text),
        status: main.map(|e| e.status),
        source: main.map(|e| e.source),
        used_by: main.and_then(|e| e.used_by),
        meaning: main.map(|e| e.meaning),
        causes: main.map_or(&[], |e| e.causes),
        advice: main.map(|e| e.advice),
        enhanced_codes: main.map_or(&[], |e| e.enhanced),
        other_meanings: entries
            .iter()
            .skip(1)
            .map(|e| OtherMeaning {
                context: e.context.unwrap_or_default(),
                text: e.text,
                status: e.status,
                source: e.source,
                meaning: e.meaning,
                advice: e.advice,
                enhanced_codes: e.enhanced,
            })
            .collect(),
    }
}

fn enhanced_info(code: EnhancedCode) -> EnhancedInfo {
    let digits = enhanced_parts(code);
    let entry = code.entry();
    EnhancedInfo {
        code,
        assigned: entry.is_some(),
        class: digits[0].meaning.clone(),
        subject: digits[1].meaning.clone(),
        detail: digits[2].meaning.clone(),
        digits,
        text: entry.map(|e| e.text),
        source: entry.map(|e| e.source),
        meaning: entry.map(|e| e.meaning),
        causes: entry.map_or(&[], |e| e.causes),
        advice: entry.map(|e| e.advice),
        note: entry.and_then(|e| e.note),
        basic_codes: entry.and_then(|e| e.basic),
        deprecated: entry.is_some_and(|e| e.deprecated),
    }
}

fn notes(response: &Response<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    if let (Some(code), Some(enhanced)) = (response.code, response.enhanced) {
        if code.class() != enhanced.class() {
            notes.push(format!(
                "the classes disagree: {code} is {} but {enhanced} is {}; a client acts on the basic code",
                code.outcome().map_or("not an SMTP reply", |o| o.as_str()),
                enhanced.outcome()
            ));
        }
    }
    if let Some(code) = response.code.filter(|c| c.class() == 1) {
        notes.push(format!(
            "{code} is not an SMTP reply: SMTP has no 1yz replies (RFC 5321 §4.2.1)"
        ));
    }
    if let Some(code) = response.code.filter(|c| !c.is_assigned()) {
        notes.push(format!(
            "{code} is not assigned: no RFC, registry entry or known non-standard use"
        ));
    }
    if let Some(enhanced) = response
        .enhanced
        .filter(|e| e.is_success_detail_in_failure())
    {
        notes.push(format!(
            "{enhanced}: its detail is for successes (X.{}.{} goes with 250); in a failure it says only what its subject does",
            enhanced.subject(),
            enhanced.detail()
        ));
    }
    if let Some(enhanced) = response.enhanced.filter(|e| !e.is_assigned()) {
        notes.push(format!(
            "{enhanced} is not in the IANA registry: a server-specific code, explained by its class and subject"
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::Outcome;

    #[test]
    fn a_bare_code_is_looked_up() {
        let record = lookup("550");
        assert!(record.is_understood());
        assert_eq!(
            record.reply.unwrap().text,
            Some("Requested action not taken: mailbox unavailable")
        );
        assert!(record.enhanced.is_none());
    }

    #[test]
    fn arguments_make_queries_and_a_reply_split_by_the_shell_is_one() {
        let grouped = |args: &[&str]| queries(args);
        // Codes alone are a query each, but a reply code and an enhanced code of its class.
        assert_eq!(grouped(&["550", "421", "5.1.1"]), ["550", "421", "5.1.1"]);
        assert_eq!(grouped(&["550", "5.7.26", "421"]), ["550 5.7.26", "421"]);
        assert_eq!(grouped(&["421", "5.7.0"]), ["421", "5.7.0"]);
        assert_eq!(grouped(&["5.1.1", "550"]), ["5.1.1", "550"]);
        assert_eq!(grouped(&["550", "dsn=5.1.1"]), ["550", "dsn=5.1.1"]);
        // Words after a code are its reply's text, to the end, numbers and all.
        assert_eq!(
            grouped(&["550", "5.1.1", "User", "unknown"]),
            ["550 5.1.1 User unknown"]
        );
        assert_eq!(
            grouped(&["421", "450", "4.2.1", "try", "again", "in", "300", "seconds"]),
            ["421", "450 4.2.1 try again in 300 seconds"]
        );
        assert_eq!(
            grouped(&["5.2.2", "Mailbox", "full"]),
            ["5.2.2 Mailbox full"]
        );
        // A single word, or a mistyped code, after a code stays apart: a mistake to report.
        assert_eq!(grouped(&["550", "list"]), ["550", "list"]);
        assert_eq!(grouped(&["550", "nope", "421"]), ["550", "nope", "421"]);
        assert_eq!(grouped(&["599", "5.726"]), ["599", "5.726"]);
        assert_eq!(
            grouped(&["550", "5.726", "User", "unknown"]),
            ["550", "5.726", "User", "unknown"]
        );
        // Words before any code stay apart, to be reported as what they are.
        assert_eq!(grouped(&["mailbox", "full"]), ["mailbox", "full"]);
        assert_eq!(grouped(&["5.726", "550"]), ["5.726", "550"]);
        let none: [&str; 0] = [];
        assert!(grouped(&none).is_empty());
    }

    #[test]
    fn a_success_detail_in_a_failure_is_noted() {
        let record = lookup("5.3.6");
        assert!(
            record.notes.iter().any(|n| n.contains("for successes")),
            "{:?}",
            record.notes
        );
        assert!(lookup("2.3.6").notes.is_empty());
        assert!(lookup("5.3.4").notes.is_empty());
    }

    #[test]
    fn a_whole_reply_keeps_its_text() {
        let record =
            lookup("550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown");
        assert_eq!(record.reply.unwrap().code.as_u16(), 550);
        assert_eq!(record.enhanced.unwrap().code.to_string(), "5.1.1");
        assert_eq!(
            record.text.as_deref(),
            Some("<bob@example.com>: Recipient address rejected: User unknown")
        );
    }

    #[test]
    fn a_code_copied_with_its_label_is_looked_up() {
        for (query, enhanced) in [
            ("Status: 5.1.1", "5.1.1"),
            ("dsn=5.2.2", "5.2.2"),
            ("Diagnostic-Code: smtp; 550 5.1.1 User unknown", "5.1.1"),
            ("smtp;550 5.7.26 Unauthenticated", "5.7.26"),
        ] {
            let record = lookup(query);
            assert!(record.is_understood(), "{query}");
            assert_eq!(record.enhanced.unwrap().code.to_string(), enhanced);
        }
        assert!(!lookup("Status: RO").is_understood());
        assert!(!lookup("smtp;").is_understood());
    }

    #[test]
    fn malformed_queries_become_errors_with_hints() {
        let record = lookup("5.726");
        assert!(!record.is_understood());
        assert!(record.error.unwrap().contains("three parts"));
        assert_eq!(record.hint.as_deref(), Some("5.7.26"));
        for bad in ["abc", "5555", "6.1.1", "1000", "", "   "] {
            assert!(lookup(bad).error.is_some(), "{bad:?} should be an error");
        }
    }

    #[test]
    fn unassigned_codes_are_explained_but_not_understood() {
        let record = lookup("599");
        assert!(!record.is_understood());
        assert_eq!(record.verdict.outcome, Some(Outcome::Permanent));
        assert!(record.notes.iter().any(|n| n.contains("not assigned")));
        assert!(!lookup("5.1.99").is_understood());
        assert!(!lookup("4.9.9").is_understood());
    }

    #[test]
    fn codes_with_several_meanings_list_the_others() {
        let reply = lookup("454").reply.unwrap();
        assert_eq!(reply.other_meanings.len(), 1);
        assert_eq!(reply.other_meanings[0].context, "STARTTLS");
    }

    #[test]
    fn disagreeing_classes_are_noted() {
        assert!(lookup("421 5.7.32 blocked")
            .notes
            .iter()
            .any(|n| n.contains("disagree")));
    }
}
