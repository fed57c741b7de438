//! A small HTTP server on 127.0.0.1:0 that rate-limits the way header-driven APIs do, for
//! the shared limiter's end-to-end tests: a fixed window of `bucket_limit` requests per
//! path (the path is the bucket and its major parameter), a global window over every
//! request, `X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/-Bucket` on every answer,
//! and 429s (counted) for requests over either limit. It records when each request
//! arrived, so a test can check the limit held over *any* window, not just the server's.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// The limits a [`BucketServer`] enforces.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests per bucket window.
    pub bucket_limit: u32,
    /// The length of a bucket window.
    pub bucket_window: Duration,
    /// Requests per second over every bucket.
    pub global_per_second: u32,
}

struct Window {
    started: Instant,
    used: u32,
    /// The reset as a Unix epoch, fixed when the window opens, so every answer of one
    /// window names the same reset.
    reset_epoch: f64,
}

impl Window {
    fn open(now: Instant, span: Duration) -> Self {
        let epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            + span;
        Self {
            started: now,
            used: 0,
            reset_epoch: (epoch.as_secs_f64() * 1000.0).ceil() / 1000.0,
        }
    }

    /// The window current at `now` (a new one once `span` has passed).
    fn current(slot: &mut Option<Self>, now: Instant, span: Duration) -> &mut Self {
        if slot
            .as_ref()
            .is_none_or(|w| now.duration_since(w.started) >= span)
        {
            *slot = Some(Self::open(now, span));
        }
        slot.as_mut().expect("just opened")
    }
}

#[derive(Default)]
struct Windows {
    global: Option<Window>,
    buckets: HashMap<String, Option<Window>>,
}

struct Shared {
    limits: Limits,
    windows: Mutex<Windows>,
    arrivals: Mutex<Vec<SystemTime>>,
    rate_limited: AtomicUsize,
}

/// The server; stops when dropped.
pub struct BucketServer {
    base_url: String,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl BucketServer {
    pub async fn start(limits: Limits) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("address"));
        let shared = Arc::new(Shared {
            limits,
            windows: Mutex::default(),
            arrivals: Mutex::default(),
            rate_limited: AtomicUsize::new(0),
        });
        let serving = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let shared = Arc::clone(&serving);
                let service = service_fn(move |request: Request<Incoming>| {
                    let response = shared.answer(request.uri().path());
                    async move { Ok::<_, Infallible>(response) }
                });
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Self {
            base_url,
            shared,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// 429s served so far.
    pub fn rate_limited(&self) -> usize {
        self.shared.rate_limited.load(Ordering::SeqCst)
    }

    /// When each request arrived, in order.
    pub fn arrivals(&self) -> Vec<SystemTime> {
        self.shared.arrivals.lock().expect("arrivals").clone()
    }
}

impl Drop for BucketServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Shared {
    fn answer(&self, path: &str) -> Response<Full<Bytes>> {
        self.arrivals
            .lock()
            .expect("arrivals")
            .push(SystemTime::now());
        let now = Instant::now();
        let limits = self.limits;
        let mut windows = self.windows.lock().expect("windows");
        let global = Window::current(&mut windows.global, now, Duration::from_secs(1));
        if global.used >= limits.global_per_second {
            self.rate_limited.fetch_add(1, Ordering::SeqCst);
            return reply(
                StatusCode::TOO_MANY_REQUESTS,
                &[
                    ("x-ratelimit-global", "true".into()),
                    ("retry-after", "1".into()),
                ],
            );
        }
        global.used += 1;
        let slot = windows.buckets.entry(path.to_owned()).or_default();
        let window = Window::current(slot, now, limits.bucket_window);
        // Rounded up to the millisecond: waiting what the header says never arrives early.
        let reset_after = (limits
            .bucket_window
            .saturating_sub(now.duration_since(window.started))
            .as_secs_f64()
            * 1000.0)
            .ceil()
            / 1000.0;
        let limited = window.used >= limits.bucket_limit;
        if !limited {
            window.used += 1;
        }
        let headers = [
            ("x-ratelimit-limit", limits.bucket_limit.to_string()),
            (
                "x-ratelimit-remaining",
                (limits.bucket_limit - window.used).to_string(),
            ),
            ("x-ratelimit-reset", format!("{:.3}", window.reset_epoch)),
            ("x-ratelimit-reset-after", format!("{reset_after:.3}")),
            // Every path shares the bucket's hash; the path is its major parameter.
            ("x-ratelimit-bucket", "b0cket".into()),
        ];
        if limited {
            self.rate_limited.fetch_add(1, Ordering::SeqCst);
            reply(StatusCode::TOO_MANY_REQUESTS, &headers)
        } else {
            reply(StatusCode::OK, &headers)
        }
    }
}

fn reply(status: StatusCode, headers: &[(&str, String)]) -> Response<Full<Bytes>> {
    let mut response = Response::builder().status(status);
    for (name, value) in headers {
        response = response.header(*name, value);
    }
    response
        .body(Full::new(Bytes::from_static(b"{}")))
        .expect("valid response")
}
