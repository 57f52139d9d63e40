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
const SERVICES: &str = "data/services.toml";

/// The record formats whose events carry a service's class of a failure (src/lines/delivery.rs
/// names them; tests/data_check.rs keeps the two lists together).
pub const CLASSED_FORMATS: [&str; 10] = [
    "sparkpost",
    "kumomta",
    "sendgrid",
    "powermta",
    "mailjet",
    "brevo",
    "mandrill",
    "ses",
    "postmark",
    "amavis",
];

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
    check_providers(tables, &reasons, &mut problems);
    check_service_classes(tables, &reasons, &mut problems);
    problems
}

fn check_service_classes(tables: &Tables, reasons: &HashSet<String>, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for (n, class) in tables.service_classes.iter().enumerate() {
        let (Some(service), Some(value)) = (&class.service, &class.value) else {
            problems.push(format!(
                "{SERVICES}: class #{}: missing field `service` or `value`",
                n + 1
            ));
            continue;
        };
        let entry = format!("{service} \"{value}\"");
        if !CLASSED_FORMATS.contains(&service.as_str()) {
            problems.push(format!(
                "{SERVICES}: {entry}: unknown service (one of {})",
                CLASSED_FORMATS.join(", ")
            ));
        }
        if value.trim() != value || value.is_empty() {
            problems.push(format!(
                "{SERVICES}: {entry}: value empty or with outer spaces"
            ));
        }
        if !seen.insert((service.clone(), value.to_lowercase())) {
            problems.push(format!("{SERVICES}: {entry}: duplicate class"));
        }
        match &class.reason {
            None => problems.push(format!("{SERVICES}: {entry}: missing field `reason`")),
            Some(reason) if !reasons.contains(reason) => problems.push(format!(
                "{SERVICES}: {entry}: unknown reason \"{reason}\" (see {REASONS})"
            )),
            Some(reason) if class.bounce.is_some() && reason != "undefined" => {
                problems.push(format!(
                "{SERVICES}: {entry}: `bounce` is for an undefined reason; \"{reason}\" decides it"
            ))
            }
            _ => {}
        }
        if let Some(bounce) = &class.bounce {
            if bounce != "hard" && bounce != "soft" {
                problems.push(format!(
                    "{SERVICES}: {entry}: bounce \"{bounce}\" is neither \"hard\" nor \"soft\""
                ));
            }
        }
        for (field, value) in [
            ("field", &class.field),
            ("meaning", &class.meaning),
            ("source", &class.source),
        ] {
            if value.as_deref().is_none_or(|v| v.trim().is_empty()) {
                problems.push(format!("{SERVICES}: {entry}: missing field `{field}`"));
            }
        }
    }
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

const PROVIDERS: &str = "data/providers.toml";
pub const PROVIDER_KINDS: [&str; 4] = ["mailbox", "gateway", "service", "blocklist"];
pub const IDENTIFY: [&str; 3] = ["phrase", "code", "host"];

/// Checks data/providers.toml: providers named once with their hosts and markers, replies that
/// point at a known provider with well-formed codes, a known reason and an example that holds one
/// of their phrases, and blocklist answers tied to a zone.
pub fn check_providers(tables: &Tables, reasons: &HashSet<String>, problems: &mut Vec<String>) {
    let mut names = HashSet::new();
    let mut hosts = HashSet::new();
    let mut kinds = std::collections::HashMap::new();
    for (n, provider) in tables.providers.iter().enumerate() {
        let Some(id) = &provider.id else {
            problems.push(format!(
                "{PROVIDERS}: provider #{}: missing field `id`",
                n + 1
            ));
            continue;
        };
        let entry = format!("provider {id}");
        if !is_name(id) {
            problems.push(format!(
                "{PROVIDERS}: {entry}: id must be lower-case letters, digits and '-'"
            ));
        }
        for name in std::iter::once(id).chain(&provider.aliases) {
            if name.to_lowercase() != *name || name.trim() != name || name.is_empty() {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: alias \"{name}\" must be lower case"
                ));
            }
            if !names.insert(name.clone()) {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: name \"{name}\" already names another provider"
                ));
            }
        }
        require(PROVIDERS, &entry, "name", &provider.name, problems);
        require(PROVIDERS, &entry, "source", &provider.source, problems);
        match &provider.docs {
            None => problems.push(format!("{PROVIDERS}: {entry}: missing field `docs`")),
            Some(docs) if !docs.starts_with("https://") && !docs.starts_with("http://") => {
                problems.push(format!("{PROVIDERS}: {entry}: `docs` must be a link"))
            }
            Some(_) => {}
        }
        match provider.kind.as_deref() {
            None => problems.push(format!("{PROVIDERS}: {entry}: missing field `kind`")),
            Some(kind) if !PROVIDER_KINDS.contains(&kind) => problems.push(format!(
                "{PROVIDERS}: {entry}: unknown kind \"{kind}\" (one of {PROVIDER_KINDS:?})"
            )),
            Some(kind) => {
                kinds.insert(id.clone(), kind.to_string());
            }
        }
        for host in &provider.hosts {
            if !is_dns_name(host) {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: host \"{host}\" is not a lower-case DNS name"
                ));
            }
            if !hosts.insert(host.clone()) {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: host \"{host}\" belongs to another provider"
                ));
            }
        }
        for word in provider.host_words.iter().chain(&provider.markers) {
            if word.trim() != word || word.len() < 4 || !word.is_ascii() {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: marker or host word \"{word}\" must be ASCII, at least 4 characters, without outer spaces"
                ));
            }
        }
    }

    let shown: HashSet<&str> = tables
        .providers
        .iter()
        .filter(|p| !p.hosts.is_empty() || !p.host_words.is_empty() || !p.markers.is_empty())
        .filter_map(|p| p.id.as_deref())
        .collect();
    let mut seen = HashSet::new();
    for (n, reply) in tables.provider_replies.iter().enumerate() {
        let first = reply.phrases.first().cloned().unwrap_or_default();
        let entry = format!(
            "reply #{} ({} \"{first}\")",
            n + 1,
            reply.provider.as_deref().unwrap_or("?")
        );
        match &reply.provider {
            None => problems.push(format!("{PROVIDERS}: {entry}: missing field `provider`")),
            Some(p) if !kinds.contains_key(p) => {
                problems.push(format!("{PROVIDERS}: {entry}: unknown provider \"{p}\""))
            }
            _ => {}
        }
        if reply.phrases.is_empty() {
            problems.push(format!("{PROVIDERS}: {entry}: missing field `match`"));
        }
        for phrase in &reply.phrases {
            if phrase.trim() != phrase || phrase.len() < 4 || !phrase.is_ascii() {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: phrase \"{phrase}\" must be ASCII, at least 4 characters, without outer spaces"
                ));
            }
            let key = (
                reply.provider.clone(),
                phrase.to_lowercase(),
                reply.code,
                reply.enhanced.clone(),
            );
            if !seen.insert(key) {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: duplicate phrase \"{phrase}\" for the same provider and codes"
                ));
            }
        }
        if let Some(code) = reply.code {
            if !(200..600).contains(&code) {
                problems.push(format!("{PROVIDERS}: {entry}: malformed code {code}"));
            }
        }
        if reply.redefines {
            let registered = reply
                .enhanced
                .as_deref()
                .and_then(parse_enhanced_range)
                .is_some_and(|(_, subject, first, _)| {
                    tables.details.iter().any(|d| {
                        d.code.as_deref().and_then(parse_detail_key) == Some((subject, first))
                    })
                });
            if !registered {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: `redefines` needs a registered enhanced code"
                ));
            }
        }
        if let Some(enhanced) = &reply.enhanced {
            if parse_enhanced_range(enhanced).is_none() {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: malformed enhanced code \"{enhanced}\" (write 5.7.1 or a range 5.7.606-649)"
                ));
            }
        }
        match reply.identify.as_deref() {
            Some("host") if !shown.contains(reply.provider.as_deref().unwrap_or("")) => {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: `identify = \"host\"` but the provider has no hosts or markers"
                ))
            }
            None | Some("phrase" | "host") => {}
            Some("code") if reply.enhanced.is_none() && reply.code.is_none() => problems.push(
                format!("{PROVIDERS}: {entry}: `identify = \"code\"` needs a code"),
            ),
            Some("code") => {}
            Some(other) => problems.push(format!(
                "{PROVIDERS}: {entry}: unknown identify \"{other}\" (one of {IDENTIFY:?})"
            )),
        }
        match &reply.reason {
            None => problems.push(format!("{PROVIDERS}: {entry}: missing field `reason`")),
            Some(reason) if !reasons.contains(reason) => problems.push(format!(
                "{PROVIDERS}: {entry}: unknown reason \"{reason}\" (see {REASONS})"
            )),
            _ => {}
        }
        if let Some(bounce) = reply.bounce.as_deref() {
            if bounce != "hard" && bounce != "soft" {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: bounce is \"hard\" or \"soft\""
                ));
            }
        }
        require(PROVIDERS, &entry, "meaning", &reply.meaning, problems);
        match &reply.example {
            None => problems.push(format!("{PROVIDERS}: {entry}: missing field `example`")),
            Some(example) => {
                let lower = example.to_lowercase();
                if !reply
                    .phrases
                    .iter()
                    .any(|p| lower.contains(&p.to_lowercase()))
                {
                    problems.push(format!(
                        "{PROVIDERS}: {entry}: the example holds none of the phrases"
                    ));
                }
                if let (Some(code), Some(first)) = (reply.code, example.get(..3)) {
                    if first.bytes().all(|b| b.is_ascii_digit()) && first != code.to_string() {
                        problems.push(format!(
                            "{PROVIDERS}: {entry}: the example starts with {first}, not {code}"
                        ));
                    }
                }
            }
        }
    }

    let mut answers = HashSet::new();
    for (n, answer) in tables.answers.iter().enumerate() {
        let entry = format!(
            "answer #{} ({} {})",
            n + 1,
            answer.provider.as_deref().unwrap_or("?"),
            answer.answer.as_deref().unwrap_or("?")
        );
        match &answer.provider {
            None => problems.push(format!("{PROVIDERS}: {entry}: missing field `provider`")),
            Some(p) if kinds.get(p).map(String::as_str) != Some("blocklist") => problems.push(
                format!("{PROVIDERS}: {entry}: \"{p}\" is not a provider of kind blocklist"),
            ),
            _ => {}
        }
        match answer.answer.as_deref().map(parse_answer) {
            None => problems.push(format!("{PROVIDERS}: {entry}: missing field `answer`")),
            Some(None) => problems.push(format!(
                "{PROVIDERS}: {entry}: an answer is 127.x.y.z, the last number may be a range 2-24"
            )),
            Some(Some(_)) => {}
        }
        if answer.zones.is_empty() {
            problems.push(format!("{PROVIDERS}: {entry}: missing field `zones`"));
        }
        for zone in &answer.zones {
            if !is_dns_name(zone) {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: zone \"{zone}\" is not a lower-case DNS name"
                ));
            }
            if !answers.insert((zone.clone(), answer.answer.clone())) {
                problems.push(format!(
                    "{PROVIDERS}: {entry}: zone {zone} already has this answer"
                ));
            }
        }
        require(PROVIDERS, &entry, "list", &answer.list, problems);
        require(PROVIDERS, &entry, "meaning", &answer.meaning, problems);
        require(PROVIDERS, &entry, "source", &answer.source, problems);
        match &answer.reason {
            None => problems.push(format!("{PROVIDERS}: {entry}: missing field `reason`")),
            Some(reason) if !reasons.contains(reason) => problems.push(format!(
                "{PROVIDERS}: {entry}: unknown reason \"{reason}\" (see {REASONS})"
            )),
            _ => {}
        }
    }
}

fn is_name(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_dns_name(host: &str) -> bool {
    host.contains('.')
        && host.split('.').all(|label| !label.is_empty())
        && host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// Parses "5.7.1" or a range of details "5.7.606-649" into (class, subject, first, last).
pub fn parse_enhanced_range(text: &str) -> Option<(u8, u16, u16, u16)> {
    match text.split_once('-') {
        None => parse_enhanced(text).map(|(c, s, d)| (c, s, d, d)),
        Some((start, last)) => {
            let (class, subject, first) = parse_enhanced(start)?;
            let last = number(last)?;
            (last > first).then_some((class, subject, first, last))
        }
    }
}

/// Parses a blocklist answer "127.0.0.2" or "127.0.2.2-24" into its first three numbers and the
/// range of the last.
pub fn parse_answer(text: &str) -> Option<([u8; 3], u8, u8)> {
    let mut parts = text.split('.');
    let mut head = [0u8; 3];
    for slot in &mut head {
        *slot = parts.next()?.parse().ok()?;
    }
    let last = parts.next()?;
    if parts.next().is_some() || head[0] != 127 {
        return None;
    }
    let (first, end) = match last.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let n = last.parse().ok()?;
            (n, n)
        }
    };
    (first <= end).then_some((head, first, end))
}
