//! Property tests: what must hold for any input, not only for the lines we thought of.

use proptest::prelude::*;
use smtpcode::lines::{LineReader, Sink};
use smtpcode::print::json;
use smtpcode::{lookup, response, EnhancedCode, LineRecord, Outcome, ReplyCode};
use std::io;

fn outcome_of(class: u8) -> Outcome {
    match class {
        2 => Outcome::Success,
        3 => Outcome::Intermediate,
        4 => Outcome::Transient,
        _ => Outcome::Permanent,
    }
}

/// The words the class explanation of each first digit starts with.
fn class_words(class: u8, enhanced: bool) -> &'static str {
    match (class, enhanced) {
        (2, false) => "positive completion",
        (3, false) => "positive intermediate",
        (4, false) => "transient negative",
        (5, false) => "permanent negative",
        (2, true) => "success",
        (4, true) => "persistent transient",
        _ => "permanent failure",
    }
}

/// Real-looking lines of the formats the reader knows, with codes, addresses and texts drawn at
/// random, and lines of any characters.
fn log_line() -> impl Strategy<Value = String> {
    let code = (2u16..=5, 0u16..=5, 0u16..=9).prop_map(|(a, b, c)| a * 100 + b * 10 + c);
    let enhanced = (
        prop_oneof![Just(2u16), Just(4), Just(5)],
        0u16..=7,
        0u16..=30,
    )
        .prop_map(|(a, b, c)| format!("{a}.{b}.{c}"));
    let text = "[ -~]{0,60}";
    let user = "[a-z]{1,8}";
    prop_oneof![
        (code.clone(), enhanced.clone(), text).prop_map(|(c, e, t)| format!("{c} {e} {t}")),
        (code.clone(), enhanced.clone(), user, text).prop_map(|(c, e, u, t)| format!(
            "Nov 23 10:15:01 mx1 postfix/smtp[123]: 4F2A31C0A2: to=<{u}@example.com>, \
             relay=mx.example.com[192.0.2.1]:25, delay=1, dsn={e}, status=bounced \
             (host mx.example.com[192.0.2.1] said: {c} {e} {t} (in reply to RCPT TO command))"
        )),
        (code.clone(), enhanced.clone(), user).prop_map(|(c, e, u)| format!(
            "2026-11-23 10:15:03 1rAbCd-0001Xy-2Z ** {u}@example.org R=dnslookup T=remote_smtp \
             H=mx.example.org [192.0.2.3]: SMTP error from remote mail server after RCPT \
             TO:<{u}@example.org>: {c} {e} no"
        )),
        (code.clone(), enhanced.clone(), text).prop_map(|(c, e, t)| format!("{c}-{e} {t}")),
        enhanced.clone().prop_map(|e| format!("Status: {e}")),
        (code, enhanced, text).prop_map(|(c, e, t)| format!("Diagnostic-Code: smtp; {c} {e} {t}")),
        "[a-zA-Z-]{1,20}: [ -~]{0,40}",
        "\\PC{0,80}".prop_map(|s| s.replace(['\r', '\n'], " ")),
        Just(String::new()),
    ]
}

/// Counts records and checks that they come one per line, in order.
struct Count {
    records: Vec<u64>,
    json: Vec<u8>,
}

impl Sink for Count {
    fn record(&mut self, record: &LineRecord<'_>) -> io::Result<()> {
        self.records.push(record.line);
        json::write_line(&mut self.json, record)
    }
}

fn read_all(input: &[u8]) -> Count {
    let mut sink = Count {
        records: Vec::new(),
        json: Vec::new(),
    };
    LineReader::new(true)
        .read(input, &mut sink)
        .expect("reading a slice cannot fail");
    sink
}

proptest! {
    #[test]
    fn parsing_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = text.parse::<ReplyCode>();
        let _ = text.parse::<EnhancedCode>();
        let _ = response::parse(&text);
        let _ = smtpcode::lines::delivery::find_reply(&text);
        let _ = lookup(&text);
        let _ = read_all(&bytes);
    }

    #[test]
    fn every_basic_code_is_explained_in_its_class(code in 200u16..=599) {
        let record = lookup(&code.to_string());
        let class = (code / 100) as u8;
        prop_assert!(record.error.is_none());
        prop_assert_eq!(record.verdict.outcome, Some(outcome_of(class)));
        let reply = record.reply.expect("a reply code is explained");
        prop_assert_eq!(reply.code.as_u16(), code);
        prop_assert!(reply.class.starts_with(class_words(class, false)), "{}", reply.class);
        prop_assert!(!reply.category.is_empty() && !reply.detail.is_empty());
    }

    #[test]
    fn every_enhanced_code_is_explained_in_its_class(
        class in prop_oneof![Just(2u8), Just(4), Just(5)],
        subject in 0u16..=999,
        detail in 0u16..=999,
    ) {
        let text = format!("{class}.{subject}.{detail}");
        let record = lookup(&text);
        prop_assert!(record.error.is_none(), "{:?}", record.error);
        prop_assert_eq!(record.verdict.outcome, Some(outcome_of(class)));
        let enhanced = record.enhanced.expect("an enhanced code is explained");
        prop_assert_eq!(enhanced.code.to_string(), text);
        prop_assert!(enhanced.class.starts_with(class_words(class, true)), "{}", enhanced.class);
        prop_assert!(!enhanced.subject.is_empty() && !enhanced.detail.is_empty());
    }

    #[test]
    fn lookup_json_parses_back_with_its_input(input in "\\PC{0,100}") {
        let record = lookup(&input);
        let mut out = Vec::new();
        json::write_lookup(&mut out, &record).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        prop_assert_eq!(value["input"].as_str(), Some(input.as_str()));
    }

    #[test]
    fn n_lines_give_n_records_in_order_with_their_input(
        lines in proptest::collection::vec(log_line(), 0..40),
        endings in proptest::collection::vec(prop_oneof![Just("\n"), Just("\r\n"), Just("\r")], 40),
        last_ended in any::<bool>(),
    ) {
        let mut input = String::new();
        for (index, line) in lines.iter().enumerate() {
            input.push_str(line);
            let ending = endings[index];
            // A lone CR, then an empty line ended by LF, would read as one CRLF.
            let next_is_empty = lines.get(index + 1).is_some_and(String::is_empty);
            let ending = if ending == "\r" && next_is_empty { "\r\n" } else { ending };
            if index + 1 < lines.len() || last_ended || line.is_empty() {
                input.push_str(ending);
            }
        }
        let read = read_all(input.as_bytes());
        let expected: Vec<u64> = (1..=lines.len() as u64).collect();
        prop_assert_eq!(&read.records, &expected);
        let text = String::from_utf8(read.json).unwrap();
        for (json_line, line) in text.lines().zip(&lines) {
            let value: serde_json::Value = serde_json::from_str(json_line).unwrap();
            prop_assert_eq!(value["input"].as_str(), Some(line.as_str()));
        }
    }
}
