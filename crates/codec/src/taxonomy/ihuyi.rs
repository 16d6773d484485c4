//! ihuyi (互亿无线) codes of the operator-status check (`Submit.json`) and the balance query
//! (`GetNum.json`).
//!
//! Source: `ihuyi-operator-status.txt`, its two `code | msg` tables. Only `Submit` code 2 is
//! billed; a balance query is never billed.

use super::{CodeEntry, CodeInfo, row};
use crate::Kind::{
    Account, Auth, ClockSkew, InsufficientBalance, InvalidInput, IpNotAllowed, Upstream,
};

/// The success code of both operations.
pub const SUCCESS: &str = "2";
/// `Submit`: no result for the number (not found, not billed).
pub const NOT_FOUND: &str = "408";

// The refusals both tables list (account, signature, caller IP), each written once and placed
// in each table where its document lists it.
const IP_NOT_ALLOWED: CodeEntry = row(
    "400",
    Some(IpNotAllowed),
    false,
    false,
    "IP address not allowed",
);
const APIID_MISSING: CodeEntry = row("401", Some(Auth), false, false, "account (APIID) missing");
const PASSWORD_MISSING: CodeEntry = row("402", Some(Auth), false, false, "password missing");
const NO_APPLICATION: CodeEntry = row(
    "403",
    Some(Account),
    false,
    false,
    "application does not exist",
);
const WRONG_KEY: CodeEntry = row("405", Some(Auth), false, false, "APIID or APIKEY wrong");
const FROZEN: CodeEntry = row("4050", Some(Account), false, false, "account frozen");
const PASSWORD_EXPIRED: CodeEntry = row(
    "40501",
    Some(ClockSkew),
    false,
    true,
    "dynamic password expired (time too far from the server clock)",
);
const PASSWORD_WRONG: CodeEntry = row(
    "40502",
    Some(Auth),
    false,
    false,
    "dynamic password does not verify",
);
const IP_DIFFERS: CodeEntry = row(
    "4052",
    Some(IpNotAllowed),
    false,
    false,
    "caller IP differs from the registered IP",
);

/// Every documented `Submit.json` code, in document order.
pub static SUBMIT: &[CodeEntry] = &[
    row("0", Some(Upstream), false, false, "unknown vendor error"),
    row("1", Some(Upstream), false, true, "submission failed"),
    row(
        "2",
        None,
        true,
        false,
        "success: the answer carries the operator status",
    ),
    IP_NOT_ALLOWED,
    APIID_MISSING,
    PASSWORD_MISSING,
    NO_APPLICATION,
    row(
        "407",
        Some(InvalidInput),
        false,
        false,
        "mobile number missing",
    ),
    row(
        "4071",
        Some(InvalidInput),
        false,
        false,
        "mobile number badly formatted",
    ),
    row(
        "408",
        None,
        false,
        false,
        "no result for the number: not found, not billed",
    ),
    WRONG_KEY,
    FROZEN,
    PASSWORD_EXPIRED,
    PASSWORD_WRONG,
    row("40505", Some(Account), false, false, "no contract signed"),
    row(
        "4051",
        Some(InsufficientBalance),
        false,
        false,
        "remaining count too low",
    ),
    IP_DIFFERS,
    row("4086", Some(Upstream), false, false, "channel invalid"),
    row("4010", Some(Upstream), false, true, "channel error"),
];

/// Every documented `GetNum.json` code, in document order. Nothing here is billed.
pub static GET_NUM: &[CodeEntry] = &[
    row(
        "2",
        None,
        false,
        false,
        "success: the answer carries the remaining count",
    ),
    IP_NOT_ALLOWED,
    APIID_MISSING,
    PASSWORD_MISSING,
    NO_APPLICATION,
    WRONG_KEY,
    FROZEN,
    PASSWORD_EXPIRED,
    PASSWORD_WRONG,
    IP_DIFFERS,
];

/// Classifies a `Submit.json` code.
pub fn classify_submit(code: &str) -> CodeInfo {
    super::lookup(SUBMIT, code)
}

/// Classifies a `GetNum.json` code.
pub fn classify_get_num(code: &str) -> CodeInfo {
    super::lookup(GET_NUM, code)
}
