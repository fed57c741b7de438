//! A bot split over processes that share one Redis: two gateway processes run 8 Discord
//! shards between them, three worker processes handle the events, and every process shares
//! Discord's limits (identify buckets, REST buckets, the global 50 requests per second).
//!
//! Run with no arguments, it is the whole cluster on one machine: it starts the Discord
//! sandbox in-process and a local `redis-server` on a free port, then launches itself five
//! times as child processes (`CLUSTER_ROLE=gateway` / `worker`), plays users sending
//! messages, and prints what the cluster did. It stops on its own after a few seconds.
//!
//! `cargo run --example cluster` (needs `redis-server` on `PATH`; without it, it says so and
//! exits). See the README's "Deploying a cluster" section for running the roles on their own.
//!
//! Gateway processes forward each dispatch's bytes exactly as Discord sent them
//! ([`RawDispatch`](switchboard::discord::gateway::RawDispatch)), never re-encoded.

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::num::NonZeroU32;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use core_ratelimit::{ColdStart, IdentifyQueue, RedisIdentifyQueue, connect_redis, redis};
use fanout::{EventGroup, Publisher, Worker, shared_limiter};
use switchboard::discord::event::{MessageCreate, ShardEvent};
use switchboard::discord::gateway::{RawDispatch, Shard, ShardConfig};
use switchboard::discord::model::Intents;
use switchboard::discord::rest::RestClient;
use switchboard::events::EventHub;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Shards in the cluster, and how many identify at once (Discord's `max_concurrency`).
const SHARDS: u32 = 8;
const MAX_CONCURRENCY: u32 = 4;
/// Discord allows one IDENTIFY per concurrency bucket per 5 s; the margin covers the time
/// between the grant in Redis and the IDENTIFY's arrival.
const IDENTIFY_PERIOD: Duration = Duration::from_millis(5_100);
/// Users' messages the demo injects, spread over shards and channels.
const MESSAGES: u64 = 120;
const CHANNELS: u64 = 30;

fn env(name: &str) -> Result<String, BoxError> {
    std::env::var(name).map_err(|_| format!("{name} is not set").into())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    match std::env::var("CLUSTER_ROLE").as_deref() {
        Ok("gateway") => gateway().await,
        Ok("worker") => worker().await,
        Ok(other) => Err(format!("unknown CLUSTER_ROLE {other:?} (gateway or worker)").into()),
        Err(_) => orchestrate().await,
    }
}

/// Resolves once the orchestrator sets `{prefix}:stop`.
async fn stopped(redis_url: &str, prefix: &str) {
    let Ok(mut conn) = connect_redis(redis_url).await else {
        return;
    };
    loop {
        let stop: Option<String> = redis::cmd("GET")
            .arg(format!("{prefix}:stop"))
            .query_async(&mut conn)
            .await
            .unwrap_or(None);
        if stop.is_some() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A gateway process: runs shards `SHARDS` (`first-last`) of `SHARD_COUNT`, identifying
/// through the identify queue shared in Redis, and publishes every message to the stream.
async fn gateway() -> Result<(), BoxError> {
    let redis_url = env("REDIS_URL")?;
    let prefix = env("CLUSTER_PREFIX")?;
    let token = env("DISCORD_TOKEN")?;
    let gateway_url = env("DISCORD_GATEWAY_URL")?;
    let total: u32 = env("SHARD_COUNT")?.parse()?;
    let concurrency: u32 = env("MAX_CONCURRENCY")?.parse()?;
    let shards = env("SHARDS")?;
    let (first, last) = shards.split_once('-').ok_or("SHARDS is first-last")?;
    let (first, last): (u32, u32) = (first.parse()?, last.parse()?);

    let conn = connect_redis(&redis_url).await?;
    // A fresh Redis in this demo: nothing identified within the last period, so trust it.
    let identify = IdentifyQueue::from(RedisIdentifyQueue::with_cold_start(
        &conn,
        &format!("{prefix}:identify"),
        NonZeroU32::new(concurrency).ok_or("MAX_CONCURRENCY is 0")?,
        IDENTIFY_PERIOD,
        ColdStart::Trust,
    ));
    let publisher = Publisher::new(conn).prefix(&prefix);
    let hub = EventHub::<ShardEvent>::new();
    let raw = EventHub::<RawDispatch>::new();
    let _forward = raw.on_async(move |dispatch: RawDispatch| {
        let publisher = publisher.clone();
        async move {
            // Only messages go to the workers in this demo.
            if dispatch.name != "MESSAGE_CREATE" {
                return;
            }
            if let Err(error) = publisher
                .publish(dispatch.shard_id, &dispatch.payload)
                .await
            {
                eprintln!("gateway: could not publish: {error}");
            }
        }
    });
    let mut shards = Vec::new();
    for id in first..=last {
        let config = ShardConfig::builder(&token, Intents::GUILDS | Intents::GUILD_MESSAGES)
            .shard(id, total)
            .gateway_url(&gateway_url)
            .identify_queue(identify.clone())
            .raw_dispatches(raw.clone())
            .build()?;
        shards.push(Shard::start(config, hub.clone())?);
    }
    stopped(&redis_url, &prefix).await;
    for shard in &shards {
        shard.close();
    }
    for shard in shards {
        let _ = shard.join().await;
    }
    Ok(())
}

/// A worker process: consumes the messages stream with the group `bot` and answers each
/// message with a REST call that waits for the limits shared in Redis.
async fn worker() -> Result<(), BoxError> {
    let redis_url = env("REDIS_URL")?;
    let prefix = env("CLUSTER_PREFIX")?;
    let name = env("WORKER_NAME")?;
    let conn = connect_redis(&redis_url).await?;
    let rest = RestClient::builder(env("DISCORD_TOKEN")?)
        .base_url(env("DISCORD_API_URL")?)
        .limiter(shared_limiter(conn.clone(), &prefix))
        .build()?;
    let counters = format!("{prefix}:handled");
    let worker = Worker::builder(&redis_url)
        .prefix(&prefix)
        .group("bot")
        .consumer(&name)
        .streams([EventGroup::Messages])
        .block(Duration::from_millis(100))
        .rest(rest)
        .on_rest::<MessageCreate>(move |message, rest| {
            let (mut conn, counters, name) = (conn.clone(), counters.clone(), name.clone());
            async move {
                // Look the channel up: one rate-limited REST call per message. (The demo's
                // channels are made up, so the sandbox answers 404; the limits apply all
                // the same.)
                let _ = rest.channel(message.channel_id).await;
                let _: Result<i64, _> = redis::cmd("HINCRBY")
                    .arg(&counters)
                    .arg(&name)
                    .arg(1)
                    .query_async(&mut conn)
                    .await;
            }
        })
        .connect()
        .await?;
    worker.run_until(stopped(&redis_url, &prefix)).await?;
    Ok(())
}

/// A `redis-server` child on a free loopback port, without persistence.
struct LocalRedis {
    child: Child,
    url: String,
}

impl LocalRedis {
    fn start() -> Result<Option<Self>, BoxError> {
        let installed = Command::new("redis-server")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if !installed {
            return Ok(None);
        }
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()?;
        let redis = Self {
            child,
            url: format!("redis://127.0.0.1:{port}/"),
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                return Err("redis-server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        Ok(Some(redis))
    }
}

impl Drop for LocalRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Kills the children still running when dropped (an error path, Ctrl-C).
struct Children(Vec<(String, Child)>);

impl Drop for Children {
    fn drop(&mut self) {
        for (_, child) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

async fn orchestrate() -> Result<(), BoxError> {
    let Some(local) = LocalRedis::start()? else {
        println!(
            "cluster: `redis-server` is not installed, so there is no cluster to show.\n\
             Install it (e.g. `apt-get install redis-server`) and run `cargo run --example cluster` again."
        );
        return Ok(());
    };
    let started = Instant::now();
    let prefix = "cluster";
    let discord = sandbox::discord::Discord::new(
        sandbox::discord::DiscordConfig::default().with_shards(SHARDS, MAX_CONCURRENCY),
    );
    let control = discord.control();
    let server = sandbox::Server::builder().serve(discord).await?;
    println!(
        "sandbox Discord at {}, Redis at {}",
        server.base_url(),
        local.url
    );
    let common = [
        ("REDIS_URL", local.url.clone()),
        ("CLUSTER_PREFIX", prefix.to_owned()),
        ("DISCORD_TOKEN", control.token().to_owned()),
        ("DISCORD_GATEWAY_URL", server.ws_url("")),
        ("DISCORD_API_URL", format!("{}/api/v10", server.base_url())),
        ("SHARD_COUNT", SHARDS.to_string()),
        ("MAX_CONCURRENCY", MAX_CONCURRENCY.to_string()),
    ];
    let mut children = spawn_roles(&common)?;

    let identified_at = watch_identifies(&control).await?;
    // Users talk. Each message is published to Redis by the gateway process holding its
    // shard and handled by one of the workers.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sent_at = Instant::now();
    send_messages(&control);
    let mut conn = connect_redis(&local.url).await?;
    let handled = wait_handled(&mut conn, prefix).await?;
    let elapsed = sent_at.elapsed();
    let published: u64 = redis::cmd("XLEN")
        .arg(EventGroup::Messages.stream_key(prefix))
        .query_async(&mut conn)
        .await?;
    stop(&mut conn, prefix, &mut children).await?;

    let total: u64 = handled.values().sum();
    println!();
    println!("events published: {published} of {MESSAGES} messages");
    for (worker, count) in &handled {
        println!("  handled by {worker}: {count}");
    }
    println!("events handled: {total}");
    let (rest_requests, busiest_second) = rest_arrivals(&server);
    println!(
        "REST calls from workers: {rest_requests} in {:.2} s (global limit 50/s shared by 3 processes)",
        elapsed.as_secs_f64()
    );
    println!("busiest second at the sandbox: {busiest_second} REST requests (limit 50)");
    println!(
        "identify: {} shards, shortest gap within one bucket {:.2} s (Discord: 5 s), violations {}",
        identified_at.len(),
        shortest_gap(&identified_at).as_secs_f64(),
        control.identify_violations()
    );
    println!("429s served by the sandbox: {}", control.rate_limited());
    println!("done in {:.1} s", started.elapsed().as_secs_f64());
    server.shutdown().await;
    drop(local);
    if total < MESSAGES || control.rate_limited() > 0 || control.identify_violations() > 0 {
        return Err("the cluster did not hold its limits or lost events".into());
    }
    Ok(())
}

/// Launches this binary as two gateway processes (shards 0-3 and 4-7) and three workers.
fn spawn_roles(common: &[(&str, String)]) -> Result<Children, BoxError> {
    let exe = std::env::current_exe()?;
    let mut roles: Vec<(String, Vec<(&str, String)>)> = Vec::new();
    for (index, range) in ["0-3", "4-7"].into_iter().enumerate() {
        roles.push((
            format!("gateway-{index} (shards {range})"),
            vec![("CLUSTER_ROLE", "gateway".into()), ("SHARDS", range.into())],
        ));
    }
    for index in 0..3 {
        roles.push((
            format!("worker-{index}"),
            vec![
                ("CLUSTER_ROLE", "worker".into()),
                ("WORKER_NAME", format!("worker-{index}")),
            ],
        ));
    }
    let mut children = Children(Vec::new());
    for (name, vars) in roles {
        let child = Command::new(&exe)
            .envs(common.iter().cloned())
            .envs(vars)
            .spawn()?;
        println!("started {name} (pid {})", child.id());
        children.0.push((name, child));
    }
    Ok(children)
}

/// Waits until every shard identified, noting when the sandbox saw each IDENTIFY (it refuses
/// and counts one that comes sooner than 5 s after the last of its concurrency bucket).
async fn watch_identifies(
    control: &sandbox::discord::DiscordControl,
) -> Result<BTreeMap<u32, Instant>, BoxError> {
    let mut identified_at: BTreeMap<u32, Instant> = BTreeMap::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while identified_at.len() < SHARDS as usize {
        if Instant::now() > deadline {
            return Err("the shards did not all identify within 30 s".into());
        }
        for [shard, _] in control.identified_shards() {
            identified_at.entry(shard).or_insert_with(Instant::now);
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let first = identified_at.values().min().copied();
    for (shard, at) in &identified_at {
        println!(
            "shard {shard} (identify bucket {}) identified at +{:.2} s",
            shard % MAX_CONCURRENCY,
            first.map_or(0.0, |first| at.duration_since(first).as_secs_f64())
        );
    }
    Ok(identified_at)
}

/// The shortest time between two identifies of one concurrency bucket.
fn shortest_gap(identified_at: &BTreeMap<u32, Instant>) -> Duration {
    (0..MAX_CONCURRENCY)
        .filter_map(|bucket| {
            let mut times: Vec<Instant> = identified_at
                .iter()
                .filter(|(shard, _)| *shard % MAX_CONCURRENCY == bucket)
                .map(|(_, at)| *at)
                .collect();
            times.sort_unstable();
            times.windows(2).map(|pair| pair[1] - pair[0]).min()
        })
        .min()
        .unwrap_or_default()
}

/// Users' messages, spread over the 8 shards and 30 channels.
fn send_messages(control: &sandbox::discord::DiscordControl) {
    for id in 1..=MESSAGES {
        control.dispatch(
            Some((id % u64::from(SHARDS)) as u32),
            "MESSAGE_CREATE",
            &serde_json::json!({
                "id": (1_000 + id).to_string(),
                "channel_id": (2_000 + id % CHANNELS).to_string(),
                "guild_id": "1000000000000000000",
                "author": {"id": "42", "username": "ana", "discriminator": "0"},
                "content": format!("message {id}"),
                "timestamp": "2024-03-01T12:00:00.000000+00:00",
            }),
        );
    }
}

/// Waits (at most 15 s) until the workers counted every message; returns the count per
/// worker.
async fn wait_handled(
    conn: &mut redis::aio::ConnectionManager,
    prefix: &str,
) -> Result<BTreeMap<String, u64>, BoxError> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let handled: BTreeMap<String, u64> = redis::cmd("HGETALL")
            .arg(format!("{prefix}:handled"))
            .query_async(conn)
            .await?;
        if handled.values().sum::<u64>() >= MESSAGES || Instant::now() > deadline {
            return Ok(handled);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sets the stop flag and waits (at most 10 s) for the children to exit on their own.
async fn stop(
    conn: &mut redis::aio::ConnectionManager,
    prefix: &str,
    children: &mut Children,
) -> Result<(), BoxError> {
    let () = redis::cmd("SET")
        .arg(format!("{prefix}:stop"))
        .arg(1)
        .query_async(conn)
        .await?;
    let deadline = Instant::now() + Duration::from_secs(10);
    for (name, child) in &mut children.0 {
        while child.try_wait()?.is_none() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        match child.try_wait()? {
            Some(status) if !status.success() => eprintln!("{name} exited with {status}"),
            Some(_) => {}
            None => eprintln!("{name} did not stop; killing it"),
        }
    }
    Ok(())
}

/// REST requests the sandbox received, and the most within any one second.
fn rest_arrivals(server: &sandbox::Server) -> (usize, usize) {
    let mut arrivals: Vec<std::time::SystemTime> = server
        .log()
        .snapshot()
        .iter()
        .filter(|request| request.path.starts_with("/api/v10/channels/"))
        .map(|request| request.at)
        .collect();
    arrivals.sort_unstable();
    let busiest = (0..arrivals.len())
        .map(|first| {
            arrivals[first..]
                .iter()
                .take_while(|at| {
                    at.duration_since(arrivals[first]).unwrap_or_default() <= Duration::from_secs(1)
                })
                .count()
        })
        .max()
        .unwrap_or(0);
    (arrivals.len(), busiest)
}
