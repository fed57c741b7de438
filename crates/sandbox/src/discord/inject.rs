//! What users do, as control calls: a message from a member, a slash command with options,
//! a button click, a modal submit. Each becomes the dispatch Discord sends (MESSAGE_CREATE,
//! INTERACTION_CREATE with a token the callback and webhook endpoints accept) on the shard
//! that owns the guild, and says how many connected sessions got it.

use std::fmt;

use parking_lot::MutexGuard;
use serde_json::{Map, Value, json};

use super::DiscordControl;
use super::rest::messages::{announce, new_message_by};
use super::state::{Data, id_of};

/// Why a user action could not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InjectError {
    /// No guild member has this id or username.
    UnknownUser(String),
    /// No channel has this id or name.
    UnknownChannel(String),
    /// No command by this name is registered (globally or in the guild).
    UnknownCommand {
        /// The name asked for.
        name: String,
        /// The commands that are registered.
        registered: Vec<String>,
    },
    /// An option is unknown, missing, or its value does not fit its type.
    BadOption(String),
    /// No message carries a component with this `custom_id`.
    NoComponent(String),
}

impl fmt::Display for InjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownUser(user) => write!(f, "no guild member is {user:?}"),
            Self::UnknownChannel(channel) => write!(f, "no channel is {channel:?}"),
            Self::UnknownCommand { name, registered } if registered.is_empty() => write!(
                f,
                "no command {name:?} is registered (the bot has registered none yet)"
            ),
            Self::UnknownCommand { name, registered } => write!(
                f,
                "no command {name:?} is registered (registered: {})",
                registered.join(", ")
            ),
            Self::BadOption(reason) => f.write_str(reason),
            Self::NoComponent(id) => write!(f, "no message has a component {id:?}"),
        }
    }
}

impl std::error::Error for InjectError {}

/// A slash command invocation: the command (with its subcommand group and subcommand,
/// space-separated: `"config set"`), `name=value` options, and where and by whom.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SlashCommand {
    /// `name`, `name sub` or `name group sub`.
    pub name: String,
    /// Options as `(name, value)` text; values are read by the option's declared type.
    pub options: Vec<(String, String)>,
    /// The guild (id or name); the channel's guild, or the first guild, when `None`.
    pub guild: Option<String>,
    /// The channel (id or name); the guild's first text channel when `None`.
    pub channel: Option<String>,
    /// Who invokes it (id or username); the first member who is not the bot when `None`.
    pub user: Option<String>,
}

impl SlashCommand {
    /// An invocation of `name` with no options.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Adds an option.
    #[must_use]
    pub fn option(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.push((name.into(), value.into()));
        self
    }

    /// Invoked in this channel (id or name).
    #[must_use]
    pub fn channel(mut self, channel: impl Into<String>) -> Self {
        self.channel = Some(channel.into());
        self
    }

    /// Invoked by this user (id or username).
    #[must_use]
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }
}

/// Where an action happens, resolved: guild, channel and the acting member.
struct Place {
    guild: Value,
    channel: Value,
    member: Value,
}

impl Place {
    fn guild_id(&self) -> u64 {
        id_of(&self.guild)
    }
}

/// Finds the channel (by id or name, `#` optional) and the member (by id or username).
fn place(
    data: &Data,
    guild: Option<&str>,
    channel: Option<&str>,
    user: Option<&str>,
) -> Result<Place, InjectError> {
    let matches = |value: &Value, key: &str| {
        let key = key.trim_start_matches('#');
        value["id"] == key
            || value["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(key))
    };
    let channel = if let Some(key) = channel {
        data.channels
            .values()
            .find(|c| matches(c, key))
            .cloned()
            .ok_or_else(|| InjectError::UnknownChannel(key.to_owned()))?
    } else {
        let guild = match guild {
            Some(key) => data.guilds.values().find(|g| matches(g, key)),
            None => data.guilds.values().next(),
        };
        guild
            .and_then(|g| {
                g["channels"]
                    .as_array()?
                    .iter()
                    .find(|c| c["type"] == 0)
                    .cloned()
            })
            .ok_or_else(|| {
                InjectError::UnknownChannel(
                    guild.map_or_else(String::new, |g| g["name"].to_string()),
                )
            })?
    };
    let guild = channel["guild_id"]
        .as_str()
        .and_then(|id| id.parse::<u64>().ok())
        .and_then(|id| data.guilds.get(&id))
        .cloned()
        .ok_or_else(|| InjectError::UnknownChannel(channel["id"].to_string()))?;
    let members = guild["members"].as_array().map_or(&[][..], Vec::as_slice);
    let member = match user {
        Some(key) => members.iter().find(|m| {
            m["user"]["id"] == key
                || m["user"]["username"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(key))
        }),
        None => members.iter().find(|m| m["user"]["bot"] != true),
    }
    .cloned()
    .ok_or_else(|| InjectError::UnknownUser(user.unwrap_or("anyone but the bot").to_owned()))?;
    Ok(Place {
        guild,
        channel,
        member,
    })
}

/// The member's permissions: every role's bits or'ed with `@everyone`'s; all of them for
/// the owner.
fn permissions(guild: &Value, member: &Value) -> String {
    if guild["owner_id"] == member["user"]["id"] {
        return ((1u64 << 51) - 1).to_string();
    }
    let held = member["roles"].as_array().map_or(&[][..], Vec::as_slice);
    let bits = guild["roles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|role| role["id"] == guild["id"] || held.contains(&role["id"]))
        .filter_map(|role| role["permissions"].as_str()?.parse::<u64>().ok())
        .fold(0, |all, bits| all | bits);
    bits.to_string()
}

impl DiscordControl {
    /// `user` (id or username) writes `content` in `channel` (id or name): the message is
    /// stored and sent as MESSAGE_CREATE. Returns the message and how many connected
    /// sessions got it.
    pub fn message_as(
        &self,
        channel: &str,
        user: &str,
        content: &str,
    ) -> Result<(Value, usize), InjectError> {
        let mut data = self.state.data();
        let place = place(&data, None, Some(channel), Some(user))?;
        let body = json!({ "content": content });
        let mut message = new_message_by(
            &mut data,
            id_of(&place.channel),
            &body,
            &place.member["user"],
        );
        let mut member = place.member.clone();
        if let Some(member) = member.as_object_mut() {
            member.remove("user");
        }
        message["member"] = member;
        drop(data);
        let sent = announce(&self.state, "MESSAGE_CREATE", &message);
        Ok((message, sent))
    }

    /// Sends INTERACTION_CREATE for a slash command the bot registered. Options are read by
    /// their declared types (integers, numbers, booleans; users, channels and roles by id
    /// or name, with `resolved`). Returns the interaction and how many sessions got it.
    pub fn slash_command(&self, command: &SlashCommand) -> Result<(Value, usize), InjectError> {
        let data = self.state.data();
        let place = place(
            &data,
            command.guild.as_deref(),
            command.channel.as_deref(),
            command.user.as_deref(),
        )?;
        let mut path = command.name.split_whitespace();
        let name = path.next().unwrap_or_default().to_owned();
        let guild_id = place.guild_id();
        // The guild's commands first: a guild command shadows a global one of its name.
        let registered: Vec<&Value> = data
            .commands
            .get(&Some(guild_id))
            .into_iter()
            .chain(data.commands.get(&None))
            .flatten()
            .collect();
        let Some(definition) = registered
            .iter()
            .find(|c| c["name"] == name.as_str() && c["type"].as_u64().unwrap_or(1) == 1)
            .map(|c| (*c).clone())
        else {
            let registered = registered
                .iter()
                .filter_map(|c| c["name"].as_str().map(str::to_owned))
                .collect();
            return Err(InjectError::UnknownCommand { name, registered });
        };
        let mut resolved = Map::new();
        let mut options = Vec::new();
        let mut level = &definition;
        let mut nest: Vec<(String, u64)> = Vec::new();
        for sub in path {
            let found = level["options"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|o| o["name"] == sub && matches!(o["type"].as_u64(), Some(1 | 2)))
                .ok_or_else(|| {
                    InjectError::BadOption(format!("{name} has no subcommand {sub:?}"))
                })?;
            nest.push((sub.to_owned(), found["type"].as_u64().unwrap_or(1)));
            level = found;
        }
        for (key, value) in &command.options {
            let declared = level["options"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|o| o["name"] == key.as_str())
                .ok_or_else(|| {
                    InjectError::BadOption(format!("{} has no option {key:?}", command.name))
                })?;
            let kind = declared["type"].as_u64().unwrap_or(3);
            let value = option_value(&data, &place, kind, key, value, &mut resolved)?;
            options.push(json!({ "name": key, "type": kind, "value": value }));
        }
        for required in level["options"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|o| o["required"] == true)
        {
            if !options.iter().any(|o| o["name"] == required["name"]) {
                return Err(InjectError::BadOption(format!(
                    "{} needs option {}",
                    command.name, required["name"]
                )));
            }
        }
        for (sub, kind) in nest.into_iter().rev() {
            options = vec![json!({ "name": sub, "type": kind, "options": options })];
        }
        let mut command_data = json!({
            "id": definition["id"], "name": name, "type": 1, "options": options,
        });
        if !definition["guild_id"].is_null() {
            command_data["guild_id"] = definition["guild_id"].clone();
        }
        if !resolved.is_empty() {
            command_data["resolved"] = Value::Object(resolved);
        }
        Ok(self.send_interaction(data, &place, 2, &command_data, None))
    }

    /// Sends INTERACTION_CREATE for a click on the button `custom_id` of the newest message
    /// that has it (in `channel` when given). Returns the interaction and how many sessions
    /// got it.
    pub fn button_click(
        &self,
        custom_id: &str,
        channel: Option<&str>,
        user: Option<&str>,
    ) -> Result<(Value, usize), InjectError> {
        let data = self.state.data();
        let wanted = match channel {
            Some(key) => Some(id_of(&place(&data, None, Some(key), user)?.channel)),
            None => None,
        };
        let message = data
            .messages
            .iter()
            .filter(|(channel, _)| wanted.is_none_or(|w| w == **channel))
            .flat_map(|(_, messages)| messages.values())
            .filter(|m| has_component(&m["components"], custom_id))
            .max_by_key(|m| id_of(m))
            .cloned()
            .ok_or_else(|| InjectError::NoComponent(custom_id.to_owned()))?;
        let channel_id = message["channel_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let place = place(&data, None, Some(&channel_id), user)?;
        let component_type = find_component(&message["components"], custom_id)
            .and_then(|c| c["type"].as_u64())
            .unwrap_or(2);
        let mut message = message;
        message["guild_id"] = place.guild["id"].clone();
        Ok(self.send_interaction(
            data,
            &place,
            3,
            &json!({ "custom_id": custom_id, "component_type": component_type }),
            Some(message),
        ))
    }

    /// Sends INTERACTION_CREATE for a submitted modal `custom_id` with text inputs
    /// `(custom_id, value)`. Returns the interaction and how many sessions got it.
    pub fn modal_submit(
        &self,
        custom_id: &str,
        fields: &[(String, String)],
        channel: Option<&str>,
        user: Option<&str>,
    ) -> Result<(Value, usize), InjectError> {
        let data = self.state.data();
        let place = place(&data, None, channel, user)?;
        let rows: Vec<Value> = fields
            .iter()
            .map(|(id, value)| {
                json!({ "type": 1, "components": [{ "type": 4, "custom_id": id, "value": value }] })
            })
            .collect();
        Ok(self.send_interaction(
            data,
            &place,
            5,
            &json!({ "custom_id": custom_id, "components": rows }),
            None,
        ))
    }

    /// Closes the connections of `shard` (all when `None`): resumable with 4000 (the client
    /// resumes), or not with 4009 after forgetting the session (the client identifies
    /// anew). Returns how many connections were open.
    pub fn disconnect(&self, shard: Option<u32>, resumable: bool) -> usize {
        let open = self.state.live_sessions(shard);
        if resumable {
            self.close(shard, 4000);
        } else {
            self.state.forget_shard(shard);
            self.close(shard, 4009);
        }
        open
    }

    /// Connected sessions of `shard` (all shards when `None`).
    pub fn live_sessions(&self, shard: Option<u32>) -> usize {
        self.state.live_sessions(shard)
    }

    /// Every current session as `{shard, session_id, seq, connected}`.
    pub fn sessions(&self) -> Vec<Value> {
        self.state
            .session_views()
            .into_iter()
            .map(|(shard, id, seq, live)| {
                json!({ "shard": shard, "session_id": id, "seq": seq, "connected": live })
            })
            .collect()
    }

    /// REST rate-limit buckets with an open window, as `{bucket, used, limit, reset_after}`.
    pub fn rate_limit_buckets(&self) -> Vec<Value> {
        self.state
            .limits
            .buckets()
            .into_iter()
            .map(|(bucket, used, limit, left)| {
                json!({ "bucket": bucket, "used": used, "limit": limit, "reset_after": left.as_secs_f64() })
            })
            .collect()
    }

    /// Application commands the bot registered, global ones under `None`.
    pub fn commands(&self) -> Vec<Value> {
        let data = self.state.data();
        let mut all: Vec<Value> = data.commands.values().flatten().cloned().collect();
        all.sort_by_key(id_of);
        all
    }

    /// Makes the interaction (remembering its token), lets go of the data, and sends
    /// INTERACTION_CREATE to the guild's shard: the interaction and how many sessions got it.
    fn send_interaction(
        &self,
        mut data: MutexGuard<'_, Data>,
        place: &Place,
        kind: u64,
        payload: &Value,
        message: Option<Value>,
    ) -> (Value, usize) {
        let interaction = interaction(&mut data, place, kind, payload, message);
        drop(data);
        let shard = self.state.shard_of(place.guild_id());
        let sent = self
            .state
            .dispatch_counted(Some(shard), "INTERACTION_CREATE", &interaction);
        (interaction, sent)
    }
}

/// An interaction of `kind` in `place`, with a fresh token remembered for its channel.
fn interaction(
    data: &mut Data,
    place: &Place,
    kind: u64,
    payload: &Value,
    message: Option<Value>,
) -> Value {
    let id = data.next_id();
    let token = format!("aW50ZXJhY3Rpb246{id}:{:032x}", rand::random::<u128>());
    data.issued.insert(token.clone(), id_of(&place.channel));
    data.issued_at
        .insert(token.clone(), tokio::time::Instant::now());
    let mut member = place.member.clone();
    member["permissions"] = Value::from(permissions(&place.guild, &place.member));
    let mut interaction = json!({
        "id": id.to_string(), "application_id": data.application["id"], "type": kind,
        "data": payload, "guild_id": place.guild["id"], "channel_id": place.channel["id"],
        "channel": place.channel, "member": member, "token": token, "version": 1,
        "app_permissions": ((1u64 << 51) - 1).to_string(), "locale": "en-US",
        "guild_locale": place.guild["preferred_locale"], "entitlements": [],
        "authorizing_integration_owners": { "0": place.guild["id"] }, "context": 0,
        "attachment_size_limit": 10_485_760,
    });
    data.issued_metadata.insert(
        token,
        interaction_metadata(&interaction, kind, payload, message.as_ref()),
    );
    if let Some(message) = message {
        interaction["message"] = message;
    }
    interaction
}

/// What a message posted in response to `interaction` says about it, as Discord's
/// message `interaction_metadata`: the interaction's id, type, user and owners, plus the
/// target of a context-menu command or the message whose component was used.
fn interaction_metadata(
    interaction: &Value,
    kind: u64,
    payload: &Value,
    message: Option<&Value>,
) -> Value {
    let mut metadata = json!({
        "id": interaction["id"],
        "type": kind,
        "user": interaction["member"]["user"],
        "authorizing_integration_owners": interaction["authorizing_integration_owners"],
    });
    match payload["type"].as_u64() {
        // A user or message command: what it was used on.
        Some(2) if kind == 2 => metadata["target_user"] = resolved_target(payload, "users"),
        Some(3) if kind == 2 => metadata["target_message_id"] = payload["target_id"].clone(),
        _ => {}
    }
    if let Some(message) = message {
        metadata["interacted_message_id"] = message["id"].clone();
    }
    metadata
}

fn resolved_target(payload: &Value, table: &str) -> Value {
    let target = payload["target_id"].as_str().unwrap_or_default();
    payload["resolved"][table][target].clone()
}

/// The value of an option of type `kind`; users, channels and roles also go into
/// `resolved`, as Discord sends them.
fn option_value(
    data: &Data,
    place: &Place,
    kind: u64,
    name: &str,
    text: &str,
    resolved: &mut Map<String, Value>,
) -> Result<Value, InjectError> {
    let bad = |what: &str| InjectError::BadOption(format!("option {name}: {text:?} is not {what}"));
    let mut add = |group: &str, id: &Value, value: Value| {
        let entry = resolved
            .entry(group.to_owned())
            .or_insert_with(|| json!({}));
        if let Some(key) = id.as_str() {
            entry[key] = value;
        }
    };
    let by_key = |value: &Value, key: &str| {
        let key = key.trim_start_matches(['#', '@']);
        value["id"] == key
            || value["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(key))
            || value["username"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(key))
    };
    Ok(match kind {
        4 => Value::from(text.parse::<i64>().map_err(|_| bad("an integer"))?),
        10 => Value::from(text.parse::<f64>().map_err(|_| bad("a number"))?),
        5 => Value::from(text.parse::<bool>().map_err(|_| bad("true or false"))?),
        6 | 9 => {
            let member = place.guild["members"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|m| by_key(&m["user"], text));
            let role = place.guild["roles"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| kind == 9 && by_key(r, text));
            match (member, role) {
                (Some(member), _) => {
                    let id = member["user"]["id"].clone();
                    add("users", &id, member["user"].clone());
                    let mut partial = member.clone();
                    if let Some(partial) = partial.as_object_mut() {
                        partial.remove("user");
                    }
                    add("members", &id, partial);
                    id
                }
                (None, Some(role)) => {
                    add("roles", &role["id"], role.clone());
                    role["id"].clone()
                }
                (None, None) => return Err(bad("a member of the guild")),
            }
        }
        7 => {
            let channel = data
                .channels
                .values()
                .find(|c| c["guild_id"] == place.guild["id"] && by_key(c, text))
                .ok_or_else(|| bad("a channel of the guild"))?;
            add("channels", &channel["id"], channel.clone());
            channel["id"].clone()
        }
        8 => {
            let role = place.guild["roles"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| by_key(r, text))
                .ok_or_else(|| bad("a role of the guild"))?;
            add("roles", &role["id"], role.clone());
            role["id"].clone()
        }
        _ => Value::from(text),
    })
}

/// The component with `custom_id` in a message's component tree.
fn find_component<'a>(components: &'a Value, custom_id: &str) -> Option<&'a Value> {
    components.as_array()?.iter().find_map(|component| {
        if component["custom_id"] == custom_id {
            Some(component)
        } else {
            find_component(&component["components"], custom_id)
        }
    })
}

fn has_component(components: &Value, custom_id: &str) -> bool {
    find_component(components, custom_id).is_some()
}
