//! Log lines wrapped in JSON: `journalctl -o json`, Docker's json-file logs, and the collectors
//! that keep a syslog line in a `message` or `log` field. The wrapped message is read as the line
//! would be; the wrapper may add the program and the time.
//!
//! ```text
//! {"SYSLOG_IDENTIFIER":"postfix/smtp","MESSAGE":"4F9D21A2B3: to=<bob@example.com>, ..."}
//! {"log":"Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: to=<bob@example.com>, ...\n","time":"..."}
//! ```

use serde_json::{Map, Value};

/// The fields that hold the message, by the tools that write them: journald, most collectors
/// and Docker, Go's slog and zap, Google Cloud Logging, Loki exports.
const MESSAGE_FIELDS: [&str; 7] = [
    "MESSAGE",
    "message",
    "log",
    "msg",
    "textPayload",
    "line",
    "short_message",
];
/// The fields that name the program: journald, and collectors that keep syslog's tag.
const PROGRAM_FIELDS: [&str; 4] = ["SYSLOG_IDENTIFIER", "program", "ident", "appname"];
/// The fields that hold the time as text.
const TIME_FIELDS: [&str; 4] = ["time", "timestamp", "@timestamp", "ts"];

/// A message taken out of its JSON wrapper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub message: String,
    pub program: Option<String>,
    pub timestamp: Option<String>,
}

/// The message a JSON object line wraps; `None` for any other line.
pub fn open(line: &str) -> Option<Envelope> {
    let line = line.trim();
    if !(line.starts_with('{') && line.ends_with('}')) {
        return None;
    }
    let object: Map<String, Value> = serde_json::from_str(line).ok()?;
    let text = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| object.get(*name)?.as_str())
            .map(|value| value.trim_end_matches(['\n', '\r']).to_string())
    };
    Some(Envelope {
        message: text(&MESSAGE_FIELDS)?,
        program: text(&PROGRAM_FIELDS).filter(|program| !program.is_empty()),
        timestamp: text(&TIME_FIELDS).filter(|time| !time.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journald_gives_message_and_program() {
        let e = open(
            r#"{"__REALTIME_TIMESTAMP":"1795428001000000","SYSLOG_IDENTIFIER":"postfix/smtp","MESSAGE":"4F9D21A2B3: to=<bob@example.com>, status=sent (250 ok \"quoted\")","_PID":"12"}"#,
        )
        .unwrap();
        assert_eq!(
            e.message,
            r#"4F9D21A2B3: to=<bob@example.com>, status=sent (250 ok "quoted")"#
        );
        assert_eq!(e.program.as_deref(), Some("postfix/smtp"));
        assert_eq!(e.timestamp, None);
    }

    #[test]
    fn docker_gives_the_line_without_its_ending_and_the_time() {
        let e = open(
            r#"{"log":"Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: status=sent\n","stream":"stdout","time":"2026-11-23T10:00:01.5Z"}"#,
        )
        .unwrap();
        assert_eq!(
            e.message,
            "Nov 23 10:00:01 mx1 postfix/smtp[1]: 4F9D21A2B3: status=sent"
        );
        assert_eq!(e.timestamp.as_deref(), Some("2026-11-23T10:00:01.5Z"));
    }

    #[test]
    fn other_lines_and_objects_without_a_message_are_not_envelopes() {
        assert_eq!(
            open("Nov 23 10:00:01 mx1 postfix/smtp[1]: {not json}"),
            None
        );
        assert_eq!(open(r#"{"status":"bounced"}"#), None);
        assert_eq!(open(r#"{"message": 550}"#), None);
        assert_eq!(open("{broken"), None);
    }
}
