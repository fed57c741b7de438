//! `sandbox`: serves every platform the sandbox implements for developing a bot offline,
//! and steers a running one from the command line. `sandbox --help` lists both.
#![forbid(unsafe_code)]

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    // Logs go to stderr: stdout's first line is `--json`'s interface.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    sandbox::cli::run(std::env::args().skip(1).collect()).await
}
