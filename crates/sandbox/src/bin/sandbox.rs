//! `sandbox`: serves every platform the sandbox implements on local ports, for developing a
//! bot offline. `sandbox --help` lists the options.
#![forbid(unsafe_code)]

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;

const USAGE: &str = "usage: sandbox [--host ADDR] [--port FIRST_PORT]

Serves every sandbox platform (echo, discord, twitch, eventsub, clash, singyeong)
on consecutive ports starting at FIRST_PORT (default: free ports chosen by the
OS) on ADDR (default 127.0.0.1), prints their URLs and runs until Ctrl-C.";

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
    // Consecutive ports from `port`, or a free port each when `port` is 0.
    let addr = |index: u16| {
        SocketAddr::new(
            host,
            if port == 0 {
                0
            } else {
                port.saturating_add(index)
            },
        )
    };
    let started = async {
        Ok::<_, sandbox::Error>(vec![
            sandbox::Server::builder()
                .addr(addr(0))
                .serve(sandbox::echo::Echo::new())
                .await?,
            sandbox::Server::builder()
                .addr(addr(1))
                .serve(sandbox::discord::Discord::default())
                .await?,
            sandbox::Server::builder()
                .addr(addr(2))
                .serve(sandbox::twitch::Twitch::default())
                .await?,
            sandbox::Server::builder()
                .addr(addr(3))
                .serve(sandbox::twitch::eventsub::EventSub::default())
                .await?,
            sandbox::Server::builder()
                .addr(addr(4))
                .serve(sandbox::clash::Clash::default())
                .await?,
            sandbox::Server::builder()
                .addr(addr(5))
                .serve(sandbox::singyeong::Singyeong::default())
                .await?,
        ])
    };
    let servers = match started.await {
        Ok(servers) => servers,
        Err(error) => {
            eprintln!("sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    for server in &servers {
        println!("{:<16} {}", server.name(), server.base_url());
    }
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("sandbox: cannot listen for Ctrl-C; stopping");
    }
    for server in servers {
        server.shutdown().await;
    }
    ExitCode::SUCCESS
}
