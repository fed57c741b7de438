//! The event types.

use std::sync::Arc;

use core_events::Extract;

use super::attributes::{ClanChange, MemberChange, PlayerChange, WarChange};
use crate::model::{Achievement, Attack, ClanMember, ClanWar, PlayerClan, Unit, WarState};
use crate::{GameUnit, Tag, UnitKind};

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
    /// One of the clan's own attributes changed; one event per attribute.
    Changed {
        /// The clan.
        clan: Tag,
        /// What changed, from what to what.
        change: ClanChange,
    },
    /// One attribute of a member changed; one event per member and attribute.
    MemberChanged {
        /// The clan.
        clan: Tag,
        /// The member as now listed.
        member: ClanMember,
        /// What changed, from what to what.
        change: MemberChange,
    },
}

/// Changes to a watched player.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlayerEvent {
    /// One of the player's attributes changed; one event per attribute.
    Changed {
        /// The player.
        player: Tag,
        /// What changed, from what to what.
        change: PlayerChange,
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
    /// An achievement progressed (value or stars), or a new one appeared.
    Achievement {
        /// The player.
        player: Tag,
        /// Before (default when it was not listed).
        old: Achievement,
        /// After.
        new: Achievement,
    },
    /// A troop, super troop, siege machine, pet, spell, hero or piece of equipment was
    /// upgraded, or unlocked (`old_level` 0).
    UnitUpgraded {
        /// The player.
        player: Tag,
        /// What it is: from the game data when it knows the unit, else from the list the
        /// API put it in.
        kind: UnitKind,
        /// Level before (0 when newly unlocked).
        old_level: u32,
        /// The unit now.
        unit: Unit,
        /// What the shipped game data knows about it, if anything.
        info: Option<&'static GameUnit>,
    },
    /// A hero put on a piece of equipment (coc.py: `active_equipment_change`).
    EquipmentEquipped {
        /// The player.
        player: Tag,
        /// The hero, now wearing it.
        hero: Unit,
        /// The equipment put on.
        equipment: Unit,
    },
}

impl PlayerEvent {
    /// Whether this is a unit appearing for the first time.
    pub fn is_unlock(&self) -> bool {
        matches!(self, Self::UnitUpgraded { old_level: 0, .. })
    }
}

/// Which side of a war made an attack, seen from the watched clan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarSide {
    /// The watched clan attacked.
    Clan,
    /// The watched clan was attacked: a defense.
    Opponent,
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
    /// The war moved on (preparation → inWar → warEnded, or the war vanished).
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
        /// Who attacked: the watched clan, or its opponent (a defense).
        side: WarSide,
        /// The war it belongs to.
        war: Arc<ClanWar>,
    },
    /// Another attribute of the same war changed (roster, times, size).
    Changed {
        /// The watched clan.
        clan: Tag,
        /// What changed, from what to what.
        change: WarChange,
        /// The war now.
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

#[cfg(test)]
mod tests {
    /// The hub keeps its last 1,024 events by value, so an event's size is paid a thousand
    /// times over: large attributes are boxed in the change tables to keep it near a
    /// clan member's size.
    #[test]
    fn events_stay_small() {
        assert!(
            size_of::<super::Event>() <= 352,
            "{}",
            size_of::<super::Event>()
        );
    }
}
