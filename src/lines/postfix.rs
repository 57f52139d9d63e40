//! Postfix log lines.
//!
//! Delivery results, from smtp, lmtp, local, virtual, pipe, error, retry and qmgr:
//! `4F9D21A2B3: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1.2, ...,
//! dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 ... (in reply to RCPT
//! TO command))`. The status word says what happened; the parenthesised detail quotes the remote
//! reply, or says what went wrong when there was none (`connect to ...: Connection timed out`).
//!
//! Rejections by the local server, from smtpd and cleanup:
//! `NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 554 5.7.1 ...; from=<a@b> to=<c@d> proto=ESMTP`.

use super::delivery::{address_at, find_reply, host_name, Delivery, Format};
use super::prefix;
use super::said;
use crate::classify::Reported;
use crate::command::Command;
use std::borrow::Cow;

/// Reads a Postfix line's message (after the syslog prefix).
pub fn parse(message: &str) -> Option<Delivery<'_>> {
    let (mut queue_id, mut body) = split_queue_id(message);
    let mut delivery = if let Some(mut at) = needle!("status=").find_field(body) {
        // Postfix names the message (queue id) or the recipient (to=) of every result; a bare
        // `status=bounced` is someone's words about one, as in a quoted mail.
        if queue_id.is_none() {
            let to = needle!("to=").find_field(&body[..at])?;
            // An id of another shape, as rewritten or made-up logs carry (`ABC1: to=<...>`).
            queue_id = body[..to].strip_suffix(": ").filter(|id| is_other_id(id));
            body = &body[to..];
            at -= to;
        }
        delivery_result(body, at)?
    } else {
        rejection(body)?
    };
    delivery.queue_id = queue_id.map(Cow::Borrowed);
    Some(delivery)
}

/// The queue id a Postfix log message starts with, if any.
pub fn queue_id(message: &str) -> Option<&str> {
    split_queue_id(message).0
}

/// Whether the message is Postfix's warning of a refusal it did not make (`NOQUEUE:
/// reject_warning: RCPT from ...: 554 5.7.1 ...`, under `warn_if_reject` or a restriction in test
/// mode): the mail was accepted, so the reply quoted is no result.
pub fn is_reject_warning(message: &str) -> bool {
    split_queue_id(message).1.starts_with("reject_warning: ")
}

/// `4F9D21A2B3: rest` or `NOQUEUE: rest`.
fn split_queue_id(message: &str) -> (Option<&str>, &str) {
    match prefix::split_id(message, |word| word == "NOQUEUE" || is_queue_id(word)) {
        Some((id, rest)) => ((id != "NOQUEUE").then_some(id), rest),
        None => (None, message),
    }
}

/// Postfix's short queue ids are upper-case hexadecimal (`4F9D21A2B3`); its long ones use digits
/// and letters without vowels (`4ZxQ2J5Ymkz1BS`), so that no word of a log passes for one. Logs
/// that were anonymised or rewritten carry other ids of letters and digits (`4XyZ1k2abcz9`):
/// eight or more of them, digits and letters mixed, pass too, which no word of Postfix's does.
fn is_queue_id(word: &str) -> bool {
    let bytes = word.as_bytes();
    (5..=20).contains(&bytes.len())
        && (bytes
            .iter()
            .all(|b| b.is_ascii_digit() || matches!(b, b'A'..=b'F'))
            || bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() && !b"aeiouAEIOU".contains(b))
            || (bytes.len() >= 8
                && bytes.iter().all(u8::is_ascii_alphanumeric)
                && bytes.iter().any(u8::is_ascii_digit)
                && bytes.iter().any(u8::is_ascii_alphabetic)))
}

/// A word that stands where Postfix writes its queue id, in letters and digits: not one Postfix
/// would write (`is_queue_id`), but the id of a log rewritten by hand or by a tool.
fn is_other_id(word: &str) -> bool {
    (1..=32).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn delivery_result(body: &str, status_at: usize) -> Option<Delivery<'_>> {
    let after = &body[status_at + "status=".len()..];
    let word_len = after.bytes().take_while(u8::is_ascii_alphabetic).count();
    let reported = match &after[..word_len] {
        "sent" | "deliverable" => Reported::Delivered,
        // With soft_bounce = yes, Postfix keeps what it would have returned.
        "deferred" | "SOFTBOUNCE" => Reported::Deferred,
        "bounced" | "undeliverable" => Reported::Failed,
        "expired" => Reported::Expired,
        _ => return None,
    };
    let mut delivery = Delivery::new(Format::Postfix);
    delivery.reported = Some(reported);
    // The fields before status=, in one pass: `to=<...>, relay=..., delay=..., dsn=X.Y.Z, `.
    let mut relay = None;
    for field in comma_fields(&body[..status_at]) {
        if let Some(to) = field.strip_prefix("to=") {
            delivery.recipient = delivery.recipient.or(address_at(to).map(Cow::Borrowed));
        } else if let Some(value) = field.strip_prefix("relay=") {
            relay = Some(value);
        } else if let Some(dsn) = field.strip_prefix("dsn=") {
            delivery.enhanced = dsn.parse().ok();
        }
    }

    let rest = after[word_len..].trim_start_matches(',').trim_start();
    // `status=expired, returned to sender` has no detail in parentheses.
    let detail = match rest.strip_prefix('(') {
        Some(inner) => inner.strip_suffix(')').unwrap_or(inner),
        None => rest,
    };
    // "host H[IP] said:" names the server that replied; otherwise relay= does, or, with
    // `relay=none`, Postfix's words on the host it could not reach.
    let said = needle!(" said: ").find(detail);
    let said_host = said
        .and_then(|said| detail[..said].strip_prefix("host "))
        .and_then(host_name);
    delivery.host = said_host
        .or_else(|| relay.and_then(host_name))
        .or_else(|| said::host_talked_to(detail))
        .map(Cow::Borrowed);
    delivery.read_detail_at(detail, said.map(|at| at + " said: ".len()));
    Some(delivery)
}

/// `text.split(", ")`, finding the commas with memchr: the standard library's substring searcher
/// costs more to set up than these few short fields take to read.
fn comma_fields(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let text = rest?;
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(at) = memchr::memchr(b',', &bytes[from..]) {
            let comma = from + at;
            if bytes.get(comma + 1) == Some(&b' ') {
                rest = Some(&text[comma + 2..]);
                return Some(&text[..comma]);
            }
            from = comma + 1;
        }
        rest = None;
        Some(text)
    })
}

/// `reject: RCPT from H[IP]: 550 5.1.1 <c@d>: ...; from=<a@b> to=<c@d> proto=ESMTP helo=<x>`,
/// `milter-reject: END-OF-MESSAGE from ...`, and cleanup's `reject: header ...: 5.7.1 ...`.
fn rejection(body: &str) -> Option<Delivery<'_>> {
    let at = needle!("reject: ").find(body)?;
    let what = &body[at + "reject: ".len()..];
    let mut delivery = Delivery::new(Format::Postfix);
    if let Some((step, client)) = needle!(" from ").split_once(what) {
        delivery.command = Command::from_words(step);
        let client = &client[..client.find([':', ';']).unwrap_or(client.len())];
        delivery.host = host_name(client).map(Cow::Borrowed);
        delivery.host_is_client = true;
    }
    // The envelope Postfix appends after the reply: `; from=<a@b> to=<c@d> proto=...`, or only
    // `; proto=SMTP` when there is none yet (a refused connection).
    let envelope_at = needle!("; from=<")
        .rfind(what)
        .or_else(|| needle!("; proto=").rfind(what));
    let (reply_part, envelope) = match envelope_at {
        Some(env) => (&what[..env], &what[env..]),
        None => (what, ""),
    };
    if let Some(to) = needle!(" to=<").find(envelope) {
        delivery.recipient = address_at(&envelope[to + " to=".len()..]).map(Cow::Borrowed);
    }
    // cleanup's header and body checks put the reply after the envelope instead:
    // `reject: header Subject: ... from H[IP]; from=<a@b> to=<c@d> proto=ESMTP helo=<h>: 5.7.1 ...`.
    let (reply, _) = find_reply(reply_part).or_else(|| find_reply(envelope))?;
    delivery.take_reply(reply);
    if delivery.command.is_none() && (what.starts_with("header ") || what.starts_with("body ")) {
        delivery.command = Some(Command::EndOfData);
    }
    Some(delivery)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::prefix;

    #[test]
    fn a_reject_warning_is_told_from_a_rejection() {
        assert!(is_reject_warning(
            "NOQUEUE: reject_warning: RCPT from x[192.0.2.1]: 554 5.7.1 No"
        ));
        assert!(is_reject_warning(
            "4F9D21A2B3: reject_warning: RCPT from x[192.0.2.1]: 554 5.7.1 No"
        ));
        assert!(!is_reject_warning(
            "NOQUEUE: reject: RCPT from x[192.0.2.1]: 554 5.7.1 No"
        ));
        assert!(!is_reject_warning(
            "4F9D21A2B3: to=<a@b>, status=bounced (reject_warning: x)"
        ));
    }

    #[test]
    fn comma_fields_split_as_the_standard_library_does() {
        for text in [
            "to=<a@b>, relay=x[1.2.3.4]:25, delay=1, dsn=5.1.1, ",
            "",
            ", ",
            "a,b, c,, d , e,",
            "orig_to=<x, y>, to=<z>",
            ", , ,",
        ] {
            assert_eq!(
                comma_fields(text).collect::<Vec<_>>(),
                text.split(", ").collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    fn read(line: &str) -> Delivery<'_> {
        parse(prefix::split(line).rest).expect("a Postfix result")
    }

    #[test]
    fn a_remote_rejection_gives_codes_recipient_host_and_command() {
        let d = read(
            "Nov 23 10:00:01 mx1 postfix/smtp[12345]: 4F9D21A2B3: to=<bob@example.com>, \
             relay=mx.example.com[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, \
             status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 <bob@example.com>: \
             Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))",
        );
        assert_eq!(d.queue_id.as_deref(), Some("4F9D21A2B3"));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(
            d.text,
            "<bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table"
        );
    }

    #[test]
    fn a_connect_timeout_has_no_code_but_a_status_and_a_dsn() {
        let d = read(
            "Nov 23 10:00:02 mx1 postfix/smtp[2]: 5A1B2C3D4E: to=<ann@example.org>, relay=none, \
             delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to \
             mx.example.org[192.0.2.7]:25: Connection timed out)",
        );
        assert_eq!(d.code, None);
        assert_eq!(d.enhanced.unwrap().to_string(), "4.4.1");
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.command, Some(Command::Connect));
        // relay=none, but Postfix names the host it could not reach.
        assert_eq!(d.host.as_deref(), Some("mx.example.org"));
        assert_eq!(
            d.text,
            "connect to mx.example.org[192.0.2.7]:25: Connection timed out"
        );
    }

    #[test]
    fn local_deliveries_and_expiries_are_read() {
        let d = read(
            "Nov 23 10:00:03 mx1 postfix/local[3]: 6B2C: to=<joe@mx1.example.net>, relay=local, \
             delay=0.1, dsn=5.1.1, status=bounced (unknown user: \"joe\")",
        );
        assert_eq!(
            (d.code, d.enhanced.unwrap().to_string()),
            (None, "5.1.1".into())
        );
        assert_eq!(d.text, "unknown user: \"joe\"");
        let d = read("Nov 23 10:00:04 mx1 postfix/qmgr[4]: 7C3D4E5F6A: from=<a@example.com>, status=expired, returned to sender");
        assert_eq!(d.reported, Some(Reported::Expired));
        assert_eq!(d.queue_id.as_deref(), Some("7C3D4E5F6A"));
    }

    #[test]
    fn a_smtpd_rejection_gives_the_client_and_the_recipient() {
        let d = read(
            "Nov 23 10:00:05 mx1 postfix/smtpd[5]: NOQUEUE: reject: RCPT from unknown[198.51.100.9]: \
             554 5.7.1 Service unavailable; Client host [198.51.100.9] blocked using zen.spamhaus.org; \
             from=<spam@example.biz> to=<bob@example.com> proto=ESMTP helo=<example.biz>",
        );
        assert_eq!(d.queue_id, None);
        assert_eq!(d.code.unwrap().as_u16(), 554);
        assert_eq!(d.host.as_deref(), Some("198.51.100.9"));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.command, Some(Command::RcptTo));
        assert!(d.text.ends_with("blocked using zen.spamhaus.org"));
    }

    #[test]
    fn a_cleanup_rejection_has_its_reply_after_the_envelope() {
        let d = read(
            "Nov 23 10:00:01 mx postfix/cleanup[7]: 4F1A32C0E1: reject: header Subject: You won \
             from unknown[203.0.113.9]; from=<x@spam.example> to=<bob@example.com> proto=ESMTP \
             helo=<spam.example>: 5.7.1 message content rejected",
        );
        assert_eq!(d.queue_id.as_deref(), Some("4F1A32C0E1"));
        assert_eq!(d.enhanced.unwrap().to_string(), "5.7.1");
        assert_eq!(d.text, "message content rejected");
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.command, Some(Command::EndOfData));
    }

    #[test]
    fn a_refused_connection_leaves_its_proto_out_of_the_text() {
        let d = read(
            "Nov 23 10:00:04 mx postfix/smtpd[8]: NOQUEUE: reject: CONNECT from unknown[203.0.113.9]: \
             554 5.7.1 <unknown[203.0.113.9]>: Client host rejected: Access denied; proto=SMTP",
        );
        assert_eq!(
            d.text,
            "<unknown[203.0.113.9]>: Client host rejected: Access denied"
        );
        assert_eq!(d.command, Some(Command::Connect));
        assert_eq!(d.recipient, None);
    }

    #[test]
    fn lines_without_a_result_are_not_read() {
        assert!(parse("4F9D21A2B3: from=<a@b>, size=1234, nrcpt=1 (queue active)").is_none());
        assert!(parse("4F9D21A2B3: status=weird").is_none());
        assert!(
            parse("> 550 5.1.1 a quote of an old bounce, status=bounced").is_none(),
            "neither a queue id nor a recipient"
        );
        assert!(parse("4F9D21A2B3: from=<a@b>, status=expired, returned to sender").is_some());
        assert!(parse("to=<a@b>, relay=none, status=deferred (connect to x: timed out)").is_some());
    }

    #[test]
    fn queue_ids_short_long_and_rewritten_are_told_from_words() {
        for id in ["4F9D21A2B3", "4ZxQ2J5Ymkz1BS", "4XyZ1k2abcz9", "3qWrt9Ab"] {
            assert!(is_queue_id(id), "{id}");
            let message = format!("{id}: to=<bob@example.org>, dsn=5.1.1, status=bounced (x)");
            assert_eq!(queue_id(&message), Some(id));
        }
        for word in [
            "warning",
            "statistics",
            "Connection",
            "abc12",
            "4.4.1",
            "bob@x1",
        ] {
            assert!(!is_queue_id(word), "{word}");
        }
    }

    #[test]
    fn a_result_after_an_id_of_another_shape_keeps_its_fields() {
        for (id, line) in [
            (
                "ABC1",
                "ABC1: to=<bob@example.org>, relay=none, dsn=5.4.4, status=bounced (x)",
            ),
            (
                "q1",
                "q1: to=<bob@example.org>, relay=none, dsn=5.4.4, status=bounced (x)",
            ),
        ] {
            let d = parse(line).expect("a result");
            assert_eq!(d.queue_id.as_deref(), Some(id));
            assert_eq!(d.recipient.as_deref(), Some("bob@example.org"));
            assert_eq!(d.enhanced.unwrap().to_string(), "5.4.4");
        }
        // Words before the fields are no id, and the fields are still read.
        let d = parse("some words: to=<bob@example.org>, status=deferred (x)").unwrap();
        assert_eq!(
            (d.queue_id, d.recipient.as_deref()),
            (None, Some("bob@example.org"))
        );
        assert!(parse("ABC1: orig_to=<bob@example.org>, status=bounced (x)").is_none());
    }
}
