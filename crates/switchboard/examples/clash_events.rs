//! Watch a Clash of Clans clan and print what changes.
//!
//! Against the real API: set `COC_EMAIL`, `COC_PASSWORD` (developer site account) and
//! `COC_CLAN` (a clan tag), then `cargo run --example clash_events`; it runs until Ctrl-C.
//! Without them it starts the sandbox in-process, makes a few things happen, and exits.

use std::time::Duration;

use switchboard::gameapi::Client;
use switchboard::gameapi::events::{Event, EventsClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    match (
        std::env::var("COC_EMAIL"),
        std::env::var("COC_PASSWORD"),
        std::env::var("COC_CLAN"),
    ) {
        (Ok(email), Ok(password), Ok(clan)) => real(email, password, clan).await,
        _ => offline().await,
    }
}

async fn real(
    email: String,
    password: String,
    clan: String,
) -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().login(email, password).build().await?;
    let events = EventsClient::new(client);
    events
        .hub()
        .on(|event: Event| println!("{event:?}"))
        .detach();
    events.add_clans([&clan]);
    events.add_wars([&clan]);
    println!("watching {clan}; Ctrl-C to stop");
    tokio::signal::ctrl_c().await?;
    Ok(())
}

async fn offline() -> Result<(), Box<dyn std::error::Error>> {
    println!("no COC_EMAIL/COC_PASSWORD/COC_CLAN: watching the sandbox's clan instead");
    let clash = sandbox::clash::Clash::new();
    let control = clash.control();
    control.set_max_age(Some(1));
    let key = control.create_key("example", "127.0.0.1");
    let server = sandbox::Server::builder().serve(clash).await?;
    let client = Client::builder()
        .base_url(format!("{}/v1", server.base_url()))
        .key(key)
        .build()
        .await?;
    let events = EventsClient::builder(client)
        .min_interval(Duration::from_millis(500))
        .build()?;
    events
        .hub()
        .on(|event: Event| println!("{event:?}"))
        .detach();
    let clan = control.main_clan();
    events.add_clans([&clan]);
    events.add_wars([&clan]);
    tokio::time::sleep(Duration::from_millis(300)).await;

    control.member_join(&clan, "Example");
    let leaving = control.main_members()[5].clone();
    control.member_leave(&clan, &leaving);
    control.add_attack(&clan, 2);
    tokio::time::sleep(Duration::from_secs(2)).await;
    Ok(())
}
