//! What each kind of handler receives: the [`InteractionContext`] (through `Deref`) plus
//! the data of its kind. Autocomplete is apart: its only possible answer is suggestions.

use std::ops::Deref;

use super::option_error::{OptionError, OptionErrorKind};
use super::respond::{Answer, InteractionContext};
use crate::error::{Error, ErrorKind};
use crate::model::{
    CommandData, CommandDataOption, CommandOptionChoice, ComponentData, Interaction,
    ModalSubmitData, OptionValue, Resolved,
};
use crate::rest::{CreateMessage, InteractionResponse};

/// The context of a slash or context-menu command.
#[derive(Debug, Clone)]
pub struct CommandContext {
    base: InteractionContext,
    path: String,
}

impl CommandContext {
    pub(crate) fn new(base: InteractionContext, path: String) -> Self {
        Self { base, path }
    }

    /// The command data.
    pub fn data(&self) -> &CommandData {
        command_data(self.base.interaction())
    }

    /// The route that matched: the command name, and subcommands (`"ticket open"`).
    pub fn path(&self) -> &str {
        &self.path
    }
}

fn command_data(interaction: &Interaction) -> &CommandData {
    // The router builds command and autocomplete contexts only for command data.
    interaction
        .command_data()
        .unwrap_or_else(|| unreachable!("a command context without command data"))
}

impl Deref for CommandContext {
    type Target = InteractionContext;

    fn deref(&self) -> &InteractionContext {
        &self.base
    }
}

/// The context of a button click or select menu pick.
#[derive(Debug, Clone)]
pub struct ComponentContext {
    base: InteractionContext,
    prefix_len: usize,
}

impl ComponentContext {
    pub(crate) fn new(base: InteractionContext, prefix_len: usize) -> Self {
        Self { base, prefix_len }
    }

    /// The component data.
    pub fn data(&self) -> &ComponentData {
        self.base
            .interaction()
            .component_data()
            .unwrap_or_else(|| unreachable!("a component context without component data"))
    }

    /// The component's `custom_id`.
    pub fn custom_id(&self) -> &str {
        &self.data().custom_id
    }

    /// What follows the routed prefix in the `custom_id` (`"42"` for `"ticket:42"` routed
    /// on `"ticket:"`): state carried in the component.
    pub fn args(&self) -> &str {
        after(self.custom_id(), self.prefix_len)
    }

    /// The values picked in a select menu.
    pub fn values(&self) -> &[String] {
        &self.data().values
    }

    /// The users, roles and channels picked in an auto-populated select menu.
    pub fn resolved(&self) -> Option<&Resolved> {
        self.data().resolved.as_ref()
    }

    /// Answers by editing the message the component is on.
    pub async fn update_message(&self, message: impl Into<CreateMessage>) -> Result<(), Error> {
        update_message(&self.base, message.into()).await
    }

    /// Acknowledges now; edit the message later with
    /// [`edit_original`](InteractionContext::edit_original).
    pub async fn defer_update(&self) -> Result<(), Error> {
        self.base
            .initial(&InteractionResponse::deferred_update(), Answer::Deferred)
            .await
    }
}

impl Deref for ComponentContext {
    type Target = InteractionContext;

    fn deref(&self) -> &InteractionContext {
        &self.base
    }
}

/// What follows a routed prefix in a `custom_id`.
fn after(custom_id: &str, prefix_len: usize) -> &str {
    custom_id.get(prefix_len..).unwrap_or_default()
}

/// Response type 7: the answer edits the message the component is on.
async fn update_message(base: &InteractionContext, message: CreateMessage) -> Result<(), Error> {
    base.initial(
        &InteractionResponse::update_message(message),
        Answer::Answered,
    )
    .await
}

/// The context of a modal submit.
#[derive(Debug, Clone)]
pub struct ModalContext {
    base: InteractionContext,
    prefix_len: usize,
}

impl ModalContext {
    pub(crate) fn new(base: InteractionContext, prefix_len: usize) -> Self {
        Self { base, prefix_len }
    }

    /// The submit data.
    pub fn data(&self) -> &ModalSubmitData {
        self.base
            .interaction()
            .modal_data()
            .unwrap_or_else(|| unreachable!("a modal context without modal data"))
    }

    /// The modal's `custom_id`.
    pub fn custom_id(&self) -> &str {
        &self.data().custom_id
    }

    /// What follows the routed prefix in the `custom_id`.
    pub fn args(&self) -> &str {
        after(self.custom_id(), self.prefix_len)
    }

    /// What the user typed in the text input `custom_id`, if it was in the modal.
    pub fn value(&self, custom_id: &str) -> Option<&str> {
        self.data().value(custom_id)
    }

    /// Like [`value`](Self::value); a missing field is an
    /// [`ErrorKind::InvalidOptions`] error naming it (so `?` routes it to the error hook).
    pub fn required(&self, custom_id: &str) -> Result<&str, Error> {
        self.value(custom_id).ok_or_else(|| {
            Error::with_source(
                ErrorKind::InvalidOptions(self.custom_id().to_owned()),
                OptionError::new(custom_id, OptionErrorKind::Missing),
            )
        })
    }

    /// Answers by editing the message whose component opened the modal.
    pub async fn update_message(&self, message: impl Into<CreateMessage>) -> Result<(), Error> {
        update_message(&self.base, message.into()).await
    }
}

impl Deref for ModalContext {
    type Target = InteractionContext;

    fn deref(&self) -> &InteractionContext {
        &self.base
    }
}

/// The context of an autocomplete interaction: the option being typed, the others given so
/// far, and one possible answer, the suggestions.
#[derive(Debug, Clone)]
pub struct AutocompleteContext {
    base: InteractionContext,
    path: String,
}

impl AutocompleteContext {
    pub(crate) fn new(base: InteractionContext, path: String) -> Self {
        Self { base, path }
    }

    /// The interaction.
    pub fn interaction(&self) -> &Interaction {
        self.base.interaction()
    }

    /// The command route (`"ticket open"`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The command data.
    pub fn data(&self) -> &CommandData {
        command_data(self.base.interaction())
    }

    /// The option being typed and its text so far (integer and number options too: the
    /// user may still be typing, so Discord sends text).
    pub fn focused(&self) -> Option<(&str, String)> {
        fn find(options: &[CommandDataOption]) -> Option<(&str, String)> {
            options.iter().find_map(|o| {
                if !o.focused {
                    return find(&o.options);
                }
                let text = match &o.value {
                    Some(OptionValue::String(text)) => text.clone(),
                    Some(OptionValue::Integer(v)) => v.to_string(),
                    Some(OptionValue::Number(v)) => v.to_string(),
                    Some(OptionValue::Boolean(v)) => v.to_string(),
                    None => String::new(),
                };
                Some((o.name.as_str(), text))
            })
        }
        find(&self.data().options)
    }

    /// The options given so far (partial: required ones may be missing).
    pub fn options(&self) -> &[CommandDataOption] {
        &self.data().options
    }

    /// Answers with up to 25 suggestions (more are cut off, as Discord would refuse them).
    pub async fn autocomplete(
        &self,
        choices: impl IntoIterator<Item = CommandOptionChoice>,
    ) -> Result<(), Error> {
        let choices = choices.into_iter().take(25).collect();
        self.base
            .initial(
                &InteractionResponse::autocomplete(choices),
                Answer::Answered,
            )
            .await
    }
}
