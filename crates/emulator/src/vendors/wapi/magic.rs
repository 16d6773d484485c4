//! wapi's magic inputs: mobiles (for `/pyi/108/244`) and ID numbers (for `/pyi/62/169`) that
//! answer each documented codeid, published as `shiming_emulator::magic::wapi`. Scheme: a magic
//! mobile is `17000` followed by the code in six digits; a magic ID number is
//! `11010119000101` + `code - 10000` in three digits + a valid check digit.

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

/// The documented wapi codes a magic number can select.
const WAPI_CODES: &[i64] = &[
    10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10009, 10010, 10011, 10012, 10013,
    10014, 10015, 10017, 10018, 10019, 10020, 10021, 10022, 10023, 10024, 10025,
];

/// What a wapi magic input asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Magic {
    Code(i64),
    /// 10019 with a message other than the rate-limit one.
    OtherInfo,
}

pub(crate) fn for_mobile(mobile: &str) -> Option<Magic> {
    if mobile == OTHER_INFO_MOBILE {
        return Some(Magic::OtherInfo);
    }
    let code: i64 = mobile.strip_prefix("17000")?.parse().ok()?;
    (mobile.len() == 11 && WAPI_CODES.contains(&code)).then_some(Magic::Code(code))
}

pub(crate) fn for_id(id_number: &str) -> Option<Magic> {
    if id_number == OTHER_INFO_ID {
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
        for (_, id) in id::ALL {
            assert!(id_check_digit_ok(id), "{id}");
        }
        for (_, id, _) in crate::fault_inputs::fault::ALL {
            assert!(id_check_digit_ok(id), "{id}");
        }
        assert!(id_check_digit_ok(OTHER_INFO_ID));
    }

    #[test]
    fn magic_numbers_follow_the_scheme() {
        for (code, mobile) in mobile::ALL {
            assert_eq!(*mobile, format!("17000{code:06}"));
            assert_eq!(for_mobile(mobile), Some(Magic::Code(*code)));
        }
        for (code, id) in id::ALL {
            assert_eq!(for_id(id), Some(Magic::Code(*code)));
        }
        assert_eq!(for_mobile("17000010016"), None);
        assert_eq!(for_mobile("18688888888"), None);
        assert_eq!(for_id("11010119000101016"), None);
    }
}
