//! The seam between the sans-IO codec and whatever moves bytes.
//!
//! Following oauth2-rs, a client is anything that turns an `http::Request<Vec<u8>>` into an
//! `http::Response<Vec<u8>>`: one blocking trait, one async trait, and blanket impls so a
//! closure of the right shape is a client. The only error a client may return is the opaque
//! [`TransportError`], so no HTTP library's error type ever reaches our public API.

use std::error::Error as StdError;
use std::fmt;
use std::future::Future;

/// A request as the codec builds it.
pub type HttpRequest = http::Request<Vec<u8>>;
/// A response as the codec decodes it.
pub type HttpResponse = http::Response<Vec<u8>>;

/// A blocking HTTP client: one round trip, no retries, no vendor logic.
pub trait SyncHttpClient {
    /// Sends `request` and returns the whole response, or why it could not.
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

impl<F> SyncHttpClient for F
where
    F: Fn(HttpRequest) -> Result<HttpResponse, TransportError>,
{
    fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request)
    }
}

/// An async HTTP client: one round trip, no retries, no vendor logic.
///
/// Object-safe (`dyn AsyncHttpClient`) with `Send` futures, so it can live behind an `Arc`
/// shared by many tasks.
#[async_trait::async_trait]
pub trait AsyncHttpClient: Send + Sync {
    /// Sends `request` and returns the whole response, or why it could not.
    async fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

#[async_trait::async_trait]
impl<F, Fut> AsyncHttpClient for F
where
    F: Fn(HttpRequest) -> Fut + Send + Sync,
    Fut: Future<Output = Result<HttpResponse, TransportError>> + Send,
{
    async fn call(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self(request).await
    }
}

/// Why a round trip failed below the HTTP layer.
///
/// Opaque on purpose: callers ask questions ([`is_timeout`](Self::is_timeout),
/// [`is_connect`](Self::is_connect), [`may_have_reached_vendor`](Self::may_have_reached_vendor))
/// instead of matching a transport library's error enum. The message never contains the
/// request URL, because a GET request's query carries signatures and API keys.
pub struct TransportError {
    class: Class,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

/// Private classification; public only through the `is_*` questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// DNS, TCP connect or TLS handshake failed: not one request byte reached the vendor.
    Connect,
    /// The connect phase timed out: nothing was sent.
    ConnectTimeout,
    /// The request was (or may have been) sent, then the answer did not arrive in time.
    Timeout,
    /// The response body was larger than the configured cap.
    BodyTooLarge,
    /// The request could not be turned into bytes (bad URL, bad header).
    InvalidRequest,
    /// Anything else after sending started: reset connection, broken body, …
    Io,
}

impl TransportError {
    fn new(class: Class, message: impl Into<String>) -> Self {
        TransportError {
            class,
            message: message.into(),
            source: None,
        }
    }

    /// DNS, TCP connect or TLS handshake failed; nothing was sent, so a retry cannot double-bill.
    pub fn connect(message: impl Into<String>) -> Self {
        Self::new(Class::Connect, message)
    }

    /// The connect phase (DNS, TCP, TLS) timed out; nothing was sent.
    pub fn connect_timeout(message: impl Into<String>) -> Self {
        Self::new(Class::ConnectTimeout, message)
    }

    /// The request was sent (or may have been) and no complete answer came in time.
    pub fn timeout(message: impl Into<String>) -> Self {
        Self::new(Class::Timeout, message)
    }

    /// The response body exceeded `limit` bytes; reading stopped at the cap.
    pub fn body_too_large(limit: u64) -> Self {
        Self::new(
            Class::BodyTooLarge,
            format!("response body exceeds the {limit}-byte cap"),
        )
    }

    /// The request could not be sent at all because it is malformed (nothing was sent).
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(Class::InvalidRequest, message)
    }

    /// Any other failure once sending may have started (reset, truncated body, …).
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(Class::Io, message)
    }

    /// Attaches the underlying cause, kept for `Error::source` but never shown by Display.
    ///
    /// The caller must make sure the source's own Display carries no URL or secret
    /// (for reqwest, use `Error::without_url`).
    pub fn with_source(mut self, source: impl StdError + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// True for any timeout, in the connect phase or after sending.
    pub fn is_timeout(&self) -> bool {
        matches!(self.class, Class::Timeout | Class::ConnectTimeout)
    }

    /// True when the failure happened while connecting (DNS, TCP, TLS), timeouts included.
    pub fn is_connect(&self) -> bool {
        matches!(self.class, Class::Connect | Class::ConnectTimeout)
    }

    /// True when the response was refused for exceeding the size cap.
    pub fn is_body_too_large(&self) -> bool {
        self.class == Class::BodyTooLarge
    }

    /// True when the request itself was malformed and never left the process.
    pub fn is_invalid_request(&self) -> bool {
        self.class == Class::InvalidRequest
    }

    /// False only when it is certain that no request byte reached the vendor, so the call
    /// cannot have been billed and may be retried freely.
    pub fn may_have_reached_vendor(&self) -> bool {
        !matches!(
            self.class,
            Class::Connect | Class::ConnectTimeout | Class::InvalidRequest
        )
    }

    /// The message without any class prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.class {
            Class::Connect => "connect failed",
            Class::ConnectTimeout => "connect timed out",
            Class::Timeout => "timed out",
            Class::BodyTooLarge => "response too large",
            Class::InvalidRequest => "invalid request",
            Class::Io => "I/O error",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The source is summarised by its Display only: some transport errors' Debug
        // prints the full URL, query string and all.
        f.debug_struct("TransportError")
            .field("class", &self.class)
            .field("message", &self.message)
            .field("source", &self.source.as_ref().map(|s| s.to_string()))
            .finish()
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_failures_never_reached_the_vendor() {
        assert!(!TransportError::connect("refused").may_have_reached_vendor());
        assert!(!TransportError::connect_timeout("slow dns").may_have_reached_vendor());
        assert!(TransportError::connect_timeout("x").is_timeout());
        assert!(TransportError::timeout("read").may_have_reached_vendor());
        assert!(TransportError::io("reset").may_have_reached_vendor());
        assert!(TransportError::body_too_large(10).is_body_too_large());
    }

    #[test]
    fn closures_are_clients() {
        let client = |_req: HttpRequest| -> Result<HttpResponse, TransportError> {
            Ok(http::Response::new(b"ok".to_vec()))
        };
        let response = SyncHttpClient::call(&client, http::Request::new(Vec::new()));
        assert_eq!(response.map(|r| r.into_body()).ok(), Some(b"ok".to_vec()));
    }
}
