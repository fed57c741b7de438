//! Reading one stream entry back into a typed event.

use redis::Value;
use redis::streams::StreamId;
use svc_gateway::event::{Event, ShardEvent};

use crate::publisher::{FIELD_DATA, FIELD_SHARD};

/// Decodes an entry written by [`crate::Publisher`]; the error says why it cannot be used
/// (it goes to the dead-letter stream with that reason).
pub(crate) fn decode(entry: &StreamId) -> Result<ShardEvent, String> {
    let shard_id = bytes(entry, FIELD_SHARD)
        .and_then(|raw| std::str::from_utf8(raw).ok())
        .and_then(|text| text.parse::<u32>().ok())
        .ok_or_else(|| "missing or invalid shard field".to_owned())?;
    let mut data = bytes(entry, FIELD_DATA)
        .ok_or_else(|| "missing data field".to_owned())?
        .to_vec();
    let event =
        Event::from_slice(&mut data).map_err(|error| format!("undecodable payload: {error}"))?;
    if event.name().is_none() {
        return Err("not a dispatch".to_owned());
    }
    Ok(ShardEvent { shard_id, event })
}

/// Decodes an entry given as its fields (a later repeat of a field wins, as in the reply
/// map). Public only for the fuzz targets (`crates/fuzz-targets`), not API.
#[doc(hidden)]
pub fn decode_fields(fields: &[(&str, &[u8])]) -> Result<ShardEvent, String> {
    let entry = StreamId {
        id: "0-1".to_owned(),
        map: fields
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Value::BulkString(value.to_vec())))
            .collect(),
    };
    decode(&entry)
}

/// A field's bytes, if it is there.
pub(crate) fn bytes<'a>(entry: &'a StreamId, field: &str) -> Option<&'a [u8]> {
    match entry.map.get(field)? {
        Value::BulkString(raw) => Some(raw),
        Value::SimpleString(text) => Some(text.as_bytes()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn entry(fields: &[(&str, &[u8])]) -> StreamId {
        StreamId {
            id: "1-0".into(),
            map: fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::BulkString(v.to_vec())))
                .collect::<HashMap<_, _>>(),
        }
    }

    #[test]
    fn decodes_a_dispatch_and_names_what_is_wrong_otherwise() {
        let ok = entry(&[
            ("shard", b"3"),
            ("data", br#"{"t":"SOMETHING_NEW","s":1,"op":0,"d":{}}"#),
        ]);
        let event = decode(&ok).unwrap();
        assert_eq!(event.shard_id, 3);
        assert_eq!(event.event.name(), Some("SOMETHING_NEW"));

        assert!(
            decode(&entry(&[("data", b"{}")]))
                .unwrap_err()
                .contains("shard")
        );
        assert!(
            decode(&entry(&[("shard", b"x"), ("data", b"{}")]))
                .unwrap_err()
                .contains("shard")
        );
        assert!(
            decode(&entry(&[("shard", b"1")]))
                .unwrap_err()
                .contains("data")
        );
        assert!(
            decode(&entry(&[("shard", b"1"), ("data", b"{\"op\":0,")]))
                .unwrap_err()
                .contains("undecodable")
        );
        assert!(
            decode(&entry(&[
                ("shard", b"1"),
                ("data", br#"{"op":11,"d":null}"#)
            ]))
            .unwrap_err()
            .contains("dispatch")
        );
    }
}
