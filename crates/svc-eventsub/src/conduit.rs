//! [`ConduitApp`]: an app-token conduit with N WebSocket shards in one process.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use parking_lot::Mutex;

use core_events::{EventHub, EventStream};
use futures_util::TryStreamExt;
use svc_helix::{
    AccessToken, Conduit, ConduitId, EventSubTransport, HelixClient, Subscription, TokenManager,
};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

use crate::dedupe::RecentIds;
use crate::driver::{Command, Driver, Role};
use crate::endpoints::Endpoints;
use crate::error::{Error, ErrorKind};
use crate::event_out::{Counters, EventSubEvent, SessionStats};
use crate::session::EventSubBuilder;
use crate::subscription::SubscriptionRequest;

/// Twitch allows at most this many shards per conduit.
pub const MAX_SHARDS_PER_CONDUIT: u32 = 20_000;

/// Configures a [`ConduitApp`].
#[derive(Debug, Clone)]
#[must_use]
pub struct ConduitBuilder {
    session: EventSubBuilder,
    shard_count: u32,
    conduit_id: Option<ConduitId>,
    only: Option<Vec<u32>>,
    free_among: Option<Vec<u32>>,
}

impl ConduitBuilder {
    /// Where to connect (default: Twitch).
    pub fn endpoints(mut self, endpoints: Endpoints) -> Self {
        self.session = self.session.endpoints(endpoints);
        self
    }

    /// Points WebSocket and REST at a mock server.
    pub fn mock_url(mut self, base: &str) -> Result<Self, Error> {
        self.session = self.session.mock_url(base)?;
        Ok(self)
    }

    /// Shards (WebSocket sessions) to run (default 1).
    pub fn shard_count(mut self, count: u32) -> Self {
        self.shard_count = count;
        self
    }

    /// Runs only these shards of the conduit here (default: all of them). Split one conduit
    /// over several processes this way — each runs its own shard ids with the same
    /// [`conduit_id`](Self::conduit_id) and [`shard_count`](Self::shard_count) (twitch.py's
    /// `shard_ids`). Shards added later by [`ConduitApp::set_shard_count`] run in the
    /// process that added them.
    pub fn shard_ids(mut self, ids: impl IntoIterator<Item = u32>) -> Self {
        let mut ids: Vec<u32> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        self.only = Some(ids);
        self.free_among = None;
        self
    }

    /// Runs one shard here: the first of `candidates` that is not already enabled (by
    /// another process) according to Get Conduit Shards, checked when
    /// [`start`](Self::start) runs — twitch.py's `ClientApp.connect(shard_ids=…)`. When
    /// every candidate is enabled, `start` fails with [`ErrorKind::ShardNotFound`].
    /// Replaces [`shard_ids`](Self::shard_ids).
    pub fn first_free_shard(mut self, candidates: impl IntoIterator<Item = u32>) -> Self {
        self.only = None;
        self.free_among = Some(candidates.into_iter().collect());
        self
    }

    /// Reuse this conduit; without it the first existing conduit is reused, or one created.
    pub fn conduit_id(mut self, id: impl Into<ConduitId>) -> Self {
        self.conduit_id = Some(id.into());
        self
    }

    /// Keepalive, grace, dedupe, backoff and hub settings shared by every shard.
    pub fn session(mut self, configure: impl FnOnce(EventSubBuilder) -> EventSubBuilder) -> Self {
        self.session = configure(self.session);
        self
    }

    /// Finds or creates the conduit, sizes it, and starts every shard (each welcomed and
    /// assigned before this returns).
    pub async fn start(self) -> Result<ConduitApp, Error> {
        if !(1..=MAX_SHARDS_PER_CONDUIT).contains(&self.shard_count) {
            return Err(Error::config(format!(
                "shard count must be 1..={MAX_SHARDS_PER_CONDUIT}"
            )));
        }
        self.session.timing()?;
        if let Some(only) = &self.only
            && (only.is_empty() || only.iter().any(|id| *id >= self.shard_count))
        {
            return Err(Error::config(format!(
                "shard ids must be a non-empty subset of 0..{}",
                self.shard_count
            )));
        }
        let maintenance = self.session.validate().await?;
        let helix = self.session.helix()?;
        let existing = helix
            .get_conduits()
            .await
            .map_err(|e| Error::helix("get conduits", e))?;
        let found = match &self.conduit_id {
            Some(id) => Some(
                existing
                    .into_iter()
                    .find(|c| &c.id == id)
                    .ok_or_else(|| Error::config(format!("conduit {id} not found")))?,
            ),
            None => existing.into_iter().next(),
        };
        let conduit = match found {
            Some(conduit) if conduit.shard_count == self.shard_count => conduit,
            Some(conduit) => helix
                .update_conduit(&conduit.id, self.shard_count)
                .await
                .map_err(|e| Error::helix("update conduit", e))?,
            None => helix
                .create_conduit(self.shard_count)
                .await
                .map_err(|e| Error::helix("create conduit", e))?,
        };
        let conduit = sized_as_asked(conduit, self.shard_count)?;
        let only = match self.free_among {
            Some(candidates) => Some(vec![free_shard(&helix, &conduit, candidates).await?]),
            None => self.only,
        };
        tracing::info!(
            conduit = %conduit.id,
            shards = conduit.shard_count,
            "EventSub conduit ready"
        );
        let hub = self.session.hub.clone().unwrap_or_default();
        let mut app = ConduitApp {
            helix,
            conduit,
            settings: self.session,
            hub,
            dedupe: Arc::new(Mutex::new(RecentIds::new(crate::DEFAULT_DEDUPE_CAPACITY))),
            counters: Arc::new(Counters::default()),
            shards: BTreeMap::new(),
            maintenance,
        };
        let count = app.conduit.shard_count;
        match only {
            Some(only) => app.start_shards(only).await?,
            None => app.start_shards(0..count).await?,
        }
        Ok(app)
    }
}

/// The first of `candidates` (within the conduit) that Get Conduit Shards does not report
/// `enabled`; [`ErrorKind::ShardNotFound`] when there is none.
async fn free_shard(
    helix: &HelixClient,
    conduit: &Conduit,
    candidates: Vec<u32>,
) -> Result<u32, Error> {
    if candidates.is_empty() || candidates.iter().any(|id| *id >= conduit.shard_count) {
        return Err(Error::config(format!(
            "candidate shard ids must be a non-empty subset of 0..{}",
            conduit.shard_count
        )));
    }
    let enabled: BTreeSet<u32> = helix
        .conduit_shards(&conduit.id, Some("enabled"))
        .try_collect::<Vec<_>>()
        .await
        .map_err(|e| Error::helix("get conduit shards", e))?
        .into_iter()
        .filter(|shard| shard.status == "enabled")
        .filter_map(|shard| shard.id.parse().ok())
        .collect();
    let free = candidates.iter().copied().find(|id| !enabled.contains(id));
    match free {
        Some(id) => {
            tracing::info!(conduit = %conduit.id, shard = id, "taking the first free shard");
            Ok(id)
        }
        None => Err(Error::new(ErrorKind::ShardNotFound { tried: candidates })),
    }
}

/// The conduit as Twitch answered a create or resize: its shard count must be the one
/// asked for, since one task is started per shard (a count of billions would start
/// billions).
fn sized_as_asked(conduit: Conduit, asked: u32) -> Result<Conduit, Error> {
    if conduit.shard_count == asked {
        return Ok(conduit);
    }
    tracing::warn!(
        asked,
        answered = conduit.shard_count,
        "conduit answered with another shard count"
    );
    Err(Error::new(ErrorKind::OutOfRange {
        field: "conduit shard_count",
    }))
}

#[derive(Debug)]
struct Shard {
    commands: mpsc::UnboundedSender<Command>,
    session: watch::Receiver<Option<String>>,
    task: JoinHandle<()>,
}

/// An app-token conduit: creates or reuses the conduit, runs one WebSocket session per
/// shard and assigns each to its shard (again after every fresh session, never after a
/// make-before-break reconnect that keeps the session id; a refused assignment is retried
/// every 5 s), scales the shard count, and subscribes through the conduit transport. Events
/// of every shard go into one [`EventHub`], deduplicated across shards.
#[derive(Debug)]
pub struct ConduitApp {
    helix: HelixClient,
    conduit: Conduit,
    settings: EventSubBuilder,
    hub: EventHub<EventSubEvent>,
    dedupe: Arc<Mutex<RecentIds>>,
    counters: Arc<Counters>,
    shards: BTreeMap<u32, Shard>,
    maintenance: Option<JoinHandle<()>>,
}

impl ConduitApp {
    /// A builder for `client_id` with an app access token (client credentials).
    pub fn builder(client_id: &str, app_token: AccessToken) -> ConduitBuilder {
        ConduitBuilder {
            session: EventSubBuilder::new(client_id, app_token),
            shard_count: 1,
            conduit_id: None,
            only: None,
            free_among: None,
        }
    }

    /// A builder whose app token svc-helix keeps valid ([`TokenManager::app`]: validated
    /// before starting and hourly after, renewed by client credentials).
    pub fn with_tokens(tokens: TokenManager) -> ConduitBuilder {
        ConduitBuilder {
            session: EventSubBuilder::with_tokens(tokens),
            shard_count: 1,
            conduit_id: None,
            only: None,
            free_among: None,
        }
    }

    async fn start_shards(&mut self, ids: impl IntoIterator<Item = u32>) -> Result<(), Error> {
        let timing = self.settings.timing()?;
        let mut waiting = Vec::new();
        for shard_id in ids {
            let (commands_tx, commands) = mpsc::unbounded_channel();
            let (session, session_rx) = watch::channel(None);
            let driver = Driver {
                endpoints: self.settings.endpoints.clone(),
                helix: self.helix.clone(),
                timing: timing.clone(),
                role: Role::Shard {
                    conduit_id: self.conduit.id.to_string(),
                    shard_id,
                    assigned: None,
                },
                hub: self.hub.clone(),
                dedupe: Arc::clone(&self.dedupe),
                counters: Arc::clone(&self.counters),
                commands,
                session,
            };
            let (first_tx, first) = oneshot::channel();
            let task = tokio::spawn(driver.run(first_tx));
            self.shards.insert(
                shard_id,
                Shard {
                    commands: commands_tx,
                    session: session_rx,
                    task,
                },
            );
            waiting.push(first);
        }
        for first in waiting {
            first.await.map_err(|_| Error::new(ErrorKind::Stopped))??;
        }
        Ok(())
    }

    async fn stop_shard(shard: Shard) {
        let _ = shard.commands.send(Command::Stop);
        let _ = shard.task.await;
    }

    /// Changes the shard count: resizes the conduit, starts the new shards or stops the
    /// ones past the new count.
    pub async fn set_shard_count(&mut self, count: u32) -> Result<(), Error> {
        if !(1..=MAX_SHARDS_PER_CONDUIT).contains(&count) {
            return Err(Error::config(format!(
                "shard count must be 1..={MAX_SHARDS_PER_CONDUIT}"
            )));
        }
        let old = self.conduit.shard_count;
        let updated = self
            .helix
            .update_conduit(&self.conduit.id, count)
            .await
            .map_err(|e| Error::helix("update conduit", e))?;
        self.conduit = sized_as_asked(updated, count)?;
        if count > old {
            self.start_shards(old..count).await?;
        } else {
            let gone: Vec<u32> = self.shards.range(count..).map(|(id, _)| *id).collect();
            for id in gone {
                if let Some(shard) = self.shards.remove(&id) {
                    Self::stop_shard(shard).await;
                }
            }
        }
        Ok(())
    }

    /// Creates a subscription delivered through the conduit. When it already exists (409,
    /// e.g. after a restart that reused the conduit) the existing one is looked up and
    /// returned instead of an error — twitch.py's `ignore_conflict`, always on.
    pub async fn subscribe(&self, request: &SubscriptionRequest) -> Result<Subscription, Error> {
        let transport = EventSubTransport::conduit(self.conduit.id.clone());
        let (subscription, _) = request.create_or_existing(&self.helix, &transport).await?;
        Ok(subscription)
    }

    /// svc-helix's REST client the conduit runs on (list or delete subscriptions, read the
    /// conduit's shards, delete the conduit).
    pub fn helix(&self) -> &HelixClient {
        &self.helix
    }

    /// The conduit id.
    pub fn conduit_id(&self) -> &ConduitId {
        &self.conduit.id
    }

    /// The conduit's shard count.
    pub fn shard_count(&self) -> u32 {
        self.conduit.shard_count
    }

    /// The shard ids running in this process (all of them unless
    /// [`ConduitBuilder::shard_ids`] chose some).
    pub fn running_shards(&self) -> Vec<u32> {
        self.shards.keys().copied().collect()
    }

    /// The session id a shard currently runs on.
    pub fn shard_session(&self, shard_id: u32) -> Option<String> {
        self.shards
            .get(&shard_id)
            .and_then(|s| s.session.borrow().clone())
    }

    /// The hub every shard publishes into.
    pub fn hub(&self) -> &EventHub<EventSubEvent> {
        &self.hub
    }

    /// A stream of events from now on.
    pub fn events(&self) -> EventStream<EventSubEvent> {
        self.hub.stream()
    }

    /// Counters summed over every shard.
    pub fn stats(&self) -> SessionStats {
        self.counters.snapshot()
    }

    /// Stops every shard (the conduit itself stays; delete it through [`helix`](Self::helix)).
    pub async fn close(mut self) {
        for (_, shard) in std::mem::take(&mut self.shards) {
            Self::stop_shard(shard).await;
        }
        if let Some(maintenance) = self.maintenance.take() {
            maintenance.abort();
        }
    }
}
