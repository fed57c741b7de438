//! Application commands and interactions as a framework: typed command definitions, a
//! router that dispatches every `INTERACTION_CREATE` to its handler with typed options,
//! contexts to answer in every way Discord allows, and a command sync that writes only
//! when something changed.
//!
//! ```no_run
//! # #[cfg(feature = "derive")] mod demo {
//! use svc_gateway::Client;
//! use svc_gateway::interactions::{CommandContext, CommandModel, CreateCommand, ResolvedUser, Router, SyncOptions};
//!
//! /// Bans a member
//! #[derive(CommandModel, CreateCommand)]
//! #[command(name = "ban", default_member_permissions = "BAN_MEMBERS")]
//! struct Ban {
//!     /// Who to ban
//!     target: ResolvedUser,
//!     /// Days of messages to delete
//!     #[option(min_value = 0, max_value = 7)]
//!     days: Option<i64>,
//! }
//!
//! async fn ban(ctx: CommandContext, ban: Ban) -> Result<(), svc_gateway::Error> {
//!     let days = ban.days.unwrap_or(0);
//!     ctx.respond_ephemeral(format!("Banned {} ({days} days of messages)", ban.target.user.username)).await
//! }
//!
//! # async fn run(client: Client) -> Result<(), svc_gateway::Error> {
//! // The handler's second parameter says which command it handles.
//! let router = Router::new().command(ban);
//! router.sync(client.rest(), client.application_id().await?, &SyncOptions::default()).await?;
//! let _interactions = router.attach(&client);
//! client.start().await?;
//! # Ok(()) }
//! # }
//! ```
//!
//! # Derives on top of builders
//!
//! Commands are defined in Rust types with `#[derive(CommandModel, CreateCommand)]`
//! (feature `derive`, on by default), in the style of twilight-interactions: a struct is a
//! command (or subcommand) whose fields are its options, an enum a command whose variants
//! are its subcommands or groups, `#[derive(CommandOption)]` an enum of choices. The
//! derive is the default because a command is two things that must agree — the JSON
//! Discord is told and the parse of what Discord sends back — and a type is the one place
//! both can come from: renaming a field renames the option, making it `Option<T>` makes it
//! optional, and the handler receives exactly the type it declared. Doc comments become
//! descriptions, as rustdoc users expect.
//!
//! The derives only write calls to a public builder API ([`Command`](crate::model::Command),
//! [`CommandOption`](crate::model::CommandOption) and [`CommandOptions`]), which stays
//! usable on its own for commands known only at runtime (a command per configured tag,
//! say): [`Router::register`] a built `Command` and [`Router::route`] it to a handler
//! that reads [`RawOptions`] or its own [`CommandModel`]. A builder-only design (serenity,
//! discord.py's decorators translate to it) would leave the parse to hand-written code
//! that drifts from the definition; a derive-only one could not define commands at
//! runtime.
//!
//! # Contents
//! - [`CreateCommand`], [`CommandModel`]: the two halves of a typed command;
//!   [`CommandOptions`] reads options by name; [`OptionType`] and [`CommandTarget`] are
//!   the types options and context-menu targets parse into ([`ResolvedUser`],
//!   [`Mentionable`], the model's `User`, `Channel`, `Role`, `Attachment`, `Message`, ids,
//!   strings, integers, numbers, booleans); [`OptionError`] says why a parse failed.
//! - `Command::validate`: Discord's rules for definitions.
//! - [`Router`], [`Interactions`]: routing and running handlers, the error hook.
//! - [`InteractionContext`] and [`CommandContext`], [`ComponentContext`],
//!   [`ModalContext`], [`AutocompleteContext`]: answering, with the 3-second and
//!   15-minute windows checked locally.
//! - [`SyncOptions`], [`SyncReport`]: command sync.
//! - Components and modals are in [`model`](crate::model): `Button`, `SelectMenu`,
//!   `TextInput`, `ActionRow`, `Modal`.
//!
//! Coming from discord.py's `app_commands`: `CommandTree` → [`Router`],
//! `tree.sync(guild=…)` → [`Router::sync`] with [`SyncOptions::dev_guilds`] (but only
//! writing on a difference), `interaction.response.send_message(ephemeral=True)` →
//! [`InteractionContext::respond_ephemeral`], `defer(thinking=True)` →
//! [`InteractionContext::defer`], `followup.send` → [`InteractionContext::followup`],
//! `send_modal` → [`InteractionContext::modal`], `@autocomplete` →
//! [`Router::autocomplete`], `tree.on_error` → [`Router::on_error`]; `discord.ui.View`
//! callbacks → [`Router::component`] by `custom_id` prefix (stateless: the state rides in
//! the `custom_id`, so handlers survive a restart).

mod command_model;
mod contexts;
mod handler;
mod option_error;
mod option_type;
mod options;
mod respond;
mod router;
mod sync;
mod validate;

pub use command_model::{CommandModel, CreateCommand, RawOptions};
pub use contexts::{AutocompleteContext, CommandContext, ComponentContext, ModalContext};
pub use handler::HandlerResult;
pub use option_error::{OptionError, OptionErrorKind};
pub use option_type::{CommandTarget, Mentionable, OptionType, ResolvedUser};
pub use options::CommandOptions;
pub use respond::{InteractionContext, RESPONSE_WINDOW, TOKEN_LIFETIME};
pub use router::{HandlerPanicked, Interactions, Router};
pub use sync::{SyncOptions, SyncReport};

#[cfg(feature = "derive")]
pub use svc_gateway_derive::{CommandModel, CommandOption, CreateCommand};
