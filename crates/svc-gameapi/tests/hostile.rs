//! A broken or hostile Clash API and developer site: key answers that fail to decode, a
//! `max-age` of centuries, paging cursors that loop, league groups with endless rounds,
//! and responses large enough to swamp the cache. The sandbox serves each, with some
//! answers replaced; real sockets, paused clock.

mod common;

use std::collections::HashMap;
use std::error::Error as _;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::enc;
use futures_util::StreamExt;
use http::StatusCode;
use http::uri::PathAndQuery;
use sandbox::clash::{Clash, ClashControl, DEFAULT_EMAIL, DEFAULT_PASSWORD};
use sandbox::platform::ResponseFuture;
use sandbox::{Platform, SandboxRequest, Server, response};
use serde_json::{Value, json};
use svc_gameapi::events::EventsClient;
use svc_gameapi::{Client, ClientBuilder, ErrorKind};

/// What the rigged server answers instead of the sandbox.
#[derive(Default)]
struct Rigging {
    /// Path (no query) → JSON answer.
    answers: HashMap<String, Value>,
    /// Every `/v1/clanwarleagues/wars/…` request is served as this war tag's.
    war_alias: Option<String>,
}

/// The Clash sandbox with some answers replaced.
struct Rigged {
    inner: Clash,
    rigging: Arc<Mutex<Rigging>>,
}

impl Platform for Rigged {
    fn name(&self) -> &'static str {
        "rigged-clash"
    }

    fn handle(&self, mut request: SandboxRequest) -> ResponseFuture<'_> {
        let rigging = self.rigging.lock().unwrap();
        if let Some(answer) = rigging.answers.get(request.path()) {
            let answer = response::json(StatusCode::OK, answer);
            return Box::pin(async move { answer });
        }
        if let Some(alias) = &rigging.war_alias
            && request.path().starts_with("/v1/clanwarleagues/wars/")
        {
            let path = format!("/v1/clanwarleagues/wars/{}", enc(alias));
            let mut parts = request.uri.clone().into_parts();
            parts.path_and_query = Some(PathAndQuery::try_from(path).unwrap());
            request.uri = http::Uri::from_parts(parts).unwrap();
        }
        drop(rigging);
        self.inner.handle(request)
    }
}

struct Setup {
    server: Server,
    control: ClashControl,
    key: String,
    rigging: Arc<Mutex<Rigging>>,
}

impl Setup {
    async fn new() -> Self {
        let clash = Clash::new();
        let control = clash.control();
        let key = control.create_key("tests", "127.0.0.1");
        let rigging = Arc::new(Mutex::new(Rigging::default()));
        let server = Server::builder()
            .serve(Rigged {
                inner: clash,
                rigging: Arc::clone(&rigging),
            })
            .await
            .expect("sandbox binds");
        Self {
            server,
            control,
            key,
            rigging,
        }
    }

    fn builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(format!("{}/v1", self.server.base_url()))
            .developer_site(self.server.base_url())
    }

    async fn client(&self) -> Client {
        self.client_with(|builder| builder).await
    }

    async fn client_with(&self, configure: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
        configure(self.builder().key(&self.key))
            .build()
            .await
            .unwrap()
    }

    /// Why a client logging in to the developer site fails to build.
    async fn login_error(&self) -> svc_gameapi::Error {
        self.builder()
            .login(DEFAULT_EMAIL, DEFAULT_PASSWORD)
            .build()
            .await
            .expect_err("the login fails")
    }

    fn answer(&self, path: &str, body: Value) {
        self.rigging
            .lock()
            .unwrap()
            .answers
            .insert(path.to_owned(), body);
    }

    fn requests(&self, prefix: &str) -> usize {
        self.server.log().count(|r| r.path.starts_with(prefix))
    }
}

/// Everything an error shows: `Display`, `Debug` and the whole source chain.
fn shown(error: &svc_gameapi::Error) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = write!(shown, " {cause} {cause:?}");
        source = cause.source();
    }
    shown
}

/// The developer site's answers carry key values: one that fails to decode is reported
/// without quoting any of it.
#[tokio::test(start_paused = true)]
async fn developer_site_answers_are_never_quoted_in_errors() {
    let setup = Setup::new().await;
    let listed = "listed-api-key-value-0123456789";
    setup.answer(
        "/api/apikey/list",
        json!({"keys": [{"key": listed, "id": "k1", "name": "x", "cidrRanges": "not a list"}]}),
    );
    let error = setup.login_error().await;
    assert!(
        matches!(error.kind(), ErrorKind::KeyManager { .. }),
        "{error:?}"
    );
    let text = shown(&error);
    assert!(!text.contains(listed), "{text}");

    let created = "created-api-key-value-9876543210";
    setup.answer("/api/apikey/list", json!({"keys": []}));
    setup.answer(
        "/api/apikey/create",
        json!({"key": {"key": created, "id": 5, "cidrRanges": ["127.0.0.1"]}}),
    );
    let error = setup.login_error().await;
    let text = shown(&error);
    assert!(!text.contains(created), "{text}");
}

/// A max-age of centuries is believed for an hour at most: the answer is fetched again
/// after that, not kept (and never polled) for 68 years.
#[tokio::test(start_paused = true)]
async fn an_absurd_max_age_is_capped_at_an_hour() {
    let setup = Setup::new().await;
    setup.control.set_max_age(Some(u64::MAX));
    let client = setup.client().await;
    let main = setup.control.main_clan();
    let path = format!("/v1/clans/{}", enc(&main));
    client.clan(&main).await.unwrap();
    tokio::time::advance(Duration::from_mins(59)).await;
    client.clan(&main).await.unwrap();
    assert_eq!(setup.requests(&path), 1, "cached within the hour");
    tokio::time::advance(Duration::from_mins(2)).await;
    client.clan(&main).await.unwrap();
    assert_eq!(setup.requests(&path), 2, "fetched again after the cap");
    assert_eq!(svc_gameapi::MAX_CACHE_TTL, Duration::from_hours(1));
}

/// Many large answers keep the cache within its byte cap...
#[tokio::test(start_paused = true)]
async fn large_answers_keep_the_cache_within_its_byte_cap() {
    const CAP: u64 = 64 * 1024;
    let setup = Setup::new().await;
    let client = setup.client_with(|b| b.cache_max_bytes(CAP)).await;
    let mut fetched = 0;
    for tag in setup.control.main_members() {
        fetched += client
            .raw_get(&format!("/players/{}", enc(&tag)))
            .await
            .unwrap()
            .len();
    }
    assert!(
        fetched as u64 > 2 * CAP,
        "the answers would not fit: {fetched} bytes"
    );
    let bytes = client.cached_bytes().await;
    assert!(bytes <= CAP, "{bytes} bytes cached");
    assert!(client.cached_responses().await > 0);
}

/// ...and many small ones within its entry cap.
#[tokio::test(start_paused = true)]
async fn many_answers_keep_the_cache_within_its_entry_cap() {
    let setup = Setup::new().await;
    let client = setup.client_with(|b| b.cache_max_size(Some(5))).await;
    for tag in setup.control.main_members() {
        client.player(&tag).await.unwrap();
    }
    let entries = client.cached_responses().await;
    assert!((1..=5).contains(&entries), "{entries} entries cached");
    assert!(client.cached_bytes().await <= svc_gameapi::DEFAULT_CACHE_MAX_BYTES);
}

/// A paging cursor that repeats ends the stream with an error after the items fetched,
/// instead of an endless stream.
#[tokio::test(start_paused = true)]
async fn a_repeating_paging_cursor_ends_the_stream() {
    let setup = Setup::new().await;
    // Uncached, so the first page is the rigged one too.
    let client = setup.client_with(|b| b.cache_max_size(None)).await;
    let main = setup.control.main_clan();
    let path = format!("/clans/{}/members", enc(&main));
    let mut page: Value =
        serde_json::from_slice(&client.raw_get(&format!("{path}?limit=2")).await.unwrap()).unwrap();
    page["paging"] = json!({"cursors": {"after": "the-same-cursor"}});
    setup.answer(&format!("/v1{path}"), page);
    let items: Vec<_> = client
        .clan_members(&main)
        .limit(2)
        .stream()
        .take(100)
        .collect()
        .await;
    assert_eq!(items.len(), 5, "two pages, then the error: {items:?}");
    assert!(items[..4].iter().all(Result::is_ok));
    let error = items[4].as_ref().unwrap_err();
    assert!(
        matches!(error.kind(), ErrorKind::Decode { .. }),
        "{error:?}"
    );
}

/// The characters of a Clash tag.
const TAG_ALPHABET: &[u8] = b"0289PYLQGRJCUV";

/// A league group listing a hundred rounds of ten wars is followed only as far as a Clan
/// War League goes (seven rounds of four wars): every war tag costs a request each poll.
#[tokio::test(start_paused = true)]
async fn a_league_group_is_followed_only_as_far_as_a_league_goes() {
    let setup = Setup::new().await;
    let main = setup.control.main_clan();
    setup.control.set_war_state(&main, "notInWar");
    let war_tag = setup.control.add_league_round(&main).unwrap();
    let client = setup.client().await;
    let group_path = format!("/clans/{}/currentwar/leaguegroup", enc(&main));
    let mut group: Value =
        serde_json::from_slice(&client.raw_get(&group_path).await.unwrap()).unwrap();
    let tag = |n: usize| {
        let digits: String = [n / 196, (n / 14) % 14, n % 14]
            .iter()
            .map(|d| char::from(TAG_ALPHABET[*d]))
            .collect();
        format!("#YY{digits}")
    };
    group["rounds"] = (0..100)
        .map(|round| json!({"warTags": (0..10).map(|war| tag(round * 10 + war)).collect::<Vec<_>>()}))
        .collect();
    setup.answer(&format!("/v1{group_path}"), group);
    setup.rigging.lock().unwrap().war_alias = Some(war_tag);

    let events = EventsClient::new(client);
    events.add_wars([&main]);
    tokio::time::sleep(Duration::from_secs(30)).await;
    let wars = setup.requests("/v1/clanwarleagues/wars/");
    assert!(wars > 0, "the group was followed");
    assert!(wars <= 7 * 4, "{wars} war requests for one poll");
}
