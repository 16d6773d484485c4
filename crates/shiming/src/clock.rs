//! The one place the facade reads the wall clock.
//!
//! The codec takes `now` as an argument; the facade decides what `now` is: the injected
//! [`Clock`] plus whatever offset a vendor has told us its clock runs at (see `skew.rs`).

use crate::sign::UnixTime;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where the facade gets the current time. Inject your own to test skew handling or to run
/// against a recorded exchange; the default is [`SystemClock`].
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time as seconds since the Unix epoch.
    fn now(&self) -> UnixTime;
}

/// The operating system's wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UnixTime {
        // A clock before 1970 is a broken machine; 0 makes the vendor answer "clock skew",
        // which the skew recovery below then repairs.
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        UnixTime(seconds)
    }
}

/// A clock that always says the same time: for tests and reproducible examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub UnixTime);

impl Clock for FixedClock {
    fn now(&self) -> UnixTime {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_is_fixed() {
        let clock = FixedClock(UnixTime(7));
        assert_eq!(clock.now(), UnixTime(7));
        assert!(SystemClock.now().0 > 1_600_000_000);
    }
}
