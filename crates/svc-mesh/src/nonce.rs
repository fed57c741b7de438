//! Request nonces that carry their reply address, so a responder knows where to answer.

use serde_json::Value;

const PREFIX: &str = "sbreq:";

/// Who sent a request: the responder routes its reply to this client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReplyAddress {
    pub(crate) application: String,
    pub(crate) client_id: String,
    pub(crate) seq: u64,
}

impl ReplyAddress {
    /// `sbreq:["app","client",7]`: JSON inside, so ids may hold any character.
    pub(crate) fn encode(&self) -> String {
        let inner = Value::Array(vec![
            Value::from(self.application.as_str()),
            Value::from(self.client_id.as_str()),
            Value::from(self.seq),
        ]);
        format!("{PREFIX}{inner}")
    }

    pub(crate) fn parse(nonce: &str) -> Option<Self> {
        let inner: Value = serde_json::from_str(nonce.strip_prefix(PREFIX)?).ok()?;
        match inner.as_array()?.as_slice() {
            [
                Value::String(application),
                Value::String(client_id),
                Value::Number(seq),
            ] => Some(Self {
                application: application.clone(),
                client_id: client_id.clone(),
                seq: seq.as_u64()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_awkward_ids() {
        let address = ReplyAddress {
            application: "a:b|c".into(),
            client_id: "x\"y]".into(),
            seq: 42,
        };
        assert_eq!(ReplyAddress::parse(&address.encode()), Some(address));
        assert_eq!(ReplyAddress::parse("plain-nonce"), None);
        assert_eq!(ReplyAddress::parse("sbreq:[1,2,3]"), None);
    }
}
