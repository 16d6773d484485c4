//! The two wapi checks as [`Operation`]s.

use std::fmt;

use super::config::WapiConfig;
use super::details::{IdDetails, MobileDetails};
use super::envelope;
use crate::error::{BuildError, DecodeError};
use crate::form::require;
use crate::operation::{Operation, Reply};
use crate::transport::{HttpRequest, HttpResponse};
use crate::{TwoElementAnswer, TwoElementDetails, UnixTime, Vendor, mask};

/// Does this mobile number belong to this name? (`/pyi/108/244`, parameters `bank_name`,
/// `mobile`.) Debug masks both.
#[derive(Clone, PartialEq, Eq)]
pub struct MobileTwoElements {
    /// The person's name as on the ID card (`张三`).
    pub name: String,
    /// The 11-digit mobile number.
    pub mobile: String,
}

impl MobileTwoElements {
    /// A check of `name` against `mobile`.
    pub fn new(name: impl Into<String>, mobile: impl Into<String>) -> Self {
        MobileTwoElements {
            name: name.into(),
            mobile: mobile.into(),
        }
    }
}

impl Operation for MobileTwoElements {
    type Config = WapiConfig;
    type Output = TwoElementAnswer;

    fn vendor(&self) -> Vendor {
        Vendor::Wapi
    }

    fn name(&self) -> &'static str {
        "mobile_two_elements"
    }

    fn prepare(&self, config: &WapiConfig, now: UnixTime) -> Result<HttpRequest, BuildError> {
        require("name", &self.name)?;
        require("mobile", &self.mobile)?;
        config.request(
            super::MOBILE_TWO_ELEMENTS_PATH,
            &[("bank_name", &self.name), ("mobile", &self.mobile)],
            now,
        )
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<TwoElementAnswer>, DecodeError> {
        envelope::decode(self.name(), response, |verdict, debug, retdata| {
            TwoElementAnswer {
                verdict,
                debug,
                details: TwoElementDetails::WapiMobile(MobileDetails::from_retdata(retdata)),
            }
        })
    }
}

impl fmt::Debug for MobileTwoElements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("wapi::MobileTwoElements")
            .field("name", &mask::name(&self.name))
            .field("mobile", &mask::mobile(&self.mobile))
            .finish()
    }
}

/// Does this ID number belong to this name? (`/pyi/62/169`, parameters `bank_name`,
/// `bank_id`.) Debug masks both.
#[derive(Clone, PartialEq, Eq)]
pub struct IdTwoElements {
    /// The person's name as on the ID card.
    pub name: String,
    /// The 18-character resident ID number.
    pub id_number: String,
}

impl IdTwoElements {
    /// A check of `name` against `id_number`.
    pub fn new(name: impl Into<String>, id_number: impl Into<String>) -> Self {
        IdTwoElements {
            name: name.into(),
            id_number: id_number.into(),
        }
    }
}

impl Operation for IdTwoElements {
    type Config = WapiConfig;
    type Output = TwoElementAnswer;

    fn vendor(&self) -> Vendor {
        Vendor::Wapi
    }

    fn name(&self) -> &'static str {
        "id_two_elements"
    }

    fn prepare(&self, config: &WapiConfig, now: UnixTime) -> Result<HttpRequest, BuildError> {
        require("name", &self.name)?;
        require("id_number", &self.id_number)?;
        config.request(
            super::ID_TWO_ELEMENTS_PATH,
            &[("bank_id", &self.id_number), ("bank_name", &self.name)],
            now,
        )
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<TwoElementAnswer>, DecodeError> {
        envelope::decode(self.name(), response, |verdict, debug, retdata| {
            TwoElementAnswer {
                verdict,
                debug,
                details: TwoElementDetails::WapiId(IdDetails::from_retdata(retdata)),
            }
        })
    }
}

impl fmt::Debug for IdTwoElements {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("wapi::IdTwoElements")
            .field("name", &mask::name(&self.name))
            .field("id_number", &mask::id_number(&self.id_number))
            .finish()
    }
}
