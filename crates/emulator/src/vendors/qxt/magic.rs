//! Magic mobiles of QXT's `/Phone_TwoElements`. Codes 1, -1, -2 and -3 are reached by the
//! input itself (missing parameter, wrong apikey, wrong length, impossible number) and also by
//! `x-emulator-fault: code=N`; the document lists no -6 or -7.
//!
//! Published as `shiming_emulator::magic::qxt`; a magic mobile is `17000` followed by the
//! code's absolute value in six digits.

/// -2: mobile length wrong (as a forced code; an 11-digit number cannot be too short).
pub const MOBILE_LENGTH: &str = "17000000002";
/// -3: not a valid mobile number.
pub const MOBILE_INVALID: &str = "17000000003";
/// -4: nothing found.
pub const NOT_FOUND: &str = "17000000004";
/// -5: balance too low.
pub const INSUFFICIENT_BALANCE: &str = "17000000005";
/// -8: system error.
pub const SYSTEM_ERROR: &str = "17000000008";
/// -9: IP not allowed.
pub const IP_NOT_ALLOWED: &str = "17000000009";
/// Every `(code, mobile)` pair.
pub const ALL: &[(i64, &str)] = &[
    (-2, MOBILE_LENGTH),
    (-3, MOBILE_INVALID),
    (-4, NOT_FOUND),
    (-5, INSUFFICIENT_BALANCE),
    (-8, SYSTEM_ERROR),
    (-9, IP_NOT_ALLOWED),
];

/// The documented code a magic mobile selects.
pub(crate) fn code_for(mobile: &str) -> Option<i64> {
    ALL.iter()
        .find(|(_, magic)| *magic == mobile)
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_follow_the_scheme() {
        for (code, mobile) in ALL {
            assert_eq!(*mobile, format!("17000{:06}", code.abs()));
            assert_eq!(code_for(mobile), Some(*code));
        }
    }
}
