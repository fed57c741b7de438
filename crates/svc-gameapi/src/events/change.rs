//! Attribute changes, declared as tables: one line per watched attribute gives its variant,
//! its type, coc.py's name for it and how to read it from a snapshot; the macro writes the
//! enum, its names and the comparison. Adding an attribute is adding a line.

/// A value before and after a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change<T> {
    /// Before.
    pub old: T,
    /// After.
    pub new: T,
}

/// Declares `pub enum $name` over snapshots of `$snapshot`.
///
/// Each line reads `Variant(Type) = "coc_py_name": |snapshot| value;`, or with `if_both`
/// before the colon, `|snapshot| Option<value>`: such an attribute is compared only when
/// both snapshots have it (a player's clan's name, while in a clan). The enum gets
/// `NAMES` (every name, in table order), `name()`, `Display` (`name: old -> new`), and
/// `diff(old, new)`: one change per attribute whose values differ, in table order.
macro_rules! attribute_changes {
    (
        $(#[$meta:meta])*
        pub enum $name:ident over $snapshot:ty {
            $(
                $(#[$variant_meta:meta])*
                $variant:ident($ty:ty) = $key:literal $($both:ident)?: |$s:ident| $get:expr;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $(
                $(#[$variant_meta])*
                $variant($crate::events::Change<$ty>),
            )*
        }

        impl $name {
            /// Every attribute's name, as coc.py spells it, in table order.
            pub const NAMES: &'static [&'static str] = &[$($key),*];

            /// This attribute's name, as coc.py spells it (`ClanEvents.<name>` in coc.py).
            pub fn name(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => $key,)*
                }
            }

            /// Every attribute that differs between `old` and `new`, in table order.
            /// Values are cloned only by the comparison's read of each attribute: snapshots
            /// are compared once per poll, at most once per `max-age`.
            pub(crate) fn diff(old: &$snapshot, new: &$snapshot) -> Vec<Self> {
                let mut changes = Vec::new();
                $(
                    let read = |$s: &$snapshot| -> Option<$ty> {
                        attribute_changes!(@read $($both)? $get)
                    };
                    if let (Some(old), Some(new)) = (read(old), read(new))
                        && old != new
                    {
                        changes.push(Self::$variant($crate::events::Change { old, new }));
                    }
                )*
                changes
            }
        }

        /// `name: old -> new`, values in their `Debug` form (for logs).
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $(Self::$variant(change) => {
                        write!(f, "{}: {:?} -> {:?}", $key, change.old, change.new)
                    })*
                }
            }
        }
    };
    (@read if_both $get:expr) => {
        $get
    };
    (@read $get:expr) => {
        Some($get)
    };
}

pub(crate) use attribute_changes;
