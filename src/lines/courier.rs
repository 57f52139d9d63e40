//! Courier's delivery log lines (`courieresmtp`, `courierlocal` and its other delivery modules).
//!
//! Each delivery attempt of a recipient is logged as lines that start alike,
//! `id=00086A44.4E0A4F0C.00004C0C,from=<ann@example.org>,addr=<bob@example.com>`, and end:
//! - with the remote's reply or Courier's own words: `: 550 5.1.1 <bob@example.com>... User
//!   unknown`, `: Connection refused` (a multi-line reply takes a line for each of its lines);
//! - with the attempt's status, after those: `,status: deferred` or `,status: failure`;
//! - or, for a delivery, `,size=1234,success: delivered: mx.example.com [192.0.2.1]`.
//!
//! A reply with its code is the attempt's result, and the status after it says nothing more; words
//! without a code are the result of the status line after them. `Recent` keeps what a status line
//! needs of the lines before it.

use super::delivery::{host_name, Delivery, Format};
use super::prefix::Prefix;
use crate::classify::Reported;
use crate::code::{EnhancedCode, ReplyCode};
use crate::command::Command;
use crate::response;
use std::borrow::Cow;
use std::collections::VecDeque;

/// The field that names the recipient on each of Courier's delivery lines.
const FIELD: &str = ",addr=<";

/// What the line reader searches for: the end of `FIELD`, whose first bytes (`,a`) start too
/// much of a log's words for the search (1.1 % of a log without results, this 0).
pub const MARKER: &str = "ddr=<";

/// Whether the marker found at `at` in `bytes` ends `FIELD` (Sendmail's `ctladdr=<` does not).
pub fn is_field(bytes: &[u8], at: usize) -> bool {
    at >= 2 && &bytes[at - 2..at] == b",a"
}

/// What one of Courier's delivery lines says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    pub id: &'a str,
    pub recipient: &'a str,
    pub event: Event<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event<'a> {
    /// The remote's reply, or Courier's words: `: 550 5.1.1 ...`, `: Connection refused`.
    Words(&'a str),
    /// `,status: deferred` or `,status: failure`.
    Status(Reported),
    /// `,success: delivered: mx.example.com [192.0.2.1]`.
    Delivered(&'a str),
}

/// Reads a line of a Courier program (`courier...`); `None` for its other lines.
pub fn parse<'a>(prefix: &Prefix<'a>) -> Option<Line<'a>> {
    if !prefix.program.is_some_and(|p| p.starts_with("courier")) {
        return None;
    }
    let rest = prefix.rest.strip_prefix("id=")?;
    let (id, rest) = rest.split_once(',')?;
    let at = rest.find(FIELD)?;
    let after = &rest[at + FIELD.len()..];
    let close = after.find('>')?;
    let recipient = &after[..close];
    let tail = &after[close + 1..];
    let event = if let Some(words) = tail.strip_prefix(": ") {
        Event::Words(words.trim())
    } else {
        // Fields may come before the status: `,size=1234,success: ...`.
        let fields = tail.strip_prefix(',')?;
        if let Some(at) = fields.find("success: ") {
            Event::Delivered(fields[at + "success: ".len()..].trim())
        } else {
            let (_, status) = fields.split_once("status: ")?;
            Event::Status(match status.trim() {
                "deferred" => Reported::Deferred,
                "failure" => Reported::Failed,
                "success" => Reported::Delivered,
                _ => return None,
            })
        }
    };
    (!id.is_empty() && !recipient.is_empty()).then_some(Line {
        id,
        recipient,
        event,
    })
}

/// How many attempts awaiting their status are kept: Courier runs deliveries side by side, so
/// their lines interleave, but each attempt's lines come close together.
const KEPT: usize = 64;

/// What the lines of attempts whose status has not come yet said.
#[derive(Debug, Default)]
pub struct Recent {
    attempts: VecDeque<Attempt>,
}

#[derive(Debug)]
struct Attempt {
    id: String,
    recipient: String,
    code: Option<ReplyCode>,
    enhanced: Option<EnhancedCode>,
    text: String,
    command: Option<Command>,
    /// The reply was given as the result already: the status after it adds nothing.
    reported: bool,
    /// More lines of the reply follow (`550-...`).
    continued: bool,
}

impl Attempt {
    /// Gives `delivery` what the attempt's lines said: the reply's codes, its words, the command.
    fn give(&self, delivery: &mut Delivery<'static>) {
        delivery.code = self.code;
        delivery.enhanced = self.enhanced;
        delivery.command = self.command;
        delivery.text = Cow::Owned(self.text.clone());
    }
}

impl Recent {
    /// The result `line` gives, if any, with what the lines before it said.
    pub fn read(&mut self, line: Line<'_>) -> Option<Delivery<'static>> {
        let mut delivery = Delivery::new(Format::Courier);
        delivery.queue_id = Some(Cow::Owned(line.id.to_string()));
        delivery.recipient = Some(Cow::Owned(line.recipient.to_string()));
        match line.event {
            Event::Delivered(words) => {
                self.take(&line);
                delivery.reported = Some(Reported::Delivered);
                delivery.host = words
                    .strip_prefix("delivered: ")
                    .and_then(host_name)
                    .map(|host| Cow::Owned(host.to_string()));
                delivery.text = Cow::Owned(words.to_string());
                Some(delivery)
            }
            Event::Status(status) => {
                delivery.reported = Some(status);
                match self.take(&line) {
                    Some(attempt) if attempt.reported => None,
                    Some(attempt) => {
                        attempt.give(&mut delivery);
                        Some(delivery)
                    }
                    None => Some(delivery),
                }
            }
            Event::Words(words) => {
                let attempt = self.attempt(&line);
                // The command Courier sent, as its transcript shows it: `>>> RCPT TO:<bob@...>`.
                if let Some(sent) = words.strip_prefix(">>> ") {
                    attempt.command = Command::from_words(sent).or(attempt.command);
                    return None;
                }
                match response::parse(words).filter(|reply| reply.code.is_some()) {
                    Some(reply) => {
                        let joined = attempt.continued && attempt.code == reply.code;
                        if !joined {
                            attempt.text.clear();
                        }
                        attempt.code = reply.code;
                        attempt.enhanced = reply.enhanced.or(attempt.enhanced.filter(|_| joined));
                        append(&mut attempt.text, reply.text);
                        attempt.continued = reply.continued;
                        if reply.continued {
                            return None;
                        }
                        attempt.reported = true;
                        attempt.give(&mut delivery);
                        Some(delivery)
                    }
                    None => {
                        attempt.text.clear();
                        append(&mut attempt.text, words);
                        attempt.code = None;
                        attempt.enhanced = None;
                        attempt.continued = false;
                        attempt.reported = false;
                        None
                    }
                }
            }
        }
    }

    /// The kept attempt of `line`'s message and recipient, taken out.
    fn take(&mut self, line: &Line<'_>) -> Option<Attempt> {
        let at = self.position(line)?;
        self.attempts.remove(at)
    }

    /// The kept attempt of `line`'s message and recipient, a new one if none is kept.
    fn attempt(&mut self, line: &Line<'_>) -> &mut Attempt {
        let at = match self.position(line) {
            Some(at) => at,
            None => {
                if self.attempts.len() == KEPT {
                    self.attempts.pop_front();
                }
                self.attempts.push_back(Attempt {
                    id: line.id.to_string(),
                    recipient: line.recipient.to_string(),
                    code: None,
                    enhanced: None,
                    text: String::new(),
                    command: None,
                    reported: false,
                    continued: false,
                });
                self.attempts.len() - 1
            }
        };
        &mut self.attempts[at]
    }

    fn position(&self, line: &Line<'_>) -> Option<usize> {
        self.attempts
            .iter()
            .rposition(|a| a.id == line.id && a.recipient == line.recipient)
    }
}

/// What one attempt's words keep at most: a reply's lines beyond it are dropped.
const TEXT_CAP: usize = 4096;

fn append(text: &mut String, more: &str) {
    if text.len() + more.len() + 1 > TEXT_CAP {
        return;
    }
    if !text.is_empty() && !more.is_empty() {
        text.push(' ');
    }
    text.push_str(more);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::prefix;

    const LEAD: &str = "Dec  7 10:00:01 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001234,from=<ann@example.org>,addr=<bob@example.com>";

    fn line(text: &str) -> Option<Line<'_>> {
        parse(&prefix::split(text))
    }

    fn read(recent: &mut Recent, tail: &str) -> Option<Delivery<'static>> {
        let text = format!("{LEAD}{tail}");
        recent.read(line(&text).expect("a Courier line"))
    }

    #[test]
    fn the_lines_of_an_attempt_are_told_apart() {
        let text = format!("{LEAD}: 550 5.1.1 User unknown");
        let l = line(&text).unwrap();
        assert_eq!(l.id, "0001A2B3.5F3A2B1C.00001234");
        assert_eq!(l.recipient, "bob@example.com");
        assert_eq!(l.event, Event::Words("550 5.1.1 User unknown"));
        let text = format!("{LEAD},status: deferred");
        assert_eq!(
            line(&text).unwrap().event,
            Event::Status(Reported::Deferred)
        );
        let text = format!("{LEAD},size=2345,success: delivered: mx.example.com [192.0.2.1]");
        assert_eq!(
            line(&text).unwrap().event,
            Event::Delivered("delivered: mx.example.com [192.0.2.1]")
        );
        for other in [
            // Another program's line of the same shape, Courier's other lines.
            "Dec  7 10:00:01 mx postfix/smtp[1]: id=1,from=<a@b>,addr=<c@d>: 550 5.1.1 x",
            "Dec  7 10:00:01 mx courierd: newmsg,id=0001A2B3.5F3A2B1C.00001234: dns; localhost",
            "Dec  7 10:00:01 mx courieresmtp: id=1,from=<a@b>,addr=<c@d>,status: odd",
        ] {
            assert_eq!(line(other), None, "{other}");
        }
    }

    #[test]
    fn a_reply_with_a_code_is_the_result_and_its_status_adds_none() {
        let mut recent = Recent::default();
        let d = read(&mut recent, ": 550 5.1.1 <bob@example.com>... User unknown").unwrap();
        assert_eq!(d.format, Format::Courier);
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.text, "<bob@example.com>... User unknown");
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.queue_id.as_deref(), Some("0001A2B3.5F3A2B1C.00001234"));
        assert_eq!(read(&mut recent, ",status: failure"), None);
        // Forgotten once its status came: a status alone is a result of its own.
        let d = read(&mut recent, ",status: failure").unwrap();
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.code, None);
    }

    #[test]
    fn words_without_a_code_are_the_result_of_the_status_after_them() {
        let mut recent = Recent::default();
        assert_eq!(read(&mut recent, ": Connection refused"), None);
        let d = read(&mut recent, ",status: deferred").unwrap();
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.text, "Connection refused");
    }

    #[test]
    fn a_multi_line_reply_is_joined_and_its_transcript_gives_the_command() {
        let mut recent = Recent::default();
        assert_eq!(read(&mut recent, ": >>> RCPT TO:<bob@example.com>"), None);
        assert_eq!(
            read(&mut recent, ": 550-5.1.1 The email account that you tried"),
            None
        );
        let d = read(&mut recent, ": 550 5.1.1 to reach does not exist.").unwrap();
        assert_eq!(
            d.text,
            "The email account that you tried to reach does not exist."
        );
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.command, Some(Command::RcptTo));
    }

    #[test]
    fn a_delivery_gives_the_host_and_only_so_many_attempts_are_kept() {
        let mut recent = Recent::default();
        let d = read(
            &mut recent,
            ",size=2345,success: delivered: mx.example.com [192.0.2.1]",
        )
        .unwrap();
        assert_eq!(d.reported, Some(Reported::Delivered));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        for n in 0..KEPT * 2 {
            let text = format!(
                "Dec  7 10:00:01 mx courieresmtp: id={n},from=<a@b>,addr=<c@d>: Connection refused"
            );
            assert_eq!(recent.read(line(&text).unwrap()), None);
        }
        assert_eq!(recent.attempts.len(), KEPT);
    }
}
