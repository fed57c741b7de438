//! Users: the bot itself, users by id (as seen in the guilds' member lists), and DMs.

use serde_json::{Value, json};

use super::answer::{Answer, ok, parse_id, unknown};
use crate::discord::state::{State, id_of};

/// `GET /users/@me`.
pub(super) fn me(state: &State) -> Answer {
    ok(state.data().user.clone())
}

/// `GET /users/{id}`: any member of a guild the bot is in.
pub(super) fn by_id(state: &State, id: &str) -> Answer {
    let data = state.data();
    let id = parse_id(id).unwrap_or_default();
    data.guilds
        .values()
        .flat_map(|g| g["members"].as_array().into_iter().flatten())
        .map(|m| &m["user"])
        .find(|u| id_of(u) == id)
        .cloned()
        .map_or_else(|| unknown("User", 10013), ok)
}

/// `POST /users/@me/channels`: opens a DM channel with `recipient_id`.
pub(super) fn create_dm(state: &State, body: &Value) -> Answer {
    let mut data = state.data();
    let id = data.next_id();
    let recipient_id = body["recipient_id"]
        .as_str()
        .and_then(parse_id)
        .unwrap_or_default();
    // The recipient as the guilds know them, else a user with every always-present field.
    let recipient = data
        .guilds
        .values()
        .flat_map(|g| g["members"].as_array().into_iter().flatten())
        .map(|m| &m["user"])
        .find(|u| id_of(u) == recipient_id)
        .cloned()
        .unwrap_or_else(|| {
            json!({
                "id": recipient_id.to_string(), "username": "someone", "discriminator": "0",
                "global_name": null, "avatar": null, "public_flags": 0, "flags": 0,
                "primary_guild": null,
            })
        });
    let channel = json!({"id": id.to_string(), "type": 1, "flags": 0, "last_message_id": null, "recipients": [recipient]});
    data.channels.insert(id, channel.clone());
    ok(channel)
}
