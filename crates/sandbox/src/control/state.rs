//! `GET /_sandbox/state`: who is connected to each platform and what they set up, for the
//! CLI's `sandbox state` and a console.

use serde_json::{Value, json};

use crate::standalone::Handles;

pub(super) fn snapshot(h: &Handles) -> Value {
    let discord = &h.discord;
    let chat: Vec<Value> = h
        .twitch
        .chat()
        .sessions()
        .into_iter()
        .map(|(login, anonymous, channels)| {
            json!({ "login": login, "anonymous": anonymous, "channels": channels })
        })
        .collect();
    let helix = h.twitch.helix();
    let eventsub = &h.eventsub;
    let subscriptions: Vec<Value> = eventsub
        .subscriptions()
        .into_iter()
        .map(|s| {
            json!({ "id": s["id"], "type": s["type"], "version": s["version"], "status": s["status"],
                "condition": s["condition"], "transport": s["transport"] })
        })
        .collect();
    let conduits: Vec<Value> = eventsub
        .conduits()
        .into_iter()
        .map(|(id, shard_count, _)| {
            let shards: Vec<Value> = eventsub
                .conduit_shards(&id)
                .into_iter()
                .map(|s| json!({ "id": s.id, "session_id": s.session_id, "status": s.status }))
                .collect();
            json!({ "id": id, "shard_count": shard_count, "shards": shards })
        })
        .collect();
    let clash = &h.clash;
    json!({
        "discord": {
            "connections": discord.connected(),
            "sessions": discord.sessions(),
            "identifies": discord.identifies(),
            "resumes": discord.resumes(),
            "commands": discord.commands().iter().map(|c| json!({ "name": c["name"], "guild_id": c["guild_id"] })).collect::<Vec<_>>(),
            "rate_limit_buckets": discord.rate_limit_buckets(),
            "rate_limited": discord.rate_limited(),
        },
        "twitch": {
            "chat": chat,
            "helix": {
                "served": helix.served(),
                "throttled": helix.throttled(),
                "rate_limit_budgets": helix.budgets().into_iter().map(|(client_id, used, limit, reset_after)| {
                    json!({ "client_id": client_id, "used": used, "limit": limit, "reset_after": reset_after })
                }).collect::<Vec<_>>(),
            },
        },
        "eventsub": {
            "sessions": eventsub.sessions(),
            "subscriptions": subscriptions,
            "conduits": conduits,
            "delivered": eventsub.delivered(),
        },
        "clash": {
            "maintenance": clash.maintenance(),
            "keys": clash.keys().len(),
            "throttled": clash.throttled(),
        },
        "singyeong": { "clients": super::singyeong::clients(h) },
    })
}
