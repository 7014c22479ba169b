//! Macros that stamp out the open enums, id newtypes, request unions and list-query cursors.

/// Defines an open, forward-compatible string enum.
///
/// Each known variant maps to one wire string (plus read-only aliases); any other
/// string decodes to `Unknown(String)` and encodes back unchanged.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know. It keeps the original text and
            /// encodes back to it; do not construct it to send new values.
            Unknown(String),
        }

        impl $name {
            /// Every known variant, in declaration order.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The wire string of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )+
                    $name::Unknown(other) => other,
                }
            }

            /// Reads a wire string, mapping aliases to their variant and anything else to
            /// `Unknown`.
            pub fn from_wire(value: &str) -> Self {
                match value {
                    $( $wire $(| $alias)* => $name::$variant, )+
                    other => $name::Unknown(other.to_owned()),
                }
            }

            /// Whether this is a value the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Unknown(_))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl crate::enums::OpenEnum for $name {
            fn known() -> &'static [Self] {
                $name::KNOWN
            }
            fn unknown(text: String) -> Self {
                $name::Unknown(text)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::from_wire(s))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from_wire(&text))
            }
        }

        #[cfg(feature = "proptest")]
        impl ::proptest::arbitrary::Arbitrary for $name {
            type Parameters = ();
            type Strategy = ::proptest::strategy::BoxedStrategy<Self>;
            fn arbitrary_with((): ()) -> Self::Strategy {
                use ::proptest::strategy::Strategy as _;
                ::proptest::prop_oneof![
                    4 => ::proptest::sample::select($name::KNOWN),
                    1 => "zz_[a-z0-9_]{0,12}".prop_map($name::Unknown),
                ]
                .boxed()
            }
        }

        #[cfg(feature = "arbitrary")]
        impl<'a> ::arbitrary::Arbitrary<'a> for $name {
            fn arbitrary(u: &mut ::arbitrary::Unstructured<'a>) -> ::arbitrary::Result<Self> {
                let index = u.choose_index($name::KNOWN.len() + 1)?;
                match $name::KNOWN.get(index) {
                    Some(known) => Ok(known.clone()),
                    None => {
                        let text: String = u.arbitrary()?;
                        Ok(Self::from_wire(&text))
                    }
                }
            }
        }
    };
}

/// Defines an id newtype for one kind of resource.
macro_rules! resource_id {
    ($(#[$meta:meta])* $name:ident, $field:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps an id after checking that it is non-empty and not `.` or `..`.
            ///
            /// # Errors
            /// Returns a [`ValidationError`](crate::validate::ValidationError) naming the
            /// rule the id breaks.
            pub fn new(id: impl Into<String>) -> Result<Self, crate::validate::ValidationError> {
                let id = id.into();
                crate::validate::validate_id($field, &id)?;
                Ok(Self(id))
            }

            /// The id as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Consumes the id and returns its text.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        #[cfg(feature = "proptest")]
        impl ::proptest::arbitrary::Arbitrary for $name {
            type Parameters = ();
            type Strategy = ::proptest::strategy::BoxedStrategy<Self>;
            fn arbitrary_with((): ()) -> Self::Strategy {
                use ::proptest::strategy::Strategy as _;
                "[a-z]{1,4}_[0-9a-f]{1,16}".prop_map($name).boxed()
            }
        }

        #[cfg(feature = "arbitrary")]
        impl<'a> ::arbitrary::Arbitrary<'a> for $name {
            fn arbitrary(u: &mut ::arbitrary::Unstructured<'a>) -> ::arbitrary::Result<Self> {
                let text: String = u.arbitrary()?;
                Ok($name(text))
            }
        }
    };
}

/// Defines a request that is a union of variant structs (tagged on `type`): the enum as written,
/// `validate` dispatching to the chosen variant's own `validate`, and a `From` each variant
/// struct.
macro_rules! request_union {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident($ty:ty) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $( $(#[$vmeta])* $variant($ty), )+
        }

        impl $name {
            /// Checks every rule for the chosen variant.
            ///
            /// # Errors
            /// The first [`ValidationError`](crate::validate::ValidationError) found.
            pub fn validate(&self) -> Result<(), crate::validate::ValidationError> {
                match self {
                    $( Self::$variant(r) => r.validate(), )+
                }
            }
        }

        $(
            impl From<$ty> for $name {
                fn from(value: $ty) -> Self {
                    Self::$variant(value)
                }
            }
        )+
    };
}

/// Inside a list query's `impl`: the `limit` and `token` setters every list query has (the
/// struct declares `limit: Option<u32>` and `token: Option<String>`). `(with_token)` adds
/// `with_token`, the same query at another cursor (the struct is `Clone`).
macro_rules! page_cursor_setters {
    () => {
        /// Sets the page size.
        #[must_use]
        pub fn limit(mut self, limit: u32) -> Self {
            self.limit = Some(limit);
            self
        }

        /// Sets the page cursor.
        #[must_use]
        pub fn token(mut self, token: impl Into<String>) -> Self {
            self.token = Some(token.into());
            self
        }
    };
    (with_token) => {
        $crate::macros::page_cursor_setters!();

        /// The same query for the page at `token`.
        #[must_use]
        pub fn with_token(&self, token: impl Into<String>) -> Self {
            self.clone().token(token)
        }
    };
}

/// Builder setters for `Option` fields named like the setter: `name(arg: Type);` stores
/// `Some(arg)`, `name(arg: impl Into<String>) => into;` stores `Some(arg.into())`. Each is
/// `#[must_use]` and documented by the doc comments before it.
macro_rules! option_setters {
    ($($(#[$doc:meta])* $name:ident($arg:ident: $ty:ty) $(=> $conv:ident)?;)*) => {
        $(
            $(#[$doc])*
            #[must_use]
            pub fn $name(mut self, $arg: $ty) -> Self {
                self.$name = Some($arg $(.$conv())?);
                self
            }
        )*
    };
}

pub(crate) use open_enum;
pub(crate) use option_setters;
pub(crate) use page_cursor_setters;
pub(crate) use request_union;
pub(crate) use resource_id;
