//! [`EventsClient`]: one polling task per watched resource.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use core_events::EventHub;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::diff;
use super::event::{Event, MaintenanceEvent, WarEvent};
use super::store::{MemoryStore, SeenStore};
use crate::model::{Clan, ClanWar, LeagueGroup, Player, WarState};
use crate::{Client, Error, Reason, Tag};

/// What a poller watches.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Target {
    Clan(Tag),
    Player(Tag),
    War(Tag),
    Calendar,
}

/// Configures an [`EventsClient`].
#[must_use]
pub struct EventsClientBuilder {
    client: Client,
    store: Arc<dyn SeenStore>,
    fallback_interval: Duration,
    maintenance_interval: Duration,
    min_interval: Duration,
    hub_capacity: Option<usize>,
}

impl fmt::Debug for EventsClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventsClientBuilder")
            .field("fallback_interval", &self.fallback_interval)
            .field("maintenance_interval", &self.maintenance_interval)
            .field("min_interval", &self.min_interval)
            .finish_non_exhaustive()
    }
}

impl EventsClientBuilder {
    /// Where reported attacks are remembered (default: in memory).
    pub fn store(mut self, store: impl SeenStore) -> Self {
        self.store = Arc::new(store);
        self
    }

    /// Poll interval for answers without `max-age`, and after errors (default 60 s).
    pub fn fallback_interval(mut self, interval: Duration) -> Self {
        self.fallback_interval = interval;
        self
    }

    /// Poll interval during maintenance (default 30 s).
    pub fn maintenance_interval(mut self, interval: Duration) -> Self {
        self.maintenance_interval = interval;
        self
    }

    /// Shortest wait between two polls of one resource, whatever `max-age` says (default 1 s).
    pub fn min_interval(mut self, interval: Duration) -> Self {
        self.min_interval = interval;
        self
    }

    /// Event buffer size per subscriber (see [`EventHub::with_capacity`]).
    pub fn hub_capacity(mut self, capacity: usize) -> Self {
        self.hub_capacity = Some(capacity);
        self
    }

    /// Builds the events client; nothing is polled until something is watched.
    pub fn build(self) -> Result<EventsClient, Error> {
        let hub = match self.hub_capacity {
            Some(capacity) => EventHub::with_capacity(capacity).map_err(|e| {
                Error::with_source(
                    crate::ErrorKind::InvalidInput {
                        what: "hub capacity".to_owned(),
                    },
                    e,
                )
            })?,
            None => EventHub::new(),
        };
        Ok(EventsClient {
            inner: Arc::new(Inner {
                shared: Arc::new(Shared {
                    client: self.client,
                    hub,
                    store: self.store,
                    fallback_interval: self.fallback_interval,
                    maintenance_interval: self.maintenance_interval,
                    min_interval: self.min_interval,
                    in_maintenance: AtomicBool::new(false),
                }),
                tasks: Mutex::new(HashMap::new()),
            }),
        })
    }
}

/// Watches clans, players and wars and publishes what changes as [`Event`]s.
///
/// Each watched resource has its own task: fetch, compare with the previous snapshot,
/// publish, then sleep until the answer's `max-age` runs out. The first fetch is the
/// baseline (no events). A 503 `inMaintenance` publishes
/// [`MaintenanceEvent::Started`] once; the first success afterwards publishes
/// [`MaintenanceEvent::Completed`], and the diff against the last snapshot before the
/// maintenance reports whatever changed meanwhile. Dropping the last clone stops every task.
///
/// ```no_run
/// # async fn run(client: svc_gameapi::Client) -> Result<(), svc_gameapi::Error> {
/// use svc_gameapi::events::{ClanEvent, EventsClient};
///
/// let events = EventsClient::new(client);
/// events.hub().on(|event: ClanEvent| println!("{event:?}")).detach();
/// events.add_clans(["#2PP"]);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct EventsClient {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    tasks: Mutex<HashMap<Target, JoinHandle<()>>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        for (_, task) in self
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
        {
            task.abort();
        }
    }
}

impl Shared {
    /// Called after every successful fetch, before its events: the first success after a
    /// maintenance reports its end, so "completed" precedes what changed meanwhile.
    fn answered(&self) {
        if self.in_maintenance.swap(false, Ordering::SeqCst) {
            tracing::info!("API maintenance is over");
            self.hub
                .publish(Event::Maintenance(MaintenanceEvent::Completed));
        }
    }
}

struct Shared {
    client: Client,
    hub: EventHub<Event>,
    store: Arc<dyn SeenStore>,
    fallback_interval: Duration,
    maintenance_interval: Duration,
    min_interval: Duration,
    in_maintenance: AtomicBool,
}

impl fmt::Debug for EventsClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tasks = self
            .inner
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("EventsClient")
            .field("watching", &tasks.keys().collect::<Vec<_>>())
            .field(
                "in_maintenance",
                &self.inner.shared.in_maintenance.load(Ordering::Relaxed),
            )
            .finish_non_exhaustive()
    }
}

impl EventsClient {
    /// An events client with the defaults.
    pub fn new(client: Client) -> Self {
        Self::builder(client)
            .build()
            .unwrap_or_else(|_| unreachable!("the default hub capacity is valid"))
    }

    /// A builder.
    pub fn builder(client: Client) -> EventsClientBuilder {
        EventsClientBuilder {
            client,
            store: Arc::new(MemoryStore::new()),
            fallback_interval: Duration::from_mins(1),
            maintenance_interval: Duration::from_secs(30),
            min_interval: Duration::from_secs(1),
            hub_capacity: None,
        }
    }

    /// Where events are published: `on`, `once`, `wait_for`, `stream`.
    pub fn hub(&self) -> &EventHub<Event> {
        &self.inner.shared.hub
    }

    /// The REST client underneath.
    pub fn client(&self) -> &Client {
        &self.inner.shared.client
    }

    /// Starts watching these clans (members, level, points, description…).
    pub fn add_clans<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, tags: I) {
        self.add(tags, Target::Clan);
    }

    /// Stops watching these clans.
    pub fn remove_clans<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, tags: I) {
        self.remove(tags, Target::Clan);
    }

    /// Starts watching these players.
    pub fn add_players<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, tags: I) {
        self.add(tags, Target::Player);
    }

    /// Stops watching these players.
    pub fn remove_players<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, tags: I) {
        self.remove(tags, Target::Player);
    }

    /// Starts watching these clans' wars (current war, and CWL round wars).
    pub fn add_wars<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, tags: I) {
        self.add(tags, Target::War);
    }

    /// Stops watching these clans' wars.
    pub fn remove_wars<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, tags: I) {
        self.remove(tags, Target::War);
    }

    /// Publishes [`CalendarEvent`](super::CalendarEvent)s when a trophy season, the clan
    /// games or a raid weekend start, by the wall clock. Calling it again does nothing.
    pub fn watch_calendar(&self) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        self.watch_calendar_from(crate::Timestamp::from_unix_millis(now));
    }

    /// Like [`watch_calendar`](Self::watch_calendar), pretending the wall clock reads
    /// `now` at this instant (for demos and tests on a paused tokio clock).
    pub fn watch_calendar_from(&self, now: crate::Timestamp) {
        let mut tasks = self
            .inner
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if tasks.contains_key(&Target::Calendar) {
            return;
        }
        let task = tokio::spawn(calendar(Arc::clone(&self.inner.shared), now));
        tasks.insert(Target::Calendar, task);
    }

    /// How many resources are watched.
    pub fn watched(&self) -> usize {
        self.inner
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    fn add<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, tags: I, kind: fn(Tag) -> Target) {
        let mut tasks = self
            .inner
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for tag in tags {
            let target = kind(self.inner.shared.client.tag(tag.as_ref()));
            if tasks.contains_key(&target) {
                continue;
            }
            let task = tokio::spawn(poll(Arc::clone(&self.inner.shared), target.clone()));
            tasks.insert(target, task);
        }
    }

    fn remove<I: IntoIterator<Item = S>, S: AsRef<str>>(&self, tags: I, kind: fn(Tag) -> Target) {
        let mut tasks = self
            .inner
            .tasks
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for tag in tags {
            if let Some(task) = tasks.remove(&kind(self.inner.shared.client.tag(tag.as_ref()))) {
                task.abort();
            }
        }
    }
}

/// The previous snapshots of one target.
#[derive(Default)]
struct Snapshots {
    clan: Option<Clan>,
    player: Option<Player>,
    war: Option<Arc<ClanWar>>,
    /// CWL war tag → last snapshot (wars of the watched clan only).
    league_wars: HashMap<Tag, Arc<ClanWar>>,
    /// CWL war tags known not to involve the watched clan.
    other_league_wars: HashSet<Tag>,
    /// Whether the league group was looked at once (its first look is a baseline).
    league_seen: bool,
}

/// Sleeps (on tokio's clock) until each next calendar moment, counted from `now`.
async fn calendar(shared: Arc<Shared>, now: crate::Timestamp) {
    use super::calendar::CalendarKind;
    use super::event::CalendarEvent;
    let origin = Instant::now();
    let mut cursor = now;
    loop {
        let Some(at) = CalendarKind::ALL
            .iter()
            .map(|kind| kind.next_after(cursor))
            .min()
        else {
            return;
        };
        let offset = u64::try_from(at.unix_millis() - now.unix_millis()).unwrap_or(0);
        tokio::time::sleep_until(origin + Duration::from_millis(offset)).await;
        // Every kind due at this moment, should two ever coincide.
        for kind in CalendarKind::ALL {
            if kind.next_after(cursor) == at {
                shared
                    .hub
                    .publish(Event::Calendar(CalendarEvent { kind, at }));
            }
        }
        cursor = at;
    }
}

async fn poll(shared: Arc<Shared>, target: Target) {
    let mut snapshots = Snapshots::default();
    loop {
        let started = Instant::now();
        let next = match poll_once(&shared, &target, &mut snapshots).await {
            Ok(expires) => expires.unwrap_or(started + shared.fallback_interval),
            Err(error) if error.reason() == Some(&Reason::InMaintenance) => {
                if !shared.in_maintenance.swap(true, Ordering::SeqCst) {
                    tracing::info!("API maintenance started");
                    shared
                        .hub
                        .publish(Event::Maintenance(MaintenanceEvent::Started));
                }
                Instant::now() + shared.maintenance_interval
            }
            Err(error) => {
                tracing::warn!(?target, %error, "poll failed");
                Instant::now() + shared.fallback_interval
            }
        };
        tokio::time::sleep_until(next.max(Instant::now() + shared.min_interval)).await;
    }
}

/// One poll: fetch, diff, publish. Returns when the resource may be fetched again.
async fn poll_once(
    shared: &Shared,
    target: &Target,
    snapshots: &mut Snapshots,
) -> Result<Option<Instant>, Error> {
    let client = &shared.client;
    match target {
        Target::Calendar => Ok(None),
        Target::Clan(tag) => {
            let path = format!("/clans/{}", tag.url_encoded());
            poll_diffed(shared, &path, &mut snapshots.clan, diff::clan, Event::Clan).await
        }
        Target::Player(tag) => {
            let path = format!("/players/{}", tag.url_encoded());
            poll_diffed(
                shared,
                &path,
                &mut snapshots.player,
                diff::player,
                Event::Player,
            )
            .await
        }
        Target::War(tag) => {
            let fetched = client
                .get_fresh::<ClanWar>(&format!("/clans/{}/currentwar", tag.url_encoded()))
                .await?;
            shared.answered();
            let war = Arc::new(fetched.value);
            for event in diff::war(tag, snapshots.war.as_deref(), &war, shared.store.as_ref()) {
                shared.hub.publish(Event::War(event));
            }
            let not_in_war = war.state == WarState::NotInWar;
            snapshots.war = Some(war);
            let mut expires = fetched.expires;
            if not_in_war {
                let league = poll_league(shared, tag, snapshots).await?;
                expires = match (expires, league) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
            Ok(expires)
        }
    }
}

/// Fetches `path`, publishes what changed since `previous` (nothing on the first look: that is
/// the baseline) and keeps the new value as the next baseline.
async fn poll_diffed<T, E>(
    shared: &Shared,
    path: &str,
    previous: &mut Option<T>,
    diff: fn(&T, &T) -> Vec<E>,
    wrap: fn(E) -> Event,
) -> Result<Option<Instant>, Error>
where
    T: crate::model::ApiObject,
{
    let fetched = shared.client.get_fresh::<T>(path).await?;
    shared.answered();
    if let Some(old) = previous.as_ref() {
        for event in diff(old, &fetched.value) {
            shared.hub.publish(wrap(event));
        }
    }
    *previous = Some(fetched.value);
    Ok(fetched.expires)
}

/// A Clan War League season has seven rounds...
const LEAGUE_ROUNDS: usize = 7;
/// ...of four wars each (eight clans).
const LEAGUE_WARS_PER_ROUND: usize = 4;

/// Follows the clan's CWL group: each round war of the clan is diffed like a current war.
async fn poll_league(
    shared: &Shared,
    tag: &Tag,
    snapshots: &mut Snapshots,
) -> Result<Option<Instant>, Error> {
    let client = &shared.client;
    let group = match client
        .get_fresh::<LeagueGroup>(&format!(
            "/clans/{}/currentwar/leaguegroup",
            tag.url_encoded()
        ))
        .await
    {
        Ok(group) => group,
        // Not in a league group: the normal case outside CWL week.
        Err(error) if error.reason() == Some(&Reason::NotFound) => return Ok(None),
        Err(error) => return Err(error),
    };
    let baseline = !snapshots.league_seen;
    snapshots.league_seen = true;
    // Every war tag costs a request per poll, so a group listing more rounds or wars than
    // a league has (a broken or hostile answer) is followed only that far.
    for (round, war_tags) in group.value.rounds.iter().take(LEAGUE_ROUNDS).enumerate() {
        for war_tag in war_tags.drawn().take(LEAGUE_WARS_PER_ROUND) {
            if snapshots.other_league_wars.contains(war_tag) {
                continue;
            }
            let old = snapshots.league_wars.get(war_tag).cloned();
            if old.as_ref().is_some_and(|w| w.state == WarState::WarEnded) {
                continue;
            }
            let war = client
                .get_fresh::<ClanWar>(&format!("/clanwarleagues/wars/{}", war_tag.url_encoded()))
                .await?
                .value;
            let ours = war.clan.tag.as_ref() == Some(tag) || war.opponent.tag.as_ref() == Some(tag);
            if !ours {
                snapshots.other_league_wars.insert(war_tag.clone());
                continue;
            }
            let war = Arc::new(war);
            if old.is_none() && !baseline {
                shared.hub.publish(Event::War(WarEvent::LeagueRoundWar {
                    clan: tag.clone(),
                    round,
                    war_tag: war_tag.clone(),
                    war: Arc::clone(&war),
                }));
            }
            // A round war seen for the first time on the baseline is a baseline too.
            let previous = if old.is_none() && baseline {
                None
            } else {
                Some(old.unwrap_or_default())
            };
            for event in diff::war(tag, previous.as_deref(), &war, shared.store.as_ref()) {
                if !matches!(event, WarEvent::NewWar { .. }) {
                    shared.hub.publish(Event::War(event));
                }
            }
            snapshots.league_wars.insert(war_tag.clone(), war);
        }
    }
    Ok(group.expires)
}
