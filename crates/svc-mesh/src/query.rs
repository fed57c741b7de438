//! Routing queries (the v2 `target` format) and their builder.

use serde::Serialize;
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::query_op::{Comparison, QueryOp};
use crate::selector::Selector;

/// A routing query: which clients of which application a message goes to.
///
/// Serialises exactly to the wire format:
///
/// ```
/// use svc_mesh::{Query, QueryOp};
///
/// let query = Query::builder("users-service")
///     .eq("/region", "eu")
///     .lte("/load", 0.75)
///     .op(QueryOp::or([QueryOp::contains("/tags", "gpu"), QueryOp::is_in("/tier", ["gold", "silver"])]))
///     .key("user-42")
///     .min("latency")
///     .build()?;
/// assert_eq!(
///     serde_json::to_value(&query).unwrap(),
///     serde_json::json!({
///         "application": "users-service",
///         "restricted": false,
///         "key": "user-42",
///         "droppable": false,
///         "optional": false,
///         "ops": [
///             {"path": "/region", "op": "$eq", "to": {"value": "eu"}},
///             {"path": "/load", "op": "$lte", "to": {"value": 0.75}},
///             {"op": "$or", "with": [
///                 {"path": "/tags", "op": "$contains", "to": {"value": "gpu"}},
///                 {"path": "/tier", "op": "$in", "to": {"value": ["gold", "silver"]}},
///             ]},
///         ],
///         "selector": {"$min": "latency"},
///     }),
/// );
/// # Ok::<(), svc_mesh::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Query {
    #[serde(skip_serializing_if = "Option::is_none")]
    application: Option<String>,
    restricted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    droppable: bool,
    optional: bool,
    ops: Vec<QueryOp>,
    selector: Option<Selector>,
}

impl Query {
    /// A builder for clients of `application`.
    pub fn builder(application: impl Into<String>) -> QueryBuilder {
        QueryBuilder::new(Some(application.into()))
    }

    /// A builder matching clients of every application (used for discovery).
    pub fn any_application() -> QueryBuilder {
        QueryBuilder::new(None)
    }

    /// Every non-restricted client of `application`.
    pub fn application(application: impl Into<String>) -> Self {
        Self::builder(application).build_unchecked()
    }

    /// The one client `client_id` of `application` (switchboard clients publish their id as
    /// the `client_id` metadata key, which is what replies are routed by).
    pub fn client(application: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self::builder(application)
            .eq("/client_id", client_id.into())
            .restricted(true)
            .build_unchecked()
    }

    /// The application queried, if any.
    pub fn application_id(&self) -> Option<&str> {
        self.application.as_deref()
    }

    /// The operations.
    pub fn ops(&self) -> &[QueryOp] {
        &self.ops
    }

    /// The selector, if any.
    pub fn selector(&self) -> Option<&Selector> {
        self.selector.as_ref()
    }

    /// Whether restricted clients may be chosen.
    pub fn allows_restricted(&self) -> bool {
        self.restricted
    }

    /// Whether an unroutable message is dropped silently.
    pub fn is_droppable(&self) -> bool {
        self.droppable
    }

    /// Whether the ops are ignored when nothing matches.
    pub fn is_optional(&self) -> bool {
        self.optional
    }

    /// The consistent-hashing key, if any.
    pub fn hash_key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// The query as a JSON value (what goes into `target`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Builds a [`Query`]; [`build`](Self::build) validates paths and groups.
#[derive(Debug, Clone)]
#[must_use]
pub struct QueryBuilder {
    query: Query,
}

macro_rules! builder_comparisons {
    ($($(#[$doc:meta])* $name:ident;)*) => {
        impl QueryBuilder {
            $(
                $(#[$doc])*
                pub fn $name(self, path: impl Into<String>, value: impl Into<Value>) -> Self {
                    self.op(QueryOp::$name(path, value))
                }
            )*
        }
    };
}

builder_comparisons! {
    /// Adds `$eq`.
    eq;
    /// Adds `$ne`.
    ne;
    /// Adds `$gt`.
    gt;
    /// Adds `$gte`.
    gte;
    /// Adds `$lt`.
    lt;
    /// Adds `$lte`.
    lte;
    /// Adds `$contains`.
    contains;
    /// Adds `$ncontains`.
    not_contains;
}

impl QueryBuilder {
    fn new(application: Option<String>) -> Self {
        Self {
            query: Query {
                application,
                restricted: false,
                key: None,
                droppable: false,
                optional: false,
                ops: Vec::new(),
                selector: None,
            },
        }
    }

    /// Allow restricted-mode clients among the results (default false).
    pub fn restricted(mut self, restricted: bool) -> Self {
        self.query.restricted = restricted;
        self
    }

    /// Consistent-hashing key: the same key goes to the same client while the matching set
    /// does not change.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.query.key = Some(key.into());
        self
    }

    /// Drop the message silently when nothing matches (default: the server answers INVALID).
    pub fn droppable(mut self, droppable: bool) -> Self {
        self.query.droppable = droppable;
        self
    }

    /// When nothing matches, ignore ops and selector and pick any client of the application.
    pub fn optional(mut self, optional: bool) -> Self {
        self.query.optional = optional;
        self
    }

    /// Adds any operation.
    pub fn op(mut self, op: QueryOp) -> Self {
        self.query.ops.push(op);
        self
    }

    /// Adds `$in`.
    pub fn is_in<V: Into<Value>>(
        self,
        path: impl Into<String>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        self.op(QueryOp::is_in(path, values))
    }

    /// Adds `$nin`.
    pub fn not_in<V: Into<Value>>(
        self,
        path: impl Into<String>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        self.op(QueryOp::not_in(path, values))
    }

    /// Adds a comparison against another metadata path.
    pub fn compare_path(
        self,
        path: impl Into<String>,
        op: Comparison,
        other: impl Into<String>,
        default: impl Into<Value>,
    ) -> Self {
        self.op(QueryOp::compare_path(path, op, other, default))
    }

    /// Adds `$and` of `ops`.
    pub fn and(self, ops: impl IntoIterator<Item = QueryOp>) -> Self {
        self.op(QueryOp::and(ops))
    }

    /// Adds `$or` of `ops`.
    pub fn or(self, ops: impl IntoIterator<Item = QueryOp>) -> Self {
        self.op(QueryOp::or(ops))
    }

    /// Adds `$nor` of `ops`.
    pub fn nor(self, ops: impl IntoIterator<Item = QueryOp>) -> Self {
        self.op(QueryOp::nor(ops))
    }

    /// Selects the client with the smallest `key` (only one selector per query: the last wins).
    pub fn min(self, key: impl Into<String>) -> Self {
        self.selector(Selector::Min(key.into()))
    }

    /// Selects the client with the largest `key`.
    pub fn max(self, key: impl Into<String>) -> Self {
        self.selector(Selector::Max(key.into()))
    }

    /// Selects the client whose `key` is closest to the average.
    pub fn avg(self, key: impl Into<String>) -> Self {
        self.selector(Selector::Avg(key.into()))
    }

    /// Sets the selector.
    pub fn selector(mut self, selector: Selector) -> Self {
        self.query.selector = Some(selector);
        self
    }

    /// Validates and returns the query.
    pub fn build(self) -> Result<Query, Error> {
        let invalid = |reason: String| {
            tracing::warn!(%reason, "invalid singyeong query");
            Error::new(ErrorKind::InvalidQuery { reason })
        };
        if self
            .query
            .application
            .as_deref()
            .is_some_and(|a| a.is_empty() || a.contains(char::is_whitespace))
        {
            return Err(invalid(
                "application must be non-empty without whitespace".into(),
            ));
        }
        if let Some(selector) = &self.query.selector
            && (selector.key().is_empty() || selector.key().starts_with('/'))
        {
            return Err(invalid(format!(
                "selector key {:?} must be a plain metadata key",
                selector.key()
            )));
        }
        self.query
            .ops
            .iter()
            .try_for_each(QueryOp::validate)
            .map_err(invalid)?;
        Ok(self.query)
    }

    fn build_unchecked(self) -> Query {
        self.query
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::query_op::Logical;

    fn wire(query: &Query) -> Value {
        serde_json::to_value(query).unwrap()
    }

    #[test]
    fn every_comparison_serialises_with_its_wire_name() {
        let query = Query::builder("app")
            .eq("/a", 1)
            .ne("/b", "x")
            .gt("/c", 1.5)
            .gte("/d", 2)
            .lt("/e", 3)
            .lte("/f", 4)
            .is_in("/g", ["x", "y"])
            .not_in("/h", [1, 2])
            .contains("/i", "tag")
            .not_contains("/j", false)
            .build()
            .unwrap();
        let ops = wire(&query)["ops"].clone();
        let names: Vec<&str> = ops
            .as_array()
            .unwrap()
            .iter()
            .map(|op| op["op"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "$eq",
                "$ne",
                "$gt",
                "$gte",
                "$lt",
                "$lte",
                "$in",
                "$nin",
                "$contains",
                "$ncontains"
            ]
        );
        assert_eq!(
            ops[6],
            json!({"path": "/g", "op": "$in", "to": {"value": ["x", "y"]}})
        );
        assert_eq!(
            ops[9],
            json!({"path": "/j", "op": "$ncontains", "to": {"value": false}})
        );
    }

    #[test]
    fn nested_logic_and_flags() {
        let query = Query::builder("app")
            .nor([QueryOp::and([
                QueryOp::eq("/x", 1),
                QueryOp::or([QueryOp::eq("/y", 2)]),
            ])])
            .restricted(true)
            .droppable(true)
            .optional(true)
            .max("load")
            .build()
            .unwrap();
        assert_eq!(
            wire(&query),
            json!({
                "application": "app",
                "restricted": true,
                "droppable": true,
                "optional": true,
                "ops": [{"op": "$nor", "with": [{"op": "$and", "with": [
                    {"path": "/x", "op": "$eq", "to": {"value": 1}},
                    {"op": "$or", "with": [{"path": "/y", "op": "$eq", "to": {"value": 2}}]},
                ]}]}],
                "selector": {"$max": "load"},
            })
        );
    }

    #[test]
    fn defaults_and_selectors() {
        assert_eq!(
            wire(&Query::application("app")),
            json!({"application": "app", "restricted": false, "droppable": false, "optional": false, "ops": [], "selector": null})
        );
        let avg = Query::builder("a").avg("load").build().unwrap();
        assert_eq!(wire(&avg)["selector"], json!({"$avg": "load"}));
        let min = Query::builder("a").min("load").build().unwrap();
        assert_eq!(wire(&min)["selector"], json!({"$min": "load"}));
        let any = Query::any_application()
            .contains("/tags", "x")
            .build()
            .unwrap();
        assert!(wire(&any).get("application").is_none());
    }

    #[test]
    fn path_targets_serialise() {
        let query = Query::builder("a")
            .compare_path("/used", Comparison::Lt, "/limit", 100)
            .build()
            .unwrap();
        assert_eq!(
            wire(&query)["ops"][0],
            json!({"path": "/used", "op": "$lt", "to": {"path": "/limit", "default": 100}})
        );
    }

    #[test]
    fn invalid_queries_are_typed_errors() {
        for builder in [
            Query::builder("a").eq("key", 1),
            Query::builder("a").eq("/", 1),
            Query::builder("a").op(QueryOp::Logical {
                op: Logical::And,
                with: vec![],
            }),
            Query::builder("a").op(QueryOp::compare("/x", Comparison::In, 3)),
            Query::builder("has space"),
            Query::builder("a").min("/load"),
            Query::builder("a").and([QueryOp::eq("nested-without-slash", 1)]),
        ] {
            let error = builder.build().unwrap_err();
            assert!(
                matches!(error.kind(), ErrorKind::InvalidQuery { .. }),
                "{error}"
            );
        }
    }

    #[test]
    fn ops_round_trip_through_serde() {
        let op = QueryOp::or([
            QueryOp::is_in("/x", [1, 2]),
            QueryOp::compare_path("/a", Comparison::Gte, "/b", 0),
        ]);
        let text = serde_json::to_string(&op).unwrap();
        let back: QueryOp = serde_json::from_str(&text).unwrap();
        assert_eq!(back, op);
    }
}
