//! Exchange's SMTP protocol logs (Exchange 2013 and later, `SmtpSend` and `SmtpReceive`), CSV
//! lines of one session's commands and replies:
//!
//! ```text
//! #Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
//! 2026-11-23T10:00:01.900Z,Internet,08DE2A1B3C4D5E6F,12,10.0.0.5:19045,198.51.100.7:25,>,RCPT TO:<bob@example.com>,
//! 2026-11-23T10:00:02.034Z,Internet,08DE2A1B3C4D5E6F,13,10.0.0.5:19045,198.51.100.7:25,<,550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown,
//! ```
//!
//! `<` is what came from the remote end, `>` what Exchange sent: in a send log the remote
//! server's replies come in, in a receive log Exchange's own replies go out. A refusal (a 4yz or
//! 5yz reply) is a result either way. Replies come in the order of the commands they answer, also
//! when the commands were pipelined, so the reader keeps each session's commands awaiting a reply
//! (`Sessions`): the command a refusal answers, and for `RCPT TO` its recipient.

use super::csv::Fields;
use super::delivery::{Delivery, Format};
use crate::command::Command;
use crate::response;
use std::borrow::Cow;
use std::collections::VecDeque;

/// One line of a protocol log that the reader uses.
#[derive(Debug, PartialEq, Eq)]
pub enum LogLine<'a> {
    /// A command of the session: its id and the command's data.
    Command {
        session: &'a str,
        data: Cow<'a, str>,
    },
    /// A reply: its time, the session, the remote endpoint, whether the reply came from it, its
    /// class digit, and whether it is the last line of its reply.
    Reply {
        time: &'a str,
        session: &'a str,
        remote: &'a str,
        incoming: bool,
        class: u8,
        last: bool,
        data: Cow<'a, str>,
    },
}

/// Whether a line may be a protocol log's: `2026-11-23T10:00:01.900Z,` first. Told by five bytes.
pub fn looks_like_line(bytes: &[u8]) -> bool {
    bytes.len() > 25
        && bytes[4] == b'-'
        && bytes[10] == b'T'
        && bytes[23] == b'Z'
        && bytes[24] == b','
}

/// Reads a protocol log line: a command or a reply; `None` for the rest (connects, TLS, the `#`
/// header).
pub fn parse(line: &str) -> Option<LogLine<'_>> {
    let mut fields = Fields::new(line);
    let time = fields.next()?;
    let _connector = fields.next()?;
    let session = fields.next()?;
    let _sequence = fields.next()?;
    let _local = fields.next()?;
    let remote = fields.next()?;
    let event = fields.next()?;
    let data = fields.next()?;
    let incoming = match event.as_ref() {
        "<" => true,
        ">" => false,
        _ => return None,
    };
    let (Cow::Borrowed(time), Cow::Borrowed(session), Cow::Borrowed(remote)) =
        (time, session, remote)
    else {
        return None;
    };
    match response::parse(&data).filter(|reply| reply.code.is_some()) {
        Some(reply) => {
            let class = reply.code.map_or(0, |code| code.class());
            let last = !reply.continued;
            Some(LogLine::Reply {
                time,
                session,
                remote,
                incoming,
                class,
                last,
                data,
            })
        }
        None => Some(LogLine::Command { session, data }),
    }
}

/// A refusal's record: the reply, the remote host (the server for a reply that came in, the
/// client for one Exchange sent).
fn refusal<'a>(data: &'a str, remote: &'a str, incoming: bool) -> Option<Delivery<'a>> {
    let reply = response::parse(data)?;
    let mut delivery = Delivery::new(Format::Exchange);
    delivery.take_reply(reply);
    // `198.51.100.7:25`, `[2001:db8::7]:25`.
    let host = match remote.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
        _ => remote,
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    delivery.host = (!host.is_empty()).then_some(Cow::Borrowed(host));
    delivery.host_is_client = !incoming;
    Some(delivery)
}

/// The commands of recent sessions that await a reply, so many sessions and commands at most.
#[derive(Debug, Default)]
pub struct Sessions {
    recent: VecDeque<Session>,
}

#[derive(Debug)]
struct Session {
    id: String,
    /// Commands sent and not yet answered, oldest first, with the recipient of a `RCPT TO`.
    pending: VecDeque<(Option<Command>, Option<String>)>,
    /// Commands sent after those, not kept: their replies come after the kept ones' and are
    /// read without command or recipient, so that the pairs stay in step.
    skipped: usize,
}

const SESSIONS: usize = 256;

/// Commands kept awaiting a reply in one session: Exchange pipelines a transaction's commands.
/// With `SESSIONS` and `WORD_BYTES`, this bounds what the reader keeps to about 2 MiB.
const PENDING: usize = 32;

/// The longest session id and address kept: longer ones are no Exchange's.
const WORD_BYTES: usize = 256;

impl Sessions {
    /// Reads a command or reply of the log: a command is kept for the reply that answers it; a
    /// refusal gives its record, with the command it answers, that command's recipient and the
    /// line's time.
    pub fn read<'a>(&mut self, line: LogLine<'a>) -> Option<Delivery<'a>> {
        let (time, session, remote, incoming, class, data) = match line {
            LogLine::Command { session, data } => {
                self.command(session, &data);
                return None;
            }
            LogLine::Reply { last: false, .. } => return None,
            LogLine::Reply {
                time,
                session,
                remote,
                incoming,
                class,
                data,
                ..
            } => (time, session, remote, incoming, class, data),
        };
        let (command, recipient) = self.answer(session, class == 3);
        if !matches!(class, 4 | 5) {
            return None;
        }
        let mut delivery = match data {
            Cow::Borrowed(data) => refusal(data, remote, incoming)?,
            Cow::Owned(data) => refusal(&data, remote, incoming)?.into_owned(),
        };
        delivery.command = command;
        delivery.recipient = recipient.map(Cow::Owned);
        delivery.timestamp = Some(Cow::Borrowed(time));
        Some(delivery)
    }

    /// Notes a command of a session, which a later reply answers.
    fn command(&mut self, session: &str, data: &str) {
        if session.len() > WORD_BYTES {
            return;
        }
        // The session ends: nothing it sent later needs a recipient.
        if data.eq_ignore_ascii_case("QUIT") {
            self.recent.retain(|s| s.id != session);
            return;
        }
        let command = Command::from_words(data);
        let recipient = (command == Some(Command::RcptTo))
            .then(|| super::delivery::address_at(data.split_once(':').map_or(data, |(_, a)| a)))
            .flatten()
            .filter(|address| address.len() <= WORD_BYTES)
            .map(str::to_string);
        let at = match self.recent.iter().position(|s| s.id == session) {
            Some(at) => at,
            None => {
                if self.recent.len() == SESSIONS {
                    self.recent.pop_front();
                }
                self.recent.push_back(Session {
                    id: session.to_string(),
                    pending: VecDeque::new(),
                    skipped: 0,
                });
                self.recent.len() - 1
            }
        };
        let noted = &mut self.recent[at];
        if noted.pending.len() == PENDING || noted.skipped > 0 {
            noted.skipped += 1;
        } else {
            noted.pending.push_back((command, recipient));
        }
    }

    /// The command a session's reply answers, and its recipient: the oldest awaiting one. A
    /// reply before any command answers the connection. After an intermediate reply (`354` to
    /// `DATA`), the next one answers the end of the message, which the log does not show.
    fn answer(&mut self, session: &str, intermediate: bool) -> (Option<Command>, Option<String>) {
        let Some(noted) = self.recent.iter_mut().find(|s| s.id == session) else {
            return (Some(Command::Connect), None);
        };
        if let Some(answered) = noted.pending.pop_front() {
            if intermediate && answered.0 == Some(Command::Data) {
                noted.pending.push_front((Some(Command::EndOfData), None));
            }
            return answered;
        }
        if noted.skipped > 0 {
            noted.skipped -= 1;
            return (None, None);
        }
        (Some(Command::Connect), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RCPT: &str = "2026-11-23T10:00:01.900Z,Internet,08DE2A1B3C4D5E6F,12,10.0.0.5:19045,\
                        198.51.100.7:25,>,RCPT TO:<bob@example.com>,";

    #[test]
    fn commands_and_replies_are_told_apart() {
        assert!(looks_like_line(RCPT.as_bytes()));
        assert_eq!(
            parse(RCPT),
            Some(LogLine::Command {
                session: "08DE2A1B3C4D5E6F",
                data: Cow::Borrowed("RCPT TO:<bob@example.com>")
            })
        );
        let line = "2026-11-23T10:00:02.034Z,Internet,08DE2A1B3C4D5E6F,13,10.0.0.5:19045,\
                    198.51.100.7:25,<,\"554 5.7.1 Service unavailable, Client host [192.0.2.1] \
                    blocked using \"\"zen.spamhaus.org\"\"\",";
        let Some(LogLine::Reply {
            session,
            remote,
            incoming,
            class,
            last,
            data,
            ..
        }) = parse(line)
        else {
            panic!("{:?}", parse(line));
        };
        assert_eq!(
            (session, remote, incoming, class, last),
            ("08DE2A1B3C4D5E6F", "198.51.100.7:25", true, 5, true)
        );
        assert_eq!(
            data,
            "554 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using \"zen.spamhaus.org\""
        );
        let accepted = "2026-11-23T10:00:02.034Z,Internet,08DE2A1B3C4D5E6F,14,10.0.0.5:19045,\
                        198.51.100.7:25,<,250 2.1.5 Ok,";
        assert!(matches!(
            parse(accepted),
            Some(LogLine::Reply {
                class: 2,
                last: true,
                ..
            })
        ));
        let connect = "2026-11-23T10:00:01.282Z,Internet,08DE2A1B3C4D5E6F,0,,198.51.100.7:25,*,,\
                       attempting to connect";
        assert_eq!(parse(connect), None);
        assert_eq!(parse("#Fields: date-time,connector-id,session-id"), None);
        assert!(!looks_like_line(
            b"2026-11-23T10:00:01.123456+00:00 mx1 postfix/smtp[1]: x"
        ));
    }

    #[test]
    fn a_refusal_gives_the_remote_host_without_its_port() {
        let d = refusal("550 5.1.1 User unknown", "198.51.100.7:25", true).unwrap();
        assert_eq!(d.host.as_deref(), Some("198.51.100.7"));
        assert!(!d.host_is_client);
        assert_eq!(d.code.unwrap().as_u16(), 550);
        let d = refusal(
            "530 5.7.1 Client was not authenticated",
            "[2001:db8::7]:2525",
            false,
        )
        .unwrap();
        assert_eq!(d.host.as_deref(), Some("2001:db8::7"));
        assert!(d.host_is_client);
    }

    #[test]
    fn replies_answer_the_commands_in_order() {
        let mut sessions = Sessions::default();
        assert_eq!(sessions.answer("S1", false), (Some(Command::Connect), None));
        sessions.command("S1", "MAIL FROM:<alice@example.org> SIZE=1234");
        sessions.command("S1", "RCPT TO:<bob@example.com>");
        sessions.command("S1", "RCPT TO:<carl@example.com> NOTIFY=FAILURE");
        sessions.command("S2", "RCPT TO:<dan@example.com>");
        assert_eq!(
            sessions.answer("S1", false),
            (Some(Command::MailFrom), None)
        );
        assert_eq!(
            sessions.answer("S1", false),
            (Some(Command::RcptTo), Some("bob@example.com".into()))
        );
        assert_eq!(
            sessions.answer("S2", false).1.as_deref(),
            Some("dan@example.com")
        );
        assert_eq!(
            sessions.answer("S1", false).1.as_deref(),
            Some("carl@example.com")
        );
        sessions.command("S1", "DATA");
        assert_eq!(sessions.answer("S1", true), (Some(Command::Data), None));
        assert_eq!(
            sessions.answer("S1", false),
            (Some(Command::EndOfData), None)
        );
        assert_eq!(sessions.answer("S1", false), (Some(Command::Connect), None));
        for n in 0..SESSIONS + 5 {
            sessions.command(&format!("T{n}"), "EHLO x");
        }
        assert_eq!(sessions.recent.len(), SESSIONS);
        // More commands than are kept: the replies stay in step with them.
        for n in 0..PENDING + 5 {
            sessions.command("T300", &format!("RCPT TO:<r{n}@example.com>"));
        }
        assert_eq!(sessions.recent.back().unwrap().pending.len(), PENDING);
        for n in 0..PENDING {
            assert_eq!(
                sessions.answer("T300", false).1,
                Some(format!("r{n}@example.com"))
            );
        }
        sessions.command("T300", "RCPT TO:<late@example.com>");
        for _ in 0..5 {
            assert_eq!(sessions.answer("T300", false), (None, None));
        }
        assert_eq!(
            sessions.answer("T300", false),
            (None, None),
            "sent while others were skipped"
        );
        sessions.command("T300", "RCPT TO:<next@example.com>");
        assert_eq!(
            sessions.answer("T300", false).1.as_deref(),
            Some("next@example.com")
        );
        sessions.command("T300", "QUIT");
        assert!(
            sessions.recent.iter().all(|s| s.id != "T300"),
            "a session ends at QUIT"
        );
    }
}
