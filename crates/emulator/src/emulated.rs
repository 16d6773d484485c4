//! The seam between the shared server and one emulated vendor (OpenDAL's model: the core
//! reaches a backend through a trait, never through a match arm naming it).
//!
//! A vendor is two values: its [`VendorSettings`] (what `EmulatorConfig` carries: accepted
//! credentials and the vendor's own switches) and, once the server starts, the
//! [`EmulatedVendor`] those settings build (the same plus run-time state). The shared code
//! (router, request pipeline, ledger, control endpoints) sees only these traits; the list of
//! vendors lives in one file, `vendors.rs`.

use crate::params::Params;
use crate::ratelimit::RateLimiter;
use crate::render::{Fields, Format};
use serde_json::Value;
use std::any::Any;
use std::fmt;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};

/// One vendor path.
#[derive(Debug)]
pub(crate) struct Route {
    /// The path as axum spells it (`/pyi/{group}/{api}` for a pattern).
    pub(crate) path: &'static str,
    /// The operation name the ledger counts this path under (the client crates' names);
    /// `None` for a path that only answers "no such API".
    pub(crate) operation: Option<&'static str>,
    /// The parameter whose value may be a magic fault input.
    pub(crate) magic_parameter: Option<&'static str>,
    /// The vendor's own tag for the path, handed back to [`EmulatedVendor::answer`].
    pub(crate) tag: u8,
}

/// What an emulated vendor is, whatever its settings: its name and the paths it serves.
#[derive(Debug)]
pub(crate) struct Spec {
    /// Lowercase name, as in the ledger and the control endpoints.
    pub(crate) name: &'static str,
    /// The paths it serves.
    pub(crate) routes: &'static [Route],
}

/// A vendor's start-up configuration, as `EmulatorConfig` carries it. `Debug` must mask
/// secrets. Cloning and finding the settings by type come with [`AnySettings`].
pub(crate) trait VendorSettings: AnySettings + fmt::Debug + Send + Sync + 'static {
    /// The running vendor these settings describe.
    fn start(&self) -> Box<dyn EmulatedVendor>;
}

/// What any `Clone` settings type can do as a boxed [`VendorSettings`]; implemented for all.
pub(crate) trait AnySettings {
    /// A copy, for `EmulatorConfig: Clone`.
    fn boxed_clone(&self) -> Box<dyn VendorSettings>;
    /// For the vendor's own builder methods on `EmulatorConfig`, which find their settings by
    /// type.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<S: VendorSettings + Clone> AnySettings for S {
    fn boxed_clone(&self) -> Box<dyn VendorSettings> {
        Box::new(self.clone())
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A running emulated vendor. Its own methods on the emulator's handle find it by type
/// ([`AnyVendor`]).
pub(crate) trait EmulatedVendor: AnyVendor + fmt::Debug + Send + Sync + 'static {
    /// Its name and paths.
    fn spec(&self) -> &'static Spec;
    /// Lowercase name, as in the ledger and the control endpoints.
    fn name(&self) -> &'static str {
        self.spec().name
    }
    /// The paths it serves.
    fn routes(&self) -> &'static [Route] {
        self.spec().routes
    }
    /// The answer to one request on `route` (one of [`EmulatedVendor::routes`]).
    fn answer(&self, route: &Route, request: &VendorRequest<'_>) -> Reply;
    /// A vendor-specific field of `POST /__emulator/balance` (e.g. wapi's `wapi_exhaustion`):
    /// `None` when the field is not this vendor's, else whether `value` is acceptable; the
    /// change is made only when `apply` is true (every field is checked before any applies).
    fn control(&self, _field: &str, _value: &Value, _apply: bool) -> Option<Result<(), String>> {
        None
    }
}

/// A running vendor as [`Any`], for the vendor's own methods on the emulator's handle, which
/// find it by type; implemented for all.
pub(crate) trait AnyVendor {
    /// The vendor as [`Any`].
    fn as_any(&self) -> &dyn Any;
}

impl<V: EmulatedVendor> AnyVendor for V {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// One vendor account's balance: billed calls left.
#[derive(Debug)]
pub(crate) struct Account {
    balance: AtomicU64,
}

impl Account {
    pub(crate) fn new(calls: u64) -> Self {
        Self {
            balance: AtomicU64::new(calls),
        }
    }

    pub(crate) fn balance(&self) -> u64 {
        self.balance.load(Ordering::Relaxed)
    }

    pub(crate) fn set_balance(&self, calls: u64) {
        self.balance.store(calls, Ordering::Relaxed);
    }

    /// Takes one call off the balance; false (and nothing taken) when it is already zero.
    pub(crate) fn spend(&self) -> bool {
        self.balance
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(1)
            })
            .is_ok()
    }
}

/// What vendor logic gets to see.
#[derive(Debug)]
pub(crate) struct VendorRequest<'a> {
    pub(crate) params: &'a Params,
    /// The vendor's clock, unix seconds.
    pub(crate) now: i64,
    pub(crate) peer: IpAddr,
    /// `code=N` from the faults: answer this code without looking at the input.
    pub(crate) forced_code: Option<i64>,
    /// This vendor's account.
    pub(crate) account: &'a Account,
    /// The per-number rate limit, when on.
    pub(crate) limiter: Option<&'a RateLimiter>,
    /// How far a request's `time` may be from `now`, in seconds.
    pub(crate) time_tolerance_secs: i64,
}

/// What vendor logic answers.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) fields: Fields,
    pub(crate) format: Format,
    pub(crate) billed: bool,
}
