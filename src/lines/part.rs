//! What the reader knows of the MIME part of a message it is in, from the part headers and
//! boundaries it meets: a bounce piped whole is read line by line, and two kinds of part need
//! more than their lines.
//!
//! A quoted-printable part (RFC 2045, section 6.7) is how Gmail and Microsoft 365 write the words
//! of their bounces: a line longer than 76 characters is broken with a `=` at its end (a soft
//! break) and goes on in the next, and `=XX` stands for the byte of hex value XX (`=3D` for `=`,
//! `=E2=80=99` for `’`). A reply broken so would lose its end, and the words that tell its reason
//! with it. Inside one, broken lines are joined and decoded into one line; other lines are
//! decoded.
//!
//! An HTML part (`Content-Type: text/html`) tells again what the plain text before it told, as
//! Microsoft 365's bounces do: the reader marks its results so (`Repeats::echo`).
//!
//! The message a delivery report returns (its `message/rfc822` or `text/rfc822-headers` part,
//! RFC 6522) is the sender's own text: a footer's `405 River Oaks Parkway` or a quoted reply in
//! it is no result. Its lines are passed over up to the report's own boundary (read from its
//! `Content-Type: multipart/report; ...; boundary="..."`, folded or not), so that what follows,
//! another bounce of a mailbox, is read again.
//!
//! Bounces that are not MIME copy the message after a line of their own: Exim's `------ This
//! is a copy of the message, including all the headers. ------`, qmail's (and Yahoo's) `--- Below
//! this line is a copy of the message.`, Sendmail's `----- Original message follows -----`. What
//! follows is the sender's text too, passed over up to what starts another message: an mbox
//! `From ` line, a `Return-Path:` header after the copy's own header, or the report's boundary
//! when the copy is in a report's part.
//!
//! `Content-Transfer-Encoding: quoted-printable` and `Content-Type: text/html` start such parts;
//! a MIME boundary (`--` and a word) ends them, as do another encoding and another type. Outside,
//! lines pass as they are: the headers are looked for only in the lines the reader reads (a
//! header is shaped as a field), not in those it passes over.

use crate::lines::LINE_CAP;

/// Where the reader is in a message's parts.
#[derive(Debug, Default)]
pub struct Part {
    /// Inside a part whose transfer encoding is quoted-printable.
    quoted_printable: bool,
    /// Inside an HTML part.
    html: bool,
    /// The decoded start of a line broken by soft breaks so far.
    pending: Vec<u8>,
    /// The numbers of its first and last physical lines.
    first_line: u64,
    last_line: u64,
    /// Whether a physical line of it, or the whole, reached the cap.
    truncated: bool,
    /// A delivery report's header was read, its boundary not yet (it may be on a folded line).
    awaiting_boundary: bool,
    /// The boundary of the delivery report being read.
    report_boundary: Option<Vec<u8>>,
    /// Inside the message a delivery report returns.
    original: bool,
    /// Inside the message a bounce copies after a line of its own.
    copied: Copied,
}

/// Where the reader is in a message a bounce copies after a line of its own.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Copied {
    #[default]
    No,
    /// After the line, before the copy's header ended; whether a header line was read.
    Header(bool),
    Body,
}

/// The longest boundary kept (RFC 2046 allows 70 characters).
const BOUNDARY_CAP: usize = 200;

/// What a physical line is to the reader.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// A line as it is.
    Plain,
    /// A line broken by a soft break: it goes on in the next line.
    Broken,
    /// A line decoded, or the end of a broken line joined with its start.
    Decoded(Logical),
}

/// A line made of one or more physical lines, decoded.
#[derive(Debug, PartialEq, Eq)]
pub struct Logical {
    pub bytes: Vec<u8>,
    pub first_line: u64,
    pub truncated: bool,
}

impl Part {
    /// Whether the lines are those of a quoted-printable or HTML part: then each goes through
    /// `step`, for the boundary that ends it is to be seen. A broken line is pending only inside
    /// a quoted-printable part.
    #[inline]
    pub fn is_reading(&self) -> bool {
        self.quoted_printable
            || self.html
            || self.awaiting_boundary
            || self.original
            || self.copied != Copied::No
    }

    /// Inside the message a delivery report returns or a bounce copies: its lines hold no
    /// result.
    pub fn in_original(&self) -> bool {
        self.original || self.copied != Copied::No
    }

    /// Inside an HTML part.
    pub fn is_html(&self) -> bool {
        self.html
    }

    /// Notes a line read outside such parts, which may be a header that starts one.
    pub fn notice(&mut self, bytes: &[u8]) {
        self.header(bytes);
    }

    /// Follows a part header or boundary; whether `bytes` is one.
    fn header(&mut self, bytes: &[u8]) -> bool {
        if self.awaiting_boundary {
            self.await_boundary(bytes);
        }
        if self.copied != Copied::No {
            self.follow_copy(bytes);
        } else if is_copy_line(bytes) {
            self.copied = Copied::Header(false);
            return true;
        }
        match header_at(bytes) {
            Some(Header::Encoding(quoted)) => self.quoted_printable = quoted,
            Some(Header::Type(kind)) => {
                self.html = kind == Kind::Html;
                match kind {
                    Kind::Report if !self.original => {
                        self.awaiting_boundary = true;
                        self.report_boundary = None;
                        self.await_boundary(bytes);
                    }
                    Kind::Returned if self.report_boundary.is_some() => self.original = true,
                    _ => {}
                }
            }
            Some(Header::Boundary) => {
                self.quoted_printable = false;
                self.html = false;
                self.end_report_part(bytes);
            }
            None => return false,
        }
        true
    }

    /// Follows the message a bounce copies, line by line, to what starts another message.
    fn follow_copy(&mut self, bytes: &[u8]) {
        if is_mbox_from(bytes) {
            // Another message of a mailbox: nothing of this one's parts holds.
            *self = Part::default();
            return;
        }
        let blank = bytes.trim_ascii().is_empty();
        self.copied = match self.copied {
            Copied::Header(false) if blank => Copied::Header(false),
            Copied::Header(_) if blank => Copied::Body,
            Copied::Header(_) => Copied::Header(true),
            Copied::Body if value_of(bytes, b"return-path:").is_some() => Copied::No,
            other => other,
        };
    }

    /// Takes the report's boundary from the line, if it gives it; a blank line ends the header
    /// that should have.
    fn await_boundary(&mut self, bytes: &[u8]) {
        if let Some(boundary) = boundary_parameter(bytes) {
            self.report_boundary = Some(boundary.to_vec());
            self.awaiting_boundary = false;
        } else if bytes.trim_ascii().is_empty() {
            self.awaiting_boundary = false;
        }
    }

    /// At a boundary line: the report's own ends the returned message's part, and its closing
    /// form (`--boundary--`) the report.
    fn end_report_part(&mut self, bytes: &[u8]) {
        let Some(boundary) = &self.report_boundary else {
            return;
        };
        let line = bytes.trim_ascii_end();
        let Some(rest) = line
            .strip_prefix(b"--")
            .and_then(|rest| rest.strip_prefix(boundary.as_slice()))
        else {
            return;
        };
        match rest {
            b"" => {
                self.original = false;
                self.copied = Copied::No;
            }
            b"--" => {
                self.original = false;
                self.copied = Copied::No;
                self.report_boundary = None;
            }
            _ => {}
        }
    }

    /// Reads the physical line `number`. A broken line left open by a part header or boundary
    /// comes out of `take_pending` before this line is read (`ends_pending`).
    pub fn step(&mut self, bytes: &[u8], number: u64, truncated: bool) -> Step {
        if self.header(bytes) || !self.quoted_printable {
            return Step::Plain;
        }
        // Blanks at the end of an encoded line were added in transport (RFC 2045, 6.7 (3)).
        let bytes = bytes.trim_ascii_end();
        let (content, broken) = match bytes.strip_suffix(b"=") {
            Some(content) => (content, true),
            None => (bytes, false),
        };
        if self.pending.is_empty() && !broken {
            if memchr::memchr(b'=', bytes).is_none() {
                return Step::Plain;
            }
            let mut decoded = Vec::with_capacity(bytes.len());
            decode_into(bytes, &mut decoded);
            return Step::Decoded(Logical {
                bytes: decoded,
                first_line: number,
                truncated,
            });
        }
        if self.pending.is_empty() {
            self.first_line = number;
            self.truncated = false;
        }
        self.last_line = number;
        self.truncated |= truncated;
        decode_into(content, &mut self.pending);
        if self.pending.len() > LINE_CAP {
            self.pending.truncate(LINE_CAP);
            self.truncated = true;
        }
        if broken {
            return Step::Broken;
        }
        Step::Decoded(self.take())
    }

    /// Whether `bytes`, the next physical line, is a part header or boundary while a broken line
    /// is pending: then the pending line is complete, as the last physical line left it.
    pub fn ends_pending(&self, bytes: &[u8]) -> bool {
        !self.pending.is_empty() && header_at(bytes).is_some()
    }

    /// The pending broken line, complete as it is (the input ended, or the part), if any; and
    /// the number of its last physical line.
    pub fn take_pending(&mut self) -> Option<(Logical, u64)> {
        (!self.pending.is_empty()).then(|| (self.take(), self.last_line))
    }

    fn take(&mut self) -> Logical {
        Logical {
            bytes: std::mem::take(&mut self.pending),
            first_line: self.first_line,
            truncated: self.truncated,
        }
    }
}

/// A line that starts or ends a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Header {
    /// `Content-Transfer-Encoding:`, and whether it is quoted-printable.
    Encoding(bool),
    /// `Content-Type:`, and of which kind.
    Type(Kind),
    /// `--boundary` or `--boundary--`: a word without blanks.
    Boundary,
}

fn header_at(bytes: &[u8]) -> Option<Header> {
    const ENCODING: &[u8] = b"content-transfer-encoding:";
    const TYPE: &[u8] = b"content-type:";
    match bytes.first() {
        Some(b'C' | b'c') => {
            if let Some(value) = value_of(bytes, ENCODING) {
                return Some(Header::Encoding(
                    value.eq_ignore_ascii_case(b"quoted-printable"),
                ));
            }
            let value = value_of(bytes, TYPE)?;
            let is = |kind: &[u8]| {
                value.len() >= kind.len() && value[..kind.len()].eq_ignore_ascii_case(kind)
            };
            let kind = if is(b"text/html") {
                Kind::Html
            } else if is(b"multipart/report") {
                Kind::Report
            } else if is(b"message/rfc822") || is(b"text/rfc822-headers") || is(b"message/global") {
                // `message/global` and `message/global-headers` (RFC 6533) too.
                Kind::Returned
            } else {
                Kind::Other
            };
            Some(Header::Type(kind))
        }
        Some(b'-') => (bytes.len() > 2
            && bytes.starts_with(b"--")
            && !bytes.iter().any(|b| b.is_ascii_whitespace()))
        .then_some(Header::Boundary),
        _ => None,
    }
}

/// The lines after which a bounce that is not MIME copies the message, without their dashes,
/// lower case: Exim's (whole message, or its header only), qmail's, Sendmail's.
const COPY_LINES: [&[u8]; 6] = [
    b"this is a copy of the message, including all the headers.",
    b"this is a copy of the message's headers.",
    b"below this line is a copy of the message.",
    b"original message follows",
    b"unsent message follows",
    b"message header follows",
];

/// Whether the line is one after which a bounce copies the message: three dashes or more, one
/// of `COPY_LINES`, maybe dashes again, blanks around.
pub fn is_copy_line(bytes: &[u8]) -> bool {
    let line = bytes.trim_ascii();
    if !line.starts_with(b"---") {
        return false;
    }
    let dash = |b: &u8| *b == b'-';
    let start = line.iter().position(|b| !dash(b)).unwrap_or(line.len());
    let end = line
        .iter()
        .rposition(|b| !dash(b))
        .map_or(start, |at| at + 1);
    let words = line[start..end].trim_ascii();
    COPY_LINES
        .iter()
        .any(|copy| words.eq_ignore_ascii_case(copy))
}

/// An mbox line that starts a message: `From sender Mon Dec  7 10:00:00 2026`, a time in it.
fn is_mbox_from(bytes: &[u8]) -> bool {
    let Some(rest) = bytes.strip_prefix(b"From ") else {
        return false;
    };
    !rest.first().is_some_and(u8::is_ascii_whitespace)
        && rest.windows(5).any(|w| {
            w[0].is_ascii_digit()
                && w[1].is_ascii_digit()
                && w[2] == b':'
                && w[3].is_ascii_digit()
                && w[4].is_ascii_digit()
        })
}

/// The kinds of part the reader tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    /// A delivery report, `multipart/report` (RFC 6522).
    Report,
    /// The message a report returns, or its header.
    Returned,
    Other,
}

/// The value of a `boundary=` parameter on the line, unquoted: `boundary="B1"`, `boundary=B1;`.
fn boundary_parameter(bytes: &[u8]) -> Option<&[u8]> {
    const NAME: &[u8] = b"boundary=";
    let at = bytes
        .windows(NAME.len())
        .position(|window| window.eq_ignore_ascii_case(NAME))?;
    let value = &bytes[at + NAME.len()..];
    let value = match value.strip_prefix(b"\"") {
        Some(quoted) => &quoted[..memchr::memchr(b'"', quoted)?],
        None => {
            let end = value
                .iter()
                .position(|&b| b == b';' || b.is_ascii_whitespace())
                .unwrap_or(value.len());
            &value[..end]
        }
    };
    (!value.is_empty() && value.len() <= BOUNDARY_CAP).then_some(value)
}

/// The value of the header `name` (lower case, with its colon), blanks trimmed.
fn value_of<'b>(bytes: &'b [u8], name: &[u8]) -> Option<&'b [u8]> {
    let head = bytes.get(..name.len())?;
    head.eq_ignore_ascii_case(name)
        .then(|| bytes[name.len()..].trim_ascii())
}

/// Appends the decoded `bytes` to `out`: each `=XX` with two hex digits becomes its byte; any
/// other `=` stays, as RFC 2045 asks of a robust decoder.
fn decode_into(bytes: &[u8], out: &mut Vec<u8>) {
    let mut rest = bytes;
    while let Some(at) = memchr::memchr(b'=', rest) {
        out.extend_from_slice(&rest[..at]);
        let hex = rest.get(at + 1..at + 3).and_then(|pair| {
            let high = char::from(pair[0]).to_digit(16)?;
            let low = char::from(pair[1]).to_digit(16)?;
            Some((high * 16 + low) as u8)
        });
        match hex {
            Some(byte) => {
                out.push(byte);
                rest = &rest[at + 3..];
            }
            None => {
                out.push(b'=');
                rest = &rest[at + 1..];
            }
        }
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(lines: &[&str]) -> Vec<Step> {
        let mut qp = Part::default();
        lines
            .iter()
            .zip(1..)
            .map(|(line, number)| qp.step(line.as_bytes(), number, false))
            .collect()
    }

    /// Whether each line, followed in order, is inside a returned or copied message.
    fn inside_original(lines: &[&str]) -> (Vec<bool>, Part) {
        let mut part = Part::default();
        let inside = lines
            .iter()
            .map(|line| {
                part.header(line.as_bytes());
                part.in_original()
            })
            .collect();
        (inside, part)
    }

    fn decoded(text: &str, first_line: u64) -> Step {
        Step::Decoded(Logical {
            bytes: text.as_bytes().to_vec(),
            first_line,
            truncated: false,
        })
    }

    #[test]
    fn the_message_a_report_returns_lasts_to_the_reports_boundary() {
        let (inside, part) = inside_original(&[
            "Content-Type: multipart/report; report-type=delivery-status;",
            "\tboundary=\"4AB3C1D2E5.1733565605/mail.example.org\"",
            "",
            "--4AB3C1D2E5.1733565605/mail.example.org",
            "Content-Type: message/delivery-status",
            "--4AB3C1D2E5.1733565605/mail.example.org",
            "Content-Type: message/rfc822",
            "Content-Type: multipart/alternative; boundary=inner",
            "--inner",
            "405 River Oaks Parkway",
            "--inner--",
            "--4AB3C1D2E5.1733565605/mail.example.org--",
            "Content-Type: message/rfc822",
        ]);
        let expected = [
            false, false, false, false, false, false, true, true, true, true, true, false,
            // No report open: a message attached to a mail is read.
            false,
        ];
        assert_eq!(inside, expected);
        assert!(!part.is_reading());
        assert_eq!(
            boundary_parameter(b"multipart/report; boundary=B1; x=y"),
            Some(&b"B1"[..])
        );
        assert_eq!(boundary_parameter(b"BOUNDARY=\"a b\""), Some(&b"a b"[..]));
        assert_eq!(boundary_parameter(b"boundary=\"unclosed"), None);
    }

    #[test]
    fn the_message_a_plain_bounce_copies_lasts_to_another_message() {
        let (inside, part) = inside_original(&[
            "    550 5.1.1 User unknown",
            "------ This is a copy of the message, including all the headers. ------",
            "",
            "Return-path: <news@example.net>",
            "Subject: sale",
            "",
            "405 River Oaks Parkway",
            // Another message of a mailbox starts.
            "From MAILER-DAEMON Mon Dec  7 10:05:00 2026",
            "Remote host said: 550 5.1.1 User unknown",
            "   --- Below this line is a copy of the message.",
            "Return-Path: <news@example.net>",
            "",
            "From here on, a body line",
            // A header after the copy's body: the next message, as `cat` joins them.
            "Return-Path: <MAILER-DAEMON@example.com>",
        ]);
        let expected = [
            false, true, true, true, true, true, true, false, false, true, true, true, true, false,
        ];
        assert_eq!(inside, expected);
        assert!(!part.is_reading());
        for line in [
            "   ----- Original message follows -----",
            "----- Unsent message follows -----",
            "------ This is a copy of the message's headers. ------",
        ] {
            assert!(is_copy_line(line.as_bytes()), "{line}");
        }
        for line in [
            "   ----- Transcript of session follows -----",
            "-----Original Message-----",
            "--- Below this line is the original bounce.",
            "Below this line is a copy of the message.",
        ] {
            assert!(!is_copy_line(line.as_bytes()), "{line}");
        }
        assert!(!is_mbox_from(b"From here on, a body line"));
    }

    #[test]
    fn a_report_header_without_a_boundary_stops_waiting_at_the_blank_line() {
        let mut part = Part::default();
        part.header(b"Content-Type: multipart/report; report-type=delivery-status");
        assert!(part.is_reading());
        part.header(b"Subject: Undelivered Mail");
        assert!(part.is_reading());
        part.header(b"");
        assert!(!part.is_reading());
        part.header(b"Content-Type: message/rfc822");
        assert!(!part.in_original());
    }

    #[test]
    fn broken_lines_are_joined_and_decoded_inside_a_quoted_printable_part() {
        let steps = read(&[
            "Content-Type: text/plain; charset=\"us-ascii\"",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "Remote Server returned '550 5.7.1 Client host [192.0.2=",
            ".1] blocked using Spamhaus'",
            "Your message wasn=E2=80=99t delivered, see https://example.com/?a=3Db",
            "a lone = stays, and so does =ZZ",
            "a soft break followed by blanks = \t",
            "still breaks",
        ]);
        assert_eq!(
            steps[..4],
            [Step::Plain, Step::Plain, Step::Plain, Step::Broken]
        );
        assert_eq!(
            steps[4],
            decoded(
                "Remote Server returned '550 5.7.1 Client host [192.0.2.1] blocked using Spamhaus'",
                4
            )
        );
        assert_eq!(
            steps[5],
            decoded(
                "Your message wasn’t delivered, see https://example.com/?a=b",
                6
            )
        );
        assert_eq!(steps[6], decoded("a lone = stays, and so does =ZZ", 7));
        assert_eq!(steps[7], Step::Broken);
        assert_eq!(
            steps[8],
            decoded("a soft break followed by blanks still breaks", 8)
        );
    }

    #[test]
    fn lines_outside_a_quoted_printable_part_pass_as_they_are() {
        let steps = read(&[
            "Diagnostic-Code: smtp; 550 5.1.1 see https://example.com/?a=3Db",
            "a line that ends in =",
            "Content-Transfer-Encoding: 7bit",
            "Content-transfer-encoding: Quoted-Printable",
            "--_000_boundary_",
            "a line that ends in =",
            "Content-Transfer-Encoding:  quoted-printable ",
            "-- a signature line, not a boundary=",
            "Content-Transfer-Encoding: base64",
            "a line that ends in =",
        ]);
        let expected = [
            Step::Plain,
            Step::Plain,
            Step::Plain,
            Step::Plain,
            Step::Plain,
            Step::Plain,
            Step::Plain,
            Step::Broken,
            Step::Plain,
            Step::Plain,
        ];
        assert_eq!(steps, expected);
    }

    #[test]
    fn a_boundary_or_the_input_ending_completes_a_broken_line() {
        let mut qp = Part::default();
        assert_eq!(
            qp.step(b"Content-Transfer-Encoding: quoted-printable", 1, false),
            Step::Plain
        );
        assert_eq!(qp.step(b"550 5.1.1 no such=", 2, false), Step::Broken);
        assert_eq!(qp.step(b" user=", 3, false), Step::Broken);
        assert!(!qp.ends_pending(b"more words"));
        assert!(qp.ends_pending(b"--boundary--"));
        let (line, last) = qp.take_pending().expect("pending");
        assert_eq!(
            (line.bytes.as_slice(), line.first_line, last),
            (&b"550 5.1.1 no such user"[..], 2, 3)
        );
        assert_eq!(qp.take_pending(), None);
    }

    #[test]
    fn an_html_part_lasts_to_the_next_boundary_or_type() {
        let mut part = Part::default();
        part.notice(b"Content-Type: text/plain; charset=us-ascii");
        assert!(!part.is_reading());
        part.notice(b"Content-Type: TEXT/HTML; charset=\"us-ascii\"");
        assert!(part.is_html() && part.is_reading());
        assert_eq!(part.step(b"<p>bob@example.com<br>", 3, false), Step::Plain);
        assert!(part.is_html());
        part.step(b"--_000_boundary_", 4, false);
        assert!(!part.is_reading());
        part.notice(b"Content-Type: text/html");
        part.step(b"Content-Type: message/delivery-status", 6, false);
        assert!(!part.is_reading());
    }

    #[test]
    fn a_broken_line_keeps_at_most_the_line_cap() {
        let mut qp = Part::default();
        qp.step(b"Content-Transfer-Encoding: quoted-printable", 1, false);
        let piece = vec![b'x'; 1000];
        let mut broken = piece.clone();
        broken.push(b'=');
        for number in 2..100 {
            assert_eq!(qp.step(&broken, number, false), Step::Broken);
        }
        let Step::Decoded(line) = qp.step(&piece, 100, false) else {
            panic!("the line ends");
        };
        assert_eq!(
            (line.bytes.len(), line.first_line, line.truncated),
            (LINE_CAP, 2, true)
        );
    }
}
