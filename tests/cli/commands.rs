//! The subcommands: list, search, completions, man; and hints for words given as queries.

use crate::{json_lines, smtpcode};
use std::io::Read;
use std::process::{Command, Stdio};

fn stdout_of(args: &[&str]) -> (String, i32) {
    let output = smtpcode().args(args).output().expect("smtpcode runs");
    (
        String::from_utf8(output.stdout).expect("UTF-8 output"),
        output.status.code().expect("exited normally"),
    )
}

#[test]
fn list_prints_the_reply_and_enhanced_tables() {
    let (text, status) = stdout_of(&["list"]);
    assert_eq!(status, 0);
    assert!(text.starts_with("Reply codes"), "{text}");
    assert!(text.contains("\nEnhanced status codes"));
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("552 "))
        .unwrap();
    assert!(
        row.contains("mailbox_full") && row.contains("exceeded storage"),
        "{row}"
    );
    assert!(text
        .lines()
        .any(|l| l.contains("X.7.26") && l.contains("auth_failure")));
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn list_json_gives_one_object_per_entry_with_the_documented_fields() {
    let (entries, status) = json_lines(&["list", "--enhanced"]);
    assert_eq!(status, 0);
    assert!(entries.len() >= 80, "{}", entries.len());
    for entry in &entries {
        assert_eq!(entry["kind"], "enhanced");
        for field in ["code", "title", "reason", "meaning", "source"] {
            assert!(entry[field].is_string(), "{field} in {entry}");
        }
        assert!(entry["outcome"].is_null(), "no class, no outcome: {entry}");
    }
    assert!(entries
        .iter()
        .any(|e| e["code"] == "X.2.2" && e["reason"] == "mailbox_full"));
}

#[test]
fn list_by_class_writes_enhanced_codes_in_that_class() {
    let (entries, status) = json_lines(&["list", "--class", "4"]);
    assert_eq!(status, 0);
    assert!(entries.iter().all(|e| e["outcome"] == "transient"));
    let codes: Vec<&str> = entries.iter().filter_map(|e| e["code"].as_str()).collect();
    assert!(
        codes.contains(&"421") && codes.contains(&"4.2.2"),
        "{codes:?}"
    );
    assert!(!codes.iter().any(|c| c.starts_with('5')));
}

#[test]
fn list_rejects_a_class_out_of_range() {
    smtpcode()
        .args(["list", "--class", "7"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("7"));
}

#[test]
fn list_providers_gives_the_ids_for_provider() {
    let (text, status) = stdout_of(&["list", "--providers"]);
    assert_eq!(status, 0);
    let google = text
        .lines()
        .find(|l| l.trim_start().starts_with("google "))
        .unwrap();
    assert!(
        google.contains("mailbox") && google.contains("Gmail"),
        "{google}"
    );
    assert!(text
        .lines()
        .any(|l| l.trim_start().starts_with("spamhaus ") && l.contains("blocklist")));
}

#[test]
fn list_services_gives_each_services_classes_and_search_finds_them() {
    let (entries, status) = json_lines(&["list", "--services", "--json"]);
    assert_eq!(status, 0);
    assert!(entries.iter().all(|e| e["kind"] == "service_class"));
    let class = |service: &str, title: &str| {
        entries
            .iter()
            .find(|e| e["service"] == service && e["title"] == title)
            .unwrap_or_else(|| panic!("{service} {title}"))
    };
    let ten = class("sparkpost", "10");
    assert_eq!(ten["context"], "bounce_class");
    assert_eq!(ten["reason"], "user_unknown");
    assert_eq!(ten["code"], serde_json::Value::Null);
    assert!(ten["source"].as_str().unwrap().starts_with("https://"));
    assert_eq!(
        class("ses", "Transient/MailboxFull")["reason"],
        "mailbox_full"
    );
    assert_eq!(class("powermta", "bad-domain")["reason"], "host_unknown");
    let (text, status) = stdout_of(&["search", "InvalidRecipient"]);
    assert_eq!(status, 0);
    let first = text.lines().next().unwrap();
    assert!(
        first.contains("kumomta") && first.contains("user_unknown"),
        "{text}"
    );
}

#[test]
fn list_for_a_provider_shows_its_replies_and_their_meaning() {
    for args in [
        ["list", "--provider", "microsoft"],
        ["-p", "microsoft", "list"],
    ] {
        let (entries, status) = json_lines(&args);
        assert_eq!(status, 0);
        assert!(entries.len() > 20);
        assert!(entries
            .iter()
            .all(|e| e["kind"] == "provider_reply" && e["provider"] == "microsoft"));
        assert!(
            entries.iter().any(|e| e["code"] == "5.7.606-649"),
            "{entries:?}"
        );
    }
    let (text, _) = stdout_of(&["list", "-p", "yahoo"]);
    assert!(text.starts_with("Yahoo"), "{text}");
    assert!(text.contains("TSS04") && text.contains("defers"), "{text}");
}

#[test]
fn search_ranks_the_best_match_first() {
    let (entries, status) = json_lines(&["search", "mailbox", "full"]);
    assert_eq!(status, 0);
    assert_eq!(entries[0]["code"], "X.2.2", "{entries:?}");
    let scores: Vec<u64> = entries
        .iter()
        .map(|e| e["score"].as_u64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    let (entries, _) = json_lines(&["search", "SPF"]);
    assert_eq!(
        entries[0]["code"], "X.7.23",
        "case-insensitive: {entries:?}"
    );
}

#[test]
fn search_finds_standard_and_provider_entries() {
    let (entries, _) = json_lines(&["search", "dmarc"]);
    assert!(entries.iter().any(|e| e["code"] == "X.7.26"));
    assert!(entries
        .iter()
        .any(|e| e["kind"] == "provider_reply" && e["provider"] == "google"));
    let (text, status) = stdout_of(&["search", "-n", "5", "dmarc"]);
    assert_eq!(status, 0);
    assert!(text.contains("google: \""), "{text}");
}

#[test]
fn search_by_provider_and_limit() {
    let (entries, status) = json_lines(&["search", "-p", "yahoo", "-n", "2", "deferred"]);
    assert_eq!(status, 0);
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e["provider"] == "yahoo"));
}

#[test]
fn search_without_a_match_says_so_and_exits_1() {
    smtpcode()
        .args(["search", "xylophone", "tuba"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains(
            "no entry mentions all of: xylophone tuba",
        ));
    smtpcode().arg("search").assert().code(2);
}

#[test]
fn completions_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef smtpcode"),
        ("fish", "complete -c smtpcode"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (text, status) = stdout_of(&["completions", shell]);
        assert_eq!(status, 0, "{shell}");
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(
            text.contains("search") && text.contains("--provider"),
            "{shell}"
        );
    }
    smtpcode().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff_with_the_options_and_subcommands() {
    let (text, status) = stdout_of(&["man"]);
    assert_eq!(status, 0);
    assert!(text.contains(".TH smtpcode 1"), "{text}");
    assert!(
        text.contains(".SH OPTIONS") && text.contains("\\-\\-provider"),
        "{text}"
    );
    assert!(text.contains("search") && text.contains("completions"));
    assert!(text.contains("Exit status"));
}

#[test]
fn words_instead_of_codes_get_a_hint() {
    smtpcode()
        .args(["mailbox", "full"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "hint: to find codes by words, try 'smtpcode search mailbox full'",
        ));
    smtpcode()
        .arg("lsit")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("did you mean 'smtpcode list'?"));
}

#[test]
fn queries_and_subcommands_do_not_mix() {
    smtpcode()
        .args(["list", "550"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unexpected argument '550'"));
    // A query is never taken for a subcommand, nor the other way round.
    smtpcode()
        .args(["550", "list"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("550  permanent"))
        .stderr(predicates::str::contains("'list' is not an SMTP code"));
}

#[test]
fn stream_options_are_refused_with_a_subcommand() {
    smtpcode()
        .args(["--all", "list"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "--all and --summary apply to lines",
        ));
}

#[test]
fn a_closed_pipe_after_a_list_ends_quietly() {
    // Outputs larger than a pipe's buffer, so that the writer sees the pipe close.
    for args in [&["search", "e"][..], &["--json", "search", "e"]] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("smtpcode"))
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 8];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{args:?}: {:?}", output.status);
        assert_eq!(String::from_utf8_lossy(&output.stderr), "", "{args:?}");
    }
}

#[test]
fn list_colours_only_when_asked() {
    let plain = smtpcode().args(["list", "--reply"]).output().unwrap();
    assert!(!plain.stdout.contains(&0x1b));
    let coloured = smtpcode()
        .args(["list", "--reply", "--color", "always"])
        .output()
        .unwrap();
    assert!(coloured.stdout.contains(&0x1b));
    let no_color = smtpcode()
        .args(["list", "--reply"])
        .env("NO_COLOR", "1")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(!no_color.stdout.contains(&0x1b));
}

#[test]
fn write_errors_other_than_a_closed_pipe_are_reported() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // no /dev/full on this system
    };
    let output = Command::new(assert_cmd::cargo::cargo_bin("smtpcode"))
        .arg("list")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("writing output"), "{stderr}");
}
