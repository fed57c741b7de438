//! Twitch Helix REST client and OAuth token handling, shared by both Twitch crates.
//!
//! Today it holds the token type both chat and EventSub use, [`AccessToken`], whose value
//! never appears in `Debug`, `Display` or logs.
//!
//! ```
//! let token = svc_helix::AccessToken::new("abc");
//! assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod token;

pub use token::AccessToken;
