//! The whole line-to-record path: any bytes give exactly one record per line, numbered in order,
//! and every record prints as a row and as JSON that parses back, byte for byte what serde_json
//! writes of it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smtpcode::lines::{LineReader, Sink};
use smtpcode::print::{json, row};
use smtpcode::LineRecord;
use std::io;

struct Check {
    next: u64,
    out: Vec<u8>,
}

impl Sink for Check {
    fn record(&mut self, record: &LineRecord<'_>) -> io::Result<()> {
        assert_eq!(
            record.line, self.next,
            "records come one per line, in order"
        );
        assert!(record.first_line <= record.line);
        self.next += 1;
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

fuzz_target!(|data: &[u8]| {
    let mut sink = Check {
        next: 1,
        out: Vec::new(),
    };
    let totals = LineReader::new(true)
        .read(data, &mut sink)
        .expect("reading a slice cannot fail");
    let expected = count_lines(data);
    assert_eq!(totals.lines, expected);
    assert_eq!(sink.next - 1, expected, "every line has its record");
});
