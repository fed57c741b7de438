//! [`MeshStream`]: shinkei's `stream(event, timeout, check, limit)` — typed events that pass
//! a check, at most `limit` of them, each within `timeout` of the one before.

use std::fmt;
use std::pin::Pin;
use std::sync::Weak;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use core_events::{EventStream, Extract};
use futures_core::Stream;
use tokio::time::{Instant, Sleep};

use crate::client::Inner;
use crate::error::{Error, ErrorKind};
use crate::event::MeshEvent;

/// How long and how much a [`MeshStream`] reads (shinkei's `timeout` and `limit`).
///
/// ```
/// use std::time::Duration;
/// use svc_mesh::StreamOptions;
///
/// let options = StreamOptions::new().limit(3).timeout(Duration::from_secs(30));
/// assert_eq!(options.limit_value(), Some(3));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[must_use]
pub struct StreamOptions {
    limit: Option<usize>,
    timeout: Option<Duration>,
}

impl StreamOptions {
    /// No limit, no timeout: every matching event until the client closes.
    pub const fn new() -> Self {
        Self {
            limit: None,
            timeout: None,
        }
    }

    /// End after `limit` matching events.
    pub const fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Each matching event must come within `timeout` of the previous one (of the call for
    /// the first); otherwise the stream yields [`ErrorKind::Timeout`] and ends.
    pub const fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The configured limit.
    pub const fn limit_value(&self) -> Option<usize> {
        self.limit
    }

    /// The configured timeout.
    pub const fn timeout_value(&self) -> Option<Duration> {
        self.timeout
    }
}

type Check<T> = Box<dyn FnMut(&T) -> bool + Send>;

/// Events of type `T` that pass a check, from
/// [`MeshClient::stream`](crate::MeshClient::stream).
///
/// Yields `Ok(event)` for each match; `Err` with [`ErrorKind::Lagged`] when this stream was
/// read so slowly that the hub dropped events for it (the stream goes on); `Err` with
/// [`ErrorKind::Timeout`] when no match came in time (the stream then ends). It ends after
/// `limit` matches, and when the client is closed or dropped.
pub struct MeshStream<T> {
    events: EventStream<MeshEvent>,
    client: Weak<Inner>,
    check: Check<T>,
    remaining: Option<usize>,
    timeout: Option<Duration>,
    deadline: Option<Pin<Box<Sleep>>>,
    done: bool,
}

impl<T> fmt::Debug for MeshStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MeshStream")
            .field("remaining", &self.remaining)
            .field("timeout", &self.timeout)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<T> MeshStream<T> {
    pub(crate) fn new(
        events: EventStream<MeshEvent>,
        client: Weak<Inner>,
        check: Check<T>,
        options: StreamOptions,
    ) -> Self {
        // The clock of the first event starts at the call, like the subscription.
        let deadline = options
            .timeout
            .and_then(|timeout| Instant::now().checked_add(timeout))
            .map(|at| Box::pin(tokio::time::sleep_until(at)));
        Self {
            events,
            client,
            check,
            remaining: options.limit,
            timeout: options.timeout,
            deadline,
            done: options.limit == Some(0),
        }
    }

    fn client_closed(&self) -> bool {
        self.client
            .upgrade()
            .is_none_or(|inner| inner.closed.load(Ordering::Acquire))
    }

    fn matched(&mut self) {
        if let Some(remaining) = &mut self.remaining {
            *remaining = remaining.saturating_sub(1);
            if *remaining == 0 {
                self.done = true;
            }
        }
        if let (Some(timeout), Some(deadline)) = (self.timeout, &mut self.deadline)
            && let Some(at) = Instant::now().checked_add(timeout)
        {
            deadline.as_mut().reset(at);
        }
    }
}

impl<T: Extract<MeshEvent>> Stream for MeshStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        loop {
            match Pin::new(&mut this.events).poll_next(cx) {
                Poll::Ready(Some(Ok(event))) => {
                    let closing = matches!(event, MeshEvent::Disconnected { .. });
                    if let Some(typed) = T::extract(event)
                        && (this.check)(&typed)
                    {
                        this.matched();
                        return Poll::Ready(Some(Ok(typed)));
                    }
                    if closing && this.client_closed() {
                        this.done = true;
                        return Poll::Ready(None);
                    }
                }
                Poll::Ready(Some(Err(lagged))) => {
                    return Poll::Ready(Some(Err(Error::with_source(
                        ErrorKind::Lagged {
                            missed: lagged.missed,
                        },
                        lagged,
                    ))));
                }
                Poll::Ready(None) => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Poll::Pending => break,
            }
        }
        if this.client_closed() {
            this.done = true;
            return Poll::Ready(None);
        }
        if let (Some(timeout), Some(deadline)) = (this.timeout, &mut this.deadline)
            && deadline.as_mut().poll(cx).is_ready()
        {
            this.done = true;
            return Poll::Ready(Some(Err(Error::new(ErrorKind::Timeout { after: timeout }))));
        }
        Poll::Pending
    }
}
