//! Events: what changed between two snapshots of a watched clan, player or war.
//!
//! The API pushes nothing, so [`EventsClient`] polls each watched resource — never before
//! its `Cache-Control: max-age` runs out — and publishes the differences on a
//! [`core_events::EventHub`]. The first fetch of anything is the baseline and yields no
//! event. Attacks are remembered in a [`SeenStore`] so each is reported once, even across
//! restarts when the store persists ([`FileStore`]).
//!
//! Every attribute change is one event carrying a typed [`Change`] (`old`, `new`): a clan's
//! attributes are [`ClanChange`]s, a member's [`MemberChange`]s, a player's
//! [`PlayerChange`]s, a war's [`WarChange`]s, each declared as one table line in
//! `attributes.rs`. `name()` gives coc.py's name for the attribute.
//!
//! ```no_run
//! # async fn run(client: svc_gameapi::Client) {
//! use svc_gameapi::events::{Change, ClanChange, ClanEvent, EventsClient, MemberChange};
//!
//! let events = EventsClient::new(client);
//! events
//!     .hub()
//!     .on(|event: ClanEvent| match event {
//!         ClanEvent::MemberChanged { member, change: MemberChange::Donations(Change { old, new }), .. } => {
//!             println!("{} donated {} troops", member.name, new.saturating_sub(old));
//!         }
//!         ClanEvent::Changed { change: ClanChange::Description(Change { new, .. }), .. } => {
//!             println!("new description: {new:?}");
//!         }
//!         _ => {}
//!     })
//!     .detach();
//! events.add_clans(["#2PP"]);
//! # }
//! ```
//!
//! # Coming from coc.py
//!
//! Every event of coc.py's `ClanEvents`, `PlayerEvents`, `WarEvents` and `ClientEvents`,
//! and where it is here. coc.py creates events for any attribute by name; here the watched
//! attributes are listed, typed, so a misspelt name is a compile error rather than an event
//! that never fires. Every row is produced end to end against the sandbox in
//! `tests/catalogue.rs` (and `tests/events.rs`).
//!
//! | coc.py | here |
//! |---|---|
//! | `ClanEvents.member_join` | [`ClanEvent::MemberJoined`] |
//! | `ClanEvents.member_leave` | [`ClanEvent::MemberLeft`] |
//! | `ClanEvents.name` | [`ClanEvent::Changed`] with [`ClanChange::Name`] |
//! | `ClanEvents.type` | [`ClanEvent::Changed`] with [`ClanChange::Type`] |
//! | `ClanEvents.description` | [`ClanEvent::Changed`] with [`ClanChange::Description`] |
//! | `ClanEvents.location` | [`ClanEvent::Changed`] with [`ClanChange::Location`] |
//! | `ClanEvents.badge` | [`ClanEvent::Changed`] with [`ClanChange::Badge`] |
//! | `ClanEvents.level` | [`ClanEvent::Changed`] with [`ClanChange::Level`] |
//! | `ClanEvents.points` | [`ClanEvent::Changed`] with [`ClanChange::Points`] |
//! | `ClanEvents.builder_base_points` | [`ClanEvent::Changed`] with [`ClanChange::BuilderBasePoints`] |
//! | `ClanEvents.capital_points` | [`ClanEvent::Changed`] with [`ClanChange::CapitalPoints`] |
//! | `ClanEvents.member_count` | [`ClanEvent::Changed`] with [`ClanChange::MemberCount`] |
//! | `ClanEvents.required_trophies` | [`ClanEvent::Changed`] with [`ClanChange::RequiredTrophies`] |
//! | `ClanEvents.required_builder_base_trophies` | [`ClanEvent::Changed`] with [`ClanChange::RequiredBuilderBaseTrophies`] |
//! | `ClanEvents.required_townhall` | [`ClanEvent::Changed`] with [`ClanChange::RequiredTownhall`] |
//! | `ClanEvents.war_frequency` | [`ClanEvent::Changed`] with [`ClanChange::WarFrequency`] |
//! | `ClanEvents.war_win_streak` | [`ClanEvent::Changed`] with [`ClanChange::WarWinStreak`] |
//! | `ClanEvents.war_wins` | [`ClanEvent::Changed`] with [`ClanChange::WarWins`] |
//! | `ClanEvents.war_ties` | [`ClanEvent::Changed`] with [`ClanChange::WarTies`] |
//! | `ClanEvents.war_losses` | [`ClanEvent::Changed`] with [`ClanChange::WarLosses`] |
//! | `ClanEvents.public_war_log` | [`ClanEvent::Changed`] with [`ClanChange::PublicWarLog`] |
//! | `ClanEvents.war_league` | [`ClanEvent::Changed`] with [`ClanChange::WarLeague`] |
//! | `ClanEvents.capital_league` | [`ClanEvent::Changed`] with [`ClanChange::CapitalLeague`] |
//! | `ClanEvents.capital_hall` | [`ClanEvent::Changed`] with [`ClanChange::CapitalHall`] |
//! | `ClanEvents.labels` | [`ClanEvent::Changed`] with [`ClanChange::Labels`] |
//! | `ClanEvents.family_friendly` | [`ClanEvent::Changed`] with [`ClanChange::FamilyFriendly`] |
//! | `ClanEvents.chat_language` | [`ClanEvent::Changed`] with [`ClanChange::ChatLanguage`] |
//! | `ClanEvents.versus_points` (coc.py < 3.0) | [`ClanChange::BuilderBasePoints`] |
//! | `ClanEvents.member_name` | [`ClanEvent::MemberChanged`] with [`MemberChange::Name`] |
//! | `ClanEvents.member_role` | [`ClanEvent::MemberChanged`] with [`MemberChange::Role`] |
//! | `ClanEvents.member_town_hall` | [`ClanEvent::MemberChanged`] with [`MemberChange::TownHall`] |
//! | `ClanEvents.member_exp_level` | [`ClanEvent::MemberChanged`] with [`MemberChange::ExpLevel`] |
//! | `ClanEvents.member_league` | [`ClanEvent::MemberChanged`] with [`MemberChange::League`] |
//! | `ClanEvents.member_trophies` | [`ClanEvent::MemberChanged`] with [`MemberChange::Trophies`] |
//! | `ClanEvents.member_builder_base_trophies` | [`ClanEvent::MemberChanged`] with [`MemberChange::BuilderBaseTrophies`] |
//! | `ClanEvents.member_builder_base_league` | [`ClanEvent::MemberChanged`] with [`MemberChange::BuilderBaseLeague`] |
//! | `ClanEvents.member_clan_rank` | [`ClanEvent::MemberChanged`] with [`MemberChange::ClanRank`] |
//! | `ClanEvents.member_clan_previous_rank` | [`ClanEvent::MemberChanged`] with [`MemberChange::PreviousClanRank`] |
//! | `ClanEvents.member_builder_base_rank` | [`ClanEvent::MemberChanged`] with [`MemberChange::BuilderBaseRank`] |
//! | `ClanEvents.member_donations` | [`ClanEvent::MemberChanged`] with [`MemberChange::Donations`] |
//! | `ClanEvents.member_received` | [`ClanEvent::MemberChanged`] with [`MemberChange::Received`] |
//! | `ClanEvents.member_versus_trophies`, `member_versus_rank` (coc.py < 3.0) | [`MemberChange::BuilderBaseTrophies`], [`MemberChange::BuilderBaseRank`] |
//! | `PlayerEvents.name` | [`PlayerEvent::Changed`] with [`PlayerChange::Name`] |
//! | `PlayerEvents.town_hall` | [`PlayerEvent::Changed`] with [`PlayerChange::TownHall`] |
//! | `PlayerEvents.town_hall_weapon` | [`PlayerEvent::Changed`] with [`PlayerChange::TownHallWeapon`] |
//! | `PlayerEvents.builder_hall` | [`PlayerEvent::Changed`] with [`PlayerChange::BuilderHall`] |
//! | `PlayerEvents.exp_level` | [`PlayerEvent::Changed`] with [`PlayerChange::ExpLevel`] |
//! | `PlayerEvents.trophies` | [`PlayerEvent::Changed`] with [`PlayerChange::Trophies`] |
//! | `PlayerEvents.best_trophies` | [`PlayerEvent::Changed`] with [`PlayerChange::BestTrophies`] |
//! | `PlayerEvents.war_stars` | [`PlayerEvent::Changed`] with [`PlayerChange::WarStars`] |
//! | `PlayerEvents.attack_wins` | [`PlayerEvent::Changed`] with [`PlayerChange::AttackWins`] |
//! | `PlayerEvents.defense_wins` | [`PlayerEvent::Changed`] with [`PlayerChange::DefenseWins`] |
//! | `PlayerEvents.builder_base_trophies` | [`PlayerEvent::Changed`] with [`PlayerChange::BuilderBaseTrophies`] |
//! | `PlayerEvents.best_builder_base_trophies` | [`PlayerEvent::Changed`] with [`PlayerChange::BestBuilderBaseTrophies`] |
//! | `PlayerEvents.donations` | [`PlayerEvent::Changed`] with [`PlayerChange::Donations`] |
//! | `PlayerEvents.received` | [`PlayerEvent::Changed`] with [`PlayerChange::Received`] |
//! | `PlayerEvents.clan_capital_contributions` | [`PlayerEvent::Changed`] with [`PlayerChange::CapitalContributions`] |
//! | `PlayerEvents.role` | [`PlayerEvent::Changed`] with [`PlayerChange::Role`] |
//! | `PlayerEvents.war_opted_in` | [`PlayerEvent::Changed`] with [`PlayerChange::WarOptedIn`] |
//! | `PlayerEvents.league` | [`PlayerEvent::Changed`] with [`PlayerChange::League`] |
//! | `PlayerEvents.builder_base_league` | [`PlayerEvent::Changed`] with [`PlayerChange::BuilderBaseLeague`] |
//! | `PlayerEvents.legend_statistics` | [`PlayerEvent::Changed`] with [`PlayerChange::LegendStatistics`] |
//! | `PlayerEvents.labels` | [`PlayerEvent::Changed`] with [`PlayerChange::Labels`] |
//! | `PlayerEvents.clan_name` | [`PlayerEvent::Changed`] with [`PlayerChange::ClanName`] |
//! | `PlayerEvents.clan_level` | [`PlayerEvent::Changed`] with [`PlayerChange::ClanLevel`] |
//! | `PlayerEvents.clan_badge` | [`PlayerEvent::Changed`] with [`PlayerChange::ClanBadge`] |
//! | `PlayerEvents.versus_trophies`, `best_versus_trophies` (coc.py < 3.0) | [`PlayerChange::BuilderBaseTrophies`], [`PlayerChange::BestBuilderBaseTrophies`] |
//! | `PlayerEvents.versus_attack_wins` | none: the API dropped `versusBattleWins` with Builder Base 2.0 (coc.py 3.0 dropped it too) |
//! | `PlayerEvents.clan_rank`, `clan_previous_rank` | none on players (the player endpoint has no rank): watch the clan, [`MemberChange::ClanRank`] / [`MemberChange::PreviousClanRank`] |
//! | `PlayerEvents.joined_clan`, `left_clan` | [`PlayerEvent::Clan`] (`old`/`new` clan: joined, left or switched) |
//! | `PlayerEvents.achievement_change` | [`PlayerEvent::Achievement`] |
//! | `PlayerEvents.troop_change` | [`PlayerEvent::UnitUpgraded`], `kind` [`UnitKind::Troop`], [`UnitKind::SuperTroop`] or [`UnitKind::SiegeMachine`] (`old_level` 0: unlocked) |
//! | `PlayerEvents.spell_change` | [`PlayerEvent::UnitUpgraded`], `kind` [`UnitKind::Spell`] |
//! | `PlayerEvents.hero_change` | [`PlayerEvent::UnitUpgraded`], `kind` [`UnitKind::Hero`] |
//! | `PlayerEvents.equipment_change` | [`PlayerEvent::UnitUpgraded`], `kind` [`UnitKind::HeroEquipment`] |
//! | `PlayerEvents.pet_change` | [`PlayerEvent::UnitUpgraded`], `kind` [`UnitKind::Pet`] (the API lists pets among troops; the game data tells them apart) |
//! | `PlayerEvents.active_equipment_change` | [`PlayerEvent::EquipmentEquipped`] |
//! | `WarEvents.new_war` | [`WarEvent::NewWar`] |
//! | `WarEvents.state` | [`WarEvent::StateChanged`] |
//! | `WarEvents.war_attack` | [`WarEvent::NewAttack`]; `side` [`WarSide::Clan`] for attacks, [`WarSide::Opponent`] for defenses; each reported once, across restarts with a [`FileStore`] |
//! | `WarEvents.team_size` | [`WarEvent::Changed`] with [`WarChange::TeamSize`] |
//! | `WarEvents.attacks_per_member` | [`WarEvent::Changed`] with [`WarChange::AttacksPerMember`] |
//! | `WarEvents.battle_modifier` | [`WarEvent::Changed`] with [`WarChange::BattleModifier`] |
//! | `WarEvents.start_time` | [`WarEvent::Changed`] with [`WarChange::StartTime`] |
//! | `WarEvents.end_time` | [`WarEvent::Changed`] with [`WarChange::EndTime`] |
//! | `WarEvents.members` | [`WarEvent::Changed`] with [`WarChange::Members`] |
//! | CWL rounds (coc.py: `add_war_updates` during CWL) | [`WarEvent::LeagueRoundWar`] for each round war of the clan, then that war's state, attack and attribute events |
//! | `ClientEvents.maintenance_start` | [`MaintenanceEvent::Started`] |
//! | `ClientEvents.maintenance_completion` | [`MaintenanceEvent::Completed`] (carries no start time: note when `Started` arrived) |
//! | `ClientEvents.new_season_start` | [`CalendarEvent`] with [`CalendarKind::Season`] |
//! | `ClientEvents.clan_games_start`, `clan_games_end` | [`CalendarKind::ClanGames`], [`CalendarKind::ClanGamesEnd`] |
//! | `ClientEvents.raid_weekend_start`, `raid_weekend_end` | [`CalendarKind::RaidWeekend`], [`CalendarKind::RaidWeekendEnd`] (computed from the calendar, not polled: [`EventsClient::watch_calendar`]) |
//! | `ClientEvents.keys_reset` | none: the client re-runs the key manager itself on `accessDenied.invalidIp` (logged); [`Client::refresh_keys`](crate::Client::refresh_keys) forces it |
//! | `ClientEvents.event_error` | a panicking handler is caught, logged and counted (`Listener::panics`, `hub().stats()`); a failed poll is logged and retried after [`EventsClientBuilder::fallback_interval`] |
//! | `ClientEvents.clan_loop_start`/`_finish` (and `player_`, `war_`) | none: there are no global loops; each watched resource has its own task, paced by its `max-age` |
//! | `retry_interval` (per decorator) | [`EventsClientBuilder::min_interval`] / [`EventsClientBuilder::fallback_interval`]; polls never come before `max-age` runs out |

mod attributes;
mod calendar;
mod change;
mod client;
mod diff;
mod event;
mod store;

pub use crate::game_data::UnitKind;
pub use attributes::{ClanChange, MemberChange, PlayerChange, WarChange};
pub use calendar::CalendarKind;
pub use change::Change;
pub use client::{EventsClient, EventsClientBuilder};
pub use event::{
    CalendarEvent, ClanEvent, Event, MaintenanceEvent, PlayerEvent, WarEvent, WarSide,
};
pub use store::{FileStore, MemoryStore, SeenStore};
