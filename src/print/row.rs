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
use super::sanitize::{escape, is_printable_ascii};
use crate::record::LineRecord;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

/// The most characters of reply text a row shows.
const TEXT_CHARS: usize = 120;

/// Writes one record as a row.
pub fn write_row<W: Write>(out: &mut W, record: &LineRecord<'_>, color: bool) -> io::Result<()> {
    let mut row = Vec::with_capacity(256);
    append_row(&mut row, record, color);
    out.write_all(&row)
}

/// Appends one record as a row: `write_row` for a stream that makes its output in memory.
///
/// Made piece by piece rather than through `write!`: a stream prints a row per result, and the
/// formatting machinery (padding counts characters through `fmt::Formatter`) cost more than
/// reading the line did.
pub fn append_row(out: &mut Vec<u8>, record: &LineRecord<'_>, color: bool) {
    let style = |s: Style| if color { s } else { Style::new() };
    let dim = style(Style::new().dimmed());
    put_right(out, record.line, 6);
    put(out, "  ");
    if !record.result {
        open(out, dim);
        put(out, "· ");
        match record.format {
            Some(format) => {
                put(out, "part of the ");
                put(out, format.as_str());
                put(out, " record on a later line");
            }
            None => put(out, "no SMTP result"),
        }
        put(out, ": ");
        put_clipped(out, record.input, TEXT_CHARS);
        close(out, dim);
        out.push(b'\n');
        return;
    }
    let verdict = &record.verdict;
    let outcome_style = style(outcome_style(verdict.outcome));
    open(out, outcome_style);
    let codes_start = out.len();
    if let Some(code) = record.reply_code {
        out.extend_from_slice(code.as_text().as_bytes());
    }
    if let Some(code) = record.enhanced_code {
        if out.len() > codes_start {
            out.push(b' ');
        }
        out.extend_from_slice(code.as_text().as_bytes());
    }
    if out.len() == codes_start {
        out.push(b'-');
    }
    // Codes are ASCII: their bytes are their characters.
    pad(out, out.len() - codes_start, 11);
    close(out, outcome_style);
    out.push(b' ');
    open(out, outcome_style);
    let outcome = verdict.outcome.map_or("-", |o| o.as_str());
    put_name(out, outcome, 9);
    // `intermediate` (a 3yz reply) runs past the column; its bounce, always `-`, gives the room back.
    let over = outcome.len().saturating_sub(9);
    close(out, outcome_style);
    put(out, "  ");
    let bounce_style = match verdict.bounce {
        Some(crate::Bounce::Hard) => {
            style(Style::new().fg_color(Some(AnsiColor::Red.into())).bold())
        }
        _ => Style::new(),
    };
    open(out, bounce_style);
    put_name(
        out,
        verdict.bounce.map_or("-", |b| b.as_str()),
        4usize.saturating_sub(over),
    );
    close(out, bounce_style);
    put(out, "  ");
    put_name(out, verdict.reason.map_or("-", |r| r.as_str()), 17);
    put(out, "  ");
    put_padded(out, &escape(record.recipient.unwrap_or("-")), 30);

    let mut details = Details { started: false };
    if let Some(provider) = verdict.provider {
        details.put(out, provider);
    }
    if let Some(host) = record.host {
        details.put(out, &escape(host));
    }
    if let Some(blocklist) = &verdict.blocklist {
        details.put(out, &escape(blocklist));
    }
    if let Some(seconds) = verdict.retry_after {
        details.put(out, &format!("retry in {}", super::human::wait(seconds)));
    }
    if let Some(line) = record.repeat_of {
        details.put(out, &format!("repeats line {line}"));
    }
    if let Some(text) = record.text {
        put(out, "  ");
        open(out, dim);
        put_clipped(out, text, TEXT_CHARS);
        close(out, dim);
    }
    out.push(b'\n');
}

/// The `host · blocklist · retry in 5 min` part of a row.
struct Details {
    started: bool,
}

impl Details {
    #[inline]
    fn put(&mut self, out: &mut Vec<u8>, detail: &str) {
        put(out, if self.started { " · " } else { "  " });
        self.started = true;
        put(out, detail);
    }
}

#[inline]
fn put(out: &mut Vec<u8>, text: &str) {
    out.extend_from_slice(text.as_bytes());
}

/// `text` then spaces up to `width` characters, as `{:<width}` would.
fn put_padded(out: &mut Vec<u8>, text: &str, width: usize) {
    put(out, text);
    let chars = if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    };
    pad(out, chars, width);
}

/// A name of the vocabulary (ASCII, a byte a character) then spaces up to `width`.
#[inline]
fn put_name(out: &mut Vec<u8>, name: &str, width: usize) {
    put(out, name);
    pad(out, name.len(), width);
}

/// Spaces from `written` characters up to `width`.
#[inline]
fn pad(out: &mut Vec<u8>, written: usize, width: usize) {
    out.resize(out.len() + width.saturating_sub(written), b' ');
}

/// A number right-aligned in `width` columns, as `{:>width}` would.
fn put_right(out: &mut Vec<u8>, number: u64, width: usize) {
    let digits = Decimal::new(number);
    pad(out, digits.as_bytes().len(), width);
    out.extend_from_slice(digits.as_bytes());
}

#[inline]
fn open(out: &mut Vec<u8>, style: Style) {
    if style != Style::new() {
        styled(out, style, true);
    }
}

#[inline]
fn close(out: &mut Vec<u8>, style: Style) {
    if style != Style::new() {
        styled(out, style, false);
    }
}

/// The escape sequence that starts or ends a style: kept out of line, since most output has
/// no colour.
#[cold]
#[inline(never)]
fn styled(out: &mut Vec<u8>, style: Style, start: bool) {
    if start {
        write!(out, "{}", style.render()).expect("writing to memory");
    } else {
        write!(out, "{}", style.render_reset()).expect("writing to memory");
    }
}

/// The first `max` characters of `text` made safe for a terminal (`escape`), with an ellipsis
/// when there were more.
fn put_clipped(out: &mut Vec<u8>, text: &str, max: usize) {
    // Printable ASCII up to the cut, the common case, is its own escape and one byte a character:
    // the rest of the text need not be read.
    let head = &text.as_bytes()[..text.len().min(max)];
    if is_printable_ascii(head) {
        out.extend_from_slice(head);
        if text.len() > max {
            put(out, "…");
        }
        return;
    }
    let text = escape(text);
    if text.len() > max {
        let cut = if text.is_ascii() {
            Some(max)
        } else {
            text.char_indices().nth(max).map(|(at, _)| at)
        };
        if let Some(at) = cut {
            put(out, &text[..at]);
            return put(out, "…");
        }
    }
    put(out, &text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clipped(text: &str, max: usize) -> String {
        let mut out = Vec::new();
        put_clipped(&mut out, text, max);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn clipping_counts_characters_of_the_escaped_text() {
        assert_eq!(clipped("abcdef", 6), "abcdef");
        assert_eq!(clipped("abcdefg", 6), "abcdef…");
        assert_eq!(clipped("ab\u{1b}[1m", 6), "ab\\x1b…");
        assert_eq!(clipped("ab\u{1b}", 6), "ab\\x1b");
        assert_eq!(clipped("éééééééé", 6), "éééééé…");
        assert_eq!(clipped("abcdef\u{1b}", 6), "abcdef…");
        assert_eq!(clipped("", 6), "");
    }

    #[test]
    fn clipping_agrees_with_escaping_the_whole_text_first() {
        let pieces = ["a", "\u{1b}", "é", " ", "\0", "\u{202e}", "xyz"];
        for n in 0..400usize {
            let text: String = (0..n % 13)
                .map(|k| pieces[(n * 7 + k * 3) % pieces.len()])
                .collect();
            for max in [0, 1, 3, 6, 12] {
                let escaped = escape(&text);
                let chars: Vec<char> = escaped.chars().collect();
                let want = if chars.len() > max && escaped.len() > max {
                    chars[..max].iter().collect::<String>() + "…"
                } else {
                    escaped.into_owned()
                };
                assert_eq!(clipped(&text, max), want, "{text:?} {max}");
            }
        }
    }
}
