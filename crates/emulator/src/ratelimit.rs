//! "The same name or number may not be checked too often" (wapi's ID-card document): counts
//! checks per number in fixed windows, sharded so concurrent requests rarely share a lock.

use crate::directory::fnv1a;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

/// "Same name or number checked too often": more than `max_checks` checks of one number within
/// `window` (a fixed window opened by the first check) are answered as rate-limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Checks of one number allowed per window; the next one is refused.
    pub max_checks: u32,
    /// Length of the window.
    pub window: Duration,
}

impl Default for RateLimit {
    /// 100 checks of one number per 60 seconds: generous enough that ordinary tests never meet it.
    fn default() -> Self {
        Self {
            max_checks: 100,
            window: Duration::from_secs(60),
        }
    }
}

const SHARDS: usize = 64;
/// A shard sweeps out expired windows when it grows past this, so memory stays bounded by the
/// number of distinct numbers seen within one window.
const SWEEP_AT: usize = 4_096;

#[derive(Clone, Copy)]
struct Window {
    opened_at: i64,
    checks: u32,
}

#[derive(Default)]
struct Shard {
    windows: HashMap<u64, Window>,
    sweep_at: usize,
}

/// Per-number check counter.
pub(crate) struct RateLimiter {
    limit: RateLimit,
    shards: Vec<Mutex<Shard>>,
}

impl std::fmt::Debug for RateLimiter {
    // The windows can number in the millions under load: never print them.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimiter")
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

impl RateLimiter {
    pub(crate) fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
        }
    }

    /// Records a check of `number` at `now` (unix seconds); false when it is one too many.
    pub(crate) fn allow(&self, number: &str, now: i64) -> bool {
        let key = fnv1a(&[number.as_bytes()]);
        let window_secs = i64::try_from(self.limit.window.as_secs()).unwrap_or(i64::MAX);
        let shard_index = usize::try_from(key % SHARDS as u64).unwrap_or(0);
        // A poisoned shard only means another request panicked mid-update of plain counters.
        let mut shard = self.shards[shard_index]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if shard.windows.len() >= shard.sweep_at.max(SWEEP_AT) {
            shard
                .windows
                .retain(|_, window| now.saturating_sub(window.opened_at) < window_secs);
            shard.sweep_at = shard.windows.len() * 2;
        }
        let window = shard.windows.entry(key).or_insert(Window {
            opened_at: now,
            checks: 0,
        });
        if now.saturating_sub(window.opened_at) >= window_secs {
            *window = Window {
                opened_at: now,
                checks: 0,
            };
        }
        window.checks = window.checks.saturating_add(1);
        window.checks <= self.limit.max_checks
    }

    pub(crate) fn clear(&self) {
        for shard in &self.shards {
            shard
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .windows
                .clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn refuses_past_the_limit_and_reopens_after_the_window() {
        let limiter = RateLimiter::new(RateLimit {
            max_checks: 3,
            window: Duration::from_secs(60),
        });
        assert!((0..3).all(|_| limiter.allow("13800138000", 1_000)));
        assert!(!limiter.allow("13800138000", 1_059));
        assert!(limiter.allow("13900000000", 1_059));
        assert!(limiter.allow("13800138000", 1_060));
    }

    #[test]
    fn memory_stays_bounded() {
        let limiter = RateLimiter::new(RateLimit {
            max_checks: 1,
            window: Duration::from_secs(1),
        });
        for index in 0..200_000i64 {
            assert!(limiter.allow(&index.to_string(), index / 1_000));
        }
        let total: usize = limiter
            .shards
            .iter()
            .map(|shard| shard.lock().unwrap().windows.len())
            .sum();
        assert!(total < 64 * SWEEP_AT * 2, "{total}");
    }
}
