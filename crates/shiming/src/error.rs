//! The one error type of the facade.
//!
//! Opaque on purpose (like aws-sigv4's): callers ask questions instead of matching on the
//! error's insides, so the insides can grow without breaking anybody, and no transport
//! library's type can leak into the public API.

use crate::codec::redact::Redactor;
use crate::codec::transport::TransportError;
use crate::codec::{Kind, Vendor};
use crate::policy::Failure;
use std::error::Error as StdError;
use std::fmt;

/// What went wrong, at the level callers act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The vendor answered and refused; the taxonomy kind says why.
    Vendor(Kind),
    /// No complete HTTP answer: connect failure, timeout, oversized body, broken connection.
    Transport,
    /// An answer arrived but could not be understood.
    Decode,
    /// The request could not be built from the input (nothing was sent).
    InvalidInput,
    /// The vendor this call needs is not configured, or the configuration is inconsistent.
    NotConfigured,
}

impl ErrorKind {
    /// A snake_case name for logs and JSON: the taxonomy kind for a vendor refusal
    /// (`rate_limited`, `auth`, …), else `transport`, `decode`, `invalid_input` or
    /// `not_configured`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Vendor(kind) => kind.as_str(),
            ErrorKind::Transport => "transport",
            ErrorKind::Decode => "decode",
            ErrorKind::InvalidInput => "invalid_input",
            ErrorKind::NotConfigured => "not_configured",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Vendor(kind) => write!(f, "vendor refused ({kind})"),
            ErrorKind::Transport => f.write_str("transport failed"),
            ErrorKind::Decode => f.write_str("undecodable answer"),
            ErrorKind::InvalidInput => f.write_str("invalid input"),
            ErrorKind::NotConfigured => f.write_str("not configured"),
        }
    }
}

/// Why a check produced no answer.
///
/// `Display` names the vendor, the kind and what the vendor or transport said; it never
/// contains secrets, and personal data only masked: every error a verifier returns went
/// through its redactor (configured secrets, the request's signature and the checked person
/// replaced or masked, in every encoding an echo may use; see `shiming_codec::redact`), and
/// requests are never printed.
pub struct Error {
    inner: Box<Inner>,
}

struct Inner {
    kind: ErrorKind,
    failure: Failure,
    vendor: Option<Vendor>,
    code: Option<String>,
    message: String,
    timeout: bool,
    connect: bool,
    attempts: u32,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    /// A copy handed to an identical check that waited for this one (single flight).
    shared: bool,
}

impl Error {
    fn new(kind: ErrorKind, failure: Failure, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                failure,
                vendor: None,
                code: None,
                message: message.into(),
                timeout: false,
                connect: false,
                attempts: 0,
                source: None,
                shared: false,
            }),
        }
    }

    /// A vendor refusal.
    pub(crate) fn refused(
        vendor: Vendor,
        kind: Kind,
        code: String,
        message: String,
        retryable: bool,
        billed: bool,
    ) -> Self {
        let failure = Failure::Refused {
            kind,
            retryable,
            billed,
        };
        let mut error = Error::new(ErrorKind::Vendor(kind), failure, message);
        error.inner.vendor = Some(vendor);
        error.inner.code = Some(code);
        error
    }

    /// A transport failure talking to `vendor`.
    pub(crate) fn transport(vendor: Vendor, error: TransportError) -> Self {
        let failure = Failure::Transport {
            reached_vendor: error.may_have_reached_vendor(),
            timeout: error.is_timeout(),
            permanent: error.is_body_too_large() || error.is_invalid_request(),
        };
        let mut out = Error::new(ErrorKind::Transport, failure, error.to_string());
        out.inner.vendor = Some(vendor);
        out.inner.timeout = error.is_timeout();
        out.inner.connect = error.is_connect();
        out.inner.source = Some(Box::new(error));
        out
    }

    /// An answer from `vendor` with HTTP `status` that could not be decoded.
    pub(crate) fn decode(
        vendor: Vendor,
        status: u16,
        error: impl StdError + Send + Sync + 'static,
    ) -> Self {
        let mut out = Error::new(
            ErrorKind::Decode,
            Failure::Undecodable { status },
            error.to_string(),
        );
        out.inner.vendor = Some(vendor);
        out.inner.source = Some(Box::new(error));
        out
    }

    /// A request to `vendor` that could not be built from the input.
    pub(crate) fn invalid_input(
        vendor: Vendor,
        error: impl StdError + Send + Sync + 'static,
    ) -> Self {
        let mut out = Error::new(ErrorKind::InvalidInput, Failure::NotSent, error.to_string());
        out.inner.vendor = Some(vendor);
        out.inner.source = Some(Box::new(error));
        out
    }

    /// A call that needs configuration it does not have.
    pub(crate) fn not_configured(vendor: Option<Vendor>, message: impl Into<String>) -> Self {
        let mut out = Error::new(ErrorKind::NotConfigured, Failure::NotSent, message);
        out.inner.vendor = vendor;
        out
    }

    /// This error as it may leave the facade: its message (a vendor's words, a transport's
    /// description, a decode error with its excerpt) scrubbed by `redactor`, its code cleared
    /// of secrets, and its source dropped when the source's text still mentions a needle
    /// (callers print error chains).
    pub(crate) fn redacted(mut self, redactor: &Redactor) -> Self {
        redactor.scrub_in_place(&mut self.inner.message);
        if let Some(code) = &mut self.inner.code {
            redactor.scrub_secrets_in_place(code);
        }
        if let Some(source) = &self.inner.source
            && redactor.mentioned_in_chain(source.as_ref())
        {
            self.inner.source = None;
        }
        self
    }

    /// Records how many requests the call sent in all before failing.
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.inner.attempts = attempts;
        self
    }

    /// The policy's view of this failure (retry and failover decisions).
    pub(crate) fn failure(&self) -> Failure {
        self.inner.failure
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// The vendor involved, when the failure happened talking to one.
    pub fn vendor(&self) -> Option<Vendor> {
        self.inner.vendor
    }

    /// The vendor's raw code (`"10004"`, `"-5"`, `"4051"`) when the vendor refused.
    pub fn vendor_code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }

    /// The vendor's own message when the vendor refused.
    pub fn vendor_message(&self) -> Option<&str> {
        match self.inner.kind {
            ErrorKind::Vendor(_) => Some(&self.inner.message),
            _ => None,
        }
    }

    /// True when the same call might succeed later (a transient vendor or network condition).
    ///
    /// This says nothing about money: check [`may_have_been_billed`](Self::may_have_been_billed)
    /// before repeating a call yourself.
    pub fn retryable(&self) -> bool {
        self.inner.failure.transient()
    }

    /// False only when it is certain the failed call cost nothing: nothing was sent, the
    /// vendor's code is unbilled, or an error page showed the vendor never answered.
    pub fn may_have_been_billed(&self) -> bool {
        !self.inner.failure.certainly_unbilled()
    }

    /// True when a timeout (connect phase or after sending) ended the call.
    pub fn is_timeout(&self) -> bool {
        self.inner.timeout
    }

    /// True when connecting (DNS, TCP, TLS) failed, so no request byte was sent.
    pub fn is_connect(&self) -> bool {
        self.inner.connect
    }

    /// How many HTTP requests the call sent in all (retries and failover included).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// True when this error was handed to a check that waited for an identical one in
    /// flight (feature `store`, single flight): the failed call was made once, by the other
    /// caller, so count its cost there only. The billing facts are the original call's, so
    /// nobody repeats a possibly billed call believing it free.
    pub fn is_shared(&self) -> bool {
        self.inner.shared
    }

    /// A copy for the callers that shared this call: the same facts, the source chain kept
    /// as text, [`is_shared`](Self::is_shared) true.
    #[cfg(feature = "store")]
    pub(crate) fn shared_copy(&self) -> Error {
        let inner = &self.inner;
        Error {
            inner: Box::new(Inner {
                kind: inner.kind,
                failure: inner.failure,
                vendor: inner.vendor,
                code: inner.code.clone(),
                message: inner.message.clone(),
                timeout: inner.timeout,
                connect: inner.connect,
                attempts: inner.attempts,
                source: inner.source.as_ref().map(|source| {
                    Box::new(SharedSource(source.to_string()))
                        as Box<dyn StdError + Send + Sync + 'static>
                }),
                shared: true,
            }),
        }
    }
}

/// The text of a shared error's source.
#[cfg(feature = "store")]
#[derive(Debug)]
struct SharedSource(String);

#[cfg(feature = "store")]
impl fmt::Display for SharedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(feature = "store")]
impl StdError for SharedSource {}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(vendor) = self.inner.vendor {
            write!(f, "{vendor}: ")?;
        }
        write!(f, "{}", self.inner.kind)?;
        if let Some(code) = &self.inner.code {
            write!(f, ", code {code}")?;
        }
        if !self.inner.message.is_empty() {
            write!(f, ": {}", self.inner.message)?;
        }
        if self.inner.attempts > 1 {
            write!(f, " (after {} attempts)", self.inner.attempts)?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("vendor", &self.inner.vendor)
            .field("code", &self.inner.code)
            .field("message", &self.inner.message)
            .field("retryable", &self.retryable())
            .field("may_have_been_billed", &self.may_have_been_billed())
            .field("timeout", &self.inner.timeout)
            .field("connect", &self.inner.connect)
            .field("attempts", &self.inner.attempts)
            .finish_non_exhaustive()
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reports_the_vendor_words_and_the_money() {
        let error = Error::refused(
            Vendor::Wapi,
            Kind::RateLimited,
            "10019".into(),
            "相同姓名或号码核验过于频繁,请稍后再试".into(),
            true,
            false,
        )
        .with_attempts(1);
        assert_eq!(error.kind(), ErrorKind::Vendor(Kind::RateLimited));
        assert_eq!(error.vendor(), Some(Vendor::Wapi));
        assert_eq!(error.vendor_code(), Some("10019"));
        assert!(error.vendor_message().is_some_and(|m| m.contains("频繁")));
        assert!(error.retryable());
        assert!(!error.may_have_been_billed());
        assert_eq!(
            error.to_string(),
            "wapi: vendor refused (rate_limited), code 10019: 相同姓名或号码核验过于频繁,请稍后再试"
        );
    }

    #[test]
    fn transport_errors_keep_their_questions() {
        let connect = Error::transport(Vendor::Qxt, TransportError::connect("refused"));
        assert!(connect.is_connect());
        assert!(!connect.is_timeout());
        assert!(!connect.may_have_been_billed());
        assert!(connect.retryable());
        assert!(connect.vendor_message().is_none());
        assert!(connect.source().is_some());

        let timeout =
            Error::transport(Vendor::Qxt, TransportError::timeout("read")).with_attempts(3);
        assert!(timeout.is_timeout());
        assert!(!timeout.is_connect());
        assert!(timeout.may_have_been_billed());
        assert_eq!(timeout.attempts(), 3);
        assert_eq!(
            timeout.to_string(),
            "qxt: transport failed: timed out: read (after 3 attempts)"
        );

        let too_large = Error::transport(Vendor::Ihuyi, TransportError::body_too_large(1024));
        assert!(!too_large.retryable());
        assert!(too_large.may_have_been_billed());
    }

    #[test]
    fn nothing_sent_means_nothing_billed() {
        let error = Error::not_configured(Some(Vendor::Ihuyi), "ihuyi is not configured");
        assert_eq!(error.kind(), ErrorKind::NotConfigured);
        assert!(!error.may_have_been_billed());
        assert!(!error.retryable());
        assert_eq!(
            error.to_string(),
            "ihuyi: not configured: ihuyi is not configured"
        );
    }

    #[test]
    fn redaction_scrubs_the_message_and_drops_a_telling_source() {
        let mut redactor = Redactor::new();
        redactor
            .secret("SENTINEL-key-01")
            .name("测试哨兵")
            .mobile("13987654321");
        let refused = Error::refused(
            Vendor::Qxt,
            Kind::Auth,
            "-1".into(),
            "apikey=SENTINEL-key-01&name=测试哨兵&mobile=13987654321 无效".into(),
            false,
            false,
        )
        .redacted(&redactor);
        assert_eq!(
            refused.vendor_message(),
            Some("apikey=<redacted>&name=测***&mobile=139****4321 无效")
        );
        let transport = Error::transport(
            Vendor::Qxt,
            TransportError::io("reset").with_source(std::io::Error::other("SENTINEL-key-01")),
        )
        .redacted(&redactor);
        assert!(transport.source().is_none());
        assert!(!format!("{transport} {transport:?}").contains("SENTINEL"));
        let kept =
            Error::transport(Vendor::Qxt, TransportError::connect("refused")).redacted(&redactor);
        assert!(kept.source().is_some());
    }

    #[test]
    fn errors_are_shareable() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
    }
}
