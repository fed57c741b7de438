//! Clash of Clans control calls: maintenance, wars (start, state, attacks, defenses),
//! league rounds, members joining and leaving, donations, trophies, upgrades. Each changes
//! the world the API serves; clients see it on their next poll.

use serde_json::json;

use super::answer::{Answer, Body, bad_request, not_found};
use crate::standalone::Handles;
use crate::world::normalise_tag;

/// `clan` from the body (any case, `#` optional), else the world's first clan.
fn clan(h: &Handles, body: &Body) -> String {
    body.text("clan").map_or_else(
        || h.world.clash.clans[0].tag.clone(),
        |tag| normalise_tag(&tag),
    )
}

fn stars(body: &Body) -> Result<u32, super::answer::Refusal> {
    let stars = body.number("stars", 3)?;
    u32::try_from(stars)
        .ok()
        .filter(|s| *s <= 3)
        .ok_or_else(|| bad_request("stars must be 0 to 3"))
}

pub(super) fn route(h: &Handles, path: &[&str], body: &Body) -> Answer {
    let clash = &h.clash;
    let known = |tag: &str| clash.clan_tags().iter().any(|t| t == tag);
    match path {
        ["maintenance", switch @ ("start" | "end")] => {
            clash.set_maintenance(*switch == "start");
            Ok(json!({ "maintenance": clash.maintenance() }))
        }
        ["war", rest @ ..] => war(h, rest, body),
        ["league", "round"] => {
            let clan = clan(h, body);
            clash
                .add_league_round(&clan)
                .map(|war_tag| json!({ "clan": clan, "war_tag": war_tag }))
                .ok_or_else(|| {
                    not_found(format!(
                        "clan {clan} has no league group, or every round is drawn"
                    ))
                })
        }
        ["member", "join"] => {
            let clan = clan(h, body);
            let name = body.required("name")?;
            clash
                .member_join(&clan, &name)
                .map(|tag| json!({ "clan": clan, "member": tag }))
                .ok_or_else(|| not_found(format!("no clan {clan}")))
        }
        ["member", "leave"] => {
            let clan = clan(h, body);
            let member = normalise_tag(&body.required("member")?);
            if clash.member_leave(&clan, &member) {
                Ok(json!({ "clan": clan, "member": member }))
            } else {
                Err(not_found(format!("{member} is not in clan {clan}")))
            }
        }
        ["donate"] => {
            let clan = clan(h, body);
            let from = normalise_tag(&body.required("from")?);
            let to = normalise_tag(&body.required("to")?);
            let troops = u32::try_from(body.number("troops", 5)?)
                .map_err(|_| bad_request("troops is too large"))?;
            if clash.donate(&clan, &from, &to, troops) {
                Ok(json!({ "clan": clan, "from": from, "to": to, "troops": troops }))
            } else if known(&clan) {
                Err(not_found(format!(
                    "{from} and {to} must both be members of {clan}"
                )))
            } else {
                Err(not_found(format!("no clan {clan}")))
            }
        }
        ["trophies"] => {
            let player = normalise_tag(&body.required("player")?);
            let trophies = u32::try_from(body.number("trophies", 0)?)
                .map_err(|_| bad_request("trophies is too large"))?;
            if clash.set_trophies(&player, trophies) {
                Ok(json!({ "player": player, "trophies": trophies }))
            } else {
                Err(not_found(format!("no player {player}")))
            }
        }
        ["upgrade"] => {
            let player = normalise_tag(&body.required("player")?);
            let unit = body.required("unit")?;
            clash
                .upgrade_unit(&player, &unit)
                .map(|level| json!({ "player": player, "unit": unit, "level": level }))
                .ok_or_else(|| not_found(format!("{player} has no {unit} below its max level")))
        }
        _ => Err(not_found(format!(
            "no Clash control call {}",
            path.join("/")
        ))),
    }
}

/// `war start|state|attack|defense`.
fn war(h: &Handles, path: &[&str], body: &Body) -> Answer {
    let clash = &h.clash;
    match path {
        ["start"] => {
            let clan = clan(h, body);
            if clash.start_war(&clan) {
                Ok(json!({ "clan": clan, "state": "preparation" }))
            } else {
                Err(not_found(format!("no clan {clan}")))
            }
        }
        ["state"] => {
            let clan = clan(h, body);
            let state = body.required("state")?;
            if !matches!(
                state.as_str(),
                "preparation" | "inWar" | "warEnded" | "notInWar"
            ) {
                return Err(bad_request(
                    "state is preparation, inWar, warEnded or notInWar",
                ));
            }
            if clash.set_war_state(&clan, &state) {
                Ok(json!({ "clan": clan, "state": state }))
            } else {
                Err(not_found(format!("clan {clan} has no war")))
            }
        }
        [side @ ("attack" | "defense")] => {
            let clan = clan(h, body);
            let stars = stars(body)?;
            let attack = if *side == "attack" {
                clash.add_attack(&clan, stars)
            } else {
                clash.add_defense(&clan, stars)
            };
            attack
                .map(|attack| json!({ "clan": clan, "attack": attack }))
                .ok_or_else(|| {
                    not_found(format!(
                        "clan {clan} has no war, or nobody has an attack left"
                    ))
                })
        }
        _ => Err(not_found(format!("no Clash war call {}", path.join("/")))),
    }
}
