//! The emulator's shared state: fixed credentials, and the few things that change at run time
//! (balances, clock offset, global faults, counters), each behind an atomic or a small lock
//! that the request path only touches when it must.

use crate::clock::Clock;
use crate::config::{EmulatorConfig, Vendor, WapiAuth, WapiExhaustion};
use crate::faults::Faults;
use crate::ledger::{Ledger, LedgerCounters};
use crate::ratelimit::RateLimiter;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

/// Credentials the emulator accepts (`Debug` masks the secrets).
pub(crate) struct Credentials {
    pub(crate) wapi_appid: String,
    pub(crate) wapi_secret: String,
    pub(crate) wapi_auth: WapiAuth,
    pub(crate) qxt_apikey: String,
    pub(crate) ihuyi_account: String,
    pub(crate) ihuyi_apikey: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("wapi_appid", &self.wapi_appid)
            .field("wapi_secret", &"***")
            .field("wapi_auth", &self.wapi_auth)
            .field("qxt_apikey", &"***")
            .field("ihuyi_account", &self.ihuyi_account)
            .field("ihuyi_apikey", &"***")
            .finish()
    }
}

/// The global fault plan: `active` lets the request path skip the lock entirely when no plan
/// is set, which is the benchmark case.
#[derive(Debug, Default)]
struct GlobalFaults {
    active: AtomicBool,
    plan: Mutex<Faults>,
}

/// Everything a request handler reads or updates.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) credentials: Credentials,
    pub(crate) clock: Clock,
    pub(crate) time_tolerance_secs: i64,
    pub(crate) counters: LedgerCounters,
    pub(crate) limiter: Option<RateLimiter>,
    balances: [AtomicU64; 3],
    wapi_exhaustion: AtomicU8,
    faults: GlobalFaults,
    sequence: AtomicU64,
}

impl AppState {
    pub(crate) fn new(config: &EmulatorConfig) -> Self {
        let state = Self {
            credentials: Credentials {
                wapi_appid: config.wapi_appid.clone(),
                wapi_secret: config.wapi_secret.clone(),
                wapi_auth: config.wapi_auth,
                qxt_apikey: config.qxt_apikey.clone(),
                ihuyi_account: config.ihuyi_account.clone(),
                ihuyi_apikey: config.ihuyi_apikey.clone(),
            },
            clock: Clock::new(config.clock_offset_secs),
            time_tolerance_secs: config.time_tolerance_secs,
            counters: LedgerCounters::default(),
            limiter: config.rate_limit.map(RateLimiter::new),
            balances: config.balances.map(AtomicU64::new),
            wapi_exhaustion: AtomicU8::new(0),
            faults: GlobalFaults::default(),
            sequence: AtomicU64::new(0),
        };
        state.set_wapi_exhaustion(config.wapi_exhaustion);
        state.set_faults(config.faults);
        state
    }

    pub(crate) fn balance(&self, vendor: Vendor) -> u64 {
        self.balances[vendor.index()].load(Ordering::Relaxed)
    }

    pub(crate) fn set_balance(&self, vendor: Vendor, calls: u64) {
        self.balances[vendor.index()].store(calls, Ordering::Relaxed);
    }

    /// Takes one call off the balance; false (and nothing taken) when it is already zero.
    pub(crate) fn spend(&self, vendor: Vendor) -> bool {
        self.balances[vendor.index()]
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(1)
            })
            .is_ok()
    }

    pub(crate) fn wapi_exhaustion(&self) -> WapiExhaustion {
        match self.wapi_exhaustion.load(Ordering::Relaxed) {
            1 => WapiExhaustion::Wallet,
            _ => WapiExhaustion::Quota,
        }
    }

    pub(crate) fn set_wapi_exhaustion(&self, exhaustion: WapiExhaustion) {
        let value = match exhaustion {
            WapiExhaustion::Quota => 0,
            WapiExhaustion::Wallet => 1,
        };
        self.wapi_exhaustion.store(value, Ordering::Relaxed);
    }

    /// Replaces the global fault plan (an empty one turns it off).
    pub(crate) fn set_faults(&self, faults: Faults) {
        let mut plan = self
            .faults
            .plan
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *plan = faults;
        let active = !faults.is_empty() && faults.times != Some(0);
        self.faults.active.store(active, Ordering::Release);
    }

    /// The global plan as it stands (with the `times` left).
    pub(crate) fn faults(&self) -> Faults {
        *self
            .faults
            .plan
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The faults the global plan deals this request (none when it is off, used up, or the
    /// request is not drawn at the plan's rate).
    pub(crate) fn draw_global_faults(&self) -> Faults {
        if !self.faults.active.load(Ordering::Acquire) {
            return Faults::none();
        }
        let mut plan = self
            .faults
            .plan
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if plan.is_empty() || plan.times == Some(0) {
            return Faults::none();
        }
        if let Some(rate) = plan.rate
            && self.random_unit() >= rate
        {
            return Faults::none();
        }
        if let Some(times) = plan.times.as_mut() {
            *times -= 1;
            if *times == 0 {
                self.faults.active.store(false, Ordering::Release);
            }
        }
        plan.without_limits()
    }

    /// A request carrying its own faults (header) still uses up its draw at the request's
    /// rate, decided here.
    pub(crate) fn drawn_at_rate(&self, rate: Option<f64>) -> bool {
        rate.is_none_or(|rate| self.random_unit() < rate)
    }

    /// A fresh number from a per-emulator sequence (serial numbers, jitter).
    pub(crate) fn next_sequence(&self) -> u64 {
        self.sequence.fetch_add(1, Ordering::Relaxed)
    }

    /// A pseudo-random number in `[0, 1)`: splitmix64 over the sequence. Faults need spread,
    /// not secrecy.
    pub(crate) fn random_unit(&self) -> f64 {
        let mut z = self
            .next_sequence()
            .wrapping_add(0x9e37_79b9_7f4a_7c15)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn ledger(&self) -> Ledger {
        self.counters.snapshot([
            self.balance(Vendor::Wapi),
            self.balance(Vendor::Qxt),
            self.balance(Vendor::Ihuyi),
        ])
    }

    /// Zeroes the counters and forgets rate-limit windows (balances stay).
    pub(crate) fn reset_counters(&self) {
        self.counters.clear();
        if let Some(limiter) = &self.limiter {
            limiter.clear();
        }
    }
}
