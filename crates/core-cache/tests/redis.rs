//! Shared cache tier on a real Redis server.
#![cfg(feature = "redis")]

mod redis_server;
