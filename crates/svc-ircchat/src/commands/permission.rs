//! Who may run a command, from the badges and tags on the message.

use crate::Privmsg;

/// The standing a command needs. Levels are ordered: a moderator passes a VIP check, the
/// broadcaster passes every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[non_exhaustive]
pub enum Permission {
    /// Anyone (the default).
    #[default]
    Everyone,
    /// Subscribers (`subscriber` tag or badge, also `founder`).
    Subscriber,
    /// VIPs (`vip` tag or badge).
    Vip,
    /// Moderators (`mod` tag or `moderator` badge).
    Moderator,
    /// The broadcaster (`broadcaster` badge, or the sender is the channel).
    Broadcaster,
}

impl Permission {
    /// The sender's standing in the message's channel.
    pub fn of(message: &Privmsg<'_>) -> Self {
        let badges = &message.badges;
        if badges.has("broadcaster") || message.sender_login == message.channel_login {
            Self::Broadcaster
        } else if message.is_mod || badges.has("moderator") {
            Self::Moderator
        } else if message.is_vip || badges.has("vip") {
            Self::Vip
        } else if message.is_subscriber || badges.has("subscriber") || badges.has("founder") {
            Self::Subscriber
        } else {
            Self::Everyone
        }
    }
}
