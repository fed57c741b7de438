//! Discord gateway payloads (svc-gateway): envelope, full decode, ETF, timestamps.

use std::fmt::Debug;

use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use svc_gateway::event::{Envelope, Event};
use svc_gateway::model::Timestamp;

/// The payload with one leading space: still the same JSON, but the fast path (which wants
/// `{"t":` at byte 0) steps aside and the general scanner reads it.
fn spaced(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 1);
    out.push(b' ');
    out.extend_from_slice(data);
    out
}

/// Two decodes of the same payload accept and reject alike, and agree on what they accept.
fn agree<T: Debug, E: Debug>(what: &str, a: &Result<T, E>, b: &Result<T, E>) {
    match (a, b) {
        (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{what}: values differ"),
        (Err(_), Err(_)) => {}
        _ => panic!("{what}: one accepts, the other rejects: {a:?} / {b:?}"),
    }
}

pub(crate) fn envelope(data: &[u8]) {
    let fast = Envelope::from_slice(data);
    let general = Envelope::from_slice(&spaced(data));
    agree("Envelope fast path vs scanner", &fast, &general);
}

pub(crate) fn event(data: &[u8]) {
    let decoded = Event::from_slice(&mut data.to_vec());
    let general = Event::from_slice(&mut spaced(data));
    agree("Event fast path vs general path", &decoded, &general);
    let Ok(event) = decoded else {
        return;
    };
    let envelope = Envelope::from_slice(data).expect("Event accepted what Envelope rejects");
    if envelope.op == svc_gateway::event::opcode::DISPATCH {
        assert_eq!(event.name(), envelope.t.as_deref(), "dispatch name");
    }
    // The whole payload was validated, so a reference parser reads the same op/s/t, unless
    // a name repeats at the top level (JSON leaves that meaning open) or it disagrees with
    // simd-json on what valid JSON is (not ours to judge).
    if let Some(reference) = Reference::of(data) {
        assert_eq!(u64::from(envelope.op), reference.op, "op");
        assert_eq!(envelope.s, reference.s, "s");
        assert_eq!(envelope.t, reference.t, "t");
    }
}

#[cfg(feature = "etf")]
pub(crate) fn etf(data: &[u8]) {
    let _ = Event::from_etf(data);
}

pub(crate) fn timestamp(data: &[u8]) {
    crate::display_round_trip(data, Timestamp::parse);
}

/// op/s/t as serde_json reads them from the top-level object.
struct Reference {
    op: u64,
    s: Option<u64>,
    t: Option<String>,
}

impl Reference {
    fn of(data: &[u8]) -> Option<Self> {
        let members = serde_json::from_slice::<Members>(data).ok()?.0;
        let one = |name: &str| -> Option<Option<&Value>> {
            let mut found = members.iter().filter(|(key, _)| key == name);
            let first = found.next().map(|(_, value)| value);
            found.next().is_none().then_some(first)
        };
        let op = one("op")??.as_u64()?;
        let s = one("s")?.and_then(Value::as_u64);
        let t = one("t")?.and_then(Value::as_str).map(str::to_owned);
        Some(Self { op, s, t })
    }
}

/// A top-level object's members in order, repeats kept (`Value` would keep only the last).
struct Members(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Collect;
        impl<'de> Visitor<'de> for Collect {
            type Value = Members;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    // Only op/s/t are compared; skip the rest without building it.
                    if matches!(key.as_str(), "op" | "s" | "t") {
                        members.push((key, map.next_value()?));
                    } else {
                        map.next_value::<IgnoredAny>()?;
                        members.push((key, Value::Null));
                    }
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(Collect)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_reads_op_s_t_and_refuses_repeats() {
        let reference = Reference::of(br#"{"d":{"op":9},"op":0,"s":3,"t":"X"}"#).unwrap();
        assert_eq!(
            (reference.op, reference.s, reference.t.as_deref()),
            (0, Some(3), Some("X"))
        );
        assert!(Reference::of(br#"{"op":0,"op":1}"#).is_none());
    }

    #[test]
    fn a_disagreement_panics() {
        let caught = std::panic::catch_unwind(|| {
            agree::<u8, ()>("test", &Ok(1), &Err(()));
        });
        assert!(caught.is_err());
    }
}
