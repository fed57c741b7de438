//! `sandbox [--config FILE] [--state FILE] [--json] [--host H] [--port P]`: serve every
//! platform until Ctrl-C (or SIGTERM), after printing what a bot needs.

use std::io::Write as _;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use super::args::Args;
use super::usage;
use crate::standalone::{Options, Standalone};
use crate::world::World;

pub(super) async fn run(args: &Args) -> ExitCode {
    if let Some(flag) = args.unknown_flag(&["config", "state", "json", "host", "port"]) {
        eprintln!("sandbox: unknown flag --{flag}\n\n{}", usage::MAIN);
        return ExitCode::from(2);
    }
    let mut options = Options::default();
    if let Some(host) = args.value("host") {
        let Ok(parsed) = host.parse::<IpAddr>() else {
            eprintln!("sandbox: --host {host} is not an IP address");
            return ExitCode::from(2);
        };
        options.host = parsed;
    }
    if let Some(port) = args.value("port") {
        let Ok(parsed) = port.parse() else {
            eprintln!("sandbox: --port {port} is not a port number");
            return ExitCode::from(2);
        };
        options.first_port = parsed;
    }
    options.state_file = args.value("state").map(PathBuf::from);
    let world = match args.value("config") {
        Some(path) => match World::load(path.as_ref()) {
            Ok(world) => world,
            Err(error) => return fail(&error),
        },
        None => World::default(),
    };
    let sandbox = match Standalone::start(world, options).await {
        Ok(sandbox) => sandbox,
        Err(error) => return fail(&error),
    };
    let printed = if args.switch("json") {
        // The first line is the interface tools read: one JSON object, then a flush.
        sandbox.credentials().to_string()
    } else {
        sandbox.describe()
    };
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{printed}");
    let _ = stdout.flush();
    drop(stdout);
    stopped().await;
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

fn fail(error: &crate::Error) -> ExitCode {
    match std::error::Error::source(error) {
        Some(source) => eprintln!("sandbox: {error}: {source}"),
        None => eprintln!("sandbox: {error}"),
    }
    ExitCode::FAILURE
}

/// Ctrl-C, or SIGTERM where there is one (how process managers stop a server).
async fn stopped() {
    #[cfg(unix)]
    {
        if let Ok(mut term) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    if tokio::signal::ctrl_c().await.is_err() {
        eprintln!("sandbox: cannot listen for Ctrl-C; stopping");
    }
}
