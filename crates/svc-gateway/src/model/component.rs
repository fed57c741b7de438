//! Message components (buttons, select menus, text inputs in action rows) and modals.
//!
//! Each builder makes what Discord wants: buttons and select menus go in an [`ActionRow`]
//! (up to five buttons or one select menu per row, five rows per message); a [`Modal`]
//! holds text inputs, each in its own row.
//!
//! ```
//! use svc_gateway::model::{ActionRow, Button, Component, Modal, SelectMenu, SelectOption, TextInput};
//!
//! let row = ActionRow::new([Button::primary("vote:yes", "Yes").into(), Button::danger("vote:no", "No").into()]);
//! let menu = ActionRow::new([SelectMenu::string("pick", [SelectOption::new("Red", "red"), SelectOption::new("Blue", "blue")]).into()]);
//! // Messages and modals hold `Component`s, which write their `type`.
//! let rows: Vec<Component> = vec![row.into(), menu.into()];
//! let json = serde_json::to_value(&rows).unwrap();
//! assert_eq!(json[0]["type"], 1);
//! assert_eq!(json[0]["components"][0]["type"], 2);
//! assert_eq!(json[0]["components"][1]["style"], 4);
//! assert_eq!(json[1]["components"][0]["type"], 3);
//!
//! let modal = Modal::new("feedback", "Feedback").input(TextInput::paragraph("text", "What do you think?"));
//! assert_eq!(serde_json::to_value(&modal).unwrap()["components"][0]["components"][0]["style"], 2);
//! ```

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::channel_type::ChannelType;
use super::guild::Emoji;
use super::wire_enum::wire_enum;

wire_enum! {
    /// The type of a component.
    pub enum ComponentType {
        /// A row of components.
        ActionRow = 1,
        /// A button.
        Button = 2,
        /// A select menu of options the bot lists.
        StringSelect = 3,
        /// A text field (modals only).
        TextInput = 4,
        /// A select menu of users.
        UserSelect = 5,
        /// A select menu of roles.
        RoleSelect = 6,
        /// A select menu of users and roles.
        MentionableSelect = 7,
        /// A select menu of channels.
        ChannelSelect = 8,
    }
}

wire_enum! {
    /// How a button looks.
    pub enum ButtonStyle {
        /// Blurple.
        Primary = 1,
        /// Grey.
        Secondary = 2,
        /// Green.
        Success = 3,
        /// Red.
        Danger = 4,
        /// Grey, opens a URL (no interaction).
        Link = 5,
        /// Buys an SKU (no interaction).
        Premium = 6,
    }
}

wire_enum! {
    /// How a text input looks.
    pub enum TextInputStyle {
        /// One line.
        Short = 1,
        /// Several lines.
        Paragraph = 2,
    }
}

/// A message or modal component. Types this crate does not know decode as
/// [`Component::Unknown`] and are written back unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Component {
    /// A row of components.
    ActionRow(ActionRow),
    /// A button.
    Button(Button),
    /// A select menu (any of the five kinds).
    SelectMenu(SelectMenu),
    /// A text field.
    TextInput(TextInput),
    /// Another type, as JSON.
    Unknown(serde_json::Value),
}

impl Component {
    /// Its type.
    pub fn kind(&self) -> ComponentType {
        match self {
            Self::ActionRow(_) => ComponentType::ActionRow,
            Self::Button(_) => ComponentType::Button,
            Self::SelectMenu(menu) => menu.kind,
            Self::TextInput(_) => ComponentType::TextInput,
            Self::Unknown(value) => value["type"]
                .as_u64()
                .and_then(|v| u8::try_from(v).ok())
                .map_or(ComponentType::Unknown(0), ComponentType::from),
        }
    }
}

/// Writes `type` beside the component's own fields.
#[derive(Serialize)]
struct Tagged<'a, T> {
    #[serde(rename = "type")]
    kind: u8,
    #[serde(flatten)]
    inner: &'a T,
}

impl Serialize for Component {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let kind = u8::from(self.kind());
        match self {
            Self::ActionRow(row) => Tagged { kind, inner: row }.serialize(serializer),
            Self::Button(button) => Tagged {
                kind,
                inner: button,
            }
            .serialize(serializer),
            Self::SelectMenu(menu) => menu.serialize(serializer),
            Self::TextInput(input) => Tagged { kind, inner: input }.serialize(serializer),
            Self::Unknown(value) => value.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Component {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Components are rare and small next to the rest of a payload: reading them as JSON
        // first lets a type this crate does not know (or a shape it gets wrong) survive.
        let value = serde_json::Value::deserialize(deserializer)?;
        let Some(kind) = value.get("type").and_then(serde_json::Value::as_u64) else {
            return Err(D::Error::missing_field("type"));
        };
        let typed = match u8::try_from(kind).map(ComponentType::from) {
            Ok(ComponentType::ActionRow) => ActionRow::deserialize(&value).map(Self::ActionRow),
            Ok(ComponentType::Button) => Button::deserialize(&value).map(Self::Button),
            Ok(ComponentType::TextInput) => TextInput::deserialize(&value).map(Self::TextInput),
            Ok(
                ComponentType::StringSelect
                | ComponentType::UserSelect
                | ComponentType::RoleSelect
                | ComponentType::MentionableSelect
                | ComponentType::ChannelSelect,
            ) => SelectMenu::deserialize(&value).map(Self::SelectMenu),
            _ => return Ok(Self::Unknown(value)),
        };
        Ok(typed.unwrap_or(Self::Unknown(value)))
    }
}

/// A row of up to five buttons or one select menu (or, in a modal, one text input).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRow {
    /// Its components.
    #[serde(default)]
    pub components: Vec<Component>,
}

impl ActionRow {
    /// A row of `components`.
    pub fn new(components: impl IntoIterator<Item = Component>) -> Self {
        Self {
            components: components.into_iter().collect(),
        }
    }
}

/// A button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Button {
    /// Its look.
    pub style: ButtonStyle,
    /// Text on it (up to 80 chars).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Emoji on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<Emoji>,
    /// What the interaction carries back (up to 100 chars; all styles but link and premium).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_id: Option<String>,
    /// Where a link button goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The SKU a premium button buys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku_id: Option<String>,
    /// Greyed out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

impl Button {
    /// A button of `style` that sends an interaction with `custom_id`.
    pub fn new(style: ButtonStyle, custom_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            style,
            label: Some(label.into()),
            emoji: None,
            custom_id: Some(custom_id.into()),
            url: None,
            sku_id: None,
            disabled: false,
        }
    }

    /// A blurple button.
    pub fn primary(custom_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self::new(ButtonStyle::Primary, custom_id, label)
    }

    /// A grey button.
    pub fn secondary(custom_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self::new(ButtonStyle::Secondary, custom_id, label)
    }

    /// A green button.
    pub fn success(custom_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self::new(ButtonStyle::Success, custom_id, label)
    }

    /// A red button.
    pub fn danger(custom_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self::new(ButtonStyle::Danger, custom_id, label)
    }

    /// A button that opens `url` (it sends no interaction).
    pub fn link(url: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            custom_id: None,
            url: Some(url.into()),
            ..Self::new(ButtonStyle::Link, String::new(), label)
        }
    }

    /// Shows an emoji.
    #[must_use]
    pub fn emoji(mut self, emoji: Emoji) -> Self {
        self.emoji = Some(emoji);
        self
    }

    /// Greys it out.
    #[must_use]
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }
}

/// A select menu: of options the bot lists, or of users, roles, both, or channels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectMenu {
    /// Which kind of select menu.
    #[serde(rename = "type")]
    pub kind: ComponentType,
    /// What the interaction carries back.
    pub custom_id: String,
    /// The options (string selects only; up to 25).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<SelectOption>,
    /// Channel types a channel select offers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channel_types: Vec<ChannelType>,
    /// Shown when nothing is picked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
    /// Picked beforehand (user, role, mentionable and channel selects).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub default_values: Vec<SelectDefaultValue>,
    /// Fewest picks (0–25, default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_values: Option<u8>,
    /// Most picks (1–25, default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_values: Option<u8>,
    /// Greyed out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

impl SelectMenu {
    fn new(kind: ComponentType, custom_id: impl Into<String>) -> Self {
        Self {
            kind,
            custom_id: custom_id.into(),
            options: Vec::new(),
            channel_types: Vec::new(),
            placeholder: None,
            default_values: Vec::new(),
            min_values: None,
            max_values: None,
            disabled: false,
        }
    }

    /// A menu of `options` the bot lists.
    pub fn string(
        custom_id: impl Into<String>,
        options: impl IntoIterator<Item = SelectOption>,
    ) -> Self {
        Self {
            options: options.into_iter().collect(),
            ..Self::new(ComponentType::StringSelect, custom_id)
        }
    }

    /// A menu of the guild's users.
    pub fn user(custom_id: impl Into<String>) -> Self {
        Self::new(ComponentType::UserSelect, custom_id)
    }

    /// A menu of the guild's roles.
    pub fn role(custom_id: impl Into<String>) -> Self {
        Self::new(ComponentType::RoleSelect, custom_id)
    }

    /// A menu of users and roles.
    pub fn mentionable(custom_id: impl Into<String>) -> Self {
        Self::new(ComponentType::MentionableSelect, custom_id)
    }

    /// A menu of channels (of `channel_types`, all when empty).
    pub fn channel(
        custom_id: impl Into<String>,
        channel_types: impl IntoIterator<Item = ChannelType>,
    ) -> Self {
        Self {
            channel_types: channel_types.into_iter().collect(),
            ..Self::new(ComponentType::ChannelSelect, custom_id)
        }
    }

    /// Shown when nothing is picked.
    #[must_use]
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> Self {
        self.placeholder = Some(placeholder.into());
        self
    }

    /// How many picks are allowed (Discord: 0–25 and 1–25).
    #[must_use]
    pub fn values(mut self, min: u8, max: u8) -> Self {
        self.min_values = Some(min);
        self.max_values = Some(max);
        self
    }

    /// Greys it out.
    #[must_use]
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.disabled = disabled;
        self
    }
}

/// One option of a string select.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectOption {
    /// What the user sees.
    pub label: String,
    /// What the bot receives.
    pub value: String,
    /// Extra text under the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Emoji beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji: Option<Emoji>,
    /// Picked beforehand.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
}

impl SelectOption {
    /// An option shown as `label`, received as `value`.
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            value: value.into(),
            description: None,
            emoji: None,
            default: false,
        }
    }

    /// Extra text under the label.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Picked beforehand.
    #[must_use]
    pub fn default(mut self, default: bool) -> Self {
        self.default = default;
        self
    }
}

/// A value picked beforehand in an auto-populated select menu.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectDefaultValue {
    /// The user's, role's or channel's id.
    pub id: String,
    /// `"user"`, `"role"` or `"channel"`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// A text field in a modal. In a modal submit, `value` carries what the user typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextInput {
    /// What the submit carries back.
    pub custom_id: String,
    /// One line or several (absent in a submit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<TextInputStyle>,
    /// Label above it (absent in a submit).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Shortest text accepted (0–4000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u16>,
    /// Longest text accepted (1–4000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u16>,
    /// Must be filled (Discord's default: yes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Pre-filled text, or in a submit what the user typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Shown when empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
}

impl TextInput {
    fn new(style: TextInputStyle, custom_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            custom_id: custom_id.into(),
            style: Some(style),
            label: label.into(),
            min_length: None,
            max_length: None,
            required: None,
            value: None,
            placeholder: None,
        }
    }

    /// A one-line field.
    pub fn short(custom_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self::new(TextInputStyle::Short, custom_id, label)
    }

    /// A multi-line field.
    pub fn paragraph(custom_id: impl Into<String>, label: impl Into<String>) -> Self {
        Self::new(TextInputStyle::Paragraph, custom_id, label)
    }

    /// Whether it must be filled.
    #[must_use]
    pub fn required(mut self, required: bool) -> Self {
        self.required = Some(required);
        self
    }

    /// Length limits.
    #[must_use]
    pub fn length(mut self, min: u16, max: u16) -> Self {
        self.min_length = Some(min);
        self.max_length = Some(max);
        self
    }

    /// Pre-filled text.
    #[must_use]
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Shown when empty.
    #[must_use]
    pub fn placeholder(mut self, placeholder: impl Into<String>) -> Self {
        self.placeholder = Some(placeholder.into());
        self
    }
}

impl From<ActionRow> for Component {
    fn from(row: ActionRow) -> Self {
        Self::ActionRow(row)
    }
}

impl From<Button> for Component {
    fn from(button: Button) -> Self {
        Self::Button(button)
    }
}

impl From<SelectMenu> for Component {
    fn from(menu: SelectMenu) -> Self {
        Self::SelectMenu(menu)
    }
}

impl From<TextInput> for Component {
    fn from(input: TextInput) -> Self {
        Self::TextInput(input)
    }
}

/// A form shown in answer to an interaction (up to five text inputs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Modal {
    /// What the submit carries back (up to 100 chars).
    pub custom_id: String,
    /// Its title (up to 45 chars).
    pub title: String,
    /// Its rows, one text input each.
    pub components: Vec<Component>,
}

impl Modal {
    /// An empty modal.
    pub fn new(custom_id: impl Into<String>, title: impl Into<String>) -> Self {
        Self {
            custom_id: custom_id.into(),
            title: title.into(),
            components: Vec::new(),
        }
    }

    /// Adds a text input in its own row, as Discord wants.
    #[must_use]
    pub fn input(mut self, input: TextInput) -> Self {
        self.components
            .push(ActionRow::new([Component::TextInput(input)]).into());
        self
    }
}

/// Every text input's `(custom_id, value)` in `components`, rows included: what a modal
/// submit carries.
pub(crate) fn text_values(components: &[Component]) -> impl Iterator<Item = (&str, &str)> {
    components.iter().flat_map(|component| {
        let nested: Box<dyn Iterator<Item = (&str, &str)>> = match component {
            Component::ActionRow(row) => Box::new(text_values(&row.components)),
            Component::TextInput(input) => Box::new(
                input
                    .value
                    .as_deref()
                    .map(|value| (input.custom_id.as_str(), value))
                    .into_iter(),
            ),
            _ => Box::new(std::iter::empty()),
        };
        nested
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_round_trip_and_unknown_types_survive() {
        let json = serde_json::json!([
            {"type": 1, "components": [
                {"type": 2, "style": 1, "label": "Yes", "custom_id": "vote:yes"},
                {"type": 2, "style": 5, "label": "Docs", "url": "https://example.invalid"},
            ]},
            {"type": 1, "components": [{"type": 8, "custom_id": "where", "channel_types": [0, 2]}]},
            {"type": 17, "accent_color": 5, "components": []},
        ]);
        let parsed: Vec<Component> = serde_json::from_value(json.clone()).unwrap();
        assert!(matches!(&parsed[2], Component::Unknown(_)));
        assert_eq!(parsed[2].kind(), ComponentType::Unknown(17));
        let Component::ActionRow(row) = &parsed[1] else {
            panic!("a row")
        };
        let Component::SelectMenu(menu) = &row.components[0] else {
            panic!("a select")
        };
        assert_eq!(menu.kind, ComponentType::ChannelSelect);
        assert_eq!(
            menu.channel_types,
            [ChannelType::GuildText, ChannelType::GuildVoice]
        );
        assert_eq!(serde_json::to_value(&parsed).unwrap(), json);
    }

    #[test]
    fn modal_submit_values_are_found_in_rows() {
        let rows: Vec<Component> = serde_json::from_value(serde_json::json!([
            {"type": 1, "components": [{"type": 4, "custom_id": "title", "value": "Hi"}]},
            {"type": 1, "components": [{"type": 4, "custom_id": "body", "value": ""}]},
        ]))
        .unwrap();
        let values: Vec<_> = text_values(&rows).collect();
        assert_eq!(values, [("title", "Hi"), ("body", "")]);
    }
}
