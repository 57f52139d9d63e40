//! PowerMTA's accounting files (`acct-*.csv`): a CSV record per delivery attempt, with the
//! delivery-status fields of RFC 3464 in columns of their own.
//!
//! ```text
//! type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,...
//! b,2026-11-23 10:00:01+0000,2026-11-23 09:59:58+0000,news@example.com,bob@example.org,,failed,5.1.1 (bad destination mailbox address),smtp;550 5.1.1 <bob@example.org>: User unknown,mx.example.org (192.0.2.1),bad-mailbox,...
//! ```
//!
//! The first field is the record's type: `d` delivered, `b` bounced, `t` a transient failure
//! (tried again later), `tq` a queue's transient failure (no recipient of its own), `rb` a remote
//! bounce (one that came back later by mail and PowerMTA's bounce processor read). Which fields
//! a file holds, and in what order, is configurable; the header line a file starts with names
//! them, and without one PowerMTA's default order is assumed. The codes and the reply are read as
//! a DSN's (`dsn`): `dsnStatus` as `Status:`, `dsnDiag` as `Diagnostic-Code:`.

use super::csv::{columns_to, Fields, MAX_COLUMNS};
use super::delivery::{host_name, Delivery, Format};
use super::dsn;
use crate::classify::Reported;
use crate::tables::service_class;
use std::borrow::Cow;

/// Where a record's fields are: by the file's header, or PowerMTA's default order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    time: Option<u8>,
    recipient: Option<u8>,
    original_recipient: Option<u8>,
    action: Option<u8>,
    status: Option<u8>,
    diagnostic: Option<u8>,
    mta: Option<u8>,
    /// `bounceCat`: PowerMTA's category of a bounce (`bad-mailbox`, `quota-issues`...).
    category: Option<u8>,
    /// A header line named the fields.
    from_header: bool,
}

impl Default for Columns {
    /// `type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,...`
    fn default() -> Self {
        Columns {
            time: Some(1),
            recipient: Some(4),
            original_recipient: Some(5),
            action: Some(6),
            status: Some(7),
            diagnostic: Some(8),
            mta: Some(9),
            category: Some(10),
            from_header: false,
        }
    }
}

/// The record types read, and the status each reports when its `dsnAction` says none.
const TYPES: [(&[u8], Reported); 5] = [
    (b"b", Reported::Failed),
    (b"d", Reported::Delivered),
    (b"t", Reported::Deferred),
    (b"tq", Reported::Deferred),
    (b"rb", Reported::Failed),
];

impl Columns {
    /// The columns a header line names (`type,timeLogged,...,rcpt,...,dsnStatus,...`); `None`
    /// for any other line.
    pub fn from_header(line: &str) -> Option<Columns> {
        if !line.starts_with("type,") {
            return None;
        }
        let mut columns = Columns {
            time: None,
            recipient: None,
            original_recipient: None,
            action: None,
            status: None,
            diagnostic: None,
            mta: None,
            category: None,
            from_header: true,
        };
        for (index, name) in Fields::new(line.trim_end()).take(MAX_COLUMNS).enumerate() {
            let slot = match name.as_ref() {
                "timeLogged" => &mut columns.time,
                "rcpt" => &mut columns.recipient,
                "orcpt" => &mut columns.original_recipient,
                "dsnAction" => &mut columns.action,
                "dsnStatus" => &mut columns.status,
                "dsnDiag" => &mut columns.diagnostic,
                "dsnMta" => &mut columns.mta,
                "bounceCat" => &mut columns.category,
                _ => continue,
            };
            // At most `MAX_COLUMNS` of them.
            *slot = u8::try_from(index).ok();
        }
        // Without a status or a reply, no record of the file could be read.
        (columns.status.is_some() || columns.diagnostic.is_some()).then_some(columns)
    }

    /// Whether a header line has named the fields.
    pub fn named_by_header(&self) -> bool {
        self.from_header
    }
}

/// Whether a line may be an accounting file's: its header, or a record of a type read then a
/// comma, and (unless a header has shown the file) the default's time second:
/// `b,2026-11-23 10:00:01+0000,`.
pub fn looks_like_line(bytes: &[u8], header_seen: bool) -> bool {
    let Some(kind) = record_type(bytes) else {
        return bytes.starts_with(b"type,");
    };
    if header_seen {
        return true;
    }
    let time = &bytes[kind.len() + 1..];
    time.len() > 11
        && time[..4].iter().all(u8::is_ascii_digit)
        && time[4] == b'-'
        && time[7] == b'-'
        && time[10] == b' '
}

/// The record type a line starts with, when it is one this reader reads and a comma follows.
#[inline]
fn record_type(bytes: &[u8]) -> Option<&'static [u8]> {
    // Most lines of any log start otherwise: the first byte settles them.
    if !matches!(bytes.first(), Some(b'b' | b'd' | b't' | b'r')) {
        return None;
    }
    TYPES
        .iter()
        .map(|(kind, _)| *kind)
        .find(|kind| bytes.starts_with(kind) && bytes.get(kind.len()) == Some(&b','))
}

/// Reads a record; `None` for a line that is none, or one with nothing to classify.
pub fn parse(line: &str, columns: &Columns) -> Option<Delivery<'static>> {
    let kind = record_type(line.as_bytes())?;
    let (_, reported) = TYPES.iter().find(|(k, _)| *k == kind)?;
    let last = [
        columns.time,
        columns.recipient,
        columns.original_recipient,
        columns.action,
        columns.status,
        columns.diagnostic,
        columns.mta,
        columns.category,
    ]
    .into_iter()
    .flatten()
    .max()?;
    let fields = columns_to(line, last);
    let field = |column: Option<u8>| -> Option<&str> {
        column
            .and_then(|at| fields[usize::from(at)].as_deref())
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let mut delivery = Delivery::new(Format::PowerMta);
    if let Some(diagnostic) = field(columns.diagnostic) {
        dsn::read_diagnostic(&mut delivery, diagnostic);
    }
    if let Some(status) = field(columns.status) {
        dsn::read_status(&mut delivery, status);
    }
    delivery.reported = Some(
        field(columns.action)
            .and_then(dsn::action)
            .unwrap_or(*reported),
    );
    // `orcpt` is a DSN's `rfc822;bob@example.org`.
    let address = |value: &str| {
        let value = value.split_once(';').map_or(value, |(_, address)| address);
        Cow::Owned(value.trim().trim_matches(['<', '>']).to_string())
    };
    delivery.recipient = field(columns.recipient)
        .or_else(|| field(columns.original_recipient))
        .map(address);
    // `mx.example.org (192.0.2.1)`.
    delivery.host = field(columns.mta)
        .and_then(host_name)
        .map(|host| Cow::Owned(host.to_string()));
    delivery.timestamp = field(columns.time).map(|time| Cow::Owned(time.to_string()));
    delivery.class =
        field(columns.category).and_then(|category| service_class("powermta", category));
    Some(delivery.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{EnhancedCode, ReplyCode};
    use crate::command::Command;

    const HEADER: &str = "type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType,dlvSourceIp,dlvDestinationIp,dlvEsmtpAvailable,dlvSize,vmta,jobId,envId,queue,vmtaPool";

    fn read(line: &str) -> Delivery<'static> {
        assert!(looks_like_line(line.as_bytes(), false), "{line}");
        parse(line, &Columns::default()).expect(line)
    }

    #[test]
    fn a_bounce_record_gives_codes_reply_recipient_host_and_time() {
        let d = read("b,2026-11-23 10:00:01+0000,2026-11-23 09:59:58+0000,news@example.com,bob@example.org,,failed,5.1.1 (bad destination mailbox address),smtp;550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table,mx.example.org (192.0.2.1),bad-mailbox,smtp,api.example.com (198.51.100.2),smtp,203.0.113.5,192.0.2.1,\"PIPELINING,8BITMIME,SIZE,STARTTLS\",12345,vmta1,job42,,example.org/vmta1,");
        assert_eq!(d.format, Format::PowerMta);
        assert_eq!(d.code, "550".parse::<ReplyCode>().ok());
        assert_eq!(d.enhanced, "5.1.1".parse::<EnhancedCode>().ok());
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.recipient.as_deref(), Some("bob@example.org"));
        assert_eq!(d.host.as_deref(), Some("mx.example.org"));
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-23 10:00:01+0000"));
        assert!(d.text.contains("User unknown in virtual mailbox table"));
    }

    #[test]
    fn a_quoted_reply_with_commas_is_read_whole() {
        let d = read("t,2026-11-23 10:00:02+0000,2026-11-23 09:59:58+0000,news@example.com,carol@gmail.com,,delayed,\"4.7.28 (delivery not authorized, message refused)\",\"smtp;421-4.7.28 Gmail has detected an unusual rate of unsolicited mail, from your IP. - gsmtp\",gmail-smtp-in.l.google.com (142.250.27.26),policy-related,smtp");
        assert_eq!(d.code, "421".parse::<ReplyCode>().ok());
        assert_eq!(d.enhanced, "4.7.28".parse::<EnhancedCode>().ok());
        assert_eq!(d.reported, Some(Reported::Deferred));
        assert!(d.text.ends_with("from your IP. - gsmtp"), "{}", d.text);
        assert_eq!(d.host.as_deref(), Some("gmail-smtp-in.l.google.com"));
    }

    #[test]
    fn a_delivery_and_a_queue_failure_are_read() {
        let d = read("d,2026-11-23 10:00:03+0000,2026-11-23 09:59:58+0000,news@example.com,dave@yahoo.com,,relayed,2.0.0 (success),smtp;250 ok dirdel,mta6.am0.yahoodns.net (67.195.204.79),,smtp");
        assert_eq!(d.reported, Some(Reported::Delivered));
        assert_eq!(d.code, "250".parse::<ReplyCode>().ok());
        let q = read("tq,2026-11-23 10:00:04+0000,,,,,delayed,4.4.1 (no answer from host),smtp;timeout after RCPT TO,mx.example.net (192.0.2.9),no-answer-from-host");
        assert_eq!(q.reported, Some(Reported::Deferred));
        assert_eq!(q.enhanced, "4.4.1".parse::<EnhancedCode>().ok());
        assert_eq!(q.recipient, None);
        assert_eq!(q.command, Some(Command::RcptTo));
    }

    #[test]
    fn a_header_names_the_columns_of_the_records_after_it() {
        let named = Columns::from_header(HEADER).unwrap();
        assert!(named.named_by_header());
        assert_eq!(
            named,
            Columns {
                from_header: true,
                ..Columns::default()
            }
        );
        let columns = Columns::from_header("type,rcpt,dsnStatus,dsnDiag,timeLogged,jobId").unwrap();
        let line = "rb,eve@example.net,5.2.2 (mailbox full),smtp;552 5.2.2 Mailbox full,2026-11-23 11:00:00+0000,job7";
        assert!(looks_like_line(line.as_bytes(), true));
        assert!(!looks_like_line(line.as_bytes(), false));
        let d = parse(line, &columns).unwrap();
        assert_eq!(d.recipient.as_deref(), Some("eve@example.net"));
        assert_eq!(d.enhanced, "5.2.2".parse::<EnhancedCode>().ok());
        assert_eq!(d.timestamp.as_deref(), Some("2026-11-23 11:00:00+0000"));
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.host, None);
        // A CSV header of something else is not PowerMTA's.
        assert_eq!(Columns::from_header("type,name,size"), None);
    }

    #[test]
    fn other_lines_are_not_records() {
        for line in [
            "bounce,2026-11-23 10:00:01+0000,x",
            "b,not a time,x,y",
            "d,2026",
            "f,2026-11-23 10:00:01+0000,arf",
            "Nov 23 10:00:01 mx postfix/smtp[1]: b,2026-11-23 10:00:01",
            "",
        ] {
            assert!(!looks_like_line(line.as_bytes(), false), "{line}");
        }
        assert_eq!(parse("x,1", &Columns::default()), None);
    }
}
