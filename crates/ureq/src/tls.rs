//! Which TLS stack ureq uses and which roots it trusts, per cargo feature.
//!
//! Verification is never disabled: there is deliberately no code path here that calls
//! ureq's `disable_verification`.

use ureq::config::ConfigBuilder;
use ureq::typestate::AgentScope;

use shiming_transport::ConfigError;

/// Whether this build can speak `https://` at all.
pub(crate) const HTTPS_SUPPORTED: bool = cfg!(any(feature = "rustls", feature = "native-tls"));

/// Picks the backend (rustls when both features are on) and the roots: Mozilla's set (ureq's
/// default), plus the extra roots when there are some.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
pub(crate) fn configure(
    builder: ConfigBuilder<AgentScope>,
    roots_pem: &[Vec<u8>],
) -> Result<ConfigBuilder<AgentScope>, ConfigError> {
    use ureq::tls::{Certificate, RootCerts, TlsConfig, TlsProvider};

    #[cfg(feature = "rustls")]
    let provider = TlsProvider::Rustls;
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    let provider = TlsProvider::NativeTls;

    let extra = parse_roots(roots_pem)?;
    let root_certs = if extra.is_empty() {
        RootCerts::WebPki
    } else {
        // ureq cannot merge roots with its defaults: `Specific` replaces them. So the same
        // Mozilla set that `WebPki` means is spelled out, and ours are appended.
        let mozilla = webpki_root_certs::TLS_SERVER_ROOT_CERTS
            .iter()
            .map(|der| Certificate::from_der(der.as_ref()).to_owned());
        RootCerts::from(mozilla.chain(extra))
    };
    let tls = TlsConfig::builder()
        .provider(provider)
        .root_certs(root_certs)
        .build();
    Ok(builder.tls_config(tls))
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn parse_roots(roots_pem: &[Vec<u8>]) -> Result<Vec<ureq::tls::Certificate<'static>>, ConfigError> {
    use ureq::tls::PemItem;

    let mut roots = Vec::new();
    for (index, pem) in roots_pem.iter().enumerate() {
        let before = roots.len();
        for item in ureq::tls::parse_pem(pem) {
            match item {
                Ok(PemItem::Certificate(certificate)) => roots.push(certificate),
                // A private key in the bundle is not a root; skip it rather than fail.
                Ok(_) => {}
                Err(error) => {
                    return Err(ConfigError::new(format!(
                        "root certificate PEM #{} could not be parsed: {error}",
                        index + 1
                    )));
                }
            }
        }
        if roots.len() == before {
            return Err(ConfigError::new(format!(
                "root certificate PEM #{} holds no BEGIN CERTIFICATE block",
                index + 1
            )));
        }
    }
    Ok(roots)
}

/// Without a TLS feature only plain http works; roots would silently do nothing, so a
/// configuration that names some is refused.
#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
pub(crate) fn configure(
    builder: ConfigBuilder<AgentScope>,
    roots_pem: &[Vec<u8>],
) -> Result<ConfigBuilder<AgentScope>, ConfigError> {
    if roots_pem.is_empty() {
        Ok(builder)
    } else {
        Err(ConfigError::new(
            "root certificates were given, but shiming-ureq was built without the \
             `rustls` or `native-tls` feature",
        ))
    }
}
