//! The human printer: the answer first, then each code digit by digit, then causes and advice.
//!
//! ```text
//! 550 5.1.1  permanent · hard bounce · user_unknown
//!   Bad destination mailbox address
//!   The recipient's mailbox, the part left of the @, does not exist at the destination.
//! ```

use super::sanitize::escape;
use super::wrap::wrap;
use crate::classify::Evidence;
use crate::explain::Digit;
use crate::outcome::Outcome;
use crate::provider::{self, Clue};
use crate::record::LookupRecord;
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

/// The width the printer wraps to.
pub const WIDTH: usize = 80;
/// Indent of the body under the headline.
const INDENT: usize = 2;
/// Column where the text of a labelled row starts.
const LABEL_COLUMN: usize = 10;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

/// The colour of an outcome: green success, cyan intermediate, yellow transient, red permanent.
pub fn outcome_style(outcome: Option<Outcome>) -> Style {
    let colour = match outcome {
        Some(Outcome::Success) => AnsiColor::Green,
        Some(Outcome::Intermediate) => AnsiColor::Cyan,
        Some(Outcome::Transient) => AnsiColor::Yellow,
        Some(Outcome::Permanent) => AnsiColor::Red,
        None => return Style::new(),
    };
    Style::new().fg_color(Some(colour.into())).bold()
}

/// Writes the answer to one lookup; a record with an error is written by `write_error` instead.
pub fn write_lookup<W: Write>(out: &mut W, record: &LookupRecord) -> io::Result<()> {
    headline(out, record)?;
    let pad = " ".repeat(INDENT);
    if let Some((title, meaning)) = summary(record) {
        writeln!(out, "{pad}{BOLD}{title}{BOLD:#}")?;
        paragraph(out, meaning, INDENT, "")?;
    }
    if let Some(text) = &record.text {
        paragraph(out, &format!("reply text: {}", escape(text)), INDENT, "")?;
    }
    if let Some(found) = record.verdict.provider.and_then(provider::named) {
        match record.verdict.provider_meaning {
            Some(meaning) => {
                writeln!(out, "{pad}{BOLD}At {}{BOLD:#}", found.name)?;
                paragraph(out, meaning, INDENT, "")?;
            }
            None => paragraph(out, &format!("from {}", found.name), INDENT, "")?,
        }
        if let Some(note) = record.verdict.provider_note() {
            paragraph(out, &note, INDENT, "")?;
        }
    }
    writeln!(out)?;

    if let Some(reply) = &record.reply {
        let title = reply.text.unwrap_or("not assigned");
        code_section(out, &reply.code.to_string(), title, &reply.digits)?;
        let mut origin: Vec<&str> = Vec::new();
        if let Some(status) = reply.status {
            origin.push(status.as_str());
        }
        origin.extend(reply.source);
        if !origin.is_empty() {
            paragraph(out, &origin.join(" · "), LABEL_COLUMN, "")?;
        }
        if let Some(used_by) = reply.used_by {
            paragraph(out, &format!("used by {used_by}"), LABEL_COLUMN, "")?;
        }
    }
    if let Some(enhanced) = &record.enhanced {
        let title = enhanced.text.unwrap_or("not in the registry");
        code_section(out, &enhanced.code.to_string(), title, &enhanced.digits)?;
        let mut origin: Vec<String> = enhanced.source.map(String::from).into_iter().collect();
        if let Some(basic) = enhanced.basic_codes {
            origin.push(format!("registry basic codes: {basic}"));
        }
        if !origin.is_empty() {
            paragraph(out, &origin.join(" · "), LABEL_COLUMN, "")?;
        }
    }

    // A provider's own meaning makes the registry's usual causes beside the point.
    let causes = if record.verdict.provider_meaning.is_some() {
        &[]
    } else {
        primary_causes(record)
    };
    if !causes.is_empty() || record.verdict.advice.is_some() || !record.notes.is_empty() {
        writeln!(out)?;
    }
    if !causes.is_empty() {
        labelled(out, "Usually", &causes.join("; "))?;
    }
    match record.verdict.evidence {
        Some(evidence @ Evidence::Phrase(_)) => labelled(
            out,
            "Because",
            &format!("the reply text has the {evidence}"),
        )?,
        Some(Evidence::Provider(id, clue)) => {
            let name = provider::named(id).map_or(id, |p| p.name);
            let because = match clue {
                Clue::Phrase(words) => format!("the reply has {name}'s words \"{words}\""),
                Clue::Code(code) => format!("{name} sent it, and {code} is its own code"),
                Clue::Answer(list) => format!("{name}'s answer puts the sender on {list}"),
                Clue::Marker(_) | Clue::Host | Clue::Zone => format!("{name} sent it"),
            };
            labelled(out, "Because", &because)?
        }
        _ => {}
    }
    if let Some(advice) = record.verdict.advice {
        labelled(out, "Do", advice)?;
    }
    if let Some(reply) = &record.reply {
        // With an enhanced code, only the meanings that go with it are worth a line.
        let enhanced = record.enhanced.as_ref().map(|e| e.code.to_string());
        let relevant = |codes: &[&str]| enhanced.as_deref().is_none_or(|e| codes.contains(&e));
        for other in reply
            .other_meanings
            .iter()
            .filter(|o| relevant(o.enhanced_codes))
        {
            let text = format!(
                "{} ({}): {}. {} [{}]",
                reply.code, other.context, other.text, other.meaning, other.source
            );
            labelled(out, "Also", &text)?;
        }
        if !reply.enhanced_codes.is_empty() && record.enhanced.is_none() {
            labelled(out, "With", &reply.enhanced_codes.join(", "))?;
        }
    }
    if let Some(note) = record.enhanced.as_ref().and_then(|e| e.note) {
        labelled(out, "Note", note)?;
    }
    for note in &record.notes {
        labelled(out, "Note", note)?;
    }
    providers(out, record)
}

/// How many provider meanings a bare code lists before pointing at `--provider`.
const PROVIDER_LINES: usize = 12;

/// What known providers mean by the codes.
fn providers<W: Write>(out: &mut W, record: &LookupRecord) -> io::Result<()> {
    if record.providers.is_empty() {
        return Ok(());
    }
    let pad = " ".repeat(INDENT);
    writeln!(out)?;
    writeln!(out, "{pad}{BOLD}At providers{BOLD:#}")?;
    let one_provider = record
        .providers
        .iter()
        .all(|p| p.provider == record.providers[0].provider);
    let shown = if one_provider {
        record.providers.len()
    } else {
        PROVIDER_LINES
    };
    for meaning in record.providers.iter().take(shown) {
        let mut codes: Vec<String> = meaning.code.map(|c| c.to_string()).into_iter().collect();
        codes.extend(meaning.enhanced.clone());
        let head = format!(
            "{} {} · {} · {} bounce",
            meaning.provider,
            codes.join(" "),
            meaning.reason,
            meaning.bounce
        );
        writeln!(out, "{pad}{BOLD}{}{BOLD:#}", head.trim_end())?;
        let words = meaning.phrases.join("\" or \"");
        paragraph(
            out,
            &format!("when the reply says \"{words}\": {}", meaning.meaning),
            LABEL_COLUMN,
            "",
        )?;
        if one_provider {
            paragraph(out, &format!("Do: {}", meaning.advice), LABEL_COLUMN, "")?;
        }
        if let Some(note) = &meaning.note {
            paragraph(out, note, LABEL_COLUMN, "")?;
        }
    }
    if record.providers.len() > shown {
        let codes = record
            .enhanced
            .as_ref()
            .map(|e| e.code.to_string())
            .or(record.reply.as_ref().map(|r| r.code.to_string()))
            .unwrap_or_default();
        paragraph(
            out,
            &format!(
                "... and {} more: smtpcode --provider NAME {codes}, or --json for all",
                record.providers.len() - shown
            ),
            INDENT,
            "",
        )?;
    }
    Ok(())
}

/// Writes a query that is not an SMTP code, for stderr.
pub fn write_error<W: Write>(out: &mut W, record: &LookupRecord) -> io::Result<()> {
    let error_style = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    if let Some(error) = &record.error {
        writeln!(out, "{error_style}error:{error_style:#} {}", escape(error))?;
    }
    if let Some(hint) = &record.hint {
        writeln!(out, "  {DIM}hint:{DIM:#} did you mean {hint}?")?;
    }
    Ok(())
}

fn headline<W: Write>(out: &mut W, record: &LookupRecord) -> io::Result<()> {
    let mut codes = Vec::new();
    codes.extend(record.reply.as_ref().map(|r| r.code.to_string()));
    codes.extend(record.enhanced.as_ref().map(|e| e.code.to_string()));
    let style = outcome_style(record.verdict.outcome);
    let outcome = record
        .verdict
        .outcome
        .map_or("not an SMTP reply", |o| o.as_str());
    let mut verdict = vec![outcome.to_string()];
    if let Some(bounce) = record.verdict.bounce {
        verdict.push(format!("{bounce} bounce"));
    }
    if let Some(reason) = record.verdict.reason {
        verdict.push(reason.to_string());
    }
    if let Some(blocklist) = &record.verdict.blocklist {
        verdict.push(escape(blocklist).into_owned());
    }
    if let Some(seconds) = record.verdict.retry_after {
        verdict.push(format!("retry in {}", wait(seconds)));
    }
    writeln!(
        out,
        "{style}{}{style:#}  {style}{}{style:#}",
        codes.join(" "),
        verdict.join(" · ")
    )
}

/// A wait in the largest whole unit: `300` is `5 min`.
pub fn wait(seconds: u64) -> String {
    match seconds {
        s if s >= 3600 && s % 3600 == 0 => format!("{} h", s / 3600),
        s if s >= 60 && s % 60 == 0 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

/// The title and meaning that best answer the query: the registered enhanced code's when it says
/// more than its class, else the basic code's.
fn summary(record: &LookupRecord) -> Option<(&'static str, &'static str)> {
    let enhanced = record.enhanced.as_ref().filter(|e| e.assigned);
    let specific = enhanced.filter(|e| e.code.subject() != 0 || e.code.detail() != 0);
    let reply = record.reply.as_ref().filter(|r| r.assigned);
    let from_enhanced = |e: &crate::record::EnhancedInfo| Some((e.text?, e.meaning?));
    let from_reply = |r: &crate::record::ReplyInfo| Some((r.text?, r.meaning?));
    specific
        .and_then(from_enhanced)
        .or_else(|| reply.and_then(from_reply))
        .or_else(|| enhanced.and_then(from_enhanced))
}

fn primary_causes(record: &LookupRecord) -> &'static [&'static str] {
    let enhanced = record
        .enhanced
        .as_ref()
        .filter(|e| e.assigned && (e.code.subject() != 0 || e.code.detail() != 0))
        .map(|e| e.causes);
    let reply = record
        .reply
        .as_ref()
        .filter(|r| r.assigned)
        .map(|r| r.causes);
    enhanced.or(reply).unwrap_or(&[])
}

fn code_section<W: Write>(
    out: &mut W,
    code: &str,
    title: &str,
    digits: &[Digit; 3],
) -> io::Result<()> {
    let pad = " ".repeat(INDENT);
    let gap = LABEL_COLUMN.saturating_sub(INDENT + code.len()).max(1);
    writeln!(out, "{pad}{BOLD}{code}{BOLD:#}{}{title}", " ".repeat(gap))?;
    for digit in digits {
        let value = digit.value.to_string();
        paragraph(
            out,
            &digit.meaning,
            LABEL_COLUMN + value.len() + 3,
            &format!("{value} · "),
        )?;
    }
    Ok(())
}

fn labelled<W: Write>(out: &mut W, label: &str, text: &str) -> io::Result<()> {
    let head = format!("{label:<width$}", width = LABEL_COLUMN - INDENT);
    let pad = " ".repeat(INDENT);
    let lines = wrap(text, WIDTH - LABEL_COLUMN);
    for (n, line) in lines.iter().enumerate() {
        if n == 0 {
            writeln!(out, "{pad}{DIM}{head}{DIM:#}{line}")?;
        } else {
            writeln!(out, "{}{line}", " ".repeat(LABEL_COLUMN))?;
        }
    }
    Ok(())
}

/// Writes wrapped text whose continuation lines start at `indent`; the first line starts with
/// `lead` placed so that the text lines up with the continuation lines.
fn paragraph<W: Write>(out: &mut W, text: &str, indent: usize, lead: &str) -> io::Result<()> {
    let first_pad = " ".repeat(indent.saturating_sub(lead.chars().count()));
    for (n, line) in wrap(text, WIDTH.saturating_sub(indent).max(20))
        .iter()
        .enumerate()
    {
        if n == 0 {
            writeln!(out, "{first_pad}{DIM}{lead}{DIM:#}{line}")?;
        } else {
            writeln!(out, "{}{line}", " ".repeat(indent))?;
        }
    }
    Ok(())
}
