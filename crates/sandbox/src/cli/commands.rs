//! The CLI's calls: each command line becomes one control API request (method, path and
//! JSON body), or a usage text when it does not fit.

use http::Method;
use serde_json::{Map, Value, json};

use super::args::Args;
use super::usage;

/// One request to the control API.
#[derive(Debug, PartialEq)]
pub(super) struct Call {
    pub(super) method: Method,
    pub(super) path: String,
    pub(super) body: Option<Value>,
}

/// Why a command line is not a call: the usage text to show.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Usage {
    pub(super) text: &'static str,
    pub(super) problem: Option<String>,
}

fn usage(text: &'static str, problem: impl Into<String>) -> Usage {
    Usage {
        text,
        problem: Some(problem.into()),
    }
}

fn post(path: impl Into<String>, body: Value) -> Call {
    Call {
        method: Method::POST,
        path: path.into(),
        body: Some(body),
    }
}

fn get(path: &str) -> Call {
    Call {
        method: Method::GET,
        path: path.to_owned(),
        body: None,
    }
}

/// A usage error for a flag the command does not take (`--control` is always fine).
fn check(args: &Args, text: &'static str, known: &[&str]) -> Result<(), Usage> {
    match args.unknown_flag(&[known, &["control"]].concat()) {
        Some(flag) => Err(usage(text, format!("unknown flag --{flag}"))),
        None => Ok(()),
    }
}

/// `{"name": value}` for each `--flag` that was given, as text.
fn flags(args: &Args, names: &[(&str, &str)]) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|(flag, field)| Some(((*field).to_owned(), Value::from(args.value(flag)?))))
        .collect()
}

/// `k=v` pairs of a repeated flag.
fn pairs(args: &Args, flag: &str, text: &'static str) -> Result<Value, Usage> {
    args.values(flag)
        .into_iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| json!([k, v]))
                .ok_or_else(|| usage(text, format!("--{flag} {pair}: expected name=value")))
        })
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

/// A number flag, checked here so a typo is a usage error rather than a server one.
fn number(args: &Args, flag: &str, text: &'static str) -> Result<Option<u64>, Usage> {
    args.value(flag)
        .map(|v| {
            v.parse()
                .map_err(|_| usage(text, format!("--{flag} {v}: expected a whole number")))
        })
        .transpose()
}

/// The call a command line makes; `args.words[0]` is the command.
pub(super) fn call(args: &Args) -> Result<Call, Usage> {
    let words: Vec<&str> = args.words.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["trigger", rest @ ..] => trigger(args, rest),
        ["say", "twitch", channel, user, text @ ..] if !text.is_empty() => {
            check(args, usage::SAY, &[])?;
            Ok(post(
                "twitch/chat/say",
                json!({ "channel": channel, "user": user, "text": text.join(" ") }),
            ))
        }
        ["say", ..] => Err(usage(usage::SAY, "expected: say twitch CHANNEL USER TEXT")),
        ["twitch", rest @ ..] => twitch(args, rest),
        ["discord", rest @ ..] => discord(args, rest),
        ["clash", rest @ ..] => clash(args, rest),
        ["singyeong", rest @ ..] => singyeong(args, rest),
        [
            "disconnect",
            platform @ ("discord" | "twitch" | "eventsub" | "singyeong"),
        ] => {
            check(args, usage::DISCONNECT, &["shard", "resumable", "session"])?;
            let mut body = flags(args, &[("session", "session")]);
            if let Some(shard) = number(args, "shard", usage::DISCONNECT)? {
                body.insert("shard".into(), Value::from(shard));
            }
            body.insert("resumable".into(), Value::from(args.switch("resumable")));
            Ok(post(format!("disconnect/{platform}"), Value::Object(body)))
        }
        ["disconnect", ..] => Err(usage(
            usage::DISCONNECT,
            "expected discord, twitch, eventsub or singyeong",
        )),
        ["chaos", platform, rest @ ..] => {
            check(args, usage::CHAOS, &["off"])?;
            let body = match rest {
                [] => json!({}),
                ["clear"] => json!({ "clear": true }),
                [name] => json!({ "chaos": name, "off": args.switch("off") }),
                _ => return Err(usage(usage::CHAOS, "expected one behaviour or `clear`")),
            };
            Ok(post(format!("chaos/{platform}"), body))
        }
        ["chaos"] => Err(usage(usage::CHAOS, "expected a platform")),
        ["state"] => Ok(get("state")),
        ["credentials"] => Ok(get("credentials")),
        _ => Err(usage(
            usage::MAIN,
            format!("unknown command {:?}", words.join(" ")),
        )),
    }
}

fn trigger(args: &Args, words: &[&str]) -> Result<Call, Usage> {
    let ["eventsub" | "twitch", kind] = words else {
        return Err(usage(usage::TRIGGER, "expected: trigger eventsub TYPE"));
    };
    check(
        args,
        usage::TRIGGER,
        &["version", "broadcaster", "user", "event"],
    )?;
    let mut body = flags(
        args,
        &[
            ("version", "version"),
            ("broadcaster", "broadcaster"),
            ("user", "user"),
        ],
    );
    body.insert("type".into(), Value::from(*kind));
    if let Some(event) = args.value("event") {
        let event: Value = serde_json::from_str(event)
            .map_err(|e| usage(usage::TRIGGER, format!("--event is not JSON: {e}")))?;
        body.insert("event".into(), event);
    }
    Ok(post("twitch/eventsub/trigger", Value::Object(body)))
}

fn twitch(args: &Args, words: &[&str]) -> Result<Call, Usage> {
    match words {
        [action @ ("follow" | "subscribe" | "cheer" | "raid")] => {
            check(
                args,
                usage::TWITCH,
                &["broadcaster", "user", "tier", "bits", "text", "viewers"],
            )?;
            let mut body = flags(
                args,
                &[
                    ("broadcaster", "broadcaster"),
                    ("user", "user"),
                    ("tier", "tier"),
                    ("text", "text"),
                ],
            );
            for name in ["bits", "viewers"] {
                if let Some(n) = number(args, name, usage::TWITCH)? {
                    body.insert(name.into(), Value::from(n));
                }
            }
            Ok(post(format!("twitch/{action}"), Value::Object(body)))
        }
        [state @ ("online" | "offline")] => {
            check(args, usage::TWITCH, &["broadcaster"])?;
            Ok(post(
                format!("twitch/stream/{state}"),
                Value::Object(flags(args, &[("broadcaster", "broadcaster")])),
            ))
        }
        ["reconnect"] => Ok(post("twitch/chat/reconnect", json!({}))),
        _ => Err(usage(usage::TWITCH, "expected a Twitch action")),
    }
}

fn discord(args: &Args, words: &[&str]) -> Result<Call, Usage> {
    let text = usage::DISCORD;
    match words {
        ["message", channel, words @ ..] if !words.is_empty() => {
            check(args, text, &["as"])?;
            let mut body = flags(args, &[("as", "as")]);
            body.insert("channel".into(), Value::from(*channel));
            body.insert("text".into(), Value::from(words.join(" ")));
            Ok(post("discord/message", Value::Object(body)))
        }
        ["command", name @ ..] if !name.is_empty() => {
            check(args, text, &["option", "guild", "channel", "as"])?;
            let mut body = flags(
                args,
                &[("guild", "guild"), ("channel", "channel"), ("as", "as")],
            );
            body.insert("name".into(), Value::from(name.join(" ")));
            body.insert("options".into(), pairs(args, "option", text)?);
            Ok(post("discord/command", Value::Object(body)))
        }
        ["button", custom_id] => {
            check(args, text, &["channel", "as"])?;
            let mut body = flags(args, &[("channel", "channel"), ("as", "as")]);
            body.insert("custom_id".into(), Value::from(*custom_id));
            Ok(post("discord/button", Value::Object(body)))
        }
        ["modal", custom_id] => {
            check(args, text, &["field", "channel", "as"])?;
            let mut body = flags(args, &[("channel", "channel"), ("as", "as")]);
            body.insert("custom_id".into(), Value::from(*custom_id));
            body.insert("fields".into(), pairs(args, "field", text)?);
            Ok(post("discord/modal", Value::Object(body)))
        }
        [fault @ ("reconnect" | "invalidate")] => {
            check(args, text, &["shard", "resumable"])?;
            let mut body = Map::new();
            if let Some(shard) = number(args, "shard", text)? {
                body.insert("shard".into(), Value::from(shard));
            }
            body.insert("resumable".into(), Value::from(args.switch("resumable")));
            Ok(post(format!("discord/{fault}"), Value::Object(body)))
        }
        _ => Err(usage(text, "expected a Discord action")),
    }
}

fn singyeong(args: &Args, words: &[&str]) -> Result<Call, Usage> {
    let text = usage::SINGYEONG;
    match words {
        ["clients"] => Ok(get("singyeong/clients")),
        ["send", application, payload] => {
            check(args, text, &["client", "broadcast"])?;
            let payload: Value = serde_json::from_str(payload)
                .map_err(|e| usage(text, format!("PAYLOAD_JSON is not JSON: {e}")))?;
            let mut body = flags(args, &[("client", "client")]);
            body.insert("application".into(), Value::from(*application));
            body.insert("payload".into(), payload);
            body.insert("broadcast".into(), Value::from(args.switch("broadcast")));
            Ok(post("singyeong/send", Value::Object(body)))
        }
        ["goodbye", application @ ..] if application.len() <= 1 => {
            check(args, text, &["client"])?;
            let mut body = flags(args, &[("client", "client")]);
            if let Some(application) = application.first() {
                body.insert("application".into(), Value::from(*application));
            }
            Ok(post("singyeong/goodbye", Value::Object(body)))
        }
        _ => Err(usage(text, "expected clients, send or goodbye")),
    }
}

fn clash(args: &Args, words: &[&str]) -> Result<Call, Usage> {
    let text = usage::CLASH;
    check(args, text, &["clan", "stars", "troops"])?;
    let mut body = flags(args, &[("clan", "clan")]);
    let mut with = |key: &str, value: Value| {
        body.insert(key.into(), value);
    };
    for name in ["stars", "troops"] {
        if let Some(n) = number(args, name, text)? {
            with(name, Value::from(n));
        }
    }
    let path = match words {
        ["maintenance", switch @ ("start" | "end")] => format!("maintenance/{switch}"),
        ["war", action @ ("start" | "attack" | "defense")] => format!("war/{action}"),
        ["war", "state", state] => {
            with("state", Value::from(*state));
            "war/state".to_owned()
        }
        ["league", "round"] => "league/round".to_owned(),
        ["member", "join", name @ ..] if !name.is_empty() => {
            with("name", Value::from(name.join(" ")));
            "member/join".to_owned()
        }
        ["member", "leave", member] => {
            with("member", Value::from(*member));
            "member/leave".to_owned()
        }
        ["donate", from, to] => {
            with("from", Value::from(*from));
            with("to", Value::from(*to));
            "donate".to_owned()
        }
        ["trophies", player, trophies] => {
            let trophies: u64 = trophies
                .parse()
                .map_err(|_| usage(text, format!("{trophies}: expected a whole number")))?;
            with("player", Value::from(*player));
            with("trophies", Value::from(trophies));
            "trophies".to_owned()
        }
        ["upgrade", player, unit @ ..] if !unit.is_empty() => {
            with("player", Value::from(*player));
            with("unit", Value::from(unit.join(" ")));
            "upgrade".to_owned()
        }
        _ => return Err(usage(text, "expected a Clash action")),
    };
    Ok(post(format!("clash/{path}"), Value::Object(body)))
}

#[cfg(test)]
mod tests {
    use http::Method;
    use serde_json::json;

    use super::{Call, call};
    use crate::cli::args::Args;

    fn line(text: &str) -> Result<Call, super::Usage> {
        call(&Args::parse(shell_words(text)).unwrap())
    }

    /// Splits on spaces, keeping "quoted words" together.
    fn shell_words(text: &str) -> Vec<String> {
        let mut words = Vec::new();
        for (index, part) in text.split('"').enumerate() {
            if index % 2 == 1 {
                words.push(part.to_owned());
            } else {
                words.extend(part.split_whitespace().map(str::to_owned));
            }
        }
        words
    }

    #[test]
    fn each_family_maps_to_its_route() {
        let trigger =
            line("trigger eventsub channel.follow --version 2 --broadcaster 100000003").unwrap();
        assert_eq!(trigger.path, "twitch/eventsub/trigger");
        assert_eq!(
            trigger.body,
            Some(json!({ "type": "channel.follow", "version": "2", "broadcaster": "100000003" }))
        );
        assert_eq!(
            line("trigger twitch channel.follow --broadcaster x")
                .unwrap()
                .path,
            "twitch/eventsub/trigger"
        );
        let say = line("say twitch #chan viewer \"hi there\"").unwrap();
        assert_eq!(
            say.body,
            Some(json!({ "channel": "#chan", "user": "viewer", "text": "hi there" }))
        );
        let command = line("discord command roll --option sides=6 --as bob").unwrap();
        assert_eq!(
            command.body,
            Some(json!({ "name": "roll", "options": [["sides", "6"]], "as": "bob" }))
        );
        assert_eq!(
            line("clash maintenance start").unwrap().path,
            "clash/maintenance/start"
        );
        assert_eq!(
            line("clash war attack --stars 2").unwrap().body,
            Some(json!({ "stars": 2 }))
        );
        let chaos = line("chaos discord tiny-heartbeat").unwrap();
        assert_eq!(chaos.path, "chaos/discord");
        assert_eq!(
            chaos.body,
            Some(json!({ "chaos": "tiny-heartbeat", "off": false }))
        );
        assert_eq!(
            line("chaos discord clear").unwrap().body,
            Some(json!({ "clear": true }))
        );
        let helix = line("chaos helix slow-body").unwrap();
        assert_eq!(helix.path, "chaos/helix");
        assert_eq!(
            helix.body,
            Some(json!({ "chaos": "slow-body", "off": false }))
        );
        let disconnect = line("disconnect discord --shard 0 --resumable").unwrap();
        assert_eq!(disconnect.path, "disconnect/discord");
        assert_eq!(
            disconnect.body,
            Some(json!({ "shard": 0, "resumable": true }))
        );
        assert_eq!(line("state").unwrap().method, Method::GET);
    }

    #[test]
    fn mistakes_are_usage_errors() {
        for bad in [
            "trigger eventsub",
            "say twitch #chan",
            "discord command roll --option sides",
            "clash war attack --stars many",
            "clash war attack --starz 2",
            "disconnect nowhere",
            "frobnicate",
        ] {
            assert!(line(bad).is_err(), "{bad}");
        }
    }
}
