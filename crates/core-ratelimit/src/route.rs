//! [`RouteKey`] (what a caller asks for) and [`BucketId`] (which limit answers).

use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A route template plus its major parameter: the unit a caller rate-limits by before the
/// server has said which bucket the route belongs to.
///
/// ```
/// use core_ratelimit::RouteKey;
///
/// let key = RouteKey::new("POST /channels/{channel_id}/messages", Some("1234"));
/// assert_eq!(key.to_string(), "POST /channels/{channel_id}/messages (1234)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteKey {
    route: Arc<str>,
    major: Option<Arc<str>>,
}

impl Hash for RouteKey {
    /// One write per string, without the derived impl's terminators and discriminant: every
    /// acquire hashes its key, and keys that are equal still hash alike (all a map needs;
    /// `("ab", "c")` and `("a", "bc")` may collide, which only costs a comparison).
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.route.as_bytes());
        if let Some(major) = &self.major {
            state.write(major.as_bytes());
        }
    }
}

impl RouteKey {
    /// `route` is the route template, e.g. `"POST /channels/{channel_id}/messages"`; `major`
    /// the major parameter value (channel, guild or webhook id) if any.
    pub fn new(route: &str, major: Option<&str>) -> Self {
        Self {
            route: Arc::from(route),
            major: major.map(Arc::from),
        }
    }

    /// The route template.
    pub fn route(&self) -> &str {
        &self.route
    }

    /// The major parameter value, if the route has one.
    pub fn major(&self) -> Option<&str> {
        self.major.as_deref()
    }

    pub(crate) fn major_arc(&self) -> Option<Arc<str>> {
        self.major.clone()
    }
}

impl fmt::Display for RouteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.major {
            Some(major) => write!(f, "{} ({major})", self.route),
            None => f.write_str(&self.route),
        }
    }
}

/// Which state a [`BucketStore`](crate::BucketStore) entry describes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BucketId {
    /// Limiter-wide state: a global 429 lockout.
    Global,
    /// A route whose server bucket is not known yet (Discord, before its first response).
    Route(RouteKey),
    /// A server bucket: the hash from `X-RateLimit-Bucket` plus the major parameter. Routes
    /// reporting the same hash for the same major parameter share this state.
    Hash {
        /// The bucket hash.
        hash: Arc<str>,
        /// The major parameter value, if any.
        major: Option<Arc<str>>,
    },
    /// The one bucket every route shares ([`Bucketing::Single`](crate::Bucketing::Single),
    /// Helix's point budget).
    Shared,
}

impl fmt::Display for BucketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Global => f.write_str("global"),
            Self::Route(route) => write!(f, "route {route}"),
            Self::Hash {
                hash,
                major: Some(major),
            } => write!(f, "bucket {hash} ({major})"),
            Self::Hash { hash, major: None } => write!(f, "bucket {hash}"),
            Self::Shared => f.write_str("shared bucket"),
        }
    }
}
