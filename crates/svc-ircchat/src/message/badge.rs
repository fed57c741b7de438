//! Badges (`badges=moderator/1,subscriber/12`) and badge info, read lazily.

use std::borrow::Cow;

use crate::irc::unescape;

/// A badge list as sent (`name/version,name/version`); iterate with [`Badges::iter`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Badges<'a>(pub(crate) Cow<'a, str>);

/// One badge: `moderator/1` → name `moderator`, version `1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Badge<'s> {
    /// Badge set id: `broadcaster`, `moderator`, `vip`, `subscriber`, `bits`, …
    pub name: &'s str,
    /// Version within the set (for `subscriber` in `badge-info`, the exact months).
    pub version: &'s str,
}

impl<'a> Badges<'a> {
    pub(crate) fn borrowed(raw: &'a str) -> Self {
        Self(Cow::Borrowed(raw))
    }

    /// Every badge in order.
    pub fn iter(&self) -> impl Iterator<Item = Badge<'_>> {
        self.0.split(',').filter(|b| !b.is_empty()).map(|badge| {
            let (name, version) = badge.split_once('/').unwrap_or((badge, ""));
            Badge { name, version }
        })
    }

    /// The version of badge `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|b| b.name == name).map(|b| b.version)
    }

    /// Whether badge `name` is present.
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Whether the badges make the user exempt from the normal chat limits: broadcaster,
    /// moderator or VIP (Twitch then allows 100 messages per 30 s instead of 20).
    pub fn is_privileged(&self) -> bool {
        self.iter()
            .any(|b| matches!(b.name, "broadcaster" | "moderator" | "vip"))
    }

    /// The list as sent.
    pub fn as_raw(&self) -> &str {
        &self.0
    }

    /// Badge info values can hold escapes (`predictions/blue\s1`): this resolves them.
    pub fn unescaped(&self) -> Cow<'_, str> {
        unescape(&self.0)
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Badges<'static> {
        Badges(Cow::Owned(self.0.into_owned()))
    }
}

impl crate::message::owned::IntoStatic for Badges<'_> {
    type Static = Badges<'static>;
    fn into_static(self) -> Badges<'static> {
        self.into_owned()
    }
}
