//! [`ReqwestClient`]: one round trip, response kept whole, body capped.

use std::fmt;

use http::Method;
use http::uri::Scheme;
use shiming_codec::redact::Redactor;
use shiming_codec::transport::{AsyncHttpClient, HttpRequest, HttpResponse, TransportError};
use shiming_transport::{ConfigError, TransportSettings};

use crate::errors::classify;
use crate::tls;

/// Largest up-front allocation for a body whose length was declared.
const PREALLOCATE_AT_MOST: u64 = 1024 * 1024;

/// An [`AsyncHttpClient`] backed by one pooled `reqwest::Client`.
///
/// Cheap to clone (clones share the connection pool), `Send + Sync`, usable behind an `Arc`
/// or as `Arc<dyn AsyncHttpClient>`. Needs a Tokio runtime, as reqwest does.
///
/// ```no_run
/// use std::sync::Arc;
/// use shiming_codec::transport::AsyncHttpClient;
/// use shiming_reqwest::ReqwestClient;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client: Arc<dyn AsyncHttpClient> = Arc::new(ReqwestClient::new()?);
/// let request = http::Request::get("http://127.0.0.1:8080/ping").body(Vec::new())?;
/// let response = client.call(request).await?;
/// assert!(response.status().is_success() || response.status().is_server_error());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ReqwestClient {
    http: reqwest::Client,
    max_response_bytes: u64,
}

impl ReqwestClient {
    /// A client with the default [`TransportSettings`].
    pub fn new() -> Result<Self, ConfigError> {
        Self::with_settings(&TransportSettings::default())
    }

    /// Validates `settings` and builds the client (and its connection pool).
    ///
    /// ```
    /// use std::time::Duration;
    /// use shiming_reqwest::{ReqwestClient, TransportSettings};
    ///
    /// let settings = TransportSettings::default()
    ///     .connect_timeout(Duration::from_secs(2))
    ///     .timeout(Duration::from_secs(10))
    ///     .max_response_bytes(64 * 1024);
    /// let client = ReqwestClient::with_settings(&settings)?;
    /// assert_eq!(client.max_response_bytes(), 64 * 1024);
    /// # Ok::<(), shiming_reqwest::ConfigError>(())
    /// ```
    pub fn with_settings(settings: &TransportSettings) -> Result<Self, ConfigError> {
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
        Ok(ReqwestClient {
            http,
            max_response_bytes: settings.max_response_bytes,
        })
    }

    /// The response body cap in bytes.
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    async fn round_trip(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        // Built only when a call fails: formatting the URI on every call cost a few hundred
        // nanoseconds for nothing (the ureq transport does the same).
        let uri = request.uri().clone();
        let redact = || Redactor::for_uri(&uri);
        if request.uri().scheme() == Some(&Scheme::HTTPS) && !tls::HTTPS_SUPPORTED {
            return Err(TransportError::invalid_request(
                "https needs the `rustls` or `native-tls` feature of shiming-reqwest",
            ));
        }
        let request = to_reqwest(request)?;
        let mut response = self
            .http
            .execute(request)
            .await
            .map_err(|e| classify(e, &redact()))?;

        let cap = self.max_response_bytes;
        // The body's exact length when the server declared one (absent for chunked bodies
        // and for responses that cannot have a body, like HEAD's).
        let declared = response.content_length();
        if declared.is_some_and(|length| length > cap) {
            return Err(TransportError::body_too_large(cap));
        }
        let mut head = http::Response::new(());
        *head.status_mut() = response.status();
        *head.version_mut() = response.version();
        *head.headers_mut() = std::mem::take(response.headers_mut());

        // Trust the declared length for the first allocation only up to a bound: a generous
        // cap must not let a lying server reserve gigabytes before sending a byte.
        let reserve = declared.unwrap_or(0).min(PREALLOCATE_AT_MOST);
        let mut body = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.map_err(|e| classify(e, &redact()))? {
            if body.len() as u64 + chunk.len() as u64 > cap {
                // Dropping `response` closes this connection instead of draining it.
                return Err(TransportError::body_too_large(cap));
            }
            body.extend_from_slice(&chunk);
        }
        let (parts, ()) = head.into_parts();
        Ok(http::Response::from_parts(parts, body))
    }
}

/// Converts the codec's request. An empty body on a method that takes none (GET, HEAD, …) is
/// sent as no body at all, so no `Content-Length: 0` appears on the wire.
fn to_reqwest(request: HttpRequest) -> Result<reqwest::Request, TransportError> {
    let (parts, body) = request.into_parts();
    let sends_body =
        !body.is_empty() || matches!(parts.method, Method::POST | Method::PUT | Method::PATCH);
    // Not echoed: a GET URI carries the signed query, keys included.
    let url = reqwest::Url::parse(&parts.uri.to_string())
        .map_err(|_| TransportError::invalid_request("the request URI is not a valid URL"))?;
    let mut converted = reqwest::Request::new(parts.method, url);
    *converted.headers_mut() = parts.headers;
    *converted.version_mut() = parts.version;
    if sends_body {
        *converted.body_mut() = Some(body.into());
    }
    Ok(converted)
}

#[async_trait::async_trait]
impl AsyncHttpClient for ReqwestClient {
    async fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.round_trip(request).await
    }
}

impl fmt::Debug for ReqwestClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestClient")
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}
