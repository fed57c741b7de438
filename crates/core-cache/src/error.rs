//! The shared tier's error type: a kind to match on plus an optional source (see
//! `core-error`).

use core_redis::RedisFailure;

/// The kinds of [`Error`] the shared tier reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub enum ErrorKind {
    /// Redis could not be reached or did not answer in time. Treat as a miss (read) or as
    /// "only cached locally" (write).
    #[error("the shared cache (Redis) is unreachable")]
    StoreUnavailable,
    /// Redis answered with something unusable (for example the key holds another type).
    #[error("the shared cache (Redis) gave an unusable answer")]
    StoreReply,
}

core_error::error_type! {
    /// Why a [`SharedCache`](crate::SharedCache) operation failed.
    #[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
    pub struct Error(ErrorKind);
}

impl Error {
    /// A failed Redis call, classified by `core-redis`, the Redis error kept as the source.
    pub(crate) fn from_redis(source: redis::RedisError) -> Self {
        let kind = match core_redis::classify(&source) {
            RedisFailure::Unavailable => ErrorKind::StoreUnavailable,
            RedisFailure::Reply => ErrorKind::StoreReply,
        };
        Self::with_source(kind, source)
    }
}

#[cfg(test)]
mod tests {
    use redis::{ErrorKind as RedisKind, RedisError};

    use super::{Error, ErrorKind};

    #[test]
    fn a_cluster_that_is_down_is_unavailable_not_a_bad_reply() {
        let down = RedisError::from((RedisKind::ClusterDown, "CLUSTERDOWN"));
        assert_eq!(Error::from_redis(down).kind(), &ErrorKind::StoreUnavailable);
        let wrong = redis::make_extension_error("WRONGTYPE".to_owned(), None);
        let error = Error::from_redis(wrong);
        assert_eq!(error.kind(), &ErrorKind::StoreReply);
        assert_eq!(
            error.to_string(),
            "the shared cache (Redis) gave an unusable answer"
        );
        let source = error.into_source().expect("the Redis error");
        assert!(source.downcast_ref::<RedisError>().is_some());
    }
}
