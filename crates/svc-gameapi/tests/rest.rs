//! The REST client against the Clash sandbox: endpoints, tags, errors, cache, paging,
//! throttling.

mod common;

use std::time::Duration;

use common::{enc, sandbox};
use futures_util::StreamExt;
use svc_gameapi::{ClanSearch, ErrorKind, Reason};

#[tokio::test(start_paused = true)]
async fn clan_by_sloppy_tag() {
    let setup = sandbox().await;
    let client = setup.client().await;
    let main = setup.control.main_clan();
    let sloppy = format!(
        "  {} ",
        main.trim_start_matches('#')
            .to_lowercase()
            .replace('0', "o")
    );
    let clan = client.clan(&sloppy).await.expect("clan");
    assert_eq!(clan.tag.as_str(), main);
    assert_eq!(clan.member_list.len(), 50);
    assert_eq!(clan.members, 50);
    assert!(clan.description.is_some());
    // Without correction the tag goes out as typed (still URL-encoded) and is not found.
    let strict = setup.builder().correct_tags(false).build().await.unwrap();
    let error = strict.clan(&sloppy).await.unwrap_err();
    assert_eq!(error.reason(), Some(&Reason::NotFound));
    assert_eq!(strict.clan(&main).await.unwrap().tag.as_str(), main);
    // Sent as %23TAG.
    assert_eq!(setup.requests_to(&format!("/v1/clans/{}", enc(&main))), 2);
}

#[tokio::test(start_paused = true)]
async fn every_endpoint_answers() {
    let setup = sandbox().await;
    let client = setup.client().await;
    let main = setup.control.main_clan();
    let member = setup.control.main_members()[0].clone();

    let war = client.current_war(&main).await.unwrap();
    assert_eq!(war.team_size, 15);
    assert!(!war.attacks().is_empty());
    assert!(war.start_time.unwrap() > war.preparation_start_time.unwrap());
    let log = client.war_log(&main).await.unwrap();
    assert_eq!(log.items.len(), 25);
    let group = client.league_group(&main).await.unwrap();
    assert_eq!(group.clans.len(), 8);
    let war_tag = group.rounds[0].drawn().next().unwrap().clone();
    let league_war = client.league_war(war_tag.as_str()).await.unwrap();
    assert_eq!(league_war.tag.as_ref(), Some(&war_tag));
    let raids = client.capital_raid_seasons(&main).limit(2).await.unwrap();
    assert_eq!(raids.items.len(), 2);
    assert!(raids.paging.cursors.after.is_some());

    let player = client.player(&member).await.unwrap();
    assert_eq!(player.tag.as_str(), member);
    assert!(!player.troops.is_empty() && !player.achievements.is_empty());
    assert_eq!(player.clan.unwrap().tag.as_str(), main);
    setup.control.set_player_token(&member, "t0ken");
    assert!(
        client
            .verify_player_token(&member, "t0ken")
            .await
            .unwrap()
            .is_ok()
    );
    assert!(
        !client
            .verify_player_token(&member, "wrong")
            .await
            .unwrap()
            .is_ok()
    );
}

#[tokio::test(start_paused = true)]
async fn league_location_and_misc_endpoints() {
    let setup = sandbox().await;
    let client = setup.client().await;
    let leagues = client.leagues().await.unwrap();
    assert_eq!(leagues.items.len(), 9);
    assert_eq!(
        client.league(leagues.items[8].id).await.unwrap().name,
        "Legend League"
    );
    assert_eq!(
        client.league_seasons(29_000_008).await.unwrap().items.len(),
        4
    );
    assert!(
        !client
            .league_season_rankings(29_000_008, "2023-12")
            .limit(5)
            .await
            .unwrap()
            .items
            .is_empty()
    );
    let war_leagues = client.war_leagues().await.unwrap();
    assert_eq!(
        client.war_league(war_leagues.items[1].id).await.unwrap(),
        war_leagues.items[1]
    );
    let capital = client.capital_leagues().await.unwrap();
    assert_eq!(
        client.capital_league(capital.items[0].id).await.unwrap(),
        capital.items[0]
    );
    let builder = client.builder_base_leagues().await.unwrap();
    assert_eq!(
        client
            .builder_base_league(builder.items[0].id)
            .await
            .unwrap(),
        builder.items[0]
    );

    let locations = client.locations().await.unwrap();
    let finland = locations
        .items
        .iter()
        .find(|l| l.name == "Finland")
        .unwrap();
    assert!(finland.is_country);
    assert_eq!(client.location(finland.id).await.unwrap(), *finland);
    let clans = client.clan_rankings(finland.id).limit(10).await.unwrap();
    assert_eq!(clans.items.len(), 10);
    assert!(
        clans
            .items
            .windows(2)
            .all(|w| w[0].clan_points >= w[1].clan_points)
    );
    assert_eq!(
        client
            .player_rankings(finland.id)
            .limit(3)
            .await
            .unwrap()
            .items[0]
            .rank,
        1
    );
    assert_eq!(
        client
            .clan_builder_base_rankings(finland.id)
            .limit(3)
            .await
            .unwrap()
            .items
            .len(),
        3
    );
    assert_eq!(
        client
            .player_builder_base_rankings(finland.id)
            .limit(3)
            .await
            .unwrap()
            .items
            .len(),
        3
    );
    assert_eq!(
        client
            .capital_rankings(finland.id)
            .limit(3)
            .await
            .unwrap()
            .items
            .len(),
        3
    );

    let pass = client.gold_pass().await.unwrap();
    assert!(pass.end_time > pass.start_time);
    assert_eq!(client.clan_labels().await.unwrap().items.len(), 4);
    assert_eq!(client.player_labels().await.unwrap().items.len(), 4);
}

#[tokio::test(start_paused = true)]
async fn search_filters_and_validation() {
    let setup = sandbox().await;
    let client = setup.client().await;
    let all = client
        .search_clans(&ClanSearch::new().min_members(1))
        .await
        .unwrap();
    assert_eq!(all.items.len(), 40);
    let big = client
        .search_clans(&ClanSearch::new().min_members(10))
        .await
        .unwrap();
    assert_eq!(big.items.len(), 1);
    assert!(
        big.items[0].member_list.is_empty(),
        "search results carry no member list"
    );
    let labelled = client
        .search_clans(&ClanSearch::new().label_ids([56_000_000]))
        .limit(5)
        .await
        .unwrap();
    assert_eq!(labelled.items.len(), 5);
    let error = client
        .search_clans(&ClanSearch::new().name("ab"))
        .await
        .unwrap_err();
    assert_eq!(error.reason(), Some(&Reason::BadRequest));
    let error = client.search_clans(&ClanSearch::new()).await.unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::Api { status: 400, .. }));
}

#[tokio::test(start_paused = true)]
async fn typed_errors() {
    let setup = sandbox().await;
    let client = setup.client().await;
    let error = client.clan("#2222222").await.unwrap_err();
    assert!(
        matches!(
            error.kind(),
            ErrorKind::Api {
                status: 404,
                reason: Reason::NotFound,
                ..
            }
        ),
        "{error:?}"
    );

    let stranger = setup.builder().build().await.unwrap();
    drop(stranger);
    let wrong_key = svc_gameapi::Client::builder()
        .base_url(format!("{}/v1", setup.server.base_url()))
        .key("not-a-key")
        .build()
        .await
        .unwrap();
    let error = wrong_key.player("#2PP").await.unwrap_err();
    assert_eq!(error.reason(), Some(&Reason::AccessDenied));

    setup.control.set_caller_ip("203.0.113.9");
    let error = client.player("#2PP").await.unwrap_err();
    assert_eq!(error.reason(), Some(&Reason::InvalidIp));
    assert!(
        !error.to_string().contains(&setup.key),
        "keys never appear in errors"
    );
    setup.control.set_caller_ip("127.0.0.1");

    setup.control.set_maintenance(true);
    let error = client.leagues().await.unwrap_err();
    assert_eq!(error.reason(), Some(&Reason::InMaintenance));
    // Maintenance lasts minutes: not retried at once.
    assert_eq!(setup.requests_to("/v1/leagues"), 1);
    setup.control.set_maintenance(false);
    assert!(client.leagues().await.is_ok());

    // Other 5xx are retried with backoff: two failures, then success on the third try.
    setup.control.fail_next(2);
    let started = tokio::time::Instant::now();
    assert!(client.war_leagues().await.is_ok());
    assert_eq!(setup.requests_to("/v1/warleagues"), 3);
    assert!(started.elapsed() >= Duration::from_millis(250 + 500));
    setup.control.fail_next(3);
    let error = client.capital_leagues().await.unwrap_err();
    assert_eq!(error.reason(), Some(&Reason::UnknownException));
    assert_eq!(setup.requests_to("/v1/capitalleagues"), 3);
}

#[tokio::test(start_paused = true)]
async fn cached_until_max_age() {
    let setup = sandbox().await;
    let client = setup.client().await;
    let main = setup.control.main_clan();
    let path = format!("/v1/clans/{}", enc(&main));
    client.clan(&main).await.unwrap();
    tokio::time::advance(Duration::from_secs(119)).await;
    client.clan(&main).await.unwrap();
    assert_eq!(
        setup.requests_to(&path),
        1,
        "a second call within max-age is served from the cache"
    );
    assert_eq!(client.cached_responses().await, 1);
    tokio::time::advance(Duration::from_secs(1)).await;
    client.clan(&main).await.unwrap();
    assert_eq!(
        setup.requests_to(&path),
        2,
        "after max-age the API is asked again"
    );

    let uncached = setup.builder().cache_max_size(None).build().await.unwrap();
    uncached.clan(&main).await.unwrap();
    uncached.clan(&main).await.unwrap();
    assert_eq!(setup.requests_to(&path), 4);
}

#[tokio::test(start_paused = true)]
async fn paging_streams_across_pages() {
    let setup = sandbox().await;
    let client = setup.client().await;
    let main = setup.control.main_clan();
    let first = client.clan_members(&main).limit(7).await.unwrap();
    assert_eq!(first.items.len(), 7);
    let after = first.paging.cursors.after.clone().unwrap();
    let second = client
        .clan_members(&main)
        .limit(7)
        .after(after)
        .await
        .unwrap();
    assert_eq!(second.items[0].clan_rank, 8);
    let back = client
        .clan_members(&main)
        .limit(7)
        .before(second.paging.cursors.before.unwrap())
        .await
        .unwrap();
    assert_eq!(back.items, first.items);

    let members: Vec<_> = client.clan_members(&main).limit(7).stream().collect().await;
    assert_eq!(members.len(), 50);
    let ranks: Vec<u32> = members.into_iter().map(|m| m.unwrap().clan_rank).collect();
    assert_eq!(ranks, (1..=50).collect::<Vec<_>>());
}

#[tokio::test(start_paused = true)]
async fn ten_times_oversubscribed_sees_no_429() {
    let setup = sandbox().await;
    let client = setup.builder().cache_max_size(None).build().await.unwrap();
    let members = setup.control.main_members();
    // 10 req/s per key by default (the sandbox allows 30); ask for 300 at once.
    let calls = (0..300).map(|i| {
        let client = client.clone();
        let tag = members[i % members.len()].clone();
        tokio::spawn(async move { client.player(&tag).await })
    });
    let started = tokio::time::Instant::now();
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().expect("every call succeeds");
    }
    assert_eq!(setup.control.throttled(), 0, "no request was throttled");
    assert_eq!(
        setup
            .server
            .log()
            .count(|r| r.path.starts_with("/v1/players/")),
        300
    );
    assert!(
        started.elapsed() >= Duration::from_secs(9),
        "{:?}",
        started.elapsed()
    );
}

/// When each of `count` sequential calls to `call` returned, from the first call's start.
async fn send_times<F: std::future::Future<Output = ()>>(
    count: usize,
    mut call: impl FnMut() -> F,
) -> Vec<Duration> {
    let started = tokio::time::Instant::now();
    let mut times = Vec::with_capacity(count);
    for _ in 0..count {
        call().await;
        times.push(started.elapsed());
    }
    times
}

#[tokio::test(start_paused = true)]
async fn default_throttle_is_ten_per_second_per_key_and_configurable() {
    let setup = sandbox().await;
    let main = setup.control.main_clan();
    assert_eq!(svc_gameapi::DEFAULT_THROTTLE_LIMIT, 10);
    let default = setup.builder().cache_max_size(None).build().await.unwrap();
    let times = send_times(21, || async { drop(default.clan(&main).await.unwrap()) }).await;
    // One request every 100 ms: ten fit in the first second, the 21st starts at 2 s.
    assert!(times[9] < Duration::from_secs(1), "{:?}", times[9]);
    assert!(times[10] >= Duration::from_secs(1), "{:?}", times[10]);
    assert!(times[20] >= Duration::from_secs(2), "{:?}", times[20]);
    assert!(times[20] < Duration::from_millis(2100), "{:?}", times[20]);

    let faster = setup
        .builder()
        .cache_max_size(None)
        .throttle_limit(20)
        .build()
        .await
        .unwrap();
    let times = send_times(21, || async { drop(faster.clan(&main).await.unwrap()) }).await;
    assert!(times[19] < Duration::from_secs(1), "{:?}", times[19]);
    assert!(times[20] >= Duration::from_secs(1), "{:?}", times[20]);
    assert!(times[20] < Duration::from_millis(1100), "{:?}", times[20]);
    assert_eq!(setup.control.throttled(), 0);
}

#[tokio::test(start_paused = true)]
async fn unthrottled_client_meets_429s_typed() {
    let setup = sandbox().await;
    setup.control.set_rate_limit(5);
    let client = setup
        .builder()
        .cache_max_size(None)
        .throttle_limit(1000)
        .retry(1, Duration::ZERO)
        .build()
        .await
        .unwrap();
    let members = setup.control.main_members();
    let mut throttled = 0;
    for tag in members.iter().take(20) {
        match client.player(tag).await {
            Ok(_) => {}
            Err(error) => {
                assert_eq!(error.reason(), Some(&Reason::RequestThrottled), "{error:?}");
                throttled += 1;
            }
        }
    }
    assert!(throttled > 0);
    assert!(setup.control.throttled() > 0);
}
