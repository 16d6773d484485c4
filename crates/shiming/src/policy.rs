//! Retry, clock-skew and failover decisions: pure functions of what an attempt came to.
//!
//! Both transports share this module; it performs no I/O, reads no clock and draws no random
//! numbers (the jitter is an argument), so every rule is unit-tested below.
//!
//! The money rule behind all of it: a request may be sent again — to the same vendor or to
//! another one — only when the failed attempt **certainly was not billed**:
//! - the transport failed before a byte was sent (DNS, TCP connect, TLS, connect timeout);
//! - the vendor answered with a code its taxonomy marks unbilled;
//! - the answer was an undecodable error page with a 5xx status other than a gateway timeout
//!   ([`GATEWAY_TIMEOUTS`]: 504, Cloudflare's 524, the proxies' 598 and 599) — the vendor's
//!   application never produced an answer, so it never billed one. Gateway timeouts are
//!   excluded on purpose: the request reached something that gave up waiting on the vendor,
//!   which may still have completed (and billed) it.
//!
//! A timeout or broken connection after sending, an oversized body, or an undecodable 2xx page
//! may have been billed: those are reported, never repeated, unless the caller opted in.

use crate::codec::Kind;
use std::time::Duration;

/// How often and how patiently one vendor is asked again after a failure that cannot have
/// been billed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts per vendor, the first included (1 = never retry). 0 counts as 1.
    pub max_attempts: u32,
    /// Backoff before the first retry; doubles on each further retry.
    pub base_delay: Duration,
    /// Upper bound of one backoff.
    pub max_delay: Duration,
    /// Also retry a timeout that struck after the request was sent. Such a request may have
    /// reached the vendor and been billed, so a retry can bill twice: off by default.
    pub retry_timeouts_after_send: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            retry_timeouts_after_send: false,
        }
    }
}

impl RetryPolicy {
    /// One attempt per vendor, no retries (a clock-skew correction still happens).
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets [`max_attempts`](Self::max_attempts).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// Sets [`base_delay`](Self::base_delay) and [`max_delay`](Self::max_delay).
    pub fn delays(mut self, base: Duration, max: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = max;
        self
    }

    /// Sets [`retry_timeouts_after_send`](Self::retry_timeouts_after_send).
    pub fn retry_timeouts_after_send(mut self, retry: bool) -> Self {
        self.retry_timeouts_after_send = retry;
        self
    }

    /// The pause before retry number `retry` (1 = the first retry), with "equal jitter":
    /// half of the exponential step is fixed, the other half scaled by `jitter` in `[0, 1)`.
    /// The fixed half keeps retries from bunching at zero; the random half spreads the
    /// retries of many concurrent calls apart.
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let doublings = retry.saturating_sub(1).min(31);
        let step = self
            .base_delay
            .saturating_mul(1u32 << doublings)
            .min(self.max_delay);
        let half = step / 2;
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        half + half.mul_f64(jitter)
    }

    fn attempts_allowed(&self) -> u32 {
        self.max_attempts.max(1)
    }
}

/// What a failed attempt came to, reduced to the facts the policy needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The transport gave up.
    Transport {
        /// Bytes may have reached the vendor (`TransportError::may_have_reached_vendor`).
        reached_vendor: bool,
        /// It was a timeout (connect phase or after sending).
        timeout: bool,
        /// Repeating cannot help: malformed request, or a body over the size cap.
        permanent: bool,
    },
    /// The vendor answered and refused.
    Refused {
        /// Taxonomy kind of the vendor's code.
        kind: Kind,
        /// The taxonomy says trying again later may succeed.
        retryable: bool,
        /// The taxonomy says this code is billed.
        billed: bool,
    },
    /// The answer could not be decoded.
    Undecodable {
        /// Its HTTP status.
        status: u16,
    },
    /// The request could not be built, or the vendor is not configured: nothing was sent.
    NotSent,
}

impl Failure {
    /// True when the attempt cannot have been billed (see the module documentation).
    pub(crate) fn certainly_unbilled(self) -> bool {
        match self {
            Failure::Transport { reached_vendor, .. } => !reached_vendor,
            Failure::Refused { billed, .. } => !billed,
            Failure::Undecodable { status } => is_error_page_status(status),
            Failure::NotSent => true,
        }
    }

    /// True when asking again later might give a different result.
    pub(crate) fn transient(self) -> bool {
        match self {
            Failure::Transport { permanent, .. } => !permanent,
            Failure::Refused { retryable, .. } => retryable,
            Failure::Undecodable { status } => (500..=599).contains(&status),
            Failure::NotSent => false,
        }
    }
}

/// HTTP statuses of a gateway or proxy that timed out waiting for the vendor: the request got
/// through, so the vendor may have answered (and billed) after the gateway gave up. An
/// undecodable answer with one of these is possibly billed, never retried automatically and
/// never failed over, like a read timeout.
///
/// - 504 Gateway Timeout (RFC 9110);
/// - 524 "A Timeout Occurred" (Cloudflare: the origin accepted the connection, then did not
///   answer in time);
/// - 598 and 599 network read / connect timeouts reported by some proxies (and other
///   gateways in front of vendors).
pub const GATEWAY_TIMEOUTS: [u16; 4] = [504, 524, 598, 599];

/// A 5xx status whose page proves the vendor's application produced no answer (gateway
/// timeouts excluded: see [`GATEWAY_TIMEOUTS`]).
fn is_error_page_status(status: u16) -> bool {
    (500..=599).contains(&status) && !GATEWAY_TIMEOUTS.contains(&status)
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Decision {
    /// Ask the same vendor again after this pause.
    Retry(Duration),
    /// Report the failure.
    GiveUp,
}

/// Decides whether attempt number `attempt` (1-based) that ended in `failure` is repeated.
///
/// Clock skew is not handled here: it is corrected once, outside the attempt budget, by the
/// exchange (it needs the vendor's time, which the policy does not see). A skew refusal that
/// reaches the policy has already had its one correction, so it is final.
pub(crate) fn after_failure(
    policy: &RetryPolicy,
    failure: Failure,
    attempt: u32,
    jitter: f64,
) -> Decision {
    let skew = matches!(
        failure,
        Failure::Refused {
            kind: Kind::ClockSkew,
            ..
        }
    );
    if skew || attempt >= policy.attempts_allowed() || !failure.transient() {
        return Decision::GiveUp;
    }
    let timeout_opt_in = policy.retry_timeouts_after_send
        && matches!(failure, Failure::Transport { timeout: true, .. });
    if failure.certainly_unbilled() || timeout_opt_in {
        Decision::Retry(policy.backoff(attempt, jitter))
    } else {
        Decision::GiveUp
    }
}

/// Whether the failover chain of a check may move on to the next vendor after `failure`.
///
/// Only upstream trouble moves on: an upstream refusal, a transport failure, or an
/// undecodable 5xx page (not a gateway timeout, unless possibly billed failures are allowed). A verdict is an answer, and an input, credential, account, balance
/// or rate-limit refusal would be the same (or must be fixed by a person) elsewhere — rate
/// limits in particular protect the person being checked and must not be dodged. Even then
/// the failure must be certainly unbilled, unless `allow_possibly_billed` is set.
pub(crate) fn may_fail_over(failure: Failure, allow_possibly_billed: bool) -> bool {
    let upstream_trouble = match failure {
        Failure::Transport { .. } | Failure::Undecodable { .. } => true,
        Failure::Refused { kind, .. } => kind == Kind::Upstream,
        Failure::NotSent => false,
    };
    upstream_trouble && (allow_possibly_billed || failure.certainly_unbilled())
}

/// A jitter value in `[0, 1)`, uniformly distributed (fastrand's thread-local generator).
///
/// Good enough to spread retries apart; not for anything secret.
pub(crate) fn random_jitter() -> f64 {
    fastrand::f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connect_error() -> Failure {
        Failure::Transport {
            reached_vendor: false,
            timeout: false,
            permanent: false,
        }
    }

    fn read_timeout() -> Failure {
        Failure::Transport {
            reached_vendor: true,
            timeout: true,
            permanent: false,
        }
    }

    fn refused(kind: Kind, retryable: bool, billed: bool) -> Failure {
        Failure::Refused {
            kind,
            retryable,
            billed,
        }
    }

    fn quick() -> RetryPolicy {
        RetryPolicy::default().delays(Duration::from_millis(100), Duration::from_secs(1))
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_equal_jitter() {
        let policy = quick();
        assert_eq!(policy.backoff(1, 0.0), Duration::from_millis(50));
        assert_eq!(policy.backoff(1, 1.0), Duration::from_millis(100));
        assert_eq!(policy.backoff(2, 0.5), Duration::from_millis(150));
        assert_eq!(policy.backoff(3, 0.0), Duration::from_millis(200));
        assert_eq!(policy.backoff(5, 1.0), Duration::from_secs(1));
        assert_eq!(policy.backoff(40, 1.0), Duration::from_secs(1));
        assert_eq!(policy.backoff(u32::MAX, 0.25), Duration::from_millis(625));
    }

    #[test]
    fn backoff_ignores_nonsense_jitter() {
        let policy = quick();
        assert_eq!(policy.backoff(1, f64::NAN), Duration::from_millis(50));
        assert_eq!(policy.backoff(1, -3.0), Duration::from_millis(50));
        assert_eq!(policy.backoff(1, 7.0), Duration::from_millis(100));
        assert_eq!(
            RetryPolicy::default()
                .delays(Duration::ZERO, Duration::ZERO)
                .backoff(3, 0.9),
            Duration::ZERO
        );
    }

    #[test]
    fn connect_failures_are_retried_until_the_budget_is_spent() {
        let policy = quick().max_attempts(3);
        assert_eq!(
            after_failure(&policy, connect_error(), 1, 0.0),
            Decision::Retry(Duration::from_millis(50))
        );
        assert_eq!(
            after_failure(&policy, connect_error(), 2, 1.0),
            Decision::Retry(Duration::from_millis(200))
        );
        assert_eq!(
            after_failure(&policy, connect_error(), 3, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn zero_or_one_attempts_never_retry() {
        for attempts in [0, 1] {
            let policy = quick().max_attempts(attempts);
            assert_eq!(
                after_failure(&policy, connect_error(), 1, 0.0),
                Decision::GiveUp
            );
        }
    }

    #[test]
    fn a_timeout_after_sending_is_reported_unless_opted_in() {
        assert_eq!(
            after_failure(&quick(), read_timeout(), 1, 0.0),
            Decision::GiveUp
        );
        let opted_in = quick().retry_timeouts_after_send(true);
        assert_eq!(
            after_failure(&opted_in, read_timeout(), 1, 0.0),
            Decision::Retry(Duration::from_millis(50))
        );
        // The opt-in covers timeouts only, not a connection reset after sending.
        let reset = Failure::Transport {
            reached_vendor: true,
            timeout: false,
            permanent: false,
        };
        assert_eq!(after_failure(&opted_in, reset, 1, 0.0), Decision::GiveUp);
    }

    #[test]
    fn a_connect_timeout_is_retried_without_opt_in() {
        let connect_timeout = Failure::Transport {
            reached_vendor: false,
            timeout: true,
            permanent: false,
        };
        assert!(matches!(
            after_failure(&quick(), connect_timeout, 1, 0.0),
            Decision::Retry(_)
        ));
    }

    #[test]
    fn permanent_transport_failures_are_never_retried() {
        let too_large = Failure::Transport {
            reached_vendor: true,
            timeout: false,
            permanent: true,
        };
        let malformed = Failure::Transport {
            reached_vendor: false,
            timeout: false,
            permanent: true,
        };
        let opted_in = quick().retry_timeouts_after_send(true);
        assert_eq!(
            after_failure(&opted_in, too_large, 1, 0.0),
            Decision::GiveUp
        );
        assert_eq!(
            after_failure(&opted_in, malformed, 1, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn only_unbilled_retryable_codes_are_retried() {
        let policy = quick();
        let upstream = refused(Kind::Upstream, true, false);
        assert!(matches!(
            after_failure(&policy, upstream, 1, 0.0),
            Decision::Retry(_)
        ));
        let billed = refused(Kind::Upstream, true, true);
        assert_eq!(after_failure(&policy, billed, 1, 0.0), Decision::GiveUp);
        let auth = refused(Kind::Auth, false, false);
        assert_eq!(after_failure(&policy, auth, 1, 0.0), Decision::GiveUp);
    }

    #[test]
    fn clock_skew_is_left_to_the_one_correction() {
        let skew = refused(Kind::ClockSkew, true, false);
        assert_eq!(after_failure(&quick(), skew, 1, 0.0), Decision::GiveUp);
    }

    #[test]
    fn error_pages_are_retried_except_gateway_timeouts_and_2xx() {
        let policy = quick();
        for status in [500, 502, 503] {
            assert!(matches!(
                after_failure(&policy, Failure::Undecodable { status }, 1, 0.0),
                Decision::Retry(_)
            ));
        }
        for status in [200, 404, 504, 524, 598, 599] {
            assert_eq!(
                after_failure(&policy, Failure::Undecodable { status }, 1, 0.0),
                Decision::GiveUp,
                "status {status}"
            );
        }
    }

    #[test]
    fn failover_moves_on_only_for_unbilled_upstream_trouble() {
        assert!(may_fail_over(connect_error(), false));
        assert!(may_fail_over(refused(Kind::Upstream, true, false), false));
        assert!(may_fail_over(Failure::Undecodable { status: 502 }, false));

        assert!(!may_fail_over(read_timeout(), false));
        for status in GATEWAY_TIMEOUTS {
            assert!(!may_fail_over(Failure::Undecodable { status }, false));
            assert!(!Failure::Undecodable { status }.certainly_unbilled());
        }
        assert!(!may_fail_over(Failure::Undecodable { status: 200 }, false));
        assert!(!may_fail_over(refused(Kind::Upstream, false, true), false));

        for kind in [
            Kind::InvalidInput,
            Kind::Auth,
            Kind::ClockSkew,
            Kind::IpNotAllowed,
            Kind::Account,
            Kind::InsufficientBalance,
            Kind::RateLimited,
            Kind::Pending,
            Kind::Unknown,
        ] {
            assert!(!may_fail_over(refused(kind, true, false), true), "{kind}");
        }
        assert!(!may_fail_over(Failure::NotSent, true));
    }

    #[test]
    fn the_failover_opt_in_accepts_possibly_billed_upstream_trouble() {
        assert!(may_fail_over(read_timeout(), true));
        assert!(may_fail_over(Failure::Undecodable { status: 200 }, true));
        assert!(may_fail_over(refused(Kind::Upstream, false, true), true));
    }

    #[test]
    fn random_jitter_stays_in_range() {
        for _ in 0..1_000 {
            let jitter = random_jitter();
            assert!((0.0..1.0).contains(&jitter), "{jitter}");
        }
    }
}
