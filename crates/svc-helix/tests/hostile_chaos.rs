//! The sandbox's Helix and OAuth in chaos mode (`sandbox::chaos`, platform `helix`): every
//! hostile HTTP behaviour against the Helix client and against the token manager's grant,
//! one test each, over real sockets with a paused clock. Each ends in a typed error (or,
//! for numbers, a clamped answer), never a panic; bodies stay within the cap; neither the
//! client secret nor a token shows in the error; once the chaos is cleared the next call
//! succeeds.

use std::error::Error as _;
use std::fmt::Write as _;

use sandbox::Server;
use sandbox::chaos::Chaos;
use sandbox::twitch::{HelixControl, Twitch};
use svc_helix::{ErrorKind, HelixClient, TokenManager};

const CLIENT_ID: &str = "sandbox-client";
const SECRET: &str = "sandbox-secret-0123456789";

async fn sandbox() -> (Server, HelixControl) {
    let twitch = Twitch::new();
    let control = twitch.helix();
    control.add_client(CLIENT_ID, SECRET);
    control.add_user("1", "dallas");
    let server = Server::builder().serve(twitch).await.unwrap();
    (server, control)
}

/// Everything an error shows: `Display`, `Debug` and the whole source chain.
fn shown(error: &svc_helix::Error) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut source = error.source();
    while let Some(cause) = source {
        let _ = write!(shown, " {cause} {cause:?}");
        source = cause.source();
    }
    shown
}

/// A Helix call with `chaos` on, then one once it is cleared (which must succeed). The
/// hostile call's error, if any.
async fn helix_under(chaos: Chaos) -> Option<svc_helix::Error> {
    let (server, control) = sandbox().await;
    let tokens = TokenManager::app(&server.base_url(), CLIENT_ID, SECRET)
        .await
        .unwrap();
    let token = tokens.fresh_token().await.unwrap();
    let helix = HelixClient::new(&format!("{}/helix", server.base_url()), tokens).unwrap();
    control.chaos().on(chaos);
    let hostile = helix.get_users(&[], &["dallas"]).await;
    control.chaos().clear();
    let error = hostile.err();
    if let Some(error) = &error {
        let shown = shown(error);
        assert!(!shown.contains(token.expose()), "{shown}");
        assert!(!shown.contains(SECRET), "{shown}");
    }
    let users = helix
        .get_users(&[], &["dallas"])
        .await
        .expect("the next call succeeds");
    assert_eq!(users.len(), 1);
    error
}

/// The app grant with `chaos` on, then once it is cleared (which must succeed). The
/// hostile grant's error, if any.
async fn grant_under(chaos: Chaos) -> Option<svc_helix::Error> {
    let (server, control) = sandbox().await;
    control.chaos().on(chaos);
    let hostile = TokenManager::app(&server.base_url(), CLIENT_ID, SECRET).await;
    control.chaos().clear();
    let error = match hostile {
        Ok(tokens) => {
            // A clamped lifetime: the token works, and is not renewed on every call.
            tokens.fresh_token().await.expect("the token is usable");
            None
        }
        Err(error) => {
            let shown = shown(&error);
            assert!(!shown.contains(SECRET), "{shown}");
            assert!(!shown.contains("access_token"), "{shown}");
            Some(error)
        }
    };
    let tokens = TokenManager::app(&server.base_url(), CLIENT_ID, SECRET)
        .await
        .expect("the grant works once the chaos is cleared");
    tokens.fresh_token().await.unwrap();
    error
}

fn is_decode(error: Option<&svc_helix::Error>) -> bool {
    error.is_some_and(|e| e.kind() == &ErrorKind::Decode)
}

#[tokio::test(start_paused = true)]
async fn huge_numbers_in_bodies_and_ratelimit_headers_neither_panic_nor_stall() {
    if let Some(error) = helix_under(Chaos::HugeNumbers).await {
        assert_eq!(error.kind(), &ErrorKind::Decode, "{error:?}");
    }
    // `expires_in` of u64::MAX: clamped, the grant works.
    assert!(grant_under(Chaos::HugeNumbers).await.is_none());
}

#[tokio::test(start_paused = true)]
async fn negative_numbers_in_bodies_and_ratelimit_headers_neither_panic_nor_stall() {
    if let Some(error) = helix_under(Chaos::NegativeNumbers).await {
        assert_eq!(error.kind(), &ErrorKind::Decode, "{error:?}");
    }
    // `expires_in` of -1: read as already due, the grant still works.
    assert!(grant_under(Chaos::NegativeNumbers).await.is_none());
}

#[tokio::test(start_paused = true)]
async fn wrong_type_fields_are_a_decode_error() {
    let error = helix_under(Chaos::WrongTypeFields).await;
    assert!(is_decode(error.as_ref()), "{error:?}");
    let error = grant_under(Chaos::WrongTypeFields).await;
    assert!(is_decode(error.as_ref()), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn a_truncated_body_is_a_transport_error() {
    for error in [
        helix_under(Chaos::TruncatedBody).await,
        grant_under(Chaos::TruncatedBody).await,
    ] {
        let error = error.expect("half a body is no answer");
        assert_eq!(error.kind(), &ErrorKind::Transport, "{error:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn an_oversized_body_stops_at_the_cap() {
    for error in [
        helix_under(Chaos::OversizedBody).await,
        grant_under(Chaos::OversizedBody).await,
    ] {
        let error = error.expect("64 MiB is past the cap");
        assert_eq!(error.kind(), &ErrorKind::Transport, "{error:?}");
        assert!(shown(&error).contains("exceeds"), "{}", shown(&error));
    }
}

#[tokio::test(start_paused = true)]
async fn an_invalid_utf8_body_is_a_decode_error() {
    let error = helix_under(Chaos::InvalidUtf8Body).await;
    assert!(is_decode(error.as_ref()), "{error:?}");
    let error = grant_under(Chaos::InvalidUtf8Body).await;
    assert!(is_decode(error.as_ref()), "{error:?}");
}

#[tokio::test(start_paused = true)]
async fn a_slow_body_times_out() {
    for error in [
        helix_under(Chaos::SlowBody).await,
        grant_under(Chaos::SlowBody).await,
    ] {
        let error = error.expect("a byte a second outlasts the request timeout");
        assert_eq!(error.kind(), &ErrorKind::Transport, "{error:?}");
        assert!(shown(&error).contains("timed out"), "{}", shown(&error));
    }
}
