//! Guilds, members, roles, bans.

use serde_json::{Value, json};

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::{Ban, Channel, Guild, GuildMarker, Id, Member, Role, RoleMarker, UserMarker};

impl RestClient {
    /// `GET /guilds/{id}` (`with_counts` adds approximate member and presence counts).
    pub async fn guild(&self, guild: Id<GuildMarker>, with_counts: bool) -> Result<Guild, Error> {
        let request = self.route(&Route::GetGuild { guild });
        self.json(request.query("with_counts", with_counts)).await
    }

    /// `GET /guilds/{id}/channels`.
    pub async fn guild_channels(&self, guild: Id<GuildMarker>) -> Result<Vec<Channel>, Error> {
        self.json(self.route(&Route::GetGuildChannels { guild }))
            .await
    }

    /// `GET /guilds/{id}/members?limit=&after=` (needs GUILD_MEMBERS).
    pub async fn guild_members(
        &self,
        guild: Id<GuildMarker>,
        limit: u16,
        after: Option<Id<UserMarker>>,
    ) -> Result<Vec<Member>, Error> {
        let mut request = self
            .route(&Route::GetGuildMembers { guild })
            .query("limit", limit.clamp(1, 1000));
        if let Some(after) = after {
            request = request.query("after", after);
        }
        self.json(request).await
    }

    /// `GET /guilds/{id}/members/{user}`.
    pub async fn guild_member(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
    ) -> Result<Member, Error> {
        self.json(self.route(&Route::GetGuildMember { guild, user }))
            .await
    }

    /// `GET /guilds/{id}/roles`.
    pub async fn roles(&self, guild: Id<GuildMarker>) -> Result<Vec<Role>, Error> {
        self.json(self.route(&Route::GetRoles { guild })).await
    }

    /// `POST /guilds/{id}/roles` with `{"name", "permissions", "color", "hoist", "mentionable"}`.
    pub async fn create_role(&self, guild: Id<GuildMarker>, role: &Value) -> Result<Role, Error> {
        self.json(self.route(&Route::CreateRole { guild }).json(role))
            .await
    }

    /// `GET /guilds/{id}/roles/{role}`.
    pub async fn role(&self, guild: Id<GuildMarker>, role: Id<RoleMarker>) -> Result<Role, Error> {
        self.json(self.route(&Route::GetRole { guild, role })).await
    }

    /// `PATCH /guilds/{id}/roles/{role}` with the fields to change.
    pub async fn modify_role(
        &self,
        guild: Id<GuildMarker>,
        role: Id<RoleMarker>,
        changes: &Value,
    ) -> Result<Role, Error> {
        self.json(self.route(&Route::UpdateRole { guild, role }).json(changes))
            .await
    }

    /// `DELETE /guilds/{id}/roles/{role}`.
    pub async fn delete_role(
        &self,
        guild: Id<GuildMarker>,
        role: Id<RoleMarker>,
    ) -> Result<(), Error> {
        self.empty(self.route(&Route::DeleteRole { guild, role }))
            .await
    }

    /// `DELETE /guilds/{id}/members/{user}`: kicks a member.
    pub async fn remove_guild_member(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
    ) -> Result<(), Error> {
        self.empty(self.route(&Route::RemoveGuildMember { guild, user }))
            .await
    }

    /// `GET /guilds/{id}/bans`.
    pub async fn bans(&self, guild: Id<GuildMarker>) -> Result<Vec<Ban>, Error> {
        self.json(self.route(&Route::GetBans { guild })).await
    }

    /// `PUT /guilds/{id}/bans/{user}`.
    pub async fn create_ban(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
        reason: Option<&str>,
    ) -> Result<(), Error> {
        let request = self
            .route(&Route::CreateBan { guild, user })
            .json(&json!({}));
        self.empty(Self::audit_reason(request, reason)).await
    }

    /// `DELETE /guilds/{id}/bans/{user}`.
    pub async fn delete_ban(
        &self,
        guild: Id<GuildMarker>,
        user: Id<UserMarker>,
    ) -> Result<(), Error> {
        self.empty(self.route(&Route::DeleteBan { guild, user }))
            .await
    }
}
