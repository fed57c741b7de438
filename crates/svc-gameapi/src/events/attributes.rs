//! The watched attributes of clans, clan members, players and wars: coc.py's dynamic
//! `ClanEvents.<attribute>`, `ClanEvents.member_<attribute>`, `PlayerEvents.<attribute>`
//! and `WarEvents.<attribute>`, as typed tables.

use super::change::attribute_changes;
use crate::model::{
    BadgeUrls, BuilderBaseLeague, CapitalLeague, ChatLanguage, Clan, ClanMember, ClanType, ClanWar,
    Label, League, LegendStatistics, Location, Player, Role, WarLeague,
};
use crate::{Tag, Timestamp};

attribute_changes! {
    /// A clan attribute that changed (coc.py: `ClanEvents.<name>`).
    pub enum ClanChange over Clan {
        /// `name`.
        Name(String) = "name": |c| c.name.clone();
        /// `type`: who may join.
        Type(ClanType) = "type": |c| c.kind;
        /// `description`.
        Description(Option<String>) = "description": |c| c.description.clone();
        /// `location`.
        Location(Option<Location>) = "location": |c| c.location.clone();
        /// `badgeUrls`.
        Badge(BadgeUrls) = "badge": |c| c.badge_urls.clone();
        /// `clanLevel`.
        Level(u32) = "level": |c| c.clan_level;
        /// `clanPoints`: trophy points.
        Points(u32) = "points": |c| c.clan_points;
        /// `clanBuilderBasePoints` (coc.py before 3.0: `versus_points`).
        BuilderBasePoints(u32) = "builder_base_points": |c| c.clan_builder_base_points;
        /// `clanCapitalPoints`.
        CapitalPoints(u32) = "capital_points": |c| c.clan_capital_points;
        /// `members`: the member count.
        MemberCount(u32) = "member_count": |c| c.members;
        /// `requiredTrophies`.
        RequiredTrophies(u32) = "required_trophies": |c| c.required_trophies;
        /// `requiredBuilderBaseTrophies`.
        RequiredBuilderBaseTrophies(u32) = "required_builder_base_trophies":
            |c| c.required_builder_base_trophies;
        /// `requiredTownhallLevel`.
        RequiredTownhall(Option<u32>) = "required_townhall": |c| c.required_townhall_level;
        /// `warFrequency`.
        WarFrequency(Option<String>) = "war_frequency": |c| c.war_frequency.clone();
        /// `warWinStreak`.
        WarWinStreak(u32) = "war_win_streak": |c| c.war_win_streak;
        /// `warWins`.
        WarWins(u32) = "war_wins": |c| c.war_wins;
        /// `warTies` (absent while the war log is private).
        WarTies(Option<u32>) = "war_ties": |c| c.war_ties;
        /// `warLosses` (absent while the war log is private).
        WarLosses(Option<u32>) = "war_losses": |c| c.war_losses;
        /// `isWarLogPublic`.
        PublicWarLog(bool) = "public_war_log": |c| c.is_war_log_public;
        /// `warLeague`: the Clan War League league.
        WarLeague(Option<WarLeague>) = "war_league": |c| c.war_league.clone();
        /// `capitalLeague`.
        CapitalLeague(Option<CapitalLeague>) = "capital_league": |c| c.capital_league.clone();
        /// `clanCapital.capitalHallLevel`.
        CapitalHall(Option<u32>) = "capital_hall":
            |c| c.clan_capital.as_ref().and_then(|capital| capital.capital_hall_level);
        /// `labels`.
        Labels(Vec<Label>) = "labels": |c| c.labels.clone();
        /// `isFamilyFriendly`.
        FamilyFriendly(bool) = "family_friendly": |c| c.is_family_friendly;
        /// `chatLanguage`.
        ChatLanguage(Option<ChatLanguage>) = "chat_language": |c| c.chat_language.clone();
    }
}

/// A member as the diff sees it: the listed entry plus what coc.py derives from the list.
pub(crate) struct MemberView<'a> {
    pub(crate) member: &'a ClanMember,
    /// Rank by builder base trophies within the clan (the API sends no such rank).
    pub(crate) builder_base_rank: u32,
}

attribute_changes! {
    /// A clan member's attribute that changed (coc.py: `ClanEvents.member_<name>`).
    pub enum MemberChange over MemberView<'_> {
        /// `name`.
        Name(String) = "name": |m| m.member.name.clone();
        /// `role`: promoted or demoted.
        Role(Role) = "role": |m| m.member.role;
        /// `townHallLevel`.
        TownHall(Option<u32>) = "town_hall": |m| m.member.town_hall_level;
        /// `expLevel`.
        ExpLevel(u32) = "exp_level": |m| m.member.exp_level;
        /// `league` (boxed: it is the largest member attribute, and events are moved by value).
        League(Option<Box<League>>) = "league": |m| m.member.league.clone().map(Box::new);
        /// `trophies`.
        Trophies(u32) = "trophies": |m| m.member.trophies;
        /// `builderBaseTrophies` (coc.py before 3.0: `versus_trophies`).
        BuilderBaseTrophies(u32) = "builder_base_trophies": |m| m.member.builder_base_trophies;
        /// `builderBaseLeague`.
        BuilderBaseLeague(Option<BuilderBaseLeague>) = "builder_base_league":
            |m| m.member.builder_base_league.clone();
        /// `clanRank`: place in the clan by trophies.
        ClanRank(u32) = "clan_rank": |m| m.member.clan_rank;
        /// `previousClanRank`.
        PreviousClanRank(u32) = "clan_previous_rank": |m| m.member.previous_clan_rank;
        /// Place in the clan by builder base trophies (computed, like coc.py, from the list;
        /// coc.py before 3.0: `versus_rank`).
        BuilderBaseRank(u32) = "builder_base_rank": |m| m.builder_base_rank;
        /// `donations`: troops donated this season (resets at the season start).
        Donations(u32) = "donations": |m| m.member.donations;
        /// `donationsReceived`.
        Received(u32) = "received": |m| m.member.donations_received;
    }
}

attribute_changes! {
    /// A player attribute that changed (coc.py: `PlayerEvents.<name>`).
    pub enum PlayerChange over Player {
        /// `name`.
        Name(String) = "name": |p| p.name.clone();
        /// `townHallLevel`.
        TownHall(u32) = "town_hall": |p| p.town_hall_level;
        /// `townHallWeaponLevel`.
        TownHallWeapon(Option<u32>) = "town_hall_weapon": |p| p.town_hall_weapon_level;
        /// `builderHallLevel`.
        BuilderHall(Option<u32>) = "builder_hall": |p| p.builder_hall_level;
        /// `expLevel`.
        ExpLevel(u32) = "exp_level": |p| p.exp_level;
        /// `trophies`.
        Trophies(u32) = "trophies": |p| p.trophies;
        /// `bestTrophies`.
        BestTrophies(u32) = "best_trophies": |p| p.best_trophies;
        /// `warStars`.
        WarStars(u32) = "war_stars": |p| p.war_stars;
        /// `attackWins` this season.
        AttackWins(u32) = "attack_wins": |p| p.attack_wins;
        /// `defenseWins` this season.
        DefenseWins(u32) = "defense_wins": |p| p.defense_wins;
        /// `builderBaseTrophies` (coc.py before 3.0: `versus_trophies`).
        BuilderBaseTrophies(u32) = "builder_base_trophies": |p| p.builder_base_trophies;
        /// `bestBuilderBaseTrophies` (coc.py before 3.0: `best_versus_trophies`).
        BestBuilderBaseTrophies(u32) = "best_builder_base_trophies":
            |p| p.best_builder_base_trophies;
        /// `donations` this season.
        Donations(u32) = "donations": |p| p.donations;
        /// `donationsReceived` this season.
        Received(u32) = "received": |p| p.donations_received;
        /// `clanCapitalContributions`.
        CapitalContributions(u64) = "clan_capital_contributions":
            |p| p.clan_capital_contributions;
        /// `role` in the clan.
        Role(Option<Role>) = "role": |p| p.role;
        /// `warPreference` (`in` / `out`).
        WarOptedIn(Option<String>) = "war_opted_in": |p| p.war_preference.clone();
        /// `league` (boxed, like the other large attributes: events are moved by value).
        League(Option<Box<League>>) = "league": |p| p.league.clone().map(Box::new);
        /// `builderBaseLeague`.
        BuilderBaseLeague(Option<BuilderBaseLeague>) = "builder_base_league":
            |p| p.builder_base_league.clone();
        /// `legendStatistics` (boxed).
        LegendStatistics(Option<Box<LegendStatistics>>) = "legend_statistics":
            |p| p.legend_statistics.clone().map(Box::new);
        /// `labels`.
        Labels(Vec<Label>) = "labels": |p| p.labels.clone();
        /// The player's clan's name, while in a clan before and after.
        ClanName(String) = "clan_name" if_both: |p| p.clan.as_ref().map(|c| c.name.clone());
        /// The player's clan's level, while in a clan before and after.
        ClanLevel(u32) = "clan_level" if_both: |p| p.clan.as_ref().map(|c| c.clan_level);
        /// The player's clan's badge, while in a clan before and after.
        ClanBadge(BadgeUrls) = "clan_badge" if_both:
            |p| p.clan.as_ref().map(|c| c.badge_urls.clone());
    }
}

attribute_changes! {
    /// An attribute of one war that changed while it went on (coc.py: `WarEvents.<name>`).
    pub enum WarChange over ClanWar {
        /// `teamSize`.
        TeamSize(u32) = "team_size": |w| w.team_size;
        /// `attacksPerMember`.
        AttacksPerMember(Option<u32>) = "attacks_per_member": |w| w.attacks_per_member;
        /// `battleModifier`.
        BattleModifier(Option<String>) = "battle_modifier": |w| w.battle_modifier.clone();
        /// `startTime`: battle day's start.
        StartTime(Option<Timestamp>) = "start_time": |w| w.start_time;
        /// `endTime`.
        EndTime(Option<Timestamp>) = "end_time": |w| w.end_time;
        /// The rosters: both sides' member tags, the clan's first, in listed order.
        Members(Vec<Tag>) = "members": |w| w
            .clan
            .members
            .iter()
            .chain(&w.opponent.members)
            .map(|member| member.tag.clone())
            .collect();
    }
}
