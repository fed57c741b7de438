//! Which handlers already finished an entry that is being retried.
//!
//! When some handlers of an entry fail or panic, the entry stays pending and is delivered
//! again; the handlers that finished must not see it twice. The worker records them in a
//! hash per stream and group, `{stream}:done:{group}`, field = entry id, value = their
//! indices in registration order (`0,2`). Only entries with a failure get a record; it is
//! deleted with the entry's acknowledgement or dead letter.

use std::collections::BTreeSet;

/// The hash holding the records of `group` on stream `stream_key`.
pub(crate) fn key(stream_key: &str, group: &str) -> String {
    format!("{stream_key}:done:{group}")
}

/// Indices of the handlers that finished an entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Finished(BTreeSet<usize>);

impl Finished {
    /// Reads a record; anything unreadable counts as nothing finished (the handlers run
    /// again: at least once, never lost).
    pub(crate) fn parse(record: Option<&str>) -> Self {
        Self(
            record
                .unwrap_or_default()
                .split(',')
                .filter_map(|index| index.parse().ok())
                .collect(),
        )
    }

    pub(crate) fn contains(&self, handler: usize) -> bool {
        self.0.contains(&handler)
    }

    pub(crate) fn insert(&mut self, handler: usize) {
        self.0.insert(handler);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The record's text.
    pub(crate) fn to_record(&self) -> String {
        let indices: Vec<String> = self.0.iter().map(usize::to_string).collect();
        indices.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_garbage_means_nothing_finished() {
        let mut finished = Finished::default();
        finished.insert(2);
        finished.insert(0);
        assert_eq!(finished.to_record(), "0,2");
        assert_eq!(Finished::parse(Some("0,2")), finished);
        assert!(Finished::parse(Some("x,,")).is_empty());
        assert!(Finished::parse(None).is_empty());
        assert_eq!(
            key("sb:events:messages", "bot"),
            "sb:events:messages:done:bot"
        );
    }
}
