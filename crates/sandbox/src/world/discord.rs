//! The Discord part of the world: the bot's token and application, users, and guilds with
//! their roles, channels and members. Snowflakes are strings, as on the wire.

use serde::{Deserialize, Serialize};

use super::{Offset, Secret};

/// Discord: one bot application and the guilds it is in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordWorld {
    /// The bot token clients send (`Authorization: Bot <token>`, IDENTIFY).
    pub token: Secret,
    /// The shard count `GET /gateway/bot` recommends.
    #[serde(default = "one")]
    pub shards: u32,
    /// The application (`GET /oauth2/applications/@me`).
    pub application: DiscordApplication,
    /// The bot user (`GET /users/@me`); a member of every guild.
    pub bot: DiscordUser,
    /// Everybody else.
    #[serde(default)]
    pub users: Vec<DiscordUser>,
    /// The guilds the bot is in.
    #[serde(default)]
    pub guilds: Vec<DiscordGuild>,
}

fn one() -> u32 {
    1
}

/// The bot's application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordApplication {
    /// Application id (the bot user's id for bots made since 2016).
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Icon hash.
    #[serde(default)]
    pub icon: Option<String>,
    /// The owner's user id (one of `users`).
    #[serde(default)]
    pub owner: Option<String>,
}

/// A user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordUser {
    /// Snowflake.
    pub id: String,
    /// Unique username (lowercase, no discriminator).
    pub username: String,
    /// Display name.
    #[serde(default)]
    pub global_name: Option<String>,
    /// Avatar hash.
    #[serde(default)]
    pub avatar: Option<String>,
    /// Presence shown in guilds: `online`, `idle`, `dnd` (none: offline).
    #[serde(default)]
    pub status: Option<String>,
}

/// A guild.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordGuild {
    /// Snowflake; also the id of its `@everyone` role.
    pub id: String,
    /// Name.
    pub name: String,
    /// The owner's user id (default: the first member, else the bot).
    #[serde(default)]
    pub owner: Option<String>,
    /// Icon hash.
    #[serde(default)]
    pub icon: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Guild features (`COMMUNITY`, …).
    #[serde(default)]
    pub features: Vec<String>,
    /// When the bot joined.
    #[serde(default = "joined_default")]
    pub joined: Offset,
    /// `@everyone`'s permissions (a decimal bit set).
    #[serde(default = "everyone_permissions")]
    pub everyone_permissions: String,
    /// Roles besides `@everyone`.
    #[serde(default)]
    pub roles: Vec<DiscordRole>,
    /// Channels, in order.
    #[serde(default)]
    pub channels: Vec<DiscordChannel>,
    /// Members besides the bot (which is in every guild).
    #[serde(default)]
    pub members: Vec<DiscordMember>,
}

fn joined_default() -> Offset {
    Offset::seconds(-30 * 86_400)
}

/// View channels, send messages, read history, and the other defaults Discord gives
/// `@everyone` in a new guild.
fn everyone_permissions() -> String {
    "2248473465835073".to_owned()
}

/// A role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordRole {
    /// Snowflake.
    pub id: String,
    /// Name.
    pub name: String,
    /// RGB colour.
    #[serde(default)]
    pub color: u32,
    /// Permissions, a decimal bit set.
    #[serde(default = "zero")]
    pub permissions: String,
    /// Shown separately in the member list.
    #[serde(default)]
    pub hoist: bool,
    /// Mentionable by everyone.
    #[serde(default)]
    pub mentionable: bool,
}

fn zero() -> String {
    "0".to_owned()
}

/// What a channel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// A text channel (type 0).
    #[default]
    Text,
    /// A voice channel (type 2).
    Voice,
    /// A category (type 4).
    Category,
    /// An announcement channel (type 5).
    Announcement,
    /// A stage channel (type 13).
    Stage,
    /// A forum (type 15).
    Forum,
}

impl ChannelKind {
    /// Discord's channel type number.
    pub fn code(self) -> u8 {
        match self {
            Self::Text => 0,
            Self::Voice => 2,
            Self::Category => 4,
            Self::Announcement => 5,
            Self::Stage => 13,
            Self::Forum => 15,
        }
    }

    /// Voice and stage channels carry `bitrate` and `user_limit`.
    pub fn is_voice(self) -> bool {
        matches!(self, Self::Voice | Self::Stage)
    }
}

/// A channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordChannel {
    /// Snowflake.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind (default `text`).
    #[serde(default)]
    pub kind: ChannelKind,
    /// The category it sits in (a channel id).
    #[serde(default)]
    pub parent: Option<String>,
    /// Topic (text, announcement, forum, stage).
    #[serde(default)]
    pub topic: Option<String>,
    /// Age-restricted.
    #[serde(default)]
    pub nsfw: bool,
    /// Slow mode, seconds.
    #[serde(default)]
    pub rate_limit_per_user: u32,
    /// Voice bitrate in bits/s (voice and stage; default 64000).
    #[serde(default)]
    pub bitrate: Option<u32>,
    /// Voice user limit (voice and stage; 0 = none).
    #[serde(default)]
    pub user_limit: Option<u32>,
}

/// A guild member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordMember {
    /// The user's id (one of `users`).
    pub user: String,
    /// Guild nickname.
    #[serde(default)]
    pub nick: Option<String>,
    /// Role ids.
    #[serde(default)]
    pub roles: Vec<String>,
    /// When they joined.
    #[serde(default = "joined_default")]
    pub joined: Offset,
    /// The voice channel they sit in, if any.
    #[serde(default)]
    pub voice: Option<String>,
}

impl DiscordWorld {
    /// A user by id or username (the bot included).
    pub fn user(&self, key: &str) -> Option<&DiscordUser> {
        std::iter::once(&self.bot)
            .chain(&self.users)
            .find(|u| u.id == key || u.username.eq_ignore_ascii_case(key))
    }

    /// A channel by id or name, with its guild.
    pub fn channel(&self, key: &str) -> Option<(&DiscordGuild, &DiscordChannel)> {
        let key = key.trim_start_matches('#');
        self.guilds.iter().find_map(|guild| {
            guild
                .channels
                .iter()
                .find(|c| c.id == key || c.name.eq_ignore_ascii_case(key))
                .map(|c| (guild, c))
        })
    }

    /// Every reference points at something that exists and every id is a snowflake.
    pub(crate) fn check(&self) -> Result<(), String> {
        let snowflake = |what: &str, id: &str| {
            if id.parse::<u64>().is_ok_and(|n| n > 0) {
                Ok(())
            } else {
                Err(format!("discord: {what} id {id:?} is not a snowflake"))
            }
        };
        snowflake("application", &self.application.id)?;
        snowflake("bot", &self.bot.id)?;
        if self.token.expose().is_empty() {
            return Err("discord: the bot token is empty".to_owned());
        }
        if !(1..=1024).contains(&self.shards) {
            return Err(format!("discord: {} shards is not 1..=1024", self.shards));
        }
        for user in &self.users {
            snowflake("user", &user.id)?;
        }
        let known_user = |id: &str| self.bot.id == id || self.users.iter().any(|u| u.id == id);
        if let Some(owner) = &self.application.owner
            && !known_user(owner)
        {
            return Err(format!("discord: application owner {owner} is not a user"));
        }
        for guild in &self.guilds {
            snowflake("guild", &guild.id)?;
            for role in &guild.roles {
                snowflake("role", &role.id)?;
            }
            for channel in &guild.channels {
                snowflake("channel", &channel.id)?;
                if let Some(parent) = &channel.parent
                    && !guild
                        .channels
                        .iter()
                        .any(|c| &c.id == parent && c.kind == ChannelKind::Category)
                {
                    return Err(format!(
                        "discord: channel {} has parent {parent}, which is no category of guild {}",
                        channel.name, guild.name
                    ));
                }
            }
            for member in &guild.members {
                if !known_user(&member.user) {
                    return Err(format!(
                        "discord: guild {} has member {}, who is not in `users`",
                        guild.name, member.user
                    ));
                }
                if let Some(role) = member
                    .roles
                    .iter()
                    .find(|r| !guild.roles.iter().any(|role| &role.id == *r))
                {
                    return Err(format!(
                        "discord: member {} of guild {} has unknown role {role}",
                        member.user, guild.name
                    ));
                }
                if let Some(voice) = &member.voice
                    && !guild
                        .channels
                        .iter()
                        .any(|c| &c.id == voice && c.kind.is_voice())
                {
                    return Err(format!(
                        "discord: member {} sits in {voice}, which is no voice channel of guild {}",
                        member.user, guild.name
                    ));
                }
            }
            if let Some(owner) = &guild.owner
                && !known_user(owner)
            {
                return Err(format!(
                    "discord: guild {} is owned by {owner}, who is not a user",
                    guild.name
                ));
            }
        }
        Ok(())
    }
}
