//! Per-tenant requests-per-second in this process: a token bucket per tenant holding one
//! second's worth of requests, refilled continuously.

use super::Admission;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The buckets, one per tenant (tenants are few and named in the config, so the map is
/// bounded by the configuration).
#[derive(Debug, Default)]
pub(crate) struct LocalRateLimit {
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl LocalRateLimit {
    /// Takes a token from `tenant`'s bucket, or says when the next one comes.
    pub(crate) fn admit(&self, tenant: &str, qps: u32, now: Instant) -> Admission {
        let rate = f64::from(qps.max(1));
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let bucket = buckets.entry(tenant.to_owned()).or_insert(Bucket {
            tokens: rate,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(rate);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Admission::Admitted
        } else {
            let wait = (1.0 - bucket.tokens) / rate;
            Admission::RetryAfter(Duration::from_secs_f64(wait))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_qps_then_refusals_then_refill() {
        let limit = LocalRateLimit::default();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limit.admit("a", 3, start), Admission::Admitted);
        }
        assert!(matches!(
            limit.admit("a", 3, start),
            Admission::RetryAfter(_)
        ));
        assert_eq!(
            limit.admit("b", 3, start),
            Admission::Admitted,
            "per tenant"
        );
        assert_eq!(
            limit.admit("a", 3, start + Duration::from_millis(400)),
            Admission::Admitted
        );
    }
}
