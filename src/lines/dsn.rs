//! Delivery-status fields of a bounce (RFC 3464): one group of fields per recipient.
//!
//! ```text
//! Final-Recipient: rfc822; bob@example.com
//! Action: failed
//! Status: 5.1.1
//! Remote-MTA: dns; mx.example.com
//! Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
//!     not exist. Please try double-checking the recipient's email address
//! ```
//!
//! Fields fold onto lines that start with white space. A group ends at a blank line or at any
//! line that is not one of its fields; per-message fields (`X-Postfix-Queue-ID`, `Reporting-MTA`)
//! hold for the groups after them.

use super::delivery::{find_reply, host_name, Delivery, Format};
use crate::classify::Reported;
use crate::code::EnhancedCode;
use crate::command::Command;
use std::borrow::Cow;

/// The most text one group keeps; folded diagnostics beyond it are dropped.
const GROUP_CAP: usize = 16 * 1024;

/// A delivery-status field this reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    OriginalRecipient,
    FinalRecipient,
    Action,
    Status,
    RemoteMta,
    DiagnosticCode,
    LastAttemptDate,
    /// Other per-recipient fields (`Will-Retry-Until`, `Final-Log-ID`...), kept in the group.
    OtherRecipientField,
    /// `X-Postfix-Queue-ID`: the queue id of the returned message.
    QueueId,
    /// Other per-message fields (`Reporting-MTA`, `Arrival-Date`...).
    OtherMessageField,
    /// Any other `X-` field (RFC 3464's extension fields: `X-Supplementary-Info`,
    /// `X-Display-Name`, `X-Exim-Diagnostic`...): part of whatever group it stands in.
    Extension,
}

/// The field a line starts, with its value; `None` when the line is not a DSN field.
pub fn field(line: &str) -> Option<(Field, &str)> {
    // A field name is short, of letters and dashes, and ends at a colon: most lines show at their
    // first bytes that they start otherwise.
    let head = &line.as_bytes()[..line.len().min(25)];
    let colon = head
        .iter()
        .position(|&b| !(b.is_ascii_alphabetic() || b == b'-'))
        .filter(|&at| at > 0 && head[at] == b':')?;
    let name = &line[..colon];
    const FIELDS: [(&str, Field); 16] = [
        ("Original-Recipient", Field::OriginalRecipient),
        ("Final-Recipient", Field::FinalRecipient),
        ("Action", Field::Action),
        ("Status", Field::Status),
        ("Remote-MTA", Field::RemoteMta),
        ("Diagnostic-Code", Field::DiagnosticCode),
        ("Last-Attempt-Date", Field::LastAttemptDate),
        ("Will-Retry-Until", Field::OtherRecipientField),
        ("Final-Log-ID", Field::OtherRecipientField),
        ("X-Actual-Recipient", Field::OtherRecipientField),
        ("X-Postfix-Queue-ID", Field::QueueId),
        ("Reporting-MTA", Field::OtherMessageField),
        ("Received-From-MTA", Field::OtherMessageField),
        ("Arrival-Date", Field::OtherMessageField),
        ("Original-Envelope-Id", Field::OtherMessageField),
        ("X-Postfix-Sender", Field::OtherMessageField),
    ];
    let extension = name
        .get(..2)
        .is_some_and(|x| x.eq_ignore_ascii_case("X-"))
        .then_some(Field::Extension);
    let which = FIELDS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, which)| which)
        .or(extension.as_ref())?;
    let value = line[colon + 1..].trim();
    // `Status:` is also an mbox header (`Status: RO`); only an enhanced code makes it a DSN field.
    if *which == Field::Status
        && value
            .split([' ', '('])
            .next()?
            .parse::<crate::EnhancedCode>()
            .is_err()
    {
        return None;
    }
    Some((*which, value))
}

/// The fields of one recipient, gathered line by line.
#[derive(Debug, Clone, Default)]
pub struct Group {
    recipient: Option<String>,
    original_recipient: Option<String>,
    action: Option<String>,
    status: Option<String>,
    remote_mta: Option<String>,
    diagnostic: Option<String>,
    last_attempt: Option<String>,
    last_field: Option<Field>,
}

impl Group {
    /// True when `field` starts another recipient's group: it names a recipient for the second
    /// time, or comes after the group's status. Postfix writes Final-Recipient before
    /// Original-Recipient, RFC 3464 the other way round, and Exim writes Action before both: so an
    /// Action alone is no status yet, but a second Action is the next group's.
    pub fn is_next_recipient(&self, field: Field) -> bool {
        let has_status = self.status.is_some() || self.diagnostic.is_some();
        match field {
            Field::FinalRecipient => self.recipient.is_some() || has_status,
            Field::OriginalRecipient => self.original_recipient.is_some() || has_status,
            Field::Action => self.action.is_some(),
            _ => false,
        }
    }

    pub fn add(&mut self, field: Field, value: &str) {
        let slot = match field {
            Field::OriginalRecipient => &mut self.original_recipient,
            Field::FinalRecipient => &mut self.recipient,
            Field::Action => &mut self.action,
            Field::Status => &mut self.status,
            Field::RemoteMta => &mut self.remote_mta,
            Field::DiagnosticCode => &mut self.diagnostic,
            Field::LastAttemptDate => &mut self.last_attempt,
            _ => {
                self.last_field = Some(field);
                return;
            }
        };
        *slot = Some(capped(value).to_string());
        self.last_field = Some(field);
    }

    /// Adds a folded continuation line to the field before it.
    pub fn fold(&mut self, continuation: &str) {
        let slot = match self.last_field {
            Some(Field::DiagnosticCode) => &mut self.diagnostic,
            Some(Field::FinalRecipient) => &mut self.recipient,
            Some(Field::RemoteMta) => &mut self.remote_mta,
            _ => return,
        };
        if let Some(value) = slot {
            if value.len() + continuation.len() < GROUP_CAP {
                value.push(' ');
                value.push_str(continuation.trim());
            }
        }
    }

    /// The delivery the group reports, if it has a status, an action or a diagnostic.
    pub fn delivery(&self, queue_id: Option<&str>) -> Option<Delivery<'static>> {
        let mut delivery = Delivery::new(Format::Dsn);
        delivery.reported = self.action.as_deref().and_then(action);
        if let Some(diagnostic) = &self.diagnostic {
            read_diagnostic(&mut delivery, diagnostic);
        }
        if let Some(status) = &self.status {
            read_status(&mut delivery, status);
        }
        if !delivery.has_result() {
            return None;
        }
        let address = |value: &Option<String>| {
            value
                .as_deref()
                .map(|v| v.split_once(';').map_or(v, |(_, address)| address).trim())
                .map(|v| v.trim_start_matches('<').trim_end_matches('>'))
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let recipient = address(&self.recipient).or_else(|| address(&self.original_recipient));
        // `dns; mx.example.com`, with Gmail's `. (192.0.2.1, the server for the domain ...)`.
        // Without a Remote-MTA, Postfix's words may name the host it could not reach.
        let host = address(&self.remote_mta)
            .as_deref()
            .and_then(host_name)
            .or_else(|| super::said::host_talked_to(&delivery.text))
            .map(str::to_string);
        let mut delivery = delivery.into_owned();
        delivery.recipient = recipient.map(Cow::Owned);
        delivery.host = host.map(Cow::Owned);
        delivery.timestamp = self.last_attempt.clone().map(Cow::Owned);
        delivery.queue_id = queue_id.map(|id| Cow::Owned(id.to_string()));
        Some(delivery)
    }
}

/// What an `Action` value reports (`failed`, `delayed`, `delivered`, `relayed`, `expanded`).
pub fn action(value: &str) -> Option<Reported> {
    match value
        .split_whitespace()
        .next()?
        .to_ascii_lowercase()
        .as_str()
    {
        "failed" => Some(Reported::Failed),
        "delayed" => Some(Reported::Deferred),
        "delivered" | "relayed" | "expanded" => Some(Reported::Delivered),
        _ => None,
    }
}

/// Reads a `Diagnostic-Code` value into `delivery`: `smtp; 550 5.1.1 ...` gives the reply; other
/// types (`X-Postfix; unknown user`) carry words only.
pub fn read_diagnostic<'a>(delivery: &mut Delivery<'a>, diagnostic: &'a str) {
    let (kind, text) = diagnostic.split_once(';').unwrap_or(("", diagnostic));
    let text = text.trim();
    delivery.command = Command::find_in(text);
    match find_reply(text).filter(|_| kind.trim().eq_ignore_ascii_case("smtp")) {
        Some((reply, _)) => delivery.take_reply(reply),
        None => delivery.text = Cow::Borrowed(text),
    }
}

/// Reads a `Status` value (`5.1.1`, `5.1.1 (bad destination mailbox address)`) into `delivery`.
/// The status is the report's own verdict; it wins over the diagnostic's code, but for a bare
/// `5.0.0` (Gmail's) over the remote's more precise code of the same class.
pub fn read_status(delivery: &mut Delivery<'_>, status: &str) {
    let Some(status) = status.split([' ', '(']).next() else {
        return;
    };
    let status: Option<EnhancedCode> = status.parse().ok();
    let vaguer = |status: EnhancedCode| {
        delivery.enhanced.is_some_and(|remote| {
            status.subject() == 0 && status.detail() == 0 && remote.class() == status.class()
        })
    };
    if !status.is_some_and(vaguer) {
        delivery.enhanced = status.or(delivery.enhanced);
    }
}

fn capped(value: &str) -> &str {
    if value.len() <= GROUP_CAP {
        return value;
    }
    let mut end = GROUP_CAP;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    &value[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lines::delivery::domain_of;

    fn domain(delivery: &Delivery<'_>) -> Option<String> {
        delivery
            .recipient
            .as_deref()
            .and_then(domain_of)
            .map(Cow::into_owned)
    }

    fn group(lines: &[&str]) -> Group {
        let mut group = Group::default();
        for line in lines {
            if line.starts_with([' ', '\t']) {
                group.fold(line);
            } else {
                let (field, value) = field(line).unwrap();
                group.add(field, value);
            }
        }
        group
    }

    #[test]
    fn a_failed_group_gives_status_diagnostic_recipient_and_mta() {
        let d = group(&[
            "Final-Recipient: rfc822; bob@Example.com",
            "Original-Recipient: rfc822;bob@example.com",
            "Action: failed",
            "Status: 5.1.1",
            "Remote-MTA: dns; gmail-smtp-in.l.google.com",
            "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does",
            "    not exist. Please try 550-5.1.1 double-checking the recipient's email",
            "    address for typos. (in reply to RCPT TO command)",
        ])
        .delivery(Some("4F9D21A2B3"))
        .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("bob@Example.com"));
        assert_eq!(domain(&d).as_deref(), Some("example.com"));
        assert_eq!(d.host.as_deref(), Some("gmail-smtp-in.l.google.com"));
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.queue_id.as_deref(), Some("4F9D21A2B3"));
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(
            d.text,
            "The email account that you tried to reach does not exist. Please try \
             double-checking the recipient's email address for typos."
        );
    }

    #[test]
    fn extension_fields_are_fields_of_the_group_they_stand_in() {
        assert_eq!(
            field("X-Supplementary-Info: <mailbox full>").map(|(f, _)| f),
            Some(Field::Extension)
        );
        assert_eq!(
            field("x-display-name: Bob").map(|(f, _)| f),
            Some(Field::Extension)
        );
        assert_eq!(field("Subject: hello"), None);
        let d = group(&[
            "Final-Recipient: rfc822; bob@example.com",
            "Action: failed",
            "X-Supplementary-Info: <mailbox full>",
            "    (folded)",
            "Diagnostic-Code: smtp; 552 5.2.2 Quota exceeded",
        ])
        .delivery(None)
        .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.text, "Quota exceeded");
    }

    #[test]
    fn without_a_remote_mta_postfixs_words_name_the_host() {
        let d = group(&[
            "Final-Recipient: rfc822; ann@example.net",
            "Action: delayed",
            "Status: 4.4.1",
            "Diagnostic-Code: X-Postfix; connect to mx.example.net[192.0.2.6]:25: Connection",
            "    timed out",
        ])
        .delivery(None)
        .unwrap();
        assert_eq!(d.host.as_deref(), Some("mx.example.net"));
    }

    #[test]
    fn a_group_ends_at_a_recipient_after_its_status_or_at_a_second_action() {
        let postfix = group(&["Final-Recipient: rfc822; bob@example.com", "Action: failed"]);
        assert!(!postfix.is_next_recipient(Field::OriginalRecipient));
        assert!(postfix.is_next_recipient(Field::FinalRecipient));
        assert!(postfix.is_next_recipient(Field::Action));
        let exim = group(&["Action: failed"]);
        assert!(!exim.is_next_recipient(Field::FinalRecipient));
        assert!(!exim.is_next_recipient(Field::OriginalRecipient));
        let rfc = group(&[
            "Original-Recipient: rfc822;bob@example.com",
            "Status: 5.1.1",
        ]);
        assert!(rfc.is_next_recipient(Field::OriginalRecipient));
        assert!(rfc.is_next_recipient(Field::FinalRecipient));
        assert!(!rfc.is_next_recipient(Field::Action));
    }

    #[test]
    fn the_status_field_wins_over_the_diagnostics_code() {
        let d = group(&[
            "Action: delayed",
            "Status: 4.4.7",
            "Diagnostic-Code: X-Postfix; delivery temporarily suspended",
        ])
        .delivery(None)
        .unwrap();
        assert_eq!(d.enhanced.unwrap().to_string(), "4.4.7");
        assert_eq!(d.code, None);
        assert_eq!(d.text, "delivery temporarily suspended");

        let d = group(&[
            "Action: failed",
            "Status: 5.7.1",
            "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
        ])
        .delivery(None)
        .unwrap();
        assert_eq!(d.enhanced.unwrap().to_string(), "5.7.1");
    }

    #[test]
    fn a_bare_x00_status_gives_way_to_the_remotes_code_of_its_class() {
        let enhanced = |status: &str, diagnostic: &str| {
            let d = group(&["Action: failed", status, diagnostic])
                .delivery(None)
                .unwrap();
            d.enhanced.unwrap().to_string()
        };
        let gmail = "Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach \
                     does not exist. a1si123 - gsmtp";
        assert_eq!(
            enhanced("Status: 5.0.0 (permanent failure)", gmail),
            "5.1.1"
        );
        assert_eq!(
            enhanced("Status: 4.0.0", "Diagnostic-Code: smtp; 550 5.1.1 x"),
            "4.0.0"
        );
        assert_eq!(
            enhanced("Status: 5.0.0", "Diagnostic-Code: smtp; 550 x"),
            "5.0.0"
        );
    }

    #[test]
    fn the_remote_mta_is_its_host_name_without_gmails_comment() {
        let d = group(&[
            "Action: failed",
            "Status: 5.0.0",
            "Remote-MTA: dns; gmail-smtp-in.l.google.com. (192.0.2.1, the server for the \
             domain gmail.com.)",
        ])
        .delivery(None)
        .unwrap();
        assert_eq!(d.host.as_deref(), Some("gmail-smtp-in.l.google.com"));
        let d = group(&[
            "Action: failed",
            "Status: 5.0.0",
            "Remote-MTA: dns; [192.0.2.1]",
        ])
        .delivery(None)
        .unwrap();
        assert_eq!(d.host.as_deref(), Some("192.0.2.1"));
    }

    #[test]
    fn only_real_dsn_fields_are_fields() {
        assert_eq!(field("Status: 5.1.1"), Some((Field::Status, "5.1.1")));
        assert_eq!(
            field("status: 4.2.2 (mailbox full)").map(|f| f.0),
            Some(Field::Status)
        );
        assert_eq!(field("Status: RO"), None, "an mbox header");
        assert_eq!(field("Subject: hello"), None);
        assert_eq!(field("Nov 23 10:00:01 mx postfix/smtp[1]: x"), None);
    }

    #[test]
    fn a_group_without_a_status_has_no_delivery() {
        assert!(group(&["Final-Recipient: rfc822; bob@example.com"])
            .delivery(None)
            .is_none());
    }
}
