//! The REST API through transport-http: `POST /api/v1/proxy`, `POST /api/v1/query`, and
//! discovery by tags built on the query route.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use transport_http::Method;

use crate::client::MeshClient;
use crate::error::{Error, ErrorKind};
use crate::query::Query;

/// An HTTP request the server forwards to one client matching `query`.
///
/// ```
/// use svc_mesh::{ProxyRequest, Query};
/// use transport_http::Method;
///
/// let request = ProxyRequest::new(Method::POST, "/users/1", Query::application("users"))
///     .json_body(serde_json::json!({"name": "ada"}))
///     .header("x-trace", "abc");
/// assert_eq!(request.method(), &Method::POST);
/// ```
#[derive(Debug, Clone)]
pub struct ProxyRequest {
    method: Method,
    route: String,
    query: Query,
    body: Option<Value>,
    headers: Map<String, Value>,
}

impl ProxyRequest {
    /// `method route` to a client chosen by `query`.
    pub fn new(method: Method, route: impl Into<String>, query: Query) -> Self {
        Self {
            method,
            route: route.into(),
            query,
            body: None,
            headers: Map::new(),
        }
    }

    /// A text body (sent as is).
    #[must_use]
    pub fn text_body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(Value::String(body.into()));
        self
    }

    /// A JSON body (encoded by the server).
    #[must_use]
    pub fn json_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// Adds a header for the proxied request.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .insert(name.into(), Value::String(value.into()));
        self
    }

    /// The method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    fn to_wire(&self) -> Result<Value, Error> {
        let method = self.method.as_str();
        if !matches!(
            method,
            "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "MOVE"
        ) {
            return Err(Error::new(ErrorKind::Payload {
                reason: format!(
                    "{method} cannot be proxied (GET, HEAD, POST, PUT, PATCH, DELETE, MOVE)"
                ),
            }));
        }
        // singyeong refuses a body on GET/HEAD and requires one on the others.
        let body = match (&self.body, matches!(method, "GET" | "HEAD")) {
            (_, true) => Value::Null,
            (Some(body), false) => body.clone(),
            (None, false) => Value::String(String::new()),
        };
        Ok(serde_json::json!({
            "method": method,
            "route": self.route,
            "query": self.query,
            "body": body,
            "headers": self.headers,
        }))
    }
}

/// The proxied client's answer.
#[derive(Debug, Clone)]
pub struct ProxyResponse {
    /// HTTP status (the client's, or 400 when singyeong could not route the request).
    pub status: u16,
    /// Response headers (names lowercase).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl ProxyResponse {
    /// The body as UTF-8 text.
    pub fn text(&self) -> Result<&str, Error> {
        std::str::from_utf8(&self.body).map_err(|e| {
            Error::with_source(
                ErrorKind::Payload {
                    reason: "response body is not UTF-8".into(),
                },
                e,
            )
        })
    }

    /// The body decoded as JSON.
    pub fn json<T: for<'de> Deserialize<'de>>(&self) -> Result<T, Error> {
        let mut buffer = self.body.clone();
        simd_json::serde::from_slice(&mut buffer).map_err(|e| {
            Error::with_source(
                ErrorKind::Payload {
                    reason: "response body is not the expected JSON".into(),
                },
                e,
            )
        })
    }
}

/// A connected client as `POST /api/v1/query` describes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientInfo {
    /// Application id.
    pub app_id: String,
    /// Client id.
    pub client_id: String,
    /// Its metadata (bare values).
    #[serde(default)]
    pub metadata: Value,
    /// The address proxied requests go to.
    #[serde(default)]
    pub socket_ip: Option<String>,
    /// Queues it is waiting on.
    #[serde(default)]
    pub queues: Vec<String>,
}

impl MeshClient {
    /// Proxies an HTTP request to a client chosen by the request's query
    /// (`POST /api/v1/proxy`). Any status the client answers is returned as is.
    pub async fn proxy_request(&self, request: &ProxyRequest) -> Result<ProxyResponse, Error> {
        let body = request.to_wire()?;
        let response = self
            .inner()
            .http
            .post("/api/v1/proxy")
            .json(&body)
            .accept_any_status()
            .send()
            .await
            .map_err(|e| Error::with_source(ErrorKind::Http, e))?;
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| {
                Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
            })
            .collect();
        Ok(ProxyResponse {
            status: response.status().as_u16(),
            headers,
            body: response.body().to_vec(),
        })
    }

    /// Every client matching `query` (`POST /api/v1/query`).
    pub async fn query_clients(&self, query: &Query) -> Result<Vec<ClientInfo>, Error> {
        let response = self
            .inner()
            .http
            .post("/api/v1/query")
            .json(query)
            .send()
            .await
            .map_err(|e| Error::with_source(ErrorKind::Http, e))?;
        response
            .json()
            .map_err(|e| Error::with_source(ErrorKind::Http, e))
    }

    /// Every client matching `query`, asked over the gateway with the `QUERY_NODES` dispatch
    /// and read from its answer (singyeong documents this dispatch as a debugging aid; the
    /// HTTP [`query_clients`](Self::query_clients) is the route for everyday use). The
    /// answer lists clients per cluster node (`{"nodes": {node: [client, …]}}`, or a bare
    /// list); they are returned flattened. Fails with [`ErrorKind::Timeout`] after the
    /// configured request timeout, [`ErrorKind::Invalid`] when the server refuses the query,
    /// [`ErrorKind::NotConnected`] when the connection ends first, and
    /// [`ErrorKind::Restricted`] for restricted clients.
    pub async fn query_nodes(&self, query: &Query) -> Result<Vec<ClientInfo>, Error> {
        let inner = self.inner();
        let d = serde_json::to_value(query).map_err(|e| {
            Error::with_source(
                ErrorKind::InvalidQuery {
                    reason: "the query does not serialise".into(),
                },
                e,
            )
        })?;
        // Answers carry no nonce: they are matched by order, so register and send under one
        // lock, keeping the frames in the order of the waiters.
        let mut wait = {
            let _order = inner.pending.node_send_order().await;
            let wait = inner.pending.wait_nodes()?;
            self.dispatch_checked("query nodes", "QUERY_NODES", &d)
                .await?;
            wait
        };
        let timeout = inner.config.request_timeout;
        let answer = match tokio::time::timeout(timeout, &mut wait.answer).await {
            Ok(Ok(answer)) => answer?,
            Ok(Err(_)) if !self.is_closed() => return Err(Error::new(ErrorKind::NotConnected)),
            Ok(Err(_)) => return Err(Error::new(ErrorKind::Closed)),
            Err(_) => return Err(Error::new(ErrorKind::Timeout { after: timeout })),
        };
        nodes_from_answer(answer)
    }

    /// Application ids with at least one client whose `tags` metadata list holds every tag
    /// (sorted, without duplicates). Clients publish tags as a `tags` list:
    /// `metadata.insert("tags", vec![json!("gpu")])`.
    ///
    /// singyeong once had a discovery route (`GET /api/v1/discovery/tags?q=[…]`, and
    /// queries whose `application` was a list of tags) that shinkei's `discover` called; the
    /// server removed both in October 2020 ("Tags are gone", "Discovery endpoint is gone",
    /// queer/singyeong commit f08da68), and no opcode or dispatch replaced them. This is the
    /// same answer built on what the server offers today: `POST /api/v1/query` for every
    /// application (restricted clients included) with one `$contains` per tag.
    pub async fn discover<S: AsRef<str>>(&self, tags: &[S]) -> Result<Vec<String>, Error> {
        let mut query = Query::any_application().restricted(true);
        for tag in tags {
            query = query.contains("/tags", tag.as_ref());
        }
        let clients = self.query_clients(&query.build()?).await?;
        let apps: BTreeSet<String> = clients.into_iter().map(|c| c.app_id).collect();
        Ok(apps.into_iter().collect())
    }
}

/// The clients of a `QUERY_NODES` answer: `{"nodes": {node: [client]}}` (singyeong, one
/// list per cluster node) or `{"nodes": [client]}`.
fn nodes_from_answer(answer: Value) -> Result<Vec<ClientInfo>, Error> {
    let nodes = match answer {
        Value::Object(mut d) => d.remove("nodes").unwrap_or(Value::Null),
        other => other,
    };
    let clients: Vec<Value> = match nodes {
        Value::Array(clients) => clients,
        Value::Object(by_node) => by_node
            .into_iter()
            .flat_map(|(_, clients)| match clients {
                Value::Array(clients) => clients,
                _ => Vec::new(),
            })
            .collect(),
        _ => {
            return Err(Error::new(ErrorKind::Payload {
                reason: "QUERY_NODES answer has no nodes".into(),
            }));
        }
    };
    clients
        .into_iter()
        .map(|client| {
            serde_json::from_value(client).map_err(|e| {
                Error::with_source(
                    ErrorKind::Payload {
                        reason: "QUERY_NODES answer holds a malformed client".into(),
                    },
                    e,
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn node_answers_are_flattened_from_either_shape() {
        let client = serde_json::json!({"app_id": "a", "client_id": "c", "metadata": {}});
        let by_node = serde_json::json!({"nodes": {"singyeong_local_node": [client.clone()]}});
        assert_eq!(nodes_from_answer(by_node).unwrap()[0].client_id, "c");
        let bare = serde_json::json!({"nodes": [client]});
        assert_eq!(nodes_from_answer(bare).unwrap()[0].app_id, "a");
        assert!(nodes_from_answer(serde_json::json!({"x": 1})).is_err());
        assert!(nodes_from_answer(serde_json::json!({"nodes": [{"app_id": 5}]})).is_err());
    }

    use super::*;

    #[test]
    fn bodies_follow_method_rules() {
        let get =
            ProxyRequest::new(Method::GET, "/x", Query::application("a")).text_body("ignored");
        assert_eq!(get.to_wire().unwrap()["body"], Value::Null);
        let post = ProxyRequest::new(Method::POST, "/x", Query::application("a"));
        assert_eq!(post.to_wire().unwrap()["body"], "");
        let options = ProxyRequest::new(Method::OPTIONS, "/x", Query::application("a"));
        assert!(matches!(
            options.to_wire().unwrap_err().kind(),
            ErrorKind::Payload { .. }
        ));
        let wire = ProxyRequest::new(Method::PUT, "/x", Query::application("a"))
            .header("k", "v")
            .to_wire()
            .unwrap();
        assert_eq!(wire["headers"]["k"], "v");
        assert_eq!(wire["query"]["application"], "a");
        assert_eq!(wire["route"], "/x");
    }
}
