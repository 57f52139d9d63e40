//! qmail's bounce text (and that of its offspring, netqmail, notqmail, s/qmail): each failed
//! recipient gets a paragraph, `<bob@example.com>:`, then qmail's own words ending in its status,
//! or what the remote host did and said:
//!
//! ```text
//! <ann@example.invalid>:
//! Sorry, I couldn't find any host named example.invalid. (#5.1.2)
//!
//! <bob@example.net>:
//! 192.0.2.5 does not like recipient.
//! Remote host said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown
//! Giving up on 192.0.2.5.
//! ```
//!
//! The status line is read here; the address and `does not like` lines are noted by
//! `nearby`, and the `Remote host said:` line is read by `said`. Yahoo's bounces, qmail-born,
//! put a reply with a colon after its code under the address (`colon_reply`).

use super::delivery::{Delivery, Format};
use crate::code::ReplyCode;
use crate::command::Command;
use crate::response;
use crate::trim::trim;
use std::borrow::Cow;

/// A line of qmail's own words that ends with its status: `... (#5.1.1)`.
pub fn parse(line: &str) -> Option<Delivery<'_>> {
    let line = trim(line);
    let enhanced = response::trailing_status(line)?;
    let mut delivery = Delivery::new(Format::Qmail);
    delivery.enhanced = Some(enhanced);
    delivery.text = Cow::Borrowed(line);
    Some(delivery)
}

/// A failure reply written with a colon after its code: `554: delivery error: dd Sorry your
/// message to bob@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta...`.
/// Read only under a recipient's address line (the caller checks), since a number and a colon
/// start many other lines.
pub fn colon_reply(line: &str) -> Option<Delivery<'_>> {
    let line = trim(line);
    let (digits, text) = line.split_at_checked(3)?;
    let text = text.strip_prefix(": ")?;
    let code: ReplyCode = digits.parse().ok()?;
    if !matches!(code.class(), 4 | 5) {
        return None;
    }
    let mut delivery = Delivery::new(Format::Qmail);
    delivery.code = Some(code);
    delivery.text = Cow::Borrowed(trim(text));
    // `552: 5.2.2 Mailbox full`: an enhanced code of the reply's class may follow the colon.
    if let Some(reply) = response::parse(text)
        .filter(|reply| reply.code.is_none())
        .filter(|reply| reply.enhanced.is_some_and(|e| e.class() == code.class()))
    {
        delivery.enhanced = reply.enhanced;
        delivery.text = Cow::Borrowed(reply.text);
    }
    Some(delivery)
}

/// Whether a line may be one of qmail's: a status line (a digit and `)` last, `(#` shortly before
/// them), a `remote_step` (a full stop last) or qmail-send's log of a result (see `qmail_log`).
/// Told by the last bytes first: most lines go no further.
pub fn looks_like_line(bytes: &[u8]) -> bool {
    let bytes = match bytes.last() {
        Some(b' ' | b'\t' | b'\r') => bytes.trim_ascii_end(),
        _ => bytes,
    };
    match bytes {
        // `(#5.1.1)`: a digit before the parenthesis, `(#` a few bytes back.
        [.., digit, b')'] if digit.is_ascii_digit() => {
            let tail = &bytes[bytes.len().saturating_sub(13)..];
            tail.windows(2).any(|pair| pair == b"(#")
        }
        [.., b'.'] => {
            bytes.starts_with(b"Connected to ")
                || bytes.ends_with(b" does not like recipient.")
                || bytes.ends_with(b" does not like sender.")
                || bytes.ends_with(b" failed after I sent the message.")
        }
        // qmail-send's log of a result: each line of the report ends with `/`.
        [.., b'/'] => super::qmail_log::looks_like_result(bytes),
        _ => false,
    }
}

/// What qmail says it did before the remote host answered: `192.0.2.5 does not like
/// recipient.`, `Connected to 192.0.2.5 but sender was rejected.`; the host and the command.
pub fn remote_step(line: &str) -> Option<(&str, Option<Command>)> {
    let line = trim(line);
    let line = line.strip_suffix('.').unwrap_or(line);
    if let Some((host, what)) = line.split_once(" does not like ") {
        let command = match what {
            "recipient" => Some(Command::RcptTo),
            "sender" => Some(Command::MailFrom),
            _ => None,
        };
        return (!host.contains(' ')).then_some((host, command));
    }
    // After the message: the reply below came at the end of its data.
    if let Some(host) = line.strip_suffix(" failed after I sent the message") {
        return (!host.contains(' ')).then_some((host, Some(Command::EndOfData)));
    }
    let rest = line.strip_prefix("Connected to ")?;
    let (host, what) = rest.split_once(" but ")?;
    let command = match what {
        "sender was rejected" => Some(Command::MailFrom),
        "my name was rejected" => Some(Command::Helo),
        "greeting failed" | "connection died" => Some(Command::Connect),
        _ => None,
    };
    (!host.contains(' ')).then_some((host, command))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_colon_reply_is_a_failure_code_then_a_colon() {
        let d = colon_reply(
            "554: delivery error: dd Sorry your message to bob@yahoo.com cannot be delivered. \
             This mailbox is disabled (554.30). - mta1234.mail.bf1.yahoo.com",
        )
        .unwrap();
        assert_eq!(d.code.map(|c| c.as_u16()), Some(554));
        assert!(d.text.starts_with("delivery error: dd Sorry"));
        assert_eq!(d.enhanced, None);
        let d = colon_reply("552: 5.2.2 Mailbox full").unwrap();
        assert_eq!(d.enhanced.map(|e| e.to_string()).as_deref(), Some("5.2.2"));
        assert_eq!(d.text, "Mailbox full");
        let d = colon_reply("552: 4.2.2 Mailbox full").unwrap();
        assert_eq!(
            d.enhanced, None,
            "an enhanced code of another class is text"
        );
        assert_eq!(d.text, "4.2.2 Mailbox full");
        for not_one in [
            "250: ok",
            "10:00:01 started",
            "554 delivery error",
            "55: x",
            "554:x",
        ] {
            assert!(colon_reply(not_one).is_none(), "{not_one}");
        }
    }

    #[test]
    fn a_status_line_gives_the_enhanced_code_and_the_words() {
        let d = parse("Sorry, I couldn't find any host named example.invalid. (#5.1.2)").unwrap();
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.2");
        assert_eq!(d.code, None);
        assert_eq!(
            d.text,
            "Sorry, I couldn't find any host named example.invalid. (#5.1.2)"
        );
        assert!(parse("Giving up on 192.0.2.5.").is_none());
    }

    #[test]
    fn qmail_lines_are_told_by_their_ends() {
        for line in [
            &b"Sorry, no mailbox here by that name. (#5.1.1)"[..],
            b"qq temporary problem (#4.3.0) \r",
            b"192.0.2.5 does not like recipient.",
            b"Connected to 192.0.2.5 but greeting failed.\r",
        ] {
            assert!(looks_like_line(line), "{}", String::from_utf8_lossy(line));
        }
        for line in [
            &b"Nov 23 10:00:01 mx postfix/qmgr[2]: 4F9D: removed"[..],
            b"a note (see above)",
            b"Nov 23 10:00:01 mx sshd[1]: Connection closed.",
            b"",
        ] {
            assert!(!looks_like_line(line), "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn the_remote_step_gives_host_and_command() {
        assert_eq!(
            remote_step("192.0.2.5 does not like recipient."),
            Some(("192.0.2.5", Some(Command::RcptTo)))
        );
        assert_eq!(
            remote_step("Connected to 192.0.2.5 but sender was rejected."),
            Some(("192.0.2.5", Some(Command::MailFrom)))
        );
        assert_eq!(
            remote_step("Connected to 192.0.2.5 but greeting failed."),
            Some(("192.0.2.5", Some(Command::Connect)))
        );
        assert_eq!(
            remote_step("Connected to 192.0.2.5 but my name was rejected."),
            Some(("192.0.2.5", Some(Command::Helo)))
        );
        assert_eq!(
            remote_step("192.0.2.5 failed after I sent the message."),
            Some(("192.0.2.5", Some(Command::EndOfData)))
        );
        assert_eq!(remote_step("Remote host said: 550 no"), None);
        assert_eq!(remote_step("the boss does not like recipient lists"), None);
        assert_eq!(remote_step("it all failed after I sent the message."), None);
    }
}
