//! A token bucket capping requests per second (`--qps`).
//!
//! Implemented as GCRA (the "virtual scheduling" form of a token bucket): each caller reserves
//! the next free slot under a short lock and then sleeps until it, so callers are served in
//! arrival order and nobody spins. With `burst` 1 the calls are evenly paced, which is what
//! vendors' per-second limits expect: at most ⌈rate⌉ calls fall in any one-second window.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Paces callers to `rate` per second with up to `burst` back-to-back.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    interval: Duration,
    /// How far before "now" a slot may lie: (burst - 1) intervals.
    tolerance: Duration,
    /// The theoretical arrival time of the next call.
    next: Mutex<Instant>,
}

impl TokenBucket {
    /// A bucket refilling `rate` tokens per second, holding at most `burst` (≥ 1).
    ///
    /// `rate` must be positive and finite; the CLI validates it before getting here.
    pub(crate) fn new(rate: f64, burst: u32) -> Self {
        let interval = Duration::from_secs_f64(1.0 / rate.max(1e-6));
        TokenBucket {
            interval,
            tolerance: interval * burst.max(1).saturating_sub(1),
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits until the caller may send one request.
    pub(crate) async fn acquire(&self) {
        let slot = self.reserve(Instant::now());
        tokio::time::sleep_until(slot.into()).await;
    }

    /// Reserves the next slot at or after `now - tolerance` and returns when it starts.
    fn reserve(&self, now: Instant) -> Instant {
        // A poisoned lock only means another task panicked mid-update of an Instant, which
        // leaves a valid Instant behind: keep pacing.
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let earliest = now.checked_sub(self.tolerance).unwrap_or(now);
        let slot = (*next).max(earliest);
        *next = slot + self.interval;
        slot.max(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_evenly_without_burst() {
        let bucket = TokenBucket::new(10.0, 1);
        let t0 = Instant::now();
        let slots: Vec<_> = (0..5).map(|_| bucket.reserve(t0) - t0).collect();
        assert_eq!(slots[0], Duration::ZERO);
        assert_eq!(slots[4], Duration::from_millis(400));
    }

    #[test]
    fn allows_a_burst_after_idling() {
        let bucket = TokenBucket::new(10.0, 3);
        let t0 = Instant::now() + Duration::from_secs(10);
        let slots: Vec<_> = (0..4).map(|_| bucket.reserve(t0)).collect();
        assert_eq!(slots[0], t0);
        assert_eq!(slots[1], t0);
        assert_eq!(slots[2], t0);
        assert_eq!(slots[3] - t0, Duration::from_millis(100));
    }
}
