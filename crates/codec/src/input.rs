//! The personal input of an operation (a name, a mobile number, an ID number), declared once
//! per operation by [`person_input!`]: the struct, its constructor, a `Debug` that masks every
//! field, and the presence check `prepare` runs before building anything.

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
