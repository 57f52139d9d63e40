//! The code parsers: any text either parses into a code that prints back as itself, or is refused
//! with an error that names it; a lookup of it never panics and its JSON parses back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpcode::{EnhancedCode, Outcome, ReplyCode};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match text.parse::<ReplyCode>() {
        Ok(code) => {
            let again: ReplyCode = code.to_string().parse().expect("a printed code parses");
            assert_eq!(again, code);
            assert_eq!(code.class(), (code.as_u16() / 100) as u8);
            match code.class() {
                2 => assert_eq!(code.outcome(), Some(Outcome::Success)),
                4 => assert_eq!(code.outcome(), Some(Outcome::Transient)),
                5 => assert_eq!(code.outcome(), Some(Outcome::Permanent)),
                _ => {}
            }
        }
        Err(err) => {
            let _ = err.to_string();
            let _ = err.hint();
        }
    }
    match text.parse::<EnhancedCode>() {
        Ok(code) => {
            let again: EnhancedCode = code.to_string().parse().expect("a printed code parses");
            assert_eq!(again, code);
            let expected = match code.class() {
                2 => Outcome::Success,
                4 => Outcome::Transient,
                _ => Outcome::Permanent,
            };
            assert_eq!(code.outcome(), expected);
        }
        Err(err) => {
            let _ = err.to_string();
            if let Some(hint) = err.hint() {
                assert!(
                    hint.parse::<EnhancedCode>().is_ok() || hint.len() > 3,
                    "{hint}"
                );
            }
        }
    }
    let record = smtpcode::lookup(&text);
    let json = serde_json::to_string(&record).expect("a record serialises");
    let value: serde_json::Value = serde_json::from_str(&json).expect("its JSON parses back");
    assert_eq!(value["input"].as_str(), Some(&*text));
});
