//! The settings every HTTP transport takes, their defaults, and one check of them, so the
//! reqwest and ureq builders (and the facade's options) cannot drift apart.

use std::fmt;
use std::time::Duration;

/// Connect-phase budget (DNS, TCP and TLS handshake) unless configured: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole-call budget (connect, send, wait, read the body) unless configured: 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Response body cap unless configured: 1 MiB. Vendor answers are a few hundred bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 1024 * 1024;
/// `User-Agent` sent unless configured or set on the request: `shiming/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("shiming/", env!("CARGO_PKG_VERSION"));

/// What a transport is built from. Transports take it whole (`from_settings`) or field by
/// field through their builders; either way [`validate`](Self::validate) runs before a
/// client exists.
///
/// ```
/// use std::time::Duration;
/// use shiming_codec::transport::TransportSettings;
///
/// let settings = TransportSettings {
///     timeout: Duration::ZERO,
///     ..TransportSettings::default()
/// };
/// assert_eq!(
///     settings.validate().unwrap_err().message(),
///     "the timeout must be greater than zero"
/// );
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct TransportSettings {
    /// Limits DNS resolution, TCP connect and TLS handshake. A failure here is a connect
    /// error: nothing was sent.
    pub connect_timeout: Duration,
    /// Limits the whole call, body included.
    pub timeout: Duration,
    /// Largest accepted response body in bytes; a body of exactly this size is accepted.
    pub max_response_bytes: u64,
    /// `User-Agent` sent when the request carries none; empty sends none.
    pub user_agent: String,
    /// Extra trusted roots, each one or more PEM `CERTIFICATE` blocks (a private CA, a test
    /// server). Verification itself can never be turned off.
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

/// Why a transport could not be built from its settings; the message names the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    /// A configuration error with `message` (for transports: a certificate that does not
    /// parse, a TLS stack that cannot start).
    pub fn new(message: impl Into<String>) -> Self {
        ConfigError {
            message: message.into(),
        }
    }

    /// What is wrong, without a prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid HTTP transport configuration: {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_each_bad_setting_is_named() {
        TransportSettings::default().validate().unwrap();
        let bad = |change: fn(&mut TransportSettings)| {
            let mut settings = TransportSettings::default();
            change(&mut settings);
            settings.validate().unwrap_err().to_string()
        };
        assert!(bad(|s| s.connect_timeout = Duration::ZERO).contains("connect timeout"));
        assert!(bad(|s| s.timeout = Duration::ZERO).contains("the timeout"));
        assert!(bad(|s| s.user_agent = "a\nb".into()).contains("user agent"));
        let empty = TransportSettings {
            user_agent: String::new(),
            ..TransportSettings::default()
        };
        empty.validate().unwrap();
    }

    #[test]
    fn debug_counts_certificates() {
        let settings = TransportSettings {
            root_certificates_pem: vec![b"-----BEGIN CERTIFICATE-----".to_vec()],
            ..TransportSettings::default()
        };
        let shown = format!("{settings:?}");
        assert!(shown.contains("root_certificates_pem: 1"), "{shown}");
        assert!(!shown.contains("BEGIN"), "{shown}");
    }
}
