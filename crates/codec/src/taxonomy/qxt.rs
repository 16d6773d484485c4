//! QXT (企讯通) codes (`code`) of `Phone_TwoElements`.
//!
//! Source: `qxt-phone-two-elements.txt`, section "Code 错误代码表". Only 0 is billed (our
//! reading: the other codes are refusals or "nothing found").

use super::{CodeEntry, CodeInfo, row};
use crate::Kind::{Auth, InsufficientBalance, InvalidInput, IpNotAllowed, Upstream};

/// The answer code of a successful (billed) check.
pub const SUCCESS: &str = "0";
/// Nothing found for the number: a "not found" verdict, not billed.
pub const NOT_FOUND: &str = "-4";

/// Every documented QXT code, in document order.
pub static TABLE: &[CodeEntry] = &[
    row(
        "0",
        None,
        true,
        false,
        "success: the answer carries a verdict",
    ),
    row(
        "1",
        Some(InvalidInput),
        false,
        false,
        "parameter missing, or apikey/mobile of the wrong length or format",
    ),
    row(
        "-1",
        Some(Auth),
        false,
        false,
        "apikey does not match an account",
    ),
    row(
        "-2",
        Some(InvalidInput),
        false,
        false,
        "mobile number of the wrong length",
    ),
    row(
        "-3",
        Some(InvalidInput),
        false,
        false,
        "mobile number is not valid",
    ),
    row(
        "-4",
        None,
        false,
        false,
        "nothing found for the number: verdict not_found, not billed",
    ),
    row(
        "-5",
        Some(InsufficientBalance),
        false,
        false,
        "balance too low for this query",
    ),
    row(
        "-8",
        Some(Upstream),
        false,
        true,
        "system error, try again later",
    ),
    row(
        "-9",
        Some(IpNotAllowed),
        false,
        false,
        "caller IP not authorized",
    ),
];

/// Classifies a QXT code.
pub fn classify(code: &str) -> CodeInfo {
    super::lookup(TABLE, code)
}
