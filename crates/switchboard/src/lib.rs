//! switchboard: one dependency for bots and services on real-time platform APIs.
//!
//! Each platform client lives in its own `svc-*` crate; this facade re-exports them behind
//! a cargo feature each (`gameapi`, `gateway`, `ircchat`, `eventsub`, `mesh`, or `full`).
//! The event hub every client shares is re-exported as [`events`]. With `gateway` and `mesh`,
//! `MeshBot` runs a Discord bot whose shards are singyeong clients advertising their guilds.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub use core_events as events;

/// Clash of Clans (`svc-gameapi`).
#[cfg(feature = "gameapi")]
#[cfg_attr(docsrs, doc(cfg(feature = "gameapi")))]
pub use svc_gameapi as gameapi;

/// Discord (`svc-gateway`).
#[cfg(feature = "gateway")]
#[cfg_attr(docsrs, doc(cfg(feature = "gateway")))]
pub use svc_gateway as discord;

/// Twitch Helix REST and OAuth tokens (`svc-helix`), shared by both Twitch clients.
#[cfg(any(feature = "ircchat", feature = "eventsub"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "ircchat", feature = "eventsub"))))]
pub use svc_helix as helix;

/// Twitch chat over IRC (`svc-ircchat`).
#[cfg(feature = "ircchat")]
#[cfg_attr(docsrs, doc(cfg(feature = "ircchat")))]
pub use svc_ircchat as twitch_chat;

/// Twitch EventSub (`svc-eventsub`).
#[cfg(feature = "eventsub")]
#[cfg_attr(docsrs, doc(cfg(feature = "eventsub")))]
pub use svc_eventsub as eventsub;

/// singyeong mesh (`svc-mesh`).
#[cfg(feature = "mesh")]
#[cfg_attr(docsrs, doc(cfg(feature = "mesh")))]
pub use svc_mesh as mesh;

/// A Discord bot whose shards are singyeong clients (shinkei's `BotClient`).
#[cfg(all(feature = "gateway", feature = "mesh"))]
mod mesh_bot;
#[cfg(all(feature = "gateway", feature = "mesh"))]
#[cfg_attr(docsrs, doc(cfg(all(feature = "gateway", feature = "mesh"))))]
pub use mesh_bot::{
    GUILDS_KEY, MeshBot, MeshBotBuilder, MeshBotError, MeshBotErrorKind, MeshRequest, SHARD_ID_KEY,
    guild_query,
};
