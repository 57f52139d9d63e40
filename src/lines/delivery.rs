//! What a recognizer reads from a line (or from a group of lines): the facts of one delivery
//! attempt, borrowed from the input where it can.

use crate::classify::{Facts, Reported};
use crate::code::{EnhancedCode, ReplyCode};
use crate::command::Command;
use crate::response::{self, Response};
use crate::tables::ServiceClass;
use crate::trim::{trim, trim_end};
use std::borrow::Cow;

/// Which recognizer read the record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// A raw SMTP reply, single or multi-line.
    Reply,
    Postfix,
    Exim,
    /// Sendmail, and OpenSMTPD which words its results the same way (`stat=`).
    Sendmail,
    /// Delivery-status fields of a bounce (RFC 3464).
    Dsn,
    /// Exchange / Microsoft 365 non-delivery report text.
    Exchange,
    /// Another MTA's log or bounce line quoting a remote reply (`host ... said: 550 ...`).
    Said,
    /// qmail's own words in its bounces, its status at their end (`... (#5.1.1)`).
    Qmail,
    /// A record of PowerMTA's accounting file.
    PowerMta,
    /// Sending services' events (`esp_event`).
    Ses,
    SendGrid,
    Mailgun,
    Postmark,
    SparkPost,
    Mandrill,
    Mailjet,
    Brevo,
    /// KumoMTA's JSON log records (`esp_event`).
    KumoMta,
    /// Courier's delivery log lines.
    Courier,
    /// amavis's verdict on a message it checked, with its reply to the MTA.
    Amavis,
    /// A reply quoted in another program's line: a mail library's error, an application's log.
    Quoted,
}

impl Format {
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Reply => "reply",
            Format::Postfix => "postfix",
            Format::Exim => "exim",
            Format::Sendmail => "sendmail",
            Format::Dsn => "dsn",
            Format::Exchange => "exchange",
            Format::Said => "said",
            Format::Qmail => "qmail",
            Format::PowerMta => "powermta",
            Format::Ses => "ses",
            Format::SendGrid => "sendgrid",
            Format::Mailgun => "mailgun",
            Format::Postmark => "postmark",
            Format::SparkPost => "sparkpost",
            Format::Mandrill => "mandrill",
            Format::Mailjet => "mailjet",
            Format::Brevo => "brevo",
            Format::KumoMta => "kumomta",
            Format::Courier => "courier",
            Format::Amavis => "amavis",
            Format::Quoted => "quoted",
        }
    }
}

/// A line of a log of events, one event a line, of which only some are results.
#[derive(Debug, PartialEq, Eq)]
pub enum Record {
    /// A result of a recipient's delivery.
    Result(Delivery<'static>),
    /// Another event of the log.
    Other,
}

/// The facts of one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery<'a> {
    pub format: Format,
    pub timestamp: Option<Cow<'a, str>>,
    pub queue_id: Option<Cow<'a, str>>,
    pub recipient: Option<Cow<'a, str>>,
    /// The line's further results, a record each: its other recipients (Sendmail's
    /// `to=<a@example.com>,<b@example.com>`, an SES event's recipients) or its other events (an
    /// array of SendGrid's).
    pub others: Vec<Delivery<'a>>,
    /// The remote host: the server that replied, or the client a local server rejected.
    pub host: Option<Cow<'a, str>>,
    /// The host is a client this server rejected, not a server that replied.
    pub host_is_client: bool,
    pub command: Option<Command>,
    pub reported: Option<Reported>,
    pub code: Option<ReplyCode>,
    pub enhanced: Option<EnhancedCode>,
    /// The reply text, or the reporter's words when there was no reply.
    pub text: Cow<'a, str>,
    /// The sending service's own class of the failure, when its event gives one.
    pub class: Option<&'static ServiceClass>,
    /// The wait before the next attempt, in seconds, when the line gives it as a field of its
    /// own (Mailgun's `retry-seconds`) rather than in the reply's words.
    pub retry_after: Option<u64>,
}

impl<'a> Delivery<'a> {
    pub fn new(format: Format) -> Self {
        Delivery {
            format,
            timestamp: None,
            queue_id: None,
            recipient: None,
            others: Vec::new(),
            host: None,
            host_is_client: false,
            command: None,
            reported: None,
            code: None,
            enhanced: None,
            text: Cow::Borrowed(""),
            class: None,
            retry_after: None,
        }
    }

    /// True when there is something to classify.
    pub fn has_result(&self) -> bool {
        self.code.is_some() || self.enhanced.is_some() || self.reported.is_some()
    }

    /// What the classifier needs.
    pub fn facts(&self) -> Facts<'_> {
        Facts {
            code: self.code,
            enhanced: self.enhanced,
            text: &self.text,
            reported: self.reported,
            // A rejected client's host says who sent, not whose reply it is.
            host: self.host.as_deref().filter(|_| !self.host_is_client),
            class: self.class,
            command: self.command,
        }
    }

    /// Takes the reply found in `detail` (codes and text), or keeps `detail` as the text when it
    /// quotes no reply. The command comes from the wording around the reply.
    pub fn read_detail(&mut self, detail: &'a str) {
        self.read_detail_at(detail, None);
    }

    /// `read_detail` when the caller knows where the reply should start (after Postfix's
    /// `said: `): it is read there first, and searched for only when none stands there.
    pub fn read_detail_at(&mut self, detail: &'a str, reply_at: Option<usize>) {
        // Postfix's "(in reply to X command)" closes the detail: read it there before searching.
        let note = needle!(NOTE).rfind(detail);
        let noted = note.and_then(|at| Command::from_words(&detail[at + NOTE.len()..]));
        self.command = self.command.or(noted).or_else(|| Command::find_in(detail));
        let found = reply_at
            .and_then(|at| reply_after(detail, at))
            .or_else(|| find_reply(detail));
        match found {
            Some((reply, _)) => {
                // The note found in the detail is the reply's when it lies inside the reply's text.
                let text = match (note, subslice_at(detail, reply.text)) {
                    (Some(at), Some(from))
                        if at >= from && at + NOTE.len() <= from + reply.text.len() =>
                    {
                        strip_note_at(reply.text, Some(at - from))
                    }
                    _ => strip_command_note(reply.text),
                };
                self.take_reply_text(reply, text);
            }
            None => self.text = Cow::Borrowed(strip_note_at(detail, note)),
        }
    }

    /// Takes the codes and the text of a reply; an enhanced code already read (Postfix `dsn=`)
    /// stays when the reply has none, at its start or, as qmail writes it, at its end.
    pub fn take_reply(&mut self, reply: Response<'a>) {
        let text = strip_command_note(reply.text);
        self.take_reply_text(reply, text);
    }

    /// `take_reply`, with the reply's text already stripped of its command note.
    fn take_reply_text(&mut self, reply: Response<'a>, text: &'a str) {
        self.code = reply.code.or(self.code);
        let trailing = || {
            response::trailing_status(text)
                .filter(|status| reply.code.is_none_or(|code| code.class() == status.class()))
        };
        self.enhanced = reply.enhanced.or_else(trailing).or(self.enhanced);
        self.text =
            response::strip_repeated_codes(reply.code, reply.enhanced, reply.continued, text);
    }

    /// Converts every borrowed field into an owned one, to keep it past its line.
    pub fn into_owned(self) -> Delivery<'static> {
        fn own(field: Option<Cow<'_, str>>) -> Option<Cow<'static, str>> {
            field.map(|f| Cow::Owned(f.into_owned()))
        }
        Delivery {
            format: self.format,
            timestamp: own(self.timestamp),
            queue_id: own(self.queue_id),
            recipient: own(self.recipient),
            others: self.others.into_iter().map(Delivery::into_owned).collect(),
            host: own(self.host),
            host_is_client: self.host_is_client,
            command: self.command,
            reported: self.reported,
            code: self.code,
            enhanced: self.enhanced,
            text: Cow::Owned(self.text.into_owned()),
            class: self.class,
            retry_after: self.retry_after,
        }
    }
}

/// The first reply quoted in `text`: at its start, or after a `": "`, `"said: "`, `"("` or
/// `"'"`, whichever comes first. A reply needs a basic code, or an enhanced code followed by text.
pub fn find_reply(text: &str) -> Option<(Response<'_>, usize)> {
    if let Some(reply) = reply_at_start(text) {
        return Some((reply, 0));
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = memchr::memchr3(b':', b'(', b'\'', &bytes[at..]) {
        if let Some(found) = reply_after(text, at + offset + 1) {
            return Some(found);
        }
        at += offset + 1;
    }
    None
}

/// The reply that starts at `at` in `text`, after spaces, with a digit; and where it starts.
fn reply_after(text: &str, at: usize) -> Option<(Response<'_>, usize)> {
    let bytes = text.as_bytes();
    let mut start = at;
    while bytes.get(start) == Some(&b' ') {
        start += 1;
    }
    if !bytes.get(start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    reply_at_start(&text[start..]).map(|reply| (reply, start))
}

fn reply_at_start(text: &str) -> Option<Response<'_>> {
    let reply = response::parse(text)?;
    (reply.code.is_some() || !reply.text.is_empty()).then_some(reply)
}

/// Removes a trailing `(in reply to RCPT TO command)` and the `)` left by Postfix's parentheses.
pub fn strip_command_note(text: &str) -> &str {
    strip_note_at(text, needle!(NOTE).rfind(trim_end(text)))
}

/// What starts Postfix's note of the command a reply answered.
const NOTE: &str = " (in reply to ";

/// `strip_command_note`, the last ` (in reply to ` of `text` being at `note`. Trailing spaces
/// after the `)` cannot hold one, so the text's last is its trimmed text's last.
fn strip_note_at(text: &str, note: Option<usize>) -> &str {
    let text = trim_end(text);
    match note {
        Some(at) if text.ends_with(')') => text[..at].trim_end(),
        _ => text,
    }
}

/// Where `part` starts in `whole`, when it is a slice of it.
fn subslice_at(whole: &str, part: &str) -> Option<usize> {
    let from = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (from + part.len() <= whole.len()).then_some(from)
}

/// The domain of an address, lower-cased: `Bob@Example.COM` gives `example.com`.
pub fn domain_of(address: &str) -> Option<Cow<'_, str>> {
    let at = memchr::memrchr(b'@', address.as_bytes())?;
    let domain = &address[at + 1..];
    let domain = domain.trim_end_matches(['>', '.']);
    if domain.is_empty() {
        return None;
    }
    Some(if domain.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(domain.to_ascii_lowercase())
    } else {
        Cow::Borrowed(domain)
    })
}

/// The value of an address field: `<bob@example.com>` or `bob@example.com`, up to the next
/// `>`, `,`, space or quote.
pub fn address_at(text: &str) -> Option<&str> {
    let text = text.strip_prefix('"').unwrap_or(text);
    let value = match text.strip_prefix('<') {
        Some(inner) => &inner[..memchr::memchr(b'>', inner.as_bytes())?],
        None => {
            let end = text
                .bytes()
                .position(|b| matches!(b, b',' | b' ' | b'"' | b'\t'));
            &text[..end.unwrap_or(text.len())]
        }
    };
    let value = value.trim_end_matches([':', ';']);
    (!value.is_empty()).then_some(value)
}

/// `mx.example.com[192.0.2.1]:25` or `mx.example.com. [192.0.2.1]` gives `mx.example.com`;
/// `unknown[192.0.2.1]` and Exim's `(helo) [192.0.2.1]` give `192.0.2.1`; OpenSMTPD's
/// `192.0.2.1 (mx.example.com)` gives the name after the address; `none` gives nothing.
pub fn host_name(relay: &str) -> Option<&str> {
    let relay = trim(relay);
    let (name, rest) = match memchr::memchr3(b'[', b' ', b'(', relay.as_bytes()) {
        Some(at) => (&relay[..at], &relay[at..]),
        None => (relay, ""),
    };
    let is_ip = |word: &str| {
        let bytes = word.as_bytes();
        (bytes.contains(&b'.') && bytes.iter().all(|&b| b.is_ascii_digit() || b == b'.'))
            || (bytes.contains(&b':')
                && bytes
                    .iter()
                    .all(|&b| b.is_ascii_hexdigit() || matches!(b, b'.' | b':')))
    };
    if let Some((inner, _)) = rest.strip_prefix(" (").and_then(|r| r.split_once(')')) {
        let inner = inner.trim_end_matches('.');
        if is_ip(name) && inner.contains('.') && !inner.contains([' ', '(']) && !is_ip(inner) {
            return Some(inner);
        }
    }
    let name = name.trim_end_matches('.');
    if name.is_empty() || name == "unknown" {
        let mut rest = rest;
        // A client that gave no name: its HELO in parentheses, then its address.
        if let Some((_, after)) = rest
            .strip_prefix('(')
            .and_then(|paren| paren.split_once(')'))
        {
            if after.starts_with(" [") {
                rest = after;
            }
        }
        let ip = rest.trim_start_matches([' ', '[', '(']);
        let end = ip.bytes().position(|b| matches!(b, b']' | b')'));
        let ip = &ip[..end.unwrap_or(ip.len())];
        return (!ip.is_empty()).then_some(ip);
    }
    (name != "none").then_some(name)
}

/// Written by its name, the same as `as_str` and the human output give.
impl serde::Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_quoted_reply_is_found() {
        let (reply, _) =
            find_reply("host mx.example.com[192.0.2.1] said: 550 5.1.1 <b@x>: User unknown")
                .unwrap();
        assert_eq!(reply.code.unwrap().as_u16(), 550);
        assert_eq!(reply.text, "<b@x>: User unknown");
        let (reply, _) = find_reply("Deferred: 421 4.7.0 Try again later").unwrap();
        assert_eq!(reply.code.unwrap().as_u16(), 421);
        assert!(find_reply("connect to mx[192.0.2.1]:25: Connection timed out").is_none());
        assert!(find_reply("delivered to mailbox").is_none());
    }

    #[test]
    fn addresses_hosts_and_domains_are_read_from_their_fields() {
        assert_eq!(
            address_at("<bob@example.com>, relay=x"),
            Some("bob@example.com")
        );
        assert_eq!(
            address_at("bob@example.com, ctladdr"),
            Some("bob@example.com")
        );
        assert_eq!(address_at("<>"), None);
        assert_eq!(
            host_name("mx.example.com[192.0.2.1]:25"),
            Some("mx.example.com")
        );
        assert_eq!(
            host_name("mx.example.com. [192.0.2.1]"),
            Some("mx.example.com")
        );
        assert_eq!(host_name("unknown[192.0.2.1]"), Some("192.0.2.1"));
        assert_eq!(
            host_name("(helo.example) [192.0.2.1]:4321"),
            Some("192.0.2.1")
        );
        assert_eq!(host_name("none"), None);
        assert_eq!(
            host_name("198.51.100.7 (mx1.example.net)"),
            Some("mx1.example.net")
        );
        assert_eq!(host_name("198.51.100.7"), Some("198.51.100.7"));
        assert_eq!(
            host_name("mx.example.net (198.51.100.7)"),
            Some("mx.example.net")
        );
        assert_eq!(domain_of("Bob@Example.COM").as_deref(), Some("example.com"));
        assert_eq!(domain_of("postmaster"), None);
    }

    #[test]
    fn the_command_note_is_not_part_of_the_text() {
        assert_eq!(
            strip_command_note("User unknown (in reply to RCPT TO command)"),
            "User unknown"
        );
        assert_eq!(strip_command_note("User unknown"), "User unknown");
    }
}
