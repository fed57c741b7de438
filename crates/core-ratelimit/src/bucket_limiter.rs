//! [`BucketLimiter`]: header-driven limits with per-bucket FIFO queues and a global cap.

use std::collections::VecDeque;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, Weak};

use dashmap::DashMap;
use foldhash::fast::RandomState;
use parking_lot::Mutex;
use tokio::runtime::Handle;
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::bucket_state::{Admission, later};
use crate::{
    BucketConfig, BucketId, BucketState, BucketStore, Bucketing, MemoryBucketStore, Outcome,
    RouteKey, Ticket, WindowLimiter,
};

/// A rate limiter that learns its limits from responses (Discord `X-RateLimit-*`, Helix
/// `Ratelimit-*`), so requests wait *before* a 429 instead of after.
///
/// * Each route maps to a bucket. Discord: the route template plus major parameter until the
///   first response names the bucket (`X-RateLimit-Bucket`); routes that report the same hash
///   for the same major parameter then share one state. Helix
///   ([`Bucketing::Single`]): every route shares one point budget.
/// * While a bucket's limit is unknown, one request at a time goes out as a probe; once a
///   response has told `limit` / `remaining` / `reset`, up to `remaining` go out concurrently,
///   and the rest wait in FIFO order for the reset. Responses that arrive out of order can
///   only lower the estimate within a window (the reset epoch identifies the window).
/// * A global cap (Discord: 50 requests per second) applies to every request on top.
/// * A 429 blocks its bucket for `retry_after`, or every bucket when it was global.
///
/// Every admitted request holds a [`Ticket`]; completing it with the response's
/// [`Outcome`] teaches the limiter, dropping it (no response) releases the slot.
///
/// Known limit: which route templates share a Discord bucket is only known once each has
/// answered once. Until then each template sends its own single probe, so in the very first
/// window a shared bucket can see one request per not-yet-answered template beyond what the
/// learned state allows (twilight has the same cold start). From the first answer on, shared
/// routes draw from one state.
///
/// ```
/// use std::time::Duration;
/// use core_ratelimit::{BucketConfig, BucketLimiter, Outcome, RateLimitHeaders, RouteKey};
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)] async fn main() {
/// let limiter = BucketLimiter::new(BucketConfig::default());
/// let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("1234"));
///
/// let ticket = limiter.acquire(&route).await;
/// // ... send the request, then report what came back:
/// let headers = RateLimitHeaders::parse([
///     ("X-RateLimit-Limit", &b"5"[..]),
///     ("X-RateLimit-Remaining", b"4"),
///     ("X-RateLimit-Reset-After", b"5"),
///     ("X-RateLimit-Bucket", b"80c17d2f203122d936070c88c8d10f33"),
/// ])
/// .unwrap();
/// ticket.complete(Outcome::new(200, headers));
///
/// // Four more may go at once; a fifth waits for the reset.
/// let start = tokio::time::Instant::now();
/// let mut in_flight = Vec::new();
/// for _ in 0..4 {
///     in_flight.push(limiter.acquire(&route).await);
/// }
/// assert_eq!(start.elapsed(), Duration::ZERO);
/// let _fifth = limiter.acquire(&route).await;
/// assert!(start.elapsed() >= Duration::from_secs(5));
/// # }
/// ```
///
/// # Shared between processes
///
/// With feature `redis`, `BucketLimiter::from(RedisBucketLimiter)` gives a limiter whose
/// state lives in Redis (see [`RedisBucketLimiter`](crate::RedisBucketLimiter)) behind this
/// same API, so HTTP clients that take a `BucketLimiter` share limits across processes
/// unchanged. Its [`acquire`](Self::acquire) waits through Redis outages, and completing or
/// dropping its tickets reports to Redis in a background task.
#[derive(Clone)]
pub struct BucketLimiter {
    shared: Arc<Shared>,
    #[cfg(feature = "redis")]
    redis: Option<crate::RedisBucketLimiter>,
}

pub(crate) struct Shared {
    config: BucketConfig,
    /// The route → bucket hash map, and the bucket states unless `inline_states`.
    store: Arc<dyn BucketStore>,
    /// The limiter keeps its own memory ([`BucketLimiter::new`]): each bucket's state lives in
    /// its queue, under the lock every change already takes, and the global 429 lockout in
    /// `lockout`. That saves a map lookup (and its hashing) per admission and per completion,
    /// and one per acquire for the lockout: the bulk of an uncontended acquire's cost.
    inline_states: bool,
    /// The end of a global 429 lockout when `inline_states` (else it is the store's `Global`).
    lockout: Mutex<Option<Instant>>,
    /// Whether `lockout` may hold one, so an acquire without one takes no lock for it.
    locked_out: AtomicBool,
    global: Option<WindowLimiter>,
    /// Local cache: route → the queue of its bucket. Hashed with foldhash: every acquire
    /// hashes its route key, and SipHash was half the cost of an uncontended acquire. The
    /// keys are this process's own route templates and ids, so HashDoS resistance is moot.
    routes: DashMap<RouteKey, Arc<Queue>, RandomState>,
    /// Bucket → its queue of waiting callers.
    queues: DashMap<BucketId, Arc<Queue>, RandomState>,
    /// Where reset timers run when a ticket completes outside the runtime.
    runtime: OnceLock<Handle>,
}

/// The callers waiting for one bucket, in arrival order. Every change to the bucket's state
/// happens while this queue's lock is held, so moving a provisional bucket into a learned one
/// is atomic with respect to admissions and completions.
pub(crate) struct Queue {
    id: BucketId,
    inner: Mutex<QueueInner>,
}

#[derive(Default)]
pub(crate) struct QueueInner {
    /// The bucket's state when the limiter keeps it inline (unused with an outside store).
    state: BucketState,
    waiters: VecDeque<oneshot::Sender<Grant>>,
    /// The earliest reset timer already scheduled for this queue.
    timer_at: Option<Instant>,
    /// Set when this provisional bucket turned out to be part of a learned one.
    moved_to: Option<Arc<Queue>>,
}

/// What a waiting caller is told.
enum Grant {
    Admitted(Permit),
    /// The bucket was merged into another: look the route up again.
    Moved,
}

/// One admitted request's hold on its bucket; dropping it armed releases the slot.
pub(crate) struct Permit {
    shared: Arc<Shared>,
    queue: Arc<Queue>,
    generation: u64,
    armed: bool,
}

impl BucketLimiter {
    /// A limiter keeping its state in memory.
    pub fn new(config: BucketConfig) -> Self {
        Self::build(config, Arc::new(MemoryBucketStore::new()), true)
    }

    /// A limiter keeping its state in `store` (for example one shared between processes).
    pub fn with_store(config: BucketConfig, store: Arc<dyn BucketStore>) -> Self {
        Self::build(config, store, false)
    }

    fn build(config: BucketConfig, store: Arc<dyn BucketStore>, inline_states: bool) -> Self {
        let global = config.global.and_then(|(count, window)| {
            let limiter = std::num::NonZeroU32::new(count).map(|n| WindowLimiter::new(n, window));
            if limiter.is_none() {
                tracing::warn!("global limit of 0 requests ignored");
            }
            limiter
        });
        Self {
            shared: Arc::new(Shared {
                config,
                store,
                inline_states,
                lockout: Mutex::new(None),
                locked_out: AtomicBool::new(false),
                global,
                routes: DashMap::with_hasher(RandomState::default()),
                queues: DashMap::with_hasher(RandomState::default()),
                runtime: OnceLock::new(),
            }),
            #[cfg(feature = "redis")]
            redis: None,
        }
    }

    /// Waits for the route's bucket (and the global limit) to allow one request.
    ///
    /// Callers of one bucket are admitted in arrival order. Cancel-safe: dropping the future
    /// before it completes takes no slot.
    pub async fn acquire(&self, route: &RouteKey) -> Ticket {
        #[cfg(feature = "redis")]
        if let Some(redis) = &self.redis {
            let shared = Box::pin(crate::redis_bucket::acquire_patiently(redis, route)).await;
            return Ticket::shared(shared);
        }
        let shared = &self.shared;
        if shared.runtime.get().is_none()
            && let Ok(handle) = Handle::try_current()
        {
            let _ = shared.runtime.set(handle);
        }
        // The waiting paths are boxed: their futures (timers, channels) are large, and
        // this future is moved on every call, while the common case never waits.
        let permit = match shared.try_acquire_bucket(route) {
            Some(permit) => permit,
            None => Box::pin(shared.acquire_bucket(route)).await,
        };
        if !shared.try_pass_global() {
            Box::pin(shared.wait_global()).await;
        }
        Ticket::new(permit)
    }

    /// The bucket `route` currently maps to, if the route was used before.
    pub fn bucket_of(&self, route: &RouteKey) -> Option<BucketId> {
        #[cfg(feature = "redis")]
        if let Some(redis) = &self.redis {
            return Some(redis.bucket_of(route));
        }
        let queue = self
            .shared
            .routes
            .get(route)
            .map(|queue| Arc::clone(&queue))?;
        Some(Queue::with_live(&queue, |queue, _| queue.id.clone()))
    }

    /// The configuration this limiter was built with.
    pub fn config(&self) -> &BucketConfig {
        &self.shared.config
    }
}

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
impl From<crate::RedisBucketLimiter> for BucketLimiter {
    /// A limiter whose state lives in Redis, shared by every process on the same prefix.
    fn from(redis: crate::RedisBucketLimiter) -> Self {
        let mut limiter = Self::new(redis.config().clone());
        limiter.redis = Some(redis);
        limiter
    }
}

impl Shared {
    fn queue_for(&self, route: &RouteKey) -> Arc<Queue> {
        if let Some(queue) = self.routes.get(route) {
            return Arc::clone(&queue);
        }
        let id = match self.config.bucketing {
            Bucketing::Single => BucketId::Shared,
            Bucketing::PerRoute => match self.store.route_bucket(route.route()) {
                Some(hash) => BucketId::Hash {
                    hash,
                    major: route.major_arc(),
                },
                None => BucketId::Route(route.clone()),
            },
        };
        let queue = self.queue_of(id);
        self.routes.insert(route.clone(), Arc::clone(&queue));
        queue
    }

    fn queue_of(&self, id: BucketId) -> Arc<Queue> {
        let queue = self
            .queues
            .entry(id.clone())
            .or_insert_with(|| Arc::new(Queue::new(id)));
        Arc::clone(&queue)
    }

    /// Applies `f` to the state of `queue`'s bucket; `inner` is that queue's locked inside.
    fn update(&self, queue: &Queue, inner: &mut QueueInner, mut f: impl FnMut(&mut BucketState)) {
        if self.inline_states {
            f(&mut inner.state);
        } else {
            self.store.update(&queue.id, &mut f);
        }
    }

    fn admit(&self, queue: &Queue, inner: &mut QueueInner, now: Option<Instant>) -> Admission {
        let mut admission = Admission::Wait { until: None };
        self.update(queue, inner, |state| {
            admission = state.try_admit_with(|| now.unwrap_or_else(Instant::now));
        });
        admission
    }

    /// The fast path of an acquire: the bucket admits the caller at once (nobody is queued
    /// ahead, the bucket allows it). `None` when the caller has to take the queued path.
    fn try_acquire_bucket(self: &Arc<Self>, route: &RouteKey) -> Option<Permit> {
        let queue = self.queue_for(route);
        let mut inner = queue.inner.lock();
        if inner.moved_to.is_some() || !inner.waiters.is_empty() {
            return None;
        }
        match self.admit(&queue, &mut inner, None) {
            Admission::Granted { generation } => {
                drop(inner);
                Some(Permit::new(self, queue, generation))
            }
            // The queued path asks again and schedules the reset timer.
            Admission::Wait { .. } => None,
        }
    }

    /// The fast path of the global limit: no lockout, and the global window takes this
    /// request without queueing. `false` (having taken nothing) otherwise.
    fn try_pass_global(&self) -> bool {
        self.global_lockout().is_none()
            && self
                .global
                .as_ref()
                .is_none_or(WindowLimiter::try_acquire_unqueued)
    }

    async fn acquire_bucket(self: &Arc<Self>, route: &RouteKey) -> Permit {
        loop {
            let queue = self.queue_for(route);
            let receiver = {
                let mut inner = queue.inner.lock();
                if let Some(next) = inner.moved_to.clone() {
                    drop(inner);
                    self.routes.insert(route.clone(), next);
                    continue;
                }
                if inner.waiters.is_empty() {
                    match self.admit(&queue, &mut inner, None) {
                        Admission::Granted { generation } => {
                            drop(inner);
                            return Permit::new(self, queue, generation);
                        }
                        Admission::Wait { until: Some(at) } => {
                            self.schedule(&queue, &mut inner, at);
                        }
                        Admission::Wait { until: None } => {}
                    }
                }
                let (sender, receiver) = oneshot::channel();
                inner.waiters.push_back(sender);
                receiver
            };
            if let Ok(Grant::Admitted(permit)) = receiver.await {
                return permit;
            }
            // Moved (or the queue was torn down): look the route up again.
        }
    }

    /// Admits waiting callers in order while the bucket allows. Called with the queue locked
    /// after anything that may let a request through: a completion, a release, a timer.
    fn drain(self: &Arc<Self>, queue: &Arc<Queue>, inner: &mut QueueInner) {
        if inner.waiters.is_empty() {
            return;
        }
        let now = Instant::now();
        while let Some(front) = inner.waiters.front() {
            if front.is_closed() {
                inner.waiters.pop_front();
                continue;
            }
            match self.admit(queue, inner, Some(now)) {
                Admission::Granted { generation } => {
                    let Some(waiter) = inner.waiters.pop_front() else {
                        break;
                    };
                    let permit = Permit::new(self, Arc::clone(queue), generation);
                    if let Err(Grant::Admitted(mut permit)) = waiter.send(Grant::Admitted(permit)) {
                        // The caller gave up between the check and the send: give the slot
                        // back here (dropping the permit armed would re-lock this queue).
                        permit.armed = false;
                        self.update(queue, inner, |state| state.release(generation));
                    }
                }
                Admission::Wait { until } => {
                    if let Some(at) = until {
                        self.schedule(queue, inner, at);
                    }
                    break;
                }
            }
        }
    }

    /// Makes sure the queue is drained again at `at` (a reset or the end of a lockout).
    fn schedule(self: &Arc<Self>, queue: &Arc<Queue>, inner: &mut QueueInner, at: Instant) {
        if inner.timer_at.is_some_and(|scheduled| scheduled <= at) {
            return;
        }
        let Some(runtime) = Handle::try_current()
            .ok()
            .or_else(|| self.runtime.get().cloned())
        else {
            tracing::warn!(bucket = %queue.id, "no tokio runtime to schedule a reset timer on");
            return;
        };
        inner.timer_at = Some(at);
        let shared: Weak<Self> = Arc::downgrade(self);
        let queue = Arc::clone(queue);
        runtime.spawn(async move {
            tokio::time::sleep_until(at).await;
            if let Some(shared) = shared.upgrade() {
                Queue::with_live(&queue, |queue, inner| {
                    if inner.timer_at == Some(at) {
                        inner.timer_at = None;
                    }
                    shared.drain(queue, inner);
                });
            }
        });
    }

    /// Waits out a global lockout, then takes a slot of the global window.
    async fn wait_global(&self) {
        loop {
            if let Some(until) = self.global_lockout() {
                tokio::time::sleep_until(until).await;
                continue;
            }
            if let Some(global) = &self.global {
                // A global 429 may have arrived while this caller waited for the window.
                if global.acquire_queued().await && self.global_lockout().is_some() {
                    continue;
                }
            }
            return;
        }
    }

    /// The end of a global 429 lockout, if one is in force.
    fn global_lockout(&self) -> Option<Instant> {
        let mut lockout = None;
        if self.inline_states {
            if !self.locked_out.load(Ordering::Acquire) {
                return None;
            }
            let mut current = self.lockout.lock();
            if current.is_some_and(|until| until <= Instant::now()) {
                *current = None;
                self.locked_out.store(false, Ordering::Release);
            }
            lockout = *current;
        } else {
            self.store.update(&BucketId::Global, &mut |state| {
                lockout = state.blocked_until;
            });
        }
        // Reading the clock only when there is a lockout keeps the common path cheap.
        lockout.filter(|&until| until > Instant::now())
    }

    fn complete(self: &Arc<Self>, queue: &Arc<Queue>, outcome: &Outcome) {
        let now = Instant::now();
        Queue::with_live(queue, |queue, inner| {
            let mut global_wait = None;
            self.update(queue, inner, |state| {
                global_wait = state.complete(
                    now,
                    outcome,
                    self.config.default_retry_after,
                    self.config.max_wait,
                );
            });
            if outcome.status == 429 {
                tracing::warn!(bucket = %queue.id, global = global_wait.is_some(), "429 Too Many Requests");
            }
            if let Some(wait) = global_wait {
                let until = later(now, wait);
                let extend = |blocked: &mut Option<Instant>| {
                    *blocked = Some(blocked.map_or(until, |b| b.max(until)));
                };
                if self.inline_states {
                    let mut current = self.lockout.lock();
                    extend(&mut current);
                    self.locked_out.store(true, Ordering::Release);
                } else {
                    self.store.update(&BucketId::Global, &mut |state| {
                        extend(&mut state.blocked_until);
                    });
                }
            }
            if self.config.bucketing == Bucketing::PerRoute
                && let BucketId::Route(route) = &queue.id
                && let Some(hash) = outcome.headers.bucket.as_deref()
            {
                self.learn_bucket(queue, inner, route, hash);
            } else {
                self.drain(queue, inner);
            }
        });
    }

    /// The server named the provisional bucket of `route`: fold it into the bucket of that
    /// hash and major parameter (shared with every route reporting the same hash).
    fn learn_bucket(
        self: &Arc<Self>,
        queue: &Arc<Queue>,
        inner: &mut QueueInner,
        route: &RouteKey,
        hash: &str,
    ) {
        self.store.set_route_bucket(route.route(), hash);
        let target = self.queue_of(BucketId::Hash {
            hash: Arc::from(hash),
            major: route.major_arc(),
        });
        // Lock order: provisional queue, then learned queue (learned queues never move).
        let mut target_inner = target.inner.lock();
        let mut moved = BucketState::default();
        self.update(queue, inner, |state| moved = std::mem::take(state));
        let mut moved = Some(moved);
        self.update(&target, &mut target_inner, |state| {
            if let Some(moved) = moved.take() {
                state.merge(moved);
            }
        });
        if !self.inline_states {
            self.store.remove(&queue.id);
        }
        inner.moved_to = Some(Arc::clone(&target));
        for waiter in inner.waiters.drain(..) {
            let _ = waiter.send(Grant::Moved);
        }
        self.routes.insert(route.clone(), Arc::clone(&target));
        self.queues.remove(&queue.id);
        tracing::debug!(%route, bucket = hash, "learned the route's bucket");
        self.drain(&target, &mut target_inner);
    }

    fn release(self: &Arc<Self>, queue: &Arc<Queue>, generation: u64) {
        Queue::with_live(queue, |queue, inner| {
            self.update(queue, inner, |state| state.release(generation));
            self.drain(queue, inner);
        });
    }
}

impl Queue {
    fn new(id: BucketId) -> Self {
        Self {
            id,
            inner: Mutex::new(QueueInner::default()),
        }
    }

    /// Runs `f` with the queue's lock held, following merges to the live queue.
    fn with_live<R>(queue: &Arc<Self>, f: impl FnOnce(&Arc<Self>, &mut QueueInner) -> R) -> R {
        // The common case, a queue that never moved, takes no reference count: atomic
        // operations are most of what a completion costs.
        let mut current = {
            let mut inner = queue.inner.lock();
            match inner.moved_to.clone() {
                None => return f(queue, &mut inner),
                Some(next) => next,
            }
        };
        loop {
            let next = {
                let mut inner = current.inner.lock();
                match inner.moved_to.clone() {
                    None => return f(&current, &mut inner),
                    Some(next) => next,
                }
            };
            current = next;
        }
    }
}

impl Permit {
    fn new(shared: &Arc<Shared>, queue: Arc<Queue>, generation: u64) -> Self {
        Self {
            shared: Arc::clone(shared),
            queue,
            generation,
            armed: true,
        }
    }

    pub(crate) fn bucket(&self) -> &BucketId {
        &self.queue.id
    }

    pub(crate) fn complete(mut self, outcome: &Outcome) {
        self.armed = false;
        self.shared.complete(&self.queue, outcome);
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if self.armed {
            self.armed = false;
            self.shared.release(&self.queue, self.generation);
        }
    }
}

impl fmt::Debug for BucketLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut f = f.debug_struct("BucketLimiter");
        #[cfg(feature = "redis")]
        f.field("redis", &self.redis);
        f.field("config", &self.shared.config)
            .field("store", &self.shared.store)
            .field("global", &self.shared.global)
            .field("routes", &self.shared.routes.len())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Permit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit")
            .field("bucket", &self.queue.id)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::task::{Context, Poll, Waker};
    use std::time::Duration;

    use super::*;
    use crate::RateLimitHeaders;

    /// Whether `future` is ready on its first poll.
    fn ready_at_once<F: Future>(future: F) -> Option<F::Output> {
        let mut context = Context::from_waker(Waker::noop());
        match std::pin::pin!(future).poll(&mut context) {
            Poll::Ready(output) => Some(output),
            Poll::Pending => None,
        }
    }

    /// Eight tasks on four worker threads race for one bucket's permits: exactly the bucket's
    /// permits are granted, every racer ends up queued, and once their tickets are dropped
    /// the bucket has all of them back (none lost, none granted twice).
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn racing_tasks_get_exactly_the_bucket_s_permits() {
        const PERMITS: u32 = 2_000;
        const TASKS: usize = 8;
        let limiter = BucketLimiter::new(BucketConfig::default());
        let route = RouteKey::new("POST /channels/{channel_id}/messages", Some("1"));
        // The probe learns a window of PERMITS more that resets in an hour: never during
        // this test, so no permit comes from a refill.
        limiter.acquire(&route).await.complete(Outcome::new(
            200,
            RateLimitHeaders {
                limit: Some(PERMITS + 1),
                remaining: Some(PERMITS),
                reset_after: Some(Duration::from_hours(1)),
                bucket: Some("race".to_owned()),
                ..RateLimitHeaders::default()
            },
        ));
        let granted = Arc::new(AtomicU32::new(0));
        let (sender, mut tickets) = tokio::sync::mpsc::unbounded_channel();
        let racers: Vec<_> = (0..TASKS)
            .map(|_| {
                let (limiter, route) = (limiter.clone(), route.clone());
                let (granted, sender) = (Arc::clone(&granted), sender.clone());
                tokio::spawn(async move {
                    loop {
                        let ticket = limiter.acquire(&route).await;
                        // Counted before this racer can queue again.
                        granted.fetch_add(1, Ordering::SeqCst);
                        if sender.send(ticket).is_err() {
                            return;
                        }
                    }
                })
            })
            .collect();
        let mut held = Vec::new();
        for _ in 0..PERMITS {
            held.push(tickets.recv().await.expect("racers hold the sender"));
        }
        let queue = limiter
            .shared
            .routes
            .get(&route)
            .map(|queue| Arc::clone(&queue))
            .expect("the route is known");
        // Each racer counts its grant before it queues again, so once all are queued every
        // grant ever made is counted.
        let mut polls = 0_u64;
        while queue.inner.lock().waiters.len() < TASKS {
            tokio::task::yield_now().await;
            polls += 1;
            assert!(polls < 100_000_000, "the racers never all queued");
        }
        assert_eq!(granted.load(Ordering::SeqCst), PERMITS);
        {
            let inner = queue.inner.lock();
            assert_eq!(inner.state.remaining, 0);
            assert_eq!(inner.state.in_flight, PERMITS);
        }
        for racer in &racers {
            racer.abort();
        }
        for racer in racers {
            assert!(racer.await.unwrap_err().is_cancelled());
        }
        assert!(
            tickets.try_recv().is_err(),
            "nothing granted past the permits"
        );
        // Requests that fail without a response give their slots back: all of them.
        drop(held);
        {
            let inner = queue.inner.lock();
            assert_eq!(inner.state.in_flight, 0);
            assert_eq!(inner.state.remaining, PERMITS);
        }
        let mut again = Vec::new();
        for _ in 0..PERMITS {
            again.push(ready_at_once(limiter.acquire(&route)).expect("a slot that came back"));
        }
        assert!(ready_at_once(limiter.acquire(&route)).is_none());
    }

    /// `with_store` keeps states in the store, where they can be read; `new` keeps them in
    /// the queues. Both admit the same way.
    #[tokio::test(start_paused = true)]
    async fn states_inline_and_in_a_store_agree() {
        let store = Arc::new(MemoryBucketStore::new());
        let stored = BucketLimiter::with_store(BucketConfig::default(), store.clone());
        let inline = BucketLimiter::new(BucketConfig::default());
        let route = RouteKey::new("GET /guilds/{guild_id}", Some("9"));
        let headers = RateLimitHeaders {
            limit: Some(3),
            remaining: Some(2),
            reset_after: Some(Duration::from_secs(5)),
            bucket: Some("g".to_owned()),
            ..RateLimitHeaders::default()
        };
        for limiter in [&stored, &inline] {
            limiter
                .acquire(&route)
                .await
                .complete(Outcome::new(200, headers.clone()));
            let first = ready_at_once(limiter.acquire(&route)).expect("room for two");
            let _second = ready_at_once(limiter.acquire(&route)).expect("room for two");
            assert!(ready_at_once(limiter.acquire(&route)).is_none());
            drop(first);
            assert!(ready_at_once(limiter.acquire(&route)).is_some());
        }
        let bucket = stored.bucket_of(&route).expect("learned");
        assert_eq!(store.get(&bucket).map(|state| state.limit), Some(Some(3)));
        assert_eq!(inline.bucket_of(&route), Some(bucket));
    }
}
