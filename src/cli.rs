//! Command-line arguments and the run loops: look up the queries, or read lines from stdin; print,
//! and say how it went through the exit status.

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use smtpcode::lines::{LineReader, Sink};
use smtpcode::print::{human, json, row, summary as summary_printer};
use smtpcode::summary::Summary;
use smtpcode::tables::ProviderEntry;
use smtpcode::{LineRecord, LookupRecord};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;

/// Every query was understood; or some input line had an SMTP result.
pub const EXIT_OK: u8 = 0;
/// At least one query was malformed or not in the tables; or no input line had an SMTP result.
pub const EXIT_UNKNOWN: u8 = 1;
/// Usage error, or trouble such as an unwritable output.
pub const EXIT_TROUBLE: u8 = 2;

const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (tables: ",
    env!("SMTPCODE_REPLY_ENTRIES"),
    " reply-code meanings, ",
    env!("SMTPCODE_ENHANCED_ENTRIES"),
    " enhanced status codes, ",
    env!("SMTPCODE_PROVIDER_ENTRIES"),
    " provider meanings from ",
    env!("SMTPCODE_PROVIDERS"),
    " providers)"
);

const AFTER_HELP: &str = "\
Examples:
  smtpcode 550                 what a reply code means, digit by digit
  smtpcode 5.7.26              an enhanced status code
  smtpcode 421 4.7.0 5.1.1     several queries in one call
  smtpcode \"550 5.1.1 <bob@example.com>: Recipient address rejected: User unknown\"
  smtpcode -p gmail 5.7.26     what one provider means by a code
  smtpcode --json 552 5.2.2    JSON Lines, one object per query
  grep status= /var/log/mail.log | smtpcode
                               one row per delivery result in a Postfix, Exim or Sendmail log
  smtpcode --summary < bounce.txt
                               counts by outcome, bounce, reason, code and domain

Exit status:
  0  every query was understood; with lines read, at least one had an SMTP result
  1  a query was malformed or none of its codes is in the tables; no line had a result
  2  usage error, unreadable input, or output could not be written";

#[derive(Debug, Parser)]
#[command(
    name = "smtpcode",
    version = VERSION,
    about = "Explains SMTP reply codes and enhanced status codes: meaning, outcome, bounce type, causes and advice",
    after_help = AFTER_HELP
)]
struct Args {
    /// Codes or replies to explain: 550, 5.7.26, or a whole reply in quotes. Without any, or with
    /// -, lines are read from stdin: mail logs, bounces, DSN fields, replies
    #[arg(value_name = "QUERY")]
    queries: Vec<String>,

    /// Print JSON Lines: one object per query or input record, schema in README.md
    #[arg(long)]
    json: bool,

    /// With lines from stdin: a record for every line, with or without an SMTP result
    #[arg(long)]
    all: bool,

    /// With lines from stdin: print only the counts by outcome, bounce, reason, code and domain
    #[arg(long)]
    summary: bool,

    /// Only this provider's meanings (google, gmail, microsoft, yahoo, apple, spamhaus...); with
    /// lines from stdin, only the records from that provider
    #[arg(long, short = 'p', value_name = "NAME")]
    provider: Option<String>,

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
    let provider = match args.provider.as_deref() {
        None => None,
        Some(name) => Some(smtpcode::provider::named(name).with_context(|| {
            let ids: Vec<&str> = smtpcode::provider::all().iter().map(|p| p.id).collect();
            format!(
                "unknown provider '{}'; known: {}",
                name.escape_debug(),
                ids.join(", ")
            )
        })?),
    };

    let read_stdin = match args.queries.as_slice() {
        [] if io::stdin().is_terminal() => bail!(
            "nothing to explain: give a code (smtpcode 550) or pipe lines in (smtpcode < mail.log)"
        ),
        [] => true,
        [only] if only == "-" => true,
        queries if queries.iter().any(|q| q == "-") => {
            bail!("'-' reads lines from stdin and cannot be mixed with queries")
        }
        _ => false,
    };
    if read_stdin {
        if args.all && provider.is_some() {
            bail!("--all keeps every line and --provider keeps one provider's: choose one");
        }
        return read_lines(&args, provider.map(|p| p.id));
    }
    if args.all || args.summary {
        bail!("--all and --summary apply to lines read from stdin, not to queries");
    }
    look_up(&args, provider)
}

fn look_up(args: &Args, provider: Option<&'static ProviderEntry>) -> Result<ExitCode> {
    let stdout = anstream::stdout();
    let interactive = std::io::stdout().is_terminal();
    let mut out = stdout.lock();
    let mut all_understood = true;
    let mut printed = false;
    for query in &args.queries {
        let record = smtpcode::lookup_for(query, provider);
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

/// Reads stdin line by line and prints a record per result, or per line with `--all`.
fn read_lines(args: &Args, provider: Option<&'static str>) -> Result<ExitCode> {
    let stdout = io::stdout();
    let interactive = stdout.is_terminal();
    let color = !args.json && anstream::AutoStream::choice(&stdout) != anstream::ColorChoice::Never;
    let mut output = StreamOutput {
        out: BufWriter::with_capacity(64 * 1024, stdout.lock()),
        json: args.json,
        color,
        summary: args.summary.then(Summary::default),
        flush_each: interactive,
        provider,
    };
    let mut reader = LineReader::new(args.all);
    let totals = reader.read(io::stdin().lock(), &mut output)?;
    if let Some(summary) = &mut output.summary {
        summary.set_lines(totals.lines);
        if args.json {
            json::write_summary(&mut output.out, summary).context("writing output")?;
        } else {
            summary_printer::write_summary(&mut output.out, summary, color)
                .context("writing output")?;
        }
    }
    output.out.flush().context("writing output")?;
    Ok(ExitCode::from(if totals.results > 0 {
        EXIT_OK
    } else {
        EXIT_UNKNOWN
    }))
}

/// Where the line reader's records go: a printer, or the summary.
struct StreamOutput<W: Write> {
    out: W,
    json: bool,
    color: bool,
    summary: Option<Summary>,
    flush_each: bool,
    /// Only records from this provider.
    provider: Option<&'static str>,
}

impl<W: Write> Sink for StreamOutput<W> {
    fn record(&mut self, record: &LineRecord<'_>) -> io::Result<()> {
        if self.provider.is_some() && record.verdict.provider != self.provider {
            return Ok(());
        }
        if let Some(summary) = &mut self.summary {
            summary.add(record);
            return Ok(());
        }
        if self.json {
            json::write_line(&mut self.out, record)?;
        } else {
            row::write_row(&mut self.out, record, self.color)?;
        }
        if self.flush_each {
            self.out.flush()?;
        }
        Ok(())
    }

    fn idle(&mut self) -> io::Result<()> {
        self.out.flush()
    }
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
