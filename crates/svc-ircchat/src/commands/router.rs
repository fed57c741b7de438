//! The router: [`ChatCommand`]s registered on a [`CommandsBuilder`], started on a client as
//! [`Commands`], which listens for [`Privmsg`]s and runs each handler in its own task.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use core_error::BoxError;
use core_events::Listener;

use crate::commands::cooldown::Cooldowns;
use crate::commands::parse::invocation;
use crate::commands::{Args, CommandError, CommandErrorKind, Cooldown, Permission};
use crate::{ChatClient, Error, Privmsg};

type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send>>;
type Handler = Arc<dyn Fn(Context) -> HandlerFuture + Send + Sync>;
type ErrorHook = Arc<dyn Fn(CommandFailure) + Send + Sync>;

/// Twitch's limit on one message, in characters (the help listing is cut to it).
const MAX_MESSAGE_CHARS: usize = 500;

/// One command: a name, aliases, a help line, who may run it, a cooldown, and the handler.
pub struct ChatCommand {
    name: String,
    aliases: Vec<String>,
    help: Option<String>,
    permission: Permission,
    cooldown: Option<Cooldown>,
    handler: Handler,
}

impl fmt::Debug for ChatCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatCommand")
            .field("name", &self.name)
            .field("aliases", &self.aliases)
            .field("permission", &self.permission)
            .field("cooldown", &self.cooldown)
            .finish_non_exhaustive()
    }
}

impl ChatCommand {
    /// A command `name` (matched case-insensitively after a prefix) run by `handler`. The
    /// handler's error goes to the error hook: return a
    /// `Box<dyn std::error::Error + Send + Sync>` to mix argument errors (`ctx.args.get(0)?`) and
    /// send errors (`ctx.reply(…)?`).
    pub fn new<F, Fut, E>(name: &str, handler: F) -> Self
    where
        F: Fn(Context) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let handler: Handler = Arc::new(move |context: Context| {
            let fut = handler(context);
            Box::pin(async move { fut.await.map_err(Into::<BoxError>::into) }) as HandlerFuture
        });
        Self {
            name: name.to_lowercase(),
            aliases: Vec::new(),
            help: None,
            permission: Permission::Everyone,
            cooldown: None,
            handler,
        }
    }

    /// Another name for it (twitchio's `aliases=`).
    #[must_use]
    pub fn alias(mut self, alias: &str) -> Self {
        self.aliases.push(alias.to_lowercase());
        self
    }

    /// Its line in the help listing.
    #[must_use]
    pub fn help(mut self, text: &str) -> Self {
        self.help = Some(text.to_owned());
        self
    }

    /// Who may run it (default: everyone).
    #[must_use]
    pub fn permission(mut self, permission: Permission) -> Self {
        self.permission = permission;
        self
    }

    /// Its cooldown (twitchio's `@commands.cooldown(rate, per, bucket)`).
    #[must_use]
    pub fn cooldown(mut self, cooldown: Cooldown) -> Self {
        self.cooldown = Some(cooldown);
        self
    }
}

/// What a handler gets: the message, how it was invoked, the arguments, and the client to
/// answer with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Context {
    /// The message that invoked the command.
    pub message: Privmsg<'static>,
    /// The prefix used.
    pub prefix: String,
    /// The command's name (its own, even when invoked by an alias).
    pub command: String,
    /// The arguments.
    pub args: Args,
    client: ChatClient,
}

impl Context {
    /// Replies to the message (a threaded reply).
    pub fn reply(&self, text: &str) -> Result<(), Error> {
        self.client.reply(&self.message, text)
    }

    /// Says `text` in the message's channel.
    pub fn say(&self, text: &str) -> Result<(), Error> {
        self.client.say(&self.message.channel_login, text)
    }

    /// The sender's standing in the channel.
    pub fn permission(&self) -> Permission {
        Permission::of(&self.message)
    }

    /// The client, for anything else.
    pub fn client(&self) -> &ChatClient {
        &self.client
    }
}

/// A command that did not run or failed, as the error hook gets it.
#[derive(Debug)]
#[non_exhaustive]
pub struct CommandFailure {
    /// The message that invoked it.
    pub message: Privmsg<'static>,
    /// The command's name, `None` when no command has the name typed.
    pub command: Option<String>,
    /// Why.
    pub error: CommandError,
}

/// One line of the help listing.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HelpEntry {
    /// The command's name.
    pub name: String,
    /// Its aliases.
    pub aliases: Vec<String>,
    /// Its help line.
    pub help: Option<String>,
    /// Who may run it.
    pub permission: Permission,
}

/// Sets up a router; [`start`](Self::start) runs it on a client.
#[must_use]
pub struct CommandsBuilder {
    prefixes: Vec<String>,
    commands: Vec<ChatCommand>,
    on_error: Option<ErrorHook>,
    help_command: Option<String>,
}

impl fmt::Debug for CommandsBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CommandsBuilder")
            .field("prefixes", &self.prefixes)
            .field("commands", &self.commands)
            .field("help_command", &self.help_command)
            .finish_non_exhaustive()
    }
}

impl CommandsBuilder {
    /// The prefixes a command starts with (default `!`; twitchio's `prefix=` list).
    pub fn prefixes<I, S>(mut self, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.prefixes = prefixes.into_iter().map(Into::into).collect();
        self
    }

    /// Registers a command (a later one with the same name or alias replaces it).
    pub fn command(mut self, command: ChatCommand) -> Self {
        self.commands.push(command);
        self
    }

    /// Called for every command that did not run (unknown name, missing permission, on
    /// cooldown) or failed (bad or missing argument, handler error): twitchio's
    /// `event_command_error`. Without a hook these are logged (`tracing`, debug).
    pub fn on_error(mut self, hook: impl Fn(CommandFailure) + Send + Sync + 'static) -> Self {
        self.on_error = Some(Arc::new(hook));
        self
    }

    /// A built-in command `name` that replies with the help listing.
    pub fn help_command(mut self, name: &str) -> Self {
        self.help_command = Some(name.to_lowercase());
        self
    }

    /// Starts routing `client`'s messages. Each handler runs in its own task, so a slow one
    /// holds up no other. The router runs until [`Commands`] is dropped or stopped.
    pub fn start(self, client: &ChatClient) -> Commands {
        let mut by_name = HashMap::new();
        let mut entries = Vec::new();
        for command in self.commands {
            let index = entries.len();
            by_name.insert(command.name.clone(), index);
            for alias in &command.aliases {
                by_name.insert(alias.clone(), index);
            }
            let cooldowns = command.cooldown.map(Cooldowns::new);
            entries.push(Entry { command, cooldowns });
        }
        let router = Arc::new(Router {
            prefixes: self.prefixes,
            by_name,
            entries,
            on_error: self.on_error,
            help_command: self.help_command,
            client: client.clone(),
        });
        let listening = Arc::clone(&router);
        let listener = client
            .events()
            .on(move |message: Privmsg<'static>| listening.dispatch(message));
        Commands { router, listener }
    }
}

struct Entry {
    command: ChatCommand,
    cooldowns: Option<Cooldowns>,
}

struct Router {
    prefixes: Vec<String>,
    by_name: HashMap<String, usize>,
    entries: Vec<Entry>,
    on_error: Option<ErrorHook>,
    help_command: Option<String>,
    client: ChatClient,
}

/// A running command router (twitchio's `commands.Bot`). Build with [`Commands::builder`].
///
/// ```no_run
/// # async fn demo(client: svc_ircchat::ChatClient) {
/// use std::time::Duration;
/// use svc_ircchat::commands::{Bucket, ChatCommand, Commands, Cooldown, Permission};
///
/// let commands = Commands::builder()
///     .prefixes(["!", "?"])
///     .command(
///         ChatCommand::new("add", |ctx| async move {
///             let (a, b): (i64, i64) = (ctx.args.get(0)?, ctx.args.get(1)?);
///             ctx.reply(&format!("{}", a + b))?;
///             Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
///         })
///         .alias("plus")
///         .help("adds two numbers")
///         .cooldown(Cooldown::new(1, Duration::from_secs(5), Bucket::Member)),
///     )
///     .command(
///         ChatCommand::new("so", |ctx| async move {
///             ctx.say(&format!("Go follow {}!", ctx.args.raw()))
///         })
///         .permission(Permission::Moderator),
///     )
///     .help_command("help")
///     .on_error(|failure| eprintln!("{}: {}", failure.message.text, failure.error))
///     .start(&client);
/// # drop(commands);
/// # }
/// ```
pub struct Commands {
    router: Arc<Router>,
    listener: Listener,
}

impl fmt::Debug for Commands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Commands")
            .field("prefixes", &self.router.prefixes)
            .field("commands", &self.router.entries.len())
            .finish_non_exhaustive()
    }
}

impl Commands {
    /// A router with the prefix `!` and no commands.
    pub fn builder() -> CommandsBuilder {
        CommandsBuilder {
            prefixes: vec!["!".to_owned()],
            commands: Vec::new(),
            on_error: None,
            help_command: None,
        }
    }

    /// The help listing: every command with its aliases, help line and permission.
    pub fn help(&self) -> Vec<HelpEntry> {
        self.router.help()
    }

    /// The help listing as one chat line (cut to 500 characters).
    pub fn help_text(&self) -> String {
        self.router.help_text()
    }

    /// Stops routing (handlers already running finish).
    pub fn stop(self) {
        self.listener.cancel();
    }
}

impl Router {
    fn dispatch(self: &Arc<Self>, message: Privmsg<'static>) {
        let (prefix, name, rest) = match invocation(&message.text, &self.prefixes) {
            Some(found) => (found.prefix.to_owned(), found.name, found.rest.to_owned()),
            None => return,
        };
        if self.help_command.as_deref() == Some(name.as_str()) {
            if let Err(error) = self.client.reply(&message, &self.help_text()) {
                self.fail(
                    message,
                    Some(name),
                    CommandError::with_source(CommandErrorKind::Handler, error),
                );
            }
            return;
        }
        let Some(entry) = self.by_name.get(&name).map(|index| &self.entries[*index]) else {
            self.fail(
                message,
                None,
                CommandError::new(CommandErrorKind::Unknown { name }),
            );
            return;
        };
        let command = entry.command.name.clone();
        let needed = entry.command.permission;
        if Permission::of(&message) < needed {
            self.fail(
                message,
                Some(command),
                CommandError::new(CommandErrorKind::MissingPermission { needed }),
            );
            return;
        }
        if let Some(cooldowns) = &entry.cooldowns
            && let Err(retry_after) = cooldowns.take(&message)
        {
            self.fail(
                message,
                Some(command),
                CommandError::new(CommandErrorKind::OnCooldown { retry_after }),
            );
            return;
        }
        let context = Context {
            message: message.clone(),
            prefix,
            command: command.clone(),
            args: Args::new(&rest),
            client: self.client.clone(),
        };
        let handler = Arc::clone(&entry.command.handler);
        let router = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(source) = handler(context).await {
                // An argument error raised with `?` keeps its own kind.
                let error = match source.downcast::<CommandError>() {
                    Ok(error) => *error,
                    Err(source) => CommandError::with_source(CommandErrorKind::Handler, source),
                };
                router.fail(message, Some(command), error);
            }
        });
    }

    fn fail(&self, message: Privmsg<'static>, command: Option<String>, error: CommandError) {
        if let Some(hook) = &self.on_error {
            hook(CommandFailure {
                message,
                command,
                error,
            });
        } else {
            tracing::debug!(%error, "a chat command did not run");
        }
    }

    fn help(&self) -> Vec<HelpEntry> {
        let mut entries: Vec<HelpEntry> = self
            .entries
            .iter()
            .map(|entry| HelpEntry {
                name: entry.command.name.clone(),
                aliases: entry.command.aliases.clone(),
                help: entry.command.help.clone(),
                permission: entry.command.permission,
            })
            .collect();
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        entries
    }

    fn help_text(&self) -> String {
        let prefix = self.prefixes.first().map_or("", String::as_str);
        let text = self
            .help()
            .iter()
            .map(|entry| {
                let mut line = format!("{prefix}{}", entry.name);
                if !entry.aliases.is_empty() {
                    line.push_str(" (");
                    line.push_str(&entry.aliases.join(", "));
                    line.push(')');
                }
                if let Some(help) = &entry.help {
                    line.push_str(": ");
                    line.push_str(help);
                }
                line
            })
            .collect::<Vec<_>>()
            .join(" | ");
        text.chars().take(MAX_MESSAGE_CHARS).collect()
    }
}
