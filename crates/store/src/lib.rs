//! The verdict store, spend ledger and budgets of shiming, in one SQLite file.
//!
//! - [`Store::lookup`] / [`Store::remember`]: billed final answers (match, mismatch, mobile
//!   status) kept per check for a configurable time ([`Ttls`]), so a repeat costs nothing
//!   and never trips a vendor's "checked too often" rule.
//! - [`Store::forget_mobile`], [`Store::forget_id`], [`Store::purge`], [`Store::stats`]:
//!   deletion on request (PIPL), housekeeping.
//! - [`Store::record_spend`] / [`Store::spend`]: the ledger of billed and possibly billed
//!   calls, in exact money ([`Yuan`]).
//! - [`Store::reserve`] / [`Store::settle`]: caps that hold across processes.
//! - [`RunDedup`]: a batch's within-run duplicate detection in flat memory.
//!
//! **No name, mobile or ID number is ever written.** A person is a keyed hash (HMAC-SHA256)
//! of the normalised subject under a random per-installation key kept in its own owner-only
//! file. See `docs/store.md` for the schema, the privacy argument and concurrency.
//!
//! ```
//! use std::time::SystemTime;
//! use shiming_store::{Answer, Outcome, Store, StoreOptions, Subject};
//! use shiming_codec::Vendor;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! let store = Store::open(&dir.path().join("shiming.sqlite"), StoreOptions::new())?;
//! let who = Subject::mobile_two_elements("张三", "+86 138-0013-8000");
//! let now = SystemTime::now();
//! store.remember(&who, &Answer {
//!     outcome: Outcome::Match,
//!     vendor: Vendor::Wapi,
//!     code: "10000".into(),
//!     checked_at: now,
//!     details: serde_json::json!({"carrier": "移动"}),
//! })?;
//! let again = Subject::mobile_two_elements("张三", "13800138000");
//! assert_eq!(store.lookup(&again, now)?.map(|r| r.outcome), Some(Outcome::Match));
//! # Ok(())
//! # }
//! ```

mod answer;
mod budget;
mod dedup;
mod error;
mod key;
mod ledger;
mod maintenance;
mod money;
mod normalise;
mod schema;
mod store;
mod subject;
mod time;

pub use answer::{Answer, Outcome, Remembered, Ttls};
pub use budget::{BudgetKey, BudgetRefused, Reservation, ReserveError, Settlement};
pub use dedup::RunDedup;
pub use error::{StoreError, StoreErrorKind};
pub use key::KEY_LEN;
pub use ledger::{Billing, SpendBy, SpendEntry, SpendRow};
pub use maintenance::{CheckStats, Stats};
pub use money::{Yuan, YuanParseError};
pub use store::{MAX_DETAILS_BYTES, Store, StoreOptions, SubjectKey};
pub use subject::{Check, Subject};
pub use time::utc_date;

pub use shiming_numbers::Date;
