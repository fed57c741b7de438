//! The full decode: [`Event::from_slice`] reads the envelope with the scanner and picks the
//! payload type from it, then simd-json (with per-thread reused buffers) parses `d` (alone
//! when the scanner located it, else the whole payload) straight into that type.
//!
//! Shards decode through [`decode`], which never lets a dispatch go: one whose `d` does not
//! fit its type is re-read from the same simd-json tape (no second parse) as
//! [`Event::Unknown`], and the envelope is returned whenever it was readable, so the
//! sequence number is recorded whatever `d` holds.

use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

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
        match decode_as(&target, data, bytes, Strictness::Typed)? {
            Decoded::Typed(event) => Ok(event),
            // Only a lenient decode gives this.
            Decoded::Untyped(_, error) => Err(error),
        }
    }
}

/// A payload as a shard reads it: its envelope, and what `d` turned into.
#[derive(Debug)]
pub(crate) struct ShardPayload {
    /// `op`, `s`, `t`: always readable here (else [`decode`] fails).
    pub(crate) envelope: Envelope,
    /// The event; for a dispatch whose `d` did not fit its type, [`Event::Unknown`] with
    /// `d` as JSON; `None` when nothing usable was left (see `error`).
    pub(crate) event: Option<Event>,
    /// Why the payload did not decode as its type, if it did not.
    pub(crate) error: Option<DecodeError>,
}

/// Decodes for a shard. Fails only when the envelope itself is unreadable (or names an
/// opcode a server never sends); any other failure comes back in [`ShardPayload::error`],
/// with a dispatch's `d` kept as [`Event::Unknown`] whenever it is JSON.
pub(crate) fn decode(bytes: &mut [u8]) -> Result<ShardPayload, DecodeError> {
    let route = Route::scan(bytes)?;
    let target = Target::of(&route)?;
    let data = route.data.clone();
    let envelope = route.into_envelope();
    let (event, error) = match decode_as(&target, data, bytes, Strictness::KeepDispatches) {
        Ok(Decoded::Typed(event)) => (Some(event), None),
        Ok(Decoded::Untyped(raw, error)) => {
            let name = envelope.t.clone().unwrap_or_default();
            (Some(Event::Unknown { name, raw }), Some(error))
        }
        Err(error) => (None, Some(error)),
    };
    Ok(ShardPayload {
        envelope,
        event,
        error,
    })
}

/// Whether a dispatch whose `d` does not fit its type is an error or kept as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strictness {
    Typed,
    KeepDispatches,
}

/// What `d` turned into.
enum Decoded {
    /// The typed event.
    Typed(Event),
    /// (Kept dispatches only) `d` is JSON but not of the dispatch's type.
    Untyped(Value, DecodeError),
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
///
/// With [`Strictness::KeepDispatches`], a dispatch whose `d` fails its typed decode is read
/// again from the tape already built, as JSON: the error path costs one more walk of the
/// tape, the typed path nothing.
fn decode_as(
    target: &Target,
    data: Option<Range<usize>>,
    bytes: &mut [u8],
    strictness: Strictness,
) -> Result<Decoded, DecodeError> {
    let keep = strictness == Strictness::KeepDispatches && matches!(target, Target::Dispatch(_));
    if let Some(range) = data.filter(|range| range.len() <= ALONE_LIMIT) {
        let alone = scratch::with_deserializer_of_copy(&bytes[range], |deserializer| {
            match (DataSeed { target }).deserialize(&mut *deserializer) {
                Ok(event) => Some(Ok(event)),
                // `d` alone is valid JSON here, so it is exactly the payload's `d`.
                Err(error) if keep => {
                    scratch::rewind(deserializer);
                    Value::deserialize(deserializer)
                        .ok()
                        .map(|raw| Err((raw, error)))
                }
                Err(_) => None,
            }
        });
        match alone {
            Ok(Some(Ok(event))) => return finish(target.op(), event).map(Decoded::Typed),
            Ok(Some(Err((raw, error)))) => return Ok(Decoded::Untyped(raw, malformed(error))),
            // Malformed, or more members after `d`: the whole payload decides.
            Ok(None) | Err(_) => {}
        }
    }
    let decoded = scratch::with_deserializer(bytes, |deserializer| {
        let data = DataSeed { target };
        match (PayloadSeed { data }).deserialize(&mut *deserializer) {
            Ok(event) => Ok(event.flatten()),
            Err(error) if keep => {
                scratch::rewind(deserializer);
                let raw = PayloadSeed { data: RawData }
                    .deserialize(deserializer)
                    .ok()
                    .map(|raw| raw.unwrap_or(Value::Null));
                Err((error, raw))
            }
            Err(error) => Err((error, None)),
        }
    });
    match decoded {
        Ok(Ok(event)) => finish(target.op(), event).map(Decoded::Typed),
        Ok(Err((error, Some(raw)))) => Ok(Decoded::Untyped(raw, malformed(error))),
        Ok(Err((error, None))) | Err(error) => Err(malformed(error)),
    }
}

fn malformed(error: simd_json::Error) -> DecodeError {
    DecodeError::with_source(DecodeErrorKind::Malformed, error)
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

/// The top-level object: everything but `d` is skipped (the envelope already has it), `d`
/// goes to the `data` seed. `None` when there is no `d`.
struct PayloadSeed<S> {
    data: S,
}

#[derive(Deserialize)]
#[serde(field_identifier)]
enum Field {
    #[serde(rename = "d")]
    D,
    #[serde(other)]
    Other,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for PayloadSeed<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for PayloadSeed<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a gateway payload object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut seed = Some(self.data);
        let mut data = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::D => {
                    let seed = seed.take().ok_or_else(|| de::Error::duplicate_field("d"))?;
                    data = Some(map.next_value_seed(seed)?);
                }
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(data)
    }
}

/// `d` as JSON, whatever it holds.
struct RawData;

impl<'de> DeserializeSeed<'de> for RawData {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Value::deserialize(deserializer)
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
    fn hello_intervals_of_any_number_read_as_non_negative_milliseconds() {
        for (interval, millis) in [
            ("-1", 0),
            ("-9e300", 0),
            ("41250.9", 41_250),
            ("1e300", u64::MAX),
        ] {
            let text = format!(r#"{{"op":10,"d":{{"heartbeat_interval":{interval}}}}}"#);
            assert!(
                matches!(
                    decode_str(&text),
                    Ok(Event::Hello(Hello { heartbeat_interval })) if heartbeat_interval == millis
                ),
                "{interval}"
            );
        }
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

    fn decode_for_shard(text: &str) -> ShardPayload {
        decode(&mut text.as_bytes().to_vec()).expect("readable envelope")
    }

    #[test]
    fn a_dispatch_of_the_wrong_shape_is_kept_as_json_with_its_sequence() {
        // `content` should be a string; the escapes check that in-place unescaping by the
        // failed typed read does not leak into the JSON kept. One in Discord's key order (the
        // fast path parses `d` alone), one in another order (the whole payload is parsed),
        // one too big to parse `d` alone.
        let data = r#"{"id":"1","channel_id":"2","author":{"id":"3","username":"a\"b\\c\u00e9"},"content":42,"timestamp":"2024-01-01T00:00:00+00:00"}"#;
        let padding = "x".repeat(ALONE_LIMIT);
        let big = format!(
            r#"{{"id":"1","channel_id":"2","author":{{"id":"3","username":"a\"b\\c\u00e9"}},"content":42,"timestamp":"2024-01-01T00:00:00+00:00","pad":"{padding}"}}"#
        );
        for payload in [
            format!(r#"{{"t":"MESSAGE_CREATE","s":7,"op":0,"d":{data}}}"#),
            format!(r#"{{"op":0,"d":{data},"s":7,"t":"MESSAGE_CREATE"}}"#),
            format!(r#"{{"t":"MESSAGE_CREATE","s":7,"op":0,"d":{big}}}"#),
        ] {
            assert_eq!(
                Event::from_slice(&mut payload.clone().into_bytes())
                    .unwrap_err()
                    .kind(),
                &DecodeErrorKind::Malformed,
                "the strict decode refuses it"
            );
            let decoded = decode_for_shard(&payload);
            assert_eq!(decoded.envelope.s, Some(7));
            assert_eq!(
                decoded.error.as_ref().map(DecodeError::kind),
                Some(&DecodeErrorKind::Malformed)
            );
            let Some(Event::Unknown { name, raw }) = decoded.event else {
                panic!("kept as Unknown: {:?}", decoded.event);
            };
            assert_eq!(name, "MESSAGE_CREATE");
            let expected: Value = serde_json::from_str::<Value>(&payload).unwrap()["d"].clone();
            assert_eq!(raw, expected);
            assert_eq!(raw["author"]["username"], "a\"b\\c\u{e9}");
        }
    }

    #[test]
    fn what_the_shard_decode_cannot_keep() {
        // Valid JSON decodes as before.
        let decoded = decode_for_shard(
            r#"{"t":"MESSAGE_DELETE","s":1,"op":0,"d":{"id":"1","channel_id":"2"}}"#,
        );
        assert!(matches!(decoded.event, Some(Event::MessageDelete(_))) && decoded.error.is_none());
        // A dispatch that is not JSON at all: the envelope (and so the sequence) survives.
        let decoded = decode_for_shard(r#"{"t":"MESSAGE_DELETE","s":9,"op":0,"d":{"id":"1",}}"#);
        assert_eq!(
            (decoded.envelope.s, decoded.event.is_none()),
            (Some(9), true)
        );
        assert!(decoded.error.is_some());
        // A control opcode of the wrong shape stays an error.
        let decoded =
            decode_for_shard(r#"{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":"x"}}"#);
        assert!(decoded.event.is_none());
        assert_eq!(
            decoded.error.as_ref().map(DecodeError::kind),
            Some(&DecodeErrorKind::Malformed)
        );
        // An unreadable envelope is an error of its own.
        assert!(decode(&mut b"{\"d\":1}".to_vec()).is_err());
        assert!(decode(&mut b"{\"t\":\"X\",\"s\":".to_vec()).is_err());
    }
}
