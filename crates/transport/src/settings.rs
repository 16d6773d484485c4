//! [`TransportSettings`] and its defaults.

use std::fmt;
use std::time::Duration;

use crate::ConfigError;

/// Connect-phase budget (DNS, TCP and TLS handshake) unless configured: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole-call budget (connect, send, wait, read the body) unless configured: 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Response body cap unless configured: 1 MiB. Vendor answers are a few hundred bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 1024 * 1024;
/// `User-Agent` sent unless configured or set on the request: `shiming/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("shiming/", env!("CARGO_PKG_VERSION"));

/// What an HTTP transport is built from: timeouts, body cap, user agent, extra TLS roots.
///
/// Start from [`default`](Default::default) and chain the setters (the struct is
/// `#[non_exhaustive]`, so a setting added later breaks no caller). Transports call
/// [`validate`](Self::validate) before a client exists. `Debug` counts certificates instead
/// of printing them.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportSettings {
    /// Limits DNS resolution, TCP connect and TLS handshake. A failure here is a connect
    /// error: nothing was sent. Default 10 s.
    pub connect_timeout: Duration,
    /// Limits the whole call, body included. Default 30 s.
    pub timeout: Duration,
    /// Largest accepted response body in bytes; a body of exactly this size is accepted, a
    /// larger one is an error, never an allocation. Default 1 MiB.
    pub max_response_bytes: u64,
    /// `User-Agent` sent when the request carries none; empty sends none. Default
    /// `shiming/<version>`.
    pub user_agent: String,
    /// Extra trusted roots, each one or more PEM `CERTIFICATE` blocks (a private CA, a
    /// TLS-terminating proxy, a test server), added to Mozilla's roots. Verification itself
    /// can never be turned off.
    pub root_certificates_pem: Vec<Vec<u8>>,
}

impl Default for TransportSettings {
    fn default() -> Self {
        TransportSettings {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            root_certificates_pem: Vec::new(),
        }
    }
}

impl TransportSettings {
    /// The defaults (`DEFAULT_*` constants, no extra roots).
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`connect_timeout`](Self::connect_timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`timeout`](Self::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets [`max_response_bytes`](Self::max_response_bytes).
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Sets [`user_agent`](Self::user_agent).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Adds one PEM bundle to [`root_certificates_pem`](Self::root_certificates_pem). It is
    /// parsed when a transport is built.
    pub fn add_root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates_pem.push(pem.as_ref().to_vec());
        self
    }

    /// Checks what every transport needs: non-zero timeouts (zero would mean "fail at once"
    /// in one library and "never" in another) and a user agent that is a valid header value
    /// (ureq would panic writing it). Certificates are parsed by each transport's TLS stack.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.connect_timeout.is_zero() {
            return Err(ConfigError::new(
                "the connect timeout must be greater than zero",
            ));
        }
        if self.timeout.is_zero() {
            return Err(ConfigError::new("the timeout must be greater than zero"));
        }
        if http::HeaderValue::from_str(&self.user_agent).is_err() {
            return Err(ConfigError::new(
                "the user agent is not a valid header value (visible ASCII only)",
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for TransportSettings {
    // Certificates are counted, not dumped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportSettings")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("root_certificates_pem", &self.root_certificates_pem.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn defaults_are_valid_and_each_bad_setting_is_named() {
        TransportSettings::default().validate().unwrap();
        let bad = |settings: TransportSettings| settings.validate().unwrap_err().to_string();
        let defaults = TransportSettings::default;
        assert!(bad(defaults().connect_timeout(Duration::ZERO)).contains("connect timeout"));
        assert!(bad(defaults().timeout(Duration::ZERO)).contains("the timeout"));
        assert!(bad(defaults().user_agent("a\nb")).contains("user agent"));
        defaults().user_agent("").validate().unwrap();
    }

    #[test]
    fn debug_counts_certificates() {
        let settings =
            TransportSettings::default().add_root_certificates_pem("-----BEGIN CERTIFICATE-----");
        let shown = format!("{settings:?}");
        assert!(shown.contains("root_certificates_pem: 1"), "{shown}");
        assert!(!shown.contains("BEGIN"), "{shown}");
    }
}
