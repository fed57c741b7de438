//! The full decode: [`Event::from_slice`] reads the envelope with the scanner and picks the
//! payload type from it, then simd-json (with per-thread reused buffers) parses `d` (alone
//! when the scanner located it, else the whole payload) straight into that type.

use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::envelope::Route;
use super::{
    Dispatch, Envelope, Event, HeartbeatAck, HeartbeatRequest, Hello, InvalidSession, Reconnect,
    opcode, scratch,
};
use crate::decode_error::{DecodeError, DecodeErrorKind};

impl Event {
    /// Decodes a whole gateway payload (`op`, `d`, `s`, `t`) with simd-json. The buffer may
    /// be used as scratch space (simd-json unescapes in place). The whole payload is
    /// validated, not only `d`.
    ///
    /// Each thread keeps simd-json's working buffers between calls (for payloads up to
    /// 1 MiB), so decoding a typical dispatch allocates only what the event itself holds.
    ///
    /// Unknown dispatch names give [`Event::Unknown`]; an opcode a server never sends, a
    /// dispatch without a name, or malformed JSON give a [`DecodeError`].
    ///
    /// ```
    /// use svc_gateway::{event::{Event, MessageCreate}};
    ///
    /// let mut raw = br#"{"t":"MESSAGE_CREATE","s":3,"op":0,"d":{"id":"1","channel_id":"2",
    ///   "author":{"id":"3","username":"ana"},"content":"ping","timestamp":"2024-01-01T00:00:00+00:00"}}"#.to_vec();
    /// let Event::MessageCreate(message) = Event::from_slice(&mut raw).unwrap() else { panic!() };
    /// assert_eq!(message.content, "ping");
    ///
    /// let mut raw = br#"{"t":"SOMETHING_NEW","s":4,"op":0,"d":{"x":1}}"#.to_vec();
    /// assert!(matches!(Event::from_slice(&mut raw).unwrap(), Event::Unknown { name, .. } if name == "SOMETHING_NEW"));
    /// ```
    pub fn from_slice(bytes: &mut [u8]) -> Result<Self, DecodeError> {
        let route = Route::scan(bytes)?;
        let target = Target::of(&route)?;
        let data = route.data;
        decode_as(&target, data, bytes)
    }
}

/// Decodes and also returns the envelope (the shard needs `s`).
pub(crate) fn decode(bytes: &mut [u8]) -> Result<(Envelope, Event), DecodeError> {
    let route = Route::scan(bytes)?;
    let target = Target::of(&route)?;
    let data = route.data.clone();
    let envelope = route.into_envelope();
    let event = decode_as(&target, data, bytes)?;
    Ok((envelope, event))
}

/// What `d` decodes to, decided from the envelope alone. Owns nothing but an unknown
/// dispatch's name, so the payload can be handed to the parser mutably afterwards.
enum Target {
    Control(u8),
    Dispatch(Dispatch),
    Unknown(String),
}

impl Target {
    fn of(route: &Route<'_>) -> Result<Self, DecodeError> {
        match route.op {
            opcode::DISPATCH => {
                let name = route
                    .t
                    .as_deref()
                    .ok_or_else(|| DecodeError::new(DecodeErrorKind::MissingEventName))?;
                Ok(Dispatch::from_name(name)
                    .map_or_else(|| Self::Unknown(name.to_owned()), Self::Dispatch))
            }
            op @ (opcode::HEARTBEAT
            | opcode::RECONNECT
            | opcode::INVALID_SESSION
            | opcode::HELLO
            | opcode::HEARTBEAT_ACK) => Ok(Self::Control(op)),
            op => Err(DecodeError::new(DecodeErrorKind::UnknownOpcode {
                op: u64::from(op),
            })),
        }
    }

    fn op(&self) -> u8 {
        match self {
            Self::Control(op) => *op,
            Self::Dispatch(_) | Self::Unknown(_) => opcode::DISPATCH,
        }
    }
}

/// Above this, `d` is not parsed alone: the envelope is a negligible share of such a
/// payload, and parsing in place spares copying it.
const ALONE_LIMIT: usize = 64 << 10;

/// Decodes `d` alone when the envelope located it (the common case: no second parse of
/// the envelope, no top-level object to walk), else, or when that fails, the whole payload.
fn decode_as(
    target: &Target,
    data: Option<Range<usize>>,
    bytes: &mut [u8],
) -> Result<Event, DecodeError> {
    if let Some(range) = data.filter(|range| range.len() <= ALONE_LIMIT) {
        let alone = scratch::with_deserializer_of_copy(&bytes[range], |deserializer| {
            DataSeed { target }.deserialize(deserializer)
        });
        if let Ok(Ok(event)) = alone {
            return finish(target.op(), event);
        }
        // Malformed, or more members after `d`: the whole payload decides.
    }
    let decoded = scratch::with_deserializer(bytes, |deserializer| {
        PayloadSeed { target }.deserialize(deserializer)
    })
    .map_err(|e| DecodeError::with_source(DecodeErrorKind::Malformed, e))?;
    match decoded {
        Ok(event) => finish(target.op(), event),
        Err(error) => Err(DecodeError::with_source(DecodeErrorKind::Malformed, error)),
    }
}

/// `None`: `d` was null or absent.
fn finish(op: u8, event: Option<Event>) -> Result<Event, DecodeError> {
    match event {
        Some(event) => Ok(event),
        None => match op {
            // Reconnect and ACK carry `d: null`, which some senders leave out entirely.
            opcode::RECONNECT => Ok(Event::Reconnect(Reconnect)),
            opcode::HEARTBEAT_ACK => Ok(Event::HeartbeatAck(HeartbeatAck)),
            opcode::HEARTBEAT => Ok(Event::HeartbeatRequest(HeartbeatRequest { seq: None })),
            op => Err(DecodeError::new(DecodeErrorKind::MissingData { op })),
        },
    }
}

/// The top-level object: everything but `d` is skipped (the envelope already has it).
struct PayloadSeed<'a> {
    target: &'a Target,
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum Field {
    #[serde(rename = "d")]
    D,
    #[serde(other)]
    Other,
}

impl<'de> DeserializeSeed<'de> for PayloadSeed<'_> {
    type Value = Option<Event>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PayloadSeed<'_> {
    type Value = Option<Event>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a gateway payload object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut target = Some(self.target);
        let mut event = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::D => {
                    let target = target
                        .take()
                        .ok_or_else(|| de::Error::duplicate_field("d"))?;
                    event = map.next_value_seed(DataSeed { target })?;
                }
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(event)
    }
}

/// `d`, typed by opcode and event name. `None` when `d` is null where null is allowed.
struct DataSeed<'a> {
    target: &'a Target,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = Option<Event>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let op = match self.target {
            Target::Dispatch(dispatch) => return dispatch.deserialize(deserializer).map(Some),
            Target::Unknown(name) => {
                return serde_json::Value::deserialize(deserializer).map(|raw| {
                    Some(Event::Unknown {
                        name: name.clone(),
                        raw,
                    })
                });
            }
            Target::Control(op) => *op,
        };
        match op {
            opcode::HELLO => Hello::deserialize(deserializer).map(|h| Some(Event::Hello(h))),
            opcode::INVALID_SESSION => bool::deserialize(deserializer)
                .map(|resumable| Some(Event::InvalidSession(InvalidSession { resumable }))),
            opcode::HEARTBEAT => Option::<u64>::deserialize(deserializer)
                .map(|seq| Some(Event::HeartbeatRequest(HeartbeatRequest { seq }))),
            _ => IgnoredAny::deserialize(deserializer).map(|_| None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_str(text: &str) -> Result<Event, DecodeError> {
        Event::from_slice(&mut text.as_bytes().to_vec())
    }

    #[test]
    fn control_opcodes() {
        assert!(matches!(
            decode_str(r#"{"op":10,"d":{"heartbeat_interval":41250}}"#),
            Ok(Event::Hello(Hello {
                heartbeat_interval: 41250
            }))
        ));
        assert!(matches!(
            decode_str(r#"{"op":11,"d":null}"#),
            Ok(Event::HeartbeatAck(_))
        ));
        assert!(matches!(
            decode_str(r#"{"op":11}"#),
            Ok(Event::HeartbeatAck(_))
        ));
        assert!(matches!(
            decode_str(r#"{"op":7,"d":null,"s":null,"t":null}"#),
            Ok(Event::Reconnect(_))
        ));
        assert!(matches!(
            decode_str(r#"{"op":9,"d":true}"#),
            Ok(Event::InvalidSession(InvalidSession { resumable: true }))
        ));
        assert!(matches!(
            decode_str(r#"{"op":1,"d":5}"#),
            Ok(Event::HeartbeatRequest(HeartbeatRequest { seq: Some(5) }))
        ));
    }

    #[test]
    fn data_alone_and_whole_payload_agree() {
        // `d` followed by another member, with an escape in `d`: parsing `d` alone fails,
        // and the whole payload must still decode from untouched bytes.
        let Ok(Event::MessageCreate(message)) = decode_str(
            r#"{"t":"MESSAGE_CREATE","s":1,"op":0,"d":{"id":"1","channel_id":"2","author":{"id":"3","username":"a"},"content":"say \"hi\"","timestamp":"2024-01-01T00:00:00Z"},"x":{"y":"\u0041"}}"#,
        ) else {
            panic!("not decoded")
        };
        assert_eq!(message.content, r#"say "hi""#);
        // Not JSON, although `d` alone is: leading zeros, raw control characters in `t`,
        // a stray byte after the object.
        for bad in [
            "{\"t\":\"MESSAGE_DELETE\",\"s\":01,\"op\":0,\"d\":{\"id\":\"1\",\"channel_id\":\"2\"}}",
            "{\"t\":\"MESSAGE_DELETE\",\"s\":1,\"op\":00,\"d\":{\"id\":\"1\",\"channel_id\":\"2\"}}",
            "{\"t\":\"X\u{1}\",\"s\":1,\"op\":0,\"d\":{}}",
            "{\"t\":\"MESSAGE_DELETE\",\"s\":1,\"op\":0,\"d\":{\"id\":\"1\",\"channel_id\":\"2\"}}}",
            "{\"t\":\"MESSAGE_DELETE\",\"s\":1,\"op\":0,\"d\":}",
        ] {
            assert_eq!(
                decode_str(bad).unwrap_err().kind(),
                &DecodeErrorKind::Malformed,
                "{bad:?}"
            );
        }
        assert!(matches!(
            decode_str(r#"{"t":null,"s":null,"op":11,"d":null} "#),
            Ok(Event::HeartbeatAck(_))
        ));
        assert!(matches!(
            decode_str(r#"{"t":"MESSAGE_DELETE","s":1,"op":0,"d":{"id":"1","channel_id":"2"},"d":{}}"#),
            Err(e) if e.kind() == &DecodeErrorKind::Malformed
        ));
    }

    #[test]
    fn errors_are_typed() {
        assert_eq!(
            decode_str(r#"{"op":2,"d":{}}"#).unwrap_err().kind(),
            &DecodeErrorKind::UnknownOpcode { op: 2 }
        );
        assert_eq!(
            decode_str(r#"{"op":0,"d":{}}"#).unwrap_err().kind(),
            &DecodeErrorKind::MissingEventName
        );
        assert_eq!(
            decode_str(r#"{"op":10}"#).unwrap_err().kind(),
            &DecodeErrorKind::MissingData { op: 10 }
        );
        assert_eq!(
            decode_str(r#"{"op":10,"d":{"heartbeat_interval":"x"}}"#)
                .unwrap_err()
                .kind(),
            &DecodeErrorKind::Malformed
        );
        assert_eq!(
            decode_str(r#"{"t":"MESSAGE_DELETE","op":0,"d":{"id":"1"}}"#)
                .unwrap_err()
                .kind(),
            &DecodeErrorKind::Malformed
        );
    }
}
