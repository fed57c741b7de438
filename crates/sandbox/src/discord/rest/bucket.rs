//! Which rate-limit bucket a request falls in, derived from its path as Discord does.

use http::Method;

/// The rate-limit bucket of a route: method, template, major parameter; and the bucket's
/// hash (the same for every major parameter).
pub(super) fn bucket(method: &Method, segments: &[&str]) -> (String, String) {
    let major_kinds = ["channels", "guilds", "webhooks"];
    let mut template = Vec::with_capacity(segments.len());
    let mut major = String::new();
    for (index, segment) in segments.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| segments[i]);
        if index == 1 && major_kinds.contains(&segments[0]) {
            (*segment).clone_into(&mut major);
            template.push("{major}");
        } else if previous == Some("reactions") {
            template.push("{emoji}");
        } else if segment.bytes().all(|b| b.is_ascii_digit())
            || (segments[0] == "webhooks" && index == 2)
            || (segments[0] == "interactions" && index == 2)
        {
            template.push("{id}");
        } else {
            template.push(segment);
        }
    }
    let template = format!("{method} /{}", template.join("/"));
    let hash = format!("{:016x}", fnv(&template));
    (format!("{template}:{major}"), hash)
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
