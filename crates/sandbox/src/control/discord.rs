//! Discord control calls: a member's message, a slash command, a button click, a modal
//! submit, a raw dispatch, and the gateway faults (reconnect request, invalid session,
//! disconnect).

use serde_json::json;

use super::answer::{Answer, Body, Refusal, bad_request, delivered, not_found};
use crate::discord::{InjectError, SlashCommand};
use crate::standalone::Handles;

fn refusal(error: &InjectError) -> Refusal {
    match error {
        InjectError::BadOption(_) => bad_request(error.to_string()),
        _ => not_found(error.to_string()),
    }
}

fn nobody() -> String {
    "no gateway session received it (is the bot connected, with the intents for it?)".to_owned()
}

/// `shard` from the body; `None` means every shard.
fn shard(body: &Body) -> Result<Option<u32>, Refusal> {
    if body.value("shard").is_none() {
        return Ok(None);
    }
    let shard = body.number("shard", 0)?;
    u32::try_from(shard)
        .map(Some)
        .map_err(|_| bad_request("shard is too large"))
}

pub(super) fn route(h: &Handles, path: &[&str], body: &Body) -> Answer {
    let discord = &h.discord;
    match path {
        ["message"] => {
            let channel = body.required("channel")?;
            let text = body.required("text")?;
            let user = body.text("as").unwrap_or_default();
            let user = if user.is_empty() {
                first_member(h).ok_or_else(|| not_found("the world has no Discord users"))?
            } else {
                user
            };
            let (message, sent) = discord
                .message_as(&channel, &user, &text)
                .map_err(|e| refusal(&e))?;
            delivered(sent, nobody, json!({ "message_id": message["id"] }))
        }
        ["command"] => {
            let mut command = SlashCommand::new(body.required("name")?);
            command.options = body.pairs("options")?;
            command.guild = body.text("guild");
            command.channel = body.text("channel");
            command.user = body.text("as");
            let (interaction, sent) = discord.slash_command(&command).map_err(|e| refusal(&e))?;
            delivered(sent, nobody, json!({ "interaction_id": interaction["id"] }))
        }
        ["button"] => {
            let custom_id = body.required("custom_id")?;
            let (interaction, sent) = discord
                .button_click(
                    &custom_id,
                    body.text("channel").as_deref(),
                    body.text("as").as_deref(),
                )
                .map_err(|e| refusal(&e))?;
            delivered(sent, nobody, json!({ "interaction_id": interaction["id"] }))
        }
        ["modal"] => {
            let custom_id = body.required("custom_id")?;
            let fields = body.pairs("fields")?;
            let (interaction, sent) = discord
                .modal_submit(
                    &custom_id,
                    &fields,
                    body.text("channel").as_deref(),
                    body.text("as").as_deref(),
                )
                .map_err(|e| refusal(&e))?;
            delivered(sent, nobody, json!({ "interaction_id": interaction["id"] }))
        }
        ["dispatch"] => {
            let event = body.required("event")?;
            let data = body.value("data").cloned().unwrap_or_else(|| json!({}));
            let shard = shard(body)?;
            let open = discord.live_sessions(shard);
            discord.dispatch(shard, &event, &data);
            delivered(open, nobody, json!({}))
        }
        ["reconnect"] => {
            let shard = shard(body)?;
            let open = discord.live_sessions(shard);
            discord.request_reconnect(shard);
            delivered(
                open,
                || "no gateway session is connected".to_owned(),
                json!({}),
            )
        }
        ["invalidate"] => {
            let shard = shard(body)?;
            let open = discord.live_sessions(shard);
            discord.invalidate_session(shard, body.flag("resumable"));
            delivered(
                open,
                || "no gateway session is connected".to_owned(),
                json!({}),
            )
        }
        ["disconnect"] => disconnect(h, body),
        _ => Err(not_found(format!(
            "no Discord control call {}",
            path.join("/")
        ))),
    }
}

/// Closes a shard's connections, resumably (4000) or not (4009, session forgotten).
pub(super) fn disconnect(h: &Handles, body: &Body) -> Answer {
    let resumable = body.flag("resumable");
    let closed = h.discord.disconnect(shard(body)?, resumable);
    delivered(
        closed,
        || "no gateway session is connected".to_owned(),
        json!({ "resumable": resumable }),
    )
}

/// The first Discord user of the world who is not the bot.
fn first_member(h: &Handles) -> Option<String> {
    h.world.discord.users.first().map(|u| u.id.clone())
}
