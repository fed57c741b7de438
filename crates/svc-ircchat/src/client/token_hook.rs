//! The token-expiry hook: an async callback that may hand the client a new token when Twitch
//! refuses its login (twitchio's `event_token_expired`, which returns a token or `None`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use svc_helix::AccessToken;

type HookFuture = Pin<Box<dyn Future<Output = Option<AccessToken>> + Send>>;

/// The callback set with
/// [`ChatConfigBuilder::on_token_expired`](crate::ChatConfigBuilder::on_token_expired).
#[derive(Clone)]
pub(crate) struct TokenHook(Arc<dyn Fn() -> HookFuture + Send + Sync>);

impl TokenHook {
    pub(crate) fn new<F, Fut>(hook: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Option<AccessToken>> + Send + 'static,
    {
        Self(Arc::new(move || Box::pin(hook()) as HookFuture))
    }

    /// Asks for a new token.
    pub(crate) async fn call(&self) -> Option<AccessToken> {
        (self.0)().await
    }
}

impl fmt::Debug for TokenHook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenHook(..)")
    }
}
