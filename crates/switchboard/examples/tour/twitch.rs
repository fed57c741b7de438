//! Twitch chat and Helix against the sandbox: log in, join, receive a message with its tags,
//! reply, survive a forced disconnect, then a few Helix calls with an app token and some
//! broadcaster ones (a poll, a timeout) with a user token.

use std::time::Duration;

use futures_util::TryStreamExt;
use sandbox::twitch::ChatControl;
use switchboard::helix::{AccessToken, HelixClient, LiveStream, TokenManager, UserId};
use switchboard::twitch_chat::commands::{ChatCommand, Commands};
use switchboard::twitch_chat::{ChatClient, ChatConfig, ChatEvent, Privmsg, Schedule};

pub(crate) async fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("== Twitch chat + Helix");
    let twitch = sandbox::twitch::Twitch::new();
    let chat = twitch.chat();
    chat.add_user("tour-token", "tourbot", "4242");
    let helix_control = twitch.helix();
    helix_control.add_client("tour-client", "tour-secret");
    helix_control.add_user("4242", "tourbot");
    helix_control.add_user("77", "ronni");
    helix_control.add_user_token(
        "tour-user-token",
        "tour-client",
        "tourbot",
        "4242",
        Duration::from_hours(4),
        None,
    );
    helix_control.grant_scopes(
        "tour-user-token",
        &["channel:manage:polls", "moderator:manage:banned_users"],
    );
    helix_control.add_streams(150);
    let server = sandbox::Server::builder().serve(twitch).await?;
    chat_tour(&server, &chat).await?;
    helix_tour(&server).await
}

/// Chat: log in, a message and a reply, a command, a routine, a forced disconnect.
async fn chat_tour(
    server: &sandbox::Server,
    chat: &ChatControl,
) -> Result<(), Box<dyn std::error::Error>> {
    let config = ChatConfig::builder()
        .websocket(server.ws_url("/"))
        .oauth("tourbot", "tour-token")
        .channels(["dallas"])
        .build()?;
    let client = ChatClient::connect(config).await?;
    wait(|| chat.members("dallas") == 1).await;
    println!("logged in as tourbot and joined #dallas");

    let incoming = client
        .events()
        .wait_for(|_: &Privmsg<'static>| true, Duration::from_secs(5));
    chat.say("dallas", "ronni", "hello tourbot Kappa");
    let message = incoming.await?;
    println!(
        "received from {} (id {}, sent at {} ms): {}",
        message.display_name, message.message_id, message.sent_at_ms, message.text
    );
    client.reply(&message, "hello ronni!")?;
    wait(|| chat.sent().len() == 1).await;
    println!("replied: {}", chat.sent()[0].text);

    // A chat command: `!add 2 3` from a viewer, answered as a threaded reply.
    let _commands = Commands::builder()
        .command(
            ChatCommand::new("add", |ctx| async move {
                let (a, b): (i64, i64) = (ctx.args.get(0)?, ctx.args.get(1)?);
                ctx.reply(&format!("{a} + {b} = {}", a + b))?;
                Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
            })
            .help("adds two numbers"),
        )
        .start(&client);
    chat.say("dallas", "ronni", "!add 2 3");
    wait(|| chat.sent().len() == 2).await;
    println!("command !add 2 3 answered: {}", chat.sent()[1].text);

    // A routine: a task on a schedule that ends after its iterations (or with the client).
    let speaker = client.clone();
    let routine = client
        .routine(Schedule::every(Duration::from_millis(100)), move || {
            let speaker = speaker.clone();
            let text = format!("routine tick at {} ms", chat_clock_ms());
            async move { speaker.say("dallas", &text) }
        })
        .iterations(2)
        .start();
    wait(|| !routine.is_running() && chat.sent().len() == 4).await;
    println!(
        "routine ran {} times: {:?}, {:?}",
        routine.runs(),
        chat.sent()[2].text,
        chat.sent()[3].text
    );

    let ready = client.events().wait_for(
        |e: &ChatEvent| matches!(e, ChatEvent::Ready { .. }),
        Duration::from_secs(10),
    );
    chat.disconnect_all();
    ready.await?;
    wait(|| chat.members("dallas") == 1).await;
    println!(
        "forced disconnect: reconnected and rejoined #dallas ({} connections so far)",
        chat.accepted()
    );
    client.close().await;
    Ok(())
}

/// Helix: app-token reads, then broadcaster calls (a poll, a timeout) with a user token.
async fn helix_tour(server: &sandbox::Server) -> Result<(), Box<dyn std::error::Error>> {
    let tokens = TokenManager::app(&server.base_url(), "tour-client", "tour-secret").await?;
    let helix = HelixClient::new(&format!("{}/helix", server.base_url()), tokens)?;
    let users = helix.get_users(&[], &["tourbot"]).await?;
    println!("helix: tourbot has id {}", users[0].id);
    let page = helix
        .get_page::<LiveStream>("/streams", &[("first", "100".into())])
        .await?;
    println!(
        "helix: first page of streams has {} (top: {} with {} viewers), more after cursor {:?}",
        page.data.len(),
        page.data[0].user_name,
        page.data[0].viewer_count,
        page.cursor()
    );

    let user_tokens = TokenManager::user(
        &server.base_url(),
        "tour-client",
        AccessToken::new("tour-user-token"),
        None,
        None,
    )?;
    let me = HelixClient::new(&format!("{}/helix", server.base_url()), user_tokens)?;
    let (broadcaster, viewer) = (UserId::from("4242"), UserId::from("77"));
    if let Some(poll) = me
        .create_poll(&broadcaster, "Next game?", &["Chess", "Go"], 60)
        .await?
    {
        println!("helix: poll {:?} is {}", poll.title, poll.status);
    }
    me.ban_user(
        &broadcaster,
        &broadcaster,
        &viewer,
        Some(600),
        "tour timeout",
    )
    .await?;
    let banned: Vec<_> = me.banned_users(&broadcaster).try_collect().await?;
    println!(
        "helix: {} timed out until {}",
        banned[0].user_login, banned[0].expires_at
    );
    Ok(())
}

/// Milliseconds on the wall clock, so each routine line differs (Twitch drops a repeat).
fn chat_clock_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
}

async fn wait(mut done: impl FnMut() -> bool) {
    while !done() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
