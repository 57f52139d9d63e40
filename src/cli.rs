//! Command-line arguments and the run loops: look up the queries, or read lines from stdin; print,
//! and say how it went through the exit status.

use anyhow::{bail, Context, Result};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use smtpcode::catalog::{self, Entry, EntryRecord, Filter};
use smtpcode::lines::{LineReader, Sink, StreamError, Totals};
use smtpcode::print::sanitize::escape;
use smtpcode::print::{entries, human, json, row, summary as summary_printer};
use smtpcode::summary::Summary;
use smtpcode::tables::ProviderEntry;
use smtpcode::{LineRecord, LookupRecord};
use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
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
  smtpcode 550 421 5.1.1       several queries in one call
  smtpcode 550 5.7.26          a reply's two codes, read as one reply
  smtpcode \"550 5.1.1 <bob@example.com>: User unknown\"
                               a whole reply: its text decides over its codes
  smtpcode -p gmail 5.7.26     what one provider means by a code
  smtpcode --json 552 5.2.2    JSON Lines, one object per query
  grep status= /var/log/mail.log | smtpcode
                               a row per delivery result in a mail log
  smtpcode --summary /var/log/mail.log*
                               counts by outcome, reason and domain over a
                               log and its rotated copies (gzip too)
  smtpcode search mailbox full entries that mention the words
  smtpcode list --class 4      the transient codes

Exit status:
  0  every query was understood; with lines read, at least one had an SMTP
     result; list and search printed at least one entry
  1  a query was malformed or none of its codes is in the tables; no line had
     a result; nothing to list, or nothing found
  2  usage error, unreadable input, or output could not be written";

#[derive(Debug, Parser)]
#[command(
    name = "smtpcode",
    version = VERSION,
    about = "Explains SMTP reply codes and enhanced status codes: meaning, outcome, bounce type, causes and advice",
    after_help = AFTER_HELP
)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,

    /// Codes or replies to explain: 550, 5.7.26, or a whole reply in quotes. Or files to read lines
    /// from (mail.log, mail.log.2.gz), one after another; without any, or with -, lines are read
    /// from stdin: mail logs, bounces, DSN fields, replies, sending services' JSON events
    #[arg(value_name = "QUERY")]
    queries: Vec<String>,

    /// Print JSON Lines: one object per query, input record or table entry; schema in README.md
    #[arg(long, global = true)]
    json: bool,

    /// With lines read (stdin or files): a record for every line, with or without an SMTP result
    #[arg(long)]
    all: bool,

    /// With lines read (stdin or files): print only the counts by outcome, bounce, reason, code and
    /// domain
    #[arg(long)]
    summary: bool,

    /// Only this provider's meanings (google, gmail, microsoft, yahoo, apple, spamhaus...); with
    /// lines read, only the records from that provider
    #[arg(long, short = 'p', value_name = "NAME", global = true)]
    provider: Option<String>,

    /// When to colour the output; NO_COLOR and CLICOLOR_FORCE are honoured with auto
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorWhen::Auto,
        global = true
    )]
    color: ColorWhen,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Print the tables: reply codes and enhanced status codes, or providers and their replies
    #[command(after_help = LIST_HELP)]
    List(ListArgs),
    /// Find the entries whose text, meaning or causes mention every one of the words
    #[command(after_help = SEARCH_HELP)]
    Search(SearchArgs),
    /// Print a completion script for a shell
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell to complete for
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the manual page, in roff (man -l <(smtpcode man))
    Man,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// Reply codes (550)
    #[arg(long)]
    reply: bool,

    /// Enhanced status codes (X.1.1, or 5.1.1 with --class 5)
    #[arg(long)]
    enhanced: bool,

    /// The providers, filters and blocklists that smtpcode knows, with their ids for --provider
    #[arg(long)]
    providers: bool,

    /// The sending services' classes of a failure (SparkPost's bounce_class, SES's bounceType...)
    /// and the reason each stands for
    #[arg(long)]
    services: bool,

    /// Only the codes of this class: 2 success, 3 intermediate, 4 transient, 5 permanent
    #[arg(long, value_name = "DIGIT", value_parser = clap::value_parser!(u8).range(2..=5))]
    class: Option<u8>,
}

#[derive(Debug, clap::Args)]
struct SearchArgs {
    /// Words to look for, in any case: mailbox full, dmarc, 5.7.26
    #[arg(value_name = "WORD", required = true)]
    words: Vec<String>,

    /// Print at most this many entries, the best first
    #[arg(long, short = 'n', value_name = "COUNT")]
    limit: Option<usize>,
}

const LIST_HELP: &str = "\
Examples:
  smtpcode list                      reply codes, then enhanced status codes
  smtpcode list --class 4            transient codes only (4yz and 4.X.X)
  smtpcode list --enhanced --json    the enhanced codes as JSON Lines
  smtpcode list --providers          the providers' ids, for --provider
  smtpcode list --services           what services' bounce classes mean
  smtpcode list -p microsoft         what Microsoft means by its replies";

const SEARCH_HELP: &str = "\
Examples:
  smtpcode search mailbox full
  smtpcode search dmarc
  smtpcode search -p yahoo deferred
  smtpcode search --json spf | jq .code

Every word must appear, at the start of a word and in any case. Words in a title count more \
than in a meaning, and in a meaning more than in causes; the standard codes come before a \
single provider's wording.";

const COMPLETIONS_HELP: &str = "\
Install, for example:
  bash:        smtpcode completions bash > ~/.local/share/bash-completion/completions/smtpcode
  zsh:         smtpcode completions zsh > ~/.zfunc/_smtpcode   (with fpath+=~/.zfunc)
  fish:        smtpcode completions fish > ~/.config/fish/completions/smtpcode.fish
  PowerShell:  smtpcode completions powershell >> $PROFILE";

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
    if args.action.is_some() && (args.all || args.summary) {
        bail!("--all and --summary apply to lines read from stdin, not to a subcommand");
    }
    match &args.action {
        None => {}
        Some(Action::List(list)) => return list_entries(&args, list, provider),
        Some(Action::Search(search)) => return search_entries(&args, search, provider),
        Some(Action::Completions { shell }) => {
            let mut out = io::stdout().lock();
            clap_complete::generate(*shell, &mut Args::command(), "smtpcode", &mut out);
            out.flush().context("writing output")?;
            return Ok(ExitCode::from(EXIT_OK));
        }
        Some(Action::Man) => {
            let mut out = io::stdout().lock();
            let command = Args::command().version(env!("CARGO_PKG_VERSION"));
            clap_mangen::Man::new(command)
                .render(&mut out)
                .context("writing output")?;
            out.flush().context("writing output")?;
            return Ok(ExitCode::from(EXIT_OK));
        }
    }

    let files = files_named(&args.queries)?;
    let read_stdin = match args.queries.as_slice() {
        [] if io::stdin().is_terminal() => bail!(
            "nothing to explain: give a code (smtpcode 550), a log file (smtpcode mail.log) or \
             pipe lines in (smtpcode < mail.log)"
        ),
        [] => true,
        [only] if only == "-" => true,
        queries if queries.iter().any(|q| q == "-") => {
            bail!("'-' reads lines from stdin and cannot be mixed with queries")
        }
        _ => false,
    };
    if read_stdin || !files.is_empty() {
        if args.all && provider.is_some() {
            bail!("--all keeps every line and --provider keeps one provider's: choose one");
        }
        return read_lines(&args, provider.map(|p| p.id), &files);
    }
    if args.all || args.summary {
        bail!("--all and --summary apply to lines read from stdin or files, not to queries");
    }
    look_up(&args, provider)
}

fn look_up(args: &Args, provider: Option<&'static ProviderEntry>) -> Result<ExitCode> {
    let stdout = anstream::stdout();
    let interactive = std::io::stdout().is_terminal();
    let mut out = stdout.lock();
    let mut all_understood = true;
    let mut printed = false;
    for query in &smtpcode::lookup::queries(&args.queries) {
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
    if !all_understood {
        if let Some(hint) = word_hint(&args.queries) {
            let dim = anstyle::Style::new().dimmed();
            let mut err = anstream::stderr().lock();
            writeln!(err, "  {dim}hint:{dim:#} {hint}").context("writing to stderr")?;
        }
    }
    Ok(ExitCode::from(if all_understood {
        EXIT_OK
    } else {
        EXIT_UNKNOWN
    }))
}

/// The files the queries name, when they are files: a query that is not an SMTP code but the path
/// of a file (`smtpcode /var/log/mail.log`). A code is never taken for a file of that name, and
/// files and codes do not mix.
fn files_named(queries: &[String]) -> Result<Vec<PathBuf>> {
    let codes: Vec<bool> = queries
        .iter()
        .map(|query| smtpcode::lookup_for(query, None).error.is_none())
        .collect();
    let files: Vec<bool> = queries
        .iter()
        .zip(&codes)
        .map(|(query, &code)| !code && Path::new(query).is_file())
        .collect();
    if !files.contains(&true) {
        // A path that names nothing is no code either: say which it was meant to be, unless it
        // is a word of a reply typed without quotes (`550 5.1.1 see https://...`).
        // Grouped only when some query looks like a path.
        let grouped = std::cell::OnceCell::new();
        let stands_alone = |query: &String| {
            grouped
                .get_or_init(|| smtpcode::lookup::queries(queries))
                .contains(query)
        };
        if let Some((path, _)) = queries
            .iter()
            .zip(&codes)
            .find(|(query, &code)| !code && looks_like_path(query) && stands_alone(query))
        {
            let path = Path::new(path);
            match path.metadata() {
                Ok(meta) if meta.is_dir() => bail!("{} is a directory", path.display()),
                Ok(_) => bail!("{} is not a file to read", path.display()),
                Err(err) => bail!("{}: {err}", path.display()),
            }
        }
        return Ok(Vec::new());
    }
    if let Some((other, _)) = queries.iter().zip(&files).find(|(_, &file)| !file) {
        bail!(
            "'{}' is not a file, and files and codes cannot be mixed: read the files in one call, \
             look the codes up in another",
            other.escape_debug()
        );
    }
    Ok(queries.iter().map(PathBuf::from).collect())
}

/// Reads the files given, or stdin, line by line and prints a record per result, or per line
/// with `--all`; several files are read on as one input (`cat a b`).
fn read_lines(args: &Args, provider: Option<&'static str>, files: &[PathBuf]) -> Result<ExitCode> {
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
        pending: Vec::with_capacity(PENDING_CAP + 4096),
    };
    let mut reader = LineReader::new(args.all);
    // The records made before a read error are written all the same.
    let read = read_inputs(&mut reader, files, &mut output);
    let written = output.flush();
    let totals = read?;
    written.context("writing output")?;
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

/// Whether a query is written as a path: with a directory in it, or a log's or a mail's file
/// extension (`mail.log`, `maillog.1`, `bounce.eml`, `mail.log.2.gz`).
fn looks_like_path(query: &str) -> bool {
    if query.contains(['/', '\\']) {
        return true;
    }
    let mut parts = query.rsplit('.').skip_while(|part| {
        matches!(*part, "gz" | "bz2" | "xz" | "zst") || part.bytes().all(|b| b.is_ascii_digit())
    });
    query.contains('.')
        && parts.next().is_some_and(|ext| {
            matches!(
                ext.to_ascii_lowercase().as_str(),
                "log" | "txt" | "eml" | "msg" | "csv" | "json" | "jsonl" | "ndjson" | "mbox"
            ) || ext.ends_with("log")
        })
}

/// Reads `files` in turn with one reader, or stdin when there are none; a file that cannot be
/// opened or read ends the run. Stdin and files are one type of input, and the reader is called
/// from this one place, so that its loop is made once and kept whole.
fn read_inputs<W: Write>(
    reader: &mut LineReader,
    files: &[PathBuf],
    output: &mut StreamOutput<W>,
) -> Result<Totals> {
    let mut totals = Totals::default();
    let mut next = 0;
    loop {
        let (input, path): (Box<dyn Read>, _) = match files.get(next) {
            None if next > 0 => return Ok(totals),
            None => (Box::new(io::stdin().lock()), None),
            Some(path) => {
                let file =
                    File::open(path).with_context(|| format!("opening {}", path.display()))?;
                (Box::new(file), Some(path))
            }
        };
        totals = reader
            .read(input, output)
            .map_err(|err| match (err, path) {
                (StreamError::Read(err), Some(path)) => {
                    anyhow::Error::new(err).context(format!("reading {}", path.display()))
                }
                (err, _) => anyhow::Error::new(err),
            })?;
        if path.is_none() {
            return Ok(totals);
        }
        next += 1;
    }
}

/// How many bytes of records a stream gathers before writing them.
const PENDING_CAP: usize = 64 * 1024;

/// Where the line reader's records go: a printer, or the summary.
struct StreamOutput<W: Write> {
    /// Buffered for the summary's many small writes; records go past the buffer (`flush`).
    out: BufWriter<W>,
    json: bool,
    color: bool,
    summary: Option<Summary>,
    flush_each: bool,
    /// Only records from this provider.
    provider: Option<&'static str>,
    /// Records made in memory and not written yet: written when they fill `PENDING_CAP`, when
    /// the input pauses, and at the end. The records of a large input are made where they are
    /// written from, rather than copied into a writer's buffer one by one.
    pending: Vec<u8>,
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
            json::append_line(&mut self.pending, record);
        } else {
            row::append_row(&mut self.pending, record, self.color);
        }
        if self.flush_each {
            return self.flush();
        }
        if self.pending.len() >= PENDING_CAP {
            self.flush()?;
        }
        Ok(())
    }

    fn idle(&mut self) -> io::Result<()> {
        self.flush()
    }
}

impl<W: Write> StreamOutput<W> {
    /// Writes out every record made so far, straight from where they were made: copied into the
    /// writer's buffer first, they would cost a copy each time the input pauses.
    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()?;
        self.out.get_mut().write_all(&self.pending)?;
        self.pending.clear();
        Ok(())
    }
}

/// `smtpcode list`: the entries the filters select, under a heading per table.
fn list_entries(
    args: &Args,
    list: &ListArgs,
    provider: Option<&'static ProviderEntry>,
) -> Result<ExitCode> {
    let filter = Filter {
        reply: list.reply,
        enhanced: list.enhanced,
        providers: list.providers,
        provider_replies: false,
        provider,
        services: list.services,
        class: list.class,
    };
    let entries = catalog::list(&filter);
    write_entries(args, &entries, |out, entries| {
        entries::write_list(out, entries)
    })?;
    Ok(ExitCode::from(if entries.is_empty() {
        EXIT_UNKNOWN
    } else {
        EXIT_OK
    }))
}

/// `smtpcode search WORDS`: the entries that mention every word, best first.
fn search_entries(
    args: &Args,
    search: &SearchArgs,
    provider: Option<&'static ProviderEntry>,
) -> Result<ExitCode> {
    let query = search.words.join(" ");
    let mut hits = smtpcode::search::search(&query, &Filter::everything(provider));
    if let Some(limit) = search.limit {
        hits.truncate(limit);
    }
    if hits.is_empty() {
        let scope = provider.map_or(String::new(), |p| format!(" of {}", p.name));
        eprintln!(
            "smtpcode: no entry{scope} mentions all of: {}",
            escape(&query)
        );
        return Ok(ExitCode::from(EXIT_UNKNOWN));
    }
    let entries: Vec<Entry> = hits.iter().map(|hit| hit.entry).collect();
    if args.json {
        let mut out = BufWriter::new(io::stdout().lock());
        for hit in &hits {
            let mut record = EntryRecord::from(hit.entry);
            record.score = Some(hit.score);
            json::write_entry(&mut out, &record).context("writing output")?;
        }
        out.flush().context("writing output")?;
    } else {
        write_entries(args, &entries, |out, entries| {
            entries::write_hits(out, entries)
        })?;
    }
    Ok(ExitCode::from(EXIT_OK))
}

/// Writes table entries as JSON Lines, or for people with `human`.
fn write_entries(
    args: &Args,
    entries: &[Entry],
    human: impl FnOnce(&mut dyn Write, &[Entry]) -> io::Result<()>,
) -> Result<()> {
    if args.json {
        let mut out = BufWriter::new(io::stdout().lock());
        for entry in entries {
            json::write_entry(&mut out, &EntryRecord::from(*entry)).context("writing output")?;
        }
        out.flush().context("writing output")?;
    } else {
        let mut out = BufWriter::new(anstream::stdout().lock());
        human(&mut out, entries).context("writing output")?;
        out.flush().context("writing output")?;
    }
    Ok(())
}

/// What the user may have meant by queries that are words, not codes: a subcommand with a typo
/// (`smtpcode lsit`), or a search (`smtpcode mailbox full`).
fn word_hint(queries: &[String]) -> Option<String> {
    let words = queries
        .iter()
        .all(|q| !q.is_empty() && !q.contains(|c: char| c.is_ascii_digit()));
    if !words {
        return None;
    }
    if let [only] = queries {
        let command = Args::command();
        let near = command
            .get_subcommands()
            .map(|sub| sub.get_name())
            .filter(|name| *name != "help")
            .find(|name| edit_distance(&only.to_lowercase(), name) <= 2.min(name.len() / 2));
        if let Some(name) = near {
            return Some(format!("did you mean 'smtpcode {name}'?"));
        }
    }
    let words: Vec<String> = queries.iter().map(|q| escape(q).into_owned()).collect();
    Some(format!(
        "to find codes by words, try 'smtpcode search {}'",
        words.join(" ")
    ))
}

/// Levenshtein distance between two short words.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(queries: &[&str]) -> Option<String> {
        word_hint(&queries.iter().map(|q| q.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn paths_are_told_from_words_and_codes_by_their_shape() {
        for path in [
            "/var/log/mail.log",
            "mail.log",
            "maillog.1",
            "mail.log.2.gz",
            "bounce.eml",
            "events.jsonl",
            "logs\\mail.txt",
        ] {
            assert!(looks_like_path(path), "{path}");
        }
        for other in ["550", "5.7.26", "mailbox", "user.unknown", "4.7.0 [TSS04]"] {
            assert!(!looks_like_path(other), "{other}");
        }
    }

    #[test]
    fn a_misspelt_subcommand_is_named() {
        assert_eq!(hint(&["lsit"]).unwrap(), "did you mean 'smtpcode list'?");
        assert_eq!(hint(&["serch"]).unwrap(), "did you mean 'smtpcode search'?");
        assert_eq!(hint(&["mann"]).unwrap(), "did you mean 'smtpcode man'?");
        assert!(hint(&["mail"])
            .unwrap()
            .starts_with("to find codes by words"));
    }

    #[test]
    fn words_are_offered_a_search() {
        assert_eq!(
            hint(&["mailbox", "full"]).unwrap(),
            "to find codes by words, try 'smtpcode search mailbox full'"
        );
        assert_eq!(
            hint(&["dmarc"]).unwrap(),
            "to find codes by words, try 'smtpcode search dmarc'"
        );
    }

    #[test]
    fn codes_get_no_word_hint() {
        assert_eq!(hint(&["5.726"]), None);
        assert_eq!(hint(&["550", "mailbox"]), None);
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("list", "list"), 0);
        assert_eq!(edit_distance("lsit", "list"), 2);
        assert_eq!(edit_distance("", "man"), 3);
        assert_eq!(edit_distance("search", "serch"), 1);
    }
}
