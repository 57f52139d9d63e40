//! JSON Lines: one object per record, in the schema of `record.rs`; a summary is one object.

use crate::catalog::EntryRecord;
use crate::record::{LineRecord, LookupRecord};
use crate::summary::Summary;
use std::io::{self, Write};

/// Writes one record as a line of JSON.
pub fn write_lookup<W: Write>(out: &mut W, record: &LookupRecord) -> io::Result<()> {
    serde_json::to_writer(&mut *out, record)?;
    out.write_all(b"\n")
}

/// Writes one line record as a line of JSON.
pub fn write_line<W: Write>(out: &mut W, record: &LineRecord<'_>) -> io::Result<()> {
    let mut line = Vec::with_capacity(2048);
    append_line(&mut line, record);
    out.write_all(&line)
}

/// Appends one line record as a line of JSON: `write_line` for a stream that makes its output
/// in memory.
pub fn append_line(out: &mut Vec<u8>, record: &LineRecord<'_>) {
    super::json_line::write_record(out, record);
    out.push(b'\n');
}

/// Writes one table entry, as `list` and `search` print them, as a line of JSON.
pub fn write_entry<W: Write>(out: &mut W, entry: &EntryRecord) -> io::Result<()> {
    serde_json::to_writer(&mut *out, entry)?;
    out.write_all(b"\n")
}

/// Writes a stream's summary as one line of JSON.
pub fn write_summary<W: Write>(out: &mut W, summary: &Summary) -> io::Result<()> {
    serde_json::to_writer(&mut *out, summary)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::lookup;

    #[test]
    fn each_record_is_one_line_of_json_with_the_documented_fields() {
        let mut out = Vec::new();
        write_lookup(&mut out, &lookup("552 5.2.2 mailbox full")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.matches('\n').count(), 1);
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["input"], "552 5.2.2 mailbox full");
        assert_eq!(value["reply"]["code"], 552);
        assert_eq!(value["enhanced"]["code"], "5.2.2");
        assert_eq!(value["outcome"], "permanent");
        assert_eq!(value["bounce"], "soft");
        assert_eq!(value["reason"], "mailbox_full");
        assert_eq!(value["text"], "mailbox full");
        assert!(value["error"].is_null());
    }
}
