//! Every target over its stored inputs, in plain Rust: what CI runs instead of a fuzzer.

use std::collections::BTreeMap;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use crate::TARGETS;

/// The directories under `fuzz/` whose files are replayed, each with one subdirectory per
/// target: the corpus the fuzzer grew, and every input that ever crashed a target.
pub const INPUT_DIRS: [&str; 2] = ["corpus", "regressions"];

/// One input that made its target panic.
#[derive(Debug)]
pub struct Failure {
    /// The target's name.
    pub target: &'static str,
    /// The input file.
    pub file: PathBuf,
    /// The panic message.
    pub message: String,
}

/// What a replay ran and found.
#[derive(Debug, Default)]
pub struct Report {
    /// Inputs run per target (targets without stored inputs have 0).
    pub inputs: BTreeMap<&'static str, usize>,
    /// Inputs that panicked.
    pub failures: Vec<Failure>,
    /// Input directories naming no target compiled in (a renamed target, or `discord_etf`
    /// without the `etf` feature).
    pub unknown: Vec<PathBuf>,
}

/// Runs every target over `fuzz_dir/{corpus,regressions}/<target>/*`, catching panics.
pub fn replay(fuzz_dir: &Path) -> io::Result<Report> {
    let mut report = Report::default();
    for target in TARGETS {
        let mut count = 0;
        for dir in INPUT_DIRS {
            for file in files(&fuzz_dir.join(dir).join(target.name))? {
                let data = std::fs::read(&file)?;
                count += 1;
                if let Err(payload) = catch_unwind(AssertUnwindSafe(|| (target.run)(&data))) {
                    report.failures.push(Failure {
                        target: target.name,
                        file,
                        message: panic_message(&*payload),
                    });
                }
            }
        }
        report.inputs.insert(target.name, count);
    }
    for dir in INPUT_DIRS {
        for sub in subdirectories(&fuzz_dir.join(dir))? {
            let known = sub
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| crate::target(name).is_some());
            if !known {
                report.unknown.push(sub);
            }
        }
    }
    Ok(report)
}

/// The regular files in `dir`, sorted (none if it does not exist); dotfiles are skipped.
fn files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    entries(dir, Path::is_file)
}

fn subdirectories(dir: &Path) -> io::Result<Vec<PathBuf>> {
    entries(dir, Path::is_dir)
}

fn entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry?.path();
        let hidden = path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(|name| name.starts_with('.'));
        if !hidden && keep(&path) {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(non-text panic payload)".to_owned())
}
