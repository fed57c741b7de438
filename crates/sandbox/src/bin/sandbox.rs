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
    let mut next_port = port;
    let mut servers = Vec::new();
    macro_rules! serve {
        ($platform:expr) => {{
            let addr = SocketAddr::new(host, next_port);
            if next_port != 0 {
                next_port = next_port.saturating_add(1);
            }
            match sandbox::Server::builder().addr(addr).serve($platform).await {
                Ok(server) => servers.push(server),
                Err(error) => {
                    eprintln!("sandbox: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }};
    }
    serve!(sandbox::echo::Echo::new());
    serve!(sandbox::discord::Discord::default());
    serve!(sandbox::twitch::Twitch::default());
    serve!(sandbox::twitch::eventsub::EventSub::default());
    serve!(sandbox::clash::Clash::default());
    serve!(sandbox::singyeong::Singyeong::default());
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
