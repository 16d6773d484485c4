//! The seam between the batch engine and whatever answers a row: the facade in production,
//! a plain function in tests.

use super::input::CheckInput;
use super::record::RowResult;

/// Answers one row. Implementations never panic and never fail: every failure becomes a
/// [`RowResult`] with an `error_kind`, because every input row must appear in the output.
#[async_trait::async_trait]
pub(crate) trait RowChecker: Send + Sync {
    /// Runs the check for `input` (retries, if any, are the implementation's business).
    async fn check(&self, input: &CheckInput) -> RowResult;
}

/// Offline validation: `Ok` with the normalized input to send, or `Err(reason)` to refuse
/// the row before anything is sent.
pub(crate) type Precheck = Box<dyn Fn(&CheckInput) -> Result<CheckInput, String> + Send + Sync>;
