//! One setting's value, below both the settings (`config`) and the vendor tables
//! (`vendors`), which both use it: the secret wrapper, the endpoint rule and the error that
//! names the setting at fault.

use serde::Deserialize;
use std::fmt;

/// A secret read from a flag, variable or file: never shown by Debug.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Hidden(pub(crate) String);

impl Hidden {
    /// The secret itself, for handing to the signer. Never log it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl<'de> Deserialize<'de> for Hidden {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_string(HiddenVisitor)
    }
}

/// Accepts a string only. serde's default refusals quote the value (``invalid type:
/// integer `123` ``); a secret typed without quotes is still a secret, so these name the
/// type alone.
struct HiddenVisitor;

impl HiddenVisitor {
    fn refuse<E: serde::de::Error>(&self, what: &str) -> E {
        E::invalid_type(serde::de::Unexpected::Other(what), self)
    }
}

/// Visitor methods that refuse a scalar by its type alone (serde's defaults would quote it).
macro_rules! refuse_scalars {
    ($($method:ident($scalar:ty) => $what:literal,)*) => {
        $(
            fn $method<E: serde::de::Error>(self, _: $scalar) -> Result<Hidden, E> {
                Err(self.refuse($what))
            }
        )*
    };
}

impl serde::de::Visitor<'_> for HiddenVisitor {
    type Value = Hidden;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string in quotes (the value is a secret and is not shown)")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Hidden, E> {
        Ok(Hidden(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Hidden, E> {
        Ok(Hidden(v))
    }

    refuse_scalars! {
        visit_bool(bool) => "boolean",
        visit_i64(i64) => "integer",
        visit_i128(i128) => "integer",
        visit_u64(u64) => "integer",
        visit_u128(u128) => "integer",
        visit_f64(f64) => "floating point number",
    }
}

/// Why the settings could not be resolved. Always names the file or variable at fault.
#[derive(Debug)]
pub(crate) struct ConfigError(pub(crate) String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An endpoint is a base URL: scheme and host, optionally a path prefix, no query.
pub(crate) fn check_endpoint(what: &str, url: &str) -> Result<(), ConfigError> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') && !url.contains('?') => Ok(()),
        _ => Err(ConfigError(format!(
            "{what} must be a base URL like https://host[:port][/prefix], not `{url}`"
        ))),
    }
}
