//! Event handlers: `on::<T>(f)` becomes "extract `T`, then run `f`".

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use core_events::Extract;
use svc_gateway::event::ShardEvent;
use svc_gateway::rest::RestClient;

/// An async event handler taking a `T`: any `Fn(T) -> impl Future<Output = ()>` that can
/// move between threads. Exists so [`crate::WorkerBuilder::on`] reads `on::<T>(…)`.
pub trait EventHandler<T>:
    Fn(T) -> <Self as EventHandler<T>>::Future + Send + Sync + 'static
{
    /// The future a call returns.
    type Future: Future<Output = ()> + Send + 'static;
}

impl<T, F, Fut> EventHandler<T> for F
where
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    type Future = Fut;
}

/// An async event handler taking a `T` and the worker's REST client (see
/// [`crate::WorkerBuilder::on_rest`]): any `Fn(T, RestClient) -> impl Future<Output = ()>`.
pub trait RestHandler<T>:
    Fn(T, RestClient) -> <Self as RestHandler<T>>::Future + Send + Sync + 'static
{
    /// The future a call returns.
    type Future: Future<Output = ()> + Send + 'static;
}

impl<T, F, Fut> RestHandler<T> for F
where
    F: Fn(T, RestClient) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    type Future = Fut;
}

/// A handler's future, boxed.
pub(crate) type HandlerFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Runs for events carrying its type, ignores the rest.
pub(crate) type Handler = Arc<dyn Fn(&ShardEvent) -> Option<HandlerFuture> + Send + Sync>;

/// Wraps `f` so it only sees events that extract to `T`.
pub(crate) fn erase<T>(f: impl EventHandler<T>) -> Handler
where
    T: Extract<ShardEvent> + Send + 'static,
{
    Arc::new(move |event: &ShardEvent| {
        T::extract(event.clone()).map(|payload| Box::pin(f(payload)) as HandlerFuture)
    })
}

/// Wraps `f` so it only sees events that extract to `T`, and hands it a clone of `rest`.
pub(crate) fn erase_rest<T>(f: impl RestHandler<T>, rest: RestClient) -> Handler
where
    T: Extract<ShardEvent> + Send + 'static,
{
    Arc::new(move |event: &ShardEvent| {
        T::extract(event.clone()).map(|payload| Box::pin(f(payload, rest.clone())) as HandlerFuture)
    })
}
