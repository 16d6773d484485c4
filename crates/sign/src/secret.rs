//! [`Secret`]: a credential that never prints and is wiped when dropped.

use std::fmt;

use zeroize::Zeroize;

/// What [`Secret`] (and any signature value that *is* a secret) prints instead of itself.
pub(crate) const MASK: &str = "***";

/// A vendor credential: a wapi secret, an ihuyi APIKEY, a QXT apikey.
///
/// `Debug` and `Display` print `***`, so a `Secret` inside a config struct, an error or a
/// `tracing` field never shows its value. Reading it is explicit: [`Secret::expose`].
///
/// When dropped, the whole heap buffer (its spare capacity included) is overwritten with
/// zeros by `zeroize`. That shortens the time the value lingers in freed memory; it
/// cannot reach copies the caller made before handing the value over.
///
/// The value is kept byte for byte: surrounding whitespace is *not* trimmed, because a
/// vendor would hash it too. (A stray newline from a copy-paste is a classic cause of wapi
/// 10003; see `docs/signing.md`.)
///
/// ```
/// use shiming_sign::Secret;
///
/// let secret = Secret::new("0123456789abcdef0123456789abcdef");
/// assert_eq!(format!("{secret} {secret:?}"), "*** ***");
/// assert_eq!(secret.expose().len(), 32);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    value: String,
}

impl Secret {
    /// Takes ownership of a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
        }
    }

    /// The secret itself, for the one place that must use it (a hasher, a request parameter).
    pub fn expose(&self) -> &str {
        &self.value
    }

    /// Whether the secret is the empty string (a configuration mistake worth reporting early).
    pub fn is_empty(&self) -> bool {
        self.value.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        // `zeroize` overwrites the whole capacity (not just `len`: a string truncated or
        // trimmed before it reached us still holds old bytes past its end), with writes the
        // optimiser may not remove.
        self.value.zeroize();
    }
}
