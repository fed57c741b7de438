//! The tour: starts the sandbox servers in-process and drives every finished service against
//! them. No tokens, no internet. `cargo run --example tour`.
//!
//! One module per step; each service adds its own step (behind its feature) and one line in
//! `main`.

#[cfg(feature = "gameapi")]
mod clash;
#[cfg(feature = "gateway")]
mod discord;
#[cfg(feature = "eventsub")]
mod eventsub;
mod foundations;
#[cfg(feature = "mesh")]
mod mesh;
#[cfg(feature = "ircchat")]
mod twitch;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        )
        .init();
    foundations::run().await?;
    #[cfg(feature = "gameapi")]
    clash::run().await?;
    #[cfg(feature = "mesh")]
    mesh::run().await?;
    #[cfg(feature = "ircchat")]
    twitch::run().await?;
    #[cfg(feature = "eventsub")]
    eventsub::run().await?;
    #[cfg(feature = "gateway")]
    discord::run().await?;
    println!("tour complete");
    Ok(())
}
