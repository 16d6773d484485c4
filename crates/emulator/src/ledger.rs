//! The billing ledger: requests, billed calls and injected faults per vendor and operation,
//! counted with atomics (no lock on the request path), and a serializable snapshot of it.

use crate::emulated::EmulatedVendor;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    billed: AtomicU64,
    faulted: AtomicU64,
}

/// Live counters: one set per vendor path, `[vendor][route]` in the registry's order.
#[derive(Debug, Default)]
pub(crate) struct LedgerCounters {
    routes: Vec<Vec<Counters>>,
}

/// Which counters a request updates: its vendor's slot and its path's place in the vendor's
/// routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CounterKey {
    pub(crate) vendor: usize,
    pub(crate) route: usize,
}

impl LedgerCounters {
    /// Counters for every route of every vendor.
    pub(crate) fn new<'a>(vendors: impl Iterator<Item = &'a dyn EmulatedVendor>) -> Self {
        Self {
            routes: vendors
                .map(|vendor| {
                    vendor
                        .routes()
                        .iter()
                        .map(|_| Counters::default())
                        .collect()
                })
                .collect(),
        }
    }

    fn at(&self, key: CounterKey) -> Option<&Counters> {
        self.routes.get(key.vendor)?.get(key.route)
    }

    pub(crate) fn request(&self, key: CounterKey) {
        if let Some(counters) = self.at(key) {
            counters.requests.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn billed(&self, key: CounterKey) {
        if let Some(counters) = self.at(key) {
            counters.billed.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn faulted(&self, key: CounterKey) {
        if let Some(counters) = self.at(key) {
            counters.faulted.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn clear(&self) {
        for counters in self.routes.iter().flatten() {
            counters.requests.store(0, Ordering::Relaxed);
            counters.billed.store(0, Ordering::Relaxed);
            counters.faulted.store(0, Ordering::Relaxed);
        }
    }

    /// One vendor's counts (paths without an operation name are not counted).
    pub(crate) fn snapshot(
        &self,
        vendor: usize,
        on: &dyn EmulatedVendor,
        balance: u64,
    ) -> VendorLedger {
        let mut ledger = VendorLedger {
            balance,
            ..VendorLedger::default()
        };
        let Some(counters) = self.routes.get(vendor) else {
            return ledger;
        };
        for (route, counters) in on.routes().iter().zip(counters) {
            let Some(name) = route.operation else {
                continue;
            };
            let entry = OperationLedger {
                requests: counters.requests.load(Ordering::Relaxed),
                billed: counters.billed.load(Ordering::Relaxed),
                faulted: counters.faulted.load(Ordering::Relaxed),
            };
            ledger.requests += entry.requests;
            ledger.billed += entry.billed;
            ledger.operations.insert(name.to_owned(), entry);
        }
        ledger
    }
}

/// Every vendor's ledger by name, in the registry's order: what the control endpoints serve
/// (the same JSON as the public `Ledger`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LedgerSnapshot(pub(crate) Vec<(&'static str, VendorLedger)>);

impl LedgerSnapshot {
    /// Takes one vendor's part out (an empty ledger when the name is unknown).
    pub(crate) fn take(&mut self, name: &str) -> VendorLedger {
        self.0
            .iter_mut()
            .find(|(vendor, _)| *vendor == name)
            .map(|(_, ledger)| std::mem::take(ledger))
            .unwrap_or_default()
    }
}

impl Serialize for LedgerSnapshot {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, ledger) in &self.0 {
            map.serialize_entry(name, ledger)?;
        }
        map.end()
    }
}

/// Counts for one operation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationLedger {
    /// Requests that reached the operation's path (faulted ones included).
    pub requests: u64,
    /// Calls the vendor would bill (wapi 10000, QXT 0, ihuyi Submit 2).
    pub billed: u64,
    /// Requests that received an injected fault (header, global plan or magic input).
    pub faulted: u64,
}

/// One vendor account: its balance and counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorLedger {
    /// Billed calls left.
    pub balance: u64,
    /// Requests over all operations.
    pub requests: u64,
    /// Billed calls over all operations.
    pub billed: u64,
    /// Per operation, by the client crates' names (`mobile_two_elements`, `id_two_elements`,
    /// `mobile_status`, `balance`).
    pub operations: BTreeMap<String, OperationLedger>,
}

impl VendorLedger {
    /// The counts of one operation (zero when unknown).
    pub fn operation(&self, name: &str) -> OperationLedger {
        self.operations.get(name).copied().unwrap_or_default()
    }
}
