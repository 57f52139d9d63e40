//! The start of a log line: its timestamp, and for syslog lines the program that wrote it.
//!
//! The shapes of the mail logs met in practice:
//! - BSD syslog: `Nov 23 10:00:01 mx1 postfix/smtp[12345]: ...` (day may be space-padded);
//! - ISO 8601 syslog (rsyslog, journalctl -o short-iso): `2026-11-23T10:00:01.123456+00:00 mx1 prog[1]: ...`;
//! - syslog with a date and a time: `2026-11-23 10:00:01 mx1 prog[1]: ...` (syslog-ng, templates);
//! - either syslog shape after a `<PRI>` (logs kept as received from the network);
//! - RFC 5424 syslog: `<22>1 2026-11-23T10:00:01.123Z mx1 postfix/smtp 1234 - - ...`;
//! - Exim's own log: `2026-11-23 10:00:01 ...`, optionally with `.123` and a ` +0000` zone;
//! - any of these after Docker Compose's `service-1  | ` (`docker compose logs`), or after the
//!   file name and line number grep puts before a match (`mail.log:`, `mail.log.1:1234:`).

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

impl Prefix<'_> {
    /// Whether a Postfix program wrote the line (`postfix/smtp`, `postfix-out/smtp` of a second
    /// instance).
    pub fn is_postfix(&self) -> bool {
        self.program.is_some_and(|p| p.starts_with("postfix"))
    }

    /// Whether amavis wrote the line (`amavis`, `amavisd`, `amavisd-new`).
    pub fn is_amavis(&self) -> bool {
        self.program.is_some_and(|p| p.starts_with("amavis"))
    }
}

/// Splits the prefix off `line`; a line without a known prefix is all `rest`.
pub fn split(line: &str) -> Prefix<'_> {
    let prefix = split_known(line);
    if prefix.timestamp.is_none() {
        // One service column or grep's names at most: what follows is read without looking for
        // another.
        if let Some(inner) = compose_service(line)
            .into_iter()
            .chain(grep_names(line))
            .map(split_known)
            .find(|inner| inner.timestamp.is_some())
        {
            return inner;
        }
    }
    prefix
}

/// The line after each of the names grep puts before a match, the file's and then the line's
/// number (`grep -Hn`): words without spaces or colons, each ended by a colon.
fn grep_names(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let end = rest
            .bytes()
            .take(256)
            .position(|b| matches!(b, b':' | b' ' | b'\t'))?;
        if end == 0 || rest.as_bytes()[end] != b':' {
            return None;
        }
        rest = &rest[end + 1..];
        Some(rest)
    })
    .take(2)
}

/// `split` without Docker Compose's service column.
fn split_known(line: &str) -> Prefix<'_> {
    // multilog's TAI64N label, as daemontools and qmail's logs have it.
    if super::qmail_log::is_multilog(line.as_bytes()) {
        return Prefix {
            timestamp: Some(&line[..25]),
            rest: &line[26..],
            ..Prefix::default()
        };
    }
    let line = match priority(line) {
        Some(after) => {
            if let Some(prefix) = rfc5424(after) {
                return prefix;
            }
            after
        }
        None => line,
    };
    if let Some((timestamp, rest)) = exim_timestamp(line) {
        // Exim's own lines go on with a message id or a word; a syslog line, with a host and a
        // tag.
        if let Some((program, message)) = split_once_near(rest, b' ')
            .filter(|(host, _)| !super::exim::is_message_id(host.as_bytes()))
            .and_then(|(_host, after)| syslog_tag(after))
            .and_then(|(program, message)| Some((program.filter(|p| is_program(p))?, message)))
        {
            return Prefix {
                timestamp: Some(timestamp),
                program: Some(program),
                exim_style: false,
                rest: message,
            };
        }
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
    // Exim logging to syslog keeps its own timestamp unless `syslog_timestamp` is off; it has the
    // year, which syslog's lacks.
    if program.is_some_and(|p| p.starts_with("exim")) {
        if let Some((own, rest)) = exim_timestamp(rest) {
            return Prefix {
                timestamp: Some(own),
                program,
                exim_style: false,
                rest,
            };
        }
    }
    Prefix {
        timestamp: Some(timestamp),
        program,
        exim_style: false,
        rest,
    }
}

/// The queue id of a Postfix or Sendmail message and the message after it: the first word that
/// ends in `: ` before the first `=` and that `is_id` accepts. Looked for this way, it is found
/// after a prefix that `split` did not know too.
pub fn split_id(message: &str, is_id: impl Fn(&str) -> bool) -> Option<(&str, &str)> {
    // Most ids are the first word: looked at first, with the searcher the rest of the reader uses.
    if let Some((word, rest)) = needle!(": ").split_once(message) {
        if is_id(word) {
            return Some((word, rest));
        }
    }
    let bytes = message.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at + 1 < bytes.len() {
        match bytes[at] {
            b'=' => return None,
            b' ' => start = at + 1,
            b':' if bytes[at + 1] == b' ' => {
                if is_id(&message[start..at]) {
                    return Some((&message[start..at], &message[at + 2..]));
                }
                start = at + 2;
                at += 1;
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// The line after Docker Compose's `service-1  | `, when it starts with one: a service name, the
/// spaces that align the column, a bar and a space.
fn compose_service(line: &str) -> Option<&str> {
    let bytes = line.as_bytes();
    let name = bytes
        .iter()
        .take(64)
        .position(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))?;
    let bar = name + bytes[name..].iter().take(64).position(|&b| b != b' ')?;
    (name > 0 && bar > name && bytes[bar..].starts_with(b"| ")).then(|| &line[bar + 2..])
}

/// The line after a syslog `<PRI>` (`<22>`), when it starts with one.
fn priority(line: &str) -> Option<&str> {
    let rest = line.strip_prefix('<')?;
    let close = rest.bytes().take(4).position(|b| b == b'>')?;
    (close > 0 && rest.as_bytes()[..close].iter().all(u8::is_ascii_digit))
        .then(|| &rest[close + 1..])
}

/// `1 TIMESTAMP HOST APP PROCID MSGID SD MSG`, after the `<PRI>`; `-` for a field left out.
fn rfc5424(after_priority: &str) -> Option<Prefix<'_>> {
    let rest = after_priority.strip_prefix("1 ")?;
    let (timestamp, rest) = split_once_near(rest, b' ')?;
    let mut fields = rest.splitn(5, ' ');
    let (_host, app, _procid, _msgid) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next()?,
    );
    let mut message = fields.next().unwrap_or("");
    // Structured data: `-`, or `[id k="v"]` elements.
    if let Some(after) = message.strip_prefix("- ") {
        message = after;
    } else if message == "-" {
        message = "";
    } else if message.starts_with('[') {
        message = match needle!("] ").find(message) {
            Some(end) => &message[end + 2..],
            None => "",
        };
    }
    Some(Prefix {
        timestamp: (timestamp != "-").then_some(timestamp),
        program: (app != "-").then_some(app),
        exim_style: false,
        rest: message.strip_prefix('\u{feff}').unwrap_or(message),
    })
}

/// A syslog tag's program: `postfix/smtp`, `sm-mta`, `exim4`.
fn is_program(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.'))
}

fn syslog_tag(text: &str) -> Option<(Option<&str>, &str)> {
    // The tag is one word up to the first `: `: a space before it means there is none.
    let bytes = text.as_bytes();
    let mut end = 0;
    loop {
        end += memchr::memchr2(b' ', b':', &bytes[end..])?;
        match bytes[end] {
            b' ' => return None,
            _ if bytes.get(end + 1) == Some(&b' ') => break,
            _ => end += 1,
        }
    }
    let (tag, rest) = (&text[..end], &text[end + 2..]);
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
    fn a_multilog_label_is_the_timestamp() {
        let p = split("@4000000069231d2b0a1b2c3d delivery 1: success: did_0+0+1/");
        assert_eq!(p.timestamp, Some("@4000000069231d2b0a1b2c3d"));
        assert_eq!(p.rest, "delivery 1: success: did_0+0+1/");
    }

    #[test]
    fn exim_logging_to_syslog_keeps_its_own_timestamp() {
        let p = split(
            "Nov 23 10:00:04 mail exim[12345]: 2026-11-23 10:00:04.567 1tABCD-000123-EF ** a@b: x",
        );
        assert_eq!(p.timestamp, Some("2026-11-23 10:00:04.567"));
        assert_eq!(p.program, Some("exim"));
        assert_eq!(p.rest, "1tABCD-000123-EF ** a@b: x");
        let p = split("Nov 23 10:00:05 mail exim4[1]: 1tABCD-000123-EF ** a@b: x");
        assert_eq!(p.timestamp, Some("Nov 23 10:00:05"));
        assert_eq!(p.rest, "1tABCD-000123-EF ** a@b: x");
    }

    #[test]
    fn syslog_lines_with_a_date_and_a_time_are_not_exim_lines() {
        let p = split("2026-11-23 10:00:01 mx1 postfix/smtp[12345]: 4F9D21A2B3: to=<a@b>");
        assert_eq!(p.timestamp, Some("2026-11-23 10:00:01"));
        assert_eq!(p.program, Some("postfix/smtp"));
        assert_eq!(p.rest, "4F9D21A2B3: to=<a@b>");
        assert!(!p.exim_style);
        for exim in [
            "2026-11-23 10:00:01 1tABCD-000123-EF ** a@b: Unrouteable address",
            "2026-11-23 10:00:01 [1234] 1tABCD-000123-EF => a@b R=x T=y",
            "2026-11-23 10:00:01 H=(x) [192.0.2.1] F=<a@b> rejected RCPT <c@d>: no",
        ] {
            assert!(split(exim).exim_style, "{exim}");
        }
    }

    #[test]
    fn a_priority_tag_is_skipped() {
        let p = split("<22>Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: to=<a@b>");
        assert_eq!(p.timestamp, Some("Nov 23 10:00:01"));
        assert_eq!(p.program, Some("postfix/smtp"));
        assert_eq!(p.rest, "4F9D21A2B3: to=<a@b>");
        assert_eq!(
            split("<bob@example.com>: host x").rest,
            "<bob@example.com>: host x"
        );
    }

    #[test]
    fn a_docker_compose_service_column_is_skipped() {
        let p = split("mailserver-1  | Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: to=<a@b>");
        assert_eq!(p.timestamp, Some("Nov 23 10:00:01"));
        assert_eq!(p.program, Some("postfix/smtp"));
        assert_eq!(p.rest, "4F9D21A2B3: to=<a@b>");
        let p = split("mail_1 | 2026-11-23 10:00:01 1vAbcD-000ABC-1x ** bob@example.com");
        assert_eq!(p.timestamp, Some("2026-11-23 10:00:01"));
        assert!(p.exim_style);
        // Without a known timestamp after the bar, the line is left whole.
        for line in [
            "a | b",
            "x  | 550 5.1.1 unknown",
            "| Nov 23 10:00:01 mx1 p: x",
        ] {
            assert_eq!(split(line).rest, line);
            assert_eq!(split(line).timestamp, None);
        }
    }

    #[test]
    fn the_names_grep_puts_before_a_match_are_skipped() {
        for line in [
            "mail.log:Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: to=<a@b>",
            "/var/log/mail.log.2.gz:Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: to=<a@b>",
            "1234:Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: to=<a@b>",
            "mail.log:1234:Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: to=<a@b>",
        ] {
            let p = split(line);
            assert_eq!(p.timestamp, Some("Nov 23 10:00:01"), "{line}");
            assert_eq!(p.program, Some("postfix/smtp"), "{line}");
            assert_eq!(p.rest, "4F9D21A2B3: to=<a@b>", "{line}");
        }
        let p = split("exim/mainlog:2026-11-23 10:00:01 1vAbcD-000ABC-1x ** bob@example.com");
        assert_eq!(p.timestamp, Some("2026-11-23 10:00:01"));
        assert!(p.exim_style);
        // Fields and words with a colon are no file names unless a timestamp follows them.
        for line in [
            "Diagnostic-Code: smtp; 550 5.1.1 unknown",
            "Status: 5.1.1",
            "a:b:c:Nov 23 10:00:01 mx1 postfix/smtp[1]: x",
            ":Nov 23 10:00:01 mx1 postfix/smtp[1]: x",
        ] {
            assert_eq!(split(line).timestamp, None, "{line}");
            assert_eq!(split(line).rest, line);
        }
    }

    #[test]
    fn rfc5424_lines_give_timestamp_program_and_message() {
        let p =
            split("<22>1 2026-11-23T10:00:01.123Z mx1 postfix/smtp 1234 - - 4F9D21A2B3: to=<a@b>");
        assert_eq!(p.timestamp, Some("2026-11-23T10:00:01.123Z"));
        assert_eq!(p.program, Some("postfix/smtp"));
        assert_eq!(p.rest, "4F9D21A2B3: to=<a@b>");
        let p =
            split(r#"<22>1 2026-11-23T10:00:01Z mx1 sm-mta 99 ID47 [meta seq="1"] 2ANA01: stat=x"#);
        assert_eq!((p.program, p.rest), (Some("sm-mta"), "2ANA01: stat=x"));
    }

    #[test]
    fn an_id_is_the_first_word_it_names_before_the_fields() {
        let hex = |w: &str| w.len() == 10 && w.bytes().all(|b| b.is_ascii_hexdigit());
        assert_eq!(
            split_id("4F9D21A2B3: to=<a@b>, status=sent", hex),
            Some(("4F9D21A2B3", "to=<a@b>, status=sent"))
        );
        assert_eq!(
            split_id("mx1 postfix/smtp[12]: 4F9D21A2B3: to=<a@b>", hex),
            Some(("4F9D21A2B3", "to=<a@b>"))
        );
        assert_eq!(split_id("to=<a@b>, note: 4F9D21A2B3: x", hex), None);
        assert_eq!(split_id("no id here", hex), None);
    }

    #[test]
    fn other_lines_are_all_rest() {
        let p = split("550 5.1.1 User unknown");
        assert_eq!((p.timestamp, p.rest), (None, "550 5.1.1 User unknown"));
        assert_eq!(split("Nov 23 garbage").timestamp, None);
        assert_eq!(split("").rest, "");
    }
}
