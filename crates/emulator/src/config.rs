//! Start-up configuration: accepted credentials, balances, rate limit, faults and clock.
//!
//! The shared settings live here; each vendor's own (credentials, switches) are a
//! [`VendorSettings`] value that the vendor's module adds builder methods for, and
//! `vendors.rs` fills in `Default`.

use crate::emulated::VendorSettings;
use crate::faults::Faults;
use crate::ratelimit::RateLimit;
use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

/// Default balance of every vendor account (billed calls left).
pub const DEFAULT_BALANCE: u64 = 1_000_000;

/// One vendor's part of the configuration.
#[derive(Debug)]
pub(crate) struct VendorSlot {
    pub(crate) settings: Box<dyn VendorSettings>,
    /// Starting balance (billed calls left).
    pub(crate) balance: u64,
}

impl Clone for VendorSlot {
    fn clone(&self) -> Self {
        Self {
            settings: self.settings.boxed_clone(),
            balance: self.balance,
        }
    }
}

/// The fault draws' seed when none is configured: fixed, so a run with `rate=` faults is
/// reproducible from one execution to the next.
pub const DEFAULT_SEED: u64 = 0x5348_494d_494e_4721;

/// Everything the emulator needs at start. `Default` accepts the [`sandbox`](crate::sandbox)
/// credentials.
#[derive(Clone)]
pub struct EmulatorConfig {
    pub(crate) addr: SocketAddr,
    /// One slot per vendor, in the registry's order (`Vendor::ALL`).
    pub(crate) vendors: Vec<VendorSlot>,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) faults: Faults,
    pub(crate) clock_offset_secs: i64,
    pub(crate) time_tolerance_secs: i64,
    pub(crate) shutdown_grace: Duration,
    pub(crate) seed: u64,
}

impl fmt::Debug for EmulatorConfig {
    // Secrets never appear in Debug output, even sandbox ones: each vendor's settings mask
    // their own, since the same type carries real ones.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("addr", &self.addr)
            .field("vendors", &self.vendors)
            .field("rate_limit", &self.rate_limit)
            .field("faults", &self.faults)
            .field("clock_offset_secs", &self.clock_offset_secs)
            .finish_non_exhaustive()
    }
}

impl EmulatorConfig {
    /// The shared defaults around the given vendor slots (`vendors.rs` supplies them).
    pub(crate) fn with_vendors(vendors: Vec<VendorSlot>) -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            vendors,
            rate_limit: Some(RateLimit::default()),
            faults: Faults::default(),
            clock_offset_secs: 0,
            // Both wapi ("时差不能超过10分钟") and, by our choice, ihuyi's dynamic password.
            time_tolerance_secs: 600,
            shutdown_grace: Duration::from_secs(5),
            seed: DEFAULT_SEED,
        }
    }

    /// The settings of type `S` (one vendor's), for its builder methods; a no-op when no
    /// vendor has them, which the registry rules out.
    pub(crate) fn with_settings<S: 'static>(mut self, change: impl FnOnce(&mut S)) -> Self {
        if let Some(settings) = self
            .vendors
            .iter_mut()
            .find_map(|slot| slot.settings.as_any_mut().downcast_mut::<S>())
        {
            change(settings);
        }
        self
    }

    /// Address to listen on (default `127.0.0.1:0`: a free port, see `base_url()`).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Rate limit on repeated checks of one number; `None` turns it off (e.g. for benchmarks
    /// that replay one request).
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.rate_limit = limit;
        self
    }

    /// Faults applied to every vendor request from the start (see [`Faults`]).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Shortcut: a fixed latency before every vendor answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.faults.latency_ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// Offset of the emulator's clock from the machine's, in seconds (fakes vendor clock skew).
    pub fn clock_offset_secs(mut self, offset: i64) -> Self {
        self.clock_offset_secs = offset;
        self
    }

    /// How long `shutdown()` waits for requests in flight before closing connections.
    pub fn shutdown_grace(mut self, grace: Duration) -> Self {
        self.shutdown_grace = grace;
        self
    }

    /// Seed of the fault draws (`rate=`) and jitter (default [`DEFAULT_SEED`]): the same seed
    /// and the same sequence of requests give the same faults.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}
