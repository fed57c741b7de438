//! The tour: starts the sandbox in-process and drives every finished service against it.
fn main() {}
