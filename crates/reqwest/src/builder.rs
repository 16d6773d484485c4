//! Settings of a [`ReqwestClient`] and their validation.
//!
//! The builder has the same shape as `shiming_ureq::UreqClientBuilder`, so the facade maps
//! one configuration onto either transport.

use std::time::Duration;

use crate::client::ReqwestClient;
use crate::tls;

use shiming_codec::transport::TransportSettings;
pub use shiming_codec::transport::{
    ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
};

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
#[derive(Clone, Debug, Default)]
pub struct ReqwestClientBuilder {
    settings: TransportSettings,
}

impl ReqwestClientBuilder {
    /// A builder with the defaults (`DEFAULT_*` constants, no extra roots).
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder starting from `settings` (the same ones `shiming_ureq` takes).
    pub fn from_settings(settings: TransportSettings) -> Self {
        ReqwestClientBuilder { settings }
    }

    /// Limits DNS resolution, TCP connect and TLS handshake together. A failure here is
    /// reported as a connect error: nothing was sent.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.settings.connect_timeout = timeout;
        self
    }

    /// Limits the whole call, body included. Once it fires after sending may have started,
    /// the error is a timeout that may have reached the vendor.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.timeout = timeout;
        self
    }

    /// Largest accepted response body in bytes; a body of exactly this size is accepted.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.settings.max_response_bytes = limit;
        self
    }

    /// `User-Agent` sent when the request carries none; an empty string sends none.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.settings.user_agent = user_agent.into();
        self
    }

    /// Trusts the certificates in `pem` (one or more `BEGIN CERTIFICATE` blocks) as roots in
    /// addition to the default ones: for a private CA or a test server. Parsed by
    /// [`build`](Self::build). Verification itself can never be turned off.
    pub fn add_root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.settings
            .root_certificates_pem
            .push(pem.as_ref().to_vec());
        self
    }

    /// Validates the settings and builds the client (and its connection pool).
    pub fn build(self) -> Result<ReqwestClient, ConfigError> {
        let settings = self.settings;
        settings.validate()?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            // A redirect would re-send a signed query to wherever the server points: the
            // 3xx response goes back to the caller instead.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false);
        if !settings.user_agent.is_empty() {
            builder = builder.user_agent(settings.user_agent.as_str());
        }
        let builder = tls::configure(builder, &settings.root_certificates_pem)?;
        let http = builder.build().map_err(|error| {
            ConfigError::new(format!(
                "the HTTP client could not be built: {}",
                shiming_codec::redact::describe(&error.without_url())
            ))
        })?;
        Ok(ReqwestClient::from_parts(http, settings.max_response_bytes))
    }
}
