//! `POST /_sandbox/chaos/{platform}`: switches a platform's chaos behaviours
//! ([`crate::chaos::Chaos`]) on or off; answers with the behaviours now on.

use serde_json::json;

use super::answer::{Answer, Body, bad_request, not_found};
use crate::chaos::{Chaos, ChaosSwitch};
use crate::standalone::Handles;

/// The platforms whose servers consult a chaos switch.
fn switch(h: &Handles, platform: &str) -> Option<ChaosSwitch> {
    match platform {
        "discord" => Some(h.discord.chaos()),
        "eventsub" => Some(h.eventsub.chaos()),
        "twitch" => Some(h.twitch.chat().chaos()),
        "clash" => Some(h.clash.chaos()),
        "helix" => Some(h.twitch.helix().chaos()),
        "singyeong" => Some(h.singyeong.chaos()),
        _ => None,
    }
}

/// `{chaos, off?}` switches one behaviour on (or off); `{clear: true}` switches all off;
/// `{}` only reports.
pub(super) fn route(h: &Handles, platform: &str, body: &Body) -> Answer {
    let switch = switch(h, platform).ok_or_else(|| {
        not_found(format!(
            "no chaos mode for {platform:?} (one of discord, eventsub, twitch, clash, helix, singyeong)"
        ))
    })?;
    if body.flag("clear") {
        switch.clear();
    }
    if let Some(name) = body.text("chaos") {
        let chaos: Chaos = name.parse().map_err(|_| {
            let known: Vec<&str> = Chaos::ALL.iter().map(|c| c.name()).collect();
            bad_request(format!(
                "no chaos behaviour {name:?} (one of {})",
                known.join(", ")
            ))
        })?;
        if body.flag("off") {
            switch.off(chaos);
        } else {
            switch.on(chaos);
        }
    }
    let active: Vec<&str> = switch.active().into_iter().map(Chaos::name).collect();
    Ok(json!({ "platform": platform, "active": active }))
}
