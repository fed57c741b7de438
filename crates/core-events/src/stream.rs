//! Events as a `futures` stream, with lag reported in-band.

use std::{
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
};

use futures_core::Stream;
use tokio::sync::broadcast;
use tokio_stream::wrappers::{BroadcastStream, errors::BroadcastStreamRecvError};

use crate::{Lagged, stats::Counters};

/// Every event published after [`EventHub::stream`](crate::EventHub::stream)
/// was called, as `Ok(event)`, with `Err(Lagged { missed })` in the place of
/// events the hub had to drop because this stream was read too slowly.
///
/// The stream ends when every handle of the hub is dropped.
pub struct EventStream<E> {
    inner: BroadcastStream<E>,
    hub: Arc<Counters>,
}

impl<E: Clone + Send + 'static> EventStream<E> {
    pub(crate) fn new(receiver: broadcast::Receiver<E>, hub: Arc<Counters>) -> Self {
        Self {
            inner: BroadcastStream::new(receiver),
            hub,
        }
    }
}

impl<E: Clone + Send + 'static> Stream for EventStream<E> {
    type Item = Result<E, Lagged>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Err(BroadcastStreamRecvError::Lagged(missed)))) => {
                self.hub.add_missed(missed);
                // The consumer sees the Lagged item itself, so this is only a trace.
                tracing::debug!(missed, "event stream lagged behind the hub");
                Poll::Ready(Some(Err(Lagged { missed })))
            }
            Poll::Ready(Some(Ok(event))) => Poll::Ready(Some(Ok(event))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<E> std::fmt::Debug for EventStream<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream").finish_non_exhaustive()
    }
}
