//! A token bucket capping requests per second (`--qps`).
//!
//! Implemented as GCRA (the "virtual scheduling" form of a token bucket): each caller reserves
//! the next free slot under a short lock and then sleeps until it, so callers are served in
//! arrival order and nobody spins. With `burst` 1 the calls are evenly paced, which is what
//! vendors' per-second limits expect. A slot is a promise about when a call may start, not
//! when it does: a task woken a few milliseconds late can land in the same second as the
//! next slots. So a sliding window of the last ⌈rate⌉ starts is checked as well, and a call
//! that would make ⌈rate⌉ + 1 starts within one second waits: no one-second window ever
//! holds more than ⌈rate⌉ calls.

use std::collections::VecDeque;
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
    /// When the last ⌈rate⌉ calls (at most [`WINDOW_CAP`]) started.
    recent: Mutex<VecDeque<Instant>>,
    /// ⌈rate⌉, the most calls one second may hold.
    per_second: usize,
}

/// The sliding window is kept for rates up to this many calls a second (beyond it, a few
/// milliseconds of jitter are noise against the vendor's own counting).
const WINDOW_CAP: usize = 10_000;

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
            recent: Mutex::new(VecDeque::new()),
            per_second: (rate.ceil() as usize).clamp(1, WINDOW_CAP) * burst.max(1) as usize,
        }
    }

    /// Waits until the caller may send one request.
    pub(crate) async fn acquire(&self) {
        let slot = self.reserve(Instant::now());
        tokio::time::sleep_until(slot.into()).await;
        while let Some(wait) = self.admit(Instant::now()) {
            tokio::time::sleep_until(wait.into()).await;
        }
    }

    /// Records a start at `now` if the last second has room for it; otherwise returns when it
    /// will.
    fn admit(&self, now: Instant) -> Option<Instant> {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        while recent
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            recent.pop_front();
        }
        if recent.len() >= self.per_second {
            return recent.front().map(|t| *t + Duration::from_secs(1));
        }
        recent.push_back(now);
        None
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
    fn a_late_start_never_makes_one_second_hold_more_than_the_rate() {
        let bucket = TokenBucket::new(2.0, 1);
        let t0 = Instant::now();
        assert_eq!(bucket.admit(t0), None);
        assert_eq!(bucket.admit(t0 + Duration::from_millis(500)), None);
        // A third start 0.9 s after the first would be the third in one second.
        let wait = bucket.admit(t0 + Duration::from_millis(900));
        assert_eq!(wait, Some(t0 + Duration::from_secs(1)));
        assert_eq!(bucket.admit(t0 + Duration::from_secs(1)), None);
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
