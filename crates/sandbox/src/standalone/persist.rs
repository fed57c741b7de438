//! `--state FILE`: the world and what clients changed through the APIs, written (by an
//! atomic rename) within a second of a change and at exit, and loaded at start.
//!
//! Kept: the world (as `--config` describes it); Discord's registered application commands
//! and the newest 500 messages of each channel; every Twitch OAuth token and refresh token
//! (seeded and issued) with its expiry; EventSub conduits and the subscriptions that outlive
//! a socket (conduit transport); the Clash developer site's keys. Not kept: connections
//! and sessions (clients reconnect), WebSocket subscriptions (Twitch ends them with their
//! socket), rate-limit windows, and changes made through the control API to the world
//! itself (those are events, not configuration).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::Handles;
use crate::world::World;
use crate::{Error, ErrorKind};

/// The file format's version.
const VERSION: u64 = 1;
/// How often the state is compared with what was last written.
const PERIOD: Duration = Duration::from_secs(1);

/// A state file as loaded: the world, and each platform's saved changes.
#[derive(Clone)]
pub struct SavedState {
    /// The world it was saved with.
    pub world: World,
    changes: Value,
}

impl std::fmt::Debug for SavedState {
    /// The changes hold tokens and keys: they stay out.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SavedState")
            .field("world", &self.world)
            .finish_non_exhaustive()
    }
}

impl SavedState {
    /// Puts the saved changes back into freshly built platforms.
    pub(super) fn restore(&self, handles: &Handles) {
        handles.discord.restore(&self.changes["discord"]);
        handles.twitch.helix().restore(&self.changes["twitch"]);
        handles.eventsub.restore(&self.changes["eventsub"]);
        handles.clash.restore(&self.changes["clash"]);
    }
}

/// Everything that is kept, as the file's JSON.
fn snapshot(handles: &Handles) -> Value {
    json!({
        "version": VERSION,
        "world": serde_json::to_value(&*handles.world).unwrap_or(Value::Null),
        "discord": handles.discord.saved(),
        "twitch": handles.twitch.helix().saved(),
        "eventsub": handles.eventsub.saved(),
        "clash": handles.clash.saved(),
    })
}

/// Reads a state file; `None` when it does not exist yet.
pub(super) fn load(path: &Path) -> Result<Option<SavedState>, Error> {
    let read_error = |e| {
        Error::with_source(
            ErrorKind::Read {
                path: path.display().to_string(),
            },
            e,
        )
    };
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_error(e)),
    };
    let changes: Value =
        serde_json::from_str(&text).map_err(|e| Error::with_source(ErrorKind::Config, e))?;
    if changes["version"] != VERSION {
        return Err(Error::new(ErrorKind::InvalidWorld {
            reason: format!(
                "{} is a state file of version {}, this sandbox reads version {VERSION}",
                path.display(),
                changes["version"]
            ),
        }));
    }
    let world: World = serde_json::from_value(changes["world"].clone())
        .map_err(|e| Error::with_source(ErrorKind::Config, e))?;
    world.check()?;
    Ok(Some(SavedState { world, changes }))
}

/// Writes `text` to `path` through a temporary file and a rename, so a reader (or a crash)
/// never sees half a file.
fn write_atomically(path: &Path, text: &str) -> Result<(), Error> {
    let write_error = |e| {
        Error::with_source(
            ErrorKind::Write {
                path: path.display().to_string(),
            },
            e,
        )
    };
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, text).map_err(write_error)?;
    std::fs::rename(&temporary, path).map_err(write_error)
}

/// The task that keeps the file up to date.
#[derive(Debug)]
pub(super) struct Persister {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Persister {
    /// Writes now, then within a second of every change.
    pub(super) fn start(path: PathBuf, handles: Handles) -> Self {
        let (stop, mut stopped) = oneshot::channel();
        let task = tokio::spawn(async move {
            let mut written = String::new();
            let save = |written: &mut String| {
                let text = serde_json::to_string_pretty(&snapshot(&handles)).unwrap_or_default();
                if text != *written {
                    match write_atomically(&path, &text) {
                        Ok(()) => *written = text,
                        Err(error) => {
                            tracing::warn!(%error, source = ?std::error::Error::source(&error), "sandbox could not save its state");
                        }
                    }
                }
            };
            save(&mut written);
            let mut ticker = tokio::time::interval(PERIOD);
            loop {
                tokio::select! {
                    _ = ticker.tick() => save(&mut written),
                    _ = &mut stopped => {
                        save(&mut written);
                        return;
                    }
                }
            }
        });
        Self { stop, task }
    }

    /// Writes a last time and ends the task.
    pub(super) async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
