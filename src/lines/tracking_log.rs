//! Exchange's message tracking logs (`MSGTRK*.LOG`): CSV lines under a `#Fields:` header, an
//! event of a message's way through the server each, with the remote reply or Exchange's own
//! status of each recipient.
//!
//! ```text
//! #Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,...
//! 2026-11-23T10:00:01.234Z,10.0.0.5,EX01,,EX01,,Internet,SMTP,FAIL,1234567890,<abc@example.com>,0f1e...,bob@example.org,550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found,...
//! ```
//!
//! `FAIL` (given up), `DEFER` (tried again later), `SEND` (handed to another server) and
//! `DELIVER` (put in a mailbox) are results; the other events (`RECEIVE`, `RESOLVE`, `DSN`...)
//! are not. A status is a reply (`550 5.1.1 ...`) or the last error in braces
//! (`[{LED=550 5.7.1 ...};{MSG=};{FQDN=mx.example.com};...]`, read by `exchange`). The columns are
//! found by name, so the CSV files of `Get-MessageTrackingLog | Export-Csv` (`"Timestamp",
//! "EventId","Recipients","RecipientStatus",...`) and of Microsoft 365's extended message trace
//! (`date_time_utc,...,event_id,...,recipient_address,recipient_status,...`) are read too.

use super::csv::{columns_to, Fields, MAX_COLUMNS};
use super::delivery::{find_reply, Delivery, Format, Record};
use super::exchange;
use crate::classify::Reported;
use crate::command::Command;
use std::borrow::Cow;

/// Where a line's fields are, as the file's header names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    time: Option<u8>,
    event: u8,
    recipient: Option<u8>,
    status: u8,
    server_host: Option<u8>,
    queue_id: Option<u8>,
    last: u8,
}

/// Whether a line may be a header: `#Fields: ...`, or an export's first line.
pub fn may_be_header(bytes: &[u8]) -> bool {
    bytes.starts_with(b"#Fields: ") || bytes.first() == Some(&b'"') || bytes.starts_with(b"date")
}

impl Columns {
    /// The columns a header names, when it names at least an event and a recipient status.
    pub fn from_header(line: &str) -> Option<Columns> {
        let names = line.strip_prefix("#Fields: ").unwrap_or(line).trim_end();
        let (mut time, mut event, mut recipient, mut status) = (None, None, None, None);
        let (mut server_host, mut queue_id) = (None, None);
        for (index, name) in Fields::new(names).take(MAX_COLUMNS).enumerate() {
            // `date-time`, `DateTime`, `date_time_utc`: the same name, however written.
            let name: String = name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            let slot = match name.as_str() {
                "datetime" | "datetimeutc" | "timestamp" => &mut time,
                "eventid" => &mut event,
                "recipientaddress" | "recipients" => &mut recipient,
                "recipientstatus" => &mut status,
                "serverhostname" => &mut server_host,
                "internalmessageid" => &mut queue_id,
                _ => continue,
            };
            *slot = u8::try_from(index).ok();
        }
        let (event, status) = (event?, status?);
        let last = [
            time,
            Some(event),
            recipient,
            Some(status),
            server_host,
            queue_id,
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(status);
        Some(Columns {
            time,
            event,
            recipient,
            status,
            server_host,
            queue_id,
            last,
        })
    }
}

/// Whether a line may be a record, once a header has shown the log: a time first, quoted in an
/// export.
pub fn looks_like_record(bytes: &[u8]) -> bool {
    matches!(bytes.first(), Some(b'0'..=b'9' | b'"'))
}

/// Reads a line under `columns`; `None` when it is not one of the log's (too few fields, no
/// event name where the event is).
pub fn parse(line: &str, columns: &Columns) -> Option<Record> {
    let fields = columns_to(line, columns.last);
    let field = |column: u8| fields[usize::from(column)].as_deref().map(str::trim);
    let event = field(columns.event)?;
    if event.is_empty() || !event.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
        return None;
    }
    let reported = match event {
        "FAIL" => Reported::Failed,
        "DEFER" => Reported::Deferred,
        "SEND" | "DELIVER" => Reported::Delivered,
        _ => return Some(Record::Other),
    };
    let optional = |column: Option<u8>| column.and_then(field).filter(|value| !value.is_empty());
    let status = field(columns.status).unwrap_or("");
    let read = |status: &'_ str, recipient: Option<&'_ str>| {
        let mut delivery = if status.contains("{LED=") {
            exchange::parse(status).unwrap_or_else(|| Delivery::new(Format::Exchange))
        } else {
            let mut delivery = Delivery::new(Format::Exchange);
            match find_reply(status) {
                Some((reply, _)) => delivery.take_reply(reply),
                None => delivery.text = Cow::Borrowed(status),
            }
            delivery
        };
        delivery.reported = Some(reported);
        delivery.command = delivery.command.or(Command::find_in(status));
        delivery.recipient = recipient.map(Cow::Borrowed);
        if delivery.host.is_none() && event == "SEND" {
            delivery.host = optional(columns.server_host).map(Cow::Borrowed);
        }
        delivery.timestamp = optional(columns.time).map(Cow::Borrowed);
        delivery.queue_id = optional(columns.queue_id).map(Cow::Borrowed);
        delivery.into_owned()
    };
    let addresses = optional(columns.recipient).unwrap_or("");
    if !addresses.contains([';', ',']) {
        return Some(Record::Result(read(status, optional(columns.recipient))));
    }
    // Several recipients share one line, their addresses and statuses each joined by `;`. A
    // status may hold a `;` of its own (`550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found`):
    // only a `;` before a reply code starts the next, and unless there are as many statuses as
    // addresses, none is told apart and the line's result names no recipient.
    let recipients: Vec<&str> = addresses.split(';').map(str::trim).collect();
    let statuses = statuses(status);
    if addresses.contains(',')
        || recipients.iter().any(|r| r.is_empty())
        || statuses.len() != recipients.len()
    {
        return Some(Record::Result(read(status, None)));
    }
    let mut each = recipients
        .iter()
        .zip(statuses)
        .map(|(recipient, status)| read(status, Some(recipient)));
    let mut first = each.next()?;
    first.others = each.collect();
    Some(Record::Result(first))
}

/// A recipient status field split into the statuses of its recipients: at each `;` that a reply
/// code follows.
fn statuses(field: &str) -> Vec<&str> {
    let bytes = field.as_bytes();
    let starts_code = |at: usize| {
        let rest = field[at..].trim_start().as_bytes();
        rest.len() >= 3
            && (b'2'..=b'5').contains(&rest[0])
            && rest[1..3].iter().all(u8::is_ascii_digit)
            && rest.get(3).is_none_or(|&b| b == b' ')
    };
    let mut parts = Vec::new();
    let mut from = 0;
    for (at, _) in bytes.iter().enumerate().filter(|&(_, &b)| b == b';') {
        if starts_code(at + 1) {
            parts.push(field[from..at].trim());
            from = at + 1;
        }
    }
    parts.push(field[from..].trim());
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{EnhancedCode, ReplyCode};

    const FIELDS: &str = "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version";

    fn result(line: &str, columns: &Columns) -> Delivery<'static> {
        match parse(line, columns) {
            Some(Record::Result(delivery)) => delivery,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn a_failure_gives_the_reply_recipient_time_and_message_id() {
        let columns = Columns::from_header(FIELDS).unwrap();
        let d = result("2026-11-23T10:00:01.234Z,10.0.0.5,EX01.corp.example.com,,EX01,,Internet,SMTP,FAIL,1234567890,<abc123@example.com>,0f1e2d3c,bob@example.org,550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found,24567,1,,,Quarterly report,alice@example.com,alice@example.com,,Originating,,,,,Email,0f1e2d3c,15.02.1118.030", &columns);
        assert_eq!(d.format, Format::Exchange);
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.code, "550".parse::<ReplyCode>().ok());
        assert_eq!(d.enhanced, "5.1.1".parse::<EnhancedCode>().ok());
        assert_eq!(d.recipient.as_deref(), Some("bob@example.org"));
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-23T10:00:01.234Z"));
        assert_eq!(d.queue_id.as_deref(), Some("1234567890"));
        assert_eq!(d.host, None);
    }

    #[test]
    fn the_last_error_in_braces_gives_its_host() {
        let columns = Columns::from_header(FIELDS).unwrap();
        let d = result("2026-11-23T10:00:03.456Z,,,,EX01,,Internet,SMTP,DEFER,1234567892,<abc125@example.com>,0f1e,dave@example.com,\"[{LRT=11/23/2026 10:00:03 AM};{LED=451 4.7.0 Try again later, closing connection};{FQDN=mx.example.com};{IP=192.0.2.1}]\",24567,1", &columns);
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert_eq!(d.code, "451".parse::<ReplyCode>().ok());
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        assert_eq!(d.recipient.as_deref(), Some("dave@example.com"));
    }

    #[test]
    fn a_send_names_the_server_it_went_to_and_other_events_are_no_results() {
        let columns = Columns::from_header(FIELDS).unwrap();
        let d = result("2026-11-23T10:00:02.345Z,10.0.0.5,EX01,198.51.100.7,mx.example.net,,Internet,SMTP,SEND,1234567891,<abc124@example.com>,0f1e,carol@example.net,250 2.0.0 OK queued as 4F9D21A2B3,24567,1", &columns);
        assert_eq!(d.reported, Some(Reported::Delivered));
        assert_eq!(d.host.as_deref(), Some("mx.example.net"));
        let receive = "2026-11-23T10:00:00.100Z,10.0.0.9,client,10.0.0.5,EX01,08D,Default EX01,SMTP,RECEIVE,1234567890,<abc@example.com>,0f1e,bob@example.org;carol@example.net,,24567,2";
        assert_eq!(parse(receive, &columns), Some(Record::Other));
        // Two recipients, one status: which is whose is not known.
        let several = "2026-11-23T10:00:00.100Z,,,,EX01,,,SMTP,FAIL,1,<a@b>,0f,bob@example.org;carol@example.net,550 5.1.1 not found,1,2";
        let d = result(several, &columns);
        assert_eq!(d.recipient, None);
        assert!(d.others.is_empty());
        // A status each, joined as the addresses are: a result each.
        let each = "2026-11-23T10:00:00.100Z,,,,EX01,,,SMTP,FAIL,1,<a@b>,0f,bob@example.org;carol@example.net,550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found;550 5.2.2 STOREDRV.Deliver: mailbox full,1,2";
        let d = result(each, &columns);
        assert_eq!(d.recipient.as_deref(), Some("bob@example.org"));
        assert_eq!(d.enhanced, "5.1.1".parse::<EnhancedCode>().ok());
        assert_eq!(d.text, "RESOLVER.ADR.RecipientNotFound; not found");
        assert_eq!(d.others.len(), 1);
        assert_eq!(d.others[0].recipient.as_deref(), Some("carol@example.net"));
        assert_eq!(d.others[0].enhanced, "5.2.2".parse::<EnhancedCode>().ok());
        assert_eq!(d.others[0].queue_id.as_deref(), Some("1"));
        // Another CSV line with a time first: not the log's.
        assert_eq!(parse("2026-11-23 10:00:00,a,b", &columns), None);
    }

    #[test]
    fn exports_name_the_columns_otherwise() {
        let export = Columns::from_header("\"Timestamp\",\"ClientIp\",\"ClientHostname\",\"ServerIp\",\"ServerHostname\",\"SourceContext\",\"ConnectorId\",\"Source\",\"EventId\",\"InternalMessageId\",\"MessageId\",\"NetworkMessageId\",\"Recipients\",\"RecipientStatus\"").unwrap();
        let d = result("\"11/23/2026 10:00:01 AM\",\"10.0.0.5\",\"EX01\",\"\",\"EX01\",\"\",\"Internet\",\"SMTP\",\"FAIL\",\"42\",\"<m@example.com>\",\"0f\",\"bob@example.org\",\"550 5.2.2 STOREDRV.Deliver: mailbox full\"", &export);
        assert_eq!(d.enhanced, "5.2.2".parse::<EnhancedCode>().ok());
        assert_eq!(d.timestamp.as_deref(), Some("11/23/2026 10:00:01 AM"));
        let trace = Columns::from_header("date_time_utc,client_ip,client_hostname,server_ip,server_hostname,source_context,connector_id,source,event_id,internal_message_id,message_id,network_message_id,recipient_address,recipient_status").unwrap();
        assert_eq!(
            trace,
            Columns {
                time: Some(0),
                ..export
            }
        );
        // Exchange's protocol logs have a `#Fields:` header too, without these columns.
        assert_eq!(Columns::from_header("#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context"), None);
    }
}
