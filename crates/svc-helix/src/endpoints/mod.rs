//! Helix endpoints, one file per API area; each adds methods to [`HelixClient`](crate::HelixClient).

pub(crate) mod channels;
pub(crate) mod chat;
pub(crate) mod community;
pub(crate) mod eventsub;
pub(crate) mod games;
pub(crate) mod media;
pub(crate) mod moderation;
pub(crate) mod polls;
pub(crate) mod streams;
pub(crate) mod users;
