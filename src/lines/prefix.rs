//! The start of a log line: its timestamp, and for syslog lines the program that wrote it.
//!
//! Three shapes cover the mail logs met in practice:
//! - BSD syslog: `Nov 23 10:00:01 mx1 postfix/smtp[12345]: ...` (day may be space-padded);
//! - ISO 8601 syslog (rsyslog, journalctl -o short-iso): `2026-11-23T10:00:01.123456+00:00 mx1 prog[1]: ...`;
//! - Exim's own log: `2026-11-23 10:00:01 ...`, optionally with `.123` and a ` +0000` zone.

use super::needle::split_once_near;

/// What precedes the message of a log line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prefix<'a> {
    pub timestamp: Option<&'a str>,
    /// The syslog tag without its pid: `postfix/smtp`, `sendmail`, `sm-mta`, `exim`.
    pub program: Option<&'a str>,
    /// True for Exim's own timestamp format (date, space, time).
    pub exim_style: bool,
    /// The message after the prefix.
    pub rest: &'a str,
}

/// Splits the prefix off `line`; a line without a known prefix is all `rest`.
pub fn split(line: &str) -> Prefix<'_> {
    if let Some((timestamp, rest)) = exim_timestamp(line) {
        return Prefix {
            timestamp: Some(timestamp),
            program: None,
            exim_style: true,
            rest,
        };
    }
    let Some((timestamp, rest)) = bsd_timestamp(line).or_else(|| iso_timestamp(line)) else {
        return Prefix {
            rest: line,
            ..Prefix::default()
        };
    };
    // The host name, then the tag: `prog[pid]:` or `prog:`.
    let (program, rest) = match split_once_near(rest, b' ') {
        Some((_host, after)) => syslog_tag(after).unwrap_or((None, after)),
        None => (None, rest),
    };
    Prefix {
        timestamp: Some(timestamp),
        program,
        exim_style: false,
        rest,
    }
}

fn syslog_tag(text: &str) -> Option<(Option<&str>, &str)> {
    let (tag, rest) = needle!(": ").split_once(text)?;
    if tag.bytes().any(|b| b == b' ') {
        return None;
    }
    let program = split_once_near(tag, b'[').map_or(tag, |(name, _pid)| name);
    Some((Some(program), rest))
}

fn digits(bytes: &[u8], range: std::ops::Range<usize>) -> bool {
    bytes
        .get(range)
        .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
}

/// `Nov 23 10:00:01 ` or `Nov  3 10:00:01 `.
fn bsd_timestamp(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    let ok = b.len() > 16
        && matches!(
            &b[..3],
            b"Jan"
                | b"Feb"
                | b"Mar"
                | b"Apr"
                | b"May"
                | b"Jun"
                | b"Jul"
                | b"Aug"
                | b"Sep"
                | b"Oct"
                | b"Nov"
                | b"Dec"
        )
        && b[3] == b' '
        && (b[4] == b' ' || b[4].is_ascii_digit())
        && b[5].is_ascii_digit()
        && b[6] == b' '
        && digits(b, 7..9)
        && b[9] == b':'
        && digits(b, 10..12)
        && b[12] == b':'
        && digits(b, 13..15)
        && b[15] == b' ';
    ok.then(|| (&line[..15], &line[16..]))
}

/// `2026-11-23T10:00:01.123456+00:00 ` up to the first space.
fn iso_timestamp(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    let ok = is_date(b) && b.get(10) == Some(&b'T') && is_time(b, 11);
    if !ok {
        return None;
    }
    split_once_near(line, b' ')
}

/// `2026-11-23 10:00:01`, then optional `.ddd` and ` +hhmm`, then a space.
fn exim_timestamp(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    if !(is_date(b) && b.get(10) == Some(&b' ') && is_time(b, 11)) {
        return None;
    }
    let mut end = 19;
    if b.get(end) == Some(&b'.') {
        end += 1;
        while b.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    if b.get(end) == Some(&b' ')
        && matches!(b.get(end + 1), Some(b'+' | b'-'))
        && digits(b, end + 2..end + 6)
        && b.get(end + 6).is_none_or(|c| *c == b' ')
    {
        end += 6;
    }
    match b.get(end) {
        Some(b' ') => Some((&line[..end], &line[end + 1..])),
        None => Some((&line[..end], "")),
        _ => None,
    }
}

fn is_date(b: &[u8]) -> bool {
    digits(b, 0..4)
        && b.get(4) == Some(&b'-')
        && digits(b, 5..7)
        && b.get(7) == Some(&b'-')
        && digits(b, 8..10)
}

fn is_time(b: &[u8], at: usize) -> bool {
    digits(b, at..at + 2)
        && b.get(at + 2) == Some(&b':')
        && digits(b, at + 3..at + 5)
        && b.get(at + 5) == Some(&b':')
        && digits(b, at + 6..at + 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bsd_syslog_lines_give_timestamp_and_program() {
        let p = split("Nov  3 10:00:01 mx1 postfix/smtp[12345]: 4F9D21A2B3: to=<a@b>");
        assert_eq!(p.timestamp, Some("Nov  3 10:00:01"));
        assert_eq!(p.program, Some("postfix/smtp"));
        assert_eq!(p.rest, "4F9D21A2B3: to=<a@b>");
        assert!(!p.exim_style);
    }

    #[test]
    fn iso_syslog_lines_give_timestamp_and_program() {
        let p = split("2026-11-23T10:00:01.123456+00:00 mail sm-mta[99]: 2ANA01: to=<a@b>");
        assert_eq!(p.timestamp, Some("2026-11-23T10:00:01.123456+00:00"));
        assert_eq!(p.program, Some("sm-mta"));
        assert_eq!(p.rest, "2ANA01: to=<a@b>");
    }

    #[test]
    fn exim_lines_give_timestamp_with_fraction_and_zone() {
        let p = split("2026-11-23 10:00:01.123 +0100 1tABCD-000123-EF ** a@b");
        assert_eq!(p.timestamp, Some("2026-11-23 10:00:01.123 +0100"));
        assert_eq!(p.rest, "1tABCD-000123-EF ** a@b");
        assert!(p.exim_style);
        assert_eq!(split("2026-11-23 10:00:01 x").rest, "x");
    }

    #[test]
    fn other_lines_are_all_rest() {
        let p = split("550 5.1.1 User unknown");
        assert_eq!((p.timestamp, p.rest), (None, "550 5.1.1 User unknown"));
        assert_eq!(split("Nov 23 garbage").timestamp, None);
        assert_eq!(split("").rest, "");
    }
}
