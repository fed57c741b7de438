//! The gateway packet `{op, d, ts, t}` and its opcodes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorKind};

/// Gateway opcodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OpCode {
    /// 0, recv: `{heartbeat_interval}`.
    Hello,
    /// 1, send: who this client is.
    Identify,
    /// 2, recv: identified (`{client_id, restricted}`).
    Ready,
    /// 3, recv: an application-level problem with a payload.
    Invalid,
    /// 4, both: events.
    Dispatch,
    /// 5, send: keep-alive with `{client_id}`.
    Heartbeat,
    /// 6, recv: heartbeat acknowledged.
    HeartbeatAck,
    /// 7, recv: reconnect (load balancing).
    Goodbye,
    /// 8, recv: unrecoverable error; the server closes.
    Error,
}

impl OpCode {
    /// The wire number.
    pub fn code(self) -> u8 {
        match self {
            Self::Hello => 0,
            Self::Identify => 1,
            Self::Ready => 2,
            Self::Invalid => 3,
            Self::Dispatch => 4,
            Self::Heartbeat => 5,
            Self::HeartbeatAck => 6,
            Self::Goodbye => 7,
            Self::Error => 8,
        }
    }

    /// The opcode for a wire number.
    pub fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::Hello,
            1 => Self::Identify,
            2 => Self::Ready,
            3 => Self::Invalid,
            4 => Self::Dispatch,
            5 => Self::Heartbeat,
            6 => Self::HeartbeatAck,
            7 => Self::Goodbye,
            8 => Self::Error,
            _ => return None,
        })
    }
}

/// An inbound packet, `d` kept as JSON until its opcode says what it is.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Inbound {
    pub(crate) op: u8,
    #[serde(default)]
    pub(crate) d: Value,
    #[serde(default)]
    pub(crate) t: Option<String>,
}

impl Inbound {
    /// Decodes a text frame with simd-json (in place on an owned buffer).
    pub(crate) fn decode(text: String) -> Result<Self, Error> {
        let mut bytes = text.into_bytes();
        simd_json::serde::from_slice(&mut bytes).map_err(|source| {
            tracing::warn!(error = %source, "undecodable singyeong packet");
            Error::with_source(
                ErrorKind::Payload {
                    reason: "undecodable gateway packet".into(),
                },
                source,
            )
        })
    }
}

/// Decodes one inbound text frame as the driver does, and the reply address a dispatch's
/// nonce may carry. Public only for the fuzz targets (`crates/fuzz-targets`), not API.
#[doc(hidden)]
pub fn decode_inbound(text: &str) -> Result<Option<OpCode>, Error> {
    let packet = Inbound::decode(text.to_owned())?;
    if let Some(nonce) = packet.d.get("nonce").and_then(Value::as_str) {
        let _ = crate::nonce::ReplyAddress::parse(nonce);
    }
    Ok(OpCode::from_code(packet.op))
}

#[derive(Serialize)]
struct Outbound<'a> {
    op: u8,
    d: &'a Value,
    ts: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    t: Option<&'a str>,
}

/// Encodes an outbound packet.
pub(crate) fn encode(op: OpCode, t: Option<&str>, d: &Value) -> String {
    let ts = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    serde_json::to_string(&Outbound {
        op: op.code(),
        d,
        ts,
        t,
    })
    .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opcodes_round_trip() {
        for code in 0..=8 {
            assert_eq!(OpCode::from_code(code).unwrap().code(), code);
        }
        assert_eq!(OpCode::from_code(9), None);
    }

    #[test]
    fn packets_encode_and_decode() {
        let text = encode(OpCode::Dispatch, Some("SEND"), &serde_json::json!({"x": 1}));
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["op"], 4);
        assert_eq!(value["t"], "SEND");
        assert!(value["ts"].as_u64().unwrap() > 0);
        let inbound = Inbound::decode(text).unwrap();
        assert_eq!(inbound.op, 4);
        assert_eq!(inbound.d["x"], 1);
        let hello =
            Inbound::decode(r#"{"op":0,"d":{"heartbeat_interval":45000},"ts":1}"#.into()).unwrap();
        assert_eq!(hello.t, None);
        assert!(Inbound::decode("{nope".into()).is_err());
    }
}
