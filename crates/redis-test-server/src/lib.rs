//! Test support for the Redis backends: a real `redis-server` child process on a free
//! loopback port, without persistence, killed on drop; and [`max_in_any_window`] to check a
//! shared limit held. Tests and benches of `core-ratelimit`, `core-cache` and `fanout`
//! share it (a dev-dependency only), behind each crate's `redis` feature: `cargo test
//! --workspace` runs none of them, `--features redis` runs them all and fails loudly when
//! `redis-server` is missing, so no test passes by not running.
//!
//! ```no_run
//! let server = redis_test_server::RedisServer::start(); // panics if redis-server is missing
//! println!("redis at {}", server.url());
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

/// The most of `times` within any one closed interval of length `window` (two pointers over
/// the sorted times): how tests check that N processes together stayed within a limit,
/// from grant times (Redis's clock) or arrival times (a sandbox's request log).
///
/// ```
/// use std::time::{Duration, SystemTime};
///
/// let t = SystemTime::UNIX_EPOCH;
/// let ms = |n| t + Duration::from_millis(n);
/// let times = [ms(0), ms(500), ms(1000), ms(1001), ms(2500)];
/// assert_eq!(redis_test_server::max_in_any_window(&times, Duration::from_secs(1)), 3);
/// ```
pub fn max_in_any_window(times: &[SystemTime], window: Duration) -> usize {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    let mut best = 0;
    let mut first = 0;
    for last in 0..sorted.len() {
        while sorted[last]
            .duration_since(sorted[first])
            .unwrap_or_default()
            > window
        {
            first += 1;
        }
        best = best.max(last - first + 1);
    }
    best
}

/// What a Redis test says when there is no server to run against.
const MISSING: &str = "`redis-server` is not installed, and this test needs a real one: install it \
(`apt-get install redis-server`, `brew install redis`), or run the tests without `--features redis`";

/// One `redis-server` on a free loopback port, without persistence.
pub struct RedisServer {
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts a server.
    ///
    /// # Panics
    ///
    /// When `redis-server` is not installed (with a message saying how to install it) or
    /// does not start: a Redis test that cannot reach a server fails, it never passes by
    /// skipping.
    pub fn start() -> Self {
        Self::start_program("redis-server")
    }

    fn start_program(program: &str) -> Self {
        let installed = Command::new(program)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        assert!(installed, "{MISSING}");
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free loopback port")
            .port();
        let mut server = Self { port, child: None };
        server.spawn();
        server
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Stops the server (its data is gone: no persistence).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port, empty.
    pub fn restart(&mut self) {
        self.stop();
        self.spawn();
    }

    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string()])
            .args(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        self.child = Some(child);
        // Startup, not a rate limit: poll until the port accepts, bounded.
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::RedisServer;

    #[test]
    #[should_panic(expected = "not installed")]
    fn a_missing_server_fails_the_test_instead_of_skipping_it() {
        let _ = RedisServer::start_program("redis-server-that-is-not-installed");
    }
}
