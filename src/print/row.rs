//! The human printer for streams: one aligned row per record.
//!
//! ```text
//! 550 5.1.1   permanent  hard  user_unknown       bob@example.com                mx.example.com · User unknown
//! ```
//!
//! Rows are written for a large output, so colour is decided once by the caller and styles are
//! plain when it is off, rather than stripped from every row.

use super::human::outcome_style;
use super::sanitize::escape;
use crate::record::LineRecord;
use anstyle::{AnsiColor, Style};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The most characters of reply text a row shows.
const TEXT_CHARS: usize = 120;

/// Writes one record as a row.
pub fn write_row<W: Write>(out: &mut W, record: &LineRecord<'_>, color: bool) -> io::Result<()> {
    let style = |s: Style| if color { s } else { Style::new() };
    let dim = style(Style::new().dimmed());
    if !record.result {
        let what = match record.format {
            Some(format) => format!("part of the {} record on a later line", format.as_str()),
            None => "no SMTP result".to_string(),
        };
        let escaped = escape(record.input);
        let input = clip(&escaped, TEXT_CHARS);
        return writeln!(out, "{:>6}  {dim}· {what}: {input}{dim:#}", record.line);
    }
    let verdict = &record.verdict;
    let mut codes = String::new();
    if let Some(code) = record.reply_code {
        write!(codes, "{code}").expect("writing to a String");
    }
    if let Some(enhanced) = record.enhanced_code {
        if !codes.is_empty() {
            codes.push(' ');
        }
        write!(codes, "{enhanced}").expect("writing to a String");
    }
    if codes.is_empty() {
        codes.push('-');
    }
    let outcome_style = style(outcome_style(verdict.outcome));
    let outcome = verdict.outcome.map_or("-", |o| o.as_str());
    let bounce = verdict.bounce.map_or("-", |b| b.as_str());
    let bounce_style = match verdict.bounce {
        Some(crate::Bounce::Hard) => {
            style(Style::new().fg_color(Some(AnsiColor::Red.into())).bold())
        }
        _ => Style::new(),
    };
    let reason = verdict.reason.map_or("-", |r| r.as_str());
    let recipient = escape(record.recipient.unwrap_or("-"));
    write!(
        out,
        "{:>6}  {outcome_style}{codes:<11}{outcome_style:#} {outcome_style}{outcome:<9}{outcome_style:#}  \
         {bounce_style}{bounce:<4}{bounce_style:#}  {reason:<17}  {recipient:<30}",
        record.line
    )?;
    let mut details: Vec<String> = Vec::new();
    details.extend(verdict.provider.map(str::to_string));
    details.extend(record.host.map(|h| escape(h).into_owned()));
    if let Some(blocklist) = &verdict.blocklist {
        details.push(escape(blocklist).into_owned());
    }
    if let Some(seconds) = verdict.retry_after {
        details.push(format!("retry in {}", super::human::wait(seconds)));
    }
    if !details.is_empty() {
        write!(out, "  {}", details.join(" · "))?;
    }
    if let Some(text) = record.text {
        let escaped = escape(text);
        write!(out, "  {dim}{}{dim:#}", clip(&escaped, TEXT_CHARS))?;
    }
    writeln!(out)
}

/// The first `max` characters of `text`, with an ellipsis when it was longer.
fn clip(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    match text.char_indices().nth(max) {
        Some((at, _)) => Cow::Owned(format!("{}…", &text[..at])),
        None => Cow::Borrowed(text),
    }
}
