//! [`ChatPool`]: many channels over several connections of one login.

use std::time::Duration;

use core_events::EventHub;
use parking_lot::Mutex;

use crate::client::config::ChatConfig;
use crate::client::event::ChatEvent;
use crate::client::limits::ChatLimiters;
use crate::client::names::{channel_name, normalize};
use crate::client::upkeep::TokenUpkeep;
use crate::{ChatClient, Error, Privmsg};

/// Spreads channels over several connections of one login, opening a new one when every
/// connection holds `channels_per_connection` channels. All connections share one event hub
/// and one set of limiters: Twitch counts JOINs, logins and messages per user, not per
/// connection.
///
/// ```no_run
/// # async fn demo() -> Result<(), svc_ircchat::Error> {
/// use svc_ircchat::{ChatConfig, ChatPool};
///
/// let pool = ChatPool::new(ChatConfig::builder().anonymous().build()?, 50);
/// for channel in ["a", "b", "c"] {
///     pool.join(channel)?;
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct ChatPool {
    config: ChatConfig,
    per_connection: usize,
    hub: EventHub<ChatEvent>,
    limits: ChatLimiters,
    clients: Mutex<Vec<ChatClient>>,
    /// One token upkeep for every connection (a managed token is validated once an hour,
    /// not once per connection); started with the first connection.
    upkeep: Mutex<Option<TokenUpkeep>>,
}

impl ChatPool {
    /// A pool that opens connections as channels are joined (`channels_per_connection` is at
    /// least 1). The configuration's initial channels are joined through the pool.
    pub fn new(mut config: ChatConfig, channels_per_connection: usize) -> Self {
        let initial = std::mem::take(&mut config.initial_channels);
        let pool = Self {
            config,
            per_connection: channels_per_connection.max(1),
            hub: EventHub::new(),
            limits: ChatLimiters::new(),
            clients: Mutex::new(Vec::new()),
            upkeep: Mutex::new(None),
        };
        for channel in initial {
            let _ = pool.join(&channel);
        }
        pool
    }

    /// The event hub every connection publishes into.
    pub fn events(&self) -> &EventHub<ChatEvent> {
        &self.hub
    }

    /// Connections open (or opening).
    pub fn connections(&self) -> usize {
        self.clients.lock().len()
    }

    /// Joins `channel` on the least loaded connection with room, opening one if needed.
    pub fn join(&self, channel: &str) -> Result<(), Error> {
        let channel = channel_name(channel)?;
        let mut clients = self.clients.lock();
        if clients.iter().any(|c| c.has_channel(&channel)) {
            return Ok(());
        }
        let roomiest = clients
            .iter()
            .filter(|c| c.channel_count() < self.per_connection)
            .min_by_key(|c| c.channel_count());
        if let Some(client) = roomiest {
            return client.join(&channel);
        }
        let client =
            ChatClient::start_with(self.config.clone(), self.hub.clone(), self.limits.clone());
        if let Some(tokens) = &self.config.tokens {
            self.upkeep
                .lock()
                .get_or_insert_with(|| TokenUpkeep::spawn(tokens, &self.hub, Duration::ZERO));
        }
        client.join(&channel)?;
        clients.push(client);
        Ok(())
    }

    /// Leaves `channel`.
    pub fn part(&self, channel: &str) -> Result<(), Error> {
        let channel = normalize(channel);
        let clients = self.clients.lock();
        match clients.iter().find(|c| c.has_channel(&channel)) {
            Some(client) => client.part(&channel),
            None => Ok(()),
        }
    }

    fn client_for(&self, channel: &str) -> Result<ChatClient, Error> {
        let channel = normalize(channel);
        {
            let clients = self.clients.lock();
            if let Some(client) = clients
                .iter()
                .find(|c| c.has_channel(&channel))
                .or_else(|| clients.first())
            {
                return Ok(client.clone());
            }
        }
        self.join(&channel)?;
        self.client_for(&channel)
    }

    /// Sends a message in `channel` over the connection that joined it.
    pub fn say(&self, channel: &str, text: &str) -> Result<(), Error> {
        self.client_for(channel)?.say(channel, text)
    }

    /// Replies to `parent`.
    pub fn reply(&self, parent: &Privmsg<'_>, text: &str) -> Result<(), Error> {
        self.client_for(&parent.channel_login)?.reply(parent, text)
    }

    /// Closes every connection.
    pub async fn close(self) {
        let clients = std::mem::take(&mut *self.clients.lock());
        for client in clients {
            client.close().await;
        }
    }
}
