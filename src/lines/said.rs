//! Lines of other MTAs and of bounce bodies that quote a remote reply after `said:`:
//! `<bob@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to
//! RCPT TO command)`, as Postfix writes in its bounces and others in their logs.

use super::delivery::{address_at, host_name, Delivery, Format};
use crate::response;
use std::borrow::Cow;

/// Reads a line quoting a reply after ` said: `.
pub fn parse(line: &str) -> Option<Delivery<'_>> {
    let at = needle!(" said: ").find(line)?;
    let reply = response::parse(&line[at + " said: ".len()..]).filter(|r| r.code.is_some())?;
    let before = &line[..at];
    let mut delivery = Delivery::new(Format::Said);
    delivery.command = crate::command::Command::find_in(&line[at..]);
    delivery.take_reply(reply);
    // "host H[IP] said", or just "H said".
    let speaker = match needle!("host ").rfind(before) {
        Some(host) => &before[host + "host ".len()..],
        None => before.rsplit(' ').next().unwrap_or(before),
    };
    delivery.host = host_name(speaker).map(Cow::Borrowed);
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
    fn said_without_a_reply_is_not_a_result() {
        assert!(parse("the postmaster said: no").is_none());
    }
}
