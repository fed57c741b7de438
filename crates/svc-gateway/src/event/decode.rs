//! The full decode: [`Event::from_slice`] reads the envelope with the scanner, then lets
//! simd-json deserialize only `d`, straight into the type the envelope names.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{
    Envelope, Event, HeartbeatAck, HeartbeatRequest, Hello, InvalidSession, Reconnect,
    decode_dispatch, opcode,
};
use crate::decode_error::{DecodeError, DecodeErrorKind};

impl Event {
    /// Decodes a whole gateway payload (`op`, `d`, `s`, `t`) with simd-json. The buffer is
    /// used as scratch space (simd-json unescapes in place).
    ///
    /// Unknown dispatch names give [`Event::Unknown`]; an opcode a server never sends, a
    /// dispatch without a name, or malformed JSON give a [`DecodeError`].
    ///
    /// ```
    /// use svc_gateway::{Event, MessageCreate};
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
        decode(bytes).map(|(_, event)| event)
    }
}

/// Decodes and also returns the envelope (the shard needs `s`).
pub(crate) fn decode(bytes: &mut [u8]) -> Result<(Envelope, Event), DecodeError> {
    let envelope = Envelope::from_slice(bytes)?;
    let event = decode_with(&envelope, bytes)?;
    Ok((envelope, event))
}

fn decode_with(envelope: &Envelope, bytes: &mut [u8]) -> Result<Event, DecodeError> {
    match envelope.op {
        opcode::DISPATCH
        | opcode::HEARTBEAT
        | opcode::RECONNECT
        | opcode::INVALID_SESSION
        | opcode::HELLO
        | opcode::HEARTBEAT_ACK => {}
        op => {
            return Err(DecodeError::new(DecodeErrorKind::UnknownOpcode {
                op: u64::from(op),
            }));
        }
    }
    if envelope.op == opcode::DISPATCH && envelope.t.is_none() {
        return Err(DecodeError::new(DecodeErrorKind::MissingEventName));
    }
    let seed = PayloadSeed {
        op: envelope.op,
        t: envelope.t.as_deref(),
    };
    let mut deserializer = simd_json::Deserializer::from_slice(bytes)
        .map_err(|e| DecodeError::with_source(DecodeErrorKind::Malformed, e))?;
    match seed.deserialize(&mut deserializer) {
        Ok(Some(event)) => Ok(event),
        Ok(None) => match envelope.op {
            // Reconnect and ACK carry `d: null`, which some senders leave out entirely.
            opcode::RECONNECT => Ok(Event::Reconnect(Reconnect)),
            opcode::HEARTBEAT_ACK => Ok(Event::HeartbeatAck(HeartbeatAck)),
            opcode::HEARTBEAT => Ok(Event::HeartbeatRequest(HeartbeatRequest { seq: None })),
            op => Err(DecodeError::new(DecodeErrorKind::MissingData { op })),
        },
        Err(error) => Err(DecodeError::with_source(DecodeErrorKind::Malformed, error)),
    }
}

/// The top-level object: everything but `d` is skipped (the envelope already has it).
struct PayloadSeed<'a> {
    op: u8,
    t: Option<&'a str>,
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
        let mut event = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::D if event.is_none() => {
                    event = Some(map.next_value_seed(DataSeed {
                        op: self.op,
                        t: self.t,
                    })?);
                }
                Field::D => return Err(de::Error::duplicate_field("d")),
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(event.flatten())
    }
}

/// `d`, typed by opcode and event name. `None` when `d` is null where null is allowed.
struct DataSeed<'a> {
    op: u8,
    t: Option<&'a str>,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = Option<Event>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        match self.op {
            opcode::DISPATCH => decode_dispatch(self.t.unwrap_or_default(), deserializer).map(Some),
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
