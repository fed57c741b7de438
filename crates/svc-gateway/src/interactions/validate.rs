//! Discord's rules for command definitions, checked before anything is sent, so a bad
//! definition is a typed error at start-up rather than a 400 with a form-body dump.

use crate::error::{Error, ErrorKind};
use crate::model::{
    ChoiceValue, Command, CommandOption, CommandOptionType, CommandType, Localizations,
};

/// Options (or choices) per level.
const MAX_OPTIONS: usize = 25;
/// Names of commands and options.
const MAX_NAME: usize = 32;
/// Descriptions and choice names.
const MAX_DESCRIPTION: usize = 100;
/// Name, description and every option's and choice's text, summed (any one locale).
const MAX_TOTAL: usize = 4000;
/// `min_length` / `max_length` of string options.
const MAX_LENGTH: u16 = 6000;

impl Command {
    /// Checks the definition against Discord's rules: name and description lengths and
    /// characters, up to 25 options and choices, required options first, subcommand
    /// nesting, option attributes that fit their type, 4000 characters in all.
    ///
    /// ```
    /// use svc_gateway::model::{Command, CommandOption};
    ///
    /// assert!(Command::chat_input("ping", "Replies pong").validate().is_ok());
    /// assert!(Command::chat_input("Ping", "Capitals are not allowed").validate().is_err());
    /// let optional_first = Command::chat_input("x", "y")
    ///     .option(CommandOption::string("a", "optional"))
    ///     .option(CommandOption::string("b", "required").required(true));
    /// assert!(optional_first.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let fail = |reason: String| {
            Error::new(ErrorKind::InvalidCommand {
                command: self.name.clone(),
                reason,
            })
        };
        let chat = self.kind == CommandType::ChatInput;
        if chat {
            check_name(&self.name, self.name_localizations.as_ref()).map_err(fail)?;
            check_description(&self.description, self.description_localizations.as_ref())
                .map_err(fail)?;
            check_options(&self.options, 0).map_err(fail)?;
        } else {
            let length = self.name.chars().count();
            if !(1..=MAX_NAME).contains(&length) {
                return Err(fail(format!("a name of {length} characters (1–32)")));
            }
            if !self.description.is_empty() || !self.options.is_empty() {
                return Err(fail(
                    "context-menu commands have no description or options".into(),
                ));
            }
        }
        let total = self.name.chars().count()
            + self.description.chars().count()
            + self.options.iter().map(text_length).sum::<usize>();
        if total > MAX_TOTAL {
            return Err(fail(format!("{total} characters in all (4000 at most)")));
        }
        Ok(())
    }
}

fn text_length(option: &CommandOption) -> usize {
    option.name.chars().count()
        + option.description.chars().count()
        + option
            .choices
            .iter()
            .map(|c| {
                c.name.chars().count()
                    + match &c.value {
                        ChoiceValue::String(s) => s.chars().count(),
                        _ => 0,
                    }
            })
            .sum::<usize>()
        + option.options.iter().map(text_length).sum::<usize>()
}

/// Slash command and option names: 1–32 letters, digits, `-` or `_`, lowercase.
fn check_name(name: &str, localizations: Option<&Localizations>) -> Result<(), String> {
    let valid = |name: &str| {
        (1..=MAX_NAME).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| (c.is_alphanumeric() || c == '-' || c == '_') && c.to_lowercase().eq([c]))
    };
    if !valid(name) {
        return Err(format!(
            "name {name:?}: 1–32 lowercase letters, digits, '-' or '_'"
        ));
    }
    for (locale, name) in localizations.into_iter().flatten() {
        if !valid(name) {
            return Err(format!(
                "{locale} name {name:?}: 1–32 lowercase letters, digits, '-' or '_'"
            ));
        }
    }
    Ok(())
}

fn check_description(text: &str, localizations: Option<&Localizations>) -> Result<(), String> {
    let valid = |text: &str| (1..=MAX_DESCRIPTION).contains(&text.chars().count());
    if !valid(text) {
        return Err(format!("description {text:?}: 1–100 characters"));
    }
    for (locale, text) in localizations.into_iter().flatten() {
        if !valid(text) {
            return Err(format!("{locale} description {text:?}: 1–100 characters"));
        }
    }
    Ok(())
}

/// `depth`: 0 for the command's options, 1 inside a group or subcommand, 2 inside a
/// subcommand of a group.
fn check_options(options: &[CommandOption], depth: u8) -> Result<(), String> {
    if options.len() > MAX_OPTIONS {
        return Err(format!("{} options (25 at most)", options.len()));
    }
    let nested = |o: &CommandOption| {
        matches!(
            o.kind,
            CommandOptionType::SubCommand | CommandOptionType::SubCommandGroup
        )
    };
    if options.iter().any(nested) && !options.iter().all(nested) {
        return Err("subcommands cannot sit beside plain options".into());
    }
    let mut seen_optional = false;
    for (index, option) in options.iter().enumerate() {
        let name = &option.name;
        if options[..index].iter().any(|o| &o.name == name) {
            return Err(format!("two options named {name:?}"));
        }
        check_name(name, option.name_localizations.as_ref())?;
        check_description(
            &option.description,
            option.description_localizations.as_ref(),
        )?;
        match option.kind {
            CommandOptionType::SubCommandGroup if depth > 0 => {
                return Err(format!("group {name:?} nested below the top level"));
            }
            CommandOptionType::SubCommand if depth > 1 => {
                return Err(format!("subcommand {name:?} nested too deep"));
            }
            CommandOptionType::SubCommandGroup => {
                if option.options.is_empty()
                    || option
                        .options
                        .iter()
                        .any(|o| o.kind != CommandOptionType::SubCommand)
                {
                    return Err(format!("group {name:?} must hold subcommands only"));
                }
                check_options(&option.options, depth + 1)?;
            }
            CommandOptionType::SubCommand => {
                if option.options.iter().any(nested) {
                    return Err(format!("subcommand {name:?} cannot hold subcommands"));
                }
                check_options(&option.options, depth + 1)?;
            }
            _ => {
                if option.required && seen_optional {
                    return Err(format!("required option {name:?} after an optional one"));
                }
                seen_optional |= !option.required;
                check_value_option(option)?;
            }
        }
    }
    Ok(())
}

fn check_value_option(option: &CommandOption) -> Result<(), String> {
    let name = &option.name;
    let kind = option.kind;
    if !option.options.is_empty() {
        return Err(format!("option {name:?} cannot have nested options"));
    }
    let numeric = matches!(kind, CommandOptionType::Integer | CommandOptionType::Number);
    let choosable = numeric || kind == CommandOptionType::String;
    if !option.choices.is_empty() {
        if !choosable {
            return Err(format!(
                "option {name:?} of type {kind:?} cannot have choices"
            ));
        }
        if option.autocomplete {
            return Err(format!("option {name:?} has both choices and autocomplete"));
        }
        if option.choices.len() > MAX_OPTIONS {
            return Err(format!(
                "option {name:?} has {} choices (25 at most)",
                option.choices.len()
            ));
        }
        for choice in &option.choices {
            if !(1..=MAX_DESCRIPTION).contains(&choice.name.chars().count()) {
                return Err(format!(
                    "choice {:?} of {name:?}: 1–100 characters",
                    choice.name
                ));
            }
            let fits = match (&choice.value, kind) {
                (ChoiceValue::String(value), CommandOptionType::String) => {
                    value.chars().count() <= MAX_DESCRIPTION
                }
                (
                    ChoiceValue::Integer(_),
                    CommandOptionType::Integer | CommandOptionType::Number,
                )
                | (ChoiceValue::Number(_), CommandOptionType::Number) => true,
                _ => false,
            };
            if !fits {
                return Err(format!(
                    "choice {:?} of {name:?} does not fit a {kind:?} option",
                    choice.name
                ));
            }
        }
    }
    if option.autocomplete && !choosable {
        return Err(format!(
            "option {name:?} of type {kind:?} cannot autocomplete"
        ));
    }
    if (option.min_value.is_some() || option.max_value.is_some()) && !numeric {
        return Err(format!(
            "option {name:?}: min/max values are for integers and numbers"
        ));
    }
    if let (Some(min), Some(max)) = (option.min_value, option.max_value)
        && min.as_f64() > max.as_f64()
    {
        return Err(format!("option {name:?}: min_value above max_value"));
    }
    if option.min_length.is_some() || option.max_length.is_some() {
        if kind != CommandOptionType::String {
            return Err(format!("option {name:?}: lengths are for strings"));
        }
        let (min, max) = (
            option.min_length.unwrap_or(0),
            option.max_length.unwrap_or(MAX_LENGTH),
        );
        if min > MAX_LENGTH || !(1..=MAX_LENGTH).contains(&max) || min > max {
            return Err(format!("option {name:?}: lengths within 0–6000, min ≤ max"));
        }
    }
    if !option.channel_types.is_empty() && kind != CommandOptionType::Channel {
        return Err(format!(
            "option {name:?}: channel types are for channel options"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::model::{ChannelType, Command, CommandOption};

    fn reason(command: &Command) -> String {
        match command.validate().unwrap_err().kind() {
            crate::ErrorKind::InvalidCommand { reason, .. } => reason.clone(),
            other => panic!("unexpected kind {other:?}"),
        }
    }

    #[test]
    fn breaking_any_rule_names_it() {
        let long = "x".repeat(101);
        let cases = [
            (Command::chat_input("", "d"), "name"),
            (Command::chat_input("has space", "d"), "name"),
            (Command::chat_input("ok", &long), "description"),
            (
                Command::chat_input("ok", "d")
                    .option(CommandOption::boolean("b", "d").choice("x", "y")),
                "cannot have choices",
            ),
            (
                Command::chat_input("ok", "d").option(
                    CommandOption::string("s", "d")
                        .choice("a", "a")
                        .autocomplete(true),
                ),
                "both choices and autocomplete",
            ),
            (
                Command::chat_input("ok", "d").option(CommandOption::string("s", "d").min_value(1)),
                "min/max",
            ),
            (
                Command::chat_input("ok", "d").option(
                    CommandOption::string("s", "d").channel_types([ChannelType::GuildText]),
                ),
                "channel types",
            ),
            (
                Command::chat_input("ok", "d")
                    .option(CommandOption::subcommand("a", "d"))
                    .option(CommandOption::string("s", "d")),
                "beside plain options",
            ),
            (
                Command::chat_input("ok", "d").option(CommandOption::group("g", "d").option(
                    CommandOption::group("h", "d").option(CommandOption::subcommand("s", "d")),
                )),
                "subcommands only",
            ),
            (
                Command::chat_input("ok", "d")
                    .option(CommandOption::string("s", "d"))
                    .option(CommandOption::string("s", "d")),
                "two options",
            ),
            (
                Command::chat_input("ok", "d")
                    .options((0..26).map(|i| CommandOption::string(format!("o{i}"), "d"))),
                "25 at most",
            ),
            (
                Command::chat_input("ok", "d").name_localization("fr", "Pas Bon"),
                "fr name",
            ),
            (
                Command::chat_input("ok", "d")
                    .option(CommandOption::integer("i", "d").choice("half", 0.5)),
                "does not fit",
            ),
        ];
        for (command, expected) in cases {
            let reason = reason(&command);
            assert!(
                reason.contains(expected),
                "{reason:?} should mention {expected:?}"
            );
        }
        let user = Command {
            description: "no".into(),
            ..Command::user("Report")
        };
        assert!(reason(&user).contains("context-menu"));
        assert!(Command::user("Report user").validate().is_ok());
    }

    #[test]
    fn four_thousand_characters_in_all() {
        let fat = Command::chat_input("ok", "d").options((0..25).map(|i| {
            CommandOption::string(format!("o{i}"), "d".repeat(100)).choices(
                (0..25).map(|c| crate::model::CommandOptionChoice::new(format!("c{c}"), "v")),
            )
        }));
        assert!(reason(&fat).contains("characters in all"));
    }
}
