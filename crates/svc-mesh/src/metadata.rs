//! Typed metadata values and their validation before they go on the wire.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::error::{Error, ErrorKind};

/// Keys the server owns; setting them is refused client-side with
/// [`ErrorKind::ReservedMetadataKey`].
pub const RESERVED_KEYS: [&str; 6] = [
    "ip",
    "restricted",
    "encoding",
    "last_heartbeat_time",
    "namespace",
    "receive_client_updates",
];

/// One metadata value with its singyeong type. Inner values of lists and maps are untyped.
#[derive(Debug, Clone, PartialEq)]
pub enum MetadataValue {
    /// `string`.
    String(String),
    /// `integer`.
    Integer(i64),
    /// `float` (must be finite).
    Float(f64),
    /// `version`: a semantic version such as `1.2.3`.
    Version(semver::Version),
    /// `list`.
    List(Vec<Value>),
    /// `boolean`.
    Boolean(bool),
    /// `map`.
    Map(Map<String, Value>),
}

impl MetadataValue {
    /// A `version` value parsed from text (`MAJOR.MINOR.PATCH[-pre][+build]`).
    pub fn version(text: &str) -> Result<Self, Error> {
        semver::Version::parse(text)
            .map(Self::Version)
            .map_err(|source| {
                Error::with_source(
                    ErrorKind::InvalidMetadata {
                        key: String::new(),
                        reason: format!("{text:?} is not a semantic version"),
                    },
                    source,
                )
            })
    }

    /// The wire type name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::String(_) => "string",
            Self::Integer(_) => "integer",
            Self::Float(_) => "float",
            Self::Version(_) => "version",
            Self::List(_) => "list",
            Self::Boolean(_) => "boolean",
            Self::Map(_) => "map",
        }
    }

    /// The bare value as JSON.
    pub fn to_value(&self) -> Value {
        match self {
            Self::String(s) => Value::from(s.as_str()),
            Self::Integer(i) => Value::from(*i),
            Self::Float(f) => Value::from(*f),
            Self::Version(v) => Value::from(v.to_string()),
            Self::List(list) => Value::Array(list.clone()),
            Self::Boolean(b) => Value::Bool(*b),
            Self::Map(map) => Value::Object(map.clone()),
        }
    }

    /// `{"type": …, "value": …}`.
    pub fn to_wire(&self) -> Value {
        json!({ "type": self.type_name(), "value": self.to_value() })
    }

    fn check(&self, key: &str) -> Result<(), Error> {
        if let Self::Float(f) = self
            && !f.is_finite()
        {
            return Err(Error::new(ErrorKind::InvalidMetadata {
                key: key.to_owned(),
                reason: "floats must be finite".into(),
            }));
        }
        Ok(())
    }
}

macro_rules! from_impls {
    ($($t:ty => $variant:ident $(as $cast:ty)?;)*) => {
        $(impl From<$t> for MetadataValue {
            fn from(value: $t) -> Self {
                Self::$variant(value $(as $cast)?.into())
            }
        })*
    };
}

from_impls! {
    String => String;
    &str => String;
    i64 => Integer;
    i32 => Integer;
    u32 => Integer;
    f64 => Float;
    f32 => Float;
    bool => Boolean;
    Vec<Value> => List;
    Map<String, Value> => Map;
    semver::Version => Version;
}

/// A validated set of metadata updates, in key order.
///
/// ```
/// use svc_mesh::{ErrorKind, Metadata, MetadataValue};
///
/// let mut metadata = Metadata::new();
/// metadata.insert("region", "eu")?;
/// metadata.insert("load", 0.25)?;
/// metadata.insert("version", MetadataValue::version("1.4.0")?)?;
/// assert_eq!(
///     metadata.to_wire()["load"],
///     serde_json::json!({"type": "float", "value": 0.25}),
/// );
/// let refused = metadata.insert("ip", "10.0.0.1").unwrap_err();
/// assert!(matches!(refused.kind(), ErrorKind::ReservedMetadataKey { .. }));
/// # Ok::<(), svc_mesh::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    values: BTreeMap<String, MetadataValue>,
}

impl Metadata {
    /// Empty.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds or replaces `key`, refusing reserved keys, empty keys and non-finite floats.
    pub fn insert(
        &mut self,
        key: impl Into<String>,
        value: impl Into<MetadataValue>,
    ) -> Result<&mut Self, Error> {
        let key = key.into();
        let value = value.into();
        validate_key(&key)?;
        value.check(&key)?;
        self.values.insert(key, value);
        Ok(self)
    }

    /// Builder-style [`insert`](Self::insert).
    pub fn with(
        mut self,
        key: impl Into<String>,
        value: impl Into<MetadataValue>,
    ) -> Result<Self, Error> {
        self.insert(key, value)?;
        Ok(self)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&MetadataValue> {
        self.values.get(key)
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Keys and values in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &MetadataValue)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Merges `other` over `self` (other wins).
    pub fn merge(&mut self, other: &Metadata) {
        for (key, value) in &other.values {
            self.values.insert(key.clone(), value.clone());
        }
    }

    /// The `UPDATE_METADATA` payload: `{key: {type, value}}`.
    pub fn to_wire(&self) -> Value {
        Value::Object(
            self.values
                .iter()
                .map(|(k, v)| (k.clone(), v.to_wire()))
                .collect(),
        )
    }
}

fn validate_key(key: &str) -> Result<(), Error> {
    if RESERVED_KEYS.contains(&key) {
        tracing::warn!(key, "refusing to set a reserved singyeong metadata key");
        return Err(Error::new(ErrorKind::ReservedMetadataKey {
            key: key.to_owned(),
        }));
    }
    if key.is_empty() {
        return Err(Error::new(ErrorKind::InvalidMetadata {
            key: String::new(),
            reason: "keys must not be empty".into(),
        }));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_has_its_wire_shape() {
        let mut map = Map::new();
        map.insert("a".into(), json!(1));
        let metadata = Metadata::new()
            .with("s", "x")
            .and_then(|m| m.with("i", 7_i64))
            .and_then(|m| m.with("f", 1.5))
            .and_then(|m| m.with("v", MetadataValue::version("2.0.1-beta.1").unwrap()))
            .and_then(|m| m.with("l", vec![json!(1), json!("two")]))
            .and_then(|m| m.with("b", true))
            .and_then(|m| m.with("m", map))
            .unwrap();
        assert_eq!(
            metadata.to_wire(),
            json!({
                "s": {"type": "string", "value": "x"},
                "i": {"type": "integer", "value": 7},
                "f": {"type": "float", "value": 1.5},
                "v": {"type": "version", "value": "2.0.1-beta.1"},
                "l": {"type": "list", "value": [1, "two"]},
                "b": {"type": "boolean", "value": true},
                "m": {"type": "map", "value": {"a": 1}},
            })
        );
    }

    #[test]
    fn reserved_and_bad_values_are_refused() {
        for key in RESERVED_KEYS {
            let error = Metadata::new().with(key, 1_i64).unwrap_err();
            assert_eq!(
                error.kind(),
                &ErrorKind::ReservedMetadataKey { key: key.into() }
            );
            assert!(error.to_string().contains(key));
        }
        assert!(matches!(
            Metadata::new().with("f", f64::NAN).unwrap_err().kind(),
            ErrorKind::InvalidMetadata { .. }
        ));
        assert!(matches!(
            Metadata::new().with("", 1_i64).unwrap_err().kind(),
            ErrorKind::InvalidMetadata { .. }
        ));
        assert!(MetadataValue::version("1.2").is_err());
    }

    #[test]
    fn merge_overrides() {
        let mut a = Metadata::new().with("x", 1_i64).unwrap();
        let b = Metadata::new()
            .with("x", 2_i64)
            .and_then(|m| m.with("y", true))
            .unwrap();
        a.merge(&b);
        assert_eq!(a.get("x"), Some(&MetadataValue::Integer(2)));
        assert_eq!(a.len(), 2);
    }
}
