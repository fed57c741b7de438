//! The typed model of every API payload. Unknown fields are ignored and missing fields take
//! their defaults (`None` for optional ones), so new API fields never break decoding.
//! Objects an endpoint returns ([`ApiObject`]s) keep their original JSON in `raw` when
//! [`ClientBuilder::raw_attribute`](crate::ClientBuilder::raw_attribute) is on.

mod clan;
mod common;
mod league;
mod player;
mod raid;
mod ranking;
mod war;

pub use crate::raw::{ApiObject, RawJson};
pub use clan::{Clan, ClanCapital, ClanMember, ClanType, District, Role};
pub use common::{BadgeUrls, ChatLanguage, Cursors, IconUrls, Label, Location, Page, Paging};
pub use league::{
    BuilderBaseLeague, CapitalLeague, GoldPassSeason, League, LeagueSeason, WarLeague,
};
pub use player::{
    Achievement, LegendSeason, LegendStatistics, Player, PlayerClan, Unit, VerifyTokenResponse,
    Village,
};
pub use raid::{CapitalRaidSeason, RaidMember};
pub use ranking::{ClanCapitalRanking, ClanRanking, PlayerRanking};
pub use war::{
    Attack, ClanWar, LeagueGroup, LeagueGroupClan, LeagueGroupMember, LeagueRound, WarClan,
    WarLogClan, WarLogEntry, WarMember, WarResult, WarState,
};
