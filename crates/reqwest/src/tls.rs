//! Which TLS stack reqwest uses and which roots it trusts, per cargo feature.
//!
//! Verification is never disabled: there is deliberately no code path here that calls
//! reqwest's `tls_danger_*` methods.

use crate::builder::ConfigError;

/// Whether this build can speak `https://` at all.
pub(crate) const HTTPS_SUPPORTED: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// Picks the backend (rustls when both features are on) and merges the extra roots with the
/// default trust store.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    roots_pem: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, ConfigError> {
    #[cfg(feature = "rustls")]
    let builder = builder.tls_backend_rustls();
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    let builder = builder.tls_backend_native();

    let mut roots = Vec::new();
    for (index, pem) in roots_pem.iter().enumerate() {
        let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|error| {
            ConfigError::new(format!(
                "root certificate PEM #{} could not be parsed: {}",
                index + 1,
                shiming_codec::redact::describe(&error)
            ))
        })?;
        if certificates.is_empty() {
            return Err(ConfigError::new(format!(
                "root certificate PEM #{} holds no BEGIN CERTIFICATE block",
                index + 1
            )));
        }
        roots.extend(certificates);
    }
    if roots.is_empty() {
        Ok(builder)
    } else {
        // `merge` keeps the platform roots (rustls-platform-verifier's extra roots, or the
        // OpenSSL store) and adds ours; `tls_certs_only` would drop the platform roots.
        Ok(builder.tls_certs_merge(roots))
    }
}

/// Without a TLS feature only plain http works; roots would silently do nothing, so a
/// configuration that names some is refused.
#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    roots_pem: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, ConfigError> {
    if roots_pem.is_empty() {
        Ok(builder)
    } else {
        Err(ConfigError::new(
            "root certificates were given, but shiming-reqwest was built without the \
             `rustls` or `native-tls` feature",
        ))
    }
}
