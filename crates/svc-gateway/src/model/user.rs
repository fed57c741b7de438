//! Users.

use serde::{Deserialize, Serialize};

use super::id::{Id, UserMarker};
use super::image_hash::{CDN_URL, ImageHash, cdn_url};

/// A Discord user (or bot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// The user's id.
    pub id: Id<UserMarker>,
    /// Unique username.
    pub username: String,
    /// Legacy discriminator, the `1234` of `name#1234`. `Some(0)` for users on unique
    /// usernames (Discord sends `"0"`) and for webhook authors (`"0000"`); 0 is written back
    /// as `"0"`.
    #[serde(default, with = "discriminator")]
    pub discriminator: Option<u16>,
    /// Display name.
    #[serde(default)]
    pub global_name: Option<String>,
    /// Avatar hash (`None`: the default avatar).
    #[serde(default)]
    pub avatar: Option<ImageHash>,
    /// Whether this is a bot.
    #[serde(default)]
    pub bot: bool,
    /// Whether this is an official system user.
    #[serde(default)]
    pub system: bool,
    /// Public flags.
    #[serde(default)]
    pub public_flags: Option<u64>,
}

impl User {
    /// The avatar's CDN URL, `size` pixels wide (a power of two, 16–4096); `None` for the
    /// default avatar.
    ///
    /// ```
    /// # let user: svc_gateway::model::User = serde_json::from_str(r#"{"id":"80351110224678912","username":"nelly","discriminator":"1337","avatar":"8342729096ea3675442027381ff50dfe"}"#).unwrap();
    /// assert_eq!(
    ///     user.avatar_url(128).unwrap(),
    ///     "https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png?size=128"
    /// );
    /// assert_eq!(user.default_avatar_url(), "https://cdn.discordapp.com/embed/avatars/2.png");
    /// ```
    pub fn avatar_url(&self, size: u16) -> Option<String> {
        let hash = self.avatar.as_ref()?;
        Some(cdn_url(format_args!("avatars/{}", self.id), hash, size))
    }

    /// The avatar Discord shows for a user without one of their own: one of six by id for
    /// unique usernames, one of five by discriminator for legacy ones.
    pub fn default_avatar_url(&self) -> String {
        let index = match self.discriminator {
            Some(legacy @ 1..) => u64::from(legacy) % 5,
            _ => (self.id.get() >> 22) % 6,
        };
        format!("{CDN_URL}/embed/avatars/{index}.png")
    }

    /// The avatar shown for the user: theirs, else the default one.
    pub fn display_avatar_url(&self, size: u16) -> String {
        self.avatar_url(size)
            .unwrap_or_else(|| self.default_avatar_url())
    }
}

/// `"0"` / `"1234"` on the wire, a number in the model.
mod discriminator {
    use std::fmt;

    use serde::de::{self, Visitor};
    use serde::{Deserializer, Serializer};

    #[allow(clippy::ref_option, clippy::trivially_copy_pass_by_ref)] // serde's `with` signature
    pub(super) fn serialize<S: Serializer>(
        value: &Option<u16>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None => serializer.serialize_none(),
            Some(0) => serializer.serialize_str("0"),
            Some(legacy) => serializer.collect_str(&format_args!("{legacy:04}")),
        }
    }

    struct DiscriminatorVisitor;

    impl<'de> Visitor<'de> for DiscriminatorVisitor {
        type Value = Option<u16>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a discriminator of up to four digits")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            if (1..=4).contains(&v.len()) && v.bytes().all(|c| c.is_ascii_digit()) {
                // Four ASCII digits always fit a u16.
                return Ok(v.parse().ok());
            }
            Err(E::invalid_value(de::Unexpected::Str(v), &self))
        }

        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            let text = std::str::from_utf8(v)
                .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))?;
            self.visit_str(text)
        }

        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            u16::try_from(v)
                .ok()
                .filter(|v| *v <= 9999)
                .map(Some)
                .ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }

        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            u64::try_from(v)
                .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
                .and_then(|v| self.visit_u64(v))
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
        d.deserialize_option(DiscriminatorVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(json: &str) -> User {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn discriminators_read_and_write_as_discord_sends_them() {
        let legacy = user(r#"{"id":"1","username":"a","discriminator":"0042"}"#);
        assert_eq!(legacy.discriminator, Some(42));
        let unique = user(r#"{"id":"1","username":"a","discriminator":"0"}"#);
        assert_eq!(unique.discriminator, Some(0));
        assert_eq!(
            user(r#"{"id":"1","username":"a","discriminator":null}"#).discriminator,
            None
        );
        assert_eq!(user(r#"{"id":"1","username":"a"}"#).discriminator, None);
        let back = serde_json::to_value(&legacy).unwrap();
        assert_eq!(back["discriminator"], "0042");
        assert_eq!(serde_json::to_value(&unique).unwrap()["discriminator"], "0");
        for bad in [r#""12345""#, r#""x""#, r#""""#, "-1", "10000"] {
            let text = format!(r#"{{"id":"1","username":"a","discriminator":{bad}}}"#);
            assert!(serde_json::from_str::<User>(&text).is_err(), "{bad}");
        }
    }

    #[test]
    fn avatar_urls_follow_the_cdn_rules() {
        let unique = user(r#"{"id":"175928847299117063","username":"a","discriminator":"0"}"#);
        assert_eq!(unique.avatar_url(64), None);
        // (id >> 22) % 6
        let index = (175_928_847_299_117_063u64 >> 22) % 6;
        assert_eq!(
            unique.display_avatar_url(64),
            format!("https://cdn.discordapp.com/embed/avatars/{index}.png")
        );
        let animated =
            user(r#"{"id":"1","username":"a","avatar":"a_1269e74af4df7417b13759eae50c83dc"}"#);
        assert_eq!(
            animated.display_avatar_url(1024),
            "https://cdn.discordapp.com/avatars/1/a_1269e74af4df7417b13759eae50c83dc.gif?size=1024"
        );
    }
}
