//! Fuzz targets: every parser that reads what a server (or a stream entry) sends, behind a
//! plain `fn(&[u8])` that must never panic.
//!
//! Each target decodes its input the way the client does and checks what should hold on
//! every input: no panic, outputs within the caps, and, where two decoders read the same
//! bytes, that they agree (Discord's envelope fast path against its general scanner and
//! against a reference JSON parser, the borrowed against the owned IRC parse, a timestamp's
//! display against its parse). A failed check panics, which is what the fuzzer reports.
//!
//! The engine is AFL++ through afl.rs (`cargo afl`), which builds on stable Rust; the thin
//! harness lives in `fuzz/afl/` (its own workspace, so the normal build, clippy and
//! `cargo deny` never see it) and calls [`target`] by name. `cargo xtask fuzz TARGET --time
//! SECS` runs one target; `cargo xtask fuzz --replay` runs every target over its stored
//! corpus (`fuzz/corpus/<target>/`) and crash regressions (`fuzz/regressions/<target>/`)
//! with [`replay`], in plain Rust. See `fuzz/README.md`.
//!
//! ```
//! let target = fuzz_targets::target("discord_envelope").expect("known target");
//! (target.run)(br#"{"t":"READY","s":1,"op":0,"d":{}}"#);
//! (target.run)(b"\xff not json at all");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod chunks;
mod clash;
mod compression;
mod discord;
mod fanout_entry;
mod headers;
mod mesh;
pub mod replay;
pub mod seeds;
mod twitch;

pub use replay::{Failure, Report, replay};

/// One fuzz target: a name (its corpus directory) and the function the harness calls.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The name used on the command line and for `fuzz/corpus/<name>/`.
    pub name: &'static str,
    /// What it feeds and what it checks.
    pub about: &'static str,
    /// Runs one input; panics only on a bug.
    pub run: fn(&[u8]),
    /// Cheap enough per input that the campaign aims for at least 10 M executions.
    pub fast: bool,
}

/// Every target, in a fixed order.
pub const TARGETS: &[Target] = &[
    Target {
        name: "discord_envelope",
        about: "svc-gateway Envelope::from_slice: fast path and general scanner agree",
        run: discord::envelope,
        fast: true,
    },
    Target {
        name: "discord_event",
        about: "svc-gateway Event::from_slice: fast and general paths agree, and agree with Envelope and serde_json on op/s/t",
        run: discord::event,
        fast: false,
    },
    #[cfg(feature = "etf")]
    Target {
        name: "discord_etf",
        about: "svc-gateway Event::from_etf (ETF rewritten as JSON, then the typed decode)",
        run: discord::etf,
        fast: false,
    },
    Target {
        name: "discord_timestamp",
        about: "svc-gateway model::Timestamp::parse; what parses displays as text that parses back",
        run: discord::timestamp,
        fast: true,
    },
    Target {
        name: "zlib_stream",
        about: "transport-ws ZlibStream fed the input in chunks split at data-derived positions",
        run: compression::zlib_stream,
        fast: false,
    },
    Target {
        name: "zstd_stream",
        about: "transport-ws ZstdStream fed the input in chunks split at data-derived positions",
        run: compression::zstd_stream,
        fast: false,
    },
    Target {
        name: "eventsub_message",
        about: "svc-eventsub Envelope::parse (metadata, payload, notification event)",
        run: twitch::eventsub_message,
        fast: false,
    },
    Target {
        name: "eventsub_event",
        about: "svc-eventsub Event::parse for `type\\nversion\\nevent-json`",
        run: twitch::eventsub_event,
        fast: false,
    },
    Target {
        name: "irc_message",
        about: "svc-ircchat IrcMessage::parse + tags/params + ServerMessage::try_from; borrowed and owned parses agree",
        run: twitch::irc_message,
        fast: true,
    },
    Target {
        name: "ratelimit_headers",
        about: "core-ratelimit RateLimitHeaders::parse_at over `name: value` lines",
        run: headers::ratelimit_headers,
        fast: true,
    },
    Target {
        name: "cache_control",
        about: "core-cache CacheControl::parse",
        run: headers::cache_control,
        fast: true,
    },
    Target {
        name: "clash_timestamp",
        about: "svc-gameapi Timestamp::parse; what parses displays as text that parses back",
        run: clash::timestamp,
        fast: true,
    },
    Target {
        name: "clash_jwt_ip",
        about: "svc-gameapi key manager: the caller's IP from a temporaryAPIToken JWT",
        run: clash::jwt_ip,
        fast: true,
    },
    Target {
        name: "mesh_dsn",
        about: "svc-mesh Dsn::parse",
        run: mesh::dsn,
        fast: true,
    },
    Target {
        name: "mesh_packet",
        about: "svc-mesh inbound packet decode (and a dispatch nonce's reply address)",
        run: mesh::packet,
        fast: true,
    },
    Target {
        name: "fanout_entry",
        about: "fanout stream entry decode (fields split at NUL bytes: name, value, name, value…)",
        run: fanout_entry::decode,
        fast: false,
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|target| target.name == name)
}

/// Text targets see only valid UTF-8 (what the WebSocket layer or the header reader hands
/// the parser); other inputs are skipped.
pub(crate) fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// A value that parses from text and displays as text: what displays must parse back to
/// the same value (so a parsed value can be written out and read again, e.g. when cached).
pub(crate) fn display_round_trip<T>(data: &[u8], parse: fn(&str) -> Option<T>)
where
    T: std::fmt::Display + std::fmt::Debug + PartialEq,
{
    let Some(text) = text(data) else {
        return;
    };
    if let Some(parsed) = parse(text) {
        let shown = parsed.to_string();
        assert_eq!(parse(&shown), Some(parsed), "{text:?} shows as {shown:?}");
    }
}
