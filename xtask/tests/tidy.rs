//! Tidy checks: conventions every crate keeps, checked so they never drift.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn crates() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join("crates"))
        .expect("crates/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("Cargo.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_crate_forbids_unsafe_and_warns_on_missing_docs() {
    let mut problems = Vec::new();
    for dir in crates() {
        let lib = dir.join("src/lib.rs");
        let text = fs::read_to_string(&lib).unwrap_or_default();
        for attribute in ["#![forbid(unsafe_code)]", "#![warn(missing_docs)]"] {
            if !text.contains(attribute) {
                problems.push(format!("{} lacks {attribute}", lib.display()));
            }
        }
        // Crate docs either inline or from the crate README (twilight's habit).
        let opening = text.trim_start();
        if !opening.starts_with("//!") && !opening.starts_with("#![doc = include_str!(") {
            problems.push(format!("{} does not open with crate docs", lib.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_crate_uses_the_workspace_lints_and_versions() {
    let mut problems = Vec::new();
    for dir in crates() {
        let manifest = fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
        if !manifest.contains("[lints]\nworkspace = true") {
            problems.push(format!(
                "{} does not inherit [workspace.lints]",
                dir.display()
            ));
        }
        for line in manifest.lines() {
            // A dependency pinned in a crate instead of [workspace.dependencies] drifts.
            if line.contains("version = \"") && !line.starts_with("version") {
                problems.push(format!(
                    "{}: `{line}` pins a version outside the workspace",
                    dir.display()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_stubs_or_ignored_tests() {
    let mut files = Vec::new();
    for dir in crates() {
        rust_files(&dir, &mut files);
    }
    rust_files(&root().join("xtask/src"), &mut files);
    let needles = [
        concat!("todo", "!("),
        concat!("unimplemented", "!("),
        concat!("#[", "ignore"),
    ];
    let mut problems = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).unwrap_or_default();
        for (number, line) in text.lines().enumerate() {
            if needles.iter().any(|needle| line.contains(needle)) {
                problems.push(format!(
                    "{}:{}: {}",
                    file.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "stubs left in the tree:\n{}",
        problems.join("\n")
    );
}

#[test]
fn readme_names_the_two_commands_and_ci_runs_the_test_command() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    assert!(
        readme.contains("cargo run --example tour"),
        "README must show the main job"
    );
    assert!(
        readme.contains("cargo test --workspace"),
        "README must show the test command"
    );
    let ci = fs::read_to_string(root().join(".ci/run")).expect(".ci/run");
    for command in [
        "cargo test --workspace",
        "cargo clippy --workspace --all-targets -- -D warnings",
        "cargo fmt --all --check",
        "cargo xtask fixtures --check",
        "cargo deny --offline check licenses bans sources",
    ] {
        assert!(ci.contains(command), ".ci/run must run `{command}`");
    }
}
