//! amavis (amavisd-new) log lines: the content filter's verdict on a message it checked between
//! two hops of the MTA.
//!
//! `(01234-05) Passed CLEAN {RelayedInbound}, [192.0.2.5]:4567 [192.0.2.5] <ann@example.org> ->
//! <bob@example.com>,<carol@example.com>, Queue-ID: 4XyZ1n2Abc, Message-ID: <1@example.org>,
//! mail_id: kX9s8d7f6g5h, Hits: -1.2, size: 3456, queued_as: 4XyZ2p3Def, 250 2.0.0 from
//! MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4XyZ2p3Def, 1234 ms`
//!
//! After the verdict (`Passed` or `Blocked`) comes the message's content category (`CLEAN`,
//! `SPAM`, `INFECTED (name)`, `BANNED (what)`, `BAD-HEADER`...), the sender, an arrow, the
//! recipients, fields, and, in most versions, amavis's own reply to the MTA that handed it the
//! message. A message that passed went back to the MTA, which logs its delivery itself: that line
//! is no result, unless the MTA refused it back. A blocked message went no further: a failure of
//! each recipient, for the category's reason (data/services.toml, service `amavis`).

use super::delivery::{Delivery, Format};
use crate::classify::Reported;
use crate::response::{self, Response};
use crate::tables::service_class;
use std::borrow::Cow;

/// Reads the message of an amavis line (after the syslog prefix): `None` when it is no verdict
/// with a reply, `Some(None)` for a verdict that is no result (a message passed back to the MTA),
/// `Some(Some(delivery))` for a result, the line's other recipients in `others`.
pub fn parse(message: &str) -> Option<Option<Delivery<'_>>> {
    let body = skip_log_id(message);
    let (blocked, rest) = if let Some(rest) = body.strip_prefix("Blocked ") {
        (true, rest)
    } else {
        (false, body.strip_prefix("Passed ")?)
    };
    let category = &rest[..rest.find([' ', ',', '{']).unwrap_or(rest.len())];
    let (_, after_arrow) = rest.split_once(" -> ")?;
    let recipients = recipients(after_arrow);
    let reply = own_reply(after_arrow);
    let failed = reply
        .as_ref()
        .and_then(|reply| reply.code)
        .is_some_and(|code| code.class() != 2);
    if !blocked && !failed {
        return Some(None);
    }
    let mut delivery = Delivery::new(Format::Amavis);
    match reply {
        // amavis's refusal, or the MTA's refusal of the message handed back to it.
        Some(reply) if failed => delivery.take_reply(reply),
        // `250 2.7.0 Ok, discarded, id=...`: amavis took the message from the MTA and dropped it.
        Some(reply) => delivery.text = Cow::Borrowed(reply.text),
        None => delivery.text = Cow::Borrowed(category),
    }
    if blocked {
        delivery.reported = Some(Reported::Failed);
        delivery.class = service_class("amavis", category);
    }
    let mut recipients = recipients.map(|address| Some(Cow::Borrowed(address)));
    delivery.recipient = recipients.next().flatten();
    delivery.others = recipients
        .map(|recipient| Delivery {
            recipient,
            ..delivery.clone()
        })
        .collect();
    Some(Some(delivery))
}

/// The message without amavis's log id, `(01234-05) `.
fn skip_log_id(message: &str) -> &str {
    message
        .strip_prefix('(')
        .and_then(|rest| rest.split_once(") "))
        .map_or(message, |(_, rest)| rest)
}

/// The addresses of the list after the arrow: `<bob@example.com>,<carol@example.com>, ...`.
fn recipients(mut list: &str) -> impl Iterator<Item = &str> {
    std::iter::from_fn(move || {
        let inner = list.strip_prefix('<')?;
        let end = inner.find('>')?;
        let address = &inner[..end];
        list = inner[end + 1..].strip_prefix(',').unwrap_or("");
        (!address.is_empty()).then_some(address)
    })
}

/// amavis's reply to the MTA, the first field that is a reply code followed by an enhanced code
/// of its class: `, 554 5.7.0 Reject, id=...` or `, 250 2.0.0 from MTA(...): 250 2.0.0 Ok...`.
fn own_reply(fields: &str) -> Option<Response<'_>> {
    let mut rest = fields;
    while let Some(at) = rest.find(", ") {
        rest = &rest[at + 2..];
        if !rest.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            continue;
        }
        let Some(reply) = response::parse(rest) else {
            continue;
        };
        let of_class = match (reply.code, reply.enhanced) {
            (Some(code), Some(enhanced)) => code.class() == enhanced.class(),
            _ => false,
        };
        if of_class {
            // The reply runs to the field giving the time amavis took: `, 1234 ms`.
            let text = reply.text;
            let text = match text.rfind(", ") {
                Some(end) if text[end + 2..].ends_with(" ms") => &text[..end],
                _ => text,
            };
            return Some(Response { text, ..reply });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reason::Reason;

    const PASSED: &str = "(01234-05) Passed CLEAN {RelayedInbound}, [203.0.113.5]:4567 [203.0.113.5] <ann@example.org> -> <bob@example.com>,<carol@example.com>, Queue-ID: 4XyZ1n2Abc, Message-ID: <abc123@example.org>, mail_id: kX9s8d7f6g5h, Hits: -1.2, size: 3456, queued_as: 4XyZ2p3Def, 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4XyZ2p3Def, 1234 ms";

    #[test]
    fn a_message_passed_back_to_the_mta_is_no_result() {
        assert_eq!(parse(PASSED), Some(None));
        let no_reply = "(01234-05) Passed CLEAN {RelayedOutbound}, LOCAL [10.0.0.5]:4567 <ann@example.org> -> <bob@example.com>, Queue-ID: 4XyZ1n2Abc, size: 3456, 432 ms";
        assert_eq!(parse(no_reply), Some(None));
    }

    #[test]
    fn a_refusal_of_the_message_handed_back_is_a_result_for_each_recipient() {
        let line = PASSED.replace(
            "250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4XyZ2p3Def",
            "451 4.5.0 from MTA(smtp:[127.0.0.1]:10025): 451 4.3.0 Error: queue file write error",
        );
        let d = parse(&line).unwrap().unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 451);
        assert_eq!(
            d.text,
            "from MTA(smtp:[127.0.0.1]:10025): 451 4.3.0 Error: queue file write error"
        );
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.others.len(), 1);
        assert_eq!(d.others[0].recipient.as_deref(), Some("carol@example.com"));
        assert_eq!(d.reported, None);
    }

    #[test]
    fn a_blocked_message_fails_for_its_category() {
        let line = "(01234-07) Blocked SPAM {RejectedInbound}, [203.0.113.5]:4567 [203.0.113.5] <ann@example.org> -> <bob@example.com>, Queue-ID: 4XyZ1n2Abc, Message-ID: <abc123@example.org>, mail_id: kX9s8d7f6g5h, Hits: 12.3, size: 3456, 554 5.7.0 Reject, id=01234-07 - spam, 1234 ms";
        let d = parse(line).unwrap().unwrap();
        assert_eq!(d.format, Format::Amavis);
        assert_eq!(d.code.unwrap().as_u16(), 554);
        assert_eq!(d.text, "Reject, id=01234-07 - spam");
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.class.unwrap().reason, Reason::SpamDetected);

        // Discarded: amavis's 250 is its taking of the message, not a delivery.
        let line = "(01234-06) Blocked INFECTED (Eicar-Signature) {DiscardedInbound,Quarantined}, [203.0.113.5]:4567 [203.0.113.5] <ann@example.org> -> <bob@example.com>, quarantine: virus-kX9s8d7f6g5h, Queue-ID: 4XyZ1n2Abc, Message-ID: <abc123@example.org>, mail_id: kX9s8d7f6g5h, Hits: -, size: 3456, 250 2.7.0 Ok, discarded, id=01234-06 - INFECTED: Eicar-Signature, 1234 ms";
        let d = parse(line).unwrap().unwrap();
        assert_eq!(d.code, None);
        assert_eq!(d.enhanced, None);
        assert_eq!(
            d.text,
            "Ok, discarded, id=01234-06 - INFECTED: Eicar-Signature"
        );
        assert_eq!(d.class.unwrap().reason, Reason::VirusDetected);
    }

    #[test]
    fn other_lines_are_not_verdicts() {
        for line in [
            "(01234-09) (!)FWD from <ann@example.org> -> <bob@example.com>, 451 4.5.0 From MTA(smtp:[127.0.0.1]:10025) during fwd-connect",
            "(01234-05) Checking: kX9s8d7f6g5h [203.0.113.5] <ann@example.org> -> <bob@example.com>",
            "(01234-05) Passed CLEAN",
        ] {
            assert_eq!(parse(line), None, "{line}");
        }
    }
}
