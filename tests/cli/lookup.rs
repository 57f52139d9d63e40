//! `smtpcode CODE...`: human and JSON output, errors and exit status.

use super::{json_lines, smtpcode};
use predicates::prelude::*;

#[test]
fn a_reply_code_is_explained_digit_by_digit() {
    smtpcode()
        .arg("550")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Requested action not taken: mailbox unavailable",
        ))
        .stdout(predicate::str::contains(
            "5 · permanent negative completion",
        ))
        .stdout(predicate::str::contains("5 · mail system"))
        .stdout(predicate::str::contains("0 · detail 0"))
        .stdout(predicate::str::contains("RFC 5321"));
}

#[test]
fn an_enhanced_code_is_explained_by_class_subject_and_detail() {
    smtpcode()
        .arg("5.7.26")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Multiple authentication checks failed",
        ))
        .stdout(predicate::str::contains("5 · permanent failure"))
        .stdout(predicate::str::contains("7 · security or policy"))
        .stdout(predicate::str::contains("RFC 7372"));
}

#[test]
fn a_whole_reply_finds_both_codes_and_keeps_the_text() {
    let (records, status) =
        json_lines(&["550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown"]);
    assert_eq!(status, 0);
    let record = &records[0];
    assert_eq!(record["reply"]["code"], 550);
    assert_eq!(record["enhanced"]["code"], "5.1.1");
    assert_eq!(
        record["text"],
        "<bob@example.com>: Recipient address rejected: User unknown"
    );
    assert_eq!(record["outcome"], "permanent");
    assert_eq!(record["bounce"], "hard");
    assert_eq!(record["reason"], "user_unknown");
}

#[test]
fn a_code_pasted_with_its_label_from_a_report_or_a_log_is_looked_up() {
    let (records, status) = json_lines(&[
        "Status: 5.2.2",
        "dsn=4.4.1",
        "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.com>... User unknown",
    ]);
    assert_eq!(status, 0);
    assert_eq!(records[0]["enhanced"]["code"], "5.2.2");
    assert_eq!(records[0]["reason"], "mailbox_full");
    assert_eq!(records[1]["outcome"], "transient");
    assert_eq!(records[2]["reply"]["code"], 550);
    assert_eq!(records[2]["text"], "<bob@example.com>... User unknown");
    assert_eq!(records[2]["bounce"], "hard");
}

#[test]
fn several_queries_give_one_json_line_each_in_order() {
    let (records, status) = json_lines(&["550", "421", "5.1.1", "250"]);
    assert_eq!(status, 0);
    let inputs: Vec<_> = records
        .iter()
        .map(|r| r["input"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["550", "421", "5.1.1", "250"]);
    let outcomes: Vec<_> = records
        .iter()
        .map(|r| r["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["permanent", "transient", "permanent", "success"]);
}

#[test]
fn a_reply_typed_without_quotes_is_one_query() {
    // The two codes of a reply: 5.7.26's verdict, not 550's on its own (a hard bounce).
    let (records, status) = json_lines(&["550", "5.7.26", "421"]);
    assert_eq!(status, 0);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["input"], "550 5.7.26");
    assert_eq!(records[0]["reply"]["code"], 550);
    assert_eq!(records[0]["enhanced"]["code"], "5.7.26");
    assert_eq!(records[0]["reason"], "auth_failure");
    assert_eq!(records[0]["bounce"], "soft");
    assert_eq!(records[1]["input"], "421");
    // Words after the codes are the reply's text, and decide over the codes.
    let (records, status) = json_lines(&[
        "552", "5.2.2", "Mailbox", "full,", "try", "again", "in", "300", "seconds",
    ]);
    assert_eq!(status, 0);
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["text"], "Mailbox full, try again in 300 seconds");
    assert_eq!(records[0]["reason"], "mailbox_full");
    assert_eq!(records[0]["retry_after"], 300);
    // A code and an enhanced code of another class stay two queries.
    let (records, _) = json_lines(&["421", "5.7.0"]);
    assert_eq!(records.len(), 2);
}

#[test]
fn json_records_carry_the_documented_schema() {
    let (records, _) = json_lines(&["552 5.2.2 Mailbox full"]);
    let record = records[0].as_object().unwrap();
    for field in [
        "input", "error", "hint", "reply", "enhanced", "text", "outcome", "bounce", "reason",
        "evidence", "advice", "notes",
    ] {
        assert!(
            record.contains_key(field),
            "missing top-level field {field}"
        );
    }
    let reply = record["reply"].as_object().unwrap();
    for field in [
        "code",
        "assigned",
        "class",
        "category",
        "detail",
        "text",
        "status",
        "source",
        "used_by",
        "meaning",
        "causes",
        "advice",
        "enhanced_codes",
        "other_meanings",
    ] {
        assert!(reply.contains_key(field), "missing reply field {field}");
    }
    let enhanced = record["enhanced"].as_object().unwrap();
    for field in [
        "code",
        "assigned",
        "class",
        "subject",
        "detail",
        "text",
        "source",
        "meaning",
        "causes",
        "advice",
        "note",
        "basic_codes",
        "deprecated",
    ] {
        assert!(
            enhanced.contains_key(field),
            "missing enhanced field {field}"
        );
    }
    assert_eq!(
        record["reply"]["code"].as_u64(),
        Some(552),
        "reply.code is an integer"
    );
    assert_eq!(
        record["enhanced"]["code"].as_str(),
        Some("5.2.2"),
        "enhanced.code is a string"
    );
    assert_eq!(record["bounce"], "soft", "a full mailbox is a soft bounce");
    assert_eq!(record["enhanced"]["detail"], "Mailbox full");
}

#[test]
fn codes_with_two_meanings_show_both() {
    let (records, _) = json_lines(&["454"]);
    assert_eq!(
        records[0]["reply"]["text"],
        "Temporary authentication failure"
    );
    assert_eq!(
        records[0]["reply"]["other_meanings"][0]["context"],
        "STARTTLS"
    );
    smtpcode()
        .arg("454")
        .assert()
        .stdout(predicate::str::contains(
            "TLS not available due to temporary reason",
        ));
}

#[test]
fn nonstandard_codes_say_so_and_who_uses_them() {
    let (records, status) = json_lines(&["571", "101", "420"]);
    assert_eq!(status, 0);
    assert_eq!(records[0]["reply"]["status"], "nonstandard");
    assert!(records[0]["reply"]["used_by"]
        .as_str()
        .unwrap()
        .contains("Exchange"));
    assert_eq!(records[1]["reply"]["status"], "not-a-reply");
    assert_eq!(records[2]["reply"]["used_by"], "Novell GroupWise servers");
}

#[test]
fn well_formed_unassigned_codes_are_explained_and_exit_1() {
    for code in ["599", "4.9.9", "5.1.99"] {
        smtpcode()
            .arg(code)
            .assert()
            .code(1)
            .stdout(
                predicate::str::contains("not assigned")
                    .or(predicate::str::contains("not in the registry")),
            )
            .stdout(predicate::str::contains(" · "));
    }
    let (records, status) = json_lines(&["599"]);
    assert_eq!(status, 1);
    assert_eq!(records[0]["reply"]["assigned"], false);
    assert_eq!(records[0]["outcome"], "permanent");
    assert!(records[0]["reply"]["class"]
        .as_str()
        .unwrap()
        .contains("permanent"));
}

#[test]
fn malformed_input_gets_a_one_line_error_and_exit_1() {
    for bad in ["abc", "5555", "6.1.1", "1000"] {
        let assert = smtpcode().arg(bad).assert().code(1).stdout("");
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        // One error line; a word may get a hint line after it.
        let errors = stderr.lines().filter(|l| !l.starts_with("  hint: "));
        assert_eq!(errors.count(), 1, "one line for {bad}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains(bad), "the error names the input: {stderr}");
    }
}

#[test]
fn a_misplaced_dot_gets_a_hint() {
    smtpcode()
        .arg("5.726")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("three parts"))
        .stderr(predicate::str::contains("did you mean 5.7.26?"));
}

#[test]
fn one_bad_query_among_good_ones_still_prints_the_good_ones() {
    let (records, status) = json_lines(&["550", "nope", "421"]);
    assert_eq!(status, 1);
    assert_eq!(records.len(), 3);
    assert!(records[1]["error"].as_str().unwrap().contains("nope"));
    assert!(records[1]["outcome"].is_null());
    assert_eq!(records[2]["reply"]["code"], 421);
}

#[test]
fn usage_errors_exit_2() {
    smtpcode()
        .args(["-", "550"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be mixed"));
    smtpcode()
        .args(["--summary", "550"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("stdin"));
    smtpcode().args(["--no-such-flag", "550"]).assert().code(2);
    smtpcode()
        .args(["--color", "sometimes", "550"])
        .assert()
        .code(2);
}

#[test]
fn help_documents_exit_status_and_examples() {
    smtpcode()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("Exit status:"))
        .stdout(predicate::str::contains("smtpcode 5.7.26"));
}

#[test]
fn version_counts_the_tables() {
    smtpcode().arg("--version").assert().success().stdout(
        predicate::str::is_match(
            r"smtpcode \d+\.\d+\.\d+ \(tables: \d+ reply-code meanings, \d+ enhanced",
        )
        .unwrap(),
    );
}

#[test]
fn colour_only_on_request_when_piped() {
    let plain = smtpcode().arg("550").assert().success();
    assert!(
        !plain.get_output().stdout.contains(&0x1b),
        "no escapes when piped"
    );
    let forced = smtpcode()
        .args(["--color", "always", "550"])
        .assert()
        .success();
    assert!(
        forced.get_output().stdout.contains(&0x1b),
        "escapes with --color always"
    );
    let env_forced = smtpcode()
        .env("CLICOLOR_FORCE", "1")
        .arg("550")
        .assert()
        .success();
    assert!(
        env_forced.get_output().stdout.contains(&0x1b),
        "escapes with CLICOLOR_FORCE"
    );
    let no_color = smtpcode()
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .arg("550")
        .assert();
    assert!(
        !no_color.get_output().stdout.contains(&0x1b),
        "NO_COLOR wins"
    );
}

#[test]
fn escape_sequences_in_a_reply_are_never_echoed_raw() {
    let assert = smtpcode()
        .args(["--color", "never", "550 5.1.1 evil\x1b]0;owned\x07 text"])
        .assert()
        .success();
    let stdout = &assert.get_output().stdout;
    assert!(
        !stdout.contains(&0x1b) && !stdout.contains(&0x07),
        "{}",
        String::from_utf8_lossy(stdout)
    );
    assert!(String::from_utf8_lossy(stdout).contains("\\x1b]0;owned\\x07"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("smtpcode"))
        .args(std::iter::repeat_n("550", 20_000))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // stdout is dropped here: the reader has gone away.
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "status {:?}", output.status);
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn the_reply_text_decides_over_the_code_and_names_the_blocklist() {
    let (records, status) = json_lines(&[
        "554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org",
        "421 4.7.0 [TSS04] Messages temporarily deferred; try again in 5 minutes",
        "550 5.1.1 Message rejected as spam",
    ]);
    assert_eq!(status, 0);
    assert_eq!(records[0]["reason"], "blocked");
    assert_eq!(records[0]["blocklist"], "zen.spamhaus.org");
    assert_eq!(records[0]["bounce"], "soft");
    assert_eq!(records[1]["retry_after"], 300);
    assert_eq!(records[2]["reason"], "spam_detected");
    assert_eq!(records[2]["evidence"], "phrase \"spam\"");
    smtpcode()
        .arg("554 5.7.1 blocked using zen.spamhaus.org")
        .assert()
        .stdout(predicate::str::contains("blocked · zen.spamhaus.org"))
        .stdout(predicate::str::contains("Because"));
}

#[test]
fn exchanges_own_wordings_decide_the_reason() {
    for (reply, reason) in [
        // The recipient's mailbox over its quota, in the store's words: a full mailbox.
        (
            "554 5.2.0 STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded; Failed to process message due to a permanent exception",
            "mailbox_full",
        ),
        // The sender over its submission quota: not the recipient's mailbox.
        (
            "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message: The sender's submission quota was exceeded.",
            "rate_limited",
        ),
        (
            "421 4.3.2 The maximum number of concurrent server connections has exceeded a limit, closing transmission channel",
            "rate_limited",
        ),
        (
            "535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.",
            "security_error",
        ),
    ] {
        let (records, _) = json_lines(&[reply]);
        assert_eq!(records[0]["reason"], reason, "{reply}");
        assert_eq!(records[0]["bounce"], "soft", "{reply}");
    }
}
