//! The two halves of a typed command: [`CreateCommand`] (what Discord is told) and
//! [`CommandModel`] (what an interaction parses into). The derives implement both; a
//! hand-written command implements them with the builders of [`Command`] and
//! [`CommandOptions`].

use super::option_error::OptionError;
use super::options::CommandOptions;
use crate::model::{Command, CommandDataOption, Resolved};

/// A command's definition.
///
/// ```
/// use svc_gateway::interactions::CreateCommand;
/// use svc_gateway::model::{Command, CommandOption};
///
/// struct Roll;
///
/// impl CreateCommand for Roll {
///     const NAME: &'static str = "roll";
///     fn create_command() -> Command {
///         Command::chat_input(Self::NAME, "Rolls a die")
///             .option(CommandOption::integer("sides", "How many sides").min_value(2))
///     }
/// }
/// assert_eq!(Roll::create_command().options[0].name, "sides");
/// ```
pub trait CreateCommand {
    /// The command's name, which routes interactions to it.
    const NAME: &'static str;

    /// The definition sent to Discord.
    fn create_command() -> Command;
}

/// A command's options, parsed from an interaction.
pub trait CommandModel: Sized {
    /// Reads the options (at the command's level, or its subcommand's).
    fn from_options(options: CommandOptions<'_>) -> Result<Self, OptionError>;
}

/// No options at all (any given is an error).
impl CommandModel for () {
    fn from_options(options: CommandOptions<'_>) -> Result<Self, OptionError> {
        options.finish()
    }
}

/// The options as sent, for commands built at runtime whose handlers read them
/// themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct RawOptions {
    /// The options at the routed level.
    pub options: Vec<CommandDataOption>,
    /// The interaction's resolved data.
    pub resolved: Option<Resolved>,
}

impl CommandModel for RawOptions {
    fn from_options(options: CommandOptions<'_>) -> Result<Self, OptionError> {
        Ok(Self {
            options: options.raw().to_vec(),
            resolved: options.resolved().cloned(),
        })
    }
}
