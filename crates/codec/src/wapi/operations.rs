//! The two wapi checks as [`Operation`]s.

use super::config::WapiConfig;
use super::details::{IdDetails, MobileDetails};
use super::envelope;
use crate::error::{BuildError, DecodeError};
use crate::masked::person_input;
use crate::operation::{Operation, Reply};
use crate::transport::{HttpRequest, HttpResponse};
use crate::{TwoElementAnswer, TwoElementDetails, UnixTime, Vendor, mask};

person_input! {
    /// Does this mobile number belong to this name? (`/pyi/108/244`, parameters `bank_name`,
    /// `mobile`.) Debug masks both.
    pub struct MobileTwoElements("wapi::MobileTwoElements") {
        /// The person's name as on the ID card (`张三`).
        name (masked by mask::name),
        /// The 11-digit mobile number.
        mobile (masked by mask::mobile),
    }
    /// A check of `name` against `mobile`.
    fn new;
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
        self.require_fields()?;
        config.request(
            super::MOBILE_TWO_ELEMENTS_PATH,
            &[("bank_name", &self.name), ("mobile", &self.mobile)],
            now,
        )
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<TwoElementAnswer>, DecodeError> {
        envelope::decode(self.name(), response, |retdata| {
            TwoElementDetails::WapiMobile(MobileDetails::from_retdata(retdata))
        })
    }
}

person_input! {
    /// Does this ID number belong to this name? (`/pyi/62/169`, parameters `bank_name`,
    /// `bank_id`.) Debug masks both.
    pub struct IdTwoElements("wapi::IdTwoElements") {
        /// The person's name as on the ID card.
        name (masked by mask::name),
        /// The 18-character resident ID number.
        id_number (masked by mask::id_number),
    }
    /// A check of `name` against `id_number`.
    fn new;
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
        self.require_fields()?;
        config.request(
            super::ID_TWO_ELEMENTS_PATH,
            &[("bank_id", &self.id_number), ("bank_name", &self.name)],
            now,
        )
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<TwoElementAnswer>, DecodeError> {
        envelope::decode(self.name(), response, |retdata| {
            TwoElementDetails::WapiId(IdDetails::from_retdata(retdata))
        })
    }
}
