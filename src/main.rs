//! The smtpcode command: parse arguments, run, turn the result into an exit status.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(status) => status,
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("smtpcode: {err:#}");
            ExitCode::from(cli::EXIT_TROUBLE)
        }
    }
}
