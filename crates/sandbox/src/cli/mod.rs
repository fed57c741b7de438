//! The `sandbox` command line: without a command it serves every platform
//! ([`crate::standalone`]); with one it calls a running sandbox's control API
//! ([`crate::control`]) and exits 0 once the call did what it asked (non-zero with a
//! message otherwise, 2 for a command line that does not parse). `sandbox --help` and
//! `sandbox COMMAND --help` print the usage.

mod args;
mod client;
mod commands;
mod serve;
mod usage;

use std::process::ExitCode;

use args::Args;

/// The verbs that are commands rather than serving.
const COMMANDS: &[&str] = &[
    "trigger",
    "say",
    "twitch",
    "discord",
    "clash",
    "singyeong",
    "disconnect",
    "state",
    "credentials",
    "chaos",
    "world",
];

/// Runs the command line `args` (without the program name).
pub async fn run(args: Vec<String>) -> ExitCode {
    let args = match Args::parse(args) {
        Ok(args) => args,
        Err(problem) => {
            eprintln!("sandbox: {problem}\n\n{}", usage::MAIN);
            return ExitCode::from(2);
        }
    };
    let command = args.words.first().map(String::as_str);
    match command {
        None if args.switch("help") => {
            println!("{}", usage::MAIN);
            ExitCode::SUCCESS
        }
        None => serve::run(&args).await,
        Some("world") => {
            print!("{}", crate::world::DEFAULT_TOML);
            ExitCode::SUCCESS
        }
        Some(verb) if COMMANDS.contains(&verb) => {
            let call = match commands::call(&args) {
                Ok(call) => call,
                Err(usage) if args.switch("help") => {
                    println!("{}", usage.text);
                    return ExitCode::SUCCESS;
                }
                Err(usage) => {
                    if let Some(problem) = usage.problem {
                        eprintln!("sandbox: {problem}\n");
                    }
                    eprintln!("{}", usage.text);
                    return ExitCode::from(2);
                }
            };
            let control = args
                .value("control")
                .map(str::to_owned)
                .or_else(|| {
                    std::env::var("SANDBOX_CONTROL")
                        .ok()
                        .filter(|v| !v.is_empty())
                })
                .unwrap_or_else(client::default_control);
            client::call(&control, call.method, &call.path, call.body).await
        }
        Some(other) => {
            eprintln!("sandbox: unknown command {other:?}\n\n{}", usage::MAIN);
            ExitCode::from(2)
        }
    }
}
