//! Reactions. `emoji` is the unicode character or `name:id` for a custom emoji.

use transport_http::Method;

use super::RestClient;
use crate::error::Error;
use crate::model::{ChannelMarker, Id, MessageMarker, User, UserMarker};

fn encode(emoji: &str) -> String {
    url::form_urlencoded::byte_serialize(emoji.as_bytes()).collect()
}

impl RestClient {
    /// `PUT …/reactions/{emoji}/@me`.
    pub async fn create_reaction(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) -> Result<(), Error> {
        let path = format!(
            "/channels/{channel}/messages/{message}/reactions/{}/@me",
            encode(emoji)
        );
        self.empty(self.request(
            Method::PUT,
            "PUT /channels/{id}/messages/{id}/reactions/{emoji}/@me",
            Some(channel.get()),
            path,
        ))
        .await
    }

    /// `DELETE …/reactions/{emoji}/@me`.
    pub async fn delete_own_reaction(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) -> Result<(), Error> {
        let path = format!(
            "/channels/{channel}/messages/{message}/reactions/{}/@me",
            encode(emoji)
        );
        self.empty(self.request(
            Method::DELETE,
            "DELETE /channels/{id}/messages/{id}/reactions/{emoji}/@me",
            Some(channel.get()),
            path,
        ))
        .await
    }

    /// `GET …/reactions/{emoji}`: who reacted.
    pub async fn reactions(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) -> Result<Vec<User>, Error> {
        let path = format!(
            "/channels/{channel}/messages/{message}/reactions/{}",
            encode(emoji)
        );
        self.json(self.request(
            Method::GET,
            "GET /channels/{id}/messages/{id}/reactions/{emoji}",
            Some(channel.get()),
            path,
        ))
        .await
    }

    /// `DELETE …/reactions`: removes every reaction.
    pub async fn delete_all_reactions(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
    ) -> Result<(), Error> {
        let path = format!("/channels/{channel}/messages/{message}/reactions");
        self.empty(self.request(
            Method::DELETE,
            "DELETE /channels/{id}/messages/{id}/reactions",
            Some(channel.get()),
            path,
        ))
        .await
    }

    /// `DELETE …/reactions/{emoji}/{user}`: removes someone else's reaction.
    pub async fn delete_user_reaction(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
        user: Id<UserMarker>,
    ) -> Result<(), Error> {
        let path = format!(
            "/channels/{channel}/messages/{message}/reactions/{}/{user}",
            encode(emoji)
        );
        self.empty(self.request(
            Method::DELETE,
            "DELETE /channels/{id}/messages/{id}/reactions/{emoji}/{id}",
            Some(channel.get()),
            path,
        ))
        .await
    }

    /// `DELETE …/reactions/{emoji}`: removes every reaction with one emoji.
    pub async fn delete_emoji_reactions(
        &self,
        channel: Id<ChannelMarker>,
        message: Id<MessageMarker>,
        emoji: &str,
    ) -> Result<(), Error> {
        let path = format!(
            "/channels/{channel}/messages/{message}/reactions/{}",
            encode(emoji)
        );
        self.empty(self.request(
            Method::DELETE,
            "DELETE /channels/{id}/messages/{id}/reactions/{emoji}",
            Some(channel.get()),
            path,
        ))
        .await
    }
}
