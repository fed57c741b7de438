//! Twitch: chat (IRC over WebSocket and TCP), Helix REST, OAuth and EventSub.
//!
//! Filled in by its service issue.
