//! Which TLS stack reqwest uses and which roots it trusts, per cargo feature.
//!
//! Verification is never disabled: there is deliberately no code path here that calls
//! reqwest's `tls_danger_*` methods.

use shiming_transport::ConfigError;

/// Whether this build can speak `https://` at all.
pub(crate) const HTTPS_SUPPORTED: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// rustls with ring (the one crypto provider of the tree) and Mozilla's roots plus the extra
/// ones, built here and handed to reqwest whole: reqwest's own rustls setup would need a
/// process-wide default provider or aws-lc-rs.
#[cfg(feature = "rustls")]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    roots_pem: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, ConfigError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    use std::sync::Arc;

    let mut roots = rustls::RootCertStore::empty();
    // Mozilla's set, as ureq trusts it: the same verdict from both transports on any host.
    let (_, unparsable) =
        roots.add_parsable_certificates(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned());
    debug_assert_eq!(unparsable, 0, "webpki-root-certs ships parsable roots");
    for (index, pem) in roots_pem.iter().enumerate() {
        let before = roots.len();
        for der in CertificateDer::pem_slice_iter(pem) {
            let der = der.map_err(|error| unparsable_pem(index, &error))?;
            roots
                .add(der)
                .map_err(|error| unparsable_pem(index, &error))?;
        }
        if roots.len() == before {
            return Err(no_certificate(index));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| ConfigError::new(format!("TLS could not be set up: {error}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(builder.tls_backend_preconfigured(config))
}

/// The platform library, with the extra roots merged into its store.
#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
pub(crate) fn configure(
    builder: reqwest::ClientBuilder,
    roots_pem: &[Vec<u8>],
) -> Result<reqwest::ClientBuilder, ConfigError> {
    let builder = builder.tls_backend_native();
    let mut roots = Vec::new();
    for (index, pem) in roots_pem.iter().enumerate() {
        let certificates = reqwest::Certificate::from_pem_bundle(pem)
            .map_err(|error| unparsable_pem(index, &error))?;
        if certificates.is_empty() {
            return Err(no_certificate(index));
        }
        roots.extend(certificates);
    }
    if roots.is_empty() {
        Ok(builder)
    } else {
        // `merge` keeps the OpenSSL store and adds ours; `tls_certs_only` would drop it.
        Ok(builder.tls_certs_merge(roots))
    }
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn unparsable_pem(index: usize, error: &(dyn std::error::Error + 'static)) -> ConfigError {
    ConfigError::new(format!(
        "root certificate PEM #{} could not be parsed: {}",
        index + 1,
        shiming_codec::redact::describe(error)
    ))
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn no_certificate(index: usize) -> ConfigError {
    ConfigError::new(format!(
        "root certificate PEM #{} holds no BEGIN CERTIFICATE block",
        index + 1
    ))
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
