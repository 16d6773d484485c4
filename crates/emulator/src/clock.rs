//! The emulator's clock: the machine's clock plus an adjustable offset, so tests can fake a
//! vendor whose clock is skewed and watch clients recover from 10004 / 40501.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the epoch as the emulated vendors see them.
#[derive(Debug)]
pub(crate) struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    pub(crate) fn new(offset_secs: i64) -> Self {
        Self {
            offset_secs: AtomicI64::new(offset_secs),
        }
    }

    /// The vendor's "now" in unix seconds.
    pub(crate) fn now(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| {
                i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX)
            });
        real.saturating_add(self.offset_secs.load(Ordering::Relaxed))
    }

    pub(crate) fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    pub(crate) fn set_offset_secs(&self, offset: i64) {
        self.offset_secs.store(offset, Ordering::Relaxed);
    }
}
