//! The data a batch moves around: which check, one row's input, one row's result.

use serde::{Deserialize, Serialize};
use shiming::codec::{Kind, Vendor};
use shiming_batch_input::{CheckInput, Field};

/// The check a batch runs on every row (`--check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum BatchCheck {
    /// Mobile two-element check: name + mobile.
    Mobile,
    /// ID-card two-element check: name + id_number.
    Id,
    /// Operator status of a mobile number: mobile only.
    MobileStatus,
}

impl BatchCheck {
    /// The store's name of this check (prices and verdicts are kept per check).
    pub(crate) fn store_check(self) -> shiming_store::Check {
        match self {
            BatchCheck::Mobile => shiming_store::Check::MobileTwoElements,
            BatchCheck::Id => shiming_store::Check::IdTwoElements,
            BatchCheck::MobileStatus => shiming_store::Check::MobileStatus,
        }
    }

    /// The name used in the journal and messages.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            BatchCheck::Mobile => "mobile",
            BatchCheck::Id => "id",
            BatchCheck::MobileStatus => "mobile-status",
        }
    }

    /// The input fields this check needs.
    pub(crate) fn required(self) -> &'static [Field] {
        match self {
            BatchCheck::Mobile => &[Field::Name, Field::Mobile],
            BatchCheck::Id => &[Field::Name, Field::IdNumber],
            BatchCheck::MobileStatus => &[Field::Mobile],
        }
    }

    /// `--check NAME`, as messages about missing columns name it.
    pub(crate) fn flag(self) -> String {
        format!("--check {}", self.as_str())
    }

    /// The bytes that make two rows "identical" for this check (only the fields it sends).
    pub(crate) fn dedup_key(self, input: &CheckInput) -> String {
        match self {
            BatchCheck::Mobile => format!("m\u{1f}{}\u{1f}{}", input.name, input.mobile),
            // The 15- and 18-digit forms of one ID number are one person.
            BatchCheck::Id => format!(
                "i\u{1f}{}\u{1f}{}",
                input.name,
                shiming_numbers::id_number::canonical_key(&input.id_number)
                    .unwrap_or_else(|| input.id_number.clone())
            ),
            BatchCheck::MobileStatus => format!("s\u{1f}{}", input.mobile),
        }
    }

    /// Vendor fields written as extra output columns, after the common ones.
    pub(crate) fn detail_columns(self) -> &'static [&'static str] {
        match self {
            BatchCheck::Mobile => &["carrier", "area"],
            // The offline facts of the ID number itself (shiming-numbers), free.
            BatchCheck::Id => &["sex", "birth_date", "region"],
            BatchCheck::MobileStatus => &["carrier", "real_carrier", "tenure", "ported"],
        }
    }
}

/// Why a row has no answer. Typed, because money is decided on it: whether the batch stops
/// (a refusal every further row would share), whether the vendor is down, whether a
/// `--resume` may send the row again. Serialized as the taxonomy's snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RowError {
    /// Refused offline by shiming before anything was sent.
    Refused,
    /// The vendor refused the input itself.
    InvalidInput,
    /// Credentials or signature wrong.
    Auth,
    /// Our clock too far from the vendor's.
    ClockSkew,
    /// Our IP address is not on the account's allow-list.
    IpNotAllowed,
    /// The account cannot use this API.
    Account,
    /// Balance or quota spent.
    InsufficientBalance,
    /// Too many calls, or the same person again too soon.
    RateLimited,
    /// The vendor or its carrier failed.
    Upstream,
    /// Accepted, to be answered later.
    Pending,
    /// A vendor code the documents do not describe.
    UndocumentedCode,
    /// No complete HTTP answer.
    Transport,
    /// An answer that could not be understood.
    Decode,
    /// The vendor is not configured (cannot happen once a batch runs; kept for completeness).
    NotConfigured,
    /// In flight when an earlier run died, not sent again (`--skip-unknown`).
    InFlightAtCrash,
}

impl RowError {
    /// The error of a facade failure.
    pub(crate) fn of(kind: shiming::ErrorKind) -> Self {
        use shiming::ErrorKind;
        match kind {
            ErrorKind::Vendor(kind) => match kind {
                Kind::InvalidInput => RowError::InvalidInput,
                Kind::Auth => RowError::Auth,
                Kind::ClockSkew => RowError::ClockSkew,
                Kind::IpNotAllowed => RowError::IpNotAllowed,
                Kind::Account => RowError::Account,
                Kind::InsufficientBalance => RowError::InsufficientBalance,
                Kind::RateLimited => RowError::RateLimited,
                Kind::Upstream => RowError::Upstream,
                Kind::Pending => RowError::Pending,
                Kind::Unknown => RowError::UndocumentedCode,
                _ => RowError::UndocumentedCode,
            },
            ErrorKind::Transport => RowError::Transport,
            ErrorKind::Decode => RowError::Decode,
            ErrorKind::InvalidInput => RowError::InvalidInput,
            ErrorKind::NotConfigured => RowError::NotConfigured,
            // ErrorKind is non-exhaustive: a kind added later is at least not an answer.
            _ => RowError::UndocumentedCode,
        }
    }

    /// The name in the output's `error_kind` column and the summary: the taxonomy's names,
    /// as the output always had them (an offline refusal reads `invalid_input`, its message
    /// `refused offline: …`; a row left in flight at a crash reads `unknown`, like an
    /// undocumented code). The journal keeps the finer variant names.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RowError::Refused => "invalid_input",
            RowError::InvalidInput => "invalid_input",
            RowError::Auth => "auth",
            RowError::ClockSkew => "clock_skew",
            RowError::IpNotAllowed => "ip_not_allowed",
            RowError::Account => "account",
            RowError::InsufficientBalance => "insufficient_balance",
            RowError::RateLimited => "rate_limited",
            RowError::Upstream => "upstream",
            RowError::Pending => "pending",
            RowError::UndocumentedCode => "unknown",
            RowError::Transport => "transport",
            RowError::Decode => "decode",
            RowError::NotConfigured => "not_configured",
            RowError::InFlightAtCrash => "unknown",
        }
    }

    /// A refusal every further row would share (and some would be billed or lock the
    /// account): the batch stops sending and can be resumed once it is fixed.
    pub(crate) fn stops_the_batch(self) -> bool {
        match self {
            RowError::Auth
            | RowError::Account
            | RowError::InsufficientBalance
            | RowError::IpNotAllowed
            | RowError::ClockSkew => true,
            RowError::Refused
            | RowError::InvalidInput
            | RowError::RateLimited
            | RowError::Upstream
            | RowError::Pending
            | RowError::UndocumentedCode
            | RowError::Transport
            | RowError::Decode
            | RowError::NotConfigured
            | RowError::InFlightAtCrash => false,
        }
    }

    /// The wire failed: no verdict was reached. Many in a row mean the vendor is down.
    pub(crate) fn is_wire_failure(self) -> bool {
        matches!(self, RowError::Transport | RowError::Decode)
    }
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a row got its result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Origin {
    /// A request was sent (possibly retried by the client policy).
    #[default]
    Checked,
    /// Copied from an identical earlier row; nothing was sent.
    Duplicate,
    /// Refused by offline validation; nothing was sent.
    Refused,
    /// In flight when a previous run died, not resent (`--skip-unknown`).
    Unknown,
    /// Answered by the verdict store from an earlier, billed answer; nothing was sent.
    Remembered,
}

/// One row's outcome, as written to the output and the journal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct RowResult {
    /// `match`, `mismatch` or `not_found` when the check answered one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) verdict: Option<String>,
    /// Vendor that answered (or failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) vendor: Option<Vendor>,
    /// The answer came from the built-in sandbox: the vendor cell reads `sandbox:<vendor>`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) sandbox: bool,
    /// Raw vendor code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) vendor_code: Option<String>,
    /// Whether this row's call was billed (an answer said so).
    #[serde(default)]
    pub(crate) billed: bool,
    /// No answer says whether the vendor billed this row's call, but it may have: the answer
    /// was lost after the request reached the vendor (cut, too large, timed out, connection
    /// reset), or the row was in flight when an earlier run died (`--skip-unknown`). Written
    /// as `billed` = `maybe`. Never set together with `billed`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) may_have_been_billed: bool,
    /// Why the row has no answer, when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) error_kind: Option<RowError>,
    /// Vendor message, or why the row failed or was refused.
    #[serde(default)]
    pub(crate) message: String,
    /// Values of the check's detail columns, in [`BatchCheck::detail_columns`] order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) details: Vec<String>,
    /// How the result came about.
    #[serde(default)]
    pub(crate) origin: Origin,
    /// The row was in flight when a previous run died and was sent again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) resent: bool,
}

impl RowResult {
    /// A row refused offline (bad number, missing field): costs nothing.
    pub(crate) fn refused(reason: impl Into<String>) -> Self {
        RowResult {
            error_kind: Some(RowError::Refused),
            message: format!("refused offline: {}", reason.into()),
            origin: Origin::Refused,
            ..RowResult::default()
        }
    }

    /// A row whose earlier request may or may not have reached the vendor (`--skip-unknown`).
    pub(crate) fn unknown() -> Self {
        RowResult {
            error_kind: Some(RowError::InFlightAtCrash),
            message: "in flight when an earlier run stopped; it may have been answered and \
                      billed; not sent again (--skip-unknown)"
                .to_string(),
            origin: Origin::Unknown,
            may_have_been_billed: true,
            ..RowResult::default()
        }
    }

    /// A copy of `leader`'s result for an identical row: same answer, nothing billed (nothing
    /// was sent for it, whatever the leader's call cost).
    pub(crate) fn duplicate_of(leader_row: u64, leader: &RowResult) -> Self {
        let message = if leader.message.is_empty() {
            format!("duplicate of row {leader_row}")
        } else {
            format!("duplicate of row {leader_row}: {}", leader.message)
        };
        RowResult {
            billed: false,
            may_have_been_billed: false,
            message,
            origin: Origin::Duplicate,
            resent: false,
            ..leader.clone()
        }
    }

    /// True when this row failed (vendor refusal, transport, decode…), refusals offline excluded.
    pub(crate) fn is_error(&self) -> bool {
        self.error_kind.is_some() && !matches!(self.origin, Origin::Refused | Origin::Unknown)
    }

    /// True when this row failed in a way that certainly cost nothing: no answer billed
    /// it and the request cannot have been billed unseen (nothing was sent, or the vendor
    /// refused without billing). Such a row can always be finished later for free.
    pub(crate) fn failed_unbilled(&self) -> bool {
        self.is_error() && !self.billed && !self.may_have_been_billed
    }

    /// The `vendor` cell: the vendor, prefixed `sandbox:` for made-up answers.
    pub(crate) fn vendor_cell(&self) -> String {
        match (self.vendor, self.sandbox) {
            (Some(vendor), true) => format!("sandbox:{vendor}"),
            (Some(vendor), false) => vendor.as_str().to_string(),
            (None, _) => String::new(),
        }
    }

    /// The `billed` cell: `true`, `false`, or `maybe` when no answer says but the vendor may
    /// have billed the call.
    pub(crate) fn billed_cell(&self) -> &'static str {
        match (self.billed, self.may_have_been_billed) {
            (true, _) => "true",
            (false, true) => "maybe",
            (false, false) => "false",
        }
    }
}
