//! Validation of the data files. Every problem is collected, so one build shows them all.
//!
//! Each message names the file and the entry: `data/reply.toml: 550: outcome "transient"
//! contradicts class 5 (permanent)`.

use crate::model::{DetailDef, DigitDef, ReplyDef, Tables};
use std::collections::{BTreeSet, HashSet};

pub const OUTCOMES: [&str; 4] = ["success", "intermediate", "transient", "permanent"];
pub const STATUSES: [&str; 7] = [
    "standard",
    "extension",
    "discouraged",
    "obsolete",
    "registry-only",
    "nonstandard",
    "not-a-reply",
];

const REASONS: &str = "data/reasons.toml";
const REPLY: &str = "data/reply.toml";
const ENHANCED: &str = "data/enhanced.toml";
const PHRASES: &str = "data/phrases.toml";

pub fn check(tables: &Tables) -> Vec<String> {
    let mut problems = Vec::new();
    let reasons = check_reasons(tables, &mut problems);
    check_digits(
        REPLY,
        "class",
        &tables.reply_classes,
        &[1, 2, 3, 4, 5],
        true,
        &mut problems,
    );
    check_digits(
        REPLY,
        "category",
        &tables.categories,
        &[0, 1, 2, 3, 4, 5],
        false,
        &mut problems,
    );
    check_replies(tables, &reasons, &mut problems);
    check_digits(
        ENHANCED,
        "class",
        &tables.enhanced_classes,
        &[2, 4, 5],
        true,
        &mut problems,
    );
    let subjects = [0, 1, 2, 3, 4, 5, 6, 7];
    check_digits(
        ENHANCED,
        "subject",
        &tables.subjects,
        &subjects,
        false,
        &mut problems,
    );
    check_details(tables, &reasons, &mut problems);
    check_phrases(tables, &reasons, &mut problems);
    problems
}

fn check_phrases(tables: &Tables, reasons: &HashSet<String>, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for (n, phrase) in tables.phrases.iter().enumerate() {
        let Some(text) = &phrase.text else {
            problems.push(format!(
                "{PHRASES}: phrase #{}: missing field `match`",
                n + 1
            ));
            continue;
        };
        let entry = format!("\"{text}\"");
        if text.trim() != text || text.is_empty() || text.to_lowercase() != *text {
            problems.push(format!(
                "{PHRASES}: {entry}: write phrases in lower case, without outer spaces"
            ));
        }
        if !seen.insert(text.clone()) {
            problems.push(format!("{PHRASES}: {entry}: duplicate phrase"));
        }
        match &phrase.reason {
            None => problems.push(format!("{PHRASES}: {entry}: missing field `reason`")),
            Some(reason) if !reasons.contains(reason) => problems.push(format!(
                "{PHRASES}: {entry}: unknown reason \"{reason}\" (see {REASONS})"
            )),
            _ => {}
        }
    }
    let mut zones = HashSet::new();
    for (n, blocklist) in tables.blocklists.iter().enumerate() {
        let Some(zone) = &blocklist.zone else {
            problems.push(format!(
                "{PHRASES}: blocklist #{}: missing field `zone`",
                n + 1
            ));
            continue;
        };
        let valid = zone.contains('.')
            && zone.split('.').all(|label| !label.is_empty())
            && zone
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !valid {
            problems.push(format!(
                "{PHRASES}: blocklist {zone}: not a lower-case DNS zone"
            ));
        }
        if !zones.insert(zone.clone()) {
            problems.push(format!("{PHRASES}: blocklist {zone}: duplicate zone"));
        }
    }
}

fn check_reasons(tables: &Tables, problems: &mut Vec<String>) -> HashSet<String> {
    let mut ids = HashSet::new();
    for (n, reason) in tables.reasons.iter().enumerate() {
        let Some(id) = &reason.id else {
            problems.push(format!("{REASONS}: reason #{}: missing field `id`", n + 1));
            continue;
        };
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            problems.push(format!("{REASONS}: {id}: id must be snake_case letters"));
        }
        if !ids.insert(id.clone()) {
            problems.push(format!("{REASONS}: {id}: duplicate reason"));
        }
        require(REASONS, id, "summary", &reason.summary, problems);
        require(REASONS, id, "advice", &reason.advice, problems);
        if reason.hard.is_none() {
            problems.push(format!("{REASONS}: {id}: missing field `hard`"));
        }
    }
    ids
}

/// Checks a digit table: each of `expected` once, with a name and a meaning, and (for classes)
/// an outcome that agrees with the digit.
fn check_digits(
    file: &str,
    what: &str,
    defs: &[DigitDef],
    expected: &[i64],
    with_outcome: bool,
    problems: &mut Vec<String>,
) {
    let mut seen = BTreeSet::new();
    for (n, def) in defs.iter().enumerate() {
        let Some(digit) = def.digit else {
            problems.push(format!("{file}: {what} #{}: missing field `digit`", n + 1));
            continue;
        };
        let entry = format!("{what} {digit}");
        if !expected.contains(&digit) {
            problems.push(format!(
                "{file}: {entry}: not a {what} digit (expected one of {expected:?})"
            ));
        }
        if !seen.insert(digit) {
            problems.push(format!("{file}: {entry}: duplicate {what}"));
        }
        require(file, &entry, "name", &def.name, problems);
        require(file, &entry, "meaning", &def.meaning, problems);
        require(file, &entry, "source", &def.source, problems);
        if with_outcome {
            match def.outcome.as_deref() {
                None => problems.push(format!("{file}: {entry}: missing field `outcome`")),
                Some(outcome) if !OUTCOMES.contains(&outcome) => {
                    problems.push(format!("{file}: {entry}: unknown outcome \"{outcome}\""))
                }
                Some(outcome) => {
                    let expected = class_outcome(digit);
                    if expected.is_some_and(|expected| expected != outcome) {
                        problems.push(format!(
                            "{file}: {entry}: outcome \"{outcome}\" contradicts class {digit}"
                        ));
                    }
                }
            }
        } else if def.outcome.is_some() {
            problems.push(format!("{file}: {entry}: a {what} has no outcome"));
        }
    }
    for &digit in expected {
        if !seen.contains(&digit) {
            problems.push(format!("{file}: {what} {digit} is missing"));
        }
    }
}

/// The outcome every code of a class has; 1yz is not an SMTP class.
pub fn class_outcome(digit: i64) -> Option<&'static str> {
    match digit {
        2 => Some("success"),
        3 => Some("intermediate"),
        4 => Some("transient"),
        5 => Some("permanent"),
        _ => None,
    }
}

fn check_replies(tables: &Tables, reasons: &HashSet<String>, problems: &mut Vec<String>) {
    let mut keys = HashSet::new();
    let mut last_code = 0;
    for (n, reply) in tables.replies.iter().enumerate() {
        let Some(code) = reply.code else {
            problems.push(format!("{REPLY}: reply #{}: missing field `code`", n + 1));
            continue;
        };
        let entry = match &reply.context {
            Some(context) => format!("{code} ({context})"),
            None => code.to_string(),
        };
        if !is_reply_code(code) {
            problems.push(format!(
                "{REPLY}: {entry}: malformed code: a reply code has three digits, the first 1-5"
            ));
        }
        if code < last_code {
            problems.push(format!(
                "{REPLY}: {entry}: out of order (entries are sorted by code)"
            ));
        }
        last_code = code;
        if !keys.insert((code, reply.context.clone())) {
            let what = if reply.context.is_some() {
                "duplicate code and context"
            } else {
                "duplicate code (a second meaning of a code needs a `context`)"
            };
            problems.push(format!("{REPLY}: {entry}: {what}"));
        }
        if reply.context.is_some() && !keys.contains(&(code, None)) {
            problems.push(format!(
                "{REPLY}: {entry}: the first entry of a code is its main meaning and has no `context`"
            ));
        }
        check_reply_fields(&entry, reply, reasons, problems);
    }
}

fn check_reply_fields(
    entry: &str,
    reply: &ReplyDef,
    reasons: &HashSet<String>,
    problems: &mut Vec<String>,
) {
    let code = reply.code.unwrap_or_default();
    require(REPLY, entry, "text", &reply.text, problems);
    require(REPLY, entry, "source", &reply.source, problems);
    require(REPLY, entry, "meaning", &reply.meaning, problems);
    require(REPLY, entry, "advice", &reply.advice, problems);
    if reply.causes.is_none() {
        problems.push(format!("{REPLY}: {entry}: missing field `causes`"));
    }
    let status = reply.status.as_deref();
    match status {
        None => problems.push(format!("{REPLY}: {entry}: missing field `status`")),
        Some(s) if !STATUSES.contains(&s) => problems.push(format!(
            "{REPLY}: {entry}: unknown status \"{s}\" (one of {STATUSES:?})"
        )),
        _ => {}
    }
    let unofficial = matches!(status, Some("nonstandard" | "not-a-reply"));
    if unofficial && reply.used_by.is_none() {
        problems.push(format!(
            "{REPLY}: {entry}: a {} code needs `used_by`",
            status.unwrap_or("")
        ));
    }
    if !unofficial && reply.used_by.is_some() {
        problems.push(format!(
            "{REPLY}: {entry}: `used_by` is only for nonstandard codes"
        ));
    }
    let class = code / 100;
    if class == 1 && status != Some("not-a-reply") {
        problems.push(format!(
            "{REPLY}: {entry}: SMTP has no 1yz replies; status must be \"not-a-reply\""
        ));
    }
    match reply.outcome.as_deref() {
        None => problems.push(format!("{REPLY}: {entry}: missing field `outcome`")),
        Some(outcome) if !OUTCOMES.contains(&outcome) => {
            problems.push(format!("{REPLY}: {entry}: unknown outcome \"{outcome}\""))
        }
        Some(outcome) => {
            if let Some(expected) = class_outcome(class) {
                if expected != outcome {
                    problems.push(format!(
                        "{REPLY}: {entry}: outcome \"{outcome}\" contradicts class {class} ({expected})"
                    ));
                }
            }
        }
    }
    match (&reply.reason, class) {
        (None, 1 | 4 | 5) => problems.push(format!(
            "{REPLY}: {entry}: missing field `reason` (required for failures)"
        )),
        (Some(_), 2 | 3) => {
            problems.push(format!("{REPLY}: {entry}: `reason` is only for failures"))
        }
        (Some(reason), _) if !reasons.contains(reason) => problems.push(format!(
            "{REPLY}: {entry}: unknown reason \"{reason}\" (see {REASONS})"
        )),
        _ => {}
    }
    for enhanced in &reply.enhanced {
        match parse_enhanced(enhanced) {
            Some((class_digit, _, _)) if class_digit as i64 != class => problems.push(format!(
                "{REPLY}: {entry}: enhanced code {enhanced} has another class than {code}"
            )),
            Some(_) => {}
            None => problems.push(format!(
                "{REPLY}: {entry}: malformed enhanced code \"{enhanced}\""
            )),
        }
    }
}

fn check_details(tables: &Tables, reasons: &HashSet<String>, problems: &mut Vec<String>) {
    let subjects: HashSet<i64> = tables.subjects.iter().filter_map(|s| s.digit).collect();
    let mut keys = HashSet::new();
    for (n, detail) in tables.details.iter().enumerate() {
        let Some(code) = &detail.code else {
            problems.push(format!(
                "{ENHANCED}: detail #{}: missing field `code`",
                n + 1
            ));
            continue;
        };
        match parse_detail_key(code) {
            None => problems.push(format!(
                "{ENHANCED}: {code}: malformed code: a registered code is written X.subject.detail, like X.1.1"
            )),
            Some((subject, number)) => {
                if !subjects.contains(&(subject as i64)) {
                    problems.push(format!("{ENHANCED}: {code}: unknown subject {subject}"));
                }
                if !keys.insert((subject, number)) {
                    problems.push(format!("{ENHANCED}: {code}: duplicate code"));
                }
            }
        }
        check_detail_fields(code, detail, reasons, problems);
    }
}

fn check_detail_fields(
    code: &str,
    detail: &DetailDef,
    reasons: &HashSet<String>,
    problems: &mut Vec<String>,
) {
    require(ENHANCED, code, "text", &detail.text, problems);
    require(ENHANCED, code, "source", &detail.source, problems);
    require(ENHANCED, code, "meaning", &detail.meaning, problems);
    require(ENHANCED, code, "advice", &detail.advice, problems);
    if detail.causes.is_none() {
        problems.push(format!("{ENHANCED}: {code}: missing field `causes`"));
    }
    match &detail.reason {
        None => problems.push(format!("{ENHANCED}: {code}: missing field `reason`")),
        Some(reason) if !reasons.contains(reason) => problems.push(format!(
            "{ENHANCED}: {code}: unknown reason \"{reason}\" (see {REASONS})"
        )),
        _ => {}
    }
}

fn require(
    file: &str,
    entry: &str,
    field: &str,
    value: &Option<String>,
    problems: &mut Vec<String>,
) {
    match value {
        None => problems.push(format!("{file}: {entry}: missing field `{field}`")),
        Some(text) if text.trim().is_empty() => {
            problems.push(format!("{file}: {entry}: field `{field}` is empty"))
        }
        Some(_) => {}
    }
}

fn is_reply_code(code: i64) -> bool {
    (100..600).contains(&code)
}

/// Parses "5.1.1" into (class, subject, detail), following RFC 3463's grammar: class 2, 4 or 5;
/// subject and detail of one to three digits without leading zeros.
pub fn parse_enhanced(text: &str) -> Option<(u8, u16, u16)> {
    let mut parts = text.split('.');
    let class = match parts.next()? {
        "2" => 2,
        "4" => 4,
        "5" => 5,
        _ => return None,
    };
    let subject = number(parts.next()?)?;
    let detail = number(parts.next()?)?;
    parts.next().is_none().then_some((class, subject, detail))
}

/// Parses "X.1.1" into (subject, detail).
pub fn parse_detail_key(text: &str) -> Option<(u16, u16)> {
    let rest = text.strip_prefix("X.")?;
    let (subject, detail) = rest.split_once('.')?;
    Some((number(subject)?, number(detail)?))
}

fn number(text: &str) -> Option<u16> {
    let ok = (1..=3).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if ok {
        text.parse().ok()
    } else {
        None
    }
}
