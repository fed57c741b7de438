//! The developer site: `/api/login` (session cookie + `temporaryAPIToken`) and
//! `/api/apikey/list|create|revoke`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::{HeaderValue, Method, StatusCode, header};
use serde_json::{Value, json};

use super::{DevSite, SiteKey, State};
use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};

/// Keys per account, as on the real site.
const MAX_KEYS: usize = 10;

fn status(code: u16, message: &str) -> Value {
    json!({ "code": code, "message": message, "detail": null })
}

fn failure(code: StatusCode, message: &str) -> HttpResponse {
    response::json(
        code,
        &json!({ "status": status(code.as_u16(), message), "sessionExpiresInSeconds": 0 }),
    )
}

fn key_json(key: &SiteKey) -> Value {
    json!({
        "id": key.id, "developerId": "sandbox-developer", "tier": "developer/silver", "name": key.name,
        "description": key.description, "origins": null, "scopes": ["clash"], "cidrRanges": key.cidr_ranges,
        "validUntil": null, "key": key.key,
    })
}

pub(super) fn create_key(
    site: &mut DevSite,
    account: &str,
    name: &str,
    description: &str,
    cidr_ranges: Vec<String>,
) -> SiteKey {
    site.next_id += 1;
    let id = format!("{:08x}-0000-4000-8000-{:012x}", site.next_id, site.next_id);
    let key = SiteKey {
        id: id.clone(),
        account: account.to_owned(),
        name: name.to_owned(),
        description: description.to_owned(),
        cidr_ranges,
        key: format!(
            "sbx.{}.{id}",
            URL_SAFE_NO_PAD.encode(format!("sandbox-key-{}", site.next_id))
        ),
    };
    site.keys.push(key.clone());
    key
}

pub(super) fn handle(state: &State, request: &SandboxRequest, path: &[String]) -> HttpResponse {
    let parts: Vec<&str> = path.iter().map(String::as_str).collect();
    if request.method != Method::POST {
        return failure(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
    }
    let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
    if parts.as_slice() == ["login"] {
        return login(state, &body);
    }
    let session = request
        .header("cookie")
        .and_then(|cookies| {
            cookies
                .split(';')
                .map(str::trim)
                .find_map(|c| c.strip_prefix("session="))
        })
        .map(str::to_owned);
    let mut site = state.site.lock();
    let Some(account) = session.and_then(|s| site.sessions.get(&s).cloned()) else {
        return failure(StatusCode::FORBIDDEN, "not logged in");
    };
    match parts.as_slice() {
        ["apikey", "list"] => {
            let keys: Vec<Value> = site
                .keys
                .iter()
                .filter(|k| k.account == account)
                .map(key_json)
                .collect();
            response::json(
                StatusCode::OK,
                &json!({ "status": status(0, "ok"), "sessionExpiresInSeconds": 3600, "keys": keys }),
            )
        }
        ["apikey", "create"] => {
            let cidrs: Vec<String> = body["cidrRanges"]
                .as_array()
                .map(|l| {
                    l.iter()
                        .filter_map(|c| c.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let Some(name) = body["name"].as_str().filter(|n| !n.is_empty()) else {
                return failure(StatusCode::BAD_REQUEST, "name is required");
            };
            if cidrs.is_empty() {
                return failure(StatusCode::BAD_REQUEST, "cidrRanges is required");
            }
            if site.keys.iter().filter(|k| k.account == account).count() >= MAX_KEYS {
                return failure(StatusCode::BAD_REQUEST, "too many keys");
            }
            let description = body["description"].as_str().unwrap_or("").to_owned();
            let key = create_key(&mut site, &account, name, &description, cidrs);
            response::json(
                StatusCode::OK,
                &json!({ "status": status(0, "ok"), "sessionExpiresInSeconds": 3600, "key": key_json(&key) }),
            )
        }
        ["apikey", "revoke"] => {
            let Some(id) = body["id"].as_str() else {
                return failure(StatusCode::BAD_REQUEST, "id is required");
            };
            let before = site.keys.len();
            site.keys.retain(|k| !(k.id == id && k.account == account));
            if site.keys.len() == before {
                return failure(StatusCode::NOT_FOUND, "no such key");
            }
            response::json(
                StatusCode::OK,
                &json!({ "status": status(0, "ok"), "sessionExpiresInSeconds": 3600 }),
            )
        }
        _ => failure(StatusCode::NOT_FOUND, "not found"),
    }
}

fn login(state: &State, body: &Value) -> HttpResponse {
    let (Some(email), Some(password)) = (body["email"].as_str(), body["password"].as_str()) else {
        return failure(StatusCode::BAD_REQUEST, "email and password are required");
    };
    let mut site = state.site.lock();
    if site.accounts.get(email).map(String::as_str) != Some(password) {
        return failure(StatusCode::FORBIDDEN, "Invalid credentials");
    }
    site.next_id += 1;
    let session = format!("sbx-session-{}", site.next_id);
    site.sessions.insert(session.clone(), email.to_owned());
    let ip = state.caller_ip.lock().clone();
    let header_part = URL_SAFE_NO_PAD
        .encode(r#"{"typ":"JWT","alg":"HS512","kid":"28a318f7-0000-a1eb-7fa1-2c7433c6cca5"}"#);
    let claims = json!({
        "iss": "supercell", "aud": "supercell:gameapi", "jti": session, "iat": 1_704_110_400, "exp": 1_704_114_000,
        "sub": "developer/sandbox-developer", "scopes": ["clash"],
        "limits": [
            { "tier": "developer/bronze", "type": "throttling" },
            { "cidrs": [format!("{ip}/32")], "type": "client" },
            { "origins": ["developer.clashofclans.com"], "type": "cors" },
        ],
    });
    let token = format!(
        "{header_part}.{}.c2FuZGJveA",
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut response = response::json(
        StatusCode::OK,
        &json!({
            "status": status(0, "ok"), "sessionExpiresInSeconds": 3600,
            "auth": { "uid": "sandbox-developer", "token": "[not used]", "ua": null, "ip": null },
            "developer": { "id": "sandbox-developer", "name": "Sandbox", "game": "clashofclans", "email": email, "tier": "developer/bronze" },
            "temporaryAPIToken": token, "swaggerUrl": "https://api.clashofclans.com/v1",
        }),
    );
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "session={session}; Path=/; HttpOnly; SameSite=Lax"
    )) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
