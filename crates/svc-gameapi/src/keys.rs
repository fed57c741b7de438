//! The set of API keys a client rotates through, each with its own throttle.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use parking_lot::RwLock;
use transport_http::Secret;

use crate::throttle::KeyThrottle;

/// One key: its `Authorization` value (a [`Secret`], never printed) and its throttle.
#[derive(Debug)]
pub(crate) struct ApiKey {
    pub(crate) authorization: Secret,
    pub(crate) throttle: KeyThrottle,
}

/// Keys used round-robin. Replaced wholesale when the key manager runs again.
#[derive(Debug)]
pub(crate) struct KeyRing {
    keys: RwLock<Arc<Vec<Arc<ApiKey>>>>,
    next: AtomicUsize,
    per_second: NonZeroU32,
    /// Bumped by every [`KeyRing::replace`].
    generation: AtomicUsize,
}

impl KeyRing {
    pub(crate) fn new(keys: &[Secret], per_second: NonZeroU32) -> Self {
        let ring = Self {
            keys: RwLock::new(Arc::new(Vec::new())),
            next: AtomicUsize::new(0),
            generation: AtomicUsize::new(0),
            per_second,
        };
        ring.replace(keys);
        ring
    }

    /// Swaps in a new set of keys (fresh throttles).
    pub(crate) fn replace(&self, keys: &[Secret]) {
        let keys: Vec<Arc<ApiKey>> = keys
            .iter()
            .map(|key| {
                Arc::new(ApiKey {
                    authorization: Secret::new(format!("Bearer {}", key.expose())),
                    throttle: KeyThrottle::new(self.per_second),
                })
            })
            .collect();
        *self.keys.write() = Arc::new(keys);
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Which set of keys is current (changes on every replace).
    pub(crate) fn generation(&self) -> usize {
        self.generation.load(Ordering::SeqCst)
    }

    /// The next key in round-robin order, if there is any.
    pub(crate) fn next(&self) -> Option<Arc<ApiKey>> {
        let keys = Arc::clone(&self.keys.read());
        if keys.is_empty() {
            return None;
        }
        let index = self.next.fetch_add(1, Ordering::Relaxed) % keys.len();
        Some(Arc::clone(&keys[index]))
    }

    pub(crate) fn len(&self) -> usize {
        self.keys.read().len()
    }
}
