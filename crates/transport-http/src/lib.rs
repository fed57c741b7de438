//! hyper 1 + rustls HTTP client with retries, rate-limit feedback and simd-json decoding.
//!
//! This crate is part of switchboard; see `docs/ARCHITECTURE.md` for where it sits.
