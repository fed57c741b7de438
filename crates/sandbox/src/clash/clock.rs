//! Wars that follow the clock: a clan built from a world has war times relative to when the
//! sandbox started, and its war moves from preparation to battle day to ended as those
//! times pass, the way the game's does, instead of staying "in war" past its end.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::timestamp;

/// Preparation day's length.
pub(super) const PREPARATION: Duration = Duration::from_hours(23);
/// Battle day's length.
pub(super) const BATTLE: Duration = Duration::from_hours(24);

/// `war` with its `state` as the clock says: a war whose start or end has passed is moved
/// on (never back, so a state a test set by hand is kept until its time comes).
pub(super) fn war_now(war: &Value, now: SystemTime) -> Value {
    let mut war = war.clone();
    let at = |key: &str| war[key].as_str().and_then(timestamp::parse_clash);
    let (start, end) = (at("startTime"), at("endTime"));
    let state = war["state"].as_str().unwrap_or_default();
    let moved = match (state, start, end) {
        ("preparation" | "inWar", _, Some(end)) if now >= end => Some("warEnded"),
        ("preparation", Some(start), _) if now >= start => Some("inWar"),
        _ => None,
    };
    if let Some(moved) = moved {
        war["state"] = json!(moved);
    }
    war
}

/// `preparationStartTime`, `startTime`, `endTime` for a war whose battle day starts at
/// `start`.
pub(super) fn war_times(start: SystemTime) -> [(&'static str, String); 3] {
    [
        (
            "preparationStartTime",
            timestamp::clash(start - PREPARATION),
        ),
        ("startTime", timestamp::clash(start)),
        ("endTime", timestamp::clash(start + BATTLE)),
    ]
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use serde_json::json;

    use super::{war_now, war_times};

    fn war(state: &str, start: SystemTime) -> serde_json::Value {
        let mut war = json!({ "state": state });
        for (key, value) in war_times(start) {
            war[key] = json!(value);
        }
        war
    }

    #[test]
    fn a_war_moves_on_as_its_times_pass() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_hours(500_000);
        let hour = Duration::from_hours(1);
        let preparing = war("preparation", start);
        assert_eq!(war_now(&preparing, start - hour)["state"], "preparation");
        assert_eq!(war_now(&preparing, start + hour)["state"], "inWar");
        assert_eq!(war_now(&preparing, start + 25 * hour)["state"], "warEnded");
        let fighting = war("inWar", start);
        assert_eq!(war_now(&fighting, start + hour)["state"], "inWar");
        assert_eq!(war_now(&fighting, start + 24 * hour)["state"], "warEnded");
        // Set by hand to ended early: the clock never moves a war back.
        assert_eq!(war_now(&war("warEnded", start), start)["state"], "warEnded");
        assert_eq!(
            war_now(&json!({ "state": "notInWar" }), start)["state"],
            "notInWar"
        );
    }
}
