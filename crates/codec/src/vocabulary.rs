//! The vendor-neutral words every layer above the codec speaks: which check, what kind of
//! failure, and what a two-element check concluded. (Which vendor — [`Vendor`](crate::Vendor) — is the vendor
//! list in `lib.rs`, the one place that names them.)

use serde::{Deserialize, Serialize};
use std::fmt;

/// The normalized class of a vendor's non-verdict answer (the taxonomy).
///
/// Each vendor's documented codes map onto one of these, so callers can write one policy
/// for all vendors. A mismatch or "not found" is a [`Verdict`], never a `Kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Kind {
    /// The vendor refused the input itself (bad mobile format, missing parameter, …).
    InvalidInput,
    /// Credentials or signature were wrong or missing.
    Auth,
    /// The request's timestamp was too far from the vendor's clock.
    ClockSkew,
    /// The caller's IP address is not on the account's allow-list.
    IpNotAllowed,
    /// The account cannot use this API: disabled, not subscribed, expired, no contract.
    Account,
    /// The balance or call quota is spent.
    InsufficientBalance,
    /// Too many calls, or the same name/number checked again too soon.
    RateLimited,
    /// The vendor (or its upstream carrier) failed.
    Upstream,
    /// The vendor accepted the request and will answer later (asynchronous order).
    Pending,
    /// A code the documents do not describe; the raw code is kept beside it.
    Unknown,
}

impl Kind {
    /// The snake_case name used in logs and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::InvalidInput => "invalid_input",
            Kind::Auth => "auth",
            Kind::ClockSkew => "clock_skew",
            Kind::IpNotAllowed => "ip_not_allowed",
            Kind::Account => "account",
            Kind::InsufficientBalance => "insufficient_balance",
            Kind::RateLimited => "rate_limited",
            Kind::Upstream => "upstream",
            Kind::Pending => "pending",
            Kind::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a two-element check concluded. A mismatch is an answer, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The name belongs to the number.
    Match,
    /// The number exists but the name does not belong to it.
    Mismatch,
    /// The vendor has no record of the number.
    NotFound,
}

impl Verdict {
    /// The snake_case name used in logs and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Match => "match",
            Verdict::Mismatch => "mismatch",
            Verdict::NotFound => "not_found",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which check a call makes: what prices, verdict stores and ledgers are kept per. Which
/// vendor offers which check is the facade's registry (`shiming::vendors::offers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// Mobile number + name.
    MobileTwoElements,
    /// ID number + name.
    IdTwoElements,
    /// Carrier, tenure and porting of a mobile number.
    MobileStatus,
}

impl Check {
    /// Every check, in a stable order.
    pub const ALL: [Check; 3] = [
        Check::MobileTwoElements,
        Check::IdTwoElements,
        Check::MobileStatus,
    ];

    /// The snake_case name used in statistics, the ledger and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Check::MobileTwoElements => "mobile_two_elements",
            Check::IdTwoElements => "id_two_elements",
            Check::MobileStatus => "mobile_status",
        }
    }

    /// The check's place in [`Check::ALL`], for tables with one slot per check
    /// (`[T; Check::ALL.len()]`), as [`Vendor::index`](crate::Vendor::index) is for vendors.
    pub const fn index(self) -> usize {
        match self {
            Check::MobileTwoElements => 0,
            Check::IdTwoElements => 1,
            Check::MobileStatus => 2,
        }
    }

    /// The check named by [`Check::as_str`].
    pub fn from_name(name: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
