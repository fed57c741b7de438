//! Reading one stream entry back into a typed event.

use redis::Value;
use redis::streams::StreamId;
use svc_gateway::event::{Event, ShardEvent};

use crate::publisher::{FIELD_DATA, FIELD_EVENTS, FIELD_LENGTHS, FIELD_SHARD, FIELD_SHARDS};

/// Why a stream entry cannot be used (it goes to the dead-letter stream with the reason).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    /// The `shard` field is missing or not a shard number.
    #[error("missing or invalid shard field")]
    Shard,
    /// The `data` field is missing.
    #[error("missing data field")]
    MissingData,
    /// The payload is not a gateway payload the decoder reads (the decode error is the
    /// source).
    #[error("undecodable payload")]
    Undecodable(#[source] svc_gateway::DecodeError),
    /// The payload decodes but is not a dispatch (no event name).
    #[error("not a dispatch")]
    NotADispatch,
    /// A packed entry's `events`, `shards` or `lengths` do not describe its `data`.
    #[error("invalid packing")]
    Packing,
}

impl EntryError {
    /// The reason recorded with a dead-lettered entry: this error and its sources.
    pub(crate) fn reason(&self) -> String {
        let mut reason = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            reason.push_str(": ");
            reason.push_str(&cause.to_string());
            source = cause.source();
        }
        reason
    }
}

/// One event of a packed entry: its shard id and payload bytes.
pub(crate) type Packed<'a> = (u32, &'a [u8]);

/// The events of a packed entry ([`crate::Publisher::publish_packed`]): each one's shard
/// id and payload bytes; `None` for a plain entry (no `events` field).
pub(crate) fn packed(entry: &StreamId) -> Result<Option<Vec<Packed<'_>>>, EntryError> {
    let Some(count) = bytes(entry, FIELD_EVENTS) else {
        return Ok(None);
    };
    let count: usize = number(count).ok_or(EntryError::Packing)?;
    let numbers = |field| -> Result<Vec<usize>, EntryError> {
        let text = bytes(entry, field).ok_or(EntryError::Packing)?;
        text.split(|&byte| byte == b',')
            .map(|n| number(n).ok_or(EntryError::Packing))
            .collect()
    };
    let shards = numbers(FIELD_SHARDS)?;
    let lengths = numbers(FIELD_LENGTHS)?;
    let data = bytes(entry, FIELD_DATA).ok_or(EntryError::MissingData)?;
    if shards.len() != count
        || lengths.len() != count
        || lengths
            .iter()
            .try_fold(0_usize, |sum, &n| sum.checked_add(n))
            != Some(data.len())
    {
        return Err(EntryError::Packing);
    }
    let mut events = Vec::with_capacity(count);
    let mut rest = data;
    for (shard, length) in shards.into_iter().zip(lengths) {
        let (payload, tail) = rest.split_at(length);
        rest = tail;
        events.push((
            u32::try_from(shard).map_err(|_| EntryError::Packing)?,
            payload,
        ));
    }
    Ok(Some(events))
}

fn number(text: &[u8]) -> Option<usize> {
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// Decodes one event of a packed entry.
pub(crate) fn decode_packed(shard_id: u32, data: &[u8]) -> Result<ShardEvent, EntryError> {
    decode_payload(shard_id, data.to_vec())
}

/// Decodes an entry written by [`crate::Publisher`].
pub(crate) fn decode(entry: &StreamId) -> Result<ShardEvent, EntryError> {
    let shard_id = bytes(entry, FIELD_SHARD)
        .and_then(|raw| std::str::from_utf8(raw).ok())
        .and_then(|text| text.parse::<u32>().ok())
        .ok_or(EntryError::Shard)?;
    let data = bytes(entry, FIELD_DATA)
        .ok_or(EntryError::MissingData)?
        .to_vec();
    decode_payload(shard_id, data)
}

/// Decodes one payload (a copy: the decoder works in place).
fn decode_payload(shard_id: u32, mut data: Vec<u8>) -> Result<ShardEvent, EntryError> {
    let event = Event::from_slice(&mut data).map_err(EntryError::Undecodable)?;
    if event.name().is_none() {
        return Err(EntryError::NotADispatch);
    }
    Ok(ShardEvent { shard_id, event })
}

/// Decodes an entry given as its fields (a later repeat of a field wins, as in the reply
/// map). Public only for the fuzz targets (`crates/fuzz-targets`), not API.
#[doc(hidden)]
pub fn decode_fields(fields: &[(&str, &[u8])]) -> Result<ShardEvent, EntryError> {
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
                .reason()
                .contains("shard")
        );
        assert!(
            decode(&entry(&[("shard", b"x"), ("data", b"{}")]))
                .unwrap_err()
                .reason()
                .contains("shard")
        );
        assert!(
            decode(&entry(&[("shard", b"1")]))
                .unwrap_err()
                .reason()
                .contains("data")
        );
        assert!(
            decode(&entry(&[("shard", b"1"), ("data", b"{\"op\":0,")]))
                .unwrap_err()
                .reason()
                .contains("undecodable")
        );
        assert!(
            decode(&entry(&[
                ("shard", b"1"),
                ("data", br#"{"op":11,"d":null}"#)
            ]))
            .unwrap_err()
            .reason()
            .contains("dispatch")
        );
    }

    #[test]
    fn a_packed_entry_splits_into_its_events_and_bad_packing_is_refused() {
        let pack = entry(&[
            ("events", b"3"),
            ("shards", b"0,5,1"),
            ("lengths", b"2,0,3"),
            ("data", b"abxyz"),
        ]);
        let events = packed(&pack).unwrap().unwrap();
        assert_eq!(
            events,
            vec![(0, &b"ab"[..]), (5, &b""[..]), (1, &b"xyz"[..])]
        );
        assert!(
            packed(&entry(&[("shard", b"0"), ("data", b"{}")]))
                .unwrap()
                .is_none()
        );
        for (events, shards, lengths) in [
            (&b"2"[..], &b"0,5,1"[..], &b"2,0,3"[..]),
            (b"3", b"0,5", b"2,0,3"),
            (b"3", b"0,5,1", b"2,0,4"),
            (b"x", b"0,5,1", b"2,0,3"),
            (b"3", b"0,-5,1", b"2,0,3"),
        ] {
            let bad = entry(&[
                ("events", events),
                ("shards", shards),
                ("lengths", lengths),
                ("data", b"abxyz"),
            ]);
            assert!(matches!(packed(&bad), Err(EntryError::Packing)));
        }
    }

    #[test]
    fn an_undecodable_payload_keeps_the_decode_error_as_its_source() {
        let error = decode(&entry(&[("shard", b"1"), ("data", b"{\"op\":0,")])).unwrap_err();
        assert!(matches!(error, EntryError::Undecodable(_)));
        assert_eq!(error.to_string(), "undecodable payload");
        let source = std::error::Error::source(&error).expect("the decode error");
        assert!(
            error
                .reason()
                .starts_with(&format!("undecodable payload: {source}"))
        );
    }
}
