//! Events of sending services, a JSON object a line, as their webhooks post them and their
//! exports keep them: Amazon SES, SendGrid, Mailgun, Postmark, SparkPost, Mandrill, Mailjet and
//! Brevo; and the log records of KumoMTA, the MTA many of them send with.
//!
//! ```text
//! {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"bob@example.com","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],...},"mail":{...}}
//! {"email":"bob@example.com","timestamp":1700000000,"event":"bounce","reason":"550 5.1.1 ...","status":"5.1.1","type":"bounce"}
//! {"event":"failed","severity":"permanent","recipient":"bob@example.com","delivery-status":{"code":550,"enhanced-code":"5.1.1","message":"...","mx-host":"mx.example.com"},...}
//! {"RecordType":"Bounce","Type":"HardBounce","Email":"bob@example.com","Details":"smtp;550 5.1.1 ...","BouncedAt":"...",...}
//! {"msys":{"message_event":{"type":"bounce","bounce_class":"10","rcpt_to":"bob@example.com","raw_reason":"550: 5.1.1 ...","error_code":"550","ip_address":"192.0.2.1",...}}}
//! {"event":"hard_bounce","msg":{"email":"bob@example.com","state":"bounced","bounce_description":"bad_mailbox","diag":"smtp;550 5.1.1 ...",...},"ts":1700000000}
//! {"event":"bounce","time":1700000000,"MessageID":19421777835146490,"email":"bob@example.com","mj_campaign_id":7257,"hard_bounce":true,"error_related_to":"recipient","error":"user unknown"}
//! {"event":"hard_bounce","email":"bob@example.com","id":123,"message-id":"<...>","ts_event":1700000000,"reason":"550 5.1.1 ..."}
//! {"type":"Bounce","recipient":"bob@example.com","response":{"code":550,"enhanced_code":{"class":5,"subject":1,"detail":1},"content":"...","command":"RCPT TO:<bob@example.com>\r\n"},"peer_address":{"name":"mx.example.com","addr":"192.0.2.1"},"timestamp":1700000000,"bounce_classification":"InvalidRecipient",...}
//! ```
//!
//! A bounce, a delay, a delivery, a complaint and a send the service would not make (an address
//! on its suppression list) are results; opens, clicks and the like are not. SES's SNS
//! notifications (the event as a string in `Message`), Mailgun's webhook body (`event-data`) and
//! SparkPost's (`msys`, then the kind of event) are unwrapped first. An event for several
//! recipients (SES may group them) gives a result for each, and a line holding an array of events
//! (SendGrid's webhook body) a result for each of its results (`Delivery::others`).

use super::delivery::{find_reply, Delivery, Format, Record};
use super::dsn;
use crate::classify::Reported;
use crate::command::Command;
use crate::reason::Reason;
use crate::tables::{service_class, ServiceClass};
use memchr::memmem;
use serde_json::Value;
use std::borrow::Cow;

/// The keys that name an event in each service's objects, SNS's (whose message, the event, is an
/// escaped string) and one every KumoMTA record has (its `type` is too common a key to search).
const EVENT_KEYS: [&[u8]; 7] = [
    b"\"bounce_classification\"",
    b"\"rcpt_to\"",
    b"\"notificationType\"",
    b"\"TopicArn\"",
    b"\"eventType\"",
    b"\"event\"",
    b"\"RecordType\"",
];

/// Whether a line may be an event: a JSON object with one of the keys that name one. Told
/// without parsing, so that other JSON logs (journald's, Docker's) cost little.
pub fn may_be_event(bytes: &[u8]) -> bool {
    let opens = |from: usize| bytes[from..].iter().find(|b| !b.is_ascii_whitespace());
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    start.is_some_and(|at| match bytes[at] {
        b'{' => true,
        // An array of events: `[{"email":...},...]`.
        b'[' => opens(at + 1) == Some(&b'{'),
        _ => false,
    }) && EVENT_KEYS
        .iter()
        .any(|key| memmem::find(bytes, key).is_some())
}

/// Reads an event; `None` when the line is not one of these services' events.
pub fn parse(line: &str) -> Option<Record> {
    let value: Value = serde_json::from_str(line.trim()).ok()?;
    match &value {
        // SendGrid posts its events as an array: each result gives a record, the first
        // carrying the others; an array of nothing but other events (opens, clicks) is one.
        Value::Array(events) => {
            let mut records = events.iter().filter_map(parse_event).peekable();
            let first_other = records.next_if(|record| matches!(record, Record::Other));
            let mut results = records.filter_map(|record| match record {
                Record::Result(delivery) => Some(delivery),
                Record::Other => None,
            });
            match results.next() {
                Some(mut first) => {
                    first.others.extend(results);
                    Some(Record::Result(first))
                }
                None => first_other,
            }
        }
        _ => parse_event(&value),
    }
}

/// Reads one event object.
fn parse_event(value: &Value) -> Option<Record> {
    let mut event = value.as_object()?;
    // SNS: the SES notification is a JSON string in `Message`.
    let inner: Value;
    if let Some(message) = event.get("Message").and_then(Value::as_str) {
        inner = serde_json::from_str(message).ok()?;
        event = inner.as_object()?;
    }
    // Mailgun's webhooks: the event under `event-data`.
    if let Some(data) = event.get("event-data").and_then(Value::as_object) {
        event = data;
    }
    // SparkPost's webhooks: `{"msys":{"message_event":{...}}}`; its events API gives the event
    // itself.
    if let Some(msys) = event.get("msys").and_then(Value::as_object) {
        event = msys.values().find_map(Value::as_object)?;
    }
    let text = |object: &serde_json::Map<String, Value>, key: &str| -> Option<String> {
        match object.get(key)? {
            Value::String(text) => Some(text.clone()).filter(|t| !t.is_empty()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    };
    if let Some(kind) = event
        .get("notificationType")
        .or_else(|| event.get("eventType"))
        .and_then(Value::as_str)
    {
        return ses(kind, event, &text);
    }
    if let Some(kind) = event.get("RecordType").and_then(Value::as_str) {
        return postmark(kind, event, &text);
    }
    if event.contains_key("rcpt_to") {
        let kind = event.get("type").and_then(Value::as_str)?;
        return sparkpost(kind, event, &text);
    }
    // SendGrid's bounces carry a `bounce_classification` too (since 2023), beside its `event`.
    if event.contains_key("bounce_classification") && !event.contains_key("event") {
        let kind = event.get("type").and_then(Value::as_str)?;
        return kumomta(kind, event, &text);
    }
    let kind = event.get("event").and_then(Value::as_str)?;
    if let Some(message) = event.get("msg").and_then(Value::as_object) {
        return mandrill(kind, event, message, &text);
    }
    // Services that share SendGrid's `email` key, told by keys only they use.
    let has_any = |keys: [&str; 3]| keys.iter().any(|key| event.contains_key(*key));
    if has_any(["mj_campaign_id", "mj_contact_id", "Message_GUID"]) {
        return mailjet(kind, event, &text);
    }
    if has_any(["ts_event", "message-id", "camp_id"]) {
        return brevo(kind, event, &text);
    }
    if event.contains_key("email") {
        return sendgrid(kind, event, &text);
    }
    if event.contains_key("recipient") {
        return mailgun(kind, event, &text);
    }
    None
}

type Object = serde_json::Map<String, Value>;
type Text<'f> = dyn Fn(&Object, &str) -> Option<String> + 'f;

/// The facts an event gives, before they are read as a delivery.
#[derive(Default, Clone)]
struct Facts {
    reported: Option<Reported>,
    recipient: Option<String>,
    /// An SMTP reply, or a DSN diagnostic (`smtp; 550 ...`).
    reply: Option<String>,
    status: Option<String>,
    host: Option<String>,
    timestamp: Option<String>,
    id: Option<String>,
    /// The service's own class of the failure.
    class: Option<&'static ServiceClass>,
}

impl Facts {
    fn into_record(self, format: Format) -> Record {
        Record::Result(self.into_delivery(format))
    }

    fn into_delivery(self, format: Format) -> Delivery<'static> {
        let mut delivery = Delivery::new(format);
        if let Some(reply) = &self.reply {
            if reply.contains(';') && !reply.starts_with(|c: char| c.is_ascii_digit()) {
                dsn::read_diagnostic(&mut delivery, reply);
            } else {
                delivery.command = Command::find_in(reply);
                match find_reply(reply) {
                    Some((found, _)) => delivery.take_reply(found),
                    None => delivery.text = Cow::Borrowed(reply.as_str()),
                }
            }
        }
        if let Some(status) = &self.status {
            dsn::read_status(&mut delivery, status);
        }
        // A class of the service's suppression (SparkPost's 25 and 26, SES's `Suppressed`) means
        // it never sent the message.
        delivery.reported = match self.class {
            Some(class) if class.reason == Reason::Suppressed => Some(Reported::Suppressed),
            _ => self.reported,
        };
        delivery.class = self.class;
        let mut delivery = delivery.into_owned();
        delivery.recipient = self.recipient.map(Cow::Owned);
        delivery.host = self.host.map(Cow::Owned);
        delivery.timestamp = self.timestamp.map(Cow::Owned);
        delivery.queue_id = self.id.map(Cow::Owned);
        delivery
    }
}

/// The array under `key` of `object`, empty when there is none.
fn array_at<'v>(object: Option<&'v Object>, key: &str) -> &'v [Value] {
    object
        .and_then(|object| object.get(key))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Amazon SES, by notification or by event publishing.
fn ses(kind: &str, event: &Object, text: &Text<'_>) -> Option<Record> {
    let (key, recipients, reported) = match kind {
        "Bounce" => ("bounce", "bouncedRecipients", Reported::Failed),
        "DeliveryDelay" => ("deliveryDelay", "delayedRecipients", Reported::Deferred),
        "Delivery" => ("delivery", "recipients", Reported::Delivered),
        "Complaint" => ("complaint", "complainedRecipients", Reported::Complained),
        "Reject" => ("reject", "", Reported::Failed),
        _ => return Some(Record::Other),
    };
    let detail = event.get(key).and_then(Value::as_object)?;
    let mail = event.get("mail").and_then(Value::as_object);
    // A rejection lists no recipients: it refused the message, to every address it was for.
    let listed = match array_at(Some(detail), recipients) {
        [] => array_at(mail, "destination"),
        listed => listed,
    };
    let mut base = Facts {
        reported: Some(reported),
        timestamp: text(detail, "timestamp"),
        host: text(detail, "remoteMtaIp"),
        id: mail.and_then(|mail| text(mail, "messageId")),
        ..Facts::default()
    };
    if kind == "Bounce" {
        let class = format!(
            "{}/{}",
            text(detail, "bounceType").unwrap_or_default(),
            text(detail, "bounceSubType").unwrap_or_default()
        );
        base.class = service_class("ses", &class);
    }
    // The event's own words, for a recipient without a diagnostic of its own.
    let event_reply = match kind {
        "Delivery" => text(detail, "smtpResponse"),
        "Reject" => text(detail, "reason"),
        // SES's own words when no server replied: `Suppressed`, `MailboxFull`...
        "Bounce" => text(detail, "bounceSubType"),
        "Complaint" => text(detail, "complaintFeedbackType"),
        _ => None,
    };
    let facts_of = |recipient: Option<&Value>| {
        let mut facts = base.clone();
        match recipient {
            // `recipients` of a delivery are the addresses themselves.
            Some(Value::String(address)) => facts.recipient = Some(address.clone()),
            Some(Value::Object(recipient)) => {
                facts.recipient = text(recipient, "emailAddress");
                facts.status = text(recipient, "status");
                facts.reply = text(recipient, "diagnosticCode");
            }
            _ => {}
        }
        if facts.recipient.is_none() {
            facts.recipient = mail
                .and_then(|mail| mail.get("destination"))
                .and_then(Value::as_array)
                .and_then(|all| all.first())
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        match kind {
            "Delivery" | "Reject" | "Complaint" => facts.reply = event_reply.clone(),
            "Bounce" if facts.reply.is_none() => facts.reply = event_reply.clone(),
            _ => {}
        }
        facts.into_delivery(Format::Ses)
    };
    // Each recipient the event lists gives a result, the first carrying the others.
    let mut first = facts_of(listed.first());
    first.others = listed.iter().skip(1).map(|r| facts_of(Some(r))).collect();
    Some(Record::Result(first))
}

/// SendGrid's event webhook.
fn sendgrid(kind: &str, event: &Object, text: &Text<'_>) -> Option<Record> {
    let (reported, reply) = match kind {
        "bounce" | "blocked" => (Reported::Failed, "reason"),
        "deferred" => (Reported::Deferred, "response"),
        "delivered" => (Reported::Delivered, "response"),
        "dropped" => (Reported::Suppressed, "reason"),
        "spamreport" => (Reported::Complained, ""),
        _ => return Some(Record::Other),
    };
    Some(
        Facts {
            reported: Some(reported),
            recipient: text(event, "email"),
            reply: text(event, reply),
            status: text(event, "status").filter(|_| kind != "dropped"),
            timestamp: text(event, "timestamp"),
            id: text(event, "sg_message_id"),
            class: text(event, "bounce_classification")
                .and_then(|class| service_class("sendgrid", &class)),
            ..Facts::default()
        }
        .into_record(Format::SendGrid),
    )
}

/// Mailgun's events, from its API or its webhooks.
fn mailgun(kind: &str, event: &Object, text: &Text<'_>) -> Option<Record> {
    let reason = text(event, "reason").unwrap_or_default();
    let reported = match kind {
        "failed" if reason.starts_with("suppress-") => Reported::Suppressed,
        "failed" if text(event, "severity").as_deref() == Some("temporary") => Reported::Deferred,
        "failed" | "rejected" => Reported::Failed,
        "delivered" => Reported::Delivered,
        "complained" => Reported::Complained,
        _ => return Some(Record::Other),
    };
    let status = event.get("delivery-status").and_then(Value::as_object);
    let field = |key: &str| status.and_then(|status| text(status, key));
    // The code and the message apart: put together, they read as the reply they were.
    let message = field("message")
        .or_else(|| field("description"))
        .or_else(|| {
            event
                .get("reject")
                .and_then(Value::as_object)
                .and_then(|reject| text(reject, "reason"))
        });
    let reply = match (field("code"), message) {
        (Some(code), Some(message)) => Some(format!("{code} {message}")),
        (code, message) => message.or(code),
    };
    let mut record = Facts {
        reported: Some(reported),
        recipient: text(event, "recipient"),
        reply,
        status: field("enhanced-code"),
        host: field("mx-host"),
        timestamp: text(event, "timestamp"),
        id: text(event, "id"),
        class: None,
    }
    .into_record(Format::Mailgun);
    // Mailgun says when it tries a deferred message again.
    if let Record::Result(delivery) = &mut record {
        delivery.retry_after = status
            .and_then(|status| status.get("retry-seconds"))
            .and_then(Value::as_u64);
    }
    Some(record)
}

/// Postmark's webhooks.
fn postmark(kind: &str, event: &Object, text: &Text<'_>) -> Option<Record> {
    let reported = match kind {
        "Bounce" => match text(event, "Type").as_deref() {
            Some("Transient") => Reported::Deferred,
            Some("ManuallyDeactivated") => Reported::Suppressed,
            Some("SpamComplaint") => Reported::Complained,
            _ => Reported::Failed,
        },
        "Delivery" => Reported::Delivered,
        "SpamComplaint" => Reported::Complained,
        _ => return Some(Record::Other),
    };
    Some(
        Facts {
            reported: Some(reported),
            recipient: text(event, "Email").or_else(|| text(event, "Recipient")),
            // `smtp;550 5.1.1 ...`, or Postmark's own description of the bounce type.
            reply: text(event, "Details").or_else(|| text(event, "Description")),
            timestamp: text(event, "BouncedAt").or_else(|| text(event, "DeliveredAt")),
            id: text(event, "MessageID"),
            class: text(event, "Type").and_then(|kind| service_class("postmark", &kind)),
            ..Facts::default()
        }
        .into_record(Format::Postmark),
    )
}

/// SparkPost's message events, from its webhooks or its events API.
fn sparkpost(kind: &str, event: &Object, text: &Text<'_>) -> Option<Record> {
    let reported = match kind {
        "bounce" | "out_of_band" => Reported::Failed,
        "policy_rejection" => Reported::Suppressed,
        "delay" => Reported::Deferred,
        "delivery" => Reported::Delivered,
        "spam_complaint" => Reported::Complained,
        _ => return Some(Record::Other),
    };
    // `550: 5.1.1 ...`: the code is followed by a colon there.
    let reply = text(event, "raw_reason")
        .or_else(|| text(event, "reason"))
        .map(|reply| match reply.as_bytes() {
            [a, b, c, b':', b' ', ..] if [a, b, c].iter().all(|d| d.is_ascii_digit()) => {
                format!("{}{}", &reply[..3], &reply[4..])
            }
            _ => reply,
        });
    Some(
        Facts {
            reported: Some(reported),
            recipient: text(event, "rcpt_to").or_else(|| text(event, "raw_rcpt_to")),
            reply: reply.or_else(|| text(event, "fbtype")),
            host: text(event, "ip_address").filter(|_| kind != "spam_complaint"),
            timestamp: text(event, "timestamp"),
            id: text(event, "message_id").or_else(|| text(event, "transmission_id")),
            // 25 (Admin Failure) and 26 (Smart Send Suppression) are the service's suppression.
            class: text(event, "bounce_class").and_then(|class| service_class("sparkpost", &class)),
            ..Facts::default()
        }
        .into_record(Format::SparkPost),
    )
}

/// Mandrill's (Mailchimp Transactional's) webhook events.
fn mandrill(kind: &str, event: &Object, message: &Object, text: &Text<'_>) -> Option<Record> {
    let reported = match kind {
        "hard_bounce" | "soft_bounce" => Reported::Failed,
        "deferral" => Reported::Deferred,
        "send" => Reported::Delivered,
        "spam" => Reported::Complained,
        // Not sent: the address is on Mandrill's rejection list.
        "reject" => Reported::Suppressed,
        _ => return Some(Record::Other),
    };
    // The last SMTP exchange: a deferral's reply, a send's acceptance, and the server's address.
    let last = message
        .get("smtp_events")
        .and_then(Value::as_array)
        .and_then(|events| events.last())
        .and_then(Value::as_object);
    let reply = text(message, "diag")
        .or_else(|| last.and_then(|last| text(last, "diag")))
        // Else Mandrill's own word for the bounce (`mailbox_full`, `bad_mailbox`), as words.
        .or_else(|| text(message, "bounce_description").map(|words| words.replace('_', " ")));
    Some(
        Facts {
            reported: Some(reported),
            recipient: text(message, "email"),
            reply,
            host: last.and_then(|last| text(last, "destination_ip")),
            timestamp: text(event, "ts").or_else(|| text(message, "ts")),
            id: text(message, "_id").or_else(|| text(event, "_id")),
            // Its `bounce_description` when that tells a cause, else hard or soft by the event.
            class: text(message, "bounce_description")
                .and_then(|words| service_class("mandrill", &words))
                .filter(|class| class.reason != Reason::Undefined)
                .or_else(|| service_class("mandrill", kind)),
            ..Facts::default()
        }
        .into_record(Format::Mandrill),
    )
}

/// Mailjet's event API (its webhooks).
fn mailjet(kind: &str, event: &Object, text: &Text<'_>) -> Option<Record> {
    let (reported, reply) = match kind {
        "bounce" => (Reported::Failed, "error"),
        "sent" => (Reported::Delivered, "smtp_reply"),
        // Not sent: Mailjet blocks an address that bounced or complained before.
        "blocked" => (Reported::Suppressed, "error"),
        "spam" => (Reported::Complained, "source"),
        _ => return Some(Record::Other),
    };
    Some(
        Facts {
            reported: Some(reported),
            recipient: text(event, "email"),
            // `user unknown`, `quota exceeded`...; a send's `sent (250 2.0.0 OK ...)`.
            reply: text(event, reply).map(|reply| match reply.strip_prefix("sent (") {
                Some(inner) => inner.trim_end_matches(')').to_string(),
                None => reply,
            }),
            timestamp: text(event, "time"),
            id: text(event, "MessageID").or_else(|| text(event, "Message_GUID")),
            // Its `error` words, else whether it counts the bounce hard.
            class: text(event, "error")
                .and_then(|error| service_class("mailjet", &error))
                .or_else(|| {
                    let hard = event.get("hard_bounce").and_then(Value::as_bool)?;
                    service_class("mailjet", if hard { "true" } else { "false" })
                }),
            ..Facts::default()
        }
        .into_record(Format::Mailjet),
    )
}

/// Brevo's (formerly Sendinblue's) webhooks, transactional and marketing.
fn brevo(kind: &str, event: &Object, text: &Text<'_>) -> Option<Record> {
    let reported = match kind {
        "hard_bounce" | "soft_bounce" => Reported::Failed,
        "deferred" => Reported::Deferred,
        "delivered" => Reported::Delivered,
        "spam" => Reported::Complained,
        // Not sent: an address on Brevo's blocklist, or one it found malformed.
        "blocked" | "invalid_email" => Reported::Suppressed,
        _ => return Some(Record::Other),
    };
    Some(
        Facts {
            reported: Some(reported),
            recipient: text(event, "email"),
            reply: text(event, "reason"),
            timestamp: text(event, "date")
                .or_else(|| text(event, "date_event"))
                .or_else(|| text(event, "ts_event")),
            id: text(event, "message-id").or_else(|| text(event, "id")),
            class: service_class("brevo", kind),
            ..Facts::default()
        }
        .into_record(Format::Brevo),
    )
}

/// KumoMTA's log records.
fn kumomta(kind: &str, event: &Object, text: &Text<'_>) -> Option<Record> {
    let reported = match kind {
        "Delivery" => Reported::Delivered,
        "Bounce" | "AdminBounce" | "OOB" => Reported::Failed,
        "TransientFailure" => Reported::Deferred,
        "Expiration" => Reported::Expired,
        "Feedback" => Reported::Complained,
        _ => return Some(Record::Other),
    };
    let response = event.get("response").and_then(Value::as_object);
    let field = |key: &str| response.and_then(|response| text(response, key));
    // `{"class":5,"subject":1,"detail":1}`
    let status = response
        .and_then(|response| response.get("enhanced_code"))
        .and_then(Value::as_object)
        .and_then(|code| {
            let part = |key: &str| code.get(key).and_then(Value::as_u64);
            Some(format!(
                "{}.{}.{}",
                part("class")?,
                part("subject")?,
                part("detail")?
            ))
        });
    let reply = match (field("code"), field("content")) {
        (Some(code), Some(content)) => Some(format!("{code} {content}")),
        (code, content) => content.or(code),
    };
    let peer = event.get("peer_address").and_then(Value::as_object);
    let host = peer.and_then(|peer| text(peer, "name").or_else(|| text(peer, "addr")));
    let mut record = Facts {
        reported: Some(reported),
        recipient: text(event, "recipient"),
        reply,
        status,
        host: host.map(|name| name.trim_end_matches('.').to_string()),
        timestamp: text(event, "timestamp"),
        id: text(event, "id"),
        class: text(event, "bounce_classification")
            .and_then(|class| service_class("kumomta", &class)),
    }
    .into_record(Format::KumoMta);
    // The command its response answered, as sent: `RCPT TO:<...>\r\n`, `.\r\n` for the end of
    // the message.
    if let (Record::Result(delivery), Some(command)) = (&mut record, field("command")) {
        let command = command.trim();
        delivery.command = if command == "." {
            Some(Command::EndOfData)
        } else {
            Command::from_words(command).or(delivery.command)
        };
    }
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::ReplyCode;

    fn result(line: &str) -> Delivery<'static> {
        assert!(may_be_event(line.as_bytes()), "{line}");
        match parse(line) {
            Some(Record::Result(delivery)) => delivery,
            other => panic!("{line}: {other:?}"),
        }
    }

    fn codes(d: &Delivery<'_>) -> (Option<u16>, Option<String>) {
        (
            d.code.map(ReplyCode::as_u16),
            d.enhanced.map(|e| e.as_text().to_string()),
        )
    }

    #[test]
    fn ses_bounces_delays_deliveries_and_complaints() {
        let d = result(
            r#"{"notificationType":"Bounce","bounce":{"feedbackId":"0100","bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"jane@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2026-11-23T10:00:01.237Z","remoteMtaIp":"192.0.2.1","reportingMTA":"dsn; a1-2.smtp-out.amazonses.com"},"mail":{"timestamp":"2026-11-23T10:00:00.000Z","source":"john@example.com","messageId":"0100018b-abcd","destination":["jane@example.com"]}}"#,
        );
        assert_eq!(d.format, Format::Ses);
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.recipient.as_deref(), Some("jane@example.com"));
        assert_eq!(d.host.as_deref(), Some("192.0.2.1"));
        assert_eq!(d.queue_id.as_deref(), Some("0100018b-abcd"));
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-23T10:00:01.237Z"));

        let sns = serde_json::json!({
            "Type": "Notification",
            "TopicArn": "arn:aws:sns:us-east-1:123456789012:ses-events",
            "Message": r#"{"eventType":"DeliveryDelay","deliveryDelay":{"delayType":"TransientCommunicationFailure","delayedRecipients":[{"emailAddress":"bob@example.org","status":"4.4.1","diagnosticCode":"smtp; 421 4.4.1 Unable to connect to remote host"}],"timestamp":"2026-11-23T10:00:02Z"},"mail":{"messageId":"0100"}}"#,
        })
        .to_string();
        let d = result(&sns);
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(codes(&d), (Some(421), Some("4.4.1".into())));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.org"));

        let d = result(
            r#"{"eventType":"Delivery","delivery":{"timestamp":"2026-11-23T10:00:03Z","recipients":["carol@example.net"],"smtpResponse":"250 2.0.0 OK 1700000000 x12si345 - gsmtp","remoteMtaIp":"192.0.2.3"},"mail":{"messageId":"0101"}}"#,
        );
        assert_eq!(d.reported, Some(Reported::Delivered));
        assert_eq!(codes(&d), (Some(250), Some("2.0.0".into())));
        assert_eq!(d.recipient.as_deref(), Some("carol@example.net"));

        let d = result(
            r#"{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"dave@example.com"}],"timestamp":"2026-11-23T10:00:04Z","complaintFeedbackType":"abuse"},"mail":{"messageId":"0102"}}"#,
        );
        assert_eq!(d.reported, Some(Reported::Complained));
        assert_eq!(d.recipient.as_deref(), Some("dave@example.com"));

        let d = result(
            r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"OnAccountSuppressionList","bouncedRecipients":[{"emailAddress":"erin@example.com"}],"timestamp":"2026-11-23T10:00:05Z"},"mail":{"messageId":"0103"}}"#,
        );
        assert_eq!(d.reported, Some(Reported::Suppressed));
        assert_eq!(
            parse(r#"{"eventType":"Open","open":{}}"#),
            Some(Record::Other)
        );
    }

    #[test]
    fn sendgrid_events() {
        let d = result(
            r#"{"email":"bob@example.com","timestamp":1700000000,"smtp-id":"<14c5d75ce93@ismtpd>","event":"bounce","sg_message_id":"abc.filter01","reason":"550 5.1.1 The email account that you tried to reach does not exist.","status":"5.1.1","type":"bounce"}"#,
        );
        assert_eq!(d.format, Format::SendGrid);
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.timestamp.as_deref(), Some("1700000000"));
        assert_eq!(d.queue_id.as_deref(), Some("abc.filter01"));
        let d = result(
            r#"{"email":"c@example.com","timestamp":1700000001,"event":"deferred","response":"451 4.7.1 Greylisted, try again in 300 seconds","attempt":"2"}"#,
        );
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(codes(&d), (Some(451), Some("4.7.1".into())));
        let d = result(
            r#"{"email":"d@example.com","timestamp":1700000002,"event":"dropped","reason":"Bounced Address","status":"5.0.0"}"#,
        );
        assert_eq!(d.reported, Some(Reported::Suppressed));
        assert_eq!(d.enhanced, None);
        assert_eq!(d.text, "Bounced Address");
        // Bounces since 2023 carry the service's class of the failure, a key KumoMTA uses too.
        let d = result(
            r#"{"bounce_classification":"Invalid Address","email":"g@example.com","event":"bounce","ip":"192.0.2.7","reason":"550 5.1.1 <g@example.com>: Recipient address rejected: User unknown","sg_event_id":"ZHlhZ","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>","status":"5.1.1","timestamp":1700000004,"tls":1,"type":"bounce"}"#,
        );
        assert_eq!(d.format, Format::SendGrid);
        assert_eq!(d.recipient.as_deref(), Some("g@example.com"));
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        // The webhook's body: an array of events, each result a record (the first carrying the
        // others), the opens and clicks none.
        let d = result(
            r#"[{"email":"h@example.com","event":"open"},{"email":"i@example.com","event":"bounce","reason":"550 5.1.1 User unknown","status":"5.1.1","type":"bounce"},{"email":"j@example.com","event":"delivered"}]"#,
        );
        assert_eq!(d.recipient.as_deref(), Some("i@example.com"));
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.others.len(), 1);
        assert_eq!(d.others[0].recipient.as_deref(), Some("j@example.com"));
        assert_eq!(d.others[0].reported, Some(Reported::Delivered));
        assert_eq!(
            parse(r#"[{"email":"f@example.com","event":"open"}]"#),
            Some(Record::Other)
        );
        assert!(!may_be_event(b"[INFO] [outbound] \"event\""));
        let d = result(r#"{"email":"e@example.com","timestamp":1700000003,"event":"spamreport"}"#);
        assert_eq!(d.reported, Some(Reported::Complained));
        assert_eq!(
            parse(r#"{"email":"f@example.com","event":"open"}"#),
            Some(Record::Other)
        );
    }

    #[test]
    fn an_ses_event_for_several_recipients_gives_each_its_own_result() {
        let d = result(
            r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"ann@example.com","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"},{"emailAddress":"bea@example.com","status":"5.2.1","diagnosticCode":"smtp; 550 5.2.1 mailbox disabled"},{"emailAddress":"cy@example.com"}],"timestamp":"2026-11-23T10:00:01.237Z","remoteMtaIp":"192.0.2.1"},"mail":{"messageId":"0100018b-abcd","destination":["ann@example.com","bea@example.com","cy@example.com"]}}"#,
        );
        assert_eq!(d.recipient.as_deref(), Some("ann@example.com"));
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        let others: Vec<_> = d
            .others
            .iter()
            .map(|o| (o.recipient.as_deref(), codes(o), o.queue_id.as_deref()))
            .collect();
        assert_eq!(
            others,
            [
                (
                    Some("bea@example.com"),
                    (Some(550), Some("5.2.1".into())),
                    Some("0100018b-abcd")
                ),
                // No diagnostic of its own: the event's words, as for a lone recipient.
                (Some("cy@example.com"), (None, None), Some("0100018b-abcd")),
            ]
        );
        assert_eq!(d.others[1].text, "General");
    }

    #[test]
    fn an_ses_rejection_fails_every_address_of_the_message() {
        let d = result(
            r#"{"eventType":"Reject","reject":{"reason":"Bad content"},"mail":{"timestamp":"2026-11-23T10:00:00.000Z","messageId":"0100018b-efgh","destination":["ann@example.com","bea@example.org"]}}"#,
        );
        let all: Vec<_> = std::iter::once(&d)
            .chain(&d.others)
            .map(|r| (r.recipient.as_deref(), r.reported, r.text.as_ref()))
            .collect();
        assert_eq!(
            all,
            [
                (
                    Some("ann@example.com"),
                    Some(Reported::Failed),
                    "Bad content"
                ),
                (
                    Some("bea@example.org"),
                    Some(Reported::Failed),
                    "Bad content"
                ),
            ]
        );
    }

    #[test]
    fn mailgun_events_plain_and_in_a_webhook() {
        let d = result(
            r#"{"signature":{"token":"t"},"event-data":{"id":"ev1","event":"failed","severity":"permanent","reason":"bounce","recipient":"alice@example.com","timestamp":1700000000.375624,"delivery-status":{"attempt-no":1,"message":"5.1.1 The email account that you tried to reach does not exist.","code":550,"enhanced-code":"5.1.1","description":"","mx-host":"gmail-smtp-in.l.google.com"}}}"#,
        );
        assert_eq!(d.format, Format::Mailgun);
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.host.as_deref(), Some("gmail-smtp-in.l.google.com"));
        assert_eq!(d.retry_after, None);
        assert_eq!(d.recipient.as_deref(), Some("alice@example.com"));
        let d = result(
            r#"{"event":"failed","severity":"temporary","reason":"generic","recipient":"b@example.com","delivery-status":{"code":421,"message":"4.7.0 Try again later"}}"#,
        );
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(codes(&d), (Some(421), Some("4.7.0".into())));
        let d = result(
            r#"{"event":"failed","severity":"permanent","reason":"suppress-bounce","recipient":"c@example.com","delivery-status":{"code":605,"description":"Not delivering to previously bounced address"}}"#,
        );
        assert_eq!(d.reported, Some(Reported::Suppressed));
        assert_eq!(d.code, None);
        let d = result(
            r#"{"event-data":{"event":"failed","severity":"temporary","reason":"generic","recipient":"bob@example.com","delivery-status":{"code":421,"message":"4.7.0 Try again later","retry-seconds":600}}}"#,
        );
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.retry_after, Some(600));
    }

    #[test]
    fn postmark_records() {
        let d = result(
            r#"{"RecordType":"Bounce","ID":42,"Type":"HardBounce","TypeCode":1,"MessageID":"883953f4-6105-42a2-a16a-77a8eac79483","Description":"The server was unable to deliver your message (ex: unknown user, mailbox not found).","Details":"smtp;550 5.1.1 The email account that you tried to reach does not exist.","Email":"john@example.com","BouncedAt":"2026-11-23T10:00:00Z"}"#,
        );
        assert_eq!(d.format, Format::Postmark);
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.recipient.as_deref(), Some("john@example.com"));
        assert_eq!(
            d.queue_id.as_deref(),
            Some("883953f4-6105-42a2-a16a-77a8eac79483")
        );
        let d = result(
            r#"{"RecordType":"SpamComplaint","Type":"SpamComplaint","Email":"k@example.com","BouncedAt":"2026-11-23T10:00:01Z"}"#,
        );
        assert_eq!(d.reported, Some(Reported::Complained));
        let d = result(
            r#"{"RecordType":"Delivery","Recipient":"m@example.com","DeliveredAt":"2026-11-23T10:00:02Z","Details":"smtp;250 2.0.0 OK"}"#,
        );
        assert_eq!(d.reported, Some(Reported::Delivered));
        assert_eq!(codes(&d), (Some(250), Some("2.0.0".into())));
    }

    #[test]
    fn kumomta_log_records() {
        let d = result(
            r#"{"type":"Bounce","id":"1d98076abbbc11ed940250ebf67f93bd","sender":"noreply@example.com","recipient":"bob@example.com","queue":"example.com","site":"mx.example.com","size":27,"response":{"code":550,"enhanced_code":{"class":5,"subject":1,"detail":1},"content":"<bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table","command":"RCPT TO:<bob@example.com>\r\n"},"peer_address":{"name":"mx.example.com.","addr":"192.0.2.1"},"timestamp":1700000000,"created":1699999990,"num_attempts":0,"bounce_classification":"InvalidRecipient","egress_pool":"pool0","egress_source":"source1","feedback_report":null,"meta":{},"headers":{}}"#,
        );
        assert_eq!(d.format, Format::KumoMta);
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        let d = result(
            r#"{"type":"TransientFailure","id":"2","recipient":"c@gmail.com","response":{"code":421,"enhanced_code":{"class":4,"subject":7,"detail":28},"content":"Gmail has detected an unusual rate of unsolicited mail. - gsmtp","command":".\r\n"},"peer_address":{"name":"gmail-smtp-in.l.google.com.","addr":"142.250.27.26"},"timestamp":1700000001,"bounce_classification":"Uncategorized"}"#,
        );
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(codes(&d), (Some(421), Some("4.7.28".into())));
        assert_eq!(d.command, Some(Command::EndOfData));
        let d = result(
            r#"{"type":"Expiration","id":"3","recipient":"e@example.net","response":{"code":551,"enhanced_code":{"class":5,"subject":4,"detail":7},"content":"Next delivery time would be at ... which exceeds the expiry time","command":null},"peer_address":null,"timestamp":1700000002,"bounce_classification":"Uncategorized"}"#,
        );
        assert_eq!(d.reported, Some(Reported::Expired));
        assert_eq!(
            parse(
                r#"{"type":"Reception","id":"4","recipient":"f@example.com","response":{"code":250,"enhanced_code":null,"content":"","command":null},"bounce_classification":"Uncategorized"}"#
            ),
            Some(Record::Other)
        );
    }

    #[test]
    fn sparkpost_message_events_by_webhook_or_events_api() {
        let d = result(
            r#"{"msys":{"message_event":{"type":"bounce","bounce_class":"10","error_code":"550","ip_address":"192.0.2.1","message_id":"000443ee14578172be22","rcpt_to":"bob@example.com","raw_reason":"550: 5.1.1 The email account that you tried to reach does not exist - gsmtp","timestamp":"1454442600","transmission_id":"65832150921904138"}}}"#,
        );
        assert_eq!(d.format, Format::SparkPost);
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.host.as_deref(), Some("192.0.2.1"));
        assert_eq!(d.queue_id.as_deref(), Some("000443ee14578172be22"));
        let d = result(
            r#"{"type":"delay","bounce_class":"21","rcpt_to":"c@example.org","raw_reason":"454 4.4.4 [internal] no MX or A for domain","timestamp":"2026-11-23T10:00:01.000Z"}"#,
        );
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(codes(&d), (Some(454), Some("4.4.4".into())));
        // SparkPost's own refusals to send: a policy rejection, an Admin Failure bounce class.
        for line in [
            r#"{"msys":{"message_event":{"type":"policy_rejection","rcpt_to":"d@example.com","raw_reason":"550 5.7.1 Unsubscribed recipient"}}}"#,
            r#"{"msys":{"message_event":{"type":"bounce","bounce_class":"25","rcpt_to":"d@example.com","raw_reason":"554 5.7.1 recipient address suppressed due to customer policy"}}}"#,
        ] {
            assert_eq!(result(line).reported, Some(Reported::Suppressed), "{line}");
        }
        let d = result(
            r#"{"msys":{"message_event":{"type":"spam_complaint","fbtype":"abuse","rcpt_to":"e@example.com","report_by":"fbl.example.net","timestamp":"1454442600"}}}"#,
        );
        assert_eq!(d.reported, Some(Reported::Complained));
        assert_eq!(
            parse(r#"{"msys":{"track_event":{"type":"open","rcpt_to":"e@example.com"}}}"#),
            Some(Record::Other)
        );
    }

    #[test]
    fn mandrill_bounces_deferrals_sends_and_rejections() {
        let d = result(
            r#"{"event":"hard_bounce","msg":{"ts":1365109999,"email":"bob@example.com","state":"bounced","bounce_description":"bad_mailbox","bgtools_code":10,"diag":"smtp;550 5.1.1 The email account that you tried to reach does not exist.","_id":"abc123"},"_id":"abc123","ts":1384954004}"#,
        );
        assert_eq!(d.format, Format::Mandrill);
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.queue_id.as_deref(), Some("abc123"));
        assert_eq!(d.timestamp.as_deref(), Some("1384954004"));
        // No reply: Mandrill's own word for it, read as words.
        let d = result(
            r#"{"event":"soft_bounce","msg":{"email":"c@example.com","state":"soft-bounced","bounce_description":"mailbox_full","_id":"x2"},"ts":1384954004}"#,
        );
        assert_eq!(&*d.text, "mailbox full");
        let d = result(
            r#"{"event":"deferral","msg":{"email":"d@example.com","smtp_events":[{"ts":1,"type":"deferred","diag":"451 4.3.5 Temporarily unavailable, try again later.","destination_ip":"192.0.2.7"}],"_id":"x3"},"ts":2}"#,
        );
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(codes(&d), (Some(451), Some("4.3.5".into())));
        assert_eq!(d.host.as_deref(), Some("192.0.2.7"));
        let reject = r#"{"event":"reject","msg":{"email":"e@example.com","state":"rejected","_id":"x4"},"ts":3}"#;
        assert_eq!(result(reject).reported, Some(Reported::Suppressed));
        assert_eq!(
            parse(r#"{"event":"click","msg":{"email":"e@example.com","_id":"x5"},"ts":4}"#),
            Some(Record::Other)
        );
    }

    #[test]
    fn mailjet_events() {
        let d = result(
            r#"{"event":"bounce","time":1430812195,"MessageID":13792286917004336,"Message_GUID":"1ab23cd4","email":"bob@example.com","mj_campaign_id":0,"mj_contact_id":0,"blocked":false,"hard_bounce":true,"error_related_to":"recipient","error":"user unknown"}"#,
        );
        assert_eq!(d.format, Format::Mailjet);
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(&*d.text, "user unknown");
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.queue_id.as_deref(), Some("13792286917004336"));
        assert_eq!(d.timestamp.as_deref(), Some("1430812195"));
        let d = result(
            r#"{"event":"sent","time":1433333949,"MessageID":19421777835146490,"email":"carol@example.net","mj_campaign_id":7257,"mj_contact_id":4,"smtp_reply":"sent (250 2.0.0 OK 1433333948 fa5si855896wjc.199 - gsmtp)"}"#,
        );
        assert_eq!(d.reported, Some(Reported::Delivered));
        assert_eq!(codes(&d), (Some(250), Some("2.0.0".into())));
        let blocked = r#"{"event":"blocked","time":1,"MessageID":2,"email":"d@example.com","mj_campaign_id":0,"mj_contact_id":0,"error_related_to":"recipient","error":"preblocked"}"#;
        assert_eq!(result(blocked).reported, Some(Reported::Suppressed));
        let open = r#"{"event":"open","time":1,"MessageID":3,"email":"e@example.com","mj_campaign_id":1,"mj_contact_id":2}"#;
        assert_eq!(parse(open), Some(Record::Other));
    }

    #[test]
    fn brevo_events() {
        let d = result(
            r#"{"event":"hard_bounce","email":"bob@example.com","id":123456,"date":"2026-11-23 10:00:01","ts":1604933619,"message-id":"<202011091933.123@smtp-relay.mailin.fr>","ts_event":1604933654,"sending_ip":"192.0.2.5","reason":"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"}"#,
        );
        assert_eq!(d.format, Format::Brevo);
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(codes(&d), (Some(550), Some("5.1.1".into())));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(
            d.queue_id.as_deref(),
            Some("<202011091933.123@smtp-relay.mailin.fr>")
        );
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-23 10:00:01"));
        let invalid = r#"{"event":"invalid_email","email":"bad@domain","id":1,"message-id":"<4@x>","ts_event":1}"#;
        assert_eq!(result(invalid).reported, Some(Reported::Suppressed));
        // A marketing campaign's event.
        let d = result(
            r#"{"event":"soft_bounce","email":"c@example.com","id":1,"camp_id":12,"date_event":"2026-11-23 10:00:01","reason":"452 4.2.2 Mailbox full"}"#,
        );
        assert_eq!(codes(&d), (Some(452), Some("4.2.2".into())));
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-23 10:00:01"));
        let opened = r#"{"event":"opened","email":"o@example.com","id":1,"message-id":"<5@x>","ts_event":1}"#;
        assert_eq!(parse(opened), Some(Record::Other));
    }

    #[test]
    fn other_json_is_not_an_event() {
        for line in [
            r#"{"MESSAGE":"postfix/smtp[1]: status=bounced","event":1}"#,
            r#"{"log":"hello","stream":"stdout"}"#,
            r#"{"event":"bounce"}"#,
            "{\"event\": not json",
            "[\"event\", 1]",
            "[{\"log\":\"x\"},{\"event\":\"bounce\"}]",
        ] {
            assert!(!matches!(parse(line), Some(Record::Result(_))), "{line}");
        }
        assert!(!may_be_event(b"event: bounce"));
    }
}
