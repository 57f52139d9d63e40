//! The line reader: mail logs, bounce text and raw replies in, one record per line out.
//!
//! Each line goes to the recognizer its shape calls for (one file per format). Results that span
//! lines, multi-line replies (`550-5.7.26 ...`) and DSN field groups, are gathered and reported on
//! their last line; the lines before it get records without a result, so that N lines always give
//! N records, in order. Most lines of a log carry no result: a byte-level check and one
//! Aho-Corasick pass over a few markers let them through without decoding or allocating.

#[macro_use]
mod needle;
pub mod amavis;
pub mod courier;
mod cp1252;
pub mod csv;
pub mod delivery;
pub mod dsn;
pub mod envelope;
pub mod esp_event;
pub mod exchange;
pub mod exim;
pub mod input;
pub mod listed;
pub mod nearby;
pub mod part;
pub mod postfix;
pub mod powermta;
pub mod prefix;
pub mod protocol_log;
pub mod qmail;
pub mod qmail_log;
pub mod quoted;
pub mod repeat;
pub mod said;
pub mod sendmail;
pub mod source;
pub mod tracking_log;
pub mod utf16;

pub use delivery::{Delivery, Format, Record};
pub use input::{LineInput, RawLine, LINE_CAP};

use crate::classify::{Classification, Classifier};
use crate::code::{EnhancedCode, ReplyCode};
use crate::phrase::Workload;
use crate::record::LineRecord;
use crate::response;
use crate::trim::trim;
use aho_corasick::{AhoCorasick, MatchKind};
use delivery::{address_at, domain_of};
use memchr::memchr2;
use part::{Logical, Part, Step};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, Read};

/// Where records go.
pub trait Sink {
    fn record(&mut self, record: &LineRecord<'_>) -> io::Result<()>;

    /// Called before the reader waits for more input: the moment to flush, so that a live pipe
    /// (`tail -f log | smtpcode`) shows each record as its line arrives.
    fn idle(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reading or writing failed; which one decides what to tell the user.
#[derive(Debug)]
pub enum StreamError {
    Read(io::Error),
    Write(io::Error),
}

/// Says which; the error itself is the source, so that a chain of causes names it once.
impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StreamError::Read(_) => "reading input",
            StreamError::Write(_) => "writing output",
        })
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Read(err) | StreamError::Write(err) => Some(err),
        }
    }
}

/// What a stream amounted to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub lines: u64,
    /// Records that carry an SMTP result.
    pub results: u64,
}

/// Substrings that mark a line worth reading, beyond what its first byte tells, and whether a
/// space must come before them. The space is checked after the search rather than searched for:
/// a search keys on a pattern's first bytes, and a space starts half the words of a line. For the
/// same reason a marker may be the rare end of the words its recognizer looks for (`k to me: `
/// of Postfix's `refused to talk to me: `, `LED=` of Exchange's `{LED=`): `ref` and `{LE` cost
/// the search of every line more than they save.
const MARKERS: [(&str, Marker, bool); 29] = [
    ("status=", Marker::Postfix, false),
    ("reject: ", Marker::Postfix, false),
    ("stat=", Marker::Sendmail, false),
    ("reject=", Marker::Sendmail, false),
    ("reply=", Marker::Sendmail, false),
    ("** ", Marker::Exim, true),
    ("== ", Marker::Exim, true),
    ("=> ", Marker::Exim, true),
    ("-> ", Marker::Exim, true),
    ("*> ", Marker::Exim, true),
    ("returned '", Marker::Exchange, false),
    ("Reported error:", Marker::Exchange, false),
    ("LED=", Marker::Exchange, false),
    ("said:", Marker::Said, true),
    ("k to me: ", Marker::Said, false),
    ("rejected ", Marker::EximRejection, true),
    // An enhanced code after a reply code, `550 5.`, or Python's `(550, b'5.`, quoted by another
    // program (`quoted`), or after .NET's `The server response was:`: the codes and the words
    // before them are checked after the search.
    (" 2.", Marker::Quoted, false),
    (" 4.", Marker::Quoted, false),
    (" 5.", Marker::Quoted, false),
    (", b'", Marker::Quoted, false),
    (", b\"", Marker::Quoted, false),
    // The ends of mail libraries' leads to a reply they quote whole, its code bare
    // (`quoted::LIBRARY_LEADS`): Nodemailer's and PHPMailer's `command failed: 550`, Nodemailer's
    // `were rejected: 550`, Ruby's `SMTPFatalError: 550`, JavaMail's `FailedException: 550`.
    // Each pattern added to the search costs every line some of its speed, differently by the
    // bytes it starts with: these cost under 1 % of a mixed log's instructions together, where
    // `login: 5`, `Busy: 4` or `got code ` cost 2 to 6 % each. Leads without a marker of their
    // own are read when another marks the line (an enhanced code after the reply's code).
    ("failed: 4", Marker::Quoted, false),
    ("failed: 5", Marker::Quoted, false),
    ("rejected: 5", Marker::Quoted, false),
    ("Error: 5", Marker::Quoted, false),
    ("FailedException: ", Marker::Quoted, false),
    // Sendmail's refusal of a recipient by its address: `<bob@example.com>... User unknown`. Last
    // in the list: where a pattern stands changes how the search groups them, and third among the
    // Sendmail patterns this one cost 2.6 % of a log without results, here 0.2 %.
    (">... ", Marker::Sendmail, false),
    // PHPMailer's `The following recipients failed: bob@example.com: <reply text>`, no codes.
    (quoted::PHPMAILER_MARKER, Marker::Quoted, false),
    // Courier's delivery lines: `id=...,from=<ann@example.org>,addr=<bob@example.com>...`. Last,
    // as the Sendmail marker above, to cost nothing.
    (courier::MARKER, Marker::Courier, false),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Postfix,
    Sendmail,
    Exim,
    Exchange,
    Said,
    /// Exim's log of a refusal by this server.
    EximRejection,
    /// A reply quoted in another program's line.
    Quoted,
    /// Courier's delivery lines.
    Courier,
}

/// A set of markers and the bits below, one bit each.
type Mask = u16;

impl Marker {
    const fn bit(self) -> Mask {
        1 << self as u8
    }

    /// Whether the search of a line may stop at this marker: its recognizer comes first among
    /// those the rest of the line could call for, and reads the whole line itself. Should it
    /// find no result, the line is searched again in full (`UNSEARCHED`).
    const fn ends_search(self) -> bool {
        matches!(self, Marker::Exim | Marker::Postfix)
    }
}

/// A mask bit beside the markers' own: the search of the line stopped at its first marker.
const UNSEARCHED: Mask = 1 << 15;

/// A mask bit for a line whose shape is qmail-send's log (see `qmail_log`): no marker has it.
const QMAIL_LOG: Mask = 1 << 14;

/// The marker `found` stands for, unless its context shows it is something else.
fn marker_at(bytes: &[u8], found: &aho_corasick::Match) -> Option<Marker> {
    let (_, marker, space_before) = MARKERS[found.pattern().as_usize()];
    let mut start = found.start();
    if space_before {
        if start == 0 || bytes[start - 1] != b' ' {
            return None;
        }
        start -= 1;
    }
    // Exim's flags (`->`, `==`...) follow its message id; elsewhere they are arrows and rulers
    // (amavis's `<a@b> -> <c@d>`), too common to send every such line to parsing.
    if marker == Marker::Exim && !exim::ends_with_message_id(&bytes[..start]) {
        return None;
    }
    if marker == Marker::Quoted && !quoted::follows_code(bytes, start) {
        return None;
    }
    if marker == Marker::Courier && !courier::is_field(bytes, start) {
        return None;
    }
    Some(marker)
}

/// Logs the input has shown, whose lines are told by less once they have.
#[derive(Debug, Clone, Copy)]
struct Seen {
    /// qmail-send's: its `starting delivery` lines are worth reading too.
    qmail: bool,
    /// A PowerMTA accounting file's header: records need not have its default order.
    powermta_header: bool,
    /// An Exchange message tracking log's header: its records are told by their first byte.
    tracking: bool,
}

/// `None` when a line with these markers can hold no result on its own; otherwise the markers,
/// and `QMAIL_LOG` for a line shaped as qmail-send's.
#[inline(always)]
fn worth_reading(bytes: &[u8], markers: Mask, seen: Seen) -> Option<Mask> {
    if markers != 0 {
        return Some(markers);
    }
    let first = bytes.iter().position(|b| !matches!(b, b' ' | b'\t'))?;
    let lead = bytes[first];
    let word = FirstWord::read(bytes, first);
    // Most lines of a log fail every test below at their first byte, their first word or their
    // last byte, each read once.
    let last = bytes[bytes.len() - 1];
    let shaped = ((lead.is_ascii_digit() || lead == b'#') && looks_like_reply(&bytes[first..]))
        || (first == 0 && word.field)
        || (word.has_at && looks_like_address_line(&bytes[first..], word.end - first))
        || (first == 0
            && word.has_at
            && (said::may_start_own_words(bytes, word.end)
                || sendmail::may_be_transcript_deferral(bytes, word.end)))
        || (first > 0 && nearby::looks_like_note(&bytes[first..]))
        || (lead == b'-' && part::is_copy_line(bytes))
        || (first == 0 && nearby::looks_like_sentence(bytes))
        || ((matches!(last, b')' | b'.' | b'/' | b'#' | b'>') || last.is_ascii_whitespace())
            && (qmail::looks_like_line(bytes) || exchange::looks_like_diagnostic(bytes)))
        || ((RARE_LEADS[usize::from(lead)] || seen.qmail || seen.tracking)
            && has_rare_shape(bytes, lead, seen));
    // Told apart only here, off the path of the lines that have no shape at all.
    shaped.then(|| {
        if qmail_log::looks_like_line(bytes, seen.qmail) {
            QMAIL_LOG
        } else {
            0
        }
    })
}

/// The first bytes of lines of the logs told by their shape alone (`has_rare_shape`): one look
/// at a table keeps the lines of other logs from testing each.
const RARE_LEADS: [bool; 256] = {
    let mut leads = [false; 256];
    let mut i = 0;
    let rare = b"@2bdrt#\"{[>";
    while i < rare.len() {
        leads[rare[i] as usize] = true;
        i += 1;
    }
    leads
};

/// Whether a line is shaped as one of qmail-send's, Exchange's protocol and tracking logs',
/// PowerMTA's or a sending service's event, whose lines hold no marker.
#[inline(never)]
fn has_rare_shape(bytes: &[u8], lead: u8, seen: Seen) -> bool {
    (lead == b'@' && qmail_log::is_multilog(bytes))
        || (seen.qmail && qmail_log::looks_like_start(bytes))
        || (lead == b'2' && protocol_log::looks_like_line(bytes))
        || (matches!(lead, b'b' | b'd' | b'r' | b't')
            && powermta::looks_like_line(bytes, seen.powermta_header))
        || (matches!(lead, b'#' | b'"' | b'd') && tracking_log::may_be_header(bytes))
        || (seen.tracking && tracking_log::looks_like_record(bytes))
        || (matches!(lead, b'{' | b'[') && esp_event::may_be_event(bytes))
        || (lead == b'>' && nearby::is_transcript_command(bytes))
}

/// Markers found in lines the reader has not reached yet, by where they are in the input.
#[derive(Debug, Default)]
struct MarkersAhead {
    /// Where the searched bytes end in the input.
    searched_to: u64,
    /// Where each marker starts in the input, in order, and its mask bits.
    found: VecDeque<(u64, Mask)>,
}

impl MarkersAhead {
    /// Searches `bytes`, complete lines that start at `at` in the input.
    fn search(&mut self, markers: &AhoCorasick, at: u64, bytes: &[u8]) {
        self.found.clear();
        // No marker holds a line ending, so none runs from one line into the next.
        let mut from = 0;
        while let Some(found) = markers.find(aho_corasick::Input::new(bytes).range(from..)) {
            from = found.end();
            let Some(marker) = marker_at(bytes, &found) else {
                continue;
            };
            if !marker.ends_search() {
                self.found
                    .push_back((at + found.start() as u64, marker.bit()));
                continue;
            }
            // The rest of the line is left to its recognizer.
            self.found
                .push_back((at + found.start() as u64, marker.bit() | UNSEARCHED));
            match memchr2(b'\n', b'\r', &bytes[from..]) {
                Some(ending) => from += ending,
                None => break,
            }
        }
        self.searched_to = at + bytes.len() as u64;
    }

    /// The markers of `line` when it lies in the searched bytes.
    fn take(&mut self, line: &RawLine<'_>) -> Option<Mask> {
        let end = line.offset + line.bytes.len() as u64;
        if line.truncated || end >= self.searched_to {
            return None;
        }
        let mut mask = 0;
        while let Some(&(at, bits)) = self.found.front() {
            if at >= end {
                break;
            }
            if at >= line.offset {
                mask |= bits;
            }
            self.found.pop_front();
        }
        Some(mask)
    }
}

/// A multi-line construct being gathered.
#[derive(Debug)]
enum Open {
    None,
    Reply(JoinedReply),
    Dsn(dsn::Group),
    /// A bounce body's `<rcpt>: host H said: ...` paragraph, which Postfix wraps at some 80
    /// columns and goes on in indented lines: their text, joined with spaces.
    Said(String),
}

impl Open {
    /// The format of the construct's lines.
    fn format(&self) -> Option<Format> {
        match self {
            Open::None => None,
            Open::Reply(_) => Some(Format::Reply),
            Open::Dsn(_) => Some(Format::Dsn),
            Open::Said(_) => Some(Format::Said),
        }
    }
}

#[derive(Debug)]
struct JoinedReply {
    code: ReplyCode,
    enhanced: Option<EnhancedCode>,
    text: String,
    first_line: u64,
}

/// The last line of an open construct: its record waits until the next line says whether the
/// construct goes on.
#[derive(Debug)]
struct HeldLine {
    number: u64,
    input: String,
    input_escaped: bool,
    truncated: bool,
    first_line: u64,
}

impl HeldLine {
    /// Its record without a result.
    fn bare_record(&self) -> LineRecord<'_> {
        bare_record(self.number, &self.input, self.input_escaped, self.truncated)
    }
}

/// Reads lines and gives every one of them a record.
#[derive(Debug)]
pub struct LineReader {
    /// Emit records for lines without a result too.
    all: bool,
    classifier: Classifier,
    markers: AhoCorasick,
    open: Open,
    held: Option<HeldLine>,
    /// `X-Postfix-Queue-ID` of the bounce being read.
    dsn_queue_id: Option<String>,
    /// What the lines since the last result said about the next reply.
    nearby: nearby::Nearby,
    /// qmail-send's deliveries under way.
    deliveries: qmail_log::Deliveries,
    /// The commands of Exchange protocol log sessions that await a reply.
    sessions: protocol_log::Sessions,
    /// Courier's attempts awaiting their status.
    courier: courier::Recent,
    /// Where the fields of PowerMTA accounting records are.
    powermta: powermta::Columns,
    /// Where the fields of an Exchange message tracking log are, once its header was read.
    tracking: Option<tracking_log::Columns>,
    /// Results of bounces' words that a delivery-status group may tell again.
    repeats: repeat::Repeats,
    /// The MIME part being read: quoted-printable (and its line broken so far) or HTML.
    part: Part,
    /// The first physical line of the joined line being read (`part`).
    joined_from: Option<u64>,
    /// Every line is read, none passed over: with `all`, or in a quoted-printable or HTML part.
    every_line: bool,
    /// With `all`, the last line broken by a soft break, whose record waits: when the input or
    /// the part ends after it, the joined line's record is its record.
    broken: Option<HeldLine>,
    totals: Totals,
}

impl LineReader {
    /// A reader; with `all`, lines without a result get records too.
    pub fn new(all: bool) -> Self {
        let markers = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(MARKERS.iter().map(|(marker, _, _)| marker))
            .expect("fixed markers");
        LineReader {
            all,
            classifier: Classifier::new(Workload::Many),
            markers,
            open: Open::None,
            held: None,
            dsn_queue_id: None,
            nearby: nearby::Nearby::default(),
            deliveries: qmail_log::Deliveries::default(),
            sessions: protocol_log::Sessions::default(),
            courier: courier::Recent::default(),
            powermta: powermta::Columns::default(),
            tracking: None,
            repeats: repeat::Repeats::default(),
            part: Part::default(),
            joined_from: None,
            every_line: all,
            broken: None,
            totals: Totals::default(),
        }
    }

    /// Reads `input` to its end, handing each record to `sink`. Called again with another input,
    /// it reads on as if the two were one (`cat a b`): the lines are numbered on, the totals add
    /// up; but nothing open at the end of one (a multi-line reply, a DSN group) goes on into the
    /// next.
    ///
    /// The markers are searched for in all the complete lines the input buffer holds at once,
    /// rather than line by line: one long search runs about twice as fast as many short ones,
    /// and most lines of a mail log hold none.
    pub fn read<R: Read, S: Sink>(
        &mut self,
        input: R,
        sink: &mut S,
    ) -> Result<Totals, StreamError> {
        let mut lines = LineInput::numbered_after(input, self.totals.lines);
        let mut ahead = MarkersAhead::default();
        loop {
            if lines.would_read() {
                sink.idle().map_err(StreamError::Write)?;
            }
            let (at, pending) = lines.pending();
            if at >= ahead.searched_to && !pending.is_empty() {
                ahead.search(&self.markers, at, pending);
            }
            let Some(raw) = lines.next_line().map_err(StreamError::Read)? else {
                break;
            };
            self.totals.lines = raw.number;
            let markers = match ahead.take(&raw) {
                Some(markers) => markers,
                None => self.markers_in(raw.bytes),
            };
            self.line_with_markers(raw, markers, sink)
                .map_err(StreamError::Write)?;
        }
        self.finish(sink).map_err(StreamError::Write)?;
        Ok(self.totals)
    }

    /// Reads one line.
    pub fn line<S: Sink>(&mut self, raw: RawLine<'_>, sink: &mut S) -> io::Result<()> {
        let markers = self.markers_in(raw.bytes);
        self.line_with_markers(raw, markers, sink)
    }

    /// Reads a line of a quoted-printable or HTML part: in a quoted-printable one, as the line
    /// it decodes to, joined with the lines after it when a soft break ends it.
    #[inline(never)]
    fn part_line<S: Sink>(
        &mut self,
        raw: RawLine<'_>,
        markers: Mask,
        sink: &mut S,
    ) -> io::Result<()> {
        if self.part.ends_pending(raw.bytes) {
            self.flush_broken(sink)?;
        }
        let step = self.part.step(raw.bytes, raw.number, raw.truncated);
        self.every_line = self.all || self.part.is_reading();
        match step {
            Step::Plain => self.read_line(raw, markers, sink),
            Step::Broken => {
                // Its record comes before the joined line's: a construct still open ends here.
                self.close_open(sink)?;
                self.record_broken(sink)?;
                if self.all {
                    let (_, input, escaped) = decode(raw.bytes);
                    self.broken = Some(HeldLine {
                        number: raw.number,
                        input: input.into_owned(),
                        input_escaped: escaped,
                        truncated: raw.truncated,
                        first_line: raw.number,
                    });
                }
                Ok(())
            }
            Step::Decoded(line) => {
                self.record_broken(sink)?;
                self.logical_line(line, raw.number, sink)
            }
        }
    }

    /// The record, without a result, of the last line broken by a soft break.
    fn record_broken<S: Sink>(&mut self, sink: &mut S) -> io::Result<()> {
        match self.broken.take() {
            Some(held) => sink.record(&held.bare_record()),
            None => Ok(()),
        }
    }

    /// Reads a quoted-printable line, decoded, whose last physical line is `number`.
    fn logical_line<S: Sink>(
        &mut self,
        line: Logical,
        number: u64,
        sink: &mut S,
    ) -> io::Result<()> {
        let raw = RawLine {
            number,
            offset: 0,
            bytes: &line.bytes,
            truncated: line.truncated,
        };
        let markers = self.markers_in(raw.bytes);
        let mask = worth_reading(raw.bytes, markers, self.seen()).unwrap_or(0);
        self.joined_from = (line.first_line < number).then_some(line.first_line);
        let read = self.read_line(raw, mask, sink);
        self.joined_from = None;
        read
    }

    /// Reads the line a soft break left open, as it is: its part or the input ended.
    fn flush_broken<S: Sink>(&mut self, sink: &mut S) -> io::Result<()> {
        match self.part.take_pending() {
            Some((line, last)) => {
                // Numbered as its last physical line, it gives that line's record.
                self.broken = None;
                self.logical_line(line, last, sink)
            }
            None => Ok(()),
        }
    }

    /// Reads one line whose markers were already searched for; most lines go no further than
    /// its first test, which is why `every_line` is kept rather than derived there.
    fn line_with_markers<S: Sink>(
        &mut self,
        raw: RawLine<'_>,
        markers: Mask,
        sink: &mut S,
    ) -> io::Result<()> {
        let worth = worth_reading(raw.bytes, markers, self.seen());
        if matches!(self.open, Open::None) && !self.every_line {
            return match worth {
                Some(mask) => self.fresh_line(raw, mask, sink),
                None if self.nearby.due(raw.number) => self.fresh_line(raw, 0, sink),
                None => Ok(()),
            };
        }
        self.continue_open(raw, worth.unwrap_or(0), sink)
    }

    fn seen(&self) -> Seen {
        Seen {
            qmail: self.deliveries.seen,
            powermta_header: self.powermta.named_by_header(),
            tracking: self.tracking.is_some(),
        }
    }

    /// Notes a line that may start a quoted-printable or HTML part.
    fn notice_part(&mut self, bytes: &[u8]) {
        self.part.notice(bytes);
        self.every_line = self.all || self.part.is_reading();
    }

    /// Ends the input: reports what was still open.
    pub fn finish<S: Sink>(&mut self, sink: &mut S) -> io::Result<()> {
        self.flush_broken(sink)?;
        self.part = Part::default();
        self.every_line = self.all;
        self.close_open(sink)
    }

    /// The markers one line holds, as bits.
    fn markers_in(&self, bytes: &[u8]) -> Mask {
        self.markers
            .find_iter(bytes)
            .filter_map(|found| marker_at(bytes, &found))
            .fold(0, |mask, marker| mask | marker.bit())
    }

    fn continue_open<S: Sink>(
        &mut self,
        raw: RawLine<'_>,
        mask: Mask,
        sink: &mut S,
    ) -> io::Result<()> {
        if self.part.is_reading() {
            return self.part_line(raw, mask, sink);
        }
        self.read_line(raw, mask, sink)
    }

    /// Reads a line in whatever construct is open.
    #[inline(always)]
    fn read_line<S: Sink>(&mut self, raw: RawLine<'_>, mask: Mask, sink: &mut S) -> io::Result<()> {
        self.notice_part(raw.bytes);
        if self.part.in_original() {
            return self.returned_line(raw, sink);
        }
        let (text, input, escaped) = decode(raw.bytes);
        match &mut self.open {
            Open::None => {}
            Open::Reply(joined) => {
                if let Some(reply) = response::parse(&text).filter(|r| r.code == Some(joined.code))
                {
                    append(
                        &mut joined.text,
                        // Inside a multi-line reply, a bare `550 ` starts a line too.
                        response::strip_repeated_codes(
                            reply.code,
                            reply.enhanced,
                            true,
                            reply.text,
                        )
                        .as_ref(),
                    );
                    joined.enhanced = joined.enhanced.or(reply.enhanced);
                    if reply.continued {
                        return self.hold(raw, input, escaped, sink);
                    }
                    let first_line = joined.first_line;
                    self.release_held_as_part(sink)?;
                    let Open::Reply(joined) = std::mem::replace(&mut self.open, Open::None) else {
                        unreachable!("matched above")
                    };
                    let mut delivery = joined_delivery(&joined);
                    self.nearby.complete(&mut delivery, first_line);
                    return self.emit(sink, &raw, &input, escaped, first_line, Some(&delivery));
                }
                self.close_open(sink)?;
            }
            Open::Said(joined) => {
                if let Some(more) = folded(&text) {
                    append(joined, more);
                    return self.hold(raw, input, escaped, sink);
                }
                self.close_open(sink)?;
            }
            Open::Dsn(group) => {
                if let Some(more) = folded(&text) {
                    group.fold(more);
                    return self.hold(raw, input, escaped, sink);
                }
                if let Some((field, value)) = dsn::field(&text) {
                    let starts_new = match field {
                        dsn::Field::FinalRecipient
                        | dsn::Field::OriginalRecipient
                        | dsn::Field::Action => group.is_next_recipient(field),
                        dsn::Field::QueueId | dsn::Field::OtherMessageField => true,
                        _ => false,
                    };
                    if !starts_new {
                        group.add(field, value);
                        return self.hold(raw, input, escaped, sink);
                    }
                }
                self.close_open(sink)?;
            }
        }
        self.fresh_line_decoded(raw, mask, &text, &input, escaped, sink)
    }

    fn fresh_line<S: Sink>(
        &mut self,
        raw: RawLine<'_>,
        mask: Mask,
        sink: &mut S,
    ) -> io::Result<()> {
        // The lines of a returned message are read as a part's (`read_line`), never as fresh.
        self.notice_part(raw.bytes);
        let (text, input, escaped) = decode(raw.bytes);
        self.fresh_line_decoded(raw, mask, &text, &input, escaped, sink)
    }

    /// A line of the message a delivery report returns: the sender's own text, no result; what
    /// was open before it ends.
    #[inline(never)]
    fn returned_line<S: Sink>(&mut self, raw: RawLine<'_>, sink: &mut S) -> io::Result<()> {
        self.close_open(sink)?;
        let (_, input, escaped) = decode(raw.bytes);
        self.emit(sink, &raw, &input, escaped, raw.number, None)
    }

    /// A line outside any open construct.
    fn fresh_line_decoded<S: Sink>(
        &mut self,
        raw: RawLine<'_>,
        mask: Mask,
        text: &str,
        input: &str,
        escaped: bool,
        sink: &mut S,
    ) -> io::Result<()> {
        // The logs told by their shape; most lines start otherwise, and one look at a table says
        // so.
        let lead = text.as_bytes().first().copied().unwrap_or(b' ');
        if RARE_LEADS[usize::from(lead)] || lead.is_ascii_whitespace() || self.tracking.is_some() {
            if let Some(delivery) = self.shaped_log_line(text) {
                return self.emit(sink, &raw, input, escaped, raw.number, delivery.as_ref());
            }
        }
        // A log line wrapped in JSON, when what it wraps may hold a result.
        if mask != 0 && text.starts_with('{') {
            // An application's own JSON log may keep the reply in another field (`"msg":"delivery
            // failed","error":"550 5.1.1 ..."`): then the line is read as it is.
            if let Some(wrapped) = envelope::open(text) {
                if self.wrapped_line(&raw, &wrapped, input, escaped, sink)? {
                    return Ok(());
                }
            }
        }
        if let Some((field, value)) = dsn::field(text) {
            match field {
                dsn::Field::QueueId => self.dsn_queue_id = Some(value.to_string()),
                dsn::Field::OtherMessageField | dsn::Field::Extension => {}
                _ => {
                    let mut group = dsn::Group::default();
                    group.add(field, value);
                    self.open = Open::Dsn(group);
                    return self.hold_first(raw, input, escaped);
                }
            }
            return self.emit(sink, &raw, input, escaped, raw.number, None);
        }
        if !trim(text).is_empty() {
            self.dsn_queue_id = None;
        }
        if (mask & Marker::Said.bit() != 0 || text.starts_with('<')) && said::starts_paragraph(text)
            || text.starts_with('<') && said::starts_own_words(text)
        {
            self.open = Open::Said(text.to_string());
            return self.hold_first(raw, input, escaped);
        }
        if mask & QMAIL_LOG != 0 {
            let prefix = prefix::split(text);
            match qmail_log::parse(prefix.rest) {
                Some(qmail_log::LogLine::Starting {
                    delivery,
                    message,
                    recipient,
                }) => {
                    self.deliveries.start(delivery, message, recipient);
                    return self.emit(sink, &raw, input, escaped, raw.number, None);
                }
                Some(qmail_log::LogLine::Result(number, mut delivery)) => {
                    if let Some((message, recipient)) = self.deliveries.end(number) {
                        delivery.queue_id = Some(Cow::Owned(message));
                        delivery.recipient = Some(Cow::Owned(recipient));
                    }
                    delivery.timestamp = prefix.timestamp.map(|t| Cow::Owned(t.to_string()));
                    return self.emit(sink, &raw, input, escaped, raw.number, Some(&delivery));
                }
                None => {}
            }
        }
        // No marker's recognizer reads qmail-send's other lines (`new msg`, `status: ...`).
        let mask = mask & !QMAIL_LOG;
        if mask & Marker::Courier.bit() != 0 {
            let prefix = prefix::split(text);
            if let Some(line) = courier::parse(&prefix) {
                let delivery = self.courier.read(line).map(|mut delivery| {
                    delivery.timestamp = prefix.timestamp.map(|t| Cow::Owned(t.to_string()));
                    delivery
                });
                return self.emit(sink, &raw, input, escaped, raw.number, delivery.as_ref());
            }
        }
        if let Some(mut delivery) = self.recognize(text, mask) {
            // A bounce body's line may need the lines above it; a log line stands alone.
            if matches!(delivery.format, Format::Exchange | Format::Said) {
                self.nearby.complete(&mut delivery, raw.number);
            }
            return self.emit(sink, &raw, input, escaped, raw.number, Some(&delivery));
        }
        if let Some(reply) = raw_reply(text) {
            if reply.continued {
                if let Some(code) = reply.code {
                    // Lines already joined into one (`550-... 550-... 550 ...`, copied from a
                    // log) lose their repeated codes as lines read one by one do.
                    let text = response::strip_repeated_codes(
                        Some(code),
                        reply.enhanced,
                        true,
                        reply.text,
                    );
                    self.open = Open::Reply(JoinedReply {
                        code,
                        enhanced: reply.enhanced,
                        text: text.into_owned(),
                        first_line: raw.number,
                    });
                    return self.hold_first(raw, input, escaped);
                }
            }
            let recipient = leading_address(reply.text);
            let mut delivery = Delivery::new(Format::Reply);
            delivery.take_reply(reply);
            delivery.recipient = recipient.map(Cow::Borrowed);
            self.nearby.complete(&mut delivery, raw.number);
            return self.emit(sink, &raw, input, escaped, raw.number, Some(&delivery));
        }
        // Bounce-body lines of qmail and Exim; those that need the line above are read only
        // under it.
        let nearby = &self.nearby;
        let bounce_line = qmail::parse(text)
            .or_else(|| exchange::diagnostic(text))
            .or_else(|| exim::bounce_host_reply(text))
            .or_else(|| exim::bounce_reason(text).filter(|_| nearby.reason_due(raw.number)))
            .or_else(|| {
                qmail::colon_reply(text).filter(|_| nearby.listed_address(raw.number).is_some())
            })
            .or_else(|| nearby.response_text(text, raw.number))
            .or_else(|| nearby.listed(text, raw.number))
            .or_else(|| sendmail::transcript_deferral(text))
            .or_else(|| transcript_reply(text).filter(|_| !nearby.in_transcript(raw.number)));
        if let Some(mut delivery) = bounce_line {
            self.nearby.complete(&mut delivery, raw.number);
            return self.emit(sink, &raw, input, escaped, raw.number, Some(&delivery));
        }
        // Last, a reply quoted in a line no reader above knows (which the search may not have
        // reached when it stopped at another marker).
        if mask & (Marker::Quoted.bit() | UNSEARCHED) != 0 {
            // Postfix's `reject_warning:` quotes a refusal it did not make.
            // amavis's verdicts quote its reply to the MTA, and name the recipients before it.
            let found = quoted::parse(text)
                .map(|delivery| (delivery, prefix::split(text)))
                .filter(|(_, prefix)| {
                    !(prefix.is_postfix() && postfix::is_reject_warning(prefix.rest))
                })
                .and_then(|(delivery, prefix)| match prefix.is_amavis() {
                    true => match amavis::parse(prefix.rest) {
                        Some(verdict) => verdict.map(|delivery| (delivery, prefix)),
                        None => Some((delivery, prefix)),
                    },
                    false => Some((delivery, prefix)),
                });
            if let Some((mut delivery, prefix)) = found {
                delivery.timestamp = prefix.timestamp.map(Cow::Borrowed);
                // Microsoft 365's `Status code: 550 5.1.1`, under the sentence naming the recipient.
                self.nearby.complete(&mut delivery, raw.number);
                return self.emit(sink, &raw, input, escaped, raw.number, Some(&delivery));
            }
        }
        self.nearby.note(text, raw.number);
        self.emit(sink, &raw, input, escaped, raw.number, None)
    }

    /// A line of a log told by its shape, with its result or none: an Exchange protocol log's
    /// command or reply (whatever markers its words hold; the log's other lines, and other CSV
    /// lines with such a time, are read as any line), a PowerMTA accounting file's header or
    /// record, an Exchange message tracking log's record or header (a header holds for the logs
    /// read after it), a sending service's event. `None` for any other line.
    fn shaped_log_line<'t>(&mut self, text: &'t str) -> Option<Option<Delivery<'t>>> {
        let bytes = text.as_bytes();
        if protocol_log::looks_like_line(bytes) {
            if let Some(line) = protocol_log::parse(text) {
                return Some(self.sessions.read(line));
            }
        }
        if powermta::looks_like_line(bytes, self.powermta.named_by_header()) {
            if let Some(columns) = powermta::Columns::from_header(text) {
                self.powermta = columns;
                return Some(None);
            }
            if let Some(delivery) = powermta::parse(text, &self.powermta) {
                return Some(Some(delivery));
            }
        }
        let record = match &self.tracking {
            Some(columns) if tracking_log::looks_like_record(bytes) => {
                tracking_log::parse(text, columns)
            }
            _ => None,
        };
        if record.is_none() && tracking_log::may_be_header(bytes) {
            if let Some(columns) = tracking_log::Columns::from_header(text) {
                self.tracking = Some(columns);
                return Some(None);
            }
        }
        let record = record.or_else(|| {
            esp_event::may_be_event(bytes)
                .then(|| esp_event::parse(text))
                .flatten()
        })?;
        Some(match record {
            Record::Result(delivery) => Some(delivery),
            Record::Other => None,
        })
    }

    /// A log line wrapped in JSON: its message is read as a log line, with the program and time
    /// the wrapper gives when the message has none. Emits a record and returns true when the
    /// message holds a result; returns false, emitting nothing, when it does not.
    fn wrapped_line<S: Sink>(
        &mut self,
        raw: &RawLine<'_>,
        wrapped: &envelope::Envelope,
        input: &str,
        escaped: bool,
        sink: &mut S,
    ) -> io::Result<bool> {
        let message = wrapped.message.as_str();
        let mut prefix = prefix::split(message);
        prefix.timestamp = prefix.timestamp.or(wrapped.timestamp.as_deref());
        prefix.program = prefix.program.or(wrapped.program.as_deref());
        let mask = self.markers_in(message.as_bytes());
        let Some(delivery) = self.recognize_with(message, &prefix, mask) else {
            return Ok(false);
        };
        self.emit(sink, raw, input, escaped, raw.number, Some(&delivery))?;
        Ok(true)
    }

    /// Runs the recognizers the line's markers call for.
    fn recognize<'t>(&self, text: &'t str, mask: Mask) -> Option<Delivery<'t>> {
        if mask == 0 {
            return None;
        }
        self.recognize_with(text, &prefix::split(text), mask)
    }

    /// `recognize`, with the prefix already split off.
    #[inline]
    fn recognize_with<'t>(
        &self,
        text: &'t str,
        prefix: &prefix::Prefix<'t>,
        mask: Mask,
    ) -> Option<Delivery<'t>> {
        let mut delivery = Self::recognize_marked(text, prefix, mask);
        if delivery.is_none() && mask & UNSEARCHED != 0 {
            let rest = self.markers_in(text.as_bytes()) & !mask;
            delivery = Self::recognize_marked(text, prefix, rest);
        }
        let mut delivery = delivery.filter(Delivery::has_result)?;
        if delivery.timestamp.is_none() {
            delivery.timestamp = prefix.timestamp.map(Cow::Borrowed);
        }
        Some(delivery)
    }

    /// Runs the recognizers of the markers in `mask`, in order, up to the first that reads the
    /// line.
    fn recognize_marked<'t>(
        text: &'t str,
        prefix: &prefix::Prefix<'t>,
        mask: Mask,
    ) -> Option<Delivery<'t>> {
        let mut delivery = None;
        if mask & Marker::Exim.bit() != 0 {
            delivery = exim::parse(prefix);
        }
        if delivery.is_none() && mask & Marker::Postfix.bit() != 0 {
            delivery = postfix::parse(prefix.rest);
        }
        if delivery.is_none() && mask & Marker::Sendmail.bit() != 0 {
            delivery = sendmail::parse(prefix.rest).or_else(|| sendmail::parse_refusal(prefix));
        }
        if delivery.is_none() && mask & Marker::Exchange.bit() != 0 {
            delivery = exchange::parse(text);
        }
        if delivery.is_none() && mask & Marker::Said.bit() != 0 {
            delivery = said::parse(prefix.rest);
            // Postfix logs a session's reply before any recipient's: `QUEUEID: host H said: ...`.
            if let Some(delivery) = delivery.as_mut().filter(|_| prefix.is_postfix()) {
                delivery.queue_id = postfix::queue_id(prefix.rest).map(Cow::Borrowed);
            }
        }
        if delivery.is_none() && mask & Marker::EximRejection.bit() != 0 {
            delivery = exim::parse_rejection(prefix);
        }
        delivery
    }

    /// Holds the first line of a new construct.
    fn hold_first(&mut self, raw: RawLine<'_>, input: &str, escaped: bool) -> io::Result<()> {
        self.held = Some(HeldLine {
            number: raw.number,
            input: input.to_string(),
            input_escaped: escaped,
            truncated: raw.truncated,
            first_line: raw.number,
        });
        Ok(())
    }

    /// The construct goes on: the held line becomes a part, this line is held.
    fn hold<S: Sink>(
        &mut self,
        raw: RawLine<'_>,
        input: Cow<'_, str>,
        escaped: bool,
        sink: &mut S,
    ) -> io::Result<()> {
        let first_line = self
            .held
            .as_ref()
            .map_or(raw.number, |held| held.first_line);
        self.release_held_as_part(sink)?;
        self.held = Some(HeldLine {
            number: raw.number,
            input: input.into_owned(),
            input_escaped: escaped,
            truncated: raw.truncated,
            first_line,
        });
        Ok(())
    }

    fn release_held_as_part<S: Sink>(&mut self, sink: &mut S) -> io::Result<()> {
        let Some(held) = self.held.take() else {
            return Ok(());
        };
        if !self.all {
            return Ok(());
        }
        let record = LineRecord {
            format: self.open.format(),
            ..held.bare_record()
        };
        sink.record(&record)
    }

    /// The construct ends before the current line: its result goes on the held line.
    fn close_open<S: Sink>(&mut self, sink: &mut S) -> io::Result<()> {
        let open = std::mem::replace(&mut self.open, Open::None);
        let Some(held) = self.held.take() else {
            return Ok(());
        };
        let mut delivery = match &open {
            Open::None => None,
            Open::Reply(joined) => {
                let mut delivery = joined_delivery(joined);
                self.nearby.complete(&mut delivery, held.first_line);
                Some(delivery)
            }
            Open::Dsn(group) => group.delivery(self.dsn_queue_id.as_deref()),
            Open::Said(joined) => said::parse(joined),
        };
        let raw = RawLine {
            number: held.number,
            offset: 0,
            bytes: &[],
            truncated: held.truncated,
        };
        if let (None, Some(format)) = (&delivery, open.format()) {
            // A construct without a result: say what it was anyway.
            let record = LineRecord {
                format: Some(format),
                first_line: held.first_line,
                ..held.bare_record()
            };
            return if self.all {
                sink.record(&record)
            } else {
                Ok(())
            };
        }
        if let Some(d) = delivery.as_mut() {
            if d.recipient.is_none() {
                d.recipient = self
                    .nearby
                    .address(held.first_line)
                    .map(|a| Cow::Owned(a.to_string()));
            }
        }
        self.emit(
            sink,
            &raw,
            &held.input,
            held.input_escaped,
            held.first_line,
            delivery.as_ref(),
        )
    }

    /// Classifies and hands over the record of one line.
    fn emit<S: Sink>(
        &mut self,
        sink: &mut S,
        raw: &RawLine<'_>,
        input: &str,
        escaped: bool,
        first_line: u64,
        delivery: Option<&Delivery<'_>>,
    ) -> io::Result<()> {
        let Some(delivery) = delivery else {
            if self.all {
                return sink.record(&bare_record(raw.number, input, escaped, raw.truncated));
            }
            return Ok(());
        };
        self.totals.results += 1;
        self.nearby.clear();
        // A quoted-printable line joined from several starts at the first of them.
        let first_line = self
            .joined_from
            .map_or(first_line, |from| from.min(first_line));
        let mut verdict = self.classifier.classify(&delivery.facts());
        verdict.retry_after = verdict.retry_after.or(delivery.retry_after);
        // A reply that named its recipient in its words gives it when the line did not.
        let recipient = delivery
            .recipient
            .as_deref()
            .or_else(|| named_recipient(&delivery.text));
        let domain = recipient.and_then(domain_of);
        let text = trim(&delivery.text);
        let repeat_of = recipient.and_then(|recipient| match delivery.format {
            Format::Dsn => self.repeats.claim(recipient, verdict.outcome, first_line),
            // A bounce's words for people, which its delivery-status part may tell again.
            Format::Reply | Format::Said | Format::Exchange | Format::Qmail | Format::Quoted => {
                if self.part.is_html() {
                    // Microsoft 365's HTML part, after the plain text it tells again.
                    return self.repeats.echo(recipient, verdict.outcome, raw.number);
                }
                self.repeats.note(recipient, verdict.outcome, raw.number);
                None
            }
            _ => None,
        });
        let record = LineRecord {
            line: raw.number,
            first_line,
            input,
            input_escaped: escaped,
            truncated: raw.truncated,
            result: true,
            format: Some(delivery.format),
            timestamp: delivery.timestamp.as_deref(),
            queue_id: delivery.queue_id.as_deref(),
            recipient,
            domain: domain.as_deref(),
            host: delivery.host.as_deref(),
            command: delivery.command,
            reported: delivery.reported,
            reply_code: delivery.code,
            enhanced_code: delivery.enhanced,
            text: (!text.is_empty()).then_some(text),
            verdict,
            repeat_of,
        };
        sink.record(&record)?;
        for other in &delivery.others {
            self.emit(sink, raw, input, escaped, first_line, Some(other))?;
        }
        Ok(())
    }
}

/// The record of a line without a result.
fn bare_record(line: u64, input: &str, input_escaped: bool, truncated: bool) -> LineRecord<'_> {
    LineRecord {
        line,
        first_line: line,
        input,
        input_escaped,
        truncated,
        result: false,
        format: None,
        timestamp: None,
        queue_id: None,
        recipient: None,
        domain: None,
        host: None,
        command: None,
        reported: None,
        reply_code: None,
        enhanced_code: None,
        text: None,
        verdict: Classification::default(),
        repeat_of: None,
    }
}

/// A multi-line reply's delivery; the lines near it may say more (`Nearby::complete`).
fn joined_delivery(joined: &JoinedReply) -> Delivery<'static> {
    let mut delivery = Delivery::new(Format::Reply);
    delivery.code = Some(joined.code);
    delivery.enhanced = joined.enhanced;
    delivery.text = Cow::Owned(joined.text.clone());
    delivery.recipient = leading_address(&joined.text).map(|a| Cow::Owned(a.to_string()));
    delivery
}

/// The text of a folded line, one that goes on the line before it by starting with blanks.
fn folded(text: &str) -> Option<&str> {
    let trimmed = text.trim();
    (text.starts_with([' ', '\t']) && !trimmed.is_empty()).then_some(trimmed)
}

/// The text of a continuation line joins the text before it, up to the cap one record keeps.
fn append(text: &mut String, more: &str) {
    if text.len() + more.len() < LINE_CAP {
        if !text.is_empty() && !more.is_empty() {
            text.push(' ');
        }
        text.push_str(more);
    }
}

/// A raw reply at the start of a line: `550 5.1.1 ...`, `550-...`, `5.1.1 ...`, or Exchange's
/// `#550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##`.
fn raw_reply(text: &str) -> Option<response::Response<'_>> {
    let start = text.trim_start();
    let hashed = start.strip_prefix('#');
    let mut reply = response::parse(hashed.unwrap_or(start))?;
    if reply.code.is_none() && reply.text.is_empty() {
        return None;
    }
    if hashed.is_some() {
        reply.text = reply.text.trim_end_matches('#').trim_end();
    }
    Some(reply)
}

/// The last line of a reply in a bounce's transcript of the session, `<<< 550 5.1.1 ...`, as
/// Courier's bounces give it (Sendmail's repeat it on a line of their own, which is read).
fn transcript_reply(text: &str) -> Option<Delivery<'_>> {
    let reply = raw_reply(text.strip_prefix("<<< ")?)?;
    if reply.continued || reply.code.is_none() {
        return None;
    }
    let mut delivery = Delivery::new(Format::Reply);
    delivery.recipient = leading_address(reply.text).map(Cow::Borrowed);
    delivery.take_reply(reply);
    Some(delivery)
}

/// `<bob@example.com>: ...` at the start of a reply text names the recipient, unless the
/// reply is about the sender (Postfix's `<a@b>: Sender address rejected: ...`).
fn leading_address(text: &str) -> Option<&str> {
    let address = text
        .starts_with('<')
        .then(|| address_at(text))
        .flatten()
        .filter(|a| a.contains('@'))?;
    let after = text.get(address.len() + 2..).unwrap_or_default();
    // `<news@example.org>: Sender address rejected`, `<news@example.org>... Domain of sender
    // address news@example.org does not exist`: the words right after speak of a sender.
    let near = &after.as_bytes()[..after.len().min(48)];
    let about_sender = !after.starts_with(": Recipient address")
        && near
            .windows(6)
            .any(|word| word.eq_ignore_ascii_case(b"sender"));
    (!about_sender).then_some(address)
}

/// The address a reply's words name as its recipient, wherever they stand: Microsoft 365's
/// `Recipient bob@contoso.com not found by SMTP address lookup`, `Invalid recipient
/// <bob@example.com>`, `RCPT TO:<bob@example.com> User unknown`; or at their start, as
/// Postfix and Sendmail refuse a recipient (`<bob@example.com>: Recipient address rejected`,
/// `<bob@example.com>... User unknown`), unless the words speak of a sender. Yahoo's say
/// `Sorry your message to bob@yahoo.com cannot be delivered` and `This user doesn't have a
/// yahoo.com account (bob@yahoo.com)`.
fn named_recipient(text: &str) -> Option<&str> {
    /// Words before the address, and words the text must hold for them to lead to it.
    const LEADS: [(&str, &str); 11] = [
        ("recipient ", ""),
        ("Recipient ", ""),
        ("recipient: ", ""),
        ("Recipient: ", ""),
        ("Local mailbox ", ""),
        ("mailbox access for ", ""),
        ("RCPT TO:", ""),
        ("RCPT To:", ""),
        ("your message to ", ""),
        ("Your message to ", ""),
        (" account (", "t have a "),
    ];
    let trimmed = trim(text);
    if let Some(address) = leading_address(trimmed) {
        return Some(address);
    }
    // Microsoft 365 brackets it: `[bob@example.com]: Recipient address rejected: Access denied.`
    if let Some((address, after)) = trimmed
        .strip_prefix('[')
        .and_then(|inner| inner.split_once(']'))
    {
        if after.starts_with(": Recipient address") && address.contains('@') {
            return Some(address);
        }
    }
    LEADS.iter().find_map(|(lead, needs)| {
        let rest = &text[text.find(lead)? + lead.len()..];
        if !text.contains(needs) {
            return None;
        }
        address_at(rest.trim_start())
            .map(|address| address.trim_end_matches(['.', ')']))
            .filter(|address| {
                let at = address.find('@');
                at.is_some_and(|at| at > 0 && at + 1 < address.len())
                    && !address.contains(['(', '<', '\''])
            })
    })
}

/// `550 `, `550-`, `550` alone, `5.1.1`, `#550`: the start of a raw reply.
fn looks_like_reply(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"#").unwrap_or(bytes);
    match bytes {
        [a, b, c, rest @ ..] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
            matches!(rest.first(), None | Some(b' ' | b'-' | b'\t')) || rest.starts_with(b": ")
        }
        [a, b'.', b, ..] => a.is_ascii_digit() && b.is_ascii_digit(),
        _ => false,
    }
}

/// What `worth_reading` needs of a line's first word (up to its first space), read once for all
/// its tests.
struct FirstWord {
    /// Where the word ends: at the first space, or the line's end.
    end: usize,
    has_at: bool,
    /// `Name:` at the start, with a name of letters and dashes: maybe a DSN field.
    field: bool,
}

impl FirstWord {
    /// Plain loops: the first word of a log line ends within a few bytes, sooner than memchr
    /// gets going. The field's name is looked at only in a word that starts the line with a
    /// letter.
    #[inline]
    fn read(bytes: &[u8], first: usize) -> Self {
        let mut has_at = false;
        let mut end = first;
        while let Some(&b) = bytes.get(end) {
            if b == b' ' {
                break;
            }
            has_at |= b == b'@';
            end += 1;
        }
        // The first byte that is neither a letter nor a dash, if the word starts the line.
        let field = first == 0
            && bytes[0].is_ascii_alphabetic()
            && bytes[..end.min(27)]
                .iter()
                .position(|&b| !(b.is_ascii_alphabetic() || b == b'-'))
                .is_some_and(|at| bytes[at] == b':');
        FirstWord { end, has_at, field }
    }
}

/// A first word (`end` bytes, with an `@`) and nothing after it but maybe ` on <date>` or
/// `host`.
fn looks_like_address_line(bytes: &[u8], end: usize) -> bool {
    end == bytes.len()
        || bytes[end..].trim_ascii().is_empty()
        || bytes[end + 1..].starts_with(b"on ")
        // A Postfix bounce paragraph wrapped before `said:` (see `said::starts_paragraph`).
        || bytes[end + 1..].starts_with(b"host")
}

/// The line as text for reading, the line as text for output, and whether the latter is escaped.
/// Bytes that are not UTF-8 are read as Windows-1252 (`cp1252`) and written as `\xNN`.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, Cow<'_, str>, bool) {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), Cow::Borrowed(text), false),
        Err(_) => (
            Cow::Owned(with_invalid_bytes(bytes, |out, b| {
                out.push(cp1252::char_of(b))
            })),
            Cow::Owned(escape_invalid(bytes)),
            true,
        ),
    }
}

/// Valid UTF-8 runs as they are, each invalid byte as `\xNN`.
fn escape_invalid(bytes: &[u8]) -> String {
    use std::fmt::Write;
    with_invalid_bytes(bytes, |out, b| {
        write!(out, "\\x{b:02x}").expect("writing to a String");
    })
}

/// Valid UTF-8 runs as they are, each invalid byte as `write_invalid` writes it.
fn with_invalid_bytes(mut bytes: &[u8], mut write_invalid: impl FnMut(&mut String, u8)) -> String {
    let mut out = String::with_capacity(bytes.len() + 16);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => {
                out.push_str(valid);
                return out;
            }
            Err(err) => {
                let (valid, rest) = bytes.split_at(err.valid_up_to());
                out.push_str(std::str::from_utf8(valid).expect("checked valid"));
                let bad = err.error_len().unwrap_or(rest.len());
                for &b in &rest[..bad] {
                    write_invalid(&mut out, b);
                }
                bytes = &rest[bad..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_that_are_not_utf8_read_as_windows_1252_and_are_written_escaped() {
        let (text, input, escaped) = decode(b"550 5.1.1 Empf\xe4nger \xc3\xbc \x92x\x81");
        assert_eq!(text, "550 5.1.1 Empfänger ü ’x\u{fffd}");
        assert_eq!(input, "550 5.1.1 Empf\\xe4nger ü \\x92x\\x81");
        assert!(escaped);
        let (text, input, escaped) = decode("Empfänger".as_bytes());
        assert_eq!(
            (text.as_ref(), input.as_ref(), escaped),
            ("Empfänger", "Empfänger", false)
        );
    }

    #[test]
    fn the_first_word_tells_fields_and_address_lines() {
        let word = |line: &str| {
            let first = line.bytes().position(|b| b != b' ').unwrap();
            let w = FirstWord::read(line.as_bytes(), first);
            (w.field, w.has_at, w.end)
        };
        assert_eq!(
            word("Final-Recipient: rfc822; bob@example.com"),
            (true, false, 16)
        );
        assert_eq!(word("Status: 5.1.1"), (true, false, 7));
        assert_eq!(word("Status : 5.1.1"), (false, false, 6));
        assert_eq!(
            word("Nov 23 10:00:01 mx postfix/smtp[1]:"),
            (false, false, 3)
        );
        // The longest name a bounce's reader needs is a MIME part's header.
        assert_eq!(
            word("Content-Transfer-Encoding: quoted-printable"),
            (true, false, 26)
        );
        assert_eq!(word("ABCDEFGHIJKLMNOPQRSTUVWXYZA: x"), (false, false, 28));
        assert_eq!(word("  bob@example.com"), (false, true, 17));
        assert_eq!(word("10:00:01 x"), (false, false, 8));
        let seen = Seen {
            qmail: false,
            powermta_header: false,
            tracking: false,
        };
        for line in [
            "bob@example.com",
            "  <bob@example.com> host mx",
            "Action: failed",
        ] {
            assert!(worth_reading(line.as_bytes(), 0, seen).is_some(), "{line}");
        }
        for line in [
            "Nov 23 10:00:01 mx postfix/qmgr[2]: 4F9D21A2B3: removed",
            "bob@example.com wrote:",
            " ",
        ] {
            assert!(worth_reading(line.as_bytes(), 0, seen).is_none(), "{line}");
        }
    }

    struct Collect(Vec<String>);

    impl Sink for Collect {
        fn record(&mut self, record: &LineRecord<'_>) -> io::Result<()> {
            self.0
                .push(serde_json::to_string(record).expect("a record serializes"));
            Ok(())
        }
    }

    #[test]
    fn a_leading_address_is_the_recipient_unless_the_reply_is_about_the_sender() {
        assert_eq!(
            leading_address("<bob@example.com>: Recipient address rejected: User unknown"),
            Some("bob@example.com")
        );
        assert_eq!(
            leading_address("<news@example.org>: Sender address rejected: Domain not found"),
            None
        );
        assert_eq!(
            leading_address("<mx.example.com>: Helo command rejected"),
            None
        );
        assert_eq!(leading_address("User unknown"), None);
    }

    #[test]
    fn a_reply_may_name_its_recipient_in_its_words() {
        for (text, named) in [
            (
                "RESOLVER.ADR.RecipientNotFound; Recipient bob@contoso.com not found by SMTP \
                 address lookup",
                Some("bob@contoso.com"),
            ),
            (
                "Invalid recipient <bob@example.com>",
                Some("bob@example.com"),
            ),
            (
                "RCPT TO:<bob@example.com> User unknown",
                Some("bob@example.com"),
            ),
            (
                "Unknown recipient bob@example.com.",
                Some("bob@example.com"),
            ),
            ("Recipient address rejected: User unknown", None),
            ("Too many recipients", None),
            ("recipient @ unknown", None),
            ("Sender address rejected: <news@example.org>", None),
            (
                "<bob@example.com>: Recipient address rejected: User unknown",
                Some("bob@example.com"),
            ),
            ("<bob@example.com>... Relaying denied", Some("bob@example.com")),
            (
                "delivery error: dd This user doesn't have a yahoo.com account (bob@yahoo.com) [0]",
                Some("bob@yahoo.com"),
            ),
            (
                "delivery error: dd Sorry your message to bob@yahoo.com cannot be delivered.",
                Some("bob@yahoo.com"),
            ),
            ("Your account (news@example.org) is suspended", None),
            ("Invalid recipient: <bob@example.com>", Some("bob@example.com")),
            (
                "Message was not accepted -- invalid mailbox.  Local mailbox bob@example.com is \
                 unavailable: user is terminated",
                Some("bob@example.com"),
            ),
            (
                "[bob@example.com]: Recipient address rejected: Access denied.",
                Some("bob@example.com"),
            ),
            ("[192.0.2.1]: Client host rejected", None),
            (
                "<bob@example.com>: Recipient address rejected: Message rejected due to: SPF fail \
                 - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=sender@example.org",
                Some("bob@example.com"),
            ),
            ("<news@example.org>: Sender address rejected", None),
            (
                "<news@example.org>... Domain of sender address news@example.org does not exist",
                None,
            ),
        ] {
            assert_eq!(named_recipient(text), named, "{text}");
        }
    }

    #[test]
    fn flag_markers_need_the_space_before_them() {
        let reader = LineReader::new(false);
        let exim = Marker::Exim.bit();
        let said = Marker::Said.bit();
        let quoted = Marker::Quoted.bit();
        let line = b"2026-11-23 10:00:01 1hKl2m-0003Ab-Cd ** bob@example.com: 550 5.1.1 unknown";
        assert_eq!(reader.markers_in(line), exim | quoted);
        let glued = b"2026-11-23 10:00:01 1hKl2m-0003Ab-Cd** bob@example.com: 550 5.1.1 unknown";
        assert_eq!(reader.markers_in(glued), quoted);
        assert_eq!(reader.markers_in(b"took 550 4.1 s"), 0);
        assert_eq!(reader.markers_in(b"host mx.example.com said: 550 no"), said);
        assert_eq!(reader.markers_in(b"said: 550 no"), 0);
        assert_eq!(reader.markers_in(b"he resaid: 550 no"), 0);
    }

    #[test]
    fn searching_markers_ahead_gives_the_records_of_searching_each_line() {
        let lines = [
            "Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command))",
            "Nov 23 10:00:02 mx1 amavis[2]: (2-01) Passed CLEAN {RelayedInbound}, <a@example.net> -> <b@example.com>",
            "2026-11-23 10:00:03 1tEoBq-000Abc-12 ** sue@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.2]: SMTP error from remote mail server after RCPT TO:<sue@example.org>: 550 5.1.1 No such user",
            "1tEoBq-000Abc-12 == joe@example.net defer (-44): SMTP error from remote mail server after RCPT TO:<joe@example.net>: 451 4.7.1 Greylisted",
            "Nov 23 10:00:04 mail sendmail[3]: 2ANA01: to=<dora@example.co.uk>, delay=00:00:01, mailer=esmtp, dsn=4.0.0, stat=Deferred: Connection refused",
            "550-5.7.26 Unauthenticated email from example.com is not accepted due to",
            "550-5.7.26 its domain's DMARC policy.",
            "550 5.7.26 gsmtp",
            "Status: 5.2.2",
            "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full",
            "",
            "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
            "nothing at all here",
            "\u{1b}[31m said: 421 4.7.0 [TSS04] Messages temporarily deferred",
            // Postfix's marker stops the search of the line, but Postfix's reader finds nothing:
            // the line is searched again, and the quoted reply found.
            "Nov 23 10:00:05 mx1 relay[4]: status=held (host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown)",
        ];
        let mut input = String::new();
        let mut n = 0;
        while input.len() < 3 * LINE_CAP {
            for (i, line) in lines.iter().enumerate() {
                input.push_str(line);
                input.push_str(["\n", "\r\n", "\r"][(n + i) % 3]);
            }
            n += 1;
        }
        let mut ahead = Collect(Vec::new());
        let totals = LineReader::new(true)
            .read(input.as_bytes(), &mut ahead)
            .unwrap();
        let mut each = Collect(Vec::new());
        let mut reader = LineReader::new(true);
        let mut lines = input::LineInput::new(input.as_bytes());
        while let Some(raw) = lines.next_line().unwrap() {
            reader.line(raw, &mut each).unwrap();
        }
        reader.finish(&mut each).unwrap();
        assert_eq!(ahead.0.len() as u64, totals.lines);
        let rescanned = ahead.0.iter().filter(|record| {
            record.contains("status=held") && record.contains(r#""format":"said""#)
        });
        assert_eq!(
            rescanned.count(),
            n,
            "one result from each copy of the held line"
        );
        assert!(totals.results > totals.lines / 3, "{totals:?}");
        assert_eq!(ahead.0, each.0);
    }

    #[test]
    fn a_wrapped_paragraph_keeps_at_most_a_line_cap_of_text() {
        let mut input =
            String::from("<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1\n");
        for _ in 0..(3 * LINE_CAP / 40) {
            input.push_str("    more words of a paragraph that never ends\n");
        }
        let mut out = Collect(Vec::new());
        let totals = LineReader::new(false)
            .read(input.as_bytes(), &mut out)
            .unwrap();
        assert_eq!(totals.results, 1);
        let record: serde_json::Value = serde_json::from_str(&out.0[0]).unwrap();
        let text = record["text"].as_str().unwrap();
        assert!(text.len() < LINE_CAP, "{}", text.len());
        assert!(text.starts_with("more words of a paragraph"), "{text}");
    }
}
