//! The tables must not lose a code that an RFC or the IANA registry defines, or that the issue
//! names as used in the wild. Every code here must look up with exit 0 and the right outcome.

use super::json_lines;
use std::path::Path;

/// RFC 5321 §4.2.2 / §4.2.3.
const RFC_5321: &[u16] = &[
    211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504, 550,
    551, 552, 553, 554, 555,
];

/// Later RFCs: 4954 (AUTH), 7504 (521, 556), 1985 (ETRN), 2645 (ATRN), 3207 (STARTTLS).
const LATER_RFCS: &[u16] = &[
    235, 334, 432, 454, 530, 534, 535, 538, 521, 556, 253, 458, 459, 453,
];

/// Named only by the IANA enhanced-code registry, or used though no RFC defines them.
const REGISTRY_AND_NONSTANDARD: &[u16] = &[
    422, 430, 523, 524, 525, 533, 200, 101, 111, 420, 431, 441, 442, 446, 447, 449, 471, 510, 511,
    512, 513, 541, 571,
];

/// Every detail code of the IANA registry, X.0.0 to X.7.30 (RFC 3463, RFC 5248 and later).
const IANA_DETAILS: &[&str] = &[
    "0.0", "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "2.0",
    "2.1", "2.2", "2.3", "2.4", "3.0", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "4.0", "4.1",
    "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "5.0", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6",
    "6.0", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "7.0", "7.1",
    "7.2", "7.3", "7.4", "7.5", "7.6", "7.7", "7.8", "7.9", "7.10", "7.11", "7.12", "7.13", "7.14",
    "7.15", "7.16", "7.17", "7.18", "7.19", "7.20", "7.21", "7.22", "7.23", "7.24", "7.25", "7.26",
    "7.27", "7.28", "7.29", "7.30",
];

fn class_outcome(class: char) -> &'static str {
    match class {
        '2' => "success",
        '3' => "intermediate",
        '4' => "transient",
        '5' => "permanent",
        '1' => "transient", // the 1xx numbers are connection failures reported by clients
        _ => unreachable!(),
    }
}

/// Looks every query up in one run and checks exit 0, assignment and outcome.
fn assert_all_known(queries: &[String]) {
    let args: Vec<&str> = queries.iter().map(String::as_str).collect();
    let (records, status) = json_lines(&args);
    assert_eq!(records.len(), queries.len());
    for (query, record) in queries.iter().zip(&records) {
        let part = if query.contains('.') {
            "enhanced"
        } else {
            "reply"
        };
        assert_eq!(
            record[part]["assigned"], true,
            "{query} is missing from the tables"
        );
        let expected = class_outcome(query.chars().next().unwrap());
        assert_eq!(record["outcome"], expected, "{query} has the wrong outcome");
    }
    assert_eq!(status, 0);
}

#[test]
fn every_basic_code_of_the_rfcs_is_in_the_tables() {
    let codes: Vec<String> = RFC_5321
        .iter()
        .chain(LATER_RFCS)
        .map(u16::to_string)
        .collect();
    assert_all_known(&codes);
}

#[test]
fn registry_only_and_nonstandard_codes_are_in_the_tables() {
    let codes: Vec<String> = REGISTRY_AND_NONSTANDARD
        .iter()
        .map(u16::to_string)
        .collect();
    assert_all_known(&codes);
}

#[test]
fn every_iana_enhanced_code_is_in_the_tables_in_every_class() {
    let codes: Vec<String> = ["2", "4", "5"]
        .iter()
        .flat_map(|class| {
            IANA_DETAILS
                .iter()
                .map(move |detail| format!("{class}.{detail}"))
        })
        .collect();
    assert_all_known(&codes);
}

/// The fact tables in ../shared/reference, where the checkout has them beside it (CI does).
#[test]
fn every_code_of_the_shared_reference_tables_looks_up() {
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference");
    let basic = reference.join("basic-codes.tsv");
    let enhanced = reference.join("enhanced-codes.tsv");
    if !basic.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have {}",
            basic.display()
        );
        eprintln!(
            "skipped: {} is not beside this checkout",
            reference.display()
        );
        return;
    }
    let mut codes: Vec<String> = column(&basic).filter(|c| c.len() == 3).collect();
    codes.sort();
    codes.dedup();
    assert!(codes.len() > 40, "basic-codes.tsv read: {codes:?}");
    assert_all_known(&codes);

    let details: Vec<String> = column(&enhanced)
        .filter_map(|c| c.strip_prefix("X.").map(str::to_string))
        .filter(|c| !c.contains("XXX"))
        .collect();
    assert!(details.len() > 80, "enhanced-codes.tsv read: {details:?}");
    let codes: Vec<String> = ["2", "4", "5"]
        .iter()
        .flat_map(|class| {
            details
                .iter()
                .map(move |detail| format!("{class}.{detail}"))
        })
        .collect();
    assert_all_known(&codes);
}

fn column(path: &Path) -> impl Iterator<Item = String> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .skip_while(|line| line.starts_with('#'))
        .skip(1)
        .filter_map(|line| line.split('\t').next().map(str::to_string))
        .collect::<Vec<_>>()
        .into_iter()
}
