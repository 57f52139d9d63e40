//! End-to-end tests: they run the built `smtpcode` binary.

mod bad_input;
mod commands;
mod coverage;
mod lines;
mod lookup;
mod providers;
mod snapshots;

use assert_cmd::Command;

/// The binary under test, with colour settings from the environment cleared.
pub fn smtpcode() -> Command {
    let mut cmd = Command::cargo_bin("smtpcode").expect("the smtpcode binary is built");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    cmd
}

/// Runs with `--json` and parses every line of stdout.
pub fn json_lines(args: &[&str]) -> (Vec<serde_json::Value>, i32) {
    let output = smtpcode()
        .arg("--json")
        .args(args)
        .output()
        .expect("smtpcode runs");
    parse_json_lines(output)
}

/// Pipes `input` into `smtpcode --json ARGS` and parses every record.
pub fn stdin_json_lines(input: impl Into<Vec<u8>>, args: &[&str]) -> (Vec<serde_json::Value>, i32) {
    let output = smtpcode()
        .arg("--json")
        .args(args)
        .write_stdin(input.into())
        .output()
        .expect("smtpcode runs");
    parse_json_lines(output)
}

/// Every line of stdout as JSON, and the exit status.
pub fn parse_json_lines(output: std::process::Output) -> (Vec<serde_json::Value>, i32) {
    let stdout = String::from_utf8(output.stdout).expect("JSON output is UTF-8");
    let records = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    (records, output.status.code().expect("exited normally"))
}
