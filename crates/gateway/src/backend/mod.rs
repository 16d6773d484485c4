//! Where shared state lives: the verdict cache, per-tenant rate limits and daily budgets.
//!
//! One small trait, [`Backend`], with one implementation per `store =` setting: in this
//! process (`memory`), a shiming-store SQLite file (`sqlite`; rate limits in-process), or
//! Redis (`redis`; everything shared by every gateway on it). Subjects reach a backend in
//! the clear (in memory only) and each backend keys them with a keyed hash before anything is
//! stored: no name, mobile or ID number is ever written in plaintext.

pub(crate) mod keys;
pub(crate) mod memory;
pub(crate) mod ratelimit;
pub(crate) mod redis;
pub(crate) mod sqlite;

use crate::money::Units;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What a check is about, normalised (trimmed, 11-digit mobile, upper-case X): the verdict
/// store's subject, whose `Debug` masks every field.
pub use shiming_store::Subject;

/// The subject masked for logs and the audit trail (`张*/186****8888`).
pub(crate) fn masked(subject: &Subject) -> String {
    use shiming::codec::mask;
    match subject {
        Subject::MobileTwoElements { name, mobile } => {
            format!("{}/{}", mask::name(name), mask::mobile(mobile))
        }
        Subject::IdTwoElements { name, id_number } => {
            format!("{}/{}", mask::name(name), mask::id_number(id_number))
        }
        Subject::MobileStatus { mobile } => mask::mobile(mobile),
    }
}

/// The bytes a keyed hash is taken of: the check and its fields, separated so that no two
/// subjects share them.
pub(crate) fn key_material(subject: &Subject) -> String {
    match subject {
        Subject::MobileTwoElements { name, mobile } => {
            format!("mobile2\u{0}{name}\u{0}{mobile}")
        }
        Subject::IdTwoElements { name, id_number } => format!("id2\u{0}{name}\u{0}{id_number}"),
        Subject::MobileStatus { mobile } => format!("status\u{0}{mobile}"),
    }
}

/// An answer worth serving again: billed and final (match, mismatch, a found status).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remembered {
    /// `match`, `mismatch` or `found`.
    pub verdict: String,
    /// The vendor that answered it.
    pub vendor: String,
    /// The vendor's code.
    pub code: String,
    /// When it was answered, unix seconds.
    pub checked_at: u64,
    /// The answer's details (carrier, area, tenure…; never the name, number or ID).
    pub details: serde_json::Value,
}

/// What the rate limit says about one more request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Go ahead.
    Admitted,
    /// Over the limit; try again after this long.
    RetryAfter(Duration),
}

/// A reservation asked of a tenant's daily budget. Named fields, since the cap and the
/// amount are both money and must never trade places.
#[derive(Debug, Clone, Copy)]
pub struct Ask<'a> {
    /// Whose budget.
    pub tenant: &'a str,
    /// The UTC day (`YYYY-MM-DD`) it counts against.
    pub day: &'a str,
    /// The tenant's daily budget.
    pub cap: Units,
    /// What the call may cost.
    pub amount: Units,
}

/// A budget reservation, settled once the vendor has answered. One dropped unsettled keeps
/// counting against the budget, as a call that may have been billed.
#[derive(Debug)]
pub struct Reservation {
    /// Whose budget.
    pub tenant: String,
    /// The UTC day (`YYYY-MM-DD`) it counts against.
    pub day: String,
    /// How much was reserved.
    pub amount: Units,
    /// shiming-store's own reservation (SQLite backend).
    pub(crate) store: Option<shiming_store::Reservation>,
}

/// A billed or possibly billed call, for the spend ledger.
#[derive(Debug, Clone, Copy)]
pub struct Spend {
    /// The vendor called.
    pub vendor: shiming::Vendor,
    /// The check.
    pub check: crate::config::Check,
    /// Its price.
    pub price: Units,
    /// False when it only may have been billed (a timeout after sending).
    pub certain: bool,
}

/// A failure of the backend itself (unreachable, corrupt): a 503 for the caller.
#[derive(Debug, thiserror::Error)]
#[error("store: {0}")]
pub struct BackendError(pub String);

/// The cache, limits and budgets, wherever they live.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// `memory`, `sqlite` or `redis` (readiness, status page).
    fn name(&self) -> &'static str;
    /// The cached answer for `subject`, unless expired.
    async fn lookup(&self, subject: &Subject) -> Result<Option<Remembered>, BackendError>;
    /// Caches `answer` for `subject` for `ttl`.
    async fn remember(
        &self,
        subject: &Subject,
        answer: &Remembered,
        ttl: Duration,
    ) -> Result<(), BackendError>;
    /// One more request of `tenant`, allowed `qps` per second?
    async fn admit(&self, tenant: &str, qps: u32) -> Result<Admission, BackendError>;
    /// Reserves the asked amount of a tenant's budget for the day if the total stays within
    /// the cap; `None` when it would not.
    async fn reserve(&self, ask: Ask<'_>) -> Result<Option<Reservation>, BackendError>;
    /// Settles a reservation: `spent` is what the call cost (the reservation when it may have
    /// been billed, zero when certainly not), which replaces the reserved amount.
    async fn settle(&self, reservation: Reservation, spent: Units) -> Result<(), BackendError>;
    /// Records a billed or possibly billed call in the spend ledger, where the backend
    /// keeps one (SQLite); the others keep spend in metrics only.
    async fn record_spend(&self, spend: Spend) -> Result<(), BackendError> {
        let _ = spend;
        Ok(())
    }
    /// What `tenant` has spent (and holds reserved) on `day`.
    async fn spent(&self, tenant: &str, day: &str) -> Result<Units, BackendError>;
    /// Reachable and working (`/readyz`).
    async fn ping(&self) -> Result<(), BackendError>;
}
