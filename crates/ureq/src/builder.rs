//! Settings of a [`UreqClient`] and their validation.
//!
//! The builder has the same shape as `shiming_reqwest::ReqwestClientBuilder`, so the facade
//! maps one configuration onto either transport.

use std::time::Duration;

use ureq::unversioned::transport::{Connector, DefaultConnector};

use crate::client::UreqClient;
use crate::resolve::LiteralFirstResolver;
use crate::socket_timeouts::WholeMillisecondTimeouts;
use crate::tls;

use shiming_codec::transport::TransportSettings;
pub use shiming_codec::transport::{
    ConfigError, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
    DEFAULT_USER_AGENT,
};

/// Builds a [`UreqClient`]; start from [`UreqClient::builder`].
///
/// ```
/// use std::time::Duration;
/// use shiming_ureq::UreqClient;
///
/// let client = UreqClient::builder()
///     .connect_timeout(Duration::from_secs(2))
///     .timeout(Duration::from_secs(10))
///     .max_response_bytes(64 * 1024)
///     .user_agent("my-app/1.0")
///     .build()?;
/// assert_eq!(client.max_response_bytes(), 64 * 1024);
/// # Ok::<(), shiming_ureq::ConfigError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct UreqClientBuilder {
    settings: TransportSettings,
}

impl UreqClientBuilder {
    /// A builder with the defaults (`DEFAULT_*` constants, no extra roots).
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder starting from `settings` (the same ones `shiming_reqwest` takes).
    pub fn from_settings(settings: TransportSettings) -> Self {
        UreqClientBuilder { settings }
    }

    /// Limits the connect phase. ureq times it in two steps, DNS resolution and then TCP
    /// connect with TLS handshake, and each step gets this budget. A failure here is reported
    /// as a connect error: nothing was sent.
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
    pub fn build(self) -> Result<UreqClient, ConfigError> {
        let settings = self.settings;
        // Includes the user agent, which ureq would unwrap when it writes the header.
        settings.validate()?;
        let builder = ureq::Agent::config_builder()
            // Statuses are answers: vendors put error codes in 4xx/5xx bodies.
            .http_status_as_error(false)
            // A redirect would re-send a signed query to wherever the server points: the
            // 3xx response goes back to the caller instead.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .save_redirect_history(false)
            .user_agent(settings.user_agent.as_str())
            .timeout_global(Some(settings.timeout))
            .timeout_resolve(Some(settings.connect_timeout))
            .timeout_connect(Some(settings.connect_timeout));
        let config = tls::configure(builder, &settings.root_certificates_pem)?.build();
        // ureq's own connector and resolver, each with one addition that keeps the timeouts
        // from costing time on every call: no lookup thread for an IP-address host
        // (`resolve.rs`), no `setsockopt` per keep-alive call (`socket_timeouts.rs`).
        let connector = DefaultConnector::new().chain(WholeMillisecondTimeouts);
        let agent = ureq::Agent::with_parts(config, connector, LiteralFirstResolver::default());
        Ok(UreqClient::from_parts(agent, settings.max_response_bytes))
    }
}
