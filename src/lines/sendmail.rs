//! Sendmail log lines, and OpenSMTPD's, which report results with the same `stat=` word.
//!
//! - Sendmail: `2ANA01xZ012345: to=<bob@example.com>, ..., relay=mx.example.com. [192.0.2.1],
//!   dsn=5.1.1, stat=User unknown`; `stat=Deferred: 421 4.7.0 Try again later`; `stat=Sent (...)`.
//! - Sendmail's own rejections: `ruleset=check_rcpt, arg1=<bob@example.com>, relay=...,
//!   reject=550 5.7.1 <bob@example.com>... Relaying denied`, and `reply=` where it logs the reply;
//!   a recipient it refuses by its address: `2ANA01xZ012345: <bob@example.com>... User unknown`.
//! - OpenSMTPD: `mta delivery evpid=... from=<a@b> to=<c@d> rcpt=<-> source="192.0.2.9"
//!   relay="192.0.2.1 (mx.example.com)" delay=2s result="PermFail" stat="550 5.1.1 ..."`.

use super::delivery::{address_at, find_reply, host_name, Delivery, Format};
use super::needle::Needle;
use super::prefix;
use crate::classify::Reported;
use crate::command::Command;
use crate::response;
use std::borrow::Cow;

/// Reads a Sendmail or OpenSMTPD line's message (after the syslog prefix). A line for several
/// recipients gives the same result for each of the others (`Delivery::others`).
pub fn parse(message: &str) -> Option<Delivery<'_>> {
    let (mut delivery, to) = parse_first(message)?;
    delivery.others = to
        .into_iter()
        .flat_map(|to| addresses(to).skip(1))
        .map(|address| Delivery {
            recipient: Some(Cow::Borrowed(address)),
            ..delivery.clone()
        })
        .collect();
    Some(delivery)
}

/// `parse` for the first recipient, and the line's `to=` value.
fn parse_first(message: &str) -> Option<(Delivery<'_>, Option<&str>)> {
    let (queue_id, body) = split_queue_id(message);
    let mut delivery = Delivery::new(Format::Sendmail);
    delivery.queue_id = queue_id.map(Cow::Borrowed);
    let to = value(body, needle!("to="));
    delivery.recipient = to.and_then(|to| addresses(to).next()).map(Cow::Borrowed);
    delivery.host = value(body, needle!("relay="))
        .and_then(host_name)
        .map(Cow::Borrowed);
    delivery.enhanced = value(body, needle!("dsn=")).and_then(|dsn| dsn.parse().ok());
    delivery.reported = value(body, needle!("result=")).and_then(|result| match result {
        "Ok" => Some(Reported::Delivered),
        "TempFail" => Some(Reported::Deferred),
        "PermFail" => Some(Reported::Failed),
        _ => None,
    });

    if let Some(stat) = value(body, needle!("stat=")) {
        // Newer Sendmail logs the remote's reply after the status: `stat=User unknown,
        // reply=550 5.1.1 <bob@example.com>... User unknown`; the reply has the codes and words.
        let (stat, logged) = match stat.split_once(", reply=") {
            Some((stat, reply)) => (stat, response::parse(reply).filter(|r| r.code.is_some())),
            None => (stat, None),
        };
        delivery.reported = delivery.reported.or(Some(reported_by(stat)));
        match logged.or_else(|| find_reply(stat).map(|(reply, _)| reply)) {
            Some(reply) => delivery.take_reply(reply),
            None => delivery.text = Cow::Borrowed(stat),
        }
        return Some((delivery, to));
    }
    // A rejection by this server: `reject=550 5.7.1 ...` or a logged `reply=550 ...`.
    let rejected = value(body, needle!("reject="));
    delivery.host_is_client = rejected.is_some();
    let reply = rejected.or_else(|| value(body, needle!("reply=")))?;
    let reply = response::parse(reply).filter(|r| r.code.is_some())?;
    delivery.take_reply(reply);
    let ruleset = value(body, needle!("ruleset="));
    delivery.command = match ruleset {
        Some("check_rcpt") => Some(Command::RcptTo),
        Some("check_mail") => Some(Command::MailFrom),
        Some("check_relay") => Some(Command::Connect),
        Some("check_data" | "check_eom") => Some(Command::EndOfData),
        _ => None,
    };
    if ruleset == Some("check_rcpt") && delivery.recipient.is_none() {
        delivery.recipient = value(body, needle!("arg1="))
            .and_then(address_at)
            .map(Cow::Borrowed);
    }
    Some((delivery, to))
}

/// A deferral in a Sendmail bounce's transcript, in Sendmail's words: `<bob@example.org>...
/// Deferred: Connection timed out with mx.example.org.`, `<bob@example.org>... Deferred: 421 4.7.0
/// Try again later`. Its failures come as replies, which the transcript also holds.
pub fn transcript_deferral(line: &str) -> Option<Delivery<'_>> {
    let (address, rest) = super::said::leading_recipient(line)?;
    let words = rest.strip_prefix("... Deferred")?;
    let words = words.strip_prefix(':').unwrap_or(words).trim();
    let mut delivery = Delivery::new(Format::Sendmail);
    delivery.recipient = Some(Cow::Borrowed(address));
    delivery.reported = Some(Reported::Deferred);
    delivery.read_detail(words);
    // `... with mx.example.org.`, `... refused by mx.example.org.`: the host it could not reach.
    delivery.host = [" with ", " by "]
        .iter()
        .find_map(|lead| Some(&words[words.rfind(lead)? + lead.len()..]))
        .map(|host| host.trim_end_matches('.'))
        .filter(|host| host.contains('.') && !host.contains(' '))
        .and_then(host_name)
        .map(Cow::Borrowed);
    Some(delivery)
}

/// A refusal in Sendmail's log by the address it is about, as Sendmail logs a recipient it turns
/// away itself: `2ANA01xZ012345: <bob@example.com>... User unknown`, `<joe@example.net>...
/// Relaying denied. Proper authentication required.` Only from a line Sendmail wrote (its syslog
/// tag), and not its progress words (`Connecting to ...`, `Sent`), which no syslog line should
/// hold but a verbose run's output does.
pub fn parse_refusal<'a>(prefix: &prefix::Prefix<'a>) -> Option<Delivery<'a>> {
    let program = prefix.program?;
    if !(program.starts_with("sendmail") || program.starts_with("sm-")) {
        return None;
    }
    let (queue_id, body) = split_queue_id(prefix.rest);
    let (address, rest) = super::said::leading_recipient(body)?;
    let words = rest.strip_prefix("... ")?.trim();
    if words.starts_with("Deferred") {
        let mut delivery = transcript_deferral(body)?;
        delivery.queue_id = queue_id.map(Cow::Borrowed);
        return Some(delivery);
    }
    const PROGRESS: [&str; 6] = [
        "Connecting to",
        "Sent",
        "Recipient ok",
        "Sender ok",
        "Using cached",
        "queued",
    ];
    if words.is_empty() || PROGRESS.iter().any(|p| words.starts_with(p)) {
        return None;
    }
    let mut delivery = Delivery::new(Format::Sendmail);
    delivery.queue_id = queue_id.map(Cow::Borrowed);
    delivery.recipient = Some(Cow::Borrowed(address));
    delivery.command = Some(Command::RcptTo);
    delivery.host_is_client = true;
    delivery.reported = Some(Reported::Failed);
    delivery.read_detail(words);
    Some(delivery)
}

/// A cheap first look for `transcript_deferral`, given where the line's first word ends.
pub fn may_be_transcript_deferral(line: &[u8], word_end: usize) -> bool {
    line.first() == Some(&b'<')
        && line[..word_end].ends_with(b">...")
        && line[word_end..].starts_with(b" Deferred")
}

/// The addresses of a `to=` value: one, or several joined by commas (`<a@x>,<b@x>`, `a@x,b@x`),
/// as Sendmail lists the recipients one delivery served.
fn addresses(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').filter_map(address_at)
}

/// `2ANA01xZ012345: rest`, or the message as it is when no queue id leads it.
fn split_queue_id(message: &str) -> (Option<&str>, &str) {
    match prefix::split_id(message, is_queue_id) {
        Some((id, rest)) => (Some(id), rest),
        None => (None, message),
    }
}

fn is_queue_id(word: &str) -> bool {
    (8..=20).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What Sendmail's `stat=` word says happened, for when no code says it.
fn reported_by(stat: &str) -> Reported {
    if stat.starts_with("Sent") {
        Reported::Delivered
    } else if stat.starts_with("Deferred") || stat.starts_with("queued") {
        Reported::Deferred
    } else {
        Reported::Failed
    }
}

/// The value of `name` as a field (at the start, or after a space or comma): up to `, ` for
/// Sendmail, the closing quote for OpenSMTPD's quoted values. `stat=`, `reject=` and `reply=`,
/// which Sendmail writes last, run to the end of the line: their replies hold spaces and commas.
fn value(text: &str, name: Needle) -> Option<&str> {
    let value = &text[name.find_field(text)? + name.len()..];
    if let Some(quoted) = value.strip_prefix('"') {
        return Some(&quoted[..quoted.find('"').unwrap_or(quoted.len())]);
    }
    if matches!(name.text(), "stat=" | "reject=" | "reply=") {
        return Some(value.trim_end());
    }
    let end = value
        .find(", ")
        .or_else(|| value.find(' ').filter(|_| name.text() != "relay="))
        .unwrap_or(value.len());
    Some(value[..end].trim_end_matches(','))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::prefix;

    fn read(line: &str) -> Option<Delivery<'_>> {
        parse(prefix::split(line).rest)
    }

    #[test]
    fn every_recipient_of_a_to_list_is_read() {
        let d = read(
            "Nov 23 10:00:01 mail sendmail[1]: 2ANA01xZ012345: to=<a@example.com>,b@example.com,\
             <c@example.org>, delay=00:00:01, dsn=5.1.2, stat=Host unknown",
        )
        .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("a@example.com"));
        let others: Vec<_> = d.others.iter().map(|o| o.recipient.as_deref()).collect();
        assert_eq!(others, [Some("b@example.com"), Some("c@example.org")]);
        assert!(d
            .others
            .iter()
            .all(|o| o.enhanced == d.enhanced && o.text == d.text));
        let one = read("Nov 23 10:00:01 mail sendmail[1]: 2ANA01xZ012345: to=<a@example.com>, dsn=5.1.1, stat=User unknown").unwrap();
        assert_eq!(one.recipient.as_deref(), Some("a@example.com"));
        assert!(one.others.is_empty());
    }

    #[test]
    fn a_reply_logged_after_the_status_gives_codes_and_words() {
        let d = read(
            "Dec  6 12:00:09 mail sm-mta[4009]: 2B6C0001234570: to=<fa@example.net>, delay=00:00:01, \
             mailer=esmtp, relay=mx.example.net. [192.0.2.5], dsn=5.2.2, stat=Mailbox full, \
             reply=552 5.2.2 <fa@example.net>... Mailbox full",
        )
        .unwrap();
        assert_eq!(d.code.map(|c| c.as_u16()), Some(552));
        assert_eq!(d.enhanced.map(|e| e.to_string()).as_deref(), Some("5.2.2"));
        assert_eq!(d.text, "<fa@example.net>... Mailbox full");
        assert_eq!(d.reported, Some(Reported::Failed));
        // Words after `reply=` that are no reply leave the status as it was.
        let d = read(
            "Dec  6 12:00:09 mail sm-mta[4009]: 2B6C0001234570: to=<fa@example.net>, dsn=4.0.0, \
             stat=Deferred: Connection refused, reply=none",
        )
        .unwrap();
        assert_eq!(d.code, None);
        assert_eq!(d.text, "Deferred: Connection refused");
        assert_eq!(d.reported, Some(Reported::Deferred));
    }

    #[test]
    fn a_transcripts_deferral_gives_recipient_words_and_host() {
        let line = "<kim@example.org>... Deferred: Connection timed out with mx.example.org.";
        assert!(may_be_transcript_deferral(
            line.as_bytes(),
            line.find(' ').unwrap()
        ));
        let d = transcript_deferral(line).unwrap();
        assert_eq!(d.recipient.as_deref(), Some("kim@example.org"));
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.host.as_deref(), Some("mx.example.org"));
        assert_eq!(d.text, "Connection timed out with mx.example.org.");
        let d = transcript_deferral("<kim@example.org>... Deferred: 421 4.7.0 Try again later")
            .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 421);
        assert_eq!(d.host, None);
        for other in [
            "<kim@example.org>... User unknown",
            "<kim@example.org>... Connecting to mx.example.org. via esmtp...",
            "<not an address>... Deferred: x",
            "kim@example.org... Deferred: x",
        ] {
            assert!(transcript_deferral(other).is_none(), "{other}");
        }
    }

    #[test]
    fn a_sendmail_result_gives_dsn_status_recipient_and_relay() {
        let d = read(
            "Nov 23 10:00:01 mail sendmail[1234]: 2ANA01xZ012345: to=<bob@example.com>, \
             ctladdr=<web@example.org> (1000/1000), delay=00:00:01, xdelay=00:00:01, mailer=esmtp, \
             pri=120000, relay=mx.example.com. [192.0.2.1], dsn=5.1.1, stat=User unknown",
        )
        .unwrap();
        assert_eq!(d.queue_id.as_deref(), Some("2ANA01xZ012345"));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.text, "User unknown");
    }

    #[test]
    fn a_deferral_quoting_a_reply_gives_its_code() {
        let d = read(
            "Nov 23 10:00:02 mail sm-mta[99]: 2ANA02xZ012346: to=ann@example.org, delay=00:05:00, \
             mailer=esmtp, relay=mx.example.org. [192.0.2.2], dsn=4.7.0, stat=Deferred: 421 4.7.0 Try again later",
        )
        .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 421);
        assert_eq!(d.recipient.as_deref(), Some("ann@example.org"));
        assert_eq!(d.reported, Some(Reported::Deferred));
    }

    #[test]
    fn a_rejection_by_a_ruleset_names_the_command() {
        let d = read(
            "Nov 23 10:00:03 mail sendmail[7]: 2ANA03xZ012347: ruleset=check_rcpt, arg1=<joe@example.net>, \
             relay=client.example.com [198.51.100.2], reject=550 5.7.1 <joe@example.net>... Relaying denied",
        )
        .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.7.1");
        assert_eq!(d.text, "<joe@example.net>... Relaying denied");
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(d.recipient.as_deref(), Some("joe@example.net"));
    }

    #[test]
    fn a_milter_rejection_keeps_the_whole_reply() {
        let d = read(
            "Nov 23 10:00:06 mail sm-mta[8]: 2ANA05xZ012349: Milter: data, \
             reject=550 5.7.1 Blocked by SpamAssassin, score 12.3",
        )
        .unwrap();
        assert_eq!(d.enhanced.unwrap().to_string(), "5.7.1");
        assert_eq!(d.text, "Blocked by SpamAssassin, score 12.3");
    }

    #[test]
    fn opensmtpd_results_are_read_from_quoted_values() {
        let d = read(
            "Nov 23 10:00:04 mail smtpd[55]: 1a2b3c4d5e6f7a8b mta delivery evpid=1a2b3c4d5e6f7a8b \
             from=<web@example.org> to=<sue@example.net> rcpt=<-> source=\"192.0.2.9\" \
             relay=\"192.0.2.3 (mx.example.net)\" delay=2s result=\"PermFail\" \
             stat=\"550 5.2.1 <sue@example.net>: mailbox disabled\"",
        )
        .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("sue@example.net"));
        assert_eq!(d.host.as_deref(), Some("mx.example.net"));
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.reported, Some(Reported::Failed));
    }

    #[test]
    fn a_refusal_by_the_address_is_read_from_sendmails_lines_only() {
        let refusal = |line| parse_refusal(&prefix::split(line));
        let d = refusal(
            "Dec  7 10:00:21 mail sm-mta[1234]: 4B7A0000005: <nobody@example.com>... User unknown",
        )
        .unwrap();
        assert_eq!(d.queue_id.as_deref(), Some("4B7A0000005"));
        assert_eq!(d.recipient.as_deref(), Some("nobody@example.com"));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(d.text, "User unknown");
        let d = refusal(
            "Dec  7 10:00:22 mail sendmail[99]: 4B7A0000006: <joe@example.net>... Deferred: 451 4.3.0 Temporary failure",
        )
        .unwrap();
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.code.unwrap().as_u16(), 451);
        assert_eq!(d.queue_id.as_deref(), Some("4B7A0000006"));
        for other in [
            // Another program's, or no program's.
            "Dec  7 10:00:21 mail amavis[12]: <nobody@example.com>... User unknown",
            "<nobody@example.com>... User unknown",
            // Progress, not a result.
            "Dec  7 10:00:21 mail sendmail[1]: 4B7A0000005: <bob@example.com>... Connecting to mx.example.com. via esmtp...",
            "Dec  7 10:00:21 mail sendmail[1]: 4B7A0000005: <bob@example.com>... Sent (Ok: queued as 4Q2)",
            "Dec  7 10:00:21 mail sendmail[1]: 4B7A0000005: <bob@example.com>... ",
        ] {
            assert!(refusal(other).is_none(), "{other}");
        }
    }

    #[test]
    fn lines_without_a_result_are_not_read() {
        assert!(read(
            "Nov 23 10:00:05 mail sendmail[7]: 2ANA04xZ012348: from=<a@b>, size=10, nrcpts=1"
        )
        .is_none());
    }
}
