//! [`CommandOptions`]: one level of an interaction's options, read by name with their
//! resolved data. What derived (and hand-written) [`CommandModel`](super::CommandModel)s
//! are parsed from.

use super::option_error::{OptionError, OptionErrorKind};
use super::option_type::{CommandTarget, OptionType};
use crate::model::{CommandData, CommandDataOption, CommandOptionType, Id, Resolved, TargetMarker};

/// The options at one level of a command (the command itself, or a subcommand), each
/// taken once; [`finish`](Self::finish) rejects any left over.
///
/// ```
/// use svc_gateway::interactions::CommandOptions;
/// use svc_gateway::model::CommandData;
///
/// let data: CommandData = serde_json::from_value(serde_json::json!({
///     "id": "1", "name": "roll", "type": 1,
///     "options": [{"name": "sides", "type": 4, "value": 20}],
/// })).unwrap();
/// let mut options = CommandOptions::new(&data);
/// assert_eq!(options.required::<i64>("sides").unwrap(), 20);
/// assert_eq!(options.optional::<String>("label").unwrap(), None);
/// options.finish().unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct CommandOptions<'a> {
    options: &'a [CommandDataOption],
    taken: Vec<bool>,
    resolved: Option<&'a Resolved>,
    command: &'a CommandData,
}

impl<'a> CommandOptions<'a> {
    /// The top-level options of `data`.
    pub fn new(data: &'a CommandData) -> Self {
        Self::at(data, &data.options)
    }

    fn at(command: &'a CommandData, options: &'a [CommandDataOption]) -> Self {
        Self {
            options,
            taken: vec![false; options.len()],
            resolved: command.resolved.as_ref(),
            command,
        }
    }

    /// The command these options belong to.
    pub fn command(&self) -> &'a CommandData {
        self.command
    }

    /// The resolved users, members, roles, channels and attachments.
    pub fn resolved(&self) -> Option<&'a Resolved> {
        self.resolved
    }

    /// The options at this level, as sent.
    pub fn raw(&self) -> &'a [CommandDataOption] {
        self.options
    }

    /// The option `name`, parsed as `T`; missing is an error.
    pub fn required<T: OptionType>(&mut self, name: &str) -> Result<T, OptionError> {
        self.optional(name)?
            .ok_or_else(|| OptionError::new(name, OptionErrorKind::Missing))
    }

    /// The option `name`, parsed as `T`, if given.
    pub fn optional<T: OptionType>(&mut self, name: &str) -> Result<Option<T>, OptionError> {
        let Some(index) = self.options.iter().position(|o| o.name == name) else {
            return Ok(None);
        };
        self.taken[index] = true;
        let option = &self.options[index];
        if option.kind != T::KIND {
            return Err(OptionError::new(
                name,
                OptionErrorKind::WrongType {
                    expected: T::KIND,
                    found: option.kind,
                },
            ));
        }
        let value = option
            .value
            .as_ref()
            .ok_or_else(|| OptionError::new(name, OptionErrorKind::BadValue))?;
        T::from_option(value, self.resolved)
            .map(Some)
            .map_err(|kind| OptionError::new(name, kind))
    }

    /// The subcommand (or group) chosen at this level, with its own options.
    pub fn subcommand(&mut self) -> Result<(&'a str, CommandOptions<'a>), OptionError> {
        match self.descend() {
            Some((index, name, options)) => {
                self.taken[index] = true;
                Ok((name, options))
            }
            None => Err(OptionError::new(
                self.command.name.as_str(),
                OptionErrorKind::MissingSubcommand,
            )),
        }
    }

    /// The subcommand at this level, if that is what was sent, without taking it.
    pub(crate) fn descend(&self) -> Option<(usize, &'a str, CommandOptions<'a>)> {
        let (index, option) = self.options.iter().enumerate().find(|(_, o)| {
            matches!(
                o.kind,
                CommandOptionType::SubCommand | CommandOptionType::SubCommandGroup
            )
        })?;
        Some((
            index,
            option.name.as_str(),
            Self::at(self.command, &option.options),
        ))
    }

    /// A context-menu command's target (the user or message it was used on).
    pub fn target<T: CommandTarget>(&self) -> Result<T, OptionError> {
        let target: Option<Id<TargetMarker>> = self.command.target_id;
        let error = |kind| OptionError::new(self.command.name.as_str(), kind);
        let target = target.ok_or_else(|| error(OptionErrorKind::NoTarget))?;
        if self.command.kind != T::COMMAND_TYPE {
            return Err(error(OptionErrorKind::NoTarget));
        }
        T::from_target(target, self.resolved).map_err(error)
    }

    /// Checks that every option was taken: one the model does not know means the command
    /// Discord has is not the one this bot defines.
    pub fn finish(self) -> Result<(), OptionError> {
        match self.taken.iter().position(|taken| !taken) {
            Some(index) => Err(OptionError::new(
                self.options[index].name.as_str(),
                if matches!(
                    self.options[index].kind,
                    CommandOptionType::SubCommand | CommandOptionType::SubCommandGroup
                ) {
                    OptionErrorKind::UnknownSubcommand
                } else {
                    OptionErrorKind::Unexpected
                },
            )),
            None => Ok(()),
        }
    }
}
