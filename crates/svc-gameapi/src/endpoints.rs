//! One method per API endpoint, in the order of the official documentation.

use crate::list::ListRequest;
use crate::model::{
    BuilderBaseLeague, CapitalLeague, CapitalRaidSeason, Clan, ClanCapitalRanking, ClanMember,
    ClanRanking, ClanWar, GoldPassSeason, Label, League, LeagueGroup, LeagueSeason, Location,
    Player, PlayerRanking, VerifyTokenResponse, WarLeague, WarLogEntry,
};
use crate::{ClanSearch, Client, Error};

impl Client {
    fn encoded(&self, tag: &str) -> String {
        self.tag(tag).url_encoded()
    }

    // --- clans ---

    /// `GET /clans`: search clans by name and filters.
    pub fn search_clans(&self, search: &ClanSearch) -> ListRequest<Clan> {
        search.params().into_iter().fold(
            ListRequest::new(self, "/clans".to_owned()),
            |request, (name, value)| request.param(name, value),
        )
    }

    /// `GET /clans/{tag}`: a clan with its member list.
    pub async fn clan(&self, tag: &str) -> Result<Clan, Error> {
        self.get(&format!("/clans/{}", self.encoded(tag))).await
    }

    /// `GET /clans/{tag}/members`.
    pub fn clan_members(&self, tag: &str) -> ListRequest<ClanMember> {
        ListRequest::new(self, format!("/clans/{}/members", self.encoded(tag)))
    }

    /// `GET /clans/{tag}/warlog` (403 `accessDenied` when the log is private).
    pub fn war_log(&self, tag: &str) -> ListRequest<WarLogEntry> {
        ListRequest::new(self, format!("/clans/{}/warlog", self.encoded(tag)))
    }

    /// `GET /clans/{tag}/currentwar`.
    pub async fn current_war(&self, tag: &str) -> Result<ClanWar, Error> {
        self.get(&format!("/clans/{}/currentwar", self.encoded(tag)))
            .await
    }

    /// `GET /clans/{tag}/currentwar/leaguegroup`: the clan's CWL group.
    pub async fn league_group(&self, tag: &str) -> Result<LeagueGroup, Error> {
        self.get(&format!(
            "/clans/{}/currentwar/leaguegroup",
            self.encoded(tag)
        ))
        .await
    }

    /// `GET /clans/{tag}/capitalraidseasons`.
    pub fn capital_raid_seasons(&self, tag: &str) -> ListRequest<CapitalRaidSeason> {
        ListRequest::new(
            self,
            format!("/clans/{}/capitalraidseasons", self.encoded(tag)),
        )
    }

    /// `GET /clanwarleagues/wars/{warTag}`: one CWL war.
    pub async fn league_war(&self, war_tag: &str) -> Result<ClanWar, Error> {
        self.get(&format!("/clanwarleagues/wars/{}", self.encoded(war_tag)))
            .await
    }

    // --- players ---

    /// `GET /players/{tag}`.
    pub async fn player(&self, tag: &str) -> Result<Player, Error> {
        self.get(&format!("/players/{}", self.encoded(tag))).await
    }

    /// `POST /players/{tag}/verifytoken`: whether `token` (from the game's settings) belongs
    /// to the player.
    pub async fn verify_player_token(
        &self,
        tag: &str,
        token: &str,
    ) -> Result<VerifyTokenResponse, Error> {
        self.post(
            &format!("/players/{}/verifytoken", self.encoded(tag)),
            &serde_json::json!({ "token": token }),
        )
        .await
    }

    // --- leagues ---

    /// `GET /leagues`.
    pub fn leagues(&self) -> ListRequest<League> {
        ListRequest::new(self, "/leagues".to_owned())
    }

    /// `GET /leagues/{id}`.
    pub async fn league(&self, id: u64) -> Result<League, Error> {
        self.get(&format!("/leagues/{id}")).await
    }

    /// `GET /leagues/{id}/seasons` (Legend League only).
    pub fn league_seasons(&self, league_id: u64) -> ListRequest<LeagueSeason> {
        ListRequest::new(self, format!("/leagues/{league_id}/seasons"))
    }

    /// `GET /leagues/{id}/seasons/{season}`: a past season's player ranking.
    pub fn league_season_rankings(
        &self,
        league_id: u64,
        season_id: &str,
    ) -> ListRequest<PlayerRanking> {
        ListRequest::new(
            self,
            format!(
                "/leagues/{league_id}/seasons/{}",
                crate::list::encode_query(season_id)
            ),
        )
    }

    /// `GET /warleagues`.
    pub fn war_leagues(&self) -> ListRequest<WarLeague> {
        ListRequest::new(self, "/warleagues".to_owned())
    }

    /// `GET /warleagues/{id}`.
    pub async fn war_league(&self, id: u64) -> Result<WarLeague, Error> {
        self.get(&format!("/warleagues/{id}")).await
    }

    /// `GET /capitalleagues`.
    pub fn capital_leagues(&self) -> ListRequest<CapitalLeague> {
        ListRequest::new(self, "/capitalleagues".to_owned())
    }

    /// `GET /capitalleagues/{id}`.
    pub async fn capital_league(&self, id: u64) -> Result<CapitalLeague, Error> {
        self.get(&format!("/capitalleagues/{id}")).await
    }

    /// `GET /builderbaseleagues`.
    pub fn builder_base_leagues(&self) -> ListRequest<BuilderBaseLeague> {
        ListRequest::new(self, "/builderbaseleagues".to_owned())
    }

    /// `GET /builderbaseleagues/{id}`.
    pub async fn builder_base_league(&self, id: u64) -> Result<BuilderBaseLeague, Error> {
        self.get(&format!("/builderbaseleagues/{id}")).await
    }

    // --- locations and rankings ---

    /// `GET /locations`.
    pub fn locations(&self) -> ListRequest<Location> {
        ListRequest::new(self, "/locations".to_owned())
    }

    /// `GET /locations/{id}`.
    pub async fn location(&self, id: u64) -> Result<Location, Error> {
        self.get(&format!("/locations/{id}")).await
    }

    /// `GET /locations/{id}/rankings/clans`.
    pub fn clan_rankings(&self, location_id: u64) -> ListRequest<ClanRanking> {
        ListRequest::new(self, format!("/locations/{location_id}/rankings/clans"))
    }

    /// `GET /locations/{id}/rankings/players`.
    pub fn player_rankings(&self, location_id: u64) -> ListRequest<PlayerRanking> {
        ListRequest::new(self, format!("/locations/{location_id}/rankings/players"))
    }

    /// `GET /locations/{id}/rankings/clans-builder-base`.
    pub fn clan_builder_base_rankings(&self, location_id: u64) -> ListRequest<ClanRanking> {
        ListRequest::new(
            self,
            format!("/locations/{location_id}/rankings/clans-builder-base"),
        )
    }

    /// `GET /locations/{id}/rankings/players-builder-base`.
    pub fn player_builder_base_rankings(&self, location_id: u64) -> ListRequest<PlayerRanking> {
        ListRequest::new(
            self,
            format!("/locations/{location_id}/rankings/players-builder-base"),
        )
    }

    /// `GET /locations/{id}/rankings/capitals`.
    pub fn capital_rankings(&self, location_id: u64) -> ListRequest<ClanCapitalRanking> {
        ListRequest::new(self, format!("/locations/{location_id}/rankings/capitals"))
    }

    // --- gold pass, labels ---

    /// `GET /goldpass/seasons/current`.
    pub async fn gold_pass(&self) -> Result<GoldPassSeason, Error> {
        self.get("/goldpass/seasons/current").await
    }

    /// `GET /labels/clans`.
    pub fn clan_labels(&self) -> ListRequest<Label> {
        ListRequest::new(self, "/labels/clans".to_owned())
    }

    /// `GET /labels/players`.
    pub fn player_labels(&self) -> ListRequest<Label> {
        ListRequest::new(self, "/labels/players".to_owned())
    }
}
