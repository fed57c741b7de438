//! Application commands, global and per guild (`guild: Some(…)`).

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::{ApplicationMarker, Command, CommandMarker, GuildMarker, Id};

impl RestClient {
    /// `GET …/commands`: global commands, or a guild's with `guild`.
    pub async fn commands(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
    ) -> Result<Vec<Command>, Error> {
        self.json(
            self.route(&Route::GetCommands { application, guild })
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
        let route = Route::CreateCommand { application, guild };
        self.json(self.route(&route).json(command)).await
    }

    /// `PUT …/commands`: replaces every command at once.
    pub async fn bulk_overwrite_commands(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        commands: &[Command],
    ) -> Result<Vec<Command>, Error> {
        let route = Route::SetCommands { application, guild };
        self.json(self.route(&route).json(commands)).await
    }

    /// `GET …/commands/{id}`: one global command, or a guild's with `guild`.
    pub async fn command(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        command: Id<CommandMarker>,
    ) -> Result<Command, Error> {
        let route = Route::GetCommand {
            application,
            guild,
            command,
        };
        self.json(self.route(&route)).await
    }

    /// `PATCH …/commands/{id}`: changes a command (the fields `command` serializes).
    pub async fn edit_command(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        command: Id<CommandMarker>,
        changes: &Command,
    ) -> Result<Command, Error> {
        let route = Route::UpdateCommand {
            application,
            guild,
            command,
        };
        self.json(self.route(&route).json(changes)).await
    }

    /// `DELETE …/commands/{id}`.
    pub async fn delete_command(
        &self,
        application: Id<ApplicationMarker>,
        guild: Option<Id<GuildMarker>>,
        command: Id<CommandMarker>,
    ) -> Result<(), Error> {
        let route = Route::DeleteCommand {
            application,
            guild,
            command,
        };
        self.empty(self.route(&route)).await
    }
}
