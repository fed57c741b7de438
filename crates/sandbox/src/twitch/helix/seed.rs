//! Seeding Helix and OAuth from a [`TwitchWorld`]: the app, every user with their token
//! (and refresh token) and scopes, their channels, live streams, follows, subscriptions,
//! moderators and VIPs.

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use tokio::time::Instant;

use super::{HelixControl, TokenRecord};
use crate::timestamp;
use crate::world::{TwitchUser, TwitchWorld};

/// How long seeded user tokens stay valid: as long as Twitch's implicit-grant tokens
/// (about 60 days), so a development session never meets an expiry it did not ask for.
pub(crate) const SEEDED_TOKEN_LIFETIME: Duration = Duration::from_hours(60 * 24);

/// A user as `GET /users` shows it.
pub(crate) fn user_json(user: &TwitchUser, now: SystemTime) -> Value {
    json!({
        "id": user.id, "login": user.login, "display_name": user.display_name(),
        "type": user.kind, "broadcaster_type": user.broadcaster_type,
        "description": user.description,
        "profile_image_url": format!("https://static-cdn.jtvnw.net/user-default-pictures-uv/{}-profile_image-300x300.png", user.id),
        "offline_image_url": "", "view_count": 0,
        "created_at": timestamp::rfc3339(user.created.from(now), false),
    })
}

impl HelixControl {
    /// Registers the app, every user of `world` with their token and scopes, and their
    /// channels (title, category, tags, live stream, followers, subscribers, moderators,
    /// VIPs).
    pub(crate) fn seed(&self, world: &TwitchWorld) {
        self.add_client(&world.client_id, world.client_secret.expose());
        let now = SystemTime::now();
        {
            let mut inner = self.state.lock();
            for user in &world.users {
                inner.users.push(user_json(user, now));
                inner.channels.insert(
                    user.id.clone(),
                    json!({
                        "broadcaster_id": user.id, "broadcaster_login": user.login,
                        "broadcaster_name": user.display_name(), "broadcaster_language": "en",
                        "game_id": "", "game_name": "", "title": "", "delay": 0, "tags": [],
                        "content_classification_labels": [], "is_branded_content": false,
                    }),
                );
                let record = TokenRecord {
                    client_id: world.client_id.clone(),
                    login: Some(user.login.clone()),
                    user_id: Some(user.id.clone()),
                    scopes: user.scopes.clone(),
                    expires_at: Instant::now() + SEEDED_TOKEN_LIFETIME,
                };
                if let Some(refresh) = &user.refresh_token {
                    inner
                        .refresh_tokens
                        .insert(refresh.expose().to_owned(), record.clone());
                }
                inner.tokens.insert(user.token.expose().to_owned(), record);
            }
            for channel in &world.channels {
                let Some(owner) = world.user(&channel.broadcaster) else {
                    continue;
                };
                if let Some(entry) = inner.channels.get_mut(&owner.id) {
                    entry["title"] = json!(channel.title);
                    entry["game_id"] = json!(channel.game_id);
                    entry["game_name"] = json!(channel.game_name);
                    entry["tags"] = json!(channel.tags);
                    entry["broadcaster_language"] = json!(channel.language);
                }
                if !inner
                    .games
                    .iter()
                    .any(|g| g["id"] == channel.game_id.as_str())
                {
                    inner.games.push(json!({
                        "id": channel.game_id, "name": channel.game_name,
                        "box_art_url": format!("https://static-cdn.jtvnw.net/ttv-boxart/{}-{{width}}x{{height}}.jpg", channel.game_id),
                        "igdb_id": "",
                    }));
                }
                if let Some(stream) = &channel.stream {
                    let id = inner.new_id();
                    inner.streams.insert(
                        0,
                        json!({
                            "id": id, "user_id": owner.id, "user_login": owner.login,
                            "user_name": owner.display_name(), "game_id": channel.game_id,
                            "game_name": channel.game_name, "type": "live", "title": channel.title,
                            "viewer_count": stream.viewer_count,
                            "started_at": timestamp::rfc3339(stream.started.from(now), false),
                            "language": channel.language,
                            "thumbnail_url": format!("https://static-cdn.jtvnw.net/previews-ttv/live_user_{}-{{width}}x{{height}}.jpg", owner.login),
                            "tag_ids": [], "tags": channel.tags, "is_mature": false,
                        }),
                    );
                }
            }
        }
        for channel in &world.channels {
            let Some(owner) = world.user(&channel.broadcaster) else {
                continue;
            };
            let id_of = |login: &String| world.user(login).map(|u| u.id.clone());
            for follower in channel.followers.iter().filter_map(id_of) {
                self.add_follow(&follower, &owner.id);
            }
            for subscriber in channel.subscribers.iter().filter_map(id_of) {
                self.add_subscription(&subscriber, &owner.id, "1000");
            }
            for moderator in channel.moderators.iter().filter_map(id_of) {
                self.add_moderator(&owner.id, &moderator);
            }
            for vip in channel.vips.iter().filter_map(id_of) {
                self.add_vip(&owner.id, &vip);
            }
        }
    }
}
