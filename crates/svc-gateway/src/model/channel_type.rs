//! Channel types, as command options and select menus name them.

use super::wire_enum::wire_enum;

wire_enum! {
    /// A channel's type (Discord's `type` on a channel): what `channel_types` on a channel
    /// option or a channel select menu limits the choice to.
    pub enum ChannelType {
        /// A text channel in a guild.
        GuildText = 0,
        /// A direct message.
        Dm = 1,
        /// A voice channel in a guild.
        GuildVoice = 2,
        /// A group direct message.
        GroupDm = 3,
        /// A category.
        GuildCategory = 4,
        /// An announcement channel.
        GuildAnnouncement = 5,
        /// A thread in an announcement channel.
        AnnouncementThread = 10,
        /// A public thread.
        PublicThread = 11,
        /// A private thread.
        PrivateThread = 12,
        /// A stage channel.
        GuildStageVoice = 13,
        /// A hub's directory of guilds.
        GuildDirectory = 14,
        /// A forum.
        GuildForum = 15,
        /// A media channel.
        GuildMedia = 16,
    }
}
