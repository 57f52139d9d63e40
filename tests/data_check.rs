//! The build script's validation, run on broken copies of data/: each problem must be reported
//! with the file and the entry it is in.

#[allow(dead_code)]
#[path = "../build/check.rs"]
mod check;
#[allow(dead_code)]
#[path = "../build/model.rs"]
mod model;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs the build script's checks on a copy of data/ in which `file` was changed by `edit`.
fn problems_in(file: &str, edit: fn(String) -> String) -> Vec<String> {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "smtpcode-data-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for name in model::FILES {
        let text = std::fs::read_to_string(data.join(name)).unwrap();
        let changed = if name == file {
            edit(text.clone())
        } else {
            text.clone()
        };
        assert!(
            name != file || changed != text,
            "the edit must change {file}"
        );
        std::fs::write(dir.join(name), changed).unwrap();
    }
    let problems = match model::Tables::load(&dir) {
        Ok(tables) => check::check(&tables),
        Err(problems) => problems,
    };
    std::fs::remove_dir_all(&dir).unwrap();
    problems
}

fn assert_reported(problems: &[String], expected: &str) {
    assert!(
        problems.iter().any(|p| p.contains(expected)),
        "expected a problem containing {expected:?}, got {problems:#?}"
    );
}

#[test]
fn the_real_data_has_no_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let tables = model::Tables::load(&dir).unwrap();
    assert_eq!(check::check(&tables), Vec::<String>::new());
}

#[test]
fn a_duplicate_reply_code_is_rejected() {
    let problems = problems_in("reply.toml", |t| {
        t.replacen("[[reply]]\ncode = 221\n", "[[reply]]\ncode = 220\n", 1)
    });
    assert_reported(&problems, "data/reply.toml: 220: duplicate code");
}

#[test]
fn a_malformed_reply_code_is_rejected() {
    let problems = problems_in("reply.toml", |t| {
        t.replacen("code = 571\n", "code = 5710\n", 1)
    });
    assert_reported(&problems, "data/reply.toml: 5710: malformed code");
}

#[test]
fn a_missing_field_is_rejected() {
    let problems = problems_in("reply.toml", |t| {
        t.replacen("text = \"Help message\"\n", "", 1)
    });
    assert_reported(&problems, "data/reply.toml: 214: missing field `text`");
}

#[test]
fn an_outcome_that_contradicts_the_class_is_rejected() {
    let problems = problems_in("reply.toml", |t| {
        t.replacen(
            "outcome = \"permanent\"\nreason = \"has_moved\"",
            "outcome = \"transient\"\nreason = \"has_moved\"",
            1,
        )
    });
    assert_reported(
        &problems,
        "data/reply.toml: 551: outcome \"transient\" contradicts class 5",
    );
}

#[test]
fn an_enhanced_code_with_an_unknown_subject_is_rejected() {
    let problems = problems_in("enhanced.toml", |t| {
        t.replacen("code = \"X.7.30\"", "code = \"X.9.30\"", 1)
    });
    assert_reported(&problems, "data/enhanced.toml: X.9.30: unknown subject 9");
}

#[test]
fn a_duplicate_enhanced_code_is_rejected() {
    let problems = problems_in("enhanced.toml", |t| {
        t.replacen("code = \"X.7.30\"", "code = \"X.7.29\"", 1)
    });
    assert_reported(&problems, "data/enhanced.toml: X.7.29: duplicate code");
}

#[test]
fn an_unknown_reason_is_rejected() {
    let problems = problems_in("enhanced.toml", |t| {
        t.replacen("reason = \"mailbox_full\"", "reason = \"inbox_stuffed\"", 1)
    });
    assert_reported(
        &problems,
        "data/enhanced.toml: X.2.2: unknown reason \"inbox_stuffed\"",
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let problems = problems_in("enhanced.toml", |t| {
        t.replacen("code = \"X.7.30\"", "code = \"X.9.30\"", 1)
            .replacen("reason = \"mailbox_full\"", "reason = \"inbox_stuffed\"", 1)
    });
    assert_reported(&problems, "unknown subject 9");
    assert_reported(&problems, "unknown reason");
}

#[test]
fn broken_toml_names_the_file() {
    let problems = problems_in("reasons.toml", |t| t + "\n[[reason]\n");
    assert_reported(&problems, "data/reasons.toml:");
}

#[test]
fn a_phrase_with_an_unknown_reason_is_rejected() {
    let problems = problems_in("phrases.toml", |t| {
        t.replacen("reason = \"virus_detected\"", "reason = \"bad_vibes\"", 1)
    });
    assert_reported(
        &problems,
        "data/phrases.toml: \"virus\": unknown reason \"bad_vibes\"",
    );
}

#[test]
fn phrases_must_be_lower_case_and_unique() {
    let problems = problems_in("phrases.toml", |t| {
        t.replacen("match = \"virus\"", "match = \"Virus\"", 1)
    });
    assert_reported(
        &problems,
        "data/phrases.toml: \"Virus\": write phrases in lower case",
    );
    let problems = problems_in("phrases.toml", |t| {
        t.replacen("match = \"malware\"", "match = \"virus\"", 1)
    });
    assert_reported(&problems, "data/phrases.toml: \"virus\": duplicate phrase");
}

#[test]
fn a_malformed_blocklist_zone_is_rejected() {
    let problems = problems_in("phrases.toml", |t| {
        t.replacen("zone = \"spamcop.net\"", "zone = \"SpamCop\"", 1)
    });
    assert_reported(
        &problems,
        "data/phrases.toml: blocklist SpamCop: not a lower-case DNS zone",
    );
}

#[test]
fn a_service_class_must_name_a_known_service_reason_and_bounce_once() {
    let problems = problems_in("services.toml", |t| {
        t.replacen("service = \"sparkpost\"", "service = \"sparkpst\"", 1)
    });
    assert_reported(
        &problems,
        "data/services.toml: sparkpst \"1\": unknown service",
    );
    let problems = problems_in("services.toml", |t| {
        t.replacen("reason = \"user_unknown\"", "reason = \"gone\"", 1)
    });
    assert_reported(
        &problems,
        "data/services.toml: sparkpost \"10\": unknown reason \"gone\"",
    );
    // Values are compared without regard to case: "INVALIDRECIPIENT" is the entry before it.
    let problems = problems_in("services.toml", |t| {
        t.replacen("value = \"DNSFailure\"", "value = \"INVALIDRECIPIENT\"", 1)
    });
    assert_reported(
        &problems,
        "data/services.toml: kumomta \"INVALIDRECIPIENT\": duplicate class",
    );
    // A reason that is not `undefined` settles the bounce itself.
    let problems = problems_in("services.toml", |t| {
        t.replacen(
            "reason = \"mailbox_full\"\n",
            "reason = \"mailbox_full\"\nbounce = \"hard\"\n",
            1,
        )
    });
    assert_reported(
        &problems,
        "data/services.toml: sparkpost \"22\": `bounce` is for an undefined reason",
    );
    let problems = problems_in("services.toml", |t| {
        t.replacen("bounce = \"soft\"", "bounce = \"mushy\"", 1)
    });
    assert_reported(
        &problems,
        "data/services.toml: sparkpost \"20\": bounce \"mushy\" is neither",
    );
    let problems = problems_in("services.toml", |t| {
        t.replacen(
            "meaning = \"Undetermined: the reply could not be classed.\"\n",
            "",
            1,
        )
    });
    assert_reported(
        &problems,
        "data/services.toml: sparkpost \"1\": missing field `meaning`",
    );
}

#[test]
fn every_classed_service_is_a_record_format_with_classes() {
    use smtpcode::Format;
    // The build script cannot see the library; here the two name the same formats.
    let formats = [
        Format::SparkPost,
        Format::KumoMta,
        Format::SendGrid,
        Format::PowerMta,
        Format::Mailjet,
        Format::Brevo,
        Format::Mandrill,
        Format::Ses,
        Format::Postmark,
        Format::Amavis,
    ];
    assert_eq!(check::CLASSED_FORMATS, formats.map(Format::as_str));
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let tables = model::Tables::load(&data).unwrap();
    for service in check::CLASSED_FORMATS {
        assert!(
            tables
                .service_classes
                .iter()
                .any(|class| class.service.as_deref() == Some(service)),
            "{service}"
        );
    }
}
