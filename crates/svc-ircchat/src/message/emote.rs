//! Emote positions (`emotes=25:0-4,12-16/1902:6-10`), read lazily.

use std::borrow::Cow;
use std::ops::RangeInclusive;

/// The emotes of a message as sent; iterate with [`Emotes::iter`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Emotes<'a>(pub(crate) Cow<'a, str>);

/// One emote and where it occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emote<'s> {
    /// The emote id (numeric or `emotesv2_…`).
    pub id: &'s str,
    ranges: &'s str,
}

impl<'s> Emote<'s> {
    /// Each occurrence as an inclusive range of *character* (code point) indices into the
    /// message text, as Twitch counts them. Malformed ranges are skipped.
    pub fn ranges(&self) -> impl Iterator<Item = RangeInclusive<usize>> + 's {
        self.ranges.split(',').filter_map(|range| {
            let (start, end) = range.split_once('-')?;
            let (start, end) = (start.parse().ok()?, end.parse().ok()?);
            (start <= end).then_some(start..=end)
        })
    }
}

impl<'a> Emotes<'a> {
    pub(crate) fn borrowed(raw: &'a str) -> Self {
        Self(Cow::Borrowed(raw))
    }

    /// Every emote with its ranges.
    pub fn iter(&self) -> impl Iterator<Item = Emote<'_>> {
        self.0.split('/').filter_map(|emote| {
            let (id, ranges) = emote.split_once(':')?;
            Some(Emote { id, ranges })
        })
    }

    /// Whether the message had no emotes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The list as sent.
    pub fn as_raw(&self) -> &str {
        &self.0
    }

    /// A copy that owns its text.
    pub fn into_owned(self) -> Emotes<'static> {
        Emotes(Cow::Owned(self.0.into_owned()))
    }
}

/// The text an emote range covers (`range` in code points, as [`Emote::ranges`] yields).
pub fn emote_text(text: &str, range: RangeInclusive<usize>) -> Option<&str> {
    let mut indices = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()));
    let start = indices.nth(*range.start())?;
    let end = indices.nth(range.end() - range.start())?;
    text.get(start..end)
}

impl crate::message::owned::IntoStatic for Emotes<'_> {
    type Static = Emotes<'static>;
    fn into_static(self) -> Emotes<'static> {
        self.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emotes_and_text() {
        let emotes = Emotes::borrowed("25:0-4,12-16/1902:6-10");
        let all: Vec<_> = emotes
            .iter()
            .map(|e| (e.id, e.ranges().collect::<Vec<_>>()))
            .collect();
        assert_eq!(all, [("25", vec![0..=4, 12..=16]), ("1902", vec![6..=10])]);
        let text = "Kappa Keepo Kappa";
        assert_eq!(emote_text(text, 6..=10), Some("Keepo"));
        assert_eq!(emote_text("ü Kappa", 2..=6), Some("Kappa"));
        assert_eq!(emote_text("ab", 1..=5), None);
    }
}
