//! One routing-query operation: a comparison on a metadata path, or a logical group.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A comparison operator, compared as `metadata value <op> incoming value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparison {
    /// metadata `==` value.
    #[serde(rename = "$eq")]
    Eq,
    /// metadata `!=` value.
    #[serde(rename = "$ne")]
    Ne,
    /// metadata `>` value.
    #[serde(rename = "$gt")]
    Gt,
    /// metadata `>=` value.
    #[serde(rename = "$gte")]
    Gte,
    /// metadata `<` value.
    #[serde(rename = "$lt")]
    Lt,
    /// metadata `<=` value.
    #[serde(rename = "$lte")]
    Lte,
    /// metadata value is in the incoming list.
    #[serde(rename = "$in")]
    In,
    /// metadata value is not in the incoming list.
    #[serde(rename = "$nin")]
    Nin,
    /// the incoming value is in the metadata list.
    #[serde(rename = "$contains")]
    Contains,
    /// the incoming value is not in the metadata list.
    #[serde(rename = "$ncontains")]
    NotContains,
}

/// A logical operator over nested operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Logical {
    /// Every nested op holds.
    #[serde(rename = "$and")]
    And,
    /// At least one nested op holds.
    #[serde(rename = "$or")]
    Or,
    /// No nested op holds.
    #[serde(rename = "$nor")]
    Nor,
}

/// What a comparison compares against: a literal (`{"value": …}`) or another metadata path
/// of the same client with a default (`{"path": …, "default": …}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Target {
    /// A literal value.
    Value {
        /// The value.
        value: Value,
    },
    /// Another metadata path, with a default when it is missing.
    Path {
        /// The path (starting with `/`).
        path: String,
        /// Used when the path is missing.
        default: Value,
    },
}

/// One operation of a query's `ops` list.
///
/// ```
/// use svc_mesh::QueryOp;
///
/// let op = QueryOp::and([QueryOp::gt("/load", 10), QueryOp::lt("/load", 20)]);
/// assert_eq!(
///     serde_json::to_value(&op).unwrap(),
///     serde_json::json!({"op": "$and", "with": [
///         {"path": "/load", "op": "$gt", "to": {"value": 10}},
///         {"path": "/load", "op": "$lt", "to": {"value": 20}},
///     ]}),
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum QueryOp {
    /// `{"path", "op", "to"}`.
    Compare {
        /// Metadata path, `/key` or `/key/nested/0`.
        path: String,
        /// The operator.
        op: Comparison,
        /// What to compare with.
        to: Target,
    },
    /// `{"op", "with"}`.
    Logical {
        /// The operator.
        op: Logical,
        /// The nested operations.
        with: Vec<QueryOp>,
    },
}

macro_rules! comparisons {
    ($($(#[$doc:meta])* $name:ident => $variant:ident;)*) => {
        impl QueryOp {
            $(
                $(#[$doc])*
                pub fn $name(path: impl Into<String>, value: impl Into<Value>) -> Self {
                    Self::compare(path, Comparison::$variant, value)
                }
            )*
        }
    };
}

comparisons! {
    /// `$eq`: metadata at `path` equals `value`.
    eq => Eq;
    /// `$ne`: metadata at `path` differs from `value`.
    ne => Ne;
    /// `$gt`: metadata at `path` is greater than `value`.
    gt => Gt;
    /// `$gte`: metadata at `path` is greater than or equal to `value`.
    gte => Gte;
    /// `$lt`: metadata at `path` is less than `value`.
    lt => Lt;
    /// `$lte`: metadata at `path` is less than or equal to `value`.
    lte => Lte;
    /// `$contains`: the list at `path` contains `value`.
    contains => Contains;
    /// `$ncontains`: the list at `path` does not contain `value`.
    not_contains => NotContains;
}

impl QueryOp {
    /// A comparison with a literal value.
    pub fn compare(path: impl Into<String>, op: Comparison, value: impl Into<Value>) -> Self {
        Self::Compare {
            path: path.into(),
            op,
            to: Target::Value {
                value: value.into(),
            },
        }
    }

    /// A comparison with another metadata path of the same client.
    pub fn compare_path(
        path: impl Into<String>,
        op: Comparison,
        other: impl Into<String>,
        default: impl Into<Value>,
    ) -> Self {
        Self::Compare {
            path: path.into(),
            op,
            to: Target::Path {
                path: other.into(),
                default: default.into(),
            },
        }
    }

    /// `$in`: metadata at `path` is one of `values`.
    pub fn is_in<V: Into<Value>>(
        path: impl Into<String>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        Self::compare(
            path,
            Comparison::In,
            Value::Array(values.into_iter().map(Into::into).collect()),
        )
    }

    /// `$nin`: metadata at `path` is none of `values`.
    pub fn not_in<V: Into<Value>>(
        path: impl Into<String>,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        Self::compare(
            path,
            Comparison::Nin,
            Value::Array(values.into_iter().map(Into::into).collect()),
        )
    }

    /// `$and` of `ops`.
    pub fn and(ops: impl IntoIterator<Item = QueryOp>) -> Self {
        Self::Logical {
            op: Logical::And,
            with: ops.into_iter().collect(),
        }
    }

    /// `$or` of `ops`.
    pub fn or(ops: impl IntoIterator<Item = QueryOp>) -> Self {
        Self::Logical {
            op: Logical::Or,
            with: ops.into_iter().collect(),
        }
    }

    /// `$nor` of `ops`.
    pub fn nor(ops: impl IntoIterator<Item = QueryOp>) -> Self {
        Self::Logical {
            op: Logical::Nor,
            with: ops.into_iter().collect(),
        }
    }

    /// Checks paths (non-empty, starting with `/`), `$in`/`$nin` lists and non-empty groups.
    pub(crate) fn validate(&self) -> Result<(), String> {
        match self {
            Self::Compare { path, op, to } => {
                check_path(path)?;
                if let Target::Path { path, .. } = to {
                    check_path(path)?;
                }
                if matches!(op, Comparison::In | Comparison::Nin)
                    && matches!(to, Target::Value { value } if !value.is_array())
                {
                    return Err(format!("{path}: $in/$nin need a list value"));
                }
                Ok(())
            }
            Self::Logical { with, .. } if with.is_empty() => {
                Err("a logical op needs at least one nested op".into())
            }
            Self::Logical { with, .. } => with.iter().try_for_each(Self::validate),
        }
    }
}

fn check_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') || path.len() < 2 {
        return Err(format!("path {path:?} must start with `/` and name a key"));
    }
    Ok(())
}
