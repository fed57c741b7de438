//! Chaos mode: a platform server that turns hostile or broken on demand, for tests of
//! clients against servers they cannot trust.
//!
//! Each platform keeps a [`ChaosSwitch`]; its servers consult it at the points where a
//! behaviour applies (HELLO, heartbeat ACKs, READY, dispatches; every HTTP response of the
//! Clash, Helix/OAuth and singyeong servers). Behaviours are switched
//! on and off at any time and apply to connections made later as well as open ones.
//!
//! ```
//! use sandbox::chaos::{Chaos, ChaosSwitch};
//!
//! let switch = ChaosSwitch::default();
//! switch.on("tiny-heartbeat".parse::<Chaos>().unwrap());
//! assert!(switch.is_on(Chaos::TinyHeartbeat));
//! switch.clear();
//! assert!(switch.active().is_empty());
//! ```

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use parking_lot::Mutex;

pub(crate) mod http;

/// One way a server misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Chaos {
    /// Numbers the clients read (heartbeat intervals; on HTTP servers every JSON number,
    /// `Ratelimit-*` header and `Cache-Control: max-age`) are as large as the wire allows.
    HugeNumbers,
    /// Numbers the clients read (as for [`Chaos::HugeNumbers`]) are negative.
    NegativeNumbers,
    /// Heartbeat intervals of 1 ms.
    TinyHeartbeat,
    /// Heartbeats are never acknowledged.
    NeverAck,
    /// The connection is dropped after the client logs in, before it is answered.
    DropMidHandshake,
    /// Offered reconnect URLs point elsewhere: plain `ws://` to a host that is not loopback.
    ForeignReconnectUrl,
    /// Every dispatch is sent twice with the same sequence number.
    DuplicateSequence,
    /// After every dispatch the one before it is sent again: a sequence number lower than
    /// the last one arrives.
    OutOfOrderSequence,
    /// Before every dispatch, a message whose JSON is not UTF-8 (EventSub: a binary frame
    /// that is not UTF-8 before every message; chat: such a line before every line).
    InvalidUtf8,
    /// Before every dispatch, the first half of it: JSON cut off mid-value.
    TruncatedFrames,
    /// Every dispatch's `d.id` is `true` instead of a snowflake string (EventSub: before
    /// every notification one whose ids are numbers and whose event is a string; chat: a
    /// PRIVMSG with garbage tag values before every tagged one).
    WrongTypes,
    /// Once, then off again: before the next dispatch, a message that compresses to a few
    /// KiB and inflates past 16 MiB (only on `zlib-stream` and `zstd-stream` connections).
    DecompressionBomb,
    /// Once, then off again: before the next dispatch, a 17 MiB frame.
    OversizedFrames,
    /// Every dispatch is written a few bytes at a time, a second between the pieces (chat
    /// over TCP: every byte written and flushed on its own).
    SlowLoris,
    /// A frame or line past any sane cap: a chat line that never ends (the connection is
    /// then dropped), an EventSub text frame of 2 MiB before every message.
    EndlessLine,
    /// The connection is closed right after the welcome: a reconnect storm (EventSub).
    QuickClose,
    /// HTTP bodies end halfway while `Content-Length` announces them whole.
    TruncatedBody,
    /// HTTP bodies run past any client's cap (64 MiB, chunked, no `Content-Length`).
    OversizedBody,
    /// HTTP bodies carry bytes that are not UTF-8 inside a JSON string.
    InvalidUtf8Body,
    /// Every JSON field of an HTTP body has the wrong type: numbers become strings, strings
    /// numbers, booleans strings.
    WrongTypeFields,
    /// Slow-loris: HTTP bodies trickle one byte a second.
    SlowBody,
}

impl Chaos {
    /// Every behaviour, in order.
    pub const ALL: &'static [Self] = &[
        Self::HugeNumbers,
        Self::NegativeNumbers,
        Self::TinyHeartbeat,
        Self::NeverAck,
        Self::DropMidHandshake,
        Self::ForeignReconnectUrl,
        Self::DuplicateSequence,
        Self::OutOfOrderSequence,
        Self::InvalidUtf8,
        Self::TruncatedFrames,
        Self::WrongTypes,
        Self::DecompressionBomb,
        Self::OversizedFrames,
        Self::SlowLoris,
        Self::EndlessLine,
        Self::QuickClose,
        Self::TruncatedBody,
        Self::OversizedBody,
        Self::InvalidUtf8Body,
        Self::WrongTypeFields,
        Self::SlowBody,
    ];

    /// The behaviour's name for the control API and the CLI (`tiny-heartbeat`).
    pub fn name(self) -> &'static str {
        match self {
            Self::HugeNumbers => "huge-numbers",
            Self::NegativeNumbers => "negative-numbers",
            Self::TinyHeartbeat => "tiny-heartbeat",
            Self::NeverAck => "never-ack",
            Self::DropMidHandshake => "drop-mid-handshake",
            Self::ForeignReconnectUrl => "foreign-reconnect-url",
            Self::DuplicateSequence => "duplicate-sequence",
            Self::OutOfOrderSequence => "out-of-order-sequence",
            Self::InvalidUtf8 => "invalid-utf8",
            Self::TruncatedFrames => "truncated-frames",
            Self::WrongTypes => "wrong-types",
            Self::DecompressionBomb => "decompression-bomb",
            Self::OversizedFrames => "oversized-frames",
            Self::SlowLoris => "slow-loris",
            Self::EndlessLine => "endless-line",
            Self::QuickClose => "quick-close",
            Self::TruncatedBody => "truncated-body",
            Self::OversizedBody => "oversized-body",
            Self::InvalidUtf8Body => "invalid-utf8-body",
            Self::WrongTypeFields => "wrong-type-fields",
            Self::SlowBody => "slow-body",
        }
    }
}

impl fmt::Display for Chaos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is no [`Chaos`] behaviour.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no chaos behaviour by that name")]
pub struct UnknownChaos;

impl FromStr for Chaos {
    type Err = UnknownChaos;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.name() == name)
            .ok_or(UnknownChaos)
    }
}

/// The behaviours switched on for one platform (clones share them).
#[derive(Debug, Clone, Default)]
pub struct ChaosSwitch {
    active: Arc<Mutex<BTreeSet<Chaos>>>,
}

impl ChaosSwitch {
    /// Switches `chaos` on.
    pub fn on(&self, chaos: Chaos) {
        self.active.lock().insert(chaos);
    }

    /// Switches `chaos` off.
    pub fn off(&self, chaos: Chaos) {
        self.active.lock().remove(&chaos);
    }

    /// Switches every behaviour off: the server behaves again.
    pub fn clear(&self) {
        self.active.lock().clear();
    }

    /// Whether `chaos` is on, switching it off if so: for behaviours that fire once.
    pub fn take(&self, chaos: Chaos) -> bool {
        self.active.lock().remove(&chaos)
    }

    /// Whether `chaos` is on.
    pub fn is_on(&self, chaos: Chaos) -> bool {
        self.active.lock().contains(&chaos)
    }

    /// The behaviours that are on, in order.
    pub fn active(&self) -> Vec<Chaos> {
        self.active.lock().iter().copied().collect()
    }
}

/// A heartbeat interval in milliseconds as the switch wants it, `normal` when no number
/// chaos is on.
pub(crate) fn heartbeat_interval(switch: &ChaosSwitch, normal: u64) -> serde_json::Value {
    if switch.is_on(Chaos::HugeNumbers) {
        serde_json::Value::from(u64::MAX)
    } else if switch.is_on(Chaos::NegativeNumbers) {
        serde_json::Value::from(-1_i64)
    } else if switch.is_on(Chaos::TinyHeartbeat) {
        serde_json::Value::from(1_u64)
    } else {
        serde_json::Value::from(normal)
    }
}

/// The bytes [`Chaos::InvalidUtf8`] sends: not UTF-8 in any reading.
pub(crate) const INVALID_UTF8: &[u8] = b"\xff\xfe\xc3\x28 PRIVMSG #\xe2\x82 :\xf0\x28\x8c\xbc";

/// How long the frame or line [`Chaos::EndlessLine`] sends is (2 MiB).
pub(crate) const ENDLESS_LEN: usize = 2 * 1024 * 1024;

/// The reconnect URL [`Chaos::ForeignReconnectUrl`] offers: clear text to a host that is
/// not loopback (nothing listens there; a client must refuse it rather than try).
pub(crate) const FOREIGN_URL: &str = "ws://192.0.2.1:80/elsewhere";

#[cfg(test)]
mod tests {
    use super::{Chaos, ChaosSwitch};

    #[test]
    fn every_behaviour_round_trips_its_name() {
        for chaos in Chaos::ALL {
            assert_eq!(chaos.name().parse::<Chaos>(), Ok(*chaos));
        }
        assert!("gateway-on-fire".parse::<Chaos>().is_err());
    }

    #[test]
    fn take_fires_a_behaviour_once() {
        let switch = ChaosSwitch::default();
        switch.on(Chaos::DecompressionBomb);
        assert!(switch.take(Chaos::DecompressionBomb));
        assert!(!switch.take(Chaos::DecompressionBomb));
        assert!(switch.active().is_empty());
    }
}
