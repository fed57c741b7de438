//! singyeong control calls: the connected clients and their metadata, a message sent to
//! clients a query selects, and GOODBYE.

use http::Method;
use serde_json::{Value, json};

use super::answer::{Answer, Body, bad_request, delivered, not_found};
use crate::standalone::Handles;

/// The clients as `{application, client_id, restricted, metadata}`.
pub(super) fn clients(h: &Handles) -> Vec<Value> {
    h.singyeong
        .clients()
        .into_iter()
        .map(|c| {
            json!({ "application": c.app_id, "client_id": c.client_id, "restricted": c.restricted, "metadata": c.metadata })
        })
        .collect()
}

pub(super) fn route(h: &Handles, method: &Method, path: &[&str], body: &Body) -> Answer {
    match (method.clone(), path) {
        (Method::GET, ["clients"]) => Ok(json!({ "clients": clients(h) })),
        (Method::POST, ["send"]) => {
            let payload = body
                .value("payload")
                .cloned()
                .ok_or_else(|| bad_request("payload is required"))?;
            let target = match (body.value("target"), body.text("client")) {
                (Some(target), _) => target.clone(),
                (None, Some(client)) => {
                    let application = body.required("application")?;
                    let sent = h.singyeong.send_to_client(&application, &client, &payload);
                    return delivered(
                        usize::from(sent),
                        || format!("client {client} of {application} is not connected"),
                        json!({}),
                    );
                }
                (None, None) => json!({ "application": body.required("application")?, "ops": [] }),
            };
            let sent = h
                .singyeong
                .send(&target, &payload, body.flag("broadcast"))
                .map_err(not_found)?;
            delivered(sent, || "no client matches".to_owned(), json!({}))
        }
        (Method::POST, ["goodbye"]) => {
            let reason = body
                .text("reason")
                .unwrap_or_else(|| "sandbox control".to_owned());
            let matching: Vec<Value> = clients(h)
                .into_iter()
                .filter(|c| {
                    body.text("application")
                        .is_none_or(|a| c["application"] == a.as_str())
                })
                .filter(|c| {
                    body.text("client")
                        .is_none_or(|id| c["client_id"] == id.as_str())
                })
                .collect();
            for client in &matching {
                h.singyeong.goodbye(
                    client["application"].as_str().unwrap_or_default(),
                    client["client_id"].as_str().unwrap_or_default(),
                    &reason,
                );
            }
            delivered(matching.len(), || "no client matches".to_owned(), json!({}))
        }
        _ => Err(not_found(format!(
            "no singyeong control call {}",
            path.join("/")
        ))),
    }
}
