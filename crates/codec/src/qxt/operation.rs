//! QXT's mobile + name check: request, wire model, reading.

use std::borrow::Cow;

use serde::Deserialize;

use super::config::QxtConfig;
use crate::error::{BuildError, DecodeError, Failure};
use crate::form::{self, require};
use crate::lenient::owned;
use crate::masked::{answer_details, person_input};
use crate::operation::{Operation, Outcome, Refusal, Reply};
use crate::taxonomy::qxt as codes;
use crate::transport::{HttpRequest, HttpResponse};
use crate::{TwoElementAnswer, TwoElementDetails, UnixTime, Vendor, Verdict, json, lenient, mask};

person_input! {
    /// Does this mobile number belong to this name? (`/Phone_TwoElements`, parameters `apikey`,
    /// `mobile`, `name`.) Debug masks both.
    pub struct MobileTwoElements("qxt::MobileTwoElements") {
        /// The person's name.
        name (masked by mask::name),
        /// The 11-digit mobile number.
        mobile (masked by mask::mobile),
    }
    /// A check of `name` against `mobile`.
    fn new;
}

impl Operation for MobileTwoElements {
    type Config = QxtConfig;
    type Output = TwoElementAnswer;

    fn vendor(&self) -> Vendor {
        Vendor::Qxt
    }

    fn name(&self) -> &'static str {
        "mobile_two_elements"
    }

    /// QXT signs nothing; `now` is unused (kept for the uniform [`Operation`] shape).
    fn prepare(&self, config: &QxtConfig, _now: UnixTime) -> Result<HttpRequest, BuildError> {
        self.require_fields()?;
        let (key_name, key) = shiming_sign::qxt::apikey_param(&config.apikey);
        require("apikey", key)?;
        form::request(
            config.method,
            &config.base_url,
            super::MOBILE_TWO_ELEMENTS_PATH,
            &[
                (key_name, key),
                ("mobile", &self.mobile),
                ("name", &self.name),
            ],
        )
    }

    fn decode(&self, response: &HttpResponse) -> Result<Reply<TwoElementAnswer>, DecodeError> {
        json::decode(self, response, |t| {
            serde_json::from_str::<Wire<'_>>(t).map(read)
        })
    }
}

answer_details! {
    /// What QXT says about the number besides the verdict (`result`). Debug masks the name and
    /// mobile.
    pub struct QxtDetails {
        /// `Mobile`: the number as echoed.
        mobile (masked by mask::mobile),
        /// `Name`: the name as echoed (the document shows it partly hidden).
        name (masked by mask::name),
        /// `Status` as sent (`一致`, `不一致`).
        status,
        /// `Area`: `province-city` of the number (`湖北-宜昌`).
        area,
        /// `Now_isp`: the carrier serving the number now (`中国电信`; ported numbers included).
        carrier,
    }
}

#[derive(Deserialize)]
struct Wire<'a> {
    #[serde(default, borrow, deserialize_with = "lenient::code")]
    code: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::text")]
    reason: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "lenient::object")]
    result: Option<WireResult<'a>>,
}

/// `result`: the document capitalises the keys; lowercase spellings are accepted too.
#[derive(Deserialize)]
struct WireResult<'a> {
    #[serde(
        default,
        borrow,
        rename = "Mobile",
        alias = "mobile",
        deserialize_with = "lenient::text"
    )]
    mobile: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        rename = "Name",
        alias = "name",
        deserialize_with = "lenient::text"
    )]
    name: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        rename = "Status",
        alias = "status",
        deserialize_with = "lenient::text"
    )]
    status: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        rename = "Area",
        alias = "area",
        deserialize_with = "lenient::text"
    )]
    area: Option<Cow<'a, str>>,
    #[serde(
        default,
        borrow,
        rename = "Now_isp",
        alias = "now_isp",
        deserialize_with = "lenient::text"
    )]
    now_isp: Option<Cow<'a, str>>,
}

fn read(wire: Wire<'_>) -> Result<Reply<TwoElementAnswer>, Failure> {
    let details = wire.result.map(details).unwrap_or_default();
    Reply::read(
        Vendor::Qxt,
        "code",
        wire.code,
        wire.reason,
        codes::classify,
        |code, info| {
            let verdict = match code {
                // Values arrive trimmed (`lenient::scalar`).
                codes::SUCCESS => match details.status.as_deref() {
                    Some("一致") => Verdict::Match,
                    Some("不一致") => Verdict::Mismatch,
                    _ => return Ok(Outcome::Refused(Refusal::UNREADABLE)),
                },
                codes::NOT_FOUND => Verdict::NotFound,
                _ => return Ok(Outcome::Refused(Refusal::of(info))),
            };
            Ok(Outcome::Answered(TwoElementAnswer {
                verdict,
                debug: false,
                details: TwoElementDetails::Qxt(details),
            }))
        },
    )
}

fn details(r: WireResult<'_>) -> QxtDetails {
    QxtDetails {
        mobile: owned(r.mobile),
        name: owned(r.name),
        status: owned(r.status),
        area: owned(r.area),
        carrier: owned(r.now_isp),
    }
}
