//! The whole line-to-record path: any bytes give a record for every line, numbered in order (a
//! line with a result for several recipients gives one for each, one after the other), and
//! every record prints as a row and as JSON that parses back, byte for byte what serde_json
//! writes of it. Input that starts as gzip or with UTF-16's mark is counted as the reader reads
//! it: decompressed, decoded.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpcode::lines::{LineReader, Sink};
use smtpcode::print::{json, row};
use smtpcode::LineRecord;
use std::io::{self, Read};

struct Check {
    /// The line the next record is for, or the last one's again when that one had a result.
    next: u64,
    last_had_result: bool,
    out: Vec<u8>,
}

impl Sink for Check {
    fn record(&mut self, record: &LineRecord<'_>) -> io::Result<()> {
        let again = self.last_had_result && record.result && record.line + 1 == self.next;
        assert!(
            again || record.line == self.next,
            "records come line by line, in order"
        );
        assert!(record.first_line <= record.line);
        if !again {
            self.next += 1;
        }
        self.last_had_result = record.result;
        self.out.clear();
        row::write_row(&mut self.out, record, true)?;
        self.out.clear();
        json::write_line(&mut self.out, record)?;
        let mut serde = serde_json::to_vec(record).expect("a record serializes");
        serde.push(b'\n');
        assert_eq!(self.out, serde, "the hand-written JSON is serde_json's");
        let value: serde_json::Value =
            serde_json::from_slice(&self.out).expect("each record is valid JSON");
        assert_eq!(value["line"].as_u64(), Some(record.line));
        Ok(())
    }
}

/// Lines end at `\n`, `\r\n` or a lone `\r`; a last line without an ending counts too.
fn count_lines(data: &[u8]) -> u64 {
    let mut lines = 0;
    let mut i = 0;
    let mut open = false;
    while i < data.len() {
        match data[i] {
            b'\n' => {
                lines += 1;
                open = false;
            }
            b'\r' => {
                lines += 1;
                open = false;
                if data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => open = true,
        }
        i += 1;
    }
    lines + u64::from(open)
}

/// The bytes the reader splits into lines: gzip decompressed (`None` when it is damaged), then
/// UTF-16 after its mark decoded, a unit that is no character giving U+FFFD.
fn text_of(data: &[u8]) -> Option<Vec<u8>> {
    if data.starts_with(&[0x1F, 0x8B, 0x08]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(data)
            .read_to_end(&mut out)
            .ok()?;
        return Some(decoded(&out));
    }
    Some(decoded(data))
}

fn decoded(data: &[u8]) -> Vec<u8> {
    let big_endian = match data {
        [0xFF, 0xFE, ..] => false,
        [0xFE, 0xFF, ..] => true,
        _ => return data.to_vec(),
    };
    let units = data[2..].chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if data.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text.into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let mut sink = Check {
        next: 1,
        last_had_result: false,
        out: Vec::new(),
    };
    let read = LineReader::new(true).read(data, &mut sink);
    // Only damaged compressed data fails to read, after the records of what came before it.
    let Some(text) = text_of(data) else {
        assert!(read.is_err(), "damaged gzip is a read error");
        return;
    };
    let totals = read.expect("reading a slice fails only on damaged gzip");
    let expected = count_lines(&text);
    assert_eq!(totals.lines, expected);
    assert_eq!(sink.next - 1, expected, "every line has its record");
});
