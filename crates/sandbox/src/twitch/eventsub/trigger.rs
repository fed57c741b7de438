//! Triggering a notification like `twitch event trigger`: the sample of a type and version
//! from `fixtures/twitch/eventsub-events.json`, made to fit each matching subscription (its
//! broadcaster, moderator or user from the condition, a world user as the one who acts,
//! timestamps of now), delivered to every matching subscription, and answered once the
//! sockets have written it.

use std::collections::HashSet;
use std::fmt;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};
use tokio::sync::oneshot;

use super::control::EventSubControl;
use super::state::{Out, new_id};

/// How long a trigger waits for the sockets to write what it queued.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(5);

/// What to trigger: a subscription type, optionally its version, the broadcaster (or user)
/// whose subscriptions get it, who acts, and fields to put over the sample event.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Trigger {
    /// Subscription type (`channel.follow`).
    pub kind: String,
    /// Version; any subscription's version when `None`.
    pub version: Option<String>,
    /// Only subscriptions whose condition names this user id (as broadcaster, to/from
    /// broadcaster, moderator or user).
    pub broadcaster: Option<String>,
    /// The user who acts (follower, subscriber, chatter…); the default actor otherwise.
    pub user: Option<String>,
    /// Fields merged over the event (a JSON object).
    pub fields: Option<Value>,
}

impl Trigger {
    /// A trigger of `kind`, any version, every subscription.
    pub fn new(kind: impl Into<String>) -> Self {
        Self {
            kind: kind.into(),
            ..Self::default()
        }
    }

    /// Only subscriptions of this version (and its sample).
    #[must_use]
    pub fn version(mut self, version: impl Into<String>) -> Self {
        self.version = Some(version.into());
        self
    }

    /// Only subscriptions whose condition names this user id.
    #[must_use]
    pub fn broadcaster(mut self, user_id: impl Into<String>) -> Self {
        self.broadcaster = Some(user_id.into());
        self
    }

    /// The user who acts.
    #[must_use]
    pub fn user(mut self, user_id: impl Into<String>) -> Self {
        self.user = Some(user_id.into());
        self
    }

    /// Fields merged over the event.
    #[must_use]
    pub fn fields(mut self, fields: Value) -> Self {
        self.fields = Some(fields);
        self
    }
}

/// Why a trigger delivered nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TriggerError {
    /// No sample exists for this type (or this version of it).
    UnknownType {
        /// The type asked for.
        kind: String,
        /// The version asked for.
        version: Option<String>,
        /// The versions there are samples for (empty: unknown type).
        known_versions: Vec<String>,
    },
    /// No subscription matches.
    NoSubscription {
        /// The type asked for.
        kind: String,
        /// The version asked for.
        version: Option<String>,
        /// The broadcaster asked for.
        broadcaster: Option<String>,
        /// How many subscriptions exist at all.
        subscriptions: usize,
    },
}

impl fmt::Display for TriggerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownType {
                kind,
                version,
                known_versions,
            } => {
                if known_versions.is_empty() {
                    write!(f, "unknown EventSub subscription type {kind:?}")
                } else {
                    write!(
                        f,
                        "{kind} has no version {:?} (versions: {})",
                        version.as_deref().unwrap_or_default(),
                        known_versions.join(", ")
                    )
                }
            }
            Self::NoSubscription {
                kind,
                version,
                broadcaster,
                subscriptions,
            } => {
                write!(f, "no subscription of type {kind}")?;
                if let Some(version) = version {
                    write!(f, " version {version}")?;
                }
                if let Some(broadcaster) = broadcaster {
                    write!(f, " for user {broadcaster}")?;
                }
                write!(f, " ({subscriptions} subscriptions in all)")
            }
        }
    }
}

impl std::error::Error for TriggerError {}

impl EventSubControl {
    /// Delivers a notification of `trigger.kind` to every matching subscription (one event
    /// made for each) and waits until their sockets wrote it. Returns how many
    /// subscriptions got it; disconnected ones count only if the sandbox holds it for them.
    pub async fn trigger(&self, trigger: &Trigger) -> Result<usize, TriggerError> {
        let state = self.state();
        let samples = Samples::of(&state.samples[trigger.kind.as_str()]);
        if samples.versions.is_empty()
            || trigger
                .version
                .as_ref()
                .is_some_and(|v| !samples.versions.contains(v))
        {
            return Err(TriggerError::UnknownType {
                kind: trigger.kind.clone(),
                version: trigger.version.clone(),
                known_versions: samples.versions,
            });
        }
        let mut flushes = Vec::new();
        let delivered = {
            let mut inner = state.lock();
            let total = inner.subscriptions.len();
            let targets = matching(&inner, trigger);
            if targets.is_empty() {
                return Err(TriggerError::NoSubscription {
                    kind: trigger.kind.clone(),
                    version: trigger.version.clone(),
                    broadcaster: trigger.broadcaster.clone(),
                    subscriptions: total,
                });
            }
            let actor = trigger.user.clone().or_else(|| inner.default_actor.clone());
            let mut sessions = HashSet::new();
            let mut delivered = 0;
            for subscription in &targets {
                let version = subscription["version"].as_str().unwrap_or_default();
                let sample = samples.event(version);
                let mut event = personalise(
                    &sample,
                    &subscription["condition"],
                    |id| inner.directory.get(id).cloned(),
                    actor.as_deref(),
                    SystemTime::now(),
                );
                if let (Some(event), Some(Value::Object(fields))) =
                    (event.as_object_mut(), trigger.fields.as_ref())
                {
                    event.extend(fields.clone());
                }
                let Some(session) = delivery_session(&inner, subscription) else {
                    continue;
                };
                if state.deliver_to(&mut inner, &session, subscription, &event) {
                    delivered += 1;
                    sessions.insert(session);
                }
            }
            for session in sessions {
                if let Some((_, tx)) = inner.sessions.get(&session).and_then(|s| s.sink.as_ref()) {
                    let (done, flushed) = oneshot::channel();
                    if tx.send(Out::Flush(done)).is_ok() {
                        flushes.push(flushed);
                    }
                }
            }
            delivered
        };
        let all = futures_util::future::join_all(flushes);
        if tokio::time::timeout(FLUSH_TIMEOUT, all).await.is_err() {
            tracing::warn!(
                kind = trigger.kind,
                "EventSub trigger: a socket did not write in time"
            );
        }
        Ok(delivered)
    }

    /// Tells triggered events who `id` is (their `*_login` and `*_name` fields).
    pub fn add_user(&self, id: &str, login: &str, display_name: &str) {
        self.state()
            .lock()
            .directory
            .insert(id.to_owned(), (login.to_owned(), display_name.to_owned()));
    }

    /// The user who acts in triggered events that name nobody.
    pub fn set_default_actor(&self, user_id: &str) {
        self.state().lock().default_actor = Some(user_id.to_owned());
    }

    /// Every subscription type a trigger can deliver, with its versions (the default
    /// first), sorted by type.
    pub fn trigger_types(&self) -> Vec<(String, Vec<String>)> {
        let mut types: Vec<(String, Vec<String>)> = self
            .state()
            .samples
            .as_object()
            .into_iter()
            .flatten()
            .map(|(kind, entry)| (kind.clone(), Samples::of(entry).versions))
            .filter(|(_, versions)| !versions.is_empty())
            .collect();
        types.sort();
        types
    }
}

/// The samples of one type: its versions (the default first) and their events.
struct Samples<'a> {
    entry: &'a Value,
    versions: Vec<String>,
}

impl<'a> Samples<'a> {
    fn of(entry: &'a Value) -> Self {
        let versions = entry["version"]
            .as_str()
            .map(str::to_owned)
            .into_iter()
            .chain(
                entry["other_versions"]
                    .as_object()
                    .into_iter()
                    .flat_map(|versions| versions.keys().cloned()),
            )
            .collect();
        Self { entry, versions }
    }

    /// The sample event of `version`, else of the default version.
    fn event(&self, version: &str) -> Value {
        if self.entry["version"] == version {
            self.entry["event"].clone()
        } else {
            self.entry["other_versions"].get(version).map_or_else(
                || self.entry["event"].clone(),
                |other| other["event"].clone(),
            )
        }
    }
}

/// The subscriptions a trigger is for: its type, and its version and user when given.
fn matching(inner: &super::state::Inner, trigger: &Trigger) -> Vec<Value> {
    inner
        .subscriptions
        .values()
        .filter(|s| s["type"] == trigger.kind.as_str())
        .filter(|s| {
            trigger
                .version
                .as_ref()
                .is_none_or(|v| s["version"] == v.as_str())
        })
        .filter(|s| {
            trigger
                .broadcaster
                .as_ref()
                .is_none_or(|id| names(&s["condition"], id))
        })
        .cloned()
        .collect()
}

/// The session a subscription's notification goes to: its own (WebSocket), or the next
/// live shard of its conduit.
fn delivery_session(inner: &super::state::Inner, subscription: &Value) -> Option<String> {
    match subscription["transport"]["method"].as_str()? {
        "websocket" => subscription["transport"]["session_id"]
            .as_str()
            .map(str::to_owned),
        "conduit" => {
            let conduit = inner
                .conduits
                .get(subscription["transport"]["conduit_id"].as_str()?)?;
            conduit
                .shards
                .values()
                .find(|shard| shard.live())
                .map(|shard| shard.session_id.clone())
        }
        _ => None,
    }
}

/// Whether a condition names `user_id` in any of its user fields.
fn names(condition: &Value, user_id: &str) -> bool {
    condition.as_object().is_some_and(|fields| {
        fields
            .iter()
            .any(|(key, value)| key.ends_with("user_id") && value == user_id)
    })
}

/// The sample made to fit a subscription: every user the condition names (broadcaster,
/// moderator, to/from broadcaster, user) fills the event's fields with that prefix, the
/// actor fills `user_*` and `chatter_*` where the condition did not, `message_id` is fresh,
/// and timestamps are now (deadlines a few minutes ahead).
pub(crate) fn personalise(
    sample: &Value,
    condition: &Value,
    directory: impl Fn(&str) -> Option<(String, String)>,
    actor: Option<&str>,
    now: SystemTime,
) -> Value {
    let mut event = sample.clone();
    let Some(fields) = event.as_object_mut() else {
        return event;
    };
    let mut filled = HashSet::new();
    for (key, value) in condition.as_object().into_iter().flatten() {
        let (Some(prefix), Some(id)) = (key.strip_suffix("user_id"), value.as_str()) else {
            continue;
        };
        if fill(fields, prefix, id, &directory) {
            filled.insert(prefix.to_owned());
        } else if prefix == "broadcaster_" && fields.contains_key("broadcaster_id") {
            // Charity events write the broadcaster without `user_`.
            fields.insert("broadcaster_id".into(), Value::from(id));
            if let Some((login, name)) = directory(id) {
                fields.insert("broadcaster_login".into(), Value::from(login));
                fields.insert("broadcaster_name".into(), Value::from(name));
            }
        }
    }
    if let Some(actor) = actor {
        for prefix in ["", "chatter_"] {
            if !filled.contains(prefix) {
                fill(fields, prefix, actor, &directory);
            }
        }
    }
    if fields.contains_key("message_id") {
        fields.insert("message_id".into(), Value::from(new_id()));
    }
    refresh_times(&mut event, now);
    event
}

/// Sets `{prefix}user_id` (and its login and name when the directory knows the user) if
/// the event has that field.
fn fill(
    fields: &mut Map<String, Value>,
    prefix: &str,
    id: &str,
    directory: &impl Fn(&str) -> Option<(String, String)>,
) -> bool {
    let id_key = format!("{prefix}user_id");
    if !fields.contains_key(&id_key) {
        return false;
    }
    fields.insert(id_key, Value::from(id));
    if let Some((login, name)) = directory(id) {
        fields.insert(format!("{prefix}user_login"), Value::from(login));
        fields.insert(format!("{prefix}user_name"), Value::from(name));
    }
    true
}

/// Every `…_at` timestamp becomes now; deadlines (`ends_at`, `expires_at`, `locks_at`,
/// cooldowns) five minutes from now.
fn refresh_times(value: &mut Value, now: SystemTime) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if key.ends_with("_at") && field.is_string() {
                    let ahead = key.ends_with("ends_at")
                        || key.ends_with("expires_at")
                        || key == "locks_at";
                    let at = if ahead {
                        now + Duration::from_mins(5)
                    } else {
                        now
                    };
                    *field = Value::from(crate::timestamp::rfc3339(at, true));
                } else {
                    refresh_times(field, now);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                refresh_times(item, now);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use serde_json::json;

    use super::personalise;

    #[test]
    fn a_sample_takes_the_subscription_s_users_and_the_actor() {
        let sample = json!({
            "broadcaster_user_id": "1337", "broadcaster_user_login": "cool", "broadcaster_user_name": "Cool",
            "user_id": "9", "user_login": "someone", "user_name": "Someone",
            "followed_at": "2024-01-01T00:00:00Z", "message_id": "old",
            "nested": { "ends_at": "2024-01-01T00:00:00Z" },
        });
        let condition =
            json!({ "broadcaster_user_id": "100000003", "moderator_user_id": "100000001" });
        let directory = |id: &str| match id {
            "100000003" => Some(("streamer".to_owned(), "Streamer".to_owned())),
            "100000002" => Some(("viewer".to_owned(), "Viewer".to_owned())),
            _ => None,
        };
        let now = UNIX_EPOCH + Duration::from_hours(500_000);
        let event = personalise(&sample, &condition, directory, Some("100000002"), now);
        assert_eq!(event["broadcaster_user_id"], "100000003");
        assert_eq!(event["broadcaster_user_login"], "streamer");
        assert_eq!(event["user_id"], "100000002");
        assert_eq!(event["user_name"], "Viewer");
        assert!(
            event.get("moderator_user_id").is_none(),
            "no field is added"
        );
        assert_eq!(event["followed_at"], "2027-01-15T08:00:00.000000Z");
        assert_eq!(event["nested"]["ends_at"], "2027-01-15T08:05:00.000000Z");
        assert_ne!(event["message_id"], "old");
    }

    #[test]
    fn charity_events_name_the_broadcaster_without_user() {
        let sample =
            json!({ "broadcaster_id": "1", "broadcaster_login": "a", "broadcaster_name": "A" });
        let condition = json!({ "broadcaster_user_id": "7" });
        let event = personalise(
            &sample,
            &condition,
            |_| Some(("seven".into(), "Seven".into())),
            None,
            UNIX_EPOCH,
        );
        assert_eq!(event["broadcaster_id"], "7");
        assert_eq!(event["broadcaster_name"], "Seven");
    }
}
