//! The hub itself: a cheap, cloneable handle over a bounded broadcast channel.

use std::{fmt, future::Future, sync::Arc, time::Duration};

use tokio::{sync::broadcast, time::Instant};

use crate::{
    Error, ErrorKind, EventStream, Extract, HubStats, Listener, listener, stats::Counters, wait,
};

/// Buffer size used by [`EventHub::new`].
pub const DEFAULT_CAPACITY: usize = 1024;

/// Largest buffer [`EventHub::with_capacity`] accepts. The buffer is allocated
/// up front, so this keeps a typo from reserving gigabytes.
pub const MAX_CAPACITY: usize = 1 << 20;

/// A typed broadcast of events with a bounded buffer.
///
/// Cloning is cheap and every clone publishes into the same hub. Every receiver
/// (listener, `once`/`wait_for` future, stream) gets its own clone of each event
/// published after it subscribed.
///
/// **Backpressure:** there is none towards the producer, on purpose —
/// [`publish`](Self::publish) is called from socket read loops and never waits.
/// The hub keeps the last [`capacity`](Self::capacity) events; a receiver that
/// falls further behind loses the oldest ones and is told how many:
/// streams get an in-band [`Lagged`](crate::Lagged) item, listeners and waits
/// log a `tracing` warning and count it (see [`stats`](Self::stats) and
/// [`Listener::missed`]). Loss is never silent.
///
/// Subscription happens when a method is *called*, not when its future is first
/// polled, so `let ready = hub.once(..); send_request(); ready.await` cannot
/// miss a reply published in between.
///
/// `on`, `on_async` and `wait_for` need a Tokio runtime (with the time driver for
/// `wait_for`) and panic outside one, like `tokio::spawn`.
pub struct EventHub<E> {
    sender: broadcast::Sender<E>,
    counters: Arc<Counters>,
    capacity: usize,
}

impl<E> Clone for EventHub<E> {
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
            counters: Arc::clone(&self.counters),
            capacity: self.capacity,
        }
    }
}

impl<E> fmt::Debug for EventHub<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventHub")
            .field("capacity", &self.capacity)
            .field("receivers", &self.sender.receiver_count())
            .field("missed", &self.counters.missed())
            .finish_non_exhaustive()
    }
}

impl<E: Clone + Send + 'static> Default for EventHub<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Clone + Send + 'static> EventHub<E> {
    /// A hub buffering the last [`DEFAULT_CAPACITY`] events.
    pub fn new() -> Self {
        Self::build(DEFAULT_CAPACITY)
    }

    /// A hub buffering the last `capacity` events, rounded up to a power of two
    /// (what [`capacity`](Self::capacity) then reports).
    ///
    /// Fails with [`ErrorKind::InvalidCapacity`] for 0 or more than [`MAX_CAPACITY`].
    ///
    /// ```
    /// use core_events::{ErrorKind, EventHub};
    ///
    /// let hub = EventHub::<u32>::with_capacity(100)?;
    /// assert_eq!(hub.capacity(), 128);
    /// let err = EventHub::<u32>::with_capacity(0).unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::InvalidCapacity { requested: 0 });
    /// # Ok::<(), core_events::Error>(())
    /// ```
    pub fn with_capacity(capacity: usize) -> Result<Self, Error> {
        if capacity == 0 || capacity > MAX_CAPACITY {
            tracing::error!(capacity, "rejected event hub capacity");
            return Err(Error::new(ErrorKind::InvalidCapacity {
                requested: capacity,
            }));
        }
        Ok(Self::build(capacity))
    }

    fn build(capacity: usize) -> Self {
        Self {
            sender: broadcast::Sender::new(capacity),
            counters: Arc::new(Counters::default()),
            // tokio rounds the ring buffer up to a power of two; report what is real.
            capacity: capacity.next_power_of_two(),
        }
    }

    /// How many events the hub buffers for a receiver that is behind.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Sends `event` to every current receiver without blocking or awaiting.
    ///
    /// Returns how many receivers will see it; 0 when nobody listens, which is
    /// not an error (the event is simply dropped).
    pub fn publish(&self, event: E) -> usize {
        self.sender.send(event).unwrap_or(0)
    }

    /// Health counters: live receivers, events lost to lag, handler panics.
    pub fn stats(&self) -> HubStats {
        HubStats {
            receivers: self.sender.receiver_count(),
            missed: self.counters.missed(),
            handler_panics: self.counters.panics(),
        }
    }

    /// Runs `handler` on a spawned task for every event that extracts as `T`,
    /// one at a time, in publish order.
    ///
    /// Pick the type with a turbofish (`hub.on::<MessageCreate>(..)`) or by
    /// annotating the closure; `T = E` receives every event. The handler runs on
    /// the runtime's worker, so keep it short; use [`on_async`](Self::on_async)
    /// for anything that waits. See [`Listener`] for lag and panic behaviour.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use core_events::EventHub;
    ///
    /// let hub = EventHub::<u32>::new();
    /// let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    /// let listener = hub.on(move |n: u32| {
    ///     let _ = tx.send(n * 2);
    /// });
    /// hub.publish(21);
    /// assert_eq!(rx.recv().await, Some(42));
    /// listener.cancel();
    /// # }
    /// ```
    pub fn on<T>(&self, mut handler: impl FnMut(T) + Send + 'static) -> Listener
    where
        T: Extract<E> + Send + 'static,
    {
        listener::spawn(
            self.sender.subscribe(),
            Arc::clone(&self.counters),
            move |event: T| {
                handler(event);
                std::future::ready(())
            },
        )
    }

    /// Like [`on`](Self::on), but the handler returns a future that is awaited
    /// before the next event is handled (so order is kept).
    ///
    /// The typed form is `hub.on_async::<MessageCreate, _>(..)`.
    pub fn on_async<T, Fut>(&self, handler: impl FnMut(T) -> Fut + Send + 'static) -> Listener
    where
        T: Extract<E> + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        listener::spawn(self.sender.subscribe(), Arc::clone(&self.counters), handler)
    }

    /// Resolves to the first event published from now on that extracts as `T`
    /// and satisfies `predicate`.
    ///
    /// Fails with [`ErrorKind::Closed`] if every hub handle is dropped first.
    /// Lag while waiting is logged and counted; the wait goes on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use core_events::EventHub;
    ///
    /// let hub = EventHub::<u32>::new();
    /// let even = hub.once(|n: &u32| n % 2 == 0);
    /// hub.publish(1);
    /// hub.publish(4);
    /// assert_eq!(even.await.unwrap(), 4);
    /// # }
    /// ```
    pub fn once<T>(
        &self,
        predicate: impl FnMut(&T) -> bool + Send + 'static,
    ) -> impl Future<Output = Result<T, Error>> + Send + 'static
    where
        T: Extract<E> + Send + 'static,
    {
        wait::first_match(
            self.sender.subscribe(),
            Arc::clone(&self.counters),
            predicate,
        )
    }

    /// [`once`](Self::once) with a deadline: fails with
    /// [`ErrorKind::Timeout`] if no match arrives within `timeout`, counted from
    /// this call (not from the first poll).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// use std::time::Duration;
    /// use core_events::{ErrorKind, EventHub};
    ///
    /// let hub = EventHub::<&'static str>::new();
    /// let err = hub.wait_for(|e: &&str| *e == "ready", Duration::from_secs(5)).await.unwrap_err();
    /// assert_eq!(err.kind(), &ErrorKind::Timeout { after: Duration::from_secs(5) });
    /// # }
    /// ```
    pub fn wait_for<T>(
        &self,
        predicate: impl FnMut(&T) -> bool + Send + 'static,
        timeout: Duration,
    ) -> impl Future<Output = Result<T, Error>> + Send + 'static
    where
        T: Extract<E> + Send + 'static,
    {
        let waiting = self.once(predicate);
        // The clock starts at the call, like the subscription; a timeout too large
        // to represent as an instant simply never fires.
        let deadline = Instant::now().checked_add(timeout);
        async move {
            match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, waiting)
                    .await
                    .unwrap_or_else(|_elapsed| {
                        Err(Error::new(ErrorKind::Timeout { after: timeout }))
                    }),
                None => waiting.await,
            }
        }
    }

    /// Every event published from now on, with lag reported in-band as
    /// `Err(Lagged { missed })`.
    pub fn stream(&self) -> EventStream<E> {
        EventStream::new(self.sender.subscribe(), Arc::clone(&self.counters))
    }
}
