//! Long-lived handlers: the task behind `on`/`on_async` and the handle that owns it.

use std::{any::Any, future::Future, panic::AssertUnwindSafe, sync::Arc};

use futures_util::FutureExt as _;
use tokio::{sync::broadcast, task::JoinHandle};

use crate::{Extract, stats::Counters};

/// A running handler registered with [`EventHub::on`](crate::EventHub::on) or
/// [`EventHub::on_async`](crate::EventHub::on_async).
///
/// Dropping the handle (or calling [`cancel`](Self::cancel)) unsubscribes the
/// handler; [`detach`](Self::detach) lets it run until the hub closes.
///
/// A listener handles its events one at a time, in publish order. If it falls
/// more than the hub's capacity behind, the skipped events are counted in
/// [`missed`](Self::missed) (and the hub's [`HubStats`](crate::HubStats)) and a
/// `tracing` warning is logged; the handler then continues with the oldest
/// event still buffered. A handler that panics is logged at error level and
/// counted in [`panics`](Self::panics); the listener goes on with the next event.
#[derive(Debug)]
#[must_use = "dropping a Listener unsubscribes its handler; call .detach() to keep it running"]
pub struct Listener {
    task: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
}

impl Listener {
    /// Stops the handler. An async handler in progress is dropped at its next
    /// `.await`.
    pub fn cancel(mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }

    /// Lets the handler run until every hub handle is dropped.
    pub fn detach(mut self) {
        self.task = None;
    }

    /// Whether the handler has stopped (hub closed or listener cancelled).
    pub fn is_finished(&self) -> bool {
        self.task.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// Events this listener never saw because it fell behind.
    pub fn missed(&self) -> u64 {
        self.counters.missed()
    }

    /// Handler invocations that panicked.
    pub fn panics(&self) -> u64 {
        self.counters.panics()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// Spawns the task that feeds `receiver`'s events, typed as `T`, to `handler`.
pub(crate) fn spawn<E, T, F, Fut>(
    mut receiver: broadcast::Receiver<E>,
    hub: Arc<Counters>,
    mut handler: F,
) -> Listener
where
    E: Clone + Send + 'static,
    T: Extract<E> + Send + 'static,
    F: FnMut(T) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let counters = Arc::new(Counters::default());
    let mine = Arc::clone(&counters);
    let task = tokio::spawn(async move {
        loop {
            match receiver.recv().await {
                Ok(event) => {
                    let Some(typed) = T::extract(event) else {
                        continue;
                    };
                    // Calling the handler inside the async block means a panic in a
                    // sync handler, or in either half of an async one, is caught here
                    // rather than tearing down the task and its subscription.
                    let outcome = AssertUnwindSafe(async { handler(typed).await })
                        .catch_unwind()
                        .await;
                    if let Err(payload) = outcome {
                        mine.add_panic();
                        hub.add_panic();
                        tracing::error!(
                            panic = panic_message(payload.as_ref()),
                            "event handler panicked; the listener keeps running"
                        );
                    }
                }
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    mine.add_missed(missed);
                    hub.add_missed(missed);
                    tracing::warn!(
                        missed,
                        "event listener fell behind the hub's buffer; skipped events are lost to it"
                    );
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
    Listener {
        task: Some(task),
        counters,
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(message) = payload.downcast_ref::<&'static str>() {
        message
    } else if let Some(message) = payload.downcast_ref::<String>() {
        message
    } else {
        "non-string panic payload"
    }
}
