//! [`CursorTrail`]: follows a server's pagination cursors without going round in circles.
//!
//! A cursor is the server's word on where the next page starts. A broken or hostile server
//! can hand back a cursor it already gave (a loop that never ends), or an enormous one (a
//! request line that grows without bound). The trail refuses both with a typed error, and
//! gives up after [`MAX_PAGES`] pages, more than any real Helix list has.

use std::collections::HashSet;

use crate::{Error, ErrorKind};

/// The longest cursor followed. Helix cursors are opaque base64 of a few dozen to a few
/// hundred bytes.
pub const MAX_CURSOR_LEN: usize = 1024;

/// The most pages one listing follows (a million items at 100 a page).
pub const MAX_PAGES: usize = 10_000;

/// The cursors followed so far in one listing.
///
/// ```
/// use svc_helix::CursorTrail;
///
/// let mut trail = CursorTrail::default();
/// assert_eq!(trail.follow(Some("abc"))?, Some("abc".to_owned()));
/// assert_eq!(trail.follow(Some(""))?, None, "an empty cursor ends the listing");
/// assert!(trail.follow(Some("abc")).is_err(), "a repeated cursor is refused");
/// # Ok::<(), svc_helix::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct CursorTrail {
    seen: HashSet<String>,
}

impl CursorTrail {
    /// After a page that pointed on to `next`: the cursor to fetch next, `None` when the
    /// listing is complete (no cursor, or an empty one), or [`ErrorKind::Decode`] when the
    /// cursor repeats one already followed, is longer than [`MAX_CURSOR_LEN`], or would be
    /// page [`MAX_PAGES`] + 1.
    pub fn follow(&mut self, next: Option<&str>) -> Result<Option<String>, Error> {
        let Some(cursor) = next.filter(|cursor| !cursor.is_empty()) else {
            return Ok(None);
        };
        let refuse = |why: &'static str| {
            tracing::warn!(why, "pagination stopped");
            Err(Error::with_source(ErrorKind::Decode, why))
        };
        if cursor.len() > MAX_CURSOR_LEN {
            return refuse("pagination cursor longer than any real one");
        }
        if self.seen.len() + 1 >= MAX_PAGES {
            return refuse("more pages than any real listing has");
        }
        if !self.seen.insert(cursor.to_owned()) {
            return refuse("pagination cursor repeated: the listing would never end");
        }
        Ok(Some(cursor.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_loops_giants_and_endless_listings() {
        let mut trail = CursorTrail::default();
        assert_eq!(trail.follow(None).unwrap(), None);
        assert_eq!(trail.follow(Some("a")).unwrap().as_deref(), Some("a"));
        assert_eq!(trail.follow(Some("b")).unwrap().as_deref(), Some("b"));
        let error = trail.follow(Some("a")).unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Decode);

        let giant = "x".repeat(MAX_CURSOR_LEN + 1);
        assert!(CursorTrail::default().follow(Some(&giant)).is_err());
        assert!(
            CursorTrail::default()
                .follow(Some(&giant[..MAX_CURSOR_LEN]))
                .is_ok()
        );

        let mut trail = CursorTrail::default();
        for page in 1..MAX_PAGES {
            assert!(trail.follow(Some(&page.to_string())).is_ok(), "page {page}");
        }
        assert!(trail.follow(Some("one more")).is_err());
    }
}
