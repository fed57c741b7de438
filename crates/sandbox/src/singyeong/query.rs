//! The routing-query evaluator, written against `serde_json` values only (it shares no code
//! with any client): parse the `target` JSON, then select matching clients.
//!
//! Semantics (PROTOCOL.md, "신경 node queries"):
//! - `application` filters by app id (absent: every app); restricted clients are excluded
//!   unless `restricted` is true.
//! - every op must hold; `$and`/`$or`/`$nor` nest. An op on a path the client does not have
//!   is false (for `$ne`/`$nin` too), so a missing key never matches by accident.
//! - ordering compares numbers with numbers, strings with strings (semantic-version order
//!   when the metadata key has type `version`), booleans with booleans; anything else is false.
//! - `$contains`/`$ncontains` look into lists (and map keys).
//! - `optional`: no match ⇒ the ops and selector are ignored.
//! - a selector (`$min`, `$max`, `$avg` over a numeric key) keeps one client.

use std::cmp::Ordering;
use std::collections::HashMap;

use serde_json::{Map, Value};

/// One client's routing view: application, restriction, metadata and its types.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientRecord {
    /// Application id.
    pub app_id: String,
    /// Client id.
    pub client_id: String,
    /// Restricted mode.
    pub restricted: bool,
    /// Bare metadata values.
    pub metadata: Map<String, Value>,
    /// Metadata type names (`string`, `integer`, `version`, …) per key.
    pub types: HashMap<String, String>,
}

/// Why a query was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid query: {0}")]
pub struct QueryError(pub String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CmpOp {
    Eq,
    Ne,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Nin,
    Contains,
    NotContains,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LogicOp {
    And,
    Or,
    Nor,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    Value(Value),
    Path(Vec<String>, Value),
}

#[derive(Debug, Clone, PartialEq)]
enum Op {
    Compare {
        path: Vec<String>,
        op: CmpOp,
        to: Operand,
    },
    Logic {
        op: LogicOp,
        with: Vec<Op>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SelectorKind {
    Min,
    Max,
    Avg,
}

/// A parsed routing query.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    application: Option<String>,
    restricted: bool,
    key: Option<String>,
    droppable: bool,
    optional: bool,
    ops: Vec<Op>,
    selector: Option<(SelectorKind, String)>,
}

impl Query {
    /// Parses the wire JSON.
    ///
    /// ```
    /// use sandbox::singyeong::query::Query;
    ///
    /// let query = Query::parse(&serde_json::json!({
    ///     "application": "app",
    ///     "ops": [{"path": "/load", "op": "$lt", "to": {"value": 5}}],
    /// })).unwrap();
    /// assert_eq!(query.application(), Some("app"));
    /// assert!(Query::parse(&serde_json::json!({"ops": [{"path": "load", "op": "$eq", "to": {"value": 1}}]})).is_err());
    /// ```
    pub fn parse(json: &Value) -> Result<Self, QueryError> {
        let object = json
            .as_object()
            .ok_or_else(|| QueryError("a query is a JSON object".into()))?;
        let ops = match object.get("ops") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(ops)) => ops.iter().map(parse_op).collect::<Result<_, _>>()?,
            Some(_) => return Err(QueryError("ops must be a list".into())),
        };
        let selector = match object.get("selector") {
            None | Some(Value::Null) => None,
            Some(Value::Object(selector)) => {
                let (name, key) = selector
                    .iter()
                    .next()
                    .ok_or_else(|| QueryError("empty selector".into()))?;
                let kind = match name.as_str() {
                    "$min" => SelectorKind::Min,
                    "$max" => SelectorKind::Max,
                    "$avg" => SelectorKind::Avg,
                    other => return Err(QueryError(format!("unknown selector {other}"))),
                };
                let key = key
                    .as_str()
                    .ok_or_else(|| QueryError("selector key must be a string".into()))?;
                Some((kind, key.trim_start_matches('/').to_owned()))
            }
            Some(_) => return Err(QueryError("selector must be an object".into())),
        };
        Ok(Self {
            application: object
                .get("application")
                .and_then(Value::as_str)
                .map(str::to_owned),
            restricted: coerce_bool(object.get("restricted")),
            key: object.get("key").and_then(Value::as_str).map(str::to_owned),
            droppable: coerce_bool(object.get("droppable")),
            optional: coerce_bool(object.get("optional")),
            ops,
            selector,
        })
    }

    /// The application filter.
    pub fn application(&self) -> Option<&str> {
        self.application.as_deref()
    }

    /// The consistent-hashing key.
    pub fn hash_key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// Whether an unroutable message is dropped silently.
    pub fn droppable(&self) -> bool {
        self.droppable
    }

    /// Whether `client` passes the application, restriction and ops (not the selector).
    pub fn matches(&self, client: &ClientRecord) -> bool {
        self.in_scope(client) && self.ops.iter().all(|op| eval(op, client))
    }

    fn in_scope(&self, client: &ClientRecord) -> bool {
        self.application
            .as_deref()
            .is_none_or(|app| app == client.app_id)
            && (self.restricted || !client.restricted)
    }

    /// The clients the query selects, in input order (one client when a selector is set).
    pub fn select<'a, I>(&self, clients: I) -> Vec<&'a ClientRecord>
    where
        I: IntoIterator<Item = &'a ClientRecord>,
        I::IntoIter: Clone,
    {
        let clients = clients.into_iter();
        let matched: Vec<&ClientRecord> = clients.clone().filter(|c| self.matches(c)).collect();
        if matched.is_empty() && self.optional {
            // Optional: rerun as though there were no ops or selector.
            return clients.filter(|c| self.in_scope(c)).collect();
        }
        match &self.selector {
            None => matched,
            Some((kind, key)) => select_one(*kind, key, &matched).into_iter().collect(),
        }
    }
}

fn coerce_bool(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Bool(true)))
        || matches!(value, Some(Value::String(s)) if s == "true")
}

fn parse_path(path: Option<&Value>) -> Result<Vec<String>, QueryError> {
    let path = path
        .and_then(Value::as_str)
        .ok_or_else(|| QueryError("path: must be a string".into()))?;
    let rest = path
        .strip_prefix('/')
        .filter(|rest| !rest.is_empty())
        .ok_or_else(|| QueryError(format!("path: must start with `/`, got: '{path}'")))?;
    Ok(rest.split('/').map(str::to_owned).collect())
}

fn parse_op(json: &Value) -> Result<Op, QueryError> {
    let name = json
        .get("op")
        .and_then(Value::as_str)
        .ok_or_else(|| QueryError("op: missing".into()))?;
    let logic = match name {
        "$and" => Some(LogicOp::And),
        "$or" => Some(LogicOp::Or),
        "$nor" => Some(LogicOp::Nor),
        _ => None,
    };
    if let Some(op) = logic {
        let with = json
            .get("with")
            .and_then(Value::as_array)
            .ok_or_else(|| QueryError(format!("{name}: `with` must be a list")))?;
        return Ok(Op::Logic {
            op,
            with: with.iter().map(parse_op).collect::<Result<_, _>>()?,
        });
    }
    let op = match name {
        "$eq" => CmpOp::Eq,
        "$ne" => CmpOp::Ne,
        "$gt" => CmpOp::Gt,
        "$gte" => CmpOp::Gte,
        "$lt" => CmpOp::Lt,
        "$lte" => CmpOp::Lte,
        "$in" => CmpOp::In,
        "$nin" => CmpOp::Nin,
        "$contains" => CmpOp::Contains,
        "$ncontains" => CmpOp::NotContains,
        other => return Err(QueryError(format!("unknown op {other}"))),
    };
    let path = parse_path(json.get("path"))?;
    let to = json
        .get("to")
        .and_then(Value::as_object)
        .ok_or_else(|| QueryError("to: must be an object".into()))?;
    let to = if let Some(value) = to.get("value") {
        Operand::Value(value.clone())
    } else if to.contains_key("path") {
        Operand::Path(
            parse_path(to.get("path"))?,
            to.get("default").cloned().unwrap_or(Value::Null),
        )
    } else {
        return Err(QueryError("to: needs `value` or `path`".into()));
    };
    Ok(Op::Compare { path, op, to })
}

fn resolve<'a>(metadata: &'a Map<String, Value>, path: &[String]) -> Option<&'a Value> {
    let (first, rest) = path.split_first()?;
    let mut value = metadata.get(first)?;
    for segment in rest {
        value = match value {
            Value::Object(map) => map.get(segment)?,
            Value::Array(list) => list.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(value)
}

fn eval(op: &Op, client: &ClientRecord) -> bool {
    match op {
        Op::Logic {
            op: LogicOp::And,
            with,
        } => with.iter().all(|o| eval(o, client)),
        Op::Logic {
            op: LogicOp::Or,
            with,
        } => with.iter().any(|o| eval(o, client)),
        Op::Logic {
            op: LogicOp::Nor,
            with,
        } => !with.iter().any(|o| eval(o, client)),
        Op::Compare { path, op, to } => {
            let Some(actual) = resolve(&client.metadata, path) else {
                return false;
            };
            let expected = match to {
                Operand::Value(value) => value,
                Operand::Path(other, default) => {
                    resolve(&client.metadata, other).unwrap_or(default)
                }
            };
            let version =
                path.len() == 1 && client.types.get(&path[0]).is_some_and(|t| t == "version");
            compare(*op, actual, expected, version)
        }
    }
}

fn compare(op: CmpOp, actual: &Value, expected: &Value, version: bool) -> bool {
    match op {
        CmpOp::Eq => json_eq(actual, expected),
        CmpOp::Ne => !json_eq(actual, expected),
        CmpOp::Gt => order(actual, expected, version) == Some(Ordering::Greater),
        CmpOp::Gte => matches!(
            order(actual, expected, version),
            Some(Ordering::Greater | Ordering::Equal)
        ),
        CmpOp::Lt => order(actual, expected, version) == Some(Ordering::Less),
        CmpOp::Lte => matches!(
            order(actual, expected, version),
            Some(Ordering::Less | Ordering::Equal)
        ),
        CmpOp::In => expected
            .as_array()
            .is_some_and(|list| list.iter().any(|v| json_eq(actual, v))),
        CmpOp::Nin => expected
            .as_array()
            .is_some_and(|list| !list.iter().any(|v| json_eq(actual, v))),
        CmpOp::Contains => contains(actual, expected) == Some(true),
        CmpOp::NotContains => contains(actual, expected) == Some(false),
    }
}

fn contains(container: &Value, item: &Value) -> Option<bool> {
    match container {
        Value::Array(list) => Some(list.iter().any(|v| json_eq(v, item))),
        Value::Object(map) => Some(item.as_str().is_some_and(|key| map.contains_key(key))),
        _ => None,
    }
}

/// Equality where `1 == 1.0`, like the Erlang `==` the server uses.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}

fn order(a: &Value, b: &Value, version: bool) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
        },
        (Value::String(x), Value::String(y)) if version => Some(
            semver::Version::parse(x)
                .ok()?
                .cmp(&semver::Version::parse(y).ok()?),
        ),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn select_one<'a>(
    kind: SelectorKind,
    key: &str,
    clients: &[&'a ClientRecord],
) -> Option<&'a ClientRecord> {
    let scored: Vec<(&ClientRecord, f64)> = clients
        .iter()
        .filter_map(|c| Some((*c, c.metadata.get(key)?.as_f64()?)))
        .collect();
    let by = |a: &(&ClientRecord, f64), b: &(&ClientRecord, f64)| a.1.total_cmp(&b.1);
    match kind {
        SelectorKind::Min => scored.iter().min_by(|a, b| by(a, b)).map(|(c, _)| *c),
        SelectorKind::Max => scored.iter().max_by(|a, b| by(a, b)).map(|(c, _)| *c),
        SelectorKind::Avg => {
            let average = scored.iter().map(|(_, v)| v).sum::<f64>() / scored.len().max(1) as f64;
            scored
                .iter()
                .min_by(|a, b| (a.1 - average).abs().total_cmp(&(b.1 - average).abs()))
                .map(|(c, _)| *c)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn client(
        id: &str,
        restricted: bool,
        metadata: &Value,
        types: &[(&str, &str)],
    ) -> ClientRecord {
        ClientRecord {
            app_id: "app".into(),
            client_id: id.into(),
            restricted,
            metadata: metadata.as_object().cloned().unwrap_or_default(),
            types: types
                .iter()
                .map(|(k, t)| ((*k).to_owned(), (*t).to_owned()))
                .collect(),
        }
    }

    fn ids(query: &Value, clients: &[ClientRecord]) -> Vec<String> {
        Query::parse(query)
            .unwrap()
            .select(clients)
            .into_iter()
            .map(|c| c.client_id.clone())
            .collect()
    }

    fn fleet() -> Vec<ClientRecord> {
        vec![
            client(
                "a",
                false,
                &json!({"load": 1, "region": "eu", "tags": ["gpu"], "v": "1.2.0", "cfg": {"deep": [5, 6]}}),
                &[("v", "version")],
            ),
            client(
                "b",
                false,
                &json!({"load": 5.5, "region": "us", "tags": [], "v": "1.10.0"}),
                &[("v", "version")],
            ),
            client(
                "c",
                false,
                &json!({"load": 9, "region": "eu", "tags": ["gpu", "ssd"], "v": "0.9.0"}),
                &[("v", "version")],
            ),
            client("r", true, &json!({"load": 0, "region": "eu"}), &[]),
        ]
    }

    fn op(path: &str, op: &str, value: &Value) -> Value {
        json!({"application": "app", "ops": [{"path": path, "op": op, "to": {"value": value}}]})
    }

    #[test]
    fn comparisons() {
        let fleet = fleet();
        assert_eq!(ids(&op("/region", "$eq", &json!("eu")), &fleet), ["a", "c"]);
        assert_eq!(ids(&op("/region", "$ne", &json!("eu")), &fleet), ["b"]);
        assert_eq!(ids(&op("/load", "$gt", &json!(5)), &fleet), ["b", "c"]);
        assert_eq!(ids(&op("/load", "$gte", &json!(9.0)), &fleet), ["c"]);
        assert_eq!(ids(&op("/load", "$lt", &json!(5.5)), &fleet), ["a"]);
        assert_eq!(ids(&op("/load", "$lte", &json!(5.5)), &fleet), ["a", "b"]);
        assert_eq!(
            ids(&op("/region", "$in", &json!(["us", "ap"])), &fleet),
            ["b"]
        );
        assert_eq!(
            ids(&op("/region", "$nin", &json!(["us"])), &fleet),
            ["a", "c"]
        );
        assert_eq!(
            ids(&op("/tags", "$contains", &json!("gpu")), &fleet),
            ["a", "c"]
        );
        assert_eq!(
            ids(&op("/tags", "$ncontains", &json!("ssd")), &fleet),
            ["a", "b"]
        );
        assert_eq!(
            ids(&op("/v", "$gt", &json!("1.3.0")), &fleet),
            ["b"],
            "versions order semantically"
        );
        assert_eq!(ids(&op("/cfg/deep/1", "$eq", &json!(6)), &fleet), ["a"]);
        assert_eq!(
            ids(&op("/missing", "$ne", &json!(1)), &fleet),
            Vec::<String>::new()
        );
        assert_eq!(
            ids(&op("/region", "$gt", &json!(3)), &fleet),
            Vec::<String>::new(),
            "mixed types never order"
        );
    }

    #[test]
    fn logic_selectors_and_flags() {
        let fleet = fleet();
        let and = json!({"application": "app", "ops": [{"op": "$and", "with": [
            {"path": "/load", "op": "$gt", "to": {"value": 0}}, {"path": "/load", "op": "$lt", "to": {"value": 6}}]}]});
        assert_eq!(ids(&and, &fleet), ["a", "b"]);
        let or = json!({"application": "app", "ops": [{"op": "$or", "with": [
            {"path": "/region", "op": "$eq", "to": {"value": "us"}}, {"path": "/load", "op": "$eq", "to": {"value": 9}}]}]});
        assert_eq!(ids(&or, &fleet), ["b", "c"]);
        let nor = json!({"application": "app", "ops": [{"op": "$nor", "with": [
            {"path": "/region", "op": "$eq", "to": {"value": "us"}}]}]});
        assert_eq!(ids(&nor, &fleet), ["a", "c"]);
        for (selector, expected) in [("$min", "a"), ("$max", "c"), ("$avg", "b")] {
            assert_eq!(
                ids(
                    &json!({"application": "app", "selector": {selector: "load"}}),
                    &fleet
                ),
                [expected],
                "{selector}"
            );
        }
        assert_eq!(
            ids(
                &json!({"application": "app", "restricted": true, "selector": {"$min": "load"}}),
                &fleet
            ),
            ["r"]
        );
        let impossible = op("/region", "$eq", &json!("mars"));
        assert!(ids(&impossible, &fleet).is_empty());
        let mut optional = impossible.clone();
        optional["optional"] = json!(true);
        assert_eq!(ids(&optional, &fleet), ["a", "b", "c"]);
        assert_eq!(
            ids(&json!({"application": "other"}), &fleet),
            Vec::<String>::new()
        );
        let path_target = json!({"application": "app", "ops": [{"path": "/load", "op": "$lt", "to": {"path": "/limit", "default": 2}}]});
        assert_eq!(ids(&path_target, &fleet), ["a"]);
    }

    #[test]
    fn malformed_queries_are_errors() {
        for bad in [
            json!([]),
            json!({"ops": {}}),
            json!({"ops": [{"op": "$what", "path": "/x", "to": {"value": 1}}]}),
            json!({"ops": [{"op": "$and"}]}),
            json!({"ops": [{"op": "$eq", "path": "", "to": {"value": 1}}]}),
            json!({"ops": [{"op": "$eq", "path": "/x", "to": 1}]}),
            json!({"selector": {"$median": "x"}}),
        ] {
            assert!(Query::parse(&bad).is_err(), "{bad}");
        }
    }
}
