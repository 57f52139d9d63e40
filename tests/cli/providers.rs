//! Provider knowledge end to end: replies in each provider's own wording, read from logs and
//! looked up, and `--provider`.

use super::{json_lines, smtpcode, stdin_json_lines as records};
use predicates::prelude::*;
use serde_json::Value;

/// Provider, reason and bounce of the one record a line gives.
#[track_caller]
fn verdict(line: &str) -> (Value, Value, Value) {
    let (found, status) = records(line, &[]);
    assert_eq!(status, 0, "{line}");
    assert_eq!(found.len(), 1, "{line}: {found:?}");
    let r = &found[0];
    (
        r["provider"].clone(),
        r["reason"].clone(),
        r["bounce"].clone(),
    )
}

#[track_caller]
fn expect(line: &str, provider: &str, reason: &str, bounce: &str) {
    assert_eq!(
        verdict(line),
        (provider.into(), reason.into(), bounce.into()),
        "{line}"
    );
}

#[test]
fn mailbox_providers_are_known_by_their_own_words() {
    // Gmail's replies drop the "the" its documentation writes.
    expect(
        "550-5.7.1 [192.0.2.44] Messages missing a valid address in From: header, or having no \
         From: header, are not accepted. a1si123 - gsmtp",
        "google",
        "not_compliant_rfc",
        "soft",
    );
    // Exchange Online's DNS answer for a domain that does not exist; "does not exist" alone
    // would make it an unknown user.
    expect(
        "550 5.4.310 DNS domain example.fr does not exist [Message=InfoDomainNonexistent] \
         [LastAttemptedServerName=example.fr] [PR1P264MB1234.FRAP264.PROD.OUTLOOK.COM \
         2026-11-24T10:00:00.000Z 08DC1234567890AB]",
        "microsoft",
        "host_unknown",
        "hard",
    );
    // The plural Microsoft writes; the entry's words stop before it.
    expect(
        "550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains.",
        "microsoft",
        "rejected",
        "soft",
    );
    // Exchange Online's throttling, in the wording its 4.7.500-699 page gives.
    expect(
        "451 4.7.500 Server busy. Please try again later from [198.51.100.1]. (S77714)",
        "microsoft",
        "bad_reputation",
        "soft",
    );
    // Mail.ru words an unknown and a disabled mailbox alike but for the end.
    expect(
        "550 Message was not accepted -- invalid mailbox.  Local mailbox bob@mail.ru is \
         unavailable: user not found",
        "mailru",
        "user_unknown",
        "hard",
    );
    expect(
        "550 Message was not accepted -- invalid mailbox.  Local mailbox bob@mail.ru is \
         unavailable: account is disabled",
        "mailru",
        "mailbox_disabled",
        "hard",
    );
    expect(
        "Nov 23 10:00:01 mx postfix/smtp[1234]: 4B2C81E0123: to=<bob@gmail.com>, \
         relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1.2, delays=0.1/0/0.5/0.6, \
         dsn=5.7.26, status=bounced (host gmail-smtp-in.l.google.com[142.250.1.26] said: \
         550-5.7.26 Unauthenticated email from example.com is not accepted due to 550-5.7.26 \
         domain's DMARC policy. Please contact the administrator of example.com domain. \
         550 5.7.26 a1si123 - gsmtp (in reply to end of DATA command))",
        "google",
        "auth_failure",
        "soft",
    );
    // Gmail's documented wording says "content or the links", its replies "content and/or".
    expect(
        "Nov 23 10:00:02 mx postfix/smtp[1234]: 4B2C81E0124: to=<ann@gmail.com>, \
         relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1.2, delays=0.1/0/0.5/0.6, \
         dsn=4.7.0, status=deferred (host gmail-smtp-in.l.google.com[142.250.1.26] said: \
         421-4.7.0 [203.0.113.5] Our system has detected that this message is suspicious due to \
         the nature of the content and/or the links within. To best protect our users from \
         spam, the message has been blocked. - gsmtp (in reply to end of DATA command))",
        "google",
        "spam_detected",
        "soft",
    );
    // A Workspace sender that may not send: the sender's problem, not a dead recipient.
    expect(
        "Nov 23 10:00:03 mx postfix/smtp[1234]: 4B2C81E0127: to=<bob@example.com>, \
         relay=aspmx.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.7.0, \
         status=bounced (host aspmx.l.google.com[142.250.1.26] said: 550 5.7.0 Mail Sending \
         denied. This error occurs if the sender account is disabled or not registered within \
         your Google Workspace domain. (in reply to MAIL FROM command))",
        "google",
        "rejected",
        "soft",
    );
    // Microsoft's directory-based edge blocking: an unknown recipient, not a policy refusal.
    expect(
        "Nov 23 10:00:02 mx postfix/smtp[1234]: 4B2C81E0124: to=<carol@contoso.com>, \
         relay=contoso-com.mail.protection.outlook.com[52.101.1.1]:25, delay=0.8, \
         dsn=5.4.1, status=bounced (host contoso-com.mail.protection.outlook.com[52.101.1.1] \
         said: 550 5.4.1 Recipient address rejected: Access denied. AS(201806281) \
         [DM6NAM11FT012.eop-nam11.prod.protection.outlook.com] (in reply to RCPT TO command))",
        "microsoft",
        "user_unknown",
        "hard",
    );
    expect(
        "2026-11-23 10:00:03 1rABCD-000123-4E ** dave@yahoo.com R=dnslookup T=remote_smtp \
         H=mta6.am0.yahoodns.net [67.195.204.1]: SMTP error from remote mail server after \
         MAIL FROM:<news@example.com> SIZE=12345: 421 4.7.0 [TSS04] Messages from 192.0.2.1 \
         temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; \
         see https://postmaster.yahooinc.com/error-codes",
        "yahoo",
        "bad_reputation",
        "soft",
    );
    // AOL's 5.2.1 is a refusal of the message, not a disabled mailbox.
    expect(
        "Nov 23 10:00:03 mx postfix/smtp[1234]: 4B2C81E0124: to=<dora@aol.com>, \
         relay=mx-aol.mail.gm0.yahoodns.net[67.195.204.2]:25, delay=0.4, dsn=5.2.1, \
         status=bounced (host mx-aol.mail.gm0.yahoodns.net[67.195.204.2] said: 521 5.2.1 :  \
         AOL will not accept delivery of this message. (in reply to end of DATA command))",
        "yahoo",
        "spam_detected",
        "soft",
    );
    expect(
        "Nov 23 10:00:04 mx postfix/smtp[1234]: 4B2C81E0125: to=<erin@icloud.com>, \
         relay=mx01.mail.icloud.com[17.57.154.6]:25, delay=0.4, dsn=5.1.1, status=bounced \
         (host mx01.mail.icloud.com[17.57.154.6] said: 550 5.1.1 <erin@icloud.com>: \
         inactive email address (in reply to RCPT TO command))",
        "apple",
        "mailbox_disabled",
        "hard",
    );
    expect(
        "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
        "microsoft",
        "user_unknown",
        "hard",
    );
    expect(
        "550 SC-001 (BAY004-MC1F12) Unfortunately, messages from 192.0.2.1 weren't sent. \
         Please contact your Internet service provider since part of their network is on our \
         block list.",
        "outlook",
        "bad_reputation",
        "soft",
    );
    // A 4yz that the provider documents as a dead mailbox is still a hard bounce.
    expect(
        "450 4.2.1 <bob@laposte.net>: Recipient address rejected: this mailbox is inactive and \
         has been disabled",
        "laposte",
        "mailbox_disabled",
        "hard",
    );
}

#[test]
fn icloud_is_known_by_the_postmaster_page_its_refusals_link_to() {
    // No host to tell: a reply quoted in a bounce or pasted alone.
    expect(
        "554 5.7.1 Message rejected due to spam content. Please visit \
         https://support.apple.com/en-us/HT204137",
        "apple",
        "spam_detected",
        "soft",
    );
    expect(
        "550 5.7.1 Your message was rejected due to example.com's DMARC policy. See \
         https://support.apple.com/en-us/102322",
        "apple",
        "auth_failure",
        "soft",
    );
}

#[test]
fn isps_are_known_by_the_servers_and_pages_their_replies_name() {
    // Words many servers use count for a provider the reply's own text shows, host or not.
    expect(
        "421 resimta-ch2-18v.sys.comcast.net comcast 192.0.2.1 Too many sessions opened",
        "comcast",
        "rate_limited",
        "soft",
    );
    expect(
        "421 Server busy, too many connections from your IP (192.0.2.1), please visit \
         http://postmaster.free.fr/",
        "free",
        "rate_limited",
        "soft",
    );
    expect(
        "421 4.4.2 mx.yandex.net Error: timeout exceeded",
        "yandex",
        "network_error",
        "soft",
    );
    // GMX and WEB.DE link their refusals to a case page; a reply pasted alone has no host.
    expect(
        "550 Reject due to policy restrictions. For explanation visit \
         https://postmaster.web.de/en/case?c=hi&i=ip&v=192.0.2.1",
        "gmx",
        "policy_violation",
        "soft",
    );
    // The same words with no sign of the provider are nobody's.
    let (provider, _, _) = verdict("421 4.4.2 Error: timeout exceeded");
    assert_eq!(provider, Value::Null);
}

#[test]
fn a_providers_code_does_not_overrule_the_replys_own_words() {
    // Exchange's full mailbox, under a code Microsoft also uses for a sender over its quota.
    expect(
        "Remote Server returned '554 5.2.2 mailbox full; \
         STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; \
         Failed to process message due to a permanent exception with message Cannot open mailbox'",
        "microsoft",
        "mailbox_full",
        "soft",
    );
    expect(
        "Remote Server returned '554 5.2.2 mailbox full; \
         STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Submission quota exceeded'",
        "microsoft",
        "rate_limited",
        "soft",
    );
}

#[test]
fn a_refused_sender_is_not_a_dead_mailbox_for_the_first_line_of_the_reply() {
    // WEB.DE's refusal of a sending IP without a PTR record starts with the words it uses for
    // an unknown recipient; the address is fine.
    expect(
        "Nov 23 10:00:01 mx postfix/smtp[1234]: 4B2C81E0127: to=<bob@web.de>, \
         relay=mx-ha03.web.de[212.227.15.17]:25, delay=1.1, delays=0.1/0/0.5/0.5, dsn=5.0.0, \
         status=bounced (host mx-ha03.web.de[212.227.15.17] said: 550-Requested action not \
         taken: mailbox unavailable 550 invalid DNS PTR resource record, IP=192.0.2.1 (in reply \
         to MAIL FROM command))",
        "gmx",
        "require_ptr",
        "soft",
    );
}

#[test]
fn microsoft_365s_front_end_servers_name_it() {
    // Exchange Online's protection servers sign many replies in brackets.
    expect(
        "554 5.4.14 Hop count exceeded - possible mail loop ATTR34 \
         [AM0EUR02FT012.eop-EUR02.prod.protection.outlook.com]",
        "microsoft",
        "system_error",
        "soft",
    );
}

#[test]
fn blocklists_are_known_by_zone_and_answer() {
    let line = "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using \
                zen.spamhaus.org=127.0.0.4";
    let (found, _) = records(line, &[]);
    assert_eq!(found[0]["provider"], "spamhaus");
    assert_eq!(found[0]["reason"], "blocked");
    assert_eq!(found[0]["evidence"], "spamhaus list XBL");
    assert!(found[0]["provider_meaning"]
        .as_str()
        .unwrap()
        .contains("XBL"));
    // The same answer from another list means something else.
    let (found, _) = records(
        "554 5.7.1 rejected: listed at bl.mailspike.net (127.0.0.2)",
        &[],
    );
    assert_eq!(found[0]["provider"], "mailspike");
    assert!(found[0]["provider_meaning"]
        .as_str()
        .unwrap()
        .contains("spam wave"));
}

#[test]
fn a_reply_from_no_known_provider_has_a_null_provider() {
    let (provider, reason, bounce) =
        verdict("550 5.1.1 <bob@example.org>: Recipient address rejected: User unknown");
    assert_eq!(provider, Value::Null);
    assert_eq!((reason, bounce), ("user_unknown".into(), "hard".into()));
    // A client this server rejected is the sender, not the provider of the reply.
    let (provider, _, _) = verdict(
        "Nov 23 10:00:05 mx postfix/smtpd[999]: NOQUEUE: reject: RCPT from \
         mail-wm1-f41.google.com[209.85.128.41]: 550 5.1.1 <nobody@example.org>: Recipient \
         address rejected: User unknown in local recipient table; from=<a@gmail.com> \
         to=<nobody@example.org> proto=ESMTP helo=<mail-wm1-f41.google.com>",
    );
    assert_eq!(provider, Value::Null);
    let (provider, reason, bounce) =
        verdict("550 5.7.0 Sending denied: the sender account is disabled");
    assert_eq!(provider, Value::Null);
    assert_eq!((reason, bounce), ("rejected".into(), "soft".into()));
    // qmail's loop words and a common greylisting delay are every such server's.
    for reply in [
        "554 5.4.6 This message is looping: it already has my Delivered-To line. (#5.4.6)",
        "451 4.7.1 <bob@example.org>: Recipient address rejected: Greylisted for 5 minutes",
        // Words a provider documents that any server may give: its codes must come with them.
        "550 5.1.1 <bob@example.org>: No such user!",
        "550 5.1.1 <bob@example.net>: Recipient address rejected: Inactive mailbox",
        // Words a provider uses that other servers use too: the provider's from its marker.
        "452 4.2.2 Mailbox out of storage space",
        "504 5.7.4 Unrecognized authentication type",
        "421 Connection rejected by policy",
        // Postfix verifying a recipient, in the words Proofpoint's 421 uses too.
        "450 4.1.1 <bob@example.org>: Recipient address rejected: unverified address: \
         Address verification in progress",
    ] {
        assert_eq!(verdict(reply).0, Value::Null, "{reply}");
    }
    // With the marker, the same words are the provider's.
    expect(
        "452-4.2.2 The recipient's inbox is out of storage space. Please direct the recipient to \
         452 4.2.2 https://support.google.com/mail/?p=OverQuotaTemp a1si - gsmtp",
        "google",
        "mailbox_full",
        "soft",
    );
    // Without it, a message judged likely unsolicited is spam, not the IP's reputation.
    let (_, reason, _) =
        verdict("550 5.7.1 Our system has detected that this message is likely unsolicited mail");
    assert_eq!(reason, "spam_detected");
    // Words too common to name a provider alone need its marker: ImprovMX's `(Code 2)`.
    let (provider, _, _) = verdict("550 5.7.1 Rejected by policy (Code 2)");
    assert_eq!(provider, Value::Null);
    expect(
        "551 5.7.1 Your domain has a very low reputation (Code 2) - ImprovMX",
        "improvmx",
        "bad_reputation",
        "soft",
    );
    // A standard's own words (the registry's title, RFC 5321's text) name no provider unless
    // the host does; from the provider's host they mean what the provider means.
    let postfix = |host: &str, reply: &str| {
        format!(
            "Nov 23 10:00:05 mx postfix/smtp[1234]: 4B2C81E0125: to=<bob@example.org>, \
             relay={host}[192.0.2.5]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.0.0, \
             status=bounced (host {host}[192.0.2.5] said: {reply} (in reply to RCPT TO command))"
        )
    };
    for reply in [
        "550 5.1.1 Bad destination mailbox address",
        "552 Requested mail action aborted: exceeded storage allocation",
        "554 5.7.28 Mail flood detected",
        "550 5.7.1 Email rejected per DMARC policy for example.com",
        "550 5.7.1 Delivery not authorized, message refused",
    ] {
        let (provider, _, _) = verdict(&postfix("mx.example.org", reply));
        assert_eq!(provider, Value::Null, "{reply}");
    }
    expect(
        &postfix(
            "example-org.mail.protection.outlook.com",
            "550 5.1.1 Bad destination mailbox address",
        ),
        "microsoft",
        "user_unknown",
        "hard",
    );
    expect(
        &postfix(
            "mx.zoho.com",
            "550 5.7.1 Email rejected per DMARC policy for example.com",
        ),
        "zoho",
        "auth_failure",
        "soft",
    );
}

#[test]
fn a_delivery_names_the_provider_that_took_it() {
    let (provider, reason, bounce) = verdict(
        "Nov 23 10:00:06 mx postfix/smtp[1234]: 4B2C81E0126: to=<bob@gmail.com>, \
         relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=0.9, dsn=2.0.0, \
         status=sent (250 2.0.0 OK  1700000000 a1si1234567qkb.123 - gsmtp)",
    );
    assert_eq!(provider, "google");
    assert_eq!((reason, bounce), ("delivered".into(), Value::Null));
}

#[test]
fn a_lookup_lists_what_each_provider_means_by_the_code() {
    let (found, status) = json_lines(&["550", "5.7.26"]);
    assert_eq!(status, 0);
    let providers = found[0]["providers"].as_array().unwrap();
    let ids: Vec<&str> = providers
        .iter()
        .map(|p| p["provider"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"google"), "{ids:?}");
    let found = &found[0];
    assert!(found["providers"].as_array().unwrap().len() >= 4);
    let (found, _) = json_lines(&["-p", "gmail", "5.7.26"]);
    let providers = found[0]["providers"].as_array().unwrap();
    assert!(!providers.is_empty());
    assert!(providers.iter().all(|p| p["provider"] == "google"));
    assert!(providers.iter().all(|p| p["reason"] == "auth_failure"));
}

#[test]
fn a_reused_registry_code_is_pointed_out() {
    let (found, _) = json_lines(&["-p", "microsoft", "5.1.10"]);
    let note = found[0]["providers"][0]["note"].as_str().unwrap();
    assert!(note.contains("null MX"), "{note}");
    smtpcode()
        .args(["-p", "google", "4.7.27"])
        .assert()
        .success()
        .stdout(predicate::str::contains("meaning of its own"));
    smtpcode()
        .args(["-p", "google", "421", "4.7.32"])
        .assert()
        .stdout(predicate::str::contains("Workspace)'s own code"));
}

#[test]
fn an_unknown_provider_is_a_usage_error_that_lists_the_known_ones() {
    smtpcode()
        .args(["-p", "nosuchmail", "550"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown provider 'nosuchmail'"))
        .stderr(predicate::str::contains("google"));
    smtpcode()
        .args(["--all", "-p", "google"])
        .write_stdin("550 5.1.1 gsmtp\n")
        .assert()
        .code(2);
}

#[test]
fn provider_filters_the_lines_read() {
    let input = "550 5.1.1 The email account that you tried to reach does not exist. gsmtp\n\
                 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred\n\
                 550 5.1.1 <bob@example.org>: User unknown\n";
    let (found, status) = records(input, &["-p", "yahoo"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["line"], 2);
    assert_eq!(found[0]["provider"], "yahoo");
}

#[test]
fn the_version_counts_the_provider_entries() {
    smtpcode()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"\d+ provider meanings from \d+ providers").unwrap());
}

#[test]
fn the_summary_counts_results_by_provider() {
    let input = "550 5.1.1 The email account that you tried to reach does not exist. gsmtp\n\
                 421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred\n\
                 450 4.2.1 The user you are trying to contact is receiving mail too quickly. gsmtp\n\
                 550 5.1.1 <bob@example.org>: User unknown\n";
    let (found, status) = records(input, &["--summary"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0]["provider"],
        serde_json::json!({"google": 2, "yahoo": 1, "none": 1})
    );
}
