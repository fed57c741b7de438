//! Discord REST answers of the standalone sandbox against Discord's published OpenAPI
//! description (`fixtures/discord/openapi.json`, reduced from `discord/discord-api-spec` by
//! `xtask/scripts/reduce-discord-openapi.py`): every body validates against the response
//! schema of its path, method and status; `Content-Type` is exactly `application/json`;
//! rate-limit headers are present; 4xx bodies have Discord's `{"code", "message"}` shape.

mod common;

use http::{Method, StatusCode};
use serde_json::{Value, json};

use common::{Sandbox, http};

const SPEC: &str = include_str!("../../../fixtures/discord/openapi.json");

/// A small OpenAPI 3.1 schema validator: `$ref`, `oneOf`/`anyOf` (one alternative fits),
/// `allOf`, `type` (with `null` in a type list), `required`, `properties`, `items`.
struct Validator {
    spec: Value,
}

impl Validator {
    fn new() -> Self {
        Self {
            spec: serde_json::from_str(SPEC).expect("the vendored spec is JSON"),
        }
    }

    fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        while let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = reference.trim_start_matches('#');
            schema = self
                .spec
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} resolves"));
        }
        schema
    }

    /// The JSON schema of the answer to `method path` with `status`.
    fn response_schema(&self, path: &str, method: &str, status: u16) -> &Value {
        let operation = &self.spec["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is in the spec");
        let response = self.resolve(&operation["responses"][status.to_string()]);
        assert!(
            response.is_object(),
            "{method} {path} documents status {status}"
        );
        &response["content"]["application/json"]["schema"]
    }

    fn validate(&self, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if let Some(choices) = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))
            .and_then(Value::as_array)
        {
            let mut best: Option<Vec<String>> = None;
            for choice in choices {
                let mut found = Vec::new();
                self.validate(choice, value, at, &mut found);
                if found.is_empty() {
                    return;
                }
                if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                    best = Some(found);
                }
            }
            errors.extend(best.unwrap_or_default());
            return;
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            for part in all {
                self.validate(part, value, at, errors);
            }
        }
        if let Some(kind) = schema.get("type") {
            let allowed: Vec<&str> = match kind {
                Value::String(one) => vec![one.as_str()],
                Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let actual = json_type(value);
            let fits =
                allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
            if !fits {
                errors.push(format!("{at}: {actual}, documented {kind}"));
                return;
            }
        }
        if let Value::Object(fields) = value {
            for required in schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().unwrap_or_default();
                if !fields.contains_key(name) {
                    errors.push(format!("{at}.{name} is missing"));
                }
            }
            if let Some(properties) = schema["properties"].as_object() {
                for (name, property) in properties {
                    if let Some(field) = fields.get(name) {
                        self.validate(property, field, &format!("{at}.{name}"), errors);
                    }
                }
            }
        }
        if let (Value::Array(items), Some(item)) = (value, schema.get("items")) {
            for (index, element) in items.iter().enumerate() {
                self.validate(item, element, &format!("{at}[{index}]"), errors);
            }
        }
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Calls routes of one sandbox and collects every difference from the spec.
struct Checker {
    validator: Validator,
    rest: String,
    auth: String,
    problems: Vec<String>,
}

impl Checker {
    /// `method path` (documented as `template`): status, headers and body checked.
    async fn call(
        &mut self,
        template: &str,
        path: &str,
        method: Method,
        body: Option<Value>,
    ) -> Value {
        let url = format!("{}{path}", self.rest);
        let headers = [("authorization", self.auth.as_str())];
        let body = body.map(|b| ("application/json", b.to_string()));
        let (status, answer_headers, answer) = http(method.clone(), &url, &headers, body).await;
        let what = format!("{method} {path} -> {status}");
        if status.is_client_error() || status.is_server_error() {
            self.problems.push(format!("{what}: {answer}"));
            return answer;
        }
        for name in RATE_LIMIT_HEADERS {
            if !answer_headers.contains_key(name) {
                self.problems.push(format!("{what}: no {name}"));
            }
        }
        if status != StatusCode::NO_CONTENT {
            let content_type = answer_headers
                .get("content-type")
                .and_then(|v| v.to_str().ok());
            if content_type != Some("application/json") {
                self.problems
                    .push(format!("{what}: content-type {content_type:?}"));
            }
            let method = method.as_str().to_ascii_lowercase();
            let schema = self
                .validator
                .response_schema(template, &method, status.as_u16());
            let mut errors = Vec::new();
            self.validator
                .validate(schema, &answer, "body", &mut errors);
            self.problems
                .extend(errors.into_iter().map(|e| format!("{what}: {e}")));
        }
        answer
    }
}

/// The headers every answer under a bucket carries.
const RATE_LIMIT_HEADERS: [&str; 5] = [
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-reset-after",
    "x-ratelimit-bucket",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_served_rest_route_answers_in_the_documented_shape() {
    let sandbox = Sandbox::start(&[]);
    let app = sandbox.at("/discord/application_id");
    let bot = sandbox.at("/discord/bot_id");
    let guild = sandbox.at("/discord/guilds/0/id");
    let mut c = Checker {
        validator: Validator::new(),
        rest: sandbox.at("/discord/rest"),
        auth: format!("Bot {}", sandbox.at("/discord/token")),
        problems: Vec::new(),
    };
    let channels = c
        .call(
            "/guilds/{guild_id}/channels",
            &format!("/guilds/{guild}/channels"),
            Method::GET,
            None,
        )
        .await;
    let channel = channels
        .as_array()
        .and_then(|all| all.iter().find(|ch| ch["type"] == 0))
        .and_then(|ch| ch["id"].as_str())
        .expect("a text channel in the world")
        .to_owned();
    check_users_and_applications(&mut c, &bot).await;
    check_guild(&mut c, &guild, &bot).await;
    check_channel(&mut c, &channel, &bot).await;
    check_commands(&mut c, &app, &guild).await;

    assert!(
        c.problems.is_empty(),
        "{} differences from Discord's OpenAPI description:\n{}",
        c.problems.len(),
        c.problems.join("\n")
    );
}

async fn check_users_and_applications(c: &mut Checker, bot: &str) {
    let get = Method::GET;
    c.call("/gateway", "/gateway", get.clone(), None).await;
    c.call("/gateway/bot", "/gateway/bot", get.clone(), None)
        .await;
    c.call("/users/@me", "/users/@me", get.clone(), None).await;
    c.call(
        "/users/{user_id}",
        &format!("/users/{bot}"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/oauth2/applications/@me",
        "/oauth2/applications/@me",
        get.clone(),
        None,
    )
    .await;
    c.call("/applications/@me", "/applications/@me", get.clone(), None)
        .await;
}

async fn check_guild(c: &mut Checker, guild: &str, bot: &str) {
    let get = Method::GET;
    c.call(
        "/guilds/{guild_id}",
        &format!("/guilds/{guild}"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/guilds/{guild_id}/members",
        &format!("/guilds/{guild}/members?limit=100"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/guilds/{guild_id}/members/{user_id}",
        &format!("/guilds/{guild}/members/{bot}"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/guilds/{guild_id}/roles",
        &format!("/guilds/{guild}/roles"),
        get.clone(),
        None,
    )
    .await;
    let role = c
        .call(
            "/guilds/{guild_id}/roles",
            &format!("/guilds/{guild}/roles"),
            Method::POST,
            Some(json!({"name": "fidelity"})),
        )
        .await;
    let role = role["id"].as_str().unwrap_or_default().to_owned();
    c.call(
        "/guilds/{guild_id}/roles/{role_id}",
        &format!("/guilds/{guild}/roles/{role}"),
        Method::PATCH,
        Some(json!({"name": "fidelity 2"})),
    )
    .await;
    c.call(
        "/guilds/{guild_id}/bans",
        &format!("/guilds/{guild}/bans"),
        get,
        None,
    )
    .await;
}

async fn check_channel(c: &mut Checker, channel: &str, bot: &str) {
    let get = Method::GET;
    c.call(
        "/channels/{channel_id}",
        &format!("/channels/{channel}"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/channels/{channel_id}",
        &format!("/channels/{channel}"),
        Method::PATCH,
        Some(json!({"topic": "fidelity"})),
    )
    .await;
    let message = c
        .call(
            "/channels/{channel_id}/messages",
            &format!("/channels/{channel}/messages"),
            Method::POST,
            Some(json!({"content": "hello"})),
        )
        .await;
    let message = message["id"].as_str().unwrap_or_default().to_owned();
    c.call(
        "/channels/{channel_id}/messages",
        &format!("/channels/{channel}/messages"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/channels/{channel_id}/messages/{message_id}",
        &format!("/channels/{channel}/messages/{message}"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/channels/{channel_id}/messages/{message_id}",
        &format!("/channels/{channel}/messages/{message}"),
        Method::PATCH,
        Some(json!({"content": "edited"})),
    )
    .await;
    c.call(
        "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me",
        &format!("/channels/{channel}/messages/{message}/reactions/%F0%9F%91%8D/@me"),
        Method::PUT,
        None,
    )
    .await;
    c.call(
        "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}",
        &format!("/channels/{channel}/messages/{message}/reactions/%F0%9F%91%8D"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/users/@me/channels",
        "/users/@me/channels",
        Method::POST,
        Some(json!({"recipient_id": bot})),
    )
    .await;
}

async fn check_commands(c: &mut Checker, app: &str, guild: &str) {
    let get = Method::GET;
    c.call(
        "/applications/{application_id}/commands",
        &format!("/applications/{app}/commands"),
        Method::POST,
        Some(json!({"name": "roll", "description": "Rolls a die"})),
    )
    .await;
    c.call(
        "/applications/{application_id}/commands",
        &format!("/applications/{app}/commands"),
        get.clone(),
        None,
    )
    .await;
    c.call(
        "/applications/{application_id}/guilds/{guild_id}/commands",
        &format!("/applications/{app}/guilds/{guild}/commands"),
        Method::PUT,
        Some(json!([{"name": "ping", "description": "Pong"}])),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_have_discords_body_and_content_type() {
    let sandbox = Sandbox::start(&[]);
    let rest = sandbox.at("/discord/rest");
    let auth = format!("Bot {}", sandbox.at("/discord/token"));
    for (url, headers) in [
        (format!("{rest}/users/@me"), vec![]),
        (
            format!("{rest}/channels/1"),
            vec![("authorization", auth.as_str())],
        ),
    ] {
        let (status, answer_headers, body) = http(Method::GET, &url, &headers, None).await;
        assert!(status.is_client_error(), "{url}: {status}");
        assert_eq!(
            answer_headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/json"),
            "{url}"
        );
        assert!(body["code"].is_u64(), "{url}: {body}");
        assert!(body["message"].is_string(), "{url}: {body}");
    }
}
