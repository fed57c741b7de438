//! Type-erased event handlers: `on::<T>(f)` becomes "extract `T`, then run `f`".

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use core_events::Extract;
use svc_gateway::ShardEvent;

/// A handler's future, boxed.
pub(crate) type HandlerFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs for events carrying its type, ignores the rest.
pub(crate) type Handler = Arc<dyn Fn(&ShardEvent) -> Option<HandlerFuture> + Send + Sync>;

/// Wraps `f` so it only sees events that extract to `T`.
pub(crate) fn handler<T, F, Fut>(f: F) -> Handler
where
    T: Extract<ShardEvent> + Send + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    Arc::new(move |event: &ShardEvent| {
        T::extract(event.clone()).map(|payload| Box::pin(f(payload)) as HandlerFuture)
    })
}
