//! Twitch control calls: any EventSub trigger; a chat line; and the things viewers do
//! (follow, subscribe, cheer, raid) and streams going on or off the air, each as the
//! EventSub notification plus the chat line where Twitch sends both.

use serde_json::json;

use super::answer::{Answer, Body, bad_request, delivered, not_found};
use crate::standalone::Handles;
use crate::twitch::eventsub::{Trigger, TriggerError};
use crate::world::TwitchUser;

pub(super) async fn route(h: &Handles, path: &[&str], body: &Body) -> Answer {
    match path {
        ["eventsub", "trigger"] => {
            let kind = body
                .text("type")
                .ok_or_else(|| bad_request("type is required (e.g. channel.follow)"))?;
            let mut trigger = Trigger::new(kind);
            trigger.version = body.text("version");
            trigger.broadcaster = body.text("broadcaster").map(|b| user_id(h, &b));
            trigger.user = body.text("user").map(|u| user_id(h, &u));
            trigger.fields = body.value("event").cloned();
            let count = h
                .eventsub
                .trigger(&trigger)
                .await
                .map_err(|e| refusal(&e))?;
            delivered(count, String::new, json!({}))
        }
        ["chat", "say"] => {
            let channel = body.required("channel")?;
            let user = body.required("user")?;
            let text = body.required("text")?;
            let login = user_login(h, &user);
            let count = h.twitch.chat().say_counted(&channel, &login, &text);
            delivered(
                count,
                || {
                    format!(
                        "no chat connection has joined #{}",
                        channel.trim_start_matches('#')
                    )
                },
                json!({}),
            )
        }
        ["chat", "reconnect"] => {
            let chat = h.twitch.chat();
            let open = chat.connected();
            chat.request_reconnect();
            delivered(open, || "no chat connection is open".to_owned(), json!({}))
        }
        ["follow"] => viewer_action(h, body, Action::Follow).await,
        ["subscribe"] => viewer_action(h, body, Action::Subscribe).await,
        ["cheer"] => viewer_action(h, body, Action::Cheer).await,
        ["raid"] => viewer_action(h, body, Action::Raid).await,
        ["stream", "online"] => stream(h, body, true).await,
        ["stream", "offline"] => stream(h, body, false).await,
        _ => Err(not_found(format!(
            "no Twitch control call {}",
            path.join("/")
        ))),
    }
}

fn refusal(error: &TriggerError) -> super::answer::Refusal {
    match error {
        TriggerError::UnknownType { .. } => bad_request(error.to_string()),
        _ => not_found(error.to_string()),
    }
}

/// A world user by id or login.
fn world_user<'a>(h: &'a Handles, key: &str) -> Option<&'a TwitchUser> {
    h.world.twitch.user(key)
}

/// An id for a login (ids pass through).
fn user_id(h: &Handles, key: &str) -> String {
    world_user(h, key).map_or_else(|| key.to_owned(), |u| u.id.clone())
}

/// A login for an id (logins pass through, lowercased).
fn user_login(h: &Handles, key: &str) -> String {
    world_user(h, key).map_or_else(
        || key.trim_start_matches('#').to_lowercase(),
        |u| u.login.clone(),
    )
}

/// `broadcaster` (default: the world's first channel, else the bot) and `user` (default:
/// the viewer).
fn parties<'a>(
    h: &'a Handles,
    body: &Body,
) -> Result<(&'a TwitchUser, &'a TwitchUser), super::answer::Refusal> {
    let twitch = &h.world.twitch;
    let broadcaster = match body.text("broadcaster") {
        Some(key) => {
            world_user(h, &key).ok_or_else(|| not_found(format!("no Twitch user {key:?}")))?
        }
        None => twitch
            .channels
            .first()
            .and_then(|c| twitch.user(&c.broadcaster))
            .or_else(|| twitch.bot())
            .ok_or_else(|| not_found("the world has no Twitch users"))?,
    };
    let user = match body.text("user") {
        Some(key) => {
            world_user(h, &key).ok_or_else(|| not_found(format!("no Twitch user {key:?}")))?
        }
        None => twitch
            .viewer()
            .ok_or_else(|| not_found("the world has no viewer"))?,
    };
    Ok((broadcaster, user))
}

#[derive(Clone, Copy)]
enum Action {
    Follow,
    Subscribe,
    Cheer,
    Raid,
}

/// The EventSub notification (and the chat line Twitch sends with it) for a viewer's act.
async fn viewer_action(h: &Handles, body: &Body, action: Action) -> Answer {
    let (broadcaster, user) = parties(h, body)?;
    let chat = h.twitch.chat();
    let display = user.display_name();
    let (kind, fields, chat_count) = match action {
        Action::Follow => {
            h.twitch.helix().add_follow(&user.id, &broadcaster.id);
            ("channel.follow", json!({}), 0)
        }
        Action::Subscribe => {
            let tier = body.text("tier").unwrap_or_else(|| "1000".to_owned());
            h.twitch
                .helix()
                .add_subscription(&user.id, &broadcaster.id, &tier);
            let level = tier.chars().next().unwrap_or('1');
            let sent = chat.usernotice(
                &broadcaster.login,
                &user.login,
                "sub",
                &[
                    ("cumulative-months", "1".to_owned()),
                    ("months", "0".to_owned()),
                    ("should-share-streak", "0".to_owned()),
                    ("sub-plan", tier.clone()),
                    ("sub-plan-name", "Channel Subscription".to_owned()),
                    ("was-gifted", "false".to_owned()),
                ],
                &format!("{display} subscribed at Tier {level}."),
            );
            (
                "channel.subscribe",
                json!({ "tier": tier, "is_gift": false }),
                sent,
            )
        }
        Action::Cheer => {
            let bits = body.number("bits", 100)?;
            let bits = u32::try_from(bits).map_err(|_| bad_request("bits is too large"))?;
            let text = body
                .text("text")
                .unwrap_or_else(|| format!("Cheer{bits} great stream!"));
            let sent = chat.cheer(&broadcaster.login, &user.login, bits, &text);
            (
                "channel.cheer",
                json!({ "bits": bits, "message": text, "is_anonymous": false }),
                sent,
            )
        }
        Action::Raid => {
            let viewers = body.number("viewers", 10)?;
            let sent = chat.usernotice(
                &broadcaster.login,
                &user.login,
                "raid",
                &[
                    ("displayName", display.to_owned()),
                    ("login", user.login.clone()),
                    ("viewerCount", viewers.to_string()),
                ],
                &format!("{viewers} raiders from {display} have joined!"),
            );
            let fields = json!({
                "from_broadcaster_user_id": user.id, "from_broadcaster_user_login": user.login,
                "from_broadcaster_user_name": display, "viewers": viewers,
            });
            ("channel.raid", fields, sent)
        }
    };
    let trigger = Trigger::new(kind)
        .broadcaster(broadcaster.id.clone())
        .user(user.id.clone())
        .fields(fields);
    let (eventsub, why) = match h.eventsub.trigger(&trigger).await {
        Ok(count) => (count, None),
        Err(error) => (0, Some(error.to_string())),
    };
    delivered(
        eventsub + chat_count,
        || {
            format!(
                "nobody got it: {}{}",
                why.unwrap_or_default(),
                if matches!(action, Action::Follow) {
                    String::new()
                } else {
                    format!(", and no chat connection has joined #{}", broadcaster.login)
                }
            )
        },
        json!({ "eventsub": eventsub, "chat": chat_count }),
    )
}

/// A stream goes on or off the air: Helix's `GET /streams` changes, and `stream.online`
/// or `stream.offline` subscriptions are notified (an action: it succeeds even when
/// nobody is subscribed).
async fn stream(h: &Handles, body: &Body, online: bool) -> Answer {
    let (broadcaster, _) = parties(h, body)?;
    let helix = h.twitch.helix();
    if online {
        if !helix.is_live(&broadcaster.id) {
            helix.go_live(&broadcaster.id);
        }
    } else {
        helix.go_offline(&broadcaster.id);
    }
    let kind = if online {
        "stream.online"
    } else {
        "stream.offline"
    };
    let trigger = Trigger::new(kind).broadcaster(broadcaster.id.clone());
    let eventsub = h.eventsub.trigger(&trigger).await.unwrap_or(0);
    Ok(
        json!({ "delivered": eventsub, "eventsub": eventsub, "live": online, "broadcaster": broadcaster.login }),
    )
}
