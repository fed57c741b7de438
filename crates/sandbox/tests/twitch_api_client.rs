//! Helix answers of the standalone sandbox (the seeded world, as users get it) read by
//! `twitch_api`, a Helix client no one here wrote: its request types build every call
//! (path, query, body, headers) and its typed responses parse every answer. A field the
//! reference documents as always present, missing or of another type, fails the parse.
//!
//! Every `GET` route the sandbox serves is called, after writes that give the lists
//! something to show (a ban, a timeout, a blocked term, a clip, a poll, a prediction).

mod common;

use std::fmt::Debug;

use bytes::Bytes;
use common::Sandbox;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use twitch_api::helix::{self, RequestGet, RequestPost};

/// The seeded users, in the default world's order.
const BOT: usize = 0;
const VIEWER: usize = 1;
const STREAMER: usize = 2;

/// The sandbox's Helix with the seeded world's credentials.
struct Helix {
    _sandbox: Sandbox,
    base: String,
    client_id: String,
    users: Vec<(String, String, String)>,
    problems: Vec<String>,
}

impl Helix {
    fn start() -> Self {
        let sandbox = Sandbox::start(&[]);
        let base = sandbox.at("/twitch/helix");
        let client_id = sandbox.at("/twitch/client_id");
        let users = (0..3)
            .map(|i| {
                (
                    sandbox.at(&format!("/twitch/users/{i}/id")),
                    sandbox.at(&format!("/twitch/users/{i}/login")),
                    sandbox.at(&format!("/twitch/users/{i}/token")),
                )
            })
            .collect();
        Self {
            _sandbox: sandbox,
            base,
            client_id,
            users,
            problems: Vec::new(),
        }
    }

    fn id(&self, user: usize) -> &str {
        &self.users[user].0
    }

    fn token(&self, user: usize) -> &str {
        &self.users[user].2
    }

    /// Sends a request `twitch_api` built for `api.twitch.tv` to the sandbox instead: the
    /// same path under the sandbox's Helix base, query, headers and body unchanged.
    async fn send(&self, request: http::Request<Bytes>) -> (http::Uri, http::Response<Bytes>) {
        let (mut parts, body) = request.into_parts();
        let path_and_query = parts
            .uri
            .path_and_query()
            .map_or("/", http::uri::PathAndQuery::as_str);
        let rest = path_and_query
            .strip_prefix("/helix")
            .expect("twitch_api calls under /helix");
        parts.uri = format!("{}{rest}", self.base)
            .parse()
            .expect("a sandbox URL");
        let uri = parts.uri.clone();
        let client = Client::builder(TokioExecutor::new()).build_http();
        let response = client
            .request(http::Request::from_parts(parts, Full::new(body)))
            .await
            .expect("the sandbox answers");
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.expect("a body").to_bytes();
        (uri, http::Response::from_parts(parts, bytes))
    }

    /// `GET` as `user`; the parsed data, or `None` with the problem recorded.
    async fn get<R>(&mut self, what: &str, user: usize, request: R) -> Option<R::Response>
    where
        R: RequestGet,
        R::Response: Debug,
    {
        let built = request
            .create_request(self.token(user), &self.client_id)
            .expect("twitch_api builds the request");
        let (uri, response) = self.send(built).await;
        let status = response.status();
        match R::parse_response(Some(request), &uri, response) {
            Ok(parsed) => Some(parsed.data),
            Err(error) => {
                self.problems
                    .push(format!("{what} ({uri}, {status}): {error:?}"));
                None
            }
        }
    }

    /// `POST` as `user`; the parsed data, or `None` with the problem recorded.
    async fn post<R>(
        &mut self,
        what: &str,
        user: usize,
        request: R,
        body: R::Body,
    ) -> Option<R::Response>
    where
        R: RequestPost,
        R::Response: Debug,
    {
        let built = request
            .create_request(body, self.token(user), &self.client_id)
            .expect("twitch_api builds the request");
        let (uri, mut response) = self.send(built).await;
        let status = response.status();
        // Create Clip answers 202 Accepted in the reference (and on Twitch); twitch_api 0.8
        // accepts only 200 there, so its body is read as if it had been a 200.
        if status == http::StatusCode::ACCEPTED {
            *response.status_mut() = http::StatusCode::OK;
        }
        match R::parse_response(Some(request), &uri, response) {
            Ok(parsed) => Some(parsed.data),
            Err(error) => {
                self.problems
                    .push(format!("{what} ({uri}, {status}): {error:?}"));
                None
            }
        }
    }

    /// Records a problem when a list the seeded world fills comes back empty.
    fn non_empty<T>(&mut self, what: &str, list: Option<&Vec<T>>) {
        if list.is_some_and(Vec::is_empty) {
            self.problems
                .push(format!("{what}: empty where the world has entries"));
        }
    }
}

#[tokio::test]
#[allow(clippy::too_many_lines, reason = "one walk through every Helix route")]
async fn twitch_api_reads_every_helix_answer_of_the_seeded_world() {
    let mut helix = Helix::start();
    let (bot, viewer, streamer) = (
        helix.id(BOT).to_owned(),
        helix.id(VIEWER).to_owned(),
        helix.id(STREAMER).to_owned(),
    );
    let streamer_login = helix.users[STREAMER].1.clone();

    // Writes first, so that the lists below have something of every kind.
    helix
        .post(
            "POST /moderation/bans (timeout)",
            STREAMER,
            helix::moderation::BanUserRequest::new(streamer.as_str(), streamer.as_str()),
            helix::moderation::BanUserBody::new(viewer.as_str(), "spam", 600),
        )
        .await;
    helix
        .post(
            "POST /moderation/blocked_terms",
            BOT,
            helix::moderation::AddBlockedTermRequest::new(streamer.as_str(), bot.as_str()),
            helix::moderation::AddBlockedTermBody::new("forbidden"),
        )
        .await;
    helix
        .post(
            "POST /clips",
            STREAMER,
            helix::clips::CreateClipRequest::broadcaster_id(streamer.as_str()),
            helix::EmptyBody,
        )
        .await;
    let choices = [
        helix::polls::NewPollChoice::new("yes"),
        helix::polls::NewPollChoice::new("no"),
    ];
    helix
        .post(
            "POST /polls",
            STREAMER,
            helix::polls::CreatePollRequest::new(),
            helix::polls::CreatePollBody::new(streamer.as_str(), "Ship it?", 60, &choices[..]),
        )
        .await;
    let outcomes = [
        helix::predictions::create_prediction::NewPredictionOutcome::new("win"),
        helix::predictions::create_prediction::NewPredictionOutcome::new("lose"),
    ];
    helix
        .post(
            "POST /predictions",
            STREAMER,
            helix::predictions::create_prediction::CreatePredictionRequest::new(),
            helix::predictions::create_prediction::CreatePredictionBody::new(
                streamer.as_str(),
                "Next game?",
                &outcomes,
                120,
            ),
        )
        .await;

    let ids = [bot.as_str(), viewer.as_str(), streamer.as_str()];
    let users = helix
        .get(
            "GET /users",
            BOT,
            helix::users::GetUsersRequest::ids(&ids[..]),
        )
        .await;
    assert_eq!(users.map(|u| u.len()), Some(3), "{:#?}", helix.problems);
    let me = helix
        .get(
            "GET /users (token's user)",
            VIEWER,
            helix::users::GetUsersRequest::new(),
        )
        .await;
    helix.non_empty("GET /users (token's user)", me.as_ref());

    let logins = [streamer_login.as_str()];
    let streams = helix
        .get(
            "GET /streams",
            BOT,
            helix::streams::GetStreamsRequest::user_logins(&logins[..]),
        )
        .await;
    helix.non_empty("GET /streams", streams.as_ref());
    let broadcasters = [streamer.as_str()];
    let channels = helix
        .get(
            "GET /channels",
            BOT,
            helix::channels::GetChannelInformationRequest::broadcaster_ids(&broadcasters[..]),
        )
        .await;
    helix.non_empty("GET /channels", channels.as_ref());
    let game_ids = ["509658"];
    let games = helix
        .get(
            "GET /games",
            BOT,
            helix::games::GetGamesRequest::ids(&game_ids[..]),
        )
        .await;
    helix.non_empty("GET /games", games.as_ref());
    let top = helix
        .get(
            "GET /games/top",
            BOT,
            helix::games::GetTopGamesRequest::default(),
        )
        .await;
    helix.non_empty("GET /games/top", top.as_ref());
    let found = helix
        .get(
            "GET /search/channels",
            BOT,
            helix::search::SearchChannelsRequest::query("sandbox"),
        )
        .await;
    helix.non_empty("GET /search/channels", found.as_ref());
    let categories = helix
        .get(
            "GET /search/categories",
            BOT,
            helix::search::SearchCategoriesRequest::query("just"),
        )
        .await;
    helix.non_empty("GET /search/categories", categories.as_ref());

    let followers = helix
        .get(
            "GET /channels/followers",
            STREAMER,
            helix::channels::GetChannelFollowersRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    helix.non_empty("GET /channels/followers", followers.as_ref());
    let followed = helix
        .get(
            "GET /channels/followed",
            VIEWER,
            helix::channels::GetFollowedChannels::user_id(viewer.as_str()),
        )
        .await;
    helix.non_empty("GET /channels/followed", followed.as_ref());
    let vips = helix
        .get(
            "GET /channels/vips",
            STREAMER,
            helix::channels::GetVipsRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    helix.non_empty("GET /channels/vips", vips.as_ref());
    let moderators = helix
        .get(
            "GET /moderation/moderators",
            STREAMER,
            helix::moderation::GetModeratorsRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    helix.non_empty("GET /moderation/moderators", moderators.as_ref());
    let banned = helix
        .get(
            "GET /moderation/banned",
            STREAMER,
            helix::moderation::GetBannedUsersRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    helix.non_empty("GET /moderation/banned", banned.as_ref());
    let terms = helix
        .get(
            "GET /moderation/blocked_terms",
            BOT,
            helix::moderation::get_blocked_terms::GetBlockedTermsRequest::new(
                streamer.as_str(),
                bot.as_str(),
            ),
        )
        .await;
    helix.non_empty("GET /moderation/blocked_terms", terms.as_ref());

    helix
        .get(
            "GET /chat/chatters",
            STREAMER,
            helix::chat::GetChattersRequest::new(streamer.as_str(), streamer.as_str()),
        )
        .await;
    let color_ids = [viewer.as_str()];
    helix
        .get(
            "GET /chat/color",
            VIEWER,
            helix::chat::GetUserChatColorRequest::user_ids(&color_ids[..]),
        )
        .await;
    helix
        .get(
            "GET /chat/settings",
            BOT,
            helix::chat::GetChatSettingsRequest::broadcaster_id(streamer.as_str())
                .moderator_id(bot.as_str()),
        )
        .await;
    let global_badges = helix
        .get(
            "GET /chat/badges/global",
            BOT,
            helix::chat::GetGlobalChatBadgesRequest::new(),
        )
        .await;
    helix.non_empty("GET /chat/badges/global", global_badges.as_ref());
    helix
        .get(
            "GET /chat/badges",
            BOT,
            helix::chat::GetChannelChatBadgesRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    helix
        .get(
            "GET /chat/emotes",
            BOT,
            helix::chat::GetChannelEmotesRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    let global_emotes = helix
        .get(
            "GET /chat/emotes/global",
            BOT,
            helix::chat::GetGlobalEmotesRequest::default(),
        )
        .await;
    helix.non_empty("GET /chat/emotes/global", global_emotes.as_ref());
    let cheermotes = helix
        .get(
            "GET /bits/cheermotes",
            BOT,
            helix::bits::GetCheermotesRequest::new(),
        )
        .await;
    helix.non_empty("GET /bits/cheermotes", cheermotes.as_ref());

    let clips = helix
        .get(
            "GET /clips",
            BOT,
            helix::clips::GetClipsRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    helix.non_empty("GET /clips", clips.as_ref());
    helix
        .get(
            "GET /videos",
            BOT,
            helix::videos::GetVideosRequest::user_id(streamer.as_str()),
        )
        .await;
    let subscribers = helix
        .get(
            "GET /subscriptions",
            STREAMER,
            helix::subscriptions::GetBroadcasterSubscriptionsRequest::broadcaster_id(
                streamer.as_str(),
            ),
        )
        .await;
    helix.non_empty("GET /subscriptions", subscribers.as_ref());
    let check_ids = [viewer.as_str()];
    helix
        .get(
            "GET /subscriptions/user",
            VIEWER,
            helix::subscriptions::CheckUserSubscriptionRequest::broadcaster_id(streamer.as_str())
                .user_ids(&check_ids[..]),
        )
        .await;
    helix
        .get(
            "GET /teams/channel",
            BOT,
            helix::teams::get_channel_teams::GetChannelTeamsRequest::broadcaster_id(
                streamer.as_str(),
            ),
        )
        .await;
    let polls = helix
        .get(
            "GET /polls",
            STREAMER,
            helix::polls::GetPollsRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    helix.non_empty("GET /polls", polls.as_ref());
    let predictions = helix
        .get(
            "GET /predictions",
            STREAMER,
            helix::predictions::GetPredictionsRequest::broadcaster_id(streamer.as_str()),
        )
        .await;
    helix.non_empty("GET /predictions", predictions.as_ref());

    assert!(
        helix.problems.is_empty(),
        "twitch_api could not read the sandbox:\n{}",
        helix.problems.join("\n")
    );
}
