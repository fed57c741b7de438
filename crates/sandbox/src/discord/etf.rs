//! The gateway's `encoding=etf` on the server side: Erlang External Term Format to and from
//! JSON values. Like Discord, snowflakes (`id`, `*_id` fields and the `roles`/`*_ids` lists
//! of digit strings) go out as 64-bit integers, strings as binaries, maps with atom keys,
//! `null` as the atom `nil`. Clients may send atom or binary keys.

use serde_json::{Map, Number, Value};

const MAX_DEPTH: usize = 128;

/// Why a client's term was refused (the connection closes with 4002).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct BadTerm(pub(crate) &'static str);

/// Decodes one term (with its version byte).
pub(crate) fn decode(bytes: &[u8]) -> Result<Value, BadTerm> {
    let (&version, rest) = bytes.split_first().ok_or(BadTerm("empty"))?;
    if version != 131 {
        return Err(BadTerm("version"));
    }
    let mut input = rest;
    let value = term(&mut input, 0)?;
    if input.is_empty() {
        Ok(value)
    } else {
        Err(BadTerm("trailing bytes"))
    }
}

fn take<'a>(input: &mut &'a [u8], len: usize) -> Result<&'a [u8], BadTerm> {
    if input.len() < len {
        return Err(BadTerm("truncated"));
    }
    let (head, tail) = input.split_at(len);
    *input = tail;
    Ok(head)
}

fn be(input: &mut &[u8], len: usize) -> Result<usize, BadTerm> {
    Ok(take(input, len)?
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)))
}

fn text(bytes: &[u8]) -> Result<String, BadTerm> {
    String::from_utf8(bytes.to_vec()).map_err(|_| BadTerm("not UTF-8"))
}

fn list(input: &mut &[u8], len: usize, depth: usize) -> Result<Vec<Value>, BadTerm> {
    (0..len).map(|_| term(input, depth + 1)).collect()
}

fn term(input: &mut &[u8], depth: usize) -> Result<Value, BadTerm> {
    if depth > MAX_DEPTH {
        return Err(BadTerm("too deep"));
    }
    let tag = take(input, 1)?[0];
    Ok(match tag {
        97 => Value::from(take(input, 1)?[0]),
        98 => {
            let raw: [u8; 4] = take(input, 4)?.try_into().map_err(|_| BadTerm("int"))?;
            Value::from(i32::from_be_bytes(raw))
        }
        70 => {
            let raw: [u8; 8] = take(input, 8)?.try_into().map_err(|_| BadTerm("float"))?;
            Number::from_f64(f64::from_be_bytes(raw)).map_or(Value::Null, Value::Number)
        }
        100 | 118 => atom(&text(take_len(input, 2)?)?),
        115 | 119 => atom(&text(take_len(input, 1)?)?),
        106 => Value::Array(Vec::new()),
        107 => Value::Array(
            take_len(input, 2)?
                .iter()
                .map(|b| Value::from(*b))
                .collect(),
        ),
        108 => {
            let len = be(input, 4)?;
            let items = list(input, len, depth)?;
            if take(input, 1)?[0] != 106 {
                return Err(BadTerm("improper list"));
            }
            Value::Array(items)
        }
        104 => {
            let len = be(input, 1)?;
            Value::Array(list(input, len, depth)?)
        }
        109 => Value::String(text(take_len(input, 4)?)?),
        110 | 111 => {
            let len = be(input, if tag == 110 { 1 } else { 4 })?;
            let sign = take(input, 1)?[0];
            let digits = take(input, len)?;
            if len > 8 {
                return Err(BadTerm("big integer"));
            }
            let magnitude = digits
                .iter()
                .rev()
                .fold(0u64, |acc, d| (acc << 8) | u64::from(*d));
            match sign {
                0 => Value::from(magnitude),
                _ => i64::try_from(magnitude)
                    .map(|m| Value::from(-m))
                    .map_err(|_| BadTerm("big integer"))?,
            }
        }
        116 => {
            let len = be(input, 4)?;
            let mut map = Map::new();
            for _ in 0..len {
                let key = match term(input, depth + 1)? {
                    Value::String(key) => key,
                    Value::Number(n) => n.to_string(),
                    _ => return Err(BadTerm("map key")),
                };
                map.insert(key, term(input, depth + 1)?);
            }
            Value::Object(map)
        }
        _ => return Err(BadTerm("unsupported tag")),
    })
}

fn take_len<'a>(input: &mut &'a [u8], width: usize) -> Result<&'a [u8], BadTerm> {
    let len = be(input, width)?;
    take(input, len)
}

fn atom(name: &str) -> Value {
    match name {
        "nil" | "null" => Value::Null,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => Value::String(name.to_owned()),
    }
}

/// Encodes a value as Discord does (see the module docs).
pub(crate) fn encode(value: &Value) -> Vec<u8> {
    let mut out = vec![131];
    write(value, false, &mut out);
    out
}

fn is_snowflake_key(key: &str) -> bool {
    key == "id" || (key.ends_with("_id") && !matches!(key, "custom_id" | "session_id"))
}

fn is_snowflake_list_key(key: &str) -> bool {
    key == "roles" || key == "ids" || key.ends_with("_ids")
}

fn write_atom(name: &str, out: &mut Vec<u8>) {
    out.push(119);
    out.push(u8::try_from(name.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(name.as_bytes());
}

fn write_u64(value: u64, out: &mut Vec<u8>) {
    if let Ok(small) = u8::try_from(value) {
        out.extend_from_slice(&[97, small]);
    } else if let Ok(int) = i32::try_from(value) {
        out.push(98);
        out.extend_from_slice(&int.to_be_bytes());
    } else {
        let digits: Vec<u8> = value
            .to_le_bytes()
            .into_iter()
            .rev()
            .skip_while(|d| *d == 0)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        out.extend_from_slice(&[110, u8::try_from(digits.len()).unwrap_or(8), 0]);
        out.extend_from_slice(&digits);
    }
}

fn write_len(tag: u8, len: usize, out: &mut Vec<u8>) {
    out.push(tag);
    out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
}

fn write(value: &Value, snowflake: bool, out: &mut Vec<u8>) {
    match value {
        Value::Null => write_atom("nil", out),
        Value::Bool(b) => write_atom(if *b { "true" } else { "false" }, out),
        Value::Number(n) => {
            if let Some(v) = n.as_u64() {
                write_u64(v, out);
            } else if let Some(v) = n.as_i64().and_then(|v| i32::try_from(v).ok()) {
                out.push(98);
                out.extend_from_slice(&v.to_be_bytes());
            } else {
                out.push(70);
                out.extend_from_slice(&n.as_f64().unwrap_or_default().to_be_bytes());
            }
        }
        Value::String(s) => match s.parse::<u64>() {
            Ok(id) if snowflake && !s.starts_with('+') => write_u64(id, out),
            _ => {
                write_len(109, s.len(), out);
                out.extend_from_slice(s.as_bytes());
            }
        },
        Value::Array(items) if items.is_empty() => out.push(106),
        Value::Array(items) => {
            write_len(108, items.len(), out);
            for item in items {
                write(item, snowflake, out);
            }
            out.push(106);
        }
        Value::Object(map) => {
            write_len(116, map.len(), out);
            for (key, item) in map {
                write_atom(key, out);
                let id = is_snowflake_key(key) || (is_snowflake_list_key(key) && item.is_array());
                write(item, id, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn snowflakes_become_integers_and_round_trip() {
        let value = json!({
            "op": 0, "s": 3, "t": "MESSAGE_CREATE",
            "d": {"id": "1100000000000000001", "channel_id": "7", "content": "123",
                  "custom_id": "42", "roles": ["5"], "flags": null, "tts": false, "x": 1.5, "n": -4}
        });
        let bytes = encode(&value);
        let back = decode(&bytes).unwrap();
        assert_eq!(back["d"]["id"], json!(1_100_000_000_000_000_001u64));
        assert_eq!(back["d"]["channel_id"], json!(7));
        assert_eq!(back["d"]["roles"], json!([5]));
        assert_eq!(back["d"]["content"], "123");
        assert_eq!(back["d"]["custom_id"], "42");
        assert_eq!(back["d"]["flags"], Value::Null);
        assert_eq!(back["d"]["x"], 1.5);
        assert_eq!(back["d"]["n"], -4);
        assert_eq!(back["t"], "MESSAGE_CREATE");
    }

    #[test]
    fn bad_terms_are_refused() {
        assert!(decode(&[]).is_err());
        assert!(decode(&[130]).is_err());
        assert!(decode(&[131, 109, 0, 0, 0, 5, b'a']).is_err());
        assert!(decode(&[131, 97, 1, 2]).is_err());
        assert!(decode(&[131, 116, 0, 0, 0, 1, 106, 106]).is_err());
        assert!(decode(&[131, 1]).is_err());
        let deep: Vec<u8> = std::iter::once(131)
            .chain(std::iter::repeat_n([104, 1], 500).flatten())
            .chain([106])
            .collect();
        assert!(decode(&deep).is_err());
    }
}
