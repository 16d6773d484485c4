//! Turning `ureq::Error` into the opaque [`TransportError`], conservatively and with no URL
//! in sight.
//!
//! ureq's error does not say in which phase it happened, and an I/O error can come from the
//! TCP connect as well as from a write after the request went out. So an error counts as
//! "connect" (nothing sent, safe to retry) only when its kind can only arise before sending;
//! everything else that is not a timeout is `io`, which may have reached the vendor.

use std::io;

use shiming_codec::transport::TransportError;
use ureq::{Error, Timeout};

use shiming_codec::redact::{Redactor, describe};

/// Where in the call the error surfaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// `Agent::run`: connect, send the request, receive the response head.
    Exchange,
    /// Reading the response body.
    Body,
}

/// Classifies a ureq error raised in `phase`; `cap` is the body cap that was applied.
pub(crate) fn classify(
    error: Error,
    phase: Phase,
    cap: u64,
    redactor: &Redactor,
) -> TransportError {
    if phase == Phase::Body && matches!(error, Error::BodyExceedsLimit(_)) {
        return TransportError::body_too_large(cap);
    }
    let make: fn(String) -> TransportError = match &error {
        Error::Timeout(Timeout::Resolve | Timeout::Connect) => TransportError::connect_timeout,
        Error::Timeout(_) => TransportError::timeout,
        Error::BadUri(_) => {
            // ureq's message quotes the whole URI.
            return TransportError::invalid_request("the URI has no scheme or no host");
        }
        Error::RequireHttpsOnly(_) => {
            return TransportError::invalid_request("the URI is not https");
        }
        Error::Http(_) => TransportError::invalid_request,
        Error::Io(io) if io.kind() == io::ErrorKind::TimedOut => TransportError::timeout,
        _ if phase == Phase::Exchange && is_before_sending(&error) => TransportError::connect,
        _ => TransportError::io,
    };
    let transport_error = make(redactor.scrub(&describe(&error)));
    if redactor.mentioned_in_chain(&error) {
        transport_error
    } else {
        transport_error.with_source(error)
    }
}

/// Errors that ureq can only raise while resolving, connecting or doing the TLS handshake.
fn is_before_sending(error: &Error) -> bool {
    match error {
        Error::HostNotFound
        | Error::ConnectionFailed
        | Error::InvalidProxyUrl
        | Error::ConnectProxyFailed(_)
        | Error::TlsRequired
        // Raised by the TLS connectors only (bad server name, unreadable root certificate).
        | Error::Tls(_) => true,
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        Error::Pem(_) => true,
        // `ClientConnection::new`, before the handshake.
        #[cfg(feature = "rustls")]
        Error::Rustls(_) => true,
        // ureq's native-tls connector returns these for a failed handshake only; later
        // failures on the stream arrive as `Io`.
        #[cfg(feature = "native-tls")]
        Error::NativeTls(_) | Error::Der(_) => true,
        Error::Io(io) => {
            is_failed_lookup(io) || is_refused_connect(io) || is_tls_handshake_failure(io)
        }
        _ => false,
    }
}

/// ureq's default resolver passes std's `getaddrinfo` failure through as an I/O error whose
/// only mark is std's message (its kind is the unstable `Uncategorized`). Should std ever
/// reword it, DNS failures fall back to `io`: imprecise, but on the safe side.
fn is_failed_lookup(error: &io::Error) -> bool {
    error
        .to_string()
        .starts_with("failed to lookup address information")
}

/// Linux reports ECONNREFUSED only for a reset answering our SYN, and EADDRNOTAVAIL only when
/// binding or connecting; on an established connection a reset is ECONNRESET or EPIPE.
/// (Unreachable host or network are left out: TCP reports them on established connections
/// too, once retransmissions give up.)
fn is_refused_connect(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused | io::ErrorKind::AddrNotAvailable
    )
}

/// rustls errors that can only come out of a handshake, wrapped by ureq into an I/O error
/// (for example the server's certificate is not trusted). TLS 1.2 renegotiation is not
/// supported by rustls and TLS 1.3 has no new server certificate after the handshake.
#[cfg(feature = "rustls")]
fn is_tls_handshake_failure(error: &io::Error) -> bool {
    use rustls::AlertDescription as Alert;

    let Some(tls) = error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    else {
        return false;
    };
    matches!(
        tls,
        rustls::Error::InvalidCertificate(_)
            | rustls::Error::NoCertificatesPresented
            | rustls::Error::UnsupportedNameType
            | rustls::Error::PeerIncompatible(_)
            | rustls::Error::AlertReceived(
                Alert::HandshakeFailure
                    | Alert::ProtocolVersion
                    | Alert::InsufficientSecurity
                    | Alert::UnrecognisedName
                    | Alert::NoApplicationProtocol
            )
    )
}

#[cfg(not(feature = "rustls"))]
fn is_tls_handshake_failure(_error: &io::Error) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor() -> Redactor {
        Redactor::for_uri(&"http://vendor.example/p?sign=s3cret".parse().unwrap())
    }

    #[test]
    fn refused_connect_never_reached_the_vendor() {
        let error = Error::Io(io::Error::from(io::ErrorKind::ConnectionRefused));
        let mapped = classify(error, Phase::Exchange, 10, &redactor());
        assert!(mapped.is_connect());
        assert!(!mapped.may_have_reached_vendor());
    }

    #[test]
    fn failed_dns_lookup_never_reached_the_vendor() {
        let error = Error::Io(io::Error::other(
            "failed to lookup address information: Name or service not known",
        ));
        let mapped = classify(error, Phase::Exchange, 10, &redactor());
        assert!(mapped.is_connect() && !mapped.may_have_reached_vendor());
    }

    #[test]
    fn reset_after_connect_may_have_reached_the_vendor() {
        let error = Error::Io(io::Error::from(io::ErrorKind::ConnectionReset));
        let mapped = classify(error, Phase::Exchange, 10, &redactor());
        assert!(!mapped.is_connect());
        assert!(mapped.may_have_reached_vendor());
    }

    #[test]
    fn phase_timeouts_are_classified() {
        let connect = classify(
            Error::Timeout(Timeout::Connect),
            Phase::Exchange,
            10,
            &redactor(),
        );
        assert!(connect.is_connect() && connect.is_timeout());
        let global = classify(
            Error::Timeout(Timeout::Global),
            Phase::Exchange,
            10,
            &redactor(),
        );
        assert!(global.is_timeout() && !global.is_connect());
        assert!(global.may_have_reached_vendor());
    }

    #[test]
    fn bad_uri_message_does_not_quote_the_uri() {
        let error = Error::BadUri("http://vendor.example/p?sign=s3cret".into());
        let mapped = classify(error, Phase::Exchange, 10, &redactor());
        assert!(mapped.is_invalid_request());
        assert!(!format!("{mapped} {mapped:?}").contains("s3cret"));
    }

    #[test]
    fn body_limit_only_counts_while_reading_the_body() {
        let body = classify(Error::BodyExceedsLimit(7), Phase::Body, 7, &redactor());
        assert!(body.is_body_too_large());
        let send = classify(Error::BodyExceedsLimit(7), Phase::Exchange, 7, &redactor());
        assert!(!send.is_body_too_large() && send.may_have_reached_vendor());
    }
}
