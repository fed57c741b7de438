//! Typed snowflake ids: a `u64` inside, a decimal string on the wire, and a marker type so a
//! channel id cannot be passed where a guild id is wanted.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Milliseconds between the Unix epoch and the Discord epoch (2015-01-01T00:00:00Z).
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// A Discord snowflake of kind `T` (see the marker types in this module).
///
/// ```
/// use svc_gateway::model::{ChannelMarker, Id};
///
/// let id: Id<ChannelMarker> = "175928847299117063".parse().unwrap();
/// assert_eq!(id.get(), 175_928_847_299_117_063);
/// assert_eq!(id.timestamp_ms(), 1_462_015_105_796);
/// assert_eq!(id.to_string(), "175928847299117063");
/// ```
pub struct Id<T> {
    value: u64,
    marker: PhantomData<fn() -> T>,
}

impl<T> Id<T> {
    /// Wraps a raw snowflake.
    pub const fn new(value: u64) -> Self {
        Self {
            value,
            marker: PhantomData,
        }
    }

    /// The raw snowflake.
    pub const fn get(self) -> u64 {
        self.value
    }

    /// When the snowflake was made, in Unix milliseconds.
    pub const fn timestamp_ms(self) -> u64 {
        (self.value >> 22) + DISCORD_EPOCH_MS
    }

    /// Reinterprets the id as another kind (an application id is also its bot user's id).
    pub const fn cast<U>(self) -> Id<U> {
        Id::new(self.value)
    }
}

impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Id<T> {}
impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T> Eq for Id<T> {}
impl<T> PartialOrd for Id<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Id<T> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}
impl<T> Hash for Id<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.value)
    }
}

impl<T> fmt::Display for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.value, f)
    }
}

impl<T> From<u64> for Id<T> {
    fn from(value: u64) -> Self {
        Self::new(value)
    }
}

impl<T> FromStr for Id<T> {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Self::new)
    }
}

impl<T> Serialize for Id<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.value)
    }
}

struct IdVisitor<T>(PhantomData<fn() -> T>);

impl<T> Visitor<'_> for IdVisitor<T> {
    type Value = Id<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a snowflake as a decimal string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        // Snowflakes are 17-19 plain digits, which always fit a u64: fold them directly
        // and leave anything else (20 digits, a sign) to `str::parse`.
        let bytes = v.as_bytes();
        if (1..=19).contains(&bytes.len())
            && let Some(value) = bytes.iter().try_fold(0u64, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u64::from(c - b'0'))
            })
        {
            return Ok(Id::new(value));
        }
        v.parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }

    // ETF and some older payloads carry snowflakes as numbers.
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Id::new(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        u64::try_from(v)
            .map(Id::new)
            .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
}

impl<'de, T> Deserialize<'de> for Id<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(IdVisitor(PhantomData))
    }
}

macro_rules! markers {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub struct $name;
        )*
    };
}

markers! {
    /// Marks application ids.
    ApplicationMarker,
    /// Marks attachment ids.
    AttachmentMarker,
    /// Marks auto moderation rule ids.
    AutoModerationRuleMarker,
    /// Marks channel (and thread) ids.
    ChannelMarker,
    /// Marks application command ids.
    CommandMarker,
    /// Marks emoji ids.
    EmojiMarker,
    /// Marks guild ids.
    GuildMarker,
    /// Marks interaction ids.
    InteractionMarker,
    /// Marks message ids.
    MessageMarker,
    /// Marks role ids.
    RoleMarker,
    /// Marks guild scheduled event ids.
    ScheduledEventMarker,
    /// Marks stage instance ids.
    StageMarker,
    /// Marks user ids.
    UserMarker,
    /// Marks webhook ids.
    WebhookMarker,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strings_and_numbers_and_rejects_garbage() {
        let id: Id<GuildMarker> = serde_json::from_str("\"41771983423143937\"").unwrap();
        assert_eq!(id.get(), 41_771_983_423_143_937);
        let id: Id<GuildMarker> = serde_json::from_str("42").unwrap();
        assert_eq!(id.get(), 42);
        assert!(serde_json::from_str::<Id<GuildMarker>>("\"abc\"").is_err());
        assert!(serde_json::from_str::<Id<GuildMarker>>("-1").is_err());
        assert_eq!(
            serde_json::to_string(&Id::<UserMarker>::new(7)).unwrap(),
            "\"7\""
        );
    }
}
