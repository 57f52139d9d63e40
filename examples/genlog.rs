//! Writes a realistic mail log for the stream benchmark (bench/stream.sh).
//!
//! ```text
//! cargo run --release --example genlog -- mixed 200 > mixed.log     # 1 line in 20 is a result
//! cargo run --release --example genlog -- bounces 200 > bounces.log # every line is a bounce
//! ```
//! The second argument is the size in MB. Output is deterministic: the same arguments give the
//! same bytes. Lines imitate a Postfix server with amavis and dovecot beside it, plus some Exim
//! and Sendmail lines, with the replies that Gmail, Microsoft, Yahoo and ordinary servers send.

use std::io::{self, BufWriter, Write};

/// xorshift64*: a small deterministic generator, enough for picking lines.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const USERS: [&str; 8] = ["bob", "ann", "joe", "sue", "carl", "dora", "eve", "fred"];
const DOMAINS: [&str; 10] = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "example.com",
    "example.org",
    "example.net",
    "hotmail.com",
    "icloud.com",
    "gmx.de",
    "mail.example.co.uk",
];

/// Remote replies as providers word them: (dsn, status, detail after "said: ").
const RESULTS: [(&str, &str, &str); 12] = [
    ("2.0.0", "sent", "250 2.0.0 OK  1700000000 a1si1234567qkb.123 - gsmtp"),
    ("2.6.0", "sent", "250 2.6.0 <id@example.com> [InternalId=123456] Queued mail for delivery"),
    ("5.1.1", "bounced", "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp (in reply to RCPT TO command)"),
    ("5.1.10", "bounced", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup (in reply to RCPT TO command)"),
    ("4.7.0", "deferred", "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes (in reply to MAIL FROM command)"),
    ("5.7.1", "bounced", "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1 (in reply to RCPT TO command)"),
    ("5.2.2", "bounced", "552 5.2.2 <user@example.com>: Recipient address rejected: Mailbox full (in reply to RCPT TO command)"),
    ("4.2.1", "deferred", "450 4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later time. a1si123 - gsmtp (in reply to RCPT TO command)"),
    ("5.7.26", "bounced", "550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. 550 5.7.26  a1si123 - gsmtp (in reply to end of DATA command)"),
    ("4.7.1", "deferred", "451 4.7.1 <user@example.com>: Recipient address rejected: Greylisted, please try again in 5 minutes (in reply to RCPT TO command)"),
    ("5.7.606", "bounced", "550 5.7.606 Access denied, banned sending IP [192.0.2.1]. To request removal from this list please visit https://sender.office.com/ (in reply to RCPT TO command)"),
    ("2.0.0", "sent", "250 2.0.0 Ok: queued as 4Xyz1abcDEF"),
];

fn queue_id(rng: &mut Rng) -> String {
    format!("{:010X}", rng.next() & 0xff_ffff_ffff)
}

fn timestamp(n: u64) -> String {
    let seconds = n / 40;
    format!(
        "Nov {:>2} {:02}:{:02}:{:02}",
        1 + (seconds / 86_400) % 28,
        (seconds / 3600) % 24,
        (seconds / 60) % 60,
        seconds % 60
    )
}

fn result_line(rng: &mut Rng, n: u64, bounces_only: bool, out: &mut impl Write) -> io::Result<()> {
    let user = rng.pick(&USERS);
    let domain = rng.pick(&DOMAINS);
    let ts = timestamp(n);
    match rng.below(20) {
        // One in twenty results from Exim or Sendmail hosts.
        0 => writeln!(
            out,
            "2026-11-23 10:{:02}:{:02} 1tABCD-{:06}-EF ** {user}@{domain} R=dnslookup T=remote_smtp H=mx.{domain} [192.0.2.1]: SMTP error from remote mail server after RCPT TO:<{user}@{domain}>: 550 5.1.1 <{user}@{domain}>: Recipient address rejected: User unknown",
            (n / 60) % 60,
            n % 60,
            n % 1_000_000
        ),
        1 => writeln!(
            out,
            "{ts} mail sendmail[1234]: 2ANA{:010}: to=<{user}@{domain}>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, relay=mx.{domain}. [192.0.2.1], dsn=4.0.0, stat=Deferred: Connection refused by mx.{domain}.",
            n % 10_000_000_000
        ),
        _ => {
            let (dsn, status, detail) = loop {
                let picked = RESULTS[rng.below(RESULTS.len())];
                if !(bounces_only && picked.1 == "sent") {
                    break picked;
                }
            };
            let qid = queue_id(rng);
            if status == "sent" {
                writeln!(
                    out,
                    "{ts} mx1 postfix/smtp[{}]: {qid}: to=<{user}@{domain}>, relay=mx.{domain}[192.0.2.10]:25, delay=0.71, delays=0.05/0.01/0.2/0.45, dsn={dsn}, status=sent ({detail})",
                    1000 + rng.below(30000)
                )
            } else {
                writeln!(
                    out,
                    "{ts} mx1 postfix/smtp[{}]: {qid}: to=<{user}@{domain}>, relay=mx.{domain}[192.0.2.10]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn={dsn}, status={status} (host mx.{domain}[192.0.2.10] said: {detail})",
                    1000 + rng.below(30000)
                )
            }
        }
    }
}

fn other_line(rng: &mut Rng, n: u64, out: &mut impl Write) -> io::Result<()> {
    let ts = timestamp(n);
    let qid = queue_id(rng);
    let user = rng.pick(&USERS);
    let domain = rng.pick(&DOMAINS);
    let pid = 1000 + rng.below(30000);
    match rng.below(9) {
        0 => writeln!(out, "{ts} mx1 postfix/smtpd[{pid}]: connect from mail-{}.example.net[198.51.100.{}]", rng.below(999), rng.below(255)),
        1 => writeln!(out, "{ts} mx1 postfix/smtpd[{pid}]: {qid}: client=mail-{}.example.net[198.51.100.{}], sasl_method=PLAIN, sasl_username={user}", rng.below(999), rng.below(255)),
        2 => writeln!(out, "{ts} mx1 postfix/cleanup[{pid}]: {qid}: message-id=<{}.{}@{domain}>", rng.next() % 1_000_000_000, rng.below(99_999)),
        3 => writeln!(out, "{ts} mx1 postfix/qmgr[{pid}]: {qid}: from=<{user}@{domain}>, size={}, nrcpt=1 (queue active)", 1000 + rng.below(90_000)),
        4 => writeln!(out, "{ts} mx1 postfix/qmgr[{pid}]: {qid}: removed"),
        5 => writeln!(out, "{ts} mx1 postfix/smtpd[{pid}]: disconnect from mail-{}.example.net[198.51.100.{}] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8", rng.below(999), rng.below(255)),
        6 => writeln!(out, "{ts} mx1 amavis[{pid}]: ({pid}-01) Passed CLEAN {{RelayedInbound}}, [198.51.100.{}]:{} <{user}@{domain}> -> <sue@example.com>, Queue-ID: {qid}, Message-ID: <{}@{domain}>, mail_id: abcDEF123, Hits: -1.9, size: {}, queued_as: {qid}, {} ms", rng.below(255), 40000 + rng.below(20000), rng.next() % 1_000_000, 1000 + rng.below(90000), rng.below(3000)),
        7 => writeln!(out, "{ts} mx1 dovecot: imap-login: Login: user=<{user}@example.com>, method=PLAIN, rip=203.0.113.{}, lip=192.0.2.5, mpid={pid}, TLS, session=<abcdEFGH{}>", rng.below(255), rng.below(9999)),
        _ => writeln!(out, "{ts} mx1 postfix/smtp[{pid}]: Trusted TLS connection established to mx.{domain}[192.0.2.10]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)"),
    }
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: genlog mixed|bounces SIZE_MB";
    let kind = args.get(1).map(String::as_str).unwrap_or("mixed");
    let megabytes: u64 = args
        .get(2)
        .map_or(Ok(200), |s| s.parse())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, usage))?;
    let every = match kind {
        "mixed" => 20,
        "bounces" => 1,
        _ => return Err(io::Error::new(io::ErrorKind::InvalidInput, usage)),
    };
    let target = megabytes * 1_000_000;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let stdout = io::stdout();
    let mut out = CountingWriter {
        inner: BufWriter::with_capacity(1 << 16, stdout.lock()),
        written: 0,
    };
    let mut n = 0;
    while out.written < target {
        if n % every == 0 {
            result_line(&mut rng, n, every == 1, &mut out)?;
        } else {
            other_line(&mut rng, n, &mut out)?;
        }
        n += 1;
    }
    out.flush()
}

struct CountingWriter<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
