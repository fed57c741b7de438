//! Development chores for switchboard.
//!
//! ```text
//! cargo xtask fixtures          # regenerate fixtures/ from the seeded generators
//! cargo xtask fixtures --check  # regenerate in memory and fail on any difference
//! cargo xtask gamedata [--check] # svc-gameapi's static game data (also part of `fixtures`)
//! cargo xtask fuzz --replay      # every fuzz target over its stored corpus and crashes
//! cargo xtask fuzz TARGET --time SECS   # fuzz one target with AFL++ (see fuzz/README.md)
//! cargo xtask bench-report [--reuse] # run the performance benches, write docs/PERFORMANCE.md
//! ```
#![forbid(unsafe_code)]

mod bench_report;
mod fixtures;
mod fuzz;
mod gamedata;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["fixtures"] => fixtures::write(&workspace_root()),
        ["fixtures", "--check"] => fixtures::check(&workspace_root()),
        ["gamedata"] => gamedata::write(&workspace_root()),
        ["gamedata", "--check"] => gamedata::check(&workspace_root()),
        ["fuzz", rest @ ..] => fuzz::run(&workspace_root(), rest),
        ["bench-report"] => bench_report::run(&workspace_root(), false),
        ["bench-report", "--reuse"] => bench_report::run(&workspace_root(), true),
        _ => {
            eprintln!(
                "usage: cargo xtask fixtures [--check] | gamedata [--check] | bench-report [--reuse] | {}",
                fuzz::USAGE
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or_else(|| manifest.clone(), PathBuf::from)
}
