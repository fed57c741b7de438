//! OAuth at `id.twitch.tv`: `GET /oauth2/validate` (accepts `OAuth <t>` and `Bearer <t>`),
//! `POST /oauth2/token` (`refresh_token` and `client_credentials` grants), `POST /oauth2/revoke`.

use std::time::Duration;

use http::{Method, StatusCode};
use serde_json::json;
use tokio::time::Instant;

use crate::platform::SandboxRequest;
use crate::response::{self, HttpResponse};
use crate::twitch::helix::{HelixState, TokenRecord};

/// How long issued tokens live (Twitch: about four hours for user tokens).
const TOKEN_LIFETIME: Duration = Duration::from_hours(4);

fn error(status: StatusCode, message: &str) -> HttpResponse {
    response::json(
        status,
        &json!({ "status": status.as_u16(), "message": message }),
    )
}

/// `application/x-www-form-urlencoded` pairs, percent-decoded.
pub(crate) fn form(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

pub(crate) fn handle(state: &HelixState, request: &SandboxRequest, path: &[&str]) -> HttpResponse {
    match (&request.method, path) {
        (&Method::GET, ["validate"]) => {
            let header = request.header("authorization").unwrap_or("");
            let token = header
                .strip_prefix("OAuth ")
                .or_else(|| header.strip_prefix("Bearer "))
                .unwrap_or("");
            let inner = state.lock();
            match inner
                .tokens
                .get(token)
                .filter(|t| t.expires_at > Instant::now())
            {
                Some(record) => {
                    let mut body = json!({
                        "client_id": record.client_id,
                        "scopes": record.scopes,
                        "expires_in": record.expires_at.saturating_duration_since(Instant::now()).as_secs(),
                    });
                    if let (Some(login), Some(user_id)) = (&record.login, &record.user_id) {
                        body["login"] = json!(login);
                        body["user_id"] = json!(user_id);
                    }
                    response::json(StatusCode::OK, &body)
                }
                None => error(StatusCode::UNAUTHORIZED, "invalid access token"),
            }
        }
        (&Method::POST, ["token"]) => {
            let fields = form(&request.body);
            let field = |name: &str| {
                fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
            };
            let mut inner = state.lock();
            let client_id = field("client_id").unwrap_or("");
            if inner.clients.get(client_id).map(String::as_str) != field("client_secret") {
                return error(StatusCode::FORBIDDEN, "invalid client secret");
            }
            let (login, user_id, scopes) = match field("grant_type") {
                Some("client_credentials") => (None, None, Vec::new()),
                Some("refresh_token") => {
                    let Some(old) =
                        field("refresh_token").and_then(|r| inner.refresh_tokens.remove(r))
                    else {
                        return error(StatusCode::BAD_REQUEST, "Invalid refresh token");
                    };
                    (old.login, old.user_id, old.scopes)
                }
                _ => return error(StatusCode::BAD_REQUEST, "unsupported grant_type"),
            };
            inner.issued += 1;
            let access = format!("sandbox-access-{}", inner.issued);
            let refresh = login
                .as_ref()
                .map(|_| format!("sandbox-refresh-{}", inner.issued));
            let record = TokenRecord {
                client_id: client_id.to_owned(),
                login,
                user_id,
                scopes: scopes.clone(),
                expires_at: Instant::now() + TOKEN_LIFETIME,
            };
            if let Some(refresh) = &refresh {
                inner.refresh_tokens.insert(refresh.clone(), record.clone());
            }
            inner.tokens.insert(access.clone(), record);
            let mut body = json!({
                "access_token": access,
                "expires_in": TOKEN_LIFETIME.as_secs(),
                "scope": scopes,
                "token_type": "bearer",
            });
            if let Some(refresh) = refresh {
                body["refresh_token"] = json!(refresh);
            }
            response::json(StatusCode::OK, &body)
        }
        (&Method::POST, ["revoke"]) => {
            let fields = form(&request.body);
            let token = fields
                .iter()
                .find(|(k, _)| k == "token")
                .map_or("", |(_, v)| v.as_str());
            let mut inner = state.lock();
            match inner.tokens.remove(token) {
                Some(_) => response::empty(StatusCode::OK),
                None => error(StatusCode::BAD_REQUEST, "Invalid token"),
            }
        }
        _ => response::not_found(),
    }
}
