//! Event handlers: `on::<T>(f)` becomes "extract `T`, then run `f`", and whatever `f`'s
//! future returns (`()` or a `Result`) becomes the outcome the worker acts on.

use std::error::Error as StdError;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use core_events::Extract;
use svc_gateway::event::ShardEvent;
use svc_gateway::rest::RestClient;

/// Why a handler did not finish its work on an event (its `Err`, boxed).
pub type HandlerError = Box<dyn StdError + Send + Sync + 'static>;

/// What a handler's future may return: `()` (it always succeeds) or `Result<(), E>`. An
/// `Err` leaves the entry unacknowledged, so it is delivered again (and dead-lettered after
/// [`crate::WorkerBuilder::max_deliveries`] deliveries).
pub trait HandlerOutput: Send + 'static {
    /// The outcome as a `Result`.
    fn into_result(self) -> Result<(), HandlerError>;
}

impl HandlerOutput for () {
    fn into_result(self) -> Result<(), HandlerError> {
        Ok(())
    }
}

impl<E> HandlerOutput for Result<(), E>
where
    E: Into<HandlerError> + Send + 'static,
{
    fn into_result(self) -> Result<(), HandlerError> {
        self.map_err(Into::into)
    }
}

/// An async event handler taking a `T`: any `Fn(T) -> impl Future` that can move between
/// threads, whose future returns `()` or `Result<(), E>` ([`HandlerOutput`]). Exists so
/// [`crate::WorkerBuilder::on`] reads `on::<T>(…)`.
pub trait EventHandler<T>:
    Fn(T) -> <Self as EventHandler<T>>::Future + Send + Sync + 'static
{
    /// The future a call returns.
    type Future: Future<Output: HandlerOutput> + Send + 'static;
}

impl<T, F, Fut> EventHandler<T> for F
where
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: Future<Output: HandlerOutput> + Send + 'static,
{
    type Future = Fut;
}

/// An async event handler taking a `T` and the worker's REST client (see
/// [`crate::WorkerBuilder::on_rest`]): any `Fn(T, RestClient) -> impl Future` returning
/// `()` or `Result<(), E>`.
pub trait RestHandler<T>:
    Fn(T, RestClient) -> <Self as RestHandler<T>>::Future + Send + Sync + 'static
{
    /// The future a call returns.
    type Future: Future<Output: HandlerOutput> + Send + 'static;
}

impl<T, F, Fut> RestHandler<T> for F
where
    F: Fn(T, RestClient) -> Fut + Send + Sync + 'static,
    Fut: Future<Output: HandlerOutput> + Send + 'static,
{
    type Future = Fut;
}

/// A handler's future, boxed, its outcome as a `Result`.
pub(crate) type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;

/// Runs for events carrying its type, ignores the rest.
pub(crate) type Handler = Arc<dyn Fn(&ShardEvent) -> Option<HandlerFuture> + Send + Sync>;

/// Wraps `f` so it only sees events that extract to `T`.
pub(crate) fn erase<T>(f: impl EventHandler<T>) -> Handler
where
    T: Extract<ShardEvent> + Send + 'static,
{
    Arc::new(move |event: &ShardEvent| T::extract(event.clone()).map(|payload| boxed(f(payload))))
}

/// Wraps `f` so it only sees events that extract to `T`, and hands it a clone of `rest`.
pub(crate) fn erase_rest<T>(f: impl RestHandler<T>, rest: RestClient) -> Handler
where
    T: Extract<ShardEvent> + Send + 'static,
{
    Arc::new(move |event: &ShardEvent| {
        T::extract(event.clone()).map(|payload| boxed(f(payload, rest.clone())))
    })
}

fn boxed<Fut>(future: Fut) -> HandlerFuture
where
    Fut: Future<Output: HandlerOutput> + Send + 'static,
{
    Box::pin(async move { future.await.into_result() })
}
