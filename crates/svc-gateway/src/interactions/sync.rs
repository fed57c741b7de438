//! Command sync: make Discord's commands (global and per guild) the ones the bot defines,
//! writing only when they differ, so an unchanged restart sends no write at all.
//!
//! Discord answers a definition with fields it adds (`id`, `application_id`, `version`,
//! `guild_id`) and defaults it fills in (`dm_permission: true`, `contexts` of every
//! context, `integration_types: [0]`, empty localization maps…), and it may write a bound
//! `1` as `1.0`. Both sides are put in one normal form before they are compared, so those
//! differences never count as a change.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::model::{
    ApplicationMarker, Command, CommandOption, CommandType, GuildMarker, Id, IntegrationType,
    InteractionContextType, Localizations,
};
use crate::rest::RestClient;

/// How to sync.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct SyncOptions {
    /// Development guilds: global commands are registered in each of these instead of
    /// globally (guild commands update at once; global ones are left as they are).
    pub dev_guilds: Vec<Id<GuildMarker>>,
    /// Names of commands the sync never creates, changes or deletes (acord's
    /// `exclude_app_cmds`): whatever Discord has under those names stays.
    pub exclude: BTreeSet<String>,
}

impl SyncOptions {
    /// Global commands go to `guilds` instead (development).
    pub fn dev_guilds(mut self, guilds: impl IntoIterator<Item = Id<GuildMarker>>) -> Self {
        self.dev_guilds.extend(guilds);
        self
    }

    /// Leaves the command `name` alone.
    pub fn exclude(mut self, name: impl Into<String>) -> Self {
        self.exclude.insert(name.into());
        self
    }
}

/// What a sync did, per scope (`None`: global).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Scopes whose commands were overwritten.
    pub written: Vec<Option<Id<GuildMarker>>>,
    /// Scopes already up to date.
    pub unchanged: Vec<Option<Id<GuildMarker>>>,
}

/// A definition and where it goes (`None`: globally).
#[derive(Debug, Clone)]
pub(crate) struct Registration {
    pub(crate) command: Command,
    pub(crate) guilds: Option<Vec<Id<GuildMarker>>>,
}

/// Syncs `registrations` (see [`Router::sync`](super::Router::sync)).
pub(crate) async fn sync(
    rest: &RestClient,
    application: Id<ApplicationMarker>,
    registrations: &[Registration],
    options: &SyncOptions,
) -> Result<SyncReport, Error> {
    let scopes = scopes(registrations, options);
    // Every definition is checked before the first request: a bad one stops the sync
    // without leaving Discord half-updated.
    for command in scopes.values().flatten() {
        command.validate()?;
    }
    let mut report = SyncReport::default();
    for (scope, desired) in scopes {
        let current = rest.commands(application, scope).await?;
        let (kept, compared): (Vec<Command>, Vec<Command>) = current
            .into_iter()
            .partition(|c| options.exclude.contains(&c.name));
        if normal_set(compared) == normal_set(desired.clone()) {
            report.unchanged.push(scope);
            continue;
        }
        tracing::info!(
            ?scope,
            commands = desired.len(),
            "overwriting application commands"
        );
        let mut body = desired;
        body.extend(kept);
        rest.bulk_overwrite_commands(application, scope, &body)
            .await?;
        report.written.push(scope);
    }
    Ok(report)
}

/// The commands each scope should end up with (excluded names left out).
fn scopes(
    registrations: &[Registration],
    options: &SyncOptions,
) -> BTreeMap<Option<Id<GuildMarker>>, Vec<Command>> {
    let mut scopes: BTreeMap<Option<Id<GuildMarker>>, Vec<Command>> = BTreeMap::new();
    if options.dev_guilds.is_empty() {
        // The global scope is always synced, so a command removed from the bot is removed
        // from Discord too.
        scopes.entry(None).or_default();
    }
    for guild in &options.dev_guilds {
        scopes.entry(Some(*guild)).or_default();
    }
    for registration in registrations {
        if options.exclude.contains(&registration.command.name) {
            continue;
        }
        let targets: Vec<Option<Id<GuildMarker>>> = match &registration.guilds {
            Some(guilds) => guilds.iter().copied().map(Some).collect(),
            None if options.dev_guilds.is_empty() => vec![None],
            None => options.dev_guilds.iter().copied().map(Some).collect(),
        };
        for target in targets {
            scopes
                .entry(target)
                .or_default()
                .push(registration.command.clone());
        }
    }
    scopes
}

/// One scope's commands in normal form, in a stable order.
fn normal_set(commands: Vec<Command>) -> Vec<Command> {
    let mut commands: Vec<Command> = commands.into_iter().map(normalise).collect();
    commands.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    commands
}

/// Drops what Discord sets itself and writes every default one way.
pub(crate) fn normalise(mut command: Command) -> Command {
    command.id = None;
    command.application_id = None;
    command.guild_id = None;
    command.version = None;
    empty_to_none(&mut command.name_localizations);
    empty_to_none(&mut command.description_localizations);
    if command.kind != CommandType::ChatInput {
        command.description.clear();
    }
    if command.dm_permission == Some(true) {
        command.dm_permission = None;
    }
    let every_context = [
        InteractionContextType::Guild,
        InteractionContextType::BotDm,
        InteractionContextType::PrivateChannel,
    ];
    normal_list(&mut command.contexts, &every_context);
    normal_list(
        &mut command.integration_types,
        &[IntegrationType::GuildInstall],
    );
    command.options = command.options.into_iter().map(normalise_option).collect();
    command
}

fn normalise_option(mut option: CommandOption) -> CommandOption {
    empty_to_none(&mut option.name_localizations);
    empty_to_none(&mut option.description_localizations);
    option.channel_types.sort_unstable();
    option.channel_types.dedup();
    for choice in &mut option.choices {
        empty_to_none(&mut choice.name_localizations);
    }
    option.options = option.options.into_iter().map(normalise_option).collect();
    option
}

fn empty_to_none(map: &mut Option<Localizations>) {
    if map.as_ref().is_some_and(Localizations::is_empty) {
        *map = None;
    }
}

/// A set-valued field: sorted, without repeats, and absent when it equals the default
/// Discord fills in.
fn normal_list<T: Ord + Copy>(list: &mut Option<Vec<T>>, default: &[T]) {
    if let Some(items) = list {
        items.sort_unstable();
        items.dedup();
        let mut sorted_default = default.to_vec();
        sorted_default.sort_unstable();
        if *items == sorted_default {
            *list = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChannelType, CommandOption};

    fn ours() -> Command {
        Command::chat_input("ban", "Bans")
            .option(CommandOption::user("target", "Who").required(true))
            .option(
                CommandOption::integer("days", "Days")
                    .min_value(0)
                    .max_value(7),
            )
            .option(
                CommandOption::channel("log", "Where")
                    .channel_types([ChannelType::GuildVoice, ChannelType::GuildText]),
            )
    }

    #[test]
    fn what_discord_adds_or_fills_in_is_no_difference() {
        let discord: Command = serde_json::from_value(serde_json::json!({
            "id": "9", "application_id": "8", "version": "7", "type": 1,
            "name": "ban", "description": "Bans", "name_localizations": {},
            "description_localizations": null, "dm_permission": true,
            "default_member_permissions": null, "nsfw": false,
            "contexts": [2, 0, 1], "integration_types": [0],
            "options": [
                {"type": 6, "name": "target", "description": "Who", "required": true},
                {"type": 4, "name": "days", "description": "Days", "required": false, "min_value": 0.0, "max_value": 7},
                {"type": 7, "name": "log", "description": "Where", "channel_types": [0, 2]},
            ],
        }))
        .unwrap();
        assert_eq!(normalise(discord), normalise(ours()));
    }

    #[test]
    fn real_changes_are_differences() {
        let changed = [
            Command::chat_input("ban", "Bans people"),
            ours().default_member_permissions(crate::model::Permissions::BAN_MEMBERS),
            ours().contexts([InteractionContextType::Guild]),
            ours().nsfw(true),
            ours().name_localization("fr", "bannir"),
            ours().option(CommandOption::string("reason", "Why")),
        ];
        for command in changed {
            assert_ne!(normalise(command), normalise(ours()));
        }
    }

    #[test]
    fn scopes_follow_dev_guilds_and_exclusions() {
        let registrations = vec![
            Registration {
                command: ours(),
                guilds: None,
            },
            Registration {
                command: Command::chat_input("admin", "Admin"),
                guilds: Some(vec![Id::new(5)]),
            },
            Registration {
                command: Command::chat_input("legacy", "Old"),
                guilds: None,
            },
        ];
        let plain = scopes(&registrations, &SyncOptions::default().exclude("legacy"));
        assert_eq!(plain[&None].len(), 1);
        assert_eq!(plain[&Some(Id::new(5))][0].name, "admin");
        let dev = scopes(
            &registrations,
            &SyncOptions::default().dev_guilds([Id::new(6)]),
        );
        assert!(
            !dev.contains_key(&None),
            "global left alone while developing"
        );
        assert_eq!(dev[&Some(Id::new(6))].len(), 2);
    }
}
