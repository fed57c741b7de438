//! `fuzz-targets replay [FUZZ_DIR]`: every target over its corpus and regressions (fails on
//! a panic or on a target without stored inputs); `fuzz-targets seed FIXTURES FUZZ_DIR`:
//! writes the seed corpus from `fixtures/`; `fuzz-targets list`: the targets.
//! `cargo xtask fuzz` drives these.
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let result = match args.as_slice() {
        ["replay"] => replay(&root.join("fuzz")),
        ["replay", dir] => replay(Path::new(dir)),
        ["seed"] => seed(&root.join("fixtures"), &root.join("fuzz")),
        ["seed", fixtures, dir] => seed(Path::new(fixtures), Path::new(dir)),
        ["list"] => {
            for target in fuzz_targets::TARGETS {
                println!(
                    "{}\t{}\t{}",
                    target.name,
                    if target.fast { "fast" } else { "slow" },
                    target.about
                );
            }
            Ok(())
        }
        _ => Err("usage: fuzz-targets replay [FUZZ_DIR] | seed [FIXTURES FUZZ_DIR] | list".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("fuzz-targets: {message}");
            ExitCode::FAILURE
        }
    }
}

fn replay(dir: &Path) -> Result<(), String> {
    let report =
        fuzz_targets::replay(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for (target, count) in &report.inputs {
        println!("replay {target}: {count} inputs");
    }
    let mut problems: Vec<String> = report
        .failures
        .iter()
        .map(|f| {
            format!(
                "{} panicked on {}: {}",
                f.target,
                f.file.display(),
                f.message
            )
        })
        .collect();
    problems.extend(
        report
            .inputs
            .iter()
            .filter(|(_, count)| **count == 0)
            .map(|(target, _)| format!("{target} has no stored inputs: nothing was replayed")),
    );
    problems.extend(report.unknown.iter().map(|dir| {
        format!(
            "{} names no target (renamed? built without --features etf?)",
            dir.display()
        )
    }));
    let total: usize = report.inputs.values().sum();
    if problems.is_empty() {
        println!("replay: {total} passed, 0 failed");
        Ok(())
    } else {
        Err(format!(
            "replay: {} passed, {} failed\n{}",
            total - report.failures.len(),
            report.failures.len(),
            problems.join("\n")
        ))
    }
}

fn seed(fixtures: &Path, dir: &Path) -> Result<(), String> {
    let seeds = fuzz_targets::seeds::from_fixtures(fixtures)
        .map_err(|e| format!("reading {}: {e}", fixtures.display()))?;
    for (target, inputs) in seeds {
        let out: PathBuf = dir.join("corpus").join(target);
        std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
        for (index, input) in inputs.iter().enumerate() {
            let file = out.join(format!("seed-{index:03}"));
            std::fs::write(&file, input).map_err(|e| format!("{}: {e}", file.display()))?;
        }
        println!("seed {target}: {} inputs", inputs.len());
    }
    Ok(())
}
