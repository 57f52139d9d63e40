//! What the lines just before a bare reply say about it.
//!
//! Bounce bodies put the recipient, and sometimes the host and the command, on lines of their
//! own above the quoted reply:
//!
//! - Exchange / Microsoft 365 NDRs: the address alone, then `Remote Server returned '550 ...'`;
//! - Exim bounces: `  bob@example.com`, `    host mx.example.com [192.0.2.1]`,
//!   `    SMTP error from remote mail server after RCPT TO:<bob@example.com>:`, then the reply;
//!   or, right under the address, Exim's own words on why it failed (see `exim`);
//! - qmail bounces: `<bob@example.com>:`, `192.0.2.5 does not like recipient.`, then
//!   `Remote host said: 550 ...` (see `qmail`);
//! - Gmail's and Microsoft 365's words for people: `Your message wasn't delivered to
//!   bob@example.com because ...`, `There was a temporary problem delivering your message to
//!   bob@example.com.`, `Your message to bob@example.com couldn't be delivered.`; a few lines
//!   further down, `The response from the remote server was:` and the reply.
//!
//! - Sendmail bounces: the transcript of the session starts `... while talking to
//!   mx.example.com.:`; Sendmail's own copy of each failed reply follows a few commands and
//!   replies below.
//!
//! Such lines carry no result of their own; the reader notes them here and hands them to a
//! reply that starts within `REACH` lines of them (`SENTENCE_REACH` for a sentence,
//! `TRANSCRIPT_REACH` for the host of a transcript, which every reply in it keeps).

use super::delivery::{host_name, Delivery, Format};
use super::{exchange, listed, qmail};
use crate::classify::Reported;
use crate::command::Command;
use crate::trim::trim;
use std::borrow::Cow;

/// How far above a reply's first line a noted line may be.
pub const REACH: u64 = 3;

/// How far above a reply a sentence naming the recipient may be: Gmail puts a link and blank
/// lines between them.
const SENTENCE_REACH: u64 = 6;

/// How far above its reply Microsoft 365's `Your message to bob@example.com couldn't be
/// delivered.` may be: its advice for people comes between them, a paragraph or a list.
const LONG_SENTENCE_REACH: u64 = 40;

/// How far below the head of a Sendmail transcript its replies may be: a transcript holds a
/// few commands and replies for each recipient.
const TRANSCRIPT_REACH: u64 = 40;

/// How the reports' sentences for people lead up to the recipient, what they say became of
/// the message, and how far below them its reply may be. Microsoft 365's table of the message's
/// details gives the recipient a few lines above the reply (`Recipient Address:`).
const SENTENCE_LEADS: [(&str, Reported, u64); 8] = [
    (
        "Your message wasn't delivered to ",
        Reported::Failed,
        SENTENCE_REACH,
    ),
    (
        "There was a temporary problem delivering your message to ",
        Reported::Deferred,
        SENTENCE_REACH,
    ),
    (
        "There was a problem delivering your message to ",
        Reported::Failed,
        SENTENCE_REACH,
    ),
    (
        "Your message couldn't be delivered to ",
        Reported::Failed,
        SENTENCE_REACH,
    ),
    ("Your message to ", Reported::Failed, LONG_SENTENCE_REACH),
    ("Recipient Address:", Reported::Failed, SENTENCE_REACH),
    // Oracle Communications Messaging Server's report, indented: `Recipient address:`, then
    // `Reason:` and `Diagnostic code: smtp;550 ...`.
    ("Recipient address:", Reported::Failed, SENTENCE_REACH),
    // SmarterMail's bounces: `Failed Recipient: bob@example.com`, then `Reason: ...`.
    ("Failed Recipient:", Reported::Failed, SENTENCE_REACH),
];

/// Gmail's words before the reply it got, which for a Gmail recipient is its own text without a
/// code; and Domino's before its reason (`was not delivered to:`, the address, `because:`, the
/// reason), which say the message failed.
const RESPONSE_LEADS: [(&str, Option<Reported>); 5] = [
    ("The response was:", None),
    ("The response from the remote server was:", None),
    ("because:", Some(Reported::Failed)),
    // Gmail's older bounces: `Delivery to the following recipient failed permanently:`, the
    // address, then these, then Gmail's own words (`DNS Error: ...`) or a remote's reply.
    (
        "Technical details of permanent failure:",
        Some(Reported::Failed),
    ),
    (
        "Technical details of temporary failure:",
        Some(Reported::Deferred),
    ),
];

/// The start of the sentence Gmail's older bounces put before a remote server's reply, which
/// follows on a line of its own (`The error that the other server returned was:`).
const GMAIL_TRIED: &str = "Google tried to deliver your message";

/// The host Gmail names at the end of its own words on a failed connection, `... [mx.example.com.
/// 192.0.2.1: timed out]`.
fn bracketed_host(text: &str) -> Option<&str> {
    let inner = text.strip_suffix(']')?;
    let inner = &inner[inner.rfind('[')? + 1..];
    let (name, rest) = inner.split_once(". ")?;
    (name.contains('.')
        && !name.contains(' ')
        && name.bytes().any(|b| b.is_ascii_alphabetic())
        && rest.contains(':'))
    .then_some(name)
}

/// The facts noted from recent lines, each with its line number.
#[derive(Debug, Default)]
pub struct Nearby {
    address: Option<(String, u64)>,
    /// The recipient a sentence for people named (`Your message wasn't delivered to ...`), and
    /// what the sentence said became of the message.
    sentence_address: Option<(String, u64)>,
    sentence_reported: Option<Reported>,
    sentence_reach: u64,
    /// The line of Gmail's `The response was:` (or Domino's `because:`), and what the lead
    /// itself says became of the message.
    response_lead: Option<u64>,
    lead_reported: Option<Reported>,
    /// The last line that `reason_due` or `response_due` may hold for: one comparison settles
    /// the lines of a log.
    due_until: u64,
    /// The line of an address two spaces in, as Exim's bounces list them: the line after it
    /// may say in Exim's own words why the address failed.
    bounce_address: Option<u64>,
    host: Option<(String, u64)>,
    command: Option<(Command, u64)>,
    /// The host of the Sendmail transcript being read; kept past each result in it.
    transcript_host: Option<(String, u64)>,
    /// The line of the heading of a list of addresses with their reasons (`listed`), while the
    /// list goes on; kept past each result in it.
    list: Option<u64>,
}

impl Nearby {
    /// Notes what a line without a result says, if anything.
    pub fn note(&mut self, text: &str, line: u64) {
        // A list of addresses ends at the first line that is none of its entries.
        if self.list.is_some() && !trim(text).is_empty() {
            self.list = None;
        }
        if let Some(address) = exchange::address_line(text) {
            self.address = Some((address.to_string(), line));
            let two_in = text.strip_prefix("  ").is_some_and(|t| !t.starts_with(' '));
            self.bounce_address = two_in.then_some(line);
            self.due_until = self.due_until.max(line + 1);
            return;
        }
        let text = trim(text);
        if listed::is_lead(text) {
            self.list = Some(line);
            self.due_until = self.due_until.max(line + listed::REACH);
            return;
        }
        if let Some((address, reported, reach)) = sentence_recipient(text) {
            self.sentence_address = Some((address.to_string(), line));
            self.sentence_reported = Some(reported);
            self.sentence_reach = reach;
            return;
        }
        if let Some((_, reported)) = RESPONSE_LEADS.iter().find(|(lead, _)| *lead == text) {
            self.response_lead = Some(line);
            self.lead_reported = *reported;
            self.due_until = self.due_until.max(line + 2);
            return;
        }
        if let Some(host) = text
            .strip_prefix("... while talking to ")
            .and_then(|rest| host_name(rest.trim_end_matches(':')))
        {
            self.transcript_host = Some((host.to_string(), line));
            return;
        }
        // In Exim's delay warnings: `Delay reason: SMTP error from ...`.
        let text = text.strip_prefix("Delay reason: ").unwrap_or(text);
        if let Some((host, command)) = qmail::remote_step(text) {
            self.host = Some((host.to_string(), line));
            self.command = command.map(|command| (command, line));
        } else if let Some(host) = text.strip_prefix("host ").and_then(host_name) {
            self.host = Some((host.to_string(), line));
        } else if let Some(host) = gmail_tried_host(text) {
            self.host = Some((host.to_string(), line));
        } else if let Some(host) = courier_host(text) {
            self.host = Some((host.to_string(), line));
        } else if let Some(host) = hmailserver_host(text) {
            self.host = Some((host.to_string(), line));
            // The paragraph under an address goes on: the address stays in reach of its reply,
            // three lines below.
            if let Some((_, seen)) = &mut self.address {
                if line.saturating_sub(*seen) <= REACH {
                    *seen = line;
                }
            }
        } else if let Some(sent) = text.strip_prefix(HMAILSERVER_SENT) {
            if let Some(command) = Command::from_words(sent) {
                self.command = Some((command, line));
            }
        } else if let Some(sent) = SWAKS_SENT.iter().find_map(|lead| text.strip_prefix(lead)) {
            self.note_sent(sent, line);
        } else if let Some(sent) = text.strip_prefix(TRANSCRIPT_SENT) {
            // Sendmail pipelines RCPT TO and DATA: the replies under `>>> DATA` are the
            // recipients' as often as its own (`<<< 550 5.1.1 <bob@...>... User unknown`, then
            // `<<< 503 5.0.0 Need RCPT`). The end of the data, `>>> .`, is told.
            if !sent.trim_end().eq_ignore_ascii_case("DATA") {
                self.note_sent(sent, line);
            }
        } else if text.starts_with("SMTP error from ") {
            if let Some(command) = Command::find_in(text) {
                self.command = Some((command, line));
            }
        }
    }

    /// A command a transcript shows sent, and for `RCPT TO` the recipient the reply below it is
    /// about; swaks writes the `.` that ends the data on a line of its own.
    fn note_sent(&mut self, sent: &str, line: u64) {
        let command = match sent.trim_end() {
            "." => Some(Command::EndOfData),
            words => Command::from_words(words),
        };
        let Some(command) = command else {
            return;
        };
        self.command = Some((command, line));
        if command == Command::RcptTo {
            let address = sent
                .find('<')
                .and_then(|at| super::leading_address(&sent[at..]));
            self.address = address.map(|address| (address.to_string(), line));
        }
    }

    /// Forgets everything but a transcript's host: a result was reported, so what came before it
    /// was its own; the transcript may go on with other recipients' replies.
    pub fn clear(&mut self) {
        let transcript_host = self.transcript_host.take();
        let list = self.list;
        *self = Nearby {
            transcript_host,
            list,
            due_until: list.map_or(0, |lead| lead + listed::REACH),
            ..Nearby::default()
        };
    }

    /// Whether `line` is to be read for what the lines above it announce: `reason_due` or
    /// `response_due`.
    pub fn due(&self, line: u64) -> bool {
        line <= self.due_until
            && (self.reason_due(line) || self.response_due(line) || self.list_due(line))
    }

    /// Whether `line` may be an entry of a list of addresses under its heading.
    fn list_due(&self, line: u64) -> bool {
        self.list
            .is_some_and(|lead| (1..=listed::REACH).contains(&line.saturating_sub(lead)))
    }

    /// An entry of a list of addresses with their reasons, under its heading (`listed`): the
    /// message failed for that address, for the reason in brackets.
    pub fn listed<'t>(&self, text: &'t str, line: u64) -> Option<Delivery<'t>> {
        if !self.list_due(line) {
            return None;
        }
        let (address, reason) = listed::entry(text)?;
        let mut delivery = Delivery::new(Format::Reply);
        delivery.reported = Some(Reported::Failed);
        delivery.recipient = Some(Cow::Borrowed(address));
        delivery.text = Cow::Borrowed(reason);
        Some(delivery)
    }

    /// Whether `line` comes right after an address line of an Exim bounce.
    pub fn reason_due(&self, line: u64) -> bool {
        self.bounce_address
            .is_some_and(|seen| line.checked_sub(1) == Some(seen))
    }

    /// Whether `line` may be the text after Gmail's `The response was:` (the next line, or the
    /// one after a blank line).
    pub fn response_due(&self, line: u64) -> bool {
        self.response_lead
            .is_some_and(|lead| (1..=2).contains(&line.saturating_sub(lead)))
    }

    /// The text after Gmail's `The response was:`, when it is not a reply with a code: a Gmail
    /// recipient's refusal in Gmail's words. Read only under a sentence that named the recipient
    /// and said whether the message failed or waits; or, after Domino's `because:`, under the
    /// address listed a few lines above.
    pub fn response_text<'t>(&self, text: &'t str, line: u64) -> Option<Delivery<'t>> {
        let text = trim(text);
        if text.is_empty() || !self.response_due(line) || text.starts_with(GMAIL_TRIED) {
            return None;
        }
        let sentence = self
            .sentence_address
            .as_ref()
            .filter(|(_, seen)| line.saturating_sub(*seen) <= SENTENCE_REACH + 2);
        let listed = || {
            self.lead_reported
                .and(self.address.as_ref())
                .filter(|(_, seen)| line.saturating_sub(*seen) <= SENTENCE_REACH)
        };
        let (address, _) = sentence.or_else(listed)?;
        let mut delivery = Delivery::new(Format::Reply);
        delivery.reported = self.sentence_reported.or(self.lead_reported);
        delivery.recipient = Some(Cow::Owned(address.clone()));
        delivery.host = bracketed_host(text).map(Cow::Borrowed);
        delivery.text = Cow::Borrowed(text);
        Some(delivery)
    }

    /// Whether `line` lies in a Sendmail transcript, which repeats each reply on a line of its
    /// own below the `<<< ` one.
    pub fn in_transcript(&self, line: u64) -> bool {
        within(&self.transcript_host, line, TRANSCRIPT_REACH).is_some()
    }

    /// The address a line of its own listed within reach of `first_line`, as bounce bodies list
    /// recipients above their replies.
    pub fn listed_address(&self, first_line: u64) -> Option<&str> {
        within(&self.address, first_line, REACH).map(String::as_str)
    }

    /// The address noted within reach of a reply starting at `first_line`.
    pub fn address(&self, first_line: u64) -> Option<&str> {
        within(&self.address, first_line, REACH)
            .or_else(|| within(&self.sentence_address, first_line, self.sentence_reach))
            .map(String::as_str)
    }

    /// Gives `delivery`, a reply starting at `first_line`, what it lacks of the facts in reach.
    pub fn complete(&self, delivery: &mut Delivery<'_>, first_line: u64) {
        if delivery.recipient.is_none() {
            delivery.recipient = self.address(first_line).map(|a| Cow::Owned(a.to_string()));
        }
        if delivery.host.is_none() {
            // A transcript holds bare replies only: a reply some other way quoted below it
            // belongs to another report. A domain that does not resolve or route (X.1.2, X.4.4)
            // had no host: Sendmail lists such failures in the transcript of another's session.
            let reached = !delivery
                .enhanced
                .is_some_and(|code| matches!((code.subject(), code.detail()), (1, 2) | (4, 4)));
            // Sendmail's own line of a deferral, `<bob@example.com>... Deferred: 451 ...`, is its
            // copy of a reply in the transcript too.
            let copy = matches!(delivery.format, Format::Reply | Format::Sendmail);
            let transcript = (copy && reached)
                .then(|| within(&self.transcript_host, first_line, TRANSCRIPT_REACH))
                .flatten();
            delivery.host = within(&self.host, first_line, REACH)
                .or(transcript)
                .map(|h| Cow::Owned(h.clone()));
        }
        if delivery.command.is_none() {
            delivery.command = within(&self.command, first_line, REACH).copied();
        }
    }
}

fn within<T>(noted: &Option<(T, u64)>, first_line: u64, reach: u64) -> Option<&T> {
    noted
        .as_ref()
        .filter(|(_, seen)| first_line.saturating_sub(*seen) <= reach)
        .map(|(fact, _)| fact)
}

/// The recipient a report's sentence for people names (`Your message wasn't delivered to
/// bob@example.com because ...`), what became of the message, and how far below the reply may be.
fn sentence_recipient(text: &str) -> Option<(&str, Reported, u64)> {
    let (rest, reported, reach) = SENTENCE_LEADS
        .iter()
        .find_map(|(lead, reported, reach)| Some((text.strip_prefix(lead)?, *reported, *reach)))?;
    let word = rest.trim_start().split([' ', ',', '\t']).next()?;
    let address = word.trim_end_matches('.');
    Some((exchange::address_line(address)?, reported, reach))
}

/// Whether a line may be a report's sentence naming the recipient (`sentence_recipient`) or
/// the head of a Sendmail transcript.
#[inline]
pub fn looks_like_sentence(bytes: &[u8]) -> bool {
    match bytes.first() {
        Some(b'Y') => bytes.starts_with(b"Your message "),
        Some(b'R') => bytes.starts_with(b"Recipient Address:"),
        Some(b'F') => bytes.starts_with(b"Failed Recipient:"),
        Some(b'T') => {
            bytes.starts_with(b"There was a ")
                || bytes.starts_with(b"The response ")
                || bytes.starts_with(b"Technical details of ")
                || listed::may_lead(bytes)
        }
        Some(b'b') => bytes.starts_with(b"because:"),
        Some(b'.') => bytes.starts_with(b"... while talking to "),
        Some(b'-') => listed::may_lead(bytes),
        _ => false,
    }
}

/// `host ` or `SMTP error from ` after some indent: a line Exim's bounces put above a reply;
/// `mx.example.com [192.0.2.1]:`, Courier's; `Recipient address:`, Oracle's.
pub fn looks_like_note(bytes: &[u8]) -> bool {
    bytes.starts_with(b"host ")
        || bytes.starts_with(b"SMTP error from ")
        || bytes.ends_with(b"]:")
        || bytes.starts_with(b"Recipient address:")
        || bytes.starts_with(HMAILSERVER_HOST.0.as_bytes())
        || bytes.starts_with(HMAILSERVER_SENT.as_bytes())
        || SWAKS_SENT
            .iter()
            .any(|lead| bytes.starts_with(lead.as_bytes()))
}

/// What swaks writes before each line it sends, in clear and under TLS, indented by a space:
/// ` -> RCPT TO:<bob@example.com>`; its replies come as `<-  250 ...`, or `<** 550 ...` for a
/// refusal (read as quoted replies).
const SWAKS_SENT: [&str; 2] = ["-> ", "~> "];

/// What Sendmail's transcript of a session writes before each command it sent: `>>> RCPT
/// To:<bob@example.com>`, at the start of the line; the replies come as `<<< 550 ...`.
const TRANSCRIPT_SENT: &str = ">>> ";

/// Whether a line is a command a Sendmail transcript shows sent.
pub fn is_transcript_command(bytes: &[u8]) -> bool {
    bytes.starts_with(TRANSCRIPT_SENT.as_bytes())
}

/// hMailServer's bounces say, indented under each address, which server refused it and what
/// was sent to it before the reply (`Remote server replied: 550 ...`, read as a quoted reply):
/// `Remote server (192.0.2.1) issued an error.`, `hMailServer sent: RCPT TO:<bob@example.com>`.
const HMAILSERVER_HOST: (&str, &str) = ("Remote server (", ") issued an error.");
const HMAILSERVER_SENT: &str = "hMailServer sent: ";

/// The server an hMailServer bounce names, an address or a name.
fn hmailserver_host(text: &str) -> Option<&str> {
    let (lead, end) = HMAILSERVER_HOST;
    let host = text.strip_prefix(lead)?.strip_suffix(end)?;
    (!host.is_empty() && !host.contains([' ', '(', ')'])).then_some(host)
}

/// The host Gmail's older bounces name in the sentence above a remote's reply: `Google tried to
/// deliver your message, but it was rejected by the server for the recipient domain example.org
/// by mx.example.org. [192.0.2.10].`
fn gmail_tried_host(text: &str) -> Option<&str> {
    let rest = text.strip_prefix(GMAIL_TRIED)?;
    let named = &rest[rest.rfind(" by ")? + " by ".len()..];
    let (name, _) = named.split_once(" [")?;
    (!name.contains(' ')).then(|| host_name(name)).flatten()
}

/// The host of the session Courier's bounces print above its transcript, indented:
/// `    mx.example.com [192.0.2.1]:`.
fn courier_host(text: &str) -> Option<&str> {
    let inner = text.strip_suffix("]:")?;
    let (name, ip) = inner.split_once(" [")?;
    (!name.contains(' ') && !ip.contains(' '))
        .then(|| host_name(name))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::Format;

    #[test]
    fn gmails_older_bounces_name_the_host_that_refused() {
        assert_eq!(
            gmail_tried_host(
                "Google tried to deliver your message, but it was rejected by the server for the \
                 recipient domain example.org by mx.example.org. [192.0.2.10]."
            ),
            Some("mx.example.org")
        );
        assert_eq!(
            gmail_tried_host("Google tried to deliver your message, but it was rejected."),
            None
        );
        assert_eq!(
            gmail_tried_host("rejected by the server by mx.example.org. [192.0.2.10]."),
            None
        );
    }

    #[test]
    fn a_sendmail_transcript_gives_the_commands_sent_but_a_pipelined_data() {
        let mut nearby = Nearby::default();
        nearby.note(">>> RCPT To:<bob@example.com>", 1);
        assert_eq!(nearby.command, Some((Command::RcptTo, 1)));
        assert_eq!(nearby.address(2), Some("bob@example.com"));
        nearby.note(">>> DATA", 2);
        assert_eq!(nearby.command, Some((Command::RcptTo, 1)));
        nearby.note(">>> .", 3);
        assert_eq!(nearby.command, Some((Command::EndOfData, 3)));
        assert!(is_transcript_command(
            b">>> MAIL From:<ann@example.org> SIZE=1234"
        ));
        assert!(!is_transcript_command(b"> quoted mail"));
    }

    #[test]
    fn hmailservers_notes_give_the_host_and_the_command_sent() {
        let mut nearby = Nearby::default();
        for (n, line) in [
            "   Remote server (192.0.2.1) issued an error.",
            "   hMailServer sent: RCPT TO:<eve@example.com>",
        ]
        .iter()
        .enumerate()
        {
            assert!(looks_like_note(line.trim_start().as_bytes()), "{line}");
            nearby.note(line, n as u64 + 1);
        }
        assert_eq!(nearby.host, Some(("192.0.2.1".to_string(), 1)));
        assert_eq!(nearby.command, Some((Command::RcptTo, 2)));
        assert_eq!(
            hmailserver_host("Remote server (two words) issued an error."),
            None
        );
    }

    #[test]
    fn gmails_brackets_name_the_host_only_before_its_address_and_error() {
        assert_eq!(
            bracketed_host("did not accept our requests [mx.example.com. 192.0.2.1: timed out]"),
            Some("mx.example.com")
        );
        assert_eq!(
            bracketed_host("[192.0.2.1      19] Our system has detected"),
            None
        );
        assert_eq!(bracketed_host("see the log [done. ok]"), None);
    }

    #[test]
    fn an_exim_bounce_gives_its_reply_recipient_host_and_command() {
        let mut nearby = Nearby::default();
        nearby.note("  bob@example.com", 10);
        nearby.note("    host mx.example.com [192.0.2.1]", 11);
        nearby.note(
            "    SMTP error from remote mail server after RCPT TO:<bob@example.com>:",
            12,
        );
        let mut reply = Delivery::new(Format::Reply);
        nearby.complete(&mut reply, 13);
        assert_eq!(reply.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(reply.host.as_deref(), Some("mx.example.com"));
        assert_eq!(reply.command, Some(Command::RcptTo));
    }

    #[test]
    fn a_qmail_bounce_gives_its_reply_recipient_host_and_command() {
        let mut nearby = Nearby::default();
        nearby.note("<bob@example.com>:", 5);
        nearby.note("192.0.2.5 does not like recipient.", 6);
        let mut reply = Delivery::new(Format::Said);
        nearby.complete(&mut reply, 7);
        assert_eq!(reply.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(reply.host.as_deref(), Some("192.0.2.5"));
        assert_eq!(reply.command, Some(Command::RcptTo));
    }

    #[test]
    fn gmails_response_is_read_only_under_its_sentence_and_lead() {
        let mut nearby = Nearby::default();
        nearby.note("The response was:", 3);
        assert!(nearby.response_due(4) && nearby.response_due(5) && !nearby.response_due(6));
        assert!(
            nearby.response_text("Mailbox full", 5).is_none(),
            "no sentence"
        );
        nearby.note(
            "There was a temporary problem delivering your message to ann@example.org. Gmail will retry.",
            10,
        );
        nearby.note("The response was:", 12);
        let d = nearby.response_text("The recipient's inbox is out of storage space.", 14);
        let d = d.unwrap();
        assert_eq!(d.recipient.as_deref(), Some("ann@example.org"));
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert!(nearby.response_text("   ", 13).is_none());
        assert!(nearby.response_text("late words", 15).is_none());
    }

    #[test]
    fn dominos_reason_is_read_under_the_address_it_lists() {
        let mut nearby = Nearby::default();
        nearby.note("was not delivered to:", 5);
        nearby.note("  bob@example.com", 7);
        nearby.note("because:", 9);
        assert!(nearby.due(11));
        let d = nearby
            .response_text(
                "  User bob (bob@example.com) not listed in Domino Directory",
                11,
            )
            .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.reported, Some(Reported::Failed));
        // Gmail's lead needs its sentence: an address line alone does not do.
        let mut gmail = Nearby::default();
        gmail.note("bob@example.com", 1);
        gmail.note("The response was:", 2);
        assert!(gmail.response_text("Mailbox full", 4).is_none());
    }

    #[test]
    fn a_sendmail_transcript_gives_its_host_to_every_reply_in_it() {
        let mut nearby = Nearby::default();
        nearby.note("... while talking to mx.example.com.:", 9);
        let mut first = Delivery::new(Format::Reply);
        nearby.complete(&mut first, 14);
        assert_eq!(first.host.as_deref(), Some("mx.example.com"));
        nearby.clear();
        let mut second = Delivery::new(Format::Reply);
        nearby.complete(&mut second, 18);
        assert_eq!(second.host.as_deref(), Some("mx.example.com"));
        let mut far = Delivery::new(Format::Reply);
        nearby.complete(&mut far, 9 + TRANSCRIPT_REACH + 1);
        assert_eq!(far.host, None);
        // An Exchange report's reply a few lines below is not the transcript's.
        let mut other = Delivery::new(Format::Exchange);
        nearby.complete(&mut other, 30);
        assert_eq!(other.host, None);
        // Nor is a domain's that did not resolve.
        let mut unresolved = Delivery::new(Format::Reply);
        unresolved.enhanced = Some("5.1.2".parse().unwrap());
        nearby.complete(&mut unresolved, 20);
        assert_eq!(unresolved.host, None);
    }

    #[test]
    fn facts_out_of_reach_or_cleared_are_not_given() {
        let mut nearby = Nearby::default();
        nearby.note("bob@example.com", 10);
        nearby.note("    host mx.example.com [192.0.2.1]", 12);
        let mut reply = Delivery::new(Format::Reply);
        nearby.complete(&mut reply, 10 + REACH + 1);
        assert_eq!(reply.recipient, None);
        assert_eq!(reply.host.as_deref(), Some("mx.example.com"));
        nearby.clear();
        let mut next = Delivery::new(Format::Reply);
        nearby.complete(&mut next, 13);
        assert_eq!((next.recipient, next.host), (None, None));
    }

    #[test]
    fn what_a_reply_says_itself_stays() {
        let mut nearby = Nearby::default();
        nearby.note("  bob@example.com", 1);
        nearby.note("    host mx.example.com [192.0.2.1]", 2);
        let mut reply = Delivery::new(Format::Reply);
        reply.recipient = Some(Cow::Borrowed("ann@example.com"));
        reply.command = Some(Command::EndOfData);
        nearby.complete(&mut reply, 3);
        assert_eq!(reply.recipient.as_deref(), Some("ann@example.com"));
        assert_eq!(reply.command, Some(Command::EndOfData));
        assert_eq!(reply.host.as_deref(), Some("mx.example.com"));
    }

    #[test]
    fn a_reason_is_due_right_under_an_address_two_spaces_in() {
        let mut nearby = Nearby::default();
        nearby.note("  bob@example.com", 7);
        assert!(nearby.reason_due(8));
        assert!(!nearby.reason_due(9));
        nearby.note("bob@example.com", 10);
        assert!(!nearby.reason_due(11), "not indented as Exim indents");
        nearby.note("   bob@example.com", 12);
        assert!(!nearby.reason_due(13));
        nearby.note("  bob@example.com", 14);
        nearby.clear();
        assert!(!nearby.reason_due(15));
    }

    #[test]
    fn a_sentence_for_people_names_the_recipient_a_few_lines_up() {
        let mut nearby = Nearby::default();
        nearby.note(
            "Your message wasn't delivered to bob@example.com because the address couldn't be \
             found, or is unable to receive mail.",
            3,
        );
        assert_eq!(nearby.address(9), Some("bob@example.com"));
        assert_eq!(nearby.address(10), None);
        nearby.note("Your message to ann@contoso.com couldn't be delivered.", 20);
        assert_eq!(nearby.address(22), Some("ann@contoso.com"));
        // An address line nearer the reply is its own.
        nearby.note("carl@contoso.com", 21);
        assert_eq!(nearby.address(22), Some("carl@contoso.com"));
        nearby.note(
            "There was a temporary problem delivering your message to dan@example.org. Gmail \
             will retry for 46 more hours.",
            30,
        );
        assert_eq!(nearby.address(33), Some("dan@example.org"));
        nearby.clear();
        nearby.note("Your message was read by everyone.", 40);
        assert_eq!(nearby.address(41), None);
    }

    #[test]
    fn notes_are_exim_bounce_lines_only() {
        assert!(looks_like_note(b"host mx.example.com [192.0.2.1]"));
        assert!(looks_like_note(
            b"SMTP error from remote mail server after end of data:"
        ));
        assert!(!looks_like_note(b"hostname mx.example.com"));
    }

    #[test]
    fn a_command_swaks_sent_reaches_the_reply_below_it() {
        let mut nearby = Nearby::default();
        assert!(looks_like_note(b"-> RCPT TO:<bob@example.com>"));
        nearby.note(" -> RCPT TO:<bob@example.com>", 10);
        let mut reply = Delivery::new(Format::Quoted);
        nearby.complete(&mut reply, 11);
        assert_eq!(reply.command, Some(Command::RcptTo));
        assert_eq!(reply.recipient.as_deref(), Some("bob@example.com"));
        // The sender of MAIL FROM is no recipient; the data's end is its own command.
        let mut nearby = Nearby::default();
        nearby.note(" ~> MAIL FROM:<alice@example.com>", 3);
        nearby.note(" ~> .", 4);
        let mut reply = Delivery::new(Format::Quoted);
        nearby.complete(&mut reply, 5);
        assert_eq!(reply.command, Some(Command::EndOfData));
        assert_eq!(reply.recipient, None);
    }
}
