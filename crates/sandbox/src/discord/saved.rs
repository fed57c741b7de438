//! What `--state` keeps of Discord: the application commands the bot registered and the
//! newest messages of every channel.

use serde_json::{Value, json};

use super::DiscordControl;
use super::state::id_of;

/// Messages kept per channel; the newest win.
const MESSAGES_PER_CHANNEL: usize = 500;

impl DiscordControl {
    /// `{commands: [[guild or null, [command…]]…], messages: [[channel, [message…]]…]}`.
    pub(crate) fn saved(&self) -> Value {
        let data = self.state.data();
        let mut commands: Vec<(Option<u64>, &Vec<Value>)> =
            data.commands.iter().map(|(g, c)| (*g, c)).collect();
        commands.sort_by_key(|(guild, _)| *guild);
        let commands: Vec<Value> = commands
            .into_iter()
            .map(|(guild, list)| json!([guild.map(|g| g.to_string()), list]))
            .collect();
        let messages: Vec<Value> = data
            .messages
            .iter()
            .filter(|(_, messages)| !messages.is_empty())
            .map(|(channel, messages)| {
                let skip = messages.len().saturating_sub(MESSAGES_PER_CHANNEL);
                let list: Vec<&Value> = messages.values().skip(skip).collect();
                json!([channel.to_string(), list])
            })
            .collect();
        let mut messages = messages;
        messages.sort_by(|a, b| a[0].as_str().cmp(&b[0].as_str()));
        json!({ "commands": commands, "messages": messages })
    }

    /// Puts back what [`saved`](Self::saved) returned (unknown shapes are skipped).
    pub(crate) fn restore(&self, saved: &Value) {
        let mut data = self.state.data();
        let mut newest = 0;
        for entry in saved["commands"].as_array().into_iter().flatten() {
            let guild = entry[0].as_str().and_then(|g| g.parse::<u64>().ok());
            let list: Vec<Value> = entry[1].as_array().cloned().unwrap_or_default();
            newest = list.iter().map(id_of).fold(newest, u64::max);
            data.commands.insert(guild, list);
        }
        for entry in saved["messages"].as_array().into_iter().flatten() {
            let Some(channel) = entry[0].as_str().and_then(|c| c.parse::<u64>().ok()) else {
                continue;
            };
            let stored = data.messages.entry(channel).or_default();
            for message in entry[1].as_array().into_iter().flatten() {
                let id = id_of(message);
                newest = newest.max(id);
                stored.insert(id, message.clone());
            }
        }
        data.raise_next_id(newest);
    }
}
