//! Every stored fuzz input (corpus and crash regressions) through its target: what
//! `cargo xtask fuzz --replay` runs, here so `cargo test --workspace` guards the crash
//! fixes too.

use std::path::Path;

#[test]
fn every_stored_input_runs_without_a_panic() {
    let fuzz_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let report = fuzz_targets::replay(&fuzz_dir).expect("fuzz/ is readable");
    let failures: Vec<String> = report
        .failures
        .iter()
        .map(|f| format!("{} on {}: {}", f.target, f.file.display(), f.message))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (target, count) in &report.inputs {
        assert!(
            *count > 0,
            "{target} has no stored inputs: nothing was replayed"
        );
    }
    // Only the ETF corpus may lack its target, when built without the `etf` feature.
    for dir in &report.unknown {
        let etf = dir.ends_with("discord_etf") && !cfg!(feature = "etf");
        assert!(etf, "{} names no target", dir.display());
    }
}
