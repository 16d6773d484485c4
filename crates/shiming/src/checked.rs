//! [`Checked`]: an answer together with who gave it and what it cost.

use crate::codec::Vendor;
use std::time::{SystemTime, UNIX_EPOCH};

/// A vendor's answer, with the vendor that gave it, its raw code and message, whether it is
/// billed, and how many HTTP requests the call took.
///
/// For a failover check, [`vendor`](Self::vendor) names the vendor that actually answered.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Checked<T> {
    /// The vendor that answered.
    pub vendor: Vendor,
    /// The vendor's raw code (`"10000"`, `"0"`, `"2"`, `"10025"`, …).
    pub code: String,
    /// The vendor's message for the code.
    pub message: String,
    /// Whether this answer is charged to the account.
    pub billed: bool,
    /// HTTP requests sent for this call in all: 1 unless retries, a clock correction or
    /// failover happened.
    pub attempts: u32,
    /// The answer itself.
    pub answer: T,
    /// Whether the vendor answered this call or a store remembered an earlier answer
    /// (feature `store`). Left out of JSON for a fresh answer, so its shape is unchanged.
    #[serde(skip_serializing_if = "Origin::is_vendor")]
    pub origin: Origin,
}

/// Where a [`Checked`] answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Origin {
    /// The vendor answered this call.
    #[default]
    Vendor,
    /// A verdict store remembered the answer (feature `store`): no request was sent,
    /// `billed` is false and `attempts` 0; `vendor` and `code` are the original answer's.
    Store {
        /// When the vendor originally answered.
        checked_at: SystemTime,
        /// When the store stops using the answer.
        expires_at: SystemTime,
    },
    /// An identical check in flight in this process asked the vendor, and this caller
    /// waited for its answer (feature `store`, single flight): `billed` is false and
    /// `attempts` 0 here; the cost is counted once, on the other caller's answer.
    Shared,
}

impl Origin {
    /// True for a fresh answer from the vendor.
    pub fn is_vendor(&self) -> bool {
        matches!(self, Origin::Vendor)
    }

    /// True for an answer that cost this caller nothing: remembered or shared.
    pub fn is_cached(&self) -> bool {
        matches!(self, Origin::Store { .. } | Origin::Shared)
    }
}

/// JSON: `{"source": "store", "checked_at": <Unix seconds>, "expires_at": <Unix seconds>}`,
/// `{"source": "shared"}` or `{"source": "vendor"}`.
impl serde::Serialize for Origin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let unix = |t: &SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        match self {
            Origin::Vendor => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("source", "vendor")?;
                map.end()
            }
            Origin::Shared => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("source", "shared")?;
                map.end()
            }
            Origin::Store {
                checked_at,
                expires_at,
            } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("source", "store")?;
                map.serialize_entry("checked_at", &unix(checked_at))?;
                map.serialize_entry("expires_at", &unix(expires_at))?;
                map.end()
            }
        }
    }
}

impl<T> Checked<T> {
    /// Maps the answer, keeping everything else.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Checked<U> {
        Checked {
            vendor: self.vendor,
            code: self.code,
            message: self.message,
            billed: self.billed,
            attempts: self.attempts,
            answer: f(self.answer),
            origin: self.origin,
        }
    }
}
