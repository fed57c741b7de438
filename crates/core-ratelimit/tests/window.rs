//! Window limiters: the real limit holds over every sliding window, with paused time.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Rng, max_in_any_window, nz};
use core_ratelimit::{
    GcraWindow, RetryAfter, SlidingLog, TokioClock, WindowBackend, WindowLimiter,
};
use governor::clock::Clock;
use governor::{Quota, RateLimiter};
use proptest::prelude::*;
use tokio::time::{Instant, sleep, sleep_until};

const MINUTE: Duration = Duration::from_mins(1);

/// Bursts of callers: `(arrival offset in ms, callers)`. Half the callers of each burst wait
/// with `acquire`, the other half poll `try_acquire` and sleep for the `RetryAfter`.
async fn run_bursts(limiter: &WindowLimiter, bursts: &[(u64, usize)]) -> Vec<Instant> {
    let start = Instant::now();
    let stamps = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for &(offset, callers) in bursts {
        for caller in 0..callers {
            let limiter = limiter.clone();
            let stamps = Arc::clone(&stamps);
            tasks.push(tokio::spawn(async move {
                sleep_until(start + Duration::from_millis(offset)).await;
                if caller % 2 == 0 {
                    limiter.acquire().await;
                } else {
                    while let Err(RetryAfter(wait)) = limiter.try_acquire() {
                        assert!(wait > Duration::ZERO);
                        sleep(wait).await;
                    }
                }
                stamps.lock().unwrap().push(Instant::now());
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    Arc::try_unwrap(stamps).unwrap().into_inner().unwrap()
}

const BURSTS: [(u64, usize); 10] = [
    (0, 50),
    (0, 90),
    (7_300, 100),
    (45_000, 30),
    (59_999, 80),
    (60_000, 40),
    (61_500, 25),
    (119_000, 60),
    (120_001, 7),
    (200_000, 130),
];

#[tokio::test(start_paused = true)]
async fn sliding_log_never_lets_121_into_any_60s_window() {
    let limiter = WindowLimiter::new(nz(120), MINUTE);
    let start = Instant::now();
    let stamps = run_bursts(&limiter, &BURSTS).await;
    assert_eq!(stamps.len(), BURSTS.iter().map(|b| b.1).sum::<usize>());
    assert_eq!(max_in_any_window(&stamps, MINUTE), 120);
    // The whole limit is usable at once: the first 120 callers did not wait at all.
    assert_eq!(stamps.iter().filter(|&&t| t == start).count(), 120);
}

#[tokio::test(start_paused = true)]
async fn sliding_log_sustains_the_full_rate() {
    let limiter = WindowLimiter::new(nz(120), MINUTE);
    let start = Instant::now();
    let stamps = run_bursts(&limiter, &[(0, 600)]).await;
    let last = stamps.iter().max().unwrap().duration_since(start);
    // Five full windows (each refill waits for the closed window to pass, + 1 ms timer tick).
    assert!(last < Duration::from_secs(241), "took {last:?}");
    assert_eq!(max_in_any_window(&stamps, MINUTE), 120);
}

#[tokio::test(start_paused = true)]
async fn gcra_window_never_lets_121_into_any_60s_window() {
    let gcra = GcraWindow::new(nz(120), MINUTE, nz(60));
    assert_eq!(gcra.burst(), 60);
    let limiter = WindowLimiter::with_backend(Arc::new(gcra));
    let stamps = run_bursts(&limiter, &BURSTS).await;
    assert_eq!(max_in_any_window(&stamps, MINUTE), 120);
}

#[tokio::test(start_paused = true)]
async fn huge_limits_use_the_gcra_and_still_hold() {
    let limit = SlidingLog::MAX_LIMIT + 2;
    let limiter = WindowLimiter::new(nz(limit), Duration::from_secs(1));
    assert_eq!(limiter.limit(), limit);
    assert!(format!("{limiter:?}").contains("GcraWindow"));
    let mut stamps = Vec::new();
    for _ in 0..(limit as usize * 2 + 10) {
        limiter.acquire().await;
        stamps.push(Instant::now());
    }
    assert!(max_in_any_window(&stamps, Duration::from_secs(1)) <= limit as usize);
}

/// Why the configuration above: governor's natural quota for "120 per minute" has a burst of
/// 120 *and* replenishes one cell every 0.5 s, so the first minute admits about 240.
#[tokio::test(start_paused = true)]
async fn naive_governor_quota_doubles_the_first_window() {
    let clock = TokioClock::new();
    let naive = RateLimiter::direct_with_clock(Quota::per_minute(nz(120)), clock);
    let start = Instant::now();
    let mut stamps = Vec::new();
    while start.elapsed() <= MINUTE {
        match naive.check() {
            Ok(()) => stamps.push(Instant::now()),
            Err(not_until) => sleep(not_until.wait_time_from(clock.now())).await,
        }
    }
    let first_minute = stamps
        .iter()
        .filter(|t| t.duration_since(start) <= MINUTE)
        .count();
    assert!(first_minute >= 239, "admitted {first_minute}");
    assert!(max_in_any_window(&stamps, MINUTE) > 120 * 19 / 10);
}

#[tokio::test(start_paused = true)]
async fn try_acquire_says_how_long_to_wait() {
    let limiter = WindowLimiter::new(nz(2), Duration::from_secs(10));
    assert_eq!(limiter.try_acquire(), Ok(()));
    sleep(Duration::from_secs(4)).await;
    assert_eq!(limiter.try_acquire(), Ok(()));
    let RetryAfter(wait) = limiter.try_acquire().unwrap_err();
    // The first acquisition leaves the (closed) window just after 10 s.
    assert_eq!(wait, Duration::from_secs(6) + Duration::from_nanos(1));
    sleep(wait).await;
    assert_eq!(limiter.try_acquire(), Ok(()));
}

#[tokio::test(start_paused = true)]
async fn waiters_are_served_in_arrival_order() {
    let limiter = WindowLimiter::new(nz(1), Duration::from_secs(1));
    limiter.acquire().await;
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for id in 0..8 {
        let limiter = limiter.clone();
        let order = Arc::clone(&order);
        tasks.push(tokio::spawn(async move {
            limiter.acquire().await;
            order.lock().unwrap().push(id);
        }));
        // Make the arrival order unambiguous.
        tokio::task::yield_now().await;
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(*order.lock().unwrap(), (0..8).collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn a_cancelled_acquire_takes_nothing() {
    let limiter = WindowLimiter::new(nz(1), Duration::from_secs(5));
    limiter.acquire().await;
    // Gives up after 1 s of waiting.
    let gave_up = tokio::time::timeout(Duration::from_secs(1), limiter.acquire()).await;
    assert!(gave_up.is_err());
    let start = Instant::now();
    limiter.acquire().await;
    // Admitted when the first acquisition left the window, not a window later.
    assert!(
        start.elapsed() <= Duration::from_millis(4_010),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn limiters_are_send_sync_and_clone() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    fn backend<T: WindowBackend>() {}
    check::<WindowLimiter>();
    backend::<SlidingLog>();
    backend::<GcraWindow>();
}

fn check_schedule(limit: u32, window_ms: u64, gcra_burst: Option<u32>, bursts: &[(u64, usize)]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    runtime.block_on(async {
        let window = Duration::from_millis(window_ms);
        let limiter = match gcra_burst {
            None => WindowLimiter::new(nz(limit), window),
            Some(burst) => {
                WindowLimiter::with_backend(Arc::new(GcraWindow::new(nz(limit), window, nz(burst))))
            }
        };
        let stamps = run_bursts(&limiter, bursts).await;
        let worst = max_in_any_window(&stamps, window);
        assert!(worst <= limit as usize, "{worst} > {limit} in one window");
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Random limits, windows and bursty arrival schedules: no window ever holds more than
    /// the limit, for both backends.
    #[test]
    fn no_schedule_breaks_the_window(
        limit in 1_u32..40,
        window_ms in 1_u64..5_000,
        burst_fraction in 1_u32..=100,
        seed in any::<u64>(),
        use_gcra in any::<bool>(),
    ) {
        let mut rng = Rng::new(seed);
        let bursts: Vec<(u64, usize)> = (0..rng.range(1, 8))
            .map(|_| (rng.range(0, window_ms * 4), rng.range(1, u64::from(limit) * 2) as usize))
            .collect();
        let burst = use_gcra.then(|| (limit * burst_fraction / 100).max(1));
        check_schedule(limit, window_ms, burst, &bursts);
    }
}
