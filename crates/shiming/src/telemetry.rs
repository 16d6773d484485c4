//! `tracing` spans for calls and attempts, with personal data masked and secrets absent.
//!
//! A call span (`shiming.call`) carries the check and the masked subject (张*, 186****8888,
//! 110105********002X); each HTTP request gets a child span (`shiming.attempt`) with vendor,
//! operation, attempt number, elapsed time (`elapsed_us`), the vendor's code and the outcome. Requests,
//! responses, URLs (a GET query carries the signature) and secrets are never recorded.
//!
//! Masking allocates, so it only happens when a subscriber actually listens to the span.

use crate::codec::{Vendor, mask};
use crate::error::Error;
use std::time::Duration;
use tracing::Span;
use tracing::field::Empty;

/// The personal data a check is about; only ever recorded masked.
#[derive(Clone, Copy, Default)]
pub(crate) struct Subject<'a> {
    pub(crate) name: Option<&'a str>,
    pub(crate) mobile: Option<&'a str>,
    pub(crate) id_number: Option<&'a str>,
}

impl<'a> Subject<'a> {
    /// A mobile two-element check's subject.
    pub(crate) fn name_and_mobile(name: &'a str, mobile: &'a str) -> Self {
        Subject {
            name: Some(name),
            mobile: Some(mobile),
            id_number: None,
        }
    }

    /// An ID-card two-element check's subject.
    pub(crate) fn name_and_id(name: &'a str, id_number: &'a str) -> Self {
        Subject {
            name: Some(name),
            mobile: None,
            id_number: Some(id_number),
        }
    }

    /// A status check's subject.
    pub(crate) fn mobile(mobile: &'a str) -> Self {
        Subject {
            mobile: Some(mobile),
            ..Subject::default()
        }
    }
}

/// Runs a whole check inside its call span ([`call_span`]) and records how it ended
/// ([`call_finished`]): what every public method of the blocking verifier does around its call.
#[cfg(feature = "blocking")]
pub(crate) fn traced<T>(
    check: &'static str,
    subject: Subject<'_>,
    call: impl FnOnce() -> Result<crate::Checked<T>, Error>,
) -> Result<crate::Checked<T>, Error> {
    let span = call_span(check, subject);
    let result = span.in_scope(call);
    call_finished(&span, &result);
    result
}

/// [`traced`] for the async verifier: the call's future runs instrumented by the span.
#[cfg(feature = "async")]
pub(crate) async fn traced_async<T>(
    check: &'static str,
    subject: Subject<'_>,
    call: impl std::future::Future<Output = Result<crate::Checked<T>, Error>>,
) -> Result<crate::Checked<T>, Error> {
    use tracing::Instrument;
    let span = call_span(check, subject);
    let result = call.instrument(span.clone()).await;
    call_finished(&span, &result);
    result
}

/// The span around one whole check (all attempts, all vendors of a failover chain).
pub(crate) fn call_span(check: &'static str, subject: Subject<'_>) -> Span {
    let span = tracing::info_span!(
        "shiming.call",
        check,
        name = Empty,
        mobile = Empty,
        id_number = Empty,
        vendor = Empty,
        attempts = Empty,
        outcome = Empty,
    );
    if !span.is_disabled() {
        if let Some(name) = subject.name {
            span.record("name", mask::name(name));
        }
        if let Some(mobile) = subject.mobile {
            span.record("mobile", mask::mobile(mobile));
        }
        if let Some(id_number) = subject.id_number {
            span.record("id_number", mask::id_number(id_number));
        }
    }
    span
}

/// Records how a whole check ended on its span.
pub(crate) fn call_finished<T>(span: &Span, result: &Result<crate::Checked<T>, Error>) {
    if span.is_disabled() {
        return;
    }
    match result {
        Ok(checked) => {
            span.record("vendor", checked.vendor.as_str());
            span.record("attempts", checked.attempts);
            span.record("outcome", "answered");
        }
        Err(error) => {
            if let Some(vendor) = error.vendor() {
                span.record("vendor", vendor.as_str());
            }
            span.record("attempts", error.attempts());
            span.record("outcome", error.kind().as_str());
        }
    }
}

/// The span around one HTTP request to one vendor.
pub(crate) fn attempt_span(vendor: Vendor, operation: &'static str, attempt: u32) -> Span {
    tracing::info_span!(
        "shiming.attempt",
        vendor = vendor.as_str(),
        operation,
        attempt,
        elapsed_us = Empty,
        code = Empty,
        outcome = Empty,
    )
}

/// Records how one attempt ended (`answered`, an error kind, `again`) on its span (the
/// exchange records the vendor's code as soon as it decodes it), and logs it at debug level.
pub(crate) fn attempt_finished(span: &Span, elapsed: Duration, outcome: &str) {
    if span.is_disabled() {
        return;
    }
    let elapsed_us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    span.record("elapsed_us", elapsed_us);
    span.record("outcome", outcome);
    tracing::debug!(elapsed_us, "attempt finished");
}
