//! [`Route`]: every REST endpoint the client calls, twilight-style. Each variant has its
//! method (one match) and its resource (another): the path template, the path with its
//! ids filled in and the major parameter, side by side in one arm, so the path and the
//! rate-limit route key (method, template, major) come from one definition and a test
//! checks they agree for every variant.
//!
//! The route key is what the [`BucketLimiter`](core_ratelimit::BucketLimiter) limits by
//! until Discord names the route's bucket (`X-RateLimit-Bucket`): the template is the path
//! with every id written `{id}` (an emoji `{emoji}`, a token `{token}`), and the major
//! parameter is the channel, guild, webhook or interaction the path starts with (for guild
//! commands, the guild). Routes without one (`/users/…`, `/gateway/bot`,
//! `/stage-instances/…`) share their template's limit across ids.

use core_ratelimit::RouteKey;
use transport_http::Method;

use crate::model::{
    ApplicationMarker, ChannelMarker, CommandMarker, GuildMarker, Id, InteractionMarker,
    MessageMarker, RoleMarker, UserMarker, WebhookMarker,
};

type Channel = Id<ChannelMarker>;
type Message = Id<MessageMarker>;
type Guild = Id<GuildMarker>;
type User = Id<UserMarker>;
type Application = Id<ApplicationMarker>;

/// A REST endpoint with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route<'a> {
    GetGatewayBot,
    GetCurrentUser,
    GetUser {
        user: User,
    },
    CreateDm,
    GetCurrentApplication,

    GetChannel {
        channel: Channel,
    },
    UpdateChannel {
        channel: Channel,
    },
    DeleteChannel {
        channel: Channel,
    },

    GetMessages {
        channel: Channel,
    },
    CreateMessage {
        channel: Channel,
    },
    GetMessage {
        channel: Channel,
        message: Message,
    },
    UpdateMessage {
        channel: Channel,
        message: Message,
    },
    DeleteMessage {
        channel: Channel,
        message: Message,
    },
    BulkDeleteMessages {
        channel: Channel,
    },

    GetReactions {
        channel: Channel,
        message: Message,
        emoji: &'a str,
    },
    CreateReaction {
        channel: Channel,
        message: Message,
        emoji: &'a str,
    },
    DeleteOwnReaction {
        channel: Channel,
        message: Message,
        emoji: &'a str,
    },
    DeleteUserReaction {
        channel: Channel,
        message: Message,
        emoji: &'a str,
        user: User,
    },
    DeleteEmojiReactions {
        channel: Channel,
        message: Message,
        emoji: &'a str,
    },
    DeleteAllReactions {
        channel: Channel,
        message: Message,
    },

    GetGuild {
        guild: Guild,
    },
    GetGuildChannels {
        guild: Guild,
    },
    GetGuildMembers {
        guild: Guild,
    },
    GetGuildMember {
        guild: Guild,
        user: User,
    },
    RemoveGuildMember {
        guild: Guild,
        user: User,
    },
    GetRoles {
        guild: Guild,
    },
    CreateRole {
        guild: Guild,
    },
    GetRole {
        guild: Guild,
        role: Id<RoleMarker>,
    },
    UpdateRole {
        guild: Guild,
        role: Id<RoleMarker>,
    },
    DeleteRole {
        guild: Guild,
        role: Id<RoleMarker>,
    },
    GetBans {
        guild: Guild,
    },
    CreateBan {
        guild: Guild,
        user: User,
    },
    DeleteBan {
        guild: Guild,
        user: User,
    },

    /// Global commands, or a guild's with `guild`.
    GetCommands {
        application: Application,
        guild: Option<Guild>,
    },
    CreateCommand {
        application: Application,
        guild: Option<Guild>,
    },
    SetCommands {
        application: Application,
        guild: Option<Guild>,
    },
    GetCommand {
        application: Application,
        guild: Option<Guild>,
        command: Id<CommandMarker>,
    },
    UpdateCommand {
        application: Application,
        guild: Option<Guild>,
        command: Id<CommandMarker>,
    },
    DeleteCommand {
        application: Application,
        guild: Option<Guild>,
        command: Id<CommandMarker>,
    },

    InteractionCallback {
        interaction: Id<InteractionMarker>,
        token: &'a str,
    },
    /// Also an interaction's follow-up (the webhook is the application).
    ExecuteWebhook {
        webhook: Id<WebhookMarker>,
        token: &'a str,
    },
    /// `message` is an id or `@original` (an interaction's response).
    UpdateWebhookMessage {
        webhook: Id<WebhookMarker>,
        token: &'a str,
        message: &'a str,
    },
    DeleteWebhookMessage {
        webhook: Id<WebhookMarker>,
        token: &'a str,
        message: &'a str,
    },

    CreateStageInstance,
    GetStageInstance {
        channel: Channel,
    },
    UpdateStageInstance {
        channel: Channel,
    },
    DeleteStageInstance {
        channel: Channel,
    },
}

/// Where a route goes: its path template (as the route key names it), the path with the
/// ids filled in, and the major parameter's id.
struct Resource {
    template: &'static str,
    path: String,
    major: Option<u64>,
}

fn at(template: &'static str, path: String, major: Option<u64>) -> Resource {
    Resource {
        template,
        path,
        major,
    }
}

/// An emoji as a path segment: `name:id` or the unicode character, percent-encoded.
fn emoji_segment(emoji: &str) -> String {
    url::form_urlencoded::byte_serialize(emoji.as_bytes()).collect()
}

/// `…/commands` of an application, global or a guild's, with its template.
fn commands(application: Application, guild: Option<Guild>) -> Resource {
    match guild {
        Some(guild) => at(
            "/applications/{id}/guilds/{id}/commands",
            format!("/applications/{application}/guilds/{guild}/commands"),
            Some(guild.get()),
        ),
        None => at(
            "/applications/{id}/commands",
            format!("/applications/{application}/commands"),
            None,
        ),
    }
}

impl Route<'_> {
    /// The method of each variant.
    fn method(&self) -> Method {
        match self {
            Self::GetGatewayBot
            | Self::GetCurrentUser
            | Self::GetUser { .. }
            | Self::GetCurrentApplication
            | Self::GetChannel { .. }
            | Self::GetMessages { .. }
            | Self::GetMessage { .. }
            | Self::GetReactions { .. }
            | Self::GetGuild { .. }
            | Self::GetGuildChannels { .. }
            | Self::GetGuildMembers { .. }
            | Self::GetGuildMember { .. }
            | Self::GetRoles { .. }
            | Self::GetRole { .. }
            | Self::GetBans { .. }
            | Self::GetCommands { .. }
            | Self::GetCommand { .. }
            | Self::GetStageInstance { .. } => Method::GET,
            Self::CreateDm
            | Self::CreateMessage { .. }
            | Self::BulkDeleteMessages { .. }
            | Self::CreateRole { .. }
            | Self::CreateCommand { .. }
            | Self::InteractionCallback { .. }
            | Self::ExecuteWebhook { .. }
            | Self::CreateStageInstance => Method::POST,
            Self::CreateReaction { .. } | Self::CreateBan { .. } | Self::SetCommands { .. } => {
                Method::PUT
            }
            Self::UpdateChannel { .. }
            | Self::UpdateMessage { .. }
            | Self::UpdateRole { .. }
            | Self::UpdateCommand { .. }
            | Self::UpdateWebhookMessage { .. }
            | Self::UpdateStageInstance { .. } => Method::PATCH,
            // The method is part of the route key: Discord gives deleting a message a
            // bucket of its own, apart from reading or editing one.
            Self::DeleteChannel { .. }
            | Self::DeleteMessage { .. }
            | Self::DeleteOwnReaction { .. }
            | Self::DeleteUserReaction { .. }
            | Self::DeleteEmojiReactions { .. }
            | Self::DeleteAllReactions { .. }
            | Self::RemoveGuildMember { .. }
            | Self::DeleteRole { .. }
            | Self::DeleteBan { .. }
            | Self::DeleteCommand { .. }
            | Self::DeleteWebhookMessage { .. }
            | Self::DeleteStageInstance { .. } => Method::DELETE,
        }
    }

    /// The path of each variant: template, filled in, and major parameter. Variants on the
    /// same path share an arm.
    #[allow(
        clippy::too_many_lines,
        reason = "one arm per path, like the API reference"
    )]
    fn resource(&self) -> Resource {
        let (c, g) = (|c: Channel| Some(c.get()), |g: Guild| Some(g.get()));
        match *self {
            Self::GetGatewayBot => at("/gateway/bot", "/gateway/bot".into(), None),
            Self::GetCurrentUser => at("/users/@me", "/users/@me".into(), None),
            Self::GetUser { user } => at("/users/{id}", format!("/users/{user}"), None),
            Self::CreateDm => at("/users/@me/channels", "/users/@me/channels".into(), None),
            Self::GetCurrentApplication => at(
                "/oauth2/applications/@me",
                "/oauth2/applications/@me".into(),
                None,
            ),

            Self::GetChannel { channel }
            | Self::UpdateChannel { channel }
            | Self::DeleteChannel { channel } => {
                at("/channels/{id}", format!("/channels/{channel}"), c(channel))
            }
            Self::GetMessages { channel } | Self::CreateMessage { channel } => at(
                "/channels/{id}/messages",
                format!("/channels/{channel}/messages"),
                c(channel),
            ),
            Self::GetMessage { channel, message }
            | Self::UpdateMessage { channel, message }
            | Self::DeleteMessage { channel, message } => at(
                "/channels/{id}/messages/{id}",
                format!("/channels/{channel}/messages/{message}"),
                c(channel),
            ),
            Self::BulkDeleteMessages { channel } => at(
                "/channels/{id}/messages/bulk-delete",
                format!("/channels/{channel}/messages/bulk-delete"),
                c(channel),
            ),

            Self::GetReactions {
                channel,
                message,
                emoji,
            }
            | Self::DeleteEmojiReactions {
                channel,
                message,
                emoji,
            } => at(
                "/channels/{id}/messages/{id}/reactions/{emoji}",
                format!(
                    "/channels/{channel}/messages/{message}/reactions/{}",
                    emoji_segment(emoji)
                ),
                c(channel),
            ),
            Self::CreateReaction {
                channel,
                message,
                emoji,
            }
            | Self::DeleteOwnReaction {
                channel,
                message,
                emoji,
            } => at(
                "/channels/{id}/messages/{id}/reactions/{emoji}/@me",
                format!(
                    "/channels/{channel}/messages/{message}/reactions/{}/@me",
                    emoji_segment(emoji)
                ),
                c(channel),
            ),
            Self::DeleteUserReaction {
                channel,
                message,
                emoji,
                user,
            } => at(
                "/channels/{id}/messages/{id}/reactions/{emoji}/{id}",
                format!(
                    "/channels/{channel}/messages/{message}/reactions/{}/{user}",
                    emoji_segment(emoji)
                ),
                c(channel),
            ),
            Self::DeleteAllReactions { channel, message } => at(
                "/channels/{id}/messages/{id}/reactions",
                format!("/channels/{channel}/messages/{message}/reactions"),
                c(channel),
            ),

            Self::GetGuild { guild } => at("/guilds/{id}", format!("/guilds/{guild}"), g(guild)),
            Self::GetGuildChannels { guild } => at(
                "/guilds/{id}/channels",
                format!("/guilds/{guild}/channels"),
                g(guild),
            ),
            Self::GetGuildMembers { guild } => at(
                "/guilds/{id}/members",
                format!("/guilds/{guild}/members"),
                g(guild),
            ),
            Self::GetGuildMember { guild, user } | Self::RemoveGuildMember { guild, user } => at(
                "/guilds/{id}/members/{id}",
                format!("/guilds/{guild}/members/{user}"),
                g(guild),
            ),
            Self::GetRoles { guild } | Self::CreateRole { guild } => at(
                "/guilds/{id}/roles",
                format!("/guilds/{guild}/roles"),
                g(guild),
            ),
            Self::GetRole { guild, role }
            | Self::UpdateRole { guild, role }
            | Self::DeleteRole { guild, role } => at(
                "/guilds/{id}/roles/{id}",
                format!("/guilds/{guild}/roles/{role}"),
                g(guild),
            ),
            Self::GetBans { guild } => at(
                "/guilds/{id}/bans",
                format!("/guilds/{guild}/bans"),
                g(guild),
            ),
            Self::CreateBan { guild, user } | Self::DeleteBan { guild, user } => at(
                "/guilds/{id}/bans/{id}",
                format!("/guilds/{guild}/bans/{user}"),
                g(guild),
            ),

            Self::GetCommands { application, guild }
            | Self::CreateCommand { application, guild }
            | Self::SetCommands { application, guild } => commands(application, guild),
            Self::GetCommand {
                application,
                guild,
                command,
            }
            | Self::UpdateCommand {
                application,
                guild,
                command,
            }
            | Self::DeleteCommand {
                application,
                guild,
                command,
            } => {
                let all = commands(application, guild);
                let template = if guild.is_some() {
                    "/applications/{id}/guilds/{id}/commands/{id}"
                } else {
                    "/applications/{id}/commands/{id}"
                };
                at(template, format!("{}/{command}", all.path), all.major)
            }

            Self::InteractionCallback { interaction, token } => at(
                "/interactions/{id}/{token}/callback",
                format!("/interactions/{interaction}/{token}/callback"),
                Some(interaction.get()),
            ),
            Self::ExecuteWebhook { webhook, token } => at(
                "/webhooks/{id}/{token}",
                format!("/webhooks/{webhook}/{token}"),
                Some(webhook.get()),
            ),
            Self::UpdateWebhookMessage {
                webhook,
                token,
                message,
            }
            | Self::DeleteWebhookMessage {
                webhook,
                token,
                message,
            } => at(
                "/webhooks/{id}/{token}/messages/{id}",
                format!("/webhooks/{webhook}/{token}/messages/{message}"),
                Some(webhook.get()),
            ),

            Self::CreateStageInstance => at("/stage-instances", "/stage-instances".into(), None),
            Self::GetStageInstance { channel }
            | Self::UpdateStageInstance { channel }
            | Self::DeleteStageInstance { channel } => at(
                "/stage-instances/{id}",
                format!("/stage-instances/{channel}"),
                None,
            ),
        }
    }

    /// Method, path (relative to the API base) and rate-limit route key.
    pub(crate) fn parts(&self) -> (Method, String, RouteKey) {
        let method = self.method();
        let Resource {
            template,
            path,
            major,
        } = self.resource();
        let major = major.map(|id| id.to_string());
        let key = RouteKey::new(&format!("{method} {template}"), major.as_deref());
        (method, path, key)
    }
}

#[cfg(test)]
mod tests;
