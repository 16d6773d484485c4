//! The one place that lists the emulated vendors (OpenDAL's `services/mod.rs`): each vendor
//! lives in its own folder under `vendors/` and reaches the shared server only through
//! [`EmulatedVendor`](crate::emulated::EmulatedVendor); this file registers it and publishes
//! what users name per vendor (the [`Vendor`] enum, the [`Ledger`] fields, the [`sandbox`]
//! credentials and the [`magic`] inputs).
//!
//! Adding a vendor: a folder `vendors/<v>/` (settings with their `EmulatorConfig` builder
//! methods, the running vendor and its routes, `magic.rs`, a `sandbox` module), then one line
//! in each list below (module, `Vendor` variant and its arms, `settings`, `Ledger` field,
//! `sandbox` and `magic` re-exports).

mod ihuyi;
mod qxt;
mod wapi;

use crate::config::{DEFAULT_BALANCE, EmulatorConfig, VendorSlot};
use crate::emulated::VendorSettings;
use crate::ledger::{LedgerSnapshot, VendorLedger};
use crate::server::EmulatorHandle;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use wapi::config::{WapiAuth, WapiExhaustion};

/// A vendor the emulator stands in for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Vendor {
    /// wapi.cn: `/pyi/108/244` (mobile + name) and `/pyi/62/169` (ID number + name).
    Wapi,
    /// QXT: `/Phone_TwoElements` (mobile + name).
    Qxt,
    /// ihuyi: `/idcard/operzwsc/Submit.json` (operator status) and `GetNum.json` (balance).
    Ihuyi,
}

impl Vendor {
    /// Every vendor, in a stable order (the order of the ledger and the registry).
    pub const ALL: [Vendor; 3] = [Vendor::Wapi, Vendor::Qxt, Vendor::Ihuyi];

    /// Lowercase name, as in the ledger and the control endpoints.
    pub fn as_str(self) -> &'static str {
        match self {
            Vendor::Wapi => wapi::NAME,
            Vendor::Qxt => qxt::NAME,
            Vendor::Ihuyi => ihuyi::NAME,
        }
    }

    /// The vendor's settings with the sandbox credentials.
    fn settings(self) -> Box<dyn VendorSettings> {
        match self {
            Vendor::Wapi => Box::<wapi::config::Settings>::default(),
            Vendor::Qxt => Box::<qxt::Settings>::default(),
            Vendor::Ihuyi => Box::<ihuyi::Settings>::default(),
        }
    }

    /// Place in [`Vendor::ALL`], which is the place of its slot in the configuration.
    fn index(self) -> usize {
        Vendor::ALL
            .iter()
            .position(|vendor| *vendor == self)
            .unwrap_or_default()
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Default for EmulatorConfig {
    /// Every vendor with its sandbox credentials and [`DEFAULT_BALANCE`].
    fn default() -> Self {
        EmulatorConfig::with_vendors(
            Vendor::ALL
                .iter()
                .map(|vendor| VendorSlot {
                    settings: vendor.settings(),
                    balance: DEFAULT_BALANCE,
                })
                .collect(),
        )
    }
}

impl EmulatorConfig {
    /// Starting balance (billed calls left) of one vendor's account.
    pub fn balance(mut self, vendor: Vendor, calls: u64) -> Self {
        if let Some(slot) = self.vendors.get_mut(vendor.index()) {
            slot.balance = calls;
        }
        self
    }
}

impl EmulatorHandle {
    /// A snapshot of the billing ledger.
    pub fn ledger(&self) -> Ledger {
        Ledger::from(self.state().ledger())
    }

    /// Sets a vendor account's balance (billed calls left).
    pub fn set_balance(&self, vendor: Vendor, calls: u64) {
        if let Some(slot) = self.state().slot(vendor.as_str()) {
            slot.account.set_balance(calls);
        }
    }
}

/// A snapshot of the billing ledger, as `GET /__emulator/ledger` serves it.
///
/// Non-exhaustive: a vendor added later adds a field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Ledger {
    /// wapi account.
    pub wapi: VendorLedger,
    /// QXT account.
    pub qxt: VendorLedger,
    /// ihuyi account.
    pub ihuyi: VendorLedger,
}

impl Ledger {
    /// One vendor's part.
    pub fn vendor(&self, vendor: Vendor) -> &VendorLedger {
        match vendor {
            Vendor::Wapi => &self.wapi,
            Vendor::Qxt => &self.qxt,
            Vendor::Ihuyi => &self.ihuyi,
        }
    }
}

impl From<LedgerSnapshot> for Ledger {
    fn from(mut snapshot: LedgerSnapshot) -> Self {
        Ledger {
            wapi: snapshot.take(wapi::NAME),
            qxt: snapshot.take(qxt::NAME),
            ihuyi: snapshot.take(ihuyi::NAME),
        }
    }
}

/// The documented sandbox credentials: what the emulator accepts when nothing else is
/// configured, and what clients fall back to when they start the built-in sandbox.
///
/// These are published test values, not secrets; printing them is fine.
pub mod sandbox {
    pub use super::ihuyi::sandbox::{ACCOUNT as IHUYI_ACCOUNT, APIKEY as IHUYI_APIKEY};
    pub use super::qxt::sandbox::APIKEY as QXT_APIKEY;
    pub use super::wapi::config::sandbox::{
        APPID as WAPI_APPID, AUTH as WAPI_AUTH, SECRET as WAPI_SECRET,
    };

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn sandbox_keys_have_the_lengths_vendors_expect() {
            assert_eq!(WAPI_SECRET.len(), 32);
            assert_eq!(QXT_APIKEY.len(), 32);
            assert_eq!(IHUYI_APIKEY.len(), 32);
        }
    }
}

/// Magic inputs: numbers that make a vendor answer a given documented code, or make the
/// emulator inject a fault, like a card issuer's test numbers. Tests use these names, never
/// the literals. The table (with the scheme behind it) is in `docs/emulator.md`.
///
/// Scheme: a magic mobile is `17000` followed by the code's absolute value in six digits
/// (`17000010006` is wapi 10006, `17000000004` is QXT -4, `17000004050` is ihuyi 4050); fault
/// mobiles are `170009000NN`. A magic ID number is `11010119000101` + three digits
/// (`code - 10000` for wapi codes, `9NN` for faults) + a valid check digit, so offline
/// validation lets it through. Magic codes are answered after the credential and signature
/// checks (so a magic input never hides an auth bug) and are never billed; magic faults act
/// exactly like the same fault in the `x-emulator-fault` header.
pub mod magic {
    pub use super::ihuyi::magic as ihuyi;
    pub use super::qxt::magic as qxt;
    pub use super::wapi::magic as wapi;
    pub use crate::fault_inputs::fault;
}
