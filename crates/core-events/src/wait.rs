//! One-shot waits: the future behind `once` and `wait_for`.

use std::sync::Arc;

use tokio::sync::broadcast;

use crate::{Error, ErrorKind, Extract, stats::Counters};

/// Resolves to the first event, typed as `T`, that satisfies `predicate`.
///
/// Lag is logged and counted but does not end the wait: the match may still come.
pub(crate) async fn first_match<E, T, P>(
    mut receiver: broadcast::Receiver<E>,
    hub: Arc<Counters>,
    mut predicate: P,
) -> Result<T, Error>
where
    E: Clone,
    T: Extract<E>,
    P: FnMut(&T) -> bool,
{
    loop {
        match receiver.recv().await {
            Ok(event) => {
                if let Some(typed) = T::extract(event)
                    && predicate(&typed)
                {
                    return Ok(typed);
                }
            }
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                hub.add_missed(missed);
                tracing::warn!(
                    missed,
                    "a pending once/wait_for fell behind the hub's buffer; the awaited event may have been dropped"
                );
            }
            Err(broadcast::error::RecvError::Closed) => return Err(Error::new(ErrorKind::Closed)),
        }
    }
}
