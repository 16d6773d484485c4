//! The emulator's shared state: fixed credentials, and the few things that change at run time
//! (balances, clock offset, global faults, counters), each behind an atomic or a small lock
//! that the request path only touches when it must.

use crate::clock::Clock;
use crate::config::EmulatorConfig;
use crate::emulated::{Account, EmulatedVendor};
use crate::faults::Faults;
use crate::ledger::{LedgerCounters, LedgerSnapshot};
use crate::ratelimit::RateLimiter;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

/// One emulated vendor with its account.
#[derive(Debug)]
pub(crate) struct Slot {
    pub(crate) vendor: Box<dyn EmulatedVendor>,
    pub(crate) account: Account,
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
    /// The vendors, in the registry's order (`Vendor::ALL`).
    pub(crate) vendors: Vec<Slot>,
    pub(crate) clock: Clock,
    pub(crate) time_tolerance_secs: i64,
    pub(crate) counters: LedgerCounters,
    pub(crate) limiter: Option<RateLimiter>,
    faults: GlobalFaults,
    /// Fault draws and jitter: spread, not secrecy, and seeded for reproducible runs.
    rng: Mutex<fastrand::Rng>,
}

impl AppState {
    pub(crate) fn new(config: &EmulatorConfig) -> Self {
        let vendors: Vec<Slot> = config
            .vendors
            .iter()
            .map(|slot| Slot {
                vendor: slot.settings.start(),
                account: Account::new(slot.balance),
            })
            .collect();
        let state = Self {
            counters: LedgerCounters::new(vendors.iter().map(|slot| &*slot.vendor)),
            vendors,
            clock: Clock::new(config.clock_offset_secs),
            time_tolerance_secs: config.time_tolerance_secs,
            limiter: config.rate_limit.map(RateLimiter::new),
            faults: GlobalFaults::default(),
            rng: Mutex::new(fastrand::Rng::with_seed(config.seed)),
        };
        state.set_faults(config.faults);
        state
    }

    /// The vendor whose running type is `V`, for that vendor's own handle methods.
    pub(crate) fn vendor<V: 'static>(&self) -> Option<&V> {
        self.vendors
            .iter()
            .find_map(|slot| slot.vendor.as_any().downcast_ref::<V>())
    }

    /// The slot of the vendor named `name`.
    pub(crate) fn slot(&self, name: &str) -> Option<&Slot> {
        self.vendors.iter().find(|slot| slot.vendor.name() == name)
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

    /// A pseudo-random number in `[0, 1)`.
    pub(crate) fn random_unit(&self) -> f64 {
        self.rng
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .f64()
    }

    /// Every vendor's balance and counts, in the registry's order.
    pub(crate) fn ledger(&self) -> LedgerSnapshot {
        LedgerSnapshot(
            self.vendors
                .iter()
                .enumerate()
                .map(|(index, slot)| {
                    let ledger =
                        self.counters
                            .snapshot(index, &*slot.vendor, slot.account.balance());
                    (slot.vendor.name(), ledger)
                })
                .collect(),
        )
    }

    /// Zeroes the counters and forgets rate-limit windows (balances stay).
    pub(crate) fn reset_counters(&self) {
        self.counters.clear();
        if let Some(limiter) = &self.limiter {
            limiter.clear();
        }
    }
}
