//! Settings of a [`ReqwestClient`] and their validation.
//!
//! The builder has the same shape as `shiming_ureq::UreqClientBuilder`, so the facade maps
//! one configuration onto either transport.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::client::ReqwestClient;
use crate::tls;

/// Connect-phase budget (DNS, TCP and TLS handshake) unless configured: 10 seconds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Whole-call budget (connect, send, wait, read the body) unless configured: 30 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Response body cap unless configured: 1 MiB. Vendor answers are a few hundred bytes.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 1024 * 1024;
/// `User-Agent` sent unless configured or set on the request: `shiming/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("shiming/", env!("CARGO_PKG_VERSION"));

/// Builds a [`ReqwestClient`]; start from [`ReqwestClient::builder`].
///
/// ```
/// use std::time::Duration;
/// use shiming_reqwest::ReqwestClient;
///
/// let client = ReqwestClient::builder()
///     .connect_timeout(Duration::from_secs(2))
///     .timeout(Duration::from_secs(10))
///     .max_response_bytes(64 * 1024)
///     .user_agent("my-app/1.0")
///     .build()?;
/// assert_eq!(client.max_response_bytes(), 64 * 1024);
/// # Ok::<(), shiming_reqwest::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct ReqwestClientBuilder {
    connect_timeout: Duration,
    timeout: Duration,
    max_response_bytes: u64,
    user_agent: String,
    root_certificates_pem: Vec<Vec<u8>>,
}

impl Default for ReqwestClientBuilder {
    fn default() -> Self {
        ReqwestClientBuilder {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            root_certificates_pem: Vec::new(),
        }
    }
}

impl ReqwestClientBuilder {
    /// A builder with the defaults (`DEFAULT_*` constants, no extra roots).
    pub fn new() -> Self {
        Self::default()
    }

    /// Limits DNS resolution, TCP connect and TLS handshake together. A failure here is
    /// reported as a connect error: nothing was sent.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Limits the whole call, body included. Once it fires after sending may have started,
    /// the error is a timeout that may have reached the vendor.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Largest accepted response body in bytes; a body of exactly this size is accepted.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// `User-Agent` sent when the request carries none; an empty string sends none.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Trusts the certificates in `pem` (one or more `BEGIN CERTIFICATE` blocks) as roots in
    /// addition to the default ones: for a private CA or a test server. Parsed by
    /// [`build`](Self::build). Verification itself can never be turned off.
    pub fn add_root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates_pem.push(pem.as_ref().to_vec());
        self
    }

    /// Validates the settings and builds the client (and its connection pool).
    pub fn build(self) -> Result<ReqwestClient, ConfigError> {
        if self.connect_timeout.is_zero() {
            return Err(ConfigError::new(
                "the connect timeout must be greater than zero",
            ));
        }
        if self.timeout.is_zero() {
            return Err(ConfigError::new("the timeout must be greater than zero"));
        }
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            ConfigError::new("the user agent is not a valid header value (visible ASCII only)")
        })?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            // A redirect would re-send a signed query to wherever the server points: the
            // 3xx response goes back to the caller instead.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);
        if !user_agent.is_empty() {
            builder = builder.user_agent(user_agent);
        }
        let builder = tls::configure(builder, &self.root_certificates_pem)?;
        let http = builder.build().map_err(|error| {
            ConfigError::new(format!(
                "the HTTP client could not be built: {}",
                shiming_codec::redact::describe(&error.without_url())
            ))
        })?;
        Ok(ReqwestClient::from_parts(http, self.max_response_bytes))
    }
}

impl fmt::Debug for ReqwestClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestClientBuilder")
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("root_certificates_pem", &self.root_certificates_pem.len())
            .finish()
    }
}

/// Why a [`ReqwestClientBuilder`] could not build a client; the message names the setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
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
