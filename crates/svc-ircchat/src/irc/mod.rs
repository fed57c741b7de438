//! The IRC layer: one line split into tags, prefix, command and parameters, without copying.

pub(crate) mod escape;
pub(crate) mod message;
mod params;
mod prefix;
mod tags;

pub(crate) use escape::unescape;
pub use message::IrcMessage;
pub use params::Params;
pub use prefix::Prefix;
pub use tags::{TagValue, Tags, TagsIter};
