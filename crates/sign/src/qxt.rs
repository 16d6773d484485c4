//! QXT (企讯通): no signature, the apikey travels as a parameter.
//!
//! `qxt-phone-two-elements.txt` (section 1.2, the parameter table) lists `apikey` as a plain
//! request parameter next to `mobile` and `name`; there is nothing to hash. This module exists
//! so that every vendor's credential handling lives in one crate.
//!
//! ```
//! use shiming_sign::{Secret, qxt};
//!
//! let apikey = Secret::new("7c11272au708345c834b8ue81ac78972");
//! let (name, value) = qxt::apikey_param(&apikey);
//! assert_eq!(name, "apikey");
//! assert_eq!(value, apikey.expose());
//! ```

use crate::secret::Secret;

/// The name of the parameter that carries the apikey.
pub const APIKEY_PARAM: &str = "apikey";

/// The `apikey` request parameter as a `(name, value)` pair. The value is the secret itself:
/// send it, never log it.
pub fn apikey_param(apikey: &Secret) -> (&'static str, &str) {
    (APIKEY_PARAM, apikey.expose())
}
