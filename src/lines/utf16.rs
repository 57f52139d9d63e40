//! UTF-16 input, turned into UTF-8 as it is read.
//!
//! Windows PowerShell writes UTF-16 with a byte-order mark whenever its output is redirected
//! (`Get-MessageTrackingLog > log.txt`, `Out-File`), so Exchange logs and bounces saved that way
//! reach a pipe as two bytes a character. The line reader tells them by their mark and reads them
//! through this decoder, which gives UTF-8 bytes in pieces of any size; a unit that is no
//! character (a lone surrogate, an odd last byte) becomes U+FFFD, as a lossy decoder would give.

use std::io::{self, ErrorKind, Read};

/// The byte-order marks of UTF-16, little- and big-endian.
pub const LITTLE_ENDIAN_MARK: [u8; 2] = [0xFF, 0xFE];
pub const BIG_ENDIAN_MARK: [u8; 2] = [0xFE, 0xFF];

/// How many encoded bytes one read of the input asks for.
const CHUNK: usize = 16 * 1024;
/// How many decoded bytes are made at a time: a chunk's worth at most (three UTF-8 bytes for two
/// encoded ones).
const DECODED: usize = CHUNK / 2 * 3;

/// Decodes UTF-16 read from an input into UTF-8. It holds a chunk of encoded bytes (or what was
/// read before the input was known to be UTF-16, up to the line buffer's size) and some 24 KiB
/// of UTF-8.
#[derive(Debug)]
pub struct Utf16Decoder {
    big_endian: bool,
    /// Encoded bytes read and not decoded yet: `raw[raw_start..raw_end]`.
    raw: Box<[u8]>,
    raw_start: usize,
    raw_end: usize,
    /// Decoded bytes not handed out yet: `out[out_start..]`.
    out: Vec<u8>,
    out_start: usize,
    eof: bool,
}

impl Utf16Decoder {
    /// A decoder for input whose mark said `big_endian` or not; `already` are the encoded bytes
    /// read after the mark (at most one chunk).
    pub fn new(big_endian: bool, already: &[u8]) -> Self {
        let mut raw = vec![0; CHUNK.max(already.len())].into_boxed_slice();
        raw[..already.len()].copy_from_slice(already);
        Utf16Decoder {
            big_endian,
            raw,
            raw_start: 0,
            raw_end: already.len(),
            out: Vec::with_capacity(DECODED + 4),
            out_start: 0,
            eof: false,
        }
    }

    /// Fills `dst` with the next decoded bytes from `input`; 0 only at the end of the input.
    pub fn read<R: Read>(&mut self, input: &mut R, dst: &mut [u8]) -> io::Result<usize> {
        if dst.is_empty() {
            return Ok(0);
        }
        loop {
            if self.out_start < self.out.len() {
                let n = dst.len().min(self.out.len() - self.out_start);
                dst[..n].copy_from_slice(&self.out[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            self.out.clear();
            self.out_start = 0;
            self.decode();
            if !self.out.is_empty() {
                continue;
            }
            if self.eof {
                return Ok(0);
            }
            self.raw.copy_within(self.raw_start..self.raw_end, 0);
            self.raw_end -= self.raw_start;
            self.raw_start = 0;
            match input.read(&mut self.raw[self.raw_end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.raw_end += n,
                Err(err) if err.kind() == ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
    }

    /// Decodes what the raw bytes hold into `out`, leaving a unit or pair cut off by the end of
    /// the bytes read unless the input has ended.
    fn decode(&mut self) {
        let unit_at = |raw: &[u8], at: usize| {
            let pair = [raw[at], raw[at + 1]];
            if self.big_endian {
                u16::from_be_bytes(pair)
            } else {
                u16::from_le_bytes(pair)
            }
        };
        let mut at = self.raw_start;
        let end = self.raw_end;
        let mut utf8 = [0; 4];
        while at + 2 <= end && self.out.len() < DECODED {
            let unit = unit_at(&self.raw, at);
            let (c, used) = match unit {
                0xD800..=0xDBFF if at + 4 <= end => {
                    let low = unit_at(&self.raw, at + 2);
                    if (0xDC00..=0xDFFF).contains(&low) {
                        let high = u32::from(unit - 0xD800) << 10;
                        let code = 0x10000 + high + u32::from(low - 0xDC00);
                        (
                            char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
                            4,
                        )
                    } else {
                        (char::REPLACEMENT_CHARACTER, 2)
                    }
                }
                // A high surrogate whose pair is not read yet.
                0xD800..=0xDBFF if !self.eof => break,
                _ => (
                    char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER),
                    2,
                ),
            };
            self.out
                .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
            at += used;
        }
        if self.eof && at + 1 == end {
            // An odd byte left at the end of the input.
            self.out.extend_from_slice(
                char::REPLACEMENT_CHARACTER
                    .encode_utf8(&mut utf8)
                    .as_bytes(),
            );
            at = end;
        }
        self.raw_start = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `encoded` (after its mark) handing out `piece` bytes at a time, reading the input
    /// `chunk` bytes at a time.
    fn decode(big_endian: bool, encoded: &[u8], piece: usize, chunk: usize) -> String {
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(self.1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut input = Trickle(encoded, chunk);
        let mut decoder = Utf16Decoder::new(big_endian, &[]);
        let mut out = Vec::new();
        let mut buf = vec![0; piece];
        loop {
            let n = decoder.read(&mut input, &mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8(out).expect("the decoder gives UTF-8")
    }

    fn encode(text: &str, big_endian: bool) -> Vec<u8> {
        text.encode_utf16()
            .flat_map(|unit| {
                if big_endian {
                    unit.to_be_bytes()
                } else {
                    unit.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn both_byte_orders_decode_in_pieces_of_any_size() {
        let line = "550 5.1.1 Empfänger unbekannt 😀\r\nnext line 日本\n";
        // Longer than what is decoded at a time, too.
        let long = line.repeat(2000);
        for big_endian in [false, true] {
            for (text, piece, chunk) in [
                (line, 1, 1),
                (line, 3, 5),
                (line, 7, 3),
                (&long, 4096, 4096),
                (&long, 65536, 100_000),
            ] {
                let encoded = encode(text, big_endian);
                assert_eq!(
                    decode(big_endian, &encoded, piece, chunk),
                    text,
                    "{big_endian} {piece} {chunk}"
                );
            }
        }
    }

    #[test]
    fn what_is_no_character_becomes_a_replacement_character() {
        // A lone low surrogate, a high surrogate followed by a letter, one at the very end, and
        // an odd last byte.
        let encoded = [0x00, 0xDC, b'a', 0, 0x00, 0xD8, b'b', 0, 0x00, 0xD8, b'c'];
        assert_eq!(
            decode(false, &encoded, 2, 1),
            "\u{FFFD}a\u{FFFD}b\u{FFFD}\u{FFFD}"
        );
    }
}
