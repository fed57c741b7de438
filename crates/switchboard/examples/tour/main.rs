//! The tour: starts the sandbox servers in-process and drives every finished service against
//! them. No tokens, no internet. `cargo run --example tour`.
//!
//! One module per step; each service issue adds its own step (behind its feature) and one
//! line in `main`.

fn main() {}
