//! The production [`RowChecker`]: one row, one facade call.

use super::checker::RowChecker;
use super::input::CheckInput;
use super::record::{BatchCheck, Origin, RowError, RowResult};
use crate::answers::{self, Subject};
use crate::cache::Checker;
use crate::report::{Answer, Failure, VerdictField};
use shiming::codec::Vendor;

/// Asks the facade's verifier.
pub(crate) struct FacadeChecker {
    verifier: Checker,
    check: BatchCheck,
    /// `Some` to ask one vendor, `None` for the mobile failover chain.
    vendor: Option<Vendor>,
    /// Answers come from the built-in sandbox: the vendor cell says `sandbox:<vendor>`, so
    /// no output row can pass for a real answer.
    sandbox: bool,
}

impl FacadeChecker {
    /// A checker running `check` against `vendor` (or the failover chain).
    pub(crate) fn new(
        verifier: Checker,
        check: BatchCheck,
        vendor: Option<Vendor>,
        sandbox: bool,
    ) -> Self {
        FacadeChecker {
            verifier,
            check,
            vendor,
            sandbox,
        }
    }
}

#[async_trait::async_trait]
impl RowChecker for FacadeChecker {
    async fn check(&self, input: &CheckInput) -> RowResult {
        let v = &self.verifier;
        let outcome = match self.check {
            BatchCheck::Mobile => {
                let subject = Subject::Mobile(&input.name, &input.mobile);
                let result = match self.vendor {
                    Some(vendor) => {
                        v.mobile_two_elements_with(vendor, &input.name, &input.mobile)
                            .await
                    }
                    None => v.mobile_two_elements(&input.name, &input.mobile).await,
                };
                result.map(|c| answers::two_element(&c, subject))
            }
            BatchCheck::Id => v
                .id_two_elements(&input.name, &input.id_number)
                .await
                .map(|c| answers::two_element(&c, Subject::Id(&input.name, &input.id_number))),
            BatchCheck::MobileStatus => v
                .mobile_status(&input.mobile)
                .await
                .map(|c| answers::status(&c, &input.mobile)),
        };
        let mut row = match outcome {
            Ok(answer) if answer.cached => RowResult {
                origin: Origin::Remembered,
                message: format!(
                    "remembered from {}; no request sent",
                    answer.checked_at.as_deref().unwrap_or("an earlier check")
                ),
                ..row_of_answer(&answer, self.check)
            },
            Ok(answer) => row_of_answer(&answer, self.check),
            Err(error) => row_of_failure(&error),
        };
        if self.check == BatchCheck::Id && row.error_kind.is_none() {
            row.details = id_facts(&input.id_number);
        }
        row.sandbox = self.sandbox;
        row
    }
}

/// An answer as a batch row.
pub(crate) fn row_of_answer(answer: &Answer, check: BatchCheck) -> RowResult {
    let verdict = match answer.verdict {
        VerdictField::Of(Some(verdict)) => Some(verdict.as_str().to_string()),
        _ => None,
    };
    let details = check
        .detail_columns()
        .iter()
        .map(|column| match answer.details.get(*column) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        })
        .collect();
    RowResult {
        verdict,
        vendor: Some(answer.vendor),
        sandbox: false,
        vendor_code: Some(answer.vendor_code.clone()),
        billed: answer.billed,
        may_have_been_billed: false,
        error_kind: None,
        // An answer's verdict says it all; the vendor's words go with errors only.
        message: String::new(),
        details,
        origin: Origin::Checked,
        resent: false,
    }
}

/// A failure as a batch row. When the request may have reached the vendor before the answer
/// was lost, the row says the call may have been billed: the vendor's invoice will count it
/// and the summary must be able to account for it.
pub(crate) fn row_of_failure(error: &shiming::Error) -> RowResult {
    let failure = Failure::from_error(error);
    RowResult {
        verdict: None,
        vendor: failure.vendor,
        sandbox: false,
        vendor_code: failure.vendor_code,
        billed: false,
        // Every batch check is a billable call (unlike `balance`): the facade's word stands.
        may_have_been_billed: failure.may_have_been_billed,
        error_kind: Some(RowError::of(error.kind())),
        message: failure.message,
        details: Vec::new(),
        origin: Origin::Checked,
        resent: false,
    }
}

/// Sex, birth date and region of an ID number, read offline from the number itself (the
/// `sex`, `birth_date` and `region` columns of an ID check).
fn id_facts(id_number: &str) -> Vec<String> {
    use shiming_numbers::id_number::{self, Mode};
    let report = id_number::parse(id_number, Mode::Lenient, crate::precheck::today());
    vec![
        report
            .sex()
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        report
            .birth_date()
            .map(|d| d.to_string())
            .unwrap_or_default(),
        report.region().map(|r| r.full_name()).unwrap_or_default(),
    ]
}
