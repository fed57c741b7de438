//! Helpers shared by the end-to-end tests.

use std::time::Duration;

/// Polls `done` on virtual time until it holds, failing after `limit`.
pub(crate) async fn eventually(limit: Duration, mut done: impl FnMut() -> bool) {
    let start = tokio::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < limit,
            "condition not reached within {limit:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
