//! One whole check as a sans-IO state machine: the [`Exchange`]s with the vendors it asks, in
//! order. Most checks ask one vendor; the mobile two-element check moves along its failover
//! chain. The verifiers drive it exactly as they would drive one exchange, with their own I/O.

use crate::codec::Vendor;
use crate::codec::transport::{HttpRequest, HttpResponse, TransportError};
use crate::error::Error;
use crate::exchange::{Exchange, Next};
use crate::policy;
use crate::redaction::Scrub;
use crate::telemetry::Subject;
use std::time::Duration;
use tracing::Span;

/// A check, set up by [`Core`](crate::core::Core): what its span records, and its chain — or
/// why it cannot start (the vendor it needs is not configured), an error the span records too.
pub(crate) struct Call<'a, T> {
    /// The check's name, for its span (`mobile_two_elements`, …).
    pub(crate) check: &'static str,
    /// The person it is about, recorded masked.
    pub(crate) subject: Subject<'a>,
    pub(crate) chain: Result<Chain<'a, T>, Error>,
}

impl<'a, T> Call<'a, T> {
    pub(crate) fn new(
        check: &'static str,
        subject: Subject<'a>,
        chain: Result<Chain<'a, T>, Error>,
    ) -> Self {
        Call {
            check,
            subject,
            chain,
        }
    }
}

/// Starts the exchange with a vendor after the given number of requests to earlier vendors.
type Start<'a, T> = dyn Fn(Vendor, u32) -> Result<Exchange<'a, T>, Error> + Send + 'a;

/// The vendors one check asks, the one being asked first.
pub(crate) struct Chain<'a, T> {
    exchange: Exchange<'a, T>,
    failover: Option<Failover<'a, T>>,
}

/// The vendors to move on to, and when.
struct Failover<'a, T> {
    vendors: std::slice::Iter<'a, Vendor>,
    start: Box<Start<'a, T>>,
    when_possibly_billed: bool,
}

impl<'a, T: Scrub> Chain<'a, T> {
    /// A check of one vendor.
    pub(crate) fn one(exchange: Exchange<'a, T>) -> Self {
        Chain {
            exchange,
            failover: None,
        }
    }

    /// A check that may move on from `exchange` to `vendors`, in order, after upstream
    /// trouble ([`policy::may_fail_over`]); `start` begins the exchange with each.
    pub(crate) fn failing_over(
        exchange: Exchange<'a, T>,
        vendors: &'a [Vendor],
        when_possibly_billed: bool,
        start: impl Fn(Vendor, u32) -> Result<Exchange<'a, T>, Error> + Send + 'a,
    ) -> Self {
        Chain {
            exchange,
            failover: Some(Failover {
                vendors: vendors.iter(),
                start: Box::new(start),
                when_possibly_billed,
            }),
        }
    }

    /// The span of the current attempt: drivers run the transport call inside it.
    pub(crate) fn span(&self) -> &Span {
        self.exchange.span()
    }

    /// Builds the next request (see [`Exchange::prepare`]); an error ends the check.
    pub(crate) fn prepare(&mut self) -> Result<HttpRequest, Error> {
        loop {
            match self.exchange.prepare() {
                Ok(request) => return Ok(request),
                Err(error) => self.fail_over(error)?,
            }
        }
    }

    /// Takes what the transport returned for the last prepared request (see
    /// [`Exchange::judge`]); a vendor's final failure may move the check to the next vendor.
    pub(crate) fn judge(&mut self, result: Result<HttpResponse, TransportError>) -> Next<T> {
        match self.exchange.judge(result) {
            Next::Done(Err(error)) => match self.fail_over(error) {
                Ok(()) => Next::Again(Duration::ZERO),
                Err(error) => Next::Done(Err(error)),
            },
            next => next,
        }
    }

    /// After the current vendor failed with `error`: moves on to the next vendor when the
    /// policy allows and there is one, else gives `error` back as the check's.
    fn fail_over(&mut self, mut error: Error) -> Result<(), Error> {
        let Some(failover) = &mut self.failover else {
            return Err(error);
        };
        loop {
            if !policy::may_fail_over(error.failure(), failover.when_possibly_billed) {
                return Err(error);
            }
            let Some(&vendor) = failover.vendors.next() else {
                return Err(error);
            };
            tracing::warn!(error = %error, "failing over to the next vendor");
            match (failover.start)(vendor, error.attempts()) {
                Ok(exchange) => {
                    self.exchange = exchange;
                    return Ok(());
                }
                Err(not_started) => error = not_started,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The chain driven by hand: canned results in, the vendors asked and the answer out.

    use super::*;
    use crate::clock::FixedClock;
    use crate::codec::TwoElementAnswer;
    use crate::codec::redact::Redactor;
    use crate::codec::wapi::{MobileTwoElements, WapiConfig};
    use crate::exchange::Engine;
    use crate::policy::RetryPolicy;
    use crate::sign::{Secret, UnixTime};
    use std::sync::{Arc, Mutex};

    const NOW: u64 = 1_700_000_000;

    fn answer() -> Result<HttpResponse, TransportError> {
        let body = format!(
            r#"{{"codeid":10000,"message":"m","retdata":{{"bank_status":"01"}},"time":"{NOW}"}}"#
        );
        Ok(http::Response::new(body.into_bytes()))
    }

    /// Drives a chain over `vendors` (every one speaking wapi's wire format here: the chain
    /// only sequences exchanges) against `results`; what it answered and whom it asked.
    fn drive(
        vendors: &[Vendor],
        when_possibly_billed: bool,
        results: Vec<Result<HttpResponse, TransportError>>,
    ) -> (Result<crate::Checked<TwoElementAnswer>, Error>, Vec<Vendor>) {
        let engine = Engine::new(
            Arc::new(FixedClock(UnixTime(NOW))),
            RetryPolicy::never(),
            4096,
        );
        let config = WapiConfig::new("http://127.0.0.1:9", "1", Secret::new("s3cret"))
            .expect("valid config");
        let asked = Mutex::new(Vec::new());
        let start = |vendor, earlier_attempts| {
            asked.lock().expect("not poisoned").push(vendor);
            let operation = MobileTwoElements::new("张三", "18688888888");
            let redactor = Redactor::new();
            Ok(Exchange::new(
                operation,
                &config,
                &engine,
                earlier_attempts,
                &redactor,
            ))
        };
        let (first, rest) = vendors.split_first().expect("a vendor");
        let exchange = start(*first, 0).expect("started");
        let mut chain = Chain::failing_over(exchange, rest, when_possibly_billed, start);
        let mut results = results.into_iter();
        let outcome = loop {
            if let Err(error) = chain.prepare() {
                break Err(error);
            }
            let result = results.next().expect("a canned result for every request");
            if let Next::Done(outcome) = chain.judge(result) {
                break outcome;
            }
        };
        drop(chain);
        (outcome, asked.into_inner().expect("not poisoned"))
    }

    #[test]
    fn certainly_unbilled_trouble_moves_on_and_attempts_add_up() {
        let results = vec![Err(TransportError::connect("refused")), answer()];
        let (outcome, asked) = drive(&[Vendor::Wapi, Vendor::Qxt], false, results);
        assert_eq!(outcome.expect("the second vendor answers").attempts, 2);
        assert_eq!(asked, [Vendor::Wapi, Vendor::Qxt]);
    }

    #[test]
    fn possibly_billed_trouble_stays_unless_allowed() {
        let timeout = || Err(TransportError::timeout("no answer"));
        let (outcome, asked) = drive(&[Vendor::Wapi, Vendor::Qxt], false, vec![timeout()]);
        let error = outcome.expect_err("reported");
        assert!(error.is_timeout() && error.may_have_been_billed());
        assert_eq!((error.attempts(), asked), (1, vec![Vendor::Wapi]));

        let (outcome, asked) = drive(
            &[Vendor::Wapi, Vendor::Qxt],
            true,
            vec![timeout(), answer()],
        );
        assert_eq!(outcome.expect("moved on").attempts, 2);
        assert_eq!(asked, [Vendor::Wapi, Vendor::Qxt]);
    }

    #[test]
    fn the_last_vendor_failing_ends_the_check_with_its_error() {
        let results = vec![
            Err(TransportError::connect("refused")),
            Err(TransportError::connect("refused again")),
        ];
        let (outcome, asked) = drive(&[Vendor::Wapi, Vendor::Qxt], false, results);
        let error = outcome.expect_err("nobody answered");
        assert_eq!(error.attempts(), 2);
        assert_eq!(asked, [Vendor::Wapi, Vendor::Qxt]);
    }
}
