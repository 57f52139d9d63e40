//! Reading input as bounded byte lines: whatever the bytes are, however long the lines.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (old Mac files, some Windows tools). A line longer than
//! [`LINE_CAP`] keeps its first `LINE_CAP` bytes and is marked truncated; the rest is read and
//! dropped, so memory stays at one buffer whatever the input. Bytes are not decoded here; a UTF-8
//! byte-order mark that starts the input (Windows editors write one) is skipped, an encoding's mark
//! rather than text. Input that starts with UTF-16's mark (what Windows PowerShell writes) is read
//! as UTF-8 through [`Utf16Decoder`]; input that starts as gzip is decompressed first
//! ([`Source`]).

use super::source::{Source, GZIP_MAGIC};
use super::utf16::{Utf16Decoder, BIG_ENDIAN_MARK, LITTLE_ENDIAN_MARK};
use memchr::{memchr2, memrchr2};
use std::io::{self, ErrorKind, Read};

/// The most one line keeps, in bytes. Real log lines and replies are far shorter; longer ones are
/// binary garbage or runaway output, and their start is what tells what they are.
pub const LINE_CAP: usize = 64 * 1024;

/// How much input is read at a time: several lines' caps, so that a read call and the search
/// for markers over the lines it brought each cover many lines.
const BUFFER: usize = 16 * LINE_CAP;

/// One line of input, borrowed from the reader's buffer until the next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawLine<'a> {
    /// 1-based line number.
    pub number: u64,
    /// Where the line starts in the input, in bytes from its first byte.
    pub offset: u64,
    /// The line without its ending, at most `LINE_CAP` bytes.
    pub bytes: &'a [u8],
    /// True when the line was longer than `LINE_CAP` and lost its tail.
    pub truncated: bool,
}

/// Splits a byte stream into lines with one fixed buffer.
#[derive(Debug)]
pub struct LineInput<R> {
    inner: Source<R>,
    buf: Box<[u8]>,
    /// Where `buf[0]` is in the input, in bytes.
    base: u64,
    start: usize,
    end: usize,
    /// Position just past the last line ending in `buf[..end]`, if any.
    last_ending: Option<usize>,
    eof: bool,
    /// The previous line ended with `\r`: a `\n` right after it belongs to that ending.
    skip_lf: bool,
    /// The previous line was truncated: drop bytes up to the next line ending.
    skipping: bool,
    /// Whether the input's start was looked at for a byte-order mark or gzip's magic.
    start_checked: bool,
    /// The input is UTF-16, read through this.
    utf16: Option<Box<Utf16Decoder>>,
    number: u64,
}

/// UTF-8's byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

impl<R: Read> LineInput<R> {
    pub fn new(inner: R) -> Self {
        LineInput {
            inner: Source::Plain(inner),
            buf: vec![0; BUFFER].into_boxed_slice(),
            base: 0,
            start: 0,
            end: 0,
            last_ending: None,
            eof: false,
            skip_lf: false,
            skipping: false,
            start_checked: false,
            utf16: None,
            number: 0,
        }
    }

    /// A reader whose first line is numbered `lines + 1`: the next input of several read as one.
    pub fn numbered_after(inner: R, lines: u64) -> Self {
        LineInput {
            number: lines,
            ..LineInput::new(inner)
        }
    }

    /// The number of lines returned so far.
    pub fn lines_read(&self) -> u64 {
        self.number
    }

    /// The complete lines the buffer holds that were not returned yet, endings included, and
    /// where they start in the input; empty when there is none. A caller can search many lines
    /// in one call this way, and match what it finds to lines by their `offset`.
    pub fn pending(&self) -> (u64, &[u8]) {
        let at = self.base + self.start as u64;
        match self.last_ending {
            Some(end) if end > self.start && !self.skipping => (at, &self.buf[self.start..end]),
            _ => (at, &[]),
        }
    }

    /// True when the buffer holds no complete line, so the next call will wait on the input.
    /// Callers flush their output then, so that a live pipe sees every record without delay.
    pub fn would_read(&self) -> bool {
        !self.eof && self.last_ending.is_none_or(|at| at <= self.start)
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<RawLine<'_>>> {
        if self.skipping {
            self.skip_rest_of_line()?;
        }
        if self.skip_lf {
            if self.start == self.end && !self.eof {
                self.fill()?;
            }
            if self.start < self.end && self.buf[self.start] == b'\n' {
                self.start += 1;
            }
            self.skip_lf = false;
        }
        loop {
            // A line's ending is looked for within its cap and one byte more.
            let reach = self.end.min(self.start + LINE_CAP + 1);
            if let Some(at) = memchr2(b'\n', b'\r', &self.buf[self.start..reach]) {
                let line_start = self.start;
                let ending = line_start + at;
                self.start = ending + 1;
                if self.buf[ending] == b'\r' {
                    self.skip_lf = true;
                }
                return Ok(Some(self.line(line_start, ending, false)));
            }
            if reach - self.start > LINE_CAP {
                // No ending within the cap: keep the first LINE_CAP bytes, drop the rest later.
                let line_start = self.start;
                self.start += LINE_CAP;
                self.skipping = true;
                return Ok(Some(self.line(line_start, line_start + LINE_CAP, true)));
            }
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let line_start = self.start;
                self.start = self.end;
                return Ok(Some(self.line(line_start, self.end, false)));
            }
            self.fill()?;
        }
    }

    /// Skips a byte-order mark at the start of the input, once the bytes read so far tell: a
    /// mark's first bytes hold no line ending, so no line is taken before then. After UTF-16's
    /// mark, the bytes read are handed to a decoder, which reads the rest of the input too; a
    /// gzip stream's, to a decompressor, whose output is looked at for a mark in turn.
    fn look_at_start(&mut self) -> io::Result<()> {
        let head = &self.buf[self.start..self.end];
        let may_be_gzip = !self.inner.is_gzip();
        let marks: [&[u8]; 4] = [BOM, &LITTLE_ENDIAN_MARK, &BIG_ENDIAN_MARK, &GZIP_MAGIC];
        if !self.eof
            && marks[..if may_be_gzip { 4 } else { 3 }]
                .iter()
                .any(|mark| head.len() < mark.len() && mark.starts_with(head))
        {
            return Ok(());
        }
        if may_be_gzip && head.starts_with(&GZIP_MAGIC) {
            self.inner.into_gzip(head);
            self.read_anew()?;
            return self.look_at_start();
        }
        self.start_checked = true;
        if head.starts_with(BOM) {
            self.start += BOM.len();
        } else if let Some(big_endian) = [LITTLE_ENDIAN_MARK, BIG_ENDIAN_MARK]
            .iter()
            .position(|mark| head.starts_with(mark))
        {
            let decoder = Utf16Decoder::new(big_endian == 1, &head[2..]);
            self.utf16 = Some(Box::new(decoder));
            self.read_anew()?;
        }
        Ok(())
    }

    /// Drops the bytes read so far, which a decoder now holds, and reads through it; the decoder
    /// tells the end of the input now.
    fn read_anew(&mut self) -> io::Result<()> {
        self.end = self.start;
        self.last_ending = None;
        self.eof = false;
        self.read_more()
    }

    fn line(&mut self, start: usize, end: usize, truncated: bool) -> RawLine<'_> {
        self.number += 1;
        RawLine {
            number: self.number,
            offset: self.base + start as u64,
            bytes: &self.buf[start..end],
            truncated,
        }
    }

    /// Moves the unread bytes to the front and reads more after them.
    fn fill(&mut self) -> io::Result<()> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.base += self.start as u64;
            self.end -= self.start;
            self.last_ending = self.last_ending.and_then(|at| at.checked_sub(self.start));
            self.start = 0;
        }
        self.read_more()?;
        if !self.start_checked {
            self.look_at_start()?;
        }
        Ok(())
    }

    /// Reads more input after `buf[..end]`, decoded if it is UTF-16.
    fn read_more(&mut self) -> io::Result<()> {
        let space = &mut self.buf[self.end..];
        let read = loop {
            let read = match &mut self.utf16 {
                Some(decoder) => decoder.read(&mut self.inner, space),
                None => self.inner.read(space),
            };
            match read {
                Ok(n) => break n,
                Err(err) if err.kind() == ErrorKind::Interrupted => continue,
                Err(err) => return Err(err),
            }
        };
        if read == 0 {
            self.eof = true;
        } else {
            let fresh = self.end;
            self.end += read;
            if let Some(at) = memrchr2(b'\n', b'\r', &self.buf[fresh..self.end]) {
                self.last_ending = Some(fresh + at + 1);
            }
        }
        Ok(())
    }

    /// Drops the tail of a truncated line, up to and including its ending.
    fn skip_rest_of_line(&mut self) -> io::Result<()> {
        loop {
            if let Some(at) = memchr2(b'\n', b'\r', &self.buf[self.start..self.end]) {
                let ending = self.start + at;
                self.start = ending + 1;
                self.skip_lf = self.buf[ending] == b'\r';
                self.skipping = false;
                return Ok(());
            }
            self.start = self.end;
            if self.eof {
                self.skipping = false;
                return Ok(());
            }
            self.fill()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Input given at most `chunk` bytes per `read` call, to cross buffer edges.
    struct Trickle<'a> {
        rest: &'a [u8],
        chunk: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.rest.len()).min(self.chunk);
            buf[..n].copy_from_slice(&self.rest[..n]);
            self.rest = &self.rest[n..];
            Ok(n)
        }
    }

    /// Reads every line, a few bytes per `read` call.
    fn lines(input: &[u8]) -> Vec<(u64, Vec<u8>, bool)> {
        lines_in_chunks(input, 7)
    }

    /// Reads every line, at most `chunk` bytes per `read` call.
    fn lines_in_chunks(input: &[u8], chunk: usize) -> Vec<(u64, Vec<u8>, bool)> {
        let mut reader = LineInput::new(Trickle { rest: input, chunk });
        let mut out = Vec::new();
        while let Some(line) = reader.next_line().unwrap() {
            out.push((line.number, line.bytes.to_vec(), line.truncated));
        }
        out
    }

    fn texts(input: &[u8]) -> Vec<String> {
        lines(input)
            .into_iter()
            .map(|(_, bytes, _)| String::from_utf8_lossy(&bytes).into_owned())
            .collect()
    }

    #[test]
    fn every_kind_of_line_ending_ends_a_line() {
        assert_eq!(texts(b"a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(texts(b"a\r\n\r\nb\n"), ["a", "", "b"]);
        assert_eq!(texts(b"\n\n\n"), ["", "", ""]);
        assert_eq!(texts(b"\r\r"), ["", ""]);
        assert!(texts(b"").is_empty());
    }

    #[test]
    fn a_byte_order_mark_starting_the_input_is_skipped_and_only_there() {
        let bytes = |input: &[u8]| -> Vec<Vec<u8>> {
            lines(input)
                .into_iter()
                .map(|(_, bytes, _)| bytes)
                .collect()
        };
        assert_eq!(
            bytes(b"\xEF\xBB\xBF550 x\r\n\xEF\xBB\xBFy"),
            [b"550 x".to_vec(), b"\xEF\xBB\xBFy".to_vec()]
        );
        assert!(bytes(b"\xEF\xBB\xBF").is_empty());
        assert_eq!(bytes(b"\xEF\xBBz\n"), [b"\xEF\xBBz".to_vec()]);
        assert_eq!(bytes(b"\xEF"), [b"\xEF".to_vec()]);
        // Read a byte at a time, the mark is still told whole, and lines still start after it.
        let mut reader = LineInput::new(Trickle {
            rest: b"\xEF\xBB\xBFab\ncd",
            chunk: 1,
        });
        let first = reader.next_line().unwrap().unwrap();
        assert_eq!((first.bytes, first.offset), (&b"ab"[..], 3));
        assert_eq!(reader.next_line().unwrap().unwrap().bytes, b"cd");
    }

    #[test]
    fn input_with_a_utf16_mark_is_read_as_utf8_lines() {
        let text = "550 5.1.1 Empfänger unbekannt\r\n\r\nbob@example.com 😀\rlast";
        let want = [
            "550 5.1.1 Empfänger unbekannt",
            "",
            "bob@example.com 😀",
            "last",
        ];
        for (mark, big_endian) in [(LITTLE_ENDIAN_MARK, false), (BIG_ENDIAN_MARK, true)] {
            let mut input = mark.to_vec();
            for unit in text.encode_utf16() {
                input.extend(if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                });
            }
            assert_eq!(texts(&input), want, "{big_endian}");
            // All of it read at once, the input's end known before the mark is.
            let mut reader = LineInput::new(&input[..]);
            let mut got = Vec::new();
            while let Some(line) = reader.next_line().unwrap() {
                got.push(String::from_utf8(line.bytes.to_vec()).unwrap());
            }
            assert_eq!(got, want);
        }
        // Only the start of the input is looked at, and a mark alone is no line.
        assert!(texts(&LITTLE_ENDIAN_MARK).is_empty());
        assert_eq!(lines(b"a\n\xFF\xFEb\n")[1].1, b"\xFF\xFEb");
    }

    #[test]
    fn gzip_input_is_read_decompressed_whatever_it_holds() {
        use flate2::{write::GzEncoder, Compression};
        use std::io::Write;
        let gzip = |bytes: &[u8]| {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
            encoder.write_all(bytes).unwrap();
            encoder.finish().unwrap()
        };
        let mut log = b"\xEF\xBB\xBFfirst\r\n".to_vec();
        log.extend(b"550 5.1.1 unknown\n".repeat(10_000));
        log.extend(b"last");
        let got = lines(&gzip(&log));
        assert_eq!(got.len(), 10_002);
        // The decompressed input's own byte-order mark is skipped too.
        assert_eq!(got[0].1, b"first");
        assert_eq!(got[10_001].1, b"last");
        let mut utf16 = LITTLE_ENDIAN_MARK.to_vec();
        utf16.extend(
            "bob@example.com\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(texts(&gzip(&utf16)), ["bob@example.com"]);
        assert!(lines(&gzip(b"")).is_empty());
        // Only the start of the input is looked at.
        let mut later = b"a\n".to_vec();
        later.extend(gzip(b"b\n"));
        assert_eq!(lines(&later)[1].1[..3], GZIP_MAGIC);
    }

    #[test]
    fn a_utf16_line_longer_than_the_cap_keeps_its_start() {
        let mut input = LITTLE_ENDIAN_MARK.to_vec();
        for unit in "ä"
            .repeat(LINE_CAP)
            .encode_utf16()
            .chain("\nnext".encode_utf16())
        {
            input.extend(unit.to_le_bytes());
        }
        let got = lines(&input);
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].1.len(), got[0].2), (LINE_CAP, true));
        assert_eq!((got[1].1.as_slice(), got[1].2), (&b"next"[..], false));
    }

    #[test]
    fn lines_are_numbered_from_one() {
        let numbers: Vec<u64> = lines(b"x\ny\nz").iter().map(|l| l.0).collect();
        assert_eq!(numbers, [1, 2, 3]);
    }

    #[test]
    fn bytes_pass_through_undecoded() {
        assert_eq!(lines(b"\xff\x00\xfe\n")[0].1, b"\xff\x00\xfe");
    }

    #[test]
    fn a_line_longer_than_the_cap_keeps_its_start_and_the_next_line_survives() {
        let mut input = vec![b'x'; LINE_CAP * 3 + 5];
        input.extend_from_slice(b"\r\nnext\n");
        let got = lines(&input);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1.len(), LINE_CAP);
        assert!(got[0].2);
        assert_eq!(
            (got[1].0, got[1].1.as_slice(), got[1].2),
            (2, &b"next"[..], false)
        );
    }

    #[test]
    fn the_lines_after_a_long_one_survive_whatever_the_reads_bring() {
        // A tail longer than the cap, and the lines after it, all in one read or in many.
        let mut input = vec![b'x'; LINE_CAP * 3 + 5];
        input.extend_from_slice(b"\nnext\r\nlast");
        for chunk in [7, 4096, LINE_CAP, input.len()] {
            let got = lines_in_chunks(&input, chunk);
            let texts: Vec<_> = got
                .iter()
                .map(|(_, bytes, cut)| (bytes.len(), *cut))
                .collect();
            assert_eq!(texts, [(LINE_CAP, true), (4, false), (4, false)], "{chunk}");
        }
    }

    #[test]
    fn a_huge_last_line_without_an_ending_is_one_line() {
        let got = lines(&vec![b'y'; LINE_CAP + 1]);
        assert_eq!(got.len(), 1);
        assert!(got[0].2);
    }

    #[test]
    fn a_line_of_exactly_the_cap_is_whole() {
        let mut input = vec![b'z'; LINE_CAP];
        input.extend_from_slice(b"\r\n");
        let got = lines(&input);
        assert_eq!((got.len(), got[0].1.len(), got[0].2), (1, LINE_CAP, false));
    }

    #[test]
    fn offsets_and_pending_lines_point_into_the_input() {
        let mut input = b"first\r\nsecond\rthird\n\n".to_vec();
        input.extend(vec![b'w'; LINE_CAP + 10]);
        input.extend_from_slice(b"\nafter the long one\nlast");
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                // Odd sizes, so that lines and endings straddle reads.
                self.1 = self.1 % 5 + 3;
                let n = buf.len().min(self.0.len()).min(self.1 * 1000 + self.1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut reader = LineInput::new(Trickle(&input, 0));
        let mut pending_seen = 0;
        let mut count = 0;
        loop {
            let (at, pending) = reader.pending();
            let at = usize::try_from(at).unwrap();
            assert_eq!(pending, &input[at..at + pending.len()]);
            if !pending.is_empty() {
                assert!(matches!(pending.last(), Some(b'\n' | b'\r')));
                pending_seen += 1;
            }
            let Some(line) = reader.next_line().unwrap() else {
                break;
            };
            count += 1;
            let offset = usize::try_from(line.offset).unwrap();
            assert_eq!(
                line.bytes,
                &input[offset..offset + line.bytes.len()],
                "line {count}"
            );
        }
        assert_eq!(count, 7);
        assert!(pending_seen > 0);
    }

    #[test]
    fn the_reader_says_when_it_has_no_complete_line_left() {
        let mut reader = LineInput::new(&b"one\ntwo\npart"[..]);
        assert!(reader.would_read());
        reader.next_line().unwrap();
        assert!(!reader.would_read());
        reader.next_line().unwrap();
        assert!(reader.would_read(), "only a partial line is left");
    }
}
