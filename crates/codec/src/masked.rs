//! Structs that carry personal data, declared with the [`crate::mask`] function their `Debug`
//! shows each personal field through, so the masking stands next to the field it protects:
//!
//! - [`person_input!`]: an operation's input (a name, a mobile number, an ID number), with its
//!   constructor and the presence check `prepare` runs before building anything;
//! - [`answer_details!`]: what a vendor answers besides the verdict, every field optional.

/// Declares an operation's input struct of `String` fields, each with the [`crate::mask`]
/// function its `Debug` shows it through:
///
/// ```text
/// person_input! {
///     /// Doc of the struct.
///     pub struct MobileStatus("ihuyi::MobileStatus") {
///         /// Doc of the field.
///         mobile (masked by mask::mobile),
///     }
///     /// Doc of `new`, which takes the fields in this order.
///     fn new;
/// }
/// ```
///
/// It also writes `require_fields`, which refuses the first empty or control-character field
/// in declaration order ([`crate::form::require`]), so every operation checks its input alike.
macro_rules! person_input {
    (
        $(#[$meta:meta])*
        pub struct $name:ident($debug_name:literal) {
            $( $(#[$field_meta:meta])* $field:ident (masked by $mask:path), )+
        }
        $(#[$new_meta:meta])*
        fn new;
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: String, )+
        }

        impl $name {
            $(#[$new_meta])*
            pub fn new($($field: impl Into<String>),+) -> Self {
                $name { $($field: $field.into()),+ }
            }

            /// Refuses the first missing or malformed field, in declaration order.
            fn require_fields(&self) -> Result<(), crate::error::BuildError> {
                $( crate::form::require(stringify!($field), &self.$field)?; )+
                Ok(())
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct($debug_name)
                    $( .field(stringify!($field), &$mask(&self.$field)) )+
                    .finish()
            }
        }
    };
}

pub(crate) use person_input;

/// Declares the details of an answer: a public struct of `Option<String>` fields (`Clone`,
/// `Default`, `PartialEq`, `Eq`, `Serialize`), whose `Debug` shows a field given
/// `(masked by f)` as `field.as_deref().map(f)` and any other as it is, and whose
/// `texts_mut` hands out every field (for scrubbing):
///
/// ```text
/// answer_details! {
///     /// Doc of the struct.
///     pub struct QxtDetails {
///         /// Doc of the field.
///         mobile (masked by mask::mobile),
///         /// Doc of the field.
///         area,
///     }
/// }
/// ```
macro_rules! answer_details {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident $((masked by $mask:expr))?, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Default, PartialEq, Eq, serde::Serialize)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: Option<String>, )+
        }

        impl $name {
            /// Every text of the answer, for a scrubber that must reach them all.
            pub fn texts_mut(&mut self) -> Vec<&mut Option<String>> {
                vec![$( &mut self.$field ),+]
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $( .field(
                        stringify!($field),
                        $crate::masked::shown!(self.$field $(, $mask)?),
                    ) )+
                    .finish()
            }
        }
    };
}

pub(crate) use answer_details;

/// How [`answer_details!`]'s `Debug` shows one field: as it is, or through its mask.
macro_rules! shown {
    ($value:expr) => {
        &$value
    };
    ($value:expr, $mask:expr) => {
        &$value.as_deref().map($mask)
    };
}

pub(crate) use shown;
