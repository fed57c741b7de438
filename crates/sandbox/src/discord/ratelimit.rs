//! REST rate limits as Discord applies them: fixed windows per route bucket (route and
//! major parameter) and a global per-second limit, reported in `X-RateLimit-*` headers.

use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use tokio::time::Instant;

use super::state::DiscordConfig;

struct Window {
    started: Instant,
    used: u32,
    /// The window's reset as a Unix epoch, fixed when the window opens: clients use it to
    /// tell windows apart, so every response of one window must carry the same value.
    reset_epoch: f64,
}

fn epoch_after(window: Duration) -> f64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    ((now + window).as_secs_f64() * 1000.0).ceil() / 1000.0
}

pub(crate) struct RateLimits {
    bucket_limit: u32,
    bucket_window: Duration,
    global_limit: u32,
    buckets: Mutex<HashMap<String, Window>>,
    global: Mutex<Option<Window>>,
}

/// What a request was allowed and the headers that say so.
pub(crate) enum Verdict {
    Allowed(Vec<(&'static str, String)>),
    Limited {
        headers: Vec<(&'static str, String)>,
        retry_after: f64,
        global: bool,
    },
}

impl RateLimits {
    pub(crate) fn new(config: &DiscordConfig) -> Self {
        Self {
            bucket_limit: config.bucket_limit.max(1),
            bucket_window: config.bucket_window,
            global_limit: config.global_limit.max(1),
            buckets: Mutex::new(HashMap::new()),
            global: Mutex::new(None),
        }
    }

    /// Every bucket whose window is still open: `(bucket, used, limit, resets in)`.
    pub(crate) fn buckets(&self) -> Vec<(String, u32, u32, Duration)> {
        let now = Instant::now();
        let mut buckets: Vec<(String, u32, u32, Duration)> = self
            .buckets
            .lock()
            .iter()
            .filter_map(|(name, window)| {
                let left = self
                    .bucket_window
                    .checked_sub(now.duration_since(window.started))?;
                Some((name.clone(), window.used, self.bucket_limit, left))
            })
            .collect();
        buckets.sort();
        buckets
    }

    /// Takes one request from `bucket` (route template + major parameter) and the global
    /// limit. `hash` names the bucket in `X-RateLimit-Bucket` (shared across majors).
    pub(crate) fn check(&self, bucket: &str, hash: &str) -> Verdict {
        let now = Instant::now();
        {
            let mut global = self.global.lock();
            let second = Duration::from_secs(1);
            let window = global.get_or_insert_with(|| Window {
                started: now,
                used: 0,
                reset_epoch: epoch_after(second),
            });
            if now.duration_since(window.started) >= second {
                *window = Window {
                    started: now,
                    used: 0,
                    reset_epoch: epoch_after(second),
                };
            }
            if window.used >= self.global_limit {
                let retry = Duration::from_secs(1)
                    .saturating_sub(now.duration_since(window.started))
                    .as_secs_f64();
                return Verdict::Limited {
                    headers: vec![
                        ("x-ratelimit-global", "true".into()),
                        ("x-ratelimit-scope", "global".into()),
                    ],
                    retry_after: retry,
                    global: true,
                };
            }
            window.used += 1;
        }
        let mut buckets = self.buckets.lock();
        let span = self.bucket_window;
        let window = buckets.entry(bucket.to_owned()).or_insert_with(|| Window {
            started: now,
            used: 0,
            reset_epoch: epoch_after(span),
        });
        if now.duration_since(window.started) >= span {
            *window = Window {
                started: now,
                used: 0,
                reset_epoch: epoch_after(span),
            };
        }
        // Rounded up to the millisecond, as the header shows it: a client that waits what the
        // header says must never arrive before the window really resets.
        let reset_after = (self
            .bucket_window
            .saturating_sub(now.duration_since(window.started))
            .as_secs_f64()
            * 1000.0)
            .ceil()
            / 1000.0;
        let reset_at = window.reset_epoch;
        let limited = window.used >= self.bucket_limit;
        if !limited {
            window.used += 1;
        }
        let headers = vec![
            ("x-ratelimit-limit", self.bucket_limit.to_string()),
            (
                "x-ratelimit-remaining",
                (self.bucket_limit - window.used).to_string(),
            ),
            ("x-ratelimit-reset", format!("{reset_at:.3}")),
            ("x-ratelimit-reset-after", format!("{reset_after:.3}")),
            ("x-ratelimit-bucket", hash.to_owned()),
        ];
        if limited {
            let mut headers = headers;
            headers.push(("x-ratelimit-scope", "user".into()));
            Verdict::Limited {
                headers,
                retry_after: reset_after,
                global: false,
            }
        } else {
            Verdict::Allowed(headers)
        }
    }
}
