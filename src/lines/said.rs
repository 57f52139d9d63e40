//! Lines of other MTAs and of bounce bodies that quote a remote reply after `said:`:
//! `<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to
//! RCPT TO command)`, as Postfix writes in its bounces and others in their logs; and Postfix's
//! words for a greeting that refused the session, `host H[IP] refused to talk to me: 554 ...`,
//! logged once for the session and written so in bounces.
//!
//! Postfix's bounces also explain, in its own words, failures no remote reply explains:
//! `<bob@example.com>: unknown user: "bob"`, `<bob@example.com>: connect to
//! mx.example.com[192.0.2.1]:25: Connection timed out`, `<bob@example.com>: Host or domain name
//! not found. ...`. Such a paragraph is read too, as a failure of that address.

use super::delivery::{address_at, host_name, Delivery, Format};
use crate::classify::Reported;
use crate::response;
use std::borrow::Cow;

/// Whether `line` starts a bounce body's paragraph about one recipient that quotes a reply:
/// `<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 ...`, unindented. Postfix wraps
/// the paragraph at 76 columns and indents the lines that go on, so it is read once they are
/// joined. The wrap may fall before `said:`, even right after `host` when the address and the
/// host name are long (`<john.smith@contoso.com>: host` then
/// `    contoso-com.mail.protection.outlook.com[192.0.2.1] said: 550 ...`).
pub fn starts_paragraph(line: &str) -> bool {
    let Some((_, after)) = leading_recipient(line) else {
        return false;
    };
    needle!(" said:").find(line).is_some()
        || needle!(" refused to talk to me:").find(line).is_some()
        || wrapped_before_said(after)
}

/// The address a paragraph about one recipient starts with, `<bob@example.com>`, and the rest
/// of the line after it.
pub fn leading_recipient(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('<')?;
    let close = rest.find('>')?;
    let address = &rest[..close];
    (address.contains('@') && !address.contains([' ', '<'])).then(|| (address, &rest[close + 1..]))
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

/// Whether `line` starts a paragraph of Postfix's own words about one recipient (see the
/// module's notes), unindented: the address, and after a colon what became of it.
pub fn starts_own_words(line: &str) -> bool {
    own_words(line).is_some()
}

/// A cheap first look for `starts_own_words`, given where the line's first word ends: the
/// address then a colon, or the address then `(expanded from <...>)`.
pub fn may_start_own_words(line: &[u8], word_end: usize) -> bool {
    line.first() == Some(&b'<')
        && (line[..word_end].ends_with(b">:") || line[word_end..].starts_with(b" (expanded from <"))
}

/// The address and the words of a paragraph in Postfix's own words: `<bob@example.com>: words`
/// or `<bob@example.com> (expanded from <info@example.org>): words`; not one that goes on with
/// the host a reply came from (`starts_paragraph`'s).
fn own_words(line: &str) -> Option<(&str, &str)> {
    let (address, mut after) = leading_recipient(line)?;
    if let Some(expanded) = after.strip_prefix(" (expanded from <") {
        after = &expanded[expanded.find(">)")? + ">)".len()..];
    }
    let words = after.strip_prefix(": ")?.trim();
    let host_next = words == "host" || words.starts_with("host ");
    (!words.is_empty() && !host_next).then_some((address, words))
}

/// Reads a paragraph in Postfix's own words: the recipient failed for what the words say, or,
/// after `delivery temporarily suspended:`, waits; a reply at the start of the words is read as
/// one.
fn parse_own_words(line: &str) -> Option<Delivery<'_>> {
    let (address, words) = own_words(line)?;
    let mut delivery = Delivery::new(Format::Said);
    delivery.recipient = Some(Cow::Borrowed(address));
    delivery.reported = Some(if words.starts_with("delivery temporarily suspended:") {
        Reported::Deferred
    } else {
        Reported::Failed
    });
    delivery.read_detail(words);
    delivery.host = host_talked_to(words).map(Cow::Borrowed);
    Some(delivery)
}

/// The host Postfix could not reach or lost, in its own words: `connect to H[IP]:25: ...`,
/// `lost connection with H[IP] while ...`, `conversation with H[IP] timed out while ...`, after
/// a `delivery temporarily suspended: ` or not.
pub fn host_talked_to(words: &str) -> Option<&str> {
    let talked = words
        .strip_prefix("delivery temporarily suspended: ")
        .unwrap_or(words);
    ["connect to ", "lost connection with ", "conversation with "]
        .iter()
        .find_map(|lead| talked.strip_prefix(lead))
        .filter(|rest| {
            rest.split(' ')
                .next()
                .is_some_and(|host| host.contains('['))
        })
        .and_then(host_name)
}

/// Reads a line quoting a reply after ` said: ` or ` refused to talk to me: `, or else a
/// paragraph in Postfix's own words; not a reply that quotes another (`550 5.1.1 <a@b>:
/// Recipient address rejected: undeliverable address: host H said: 451 ...`), whose own code is
/// the result.
pub fn parse(line: &str) -> Option<Delivery<'_>> {
    if response::parse(line).is_some_and(|own| own.code.is_some()) {
        return None;
    }
    let found = match needle!(" said: ").find(line) {
        Some(at) => Some((at, " said: ".len())),
        None => needle!(" refused to talk to me: ")
            .find(line)
            .map(|at| (at, " refused to talk to me: ".len())),
    };
    let Some((at, said)) = found else {
        return parse_own_words(line);
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
    fn postfixs_own_words_about_a_recipient_are_read_as_its_failure() {
        let d = parse("<bob@example.com>: unknown user: \"bob\"").unwrap();
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.text, "unknown user: \"bob\"");
        assert_eq!(d.code, None);
        let d = parse(
            "<ann@example.com> (expanded from <info@example.org>): connect to \
             mx.example.com[192.0.2.1]:25: Connection timed out",
        )
        .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("ann@example.com"));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        let d = parse(
            "<bob@example.com>: delivery temporarily suspended: lost connection with \
             mx.example.com[192.0.2.1] while sending RCPT TO",
        )
        .unwrap();
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.command, Some(Command::RcptTo));
        // A reply after the colon is read as one.
        let d = parse("<bob@example.com>: 550 5.1.1 User unknown").unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.text, "User unknown");
        // The words name no host unless it is the one Postfix talked to.
        let d = parse("<bob@example.com>: mail for example.com loops back to myself").unwrap();
        assert_eq!(d.host, None);
    }

    #[test]
    fn own_words_follow_an_address_and_a_colon_at_the_start_of_a_line() {
        for line in [
            "<bob@example.com>: unknown user: \"bob\"",
            "<ann@example.com> (expanded from <info@example.org>): Host or domain name not found",
        ] {
            assert!(starts_own_words(line), "{line}");
            let word_end = line.find(' ').unwrap();
            assert!(may_start_own_words(line.as_bytes(), word_end), "{line}");
        }
        for line in [
            "<bob@example.com>:",
            "<bob@example.com>: ",
            "<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown",
            "<bob@example.com>: host",
            "  <bob@example.com>: unknown user: \"bob\"",
            "<not an address>: words",
            "<bob@example.com> words",
            "bob@example.com: unknown user",
        ] {
            assert!(!starts_own_words(line), "{line}");
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
