//! Exim main log lines: a message id, then a flag that says what happened to one address.
//!
//! - `** addr ... : SMTP error from remote mail server after RCPT TO:<addr>: 550 ...` failed;
//! - `== addr ... defer (-44) H=host [ip]: SMTP error ... : 451 ...` deferred;
//! - `=> addr ... H=host [ip] ... C="250 2.0.0 OK ..."` delivered (`->` for a further address of
//!   the same delivery, `*>` when delivery was suppressed).
//!
//! Arrivals (`<=`) and the rest are not delivery results. This server's own refusals are:
//! `H=(helo) [192.0.2.1] F=<a@b> rejected RCPT <c@d>: rejected because 192.0.2.1 is in a black
//! list at zen.spamhaus.org`, `temporarily rejected RCPT`, `rejected MAIL`, `rejected after DATA`;
//! Exim logs no code for them (550 or 451 go out unless an ACL says otherwise).
//!
//! Exim's bounce messages list each failed address two spaces in, and under it, four spaces in,
//! why: `host H [IP]`, `SMTP error from remote mail server after RCPT TO:<addr>:` and the reply
//! (noted by `nearby`), or Exim's own words (`Unrouteable address`, `retry timeout exceeded`;
//! in a delay warning, `Delay reason: Connection timed out`). Older releases put the host and the
//! reply on one line: `host mx.example.com [192.0.2.1]: 550 5.1.1 ...`.

use super::delivery::{address_at, host_name, Delivery, Format};
use super::needle::Needle;
use super::prefix::Prefix;
use crate::classify::Reported;
use crate::command::Command;
use crate::response;
use std::borrow::Cow;

/// Reads an Exim main log line, whose prefix has Exim's timestamp or Exim's syslog tag.
pub fn parse<'a>(prefix: &Prefix<'a>) -> Option<Delivery<'a>> {
    if !written_by_exim(prefix) {
        return None;
    }
    let mut rest = prefix.rest;
    // With log_selector +pid: `[1234] `.
    if rest.starts_with('[') {
        rest = needle!("] ").split_once(rest)?.1;
    }
    let (id, rest) = rest.split_once(' ')?;
    if !is_message_id(id.as_bytes()) {
        return None;
    }
    let (flag, rest) = rest.split_once(' ')?;
    let reported = match flag {
        "**" => Reported::Failed,
        "==" => Reported::Deferred,
        "=>" | "->" | "*>" => Reported::Delivered,
        _ => return None,
    };
    let mut delivery = Delivery::new(Format::Exim);
    delivery.reported = Some(reported);
    delivery.timestamp = prefix.timestamp.map(Cow::Borrowed);
    delivery.queue_id = Some(Cow::Borrowed(id));
    delivery.recipient = recipient(rest).map(Cow::Borrowed);
    if let Some(at) = field_at(rest, needle!(" H=")) {
        delivery.host = host_name(&rest[at..]).map(Cow::Borrowed);
    }

    if reported == Reported::Delivered {
        // The remote's answer to the end of data, quoted: C="250 2.0.0 OK id=...".
        if let Some(at) = field_at(rest, needle!(" C=\"")) {
            let quoted = &rest[at..];
            let end = quoted.rfind('"').unwrap_or(quoted.len());
            if let Some(reply) = response::parse(&quoted[..end]) {
                delivery.take_reply(reply);
            }
        }
        return Some(delivery);
    }
    // The error follows the first ": " after the address and its fields.
    if let Some((_, detail)) = needle!(": ").split_once(rest) {
        delivery.read_detail(detail.trim());
        if delivery.host.is_none() {
            // Older releases: `SMTP error from ... after RCPT TO:<addr>: host H [IP]: 550 ...`.
            let host = match detail.strip_prefix("host ") {
                Some(host) => Some(host),
                None => needle!(": host ")
                    .find(detail)
                    .map(|at| &detail[at + ": host ".len()..]),
            };
            // `H [IP]` or `[IP]`; not Exim's words `host lookup did not complete`.
            let named = |host: &&str| {
                host.starts_with('[')
                    || host
                        .split_once(' ')
                        .is_some_and(|(_, after)| after.starts_with('['))
            };
            delivery.host = host.filter(named).and_then(host_name).map(Cow::Borrowed);
        }
        if delivery.code.is_none() {
            // `** addr: Unrouteable address` and the like: Exim's own words.
            delivery.text = Cow::Borrowed(detail.trim());
        }
    } else if let Some((_, detail)) = needle!(" defer (").split_once(rest) {
        delivery.text = Cow::Borrowed(detail.trim_end_matches(')'));
    }
    Some(delivery)
}

/// Reads a refusal by this server, from an Exim log: ` rejected RCPT <c@d>: why`.
pub fn parse_rejection<'a>(prefix: &Prefix<'a>) -> Option<Delivery<'a>> {
    if !written_by_exim(prefix) {
        return None;
    }
    let rest = prefix.rest;
    let at = needle!(" rejected ").find(rest)?;
    let (before, after) = (&rest[..at], &rest[at + " rejected ".len()..]);
    let (command, after) = [
        ("RCPT ", Command::RcptTo),
        ("MAIL ", Command::MailFrom),
        ("after DATA", Command::EndOfData),
        ("DATA", Command::Data),
        ("EHLO or HELO ", Command::Helo),
        ("connection ", Command::Connect),
    ]
    .into_iter()
    .find_map(|(words, command)| Some((command, after.strip_prefix(words)?)))?;
    let mut delivery = Delivery::new(Format::Exim);
    delivery.command = Some(command);
    delivery.reported = Some(if before.ends_with(" temporarily") {
        Reported::Deferred
    } else {
        Reported::Failed
    });
    delivery.timestamp = prefix.timestamp.map(Cow::Borrowed);
    // A refusal after DATA is of a message with an id: `1hKl2m-0003Ab-Cd H=...`.
    if let Some((id, _)) = before.split_once(' ') {
        if is_message_id(id.as_bytes()) {
            delivery.queue_id = Some(Cow::Borrowed(id));
        }
    }
    // The client: `H=name (helo) [ip]` or `H=(helo) [ip]`; its name, else its address.
    if let Some(at) = field_at(before, needle!("H=")) {
        delivery.host = host_name(&before[at..]).map(Cow::Borrowed);
        delivery.host_is_client = true;
    }
    if command == Command::RcptTo {
        delivery.recipient = address_at(after).map(Cow::Borrowed);
    }
    let why = match needle!(": ").split_once(after) {
        Some((_, why)) => why,
        None => after,
    };
    delivery.read_detail(why.trim());
    Some(delivery)
}

/// Exim's own words on why the address on the line above failed, in a bounce message
/// (`    Unrouteable address`), or in a delay warning why it is late (`    Delay reason: ...`).
/// The caller knows the line above was a bounce's address line.
pub fn bounce_reason(line: &str) -> Option<Delivery<'_>> {
    let text = line.strip_prefix("    ")?.trim_end();
    let (reported, text) = match text.strip_prefix("Delay reason: ") {
        Some(rest) => (Reported::Deferred, rest.trim_start()),
        None => (Reported::Failed, text),
    };
    // Notes for the reply below, and `(generated from alias@example.com)`, are not the reason.
    if text.is_empty()
        || text.starts_with([' ', '('])
        || super::nearby::looks_like_note(text.as_bytes())
    {
        return None;
    }
    let mut delivery = Delivery::new(Format::Exim);
    delivery.reported = Some(reported);
    delivery.text = Cow::Borrowed(text);
    Some(delivery)
}

/// Older Exim's bounce line with the host and its reply: `host H [IP]: 550 5.1.1 ...`.
pub fn bounce_host_reply(line: &str) -> Option<Delivery<'_>> {
    let rest = line.trim_start().strip_prefix("host ")?;
    let (host, reply) = rest.split_once("]: ")?;
    let reply = response::parse(reply).filter(|reply| reply.code.is_some())?;
    let mut delivery = Delivery::new(Format::Exim);
    delivery.host = host_name(host).map(Cow::Borrowed);
    delivery.take_reply(reply);
    Some(delivery)
}

/// Exim's own log, or Exim logging to syslog (`exim[1234]:`, `exim4[1234]:`).
fn written_by_exim(prefix: &Prefix<'_>) -> bool {
    prefix.exim_style || prefix.program.is_some_and(|p| p.starts_with("exim"))
}

/// The offset just after `marker`, a field name with its leading space (` H=`).
fn field_at(text: &str, marker: Needle) -> Option<usize> {
    Some(marker.find(text)? + marker.len())
}

/// True when `text` ends with a message id as its last word (`... 1hKl2m-0003Ab-Cd`).
pub fn ends_with_message_id(text: &[u8]) -> bool {
    // An id ends with a letter or a digit: most text before an arrow (amavis's
    // `<a@b> -> <c@d>`) is settled by its last byte.
    if !text.last().is_some_and(u8::is_ascii_alphanumeric) {
        return false;
    }
    // An id is at most MESSAGE_ID_MAX bytes: the space before it is no further back than that.
    // A line ending ends the search too, for callers that search many lines at once, and so does
    // a quote, for lines wrapped in JSON (`"MESSAGE":"1hKl2m-0003Ab-Cd ** ...`).
    let tail = &text[text.len().saturating_sub(MESSAGE_ID_MAX + 1)..];
    match tail
        .iter()
        .rposition(|&b| matches!(b, b' ' | b'\n' | b'\r' | b'"'))
    {
        Some(space) => is_message_id(&tail[space + 1..]),
        None => tail.len() == text.len() && is_message_id(text),
    }
}

/// The longest message id: 6, 11 and 4 characters and two dashes.
const MESSAGE_ID_MAX: usize = 23;

/// `1tABCD-000123-EF` (before Exim 4.97) or `1tABCD-00000000123-ABCD` (from 4.97).
pub(super) fn is_message_id(id: &[u8]) -> bool {
    let mut parts = id.split(|&b| b == b'-');
    let ok = |part: Option<&[u8]>, lens: std::ops::RangeInclusive<usize>| {
        part.is_some_and(|p| lens.contains(&p.len()) && p.iter().all(u8::is_ascii_alphanumeric))
    };
    ok(parts.next(), 6..=6)
        && ok(parts.next(), 6..=11)
        && ok(parts.next(), 2..=4)
        && parts.next().is_none()
}

/// The address a delivery line is for: its first word, or, for a local delivery to a user, a
/// file or a pipe (`=> bob <bob@example.com>`, `=> /dev/null <bob@example.com>`), the address
/// in angle brackets after it.
fn recipient(rest: &str) -> Option<&str> {
    let first = address_at(rest)?;
    if first.contains('@') {
        return Some(first);
    }
    let head = rest.split(" R=").next().unwrap_or(rest);
    let angled = head
        .find(" <")
        .and_then(|at| address_at(&head[at + 1..]))
        .filter(|address| address.contains('@'));
    Some(angled.unwrap_or(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::command::Command;
    use crate::lines::prefix;

    #[test]
    fn a_bounce_reason_is_exims_own_words_four_spaces_in() {
        let failed = bounce_reason("    Unrouteable address").unwrap();
        assert_eq!(failed.reported, Some(Reported::Failed));
        assert_eq!(failed.text, "Unrouteable address");
        let late = bounce_reason("    Delay reason: retry time not reached  ").unwrap();
        assert_eq!(late.reported, Some(Reported::Deferred));
        assert_eq!(late.text, "retry time not reached");
        for not_a_reason in [
            "Unrouteable address",
            "      deeper still",
            "    (generated from info@example.com)",
            "    host mx.example.com [192.0.2.1]",
            "    SMTP error from remote mail server after RCPT TO:<a@b>:",
            "    Delay reason: SMTP error from remote mail server after RCPT TO:<a@b>:",
            "    ",
        ] {
            assert!(bounce_reason(not_a_reason).is_none(), "{not_a_reason:?}");
        }
    }

    #[test]
    fn an_older_bounce_line_gives_host_and_reply() {
        let d = bounce_host_reply("    host mx.example.com [192.0.2.1]: 550 5.1.1 No such user")
            .unwrap();
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.code.map(|c| c.as_u16()), Some(550));
        assert_eq!(d.text, "No such user");
        assert!(bounce_host_reply("    host mx.example.com [192.0.2.1]").is_none());
        assert!(
            bounce_host_reply("    host mx.example.com [192.0.2.1]: Connection refused").is_none()
        );
    }

    #[test]
    fn a_message_id_is_told_from_other_last_words() {
        assert!(ends_with_message_id(
            b"2026-11-23 10:00:01 1tEoBq-000Abc-12"
        ));
        assert!(ends_with_message_id(
            b"2026-11-23 10:00:01 [4242] 1tEoBq-00000000Ab-C3D"
        ));
        assert!(ends_with_message_id(b"1tEoBq-000Abc-12"));
        assert!(!ends_with_message_id(
            b"amavis[123]: (123-01) Passed CLEAN <a@example.net>"
        ));
        assert!(!ends_with_message_id(b"2026-11-23 10:00:01 "));
        assert!(!ends_with_message_id(b""));
        assert!(ends_with_message_id(
            b"2026-11-23 10:00:01 x\n1tEoBq-000Abc-12"
        ));
        assert!(!ends_with_message_id(b"1tEoBq-000Abc-12\nx"));
        // The longest id, alone and after a space; one byte more is no id.
        assert!(ends_with_message_id(b"1tEoBq-00000000Abc-ABCD"));
        assert!(ends_with_message_id(b"x 1tEoBq-00000000Abc-ABCD"));
        assert!(!ends_with_message_id(b"1tEoBq-00000000Abcd-ABCD"));
        assert!(!ends_with_message_id(b"x 1tEoBq-00000000Abcd-ABCD"));
        assert!(!ends_with_message_id(b"xx1tEoBq-000Abc-12"));
    }

    fn read(line: &str) -> Option<Delivery<'_>> {
        parse(&prefix::split(line))
    }

    #[test]
    fn a_failed_address_gives_the_remote_reply() {
        let d = read(
            "2026-11-23 10:00:01 1tABCD-000123-EF ** bob@example.com R=dnslookup T=remote_smtp \
             H=mx.example.com [192.0.2.1] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 \
             CV=yes: SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 \
             <bob@example.com>: Recipient address rejected: User unknown",
        )
        .unwrap();
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-23 10:00:01"));
        assert_eq!(d.queue_id.as_deref(), Some("1tABCD-000123-EF"));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(
            d.text,
            "<bob@example.com>: Recipient address rejected: User unknown"
        );
    }

    #[test]
    fn a_failure_without_a_reply_keeps_exims_words() {
        let d = read(
            "2026-11-23 10:00:02 1tABCE-000124-EF ** nobody@nowhere.invalid: Unrouteable address",
        )
        .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("nobody@nowhere.invalid"));
        assert_eq!(d.code, None);
        assert_eq!(d.text, "Unrouteable address");
        let d = read(
            "2026-11-23 10:00:02 1tABCE-000124-EF == bob@example.com R=dnslookup T=remote_smtp \
             defer (-1): host lookup did not complete",
        )
        .unwrap();
        assert_eq!(
            (d.host, d.text.as_ref()),
            (None, "host lookup did not complete")
        );
    }

    #[test]
    fn an_older_failure_gives_the_host_before_the_reply() {
        let d = read(
            "2013-11-23 10:00:01 1VkAbC-0001aB-Cd ** bob@example.com R=dnslookup T=remote_smtp: \
             SMTP error from remote mail server after RCPT TO:<bob@example.com>: host \
             mx.example.com [192.0.2.5]: 550 5.1.1 <bob@example.com>... User unknown",
        )
        .unwrap();
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.code.unwrap().as_u16(), 550);
    }

    #[test]
    fn deferrals_with_and_without_a_reply_are_read() {
        let d = read(
            "2026-11-23 10:00:03 1tABCF-000125-EF == ann@example.org R=dnslookup T=remote_smtp \
             defer (-44) H=mx.example.org [192.0.2.2]: SMTP error from remote mail server after \
             RCPT TO:<ann@example.org>: 451 4.7.1 Greylisted, please try again in 5 minutes",
        )
        .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 451);
        assert_eq!(d.reported, Some(Reported::Deferred));
        let d = read("2026-11-23 10:00:04 1tABCG-000126-EF == joe@example.net R=dnslookup T=remote_smtp defer (111): Connection refused").unwrap();
        assert_eq!((d.code, d.text.as_ref()), (None, "Connection refused"));
    }

    #[test]
    fn a_delivery_gives_the_quoted_confirmation() {
        let d = read(
            "2026-11-23 10:00:05.123 +0000 [4242] 1tABCH-00000000127-ABCD => sue@example.net \
             R=dnslookup T=remote_smtp H=mx.example.net [192.0.2.3] X=TLS1.3 CV=yes K \
             C=\"250 2.0.0 OK  1700000000 a1si123 - gsmtp\"",
        )
        .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 250);
        assert_eq!(d.reported, Some(Reported::Delivered));
        assert_eq!(d.queue_id.as_deref(), Some("1tABCH-00000000127-ABCD"));
        assert_eq!(d.text, "OK  1700000000 a1si123 - gsmtp");
    }

    #[test]
    fn a_local_delivery_is_for_the_address_in_angle_brackets() {
        let recipient = |line: &str| read(line).unwrap().recipient.map(|r| r.into_owned());
        assert_eq!(
            recipient("2026-11-24 10:00:02 1qXyZa-000Abc-2x => cat <cat@example.org> R=local_user T=local_delivery"),
            Some("cat@example.org".into())
        );
        assert_eq!(
            recipient("2026-11-24 10:00:03 1qXyZa-000Abc-3x => /dev/null <dan@example.org> R=blackhole_router"),
            Some("dan@example.org".into())
        );
        assert_eq!(
            recipient("2026-11-24 10:00:07 1qXyZa-000Abc-7x ** hal@example.com <hal@alias.example> R=dnslookup: Unrouteable address"),
            Some("hal@example.com".into()),
            "an address first is the one delivered to; the one after it, the address it came from"
        );
    }

    #[test]
    fn refusals_by_this_server_are_read() {
        let d = parse_rejection(&prefix::split(
            "2026-11-23 10:00:07 H=(bad.example) [198.51.100.7]:4321 F=<spam@bad.example> \
             rejected RCPT <user@local.example>: rejected because 198.51.100.7 is in a black list \
             at zen.spamhaus.org",
        ))
        .unwrap();
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(d.recipient.as_deref(), Some("user@local.example"));
        assert_eq!(d.host.as_deref(), Some("198.51.100.7"));
        assert!(d.host_is_client);
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(
            d.text,
            "rejected because 198.51.100.7 is in a black list at zen.spamhaus.org"
        );

        let d = parse_rejection(&prefix::split(
            "2026-11-23 10:00:08 H=mail.example.org [192.0.2.4] F=<a@example.org> temporarily \
             rejected RCPT <b@local.example>: greylisted",
        ))
        .unwrap();
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.host.as_deref(), Some("mail.example.org"));

        let d = parse_rejection(&prefix::split(
            "2026-11-23 10:00:09 1tABCD-000123-EF H=mail.example.org [192.0.2.4] F=<a@example.org> \
             rejected after DATA: This message contains a virus (Eicar-Test-Signature).",
        ))
        .unwrap();
        assert_eq!(d.command, Some(Command::EndOfData));
        assert_eq!(d.queue_id.as_deref(), Some("1tABCD-000123-EF"));
        assert_eq!(d.recipient, None);

        assert!(parse_rejection(&prefix::split(
            "Nov 23 10:00:01 mx postfix/smtp[1]: 4F9D21A2B3: to=<a@b>, status=bounced (host x said: \
             550 5.7.1 Message rejected as spam)"
        ))
        .is_none());
        assert!(parse_rejection(&prefix::split(
            "2026-11-23 10:00:09 H=x [192.0.2.4] rejected the idea of a new test"
        ))
        .is_none());
    }

    #[test]
    fn arrivals_and_other_lines_are_not_results() {
        assert!(read(
            "2026-11-23 10:00:06 1tABCI-000128-EF <= a@example.com H=x [192.0.2.4] P=esmtps S=1234"
        )
        .is_none());
        assert!(read("2026-11-23 10:00:07 1tABCI-000128-EF Completed").is_none());
        assert!(read("2026-11-23 10:00:08 SMTP connection from [192.0.2.5] lost").is_none());
    }
}
