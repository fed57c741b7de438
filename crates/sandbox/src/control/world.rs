//! `GET /_sandbox/world`: the names in the world a control call takes (Discord guilds,
//! channels and users, Twitch users and channels, Clash clans and players, the EventSub
//! types a trigger delivers), for the console's suggestions. No credentials: those are
//! `GET /_sandbox/credentials`.

use serde_json::{Value, json};

use crate::standalone::Handles;

pub(super) fn summary(h: &Handles) -> Value {
    let world = &h.world;
    let discord = &world.discord;
    let twitch = &world.twitch;
    json!({
        "discord": {
            "bot": { "id": discord.bot.id, "username": discord.bot.username },
            "users": discord.users.iter().map(|u| json!({ "id": u.id, "username": u.username })).collect::<Vec<_>>(),
            "guilds": discord.guilds.iter().map(|g| json!({
                "id": g.id, "name": g.name,
                "channels": g.channels.iter().map(|c| json!({ "id": c.id, "name": c.name, "kind": c.kind })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "shards": discord.shards,
        },
        "twitch": {
            "users": twitch.users.iter().map(|u| json!({ "id": u.id, "login": u.login, "display_name": u.display_name() })).collect::<Vec<_>>(),
            "channels": twitch.channels.iter().map(|c| {
                let login = twitch.user(&c.broadcaster).map_or(c.broadcaster.as_str(), |u| u.login.as_str());
                json!({ "broadcaster": login, "title": c.title })
            }).collect::<Vec<_>>(),
        },
        "eventsub": {
            "types": h.eventsub.trigger_types().into_iter().map(|(kind, versions)| json!({ "type": kind, "versions": versions })).collect::<Vec<_>>(),
        },
        "clash": {
            "clans": world.clash.clans.iter().map(|c| json!({
                "tag": c.tag, "name": c.name,
                "members": c.members.iter().map(|p| json!({ "tag": p.tag, "name": p.name })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
    })
}
