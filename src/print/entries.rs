//! The human printer for `list` and `search`: one aligned row per table entry, the title wrapped
//! under itself at 80 columns.
//!
//! ```text
//! 550    user_unknown   Requested action not taken: mailbox unavailable
//! X.2.2  mailbox_full   Mailbox full
//! ```

use super::human::{outcome_style, WIDTH};
use super::sanitize::escape;
use super::wrap::wrap;
use crate::catalog::{Entry, Kind};
use anstyle::Style;
use std::io::{self, Write};

const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();
/// Fewest characters left for the title before it goes to a line of its own.
const MIN_TITLE: usize = 30;

/// Column widths shared by every row of one output.
#[derive(Clone, Copy, Debug)]
pub struct Columns {
    code: usize,
    tag: usize,
}

impl Columns {
    pub fn fit(entries: &[Entry]) -> Columns {
        Columns {
            code: entries.iter().map(|e| e.code().len()).max().unwrap_or(0),
            tag: entries.iter().map(|e| tag(e).len()).max().unwrap_or(0),
        }
    }
}

/// Writes entries under a heading per kind (and per provider), as `list` prints them.
pub fn write_list<W: Write + ?Sized>(out: &mut W, entries: &[Entry]) -> io::Result<()> {
    let columns = Columns::fit(entries);
    let mut heading: Option<String> = None;
    for entry in entries {
        let this = section(entry);
        if heading.as_deref() != Some(this.as_str()) {
            if heading.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{BOLD}{this}{BOLD:#}")?;
            heading = Some(this);
        }
        write_row(out, entry, columns, false)?;
    }
    Ok(())
}

/// Writes entries best first, as `search` prints them: each provider reply names its provider.
pub fn write_hits<W: Write + ?Sized>(out: &mut W, entries: &[Entry]) -> io::Result<()> {
    let columns = Columns::fit(entries);
    for entry in entries {
        write_row(out, entry, columns, true)?;
    }
    Ok(())
}

fn section(entry: &Entry) -> String {
    match entry {
        Entry::Reply(_) => {
            "Reply codes (RFC 5321 and later; non-standard codes in use)".to_string()
        }
        Entry::Enhanced { class: None, .. } => {
            "Enhanced status codes (IANA registry; X is the class: 2, 4 or 5)".to_string()
        }
        Entry::Enhanced { class: Some(_), .. } => {
            "Enhanced status codes (IANA registry)".to_string()
        }
        Entry::Provider(_) => "Providers, filters and blocklists".to_string(),
        Entry::ProviderReply(reply) => format!("{} replies", reply.provider().name),
        Entry::ServiceClass(_) => "Sending services' classes of a failure".to_string(),
    }
}

/// The short word beside the code: the reason, or a provider's kind.
fn tag(entry: &Entry) -> &'static str {
    match entry {
        Entry::Provider(provider) => match provider.kind {
            crate::tables::ProviderKind::Mailbox => "mailbox",
            crate::tables::ProviderKind::Gateway => "gateway",
            crate::tables::ProviderKind::Service => "service",
            crate::tables::ProviderKind::Blocklist => "blocklist",
        },
        _ => entry.reason().map_or("-", |r| r.as_str()),
    }
}

fn title(entry: &Entry, with_provider: bool) -> String {
    let text = escape(entry.title());
    match entry {
        Entry::ProviderReply(reply) if with_provider => {
            format!("{}: \"{text}\"", reply.provider().id)
        }
        Entry::ProviderReply(_) => format!("\"{text}\""),
        Entry::ServiceClass(class) => format!("{} \"{text}\"", class.field),
        Entry::Provider(provider) => {
            let count = crate::provider::replies()
                .iter()
                .filter(|r| std::ptr::eq(r.provider(), *provider))
                .count();
            let aliases = if provider.aliases.is_empty() {
                String::new()
            } else {
                format!(" (also {})", provider.aliases.join(", "))
            };
            format!("{text}{aliases} · {count} replies")
        }
        _ => match entry.context() {
            Some(context) => format!("[{}] {text}", escape(context)),
            None => text.into_owned(),
        },
    }
}

fn write_row<W: Write + ?Sized>(
    out: &mut W,
    entry: &Entry,
    columns: Columns,
    with_provider: bool,
) -> io::Result<()> {
    let code_style = match entry.kind() {
        Kind::Provider => BOLD,
        _ => outcome_style(entry.outcome()),
    };
    let code = entry.code();
    let tag = tag(entry);
    write!(
        out,
        "  {code_style}{code:<cw$}{code_style:#}  {DIM}{tag:<tw$}{DIM:#}",
        cw = columns.code,
        tw = columns.tag
    )?;
    let column = 2 + columns.code + 2 + columns.tag + 2;
    let title = title(entry, with_provider);
    let (first_pad, indent, width) = if WIDTH.saturating_sub(column) >= MIN_TITLE {
        ("  ".to_string(), column, WIDTH - column)
    } else {
        // Too narrow beside the columns: the title goes under them.
        (format!("\n{}", " ".repeat(6)), 6, WIDTH - 6)
    };
    let lines = wrap(&title, width);
    for (index, line) in lines.iter().enumerate() {
        if index == 0 {
            writeln!(out, "{first_pad}{line}")?;
        } else {
            writeln!(out, "{}{line}", " ".repeat(indent))?;
        }
    }
    // A provider's words, a service's class alone seldom say what they mean: the meaning
    // follows, dimmed.
    if matches!(entry, Entry::ProviderReply(_) | Entry::ServiceClass(_)) {
        for line in wrap(&escape(entry.meaning()), width) {
            writeln!(out, "{}{DIM}{line}{DIM:#}", " ".repeat(indent))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{list, Filter};

    fn render(entries: &[Entry], hits: bool) -> String {
        let mut out = Vec::new();
        if hits {
            write_hits(&mut out, entries).unwrap();
        } else {
            write_list(&mut out, entries).unwrap();
        }
        anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
    }

    #[test]
    fn rows_are_aligned_and_fit_80_columns() {
        let entries = list(&Filter::default());
        let text = render(&entries, false);
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH), "{text}");
        let row = text.lines().find(|l| l.starts_with("  550 ")).unwrap();
        assert!(row.contains("Requested action not taken"), "{row}");
        let enhanced = text.lines().find(|l| l.starts_with("  X.2.2 ")).unwrap();
        assert!(enhanced.contains("mailbox_full"), "{enhanced}");
        // The title column starts at the same place on both rows.
        let at = |line: &str, word: &str| line.find(word).unwrap();
        assert_eq!(at(row, "Requested"), at(enhanced, "Mailbox full"));
    }

    #[test]
    fn each_kind_has_its_heading() {
        let gmail = crate::provider::named("gmail").unwrap();
        let entries = list(&Filter {
            reply: true,
            provider: Some(gmail),
            ..Filter::default()
        });
        let text = render(&entries, false);
        assert!(text.starts_with("Reply codes"));
        assert!(text.contains("\n\nGoogle"), "{text}");
    }

    #[test]
    fn search_rows_name_the_provider() {
        let gmail = crate::provider::named("gmail").unwrap();
        let entries = list(&Filter {
            provider: Some(gmail),
            ..Filter::default()
        });
        let text = render(&entries[..1], true);
        assert!(text.contains("google: \""), "{text}");
        let start: Vec<&str> = entries[0].meaning().split(' ').take(4).collect();
        assert!(text.contains(&start.join(" ")), "{text}");
    }
}
