//! Exchange and Microsoft 365 non-delivery report text.
//!
//! ```text
//! bob@example.com
//! Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'
//! ```
//! Newer reports say `Reported error: 550 5.1.10 ...`; older ones quote the reply as
//! `Remote Server returned '< #5.1.1 smtp;550 5.1.1 User unknown>'`. The recipient sits on a line
//! of its own just before, so the reader hands over the last such address it saw.

use super::delivery::{Delivery, Format};
use super::needle::Needle;
use crate::response;

const LEADS: [Needle; 3] = [
    needle!("Remote Server returned '"),
    needle!("Remote server returned '"),
    needle!("Reported error: "),
];

/// Reads an NDR line quoting the remote reply.
pub fn parse(line: &str) -> Option<Delivery<'_>> {
    let (lead, at) = LEADS
        .iter()
        .find_map(|lead| lead.find(line).map(|at| (lead, at)))?;
    let mut quoted = &line[at + lead.len()..];
    if lead.text().ends_with('\'') {
        quoted = &quoted[..quoted.rfind('\'').unwrap_or(quoted.len())];
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
    Some(delivery)
}

/// A line that is only an address, as NDRs list recipients: `bob@example.com` or
/// `<bob@example.com>`, optionally followed by ` on 11/23/2026 10:00:01 AM` (Exchange 2007).
pub fn address_line(line: &str) -> Option<&str> {
    let line = line.trim();
    let word = line.split(' ').next()?;
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
        let d = parse("Reported error: 550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.").unwrap();
        assert_eq!(d.enhanced.unwrap().to_string(), "5.7.708");
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
    }
}
