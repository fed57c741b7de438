//! Bounded caches (moka) with per-entry TTL, Cache-Control parsing and dashmap indexes.
//!
//! This crate is part of switchboard; see `docs/ARCHITECTURE.md` for where it sits.
