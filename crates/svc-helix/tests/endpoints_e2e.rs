//! Every typed Helix endpoint against the sandbox's Helix, over real sockets on 127.0.0.1, on
//! a paused clock: each resource round-trips (create → list shows it → delete / end), list
//! streams walk every page, and refusals come back as typed errors (400, 401, 403, 404, 422).

use std::time::Duration;

use futures_util::{Stream, TryStreamExt};
use sandbox::Server;
use sandbox::twitch::{HelixControl, Twitch};
use svc_helix::{
    AccessToken, ChatSettings, Error, ErrorKind, GameId, HelixClient, ModifyChannel, OutcomeId,
    StreamFilter, TeamId, TeamRef, TokenManager, UserId, VideoFilter, VideoId, VideoPeriod,
    VideoSort, VideoType,
};

const CLIENT_ID: &str = "endpoints-client";
const SECRET: &str = "endpoints-secret";

/// The broadcaster.
const DALLAS: &str = "1";
/// Dallas's moderator (once made one).
const RONNI: &str = "2";
/// A viewer.
const ELLE: &str = "3";
/// Another viewer.
const BOB: &str = "4";

/// A user id for Helix calls (the sandbox's control takes the plain text).
fn uid(id: &str) -> UserId {
    UserId::from(id)
}

/// Every scope the broadcaster's and the moderator's tokens hold.
const SCOPES: &[&str] = &[
    "channel:manage:broadcast",
    "channel:manage:moderators",
    "channel:manage:polls",
    "channel:manage:predictions",
    "channel:manage:videos",
    "channel:manage:vips",
    "clips:edit",
    "moderation:read",
    "moderator:manage:banned_users",
    "moderator:manage:blocked_terms",
    "moderator:manage:chat_settings",
    "moderator:read:chatters",
    "moderator:read:followers",
    "user:manage:chat_color",
    "user:read:follows",
];

struct Fixture {
    server: Server,
    control: HelixControl,
}

impl Fixture {
    async fn new() -> Self {
        let twitch = Twitch::new();
        let control = twitch.helix();
        control.add_client(CLIENT_ID, SECRET);
        for (id, login) in [
            (DALLAS, "dallas"),
            (RONNI, "ronni"),
            (ELLE, "elle"),
            (BOB, "bob"),
        ] {
            control.add_user(id, login);
            let token = format!("token-{login}");
            control.add_user_token(&token, CLIENT_ID, login, id, Duration::from_hours(24), None);
            // The viewers' tokens hold no extra scope.
            if id == DALLAS || id == RONNI {
                control.grant_scopes(&token, SCOPES);
            }
        }
        let server = Server::builder().serve(twitch).await.unwrap();
        Self { server, control }
    }

    fn helix_url(&self) -> String {
        format!("{}/helix", self.server.base_url())
    }

    /// A client holding `login`'s user token.
    fn user(&self, login: &str) -> HelixClient {
        let tokens = TokenManager::user(
            &self.server.base_url(),
            CLIENT_ID,
            AccessToken::new(format!("token-{login}")),
            None,
            None,
        )
        .unwrap();
        HelixClient::new(&self.helix_url(), tokens).unwrap()
    }

    /// A client holding an app token.
    async fn app(&self) -> HelixClient {
        let tokens = TokenManager::app(&self.server.base_url(), CLIENT_ID, SECRET)
            .await
            .unwrap();
        HelixClient::new(&self.helix_url(), tokens).unwrap()
    }
}

/// Every item of a list.
async fn collect<T>(items: impl Stream<Item = Result<T, Error>>) -> Vec<T> {
    items.try_collect().await.unwrap()
}

/// The error a list ends with.
async fn list_error<T: std::fmt::Debug>(items: impl Stream<Item = Result<T, Error>>) -> Error {
    items.try_collect::<Vec<_>>().await.unwrap_err()
}

/// The status and message of a refused request.
fn refusal(error: &Error) -> (u16, &str) {
    match error.kind() {
        ErrorKind::Status { status, message } => (*status, message.as_str()),
        other => panic!("expected a status error, got {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn users_channels_games_and_search() {
    let fx = Fixture::new().await;
    for n in 0..150 {
        fx.control
            .add_game(&format!("{}", 500 + n), &format!("Game {n}"));
    }
    fx.control.add_game("33214", "Fortnite");
    fx.control.go_live(DALLAS);
    let dallas = fx.user("dallas");
    let app = fx.app().await;

    let me = dallas.get_users(&[], &[]).await.unwrap();
    assert_eq!(me[0].login, "dallas", "no filter: the token's user");
    let both = app.get_users(&[uid(RONNI)], &["elle"]).await.unwrap();
    let mut logins: Vec<_> = both.iter().map(|u| u.login.as_str()).collect();
    logins.sort_unstable();
    assert_eq!(logins, ["elle", "ronni"]);
    let err = app.get_users(&[], &[]).await.unwrap_err();
    assert_eq!(refusal(&err).0, 400, "an app token must name someone");

    dallas
        .modify_channel(
            &uid(DALLAS),
            &ModifyChannel::default().title("speedrun").game_id("33214"),
        )
        .await
        .unwrap();
    let channel = &app.get_channels(&[uid(DALLAS)]).await.unwrap()[0];
    assert_eq!(
        (
            channel.title.as_str(),
            channel.game_id.as_ref().map(GameId::as_str)
        ),
        ("speedrun", Some("33214"))
    );
    let err = fx
        .user("ronni")
        .modify_channel(&uid(DALLAS), &ModifyChannel::default().title("mine now"))
        .await
        .unwrap_err();
    assert_eq!(
        refusal(&err).0,
        401,
        "only the broadcaster may edit the channel"
    );
    let err = app.get_channels(&[]).await.unwrap_err();
    assert_eq!(
        refusal(&err),
        (400, "Missing required parameter \"broadcaster_id\"")
    );

    let games = app
        .get_games(&[GameId::from("510")], &["Fortnite"])
        .await
        .unwrap();
    assert_eq!(games.len(), 2);
    let top: Vec<_> = collect(app.top_games()).await;
    assert_eq!(top.len(), 151);
    assert_eq!(fx.server.log().count(|r| r.path == "/helix/games/top"), 2);
    let found: Vec<_> = collect(app.search_categories("game 14")).await;
    // "Game 14" and "Game 140" … "Game 149".
    assert_eq!(found.len(), 11);
    assert!(found.iter().all(|g| g.name.starts_with("Game 14")));

    let live: Vec<_> = collect(app.search_channels("a", true)).await;
    assert_eq!(
        live.iter()
            .map(|c| c.broadcaster_login.as_str())
            .collect::<Vec<_>>(),
        ["dallas"]
    );
    assert!(live[0].is_live);
    assert_eq!(live[0].title, "speedrun");
    let all: Vec<_> = collect(app.search_channels("l", false)).await;
    assert_eq!(all.len(), 2, "dallas and elle");
    let streams: Vec<_> = app
        .streams(&StreamFilter::default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(streams[0].user_login, "dallas");
}

#[tokio::test(start_paused = true)]
async fn followers_and_followed_channels() {
    let fx = Fixture::new().await;
    for n in 0..250 {
        // Unknown users still follow (bots, deleted accounts …); names come back empty.
        fx.control.add_follow(&format!("{}", 10_000 + n), DALLAS);
    }
    fx.control.add_follow(ELLE, DALLAS);
    fx.control.add_follow(ELLE, RONNI);
    let dallas = fx.user("dallas");
    let followers: Vec<_> = collect(dallas.channel_followers(&uid(DALLAS))).await;
    assert_eq!(followers.len(), 251);
    assert_eq!(followers[0].user_login, "elle", "newest first");
    assert!(!followers[0].followed_at.is_empty());
    assert_eq!(
        fx.server
            .log()
            .count(|r| r.path == "/helix/channels/followers"),
        3
    );
    // Others see the count, not the list.
    let app = fx.app().await;
    assert_eq!(app.follower_count(&uid(DALLAS)).await.unwrap(), 251);
    let hidden: Vec<_> = collect(app.channel_followers(&uid(DALLAS))).await;
    assert!(hidden.is_empty());

    let elle = fx.user("elle");
    let err = list_error(elle.followed_channels(&uid(ELLE))).await;
    assert_eq!(refusal(&err), (401, "Missing scope: user:read:follows"));
    fx.control
        .grant_scopes("token-elle", &["user:read:follows"]);
    let followed: Vec<_> = collect(elle.followed_channels(&uid(ELLE))).await;
    assert_eq!(
        followed
            .iter()
            .map(|f| f.broadcaster_login.as_str())
            .collect::<Vec<_>>(),
        ["ronni", "dallas"]
    );
    let err = list_error(elle.followed_channels(&uid(DALLAS))).await;
    assert_eq!(refusal(&err).0, 401, "another user's follows");
}

#[tokio::test(start_paused = true)]
async fn clips_round_trip() {
    let fx = Fixture::new().await;
    let dallas = fx.user("dallas");
    let err = dallas.create_clip(&uid(DALLAS), false).await.unwrap_err();
    assert_eq!(refusal(&err).0, 404, "offline channels cannot be clipped");
    fx.control.go_live(DALLAS);
    let app = fx.app().await;
    let err = app.create_clip(&uid(DALLAS), false).await.unwrap_err();
    assert_eq!(refusal(&err), (401, "Missing User OAUTH Token"));

    let mut ids = Vec::new();
    for _ in 0..105 {
        let created = dallas.create_clip(&uid(DALLAS), true).await.unwrap();
        assert!(created.edit_url.contains(created.id.as_str()));
        ids.push(created.id);
    }
    let fetched = app.get_clips(&ids[..2]).await.unwrap();
    assert_eq!(fetched.len(), 2);
    assert!(
        fetched
            .iter()
            .all(|c| c.broadcaster_id == DALLAS && c.creator_id == DALLAS)
    );
    let all: Vec<_> = collect(app.clips(&uid(DALLAS))).await;
    assert_eq!(all.len(), 105);
    assert_eq!(all[0].id, ids[104], "newest first");
    let by_game: Vec<_> = collect(app.game_clips(&GameId::from("509658"))).await;
    assert_eq!(by_game.len(), 105);
    assert!(
        app.get_clips(&[]).await.is_err(),
        "exactly one filter is required"
    );
}

#[tokio::test(start_paused = true)]
async fn videos_round_trip() {
    let fx = Fixture::new().await;
    let ids: Vec<VideoId> = (0..120)
        .map(|n| VideoId::from(fx.control.add_video(DALLAS, &format!("vod {n}"))))
        .collect();
    let ronni_video = VideoId::from(fx.control.add_video(RONNI, "ronni's vod"));
    let app = fx.app().await;
    let all: Vec<_> = collect(app.videos(&uid(DALLAS))).await;
    assert_eq!(all.len(), 120);
    assert_eq!(all[0].title, "vod 119");
    assert_eq!(app.get_videos(&ids[3..4]).await.unwrap()[0].title, "vod 3");
    let in_game: Vec<_> = collect(app.game_videos(&GameId::from("509658"))).await;
    assert_eq!(in_game.len(), 121);

    let dallas = fx.user("dallas");
    let deleted = dallas.delete_videos(&ids[..2]).await.unwrap();
    assert_eq!(deleted, [ids[0].clone(), ids[1].clone()]);
    assert!(app.get_videos(&ids[..1]).await.unwrap().is_empty());
    let err = dallas.delete_videos(&[ronni_video]).await.unwrap_err();
    assert_eq!(refusal(&err).0, 401, "only one's own videos");
    assert_eq!(
        refusal(&dallas.delete_videos(&ids[2..8]).await.unwrap_err()).0,
        400
    );
    let left: Vec<_> = collect(app.videos(&uid(DALLAS))).await;
    assert_eq!(left.len(), 118);
}

#[tokio::test(start_paused = true)]
async fn stream_and_video_filters_and_igdb_ids() {
    let fx = Fixture::new().await;
    fx.control.add_streams(30);
    fx.control.add_game_with_igdb("33214", "Fortnite", "1905");
    let app = fx.app().await;

    let mut filter = StreamFilter::default();
    filter.game_ids.push("509658".into());
    let in_game: Vec<_> = collect(app.streams(&filter)).await;
    assert_eq!(in_game.len(), 30);
    filter.languages.push("de".into());
    assert!(collect(app.streams(&filter)).await.is_empty());
    let games = app.get_games_by_igdb_ids(&["1905"]).await.unwrap();
    assert_eq!(games.len(), 1);
    assert_eq!(games[0].name, "Fortnite");

    // Created "in the future" so it is within any period, whatever the sandbox's clock says.
    let recent = serde_json::json!({
        "type": "highlight", "language": "de", "view_count": 5,
        "created_at": "2999-01-01T00:00:00Z",
    });
    fx.control.add_video_with(DALLAS, "highlight", &recent);
    fx.control
        .add_video_with(DALLAS, "popular", &serde_json::json!({ "view_count": 100 }));
    fx.control.add_video(DALLAS, "plain");
    let titles = |filter: VideoFilter| {
        let stream = app.videos_matching(&uid(DALLAS), &filter);
        async move {
            collect(stream)
                .await
                .into_iter()
                .map(|v| v.title)
                .collect::<Vec<_>>()
        }
    };
    let mut filter = VideoFilter::default();
    assert_eq!(
        titles(filter.clone()).await,
        ["plain", "popular", "highlight"]
    );
    filter.video_type = Some(VideoType::Archive);
    assert_eq!(titles(filter.clone()).await, ["plain", "popular"]);
    filter.video_type = Some(VideoType::Highlight);
    assert_eq!(titles(filter.clone()).await, ["highlight"]);
    let mut filter = VideoFilter::default();
    filter.language = Some("de".into());
    assert_eq!(titles(filter).await, ["highlight"]);
    let mut filter = VideoFilter::default();
    filter.period = Some(VideoPeriod::Week);
    assert_eq!(titles(filter).await, ["highlight"]);
    let mut filter = VideoFilter::default();
    filter.sort = Some(VideoSort::Views);
    assert_eq!(titles(filter).await, ["popular", "highlight", "plain"]);
    let mut uploads = VideoFilter::default();
    uploads.video_type = Some(VideoType::Upload);
    let in_game: Vec<_> =
        collect(app.game_videos_matching(&GameId::from("509658"), &uploads)).await;
    assert!(in_game.is_empty(), "no uploads");
}

#[tokio::test(start_paused = true)]
async fn chat_chatters_settings_badges_emotes_and_colors() {
    let fx = Fixture::new().await;
    fx.control.add_chatters(DALLAS, 2500);
    fx.control
        .add_channel_emote(DALLAS, "emotesv2_1", "dallasHype");
    let dallas = fx.user("dallas");
    let ronni = fx.user("ronni");

    let chatters: Vec<_> = collect(dallas.chatters(&uid(DALLAS), &uid(DALLAS))).await;
    assert_eq!(chatters.len(), 2500);
    assert_eq!(
        fx.server.log().count(|r| r.path == "/helix/chat/chatters"),
        3
    );
    let err = list_error(ronni.chatters(&uid(DALLAS), &uid(RONNI))).await;
    assert_eq!(refusal(&err).0, 403, "ronni is no moderator yet");
    dallas
        .set_moderator(&uid(DALLAS), &uid(RONNI), true)
        .await
        .unwrap();
    let seen: Vec<_> = collect(ronni.chatters(&uid(DALLAS), &uid(RONNI))).await;
    assert_eq!(seen.len(), 2500);

    let settings = dallas
        .get_chat_settings(&uid(DALLAS))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(settings.slow_mode, Some(false));
    let mut change = ChatSettings::default();
    change.slow_mode = Some(true);
    change.slow_mode_wait_time = Some(10);
    change.emote_mode = Some(true);
    let updated = ronni
        .update_chat_settings(&uid(DALLAS), &uid(RONNI), &change)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            updated.slow_mode,
            updated.slow_mode_wait_time,
            updated.emote_mode
        ),
        (Some(true), Some(10), Some(true))
    );
    let app = fx.app().await;
    let read = app.get_chat_settings(&uid(DALLAS)).await.unwrap().unwrap();
    assert_eq!(read.slow_mode_wait_time, Some(10));
    let mut too_slow = ChatSettings::default();
    too_slow.slow_mode_wait_time = Some(500);
    let err = ronni
        .update_chat_settings(&uid(DALLAS), &uid(RONNI), &too_slow)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400);
    let err = fx
        .user("elle")
        .update_chat_settings(&uid(DALLAS), &uid(ELLE), &change)
        .await
        .unwrap_err();
    assert_eq!(
        refusal(&err),
        (401, "Missing scope: moderator:manage:chat_settings")
    );

    let global = app.chat_badges(None).await.unwrap();
    assert!(global.iter().any(|b| b.set_id == "moderator"));
    let channel = app.chat_badges(Some(&uid(DALLAS))).await.unwrap();
    let subscriber = channel.iter().find(|b| b.set_id == "subscriber").unwrap();
    assert_eq!(subscriber.versions.len(), 4);
    let emotes = app.chat_emotes(None).await.unwrap();
    assert!(emotes.iter().any(|e| e.name == "Kappa"));
    let own = app.chat_emotes(Some(&uid(DALLAS))).await.unwrap();
    assert_eq!((own.len(), own[0].name.as_str()), (1, "dallasHype"));

    dallas
        .update_chat_color(&uid(DALLAS), "hot_pink")
        .await
        .unwrap();
    dallas
        .update_chat_color(&uid(DALLAS), "#9146FF")
        .await
        .unwrap();
    let colors = app
        .get_chat_colors(&[uid(DALLAS), uid(ELLE)])
        .await
        .unwrap();
    assert_eq!(colors[0].color, "#9146FF");
    assert_eq!(
        (colors[1].user_login.as_str(), colors[1].color.as_str()),
        ("elle", "")
    );
    let err = dallas
        .update_chat_color(&uid(DALLAS), "mauve")
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400);
}

#[tokio::test(start_paused = true)]
async fn bans_and_timeouts_round_trip() {
    let fx = Fixture::new().await;
    let dallas = fx.user("dallas");
    let ronni = fx.user("ronni");
    let err = ronni
        .ban_user(&uid(DALLAS), &uid(RONNI), &uid(ELLE), None, "spam")
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 403, "not a moderator of dallas");
    let err = ronni
        .ban_user(&uid(DALLAS), &uid(DALLAS), &uid(ELLE), None, "spam")
        .await
        .unwrap_err();
    assert_eq!(
        refusal(&err).0,
        401,
        "moderator_id must be the token's user"
    );
    dallas
        .set_moderator(&uid(DALLAS), &uid(RONNI), true)
        .await
        .unwrap();

    ronni
        .ban_user(&uid(DALLAS), &uid(RONNI), &uid(ELLE), None, "spam")
        .await
        .unwrap();
    ronni
        .ban_user(&uid(DALLAS), &uid(RONNI), &uid(BOB), Some(600), "calm down")
        .await
        .unwrap();
    let err = ronni
        .ban_user(&uid(DALLAS), &uid(RONNI), &uid(ELLE), None, "again")
        .await
        .unwrap_err();
    assert_eq!(
        refusal(&err),
        (
            400,
            "The user specified in the user_id field is already banned."
        )
    );
    let err = ronni
        .ban_user(
            &uid(DALLAS),
            &uid(RONNI),
            &uid(BOB),
            Some(5_000_000),
            "too long",
        )
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400);

    let banned: Vec<_> = collect(dallas.banned_users(&uid(DALLAS))).await;
    assert_eq!(banned.len(), 2);
    let bob = banned.iter().find(|b| b.user_id == BOB).unwrap();
    assert!(!bob.expires_at.is_empty(), "a timeout has an end");
    assert_eq!(
        (bob.reason.as_str(), bob.moderator_id.as_str()),
        ("calm down", RONNI)
    );
    let elle = banned.iter().find(|b| b.user_id == ELLE).unwrap();
    assert!(elle.expires_at.is_empty(), "a ban has none");

    // The timeout runs out on its own.
    tokio::time::advance(Duration::from_secs(601)).await;
    let banned: Vec<_> = collect(dallas.banned_users(&uid(DALLAS))).await;
    assert_eq!(
        banned
            .iter()
            .map(|b| b.user_id.as_str())
            .collect::<Vec<_>>(),
        [ELLE]
    );
    ronni
        .unban_user(&uid(DALLAS), &uid(RONNI), &uid(ELLE))
        .await
        .unwrap();
    let err = ronni
        .unban_user(&uid(DALLAS), &uid(RONNI), &uid(ELLE))
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400, "not banned any more");
    assert!(collect(dallas.banned_users(&uid(DALLAS))).await.is_empty());
}

#[tokio::test(start_paused = true)]
async fn moderators_vips_and_blocked_terms_round_trip() {
    let fx = Fixture::new().await;
    let dallas = fx.user("dallas");
    dallas
        .set_moderator(&uid(DALLAS), &uid(RONNI), true)
        .await
        .unwrap();
    dallas
        .set_vip(&uid(DALLAS), &uid(ELLE), true)
        .await
        .unwrap();
    let mods: Vec<_> = collect(dallas.moderators(&uid(DALLAS))).await;
    assert_eq!(
        mods.iter()
            .map(|m| m.user_login.as_str())
            .collect::<Vec<_>>(),
        ["ronni"]
    );
    let vips: Vec<_> = collect(dallas.vips(&uid(DALLAS))).await;
    assert_eq!(
        vips.iter()
            .map(|m| m.user_login.as_str())
            .collect::<Vec<_>>(),
        ["elle"]
    );
    // A VIP must stop being one before becoming a moderator, and the other way round.
    let err = dallas
        .set_moderator(&uid(DALLAS), &uid(ELLE), true)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 422);
    let err = dallas
        .set_vip(&uid(DALLAS), &uid(RONNI), true)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 422);
    let err = dallas
        .set_moderator(&uid(DALLAS), &uid(RONNI), true)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400, "already a moderator");
    let err = list_error(fx.user("ronni").moderators(&uid(DALLAS))).await;
    assert_eq!(
        refusal(&err).0,
        401,
        "only the broadcaster lists moderators"
    );

    // Blocked terms, managed by the moderator.
    let ronni = fx.user("ronni");
    let term = ronni
        .add_blocked_term(&uid(DALLAS), &uid(RONNI), "badword")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (term.text.as_str(), term.moderator_id.as_str()),
        ("badword", RONNI)
    );
    for n in 0..120 {
        ronni
            .add_blocked_term(&uid(DALLAS), &uid(RONNI), &format!("term{n}"))
            .await
            .unwrap();
    }
    let terms: Vec<_> = collect(ronni.blocked_terms(&uid(DALLAS), &uid(RONNI))).await;
    assert_eq!(terms.len(), 121);
    assert!(terms.iter().any(|t| t.id == term.id));
    let err = ronni
        .add_blocked_term(&uid(DALLAS), &uid(RONNI), "x")
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400, "terms are 2 to 500 characters");
    ronni
        .remove_blocked_term(&uid(DALLAS), &uid(RONNI), &term.id)
        .await
        .unwrap();
    let terms: Vec<_> = collect(ronni.blocked_terms(&uid(DALLAS), &uid(RONNI))).await;
    assert_eq!(terms.len(), 120);
    assert!(terms.iter().all(|t| t.id != term.id));

    // Removing roles.
    dallas
        .set_moderator(&uid(DALLAS), &uid(RONNI), false)
        .await
        .unwrap();
    dallas
        .set_vip(&uid(DALLAS), &uid(ELLE), false)
        .await
        .unwrap();
    let err = dallas
        .set_vip(&uid(DALLAS), &uid(ELLE), false)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 422, "not a VIP any more");
    assert!(collect(dallas.moderators(&uid(DALLAS))).await.is_empty());
    let err = list_error(ronni.blocked_terms(&uid(DALLAS), &uid(RONNI))).await;
    assert_eq!(refusal(&err).0, 403, "no longer a moderator");
}

#[tokio::test(start_paused = true)]
async fn polls_round_trip() {
    let fx = Fixture::new().await;
    let dallas = fx.user("dallas");
    let poll = dallas
        .create_poll(&uid(DALLAS), "Best map?", &["Dust", "Inferno"], 60)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((poll.status.as_str(), poll.choices.len()), ("ACTIVE", 2));
    fx.control.vote(poll.choices[1].id.as_str(), 7);
    let listed = dallas.get_polls(&uid(DALLAS)).await.unwrap();
    assert_eq!(listed[0].id, poll.id);
    assert_eq!(listed[0].choices[1].votes, 7);
    let err = dallas
        .create_poll(&uid(DALLAS), "Another?", &["a", "b"], 60)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400, "one active poll at a time");
    let ended = dallas
        .end_poll(&uid(DALLAS), &poll.id, "TERMINATED")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(ended.status, "TERMINATED");
    let err = dallas
        .end_poll(&uid(DALLAS), &poll.id, "TERMINATED")
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400, "already ended");
    let archived = dallas
        .end_poll(&uid(DALLAS), &poll.id, "ARCHIVED")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(archived.status, "ARCHIVED");

    // A poll left alone completes when its time is up.
    let short = dallas
        .create_poll(&uid(DALLAS), "Quick one", &["yes", "no", "maybe"], 15)
        .await
        .unwrap()
        .unwrap();
    tokio::time::advance(Duration::from_secs(16)).await;
    let listed = dallas.get_polls(&uid(DALLAS)).await.unwrap();
    assert_eq!(
        (listed[0].id.as_str(), listed[0].status.as_str()),
        (short.id.as_str(), "COMPLETED")
    );
    assert_eq!(listed.len(), 2);

    let err = dallas
        .create_poll(&uid(DALLAS), "Bad", &["only one"], 60)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400);
    let err = fx
        .user("ronni")
        .create_poll(&uid(DALLAS), "Not mine", &["a", "b"], 60)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 401, "only the broadcaster runs polls");
}

#[tokio::test(start_paused = true)]
async fn predictions_round_trip() {
    let fx = Fixture::new().await;
    let dallas = fx.user("dallas");
    let prediction = dallas
        .create_prediction(&uid(DALLAS), "Win?", &["Yes", "No"], 120)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(prediction.status, "ACTIVE");
    let locked = dallas
        .end_prediction(&uid(DALLAS), &prediction.id, "LOCKED", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(locked.status, "LOCKED");
    let err = dallas
        .end_prediction(
            &uid(DALLAS),
            &prediction.id,
            "RESOLVED",
            Some(&OutcomeId::from("nope")),
        )
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400, "the winner must be an outcome");
    let winner = prediction.outcomes[0].id.clone();
    let resolved = dallas
        .end_prediction(&uid(DALLAS), &prediction.id, "RESOLVED", Some(&winner))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            resolved.status.as_str(),
            resolved.winning_outcome_id.as_ref().map(OutcomeId::as_str)
        ),
        ("RESOLVED", Some(winner.as_str()))
    );
    let err = dallas
        .end_prediction(&uid(DALLAS), &prediction.id, "CANCELED", None)
        .await
        .unwrap_err();
    assert_eq!(refusal(&err).0, 400, "a resolved prediction stays resolved");

    // The window closing locks it; it can still be canceled.
    let second = dallas
        .create_prediction(&uid(DALLAS), "Again?", &["a", "b", "c"], 30)
        .await
        .unwrap()
        .unwrap();
    tokio::time::advance(Duration::from_secs(31)).await;
    let listed = dallas.get_predictions(&uid(DALLAS)).await.unwrap();
    assert_eq!(
        (listed[0].id.as_str(), listed[0].status.as_str()),
        (second.id.as_str(), "LOCKED")
    );
    let canceled = dallas
        .end_prediction(&uid(DALLAS), &second.id, "CANCELED", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(canceled.status, "CANCELED");
    assert_eq!(dallas.get_predictions(&uid(DALLAS)).await.unwrap().len(), 2);
}

#[tokio::test(start_paused = true)]
async fn refusals_are_typed_and_scope_errors_do_not_renew_the_token() {
    let fx = Fixture::new().await;
    let elle = fx.user("elle");
    let renewals = || fx.server.log().count(|r| r.path == "/oauth2/token");
    // 401 for a missing scope keeps Twitch's message and does not renew the token.
    let before = renewals();
    let err = elle.set_vip(&uid(ELLE), &uid(BOB), true).await.unwrap_err();
    assert_eq!(refusal(&err), (401, "Missing scope: channel:manage:vips"));
    assert_eq!(err.status(), Some(401));
    assert_eq!(renewals(), before);
    // 400: a required parameter missing.
    let err = elle
        .get_page::<serde_json::Value>("/chat/settings", &[])
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    // 403: not a moderator.
    fx.control
        .grant_scopes("token-elle", &["moderator:manage:banned_users"]);
    let err = elle
        .ban_user(&uid(DALLAS), &uid(ELLE), &uid(BOB), None, "")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(403));
    // 404: a route Helix does not have.
    let err = elle
        .get_page::<serde_json::Value>("/no/such/route", &[])
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    // A bad token is Unauthorized (after one failed renewal attempt it cannot make).
    fx.control.add_user_token(
        "short-lived",
        CLIENT_ID,
        "elle",
        ELLE,
        Duration::from_secs(5),
        None,
    );
    let tokens = TokenManager::user(
        &fx.server.base_url(),
        CLIENT_ID,
        AccessToken::new("short-lived"),
        None,
        None,
    )
    .unwrap();
    let expiring = HelixClient::new(&fx.helix_url(), tokens).unwrap();
    tokio::time::advance(Duration::from_secs(6)).await;
    let err = expiring.get_users(&[uid(ELLE)], &[]).await.unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Unauthorized);
    assert!(!format!("{err} {err:?}").contains("short-lived"));
}

#[tokio::test(start_paused = true)]
async fn cheermotes_and_teams() {
    let fx = Fixture::new().await;
    let team_id = fx.control.add_team("speedrunners", &[DALLAS, RONNI]);
    let app = fx.app().await;
    let cheermotes = app.get_cheermotes(None).await.unwrap();
    let cheer = cheermotes.iter().find(|c| c.prefix == "Cheer").unwrap();
    assert_eq!(cheer.tiers[0].min_bits, 1);
    assert!(
        cheer
            .tiers
            .windows(2)
            .all(|t| t[0].min_bits < t[1].min_bits)
    );
    assert!(
        !app.get_cheermotes(Some(&uid(DALLAS)))
            .await
            .unwrap()
            .is_empty()
    );

    let by_name = app
        .get_team(TeamRef::Name("speedrunners"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_name.id, team_id);
    assert_eq!(
        by_name
            .users
            .iter()
            .map(|u| u.user_login.as_str())
            .collect::<Vec<_>>(),
        ["dallas", "ronni"]
    );
    let by_id = app
        .get_team(TeamRef::Id(&TeamId::from(team_id.as_str())))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_id.team_name, "speedrunners");
    let err = app.get_team(TeamRef::Name("nobody")).await.unwrap_err();
    assert_eq!(refusal(&err).0, 404);
    let teams = app.channel_teams(&uid(RONNI)).await.unwrap();
    assert_eq!(
        teams
            .iter()
            .map(|t| t.team_name.as_str())
            .collect::<Vec<_>>(),
        ["speedrunners"]
    );
    assert!(app.channel_teams(&uid(ELLE)).await.unwrap().is_empty());
}

/// The raw answer to `GET path` with `token`: status line, headers and body as text.
async fn raw_get(server: &Server, path: &str, token: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: x\r\nClient-Id: {CLIENT_ID}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.to_lowercase()
}

#[tokio::test(start_paused = true)]
async fn refusals_have_helix_error_shape_and_budget_headers() {
    let fx = Fixture::new().await;
    let app_token = fx.app().await.tokens().token();
    let answer = raw_get(
        &fx.server,
        "/helix/moderation/banned?broadcaster_id=1",
        app_token.expose(),
    )
    .await;
    assert!(answer.starts_with("http/1.1 401"), "{answer}");
    assert!(
        answer.ends_with(
            r#"{"error":"unauthorized","message":"missing user oauth token","status":401}"#
        ),
        "{answer}"
    );
    for header in [
        "ratelimit-limit: 800",
        "ratelimit-remaining: 799",
        "ratelimit-reset: ",
    ] {
        assert!(answer.contains(header), "{header} missing: {answer}");
    }
    let answer = raw_get(
        &fx.server,
        "/helix/chat/chatters?broadcaster_id=1&moderator_id=2",
        "token-ronni",
    )
    .await;
    assert!(answer.starts_with("http/1.1 403"), "{answer}");
    assert!(answer.contains(r#""error":"forbidden""#), "{answer}");
    assert!(answer.contains("ratelimit-remaining: 798"), "{answer}");
}
