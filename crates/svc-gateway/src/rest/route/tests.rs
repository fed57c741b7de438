//! Every variant's path and route key agree: the key's template is the path with its ids
//! (emoji, token) replaced by placeholders, and its major parameter is the id the path
//! names as major, both worked out here from the path alone.

use std::collections::BTreeSet;

use super::*;

const CHANNEL: Channel = Id::new(11);
const MESSAGE: Message = Id::new(12);
const GUILD: Guild = Id::new(13);
const USER: User = Id::new(14);
const APPLICATION: Application = Id::new(15);

/// One sample of every variant (and both forms of those with an optional guild).
#[allow(clippy::too_many_lines, reason = "one line per variant")]
fn samples() -> Vec<Route<'static>> {
    let (channel, message, guild, user, application) = (CHANNEL, MESSAGE, GUILD, USER, APPLICATION);
    let (emoji, custom, token) = ("👍", "blob:123", "aW50ZXJhY3Rpb24");
    let command = Id::new(16);
    let role = Id::new(17);
    let webhook = Id::new(18);
    let mut samples = vec![
        Route::GetGatewayBot,
        Route::GetCurrentUser,
        Route::GetUser { user },
        Route::CreateDm,
        Route::GetCurrentApplication,
        Route::GetChannel { channel },
        Route::UpdateChannel { channel },
        Route::DeleteChannel { channel },
        Route::GetMessages { channel },
        Route::CreateMessage { channel },
        Route::GetMessage { channel, message },
        Route::UpdateMessage { channel, message },
        Route::DeleteMessage { channel, message },
        Route::BulkDeleteMessages { channel },
        Route::GetReactions {
            channel,
            message,
            emoji,
        },
        Route::CreateReaction {
            channel,
            message,
            emoji: custom,
        },
        Route::DeleteOwnReaction {
            channel,
            message,
            emoji,
        },
        Route::DeleteUserReaction {
            channel,
            message,
            emoji: custom,
            user,
        },
        Route::DeleteEmojiReactions {
            channel,
            message,
            emoji,
        },
        Route::DeleteAllReactions { channel, message },
        Route::GetGuild { guild },
        Route::GetGuildChannels { guild },
        Route::GetGuildMembers { guild },
        Route::GetGuildMember { guild, user },
        Route::RemoveGuildMember { guild, user },
        Route::GetRoles { guild },
        Route::CreateRole { guild },
        Route::GetRole { guild, role },
        Route::UpdateRole { guild, role },
        Route::DeleteRole { guild, role },
        Route::GetBans { guild },
        Route::CreateBan { guild, user },
        Route::DeleteBan { guild, user },
        Route::InteractionCallback {
            interaction: Id::new(19),
            token,
        },
        Route::ExecuteWebhook { webhook, token },
        Route::UpdateWebhookMessage {
            webhook,
            token,
            message: "@original",
        },
        Route::DeleteWebhookMessage {
            webhook,
            token,
            message: "20",
        },
        Route::CreateStageInstance,
        Route::GetStageInstance { channel },
        Route::UpdateStageInstance { channel },
        Route::DeleteStageInstance { channel },
    ];
    for guild in [None, Some(guild)] {
        samples.extend([
            Route::GetCommands { application, guild },
            Route::CreateCommand { application, guild },
            Route::SetCommands { application, guild },
            Route::GetCommand {
                application,
                guild,
                command,
            },
            Route::UpdateCommand {
                application,
                guild,
                command,
            },
            Route::DeleteCommand {
                application,
                guild,
                command,
            },
        ]);
    }
    samples
}

/// The variant's position in the enum: exhaustive, so a new variant does not compile
/// until it has a number here; [`VARIANTS`] and a sample in `samples` go with it.
fn variant(route: &Route<'_>) -> usize {
    match route {
        Route::GetGatewayBot => 0,
        Route::GetCurrentUser => 1,
        Route::GetUser { .. } => 2,
        Route::CreateDm => 3,
        Route::GetCurrentApplication => 4,
        Route::GetChannel { .. } => 5,
        Route::UpdateChannel { .. } => 6,
        Route::DeleteChannel { .. } => 7,
        Route::GetMessages { .. } => 8,
        Route::CreateMessage { .. } => 9,
        Route::GetMessage { .. } => 10,
        Route::UpdateMessage { .. } => 11,
        Route::DeleteMessage { .. } => 12,
        Route::BulkDeleteMessages { .. } => 13,
        Route::GetReactions { .. } => 14,
        Route::CreateReaction { .. } => 15,
        Route::DeleteOwnReaction { .. } => 16,
        Route::DeleteUserReaction { .. } => 17,
        Route::DeleteEmojiReactions { .. } => 18,
        Route::DeleteAllReactions { .. } => 19,
        Route::GetGuild { .. } => 20,
        Route::GetGuildChannels { .. } => 21,
        Route::GetGuildMembers { .. } => 22,
        Route::GetGuildMember { .. } => 23,
        Route::RemoveGuildMember { .. } => 24,
        Route::GetRoles { .. } => 25,
        Route::CreateRole { .. } => 26,
        Route::GetRole { .. } => 27,
        Route::UpdateRole { .. } => 28,
        Route::DeleteRole { .. } => 29,
        Route::GetBans { .. } => 30,
        Route::CreateBan { .. } => 31,
        Route::DeleteBan { .. } => 32,
        Route::GetCommands { .. } => 33,
        Route::CreateCommand { .. } => 34,
        Route::SetCommands { .. } => 35,
        Route::GetCommand { .. } => 36,
        Route::UpdateCommand { .. } => 37,
        Route::DeleteCommand { .. } => 38,
        Route::InteractionCallback { .. } => 39,
        Route::ExecuteWebhook { .. } => 40,
        Route::UpdateWebhookMessage { .. } => 41,
        Route::DeleteWebhookMessage { .. } => 42,
        Route::CreateStageInstance => 43,
        Route::GetStageInstance { .. } => 44,
        Route::UpdateStageInstance { .. } => 45,
        Route::DeleteStageInstance { .. } => 46,
    }
}

/// How many variants `Route` has.
const VARIANTS: usize = 47;

/// The route key's template as the path implies it: numbers are ids, the segment after
/// `reactions` an emoji, the one after a webhook or interaction id its token, `@original`
/// a message id.
fn template_of(method: &Method, path: &str) -> String {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let placeholders: Vec<&str> = segments
        .iter()
        .enumerate()
        .map(|(index, segment)| {
            let previous = index.checked_sub(1).map(|i| segments[i]);
            if previous == Some("reactions") {
                "{emoji}"
            } else if index == 2 && matches!(segments[0], "webhooks" | "interactions") {
                "{token}"
            } else if segment.bytes().all(|b| b.is_ascii_digit()) || *segment == "@original" {
                "{id}"
            } else {
                segment
            }
        })
        .collect();
    format!("{method} /{}", placeholders.join("/"))
}

/// The major parameter as the path implies it: the id after `channels`, `guilds`,
/// `webhooks` or `interactions` at the start, or a guild's commands' guild.
fn major_of(path: &str) -> Option<String> {
    match path.trim_start_matches('/').split('/').collect::<Vec<_>>()[..] {
        ["channels" | "guilds" | "webhooks" | "interactions", id, ..] => Some(id.to_owned()),
        ["applications", _, "guilds", guild, ..] => Some(guild.to_owned()),
        _ => None,
    }
}

#[test]
fn every_variant_has_a_sample() {
    let covered: BTreeSet<usize> = samples().iter().map(variant).collect();
    assert_eq!(
        covered,
        (0..VARIANTS).collect(),
        "a variant without a sample"
    );
}

#[test]
fn path_and_route_key_agree_for_every_variant() {
    for route in samples() {
        let (method, path, key) = route.parts();
        assert!(path.starts_with('/'), "{route:?}: {path}");
        assert_eq!(
            key.route(),
            template_of(&method, &path),
            "{route:?}: {path}"
        );
        assert_eq!(
            key.major().map(str::to_owned),
            major_of(&path),
            "{route:?}: {path}"
        );
    }
}

#[test]
fn keys_keep_discords_bucket_rules() {
    let key = |route: Route<'_>| route.parts().2;
    let (channel, message) = (CHANNEL, MESSAGE);
    // Every reaction route of a channel is keyed by that channel, whatever the emoji.
    let a = key(Route::CreateReaction {
        channel,
        message,
        emoji: "👍",
    });
    let b = key(Route::CreateReaction {
        channel,
        message: Id::new(99),
        emoji: "blob:1",
    });
    assert_eq!(a, b);
    // Deleting a message has its own bucket, apart from reading or editing one.
    let delete = key(Route::DeleteMessage { channel, message });
    let edit = key(Route::UpdateMessage { channel, message });
    assert_ne!(delete.route(), edit.route());
    assert_eq!(delete.route(), "DELETE /channels/{id}/messages/{id}");
    // Another channel is another bucket; a user id is no major parameter.
    assert_ne!(
        key(Route::GetChannel { channel }),
        key(Route::GetChannel {
            channel: Id::new(98)
        })
    );
    assert_eq!(
        key(Route::GetUser { user: USER }),
        key(Route::GetUser { user: Id::new(97) })
    );
}

#[test]
fn emoji_are_percent_encoded_in_the_path() {
    let (_, path, _) = Route::GetReactions {
        channel: CHANNEL,
        message: MESSAGE,
        emoji: "👍",
    }
    .parts();
    assert_eq!(path, "/channels/11/messages/12/reactions/%F0%9F%91%8D");
    let (_, path, _) = Route::CreateReaction {
        channel: CHANNEL,
        message: MESSAGE,
        emoji: "blob:123",
    }
    .parts();
    assert_eq!(path, "/channels/11/messages/12/reactions/blob%3A123/@me");
}
