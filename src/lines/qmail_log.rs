//! qmail-send's log (qmail, netqmail, notqmail), through multilog or splogger:
//!
//! ```text
//! @4000000069231d2b0a1b2c3d starting delivery 12: msg 4211 to remote bob@example.net
//! @4000000069231d2c1a1b2c3d delivery 12: failure: 192.0.2.5_does_not_like_recipient./Remote_host_said:_550_5.1.1_<bob@example.net>:_User_unknown/Giving_up_on_192.0.2.5./
//! Nov 23 10:00:01 mail qmail: 1763892001.123456 delivery 13: deferral: Sorry,_I_wasn't_able_to_establish_an_SMTP_connection._(#4.4.1)/
//! ```
//!
//! A result names only its delivery number: the recipient and the message are on the
//! `starting delivery` line before it, which the reader keeps (`Deliveries`). In a result's
//! report qmail-send writes spaces as `_` and ends each line of it with `/`; the lines are those
//! of qmail's bounces (see `qmail`): what the remote host did, `Remote host said: ...`, or qmail's
//! own words ending in its status.

use super::delivery::{Delivery, Format};
use super::qmail;
use crate::classify::Reported;
use crate::response;
use crate::trim::trim;
use std::borrow::Cow;
use std::collections::VecDeque;

/// One line of qmail-send's that the reader uses.
#[derive(Debug, PartialEq, Eq)]
pub enum LogLine<'a> {
    /// `starting delivery 12: msg 4211 to remote bob@example.net`.
    Starting {
        delivery: u64,
        message: &'a str,
        recipient: &'a str,
    },
    /// `delivery 12: failure: ...`: the delivery number and its result, without recipient.
    Result(u64, Delivery<'static>),
}

/// Reads a qmail-send log message (after any syslog prefix or multilog timestamp).
pub fn parse(message: &str) -> Option<LogLine<'_>> {
    let message = skip_unix_time(message);
    if let Some(rest) = message.strip_prefix("starting delivery ") {
        let (delivery, rest) = rest.split_once(": msg ")?;
        let (msg, rest) = rest.split_once(" to ")?;
        let (_, recipient) = rest.split_once(' ')?;
        return Some(LogLine::Starting {
            delivery: delivery.parse().ok()?,
            message: msg,
            recipient: recipient.trim_end(),
        });
    }
    let rest = message.strip_prefix("delivery ")?;
    let (number, rest) = rest.split_once(": ")?;
    let (result, report) = rest.split_once(": ")?;
    let reported = match result {
        "success" => Reported::Delivered,
        "failure" => Reported::Failed,
        "deferral" => Reported::Deferred,
        _ => return None,
    };
    Some(LogLine::Result(
        number.parse().ok()?,
        read_report(report.trim_end(), reported),
    ))
}

/// splogger puts the time in seconds before each message: `1763892001.123456 delivery 1: ...`.
fn skip_unix_time(message: &str) -> &str {
    match message.split_once(' ') {
        Some((time, rest))
            if !time.is_empty() && time.bytes().all(|b| b.is_ascii_digit() || b == b'.') =>
        {
            rest
        }
        _ => message,
    }
}

/// A result's report, its lines read as in a qmail bounce.
fn read_report(report: &str, reported: Reported) -> Delivery<'static> {
    let report = report.replace('_', " ");
    let lines = || report.split('/').map(trim).filter(|line| !line.is_empty());
    let mut delivery = Delivery::new(Format::Qmail);
    delivery.reported = Some(reported);
    for line in lines() {
        if let Some(said) = line.strip_prefix("Remote host said: ") {
            if let Some(reply) = response::parse(said).filter(|r| r.code.is_some()) {
                delivery.take_reply(reply);
                return delivery.into_owned();
            }
            continue;
        }
        if let Some((host, command)) = qmail::remote_step(line) {
            delivery.host = Some(Cow::Borrowed(host));
            delivery.command = command.or(delivery.command);
        } else if let Some(host) = line.strip_suffix(" accepted message.") {
            delivery.host = (!host.contains(' ')).then_some(Cow::Borrowed(host));
        }
        // qmail's own words end in its status, after what it did or not:
        // `Connected to 192.0.2.5 but connection died. (#4.4.2)`.
        if let Some(own) = qmail::parse(line) {
            delivery.enhanced = own.enhanced;
            delivery.text = own.text;
            return delivery.into_owned();
        }
    }
    // No reply and no status: the report is all there is (`did 0+0+1/` of a local delivery).
    delivery.text = Cow::Owned(lines().collect::<Vec<_>>().join(" "));
    delivery.into_owned()
}

/// Whether a line may be qmail-send's: multilog's, a result (its report ends with `/`), or, once
/// the input has shown the log (`seen`), a `starting delivery` line.
pub fn looks_like_line(bytes: &[u8], seen: bool) -> bool {
    is_multilog(bytes)
        || (bytes.trim_ascii_end().ends_with(b"/") && looks_like_result(bytes))
        || (seen && looks_like_start(bytes))
}

/// Whether a line that ends with `/` may be a result: it names a delivery.
pub fn looks_like_result(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"delivery ").is_some()
}

/// Whether a line may be a `starting delivery` line; asked only once the input has shown
/// qmail-send's log.
pub fn looks_like_start(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"starting delivery ").is_some()
}

/// Whether a line is multilog's: a TAI64N label first (`@4000000069231d2b0a1b2c3d `).
pub fn is_multilog(bytes: &[u8]) -> bool {
    bytes.len() > 26
        && bytes.starts_with(b"@4")
        && bytes[25] == b' '
        && bytes[1..25].iter().all(u8::is_ascii_hexdigit)
}

/// The recipients and messages of deliveries started and not yet ended, so many at most: qmail
/// runs 20 remote deliveries at once by default and a few hundred on busy hosts. Longer words
/// than an address or a message number can be are not kept, so that memory stays bounded
/// whatever the input.
#[derive(Debug, Default)]
pub struct Deliveries {
    started: VecDeque<(u64, String, String)>,
    /// Whether the input has shown qmail-send's log.
    pub seen: bool,
}

const KEPT: usize = 1024;

/// The longest address kept (RFC 5321's limit on a path).
const ADDRESS_BYTES: usize = 256;

/// The longest message number kept.
const MESSAGE_BYTES: usize = 20;

impl Deliveries {
    pub fn start(&mut self, delivery: u64, message: &str, recipient: &str) {
        self.seen = true;
        self.started.retain(|(number, _, _)| *number != delivery);
        if recipient.len() > ADDRESS_BYTES || message.len() > MESSAGE_BYTES {
            return;
        }
        if self.started.len() == KEPT {
            self.started.pop_front();
        }
        self.started
            .push_back((delivery, message.to_string(), recipient.to_string()));
    }

    /// The message and recipient of a delivery that has ended.
    pub fn end(&mut self, delivery: u64) -> Option<(String, String)> {
        self.seen = true;
        let at = self
            .started
            .iter()
            .position(|(number, _, _)| *number == delivery)?;
        self.started
            .remove(at)
            .map(|(_, message, recipient)| (message, recipient))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;

    fn result(line: &str) -> (u64, Delivery<'static>) {
        match parse(line) {
            Some(LogLine::Result(number, delivery)) => (number, delivery),
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn a_starting_line_gives_delivery_message_and_recipient() {
        assert_eq!(
            parse("starting delivery 12: msg 4211 to remote bob@example.net"),
            Some(LogLine::Starting {
                delivery: 12,
                message: "4211",
                recipient: "bob@example.net"
            })
        );
        assert_eq!(
            parse("1763892001.123456 starting delivery 3: msg 77 to local example.org-carl@example.org"),
            Some(LogLine::Starting {
                delivery: 3,
                message: "77",
                recipient: "example.org-carl@example.org"
            })
        );
    }

    #[test]
    fn a_remote_failure_gives_host_command_and_reply() {
        let (number, d) = result(
            "delivery 12: failure: 192.0.2.5_does_not_like_recipient./Remote_host_said:_550_5.1.1_\
             <bob@example.net>:_Recipient_address_rejected:_User_unknown/Giving_up_on_192.0.2.5./",
        );
        assert_eq!(number, 12);
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.host.as_deref(), Some("192.0.2.5"));
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(
            d.text,
            "<bob@example.net>: Recipient address rejected: User unknown"
        );
    }

    #[test]
    fn qmails_own_words_give_their_status() {
        let (_, d) = result(
            "1763892001.123456 delivery 13: deferral: Sorry,_I_wasn't_able_to_establish_an_SMTP_\
             connection._(#4.4.1)/",
        );
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.enhanced.unwrap().to_string(), "4.4.1");
        assert_eq!(
            d.text,
            "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)"
        );
        let (_, d) =
            result("delivery 14: deferral: Connected_to_192.0.2.5_but_connection_died._(#4.4.2)/");
        assert_eq!(d.enhanced.unwrap().to_string(), "4.4.2");
        assert_eq!(d.host.as_deref(), Some("192.0.2.5"));
    }

    #[test]
    fn successes_keep_the_remote_reply_or_the_local_report() {
        let (_, d) = result(
            "delivery 15: success: 192.0.2.5_accepted_message./Remote_host_said:_250_2.0.0_Ok:_\
             queued_as_4B2C11A2F3/",
        );
        assert_eq!(d.reported, Some(Reported::Delivered));
        assert_eq!(d.host.as_deref(), Some("192.0.2.5"));
        assert_eq!(d.code.unwrap().as_u16(), 250);
        let (_, d) = result("delivery 16: success: did_0+0+1/qp_27383/");
        assert_eq!((d.code, d.enhanced), (None, None));
        assert_eq!(d.text, "did 0+0+1 qp 27383");
    }

    #[test]
    fn other_lines_are_not_results() {
        for line in [
            "status: local 0/10 remote 1/20",
            "new msg 4211",
            "delivery 12: report mangled, will defer",
            "end msg 4211",
            "delivery of mail failed",
        ] {
            assert_eq!(parse(line), None, "{line}");
        }
    }

    #[test]
    fn lines_are_told_by_their_shape() {
        assert!(qmail::looks_like_line(
            b"Nov 23 10:00:01 mail qmail: 1763892001.1 delivery 1: success: did_0+0+1/"
        ));
        assert!(!qmail::looks_like_line(b"GET https://example.com/"));
        assert!(looks_like_start(
            b"qmail: 1.2 starting delivery 1: msg 2 to remote a@b"
        ));
        assert!(looks_like_line(
            b"x delivery 1: success: did_0+0+1/ \r",
            false
        ));
        assert!(!looks_like_line(
            b"starting delivery 1: msg 2 to remote a@b",
            false
        ));
        assert!(looks_like_line(
            b"starting delivery 1: msg 2 to remote a@b",
            true
        ));
        assert!(!looks_like_line(b"<bob@example.com>:", true));
        assert!(is_multilog(b"@4000000069231d2b0a1b2c3d new msg 4211"));
        assert!(!is_multilog(b"@example.com said hello to everyone here"));
    }

    #[test]
    fn deliveries_are_kept_until_they_end_and_bounded() {
        let mut kept = Deliveries::default();
        kept.start(1, "10", "a@example.com");
        kept.start(2, "10", "b@example.com");
        assert_eq!(kept.end(1), Some(("10".into(), "a@example.com".into())));
        assert_eq!(kept.end(1), None);
        for n in 0..(KEPT as u64 + 10) {
            kept.start(100 + n, "11", "c@example.com");
        }
        assert_eq!(kept.started.len(), KEPT);
        assert_eq!(kept.end(2), None, "the oldest went first");
        kept.start(7, "12", &"x".repeat(ADDRESS_BYTES + 1));
        assert_eq!(kept.end(7), None, "no address is that long");
    }
}
