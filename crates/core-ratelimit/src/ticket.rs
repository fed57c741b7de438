//! [`Ticket`]: one admitted request's slot in its bucket.

use std::fmt;

use crate::bucket_limiter::Permit;
use crate::{BucketId, Outcome};

/// Permission for one request, from [`BucketLimiter::acquire`](crate::BucketLimiter::acquire).
///
/// Complete it with the response's [`Outcome`] so the limiter learns the bucket's state.
/// Dropping it instead means the request failed without a response (connect error, timeout,
/// cancelled): the slot is released and, if the window has not changed since, given back.
#[must_use = "complete the ticket with the response's outcome; dropping it releases the slot"]
pub struct Ticket {
    permit: Kind,
}

enum Kind {
    Local(Permit),
    #[cfg(feature = "redis")]
    Shared(crate::RedisTicket),
}

impl Ticket {
    pub(crate) fn new(permit: Permit) -> Self {
        Self {
            permit: Kind::Local(permit),
        }
    }

    #[cfg(feature = "redis")]
    pub(crate) fn shared(ticket: crate::RedisTicket) -> Self {
        Self {
            permit: Kind::Shared(ticket),
        }
    }

    /// Reports how the request ended.
    #[allow(
        clippy::needless_pass_by_value,
        reason = "the outcome is handed over for good"
    )]
    pub fn complete(self, outcome: Outcome) {
        match self.permit {
            Kind::Local(permit) => permit.complete(&outcome),
            #[cfg(feature = "redis")]
            Kind::Shared(ticket) => crate::redis_bucket::complete_in_background(ticket, outcome),
        }
    }

    /// The bucket this request was admitted by.
    pub fn bucket(&self) -> &BucketId {
        match &self.permit {
            Kind::Local(permit) => permit.bucket(),
            #[cfg(feature = "redis")]
            Kind::Shared(ticket) => ticket.bucket(),
        }
    }
}

impl fmt::Debug for Ticket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ticket")
            .field("bucket", self.bucket())
            .finish_non_exhaustive()
    }
}
