//! The objects the Discord sandbox serves, made from a [`DiscordWorld`]: the bot user, its
//! application and every guild (roles, channels, members, presences, voice states) in the
//! shape GUILD_CREATE and the REST API send them, with every field Discord documents as
//! always present (nullable ones as `null`).

use std::fmt::Write as _;
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::timestamp;
use crate::world::{DiscordChannel, DiscordGuild, DiscordUser, DiscordWorld};

/// `{user, application, guilds}`, the shape of `fixtures/discord/sandbox-state.json`.
pub(crate) fn state(world: &DiscordWorld) -> Value {
    let bot = user(&world.bot, true);
    let owner = world
        .application
        .owner
        .as_deref()
        .and_then(|id| world.user(id))
        .map_or_else(|| bot.clone(), |u| user(u, false));
    let mut application = application(
        &world.application.id,
        &world.application.name,
        &world.application.description,
        world.application.icon.as_deref(),
        &owner,
    );
    application["approximate_guild_count"] = Value::from(world.guilds.len());
    // Required by the published OpenAPI description (`PrivateApplicationResponse`).
    application["flags_new"] = Value::from(application["flags"].to_string());
    application["approximate_user_install_count"] = Value::from(0);
    application["approximate_user_authorization_count"] = Value::from(0);
    application["explicit_content_filter"] = Value::from(0);
    application["eligible_oauth2_scopes"] = json!(["bot", "applications.commands"]);
    application["bot"] = bot.clone();
    let mut me = bot;
    complete_current_user(&mut me);
    let guilds: Vec<Value> = world.guilds.iter().map(|g| guild(world, g)).collect();
    json!({ "user": me, "application": application, "guilds": guilds })
}

/// Gives the bot's own user object (READY's `user`, `GET /users/@me`) every field Discord
/// always sends for the current user, keeping any already there: the user fields
/// ([`user`]'s) and `mfa_enabled`, `locale`, `verified`, `email` (clients such as
/// twilight-model refuse a READY without `mfa_enabled`).
pub(crate) fn complete_current_user(me: &mut Value) {
    let Some(fields) = me.as_object_mut() else {
        return;
    };
    for (key, value) in [
        ("flags", Value::from(0)),
        ("public_flags", Value::from(0)),
        ("banner", Value::Null),
        ("accent_color", Value::Null),
        ("avatar_decoration_data", Value::Null),
        ("primary_guild", Value::Null),
        ("mfa_enabled", Value::from(false)),
        ("locale", Value::from("en-US")),
        ("verified", Value::from(true)),
        ("email", Value::Null),
    ] {
        fields.entry(key).or_insert(value);
    }
}

/// A user object (`bot` marks the bot account).
pub(crate) fn user(user: &DiscordUser, bot: bool) -> Value {
    let mut value = json!({
        "id": user.id, "username": user.username, "discriminator": "0",
        "global_name": user.global_name, "avatar": user.avatar, "bot": bot,
        "public_flags": 0, "flags": 0, "banner": null, "accent_color": null,
        "avatar_decoration_data": null,
    });
    // Required (nullable) in the published OpenAPI description (`UserResponse`).
    value["primary_guild"] = Value::Null;
    value
}

/// `GET /oauth2/applications/@me`: an application with the fields clients read at login
/// (`icon`, `bot_public`, `bot_require_code_grant`, `verify_key`, `flags`, `owner`, `team`).
pub(crate) fn application(
    id: &str,
    name: &str,
    description: &str,
    icon: Option<&str>,
    owner: &Value,
) -> Value {
    json!({
        "id": id, "name": name, "icon": icon, "description": description, "summary": "",
        "type": null, "hook": true, "bot_public": true, "bot_require_code_grant": false,
        "verify_key": verify_key(id),
        // GATEWAY_PRESENCE_LIMITED | GATEWAY_GUILD_MEMBERS_LIMITED |
        // GATEWAY_MESSAGE_CONTENT_LIMITED: the privileged intents are on, as for a bot
        // under 100 guilds that enabled them.
        "flags": 565_248, "owner": owner, "team": null, "redirect_uris": [],
        "interactions_endpoint_url": null, "role_connections_verification_url": null,
        "approximate_guild_count": 0, "integration_types_config": { "0": {} },
    })
}

/// A stable 64-hex-digit Ed25519-looking public key for an application id (Discord's
/// `verify_key` checks interaction signatures; the sandbox signs nothing, but clients read it).
fn verify_key(id: &str) -> String {
    let mut x: u64 = id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let mut key = String::with_capacity(64);
    for _ in 0..4 {
        // splitmix64: well spread digits from one seed.
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        let _ = write!(key, "{:016x}", z ^ (z >> 31));
    }
    key
}

fn guild(world: &DiscordWorld, guild: &DiscordGuild) -> Value {
    let everyone = json!({
        "id": guild.id, "name": "@everyone", "permissions": guild.everyone_permissions,
        "position": 0, "color": 0, "hoist": false, "managed": false, "mentionable": false,
        "icon": null, "unicode_emoji": null, "flags": 0,
        "colors": { "primary_color": 0, "secondary_color": null, "tertiary_color": null },
    });
    let roles: Vec<Value> = std::iter::once(everyone)
        .chain(guild.roles.iter().enumerate().map(|(index, role)| {
            json!({
                "id": role.id, "name": role.name, "permissions": role.permissions,
                "position": index + 1, "color": role.color, "hoist": role.hoist, "managed": false,
                "mentionable": role.mentionable, "icon": null, "unicode_emoji": null, "flags": 0,
                "colors": { "primary_color": role.color, "secondary_color": null, "tertiary_color": null },
            })
        }))
        .collect();
    let channels: Vec<Value> = guild
        .channels
        .iter()
        .enumerate()
        .map(|(index, c)| channel(&guild.id, c, index))
        .collect();
    let now = SystemTime::now();
    let bot_member = member(&user(&world.bot, true), None, &[], guild.joined.from(now));
    let members: Vec<Value> = std::iter::once(bot_member)
        .chain(guild.members.iter().filter_map(|m| {
            let u = world.user(&m.user)?;
            Some(member(
                &user(u, false),
                m.nick.as_deref(),
                &m.roles,
                m.joined.from(now),
            ))
        }))
        .collect();
    let presences: Vec<Value> = std::iter::once(&world.bot)
        .chain(guild.members.iter().filter_map(|m| world.user(&m.user)))
        .filter_map(|u| {
            let status = u.status.as_deref()?;
            Some(json!({
                "user": { "id": u.id }, "status": status, "activities": [],
                "client_status": { "desktop": status },
            }))
        })
        .collect();
    let voice_states: Vec<Value> = guild
        .members
        .iter()
        .filter_map(|m| {
            let channel = m.voice.as_ref()?;
            Some(json!({
                "user_id": m.user, "channel_id": channel,
                "session_id": format!("{:032x}", u128::from(m.user.parse::<u64>().unwrap_or(0)) * 0x9e37_79b9),
                "deaf": false, "mute": false, "self_deaf": false, "self_mute": false,
                "self_stream": false, "self_video": false, "suppress": false,
                "request_to_speak_timestamp": null,
            }))
        })
        .collect();
    let owner = guild
        .owner
        .clone()
        .or_else(|| guild.members.first().map(|m| m.user.clone()))
        .unwrap_or_else(|| world.bot.id.clone());
    let first_text = guild
        .channels
        .iter()
        .find(|c| c.kind.code() == 0)
        .map(|c| c.id.clone());
    let mut value = json!({
        "id": guild.id, "name": guild.name, "icon": guild.icon, "icon_hash": guild.icon,
        "splash": null, "discovery_splash": null, "banner": null,
        "description": guild.description, "owner_id": owner, "region": "deprecated",
        "afk_channel_id": null, "afk_timeout": 300, "widget_enabled": false,
        "widget_channel_id": null, "verification_level": 1,
        "default_message_notifications": 1, "explicit_content_filter": 2,
        "roles": roles, "emojis": [], "features": guild.features, "mfa_level": 0,
        "application_id": null, "system_channel_id": first_text, "system_channel_flags": 0,
        "rules_channel_id": null, "vanity_url_code": null, "premium_tier": 0,
        "premium_subscription_count": 0, "preferred_locale": "en-US",
        "public_updates_channel_id": null, "max_members": 500_000,
        "max_video_channel_users": 25, "max_stage_video_channel_users": 50,
    });
    // GUILD_CREATE's extra fields, in a second object (one `json!` this big overflows
    // the macro's recursion limit).
    let extra = json!({
        "home_header": null, "max_presences": null,
        "nsfw_level": 0, "nsfw": false, "stickers": [], "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null, "incidents_data": null, "lazy": true,
        "joined_at": timestamp::discord(guild.joined.from(now)),
        "large": false, "unavailable": false, "member_count": members.len(),
        "voice_states": voice_states, "members": members, "channels": channels,
        "threads": [], "presences": presences, "stage_instances": [],
        "guild_scheduled_events": [], "soundboard_sounds": [],
    });
    if let (Some(value), Value::Object(extra)) = (value.as_object_mut(), extra) {
        value.extend(extra);
    }
    value
}

fn member(user: &Value, nick: Option<&str>, roles: &[String], joined: SystemTime) -> Value {
    json!({
        "user": user, "nick": nick, "avatar": null, "banner": null, "roles": roles,
        "joined_at": timestamp::discord(joined), "premium_since": null, "deaf": false,
        "mute": false, "flags": 0, "pending": false, "communication_disabled_until": null,
    })
}

/// A guild channel with the fields of its kind: voice and stage channels carry `bitrate`,
/// `user_limit` and `rtc_region`; forums their tag and layout fields.
fn channel(guild_id: &str, channel: &DiscordChannel, position: usize) -> Value {
    let mut value = json!({
        "id": channel.id, "type": channel.kind.code(), "guild_id": guild_id,
        "position": position, "permission_overwrites": [], "name": channel.name,
        "nsfw": channel.nsfw, "parent_id": channel.parent, "flags": 0,
    });
    let kind = channel.kind.code();
    if kind != 4 {
        value["last_message_id"] = Value::Null;
        value["rate_limit_per_user"] = Value::from(channel.rate_limit_per_user);
    }
    if matches!(kind, 0 | 5 | 13 | 15) {
        value["topic"] = Value::from(channel.topic.clone());
    }
    if matches!(kind, 0 | 5) {
        value["last_pin_timestamp"] = Value::Null;
        value["default_auto_archive_duration"] = Value::from(1440);
    }
    if channel.kind.is_voice() {
        value["bitrate"] = Value::from(channel.bitrate.unwrap_or(64_000));
        value["user_limit"] = Value::from(channel.user_limit.unwrap_or(0));
        value["rtc_region"] = Value::Null;
        value["video_quality_mode"] = Value::from(1);
    }
    if kind == 15 {
        value["available_tags"] = json!([]);
        value["default_reaction_emoji"] = Value::Null;
        value["default_sort_order"] = Value::Null;
        value["default_forum_layout"] = Value::from(0);
        value["default_thread_rate_limit_per_user"] = Value::from(0);
    }
    value
}

#[cfg(test)]
mod tests {
    use crate::world::World;

    #[test]
    fn the_world_becomes_guilds_with_every_documented_field() {
        let world = World::default();
        let state = super::state(&world.discord);
        assert_eq!(state["user"]["id"], world.discord.bot.id.as_str());
        let application = &state["application"];
        for field in [
            "icon",
            "bot_require_code_grant",
            "verify_key",
            "team",
            "flags",
        ] {
            assert!(application.get(field).is_some(), "application.{field}");
        }
        assert_eq!(application["verify_key"].as_str().map(str::len), Some(64));
        let guild = &state["guilds"][0];
        let voice = guild["channels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["type"] == 2)
            .expect("a voice channel");
        assert_eq!(voice["bitrate"], 64_000);
        assert_eq!(voice["user_limit"], 10);
        assert!(voice.get("rtc_region").is_some());
        // The bot is a member, and so is everyone the world lists.
        let members = guild["members"].as_array().unwrap();
        assert_eq!(members.len(), 1 + world.discord.guilds[0].members.len());
        assert_eq!(members[0]["user"]["bot"], true);
        assert_eq!(guild["voice_states"].as_array().unwrap().len(), 1);
        assert_eq!(
            guild["roles"][0]["id"], guild["id"],
            "@everyone has the guild's id"
        );
    }

    #[test]
    fn the_fixture_world_carries_them_too() {
        let fixture: serde_json::Value =
            serde_json::from_str(crate::discord::state::STATE_FIXTURE).unwrap();
        for field in ["icon", "bot_require_code_grant", "verify_key", "team"] {
            assert!(
                fixture["application"].get(field).is_some(),
                "application.{field}"
            );
        }
        for channel in fixture["guilds"][0]["channels"].as_array().unwrap() {
            if channel["type"] == 2 || channel["type"] == 13 {
                assert!(
                    channel["bitrate"].is_u64() && channel["user_limit"].is_u64(),
                    "{channel}"
                );
            }
        }
    }
}
