//! ihuyi in the facade: its APIKEY and its URL secret.

use crate::codec::ihuyi::IhuyiConfig;

/// The account's APIKEY.
pub(super) fn secret(config: &IhuyiConfig) -> &str {
    config.apikey.expose()
}

/// What GET would put in URLs: a static password is the APIKEY itself.
#[cfg(any(feature = "async", feature = "blocking"))]
pub(super) fn url_secret(config: &IhuyiConfig) -> Option<&'static str> {
    use crate::codec::Method;
    use crate::codec::ihuyi::PasswordMode;
    (config.method == Method::Get && config.password == PasswordMode::Static)
        .then_some("the APIKEY (a static `password` is the APIKEY itself)")
}
