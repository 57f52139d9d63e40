//! A reply quoted inside another program's line: a mail library's exception, an application's
//! log, a test tool's transcript.
//!
//! ```text
//! smtplib.SMTPRecipientsRefused: {'bob@example.com': (550, b'5.1.1 <bob@example.com>: Recipient address rejected')}
//! SMTP ERROR: RCPT TO command failed: 550 5.1.1 <bob@example.com>: Recipient address rejected
//! com.sun.mail.smtp.SMTPAddressFailedException: 550 5.1.1 <bob@example.com>... User unknown
//! Expected response code 250 but got code "550", with message "550 5.1.1 <bob@example.com>: ..."
//! <** 550 5.1.1 <bob@example.com>: Recipient address rejected (swaks)
//! ```
//!
//! Nothing names such a line's format, so only a reply code followed by an enhanced code of the
//! same class counts as a reply (`550 5.1.1`, `(550, b'5.1.1`): a number followed by a
//! version-like word of its first digit is rare outside SMTP, where a number alone is not
//! (`took 250 ms`). The reader of last resort: every other reader of a line comes first.

use super::delivery::{Delivery, Format};
use crate::classify::Reported;
use crate::code::ReplyCode;
use crate::command::Command;
use crate::response;
use std::borrow::Cow;

/// The words before the reply in .NET's `SmtpException` messages, which keep the enhanced code
/// and drop the reply code: `Mailbox unavailable. The server response was: 5.1.1 User unknown`.
const DOTNET_LEAD: &str = "The server response was: ";

/// The words before a bounce's own status on the line that gives why a recipient failed, and
/// after it the status's name and the remote's reply in single quotes, its code before them:
/// `The reason for the problem: 5.1.0 - Unknown address error 550-'5.1.1 <bob@example.com>...
/// User unknown'`, or the bounce's own words when no server replied: `4.4.7 - Delivery expired
/// (message too old) 'timeout'`.
const PROBLEM_LEAD: &str = "The reason for the problem: ";

/// PHPMailer's words before the recipients the server refused, each with the reply's text but
/// not its codes, which PHPMailer strips: `SMTP Error: The following recipients failed:
/// bob@example.com: <bob@example.com>: Recipient address rejected: User unknown`.
const PHPMAILER_LEAD: &str = "The following recipients failed: ";

/// The end of `PHPMAILER_LEAD` that the line reader searches for.
pub const PHPMAILER_MARKER: &str = "recipients failed: ";

/// The words with which mail libraries quote a whole reply, its code bare: after them a reply
/// code counts without an enhanced code (`Net::SMTPFatalError: 550 Requested action not taken:
/// mailbox unavailable`), as it does in Python's `(550, b'...')`.
const LIBRARY_LEADS: [&str; 17] = [
    // Ruby's Net::SMTP errors, by their message or as Rails logs them (`Net::SMTPFatalError (550
    // ...)`).
    "SMTPFatalError: ",
    "SMTPServerBusy: ",
    "SMTPSyntaxError: ",
    "SMTPAuthenticationError: ",
    "SMTPUnknownError: ",
    "SMTPFatalError (",
    "SMTPServerBusy (",
    "SMTPSyntaxError (",
    "SMTPAuthenticationError (",
    "SMTPUnknownError (",
    // JavaMail and Jakarta Mail.
    "SMTPAddressFailedException: ",
    "SMTPSendFailedException: ",
    // Nodemailer (`Mail command failed: `, `Data command failed: `...) and PHPMailer (`SMTP
    // ERROR: RCPT TO command failed: `).
    "command failed: ",
    "all recipients were rejected: ",
    "Message failed: ",
    "Invalid login: ",
    // Symfony Mailer and Laravel: `... but got code "550", with message "550 ...".`
    "with message \"",
];

/// Whether the marker at `at` (` 5.`, or `, b'` and `, b"` before a class digit) follows a reply
/// code of the class that comes after it, `550 5.`, `(550, b'5.`, or a lead whose enhanced code
/// stands alone (.NET's, `PROBLEM_LEAD`); or is Python's tuple of a code and its text, `(550,
/// b'`; or ends a library's lead (`LIBRARY_LEADS`), which the reader checks.
pub fn follows_code(bytes: &[u8], at: usize) -> bool {
    let before = &bytes[..at];
    // PHPMailer's list of refused recipients, whose replies have no codes: its whole lead.
    if bytes[at..].starts_with(PHPMAILER_MARKER.as_bytes()) {
        return bytes[..at + PHPMAILER_MARKER.len()].ends_with(PHPMAILER_LEAD.as_bytes());
    }
    if before.ends_with(&DOTNET_LEAD.as_bytes()[..DOTNET_LEAD.len() - 1])
        || before.ends_with(&PROBLEM_LEAD.as_bytes()[..PROBLEM_LEAD.len() - 1])
    {
        return true;
    }
    match bytes[at] {
        b' ' => bytes
            .get(at + 1)
            .is_some_and(|&class| follows_digits(bytes, at, class)),
        b',' => {
            python_tuple_at(before)
                || bytes
                    .get(at + 4)
                    .is_some_and(|&class| follows_digits(bytes, at, class))
        }
        _ => true,
    }
}

/// Whether the three bytes before `at` are digits, the first `class`.
fn follows_digits(bytes: &[u8], at: usize, class: u8) -> bool {
    at >= 3 && bytes[at - 3] == class && bytes[at - 2..at].iter().all(u8::is_ascii_digit)
}

/// Whether `before` ends with Python's `(550`, a tuple opening with a reply code.
fn python_tuple_at(before: &[u8]) -> bool {
    before.len() >= 4
        && before[before.len() - 4] == b'('
        && matches!(before[before.len() - 3], b'2' | b'4' | b'5')
        && before[before.len() - 2..].iter().all(u8::is_ascii_digit)
}

/// Reads the first quoted reply of `line`.
pub fn parse(line: &str) -> Option<Delivery<'_>> {
    if let Some(at) = line.find(PROBLEM_LEAD) {
        return problem(&line[at + PROBLEM_LEAD.len()..]);
    }
    if let Some(at) = line.find(PHPMAILER_LEAD) {
        return phpmailer(&line[at + PHPMAILER_LEAD.len()..]);
    }
    let bytes = line.as_bytes();
    let Some((code_at, code, reply)) = (0..bytes.len()).find_map(|at| reply_at(line, at)) else {
        return dotnet(line);
    };
    let mut delivery = Delivery::new(Format::Quoted);
    delivery.take_reply(reply);
    delivery.code = Some(code);
    // The reply's text ends where the quote or brackets around it close.
    let before = &line[..code_at];
    let text = match python_quote(&line[code_at + 3..]) {
        Some(quote) => python_bytes_end(&delivery.text, quote),
        None => close_quote(&delivery.text, before),
    };
    let text = text.trim_end_matches("\\r\\n").trim_end_matches("\\n");
    delivery.text = Cow::Owned(joined(text));
    delivery.recipient = recipient(&delivery.text)
        .or_else(|| last_address(before))
        .map(|address| Cow::Owned(address.to_string()));
    delivery.command = Command::find_in(before)
        .or_else(|| library_command(before))
        .or_else(|| command_field(&line[code_at..]));
    Some(delivery)
}

/// The first recipient PHPMailer lists as refused and the words of the reply it got: a failure
/// of that address for those words. The codes, if a version keeps them, are read too.
fn phpmailer(after_lead: &str) -> Option<Delivery<'_>> {
    let (address, words) = after_lead.split_once(": ")?;
    let address = address.trim();
    if !address.contains('@') || address.contains(' ') {
        return None;
    }
    let words = words.trim();
    if words.is_empty() {
        return None;
    }
    let mut delivery = Delivery::new(Format::Quoted);
    delivery.recipient = Some(Cow::Borrowed(address));
    delivery.command = Some(Command::RcptTo);
    delivery.reported = Some(Reported::Failed);
    delivery.read_detail(words);
    Some(delivery)
}

/// The reply in .NET's words, `... The server response was: 5.1.1 <bob@example.com>: ...`: its
/// enhanced code, which .NET keeps, and its text.
fn dotnet(line: &str) -> Option<Delivery<'_>> {
    let at = line.find(DOTNET_LEAD)?;
    let reply = response::parse(&line[at + DOTNET_LEAD.len()..])?;
    reply.enhanced?;
    let mut delivery = Delivery::new(Format::Quoted);
    delivery.take_reply(reply);
    delivery.recipient = recipient(&delivery.text).map(|address| Cow::Owned(address.to_string()));
    delivery.command = library_command(&line[..at]);
    Some(delivery)
}

/// The result after `PROBLEM_LEAD`: the remote's reply when the quotes hold one, its code
/// before them (`550-'5.1.1 ...'`, `571-'Delivery not authorized'`), and its enhanced code or
/// else the bounce's; otherwise the bounce's status and its words.
fn problem(after_lead: &str) -> Option<Delivery<'_>> {
    let own = response::parse(after_lead)?;
    let status = own.enhanced.filter(|_| own.code.is_none())?;
    let words = own.text.strip_prefix('-').unwrap_or(own.text).trim();
    let mut delivery = Delivery::new(Format::Quoted);
    delivery.enhanced = Some(status);
    delivery.text = Cow::Borrowed(words);
    let Some((before, quoted)) = words.split_once('\'') else {
        return Some(delivery);
    };
    let before = before.trim_end();
    let code = before
        .strip_suffix('-')
        .unwrap_or(before)
        .rsplit(' ')
        .next()
        .and_then(|word| word.parse::<ReplyCode>().ok())
        .filter(|code| code.class() == status.class());
    if let Some(code) = code {
        let quoted = quoted.strip_suffix('\'').unwrap_or(quoted).trim();
        let (enhanced, text) = match response::parse(quoted) {
            Some(reply) => (reply.enhanced, reply.text),
            None => (None, quoted),
        };
        delivery.code = Some(code);
        delivery.enhanced = enhanced
            .filter(|enhanced| enhanced.class() == code.class())
            .or(Some(status));
        delivery.text = Cow::Borrowed(text);
    }
    delivery.recipient = recipient(&delivery.text).map(|address| Cow::Owned(address.to_string()));
    Some(delivery)
}

/// What leads a reply another reader reads on another line: Sendmail's bounces quote a reply in
/// their list of failed addresses (`(reason: 550 ...`) and in their transcript (`<<< 550 ...`),
/// and give it again on a line of its own, with the host it came from.
const LEFT_TO_OTHERS: [&str; 2] = ["<<< ", "(reason: "];

/// A reply code at `at` followed by an enhanced code of its class, `550 5.1.1` or Python's
/// `(550, b'5.1.1`, not inside a word or a number; the code, and the response from the
/// enhanced code on.
fn reply_at(line: &str, at: usize) -> Option<(usize, ReplyCode, response::Response<'_>)> {
    let bytes = line.as_bytes();
    let digits = bytes.get(at..at + 3)?;
    if !matches!(digits[0], b'2' | b'4' | b'5') || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if at > 0 && !b" \t\"'(:=[{".contains(&bytes[at - 1]) && !after_smtp_label(line, at) {
        return None;
    }
    if LEFT_TO_OTHERS.iter().any(|lead| line[..at].ends_with(lead)) {
        return None;
    }
    let code: ReplyCode = line[at..at + 3].parse().ok()?;
    if LIBRARY_LEADS.iter().any(|lead| line[..at].ends_with(lead)) {
        // The whole reply, one line or the lines of a multi-line one joined (`535-5.7.8 ...`).
        let reply = response::parse(&line[at..])?;
        return Some((at, code, reply));
    }
    let after = &line[at + 3..];
    let python = [", b'", ", b\""]
        .iter()
        .find_map(|quote| after.strip_prefix(quote))
        .filter(|_| at > 0 && bytes[at - 1] == b'(');
    let rest = after.strip_prefix(' ').or(python)?;
    let enhanced = response::parse(rest)
        .filter(|_| rest.as_bytes().first() == Some(&digits[0]))
        .filter(|reply| reply.enhanced.is_some_and(|e| e.class() == code.class()));
    match enhanced {
        Some(reply) => Some((at, code, reply)),
        // Python's tuple is a reply whatever its text: `(550, b'Requested action not taken')`.
        None if python.is_some() => Some((
            at,
            code,
            response::Response {
                code: None,
                enhanced: None,
                text: rest,
                continued: false,
            },
        )),
        None => None,
    }
}

/// Whether a code at `at` follows a diagnostic's `smtp;` label that stands as a word of its own,
/// `Diagnostic code: smtp;550 ...` (Oracle's Messaging Server); not a field of a CSV record,
/// `rb,eve@example.net,smtp;552 ...`, which its own reader reads.
fn after_smtp_label(line: &str, at: usize) -> bool {
    line[..at]
        .strip_suffix("smtp;")
        .is_some_and(|before| before.is_empty() || before.ends_with([' ', '\t', ':']))
}

/// `text` up to the quote or bracket that closes what opened just before the code: `"550 ..."`,
/// `'550 ...'`, `(250 2.0.0 Ok)`; Python's bytes literals end at `python_bytes_end`.
fn close_quote<'t>(text: &'t str, before: &str) -> &'t str {
    let mut text = text.trim_end();
    let before = before.trim_end();
    // Whether a double quote before the code is left open (`"RECEIVED: 550 ...`, `"550 ...`).
    let open = before.bytes().filter(|&b| b == b'"').count() % 2 == 1;
    let quote = match before.as_bytes().last() {
        Some(b'\'') => Some(b'\''),
        // Right before the code, or further back, around a field the reply is part of.
        _ if open => Some(b'"'),
        _ => None,
    };
    if let Some(quote) = quote {
        text = &text[..closing_quote(text, quote)];
    }
    // A bracket opened right before the code: `response="Message Queued (250 2.0.0 Ok)"`.
    if let Some(&opener @ (b'(' | b'[')) = before.as_bytes().last() {
        text = &text[..closing_bracket(text, opener)];
    }
    text.trim_end()
}

/// Where the quote that closes a quoted reply is in its text: the first one that ends a word,
/// unless it closes a pair opened inside the reply (`Rejected as "spam" here"`); an apostrophe
/// within a word (`couldn't`) or an escaped quote is neither. The text's length if none does:
/// what follows such a quote is the program's (`User unknown', responseCode: 550`).
fn closing_quote(text: &str, quote: u8) -> usize {
    let bytes = text.as_bytes();
    let mut inner = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b != quote || (i > 0 && bytes[i - 1] == b'\\') {
            continue;
        }
        let before_word = i > 0 && bytes[i - 1].is_ascii_alphanumeric();
        let starts_word = bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric);
        match (before_word, starts_word) {
            (true, true) => {}
            (false, true) => inner = true,
            _ if inner => inner = false,
            _ => return i,
        }
    }
    bytes.len()
}

/// Where the bracket that closes `opener` is in `text`, pairs within it passed over; the text's
/// length if none does.
fn closing_bracket(text: &str, opener: u8) -> usize {
    let closer = if opener == b'(' { b')' } else { b']' };
    let mut depth = 0usize;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b == opener {
            depth += 1;
        } else if b == closer {
            if depth == 0 {
                return i;
            }
            depth -= 1;
        }
    }
    text.len()
}

/// The quote that opens Python's bytes literal after a code, `(550, b'...`: `'`, or `"` when
/// the text holds an apostrophe.
fn python_quote(after_code: &str) -> Option<u8> {
    after_code
        .strip_prefix(", b")
        .and_then(|rest| rest.bytes().next())
}

/// `text` up to the quote that closes a Python bytes literal, the first one not escaped: what
/// follows belongs to the exception, not the reply (`SMTPSenderRefused`'s `, 'a@b')`).
fn python_bytes_end(text: &str, quote: u8) -> &str {
    let bytes = text.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| bytes[i] == quote && (i == 0 || bytes[i - 1] != b'\\'))
        .unwrap_or(bytes.len());
    text[..end].trim_end()
}

/// A multi-line reply's lines, which libraries keep apart with an escaped line break and
/// sometimes their codes (`Try again\\n4.2.1 later`), joined with spaces.
fn joined(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (n, line) in text.split("\\n").enumerate() {
        let line = match response::parse(line) {
            Some(reply) if n > 0 => reply.text,
            _ => line.trim(),
        };
        if line.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// The recipient a reply's text names: `<bob@example.com>` wherever it stands, unless the words
/// before it or right after it (`leading_address`) say it is the sender.
fn recipient(text: &str) -> Option<&str> {
    let open = text.find('<')?;
    if text[..open].to_ascii_lowercase().contains("sender") {
        return None;
    }
    super::leading_address(&text[open..])
}

/// The last address before the reply, `{'bob@example.com': (550, ...` or `to bob@example.com:`.
fn last_address(before: &str) -> Option<&str> {
    let at = before.rfind('@')?;
    let is_part = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let bytes = before.as_bytes();
    let start = bytes[..at]
        .iter()
        .rposition(|&b| !is_part(b))
        .map_or(0, |p| p + 1);
    let end = bytes[at + 1..]
        .iter()
        .position(|&b| !is_part(b))
        .map_or(bytes.len(), |p| at + 1 + p);
    let address = before[start..end].trim_end_matches('.');
    (start < at && address.len() > at - start + 1 && address[at - start..].contains('.'))
        .then_some(address)
}

/// The command a program names in a field of its own beside the reply: Nodemailer's
/// `command: 'RCPT TO'`, JSON's `"command":"RCPT TO"`, `command=RCPT`.
fn command_field(text: &str) -> Option<Command> {
    const KEY: &str = "command";
    let mut from = 0;
    while let Some(at) = text[from..].find(KEY) {
        let start = from + at;
        from = start + KEY.len();
        if start > 0 && text.as_bytes()[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let tail = &text[from..];
        let tail = tail.strip_prefix(['"', '\'']).unwrap_or(tail);
        let Some(value) = tail.strip_prefix([':', '=']) else {
            continue;
        };
        let value = value.trim_start();
        if let Some(command) = Command::from_words(value.strip_prefix(['"', '\'']).unwrap_or(value))
        {
            return Some(command);
        }
    }
    None
}

/// The command the names of mail libraries' errors stand for.
fn library_command(before: &str) -> Option<Command> {
    const NAMES: [(&str, Command); 7] = [
        ("SMTPRecipientsRefused", Command::RcptTo),
        ("SMTPAddressFailedException", Command::RcptTo),
        ("RCPT TO command", Command::RcptTo),
        ("SMTPSenderRefused", Command::MailFrom),
        ("MAIL FROM command", Command::MailFrom),
        ("SMTPDataError", Command::Data),
        ("SmtpFailedRecipientException", Command::RcptTo),
    ];
    NAMES
        .iter()
        .find(|(name, _)| before.contains(name))
        .map(|&(_, command)| command)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Delivery<'_> {
        parse(line).unwrap_or_else(|| panic!("no reply in {line}"))
    }

    #[test]
    fn phpmailers_list_gives_the_first_refused_address_and_its_words() {
        let d = parse("SMTP Error: The following recipients failed: bob@example.com: <bob@example.com>: User unknown")
            .unwrap();
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.text, "<bob@example.com>: User unknown");
        assert_eq!(d.reported, Some(Reported::Failed));
        assert_eq!(d.code, None);
        for other in [
            "The following recipients failed: see below",
            "The following recipients failed: bob@example.com: ",
        ] {
            assert!(parse(other).is_none(), "{other}");
        }
        let line = b"SMTP Error: The following recipients failed: x";
        assert!(follows_code(
            line,
            line.len() - "recipients failed: x".len()
        ));
        let line = b"All recipients failed: x";
        assert!(!follows_code(line, 4));
    }

    #[test]
    fn dotnets_exceptions_give_the_enhanced_code_they_keep() {
        let d = read(
            "System.Net.Mail.SmtpFailedRecipientException: Mailbox unavailable. The server \
             response was: 5.1.1 <gil@example.com>: Recipient address rejected: User unknown",
        );
        assert_eq!(d.code, None);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(d.recipient.as_deref(), Some("gil@example.com"));
        assert_eq!(d.command, Some(Command::RcptTo));
        assert_eq!(
            d.text,
            "<gil@example.com>: Recipient address rejected: User unknown"
        );
        assert!(
            parse("Mailbox unavailable. The server response was: Access denied").is_none(),
            "no code, nothing to tell the class by"
        );
    }

    #[test]
    fn the_reason_for_the_problem_gives_the_quoted_reply_over_the_bounces_status() {
        let line = "The reason for the problem: 5.1.0 - Unknown address error 553-'sorry, no mailbox here by that name (#5.7.1)'";
        assert!(follows_code(line.as_bytes(), line.find(" 5.").unwrap()));
        let d = read(line);
        assert_eq!(d.code.unwrap().as_u16(), 553);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.0");
        assert_eq!(d.text, "sorry, no mailbox here by that name (#5.7.1)");
        let d = read(
            "The reason for the problem: 4.4.7 - Delivery expired (message too old) 'timeout'",
        );
        assert_eq!(d.code, None);
        assert_eq!(d.enhanced.unwrap().to_string(), "4.4.7");
        assert_eq!(d.text, "Delivery expired (message too old) 'timeout'");
        assert!(
            parse("The reason for the problem: unknown").is_none(),
            "no status, nothing to tell the class by"
        );
        let d = read("The reason for the problem: 4.4.7 - Delivery expired 550-'5.1.1 late'");
        assert_eq!(
            (d.code, d.enhanced.unwrap().to_string().as_str()),
            (None, "4.4.7"),
            "a code of another class than the bounce's status is no reply to it"
        );
    }

    #[test]
    fn pythons_refusals_give_code_text_recipient_and_command() {
        let d = read("smtplib.SMTPRecipientsRefused: {'bob@example.com': (550, b'5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table')}");
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.1.1");
        assert_eq!(
            d.text,
            "<bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table"
        );
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.command, Some(Command::RcptTo));
        let d = read(
            "smtplib.SMTPDataError: (554, b'5.7.1 Message rejected due to content restrictions')",
        );
        assert_eq!(d.text, "Message rejected due to content restrictions");
        assert_eq!(d.recipient, None);
        let d =
            read("smtplib.SMTPDataError: (550, b\"5.7.1 Messages from 192.0.2.9 weren't sent\")");
        assert_eq!(d.text, "Messages from 192.0.2.9 weren't sent");
        assert_eq!(d.recipient, None);
        assert_eq!(d.command, Some(Command::Data));
        let d = read("smtplib.SMTPSenderRefused: (553, b'5.7.1 <s@example.org>: Sender address rejected: not owned by user s@example.org', 's@example.org')");
        assert_eq!(
            d.text, "<s@example.org>: Sender address rejected: not owned by user s@example.org",
            "the sender the exception adds is no part of the reply"
        );
        assert_eq!(d.command, Some(Command::MailFrom));
        let d = read("SMTPRecipientsRefused({'ann@example.org': (450, b'4.2.1 Try again later\\n4.2.1 please')})");
        assert_eq!(d.recipient.as_deref(), Some("ann@example.org"));
        assert_eq!(d.text, "Try again later please");
    }

    #[test]
    fn library_and_application_logs_give_the_reply_after_their_words() {
        let d = read("2026-11-23 10:00:00 SMTP ERROR: RCPT TO command failed: 550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown");
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.recipient.as_deref(), Some("bob@example.com"));
        assert_eq!(d.command, Some(Command::RcptTo));
        let d = read("[2026-11-23 10:00:00] production.ERROR: Expected response code 250 but got code \"550\", with message \"550 5.7.1 Relaying denied\\r\\n\"");
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.enhanced.unwrap().to_string(), "5.7.1");
        assert_eq!(d.text, "Relaying denied");
        let d = read("<** 451 4.7.1 Greylisting in action, please come back later");
        assert_eq!(d.code.unwrap().as_u16(), 451);
        assert_eq!(d.text, "Greylisting in action, please come back later");
        let d = read("Mail to carol@example.net failed: 552 5.2.2 Mailbox full");
        assert_eq!(d.recipient.as_deref(), Some("carol@example.net"));
        // hMailServer's log quotes each field; the reply's ends the line.
        let d = read("\"SMTPC\"\t4884\t17\t\"2026-11-23 10:00:06.123\"\t\"192.0.2.5\"\t\"RECEIVED: 550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown\"");
        assert_eq!(
            d.text,
            "<bob@example.org>: Recipient address rejected: User unknown"
        );
        assert_eq!(d.recipient.as_deref(), Some("bob@example.org"));
        // A quote closed before the code leaves the text's own last quote alone.
        let d = read("\"ERROR\" 550 5.7.1 Rejected by \"policy\"");
        assert_eq!(d.text, "Rejected by \"policy\"");
    }

    #[test]
    fn after_a_librarys_words_a_reply_needs_no_enhanced_code() {
        let code_text = |line: &str| {
            let d = read(line);
            (
                d.code.map(ReplyCode::as_u16),
                d.enhanced.map(|e| e.to_string()),
                d.text.into_owned(),
            )
        };
        let bare = |code: u16, text: &str| (Some(code), None, text.to_string());
        assert_eq!(
            code_text("smtplib.SMTPRecipientsRefused: {'bob@example.com': (550, b'Requested action not taken: mailbox unavailable')}"),
            bare(550, "Requested action not taken: mailbox unavailable")
        );
        assert_eq!(
            code_text("Net::SMTPFatalError: 550 Requested action not taken: mailbox unavailable"),
            bare(550, "Requested action not taken: mailbox unavailable")
        );
        assert_eq!(
            code_text("Net::SMTPAuthenticationError (535 Authentication failed: bad credentials):"),
            bare(535, "Authentication failed: bad credentials")
        );
        assert_eq!(
            code_text(
                "org.eclipse.angus.mail.smtp.SMTPAddressFailedException: 550 Unrouteable address"
            ),
            bare(550, "Unrouteable address")
        );
        assert_eq!(
            code_text("Error: Can't send mail - all recipients were rejected: 550 No such user"),
            bare(550, "No such user")
        );
        assert_eq!(
            code_text("2026-12-06 15:30:00 SMTP ERROR: RCPT TO command failed: 450 Try later"),
            bare(450, "Try later")
        );
        assert_eq!(
            code_text("Error: Message failed: 554 Transaction failed: spam message rejected"),
            bare(554, "Transaction failed: spam message rejected")
        );
        // A multi-line reply joined: its enhanced code is read after the dash.
        assert_eq!(
            code_text("Error: Invalid login: 535-5.7.8 Username and Password not accepted."),
            (
                Some(535),
                Some("5.7.8".into()),
                "Username and Password not accepted.".into()
            )
        );
        // Elsewhere a number is no reply without an enhanced code of its class.
        for line in [
            "send failed: 450 Requested mail action not taken",
            "authentication failed: 535 nope",
            "pool exhausted: 500 connections rejected: 5 retries",
            "HTTP Error: 503 Service Unavailable",
        ] {
            assert!(parse(line).is_none(), "{line}");
        }
    }

    #[test]
    fn the_reply_ends_where_its_quote_or_bracket_closes() {
        // Nodemailer's error: the program's fields follow the reply's closing quote.
        let d = read("{ code: 'EENVELOPE', response: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown', responseCode: 550, command: 'RCPT TO' }");
        assert_eq!(
            d.text,
            "<bob@example.org>: Recipient address rejected: User unknown"
        );
        assert_eq!(d.recipient.as_deref(), Some("bob@example.org"));
        assert_eq!(d.command, Some(Command::RcptTo));
        // Apostrophes, and quotes paired within the reply, do not end it.
        let d = read("error='550 5.7.1 We couldn't take it', next='x'");
        assert_eq!(d.text, "We couldn't take it");
        let d = read("msg=\"550 5.7.1 Rejected as \"spam\" here\" id=7");
        assert_eq!(d.text, "Rejected as \"spam\" here");
        let d = read("reply=\"550 5.7.1 Rejected as \\\"spam\\\"\" id=7");
        assert_eq!(d.text, "Rejected as \\\"spam\\\"");
        // A bracket opened before the code closes after it, pairs within passed over.
        let d = read("response=\"Message Queued (250 2.0.0 Ok (id 4ABC) queued)\" delay=1.2");
        assert_eq!(d.text, "Ok (id 4ABC) queued");
        let d = read("failed [550 5.1.1 User unknown] at 10:00");
        assert_eq!(d.text, "User unknown");
        // Nothing closes: the text runs to the end.
        let d = read("error: '550 5.1.1 User unknown");
        assert_eq!(d.text, "User unknown");
    }

    #[test]
    fn a_code_after_a_diagnostics_smtp_label_is_read() {
        let d = read("  Diagnostic code: smtp;550 5.1.1 User unknown");
        assert_eq!(d.code.unwrap().as_u16(), 550);
        assert_eq!(d.text, "User unknown");
        assert!(read("smtp;451 4.7.1 Try later").code.is_some());
    }

    #[test]
    fn a_code_needs_an_enhanced_code_of_its_class_and_must_stand_alone() {
        for line in [
            "request took 250 ms",
            "version 550 2.1.1 of the tool",
            "sent 250 5.1.1 times",
            "id=A550 5.1.1",
            "from 192.0.2.550 5.1.1",
            "550 5.1.1x",
            "rb,eve@example.net,smtp;552 5.2.2 Mailbox full,job7",
            "<<< 550 5.1.1 <bob@example.com>... User unknown",
            "    (reason: 550 5.1.1 <bob@example.com>... User unknown)",
            "",
        ] {
            assert!(parse(line).is_none(), "{line}");
        }
    }

    #[test]
    fn the_marker_must_follow_a_code_of_its_class() {
        let at = |line: &str, marker: &str| line.find(marker).unwrap();
        let yes = [
            ("got 550 5.1.1 User unknown", " 5."),
            ("(550, b'5.1.1 User unknown')", ", b'"),
            ("(421, b\"4.7.0 We can't now\")", ", b\""),
            // Python's tuple is a reply whatever its text.
            ("(550, b'Requested action not taken')", ", b'"),
            ("(550, b'4.1.1 no')", ", b'"),
        ];
        for (line, marker) in yes {
            assert!(follows_code(line.as_bytes(), at(line, marker)), "{line}");
        }
        let no = [
            ("took 550 4.1 s", " 4."),
            ("PHP 5.6", " 5."),
            ("(ab, b'4.1.1 no')", ", b'"),
            ("(1550, b'no')", ", b'"),
            ("x 550, b'no'", ", b'"),
            ("x, b'", ", b'"),
            (" 5.", " 5."),
        ];
        for (line, marker) in no {
            let found = line.find(marker).unwrap_or(0);
            assert!(!follows_code(line.as_bytes(), found), "{line}");
        }
    }

    #[test]
    fn a_command_field_beside_the_reply_names_its_command() {
        assert_eq!(
            command_field(r#"550 x", "command":"MAIL FROM", "code":550"#),
            Some(Command::MailFrom)
        );
        assert_eq!(command_field("550 x command=DATA"), Some(Command::Data));
        // Words, not fields: no command.
        assert_eq!(command_field("550 x (in reply to RCPT TO command)"), None);
        assert_eq!(command_field("550 x subcommand: RCPT"), None);
        assert_eq!(command_field("550 x command: none"), None);
    }

    #[test]
    fn the_sender_named_in_a_reply_is_no_recipient() {
        let d =
            read("error: 553 5.1.8 <a@spam.example>: Sender address rejected: Domain not found");
        assert_eq!(d.recipient, None);
    }
}
