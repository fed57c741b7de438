//! The world the `sandbox` binary serves: who exists on each platform and with which
//! credentials, read from TOML (`sandbox --config FILE`) or the built-in default, which is
//! also what the binary prints at start.
//!
//! One file per platform holds its part ([`DiscordWorld`], [`TwitchWorld`],
//! [`ClashWorld`], [`SingyeongWorld`]); [`Offset`] writes times relative to now, so the
//! world follows the clock; [`Secret`] keeps credentials out of `Debug`. Each platform
//! module turns its part into the objects it serves (`Discord::from_world`, …).
//!
//! ```
//! let world = sandbox::world::World::default();
//! assert_eq!(world.twitch.users[0].login, "sandbox_bot");
//! let again = sandbox::world::World::from_toml(&world.to_toml()).unwrap();
//! assert_eq!(again, world);
//! ```

mod clash;
mod discord;
mod offset;
mod secret;
mod singyeong;
mod twitch;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub(crate) use clash::normalise_tag;
pub use clash::{
    ClashClan, ClashLeague, ClashOpponent, ClashPlayer, ClashWar, ClashWorld, WarState,
};
pub use discord::{
    ChannelKind, DiscordApplication, DiscordChannel, DiscordGuild, DiscordMember, DiscordRole,
    DiscordUser, DiscordWorld,
};
pub use offset::Offset;
pub use secret::Secret;
pub use singyeong::SingyeongWorld;
pub use twitch::{TwitchChannel, TwitchStream, TwitchUser, TwitchWorld};

use crate::{Error, ErrorKind};

/// The built-in world, `World::default()`.
pub const DEFAULT_TOML: &str = include_str!("default.toml");

/// Everything the sandbox serves, per platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct World {
    /// Discord.
    pub discord: DiscordWorld,
    /// Twitch (chat, Helix, OAuth, EventSub).
    pub twitch: TwitchWorld,
    /// Clash of Clans.
    pub clash: ClashWorld,
    /// singyeong.
    #[serde(default)]
    pub singyeong: SingyeongWorld,
}

impl Default for World {
    /// The built-in world ([`DEFAULT_TOML`]); a unit test proves it parses and checks.
    fn default() -> Self {
        Self::from_toml(DEFAULT_TOML).unwrap_or_else(|error| {
            unreachable!(
                "the built-in world is valid (tested): {error}: {:?}",
                std::error::Error::source(&error)
            )
        })
    }
}

impl World {
    /// Reads a world from TOML text and checks it.
    pub fn from_toml(text: &str) -> Result<Self, Error> {
        let world: Self =
            toml::from_str(text).map_err(|e| Error::with_source(ErrorKind::Config, e))?;
        world.check()?;
        Ok(world)
    }

    /// Reads a world from a TOML file and checks it.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::with_source(
                ErrorKind::Read {
                    path: path.display().to_string(),
                },
                e,
            )
        })?;
        Self::from_toml(&text)
    }

    /// The world as TOML (what `--config` reads).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks that every reference points at something that exists (a member's user, a
    /// channel's category, a follower's login) and that ids look like the platform's.
    pub fn check(&self) -> Result<(), Error> {
        self.discord
            .check()
            .and_then(|()| self.twitch.check())
            .and_then(|()| self.clash.check())
            .map_err(|reason| Error::new(ErrorKind::InvalidWorld { reason }))
    }
}

#[cfg(test)]
mod tests {
    use super::{DEFAULT_TOML, World};
    use crate::ErrorKind;

    #[test]
    fn the_default_world_parses_checks_and_round_trips() {
        let world = World::from_toml(DEFAULT_TOML).expect("the built-in world is valid");
        assert_eq!(World::default(), world);
        assert_eq!(World::from_toml(&world.to_toml()).unwrap(), world);
        assert!(world.twitch.users.len() >= 2);
        assert_eq!(world.discord.application.id, world.discord.bot.id);
        let war = world.clash.clans[0].war.as_ref().expect("a war is on");
        assert!(war.start().as_seconds() < 0, "battle day has begun");
    }

    #[test]
    fn broken_worlds_are_errors_that_say_why() {
        let unknown_member = DEFAULT_TOML.replacen(
            "user = \"1200000000000000003\"",
            "user = \"1299999999999999999\"",
            1,
        );
        let error = World::from_toml(&unknown_member).unwrap_err();
        assert!(
            matches!(error.kind(), ErrorKind::InvalidWorld { reason } if reason.contains("1299999999999999999")),
            "{error}"
        );
        let typo = DEFAULT_TOML.replacen("topic = \"Say hello", "topik = \"Say hello", 1);
        assert_eq!(
            World::from_toml(&typo).unwrap_err().kind(),
            &ErrorKind::Config
        );
        let bad_time = DEFAULT_TOML.replacen("joined = \"-30d\"", "joined = \"yesterday\"", 1);
        assert_eq!(
            World::from_toml(&bad_time).unwrap_err().kind(),
            &ErrorKind::Config
        );
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let printed = format!("{:?}", World::default());
        for secret in [
            "sandbox.discord-bot-token",
            "sandboxbottoken",
            "sandboxclientsecret",
            "sandbox-password",
            "sandbox-mesh-password",
        ] {
            assert!(!printed.contains(secret), "{secret} in Debug");
        }
    }
}
