//! Reactions. `emoji` is the unicode character or `name:id` for a custom emoji.

use super::RestClient;
use super::route::Route;
use crate::error::Error;
use crate::model::{ChannelMarker, Id, MessageMarker, User, UserMarker};

impl RestClient {
    /// `PUT …/reactions/{emoji}/@me`.
    pub async fn create_reaction(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) -> Result<(), Error> {
        let route = Route::CreateReaction {
            channel,
            message,
            emoji,
        };
        self.empty(self.route(&route)).await
    }

    /// `DELETE …/reactions/{emoji}/@me`.
    pub async fn delete_own_reaction(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) -> Result<(), Error> {
        let route = Route::DeleteOwnReaction {
            channel,
            message,
            emoji,
        };
        self.empty(self.route(&route)).await
    }

    /// `GET …/reactions/{emoji}`: who reacted.
    pub async fn reactions(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) -> Result<Vec<User>, Error> {
        let route = Route::GetReactions {
            channel,
            message,
            emoji,
        };
        self.json(self.route(&route)).await
    }

    /// `DELETE …/reactions`: removes every reaction.
    pub async fn delete_all_reactions(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
    ) -> Result<(), Error> {
        let route = Route::DeleteAllReactions { channel, message };
        self.empty(self.route(&route)).await
    }

    /// `DELETE …/reactions/{emoji}/{user}`: removes someone else's reaction.
    pub async fn delete_user_reaction(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
        user: Id<UserMarker>,
    ) -> Result<(), Error> {
        let route = Route::DeleteUserReaction {
            channel,
            message,
            emoji,
            user,
        };
        self.empty(self.route(&route)).await
    }

    /// `DELETE …/reactions/{emoji}`: removes every reaction with one emoji.
    pub async fn delete_emoji_reactions(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) -> Result<(), Error> {
        let route = Route::DeleteEmojiReactions {
            channel,
            message,
            emoji,
        };
        self.empty(self.route(&route)).await
    }
}
