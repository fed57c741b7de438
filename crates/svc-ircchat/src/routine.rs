//! Routines: a task run on a schedule while a chat client lives (twitchio's
//! `routines.routine`). Build one with [`ChatClient::routine`](crate::ChatClient::routine):
//! a fixed interval or times of day (UTC), an optional number of iterations, an error hook;
//! the [`Routine`] handle stops and restarts it. Every routine stops when its client closes.
//!
//! Time comes from tokio, so routines run on a paused clock in tests; times of day read the
//! wall clock once, at start, and follow tokio's clock from there.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use core_error::BoxError;
use parking_lot::Mutex;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::client::Command;

const DAY: Duration = Duration::from_hours(24);

/// The shortest interval: a zero interval would spin.
const MIN_INTERVAL: Duration = Duration::from_millis(1);

/// When a routine runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Schedule {
    /// Every interval (at least 1 ms), counted from the start of the previous run.
    Every(Duration),
    /// Every day at these times, as offsets from midnight UTC (twitchio's `time=`).
    DailyAt(Vec<Duration>),
}

impl Schedule {
    /// Every `interval` (twitchio's `seconds=`/`minutes=`/`hours=`).
    pub fn every(interval: Duration) -> Self {
        Self::Every(interval)
    }

    /// Every day at these `(hour, minute)` times, UTC; out-of-range values wrap around the
    /// day.
    pub fn daily_at(times: impl IntoIterator<Item = (u8, u8)>) -> Self {
        let mut offsets: Vec<Duration> = times
            .into_iter()
            .map(|(hour, minute)| {
                let secs = u64::from(hour) * 3600 + u64::from(minute) * 60;
                Duration::from_secs(secs % DAY.as_secs())
            })
            .collect();
        offsets.sort();
        offsets.dedup();
        Self::DailyAt(offsets)
    }

    /// How long from now until the next run; `None`: never.
    fn delay(&self, clock: &WallClock, first: bool, wait_first: bool) -> Option<Duration> {
        match self {
            Self::Every(interval) => Some(if first && !wait_first {
                Duration::ZERO
            } else {
                (*interval).max(MIN_INTERVAL)
            }),
            Self::DailyAt(times) => {
                let now = clock.time_of_day();
                let next = times
                    .iter()
                    .find(|t| **t > now)
                    .map(|t| t.saturating_sub(now))
                    .or_else(|| {
                        times
                            .iter()
                            .min()
                            .map(|t| DAY.saturating_sub(now).saturating_add(*t))
                    })?;
                Some(next)
            }
        }
    }
}

/// The wall clock read once, then advanced by tokio's clock (so a paused clock drives it).
struct WallClock {
    start_wall: Duration,
    start: Instant,
}

impl WallClock {
    fn now() -> Self {
        Self {
            start_wall: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
            start: Instant::now(),
        }
    }

    /// The time since midnight UTC.
    fn time_of_day(&self) -> Duration {
        let now = self.start_wall + self.start.elapsed();
        Duration::from_secs(now.as_secs() % DAY.as_secs())
            + Duration::from_nanos(u64::from(now.subsec_nanos()))
    }
}

type RunFuture = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>>;
type RunFn = Arc<dyn Fn() -> RunFuture + Send + Sync>;
type ErrorHook = Arc<dyn Fn(BoxError) + Send + Sync>;

/// What a routine does and when.
struct Spec {
    schedule: Schedule,
    run: RunFn,
    on_error: Option<ErrorHook>,
    iterations: Option<u64>,
    wait_first: bool,
    /// The client's command channel: closed when the client's task ends.
    client: mpsc::UnboundedSender<Command>,
}

/// A routine being set up; [`start`](Self::start) runs it.
#[must_use = "a routine runs only once started"]
pub struct RoutineBuilder {
    spec: Spec,
}

impl fmt::Debug for RoutineBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RoutineBuilder")
            .field("schedule", &self.spec.schedule)
            .field("iterations", &self.spec.iterations)
            .field("wait_first", &self.spec.wait_first)
            .finish_non_exhaustive()
    }
}

impl RoutineBuilder {
    pub(crate) fn new<F, Fut, E>(
        schedule: Schedule,
        task: F,
        client: mpsc::UnboundedSender<Command>,
    ) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let run: RunFn = Arc::new(move || {
            let fut = task();
            Box::pin(async move { fut.await.map_err(Into::<BoxError>::into) }) as RunFuture
        });
        Self {
            spec: Spec {
                schedule,
                run,
                on_error: None,
                iterations: None,
                wait_first: false,
                client,
            },
        }
    }

    /// Stop after `n` runs (twitchio's `iterations=`); default: run until stopped.
    pub fn iterations(mut self, n: u64) -> Self {
        self.spec.iterations = Some(n);
        self
    }

    /// For an interval: wait one interval before the first run (twitchio's `wait_first`);
    /// by default the first run is at once.
    pub fn wait_first(mut self, wait: bool) -> Self {
        self.spec.wait_first = wait;
        self
    }

    /// Called with the error of every failed run (twitchio's `@routine.error`); the routine
    /// goes on. Without a hook failures are logged (`tracing`, warn).
    pub fn on_error(mut self, hook: impl Fn(BoxError) + Send + Sync + 'static) -> Self {
        self.spec.on_error = Some(Arc::new(hook));
        self
    }

    /// Starts the routine.
    pub fn start(self) -> Routine {
        let routine = Routine {
            spec: Arc::new(self.spec),
            task: Mutex::new(None),
            runs: Arc::new(AtomicU64::new(0)),
        };
        routine.restart();
        routine
    }
}

/// A running (or stopped) routine. Dropping the handle leaves it running; it ends after its
/// iterations, on [`stop`](Self::stop), or when its client closes.
pub struct Routine {
    spec: Arc<Spec>,
    task: Mutex<Option<JoinHandle<()>>>,
    runs: Arc<AtomicU64>,
}

impl fmt::Debug for Routine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Routine")
            .field("schedule", &self.spec.schedule)
            .field("runs", &self.runs())
            .field("running", &self.is_running())
            .finish_non_exhaustive()
    }
}

impl Routine {
    /// Stops it (a run in progress is cancelled at its next `.await`).
    pub fn stop(&self) {
        if let Some(task) = self.task.lock().take() {
            task.abort();
        }
    }

    /// Stops it if running and starts it again, with its iteration count from zero (and a
    /// first run at once unless it waits first).
    pub fn restart(&self) {
        let mut task = self.task.lock();
        if let Some(old) = task.take() {
            old.abort();
        }
        *task = Some(tokio::spawn(run(
            Arc::clone(&self.spec),
            Arc::clone(&self.runs),
        )));
    }

    /// Whether it is running (not stopped, not finished its iterations, client open).
    pub fn is_running(&self) -> bool {
        self.task
            .lock()
            .as_ref()
            .is_some_and(|task| !task.is_finished())
    }

    /// Runs completed since it was built (over restarts), failed ones included.
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::Relaxed)
    }
}

async fn run(spec: Arc<Spec>, runs: Arc<AtomicU64>) {
    let clock = WallClock::now();
    let mut done: u64 = 0;
    loop {
        if spec.iterations.is_some_and(|n| done >= n) {
            return;
        }
        let delay = spec.schedule.delay(&clock, done == 0, spec.wait_first);
        tokio::select! {
            () = spec.client.closed() => return,
            () = sleep_for(delay) => {}
        }
        let outcome = tokio::select! {
            () = spec.client.closed() => return,
            outcome = (spec.run)() => outcome,
        };
        done += 1;
        runs.fetch_add(1, Ordering::Relaxed);
        if let Err(error) = outcome {
            if let Some(hook) = &spec.on_error {
                hook(error);
            } else {
                tracing::warn!(%error, "a chat routine failed");
            }
        }
    }
}

/// Sleeps for `delay`; never wakes for `None`.
async fn sleep_for(delay: Option<Duration>) {
    match delay {
        Some(delay) => tokio::time::sleep(delay).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_times_are_sorted_and_wrap() {
        assert_eq!(
            Schedule::daily_at([(18, 30), (6, 0), (6, 0), (24, 5)]),
            Schedule::DailyAt(vec![
                Duration::from_mins(5),
                Duration::from_hours(6),
                Duration::from_mins(18 * 60 + 30),
            ])
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_next_daily_time_is_strictly_after_now() {
        let clock = WallClock::now();
        let now = clock.time_of_day();
        let schedule = Schedule::DailyAt(vec![now]);
        // The time just reached is tomorrow's, not now again.
        let delay = schedule.delay(&clock, false, false).unwrap();
        assert!(
            delay <= DAY && delay > DAY.saturating_sub(Duration::from_secs(1)),
            "{delay:?}"
        );
        assert_eq!(
            Schedule::DailyAt(Vec::new()).delay(&clock, true, false),
            None
        );
        assert_eq!(
            Schedule::every(Duration::ZERO).delay(&clock, false, false),
            Some(MIN_INTERVAL)
        );
        assert_eq!(
            Schedule::every(Duration::from_secs(5)).delay(&clock, true, false),
            Some(Duration::ZERO)
        );
    }
}
