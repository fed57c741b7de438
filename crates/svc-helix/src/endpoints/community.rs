//! Bits cheermotes and teams.

use serde::{Deserialize, Serialize};

use crate::{Error, HelixClient, TeamId, UserId};

/// A cheermote (`GET /bits/cheermotes`): the word that, followed by an amount, cheers bits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Cheermote {
    /// The word (`Cheer`, `BibleThump`, …).
    pub prefix: String,
    /// Tiers by amount.
    pub tiers: Vec<CheermoteTier>,
    /// `global_first_party`, `global_third_party`, `channel_custom`, …
    #[serde(rename = "type")]
    pub cheermote_type: String,
    /// Where it shows in the bits card.
    pub order: u32,
}

/// One tier of a [`Cheermote`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
#[non_exhaustive]
pub struct CheermoteTier {
    /// Bits from which this tier applies.
    pub min_bits: u64,
    /// Tier id (`1`, `100`, …).
    pub id: String,
    /// Hex color.
    pub color: String,
    /// Whether it can be cheered.
    pub can_cheer: bool,
}

/// A team (`GET /teams`, `GET /teams/channel`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct Team {
    /// Id.
    pub id: TeamId,
    /// Name.
    #[serde(default)]
    pub team_name: String,
    /// Display name.
    #[serde(default)]
    pub team_display_name: String,
    /// Description.
    #[serde(default)]
    pub info: String,
    /// Members (only from [`HelixClient::get_team`]).
    #[serde(default)]
    pub users: Vec<TeamMember>,
}

/// A member of a [`Team`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct TeamMember {
    /// Id.
    pub user_id: UserId,
    /// Login.
    #[serde(default)]
    pub user_login: String,
    /// Display name.
    #[serde(default)]
    pub user_name: String,
}

/// Which team [`HelixClient::get_team`] looks up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TeamRef<'a> {
    /// By name (`staff`, …).
    Name(&'a str),
    /// By id.
    Id(&'a TeamId),
}

impl HelixClient {
    /// Cheermotes usable everywhere, plus a channel's own with `Some(broadcaster_id)`.
    pub async fn get_cheermotes(
        &self,
        broadcaster_id: Option<&UserId>,
    ) -> Result<Vec<Cheermote>, Error> {
        let query: Vec<(&str, String)> = broadcaster_id
            .map(|id| ("broadcaster_id", id.to_string()))
            .into_iter()
            .collect();
        self.get_data("/bits/cheermotes", &query).await
    }

    /// A team with its members; an unknown team is a 404 [`ErrorKind::Status`](crate::ErrorKind::Status).
    pub async fn get_team(&self, team: TeamRef<'_>) -> Result<Option<Team>, Error> {
        let query = match team {
            TeamRef::Name(name) => [("name", name.to_owned())],
            TeamRef::Id(id) => [("id", id.to_string())],
        };
        Ok(self.get_data("/teams", &query).await?.into_iter().next())
    }

    /// The teams a broadcaster belongs to (without their member lists).
    pub async fn channel_teams(&self, broadcaster_id: &UserId) -> Result<Vec<Team>, Error> {
        self.get_data(
            "/teams/channel",
            &[("broadcaster_id", broadcaster_id.to_string())],
        )
        .await
    }
}
