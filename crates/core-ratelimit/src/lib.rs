//! Rate limiting for real-time platform APIs: window limiters, send queues with reserved capacity, header-driven buckets, identify queues.
//!
//! This crate is part of switchboard; see `docs/ARCHITECTURE.md` for where it sits.
