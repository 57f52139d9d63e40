//! Bad input, end to end: whatever arrives on stdin, the program ends with a documented status and
//! every line is accounted for. Peak memory for the same inputs is measured by
//! bench/bad-input.sh, not here.

use crate::{parse_json_lines, smtpcode};

/// Runs `smtpcode --json ARGS` on `input`: the records and the exit status.
fn run(input: Vec<u8>, args: &[&str]) -> (Vec<serde_json::Value>, i32) {
    let output = smtpcode()
        .arg("--json")
        .args(args)
        .write_stdin(input)
        .output()
        .expect("smtpcode runs");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse_json_lines(output)
}

/// Lines as the reader counts them: ended by `\n`, `\r\n` or a lone `\r`, and a last line without
/// an ending.
fn count_lines(data: &[u8]) -> usize {
    let mut lines = 0;
    let mut open = false;
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'\n' => (lines, open) = (lines + 1, false),
            b'\r' => {
                (lines, open) = (lines + 1, false);
                if data.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
            }
            _ => open = true,
        }
        i += 1;
    }
    lines + usize::from(open)
}

/// Bytes from a fixed seed, the same in every run.
fn garbage(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn a_100_mb_line_without_a_newline_is_one_truncated_record() {
    let mut input = b"550 5.1.1 <bob@example.com> ".to_vec();
    input.resize(100 * 1024 * 1024, b'y');
    let (records, status) = run(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["line"], 1);
    assert_eq!(records[0]["truncated"], true);
    assert_eq!(records[0]["reply_code"], 550);
}

#[test]
fn the_lines_after_long_ones_keep_their_records() {
    // Lines a few times the cap, each followed by a reply: all within one read of the input.
    let mut input = Vec::new();
    for n in 0..5 {
        input.resize(input.len() + 200 * 1024 + n, b'x');
        input.extend_from_slice(b"\n550 5.1.1 <bob@example.com>: User unknown\n");
    }
    let (records, status) = run(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(records.len(), 10);
    for pair in records.chunks(2) {
        assert_eq!(pair[0]["truncated"], true);
        assert_eq!(pair[1]["reply_code"], 550);
    }
}

#[test]
fn a_file_of_only_newlines_gives_a_record_per_line() {
    let (records, status) = run(vec![b'\n'; 100_000], &["--all"]);
    assert_eq!(status, 1, "no line has a result");
    assert_eq!(records.len(), 100_000);
    assert!(records
        .iter()
        .all(|r| r["input"] == "" && r["result"] == false));
    assert_eq!(records.last().unwrap()["line"], 100_000);
}

#[test]
fn a_byte_order_mark_does_not_hide_the_first_line() {
    // Notepad and other Windows tools start a saved bounce with one.
    let (records, status) = run(
        b"\xEF\xBB\xBF550 5.1.1 <bob@example.com>: User unknown\r\n550 5.1.1 <carol@example.com>: User unknown\r\n".to_vec(),
        &["--all"],
    );
    assert_eq!(status, 0);
    assert_eq!(records.len(), 2);
    for (record, recipient) in records.iter().zip(["bob@example.com", "carol@example.com"]) {
        assert_eq!(record["reply_code"], 550, "{record}");
        assert_eq!(record["recipient"], recipient, "{record}");
    }
    assert_eq!(
        records[0]["input"],
        "550 5.1.1 <bob@example.com>: User unknown"
    );
}

/// `lines` compressed as gzip writes them.
fn gzip(lines: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(lines).unwrap();
    encoder.finish().unwrap()
}

const BOUNCED: &str = "Nov 23 10:00:01 mx postfix/smtp[1234]: 3F2A41C0D2: to=<bob@example.com>, \
    relay=mx.example.com[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host \
    mx.example.com[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command))\n";

#[test]
fn a_log_rotated_and_compressed_is_read_decompressed() {
    // `smtpcode < mail.log.2.gz`; two files concatenated, as `cat a.gz b.gz` gives them.
    let mut input = gzip(BOUNCED.repeat(1000).as_bytes());
    input.extend(gzip(b"550 5.2.2 Mailbox full\n"));
    let (records, status) = run(input, &[]);
    assert_eq!(status, 0);
    assert_eq!(records.len(), 1001);
    assert_eq!(records[999]["recipient"], "bob@example.com");
    assert_eq!(records[999]["line"], 1000);
    assert_eq!(records[1000]["reason"], "mailbox_full");
}

#[test]
fn damaged_compressed_input_is_an_error_after_the_records_before_the_damage() {
    let mut input = gzip(BOUNCED.repeat(2000).as_bytes());
    input.truncate(input.len() / 2);
    let output = smtpcode()
        .arg("--json")
        .write_stdin(input)
        .output()
        .expect("smtpcode runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.trim_end(),
        "smtpcode: reading input: decompressing gzip input: incomplete deflate stream"
    );
    let (records, status) = parse_json_lines(output);
    assert_eq!(status, 2);
    assert!(records.len() > 100, "{}", records.len());
    assert!(records.iter().all(|r| r["reason"] == "user_unknown"));
}

#[test]
fn cr_only_line_endings_split_lines() {
    let input =
        b"550 5.1.1 <bob@example.com>: User unknown\r\r452 4.2.2 Mailbox full\rdone".to_vec();
    let (records, status) = run(input, &["--all"]);
    assert_eq!(status, 0);
    let lines: Vec<u64> = records
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 2, 3, 4]);
    assert_eq!(records[0]["reason"], "user_unknown");
    assert_eq!(records[1]["input"], "");
    assert_eq!(records[2]["reason"], "mailbox_full");
    assert_eq!(records[3]["input"], "done");
}

#[test]
fn binary_garbage_gives_a_record_per_line_in_order() {
    for seed in [1, 7, 42] {
        let input = garbage(2 * 1024 * 1024, seed);
        let expected = count_lines(&input);
        let (records, status) = run(input, &["--all"]);
        assert!(status == 0 || status == 1, "status {status}");
        assert_eq!(records.len(), expected, "seed {seed}");
        for (index, record) in records.iter().enumerate() {
            assert_eq!(record["line"], index as u64 + 1);
        }
    }
}

#[test]
fn binary_garbage_as_rows_never_writes_a_control_byte() {
    let input = garbage(512 * 1024, 9);
    let output = smtpcode()
        .args(["--all", "--color", "never"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(output.status.code().is_some_and(|c| c <= 1));
    let bad = output
        .stdout
        .iter()
        .find(|&&b| (b < 0x20 && b != b'\n') || b == 0x7f);
    assert_eq!(bad, None);
}

#[test]
fn ten_million_short_lines_are_all_counted() {
    let mut block = b"q 1\n".repeat(999);
    block.extend_from_slice(b"550 5.1.1 x\n");
    let input = block.repeat(10_000);
    let (records, status) = run(input, &["--summary"]);
    assert_eq!(status, 0);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["lines"], 10_000_000);
    assert_eq!(records[0]["results"], 10_000);
    assert_eq!(records[0]["reason"]["user_unknown"], 10_000);
}

#[test]
fn a_line_for_hundreds_of_recipients_gives_each_a_record_and_the_next_line_its_own() {
    let addresses: Vec<String> = (0..600).map(|n| format!("<u{n}@example.com>")).collect();
    let mut input = format!(
        "Nov 23 10:00:01 mail sendmail[1]: 2ANA01xZ012345: to={}, delay=00:00:01, mailer=esmtp, \
         relay=mx.example.com. [192.0.2.1], dsn=5.1.2, stat=Host unknown\n",
        addresses.join(",")
    )
    .into_bytes();
    input.extend_from_slice(b"a line without a result\n");
    let (found, status) = run(input, &["--all"]);
    assert_eq!(status, 0);
    assert_eq!(found.len(), 601);
    for (n, record) in found[..600].iter().enumerate() {
        assert_eq!(record["line"], 1);
        assert_eq!(record["recipient"], format!("u{n}@example.com"));
        assert_eq!(record["reason"], "host_unknown");
    }
    assert_eq!(found[600]["line"], 2);
    assert_eq!(found[600]["result"], false);
}
