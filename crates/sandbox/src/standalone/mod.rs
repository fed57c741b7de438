//! The sandbox as one program: every platform built from a [`World`], served on
//! consecutive ports, with a control server in front, the credentials a bot needs, and
//! (with a state file) the world and what clients changed kept across restarts.
//!
//! Ports, from the first one (`--port`, default [`DEFAULT_PORT`]; 0 picks free ports):
//! control, Discord, Twitch (chat over WebSocket, Helix, OAuth), Twitch chat over TCP,
//! EventSub, Clash of Clans, singyeong, echo.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), sandbox::Error> {
//! use sandbox::standalone::{Options, Standalone};
//!
//! let sandbox = Standalone::start(sandbox::world::World::default(), Options::free_ports()).await?;
//! let credentials = sandbox.credentials();
//! assert!(credentials["discord"]["rest"].as_str().unwrap().ends_with("/api/v10"));
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod credentials;
mod persist;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::clash::{Clash, ClashControl};
use crate::control::Control;
use crate::discord::{Discord, DiscordControl};
use crate::echo::Echo;
use crate::feed::Feed;
use crate::singyeong::{Singyeong, SingyeongConfig, SingyeongControl};
use crate::twitch::eventsub::{EventSub, EventSubConfig, EventSubControl};
use crate::twitch::{TcpServer, Twitch, serve_tcp_on};
use crate::world::World;
use crate::{Error, Server};

pub use persist::SavedState;

/// The first port the binary uses when none is given: the control server listens there.
pub const DEFAULT_PORT: u16 = 7357;

/// Where and how to serve.
#[derive(Debug, Clone)]
#[must_use]
pub struct Options {
    /// The address to listen on (default 127.0.0.1).
    pub host: IpAddr,
    /// The control server's port; the platforms take the next ones (0: free ports).
    pub first_port: u16,
    /// Keep the world and what clients changed in this file (`--state`).
    pub state_file: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            first_port: DEFAULT_PORT,
            state_file: None,
        }
    }
}

impl Options {
    /// 127.0.0.1 with free ports chosen by the OS (what tests want).
    pub fn free_ports() -> Self {
        Self {
            first_port: 0,
            ..Self::default()
        }
    }
}

/// Every platform's control handle, and the world they serve.
#[derive(Clone)]
pub struct Handles {
    /// The world.
    pub world: Arc<World>,
    /// Discord.
    pub discord: DiscordControl,
    /// Twitch chat, Helix and OAuth (clones share state).
    pub twitch: Twitch,
    /// EventSub.
    pub eventsub: EventSubControl,
    /// Clash of Clans.
    pub clash: ClashControl,
    /// singyeong.
    pub singyeong: SingyeongControl,
    /// The live traffic feed.
    pub feed: Feed,
}

// `Debug` by hand: the handles and the credentials hold tokens, which never reach `Debug`.
impl std::fmt::Debug for Handles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handles")
            .field("world", &self.world)
            .finish_non_exhaustive()
    }
}

/// A running sandbox: every server, the control server, the credentials.
pub struct Standalone {
    servers: Vec<Server>,
    tcp: TcpServer,
    control: Server,
    credentials: Value,
    handles: Handles,
    persister: Option<persist::Persister>,
}

impl std::fmt::Debug for Standalone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Standalone")
            .field("control", &self.control.addr())
            .field(
                "servers",
                &self.servers.iter().map(Server::addr).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Standalone {
    /// Builds every platform from `world` (or from the state file's world, when it exists
    /// and `world` is the default: see [`SavedState`]), binds the ports and starts serving.
    pub async fn start(world: World, options: Options) -> Result<Self, Error> {
        let saved = match &options.state_file {
            Some(path) => persist::load(path)?,
            None => None,
        };
        Self::start_with(world, saved, options).await
    }

    /// [`start`](Self::start) with the world to serve already chosen and what was saved.
    async fn start_with(
        world: World,
        saved: Option<SavedState>,
        options: Options,
    ) -> Result<Self, Error> {
        let world = match &saved {
            Some(saved) if world == World::default() => saved.world.clone(),
            _ => world,
        };
        let feed = Feed::new();
        let discord = Discord::from_world(&world.discord);
        let twitch = Twitch::from_world(&world.twitch);
        // EventSub accepts the tokens Twitch's OAuth knows (seeded and issued ones), and
        // Helix serves its REST side under `/helix/eventsub` as Twitch does.
        let eventsub =
            EventSub::with_config(EventSubConfig::default().check_tokens(twitch.helix()));
        let twitch = twitch.with_eventsub(eventsub.clone());
        let eventsub_control = eventsub.control();
        for user in &world.twitch.users {
            eventsub_control.add_user(&user.id, &user.login, user.display_name());
        }
        if let Some(viewer) = world.twitch.viewer() {
            eventsub_control.set_default_actor(&viewer.id);
        }
        let clash = Clash::from_world(&world.clash);
        let mut mesh = SingyeongConfig::default();
        if let Some(password) = &world.singyeong.password {
            mesh = mesh.password(password.expose());
        }
        let singyeong = Singyeong::new(mesh);
        let handles = Handles {
            world: Arc::new(world),
            discord: discord.control(),
            twitch: twitch.clone(),
            eventsub: eventsub_control,
            clash: clash.control(),
            singyeong: singyeong.control(),
            feed: feed.clone(),
        };
        if let Some(saved) = &saved {
            saved.restore(&handles);
        }
        let addr = |index: u16| {
            let port = if options.first_port == 0 {
                0
            } else {
                options.first_port.saturating_add(index)
            };
            SocketAddr::new(options.host, port)
        };
        let builder = |index| Server::builder().addr(addr(index)).feed(feed.clone());
        // The control server learns the credentials once every port is bound.
        let published = Arc::new(OnceLock::new());
        // The control server is not on the feed: its own feed socket would record itself.
        let control = Server::builder()
            .addr(addr(0))
            .serve(Control::new(handles.clone(), Arc::clone(&published)))
            .await?;
        let servers = vec![
            builder(1).serve(discord).await?,
            builder(2).serve(twitch.clone()).await?,
            builder(4).serve(eventsub).await?,
            builder(5).serve(clash).await?,
            builder(6).serve(singyeong).await?,
            builder(7).serve(Echo::new()).await?,
        ];
        let tcp = serve_tcp_on(&twitch, addr(3)).await?;
        let credentials = credentials::json(
            &handles.world,
            &credentials::Addresses {
                host: options.host,
                control: control.addr(),
                discord: servers[0].addr(),
                twitch: servers[1].addr(),
                irc_tcp: tcp.addr(),
                eventsub: servers[2].addr(),
                clash: servers[3].addr(),
                singyeong: servers[4].addr(),
                echo: servers[5].addr(),
            },
        );
        let _ = published.set(credentials.clone());
        let persister = options
            .state_file
            .map(|path| persist::Persister::start(path, handles.clone()));
        Ok(Self {
            servers,
            tcp,
            control,
            credentials,
            handles,
            persister,
        })
    }

    /// The object `sandbox --json` prints: base URLs and credentials per platform.
    pub fn credentials(&self) -> &Value {
        &self.credentials
    }

    /// The credentials as the binary prints them for people.
    pub fn describe(&self) -> String {
        credentials::describe(&self.credentials, &self.handles.world)
    }

    /// Every platform's control handle.
    pub fn handles(&self) -> &Handles {
        &self.handles
    }

    /// The control server's URL.
    pub fn control_url(&self) -> String {
        self.credentials["control"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Saves the state file (if any) a last time and stops every server.
    pub async fn shutdown(self) {
        if let Some(persister) = self.persister {
            persister.stop().await;
        }
        self.control.shutdown().await;
        self.tcp.shutdown().await;
        for server in self.servers {
            server.shutdown().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Options, Standalone};
    use crate::world::World;

    #[tokio::test]
    async fn debug_shows_no_credential() {
        let sandbox = Standalone::start(World::default(), Options::free_ports())
            .await
            .expect("starts");
        let printed = format!("{sandbox:?} {:?}", sandbox.handles());
        for secret in [
            "sandbox.discord-bot-token",
            "sandboxbottoken",
            "sandbox-password",
        ] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(
            sandbox
                .credentials()
                .to_string()
                .contains("sandboxbottoken")
        );
        sandbox.shutdown().await;
    }
}
