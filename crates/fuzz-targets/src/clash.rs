//! Clash of Clans (svc-gameapi): API timestamps and the developer site's JWT.

use svc_gameapi::Timestamp;

pub(crate) fn timestamp(data: &[u8]) {
    let Some(text) = crate::text(data) else {
        return;
    };
    if let Some(parsed) = Timestamp::parse(text) {
        let shown = parsed.to_string();
        assert_eq!(
            Timestamp::parse(&shown),
            Some(parsed),
            "{text:?} shows as {shown:?}"
        );
    }
}

pub(crate) fn jwt_ip(data: &[u8]) {
    let Some(text) = crate::text(data) else {
        return;
    };
    let _ = svc_gameapi::ip_from_token(text);
}
