//! Magic mobiles of ihuyi's `Submit.json`. Codes 401, 402 and 407 need a missing parameter and
//! are reached that way (or with `code=N`).
//!
//! Published as `shiming_emulator::magic::ihuyi`; a magic mobile is `17000` followed by the
//! code in six digits.

/// 0: unknown error.
pub const UNKNOWN_ERROR: &str = "17000000000";
/// 1: submit failed.
pub const SUBMIT_FAILED: &str = "17000000001";
/// 2 with `result.status` 1: accepted and billed, but the query itself failed.
pub const QUERY_FAILED: &str = "17000000002";
/// 400: IP not allowed.
pub const IP_NOT_ALLOWED: &str = "17000000400";
/// 403: application does not exist.
pub const APP_MISSING: &str = "17000000403";
/// 405: API ID or API KEY wrong.
pub const BAD_CREDENTIALS: &str = "17000000405";
/// 408: no result (the number is unknown).
pub const NOT_FOUND: &str = "17000000408";
/// 4010: channel error.
pub const CHANNEL_ERROR: &str = "17000004010";
/// 4050: account frozen.
pub const ACCOUNT_FROZEN: &str = "17000004050";
/// 4051: balance spent.
pub const BALANCE_EXHAUSTED: &str = "17000004051";
/// 4052: caller IP differs from the registered one.
pub const IP_MISMATCH: &str = "17000004052";
/// 4071: mobile format wrong (as a forced code).
pub const MOBILE_FORMAT: &str = "17000004071";
/// 4086: channel invalid.
pub const CHANNEL_INVALID: &str = "17000004086";
/// 40501: dynamic password expired (as a forced code).
pub const PASSWORD_EXPIRED: &str = "17000040501";
/// 40502: dynamic password wrong (as a forced code).
pub const PASSWORD_WRONG: &str = "17000040502";
/// 40505: no contract signed.
pub const NO_CONTRACT: &str = "17000040505";
/// Every `(code, mobile)` pair except [`QUERY_FAILED`].
pub const ALL: &[(i64, &str)] = &[
    (0, UNKNOWN_ERROR),
    (1, SUBMIT_FAILED),
    (400, IP_NOT_ALLOWED),
    (403, APP_MISSING),
    (405, BAD_CREDENTIALS),
    (408, NOT_FOUND),
    (4010, CHANNEL_ERROR),
    (4050, ACCOUNT_FROZEN),
    (4051, BALANCE_EXHAUSTED),
    (4052, IP_MISMATCH),
    (4071, MOBILE_FORMAT),
    (4086, CHANNEL_INVALID),
    (40501, PASSWORD_EXPIRED),
    (40502, PASSWORD_WRONG),
    (40505, NO_CONTRACT),
];

/// What an ihuyi magic input asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Magic {
    Code(i64),
    /// 2 with a failed query.
    QueryFailed,
}

pub(crate) fn for_mobile(mobile: &str) -> Option<Magic> {
    if mobile == QUERY_FAILED {
        return Some(Magic::QueryFailed);
    }
    ALL.iter()
        .find(|(_, magic)| *magic == mobile)
        .map(|(code, _)| Magic::Code(*code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_follow_the_scheme() {
        for (code, mobile) in ALL {
            assert_eq!(*mobile, format!("17000{code:06}"));
            assert_eq!(for_mobile(mobile), Some(Magic::Code(*code)));
        }
        assert_eq!(for_mobile(QUERY_FAILED), Some(Magic::QueryFailed));
    }
}
