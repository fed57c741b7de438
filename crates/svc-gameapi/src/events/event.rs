//! The event types.

use std::sync::Arc;

use core_events::Extract;

use crate::Tag;
use crate::model::{
    Achievement, Attack, BadgeUrls, ClanMember, ClanWar, League, PlayerClan, Role, Unit, WarState,
};

/// Everything the [`EventsClient`](super::EventsClient) publishes. Subscribe to all of it,
/// or to one family through [`Extract`] (`hub.on::<ClanEvent>(…)`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// A watched clan changed.
    Clan(ClanEvent),
    /// A watched player changed.
    Player(PlayerEvent),
    /// A watched clan's war changed.
    War(WarEvent),
    /// The API went into or came out of maintenance.
    Maintenance(MaintenanceEvent),
    /// A season, clan games or raid weekend started (see
    /// [`EventsClient::watch_calendar`](super::EventsClient::watch_calendar)).
    Calendar(CalendarEvent),
}

/// A calendar moment reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarEvent {
    /// What started.
    pub kind: super::CalendarKind,
    /// When.
    pub at: crate::Timestamp,
}

/// Changes to a watched clan. `member` is the member as now listed (or as last listed, for
/// one who left).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ClanEvent {
    /// A player joined.
    MemberJoined {
        /// The clan.
        clan: Tag,
        /// The new member.
        member: ClanMember,
    },
    /// A player left (or was kicked).
    MemberLeft {
        /// The clan.
        clan: Tag,
        /// The member as last seen.
        member: ClanMember,
    },
    /// A member was promoted or demoted.
    RoleChanged {
        /// The clan.
        clan: Tag,
        /// The member, with the new role.
        member: ClanMember,
        /// The previous role.
        old: Role,
    },
    /// A member's donation count changed (it resets at the season start).
    Donations {
        /// The clan.
        clan: Tag,
        /// The member, with the new count.
        member: ClanMember,
        /// The previous count.
        old: u32,
    },
    /// A member's received-donations count changed.
    DonationsReceived {
        /// The clan.
        clan: Tag,
        /// The member, with the new count.
        member: ClanMember,
        /// The previous count.
        old: u32,
    },
    /// A member's trophies changed.
    MemberTrophies {
        /// The clan.
        clan: Tag,
        /// The member, with the new count.
        member: ClanMember,
        /// The previous count.
        old: u32,
    },
    /// The clan levelled up.
    Level {
        /// The clan.
        clan: Tag,
        /// Before.
        old: u32,
        /// After.
        new: u32,
    },
    /// The clan's trophy points changed.
    Points {
        /// The clan.
        clan: Tag,
        /// Before.
        old: u32,
        /// After.
        new: u32,
    },
    /// The description changed.
    Description {
        /// The clan.
        clan: Tag,
        /// Before.
        old: Option<String>,
        /// After.
        new: Option<String>,
    },
    /// The badge changed.
    Badge {
        /// The clan.
        clan: Tag,
        /// Before.
        old: BadgeUrls,
        /// After.
        new: BadgeUrls,
    },
    /// The war log was made public or private.
    WarLogVisibility {
        /// The clan.
        clan: Tag,
        /// Whether it is public now.
        public: bool,
    },
}

/// Which list of a player's units changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// `troops`.
    Troop,
    /// `spells`.
    Spell,
    /// `heroes`.
    Hero,
    /// `heroEquipment`.
    HeroEquipment,
}

/// Changes to a watched player.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlayerEvent {
    /// Trophies changed.
    Trophies {
        /// The player.
        player: Tag,
        /// Before.
        old: u32,
        /// After.
        new: u32,
    },
    /// Experience level changed.
    Level {
        /// The player.
        player: Tag,
        /// Before.
        old: u32,
        /// After.
        new: u32,
    },
    /// League changed.
    League {
        /// The player.
        player: Tag,
        /// Before.
        old: Option<League>,
        /// After.
        new: Option<League>,
    },
    /// Town hall upgraded.
    TownHall {
        /// The player.
        player: Tag,
        /// Before.
        old: u32,
        /// After.
        new: u32,
    },
    /// An achievement progressed (value or stars).
    Achievement {
        /// The player.
        player: Tag,
        /// Before (default when it was not listed).
        old: Achievement,
        /// After.
        new: Achievement,
    },
    /// A troop, spell, hero or equipment was upgraded or unlocked.
    UnitUpgraded {
        /// The player.
        player: Tag,
        /// Which list.
        kind: UnitKind,
        /// Level before (0 when newly unlocked).
        old_level: u32,
        /// The unit now.
        unit: Unit,
    },
    /// The player joined, left or switched clan.
    Clan {
        /// The player.
        player: Tag,
        /// Before.
        old: Option<PlayerClan>,
        /// After.
        new: Option<PlayerClan>,
    },
}

/// Changes to a watched clan's war.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WarEvent {
    /// A new war began (preparation day, or first seen already in battle).
    NewWar {
        /// The watched clan.
        clan: Tag,
        /// The war.
        war: Arc<ClanWar>,
    },
    /// The war moved on (preparation → inWar → warEnded).
    StateChanged {
        /// The watched clan.
        clan: Tag,
        /// The previous state.
        old: WarState,
        /// The war, in its new state.
        war: Arc<ClanWar>,
    },
    /// An attack was made, by either side. Reported once.
    NewAttack {
        /// The watched clan.
        clan: Tag,
        /// The attack.
        attack: Attack,
        /// The war it belongs to.
        war: Arc<ClanWar>,
    },
    /// A Clan War League round's war for the clan appeared.
    LeagueRoundWar {
        /// The watched clan.
        clan: Tag,
        /// Round index (0-based).
        round: usize,
        /// The war's tag.
        war_tag: Tag,
        /// The war.
        war: Arc<ClanWar>,
    },
}

/// API maintenance (503 `inMaintenance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MaintenanceEvent {
    /// A poll was answered `inMaintenance`.
    Started,
    /// The first successful poll after maintenance.
    Completed,
}

macro_rules! extract {
    ($variant:ident, $ty:ty) => {
        impl Extract<Event> for $ty {
            fn extract(event: Event) -> Option<Self> {
                match event {
                    Event::$variant(inner) => Some(inner),
                    _ => None,
                }
            }
        }
    };
}

extract!(Clan, ClanEvent);
extract!(Player, PlayerEvent);
extract!(War, WarEvent);
extract!(Maintenance, MaintenanceEvent);
extract!(Calendar, CalendarEvent);
