//! Twitch's EventSub limits, enforced locally so a mistake fails fast with a clear error
//! instead of a 429 or a silently missing subscription.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

use parking_lot::Mutex;

use crate::error::{Error, LimitKind};

/// Enabled subscriptions one WebSocket session may hold.
pub const MAX_SUBSCRIPTIONS_PER_SESSION: usize = 300;
/// WebSocket sessions one user access token may hold.
pub const MAX_SESSIONS_PER_TOKEN: usize = 3;
/// `max_total_cost` before Twitch has told us otherwise.
pub const DEFAULT_MAX_TOTAL_COST: u64 = 10;

/// Live sessions per token fingerprint, across every client in the process. The key is a
/// hash, so no token is kept around in the clear.
fn registry() -> &'static Mutex<HashMap<u64, usize>> {
    static SESSIONS: OnceLock<Mutex<HashMap<u64, usize>>> = OnceLock::new();
    SESSIONS.get_or_init(Mutex::default)
}

fn fingerprint(token: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    token.hash(&mut hasher);
    hasher.finish()
}

/// A claimed session slot; released on drop.
#[derive(Debug)]
pub(crate) struct SessionSlot {
    key: u64,
}

impl SessionSlot {
    pub(crate) fn claim(token: &str) -> Result<Self, Error> {
        let key = fingerprint(token);
        let mut sessions = registry().lock();
        let count = sessions.entry(key).or_default();
        if *count >= MAX_SESSIONS_PER_TOKEN {
            tracing::warn!(
                max = MAX_SESSIONS_PER_TOKEN,
                "refusing another EventSub session for this token"
            );
            return Err(Error::limit(LimitKind::SessionsPerToken {
                max: MAX_SESSIONS_PER_TOKEN,
            }));
        }
        *count += 1;
        Ok(Self { key })
    }
}

impl Drop for SessionSlot {
    fn drop(&mut self) {
        let mut sessions = registry().lock();
        if let Some(count) = sessions.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                sessions.remove(&self.key);
            }
        }
    }
}

/// Checks a new subscription against the per-session count and the cost budget.
pub(crate) fn check_new_subscription(
    current: usize,
    total_cost: u64,
    max_total_cost: u64,
) -> Result<(), Error> {
    if current >= MAX_SUBSCRIPTIONS_PER_SESSION {
        return Err(Error::limit(LimitKind::SubscriptionsPerSession {
            max: MAX_SUBSCRIPTIONS_PER_SESSION,
        }));
    }
    if total_cost >= max_total_cost {
        return Err(Error::limit(LimitKind::TotalCost {
            total: total_cost + 1,
            max: max_total_cost,
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fourth_session_for_a_token_is_refused_until_one_ends() {
        let slots: Vec<_> = (0..3)
            .map(|_| SessionSlot::claim("limits-test-token").unwrap())
            .collect();
        let error = SessionSlot::claim("limits-test-token").unwrap_err();
        assert!(matches!(
            error.kind(),
            crate::ErrorKind::Limit(LimitKind::SessionsPerToken { max: 3 })
        ));
        drop(slots);
        assert!(SessionSlot::claim("limits-test-token").is_ok());
    }

    #[test]
    fn subscription_limits() {
        assert!(check_new_subscription(299, 0, 10).is_ok());
        assert!(check_new_subscription(300, 0, 10).is_err());
        assert!(check_new_subscription(3, 10, 10).is_err());
    }
}
