//! wapi.cn codes (`codeid`), shared by the mobile and ID-card two-element APIs.
//!
//! Source: `wapi-mobile-two-elements.txt` and `wapi-idcard-two-elements.txt` (identical code
//! tables). Only 10000 is billed (both documents say so). 10019 carries a
//! vendor-chosen message: we read it as rate limiting when it mentions `频繁`.

use super::{CodeEntry, CodeInfo, row};
use crate::Kind::{
    Account, Auth, ClockSkew, InsufficientBalance, InvalidInput, IpNotAllowed, Pending, Unknown,
    Upstream,
};

/// The answer code of a successful (billed) check.
pub const SUCCESS: &str = "10000";
/// Debug-mode data (`debug=1`): a plausible answer, not billed.
pub const DEBUG: &str = "10024";
/// No record: a "not found" verdict, not billed.
pub const NOT_FOUND: &str = "10025";
/// The vendor-message code; rate limiting when the message mentions [`RATE_LIMIT_MARKER`].
pub const INFO: &str = "10019";
/// What a 10019 message says when the same name or number was checked too often.
pub const RATE_LIMIT_MARKER: &str = "频繁";

/// Every documented wapi code, in document order.
pub static TABLE: &[CodeEntry] = &[
    row(
        "10000",
        None,
        true,
        false,
        "success: the answer carries a verdict",
    ),
    row("10001", Some(Auth), false, false, "appid missing"),
    row("10002", Some(Auth), false, false, "sign missing"),
    row("10003", Some(Auth), false, false, "sign does not verify"),
    row(
        "10004",
        Some(ClockSkew),
        false,
        true,
        "time more than 10 minutes from the server clock",
    ),
    row("10005", Some(Auth), false, false, "appid wrong"),
    row(
        "10006",
        Some(IpNotAllowed),
        false,
        false,
        "caller IP not authorized for the application",
    ),
    row("10007", Some(Account), false, false, "application disabled"),
    row(
        "10008",
        Some(Account),
        false,
        false,
        "application does not include this API",
    ),
    row(
        "10009",
        Some(Account),
        false,
        false,
        "API does not exist (for this account)",
    ),
    row(
        "10010",
        Some(Account),
        false,
        false,
        "API not added to the account",
    ),
    row(
        "10011",
        Some(Account),
        false,
        false,
        "API subscription expired",
    ),
    row("10012", Some(Account), false, false, "no API subscribed"),
    row(
        "10013",
        Some(Upstream),
        false,
        false,
        "API suspended by the vendor",
    ),
    row(
        "10014",
        Some(Upstream),
        false,
        false,
        "unknown vendor error (contact support)",
    ),
    row(
        "10015",
        Some(InvalidInput),
        false,
        false,
        "wrong number of parameters",
    ),
    row(
        "10019",
        Some(Unknown),
        false,
        false,
        "vendor-defined message; rate_limited when it mentions 频繁",
    ),
    row(
        "10017",
        Some(InvalidInput),
        false,
        false,
        "time is not an integer",
    ),
    row(
        "10018",
        Some(InsufficientBalance),
        false,
        false,
        "call quota used up",
    ),
    row(
        "10020",
        Some(Upstream),
        false,
        false,
        "sub-interface does not exist or was closed",
    ),
    row("10021", Some(Upstream), false, true, "vendor server error"),
    row(
        "10022",
        Some(InsufficientBalance),
        false,
        false,
        "account balance too low",
    ),
    row(
        "10023",
        Some(Pending),
        false,
        false,
        "order accepted, result will come by callback",
    ),
    row(
        "10024",
        None,
        false,
        false,
        "debug-mode data (debug=1), not billed",
    ),
    row(
        "10025",
        None,
        false,
        false,
        "no record: verdict not_found, not billed",
    ),
];

/// The rate-limit reading of 10019.
const RATE_LIMITED: CodeInfo = CodeInfo {
    kind: Some(crate::Kind::RateLimited),
    billed: false,
    retryable: false,
    meaning: "same name or number checked too often (10019, message mentions 频繁)",
};

/// Classifies a wapi code with its message (10019 depends on it).
pub fn classify(code: &str, message: &str) -> CodeInfo {
    if code.trim() == INFO && message.contains(RATE_LIMIT_MARKER) {
        return RATE_LIMITED;
    }
    super::lookup(TABLE, code)
}

#[cfg(test)]
mod tests {
    use super::classify;
    use crate::Kind;

    #[test]
    fn rate_limit_is_read_from_the_10019_message() {
        let limited = classify("10019", "相同姓名或号码核验过于频繁,请稍后再试");
        assert_eq!(limited.kind, Some(Kind::RateLimited));
        assert!(!limited.billed);
        assert_eq!(classify("10019", "其他说明").kind, Some(Kind::Unknown));
        assert_eq!(
            classify("10018", "频繁").kind,
            Some(Kind::InsufficientBalance)
        );
    }
}
