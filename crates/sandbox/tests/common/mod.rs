//! The `sandbox` binary as a user runs it: started as a child process with `--json`,
//! its first stdout line read as the credentials; plain HTTP, WebSocket, IRC and CLI
//! helpers over real sockets.

#![allow(dead_code, unreachable_pub)] // each test binary uses part of this

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use http::{Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The running binary; killed on drop.
pub struct Sandbox {
    child: Child,
    pub credentials: Value,
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sandbox {
    /// `sandbox --port 0 --json ARGS…`, waiting for the first stdout line.
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sandbox"))
            .args(["--port", "0", "--json"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the sandbox binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut first = String::new();
        BufReader::new(stdout)
            .read_line(&mut first)
            .expect("the sandbox prints a line");
        let credentials = serde_json::from_str(&first)
            .unwrap_or_else(|e| panic!("the first line is JSON ({e}): {first:?}"));
        Self { child, credentials }
    }

    /// A credential or URL by JSON pointer (`/discord/rest`).
    pub fn at(&self, pointer: &str) -> String {
        self.credentials
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{pointer} is a string in the credentials"))
            .to_owned()
    }

    /// Stops the sandbox the way Ctrl-C or a process manager does, and waits for it.
    pub fn terminate(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }

    /// Runs `sandbox ARGS…` against this sandbox's control URL: (exit code, stdout, stderr).
    pub async fn cli(&self, args: &[&str]) -> (i32, Value, String) {
        let mut all = vec!["--control".to_owned(), self.at("/control")];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        cli(all).await
    }
}

/// Runs the binary with `args`: (exit code, stdout as JSON or `null`, stderr).
pub async fn cli(args: Vec<String>) -> (i32, Value, String) {
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_sandbox"))
            .args(&args)
            .env_remove("SANDBOX_CONTROL")
            .output()
            .expect("the CLI runs")
    })
    .await
    .expect("the CLI task ends");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (
        output.status.code().unwrap_or(-1),
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// One HTTP request: status, headers, body as JSON (`null` if not JSON).
pub async fn http(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, String)>,
) -> (StatusCode, http::HeaderMap, Value) {
    let mut request = Request::builder().method(method).uri(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = match body {
        Some((content_type, text)) => {
            request = request.header("content-type", content_type);
            Bytes::from(text)
        }
        None => Bytes::new(),
    };
    let client = Client::builder(TokioExecutor::new()).build_http();
    let response = client
        .request(request.body(Full::new(body)).expect("a request"))
        .await
        .expect("an answer");
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.expect("a body").to_bytes();
    (
        parts.status,
        parts.headers,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// `GET url` with headers; the JSON body.
pub async fn get(url: &str, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    let (status, _, body) = http(Method::GET, url, headers, None).await;
    (status, body)
}

/// `POST url` with a JSON body.
pub async fn post_json(
    url: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> (StatusCode, http::HeaderMap, Value) {
    http(
        Method::POST,
        url,
        headers,
        Some(("application/json", body.to_string())),
    )
    .await
}

/// A WebSocket client.
pub async fn connect(url: &str) -> Socket {
    tokio_tungstenite::connect_async(url)
        .await
        .unwrap_or_else(|e| panic!("WebSocket {url}: {e}"))
        .0
}

/// The next JSON text frame (10 s at most).
pub async fn next_json(socket: &mut Socket) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(10), socket.next())
            .await
            .expect("a frame within 10 s")
            .expect("the socket is open")
            .expect("a good frame");
        match frame {
            Message::Text(text) => return serde_json::from_str(&text).expect("JSON"),
            Message::Close(close) => panic!("closed: {close:?}"),
            _ => {}
        }
    }
}

/// JSON frames until one satisfies `wanted` (10 s at most each).
pub async fn until(socket: &mut Socket, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let value = next_json(socket).await;
        if wanted(&value) {
            return value;
        }
    }
}

/// Sends a JSON text frame.
pub async fn send_json(socket: &mut Socket, value: &Value) {
    socket
        .send(Message::text(value.to_string()))
        .await
        .expect("the frame is sent");
}

/// A Discord gateway session: HELLO, IDENTIFY with `token` and intents 33281
/// (guilds, guild messages, message content), READY.
pub async fn discord_session(gateway: &str, token: &str) -> (Socket, Value) {
    let mut socket = connect(&format!("{gateway}/?v=10&encoding=json")).await;
    let hello = next_json(&mut socket).await;
    assert_eq!(hello["op"], 10);
    send_json(
        &mut socket,
        &serde_json::json!({ "op": 2, "d": { "token": token, "intents": 33_281,
            "properties": { "os": "linux", "browser": "test", "device": "test" } } }),
    )
    .await;
    let ready = until(&mut socket, |p| p["t"] == "READY").await;
    (socket, ready)
}

/// An IRC connection over TCP, logged in as `login` with `token` (after the 001 welcome).
pub struct Irc {
    reader: tokio::io::Lines<tokio::io::BufReader<tokio::net::tcp::OwnedReadHalf>>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl Irc {
    /// Connects to `irc://host:port` and logs in; panics without a 001.
    pub async fn login(url: &str, login: &str, token: &str) -> Self {
        let address = url.trim_start_matches("irc://");
        let stream = tokio::net::TcpStream::connect(address)
            .await
            .expect("IRC over TCP accepts");
        let (read, writer) = stream.into_split();
        let mut irc = Self {
            reader: tokio::io::BufReader::new(read).lines(),
            writer,
        };
        irc.send("CAP REQ :twitch.tv/tags twitch.tv/commands twitch.tv/membership")
            .await;
        irc.send(&format!("PASS oauth:{token}")).await;
        irc.send(&format!("NICK {login}")).await;
        irc.until(|line| line.contains(" 001 ")).await;
        irc
    }

    pub async fn send(&mut self, line: &str) {
        self.writer
            .write_all(format!("{line}\r\n").as_bytes())
            .await
            .expect("IRC write");
    }

    /// Lines until one contains what `wanted` looks for (10 s at most each).
    pub async fn until(&mut self, wanted: impl Fn(&str) -> bool) -> String {
        loop {
            let line = tokio::time::timeout(Duration::from_secs(10), self.reader.next_line())
                .await
                .expect("an IRC line within 10 s")
                .expect("IRC read")
                .expect("the IRC connection is open");
            if line.starts_with("PING") {
                self.send("PONG :tmi.twitch.tv").await;
            }
            if wanted(&line) {
                return line;
            }
        }
    }
}

/// Logs in on the Clash developer site with the printed account and creates a key for
/// 127.0.0.1: `Bearer <key>`.
pub async fn clash_key(sandbox: &Sandbox) -> String {
    let site = sandbox.at("/clash/developer_site");
    let account = serde_json::json!({ "email": sandbox.at("/clash/email"), "password": sandbox.at("/clash/password") });
    let (status, headers, _) = post_json(&format!("{site}/api/login"), &[], &account).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (status, _, created) = post_json(
        &format!("{site}/api/apikey/create"),
        &[("cookie", &cookie)],
        &serde_json::json!({ "name": "bot", "description": "", "cidrRanges": ["127.0.0.1"], "scopes": ["clash"] }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    format!("Bearer {}", created["key"]["key"].as_str().unwrap())
}

/// A singyeong client of application `bot` identified as `client_id` with the printed
/// password; panics without READY.
pub async fn mesh_client(sandbox: &Sandbox, client_id: &str) -> Socket {
    let mut mesh = connect(&format!(
        "{}?encoding=json",
        sandbox.at("/singyeong/gateway")
    ))
    .await;
    assert_eq!(next_json(&mut mesh).await["op"], 0, "HELLO");
    send_json(
        &mut mesh,
        &serde_json::json!({ "op": 1, "d": { "client_id": client_id, "application_id": "bot",
            "auth": sandbox.at("/singyeong/password") }, "ts": 0 }),
    )
    .await;
    let ready = next_json(&mut mesh).await;
    assert_eq!(ready["op"], 2, "{ready}");
    assert_eq!(ready["d"]["restricted"], false);
    mesh
}
