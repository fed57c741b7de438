//! JSON-shaped value → ETF term, for the commands a shard sends.

use serde_json::Value;

use super::error::EtfError;

/// Encodes `value` as one ETF term with its version byte.
pub(crate) fn from_json(value: &Value) -> Result<Vec<u8>, EtfError> {
    let mut out = vec![131];
    write(value, &mut out)?;
    Ok(out)
}

fn length(len: usize, out: &[u8]) -> Result<[u8; 4], EtfError> {
    u32::try_from(len)
        .map(u32::to_be_bytes)
        .map_err(|_| EtfError::new("too long for ETF", out.len()))
}

fn atom(name: &str, out: &mut Vec<u8>) {
    out.push(119); // SMALL_ATOM_UTF8_EXT
    out.push(u8::try_from(name.len()).unwrap_or(0));
    out.extend_from_slice(name.as_bytes());
}

fn binary(text: &str, out: &mut Vec<u8>) -> Result<(), EtfError> {
    let len = length(text.len(), out)?;
    out.push(109); // BINARY_EXT
    out.extend_from_slice(&len);
    out.extend_from_slice(text.as_bytes());
    Ok(())
}

fn big(negative: bool, magnitude: u64, out: &mut Vec<u8>) {
    let digits = magnitude.to_le_bytes();
    let used = 8 - (magnitude.leading_zeros() / 8) as usize;
    out.push(110); // SMALL_BIG_EXT
    out.push(u8::try_from(used).unwrap_or(8));
    out.push(u8::from(negative));
    out.extend_from_slice(&digits[..used]);
}

fn number(number: &serde_json::Number, out: &mut Vec<u8>) {
    if let Some(value) = number.as_u64() {
        if let Ok(small) = u8::try_from(value) {
            out.extend_from_slice(&[97, small]); // SMALL_INTEGER_EXT
        } else if let Ok(int) = i32::try_from(value) {
            out.push(98); // INTEGER_EXT
            out.extend_from_slice(&int.to_be_bytes());
        } else {
            big(false, value, out);
        }
    } else if let Some(value) = number.as_i64() {
        if let Ok(int) = i32::try_from(value) {
            out.push(98);
            out.extend_from_slice(&int.to_be_bytes());
        } else {
            big(true, value.unsigned_abs(), out);
        }
    } else {
        out.push(70); // NEW_FLOAT_EXT
        out.extend_from_slice(&number.as_f64().unwrap_or_default().to_be_bytes());
    }
}

fn write(value: &Value, out: &mut Vec<u8>) -> Result<(), EtfError> {
    match value {
        Value::Null => atom("nil", out),
        Value::Bool(true) => atom("true", out),
        Value::Bool(false) => atom("false", out),
        Value::Number(n) => number(n, out),
        Value::String(text) => binary(text, out)?,
        Value::Array(items) if items.is_empty() => out.push(106), // NIL_EXT
        Value::Array(items) => {
            let len = length(items.len(), out)?;
            out.push(108); // LIST_EXT
            out.extend_from_slice(&len);
            for item in items {
                write(item, out)?;
            }
            out.push(106);
        }
        Value::Object(map) => {
            let len = length(map.len(), out)?;
            out.push(116); // MAP_EXT
            out.extend_from_slice(&len);
            for (key, item) in map {
                binary(key, out)?;
                write(item, out)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::etf::to_json;

    #[test]
    fn round_trips_through_the_decoder() {
        let value = json!({
            "op": 2,
            "d": {
                "token": "t\"ok",
                "intents": 33_281,
                "shard": [0, 1],
                "presence": null,
                "compress": false,
                "large": 70_000_000_000u64,
                "negative": -3,
                "very_negative": -70_000_000_000i64,
                "max": u64::MAX,
                "ratio": 0.25,
                "empty": [],
                "nested": {"deep": [true, "x"]},
            }
        });
        let etf = from_json(&value).unwrap();
        let back: Value = serde_json::from_slice(&to_json(&etf).unwrap()).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn small_values_use_the_compact_tags() {
        assert_eq!(from_json(&json!(5)).unwrap(), [131, 97, 5]);
        assert_eq!(
            from_json(&json!(null)).unwrap(),
            [131, 119, 3, b'n', b'i', b'l']
        );
        assert_eq!(from_json(&json!([])).unwrap(), [131, 106]);
        assert_eq!(from_json(&json!(0u64)).unwrap(), [131, 97, 0]);
    }
}
