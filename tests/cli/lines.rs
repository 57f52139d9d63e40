//! Lines on stdin: every log and bounce format, --all, --summary, bad input, live pipes.

use super::{parse_json_lines, smtpcode, stdin_json_lines as records};
use predicates::prelude::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command as Process, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The one record `line` gives.
fn one(line: &str) -> Value {
    let (mut found, status) = records(line, &[]);
    assert_eq!(status, 0, "{line}");
    assert_eq!(found.len(), 1, "{line}: {found:?}");
    found.remove(0)
}

/// Checks format, codes, outcome, bounce, reason and recipient.
#[track_caller]
fn check(
    record: &Value,
    format: &str,
    codes: (Option<u64>, Option<&str>),
    verdict: (&str, Option<&str>, &str),
    recipient: Option<&str>,
) {
    assert_eq!(record["format"], format, "{record}");
    assert_eq!(record["reply_code"].as_u64(), codes.0, "{record}");
    assert_eq!(record["enhanced_code"].as_str(), codes.1, "{record}");
    assert_eq!(record["outcome"], verdict.0, "{record}");
    assert_eq!(record["bounce"].as_str(), verdict.1, "{record}");
    assert_eq!(record["reason"], verdict.2, "{record}");
    assert_eq!(record["recipient"].as_str(), recipient, "{record}");
}

#[test]
fn postfix_delivery_results_are_read() {
    let r = one(
        "Nov 23 10:00:01 mx1 postfix/smtp[12345]: 4F9D21A2B3: to=<bob@example.com>, \
         relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.1.1, \
         status=bounced (host gmail-smtp-in.l.google.com[142.250.1.26] said: 550-5.1.1 The email account \
         that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email \
         address for typos or 550-5.1.1 unnecessary spaces. 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser \
         a1si123 - gsmtp (in reply to RCPT TO command))",
    );
    check(
        &r,
        "postfix",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    assert_eq!(r["domain"], "example.com");
    assert_eq!(r["host"], "gmail-smtp-in.l.google.com");
    assert_eq!(r["command"], "rcpt_to");
    assert_eq!(r["queue_id"], "4F9D21A2B3");
    assert_eq!(r["timestamp"], "Nov 23 10:00:01");
    assert_eq!(r["reported"], "failed");
    assert!(
        !r["text"].as_str().unwrap().contains("550-5.1.1"),
        "codes of joined lines are dropped"
    );

    let r = one(
        "2026-11-23T10:00:03.512345+00:00 mx1 postfix/smtp[12346]: 5A1B2C3D4E: to=<ann@example.org>, \
         relay=none, delay=30, delays=0/0/30/0, dsn=4.4.1, status=deferred (connect to \
         mx.example.org[192.0.2.7]:25: Connection timed out)",
    );
    check(
        &r,
        "postfix",
        (None, Some("4.4.1")),
        ("transient", Some("soft"), "network_error"),
        Some("ann@example.org"),
    );
    assert_eq!(r["command"], "connect");
    assert_eq!(r["timestamp"], "2026-11-23T10:00:03.512345+00:00");

    let r = one(
        "Nov 23 10:00:04 mx1 postfix/smtp[12347]: 6B2C3D4E5F: to=<sue@example.net>, \
         relay=mx.example.net[192.0.2.3]:25, delay=0.9, delays=0.1/0/0.3/0.5, dsn=2.0.0, \
         status=sent (250 2.0.0 Ok: queued as 4Xyz1abcDEF)",
    );
    check(
        &r,
        "postfix",
        (Some(250), Some("2.0.0")),
        ("success", None, "delivered"),
        Some("sue@example.net"),
    );

    let r = one(
        "Nov 23 10:00:05 mx1 postfix/local[3]: 7C3D4E5F6A: to=<joe@mx1.example.com>, relay=local, \
         delay=0.1, delays=0/0/0/0.1, dsn=5.2.2, status=bounced (cannot update mailbox /var/mail/joe \
         for user joe. error writing message: Disk quota exceeded)",
    );
    check(
        &r,
        "postfix",
        (None, Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("joe@mx1.example.com"),
    );

    // soft_bounce = yes: the reply is a hard bounce, but Postfix keeps the message queued.
    let r = one(
        "Nov 23 10:00:06 mx1 postfix/smtp[4]: 8D4E5F6A7B: to=<amy@example.com>, \
         relay=mx.example.com[192.0.2.5]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.1.1, \
         status=SOFTBOUNCE (host mx.example.com[192.0.2.5] said: 550 5.1.1 <amy@example.com>: \
         Recipient address rejected: User unknown (in reply to RCPT TO command))",
    );
    check(
        &r,
        "postfix",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("amy@example.com"),
    );
    assert_eq!(r["reported"], "deferred");
    assert_eq!(r["queue_id"], "8D4E5F6A7B");
}

#[test]
fn postfixs_own_words_for_tls_quota_and_loops_give_their_reason() {
    let (found, _) = records(
        "Nov 23 10:00:08 mx postfix/smtp[1241]: BA1B32C0E8: to=<h@example.com>, \
         relay=mx.example.com[192.0.2.5]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=4.7.0, \
         status=deferred (TLS is required, but was not offered by host mx.example.com[192.0.2.5])\n\
         Nov 23 10:00:28 mx postfix/pipe[1261]: FB1B32C0FC: to=<ab@example.com>, relay=maildrop, \
         delay=0.1, delays=0/0/0/0.1, dsn=5.2.0, status=bounced (maildir delivery failed: Sorry, \
         the user's maildir has overdrawn his diskspace quota, please try again later.)\n\
         Nov 23 10:00:29 mx postfix/smtp[1262]: FB1B32C0FD: to=<ac@example.com>, \
         relay=mx.example.com[192.0.2.5]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.4.14, \
         status=bounced (host mx.example.com[192.0.2.5] said: 554 5.4.14 Hop count exceeded - \
         possible mail loop ATTR34 (in reply to end of DATA command))\n",
        &[],
    );
    let reasons: Vec<_> = found
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["failed_starttls", "mailbox_full", "system_error"]);
    assert!(found.iter().all(|r| r["bounce"] == "soft"), "{found:?}");

    let cases = [
        (
            "Host or domain name not found. Name service error for name=example.com type=MX: \
             Host not found, try again",
            "network_error",
        ),
        (
            "unable to look up host mx.example.com: No address associated with hostname",
            "host_unknown",
        ),
        ("mail transport unavailable", "system_error"),
        ("Server certificate not verified", "security_error"),
        (
            "TLS is required, but host mx.example.com[192.0.2.5] refused to start TLS: 454 4.7.0 \
             TLS not available due to local problem",
            "failed_starttls",
        ),
        ("Cannot start TLS: handshake failure", "failed_starttls"),
    ];
    let input: String = cases
        .iter()
        .map(|(words, _)| {
            format!(
                "Nov 23 10:00:01 mx postfix/smtp[1]: 4F1A32C0E1: to=<a@example.com>, relay=none, \
                 delay=1, delays=0.1/0/0.5/0.4, dsn=4.0.0, status=deferred ({words})\n"
            )
        })
        .collect();
    let (found, _) = records(input.as_str(), &[]);
    let reasons: Vec<_> = found.iter().map(|r| r["reason"].clone()).collect();
    let expected: Vec<Value> = cases.iter().map(|(_, reason)| (*reason).into()).collect();
    assert_eq!(reasons, expected);
}

#[test]
fn a_blocklisting_is_blocked_whatever_the_code_says() {
    let r = one(
        "Nov 23 10:00:06 mx1 postfix/smtpd[5]: NOQUEUE: reject: RCPT from unknown[198.51.100.9]: \
         554 5.7.1 Service unavailable; Client host [198.51.100.9] blocked using zen.spamhaus.org; \
         from=<news@example.biz> to=<bob@example.com> proto=ESMTP helo=<example.biz>",
    );
    check(
        &r,
        "postfix",
        (Some(554), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        Some("bob@example.com"),
    );
    assert_eq!(r["blocklist"], "zen.spamhaus.org");
    assert_eq!(r["host"], "198.51.100.9");
    assert_eq!(r["queue_id"], Value::Null);
}

#[test]
fn a_client_without_a_host_name_is_refused_for_its_reverse_dns() {
    // Postfix's reject_unknown_client_hostname, under a code that says only "policy".
    let r = one(
        "Nov 23 10:00:06 mx1 postfix/smtpd[5]: NOQUEUE: reject: RCPT from unknown[198.51.100.7]: \
         450 4.7.1 Client host rejected: cannot find your hostname, [198.51.100.7]; \
         from=<x@example.biz> to=<bob@example.com> proto=ESMTP helo=<example.biz>",
    );
    check(
        &r,
        "postfix",
        (Some(450), Some("4.7.1")),
        ("transient", Some("soft"), "require_ptr"),
        Some("bob@example.com"),
    );
}

#[test]
fn a_client_refused_by_the_receivers_access_table_is_blocked() {
    // Postfix's check_client_access REJECT: the sending address is refused, not the recipient.
    let r = one(
        "Nov 24 10:00:24 mx postfix/smtp[1234]: 4F9D1C0C5: to=<uma@example.com>, \
         relay=mx.example.com[192.0.2.15]:25, delay=1, delays=0/0/1/0, dsn=5.7.1, status=bounced \
         (host mx.example.com[192.0.2.15] said: 554 5.7.1 <unknown[198.51.100.1]>: Client host \
         rejected: Access denied (in reply to RCPT TO command))",
    );
    check(
        &r,
        "postfix",
        (Some(554), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        Some("uma@example.com"),
    );
}

#[test]
fn a_blocklists_web_address_names_its_zone_not_its_web_site() {
    let r = one(
        "550 5.7.1 Mail from 198.51.100.1 refused - see https://www.spamcop.net/bl.shtml?198.51.100.1",
    );
    assert_eq!(r["reason"], "blocked");
    assert_eq!(r["blocklist"], "spamcop.net");
    assert_eq!(r["provider"], "spamcop");
}

#[test]
fn a_status_word_without_postfixs_queue_id_or_recipient_leaves_the_line_to_its_reply() {
    // An application's own log: its status= is not Postfix's, the reply it quotes is the result.
    let r = one("2026-11-24T10:00:00Z worker[12]: job=42 status=bounced \
         smtp_response=\"550 5.1.1 <bob@example.com>: User unknown\"");
    assert_ne!(r["format"], "postfix", "{r}");
    assert_eq!(r["reply_code"], 550);
    assert_eq!(r["reason"], "user_unknown");
    assert_eq!(r["recipient"], "bob@example.com");
}

#[test]
fn a_header_check_rejection_by_cleanup_is_read() {
    let r = one(
        "Nov 23 10:00:01 mx postfix/cleanup[1234]: 4F1A32C0E1: reject: header Subject: You won a \
         prize from unknown[203.0.113.9]; from=<x@spam.example> to=<bob@example.com> proto=ESMTP \
         helo=<spam.example>: 5.7.1 message content rejected",
    );
    check(
        &r,
        "postfix",
        (None, Some("5.7.1")),
        ("permanent", Some("soft"), "content_error"),
        Some("bob@example.com"),
    );
    assert_eq!(r["command"], "end_of_data");
}

#[test]
fn exim_results_are_read() {
    let (found, status) = records(
        "2026-11-23 10:00:01 1tABCD-000123-EF ** bob@example.com R=dnslookup T=remote_smtp \
         H=mx.example.com [192.0.2.1] X=TLS1.3:ECDHE_X25519__RSA_PSS_RSAE_SHA256__AES_256_GCM:256 CV=yes: \
         SMTP error from remote mail server after RCPT TO:<bob@example.com>: 550 5.1.1 <bob@example.com>: \
         Recipient address rejected: User unknown in virtual mailbox table\n\
         2026-11-23 10:00:02 1tABCE-000124-EF <= news@example.org H=app.example.org [192.0.2.9] P=esmtpsa S=2345\n\
         2026-11-23 10:00:03 1tABCF-000125-EF == ann@example.org R=dnslookup T=remote_smtp defer (-44) \
         H=mx.example.org [192.0.2.2]: SMTP error from remote mail server after RCPT TO:<ann@example.org>: \
         451 4.7.1 Greylisted, please try again in 5 minutes\n\
         2026-11-23 10:00:04 1tABCG-000126-EF ** nobody@nowhere.invalid: Unrouteable address\n\
         2026-11-23 10:00:05 1tABCH-000127-EF => sue@example.net R=dnslookup T=remote_smtp \
         H=mx.example.net [192.0.2.3] X=TLS1.3 CV=yes C=\"250 2.0.0 OK  1700000000 a1si123 - gsmtp\"\n",
        &[],
    );
    assert_eq!(status, 0);
    assert_eq!(found.len(), 4, "the arrival is not a result");
    check(
        &found[0],
        "exim",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    assert_eq!(found[0]["command"], "rcpt_to");
    assert_eq!(found[0]["queue_id"], "1tABCD-000123-EF");
    check(
        &found[1],
        "exim",
        (Some(451), Some("4.7.1")),
        ("transient", Some("soft"), "on_hold"),
        Some("ann@example.org"),
    );
    assert_eq!(found[1]["retry_after"], 300);
    check(
        &found[2],
        "exim",
        (None, None),
        ("permanent", Some("hard"), "host_unknown"),
        Some("nobody@nowhere.invalid"),
    );
    check(
        &found[3],
        "exim",
        (Some(250), Some("2.0.0")),
        ("success", None, "delivered"),
        Some("sue@example.net"),
    );
    assert_eq!(found[3]["line"], 5);
}

#[test]
fn exim_logging_to_syslog_is_read_with_or_without_its_own_timestamp() {
    // Exim's syslog_timestamp (on by default) keeps Exim's own timestamp behind syslog's.
    let (found, _) = records(
        "Nov 23 10:00:04 mail exim[12345]: 2026-11-23 10:00:04 1vAbCd-000Abc-Xy ** bob@example.com \
         R=lookuphost T=remote_smtp H=mx.example.com [198.51.100.9]: SMTP error from remote mail \
         server after RCPT TO:<bob@example.com>: 550 5.1.1 User unknown\n\
         Nov 23 10:00:05 mail exim[12345]: 1vAbCd-000Abc-Xy == carl@example.com R=lookuphost \
         T=remote_smtp defer (-44) H=mx.example.com [198.51.100.9]: SMTP error from remote mail \
         server after RCPT TO:<carl@example.com>: 452 4.2.2 Mailbox full\n",
        &[],
    );
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "exim",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    assert_eq!(
        (&found[0]["timestamp"], &found[0]["queue_id"]),
        (&"2026-11-23 10:00:04".into(), &"1vAbCd-000Abc-Xy".into())
    );
    check(
        &found[1],
        "exim",
        (Some(452), Some("4.2.2")),
        ("transient", Some("soft"), "mailbox_full"),
        Some("carl@example.com"),
    );
    assert_eq!(found[1]["timestamp"], "Nov 23 10:00:05");
}

#[test]
fn qmail_send_logs_give_results_with_the_recipient_of_their_delivery() {
    // multilog: every line has its TAI64N label; a result names only its delivery number.
    let log = "\
@4000000069231d2a0a1b2c3d new msg 4211
@4000000069231d2a0a1b2c3e info msg 4211: bytes 2345 from <alice@example.org> qp 30211 uid 1000
@4000000069231d2b0a1b2c3d starting delivery 12: msg 4211 to remote bob@example.net
@4000000069231d2b0a1b2c3e status: local 0/10 remote 1/20
@4000000069231d2b0a1b2c3f starting delivery 13: msg 4211 to remote carl@example.com
@4000000069231d2c1a1b2c3d delivery 12: failure: 192.0.2.5_does_not_like_recipient./Remote_host_said:_550_5.1.1_<bob@example.net>:_Recipient_address_rejected:_User_unknown/Giving_up_on_192.0.2.5./
@4000000069231d2c1a1b2c3e delivery 13: deferral: Sorry,_I_wasn't_able_to_establish_an_SMTP_connection._(#4.4.1)/
@4000000069231d2e1a1b2c40 end msg 4211
";
    let (all, status) = records(log, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), log.lines().count(), "one record a line");
    let found: Vec<&Value> = all.iter().filter(|r| r["result"] == true).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        found[0],
        "qmail",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.net"),
    );
    assert_eq!(
        (
            &found[0]["queue_id"],
            &found[0]["host"],
            &found[0]["command"]
        ),
        (&"4211".into(), &"192.0.2.5".into(), &"rcpt_to".into())
    );
    assert_eq!(found[0]["timestamp"], "@4000000069231d2c1a1b2c3d");
    assert_eq!(found[0]["reported"], "failed");
    check(
        found[1],
        "qmail",
        (None, Some("4.4.1")),
        ("transient", Some("soft"), "network_error"),
        Some("carl@example.com"),
    );
    // splogger: syslog's prefix and the time in seconds; a success keeps the remote's reply.
    let (found, _) = records(
        "Nov 23 10:00:02 mail qmail: 1763892002.300000 delivery 11: success: \
         192.0.2.5_accepted_message./Remote_host_said:_250_2.0.0_Ok:_queued_as_4B2C11A2F3/\n\
         Nov 23 10:00:03 mail qmail: 1763892003.100000 starting delivery 14: msg 4212 to remote \
         dan@example.net\n\
         Nov 23 10:00:04 mail qmail: 1763892004.100000 delivery 14: failure: \
         Sorry,_I_couldn't_find_any_host_named_example.net._(#5.1.2)/\n",
        &[],
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(
        (&found[0]["outcome"], &found[0]["reply_code"]),
        (&"success".into(), &250.into())
    );
    assert_eq!(found[0]["timestamp"], "Nov 23 10:00:02");
    check(
        &found[1],
        "qmail",
        (None, Some("5.1.2")),
        ("permanent", Some("hard"), "host_unknown"),
        Some("dan@example.net"),
    );
}

#[test]
fn exchange_message_tracking_logs_are_read() {
    let input = "\
#Software: Microsoft Exchange Server
#Version: 15.02.1118.030
#Log-type: Message Tracking Log
#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version
2026-11-23T10:00:00.100Z,10.0.0.9,client.corp.example.com,10.0.0.5,EX01,08DE2A1B3C4D5E6F;250 2.6.0,Default EX01,SMTP,RECEIVE,1234567890,<abc123@example.com>,0f1e2d3c-aaaa,bob@example.org,,24567,1,,,Quarterly report,alice@example.com,alice@example.com,,Originating,,,,,Email,0f1e2d3c-aaaa,15.02.1118.030
2026-11-23T10:00:01.234Z,10.0.0.5,EX01.corp.example.com,,EX01,,Internet,SMTP,FAIL,1234567890,<abc123@example.com>,0f1e2d3c-aaaa,bob@example.org,550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found,24567,1,,,Quarterly report,alice@example.com,alice@example.com,,Originating,,,,,Email,0f1e2d3c-aaaa,15.02.1118.030
2026-11-23T10:00:02.345Z,10.0.0.5,EX01.corp.example.com,198.51.100.7,mx.example.net,,Internet,SMTP,SEND,1234567891,<abc124@example.com>,0f1e2d3c-bbbb,carol@example.net,250 2.0.0 OK 1700000000 queued as 4F9D21A2B3,24567,1,,mx.example.net,Quarterly report,alice@example.com,alice@example.com,,Originating,,,,,Email,0f1e2d3c-bbbb,15.02.1118.030
2026-11-23T10:00:03.456Z,,,,EX01,,Internet,SMTP,DEFER,1234567892,<abc125@example.com>,0f1e2d3c-cccc,dave@example.com,\"[{LRT=11/23/2026 10:00:03 AM};{LED=441 4.4.1 Error encountered while communicating with primary target IP address: \"\"Failed to connect. Winsock error code: 10060, Win32 error code: 10060.\"\" Attempted failover to alternate host, but that did not succeed.};{FQDN=mx.example.com};{IP=192.0.2.1}]\",24567,1,,,Quarterly report,alice@example.com,alice@example.com,,Originating,,,,,Email,0f1e2d3c-cccc,15.02.1118.030
";
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 8, "{found:?}");
    assert!(found[..5].iter().all(|r| r["result"] == false), "{found:?}");
    check(
        &found[5],
        "exchange",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.org"),
    );
    assert_eq!(found[5]["queue_id"], "1234567890");
    assert_eq!(found[5]["timestamp"], "2026-11-23T10:00:01.234Z");
    check(
        &found[6],
        "exchange",
        (Some(250), Some("2.0.0")),
        ("success", None, "delivered"),
        Some("carol@example.net"),
    );
    assert_eq!(found[6]["host"], "mx.example.net");
    check(
        &found[7],
        "exchange",
        (Some(441), Some("4.4.1")),
        ("transient", Some("soft"), "network_error"),
        Some("dave@example.com"),
    );
    assert_eq!(found[7]["host"], "mx.example.com");

    // `Get-MessageTrackingLog | Export-Csv`: other names, every field quoted.
    let export = "\
#TYPE Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent
\"Timestamp\",\"ClientIp\",\"ClientHostname\",\"ServerIp\",\"ServerHostname\",\"SourceContext\",\"ConnectorId\",\"Source\",\"EventId\",\"InternalMessageId\",\"MessageId\",\"NetworkMessageId\",\"Recipients\",\"RecipientStatus\",\"TotalBytes\"
\"11/23/2026 10:00:01 AM\",\"10.0.0.5\",\"EX01\",\"\",\"EX01\",\"\",\"Internet\",\"SMTP\",\"FAIL\",\"42\",\"<m@example.com>\",\"0f1e\",\"erin@example.org\",\"554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException\",\"1234\"
";
    let (found, _) = records(export, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    check(
        &found[0],
        "exchange",
        (Some(554), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("erin@example.org"),
    );
}

#[test]
fn utf16_input_as_windows_powershell_writes_it_is_read() {
    // `Get-MessageTrackingLog | Export-Csv -Encoding Unicode` (or `> file` in Windows PowerShell):
    // UTF-16, little-endian, after its byte-order mark, with CRLF line endings.
    let export = "#TYPE Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent\r
\"Timestamp\",\"EventId\",\"Source\",\"InternalMessageId\",\"Recipients\",\"RecipientStatus\"\r
\"11/23/2026 10:00:01 AM\",\"FAIL\",\"SMTP\",\"42\",\"jürgen@example.de\",\"550 5.1.1 Benutzer unbekannt\"\r
";
    let mut input = vec![0xFF, 0xFE];
    input.extend(export.encode_utf16().flat_map(u16::to_le_bytes));
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 3, "{found:?}");
    check(
        &found[2],
        "exchange",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("jürgen@example.de"),
    );
    assert_eq!(found[0]["input"], export.lines().next().unwrap().trim_end());
    // Big-endian, with a character beyond the Basic Multilingual Plane and a lone surrogate.
    let mut input = vec![0xFE, 0xFF];
    input.extend(
        "550 5.2.2 Mailbox full 📫 "
            .encode_utf16()
            .flat_map(u16::to_be_bytes),
    );
    input.extend([0xDC, 0x00]);
    let (found, _) = records(input, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["reason"], "mailbox_full");
    assert_eq!(found[0]["input"], "550 5.2.2 Mailbox full 📫 \u{FFFD}");
}

#[test]
fn events_for_several_recipients_give_a_record_for_each() {
    // SES groups the recipients of one message in one notification, each with its own
    // diagnostic; SendGrid posts its events in arrays. Every address needs its own verdict.
    let input = r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"ann@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"},{"emailAddress":"bea@example.org","action":"failed","status":"5.2.2","diagnosticCode":"smtp; 552 5.2.2 mailbox full"}],"timestamp":"2026-11-23T10:00:01.237Z","remoteMtaIp":"192.0.2.1"},"mail":{"messageId":"0100018b-abcd","destination":["ann@example.com","bea@example.org"]}}
[{"email":"cy@example.com","event":"bounce","reason":"550 5.1.1 User unknown","status":"5.1.1","type":"bounce"},{"email":"dee@example.com","event":"open"},{"email":"eli@example.net","event":"deferred","response":"421 4.7.0 Try again later","attempt":"1"}]
"#;
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    let seen: Vec<(u64, &str, &str, &str)> = found
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["format"].as_str().unwrap(),
                r["recipient"].as_str().unwrap(),
                r["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, "ses", "ann@example.com", "user_unknown"),
            (1, "ses", "bea@example.org", "mailbox_full"),
            (2, "sendgrid", "cy@example.com", "user_unknown"),
            (2, "sendgrid", "eli@example.net", "policy_violation"),
        ]
    );
    assert_eq!(found[0]["bounce"], "hard");
    assert_eq!(found[1]["bounce"], "soft");
    assert_eq!(found[3]["outcome"], "transient");
}

#[test]
fn sending_services_events_are_read() {
    let input = r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"jane@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2026-11-23T10:00:01.237Z","remoteMtaIp":"192.0.2.1"},"mail":{"messageId":"0100018b-abcd","destination":["jane@example.com"]}}
{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"dave@example.com"}],"timestamp":"2026-11-23T10:00:04Z","complaintFeedbackType":"abuse"},"mail":{"messageId":"0102"}}
{"bounce_classification":"Reputation","email":"bob@example.com","timestamp":1700000000,"event":"bounce","reason":"550 5.7.1 [192.0.2.5] Messages from this IP are blocked; listed at zen.spamhaus.org","sg_event_id":"ZHlh","sg_message_id":"14c5d75ce93.filter0001","status":"5.7.1","type":"blocked"}
{"email":"d@example.com","timestamp":1700000002,"event":"dropped","reason":"Spam Reporting Address","status":"5.0.0"}
{"email":"f@example.com","timestamp":1700000003,"event":"open"}
{"event-data":{"event":"failed","severity":"temporary","reason":"generic","recipient":"b@yahoo.com","delivery-status":{"code":421,"message":"4.7.0 [TSS04] Messages from 192.0.2.5 temporarily deferred due to unexpected volume or user complaints","mx-host":"mta5.am0.yahoodns.net","retry-seconds":600}}}
{"RecordType":"Bounce","Type":"SoftBounce","Email":"m@example.com","Details":"smtp;552 5.2.2 Mailbox full","BouncedAt":"2026-11-23T10:00:00Z","MessageID":"x1"}
{"type":"Bounce","id":"1d98","sender":"news@example.com","recipient":"n@example.org","queue":"example.org","response":{"code":550,"enhanced_code":{"class":5,"subject":1,"detail":1},"content":"<n@example.org>: Recipient address rejected: User unknown in virtual mailbox table","command":"RCPT TO:<n@example.org>\r\n"},"peer_address":{"name":"mx.example.org.","addr":"192.0.2.1"},"timestamp":1700000000,"bounce_classification":"InvalidRecipient","egress_pool":"pool0"}
[{"email":"p@example.com","timestamp":1700000005,"event":"open"},{"email":"q@example.com","timestamp":1700000006,"event":"bounce","reason":"550 5.1.1 User unknown","status":"5.1.1","type":"bounce"}]
"#;
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 9, "{found:?}");
    // SendGrid's webhook body, an array of events: its result (the open is none).
    check(
        &found[8],
        "sendgrid",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("q@example.com"),
    );
    check(
        &found[0],
        "ses",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("jane@example.com"),
    );
    assert_eq!(found[0]["queue_id"], "0100018b-abcd");
    // A complaint: the mail was delivered; what matters is to stop sending.
    check(
        &found[1],
        "ses",
        (None, None),
        ("success", None, "feedback"),
        Some("dave@example.com"),
    );
    assert_eq!(found[1]["reported"], "complained");
    check(
        &found[2],
        "sendgrid",
        (Some(550), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        Some("bob@example.com"),
    );
    // Not sent at all: the words ("Spam Reporting Address") do not make it spam.
    check(
        &found[3],
        "sendgrid",
        (None, None),
        ("permanent", Some("soft"), "suppressed"),
        Some("d@example.com"),
    );
    assert_eq!(found[4]["result"], false);
    check(
        &found[5],
        "mailgun",
        (Some(421), Some("4.7.0")),
        ("transient", Some("soft"), "bad_reputation"),
        Some("b@yahoo.com"),
    );
    assert_eq!(found[5]["provider"], "yahoo");
    assert_eq!(found[5]["retry_after"], 600, "Mailgun's retry-seconds");
    check(
        &found[6],
        "postmark",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("m@example.com"),
    );
    check(
        &found[7],
        "kumomta",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("n@example.org"),
    );
    assert_eq!(found[7]["host"], "mx.example.org");
    assert_eq!(found[7]["command"], "rcpt_to");
}

#[test]
fn a_services_own_class_of_a_failure_decides_what_its_words_do_not() {
    let input = r#"{"msys":{"message_event":{"type":"bounce","bounce_class":"10","error_code":"554","rcpt_to":"gone@example.com","raw_reason":"554 5.0.0 Message refused","timestamp":"1454442600"}}}
{"msys":{"message_event":{"type":"bounce","bounce_class":"22","rcpt_to":"full@example.com","timestamp":"1454442601"}}}
{"bounce_classification":"Invalid Address","email":"a@example.com","event":"bounce","reason":"550 5.0.0 Delivery not possible","sg_event_id":"ZHlh","sg_message_id":"14c5d75ce93.filter0001","status":"5.0.0","timestamp":1700000000,"type":"bounce"}
{"bounce_classification":"Frequency or Volume Too High","email":"b@example.com","event":"deferred","response":"451 4.3.2 Please try later","sg_event_id":"ZHli","sg_message_id":"14c5d75ce94.filter0001","timestamp":1700000001}
{"event":"bounce","time":1733000000,"MessageID":1,"Message_GUID":"1ab2","email":"c@example.com","mj_campaign_id":7,"mj_contact_id":4,"blocked":false,"hard_bounce":true,"error_related_to":"domain","error":"invalid domain"}
{"event":"bounce","time":1733000001,"MessageID":2,"Message_GUID":"1ab3","email":"d@example.com","mj_campaign_id":7,"mj_contact_id":5,"blocked":false,"hard_bounce":true,"error_related_to":"recipient","error":""}
{"event":"hard_bounce","email":"e@example.com","id":123,"date":"2026-11-23 10:00:01","message-id":"<x1@smtp-relay.mailin.fr>","ts_event":1763892001,"subject":"News","camp_id":5}
{"eventType":"Bounce","bounce":{"bounceType":"Transient","bounceSubType":"MailboxFull","bouncedRecipients":[{"emailAddress":"f@example.com"}],"timestamp":"2026-11-23T10:00:01.237Z"},"mail":{"messageId":"0100018b-abce"}}
{"RecordType":"Bounce","Type":"DnsError","Email":"g@example.com","Description":"The server could not temporarily deliver your message.","Details":"","BouncedAt":"2026-11-23T10:00:00Z","MessageID":"x2"}
{"type":"Bounce","id":"1d99","recipient":"h@example.org","response":{"code":550,"content":"Denied","command":"RCPT TO:<h@example.org>\r\n"},"peer_address":{"name":"mx.example.org.","addr":"192.0.2.1"},"timestamp":1700000000,"bounce_classification":"InvalidRecipient"}
b,2026-11-23 10:00:01+0000,2026-11-23 09:59:58+0000,news@example.com,i@example.org,,failed,5.0.0 (undefined status),smtp;550 5.0.0 Rejected,mx.example.org (192.0.2.1),inactive-mailbox,smtp
{"event":"hard_bounce","msg":{"ts":1365109999,"email":"j@example.net","state":"bounced","bounce_description":"invalid_domain","_id":"5a1d"},"_id":"5a1d","ts":1384954006}
{"event":"hard_bounce","msg":{"ts":1365109999,"email":"k@example.net","state":"bounced","bounce_description":"general","_id":"5a1e"},"_id":"5a1e","ts":1384954007}
{"RecordType":"Bounce","Type":"BadEmailAddress","Email":"l@@example.net","Description":"Invalid email address","Details":"","BouncedAt":"2026-11-23T10:00:02Z","MessageID":"x3"}
"#;
    let (found, status) = records(input, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 14, "{found:?}");
    let verdicts: Vec<(&str, &str, &str, &str)> = found
        .iter()
        .map(|r| {
            (
                r["recipient"].as_str().unwrap(),
                r["bounce"].as_str().unwrap(),
                r["reason"].as_str().unwrap(),
                r["evidence"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            (
                "gone@example.com",
                "hard",
                "user_unknown",
                "sparkpost bounce_class \"10\""
            ),
            (
                "full@example.com",
                "soft",
                "mailbox_full",
                "sparkpost bounce_class \"22\""
            ),
            (
                "a@example.com",
                "hard",
                "user_unknown",
                "sendgrid bounce_classification \"Invalid Address\""
            ),
            (
                "b@example.com",
                "soft",
                "rate_limited",
                "sendgrid bounce_classification \"Frequency or Volume Too High\""
            ),
            (
                "c@example.com",
                "hard",
                "host_unknown",
                "mailjet error \"invalid domain\""
            ),
            (
                "d@example.com",
                "hard",
                "undefined",
                "mailjet hard_bounce \"true\""
            ),
            (
                "e@example.com",
                "hard",
                "undefined",
                "brevo event \"hard_bounce\""
            ),
            (
                "f@example.com",
                "soft",
                "mailbox_full",
                "ses bounceType/bounceSubType \"Transient/MailboxFull\""
            ),
            (
                "g@example.com",
                "soft",
                "network_error",
                "postmark Type \"DnsError\""
            ),
            (
                "h@example.org",
                "hard",
                "user_unknown",
                "kumomta bounce_classification \"InvalidRecipient\""
            ),
            (
                "i@example.org",
                "hard",
                "mailbox_disabled",
                "powermta bounceCat \"inactive-mailbox\""
            ),
            (
                "j@example.net",
                "hard",
                "host_unknown",
                "mandrill bounce_description \"invalid_domain\""
            ),
            // A description that tells no cause leaves the event's hard or soft.
            (
                "k@example.net",
                "hard",
                "undefined",
                "mandrill event \"hard_bounce\""
            ),
            // Not an address at all: it can never take mail.
            (
                "l@@example.net",
                "hard",
                "undefined",
                "postmark Type \"BadEmailAddress\""
            ),
        ]
    );
    assert_eq!(found[3]["outcome"], "transient");
}

#[test]
fn sparkpost_and_mandrill_events_are_read() {
    let input = r#"{"msys":{"message_event":{"type":"bounce","bounce_class":"10","error_code":"550","ip_address":"192.0.2.1","message_id":"000443ee14578172be22","rcpt_to":"jane@example.com","raw_reason":"550: 5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. - gsmtp","timestamp":"1454442600"}}}
{"msys":{"message_event":{"type":"policy_rejection","bounce_class":"25","error_code":"554","rcpt_to":"bob@example.com","raw_reason":"550 5.7.1 Unsubscribed recipient","timestamp":"1454442600"}}}
{"msys":{"track_event":{"type":"click","rcpt_to":"jane@example.com","timestamp":"1454442600"}}}
{"event":"soft_bounce","msg":{"ts":1365109999,"email":"carol@example.net","state":"soft-bounced","bounce_description":"mailbox_full","diag":"smtp;552 5.2.2 Mailbox full","_id":"5a1b"},"_id":"5a1b","ts":1384954004}
{"event":"spam","msg":{"ts":1365109999,"email":"dave@example.com","state":"sent","_id":"5a1c"},"_id":"5a1c","ts":1384954005}
"#;
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 5, "{found:?}");
    check(
        &found[0],
        "sparkpost",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("jane@example.com"),
    );
    assert_eq!(found[0]["provider"], "google");
    // SparkPost would not send to an address on its suppression list.
    check(
        &found[1],
        "sparkpost",
        (Some(550), Some("5.7.1")),
        ("permanent", Some("soft"), "suppressed"),
        Some("bob@example.com"),
    );
    assert_eq!(found[2]["result"], false);
    // A Mandrill soft bounce: given up, but the mailbox is only full.
    check(
        &found[3],
        "mandrill",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("carol@example.net"),
    );
    check(
        &found[4],
        "mandrill",
        (None, None),
        ("success", None, "feedback"),
        Some("dave@example.com"),
    );
}

#[test]
fn mailjet_and_brevo_events_are_read() {
    let input = r#"{"event":"bounce","time":1430812195,"MessageID":13792286917004336,"Message_GUID":"1ab23cd4-e567","email":"jane@example.com","mj_campaign_id":0,"mj_contact_id":0,"CustomID":"","Payload":"","blocked":false,"hard_bounce":true,"error_related_to":"recipient","error":"user unknown"}
{"event":"blocked","time":1430812196,"MessageID":13792286917004337,"email":"bob@example.com","mj_campaign_id":0,"mj_contact_id":0,"error_related_to":"recipient","error":"preblocked"}
{"event":"soft_bounce","email":"carol@example.net","id":123456,"date":"2026-11-23 10:00:01","ts":1604933619,"message-id":"<202611231000.1@smtp-relay.mailin.fr>","ts_event":1604933654,"sending_ip":"192.0.2.5","reason":"452 4.2.2 The email account that you tried to reach is over quota. - gsmtp"}
{"event":"unique_opened","email":"carol@example.net","id":123456,"date":"2026-11-23 10:05:01","message-id":"<202611231000.1@smtp-relay.mailin.fr>","ts_event":1604933954}
"#;
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 4, "{found:?}");
    check(
        &found[0],
        "mailjet",
        (None, None),
        ("permanent", Some("hard"), "user_unknown"),
        Some("jane@example.com"),
    );
    check(
        &found[1],
        "mailjet",
        (None, None),
        ("permanent", Some("soft"), "suppressed"),
        Some("bob@example.com"),
    );
    check(
        &found[2],
        "brevo",
        (Some(452), Some("4.2.2")),
        ("transient", Some("soft"), "mailbox_full"),
        Some("carol@example.net"),
    );
    assert_eq!(found[2]["provider"], "google");
    assert_eq!(found[3]["result"], false);
}

#[test]
fn powermta_accounting_records_are_read() {
    let input = "\
type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType,dlvSourceIp,dlvDestinationIp,dlvEsmtpAvailable,dlvSize,vmta,jobId,envId,queue,vmtaPool
b,2026-11-23 10:00:01+0000,2026-11-23 09:59:58+0000,bounces@news.example.com,bob@example.org,,failed,5.1.1 (bad destination mailbox address),smtp;550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown in virtual mailbox table,mx.example.org (192.0.2.1),bad-mailbox,smtp,api.example.com (198.51.100.2),smtp,203.0.113.5,192.0.2.1,\"PIPELINING,8BITMIME,SIZE,STARTTLS\",12345,vmta1,job42,,example.org/vmta1,
t,2026-11-23 10:00:02+0000,2026-11-23 09:59:58+0000,bounces@news.example.com,carol@yahoo.com,,delayed,\"4.7.0 (delivery not authorized, message refused)\",\"smtp;421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes\",mta7.am0.yahoodns.net (67.195.204.79),policy-related,smtp,api.example.com (198.51.100.2),smtp,203.0.113.5,67.195.204.79,\"PIPELINING,8BITMIME,SIZE\",12345,vmta1,job42,,yahoo.com/vmta1,
d,2026-11-23 10:00:03+0000,2026-11-23 09:59:58+0000,bounces@news.example.com,dave@example.net,,relayed,2.0.0 (success),smtp;250 2.0.0 Ok: queued as 4F9D21A2B3,mx.example.net (192.0.2.9),,smtp,api.example.com (198.51.100.2),smtp,203.0.113.5,192.0.2.9,\"PIPELINING,8BITMIME,SIZE\",12345,vmta1,job42,,example.net/vmta1,
tq,2026-11-23 10:00:04+0000,,,,,delayed,4.4.1 (no answer from host),smtp;timeout after connect,mx.example.com (192.0.2.7),no-answer-from-host,,,smtp,203.0.113.5,192.0.2.7,,,vmta1,,,example.com/vmta1,
";
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 5, "{found:?}");
    assert_eq!(found[0]["result"], false);
    check(
        &found[1],
        "powermta",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.org"),
    );
    assert_eq!(found[1]["host"], "mx.example.org");
    assert_eq!(found[1]["timestamp"], "2026-11-23 10:00:01+0000");
    check(
        &found[2],
        "powermta",
        (Some(421), Some("4.7.0")),
        ("transient", Some("soft"), "bad_reputation"),
        Some("carol@yahoo.com"),
    );
    assert_eq!(found[2]["provider"], "yahoo");
    check(
        &found[3],
        "powermta",
        (Some(250), Some("2.0.0")),
        ("success", None, "delivered"),
        Some("dave@example.net"),
    );
    check(
        &found[4],
        "powermta",
        (None, Some("4.4.1")),
        ("transient", Some("soft"), "network_error"),
        None,
    );
    assert_eq!(found[4]["command"], "connect");

    // Another order, named by the header; without it the records would not be told.
    let custom = "\
type,rcpt,dsnStatus,dsnDiag,timeLogged,jobId
rb,eve@example.net,5.2.2 (mailbox full),smtp;552 5.2.2 Mailbox full,2026-11-23 11:00:00+0000,job7
";
    let (found, _) = records(custom, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    check(
        &found[0],
        "powermta",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("eve@example.net"),
    );
    let (found, _) = records(&custom[custom.find('\n').unwrap() + 1..], &[]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn refusals_of_the_sender_are_not_hard_bounces_of_the_recipient() {
    // Words that mean a dead address when they are about the recipient, about the sender here:
    // removing the recipient for them would drop a good address.
    for reply in [
        "550 5.7.1 Sender domain does not exist",
        "550 5.1.8 Sender domain not found",
        "550 Sender unknown",
        "550 5.7.1 Mailbox unavailable or access denied - the sender's mailbox does not exist",
        "550 5.7.1 Your account has been disabled for sending mail",
        "550 5.7.0 Sending denied: the sender account is disabled",
        "550-Verification failed for <alice@example.com> 550-Unrouteable address",
        "550 5.7.1 Your message was rejected because the sending domain does not exist",
        "550 5.7.1 The from address does not exist",
        // The registry's X.1.8 is the sender's system: whatever domain the words call dead.
        "550 5.1.8 <alice@example.com>: Domain not found",
        // Exchange: the sending account may not use this From address.
        "554 5.2.252 SendAsDenied; alice@example.com not allowed to send as ceo@example.com; \
         STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
    ] {
        let line = format!(
            "Nov 23 10:00:01 mx postfix/smtp[1234]: 3F2A41C0D2: to=<bob@example.org>, \
             relay=mx.example.org[192.0.2.8]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.0.0, \
             status=bounced (host mx.example.org[192.0.2.8] said: {reply} (in reply to MAIL \
             FROM command))"
        );
        let record = one(&line);
        assert_eq!(record["reason"], "rejected", "{reply}");
        assert_eq!(record["bounce"], "soft", "{reply}");
    }
    // The recipient's own callout stays the recipient's.
    let record = one("550 Callout verification failed: 550 5.1.1 User unknown");
    assert_eq!(record["reason"], "user_unknown");
}

#[test]
fn only_a_disabled_recipient_is_a_disabled_mailbox() {
    for reply in [
        "550 5.7.1 Relaying is disabled",
        "550 5.7.1 STARTTLS is disabled",
        "550 5.7.0 Authentication is disabled for this account",
    ] {
        let record = one(reply);
        assert_ne!(record["reason"], "mailbox_disabled", "{reply}");
        assert_eq!(record["bounce"], "soft", "{reply}");
    }
    for reply in [
        "550-5.2.1 The email account that you tried to reach is disabled. - gsmtp",
        "550 5.2.1 <bob@example.com>: Recipient address is inactive",
        "550 5.2.1 User account is disabled",
    ] {
        let record = one(reply);
        assert_eq!(record["reason"], "mailbox_disabled", "{reply}");
        assert_eq!(record["bounce"], "hard", "{reply}");
    }
}

#[test]
fn wordings_of_a_dead_or_given_up_address_are_hard_bounces() {
    // Bare or generic codes (553 5.3.0, 554, a 5.2.0 Orange gives its spam refusals too) say
    // otherwise; the words decide.
    let cases = [
        (
            "553 5.3.0 <bob@example.com>... Addressee unknown, relay=[192.0.2.1]",
            "user_unknown",
            None,
        ),
        (
            "554 delivery error: dd Not a valid recipient - atlas112.free.mail.bf1.yahoo.com",
            "user_unknown",
            Some("yahoo"),
        ),
        (
            "550 Message rejected because the recipient is no longer active",
            "mailbox_disabled",
            None,
        ),
        (
            "550 5.2.0 <bob@orange.fr>: Boite du destinataire archivee.",
            "mailbox_disabled",
            None,
        ),
        (
            "550 5.1.1 <bob@example.net>: Recipient address rejected: Inactive mailbox",
            "mailbox_disabled",
            None,
        ),
    ];
    for (reply, reason, provider) in cases {
        let record = one(reply);
        assert_eq!(record["reason"], reason, "{reply}");
        assert_eq!(record["bounce"], "hard", "{reply}");
        assert_eq!(record["provider"].as_str(), provider, "{reply}");
    }
    // Orange's host names the provider, whose 5.2.0 alone would mean spam.
    let record = one(
        "Nov 23 10:00:01 mx postfix/smtp[1234]: 3F2A41C0D2: to=<bob@orange.fr>, \
         relay=smtp-in.orange.fr[193.252.22.1]:25, delay=1, delays=0/0/0/1, dsn=5.2.0, \
         status=bounced (host smtp-in.orange.fr[193.252.22.1] said: 550 5.2.0 <bob@orange.fr>: \
         Boite du destinataire archivee. (in reply to RCPT TO command))",
    );
    assert_eq!(record["provider"], "orange");
    assert_eq!(record["reason"], "mailbox_disabled");
    // Amazon SES refusing a sender identity it never verified is about the sender.
    let record = one(
        "554 Message rejected: Email address is not verified. The following identities failed \
         the check in region US-EAST-1: news@example.org",
    );
    assert_eq!(record["reason"], "rejected");
    assert_eq!(record["bounce"], "soft");
}

#[test]
fn a_bare_550_with_words_of_a_filter_or_a_suspension_is_no_unknown_user() {
    // A 550 alone says "mailbox unavailable"; these words say what the refusal was about.
    let cases = [
        (
            "550 \"REJECT, Message contains banned words\"",
            "content_error",
            "soft",
        ),
        (
            "550 5.7.1 Message contains a blocked attachment type",
            "content_error",
            "soft",
        ),
        ("550 Blocked by SpamAssassin", "spam_detected", "soft"),
        ("550 Account has been suspended", "mailbox_disabled", "hard"),
        (
            "550 Your account is suspended for sending",
            "rejected",
            "soft",
        ),
        (
            "550 5.7.1 Your account has been suspended",
            "rejected",
            "soft",
        ),
        (
            "550 5.7.1 Connection refused - <192.0.2.44> - Too many bad recipients",
            "blocked",
            "soft",
        ),
        (
            "421 4.7.0 [192.0.2.44] Rejected due to a high volume of messages from your IP.",
            "rate_limited",
            "soft",
        ),
        // The mailbox exists (X.2.0); an Exchange store fault is no dead address.
        ("550 5.2.0 Mailbox is locked", "mailbox_disabled", "hard"),
        (
            "550 5.2.0 STOREDRV.Deliver.Exception:StoragePermanentException.MapiExceptionNoReplicaHere",
            "undefined",
            "soft",
        ),
        // A mailbox closed to outside senders is alive; a null MX domain takes no mail at all.
        (
            "550 5.7.1 <jon@example.com>: Recipient address rejected: This mailbox does not \
             accept mail from outside the organization",
            "policy_violation",
            "soft",
        ),
        (
            "556 5.1.10 example.com does not accept mail (null MX)",
            "not_accept",
            "hard",
        ),
    ];
    for (reply, reason, bounce) in cases {
        let record = one(reply);
        assert_eq!(record["reason"], reason, "{reply}");
        assert_eq!(record["bounce"], bounce, "{reply}");
    }
}

#[test]
fn receivers_words_for_sessions_standing_and_accounts_give_their_reason() {
    // Wordings of Comcast, Yahoo, Free, cPanel's Exim, Zoho and Gmail whose codes alone say
    // little or something else.
    let cases = [
        ("421 Too many sessions opened", "rate_limited"),
        (
            "421 Max message per connection reached, closing transmission channel",
            "rate_limited",
        ),
        (
            "451 too many spams from your IP (198.51.100.1), please visit http://postmaster.free.fr/",
            "bad_reputation",
        ),
        ("550 JunkMail rejected", "blocked"),
        (
            "421 4.4.2 Message submission rate for this client has exceeded the configured limit",
            "rate_limited",
        ),
        ("554 5.2.3 MailPolicy violation", "policy_violation"),
        ("550 5.4.6 Unusual sending activity detected", "rejected"),
        (
            "454 4.7.0 Too many login attempts, please try again later.",
            "security_error",
        ),
        // Each form of "rate limit", a whole word each.
        (
            "451 4.7.1 Service unavailable - try again later (ratelimited)",
            "rate_limited",
        ),
        (
            "454 Throttling failure: Maximum sending rate exceeded.",
            "rate_limited",
        ),
        ("421 4.7.0 Rate limiting in effect", "rate_limited"),
        // A blocklisting in any form is no dead mailbox, whatever the bare 550 says.
        ("550 Your IP is black listed", "blocked"),
        ("550 listed on several blacklists", "blocked"),
        ("550 5.7.1 Your IP is on our denylist", "blocked"),
        ("450 Greylist in effect, please retry", "on_hold"),
        ("451 4.7.1 Gray listed, try later", "on_hold"),
        // Exim's refusal to relay for a domain it does not serve.
        (
            "550 not local host example.com, not a gateway",
            "no_relaying",
        ),
        (
            "550 5.7.1 Sending domain example.com does not meet the required authentication level",
            "auth_failure",
        ),
    ];
    for (reply, reason) in cases {
        let record = one(reply);
        assert_eq!(record["reason"], reason, "{reply}");
        assert_eq!(record["bounce"], "soft", "{reply}");
    }
}

#[test]
fn replies_in_other_languages_give_their_reason() {
    // Generic codes (550 5.0.0, 554) say little; the words decide, and a full mailbox must not
    // pass for a dead address.
    let cases = [
        ("550 5.0.0 Postfach voll", "mailbox_full", "soft"),
        (
            "550 Das Postfach des Empfaengers ist voll",
            "mailbox_full",
            "soft",
        ),
        ("554 5.0.0 Benutzer unbekannt", "user_unknown", "hard"),
        ("550 Boîte aux lettres pleine", "mailbox_full", "soft"),
        (
            "552 5.1.1 Boite du destinataire pleine. Recipient overquota",
            "mailbox_full",
            "soft",
        ),
        ("550 5.1.1 Utilisateur inconnu", "user_unknown", "hard"),
        ("550 Adresse expediteur inconnue", "rejected", "soft"),
        ("554 5.0.0 casella piena", "mailbox_full", "soft"),
        ("550 5.0.0 El usuario no existe", "user_unknown", "hard"),
        ("550 5.0.0 Buzon lleno", "mailbox_full", "soft"),
        ("550 El dominio no existe", "host_unknown", "hard"),
        ("550 5.0.0 Caixa postal cheia", "mailbox_full", "soft"),
        ("550 Usuário desconhecido", "user_unknown", "hard"),
        ("550 5.0.0 Mailbox vol", "mailbox_full", "soft"),
        ("550 Konto gesperrt", "mailbox_disabled", "hard"),
        // Russian, whose letters the matchers do not fold: a capital starting the reply too.
        ("550 Почтовый ящик переполнен", "mailbox_full", "soft"),
        ("550 5.0.0 Ящик заблокирован", "mailbox_disabled", "hard"),
        ("554 Пользователь не найден", "user_unknown", "hard"),
        (
            "550 5.7.1 Сообщение отклонено как спам",
            "spam_detected",
            "soft",
        ),
        (
            "554 Nachricht abgelehnt: Spamverdacht",
            "spam_detected",
            "soft",
        ),
        ("550 5.0.0 Quota superata", "mailbox_full", "soft"),
        ("550 邮箱已满", "mailbox_full", "soft"),
        (
            "550 Skrzynka odbiorcy jest przepełniona",
            "mailbox_full",
            "soft",
        ),
        ("550 Schránka je plná", "mailbox_full", "soft"),
        ("554 Uživatel neexistuje", "user_unknown", "hard"),
        ("550 您的邮件被识别为垃圾邮件", "spam_detected", "soft"),
        (
            "421 Trop de connexions, veuillez reessayer plus tard",
            "rate_limited",
            "soft",
        ),
        (
            "554 Message refuse, considere comme pourriel",
            "spam_detected",
            "soft",
        ),
    ];
    for (reply, reason, bounce) in cases {
        let line = format!(
            "Nov 23 10:00:01 mx postfix/smtp[1234]: 3F2A41C0D2: to=<kunde@example.de>, \
             relay=mx.example.de[192.0.2.8]:25, delay=0.5, delays=0.1/0/0.2/0.2, dsn=5.0.0, \
             status=bounced (host mx.example.de[192.0.2.8] said: {reply} (in reply to RCPT TO \
             command))"
        );
        let record = one(&line);
        assert_eq!(record["reason"], reason, "{reply}");
        assert_eq!(record["bounce"], bounce, "{reply}");
        assert_eq!(record["recipient"], "kunde@example.de", "{reply}");
    }
}

#[test]
fn exims_own_words_give_their_reason() {
    let cases = [
        (
            "all relevant MX records point to non-existent hosts",
            "host_unknown",
            "hard",
        ),
        // RFC 7505's null MX: the domain takes no mail at all.
        (
            "an MX or SRV record indicated no SMTP service",
            "not_accept",
            "hard",
        ),
        (
            "a TLS session is required, but the server did not offer TLS support",
            "failed_starttls",
            "soft",
        ),
        (
            "TLS session: (SSL_connect): error: <pre-connection>: error:0A000086:SSL \
             routines::certificate verify failed",
            "security_error",
            "soft",
        ),
        (
            "retry time not reached for any host after a long failure period",
            "expired",
            "soft",
        ),
        (
            "retry time not reached for any host for 'example.com'",
            "on_hold",
            "soft",
        ),
        (
            "message is too big (transport limit = 1)",
            "email_too_large",
            "soft",
        ),
        ("unable to verify sender address", "rejected", "soft"),
        (
            "This account has been suspended",
            "mailbox_disabled",
            "hard",
        ),
        ("local delivery failed", "mailer_error", "soft"),
        ("host lookup did not complete", "network_error", "soft"),
        ("No mail exchanger for domain", "host_unknown", "hard"),
        ("Domain has no MX and no A record", "host_unknown", "hard"),
        ("Address no longer valid", "user_unknown", "hard"),
        (
            "malformed address: <bob@> - missing domain",
            "syntax_error",
            "soft",
        ),
    ];
    let input: String = cases
        .iter()
        .map(|(words, _, _)| {
            format!("2026-11-23 10:00:04 1tABCG-000126-EF ** x@example.com: {words}\n")
        })
        .collect();
    let (found, _) = records(input.as_str(), &[]);
    assert_eq!(found.len(), cases.len());
    for (record, (words, reason, bounce)) in found.iter().zip(cases) {
        assert_eq!(
            (&record["reason"], &record["bounce"]),
            (&reason.into(), &bounce.into()),
            "{words}"
        );
    }
}

#[test]
fn exims_older_host_reply_and_escaped_line_breaks_are_read() {
    // Older releases log the host with the reply; every release writes a multi-line reply's
    // line breaks as `\n`.
    let (found, _) = records(
        "2015-11-23 10:00:01 1ZxAbC-0001aB-Cd ** bob@example.com R=dnslookup T=remote_smtp: \
         SMTP error from remote mail server after RCPT TO:<bob@example.com>: \
         host mx.example.com [192.0.2.1]: 550 5.1.1 <bob@example.com>... User unknown\n\
         2026-11-23 10:00:02 1tABCD-000123-EF ** ann@gmail.com R=dnslookup T=remote_smtp \
         H=gmail-smtp-in.l.google.com [192.0.2.2]: SMTP error from remote mail server after end of data: \
         550-5.7.1 [192.0.2.9] Our system has detected that this message is\\n550-5.7.1 likely \
         unsolicited mail.\\n550 5.7.1 This message has been blocked. a1si123 - gsmtp\n",
        &[],
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0]["host"], "mx.example.com");
    assert_eq!(found[0]["reason"], "user_unknown");
    assert_eq!(
        found[1]["text"],
        "[192.0.2.9] Our system has detected that this message is likely unsolicited mail. \
         This message has been blocked. a1si123 - gsmtp"
    );
    assert_eq!(found[1]["reason"], "spam_detected");
}

#[test]
fn exims_common_wordings_name_no_appliance_and_a_closed_connection_is_the_network() {
    let (found, _) = records(
        "2026-11-23 10:00:00 H=(x.example) [198.51.100.7] F=<a@x.example> rejected RCPT \
         <c@mail.example.org>: JunkMail rejected - (x.example) [198.51.100.7] is in an RBL on \
         zen.spamhaus.org, see https://www.spamhaus.org/query/ip/198.51.100.7\n\
         2026-11-23 10:00:01 1vAbcD-000ABC-3a == jo@example.com R=dnslookup T=remote_smtp \
         defer (-18): Remote host closed connection in response to end of data\n",
        &[],
    );
    assert_eq!(found.len(), 2, "{found:?}");
    // cPanel's Exim words its blocklist refusals as Barracuda's appliances do.
    assert_eq!(found[0]["provider"], "spamhaus");
    assert_eq!(found[0]["reason"], "blocked");
    check(
        &found[1],
        "exim",
        (None, None),
        ("transient", Some("soft"), "network_error"),
        Some("jo@example.com"),
    );
    assert_eq!(found[1]["command"], "end_of_data");
}

#[test]
fn an_exim_session_that_stopped_answering_is_the_network_at_its_command() {
    let found = one(
        "2026-11-24 10:00:09 1qXyZa-000Abc-9x == ivy@example.com R=dnslookup T=remote_smtp \
         defer (-46) H=mx.example.com [192.0.2.10]: SMTP timeout after RCPT TO:<ivy@example.com>",
    );
    check(
        &found,
        "exim",
        (None, None),
        ("transient", Some("soft"), "network_error"),
        Some("ivy@example.com"),
    );
    assert_eq!(found["command"], "rcpt_to");
    assert_eq!(found["host"], "mx.example.com");
}

#[test]
fn exims_own_refusals_are_read_like_postfixs() {
    let (found, status) = records(
        "2026-11-23 10:00:07 H=(bad.example) [198.51.100.7] F=<spam@bad.example> rejected RCPT \
         <user@local.example>: rejected because 198.51.100.7 is in a black list at zen.spamhaus.org\n\
         2026-11-23 10:00:08 H=mail.example.org [192.0.2.4] F=<a@example.org> temporarily rejected \
         RCPT <b@local.example>: greylisted\n\
         2026-11-23 10:00:09 1tABCD-000123-EF H=mail.example.org [192.0.2.4] F=<a@example.org> \
         rejected after DATA: This message contains a virus (Eicar-Test-Signature).\n\
         2026-11-23 10:00:10 H=mail.example.org [192.0.2.4] F=<a@example.org> rejected the idea\n",
        &[],
    );
    assert_eq!(status, 0);
    assert_eq!(found.len(), 3, "{found:?}");
    check(
        &found[0],
        "exim",
        (None, None),
        ("permanent", Some("soft"), "blocked"),
        Some("user@local.example"),
    );
    assert_eq!(found[0]["host"], "198.51.100.7");
    assert_eq!(found[0]["blocklist"], "zen.spamhaus.org");
    check(
        &found[1],
        "exim",
        (None, None),
        ("transient", Some("soft"), "on_hold"),
        Some("b@local.example"),
    );
    check(
        &found[2],
        "exim",
        (None, None),
        ("permanent", Some("soft"), "virus_detected"),
        None,
    );
    assert_eq!(found[2]["command"], "end_of_data");
    assert_eq!(found[2]["queue_id"], "1tABCD-000123-EF");
}

#[test]
fn exims_refusals_of_a_helo_name_and_of_an_unverified_sender_give_their_reason() {
    let (found, _) = records(
        "2026-11-24 10:00:02 H=(localhost) [198.51.100.2] rejected EHLO or HELO localhost: \
         Invalid HELO name\n\
         2026-11-24 10:00:07 1qXyZa-000Abc-2x H=mail.example.net [198.51.100.7] F=<a@example.net> \
         temporarily rejected after DATA: Could not complete sender verify\n\
         Nov 24 10:00:38 mx postfix/smtp[1234]: 4F9D1C0D9: to=<io@example.com>, \
         relay=mx.example.com[192.0.2.15]:25, delay=1, delays=0/0/1/0, dsn=4.0.0, \
         status=deferred (host mx.example.com[192.0.2.15] said: 451 Could not complete sender \
         verify callout (in reply to RCPT TO command))\n",
        &[],
    );
    assert_eq!(found.len(), 3, "{found:?}");
    check(
        &found[0],
        "exim",
        (None, None),
        ("permanent", Some("soft"), "syntax_error"),
        None,
    );
    check(
        &found[1],
        "exim",
        (None, None),
        ("transient", Some("soft"), "rejected"),
        None,
    );
    check(
        &found[2],
        "postfix",
        (Some(451), Some("4.0.0")),
        ("transient", Some("soft"), "rejected"),
        Some("io@example.com"),
    );
}

#[test]
fn a_sendmail_bounce_transcript_gives_each_reply_its_host() {
    let bounce = "\
   ----- The following addresses had permanent fatal errors -----
<bob@example.com>
    (reason: 550 5.1.1 <bob@example.com>... User unknown)
<carl@example.com>
    (reason: 552 5.2.2 <carl@example.com>... Mailbox full)

   ----- Transcript of session follows -----
... while talking to mx.example.com.:
>>> RCPT To:<bob@example.com>
<<< 550 5.1.1 <bob@example.com>... User unknown
550 5.1.1 <bob@example.com>... User unknown
>>> RCPT To:<carl@example.com>
<<< 552 5.2.2 <carl@example.com>... Mailbox full
552 5.2.2 <carl@example.com>... Mailbox full
550 5.1.2 <dora@nowhere.invalid>... Host unknown (Name server: nowhere.invalid: host not found)

   ----- The following addresses had transient non-fatal errors -----
<erin@example.org>
    (reason: 451 4.4.1 reply: read error from mx.example.org.)

   ----- Transcript of session follows -----
<erin@example.org>... Deferred: Connection timed out with mx.example.org.
";
    let (found, status) = records(bounce, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 4, "{found:?}");
    // A domain that does not resolve had no host, whatever session's transcript lists it.
    check(
        &found[2],
        "reply",
        (Some(550), Some("5.1.2")),
        ("permanent", Some("hard"), "host_unknown"),
        Some("dora@nowhere.invalid"),
    );
    assert_eq!(found[2]["host"], Value::Null);
    // A deferral is in Sendmail's words only.
    check(
        &found[3],
        "sendmail",
        (None, None),
        ("transient", Some("soft"), "network_error"),
        Some("erin@example.org"),
    );
    assert_eq!(found[3]["host"], "mx.example.org");
    check(
        &found[0],
        "reply",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    check(
        &found[1],
        "reply",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("carl@example.com"),
    );
    for record in &found[..2] {
        assert_eq!(record["host"], "mx.example.com", "{record}");
    }
}

#[test]
fn postfixs_warning_of_a_refusal_it_did_not_make_is_no_result() {
    // warn_if_reject: the mail was taken, the reply is what Postfix would have said.
    let log = "\
Dec  7 10:00:01 mx postfix/smtpd[111]: NOQUEUE: reject_warning: RCPT from unknown[203.0.113.5]: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; from=<a@example.net> to=<bob@example.com> proto=ESMTP helo=<x>
Dec  7 10:00:02 mx postfix/smtpd[111]: 3F1A3D: reject_warning: RCPT from unknown[203.0.113.5]: 450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.5]; from=<a@example.net> to=<bob@example.com> proto=ESMTP helo=<x>
Dec  7 10:00:03 mx postfix/smtpd[111]: NOQUEUE: reject: RCPT from unknown[203.0.113.5]: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org; from=<a@example.net> to=<bob@example.com> proto=ESMTP helo=<x>
";
    let (found, status) = records(log, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 3);
    assert_eq!(found[0]["result"], false, "{}", found[0]);
    assert_eq!(found[1]["result"], false, "{}", found[1]);
    check(
        &found[2],
        "postfix",
        (Some(554), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        Some("bob@example.com"),
    );
}

#[test]
fn a_refusal_before_the_recipient_was_named_is_no_hard_bounce() {
    // A bare 550 reads as an unknown user, but a reply to MAIL FROM or to the connection cannot
    // be about the recipient; after RCPT TO it is.
    let log = "\
Dec  7 10:00:11 mx postfix/smtp[333]: 3F1A44: to=<bob@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, dsn=5.0.0, status=bounced (host mx.example.org[192.0.2.7] said: 550 Go away (in reply to MAIL FROM command))
Dec  7 10:00:12 mx postfix/smtp[333]: 3F1A45: to=<bob@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, dsn=5.0.0, status=bounced (host mx.example.org[192.0.2.7] refused to talk to me: 550 Go away)
Dec  7 10:00:13 mx postfix/smtp[333]: 3F1A46: to=<bob@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, dsn=5.0.0, status=bounced (host mx.example.org[192.0.2.7] said: 550 Go away (in reply to RCPT TO command))
2026-12-07 10:00:14 1rABCD-000130-AB ** bob@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.7]: SMTP error from remote mail server after MAIL FROM:<a@example.net> SIZE=1234: 553 5.1.3 <a@example.net>... User address required
";
    let (found, status) = records(log, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 4, "{found:?}");
    let verdicts: Vec<_> = found
        .iter()
        .map(|r| {
            (
                r["command"].as_str().unwrap(),
                r["bounce"].as_str().unwrap(),
                r["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        verdicts,
        [
            ("mail_from", "soft", "rejected"),
            ("connect", "soft", "blocked"),
            ("rcpt_to", "hard", "user_unknown"),
            ("mail_from", "soft", "rejected"),
        ]
    );
    assert_eq!(found[0]["evidence"], "reply to MAIL FROM");
}

#[test]
fn sendmails_own_refusal_of_a_recipient_is_read_by_its_address() {
    // The receiving side: Sendmail logs the address it turned away and its words, no code.
    let input = "\
Dec  7 10:00:21 mail sm-mta[1234]: 4B7A0000005: <nobody@example.com>... User unknown
Dec  7 10:00:22 mail sendmail[1234]: 4B7A0000006: <joe@example.net>... Relaying denied. Proper authentication required.
Dec  7 10:00:23 mail sendmail[1234]: 4B7A0000007: <ann@example.org>... Deferred: Connection refused by mx.example.org.
Dec  7 10:00:24 mail sendmail[1234]: 4B7A0000008: <bob@example.com>... Connecting to mx.example.com. via esmtp...
Dec  7 10:00:25 mail amavis[99]: (12345-01) <bob@example.com>... User unknown
";
    let (found, code) = records(input, &["--all"]);
    assert_eq!(code, 0);
    assert_eq!(found.len(), 5);
    check(
        &found[0],
        "sendmail",
        (None, None),
        ("permanent", Some("hard"), "user_unknown"),
        Some("nobody@example.com"),
    );
    assert_eq!(found[0]["queue_id"], "4B7A0000005");
    assert_eq!(found[0]["command"], "rcpt_to");
    check(
        &found[1],
        "sendmail",
        (None, None),
        ("permanent", Some("soft"), "no_relaying"),
        Some("joe@example.net"),
    );
    check(
        &found[2],
        "sendmail",
        (None, None),
        ("transient", Some("soft"), "network_error"),
        Some("ann@example.org"),
    );
    assert_eq!(found[2]["host"], "mx.example.org");
    // Progress, and another program's line of the same shape, are no results.
    for record in &found[3..] {
        assert_eq!(record["result"], false, "{record}");
    }
}

#[test]
fn amavis_verdicts_are_results_only_for_blocked_messages() {
    // A passed message goes back to the MTA, which logs its delivery; a blocked one goes no
    // further. The Message-ID's address is no recipient.
    let input = "\
Dec  7 10:00:01 mx amavis[1234]: (01234-05) Passed CLEAN {RelayedInbound}, [203.0.113.5]:4567 [203.0.113.5] <ann@example.org> -> <bob@example.com>, Queue-ID: 4XyZ1n2Abc, Message-ID: <abc123@example.org>, mail_id: kX9s8d7f6g5h, Hits: -1.2, size: 3456, queued_as: 4XyZ2p3Def, 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4XyZ2p3Def, 1234 ms
Dec  7 10:00:02 mx amavisd[1234]: (01234-06) Blocked SPAM {RejectedInbound}, [203.0.113.5]:4567 [203.0.113.5] <ann@example.org> -> <bob@example.com>,<carol@example.com>, Queue-ID: 4XyZ1n2Abd, Message-ID: <abc124@example.org>, mail_id: kX9s8d7f6g5i, Hits: 12.3, size: 3456, 554 5.7.0 Reject, id=01234-06 - spam, 1234 ms
Dec  7 10:00:03 mx amavis[1234]: (01234-07) Blocked INFECTED (Eicar-Signature) {DiscardedInbound,Quarantined}, [203.0.113.5]:4567 [203.0.113.5] <ann@example.org> -> <dan@example.com>, quarantine: virus-kX9s8d7f6g5j, Queue-ID: 4XyZ1n2Abe, Message-ID: <abc125@example.org>, mail_id: kX9s8d7f6g5j, Hits: -, size: 3456, 250 2.7.0 Ok, discarded, id=01234-07 - INFECTED: Eicar-Signature, 1234 ms
Dec  7 10:00:04 mx amavis[1234]: (01234-08) Blocked BAD-HEADER {RejectedInbound}, [203.0.113.5]:4567 [203.0.113.5] <ann@example.org> -> <eve@example.com>, Queue-ID: 4XyZ1n2Abf, Message-ID: <abc126@example.org>, mail_id: kX9s8d7f6g5k, Hits: -, size: 3456, 554 5.6.0 Reject, id=01234-08 - bad header, 1234 ms
";
    let (found, code) = records(input, &["--all"]);
    assert_eq!(code, 0);
    assert_eq!(found.len(), 5);
    assert_eq!(found[0]["result"], false, "{}", found[0]);
    check(
        &found[1],
        "amavis",
        (Some(554), Some("5.7.0")),
        ("permanent", Some("soft"), "spam_detected"),
        Some("bob@example.com"),
    );
    check(
        &found[2],
        "amavis",
        (Some(554), Some("5.7.0")),
        ("permanent", Some("soft"), "spam_detected"),
        Some("carol@example.com"),
    );
    assert_eq!(found[2]["line"], 2);
    // Discarded: amavis's 250 is its taking of the message from the MTA, not a delivery.
    check(
        &found[3],
        "amavis",
        (None, None),
        ("permanent", Some("soft"), "virus_detected"),
        Some("dan@example.com"),
    );
    check(
        &found[4],
        "amavis",
        (Some(554), Some("5.6.0")),
        ("permanent", Some("soft"), "not_compliant_rfc"),
        Some("eve@example.com"),
    );
    assert_eq!(found[4]["evidence"], "amavis category \"BAD-HEADER\"");
}

#[test]
fn a_sendmail_transcript_gives_its_replies_the_host_and_the_command() {
    let input = "\
   ----- Transcript of session follows -----
... while talking to mx.example.com.:
>>> MAIL From:<ann@example.org> SIZE=1234
>>> RCPT To:<bob@example.com>
<<< 451 4.7.1 <bob@example.com>... Greylisted, try again in 5 minutes
<bob@example.com>... Deferred: 451 4.7.1 <bob@example.com>... Greylisted, try again in 5 minutes
... while talking to mx.example.net.:
>>> RCPT To:<carol@example.net>
>>> DATA
<<< 550 5.1.1 <carol@example.net>... User unknown
550 5.1.1 <carol@example.net>... User unknown
<<< 503 5.0.0 Need RCPT (recipient)
";
    let (found, code) = records(input, &[]);
    assert_eq!(code, 0);
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "sendmail",
        (Some(451), Some("4.7.1")),
        ("transient", Some("soft"), "on_hold"),
        Some("bob@example.com"),
    );
    assert_eq!(found[0]["host"], "mx.example.com");
    assert_eq!(found[0]["command"], "rcpt_to");
    assert_eq!(found[0]["retry_after"], 300);
    check(
        &found[1],
        "reply",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("carol@example.net"),
    );
    assert_eq!(found[1]["host"], "mx.example.net");
    // Pipelined: the reply under `>>> DATA` is the recipient's.
    assert_eq!(found[1]["command"], "rcpt_to");
}

#[test]
fn the_message_a_bounce_returns_gives_no_result_and_the_next_bounce_is_read() {
    // A mailbox of two bounces: the first returns a marketing mail whose footer starts with a
    // street number and whose text quotes a reply.
    let bounce = |to: &str, reply: &str| {
        format!(
            "From MAILER-DAEMON Mon Dec  7 10:00:05 2026
From: Mail Delivery System <MAILER-DAEMON@mail.example.org>
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary=\"4AB3C1D2E5.1733565605/mail.example.org\"

--4AB3C1D2E5.1733565605/mail.example.org
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org

Final-Recipient: rfc822; {to}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; {reply}

--4AB3C1D2E5.1733565605/mail.example.org
Content-Type: message/rfc822

From: news@example.org
To: {to}
Content-Type: text/plain

Our support desk answers every ticket, unlike a 550 5.1.1 User unknown.
405 River Oaks Parkway, San Jose
--4AB3C1D2E5.1733565605/mail.example.org--
"
        )
    };
    let input = bounce("bob@example.com", "550 5.1.1 User unknown")
        + &bounce("carol@example.net", "550 5.1.1 No such user");
    let lines = input.lines().count();
    let (found, code) = records(input.as_str(), &["--all"]);
    assert_eq!(code, 0);
    assert_eq!(found.len(), lines);
    let results: Vec<&str> = found
        .iter()
        .filter(|r| r["result"] == true)
        .map(|r| r["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["bob@example.com", "carol@example.net"]);
}

#[test]
fn the_message_a_plain_bounce_copies_gives_no_result() {
    // Exim, qmail and Sendmail bounces that are not MIME copy the message after a line of
    // their own; a mailbox `From ` line, or a `Return-Path:` after the copy's header, starts
    // the next message.
    let input = "\
From MAILER-DAEMON Mon Dec  7 10:00:00 2026
Subject: Mail delivery failed: returning message to sender

  jane@example.org
    host mx.example.org [192.0.2.7]
    SMTP error from remote mail server after RCPT TO:<jane@example.org>:
    550 5.1.1 <jane@example.org>: Recipient address rejected: User unknown

------ This is a copy of the message, including all the headers. ------

Return-path: <news@example.net>
Subject: Our newsletter

> 550 5.7.1 quoted from an earlier reply
250 free credits when you sign up!
405 River Oaks Parkway

From MAILER-DAEMON Mon Dec  7 10:05:00 2026
Subject: failure notice

<bob@example.com>:
192.0.2.9 does not like recipient.
Remote host said: 550 5.1.1 <bob@example.com>... User unknown
Giving up on 192.0.2.9.

--- Below this line is a copy of the message.

Return-Path: <news@example.net>
Subject: hello

421 Main Street, Suite 5
Return-Path: <MAILER-DAEMON@mail.example.com>
Subject: Returned mail: see transcript for details

   ----- The following addresses had permanent fatal errors -----
<carol@example.com>
    (reason: 550 5.2.1 Mailbox disabled)

   ----- Transcript of session follows -----
... while talking to mx.example.com.:
>>> RCPT To:<carol@example.com>
<<< 550 5.2.1 Mailbox disabled
550 5.2.1 <carol@example.com>... Mailbox disabled

   ----- Original message follows -----

Return-Path: <news@example.net>
Subject: sale

554 ways to save
";
    let lines = input.lines().count();
    let (found, code) = records(input, &["--all"]);
    assert_eq!(code, 0);
    assert_eq!(found.len(), lines);
    let results: Vec<(&str, &str)> = found
        .iter()
        .filter(|r| r["result"] == true)
        .map(|r| {
            (
                r["recipient"].as_str().unwrap_or("-"),
                r["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            ("jane@example.org", "user_unknown"),
            ("bob@example.com", "user_unknown"),
            ("carol@example.com", "mailbox_disabled"),
        ]
    );
}

#[test]
fn courier_attempts_give_one_result_each() {
    // A reply with a code is the result and the status after it none; words without a code are
    // the result of the status after them; deliveries interleave.
    let input = "\
Dec  7 10:00:01 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001234,from=<ann@example.org>,addr=<bob@example.com>: 550 5.1.1 <bob@example.com>... User unknown
Dec  7 10:00:01 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001235,from=<ann@example.org>,addr=<fay@example.org>: Connection refused
Dec  7 10:00:01 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001234,from=<ann@example.org>,addr=<bob@example.com>,status: failure
Dec  7 10:00:02 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001235,from=<ann@example.org>,addr=<fay@example.org>,status: deferred
Dec  7 10:00:03 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001236,from=<ann@example.org>,addr=<dan@example.com>,size=2345,success: delivered: mx.example.com [192.0.2.1]
Dec  7 10:00:04 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001239,from=<>,addr=<gil@gmail.com>: 550-5.1.1 The email account that you tried to reach does not exist. Please try
Dec  7 10:00:04 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001239,from=<>,addr=<gil@gmail.com>: 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser d2e1a72fcca58-7a1b2c3d4e5si123456b3a.200 - gsmtp
Dec  7 10:00:04 mx courieresmtp: id=0001A2B3.5F3A2B1C.00001239,from=<>,addr=<gil@gmail.com>,status: failure
Dec  7 10:00:05 mx sendmail[1]: 4B7A0000005: to=<hal@example.com>, ctladdr=<ann@example.org> (1000/1000), delay=00:00:01, mailer=esmtp, relay=mx.example.com. [192.0.2.1], dsn=2.0.0, stat=Sent (Ok)
";
    let (found, code) = records(input, &["--all"]);
    assert_eq!(code, 0);
    assert_eq!(found.len(), 9);
    let results: Vec<usize> = (0..found.len())
        .filter(|&i| found[i]["result"] == true)
        .collect();
    assert_eq!(results, [0, 3, 4, 6, 8]);
    check(
        &found[0],
        "courier",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    assert_eq!(found[0]["queue_id"], "0001A2B3.5F3A2B1C.00001234");
    check(
        &found[3],
        "courier",
        (None, None),
        ("transient", Some("soft"), "network_error"),
        Some("fay@example.org"),
    );
    assert_eq!(found[3]["text"], "Connection refused");
    check(
        &found[4],
        "courier",
        (None, None),
        ("success", None, "delivered"),
        Some("dan@example.com"),
    );
    assert_eq!(found[4]["host"], "mx.example.com");
    check(
        &found[6],
        "courier",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("gil@gmail.com"),
    );
    assert_eq!(found[6]["provider"], "google");
    // Sendmail's `ctladdr=<` is no Courier field.
    assert_eq!(found[8]["format"], "sendmail");
}

#[test]
fn a_sendmail_line_for_several_recipients_gives_a_record_for_each() {
    // Sendmail logs one line for the recipients one delivery served; a host that does not exist
    // kills every address on it, which a suppression list must see one by one.
    let input = "Nov 23 10:00:01 mail sendmail[1234]: 2ANA01xZ012345: \
                 to=<carl@example.com>,<dana@example.com>,eve@example.net, delay=00:00:01, \
                 xdelay=00:00:01, mailer=esmtp, pri=120000, relay=mx.example.com. [192.0.2.1], \
                 dsn=5.1.2, stat=Host unknown (Name server: mx.example.com: host not found)\n\
                 Nov 23 10:00:02 mail sendmail[1234]: 2ANA01xZ012346: to=<fay@example.org>, \
                 delay=00:00:01, mailer=esmtp, relay=mx.example.org. [192.0.2.2], dsn=2.0.0, stat=Sent (ok)\n";
    let (found, code) = records(input, &["--all"]);
    assert_eq!(code, 0);
    let rows: Vec<(u64, &str, &str, &str)> = found
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["recipient"].as_str().unwrap(),
                r["domain"].as_str().unwrap(),
                r["reason"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            (1, "carl@example.com", "example.com", "host_unknown"),
            (1, "dana@example.com", "example.com", "host_unknown"),
            (1, "eve@example.net", "example.net", "host_unknown"),
            (2, "fay@example.org", "example.org", "delivered"),
        ]
    );
    for record in &found[..3] {
        assert_eq!(record["bounce"], "hard", "{record}");
        assert_eq!(record["queue_id"], "2ANA01xZ012345", "{record}");
        assert_eq!(record["host"], "mx.example.com", "{record}");
    }
    let summary = smtpcode()
        .arg("--summary")
        .write_stdin(input)
        .output()
        .unwrap();
    let summary = String::from_utf8(summary.stdout).unwrap();
    assert!(summary.starts_with("4 results from 2 lines"), "{summary}");
}

#[test]
fn sendmail_and_opensmtpd_results_are_read() {
    let (found, _) = records(
        "Nov 23 10:00:01 mail sendmail[1234]: 2ANA01xZ012345: to=<carl@example.com>, delay=00:00:01, \
         xdelay=00:00:01, mailer=esmtp, pri=120000, relay=mx.example.com. [192.0.2.1], dsn=5.1.1, stat=User unknown\n\
         Nov 23 10:00:02 mail sm-mta[99]: 2ANA02xZ012346: to=dora@example.org, delay=00:05:00, mailer=esmtp, \
         relay=mx.example.org. [192.0.2.2], dsn=4.7.0, stat=Deferred: 421 4.7.0 Try again later\n\
         Nov 23 10:00:03 mail smtpd[55]: 1a2b3c4d5e6f7a8b mta delivery evpid=1a2b3c4d5e6f7a8b from=<web@example.org> \
         to=<eve@example.net> rcpt=<-> source=\"192.0.2.9\" relay=\"192.0.2.3 (mx.example.net)\" delay=2s \
         result=\"PermFail\" stat=\"552 5.2.2 <eve@example.net>: Mailbox is full\"\n\
         Nov 23 10:00:04 mail sm-mta[99]: 2ANA03xZ012347: ruleset=check_rcpt, arg1=<fay@example.com>, \
         relay=client.example.net [198.51.100.2], reject=550 5.7.1 <fay@example.com>... Relaying denied\n",
        &[],
    );
    assert_eq!(found.len(), 4);
    check(
        &found[0],
        "sendmail",
        (None, Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("carl@example.com"),
    );
    assert_eq!(found[0]["host"], "mx.example.com");
    check(
        &found[1],
        "sendmail",
        (Some(421), Some("4.7.0")),
        ("transient", Some("soft"), "policy_violation"),
        Some("dora@example.org"),
    );
    check(
        &found[2],
        "sendmail",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("eve@example.net"),
    );
    assert_eq!(
        found[2]["host"], "mx.example.net",
        "the name after the address"
    );
    check(
        &found[3],
        "sendmail",
        (Some(550), Some("5.7.1")),
        ("permanent", Some("soft"), "no_relaying"),
        Some("fay@example.com"),
    );
    assert_eq!(found[3]["command"], "rcpt_to");
}

#[test]
fn sendmails_deferrals_for_dns_and_a_down_host_are_the_network() {
    let line = |n: u32, stat: &str| {
        format!(
            "Nov 24 10:00:18 mx sendmail[1234]: 5AOA01x10012{n}: to=<pat@example.com>, \
             delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, \
             relay=mx.example.com. [192.0.2.10], dsn=4.0.0, stat={stat}\n"
        )
    };
    let input = line(50, "Deferred: Name server timeout")
        + &line(51, "Deferred: Host mx.example.com. is down")
        + &line(
            52,
            "Deferred: Name server: example.com.: host name lookup failure",
        );
    let (found, _) = records(input.as_str(), &[]);
    assert_eq!(found.len(), 3);
    for record in &found {
        check(
            record,
            "sendmail",
            (None, Some("4.0.0")),
            ("transient", Some("soft"), "network_error"),
            Some("pat@example.com"),
        );
    }
    // Its queue timeout, in its words: the message expired.
    let r = one(&line(53, "Cannot send message for 5 days"));
    assert_eq!(r["reason"], "expired");
}

#[test]
fn opensmtpds_own_words_without_a_code_are_classified() {
    let line = |result: &str, stat: &str| {
        format!(
            "Nov 23 10:00:03 mail smtpd[55]: 1a2b3c4d5e6f7a8b mta delivery evpid=1a2b3c4d5e6f7a8b \
             from=<web@example.org> to=<eve@example.net> rcpt=<-> source=\"192.0.2.9\" \
             relay=\"192.0.2.3 (mx.example.net)\" delay=2s result=\"{result}\" stat=\"{stat}\"\n"
        )
    };
    let input = [
        line("TempFail", "Network error on destination MXs"),
        line("PermFail", "No MX found for domain"),
        line("PermFail", "Loop detected"),
    ]
    .concat();
    let (found, _) = records(input, &[]);
    assert_eq!(found.len(), 3);
    let expected = [
        ("transient", "soft", "network_error"),
        ("permanent", "hard", "host_unknown"),
        ("permanent", "soft", "system_error"),
    ];
    for (record, (outcome, bounce, reason)) in found.iter().zip(expected) {
        check(
            record,
            "sendmail",
            (None, None),
            (outcome, Some(bounce), reason),
            Some("eve@example.net"),
        );
    }
}

#[test]
fn a_dsn_group_with_folded_lines_is_one_result_on_its_last_line() {
    let bounce = "\
Reporting-MTA: dns; mx1.example.com
X-Postfix-Queue-ID: 4F9D21A2B3
Arrival-Date: Mon, 23 Nov 2026 10:00:00 +0000

Final-Recipient: rfc822; bob@example.com
Original-Recipient: rfc822;bob@example.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; gmail-smtp-in.l.google.com
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
    not exist. Please try 550-5.1.1 double-checking the recipient's email
    address for typos.

Original-Recipient: rfc822;ann@example.org
Final-Recipient: rfc822; ann@example.org
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full
";
    let (all, _) = records(bounce, &["--all"]);
    assert_eq!(all.len(), bounce.lines().count());
    let results: Vec<&Value> = all.iter().filter(|r| r["result"] == true).collect();
    assert_eq!(results.len(), 2);
    check(
        results[0],
        "dsn",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    assert_eq!(results[0]["line"], 12);
    assert_eq!(results[0]["first_line"], 5);
    assert_eq!(results[0]["queue_id"], "4F9D21A2B3");
    assert_eq!(results[0]["host"], "gmail-smtp-in.l.google.com");
    assert!(results[0]["text"]
        .as_str()
        .unwrap()
        .ends_with("address for typos."));
    check(
        results[1],
        "dsn",
        (Some(452), Some("4.2.2")),
        ("transient", Some("soft"), "mailbox_full"),
        Some("ann@example.org"),
    );
    assert_eq!(
        results[1]["line"], 18,
        "the last group ends at the end of the input"
    );
    assert_eq!(all[5]["format"], "dsn", "lines of a group point to it");
    assert_eq!(all[5]["result"], false);
}

#[test]
fn exims_dsn_groups_start_with_their_action() {
    let bounce = "\
Reporting-MTA: dns; mail.example.org

Action: failed
Final-Recipient: rfc822;bob@example.net
Status: 5.0.0
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown
Action: delayed
Final-Recipient: rfc822;carol@example.net
Status: 4.0.0
Remote-MTA: dns; mx.example.net
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full
";
    let (found, _) = records(bounce, &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "dsn",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.net"),
    );
    assert_eq!(found[0]["first_line"], 3, "the group starts at its Action");
    check(
        &found[1],
        "dsn",
        (Some(452), Some("4.2.2")),
        ("transient", Some("soft"), "mailbox_full"),
        Some("carol@example.net"),
    );
    assert_eq!(found[1]["first_line"], 8);
}

#[test]
fn gmails_dsn_gives_the_remotes_code_and_a_bare_host() {
    let r = one("\
Final-Recipient: rfc822; carl@gmail.com
Action: failed
Status: 5.0.0 (permanent failure)
Remote-MTA: dns; gmail-smtp-in.l.google.com. (192.0.2.7, the server for the domain gmail.com.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser a1si123 - gsmtp
Last-Attempt-Date: Thu, 23 Nov 2026 10:00:00 -0800 (PST)
");
    check(
        &r,
        "dsn",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("carl@gmail.com"),
    );
    assert_eq!(r["host"], "gmail-smtp-in.l.google.com");
    assert_eq!(r["provider"], "google");
}

#[test]
fn microsoft_365s_reported_error_is_read_after_a_space_or_a_tab() {
    for gap in [" ", "\t"] {
        let r = one(&format!(
            "Reported error:{gap}550 5.7.708 Service unavailable. Access denied, traffic not \
             accepted from this IP. For more information please go to \
             http://go.microsoft.com/fwlink/?LinkId=526653 AS(7708)\n"
        ));
        check(
            &r,
            "exchange",
            (Some(550), Some("5.7.708")),
            ("permanent", Some("soft"), "bad_reputation"),
            None,
        );
        assert_eq!(r["provider"], "microsoft");
    }
}

#[test]
fn mail_libraries_errors_give_replies_without_enhanced_codes() {
    // Many servers send no enhanced code; a library's words say the number is a reply.
    let log = "\
smtplib.SMTPRecipientsRefused: {'bob@example.com': (550, b'Requested action not taken: mailbox unavailable')}
Net::SMTPFatalError: 550 Requested action not taken: mailbox unavailable
Error: Can't send mail - all recipients were rejected: 550 <carol@example.org>: No such user
2026-12-06 15:30:00 SMTP ERROR: RCPT TO command failed: 452 Mailbox full, try again later
org.eclipse.angus.mail.smtp.SMTPAddressFailedException: 550 Unrouteable address
Error: Mail command failed: 553 Sorry, that domain isn't in my list of allowed rcpthosts.
worker.go:88: send failed: 450 Requested mail action not taken: mailbox busy
authentication failed: 535 nope
";
    let (all, status) = records(log, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), 8, "{all:?}");
    check(
        &all[0],
        "quoted",
        (Some(550), None),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    check(
        &all[1],
        "quoted",
        (Some(550), None),
        ("permanent", Some("hard"), "user_unknown"),
        None,
    );
    check(
        &all[2],
        "quoted",
        (Some(550), None),
        ("permanent", Some("hard"), "user_unknown"),
        Some("carol@example.org"),
    );
    check(
        &all[3],
        "quoted",
        (Some(452), None),
        ("transient", Some("soft"), "mailbox_full"),
        None,
    );
    assert_eq!(all[3]["command"], "rcpt_to");
    assert_eq!(all[4]["reply_code"], 550);
    assert_eq!(all[4]["text"], "Unrouteable address");
    check(
        &all[5],
        "quoted",
        (Some(553), None),
        ("permanent", Some("soft"), "no_relaying"),
        None,
    );
    // Without a library's words, a number is no reply unless an enhanced code follows it.
    assert_eq!(all[6]["result"], false);
    assert_eq!(all[7]["result"], false);
}

#[test]
fn phpmailers_refused_recipients_are_read_from_the_replys_words() {
    // PHPMailer strips the codes from the reply it quotes after each refused address.
    let log = "\
2026-12-07 10:00:07 SMTP Error: The following recipients failed: bob@example.com: <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table
PHP Warning: SMTP Error: The following recipients failed: ann@example.org: Mailbox quota exceeded
SMTP Error: The following recipients failed: carl@example.net: 550 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org
The following recipients failed: see the list below
";
    let (all, status) = records(log, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), 4, "{all:?}");
    check(
        &all[0],
        "quoted",
        (None, None),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    assert_eq!(
        all[0]["text"],
        "<bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table"
    );
    check(
        &all[1],
        "quoted",
        (None, None),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("ann@example.org"),
    );
    // A version that keeps the codes gives them.
    check(
        &all[2],
        "quoted",
        (Some(550), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        Some("carl@example.net"),
    );
    assert_eq!(all[2]["blocklist"], "zen.spamhaus.org");
    assert_eq!(all[3]["result"], false);
}

#[test]
fn replies_quoted_in_application_and_library_logs_are_read() {
    let log = "\
smtplib.SMTPRecipientsRefused: {'bob@example.com': (550, b'5.1.1 <bob@example.com>: Recipient address rejected: User unknown in virtual mailbox table')}
smtplib.SMTPDataError: (554, b\"5.7.1 Messages from 192.0.2.9 weren't sent: listed at zen.spamhaus.org\")
2026-11-23 10:00:00 SMTP ERROR: RCPT TO command failed: 452 4.2.2 <carol@example.org>: Mailbox full
com.sun.mail.smtp.SMTPAddressFailedException: 550 5.1.1 <dave@example.net>... User unknown
[2026-11-23 10:00:01] production.ERROR: Expected response code 250 but got code \"421\", with message \"421 4.7.0 [TSS04] Messages from 192.0.2.9 temporarily deferred\\r\\n\"
<** 550 5.7.26 This mail has been blocked because the sender is unauthenticated. gsmtp
Nov 23 10:00:02 app worker[7]: took 550 ms for 5 recipients, version 2.4.1
2026-11-23 10:00:03 ERROR System.Net.Mail.SmtpFailedRecipientException: Mailbox unavailable. The server response was: 5.1.1 <gil@example.com>: Recipient address rejected: User unknown
";
    let (found, status) = records(log, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 7, "{found:?}");
    check(
        &found[0],
        "quoted",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    assert_eq!(found[0]["command"], "rcpt_to");
    check(
        &found[1],
        "quoted",
        (Some(554), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        None,
    );
    assert_eq!(found[1]["blocklist"], "zen.spamhaus.org");
    assert_eq!(
        found[1]["text"],
        "Messages from 192.0.2.9 weren't sent: listed at zen.spamhaus.org"
    );
    check(
        &found[2],
        "quoted",
        (Some(452), Some("4.2.2")),
        ("transient", Some("soft"), "mailbox_full"),
        Some("carol@example.org"),
    );
    assert_eq!(found[2]["timestamp"], "2026-11-23 10:00:00");
    check(
        &found[3],
        "quoted",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("dave@example.net"),
    );
    check(
        &found[4],
        "quoted",
        (Some(421), Some("4.7.0")),
        ("transient", Some("soft"), "bad_reputation"),
        None,
    );
    assert_eq!(found[4]["provider"], "yahoo");
    assert_eq!(
        found[4]["text"],
        "[TSS04] Messages from 192.0.2.9 temporarily deferred"
    );
    check(
        &found[5],
        "quoted",
        (Some(550), Some("5.7.26")),
        ("permanent", Some("soft"), "auth_failure"),
        None,
    );
    assert_eq!(found[5]["provider"], "google");
    // .NET drops the reply code and keeps the enhanced one.
    check(
        &found[6],
        "quoted",
        (None, Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("gil@example.com"),
    );
    assert_eq!(found[6]["command"], "rcpt_to");
    assert_eq!(found[6]["timestamp"], "2026-11-23 10:00:03");
    let (all, _) = records(log, &["--all"]);
    assert_eq!(all.len(), log.lines().count());
    assert_eq!(
        all[6]["result"], false,
        "a number and a version are no reply"
    );
}

#[test]
fn exchange_reports_take_the_recipient_from_the_line_before() {
    let (found, _) = records(
        "Delivery has failed to these recipients or groups:\n\
         \n\
         eve@contoso.com\n\
         Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n\
         fred@fabrikam.com\n\
         #550 5.1.1 RESOLVER.ADR.ExRecipNotFound; not found ##\n",
        &[],
    );
    assert_eq!(found.len(), 2);
    check(
        &found[0],
        "exchange",
        (Some(550), Some("5.1.10")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("eve@contoso.com"),
    );
    check(
        &found[1],
        "reply",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("fred@fabrikam.com"),
    );
}

#[test]
fn a_microsoft_365_report_as_outlook_renders_it_gives_the_bare_address() {
    let (found, _) = records(
        "Delivery has failed to these recipients or groups:\n\
         \n\
         bob@contoso.com<mailto:bob@contoso.com>\n\
         The email address you entered couldn't be found.\n\
         \n\
         Diagnostic information for administrators:\n\
         \n\
         Generating server: BN8PR12MB1234.namprd12.prod.outlook.com\n\
         \n\
         bob@contoso.com<mailto:bob@contoso.com>\n\
         Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n",
        &[],
    );
    assert_eq!(found.len(), 1);
    check(
        &found[0],
        "exchange",
        (Some(550), Some("5.1.10")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@contoso.com"),
    );
    assert_eq!(found[0]["domain"], "contoso.com");
}

#[test]
fn a_report_for_people_gives_the_recipient_its_sentence_names() {
    // Gmail's bounce without a DSN part: the recipient only in a sentence above the reply.
    let (found, _) = records(
        "** Address not found **\n\
         \n\
         Your message wasn't delivered to bob@example.com because the address couldn't be found, or is unable to receive mail.\n\
         \n\
         Learn more here: https://support.google.com/mail/?p=NoSuchUser\n\
         \n\
         The response from the remote server was:\n\
         550 5.1.1 Recipient rejected\n\
         ** Message not delivered **\n\
         \n\
         There was a temporary problem delivering your message to ann@example.org. Gmail will retry for 46 more hours.\n\
         \n\
         The response was:\n\
         451 4.7.1 Greylisted, please try again later\n",
        &[],
    );
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "reply",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    check(
        &found[1],
        "reply",
        (Some(451), Some("4.7.1")),
        ("transient", Some("soft"), "on_hold"),
        Some("ann@example.org"),
    );
}

#[test]
fn gmails_own_refusal_without_a_code_is_read_under_its_sentence() {
    // For a Gmail recipient, Gmail's bounce quotes its own words without a code; the sentence
    // above says whether the message failed or waits.
    let bounce = "\
** Address not found **

Your message wasn't delivered to carol@gmail.com because the address couldn't be found, or is unable to receive mail.

Learn more here: https://support.google.com/mail/?p=NoSuchUser

The response was:

The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. For more information, go to https://support.google.com/mail/?p=NoSuchUser
** Message not delivered **

There was a temporary problem delivering your message to dave@gmail.com. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.

The response was:

The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp
";
    let (all, status) = records(bounce, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), bounce.lines().count(), "one record a line");
    let found: Vec<&Value> = all.iter().filter(|r| r["result"] == true).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        found[0],
        "reply",
        (None, None),
        ("permanent", Some("hard"), "user_unknown"),
        Some("carol@gmail.com"),
    );
    assert_eq!(found[0]["line"], 9);
    check(
        found[1],
        "reply",
        (None, None),
        ("transient", Some("soft"), "mailbox_full"),
        Some("dave@gmail.com"),
    );
    // Words after such a lead but under no sentence are not taken for a reply.
    let (found, _) = records("The response was:\nthanks, see you soon\n", &[]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn the_last_error_of_a_microsoft_365_message_trace_is_read() {
    // Get-MessageTraceDetail | Format-List: the delivery's last error (LED) and the remote host
    // (FQDN) in braces.
    let trace = "\
Date             : 11/23/2026 10:00:00 AM
Event            : Fail
Detail           : Reason: [{LED=550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup};{MSG=};{FQDN=};{IP=};{LRT=}]. OutboundProxyTargetIP: . OutboundProxyTargetHostName: .
Date             : 11/23/2026 10:05:00 AM
Event            : Defer
Detail           : Reason: [{LED=451 4.4.0 Primary target IP address responded with: \"421 4.7.0 Try again later, closing connection.\" Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts.};{MSG=};{FQDN=mx.fabrikam.com};{IP=192.0.2.7};{LRT=11/23/2026 10:04:00 AM}]
";
    let (found, status) = records(trace, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "exchange",
        (Some(550), Some("5.1.10")),
        ("permanent", Some("hard"), "user_unknown"),
        None,
    );
    assert_eq!(found[0]["provider"], "microsoft");
    assert_eq!(found[1]["outcome"], "transient");
    assert_eq!(
        (&found[1]["reply_code"], &found[1]["host"]),
        (&451.into(), &"mx.fabrikam.com".into())
    );
}

#[test]
fn exchange_protocol_logs_give_each_refusal_the_recipient_it_answers() {
    // SmtpSend: the remote's replies come in (`<`) in the order of the pipelined commands (`>`).
    let log = "\
#Log-type: SMTP Send Protocol Log
#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context
2026-11-23T10:00:01.567Z,Internet,08DE2A1B3C4D5E6F,2,10.0.0.5:19045,198.51.100.7:25,<,220 mx.example.com ESMTP,
2026-11-23T10:00:01.568Z,Internet,08DE2A1B3C4D5E6F,3,10.0.0.5:19045,198.51.100.7:25,>,EHLO mail.contoso.com,
2026-11-23T10:00:01.700Z,Internet,08DE2A1B3C4D5E6F,4,10.0.0.5:19045,198.51.100.7:25,<,250-mx.example.com PIPELINING,
2026-11-23T10:00:01.700Z,Internet,08DE2A1B3C4D5E6F,5,10.0.0.5:19045,198.51.100.7:25,<,250 SIZE 10240000,
2026-11-23T10:00:01.800Z,Internet,08DE2A1B3C4D5E6F,6,10.0.0.5:19045,198.51.100.7:25,>,MAIL FROM:<alice@contoso.com> SIZE=2345,
2026-11-23T10:00:01.801Z,Internet,08DE2A1B3C4D5E6F,7,10.0.0.5:19045,198.51.100.7:25,>,RCPT TO:<bob@example.com>,
2026-11-23T10:00:01.802Z,Internet,08DE2A1B3C4D5E6F,8,10.0.0.5:19045,198.51.100.7:25,>,RCPT TO:<carl@example.com>,
2026-11-23T10:00:01.900Z,Internet,08DE2A1B3C4D5E6F,9,10.0.0.5:19045,198.51.100.7:25,<,250 2.1.0 Ok,
2026-11-23T10:00:01.901Z,Internet,08DE2A1B3C4D5E6F,10,10.0.0.5:19045,198.51.100.7:25,<,550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown,
2026-11-23T10:00:01.902Z,Internet,08DE2A1B3C4D5E6F,11,10.0.0.5:19045,198.51.100.7:25,<,\"452 4.2.2 Mailbox full, try later\",
2026-11-23T10:00:03.000Z,Internet,08DE2A1B3C4D5E70,2,10.0.0.5:19046,203.0.113.9:25,<,554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org,
2026-11-23T10:00:04.000Z,Internet,08DE2A1B3C4D5E71,9,10.0.0.5:19047,203.0.113.10:25,>,DATA,
2026-11-23T10:00:04.100Z,Internet,08DE2A1B3C4D5E71,10,10.0.0.5:19047,203.0.113.10:25,<,354 End data with <CR><LF>.<CR><LF>,
2026-11-23T10:00:04.900Z,Internet,08DE2A1B3C4D5E71,11,10.0.0.5:19047,203.0.113.10:25,<,550 5.7.1 Message rejected as spam,
";
    let (all, status) = records(log, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), log.lines().count(), "one record a line");
    let found: Vec<&Value> = all.iter().filter(|r| r["result"] == true).collect();
    assert_eq!(found.len(), 4, "{found:?}");
    check(
        found[0],
        "exchange",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    assert_eq!(
        (
            &found[0]["host"],
            &found[0]["command"],
            &found[0]["timestamp"]
        ),
        (
            &"198.51.100.7".into(),
            &"rcpt_to".into(),
            &"2026-11-23T10:00:01.901Z".into()
        )
    );
    check(
        found[1],
        "exchange",
        (Some(452), Some("4.2.2")),
        ("transient", Some("soft"), "mailbox_full"),
        Some("carl@example.com"),
    );
    assert_eq!(
        found[1]["text"], "Mailbox full, try later",
        "a quoted field"
    );
    check(
        found[2],
        "exchange",
        (Some(554), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        None,
    );
    assert_eq!(found[2]["command"], "connect", "the greeting");
    assert_eq!(
        (&found[3]["reason"], &found[3]["command"]),
        (&"spam_detected".into(), &"end_of_data".into()),
        "the reply after 354 answers the message's end"
    );
    // Another export with such a timestamp first is read as any line.
    let r = one(
        "2026-11-23T10:00:01.900Z,mx1,postfix/smtp[1]: 4B2C11A2F3: to=<bob@example.com>, \
         relay=mx.example.com[192.0.2.1]:25, dsn=5.1.1, status=bounced (host \
         mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command))",
    );
    check(
        &r,
        "postfix",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
}

#[test]
fn exchange_diagnostic_information_is_read_for_every_recipient() {
    // Exchange 2010 and later: the reply between `#` and `##`, after the remote host or the
    // recipient; Exchange 2003: the status and the reply in angle brackets.
    let (found, _) = records(
        "Diagnostic information for administrators:\n\
         \n\
         Generating server: EX01.contoso.com\n\
         \n\
         bob@fabrikam.com\n\
         mx.fabrikam.com #550 5.1.1 <bob@fabrikam.com>: Recipient address rejected: User unknown in local recipient table ##\n\
         \n\
         dan@contoso.com #554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded ##\n\
         \n\
         Original message headers:\n\
         \n\
         The following recipient(s) cannot be reached:\n\
         \n\
         \x20     erin@example.com on 11/23/2026 10:00 AM\n\
         \x20           The e-mail address you entered couldn't be found.\n\
         \x20           <ex01.contoso.com #5.1.1 smtp;550 5.1.1 User unknown>\n\
         \x20     fred@example.com on 11/23/2026 10:00 AM\n\
         \x20           Could not deliver the message in the time limit specified.\n\
         \x20           <ex01.contoso.com #4.4.7>\n\
         \n\
         gus@example.com\n\
         #< #5.1.1 smtp;550 5.1.1 User unknown> #SMTP#\n",
        &[],
    );
    assert_eq!(found.len(), 5, "{found:?}");
    // Outlook's copy of a report: no host.
    check(
        &found[4],
        "exchange",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("gus@example.com"),
    );
    check(
        &found[0],
        "exchange",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@fabrikam.com"),
    );
    assert_eq!(found[0]["host"], "mx.fabrikam.com");
    check(
        &found[1],
        "exchange",
        (Some(554), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("dan@contoso.com"),
    );
    assert_eq!(found[1]["provider"], "microsoft");
    check(
        &found[2],
        "exchange",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("erin@example.com"),
    );
    assert_eq!(found[2]["host"], "ex01.contoso.com");
    check(
        &found[3],
        "exchange",
        (None, Some("4.4.7")),
        ("transient", Some("soft"), "expired"),
        Some("fred@example.com"),
    );
}

#[test]
fn a_joined_reply_without_enhanced_codes_loses_its_line_codes() {
    // WEB.DE's two-line reply, as Postfix joins it: the second line's bare `550 ` is a line start.
    let r = one(
        "Dec  6 11:00:07 mx postfix/smtp[2207]: 5B1C22C0F7: to=<gi@web.de>, \
         relay=mx-ha03.web.de[212.227.15.17]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.0.0, \
         status=bounced (host mx-ha03.web.de[212.227.15.17] said: 550-Requested action not taken: \
         mailbox unavailable 550 invalid DNS PTR resource record, IP=192.0.2.1 (in reply to MAIL \
         FROM command))",
    );
    check(
        &r,
        "postfix",
        (Some(550), Some("5.0.0")),
        ("permanent", Some("soft"), "require_ptr"),
        Some("gi@web.de"),
    );
    assert_eq!(
        r["text"],
        "Requested action not taken: mailbox unavailable invalid DNS PTR resource record, IP=192.0.2.1"
    );
}

#[test]
fn a_multi_line_reply_is_joined() {
    let reply = "550-5.7.26 This mail has been blocked because the sender is\r\n\
                 550-5.7.26 unauthenticated. Gmail requires all senders to authenticate with\r\n\
                 550 5.7.26 either SPF or DKIM. - gsmtp\r\n";
    let (found, status) = records(reply, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 1);
    check(
        &found[0],
        "reply",
        (Some(550), Some("5.7.26")),
        ("permanent", Some("soft"), "auth_failure"),
        None,
    );
    assert_eq!(
        found[0]["text"],
        "This mail has been blocked because the sender is unauthenticated. Gmail requires all \
         senders to authenticate with either SPF or DKIM. - gsmtp"
    );
    assert_eq!(
        (found[0]["first_line"].as_u64(), found[0]["line"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        found[0]["input"], "550 5.7.26 either SPF or DKIM. - gsmtp",
        "CR is not part of the line"
    );
}

#[test]
fn a_reply_already_joined_on_one_line_loses_its_line_codes() {
    // A multi-line reply pasted from a log, one line holding all of its lines.
    let (found, _) = records(
        "554-gmx.net (mxgmx104) Nemesis ESMTP Service not available 554-No SMTP service 554 IP \
         address is block listed. For explanation visit https://postmaster.gmx.net/en/case?c=r0201\n\
         550-5.7.26 This mail has been blocked because the sender is 550-5.7.26 unauthenticated. \
         550 5.7.26 Gmail requires all senders to authenticate. - gsmtp\n",
        &[],
    );
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[0]["text"],
        "gmx.net (mxgmx104) Nemesis ESMTP Service not available No SMTP service IP address is \
         block listed. For explanation visit https://postmaster.gmx.net/en/case?c=r0201"
    );
    assert_eq!(found[0]["provider"], "gmx");
    assert_eq!(
        found[1]["text"],
        "This mail has been blocked because the sender is unauthenticated. Gmail requires all \
         senders to authenticate. - gsmtp"
    );
    assert_eq!(found[1]["reason"], "auth_failure");
}

#[test]
fn gmails_newer_unauthenticated_wording_is_an_authentication_failure() {
    // Since 2024 Gmail says so first and `has been blocked` after; a log that keeps the reply's
    // first line only must not read a blocklisting.
    let r = one(
        "550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender and \
         Gmail users, and has been blocked.",
    );
    check(
        &r,
        "reply",
        (Some(550), Some("5.7.26")),
        ("permanent", Some("soft"), "auth_failure"),
        None,
    );
}

#[test]
fn a_reply_quoting_another_servers_reply_is_read_by_its_own_code() {
    // Postfix's reject_unverified_recipient quotes what the probe was told.
    let r = one(
        "550 5.1.1 <bob@example.com>: Recipient address rejected: undeliverable address: \
         host mx2.example.com[192.0.2.6] said: 550 5.1.1 <bob@example.com>: User unknown",
    );
    check(
        &r,
        "reply",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    // A sender's domain without MX is the sender's problem, whatever the code says.
    let r = one("550 5.1.1 Recipient rejected: Sender's domain has no MX or A record");
    assert_eq!(
        (&r["reason"], &r["bounce"]),
        (&"rejected".into(), &"soft".into())
    );
}

#[test]
fn a_bounce_body_line_quoting_a_reply_is_read() {
    let r = one(
        "<bob@example.com>: host mx.example.com[192.0.2.1] said: 552 5.2.2 <bob@example.com>: \
         Recipient address rejected: Mailbox full (in reply to RCPT TO command)",
    );
    check(
        &r,
        "said",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("bob@example.com"),
    );
    assert_eq!(r["host"], "mx.example.com");
}

#[test]
fn postfix_session_replies_give_records_with_their_queue_id() {
    // Postfix logs a reply that ended the session once, before the recipients' status= lines:
    // after the greeting (`refused to talk to me`) or a later command (`said`).
    let log = "\
Nov 23 10:00:01 mx1 postfix/smtp[1234]: 4B2C11A2F3: host mx1.example.net[198.51.100.7] refused to talk to me: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org
Nov 23 10:00:02 mx1 postfix-out/smtp[1235]: 5C3D22B3A4: host mx2.example.net[198.51.100.8] said: 421 4.7.0 Try again later, closing connection. (in reply to MAIL FROM command)
Nov 23 10:00:03 mx1 postfix/smtp[1236]: 6D4E33C4B5: lost connection with mx3.example.net[198.51.100.9] while receiving the initial server greeting
";
    let (found, status) = records(log, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "said",
        (Some(554), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        None,
    );
    assert_eq!(
        (
            &found[0]["queue_id"],
            &found[0]["host"],
            &found[0]["command"]
        ),
        (
            &"4B2C11A2F3".into(),
            &"mx1.example.net".into(),
            &"connect".into()
        )
    );
    assert_eq!(found[0]["blocklist"], "zen.spamhaus.org");
    assert_eq!(
        (
            &found[1]["queue_id"],
            &found[1]["command"],
            &found[1]["outcome"]
        ),
        (
            &"5C3D22B3A4".into(),
            &"mail_from".into(),
            &"transient".into()
        )
    );
    // In a bounce, the same words follow the recipient.
    let r = one(
        "<bob@example.net>: host mx1.example.net[198.51.100.7] refused to talk to me: 421 \
         mx1.example.net Service not available - too busy",
    );
    check(
        &r,
        "said",
        (Some(421), None),
        ("transient", Some("soft"), "system_error"),
        Some("bob@example.net"),
    );
}

#[test]
fn a_bounce_body_paragraph_wrapped_by_postfix_is_read_whole() {
    // Postfix wraps a bounce's paragraphs at some 80 columns and indents the lines that go on;
    // here the reason, and the command, are only on those lines.
    let body = "\
<ann@example.com>: host mx.example.com[192.0.2.1] said:
    554 5.7.1 Service unavailable; Client host [198.51.100.2] blocked using
    zen.spamhaus.org (in reply to RCPT TO command)

<bob@example.com> (expanded from <team@example.org>): host mx.example.com[192.0.2.1] said: 552
    5.2.2 <bob@example.com>: Recipient address rejected: Mailbox full (in reply to
    RCPT TO command)
";
    let (all, status) = records(body, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), body.lines().count(), "one record a line");
    let found: Vec<&Value> = all.iter().filter(|r| r["result"] == true).collect();
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        found[0],
        "said",
        (Some(554), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        Some("ann@example.com"),
    );
    assert_eq!(found[0]["blocklist"], "zen.spamhaus.org");
    assert_eq!(found[0]["command"], "rcpt_to");
    assert_eq!(
        (found[0]["first_line"].as_u64(), found[0]["line"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        all[0]["format"], "said",
        "the paragraph's first line is a part of it"
    );
    check(
        found[1],
        "said",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("bob@example.com"),
    );
    assert_eq!(found[1]["line"], 7);

    let (one_line, _) = records(
        "<bob@example.com>: host mx.example.com[192.0.2.1] said: 552 5.2.2 Mailbox full\n\
         <cat@example.com>: host mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown\n",
        &[],
    );
    assert_eq!(one_line.len(), 2, "unwrapped paragraphs stay one a line");
    assert_eq!(one_line[0]["line"], 1);
    assert_eq!(one_line[1]["recipient"], "cat@example.com");

    // A long address and host name: Postfix wraps before the host name, and `said:` comes later.
    let body = "\
<john.smith@contoso.com>: host
    contoso-com.mail.protection.outlook.com[192.0.2.8] said: 550 5.4.1
    Recipient address rejected: Access denied. AS(201806281)
    [AM0PR01MB0000.eurprd01.prod.exchangelabs.com] (in reply to RCPT TO command)
";
    let r = one(body);
    check(
        &r,
        "said",
        (Some(550), Some("5.4.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("john.smith@contoso.com"),
    );
    assert_eq!(r["host"], "contoso-com.mail.protection.outlook.com");
    assert_eq!(r["provider"], "microsoft");
    assert_eq!(r["command"], "rcpt_to");
    assert_eq!(r["line"], 4);
}

#[test]
fn a_reply_that_names_its_recipient_in_its_words_gives_it() {
    let (found, _) = records(
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient bob@contoso.com not found by SMTP \
         address lookup\n\
         550 RCPT TO:<ann@example.org> User unknown\n\
         550 5.7.1 <news@example.net>: Sender address rejected: Access denied\n",
        &[],
    );
    assert_eq!(found.len(), 3);
    assert_eq!(found[0]["recipient"], "bob@contoso.com");
    assert_eq!(found[0]["domain"], "contoso.com");
    assert_eq!(found[1]["recipient"], "ann@example.org");
    assert_eq!(
        found[2]["recipient"],
        Value::Null,
        "the sender is no recipient"
    );
}

/// An Exim bounce to `rcpt`, whole: its words for people, then its delivery-status part.
fn exim_bounce(rcpt: &str, reply: &str) -> String {
    format!(
        "From MAILER-DAEMON Sun Dec  6 12:00:00 2026\n\
Subject: Mail delivery failed: returning message to sender\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=b1\n\
\n\
--b1\n\
Content-type: text/plain; charset=us-ascii\n\
\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\
\n\
  {rcpt}\n\
    host mx.example.net [192.0.2.9]\n\
    SMTP error from remote mail server after RCPT TO:<{rcpt}>:\n\
    {reply}\n\
\n\
--b1\n\
Content-type: message/delivery-status\n\
\n\
Reporting-MTA: dns; mx.example.com\n\
\n\
Action: failed\n\
Final-Recipient: rfc822;{rcpt}\n\
Status: 5.0.0\n\
Remote-MTA: dns; mx.example.net\n\
Diagnostic-Code: smtp; {reply}\n\
\n\
--b1--\n"
    )
}

#[test]
fn a_bounces_delivery_status_part_is_marked_as_repeating_its_words() {
    let mbox = [
        exim_bounce("jo@example.net", "550 5.1.1 <jo@example.net>: User unknown"),
        exim_bounce("jo@example.net", "550 5.1.1 <jo@example.net>: User unknown"),
        exim_bounce("KIM@example.net", "552 5.2.2 Mailbox full"),
    ]
    .concat();
    let (found, status) = records(mbox.as_str(), &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 6, "two records a bounce: {found:?}");
    for pair in found.chunks(2) {
        assert_eq!(pair[0]["format"], "reply");
        assert_eq!(pair[0]["repeat_of"], Value::Null);
        assert_eq!(pair[1]["format"], "dsn");
        assert_eq!(
            pair[1]["repeat_of"], pair[0]["line"],
            "each group repeats its own bounce's words"
        );
        assert_eq!(pair[0]["recipient"], pair[1]["recipient"]);
    }
    // Counted once each.
    let summary = smtpcode()
        .args(["--summary", "--json"])
        .write_stdin(mbox.clone())
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&summary.stdout).unwrap();
    assert_eq!(summary["results"], 3);
    assert_eq!(summary["repeats"], 3);
    assert_eq!(summary["bounce"]["hard"], 2);
    let text = smtpcode()
        .arg("--summary")
        .write_stdin(exim_bounce("jo@example.net", "550 5.1.1 User unknown"))
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with(
            "1 result from 27 lines (and 1 told again in the same bounce, not counted)"
        ),
        "{text}"
    );
    let rows = smtpcode().write_stdin(mbox).output().unwrap();
    let rows = String::from_utf8(rows.stdout).unwrap();
    assert_eq!(
        rows.matches("repeats line ").count(),
        3,
        "rows say which line they repeat:\n{rows}"
    );
    // A group for a recipient the words did not name, or for a success, repeats nothing.
    let body = "\
  ann@example.net
    host mx.example.net [192.0.2.9]
    SMTP error from remote mail server after RCPT TO:<ann@example.net>:
    452 4.2.2 Mailbox full

Final-Recipient: rfc822;ann@example.net
Action: relayed
Status: 2.0.0

Final-Recipient: rfc822;bob@example.net
Action: failed
Status: 5.1.1
";
    let (found, _) = records(body, &[]);
    assert_eq!(found.len(), 3, "{found:?}");
    assert!(found.iter().all(|r| r["repeat_of"].is_null()), "{found:?}");
}

/// Microsoft 365's bounce, its words for people quoted-printable as it sends them.
const QUOTED_PRINTABLE_NDR: &str = "\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"_000_\"

--_000_
Content-Type: text/plain; charset=\"us-ascii\"
Content-Transfer-Encoding: quoted-printable

Your message to bob@example.com couldn=E2=80=99t be delivered.

Diagnostic information for administrators:

Generating server: DM6PR01MB1234.prod.exchangelabs.com

bob@example.com
Remote Server returned '550 5.7.1 Service unavailable, Client host [192.0.2=
.1] blocked using Spamhaus. To request removal from this list see https://w=
ww.spamhaus.org/query/ip/192.0.2.1 (AS3130)'

--_000_
Content-Type: message/delivery-status

Final-Recipient: rfc822;bob@example.com
Action: failed
Status: 5.7.1
Diagnostic-Code: smtp;550 5.7.1 Service unavailable, Client host [192.0.2.1]
 blocked using Spamhaus. To request removal from this list see
 https://www.spamhaus.org/query/ip/192.0.2.1 (AS3130)
Remote-MTA: dns;mx.example.com
Received-From-MTA: dns;a=3Db

--_000_--
";

#[test]
fn a_quoted_printable_part_is_read_decoded_with_its_broken_lines_joined() {
    let (found, status) = records(QUOTED_PRINTABLE_NDR, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 2, "{found:?}");
    // The reply broken over three lines is whole: its blocklist decides the reason.
    let words = &found[0];
    assert_eq!(words["format"], "exchange");
    assert_eq!(
        (words["first_line"].as_u64(), words["line"].as_u64()),
        (Some(14), Some(16))
    );
    assert_eq!(words["recipient"], "bob@example.com");
    assert_eq!(words["reason"], "blocked");
    assert_eq!(words["blocklist"], "spamhaus.org");
    assert_eq!(
        words["text"],
        "Service unavailable, Client host [192.0.2.1] blocked using Spamhaus. To request \
         removal from this list see https://www.spamhaus.org/query/ip/192.0.2.1 (AS3130)"
    );
    assert_eq!(found[1]["repeat_of"], words["line"]);
    // Every line still has its record, in order; the delivery-status part is not decoded.
    let (all, _) = records(QUOTED_PRINTABLE_NDR, &["--all"]);
    let lines: Vec<u64> = all.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, (1..=30).collect::<Vec<_>>());
    assert_eq!(
        all[13]["input"],
        "Remote Server returned '550 5.7.1 Service unavailable, Client host [192.0.2="
    );
    assert_eq!(
        all[15]["input"],
        words["text"]
            .as_str()
            .map(|t| format!("Remote Server returned '550 5.7.1 {t}'"))
            .unwrap()
    );
    assert_eq!(
        all[6]["input"],
        "Your message to bob@example.com couldn’t be delivered."
    );
    assert_eq!(all[27]["input"], "Received-From-MTA: dns;a=3Db");
    // A soft break that ends the input ends its line.
    let (found, _) = records(
        "Content-Transfer-Encoding: quoted-printable\n\n550 5.1.1 <ann@example.org>: no such=\n user=",
        &["--all"],
    );
    assert_eq!(found.len(), 4);
    assert_eq!(found[3]["text"], "<ann@example.org>: no such user");
    assert_eq!(found[3]["reason"], "user_unknown");
}

#[test]
fn microsoft_365s_html_part_tells_the_plain_text_again() {
    let ndr = "\
Content-Type: multipart/alternative; boundary=\"_000_\"

--_000_
Content-Type: text/plain; charset=\"us-ascii\"
Content-Transfer-Encoding: quoted-printable

bob@fabrikam.com
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipien=
t not found by SMTP address lookup'

--_000_
Content-Type: text/html; charset=\"us-ascii\"
Content-Transfer-Encoding: quoted-printable

<p style=3D\"font-size:11pt\">Generating server: BN8PR12MB1234.prod.outlook.com<br>
<br>
bob@fabrikam.com<br>
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipien=
t not found by SMTP address lookup'<br>
</p>

--_000_
Content-Type: message/delivery-status

Final-Recipient: rfc822;bob@fabrikam.com
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup

--_000_--
";
    let (found, _) = records(ndr, &[]);
    assert_eq!(found.len(), 3, "{found:?}");
    let plain = &found[0]["line"];
    assert_eq!(found[0]["repeat_of"], Value::Null);
    for record in &found {
        assert_eq!(
            record["recipient"], "bob@fabrikam.com",
            "no tag in the address"
        );
        assert_eq!(record["reason"], "user_unknown");
    }
    assert_eq!(
        &found[1]["repeat_of"], plain,
        "the HTML part tells it again"
    );
    assert_eq!(&found[2]["repeat_of"], plain, "and so does the group");
    let summary = smtpcode()
        .args(["--summary", "--json"])
        .write_stdin(ndr)
        .output()
        .unwrap();
    let summary: Value = serde_json::from_slice(&summary.stdout).unwrap();
    assert_eq!(
        (summary["results"].as_u64(), summary["repeats"].as_u64()),
        (Some(1), Some(2))
    );
    // A bounce whose only words are HTML: its first result counts, the group repeats it.
    let html_only = ndr.replacen("Content-Type: text/plain", "Content-Type: text/x-other", 1);
    let html_only = html_only.replacen("bob@fabrikam.com\nRemote", "Remote", 1);
    let (found, _) = records(html_only, &[]);
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(found[1]["repeat_of"], Value::Null);
    assert_eq!(found[2]["repeat_of"], found[1]["line"]);
}

#[test]
fn a_postfix_bounce_paragraph_in_postfixs_own_words_is_read() {
    // Failures no remote reply explains: a local user, a domain that does not resolve, a host
    // that did not answer. The delivery report below repeats the first.
    let body = "\
                   The mail system

<bob@example.com>: unknown user: \"bob\"

<dave@example.org>: Host or domain name not found. Name service error for
    name=example.org type=MX: Host not found

<erin@example.net> (expanded from <team@example.org>): connect to
    mx.example.net[192.0.2.7]:25: Connection timed out

<fred@example.net>: delivery temporarily suspended: connect to
    mx.example.net[192.0.2.7]:25: Connection refused

Final-Recipient: rfc822; bob@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: X-Postfix; unknown user: \"bob\"
";
    let (all, status) = records(body, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), body.lines().count(), "one record a line");
    let found: Vec<&Value> = all.iter().filter(|r| r["result"] == true).collect();
    assert_eq!(found.len(), 5, "{found:?}");
    check(
        found[0],
        "said",
        (None, None),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
    check(
        found[1],
        "said",
        (None, None),
        ("permanent", Some("hard"), "host_unknown"),
        Some("dave@example.org"),
    );
    assert_eq!(found[1]["line"], 6, "the paragraph ends on its second line");
    check(
        found[2],
        "said",
        (None, None),
        ("permanent", Some("soft"), "network_error"),
        Some("erin@example.net"),
    );
    assert_eq!(found[2]["host"], "mx.example.net");
    check(
        found[3],
        "said",
        (None, None),
        ("transient", Some("soft"), "network_error"),
        Some("fred@example.net"),
    );
    check(
        found[4],
        "dsn",
        (None, Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.com"),
    );
}

#[test]
fn an_exim_bounce_gives_each_reply_the_recipient_host_and_command_above_it() {
    let body = "\
This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  bob@example.net
    host mx.example.net [192.0.2.5]
    SMTP error from remote mail server after RCPT TO:<bob@example.net>:
    550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table

  ann@example.org
    host aspmx.l.google.com [192.0.2.6]
    SMTP error from remote mail server after end of data:
    552-5.7.0 This message was blocked because its content presents a potential
    552-5.7.0 security issue. Please visit
    552 5.7.0 https://support.google.com/mail/?p=BlockedMessage a1si123 - gsmtp

  cat@example.com
    550 5.1.1 somewhere else entirely
";
    let (found, status) = records(body, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 3, "{found:?}");
    check(
        &found[0],
        "reply",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.net"),
    );
    assert_eq!(found[0]["host"], "mx.example.net");
    assert_eq!(found[0]["command"], "rcpt_to");
    check(
        &found[1],
        "reply",
        (Some(552), Some("5.7.0")),
        ("permanent", Some("soft"), "content_error"),
        Some("ann@example.org"),
    );
    assert_eq!(found[1]["host"], "aspmx.l.google.com");
    assert_eq!(found[1]["command"], "end_of_data");
    assert_eq!(found[1]["provider"], "google");
    assert_eq!(found[1]["first_line"], 14);
    // Nothing of the paragraphs above reaches a reply of its own.
    assert_eq!(found[2]["recipient"], "cat@example.com");
    assert_eq!(found[2]["host"], Value::Null);
    assert_eq!(found[2]["command"], Value::Null);
}

#[test]
fn an_exim_bounce_in_exims_own_words_is_read_for_each_address() {
    let body = "\
A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  carl@example.org
    Unrouteable address
  dan@example.net
    (generated from info@example.com)
  eve@example.com
    retry timeout exceeded
  fay@example.com
    SMTP error from remote mail server after RCPT TO:<fay@example.com>:
    host mx.example.com [192.0.2.5]: 550 5.1.1 <fay@example.com>... User unknown

The address to which the message has not yet been delivered is:

  gus@example.com
    Delay reason: Connection timed out
    Unrouteable address, four spaces in but not under an address
";
    let (found, status) = records(body, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 4, "{found:?}");
    check(
        &found[0],
        "exim",
        (None, None),
        ("permanent", Some("hard"), "host_unknown"),
        Some("carl@example.org"),
    );
    check(
        &found[1],
        "exim",
        (None, None),
        ("permanent", Some("soft"), "expired"),
        Some("eve@example.com"),
    );
    // Older Exim: the host and the reply on one line.
    check(
        &found[2],
        "exim",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("fay@example.com"),
    );
    assert_eq!(found[2]["host"], "mx.example.com");
    assert_eq!(found[2]["command"], "rcpt_to");
    // A delay warning's reason: the address is late, not lost.
    check(
        &found[3],
        "exim",
        (None, None),
        ("transient", Some("soft"), "network_error"),
        Some("gus@example.com"),
    );
    assert_eq!(found[3]["text"], "Connection timed out");
}

#[test]
fn a_courier_bounce_gives_the_reply_of_its_transcript_with_recipient_and_host() {
    let bounce = "\
                        UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<dan@example.com>:
    mx.example.com [192.0.2.10]:
>>> RCPT TO:<dan@example.com>
<<< 550 5.1.1 <dan@example.com>: Recipient address rejected: User unknown

<eve@example.org>:
    mx.example.org [192.0.2.11]:
>>> DATA
<<< 552 5.2.2 Mailbox full
";
    let (found, _) = records(bounce, &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "reply",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("dan@example.com"),
    );
    assert_eq!(found[0]["host"], "mx.example.com");
    check(
        &found[1],
        "reply",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("eve@example.org"),
    );
    assert_eq!(found[1]["host"], "mx.example.org");
}

#[test]
fn an_oracle_messaging_server_report_gives_each_diagnostic_its_recipient() {
    let report = "\
Your message cannot be delivered to the following recipients:

  Recipient address: dan@example.com
  Reason: Remote SMTP server has rejected address
  Diagnostic code: smtp;550 5.1.1 User unknown
  Remote system: dns;mx.example.com (TCP|192.0.2.1|12345|192.0.2.10|25) (mx.example.com ESMTP)

  Recipient address: eve@example.org
  Reason: Remote SMTP server has rejected address
  Diagnostic code: smtp;552 5.2.2 <eve@example.org>: Mailbox full
";
    let (found, _) = records(report, &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "quoted",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("dan@example.com"),
    );
    check(
        &found[1],
        "quoted",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("eve@example.org"),
    );
}

#[test]
fn a_qmail_bounce_gives_every_recipient_its_status() {
    let body = "\
Hi. This is the qmail-send program at mail.example.com.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<bob@example.net>:
192.0.2.5 does not like recipient.
Remote host said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown
Giving up on 192.0.2.5.

<ann@example.invalid>:
Sorry, I couldn't find any host named example.invalid. (#5.1.2)

<cat@example.org>:
Connected to 192.0.2.7 but sender was rejected.
Remote host said: 553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)

<dan@example.org>:
192.0.2.8 failed after I sent the message.
Remote host said: 552 5.2.2 Mailbox full

--- Below this line is a copy of the message.
";
    let (found, status) = records(body, &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 4, "{found:?}");
    check(
        &found[3],
        "said",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("dan@example.org"),
    );
    assert_eq!(found[3]["host"], "192.0.2.8");
    assert_eq!(found[3]["command"], "end_of_data");
    check(
        &found[0],
        "said",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.net"),
    );
    assert_eq!(found[0]["host"], "192.0.2.5");
    assert_eq!(found[0]["command"], "rcpt_to");
    check(
        &found[1],
        "qmail",
        (None, Some("5.1.2")),
        ("permanent", Some("hard"), "host_unknown"),
        Some("ann@example.invalid"),
    );
    check(
        &found[2],
        "said",
        (Some(553), Some("5.7.1")),
        ("permanent", Some("soft"), "no_relaying"),
        Some("cat@example.org"),
    );
    assert_eq!(found[2]["host"], "192.0.2.7");
    assert_eq!(found[2]["command"], "mail_from");

    let (all, _) = records(body, &["--all"]);
    assert_eq!(all.len(), body.lines().count());

    // The validrcptto patch refuses recipients it does not know.
    let r = one("553 sorry, this recipient is not in my validrcptto list (#5.7.1)");
    assert_eq!(
        (&r["reason"], &r["bounce"]),
        (&"user_unknown".into(), &"hard".into())
    );
}

#[test]
fn yahoos_qmail_born_bounce_gives_the_reply_under_the_address() {
    let body = "\
Sorry, we were unable to deliver your message to the following address.

<dan@yahoo.com>:
554: delivery error: dd Sorry your message to dan@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.bf1.yahoo.com

554: a number and a colon with no address above it
";
    let (found, _) = records(body, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    check(
        &found[0],
        "qmail",
        (Some(554), None),
        ("permanent", Some("hard"), "mailbox_disabled"),
        Some("dan@yahoo.com"),
    );
}

#[test]
fn log_lines_keep_their_fields_behind_any_syslog_prefix() {
    let postfix = "4F9D21A2B3: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, delay=1, \
                   dsn=5.1.1, status=bounced (host mx.example.com[192.0.2.1] said: 550 5.1.1 User \
                   unknown (in reply to RCPT TO command))";
    let input = format!(
        "<22>1 2026-11-23T10:00:01.123Z mx1 postfix/smtp 1234 - - {postfix}\n\
         2026-11-23 10:00:02 mx1 postfix/smtp[1234]: {postfix}\n\
         <22>Nov 23 10:00:03 mx1 postfix/smtp[1234]: {postfix}\n\
         [mx1] postfix/smtp[1234]: {postfix}\n\
         Nov 23 10:00:05 mx1 exim[77]: 1tABCD-000123-EF ** bob@example.com R=dnslookup \
         T=remote_smtp H=mx.example.com [192.0.2.1]: SMTP error from remote mail server after \
         RCPT TO:<bob@example.com>: 550 5.1.1 User unknown\n\
         mailserver-1  | Nov 23 10:00:06 mx1 postfix/smtp[1234]: {postfix}\n\
         /var/log/mail.log.1:1234:Nov 23 10:00:07 mx1 postfix/smtp[1234]: {postfix}\n\
         mainlog.1:2026-11-23 10:00:08 1tABCD-000124-EF ** bob@example.com R=dnslookup \
         T=remote_smtp H=mx.example.com [192.0.2.1]: SMTP error from remote mail server after \
         RCPT TO:<bob@example.com>: 550 5.1.1 User unknown\n"
    );
    let (found, status) = records(input.as_str(), &[]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 8);
    for (record, timestamp) in found.iter().zip([
        Some("2026-11-23T10:00:01.123Z"),
        Some("2026-11-23 10:00:02"),
        Some("Nov 23 10:00:03"),
        None,
        Some("Nov 23 10:00:05"),
        Some("Nov 23 10:00:06"),
        // Behind the file name and line number of `grep -Hn ... mail.log*`.
        Some("Nov 23 10:00:07"),
        Some("2026-11-23 10:00:08"),
    ]) {
        let format = if matches!(timestamp, Some("Nov 23 10:00:05" | "2026-11-23 10:00:08")) {
            "exim"
        } else {
            "postfix"
        };
        check(
            record,
            format,
            (Some(550), Some("5.1.1")),
            ("permanent", Some("hard"), "user_unknown"),
            Some("bob@example.com"),
        );
        assert_eq!(record["timestamp"].as_str(), timestamp, "{record}");
        assert!(record["queue_id"].is_string(), "{record}");
    }
}

#[test]
fn log_lines_wrapped_in_json_are_read_for_their_message() {
    let input = r#"{"__REALTIME_TIMESTAMP":"1795428001000000","SYSLOG_IDENTIFIER":"postfix/smtp","MESSAGE":"4F9D21A2B3: to=<bob@example.com>, relay=mx.example.com[192.0.2.1]:25, dsn=5.2.2, status=bounced (host mx.example.com[192.0.2.1] said: 552 5.2.2 \"Mailbox full\" (in reply to RCPT TO command))"}
{"log":"Nov 23 10:00:02 mx1 postfix/smtp[9]: 5A0E32B3C4: to=<ann@example.org>, relay=mx.example.org[192.0.2.2]:25, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n","stream":"stdout","time":"2026-11-23T10:00:02.5Z"}
{"SYSLOG_IDENTIFIER":"exim","MESSAGE":"1tABCD-000123-EF ** cat@example.net R=dnslookup T=remote_smtp H=mx.example.net [192.0.2.3]: SMTP error from remote mail server after RCPT TO:<cat@example.net>: 550 5.1.1 User unknown"}
{"SYSLOG_IDENTIFIER":"postfix/qmgr","MESSAGE":"4F9D21A2B3: removed"}
"#;
    let (all, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), 4);
    check(
        &all[0],
        "postfix",
        (Some(552), Some("5.2.2")),
        ("permanent", Some("soft"), "mailbox_full"),
        Some("bob@example.com"),
    );
    assert_eq!(
        all[0]["text"], "\"Mailbox full\"",
        "JSON escapes are undone"
    );
    assert_eq!(all[0]["queue_id"], "4F9D21A2B3");
    check(
        &all[1],
        "postfix",
        (Some(250), Some("2.0.0")),
        ("success", None, "delivered"),
        Some("ann@example.org"),
    );
    assert_eq!(
        all[1]["timestamp"], "Nov 23 10:00:02",
        "the message's own time first"
    );
    check(
        &all[2],
        "exim",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("cat@example.net"),
    );
    assert_eq!(all[3]["result"], false);
    assert_eq!(
        all[0]["input"],
        input.lines().next().unwrap(),
        "the input is the JSON line"
    );
}

#[test]
fn an_applications_json_log_gives_the_reply_of_another_field() {
    // zap, logrus and the like: the message says what happened, another field holds the reply.
    let input = r#"{"level":"error","ts":"2026-12-06T15:10:03Z","msg":"delivery failed","rcpt":"erin@example.net","error":"550 5.1.1 <erin@example.net>: Recipient address rejected: User unknown"}
{"level":"warn","msg":"send deferred","to":"fay@example.org","err":"421 4.7.0 Try again later, closing connection."}
{"level":"info","msg":"delivery failed","rcpt":"gus@example.org"}
"#;
    let (all, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(all.len(), 3);
    check(
        &all[0],
        "quoted",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("erin@example.net"),
    );
    assert_eq!(
        all[0]["text"],
        "<erin@example.net>: Recipient address rejected: User unknown"
    );
    check(
        &all[1],
        "quoted",
        (Some(421), Some("4.7.0")),
        ("transient", Some("soft"), "policy_violation"),
        Some("fay@example.org"),
    );
    assert_eq!(all[1]["text"], "Try again later, closing connection.");
    assert_eq!(all[2]["result"], false);
}

#[test]
fn log_files_named_as_arguments_are_read_as_one_input() {
    use std::io::Write as _;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("log-files");
    std::fs::create_dir_all(&dir).unwrap();
    let bounced = "Nov 23 10:00:01 mx postfix/smtp[1]: 3F2A41C0D2: to=<bob@example.com>, \
                   relay=mx.example.com[192.0.2.1]:25, dsn=5.1.1, status=bounced (host \
                   mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO \
                   command))\n";
    let log = dir.join("mail.log");
    std::fs::write(&log, format!("noise\n{bounced}")).unwrap();
    // A rotated one, compressed; and a multi-line reply that ends with the file.
    let rotated = dir.join("mail.log.2.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(format!("{bounced}550-5.7.1 first\n").as_bytes())
        .unwrap();
    std::fs::write(&rotated, gz.finish().unwrap()).unwrap();
    let output = smtpcode()
        .args(["--json", "--all"])
        .arg(&log)
        .arg(&rotated)
        .output()
        .unwrap();
    let (found, status) = parse_json_lines(output);
    assert_eq!(status, 0);
    let lines: Vec<u64> = found.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [1, 2, 3, 4]);
    assert_eq!(found[1]["recipient"], "bob@example.com");
    assert_eq!(found[2]["reason"], "user_unknown");
    assert_eq!(found[3]["reply_code"], 550);

    // A code is a code even where a file has its name; files and codes do not mix; a path that
    // names no file says so.
    std::fs::write(dir.join("550"), bounced).unwrap();
    let (found, _) = records_in(&dir, &["550"]);
    assert_eq!(found[0]["input"], "550");
    assert_eq!(found[0]["reply"]["code"], 550);
    for (args, message) in [
        (vec!["mail.log", "550"], "'550' is not a file"),
        (vec!["rotated.log"], "rotated.log: No such file"),
        (vec!["550", "rotated.log"], "rotated.log: No such file"),
        (vec!["./"], "is a directory"),
    ] {
        let output = smtpcode().current_dir(&dir).args(&args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // A path among the words of a reply typed without quotes is part of its text.
    let (found, status) = records_in(
        &dir,
        &[
            "550",
            "5.1.1",
            "see",
            "https://support.google.com/mail/?p=NoSuchUser",
        ],
    );
    assert_eq!(status, 0);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0]["text"],
        "see https://support.google.com/mail/?p=NoSuchUser"
    );
}

/// `smtpcode --json ARGS` run in `dir`.
fn records_in(dir: &std::path::Path, args: &[&str]) -> (Vec<Value>, i32) {
    parse_json_lines(
        smtpcode()
            .current_dir(dir)
            .arg("--json")
            .args(args)
            .output()
            .unwrap(),
    )
}

#[test]
fn with_all_every_line_gets_one_record_in_order() {
    let input = "Nov 23 10:00:01 mx1 postfix/qmgr[2]: 4F9D21A2B3: removed\n\
                 550 5.1.1 User unknown\n\
                 \n\
                 just words\n\
                 421-4.7.0 first\n\
                 421 4.7.0 last\n\
                 trailing line without a newline";
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 7);
    for (n, (record, line)) in found.iter().zip(input.lines()).enumerate() {
        assert_eq!(record["line"], n as u64 + 1);
        assert_eq!(record["input"], line, "input round-trips");
    }
    let results: Vec<u64> = found
        .iter()
        .filter(|r| r["result"] == true)
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(results, [2, 6]);
}

#[test]
fn rows_are_aligned_and_say_what_matters() {
    let output = smtpcode()
        .write_stdin(
            "550 5.1.1 <bob@example.com>: User unknown\n\
             421 4.7.0 Try again in 1h\n\
             354 End data with <CR><LF>.<CR><LF>\n",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows.len(), 3);
    assert!(
        rows[0].contains("550 5.1.1") && rows[0].contains("permanent") && rows[0].contains("hard")
    );
    assert!(rows[0].contains("user_unknown") && rows[0].contains("bob@example.com"));
    assert!(rows[1].contains("transient") && rows[1].contains("retry in 1 h"));
    assert_eq!(
        rows[0].find("permanent"),
        rows[1].find("transient"),
        "columns line up"
    );
    // The longest outcome runs past its column; the rest of the row lines up all the same.
    assert_eq!(
        rows[0].find("user_unknown"),
        rows[2].find("-  ").map(|at| at + 3),
        "{stdout}"
    );
}

#[test]
fn the_summary_counts_by_outcome_reason_code_and_domain() {
    let input = "550 5.1.1 <a@example.com>: User unknown\n\
                 550 5.1.1 <b@Example.com>: User unknown\n\
                 452 4.2.2 <c@example.org>: Mailbox full\n\
                 250 2.0.0 <d@example.org>: OK\n\
                 not a result\n";
    let (found, status) = records(input, &["--summary"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 1, "one object");
    let s = &found[0];
    assert_eq!(s["lines"], 5);
    assert_eq!(s["results"], 4);
    assert_eq!(s["outcome"]["permanent"], 2);
    assert_eq!(s["outcome"]["success"], 1);
    assert_eq!(s["bounce"]["hard"], 2);
    assert_eq!(s["reason"]["user_unknown"], 2);
    assert_eq!(s["code"]["550 5.1.1"], 2);
    assert_eq!(s["domain"]["example.com"], 2);
    smtpcode()
        .arg("--summary")
        .write_stdin(input)
        .assert()
        .success()
        .stdout(predicate::str::contains("4 results from 5 lines"))
        .stdout(predicate::str::contains("hard 2"))
        .stdout(predicate::str::contains("example.com 2"));
}

#[test]
fn input_without_results_exits_1_and_empty_input_prints_nothing() {
    smtpcode()
        .write_stdin("hello\nworld\n")
        .assert()
        .code(1)
        .stdout("");
    smtpcode().write_stdin("").assert().code(1).stdout("");
    let (found, status) = records("", &["--all"]);
    assert_eq!((found.len(), status), (0, 1));
    smtpcode()
        .arg("-")
        .write_stdin("421 4.7.0 later\n")
        .assert()
        .success();
}

#[test]
fn invalid_utf8_and_nuls_are_escaped_and_still_read() {
    let mut input = b"550 5.1.1 User \xff\xfe unknown\n".to_vec();
    input.extend_from_slice(b"nul\0byte line\n");
    input.extend_from_slice(b"\x80\x81\x82\n");
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 3);
    assert_eq!(found[0]["input"], "550 5.1.1 User \\xff\\xfe unknown");
    assert_eq!(found[0]["input_escaped"], true);
    assert_eq!(found[0]["reason"], "user_unknown");
    assert_eq!(found[1]["input"], "nul\u{0}byte line");
    assert_eq!(found[1]["input_escaped"], false);
    assert_eq!(found[2]["input"], "\\x80\\x81\\x82");
}

#[test]
fn a_latin1_reply_reads_in_its_own_language() {
    // A German server logging in ISO 8859-1: `ä` is the byte 0xe4, not UTF-8.
    let (found, status) = records(
        b"550 Empf\xe4nger unbekannt\n452 4.2.2 Bo\xeete aux lettres pleine\n".to_vec(),
        &[],
    );
    assert_eq!(status, 0);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["text"], "Empfänger unbekannt");
    assert_eq!(found[0]["input"], "550 Empf\\xe4nger unbekannt");
    assert_eq!(found[0]["evidence"], "phrase \"empfänger unbekannt\"");
    assert_eq!(found[1]["text"], "Boîte aux lettres pleine");
    assert_eq!(found[1]["reason"], "mailbox_full");
}

#[test]
fn a_50_mb_line_is_truncated_and_the_next_line_is_still_read() {
    let mut input = b"550 5.1.1 ".to_vec();
    input.resize(50 * 1024 * 1024, b'x');
    input.extend_from_slice(b"\n452 4.2.2 Mailbox full\n");
    let (found, status) = records(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["truncated"], true);
    assert_eq!(found[0]["reply_code"], 550);
    assert_eq!(found[0]["input"].as_str().unwrap().len(), 64 * 1024);
    assert_eq!(found[1]["truncated"], false);
    assert_eq!(found[1]["reason"], "mailbox_full");
}

#[test]
fn escape_sequences_from_the_input_never_reach_the_terminal_raw() {
    let output = smtpcode()
        .args(["--all", "--color", "always"])
        .write_stdin("550 5.1.1 \x1b]0;owned\x07 User unknown\nplain \x1b[2J line\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(!stdout.contains("\x1b]0;"), "{stdout:?}");
    assert!(!stdout.contains("\x1b[2J"), "{stdout:?}");
    assert!(stdout.contains("\\x1b]0;owned\\x07"));
    assert!(stdout.contains("\\x1b[2J"));
}

#[test]
fn records_reach_a_live_pipe_before_the_input_ends() {
    let mut child = Process::new(assert_cmd::cargo::cargo_bin("smtpcode"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut first = String::new();
        BufReader::new(stdout).read_line(&mut first).unwrap();
        sender.send(first).unwrap();
    });
    stdin.write_all(b"550 5.1.1 User unknown\n").unwrap();
    stdin.flush().unwrap();
    // stdin stays open, as under `tail -f`: the row must come anyway.
    let row = receiver.recv_timeout(Duration::from_secs(20));
    drop(stdin);
    child.wait().unwrap();
    assert!(row
        .expect("a row while the input is still open")
        .contains("user_unknown"));
}

#[test]
fn microsoft_365s_report_for_people_gives_its_recipient_to_both_of_its_replies() {
    // The report names the recipient in its first sentence, gives the codes to admins a dozen
    // lines below, then its table of the message's details and the reply it got.
    let report = "\
Your message to ned@fabrikam.com couldn't be delivered.
ned wasn't found at fabrikam.com.

Action Required
Unknown To address

How to Fix It
The address may be misspelled or may not exist. Try one or more of the following:
Retype the recipient's address, then resend the message.

More Info for Email Admins
Status code: 550 5.1.1

This error occurs because the address is incorrect or does not exist at the destination domain.

Original Message Details
Created Date:\t11/24/2026 9:00:00 AM
Sender Address:\tann@contoso.com
Recipient Address:\tned@fabrikam.com
Subject:\tHello

Error Details
Reported error:\t550 5.1.1 RESOLVER.ADR.RecipNotFound; not found
DSN generated by:\tDM6PR02MB5678.namprd02.prod.outlook.com
";
    let (found, _) = records(report, &[]);
    assert_eq!(found.len(), 2);
    for record in &found {
        assert_eq!(record["recipient"], "ned@fabrikam.com", "{record}");
        assert_eq!(record["reason"], "user_unknown");
        assert_eq!(record["bounce"], "hard");
    }
    assert_eq!(found[0]["line"], 12);
    assert_eq!(found[1]["line"], 23);
}

#[test]
fn a_reply_microsoft_365_got_from_a_named_server_gives_that_host() {
    // Microsoft 365 gives up on a message it could not hand over with 550 and a 4.4.7.
    let (found, _) = records(
        "joe@fabrikam.com\n\
         Remote Server at mx.fabrikam.com (192.0.2.1) returned '550 4.4.7 QUEUE.Expired; message expired'\n\
         \n\
         kim@fabrikam.com\n\
         Remote Server at mx.fabrikam.com (192.0.2.1) returned '400 4.4.7 Message delayed'\n",
        &[],
    );
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["recipient"], "joe@fabrikam.com");
    assert_eq!(found[0]["host"], "mx.fabrikam.com");
    assert_eq!(found[0]["reply_code"], 550);
    assert_eq!(found[0]["enhanced_code"], "4.4.7");
    assert_eq!(found[0]["outcome"], "permanent");
    assert_eq!(found[0]["reason"], "expired");
    assert_eq!(found[1]["recipient"], "kim@fabrikam.com");
    assert_eq!(found[1]["outcome"], "transient");
}

#[test]
fn a_refusal_that_starts_with_its_recipient_gives_it() {
    let (found, _) = records(
        "The response from the remote server was:\n\
         554 5.7.1 <joe@example.net>: Relay access denied\n\
         550 5.1.1 <kim@example.net>... User unknown\n\
         553 5.1.8 <news@example.org>... Domain of sender address news@example.org does not exist\n\
         550 5.4.1 [lee@contoso.com]: Recipient address rejected: Access denied. [AM2PEPF0001C70F.eurprd05.prod.outlook.com]\n\
         550 Invalid recipient: <max@example.com>\n",
        &[],
    );
    assert_eq!(found.len(), 5);
    assert_eq!(found[0]["recipient"], "joe@example.net");
    assert_eq!(found[1]["recipient"], "kim@example.net");
    assert_eq!(
        found[2]["recipient"],
        Value::Null,
        "the sender is no recipient"
    );
    assert_eq!(found[3]["recipient"], "lee@contoso.com");
    assert_eq!(found[4]["recipient"], "max@example.com");
}

#[test]
fn gmails_older_bounces_give_their_technical_details() {
    let body = "\
Delivery to the following recipient failed permanently:

     ann@example.com

Technical details of permanent failure:
DNS Error: Address resolution of example.com. failed: Domain name not found

Delivery to the following recipient has been delayed:

     dan@example.com

Message will be retried for 2 more day(s)

Technical details of temporary failure:
The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.net. 192.0.2.10: timed out]

Delivery to the following recipient failed permanently:

     cat@example.org

Technical details of permanent failure:
Google tried to deliver your message, but it was rejected by the server for the recipient domain example.org by mx.example.org. [192.0.2.11].

The error that the other server returned was:
550 5.1.1 <cat@example.org>: Recipient address rejected: User unknown in virtual alias table
";
    let (found, _) = records(body, &[]);
    assert_eq!(found.len(), 3, "one record a recipient: {found:?}");
    check(
        &found[0],
        "reply",
        (None, None),
        ("permanent", Some("hard"), "host_unknown"),
        Some("ann@example.com"),
    );
    check(
        &found[1],
        "reply",
        (None, None),
        ("transient", Some("soft"), "network_error"),
        Some("dan@example.com"),
    );
    assert_eq!(found[1]["host"], "mx.example.net");
    check(
        &found[2],
        "reply",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("cat@example.org"),
    );
    assert_eq!(found[2]["host"], "mx.example.org", "the host Google names");
    let (all, _) = records(body, &["--all"]);
    assert_eq!(all.len(), body.lines().count());
}

#[test]
fn gmails_bounces_in_its_own_words_are_classified() {
    let body = "\
** Delivery incomplete **

There was a temporary problem delivering your message to kim@example.org. Gmail will retry for 45 more hours. You'll be notified if the delivery fails permanently.

The response was:

The recipient server did not accept our requests to connect. For more information, go to https://support.google.com/mail/answer/7720 [mx.example.org. 192.0.2.9: 421-4.7.0 Try again later, closing connection.]

** Address not found **

Your message wasn't delivered to lee@gmail.com because the address couldn't be found, or is unable to receive mail.

The response was:

The email account that you tried to reach is disabled.

** Mailbox full **

Your message couldn't be delivered to max@gmail.com because the recipient's inbox is full.

The response was:

The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp

** Message blocked **

Your message to ned@example.org has been blocked. See technical details below for more information.

The response was:

Message bounced due to organizational settings.
";
    let (found, _) = records(body, &[]);
    assert_eq!(found.len(), 4);
    // A Workspace administrator's rule refused it: a policy, not the address.
    assert_eq!(found[3]["recipient"], "ned@example.org");
    assert_eq!(found[3]["outcome"], "permanent");
    assert_eq!(found[3]["reason"], "policy_violation");
    assert_eq!(found[3]["bounce"], "soft");
    assert_eq!(found[0]["recipient"], "kim@example.org");
    assert_eq!(found[0]["outcome"], "transient");
    assert_eq!(found[0]["reason"], "network_error");
    assert_eq!(
        found[0]["host"], "mx.example.org",
        "the host in Gmail's brackets"
    );
    assert_eq!(found[1]["recipient"], "lee@gmail.com");
    assert_eq!(found[1]["provider"], "google");
    assert_eq!(found[1]["reason"], "mailbox_disabled");
    assert_eq!(found[2]["recipient"], "max@gmail.com");
    assert_eq!(found[2]["provider"], "google");
    assert_eq!(found[2]["reason"], "mailbox_full");
    assert_eq!(found[2]["bounce"], "soft");
}

#[test]
fn yahoos_and_smartermails_words_give_the_recipient() {
    let (found, _) = records(
        "Failed Recipient: bob@example.com\n\
         Reason: Remote host said: 550 5.1.1 User unknown\n\
         \n\
         554 delivery error: dd This user doesn't have a yahoo.com account (ann@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com\n\
         554 delivery error: dd Sorry your message to kim@yahoo.com cannot be delivered. This mailbox is disabled (554.30). - mta1012.mail.ne1.yahoo.com\n",
        &[],
    );
    assert_eq!(found.len(), 3);
    assert_eq!(found[0]["recipient"], "bob@example.com");
    assert_eq!(found[0]["reason"], "user_unknown");
    assert_eq!(found[1]["recipient"], "ann@yahoo.com");
    assert_eq!(found[1]["provider"], "yahoo");
    assert_eq!(found[1]["bounce"], "hard");
    assert_eq!(found[2]["recipient"], "kim@yahoo.com");
    assert_eq!(found[2]["reason"], "mailbox_disabled");
}

#[test]
fn a_dsn_groups_extension_fields_neither_end_it_nor_lose_the_queue_id() {
    let report = "\
Reporting-MTA: dns; mail.example.org
X-Postfix-Queue-ID: 4Yk2Lm0Xq1z9

Final-Recipient: rfc822;kim@example.org
Action: failed
Status: 5.2.2
X-Supplementary-Info: <mailbox full>
Diagnostic-Code: smtp;552 5.2.2 Quota exceeded

Final-Recipient: rfc822;joe@example.org
Action: failed
Status: 5.1.1
X-Display-Name: Joe
";
    let (found, _) = records(report, &[]);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0]["recipient"], "kim@example.org");
    assert_eq!(found[0]["reply_code"], 552);
    assert_eq!(found[0]["reason"], "mailbox_full");
    assert_eq!(found[1]["recipient"], "joe@example.org");
    assert_eq!(found[1]["reason"], "user_unknown");
    for record in &found {
        assert_eq!(record["queue_id"], "4Yk2Lm0Xq1z9");
    }
}

#[test]
fn dominos_bounce_gives_the_reason_under_its_address() {
    let body = "\
Your message

  Subject: Quarterly report

was not delivered to:

  bob@example.com

because:

  User bob (bob@example.com) not listed in Domino Directory
";
    let (found, _) = records(body, &[]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["line"], 11);
    assert_eq!(found[0]["recipient"], "bob@example.com");
    assert_eq!(found[0]["outcome"], "permanent");
    assert_eq!(found[0]["reason"], "user_unknown");
    assert_eq!(found[0]["bounce"], "hard");
}

#[test]
fn groupwises_bounce_lists_each_address_with_its_reason() {
    let body = "\
Subject: Undeliverable Mail

The message that you sent was undeliverable to the following:
\tbob@example.com (user not found)
\tcarol@example.com (mailbox full)
\tdave@example.invalid (host not found)

Possibly truncated original message follows:

From: alice@example.org
alice@example.org (Alice)
";
    let (found, _) = records(body, &[]);
    let got: Vec<_> = found
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["recipient"].as_str().unwrap(),
                r["outcome"].as_str().unwrap(),
                r["bounce"].as_str().unwrap(),
                r["reason"].as_str().unwrap(),
            )
        })
        .collect();
    // The original message's lines below the list are no entries of it.
    assert_eq!(
        got,
        [
            (4, "bob@example.com", "permanent", "hard", "user_unknown"),
            (5, "carol@example.com", "permanent", "soft", "mailbox_full"),
            (
                6,
                "dave@example.invalid",
                "permanent",
                "hard",
                "host_unknown"
            ),
        ]
    );
    assert_eq!(found[1]["text"], "mailbox full");
}

#[test]
fn mcafees_bounce_lists_the_address_and_its_group_tells_it_again() {
    let body = "\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"--------------Boundary-00=_0\"

----------------Boundary-00=_0
Content-Type: text/plain; charset=us-ascii

--- The following addresses had delivery problems ---

<bob@example.com>   (User unknown bob@example.com)

----------------Boundary-00=_0
Content-Type: message/delivery-status

Reporting-MTA: dns; mx1.example.org

Final-Recipient: RFC822; bob@example.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.com
Diagnostic-Code: SMTP; 550 5.1.1 <bob@example.com>... User unknown

----------------Boundary-00=_0--
";
    let (found, _) = records(body, &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0]["line"], 8);
    assert_eq!(found[0]["recipient"], "bob@example.com");
    assert_eq!(found[0]["text"], "User unknown bob@example.com");
    assert_eq!(found[0]["reason"], "user_unknown");
    assert_eq!(found[0]["bounce"], "hard");
    assert_eq!(found[1]["reply_code"], 550);
    assert_eq!(found[1]["repeat_of"], 8);
    // Without its heading, such a line is nobody's result.
    let (found, _) = records("<bob@example.com>   (User unknown bob@example.com)\n", &[]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn a_bounces_reason_for_the_problem_gives_the_remote_reply_it_quotes() {
    let body = "\
The following recipient(s) could not be reached:

The reason for the problem: 5.1.0 - Unknown address error 550-'5.1.1 <fay@example.com>: Recipient address rejected: User unknown in virtual alias table'
The reason for the problem: 5.3.0 - Other mail system problem 571-'Delivery not authorized, message refused'
The reason for the problem: 5.1.2 - Bad destination host 'DNS Hard Error looking up example.net (MX):  NXDomain'
The reason for the problem: 4.4.7 - Delivery expired (message too old) 'timeout'
";
    let (found, _) = records(body, &[]);
    assert_eq!(found.len(), 4, "{found:?}");
    check(
        &found[0],
        "quoted",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("fay@example.com"),
    );
    assert_eq!(
        found[0]["text"],
        "<fay@example.com>: Recipient address rejected: User unknown in virtual alias table"
    );
    // No enhanced code in the remote's reply: the bounce's own status stands beside its code.
    check(
        &found[1],
        "quoted",
        (Some(571), Some("5.3.0")),
        ("permanent", Some("soft"), "policy_violation"),
        None,
    );
    // No reply at all: the bounce's status and its words.
    check(
        &found[2],
        "quoted",
        (None, Some("5.1.2")),
        ("permanent", Some("hard"), "host_unknown"),
        None,
    );
    check(
        &found[3],
        "quoted",
        (None, Some("4.4.7")),
        ("transient", Some("soft"), "expired"),
        None,
    );
    let (all, _) = records(body, &["--all"]);
    assert_eq!(all.len(), body.lines().count());
}

#[test]
fn hmailservers_bounce_gives_the_host_and_command_above_the_reply() {
    let body = "\
Your message did not reach some or all of the intended recipients.

   Sent: Mon, 07 Dec 2026 10:00:00 +0000
   Subject: Invoice

The following recipient(s) could not be reached:

eve@example.com
   Error Type: SMTP
   Remote server (192.0.2.1) issued an error.
   hMailServer sent: RCPT TO:<eve@example.com>
   Remote server replied: 550 5.1.1 <eve@example.com>: Recipient address rejected: User unknown

gil@example.net
   Error Type: SMTP
   Remote server (192.0.2.2) issued an error.
   hMailServer sent: DATA
   Remote server replied: 552 5.3.4 Message size exceeds fixed maximum message size
";
    let (found, _) = records(body, &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "quoted",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("eve@example.com"),
    );
    assert_eq!(found[0]["host"], "192.0.2.1");
    assert_eq!(found[0]["command"], "rcpt_to");
    check(
        &found[1],
        "quoted",
        (Some(552), Some("5.3.4")),
        ("permanent", Some("soft"), "email_too_large"),
        Some("gil@example.net"),
    );
    assert_eq!(found[1]["host"], "192.0.2.2");
    assert_eq!(found[1]["command"], "data");
    let (all, _) = records(body, &["--all"]);
    assert_eq!(all.len(), body.lines().count());
}

#[test]
fn postfix_results_after_ids_postfix_would_not_write_keep_recipient_and_id() {
    // Logs anonymised by hand or by a tool: the queue id replaced by a short word.
    let log = "\
Dec  1 10:00:00 mx postfix/smtp[123]: ABC1: to=<bob@example.org>, relay=none, delay=0.1, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=example.org type=MX: Host not found)
Dec  1 10:00:01 mx postfix/smtp[123]: q1: to=<ann@example.net>, relay=mx.example.net[192.0.2.1]:25, delay=1, dsn=4.4.2, status=deferred (conversation with mx.example.net[192.0.2.1] timed out while sending end of data -- message may be sent more than once)
";
    let (found, _) = records(log, &[]);
    assert_eq!(found.len(), 2, "{found:?}");
    check(
        &found[0],
        "postfix",
        (None, Some("5.4.4")),
        ("permanent", Some("hard"), "host_unknown"),
        Some("bob@example.org"),
    );
    assert_eq!(found[0]["queue_id"], "ABC1");
    check(
        &found[1],
        "postfix",
        (None, Some("4.4.2")),
        ("transient", Some("soft"), "network_error"),
        Some("ann@example.net"),
    );
    assert_eq!(found[1]["queue_id"], "q1");
    assert_eq!(found[1]["host"], "mx.example.net");
}

#[test]
fn a_quoted_reply_ends_at_its_closing_quote_not_at_the_lines_last() {
    // Nodemailer's error object, as Node.js prints it: more quoted fields after the reply.
    let log = "\
2026-12-01T10:00:00.000Z error Send failed { code: 'EENVELOPE', response: '550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown', responseCode: 550, command: 'RCPT TO', recipient: 'bob@example.org' }
";
    let (found, _) = records(log, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    check(
        &found[0],
        "quoted",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.org"),
    );
    assert_eq!(
        found[0]["text"],
        "<bob@example.org>: Recipient address rejected: User unknown"
    );
    assert_eq!(found[0]["command"], "rcpt_to");
}

#[test]
fn a_reply_in_a_json_field_of_an_unknown_event_ends_with_the_field() {
    // An event of a mail server no reader knows (Postal's webhook): the reply is one string field
    // among others, which must not run into the reply's text.
    let event = r#"{"event":"MessageDeliveryFailed","payload":{"message":{"id":12345,"to":"bob@example.org","from":"alice@example.com"},"status":"HardFail","details":"Permanent SMTP delivery error when sending to mx.example.org","output":"550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown","sent_with_ssl":true,"time":0.52}}"#;
    let (found, _) = records(format!("{event}\n"), &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    check(
        &found[0],
        "quoted",
        (Some(550), Some("5.1.1")),
        ("permanent", Some("hard"), "user_unknown"),
        Some("bob@example.org"),
    );
    assert_eq!(
        found[0]["text"],
        "<bob@example.org>: Recipient address rejected: User unknown"
    );
}

#[test]
fn swaks_transcripts_give_each_reply_the_command_sent_above_it() {
    let transcript = "\
=== Trying mx.example.org:25...
=== Connected to mx.example.org.
<-  220 mx.example.org ESMTP Postfix
 -> EHLO client.example.com
<-  250-mx.example.org
<-  250 STARTTLS
 -> STARTTLS
<-  220 2.0.0 Ready to start TLS
=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256
 ~> MAIL FROM:<alice@example.com>
<~  250 2.1.0 Ok
 ~> RCPT TO:<bob@example.org>
<~* 554 5.7.1 <client.example.com[192.0.2.9]>: Client host rejected: Access denied
 ~> RCPT TO:<carol@example.org>
<~  250 2.1.5 Ok
 ~> DATA
<~  354 End data with <CR><LF>.<CR><LF>
 ~> Subject: test
 ~> 
 ~> .
<~* 552 5.3.4 Message size exceeds fixed limit
 ~> QUIT
<~  221 2.0.0 Bye
";
    let (found, _) = records(transcript, &[]);
    let by_line = |n: u64| {
        found
            .iter()
            .find(|r| r["line"] == n)
            .unwrap_or_else(|| panic!("no record for line {n}: {found:?}"))
    };
    check(
        by_line(13),
        "quoted",
        (Some(554), Some("5.7.1")),
        ("permanent", Some("soft"), "blocked"),
        Some("bob@example.org"),
    );
    assert_eq!(by_line(13)["command"], "rcpt_to");
    assert_eq!(by_line(11)["command"], "mail_from");
    assert_eq!(by_line(11)["recipient"], Value::Null);
    assert_eq!(by_line(15)["recipient"], "carol@example.org");
    let data_end = by_line(21);
    assert_eq!(data_end["command"], "end_of_data");
    assert_eq!(data_end["reason"], "email_too_large");
    // The recipient of a RCPT TO is not that of the message's end, which answers for all.
    assert_eq!(data_end["recipient"], Value::Null);
}

#[test]
fn an_ses_rejection_gives_a_record_for_each_address_of_the_message() {
    let event = r#"{"eventType":"Reject","reject":{"reason":"Bad content"},"mail":{"timestamp":"2026-11-23T10:00:00.000Z","source":"alice@example.com","messageId":"0100018b-efgh","destination":["ann@example.com","bea@example.org"]}}"#;
    let (found, _) = records(format!("{event}\n"), &[]);
    let recipients: Vec<_> = found.iter().map(|r| r["recipient"].clone()).collect();
    assert_eq!(recipients, ["ann@example.com", "bea@example.org"]);
    for r in &found {
        assert_eq!(r["format"], "ses");
        assert_eq!(r["line"], 1);
        assert_eq!(r["reported"], "failed");
        assert_eq!(r["queue_id"], "0100018b-efgh");
    }
}
