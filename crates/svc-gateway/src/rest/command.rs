//! Application commands, global and per guild.

use transport_http::Method;

use super::RestClient;
use crate::error::Error;
use crate::model::{ApplicationMarker, Command, CommandMarker, GuildMarker, Id};

fn base(application: Id<ApplicationMarker>, guild: Option<Id<GuildMarker>>) -> String {
    match guild {
        Some(guild) => format!("/applications/{application}/guilds/{guild}/commands"),
        None => format!("/applications/{application}/commands"),
    }
}

impl RestClient {
    /// `GET …/commands`: global commands, or a guild's with `guild`.
    pub async fn commands(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
    ) -> Result<Vec<Command>, Error> {
        self.json(
            self.request(
                Method::GET,
                "GET /applications/{id}/commands",
                guild.map(Id::get),
                base(application, guild),
            )
            // Whole localization maps, as sent, rather than the caller's locale's text alone.
            .query("with_localizations", true),
        )
        .await
    }

    /// `POST …/commands`: creates (or replaces one of the same name).
    pub async fn create_command(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        command: &Command,
    ) -> Result<Command, Error> {
        self.json(
            self.request(
                Method::POST,
                "POST /applications/{id}/commands",
                guild.map(Id::get),
                base(application, guild),
            )
            .json(command),
        )
        .await
    }

    /// `PUT …/commands`: replaces every command at once.
    pub async fn bulk_overwrite_commands(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        commands: &[Command],
    ) -> Result<Vec<Command>, Error> {
        self.json(
            self.request(
                Method::PUT,
                "PUT /applications/{id}/commands",
                guild.map(Id::get),
                base(application, guild),
            )
            .json(commands),
        )
        .await
    }
}

fn one(
    application: Id<ApplicationMarker>,
    guild: Option<Id<GuildMarker>>,
    command: Id<CommandMarker>,
) -> String {
    format!("{}/{command}", base(application, guild))
}

impl RestClient {
    /// `GET …/commands/{id}`: one global command, or a guild's with `guild`.
    pub async fn command(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        command: Id<CommandMarker>,
    ) -> Result<Command, Error> {
        self.json(self.request(
            Method::GET,
            "GET /applications/{id}/commands/{id}",
            guild.map(Id::get),
            one(application, guild, command),
        ))
        .await
    }

    /// `PATCH …/commands/{id}`: changes a command (the fields `command` serializes).
    pub async fn edit_command(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        command: Id<CommandMarker>,
        changes: &Command,
    ) -> Result<Command, Error> {
        self.json(
            self.request(
                Method::PATCH,
                "PATCH /applications/{id}/commands/{id}",
                guild.map(Id::get),
                one(application, guild, command),
            )
            .json(changes),
        )
        .await
    }

    /// `DELETE …/commands/{id}`.
    pub async fn delete_command(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        command: Id<CommandMarker>,
    ) -> Result<(), Error> {
        self.empty(self.request(
            Method::DELETE,
            "DELETE /applications/{id}/commands/{id}",
            guild.map(Id::get),
            one(application, guild, command),
        ))
        .await
    }
}
