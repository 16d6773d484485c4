//! The billing ledger: requests, billed calls and injected faults per vendor and operation,
//! counted with atomics (no lock on the request path), and a serializable snapshot of it.

use crate::config::Vendor;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// An operation the emulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    WapiMobile,
    WapiId,
    QxtMobile,
    IhuyiStatus,
    IhuyiBalance,
}

impl Op {
    const ALL: [Op; 5] = [
        Op::WapiMobile,
        Op::WapiId,
        Op::QxtMobile,
        Op::IhuyiStatus,
        Op::IhuyiBalance,
    ];

    pub(crate) fn vendor(self) -> Vendor {
        match self {
            Op::WapiMobile | Op::WapiId => Vendor::Wapi,
            Op::QxtMobile => Vendor::Qxt,
            Op::IhuyiStatus | Op::IhuyiBalance => Vendor::Ihuyi,
        }
    }

    /// The operation names the client crates use.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Op::WapiMobile | Op::QxtMobile => "mobile_two_elements",
            Op::WapiId => "id_two_elements",
            Op::IhuyiStatus => "mobile_status",
            Op::IhuyiBalance => "balance",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    billed: AtomicU64,
    faulted: AtomicU64,
}

/// Live counters, one set per operation.
#[derive(Debug, Default)]
pub(crate) struct LedgerCounters {
    ops: [Counters; 5],
}

impl LedgerCounters {
    pub(crate) fn request(&self, op: Op) {
        self.ops[op.index()]
            .requests
            .fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn billed(&self, op: Op) {
        self.ops[op.index()].billed.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn faulted(&self, op: Op) {
        self.ops[op.index()].faulted.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn clear(&self) {
        for counters in &self.ops {
            counters.requests.store(0, Ordering::Relaxed);
            counters.billed.store(0, Ordering::Relaxed);
            counters.faulted.store(0, Ordering::Relaxed);
        }
    }

    pub(crate) fn snapshot(&self, balances: [u64; 3]) -> Ledger {
        let mut ledger = Ledger::default();
        for vendor in Vendor::ALL {
            ledger.vendor_mut(vendor).balance = balances[vendor.index()];
        }
        for op in Op::ALL {
            let counters = &self.ops[op.index()];
            let entry = OperationLedger {
                requests: counters.requests.load(Ordering::Relaxed),
                billed: counters.billed.load(Ordering::Relaxed),
                faulted: counters.faulted.load(Ordering::Relaxed),
            };
            let vendor = ledger.vendor_mut(op.vendor());
            vendor.requests += entry.requests;
            vendor.billed += entry.billed;
            vendor.operations.insert(op.name().to_owned(), entry);
        }
        ledger
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

/// A snapshot of the billing ledger, as `GET /__emulator/ledger` serves it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

    fn vendor_mut(&mut self, vendor: Vendor) -> &mut VendorLedger {
        match vendor {
            Vendor::Wapi => &mut self.wapi,
            Vendor::Qxt => &mut self.qxt,
            Vendor::Ihuyi => &mut self.ihuyi,
        }
    }
}
