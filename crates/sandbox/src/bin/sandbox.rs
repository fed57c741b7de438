//! `sandbox`: serves every platform the sandbox implements on local ports, for developing a
//! bot offline. `sandbox --help` lists the options.
#![forbid(unsafe_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

const USAGE: &str = "usage: sandbox [--host ADDR] [--port FIRST_PORT]

Serves every sandbox platform on consecutive ports starting at FIRST_PORT
(default: free ports chosen by the OS) on ADDR (default 127.0.0.1), prints their
URLs and runs until Ctrl-C.";

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let mut host = IpAddr::V4(Ipv4Addr::LOCALHOST);
    let mut port: u16 = 0;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next();
        let parsed = match (arg.as_str(), value) {
            ("--host", Some(v)) => v.parse().map(|h| host = h).is_ok(),
            ("--port", Some(v)) => v.parse().map(|p| port = p).is_ok(),
            _ => false,
        };
        if !parsed {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    }
    let echo = sandbox::echo::Echo::new();
    let server = match sandbox::Server::builder()
        .addr(SocketAddr::new(host, port))
        .serve(echo)
        .await
    {
        Ok(server) => server,
        Err(error) => {
            eprintln!("sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("{:<12} {}", server.name(), server.base_url());
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("sandbox: cannot listen for Ctrl-C; stopping");
    }
    server.shutdown().await;
    ExitCode::SUCCESS
}
