//! Exchange and Microsoft 365 non-delivery report text.
//!
//! ```text
//! bob@example.com
//! Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'
//! ```
//! Newer reports say `Reported error: 550 5.1.10 ...`; older ones quote the reply as
//! `Remote Server returned '< #5.1.1 smtp;550 5.1.1 User unknown>'`. The recipient sits on a line
//! of its own just before, so the reader hands over the last such address it saw.
//!
//! Exchange's message tracking logs and Microsoft 365's message trace give the last error of a
//! delivery in braces, with the remote host beside it:
//! `[{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; ...};{MSG=};{FQDN=mx.example.com};{IP=...}]`.
//!
//! Their "Diagnostic information for administrators" gives each recipient a line of its own
//! (`diagnostic`): Exchange 2007 and later write the reply between `#` and `##`, after the
//! recipient, the remote host or both; Exchange 2000 and 2003 write the status and the reply in
//! angle brackets, after the host that gave up.
//!
//! ```text
//! bob@example.com
//! mx.example.com #550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown ##
//! carol@example.com #550 5.2.2 STOREDRV.Deliver: mailbox full ##
//!       <ex01.contoso.com #5.1.1 smtp;550 5.1.1 User unknown>
//! ```

use super::delivery::{Delivery, Format};
use super::needle::Needle;
use crate::response;
use std::borrow::Cow;

const LEADS: [Needle; 4] = [
    needle!("Remote Server returned '"),
    needle!("Remote server returned '"),
    needle!("Reported error:"),
    needle!("{LED="),
];

/// Reads an NDR line quoting the remote reply.
pub fn parse(line: &str) -> Option<Delivery<'_>> {
    // The lead's words, what follows them, and the host named before them.
    let (lead, mut quoted, mut host) = match LEADS
        .iter()
        .find_map(|lead| lead.find(line).map(|at| (lead, at)))
    {
        Some((lead, at)) => (lead.text(), &line[at + lead.len()..], None),
        None => {
            let (host, start) = server_at(line)?;
            ("returned '", &line[start..], Some(host))
        }
    };
    if lead.ends_with('\'') {
        quoted = &quoted[..quoted.rfind('\'').unwrap_or(quoted.len())];
    } else if lead.ends_with('=') {
        let after = quoted.find('}').map_or("", |end| &quoted[end..]);
        quoted = &quoted[..quoted.len() - after.len()];
        host = needle!("{FQDN=").find(after).and_then(|at| {
            let name = &after[at + "{FQDN=".len()..];
            Some(&name[..name.find('}')?]).filter(|name| is_host_name(name))
        });
    }
    // `'<bob@contoso.com> #5.1.10 smtp;550 5.1.10 ...'`: the recipient before the status.
    let mut recipient = None;
    if let Some((address, status)) = quoted
        .trim()
        .strip_prefix('<')
        .and_then(|rest| rest.split_once("> "))
        .filter(|(address, status)| {
            status.starts_with('#') && address.contains('@') && !address.contains([' ', '<'])
        })
    {
        recipient = Some(address);
        quoted = status;
    }
    let quoted = quoted
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    // `#5.1.1 smtp;550 5.1.1 User unknown`: the enhanced code first, then the reply.
    let mut enhanced = None;
    let mut reply_text = quoted;
    if let Some(rest) = quoted.strip_prefix('#') {
        if let Some((code, after)) = rest.split_once(' ') {
            enhanced = code.parse().ok();
            reply_text = after
                .split_once(';')
                .map_or(after, |(_, reply)| reply)
                .trim();
        }
    }
    let reply = response::parse(reply_text).filter(|r| r.code.is_some() || r.enhanced.is_some())?;
    let mut delivery = Delivery::new(Format::Exchange);
    delivery.enhanced = enhanced;
    delivery.take_reply(reply);
    delivery.host = host.map(Cow::Borrowed);
    delivery.recipient = recipient.map(Cow::Borrowed);
    Some(delivery)
}

/// Where the reply starts in Microsoft 365's `Remote Server at mx.example.com (192.0.2.1)
/// returned '550 ...'`, and the host named before it.
fn server_at(line: &str) -> Option<(&str, usize)> {
    const RETURNED: &str = " returned '";
    let at = needle!("Server at ").find(line)? + "Server at ".len();
    let rest = &line[at..];
    let end = needle!(RETURNED).find(rest)?;
    let mut words = rest[..end].split(' ');
    let host = words.next().filter(|word| is_host_name(word))?;
    // The host's address may follow, in parentheses or brackets.
    let address = words.next();
    let bracketed = |word: &str| {
        (word.starts_with('(') && word.ends_with(')'))
            || (word.starts_with('[') && word.ends_with(']'))
    };
    (address.is_none_or(bracketed) && words.next().is_none())
        .then_some((host, at + end + RETURNED.len()))
}

/// Reads a line of an NDR's diagnostic information: `[address] [host] #550 5.1.1 text ##`,
/// `<host #5.1.1 smtp;550 5.1.1 text>`, or Outlook's `#< #5.1.1 smtp;550 5.1.1 text> #SMTP#`.
pub fn diagnostic(line: &str) -> Option<Delivery<'_>> {
    let line = line.trim();
    if let Some(inner) = line.strip_suffix("##") {
        let at = inner.find('#')?;
        let reply = response::parse(&inner[at + 1..])?;
        reply.code?;
        let (recipient, host) = who(&inner[..at])?;
        let mut delivery = Delivery::new(Format::Exchange);
        delivery.take_reply(reply);
        delivery.recipient = recipient.map(Cow::Borrowed);
        delivery.host = host.map(Cow::Borrowed);
        return Some(delivery);
    }
    // Outlook's copy of a report leaves the host out: `#< #5.1.1 smtp;550 5.1.1 ...> #SMTP#`.
    let (inner, needs_host) = match line
        .strip_prefix("#<")
        .and_then(|rest| rest.strip_suffix("#SMTP#"))
    {
        Some(rest) => (rest.trim_end().strip_suffix('>')?, false),
        None => (line.strip_prefix('<')?.strip_suffix('>')?, true),
    };
    let (host, status) = inner.split_once(" #")?;
    let (_, host) = who(host)
        .filter(|(recipient, host)| recipient.is_none() && (host.is_some() || !needs_host))?;
    let (status, detail) = status.split_once(' ').unwrap_or((status, ""));
    let mut delivery = Delivery::new(Format::Exchange);
    delivery.enhanced = Some(status.parse().ok()?);
    delivery.host = host.map(Cow::Borrowed);
    // `smtp;550 5.1.1 User unknown`; other transports (`X-Notes;`) give words without a reply.
    let detail = detail
        .split_once(';')
        .map_or(detail, |(_, detail)| detail)
        .trim();
    match response::parse(detail).filter(|reply| reply.code.is_some()) {
        Some(reply) => delivery.take_reply(reply),
        None => delivery.text = Cow::Borrowed(detail),
    }
    Some(delivery)
}

/// The words before a diagnostic reply: nothing, the recipient, the remote host, or both in that
/// order. `None` when they are anything else.
fn who(words: &str) -> Option<(Option<&str>, Option<&str>)> {
    let mut recipient = None;
    let mut host = None;
    for word in words.split_ascii_whitespace() {
        if recipient.is_none() && host.is_none() && word.contains('@') {
            recipient = Some(address_line(word)?);
        } else if host.is_none() && is_host_name(word) {
            host = Some(word);
        } else {
            return None;
        }
    }
    Some((recipient, host))
}

fn is_host_name(word: &str) -> bool {
    word.contains('.')
        && !word.starts_with('.')
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// Whether a line may be an NDR's diagnostic line (`diagnostic`): it ends with `##`, or it is
/// in angle brackets with a ` #` in it.
pub fn looks_like_diagnostic(bytes: &[u8]) -> bool {
    // The last byte settles nearly every other line: this runs on every line of a log.
    let bytes = bytes.trim_ascii_end();
    match bytes.last() {
        Some(b'#') => bytes.ends_with(b"##") || bytes.ends_with(b"#SMTP#"),
        Some(b'>') => {
            let bytes = bytes.trim_ascii_start();
            bytes.starts_with(b"<") && bytes.windows(2).any(|pair| pair == b" #")
        }
        _ => false,
    }
}

/// A line that is only an address, as NDRs list recipients: `bob@example.com` or
/// `<bob@example.com>`, optionally followed by ` on 11/23/2026 10:00:01 AM` (Exchange 2007).
pub fn address_line(line: &str) -> Option<&str> {
    let line = line.trim();
    let word = line.split(' ').next()?;
    // Outlook's text of an HTML report links the address: `bob@example.com<mailto:bob@...>`;
    // an HTML part ends the line with a tag: `bob@example.com<br>`. No address holds a `<`.
    let word = word
        .find('<')
        .filter(|&at| at > 0)
        .map_or(word, |at| &word[..at]);
    // `<bob@example.com>:` alone heads a recipient's paragraph in qmail's bounces.
    let word = word
        .trim_start_matches('<')
        .trim_end_matches(':')
        .trim_end_matches('>');
    let rest = line[line.find(' ').unwrap_or(line.len())..].trim();
    let plausible = word.contains('@')
        && !word.starts_with('@')
        && !word.ends_with('@')
        && word.bytes().all(|b| {
            b.is_ascii_graphic() && !matches!(b, b'(' | b')' | b',' | b';' | b'"' | b'\'' | b'=')
        })
        && (rest.is_empty() || rest.starts_with("on "));
    plausible.then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quoted_microsoft_reply_is_read() {
        let d = parse(
            "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
        )
        .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.10");
        assert_eq!(
            d.text,
            "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
        );
    }

    #[test]
    fn the_old_and_the_new_wordings_are_read() {
        let d = parse("Remote Server returned '< #5.1.1 smtp;550 5.1.1 User unknown>'").unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.text, "User unknown");
        assert_eq!(d.recipient, None);
        // Exchange 2013 and later name the recipient before the status.
        let d = parse("Remote Server returned '<bob@contoso.com> #5.1.10 smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'").unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.10");
        assert_eq!(
            d.text,
            "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
        );
        assert_eq!(d.recipient.as_deref(), Some("bob@contoso.com"));
        let d = parse("Reported error: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.").unwrap();
        assert_eq!(d.enhanced.unwrap().to_string(), "5.7.708");
        // Copied from the report's table, the label and the reply are a tab apart.
        let d = parse("Reported error:\t550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup").unwrap();
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.10");
        assert!(d.text.starts_with("RESOLVER.ADR"), "{}", d.text);
    }

    #[test]
    fn a_reply_from_a_named_server_gives_the_host() {
        let d = parse("Remote Server at mx.fabrikam.com (192.0.2.1) returned '550 4.4.7 QUEUE.Expired; message expired'").unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "4.4.7");
        assert_eq!(d.text, "QUEUE.Expired; message expired");
        assert_eq!(d.host.as_deref(), Some("mx.fabrikam.com"));
        let d = parse("Server at fabrikam.com returned '550 5.1.1 User unknown'").unwrap();
        assert_eq!(d.host.as_deref(), Some("fabrikam.com"));
        // Words other than a host and its address before `returned` are no server's name.
        assert!(parse("The Server at last returned 'abc' 550 5.1.1 x").is_none());
        assert!(parse("Server at mx.fabrikam.com said it returned '550 5.1.1 x'").is_none());
    }

    #[test]
    fn the_last_error_of_a_message_trace_is_read_with_its_host() {
        let d = parse(
            "Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP \
             address lookup};{MSG=};{FQDN=};{IP=};{LRT=}]. OutboundProxyTargetIP: .",
        )
        .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.10");
        assert_eq!(
            d.text,
            "RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"
        );
        assert_eq!(d.host, None);
        let d = parse(
            "[{LRT=};{LED=451 4.4.0 Primary target IP address responded with: \"421 4.7.0 Try again \
             later.\" Attempted failover to alternate host, but that did not succeed.};{MSG=};\
             {FQDN=mx.fabrikam.com};{IP=192.0.2.7};{LRT=11/23/2026 10:00:00 AM}]",
        )
        .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 451);
        assert_eq!(d.host.as_deref(), Some("mx.fabrikam.com"));
        assert!(d.text.ends_with("did not succeed."), "{}", d.text);
        assert!(parse("[{LRT=};{LED=};{FQDN=};{IP=}]").is_none());
    }

    #[test]
    fn diagnostic_lines_of_every_exchange_release_are_read() {
        let d = diagnostic(
            "mx.fabrikam.com #550 5.1.1 <bob@fabrikam.com>: Recipient address rejected: User unknown ##",
        )
        .unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.host.as_deref(), Some("mx.fabrikam.com"));
        assert_eq!(d.recipient, None);
        assert_eq!(
            d.text,
            "<bob@fabrikam.com>: Recipient address rejected: User unknown"
        );
        let d = diagnostic("dan@contoso.com #550 5.2.2 STOREDRV.Deliver: mailbox full ##").unwrap();
        assert_eq!(d.recipient.as_deref(), Some("dan@contoso.com"));
        assert_eq!(d.host, None);
        assert_eq!(d.text, "STOREDRV.Deliver: mailbox full");
        let d =
            diagnostic("<eve@example.com> mx.example.com #451 4.4.0 DNS query failed ##").unwrap();
        assert_eq!(d.recipient.as_deref(), Some("eve@example.com"));
        assert_eq!(d.host.as_deref(), Some("mx.example.com"));
        let d = diagnostic("#550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found ##").unwrap();
        assert_eq!(d.text, "RESOLVER.ADR.RecipientNotFound; not found");

        let d = diagnostic("      <ex01.contoso.com #5.1.1 smtp;550 5.1.1 User unknown>").unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.host.as_deref(), Some("ex01.contoso.com"));
        assert_eq!(d.text, "User unknown");
        let d = diagnostic("<ex01.contoso.com #4.4.7>").unwrap();
        assert_eq!(
            (d.code, d.enhanced.unwrap().to_string()),
            (None, "4.4.7".into())
        );
        let d = diagnostic("<mail.contoso.com #5.0.0 X-Notes; User bob not listed>").unwrap();
        assert_eq!(d.text, "User bob not listed");
        // Outlook's copy of a report, without the host.
        let d = diagnostic("#< #5.1.1 smtp;550 5.1.1 User unknown> #SMTP#").unwrap();
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.host, None);
        assert_eq!(d.text, "User unknown");
        assert!(looks_like_diagnostic(
            b"#< #5.1.1 smtp;550 5.1.1 User unknown> #SMTP#"
        ));
    }

    #[test]
    fn lines_merely_like_diagnostics_are_not_read() {
        for line in [
            "## heading ##",
            "see issue #550 for details ##",
            "Total: 3 ##",
            "and then some words #550 5.1.1 unknown ##",
            "<a@b.example #5.1.1>",
            "<html #5.1.1>",
            "<ex01.contoso.com #issue 12>",
            "#< #issue 12> #SMTP#",
            "< #5.1.1 smtp;550 5.1.1 User unknown>",
        ] {
            assert!(diagnostic(line).is_none(), "{line}");
        }
        assert!(looks_like_diagnostic(b"  <ex01.contoso.com #5.1.1>"));
        assert!(looks_like_diagnostic(b"#550 5.1.1 x ##"));
        assert!(!looks_like_diagnostic(
            b"Nov 23 10:00:00 mail postfix/smtp[1]: x"
        ));
    }

    #[test]
    fn recipient_lines_are_recognised() {
        assert_eq!(address_line("bob@example.com"), Some("bob@example.com"));
        assert_eq!(address_line("  <bob@example.com>"), Some("bob@example.com"));
        assert_eq!(
            address_line("bob@example.com on 11/23/2026 10:00:01 AM"),
            Some("bob@example.com")
        );
        assert_eq!(
            address_line("Your message to bob@example.com couldn't be delivered."),
            None
        );
        assert_eq!(address_line("to=<bob@example.com>"), None);
        assert_eq!(
            address_line("bob@example.com<mailto:bob@example.com>"),
            Some("bob@example.com")
        );
    }
}
