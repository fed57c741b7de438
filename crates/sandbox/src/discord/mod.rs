//! Discord: the gateway (WebSocket) and REST API.
//!
//! Filled in by its service issue.
