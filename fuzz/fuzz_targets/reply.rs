//! The reply parser and the classifier: any text splits into codes and a text that is part of it,
//! and the verdict agrees with the codes' class. The stream's text scanner (a pattern set) finds
//! what the lookup's (an automaton) finds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpcode::lines::delivery::find_reply;
use smtpcode::phrase::Workload;
use smtpcode::scan::TextScanner;
use smtpcode::{response, Outcome};
use std::sync::LazyLock;

static STREAM: LazyLock<TextScanner> = LazyLock::new(|| TextScanner::new(Workload::Many));
static LOOKUP: LazyLock<TextScanner> = LazyLock::new(|| TextScanner::new(Workload::Few));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    assert_eq!(STREAM.scan(&text), LOOKUP.scan(&text), "both scanners agree");
    if let Some(reply) = response::parse(&text) {
        assert!(reply.code.is_some() || reply.enhanced.is_some());
        assert!(
            text.contains(reply.text),
            "the text is taken from the input"
        );
        let verdict = smtpcode::classify(reply.code, reply.enhanced, reply.text);
        let class = reply
            .code
            .map(|c| c.class())
            .or(reply.enhanced.map(|e| e.class()));
        match (class, verdict.outcome) {
            (Some(2), outcome) => assert_eq!(outcome, Some(Outcome::Success)),
            (Some(4), outcome) => assert_eq!(outcome, Some(Outcome::Transient)),
            (Some(5), outcome) => assert_eq!(outcome, Some(Outcome::Permanent)),
            _ => {}
        }
        if verdict.bounce == Some(smtpcode::Bounce::Hard) {
            assert_eq!(verdict.outcome, Some(Outcome::Permanent));
        }
    }
    if let Some((reply, at)) = find_reply(&text) {
        assert!(at <= text.len());
        let _ = smtpcode::classify(reply.code, reply.enhanced, reply.text);
    }
});
