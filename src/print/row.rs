//! The human printer for streams: one aligned row per record.
//!
//! ```text
//! 550 5.1.1   permanent  hard  user_unknown       bob@example.com                mx.example.com · User unknown
//! ```
//!
//! Rows are written for a large output, so colour is decided once by the caller and styles are
//! plain when it is off, rather than stripped from every row.

use super::decimal::Decimal;
use super::human::outcome_style;
use super::sanitize::escape;
use crate::code::{EnhancedCode, ReplyCode};
use crate::record::LineRecord;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

/// The most characters of reply text a row shows.
const TEXT_CHARS: usize = 120;

/// Writes one record as a row.
///
/// Written piece by piece rather than through `write!`: a stream prints a row per result, and
/// the formatting machinery (padding counts characters through `fmt::Formatter`) cost more than
/// reading the line did.
pub fn write_row<W: Write>(out: &mut W, record: &LineRecord<'_>, color: bool) -> io::Result<()> {
    let style = |s: Style| if color { s } else { Style::new() };
    let dim = style(Style::new().dimmed());
    put_right(out, record.line, 6)?;
    put(out, "  ")?;
    if !record.result {
        open(out, dim)?;
        put(out, "· ")?;
        match record.format {
            Some(format) => {
                put(out, "part of the ")?;
                put(out, format.as_str())?;
                put(out, " record on a later line")?;
            }
            None => put(out, "no SMTP result")?,
        }
        put(out, ": ")?;
        put_clipped(out, &escape(record.input), TEXT_CHARS)?;
        close(out, dim)?;
        return out.write_all(b"\n");
    }
    let verdict = &record.verdict;
    let outcome_style = style(outcome_style(verdict.outcome));
    open(out, outcome_style)?;
    let codes = [
        record.reply_code.map(ReplyCode::as_text),
        record.enhanced_code.map(EnhancedCode::as_text),
    ];
    let mut codes_len = 0;
    for code in codes.iter().flatten() {
        if codes_len > 0 {
            put(out, " ")?;
            codes_len += 1;
        }
        out.write_all(code.as_bytes())?;
        codes_len += code.as_bytes().len();
    }
    if codes_len == 0 {
        put(out, "-")?;
        codes_len = 1;
    }
    pad(out, codes_len, 11)?;
    close(out, outcome_style)?;
    put(out, " ")?;
    open(out, outcome_style)?;
    put_padded(out, verdict.outcome.map_or("-", |o| o.as_str()), 9)?;
    close(out, outcome_style)?;
    put(out, "  ")?;
    let bounce_style = match verdict.bounce {
        Some(crate::Bounce::Hard) => {
            style(Style::new().fg_color(Some(AnsiColor::Red.into())).bold())
        }
        _ => Style::new(),
    };
    open(out, bounce_style)?;
    put_padded(out, verdict.bounce.map_or("-", |b| b.as_str()), 4)?;
    close(out, bounce_style)?;
    put(out, "  ")?;
    put_padded(out, verdict.reason.map_or("-", |r| r.as_str()), 17)?;
    put(out, "  ")?;
    put_padded(out, &escape(record.recipient.unwrap_or("-")), 30)?;

    let mut details = Details { started: false };
    if let Some(provider) = verdict.provider {
        details.put(out, provider)?;
    }
    if let Some(host) = record.host {
        details.put(out, &escape(host))?;
    }
    if let Some(blocklist) = &verdict.blocklist {
        details.put(out, &escape(blocklist))?;
    }
    if let Some(seconds) = verdict.retry_after {
        details.put(out, &format!("retry in {}", super::human::wait(seconds)))?;
    }
    if let Some(text) = record.text {
        put(out, "  ")?;
        open(out, dim)?;
        put_clipped(out, &escape(text), TEXT_CHARS)?;
        close(out, dim)?;
    }
    out.write_all(b"\n")
}

/// The `host · blocklist · retry in 5 min` part of a row.
struct Details {
    started: bool,
}

impl Details {
    fn put<W: Write>(&mut self, out: &mut W, detail: &str) -> io::Result<()> {
        put(out, if self.started { " · " } else { "  " })?;
        self.started = true;
        put(out, detail)
    }
}

fn put<W: Write>(out: &mut W, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())
}

/// `text` then spaces up to `width` characters, as `{:<width}` would.
fn put_padded<W: Write>(out: &mut W, text: &str, width: usize) -> io::Result<()> {
    put(out, text)?;
    let chars = if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    };
    pad(out, chars, width)
}

/// Spaces from `written` characters up to `width`.
fn pad<W: Write>(out: &mut W, written: usize, width: usize) -> io::Result<()> {
    const SPACES: &[u8; 32] = b"                                ";
    let mut missing = width.saturating_sub(written);
    while missing > 0 {
        let now = missing.min(SPACES.len());
        out.write_all(&SPACES[..now])?;
        missing -= now;
    }
    Ok(())
}

/// A number right-aligned in `width` columns, as `{:>width}` would.
fn put_right<W: Write>(out: &mut W, number: u64, width: usize) -> io::Result<()> {
    let digits = Decimal::new(number);
    pad(out, digits.as_bytes().len(), width)?;
    out.write_all(digits.as_bytes())
}

fn open<W: Write>(out: &mut W, style: Style) -> io::Result<()> {
    if style == Style::new() {
        return Ok(());
    }
    write!(out, "{}", style.render())
}

fn close<W: Write>(out: &mut W, style: Style) -> io::Result<()> {
    if style == Style::new() {
        return Ok(());
    }
    write!(out, "{}", style.render_reset())
}

/// The first `max` characters of `text`, with an ellipsis when it was longer.
fn put_clipped<W: Write>(out: &mut W, text: &str, max: usize) -> io::Result<()> {
    if text.len() > max {
        let cut = if text.is_ascii() {
            Some(max)
        } else {
            text.char_indices().nth(max).map(|(at, _)| at)
        };
        if let Some(at) = cut {
            put(out, &text[..at])?;
            return put(out, "…");
        }
    }
    put(out, text)
}
