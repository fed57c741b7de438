//! Clash of Clans: the REST API and the developer site's key management.
//!
//! Filled in by its service issue.
