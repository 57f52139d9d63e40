//! A stream's records as JSON, written by hand.
//!
//! A stream writes one object per result, each with the input line, the reply text, the advice
//! and the provider's meaning: some two kilobytes of strings, which serde_json checks for
//! escapes a byte at a time. Here strings are checked eight bytes at a time and copied whole.
//! The output is byte for byte what `serde_json::to_writer` makes of the `Serialize` derive of
//! `LineRecord` (which stays the schema's source of truth); a test holds the two together on
//! every kind of line.

use super::decimal::Decimal;
use crate::record::LineRecord;

/// A key as it is written: quoted, with its colon (`"line":`), made at compile time so that
/// writing it is one copy.
macro_rules! key {
    ($name:literal) => {
        concat!("\"", $name, "\":")
    };
}

/// Appends one record as compact JSON, without a line end.
pub fn write_record(out: &mut Vec<u8>, record: &LineRecord<'_>) {
    let mut object = Object::open(out);
    object.number(key!("line"), record.line);
    object.number(key!("first_line"), record.first_line);
    object.string(key!("input"), Some(record.input));
    object.boolean(key!("input_escaped"), record.input_escaped);
    object.boolean(key!("truncated"), record.truncated);
    object.boolean(key!("result"), record.result);
    object.name(key!("format"), record.format.map(|f| f.as_str()));
    object.string(key!("timestamp"), record.timestamp);
    object.string(key!("queue_id"), record.queue_id);
    object.string(key!("recipient"), record.recipient);
    object.string(key!("domain"), record.domain);
    object.string(key!("host"), record.host);
    object.name(key!("command"), record.command.map(|c| c.as_str()));
    object.name(key!("reported"), record.reported.map(|r| r.as_str()));
    match record.reply_code {
        Some(code) => object.number(key!("reply_code"), u64::from(code.as_u16())),
        None => object.null(key!("reply_code")),
    }
    let enhanced = record.enhanced_code.map(|code| code.as_text());
    object.name_bytes(
        key!("enhanced_code"),
        enhanced.as_ref().map(|text| text.as_bytes()),
    );
    object.string(key!("text"), record.text);
    let verdict = &record.verdict;
    object.name(key!("outcome"), verdict.outcome.map(|o| o.as_str()));
    object.name(key!("bounce"), verdict.bounce.map(|b| b.as_str()));
    object.name(key!("reason"), verdict.reason.map(|r| r.as_str()));
    match verdict.evidence {
        Some(evidence) => {
            object.key(key!("evidence"));
            object.out.push(b'"');
            evidence.for_each_piece(|piece| string_contents(object.out, piece));
            object.out.push(b'"');
        }
        None => object.null(key!("evidence")),
    }
    object.string(key!("advice"), verdict.advice);
    match verdict.retry_after {
        Some(seconds) => object.number(key!("retry_after"), seconds),
        None => object.null(key!("retry_after")),
    }
    object.string(key!("blocklist"), verdict.blocklist.as_deref());
    object.string(key!("provider"), verdict.provider);
    object.string(key!("provider_meaning"), verdict.provider_meaning);
    object.string(key!("provider_note"), verdict.provider_note().as_deref());
    object.string(key!("provider_docs"), verdict.provider_docs);
    match record.repeat_of {
        Some(line) => object.number(key!("repeat_of"), line),
        None => object.null(key!("repeat_of")),
    }
    object.close();
}

/// An object being written: keys and values, with the commas between them.
struct Object<'o> {
    out: &'o mut Vec<u8>,
    first: bool,
}

impl<'o> Object<'o> {
    fn open(out: &'o mut Vec<u8>) -> Self {
        out.push(b'{');
        Object { out, first: true }
    }

    /// `key` is quoted and has its colon (`key!`); keys are this file's own words, with
    /// nothing to escape.
    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.extend_from_slice(key.as_bytes());
    }

    fn null(&mut self, key: &str) {
        self.key(key);
        self.out.extend_from_slice(b"null");
    }

    fn number(&mut self, key: &str, value: u64) {
        self.key(key);
        self.out.extend_from_slice(Decimal::new(value).as_bytes());
    }

    fn boolean(&mut self, key: &str, value: bool) {
        self.key(key);
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
    }

    fn string(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(value) => {
                self.key(key);
                string(self.out, value);
            }
            None => self.null(key),
        }
    }

    /// A string known to need no escapes: a name of this crate's (`rcpt_to`, `permanent`) or a
    /// code's digits.
    fn name(&mut self, key: &str, value: Option<&str>) {
        self.name_bytes(key, value.map(str::as_bytes));
    }

    /// `name` for a code's text, which is ASCII but not a `str` until checked.
    fn name_bytes(&mut self, key: &str, value: Option<&[u8]>) {
        match value {
            Some(value) => {
                debug_assert!(!value.iter().copied().any(needs_escape));
                self.key(key);
                self.out.push(b'"');
                self.out.extend_from_slice(value);
                self.out.push(b'"');
            }
            None => self.null(key),
        }
    }

    fn close(self) {
        self.out.push(b'}');
    }
}

/// A JSON string as serde_json writes it: `"` and `\` escaped, control characters below 0x20
/// written `\n`, `\t`... or `\u00XX`, everything else as it is.
fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    string_contents(out, text);
    out.push(b'"');
}

/// A JSON string's contents, without the quotes.
fn string_contents(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = next_escape(bytes, at) {
        out.extend_from_slice(&bytes[copied..found]);
        escape_byte(out, bytes[found]);
        copied = found + 1;
        at = found + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
}

/// The first byte from `from` on that JSON needs escaped, eight bytes at a time.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let at = from;
    let rest = &bytes[at..];
    let mut words = rest.chunks_exact(8);
    for (index, word) in words.by_ref().enumerate() {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if may_need_escape(x) {
            if let Some(offset) = word.iter().position(|&b| needs_escape(b)) {
                return Some(at + index * 8 + offset);
            }
        }
    }
    let tail = rest.len() - words.remainder().len();
    words
        .remainder()
        .iter()
        .position(|&b| needs_escape(b))
        .map(|offset| at + tail + offset)
}

/// Whether one of eight bytes may be below 0x20, a `"` or a `\`. Never wrong when it says no;
/// after a byte that is, the bytes above it may be flagged wrongly.
fn may_need_escape(x: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte below `n` (a byte from 0x80 on never is).
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let quote = x ^ (ONES * u64::from(b'"'));
    let backslash = x ^ (ONES * u64::from(b'\\'));
    below(x, 0x20) | below(quote, 1) | below(backslash, 1) != 0
}

fn needs_escape(byte: u8) -> bool {
    (byte < 0x20) | (byte == b'"') | (byte == b'\\')
}

fn escape_byte(out: &mut Vec<u8>, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(byte >> 4)]);
            out.push(HEX[usize::from(byte & 0xf)]);
            return;
        }
    };
    out.push(b'\\');
    out.push(short);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::{LineReader, Sink};
    use std::io;

    /// Compares every record of the input with serde_json's writing of it.
    struct Compare {
        records: usize,
    }

    impl Sink for Compare {
        fn record(&mut self, record: &LineRecord<'_>) -> io::Result<()> {
            let mut ours = Vec::new();
            write_record(&mut ours, record);
            let theirs = serde_json::to_vec(record).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
            self.records += 1;
            Ok(())
        }
    }

    fn compare(input: &[u8]) -> usize {
        let mut sink = Compare { records: 0 };
        LineReader::new(true).read(input, &mut sink).unwrap();
        sink.records
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_byte = String::new();
        for c in (0u8..0x80).map(char::from).chain(['é', '\u{202e}', '😀']) {
            every_byte.push(c);
        }
        for text in [
            "",
            "plain",
            "a \"quoted\" back\\slash",
            "\u{1b}[31mred\u{7f}",
            "tab\there, nul\0, bell\u{7}, \u{8}\u{c}\r",
            "eight!!!\"",
            "\\\\\\\\\\\\\\\\\\",
            every_byte.as_str(),
        ] {
            let mut ours = Vec::new();
            string(&mut ours, text);
            assert_eq!(ours, serde_json::to_vec(text).unwrap(), "{text:?}");
        }
    }

    #[test]
    fn records_of_every_kind_of_line_are_what_serde_json_writes() {
        let lines: &[&[u8]] = &[
            b"Nov  1 00:00:00 mx1 postfix/smtp[1]: 0F6D5A586E: to=<joe@icloud.com>, relay=mx.icloud.com[192.0.2.10]:25, delay=1.2, dsn=5.7.1, status=bounced (host mx.icloud.com[192.0.2.10] said: 554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/127.0.0.2 (in reply to RCPT TO command))",
            b"Nov  1 00:00:00 mx1 postfix/smtp[1]: 1A2B3C4D5E: to=<bob@gmail.com>, relay=gmail-smtp-in.l.google.com[192.0.2.3]:25, dsn=5.7.26, status=bounced (host gmail-smtp-in.l.google.com[192.0.2.3] said: 550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's DMARC policy. - gsmtp (in reply to end of DATA command))",
            b"Nov  1 00:00:00 mx1 postfix/smtp[1]: 1A2B3C4D5F: to=<x@example.org>, relay=none, delay=30, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.9]:25: Connection timed out)",
            b"Nov  1 00:00:00 mx1 postfix/smtp[1]: 1A2B3C4D60: to=<y@outlook.com>, relay=outlook-com.olc.protection.outlook.com[192.0.2.4]:25, dsn=4.7.0, status=deferred (host x said: 454 4.7.0 TLS not available (in reply to STARTTLS command))",
            b"Nov  1 00:00:00 mx1 postfix/smtp[1]: 1A2B3C4D61: to=<z@yahoo.com>, relay=mta5.am0.yahoodns.net[192.0.2.5]:25, dsn=4.7.0, status=deferred (host mta5.am0.yahoodns.net[192.0.2.5] said: 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred; try again in 5 minutes (in reply to MAIL FROM command))",
            b"2026-11-23 10:00:01 1hKl2m-0003Ab-Cd ** bob@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 <bob@example.com>: \"quoted\" \\ user unknown",
            b"2026-11-23 10:00:01 1hKl2m-0003Ab-Cd => bob@example.com R=dnslookup T=remote_smtp H=mx.example.com [192.0.2.1] C=\"250 2.0.0 OK 1700000000 queued\"",
            b"Nov  1 00:00:00 mail sendmail[1234]: 2ANA0000000002: to=<dora@example.co.uk>, delay=00:00:01, mailer=esmtp, relay=mx.example.co.uk. [192.0.2.1], dsn=4.0.0, stat=Deferred: Connection refused by mx.example.co.uk.",
            b"Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
            b"Final-Recipient: rfc822; bob@example.com",
            b"Action: failed",
            b"Status: 5.2.2",
            b"Diagnostic-Code: smtp; 552-5.2.2 The recipient's inbox is out of storage space.",
            b"    Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm - gsmtp",
            b"",
            b"550-5.7.1 first line\t with a tab",
            b"550 5.7.1 last line \x1b[31m with an escape and \x00 a nul",
            b"451 4.7.1 Greylisted, please try again in 300 seconds",
            b"invalid \xff\xfe utf-8 and a \"quote\"",
            b"250 2.0.0 Ok: queued as 4F9D21A2B3",
        ];
        let input = lines.join(&b"\n"[..]);
        assert_eq!(compare(&input), lines.len());
    }

    #[test]
    fn records_of_the_fuzz_seeds_are_what_serde_json_writes() {
        let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/seeds/lines");
        let mut compared = 0;
        for entry in std::fs::read_dir(seeds).unwrap() {
            compared += compare(&std::fs::read(entry.unwrap().path()).unwrap());
        }
        assert!(compared >= 20, "{compared} records");
    }
}
