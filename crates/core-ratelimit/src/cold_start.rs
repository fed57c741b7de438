//! [`ColdStart`]: what a shared limiter does when its Redis state is missing.

/// What a Redis-backed limiter does when it finds no state for its key: on the very first
/// use, or after the server restarted without persistence (or evicted the key) and so
/// forgot the slots taken just before.
///
/// Each key has a *fence* (a small key without expiry). When the fence is missing, the
/// script recreates it and, with [`ColdStart::Wait`], grants nothing for one full window:
/// every slot taken before the state was lost has then left the window, so a restart of
/// Redis can never let more than `limit` through in any window, whichever processes noticed
/// the restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub enum ColdStart {
    /// Wait one window before the first grant after state was lost (the safe default).
    #[default]
    Wait,
    /// Trust an empty state and grant at once (only when nothing else could have used the
    /// key within the last window, such as a fresh key name in a test).
    Trust,
}
