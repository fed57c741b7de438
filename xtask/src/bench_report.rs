//! `cargo xtask bench-report [--reuse]`: runs every bench of the performance table (issue
//! 19) and writes the table (ours, peer, ratio, target, met?) into `docs/PERFORMANCE.md`,
//! between two marker lines; the notes around them are kept.
//!
//! The table is [`ROWS`]: a new row is one entry naming its bench and where its two figures
//! come from — criterion's estimates for a group's two functions, or a line the bench
//! printed (`bench-report <key> ours=<x> peer=<y>`, for what criterion does not measure,
//! such as memory). A bench is a cargo bench target, or an example that measures what a
//! bench cannot (a process's resident memory over a minute of idle connections) and prints
//! such lines. Every bench runs once per report, however many rows it feeds. `--reuse`
//! skips running and reads what the last run left (its saved output and criterion's
//! estimates), to rewrite the file only.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One bench target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Bench {
    package: &'static str,
    name: &'static str,
    kind: BenchKind,
    /// Cargo features the bench needs (`--features`), comma-separated; empty for none.
    features: &'static str,
}

/// How a bench is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum BenchKind {
    /// `cargo bench -p <package> --bench <name>` (`benches/<name>.rs`).
    Bench,
    /// `cargo run --release -p <package> --example <name>` (`examples/<name>.rs`): for
    /// measures of a whole process, printed as `bench-report` lines.
    Example,
}

impl Bench {
    /// The cargo command line that runs it.
    fn cargo_args(self) -> Vec<&'static str> {
        let mut args = match self.kind {
            BenchKind::Bench => vec!["bench", "-p", self.package, "--bench", self.name],
            BenchKind::Example => vec![
                "run",
                "--release",
                "-p",
                self.package,
                "--example",
                self.name,
            ],
        };
        if !self.features.is_empty() {
            args.extend(["--features", self.features]);
        }
        args
    }

    /// Its source file, relative to the workspace root.
    #[cfg(test)]
    fn source(self) -> PathBuf {
        let dir = match self.kind {
            BenchKind::Bench => "benches",
            BenchKind::Example => "examples",
        };
        Path::new("crates")
            .join(self.package)
            .join(dir)
            .join(format!("{}.rs", self.name))
    }
}

/// Where a row's figures come from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Source {
    /// Criterion's mean for `group/ours` and `group/peer`: shown as elements per second
    /// when the group sets an element throughput, as MB/s (10^6 bytes) when it sets a
    /// byte throughput, else as nanoseconds per iteration.
    Criterion {
        group: &'static str,
        ours: &'static str,
        peer: &'static str,
    },
    /// A `bench-report <key> ours=<x> peer=<y>` line of the bench's output.
    Printed { key: &'static str },
}

/// What a row must reach. Ratios are ours ÷ peer of the figures shown.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target {
    /// Ours ÷ peer at least this (throughput).
    RatioAtLeast(f64),
    /// Ours ÷ peer at most this (time, bytes).
    RatioAtMost(f64),
    /// Ours at least this figure, whatever the peer's (an absolute throughput target).
    AtLeast(f64),
    /// Our figure at most this, in the row's unit, whatever the peer's (an absolute budget
    /// such as "≤ 100 ns").
    AtMost(f64),
    /// No target: the figure is reported, not judged.
    None,
}

/// One line of the table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Row {
    /// The row this measures.
    pub(crate) what: &'static str,
    /// The unit of both figures.
    pub(crate) unit: &'static str,
    /// The peer, by name and version.
    pub(crate) peer: &'static str,
    pub(crate) bench: Bench,
    pub(crate) source: Source,
    pub(crate) target: Target,
}

const SVC_GATEWAY: &str = "svc-gateway";
const CACHE_MEMORY: Bench = Bench {
    package: SVC_GATEWAY,
    name: "cache_memory",
    kind: BenchKind::Bench,
    features: "",
};
const CACHE_UPDATE: Bench = Bench {
    package: SVC_GATEWAY,
    name: "cache_update",
    kind: BenchKind::Bench,
    features: "",
};
const PIPELINE: Bench = Bench {
    package: SVC_GATEWAY,
    name: "pipeline",
    kind: BenchKind::Bench,
    features: "",
};
const IDLE_CONNECTIONS: Bench = Bench {
    package: SVC_GATEWAY,
    name: "idle_connections",
    kind: BenchKind::Example,
    features: "",
};
const TUNGSTENITE: &str = "tokio-tungstenite 0.28, default buffers";
const TWILIGHT_CACHE: &str = "twilight-cache-inmemory 0.18";
const INFLATE: Bench = Bench {
    package: "transport-ws",
    name: "inflate",
    kind: BenchKind::Bench,
    features: "",
};
const LIMITER: Bench = Bench {
    package: "core-ratelimit",
    name: "limiter",
    kind: BenchKind::Bench,
    features: "",
};
const TWILIGHT_RATELIMITING: &str = "twilight-http-ratelimiting 0.18";
/// Needs a `redis-server` (started by the bench), hence the feature.
const CONSUMER_GROUP: Bench = Bench {
    package: "fanout",
    name: "consumer_group",
    kind: BenchKind::Bench,
    features: "redis",
};
/// What fan-out is compared with: there is no Rust framework to beat, so the ceiling.
const RAW_REDIS: &str = "raw `redis` 0.32, pipelined, no framework (ceiling)";

const fn memory(what: &'static str, key: &'static str) -> Row {
    Row {
        what,
        unit: "bytes",
        peer: TWILIGHT_CACHE,
        bench: CACHE_MEMORY,
        source: Source::Printed { key },
        target: Target::RatioAtMost(0.5),
    }
}

const fn updates(what: &'static str, group: &'static str) -> Row {
    Row {
        what,
        unit: "updates/s",
        peer: TWILIGHT_CACHE,
        bench: CACHE_UPDATE,
        source: Source::Criterion {
            group,
            ours: "svc_gateway",
            peer: "twilight",
        },
        target: Target::RatioAtLeast(2.0),
    }
}

const fn pipeline(what: &'static str, group: &'static str) -> Row {
    Row {
        what,
        unit: "events/s",
        peer: "twilight-gateway + twilight-cache-inmemory 0.18",
        bench: PIPELINE,
        source: Source::Criterion {
            group,
            ours: "svc_gateway",
            peer: "twilight",
        },
        target: Target::RatioAtLeast(2.0),
    }
}

/// Inflate throughput against `function`, the library used directly (`peer` names it).
const fn inflate(
    what: &'static str,
    group: &'static str,
    function: &'static str,
    peer: &'static str,
) -> Row {
    Row {
        what,
        unit: "MB/s",
        peer,
        bench: INFLATE,
        source: Source::Criterion {
            group,
            ours: "transport_ws",
            peer: function,
        },
        target: Target::RatioAtLeast(0.95),
    }
}

/// The table, in the order of the targets. Add a row here; nothing else changes.
pub(crate) const ROWS: &[Row] = &[
    memory(
        "Discord cache memory: per member (with its user)",
        "cache_memory/member",
    ),
    memory("Discord cache memory: per guild", "cache_memory/guild"),
    memory("Discord cache memory: per channel", "cache_memory/channel"),
    memory("Discord cache memory: per role", "cache_memory/role"),
    memory("Discord cache memory: per message", "cache_memory/message"),
    memory(
        "Discord cache memory: 10 large guilds, everything cached",
        "cache_memory/all",
    ),
    updates(
        "Discord cache: MESSAGE_CREATE",
        "cache_update/message_create",
    ),
    updates(
        "Discord cache: GUILD_MEMBER_UPDATE",
        "cache_update/guild_member_update",
    ),
    updates(
        "Discord cache: PRESENCE_UPDATE",
        "cache_update/presence_update",
    ),
    inflate(
        "Inflate: zlib-stream, recorded gateway stream",
        "inflate_zlib",
        "flate2",
        "flate2 1 (zlib-rs backend) used directly, raw deflate",
    ),
    inflate(
        "Inflate: zstd-stream, recorded gateway stream",
        "inflate_zstd",
        "zstd",
        "zstd 0.13 raw decoder used directly",
    ),
    pipeline(
        "End to end: one shard, 2,000 mixed dispatches",
        "pipeline/dispatch_stream",
    ),
    pipeline(
        "End to end: one shard, 10 large GUILD_CREATEs",
        "pipeline/guild_creates",
    ),
    Row {
        what: "Rate limiter: uncontended acquire + complete with headers, known Discord bucket",
        unit: "ns",
        peer: TWILIGHT_RATELIMITING,
        bench: LIMITER,
        source: Source::Criterion {
            group: "rate_limiter/uncontended",
            ours: "core_ratelimit",
            peer: "twilight",
        },
        target: Target::AtMost(100.0),
    },
    Row {
        what: "Rate limiter: uncontended acquire, known key (governor: `check_key`, no completion)",
        unit: "ns",
        peer: "governor 0.10 (keyed)",
        bench: LIMITER,
        source: Source::Criterion {
            group: "rate_limiter/uncontended",
            ours: "core_ratelimit",
            peer: "governor_keyed",
        },
        target: Target::AtMost(100.0),
    },
    Row {
        what: "Rate limiter: 8 tasks acquire + complete on one bucket (2 worker threads)",
        unit: "acquires/s",
        peer: TWILIGHT_RATELIMITING,
        bench: LIMITER,
        source: Source::Criterion {
            group: "rate_limiter/contended_8_tasks",
            ours: "core_ratelimit",
            peer: "twilight",
        },
        target: Target::RatioAtLeast(1.0),
    },
    Row {
        what: "Idle connections: resident memory per heartbeating shard (1,000 in one process)",
        unit: "KiB",
        peer: TUNGSTENITE,
        bench: IDLE_CONNECTIONS,
        source: Source::Printed {
            key: "idle/rss_per_connection",
        },
        target: Target::AtMost(64.0),
    },
    Row {
        what: "Idle connections: CPU per heartbeating shard per minute (1,000 in one process)",
        unit: "ms",
        peer: TUNGSTENITE,
        bench: IDLE_CONNECTIONS,
        source: Source::Printed {
            key: "idle/cpu_per_connection_minute",
        },
        target: Target::None,
    },
    Row {
        what: "Fan-out: Publisher → Redis stream → 4 workers, exactly once",
        unit: "events/s",
        peer: RAW_REDIS,
        bench: CONSUMER_GROUP,
        source: Source::Printed {
            key: "fanout/events_per_s",
        },
        target: Target::AtLeast(150_000.0),
    },
    Row {
        what: "Fan-out: p99 latency, publish → handler (same run)",
        unit: "µs",
        peer: RAW_REDIS,
        bench: CONSUMER_GROUP,
        source: Source::Printed {
            key: "fanout/p99_latency_us",
        },
        target: Target::None,
    },
];

const START: &str = "<!-- bench-report:start (generated by `cargo xtask bench-report`) -->";
const END: &str = "<!-- bench-report:end -->";

/// Runs the benches (unless `reuse`) and writes `docs/PERFORMANCE.md`.
pub(crate) fn run(root: &Path, reuse: bool) -> Result<(), String> {
    let target_dir = target_dir(root);
    let report_dir = target_dir.join("bench-report");
    let criterion = report_dir.join("criterion");
    fs::create_dir_all(&criterion).map_err(|e| format!("{}: {e}", criterion.display()))?;

    let mut benches: Vec<Bench> = ROWS.iter().map(|row| row.bench).collect();
    benches.sort_unstable();
    benches.dedup();
    let mut printed = String::new();
    for bench in benches {
        let saved = report_dir.join(format!("{}-{}.out", bench.package, bench.name));
        if !reuse {
            let output = run_bench(root, bench, &criterion)?;
            fs::write(&saved, &output).map_err(|e| format!("{}: {e}", saved.display()))?;
        }
        printed.push_str(
            &fs::read_to_string(&saved)
                .map_err(|e| format!("{}: {e} (run without --reuse first)", saved.display()))?,
        );
    }
    let printed = parse_printed(&printed);
    let estimates = read_criterion(&criterion)?;
    let figures: Vec<Figures> = ROWS
        .iter()
        .map(|row| figures(row, &printed, &estimates))
        .collect::<Result<_, _>>()?;
    let table = render(ROWS, &figures, &machine());
    println!("{table}");
    let path = root.join("docs/PERFORMANCE.md");
    let existing = fs::read_to_string(&path).unwrap_or_default();
    fs::write(&path, splice(&existing, &table)).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote docs/PERFORMANCE.md");
    Ok(())
}

/// The bench's cargo command (see [`Bench::cargo_args`]), its output shown and returned.
fn run_bench(root: &Path, bench: Bench, criterion: &Path) -> Result<String, String> {
    let args = bench.cargo_args();
    println!("bench-report: cargo {}", args.join(" "));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut child = Command::new(cargo)
        .current_dir(root)
        .args(&args)
        .env("CRITERION_HOME", criterion)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cargo bench: {e}"))?;
    let mut output = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|e| format!("reading the bench's output: {e}"))?;
            println!("{line}");
            output.push_str(&line);
            output.push('\n');
        }
    }
    let status = child.wait().map_err(|e| format!("cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("{}/{} failed: {status}", bench.package, bench.name));
    }
    Ok(output)
}

/// The cargo target directory: `CARGO_TARGET_DIR`, else `<root>/target`.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// `bench-report <key> ours=<x> peer=<y>` lines, by key.
fn parse_printed(output: &str) -> BTreeMap<String, (f64, f64)> {
    output
        .lines()
        .filter_map(|line| {
            let mut words = line.strip_prefix("bench-report ")?.split_whitespace();
            let key = words.next()?;
            let mut value = |name: &str| {
                words
                    .next()?
                    .strip_prefix(name)?
                    .strip_prefix('=')?
                    .parse::<f64>()
                    .ok()
            };
            let ours = value("ours")?;
            let peer = value("peer")?;
            Some((key.to_owned(), (ours, peer)))
        })
        .collect()
}

/// One criterion benchmark's result.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Estimate {
    /// Mean time per iteration, ns.
    mean_ns: f64,
    /// Elements per iteration, when the group set an element throughput.
    elements: Option<f64>,
    /// Bytes per iteration, when the group set a byte throughput.
    bytes: Option<f64>,
}

impl Estimate {
    /// The figure a row shows: elements/s, MB/s or ns per iteration.
    fn figure(self) -> f64 {
        let seconds = self.mean_ns * 1e-9;
        match (self.elements, self.bytes) {
            (Some(elements), _) => elements / seconds,
            (None, Some(bytes)) => bytes / seconds / 1e6,
            (None, None) => self.mean_ns,
        }
    }
}

/// Every `<id>/new/{benchmark,estimates}.json` under criterion's directory, by full id
/// (`group/function`).
fn read_criterion(dir: &Path) -> Result<BTreeMap<String, Estimate>, String> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.ends_with("new/benchmark.json") {
                let json = |name: &str| -> Result<serde_json::Value, String> {
                    let file = path.with_file_name(name);
                    let text = fs::read_to_string(&file)
                        .map_err(|e| format!("{}: {e}", file.display()))?;
                    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))
                };
                let benchmark = json("benchmark.json")?;
                let estimates = json("estimates.json")?;
                let (Some(id), Some(mean_ns)) = (
                    benchmark["full_id"].as_str(),
                    estimates["mean"]["point_estimate"].as_f64(),
                ) else {
                    return Err(format!("{}: not criterion's format", path.display()));
                };
                let elements = benchmark["throughput"]["Elements"].as_f64();
                let bytes = benchmark["throughput"]["Bytes"].as_f64();
                found.insert(
                    id.to_owned(),
                    Estimate {
                        mean_ns,
                        elements,
                        bytes,
                    },
                );
            }
        }
    }
    Ok(found)
}

/// A row's two figures, in its unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Figures {
    ours: f64,
    peer: f64,
}

fn figures(
    row: &Row,
    printed: &BTreeMap<String, (f64, f64)>,
    estimates: &BTreeMap<String, Estimate>,
) -> Result<Figures, String> {
    match row.source {
        Source::Printed { key } => printed
            .get(key)
            .map(|&(ours, peer)| Figures { ours, peer })
            .ok_or_else(|| {
                format!(
                    "{}: the bench printed no `bench-report {key}` line",
                    row.what
                )
            }),
        Source::Criterion { group, ours, peer } => {
            let figure = |function: &str| {
                let id = format!("{group}/{function}");
                let estimate = estimates
                    .get(&id)
                    .ok_or_else(|| format!("{}: no criterion result for {id}", row.what))?;
                Ok::<f64, String>(estimate.figure())
            };
            Ok(Figures {
                ours: figure(ours)?,
                peer: figure(peer)?,
            })
        }
    }
}

impl Target {
    /// Whether `figures` reach the target; `None` when there is none.
    fn met(self, figures: Figures) -> Option<bool> {
        let ratio = figures.ours / figures.peer;
        match self {
            Self::RatioAtLeast(at_least) => Some(ratio >= at_least),
            Self::RatioAtMost(at_most) => Some(ratio <= at_most),
            Self::AtLeast(at_least) => Some(figures.ours >= at_least),
            Self::AtMost(at_most) => Some(figures.ours <= at_most),
            Self::None => None,
        }
    }

    /// The target as the table shows it; `unit` is the row's.
    fn describe(self, unit: &str) -> String {
        match self {
            Self::RatioAtLeast(x) => format!("≥ {x}×"),
            Self::RatioAtMost(x) => format!("≤ {x}×"),
            Self::AtLeast(x) => format!("≥ {} {unit}", budget(x)),
            Self::AtMost(x) => format!("≤ {} {unit}", budget(x)),
            Self::None => "—".to_owned(),
        }
    }
}

/// A figure with thousands separators and at most one decimal below 100.
/// A target's figure: whole numbers without a decimal, large ones grouped.
fn budget(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 100.0 {
        format!("{value}")
    } else {
        number(value)
    }
}

fn number(value: f64) -> String {
    if value.abs() < 100.0 {
        return format!("{value:.1}");
    }
    let digits = format!("{:.0}", value.abs());
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if value < 0.0 {
        grouped.insert(0, '-');
    }
    grouped
}

/// The Markdown block between the markers.
fn render(rows: &[Row], figures: &[Figures], machine: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{START}");
    let _ = writeln!(out, "{machine}\n");
    let _ = writeln!(
        out,
        "| Measure | Unit | Ours | Peer | Peer figure | Ratio | Target | Met? |"
    );
    let _ = writeln!(out, "|---|---|---:|---|---:|---:|---|---|");
    for (row, figures) in rows.iter().zip(figures) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {:.2}× | {} | {} |",
            row.what,
            row.unit,
            number(figures.ours),
            row.peer,
            number(figures.peer),
            figures.ours / figures.peer,
            row.target.describe(row.unit),
            match row.target.met(*figures) {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "—",
            },
        );
    }
    let _ = write!(out, "{END}");
    out
}

/// `existing` with the block between the markers replaced by `table` (appended, under a
/// title, when the file has no markers yet).
fn splice(existing: &str, table: &str) -> String {
    match (existing.find(START), existing.find(END)) {
        (Some(start), Some(end)) if start < end => {
            format!(
                "{}{table}{}",
                &existing[..start],
                &existing[end + END.len()..]
            )
        }
        _ if existing.trim().is_empty() => format!("# Performance\n\n{table}\n"),
        _ => format!("{}\n\n{table}\n", existing.trim_end()),
    }
}

/// Which machine and when: only ratios compare across machines.
fn machine() -> String {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name")?.split(':').nth(1))
                .map(|name| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let kernel = fs::read_to_string("/proc/sys/kernel/osrelease")
        .map_or_else(|_| std::env::consts::OS.to_owned(), |k| k.trim().to_owned());
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map_or_else(
            || "unknown".to_owned(),
            |o| String::from_utf8_lossy(&o.stdout).trim().to_owned(),
        );
    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    format!(
        "Run {} UTC at commit `{commit}` on {cpu}, {cores} cores, Linux {kernel} (1-minute load {load} when written).",
        utc_now()
    )
}

/// `YYYY-MM-DD HH:MM` now, in UTC.
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days.cast_signed());
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Days since 1970-01-01 → (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_lines_are_read_and_others_ignored() {
        let output = "Benchmarking x\nbench-report cache_memory/member ours=370.1 peer=1026.0\n\
                      bench-report broken ours=x peer=1\nbench-report cache_memory/all ours=5 peer=20\n";
        let printed = parse_printed(output);
        assert_eq!(printed.len(), 2);
        assert_eq!(printed["cache_memory/member"], (370.1, 1026.0));
    }

    #[test]
    fn byte_throughput_becomes_megabytes_per_second() {
        let estimate = Estimate {
            mean_ns: 2_000_000.0,
            elements: None,
            bytes: Some(1_000_000.0),
        };
        // 1 MB in 2 ms: 500 MB/s.
        assert!((estimate.figure() - 500.0).abs() < 1e-9);
    }

    #[test]
    fn criterion_results_become_throughput_or_time() {
        let dir = std::env::temp_dir().join(format!("bench-report-test-{}", std::process::id()));
        for (id, elements, mean) in [("g/ours", "400", 200_000.0), ("g/peer", "null", 50.0)] {
            let new = dir.join(id.replace('/', "_")).join("new");
            fs::create_dir_all(&new).unwrap();
            let throughput = if elements == "null" {
                "null".to_owned()
            } else {
                format!("{{\"Elements\":{elements}}}")
            };
            fs::write(
                new.join("benchmark.json"),
                format!("{{\"full_id\":\"{id}\",\"throughput\":{throughput}}}"),
            )
            .unwrap();
            fs::write(
                new.join("estimates.json"),
                format!("{{\"mean\":{{\"point_estimate\":{mean}}}}}"),
            )
            .unwrap();
        }
        let estimates = read_criterion(&dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        let row = Row {
            what: "w",
            unit: "events/s",
            peer: "p",
            bench: PIPELINE,
            source: Source::Criterion {
                group: "g",
                ours: "ours",
                peer: "peer",
            },
            target: Target::RatioAtLeast(2.0),
        };
        let figures = figures(&row, &BTreeMap::new(), &estimates).unwrap();
        // 400 elements in 200 µs: 2,000,000 per second; no throughput: the time itself.
        assert!((figures.ours - 2_000_000.0).abs() < 1e-6, "{figures:?}");
        assert!((figures.peer - 50.0).abs() < 1e-9);
        let missing = Row {
            source: Source::Printed { key: "nope" },
            ..row
        };
        assert!(figures_err(&missing, &estimates).contains("nope"));
    }

    fn figures_err(row: &Row, estimates: &BTreeMap<String, Estimate>) -> String {
        figures(row, &BTreeMap::new(), estimates).unwrap_err()
    }

    #[test]
    fn the_table_says_whether_each_target_is_met() {
        let rows = [ROWS[0], ROWS[6]];
        let figures = [
            Figures {
                ours: 370.0,
                peer: 1_000.0,
            },
            Figures {
                ours: 1_500_000.0,
                peer: 1_000_000.0,
            },
        ];
        let table = render(&rows, &figures, "machine");
        assert!(table.starts_with(START) && table.ends_with(END));
        let lines: Vec<&str> = table.lines().collect();
        assert!(
            lines[5].contains("| 370.0 |") || lines[5].contains("| 370 |"),
            "{}",
            lines[5]
        );
        assert!(
            lines[5].ends_with("| 0.37× | ≤ 0.5× | yes |"),
            "{}",
            lines[5]
        );
        assert!(lines[6].contains("1,500,000"), "{}", lines[6]);
        assert!(
            lines[6].ends_with("| 1.50× | ≥ 2× | **no** |"),
            "{}",
            lines[6]
        );
    }

    #[test]
    fn an_absolute_target_looks_at_our_figure_only() {
        let row = *ROWS
            .iter()
            .find(|row| matches!(row.target, Target::AtMost(_)))
            .expect("a row with an absolute target");
        let fast = Figures {
            ours: 80.0,
            peer: 60.0,
        };
        let slow = Figures {
            ours: 120.0,
            peer: 6_000.0,
        };
        let table = render(&[row, row], &[fast, slow], "machine");
        let lines: Vec<&str> = table.lines().collect();
        assert!(
            lines[5].ends_with("| 1.33× | ≤ 100 ns | yes |"),
            "{}",
            lines[5]
        );
        assert!(
            lines[6].ends_with("| 0.02× | ≤ 100 ns | **no** |"),
            "{}",
            lines[6]
        );
    }

    #[test]
    fn absolute_and_reported_targets() {
        let row = |target| Row { target, ..ROWS[0] };
        let figures = [Figures {
            ours: 160_000.0,
            peer: 400_000.0,
        }];
        let at_least = render(&[row(Target::AtLeast(150_000.0))], &figures, "m");
        assert!(
            at_least.contains(&format!("| 0.40× | ≥ 150,000 {} | yes |", ROWS[0].unit)),
            "{at_least}"
        );
        let reported = render(&[row(Target::None)], &figures, "m");
        assert!(reported.contains("| 0.40× | — | — |"), "{reported}");
    }

    #[test]
    fn only_the_generated_block_is_replaced() {
        let table = format!("{START}\nnew\n{END}");
        let file = format!("# Performance\n\nintro\n\n{START}\nold\n{END}\n\n## Notes\nkept\n");
        let written = splice(&file, &table);
        assert_eq!(
            written,
            format!("# Performance\n\nintro\n\n{table}\n\n## Notes\nkept\n")
        );
        assert_eq!(splice("", &table), format!("# Performance\n\n{table}\n"));
        assert!(splice("# Notes only", &table).starts_with("# Notes only\n\n"));
    }

    #[test]
    fn benches_run_with_cargo_bench_and_examples_with_cargo_run_release() {
        assert_eq!(
            PIPELINE.cargo_args(),
            ["bench", "-p", "svc-gateway", "--bench", "pipeline"]
        );
        assert_eq!(
            IDLE_CONNECTIONS.cargo_args(),
            [
                "run",
                "--release",
                "-p",
                "svc-gateway",
                "--example",
                "idle_connections"
            ]
        );
        assert_eq!(
            IDLE_CONNECTIONS.source(),
            Path::new("crates/svc-gateway/examples/idle_connections.rs")
        );
        assert_eq!(
            PIPELINE.source(),
            Path::new("crates/svc-gateway/benches/pipeline.rs")
        );
    }

    #[test]
    fn absolute_targets_judge_ours_alone_and_reported_rows_are_not_judged() {
        let rss = ROWS
            .iter()
            .find(|row| matches!(row.source, Source::Printed { key } if key == "idle/rss_per_connection"))
            .copied()
            .unwrap();
        let cpu = Row {
            target: Target::None,
            ..rss
        };
        let figures = [
            // Above the peer's figure, within the budget: met.
            Figures {
                ours: 60.0,
                peer: 40.0,
            },
            Figures {
                ours: 1.0,
                peer: 2.0,
            },
        ];
        let table = render(&[rss, cpu], &figures, "machine");
        let lines: Vec<&str> = table.lines().collect();
        assert!(
            lines[5].ends_with("| 1.50× | ≤ 64 KiB | yes |"),
            "{}",
            lines[5]
        );
        assert!(lines[6].ends_with("| 0.50× | — | — |"), "{}", lines[6]);
        let over = Figures {
            ours: 64.5,
            peer: 200.0,
        };
        assert_eq!(rss.target.met(over), Some(false));
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn every_row_names_a_bench_that_exists() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        for row in ROWS {
            let bench = root.join(row.bench.source());
            assert!(bench.exists(), "{}: {}", row.what, bench.display());
            if let Source::Printed { key } = row.source {
                let text = fs::read_to_string(&bench).unwrap();
                let (prefix, _) = key.split_once('/').unwrap();
                assert!(text.contains(&format!("bench-report {prefix}/")), "{key}");
            }
        }
    }
}
