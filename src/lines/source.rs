//! Where the input's bytes come from: the input as it is, or what a gzip stream at its start
//! decompresses to.
//!
//! Rotated mail logs are kept compressed (`mail.log.2.gz`), and `smtpcode < mail.log.2.gz` is as
//! natural as `zcat mail.log.2.gz | smtpcode`. A gzip stream is told by its first three bytes,
//! which no text starts with; its members are read one after the other, as `zcat` reads
//! concatenated files. Damaged compressed data is a read error, not lines of garbage.

use flate2::read::MultiGzDecoder;
use std::io::{self, Chain, Cursor, Read};

/// The bytes a gzip stream starts with: its magic number and the deflate method.
pub const GZIP_MAGIC: [u8; 3] = [0x1F, 0x8B, 0x08];

/// The input's bytes, decompressed when they are gzip's.
#[derive(Debug)]
pub enum Source<R> {
    Plain(R),
    /// The bytes read before the stream was known to be gzip, then the rest of the input.
    Gzip(Box<MultiGzDecoder<Chain<Cursor<Vec<u8>>, R>>>),
    /// Only while switching from one to the other.
    Switching,
}

impl<R: Read> Source<R> {
    /// Reads the rest of a plain input as gzip, `head` being its bytes already read.
    pub fn into_gzip(&mut self, head: &[u8]) {
        if let Source::Plain(input) = std::mem::replace(self, Source::Switching) {
            let stream = Cursor::new(head.to_vec()).chain(input);
            *self = Source::Gzip(Box::new(MultiGzDecoder::new(stream)));
        }
    }

    pub fn is_gzip(&self) -> bool {
        matches!(self, Source::Gzip(_))
    }
}

impl<R: Read> Read for Source<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Plain(input) => input.read(buf),
            Source::Gzip(decoder) => decoder.read(buf).map_err(|err| {
                io::Error::new(err.kind(), format!("decompressing gzip input: {err}"))
            }),
            Source::Switching => Ok(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use flate2::Compression;
    use std::io::Write;

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    }

    fn read_all<R: Read>(source: &mut Source<R>) -> io::Result<Vec<u8>> {
        let mut out = Vec::new();
        source.read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn concatenated_members_read_as_one_stream_after_the_bytes_already_read() {
        let mut compressed = gzip(b"first line\n");
        compressed.extend(gzip(b"second line\n"));
        assert!(compressed.starts_with(&GZIP_MAGIC));
        let (head, rest) = compressed.split_at(5);
        let mut source = Source::Plain(rest);
        source.into_gzip(head);
        assert!(source.is_gzip());
        assert_eq!(read_all(&mut source).unwrap(), b"first line\nsecond line\n");
    }

    #[test]
    fn damaged_data_is_an_error_that_says_so() {
        let mut compressed = gzip(&b"550 5.1.1 unknown\n".repeat(100));
        let middle = compressed.len() / 2;
        compressed.truncate(middle);
        let mut source = Source::Plain(&b""[..]);
        source.into_gzip(&compressed);
        let err = read_all(&mut source).unwrap_err();
        assert!(
            err.to_string().starts_with("decompressing gzip input"),
            "{err}"
        );
    }
}
