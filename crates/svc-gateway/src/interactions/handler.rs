//! Handlers as the router stores them: boxed async functions of their context, whatever
//! the user's closure returns (`()` or a `Result` with any error).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use core_error::BoxError;

use super::contexts::{AutocompleteContext, CommandContext, ComponentContext, ModalContext};
use super::option_error::OptionError;
use super::options::CommandOptions;
use super::respond::InteractionContext;
use crate::error::Error;

/// What a handler may return: nothing, or a `Result` whose error goes to the error hook.
pub trait HandlerResult: Send {
    /// The error, if any.
    fn into_result(self) -> Result<(), BoxError>;
}

impl HandlerResult for () {
    fn into_result(self) -> Result<(), BoxError> {
        Ok(())
    }
}

impl<E: Into<BoxError> + Send> HandlerResult for Result<(), E> {
    fn into_result(self) -> Result<(), BoxError> {
        self.map_err(Into::into)
    }
}

pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// A command handler: parses its options (synchronously, borrowing the interaction), then
/// gives the future that runs the user's handler.
pub(crate) type CommandHandler = Arc<
    dyn Fn(
            CommandContext,
            CommandOptions<'_>,
        ) -> Result<BoxFuture<Result<(), BoxError>>, OptionError>
        + Send
        + Sync,
>;

/// A handler of one context type.
pub(crate) type Handler<C> = Arc<dyn Fn(C) -> BoxFuture<Result<(), BoxError>> + Send + Sync>;

pub(crate) type ComponentHandler = Handler<ComponentContext>;

pub(crate) type ModalHandler = Handler<ModalContext>;

pub(crate) type AutocompleteHandler = Handler<AutocompleteContext>;

/// The error hook: every failure, with the interaction it happened on.
pub(crate) type ErrorHook = Arc<dyn Fn(Error, InteractionContext) -> BoxFuture<()> + Send + Sync>;

/// Boxes a user handler of one context type.
pub(crate) fn boxed<C, F, Fut>(handler: F) -> Handler<C>
where
    C: Send + 'static,
    F: Fn(C) -> Fut + Send + Sync + 'static,
    Fut: Future + Send + 'static,
    Fut::Output: HandlerResult,
{
    Arc::new(move |context| {
        let running = handler(context);
        Box::pin(async move { running.await.into_result() })
    })
}
