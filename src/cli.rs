//! Command-line arguments and the run loop: read the queries, look them up, print, and say how it
//! went through the exit status.

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum};
use smtpcode::print::{human, json};
use smtpcode::LookupRecord;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Every query was understood.
pub const EXIT_OK: u8 = 0;
/// At least one query was malformed or not in the tables.
pub const EXIT_UNKNOWN: u8 = 1;
/// Usage error, or trouble such as an unwritable output.
pub const EXIT_TROUBLE: u8 = 2;

const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (tables: ",
    env!("SMTPCODE_REPLY_ENTRIES"),
    " reply-code meanings, ",
    env!("SMTPCODE_ENHANCED_ENTRIES"),
    " enhanced status codes)"
);

const AFTER_HELP: &str = "\
Examples:
  smtpcode 550                 what a reply code means, digit by digit
  smtpcode 5.7.26              an enhanced status code
  smtpcode 421 4.7.0 5.1.1     several queries in one call
  smtpcode \"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\"
  smtpcode --json 552 5.2.2    JSON Lines, one object per query

Exit status:
  0  every query was understood
  1  a query was malformed, or none of its codes is in the tables
  2  usage error, or output could not be written";

#[derive(Debug, Parser)]
#[command(
    name = "smtpcode",
    version = VERSION,
    about = "Explains SMTP reply codes and enhanced status codes: meaning, outcome, bounce type, causes and advice",
    after_help = AFTER_HELP
)]
struct Args {
    /// Codes or replies to explain: 550, 5.7.26, or a whole reply in quotes
    #[arg(value_name = "QUERY", required = true)]
    queries: Vec<String>,

    /// Print JSON Lines: one object per query, schema in README.md
    #[arg(long)]
    json: bool,

    /// When to colour the output; NO_COLOR and CLICOLOR_FORCE are honoured with auto
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl From<ColorWhen> for anstream::ColorChoice {
    fn from(when: ColorWhen) -> Self {
        match when {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        }
    }
}

pub fn run() -> Result<ExitCode> {
    let args = Args::parse();
    anstream::ColorChoice::from(args.color).write_global();

    let stdout = anstream::stdout();
    let interactive = std::io::stdout().is_terminal();
    let mut out = stdout.lock();
    let mut all_understood = true;
    let mut printed = false;
    for query in &args.queries {
        let record = smtpcode::lookup(query);
        all_understood &= record.is_understood();
        if record.error.is_some() {
            report_error(&record)?;
        }
        if args.json {
            json::write_lookup(&mut out, &record).context("writing output")?;
        } else if record.error.is_none() {
            if printed {
                writeln!(out).context("writing output")?;
            }
            human::write_lookup(&mut out, &record).context("writing output")?;
            printed = true;
        }
        if interactive {
            out.flush().context("writing output")?;
        }
    }
    out.flush().context("writing output")?;
    Ok(ExitCode::from(if all_understood {
        EXIT_OK
    } else {
        EXIT_UNKNOWN
    }))
}

fn report_error(record: &LookupRecord) -> Result<()> {
    let mut err = anstream::stderr().lock();
    human::write_error(&mut err, record).context("writing to stderr")
}

/// A closed pipe (`smtpcode ... | head -1`) is how readers say they have enough, not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}
