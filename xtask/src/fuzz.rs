//! `cargo xtask fuzz`: coverage-guided fuzzing with AFL++ (afl.rs, stable Rust) and the
//! plain-Rust replay of every stored input that CI runs.
//!
//! ```text
//! cargo xtask fuzz --list                        # the targets
//! cargo xtask fuzz --replay                      # every target over fuzz/{corpus,regressions}/
//! cargo xtask fuzz --seed                        # rewrite the seed corpus from fixtures/
//! cargo xtask fuzz TARGET --time SECS [--minimize] [--no-build]
//! ```
//!
//! A run installs `cargo-afl` if it is missing, builds the harness (`fuzz/afl`, its own
//! workspace) into `$SWITCHBOARD_FUZZ_TARGET_DIR` (default `target/fuzz`), fuzzes from the
//! target's corpus and regressions for SECS seconds under `nice`, copies every crash into
//! `fuzz/regressions/TARGET/` and prints AFL's statistics as a table row. `--minimize`
//! replaces the stored corpus with `afl-cmin`'s reduction of corpus and queue;
//! `--no-build` reuses the harness already built (a campaign over many targets while the
//! tree changes).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Entry point for `cargo xtask fuzz ARGS`.
pub(crate) fn run(root: &Path, args: &[&str]) -> Result<(), String> {
    match args {
        ["--replay"] => cargo_targets(root, &["replay"]),
        ["--seed"] => cargo_targets(root, &["seed"]),
        ["--list"] => cargo_targets(root, &["list"]),
        [target, rest @ ..] if !target.starts_with('-') => {
            let mut secs = None;
            let mut minimize = false;
            let mut build = true;
            let mut rest = rest.iter();
            while let Some(arg) = rest.next() {
                match *arg {
                    "--time" => {
                        secs = rest.next().and_then(|s| s.parse::<u64>().ok());
                    }
                    "--minimize" => minimize = true,
                    "--no-build" => build = false,
                    other => return Err(format!("unknown argument {other:?}")),
                }
            }
            let secs = secs.ok_or("--time SECS is required")?;
            fuzz(root, target, secs, minimize, build)
        }
        _ => Err(USAGE.to_owned()),
    }
}

pub(crate) const USAGE: &str =
    "cargo xtask fuzz --list | --replay | --seed | TARGET --time SECS [--minimize] [--no-build]";

/// Runs the `fuzz-targets` binary (plain Rust, every target compiled in).
fn cargo_targets(root: &Path, args: &[&str]) -> Result<(), String> {
    let status = Command::new(cargo())
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "-p",
            "fuzz-targets",
            "--features",
            "etf",
            "--",
        ])
        .args(args)
        .status()
        .map_err(|e| format!("cargo: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("fuzz-targets {} failed", args.join(" ")))
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn fuzz(
    root: &Path,
    target: &str,
    secs: u64,
    minimize: bool,
    build_first: bool,
) -> Result<(), String> {
    let fuzz_dir = root.join("fuzz");
    let target_dir = std::env::var_os("SWITCHBOARD_FUZZ_TARGET_DIR")
        .map_or_else(|| root.join("target/fuzz"), PathBuf::from);
    ensure_cargo_afl()?;
    let harness = if build_first {
        build(root, &target_dir)?
    } else {
        target_dir.join("release/fuzz-afl")
    };
    check_target(&harness, target)?;

    // AFL takes one input directory: the corpus and every past crash.
    let input = target_dir.join("afl-in").join(target);
    let output = target_dir.join("afl-out").join(target);
    for dir in [&input, &output] {
        let _ = std::fs::remove_dir_all(dir);
    }
    std::fs::create_dir_all(&input).map_err(|e| e.to_string())?;
    if let Some(parent) = output.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let inputs = gather_inputs(&fuzz_dir, target, &input)?;
    if inputs == 0 {
        return Err(format!(
            "fuzz/corpus/{target}/ is empty: run `cargo xtask fuzz --seed`"
        ));
    }

    println!(
        "fuzzing {target} for {secs} s from {inputs} inputs (output in {})",
        output.display()
    );
    let log = std::fs::File::create(target_dir.join(format!("afl-{target}.log")))
        .map_err(|e| e.to_string())?;
    let status = Command::new("nice")
        .args(["-n", "19", "cargo", "afl", "fuzz", "-i"])
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .args(["-V", &secs.to_string(), "--"])
        .arg(&harness)
        .arg(target)
        // Shared machines: no core pinning, no CPU governor check, no crash-reporter
        // check, a plain status log instead of the terminal UI.
        .env("AFL_NO_AFFINITY", "1")
        .env("AFL_SKIP_CPUFREQ", "1")
        .env("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1")
        .env("AFL_NO_UI", "1")
        // A stored crash that still crashes is reported by the replay; fuzz on regardless.
        .env("AFL_IGNORE_SEED_PROBLEMS", "1")
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .status()
        .map_err(|e| format!("cargo afl fuzz: {e}"))?;
    if !status.success() {
        return Err(format!(
            "afl-fuzz failed ({status}); see {}",
            target_dir.join(format!("afl-{target}.log")).display()
        ));
    }
    let stats = read_stats(&output.join("default/fuzzer_stats"))?;

    let crashes = keep_crashes(
        &output.join("default/crashes"),
        &fuzz_dir.join("regressions").join(target),
    )?;
    if minimize {
        minimize_corpus(
            &harness,
            target,
            &output,
            &fuzz_dir.join("corpus").join(target),
        )?;
    }
    print_stats(target, &stats);
    if crashes.is_empty() {
        Ok(())
    } else {
        for crash in &crashes {
            println!("new crash input: {}", crash.display());
        }
        Err(format!(
            "{target}: {} crashing inputs saved in fuzz/regressions/{target}/",
            crashes.len()
        ))
    }
}

/// Copies the target's corpus and regressions into AFL's input directory.
fn gather_inputs(fuzz_dir: &Path, target: &str, input: &Path) -> Result<usize, String> {
    let mut inputs = 0;
    for sub in ["corpus", "regressions"] {
        for file in files(&fuzz_dir.join(sub).join(target)) {
            let name = format!(
                "{sub}-{}",
                file.file_name().and_then(|n| n.to_str()).unwrap_or("x")
            );
            std::fs::copy(&file, input.join(name)).map_err(|e| e.to_string())?;
            inputs += 1;
        }
    }
    Ok(inputs)
}

/// AFL's statistics of a run as a markdown table (what `fuzz/README.md` records).
fn print_stats(target: &str, stats: &BTreeMap<String, String>) {
    let get = |key: &str| stats.get(key).map_or("?", String::as_str);
    println!(
        "| target | seconds | executions | exec/s | corpus | edges found | bitmap | crashes | hangs |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {target} | {} | {} | {} | {} | {} | {} | {} | {} |",
        get("run_time"),
        get("execs_done"),
        get("execs_per_sec"),
        get("corpus_count"),
        get("edges_found"),
        get("bitmap_cvg"),
        get("saved_crashes"),
        get("saved_hangs"),
    );
}

fn ensure_cargo_afl() -> Result<(), String> {
    let installed = Command::new(cargo())
        .args(["afl", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        println!("installing cargo-afl (builds AFL++ from source)");
        check(Command::new(cargo()).args(["install", "--locked", "cargo-afl"]))?;
    }
    // Builds AFL++'s runtime once per toolchain; "already built" is fine.
    let config = Command::new(cargo())
        .args(["afl", "config", "--build"])
        .output()
        .map_err(|e| e.to_string())?;
    let stderr = String::from_utf8_lossy(&config.stderr);
    if config.status.success() || stderr.contains("already built") {
        Ok(())
    } else {
        Err(format!("cargo afl config --build failed:\n{stderr}"))
    }
}

/// Builds the harness with AFL instrumentation; returns its path.
fn build(root: &Path, target_dir: &Path) -> Result<PathBuf, String> {
    check(
        Command::new("nice")
            .args([
                "-n",
                "19",
                "cargo",
                "afl",
                "build",
                "--release",
                "--manifest-path",
            ])
            .arg(root.join("fuzz/afl/Cargo.toml"))
            .env("CARGO_TARGET_DIR", target_dir),
    )?;
    Ok(target_dir.join("release/fuzz-afl"))
}

fn check_target(harness: &Path, target: &str) -> Result<(), String> {
    // The harness prints the targets and exits 2 for an unknown name.
    let known = Command::new(harness)
        .arg(target)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", harness.display()))?;
    if known.status.code() == Some(2) {
        return Err(format!(
            "unknown target {target:?}\n{}",
            String::from_utf8_lossy(&known.stderr)
        ));
    }
    Ok(())
}

fn check(command: &mut Command) -> Result<(), String> {
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("{command:?} failed: {status}"))
}

fn read_stats(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(key, value)| (key.trim().to_owned(), value.trim().to_owned()))
        .collect())
}

/// Copies AFL's crash inputs into the regressions, named by content so reruns do not
/// duplicate them. Returns the new files.
fn keep_crashes(crashes: &Path, regressions: &Path) -> Result<Vec<PathBuf>, String> {
    let mut kept = Vec::new();
    for file in files(crashes) {
        if file.file_name().is_some_and(|name| name == "README.txt") {
            continue;
        }
        let data = std::fs::read(&file).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(regressions).map_err(|e| e.to_string())?;
        let path = regressions.join(format!("crash-{:016x}", fnv1a(&data)));
        if !path.exists() {
            std::fs::write(&path, &data).map_err(|e| e.to_string())?;
            kept.push(path);
        }
    }
    Ok(kept)
}

/// Replaces `corpus` with afl-cmin's reduction of the run's queue (which started from the
/// corpus, so nothing covered is lost).
fn minimize_corpus(
    harness: &Path,
    target: &str,
    output: &Path,
    corpus: &Path,
) -> Result<(), String> {
    let reduced = output.join("cmin");
    check(
        Command::new("nice")
            // `-e`: edges only, hit counts ignored; a far smaller corpus for the repository.
            .args(["-n", "19", "cargo", "afl", "cmin", "-e", "-i"])
            .arg(output.join("default/queue"))
            .arg("-o")
            .arg(&reduced)
            .arg("--")
            .arg(harness)
            .arg(target)
            .env("AFL_SKIP_CPUFREQ", "1")
            .env("AFL_NO_AFFINITY", "1"),
    )?;
    let kept = files(&reduced);
    if kept.is_empty() {
        return Err("afl-cmin kept nothing; corpus left as it was".to_owned());
    }
    let _ = std::fs::remove_dir_all(corpus);
    std::fs::create_dir_all(corpus).map_err(|e| e.to_string())?;
    for file in &kept {
        let data = std::fs::read(file).map_err(|e| e.to_string())?;
        std::fs::write(corpus.join(format!("{:016x}", fnv1a(&data))), data)
            .map_err(|e| e.to_string())?;
    }
    println!("corpus of {target} minimised to {} inputs", kept.len());
    Ok(())
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// FNV-1a: a stable content name for inputs (not a security hash).
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
