//! Typed ids: each kind of Twitch id is its own type, so a user id cannot be passed where a
//! game id is wanted.
//!
//! Twitch ids are opaque strings (numeric today, never promised to stay so). Each type
//! holds one in a boxed `str` (two words, not a `String`'s three; ids never grow), is
//! written on the wire as that string (`serde(transparent)`), and converts from `&str` and
//! `String`. A model field holding a required id has no default: an answer without it is a
//! decode error, not an empty id.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Box<str>);

        impl $name {
            /// The id as Twitch writes it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                Self(id.into())
            }
        }

        impl From<&$name> for $name {
            fn from(id: &$name) -> Self {
                id.clone()
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                Self(id.into_boxed_str())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                &*self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                &*self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                *self.0 == **other
            }
        }
    )*};
}

ids! {
    /// A user's id; also a broadcaster's, a moderator's, a channel's (Twitch names a
    /// channel by its owner's user id).
    ///
    /// ```
    /// use svc_helix::UserId;
    ///
    /// let id = UserId::from("141981764");
    /// assert_eq!(id, "141981764");
    /// assert_eq!(serde_json::to_string(&id).unwrap(), r#""141981764""#);
    /// ```
    UserId;
    /// A game's or category's id.
    GameId;
    /// A live stream's id.
    StreamId;
    /// A clip's id.
    ClipId;
    /// A video's id.
    VideoId;
    /// A poll's id.
    PollId;
    /// A poll choice's id.
    PollChoiceId;
    /// A prediction's id.
    PredictionId;
    /// A prediction outcome's id.
    OutcomeId;
    /// An emote's id.
    EmoteId;
    /// A blocked term's id.
    BlockedTermId;
    /// A team's id.
    TeamId;
    /// An EventSub subscription's id.
    SubscriptionId;
    /// An EventSub conduit's id.
    ConduitId;
}

/// Serde for an optional id that Twitch writes as `""` when there is none (a channel
/// without a category has `"game_id": ""`): `""` or a missing field reads as `None`, and
/// `None` is written back as `""`. Use with `#[serde(default, with = "…")]`.
pub(crate) mod empty_is_none {
    use super::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::ref_option)] // serde's `with` hands the field over as `&Option<T>`
    pub(crate) fn serialize<S: Serializer, T: AsRef<str>>(
        id: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(id.as_ref().map_or("", AsRef::as_ref))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, T: From<String>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        let id = Option::<String>::deserialize(deserializer)?;
        Ok(id.filter(|id| !id.is_empty()).map(T::from))
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::{GameId, UserId};

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Channel {
        broadcaster_id: UserId,
        #[serde(default, with = "super::empty_is_none")]
        game_id: Option<GameId>,
    }

    #[test]
    fn a_required_id_must_be_there_and_an_empty_optional_one_is_none() {
        let channel: Channel =
            serde_json::from_str(r#"{"broadcaster_id":"7","game_id":""}"#).unwrap();
        assert_eq!(channel.broadcaster_id, "7");
        assert_eq!(channel.game_id, None);
        assert_eq!(
            serde_json::to_string(&channel).unwrap(),
            r#"{"broadcaster_id":"7","game_id":""}"#
        );
        let channel: Channel =
            serde_json::from_str(r#"{"broadcaster_id":"7","game_id":"509658"}"#).unwrap();
        assert_eq!(channel.game_id, Some(GameId::from("509658")));
        let missing = serde_json::from_str::<Channel>(r#"{"game_id":"509658"}"#);
        assert!(
            missing.is_err(),
            "a missing broadcaster_id is a decode error"
        );
    }

    #[test]
    fn ids_read_and_print_as_their_text() {
        let id = UserId::from(String::from("42"));
        assert_eq!(id.to_string(), "42");
        assert_eq!(id.as_str(), "42");
        let ids: std::collections::HashSet<UserId> = [id].into();
        assert!(ids.contains("42"));
    }

    #[test]
    fn models_refuse_a_missing_id_and_read_an_empty_category_as_none() {
        let missing = serde_json::from_str::<crate::User>(r#"{"login":"dallas"}"#);
        assert!(missing.is_err(), "a user without an id is not a user");
        let channel: crate::ChannelInformation =
            serde_json::from_str(r#"{"broadcaster_id":"1","game_id":"","title":"t"}"#).unwrap();
        assert_eq!(
            (channel.broadcaster_id.as_str(), channel.game_id),
            ("1", None)
        );
    }
}
