//! Socket timeouts in whole milliseconds, so a keep-alive call makes no `setsockopt`.
//!
//! Before every write and read ureq hands its transport the time left until the nearest
//! deadline (our total timeout), and the TCP transport calls `setsockopt(SO_SNDTIMEO /
//! SO_RCVTIMEO)` whenever that value differs from the one it set last. Counted in
//! nanoseconds it always differs, so every call paid two extra syscalls (about 2.5 µs on the
//! 2-core CI machine, 6 % of a 45 µs loopback call; a bare agent without timeouts pays none).
//!
//! [`WholeMilliseconds`] rounds the time left *up* to a whole millisecond before passing it
//! on. On consecutive keep-alive calls that is the same value (30 s for the default total
//! timeout while less than 1 ms of the call has passed), so ureq skips the syscall. Nothing
//! observable changes: Linux keeps socket timeouts in jiffies (1, 4 or 10 ms) and rounds
//! them up, so a millisecond-rounded timeout arms the same timer; ureq itself still checks
//! its deadlines exactly before each I/O, and a budget already spent (zero) stays zero.
//!
//! Uses ureq's `unversioned` transport API, like `resolve.rs`.

use std::fmt;
use std::time::Duration;

use ureq::unversioned::transport::time::Duration as UreqDuration;
use ureq::unversioned::transport::{Buffers, ConnectionDetails, Connector, NextTimeout, Transport};

/// Connector placed last in the chain: wraps the finished (TCP or TLS) transport.
#[derive(Debug, Default)]
pub(crate) struct WholeMillisecondTimeouts;

impl Connector<Box<dyn Transport>> for WholeMillisecondTimeouts {
    type Out = WholeMilliseconds;

    fn connect(
        &self,
        _details: &ConnectionDetails<'_>,
        chained: Option<Box<dyn Transport>>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| WholeMilliseconds { inner }))
    }
}

/// A transport that forwards everything, with the timeouts rounded up to whole milliseconds.
pub(crate) struct WholeMilliseconds {
    inner: Box<dyn Transport>,
}

impl Transport for WholeMilliseconds {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        self.inner.transmit_output(amount, round_up(timeout))
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        self.inner.await_input(round_up(timeout))
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

impl fmt::Debug for WholeMilliseconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WholeMilliseconds")
            .field(&self.inner)
            .finish()
    }
}

/// `timeout` with the time left rounded up to a whole millisecond. Per-read and per-write
/// limits are left alone (we set none; ureq applies them below us, exactly as configured).
fn round_up(mut timeout: NextTimeout) -> NextTimeout {
    if let UreqDuration::Exact(left) = timeout.after {
        timeout.after = UreqDuration::Exact(whole_millis_up(left));
    }
    timeout
}

fn whole_millis_up(duration: Duration) -> Duration {
    let sub_milli = duration.subsec_nanos() % 1_000_000;
    if sub_milli == 0 {
        duration
    } else {
        // Saturating: ureq's "never" is u64::MAX seconds, which must not overflow.
        duration.saturating_add(Duration::from_nanos(u64::from(1_000_000 - sub_milli)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_up_to_the_next_whole_millisecond() {
        let ms = Duration::from_millis;
        assert_eq!(whole_millis_up(Duration::ZERO), Duration::ZERO);
        assert_eq!(whole_millis_up(Duration::from_nanos(1)), ms(1));
        assert_eq!(
            whole_millis_up(ms(29_999) + Duration::from_micros(999)),
            ms(30_000)
        );
        assert_eq!(
            whole_millis_up(ms(30_000) - Duration::from_micros(40)),
            ms(30_000)
        );
        assert_eq!(whole_millis_up(ms(7)), ms(7));
        assert_eq!(whole_millis_up(Duration::MAX), Duration::MAX);
    }

    #[test]
    fn spent_and_endless_budgets_are_kept() {
        let spent = NextTimeout {
            after: UreqDuration::Exact(Duration::ZERO),
            ..NextTimeout::default()
        };
        assert_eq!(round_up(spent), spent);
        let endless = NextTimeout::default();
        assert!(round_up(endless).after.is_not_happening());
    }
}
