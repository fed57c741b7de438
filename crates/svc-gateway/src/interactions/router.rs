//! [`Router`]: handlers by command path, component and modal `custom_id` prefix, and
//! autocomplete; [`Interactions`]: the running router, one task per interaction.

use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use core_error::BoxError;
use core_events::Listener;
use futures_util::FutureExt as _;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::command_model::{CommandModel, CreateCommand};
use super::contexts::{AutocompleteContext, CommandContext, ComponentContext, ModalContext};
use super::handler::{
    AutocompleteHandler, BoxFuture, CommandHandler, ComponentHandler, ErrorHook, Handler,
    HandlerResult, ModalHandler, boxed,
};
use super::options::CommandOptions;
use super::respond::InteractionContext;
use super::sync::{Registration, SyncOptions, SyncReport, sync};
use crate::client::Client;
use crate::error::{Error, ErrorKind};
use crate::event::InteractionCreate;
use crate::model::{
    ApplicationMarker, Command, CommandData, CommandType, GuildMarker, Id, Interaction,
    InteractionType,
};
use crate::rest::{InteractionResponse, RestClient};

/// What the user sees when a handler fails, unless [`Router::failure_message`] says
/// otherwise.
const DEFAULT_FAILURE: &str = "Something went wrong while handling this. Please try again.";

/// Routes interactions to handlers. Build it once, [`sync`](Self::sync) its commands,
/// then [`attach`](Self::attach) it to a [`Client`].
///
/// - Commands by path: the command name, then subcommand group and subcommand
///   (`"ticket"`, `"ticket open"`, `"ticket admin reset"`); the longest registered path
///   wins, and its handler gets the options at its level.
/// - Components and modals by `custom_id` prefix (the longest registered prefix wins), so
///   a `custom_id` can carry state after it (`"ticket:42"`).
/// - Autocomplete by command path.
///
/// Every failure — no handler, options that do not parse, a handler that returns an error
/// or panics — gives the user an ephemeral message (instead of Discord's "This interaction
/// failed") and goes to the [`on_error`](Self::on_error) hook.
#[must_use]
pub struct Router {
    commands: HashMap<(CommandType, String), CommandHandler>,
    autocomplete: HashMap<String, AutocompleteHandler>,
    components: Vec<(String, ComponentHandler)>,
    modals: Vec<(String, ModalHandler)>,
    registrations: Vec<Registration>,
    on_error: Option<ErrorHook>,
    failure_message: String,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("commands", &self.commands.keys().collect::<Vec<_>>())
            .field(
                "autocomplete",
                &self.autocomplete.keys().collect::<Vec<_>>(),
            )
            .field(
                "components",
                &self.components.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            )
            .field(
                "modals",
                &self.modals.iter().map(|(p, _)| p).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Default for Router {
    fn default() -> Self {
        Self::new()
    }
}

impl Router {
    /// An empty router.
    pub fn new() -> Self {
        Self {
            commands: HashMap::new(),
            autocomplete: HashMap::new(),
            components: Vec::new(),
            modals: Vec::new(),
            registrations: Vec::new(),
            on_error: None,
            failure_message: DEFAULT_FAILURE.to_owned(),
        }
    }

    /// Registers the global command `C` and its handler, which gets `C` parsed from each
    /// interaction. `C` is the type of the handler's second parameter
    /// (`async fn ban(ctx: CommandContext, ban: Ban)`), so `.command(ban)` says it all.
    pub fn command<C, F, Fut>(self, handler: F) -> Self
    where
        C: CommandModel + CreateCommand + Send + 'static,
        F: Fn(CommandContext, C) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerResult,
    {
        let command = C::create_command();
        let kind = command.kind;
        self.register(command)
            .handle::<C, F, Fut>(kind, C::NAME, handler)
    }

    /// Like [`command`](Self::command), registered in `guilds` only.
    pub fn guild_command<C, F, Fut>(
        self,
        guilds: impl IntoIterator<Item = Id<GuildMarker>>,
        handler: F,
    ) -> Self
    where
        C: CommandModel + CreateCommand + Send + 'static,
        F: Fn(CommandContext, C) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerResult,
    {
        let command = C::create_command();
        let kind = command.kind;
        self.register_guild(guilds, command)
            .handle::<C, F, Fut>(kind, C::NAME, handler)
    }

    /// Adds a global definition to sync, without a handler (add one with
    /// [`route`](Self::route)): commands built at runtime.
    pub fn register(mut self, command: Command) -> Self {
        self.registrations.push(Registration {
            command,
            guilds: None,
        });
        self
    }

    /// Adds a definition to sync in `guilds` only.
    pub fn register_guild(
        mut self,
        guilds: impl IntoIterator<Item = Id<GuildMarker>>,
        command: Command,
    ) -> Self {
        self.registrations.push(Registration {
            command,
            guilds: Some(guilds.into_iter().collect()),
        });
        self
    }

    /// Handles the slash command `path` (`"ticket open"` for one subcommand) with options
    /// parsed as `M` at that level: per-subcommand handlers, or a runtime command read as
    /// [`RawOptions`](super::RawOptions).
    pub fn route<M, F, Fut>(self, path: impl Into<String>, handler: F) -> Self
    where
        M: CommandModel + Send + 'static,
        F: Fn(CommandContext, M) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerResult,
    {
        self.handle::<M, F, Fut>(CommandType::ChatInput, path, handler)
    }

    fn handle<M, F, Fut>(mut self, kind: CommandType, path: impl Into<String>, handler: F) -> Self
    where
        M: CommandModel + Send + 'static,
        F: Fn(CommandContext, M) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerResult,
    {
        let handler: CommandHandler = Arc::new(move |context, options| {
            let model = M::from_options(options)?;
            let running = handler(context, model);
            let boxed: BoxFuture<Result<(), BoxError>> =
                Box::pin(async move { running.await.into_result() });
            Ok(boxed)
        });
        self.commands.insert((kind, path.into()), handler);
        self
    }

    /// Answers autocomplete for the command `path` (any of its options; see
    /// [`AutocompleteContext::focused`]).
    pub fn autocomplete<F, Fut>(mut self, path: impl Into<String>, handler: F) -> Self
    where
        F: Fn(AutocompleteContext) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerResult,
    {
        self.autocomplete.insert(path.into(), boxed(handler));
        self
    }

    /// Handles components whose `custom_id` starts with `prefix`.
    pub fn component<F, Fut>(mut self, prefix: impl Into<String>, handler: F) -> Self
    where
        F: Fn(ComponentContext) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerResult,
    {
        insert_prefix(&mut self.components, prefix.into(), boxed(handler));
        self
    }

    /// Handles modal submits whose `custom_id` starts with `prefix`.
    pub fn modal<F, Fut>(mut self, prefix: impl Into<String>, handler: F) -> Self
    where
        F: Fn(ModalContext) -> Fut + Send + Sync + 'static,
        Fut: Future + Send + 'static,
        Fut::Output: HandlerResult,
    {
        insert_prefix(&mut self.modals, prefix.into(), boxed(handler));
        self
    }

    /// Gets every failure (after the user was told): its kind is
    /// [`ErrorKind::UnknownInteraction`], [`ErrorKind::InvalidOptions`] (the source is an
    /// [`OptionError`](super::OptionError)) or [`ErrorKind::Handler`] (the source is the
    /// handler's error). Without a hook, failures are logged.
    pub fn on_error<F, Fut>(mut self, hook: F) -> Self
    where
        F: Fn(Error, InteractionContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.on_error = Some(Arc::new(move |error, context| {
            Box::pin(hook(error, context))
        }));
        self
    }

    /// The ephemeral message a user gets when their interaction fails.
    pub fn failure_message(mut self, text: impl Into<String>) -> Self {
        self.failure_message = text.into();
        self
    }

    /// The registered definitions.
    pub fn commands(&self) -> impl Iterator<Item = &Command> {
        self.registrations.iter().map(|r| &r.command)
    }

    /// Makes Discord's commands the registered ones: for the global scope (or the
    /// development guilds) and each guild with guild commands, fetches what Discord has and
    /// bulk-overwrites only when it differs. Every definition is validated first
    /// ([`ErrorKind::InvalidCommand`]).
    pub async fn sync(
        &self,
        rest: &RestClient,
        application: Id<ApplicationMarker>,
        options: &SyncOptions,
    ) -> Result<SyncReport, Error> {
        sync(rest, application, &self.registrations, options).await
    }

    /// Starts routing the client's `INTERACTION_CREATE`s, each in its own task.
    pub fn attach(self, client: &Client) -> Interactions {
        let mut interactions = self.serve(client.rest().clone());
        let feeder = interactions.dispatcher.clone();
        interactions.listener = Some(client.on(move |event: InteractionCreate| {
            drop(feeder.handle(event.0));
        }));
        interactions
    }

    /// Starts routing interactions given to [`Interactions::handle`] (from an HTTP
    /// endpoint, a queue consumer…), answering through `rest`.
    pub fn serve(self, rest: RestClient) -> Interactions {
        Interactions {
            dispatcher: Dispatcher {
                router: Arc::new(self),
                rest,
            },
            listener: None,
        }
    }
}

fn insert_prefix<H>(routes: &mut Vec<(String, H)>, prefix: String, handler: H) {
    routes.retain(|(p, _)| *p != prefix);
    routes.push((prefix, handler));
    // Longest first, so the most specific prefix wins.
    routes.sort_by_key(|(prefix, _)| std::cmp::Reverse(prefix.len()));
}

fn by_prefix<'a, H>(routes: &'a [(String, H)], custom_id: &str) -> Option<(usize, &'a H)> {
    routes
        .iter()
        .find(|(prefix, _)| custom_id.starts_with(prefix.as_str()))
        .map(|(prefix, handler)| (prefix.len(), handler))
}

/// A running [`Router`]. Dropping it stops routing the client's events.
#[derive(Debug)]
pub struct Interactions {
    dispatcher: Dispatcher,
    listener: Option<Listener>,
}

impl Interactions {
    /// Routes one interaction in its own task (its windows count from now).
    pub fn handle(&self, interaction: Interaction) -> JoinHandle<()> {
        self.dispatcher.handle(interaction)
    }
}

#[derive(Debug, Clone)]
struct Dispatcher {
    router: Arc<Router>,
    rest: RestClient,
}

impl Dispatcher {
    fn handle(&self, interaction: Interaction) -> JoinHandle<()> {
        // The 3-second window started before the event reached us; count from here, as
        // early as this process can.
        let received = Instant::now();
        let router = Arc::clone(&self.router);
        let context = InteractionContext::new(self.rest.clone(), interaction, received);
        tokio::spawn(async move { router.run(context).await })
    }
}

impl Router {
    async fn run(&self, context: InteractionContext) {
        let kind = context.interaction().kind;
        let outcome = match kind {
            InteractionType::ApplicationCommand => self.run_command(&context).await,
            InteractionType::ApplicationCommandAutocomplete => {
                self.run_autocomplete(&context).await
            }
            InteractionType::MessageComponent => self.run_component(&context).await,
            InteractionType::ModalSubmit => self.run_modal(&context).await,
            _ => {
                tracing::debug!(?kind, "interaction type not routed");
                return;
            }
        };
        match outcome {
            Err(error) => self.fail(&context, error).await,
            Ok(()) if !context.is_answered() => tracing::warn!(
                id = %context.interaction().id,
                "handler returned without answering: unless something answers within 3 s, \
                 Discord shows \"This interaction failed\""
            ),
            Ok(()) => {}
        }
    }

    async fn run_command(&self, context: &InteractionContext) -> Result<(), Error> {
        let data = context
            .interaction()
            .command_data()
            .ok_or_else(|| unknown("command without readable data"))?;
        let levels = levels(data);
        let deepest = levels.last().map(|(p, _)| p.clone()).unwrap_or_default();
        for (path, options) in levels.into_iter().rev() {
            if let Some(handler) = self.commands.get(&(data.kind, path.clone())) {
                let command = CommandContext::new(context.clone(), path.clone());
                let running = handler(command, options).map_err(|error| {
                    Error::with_source(ErrorKind::InvalidOptions(path.clone()), error)
                })?;
                return guarded(running, &path).await;
            }
        }
        Err(unknown(&deepest))
    }

    async fn run_autocomplete(&self, context: &InteractionContext) -> Result<(), Error> {
        let data = context
            .interaction()
            .command_data()
            .ok_or_else(|| unknown("autocomplete without readable data"))?;
        let levels = levels(data);
        let deepest = levels.last().map(|(p, _)| p.clone()).unwrap_or_default();
        for (path, _) in levels.into_iter().rev() {
            if let Some(handler) = self.autocomplete.get(&path) {
                let running = handler(AutocompleteContext::new(context.clone(), path.clone()));
                return guarded(running, &path).await;
            }
        }
        Err(unknown(&deepest))
    }

    async fn run_component(&self, context: &InteractionContext) -> Result<(), Error> {
        let custom_id = context
            .interaction()
            .component_data()
            .map(|d| d.custom_id.as_str());
        run_prefixed(&self.components, custom_id, "component", |prefix_len| {
            ComponentContext::new(context.clone(), prefix_len)
        })
        .await
    }

    async fn run_modal(&self, context: &InteractionContext) -> Result<(), Error> {
        let custom_id = context
            .interaction()
            .modal_data()
            .map(|d| d.custom_id.as_str());
        run_prefixed(&self.modals, custom_id, "modal", |prefix_len| {
            ModalContext::new(context.clone(), prefix_len)
        })
        .await
    }

    /// Tells the user (if Discord still lets us), then the hook.
    async fn fail(&self, context: &InteractionContext, error: Error) {
        let told = if context.interaction().kind == InteractionType::ApplicationCommandAutocomplete
        {
            // Autocomplete cannot show a message; no suggestions is the honest answer.
            if context.is_answered() {
                Ok(())
            } else {
                context
                    .initial(
                        &InteractionResponse::autocomplete(Vec::new()),
                        super::respond::Answer::Answered,
                    )
                    .await
            }
        } else {
            context.report_failure(&self.failure_message).await
        };
        if let Err(told) = told {
            tracing::warn!(error = %told, "could not tell the user their interaction failed");
        }
        if let Some(hook) = &self.on_error {
            let running = AssertUnwindSafe(hook(error, context.clone())).catch_unwind();
            if running.await.is_err() {
                tracing::error!("the interaction error hook panicked");
            }
        } else {
            let source = std::error::Error::source(&error).map(ToString::to_string);
            tracing::warn!(%error, ?source, "interaction failed");
        }
    }
}

/// Each level of a command, from the command down to the deepest subcommand, with its
/// route path (`"ticket"`, `"ticket admin"`, `"ticket admin purge"`) and its options.
fn levels(data: &CommandData) -> Vec<(String, CommandOptions<'_>)> {
    let mut levels = vec![(data.name.clone(), CommandOptions::new(data))];
    while let Some((_, name, below)) = levels.last().and_then(|(_, o)| o.descend()) {
        let path = format!("{} {name}", levels.last().map_or("", |(p, _)| p.as_str()));
        levels.push((path, below));
    }
    levels
}

/// Runs the handler of the longest prefix of `custom_id` among `routes`.
async fn run_prefixed<C>(
    routes: &[(String, Handler<C>)],
    custom_id: Option<&str>,
    what: &str,
    context: impl FnOnce(usize) -> C,
) -> Result<(), Error> {
    let custom_id = custom_id.ok_or_else(|| unknown(&format!("{what} without readable data")))?;
    let (prefix_len, handler) = by_prefix(routes, custom_id).ok_or_else(|| unknown(custom_id))?;
    guarded(handler(context(prefix_len)), custom_id).await
}

fn unknown(what: &str) -> Error {
    Error::new(ErrorKind::UnknownInteraction(what.to_owned()))
}

/// Runs a handler, turning its error or panic into [`ErrorKind::Handler`].
async fn guarded(running: BoxFuture<Result<(), BoxError>>, route: &str) -> Result<(), Error> {
    match AssertUnwindSafe(running).catch_unwind().await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(Error::with_source(
            ErrorKind::Handler(route.to_owned()),
            error,
        )),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            Err(Error::with_source(
                ErrorKind::Handler(route.to_owned()),
                HandlerPanicked(message),
            ))
        }
    }
}

/// The source of [`ErrorKind::Handler`] when the handler panicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerPanicked(pub String);

impl std::fmt::Display for HandlerPanicked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the handler panicked: {}", self.0)
    }
}

impl std::error::Error for HandlerPanicked {}
