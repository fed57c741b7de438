//! The chat client: configuration, the handle users hold, and the connection driver.

mod config;
mod driver;
mod event;
mod event_error;
mod handle;
mod join_watch;
mod limits;
mod names;
mod pool;
mod token_hook;
mod unacked;
mod upkeep;

pub use config::{ChatConfig, ChatConfigBuilder, Credentials, Transport};
pub(crate) use driver::Command;
pub use event::ChatEvent;
pub use event_error::EventError;
pub use handle::ChatClient;
pub use join_watch::JoinFailure;
pub use pool::ChatPool;
