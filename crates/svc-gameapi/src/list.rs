//! [`ListRequest`]: a list endpoint with paging (`limit`, `after`, `before`), awaited for
//! one page or streamed item by item across pages.

use std::collections::{HashSet, VecDeque};
use std::fmt::Write as _;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use futures_core::Stream;

use crate::model::{ApiObject, Page};
use crate::{Client, Error, ErrorKind};

/// A request for one of the API's lists. `.await` it for one [`Page`], or call
/// [`stream`](Self::stream) for every item, following `paging.cursors.after`.
///
/// ```no_run
/// # async fn run(client: svc_gameapi::Client) -> Result<(), svc_gameapi::Error> {
/// use futures_util::StreamExt;
///
/// let first = client.clan_members("#2PP").limit(10).await?;
/// println!("{} members on the first page", first.items.len());
/// let mut all = std::pin::pin!(client.clan_members("#2PP").limit(10).stream());
/// while let Some(member) = all.next().await {
///     println!("{}", member?.name);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a list request does nothing until awaited or streamed"]
pub struct ListRequest<T> {
    client: Client,
    path: String,
    query: Vec<(&'static str, String)>,
    limit: Option<u32>,
    after: Option<String>,
    before: Option<String>,
    _item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for ListRequest<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListRequest")
            .field("path", &self.path)
            .field("query", &self.query)
            .field("limit", &self.limit)
            .field("after", &self.after)
            .field("before", &self.before)
            .finish_non_exhaustive()
    }
}

impl<T: ApiObject> ListRequest<T> {
    pub(crate) fn new(client: &Client, path: String) -> Self {
        Self {
            client: client.clone(),
            path,
            query: Vec::new(),
            limit: None,
            after: None,
            before: None,
            _item: PhantomData,
        }
    }

    pub(crate) fn param(mut self, name: &'static str, value: String) -> Self {
        self.query.push((name, value));
        self
    }

    /// At most `limit` items per page.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Start after this cursor.
    pub fn after(mut self, cursor: impl Into<String>) -> Self {
        self.after = Some(cursor.into());
        self.before = None;
        self
    }

    /// End before this cursor.
    pub fn before(mut self, cursor: impl Into<String>) -> Self {
        self.before = Some(cursor.into());
        self.after = None;
        self
    }

    /// The path and query as sent (and cached).
    fn target(&self) -> String {
        let mut pairs: Vec<(&str, &str)> =
            self.query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let limit = self.limit.map(|l| l.to_string());
        if let Some(limit) = &limit {
            pairs.push(("limit", limit));
        }
        if let Some(after) = &self.after {
            pairs.push(("after", after));
        }
        if let Some(before) = &self.before {
            pairs.push(("before", before));
        }
        if pairs.is_empty() {
            return self.path.clone();
        }
        let query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{k}={}", encode_query(v)))
            .collect();
        format!("{}?{}", self.path, query.join("&"))
    }

    /// Fetches one page.
    pub async fn send(self) -> Result<Page<T>, Error> {
        self.client.get(&self.target()).await
    }

    /// Every item from this page on, fetching the next page when the current one runs out.
    /// A cursor the API already gave (a listing that would never end), one longer than
    /// [`MAX_CURSOR_LEN`], or a page past [`MAX_PAGES`] ends the stream with
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) after the items already fetched.
    pub fn stream(self) -> impl Stream<Item = Result<T, Error>> + Send + 'static {
        struct State<T> {
            request: Option<ListRequest<T>>,
            buffered: VecDeque<T>,
            followed: HashSet<String>,
            failed: Option<Error>,
        }
        let state = State {
            request: Some(self),
            buffered: VecDeque::new(),
            followed: HashSet::new(),
            failed: None,
        };
        futures_util::stream::unfold(state, |mut state| async move {
            loop {
                if let Some(item) = state.buffered.pop_front() {
                    return Some((Ok(item), state));
                }
                if let Some(error) = state.failed.take() {
                    return Some((Err(error), state));
                }
                let request = state.request.take()?;
                let client = request.client.clone();
                let mut next = ListRequest {
                    client,
                    path: request.path.clone(),
                    query: request.query.clone(),
                    limit: request.limit,
                    after: None,
                    before: None,
                    _item: PhantomData,
                };
                match request.send().await {
                    Ok(page) => {
                        state.buffered.extend(page.items);
                        if let Some(after) = page.paging.cursors.after.filter(|c| !c.is_empty()) {
                            match refused_cursor(&mut state.followed, &after) {
                                None => {
                                    next.after = Some(after);
                                    state.request = Some(next);
                                }
                                Some(why) => {
                                    tracing::warn!(why, "paging stopped");
                                    state.failed = Some(Error::new(ErrorKind::Decode {
                                        snippet: why.to_owned(),
                                    }));
                                }
                            }
                        }
                    }
                    Err(error) => return Some((Err(error), state)),
                }
            }
        })
    }
}

impl<T: ApiObject> IntoFuture for ListRequest<T> {
    type Output = Result<Page<T>, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The longest `after` cursor a stream follows; the API's are a few dozen characters.
pub const MAX_CURSOR_LEN: usize = 1024;
/// The most pages one stream follows.
pub const MAX_PAGES: usize = 10_000;

/// Why the stream must not follow `cursor` (it repeats, is too long, or is one page too
/// many), or `None`, remembering it.
fn refused_cursor(followed: &mut HashSet<String>, cursor: &str) -> Option<&'static str> {
    if cursor.len() > MAX_CURSOR_LEN {
        return Some("paging cursor longer than any real one");
    }
    if followed.len() + 1 >= MAX_PAGES {
        return Some("more pages than any real listing has");
    }
    (!followed.insert(cursor.to_owned()))
        .then_some("paging cursor repeated: the listing would never end")
}

/// Percent-encodes a query value (cursors are base64 with `=`; names have spaces).
pub(crate) fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}
