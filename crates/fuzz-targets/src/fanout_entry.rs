//! fanout: a Redis stream entry back into a typed event.

/// Fields are NUL-separated, alternating name and value (`shard\03\0data\0{…}`); a name
/// that is not text is skipped with its value.
pub(crate) fn decode(data: &[u8]) {
    let parts: Vec<&[u8]> = data.split(|&b| b == 0).collect();
    let fields: Vec<(&str, &[u8])> = parts
        .chunks(2)
        .filter_map(|pair| match pair {
            [name, value] => Some((std::str::from_utf8(name).ok()?, *value)),
            _ => None,
        })
        .collect();
    if let Ok(event) = fanout::decode_fields(&fields) {
        assert!(event.event.name().is_some(), "only dispatches decode");
    }
}
