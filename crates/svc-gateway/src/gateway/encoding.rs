//! The gateway's payload encoding: JSON text frames, or ETF binary frames with the `etf`
//! feature.

use serde::Serialize;
use transport_ws::Priority;

use super::commands::{MAX_PAYLOAD_BYTES, Outgoing};
use crate::decode_error::DecodeError;
use crate::error::{Error, ErrorKind};
use crate::event::{ShardPayload, decode};

/// How payloads are encoded on the wire (`encoding=` in the gateway URL).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum GatewayEncoding {
    /// `encoding=json` (the default).
    #[default]
    Json,
    /// `encoding=etf`: Erlang External Term Format, binary frames (feature `etf`).
    #[cfg(feature = "etf")]
    Etf,
}

/// An encoded payload, ready for the socket.
pub(crate) enum Frame {
    Text(String),
    #[cfg(feature = "etf")]
    Binary(Vec<u8>),
}

impl GatewayEncoding {
    /// The `encoding` query value.
    pub(crate) fn query(self) -> &'static str {
        match self {
            Self::Json => "json",
            #[cfg(feature = "etf")]
            Self::Etf => "etf",
        }
    }

    /// Serialises a payload, refusing more than 4096 bytes.
    pub(crate) fn encode<T: Serialize>(self, op: u8, data: &T) -> Result<Frame, Error> {
        let payload = Outgoing { op, d: data };
        let frame = match self {
            Self::Json => Frame::Text(
                serde_json::to_string(&payload)
                    .map_err(|e| Error::with_source(ErrorKind::Decode, e))?,
            ),
            #[cfg(feature = "etf")]
            Self::Etf => {
                let value = serde_json::to_value(&payload)
                    .map_err(|e| Error::with_source(ErrorKind::Decode, e))?;
                Frame::Binary(
                    crate::etf::from_json(&value)
                        .map_err(|e| Error::with_source(ErrorKind::Decode, e))?,
                )
            }
        };
        let size = match &frame {
            Frame::Text(text) => text.len(),
            #[cfg(feature = "etf")]
            Frame::Binary(bytes) => bytes.len(),
        };
        if size > MAX_PAYLOAD_BYTES {
            return Err(Error::new(ErrorKind::PayloadTooLarge { size }));
        }
        Ok(frame)
    }

    /// Decodes one received payload (see [`decode`] for what fails and what is kept).
    pub(crate) fn decode(self, bytes: &mut [u8]) -> Result<ShardPayload, DecodeError> {
        match self {
            Self::Json => decode(bytes),
            #[cfg(feature = "etf")]
            Self::Etf => {
                let mut json = crate::etf::to_json(bytes).map_err(|e| {
                    DecodeError::with_source(crate::decode_error::DecodeErrorKind::Malformed, e)
                })?;
                decode(&mut json)
            }
        }
    }
}

/// Sends an encoded payload.
pub(crate) async fn send<T: Serialize>(
    sender: &transport_ws::Sender,
    encoding: GatewayEncoding,
    op: u8,
    data: &T,
    priority: Priority,
) -> Result<(), Error> {
    let sent = match encoding.encode(op, data)? {
        Frame::Text(text) => sender.send_text(text, priority).await,
        #[cfg(feature = "etf")]
        Frame::Binary(bytes) => sender.send_binary(bytes, priority).await,
    };
    sent.map_err(|e| Error::with_source(ErrorKind::NotConnected, e))
}
