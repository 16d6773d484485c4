//! Turning `reqwest::Error` into the opaque [`TransportError`], classified precisely and
//! with no URL in sight.

use shiming_codec::transport::TransportError;

use shiming_codec::redact::{Redactor, describe};

/// Classifies a reqwest error.
///
/// reqwest knows the phase: `is_connect` is set only when hyper-util's connector failed (DNS,
/// TCP, TLS handshake), so no request byte left. Everything after that is at best a timeout
/// and never "safe to retry".
pub(crate) fn classify(error: reqwest::Error, redactor: &Redactor) -> TransportError {
    let error = error.without_url();
    let message = redactor.scrub(&describe(&error));
    let transport_error = if error.is_builder() {
        TransportError::invalid_request(message)
    } else if error.is_connect() && error.is_timeout() {
        TransportError::connect_timeout(message)
    } else if error.is_connect() {
        TransportError::connect(message)
    } else if error.is_timeout() {
        TransportError::timeout(message)
    } else {
        TransportError::io(message)
    };
    if redactor.mentioned_in_chain(&error) {
        transport_error
    } else {
        transport_error.with_source(error)
    }
}
