//! Twitch Helix REST client and OAuth token handling.
//!
//! This crate is part of switchboard; see `docs/ARCHITECTURE.md` for where it sits.
//!
//! **Status:** the crate exists so the `switchboard` facade features resolve; its
//! service issue fills it in. It exports nothing yet.
#![forbid(unsafe_code)]
#![warn(missing_docs)]
