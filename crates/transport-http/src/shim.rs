//! TEMPORARY stand-in for core-ratelimit's contract until that crate lands.
#![allow(missing_docs, unreachable_pub, dead_code, clippy::pedantic)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateLimitHeaders {
    pub limit: Option<u32>,
    pub remaining: Option<u32>,
    pub reset_after: Option<Duration>,
    pub reset_at_epoch: Option<f64>,
    pub bucket: Option<String>,
    pub global: bool,
    pub scope: Option<String>,
    pub retry_after: Option<Duration>,
}

#[derive(Debug)]
pub struct Error(String);
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid header {}", self.0)
    }
}
impl std::error::Error for Error {}

impl RateLimitHeaders {
    pub fn parse<'a>(headers: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Result<Self, Error> {
        let mut out = Self::default();
        for (name, value) in headers {
            let name = name.to_ascii_lowercase();
            let text = || std::str::from_utf8(value).map_err(|_| Error(name.clone()));
            let bad = || Error(name.clone());
            match name.as_str() {
                "x-ratelimit-limit" => out.limit = Some(text()?.trim().parse().map_err(|_| bad())?),
                "x-ratelimit-remaining" => out.remaining = Some(text()?.trim().parse().map_err(|_| bad())?),
                "x-ratelimit-reset-after" => out.reset_after = Some(Duration::try_from_secs_f64(text()?.trim().parse().map_err(|_| bad())?).map_err(|_| bad())?),
                "x-ratelimit-bucket" => out.bucket = Some(text()?.to_owned()),
                "x-ratelimit-global" => out.global = true,
                "retry-after" => out.retry_after = Some(Duration::try_from_secs_f64(text()?.trim().parse().map_err(|_| bad())?).map_err(|_| bad())?),
                _ => {}
            }
        }
        Ok(out)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RouteKey(String);
impl RouteKey {
    pub fn new(route: &str, major: Option<&str>) -> Self {
        Self(format!("{route}:{}", major.unwrap_or("-")))
    }
}
impl std::fmt::Display for RouteKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Default)]
struct State {
    remaining: Option<u32>,
    reset_at: Option<Instant>,
}

#[derive(Clone, Debug, Default)]
pub struct BucketLimiter {
    routes: Arc<Mutex<HashMap<RouteKey, Arc<tokio::sync::Mutex<StateCell>>>>>,
}
#[derive(Default, Debug)]
pub struct StateCell {
    remaining: Option<u32>,
    reset_at: Option<Instant>,
}
pub struct BucketConfig {
    pub global: Option<(u32, Duration)>,
}
impl BucketConfig {
    pub fn discord() -> Self {
        Self { global: Some((50, Duration::from_secs(1))) }
    }
}
impl BucketLimiter {
    pub fn new(_config: BucketConfig) -> Self {
        Self::default()
    }
    pub async fn acquire(&self, route: &RouteKey) -> Ticket {
        let cell = self.routes.lock().unwrap().entry(route.clone()).or_default().clone();
        let mut guard = cell.lock_owned().await;
        if let (Some(0), Some(reset_at)) = (guard.remaining, guard.reset_at) {
            tokio::time::sleep_until(reset_at).await;
            guard.remaining = None;
        }
        Ticket { guard }
    }
}
pub struct Ticket {
    guard: tokio::sync::OwnedMutexGuard<StateCell>,
}
impl Ticket {
    pub fn complete(mut self, outcome: Outcome) {
        if let Some(wait) = outcome.retry_after {
            self.guard.remaining = Some(0);
            self.guard.reset_at = Some(Instant::now() + wait);
            return;
        }
        self.guard.remaining = outcome.headers.remaining;
        self.guard.reset_at = outcome.headers.reset_after.map(|d| Instant::now() + d);
    }
}
pub struct Outcome {
    pub status: u16,
    pub headers: RateLimitHeaders,
    pub retry_after: Option<Duration>,
    pub global: bool,
}
