//! Magic inputs: numbers that make a vendor answer a given documented code, or make the
//! emulator inject a fault, like a card issuer's test numbers. Tests use these names, never the
//! literals. The table (with the scheme behind it) is in `docs/emulator.md`.
//!
//! Scheme: a magic mobile is `17000` followed by the code's absolute value in six digits
//! (`17000010006` is wapi 10006, `17000000004` is QXT -4, `17000004050` is ihuyi 4050); fault
//! mobiles are `170009000NN`. A magic ID number is `11010119000101` + three digits
//! (`code - 10000` for wapi codes, `9NN` for faults) + a valid check digit, so offline
//! validation lets it through. Magic codes are answered after the credential and signature
//! checks (so a magic input never hides an auth bug) and are never billed; magic faults act
//! exactly like the same fault in the `x-emulator-fault` header.

use crate::faults::Faults;

/// Magic inputs of the wapi endpoints.
pub mod wapi {
    macro_rules! wapi_magic {
        ($( $code:literal $name:ident $mobile:literal $id:literal $doc:literal; )*) => {
            /// Mobile numbers (for `/pyi/108/244`) answering each documented wapi code.
            pub mod mobile {
                $( #[doc = $doc] pub const $name: &str = $mobile; )*
                /// Every `(code, mobile)` pair.
                pub const ALL: &[(i64, &str)] = &[$( ($code, $name) ),*];
            }
            /// ID numbers (for `/pyi/62/169`) answering each documented wapi code.
            pub mod id {
                $( #[doc = $doc] pub const $name: &str = $id; )*
                /// Every `(code, id number)` pair.
                pub const ALL: &[(i64, &str)] = &[$( ($code, $name) ),*];
            }
        };
    }

    wapi_magic! {
        10001 APPID_MISSING "17000010001" "110101190001010014" "10001: appid missing.";
        10002 SIGN_MISSING "17000010002" "110101190001010022" "10002: sign missing.";
        10003 SIGN_INVALID "17000010003" "110101190001010030" "10003: sign does not verify.";
        10004 CLOCK_SKEW "17000010004" "110101190001010049" "10004: time more than 10 minutes off.";
        10005 APPID_INVALID "17000010005" "110101190001010057" "10005: unknown appid.";
        10006 IP_NOT_ALLOWED "17000010006" "110101190001010065" "10006: caller IP not authorized.";
        10007 APP_DISABLED "17000010007" "110101190001010073" "10007: application disabled.";
        10008 API_NOT_IN_APP "17000010008" "110101190001010081" "10008: API not added to the application.";
        10009 API_NOT_FOUND "17000010009" "11010119000101009X" "10009: API does not exist.";
        10010 API_NOT_ADDED "17000010010" "110101190001010102" "10010: API not added to the account.";
        10011 API_EXPIRED "17000010011" "110101190001010110" "10011: API subscription expired.";
        10012 NO_SUBSCRIPTION "17000010012" "110101190001010129" "10012: no API ordered.";
        10013 API_SUSPENDED "17000010013" "110101190001010137" "10013: API suspended.";
        10014 UNKNOWN_ERROR "17000010014" "110101190001010145" "10014: unknown error.";
        10015 PARAMETER_COUNT "17000010015" "110101190001010153" "10015: wrong number of parameters.";
        10017 TIME_NOT_INTEGER "17000010017" "11010119000101017X" "10017: time is not an integer.";
        10018 QUOTA_EXHAUSTED "17000010018" "110101190001010188" "10018: call quota spent.";
        10019 RATE_LIMITED "17000010019" "110101190001010196" "10019 with the 频繁 message: checked too often.";
        10020 SUB_API_MISSING "17000010020" "110101190001010209" "10020: sub-API missing or closed.";
        10021 SERVER_ERROR "17000010021" "110101190001010217" "10021: server error.";
        10022 BALANCE_EXHAUSTED "17000010022" "110101190001010225" "10022: account balance spent.";
        10023 PENDING "17000010023" "110101190001010233" "10023: order accepted, result by callback.";
        10024 DEBUG_DATA "17000010024" "110101190001010241" "10024: debug data (as with debug=1).";
        10025 NOT_FOUND "17000010025" "11010119000101025X" "10025: no record.";
    }

    /// Mobile answering 10019 with a message that does not mention 频繁 (not a rate limit).
    pub const OTHER_INFO_MOBILE: &str = "17000110019";
    /// ID number answering 10019 with a message that does not mention 频繁.
    pub const OTHER_INFO_ID: &str = "110101190001011199";
    /// The message of that other 10019.
    pub const OTHER_INFO_MESSAGE: &str = "系统维护中,请稍后再试";
}

/// Magic mobiles of QXT's `/Phone_TwoElements`. Codes 1, -1, -2 and -3 are reached by the
/// input itself (missing parameter, wrong apikey, wrong length, impossible number) and also by
/// `x-emulator-fault: code=N`; the document lists no -6 or -7.
pub mod qxt {
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
}

/// Magic mobiles of ihuyi's `Submit.json`. Codes 401, 402 and 407 need a missing parameter and
/// are reached that way (or with `code=N`).
pub mod ihuyi {
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
}

/// Magic inputs that inject a fault (every vendor's mobile parameter; wapi's `bank_id`).
pub mod fault {
    macro_rules! fault_magic {
        ($( $name:ident $mobile:literal $id:literal $spec:literal $doc:literal; )*) => {
            /// Fault mobiles (wapi `mobile`, QXT `mobile`, ihuyi `mobile`).
            pub mod mobile {
                $( #[doc = $doc] pub const $name: &str = $mobile; )*
            }
            /// Fault ID numbers (wapi `bank_id`).
            pub mod id {
                $( #[doc = $doc] pub const $name: &str = $id; )*
            }
            /// `(mobile, id, fault spec)` for every fault input.
            pub const ALL: &[(&str, &str, &str)] = &[$( ($mobile, $id, $spec) ),*];
        };
    }

    fault_magic! {
        RESET "17000900001" "110101190001019019" "reset" "Connection reset instead of an answer.";
        BAD_GATEWAY "17000900002" "110101190001019027" "502" "502 with a gateway's HTML page.";
        TRUNCATE "17000900003" "110101190001019035" "truncate" "Body cut in half after a full Content-Length.";
        SLOW_BODY "17000900004" "110101190001019043" "slow-body" "Body trickled out over 2 s.";
        OVERSIZED "17000900005" "110101190001019051" "oversized" "Answer padded to 16 MiB.";
        WRONG_CONTENT_TYPE "17000900006" "11010119000101906X" "wrong-content-type" "Answer sent as text/html.";
        LATENCY "17000900007" "110101190001019078" "latency=1000" "Answer after 1 s.";
        UNQUOTED_KEYS "17000900008" "110101190001019086" "unquoted-keys" "JSON with unquoted keys.";
        STRING_NUMBERS "17000900009" "110101190001019094" "string-numbers" "Numbers written as strings.";
    }
}

/// The documented wapi codes a magic number can select.
const WAPI_CODES: &[i64] = &[
    10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009, 10010, 10011, 10012, 10013,
    10014, 10015, 10017, 10018, 10019, 10020, 10021, 10022, 10023, 10024, 10025,
];

/// What a magic input asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Magic {
    Code(i64),
    /// wapi 10019 with a message other than the rate-limit one.
    OtherInfo,
    /// ihuyi 2 with a failed query.
    QueryFailed,
}

/// The faults a magic input injects, if it is one.
pub(crate) fn fault_for(number: &str) -> Option<Faults> {
    fault::ALL
        .iter()
        .find(|(mobile, id, _)| *mobile == number || *id == number)
        .and_then(|(_, _, spec)| Faults::parse(spec).ok())
}

pub(crate) fn wapi_mobile(mobile: &str) -> Option<Magic> {
    if mobile == wapi::OTHER_INFO_MOBILE {
        return Some(Magic::OtherInfo);
    }
    let code: i64 = mobile.strip_prefix("17000")?.parse().ok()?;
    (mobile.len() == 11 && WAPI_CODES.contains(&code)).then_some(Magic::Code(code))
}

pub(crate) fn wapi_id(id_number: &str) -> Option<Magic> {
    if id_number == wapi::OTHER_INFO_ID {
        return Some(Magic::OtherInfo);
    }
    // The check digit is not compared: any character there selects the same code.
    let sequence: i64 = id_number
        .strip_prefix("11010119000101")?
        .get(..3)?
        .parse()
        .ok()?;
    let code = 10_000 + sequence;
    (id_number.len() == 18 && WAPI_CODES.contains(&code)).then_some(Magic::Code(code))
}

pub(crate) fn qxt_mobile(mobile: &str) -> Option<Magic> {
    qxt::ALL
        .iter()
        .find(|(_, magic)| *magic == mobile)
        .map(|(code, _)| Magic::Code(*code))
}

pub(crate) fn ihuyi_mobile(mobile: &str) -> Option<Magic> {
    if mobile == ihuyi::QUERY_FAILED {
        return Some(Magic::QueryFailed);
    }
    ihuyi::ALL
        .iter()
        .find(|(_, magic)| *magic == mobile)
        .map(|(code, _)| Magic::Code(*code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_check_digit_ok(id: &str) -> bool {
        const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let digits: Vec<u32> = id.chars().take(17).filter_map(|c| c.to_digit(10)).collect();
        let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
        let expected = b"10X98765432"[(sum % 11) as usize] as char;
        digits.len() == 17 && id.len() == 18 && id.ends_with(expected)
    }

    #[test]
    fn magic_ids_have_valid_check_digits() {
        for (_, id) in wapi::id::ALL {
            assert!(id_check_digit_ok(id), "{id}");
        }
        for (_, id, _) in fault::ALL {
            assert!(id_check_digit_ok(id), "{id}");
        }
        assert!(id_check_digit_ok(wapi::OTHER_INFO_ID));
    }

    #[test]
    fn magic_numbers_follow_the_scheme() {
        for (code, mobile) in wapi::mobile::ALL {
            assert_eq!(*mobile, format!("17000{code:06}"));
            assert_eq!(wapi_mobile(mobile), Some(Magic::Code(*code)));
        }
        for (code, id) in wapi::id::ALL {
            assert_eq!(wapi_id(id), Some(Magic::Code(*code)));
        }
        for (code, mobile) in qxt::ALL {
            assert_eq!(*mobile, format!("17000{:06}", code.abs()));
            assert_eq!(qxt_mobile(mobile), Some(Magic::Code(*code)));
        }
        for (code, mobile) in ihuyi::ALL {
            assert_eq!(*mobile, format!("17000{code:06}"));
            assert_eq!(ihuyi_mobile(mobile), Some(Magic::Code(*code)));
        }
        for (mobile, id, spec) in fault::ALL {
            assert_eq!(fault_for(mobile), Some(Faults::parse(spec).unwrap()));
            assert_eq!(fault_for(id), fault_for(mobile));
        }
        assert_eq!(wapi_mobile("17000010016"), None);
        assert_eq!(wapi_mobile("18688888888"), None);
        assert_eq!(wapi_id("11010119000101016"), None);
        assert_eq!(fault_for("18688888888"), None);
    }
}
