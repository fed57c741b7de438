//! Derives for svc-gateway's application commands; use them through
//! `svc_gateway::interactions` (feature `derive`), whose docs show them at work.
//!
//! - `#[derive(CreateCommand, CommandModel)]` on a struct: a command whose named fields are
//!   its options (`Option<T>` fields are optional), or with `kind = "user"` /
//!   `kind = "message"` a context-menu command whose one field is its target.
//! - The same on an enum: a command whose variants are subcommands (`Open(OpenTicket)`,
//!   a type deriving both) or groups (a variant holding an enum), or unit variants for
//!   subcommands without options.
//! - `#[derive(CommandOption)]` on an enum of unit variants: a choice option, its type
//!   (string, integer, number) taken from the values.
//!
//! Type and variant attributes, `#[command(...)]`: `name` (default: the type name in
//! kebab-case), `desc` (default: the doc comment's first paragraph), `kind`,
//! `default_member_permissions = "BAN_MEMBERS | KICK_MEMBERS"` (`""`: administrators
//! only), `dm_permission`, `contexts = "guild bot_dm private_channel"`,
//! `integration_types = "guild_install user_install"`, `nsfw`, `name_localizations = f`,
//! `desc_localizations = f` (`f()` returns `(locale, text)` pairs), `crate = "path"` (when
//! svc-gateway is reached through another crate, e.g. `"switchboard::discord"`).
//!
//! Field attributes, `#[option(...)]`: `name` (default: the field name), `desc` (default:
//! the doc comment), `min_value`, `max_value`, `min_length`, `max_length`,
//! `channel_types = "guild_text guild_voice"`, `autocomplete`, `name_localizations`,
//! `desc_localizations`.
//!
//! Choice attributes, `#[choice(...)]`: `name` (default: the variant name), `value`
//! (default: the variant name in lowercase), `name_localizations`; `crate` on the enum.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod attrs;
mod choice;
mod command;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Implements `svc_gateway::interactions::CreateCommand`: the command's definition.
#[proc_macro_derive(CreateCommand, attributes(command, option))]
pub fn create_command(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    command::create_command(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `svc_gateway::interactions::CommandModel`: the parse of an interaction's
/// options into the type.
#[proc_macro_derive(CommandModel, attributes(command, option))]
pub fn command_model(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    command::command_model(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Implements `svc_gateway::interactions::OptionType` for an enum of choices.
#[proc_macro_derive(CommandOption, attributes(choice))]
pub fn command_option(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    choice::command_option(&input)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
