//! What a gateway close code means for the session.

/// How a shard reacts to a close by the gateway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloseBehaviour {
    /// Reconnect and resume the session.
    Resume,
    /// Reconnect and identify a new session (4007 invalid seq, 4009 session timed out).
    NewSession,
    /// Stop: the configuration is wrong and retrying cannot help.
    Fatal,
}

/// Classifies a close code (`None`: the connection dropped without one).
///
/// ```
/// use svc_gateway::gateway::{CloseBehaviour, close_behaviour};
///
/// assert_eq!(close_behaviour(Some(4004)), CloseBehaviour::Fatal);
/// assert_eq!(close_behaviour(Some(4009)), CloseBehaviour::NewSession);
/// assert_eq!(close_behaviour(Some(4000)), CloseBehaviour::Resume);
/// assert_eq!(close_behaviour(None), CloseBehaviour::Resume);
/// ```
pub fn close_behaviour(code: Option<u16>) -> CloseBehaviour {
    match code {
        Some(4004 | 4010 | 4011 | 4012 | 4013 | 4014) => CloseBehaviour::Fatal,
        Some(4007 | 4009) => CloseBehaviour::NewSession,
        _ => CloseBehaviour::Resume,
    }
}
