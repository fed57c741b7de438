//! singyeong (svc-mesh): DSNs and inbound gateway packets.

pub(crate) fn dsn(data: &[u8]) {
    let Some(text) = crate::text(data) else {
        return;
    };
    if let Ok(dsn) = svc_mesh::Dsn::parse(text) {
        let _ = dsn.http_base_url();
    }
}

pub(crate) fn packet(data: &[u8]) {
    let Some(text) = crate::text(data) else {
        return;
    };
    let _ = svc_mesh::decode_inbound(text);
}
