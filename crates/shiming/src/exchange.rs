//! One call to one vendor as a sans-IO state machine, shared by the async and the blocking
//! verifier (quinn-proto style: requests come out, responses go in, the driver owns the I/O).
//!
//! The drivers are three lines each: ask [`Exchange::prepare`] for a request, send it, hand the
//! result to [`Exchange::judge`], which says "done" or "wait this long and go again". Every
//! decision — retries, clock-skew correction, the size cap, mapping a reply to an answer or an
//! error — happens here, identically for both transports.

use crate::checked::Checked;
use crate::clock::Clock;
use crate::codec::redact::Redactor;
use crate::codec::transport::{HttpRequest, HttpResponse, TransportError};
use crate::codec::{BuildError, DecodeError, Kind, Operation, Outcome, Reply, Vendor};
use crate::error::Error;
use crate::policy::{self, Decision, RetryPolicy};
use crate::redaction::Scrub;
use crate::sign::UnixTime;
use crate::skew::{self, SkewTable};
use crate::telemetry;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Span;

/// The state every call shares: clock, learned skew, retry policy, size cap.
#[derive(Debug)]
pub(crate) struct Engine {
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) skew: SkewTable,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_response_bytes: u64,
    pub(crate) jitter: fn() -> f64,
}

impl Engine {
    pub(crate) fn new(clock: Arc<dyn Clock>, retry: RetryPolicy, max_response_bytes: u64) -> Self {
        Engine {
            clock,
            skew: SkewTable::default(),
            retry,
            max_response_bytes,
            jitter: policy::random_jitter,
        }
    }
}

/// What the driver does next.
pub(crate) enum Next<T> {
    /// The call is over.
    Done(Result<Checked<T>, Error>),
    /// Send again after this pause (zero: at once).
    Again(Duration),
}

impl<T> Next<T> {
    /// How the attempt ended, as its span records it: `answered`, the error's kind, or
    /// `again`.
    pub(crate) fn outcome(&self) -> &'static str {
        match self {
            Next::Done(Ok(_)) => "answered",
            Next::Done(Err(error)) => error.kind().as_str(),
            Next::Again(_) => "again",
        }
    }
}

/// An operation with its account's settings: all an exchange asks of it. Its type is erased
/// so that the exchanges of one failover chain, with different vendors, have one type.
trait Bound<T>: Send + Sync {
    fn name(&self) -> &'static str;
    fn prepare(&self, now: UnixTime) -> Result<HttpRequest, BuildError>;
    fn decode(&self, response: &HttpResponse) -> Result<Reply<T>, DecodeError>;
}

struct WithConfig<'a, O: Operation> {
    operation: O,
    config: &'a O::Config,
}

impl<O> Bound<O::Output> for WithConfig<'_, O>
where
    O: Operation + Send + Sync,
    O::Config: Sync,
{
    fn name(&self) -> &'static str {
        self.operation.name()
    }

    fn prepare(&self, now: UnixTime) -> Result<HttpRequest, BuildError> {
        self.operation.prepare(self.config, now)
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<O::Output>, DecodeError> {
        self.operation.decode(response)
    }
}

/// One call to one vendor, answering `T`, possibly several requests long.
pub(crate) struct Exchange<'a, T> {
    operation: Box<dyn Bound<T> + 'a>,
    engine: &'a Engine,
    vendor: Vendor,
    /// Requests sent before this exchange began (earlier vendors of a failover chain).
    earlier_attempts: u32,
    /// Requests prepared by this exchange.
    attempts: u32,
    /// Requests that count against the retry budget (a clock correction does not).
    budgeted: u32,
    skew_corrected: bool,
    /// The learned offset the last prepared request was stamped with.
    sent_offset: i64,
    span: Span,
    started: Option<Instant>,
    /// The call's redactor (configured secrets, the subject), plus the secret parameters of
    /// every request this exchange prepared: all that leaves the exchange passes through it.
    redactor: Redactor,
}

impl<'a, T: Scrub> Exchange<'a, T> {
    /// `operation` with the account `config`, after `earlier_attempts` requests to earlier
    /// vendors of a failover chain.
    pub(crate) fn new<O>(
        operation: O,
        config: &'a O::Config,
        engine: &'a Engine,
        earlier_attempts: u32,
        redactor: &Redactor,
    ) -> Self
    where
        O: Operation<Output = T> + Send + Sync + 'a,
        O::Config: Sync,
    {
        Exchange {
            redactor: redactor.clone(),
            vendor: operation.vendor(),
            operation: Box::new(WithConfig { operation, config }),
            engine,
            earlier_attempts,
            attempts: 0,
            budgeted: 0,
            skew_corrected: false,
            sent_offset: 0,
            span: Span::none(),
            started: None,
        }
    }

    /// The span of the current attempt: drivers run the transport call inside it.
    pub(crate) fn span(&self) -> &Span {
        &self.span
    }

    /// Builds the next request, stamped with the vendor's idea of the time.
    pub(crate) fn prepare(&mut self) -> Result<HttpRequest, Error> {
        let stamp = self.engine.skew.stamp(self.vendor, self.engine.clock.now());
        let request = self.operation.prepare(stamp.now).map_err(|e| {
            Error::invalid_input(self.vendor, e)
                .redacted(&self.redactor)
                .with_attempts(self.total())
        })?;
        self.redactor.request(&request);
        self.sent_offset = stamp.offset;
        self.attempts += 1;
        self.budgeted += 1;
        self.span = telemetry::attempt_span(self.vendor, self.operation.name(), self.attempts);
        self.started = Some(Instant::now());
        Ok(request)
    }

    /// Takes what the transport returned for the last prepared request.
    pub(crate) fn judge(&mut self, result: Result<HttpResponse, TransportError>) -> Next<T> {
        let elapsed = self.started.map(|s| s.elapsed()).unwrap_or_default();
        let span = self.span.clone();
        let _entered = span.enter();
        let next = self.judge_inner(result);
        telemetry::attempt_finished(&span, elapsed, next.outcome());
        next
    }

    fn judge_inner(&mut self, result: Result<HttpResponse, TransportError>) -> Next<T> {
        let response = match result {
            Ok(response) => response,
            Err(error) => return self.failed(Error::transport(self.vendor, error)),
        };
        // Custom clients may ignore the cap; enforce it here too (the bundled transports stop
        // reading at the cap, so they never get this far with a larger body).
        if response.body().len() as u64 > self.engine.max_response_bytes {
            let error = TransportError::body_too_large(self.engine.max_response_bytes);
            return self.failed(Error::transport(self.vendor, error));
        }
        let reply = match self.operation.decode(&response) {
            Ok(reply) => reply,
            Err(error) => {
                let status = error.status().as_u16();
                let error = error.redacted(&self.redactor, response.body());
                return self.failed(Error::decode(self.vendor, status, error));
            }
        };
        let Reply {
            vendor,
            code,
            message,
            billed,
            server_time,
            outcome,
        } = reply;
        // The vendor's words may quote the request (an echo): scrubbed before anything else
        // sees them. The code decided the outcome already; what is kept of it loses secrets.
        let (mut message, mut code) = (message, code);
        self.redactor.scrub_in_place(&mut message);
        self.redactor.scrub_secrets_in_place(&mut code);
        self.span.record("code", code.as_str());
        match outcome {
            Outcome::Answered(mut answer) => {
                answer.scrub(&self.redactor);
                Next::Done(Ok(Checked {
                    vendor,
                    code,
                    message,
                    billed,
                    attempts: self.total(),
                    answer,
                    origin: crate::checked::Origin::Vendor,
                }))
            }
            Outcome::Refused(refusal) => {
                if refusal.kind == Kind::ClockSkew && self.learn_skew(server_time, &response) {
                    return Next::Again(Duration::ZERO);
                }
                let error = Error::refused(
                    vendor,
                    refusal.kind,
                    code,
                    message,
                    refusal.retryable,
                    billed,
                );
                self.failed(error)
            }
        }
    }

    /// On the first clock-skew refusal, learns the vendor's clock from its `time` field or
    /// the HTTP `Date` header; true when a corrected retry should follow — only when the
    /// learned offset differs from the one the refused request was stamped with (see
    /// [`skew::worth_correcting`]): a retry with the same time would be refused again.
    fn learn_skew(&mut self, server_time: Option<UnixTime>, response: &HttpResponse) -> bool {
        if self.skew_corrected {
            return false;
        }
        let vendor_time = server_time.or_else(|| {
            response
                .headers()
                .get(http::header::DATE)
                .and_then(|v| v.to_str().ok())
                .and_then(skew::parse_http_date)
        });
        let Some(vendor_time) = vendor_time else {
            tracing::warn!("clock skew refusal without a vendor time to learn from");
            return false;
        };
        let offset = skew::offset_between(vendor_time, self.engine.clock.now());
        if !skew::worth_correcting(self.sent_offset, offset) {
            tracing::warn!(
                offset_seconds = offset,
                sent_with_offset_seconds = self.sent_offset,
                "clock skew refusal, but the vendor's clock agrees with the time we sent; \
                 nothing to correct, not retrying"
            );
            return false;
        }
        self.engine.skew.learn(self.vendor, offset);
        self.skew_corrected = true;
        // The correction is not a retry in the policy's sense: it does not use the budget.
        self.budgeted = self.budgeted.saturating_sub(1);
        tracing::warn!(
            offset_seconds = offset,
            "learned the vendor's clock offset; retrying once"
        );
        true
    }

    fn failed(&mut self, error: Error) -> Next<T> {
        let error = error.redacted(&self.redactor);
        let jitter = (self.engine.jitter)();
        match policy::after_failure(&self.engine.retry, error.failure(), self.budgeted, jitter) {
            Decision::Retry(delay) => {
                tracing::debug!(delay_ms = delay.as_millis() as u64, error = %error, "retrying");
                Next::Again(delay)
            }
            Decision::GiveUp => Next::Done(Err(error.with_attempts(self.total()))),
        }
    }

    /// Requests sent for the whole call so far, earlier vendors included.
    fn total(&self) -> u32 {
        self.earlier_attempts + self.attempts
    }
}

#[cfg(test)]
mod tests {
    //! The exchange driven by hand: canned responses in, requests and pauses out. No sockets.

    use super::*;
    use crate::clock::FixedClock;
    use crate::codec::ihuyi::{IhuyiConfig, MobileStatus};
    use crate::codec::wapi::{MobileTwoElements, WapiConfig};
    use crate::codec::{Verdict, transport::TransportError};
    use crate::error::ErrorKind;
    use crate::sign::Secret;

    const LOCAL_NOW: u64 = 1_700_000_000;

    fn engine(retry: RetryPolicy) -> Engine {
        let mut engine = Engine::new(Arc::new(FixedClock(UnixTime(LOCAL_NOW))), retry, 4096);
        engine.jitter = || 0.0;
        engine
    }

    fn wapi_config() -> WapiConfig {
        WapiConfig::new("http://127.0.0.1:9", "1", Secret::new("s3cret")).expect("valid config")
    }

    fn respond(status: u16, body: &str) -> Result<HttpResponse, TransportError> {
        let mut response = http::Response::new(body.as_bytes().to_vec());
        *response.status_mut() = http::StatusCode::from_u16(status).expect("valid status");
        Ok(response)
    }

    fn wapi_answer(
        codeid: u32,
        bank_status: &str,
        server_time: u64,
    ) -> Result<HttpResponse, TransportError> {
        respond(
            200,
            &format!(
                r#"{{"codeid":{codeid},"message":"m","retdata":{{"bank_status":"{bank_status}"}},"time":"{server_time}"}}"#
            ),
        )
    }

    /// The `time` parameter of a form-encoded request body.
    fn sent_time(request: &HttpRequest) -> u64 {
        let body = String::from_utf8_lossy(request.body()).into_owned();
        body.split('&')
            .find_map(|pair| pair.strip_prefix("time="))
            .and_then(|t| t.parse().ok())
            .expect("a time parameter")
    }

    /// What [`drive`] saw: the outcome, the requests sent and the pauses asked for.
    type Driven<T> = (Result<Checked<T>, Error>, Vec<HttpRequest>, Vec<Duration>);

    /// Runs an exchange against canned results.
    fn drive<O>(
        operation: &O,
        config: &O::Config,
        engine: &Engine,
        results: Vec<Result<HttpResponse, TransportError>>,
    ) -> Driven<O::Output>
    where
        O: Operation<Output: Scrub, Config: Sync> + Clone + Send + Sync,
    {
        let operation = operation.clone();
        let mut exchange = Exchange::new(operation, config, engine, 0, &Redactor::new());
        let mut results = results.into_iter();
        let mut requests = Vec::new();
        let mut pauses = Vec::new();
        loop {
            let request = match exchange.prepare() {
                Ok(request) => request,
                Err(error) => return (Err(error), requests, pauses),
            };
            requests.push(request);
            let result = results.next().expect("a canned result for every request");
            match exchange.judge(result) {
                Next::Done(outcome) => return (outcome, requests, pauses),
                Next::Again(pause) => pauses.push(pause),
            }
        }
    }

    /// Runs a wapi mobile two-element check (张三, 18688888888) against canned results.
    fn drive_wapi(
        engine: &Engine,
        results: Vec<Result<HttpResponse, TransportError>>,
    ) -> Driven<crate::codec::TwoElementAnswer> {
        let check = MobileTwoElements::new("张三", "18688888888");
        drive(&check, &wapi_config(), engine, results)
    }

    #[test]
    fn an_answer_on_the_first_attempt() {
        let engine = engine(RetryPolicy::default());
        let (outcome, requests, pauses) =
            drive_wapi(&engine, vec![wapi_answer(10000, "02", LOCAL_NOW)]);
        let checked = outcome.expect("an answer");
        assert_eq!(checked.answer.verdict, Verdict::Mismatch);
        assert_eq!(
            (checked.vendor, checked.code.as_str()),
            (Vendor::Wapi, "10000")
        );
        assert!(checked.billed);
        assert_eq!(checked.attempts, 1);
        assert_eq!(sent_time(&requests[0]), LOCAL_NOW);
        assert!(pauses.is_empty());
    }

    #[test]
    fn connect_failures_are_retried_with_backoff() {
        let engine = engine(
            RetryPolicy::default().delays(Duration::from_millis(100), Duration::from_secs(1)),
        );
        let results = vec![
            Err(TransportError::connect("refused")),
            Err(TransportError::connect_timeout("slow")),
            wapi_answer(10000, "01", LOCAL_NOW),
        ];
        let (outcome, _, pauses) = drive_wapi(&engine, results);
        assert_eq!(outcome.expect("an answer").attempts, 3);
        assert_eq!(
            pauses,
            [Duration::from_millis(50), Duration::from_millis(100)]
        );
    }

    #[test]
    fn the_budget_bounds_retries_and_the_error_counts_attempts() {
        let engine = engine(RetryPolicy::default().max_attempts(2));
        let results = vec![
            respond(502, "<html>bad gateway</html>"),
            respond(502, "<html>bad gateway</html>"),
        ];
        let (outcome, requests, _) = drive_wapi(&engine, results);
        let error = outcome.expect_err("gives up");
        assert_eq!(error.kind(), ErrorKind::Decode);
        assert_eq!(error.attempts(), 2);
        assert_eq!(requests.len(), 2);
        assert!(!error.may_have_been_billed());
    }

    #[test]
    fn a_timeout_after_sending_is_reported_at_once() {
        let engine = engine(RetryPolicy::default());
        let (outcome, requests, _) =
            drive_wapi(&engine, vec![Err(TransportError::timeout("no answer"))]);
        let error = outcome.expect_err("reported");
        assert!(error.is_timeout() && error.may_have_been_billed());
        assert_eq!(requests.len(), 1);
    }

    #[test]
    fn wapi_clock_skew_is_learned_from_the_time_field_and_kept() {
        let engine = engine(RetryPolicy::never());
        let vendor_now = LOCAL_NOW + 3_600;
        let results = vec![
            wapi_answer(10004, "", vendor_now),
            wapi_answer(10000, "01", vendor_now),
        ];
        let (outcome, requests, pauses) = drive_wapi(&engine, results);
        assert_eq!(outcome.expect("answered after the correction").attempts, 2);
        assert_eq!(sent_time(&requests[0]), LOCAL_NOW);
        assert_eq!(sent_time(&requests[1]), vendor_now);
        assert_eq!(pauses, [Duration::ZERO]);
        // The next call starts on the vendor's clock.
        let (_, requests, _) = drive_wapi(&engine, vec![wapi_answer(10000, "01", vendor_now)]);
        assert_eq!(sent_time(&requests[0]), vendor_now);
        assert_eq!(engine.skew.offset(Vendor::Qxt), 0);
    }

    #[test]
    fn a_second_skew_refusal_is_reported() {
        let engine = engine(RetryPolicy::default());
        let results = vec![
            wapi_answer(10004, "", LOCAL_NOW + 3_600),
            wapi_answer(10004, "", LOCAL_NOW + 7_200),
        ];
        let (outcome, requests, _) = drive_wapi(&engine, results);
        let error = outcome.expect_err("reported");
        assert_eq!(error.kind(), ErrorKind::Vendor(Kind::ClockSkew));
        assert_eq!(error.vendor_code(), Some("10004"));
        assert_eq!((error.attempts(), requests.len()), (2, 2));
    }

    #[test]
    fn ihuyi_clock_skew_is_learned_from_the_date_header() {
        let engine = engine(RetryPolicy::never());
        let config = IhuyiConfig::new("acct", Secret::new("key"))
            .with_base_url("http://127.0.0.1:9")
            .expect("valid url");
        let check = MobileStatus::new("18688888888");
        let mut expired = respond(
            200,
            r#"{"code":40501,"msg":"动态密码已过期","idcardid":"0"}"#,
        )
        .expect("a response");
        // 1_700_000_000 + 900 seconds.
        expired.headers_mut().insert(
            http::header::DATE,
            http::HeaderValue::from_static("Tue, 14 Nov 2023 22:28:20 GMT"),
        );
        let answered = respond(
            200,
            r#"{"code":2,"msg":"提交成功","idcardid":"1","result":{"status":2,"info":{"operator_real":1,"time_online":4,"operator":1,"is_xhzw":0}}}"#,
        );
        let (outcome, _, _) = drive(&check, &config, &engine, vec![Ok(expired), answered]);
        assert_eq!(outcome.expect("answered").attempts, 2);
        assert_eq!(engine.skew.offset(Vendor::Ihuyi), 900);
        assert_eq!(engine.skew.offset(Vendor::Wapi), 0);
    }

    /// An ihuyi 40501 refusal whose `Date` says the vendor's clock is `LOCAL_NOW + offset`.
    fn ihuyi_expired(offset: i64) -> Result<HttpResponse, TransportError> {
        let mut expired = respond(
            200,
            r#"{"code":40501,"msg":"动态密码已过期","idcardid":"0"}"#,
        )?;
        let vendor_now = LOCAL_NOW.saturating_add_signed(offset);
        let date = httpdate::fmt_http_date(std::time::UNIX_EPOCH + Duration::from_secs(vendor_now));
        expired.headers_mut().insert(
            http::header::DATE,
            http::HeaderValue::from_str(&date).expect("an ASCII date"),
        );
        Ok(expired)
    }

    fn ihuyi_config() -> IhuyiConfig {
        IhuyiConfig::new("acct", Secret::new("key"))
            .with_base_url("http://127.0.0.1:9")
            .expect("valid url")
    }

    #[test]
    fn a_skew_refusal_with_nothing_to_correct_is_reported_without_a_retry() {
        // The vendor's clock agrees with ours (to the Date's whole second, either way): the
        // corrected request would carry the same time and be refused again.
        for vendor_offset in [0, 1, -1] {
            let engine = engine(RetryPolicy::default());
            let check = MobileStatus::new("18688888888");
            let (outcome, requests, pauses) = drive(
                &check,
                &ihuyi_config(),
                &engine,
                vec![ihuyi_expired(vendor_offset)],
            );
            let error = outcome.expect_err("reported");
            assert_eq!(error.kind(), ErrorKind::Vendor(Kind::ClockSkew));
            assert_eq!(error.vendor_code(), Some("40501"));
            assert_eq!(
                (error.attempts(), requests.len()),
                (1, 1),
                "{vendor_offset}"
            );
            assert!(pauses.is_empty());
            assert_eq!(engine.skew.offset(Vendor::Ihuyi), 0, "nothing learned");
        }
        // The same for wapi's `time` field.
        let engine = engine(RetryPolicy::default());
        let (outcome, requests, _) = drive_wapi(&engine, vec![wapi_answer(10004, "", LOCAL_NOW)]);
        let error = outcome.expect_err("reported");
        assert_eq!(error.kind(), ErrorKind::Vendor(Kind::ClockSkew));
        assert_eq!((error.attempts(), requests.len()), (1, 1));
    }

    #[test]
    fn an_offset_already_in_use_is_not_retried_but_a_changed_one_is() {
        let engine = engine(RetryPolicy::never());
        engine.skew.learn(Vendor::Ihuyi, 3_600);
        let check = MobileStatus::new("18688888888");
        // Refused although stamped with the offset the vendor confirms: nothing to correct.
        let (outcome, _, _) = drive(&check, &ihuyi_config(), &engine, vec![ihuyi_expired(3_600)]);
        assert_eq!(outcome.expect_err("reported").attempts(), 1);
        assert_eq!(engine.skew.offset(Vendor::Ihuyi), 3_600);
        // The vendor's clock was set right meanwhile: the old offset is what is wrong.
        let answered = respond(
            200,
            r#"{"code":2,"msg":"提交成功","idcardid":"1","result":{"status":2,"info":{"operator_real":1,"time_online":4,"operator":1,"is_xhzw":0}}}"#,
        );
        let (outcome, _, pauses) = drive(
            &check,
            &ihuyi_config(),
            &engine,
            vec![ihuyi_expired(0), answered],
        );
        assert_eq!(outcome.expect("answered").attempts, 2);
        assert_eq!(pauses, [Duration::ZERO]);
        assert_eq!(engine.skew.offset(Vendor::Ihuyi), 0);
    }

    #[test]
    fn a_body_over_the_cap_is_an_error_even_from_a_custom_client() {
        let engine = engine(RetryPolicy::default());
        let huge = format!("{}{}", r#"{"codeid":10000}"#, " ".repeat(5000));
        let (outcome, requests, _) = drive_wapi(&engine, vec![respond(200, &huge)]);
        let error = outcome.expect_err("too large");
        assert_eq!(error.kind(), ErrorKind::Transport);
        assert!(error.may_have_been_billed() && !error.retryable());
        assert_eq!(requests.len(), 1);
    }

    #[test]
    fn unbilled_retryable_codes_are_retried_and_refusals_become_errors() {
        let engine = engine(RetryPolicy::default().delays(Duration::ZERO, Duration::ZERO));
        let results = vec![
            wapi_answer(10021, "", LOCAL_NOW),
            wapi_answer(10021, "", LOCAL_NOW),
            wapi_answer(10021, "", LOCAL_NOW),
        ];
        let (outcome, requests, _) = drive_wapi(&engine, results);
        let error = outcome.expect_err("still failing");
        assert_eq!(error.kind(), ErrorKind::Vendor(Kind::Upstream));
        assert_eq!(requests.len(), 3);

        let (outcome, requests, _) = drive_wapi(&engine, vec![wapi_answer(10003, "", LOCAL_NOW)]);
        let error = outcome.expect_err("auth");
        assert_eq!(error.kind(), ErrorKind::Vendor(Kind::Auth));
        assert_eq!(requests.len(), 1);
    }

    #[test]
    fn input_the_codec_refuses_is_never_sent() {
        let engine = engine(RetryPolicy::default());
        let check = MobileTwoElements::new("", "18688888888");
        let (outcome, requests, _) = drive(&check, &wapi_config(), &engine, vec![]);
        let error = outcome.expect_err("invalid");
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert_eq!((error.attempts(), requests.len()), (0, 0));
    }
}
