//! What wapi says about the number or ID besides the verdict (`retdata`), typed.
//!
//! Debug output masks the personal fields (name, mobile, ID number, birthday); Serialize keeps
//! them, because writing results is what callers do with them.

use std::fmt;

use serde::Serialize;

use super::envelope::{Key, RetData};
use crate::lenient::owned;
use crate::mask;

/// `retdata` of the mobile + name check (`wapi-mobile-two-elements.txt`).
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct MobileDetails {
    /// `bank_name`: the name as the vendor echoes it.
    pub name: Option<String>,
    /// `bank_mobile`: the mobile number as the vendor echoes it.
    pub mobile: Option<String>,
    /// `bank_mobileType`: the carrier (`联通`, `移动`, `电信`).
    pub carrier: Option<String>,
    /// `bank_provider`: the carrier as a second field some answers fill instead.
    pub provider: Option<String>,
    /// `bank_province`: province of the number's registration.
    pub province: Option<String>,
    /// `bank_city`: city of the number's registration.
    pub city: Option<String>,
    /// `bank_addrCode`: administrative code of that area (`535000`).
    pub area_code: Option<String>,
    /// `bank_idCode`: first six digits of an ID number (region code) when given.
    pub id_prefix: Option<String>,
    /// `bank_telCode`: landline area code of that area (`0777`).
    pub telephone_code: Option<String>,
    /// `bank_status` as sent (`01`, `02`).
    pub status: Option<String>,
    /// `bank_msg`: the vendor's wording of the verdict.
    pub message: Option<String>,
}

impl MobileDetails {
    pub(crate) fn from_retdata(mut r: RetData<'_>) -> Self {
        MobileDetails {
            name: owned(r.take(Key::Name)),
            mobile: owned(r.take(Key::Mobile)),
            carrier: owned(r.take(Key::MobileType)),
            provider: owned(r.take(Key::Provider)),
            province: owned(r.take(Key::Province)),
            city: owned(r.take(Key::City)),
            area_code: owned(r.take(Key::AddrCode)),
            id_prefix: owned(r.take(Key::IdCode)),
            telephone_code: owned(r.take(Key::TelCode)),
            status: owned(r.take(Key::Status)),
            message: owned(r.take(Key::Msg)),
        }
    }
}

impl fmt::Debug for MobileDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MobileDetails")
            .field("name", &self.name.as_deref().map(mask::name))
            .field("mobile", &self.mobile.as_deref().map(mask::mobile))
            .field("carrier", &self.carrier)
            .field("provider", &self.provider)
            .field("province", &self.province)
            .field("city", &self.city)
            .field("area_code", &self.area_code)
            .field("id_prefix", &self.id_prefix)
            .field("telephone_code", &self.telephone_code)
            .field("status", &self.status)
            .field("message", &self.message)
            .finish()
    }
}

/// `retdata` of the ID number + name check (`wapi-idcard-two-elements.txt`).
#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct IdDetails {
    /// `bank_name`: the name as the vendor echoes it.
    pub name: Option<String>,
    /// `bank_idCard`: the ID number as the vendor echoes it.
    pub id_number: Option<String>,
    /// `bank_area`: where the ID was issued (`浙江省苍南县`).
    pub area: Option<String>,
    /// `bank_birthday`: date of birth as worded by the vendor (`1997年05月05日`).
    pub birthday: Option<String>,
    /// `bank_sex`: sex as worded by the vendor (`男`, `女`).
    pub sex: Option<String>,
    /// `bank_status` as sent (`01`, `02`).
    pub status: Option<String>,
    /// `bank_msg`: the vendor's wording of the verdict.
    pub message: Option<String>,
}

impl IdDetails {
    pub(crate) fn from_retdata(mut r: RetData<'_>) -> Self {
        IdDetails {
            name: owned(r.take(Key::Name)),
            id_number: owned(r.take(Key::IdCard)),
            area: owned(r.take(Key::Area)),
            birthday: owned(r.take(Key::Birthday)),
            sex: owned(r.take(Key::Sex)),
            status: owned(r.take(Key::Status)),
            message: owned(r.take(Key::Msg)),
        }
    }
}

impl fmt::Debug for IdDetails {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdDetails")
            .field("name", &self.name.as_deref().map(mask::name))
            .field("id_number", &self.id_number.as_deref().map(mask::id_number))
            .field("area", &self.area)
            .field("birthday", &self.birthday.as_ref().map(|_| "***"))
            .field("sex", &self.sex)
            .field("status", &self.status)
            .field("message", &self.message)
            .finish()
    }
}
