//! singyeong: a small compatible mesh server (gateway, metadata, queries, queues, HTTP proxy).
//!
//! Filled in by its service issue.
