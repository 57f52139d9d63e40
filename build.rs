//! Compiles the curated tables in data/ into Rust source in OUT_DIR.
//!
//! The work is split by stage: `build/model.rs` reads the TOML, `build/check.rs` validates it and
//! reports every problem at once, naming the file and the entry, and `build/emit.rs` writes the
//! static arrays and phf maps that `src/tables.rs` includes. Nothing is parsed at run time.

#[path = "build/check.rs"]
mod check;
#[path = "build/emit.rs"]
mod emit;
#[path = "build/model.rs"]
mod model;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed=data");
    for file in model::FILES {
        println!("cargo::rerun-if-changed=data/{file}");
    }
    println!("cargo::rerun-if-changed=build");

    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let data_dir = Path::new(&manifest_dir).join("data");
    let tables = match model::Tables::load(&data_dir) {
        Ok(tables) => tables,
        Err(problems) => return report(&problems),
    };
    let problems = check::check(&tables);
    if !problems.is_empty() {
        return report(&problems);
    }

    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir).join("tables.rs");
    if let Err(err) = std::fs::write(&out, emit::emit(&tables)) {
        println!("cargo::error=cannot write {}: {err}", out.display());
        return ExitCode::FAILURE;
    }
    println!(
        "cargo::rustc-env=SMTPCODE_REPLY_ENTRIES={}",
        tables.replies.len()
    );
    println!(
        "cargo::rustc-env=SMTPCODE_ENHANCED_ENTRIES={}",
        tables.details.len()
    );
    println!(
        "cargo::rustc-env=SMTPCODE_PROVIDERS={}",
        tables.providers.len()
    );
    println!(
        "cargo::rustc-env=SMTPCODE_PROVIDER_ENTRIES={}",
        tables.provider_replies.len() + tables.answers.len()
    );
    ExitCode::SUCCESS
}

fn report(problems: &[String]) -> ExitCode {
    for problem in problems {
        println!("cargo::error={problem}");
    }
    ExitCode::FAILURE
}
