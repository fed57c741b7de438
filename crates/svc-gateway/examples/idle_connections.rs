//! What one process pays per idle gateway connection (issue 19's "idle connections" row):
//! N shards (1,000 by default) against the Discord sandbox, all READY, doing nothing but
//! heartbeat. It prints the resident memory (RSS) and the CPU time each idle shard costs,
//! beside the same number of plain tokio-tungstenite connections with tungstenite's default
//! buffers that identify and send the same heartbeats, and two `bench-report` lines for
//! `cargo xtask bench-report`.
//!
//! `cargo run --release -p svc-gateway --example idle_connections [-- OPTIONS]`
//!
//! - `--shards N`: connections on each side (1000);
//! - `--heartbeat-ms MS`: the interval the sandbox's HELLO announces (41250, Discord's);
//! - `--idle-secs S`: the window measured once all are READY (one heartbeat interval: each
//!   connection then beats once in it, whatever its phase);
//! - `--compression zlib|zstd|none`: our shards' transport compression (zlib-stream, the
//!   default of `ShardConfig`; the tungstenite connections ask for none);
//! - `--fill-bytes B`: the size of the dispatch sent before the window (40000; 0 sends none).
//!
//! The sandbox runs in this process; each client side runs in a child process (this example
//! again, with `--role ours` or `--role tungstenite`), so the memory a child reads is its
//! own: the sandbox's N server sockets are not counted. Once all are READY, the sandbox
//! sends every connection one dispatch that inflates to 40 KB (a run of one letter, a few
//! hundred bytes compressed): a real shard's READY and GUILD_CREATEs pass far more than that
//! through its inflater at start, filling the zlib context's 32 KiB window, which then stays
//! resident; the sandbox's small READYs alone would leave most of it untouched and flatter
//! the figure. A child reads its `VmRSS`
//! (`/proc/self/status`) before its first connection and at the end of the idle window, and
//! its CPU time (`utime + stime` of `/proc/self/stat`) over the window; per connection is
//! the difference divided by N. Linux only. Each process needs about N + 100 open files
//! (`ulimit -n`).

use std::fmt::Write as _;
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use core_events::EventHub;
use futures_util::{SinkExt as _, StreamExt as _};
use sandbox::discord::{Discord, DiscordConfig, DiscordControl};
use serde_json::Value;
use svc_gateway::event::ShardEvent;
use svc_gateway::gateway::{GatewayCompression, ShardManager, ShardScheme};
use svc_gateway::model::Intents;
use svc_gateway::rest::RestClient;
use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _};
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::Message;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How long every connection gets to reach READY.
const READY_WITHIN: Duration = Duration::from_mins(2);
/// After the fill dispatch, before the window opens: every connection has handled it.
const SETTLE: Duration = Duration::from_secs(2);
/// The dispatch sent to every connection before the window (see the module doc).
const FILL_EVENT: &str = "IDLE_CONNECTIONS_FILL";
/// Its default size once inflated: past the zlib window's 32 KiB.
const FILL_BYTES: usize = 40_000;
/// Linux's `USER_HZ`, the unit of `/proc/self/stat`'s times (100 on every architecture).
const TICKS_PER_SECOND: u64 = 100;
/// What a process needs besides its sockets (runtime, pipes, the REST pool).
const SPARE_FILES: u64 = 100;

/// Which side of the measurement this process is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Starts the sandbox and both children, prints the figures.
    Orchestrate,
    /// svc-gateway shards through `ShardManager`.
    Ours,
    /// Plain tokio-tungstenite connections, default configuration.
    Tungstenite,
}

#[derive(Debug, Clone)]
struct Options {
    role: Role,
    shards: u32,
    heartbeat: Duration,
    idle: Option<Duration>,
    compression: GatewayCompression,
    /// The fill dispatch's size (0: none).
    fill_bytes: usize,
    /// The sandbox's REST base and token (children only).
    api: String,
    token: String,
}

impl Options {
    fn parse() -> Result<Self, BoxError> {
        let mut options = Self {
            role: Role::Orchestrate,
            shards: 1000,
            heartbeat: Duration::from_millis(41_250),
            idle: None,
            compression: GatewayCompression::ZlibStream,
            fill_bytes: FILL_BYTES,
            api: String::new(),
            token: String::new(),
        };
        let mut args = std::env::args().skip(1);
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--shards" => options.shards = value()?.parse()?,
                "--heartbeat-ms" => options.heartbeat = Duration::from_millis(value()?.parse()?),
                "--idle-secs" => options.idle = Some(Duration::from_secs_f64(value()?.parse()?)),
                "--compression" => {
                    options.compression = match value()?.as_str() {
                        "zlib" => GatewayCompression::ZlibStream,
                        "zstd" => GatewayCompression::ZstdStream,
                        "none" => GatewayCompression::None,
                        other => return Err(format!("unknown compression {other:?}").into()),
                    }
                }
                "--role" => {
                    options.role = match value()?.as_str() {
                        "ours" => Role::Ours,
                        "tungstenite" => Role::Tungstenite,
                        other => return Err(format!("unknown role {other:?}").into()),
                    }
                }
                "--fill-bytes" => options.fill_bytes = value()?.parse()?,
                "--api" => options.api = value()?,
                "--token" => options.token = value()?,
                // `cargo bench`-style runners pass `--bench`; nothing to do with it.
                "--bench" => {}
                other => {
                    return Err(
                        format!("unknown argument {other:?} (see the example's doc)").into(),
                    );
                }
            }
        }
        if options.shards == 0 {
            return Err("--shards must be at least 1".into());
        }
        Ok(options)
    }

    /// The window measured: one heartbeat interval unless given.
    fn idle(&self) -> Duration {
        self.idle.unwrap_or(self.heartbeat)
    }

    fn compression_name(&self) -> &'static str {
        match self.compression {
            GatewayCompression::None => "none",
            GatewayCompression::ZstdStream => "zstd",
            _ => "zlib",
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let options = Options::parse()?;
    check_open_files(u64::from(options.shards))?;
    match options.role {
        Role::Orchestrate => orchestrate(&options).await,
        Role::Ours => ours(&options).await,
        Role::Tungstenite => tungstenite(&options).await,
    }
}

/// Fails with a clear message when the soft limit on open files is too low for N sockets.
fn check_open_files(sockets: u64) -> Result<(), BoxError> {
    let limits = std::fs::read_to_string("/proc/self/limits")?;
    let soft = limits
        .lines()
        .find_map(|line| line.strip_prefix("Max open files"))
        .and_then(|rest| rest.split_whitespace().next())
        .ok_or("no \"Max open files\" in /proc/self/limits")?;
    let needed = sockets + SPARE_FILES;
    // "unlimited" parses to nothing: enough.
    if let Ok(soft) = soft.parse::<u64>()
        && soft < needed
    {
        return Err(format!(
            "{sockets} connections need about {needed} open files per process but the soft \
             limit is {soft}: raise it (`ulimit -n {needed}`) or pass a smaller --shards"
        )
        .into());
    }
    Ok(())
}

/// `VmRSS` of this process, in KiB.
fn rss_kib() -> Result<u64, BoxError> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kib = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .ok_or("no VmRSS in /proc/self/status")?;
    Ok(kib.parse()?)
}

/// CPU time this process used so far (user + system), all threads, exited ones included.
fn cpu_time() -> Result<Duration, BoxError> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    let after_name = stat.rsplit_once(')').ok_or("bad /proc/self/stat")?.1;
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // Fields 14 (utime) and 15 (stime), counted from 3 after the name.
    let ticks = |i: usize| -> Result<u64, BoxError> {
        Ok(fields.get(i).ok_or("short /proc/self/stat")?.parse()?)
    };
    let ticks = ticks(11)? + ticks(12)?;
    Ok(Duration::from_millis(ticks * 1000 / TICKS_PER_SECOND))
}

/// Waits until `ready()` counts `n`, or fails after [`READY_WITHIN`].
async fn all_ready(n: usize, ready: impl Fn() -> usize) -> Result<(), BoxError> {
    let deadline = Instant::now() + READY_WITHIN;
    while ready() < n {
        if Instant::now() > deadline {
            return Err(format!("only {} of {n} connections READY in time", ready()).into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// The child's side of a measurement, once all its connections are READY: tells the
/// orchestrator, waits for its `go` (the fill dispatch is sent), settles, announces the
/// window (the orchestrator counts the heartbeats the sandbox gets in it), idles through it
/// and prints what it cost.
async fn measure_idle(
    options: &Options,
    rss_before: u64,
    open: impl Fn() -> usize,
) -> Result<(), BoxError> {
    println!("ready");
    let mut stdin = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    if stdin.next_line().await?.as_deref() != Some("go") {
        return Err("the orchestrator did not say go".into());
    }
    tokio::time::sleep(SETTLE).await;
    println!("idle-start");
    let cpu_start = cpu_time()?;
    let start = Instant::now();
    tokio::time::sleep(options.idle()).await;
    let cpu = cpu_time()?.saturating_sub(cpu_start);
    let window = start.elapsed();
    let rss_after = rss_kib()?;
    println!(
        "measured rss_before_kib={rss_before} rss_after_kib={rss_after} cpu_ms={} window_ms={} open={}",
        cpu.as_millis(),
        window.as_millis(),
        open()
    );
    Ok(())
}

/// Our side: every shard `GET /gateway/bot` recommends, through `ShardManager` as a bot
/// would start them, publishing into one hub nobody reads.
async fn ours(options: &Options) -> Result<(), BoxError> {
    let rest = RestClient::builder(&options.token)
        .base_url(&options.api)
        .build()?;
    // The REST client's connection pool is the process's, not a shard's: warm it first.
    rest.gateway_bot().await?;
    let hub = EventHub::<ShardEvent>::new();
    let rss_before = rss_kib()?;
    let compression = options.compression;
    let manager = ShardManager::start(
        &rest,
        &options.token,
        Intents::GUILDS,
        ShardScheme::Auto,
        hub,
        |builder| builder.compression(compression),
    )
    .await?;
    let shards = manager.shards();
    all_ready(shards.len(), || {
        shards.iter().filter(|shard| shard.is_ready()).count()
    })
    .await?;
    // A shard that reconnected would have identified or resumed again.
    let open = || {
        shards
            .iter()
            .filter(|shard| {
                let stats = shard.stats();
                stats.identifies == 1 && stats.resumes == 0 && stats.zombies == 0
            })
            .count()
    };
    measure_idle(options, rss_before, open).await?;
    manager.shutdown().await?;
    Ok(())
}

/// The peer: N tokio-tungstenite connections with the default `WebSocketConfig`, each
/// identifying as one shard and heartbeating as Discord asks, nothing more.
async fn tungstenite(options: &Options) -> Result<(), BoxError> {
    let gateway = RestClient::builder(&options.token)
        .base_url(&options.api)
        .build()?
        .gateway_bot()
        .await?
        .url;
    let url = format!("{gateway}/?v=10&encoding=json");
    let ready = Arc::new(AtomicUsize::new(0));
    let open = Arc::new(AtomicUsize::new(0));
    let rss_before = rss_kib()?;
    let mut tasks = Vec::new();
    for id in 0..options.shards {
        let connection = PeerConnection {
            url: url.clone(),
            token: options.token.clone(),
            shard: [id, options.shards],
            ready: Arc::clone(&ready),
            open: Arc::clone(&open),
        };
        tasks.push(tokio::spawn(async move {
            if let Err(error) = connection.run().await {
                eprintln!("tungstenite connection {id}: {error}");
            }
        }));
    }
    all_ready(options.shards as usize, || ready.load(Ordering::SeqCst)).await?;
    measure_idle(options, rss_before, || open.load(Ordering::SeqCst)).await?;
    for task in tasks {
        task.abort();
    }
    Ok(())
}

/// One plain connection of the peer side.
struct PeerConnection {
    url: String,
    token: String,
    shard: [u32; 2],
    ready: Arc<AtomicUsize>,
    open: Arc<AtomicUsize>,
}

impl PeerConnection {
    async fn run(self) -> Result<(), BoxError> {
        let (mut socket, _) = tokio_tungstenite::connect_async(&self.url).await?;
        self.open.fetch_add(1, Ordering::SeqCst);
        let mut seq: Option<u64> = None;
        let mut interval = Duration::MAX;
        let mut next_beat: Option<Instant> = None;
        let result = loop {
            let beat = async {
                match next_beat {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            };
            let message = tokio::select! {
                message = socket.next() => message,
                () = beat => {
                    socket.send(heartbeat(seq)).await?;
                    next_beat = next_beat.map(|at| at + interval);
                    continue;
                }
            };
            let text = match message {
                Some(Ok(Message::Text(text))) => text,
                Some(Ok(Message::Close(_))) | None => break Ok(()),
                Some(Ok(_)) => continue,
                Some(Err(error)) => break Err(error.into()),
            };
            let payload: Value = serde_json::from_str(text.as_str())?;
            if let Some(s) = payload["s"].as_u64() {
                seq = Some(s);
            }
            match payload["op"].as_u64() {
                Some(10) => {
                    let ms = payload["d"]["heartbeat_interval"]
                        .as_u64()
                        .unwrap_or(41_250);
                    interval = Duration::from_millis(ms);
                    // Discord asks for the first beat at a random point of the interval.
                    next_beat = Some(Instant::now() + interval.mul_f64(rand::random::<f64>()));
                    socket.send(self.identify()).await?;
                }
                Some(1) => socket.send(heartbeat(seq)).await?,
                Some(0) if payload["t"] == "READY" => {
                    self.ready.fetch_add(1, Ordering::SeqCst);
                }
                _ => {}
            }
        };
        self.open.fetch_sub(1, Ordering::SeqCst);
        result
    }

    fn identify(&self) -> Message {
        let identify = serde_json::json!({
            "op": 2,
            "d": {
                "token": self.token,
                "intents": Intents::GUILDS.bits(),
                "properties": {"os": "linux", "browser": "idle_connections", "device": "idle_connections"},
                "shard": self.shard,
            }
        });
        Message::text(identify.to_string())
    }
}

fn heartbeat(seq: Option<u64>) -> Message {
    Message::text(serde_json::json!({"op": 1, "d": seq}).to_string())
}

/// What one child measured.
#[derive(Debug, Clone, Copy)]
struct Measured {
    rss_before_kib: f64,
    rss_after_kib: f64,
    cpu_ms: f64,
    window_ms: f64,
    /// Connections still on their first session at the end.
    open: f64,
    /// Heartbeats the sandbox received in the window.
    heartbeats: usize,
}

impl Measured {
    fn parse(line: &str, heartbeats: usize) -> Option<Self> {
        let mut fields = line.strip_prefix("measured ")?.split_whitespace();
        let mut next = |name: &str| -> Option<f64> {
            fields
                .next()?
                .strip_prefix(name)?
                .strip_prefix('=')?
                .parse()
                .ok()
        };
        Some(Self {
            rss_before_kib: next("rss_before_kib")?,
            rss_after_kib: next("rss_after_kib")?,
            cpu_ms: next("cpu_ms")?,
            window_ms: next("window_ms")?,
            open: next("open")?,
            heartbeats,
        })
    }

    fn rss_per_connection(&self, n: u32) -> f64 {
        (self.rss_after_kib - self.rss_before_kib) / f64::from(n)
    }

    fn cpu_per_connection_minute(&self, n: u32) -> f64 {
        self.cpu_ms / f64::from(n) * 60_000.0 / self.window_ms
    }
}

/// Runs one child (`role`) against the sandbox, counting the heartbeats the sandbox gets
/// in the child's window.
async fn run_child(
    options: &Options,
    role: &str,
    api: &str,
    control: &DiscordControl,
) -> Result<Measured, BoxError> {
    let exe = std::env::current_exe()?;
    let mut child = tokio::process::Command::new(exe)
        .args(["--role", role, "--api", api, "--token", control.token()])
        .args(["--shards", &options.shards.to_string()])
        .args(["--heartbeat-ms", &options.heartbeat.as_millis().to_string()])
        .args(["--idle-secs", &options.idle().as_secs_f64().to_string()])
        .args(["--compression", options.compression_name()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = tokio::io::BufReader::new(stdout).lines();
    let mut heartbeats_at_start = None;
    let mut measured = None;
    while let Some(line) = lines.next_line().await? {
        if line == "ready" {
            if options.fill_bytes > 0 {
                let fill = serde_json::json!({ "fill": "a".repeat(options.fill_bytes) });
                control.dispatch(None, FILL_EVENT, &fill);
            }
            stdin.write_all(b"go\n").await?;
        } else if line == "idle-start" {
            heartbeats_at_start = Some(control.heartbeats());
        } else if line.starts_with("measured ") {
            let heartbeats = control.heartbeats() - heartbeats_at_start.unwrap_or_default();
            measured = Measured::parse(&line, heartbeats);
        }
    }
    let status = child.wait().await?;
    if !status.success() {
        return Err(format!("the {role} side failed: {status}").into());
    }
    measured.ok_or_else(|| format!("the {role} side printed no measurement").into())
}

async fn orchestrate(options: &Options) -> Result<(), BoxError> {
    let n = options.shards;
    let mut config = DiscordConfig::default().with_shards(n, n);
    config.heartbeat_interval = options.heartbeat;
    // Both sides identify every shard; the daily budget must not end the run.
    config.session_start_total = n.saturating_mul(10);
    let discord = Discord::new(config);
    let control = discord.control();
    let server = sandbox::Server::builder().serve(discord).await?;
    let api = format!("{}/api/v10", server.base_url());
    println!(
        "{n} idle connections per side against the Discord sandbox, HELLO's heartbeat interval \
         {:?}, measured over {:?} once all are READY and had a {} B dispatch",
        options.heartbeat,
        options.idle(),
        options.fill_bytes
    );

    let ours = run_child(options, "ours", &api, &control).await?;
    let peer = run_child(options, "tungstenite", &api, &control).await?;
    server.shutdown().await;

    let mut table = String::new();
    let _ = writeln!(
        table,
        "{:<48} {:>12} {:>16} {:>11} {:>8}",
        "side", "RSS/conn", "CPU/conn/minute", "heartbeats", "intact"
    );
    for (name, m) in [
        (
            format!(
                "svc-gateway ShardManager ({} compression)",
                options.compression_name()
            ),
            &ours,
        ),
        (
            "tokio-tungstenite 0.28, default buffers (none)".to_owned(),
            &peer,
        ),
    ] {
        let _ = writeln!(
            table,
            "{name:<48} {:>8.1} KiB {:>13.3} ms {:>11} {:>8}",
            m.rss_per_connection(n),
            m.cpu_per_connection_minute(n),
            m.heartbeats,
            m.open,
        );
    }
    print!("{table}");
    println!(
        "RSS: VmRSS after the window minus before the first connection, per connection \
         (ours {:.0} → {:.0} KiB, tungstenite {:.0} → {:.0} KiB); tungstenite's defaults: \
         read_buffer_size 128 KiB (zero-filled at the first read), write_buffer_size 128 KiB",
        ours.rss_before_kib, ours.rss_after_kib, peer.rss_before_kib, peer.rss_after_kib,
    );
    println!(
        "bench-report idle/rss_per_connection ours={:.1} peer={:.1}",
        ours.rss_per_connection(n),
        peer.rss_per_connection(n)
    );
    println!(
        "bench-report idle/cpu_per_connection_minute ours={:.3} peer={:.3}",
        ours.cpu_per_connection_minute(n),
        peer.cpu_per_connection_minute(n)
    );
    Ok(())
}
