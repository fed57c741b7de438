//! What a bot needs to log in: every platform's base URLs and credentials, as the JSON
//! object `sandbox --json` prints first (a stable interface: keys are only ever added) and
//! as text for people.

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use serde_json::{Value, json};

use crate::world::{Secret, World};

/// Where each server listens.
#[derive(Debug, Clone, Copy)]
pub(super) struct Addresses {
    pub(super) host: IpAddr,
    pub(super) control: SocketAddr,
    pub(super) discord: SocketAddr,
    pub(super) twitch: SocketAddr,
    pub(super) irc_tcp: SocketAddr,
    pub(super) eventsub: SocketAddr,
    pub(super) clash: SocketAddr,
    pub(super) singyeong: SocketAddr,
    pub(super) echo: SocketAddr,
}

/// `host:port` a client can connect to: a wildcard listen address is reached on loopback.
fn reachable(host: IpAddr, addr: SocketAddr) -> String {
    let host = match host {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    };
    SocketAddr::new(host, addr.port()).to_string()
}

/// The `--json` object.
pub(super) fn json(world: &World, at: &Addresses) -> Value {
    let url = |scheme: &str, addr: SocketAddr, path: &str| {
        format!("{scheme}://{}{path}", reachable(at.host, addr))
    };
    let twitch = &world.twitch;
    let users: Vec<Value> = twitch
        .users
        .iter()
        .map(|u| {
            json!({
                "login": u.login, "id": u.id, "display_name": u.display_name(),
                "token": u.token.expose(),
                "refresh_token": u.refresh_token.as_ref().map(Secret::expose),
                "scopes": u.scopes,
            })
        })
        .collect();
    let clash = &world.clash;
    let mesh_password = world.singyeong.password.as_ref().map(Secret::expose);
    let mesh_host = reachable(at.host, at.singyeong);
    let dsn = match mesh_password {
        Some(password) => format!("singyeong://sandbox-app:{password}@{mesh_host}"),
        None => format!("singyeong://sandbox-app@{mesh_host}"),
    };
    json!({
        "control": url("http", at.control, ""),
        "console": url("http", at.control, "/_sandbox/console"),
        "discord": {
            "rest": url("http", at.discord, "/api/v10"),
            "gateway": url("ws", at.discord, ""),
            "token": world.discord.token.expose(),
            "application_id": world.discord.application.id,
            "bot_id": world.discord.bot.id,
            "guilds": world.discord.guilds.iter().map(|g| json!({ "id": g.id, "name": g.name })).collect::<Vec<_>>(),
        },
        "twitch": {
            "irc_ws": url("ws", at.twitch, ""),
            "irc_tcp": url("irc", at.irc_tcp, ""),
            "helix": url("http", at.twitch, "/helix"),
            "oauth": url("http", at.twitch, "/oauth2"),
            "eventsub_ws": url("ws", at.eventsub, "/ws"),
            "eventsub_mock": url("ws", at.eventsub, "/ws"),
            "eventsub_mock_api": url("http", at.eventsub, ""),
            "client_id": twitch.client_id,
            "client_secret": twitch.client_secret.expose(),
            "users": users,
        },
        "clash": {
            "api": url("http", at.clash, "/v1"),
            "developer_site": url("http", at.clash, ""),
            "email": clash.email,
            "password": clash.password.expose(),
            "clan": clash.clans[0].tag,
        },
        "singyeong": {
            "url": url("singyeong", at.singyeong, ""),
            "gateway": url("ws", at.singyeong, "/gateway/websocket"),
            "http": url("http", at.singyeong, ""),
            "dsn": dsn,
            "password": mesh_password,
        },
        "echo": url("http", at.echo, ""),
    })
}

/// The credentials as text, one platform per block.
pub(super) fn describe(credentials: &Value, world: &World) -> String {
    let text = |value: &Value| value.as_str().unwrap_or("-").to_owned();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "switchboard sandbox: every platform below, offline. Ctrl-C stops it.\n\n\
         control     {}   (sandbox trigger|say|discord|clash|disconnect|state; or set SANDBOX_CONTROL)\n\
         console     {}   (open in a browser: clients, live traffic, rate limits, controls)\n",
        text(&credentials["control"]),
        text(&credentials["console"])
    );
    let discord = &credentials["discord"];
    let _ = writeln!(
        out,
        "Discord\n  REST          {}\n  gateway       {}\n  bot token     {}\n  application   {}",
        text(&discord["rest"]),
        text(&discord["gateway"]),
        text(&discord["token"]),
        text(&discord["application_id"]),
    );
    for guild in &world.discord.guilds {
        let channels: Vec<String> = guild
            .channels
            .iter()
            .map(|c| format!("#{} {}", c.name, c.id))
            .collect();
        let _ = writeln!(
            out,
            "  guild         {} {}: {}",
            guild.name,
            guild.id,
            channels.join(", ")
        );
    }
    let twitch = &credentials["twitch"];
    let _ = writeln!(
        out,
        "\nTwitch\n  Helix         {}\n  OAuth         {}\n  chat (WS)     {}\n  chat (TCP)    {}\n  \
         EventSub      {} (subscribe through Helix, or the mock API at {}/eventsub/subscriptions)\n  \
         client id     {}\n  client secret {}",
        text(&twitch["helix"]),
        text(&twitch["oauth"]),
        text(&twitch["irc_ws"]),
        text(&twitch["irc_tcp"]),
        text(&twitch["eventsub_ws"]),
        text(&twitch["eventsub_mock_api"]),
        text(&twitch["client_id"]),
        text(&twitch["client_secret"]),
    );
    for (index, user) in world.twitch.users.iter().enumerate() {
        let role = match index {
            0 => "bot",
            1 => "viewer",
            _ => "user",
        };
        let _ = writeln!(
            out,
            "  {role:<13} {} (id {}) token {} scopes {}",
            user.login,
            user.id,
            user.token.expose(),
            user.scopes.join(" ")
        );
    }
    let clash = &credentials["clash"];
    let _ = writeln!(
        out,
        "\nClash of Clans\n  API           {}\n  developer     {} ({} / {})\n  clan          {}",
        text(&clash["api"]),
        text(&clash["developer_site"]),
        text(&clash["email"]),
        text(&clash["password"]),
        text(&clash["clan"]),
    );
    let mesh = &credentials["singyeong"];
    let _ = writeln!(
        out,
        "\nsingyeong\n  DSN           {}\n  password      {}",
        text(&mesh["dsn"]),
        mesh["password"].as_str().unwrap_or("(none)"),
    );
    out
}
