//! The CLI's side of the control API: one JSON request, its answer, and the exit code.

use std::process::ExitCode;

use bytes::Bytes;
use http::{Method, Request, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::Value;

/// The control URL when neither `--control` nor `SANDBOX_CONTROL` gives one.
pub(super) fn default_control() -> String {
    format!("http://127.0.0.1:{}", crate::standalone::DEFAULT_PORT)
}

/// Sends `body` to `{control}/_sandbox/{path}`, prints the answer, and says how to exit: 0
/// when the answer is `ok`, 1 with its `error` on stderr otherwise.
pub(super) async fn call(
    control: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> ExitCode {
    match request(control, method, path, body).await {
        Ok(answer) if answer["ok"] == true => {
            println!(
                "{}",
                serde_json::to_string_pretty(&answer).unwrap_or_default()
            );
            ExitCode::SUCCESS
        }
        Ok(answer) => {
            eprintln!(
                "sandbox: {}",
                answer["error"]
                    .as_str()
                    .unwrap_or("the control API refused the call")
            );
            ExitCode::FAILURE
        }
        Err(problem) => {
            eprintln!("sandbox: {problem}");
            ExitCode::FAILURE
        }
    }
}

async fn request(
    control: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    let url = format!("{}/_sandbox/{path}", control.trim_end_matches('/'));
    let bytes = body.map_or_else(Bytes::new, |b| Bytes::from(b.to_string()));
    let request = Request::builder()
        .method(method)
        .uri(&url)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Full::new(bytes))
        .map_err(|e| format!("{url} is not a URL: {e}"))?;
    let client = Client::builder(TokioExecutor::new()).build_http();
    let response = client.request(request).await.map_err(|e| {
        format!(
            "no sandbox answers at {control} ({e}); start one with `sandbox`, or point \
             --control / SANDBOX_CONTROL at its control URL"
        )
    })?;
    let status = response.status();
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("reading the answer failed: {e}"))?
        .to_bytes();
    serde_json::from_slice(&body).map_err(|_| {
        format!("{url} answered {status} without JSON: is it a sandbox's control URL?")
    })
}
