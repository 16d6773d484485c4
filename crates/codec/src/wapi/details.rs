//! What wapi says about the number or ID besides the verdict (`retdata`), typed.
//!
//! Debug output masks the personal fields (name, mobile, ID number, birthday); Serialize keeps
//! them, because writing results is what callers do with them.

use super::envelope::{Key, RetData};
use crate::lenient::owned;
use crate::mask;
use crate::masked::answer_details;

/// Declares a `retdata` struct with [`answer_details!`], each field read from its [`Key`] by
/// `from_retdata`.
macro_rules! retdata_details {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$field_meta:meta])* $field:ident from $key:ident $((masked by $mask:expr))?, )+
        }
    ) => {
        answer_details! {
            $(#[$meta])*
            pub struct $name {
                $( $(#[$field_meta])* $field $((masked by $mask))?, )+
            }
        }

        impl $name {
            pub(crate) fn from_retdata(mut r: RetData<'_>) -> Self {
                $name {
                    $( $field: owned(r.take(Key::$key)), )+
                }
            }
        }
    };
}

retdata_details! {
    /// `retdata` of the mobile + name check (`wapi-mobile-two-elements.txt`).
    pub struct MobileDetails {
        /// `bank_name`: the name as the vendor echoes it.
        name from Name (masked by mask::name),
        /// `bank_mobile`: the mobile number as the vendor echoes it.
        mobile from Mobile (masked by mask::mobile),
        /// `bank_mobileType`: the carrier (`联通`, `移动`, `电信`).
        carrier from MobileType,
        /// `bank_provider`: the carrier as a second field some answers fill instead.
        provider from Provider,
        /// `bank_province`: province of the number's registration.
        province from Province,
        /// `bank_city`: city of the number's registration.
        city from City,
        /// `bank_addrCode`: administrative code of that area (`535000`).
        area_code from AddrCode,
        /// `bank_idCode`: first six digits of an ID number (region code) when given.
        id_prefix from IdCode,
        /// `bank_telCode`: landline area code of that area (`0777`).
        telephone_code from TelCode,
        /// `bank_status` as sent (`01`, `02`).
        status from Status,
        /// `bank_msg`: the vendor's wording of the verdict.
        message from Msg,
    }
}

retdata_details! {
    /// `retdata` of the ID number + name check (`wapi-idcard-two-elements.txt`).
    pub struct IdDetails {
        /// `bank_name`: the name as the vendor echoes it.
        name from Name (masked by mask::name),
        /// `bank_idCard`: the ID number as the vendor echoes it.
        id_number from IdCard (masked by mask::id_number),
        /// `bank_area`: where the ID was issued (`浙江省苍南县`).
        area from Area,
        /// `bank_birthday`: date of birth as worded by the vendor (`1997年05月05日`).
        birthday from Birthday (masked by |_| "***"),
        /// `bank_sex`: sex as worded by the vendor (`男`, `女`).
        sex from Sex,
        /// `bank_status` as sent (`01`, `02`).
        status from Status,
        /// `bank_msg`: the vendor's wording of the verdict.
        message from Msg,
    }
}
