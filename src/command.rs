//! The SMTP command a reply answered, as the MTAs word it in their logs and bounces:
//! Postfix `(in reply to RCPT TO command)`, Exim `after RCPT TO:<...>`, `after end of data`,
//! Postfix `connect to ...`, `while receiving the initial server greeting`.

use crate::phrase::{case_insensitive_matcher, Workload};
use aho_corasick::AhoCorasick;
use std::fmt;
use std::sync::OnceLock;

/// A step of the SMTP dialogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    /// The connection itself or the server's greeting.
    Connect,
    /// HELO or EHLO.
    Helo,
    StartTls,
    Auth,
    MailFrom,
    RcptTo,
    /// The DATA command, before any message content was sent.
    Data,
    /// The end of the message content (the final dot, or the last BDAT chunk).
    EndOfData,
}

impl Command {
    pub const fn as_str(self) -> &'static str {
        match self {
            Command::Connect => "connect",
            Command::Helo => "helo",
            Command::StartTls => "starttls",
            Command::Auth => "auth",
            Command::MailFrom => "mail_from",
            Command::RcptTo => "rcpt_to",
            Command::Data => "data",
            Command::EndOfData => "end_of_data",
        }
    }

    /// Whether the command comes before any recipient is named: a reply to it is not about a
    /// recipient's address.
    pub const fn precedes_recipients(self) -> bool {
        matches!(
            self,
            Command::Connect
                | Command::Helo
                | Command::StartTls
                | Command::Auth
                | Command::MailFrom
        )
    }

    /// How a person would write it: `RCPT TO`, `end of DATA`.
    pub const fn label(self) -> &'static str {
        match self {
            Command::Connect => "connect",
            Command::Helo => "HELO/EHLO",
            Command::StartTls => "STARTTLS",
            Command::Auth => "AUTH",
            Command::MailFrom => "MAIL FROM",
            Command::RcptTo => "RCPT TO",
            Command::Data => "DATA",
            Command::EndOfData => "end of DATA",
        }
    }

    /// The command named at the start of `words` (`RCPT TO:<x>`, `end of data`, `EHLO`...),
    /// as MTAs write it after "in reply to", "after" or "while sending".
    pub fn from_words(words: &str) -> Option<Command> {
        let words = crate::trim::trim_start(words);
        // Bytes, not `str`: no character boundary to check for each prefix tried.
        let bytes = words.as_bytes();
        let first = bytes.first()?.to_ascii_lowercase();
        let starts = |prefix: &str| {
            bytes
                .get(..prefix.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
        };
        // Exim writes "after pipelined RCPT TO:<...>".
        if first == b'p' && starts("pipelined ") {
            return Command::from_words(&words["pipelined ".len()..]);
        }
        // The names by their first letter, in the order they are tried.
        let names: &[(&str, Command)] = match first {
            b'e' => &[
                ("end of data", Command::EndOfData),
                ("end-of-message", Command::EndOfData),
                ("end of message", Command::EndOfData),
                ("ehlo", Command::Helo),
            ],
            b'm' => &[
                ("message body", Command::EndOfData),
                ("mail", Command::MailFrom),
            ],
            b's' => &[
                ("sending data block", Command::EndOfData),
                ("starttls", Command::StartTls),
            ],
            b'i' => &[("initial", Command::Connect)],
            b'c' => &[("connect", Command::Connect)],
            b'r' => &[("rcpt", Command::RcptTo)],
            b'd' => &[("data", Command::Data)],
            b'b' => &[("bdat", Command::EndOfData)],
            b'h' => &[("helo", Command::Helo)],
            b'l' => &[("lhlo", Command::Helo)],
            b'a' => &[("auth", Command::Auth)],
            _ => &[],
        };
        names
            .iter()
            .find(|(prefix, _)| {
                starts(prefix)
                    && bytes
                        .get(prefix.len())
                        .is_none_or(|b| !b.is_ascii_alphabetic())
            })
            .map(|(_, command)| *command)
    }

    /// The command a log or bounce text says the reply answered.
    pub fn find_in(text: &str) -> Option<Command> {
        /// The words before a command; the last one names the connection itself.
        const LEADS: [&str; 7] = [
            "in reply to ",
            "in response to ",
            "after ",
            "while sending ",
            "while receiving the ",
            "while performing the ",
            "refused to talk to me",
        ];
        static LEAD_MATCHER: OnceLock<AhoCorasick> = OnceLock::new();
        let matcher = LEAD_MATCHER.get_or_init(|| case_insensitive_matcher(LEADS, Workload::Many));
        let found = matcher.find_iter(text).find_map(|m| {
            if m.pattern().as_usize() == LEADS.len() - 1 {
                return Some(Command::Connect);
            }
            Command::from_words(&text[m.end()..])
        });
        let connect = || {
            text.get(..11)
                .is_some_and(|start| start.eq_ignore_ascii_case("connect to "))
                .then_some(Command::Connect)
        };
        found.or_else(connect)
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Written by its name, the same as `as_str` and the human output give.
impl serde::Serialize for Command {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_writes_the_name_the_readme_documents() {
        // README.md's command column: connect, helo, starttls, auth, mail_from, rcpt_to, data,
        // end_of_data. A derived name would have been start_tls.
        assert_eq!(
            serde_json::to_string(&Command::StartTls).unwrap(),
            "\"starttls\""
        );
        assert_eq!(
            serde_json::to_string(&Command::EndOfData).unwrap(),
            "\"end_of_data\""
        );
    }

    #[test]
    fn postfix_wording_names_the_command() {
        let find = Command::find_in;
        assert_eq!(
            find("User unknown (in reply to RCPT TO command)"),
            Some(Command::RcptTo)
        );
        assert_eq!(
            find("spam (in reply to end of DATA command)"),
            Some(Command::EndOfData)
        );
        assert_eq!(
            find("x (in reply to MAIL FROM command)"),
            Some(Command::MailFrom)
        );
        assert_eq!(find("x (in reply to DATA command)"), Some(Command::Data));
        assert_eq!(find("x (in reply to EHLO command)"), Some(Command::Helo));
        assert_eq!(
            find("connect to mx.example.com[192.0.2.1]:25: Connection timed out"),
            Some(Command::Connect)
        );
        assert_eq!(
            find("lost connection with mx[192.0.2.1] while receiving the initial server greeting"),
            Some(Command::Connect)
        );
        assert_eq!(
            find("host mx[192.0.2.1] refused to talk to me: 554 go away"),
            Some(Command::Connect)
        );
    }

    #[test]
    fn exim_wording_names_the_command() {
        let find = Command::find_in;
        assert_eq!(
            find("SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550"),
            Some(Command::RcptTo)
        );
        assert_eq!(
            find("after pipelined MAIL FROM:<> SIZE=1: 451"),
            Some(Command::MailFrom)
        );
        assert_eq!(
            find("after end of data: 554 5.7.1 spam"),
            Some(Command::EndOfData)
        );
        assert_eq!(
            find("after initial connection: 554"),
            Some(Command::Connect)
        );
        assert_eq!(
            find("Remote host closed connection in response to end of data"),
            Some(Command::EndOfData)
        );
        assert_eq!(
            find("Remote host mx [192.0.2.1] closed connection in response to RCPT TO:<a@b>"),
            Some(Command::RcptTo)
        );
    }

    #[test]
    fn text_without_a_command_has_none() {
        assert_eq!(Command::find_in("User unknown"), None);
        assert_eq!(Command::find_in("try again after dinner"), None);
        assert_eq!(Command::find_in("blocked in response to complaints"), None);
        assert_eq!(
            Command::find_in("after mailbox"),
            None,
            "a word that only starts like a command"
        );
    }
}
