//! tokio-tungstenite WebSocket client: TLS, reconnect policy, zlib/zstd inflate, rate-limited outbound queue.
//!
//! This crate is part of switchboard; see `docs/ARCHITECTURE.md` for where it sits.
