//! [`Outcome`]: what a request's response taught the limiter.

use std::time::Duration;

use crate::RateLimitHeaders;

/// How a request admitted by a [`Ticket`](crate::Ticket) ended, reported through
/// [`Ticket::complete`](crate::Ticket::complete).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// The HTTP status code.
    pub status: u16,
    /// The response's rate-limit headers.
    pub headers: RateLimitHeaders,
    /// From a 429 JSON body `{retry_after (float seconds), global}`; `None` otherwise.
    pub retry_after: Option<Duration>,
    /// From a 429 JSON body: the global limit was hit.
    pub global: bool,
}

impl Outcome {
    /// An outcome with no 429 body.
    pub fn new(status: u16, headers: RateLimitHeaders) -> Self {
        Self {
            status,
            headers,
            retry_after: None,
            global: false,
        }
    }
}
