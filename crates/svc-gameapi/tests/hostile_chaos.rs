//! The Clash sandbox in chaos mode (`sandbox::chaos`): every hostile HTTP behaviour, one
//! test each, over real sockets with a paused clock. Each ends in a typed error (or, for
//! numbers, a clamped answer), never a panic; bodies stay within the client's cap; no key
//! or password shows in the error; and once the chaos is cleared the next call succeeds.

mod common;

use std::error::Error as _;
use std::fmt::Write as _;

use sandbox::chaos::Chaos;
use sandbox::clash::{DEFAULT_EMAIL, DEFAULT_PASSWORD};
use svc_gameapi::ErrorKind;

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

/// Asks for the main clan with `chaos` on, then clears it and checks the client works
/// again (a clan and a player it has not cached). The hostile call's error, if any.
async fn hostile_then_healed(chaos: Chaos) -> Option<svc_gameapi::Error> {
    let setup = common::sandbox().await;
    let client = setup.client().await;
    let clan = setup.control.main_clan();
    let member = setup.control.main_members()[0].clone();
    setup.control.chaos().on(chaos);
    let hostile = client.clan(&clan).await;
    setup.control.chaos().clear();
    let error = hostile.err();
    if let Some(error) = &error {
        assert!(
            !shown(error).contains(&setup.key),
            "the key leaks into {error:?}"
        );
    }
    let player = client
        .player(&member)
        .await
        .expect("the next call succeeds");
    assert_eq!(player.tag.as_str(), member);
    client
        .clan(&clan)
        .await
        .expect("the clan is served again once the chaos is cleared");
    error
}

#[tokio::test(start_paused = true)]
async fn huge_numbers_are_a_decode_error_or_clamped_and_the_client_recovers() {
    if let Some(error) = hostile_then_healed(Chaos::HugeNumbers).await {
        assert!(
            matches!(error.kind(), ErrorKind::Decode { .. }),
            "{error:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn negative_numbers_are_a_decode_error_or_clamped_and_the_client_recovers() {
    if let Some(error) = hostile_then_healed(Chaos::NegativeNumbers).await {
        assert!(
            matches!(error.kind(), ErrorKind::Decode { .. }),
            "{error:?}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn wrong_type_fields_are_a_decode_error_and_the_client_recovers() {
    let error = hostile_then_healed(Chaos::WrongTypeFields)
        .await
        .expect("a clan of strings does not decode");
    assert!(
        matches!(error.kind(), ErrorKind::Decode { .. }),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_truncated_body_is_a_transport_error_and_the_client_recovers() {
    let error = hostile_then_healed(Chaos::TruncatedBody)
        .await
        .expect("half a body is no answer");
    assert_eq!(error.kind(), &ErrorKind::Transport, "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn an_oversized_body_stops_at_the_cap_and_the_client_recovers() {
    let error = hostile_then_healed(Chaos::OversizedBody)
        .await
        .expect("64 MiB is past the cap");
    assert_eq!(error.kind(), &ErrorKind::Transport, "{error:?}");
    assert!(shown(&error).contains("exceeds"), "{}", shown(&error));
}

#[tokio::test(start_paused = true)]
async fn an_invalid_utf8_body_is_a_decode_error_and_the_client_recovers() {
    let error = hostile_then_healed(Chaos::InvalidUtf8Body)
        .await
        .expect("invalid UTF-8 is no JSON");
    assert!(
        matches!(error.kind(), ErrorKind::Decode { .. }),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_slow_body_times_out_and_the_client_recovers() {
    let error = hostile_then_healed(Chaos::SlowBody)
        .await
        .expect("a byte a second outlasts the request timeout");
    assert_eq!(error.kind(), &ErrorKind::Transport, "{error:?}");
    assert!(shown(&error).contains("timed out"), "{}", shown(&error));
}

/// The developer site in chaos: the login fails with a typed error that shows neither the
/// password nor any key the site answered with.
#[tokio::test(start_paused = true)]
async fn a_hostile_developer_site_leaks_no_credentials() {
    for chaos in [
        Chaos::WrongTypeFields,
        Chaos::TruncatedBody,
        Chaos::InvalidUtf8Body,
        Chaos::OversizedBody,
    ] {
        let setup = common::sandbox().await;
        setup.control.chaos().on(chaos);
        let error = svc_gameapi::Client::builder()
            .base_url(format!("{}/v1", setup.server.base_url()))
            .developer_site(setup.server.base_url())
            .login(DEFAULT_EMAIL, DEFAULT_PASSWORD)
            .build()
            .await
            .expect_err("a hostile developer site is no login");
        let shown = shown(&error);
        assert!(!shown.contains(DEFAULT_PASSWORD), "{chaos}: {shown}");
        assert!(!shown.contains(&setup.key), "{chaos}: {shown}");
        setup.control.chaos().clear();
        svc_gameapi::Client::builder()
            .base_url(format!("{}/v1", setup.server.base_url()))
            .developer_site(setup.server.base_url())
            .login(DEFAULT_EMAIL, DEFAULT_PASSWORD)
            .build()
            .await
            .expect("the login works once the chaos is cleared");
    }
}
