//! [`UreqClient`]: one round trip, response kept whole, body capped.

use std::fmt;

use http::Method;
use http::uri::Scheme;
use shiming_codec::redact::Redactor;
use shiming_codec::transport::{HttpRequest, HttpResponse, SyncHttpClient, TransportError};
use shiming_transport::{ConfigError, TransportSettings};
use ureq::SendBody;

use crate::errors::{Phase, classify};
use crate::tls;

/// A [`SyncHttpClient`] backed by one `ureq::Agent` and its connection pool.
///
/// Cheap to clone (clones share the pool), `Send + Sync`, usable from many threads at once.
///
/// ```no_run
/// use shiming_codec::transport::SyncHttpClient;
/// use shiming_ureq::UreqClient;
///
/// let client = UreqClient::new()?;
/// let request = http::Request::get("http://127.0.0.1:8080/ping").body(Vec::new())?;
/// let response = client.call(request)?;
/// println!("{} {:?}", response.status(), response.headers().get("date"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct UreqClient {
    agent: ureq::Agent,
    max_response_bytes: u64,
}

impl UreqClient {
    /// A client with the default [`TransportSettings`].
    pub fn new() -> Result<Self, ConfigError> {
        Self::with_settings(&TransportSettings::default())
    }

    /// Validates `settings` and builds the client (and its connection pool).
    ///
    /// ureq times the connect phase in two steps, DNS resolution and then TCP connect with
    /// TLS handshake, and each step gets the whole
    /// [`connect_timeout`](TransportSettings::connect_timeout).
    ///
    /// ```
    /// use std::time::Duration;
    /// use shiming_ureq::{TransportSettings, UreqClient};
    ///
    /// let settings = TransportSettings::default()
    ///     .connect_timeout(Duration::from_secs(2))
    ///     .timeout(Duration::from_secs(10))
    ///     .max_response_bytes(64 * 1024);
    /// let client = UreqClient::with_settings(&settings)?;
    /// assert_eq!(client.max_response_bytes(), 64 * 1024);
    /// # Ok::<(), shiming_ureq::ConfigError>(())
    /// ```
    pub fn with_settings(settings: &TransportSettings) -> Result<Self, ConfigError> {
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
        Ok(UreqClient {
            agent: ureq::Agent::new_with_config(config),
            max_response_bytes: settings.max_response_bytes,
        })
    }

    /// The response body cap in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    fn round_trip(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        // Kept to build the redactor only when there is an error to scrub (a `Uri` clone
        // shares its bytes; formatting the URL on every call would not be free).
        let uri = request.uri().clone();
        let redact = || Redactor::for_uri(&uri);
        let cap = self.max_response_bytes;
        if request.uri().scheme() == Some(&Scheme::HTTPS) && !tls::HTTPS_SUPPORTED {
            return Err(TransportError::invalid_request(
                "https needs the `rustls` or `native-tls` feature of shiming-ureq",
            ));
        }
        let (parts, body) = request.into_parts();
        // An empty body on a method that takes none (GET, HEAD, …) is sent as no body at all,
        // so no `Content-Length: 0` appears on the wire.
        let sends_body =
            !body.is_empty() || matches!(parts.method, Method::POST | Method::PUT | Method::PATCH);
        let result = if sends_body {
            self.agent.run(http::Request::from_parts(parts, body))
        } else {
            self.agent
                .run(http::Request::from_parts(parts, SendBody::none()))
        };
        let response = result.map_err(|e| classify(e, Phase::Exchange, cap, &redact()))?;

        let (head, mut body) = response.into_parts();
        // `Some` only for a length-delimited body (not chunked, not HEAD's).
        if body.content_length().is_some_and(|length| length > cap) {
            // Dropping `body` unread closes this connection instead of draining it.
            return Err(TransportError::body_too_large(cap));
        }
        let bytes = body
            .with_config()
            .limit(cap)
            .read_to_vec()
            .map_err(|e| classify(e, Phase::Body, cap, &redact()))?;

        // Rebuilt from status, version and headers only: ureq's extensions hold the URI.
        let mut response = http::Response::new(bytes);
        *response.status_mut() = head.status;
        *response.version_mut() = head.version;
        *response.headers_mut() = head.headers;
        Ok(response)
    }
}

impl SyncHttpClient for UreqClient {
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.round_trip(request)
    }
}

impl fmt::Debug for UreqClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UreqClient")
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}
