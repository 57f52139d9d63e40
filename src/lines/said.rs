//! Lines of other MTAs and of bounce bodies that quote a remote reply after `said:`:
//! `<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to
//! RCPT TO command)`, as Postfix writes in its bounces and others in their logs; and Postfix's
//! words for a greeting that refused the session, `host H[IP] refused to talk to me: 554 ...`,
//! logged once for the session and written so in bounces.

use super::delivery::{address_at, host_name, Delivery, Format};
use crate::response;
use std::borrow::Cow;

/// Whether `line` starts a bounce body's paragraph about one recipient that quotes a reply:
/// `<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 ...`, unindented. Postfix wraps
/// the paragraph at 76 columns and indents the lines that go on, so it is read once they are
/// joined. The wrap may fall before `said:`, even right after `host` when the address and the
/// host name are long (`<john.smith@contoso.com>: host` then
/// `    contoso-com.mail.protection.outlook.com[192.0.2.1] said: 550 ...`).
pub fn starts_paragraph(line: &str) -> bool {
    let Some(close) = line.find('>') else {
        return false;
    };
    let address = &line[..close];
    if !(line.starts_with('<') && address.contains('@') && !address.contains(' ')) {
        return false;
    }
    needle!(" said:").find(line).is_some()
        || needle!(" refused to talk to me:").find(line).is_some()
        || wrapped_before_said(&line[close + 1..])
}

/// `: host` or `: host H[IP]` after the address (and any `(expanded from <...>)`), the line
/// ending before `said:`.
fn wrapped_before_said(after_address: &str) -> bool {
    let after_address = after_address.trim_end();
    needle!(": host").find(after_address).is_some_and(|at| {
        let rest = &after_address[at + ": host".len()..];
        rest.is_empty() || rest.starts_with(' ')
    })
}

/// Reads a line quoting a reply after ` said: ` or ` refused to talk to me: `; not a reply that
/// quotes another (`550 5.1.1 <a@b>: Recipient address rejected: undeliverable address: host H
/// said: 451 ...`), whose own code is the result.
pub fn parse(line: &str) -> Option<Delivery<'_>> {
    if response::parse(line).is_some_and(|own| own.code.is_some()) {
        return None;
    }
    let (at, said) = match needle!(" said: ").find(line) {
        Some(at) => (at, " said: ".len()),
        None => {
            let at = needle!(" refused to talk to me: ").find(line)?;
            (at, " refused to talk to me: ".len())
        }
    };
    let reply = response::parse(&line[at + said..]).filter(|r| r.code.is_some())?;
    let before = &line[..at];
    let mut delivery = Delivery::new(Format::Said);
    delivery.command = crate::command::Command::find_in(&line[at..]);
    delivery.take_reply(reply);
    // "host H[IP] said", or just "H said"; qmail's "Remote host said" names none.
    let speaker = match needle!("host ").rfind(before) {
        Some(host) => &before[host + "host ".len()..],
        None => before.rsplit(' ').next().unwrap_or(before),
    };
    delivery.host = host_name(speaker)
        .filter(|name| name.contains(['.', ':']))
        .map(Cow::Borrowed);
    let start = line.trim_start();
    if start.starts_with('<') {
        delivery.recipient = address_at(start).map(Cow::Borrowed);
    }
    Some(delivery)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::Command;

    #[test]
    fn a_reply_quoting_another_is_not_read_here() {
        assert!(parse(
            "550 5.1.1 <bob@example.com>: Recipient address rejected: undeliverable address: \
             host mx2.example.com[192.0.2.6] said: 451 4.3.0 temporary failure"
        )
        .is_none());
    }

    #[test]
    fn a_bounce_body_line_gives_recipient_host_reply_and_command() {
        let d = parse(
            "<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: \
             Recipient address rejected: User unknown (in reply to RCPT TO command)",
        )
        .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(
            d.text,
            "<bob@example.com>: Recipient address rejected: User unknown"
        );
    }

    #[test]
    fn a_paragraph_starts_with_the_recipient_and_quotes_a_reply() {
        for line in [
            "<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown",
            "<bob@example.com>: host mx.example.com[192.0.2.1] said:",
            "<ann@example.com> (expanded from <info@example.org>): host mx.example.com[192.0.2.1] said: 452 4.2.2 Over quota",
            // Wrapped before `said:`, the rest on indented lines.
            "<john.smith@contoso.com>: host",
            "<john.smith@contoso.com>: host contoso-com.mail.protection.outlook.com[192.0.2.1]",
            "<ann@example.com> (expanded from <info@example.org>): host",
        ] {
            assert!(starts_paragraph(line), "{line}");
        }
        for line in [
            "    <bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown",
            "<bob@example.com>: connect to mx.example.com[192.0.2.1]:25: Connection timed out",
            "Nov 23 10:00:01 mx postfix/smtp[1]: host mx.example.com[192.0.2.1] said: 550 x",
            "<not an address> said: 550 no",
            "<bob@example.com>: hostile words",
            "<bob@example.com>: Recipient address rejected: no host",
        ] {
            assert!(!starts_paragraph(line), "{line}");
        }
    }

    #[test]
    fn a_greeting_that_refused_the_session_is_read_like_a_reply_said() {
        let d = parse(
            "4B2C11A2F3: host mx1.example.net[198.51.100.7] refused to talk to me: 554 5.7.1 \
             Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org",
        )
        .unwrap();
        assert_eq!(d.host.as_deref(), Some("mx1.example.net"));
        assert_eq!(d.code.unwrap().as_u16(), 554);
        assert_eq!(d.command, Some(Command::Connect));
        assert!(d.text.starts_with("Service unavailable;"));
        let d = parse(
            "<bob@example.net>: host mx1.example.net[198.51.100.7] refused to talk to me: 421 \
             mx1.example.net Service not available - too busy",
        )
        .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("bob@example.net"));
        assert_eq!(d.code.unwrap().as_u16(), 421);
        assert!(starts_paragraph(
            "<bob@example.net>: host mx1.example.net[198.51.100.7] refused to talk to me: 421 busy"
        ));
        assert!(
            parse("host mx1.example.net[198.51.100.7] refused to talk to me: go away").is_none()
        );
    }

    #[test]
    fn said_without_a_reply_is_not_a_result() {
        assert!(parse("the postmaster said: no").is_none());
    }
}
