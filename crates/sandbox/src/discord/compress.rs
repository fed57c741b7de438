//! Transport compression as the gateway does it: one stream per connection, each message
//! flushed so it can be inflated on its own (zlib: sync flush ending in `00 00 ff ff`).

use std::io::Write;

use flate2::write::ZlibEncoder;
use tokio_tungstenite::tungstenite::Message;

pub(crate) enum Encoder {
    None,
    Zlib(ZlibEncoder<Vec<u8>>),
    Zstd(Box<zstd::stream::write::Encoder<'static, Vec<u8>>>),
}

impl Encoder {
    pub(crate) fn new(compress: Option<&str>) -> Result<Self, String> {
        match compress {
            None | Some("") => Ok(Self::None),
            Some("zlib-stream") => Ok(Self::Zlib(ZlibEncoder::new(
                Vec::new(),
                flate2::Compression::default(),
            ))),
            Some("zstd-stream") => zstd::stream::write::Encoder::new(Vec::new(), 3)
                .map(|e| Self::Zstd(Box::new(e)))
                .map_err(|e| e.to_string()),
            Some(other) => Err(format!("unknown compression {other}")),
        }
    }

    /// One binary gateway message (ETF) as a WebSocket frame.
    pub(crate) fn frame_binary(&mut self, bytes: Vec<u8>) -> std::io::Result<Message> {
        match self {
            Self::None => Ok(Message::binary(bytes)),
            Self::Zlib(encoder) => {
                encoder.write_all(&bytes)?;
                encoder.flush()?;
                Ok(Message::binary(std::mem::take(encoder.get_mut())))
            }
            Self::Zstd(encoder) => {
                encoder.write_all(&bytes)?;
                encoder.flush()?;
                Ok(Message::binary(std::mem::take(encoder.get_mut())))
            }
        }
    }

    /// One gateway message as a WebSocket frame.
    pub(crate) fn frame(&mut self, text: &str) -> std::io::Result<Message> {
        match self {
            Self::None => Ok(Message::text(text.to_owned())),
            Self::Zlib(encoder) => {
                encoder.write_all(text.as_bytes())?;
                encoder.flush()?;
                Ok(Message::binary(std::mem::take(encoder.get_mut())))
            }
            Self::Zstd(encoder) => {
                encoder.write_all(text.as_bytes())?;
                encoder.flush()?;
                Ok(Message::binary(std::mem::take(encoder.get_mut())))
            }
        }
    }
}
