//! Snapshots of the help and of the human output for a handful of queries, so that any change to
//! what a user reads shows in review. After an intended change: `INSTA_UPDATE=always cargo test`
//! (or `cargo insta review`), then read the diff of tests/cli/snapshots/.

use crate::smtpcode;

/// Stdout and stderr as a user sees them at 80 columns, without colour.
fn screen(args: &[&str]) -> String {
    let output = smtpcode()
        .args(args)
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .output()
        .expect("smtpcode runs");
    let mut text = String::from_utf8(output.stdout).expect("UTF-8 stdout");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    if !stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&stderr);
    }
    text.push_str(&format!(
        "--- exit {} ---\n",
        output.status.code().unwrap_or(-1)
    ));
    text
}

#[test]
fn help() {
    insta::assert_snapshot!(screen(&["--help"]));
}

#[test]
fn list_help() {
    insta::assert_snapshot!(screen(&["list", "--help"]));
}

#[test]
fn search_help() {
    insta::assert_snapshot!(screen(&["search", "--help"]));
}

#[test]
fn lookup_550() {
    insta::assert_snapshot!(screen(&["550"]));
}

#[test]
fn lookup_5_7_26() {
    insta::assert_snapshot!(screen(&["5.7.26"]));
}

#[test]
fn lookup_421_with_text() {
    insta::assert_snapshot!(screen(&[
        "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes"
    ]));
}

#[test]
fn lookup_gmail_user_unknown() {
    insta::assert_snapshot!(screen(&["-p", "gmail", "550 5.1.1"]));
}

#[test]
fn lookup_unassigned_and_malformed() {
    insta::assert_snapshot!(screen(&["599", "5.726"]));
}

#[test]
fn list_class_2() {
    insta::assert_snapshot!(screen(&["list", "--class", "2", "--reply"]));
}

#[test]
fn search_mailbox_full() {
    insta::assert_snapshot!(screen(&["search", "-n", "8", "mailbox", "full"]));
}
