//! [`ClanSearch`]: the filters of `GET /clans`.

/// Filters for [`Client::search_clans`](crate::Client::search_clans). The API wants at
/// least one filter, and a name of at least three characters.
///
/// ```
/// let search = svc_gameapi::ClanSearch::new().name("royal").min_members(10).label_ids([56_000_000]);
/// # let _ = search;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct ClanSearch {
    name: Option<String>,
    war_frequency: Option<String>,
    location_id: Option<u64>,
    min_members: Option<u32>,
    max_members: Option<u32>,
    min_clan_points: Option<u32>,
    min_clan_level: Option<u32>,
    label_ids: Vec<u64>,
}

impl ClanSearch {
    /// No filters yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Name contains this (at least 3 characters).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// War frequency (`always`, `moreThanOncePerWeek`, …).
    pub fn war_frequency(mut self, frequency: impl Into<String>) -> Self {
        self.war_frequency = Some(frequency.into());
        self
    }

    /// Location id.
    pub fn location_id(mut self, id: u64) -> Self {
        self.location_id = Some(id);
        self
    }

    /// At least this many members.
    pub fn min_members(mut self, n: u32) -> Self {
        self.min_members = Some(n);
        self
    }

    /// At most this many members.
    pub fn max_members(mut self, n: u32) -> Self {
        self.max_members = Some(n);
        self
    }

    /// At least this many clan points.
    pub fn min_clan_points(mut self, n: u32) -> Self {
        self.min_clan_points = Some(n);
        self
    }

    /// At least this clan level.
    pub fn min_clan_level(mut self, n: u32) -> Self {
        self.min_clan_level = Some(n);
        self
    }

    /// Has all these labels.
    pub fn label_ids(mut self, ids: impl IntoIterator<Item = u64>) -> Self {
        self.label_ids = ids.into_iter().collect();
        self
    }

    pub(crate) fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        let mut push = |name: &'static str, value: Option<String>| {
            if let Some(value) = value {
                params.push((name, value));
            }
        };
        push("name", self.name.clone());
        push("warFrequency", self.war_frequency.clone());
        push("locationId", self.location_id.map(|v| v.to_string()));
        push("minMembers", self.min_members.map(|v| v.to_string()));
        push("maxMembers", self.max_members.map(|v| v.to_string()));
        push("minClanPoints", self.min_clan_points.map(|v| v.to_string()));
        push("minClanLevel", self.min_clan_level.map(|v| v.to_string()));
        if !self.label_ids.is_empty() {
            push(
                "labelIds",
                Some(
                    self.label_ids
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            );
        }
        params
    }
}
