//! Twitch's EventSub limits, enforced locally so a mistake fails fast with a clear error
//! instead of a 429 or a silently missing subscription.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Mutex, OnceLock, PoisonError};

use svc_helix::SubscriptionTotals;

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
        let mut sessions = registry().lock().unwrap_or_else(PoisonError::into_inner);
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
        let mut sessions = registry().lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = sessions.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                sessions.remove(&self.key);
            }
        }
    }
}

/// The account's subscription cost as Twitch last reported it (`total_cost`,
/// `max_total_cost` of a create answer). The numbers come from the server, so they are only
/// ever compared and saturated, never trusted to add up: a `max_total_cost` of 0 reads as
/// 1 (there is always room to try one), and totals near `u64::MAX` cannot overflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CostBudget {
    total_cost: u64,
    max_total_cost: u64,
}

impl Default for CostBudget {
    fn default() -> Self {
        Self {
            total_cost: 0,
            max_total_cost: DEFAULT_MAX_TOTAL_COST,
        }
    }
}

impl CostBudget {
    /// Takes the totals of a create answer.
    pub(crate) fn learn(&mut self, totals: &SubscriptionTotals) {
        self.total_cost = totals.total_cost;
        self.max_total_cost = totals.max_total_cost.max(1);
    }
}

/// Checks a new subscription against the per-session count and the cost budget.
pub(crate) fn check_new_subscription(current: usize, budget: &CostBudget) -> Result<(), Error> {
    if current >= MAX_SUBSCRIPTIONS_PER_SESSION {
        return Err(Error::limit(LimitKind::SubscriptionsPerSession {
            max: MAX_SUBSCRIPTIONS_PER_SESSION,
        }));
    }
    if budget.total_cost >= budget.max_total_cost {
        return Err(Error::limit(LimitKind::TotalCost {
            total: budget.total_cost.saturating_add(1),
            max: budget.max_total_cost,
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

    fn budget(total_cost: u64, max_total_cost: u64) -> CostBudget {
        let mut budget = CostBudget::default();
        budget.learn(
            &serde_json::from_value(serde_json::json!({
                "total": 0, "total_cost": total_cost, "max_total_cost": max_total_cost
            }))
            .unwrap(),
        );
        budget
    }

    #[test]
    fn subscription_limits() {
        assert!(check_new_subscription(299, &budget(0, 10)).is_ok());
        assert!(check_new_subscription(300, &budget(0, 10)).is_err());
        assert!(check_new_subscription(3, &budget(10, 10)).is_err());
    }

    /// Totals are the server's numbers: extreme ones give a limit error, never an overflow.
    #[test]
    fn hostile_totals_neither_overflow_nor_divide_the_budget_away() {
        let error = check_new_subscription(0, &budget(u64::MAX, u64::MAX)).unwrap_err();
        assert_eq!(
            error.kind(),
            &crate::ErrorKind::Limit(LimitKind::TotalCost {
                total: u64::MAX,
                max: u64::MAX
            })
        );
        // A maximum of 0 reads as 1: one subscription may still be tried.
        assert!(check_new_subscription(0, &budget(0, 0)).is_ok());
        assert!(check_new_subscription(0, &budget(1, 0)).is_err());
    }
}
