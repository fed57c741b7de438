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

/// The layers of the workspace, bottom up. Dependencies point down (or within the
/// foundations); see docs/ARCHITECTURE.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layer {
    /// `core-*`, `transport-*`: know no platform.
    Foundation,
    /// `redis-test-server`: test support for the foundations and above.
    TestSupport,
    /// `svc-*`: one platform each.
    Service,
    /// `sandbox`: the platforms' server side, written independently of the clients.
    Sandbox,
    /// `fanout`: built on a service.
    Integration,
    /// `switchboard`: the facade over everything.
    Facade,
    /// `fuzz-targets`: drives every parser; a leaf no crate under crates/ depends on.
    Tooling,
}

fn layer(name: &str) -> Option<Layer> {
    Some(match name {
        _ if name.starts_with("core-") || name.starts_with("transport-") => Layer::Foundation,
        _ if name.starts_with("svc-") => Layer::Service,
        "redis-test-server" => Layer::TestSupport,
        "sandbox" => Layer::Sandbox,
        "fanout" => Layer::Integration,
        "switchboard" => Layer::Facade,
        "fuzz-targets" => Layer::Tooling,
        _ => return None,
    })
}

/// Whether `from` may depend on `to` in a `section` (`dependencies`, `dev-dependencies`,
/// `build-dependencies`); `Err` says why not.
fn may_depend(from: &str, to: &str, section: &str) -> Result<(), &'static str> {
    let (Some(from_layer), Some(to_layer)) = (layer(from), layer(to)) else {
        return Err("a crate tidy.rs does not place in a layer: add it to `layer`");
    };
    let dev = section == "dev-dependencies";
    match (from_layer, to_layer) {
        (_, Layer::Sandbox) if !dev => {
            Err("the sandbox is a dev-dependency only (end-to-end tests and examples)")
        }
        (_, Layer::TestSupport) if !dev => Err("test support is a dev-dependency only"),
        (_, Layer::Tooling) => Err("tooling is a leaf: no workspace crate depends on it"),
        (Layer::TestSupport, _) => Err("test support depends on no workspace crate"),
        (Layer::Foundation, to) if !matches!(to, Layer::Foundation | Layer::TestSupport) => {
            Err("foundations know no platform: they depend on other foundations only")
        }
        (Layer::Sandbox, Layer::Service | Layer::Integration | Layer::Facade) => Err(
            "the sandbox shares no code with the clients it tests: it depends on no svc-* crate",
        ),
        // A service's own proc macros (`svc-gateway-derive` for `svc-gateway`) are part of
        // it, split off only because proc macros must be a crate of their own.
        (Layer::Service, Layer::Service)
            if !(to == "svc-helix" && matches!(from, "svc-ircchat" | "svc-eventsub"))
                && to.strip_suffix("-derive") != Some(from) =>
        {
            Err(
                "a svc-* crate never depends on another, except the Twitch crates on svc-helix \
                 and a service on its own `-derive` crate",
            )
        }
        (Layer::Service | Layer::Integration, Layer::Integration | Layer::Facade) => {
            Err("dependencies point down, never up")
        }
        _ => Ok(()),
    }
}

/// Every dependency table of a manifest: `[dependencies]` and friends, also under
/// `[target.'cfg(…)'.…]`, as (section, crate name) pairs (a renamed dependency counts under
/// its `package` name).
fn dependencies(manifest: &toml::Table) -> Vec<(String, String)> {
    let sections = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<&toml::Table> = vec![manifest];
    if let Some(targets) = manifest.get("target").and_then(toml::Value::as_table) {
        tables.extend(targets.values().filter_map(toml::Value::as_table));
    }
    let mut found = Vec::new();
    for table in tables {
        for section in sections {
            let Some(deps) = table.get(section).and_then(toml::Value::as_table) else {
                continue;
            };
            for (key, spec) in deps {
                let name = spec
                    .get("package")
                    .and_then(toml::Value::as_str)
                    .unwrap_or(key);
                found.push((section.to_owned(), name.to_owned()));
            }
        }
    }
    found
}

/// The layering of docs/ARCHITECTURE.md, checked on every manifest under crates/.
#[test]
fn dependencies_point_down_never_up_or_sideways() {
    let workspace: Vec<String> = crates()
        .iter()
        .filter_map(|dir| Some(dir.file_name()?.to_str()?.to_owned()))
        .collect();
    let mut problems = Vec::new();
    for dir in crates() {
        let text = fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
        let manifest: toml::Table = text.parse().expect("a valid Cargo.toml");
        let from = manifest["package"]["name"].as_str().expect("package.name");
        if layer(from).is_none() {
            problems.push(format!(
                "{from}: not placed in a layer; add it to `layer` in xtask/tests/tidy.rs"
            ));
            continue;
        }
        for (section, to) in dependencies(&manifest) {
            if !workspace.contains(&to) {
                continue;
            }
            if let Err(rule) = may_depend(from, &to, &section) {
                problems.push(format!("{from} → {to} ([{section}]): {rule}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "dependencies that break the layering (docs/ARCHITECTURE.md):\n{}",
        problems.join("\n")
    );
}

/// The layering rules themselves, on made-up pairs, so a rule lost in an edit shows.
#[test]
fn the_layering_rules_catch_each_wrong_direction() {
    let wrong = [
        ("core-ratelimit", "sandbox", "dev-dependencies"),
        ("transport-http", "svc-gateway", "dependencies"),
        ("core-cache", "fanout", "dev-dependencies"),
        ("svc-gateway", "svc-mesh", "dependencies"),
        ("svc-mesh", "svc-helix", "dependencies"),
        ("svc-mesh", "svc-gateway-derive", "dependencies"),
        ("svc-helix", "svc-ircchat", "dev-dependencies"),
        ("svc-gateway", "fanout", "dependencies"),
        ("sandbox", "svc-gateway", "dev-dependencies"),
        ("sandbox", "switchboard", "dependencies"),
        ("svc-gateway", "sandbox", "dependencies"),
        ("svc-gateway", "redis-test-server", "dependencies"),
        ("redis-test-server", "core-ratelimit", "dependencies"),
        ("fanout", "switchboard", "dependencies"),
        ("svc-gateway", "fuzz-targets", "dev-dependencies"),
        ("core-new", "not-a-layer", "dependencies"),
    ];
    for (from, to, section) in wrong {
        assert!(
            may_depend(from, to, section).is_err(),
            "{from} → {to} ([{section}]) passed"
        );
    }
    let right = [
        ("transport-http", "core-ratelimit", "dependencies"),
        ("core-ratelimit", "redis-test-server", "dev-dependencies"),
        ("svc-ircchat", "svc-helix", "dependencies"),
        ("svc-eventsub", "svc-helix", "dependencies"),
        ("svc-gateway", "svc-gateway-derive", "dependencies"),
        ("svc-gateway", "sandbox", "dev-dependencies"),
        ("fanout", "svc-gateway", "dependencies"),
        ("fanout", "sandbox", "dev-dependencies"),
        ("switchboard", "fanout", "dev-dependencies"),
        ("switchboard", "svc-mesh", "dependencies"),
    ];
    for (from, to, section) in right {
        assert_eq!(may_depend(from, to, section), Ok(()), "{from} → {to}");
    }
}

/// Words of an identifier: `BucketConfig` → bucket, config; `TWITCH_HELIX_URL` → twitch,
/// helix, url.
fn words(identifier: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in identifier.split('_').filter(|p| !p.is_empty()) {
        let mut word = String::new();
        let mut previous_lower = false;
        for c in part.chars() {
            if c.is_uppercase() && previous_lower {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = c.is_lowercase() || c.is_ascii_digit();
            word.extend(c.to_lowercase());
        }
        words.push(word);
    }
    words
}

/// The name a `pub` item line declares (`pub fn discord(` → `discord`), if it is one.
fn public_item(line: &str) -> Option<&str> {
    let mut rest = line.trim_start().strip_prefix("pub ")?.trim_start();
    for qualifier in ["const fn ", "async fn ", "unsafe fn "] {
        if let Some(after) = rest.strip_prefix(qualifier) {
            rest = after;
            return identifier(rest);
        }
    }
    let kinds = [
        "fn ", "struct ", "enum ", "trait ", "const ", "type ", "mod ", "static ",
    ];
    let after = kinds.iter().find_map(|kind| rest.strip_prefix(kind))?;
    identifier(after)
}

fn identifier(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    (end > 0).then(|| &text[..end])
}

const PLATFORMS: [&str; 6] = ["discord", "helix", "twitch", "clash", "coc", "singyeong"];

/// Foundations know no platform: no `pub` item of a `core-*` or `transport-*` crate is
/// named after one (docs may still use platforms as examples).
#[test]
fn foundations_name_no_platform_in_their_public_api() {
    let mut problems = Vec::new();
    for dir in crates() {
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if layer(name) != Some(Layer::Foundation) {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&dir.join("src"), &mut files);
        files.sort();
        for file in files {
            let text = fs::read_to_string(&file).unwrap_or_default();
            for (number, line) in text.lines().enumerate() {
                let Some(item) = public_item(line) else {
                    continue;
                };
                if let Some(platform) = words(item)
                    .iter()
                    .find(|word| PLATFORMS.contains(&word.as_str()))
                {
                    problems.push(format!(
                        "{}:{}: `{item}` names {platform}",
                        file.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "foundations name a platform in their public API (move it to the service crate):\n{}",
        problems.join("\n")
    );
}

#[test]
fn public_items_and_their_words_are_found() {
    assert_eq!(
        public_item("    pub fn discord() -> Self {"),
        Some("discord")
    );
    assert_eq!(
        public_item("pub const fn helix_budget("),
        Some("helix_budget")
    );
    assert_eq!(
        public_item("pub struct TwitchLimits {"),
        Some("TwitchLimits")
    );
    assert_eq!(public_item("pub(crate) fn discord()"), None);
    assert_eq!(public_item("/// pub fn discord()"), None);
    assert_eq!(words("TWITCH_HELIX_URL"), ["twitch", "helix", "url"]);
    assert_eq!(
        words("BucketConfigDiscord"),
        ["bucket", "config", "discord"]
    );
    assert_eq!(words("parse_coc_tag"), ["parse", "coc", "tag"]);
    assert_eq!(words("protocol"), ["protocol"]);
}
