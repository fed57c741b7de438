//! Turning borrowed typed messages into `'static` ones, field by field.

use std::borrow::Cow;

use crate::irc::{TagValue, Tags};

/// A value that can be turned into a `'static` copy of itself.
pub(crate) trait IntoStatic {
    type Static: 'static;
    fn into_static(self) -> Self::Static;
}

impl IntoStatic for Cow<'_, str> {
    type Static = Cow<'static, str>;
    fn into_static(self) -> Cow<'static, str> {
        Cow::Owned(self.into_owned())
    }
}

impl IntoStatic for TagValue<'_> {
    type Static = TagValue<'static>;
    fn into_static(self) -> TagValue<'static> {
        self.into_owned()
    }
}

impl IntoStatic for Tags<'_> {
    type Static = Tags<'static>;
    fn into_static(self) -> Tags<'static> {
        self.into_owned()
    }
}

impl<T: IntoStatic> IntoStatic for Option<T> {
    type Static = Option<T::Static>;
    fn into_static(self) -> Self::Static {
        self.map(IntoStatic::into_static)
    }
}

macro_rules! copy_into_static {
    ($($ty:ty),*) => {$(
        impl IntoStatic for $ty {
            type Static = $ty;
            fn into_static(self) -> $ty {
                self
            }
        }
    )*};
}
copy_into_static!(bool, u16, u32, u64, i64);

/// Implements `into_owned(self) -> Type<'static>` (and [`IntoStatic`]) for a struct whose
/// fields all implement [`IntoStatic`].
macro_rules! impl_into_owned {
    ($name:ident { $($field:ident),* $(,)? }) => {
        impl $name<'_> {
            /// A copy that owns all its text, to keep past the line it was parsed from.
            pub fn into_owned(self) -> $name<'static> {
                $name { $($field: $crate::message::owned::IntoStatic::into_static(self.$field)),* }
            }
        }

        impl $crate::message::owned::IntoStatic for $name<'_> {
            type Static = $name<'static>;
            fn into_static(self) -> $name<'static> {
                self.into_owned()
            }
        }
    };
}
pub(crate) use impl_into_owned;
