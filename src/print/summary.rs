//! The human form of a stream's summary: totals first, then the top entries of each count.
//!
//! ```text
//! 1,204 results from 24,080 lines
//!   outcome   success 1,150 (95.5 %) · transient 30 (2.5 %) · permanent 24 (2.0 %)
//!   bounce    hard 11 (remove their addresses) · soft 43
//!   reason    delivered 1,150 · user_unknown 11 · rate_limited 9 · ...
//! ```

use super::sanitize::escape;
use crate::classify::Bounce;
use crate::outcome::Outcome;
use crate::summary::Summary;
use anstyle::Style;
use std::io::{self, Write};

/// How many entries of each count a row shows.
const TOP: usize = 10;

pub fn write_summary<W: Write>(out: &mut W, summary: &Summary, color: bool) -> io::Result<()> {
    let bold = if color {
        Style::new().bold()
    } else {
        Style::new()
    };
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    write!(
        out,
        "{bold}{} result{} from {} line{}{bold:#}",
        thousands(summary.results),
        plural(summary.results),
        thousands(summary.lines),
        plural(summary.lines)
    )?;
    if summary.repeats > 0 {
        write!(
            out,
            " (and {} told again in the same bounce, not counted)",
            thousands(summary.repeats)
        )?;
    }
    writeln!(out)?;
    if summary.results == 0 {
        return Ok(());
    }
    let share = |n: u64| n as f64 * 100.0 / summary.results as f64;
    let outcomes: Vec<String> = [
        Outcome::Success,
        Outcome::Intermediate,
        Outcome::Transient,
        Outcome::Permanent,
    ]
    .into_iter()
    .filter(|o| summary.count(*o) > 0)
    .map(|o| {
        format!(
            "{o} {} ({:.1} %)",
            thousands(summary.count(o)),
            share(summary.count(o))
        )
    })
    .collect();
    row(out, "outcome", &outcomes)?;
    let hard = summary.bounces(Bounce::Hard);
    let soft = summary.bounces(Bounce::Soft);
    if hard + soft > 0 {
        row(
            out,
            "bounce",
            &[
                format!("hard {} (remove their addresses)", thousands(hard)),
                format!("soft {}", thousands(soft)),
            ],
        )?;
    }
    let mut reasons: Vec<(u64, &str)> = summary
        .reason
        .iter()
        .map(|(r, n)| (*n, r.as_str()))
        .collect();
    reasons.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    row(
        out,
        "reason",
        &top(reasons.into_iter().map(|(n, r)| (r, n))),
    )?;
    row(out, "code", &top(summary.code.ranked().into_iter()))?;
    row(out, "domain", &top(summary.domain.ranked().into_iter()))?;
    let mut providers: Vec<(&str, u64)> = summary.provider.iter().map(|(p, n)| (*p, *n)).collect();
    providers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    row(out, "provider", &top(providers.into_iter()))?;
    if summary.capped {
        writeln!(out, "  (more distinct codes or domains than counted one by one: the rest are under \"other\")")?;
    }
    Ok(())
}

fn top<'a>(ranked: impl Iterator<Item = (&'a str, u64)>) -> Vec<String> {
    let mut items: Vec<(&str, u64)> = ranked.collect();
    let more = items.len().saturating_sub(TOP);
    items.truncate(TOP);
    let mut out: Vec<String> = items
        .into_iter()
        .map(|(key, n)| format!("{} {}", escape(key), thousands(n)))
        .collect();
    if more > 0 {
        out.push(format!("and {more} more"));
    }
    out
}

fn row<W: Write>(out: &mut W, label: &str, items: &[String]) -> io::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    writeln!(out, "  {label:<9} {}", items.join(" · "))
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_counts_get_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_204_771), "1,204,771");
    }
}
