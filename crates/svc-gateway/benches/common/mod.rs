//! What the Discord benches share: the fixtures, and each side's decode of them.
#![allow(dead_code)] // each bench uses part of it

use twilight_model::gateway::event::{Event as TwilightEvent, GatewayEventDeserializer};

/// A file under `fixtures/discord/`.
pub(crate) fn fixture(name: &str) -> String {
    let path = format!(
        "{}/../../fixtures/discord/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The payloads of a one-per-line fixture.
pub(crate) fn lines(name: &str) -> Vec<String> {
    fixture(name).lines().map(str::to_owned).collect()
}

/// Our decode of one payload; a payload we reject makes every comparison meaningless.
pub(crate) fn ours(line: &str) -> svc_gateway::event::Event {
    svc_gateway::event::Event::from_slice(&mut line.as_bytes().to_vec())
        .unwrap_or_else(|e| panic!("svc-gateway rejects a fixture line ({e}): {}", head(line)))
}

/// twilight-model's decode of one payload (serde_json, as twilight-gateway does by default).
pub(crate) fn twilight_result(line: &str) -> Result<TwilightEvent, String> {
    use serde::de::DeserializeSeed;
    let deserializer = GatewayEventDeserializer::from_json(line).ok_or("no envelope")?;
    let mut json = serde_json::Deserializer::from_str(line);
    deserializer
        .deserialize(&mut json)
        .map(TwilightEvent::from)
        .map_err(|e| e.to_string())
}

/// [`twilight_result`], for fixtures both sides must accept.
pub(crate) fn twilight(line: &str) -> TwilightEvent {
    twilight_result(line)
        .unwrap_or_else(|e| panic!("twilight rejects a fixture line ({e}): {}", head(line)))
}

/// The dispatch name (`t`) of a fixture line.
pub(crate) fn event_name(line: &str) -> &str {
    line.strip_prefix("{\"t\":\"")
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
}

/// The start of a payload, for messages about it.
fn head(line: &str) -> &str {
    line.get(..200).unwrap_or(line)
}
