//! [`Checked`]: an answer together with who gave it and what it cost.

use crate::codec::Vendor;

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
        }
    }
}
