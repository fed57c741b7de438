//! Image hashes (avatars, icons, banners) as a value type, and the CDN URLs they name.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Discord's CDN, where image hashes resolve.
pub const CDN_URL: &str = "https://cdn.discordapp.com";

/// The hash of an image on Discord's CDN: 128 bits written as 32 lowercase hex digits,
/// prefixed `a_` when the image is animated.
///
/// Held as 16 bytes rather than a heap string, so each cached user, member and guild saves
/// an allocation. A hash in any other form (Discord has never sent one) is kept as text,
/// never refused, and written back unchanged.
///
/// ```
/// use svc_gateway::model::ImageHash;
///
/// let hash: ImageHash = "a_1269e74af4df7417b13759eae50c83dc".parse().unwrap();
/// assert!(hash.is_animated());
/// assert_eq!(hash.to_string(), "a_1269e74af4df7417b13759eae50c83dc");
/// assert_eq!(hash.extension(), "gif");
/// let odd: ImageHash = "not-hex".parse().unwrap();
/// assert_eq!(odd.to_string(), "not-hex");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ImageHash(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    Hex { bytes: [u8; 16], animated: bool },
    Text(Box<str>),
}

impl ImageHash {
    /// Parses a hash as Discord writes it (any text is accepted; see the type docs).
    pub fn parse(text: &str) -> Self {
        let (animated, hex) = match text.strip_prefix("a_") {
            Some(hex) => (true, hex),
            None => (false, text),
        };
        match decode_hex(hex.as_bytes()) {
            Some(bytes) => Self(Repr::Hex { bytes, animated }),
            None => Self(Repr::Text(text.into())),
        }
    }

    /// Whether the image is animated (`a_` prefix): the CDN serves it as a GIF too.
    pub fn is_animated(&self) -> bool {
        match &self.0 {
            Repr::Hex { animated, .. } => *animated,
            Repr::Text(text) => text.starts_with("a_"),
        }
    }

    /// The file extension the CDN serves the image with by default: `gif` when animated,
    /// else `png`.
    pub fn extension(&self) -> &'static str {
        if self.is_animated() { "gif" } else { "png" }
    }
}

/// Each byte's value as a lowercase hex digit, or `0xff`.
const HEX_DIGITS: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut c = 0;
    while c < 10 {
        table[b'0' as usize + c] = c as u8;
        c += 1;
    }
    let mut c = 0;
    while c < 6 {
        table[b'a' as usize + c] = 10 + c as u8;
        c += 1;
    }
    table
};

/// 32 lowercase hex digits into 16 bytes (uppercase would not write back the same). One
/// table load per digit and one check at the end: this runs for every avatar decoded.
fn decode_hex(hex: &[u8]) -> Option<[u8; 16]> {
    let hex: &[u8; 32] = hex.try_into().ok()?;
    let mut bytes = [0u8; 16];
    let mut invalid = 0u8;
    for (byte, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
        let (high, low) = (
            HEX_DIGITS[usize::from(pair[0])],
            HEX_DIGITS[usize::from(pair[1])],
        );
        invalid |= high | low;
        *byte = (high << 4) | low;
    }
    (invalid & 0xf0 == 0).then_some(bytes)
}

impl std::str::FromStr for ImageHash {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(s))
    }
}

impl fmt::Display for ImageHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Hex { bytes, animated } => {
                if *animated {
                    f.write_str("a_")?;
                }
                bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
            }
            Repr::Text(text) => f.write_str(text),
        }
    }
}

impl fmt::Debug for ImageHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ImageHash({self})")
    }
}

impl Serialize for ImageHash {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

struct HashVisitor;

impl Visitor<'_> for HashVisitor {
    type Value = ImageHash;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an image hash")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(ImageHash::parse(v))
    }

    // ETF may carry the hash as a binary.
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        std::str::from_utf8(v)
            .map(ImageHash::parse)
            .map_err(|_| E::invalid_value(de::Unexpected::Bytes(v), &self))
    }
}

impl<'de> Deserialize<'de> for ImageHash {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(HashVisitor)
    }
}

/// `{CDN_URL}/{path}/{hash}.{ext}?size={size}`; `size` is a power of two from 16 to 4096.
pub(crate) fn cdn_url(path: fmt::Arguments<'_>, hash: &ImageHash, size: u16) -> String {
    format!("{CDN_URL}/{path}/{hash}.{}?size={size}", hash.extension())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn hex_hashes_are_compact_and_round_trip() {
        let plain = ImageHash::parse("b5f3775ab18064d3f42d70b0b0699d7a");
        assert!(matches!(
            plain.0,
            Repr::Hex {
                animated: false,
                ..
            }
        ));
        assert_eq!(plain.to_string(), "b5f3775ab18064d3f42d70b0b0699d7a");
        assert_eq!(plain.extension(), "png");
        // Uppercase, short, or odd hashes stay text, written back as they came.
        for odd in ["B5F3775AB18064D3F42D70B0B0699D7A", "abc", "a_", "", "a_xyz"] {
            let hash = ImageHash::parse(odd);
            assert!(matches!(hash.0, Repr::Text(_)), "{odd}");
            assert_eq!(hash.to_string(), odd);
        }
        assert!(ImageHash::parse("a_xyz").is_animated());
        let json: ImageHash =
            serde_json::from_str("\"a_00ff00ff00ff00ff00ff00ff00ff00ff\"").unwrap();
        assert!(json.is_animated());
        assert_eq!(
            serde_json::to_string(&json).unwrap(),
            "\"a_00ff00ff00ff00ff00ff00ff00ff00ff\""
        );
        assert!(serde_json::from_str::<ImageHash>("12").is_err());
    }

    proptest! {
        #[test]
        fn any_text_writes_back_unchanged(text in "(a_)?[0-9a-fA-F]{0,34}|\\PC{0,40}") {
            prop_assert_eq!(ImageHash::parse(&text).to_string(), text);
        }
    }
}
