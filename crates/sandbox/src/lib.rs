//! Protocol-faithful local servers for the platforms switchboard talks to.
//!
//! Every platform gets a real server on `127.0.0.1` (port 0 in tests) speaking its wire
//! protocol, so a client written against the real service works against the sandbox
//! unchanged. Tests and demos steer a server through its control handle (inject events, force
//! disconnects, switch on maintenance) and read what clients sent from its [`RequestLog`].
//! The `sandbox` binary serves all of them for developing offline: a seeded [`world`] (TOML,
//! `--config`), every base URL and credential printed at start (`--json`: one JSON object
//! on the first line), a control API with the same calls as a CLI (`sandbox trigger
//! eventsub channel.follow`, `sandbox discord command roll --option sides=6`, …), and
//! `--state` to keep what clients changed. `docs/sandbox/` describes each platform and what
//! differs from the real service.
//!
//! The crate shares no code with the clients it tests (it depends on no `svc-*` crate), so a
//! client bug is not mirrored in its server.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sandbox::Error> {
//! let server = sandbox::Server::builder().serve(sandbox::echo::Echo::new()).await?;
//! println!("echo platform at {}", server.base_url());
//! assert_eq!(server.log().len(), 0);
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! Modules, from the scaffolding up:
//! - [`server`]: the HTTP/WebSocket listener and its handle;
//! - [`platform`]: the trait a platform module implements, and the request it receives;
//! - [`request_log`]: what clients sent, with secrets redacted;
//! - [`feed`]: the live traffic feed (every answered request with its rate-limit headers,
//!   every WebSocket frame);
//! - [`response`]: response helpers that copy platform conventions (exact content types);
//! - [`ws`]: WebSocket upgrades on the same listener;
//! - [`echo`]: a diagnostic platform (HTTP echo, status codes, a WebSocket echo with control);
//! - [`chaos`]: hostile or broken servers on demand (per platform, see each control handle);
//! - [`discord`], [`twitch`], [`clash`], [`singyeong`]: one module per platform;
//! - [`world`]: the seeded world the binary serves (TOML), with its credentials;
//! - [`standalone`]: every platform built from a world on consecutive ports, the
//!   credentials a bot needs, `--state` persistence (what the binary runs);
//! - [`control`]: the control API (JSON over HTTP under `/_sandbox`) and its traffic feed;
//! - `console`: the web console, one page over the control API (at `/` on the control port);
//! - [`cli`]: the `sandbox` command line: serving, and the calls to the control API.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod chaos;
pub mod clash;
pub mod cli;
mod console;
pub mod control;
pub mod discord;
pub mod echo;
mod error;
pub mod feed;
pub mod platform;
pub mod request_log;
pub mod response;
pub mod server;
pub mod singyeong;
pub mod standalone;
mod timestamp;
pub mod twitch;
pub mod world;
pub mod ws;

pub use error::{Error, ErrorKind};
pub use platform::{Platform, SandboxRequest};
pub use request_log::{RecordedRequest, RequestLog};
pub use server::{Server, ServerBuilder};
